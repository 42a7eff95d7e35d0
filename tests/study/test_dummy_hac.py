"""HAC standard errors of the dummy-variable regression (Karafiath 1988).

Expectations come from theory, not from the code: with independent errors the HAC standard
error of a one-day dummy estimates the prediction standard error (ratio ~ 1); with AR(1)
errors (phi = 0.5) the standard deviation of a 5-day CAR is sqrt(1 + 2 sum_j (5-j)/5 phi^j)
= sqrt(2.225) = 1.49 times the iid value, which the HAC errors must track and the OLS errors
miss.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eventstudy import EventStudy


def _panel(n_inst: int, n_days: int, phi: float, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2020-01-01", periods=n_days)
    m = pd.Series(rng.normal(0, 0.01, n_days), index=idx, name="MKT")
    e = rng.normal(0, 0.01, (n_days, n_inst))
    for t in range(1, n_days):  # AR(1) errors
        e[t] += phi * e[t - 1]
    beta = rng.uniform(0.5, 1.5, n_inst)
    r = pd.DataFrame(0.0002 + m.to_numpy()[:, None] * beta + e, index=idx)
    r.columns = [f"S{i}" for i in range(n_inst)]
    return r, m


def _fit(r: pd.DataFrame, m: pd.Series, cov_type: str, windows: list[tuple[int, int]]):
    ev = pd.DataFrame({"event_id": ["e"], "date": [r.index[300]]})
    return EventStudy(r, market=m).dummy_regression(ev, event_windows=windows, cov_type=cov_type)


def test_hac_one_day_se_matches_prediction_se_under_iid_errors():
    # the textbook sandwich gave about a tenth of the prediction SE here (zero residual
    # on the dummy's day)
    r, m = _panel(60, 320, 0.0, 1)
    hac = _fit(r, m, "HAC", [(0, 0)]).abnormal_returns.set_index(["instrument", "rel_day"])
    ols = _fit(r, m, "nonrobust", [(0, 0)]).abnormal_returns.set_index(
        ["instrument", "rel_day"]
    )
    ratio = (hac["se"] / ols["se"].reindex(hac.index)).to_numpy()
    assert np.all(np.isfinite(ratio))
    assert 0.9 < ratio.mean() < 1.1
    assert ratio.min() > 0.7
    np.testing.assert_allclose(hac["ar"], ols["ar"].reindex(hac.index), atol=1e-13)


def test_hac_car_se_tracks_autocorrelated_errors():
    r, m = _panel(400, 320, 0.5, 2)
    win = [(-2, 2)]
    hac = _fit(r, m, "HAC", win).cars
    ols = _fit(r, m, "nonrobust", win).cars
    # each instrument is an independent replicate: the spread of its CAR estimates is the
    # true sampling sd (the CAR's expectation is 0: no event effect was simulated)
    true_sd = float(np.sqrt(np.mean(hac["car"] ** 2)))
    assert np.mean(ols["se"]) / true_sd < 0.8  # OLS misses the autocorrelation (1/1.49)
    assert 0.8 < np.mean(hac["se"]) / true_sd < 1.15
    assert np.all(hac["se"] > 0)


def test_hac_zero_lags_single_day_adds_only_the_parameter_part():
    # with no lags, Omega_D is s^2 on the diagonal and 0 elsewhere: the variance of a CAR
    # over k days is k s^2 plus the parameter part, which is below 5% of it here
    r, m = _panel(5, 320, 0.0, 3)
    ev = pd.DataFrame({"event_id": ["e"], "date": [r.index[300]]})
    st = EventStudy(r, market=m)
    hac = st.dummy_regression(ev, event_windows=[(-1, 1)], cov_type="HAC", maxlags=0)
    for inst, fit in hac.fits.items():
        s2 = float(fit.ssr / fit.df_resid)
        car_se = hac.cars.set_index("instrument").loc[inst, "se"]
        assert 3 * s2 <= car_se**2 <= 3 * s2 * 1.05
