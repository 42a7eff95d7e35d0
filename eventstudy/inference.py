"""Test statistics for event studies, each a small function with its reference.

Every test takes an :class:`ARPanel` (the abnormal returns of ``N`` event-instrument pairs on
``T`` event days, their estimation-window abnormal returns, residual standard deviations and
prediction-error leverages) and ``days``, the positions of the event days tested. With one
day the daily statistic is returned; with several, the cumulative (CAR) version named in the
docstring. Each returns a frozen :class:`TestResult`; a test that cannot be applied returns a
record whose ``reason`` says why (its statistic is NaN).

Conventions on which references disagree are fields of :class:`Conventions`; their defaults
reproduce the estudy2 reference output (``../shared/data/oracles/estudy2``) to better than
1e-6 relative for every daily column and the three printed window statistics.

Notation: ``AR[t, i]`` abnormal return of pair ``i`` on event day ``t``; ``L_i`` its number of
estimation observations; ``s_i`` its residual standard deviation; ``h[t, i]`` its leverage, so
that the prediction-error variance is ``s_i**2 * (1 + h[t, i])``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse, special, stats

from eventstudy.errors import EventStudyError

__all__ = [
    "CONVENTIONS",
    "TESTS",
    "ARPanel",
    "Conventions",
    "DummyRegressionResult",
    "TestInfo",
    "TestResult",
    "bmp",
    "bootstrap",
    "brown_warner_1980",
    "brown_warner_1985",
    "corrado_rank",
    "corrado_zivney_sign",
    "cross_sectional_t",
    "dummy_regression",
    "generalized_rank",
    "generalized_sign",
    "kolari_pynnonen_bmp",
    "kolari_pynnonen_patell",
    "lamb",
    "modified_rank",
    "patell",
    "resolve_test",
    "sign_test",
    "wilcoxon_signed_rank",
]


class UnknownTestError(EventStudyError, KeyError):
    """A test name that is not in :data:`TESTS`."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


# --------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class TestResult:
    """One test statistic, as a read-only record.

    Attributes
    ----------
    name : canonical test name (a key of :data:`TESTS`).
    statistic, pvalue : the statistic and its two-sided p-value (NaN when not applicable).
    distribution : the null distribution used for the p-value ("N(0,1)", "t", ...).
    df : degrees of freedom where the distribution has them, else None.
    null : the null hypothesis in words.
    reference : the publication the statistic follows.
    reason : None when the test applied; otherwise why it could not be computed.
    nobs : number of pairs (instruments x events) that entered the statistic.
    note : None, or how the statistic departs from its exact definition (e.g. the
        Kolari-Pynnonen tests when :math:`\bar r` comes from a sample of the pairs, see
        :attr:`Conventions.cross_correlation_max_pairs`).
    """

    __test__ = False  # not a pytest test class

    name: str
    statistic: float
    pvalue: float
    distribution: str
    df: float | None
    null: str
    reference: str
    reason: str | None = None
    nobs: int = 0
    note: str | None = None

    @property
    def applicable(self) -> bool:
        return self.reason is None

    def __str__(self) -> str:
        if self.reason is not None:
            return f"{self.name}: not applicable ({self.reason})"
        df = f", df={self.df:g}" if self.df is not None else ""
        note = f"; {self.note}" if self.note else ""
        return (
            f"{self.name}: statistic={self.statistic:.6g}, p={self.pvalue:.4g} "
            f"[{self.distribution}{df}; H0: {self.null}{note}]"
        )


#: Default :attr:`Conventions.cross_correlation_max_pairs`: exact up to N = 10,000 pairs.
CROSS_CORRELATION_MAX_PAIRS = 50_000_000


@dataclass(frozen=True)
class Conventions:
    """Choices on which the event-study literature (and its software) disagrees.

    Defaults reproduce estudy2 (tested to 1e-6 relative on its introduction example).

    Parameters
    ----------
    sigma_ddof : int or "df_resid", default 1
        Residual standard deviation ``s_i``: the sample standard deviation of the estimation
        abnormal returns with this ``ddof`` (estudy2: 1), or ``"df_resid"`` for
        ``sqrt(SSR / (L_i - k))`` (statsmodels' ``scale``; Campbell, Lo and MacKinlay 1997).
    prediction_correction : bool, default True
        Whether Patell, BMP and their Kolari-Pynnonen versions standardise by the
        prediction-error standard deviation ``s_i sqrt(1 + h)`` (Patell 1976) or by ``s_i``.
    market_mean : {"window", "own"}, default "window"
        Which dates the regressor mean and sum of squares in the leverage
        ``h = 1/L_i + (m_t - mbar)^2 / sum (m - mbar)^2`` use: every date of the estimation
        window on which the regressor has a value ("window", estudy2), or only the pair's own
        estimation observations ("own", which is the exact OLS leverage).
    missing_sums : {"scale", "available"}, default "scale"
        Cross-sectional sums on days when some pairs have no abnormal return (rank and sign
        tests): "scale" uses ``N * mean`` over the available pairs (estudy2), "available"
        the plain sum over available pairs.
    cross_correlation_max_pairs : int or None, default 50_000_000
        The Kolari-Pynnonen average cross-correlation :math:`\bar r`
        (:func:`average_cross_correlation`) is exact, over all ``N (N - 1) / 2`` pairs of
        pairs, while there are at most this many (``N <= 10,000`` by default; ~1 s at
        ``N = 10,000`` and 240 estimation days, growing as ``N**2``). Above it, it is the
        exact mean over the pairs of ``k`` columns drawn at random with a fixed seed, ``k``
        the largest with ``k (k - 1) / 2 <= cross_correlation_max_pairs``; the tests then
        say so in :attr:`TestResult.note`. None: always exact.
    """

    sigma_ddof: int | Literal["df_resid"] = 1
    prediction_correction: bool = True
    market_mean: Literal["window", "own"] = "window"
    missing_sums: Literal["scale", "available"] = "scale"
    cross_correlation_max_pairs: int | None = CROSS_CORRELATION_MAX_PAIRS

    def __post_init__(self) -> None:
        if not (self.sigma_ddof == "df_resid" or isinstance(self.sigma_ddof, int)):
            raise ValueError(f"sigma_ddof must be an int or 'df_resid', got {self.sigma_ddof!r}")
        if self.market_mean not in ("window", "own"):
            raise ValueError(f"market_mean must be 'window' or 'own', got {self.market_mean!r}")
        if self.missing_sums not in ("scale", "available"):
            raise ValueError(
                f"missing_sums must be 'scale' or 'available', got {self.missing_sums!r}"
            )
        mp = self.cross_correlation_max_pairs
        if mp is not None and (
            isinstance(mp, bool) or not isinstance(mp, int | np.integer) or mp < 1
        ):
            raise ValueError(f"cross_correlation_max_pairs must be None or >= 1, got {mp!r}")


#: Description of each convention, shown in summaries.
CONVENTIONS: dict[str, str] = {
    "sigma_ddof": "residual sd divisor: sample sd with this ddof, or 'df_resid' (SSR/(L-k))",
    "prediction_correction": "Patell/BMP standardise by s*sqrt(1+h) (True) or by s (False)",
    "market_mean": "regressor mean/SS in h over the whole estimation window or own dates",
    "missing_sums": "cross-sectional sums with missing pairs: N*mean ('scale') or plain sum",
    "cross_correlation_max_pairs": "Kolari-Pynnonen rbar exact up to this many pairs of pairs, "
    "else over a fixed-seed sample of pairs (None: always exact)",
}


@dataclass(frozen=True)
class ARPanel:
    """Abnormal returns of ``N`` pairs, the input of every test.

    Parameters
    ----------
    event : (T, N) abnormal returns on the event days (rows = relative days), NaN if missing.
    estimation : (L, N) estimation-window abnormal returns, rows aligned by relative day
        (in calendar mode, by date), NaN where a pair has no observation.
    sigma : (N,) residual standard deviations (per :attr:`Conventions.sigma_ddof`).
    nobs : (N,) estimation observations ``L_i``.
    leverage : (T, N) ``h[t, i]`` per :attr:`Conventions.market_mean` (0 for models with no
        estimated parameters).
    market_leverage : (T, N) the regressor part of ``h`` (without ``1/L_i``), used by Lamb.
    conventions : the :class:`Conventions` in force.
    rel_days : (T,) relative day of each event row.
    overlap : True when some pair's estimation window overlaps its event window (the rank
        and sign tests that pool both then do not apply).
    """

    event: np.ndarray
    estimation: np.ndarray
    sigma: np.ndarray
    nobs: np.ndarray
    leverage: np.ndarray
    market_leverage: np.ndarray
    conventions: Conventions = field(default_factory=Conventions)
    rel_days: np.ndarray | None = None
    overlap: bool = False

    @property
    def n_pairs(self) -> int:
        return int(self.event.shape[1])

    def standardized(self, correction: bool | None = None) -> np.ndarray:
        """(T, N) standardized abnormal returns ``AR / (s sqrt(1 + h))`` (or ``AR / s``)."""
        corr = self.conventions.prediction_correction if correction is None else correction
        scale = self.sigma[None, :] * (np.sqrt(1.0 + self.leverage) if corr else 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.event / scale

    @cached_property
    def _full(self) -> np.ndarray:
        return np.vstack([self.estimation, self.event])

    def full(self) -> np.ndarray:
        """(L + T, N) estimation rows followed by event rows."""
        return self._full

    @cached_property
    def full_ranks(self) -> np.ndarray:
        """(L + T, N) average ranks of :meth:`full` within each pair (NaN kept)."""
        return _ranks(self._full)

    @cached_property
    def rbar(self) -> float:
        """Average cross-correlation of estimation abnormal returns (Kolari-Pynnonen), exact
        or sampled per :attr:`Conventions.cross_correlation_max_pairs`."""
        return average_cross_correlation(
            self, max_pairs=self.conventions.cross_correlation_max_pairs
        )

    # Day-independent parts of the tests, computed once per panel (a daily table calls every
    # test once per event day). Each is the test's own code, moved here unchanged.

    @cached_property
    def _estimation_aar_sd(self) -> float | None:
        """sd (ddof=1) of the daily mean estimation abnormal return (Brown-Warner 1985,
        Lamb); None with fewer than two estimation days."""
        est_aar = _nanmean_rows(self.estimation)
        est_aar = est_aar[~np.isnan(est_aar)]
        return float(np.std(est_aar, ddof=1)) if est_aar.size >= 2 else None

    @cached_property
    def _positive_share(self) -> float | None:
        """Pooled share of positive estimation abnormal returns (generalized sign test)."""
        est = self.estimation[~np.isnan(self.estimation)]
        return float(np.mean(est > 0)) if est.size else None

    @cached_property
    def _corrado_sign_scaled(self) -> tuple[np.ndarray, float]:
        return _corrado_sign_scaled(self)

    @cached_property
    def _rank_daily(self) -> tuple[np.ndarray, float]:
        return _rank_daily(self)

    @cached_property
    def _rank_window(self) -> tuple[float, float]:
        return _rank_window(self)

    @cached_property
    def _mrank_scaled(self) -> tuple[np.ndarray, float]:
        return _mrank_scaled(self)

    @cached_property
    def _grank_estimation(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """GRANK's estimation part: ``SAR = AR / s`` (L, N), its within-pair average ranks
        (NaN kept) and the number of non-missing values per pair."""
        sar = self.estimation / self.sigma[None, :]
        return sar, _ranks(sar), np.sum(~np.isnan(sar), axis=0)

    @cached_property
    def _sign_matrix(self) -> np.ndarray:
        """(L + T, N) Corrado-Zivney signs ``sign(AR_it - median_i)`` (NaN kept)."""
        full = self.full()
        med = np.median(full, axis=0) if not np.isnan(full).any() else _nanmedian_columns(full)
        return np.sign(full - med[None, :])

    def take_pairs(self, keep: np.ndarray) -> ARPanel:
        """The panel of the pairs where ``keep`` is True (a new panel; ``self`` if all).

        The parts already computed pair by pair (the stacked rows, the within-pair ranks, the
        GRANK estimation ranks, the Corrado-Zivney signs) are handed over as the kept columns
        -- the numbers the new panel would compute from them; everything that pools pairs
        (rbar, the daily rank and sign sums and their sds, pooled shares) is computed anew.
        """
        keep = np.asarray(keep, bool)
        if keep.all():
            return self
        sub = replace(
            self,
            event=self.event[:, keep],
            estimation=self.estimation[:, keep],
            sigma=self.sigma[keep],
            nobs=self.nobs[keep],
            leverage=self.leverage[:, keep],
            market_leverage=self.market_leverage[:, keep],
        )
        cache = self.__dict__
        if "_full" in cache:
            sub.__dict__["_full"] = _take_columns(cache["_full"], keep)
        # the rank and median code takes another branch without any NaN: carried over only
        # when the subset takes the same one (same numbers, same memory order)
        same = {
            "full_ranks": ("_full", lambda p: p.full()),
            "_sign_matrix": ("_full", lambda p: p.full()),
            "_grank_estimation": ("estimation", lambda p: p.estimation),
        }
        nan_in: dict[str, tuple[bool, bool]] = {}
        for name, (basis, get) in same.items():
            if name not in cache:
                continue
            if basis not in nan_in:
                nan_in[basis] = (bool(np.isnan(get(self)).any()), bool(np.isnan(get(sub)).any()))
            if nan_in[basis][0] != nan_in[basis][1]:
                continue
            v = cache[name]
            sub.__dict__[name] = (
                tuple(_take_columns(a, keep) for a in v)
                if isinstance(v, tuple)
                else _take_columns(v, keep)
            )
        return sub


# --------------------------------------------------------------------------------------
# helpers


def _take_columns(a: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The columns ``keep`` of ``a`` (last axis), in ``a``'s memory order (C or Fortran)."""
    out = a[..., keep]
    if a.ndim == 2 and a.flags.f_contiguous and not a.flags.c_contiguous:
        return np.asfortranarray(out)
    return np.ascontiguousarray(out)


_Z = "N(0,1)"


def _na(name: str, reason: str, nobs: int = 0) -> TestResult:
    info = TESTS[name]
    return TestResult(
        name, math.nan, math.nan, info.distribution, None, info.null, info.reference, reason, nobs
    )


def _norm(name: str, stat: float, nobs: int) -> TestResult:
    info = TESTS[name]
    if not np.isfinite(stat):
        return _na(name, "statistic is not finite (zero or missing variance)", nobs)
    p = math.erfc(abs(stat) / math.sqrt(2))
    return TestResult(name, float(stat), p, _Z, None, info.null, info.reference, None, nobs)


def _tdist(name: str, stat: float, df: float, nobs: int) -> TestResult:
    info = TESTS[name]
    if not np.isfinite(stat):
        return _na(name, "statistic is not finite (zero or missing variance)", nobs)
    if not df > 0:
        return _na(name, f"needs positive degrees of freedom, got {df:g}", nobs)
    p = float(2 * special.stdtr(df, -abs(stat)))
    return TestResult(name, float(stat), p, "t", float(df), info.null, info.reference, None, nobs)


def _days(panel: ARPanel, days: Sequence[int] | np.ndarray | int | None) -> np.ndarray:
    if days is None:
        return np.arange(panel.event.shape[0])
    arr = np.atleast_1d(np.asarray(days, dtype=int))
    if arr.size == 0:
        raise ValueError("days must name at least one event day")
    return arr


def _cs_sum(x: np.ndarray, conv: Conventions) -> np.ndarray:
    """Row-wise cross-sectional sum over available pairs, per ``missing_sums``."""
    n = np.sum(~np.isnan(x), axis=1)
    s = np.nansum(x, axis=1)
    if conv.missing_sums == "scale":
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where(n > 0, s / np.where(n > 0, n, 1) * x.shape[1], np.nan)
    else:
        s = np.where(n > 0, s, np.nan)
    return s


def _car(panel: ARPanel, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CAR per pair over ``days`` (NaN if any day missing) and the pair mask."""
    block = panel.event[days]
    car = block.sum(axis=0)  # NaN propagates: a CAR with a missing day is missing
    return car, ~np.isnan(car)


# --------------------------------------------------------------------------------------
# parametric tests


def brown_warner_1980(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Brown and Warner (1980) test with security-specific variances.

    .. math:: t = \frac{\sum_{t \in W} \overline{AR}_t}{\sqrt{|W|}\,\sqrt{\sum_i s_i^2}/N}

    where :math:`\overline{AR}_t` is the mean abnormal return over available pairs and
    :math:`s_i` the residual sd. Assumes cross-sectional independence. p-value from
    Student's t with ``mean(L) - 1`` degrees of freedom (estudy2). Matches estudy2
    ``brown_warner_1980`` to 1e-6.

    References
    ----------
    Brown, S. J. and Warner, J. B. (1980). Measuring security price performance. Journal of
    Financial Economics 8, 205-258.
    """
    d = _days(panel, days)
    aar = np.nanmean(panel.event[d], axis=1)
    sd = math.sqrt(np.nansum(panel.sigma**2)) / panel.n_pairs
    stat = aar.sum() / (math.sqrt(len(d)) * sd)
    return _tdist("bw_1980", stat, float(np.mean(panel.nobs)) - 1, panel.n_pairs)


def brown_warner_1985(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Brown and Warner (1985) "crude dependence adjustment" test.

    .. math:: t = \frac{\sum_{t \in W} \overline{AR}_t}{\sqrt{|W|}\; sd(\overline{AR}_\tau)}

    with the standard deviation (ddof=1) of the daily cross-sectional mean abnormal return
    over the estimation window, which absorbs cross-correlation. The multi-day version equals
    estudy2 ``car_brown_warner_1985`` (3.948093 on its example). p-value from Student's t with
    ``mean(L) - 1`` degrees of freedom.

    References
    ----------
    Brown, S. J. and Warner, J. B. (1985). Using daily stock returns: the case of event
    studies. Journal of Financial Economics 14, 3-31.
    """
    d = _days(panel, days)
    aar = np.nanmean(panel.event[d], axis=1)
    sd = panel._estimation_aar_sd
    if sd is None:
        return _na("bw_1985", "fewer than two estimation days with abnormal returns")
    stat = aar.sum() / (math.sqrt(len(d)) * sd)
    return _tdist("bw_1985", stat, float(np.mean(panel.nobs)) - 1, panel.n_pairs)


def _nanmean_rows(x: np.ndarray) -> np.ndarray:
    n = np.sum(~np.isnan(x), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.nansum(x, axis=1) / np.where(n > 0, n, 1), np.nan)


def cross_sectional_t(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Cross-sectional t test (Boehmer, Musumeci and Poulsen 1991, "ordinary" test).

    .. math:: t = \frac{\overline{CAR}}{sd(CAR_i)/\sqrt{N}}

    using the cross-sectional sd (ddof=1) of the pairs' CARs over ``days`` (one day: ARs).
    Robust to event-induced variance, not to cross-correlation. t with ``N - 1`` df.

    References
    ----------
    Boehmer, E., Musumeci, J. and Poulsen, A. B. (1991). Event-study methodology under
    conditions of event-induced variance. Journal of Financial Economics 30, 253-272.
    """
    d = _days(panel, days)
    car, ok = _car(panel, d)
    x = car[ok]
    if x.size < 2:
        return _na("t_test", f"needs at least two pairs with a CAR, got {x.size}", x.size)
    stat = x.mean() / (x.std(ddof=1) / math.sqrt(x.size))
    return _tdist("t_test", stat, x.size - 1, x.size)


def _csar(panel: ARPanel, d: np.ndarray) -> np.ndarray:
    """Cumulative standardized abnormal returns ``sum_t SAR_it / sqrt(|W|)``."""
    sar = panel.standardized()[d]
    return sar.sum(axis=0) / math.sqrt(len(d))


def patell(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Patell (1976) standardized residual test.

    .. math::
        SAR_{it} = \frac{AR_{it}}{s_i\sqrt{1 + h_{it}}},\quad
        CSAR_i = \frac{1}{\sqrt{|W|}}\sum_{t\in W} SAR_{it},\quad
        Z = \frac{\sum_i CSAR_i}{\sqrt{\sum_i (L_i - 2)/(L_i - 4)}}

    ``h`` per :attr:`Conventions.market_mean`; without
    :attr:`Conventions.prediction_correction` the ``sqrt(1 + h)`` factor is dropped.
    Standard normal. Matches estudy2 ``patell`` to 1e-6 (market mean over the window).

    References
    ----------
    Patell, J. M. (1976). Corporate forecasts of earnings per share and stock price behavior:
    empirical tests. Journal of Accounting Research 14, 246-276.
    """
    d = _days(panel, days)
    csar = _csar(panel, d)
    ok = ~np.isnan(csar)
    L = panel.nobs[ok].astype(float)
    if ok.sum() == 0:
        return _na("patell", "no pair has standardized abnormal returns on these days")
    if np.any(L <= 4):
        return _na("patell", "needs more than 4 estimation observations per pair", int(ok.sum()))
    if panel.conventions.missing_sums == "scale":
        total = np.nanmean(csar) * panel.n_pairs
        var = np.sum((panel.nobs - 2.0) / (panel.nobs - 4.0))
    else:
        total = csar[ok].sum()
        var = np.sum((L - 2) / (L - 4))
    return _norm("patell", total / math.sqrt(var), int(ok.sum()))


def bmp(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Boehmer, Musumeci and Poulsen (1991) standardized cross-sectional test.

    .. math:: t = \frac{\overline{CSAR}}{sd(CSAR_i)/\sqrt{N}}

    with Patell's standardized (cumulative) abnormal returns :math:`CSAR_i` (see
    :func:`patell`). Robust to event-induced variance. t with ``N - 1`` df. Matches estudy2
    ``boehmer`` to 1e-6.

    References
    ----------
    Boehmer, E., Musumeci, J. and Poulsen, A. B. (1991). Event-study methodology under
    conditions of event-induced variance. Journal of Financial Economics 30, 253-272.
    """
    d = _days(panel, days)
    x = _csar(panel, d)
    x = x[~np.isnan(x)]
    if x.size < 2:
        return _na("bmp", f"needs at least two pairs, got {x.size}", x.size)
    stat = x.mean() / (x.std(ddof=1) / math.sqrt(x.size))
    return _tdist("bmp", stat, x.size - 1, x.size)


#: Seed of the column sample of :func:`average_cross_correlation` (``max_pairs``).
CROSS_CORRELATION_SEED = 0
_CORR_BLOCK = 192  # columns per block of the pairwise correlations (~0.3 MB per array)
_CORR_RTOL = 1e-10  # a pair's variance at most this share of the column's is zero


def _correlation_sample_size(n: int, max_pairs: int | None) -> int | None:
    """Columns sampled by :func:`average_cross_correlation`: None for all ``n`` of them,
    else the largest ``k`` with ``k (k - 1) / 2 <= max_pairs``."""
    if max_pairs is None or n * (n - 1) // 2 <= max_pairs:
        return None
    return max((1 + math.isqrt(1 + 8 * int(max_pairs))) // 2, 2)


def average_cross_correlation(
    panel: ARPanel,
    min_overlap: int = 10,
    max_pairs: int | None = CROSS_CORRELATION_MAX_PAIRS,
    seed: int = CROSS_CORRELATION_SEED,
) -> float:
    """Mean pairwise correlation of estimation abnormal returns (rows aligned by day).

    Each pair's correlation is over the rows where both are observed (pandas'
    ``DataFrame(estimation).corr(min_periods=min_overlap)``, to ~1e-13); pairs with fewer
    than ``min_overlap`` common observations are skipped, and so are pairs whose common rows
    leave one of them constant (pandas: NaN). Without any missing value every pair enters
    (``min_overlap`` is not applied; ``np.corrcoef``). Used by the Kolari-Pynnonen (2010)
    adjustment.

    The computation is blocked (:func:`_pairwise_correlation_sum`): memory O(L N), time
    O(L N^2) (~1 s for N = 10,000 pairs and L = 240 days). With more than ``max_pairs``
    pairs of pairs (``N (N - 1) / 2``), the mean runs over the pairs among ``k`` columns
    drawn at random without replacement (``numpy.random.default_rng(seed)``), ``k`` the
    largest with ``k (k - 1) / 2 <= max_pairs``; ``max_pairs=None`` is always exact.
    :attr:`ARPanel.rbar` passes :attr:`Conventions.cross_correlation_max_pairs`.
    """
    x = panel.estimation
    n = x.shape[1]
    if n < 2:
        return math.nan
    k = _correlation_sample_size(n, max_pairs)
    if k is not None:
        cols = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
        x = x[:, cols]
    complete = bool(np.isfinite(x).all())
    total, count = _pairwise_correlation_sum(x, 0 if complete else min_overlap)
    return total / count if count else math.nan


def _pairwise_correlation_sum(x: np.ndarray, min_overlap: int) -> tuple[float, int]:
    """Sum and number of the pairwise-complete correlations of the columns of ``x`` over
    pairs ``i < j`` (the finite upper triangle of ``DataFrame(x).corr(min_periods=...)``).

    With ``x`` centred by its column means and zero where missing (``X``), ``M`` the mask of
    finite values and ``Q = X**2``, a pair's sums over its common rows are ``n = M_i'M_j``,
    ``sx = X_i'M_j``, ``sy = M_i'X_j``, ``sxx = Q_i'M_j``, ``syy = M_i'Q_j``, ``sxy = X_i'X_j``
    and its correlation is ``(sxy - sx sy/n) / sqrt((sxx - sx^2/n)(syy - sy^2/n))``. The
    products run over blocks of ``_CORR_BLOCK`` columns; the mask enters through sparse
    products with the missing indicator ``Z = 1 - M`` (``M_i'A_j = 1'A_j - Z_i'A_j``), so
    the only dense product is ``X_i'X_j``. A pair is skipped when ``n < min_overlap`` or a
    centred sum of squares is at most ``_CORR_RTOL`` times the column's (constant on the
    common rows, up to rounding).
    """
    ok = np.isfinite(x)
    n_rows, n_cols = x.shape
    cnt = ok.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore"):
        mean = np.where(ok, x, 0.0).sum(axis=0) / np.maximum(cnt, 1.0)
        xc = np.where(ok, x - mean[None, :], 0.0)
    q = xc * xc
    zd = (~ok).astype(float)
    s1, s2 = xc.sum(axis=0), q.sum(axis=0)
    miss = n_rows - cnt
    tol = _CORR_RTOL * s2
    blocks = [slice(a, min(a + _CORR_BLOCK, n_cols)) for a in range(0, n_cols, _CORR_BLOCK)]
    xt = [np.ascontiguousarray(xc[:, b].T) for b in blocks]  # (B, L)
    xqz = [np.hstack([xc[:, b], q[:, b], zd[:, b]]) for b in blocks]  # (L, 3B)
    zs = [sparse.csr_array(zd[:, b].T) for b in blocks]  # (B, L)

    def block_row(i: int) -> tuple[float, int]:
        bi = blocks[i]
        ni = bi.stop - bi.start
        total, count = 0.0, 0
        for j in range(i, len(blocks)):
            bj = blocks[j]
            nj = bj.stop - bj.start
            a = zs[i] @ xqz[j]  # (ni, 3 nj): Z_i'X_j, Z_i'Q_j, Z_i'Z_j
            b = (zs[j] @ xqz[i]).T  # (3 ni, nj): X_i'Z_j, Q_i'Z_j, (Z_i'Z_j)
            n = a[:, 2 * nj :] - miss[bi, None]
            n += cnt[None, bj]
            sx = s1[bi, None] - b[:ni]
            sy = s1[None, bj] - a[:, :nj]
            sxx = s2[bi, None] - b[ni : 2 * ni]
            syy = s2[None, bj] - a[:, nj : 2 * nj]
            sxy = xt[i] @ xt[j].T
            with np.errstate(invalid="ignore", divide="ignore"):
                inv = 1.0 / n
                t = sx * inv
                sxy -= t * sy  # covariance
                t *= sx
                sxx -= t  # centred sums of squares
                np.multiply(sy, inv, out=t)
                t *= sy
                syy -= t
                good = n >= min_overlap
                good &= sxx > tol[bi, None]
                good &= syy > tol[None, bj]
                if i == j:
                    good &= np.triu(np.ones((ni, nj), dtype=bool), 1)
                sxx *= syy
                np.sqrt(sxx, out=sxx)
                sxy /= sxx
            total += float(np.sum(sxy, where=good))
            count += int(np.count_nonzero(good))
        return total, count

    parts = [block_row(i) for i in range(len(blocks))]
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


def _rbar_note(panel: ARPanel) -> str | None:
    """What :attr:`ARPanel.rbar` was computed from, when not from every pair."""
    n = panel.n_pairs
    k = _correlation_sample_size(n, panel.conventions.cross_correlation_max_pairs)
    if k is None:
        return None
    return (
        f"rbar over the {k * (k - 1) // 2:,} correlations among {k:,} of the {n:,} pairs "
        f"drawn at random (seed {CROSS_CORRELATION_SEED}; "
        "Conventions.cross_correlation_max_pairs)"
    )


def _kp_factor(rbar: float, n: int) -> float:
    return math.sqrt((1 - rbar) / (1 + (n - 1) * rbar))


def _kp_invalid(rbar: float, n: int) -> str | None:
    """Why the Kolari-Pynnonen factor cannot be formed from ``rbar`` with ``n`` pairs, or
    None. ``1 + (N - 1) rbar`` is the variance of a sum of N unit-variance series with mean
    correlation rbar divided by N; an estimated rbar at or below ``-1/(N - 1)`` (possible
    with missing values, or a sampled rbar near 0 at large N) leaves it at or below 0."""
    if not np.isfinite(rbar):
        return "cross-correlation needs pairs with overlapping estimation days"
    if 1 + (n - 1) * rbar <= 0 or rbar >= 1:
        return (
            f"average cross-correlation rbar = {rbar:.3g} is outside (-1/(N-1), 1) for "
            f"N = {n:,} pairs, so the adjustment sqrt((1-rbar)/(1+(N-1)rbar)) is undefined"
        )
    return None


def kolari_pynnonen_patell(
    panel: ARPanel, days: Sequence[int] | int | None = None, rbar: float | None = None
) -> TestResult:
    r"""Patell test adjusted for cross-correlation (Kolari and Pynnonen 2010).

    .. math:: Z_{adj} = Z \sqrt{\frac{1 - \bar r}{1 + (N - 1)\bar r}}

    with :math:`\bar r` the average pairwise correlation of estimation-window abnormal
    returns (:func:`average_cross_correlation`, rows aligned by relative day, which is the
    calendar date when events cluster on one date). Standard normal.

    References
    ----------
    Kolari, J. W. and Pynnonen, S. (2010). Event study testing with cross-sectional
    correlation of abnormal returns. Review of Financial Studies 23, 3996-4025.
    """
    base = patell(panel, days)
    r = panel.rbar if rbar is None else rbar
    if not base.applicable:
        return _na("kp_patell", base.reason or "", base.nobs)
    why = _kp_invalid(r, base.nobs)
    if why is not None:
        return _na("kp_patell", why, base.nobs)
    res = _norm("kp_patell", base.statistic * _kp_factor(r, base.nobs), base.nobs)
    return replace(res, note=_rbar_note(panel)) if rbar is None else res


def kolari_pynnonen_bmp(
    panel: ARPanel, days: Sequence[int] | int | None = None, rbar: float | None = None
) -> TestResult:
    r"""BMP test adjusted for cross-correlation (Kolari and Pynnonen 2010).

    .. math:: t_{adj} = t_{BMP} \sqrt{\frac{1 - \bar r}{1 + (N - 1)\bar r}}

    See :func:`kolari_pynnonen_patell` for :math:`\bar r`. t with ``N - 1`` df.

    References
    ----------
    Kolari, J. W. and Pynnonen, S. (2010). Event study testing with cross-sectional
    correlation of abnormal returns. Review of Financial Studies 23, 3996-4025.
    """
    base = bmp(panel, days)
    r = panel.rbar if rbar is None else rbar
    if not base.applicable:
        return _na("kp_bmp", base.reason or "", base.nobs)
    why = _kp_invalid(r, base.nobs)
    if why is not None:
        return _na("kp_bmp", why, base.nobs)
    res = _tdist("kp_bmp", base.statistic * _kp_factor(r, base.nobs), base.nobs - 1, base.nobs)
    return replace(res, note=_rbar_note(panel)) if rbar is None else res


def lamb(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Lamb (1995) portfolio test with the prediction-error correction.

    .. math::
        z_t = \frac{\overline{AR}_t}{sd(\overline{AR}_\tau)\sqrt{1 + 1/\bar L + \bar g_t}},
        \qquad z_W = \frac{1}{\sqrt{|W|}}\sum_{t \in W} z_t

    where :math:`sd(\overline{AR}_\tau)` is the estimation-window sd of the daily mean
    abnormal return (as in :func:`brown_warner_1985`), :math:`\bar L` the mean estimation
    length and :math:`\bar g_t` the mean regressor part of the leverage,
    ``(m_t - mbar)^2 / sum (m - mbar)^2`` for the market model. The multi-day version is
    estudy2's ``car_lamb`` (3.846464 on its example). Standard normal.

    References
    ----------
    Lamb, R. P. (1995). An exposure-based analysis of property-liability insurer stock values
    around Hurricane Andrew. Journal of Risk and Insurance 62, 111-123.
    """
    d = _days(panel, days)
    sd = panel._estimation_aar_sd
    if sd is None:
        return _na("lamb", "fewer than two estimation days with abnormal returns")
    aar = _nanmean_rows(panel.event[d])
    g = _nanmean_rows(panel.market_leverage[d])
    z = aar / (sd * np.sqrt(1 + 1 / np.mean(panel.nobs) + g))
    return _norm("lamb", float(np.sum(z) / math.sqrt(len(d))), panel.n_pairs)


# --------------------------------------------------------------------------------------
# sign tests


def sign_test(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Simple binomial sign test.

    .. math:: z = \frac{N^+ - N/2}{\sqrt{N/4}}

    with :math:`N^+` the number of pairs whose (cumulative) abnormal return is positive.
    Normal approximation to Binomial(N, 1/2). Matches estudy2 ``sign_test``.

    References
    ----------
    Cowan, A. R. (1992). Nonparametric event study tests. Review of Quantitative Finance and
    Accounting 2, 343-358 (the simple sign test as the benchmark there).
    """
    d = _days(panel, days)
    car, ok = _car(panel, d)
    n = int(ok.sum())
    if n == 0:
        return _na("sign", "no pair has abnormal returns on these days")
    pos = float(np.sum(car[ok] > 0))
    return _norm("sign", (pos - 0.5 * n) / math.sqrt(0.25 * n), n)


def generalized_sign(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Generalized sign test (Cowan 1992).

    .. math:: z = \frac{N^+ - N\hat p}{\sqrt{N \hat p (1 - \hat p)}}

    where :math:`\hat p` is the pooled share of positive abnormal returns over all pairs'
    estimation windows (estudy2: 0.4966442953020134 on its example). Standard normal.

    References
    ----------
    Cowan, A. R. (1992). Nonparametric event study tests. Review of Quantitative Finance and
    Accounting 2, 343-358.
    """
    d = _days(panel, days)
    car, ok = _car(panel, d)
    n = int(ok.sum())
    p = panel._positive_share
    if n == 0 or p is None:
        return _na("gsign", "needs event and estimation abnormal returns", n)
    if p in (0.0, 1.0):
        return _na("gsign", f"share of positive estimation abnormal returns is {p}", n)
    pos = float(np.sum(car[ok] > 0))
    return _norm("gsign", (pos - n * p) / math.sqrt(n * p * (1 - p)), n)


def _pooled_needed(panel: ARPanel, name: str) -> TestResult | None:
    if panel.overlap:
        return _na(name, "estimation and event windows overlap; the test pools both")
    return None


def corrado_zivney_sign(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Corrado and Zivney (1992) sign test.

    .. math::
        G_{it} = \operatorname{sign}(AR_{it} - \operatorname{median}_\tau AR_{i\tau}),\quad
        z_t = \frac{N_t^{-1/2} \sum_i G_{it}}{\sqrt{\bar L^{-1} \sum_\tau
        (N_\tau^{-1/2}\sum_i G_{i\tau})^2}}

    The median and the variance run over each pair's estimation and event days together;
    ``L`` counts them. Cross-sectional sums on days with missing pairs follow
    :attr:`Conventions.missing_sums`. Multi-day: ``sum_t z_t / sqrt(|W|)``. Standard normal.

    References
    ----------
    Corrado, C. J. and Zivney, T. L. (1992). The specification and power of the sign test in
    event study hypothesis tests using daily stock returns. Journal of Financial and
    Quantitative Analysis 27, 465-478.
    """
    bad = _pooled_needed(panel, "corrado_sign")
    if bad:
        return bad
    d = _days(panel, days)
    scaled, sd = panel._corrado_sign_scaled
    z = scaled[panel.estimation.shape[0] + d] / sd
    return _norm("corrado_sign", float(np.sum(z) / math.sqrt(len(d))), panel.n_pairs)


def _corrado_sign_scaled(panel: ARPanel) -> tuple[np.ndarray, float]:
    """Corrado-Zivney ``N_t^{-1/2} sum_i G_it`` for every day of :meth:`ARPanel.full` and
    its sd (cached as ``ARPanel._corrado_sign_scaled``)."""
    full = panel.full()
    g = panel._sign_matrix
    n_t = np.sum(~np.isnan(full), axis=1).astype(float)
    s = _cs_sum(g, panel.conventions)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = s / np.sqrt(n_t)
    mean_len = float(np.mean(np.sum(~np.isnan(full), axis=0)))
    sd = math.sqrt(np.nansum(scaled**2) / mean_len)
    return scaled, sd


# --------------------------------------------------------------------------------------
# rank tests


def _ranks(full: np.ndarray) -> np.ndarray:
    """Column-wise average ranks (1-based) among each column's non-missing values, NaN kept."""
    if not np.isnan(full).any():
        return stats.rankdata(full, axis=0, method="average").astype(float)
    r = stats.rankdata(full, axis=0, method="average", nan_policy="omit")
    return np.ascontiguousarray(r, dtype=float)  # C order: row sums add in the same order


#: pairs (columns) per block of :func:`_nanmedian_columns`
_SORT_BLOCK = 8192


def _nanmedian_columns(full: np.ndarray) -> np.ndarray:
    """``np.nanmedian(full, axis=0)`` (its numbers: the two middle non-NaN values of each
    column summed and halved, NaN for a column without values), in blocks of sorted
    columns."""
    n_cols = full.shape[1]
    med = np.full(n_cols, np.nan)
    for c0 in range(0, n_cols, _SORT_BLOCK):
        y = np.sort(np.ascontiguousarray(full[:, c0 : c0 + _SORT_BLOCK].T), axis=1)
        k = np.sum(~np.isnan(y), axis=1)
        h = k // 2
        lo = np.where(k % 2 == 1, h, h - 1)
        has = k > 0
        rows = np.arange(y.shape[0])[has]
        med[c0 : c0 + _SORT_BLOCK][has] = (y[rows, lo[has]] + y[rows, h[has]]) / 2.0
    return med


def corrado_rank(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Corrado (1989) rank test; multi-day version of Cowan (1992).

    Ranks :math:`K_{it}` of each pair's abnormal returns over its estimation and event days
    together (average ties), :math:`\bar K_i` their mean.

    .. math::
        z_t = \frac{N_t^{-1} \sum_i (K_{it} - \bar K_i)}{S_K},\quad
        S_K = \sqrt{\bar L^{-1}\sum_\tau \Big(N_\tau^{-1}\sum_i (K_{i\tau} - \bar K_i)\Big)^2}

    (sums on days with missing pairs per :attr:`Conventions.missing_sums`). For a window:

    .. math:: z_W = \sqrt{|W|}\,\frac{\bar K_W - \bar K}{\sqrt{\bar L^{-1}\sum_\tau
        (\bar K_\tau - \bar K)^2}}

    with :math:`\bar K_W` the mean rank over the window's pair-days, :math:`\bar K_\tau` the
    day's mean rank and :math:`\bar K` the mean of the :math:`\bar K_i` (estudy2
    ``car_rank_test``: 3.0537 on its example). Standard normal.

    References
    ----------
    Corrado, C. J. (1989). A nonparametric test for abnormal security-price performance in
    event studies. Journal of Financial Economics 23, 385-395.
    Cowan, A. R. (1992). Nonparametric event study tests. Review of Quantitative Finance and
    Accounting 2, 343-358.
    """
    bad = _pooled_needed(panel, "rank")
    if bad:
        return bad
    d = _days(panel, days)
    off = panel.estimation.shape[0]
    if len(d) == 1:
        daily, sd = panel._rank_daily
        return _norm("rank", float(daily[off + d[0]] / sd), panel.n_pairs)
    kbar, sd = panel._rank_window
    k = panel.full_ranks
    stat = math.sqrt(len(d)) * (float(np.nanmean(k[off + d])) - kbar) / sd
    return _norm("rank", stat, panel.n_pairs)


def _rank_daily(panel: ARPanel) -> tuple[np.ndarray, float]:
    """Corrado's daily mean rank deviations ``N_t^{-1} sum_i (K_it - Kbar_i)`` over
    :meth:`ARPanel.full` and their ``S_K`` (cached as ``ARPanel._rank_daily``)."""
    full = panel.full()
    k = panel.full_ranks
    mean_len = float(np.mean(np.sum(~np.isnan(full), axis=0)))
    n_t = np.sum(~np.isnan(full), axis=1).astype(float)
    dev = k - np.nanmean(k, axis=0)[None, :]
    s = _cs_sum(dev, panel.conventions)
    with np.errstate(invalid="ignore", divide="ignore"):
        daily = s / n_t
    sd = math.sqrt(np.nansum(daily**2) / mean_len)
    return daily, sd


def _rank_window(panel: ARPanel) -> tuple[float, float]:
    """Corrado-Cowan window test: the mean rank ``Kbar`` and the sd of the daily mean ranks
    (cached as ``ARPanel._rank_window``)."""
    full = panel.full()
    k = panel.full_ranks
    mean_len = float(np.mean(np.sum(~np.isnan(full), axis=0)))
    kbar = float(np.mean(np.nanmean(k, axis=0)))
    day_mean = _nanmean_rows(k)
    sd = math.sqrt(np.nansum((day_mean - kbar) ** 2) / mean_len)
    return kbar, sd


def modified_rank(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Rank test with standardized ranks for missing data (Corrado and Zivney 1992).

    .. math::
        U_{it} = \frac{K_{it}}{1 + M_i} - \frac12,\quad
        z_t = \frac{N_t^{-1/2}\sum_i U_{it}}{\sqrt{\bar L^{-1}\sum_\tau
        (N_\tau^{-1/2}\sum_i U_{i\tau})^2}}

    with :math:`M_i` the number of non-missing abnormal returns of pair ``i`` over its
    estimation and event days. Multi-day: ``sum_t z_t / sqrt(|W|)``. Standard normal.
    Matches estudy2 ``modified_rank_test``.

    References
    ----------
    Corrado, C. J. and Zivney, T. L. (1992). The specification and power of the sign test in
    event study hypothesis tests using daily stock returns. Journal of Financial and
    Quantitative Analysis 27, 465-478.
    Kolari, J. W. and Pynnonen, S. (2010). Event study testing with cross-sectional
    correlation of abnormal returns. Review of Financial Studies 23, 3996-4025.
    """
    bad = _pooled_needed(panel, "mrank")
    if bad:
        return bad
    d = _days(panel, days)
    scaled, sd = panel._mrank_scaled
    z = scaled[panel.estimation.shape[0] + d] / sd
    return _norm("mrank", float(np.sum(z) / math.sqrt(len(d))), panel.n_pairs)


def _mrank_scaled(panel: ARPanel) -> tuple[np.ndarray, float]:
    """Modified rank test's ``N_t^{-1/2} sum_i U_it`` for every day of :meth:`ARPanel.full`
    and its sd (cached as ``ARPanel._mrank_scaled``)."""
    full = panel.full()
    m = np.sum(~np.isnan(full), axis=0).astype(float)
    u = panel.full_ranks / (1 + m)[None, :] - 0.5
    n_t = np.sum(~np.isnan(full), axis=1).astype(float)
    s = _cs_sum(u, panel.conventions)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = s / np.sqrt(n_t)
    sd = math.sqrt(np.nansum(scaled**2) / float(np.mean(m)))
    return scaled, sd


def wilcoxon_signed_rank(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Wilcoxon (1945) signed-rank test on the cross-section of (cumulative) abnormal returns.

    The statistic is :math:`V = \sum_{i: CAR_i > 0} \operatorname{rank}(|CAR_i|)` over non-zero
    values (average ties), as R's ``wilcox.test`` and estudy2 ``wilcoxon_test``; the two-sided
    p-value is exact for N <= 50 without ties, otherwise the normal approximation with tie
    and continuity corrections (as ``wilcox.test``).

    References
    ----------
    Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics Bulletin 1,
    80-83.
    """
    d = _days(panel, days)
    car, ok = _car(panel, d)
    x = car[ok]
    x = x[x != 0]
    if x.size == 0:
        return _na("wilcoxon", "no non-zero abnormal returns", int(ok.sum()))
    r = stats.rankdata(np.abs(x))
    v = float(r[x > 0].sum())
    p = _signed_rank_pvalue(v, r)
    info = TESTS["wilcoxon"]
    return TestResult(
        "wilcoxon", v, p, "signed-rank", None, info.null, info.reference, None, int(x.size)
    )


@lru_cache(maxsize=64)
def _signed_rank_null(n: int) -> np.ndarray:
    """Exact null distribution of V for ``n`` untied ranks: counts of each subset sum."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[:-k].copy()
    return counts / counts.sum()


def _signed_rank_pvalue(v: float, ranks: np.ndarray) -> float:
    """Two-sided p-value of V: exact for n <= 50 without ties, else normal with tie and
    continuity corrections (as R's ``wilcox.test``)."""
    n = ranks.size
    ties = len(np.unique(ranks)) < n
    if n <= 50 and not ties:
        pmf = _signed_rank_null(n)
        cdf = np.cumsum(pmf)
        vi = round(v)
        lower = cdf[vi]
        upper = 1 - (cdf[vi - 1] if vi > 0 else 0.0)
        return float(min(1.0, 2 * min(lower, upper)))
    mean = n * (n + 1) / 4
    _, cnt = np.unique(ranks, return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - np.sum(cnt**3 - cnt) / 48
    z = v - mean
    z = (z - math.copysign(0.5, z)) / math.sqrt(var) if z else 0.0
    return math.erfc(abs(z) / math.sqrt(2))


def generalized_rank(panel: ARPanel, days: Sequence[int] | int | None = None) -> TestResult:
    r"""Generalized rank test GRANK-T (Kolari and Pynnonen 2011).

    Standardized abnormal returns :math:`SAR_{it} = AR_{it}/(s_i\sqrt{1 + h_{it}})` on
    estimation days; the window's standardized CAR :math:`SCAR_i = CAR_i/\sqrt{\sum_{t\in W}
    s_i^2(1 + h_{it})}`, re-standardized for event-induced volatility,
    :math:`SCAR^*_i = SCAR_i / sd(SCAR)`, is one extra observation (day 0) of the
    generalized series :math:`GSAR_{it}`. With :math:`T_i` = estimation days + 1,

    .. math::
        U_{it} = \frac{\operatorname{rank}(GSAR_{it})}{T_i + 1} - \frac12,\quad
        Z = \frac{\bar U_0}{S_{\bar U}},\quad
        S_{\bar U}^2 = \frac1T \sum_t \frac{n_t}{n} \bar U_t^2,\quad
        t_{grank} = Z\sqrt{\frac{T - 2}{T - 1 - Z^2}}

    distributed t with ``T - 2`` df (T = mean of the ``T_i``). Robust to cross-correlation,
    event-induced volatility and autocorrelation of CARs.

    The estimation ranks are computed once per panel; the day-0 value is inserted into
    them per call (it ranks ``1 + #smaller + #tied/2`` and lifts every larger value by 1, a
    tied one by 1/2), which gives exactly the average ranks of the whole series.

    References
    ----------
    Kolari, J. W. and Pynnonen, S. (2011). Nonparametric rank tests for event studies.
    Journal of Empirical Finance 18, 953-971.
    """
    d = _days(panel, days)
    sar_est, est_ranks, est_count = panel._grank_estimation
    var_w = (panel.sigma[None, :] ** 2 * (1 + panel.leverage[d])).sum(axis=0)
    car, ok = _car(panel, d)
    scar = car / np.sqrt(var_w)
    if ok.sum() < 3:
        return _na("grank", f"needs at least three pairs with a CAR, got {int(ok.sum())}")
    scar_star = scar / np.nanstd(scar[ok], ddof=1)
    # average ranks within each pair of GSAR = [SAR_est; SCAR*] (pairs without a CAR: NaN)
    s0 = scar_star[None, :]
    with np.errstate(invalid="ignore"):
        tied = sar_est == s0
        ranks = np.empty((sar_est.shape[0] + 1, sar_est.shape[1]))
        ranks[:-1] = est_ranks + (sar_est > s0) + 0.5 * tied
        ranks[-1] = 1.0 + np.sum(sar_est < s0, axis=0) + 0.5 * np.sum(tied, axis=0)
    has0 = ~np.isnan(scar_star)
    ranks[-1, ~has0] = np.nan
    ranks[:, ~ok] = np.nan
    m = np.where(ok, est_count + has0, 0).astype(float)
    u = ranks / (m + 1)[None, :] - 0.5
    n = float(ok.sum())
    n_t = np.sum(~np.isnan(u), axis=1).astype(float)
    ubar = _nanmean_rows(u)
    keep = n_t > 0
    t_len = float(np.mean(m[ok]))
    s2 = np.sum((n_t[keep] / n) * ubar[keep] ** 2) / t_len
    z = float(ubar[-1] / math.sqrt(s2))
    if t_len - 1 - z**2 <= 0:
        return _na("grank", "Z too large for the t transformation", int(n))
    stat = z * math.sqrt((t_len - 2) / (t_len - 1 - z**2))
    return _tdist("grank", stat, t_len - 2, int(n))


_BOOT_CHUNK = 1 << 22  # resampled values per chunk of the bootstrap


def bootstrap(
    panel: ARPanel,
    days: Sequence[int] | int | None = None,
    n_boot: int = 999,
    seed: int | None = 12345,
) -> TestResult:
    r"""Bootstrap test of the mean standardized CAR.

    The statistic is the BMP t of the standardized CARs :math:`CSAR_i` (:func:`bmp`). Its null
    distribution is that of the same t computed on ``n_boot`` resamples (with replacement,
    pairs as units) of the centred :math:`CSAR_i - \overline{CSAR}`; the two-sided p-value is
    the share of resampled :math:`|t^*|` at least :math:`|t|` (with the usual +1 correction).
    Seeded (``seed``) for reproducibility.

    A resample that draws one pair ``n`` times has no dispersion and is left out (the p-value
    counts only the others). A resample of several pairs whose values happen to be equal is
    kept: its :math:`t^*` is infinite (counted as at least :math:`|t|`), or 0/0 (counted as
    below it) when they all equal the mean. Resamples are drawn in chunks of at most
    ~4 million values, so memory stays bounded for large ``N``.

    References
    ----------
    Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 16.
    Kramer, L. A. (2001). Alternative methods for robust analysis in event study
    applications. Advances in Investment Analysis and Portfolio Management 8, 109-132.
    """
    d = _days(panel, days)
    x = _csar(panel, d)
    x = x[~np.isnan(x)]
    n = x.size
    if n < 3:
        return _na("bootstrap", f"needs at least three pairs, got {n}", n)
    sd = x.std(ddof=1)
    if sd == 0:
        return _na("bootstrap", "standardized CARs have no dispersion", n)
    t = x.mean() / (sd / math.sqrt(n))
    rng = np.random.default_rng(seed)
    c = x - x.mean()
    chunk = max(1, _BOOT_CHUNK // n)
    parts = []
    for start in range(0, n_boot, chunk):
        # drawing in chunks of rows gives the same indices as one (n_boot, n) draw
        idx = rng.integers(0, n, size=(min(chunk, n_boot - start), n))
        s = c[idx]
        sds = s.std(axis=1, ddof=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            tb = s.mean(axis=1) / (sds / math.sqrt(n))
        parts.append(tb[np.ptp(idx, axis=1) > 0])  # not one pair drawn n times
    tb = np.concatenate(parts)
    p = (1 + np.sum(np.abs(tb) >= abs(t))) / (1 + tb.size)
    info = TESTS["bootstrap"]
    return TestResult(
        "bootstrap", float(t), float(p), "bootstrap", None, info.null, info.reference, None, n
    )


# --------------------------------------------------------------------------------------
# registry


@dataclass(frozen=True)
class TestInfo:
    """A registered test: canonical name, function, aliases, description, reference."""

    __test__ = False  # not a pytest test class

    name: str
    func: Callable[..., TestResult]
    description: str
    reference: str
    distribution: str
    null: str
    aliases: tuple[str, ...] = ()


_NULL_MEAN = "mean abnormal return is zero"
_NULL_MEDIAN = "abnormal returns are symmetric around zero / no location shift"

TESTS: dict[str, TestInfo] = {
    t.name: t
    for t in [
        TestInfo(
            "bw_1980",
            brown_warner_1980,
            "Brown-Warner, security variances",
            "Brown and Warner (1980), JFE 8",
            "t",
            _NULL_MEAN,
            ("brown_warner_1980",),
        ),
        TestInfo(
            "bw_1985",
            brown_warner_1985,
            "Brown-Warner, portfolio variance (crude dependence adj.)",
            "Brown and Warner (1985), JFE 14",
            "t",
            _NULL_MEAN,
            ("brown_warner_1985", "car_brown_warner_1985"),
        ),
        TestInfo(
            "t_test",
            cross_sectional_t,
            "cross-sectional t",
            "Boehmer, Musumeci and Poulsen (1991), JFE 30",
            "t",
            _NULL_MEAN,
            ("cross_sectional_t", "csect"),
        ),
        TestInfo(
            "patell",
            patell,
            "Patell standardized residual Z",
            "Patell (1976), JAR 14",
            _Z,
            _NULL_MEAN,
            ("patell_z",),
        ),
        TestInfo(
            "bmp",
            bmp,
            "standardized cross-sectional t",
            "Boehmer, Musumeci and Poulsen (1991), JFE 30",
            "t",
            _NULL_MEAN,
            ("boehmer",),
        ),
        TestInfo(
            "kp_patell",
            kolari_pynnonen_patell,
            "Patell adjusted for cross-correlation",
            "Kolari and Pynnonen (2010), RFS 23",
            _Z,
            _NULL_MEAN,
            ("adjusted_patell",),
        ),
        TestInfo(
            "kp_bmp",
            kolari_pynnonen_bmp,
            "BMP adjusted for cross-correlation",
            "Kolari and Pynnonen (2010), RFS 23",
            "t",
            _NULL_MEAN,
            ("adjusted_bmp",),
        ),
        TestInfo(
            "lamb",
            lamb,
            "portfolio test with prediction-error correction",
            "Lamb (1995), JRI 62",
            _Z,
            _NULL_MEAN,
            ("car_lamb",),
        ),
        TestInfo(
            "sign",
            sign_test,
            "binomial sign test, p = 1/2",
            "Cowan (1992), RQFA 2",
            _Z,
            "share of positive abnormal returns is 1/2",
            ("sign_test",),
        ),
        TestInfo(
            "gsign",
            generalized_sign,
            "generalized sign test, p from estimation window",
            "Cowan (1992), RQFA 2",
            _Z,
            "share of positive abnormal returns equals the estimation share",
            ("generalized_sign",),
        ),
        TestInfo(
            "corrado_sign",
            corrado_zivney_sign,
            "sign test around the median",
            "Corrado and Zivney (1992), JFQA 27",
            _Z,
            _NULL_MEDIAN,
            ("corrado_zivney",),
        ),
        TestInfo(
            "rank",
            corrado_rank,
            "rank test",
            "Corrado (1989), JFE 23; Cowan (1992)",
            _Z,
            _NULL_MEDIAN,
            ("corrado_rank", "car_rank_test"),
        ),
        TestInfo(
            "mrank",
            modified_rank,
            "rank test with standardized ranks",
            "Corrado and Zivney (1992), JFQA 27",
            _Z,
            _NULL_MEDIAN,
            ("modified_rank",),
        ),
        TestInfo(
            "wilcoxon",
            wilcoxon_signed_rank,
            "Wilcoxon signed-rank V",
            "Wilcoxon (1945), Biometrics Bulletin 1",
            "signed-rank",
            "cross-section symmetric around zero",
            ("wilcoxon_signed_rank",),
        ),
        TestInfo(
            "grank",
            generalized_rank,
            "generalized rank GRANK-T",
            "Kolari and Pynnonen (2011), JEF 18",
            "t",
            _NULL_MEDIAN,
            ("generalized_rank",),
        ),
        TestInfo(
            "bootstrap",
            bootstrap,
            "bootstrap of the standardized mean CAR",
            "Efron and Tibshirani (1993); Kramer (2001)",
            "bootstrap",
            _NULL_MEAN,
            (),
        ),
    ]
}

#: Tests in estudy2's order, the columns of ``daily_tests()`` that match its output.
ESTUDY2_COLUMNS: tuple[str, ...] = (
    "bw_1980",
    "bw_1985",
    "t_test",
    "patell",
    "bmp",
    "lamb",
    "sign",
    "gsign",
    "corrado_sign",
    "rank",
    "mrank",
    "wilcoxon",
)


def resolve_test(name: str) -> TestInfo:
    """Look up a test by canonical name or alias (case-insensitive)."""
    key = name.strip().lower()
    if key in TESTS:
        return TESTS[key]
    for info in TESTS.values():
        if key in info.aliases:
            return info
    valid = ", ".join(sorted(TESTS))
    raise UnknownTestError(f"unknown test {name!r}; valid tests: {valid}")


def run_tests(
    panel: ARPanel, days: Sequence[int] | int | None, tests: Sequence[str] | None = None
) -> dict[str, TestResult]:
    """Run the named tests (all by default) on ``days`` and return ``{name: TestResult}``."""
    names = list(TESTS) if tests is None else [resolve_test(t).name for t in tests]
    return {n: TESTS[n].func(panel, days) for n in names}


# --------------------------------------------------------------------------------------
# joint dummy-variable regression (Karafiath 1988)


@dataclass(frozen=True)
class DummyRegressionResult:
    """Karafiath (1988) dummy-variable regression: ARs and CARs with their covariance.

    Attributes
    ----------
    abnormal_returns : tidy frame ``event_id, instrument, rel_day, date, ar, se, t, p``.
    cars : tidy frame ``event_id, instrument, window, car, se, t, p``.
    fits : ``{instrument: statsmodels RegressionResults}``.
    cov_type : the covariance estimator used ("HAC" or "nonrobust").
    """

    abnormal_returns: pd.DataFrame
    cars: pd.DataFrame
    fits: dict[str, Any]
    cov_type: str


def dummy_regression(
    y: pd.Series,
    regressors: pd.DataFrame,
    event_days: pd.DataFrame,
    windows: dict[str, tuple[int, int]],
    *,
    cov_type: Literal["HAC", "nonrobust"] = "HAC",
    maxlags: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    r"""Joint dummy-variable regression for one instrument (Karafiath 1988).

    .. math:: R_t = X_t\beta + \sum_{d \in D} \gamma_d\,1[t = d] + \varepsilon_t

    estimated by one OLS over every estimation and event day of the instrument, with one
    dummy per distinct event date ``d`` of every event (overlapping events share the dummy
    of a common date). :math:`\gamma_d` is the abnormal return on ``d`` (for a day outside
    every estimation window it equals the out-of-sample prediction error, and with
    ``cov_type="nonrobust"`` its standard error equals the OLS prediction standard error).
    A CAR is :math:`c'\gamma` with ``c`` the indicator of the window's dates, standard error
    :math:`\sqrt{c' V c}`.

    ``cov_type="HAC"`` (default) is autocorrelation-consistent in the way that stays valid
    for one-day dummies. The textbook Newey-West sandwich applied to the dummies is not:
    a dummy fits its day exactly, so that day's residual is zero and the sandwich "meat" of
    :math:`\gamma_d` holds only cross-lag terms, which makes its standard error a small
    fraction of the true one (about a tenth on daily returns). Since
    :math:`\hat\gamma_d = \varepsilon_d - x_d(\hat\beta - \beta)`, here

    .. math:: V = \Omega_D + X_D\,V^{NW}_\beta\,X_D'

    with :math:`V^{NW}_\beta` the Newey-West covariance of the model parameters (statsmodels,
    ``maxlags`` lags, default ``floor(4 (n/100)^{2/9})``) and
    :math:`\Omega_D[a, b] = w(j)\,\hat\gamma(j)`, :math:`j` the number of sessions between
    event dates ``a`` and ``b``, :math:`\hat\gamma(j) = \sum_t e_t e_{t+j} / (n - p)` the
    residual autocovariance, :math:`w(j) = 1 - j/(maxlags + 1)` the Bartlett weight (0
    beyond ``maxlags``). :math:`\Omega_D` is a Schur product of two positive semi-definite
    Toeplitz matrices, so every CAR variance is non-negative. A single day's variance is
    :math:`s^2 + x_d V^{NW}_\beta x_d'`, the prediction variance with a robust parameter
    part; a CAR over adjacent days adds the residual autocovariances (Newey and West's long-run
    variance of the window's sum). The small covariance between the event-day errors and the
    parameter estimate through autocorrelation is neglected. ``cov_type="nonrobust"`` gives
    the OLS covariance (:math:`s^2 (1 + h)` for a single day, t with ``n - p`` df).

    Parameters
    ----------
    y : the instrument's returns on the regression dates (no NaN).
    regressors : the design (constant included) on the same dates.
    event_days : frame ``event_id, rel_day, date`` of the event days to dummy.
    windows : ``{label: (first, last)}`` relative-day windows for CARs.

    Returns
    -------
    (ars, cars, fit) : tidy frames without the ``instrument`` column, and the fit.

    References
    ----------
    Karafiath, I. (1988). Using dummy variables in the event methodology. Financial Review
    23, 101-123.
    Newey, W. K. and West, K. D. (1987). A simple, positive semi-definite, heteroskedasticity
    and autocorrelation consistent covariance matrix. Econometrica 55, 703-708.
    """
    import statsmodels.api as sm

    dates = pd.DatetimeIndex(sorted(set(event_days["date"])))
    dummies = pd.DataFrame(
        (y.index.values[:, None] == dates.values[None, :]).astype(float),
        index=y.index,
        columns=[f"d{i}" for i in range(len(dates))],
    )
    design = pd.concat([regressors, dummies], axis=1)
    model = sm.OLS(y.to_numpy(float), design.to_numpy(float))
    lags = maxlags if maxlags is not None else int(4 * (len(y) / 100) ** (2 / 9))
    if lags < 0:
        raise ValueError(f"maxlags must be >= 0, got {lags}")
    if cov_type == "HAC":
        fit = model.fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    elif cov_type == "nonrobust":
        fit = model.fit()
    else:
        raise ValueError(f"cov_type must be 'HAC' or 'nonrobust', got {cov_type!r}")
    k = regressors.shape[1]
    gamma = np.asarray(fit.params)[k:]
    if cov_type == "HAC":
        cov = _event_day_hac(fit, regressors, y.index, dates, lags, k)
    else:
        cov = np.asarray(fit.cov_params())[k:, k:]
    pos = {d: i for i, d in enumerate(dates)}
    df = fit.df_resid
    dist = stats.norm if cov_type == "HAC" else stats.t(df)
    rows = []
    for rec in event_days.itertuples(index=False):
        j = pos[pd.Timestamp(rec.date)]
        se = math.sqrt(cov[j, j])
        t = gamma[j] / se
        rows.append((rec.event_id, rec.rel_day, rec.date, gamma[j], se, t, 2 * dist.sf(abs(t))))
    ars = pd.DataFrame(rows, columns=["event_id", "rel_day", "date", "ar", "se", "t", "p"])
    car_rows = []
    for eid, grp in event_days.groupby("event_id", sort=False):
        for label, (a, b) in windows.items():
            sel = grp[(grp["rel_day"] >= a) & (grp["rel_day"] <= b)]
            if len(sel) != b - a + 1:
                car_rows.append((eid, label, math.nan, math.nan, math.nan, math.nan))
                continue
            c = np.zeros(len(dates))
            for d in sel["date"]:
                c[pos[pd.Timestamp(d)]] = 1.0
            car = float(c @ gamma)
            se = math.sqrt(float(c @ cov @ c))
            t = car / se
            car_rows.append((eid, label, car, se, t, 2 * dist.sf(abs(t))))
    cars = pd.DataFrame(car_rows, columns=["event_id", "window", "car", "se", "t", "p"])
    return ars, cars, fit


def _event_day_hac(
    fit: Any,
    regressors: pd.DataFrame,
    index: pd.Index,
    dates: pd.DatetimeIndex,
    lags: int,
    k: int,
) -> np.ndarray:
    """Covariance of the event-day dummies for ``cov_type="HAC"`` (see :func:`dummy_regression`)."""
    resid = np.asarray(fit.resid, dtype=float)
    n = resid.size
    dof = float(fit.df_resid)
    gam = np.array([resid[: n - j] @ resid[j:] / dof if j < n else 0.0 for j in range(lags + 1)])
    pos = np.asarray(pd.Index(index).get_indexer(dates))
    lag = np.abs(pos[:, None] - pos[None, :])
    omega = np.zeros(lag.shape)
    near = lag <= lags
    omega[near] = (1.0 - lag[near] / (lags + 1.0)) * gam[lag[near]]
    xd = regressors.to_numpy(float)[pos]
    v_beta = np.asarray(fit.cov_params())[:k, :k]
    return omega + xd @ v_beta @ xd.T
