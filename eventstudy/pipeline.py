"""The main job: articles -> events -> prices -> event study -> report.

:func:`run_pipeline` chains the stages with the defaults of ``eventstudy run`` and returns a
:class:`RunOutput` holding every intermediate frame; the report folder is written by
:func:`eventstudy.report.write_report`. Nothing here prints: progress goes to a callback.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from eventstudy._progress import every
from eventstudy.errors import EventStudyError, SkippedInputWarning

__all__ = [
    "DEFAULT_INSTRUMENTS",
    "DEFAULT_WINDOWS",
    "PipelineError",
    "RunOutput",
    "RunSettings",
    "caar_table",
    "run_pipeline",
]

DEFAULT_INSTRUMENTS = ("USDRUB", "BRENT", "IMOEX", "RTSI", "SP500", "STOXX50E")
DEFAULT_WINDOWS = ((-1, 1), (0, 0), (0, 5))
#: calendar days of prices loaded before the first event: 250 sessions plus holidays and gaps
LOOKBACK_DAYS = 420
LOOKAHEAD_DAYS = 45


class PipelineError(EventStudyError, RuntimeError):
    """The main job cannot go on (no events, no series at all ...)."""


@dataclass(frozen=True)
class RunSettings:
    """Every setting of one run, recorded in ``run.json``."""

    articles: str = "seeds"
    out: str = "report"
    source: str = "auto"
    prices: str | None = None
    instruments: tuple[str, ...] = DEFAULT_INSTRUMENTS
    model: str = "market"
    estimation: tuple[int, int] = (-250, -11)
    windows: tuple[tuple[int, int], ...] = DEFAULT_WINDOWS
    min_estimation: int = 100
    overrides: str | None = "default"
    include_hypothetical: bool = False
    learned: bool = True
    operating_point: str | None = None  # the learned pass's thresholds (None: the model's)
    precisions: tuple[str, ...] = ("day",)
    return_kind: str = "log"
    engine: str = "auto"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RunOutput:
    """Everything a run produced, for notebooks and tests."""

    settings: RunSettings
    articles: Any
    catalog: pd.DataFrame
    studied: pd.DataFrame
    prices: pd.DataFrame
    returns: pd.DataFrame
    results: Mapping[str, Any]
    abnormal_returns: pd.DataFrame
    cars: pd.DataFrame
    tests: pd.DataFrame
    caar: Mapping[str, pd.DataFrame]
    sources: Mapping[str, Any]
    notices: tuple[str, ...]
    models: Mapping[str, str]
    report: Path | None = None
    timings: Mapping[str, float] = field(default_factory=dict)


Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


def caar_table(cars: pd.DataFrame, catalog: pd.DataFrame, by: str) -> pd.DataFrame:
    """Cross-sectional mean CAR per ``by`` group, instrument and window.

    ``caar = mean(CAR_i)``, ``se = sd(CAR_i) / sqrt(n)`` (sample sd, ddof 1), ``t = caar/se``
    with ``n - 1`` degrees of freedom (the cross-sectional t of Brown and Warner 1985);
    groups with one event have no se. Events that share an instrument and day 0 (the
    ``day0_group`` column of the engine) are one market move and count once per group.
    Columns ``group, instrument, window, caar, se, t, p, n``.
    """
    cols = ["group", "instrument", "window", "caar", "se", "t", "p", "n"]
    if cars.empty or by not in catalog.columns:
        return pd.DataFrame(columns=cols)
    f = cars.dropna(subset=["car"]).merge(
        catalog[["event_id", by]].drop_duplicates("event_id"), on="event_id", how="left"
    )
    if "day0_group" in f.columns:
        # events sharing an instrument and day 0 are one market move: count it once per group
        f = f[~f.duplicated([by, "instrument", "day0_group", "window"])]
    g = f.groupby([by, "instrument", "window"], dropna=False, observed=True)["car"]
    out = g.agg(n="count", caar="mean", sd="std").reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["se"] = out["sd"] / np.sqrt(out["n"])
        out["t"] = out["caar"] / out["se"]
    out["p"] = 2 * stats.t.sf(np.abs(out["t"]), out["n"] - 1)
    out = out.rename(columns={by: "group"})
    return out[cols]


def _learned_settings(s: RunSettings) -> dict[str, Any] | None:
    """What the learned second pass ran with (for run.json): the model file, its training
    annotations' digest, the operating point (the one asked for, else the bundled point whose
    settings are the model's own; ``operating_point_asked`` tells which), the rule and the
    thresholds."""
    if not s.learned:
        return None
    from eventstudy.extract.learned import load_model

    model = load_model()
    if s.operating_point is not None:
        model = model.at(s.operating_point)
    return {
        "model": model.path,
        "annotations_sha256": model.provenance.get("annotations_sha256"),
        "operating_point": s.operating_point or model.own_point(),
        "operating_point_asked": s.operating_point is not None,
        "rule": model.rule,
        "threshold": model.threshold,
        "context_threshold": model.context_threshold,
        "single_threshold": model.single_threshold,
    }


def _pick_events(
    catalog: pd.DataFrame, precisions: Sequence[str], notices: list[str]
) -> pd.DataFrame:
    keep = catalog["date_precision"].isin(list(precisions))
    dropped = catalog.loc[~keep]
    if len(dropped):
        counts = dropped["date_precision"].value_counts().to_dict()
        notices.append(
            f"{len(dropped)} event(s) not studied because their date is not precise enough "
            f"({', '.join(f'{k}: {v}' for k, v in counts.items())}); they stay in events.csv. "
            "Include them with --precision day week month."
        )
    return catalog.loc[keep].reset_index(drop=True)


def run_pipeline(
    settings: RunSettings | None = None,
    *,
    progress: Progress = _noop,
    write: bool = True,
) -> RunOutput:
    """Run the whole job with ``settings`` and (if ``write``) write the report folder.

    Steps: read the articles; extract the event catalog (applying the overrides file); load
    the instruments' prices and their benchmarks (``auto`` source: cache, the CSV folder of
    ``--prices``/``EVENTSTUDY_PRICES``, Yahoo, the ECB); compute trade-to-trade log returns,
    each benchmark's over the instrument's own intervals
    (:func:`~eventstudy.market.aligned_returns`);
    run the event study per model (instruments whose benchmark could not be loaded, or that
    have none in the registry, use the constant-mean model, and the report says so); write
    ``report.html``, figures, CSV tables and ``run.json``.

    A series that cannot be loaded is skipped with a notice naming it, the sources tried and
    how to supply it; :class:`PipelineError` is raised only when no series at all loads.
    """
    from eventstudy.articles import read_articles
    from eventstudy.extract import extract_events
    from eventstudy.market import aligned_returns, compute_returns, load_instruments, load_prices
    from eventstudy.study import EventStudy

    s = settings or RunSettings()
    notices: list[str] = []
    timings: dict[str, float] = {}
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t0
        now = time.perf_counter()
        timings[name] = round(now - t0, 3)
        t0 = now

    # 1. articles -------------------------------------------------------------------------
    progress(f"[1/5] reading articles from {s.articles}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SkippedInputWarning)
        corpus = read_articles(s.articles, errors="skip")
    notices.extend(str(w.message) for w in caught if issubclass(w.category, SkippedInputWarning))
    lap("articles")

    # 2. events ---------------------------------------------------------------------------
    progress(f"[2/5] extracting events from {len(corpus)} article(s)")
    catalog = extract_events(
        corpus,
        overrides=s.overrides,
        include_hypothetical=s.include_hypothetical,
        learned=s.learned,
        learned_threshold=s.operating_point,
        progress=every(
            5.0, lambda done, total, _: progress(f"      {done:,}/{total:,} article(s)")
        ),
    )
    report = catalog.attrs.get("overrides_report")
    if report:
        notices.append(f"overrides applied: {len(report)} line(s) of {s.overrides}")
    studied = _pick_events(catalog, s.precisions, notices)
    if studied.empty:
        raise PipelineError(
            f"no events with date precision {list(s.precisions)} in {s.articles} "
            f"({len(catalog)} event(s) in all); nothing to study"
        )
    lap("events")

    # 3. prices ---------------------------------------------------------------------------
    registry = load_instruments()
    benchmarks: dict[str, str] = {}
    for inst in s.instruments:
        bench = registry[inst].benchmark if inst in registry else None
        if bench:
            benchmarks[inst] = bench
    ids = list(dict.fromkeys([*s.instruments, *benchmarks.values()]))
    first = pd.Timestamp(studied["date"].min()) - pd.Timedelta(days=LOOKBACK_DAYS)
    last = pd.Timestamp(studied["date"].max()) + pd.Timedelta(days=LOOKAHEAD_DAYS)
    progress(f"[3/5] loading {len(ids)} series {first.date()}..{last.date()} (source {s.source})")
    path = s.prices or os.environ.get("EVENTSTUDY_PRICES") or None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SkippedInputWarning)
        prices = load_prices(
            ids, first.date(), last.date(), source=s.source, path=path, errors="skip"
        )
    load_report = prices.attrs.get("report")
    # the loader's warning repeats every failure at length; one short notice per series instead
    notices.extend(
        str(w.message)
        for w in caught
        if issubclass(w.category, SkippedInputWarning)
        and "skipped instruments" not in str(w.message)
    )
    missing = [i for i in ids if i not in prices.columns]
    for inst in missing:
        attempts = load_report.attempts.get(inst, []) if load_report is not None else []
        tried = ", ".join(dict.fromkeys(a.source for a in attempts)) or "no source"
        csv_name = registry[inst].csv if inst in registry else None
        supply = (
            f"put {csv_name} (columns date,close) in the folder given by --prices DIR or "
            "$EVENTSTUDY_PRICES"
            if csv_name
            else "add it to data/instruments.toml with a csv file name and give --prices DIR"
        )
        notices.append(
            f"series {inst} skipped: no source could serve it (tried {tried}; details in "
            f"run.json). To supply it, {supply}."
        )
    loaded = [i for i in s.instruments if i in prices.columns]
    if not loaded:
        raise PipelineError(
            f"none of the instruments {list(s.instruments)} could be loaded; "
            + " ".join(notices[-len(missing) :])
        )
    sources = dict(prices.attrs.get("sources", {}))
    lap("prices")

    # 4. study ----------------------------------------------------------------------------
    progress(f"[4/5] event study of {len(studied)} event(s) on {len(loaded)} instrument(s)")
    returns = compute_returns(prices, kind=s.return_kind)
    models: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for inst in loaded:
        bench = benchmarks.get(inst)
        if s.model in ("market", "market_model") and (bench is None or bench not in returns):
            why = (
                "has no benchmark in the instrument registry"
                if bench is None
                else f"its benchmark {bench} could not be loaded"
            )
            notices.append(f"{inst} {why}: studied with the constant-mean model instead")
            models[inst] = "constant_mean"
        else:
            models[inst] = s.model
        groups.setdefault(models[inst], []).append(inst)

    events = studied.copy()
    results: dict[str, Any] = {}
    ars, cars, tests = [], [], []
    for model, insts in groups.items():
        market = None
        bmap: dict[str, str] = {}
        if model != "constant_mean":
            # each benchmark's return over exactly the instrument's own return intervals
            # (calendars differ: IMOEX trades on US holidays, EEM on Russian ones)
            parts = []
            for inst in insts:
                col = f"{benchmarks[inst]}@{inst}"
                aligned = aligned_returns(prices, inst, [benchmarks[inst]], kind=s.return_kind)
                parts.append(aligned.rename(columns={benchmarks[inst]: col}))
                bmap[inst] = col
            market = pd.concat(parts, axis=1)
        study = EventStudy(returns[insts], market=market, model=model, benchmarks=bmap or None)
        res = study.run(
            events,
            estimation=s.estimation,
            event_windows=list(s.windows),
            min_estimation=s.min_estimation,
            engine=s.engine,
        )
        results[model] = res
        a = res.abnormal_returns.assign(model=model)
        c = res.cars.assign(model=model)
        ars.append(a)
        cars.append(c)
        for w in s.windows:
            try:
                wt = res.window_tests(w)
            except (EventStudyError, ValueError, KeyError) as exc:
                notices.append(f"window tests {w} for the {model} model: {exc}")
                continue
            wt = wt.reset_index().assign(window=f"({w[0]},{w[1]})", model=model)
            tests.append(wt)
        probs = res.problems
        if len(probs):
            counts = probs["kind"].value_counts()
            text = ", ".join(f"{k}: {v}" for k, v in counts.items())
            notices.append(
                f"{model} model, notes on event/instrument pairs ({text}); see tests_problems.csv"
            )
    ar_frame = pd.concat(ars, ignore_index=True)
    car_frame = pd.concat(cars, ignore_index=True)
    test_frame = pd.concat(tests, ignore_index=True) if tests else pd.DataFrame()
    caar = {by: caar_table(car_frame, events, by) for by in ("direction", "category")}
    lap("study")

    out = RunOutput(
        settings=s,
        articles=corpus,
        catalog=catalog,
        studied=studied,
        prices=prices,
        returns=returns,
        results=results,
        abnormal_returns=ar_frame,
        cars=car_frame,
        tests=test_frame,
        caar=caar,
        sources=sources,
        notices=tuple(notices),
        models=models,
        timings=timings,
    )
    if not write:
        return out

    # 5. report ---------------------------------------------------------------------------
    progress(f"[5/5] writing the report to {s.out}")
    from eventstudy.report import write_report

    window_prices = prices.loc[
        pd.Timestamp(studied["date"].min()) - pd.Timedelta(days=60) : last, loaded
    ]
    problems = pd.concat(
        [r.problems.assign(model=m) for m, r in results.items()], ignore_index=True
    )
    settings_out = {
        **s.to_dict(),
        "benchmarks": {i: benchmarks[i] for i in loaded if models[i] != "constant_mean"},
        "models": models,
        "learned_pass": _learned_settings(s),
        "events_total": len(catalog),
        "events_studied": len(studied),
        "timings_s": timings,
    }
    html = write_report(
        s.out,
        events=catalog,
        prices=window_prices,
        abnormal_returns=ar_frame,
        cars=car_frame,
        tests={"window": test_frame, "problems": problems},
        caar=caar,
        settings=settings_out,
        sources={
            "articles": str(Path(s.articles).resolve()),
            "prices": sources,
            "price_attempts": (
                load_report.to_frame().to_dict("records") if load_report is not None else []
            ),
            "overrides": s.overrides,
        },
        notices=notices,
        title="Market reactions to the events in the news",
        started=started,
    )
    lap("report")
    return RunOutput(**{**out.__dict__, "report": html, "timings": timings})
