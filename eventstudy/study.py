"""The event study: configure, assemble windows, estimate, and return a read-only result.

``EventStudy(returns, market=..., model="market").run(...)`` runs in two separable steps:

1. :func:`assemble_windows` decides, for every (event, instrument) pair, which rows of the
   returns frame are estimation and event observations. It returns a :class:`WindowPlan` of
   integer index arrays (positions in ``returns.index``) and the per-event problems found
   (missing data, windows that do not fit, contamination, duplicates ...).
2. An *engine* estimates the normal-return model on each pair's estimation rows and computes
   abnormal returns, their prediction-error variances and CARs. :func:`estimate_statsmodels`
   is the reference engine (statsmodels/arch, one fit per pair); :data:`ENGINES` maps engine
   names to functions with the same signature.

Engines
-------
``engine="auto"`` (default) runs the vectorised engine :func:`estimate_fast_batch` for the
OLS-family models (constant mean, market-adjusted, market, factor) and the statsmodels
reference otherwise (GARCH, user-defined models); ``result.options["engine"]`` says which
ran. The vectorised engine takes the same :class:`WindowPlan` as the reference -- so every
window, contamination, NaN and shared-day-0 rule is the same code -- and computes all pairs
at once. In event mode a pair's estimation sums are differences of per-instrument prefix
sums over the returns' rows (``O(T)`` per instrument, ``O(1)`` per pair; excluded
contamination ranges subtracted), each pair with a rounding-error bound: the few whose bound
is not below 1e-11 of their residual or regressor variation (windows late in long,
trending series) are reduced from their rows instead, as calendar-mode plans are. It returns
a :class:`BatchEstimates` of flat arrays from which :meth:`EventStudyResult.from_batch`
builds the result frames without per-pair objects; :func:`estimate_fast` wraps it in the
per-pair :data:`ENGINES` interface. Pairs whose regressors do not vary (a singular design)
are handed to the reference engine. ``tests/study/test_engine_equivalence.py`` and
``test_prefix_estimation.py`` check that every frame, the problems and the test tables
equal the reference to 1e-9 relative on real market data, synthetic panels with gaps and
NaNs, long series and price levels, and the estudy2 example.

Deferred work: window assembly is array-based (:func:`_vector_event_plan`); the per-pair
:class:`PairWindow` and :class:`Problem` objects, the problem messages and frame, and the
estimation-window residuals (for the rank and sign tests, ``estimation_residuals``) are
built when first read. On the 500 x 3,000 benchmark panel ``run`` takes about 0.85 s at
100,000 pairs, plus 0.5 s on the first read of its 415,000 problems (it took 5-10 s
gathering the 24 million estimation rows before the prefix sums); the largest remaining
parts are the exact Student t p-values of the 1.5 million AR and CAR rows
(``scipy.special.stdtr``, ~0.3 s), window assembly and the string columns of the frames
(``benchmarks/bench_engine.py --api`` prints the split). The standalone kernel
:func:`eventstudy.fastpath.fast_event_study` covers event-mode windows on instrument
sessions only (no calendar mode, contamination exclusion, estudy2 window leverage or
estimation residuals) and is not used here.

Window conventions
------------------
*Event mode* (``events`` given, integer windows): windows are in trading days relative to each
event's day 0 on each instrument's own sessions, i.e. the dates on which that instrument has a
non-NaN return. Day 0 is the first such session on or after the event date (or what the
``day0`` hook says). Default estimation window ``(-250, -11)``; any number of event windows.

*Calendar mode* (dates given): the same estimation and event date ranges for every instrument
(the estudy2 convention); relative day 0 is the first date of the event window in the returns
index, and rows are aligned by date.

Validation
----------
``tests/study/test_estudy2_oracle.py`` runs the estudy2 introduction example in calendar mode and
matches every daily column of its printed output to 1e-6 relative (observed: below 3e-7) and
its window statistics; ``test_models.py`` and ``test_inference.py`` check the identities
(dummy regression = market model, market-adjusted = market model with alpha 0 and beta 1,
GARCH without volatility dynamics = OLS, AR SEs = statsmodels ``se_obs``).

Events sharing a day 0
----------------------
In a crisis several catalog events often fall on the same day 0 of an instrument (two calls on
one day; a Saturday and a Sunday event both mapping to Monday). With ``same_day0="share"``
(default) every such event keeps its abnormal returns and CARs -- identical numbers, since they
are the same market move -- and a ``day0_group`` column (the first event of the group, in
catalog order) shows the sharing; the test battery and the averages count each (instrument,
day 0) once, so ``N`` is not inflated by a move counted twice. ``same_day0="drop"`` keeps only
the first event of each group (the others are reported as ``duplicate`` and get no rows).

Missing values are never filled: a NaN return or regressor removes that observation from the
estimation (counted in ``result.problems``) and leaves the abnormal return missing on an event
day (reported too).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from eventstudy.errors import EventStudyError
from eventstudy.inference import Conventions, DummyRegressionResult
from eventstudy.models import NormalReturnModel, resolve_model
from eventstudy.results import EventStudyResult, Problem

__all__ = [
    "ENGINES",
    "BatchEstimates",
    "EngineInfo",
    "EventStudy",
    "EventStudyInputError",
    "PairEstimate",
    "PairWindow",
    "StudyData",
    "WindowPlan",
    "assemble_windows",
    "estimate_fast",
    "estimate_fast_batch",
    "estimate_statsmodels",
    "resolve_engine",
]

Day0Hook = Callable[[pd.Timestamp, str, pd.DatetimeIndex], "pd.Timestamp | None"]


class EventStudyInputError(EventStudyError, ValueError):
    """The returns, market, events or windows given to :class:`EventStudy` are unusable."""


# --------------------------------------------------------------------------------------
# data containers


@dataclass(frozen=True)
class StudyData:
    """Validated numeric inputs shared by window assembly and engines.

    Attributes
    ----------
    index : the session dates (rows) of the returns frame.
    instruments : column names of the returns frame.
    y : (n_dates, n_instruments) float returns, NaN where missing.
    regressors : instrument -> ((n_dates, p) float array, regressor names); p may be 0.
    """

    index: pd.DatetimeIndex
    instruments: tuple[str, ...]
    y: np.ndarray
    regressors: dict[str, tuple[np.ndarray, tuple[str, ...]]]

    def column(self, instrument: str) -> int:
        return self.instruments.index(instrument)


@dataclass(frozen=True)
class PairWindow:
    """Rows of one (event, instrument) pair, as integer positions in ``returns.index``.

    ``est_rows``/``est_rel``: estimation observations used (instrument and regressors present,
    not excluded) and their relative days. ``window_rows``: every row of the estimation date
    range where the regressors have values (for ``market_mean="window"``). ``event_rows``/
    ``event_rel``: event-window rows present for the instrument; ``horizons``: sessions of
    the instrument after the last estimation observation. ``usable`` is False when the pair
    cannot be estimated (its problems say why). ``shares_day0_with`` names the first event
    (in catalog order) with the same instrument and day 0 when this pair shares it
    (``same_day0="share"``); its rows are then identical to that event's pair, and engines
    may reuse that pair's estimate. None for the first event of a group and lone events.
    """

    event_id: str
    instrument: str
    day0: pd.Timestamp | None
    est_rows: np.ndarray
    est_rel: np.ndarray
    window_rows: np.ndarray
    event_rows: np.ndarray
    event_rel: np.ndarray
    horizons: np.ndarray
    usable: bool
    shares_day0_with: str | None = None

    @property
    def day0_group(self) -> str:
        """Event id standing for this pair's (instrument, day 0): the first event sharing it."""
        return self.shares_day0_with if self.shares_day0_with is not None else self.event_id


@dataclass(frozen=True)
class WindowPlan:
    """The output of :func:`assemble_windows`."""

    mode: Literal["event", "calendar"]
    pairs: tuple[PairWindow, ...]
    problems: tuple[Problem, ...]
    windows: dict[str, tuple[int, int]]
    estimation: tuple[Any, Any]
    event_range: tuple[int, int]
    events: pd.DataFrame


@dataclass(frozen=True)
class PairEstimate:
    """Engine output for one pair: abnormal returns, variances, CARs and the fit."""

    window: PairWindow
    params: dict[str, float]
    sigma: float
    nobs: int
    k: int
    df: float
    est_ar: np.ndarray
    event_ar: np.ndarray
    event_var: np.ndarray
    leverage: np.ndarray
    market_leverage: np.ndarray
    cars: dict[str, tuple[float, float]]
    distribution: Literal["t", "normal"] = "t"
    fit: Any = field(default=None, repr=False, compare=False)
    se_sigma: float = math.nan


# --------------------------------------------------------------------------------------
# input validation


def _as_returns(returns: pd.DataFrame) -> pd.DataFrame:
    if isinstance(returns, pd.Series):
        returns = returns.to_frame()
    if not isinstance(returns, pd.DataFrame):
        raise EventStudyInputError(
            f"returns must be a DataFrame (dates x instruments), got {type(returns).__name__}"
        )
    if not isinstance(returns.index, pd.DatetimeIndex):
        if "date" in returns.columns:
            returns = returns.set_index("date")
        try:
            returns = returns.set_axis(pd.DatetimeIndex(pd.to_datetime(returns.index)), axis=0)
        except (ValueError, TypeError) as exc:
            raise EventStudyInputError(
                "returns needs a DatetimeIndex of session dates (or a 'date' column); "
                f"could not parse the index: {exc}"
            ) from exc
    if returns.index.has_duplicates:
        dup = returns.index[returns.index.duplicated()].unique()[:5]
        raise EventStudyInputError(
            f"returns has duplicated dates, e.g. {[str(d.date()) for d in dup]}; "
            "one row per session is expected"
        )
    bad = [f"{c!r} ({returns[c].dtype})" for c in returns.columns if not _is_numeric(returns[c])]
    if bad:
        raise EventStudyInputError(
            f"returns has non-numeric columns: {', '.join(bad)}; every column must hold numeric "
            "returns (convert or drop them first)"
        )
    if not returns.index.is_monotonic_increasing:
        returns = returns.sort_index()
    return returns.astype(float)


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _as_regressor_frame(obj: Any, index: pd.DatetimeIndex, what: str) -> pd.DataFrame:
    if isinstance(obj, pd.Series):
        obj = obj.to_frame(name=obj.name if obj.name is not None else what)
    if not isinstance(obj, pd.DataFrame):
        raise EventStudyInputError(f"{what} must be a Series or DataFrame, got {type(obj)}")
    frame = _as_returns(obj)
    return frame.reindex(index)


# --------------------------------------------------------------------------------------
# the study


class EventStudy:
    """An event study: returns, benchmark(s), and a normal-return model.

    Parameters
    ----------
    returns : DataFrame
        Session dates (DatetimeIndex) x instruments, numeric returns, NaN where missing
        (never filled).
    market : Series or DataFrame, optional
        Benchmark returns. A Series (or one-column frame) is the benchmark of every
        instrument; with several columns, ``benchmarks`` maps instrument -> column.
    model : str or NormalReturnModel, default "market"
        A name or alias from :data:`eventstudy.models.MODELS`, or a model instance.
    benchmarks : mapping, optional
        Instrument -> column of ``market`` (each instrument its own benchmark).
    factors : DataFrame, optional
        Extra regressors for the factor model (used after the benchmark, if any).

    Examples
    --------
    >>> res = EventStudy(rates, market=rates_indx["^GSPC"], model="market").run(
    ...     estimation=("2019-04-01", "2020-03-13"), event_window=("2020-03-16", "2020-03-20"))
    >>> res.daily_tests()
    """

    def __init__(
        self,
        returns: pd.DataFrame,
        market: pd.Series | pd.DataFrame | None = None,
        model: str | NormalReturnModel = "market",
        *,
        benchmarks: Mapping[str, str] | None = None,
        factors: pd.DataFrame | None = None,
    ) -> None:
        self.returns = _as_returns(returns)
        self.model = resolve_model(model)
        idx = self.returns.index
        self.market = None if market is None else _as_regressor_frame(market, idx, "market")
        self.factors = None if factors is None else _as_regressor_frame(factors, idx, "factors")
        self.benchmarks = dict(benchmarks or {})
        if self.model.uses_market and self.market is None:
            raise EventStudyInputError(
                f"model {self.model.name!r} needs a market: pass market=<Series or DataFrame>"
            )
        if self.model.uses_factors and self.factors is None and self.market is None:
            raise EventStudyInputError("the factor model needs factors=<DataFrame> or market=")
        if self.market is not None:
            cols = list(self.market.columns)
            if len(cols) > 1:
                missing = [c for c in self.returns.columns if c not in self.benchmarks]
                if missing and self.model.uses_market:
                    raise EventStudyInputError(
                        f"market has {len(cols)} columns {cols}; benchmarks= must map every "
                        f"instrument to one of them (missing: {missing})"
                    )
            unknown = {k: v for k, v in self.benchmarks.items() if v not in cols}
            if unknown:
                raise EventStudyInputError(
                    f"benchmarks name columns not in market: {unknown}; market columns: {cols}"
                )
        self.data = self._study_data()

    def __repr__(self) -> str:
        return (
            f"EventStudy({self.returns.shape[1]} instruments, {len(self.returns)} dates, "
            f"model={self.model!r})"
        )

    def _study_data(self) -> StudyData:
        instruments = tuple(str(c) for c in self.returns.columns)
        regs: dict[str, tuple[np.ndarray, tuple[str, ...]]] = {}
        # instruments with the same benchmark share one (read-only) regressor array
        by_col: dict[Any, tuple[np.ndarray, tuple[str, ...]]] = {}
        for inst in instruments:
            parts: list[pd.DataFrame] = []
            col = None
            if (self.model.uses_market or self.model.uses_factors) and self.market is not None:
                col = self.benchmarks.get(inst, self.market.columns[0])
                parts.append(self.market[[col]])
            if col in by_col:
                regs[inst] = by_col[col]
                continue
            if self.model.uses_factors and self.factors is not None:
                parts.append(self.factors)
            if parts:
                frame = pd.concat(parts, axis=1)
                x = frame.to_numpy(float)
                regs[inst] = (x, tuple(str(c) for c in frame.columns))
            else:
                x = np.empty((len(self.returns), 0))
                regs[inst] = (x, ())
            x.flags.writeable = False
            by_col[col] = regs[inst]
        return StudyData(self.returns.index, instruments, self.returns.to_numpy(float), regs)

    def plan(
        self,
        events: pd.DataFrame | None = None,
        *,
        estimation: tuple[Any, Any] = (-250, -11),
        event_window: tuple[Any, Any] | None = None,
        event_windows: Sequence[tuple[int, int]] | None = None,
        min_estimation: int = 100,
        contamination: Literal["report", "exclude"] = "report",
        same_day0: Literal["share", "drop"] = "share",
        day0: Day0Hook | pd.DataFrame | None = None,
        instruments: Sequence[str] | None = None,
    ) -> WindowPlan:
        """Assemble the windows without estimating (see :func:`assemble_windows`; the
        parameters are those of :meth:`run`)."""
        return assemble_windows(
            self.data,
            events,
            estimation=estimation,
            event_window=event_window,
            event_windows=event_windows,
            min_estimation=min_estimation,
            contamination=contamination,
            same_day0=same_day0,
            day0=day0,
            instruments=instruments,
        )

    def run(
        self,
        events: pd.DataFrame | None = None,
        *,
        estimation: tuple[Any, Any] = (-250, -11),
        event_window: tuple[Any, Any] | None = None,
        event_windows: Sequence[tuple[int, int]] | None = None,
        min_estimation: int = 100,
        contamination: Literal["report", "exclude"] = "report",
        same_day0: Literal["share", "drop"] = "share",
        day0: Day0Hook | pd.DataFrame | None = None,
        instruments: Sequence[str] | None = None,
        prediction_error: bool = True,
        se_ddof: int | Literal["df_resid"] = "df_resid",
        conventions: Conventions | None = None,
        engine: str = "auto",
    ) -> EventStudyResult:
        """Run the study and return a read-only :class:`EventStudyResult`.

        Parameters
        ----------
        events : DataFrame, optional
            Event mode: columns ``event_id, date`` and optionally ``instrument`` (then the
            event is studied on that instrument only) and any catalog columns (category,
            direction ...) used for aggregation. Omit for calendar mode.
        estimation : (int, int) or (date, date)
            Relative trading days (event mode, default ``(-250, -11)``) or a date range
            (calendar mode).
        event_window : (int, int) or (date, date), optional
            One event window; dates select calendar mode.
        event_windows : list of (int, int), optional
            Several event windows (event mode), e.g. ``[(-1, 1), (0, 0), (0, 5)]``.
        min_estimation : int, default 100
            Fewer estimation observations make the pair unusable (reported in ``problems``).
        contamination : {"report", "exclude"}
            Other events whose event windows fall inside an estimation window are always
            reported; "exclude" also removes those days from the estimation (equivalent to
            one dummy per contaminated day). Events with the same day 0 on the instrument
            are not contamination of each other (they share one event window; see
            ``same_day0``).
        same_day0 : {"share", "drop"}, default "share"
            What to do when several events have the same day 0 on an instrument (two calls
            on one day; a Saturday and a Sunday event that both map to Monday).

            - "share": every event keeps its abnormal returns and CARs. They are identical
              for the events of such a group -- the same instrument, estimation window and
              day-0 move -- and the model is estimated once per group. ``abnormal_returns``,
              ``cars`` and ``fits`` carry a ``day0_group`` column, the ``event_id`` of the
              group's first event in catalog order (the event's own id when it shares its
              day 0 with none); ``problems`` reports each later event of a group (kind
              ``shared_day0``, informational). The test battery (``daily_tests``,
              ``window_tests``, ``test_records``, ``panel``) and the averages
              (``aggregate``, ``aggregate_cars``, ``caar``) count each (instrument, day 0)
              once -- the first event of the group among the pairs selected -- because one
              market move observed twice is one observation, not two: counting it twice
              would inflate ``N`` and overstate significance.
            - "drop": only the first event of each group is studied; the others get no
              rows and are reported (kind ``duplicate``).

            Why "share" is the default: an event table or heatmap that shows "n/a" for an
            event on a day the market moved is wrong for the reader, while the statistics
            stay honest because the tests see each move once.
        day0 : callable or DataFrame, optional
            Event -> day-0 mapping hook: ``f(event_date, instrument, sessions) -> Timestamp``
            (``sessions``: the dates with a return for the instrument), or a frame, long
            (``event_id, instrument, day0``) or wide (index ``event_id``, one column per
            instrument, the shape ``eventstudy.market.event_day0`` returns for several
            instruments). A day 0 that is not a date with a return is reported
            (``no_day0``), never rolled. Default: the instrument's first session on or after
            the event date.
        prediction_error : bool, default True
            Include the estimation error of the normal return in the AR and CAR standard
            errors (statsmodels prediction variance ``s^2 (1 + x'(X'X)^{-1}x)``).
        se_ddof : int or "df_resid", default "df_resid"
            Residual variance ``s^2`` of the AR and CAR standard errors: statsmodels' ``scale``
            ``SSR / (L - k)`` (default, so ``se`` equals ``get_prediction(...).se_obs``), or
            the sample variance with this ``ddof``. The test battery uses
            ``conventions.sigma_ddof`` instead (estudy2: 1).
        conventions : Conventions, optional
            Variance conventions of the tests (defaults reproduce estudy2).
        engine : str, default "auto"
            "auto", or a name or alias of :data:`ENGINES`: "statsmodels" (the reference,
            one fit per pair) or "fast" (vectorised, OLS family only; equal to the
            reference to 1e-9, ``tests/study/test_engine_equivalence.py``). "auto" uses
            "fast" for constant_mean, market_adjusted, market and factor and "statsmodels"
            otherwise (GARCH, user models). ``result.options["engine"]`` records the engine
            used.
        """
        conv = conventions or Conventions()
        plan = self.plan(
            events,
            estimation=estimation,
            event_window=event_window,
            event_windows=event_windows,
            min_estimation=min_estimation,
            contamination=contamination,
            same_day0=same_day0,
            day0=day0,
            instruments=instruments,
        )
        used = resolve_engine(engine, self.model)
        common: dict[str, Any] = {
            "index": self.data.index,
            "windows": plan.windows,
            "mode": plan.mode,
            "model": self.model,
            "conventions": conv,
            "events": plan.events,
            "options": {
                "estimation": plan.estimation,
                "min_estimation": min_estimation,
                "contamination": contamination,
                "same_day0": same_day0,
                "prediction_error": prediction_error,
                "se_ddof": se_ddof,
                "engine": used,
            },
        }
        if used == "fast":
            # the batch form: result frames built from arrays, no per-pair objects
            batch, problems = estimate_fast_batch(
                self.data,
                plan,
                self.model,
                conv,
                prediction_error=prediction_error,
                se_ddof=se_ddof,
            )
            return EventStudyResult.from_batch(
                batch, problems=_join_problems(plan.problems, problems), **common
            )
        estimates, problems = ENGINES[used].func(
            self.data,
            plan,
            self.model,
            conv,
            prediction_error=prediction_error,
            se_ddof=se_ddof,
        )
        return EventStudyResult.from_estimates(
            estimates, problems=list(plan.problems) + list(problems), **common
        )

    def dummy_regression(
        self,
        events: pd.DataFrame | None = None,
        *,
        estimation: tuple[Any, Any] = (-250, -11),
        event_window: tuple[Any, Any] | None = None,
        event_windows: Sequence[tuple[int, int]] | None = None,
        min_estimation: int = 100,
        day0: Day0Hook | pd.DataFrame | None = None,
        cov_type: Literal["HAC", "nonrobust"] = "HAC",
        maxlags: int | None = None,
    ) -> DummyRegressionResult:
        """Joint dummy-variable regression (Karafiath 1988) per instrument.

        One OLS per instrument over the union of its pairs' estimation and event rows, with
        the model's regressors and one dummy per distinct event date of every event (see
        :func:`eventstudy.inference.dummy_regression`). Overlapping events share dummies;
        CARs are linear combinations with their covariance. OLS-family models only.
        Returns a :class:`eventstudy.inference.DummyRegressionResult`.
        """
        from eventstudy.inference import dummy_regression

        if not self.model.ols_family or self.model.name == "market_adjusted":
            raise EventStudyInputError(
                f"the dummy regression needs an OLS model (market, factor, constant_mean), "
                f"not {self.model.name!r}"
            )
        plan = self.plan(
            events,
            estimation=estimation,
            event_window=event_window,
            event_windows=event_windows,
            min_estimation=min_estimation,
            day0=day0,
        )
        d = self.data
        ars, cars, fits = [], [], {}
        by_inst: dict[str, list[PairWindow]] = {}
        for pw in plan.pairs:
            if pw.usable:
                by_inst.setdefault(pw.instrument, []).append(pw)
        for inst, pws in by_inst.items():
            j = d.column(inst)
            x, names = d.regressors[inst]
            ev_rows = np.concatenate([p.event_rows for p in pws])
            rows = np.unique(np.concatenate([p.est_rows for p in pws] + [ev_rows]))
            ok = ~np.isnan(d.y[rows, j])
            if x.shape[1]:
                ok &= ~np.isnan(x[rows]).any(axis=1)
            rows = rows[ok]
            idx = d.index[rows]
            y = pd.Series(d.y[rows, j], index=idx)
            design = pd.DataFrame(x[rows], index=idx, columns=list(names))
            design.insert(0, "const", 1.0)
            kept = set(rows.tolist())
            ev = pd.DataFrame(
                [
                    (p.event_id, int(r), d.index[row])
                    for p in pws
                    for r, row in zip(p.event_rel, p.event_rows, strict=True)
                    if int(row) in kept
                ],
                columns=["event_id", "rel_day", "date"],
            )
            a, c, fit = dummy_regression(
                y, design, ev, plan.windows, cov_type=cov_type, maxlags=maxlags
            )
            a.insert(1, "instrument", inst)
            c.insert(1, "instrument", inst)
            ars.append(a)
            cars.append(c)
            fits[inst] = fit
        cols_a = ["event_id", "instrument", "rel_day", "date", "ar", "se", "t", "p"]
        cols_c = ["event_id", "instrument", "window", "car", "se", "t", "p"]
        return DummyRegressionResult(
            pd.concat(ars, ignore_index=True) if ars else pd.DataFrame(columns=cols_a),
            pd.concat(cars, ignore_index=True) if cars else pd.DataFrame(columns=cols_c),
            fits,
            cov_type,
        )


# --------------------------------------------------------------------------------------
# window assembly


def _is_int_pair(w: Any) -> bool:
    return (
        isinstance(w, tuple | list)
        and len(w) == 2
        and all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in w)
    )


def _label(w: tuple[int, int]) -> str:
    return f"({w[0]},{w[1]})"


def _check_window(w: tuple[int, int], what: str) -> tuple[int, int]:
    if not _is_int_pair(w):
        raise EventStudyInputError(f"{what} must be a pair of integers (first, last), got {w!r}")
    a, b = int(w[0]), int(w[1])
    if a > b:
        raise EventStudyInputError(f"{what} {w!r}: first day {a} is after last day {b}")
    return a, b


def _prepare_events(events: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(events, pd.DataFrame):
        raise EventStudyInputError(f"events must be a DataFrame, got {type(events).__name__}")
    missing = [c for c in ("event_id", "date") if c not in events.columns]
    if missing:
        raise EventStudyInputError(
            f"events lacks column(s) {missing}; expected at least 'event_id' and 'date' "
            f"(got {list(events.columns)})"
        )
    ev = events.copy()
    ev["event_id"] = ev["event_id"].astype(str)
    if "instrument" in ev.columns:
        key = ev["event_id"] + "\x00" + ev["instrument"].astype(str)
    else:
        key = ev["event_id"]
    dup = ev.loc[key.duplicated(keep=False), "event_id"].unique().tolist()
    if dup:
        raise EventStudyInputError(
            f"duplicate event_id(s) {dup[:10]}: each event (and instrument) must appear once; "
            "drop or rename the duplicates"
        )
    ev["date"] = pd.to_datetime(ev["date"], errors="coerce", format="mixed")
    return ev.reset_index(drop=True)


def assemble_windows(
    data: StudyData,
    events: pd.DataFrame | None,
    *,
    estimation: tuple[Any, Any] = (-250, -11),
    event_window: tuple[Any, Any] | None = None,
    event_windows: Sequence[tuple[int, int]] | None = None,
    min_estimation: int = 100,
    contamination: Literal["report", "exclude"] = "report",
    same_day0: Literal["share", "drop"] = "share",
    day0: Day0Hook | pd.DataFrame | None = None,
    instruments: Sequence[str] | None = None,
) -> WindowPlan:
    """Decide the estimation and event rows of every (event, instrument) pair.

    Returns a :class:`WindowPlan` whose pairs hold integer positions into ``data.index``;
    nothing is estimated. Problems are collected per pair, never printed: NaN returns or
    regressors skipped (with counts), events outside the data, windows that do not fit,
    too few estimation observations, contamination of estimation windows by other events,
    overlapping event windows, and events sharing an instrument and day 0.

    Events with the same day 0 on an instrument form a group led by the first of them in
    catalog order. With ``same_day0="share"`` every member gets a pair whose rows are those of
    the leader's pair (``PairWindow.shares_day0_with`` names the leader) and each later
    member is reported as ``shared_day0``; with ``"drop"`` the later members get an empty,
    unusable pair and are reported as ``duplicate``. Members of a group are neither
    contamination of each other's estimation windows nor reported as overlapping (their event
    windows coincide; ``shared_day0`` says so). The parameters are those of
    :meth:`EventStudy.run`.
    """
    if min_estimation < 1:
        raise EventStudyInputError(f"min_estimation must be >= 1, got {min_estimation}")
    if contamination not in ("report", "exclude"):
        raise EventStudyInputError(
            f"contamination must be 'report' or 'exclude', got {contamination!r}"
        )
    if same_day0 not in ("share", "drop"):
        raise EventStudyInputError(f"same_day0 must be 'share' or 'drop', got {same_day0!r}")
    insts = list(data.instruments if instruments is None else instruments)
    unknown = [i for i in insts if i not in data.instruments]
    if unknown:
        raise EventStudyInputError(
            f"instruments {unknown} are not columns of returns {list(data.instruments)}"
        )
    calendar = not _is_int_pair(estimation)
    if calendar:
        return _calendar_plan(data, estimation, event_window, min_estimation, insts, events)
    est = _check_window(tuple(estimation), "estimation")  # type: ignore[arg-type]
    if event_windows is None:
        event_windows = [event_window if event_window is not None else (-1, 1)]
    elif event_window is not None:
        raise EventStudyInputError("give event_window or event_windows, not both")
    wins = [_check_window(tuple(w), "event window") for w in event_windows]  # type: ignore[arg-type]
    if events is None:
        raise EventStudyInputError(
            "event mode (integer windows) needs events=<DataFrame with event_id, date>; for "
            "calendar mode give estimation and event_window as date pairs"
        )
    ev = _prepare_events(events)
    d0_frame = _day0_table(day0) if isinstance(day0, pd.DataFrame) else None
    d0_func = day0 if callable(day0) and d0_frame is None else None
    return _vector_event_plan(
        data, ev, insts, est, wins, min_estimation, contamination, same_day0, d0_func, d0_frame
    )


def _empty_pair(eid: str, inst: str, day0: pd.Timestamp | None) -> PairWindow:
    e = np.empty(0, dtype=int)
    return PairWindow(eid, inst, day0, e, e, e, e, e, e, False)


def _day0_table(frame: pd.DataFrame) -> dict[tuple[str, str], pd.Timestamp | None]:
    """``(event_id, instrument) -> day 0`` from a long frame (``event_id, instrument, day0``)
    or a wide one (index event_id, one column per instrument, as ``event_day0`` returns)."""
    if {"event_id", "instrument", "day0"} <= set(frame.columns):
        long = frame[["event_id", "instrument", "day0"]]
    else:
        long = frame.rename_axis("event_id").reset_index()
        long = long.melt(id_vars="event_id", var_name="instrument", value_name="day0")
    out: dict[tuple[str, str], pd.Timestamp | None] = {}
    for eid, inst, d in long.itertuples(index=False):
        key = (str(eid), str(inst))
        if key in out:
            raise EventStudyInputError(f"the day0 table gives event {key[0]!r} on {key[1]!r} twice")
        out[key] = None if pd.isna(d) else pd.Timestamp(d)
    return out


def _day0(
    data: StudyData,
    eid: str,
    inst: str,
    date: pd.Timestamp,
    sess: np.ndarray,
    func: Day0Hook | None,
    frame: dict[tuple[str, str], pd.Timestamp | None] | None,
    problems: list[Problem],
    sess_dates: pd.DatetimeIndex | None = None,
) -> int | None:
    """Position of day 0 in the instrument's sessions, or None (problem recorded).
    ``sess_dates`` (``data.index[sess]``) may be passed to save recomputing it per event."""
    if len(sess) == 0:
        problems.append(Problem(eid, inst, "outside_data", f"{inst} has no returns at all"))
        return None
    if sess_dates is None:
        sess_dates = data.index[sess]
    target: pd.Timestamp | None
    if frame is not None or func is not None:
        if frame is not None:
            target = frame.get((eid, inst))
        else:
            assert func is not None
            t = func(date, inst, sess_dates)
            target = None if t is None or pd.isna(t) else pd.Timestamp(t)
        if target is None:
            problems.append(
                Problem(eid, inst, "no_day0", "the day0 mapping gives no day 0; pair skipped")
            )
            return None
        k = int(sess_dates.searchsorted(target))
        if k >= len(sess_dates) or sess_dates[k] != target:
            problems.append(
                Problem(
                    eid,
                    inst,
                    "no_day0",
                    f"day 0 {target.date()} from the day0 mapping is not a date with a "
                    f"return for {inst}; pair skipped",
                )
            )
            return None
        return k
    k = int(sess_dates.searchsorted(date))
    if k >= len(sess_dates):
        problems.append(
            Problem(
                eid,
                inst,
                "outside_data",
                f"event date {date.date()} is after the last return of {inst} "
                f"({sess_dates[-1].date()}); pair skipped",
            )
        )
        return None
    if k == 0 and date < sess_dates[0]:
        problems.append(
            Problem(
                eid,
                inst,
                "outside_data",
                f"event date {date.date()} is before the first return of {inst} "
                f"({sess_dates[0].date()}); no estimation window",
            )
        )
    return k


def _calendar_plan(
    data: StudyData,
    estimation: tuple[Any, Any],
    event_window: tuple[Any, Any] | None,
    min_estimation: int,
    insts: Sequence[str],
    events: pd.DataFrame | None,
) -> WindowPlan:
    if event_window is None or _is_int_pair(event_window):
        raise EventStudyInputError(
            "calendar mode (estimation given as dates) needs event_window=(first date, last "
            "date); event mode needs integer windows and events="
        )
    if events is not None:
        raise EventStudyInputError("calendar mode takes no events; give integer windows instead")
    try:
        es, ee = (pd.Timestamp(v) for v in estimation)
        vs, ve = (pd.Timestamp(v) for v in event_window)
    except (ValueError, TypeError) as exc:
        raise EventStudyInputError(f"could not parse calendar-mode dates: {exc}") from exc
    for a, b, what in ((es, ee, "estimation"), (vs, ve, "event window")):
        if a > b:
            raise EventStudyInputError(f"{what} starts {a.date()} after it ends {b.date()}")
    idx = data.index
    est_rows_all = np.flatnonzero((idx >= es) & (idx <= ee))
    ev_rows_all = np.flatnonzero((idx >= vs) & (idx <= ve))
    problems: list[Problem] = []
    eid = f"{vs.date()}..{ve.date()}"
    if len(ev_rows_all) == 0:
        raise EventStudyInputError(
            f"event window {vs.date()}..{ve.date()} holds no dates of the returns "
            f"({idx[0].date()}..{idx[-1].date()})"
        )
    if len(est_rows_all) == 0:
        raise EventStudyInputError(
            f"estimation window {es.date()}..{ee.date()} holds no dates of the returns "
            f"({idx[0].date()}..{idx[-1].date()})"
        )
    p0 = int(ev_rows_all[0])
    overlap = bool(np.intersect1d(est_rows_all, ev_rows_all).size)
    if overlap:
        problems.append(
            Problem(
                None,
                None,
                "window_overlap",
                "estimation and event windows overlap; tests pooling both do not apply",
            )
        )
    pairs = []
    for inst in insts:
        j = data.column(inst)
        x, names = data.regressors[inst]
        y = data.y[:, j]
        ok = ~np.isnan(y[est_rows_all])
        n_nan = int((~ok).sum())
        if n_nan:
            problems.append(
                Problem(
                    eid,
                    inst,
                    "missing_returns",
                    f"{n_nan} of {len(est_rows_all)} estimation dates have no return for "
                    f"{inst}; skipped, not filled",
                    n_nan,
                )
            )
        window_rows = est_rows_all
        if x.shape[1]:
            xm = np.isnan(x[est_rows_all]).any(axis=1)
            window_rows = est_rows_all[~xm]
            miss = ok & xm
            if miss.any():
                problems.append(
                    Problem(
                        eid,
                        inst,
                        "missing_regressor",
                        f"{int(miss.sum())} estimation dates lack a regressor value "
                        f"({', '.join(names)}); skipped, not filled",
                        int(miss.sum()),
                    )
                )
            ok &= ~xm
        rows = est_rows_all[ok]
        ev_ok = ~np.isnan(y[ev_rows_all])
        if not ev_ok.all():
            problems.append(
                Problem(
                    eid,
                    inst,
                    "missing_returns",
                    f"{int((~ev_ok).sum())} event dates have no return for {inst}; their "
                    "abnormal returns are missing",
                    int((~ev_ok).sum()),
                )
            )
        ev_rows = ev_rows_all[ev_ok]
        usable = len(rows) >= min_estimation
        if not usable:
            problems.append(
                Problem(
                    eid,
                    inst,
                    "too_few_observations",
                    f"{len(rows)} estimation observations, fewer than min_estimation="
                    f"{min_estimation}; instrument not estimated",
                    len(rows),
                )
            )
        sess = np.flatnonzero(~np.isnan(y))
        last = rows[-1] if len(rows) else p0
        horizons = np.searchsorted(sess, ev_rows) - np.searchsorted(sess, last)
        pairs.append(
            PairWindow(
                eid,
                inst,
                idx[p0],
                rows,
                rows - p0,
                window_rows,
                ev_rows,
                ev_rows - p0,
                horizons,
                usable,
            )
        )
    win = (0, len(ev_rows_all) - 1)
    events_frame = pd.DataFrame({"event_id": [eid], "date": [idx[p0]]})
    return WindowPlan(
        "calendar",
        tuple(pairs),
        tuple(problems),
        {_label(win): win},
        (es, ee),
        win,
        events_frame,
    )


# --------------------------------------------------------------------------------------
# vectorised event-mode assembly (columnar plan, pairs and problems materialised lazily)


class _LazyProblems(Sequence[Problem]):
    """Problems held as columns (event_id, instrument, kind, message, count), or as parts
    (one per kind of problem found: its rows' columns, the messages possibly as a function
    that formats them) with the order that sorts their rows, then ``more`` problems; the
    columns (messages included), the frame and the :class:`Problem` objects are built on
    first access. ``len`` and :meth:`kinds` need none of them."""

    _FIELDS = ("event_id", "instrument", "kind", "message", "count")

    def __init__(
        self,
        columns: tuple[list[Any], ...] | None = None,
        *,
        parts: Sequence[tuple[Any, ...]] = (),
        order: np.ndarray | None = None,
        more: Sequence[Problem] = (),
    ) -> None:
        self._columns = columns
        self._parts = tuple(parts)
        self._order = np.empty(0, np.int64) if order is None else order
        self._more = tuple(more)

    @property
    def columns(self) -> tuple[list[Any], ...]:
        if self._columns is None:
            cols = []
            for c in range(5):
                vals: list[Any] = []
                for part in self._parts:
                    v = part[c]
                    v = v() if callable(v) else v
                    vals.extend(v.tolist() if isinstance(v, np.ndarray) else v)
                arr = np.empty(len(vals), dtype=object)
                arr[:] = vals
                extra = [getattr(p, self._FIELDS[c]) for p in self._more]
                cols.append(arr[self._order].tolist() + extra)
            self._columns = tuple(cols)
        return self._columns

    def kinds(self) -> np.ndarray:
        """The kind of every problem (an object array), without formatting messages."""
        if self._columns is not None:
            return np.array(self._columns[2], dtype=object)
        names = np.array([part[2][0] for part in self._parts] or [""], dtype=object)
        lengths = [len(part[2]) for part in self._parts]
        rows = np.repeat(names[: len(lengths)], lengths)[self._order]
        return np.concatenate([rows, np.array([p.kind for p in self._more], dtype=object)])

    def extended(self, more: Sequence[Problem]) -> _LazyProblems:
        """These problems then ``more``."""
        if not more:
            return self
        if self._columns is not None:
            return _LazyProblems(
                tuple(
                    list(c) + [getattr(p, f) for p in more]
                    for c, f in zip(self._columns, self._FIELDS, strict=True)
                )
            )
        return _LazyProblems(parts=self._parts, order=self._order, more=(*self._more, *more))

    def __len__(self) -> int:
        if self._columns is not None:
            return len(self._columns[0])
        return len(self._order) + len(self._more)

    @property
    def _items(self) -> tuple[Problem, ...]:
        items = self.__dict__.get("_cache")
        if items is None:
            items = tuple(Problem(*row) for row in zip(*self.columns, strict=True))
            self.__dict__["_cache"] = items
        return items

    def __getitem__(self, i: Any) -> Any:
        return self._items[i]

    def __iter__(self) -> Any:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class _EventArrays:
    """Columnar event-mode plan: per pair (plan order) the event, instrument, day 0 position
    among the instrument's sessions and the session ranges of its windows. The
    :class:`PairWindow` objects (and their row arrays) are derived from these on demand."""

    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)

    # flat row arrays of many pairs at once -------------------------------------------
    def est_flat(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Kept estimation rows, their relative days and the offsets, pairs ``idx``."""
        n_ks = np.maximum(self.ks1[idx] - self.ks0[idx] + 1, 0)
        n_ks[~self.active[idx]] = 0
        ptr = _offsets(n_ks)
        pos = np.arange(ptr[-1], dtype=np.int64) - np.repeat(ptr[:-1] - self.ks0[idx], n_ks)
        base = np.repeat(self.sess_ptr[self.inst[idx]], n_ks)
        keep = ~self.xnan[base + pos]
        if self.piece_pair is not None and len(self.piece_pair):
            # exclusion pieces (disjoint ranges of session positions) -> a coverage count
            loc = np.searchsorted(idx, self.piece_pair)
            ok = (loc < len(idx)) & (idx[np.minimum(loc, len(idx) - 1)] == self.piece_pair)
            loc = loc[ok]
            at = ptr[loc] + (self.piece_u[ok] - self.ks0[idx][loc])
            to = ptr[loc] + (self.piece_v[ok] - self.ks0[idx][loc]) + 1
            cover = np.zeros(ptr[-1] + 1, np.int64)
            np.add.at(cover, at, 1)
            np.add.at(cover, to, -1)
            keep &= np.cumsum(cover[:-1]) == 0
        rows = self.sess[base + pos][keep]
        rel = (pos - np.repeat(self.k0[idx], n_ks))[keep]
        counts = np.bincount(np.repeat(np.arange(len(idx)), n_ks)[keep], minlength=len(idx))
        return rows, rel, _offsets(counts)

    def event_flat(self, idx: np.ndarray) -> tuple[np.ndarray, ...]:
        """Event rows, relative days, horizons and offsets of pairs ``idx``."""
        n = np.maximum(self.kin1[idx] - self.kin0[idx] + 1, 0)
        n[~self.active[idx]] = 0
        ptr = _offsets(n)
        kev = np.arange(ptr[-1], dtype=np.int64) - np.repeat(ptr[:-1] - self.kin0[idx], n)
        rows = self.sess[np.repeat(self.sess_ptr[self.inst[idx]], n) + kev]
        rel = kev - np.repeat(self.k0[idx], n)
        hor = kev - np.repeat(self.last_k[idx], n)
        return rows, rel, hor, ptr

    def window_flat(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``window_rows`` of pairs ``idx`` one after another, and the offsets."""
        n_ks = np.maximum(self.ks1[idx] - self.ks0[idx] + 1, 0)
        n_ks[~self.active[idx]] = 0
        has = n_ks > 0
        base = self.sess_ptr[self.inst[idx]]
        r0 = np.where(has, self.sess[np.minimum(base + self.ks0[idx], len(self.sess) - 1)], 0)
        r1 = np.where(has, self.sess[np.minimum(base + np.maximum(self.ks1[idx], 0),
                                                len(self.sess) - 1)], -1)
        n = np.maximum(r1 - r0 + 1, 0)
        ptr = _offsets(n)
        rows = np.arange(ptr[-1], dtype=np.int64) - np.repeat(ptr[:-1] - r0, n)
        owner = np.repeat(np.arange(len(idx)), n)
        names = self.data.instruments
        inst = self.inst[idx]
        codes: dict[int, int] = {}
        tabs: list[np.ndarray] = []
        code = np.zeros(len(names), np.int64)
        for j in np.unique(inst).tolist():
            x = self.data.regressors[names[j]][0]
            if id(x) not in codes:
                codes[id(x)] = len(tabs)
                tabs.append(np.isnan(x).any(axis=1) if x.shape[1] else np.zeros(len(x), bool))
            code[j] = codes[id(x)]
        keep = ~np.stack(tabs)[code[inst][owner], rows] if len(tabs) else np.ones(0, bool)
        counts = np.bincount(owner[keep], minlength=len(idx))
        return rows[keep], _offsets(counts)

    def day0_dates(self, idx: np.ndarray) -> list[pd.Timestamp | None]:
        rows = self.day0_row[idx]
        ts = list(self.data.index[np.maximum(rows, 0)]) if len(rows) else []
        return [t if r >= 0 else None for t, r in zip(ts, rows.tolist(), strict=True)]

    def pair(self, i: int) -> PairWindow:
        eid = self.eids[i]
        inst = self.data.instruments[int(self.inst[i])]
        if not self.active[i]:
            d0 = None if self.day0_row[i] < 0 else self.data.index[int(self.day0_row[i])]
            return _empty_pair(eid, inst, d0)
        idx = np.array([i], dtype=np.int64)
        rows, rel, _ = self.est_flat(idx)
        ev_rows, ev_rel, hor, _ = self.event_flat(idx)
        k0, k1 = int(self.ks0[i]), int(self.ks1[i])
        if k1 >= k0:
            base = int(self.sess_ptr[self.inst[i]])
            wr = np.arange(self.sess[base + k0], self.sess[base + k1] + 1)
            x = self.data.regressors[inst][0]
            if x.shape[1]:
                wr = wr[~np.isnan(x[wr]).any(axis=1)]
        else:
            wr = np.empty(0, dtype=int)
        return PairWindow(
            eid,
            inst,
            self.data.index[int(self.day0_row[i])],
            rows,
            rel,
            wr,
            ev_rows,
            ev_rel,
            hor,
            bool(self.usable[i]),
            self.leader[i],
        )


class _LazyPairs(Sequence[PairWindow]):
    """The pairs of a columnar plan (``arrays``), materialised as :class:`PairWindow` on
    first access; ``idx`` selects pairs of the plan (all when None)."""

    def __init__(self, arrays: _EventArrays, idx: np.ndarray | None = None) -> None:
        self.arrays = arrays
        self.idx = np.arange(len(arrays.eids), dtype=np.int64) if idx is None else idx

    def __len__(self) -> int:
        return len(self.idx)

    @property
    def _items(self) -> tuple[PairWindow, ...]:
        items = self.__dict__.get("_cache")
        if items is None:
            items = tuple(self.arrays.pair(int(i)) for i in self.idx)
            self.__dict__["_cache"] = items
        return items

    def __getitem__(self, i: Any) -> Any:
        return self._items[i]

    def __iter__(self) -> Any:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def take(self, sel: np.ndarray) -> _LazyPairs:
        """The pairs at positions ``sel`` (bool mask or integer positions)."""
        return _LazyPairs(self.arrays, self.idx[sel])


def _join_problems(first: Sequence[Problem], more: Sequence[Problem]) -> Sequence[Problem]:
    """``first`` then ``more``, kept as columns (or parts) when ``first`` is."""
    if isinstance(first, _LazyProblems):
        return first.extended(more)
    return list(first) + list(more)


def _vector_event_plan(
    data: StudyData,
    ev: pd.DataFrame,
    insts: list[str],
    est: tuple[int, int],
    wins: list[tuple[int, int]],
    min_estimation: int,
    contamination: str,
    same_day0: str,
    d0_func: Day0Hook | None,
    d0_frame: dict[tuple[str, str], pd.Timestamp | None] | None,
) -> WindowPlan:
    """Event-mode :func:`assemble_windows`, vectorised over pairs (same pairs, rows and
    problems, in the same order, as the per-pair rules described there)."""
    lo, hi = min(a for a, _ in wins), max(b for _, b in wins)
    overlap_note = est[0] <= hi and lo <= est[1]
    T, N = data.y.shape
    col = {name: j for j, name in enumerate(data.instruments)}
    n_ev = len(ev)
    eid_ev = [str(e) for e in ev["event_id"].tolist()]
    # sessions of every instrument, one after another
    have_t = ~np.isnan(data.y.T)
    cnt = have_t.sum(axis=1).astype(np.int64)
    sess_ptr = _offsets(cnt)
    sess = np.nonzero(have_t)[1].astype(np.int64)
    xnan = np.zeros(len(sess), bool)
    for j, name in enumerate(data.instruments):
        x = data.regressors[name][0]
        if x.shape[1] and cnt[j]:
            part = slice(sess_ptr[j], sess_ptr[j + 1])
            xnan[part] = np.isnan(x[sess[part]]).any(axis=1)
    xcum = _offsets(xnan.astype(np.int64))

    def xcount(j: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Sessions ``a..b`` (positions) of instruments ``j`` lacking a regressor."""
        base = sess_ptr[j]
        return np.where(b >= a, xcum[base + np.maximum(b, a - 1) + 1] - xcum[base + a], 0)

    # problems: parallel lists plus a sort key (their order in the per-pair rules)
    p_key: list[np.ndarray] = []
    p_cols: list[tuple[Any, ...]] = []

    def add(
        key: Any,
        eids: Any,
        inst_names: Any,
        kind: str,
        msgs: list[str] | Callable[[], list[str]],
        counts: Any,
    ) -> None:
        """One part of the problems: one row per ``key``; ``msgs`` may be a function
        formatting the messages when they are first read."""
        k = np.asarray(key, dtype=np.int64).reshape(-1)
        n = len(k)
        if not n:
            return
        p_key.append(k)
        p_cols.append(
            (
                eids,
                inst_names,
                [kind] * n,
                msgs,
                [None] * n if counts is None else counts,
            )
        )

    # pairs: each event on its instrument, or on every instrument of the study
    spec = np.full(n_ev, -2, np.int64)  # -2: all instruments; -1: unknown; else column
    if "instrument" in ev.columns:
        for e, v in enumerate(ev["instrument"].tolist()):
            if pd.notna(v):
                spec[e] = col.get(str(v), -1)
    bad_date = ev["date"].isna().to_numpy()
    insts_j = np.array([col[i] for i in insts], dtype=np.int64)
    counts_ev = np.where(spec == -2, len(insts_j), 1)
    counts_ev[(spec == -1) | bad_date] = 0
    ev_ptr = _offsets(counts_ev)
    n_pairs = int(ev_ptr[-1])
    ev_code = np.repeat(np.arange(n_ev, dtype=np.int64), counts_ev)
    within = np.arange(n_pairs, dtype=np.int64) - ev_ptr[ev_code]
    inst = spec[ev_code].copy()
    allj = inst == -2
    if allj.any():
        inst[allj] = insts_j[within[allj]]
    # event-level problems come before the pairs of later events
    unk = np.flatnonzero(spec == -1)
    if len(unk):
        names = [str(v) for v in ev["instrument"].to_numpy()[unk]]
        add(
            2 * ev_ptr[unk] * (n_ev + 1) + unk,
            [eid_ev[e] for e in unk],
            names,
            "unknown_instrument",
            [f"instrument {n!r} is not a column of returns; event skipped" for n in names],
            None,
        )
    bd = np.flatnonzero(bad_date & (spec != -1))
    if len(bd):
        add(
            2 * ev_ptr[bd] * (n_ev + 1) + bd,
            [eid_ev[e] for e in bd],
            [None] * len(bd),
            "bad_date",
            ["event date is missing or unparseable; skipped"] * len(bd),
            None,
        )
    eids = np.array(eid_ev, dtype=object)[ev_code] if n_pairs else np.empty(0, object)
    inst_names = np.array(data.instruments, dtype=object)
    ncnt = cnt[inst]

    # day 0: position among the instrument's sessions (-1: none, problem reported)
    k0 = np.full(n_pairs, -1, np.int64)
    if d0_func is not None or d0_frame is not None:
        sess_dates: dict[int, pd.DatetimeIndex] = {}
        dates_list = ev["date"].tolist()
        for p in range(n_pairs):
            j = int(inst[p])
            if j not in sess_dates:
                sess_dates[j] = data.index[sess[sess_ptr[j] : sess_ptr[j + 1]]]
            probs: list[Problem] = []
            k = _day0(
                data,
                str(eids[p]),
                data.instruments[j],
                pd.Timestamp(dates_list[ev_code[p]]),
                sess[sess_ptr[j] : sess_ptr[j + 1]],
                d0_func,
                d0_frame,
                probs,
                sess_dates[j],
            )
            for pr in probs:
                key = [(2 * p + 1) * (n_ev + 1)]
                add(key, [pr.event_id], [pr.instrument], pr.kind, [pr.message], [pr.count])
            if k is not None:
                k0[p] = k
    elif n_pairs:
        dates = pd.DatetimeIndex(ev["date"].to_numpy()[~bad_date])
        left = np.zeros(n_ev, np.int64)
        right = np.zeros(n_ev, np.int64)
        left[~bad_date] = data.index.searchsorted(dates, side="left")
        right[~bad_date] = data.index.searchsorted(dates, side="right")
        sess_key = np.repeat(np.arange(N, dtype=np.int64), cnt) * (T + 1) + sess
        k = np.searchsorted(sess_key, inst * (T + 1) + left[ev_code]) - sess_ptr[inst]
        none = ncnt == 0
        after = ~none & (k >= ncnt)
        first_row = np.where(ncnt > 0, sess[np.minimum(sess_ptr[inst], len(sess) - 1)], 0)
        before = ~none & ~after & (right[ev_code] <= first_row)
        k0 = np.where(none | after, -1, k)

        def ev_date(p: int) -> str:
            return str(pd.Timestamp(ev["date"].iat[int(ev_code[p])]).date())

        def sdate(j: int, pos: int) -> str:
            return str(data.index[int(sess[sess_ptr[j] + pos])].date())

        # one problem per pair at most, in pair order
        w = np.flatnonzero(none | after | before)
        msgs = []
        for p in w.tolist():
            j = int(inst[p])
            name = data.instruments[j]
            if none[p]:
                msgs.append(f"{name} has no returns at all")
            elif after[p]:
                msgs.append(
                    f"event date {ev_date(p)} is after the last return of {name} "
                    f"({sdate(j, int(cnt[j]) - 1)}); pair skipped"
                )
            else:
                msgs.append(
                    f"event date {ev_date(p)} is before the first return of {name} "
                    f"({sdate(j, 0)}); no estimation window"
                )
        add((2 * w + 1) * (n_ev + 1), eids[w], inst_names[inst[w]], "outside_data", msgs, None)

    valid = k0 >= 0
    day0_row = np.full(n_pairs, -1, np.int64)
    day0_row[valid] = sess[sess_ptr[inst[valid]] + k0[valid]]

    # groups of events with the same instrument and day 0, led by the first in catalog order
    leader = np.full(n_pairs, None, dtype=object)
    has_leader = np.zeros(n_pairs, bool)
    vi = np.flatnonzero(valid)
    if len(vi):
        key = inst[vi] * (T + 1) + k0[vi]
        _, first, inv = np.unique(key, return_index=True, return_inverse=True)
        lead = vi[first[inv]]
        f = lead != vi
        pair_key = pd.factorize(eids)[0].astype(np.int64) * N + inst
        if len(np.unique(pair_key)) == n_pairs:
            has_leader[vi[f]] = True
            leader[vi[f]] = eids[lead[f]]
        else:  # an (event, instrument) listed twice: the leader is keyed by the names
            by_name: dict[tuple[str, int], str] = {}
            for p, lp in zip(vi[f].tolist(), lead[f].tolist(), strict=True):
                by_name[(eids[p], int(inst[p]))] = eids[lp]
            for p in vi.tolist():
                got = by_name.get((eids[p], int(inst[p])))
                if got is not None:
                    has_leader[p] = True
                    leader[p] = got
    dropped = has_leader & (same_day0 == "drop")
    active = valid & ~dropped
    # keys of the per-pair problems, after the day-0 ones
    base2 = (2 * (n_pairs + 1) + 2) * (n_ev + 1)

    def pkey(p: np.ndarray, order: int) -> np.ndarray:
        return base2 + p * 16 + order

    d0_str: dict[int, str] = {}

    def day0_text(rows: np.ndarray) -> list[str]:
        u = [r for r in dict.fromkeys(rows.tolist()) if r not in d0_str]
        if u:
            for r, d in zip(u, data.index[u].date, strict=True):
                d0_str[r] = str(d)
        return [d0_str[r] for r in rows.tolist()]

    fl = np.flatnonzero(has_leader & valid)
    if len(fl):
        texts = day0_text(day0_row[fl])
        if same_day0 == "drop":
            msgs = [
                f"same instrument and day 0 ({t}) as event {ld!r}; "
                "excluded to avoid counting it twice (same_day0='drop')"
                for t, ld in zip(texts, leader[fl], strict=True)
            ]
            add(pkey(fl, 0), eids[fl], inst_names[inst[fl]], "duplicate", msgs, None)
        else:
            msgs = [
                f"same instrument and day 0 ({t}) as event {ld!r}: "
                "identical abnormal returns and CARs (one market move); counted once, "
                f"as {ld!r}, in the tests and averages"
                for t, ld in zip(texts, leader[fl], strict=True)
            ]
            add(pkey(fl, 0), eids[fl], inst_names[inst[fl]], "shared_day0", msgs, None)

    # estimation ranges (session positions), clipped to the data
    a = k0 + est[0]
    b = k0 + est[1]
    ks0 = np.maximum(a, 0)
    ks1 = np.minimum(b, ncnt - 1)
    n_ks = np.where(active, np.maximum(ks1 - ks0 + 1, 0), 0)
    length = est[1] - est[0] + 1
    tr = np.flatnonzero(active & ((a < 0) | (b > ncnt - 1)))
    if len(tr):
        msgs = []
        for p, ap, bp, n, nk in zip(
            tr.tolist(), a[tr].tolist(), b[tr].tolist(), ncnt[tr].tolist(), n_ks[tr].tolist(),
            strict=True,
        ):
            name = data.instruments[int(inst[p])]
            where = (
                f"starts {-ap} sessions before the first return of {name}"
                if ap < 0
                else f"ends {bp - n + 1} sessions after the last return of {name}"
            )
            msgs.append(
                f"estimation window {est} {where}; {nk} of {length} sessions available"
            )
        add(pkey(tr, 1), eids[tr], inst_names[inst[tr]], "estimation_truncated", msgs,
            (length - n_ks[tr]).tolist())
    has_ks = n_ks > 0
    base = sess_ptr[inst]
    first_row = np.where(has_ks, sess[np.minimum(base + ks0, len(sess) - 1)], 0)
    last_row = np.where(has_ks, sess[np.minimum(base + np.maximum(ks1, 0), len(sess) - 1)], 0)
    n_nan = np.where(has_ks, last_row - first_row + 1 - n_ks, 0)
    mr = np.flatnonzero(n_nan > 0)
    if len(mr):
        names = inst_names[inst[mr]]

        def msg_missing(counts: np.ndarray = n_nan[mr], names: np.ndarray = names) -> list[str]:
            return [
                f"{n} dates inside the estimation window have no return for "
                f"{nm} (not sessions of it); skipped, not filled"
                for n, nm in zip(counts.tolist(), names, strict=True)
            ]

        add(pkey(mr, 2), eids[mr], names, "missing_returns", msg_missing, n_nan[mr])
    miss = np.where(has_ks, xcount(inst, ks0, ks1), 0)
    mx = np.flatnonzero(miss > 0)
    if len(mx):
        reg_names = {
            j: ", ".join(data.regressors[data.instruments[j]][1]) for j in set(inst[mx].tolist())
        }

        def msg_regressor(counts: np.ndarray = miss[mx], js: np.ndarray = inst[mx]) -> list[str]:
            return [
                f"{n} estimation days lack a regressor value "
                f"({reg_names[j]}); skipped, not filled"
                for n, j in zip(counts.tolist(), js.tolist(), strict=True)
            ]

        add(
            pkey(mx, 3), eids[mx], inst_names[inst[mx]], "missing_regressor", msg_regressor,
            miss[mx],
        )

    # contamination and overlap: other events' spans on the instrument near this pair
    hit = np.zeros(n_pairs, np.int64)
    piece_pair = piece_u = piece_v = None
    act = np.flatnonzero(active)
    q = np.flatnonzero(has_ks)
    if len(act) and len(q):
        off, big = np.int64(2**31), np.int64(2**33)
        order = np.lexsort((k0[act], inst[act]))
        sp_pair = act[order]
        skey = inst[sp_pair] * big + (k0[sp_pair] + lo + off)
        qa = np.minimum(ks0[q], k0[q] + lo)
        qb = np.maximum(ks1[q], k0[q] + hi)
        left = np.searchsorted(skey, inst[q] * big + (qa - (hi - lo) + off), "left")
        right = np.searchsorted(skey, inst[q] * big + (qb + off), "right")
        c = right - left
        cptr = _offsets(c)
        cp = np.repeat(q, c)
        op = sp_pair[np.repeat(left - cptr[:-1], c) + np.arange(cptr[-1], dtype=np.int64)]
        o_k0 = k0[op]
        own = k0[cp]
        other = o_k0 != own
        cont = other & (o_k0 + lo <= ks1[cp]) & (o_k0 + hi >= ks0[cp])
        ovl = other & (o_k0 + lo <= own + hi) & (o_k0 + hi >= own + lo)
        # union of the contaminated days (combos are by pair, then by span start)
        pc = cp[cont]
        u = np.maximum(o_k0[cont] + lo, ks0[pc])
        v = np.minimum(o_k0[cont] + hi, ks1[pc])
        if len(pc):
            vk = pc * big + (v + off)
            cm = np.maximum.accumulate(vk)
            prev = np.concatenate([[np.int64(-1)], cm[:-1]])
            same = np.concatenate([[False], pc[1:] == pc[:-1]])
            prev_end = np.where(same, prev - pc * big - off, np.iinfo(np.int64).min // 4)
            start = np.maximum(u, prev_end + 1)
            new = np.maximum(v - start + 1, 0)
            hit = np.bincount(pc, weights=new, minlength=n_pairs).astype(np.int64)
            pos = new > 0
            piece_pair, piece_u, piece_v = pc[pos], start[pos], v[pos]

        def in_catalog_order(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            p_, o_ = cp[mask], op[mask]
            k = p_ * np.int64(n_pairs + 1) + o_
            if len(k) > 1 and not (k[1:] > k[:-1]).all():
                s = np.argsort(k, kind="stable")
                p_, o_ = p_[s], o_[s]
            return p_, o_

        # combos come by pair (``cp`` ascending); within a pair the messages list the other
        # events in catalog order, sorted when the messages are first read
        cpairs = cp[cont]
        act_txt = "excluded from" if contamination == "exclude" else "kept in"
        if len(cpairs):
            heads = np.flatnonzero(np.concatenate([[True], cpairs[1:] != cpairs[:-1]]))
            cpp = cpairs[heads]

            def msg_contamination(mask: np.ndarray = cont, cpp: np.ndarray = cpp) -> list[str]:
                reprs_ev = [repr(e) for e in eid_ev]
                pairs_, others = in_catalog_order(mask)
                heads = np.flatnonzero(np.concatenate([[True], pairs_[1:] != pairs_[:-1]]))
                bounds = np.append(heads, len(pairs_)).tolist()
                reps = [reprs_ev[e] for e in ev_code[others].tolist()]
                return [
                    f"event window(s) of [{', '.join(reps[s:e])}] fall inside the estimation "
                    f"window ({h} days, {act_txt} the estimation)"
                    for s, e, h in zip(bounds[:-1], bounds[1:], hit[cpp].tolist(), strict=True)
                ]

            add(pkey(cpp, 4), eids[cpp], inst_names[inst[cpp]], "contamination",
                msg_contamination, hit[cpp])
        opairs = cp[ovl]
        if len(opairs):
            names = inst_names[inst[opairs]]

            def msg_overlap(mask: np.ndarray = ovl, names: np.ndarray = names) -> list[str]:
                reprs_ev = [repr(e) for e in eid_ev]
                _, others = in_catalog_order(mask)
                return [
                    f"event window overlaps that of event {reprs_ev[e]} on {nm}"
                    for e, nm in zip(ev_code[others].tolist(), names, strict=True)
                ]

            add(pkey(opairs, 5), eids[opairs], names, "overlap", msg_overlap, None)
    excl = contamination == "exclude" and piece_pair is not None and len(piece_pair) > 0
    # kept estimation observations: not lacking a regressor, not excluded
    nobs = n_ks - miss
    if excl:
        assert piece_pair is not None and piece_u is not None and piece_v is not None
        both = xcount(inst[piece_pair], piece_u, piece_v)
        both_n = np.bincount(piece_pair, weights=both, minlength=n_pairs).astype(np.int64)
        nobs = nobs - hit + both_n
    # event rows
    ew = hi - lo + 1
    kin0 = np.maximum(k0 + lo, 0)
    kin1 = np.minimum(k0 + hi, ncnt - 1)
    n_in = np.where(active, np.maximum(kin1 - kin0 + 1, 0), 0)
    et = np.flatnonzero(active & (n_in < ew))
    if len(et):
        names = inst_names[inst[et]]
        n_out = (ew - n_in[et]).tolist()
        msgs = [
            f"{n} of {ew} event-window days ({lo},{hi}) fall outside the data of {nm}; "
            "their abnormal returns are missing"
            for n, nm in zip(n_out, names, strict=True)
        ]
        add(pkey(et, 6), eids[et], names, "event_window_truncated", msgs, n_out)
    emiss = np.where(n_in > 0, xcount(inst, kin0, kin1), 0)
    em = np.flatnonzero(emiss > 0)
    if len(em):
        msgs = [
            f"{n} event days lack a regressor value; their abnormal returns are missing"
            for n in emiss[em].tolist()
        ]
        add(pkey(em, 7), eids[em], inst_names[inst[em]], "missing_regressor", msgs,
            emiss[em].tolist())
    # last kept estimation session (the horizons count from it)
    last_k = k0.copy()
    got = active & (nobs > 0)
    if got.any():
        valid_pos = np.where(~xnan, np.arange(len(xnan), dtype=np.int64), -1)
        prev_valid = np.maximum.accumulate(valid_pos) if len(valid_pos) else valid_pos
        g = np.flatnonzero(got)
        cand = prev_valid[sess_ptr[inst[g]] + ks1[g]] - sess_ptr[inst[g]]
        if excl:
            assert piece_pair is not None and piece_u is not None and piece_v is not None
            pk = piece_pair * np.int64(2**33) + piece_u
            while True:
                i = np.searchsorted(pk, g * np.int64(2**33) + cand, "right") - 1
                ii = np.maximum(i, 0)
                inside = (i >= 0) & (piece_pair[ii] == g) & (piece_v[ii] >= cand)
                if not inside.any():
                    break
                w = np.flatnonzero(inside)
                gj = sess_ptr[inst[g[w]]]
                cand[w] = prev_valid[gj + piece_u[ii[w]] - 1] - gj
        last_k[g] = cand
    usable = active & (nobs >= min_estimation)
    tf = np.flatnonzero(active & ~usable)
    if len(tf):
        msgs = [
            f"{n} estimation observations, fewer than min_estimation="
            f"{min_estimation}; pair not estimated"
            for n in nobs[tf].tolist()
        ]
        add(pkey(tf, 8), eids[tf], inst_names[inst[tf]], "too_few_observations", msgs,
            nobs[tf].tolist())
    if overlap_note:
        add(
            [np.iinfo(np.int64).max],
            [None],
            [None],
            "window_overlap",
            [
                f"estimation window {est} overlaps the event windows ({lo},{hi}); tests "
                "pooling both (rank, sign around the median) do not apply"
            ],
            None,
        )
    # problems in the order of the per-pair rules
    if p_key:
        keys = np.concatenate(p_key)
        order = np.argsort(keys, kind="stable")
        problems = _LazyProblems(parts=p_cols, order=order)
    else:
        problems = _LazyProblems(([], [], [], [], []))
    arrays = _EventArrays(
        data=data,
        eids=eids,
        inst=inst,
        k0=k0,
        active=active,
        usable=usable,
        leader=np.where(active, leader, None),
        day0_row=day0_row,
        ks0=ks0,
        ks1=ks1,
        kin0=kin0,
        kin1=kin1,
        last_k=last_k,
        nobs=nobs,
        sess=sess,
        sess_ptr=sess_ptr,
        xnan=xnan,
        piece_pair=piece_pair if excl else None,
        piece_u=piece_u,
        piece_v=piece_v,
    )
    return WindowPlan(
        "event",
        _LazyPairs(arrays),  # type: ignore[arg-type]
        problems,  # type: ignore[arg-type]
        {_label(w): w for w in wins},
        est,
        (lo, hi),
        ev,
    )


# --------------------------------------------------------------------------------------
# the reference engine


def estimate_statsmodels(
    data: StudyData,
    plan: WindowPlan,
    model: NormalReturnModel,
    conventions: Conventions,
    *,
    prediction_error: bool = True,
    se_ddof: int | Literal["df_resid"] = "df_resid",
) -> tuple[list[PairEstimate], list[Problem]]:
    """Reference engine: one statsmodels (or arch) fit per usable pair.

    For each pair: fit on the estimation rows; abnormal returns ``R - E[R|X]`` on the event
    rows; prediction-error variance ``s^2 (1 + h)`` (``s`` per ``se_ddof``; the tests' ``sigma``
    per ``conventions.sigma_ddof`` is stored separately) with the statsmodels prediction leverage
    ``h = get_prediction(x).var_pred_mean / scale`` (``h = 0`` without ``prediction_error``;
    the GARCH model uses its conditional variance forecast); CAR variances
    ``s^2 (|W| + c'(X'X)^{-1}c)`` with ``c`` the window's summed design rows.

    A pair sharing its instrument and day 0 with an earlier event
    (``pw.shares_day0_with``) and having the very same rows reuses that event's estimate
    (same numbers, fitted once; its fit warnings are repeated under its own id).
    """
    out: list[PairEstimate] = []
    problems: list[Problem] = []
    done: dict[tuple[str, str], tuple[PairEstimate, list[str]]] = {}
    for pw in plan.pairs:
        if not pw.usable:
            continue
        if pw.shares_day0_with is not None:
            prev = done.get((pw.shares_day0_with, pw.instrument))
            if prev is not None and _same_rows(prev[0].window, pw):
                out.append(replace(prev[0], window=pw))
                problems.extend(
                    Problem(pw.event_id, pw.instrument, "fit_warning", note) for note in prev[1]
                )
                continue
        j = data.column(pw.instrument)
        x_all, names = data.regressors[pw.instrument]
        has_x = x_all.shape[1] > 0
        y_est = data.y[pw.est_rows, j]
        x_est = x_all[pw.est_rows] if has_x else None
        try:
            fitted = model.fit(y_est, x_est, list(names))
        except (ValueError, np.linalg.LinAlgError) as exc:
            problems.append(
                Problem(pw.event_id, pw.instrument, "fit_failed", f"model fit failed: {exc}")
            )
            continue
        notes = [f"{model.name}: {note}" for note in fitted.extra.get("warnings", [])]
        problems.extend(Problem(pw.event_id, pw.instrument, "fit_warning", n) for n in notes)
        sigma = fitted.sigma(conventions.sigma_ddof)  # for the test battery
        s_se = fitted.sigma(se_ddof)  # for the AR and CAR standard errors
        n = len(pw.event_rows)
        x_ev = x_all[pw.event_rows] if has_x else None
        y_ev = data.y[pw.event_rows, j]
        ar = y_ev - fitted.expected(x_ev, n)
        # exact leverage from statsmodels' prediction variance
        xe_full = None
        if fitted.k == 0:
            h_exact = np.zeros(n)
        else:
            xe_full = np.column_stack([np.ones(n), x_ev]) if x_ev is not None else np.ones((n, 1))
            sm_fit = fitted.fit
            if hasattr(sm_fit, "get_prediction") and n:
                good = ~np.isnan(xe_full).any(axis=1)
                h_exact = np.full(n, np.nan)
                if good.any():
                    pred = sm_fit.get_prediction(xe_full[good])
                    h_exact[good] = np.asarray(pred.var_pred_mean) / sm_fit.scale
            else:
                h_exact = np.einsum("ij,jk,ik->i", xe_full, fitted.xtx_inv, xe_full)
        x_win = x_all[pw.window_rows] if (has_x and conventions.market_mean == "window") else None
        if fitted.k and has_x:
            lev, lev_m = fitted.leverage(x_ev, n, x_win)
        else:
            lev, lev_m = fitted.leverage(x_ev, n, None)
        h_use = h_exact if prediction_error else np.zeros(n)
        var = model.event_variance(fitted, s_se, h_use, pw.horizons)
        if not model.ols_family:
            lev = var / sigma**2 - 1.0
        # CARs
        cars: dict[str, tuple[float, float]] = {}
        for label, (a, b) in plan.windows.items():
            sel = (pw.event_rel >= a) & (pw.event_rel <= b)
            if sel.sum() != b - a + 1 or np.isnan(ar[sel]).any():
                cars[label] = (math.nan, math.nan)
                continue
            car = float(ar[sel].sum())
            if not model.ols_family:
                cvar = float(var[sel].sum())
            elif fitted.k == 0 or not prediction_error:
                cvar = s_se**2 * int(sel.sum())
            else:
                assert xe_full is not None
                c = xe_full[sel].sum(axis=0)
                cvar = s_se**2 * (int(sel.sum()) + float(c @ fitted.xtx_inv @ c))
            cars[label] = (car, cvar)
        df = float(max(fitted.nobs - max(fitted.k, 1), 1))
        est = PairEstimate(
            pw,
            dict(fitted.params),
            sigma,
            fitted.nobs,
            fitted.k,
            df,
            fitted.resid.copy(),
            ar,
            var,
            lev,
            lev_m,
            cars,
            "t" if model.ols_family else "normal",
            fitted.fit,
            s_se,
        )
        out.append(est)
        done[(pw.event_id, pw.instrument)] = (est, notes)
    return out, problems


def _same_rows(a: PairWindow, b: PairWindow) -> bool:
    """True when two pairs have the same instrument and the same rows in every role."""
    return a.instrument == b.instrument and all(
        np.array_equal(getattr(a, f), getattr(b, f))
        for f in ("est_rows", "est_rel", "window_rows", "event_rows", "event_rel", "horizons")
    )


# --------------------------------------------------------------------------------------
# the vectorised engine


@dataclass(frozen=True, eq=False)
class BatchEstimates:
    """Engine output for many pairs as flat arrays (the vectorised engine's native form).

    ``pairs`` are the estimated pairs in plan order (``P``). Event-day arrays are the pairs'
    event rows one after another (``ev_ptr[i]:ev_ptr[i + 1]`` for pair ``i``), estimation
    arrays likewise (``est_ptr``); ``car``/``car_var`` are ``(P, C)`` in the order of the
    plan's windows (``labels``); ``params`` is ``(P, len(param_names))``, NaN where a pair's
    model has no such parameter (instruments with different benchmark names in a factor
    model). The numbers are those a :class:`PairEstimate` holds, field by field.

    ``est_source`` holds the estimation-window abnormal returns (residuals), or a function
    computing them: the vectorised engine defers them (one value per estimation row, 24
    million at 100,000 pairs, read only by the rank and sign tests and
    ``estimation_residuals``); :attr:`est_ar` computes them on first access.
    """

    pairs: tuple[PairWindow, ...]
    param_names: tuple[str, ...]
    params: np.ndarray
    sigma: np.ndarray
    sigma_se: np.ndarray
    nobs: np.ndarray
    k: np.ndarray
    df: np.ndarray
    ev_ptr: np.ndarray
    event_ar: np.ndarray
    event_var: np.ndarray
    leverage: np.ndarray
    market_leverage: np.ndarray
    est_ptr: np.ndarray
    est_source: np.ndarray | Callable[[], np.ndarray]
    labels: tuple[str, ...]
    car: np.ndarray
    car_var: np.ndarray
    #: cached flat rows of the pairs (``ev_rows, ev_rel`` and possibly ``est_rows,
    #: est_rel``), or None
    flat: dict[str, np.ndarray] | None = field(default=None, compare=False, repr=False)
    _cache: dict[str, np.ndarray] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __len__(self) -> int:
        return len(self.pairs)

    @property
    def est_ar(self) -> np.ndarray:
        """Estimation-window abnormal returns of all pairs (``est_ptr`` segments)."""
        src = self.est_source
        if isinstance(src, np.ndarray):
            return src
        if "est_ar" not in self._cache:
            self._cache["est_ar"] = src()
        return self._cache["est_ar"]

    def to_estimates(self) -> list[PairEstimate]:
        """One :class:`PairEstimate` per pair (the :data:`ENGINES` interface)."""
        out = []
        est_ar = self.est_ar
        for i, pw in enumerate(self.pairs):
            e = slice(self.ev_ptr[i], self.ev_ptr[i + 1])
            s = slice(self.est_ptr[i], self.est_ptr[i + 1])
            params = {
                n: float(v)
                for n, v in zip(self.param_names, self.params[i], strict=True)
                if not np.isnan(v)
            }
            cars = {
                lab: (float(self.car[i, c]), float(self.car_var[i, c]))
                for c, lab in enumerate(self.labels)
            }
            out.append(
                PairEstimate(
                    pw,
                    params,
                    float(self.sigma[i]),
                    int(self.nobs[i]),
                    int(self.k[i]),
                    float(self.df[i]),
                    est_ar[s].copy(),
                    self.event_ar[e].copy(),
                    self.event_var[e].copy(),
                    self.leverage[e].copy(),
                    self.market_leverage[e].copy(),
                    cars,
                    "t",
                    None,
                    float(self.sigma_se[i]),
                )
            )
        return out

    def frame_columns(self, index: pd.DatetimeIndex) -> dict[str, Any]:
        """Per pair ``eids, insts, groups`` (object arrays) and ``day0``; flat ``ev_rows,
        ev_rel``, and ``est_flat``, a function giving the flat ``(est_rows, est_rel)`` (the
        result frames' inputs, without PairWindow objects when the plan is columnar)."""
        pairs = self.pairs
        flat = dict(self.flat or {})
        if isinstance(pairs, _LazyPairs):
            a, idx = pairs.arrays, pairs.idx
            eids = a.eids[idx]
            lead = a.leader[idx]
            groups = np.where(pd.isna(lead), eids, lead)
            insts = np.array(a.data.instruments, dtype=object)[a.inst[idx]]
            day0: Any = index[a.day0_row[idx]]
            if "ev_rows" not in flat:
                flat["ev_rows"], flat["ev_rel"], _, _ = a.event_flat(idx)

            def est_flat() -> tuple[np.ndarray, np.ndarray]:
                if "est_rows" in flat:
                    return flat["est_rows"], flat["est_rel"]
                rows, rel, _ = a.est_flat(idx)
                return rows, rel
        else:
            eids = np.array([w.event_id for w in pairs], dtype=object)
            insts = np.array([w.instrument for w in pairs], dtype=object)
            groups = np.array([w.day0_group for w in pairs], dtype=object)
            day0 = [w.day0 for w in pairs]
            flat["ev_rows"] = np.concatenate([w.event_rows for w in pairs])
            flat["ev_rel"] = np.concatenate([w.event_rel for w in pairs])

            def est_flat() -> tuple[np.ndarray, np.ndarray]:
                return (
                    np.concatenate([w.est_rows for w in pairs]),
                    np.concatenate([w.est_rel for w in pairs]),
                )

        return {
            "eids": eids,
            "insts": insts,
            "groups": groups,
            "day0": day0,
            "ev_rows": flat["ev_rows"],
            "ev_rel": flat["ev_rel"],
            "est_flat": est_flat,
        }

    def select(self, keep: np.ndarray) -> BatchEstimates:
        """The pairs where ``keep`` is True."""
        if keep.all():
            return self
        ev_len = np.diff(self.ev_ptr)
        est_len = np.diff(self.est_ptr)
        ev_keep = np.repeat(keep, ev_len)
        pairs = (
            self.pairs.take(keep)
            if isinstance(self.pairs, _LazyPairs)
            else tuple(p for p, k in zip(self.pairs, keep, strict=True) if k)
        )

        def est_ar() -> np.ndarray:
            return self.est_ar[np.repeat(keep, est_len)]

        return BatchEstimates(
            pairs,  # type: ignore[arg-type]
            self.param_names,
            self.params[keep],
            self.sigma[keep],
            self.sigma_se[keep],
            self.nobs[keep],
            self.k[keep],
            self.df[keep],
            _offsets(ev_len[keep]),
            self.event_ar[ev_keep],
            self.event_var[ev_keep],
            self.leverage[ev_keep],
            self.market_leverage[ev_keep],
            _offsets(est_len[keep]),
            est_ar,
            self.labels,
            self.car[keep],
            self.car_var[keep],
        )


def _offsets(lengths: np.ndarray) -> np.ndarray:
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


#: The model classes the vectorised engine computes exactly (OLS family); anything else
#: (GARCH, a user's subclass) goes to the statsmodels engine.
def _fast_model_kind(model: NormalReturnModel) -> str | None:
    from eventstudy.models import ConstantMean, FactorModel, MarketAdjusted, MarketModel

    kinds = {
        ConstantMean: "constant_mean",
        MarketAdjusted: "market_adjusted",
        MarketModel: "market",
        FactorModel: "factor",
    }
    return kinds.get(type(model))


def _segment_sum(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sums of consecutive segments (first axis); empty segments sum to 0."""
    if values.shape[0] == 0:
        return np.zeros((len(starts), *values.shape[1:]))
    out = np.add.reduceat(values, np.minimum(starts, values.shape[0] - 1), axis=0)
    out[lengths == 0] = 0.0
    return out


def _resid_sums(
    resid: np.ndarray, starts: np.ndarray, nobs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per segment, the sum of squared residuals and the sum of squared deviations from the
    segment's mean residual (the two sums :meth:`FittedModel.sigma` divides)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ssr = _segment_sum(resid * resid, starts, nobs)
        mean = _segment_sum(resid, starts, nobs) / nobs
        dev = resid - np.repeat(mean, nobs)
        return ssr, _segment_sum(dev * dev, starts, nobs)


def _sigma_from(
    q_df: np.ndarray,
    q_dd: np.ndarray,
    nobs: np.ndarray,
    k: int,
    ddof: int | Literal["df_resid"],
) -> np.ndarray:
    """:meth:`FittedModel.sigma` for every pair at once: ``sqrt(SSR / (n - k))`` for
    ``"df_resid"`` (``q_df``; ddof 1 when ``k = 0``), else the residuals' sample standard
    deviation with ``ddof`` (``q_dd``, the sum of squared deviations from their mean)."""
    if ddof == "df_resid" and k == 0:
        ddof = 1
    with np.errstate(invalid="ignore", divide="ignore"):
        if ddof == "df_resid":
            dfr = (nobs - k).astype(float)
            return np.where(dfr > 0, np.sqrt(q_df / dfr), np.nan)
        dfr = (nobs - int(ddof)).astype(float)
        return np.where(dfr > 0, np.sqrt(q_dd / dfr), np.nan)


def _centred_inverse(sxx: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverses of the ``(P, K, K)`` centred cross-products and a flag per pair that the
    matrix is too close to singular for the normal equations (those pairs go to
    statsmodels, whose pseudo-inverse handles them). ``raw`` is the ``(P, K)`` uncentred
    sum of squares, the scale against which a vanishing variation is judged."""
    p, kk = sxx.shape[0], sxx.shape[1]
    if kk == 0:
        return np.zeros((p, 0, 0)), np.zeros(p, bool)
    diag = np.einsum("pkk->pk", sxx)
    tiny = ~(diag > 1e-10 * np.maximum(raw, np.finfo(float).tiny))
    with np.errstate(invalid="ignore", divide="ignore"):
        if kk == 1:
            inv = 1.0 / sxx
            bad = tiny[:, 0] | ~np.isfinite(inv[:, 0, 0])
            return inv, bad
        scale = 1.0 / np.sqrt(np.where(diag > 0, diag, 1.0))
        corr = sxx * scale[:, :, None] * scale[:, None, :]
        bad = tiny.any(axis=1) | ~np.isfinite(corr).all(axis=(1, 2))
        corr[bad] = np.eye(kk)
        cond = np.linalg.cond(corr)
        bad |= ~(cond < 1e8)
        corr[bad] = np.eye(kk)
        inv = np.linalg.inv(corr) * scale[:, :, None] * scale[:, None, :]
    return inv, bad


# estimation from the rows of each pair (the exact two-pass form) --------------------------

#: Keys of a fit: per pair ``ybar, alpha`` (P,), ``xbar, beta`` (P, K), ``sinv`` (P, K, K),
#: ``bad`` (singular design), ``q_df, q_dd`` (the residual sums of :func:`_sigma_from`).
_FIT_KEYS = ("ybar", "xbar", "sinv", "bad", "beta", "alpha", "q_df", "q_dd")


def _gather_fit(y: np.ndarray, x: np.ndarray, nobs: np.ndarray, kind: str) -> dict[str, Any]:
    """The fit of each pair from its estimation rows laid one after another (``y``, the
    ``K`` regressor columns ``x``; ``nobs`` rows per pair): centred normal equations and
    explicit residuals (also returned, ``resid``)."""
    starts = _offsets(nobs)[:-1]
    nf = nobs.astype(float)
    p = len(nobs)
    with np.errstate(invalid="ignore", divide="ignore"):
        ybar = _segment_sum(y, starts, nobs) / nf
        if kind == "market_adjusted":
            resid = y - x[:, 0]
            q_df, q_dd = _resid_sums(resid, starts, nobs)
            return {
                "ybar": ybar,
                "xbar": np.zeros((p, 0)),
                "sinv": np.zeros((p, 0, 0)),
                "bad": np.zeros(p, bool),
                "beta": np.zeros((p, 0)),
                "alpha": np.zeros(p),
                "q_df": q_df,
                "q_dd": q_dd,
                "resid": resid,
            }
        yc = y - np.repeat(ybar, nobs)
        xbar = _segment_sum(x, starts, nobs) / nf[:, None]
        xc = x - np.repeat(xbar, nobs, axis=0)
        sxx = _segment_sum(xc[:, :, None] * xc[:, None, :], starts, nobs)
        sxy = _segment_sum(xc * yc[:, None], starts, nobs)
        sinv, bad = _centred_inverse(sxx, _segment_sum(x * x, starts, nobs))
        beta = np.einsum("pkl,pl->pk", sinv, sxy)
        alpha = ybar - np.einsum("pk,pk->p", xbar, beta)
        resid = yc - np.einsum("nk,nk->n", xc, np.repeat(beta, nobs, axis=0))
    q_df, q_dd = _resid_sums(resid, starts, nobs)
    return {
        "ybar": ybar,
        "xbar": xbar,
        "sinv": sinv,
        "bad": bad,
        "beta": beta,
        "alpha": alpha,
        "q_df": q_df,
        "q_dd": q_dd,
        "resid": resid,
    }


# estimation from prefix sums (O(1) per pair) ----------------------------------------------

#: Block length of :func:`_blocked_prefix`.
_PREFIX_BLOCK = 64
#: A pair's prefix-sum moments are used when their rounding-error bound is at most this
#: fraction of the quantity it perturbs (residual sum of squares, regressor variation);
#: otherwise they are recomputed from its rows (:func:`_gather_fit`).
_PREFIX_TOL = 1e-11
#: Memory budget of one chunk of instruments' prefix sums, in bytes.
_PREFIX_BYTES = 96 * 2**20


def _blocked_prefix(v: np.ndarray) -> np.ndarray:
    """Prefix sums along the last axis with a leading zero (``out[..., t] = v[..., :t].sum()``).

    Summed in blocks of ``B`` = :data:`_PREFIX_BLOCK`: running sums inside each block, plus
    the running sum of the blocks' totals (each total a pairwise ``np.sum``, the running
    sum compensated, Neumaier's variant of Kahan's), so a prefix carries the rounding of at
    most ``B`` in-block additions and a few on the total: for non-negative terms its error
    is below ``eps * (16 P_t + B Q_t)`` with ``P_t`` the prefix and ``Q_t`` its in-block
    part (:func:`_prefix_error`), instead of ``eps * t * P_t`` for a plain running sum."""
    *lead, t = v.shape
    b = _PREFIX_BLOCK
    nb = max(-(-t // b), 1)
    pad = np.zeros((*lead, nb, b))
    pad.reshape(*lead, nb * b)[..., :t] = v
    totals = pad.sum(axis=-1)
    np.cumsum(pad, axis=-1, out=pad)
    run = np.zeros(lead)
    comp = np.zeros(lead)
    for i in range(1, nb):
        tot = totals[..., i - 1]
        new = run + tot
        comp += np.where(np.abs(run) >= np.abs(tot), (run - new) + tot, (tot - new) + run)
        run = new
        pad[..., i, :] += (run + comp)[..., None]
    out = np.empty((*lead, t + 1))
    out[..., 0] = 0.0
    out[..., 1:] = pad.reshape(*lead, nb * b)[..., :t]
    return out


def _prefix_error(
    pre_sq: np.ndarray, at: np.ndarray, r0: np.ndarray, r1: np.ndarray, n_cut: np.ndarray
) -> np.ndarray:
    """Rounding-error bound of a window sum of squares formed from :func:`_blocked_prefix`
    values ``pre_sq`` (flat, rows of one series at offset ``at``): the window ``r0..r1``
    less ``n_cut`` ranges inside it involves ``2 (1 + n_cut)`` prefixes, each at most the
    one after ``r1`` and each in-block part at most the sum from the start of ``r0``'s
    block to ``r1``."""
    p_end = pre_sq[..., at + r1 + 1]
    w = p_end - pre_sq[..., at + (r0 // _PREFIX_BLOCK) * _PREFIX_BLOCK]
    eps = np.finfo(float).eps
    return 2.0 * eps * (1.0 + n_cut) * (16.0 * p_end + _PREFIX_BLOCK * np.maximum(w, 0.0))


def _moment_layout(k: int) -> tuple[int, list[tuple[int, int]], list[int]]:
    """Rows of the moment stack for ``k`` regressors: ``1, y, x_1..x_k, y^2, x_i y,
    x_i x_j (i <= j)``; returns the row count, the ``(i, j)`` pairs and the rows of the
    squares (``y^2`` then each ``x_i^2``)."""
    kl = [(i, j) for i in range(k) for j in range(i, k)]
    sq = [2 + k] + [3 + 2 * k + kl.index((i, i)) for i in range(k)]
    return 3 + 2 * k + len(kl), kl, sq


def _moment_values(
    y: np.ndarray, x: np.ndarray, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The per-row moment stack ``(M, n, T)`` of :func:`_moment_layout` for ``n`` series
    (``y`` (n, T), regressors ``x`` (k, n, T)), each centred by its own mean over its
    ``valid`` rows (which alone contribute; the rest count as zero), and the centring
    constants ``(n,)`` and ``(k, n)``."""
    k = x.shape[0]
    m, kl, _ = _moment_layout(k)
    w = valid.astype(float)
    cnt = np.maximum(w.sum(axis=-1), 1.0)
    with np.errstate(invalid="ignore"):
        cy = np.where(valid, y, 0.0).sum(axis=-1) / cnt
        cx = np.where(valid, x, 0.0).sum(axis=-1) / cnt
        yc = np.where(valid, y - cy[:, None], 0.0)
        xc = np.where(valid, x - cx[..., None], 0.0)
    out = np.empty((m, *y.shape))
    out[0] = w
    out[1] = yc
    out[2 : 2 + k] = xc
    out[2 + k] = yc * yc
    out[3 + k : 3 + 2 * k] = xc * yc
    for r, (i, j) in enumerate(kl):
        out[3 + 2 * k + r] = xc[i] * xc[j]
    return out, cy, cx


def _moments_to_fit(
    mom: np.ndarray,
    cy: np.ndarray,
    cx: np.ndarray,
    err: np.ndarray,
    kind: str,
) -> tuple[dict[str, Any], np.ndarray]:
    """A fit (:data:`_FIT_KEYS`) from window moments ``mom`` ((M, P), sums of values centred
    by ``cy``/``cx`` per pair) and the pairs whose moments are not certified precise:
    ``err``, the rounding-error bound of each square's window sum (``y^2`` then each
    ``x_i^2``, :func:`_prefix_error`), must be at most :data:`_PREFIX_TOL` of the residual
    sum of squares and of each regressor's centred sum of squares."""
    k = cx.shape[0]
    _, kl, _ = _moment_layout(k)
    p = mom.shape[1]
    n = mom[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        yb = mom[1] / n
        cyy = mom[2 + k] - mom[1] * yb
        if kind == "market_adjusted":  # y holds R - R_m here: nothing to estimate
            ok = err[0] <= _PREFIX_TOL * cyy
            return {
                "ybar": cy + yb,
                "xbar": np.zeros((p, 0)),
                "sinv": np.zeros((p, 0, 0)),
                "bad": np.zeros(p, bool),
                "beta": np.zeros((p, 0)),
                "alpha": np.zeros(p),
                "q_df": np.full(p, np.nan),
                "q_dd": cyy,
            }, ~ok
        sx = mom[2 : 2 + k]
        xb = sx / n
        cxy = (mom[3 + k : 3 + 2 * k] - sx * yb).T
        sxx = np.empty((p, k, k))
        for r, (i, j) in enumerate(kl):
            sxx[:, i, j] = sxx[:, j, i] = mom[3 + 2 * k + r] - sx[i] * xb[j]
        raw = np.stack(
            [mom[3 + 2 * k + kl.index((i, i))] + cx[i] * (2.0 * sx[i] + n * cx[i])
             for i in range(k)],
            axis=1,
        ) if k else np.zeros((p, 0))
        sinv, bad = _centred_inverse(sxx, raw)
        beta = np.einsum("pkl,pl->pk", sinv, cxy)
        ybar = cy + yb
        xbar = (cx + xb).T
        alpha = ybar - np.einsum("pk,pk->p", xbar, beta)
        ssr = cyy - np.einsum("pk,pk->p", beta, cxy)
        ok = err[0] <= _PREFIX_TOL * ssr
        for i in range(k):
            ok &= err[1 + i] <= _PREFIX_TOL * sxx[:, i, i]
    return {
        "ybar": ybar,
        "xbar": xbar,
        "sinv": sinv,
        "bad": bad,
        "beta": beta,
        "alpha": alpha,
        "q_df": ssr,
        "q_dd": ssr,
    }, ~ok


def _prefix_fit(
    data: StudyData, arrs: _EventArrays, sel: np.ndarray, kind: str, k: int
) -> tuple[dict[str, Any], np.ndarray]:
    r"""The fit of pairs ``sel`` of a columnar plan from per-instrument prefix sums.

    For each instrument, over the rows of the returns frame: prefix sums of
    :math:`1, y, x, y^2, x y, x x'` where the row counts (the instrument has a return and
    every regressor a value), zero elsewhere, with ``y`` and ``x`` centred by the
    instrument's own mean over those rows. A pair's estimation sums are then the difference
    of two prefixes (its first and last estimation row) less, with
    ``contamination="exclude"``, the excluded ranges' differences: ``O(T)`` per instrument
    and ``O(1)`` per pair (plus one per excluded range), instead of ``O(L)`` per pair.
    Instruments are taken in chunks (:data:`_PREFIX_BYTES`). ``k`` regressor columns
    (market-adjusted: ``y`` is ``R - R_m``).

    Differences of prefix sums lose precision when the window's variation is small against
    the prefix (cancellation), so every pair gets a rounding-error bound
    (:func:`_prefix_error`) and those whose bound exceeds :data:`_PREFIX_TOL` of their
    residual or regressor sum of squares are returned as not precise (the caller refits
    them from their rows).
    """
    t_len = len(data.index)
    p = len(sel)
    inst = arrs.inst[sel]
    base = arrs.sess_ptr[inst]
    r0 = arrs.sess[base + arrs.ks0[sel]]
    r1 = arrs.sess[base + arrs.ks1[sel]]
    ma = kind == "market_adjusted"
    kx = 0 if ma else k
    m, _, sq = _moment_layout(kx)
    if arrs.piece_pair is not None and len(arrs.piece_pair):
        loc = np.searchsorted(sel, arrs.piece_pair)
        ok = (loc < p) & (sel[np.minimum(loc, p - 1)] == arrs.piece_pair)
        pp = loc[ok]
        pu = arrs.sess[base[pp] + arrs.piece_u[ok]]
        pv = arrs.sess[base[pp] + arrs.piece_v[ok]]
    else:
        pp = pu = pv = np.empty(0, np.int64)
    n_cut = np.bincount(pp, minlength=p)
    mom = np.empty((m, p))
    err = np.empty((len(sq), p))
    cy = np.empty(p)
    cx = np.empty((kx, p))
    order = np.argsort(inst, kind="stable")
    uniq, first = np.unique(inst[order], return_index=True)
    bounds = np.append(first, p)
    step = max(1, _PREFIX_BYTES // (4 * m * (t_len + 1) * 8))
    names = data.instruments
    for c0 in range(0, len(uniq), step):
        cols = uniq[c0 : c0 + step]
        y = np.ascontiguousarray(data.y[:, cols].T)
        x = np.empty((k, len(cols), t_len))
        by_mat: dict[int, tuple[np.ndarray, list[int]]] = {}
        for jj, j in enumerate(cols.tolist()):
            mat = data.regressors[names[j]][0]
            by_mat.setdefault(id(mat), (mat, []))[1].append(jj)
        for mat, jjs in by_mat.values():
            x[:, jjs, :] = mat[:, :k].T[:, None, :]
        valid = ~np.isnan(y)
        if k:
            valid &= ~np.isnan(x).any(axis=0)
        if ma:
            y = y - x[0]
            x = x[:0]
        vals, cy_c, cx_c = _moment_values(y, x, valid)
        pre = _blocked_prefix(vals).reshape(m, -1)
        del vals
        pc = order[bounds[c0] : bounds[min(c0 + step, len(uniq))]]
        at = np.searchsorted(cols, inst[pc]) * (t_len + 1)
        mom[:, pc] = pre[:, at + r1[pc] + 1] - pre[:, at + r0[pc]]
        err[:, pc] = _prefix_error(pre[sq], at, r0[pc], r1[pc], n_cut[pc])
        cy[pc] = cy_c[at // (t_len + 1)]
        cx[:, pc] = cx_c[:, at // (t_len + 1)]
        q = np.flatnonzero((inst[pp] >= cols[0]) & (inst[pp] <= cols[-1]))
        if len(q):
            aq = np.searchsorted(cols, inst[pp[q]]) * (t_len + 1)
            cut = pre[:, aq + pv[q] + 1] - pre[:, aq + pu[q]]
            for r in range(m):
                mom[r] -= np.bincount(pp[q], weights=cut[r], minlength=p)
    fit, loose = _moments_to_fit(mom, cy, cx, err, kind)
    n = mom[0]
    if not np.array_equal(n, arrs.nobs[sel]):  # pragma: no cover - an internal error
        raise RuntimeError("prefix-sum estimation counts differ from the window plan's")
    return fit, loose


def _prefix_window(
    data: StudyData, arrs: _EventArrays, sel: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``market_mean="window"`` statistics of pairs ``sel`` (columnar plan) from prefix sums
    over the rows of each distinct regressor matrix: the regressors' mean and centred
    cross-product over every row of the estimation date range where they have values
    (``PairWindow.window_rows``), its inverse, the singular flag, and the pairs whose sums
    are not certified precise (see :func:`_prefix_fit`)."""
    t_len = len(data.index)
    p = len(sel)
    inst = arrs.inst[sel]
    base = arrs.sess_ptr[inst]
    r0 = arrs.sess[base + arrs.ks0[sel]]
    r1 = arrs.sess[base + arrs.ks1[sel]]
    m, _, sq = _moment_layout(k)
    mom = np.empty((m, p))
    err = np.empty((len(sq), p))
    cx = np.empty((k, p))
    names = data.instruments
    mats: dict[int, tuple[np.ndarray, list[int]]] = {}
    for j in np.unique(inst).tolist():
        mat = data.regressors[names[j]][0]
        mats.setdefault(id(mat), (mat, []))[1].append(j)
    for mat, js in mats.values():
        pc = np.flatnonzero(np.isin(inst, js))
        x = np.ascontiguousarray(mat[:, :k].T)[:, None, :]
        valid = ~np.isnan(x).any(axis=0)
        vals, _, cx_c = _moment_values(np.zeros((1, t_len)), x, valid)
        pre = _blocked_prefix(vals)[:, 0, :]
        mom[:, pc] = pre[:, r1[pc] + 1] - pre[:, r0[pc]]
        err[:, pc] = _prefix_error(pre[sq], 0, r0[pc], r1[pc], np.zeros(len(pc)))
        cx[:, pc] = cx_c[:, :1]
    # y is identically 0 here: the residual check passes (0 <= 0), the regressor ones count
    fit, loose = _moments_to_fit(mom, np.zeros(p), cx, err, "market")
    return fit["xbar"], fit["sinv"], fit["bad"], loose


def _gather_window(x: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, ...]:
    """``market_mean="window"`` statistics from the window rows' regressors laid one pair
    after another (see :func:`_prefix_window`)."""
    starts = _offsets(lengths)[:-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        wbar = _segment_sum(x, starts, lengths) / lengths[:, None]
        wc = x - np.repeat(wbar, lengths, axis=0)
        wxx = _segment_sum(wc[:, :, None] * wc[:, None, :], starts, lengths)
        winv, wbad = _centred_inverse(wxx, _segment_sum(x * x, starts, lengths))
    return wbar, winv, wbad


def estimate_fast_batch(
    data: StudyData,
    plan: WindowPlan,
    model: NormalReturnModel,
    conventions: Conventions,
    *,
    prediction_error: bool = True,
    se_ddof: int | Literal["df_resid"] = "df_resid",
) -> tuple[BatchEstimates, list[Problem]]:
    r"""Vectorised engine: the numbers of :func:`estimate_statsmodels` for all pairs at once.

    For the OLS-family models (constant mean, market-adjusted, market, factor). The pairs'
    rows come from the plan, so every window convention of :func:`assemble_windows` (event
    and calendar mode, contamination exclusion, NaN skipping, shared day 0) is the reference
    engine's by construction. With :math:`\bar y, \bar x` a pair's estimation means,
    :math:`S_{xx} = \sum (x - \bar x)(x - \bar x)'` and
    :math:`S_{xy} = \sum (x - \bar x)(y - \bar y)`,

    .. math::

        \hat\beta = S_{xx}^{-1} S_{xy}, \quad \hat\alpha = \bar y - \bar x'\hat\beta, \quad
        h_0 = x_0'(X'X)^{-1}x_0 = 1/L + (x_0 - \bar x)' S_{xx}^{-1} (x_0 - \bar x),

    and for a CAR window of ``m`` days with summed centred regressors :math:`d`,
    :math:`c'(X'X)^{-1}c = m^2/L + d' S_{xx}^{-1} d`. Residual variances, the test battery's
    ``sigma`` (``conventions.sigma_ddof``), the estudy2 window leverage
    (``market_mean="window"``), AR/CAR variances and degrees of freedom follow
    :func:`estimate_statsmodels` formula by formula. Pairs whose centred cross-product
    matrix is (nearly) singular -- a regressor that does not vary in the window -- are fitted
    by :func:`estimate_statsmodels` (its pseudo-inverse), so they too match it.

    How the sums are formed: for an event-mode (columnar) plan from per-instrument prefix
    sums (:func:`_prefix_fit`, :func:`_prefix_window`: ``O(T)`` per instrument, ``O(1)``
    per pair, excluded contamination ranges subtracted); a pair whose prefix-sum moments
    are not certified precise to :data:`_PREFIX_TOL` (a window with little variation far
    along a long series) is recomputed from its rows. Calendar-mode plans and plans of
    :class:`PairWindow` objects are reduced from their concatenated rows
    (``np.add.reduceat``). The event days (``O(window)`` per pair) are gathered. The
    estimation-window residuals (``BatchEstimates.est_ar``) are computed when first read.
    ``tests/study/test_engine_equivalence.py`` and ``test_prefix_estimation.py`` check
    every frame of :meth:`EventStudy.run` against ``engine="statsmodels"`` to 1e-9 relative.
    """
    kind = _fast_model_kind(model)
    if kind is None:
        raise EventStudyInputError(
            f"the fast engine computes the OLS-family models (constant_mean, market_adjusted, "
            f"market, factor), not {model!r}; use engine='statsmodels' or 'auto'"
        )
    lazy = plan.pairs if isinstance(plan.pairs, _LazyPairs) else None
    pairs: Any
    if lazy is not None:
        arrs = lazy.arrays
        sel_idx = lazy.idx[arrs.usable[lazy.idx]]
        pairs = _LazyPairs(arrs, sel_idx)
        np_ = len(sel_idx)
        inst_j = arrs.inst[sel_idx]
    else:
        pairs = tuple(pw for pw in plan.pairs if pw.usable)
        np_ = len(pairs)
        col = {name: j for j, name in enumerate(data.instruments)}
        inst_j = np.fromiter((col[pw.instrument] for pw in pairs), dtype=np.int64, count=np_)
    labels = tuple(plan.windows)
    # regressors: each instrument has its own (T, K) matrix (its benchmark); gathered per
    # instrument for the rows of its pairs, never stacked into an (N, T, K) array
    n_x = data.regressors[data.instruments[0]][0].shape[1] if data.instruments else 0
    used = np.unique(inst_j)

    distinct: dict[int, int] = {}
    mats: list[np.ndarray] = []
    code = np.zeros(len(data.instruments), np.int64)
    for j in used.tolist():
        x_j = data.regressors[data.instruments[j]][0]
        code[j] = distinct.setdefault(id(x_j), len(distinct))
        if code[j] == len(mats):
            mats.append(x_j)

    def regs(inst_of: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(rows), n_x))
        if n_x == 0 or len(rows) == 0:
            return out
        if len(mats) == 1:  # one benchmark for all: a plain gather
            return mats[0][rows]
        order = np.argsort(inst_of, kind="stable")
        bounds = np.searchsorted(inst_of[order], np.append(used, used[-1] + 1))
        for j, lo_, hi_ in zip(used, bounds[:-1], bounds[1:], strict=True):
            sel = order[lo_:hi_]
            out[sel] = data.regressors[data.instruments[j]][0][rows[sel]]
        return out

    def flat(field_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        arrs = [getattr(pw, field_name) for pw in pairs]
        lengths = np.fromiter((len(a) for a in arrs), dtype=np.int64, count=np_)
        rows = np.concatenate(arrs).astype(np.int64) if arrs else np.empty(0, np.int64)
        return rows, lengths, _offsets(lengths)

    has_x = kind in ("market", "factor", "market_adjusted") and n_x > 0
    kk = n_x if kind in ("market", "factor") else 0
    k_par = 0 if kind == "market_adjusted" else 1 + kk
    k_est = 1 if kind == "market_adjusted" else kk  # regressor columns the estimation reads

    def rows_fit(rows: np.ndarray, nobs_of: np.ndarray, who: np.ndarray) -> dict[str, Any]:
        ej = np.repeat(inst_j[who], nobs_of)
        return _gather_fit(data.y[rows, ej], regs(ej, rows)[:, :k_est], nobs_of, kind)

    # estimation: the fit of every pair
    resid: np.ndarray | None = None
    if lazy is not None:
        nobs = arrs.nobs[sel_idx].astype(np.int64)
        fit, loose = _prefix_fit(data, arrs, sel_idx, kind, k_est)
        redo = np.flatnonzero(loose)
        if len(redo):
            r_rows, _, r_ptr = arrs.est_flat(sel_idx[redo])
            sub = rows_fit(r_rows, np.diff(r_ptr), redo)
            for key in _FIT_KEYS:
                fit[key][redo] = sub[key]
        ev_rows, ev_rel, _, ev_ptr = arrs.event_flat(sel_idx)
        ev_len = np.diff(ev_ptr)
    else:
        est_rows, nobs, _ = flat("est_rows")
        fit = rows_fit(est_rows, nobs, np.arange(np_))
        resid = fit["resid"]
        ev_rows, ev_len, ev_ptr = flat("event_rows")
        ev_rel = np.concatenate([pw.event_rel for pw in pairs]) if np_ else np.empty(0, int)
    est_ptr = _offsets(nobs)
    vj = np.repeat(inst_j, ev_len)
    y0 = data.y[ev_rows, vj]
    nf = nobs.astype(float)
    bad = fit["bad"].copy()
    ybar, xbar, beta, sinv = fit["ybar"], fit["xbar"], fit["beta"], fit["sinv"]

    with np.errstate(invalid="ignore", divide="ignore"):
        inv_n = 1.0 / nf
        if kind == "market_adjusted":
            ar = y0 - (0.0 + regs(vj, ev_rows)[:, 0])
            params = np.tile([0.0, 1.0], (np_, 1))
            h = np.zeros(len(ev_rows))
            lev = np.zeros(len(ev_rows))
            lev_m = np.zeros(len(ev_rows))
            dx0 = np.zeros((len(ev_rows), 0))
        else:
            params = np.column_stack([fit["alpha"], beta])
            x0 = regs(vj, ev_rows)
            dx0 = x0 - np.repeat(xbar, ev_len, axis=0)
            ar = (y0 - np.repeat(ybar, ev_len)) - np.einsum(
                "nk,nk->n", dx0, np.repeat(beta, ev_len, axis=0)
            )
            q = np.einsum("nk,nkl,nl->n", dx0, np.repeat(sinv, ev_len, axis=0), dx0)
            h = np.repeat(inv_n, ev_len) + q
            if has_x and conventions.market_mean == "window":
                if lazy is not None:
                    wbar, winv, wbad, wloose = _prefix_window(data, arrs, sel_idx, kk)
                    wredo = np.flatnonzero(wloose)
                    if len(wredo):
                        w_rows, w_ptr = arrs.window_flat(sel_idx[wredo])
                        w_len = np.diff(w_ptr)
                        sub_w = _gather_window(
                            regs(np.repeat(inst_j[wredo], w_len), w_rows), w_len
                        )
                        wbar[wredo], winv[wredo], wbad[wredo] = sub_w
                else:
                    w_rows, w_len, _ = flat("window_rows")
                    wbar, winv, wbad = _gather_window(
                        regs(np.repeat(inst_j, w_len), w_rows), w_len
                    )
                bad |= wbad
                d = x0 - np.repeat(wbar, ev_len, axis=0)
                lev_m = np.einsum("nk,nkl,nl->n", d, np.repeat(winv, ev_len, axis=0), d)
                lev = np.repeat(inv_n, ev_len) + lev_m
            elif has_x:
                lev, lev_m = h, q
            else:  # constant mean: no regressors
                lev, lev_m = np.repeat(inv_n, ev_len), np.zeros(len(ev_rows))
        sigma = _sigma_from(fit["q_df"], fit["q_dd"], nobs, k_par, conventions.sigma_ddof)
        s_se = _sigma_from(fit["q_df"], fit["q_dd"], nobs, k_par, se_ddof)
        s2 = np.repeat(s_se * s_se, ev_len)
        var = s2 * (1.0 + h) if prediction_error and k_par else s2 * 1.0
        # CARs: days of each window present and no AR missing, else NaN
        car = np.full((np_, len(labels)), np.nan)
        car_var = np.full((np_, len(labels)), np.nan)
        pid = np.repeat(np.arange(np_), ev_len)
        for c, lab in enumerate(labels):
            a, b = plan.windows[lab]
            sel = (ev_rel >= a) & (ev_rel <= b)
            cnt = np.bincount(pid[sel], minlength=np_)
            nan = np.bincount(pid[sel], weights=np.isnan(ar[sel]), minlength=np_) > 0
            ok = (cnt == b - a + 1) & ~nan
            car[ok, c] = np.bincount(pid[sel], weights=ar[sel], minlength=np_)[ok]
            m = cnt.astype(float)
            if k_par == 0 or not prediction_error:
                cv = s_se**2 * m
            else:
                extra = m * m * inv_n
                if kk:
                    dsum = np.stack(
                        [
                            np.bincount(pid[sel], weights=dx0[sel, i], minlength=np_)
                            for i in range(kk)
                        ],
                        axis=1,
                    )
                    extra = extra + np.einsum("pk,pkl,pl->p", dsum, sinv, dsum)
                cv = s_se**2 * (m + extra)
            car_var[ok, c] = cv[ok]

    # parameter names as the models name them
    if kind == "constant_mean":
        names_of = {j: ("mu",) for j in used}
    elif kind == "market_adjusted":
        names_of = {j: ("alpha", "beta") for j in used}
    else:
        names_of = {}
        for j in used:
            reg = data.regressors[data.instruments[j]][1]
            names_of[j] = ("alpha", *(f"beta_{n}" if len(reg) > 1 else "beta" for n in reg))
    param_names: list[str] = []
    for j in dict.fromkeys(inst_j.tolist()):
        for n in names_of[j]:
            if n not in param_names:
                param_names.append(n)
    pmat = np.full((np_, len(param_names)), np.nan)
    if len({names_of[j] for j in used}) == 1 and used.size:
        pmat[:, [param_names.index(n) for n in names_of[int(used[0])]]] = params
    else:
        for j in used:
            rows_j = inst_j == j
            cols = [param_names.index(n) for n in names_of[j]]
            pmat[np.ix_(rows_j, cols)] = params[rows_j]

    est_source: np.ndarray | Callable[[], np.ndarray]
    if resid is not None:
        est_source = resid
    else:

        def est_source() -> np.ndarray:
            """The estimation-window residuals of every pair (from its rows)."""
            rows, _, _ = arrs.est_flat(sel_idx)
            ej = np.repeat(inst_j, nobs)
            y = data.y[rows, ej]
            if kind == "market_adjusted":
                return y - regs(ej, rows)[:, 0]
            xc = regs(ej, rows)[:, :kk] - np.repeat(xbar, nobs, axis=0)
            with np.errstate(invalid="ignore"):
                return (y - np.repeat(ybar, nobs)) - np.einsum(
                    "nk,nk->n", xc, np.repeat(beta, nobs, axis=0)
                )

    batch = BatchEstimates(
        pairs,
        tuple(param_names),
        pmat,
        sigma,
        s_se,
        nobs,
        np.full(np_, k_par, dtype=np.int64),
        np.maximum(nobs - max(k_par, 1), 1).astype(float),
        ev_ptr,
        ar,
        var,
        lev,
        lev_m,
        est_ptr,
        est_source,
        labels,
        car,
        car_var,
        None if lazy is None else {"ev_rows": ev_rows, "ev_rel": ev_rel},
    )
    problems: list[Problem] = []
    if bad.any():
        batch, problems = _refit_with_statsmodels(
            batch, bad, data, plan, model, conventions, prediction_error, se_ddof
        )
    return batch, problems


def _refit_with_statsmodels(
    batch: BatchEstimates,
    bad: np.ndarray,
    data: StudyData,
    plan: WindowPlan,
    model: NormalReturnModel,
    conventions: Conventions,
    prediction_error: bool,
    se_ddof: int | Literal["df_resid"],
) -> tuple[BatchEstimates, list[Problem]]:
    """Replace the pairs flagged ``bad`` by the reference engine's estimates (in place of
    their segments; pairs whose fit fails there are removed, as that engine does)."""
    idx = np.flatnonzero(bad)
    sub = replace(plan, pairs=tuple(batch.pairs[int(i)] for i in idx))
    ests, problems = estimate_statsmodels(
        data, sub, model, conventions, prediction_error=prediction_error, se_ddof=se_ddof
    )
    by_key = {(e.window.event_id, e.window.instrument): e for e in ests}
    keep = np.ones(len(batch), bool)
    arrays = {
        f: getattr(batch, f).copy()
        for f in (
            "params",
            "sigma",
            "sigma_se",
            "event_ar",
            "event_var",
            "leverage",
            "market_leverage",
            "car",
            "car_var",
        )
    }
    patches: list[tuple[slice, np.ndarray]] = []
    for i in idx:
        pw = batch.pairs[i]
        e = by_key.get((pw.event_id, pw.instrument))
        if e is None:
            keep[i] = False
            continue
        ev = slice(batch.ev_ptr[i], batch.ev_ptr[i + 1])
        st = slice(batch.est_ptr[i], batch.est_ptr[i + 1])
        arrays["params"][i] = [e.params.get(n, np.nan) for n in batch.param_names]
        arrays["sigma"][i] = e.sigma
        arrays["sigma_se"][i] = e.se_sigma
        arrays["event_ar"][ev] = e.event_ar
        arrays["event_var"][ev] = e.event_var
        arrays["leverage"][ev] = e.leverage
        arrays["market_leverage"][ev] = e.market_leverage
        patches.append((st, e.est_ar))
        for c, lab in enumerate(batch.labels):
            arrays["car"][i, c], arrays["car_var"][i, c] = e.cars[lab]

    def est_ar() -> np.ndarray:
        out = batch.est_ar.copy()
        for st, values in patches:
            out[st] = values
        return out

    return replace(batch, est_source=est_ar, **arrays).select(keep), problems


def estimate_fast(
    data: StudyData,
    plan: WindowPlan,
    model: NormalReturnModel,
    conventions: Conventions,
    *,
    prediction_error: bool = True,
    se_ddof: int | Literal["df_resid"] = "df_resid",
) -> tuple[list[PairEstimate], list[Problem]]:
    """:func:`estimate_fast_batch` with the :data:`ENGINES` interface (a list of
    :class:`PairEstimate`). :meth:`EventStudy.run` uses the batch form directly and builds
    the result frames from its arrays, which is much faster for many pairs."""
    batch, problems = estimate_fast_batch(
        data, plan, model, conventions, prediction_error=prediction_error, se_ddof=se_ddof
    )
    return batch.to_estimates(), problems


@dataclass(frozen=True)
class EngineInfo:
    """A registered engine: canonical name, the estimation function, aliases, a one-line
    description and the models it computes (None: every model)."""

    name: str
    func: Callable[..., tuple[list[PairEstimate], list[Problem]]]
    description: str
    aliases: tuple[str, ...] = ()
    models: tuple[str, ...] | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[list[PairEstimate], list[Problem]]:
        return self.func(*args, **kwargs)


#: Engine name -> :class:`EngineInfo`; calling an entry (or its ``func``) as
#: ``f(data, plan, model, conventions, *, prediction_error, se_ddof)`` gives
#: ``(list[PairEstimate], list[Problem])``. ``engine="auto"`` (the default of
#: :meth:`EventStudy.run`) picks "fast" for the models it computes, "statsmodels" otherwise.
ENGINES: dict[str, EngineInfo] = {
    e.name: e
    for e in (
        EngineInfo(
            "statsmodels",
            estimate_statsmodels,
            "reference: one statsmodels OLS (arch for GARCH) fit per pair",
            ("reference", "sm"),
        ),
        EngineInfo(
            "fast",
            estimate_fast,
            "vectorised OLS family, all pairs at once; equal to statsmodels to 1e-9",
            ("vectorised", "numpy"),
            ("constant_mean", "market_adjusted", "market", "factor"),
        ),
    )
}


def resolve_engine(engine: str, model: NormalReturnModel) -> str:
    """Canonical engine name for ``engine`` (a name, an alias or "auto") and ``model``.

    "auto" gives "fast" for the OLS-family models (constant mean, market-adjusted, market,
    factor: the classes of :mod:`eventstudy.models`, not subclasses) and "statsmodels"
    otherwise (GARCH, user models). Unknown names are rejected with the valid list; asking
    for "fast" with a model it does not compute is an error.
    """
    key = str(engine).strip().lower()
    if key == "auto":
        return "fast" if _fast_model_kind(model) is not None else "statsmodels"
    for info in ENGINES.values():
        if key == info.name or key in info.aliases:
            if info.name == "fast" and _fast_model_kind(model) is None:
                raise EventStudyInputError(
                    f"engine 'fast' computes the models {', '.join(info.models or ())}, not "
                    f"{model!r}; use engine='auto' or 'statsmodels'"
                )
            return info.name
    valid = "; ".join(
        f"{i.name} ({', '.join(i.aliases)}): {i.description}" for i in ENGINES.values()
    )
    raise EventStudyInputError(
        f"unknown engine {engine!r}; valid engines: auto (fast when the model allows, else "
        f"statsmodels); {valid}"
    )
