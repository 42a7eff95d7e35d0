"""The prefix-sum estimation of the fast engine (``EventStudy.run(engine="fast")``).

In event mode the fast engine forms each pair's estimation sums as differences of
per-instrument prefix sums (less the excluded contamination ranges) and refits from the
pair's rows any pair whose rounding-error bound is not below ``_PREFIX_TOL``. These tests
compare every frame with the statsmodels reference engine (1e-9 relative, the tolerance of
``test_engine_equivalence.py``) where the prefix sums are most at risk: long series (many
sessions before the window), price *levels* instead of returns (large means, trends: the
cancellation case), crowded events with contamination excluded, a two-factor model, and
the ``market_mean="window"`` leverage; and they check that the certificate really sends
the ill-conditioned pairs to the row refit while well-conditioned returns stay on the
prefix path.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from test_engine_equivalence import FRAMES, assert_frames_equal, assert_results_equal

import eventstudy.study as study_module
from eventstudy.inference import Conventions
from eventstudy.study import EventStudy, _blocked_prefix

WINDOWS = [(-5, 5), (-1, 1), (0, 3)]


def _long_panel(seed: int, n_rows: int = 6_000, n_inst: int = 5) -> dict[str, object]:
    """Returns over ``n_rows`` sessions with NaNs, a suspension, a late listing, benchmark
    holidays; two factors."""
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("1998-01-01", periods=n_rows)
    market = rng.normal(0.0003, 0.01, n_rows)
    f2 = rng.normal(0.0, 0.02, n_rows)
    r = 0.0002 + market[:, None] * rng.uniform(0.5, 1.5, n_inst)
    r = r + 0.4 * f2[:, None] * rng.uniform(-1, 1, n_inst)
    r = r + rng.normal(0.0, 0.015, (n_rows, n_inst))
    r[rng.random(r.shape) < 0.02] = np.nan
    r[4_000:4_040, 1] = np.nan  # a suspension
    r[:1_500, 3] = np.nan  # a late listing
    market[rng.random(n_rows) < 0.01] = np.nan
    names = [f"L{i}" for i in range(n_inst)]
    rows = np.sort(rng.integers(300, n_rows - 3, 25))
    rows = np.concatenate([rows, [n_rows - 20, n_rows - 20, 5_990, 5_995, 5_997]])
    events = pd.DataFrame(
        {"event_id": [f"E{i:02d}" for i in range(len(rows))], "date": idx[rows]}
    )
    return {
        "returns": pd.DataFrame(r, index=idx, columns=names),
        "market": pd.Series(market, index=idx, name="MKT"),
        "factors": pd.DataFrame({"F2": f2}, index=idx),
        "events": events,
    }


def _levels(panel: dict[str, object]) -> dict[str, object]:
    """Price-like levels (cumulated returns x 100: random walks wandering far from their
    mean) in place of the returns, same NaNs: series whose prefix sums of squares are huge
    against a late window's variation. (No constant offset: with levels near 1,000 the
    rounding of any computation, statsmodels' too, is ~1e-13 absolute, and residuals that
    happen to be near zero could not be compared to 1e-9 relative.)"""
    out = dict(panel)
    r = panel["returns"]
    m = panel["market"]
    assert isinstance(r, pd.DataFrame) and isinstance(m, pd.Series)
    out["returns"] = (100.0 * r.fillna(0.0).cumsum()).where(r.notna())
    out["market"] = (100.0 * m.fillna(0.0).cumsum()).where(m.notna())
    return out


@pytest.fixture
def loose_counts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(pairs, pairs refitted from their rows) of every prefix-sum estimation."""
    seen: list[tuple[int, int]] = []
    original = study_module._prefix_fit

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        fit, loose = original(*args, **kwargs)
        seen.append((len(loose), int(loose.sum())))
        return fit, loose

    monkeypatch.setattr(study_module, "_prefix_fit", spy)
    return seen


def _run_both(study: EventStudy, events: pd.DataFrame, **kw):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (
            study.run(events, engine="fast", event_windows=WINDOWS, **kw),
            study.run(events, engine="statsmodels", event_windows=WINDOWS, **kw),
        )


@pytest.mark.parametrize("model", ["market", "constant_mean", "market_adjusted", "factor"])
@pytest.mark.parametrize("contamination", ["report", "exclude"])
def test_long_returns_fast_equals_statsmodels(model, contamination, loose_counts):
    p = _long_panel(11)
    kw = {"factors": p["factors"]} if model == "factor" else {}
    study = EventStudy(p["returns"], market=p["market"], model=model, **kw)
    fast, ref = _run_both(study, p["events"], contamination=contamination)
    assert_results_equal(fast, ref, full=False)
    assert len(ref.fits) > 100
    if contamination == "exclude":
        assert ref.problems["kind"].eq("contamination").any()
    # returns are well conditioned: every pair on the prefix path, none refitted
    assert loose_counts and loose_counts[0][0] == len(ref.fits) and loose_counts[0][1] == 0


@pytest.mark.parametrize("model", ["market", "factor", "constant_mean"])
def test_price_levels_fast_equals_statsmodels(model, loose_counts):
    """Levels make the raw prefix sums useless for late windows: the certificate must send
    those pairs to the row refit, and the numbers still equal the reference."""
    p = _levels(_long_panel(12))
    kw = {"factors": p["factors"]} if model == "factor" else {}
    study = EventStudy(p["returns"], market=p["market"], model=model, **kw)
    fast, ref = _run_both(study, p["events"], contamination="exclude", min_estimation=60)
    for name in ("abnormal_returns", "cars", "fits", "problems"):
        assert_frames_equal(getattr(fast, name), getattr(ref, name), name)
    assert_frames_equal(fast.daily_tests(), ref.daily_tests(), "daily_tests")
    # Estimation residuals of levels of +-400 carry ~1e-13 of rounding in any computation:
    # a residual that happens to be 1e-4 cannot match to 1e-9 relative (the row-by-row
    # reduction, every pair refitted, misses by 2e-9 too), so they get an absolute floor
    # of 1e-13 of their spread.
    got, exp = fast.estimation_residuals, ref.estimation_residuals
    assert_frames_equal(got.drop(columns="ar"), exp.drop(columns="ar"), "residual keys")
    scale = float(exp["ar"].std())
    np.testing.assert_allclose(got["ar"], exp["ar"], rtol=1e-9, atol=1e-13 * scale)
    n, refit = loose_counts[0]
    assert n == len(ref.fits) and refit > 0


def test_window_leverage_and_options_on_long_series(loose_counts):
    p = _long_panel(13)
    study = EventStudy(p["returns"], market=p["market"], model="market")
    for conv in (Conventions(), Conventions(sigma_ddof="df_resid", market_mean="own")):
        fast, ref = _run_both(
            study,
            p["events"],
            contamination="exclude",
            prediction_error=False,
            se_ddof=1,
            conventions=conv,
            estimation=(-400, -20),
        )
        assert_results_equal(fast, ref, full=False)


def test_estimation_residuals_are_deferred_and_equal():
    """``run`` does not compute the estimation-window residuals; reading them gives the
    reference's numbers."""
    p = _long_panel(14)
    study = EventStudy(p["returns"], market=p["market"], model="market")
    plan = study.plan(p["events"], event_windows=WINDOWS)
    batch, _ = study_module.estimate_fast_batch(study.data, plan, study.model, Conventions())
    assert callable(batch.est_source) and "est_ar" not in batch._cache
    fast, ref = _run_both(study, p["events"])
    for name in FRAMES:
        assert_frames_equal(getattr(fast, name), getattr(ref, name), name)


def test_blocked_prefix_is_exact_on_integers():
    """Small integers sum exactly in floating point: the blocked prefix must equal the plain
    running sum, with a leading zero, for lengths around the block size."""
    rng = np.random.default_rng(0)
    for t in (1, 63, 64, 65, 200, 1_000):
        v = rng.integers(-50, 50, (3, t)).astype(float)
        got = _blocked_prefix(v)
        assert got.shape == (3, t + 1)
        np.testing.assert_array_equal(got[:, 0], 0.0)
        np.testing.assert_array_equal(got[:, 1:], np.cumsum(v, axis=1))
