"""The vectorised engine (eventstudy.fastpath) against statsmodels, hand cases and estudy2.

The statsmodels reference below is written independently of the kernel: a plain loop per
pair that finds the instrument's sessions with ``np.flatnonzero``, slices the estimation
and event windows by session position, fits ``sm.OLS`` on the complete cases and reads the
prediction standard errors from ``get_prediction``; CAR variances are sums of the
prediction covariance ``X0 cov_params X0' + scale I``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from eventstudy.errors import EventStudyError
from eventstudy.fastpath import (
    FAST_MODELS,
    FastPathError,
    PairStatus,
    _TTable,
    cross_sectional_tests,
    fast_event_study,
)

RTOL = 1e-9
CARS = ((-1, 1), (0, 0), (0, 5), (-5, 5))


# ----------------------------------------------------------------------------------------
# independent reference: one statsmodels fit per pair
# ----------------------------------------------------------------------------------------


@dataclass
class Ref:
    status: list[int] = field(default_factory=list)
    n_est: list[int] = field(default_factory=list)
    n_dropped: list[int] = field(default_factory=list)
    truncated: list[bool] = field(default_factory=list)
    alpha: list[float] = field(default_factory=list)
    beta: list[np.ndarray] = field(default_factory=list)
    s2: list[float] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    ar: list[np.ndarray] = field(default_factory=list)
    se: list[np.ndarray] = field(default_factory=list)
    p: list[np.ndarray] = field(default_factory=list)
    car: list[np.ndarray] = field(default_factory=list)
    car_se: list[np.ndarray] = field(default_factory=list)
    car_p: list[np.ndarray] = field(default_factory=list)

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.array(v) for k, v in vars(self).items()}


def regressors(model, rows, i, market, market_idx, factors):
    """Design rows without the intercept (n x K), K = 0 for constant mean."""
    if model == "market":
        return market[rows, market_idx[i]][:, None]
    if model == "factor":
        return factors[rows]
    return np.empty((len(rows), 0))


def reference(
    returns,
    market,
    market_idx,
    factors,
    inst,
    day0,
    *,
    model,
    estimation=(-250, -11),
    event_window=(-5, 5),
    car_windows=CARS,
    min_obs=100,
    prediction_error=True,
    ddof=None,
):
    ref = Ref()
    rel = np.arange(event_window[0], event_window[1] + 1)
    w = len(rel)
    nan_w = np.full(w, np.nan)
    nan_c = np.full(len(car_windows), np.nan)
    k_reg = {"constant_mean": 0, "market_adjusted": 0, "market": 1}.get(
        model, None if factors is None else factors.shape[1]
    )
    kb = 1 if model == "market_adjusted" else k_reg
    for i, d in zip(inst, day0, strict=True):
        y_all = returns[:, i]
        sess = np.flatnonzero(~np.isnan(y_all))
        p0 = int(np.searchsorted(sess, d, side="left"))

        def fail(code, n=0, dropped=0, trunc=False, rows=None):
            ref.status.append(code)
            ref.n_est.append(n)
            ref.n_dropped.append(dropped)
            ref.truncated.append(trunc)
            ref.alpha.append(np.nan)
            ref.beta.append(np.full(kb, np.nan))
            ref.s2.append(np.nan)
            ref.rows.append(np.full(w, -1) if rows is None else rows)
            for name in ("ar", "se", "p"):
                getattr(ref, name).append(nan_w)
            for name in ("car", "car_se", "car_p"):
                getattr(ref, name).append(nan_c)

        if p0 >= len(sess):
            fail(PairStatus.NO_SESSION)
            continue
        lo, hi = p0 + estimation[0], p0 + estimation[1]
        trunc = lo < 0 or hi >= len(sess)
        est_rows = sess[max(lo, 0) : max(hi + 1, 0)]
        ev_pos = p0 + rel
        inside = (ev_pos >= 0) & (ev_pos < len(sess))
        ev_rows = np.where(inside, sess[np.clip(ev_pos, 0, len(sess) - 1)], -1)
        if model == "market_adjusted":
            mk = market[:, market_idx[i]]
            cc = ~np.isnan(mk[est_rows])
        else:
            xr = regressors(model, est_rows, i, market, market_idx, factors)
            cc = ~np.isnan(xr).any(axis=1)
        n = int(cc.sum())
        dropped = len(est_rows) - n
        k = k_reg + 1
        dd = (1 if model == "market_adjusted" else k) if ddof is None else ddof
        if n < max(min_obs, k + 1, dd + 1):
            fail(PairStatus.TOO_FEW_OBS, n, dropped, trunc, ev_rows)
            continue
        y = y_all[est_rows][cc]
        ar = np.full(w, np.nan)
        var = np.full(w, np.nan)
        car = np.full(len(car_windows), np.nan)
        car_var = np.full(len(car_windows), np.nan)
        if model == "market_adjusted":
            e = y - mk[est_rows][cc]
            s2 = float(np.var(e, ddof=dd))
            alpha, beta, df = 0.0, np.ones(1), n - 1
            ar[inside] = y_all[ev_rows[inside]] - mk[ev_rows[inside]]
            var[~np.isnan(ar)] = s2
            for c, (a, b) in enumerate(car_windows):
                sl = slice(a - rel[0], b - rel[0] + 1)
                car[c] = ar[sl].sum()
                car_var[c] = s2 * (b - a + 1)
        else:
            x = sm.add_constant(xr[cc], has_constant="add") if k_reg else np.ones((n, 1))
            fit = sm.OLS(y, x).fit()
            s2 = fit.ssr / (n - dd)
            alpha, beta, df = fit.params[0], fit.params[1:], fit.df_resid
            assert df == n - k
            scale_ratio = s2 / fit.scale
            x0 = np.column_stack(
                [
                    np.ones(w),
                    regressors(model, np.where(inside, ev_rows, 0), i, market, market_idx, factors),
                ]
            )
            x0[~inside] = np.nan
            good = ~np.isnan(x0).any(axis=1)
            ar[good] = y_all[ev_rows[good]] - x0[good] @ fit.params
            if prediction_error:
                pred = fit.get_prediction(x0[good])
                var[good] = pred.se_obs**2 * scale_ratio
            else:
                var[good] = s2  # no AR (NaN regressor, no session), no standard error
            cov = (x0 @ fit.cov_params() @ x0.T + fit.scale * np.eye(w)) * scale_ratio
            for c, (a, b) in enumerate(car_windows):
                sl = slice(a - rel[0], b - rel[0] + 1)
                car[c] = ar[sl].sum()
                car_var[c] = cov[sl, sl].sum() if prediction_error else s2 * (b - a + 1)
        car_var[np.isnan(car)] = np.nan  # no CAR (a day without AR), no standard error
        se = np.sqrt(var)
        car_se = np.sqrt(car_var)
        ref.status.append(PairStatus.OK)
        ref.n_est.append(n)
        ref.n_dropped.append(dropped)
        ref.truncated.append(trunc)
        ref.alpha.append(alpha)
        ref.beta.append(np.asarray(beta, dtype=float))
        ref.s2.append(s2)
        ref.rows.append(ev_rows)
        ref.ar.append(ar)
        ref.se.append(se)
        ref.p.append(2 * stats.t.sf(np.abs(ar / se), df))
        ref.car.append(car)
        ref.car_se.append(car_se)
        ref.car_p.append(2 * stats.t.sf(np.abs(car / car_se), df))
    return ref.arrays()


def assert_matches(res, ref):
    np.testing.assert_array_equal(res.status, ref["status"])
    np.testing.assert_array_equal(res.n_est, ref["n_est"])
    np.testing.assert_array_equal(res.n_dropped, ref["n_dropped"])
    np.testing.assert_array_equal(res.est_truncated, ref["truncated"])
    np.testing.assert_array_equal(res.rows, ref["rows"])
    close = {"rtol": RTOL, "atol": 0.0}
    np.testing.assert_allclose(res.alpha, ref["alpha"], rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(res.beta, ref["beta"], **close)
    np.testing.assert_allclose(res.s2, ref["s2"], **close)
    np.testing.assert_allclose(res.ar, ref["ar"], rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(res.ar_se, ref["se"], **close)
    np.testing.assert_allclose(res.ar_p, ref["p"], rtol=RTOL, atol=1e-13)
    np.testing.assert_allclose(res.car, ref["car"], rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(res.car_se, ref["car_se"], **close)
    np.testing.assert_allclose(res.car_p, ref["car_p"], rtol=RTOL, atol=1e-13)


# ----------------------------------------------------------------------------------------
# real data: ../shared/data/market
# ----------------------------------------------------------------------------------------

INSTRUMENTS = ("imoex", "rtsi", "stoxx50e", "dax")
MARKETS = ("sp500", "urth", "eem")
BENCHMARK = {"imoex": "eem", "rtsi": "eem", "stoxx50e": "urth", "dax": "sp500"}
EVENTS = (
    "2021-03-15",
    "2021-06-16",
    "2021-12-07",
    "2022-01-10",
    "2022-02-21",
    "2022-02-24",
    "2022-03-01",  # Moscow equities suspended 2022-02-28 .. 2022-03-23: IMOEX day 0 = 03-24
    "2022-03-24",
    "2022-09-21",
)


def log_returns(path: Path) -> pd.Series:
    close = pd.read_csv(path, usecols=["date", "close"], parse_dates=["date"]).set_index("date")
    close = close["close"].astype(float)
    return np.log(close).diff().dropna()


@pytest.fixture(scope="module")
def real(market_dir):
    series = {name: log_returns(market_dir / f"{name}.csv") for name in INSTRUMENTS + MARKETS}
    dates = pd.DatetimeIndex(sorted(set().union(*(s.index for s in series.values()))))
    dates = dates[(dates >= "2019-01-01") & (dates <= "2023-06-30")]
    returns = np.column_stack([series[n].reindex(dates).to_numpy() for n in INSTRUMENTS])
    market = np.column_stack([series[n].reindex(dates).to_numpy() for n in MARKETS])
    market_idx = np.array([MARKETS.index(BENCHMARK[n]) for n in INSTRUMENTS])
    day0 = dates.searchsorted(pd.DatetimeIndex(EVENTS), side="left")
    inst = np.tile(np.arange(len(INSTRUMENTS)), len(EVENTS))
    d0 = np.repeat(day0, len(INSTRUMENTS))
    return {
        "dates": dates,
        "returns": returns,
        "market": market,
        "market_idx": market_idx,
        "inst": inst,
        "day0": d0,
    }


@pytest.mark.parametrize("model", ["market", "factor", "constant_mean", "market_adjusted"])
def test_real_data_equals_statsmodels(real, model):
    args = (real["returns"], real["market"], real["market_idx"], real["market"])
    res = fast_event_study(*args, real["inst"], real["day0"], model=model, car_windows=CARS)
    ref = reference(*args, real["inst"], real["day0"], model=model)
    assert (res.status == PairStatus.OK).all()  # the data cover every window
    assert_matches(res, ref)
    # the suspension: an event inside it starts IMOEX's window at the reopening session
    imoex = (real["inst"] == 0) & (real["dates"][real["day0"]] == pd.Timestamp("2022-03-01"))
    (pair,) = np.flatnonzero(imoex)
    assert real["dates"][res.rows[pair, 5]] == pd.Timestamp("2022-03-24")
    assert real["dates"][res.rows[pair, 4]] == pd.Timestamp("2022-02-25")


def test_real_data_estudy2_ddof_and_no_prediction_error(real):
    args = (real["returns"], real["market"], real["market_idx"], None)
    for kw in ({"ddof": 1}, {"prediction_error": False}, {"ddof": 1, "prediction_error": False}):
        res = fast_event_study(
            *args, real["inst"], real["day0"], model="market", car_windows=CARS, **kw
        )
        ref = reference(*args, real["inst"], real["day0"], model="market", **kw)
        assert_matches(res, ref)


def test_real_data_complete_cases_are_counted(real):
    res = fast_event_study(
        real["returns"], real["market"], real["market_idx"], None, real["inst"], real["day0"],
        model="market",
    )  # fmt: skip
    # IMOEX against EEM: Moscow trades on days New York is closed (and the other way round)
    assert res.n_dropped[real["inst"] == 0].min() > 0
    assert (res.n_est + res.n_dropped == 240).all()


# ----------------------------------------------------------------------------------------
# synthetic data with gaps and NaNs
# ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(12345)
    t, n = 700, 6
    market = rng.normal(0.0, 0.01, (t, 2))
    factors = np.column_stack([market[:, 0], rng.normal(0, 0.008, t), rng.normal(0, 0.02, t)])
    returns = 0.0004 + market[:, [0, 1, 0, 1, 0, 1]] * rng.uniform(0.5, 1.5, n)
    returns += factors[:, 1:] @ rng.normal(0, 0.5, (2, n)) + rng.normal(0, 0.015, (t, n))
    returns[rng.random((t, n)) < 0.04] = np.nan
    returns[200:260, 1] = np.nan  # a suspension
    returns[:320, 2] = np.nan  # a late listing
    returns[650:, 3] = np.nan  # a delisting
    returns[690:, 5] = rng.normal(0.0, 0.015, 10)  # trades to the end
    market[rng.random((t, 2)) < 0.03] = np.nan
    factors[rng.random((t, 3)) < 0.02] = np.nan
    inst = np.concatenate([rng.integers(0, n, 40), [0, 2, 3, 3, 4, 5, 5]])
    day0 = np.concatenate([rng.integers(150, t, 40), [3, 400, 660, 640, 699, 120, 696]])
    return {
        "returns": returns,
        "market": market,
        "market_idx": np.array([0, 1, 0, 1, 0, 1]),
        "factors": factors,
        "inst": inst,
        "day0": day0,
    }


@pytest.mark.parametrize("model", ["market", "factor", "constant_mean", "market_adjusted"])
@pytest.mark.parametrize("estimation", [(-250, -11), (-120, -6)], ids=["est250", "est120"])
def test_synthetic_equals_statsmodels(synthetic, model, estimation):
    s = synthetic
    args = (s["returns"], s["market"], s["market_idx"], s["factors"])
    res = fast_event_study(
        *args, s["inst"], s["day0"], model=model, estimation=estimation, car_windows=CARS
    )
    ref = reference(*args, s["inst"], s["day0"], model=model, estimation=estimation)
    assert_matches(res, ref)
    # every failure kind and edge is exercised
    assert {PairStatus.OK, PairStatus.TOO_FEW_OBS, PairStatus.NO_SESSION} <= set(res.status)
    assert res.est_truncated.any()
    assert (res.n_event_no_session > 0).any()
    if model != "constant_mean":
        assert (res.n_dropped > 0).any()
        assert (res.n_event_nan_regressor > 0).any()


def test_synthetic_options_equal_statsmodels(synthetic):
    s = synthetic
    args = (s["returns"], s["market"], s["market_idx"], s["factors"])
    post = fast_event_study(
        *args, s["inst"], s["day0"], model="market", estimation=(11, 130), min_obs=60,
        car_windows=CARS,
    )  # fmt: skip
    ref = reference(*args, s["inst"], s["day0"], model="market", estimation=(11, 130), min_obs=60)
    assert_matches(post, ref)
    assert post.est_truncated[post.day0 > 600].any()  # a post-event window cut at the end
    for model in ("factor", "market"):
        kw = {"ddof": 1, "prediction_error": False, "min_obs": 30, "event_window": (-3, 8)}
        cw = ((-3, 8), (1, 2))
        res = fast_event_study(*args, s["inst"], s["day0"], model=model, car_windows=cw, **kw)
        ref = reference(*args, s["inst"], s["day0"], model=model, car_windows=cw, **kw)
        assert_matches(res, ref)


def test_chunks_and_threads_give_identical_results(synthetic):
    s = synthetic
    args = (s["returns"], s["market"], s["market_idx"], s["factors"], s["inst"], s["day0"])
    one = fast_event_study(*args, model="factor")
    many = fast_event_study(*args, model="factor", chunk_size=7, workers=2)
    for name in ("status", "alpha", "beta", "s2", "ar", "ar_se", "ar_p", "car", "car_se"):
        np.testing.assert_array_equal(getattr(one, name), getattr(many, name))


def test_inputs_are_not_modified(synthetic):
    s = synthetic
    copies = {k: v.copy() for k, v in s.items()}
    fast_event_study(
        s["returns"], s["market"], s["market_idx"], s["factors"], s["inst"], s["day0"],
        model="factor",
    )  # fmt: skip
    for k, v in s.items():
        np.testing.assert_array_equal(v, copies[k])


# ----------------------------------------------------------------------------------------
# hand-derivable cases
# ----------------------------------------------------------------------------------------


def small_panel(seed=3, t=400):
    rng = np.random.default_rng(seed)
    m = rng.normal(0.0, 0.01, t)
    r = np.column_stack([0.001 + 1.5 * m, 0.0002 + 0.8 * m + rng.normal(0, 0.01, t)])
    return r, m


def test_market_adjusted_is_return_minus_market():
    r, m = small_panel()
    r[::7, 1] = np.nan
    res = fast_event_study(
        r, m, None, None, [1], [300], model="market_adjusted", estimation=(-200, -11)
    )
    sess = np.flatnonzero(~np.isnan(r[:, 1]))
    p0 = np.searchsorted(sess, 300)
    ev = sess[p0 - 5 : p0 + 6]
    np.testing.assert_array_equal(res.ar[0], r[ev, 1] - m[ev])
    est = sess[p0 - 200 : p0 - 10]
    sd = np.std(r[est, 1] - m[est], ddof=1)
    np.testing.assert_allclose(res.ar_se[0], sd, rtol=1e-12)
    assert res.alpha[0] == 0.0 and res.beta[0, 0] == 1.0
    assert res.df[0] == 189
    np.testing.assert_allclose(res.car_se[0, 0], sd * np.sqrt(3), rtol=1e-12)


def test_constant_mean_is_return_minus_estimation_mean():
    r, _ = small_panel()
    res = fast_event_study(
        r, None, None, None, [1], [300], model="mean", estimation=(-200, -11), car_windows=CARS
    )
    est = r[100:290, 1]
    mu = est.mean()
    np.testing.assert_allclose(res.alpha[0], mu, rtol=1e-12)
    np.testing.assert_allclose(res.ar[0], r[295:306, 1] - mu, rtol=1e-12)
    s = np.std(est, ddof=1)
    np.testing.assert_allclose(res.ar_se[0], s * np.sqrt(1 + 1 / 190), rtol=1e-12)
    # CAR(-5, 5): Var = s^2 (L + L^2 / n)
    np.testing.assert_allclose(res.car_se[0, 3], s * np.sqrt(11 + 121 / 190), rtol=1e-12)


def test_noiseless_line_gives_exact_alpha_beta():
    r, m = small_panel()
    res = fast_event_study(r, m, None, None, [0, 0], [260, 399], model="market", car_windows=CARS)
    np.testing.assert_allclose(res.alpha, 0.001, rtol=1e-10)
    np.testing.assert_allclose(res.beta[:, 0], 1.5, rtol=1e-10)
    np.testing.assert_allclose(res.s2, 0.0, atol=1e-28)
    np.testing.assert_allclose(res.ar[0], 0.0, atol=1e-15)
    # day 0 at the last row: days 1..5 have no session
    assert res.n_event_no_session[1] == 5
    assert np.isnan(res.ar[1, 6:]).all() and np.isfinite(res.ar[1, :6]).all()


def test_car_sums_ars_and_needs_every_day():
    r, m = small_panel()
    m[302] = np.nan  # rel day 2 of the second pair has no regressor
    res = fast_event_study(r, m, None, None, [1, 1], [250, 300], model="market", car_windows=CARS)
    np.testing.assert_allclose(res.car[0], [res.ar[0, 4:7].sum(), res.ar[0, 5], *[
        res.ar[0, 5:].sum(), res.ar[0].sum()]], rtol=1e-12)  # fmt: skip
    assert np.isnan(res.ar[1, 7]) and res.n_event_nan_regressor[1] == 1
    assert np.isfinite(res.car[1, :2]).all() and np.isnan(res.car[1, 2:]).all()


def test_windows_count_the_instruments_own_sessions():
    r, m = small_panel(t=60)
    r[[20, 21, 25, 33], 1] = np.nan
    res = fast_event_study(
        r, m, None, None, [0, 1], [21, 21], model="market", estimation=(-10, -6),
        event_window=(-3, 3), car_windows=[(0, 0)], min_obs=3,
    )  # fmt: skip
    np.testing.assert_array_equal(res.rows[0], [18, 19, 20, 21, 22, 23, 24])
    # instrument 1 has no session on rows 20, 21: day 0 is row 22; rel days skip row 25
    np.testing.assert_array_equal(res.rows[1], [17, 18, 19, 22, 23, 24, 26])
    assert res.n_est[1] == 5 and not res.est_truncated[1]


def test_status_codes():
    r, m = small_panel()
    r[:, 0] = np.nan
    r[:50, 0] = 0.01  # instrument 0 stops trading after row 49
    m2 = m.copy()
    m2[40:300] = 0.002  # the market does not move in the estimation window (rows 50..289)
    pairs = ([0, 1, 1], [60, 100, 300])
    res = fast_event_study(r, m2, None, None, *pairs, model="market")
    assert list(res.status) == [PairStatus.NO_SESSION, PairStatus.TOO_FEW_OBS, PairStatus.SINGULAR]
    assert np.isnan(res.ar).all() and np.isnan(res.alpha).all()
    assert res.est_truncated[1] and res.n_est[1] == 100 - 11 + 1
    # 190 observations are enough, but the window (-250, -11) would start before the data
    res = fast_event_study(r, m, None, None, [1, 1], [200, 300], model="market")
    assert list(res.status) == [PairStatus.OK, PairStatus.OK] and res.n_est[0] == 190
    res = fast_event_study(
        r, m, None, None, [1, 1], [200, 300], model="market", truncate_estimation=False
    )
    assert list(res.status) == [PairStatus.TOO_FEW_OBS, PairStatus.OK]


def test_instrument_without_any_return():
    r, m = small_panel()
    r[:, 1] = np.nan
    res = fast_event_study(r, m, None, None, [1, 0], [300, 300], model="market")
    assert list(res.status) == [PairStatus.NO_SESSION, PairStatus.OK]
    assert (res.rows[0] == -1).all() and res.n_est[0] == 0


def test_errors_name_the_problem():
    r, m = small_panel()
    with pytest.raises(FastPathError, match="valid names: constant_mean"):
        fast_event_study(r, m, None, None, [0], [300], model="garch")
    with pytest.raises(EventStudyError, match=r"not inside event_window"):
        fast_event_study(r, m, None, None, [0], [300], model="market", car_windows=[(0, 9)])
    with pytest.raises(ValueError, match=r"day0\[1\] = 400 is outside"):
        fast_event_study(r, m, None, None, [0, 0], [300, 400], model="market")
    with pytest.raises(FastPathError, match="instrument_idx"):
        fast_event_study(r, m, None, None, [2], [300], model="market")
    with pytest.raises(FastPathError, match="needs market"):
        fast_event_study(r, None, None, None, [0], [300], model="market")
    with pytest.raises(FastPathError, match="market_idx"):
        fast_event_study(r, np.column_stack([m, m]), None, None, [0], [300], model="market")
    assert {"market", "factor", "constant_mean", "market_adjusted"} == set(FAST_MODELS)


# ----------------------------------------------------------------------------------------
# cross-sectional tests and frames
# ----------------------------------------------------------------------------------------


def test_estudy2_published_daily_statistics(estudy2_dir):
    """AAR, Brown-Warner 1980 and the cross-sectional t of the estudy2 introduction."""
    rates = pd.read_csv(estudy2_dir / "rates.csv", index_col="date", parse_dates=True)
    index = pd.read_csv(estudy2_dir / "rates_indx.csv", index_col="date", parse_dates=True)
    expected = pd.read_csv(estudy2_dir / "expected_daily.csv", parse_dates=["date"])
    dates = rates.index
    day0 = dates.searchsorted(pd.Timestamp("2020-03-16"))
    n_est = int(dates.searchsorted(pd.Timestamp("2020-03-14")))  # 2019-04-02 .. 2020-03-13
    k = rates.shape[1]
    res = fast_event_study(
        rates.to_numpy(), index["^GSPC"].to_numpy(), None, None, np.arange(k), np.full(k, day0),
        model="market", estimation=(-n_est, -1), event_window=(0, 4), car_windows=[(0, 4)],
        ddof=1,
    )  # fmt: skip
    # README: L = 240, 227, 212, 240, 240, 240, 240 and the fitted alpha/beta (6 decimals)
    np.testing.assert_array_equal(res.n_est, [240, 227, 212, 240, 240, 240, 240])
    alpha = [0.000134, 0.002517, -0.002549, -0.000140, 0.002955, 0.000280, -0.003810]
    beta = [0.864635, 0.306388, 1.134434, 0.958200, 1.227284, 1.034075, 0.692842]
    np.testing.assert_allclose(res.alpha, alpha, atol=5e-7)
    np.testing.assert_allclose(res.beta[:, 0], beta, atol=5e-7)
    tests = res.tests
    assert tests is not None
    np.testing.assert_array_equal(dates[res.rows[0]], expected["date"])
    for ours, theirs in (("aar", "aar"), ("bw", "bw_1980"), ("cs_t", "t_test")):
        np.testing.assert_allclose(getattr(tests, ours)[0], expected[theirs], rtol=1e-6)


def test_cross_sectional_tests_by_group(synthetic):
    s = synthetic
    args = (s["returns"], s["market"], s["market_idx"], None, s["inst"], s["day0"])
    groups = np.arange(len(s["inst"])) % 3
    res = fast_event_study(*args, model="market", groups=groups)
    cs = res.tests
    assert cs is not None and cs.n.shape == (3, 11)
    ok = res.status == PairStatus.OK
    for g in range(3):
        for j in (0, 5, 10):
            sel = (groups == g) & ok & np.isfinite(res.ar[:, j])
            a = res.ar[sel, j]
            z = a / res.ar_se[sel, j]
            nu = res.df[sel]
            n = sel.sum()
            assert cs.n[g, j] == n
            np.testing.assert_allclose(cs.aar[g, j], a.mean(), rtol=1e-12)
            bw = a.mean() / (np.sqrt(res.s2[sel].sum()) / n)
            np.testing.assert_allclose(cs.bw[g, j], bw, rtol=1e-12)
            t_cs = stats.ttest_1samp(a, 0.0)
            np.testing.assert_allclose(cs.cs_t[g, j], t_cs.statistic, rtol=1e-10)
            np.testing.assert_allclose(cs.cs_t_p[g, j], t_cs.pvalue, rtol=1e-9)
            patell = z.sum() / np.sqrt((nu / (nu - 2)).sum())
            np.testing.assert_allclose(cs.patell[g, j], patell, rtol=1e-12)
            np.testing.assert_allclose(cs.patell_p[g, j], 2 * stats.norm.sf(abs(patell)))
            t_bmp = stats.ttest_1samp(z, 0.0)
            np.testing.assert_allclose(cs.bmp[g, j], t_bmp.statistic, rtol=1e-10)
            np.testing.assert_allclose(cs.bmp_p[g, j], t_bmp.pvalue, rtol=1e-9)
        sel = (groups == g) & ok & np.isfinite(res.car[:, 0])
        np.testing.assert_allclose(cs.caar[g, 0], res.car[sel, 0].mean(), rtol=1e-12)
        bw = res.car[sel, 0].mean() / (np.sqrt(3 * res.s2[sel].sum()) / sel.sum())
        np.testing.assert_allclose(cs.car_bw[g, 0], bw, rtol=1e-12)
    pooled = cross_sectional_tests(res)
    sel = ok & np.isfinite(res.ar[:, 5])
    np.testing.assert_allclose(pooled.aar[0, 5], res.ar[sel, 5].mean(), rtol=1e-12)
    daily = cs.daily_frame(["a", "b", "c"])
    assert len(daily) == 33 and list(daily["group"].cat.categories) == ["a", "b", "c"]
    assert list(cs.window_frame()["window"].cat.categories) == ["(-1, 1)", "(0, 0)", "(0, 5)"]


def test_frames_are_tidy_and_typed(synthetic):
    s = synthetic
    t = s["returns"].shape[0]
    dates = pd.bdate_range("2020-01-01", periods=t)
    names = [f"S{j}" for j in range(6)]
    res = fast_event_study(
        s["returns"], s["market"], s["market_idx"], None, s["inst"], s["day0"], model="market",
        car_windows=CARS,
    )  # fmt: skip
    p = len(s["inst"])
    events = [f"E{j % 10}" for j in range(p)]
    ar = res.abnormal_returns_frame(dates, events, names)
    assert list(ar.columns) == ["event_id", "instrument", "rel_day", "date", "ar", "se", "t", "p"]
    assert len(ar) == p * 11
    assert isinstance(ar["event_id"].dtype, pd.CategoricalDtype)
    assert isinstance(ar["instrument"].dtype, pd.CategoricalDtype)
    row = 11 * 7 + 5  # pair 7, day 0
    assert ar["instrument"].iloc[row] == names[s["inst"][7]]
    assert ar["event_id"].iloc[row] == events[7]
    assert ar["rel_day"].iloc[row] == 0
    assert ar["date"].iloc[row] == dates[res.rows[7, 5]]
    assert ar["ar"].iloc[row] == res.ar[7, 5]
    assert ar["date"].isna().sum() == (res.rows < 0).sum()
    # time-zone aware dates keep their zone
    ar_tz = res.abnormal_returns_frame(dates.tz_localize("Europe/Moscow"), events, names)
    assert str(ar_tz["date"].dt.tz) == "Europe/Moscow"
    assert ar_tz["date"].iloc[row] == dates[res.rows[7, 5]].tz_localize("Europe/Moscow")
    with pytest.raises(FastPathError, match="date index"):
        res.abnormal_returns_frame(dates[:100], events, names)
    car = res.cars_frame(pd.Categorical(events), names)
    assert list(car.columns) == ["event_id", "instrument", "window", "car", "se", "t", "p"]
    assert len(car) == p * len(CARS)
    assert car["window"].iloc[3] == "(-5, 5)"
    np.testing.assert_equal(car["car"].to_numpy(), res.car.ravel())
    pairs = res.pairs_frame(events, names)
    assert set(pairs["status"]) == {"ok", "too_few_obs", "no_session"}
    with pytest.raises(FastPathError, match="event_ids"):
        res.cars_frame(events[:-1], names)


# ----------------------------------------------------------------------------------------
# p-values from the interpolation table
# ----------------------------------------------------------------------------------------


def test_p_value_table_matches_scipy():
    rng = np.random.default_rng(0)
    dfs = np.array([1, 2, 3, 5, 10, 30, 98, 238, 1000, 100_000])
    table = _TTable(dfs)
    t = np.concatenate(
        [rng.uniform(-12, 12, 20_000), rng.normal(0, 2, 20_000), np.arange(0, 12, 1 / 256)]
    )
    t = np.concatenate([t, [0.0, 11.999, 12.0, 13.5, -40.0, 80.0, np.nan, np.inf]])
    got = np.empty((len(dfs), len(t)))
    table(np.broadcast_to(t, got.shape), dfs, got)
    for k, df in enumerate(dfs):
        want = 2 * stats.t.sf(np.abs(t), df)
        np.testing.assert_allclose(got[k], want, rtol=1e-10, atol=0)
    # df not in the table fall back to scipy
    got = np.empty((1, 500))
    table(t[None, :500], np.array([7]), got)
    np.testing.assert_allclose(got[0], 2 * stats.t.sf(np.abs(t[:500]), 7), rtol=1e-14)


def test_many_pairs_use_the_table_and_match_exact_p():
    rng = np.random.default_rng(5)
    t, n = 600, 20
    m = rng.normal(0, 0.01, t)
    r = 0.9 * m[:, None] + rng.normal(0, 0.01, (t, n))
    inst = rng.integers(0, n, 3_000)
    day0 = rng.integers(260, t - 6, 3_000)
    fast = fast_event_study(r, m, None, None, inst, day0, model="market")
    exact = fast_event_study(r, m, None, None, inst, day0, model="market", exact_p=True)
    assert _TTable.for_values(fast.df, 14) is not None  # the table was worth building
    np.testing.assert_allclose(fast.ar_p, exact.ar_p, rtol=1e-10, atol=0)
    np.testing.assert_allclose(fast.car_p, exact.car_p, rtol=1e-10, atol=0)
    np.testing.assert_array_equal(fast.ar_t, exact.ar_t)
