"""The estudy2 introduction example, reproduced column by column.

Inputs and expected values: ``../shared/data/oracles/estudy2`` (data of the R package estudy2
and the numbers printed in its introduction article; see the README there).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eventstudy.study import EventStudy

COLUMNS = [
    "aar",
    "bw_1980",
    "bw_1985",
    "t_test",
    "patell",
    "bmp",
    "lamb",
    "sign",
    "gsign",
    "corrado_sign",
    "rank",
    "mrank",
    "wilcoxon",
]

# README: fitted alpha/beta and estimation lengths per security
FITTED = {
    "AMZN": (0.000134, 0.864635, 240),
    "ZM": (0.002517, 0.306388, 227),
    "UBER": (-0.002549, 1.134434, 212),
    "NFLX": (-0.000140, 0.958200, 240),
    "SHOP": (0.002955, 1.227284, 240),
    "FB": (0.000280, 1.034075, 240),
    "UPWK": (-0.003810, 0.692842, 240),
}


@pytest.fixture(scope="module")
def inputs(estudy2_dir):
    rates = pd.read_csv(estudy2_dir / "rates.csv", index_col="date", parse_dates=["date"])
    rates_indx = pd.read_csv(estudy2_dir / "rates_indx.csv", index_col="date", parse_dates=["date"])
    expected = pd.read_csv(estudy2_dir / "expected_daily.csv", parse_dates=["date"])
    return rates, rates_indx, expected.set_index("date")


@pytest.fixture(scope="module")
def result(inputs):
    rates, rates_indx, _ = inputs
    return EventStudy(rates, market=rates_indx["^GSPC"], model="market").run(
        estimation=("2019-04-01", "2020-03-13"), event_window=("2020-03-16", "2020-03-20")
    )


def test_input_structure(inputs):
    rates, rates_indx, expected = inputs
    assert list(rates.columns) == list(FITTED)
    # ZM and UBER are NaN before their IPOs, and nothing else is missing
    assert rates["ZM"].first_valid_index() > rates.index[0]
    assert rates["UBER"].first_valid_index() > rates.index[0]
    assert rates.drop(columns=["ZM", "UBER"]).notna().all().all()
    assert rates.index.equals(rates_indx.index)
    assert list(expected.columns) == COLUMNS


@pytest.mark.parametrize("column", COLUMNS)
def test_daily_column_matches_estudy2(result, inputs, column):
    expected = inputs[2][column]
    got = result.daily_tests().set_index("date")[column]
    got = got.reindex(expected.index)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-6, atol=0)


@pytest.mark.parametrize(
    ("test", "value", "rtol"),
    [("bw_1985", 3.948093, 1e-6), ("lamb", 3.846464, 1e-6), ("rank", 3.0537, 2e-5)],
    ids=["car_brown_warner_1985", "car_lamb", "car_rank_test"],
)
def test_window_statistics(result, test, value, rtol):
    wt = result.window_tests("(0,4)")
    assert wt.loc[test, "statistic"] == pytest.approx(value, rel=rtol)


def test_car_mean_is_mean_daily_aar(result):
    # README: car_mean 0.02213319 is the mean daily AAR over the window
    assert result.daily_tests()["aar"].mean() == pytest.approx(0.02213319, rel=1e-6)


@pytest.mark.parametrize("instrument", list(FITTED))
def test_fitted_parameters_and_lengths(result, instrument):
    alpha, beta, nobs = FITTED[instrument]
    row = result.fits.set_index("instrument").loc[instrument]
    assert row["nobs"] == nobs
    assert row["alpha"] == pytest.approx(alpha, abs=5e-7)
    assert row["beta"] == pytest.approx(beta, abs=5e-7)


def test_missing_returns_reported_not_filled(result):
    p = result.problems
    missing = p[p["kind"] == "missing_returns"].set_index("instrument")["count"]
    # 240 estimation dates; ZM has 227 and UBER 212 returns (README)
    assert missing.to_dict() == {"ZM": 13, "UBER": 28}
    est = result.estimation_residuals
    assert est.groupby("instrument").size().to_dict() == {k: v[2] for k, v in FITTED.items()}
    assert est["ar"].notna().all()


def test_oracle_result_tables(result):
    ar = result.abnormal_returns
    assert list(ar.columns) == [
        *["event_id", "instrument", "rel_day", "date", "ar", "se", "t", "p"],
        "day0_group",
    ]
    assert len(ar) == 7 * 5
    # one calendar-mode "event": no day 0 is shared, each pair is its own group
    assert (ar["day0_group"] == ar["event_id"]).all()
    assert sorted(ar["rel_day"].unique()) == [0, 1, 2, 3, 4]
    cars = result.cars
    assert list(cars.columns) == [
        *["event_id", "instrument", "window", "car", "se", "t", "p"],
        "day0_group",
    ]
    assert (cars["day0_group"] == cars["event_id"]).all()
    # CAR of each security is the sum of its daily ARs
    summed = ar.groupby("instrument")["ar"].sum()
    np.testing.assert_allclose(cars.set_index("instrument")["car"][summed.index], summed)


def test_dummy_regression_reproduces_market_model_on_estudy2_data(inputs):
    # one OLS per security with a dummy per event day (Karafiath 1988): the dummies are the
    # market-model abnormal returns and their nonrobust SEs the prediction standard errors
    rates, rates_indx, _ = inputs
    st = EventStudy(rates, market=rates_indx["^GSPC"], model="market")
    kw = {"estimation": ("2019-04-01", "2020-03-13"), "event_window": ("2020-03-16", "2020-03-20")}
    mm = st.run(**kw)
    dr = st.dummy_regression(cov_type="nonrobust", **kw)
    a = mm.abnormal_returns.sort_values(["instrument", "rel_day"]).reset_index(drop=True)
    b = dr.abnormal_returns.sort_values(["instrument", "rel_day"]).reset_index(drop=True)
    np.testing.assert_allclose(b["ar"], a["ar"], rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(b["se"], a["se"], rtol=1e-9)


@pytest.mark.parametrize(
    "conventions",
    [{"market_mean": "own"}, {"sigma_ddof": "df_resid"}, {"prediction_correction": False}],
    ids=["market_mean_own", "sigma_df_resid", "no_prediction_correction"],
)
def test_other_conventions_do_not_reproduce_estudy2(inputs, conventions):
    # the defaults are what matches: each alternative moves Patell off the printed values
    from eventstudy.inference import Conventions

    rates, rates_indx, expected = inputs
    res = EventStudy(rates, market=rates_indx["^GSPC"]).run(
        estimation=("2019-04-01", "2020-03-13"),
        event_window=("2020-03-16", "2020-03-20"),
        conventions=Conventions(**conventions),
    )
    got = res.daily_tests(["patell"]).set_index("date")["patell"].reindex(expected.index)
    rel = np.abs(got / expected["patell"] - 1)
    assert rel.max() > 1e-5


def test_event_mode_reproduces_calendar_mode(inputs):
    # 2020-03-16 is preceded by 240 sessions from 2019-04-02; ZM and UBER trade on every
    # date after their IPOs, so relative windows on their own sessions select the same rows.
    # With market_mean="own" the leverage uses the same dates in both modes, so every column
    # agrees (with the default "window", event mode takes the market mean over the dates
    # spanned by the instrument's own, truncated, estimation window).
    from eventstudy.inference import Conventions

    rates, rates_indx, expected = inputs
    conv = Conventions(market_mean="own")
    study = EventStudy(rates, market=rates_indx["^GSPC"])
    calendar = study.run(
        estimation=("2019-04-01", "2020-03-13"),
        event_window=("2020-03-16", "2020-03-20"),
        conventions=conv,
    )
    events = pd.DataFrame({"event_id": ["covid"], "date": ["2020-03-16"]})
    res = study.run(events, estimation=(-240, -1), event_windows=[(0, 4)], conventions=conv)
    truncated = res.problems.query("kind == 'estimation_truncated'")
    assert truncated.set_index("instrument")["count"].to_dict() == {"ZM": 13, "UBER": 28}
    pd.testing.assert_frame_equal(
        res.daily_tests(), calendar.daily_tests().drop(columns="date"), rtol=1e-12
    )
    pd.testing.assert_frame_equal(
        res.abnormal_returns.drop(columns=["event_id", "day0_group"]),
        calendar.abnormal_returns.drop(columns=["event_id", "day0_group"]),
        rtol=1e-12,
    )
    # columns that do not involve the leverage match estudy2 in event mode too
    same = ["aar", "bw_1980", "bw_1985", "t_test", "sign", "gsign", "corrado_sign", "rank"]
    got = res.daily_tests().set_index(expected.index)[same]
    np.testing.assert_allclose(got.to_numpy(), expected[same].to_numpy(), rtol=1e-6)
