"""Normal-return models: registry, identities between models, prediction standard errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from eventstudy.models import MODELS, GarchMarketModel, UnknownModelError, resolve_model
from eventstudy.study import EventStudy

EVENTS = pd.DataFrame({"event_id": ["e1"], "date": ["2021-03-01"]})


def _data(seed: int = 7, n: int = 400) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2020-01-01", periods=n)
    m = pd.Series(rng.normal(0, 0.01, n), index=idx, name="MKT")
    r = pd.DataFrame(
        {
            f"S{i}": 0.0003 + (0.6 + 0.3 * i) * m.to_numpy() + rng.normal(0, 0.015, n)
            for i in range(3)
        },
        index=idx,
    )
    return r, m


def _est_slice(r: pd.DataFrame, date: str = "2021-03-01") -> slice:
    k0 = r.index.get_loc(pd.Timestamp(date))
    return slice(k0 - 250, k0 - 10)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [("sim", "market"), ("Market_Model", "market"), ("mean", "constant_mean"),
     ("raw", "market_adjusted"), ("GARCH", "garch"), ("multifactor", "factor")],
)  # fmt: skip
def test_registry_aliases(alias, canonical):
    assert resolve_model(alias).name == canonical


def test_unknown_model_lists_valid_names():
    with pytest.raises(UnknownModelError) as err:
        resolve_model("capm2")
    for name in MODELS:
        assert name in str(err.value)


def test_registry_entries_are_documented():
    for info in MODELS.values():
        assert info.description and info.reference
        assert info.cls.__doc__


def test_market_adjusted_is_market_model_with_alpha0_beta1():
    # returns = market + noise orthogonal to [1, market] on the estimation window, so OLS
    # gives alpha = 0 and beta = 1 exactly; the two models must then give the same ARs.
    r, m = _data()
    est = _est_slice(r)
    x = sm.add_constant(m.iloc[est].to_numpy())
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 0.01, len(r))
    e = noise[est] - x @ np.linalg.lstsq(x, noise[est], rcond=None)[0]
    y = m.to_numpy() + noise
    y[est] = m.to_numpy()[est] + e
    returns = pd.DataFrame({"A": y}, index=r.index)
    mm = EventStudy(returns, market=m, model="market").run(EVENTS, event_windows=[(-3, 3)])
    ma = EventStudy(returns, market=m, model="market_adjusted").run(EVENTS, event_windows=[(-3, 3)])
    fit = mm.fits.iloc[0]
    assert fit["alpha"] == pytest.approx(0, abs=1e-14)
    assert fit["beta"] == pytest.approx(1, abs=1e-12)
    np.testing.assert_allclose(mm.abnormal_returns["ar"], ma.abnormal_returns["ar"], atol=1e-14)
    # and market-adjusted ARs are simply R - Rm on the event days
    ar = ma.abnormal_returns.set_index("date")["ar"]
    np.testing.assert_allclose(ar, (returns["A"] - m)[ar.index], atol=1e-15)


def test_constant_mean_by_hand():
    r, _ = _data()
    res = EventStudy(r[["S0"]], model="constant_mean").run(EVENTS, event_windows=[(0, 2)])
    y = r["S0"].iloc[_est_slice(r)]
    mu, s, n = y.mean(), y.std(ddof=1), len(y)
    ar = res.abnormal_returns.set_index("date")
    np.testing.assert_allclose(ar["ar"], r["S0"][ar.index] - mu, atol=1e-15)
    np.testing.assert_allclose(ar["se"], s * np.sqrt(1 + 1 / n), rtol=1e-12)


def test_ar_se_is_statsmodels_prediction_se():
    r, m = _data()
    res = EventStudy(r[["S1"]], market=m).run(EVENTS, event_windows=[(-2, 4)])
    est = _est_slice(r)
    fit = sm.OLS(r["S1"].iloc[est].to_numpy(), sm.add_constant(m.iloc[est].to_numpy())).fit()
    ar = res.abnormal_returns.set_index("date")
    xe = sm.add_constant(m[ar.index].to_numpy(), has_constant="add")
    pred = fit.get_prediction(xe)
    np.testing.assert_allclose(ar["ar"], r["S1"][ar.index] - pred.predicted_mean, atol=1e-15)
    np.testing.assert_allclose(ar["se"], pred.se_obs, rtol=1e-12)
    # without the prediction-error correction the SE is the residual sd
    res0 = EventStudy(r[["S1"]], market=m).run(
        EVENTS, event_windows=[(-2, 4)], prediction_error=False
    )
    np.testing.assert_allclose(res0.abnormal_returns["se"], np.sqrt(fit.scale), rtol=1e-12)


def test_se_ddof_and_test_sigma_conventions():
    # AR SEs use se_ddof (statsmodels scale by default); the tests' sigma uses sigma_ddof
    r, m = _data()
    est = _est_slice(r)
    fit = sm.OLS(r["S1"].iloc[est].to_numpy(), sm.add_constant(m.iloc[est].to_numpy())).fit()
    res = EventStudy(r[["S1"]], market=m).run(EVENTS, prediction_error=False, se_ddof=1)
    np.testing.assert_allclose(res.abnormal_returns["se"], fit.resid.std(ddof=1), rtol=1e-12)
    row = res.fits.iloc[0]
    assert row["sigma"] == pytest.approx(fit.resid.std(ddof=1), rel=1e-12)  # estudy2 default
    assert row["sigma_se"] == pytest.approx(fit.resid.std(ddof=1), rel=1e-12)
    default = EventStudy(r[["S1"]], market=m).run(EVENTS).fits.iloc[0]
    assert default["sigma_se"] == pytest.approx(np.sqrt(fit.scale), rel=1e-12)


def test_car_se_is_mackinlay_formula():
    # Var(CAR) = s^2 (T + c'(X'X)^{-1} c), c = column sums of the window's design rows
    r, m = _data()
    res = EventStudy(r[["S2"]], market=m).run(EVENTS, event_windows=[(-1, 1)])
    est = _est_slice(r)
    x = sm.add_constant(m.iloc[est].to_numpy())
    resid = (
        r["S2"].iloc[est].to_numpy()
        - x @ np.linalg.lstsq(x, r["S2"].iloc[est].to_numpy(), rcond=None)[0]
    )
    s2 = resid @ resid / (len(resid) - 2)  # statsmodels scale, the default se_ddof
    dates = res.abnormal_returns["date"]
    c = sm.add_constant(m[dates].to_numpy(), has_constant="add").sum(axis=0)
    var = s2 * (3 + c @ np.linalg.inv(x.T @ x) @ c)
    assert res.cars["se"].iloc[0] == pytest.approx(np.sqrt(var), rel=1e-12)


def test_factor_model_with_one_factor_equals_market_model():
    r, m = _data()
    a = EventStudy(r, market=m, model="market").run(EVENTS)
    b = EventStudy(r, factors=m.to_frame(), model="factor").run(EVENTS)
    np.testing.assert_allclose(a.abnormal_returns["ar"], b.abnormal_returns["ar"], atol=1e-15)
    np.testing.assert_allclose(a.abnormal_returns["se"], b.abnormal_returns["se"], rtol=1e-12)


def test_factor_model_two_regressors_matches_ols():
    r, m = _data()
    rng = np.random.default_rng(11)
    f2 = pd.Series(rng.normal(0, 0.02, len(r)), index=r.index, name="BRENT")
    y = r["S0"] + 0.3 * f2
    res = EventStudy(y.to_frame("S0"), market=m, factors=f2.to_frame(), model="factor").run(EVENTS)
    est = _est_slice(r)
    x = sm.add_constant(np.column_stack([m.iloc[est], f2.iloc[est]]))
    params = sm.OLS(y.iloc[est].to_numpy(), x).fit().params
    fit = res.fits.iloc[0]
    np.testing.assert_allclose(
        [fit["alpha"], fit["beta_MKT"], fit["beta_BRENT"]], params, rtol=1e-10
    )


def test_each_instrument_its_own_benchmark():
    r, m = _data()
    rng = np.random.default_rng(5)
    m2 = pd.Series(rng.normal(0, 0.01, len(r)), index=r.index)
    market = pd.DataFrame({"M1": m, "M2": m2})
    res = EventStudy(r[["S0", "S1"]], market=market, benchmarks={"S0": "M1", "S1": "M2"}).run(
        EVENTS
    )
    solo0 = EventStudy(r[["S0"]], market=m).run(EVENTS)
    solo1 = EventStudy(r[["S1"]], market=m2).run(EVENTS)
    ar = res.abnormal_returns.set_index("instrument")["ar"]
    np.testing.assert_allclose(ar["S0"], solo0.abnormal_returns["ar"], atol=1e-15)
    np.testing.assert_allclose(ar["S1"], solo1.abnormal_returns["ar"], atol=1e-15)


def test_benchmarks_must_cover_instruments():
    r, m = _data()
    market = pd.DataFrame({"M1": m, "M2": m})
    with pytest.raises(ValueError, match="benchmarks"):
        EventStudy(r, market=market, benchmarks={"S0": "M1"})
    with pytest.raises(ValueError, match="not in market"):
        EventStudy(r, market=market, benchmarks={"S0": "M1", "S1": "M3", "S2": "M2"})


def test_garch_without_volatility_dynamics_reduces_to_ols():
    # p = q = 0: constant variance; Gaussian ML of the mean equation is OLS
    r, m = _data()
    ols = EventStudy(r, market=m, model="market").run(EVENTS)
    g = EventStudy(r, market=m, model=GarchMarketModel(p=0, q=0)).run(EVENTS)
    for col in ("alpha", "beta"):
        np.testing.assert_allclose(g.fits[col], ols.fits[col], rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(g.abnormal_returns["ar"], ols.abnormal_returns["ar"], atol=1e-6)
    # constant conditional variance = ML variance SSR / L on every event day
    est = _est_slice(r)
    for inst in r.columns:
        fit = sm.OLS(r[inst].iloc[est].to_numpy(), sm.add_constant(m.iloc[est].to_numpy())).fit()
        se = g.abnormal_returns.set_index("instrument").loc[inst, "se"]
        np.testing.assert_allclose(se, np.sqrt(fit.ssr / fit.nobs), rtol=1e-3)


def test_garch11_variance_forecast_recursion():
    rng = np.random.default_rng(2)
    n = 900
    idx = pd.bdate_range("2018-01-01", periods=n)
    m = rng.normal(0, 0.01, n)
    e = np.empty(n)
    h = 1e-4
    for t in range(n):  # GARCH(1,1) errors: omega 1e-5, alpha 0.1, beta 0.8
        e[t] = np.sqrt(h) * rng.normal()
        h = 1e-5 + 0.1 * e[t] ** 2 + 0.8 * h
    y = pd.DataFrame({"G": 0.0002 + 0.9 * m + e}, index=idx)
    ev = pd.DataFrame({"event_id": ["x"], "date": [idx[700]]})
    res = EventStudy(y, market=pd.Series(m, index=idx), model="garch").run(
        ev, event_windows=[(-10, 10)]
    )
    fit = res.fits.iloc[0]
    assert 0 < fit["alpha[1]"] < 0.3 and 0.5 < fit["beta[1]"] < 1
    var = res.abnormal_returns["se"].to_numpy() ** 2
    # sigma^2_{T+h} = omega + (a + b) sigma^2_{T+h-1} for consecutive event days
    persistence = fit["alpha[1]"] + fit["beta[1]"]
    np.testing.assert_allclose(var[1:], fit["omega"] + persistence * var[:-1], rtol=1e-9)
