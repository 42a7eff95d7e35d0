"""Read-only results of an event study: tidy frames, test tables, summary and export.

:class:`EventStudyResult` is created by :meth:`eventstudy.study.EventStudy.run`; it never
changes after creation (frames are returned as copies; properties are cached). Running the
study with other options gives a new result.

Events sharing a day 0
----------------------
Several events can have the same day 0 on an instrument (``same_day0="share"``, the default
of :meth:`~eventstudy.study.EventStudy.run`). Each keeps its rows in ``abnormal_returns`` and
``cars`` -- identical numbers, one market move -- and the ``day0_group`` column names the
first event of its group (its own id when it shares its day 0 with none). Every test and
average counts each (instrument, day 0) once: among the pairs selected (``where=``, or a
group of ``by=``), only the first of each ``(instrument, day0_group)`` enters, so ``N`` is the
number of distinct moves, not of events.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import special, stats

from eventstudy.inference import (
    CONVENTIONS,
    TESTS,
    ARPanel,
    Conventions,
    TestResult,
    resolve_test,
)

if TYPE_CHECKING:  # pragma: no cover
    from eventstudy.models import NormalReturnModel
    from eventstudy.study import BatchEstimates, PairEstimate

__all__ = ["EventStudyResult", "Problem"]

AR_COLUMNS = ["event_id", "instrument", "rel_day", "date", "ar", "se", "t", "p", "day0_group"]
CAR_COLUMNS = ["event_id", "instrument", "window", "car", "se", "t", "p", "day0_group"]
#: (instrument, day0_group) identifies one market move; tests and averages count it once.
MOVE_KEY = ["instrument", "day0_group"]
PROBLEM_COLUMNS = ["event_id", "instrument", "kind", "message", "count"]


@dataclass(frozen=True)
class Problem:
    """One issue met while assembling or estimating a pair (collected, never printed).

    ``kind`` is a short code (missing_returns, missing_regressor, outside_data,
    estimation_truncated, event_window_truncated, too_few_observations, contamination,
    overlap, shared_day0 (informational: same instrument and day 0 as an earlier event, rows
    kept), duplicate (same, with ``same_day0="drop"``: no rows), no_day0, unknown_instrument,
    bad_date, window_overlap, fit_failed, fit_warning);
    ``count`` the number of observations concerned where that makes sense.
    """

    event_id: str | None
    instrument: str | None
    kind: str
    message: str
    count: int | None = None


def _pvalue(t: np.ndarray, df: np.ndarray, dist: Sequence[str]) -> np.ndarray:
    t = np.asarray(t, float)
    # scipy.stats.t.sf(x, df) is special.stdtr(df, -x): the same numbers without the
    # distribution machinery's argument checks
    with np.errstate(invalid="ignore"):
        out = 2 * special.stdtr(np.asarray(df, float), -np.abs(t))
    normal = np.asarray([d == "normal" for d in dist], bool)
    if normal.any():
        out = np.where(normal, 2 * stats.norm.sf(np.abs(t)), out)
    return out


@dataclass(frozen=True, eq=False)
class EventStudyResult:
    """Result of :meth:`EventStudy.run` (read-only).

    Attributes
    ----------
    abnormal_returns : ``event_id, instrument, rel_day, date, ar, se, t, p, day0_group``.
    cars : ``event_id, instrument, window, car, se, t, p, day0_group``.
    estimation_residuals : ``event_id, instrument, rel_day, date, ar`` on estimation days.
    fits : one row per estimated pair: day 0, day0_group, nobs, k, sigma (tests), sigma_se
        (AR/CAR standard errors), parameters.
    problems : ``event_id, instrument, kind, message, count`` per pair issue.
    windows : event-window label -> (first, last) relative day (read-only mapping).
    events : the events studied, with their catalog columns.
    options : the run options (read-only mapping).
    """

    _ar: pd.DataFrame
    #: the estimation residuals frame, or a function building it on first use
    _est_source: pd.DataFrame | Callable[[], pd.DataFrame]
    _cars: pd.DataFrame
    _fits: pd.DataFrame
    #: the problems frame, or the problems (a sequence) it is built from on first use
    _problems_source: pd.DataFrame | Sequence[Problem]
    windows: Mapping[str, tuple[int, int]]
    mode: str
    model_name: str
    model_description: str
    conventions: Conventions
    _events: pd.DataFrame
    options: Mapping[str, Any] = field(default_factory=dict)
    #: where each pair's rows are in the flat arrays (the panel's direct construction), or
    #: None (the panel is then built by pivoting the tidy frames)
    _layout: _PanelLayout | None = field(default=None, repr=False, compare=False)
    #: the panel of all pairs, built once (tests and their cached ranks/correlations reuse it)
    _panel_cache: dict[str, ARPanel] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _frame_cache: dict[str, pd.DataFrame] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def _problems(self) -> pd.DataFrame:
        """The problems frame (built on first use when deferred: formatting the messages of
        hundreds of thousands of problems takes longer than the estimation)."""
        src = self._problems_source
        if isinstance(src, pd.DataFrame):
            return src
        if "problems" not in self._frame_cache:
            self._frame_cache["problems"] = _problem_frame(src)
        return self._frame_cache["problems"]

    @property
    def _n_problems(self) -> int:
        src = self._problems_source
        return len(src) if not isinstance(src, pd.DataFrame) else len(src.index)

    def _problem_kinds(self) -> np.ndarray:
        """The ``kind`` of every problem, without building the frame when it is deferred."""
        src = self._problems_source
        if isinstance(src, pd.DataFrame) or "problems" in self._frame_cache:
            return self._problems["kind"].to_numpy(dtype=object)
        kinds = getattr(src, "kinds", None)
        if kinds is not None:
            return np.asarray(kinds(), dtype=object)
        return np.array([p.kind for p in src], dtype=object)

    @property
    def _est(self) -> pd.DataFrame:
        """The estimation residuals frame (built on first use when deferred)."""
        src = self._est_source
        if isinstance(src, pd.DataFrame):
            return src
        if "est" not in self._frame_cache:
            self._frame_cache["est"] = src()
        return self._frame_cache["est"]

    # ---------------------------------------------------------------- construction
    @classmethod
    def from_estimates(
        cls,
        estimates: Sequence[PairEstimate],
        *,
        problems: Sequence[Problem],
        index: pd.DatetimeIndex,
        windows: dict[str, tuple[int, int]],
        mode: str,
        model: NormalReturnModel,
        conventions: Conventions,
        events: pd.DataFrame,
        options: dict[str, Any],
    ) -> EventStudyResult:
        from eventstudy.models import model_info

        ar_parts, est_parts, car_rows, fit_rows = [], [], [], []
        for e in estimates:
            w = e.window
            group = w.day0_group
            n = len(w.event_rows)
            se = np.sqrt(e.event_var)
            with np.errstate(invalid="ignore", divide="ignore"):
                t = e.event_ar / se
            ar_parts.append(
                pd.DataFrame(
                    {
                        "event_id": [w.event_id] * n,
                        "instrument": [w.instrument] * n,
                        "rel_day": w.event_rel.astype(int),
                        "date": index[w.event_rows],
                        "ar": e.event_ar,
                        "se": se,
                        "t": t,
                        "p": _pvalue(t, np.full(n, e.df), [e.distribution] * n),
                        "day0_group": [group] * n,
                        "_lev": e.leverage,
                        "_lev_m": e.market_leverage,
                    }
                )
            )
            m = len(w.est_rows)
            est_parts.append(
                pd.DataFrame(
                    {
                        "event_id": [w.event_id] * m,
                        "instrument": [w.instrument] * m,
                        "rel_day": w.est_rel.astype(int),
                        "date": index[w.est_rows],
                        "ar": e.est_ar,
                    }
                )
            )
            for label, (car, var) in e.cars.items():
                se_c = math.sqrt(var) if np.isfinite(var) else math.nan
                t_c = car / se_c if se_c and np.isfinite(se_c) else math.nan
                p_c = float(_pvalue(np.array([t_c]), np.array([e.df]), [e.distribution])[0])
                car_rows.append((w.event_id, w.instrument, label, car, se_c, t_c, p_c, group))
            fit_rows.append(
                {
                    "event_id": w.event_id,
                    "instrument": w.instrument,
                    "day0": w.day0,
                    "day0_group": group,
                    "nobs": e.nobs,
                    "k": e.k,
                    "sigma": e.sigma,
                    "sigma_se": e.se_sigma,
                    **e.params,
                }
            )
        ar = pd.concat(ar_parts, ignore_index=True) if ar_parts else _empty(AR_COLUMNS)
        est = (
            pd.concat(est_parts, ignore_index=True)
            if est_parts
            else _empty(["event_id", "instrument", "rel_day", "date", "ar"])
        )
        cars = pd.DataFrame(car_rows, columns=CAR_COLUMNS)
        fits = (
            pd.DataFrame(fit_rows)
            if fit_rows
            else _empty(
                ["event_id", "instrument", "day0", "day0_group", "nobs", "k", "sigma", "sigma_se"]
            )
        )
        probs = _problem_frame(problems)
        info = model_info(model)
        est_rel = est["rel_day"].to_numpy()
        est_ar = est["ar"].to_numpy(float)
        layout = _PanelLayout(
            _offsets([len(e.window.event_rows) for e in estimates]),
            _offsets([len(e.window.est_rows) for e in estimates]),
            lambda: (est_rel, est_ar),
        )
        return cls(
            ar,
            est,
            cars,
            fits,
            probs,
            MappingProxyType(dict(windows)),
            mode,
            info.name,
            info.description,
            conventions,
            events.copy(),
            MappingProxyType(dict(options)),
            layout,
        )

    @classmethod
    def from_batch(
        cls,
        batch: BatchEstimates,
        *,
        problems: Sequence[Problem],
        index: pd.DatetimeIndex,
        windows: dict[str, tuple[int, int]],
        mode: str,
        model: NormalReturnModel,
        conventions: Conventions,
        events: pd.DataFrame,
        options: dict[str, Any],
    ) -> EventStudyResult:
        """The result of the vectorised engine: the frames of :meth:`from_estimates` (same
        columns, dtypes, row order and values) built from the flat arrays of a
        :class:`~eventstudy.study.BatchEstimates`, with no per-pair frames."""
        if len(batch) == 0:
            return cls.from_estimates(
                [],
                problems=problems,
                index=index,
                windows=windows,
                mode=mode,
                model=model,
                conventions=conventions,
                events=events,
                options=options,
            )
        from eventstudy.models import model_info

        cols = batch.frame_columns(index)
        n_pairs = len(batch)
        eids, insts, groups = cols["eids"], cols["insts"], cols["groups"]
        ev_len = np.diff(batch.ev_ptr)
        est_len = np.diff(batch.est_ptr)

        def taken(values: Sequence[str], codes: np.ndarray) -> pd.Series:
            # the string dtype of from_estimates, built by a take (fast)
            return pd.Series(pd.array(np.asarray(values, dtype=object), dtype="str").take(codes))

        def strings(values: np.ndarray, reps: np.ndarray) -> pd.Series:
            return taken(values, np.repeat(np.arange(len(values)), reps))

        ev_rows = cols["ev_rows"]
        ev_rel = cols["ev_rel"].astype(int)
        se = np.sqrt(batch.event_var)
        with np.errstate(invalid="ignore", divide="ignore"):
            t = batch.event_ar / se
        df_ev = np.repeat(batch.df, ev_len)
        ar = pd.DataFrame(
            {
                "event_id": strings(eids, ev_len),
                "instrument": strings(insts, ev_len),
                "rel_day": ev_rel,
                "date": index[ev_rows],
                "ar": batch.event_ar,
                "se": se,
                "t": t,
                "p": _pvalue(t, df_ev, ["t"]),
                "day0_group": strings(groups, ev_len),
                "_lev": batch.leverage,
                "_lev_m": batch.market_leverage,
            }
        )
        est_flat = cols["est_flat"]

        def est() -> pd.DataFrame:  # built when first needed (many rows, rarely read)
            est_rows, est_rel = est_flat()
            est_ar = batch.est_ar
            return pd.DataFrame(
                {
                    "event_id": strings(eids, est_len),
                    "instrument": strings(insts, est_len),
                    "rel_day": est_rel.astype(int),
                    "date": index[est_rows],
                    "ar": est_ar,
                }
            )

        nc = len(batch.labels)
        var = batch.car_var.ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            se_c = np.where(np.isfinite(var), np.sqrt(np.where(np.isfinite(var), var, 0.0)), np.nan)
            car = batch.car.ravel()
            t_c = np.where(np.isfinite(se_c) & (se_c != 0), car / se_c, np.nan)
        cars = pd.DataFrame(
            {
                "event_id": strings(eids, np.full(n_pairs, nc)),
                "instrument": strings(insts, np.full(n_pairs, nc)),
                "window": taken(batch.labels, np.tile(np.arange(nc), n_pairs)),
                "car": car,
                "se": se_c,
                "t": t_c,
                "p": _pvalue(t_c, np.repeat(batch.df, nc), ["t"]),
                "day0_group": strings(groups, np.full(n_pairs, nc)),
            }
        )
        fits = pd.DataFrame(
            {
                "event_id": pd.Series(eids, dtype="str"),
                "instrument": pd.Series(insts, dtype="str"),
                "day0": cols["day0"],
                "day0_group": pd.Series(groups, dtype="str"),
                "nobs": batch.nobs.astype(np.int64),
                "k": batch.k.astype(np.int64),
                "sigma": batch.sigma,
                "sigma_se": batch.sigma_se,
                **{n: batch.params[:, c] for c, n in enumerate(batch.param_names)},
            }
        )
        probs = problems if hasattr(problems, "kinds") else _problem_frame(problems)
        info = model_info(model)

        def est_values() -> tuple[np.ndarray, np.ndarray]:
            # the estimation frame's rel_day and ar columns, without building the frame
            return est_flat()[1].astype(int), batch.est_ar

        layout = _PanelLayout(np.asarray(batch.ev_ptr), np.asarray(batch.est_ptr), est_values)
        return cls(
            ar,
            est,
            cars,
            fits,
            probs,
            MappingProxyType(dict(windows)),
            mode,
            info.name,
            info.description,
            conventions,
            events.copy(),
            MappingProxyType(dict(options)),
            layout,
        )

    # ---------------------------------------------------------------- tidy frames
    @property
    def abnormal_returns(self) -> pd.DataFrame:
        """Tidy abnormal returns ``event_id, instrument, rel_day, date, ar, se, t, p,
        day0_group`` (``day0_group``: the first event with this instrument and day 0)."""
        return self._ar[AR_COLUMNS].copy()

    @property
    def cars(self) -> pd.DataFrame:
        """Tidy CARs ``event_id, instrument, window, car, se, t, p, day0_group`` (NaN if a
        day is missing; ``day0_group`` as in :attr:`abnormal_returns`)."""
        return self._cars.copy()

    @property
    def estimation_residuals(self) -> pd.DataFrame:
        """Estimation-window abnormal returns ``event_id, instrument, rel_day, date, ar``
        (events sharing an instrument and day 0 have the same rows)."""
        return self._est.copy()

    @property
    def fits(self) -> pd.DataFrame:
        """One row per estimated pair: ``day0, day0_group, nobs, k, sigma`` and the model
        parameters."""
        return self._fits.copy()

    @property
    def problems(self) -> pd.DataFrame:
        """Per-event issues ``event_id, instrument, kind, message, count``."""
        return self._problems.copy()

    @property
    def events(self) -> pd.DataFrame:
        """The events studied (the catalog columns given to ``run``; one row in calendar mode)."""
        return self._events.copy()

    @property
    def n_pairs(self) -> int:
        return len(self._fits)

    # ---------------------------------------------------------------- panel and tests
    def _pair_index(self, where: dict[str, Any] | None) -> np.ndarray:
        """Rows of :attr:`fits` to test: selected by ``where``, then one per (instrument,
        day 0) -- the first selected event of each ``day0_group`` (increasing)."""
        mask = np.ones(len(self._fits), bool)
        if where:
            catalog = self._events.drop(columns=[c for c in ("instrument",) if c in self._events])
            frame = self._fits[["event_id", "instrument"]].merge(
                catalog.drop_duplicates("event_id"), on="event_id", how="left"
            )
            for col, val in where.items():
                if col not in frame.columns:
                    raise KeyError(f"unknown column {col!r}; available: {list(frame.columns)}")
                vals = val if isinstance(val, list | tuple | set) else [val]
                mask &= frame[col].isin(list(vals)).to_numpy()
        first = ~self._fits.loc[mask, MOVE_KEY].duplicated().to_numpy()
        return np.flatnonzero(mask)[first]

    def _pairs(self, where: dict[str, Any] | None) -> list[tuple[str, str]]:
        """The (event, instrument) pairs to test (see :meth:`_pair_index`)."""
        keys = list(zip(self._fits["event_id"], self._fits["instrument"], strict=True))
        return [keys[i] for i in self._pair_index(where)]

    def panel(self, where: dict[str, Any] | None = None) -> ARPanel:
        """The :class:`~eventstudy.inference.ARPanel` of the estimated pairs.

        ``where`` selects pairs by fit or catalog columns, e.g. ``{"category": "sanction"}``.
        Each (instrument, day 0) enters once: of events sharing it, the first selected one
        (see the module notes); ``N`` counts market moves, not events.

        Built directly from the pairs' flat rows (their abnormal returns scattered into the
        ``(days x pairs)`` matrices by relative day): the numbers of a pivot of the tidy
        frames (:meth:`_panel_from_frames`, kept as the reference and for results built
        without the row layout), with no frame of the estimation rows. On the benchmark
        panel (``benchmarks/bench_engine.py --battery``) 0.45 s at 10,000 pairs and 6.6 s
        at 100,000 (24 million estimation rows, their deferred residuals computed here),
        where the pivot took 2.0 s and 38.6 s.
        ``tests/study/test_panel_construction.py`` checks it equal, bit for bit, to the
        pivot and to a brute-force construction from the tidy frames.
        """
        if not where and "all" in self._panel_cache:
            return self._panel_cache["all"]
        sel = self._pair_index(where)
        if not len(sel):
            raise ValueError("no estimated pairs to test (see result.problems)")
        if self._layout is None:
            panel = self._panel_from_frames(where)
        else:
            panel = self._panel_from_layout(sel, self._layout)
        if not where:
            for arr in (panel.event, panel.estimation, panel.sigma, panel.nobs):
                arr.flags.writeable = False  # shared by later calls: read-only
            for arr in (panel.leverage, panel.market_leverage):
                arr.flags.writeable = False
            self._panel_cache["all"] = panel
        return panel

    def _event_rows(self) -> np.ndarray:
        lo = min(a for a, _ in self.windows.values())
        hi = max(b for _, b in self.windows.values())
        return np.arange(lo, hi + 1)

    def _panel_from_layout(self, sel: np.ndarray, layout: _PanelLayout) -> ARPanel:
        """The panel of fits rows ``sel`` from the flat rows (see :func:`_scatter_wide`)."""
        ev_days = self._event_rows()
        ev_rel = self._ar["rel_day"].to_numpy()
        event, lev, lev_m = (
            _scatter_wide(layout.ev_ptr, ev_rel, self._ar[c].to_numpy(float), sel, ev_days)
            for c in ("ar", "_lev", "_lev_m")
        )
        est_rel, est_ar = layout.est_values()
        est_rel = np.asarray(est_rel)
        if est_rel.size:
            lo = int(est_rel.min())
            est_days = np.flatnonzero(np.bincount(est_rel - lo)) + lo  # sorted unique
        else:
            est_days = np.zeros(0, np.int64)
        estimation = _scatter_wide(
            layout.est_ptr, est_rel, np.asarray(est_ar, float), sel, est_days
        )
        del est_rel, est_ar
        return ARPanel(
            event=event,
            estimation=estimation,
            sigma=self._fits["sigma"].to_numpy(float)[sel],
            nobs=self._fits["nobs"].to_numpy(float)[sel],
            leverage=np.nan_to_num(lev),
            market_leverage=np.nan_to_num(lev_m),
            conventions=self.conventions,
            rel_days=ev_days,
            overlap=bool((self._problem_kinds() == "window_overlap").any()),
        )

    def _panel_from_frames(self, where: dict[str, Any] | None = None) -> ARPanel:
        """The panel by pivoting the tidy frames (``abnormal_returns`` and
        ``estimation_residuals``) on ``rel_day`` x ``(event_id, instrument)``: the reference
        construction of :meth:`panel` (slow at scale; not cached)."""
        keys = self._pairs(where)
        if not keys:
            raise ValueError("no estimated pairs to test (see result.problems)")
        cols = pd.MultiIndex.from_tuples(keys, names=["event_id", "instrument"])

        def wide(frame: pd.DataFrame, value: str, rows: pd.Index) -> np.ndarray:
            p = frame.pivot_table(
                index="rel_day",
                columns=["event_id", "instrument"],
                values=value,
                aggfunc="first",
                dropna=False,
            )
            return p.reindex(index=rows, columns=cols).to_numpy(float)

        ev_rows = pd.Index(self._event_rows(), name="rel_day")
        est_rows = pd.Index(sorted(self._est["rel_day"].unique()), name="rel_day")
        fits = self._fits.set_index(["event_id", "instrument"]).reindex(cols)
        overlap = bool((self._problem_kinds() == "window_overlap").any())
        return ARPanel(
            event=wide(self._ar, "ar", ev_rows),
            estimation=wide(self._est, "ar", est_rows),
            sigma=fits["sigma"].to_numpy(float),
            nobs=fits["nobs"].to_numpy(float),
            leverage=np.nan_to_num(wide(self._ar, "_lev", ev_rows)),
            market_leverage=np.nan_to_num(wide(self._ar, "_lev_m", ev_rows)),
            conventions=self.conventions,
            rel_days=ev_rows.to_numpy(),
            overlap=overlap,
        )

    def test_records(
        self,
        days: Sequence[int] | int,
        tests: Sequence[str] | None = None,
        where: dict[str, Any] | None = None,
    ) -> dict[str, TestResult]:
        """``{test: TestResult}`` on the given relative day(s) (several = cumulative).

        Pairs as in :meth:`panel`: each (instrument, day 0) once. Over several days every
        test uses the same pairs: those with an abnormal return on each day of the window
        (the pairs that have a CAR), so the daily-mean tests (Brown-Warner, Patell, ranks)
        and the CAR tests (t, BMP) speak about the same sample; ``nobs`` counts them.
        """
        panel = self.panel(where)
        rel = list(panel.rel_days) if panel.rel_days is not None else []
        pos = [rel.index(d) for d in np.atleast_1d(days)]
        names = list(TESTS) if tests is None else [resolve_test(t).name for t in tests]
        if len(pos) > 1:
            key = "complete:" + ",".join(map(str, pos))
            cached = None if where else self._panel_cache.get(key)
            if cached is not None:
                panel = cached
            else:
                panel = _complete_pairs(panel, pos)
                if not where:  # the last window's panel (and its caches), for the next call
                    for k in [k for k in self._panel_cache if k.startswith("complete:")]:
                        del self._panel_cache[k]
                    self._panel_cache[key] = panel
        return {n: TESTS[n].func(panel, pos) for n in names}

    def daily_tests(
        self,
        tests: Sequence[str] | None = None,
        *,
        pvalues: bool = False,
        where: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        """One row per event day, one column per test (statistics, or p-values).

        Index ``rel_day``; columns ``date`` (calendar mode), ``n`` (pairs with an abnormal
        return), ``aar`` (mean abnormal return), then the tests (names of :data:`TESTS`;
        estudy2's columns ``bw_1980 ... wilcoxon`` first). A test that does not apply gives
        NaN here; :meth:`test_records` says why. Pairs as in :meth:`panel`: events sharing
        an instrument and day 0 count once, so ``n`` counts market moves.
        """
        panel = self.panel(where)
        names = list(TESTS) if tests is None else [resolve_test(t).name for t in tests]
        rows = []
        for i, rd in enumerate(panel.rel_days if panel.rel_days is not None else []):
            day = panel.event[i]
            row: dict[str, Any] = {"rel_day": int(rd)}
            n = int(np.sum(~np.isnan(day)))
            row["n"] = n
            row["aar"] = float(np.nanmean(day)) if n else math.nan
            for name in names:
                r = TESTS[name].func(panel, [i])
                row[name] = r.pvalue if pvalues else r.statistic
            rows.append(row)
        out = pd.DataFrame(rows).set_index("rel_day")
        if self.mode == "calendar":
            dates = self._ar.groupby("rel_day")["date"].first()
            out.insert(0, "date", dates.reindex(out.index))
        return out

    def _window_days(self, window: str | tuple[int, int]) -> tuple[str, list[int]]:
        if isinstance(window, str):
            if window not in self.windows:
                raise KeyError(f"unknown window {window!r}; windows: {list(self.windows)}")
            a, b = self.windows[window]
            label = window
        else:
            a, b = int(window[0]), int(window[1])
            label = f"({a},{b})"
        return label, list(range(a, b + 1))

    def window_tests(
        self,
        window: str | tuple[int, int] | None = None,
        tests: Sequence[str] | None = None,
        where: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        """Cumulative (CAR) tests over one window: one row per test.

        Columns ``statistic, pvalue, distribution, df, null, reference, reason, nobs``.
        ``window`` is a label of :attr:`windows` or a ``(first, last)`` pair (default: the
        first window). The multi-day formulas are in each test's docstring. Pairs as in
        :meth:`panel`: each (instrument, day 0) once.
        """
        window = window if window is not None else next(iter(self.windows))
        _, days = self._window_days(window)
        recs = self.test_records(days, tests, where)
        return pd.DataFrame(
            [
                {
                    "test": r.name,
                    "statistic": r.statistic,
                    "pvalue": r.pvalue,
                    "distribution": r.distribution,
                    "df": r.df,
                    "null": r.null,
                    "reference": r.reference,
                    "reason": r.reason,
                    "nobs": r.nobs,
                }
                for r in recs.values()
            ]
        ).set_index("test")

    # ---------------------------------------------------------------- aggregation
    def _with_catalog(self, frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
        need = [c for c in by if c not in frame.columns]
        if not need:
            return frame
        bad = [c for c in need if c not in self._events.columns]
        if bad:
            raise KeyError(
                f"cannot group by {bad}: not a result or catalog column "
                f"(catalog columns: {list(self._events.columns)})"
            )
        cat = self._events[["event_id", *need]].drop_duplicates("event_id")
        return frame.merge(cat, on="event_id", how="left")

    @staticmethod
    def _keys(by: str | Sequence[str] | None) -> list[str]:
        if by is None:
            return []
        return [by] if isinstance(by, str) else list(by)

    def aggregate(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """AAR and CAAR by relative day, overall or per group.

        ``by``: None (all pairs), "instrument" (across events), "event_id" (across
        instruments), any catalog column of the events (category, direction ...), or a list of
        these. Columns ``[by...], rel_day, n, aar, caar`` where ``caar`` is the running sum of
        ``aar`` from the first event day. Within each group an (instrument, day 0) counts
        once (the group's first event sharing it), so ``n`` counts market moves; with
        ``by="event_id"`` every event has its own row.
        """
        keys = self._keys(by)
        f = self._with_catalog(self._ar[AR_COLUMNS], keys)
        f = f[~f.duplicated([*keys, *MOVE_KEY, "rel_day"])]
        g = f.groupby([*keys, "rel_day"], dropna=False)["ar"].agg(n="count", aar="mean")
        g = g.reset_index()
        if keys:
            g["caar"] = g.groupby(keys, dropna=False)["aar"].cumsum()
        else:
            g["caar"] = g["aar"].cumsum()
        return g

    def aggregate_cars(self, by: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Mean CAR per window (and group) with its cross-sectional t test.

        ``by`` as in :meth:`aggregate`. Columns ``[by...], window, n, mean_car, sd, t, p``
        (t with ``n - 1`` df; pairs whose CAR is missing are left out and counted by ``n``).
        Within each group an (instrument, day 0) counts once, as in :meth:`aggregate`.
        """
        keys = self._keys(by)
        f = self._with_catalog(self._cars, keys)
        f = f[~f.duplicated([*keys, *MOVE_KEY, "window"])].dropna(subset=["car"])
        g = f.groupby([*keys, "window"], dropna=False)["car"].agg(
            n="count", mean_car="mean", sd="std"
        )
        g = g.reset_index()
        with np.errstate(invalid="ignore", divide="ignore"):
            g["t"] = g["mean_car"] / (g["sd"] / np.sqrt(g["n"]))
        g["p"] = 2 * stats.t.sf(np.abs(g["t"].to_numpy(float)), g["n"].to_numpy(float) - 1)
        return g

    # ---------------------------------------------------------------- presentation
    def summary(self, tests: Sequence[str] | None = None) -> str:
        """A statsmodels-style text table: set-up, mean CAR per window, window tests."""
        names = tests or ["bw_1985", "t_test", "patell", "bmp", "kp_bmp", "rank", "gsign", "grank"]
        width = 78
        lines = ["=" * width, "Event study results".center(width), "=" * width]
        est = self.options.get("estimation")
        if isinstance(est, tuple) and all(isinstance(v, pd.Timestamp) for v in est):
            est = f"{est[0].date()}..{est[1].date()}"
        head = [
            ("Model:", self.model_name, "Mode:", self.mode),
            ("Pairs estimated:", str(self.n_pairs), "Problems:", str(self._n_problems)),
            ("Estimation:", f"{est}", "Engine:", str(self.options.get("engine", ""))),
            (
                "Min. obs:",
                str(self.options.get("min_estimation", "")),
                "Pred. error:",
                str(self.options.get("prediction_error", "")),
            ),
        ]
        for a, b, c, d in head:
            lines.append(f"{a:<18}{b:<24}{c:<14}{d:>22}")
        lines.append("-" * width)
        agg = self.aggregate_cars().set_index("window")
        for label in self.windows:
            mean = agg["mean_car"].get(label, math.nan)
            n = agg["n"].get(label, 0)
            lines.append(f"Window {label}: mean CAR = {mean:.6f}  (n = {n})")
            lines.append(f"  {'test':<14}{'statistic':>12}{'p-value':>10}  {'dist':<10}note")
            try:
                wt = self.window_tests(label, names)
            except ValueError as exc:
                lines.append(f"  {exc}")
                continue
            for name, r in wt.iterrows():
                note = r["reason"] or ""
                lines.append(
                    f"  {name:<14}{r['statistic']:>12.4f}{r['pvalue']:>10.4f}  "
                    f"{r['distribution']:<10}{note}"
                )
        lines.append("=" * width)
        lines.append(f"Model: {self.model_name} - {self.model_description}")
        lines.append(self._same_day0_note())
        for k, desc in CONVENTIONS.items():
            lines.append(f"{k} = {getattr(self.conventions, k)!r}: {desc}")
        for name in names:
            info = resolve_test(name)
            lines.append(f"[{info.name}] {info.description}; {info.reference}")
        return "\n".join(lines)

    def _same_day0_note(self) -> str:
        policy = self.options.get("same_day0", "share")
        if policy == "drop":
            n = int((self._problem_kinds() == "duplicate").sum())
            return (
                f"same_day0 = 'drop': {n} later event(s) with an instrument and day 0 already "
                "studied were left out (problems: duplicate)"
            )
        n = (
            int((self._fits["event_id"] != self._fits["day0_group"]).sum())
            if len(self._fits)
            else 0
        )
        return (
            f"same_day0 = 'share': {n} pair(s) share an instrument and day 0 with an earlier "
            "event (identical ARs/CARs, column day0_group); tests, means and n count each "
            "(instrument, day 0) once"
        )

    def __repr__(self) -> str:
        return (
            f"EventStudyResult(model={self.model_name!r}, mode={self.mode!r}, "
            f"pairs={self.n_pairs}, windows={list(self.windows)}, "
            f"problems={self._n_problems})"
        )

    # ---------------------------------------------------------------- export
    def _frames(self) -> dict[str, pd.DataFrame]:
        frames = {
            "abnormal_returns": self.abnormal_returns,
            "cars": self.cars,
            "fits": self.fits,
            "problems": self.problems,
        }
        if self.n_pairs:
            frames["daily_tests"] = self.daily_tests().reset_index()
        return frames

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write the tidy frames as CSV files into ``folder``; return the paths."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, frame in self._frames().items():
            p = out / f"{name}.csv"
            frame.to_csv(p, index=False)
            paths.append(p)
        return paths

    def to_parquet(self, folder: str | Path) -> list[Path]:
        """Write the tidy frames as Parquet files into ``folder``; return the paths."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, frame in self._frames().items():
            p = out / f"{name}.parquet"
            frame.to_parquet(p, index=False)
            paths.append(p)
        return paths

    @property
    def caar(self) -> pd.Series:
        """Cumulative average abnormal return over all pairs (each instrument and day 0
        once), by relative day."""
        a = self.aggregate()
        return a.set_index("rel_day")["caar"]


def _complete_pairs(panel: ARPanel, pos: Sequence[int]) -> ARPanel:
    """``panel`` restricted to the pairs with an abnormal return on every row of ``pos``
    (:meth:`ARPanel.take_pairs`: the caches computed pair by pair are carried over)."""
    keep = ~np.isnan(panel.event[list(pos)]).any(axis=0)
    return panel.take_pairs(keep)


def _problem_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problems frame; from columns (no :class:`Problem` objects) when ``problems``
    holds them (``.columns``: event_id, instrument, kind, message, count lists)."""
    cols = getattr(problems, "columns", None)
    if cols is not None and len(cols[0]):
        try:
            from pandas.core.internals.construction import convert_object_array
        except ImportError:  # pragma: no cover - pandas internals moved
            pass
        else:
            # the per-column inference of a frame built from row tuples, without the rows
            arrays = []
            for c in cols:
                a = np.empty(len(c), dtype=object)
                a[:] = c
                arrays.append(a)
            conv = convert_object_array(arrays, dtype=None, dtype_backend="numpy")
            return pd.DataFrame(dict(zip(PROBLEM_COLUMNS, conv, strict=True)))
    return pd.DataFrame(
        [(p.event_id, p.instrument, p.kind, p.message, p.count) for p in problems],
        columns=PROBLEM_COLUMNS,
    )


def _empty(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float) for c in cols})


@dataclass(frozen=True)
class _PanelLayout:
    """Where the rows of each estimated pair are (pairs in :attr:`~EventStudyResult.fits`
    order): ``ev_ptr[i]:ev_ptr[i + 1]`` in the abnormal-returns frame,
    ``est_ptr[i]:est_ptr[i + 1]`` in the estimation rows, whose ``(rel_day, ar)`` columns
    ``est_values()`` gives (from the engine's arrays: the frame need not exist)."""

    ev_ptr: np.ndarray
    est_ptr: np.ndarray
    est_values: Callable[[], tuple[np.ndarray, np.ndarray]]


def _offsets(lengths: Sequence[int]) -> np.ndarray:
    out = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(np.asarray(lengths, np.int64), out=out[1:])
    return out


#: rows gathered per block by :func:`_scatter_wide` (bounds its temporary arrays)
_SCATTER_BLOCK = 1 << 22


def _scatter_wide(
    ptr: np.ndarray, rel: np.ndarray, values: np.ndarray, sel: np.ndarray, days: np.ndarray
) -> np.ndarray:
    """``(len(days), len(sel))`` matrix (C order): column ``j`` holds the values of pair
    ``sel[j]`` (flat rows ``ptr[sel[j]]:ptr[sel[j] + 1]``) at the row of their relative day
    in ``days`` (sorted); NaN where the pair has no value that day, rows on other days left
    out. A pair with two rows on one day keeps its first non-NaN value. These are the
    semantics of ``pivot_table(index="rel_day", columns=pair, aggfunc="first")`` reindexed
    to ``days`` x ``sel`` (the reference, :meth:`EventStudyResult._panel_from_frames`).

    Filled pair by pair into a ``(pairs, days)`` array, in blocks of about
    :data:`_SCATTER_BLOCK` rows, then transposed once.
    """
    n_days = len(days)
    out = np.full((len(sel), n_days), np.nan)
    if not len(sel) or not n_days:
        return np.ascontiguousarray(out.T)
    start = np.asarray(ptr)[sel]
    lens = np.asarray(ptr)[sel + 1] - start
    cum = np.cumsum(lens)
    j0 = 0
    while j0 < len(sel):
        j1 = int(np.searchsorted(cum, (cum[j0 - 1] if j0 else 0) + _SCATTER_BLOCK, "right"))
        j1 = max(j1, j0 + 1)
        n = lens[j0:j1]
        off = np.cumsum(n) - n
        idx = np.arange(int(n.sum()), dtype=np.int64) + np.repeat(start[j0:j1] - off, n)
        col = np.repeat(np.arange(j0, j1, dtype=np.int64), n)
        r = rel[idx]
        pos = np.searchsorted(days, r)
        ok = pos < n_days
        ok[ok] = days[pos[ok]] == r[ok]
        v = values[idx]
        ok &= ~np.isnan(v)
        col, pos, v = col[ok], pos[ok], v[ok]
        if col.size > 1 and not np.all((col[1:] != col[:-1]) | (pos[1:] > pos[:-1])):
            # a pair's days not strictly increasing: keep the first value of each cell
            _, first = np.unique(col * n_days + pos, return_index=True)
            col, pos, v = col[first], pos[first], v[first]
        out[col, pos] = v
        j0 = j1
    return np.ascontiguousarray(out.T)
