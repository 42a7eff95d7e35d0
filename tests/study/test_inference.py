"""Test statistics on hand-derivable panels, the registry, and the dummy-variable regression."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from eventstudy import inference as inf
from eventstudy.inference import ARPanel, Conventions, TestResult, resolve_test
from eventstudy.study import EventStudy


def _panel(event, estimation=None, sigma=None, nobs=None, lev=None, **kw) -> ARPanel:
    event = np.atleast_2d(np.asarray(event, float))
    n = event.shape[1]
    if estimation is None:
        rng = np.random.default_rng(0)
        estimation = rng.normal(0, 1, (50, n))
    estimation = np.asarray(estimation, float)
    return ARPanel(
        event=event,
        estimation=estimation,
        sigma=np.ones(n) if sigma is None else np.asarray(sigma, float),
        nobs=np.full(n, float(estimation.shape[0])) if nobs is None else np.asarray(nobs, float),
        leverage=np.zeros_like(event) if lev is None else lev,
        market_leverage=np.zeros_like(event),
        rel_days=np.arange(event.shape[0]),
        **kw,
    )


def test_result_is_frozen_and_readable():
    r = inf.sign_test(_panel([[1, 2, -1, 3]]), [0])
    assert isinstance(r, TestResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.statistic = 0.0  # type: ignore[misc]
    assert r.reference and r.null and r.distribution == "N(0,1)"
    assert "sign" in str(r)


def test_sign_test_by_hand():
    # 7 positive of 10: z = (7 - 5) / sqrt(10/4)
    x = np.array([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, -0.1, -0.2, -0.3]])
    r = inf.sign_test(_panel(x), [0])
    assert r.statistic == pytest.approx(2 / math.sqrt(2.5))
    assert r.pvalue == pytest.approx(2 * stats.norm.sf(2 / math.sqrt(2.5)))


def test_generalized_sign_uses_estimation_share():
    x = np.array([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, -0.1, -0.2, -0.3]])
    est = np.where(np.arange(40)[:, None] < 10, 1.0, -1.0) * np.ones((40, 10))  # 1/4 positive
    r = inf.generalized_sign(_panel(x, est), [0])
    p = float(np.mean(est > 0))
    assert p == 0.25
    assert r.statistic == pytest.approx((7 - 10 * p) / math.sqrt(10 * p * (1 - p)))


def test_wilcoxon_v_and_exact_pvalue():
    x = np.array([[1.0, -2.0, 3.0, 4.0, -5.0]])
    r = inf.wilcoxon_signed_rank(_panel(x), [0])
    assert r.statistic == 1 + 3 + 4  # ranks of |x| for the positive values
    assert r.pvalue == pytest.approx(stats.wilcoxon(x[0]).pvalue)


def test_cross_sectional_t_equals_one_sample_t():
    rng = np.random.default_rng(1)
    x = rng.normal(0.1, 1, (1, 25))
    r = inf.cross_sectional_t(_panel(x), [0])
    ref = stats.ttest_1samp(x[0], 0.0)
    assert r.statistic == pytest.approx(ref.statistic)
    assert r.pvalue == pytest.approx(ref.pvalue)
    assert r.df == 24


def test_bmp_without_correction_is_t_test_of_standardized_returns():
    rng = np.random.default_rng(2)
    x = rng.normal(0.1, 1, (1, 20))
    sig = rng.uniform(0.5, 2, 20)
    p = _panel(x * sig, sigma=sig, conventions=Conventions(prediction_correction=False))
    assert inf.bmp(p, [0]).statistic == pytest.approx(stats.ttest_1samp(x[0], 0).statistic)


def test_patell_by_hand():
    # Z = sum_i AR_i / (s_i sqrt(1 + h_i)) / sqrt(sum (L-2)/(L-4)), L = 50
    ar = np.array([[0.5, -0.2, 1.0]])
    sig = np.array([1.0, 2.0, 0.5])
    lev = np.array([[0.02, 0.5, 0.1]])
    r = inf.patell(_panel(ar, sigma=sig, lev=lev), [0])
    sar = ar[0] / (sig * np.sqrt(1 + lev[0]))
    assert r.statistic == pytest.approx(sar.sum() / math.sqrt(3 * 48 / 46))


def test_brown_warner_by_hand():
    est = np.array([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]])
    p = _panel([[0.6, 0.2]], est, sigma=[1.0, 2.0], nobs=[4, 4])
    # BW 1980: mean AR / (sqrt(sum s_i^2) / N)
    assert inf.brown_warner_1980(p, [0]).statistic == pytest.approx(0.4 / (math.sqrt(5) / 2))
    # BW 1985: mean AR / sd of the daily mean estimation AR (0, 0, 1, -1 -> sd sqrt(2/3))
    assert inf.brown_warner_1985(p, [0]).statistic == pytest.approx(0.4 / math.sqrt(2 / 3))


def test_corrado_rank_by_hand():
    # two pairs, 3 estimation days + 1 event day whose AR is the largest of each pair:
    # ranks (1,2,3,4) and (2,1,3,4); mean rank 2.5; daily mean deviations -1, -1, .5, 1.5
    est = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
    p = _panel([[4.0, 4.0]], est)
    sd = math.sqrt((1 + 1 + 0.25 + 2.25) / 4)
    assert inf.corrado_rank(p, [0]).statistic == pytest.approx(1.5 / sd)


def test_kolari_pynnonen_factor():
    rng = np.random.default_rng(3)
    p = _panel(rng.normal(0.3, 1, (1, 30)))
    base = inf.bmp(p, [0]).statistic
    r = inf.kolari_pynnonen_bmp(p, [0], rbar=0.1)
    assert r.statistic == pytest.approx(base * math.sqrt(0.9 / (1 + 29 * 0.1)))
    assert inf.kolari_pynnonen_bmp(p, [0], rbar=0.0).statistic == pytest.approx(base)


def test_tests_that_cannot_apply_say_why():
    one = inf.cross_sectional_t(_panel([[0.1]]), [0])
    assert not one.applicable and "two pairs" in one.reason and math.isnan(one.statistic)
    short = inf.patell(_panel([[0.1, 0.2]], np.ones((3, 2))), [0])
    assert "4 estimation" in short.reason
    overlap = inf.corrado_rank(_panel([[0.1, 0.2]], overlap=True), [0])
    assert "overlap" in overlap.reason


def test_grank_detects_large_effect_and_not_a_null_day():
    rng = np.random.default_rng(4)
    est = rng.normal(0, 1, (150, 40))
    shifted = inf.generalized_rank(_panel(rng.normal(2.0, 1, (1, 40)), est), [0])
    assert shifted.pvalue < 0.001 and shifted.df == pytest.approx(149)
    null = inf.generalized_rank(_panel(est[:1], est), [0])  # an ordinary estimation day
    assert null.pvalue > 0.01


def test_bootstrap_is_seeded():
    rng = np.random.default_rng(5)
    p = _panel(rng.normal(0.2, 1, (1, 30)))
    a, b = inf.bootstrap(p, [0], seed=1), inf.bootstrap(p, [0], seed=1)
    assert a == b
    assert a.statistic == pytest.approx(inf.bmp(p, [0]).statistic)
    assert 0 < a.pvalue <= 1


def test_registry():
    assert resolve_test("boehmer").name == "bmp"
    assert resolve_test("CAR_RANK_TEST").name == "rank"
    with pytest.raises(KeyError) as err:
        resolve_test("nonsense")
    assert "patell" in str(err.value) and "grank" in str(err.value)
    for info in inf.TESTS.values():
        assert info.func.__doc__ and "References" in info.func.__doc__


def test_conventions_are_validated():
    with pytest.raises(ValueError, match="market_mean"):
        Conventions(market_mean="all")  # type: ignore[arg-type]


# ------------------------------------------------------------------ dummy regression


def _study(seed=9, n=420):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2020-01-01", periods=n)
    m = pd.Series(rng.normal(0, 0.01, n), index=idx, name="MKT")
    r = pd.DataFrame(
        {
            f"S{i}": 0.0002 + (0.7 + 0.2 * i) * m.to_numpy() + rng.normal(0, 0.02, n)
            for i in range(3)
        },
        index=idx,
    )
    return r, m


def test_dummy_regression_equals_market_model():
    r, m = _study()
    ev = pd.DataFrame({"event_id": ["e"], "date": [r.index[330]]})
    wins = [(-2, 2), (0, 0)]
    st = EventStudy(r, market=m)
    mm = st.run(ev, event_windows=wins)
    dr = st.dummy_regression(ev, event_windows=wins, cov_type="nonrobust")
    a = mm.abnormal_returns.sort_values(["instrument", "rel_day"]).reset_index(drop=True)
    b = dr.abnormal_returns.sort_values(["instrument", "rel_day"]).reset_index(drop=True)
    np.testing.assert_allclose(b["ar"], a["ar"], rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(b["se"], a["se"], rtol=1e-9)
    ca = mm.cars.sort_values(["instrument", "window"]).reset_index(drop=True)
    cb = dr.cars.sort_values(["instrument", "window"]).reset_index(drop=True)
    np.testing.assert_allclose(cb["car"], ca["car"], rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(cb["se"], ca["se"], rtol=1e-9)
    # HAC changes the standard errors, not the estimates
    hac = st.dummy_regression(ev, event_windows=wins)
    np.testing.assert_allclose(
        hac.abnormal_returns.sort_values(["instrument", "rel_day"])["ar"], b["ar"], atol=1e-13
    )
    assert hac.cov_type == "HAC"


def test_dummy_regression_overlapping_events_share_dates():
    r, m = _study()
    ev = pd.DataFrame({"event_id": ["a", "b"], "date": [r.index[330], r.index[331]]})
    dr = EventStudy(r[["S0"]], market=m).dummy_regression(
        ev, event_windows=[(-1, 1)], cov_type="nonrobust"
    )
    ar = dr.abnormal_returns.set_index(["event_id", "date"])["ar"]
    shared = r.index[331]
    assert ar[("a", shared)] == ar[("b", shared)]
    cars = dr.cars.set_index("event_id")
    per_event = dr.abnormal_returns.groupby("event_id")["ar"].sum()
    np.testing.assert_allclose(cars["car"], per_event[cars.index], rtol=1e-12)
    # the CAR se is sqrt(c'Vc) over the four dummies (dates 329..332), covariances included
    v = np.asarray(dr.fits["S0"].cov_params())[2:, 2:]
    for eid, c in (("a", [1, 1, 1, 0]), ("b", [0, 1, 1, 1])):
        c = np.asarray(c, float)
        assert cars.loc[eid, "se"] == pytest.approx(math.sqrt(c @ v @ c), rel=1e-12)


# ------------------------------------------------------------------ properties


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(0.01, 100),
    n=st.integers(5, 30),
)
def test_statistics_invariant_to_scale_and_pair_order(seed, scale, n):
    rng = np.random.default_rng(seed)
    est = rng.normal(0, 1, (60, n)) * rng.uniform(0.5, 2, n)
    ev = rng.normal(0.2, 1, (3, n))
    lev = rng.uniform(0, 0.1, (3, n))
    sig = est.std(axis=0, ddof=1)
    base = _panel(ev, est, sigma=sig, lev=lev)
    scaled = _panel(ev * scale, est * scale, sigma=sig * scale, lev=lev)
    perm = rng.permutation(n)
    permuted = _panel(ev[:, perm], est[:, perm], sigma=sig[perm], lev=lev[:, perm])
    for name, info in inf.TESTS.items():
        for days in ([1], [0, 1, 2]):
            a = info.func(base, days)
            b = info.func(scaled, days)
            assert a.statistic == pytest.approx(b.statistic, rel=1e-9, abs=1e-12), name
            if name != "bootstrap":  # resampling draws depend on the order of pairs
                c = info.func(permuted, days)
                assert a.statistic == pytest.approx(c.statistic, rel=1e-9, abs=1e-12), name


def test_market_mean_own_uses_exact_prediction_se():
    # with the exact OLS leverage and the statsmodels scale, Patell's standardized returns are
    # the AR t statistics of the abnormal-returns frame
    r, m = _study()
    ev = pd.DataFrame({"event_id": ["e"], "date": [r.index[330]]})
    conv = Conventions(sigma_ddof="df_resid", market_mean="own")
    res = EventStudy(r, market=m).run(ev, event_windows=[(0, 0)], conventions=conv)
    ar = res.abnormal_returns
    nobs = res.fits["nobs"].to_numpy(float)
    expected = ar["t"].sum() / math.sqrt(np.sum((nobs - 2) / (nobs - 4)))
    assert res.test_records(0, ["patell"])["patell"].statistic == pytest.approx(expected)
