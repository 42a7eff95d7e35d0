"""Speed and memory of the vectorised event-study engine (``eventstudy.fastpath``).

Builds a synthetic panel (500 instruments x 3,000 sessions, one market factor, random
missing returns, suspensions, late listings and missing market days), draws 2,000 random
event dates and (event, instrument) pairs listed event by event, and runs the market model
with estimation window (-250, -11), event window (-5, 5) and CAR windows (-1, 1), (0, 0),
(0, 5), everything included: window assembly, estimation, AR/CAR with prediction-error
standard errors, t and p, the cross-sectional tests per event (Brown-Warner, cross-sectional
t, Patell, BMP) and the tidy frames (abnormal returns, CARs, daily tests).

Each size runs in a fresh child process so that its peak memory is its own:

* ``peak RSS +MB`` is the growth of the child's resident-set high-water mark
  (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) during the timed runs, above the mark
  after importing everything, building the panel and a warm-up run of 1,000 pairs (so it
  is ~0 for the small sizes, whose peak the warm-up already reached);
* ``tracemalloc`` is the peak of Python + numpy allocations during one extra, untimed run
  (numpy reports its buffers to tracemalloc).

The statsmodels reference is timed on a subset (``--sm-pairs``, default 200): per pair,
``sm.OLS(...).fit()``, ``get_prediction(...).se_obs`` for the AR standard errors, the
window sums of the prediction covariance for the CARs, t and p, appended to a list of rows
turned into a frame at the end. Its per-pair cost is extrapolated to each size.

Usage::

    python benchmarks/bench_engine.py            # 1k, 10k, 100k, 1M pairs
    python benchmarks/bench_engine.py --quick    # skip 1M
    python benchmarks/bench_engine.py --workers 2   # chunks on two threads
    python benchmarks/bench_engine.py --api      # EventStudy.run end to end, fast vs statsmodels
    python benchmarks/bench_engine.py --battery  # daily_tests()/window_tests() at 10k, 100k

``--api`` times the public API instead of the kernel: ``EventStudy(returns, market,
model="market").run(events, engine=...)`` on the same panel with ``--api-pairs`` pairs (events
x all 500 instruments, default 10,000; several sizes comma-separated), everything included --
window assembly (``assemble_windows``, its problems), estimation, the result frames -- then
the first read of ``.problems`` (whose messages and frame are built then),
``daily_tests()`` (the full battery of 16 tests, or ``--api-tests`` names) and
``window_tests()`` of the first window. ``engine="statsmodels"`` is timed on a subset of
instruments (``--api-sm-pairs``, default 500 pairs) and, for the ratio, ``engine="fast"`` on
the very same subset.

``--battery`` times the test battery alone at ``--battery-pairs`` pairs (default 10,000 and
100,000; events x all 500 instruments, each size in a fresh child process): after
``run(engine="fast")``, the panel of the result (``result.panel()``, built once and reused:
the pairs' flat rows scattered into its matrices), ``daily_tests()`` (16 tests x 11 event
days), ``window_tests()`` of the first window (its panel of the pairs with a CAR takes the
pair-by-pair caches of the daily panel -- ranks, signs -- and computes the pooled parts
again: rbar, daily rank and sign sums), and the peak RSS of the child. The breakdown
re-times every test: for the daily table on a fresh copy of the panel (so the
day-independent parts a test caches on the panel -- ranks, the Kolari-Pynnonen average
cross-correlation -- are charged to the first test that needs them, in the order of
``TESTS``), and for the window each test alone through ``test_records`` (after the timed
``window_tests()``, so on the window panel it kept: the per-call cost of each test).

Timings are wall-clock seconds, the best of ``--repeat`` runs (default 3; 1 for 1M pairs);
``cpu s`` is the process CPU time of that run (above the wall time when threads run in
parallel; the machine may be shared, so compare the two).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from typing import Any

import numpy as np
import pandas as pd

N_INST = 500
N_ROWS = 3_000
ESTIMATION = (-250, -11)
EVENT = (-5, 5)
CARS = ((-1, 1), (0, 0), (0, 5))
N_EVENTS = 2_000


def build_panel(seed: int = 20220224) -> dict[str, Any]:
    """Synthetic returns with a market factor, NaNs, suspensions and missing market days."""
    rng = np.random.default_rng(seed)
    market = rng.normal(0.0003, 0.011, N_ROWS)
    beta = rng.uniform(0.3, 1.7, N_INST)
    alpha = rng.normal(0.0, 0.0005, N_INST)
    sigma = rng.uniform(0.008, 0.03, N_INST)
    returns = alpha + market[:, None] * beta + rng.normal(0.0, 1.0, (N_ROWS, N_INST)) * sigma
    returns[rng.random((N_ROWS, N_INST)) < 0.01] = np.nan  # scattered missing days
    for j in rng.choice(N_INST, 25, replace=False):  # suspensions of 5-40 sessions
        start = int(rng.integers(0, N_ROWS - 40))
        returns[start : start + int(rng.integers(5, 41)), j] = np.nan
    for j in rng.choice(N_INST, 10, replace=False):  # late listings
        returns[: int(rng.integers(100, 600)), j] = np.nan
    market[rng.random(N_ROWS) < 0.005] = np.nan  # market holidays
    dates = pd.bdate_range("2010-01-04", periods=N_ROWS)
    names = [f"S{j:03d}" for j in range(N_INST)]
    return {"returns": returns, "market": market, "dates": dates, "names": names}


def draw_pairs(n_pairs: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random events (dates) and, per pair, an event and an instrument.

    Pairs are listed event by event (as a study builds them: each event against its
    instruments), instruments at random; the event dates are random sessions.
    """
    rng = np.random.default_rng(seed)
    event_rows = rng.integers(260, N_ROWS - 6, N_EVENTS)
    event_code = np.sort(rng.integers(0, N_EVENTS, n_pairs))
    inst = rng.integers(0, N_INST, n_pairs)
    return inst, event_rows[event_code], event_code


def run_fast(panel: dict[str, Any], n_pairs: int, workers: int) -> tuple[float, dict[str, float]]:
    from eventstudy.fastpath import fast_event_study

    inst, day0, code = draw_pairs(n_pairs)
    c0 = time.process_time()
    t0 = time.perf_counter()
    event_ids = pd.Categorical.from_codes(code, categories=[f"E{k:04d}" for k in range(N_EVENTS)])
    res = fast_event_study(
        panel["returns"],
        panel["market"],
        None,
        None,
        inst,
        day0,
        model="market",
        estimation=ESTIMATION,
        event_window=EVENT,
        car_windows=CARS,
        groups=event_ids,
        workers=workers,
    )
    t1 = time.perf_counter()
    ar = res.abnormal_returns_frame(panel["dates"], event_ids, panel["names"])
    car = res.cars_frame(event_ids, panel["names"])
    daily = res.tests.daily_frame() if res.tests is not None else None
    t2 = time.perf_counter()
    stages = dict(res.timings)
    stages["frames"] = t2 - t1
    stages["total"] = t2 - t0
    stages["cpu"] = time.process_time() - c0
    del ar, car, daily
    return t2 - t0, stages


def child(n_pairs: int, repeat: int, workers: int) -> None:
    panel = build_panel()
    run_fast(panel, 1000, workers)  # warm-up: imports, first-call overheads
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best = None
    for _ in range(repeat):
        secs, stages = run_fast(panel, n_pairs, workers)
        if best is None or secs < best[0]:
            best = (secs, stages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    run_fast(panel, n_pairs, workers)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert best is not None
    print(
        json.dumps(
            {
                "pairs": n_pairs,
                "seconds": best[0],
                "stages": best[1],
                "rss_delta_mb": (peak - base) / 1024.0,
                "rss_peak_mb": peak / 1024.0,
                "traced_mb": traced / 2**20,
            }
        )
    )


def statsmodels_per_pair(panel: dict[str, Any], n_pairs: int) -> float:
    """Seconds per pair of a plain statsmodels loop doing the same work."""
    import statsmodels.api as sm
    from scipy import stats

    r, m = panel["returns"], panel["market"]
    inst, day0, code = draw_pairs(n_pairs, seed=11)
    lengths = {w: w[1] - w[0] + 1 for w in CARS}
    t0 = time.perf_counter()
    ar_rows: list[dict[str, Any]] = []
    car_rows: list[dict[str, Any]] = []
    for i, d, e in zip(inst, day0, code, strict=True):
        sess = np.flatnonzero(~np.isnan(r[:, i]))
        p0 = int(np.searchsorted(sess, d))
        est = sess[max(p0 + ESTIMATION[0], 0) : max(p0 + ESTIMATION[1] + 1, 0)]
        est = est[~np.isnan(m[est])]
        if len(est) < 100 or p0 + EVENT[1] >= len(sess):
            continue
        fit = sm.OLS(r[est, i], sm.add_constant(m[est])).fit()
        ev = sess[p0 + EVENT[0] : p0 + EVENT[1] + 1]
        x0 = np.column_stack([np.ones(len(ev)), m[ev]])
        ar = r[ev, i] - x0 @ fit.params
        se = fit.get_prediction(x0).se_obs
        t = ar / se
        p = 2 * stats.t.sf(np.abs(t), fit.df_resid)
        for k in range(len(ev)):
            ar_rows.append(
                {"event_id": e, "instrument": i, "rel_day": EVENT[0] + k, "ar": ar[k], "se": se[k],
                 "t": t[k], "p": p[k]}
            )  # fmt: skip
        cov = x0 @ fit.cov_params() @ x0.T + fit.scale * np.eye(len(ev))
        for w in CARS:
            sl = slice(w[0] - EVENT[0], w[1] - EVENT[0] + 1)
            car = ar[sl].sum()
            car_se = np.sqrt(cov[sl, sl].sum())
            assert lengths[w] == sl.stop - sl.start
            tc = car / car_se
            car_rows.append(
                {"event_id": e, "instrument": i, "window": str(w), "car": car, "se": car_se,
                 "t": tc, "p": 2 * stats.t.sf(abs(tc), fit.df_resid)}
            )  # fmt: skip
    pd.DataFrame(ar_rows)
    pd.DataFrame(car_rows)
    return (time.perf_counter() - t0) / n_pairs


STAGES = ("prepare", "assemble", "estimate", "event", "pvalues", "tests", "frames")
API_WINDOWS = [EVENT, *CARS]


def api_study(panel: dict[str, Any], n_pairs: int) -> tuple[Any, pd.DataFrame]:
    """The EventStudy of the panel and ``n_pairs / 500`` random events on all instruments."""
    from eventstudy.study import EventStudy

    rng = np.random.default_rng(5)
    n_events = max(n_pairs // N_INST, 1)
    rows = rng.integers(260, N_ROWS - 6, n_events)
    events = pd.DataFrame(
        {"event_id": [f"E{k:04d}" for k in range(n_events)], "date": panel["dates"][rows]}
    )
    returns = pd.DataFrame(panel["returns"], index=panel["dates"], columns=panel["names"])
    market = pd.Series(panel["market"], index=panel["dates"], name="MKT")
    return EventStudy(returns, market=market, model="market"), events


def api_run(study: Any, events: pd.DataFrame, engine: str, instruments: Any = None) -> Any:
    return study.run(
        events,
        estimation=ESTIMATION,
        event_windows=API_WINDOWS,
        engine=engine,
        instruments=instruments,
    )


def api_main(args: argparse.Namespace) -> None:
    """Print the end-to-end time of ``EventStudy.run`` (fast vs statsmodels)."""
    panel = build_panel()
    study, events = api_study(panel, args.api_pairs)
    tests = args.api_tests.split(",") if args.api_tests else None
    api_run(study, events.iloc[:1], "fast")  # warm-up: imports, first calls
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        plan = study.plan(events, estimation=ESTIMATION, event_windows=API_WINDOWS)
        t1 = time.perf_counter()
        res = api_run(study, events, "fast")
        t2 = time.perf_counter()
        _frames = (res.abnormal_returns, res.cars)  # the public frames (copies)
        t3a = time.perf_counter()
        _problems = res.problems  # built on first read (messages formatted then)
        t3 = time.perf_counter()
        res.daily_tests(tests)
        t4 = time.perf_counter()
        res.window_tests(None, tests)
        t5 = time.perf_counter()
        # statsmodels on a subset of instruments, fast on the very same subset
        n_inst = max(args.api_sm_pairs // len(events), 1)
        subset = panel["names"][:n_inst]
        t6 = time.perf_counter()
        sm_res = api_run(study, events, "statsmodels", subset)
        t7 = time.perf_counter()
        api_run(study, events, "fast", subset)
        t8 = time.perf_counter()
        sm_res.daily_tests(tests)
        t9 = time.perf_counter()
    n = len(plan.pairs)
    n_sub = len(sm_res.fits)
    print(
        f"EventStudy.run, market model, {len(events)} events x {N_INST} instruments = {n:,} "
        f"pairs ({res.n_pairs:,} estimated, {len(res.problems):,} problems reported); "
        f"estimation {ESTIMATION}, windows {API_WINDOWS}; engine used: {res.options['engine']}"
    )
    print(f"{'stage':<44}{'seconds':>9}{'us/pair':>10}")
    rows = [
        ("window assembly (plan, inside run)", t1 - t0),
        ("run(engine='fast') total", t2 - t1),
        ("  of which estimation + result frames", (t2 - t1) - (t1 - t0)),
        ("frames .abnormal_returns, .cars (copies)", t3a - t2),
        ("run + the two frames", t3a - t1),
        (".problems (first read: messages, frame)", t3 - t3a),
        (f"daily_tests({'all 16 tests' if tests is None else ','.join(tests)})", t4 - t3),
        ("window_tests(first window)", t5 - t4),
        ("run + frames + problems + daily + window", t5 - t1),
    ]
    for label, secs in rows:
        print(f"{label:<44}{secs:>9.3f}{secs / n * 1e6:>10.1f}")
    sm_pp = (t7 - t6) / n_sub
    fast_pp = (t8 - t7) / n_sub
    print(
        f"\nsubset of {n_inst} instruments ({n_sub} pairs): run(engine='statsmodels') "
        f"{t7 - t6:.3f} s = {sm_pp * 1e6:,.0f} us/pair; run(engine='fast') {t8 - t7:.3f} s = "
        f"{fast_pp * 1e6:,.0f} us/pair; ratio {sm_pp / fast_pp:.1f}x (daily_tests on the "
        f"subset {t9 - t8:.3f} s)"
    )
    print(
        f"statsmodels extrapolated to {n:,} pairs: run {sm_pp * n:,.1f} s vs fast "
        f"{t2 - t1:.2f} s ({sm_pp * n / (t2 - t1):.0f}x); the test battery is the same code "
        "for both engines"
    )


def battery_child(n_pairs: int) -> None:
    """One size of ``--battery``: print a JSON line of timings (run in a fresh process)."""
    import dataclasses

    from eventstudy.inference import TESTS

    panel = build_panel()
    study, events = api_study(panel, n_pairs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        api_run(study, events.iloc[:1], "fast").daily_tests()  # warm-up: imports
        res = api_run(study, events, "fast")
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        ar_panel = res.panel()
        t1 = time.perf_counter()
        res.daily_tests()
        t2 = time.perf_counter()
        res.window_tests(None)
        t3 = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        fresh = dataclasses.replace(ar_panel)  # same arrays, empty caches
        n_days = fresh.event.shape[0]
        daily = {}
        for name, info in TESTS.items():
            s0 = time.perf_counter()
            for i in range(n_days):
                info.func(fresh, [i])
            daily[name] = time.perf_counter() - s0
        label = next(iter(res.windows))
        a, b = res.windows[label]
        window = {}
        for name in TESTS:
            s0 = time.perf_counter()
            res.test_records(list(range(a, b + 1)), [name])
            window[name] = time.perf_counter() - s0
    print(
        json.dumps(
            {
                "pairs": n_pairs,
                "tested": ar_panel.n_pairs,
                "est_days": ar_panel.estimation.shape[0],
                "days": n_days,
                "window": label,
                "panel": t1 - t0,
                "daily": t2 - t1,
                "window_tests": t3 - t2,
                "rss_delta_mb": (peak - base) / 1024.0,
                "rss_peak_mb": peak / 1024.0,
                "daily_by_test": daily,
                "window_by_test": window,
                "rbar_note": TESTS["kp_patell"].func(ar_panel, [0]).note,
            }
        )
    )


def battery_main(args: argparse.Namespace) -> None:
    """Print the time of ``daily_tests()`` and ``window_tests()`` per size, slowest tests."""
    sizes = [int(v) for v in args.battery_pairs.split(",") if v]
    rows = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--battery-child", str(n)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"test battery (16 tests) after EventStudy.run(engine='fast'), market model, "
        f"estimation {ESTIMATION}, event window {EVENT}; {os.cpu_count()} CPUs"
    )
    head = (
        f"{'pairs':>9} {'tested':>8} {'panel s':>8} {'daily_tests s':>14} "
        f"{'window_tests s':>15} {'peak RSS MB':>12} {'(+MB)':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['pairs']:>9,} {r['tested']:>8,} {r['panel']:>8.2f} {r['daily']:>14.2f} "
            f"{r['window_tests']:>15.2f} {r['rss_peak_mb']:>12,.0f} {r['rss_delta_mb']:>7,.0f}"
        )
    for r in rows:
        top = sorted(r["daily_by_test"].items(), key=lambda kv: -kv[1])[:6]
        topw = sorted(r["window_by_test"].items(), key=lambda kv: -kv[1])[:4]
        print(
            f"\n{r['pairs']:,} pairs ({r['tested']:,} tested, {r['est_days']} estimation days), "
            f"slowest tests, seconds"
        )
        print(
            f"  daily, {r['days']} days (fresh panel, caches charged to the first user): "
            + ", ".join(f"{k} {v:.2f}" for k, v in top)
            + f"; all 16: {sum(r['daily_by_test'].values()):.2f}"
        )
        print(
            f"  window {r['window']} (each test alone, its own panel of complete pairs): "
            + ", ".join(f"{k} {v:.2f}" for k, v in topw)
        )
        if r["rbar_note"]:
            print(f"  kp_patell/kp_bmp note: {r['rbar_note']}")
    print(
        "\npanel = result.panel() (the pairs' flat rows scattered by relative day, "
        "eventstudy/results.py); window_tests() builds its own panel of the pairs with a CAR "
        "from it: the pair-by-pair caches (ranks, signs) are carried over, the pooled parts "
        "(rbar, daily rank/sign sums) computed again, the panel kept for the next call."
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip 1,000,000 pairs")
    ap.add_argument("--workers", type=int, default=1, help="threads of the fast path")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per size (best kept)")
    ap.add_argument("--sm-pairs", type=int, default=200, help="pairs for the statsmodels loop")
    ap.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--api", action="store_true", help="time EventStudy.run end to end")
    ap.add_argument("--api-pairs", default="10000", help="pairs for --api (comma-separated sizes)")
    ap.add_argument(
        "--api-sm-pairs", type=int, default=500, help="pairs for the statsmodels run (--api)"
    )
    ap.add_argument(
        "--api-tests", default="", help="comma-separated tests for --api (default: all)"
    )
    ap.add_argument(
        "--battery", action="store_true", help="time daily_tests()/window_tests() alone"
    )
    ap.add_argument(
        "--battery-pairs", default="10000,100000", help="comma-separated sizes for --battery"
    )
    ap.add_argument("--battery-child", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.battery_child:
        battery_child(args.battery_child)
        return
    if args.battery:
        battery_main(args)
        return
    if args.api:
        for n in [int(v) for v in str(args.api_pairs).split(",") if v]:
            api_main(argparse.Namespace(**{**vars(args), "api_pairs": n}))
            print()
        return
    if args.child:
        child(args.child, args.repeat, args.workers)
        return

    sizes = [1_000, 10_000, 100_000] + ([] if args.quick else [1_000_000])
    print(
        f"panel {N_INST} instruments x {N_ROWS} sessions; market model; estimation "
        f"{ESTIMATION}, event window {EVENT}, CARs {list(CARS)}; workers={args.workers}; "
        f"{os.cpu_count()} CPUs"
    )
    panel = build_panel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        statsmodels_per_pair(panel, 10)  # warm-up
        sm_pp = statsmodels_per_pair(panel, args.sm_pairs)
    print(f"statsmodels loop: {sm_pp * 1e6:,.0f} us/pair (timed on {args.sm_pairs} pairs)\n")

    rows = []
    for n in sizes:
        repeat = 1 if n >= 1_000_000 else args.repeat
        cmd = [sys.executable, __file__, "--child", str(n), "--repeat", str(repeat)]
        cmd += ["--workers", str(args.workers)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))

    head = (
        f"{'pairs':>10} {'seconds':>9} {'cpu s':>7} {'us/pair':>8} {'peak RSS +MB':>13} "
        f"{'tracemalloc MB':>15} {'statsmodels s (extrap.)':>24} {'speed-up':>9}"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        n = row["pairs"]
        us = row["seconds"] / n * 1e6
        print(
            f"{n:>10,} {row['seconds']:>9.3f} {row['stages']['cpu']:>7.3f} {us:>8.2f} "
            f"{row['rss_delta_mb']:>13.0f} "
            f"{row['traced_mb']:>15.0f} {sm_pp * n:>24,.0f} {sm_pp * 1e6 / us:>8,.0f}x"
        )
    print("\nwhere the time goes (seconds, best run)")
    head2 = f"{'pairs':>10} " + " ".join(f"{s:>9}" for s in STAGES)
    print(head2)
    print("-" * len(head2))
    for row in rows:
        st = row["stages"]
        print(f"{row['pairs']:>10,} " + " ".join(f"{st.get(s, 0.0):>9.4f}" for s in STAGES))
    print(
        "\nprepare = per-instrument session positions and prefix sums (O(T*N), once per run); "
        "assemble = estimation window bounds and sums; estimate = normal equations; "
        "event = AR/CAR and their standard errors; pvalues = Student t p-values (per-df "
        "interpolation table, scipy stdtr for the rest); "
        "tests = cross-sectional tests per event; frames = the tidy AR/CAR/daily-test frames. "
        "Chunk stages are summed over chunks and divided by the thread count when threads run."
    )


if __name__ == "__main__":
    main()
