"""The event study: configure, assemble windows, estimate, and return a read-only result.

``EventStudy(returns, market=..., model="market").run(...)`` runs in two separable steps:

1. :func:`assemble_windows` decides, for every (event, instrument) pair, which rows of the
   returns frame are estimation and event observations. It returns a :class:`WindowPlan` of
   integer index arrays (positions in ``returns.index``) and the per-event problems found
   (missing data, windows that do not fit, contamination, duplicates ...).
2. An *engine* estimates the normal-return model on each pair's estimation rows and computes
   abnormal returns, their prediction-error variances and CARs. :func:`estimate_statsmodels`
   is the reference engine (statsmodels/arch, one fit per pair); :data:`ENGINES` maps engine
   names to functions with the same signature so a vectorised engine can be plugged in.

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
    "EventStudy",
    "EventStudyInputError",
    "PairEstimate",
    "PairWindow",
    "StudyData",
    "WindowPlan",
    "assemble_windows",
    "estimate_statsmodels",
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
        engine: str = "statsmodels",
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
        engine : str, default "statsmodels"
            A key of :data:`ENGINES`.
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
        try:
            func = ENGINES[engine]
        except KeyError:
            raise EventStudyInputError(
                f"unknown engine {engine!r}; valid engines: {', '.join(sorted(ENGINES))}"
            ) from None
        estimates, problems = func(
            self.data,
            plan,
            self.model,
            conv,
            prediction_error=prediction_error,
            se_ddof=se_ddof,
        )
        return EventStudyResult.from_estimates(
            estimates,
            problems=list(plan.problems) + list(problems),
            index=self.data.index,
            windows=plan.windows,
            mode=plan.mode,
            model=self.model,
            conventions=conv,
            events=plan.events,
            options={
                "estimation": plan.estimation,
                "min_estimation": min_estimation,
                "contamination": contamination,
                "same_day0": same_day0,
                "prediction_error": prediction_error,
                "se_ddof": se_ddof,
                "engine": engine,
            },
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
            k0 = _day0(data, eid, inst, date, sess, d0_func, d0_frame, problems)
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
        others = [(oid, s, e) for oid, ok0, s, e in spans.get(inst, []) if ok0 != k0]
        if len(ks):
            kin = ks
            hit = np.zeros(len(ks), bool)
            ids = []
            for oid, s, e in others:
                m = (kin >= s) & (kin <= e)
                if m.any():
                    hit |= m
                    ids.append(oid)
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
            for oid, s, e in others:
                if s <= k0 + hi and k0 + lo <= e:
                    problems.append(
                        Problem(
                            eid,
                            inst,
                            "overlap",
                            f"event window overlaps that of event {oid!r} on {inst}",
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
) -> int | None:
    """Position of day 0 in the instrument's sessions, or None (problem recorded)."""
    if len(sess) == 0:
        problems.append(Problem(eid, inst, "outside_data", f"{inst} has no returns at all"))
        return None
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


#: Engine name -> function(data, plan, model, conventions, *, prediction_error, se_ddof) ->
#: ``(list[PairEstimate], list[Problem])``.
ENGINES: dict[str, Callable[..., tuple[list[PairEstimate], list[Problem]]]] = {
    "statsmodels": estimate_statsmodels,
}
