r"""Vectorised abnormal-return engine: many (event, instrument) pairs at once, in numpy.

This is the fast path of the OLS-family normal-return models. It computes, for every pair at
once, the same numbers as estimating each pair with ``statsmodels.OLS`` and taking its
prediction standard errors (the reference path in :mod:`eventstudy.study`); the tests in
``tests/study/test_fastpath.py`` check equality to ``1e-9`` relative on real and synthetic
data.

Windows
-------
Rows of ``returns`` form one common date index (``T`` rows). An instrument's *sessions* are the
rows where its return is not NaN. For a pair ``(i, d)`` (instrument column ``i``, day-0 row
``d``) day 0 is the instrument's first session at or after row ``d``; relative day ``k`` is
its ``k``-th session after day 0 (``k < 0``: before). Windows are therefore in trading days
of each instrument's own calendar, never calendar days. With ``p0`` the position of day 0
among the instrument's sessions, the estimation window ``(a, b)`` covers session positions
``p0 + a .. p0 + b`` and the event window ``(e0, e1)`` covers ``p0 + e0 .. p0 + e1``.

Wiring from the reference engine (``EventStudy.run``): align all instruments on the union
of their session dates (``returns`` NaN where an instrument has no session, never filled),
benchmarks likewise as the columns of ``market`` with ``market_idx`` giving each
instrument's column (from the instrument registry). An event date maps to
``day0 = dates.searchsorted(date, side="left")``, the first row on or after the date; the
kernel then rolls forward, per instrument, to the first row at or after it where *that
instrument* has a return, so ``day0`` needs no per-instrument work. An event after the
last row has no ``day0`` and must be reported by the caller (the kernel rejects ``day0``
outside ``0 .. T-1``). Intraday timing (an announcement after the close) is resolved
before, by ``eventstudy.market.event_day0``: pass the session date it returns. List pairs
event by event (each event against its instruments): the per-event tests then need no
sorting. Pass event ids as a ``pd.Categorical`` to the frame builders.

An estimation window that would reach beyond the instrument's sessions (before its first,
or after its last for a post-event window) is cut to the data and flagged
(``est_truncated``); ``truncate_estimation=False`` rejects such pairs instead. A CAR is
NaN when any of its days has no AR; an AR or CAR without a value has no standard error
either.

Models
------
``constant_mean``
    :math:`AR_t = R_t - \hat\mu`, :math:`\hat\mu` the estimation-window mean (OLS on a
    constant), ``k = 1``.
``market_adjusted``
    :math:`AR_t = R_t - R_{m,t}`: nothing is estimated (:math:`\alpha = 0, \beta = 1`). The
    residual variance is the sample variance of the estimation-window :math:`R - R_m`
    (ddof 1 by default), no prediction-error term, ``k = 1`` for the degrees of freedom.
``market``
    :math:`R_t = \alpha + \beta R_{m(i),t} + \varepsilon_t`, each instrument with its own
    benchmark column ``market[:, market_idx[i]]``, ``k = 2``.
``factor``
    :math:`R_t = \alpha + \beta' F_t + \varepsilon_t` with a ``T x K`` regressor matrix
    shared by all instruments, ``k = K + 1``.

Estimation uses complete cases: estimation-window sessions where a regressor is NaN are
dropped and counted (``n_dropped``). In the event window a NaN regressor gives a NaN AR,
counted in ``n_event_nan_regressor``; event days beyond the instrument's last session are
NaN and counted in ``n_event_no_session``.

Formulas (for ``X`` the ``n x k`` estimation design with intercept, ``x_0`` an event-day
row, ``X_0`` the rows of a CAR window of ``L`` days):

.. math::

    s^2 = \frac{\sum_t \hat\varepsilon_t^2}{n - \text{ddof}}, \qquad
    \widehat{Var}(AR_0) = s^2\,(1 + x_0'(X'X)^{-1}x_0), \qquad
    \widehat{Var}(CAR) = s^2\,(L + \mathbf 1' X_0 (X'X)^{-1} X_0' \mathbf 1)

(the sum of all entries of the prediction covariance of the window). ``ddof`` defaults to
``k`` (the unbiased OLS scale, statsmodels' ``scale``); ``ddof=1`` is the estudy2 convention
(the sample standard deviation of the residuals). With ``prediction_error=False`` the
variances are :math:`s^2` and :math:`L s^2`. :math:`t = AR / se` and the two-sided p-value
is from Student's t with ``n - k`` degrees of freedom (the statsmodels ``df_resid``).

Method
------
Per instrument, prefix sums over the rows of :math:`1, y, y^2, x, xy, xx'` (complete cases
only, ``y`` and ``x`` centred by the instrument's own mean for precision) make every pair's
estimation sums two look-ups, whatever the window length. The normal equations are solved
in centred form (:math:`\hat\beta = S_{xx}^{-1} S_{xy}`,
:math:`S_{xx} = \sum (x - \bar x)(x - \bar x)'`, closed form for one regressor, batched
``np.linalg`` for several), which also gives
:math:`x_0'(X'X)^{-1}x_0 = 1/n + (x_0 - \bar x)' S_{xx}^{-1} (x_0 - \bar x)`. Each
instrument's sessions are also stored one after another as (row, y, x) records, so a pair's
event window is one contiguous block: ``O(W)`` work per pair. Pairs are processed in chunks
(optionally on several threads), so memory stays bounded by the outputs plus one chunk of
temporaries. When many pairs share a residual df, p-values come from a per-df interpolation
table (relative error below 1e-10; ``exact_p=True`` calls ``scipy.special.stdtr`` for
every value). ``benchmarks/bench_engine.py`` prints the speed and memory.

References
----------
MacKinlay, A. C. (1997). Event studies in economics and finance. *Journal of Economic
Literature* 35(1), 13-39 (section 4: normal-return models and the prediction-error
variance of AR and CAR).
Campbell, J. Y., Lo, A. W. and MacKinlay, A. C. (1997). *The Econometrics of Financial
Markets*, ch. 4.
"""

from __future__ import annotations

import dataclasses
import enum
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy import special

from eventstudy.errors import EventStudyError

__all__ = [
    "FAST_MODELS",
    "CrossSectionalTests",
    "FastModel",
    "FastPathError",
    "FastResult",
    "PairStatus",
    "cross_sectional_tests",
    "fast_event_study",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Window = tuple[int, int]


class FastPathError(EventStudyError, ValueError):
    """Bad input to the vectorised engine; the message names the argument, the value seen and
    what was expected."""


class PairStatus(enum.IntEnum):
    """Why a pair has (or has no) estimates. Stored per pair in :attr:`FastResult.status`."""

    OK = 0
    """Estimated; ARs may still be NaN on single days (see the per-pair counts)."""
    NO_SESSION = 1
    """The instrument has no session at or after the day-0 row: day 0 is undefined."""
    TOO_FEW_OBS = 2
    """Fewer complete-case estimation observations than ``min_obs`` (or than ``k + 1``)."""
    SINGULAR = 3
    """A regressor does not vary in the estimation window (or regressors are collinear)."""


@dataclass(frozen=True)
class FastModel:
    """An entry of the fast-path model registry."""

    name: str
    aliases: tuple[str, ...]
    description: str
    reference: str


FAST_MODELS: dict[str, FastModel] = {
    m.name: m
    for m in (
        FastModel(
            "constant_mean",
            ("mean", "constant", "mean_adjusted"),
            "constant mean return: AR = R - mean of the estimation window",
            "Brown and Warner (1980, 1985); MacKinlay (1997) section 4.1",
        ),
        FastModel(
            "market_adjusted",
            ("market-adjusted", "adjusted"),
            "market-adjusted return: AR = R - Rm (alpha 0, beta 1, nothing estimated)",
            "Brown and Warner (1980); Campbell, Lo and MacKinlay (1997) 4.3.2",
        ),
        FastModel(
            "market",
            ("market_model", "single_index", "ols"),
            "market model: OLS of R on a constant and the instrument's benchmark",
            "MacKinlay (1997) section 4.2",
        ),
        FastModel(
            "factor",
            ("multifactor", "factor_model"),
            "factor model: OLS of R on a constant and K shared regressors",
            "MacKinlay (1997) section 4.3",
        ),
    )
}


def _resolve_model(model: str) -> str:
    key = str(model).strip().lower()
    for m in FAST_MODELS.values():
        if key == m.name or key in m.aliases:
            return m.name
    valid = ", ".join(f"{m.name} ({', '.join(m.aliases)})" for m in FAST_MODELS.values())
    raise FastPathError(f"model={model!r} is not a fast-path model; valid names: {valid}")


def _window(name: str, value: Sequence[int]) -> Window:
    try:
        a, b = (int(v) for v in value)
    except (TypeError, ValueError):
        raise FastPathError(
            f"{name}={value!r}: expected a pair of integers (first, last) in trading days"
        ) from None
    if a > b:
        raise FastPathError(f"{name}={value!r}: the first day {a} is after the last day {b}")
    return a, b


# ----------------------------------------------------------------------------------------
# cross-sectional tests
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CrossSectionalTests:
    r"""Cross-sectional parametric tests per group and event day / CAR window, vectorised.

    All arrays are ``(G, W)`` for the event days (``rel_days``) and ``(G, C)`` for the CAR
    windows, ``G`` groups (one, ``"all"``, when pairs are pooled). Only pairs with status OK
    and a finite AR (CAR) on that day (window) enter; ``n`` counts them. With :math:`A_i`
    the AR (or CAR), :math:`\sigma_i^2` its variance without the prediction-error term
    (:math:`s_i^2`, or :math:`L s_i^2` for a CAR), :math:`S_i = A_i / se_i` the standardised
    AR (``se`` with the prediction-error term when the study uses it) and
    :math:`\nu_i = n_i - k` the residual degrees of freedom:

    ``bw`` (Brown and Warner 1980, individual residual variances, no dependence adjustment)
        :math:`\bar A / (\sqrt{\sum_i \sigma_i^2} / N)`, p-value from N(0, 1). Equals
        estudy2's ``bw_1980`` with ``ddof=1`` (tested to 1e-6 against its published table).
    ``cs_t`` (cross-sectional t)
        :math:`\bar A / (s_A / \sqrt N)`, :math:`s_A` the sample sd (ddof 1) across pairs,
        Student t with ``N - 1`` df. Equals estudy2's ``t_test``.
    ``patell`` (Patell 1976)
        :math:`\sum_i S_i / \sqrt{\sum_i \nu_i / (\nu_i - 2)}`, N(0, 1); pairs with
        :math:`\nu_i \le 2` are left out.
    ``bmp`` (Boehmer, Musumeci and Poulsen 1991)
        :math:`\bar S / (s_S / \sqrt N)`, Student t with ``N - 1`` df.

    A statistic that cannot be computed (``N < 2`` for the cross-sectional ones, ``N = 0``)
    is NaN; ``n`` says why.

    Patell and BMP here standardise by each pair's own prediction standard error (its
    complete-case estimation rows, as statsmodels). estudy2's published ``patell`` and
    ``bmp`` for its introduction example are reproduced only when the market mean and sum
    of squares in the correction run over *all* estimation-window dates, also those where a
    security has no return (ZM, UBER before their IPOs), with :math:`1/L_i` over its own
    dates; the two agree when no estimation day is missing.

    References
    ----------
    Brown, S. J. and Warner, J. B. (1980). Measuring security price performance. *JFE* 8.
    Patell, J. M. (1976). Corporate forecasts of earnings per share and stock price behavior.
    *Journal of Accounting Research* 14(2), 246-276.
    Boehmer, E., Musumeci, J. and Poulsen, A. B. (1991). Event-study methodology under
    conditions of event-induced variance. *JFE* 30(2), 253-272.
    """

    group_labels: pd.Index
    rel_days: IntArray
    car_windows: tuple[Window, ...]
    n: IntArray
    aar: FloatArray
    bw: FloatArray
    bw_p: FloatArray
    cs_t: FloatArray
    cs_t_p: FloatArray
    patell: FloatArray
    patell_p: FloatArray
    bmp: FloatArray
    bmp_p: FloatArray
    car_n: IntArray
    caar: FloatArray
    car_bw: FloatArray
    car_bw_p: FloatArray
    car_cs_t: FloatArray
    car_cs_t_p: FloatArray
    car_patell: FloatArray
    car_patell_p: FloatArray
    car_bmp: FloatArray
    car_bmp_p: FloatArray

    _STATS = ("aar", "bw", "bw_p", "cs_t", "cs_t_p", "patell", "patell_p", "bmp", "bmp_p")

    def daily_frame(self, group_labels: Sequence[Any] | None = None) -> pd.DataFrame:
        """One row per (group, rel_day): ``group, rel_day, n, aar, bw, bw_p, cs_t, ...``.

        ``group_labels`` overrides :attr:`group_labels` (the categories of ``groups``, the
        codes ``0 .. G-1``, or ``"all"`` when pairs were pooled).
        """
        g, w = self.n.shape
        labels = _labels(group_labels, self.group_labels, g)
        out: dict[str, Any] = {
            "group": pd.Categorical.from_codes(np.repeat(np.arange(g), w), categories=labels),
            "rel_day": np.tile(self.rel_days, g),
            "n": self.n.ravel(),
        }
        for name in self._STATS:
            out[name] = getattr(self, name).ravel()
        return pd.DataFrame(out)

    def window_frame(self, group_labels: Sequence[Any] | None = None) -> pd.DataFrame:
        """One row per (group, CAR window): ``group, window, n, caar, bw, bw_p, cs_t, ...``."""
        g, c = self.car_n.shape
        labels = _labels(group_labels, self.group_labels, g)
        out: dict[str, Any] = {
            "group": pd.Categorical.from_codes(np.repeat(np.arange(g), c), categories=labels),
            "window": pd.Categorical.from_codes(
                np.tile(np.arange(c), g), categories=[_window_label(x) for x in self.car_windows]
            ),
            "n": self.car_n.ravel(),
            "caar": self.caar.ravel(),
        }
        for name in self._STATS[1:]:
            out[name] = getattr(self, "car_" + name).ravel()
        return pd.DataFrame(out)


def _labels(labels: Sequence[Any] | None, default: pd.Index, g: int) -> pd.Index:
    if labels is None:
        return default
    if len(labels) != g:
        raise FastPathError(f"group_labels has {len(labels)} labels for {g} groups")
    return pd.Index(labels)


def _window_label(w: Window) -> str:
    return f"({w[0]}, {w[1]})"


def _norm_p(z: FloatArray) -> FloatArray:
    return np.asarray(special.erfc(np.abs(z) / np.sqrt(2.0)), dtype=np.float64)


def _t_p(t: FloatArray, df: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore"):
        return np.asarray(2.0 * special.stdtr(df, -np.abs(t)), dtype=np.float64)


class _TTable:
    r"""Two-sided Student t p-values from a table, for the few distinct df of a run.

    For each tabulated df, :math:`f(t) = \log p(t)` with :math:`p(t) = 2 F_\nu(-|t|)` is
    stored with its derivative :math:`f'(t) = -2 f_\nu(t) / p(t)` on :math:`0 \le t \le 12`
    in steps of :math:`h = 2^{-7}`; between nodes the cubic Hermite interpolant is evaluated
    and exponentiated. Its error bound :math:`h^4 \max|f^{(4)}| / 384` keeps the relative
    error of ``p`` below 1e-10 (``tests/study/test_fastpath.py`` compares it with
    ``scipy.stats.t.sf`` for df 1 to 1e5). Larger :math:`|t|`, df not in the table (too
    rare to be worth a table) and NaN use ``scipy.special.stdtr`` directly. Tables are all
    finite for :math:`|t| \le 12` (``p`` does not underflow there); a df whose table were not
    is left to ``stdtr`` too.
    """

    STEP = 1.0 / 128.0
    TMAX = 12.0

    def __init__(self, dfs: IntArray) -> None:
        self.dfs = np.asarray(dfs, dtype=np.int64)
        grid = np.arange(int(self.TMAX / self.STEP) + 2) * self.STEP
        d = self.dfs.astype(np.float64)[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            p = 2.0 * special.stdtr(d, -grid[None, :])
            logpdf = (
                special.gammaln((d + 1.0) / 2.0)
                - special.gammaln(d / 2.0)
                - 0.5 * np.log(d * np.pi)
                - (d + 1.0) / 2.0 * np.log1p(grid * grid / d)
            )
            f = np.log(p)
            fp = -2.0 * np.exp(logpdf - f) * self.STEP
            # per interval, the cubic c0 + c1 u + c2 u^2 + c3 u^3 on u in [0, 1]
            f0, f1, d0, d1 = f[:, :-1], f[:, 1:], fp[:, :-1], fp[:, 1:]
            coef = np.stack(
                [f0, d0, 3.0 * (f1 - f0) - 2.0 * d0 - d1, 2.0 * (f0 - f1) + d0 + d1], axis=-1
            )
        finite = np.isfinite(coef).all(axis=(1, 2))  # else: left to stdtr
        self.dfs = self.dfs[finite]
        coef = coef[finite]
        self.n_int = coef.shape[1]
        self.coef = coef.reshape(-1, 4)
        self.lut = np.full(int(self.dfs.max()) + 1 if self.dfs.size else 1, -1, dtype=np.int64)
        self.lut[self.dfs] = np.arange(self.dfs.shape[0]) * self.n_int

    @classmethod
    def for_values(cls, df: IntArray, per_pair: int) -> _TTable | None:
        """A table for the df values that occur often enough to repay their ~1,500 nodes
        (each node costs about one ``stdtr`` call; a table value about a tenth of one)."""
        if df.size == 0:
            return None
        uniq, counts = np.unique(df[df > 0], return_counts=True)
        keep = uniq[counts * per_pair > int(cls.TMAX / cls.STEP)]
        return cls(keep) if keep.size else None

    def __call__(self, t: FloatArray, df: IntArray, out: FloatArray) -> None:
        """Write p-values for ``t`` ``(m, W)`` with integer ``df`` ``(m,)`` into ``out``."""
        d = np.asarray(df, dtype=np.int64)
        inside = (d >= 0) & (d < self.lut.shape[0])
        base = np.where(inside, self.lut[np.where(inside, d, 0)], -1)
        x = np.abs(t) * (1.0 / self.STEP)
        xc = np.fmin(x, self.n_int - 1.0)  # NaN and large |t| land on the last node
        j = xc.astype(np.int64)
        u = xc - j
        j += np.maximum(base, 0)[:, None]
        c = self.coef.take(j, axis=0)  # much faster than fancy indexing here
        with np.errstate(invalid="ignore", over="ignore"):
            v = c[..., 3] * u
            v += c[..., 2]
            v *= u
            v += c[..., 1]
            v *= u
            v += c[..., 0]
            np.exp(v, out=out)
        redo = ~(x < self.n_int)  # NaN or beyond the table
        redo[base < 0] = True  # df not in the table
        if redo.any():
            rows, cols = np.nonzero(redo)
            out[rows, cols] = _t_p(t[rows, cols], d[rows].astype(np.float64))


def _group_stats(
    values: FloatArray,
    se: FloatArray,
    s2: FloatArray,
    lengths: FloatArray,
    nu: FloatArray,
    order: Any,
    counts: IntArray,
) -> tuple[Any, ...]:
    """Tests for one family of columns, one column at a time (bounded memory).

    ``values`` and ``se`` are ``(P, W)``; ``s2`` and ``nu`` ``(P,)`` already in group order;
    ``order`` sorts pairs by group (a full slice if they are sorted already), ``counts``
    are the pairs per group and ``lengths`` ``(W,)`` the days each column sums. NaN values
    or standard errors are left out.
    """
    g, w = counts.shape[0], values.shape[1]
    if not isinstance(order, slice):
        values = values[order]  # whole rows: far fewer cache misses than element gathers
        se = se[order]
    nonempty = counts > 0
    starts = (np.cumsum(counts) - counts)[nonempty]
    reps = counts[nonempty]
    pw = np.where(nu > 2.0, nu / (nu - 2.0), 0.0)
    names = ("n", "aar", "bw", "cs_t", "patell", "bmp")
    res = {k: np.full((g, w), np.nan) for k in names}
    res["n"] = np.zeros((g, w), dtype=np.int64)
    if not starts.size:
        return _with_p(res)

    def gsum(x: FloatArray) -> FloatArray:
        return np.asarray(np.add.reduceat(x, starts, dtype=np.float64))

    with np.errstate(invalid="ignore", divide="ignore"):
        for j in range(w):
            a = values[:, j].copy()
            z = a / se[:, j]
            ok = np.isfinite(z)
            bad = ~ok
            a[bad] = 0.0
            z[bad] = 0.0
            nf = gsum(ok)
            mean_a = gsum(a) / nf
            mean_z = gsum(z) / nf
            dev = a - np.repeat(mean_a, reps)
            dev[bad] = 0.0
            sd_a = np.sqrt(gsum(dev * dev) / (nf - 1.0))
            dev = z - np.repeat(mean_z, reps)
            dev[bad] = 0.0
            sd_z = np.sqrt(gsum(dev * dev) / (nf - 1.0))
            sum_var = gsum(np.where(ok, s2, 0.0)) * lengths[j]
            keep = ok & (pw > 0.0)
            pat_var = gsum(np.where(keep, pw, 0.0))
            patell = gsum(np.where(keep, z, 0.0)) / np.sqrt(pat_var)
            patell[pat_var == 0] = np.nan
            few = nf < 2
            cs_t = mean_a / (sd_a / np.sqrt(nf))
            bmp = mean_z / (sd_z / np.sqrt(nf))
            cs_t[few] = np.nan
            bmp[few] = np.nan
            res["n"][nonempty, j] = np.rint(nf).astype(np.int64)
            res["aar"][nonempty, j] = mean_a
            res["bw"][nonempty, j] = mean_a / (np.sqrt(sum_var) / nf)
            res["cs_t"][nonempty, j] = cs_t
            res["patell"][nonempty, j] = patell
            res["bmp"][nonempty, j] = bmp
    return _with_p(res)


def _with_p(res: dict[str, Any]) -> tuple[Any, ...]:
    df_cs = res["n"].astype(np.float64) - 1.0
    return (
        res["n"],
        res["aar"],
        res["bw"],
        _norm_p(res["bw"]),
        res["cs_t"],
        _t_p(res["cs_t"], df_cs),
        res["patell"],
        _norm_p(res["patell"]),
        res["bmp"],
        _t_p(res["bmp"], df_cs),
    )


def cross_sectional_tests(
    result: FastResult, groups: npt.ArrayLike | pd.Categorical | None = None
) -> CrossSectionalTests:
    """Cross-sectional parametric tests of a :class:`FastResult`, per group of pairs.

    Parameters
    ----------
    result
        The kernel output.
    groups
        Group per pair, e.g. the event, to test each event across instruments: a
        ``pd.Categorical`` (its categories label the groups, empty ones included) or integer
        codes ``0 .. G-1``; ``None`` pools all pairs in one group.

    Returns
    -------
    CrossSectionalTests
        See its docstring for the statistics and their references.
    """
    p = result.status.shape[0]
    labels: pd.Index
    if groups is None:
        codes = np.zeros(p, dtype=np.int64)
        labels = pd.Index(["all"])
    elif isinstance(groups, pd.Categorical):
        if len(groups) != p or (p and groups.codes.min() < 0):
            raise FastPathError(f"groups: expected {p} non-missing categories, got {len(groups)}")
        codes = groups.codes.astype(np.int64)
        labels = pd.Index(groups.categories)
    else:
        codes = np.asarray(groups)
        if codes.shape != (p,) or not np.issubdtype(codes.dtype, np.integer):
            raise FastPathError(f"groups: expected {p} integer codes, got {codes.shape}")
        if p and codes.min() < 0:
            raise FastPathError("groups: codes must be >= 0")
        codes = codes.astype(np.int64)
        labels = pd.RangeIndex(int(codes.max()) + 1 if p else 0)
    g = len(labels)
    # pairs already ordered by group (e.g. built event by event) need no permutation
    order: Any = slice(None)
    if p and (codes[1:] < codes[:-1]).any():
        order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=g)
    ok = result.status == PairStatus.OK
    s2 = np.where(ok, result.s2, np.nan)[order]
    nu = result.df.astype(np.float64)[order]
    ones = np.ones(result.ar.shape[1])
    ar_stats = _group_stats(result.ar, result.ar_se, s2, ones, nu, order, counts)
    lengths = np.array([b - a + 1 for a, b in result.car_windows], dtype=np.float64)
    car_stats = _group_stats(result.car, result.car_se, s2, lengths, nu, order, counts)
    return CrossSectionalTests(labels, result.rel_days, result.car_windows, *ar_stats, *car_stats)


# ----------------------------------------------------------------------------------------
# result
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FastResult:
    """Arrays for ``P`` pairs, ``W`` event days and ``C`` CAR windows (read-only).

    Attributes
    ----------
    model, estimation, event_window, car_windows, prediction_error, ddof, min_obs
        The settings used (``model`` canonical; ``ddof`` resolved to a number).
    rel_days : (W,) int
        Relative days of the event window, ``e0 .. e1``.
    instrument_idx, day0 : (P,) int
        The pairs as given.
    status : (P,) int8
        :class:`PairStatus` code per pair; non-OK pairs have NaN estimates and ARs.
    n_est : (P,) int
        Complete-case estimation observations used.
    n_dropped : (P,) int
        Estimation-window sessions dropped because a regressor was NaN.
    est_truncated : (P,) bool
        The estimation window reached beyond the instrument's sessions and was cut.
    n_event_no_session, n_event_nan_regressor : (P,) int
        Event-window days without a session (after the data end) / with a NaN regressor.
    df : (P,) int
        Residual degrees of freedom ``n_est - k`` (Student t of the AR/CAR tests).
    alpha : (P,)
    beta : (P, K)
        ``K = 0`` for the constant-mean model; ``alpha = 0, beta = 1`` for market-adjusted.
    s2 : (P,)
        Residual variance ``SSR / (n_est - ddof)``.
    rows : (P, W) int
        Row of the common date index of each event day, ``-1`` where there is no session.
    ar, ar_se, ar_t, ar_p : (P, W)
        Abnormal returns, their standard errors, t statistics and two-sided p-values.
    car, car_se, car_t, car_p : (P, C)
        Cumulative abnormal returns over ``car_windows`` (NaN if any AR in the window is NaN).
    tests : CrossSectionalTests or None
        Cross-sectional tests when requested.
    timings : mapping
        Seconds per stage: ``prepare`` (sessions, prefix sums), ``assemble`` (window bounds
        and sums), ``estimate``, ``event`` (AR, CAR, standard errors), ``pvalues``,
        ``tests`` and ``total``; chunk stages are summed over chunks (divided by the thread
        count when threads run). For the benchmark.
    """

    model: str
    estimation: Window
    event_window: Window
    car_windows: tuple[Window, ...]
    prediction_error: bool
    ddof: int
    min_obs: int
    rel_days: IntArray
    instrument_idx: IntArray
    day0: IntArray
    status: npt.NDArray[np.int8]
    n_est: IntArray
    n_dropped: IntArray
    est_truncated: npt.NDArray[np.bool_]
    n_event_no_session: IntArray
    n_event_nan_regressor: IntArray
    df: IntArray
    alpha: FloatArray
    beta: FloatArray
    s2: FloatArray
    rows: npt.NDArray[np.int32]
    ar: FloatArray
    ar_se: FloatArray
    ar_t: FloatArray
    ar_p: FloatArray
    car: FloatArray
    car_se: FloatArray
    car_t: FloatArray
    car_p: FloatArray
    tests: CrossSectionalTests | None = None
    timings: Mapping[str, float] = field(default_factory=dict, compare=False)

    @property
    def n_pairs(self) -> int:
        """Number of pairs ``P``."""
        return int(self.status.shape[0])

    def _codes(
        self, event_ids: Sequence[Any] | pd.Categorical | None, instrument_names: Sequence[Any]
    ) -> tuple[npt.NDArray[np.integer], pd.Index, pd.Index]:
        p = self.n_pairs
        if event_ids is None:
            ev = pd.Categorical.from_codes(np.arange(p), categories=pd.RangeIndex(p))
        elif isinstance(event_ids, pd.Categorical):
            ev = event_ids
        else:
            ev = pd.Categorical(event_ids)
        if len(ev) != p:
            raise FastPathError(f"event_ids has {len(ev)} entries for {p} pairs")
        names = pd.Index(instrument_names)
        if len(names) <= (int(self.instrument_idx.max()) if p else -1):
            raise FastPathError(
                f"instrument_names has {len(names)} names; instrument_idx goes up to "
                f"{int(self.instrument_idx.max())}"
            )
        return ev.codes, ev.categories, names

    def abnormal_returns_frame(
        self,
        dates: pd.DatetimeIndex | npt.ArrayLike,
        event_ids: Sequence[Any] | pd.Categorical | None,
        instrument_names: Sequence[Any],
    ) -> pd.DataFrame:
        """Tidy abnormal returns: ``event_id, instrument, rel_day, date, ar, se, t, p``.

        One row per pair and event day (``P * W`` rows, pair-major, pairs in input order),
        including pairs without estimates (NaN values; see :meth:`pairs_frame` for why).
        ``event_id`` and ``instrument`` are categorical; ``date`` is the session date of the
        event day (NaT where the instrument has no session that far).

        Parameters
        ----------
        dates
            The common date index (length ``T``) that the rows of ``returns`` follow.
        event_ids
            Event label per pair (length ``P``); a ``pd.Categorical`` is used as is (fast).
            ``None`` labels pairs ``0 .. P-1``.
        instrument_names
            Name per instrument column (length ``N``).
        """
        codes, cats, names = self._codes(event_ids, instrument_names)
        w = self.rel_days.shape[0]
        index = pd.DatetimeIndex(dates)
        rows = self.rows.ravel()
        if rows.size and int(rows.max()) >= len(index):
            raise FastPathError(
                f"dates has {len(index)} entries but the pairs use row {int(rows.max())}: "
                "pass the date index of the returns matrix"
            )
        date = index.take(np.maximum(rows, 0))
        missing = rows < 0
        if missing.any():
            date = date.where(~missing)  # NaT where the instrument has no session
        return pd.DataFrame(
            {
                "event_id": pd.Categorical.from_codes(np.repeat(codes, w), categories=cats),
                "instrument": pd.Categorical.from_codes(
                    np.repeat(self.instrument_idx, w), categories=names
                ),
                "rel_day": np.tile(self.rel_days, self.n_pairs),
                "date": date,
                "ar": self.ar.ravel(),
                "se": self.ar_se.ravel(),
                "t": self.ar_t.ravel(),
                "p": self.ar_p.ravel(),
            },
            copy=False,
        )

    def cars_frame(
        self,
        event_ids: Sequence[Any] | pd.Categorical | None,
        instrument_names: Sequence[Any],
    ) -> pd.DataFrame:
        """Tidy CARs: ``event_id, instrument, window, car, se, t, p`` (``P * C`` rows).

        ``window`` is categorical with labels ``"(a, b)"`` in the order of ``car_windows``.
        """
        codes, cats, names = self._codes(event_ids, instrument_names)
        c = len(self.car_windows)
        return pd.DataFrame(
            {
                "event_id": pd.Categorical.from_codes(np.repeat(codes, c), categories=cats),
                "instrument": pd.Categorical.from_codes(
                    np.repeat(self.instrument_idx, c), categories=names
                ),
                "window": pd.Categorical.from_codes(
                    np.tile(np.arange(c), self.n_pairs),
                    categories=[_window_label(x) for x in self.car_windows],
                ),
                "car": self.car.ravel(),
                "se": self.car_se.ravel(),
                "t": self.car_t.ravel(),
                "p": self.car_p.ravel(),
            },
            copy=False,
        )

    def pairs_frame(
        self,
        event_ids: Sequence[Any] | pd.Categorical | None,
        instrument_names: Sequence[Any],
    ) -> pd.DataFrame:
        """One row per pair: ids, ``status`` (name), ``n_est, n_dropped, est_truncated,
        n_event_no_session, n_event_nan_regressor, df, alpha, beta_1..beta_K, s2``."""
        codes, cats, names = self._codes(event_ids, instrument_names)
        out: dict[str, Any] = {
            "event_id": pd.Categorical.from_codes(codes, categories=cats),
            "instrument": pd.Categorical.from_codes(self.instrument_idx, categories=names),
            "status": pd.Categorical.from_codes(
                self.status.astype(np.int64), categories=[s.name.lower() for s in PairStatus]
            ),
            "n_est": self.n_est,
            "n_dropped": self.n_dropped,
            "est_truncated": self.est_truncated,
            "n_event_no_session": self.n_event_no_session,
            "n_event_nan_regressor": self.n_event_nan_regressor,
            "df": self.df,
            "alpha": self.alpha,
        }
        for j in range(self.beta.shape[1]):
            out[f"beta_{j + 1}"] = self.beta[:, j]
        out["s2"] = self.s2
        return pd.DataFrame(out)


# ----------------------------------------------------------------------------------------
# kernel
# ----------------------------------------------------------------------------------------


@dataclass
class _Panel:
    """Per-instrument sessions and prefix sums (internal, built once per run).

    Sessions are stored instrument by instrument ("ragged": instrument ``i`` occupies
    ``start[i] .. start[i+1]-1``, padded with ``pad`` NaN entries at both ends), so an
    event window is one contiguous slice per pair. Prefix sums run over the rows of the
    common date index (rows that are not complete-case sessions of the instrument add zero),
    so an estimation window of session positions ``lo .. hi`` sums as
    ``C[row(hi) + 1] - C[row(lo)]``. ``csum`` has shape ``(T+1, N, S)`` with the sums
    ``n, y, yy, x_k, x_k y, x_a x_b`` (``y`` and ``x`` centred per instrument).
    """

    n_inst: int
    k_reg: int  # K, regressors besides the intercept
    pad: int
    cnt: IntArray  # (N,) sessions per instrument
    start: IntArray  # (N+1,) offsets in the ragged arrays (after the padding)
    sess_rows: IntArray  # ragged: row of each session
    rec: FloatArray  # ragged (L, 2 or 3): row, y (returns or returns - market), x (market)
    x_shared: FloatArray | None  # (T, K) shared regressors (factor model)
    before: npt.NDArray[np.int32]  # (T+1, N) sessions strictly before each row
    cy: FloatArray  # (N,) centring constants
    cx: FloatArray  # (N, K)
    csum: FloatArray  # (T+1, N, S) prefix sums
    tri: list[tuple[int, int]]


def _ragged(values: FloatArray, have_t: npt.NDArray[np.bool_], pad: int, fill: float) -> Any:
    """Values (T, N) at the sessions, instrument by instrument, padded at both ends."""
    body = np.ascontiguousarray(values.T)[have_t]
    return np.concatenate([np.full(pad, fill, body.dtype), body, np.full(pad, fill, body.dtype)])


def _build_panel(
    r: FloatArray,
    x_inst: FloatArray | None,
    x_shared: FloatArray | None,
    market_adjusted: bool,
    pad: int,
) -> _Panel:
    t, n = r.shape
    have = ~np.isnan(r)
    have_t = np.ascontiguousarray(have.T)
    cnt = have_t.sum(axis=1).astype(np.int64)
    start = np.full(n + 1, pad, dtype=np.int64)
    np.cumsum(cnt, out=start[1:])
    start[1:] += pad
    rows_grid = np.broadcast_to(np.arange(t, dtype=np.int64)[:, None], (t, n))
    sess_rows = _ragged(rows_grid, have_t, pad, -1)
    before = np.zeros((t + 1, n), dtype=np.int32)
    np.cumsum(have, axis=0, out=before[1:])
    y = r
    k_reg = 0
    if market_adjusted:
        assert x_inst is not None
        y = r - x_inst
        valid = ~np.isnan(y)
        x_inst = None
    elif x_inst is not None:
        k_reg = 1
        valid = have & ~np.isnan(x_inst)
    elif x_shared is not None:
        k_reg = x_shared.shape[1]
        valid = have & ~np.isnan(x_shared).any(axis=1)[:, None]
    else:
        valid = have
    # one record per session, so an event window is one contiguous block of memory
    rec = np.full((sess_rows.shape[0], 2 if x_inst is None else 3), np.nan)
    rec[:, 0] = sess_rows
    body_rows = slice(pad, sess_rows.shape[0] - pad)
    rec[body_rows, 1] = np.ascontiguousarray(y.T)[have_t]
    if x_inst is not None:
        rec[body_rows, 2] = np.ascontiguousarray(x_inst.T)[have_t]
    tri = [(a, b) for a in range(k_reg) for b in range(a, k_reg)]
    s = 3 + 2 * k_reg + len(tri)
    csum = np.zeros((t + 1, n, s))
    body = csum[1:]
    body[:, :, 0] = valid
    den = np.maximum(valid.sum(axis=0), 1)
    yv = body[:, :, 1]
    cy = np.add.reduce(y, axis=0, where=valid, initial=0.0) / den
    np.subtract(y, cy, out=yv, where=valid)
    np.multiply(yv, yv, out=body[:, :, 2])
    cx = np.zeros((n, k_reg))
    for j in range(k_reg):
        xj = x_inst if x_inst is not None else x_shared[:, j : j + 1]  # type: ignore[index]
        xj = np.broadcast_to(xj, (t, n))
        xv = body[:, :, 3 + j]
        cx[:, j] = np.add.reduce(xj, axis=0, where=valid, initial=0.0) / den
        np.subtract(xj, cx[:, j], out=xv, where=valid)
        np.multiply(xv, yv, out=body[:, :, 3 + k_reg + j])
    for j, (a, b) in enumerate(tri):
        np.multiply(body[:, :, 3 + a], body[:, :, 3 + b], out=body[:, :, 3 + 2 * k_reg + j])
    # running sums row by row: each row is one contiguous block of N * S values
    flat = csum.reshape(t + 1, n * s)
    for row in range(1, t + 1):
        np.add(flat[row], flat[row - 1], out=flat[row])
    return _Panel(n, k_reg, pad, cnt, start, sess_rows, rec, x_shared, before, cy, cx, csum, tri)


@dataclass
class _Out:
    status: npt.NDArray[np.int8]
    n_est: IntArray
    n_dropped: IntArray
    est_truncated: npt.NDArray[np.bool_]
    n_event_no_session: IntArray
    n_event_nan_regressor: IntArray
    df: IntArray
    alpha: FloatArray
    beta: FloatArray
    s2: FloatArray
    rows: npt.NDArray[np.int32]
    ar: FloatArray
    ar_se: FloatArray
    ar_t: FloatArray
    ar_p: FloatArray
    car: FloatArray
    car_se: FloatArray
    car_t: FloatArray
    car_p: FloatArray
    timings: dict[str, float]


_SINGULAR_REL = 1e-10  # centred sum of squares below this share of the raw one: no variation
_SINGULAR_DET = 1e-12  # determinant of the regressors' correlation matrix: collinear


def _chunk(
    pn: _Panel,
    out: _Out,
    sl: slice,
    inst: IntArray,
    day0: IntArray,
    *,
    model: str,
    estimation: Window,
    event_window: Window,
    car_windows: tuple[Window, ...],
    min_obs: int,
    ddof: int,
    k_par: int,
    prediction_error: bool,
    truncate: bool,
) -> dict[str, float]:
    tm: dict[str, float] = {}
    t0 = time.perf_counter()
    kk = pn.k_reg
    i = inst[sl]
    d = day0[sl]
    m = i.shape[0]
    cnt = pn.cnt[i]
    p0 = pn.before[d, i].astype(np.int64)
    status = np.zeros(m, dtype=np.int8)
    no_day0 = p0 >= cnt
    status[no_day0] = PairStatus.NO_SESSION
    a, b = estimation
    lo = p0 + a
    hi1 = p0 + b + 1
    trunc = ((lo < 0) | (hi1 > cnt)) & ~no_day0
    lo = np.clip(lo, 0, cnt)
    hi1 = np.where(no_day0, lo, np.clip(hi1, lo, cnt))
    nonempty = hi1 > lo
    first = pn.start[i]
    row_lo = np.where(nonempty, pn.sess_rows[first + lo], 0)
    row_hi = np.where(nonempty, pn.sess_rows[first + hi1 - 1] + 1, 0)
    cf = pn.csum.reshape(-1, pn.csum.shape[2])
    sums = cf.take(row_hi * pn.n_inst + i, axis=0)
    sums -= cf.take(row_lo * pn.n_inst + i, axis=0)
    nobs = np.rint(sums[:, 0]).astype(np.int64)
    n_dropped = (hi1 - lo) - nobs
    need = max(min_obs, k_par + 1, ddof + 1)
    too_few = (nobs < need) & (status == PairStatus.OK)
    if not truncate:
        too_few |= trunc & (status == PairStatus.OK)
    status[too_few] = PairStatus.TOO_FEW_OBS
    tm["assemble"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    with np.errstate(invalid="ignore", divide="ignore"):
        nf = nobs.astype(np.float64)
        inv_n = 1.0 / nf
        sy = sums[:, 1]
        ybar = sy * inv_n
        syy = sums[:, 2] - sy * ybar
        if kk == 0:
            beta = np.zeros((m, 0))
            ssr = syy
            xbar = np.zeros((m, 0))
            sinv = np.zeros((m, 0, 0))
        else:
            sx = sums[:, 3 : 3 + kk]
            xbar = sx * inv_n[:, None]
            sxy = sums[:, 3 + kk : 3 + 2 * kk] - sx * ybar[:, None]
            sxx_raw = np.empty((m, kk, kk))
            for j, (p, q) in enumerate(pn.tri):
                sxx_raw[:, p, q] = sums[:, 3 + 2 * kk + j]
                sxx_raw[:, q, p] = sums[:, 3 + 2 * kk + j]
            sxx = sxx_raw - sx[:, :, None] * xbar[:, None, :]
            diag = np.diagonal(sxx, axis1=1, axis2=2)
            diag_raw = np.diagonal(sxx_raw, axis1=1, axis2=2)
            sing = ~(diag > _SINGULAR_REL * diag_raw).all(axis=1)
            if kk > 1:
                sd = np.sqrt(np.where(diag > 0, diag, 1.0))
                corr = sxx / (sd[:, :, None] * sd[:, None, :])
                det = np.linalg.det(np.where(sing[:, None, None], np.eye(kk), corr))
                sing |= ~(det >= _SINGULAR_DET)
            sing &= status == PairStatus.OK
            status[sing] = PairStatus.SINGULAR
            bad = status != PairStatus.OK
            if kk == 1:
                s11 = np.where(bad, 1.0, sxx[:, 0, 0])
                sinv = (1.0 / s11)[:, None, None]
                beta = sxy * sinv[:, :, 0]
            else:
                safe = np.where(bad[:, None, None], np.eye(kk), sxx)
                sinv = np.linalg.inv(safe)
                beta = np.linalg.solve(safe, sxy[:, :, None])[:, :, 0]
            ssr = syy - np.einsum("pk,pk->p", beta, sxy)
        ssr = np.maximum(ssr, 0.0)
        bad = status != PairStatus.OK
        s2 = ssr / (nf - ddof)
        s2[bad] = np.nan
        if model == "market_adjusted":
            alpha = np.where(bad, np.nan, 0.0)
            beta_out = np.where(bad[:, None], np.nan, np.ones((m, 1)))
        else:
            alpha = (ybar + pn.cy[i]) - np.einsum("pk,pk->p", beta, xbar + pn.cx[i])
            alpha[bad] = np.nan
            beta_out = np.where(bad[:, None], np.nan, beta)
    tm["estimate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    e0, e1 = event_window
    rel = np.arange(e0, e1 + 1)
    w = rel.shape[0]
    ok_pair = status == PairStatus.OK
    # positions p0 + e0 .. p0 + e1 are one contiguous block of the ragged session records
    win0 = first + p0 + e0
    block = sliding_window_view(pn.rec, w, axis=0)[win0]  # (m, 2 or 3, W)
    rows = block[:, 0, :].astype(np.int64)
    ar = out.ar[sl]
    # pairs whose window runs off the instrument's sessions (rare): mask those days
    edge = np.flatnonzero((p0 + e0 < 0) | (p0 + e1 >= cnt) | no_day0)
    no_session = np.zeros(m, dtype=np.int64)
    inside_e = (rel[None, :] >= -p0[edge, None]) & (rel[None, :] < (cnt - p0)[edge, None])
    inside_e[no_day0[edge]] = False
    no_session[edge] = (~inside_e).sum(axis=1)
    rows[edge] = np.where(inside_e, rows[edge], -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if model == "market_adjusted":
            np.copyto(ar, block[:, 1, :])
        else:
            np.subtract(block[:, 1, :], (ybar + pn.cy[i])[:, None], out=ar)
        ar[edge] = np.where(inside_e, ar[edge], np.nan)
        # AR = (y - ybar) - beta'(x - xbar), in the instrument's centred coordinates
        dx1 = None  # the one regressor of the market model, (m, W)
        dx = np.zeros((m, w, 0))  # K regressors, (m, W, K)
        if model != "market_adjusted" and kk:
            if block.shape[1] == 3:
                dx1 = block[:, 2, :] - (xbar[:, 0] + pn.cx[i, 0])[:, None]
                ar -= dx1 * beta[:, :1]
            else:
                assert pn.x_shared is not None
                dx = pn.x_shared[np.maximum(rows, 0)] - (xbar + pn.cx[i])[:, None, :]
                ar -= np.einsum("pwk,pk->pw", dx, beta)
        # Var(AR) = s2 (1 + x0'(X'X)^-1 x0) = s2 (1 + 1/n + dx' Sxx^-1 dx)
        se = out.ar_se[sl]
        if model == "market_adjusted" or not prediction_error:
            se[:] = s2[:, None]
        elif kk == 0:
            se[:] = (s2 * (1.0 + inv_n))[:, None]
        elif dx1 is not None:
            np.multiply(dx1, dx1, out=se)
            se *= (s2 * sinv[:, 0, 0])[:, None]
            se += (s2 * (1.0 + inv_n))[:, None]
        else:
            h = np.einsum("pwk,pkl,pwl->pw", dx, sinv, dx)
            h += (1.0 + inv_n)[:, None]
            np.multiply(h, s2[:, None], out=se)
        ar[~ok_pair] = np.nan
        ar_missing = np.isnan(ar)
        nan_reg = ar_missing.sum(axis=1) - no_session
        no_session[~ok_pair] = 0
        nan_reg[~ok_pair] = 0
        se[ar_missing] = np.nan  # no AR (no session, NaN regressor): no standard error
        np.sqrt(se, out=se)
        np.divide(ar, se, out=out.ar_t[sl])
        # CARs
        car = out.car[sl]
        var_car = out.car_se[sl]
        for c, (ca, cb) in enumerate(car_windows):
            cols = slice(ca - e0, cb - e0 + 1)
            length = float(cb - ca + 1)
            car[:, c] = ar[:, cols].sum(axis=1)
            if not prediction_error or model == "market_adjusted":
                var_car[:, c] = s2 * length
            else:
                extra = length * length * inv_n
                if dx1 is not None:
                    dsum1 = dx1[:, cols].sum(axis=1)
                    extra = extra + dsum1 * dsum1 * sinv[:, 0, 0]
                elif kk:
                    dsum = dx[:, cols, :].sum(axis=1)
                    extra = extra + np.einsum("pk,pkl,pl->p", dsum, sinv, dsum)
                var_car[:, c] = s2 * (length + extra)
        var_car[np.isnan(car)] = np.nan
        np.sqrt(var_car, out=var_car)
        np.divide(car, var_car, out=out.car_t[sl])
    tm["event"] = time.perf_counter() - t0

    out.status[sl] = status
    out.n_est[sl] = nobs
    out.n_dropped[sl] = n_dropped
    out.est_truncated[sl] = trunc
    out.n_event_no_session[sl] = no_session
    out.n_event_nan_regressor[sl] = nan_reg
    out.df[sl] = np.where(ok_pair, nobs - k_par, 0)
    out.alpha[sl] = alpha
    out.beta[sl] = beta_out
    out.s2[sl] = s2
    out.rows[sl] = rows
    return tm


def fast_event_study(
    returns: npt.ArrayLike,
    market: npt.ArrayLike | None,
    market_idx: npt.ArrayLike | None,
    factors: npt.ArrayLike | None,
    instrument_idx: npt.ArrayLike,
    day0: npt.ArrayLike,
    *,
    model: str,
    estimation: Sequence[int] = (-250, -11),
    event_window: Sequence[int] = (-5, 5),
    car_windows: Sequence[Sequence[int]] = ((-1, 1), (0, 0), (0, 5)),
    min_obs: int = 100,
    prediction_error: bool = True,
    ddof: int | None = None,
    truncate_estimation: bool = True,
    groups: npt.ArrayLike | pd.Categorical | None = None,
    tests: bool = True,
    chunk_size: int = 32_768,
    workers: int = 1,
    exact_p: bool = False,
) -> FastResult:
    r"""Abnormal returns, CARs, their standard errors and tests for many pairs at once.

    See the module docstring for the window convention, the models and the formulas.

    Parameters
    ----------
    returns : (T, N) float
        Returns on a common date index; NaN where the instrument has no session. Not modified.
    market : (T,) or (T, M) float, optional
        Benchmark returns (``market`` and ``market_adjusted`` models). NaN = no observation.
    market_idx : (N,) int, optional
        Column of ``market`` used by each instrument (default: column 0 for all).
    factors : (T, K) float, optional
        Shared regressors of the ``factor`` model (the intercept is added).
    instrument_idx, day0 : (P,) int
        The pairs: instrument column and day-0 row (first row on or after the event date; the
        kernel rolls forward to the instrument's own next session).
    model : str
        ``constant_mean``, ``market_adjusted``, ``market`` or ``factor`` (or an alias; see
        :data:`FAST_MODELS`).
    estimation, event_window : (int, int)
        Inclusive windows in the instrument's trading days relative to day 0.
    car_windows : sequence of (int, int)
        CAR windows; each must lie inside ``event_window``.
    min_obs : int
        Minimum complete-case estimation observations; pairs below get
        :attr:`PairStatus.TOO_FEW_OBS` and NaN results.
    prediction_error : bool
        Include the parameter-estimation term in the AR/CAR variances (default) or use
        :math:`s^2` and :math:`L s^2`.
    ddof : int, optional
        Residual variance divisor ``n - ddof``; default ``k`` (1 for constant mean and
        market-adjusted, 2 for the market model, ``K + 1`` for factor models). ``1`` is the
        estudy2 convention.
    truncate_estimation : bool
        Allow an estimation window that reaches beyond the instrument's sessions (it is cut
        and flagged in ``est_truncated``); if False such pairs get ``TOO_FEW_OBS``.
    groups : (P,) pd.Categorical or int, optional
        Groups for the cross-sectional tests (e.g. the event of each pair); None pools all
        pairs. See :func:`cross_sectional_tests`.
    tests : bool
        Compute :func:`cross_sectional_tests` into ``result.tests``.
    chunk_size : int
        Pairs per chunk (memory for temporaries is proportional to it).
    workers : int
        Threads working on chunks in parallel (numpy releases the GIL in its loops).
    exact_p : bool
        Compute every p-value with ``scipy.special.stdtr``. By default, when there are many
        values per distinct df, p-values come from an interpolation table with relative error
        below 1e-10 (see ``_TTable``), several times faster.

    Returns
    -------
    FastResult

    Raises
    ------
    FastPathError
        Unknown model, malformed windows, missing or misshapen regressors, pairs that point
        outside the panel.

    Notes
    -----
    Matches ``statsmodels.OLS(y, X).fit()`` on each pair's complete-case estimation rows:
    ``params``; ``scale`` (``ddof = k``); ``get_prediction(x0).se_obs`` for the AR standard
    error (``sqrt(scale)`` without the prediction-error term); the CAR variance is the sum of
    ``X0 cov_params X0' + scale I``; t and p use ``df_resid``. Tested to 1e-9 relative.
    """
    t_start = time.perf_counter()
    name = _resolve_model(model)
    est = _window("estimation", estimation)
    evw = _window("event_window", event_window)
    cws = tuple(_window("car_windows", c) for c in car_windows)
    for c in cws:
        if c[0] < evw[0] or c[1] > evw[1]:
            raise FastPathError(
                f"car_windows: {c} is not inside event_window {evw}; widen the event window"
            )
    if int(min_obs) < 1:
        raise FastPathError(f"min_obs={min_obs!r}: expected a positive integer")
    if int(chunk_size) < 1 or int(workers) < 1:
        raise FastPathError("chunk_size and workers must be positive integers")
    r = np.asarray(returns, dtype=np.float64)
    if r.ndim != 2:
        raise FastPathError(f"returns: expected a 2-D (dates x instruments) array, got {r.shape}")
    t_rows, n_inst = r.shape
    inst = np.asarray(instrument_idx)
    d0 = np.asarray(day0)
    for label, arr in (("instrument_idx", inst), ("day0", d0)):
        if arr.ndim != 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
            raise FastPathError(
                f"{label}: expected a 1-D integer array, got {arr.dtype}{arr.shape}"
            )
    if inst.shape != d0.shape:
        raise FastPathError(f"instrument_idx has {inst.shape[0]} pairs but day0 has {d0.shape[0]}")
    inst = inst.astype(np.int64)
    d0 = d0.astype(np.int64)
    if inst.size:
        bad_i = np.flatnonzero((inst < 0) | (inst >= n_inst))
        if bad_i.size:
            raise FastPathError(
                f"instrument_idx[{bad_i[0]}] = {inst[bad_i[0]]} is outside 0..{n_inst - 1}"
            )
        bad_d = np.flatnonzero((d0 < 0) | (d0 >= t_rows))
        if bad_d.size:
            raise FastPathError(
                f"day0[{bad_d[0]}] = {d0[bad_d[0]]} is outside the date index 0..{t_rows - 1}; "
                "events after the last date have no day 0 (report them before calling)"
            )

    x_inst: FloatArray | None = None
    x_shared: FloatArray | None = None
    k_reg = 0
    if name in ("market", "market_adjusted"):
        if market is None:
            raise FastPathError(f"model={name!r} needs market returns (market=...)")
        mk = np.asarray(market, dtype=np.float64)
        if mk.ndim == 1:
            mk = mk[:, None]
        if mk.ndim != 2 or mk.shape[0] != t_rows:
            raise FastPathError(f"market: expected ({t_rows},) or ({t_rows}, M), got {mk.shape}")
        if market_idx is None:
            if mk.shape[1] != 1:
                raise FastPathError(
                    f"market has {mk.shape[1]} columns: pass market_idx (the column per instrument)"
                )
            midx = np.zeros(n_inst, dtype=np.int64)
        else:
            midx = np.asarray(market_idx)
            if midx.shape != (n_inst,) or not np.issubdtype(midx.dtype, np.integer):
                raise FastPathError(
                    f"market_idx: expected {n_inst} integer column numbers, got "
                    f"{midx.dtype}{midx.shape}"
                )
            if midx.size and (midx.min() < 0 or midx.max() >= mk.shape[1]):
                raise FastPathError(f"market_idx: values must lie in 0..{mk.shape[1] - 1}")
            midx = midx.astype(np.int64)

        x_inst = mk[:, midx]
        k_reg = 1 if name == "market" else 0
    elif name == "factor":
        if factors is None:
            raise FastPathError("model='factor' needs factors=(T, K) regressors")
        fk = np.asarray(factors, dtype=np.float64)
        if fk.ndim == 1:
            fk = fk[:, None]
        if fk.ndim != 2 or fk.shape[0] != t_rows or fk.shape[1] < 1:
            raise FastPathError(f"factors: expected ({t_rows}, K), got {fk.shape}")

        x_shared = fk
        k_reg = fk.shape[1]

    k_par = k_reg + 1
    dd = (k_par if name != "market_adjusted" else 1) if ddof is None else int(ddof)
    if dd < 0:
        raise FastPathError(f"ddof={ddof!r}: expected a non-negative integer")

    pad = max(abs(evw[0]), abs(evw[1])) + 1
    pn = _build_panel(r, x_inst, x_shared, name == "market_adjusted", pad)
    t_prep = time.perf_counter() - t_start

    p = inst.shape[0]
    w = evw[1] - evw[0] + 1
    nc = len(cws)
    kb = 1 if name == "market_adjusted" else k_reg
    out = _Out(
        status=np.zeros(p, np.int8),
        n_est=np.zeros(p, np.int64),
        n_dropped=np.zeros(p, np.int64),
        est_truncated=np.zeros(p, bool),
        n_event_no_session=np.zeros(p, np.int64),
        n_event_nan_regressor=np.zeros(p, np.int64),
        df=np.zeros(p, np.int64),
        alpha=np.empty(p),
        beta=np.empty((p, kb)),
        s2=np.empty(p),
        rows=np.empty((p, w), np.int32),
        ar=np.empty((p, w)),
        ar_se=np.empty((p, w)),
        ar_t=np.empty((p, w)),
        ar_p=np.empty((p, w)),
        car=np.empty((p, nc)),
        car_se=np.empty((p, nc)),
        car_t=np.empty((p, nc)),
        car_p=np.empty((p, nc)),
        timings={},
    )
    kw = dict(
        model=name,
        estimation=est,
        event_window=evw,
        car_windows=cws,
        min_obs=int(min_obs),
        ddof=dd,
        k_par=k_par,
        prediction_error=bool(prediction_error),
        truncate=bool(truncate_estimation),
    )
    size = int(chunk_size)
    slices = [slice(s, min(s + size, p)) for s in range(0, p, size)]
    stage: dict[str, float] = {"prepare": t_prep}
    if int(workers) > 1 and len(slices) > 1:
        with ThreadPoolExecutor(max_workers=int(workers)) as pool:
            tms = list(pool.map(lambda s: _chunk(pn, out, s, inst, d0, **kw), slices))
    else:
        tms = [_chunk(pn, out, s, inst, d0, **kw) for s in slices]
    for tm in tms:
        for key, val in tm.items():
            stage[key] = stage.get(key, 0.0) + val
    if int(workers) > 1 and len(slices) > 1:
        # chunk stage times overlap across threads; report them per thread
        for key in ("assemble", "estimate", "event"):
            if key in stage:
                stage[key] /= min(int(workers), len(slices))

    t0 = time.perf_counter()
    dfs = out.df.astype(np.float64)
    table = None
    if not exact_p:
        table = _TTable.for_values(out.df[out.status == PairStatus.OK], w + nc)

    def pvalues(sl: slice) -> None:
        if table is None:
            out.ar_p[sl] = _t_p(out.ar_t[sl], dfs[sl, None])
            out.car_p[sl] = _t_p(out.car_t[sl], dfs[sl, None])
        else:
            table(out.ar_t[sl], out.df[sl], out.ar_p[sl])
            table(out.car_t[sl], out.df[sl], out.car_p[sl])

    if int(workers) > 1 and len(slices) > 1:
        with ThreadPoolExecutor(max_workers=int(workers)) as pool:
            list(pool.map(pvalues, slices))
    else:
        for sl in slices:
            pvalues(sl)
    stage["pvalues"] = time.perf_counter() - t0

    arrays = {k: v for k, v in vars(out).items() if k != "timings"}
    for v in arrays.values():
        v.flags.writeable = False
    rel_days = np.arange(evw[0], evw[1] + 1)
    rel_days.flags.writeable = False
    inst.flags.writeable = False
    d0.flags.writeable = False
    res = FastResult(
        model=name,
        estimation=est,
        event_window=evw,
        car_windows=cws,
        prediction_error=bool(prediction_error),
        ddof=dd,
        min_obs=int(min_obs),
        rel_days=rel_days,
        instrument_idx=inst,
        day0=d0,
        timings=stage,
        **arrays,
    )
    if tests:
        t0 = time.perf_counter()
        res = dataclasses.replace(res, tests=cross_sectional_tests(res, groups))
        stage["tests"] = time.perf_counter() - t0
    stage["total"] = time.perf_counter() - t_start
    return res
