"""Event mode: day 0 on each instrument's sessions, windows, bad input, problems, outputs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from eventstudy.errors import EventStudyError
from eventstudy.results import EventStudyResult
from eventstudy.study import EventStudy, EventStudyInputError


def _data(n: int = 500, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2020-01-01", periods=n)
    m = pd.Series(rng.normal(0, 0.01, n), index=idx, name="MKT")
    r = pd.DataFrame(
        {
            c: 0.0001 + b * m.to_numpy() + rng.normal(0, 0.015, n)
            for c, b in [("A", 0.8), ("B", 1.1), ("C", 0.9)]
        },
        index=idx,
    )
    return r, m


def _events(*dates, ids=None, **cols) -> pd.DataFrame:
    ids = ids or [f"e{i}" for i in range(len(dates))]
    return pd.DataFrame({"event_id": ids, "date": list(dates), **cols})


def _kinds(res: EventStudyResult, event_id=None, instrument=None) -> list[str]:
    p = res.problems
    if event_id is not None:
        p = p[p["event_id"] == event_id]
    if instrument is not None:
        p = p[p["instrument"] == instrument]
    return list(p["kind"])


def test_day0_and_relative_days_on_own_sessions():
    r, m = _data()
    event_date = r.index[400]
    r.loc[event_date, "B"] = np.nan  # B does not trade on the event date
    r.loc[r.index[402], "B"] = np.nan  # nor two sessions later
    res = EventStudy(r, market=m).run(_events(event_date), event_windows=[(-1, 3)])
    fits = res.fits.set_index("instrument")
    assert fits.loc["A", "day0"] == event_date
    assert fits.loc["B", "day0"] == r.index[401]  # first own session on/after the date
    ar = res.abnormal_returns.set_index(["instrument", "rel_day"])["date"]
    assert [ar[("A", d)] for d in range(-1, 4)] == list(r.index[399:404])
    # B's sessions skip 400 and 402: day -1 = 399, 0 = 401, 1 = 403, 2 = 404, 3 = 405
    assert [ar[("B", d)] for d in range(-1, 4)] == [r.index[i] for i in (399, 401, 403, 404, 405)]
    # the default estimation window (-250, -11) holds 240 sessions ending 11 before day 0
    assert (fits["nobs"] == 240).all()
    est = res.estimation_residuals
    a_est = est[est["instrument"] == "A"]
    assert a_est["date"].max() == r.index[389] and a_est["date"].min() == r.index[150]


def test_event_on_weekend_maps_to_next_session():
    r, m = _data()
    saturday = r.index[400] + pd.offsets.Week(weekday=5)
    res = EventStudy(r, market=m).run(_events(saturday))
    assert (res.fits["day0"] > saturday).all()
    assert (res.fits["day0"] == r.index[r.index > saturday][0]).all()


def test_estimation_model_matches_direct_ols():
    r, m = _data()
    res = EventStudy(r, market=m).run(_events(r.index[420]), estimation=(-200, -21))
    x = sm.add_constant(m.iloc[220:400].to_numpy())
    for inst in r.columns:
        params = sm.OLS(r[inst].iloc[220:400].to_numpy(), x).fit().params
        fit = res.fits.set_index("instrument").loc[inst]
        np.testing.assert_allclose([fit["alpha"], fit["beta"]], params, rtol=1e-10)


def test_too_few_estimation_observations_reported_and_configurable():
    r, m = _data()
    early = r.index[100]  # sessions 0..89 before day -11: 90 < 100
    res = EventStudy(r, market=m).run(_events(early, r.index[400]))
    assert _kinds(res, "e0", "A") == ["estimation_truncated", "too_few_observations"]
    assert set(res.abnormal_returns["event_id"]) == {"e1"}
    row = res.problems[res.problems["kind"] == "too_few_observations"].iloc[0]
    assert row["count"] == 90 and "min_estimation=100" in row["message"]
    ok = EventStudy(r, market=m).run(_events(early), min_estimation=90)
    assert len(ok.fits) == 3 and (ok.fits["nobs"] == 90).all()


def test_events_outside_the_data():
    r, m = _data()
    after = r.index[-1] + pd.Timedelta(days=10)
    before = r.index[0] - pd.Timedelta(days=10)
    res = EventStudy(r, market=m).run(_events(after, before, r.index[400]))
    assert _kinds(res, "e0") == ["outside_data"] * 3
    assert "after the last return" in res.problems.query("event_id == 'e0'")["message"].iloc[0]
    assert "outside_data" in _kinds(res, "e1", "A") and "too_few_observations" in _kinds(
        res, "e1", "A"
    )
    assert set(res.fits["event_id"]) == {"e2"}


def test_event_window_that_does_not_fit():
    r, m = _data()
    res = EventStudy(r, market=m).run(_events(r.index[-3]), event_windows=[(0, 0), (0, 5)])
    assert "event_window_truncated" in _kinds(res, "e0", "A")
    cars = res.cars.set_index(["instrument", "window"])["car"]
    assert cars[("A", "(0,5)")] != cars[("A", "(0,5)")]  # NaN: 3 of 6 days missing
    assert np.isfinite(cars[("A", "(0,0)")])
    assert sorted(res.abnormal_returns.query("instrument == 'A'")["rel_day"]) == [0, 1, 2]


def test_duplicate_events():
    r, m = _data()
    with pytest.raises(EventStudyInputError, match="duplicate event_id"):
        EventStudy(r, market=m).run(_events(r.index[400], r.index[410], ids=["x", "x"]))
    # two distinct events on the same day: by default both are studied and reported as
    # sharing day 0 (tests/study/test_same_day_events.py checks the numbers) ...
    two = _events(r.index[400], r.index[400], ids=["x", "y"])
    res = EventStudy(r, market=m).run(two)
    assert _kinds(res, "y") == ["shared_day0"] * 3 and _kinds(res, "x") == []
    assert "'x'" in res.problems.query("event_id == 'y'")["message"].iloc[0]
    assert set(res.fits["event_id"]) == {"x", "y"}
    # ... and with same_day0="drop" the later one is left out, as a reported duplicate
    res = EventStudy(r, market=m).run(two, same_day0="drop")
    assert _kinds(res, "y") == ["duplicate"] * 3
    assert "'x'" in res.problems.query("event_id == 'y'")["message"].iloc[0]
    assert set(res.fits["event_id"]) == {"x"}
    with pytest.raises(EventStudyInputError, match="same_day0 must be"):
        EventStudy(r, market=m).run(two, same_day0="keep")  # type: ignore[arg-type]


def test_unparseable_event_date_reported_per_event():
    r, m = _data()
    res = EventStudy(r, market=m).run(_events("not a date", r.index[400]))
    row = res.problems.query("event_id == 'e0'").iloc[0]
    assert row["kind"] == "bad_date" and "unparseable" in row["message"]
    assert set(res.fits["event_id"]) == {"e1"}


def test_events_need_id_and_date_columns():
    r, m = _data()
    with pytest.raises(EventStudyInputError, match="lacks column"):
        EventStudy(r, market=m).run(pd.DataFrame({"date": [r.index[400]]}))


def test_non_numeric_column_rejected():
    r, m = _data()
    r["name"] = "text"
    with pytest.raises(EventStudyInputError, match="'name'"):
        EventStudy(r, market=m)
    assert issubclass(EventStudyInputError, EventStudyError)


def test_nans_are_skipped_and_counted_never_filled():
    r, m = _data()
    r.iloc[200:207, 0] = np.nan  # 7 missing returns of A inside its estimation window
    m_missing = m.copy()
    m_missing.iloc[300:303] = np.nan  # 3 missing market returns
    m_missing.iloc[401] = np.nan  # market missing on an event day
    res = EventStudy(r, market=m_missing).run(_events(r.index[400]), event_windows=[(-1, 1)])
    pa = res.problems.query("instrument == 'A'").set_index("kind")["count"]
    assert pa["missing_returns"] == 7
    assert list(
        res.problems.query("instrument == 'B' and kind == 'missing_regressor'")["count"]
    ) == [3, 1]
    fits = res.fits.set_index("instrument")["nobs"]
    assert fits["A"] == 240 - 3 and fits["B"] == 240 - 3
    ar = res.abnormal_returns.set_index(["instrument", "rel_day"])["ar"]
    assert np.isnan(ar[("B", 1)]) and np.isfinite(ar[("B", 0)])
    cars = res.cars.set_index("instrument")["car"]
    assert np.isnan(cars["B"])  # a CAR with a missing day is missing, not a partial sum


def test_contamination_reported_and_excluded():
    r, m = _data()
    ev = _events(r.index[300], r.index[420])
    rep = EventStudy(r[["A"]], market=m).run(ev, event_windows=[(-2, 2)])
    row = rep.problems.query("event_id == 'e1' and kind == 'contamination'").iloc[0]
    assert "e0" in row["message"] and row["count"] == 5
    exc = EventStudy(r[["A"]], market=m).run(ev, event_windows=[(-2, 2)], contamination="exclude")
    fit = exc.fits.set_index("event_id").loc["e1"]
    assert fit["nobs"] == 240 - 5
    keep = [i for i in range(170, 410) if not 298 <= i <= 302]
    params = (
        sm.OLS(r["A"].iloc[keep].to_numpy(), sm.add_constant(m.iloc[keep].to_numpy())).fit().params
    )
    np.testing.assert_allclose([fit["alpha"], fit["beta"]], params, rtol=1e-10)


def test_overlapping_event_windows_reported():
    r, m = _data()
    res = EventStudy(r[["A"]], market=m).run(
        _events(r.index[400], r.index[402]), event_windows=[(-2, 2)]
    )
    assert "overlap" in _kinds(res, "e0") and "overlap" in _kinds(res, "e1")


def test_day0_hook_callable_and_frame():
    r, m = _data()
    ev = _events(r.index[400])

    def next_session(date, instrument, sessions):
        return sessions[sessions > date][0]

    res = EventStudy(r, market=m).run(ev, day0=next_session)
    assert (res.fits["day0"] == r.index[401]).all()
    frame = pd.DataFrame(
        {
            "event_id": ["e0"] * 3,
            "instrument": ["A", "B", "C"],
            "day0": [r.index[402], r.index[403], None],
        }
    )
    res2 = EventStudy(r, market=m).run(ev, day0=frame)
    assert res2.fits.set_index("instrument")["day0"].to_dict() == {
        "A": r.index[402],
        "B": r.index[403],
    }
    assert _kinds(res2, "e0", "C") == ["no_day0"]
    # the wide shape (index event_id, one column per instrument) is accepted too
    wide = pd.DataFrame({"A": [r.index[402]], "B": [r.index[403]], "C": [pd.NaT]}, index=["e0"])
    res3 = EventStudy(r, market=m).run(ev, day0=wide)
    pd.testing.assert_frame_equal(res3.fits, res2.fits)
    bad = EventStudy(r, market=m).run(ev, day0=lambda d, i, s: pd.Timestamp("2035-01-01"))
    assert _kinds(bad, "e0") == ["no_day0"] * 3


def test_events_with_instrument_column():
    r, m = _data()
    ev = _events(r.index[400], r.index[410], instrument=["A", "ZZZ"])
    res = EventStudy(r, market=m).run(ev)
    assert list(zip(res.fits["event_id"], res.fits["instrument"], strict=True)) == [("e0", "A")]
    assert _kinds(res, "e1") == ["unknown_instrument"]


def test_window_and_mode_errors():
    r, m = _data()
    st = EventStudy(r, market=m)
    with pytest.raises(EventStudyInputError, match="needs events"):
        st.run(estimation=(-250, -11), event_window=(-1, 1))
    with pytest.raises(EventStudyInputError, match="after last day"):
        st.run(_events(r.index[400]), event_windows=[(2, -2)])
    with pytest.raises(EventStudyInputError, match="event_window"):
        st.run(estimation=("2020-01-01", "2020-06-01"))
    with pytest.raises(EventStudyInputError, match="no dates"):
        st.run(estimation=("2020-01-01", "2020-06-01"), event_window=("2030-01-01", "2030-01-05"))
    with pytest.raises(EventStudyInputError, match="unknown engine"):
        st.run(_events(r.index[400]), engine="turbo")
    with pytest.raises(EventStudyError, match="valid models"):
        EventStudy(r, market=m, model="capm")
    with pytest.raises(EventStudyInputError, match="needs a market"):
        EventStudy(r, model="market")


def test_aggregates_by_catalog_column():
    r, m = _data()
    ev = _events(
        r.index[300], r.index[400], r.index[450], category=["sanction", "agree", "sanction"]
    )
    res = EventStudy(r, market=m).run(ev, event_windows=[(-1, 1), (0, 0)])
    agg = res.aggregate("category").set_index(["category", "rel_day"])
    ar = res.abnormal_returns.merge(ev[["event_id", "category"]], on="event_id")
    manual = ar.groupby(["category", "rel_day"])["ar"].mean()
    np.testing.assert_allclose(agg["aar"], manual[agg.index], rtol=1e-12)
    assert agg.loc[("sanction", 0), "n"] == 6
    caar = agg.loc["agree", "caar"]
    np.testing.assert_allclose(caar, np.cumsum(manual["agree"]), rtol=1e-12)
    cars = res.aggregate_cars("category").set_index(["category", "window"])
    assert cars.loc[("agree", "(0,0)"), "n"] == 3
    sub = res.daily_tests(where={"category": "agree"})
    assert (sub["n"] == 3).all()
    assert res.aggregate("instrument")["n"].sum() == len(res.abnormal_returns)
    both = res.aggregate_cars(["category", "instrument"]).set_index(
        ["category", "instrument", "window"]
    )
    manual_car = res.cars.merge(ev[["event_id", "category"]], on="event_id")
    manual_car = manual_car.groupby(["category", "instrument", "window"])["car"].mean()
    np.testing.assert_allclose(both["mean_car"], manual_car[both.index], rtol=1e-12)
    with pytest.raises(KeyError, match="catalog columns"):
        res.aggregate("direction")


def test_result_is_read_only_and_inputs_untouched():
    r, m = _data()
    r0, m0 = r.copy(), m.copy()
    ev = _events(r.index[400])
    ev0 = ev.copy()
    res = EventStudy(r, market=m).run(ev)
    pd.testing.assert_frame_equal(r, r0)
    pd.testing.assert_series_equal(m, m0)
    pd.testing.assert_frame_equal(ev, ev0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.mode = "calendar"  # type: ignore[misc]
    frame = res.abnormal_returns
    frame["ar"] = 0.0
    assert (res.abnormal_returns["ar"] != 0).all()
    with pytest.raises(TypeError):
        res.windows["(0,9)"] = (0, 9)  # type: ignore[index]
    events = res.events
    events["date"] = pd.NaT
    assert res.events["date"].notna().all()


def test_returns_with_date_column_give_same_result():
    r, m = _data()
    ev = _events(r.index[400])
    a = EventStudy(r, market=m).run(ev).abnormal_returns
    b = EventStudy(r.reset_index(names="date"), market=m).run(ev).abnormal_returns
    pd.testing.assert_frame_equal(a, b)


def test_export_csv_and_parquet(tmp_path):
    r, m = _data()
    res = EventStudy(r, market=m).run(_events(r.index[400], r.index[450]), event_windows=[(-1, 1)])
    paths = res.to_csv(tmp_path / "csv")
    names = {p.name for p in paths}
    assert {
        "abnormal_returns.csv",
        "cars.csv",
        "daily_tests.csv",
        "problems.csv",
        "fits.csv",
    } <= names
    back = pd.read_csv(tmp_path / "csv" / "abnormal_returns.csv")
    np.testing.assert_allclose(back["ar"], res.abnormal_returns["ar"], rtol=1e-12)
    res.to_parquet(tmp_path / "pq")
    cars = pd.read_parquet(tmp_path / "pq" / "cars.parquet")
    pd.testing.assert_frame_equal(cars, res.cars, check_dtype=False)


def test_summary_and_window_tests():
    r, m = _data()
    res = EventStudy(r, market=m).run(
        _events(r.index[300], r.index[400], r.index[450]), event_windows=[(-1, 1)]
    )
    text = res.summary()
    assert "Window (-1,1)" in text and "Patell (1976)" in text and "market" in text
    wt = res.window_tests("(-1,1)")
    assert {"statistic", "pvalue", "distribution", "df", "null", "reference", "reason"} <= set(
        wt.columns
    )
    # the CAR t test on a window is the one-sample t of the pairs' CARs
    from scipy import stats

    t = stats.ttest_1samp(res.cars["car"], 0).statistic
    assert wt.loc["t_test", "statistic"] == pytest.approx(t)
    assert wt.loc["patell", "reason"] is None


def test_result_without_estimated_pairs_still_reports(tmp_path):
    r, m = _data()
    res = EventStudy(r, market=m).run(_events(r.index[-1] + pd.Timedelta(days=30)))
    assert res.n_pairs == 0 and len(res.problems) == 3
    assert "Window (-1,1)" in res.summary()
    names = {p.name for p in res.to_csv(tmp_path)}
    assert "problems.csv" in names and "daily_tests.csv" not in names
    with pytest.raises(ValueError, match="no estimated pairs"):
        res.daily_tests()
