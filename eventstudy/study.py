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
at once from their concatenated rows (centred normal equations reduced per pair). It returns
a :class:`BatchEstimates` of flat arrays from which :meth:`EventStudyResult.from_batch`
builds the result frames without per-pair objects; :func:`estimate_fast` wraps it in the
per-pair :data:`ENGINES` interface. Pairs whose regressors do not vary (a singular design)
are handed to the reference engine. ``tests/study/test_engine_equivalence.py`` checks that
every frame, the problems and the test tables equal the reference to 1e-9 relative on real
market data, synthetic panels with gaps and NaNs, and the estudy2 example.

The standalone kernel :func:`eventstudy.fastpath.fast_event_study` (prefix sums on each
instrument's sessions, ``O(1)`` estimation per pair) is not used here: it covers event-mode
windows on instrument sessions only, without calendar mode, contamination exclusion, the
estudy2 window leverage or the estimation residuals the rank and sign tests need. Its
arithmetic is cheaper, but in :meth:`EventStudy.run` the per-pair window assembly and the
test tables dominate the time (``benchmarks/bench_engine.py --api`` prints the split).

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
        for inst in instruments:
            parts: list[pd.DataFrame] = []
            if (self.model.uses_market or self.model.uses_factors) and self.market is not None:
                col = self.benchmarks.get(inst, self.market.columns[0])
                parts.append(self.market[[col]])
            if self.model.uses_factors and self.factors is not None:
                parts.append(self.factors)
            if parts:
                frame = pd.concat(parts, axis=1)
                regs[inst] = (frame.to_numpy(float), tuple(str(c) for c in frame.columns))
            else:
                regs[inst] = (np.empty((len(self.returns), 0)), ())
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
                batch, problems=list(plan.problems) + list(problems), **common
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
    lo, hi = min(a for a, _ in wins), max(b for _, b in wins)
    overlap_note = est[0] <= hi and lo <= est[1]
    problems: list[Problem] = []
    d0_frame = _day0_table(day0) if isinstance(day0, pd.DataFrame) else None
    d0_func = day0 if callable(day0) and d0_frame is None else None

    # day 0 of every pair
    raw: list[tuple[str, str, int | None, np.ndarray]] = []  # (event, instrument, k0, sess)
    sessions = {i: np.flatnonzero(~np.isnan(data.y[:, data.column(i)])) for i in data.instruments}
    session_dates = {i: data.index[s] for i, s in sessions.items()}
    for rec in ev.itertuples(index=False):
        eid = str(rec.event_id)
        targets = insts
        if "instrument" in ev.columns and pd.notna(getattr(rec, "instrument", None)):
            inst = str(rec.instrument)
            if inst not in data.instruments:
                problems.append(
                    Problem(
                        eid,
                        inst,
                        "unknown_instrument",
                        f"instrument {inst!r} is not a column of returns; event skipped",
                    )
                )
                continue
            targets = [inst]
        if pd.isna(rec.date):
            problems.append(
                Problem(eid, None, "bad_date", "event date is missing or unparseable; skipped")
            )
            continue
        date = pd.Timestamp(rec.date)
        for inst in targets:
            sess = sessions[inst]
            k0 = _day0(
                data, eid, inst, date, sess, d0_func, d0_frame, problems, session_dates[inst]
            )
            raw.append((eid, inst, k0, sess))

    # groups of events with the same instrument and day 0, led by the first in catalog order
    seen: dict[tuple[str, int], str] = {}
    leader_of: dict[tuple[str, str], str] = {}
    for eid, inst, k0, _ in raw:
        if k0 is None:
            continue
        key = (inst, k0)
        if key in seen:
            leader_of[(eid, inst)] = seen[key]
        else:
            seen[key] = eid
    dropped = leader_of if same_day0 == "drop" else {}

    # event spans per instrument (for contamination and overlap): (event, day 0, first, last)
    spans: dict[str, list[tuple[str, int, int, int]]] = {}
    for eid, inst, k0, _ in raw:
        if k0 is not None and (eid, inst) not in dropped:
            spans.setdefault(inst, []).append((eid, k0, k0 + lo, k0 + hi))
    # the same as arrays (ids, day 0, first, last) to test all other events at once
    span_arrays = {
        inst: (
            [t[0] for t in sp],
            np.array([t[1] for t in sp], dtype=np.int64),
            np.array([t[2] for t in sp], dtype=np.int64),
            np.array([t[3] for t in sp], dtype=np.int64),
        )
        for inst, sp in spans.items()
    }

    pairs: list[PairWindow] = []
    for eid, inst, k0, sess in raw:
        if k0 is None:
            pairs.append(_empty_pair(eid, inst, None))
            continue
        day0_ts = data.index[sess[k0]]
        leader = leader_of.get((eid, inst))
        if leader is not None and same_day0 == "drop":
            problems.append(
                Problem(
                    eid,
                    inst,
                    "duplicate",
                    f"same instrument and day 0 ({day0_ts.date()}) as event {leader!r}; "
                    "excluded to avoid counting it twice (same_day0='drop')",
                )
            )
            pairs.append(_empty_pair(eid, inst, day0_ts))
            continue
        if leader is not None:
            problems.append(
                Problem(
                    eid,
                    inst,
                    "shared_day0",
                    f"same instrument and day 0 ({day0_ts.date()}) as event {leader!r}: "
                    "identical abnormal returns and CARs (one market move); counted once, "
                    f"as {leader!r}, in the tests and averages",
                )
            )
        x, _names = data.regressors[inst]
        n_sess = len(sess)
        # estimation
        a, b = k0 + est[0], k0 + est[1]
        ks = np.arange(max(a, 0), min(b, n_sess - 1) + 1)
        if a < 0 or b > n_sess - 1:
            where = (
                f"starts {-a} sessions before the first return of {inst}"
                if a < 0
                else f"ends {b - n_sess + 1} sessions after the last return of {inst}"
            )
            problems.append(
                Problem(
                    eid,
                    inst,
                    "estimation_truncated",
                    f"estimation window {est} {where}; {len(ks)} of {est[1] - est[0] + 1} "
                    "sessions available",
                    est[1] - est[0] + 1 - len(ks),
                )
            )
        rows = sess[ks]
        rel = ks - k0
        window_rows = np.arange(rows[0], rows[-1] + 1) if len(rows) else np.empty(0, int)
        if len(rows):
            n_nan = int(len(window_rows) - len(rows))
            if n_nan:
                problems.append(
                    Problem(
                        eid,
                        inst,
                        "missing_returns",
                        f"{n_nan} dates inside the estimation window have no return for "
                        f"{inst} (not sessions of it); skipped, not filled",
                        n_nan,
                    )
                )
        if x.shape[1] and len(window_rows):
            window_rows = window_rows[~np.isnan(x[window_rows]).any(axis=1)]
        keep = np.ones(len(rows), bool)
        if x.shape[1] and len(rows):
            miss = np.isnan(x[rows]).any(axis=1)
            if miss.any():
                problems.append(
                    Problem(
                        eid,
                        inst,
                        "missing_regressor",
                        f"{int(miss.sum())} estimation days lack a regressor value "
                        f"({', '.join(_names)}); skipped, not filled",
                        int(miss.sum()),
                    )
                )
            keep &= ~miss
        # contamination by other events' event windows; events with this day 0 (this one
        # and those sharing it) are not contamination: they are this event window
        o_ids, o_k0, o_s, o_e = span_arrays.get(inst, ([], *(np.empty(0, np.int64),) * 3))
        other = o_k0 != k0
        if len(ks):
            # ks is the consecutive range ks[0]..ks[-1]: an event window [s, e] meets it
            # when s <= ks[-1] and e >= ks[0]; mark the days it covers
            hit = np.zeros(len(ks), bool)
            ids = []
            for i in np.flatnonzero(other & (o_s <= ks[-1]) & (o_e >= ks[0])):
                hit[max(int(o_s[i]) - int(ks[0]), 0) : int(o_e[i]) - int(ks[0]) + 1] = True
                ids.append(o_ids[i])
            if ids:
                act = "excluded from" if contamination == "exclude" else "kept in"
                problems.append(
                    Problem(
                        eid,
                        inst,
                        "contamination",
                        f"event window(s) of {ids} fall inside the estimation window "
                        f"({int(hit.sum())} days, {act} the estimation)",
                        int(hit.sum()),
                    )
                )
                if contamination == "exclude":
                    keep &= ~hit
            for i in np.flatnonzero(other & (o_s <= k0 + hi) & (o_e >= k0 + lo)):
                problems.append(
                    Problem(
                        eid,
                        inst,
                        "overlap",
                        f"event window overlaps that of event {o_ids[i]!r} on {inst}",
                    )
                )
        rows, rel = rows[keep], rel[keep]
        # event rows
        kev = np.arange(k0 + lo, k0 + hi + 1)
        inside = (kev >= 0) & (kev < n_sess)
        if not inside.all():
            problems.append(
                Problem(
                    eid,
                    inst,
                    "event_window_truncated",
                    f"{int((~inside).sum())} of {len(kev)} event-window days "
                    f"({lo},{hi}) fall outside the data of {inst}; their abnormal returns "
                    "are missing",
                    int((~inside).sum()),
                )
            )
        kev = kev[inside]
        ev_rows = sess[kev]
        ev_rel = kev - k0
        if x.shape[1] and len(ev_rows):
            miss = np.isnan(x[ev_rows]).any(axis=1)
            if miss.any():
                problems.append(
                    Problem(
                        eid,
                        inst,
                        "missing_regressor",
                        f"{int(miss.sum())} event days lack a regressor value; their "
                        "abnormal returns are missing",
                        int(miss.sum()),
                    )
                )
        last_k = ks[keep][-1] if keep.any() else k0
        horizons = kev - last_k
        usable = len(rows) >= min_estimation
        if not usable:
            problems.append(
                Problem(
                    eid,
                    inst,
                    "too_few_observations",
                    f"{len(rows)} estimation observations, fewer than min_estimation="
                    f"{min_estimation}; pair not estimated",
                    len(rows),
                )
            )
        pairs.append(
            PairWindow(
                eid,
                inst,
                day0_ts,
                rows,
                rel,
                window_rows,
                ev_rows,
                ev_rel,
                horizons,
                usable,
                leader,
            )
        )
    if overlap_note:
        problems.append(
            Problem(
                None,
                None,
                "window_overlap",
                f"estimation window {est} overlaps the event windows ({lo},{hi}); tests "
                "pooling both (rank, sign around the median) do not apply",
            )
        )
    return WindowPlan(
        "event",
        tuple(pairs),
        tuple(problems),
        {_label(w): w for w in wins},
        est,
        (lo, hi),
        ev,
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
    est_ar: np.ndarray
    labels: tuple[str, ...]
    car: np.ndarray
    car_var: np.ndarray

    def __len__(self) -> int:
        return len(self.pairs)

    def to_estimates(self) -> list[PairEstimate]:
        """One :class:`PairEstimate` per pair (the :data:`ENGINES` interface)."""
        out = []
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
                    self.est_ar[s].copy(),
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

    def select(self, keep: np.ndarray) -> BatchEstimates:
        """The pairs where ``keep`` is True."""
        if keep.all():
            return self
        ev_len = np.diff(self.ev_ptr)
        est_len = np.diff(self.est_ptr)
        ev_keep = np.repeat(keep, ev_len)
        est_keep = np.repeat(keep, est_len)
        return BatchEstimates(
            tuple(p for p, k in zip(self.pairs, keep, strict=True) if k),
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
            self.est_ar[est_keep],
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


def _sigma_batch(
    resid: np.ndarray,
    starts: np.ndarray,
    nobs: np.ndarray,
    k: int,
    ddof: int | Literal["df_resid"],
) -> np.ndarray:
    """:meth:`FittedModel.sigma` for every pair at once."""
    if ddof == "df_resid" and k == 0:
        ddof = 1
    with np.errstate(invalid="ignore", divide="ignore"):
        if ddof == "df_resid":
            dfr = (nobs - k).astype(float)
            ssr = _segment_sum(resid * resid, starts, nobs)
            return np.where(dfr > 0, np.sqrt(ssr / dfr), np.nan)
        mean = _segment_sum(resid, starts, nobs) / nobs
        dev = resid - np.repeat(mean, nobs)
        ss = _segment_sum(dev * dev, starts, nobs)
        dfr = (nobs - int(ddof)).astype(float)
        return np.where(dfr > 0, np.sqrt(ss / dfr), np.nan)


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
    engine's by construction. The estimation rows of all pairs are laid one after another
    and reduced per pair (``np.add.reduceat``): with :math:`\bar y, \bar x` the pair's
    means, :math:`S_{xx} = \sum (x - \bar x)(x - \bar x)'` and
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

    Work is ``O(sum of window lengths)`` array operations with no Python loop over pairs
    beyond collecting their row arrays. ``tests/study/test_engine_equivalence.py`` checks
    every frame of :meth:`EventStudy.run` against ``engine="statsmodels"`` to 1e-9 relative.
    """
    kind = _fast_model_kind(model)
    if kind is None:
        raise EventStudyInputError(
            f"the fast engine computes the OLS-family models (constant_mean, market_adjusted, "
            f"market, factor), not {model!r}; use engine='statsmodels' or 'auto'"
        )
    pairs = tuple(pw for pw in plan.pairs if pw.usable)
    labels = tuple(plan.windows)
    np_ = len(pairs)
    col = {name: j for j, name in enumerate(data.instruments)}
    inst_j = np.fromiter((col[pw.instrument] for pw in pairs), dtype=np.int64, count=np_)
    # regressors: each instrument has its own (T, K) matrix (its benchmark); gathered per
    # instrument for the rows of its pairs, never stacked into an (N, T, K) array
    n_x = data.regressors[data.instruments[0]][0].shape[1] if data.instruments else 0
    used = np.unique(inst_j)

    def regs(inst_of: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(rows), n_x))
        if n_x == 0 or len(rows) == 0:
            return out
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

    est_rows, nobs, est_ptr = flat("est_rows")
    ev_rows, ev_len, ev_ptr = flat("event_rows")
    ev_rel = np.concatenate([pw.event_rel for pw in pairs]) if np_ else np.empty(0, int)
    es = est_ptr[:-1]
    ej = np.repeat(inst_j, nobs)
    vj = np.repeat(inst_j, ev_len)
    y = data.y[est_rows, ej]
    y0 = data.y[ev_rows, vj]
    nf = nobs.astype(float)
    inv_n = 1.0 / nf
    has_x = kind in ("market", "factor", "market_adjusted") and n_x > 0
    kk = n_x if kind in ("market", "factor") else 0
    k_par = 0 if kind == "market_adjusted" else 1 + kk

    with np.errstate(invalid="ignore", divide="ignore"):
        ybar = _segment_sum(y, es, nobs) / nf
        yc = y - np.repeat(ybar, nobs)
        bad = np.zeros(np_, bool)
        if kind == "market_adjusted":
            x = regs(ej, est_rows)[:, 0]
            resid = y - x
            ar = y0 - (0.0 + regs(vj, ev_rows)[:, 0])
            params = np.tile([0.0, 1.0], (np_, 1))
            h = np.zeros(len(ev_rows))
            lev = np.zeros(len(ev_rows))
            lev_m = np.zeros(len(ev_rows))
            sinv = np.zeros((np_, 0, 0))
            dx0 = np.zeros((len(ev_rows), 0))
            xbar = np.zeros((np_, 0))
        else:
            x = regs(ej, est_rows)
            xbar = _segment_sum(x, es, nobs) / nf[:, None]
            xc = x - np.repeat(xbar, nobs, axis=0)
            sxx = _segment_sum(xc[:, :, None] * xc[:, None, :], es, nobs)
            sxy = _segment_sum(xc * yc[:, None], es, nobs)
            sinv, bad = _centred_inverse(sxx, _segment_sum(x * x, es, nobs))
            beta = np.einsum("pkl,pl->pk", sinv, sxy)
            alpha = ybar - np.einsum("pk,pk->p", xbar, beta)
            params = np.column_stack([alpha, beta])
            resid = yc - np.einsum("nk,nk->n", xc, np.repeat(beta, nobs, axis=0))
            x0 = regs(vj, ev_rows)
            dx0 = x0 - np.repeat(xbar, ev_len, axis=0)
            ar = (y0 - np.repeat(ybar, ev_len)) - np.einsum(
                "nk,nk->n", dx0, np.repeat(beta, ev_len, axis=0)
            )
            q = np.einsum("nk,nkl,nl->n", dx0, np.repeat(sinv, ev_len, axis=0), dx0)
            h = np.repeat(inv_n, ev_len) + q
            if has_x and conventions.market_mean == "window":
                w_rows, w_len, w_ptr = flat("window_rows")
                xw = regs(np.repeat(inst_j, w_len), w_rows)
                wbar = _segment_sum(xw, w_ptr[:-1], w_len) / w_len[:, None]
                wc = xw - np.repeat(wbar, w_len, axis=0)
                wxx = _segment_sum(wc[:, :, None] * wc[:, None, :], w_ptr[:-1], w_len)
                winv, wbad = _centred_inverse(wxx, _segment_sum(xw * xw, w_ptr[:-1], w_len))
                bad |= wbad
                d = x0 - np.repeat(wbar, ev_len, axis=0)
                lev_m = np.einsum("nk,nkl,nl->n", d, np.repeat(winv, ev_len, axis=0), d)
                lev = np.repeat(inv_n, ev_len) + lev_m
            elif has_x:
                lev, lev_m = h, q
            else:  # constant mean: no regressors
                lev, lev_m = np.repeat(inv_n, ev_len), np.zeros(len(ev_rows))
        sigma = _sigma_batch(resid, es, nobs, k_par, conventions.sigma_ddof)
        s_se = _sigma_batch(resid, es, nobs, k_par, se_ddof)
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
    for j in used:
        rows_j = inst_j == j
        cols = [param_names.index(n) for n in names_of[j]]
        pmat[np.ix_(rows_j, cols)] = params[rows_j]

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
        resid,
        labels,
        car,
        car_var,
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
    sub = replace(plan, pairs=tuple(batch.pairs[i] for i in idx))
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
            "est_ar",
            "car",
            "car_var",
        )
    }
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
        arrays["est_ar"][st] = e.est_ar
        for c, lab in enumerate(batch.labels):
            arrays["car"][i, c], arrays["car_var"][i, c] = e.cars[lab]
    return replace(batch, **arrays).select(keep), problems


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
