"""``EventStudyResult.panel()`` built from the pairs' flat rows equals the panel of the tidy
frames.

The direct construction (``_scatter_wide``: each pair's rows scattered by relative day) must
give exactly -- bit for bit, NaN in the same cells, same shapes and memory order -- the
matrices of a brute-force construction that reads the public tidy frames pair by pair
(``abnormal_returns``, ``estimation_residuals``, ``fits``), and those of the pivot of the
frames (``_panel_from_frames``, the previous construction). Checked for both engines on real
index data (MOEX suspension, shared day 0, contamination excluded from the estimation
windows), on a synthetic panel with gaps, a suspension, a late listing and NaN regressors
(event-time and calendar mode, a ``where=`` selection), and on hand-made rows with duplicate
days and NaNs.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from eventstudy.inference import TESTS
from eventstudy.market import compute_returns, load_prices
from eventstudy.results import _scatter_wide
from eventstudy.study import EventStudy

FIELDS = ("event", "estimation", "leverage", "market_leverage", "sigma", "nobs", "rel_days")


def brute_force_panel(res, where: dict | None = None) -> dict[str, np.ndarray]:
    """The panel's arrays from the tidy frames, one pair and one row at a time."""
    fits = res.fits
    if where:
        cat = res.events.drop(columns=[c for c in ("instrument",) if c in res.events])
        fits = fits.merge(cat.drop_duplicates("event_id"), on="event_id", how="left")
        for col, val in where.items():
            fits = fits[fits[col].isin(val if isinstance(val, list) else [val])]
    fits = fits.drop_duplicates(["instrument", "day0_group"])  # first event of each move
    keys = list(zip(fits["event_id"], fits["instrument"], strict=True))
    lo = min(a for a, _ in res.windows.values())
    hi = max(b for _, b in res.windows.values())
    ev_days = list(range(lo, hi + 1))
    est = res.estimation_residuals
    est_days = sorted(set(est["rel_day"].tolist()))
    ar = res._ar  # the frame behind abnormal_returns, with the leverage columns

    def fill(frame: pd.DataFrame, col: str, days: list[int]) -> np.ndarray:
        row_of = {d: i for i, d in enumerate(days)}
        col_of = {k: j for j, k in enumerate(keys)}
        out = np.full((len(days), len(keys)), np.nan)
        for e, i, d, v in zip(
            frame["event_id"], frame["instrument"], frame["rel_day"], frame[col], strict=True
        ):
            j, r = col_of.get((e, i)), row_of.get(int(d))
            if j is not None and r is not None and np.isnan(out[r, j]) and not np.isnan(v):
                out[r, j] = v  # the first non-missing value of the pair on that day
        return out

    return {
        "event": fill(ar, "ar", ev_days),
        "estimation": fill(est, "ar", est_days),
        "leverage": np.nan_to_num(fill(ar, "_lev", ev_days)),
        "market_leverage": np.nan_to_num(fill(ar, "_lev_m", ev_days)),
        "sigma": fits["sigma"].to_numpy(float),
        "nobs": fits["nobs"].to_numpy(float),
        "rel_days": np.array(ev_days),
    }


def assert_panels_equal(res, where: dict | None = None) -> None:
    got = res.panel(where)
    pivot = res._panel_from_frames(where)
    ref = brute_force_panel(res, where)
    for name in FIELDS:
        a, p, b = getattr(got, name), getattr(pivot, name), ref[name]
        assert a.shape == b.shape == p.shape, name
        assert a.dtype == p.dtype, name
        assert a.flags.c_contiguous == p.flags.c_contiguous, name
        np.testing.assert_array_equal(a, b, err_msg=f"{name} vs brute force")
        np.testing.assert_array_equal(a, p, err_msg=f"{name} vs pivot")
    assert got.overlap == pivot.overlap
    assert got.conventions == pivot.conventions


@pytest.fixture(scope="module")
def real(market_dir):
    prices = load_prices(
        ["IMOEX", "RTSI", "STOXX50E", "DAX", "EEM", "URTH"],
        "2020-01-01",
        "2022-12-31",
        source="csv",
        path=market_dir,
    )
    returns = compute_returns(prices)
    events = pd.DataFrame(
        [
            ("buildup_nov", "2021-11-10"),
            ("draft_treaties", "2021-12-17"),
            ("recognition", "2022-02-21"),
            ("invasion", "2022-02-24"),
            ("eu_sanctions_1", "2022-02-24"),
            ("cbr_assets", "2022-02-28"),
            ("mcdonalds_exit", "2022-03-08"),
            ("mobilisation", "2022-09-21"),
            ("price_cap", "2022-12-27"),
        ],
        columns=["event_id", "date"],
    )
    study = EventStudy(
        returns[["IMOEX", "RTSI", "STOXX50E", "DAX"]],
        market=returns[["EEM", "URTH"]],
        model="market",
        benchmarks={"IMOEX": "EEM", "RTSI": "EEM", "STOXX50E": "URTH", "DAX": "URTH"},
    )
    return study, events


@pytest.mark.parametrize("engine", ["fast", "statsmodels"])
@pytest.mark.parametrize("contamination", ["report", "exclude"])
def test_real_data_panel(real, engine, contamination):
    study, events = real
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = study.run(
            events,
            event_windows=[(-5, 5), (0, 1)],
            engine=engine,
            contamination=contamination,
            min_estimation=100,
        )
    if contamination == "exclude":
        assert res.problems["kind"].eq("contamination").any()
    assert res.fits["event_id"].ne(res.fits["day0_group"]).any()  # shared day 0
    assert_panels_equal(res)
    assert np.isnan(res.panel().estimation).any()  # the MOEX suspension


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(7)
    n_rows, n_inst = 700, 5
    idx = pd.bdate_range("2019-01-01", periods=n_rows)
    market = rng.normal(0.0003, 0.01, n_rows)
    r = 0.0002 + market[:, None] * rng.uniform(0.5, 1.5, n_inst)
    r = r + rng.normal(0, 0.015, r.shape)
    r[rng.random(r.shape) < 0.05] = np.nan  # scattered missing days
    r[300:330, 1] = np.nan  # a suspension
    r[:260, 3] = np.nan  # a late listing
    market[rng.random(n_rows) < 0.03] = np.nan  # benchmark holidays: NaN regressors
    pos = [270, 280, 280, 320, 420, 520, 690]
    events = pd.DataFrame(
        {
            "event_id": [f"E{i}" for i in range(len(pos))],
            "date": idx[pos],
            "category": ["a", "b", "a", "b", "a", "b", "a"],
        }
    )
    returns = pd.DataFrame(r, index=idx, columns=[f"S{i}" for i in range(n_inst)])
    return returns, pd.Series(market, index=idx, name="MKT"), events


@pytest.mark.parametrize("engine", ["fast", "statsmodels"])
@pytest.mark.parametrize("model", ["market", "constant_mean"])
@pytest.mark.parametrize(
    "options",
    [{}, {"contamination": "exclude", "estimation": (-200, -6)}, {"same_day0": "drop"}],
    ids=["defaults", "exclude", "drop"],
)
def test_synthetic_panel(synthetic, engine, model, options):
    returns, market, events = synthetic
    study = EventStudy(returns, market=market, model=model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = study.run(events, event_windows=[(-3, 3), (0, 5)], engine=engine, **options)
    if model == "market":
        assert res.abnormal_returns["ar"].isna().any()  # NaN regressors on event days
    assert_panels_equal(res)
    assert np.isnan(res.panel().estimation).any()  # pairs with no row on some days
    assert_panels_equal(res, {"category": "a"})
    assert_panels_equal(res, {"category": ["b"], "instrument": ["S1", "S3"]})


@pytest.mark.parametrize("engine", ["fast", "statsmodels"])
def test_calendar_mode_panel(synthetic, engine):
    returns, market, _ = synthetic
    idx = returns.index
    study = EventStudy(returns, market=market, model="market")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = study.run(
            estimation=(idx[300], idx[560]), event_window=(idx[570], idx[580]), engine=engine
        )
    assert res.mode == "calendar"
    assert_panels_equal(res)


def test_fast_panel_does_not_build_the_estimation_frame(synthetic):
    returns, market, events = synthetic
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = EventStudy(returns, market=market, model="market").run(events, engine="fast")
    res.panel()
    assert "est" not in res._frame_cache


def test_scatter_wide_duplicates_and_nans_as_pivot():
    """Rows outside ``days``, NaN values and a pair with two rows on one day (the first
    non-missing value wins): as ``pivot_table(aggfunc="first")``."""
    rel = np.array([-2, -1, 0, 5, 0, 0, -2, 1, -1, -1, -1, 0])
    val = np.array([1.0, np.nan, 3, 4, np.nan, 6, 7, 8, np.nan, 10, 11, 12])
    ptr = np.array([0, 4, 8, 11, 12])  # pairs 0..3; pair 1 has day 0 twice (NaN first)
    days = np.array([-2, -1, 0, 1])
    frame = pd.DataFrame({"pair": np.repeat(np.arange(4), np.diff(ptr)), "rel": rel, "v": val})
    for sel in (np.arange(4), np.array([1, 2]), np.array([3])):
        ref = (
            frame.pivot_table(
                index="rel", columns="pair", values="v", aggfunc="first", dropna=False
            )
            .reindex(index=days, columns=sel)
            .to_numpy(float)
        )
        np.testing.assert_array_equal(_scatter_wide(ptr, rel, val, sel, days), ref)


def fresh_window_tests(res, window: str) -> pd.DataFrame:
    """The window's tests on a panel of its complete pairs built from scratch (nothing
    cached), the construction ``window_tests`` used before its caches were carried over."""
    a, b = res.windows[window]
    full = res._panel_from_frames()
    pos = [list(full.rel_days).index(d) for d in range(a, b + 1)]
    keep = ~np.isnan(full.event[pos]).any(axis=0)
    sub = dataclasses.replace(
        full,
        event=full.event[:, keep],
        estimation=full.estimation[:, keep],
        sigma=full.sigma[keep],
        nobs=full.nobs[keep],
        leverage=full.leverage[:, keep],
        market_leverage=full.market_leverage[:, keep],
    )
    rows = {n: info.func(sub, pos) for n, info in TESTS.items()}
    return pd.DataFrame(
        {
            "statistic": [r.statistic for r in rows.values()],
            "pvalue": [r.pvalue for r in rows.values()],
            "nobs": [r.nobs for r in rows.values()],
        },
        index=pd.Index(list(rows), name="test"),
    )


@pytest.mark.parametrize("engine", ["fast", "statsmodels"])
def test_window_tests_with_carried_caches(real, synthetic, engine):
    """``window_tests`` after ``daily_tests`` (the pair-by-pair caches of the daily panel
    handed to the panel of complete pairs) and called twice (its panel reused) gives
    exactly the numbers of a fresh panel of the complete pairs."""
    study, events = real
    returns, market, syn_events = synthetic
    cases = [
        (study, events, {"event_windows": [(-5, 5), (0, 1)], "min_estimation": 100}),
        (
            EventStudy(returns, market=market, model="market"),
            syn_events,
            {"event_windows": [(-3, 3), (0, 5)], "contamination": "exclude"},
        ),
    ]
    for st, ev, kw in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = st.run(ev, engine=engine, **kw)
            res.daily_tests()
            for window in res.windows:
                a, b = res.windows[window]
                ref = fresh_window_tests(res, window)
                panel = res.panel()
                pos = [list(panel.rel_days).index(d) for d in range(a, b + 1)]
                partial = np.isnan(panel.event[pos]).any()
                for _ in range(2):
                    got = res.window_tests(window)
                    for col in ("statistic", "pvalue", "nobs"):
                        np.testing.assert_array_equal(
                            got[col].to_numpy(float), ref[col].to_numpy(float), err_msg=col
                        )
                if partial:
                    sub = res._panel_cache["complete:" + ",".join(map(str, pos))]
                    assert sub.n_pairs < panel.n_pairs
                    assert "full_ranks" in sub.__dict__  # carried over, not recomputed
        assert any(
            np.isnan(
                res.panel().event[[list(res.panel().rel_days).index(d) for d in range(a, b + 1)]]
            ).any()
            for a, b in res.windows.values()
        )  # some window has pairs without a CAR


def test_nanmedian_columns_as_numpy():
    """The blocked column medians of the Corrado-Zivney sign test are ``np.nanmedian``'s
    numbers: odd and even counts, ties, signed zeros, a column without values."""
    from eventstudy import inference

    rng = np.random.default_rng(3)
    x = rng.normal(size=(31, 20_000))
    x[rng.random(x.shape) < 0.1] = np.nan
    x[:, :5000] = np.round(x[:, :5000], 1)
    x[:, 3] = np.nan
    x[::2, 5], x[1::2, 5] = -0.0, 0.0
    x[:-1, 6] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the all-NaN column
        ref = np.nanmedian(x, axis=0)
    np.testing.assert_array_equal(inference._nanmedian_columns(x), ref)
