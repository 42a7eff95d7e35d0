"""The fast paths of the test battery against slow references (pandas, scipy, enumeration).

``average_cross_correlation`` against ``DataFrame.corr(min_periods=...)``, the cached rank
machinery and GRANK against per-column ``scipy.stats.rankdata``, and the bootstrap's
treatment of degenerate resamples against the enumeration of every resample.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eventstudy import inference as inf
from eventstudy.inference import ARPanel, Conventions


def _panel(event, estimation, sigma=None, lev=None, **kw) -> ARPanel:
    event = np.atleast_2d(np.asarray(event, float))
    estimation = np.asarray(estimation, float)
    n = event.shape[1]
    return ARPanel(
        event=event,
        estimation=estimation,
        sigma=np.ones(n) if sigma is None else np.asarray(sigma, float),
        nobs=np.sum(~np.isnan(estimation), axis=0).astype(float),
        leverage=np.zeros_like(event) if lev is None else np.asarray(lev, float),
        market_leverage=np.zeros_like(event),
        rel_days=np.arange(event.shape[0]),
        **kw,
    )


def _pandas_rbar(x: np.ndarray, min_overlap: int = 10) -> tuple[float, int]:
    c = pd.DataFrame(x).corr(min_periods=min_overlap).to_numpy()
    v = c[np.triu_indices(x.shape[1], k=1)]
    v = v[np.isfinite(v)]
    return float(v.mean()), v.size


def _awkward_estimation(seed: int = 3, rows: int = 60, cols: int = 40) -> np.ndarray:
    """Correlated columns with scattered NaNs, a column with too little overlap, a constant
    column, a column constant on the rows another one has, and very different scales."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, cols)) + 0.4 * rng.normal(size=(rows, 1))
    x *= rng.uniform(0.001, 100.0, cols)  # scales from 1e-3 to 1e2
    x += rng.uniform(-5, 5, cols)  # and offsets
    x[rng.random(x.shape) < 0.15] = np.nan
    x[:, 0] = np.nan  # column 0: only 6 observations, every pair has < 10 in common
    x[::10, 0] = rng.normal(size=6)
    x[:, 5] = 0.25  # column 5: constant
    x[rng.random(rows) < 0.2, 5] = np.nan
    x[:, 9] = 1.5  # column 9: constant where column 10 is observed, varies elsewhere
    x[:20, 10] = np.nan
    x[:20, 9] = rng.normal(size=20)
    return x


@pytest.mark.parametrize("block", [7, 40, 192])
def test_average_cross_correlation_equals_pandas(monkeypatch, block):
    x = _awkward_estimation()
    ref, n_pairs = _pandas_rbar(x)
    # the awkward columns do remove pairs: column 0 (39 pairs), 5 (39 more) and (9, 10)
    assert n_pairs == 40 * 39 // 2 - 39 - 38 - 1
    monkeypatch.setattr(inf, "_CORR_BLOCK", block)  # ragged and diagonal blocks
    panel = _panel(np.zeros((1, x.shape[1])), x)
    assert inf.average_cross_correlation(panel) == pytest.approx(ref, abs=1e-12)
    _total, count = inf._pairwise_correlation_sum(x, 10)
    assert count == n_pairs
    assert panel.rbar == pytest.approx(ref, abs=1e-12)


def test_average_cross_correlation_min_overlap_and_empty():
    x = _awkward_estimation(seed=4)
    panel = _panel(np.zeros((1, x.shape[1])), x)
    for k in (1, 30, 45):
        assert inf.average_cross_correlation(panel, min_overlap=k) == pytest.approx(
            _pandas_rbar(x, k)[0], abs=1e-12
        )
    # no pair with 10 common rows: not applicable, like pandas (all NaN)
    sparse_x = np.full((40, 4), np.nan)
    for j in range(4):
        sparse_x[j * 10 : j * 10 + 10, j] = np.arange(10.0) ** (j + 1)
    p = _panel(np.zeros((1, 4)), sparse_x)
    assert math.isnan(inf.average_cross_correlation(p))
    res = inf.kolari_pynnonen_patell(_panel(np.ones((1, 4)), sparse_x), [0])
    assert not res.applicable


def test_average_cross_correlation_complete_panel_equals_corrcoef():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(30, 25)) + rng.normal(size=(30, 1))
    c = np.corrcoef(x, rowvar=False)
    ref = c[np.triu_indices(25, k=1)].mean()
    assert inf.average_cross_correlation(_panel(np.zeros((1, 25)), x)) == pytest.approx(
        ref, abs=1e-13
    )
    # without missing values every pair enters, even below min_overlap (as np.corrcoef)
    short = x[:5]
    c = np.corrcoef(short, rowvar=False)
    ref = c[np.triu_indices(25, k=1)].mean()
    assert inf.average_cross_correlation(_panel(np.zeros((1, 25)), short)) == pytest.approx(
        ref, abs=1e-13
    )


def test_average_cross_correlation_column_sample():
    x = _awkward_estimation(seed=6, cols=30)
    panel = _panel(np.zeros((1, 30)), x)
    # 30 columns = 435 pairs > 50: k = 10 columns (45 pairs), drawn by default_rng(seed)
    cols = np.sort(np.random.default_rng(11).choice(30, size=10, replace=False))
    ref = _pandas_rbar(x[:, cols])[0]
    got = inf.average_cross_correlation(panel, max_pairs=50, seed=11)
    assert got == pytest.approx(ref, abs=1e-12)
    exact = inf.average_cross_correlation(panel, max_pairs=None)
    assert exact == pytest.approx(_pandas_rbar(x)[0], abs=1e-12)
    assert inf.average_cross_correlation(panel, max_pairs=435) == pytest.approx(exact, abs=0)


def test_kolari_pynnonen_says_when_rbar_is_sampled():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(50, 30))
    ev = rng.normal(size=(2, 30))
    exact = _panel(ev, x)
    sampled = _panel(ev, x, conventions=Conventions(cross_correlation_max_pairs=50))
    cols = np.sort(
        np.random.default_rng(inf.CROSS_CORRELATION_SEED).choice(30, size=10, replace=False)
    )
    assert sampled.rbar == pytest.approx(_pandas_rbar(x[:, cols])[0], abs=1e-12)
    for test in (inf.kolari_pynnonen_patell, inf.kolari_pynnonen_bmp):
        assert test(exact, [0]).note is None
        r = test(sampled, [0])
        assert r.applicable and "10 of the 30 pairs" in (r.note or "")
        assert "10 of the 30 pairs" in str(r)
        assert test(sampled, [0], rbar=0.01).note is None  # rbar given: no sampling


@pytest.mark.parametrize("bad", [0, -3, 2.5, "many", True])
def test_cross_correlation_max_pairs_is_validated(bad):
    with pytest.raises(ValueError, match="cross_correlation_max_pairs"):
        Conventions(cross_correlation_max_pairs=bad)


def test_ranks_with_missing_values_equal_scipy_per_column():
    rng = np.random.default_rng(8)
    x = np.round(rng.normal(size=(40, 12)), 1)  # many ties
    x[rng.random(x.shape) < 0.2] = np.nan
    x[:, 3] = np.nan
    x[:5, 4] = np.inf
    got = inf._ranks(x)
    for j in range(x.shape[1]):
        ok = ~np.isnan(x[:, j])
        assert np.all(np.isnan(got[~ok, j]))
        np.testing.assert_array_equal(got[ok, j], stats.rankdata(x[ok, j]))


def _grank_reference(panel: ARPanel, d: list[int]) -> float:
    """GRANK-T from its definition (Kolari and Pynnonen 2011), ranking each pair's series
    with scipy."""
    sar_est = panel.estimation / panel.sigma
    var_w = (panel.sigma**2 * (1 + panel.leverage[d])).sum(axis=0)
    car = panel.event[d].sum(axis=0)
    ok = ~np.isnan(car)
    scar = car / np.sqrt(var_w)
    scar = scar / np.std(scar[ok], ddof=1)
    g = np.vstack([sar_est, scar])
    u = np.full_like(g, np.nan)
    lengths = []
    for j in np.flatnonzero(ok):
        have = ~np.isnan(g[:, j])
        u[have, j] = stats.rankdata(g[have, j]) / (have.sum() + 1) - 0.5
        lengths.append(have.sum())
    n = ok.sum()
    n_t = np.sum(~np.isnan(u), axis=1)
    ubar = np.array([np.mean(r[~np.isnan(r)]) if np.any(~np.isnan(r)) else 0.0 for r in u])
    big_t = float(np.mean(lengths))
    s2 = np.sum(n_t / n * ubar**2) / big_t
    z = ubar[-1] / math.sqrt(s2)
    return z * math.sqrt((big_t - 2) / (big_t - 1 - z**2))


def test_generalized_rank_equals_definition_with_ties_and_missing():
    rng = np.random.default_rng(9)
    n = 25
    est = np.round(rng.normal(size=(40, n)), 1)  # ties among estimation SARs
    est[rng.random(est.shape) < 0.1] = np.nan
    sigma = np.full(n, 1.0)
    ev = np.round(rng.normal(0.3, 1, size=(4, n)), 1)
    ev[1, 2] = np.nan  # pair 2 has no CAR over windows with day 1
    lev = np.zeros_like(ev)
    panel = _panel(ev, est, sigma=sigma, lev=lev)
    # a day-0 value tied with estimation values: SCAR* equals an estimation SAR exactly
    for d in ([0], [1], [2], [0, 1, 2], [1, 2, 3]):
        r = inf.generalized_rank(panel, d)
        assert r.statistic == pytest.approx(_grank_reference(panel, d), rel=1e-12, abs=1e-14)
    # exact ties between SCAR* and estimation SARs: with s = 1 and h = 0 on one day,
    # SCAR* = AR / sd(AR); put that very value on five estimation days of every pair
    scar_star = ev[0] / np.nanstd(ev[0], ddof=1)
    est2 = est.copy()
    est2[:5] = scar_star
    est2[5, :] = scar_star + 1.0  # and values above it
    p2 = _panel(ev, est2, sigma=sigma, lev=lev)
    r = inf.generalized_rank(p2, [0])
    assert r.statistic == pytest.approx(_grank_reference(p2, [0]), rel=1e-12, abs=1e-14)


def test_day_independent_caches_do_not_depend_on_call_order():
    rng = np.random.default_rng(10)
    est = rng.normal(size=(60, 30))
    est[rng.random(est.shape) < 0.05] = np.nan
    ev = rng.normal(size=(5, 30))
    ev[2, :4] = np.nan
    names = list(inf.TESTS)
    fresh = {
        (name, tuple(d)): inf.TESTS[name].func(_panel(ev, est), d)
        for name in names
        for d in ([3], [0, 1, 2], [2])
    }
    shared = _panel(ev, est)
    for d in ([0, 1, 2], [2], [3]):  # another order, one panel
        for name in reversed(names):
            r = inf.TESTS[name].func(shared, d)
            f = fresh[(name, tuple(d))]
            assert (r.statistic == f.statistic) or (
                math.isnan(r.statistic) and math.isnan(f.statistic)
            ), name


def _bootstrap_limit(x: np.ndarray) -> float:
    """Share of resamples (every index tuple, one pair drawn n times excluded) with
    ``|t*| >= |t|``, the limit of the bootstrap p-value as n_boot grows."""
    n = x.size
    t = x.mean() / (x.std(ddof=1) / math.sqrt(n))
    c = x - x.mean()
    hits = total = 0
    for idx in itertools.product(range(n), repeat=n):
        if len(set(idx)) == 1:
            continue
        v = c[list(idx)]
        sd = v.std(ddof=1)
        m = v.mean()
        tb = (math.inf if m != 0 else 0.0) if sd == 0 else m / (sd / math.sqrt(n))
        total += 1
        hits += abs(tb) >= abs(t)
    return hits / total


def test_bootstrap_keeps_resamples_of_distinct_pairs_with_equal_values():
    # two pairs with the same standardized abnormal return: a resample of those two pairs
    # has no dispersion but is not degenerate (infinite t*). The old check on the values
    # dropped it: p -> 0/18 instead of 6/24.
    x = np.array([1.0, 1.0, 4.0])
    panel = _panel(x[None, :], np.random.default_rng(0).normal(size=(50, 3)))
    limit = _bootstrap_limit(x)
    assert limit == pytest.approx(6 / 24)
    r = inf.bootstrap(panel, [0], n_boot=20_000, seed=1)
    assert r.statistic == pytest.approx(2.0)
    assert r.pvalue == pytest.approx(limit, abs=0.02)


def test_bootstrap_limit_without_ties_and_chunked_draws(monkeypatch):
    x = np.array([0.3, -1.2, 2.5, 0.9])
    panel = _panel(x[None, :], np.random.default_rng(0).normal(size=(50, 4)))
    r = inf.bootstrap(panel, [0], n_boot=20_000, seed=2)
    assert r.pvalue == pytest.approx(_bootstrap_limit(x), abs=0.02)
    monkeypatch.setattr(inf, "_BOOT_CHUNK", 10)  # two resamples per chunk: same draws
    assert inf.bootstrap(panel, [0], n_boot=20_000, seed=2).pvalue == r.pvalue


def test_kolari_pynnonen_not_applicable_when_rbar_leaves_the_factor_undefined():
    # 1 + (N - 1) rbar <= 0: with N = 10 pairs any rbar <= -1/9 gives no real factor
    rng = np.random.default_rng(12)
    panel = _panel(rng.normal(size=(1, 10)), rng.normal(size=(50, 10)))
    for test in (inf.kolari_pynnonen_patell, inf.kolari_pynnonen_bmp):
        for r in (-0.5, -1 / 9):
            res = test(panel, [0], rbar=r)
            assert not res.applicable and "outside (-1/(N-1), 1)" in (res.reason or "")
        ok = test(panel, [0], rbar=-0.1)  # just inside: factor sqrt(1.1 / 0.1)
        base = (inf.patell if test is inf.kolari_pynnonen_patell else inf.bmp)(panel, [0])
        assert ok.statistic == pytest.approx(base.statistic * math.sqrt(1.1 / 0.1), rel=1e-12)
