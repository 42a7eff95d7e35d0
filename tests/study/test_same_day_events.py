"""Several events with the same day 0 on an instrument (``same_day0="share"`` / ``"drop"``).

Reference for every check: a study of the same returns holding only one event of each
(instrument, day 0). Events sharing a day 0 are the same market move, so in "share" mode each
must carry exactly that study's abnormal returns and CARs, while the tests and averages, which
count each (instrument, day 0) once, must equal that study's numbers. One AR is also recomputed
by hand with numpy least squares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eventstudy.inference import Conventions
from eventstudy.results import EventStudyResult
from eventstudy.study import ENGINES, EventStudy

AR_VALUES = ["rel_day", "date", "ar", "se", "t", "p"]
CAR_VALUES = ["window", "car", "se", "t", "p"]


def _data(n: int = 420, seed: int = 7) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2021-01-04", periods=n)  # a Monday; business days only
    m = pd.Series(rng.normal(0, 0.01, n), index=idx, name="MKT")
    r = pd.DataFrame(
        {
            c: 0.0002 + b * m.to_numpy() + rng.normal(0, 0.015, n)
            for c, b in [("A", 0.8), ("B", 1.2), ("C", 1.0)]
        },
        index=idx,
    )
    return r, m


def _events(dates, ids, **cols) -> pd.DataFrame:
    return pd.DataFrame({"event_id": ids, "date": list(dates), **cols})


def _rows(frame: pd.DataFrame, event_id: str, cols: list[str]) -> pd.DataFrame:
    key = "rel_day" if "rel_day" in cols else "window"
    sel = frame[frame["event_id"] == event_id].sort_values(["instrument", key])
    return sel[["instrument", *cols]].reset_index(drop=True)


def _kinds(res: EventStudyResult, event_id: str) -> list[str]:
    return list(res.problems.query("event_id == @event_id")["kind"])


KW = {"event_windows": [(-1, 1), (0, 0), (0, 3)]}


@pytest.fixture(scope="module")
def studies():
    """Events x and y on the same date; z later (x and y contaminate its estimation window);
    the reference study without y."""
    r, m = _data()
    d, other = r.index[350], r.index[400]
    study = EventStudy(r, market=m)
    both = study.run(_events([d, d, other], ["x", "y", "z"]), **KW)
    single = study.run(_events([d, other], ["x", "z"]), **KW)
    return r, m, both, single


def test_both_events_get_rows_equal_to_the_single_event_study(studies):
    _, _, both, single = studies
    ar, car = both.abnormal_returns, both.cars
    assert set(ar["event_id"]) == {"x", "y", "z"}
    ref_ar = _rows(single.abnormal_returns, "x", AR_VALUES)
    ref_car = _rows(single.cars, "x", CAR_VALUES)
    assert len(ref_ar) == 3 * 5 and len(ref_car) == 3 * 3  # 3 instruments x 5 days / 3 windows
    for eid in ("x", "y"):
        pd.testing.assert_frame_equal(_rows(ar, eid, AR_VALUES), ref_ar, check_exact=True)
        pd.testing.assert_frame_equal(_rows(car, eid, CAR_VALUES), ref_car, check_exact=True)
    # the sharing is visible: both rows point at the first event of the group
    assert set(ar.loc[ar["event_id"].isin(["x", "y"]), "day0_group"]) == {"x"}
    assert set(car.loc[car["event_id"].isin(["x", "y"]), "day0_group"]) == {"x"}
    assert set(ar.loc[ar["event_id"] == "z", "day0_group"]) == {"z"}
    fits = both.fits.set_index(["event_id", "instrument"])
    assert (fits.loc["y", "day0_group"] == "x").all()
    pd.testing.assert_frame_equal(
        fits.loc["y"].drop(columns="day0_group"), fits.loc["x"].drop(columns="day0_group")
    )


def test_shared_ar_matches_hand_computed_market_model(studies):
    r, m, both, _ = studies
    # day 0 = row 350; estimation (-250, -11) = rows 100..339; OLS by numpy least squares
    est = slice(100, 340)
    beta, alpha = np.polyfit(m.iloc[est], r["B"].iloc[est], 1)
    expected = r["B"].iloc[350] - (alpha + beta * m.iloc[350])
    ar = both.abnormal_returns.query("instrument == 'B' and rel_day == 0").set_index("event_id")
    assert ar.loc["x", "ar"] == pytest.approx(expected, rel=1e-9)
    assert ar.loc["y", "ar"] == ar.loc["x", "ar"]


def test_shared_pairs_are_reported_as_information(studies):
    _, _, both, single = studies
    assert _kinds(both, "y") == ["shared_day0"] * 3
    msg = both.problems.query("event_id == 'y'")["message"].iloc[0]
    assert "'x'" in msg and "counted once" in msg
    # neither event is "contamination" of or "overlapping" with the other
    assert _kinds(both, "x") == _kinds(single, "x") == []


def test_test_battery_counts_each_instrument_and_day0_once(studies):
    _, _, both, single = studies
    daily = both.daily_tests()
    pd.testing.assert_frame_equal(daily, single.daily_tests())
    # 2 distinct days 0 (x/y and z) on 3 instruments: 6 market moves, not 9 events
    assert (daily["n"] == 6).all()
    for w in ("(-1,1)", "(0,3)"):
        pd.testing.assert_frame_equal(both.window_tests(w), single.window_tests(w))
        assert both.window_tests(w).loc["t_test", "nobs"] == 6
    rec = both.test_records([0], ["patell", "grank"])
    ref = single.test_records([0], ["patell", "grank"])
    assert rec == ref
    pd.testing.assert_frame_equal(both.aggregate(), single.aggregate())
    pd.testing.assert_frame_equal(both.aggregate_cars(), single.aggregate_cars())
    pd.testing.assert_frame_equal(
        both.aggregate("instrument"), single.aggregate("instrument"), check_exact=True
    )
    pd.testing.assert_series_equal(both.caar, single.caar)
    assert both.panel().n_pairs == 6


def test_per_event_aggregates_keep_every_event(studies):
    _, _, both, _ = studies
    per_event = both.aggregate("event_id").query("rel_day == 0").set_index("event_id")
    assert per_event["n"].to_dict() == {"x": 3, "y": 3, "z": 3}
    assert per_event.loc["y", "aar"] == per_event.loc["x", "aar"]


def test_summary_footer_says_how_shared_days_are_counted(studies):
    _, _, both, _ = studies
    text = both.summary()
    assert "same_day0 = 'share': 3 pair(s) share an instrument and day 0" in text
    assert "(n = 6)" in text and "(n = 9)" not in text


def test_where_selects_before_counting_once():
    # x and y share day 0 but differ in category: selecting "agree" keeps y (the first
    # selected event of the group), and equals a study of y alone
    r, m = _data()
    d, other = r.index[350], r.index[400]
    cats = {"category": ["sanction", "agree", "agree"]}
    res = EventStudy(r, market=m).run(_events([d, d, other], ["x", "y", "z"], **cats), **KW)
    alone = EventStudy(r, market=m).run(
        _events([d, other], ["y", "z"], category=["agree", "agree"]), **KW
    )
    pd.testing.assert_frame_equal(res.daily_tests(where={"category": "agree"}), alone.daily_tests())
    by_cat = res.aggregate_cars("category").query("window == '(0,0)'").set_index("category")
    assert by_cat["n"].to_dict() == {"agree": 6, "sanction": 3}
    # overall, x and y are one move per instrument
    assert (res.daily_tests()["n"] == 6).all()


def test_drop_reproduces_the_previous_behaviour(studies):
    r, m, _, single = studies
    d, other = r.index[350], r.index[400]
    res = EventStudy(r, market=m).run(
        _events([d, d, other], ["x", "y", "z"]), same_day0="drop", **KW
    )
    assert "y" not in set(res.abnormal_returns["event_id"]) | set(res.cars["event_id"])
    assert _kinds(res, "y") == ["duplicate"] * 3
    assert (
        "excluded to avoid counting it twice"
        in res.problems.query("event_id == 'y'")["message"].iloc[0]
    )
    pd.testing.assert_frame_equal(res.abnormal_returns, single.abnormal_returns)
    pd.testing.assert_frame_equal(res.cars, single.cars)
    pd.testing.assert_frame_equal(res.daily_tests(), single.daily_tests())
    assert res.options["same_day0"] == "drop"
    assert "same_day0 = 'drop': 3 later event(s)" in res.summary()


def test_saturday_and_sunday_events_share_monday():
    r, m = _data()
    monday = r.index[350]
    assert monday.day_name() == "Monday"
    sat, sun = monday - pd.Timedelta(days=2), monday - pd.Timedelta(days=1)
    friday = r.index[349]
    study = EventStudy(r, market=m)
    res = study.run(_events([friday, sat, sun], ["fri", "sat", "sun"]), **KW)
    fits = res.fits.set_index(["event_id", "instrument"])
    assert (fits.loc["sat", "day0"] == monday).all() and (fits.loc["sun", "day0"] == monday).all()
    assert (fits.loc["fri", "day0"] == friday).all()
    assert set(res.fits.query("event_id == 'sun'")["day0_group"]) == {"sat"}
    assert _kinds(res, "sun").count("shared_day0") == 3
    assert "shared_day0" not in _kinds(res, "sat") + _kinds(res, "fri")
    # the event windows (-1, 3) of Friday and Monday overlap; sat and sun coincide (shared)
    overlap = res.problems.query("kind == 'overlap'")
    assert set(overlap["event_id"]) == {"fri", "sat", "sun"}
    msgs = overlap.groupby("event_id")["message"].agg(" ".join)
    assert "'fri'" in msgs["sat"] and "'sun'" not in msgs["sat"]
    assert "'fri'" in msgs["sun"] and "'sat'" not in msgs["sun"]
    monday_only = study.run(_events([monday], ["mon"]), **KW)
    ref = _rows(monday_only.cars, "mon", CAR_VALUES)
    for eid in ("sat", "sun"):
        pd.testing.assert_frame_equal(_rows(res.cars, eid, CAR_VALUES), ref)
    # Friday and Monday are two moves per instrument, the weekend pair one of them
    assert (res.daily_tests()["n"] == 6).all()
    pd.testing.assert_frame_equal(
        res.daily_tests(), study.run(_events([friday, sat], ["fri", "sat"]), **KW).daily_tests()
    )


def test_sharing_follows_each_instruments_own_sessions():
    # B does not trade on day d: events on d and d+1 share day 0 (d+1) on B only
    r, m = _data()
    r.loc[r.index[350], "B"] = np.nan
    res = EventStudy(r, market=m).run(
        _events([r.index[350], r.index[351]], ["x", "y"]), event_windows=[(-1, 1)]
    )
    groups = res.fits.set_index(["event_id", "instrument"])["day0_group"].to_dict()
    assert groups[("y", "A")] == "y" and groups[("y", "C")] == "y" and groups[("y", "B")] == "x"
    shared = res.problems.query("kind == 'shared_day0'")
    assert list(zip(shared["event_id"], shared["instrument"], strict=True)) == [("y", "B")]
    overlap = res.problems.query("kind == 'overlap'")
    assert set(overlap["instrument"]) == {"A", "C"}  # on B the windows coincide: shared
    # on day 0: A and C two moves each, B one
    assert res.daily_tests().loc[0, "n"] == 5


def test_same_day_events_are_not_contamination_of_each_other():
    # an estimation window reaching into the event window: with contamination="exclude" a
    # same-day event must not cut its partner's estimation (it IS the partner's event window)
    r, m = _data()
    d = r.index[350]
    kw = {"estimation": (-200, 0), "event_windows": [(-2, 2)], "contamination": "exclude"}
    study = EventStudy(r, market=m)
    both = study.run(_events([d, d], ["x", "y"]), **kw)
    single = study.run(_events([d], ["x"]), **kw)
    assert "contamination" not in _kinds(both, "x") + _kinds(both, "y")
    assert (both.fits["nobs"] == 201).all()
    for eid in ("x", "y"):
        pd.testing.assert_frame_equal(
            _rows(both.abnormal_returns, eid, AR_VALUES),
            _rows(single.abnormal_returns, "x", AR_VALUES),
        )


def test_contamination_of_a_later_event_counts_the_shared_days_once():
    r, m = _data()
    ev = _events([r.index[200], r.index[200], r.index[380]], ["x", "y", "z"])
    res = EventStudy(r[["A"]], market=m).run(ev, event_windows=[(-2, 2)], contamination="exclude")
    row = res.problems.query("event_id == 'z' and kind == 'contamination'").iloc[0]
    assert "'x'" in row["message"] and "'y'" in row["message"]
    assert row["count"] == 5  # days 198..202, once
    assert res.fits.set_index("event_id").loc["z", "nobs"] == 240 - 5


def test_the_estimate_is_fitted_once_per_group():
    r, m = _data()
    d = r.index[350]
    study = EventStudy(r, market=m)
    plan = study.plan(_events([d, d], ["x", "y"]), event_windows=[(-1, 1)])
    followers = [p for p in plan.pairs if p.shares_day0_with is not None]
    assert [(p.event_id, p.shares_day0_with) for p in followers] == [("y", "x")] * 3
    est, problems = ENGINES["statsmodels"](
        study.data, plan, study.model, Conventions(), prediction_error=True
    )
    by = {(e.window.event_id, e.window.instrument): e for e in est}
    for inst in r.columns:
        assert by[("y", inst)].fit is by[("x", inst)].fit  # reused, not refitted
        assert by[("y", inst)].window.event_id == "y"
    assert problems == []


def test_dummy_regression_gives_shared_events_the_same_car():
    r, m = _data()
    d = r.index[350]
    dr = EventStudy(r[["A"]], market=m).dummy_regression(
        _events([d, d], ["x", "y"]), event_windows=[(-1, 1)], cov_type="nonrobust"
    )
    cars = dr.cars.set_index("event_id")
    assert cars.loc["x", "car"] == pytest.approx(cars.loc["y", "car"], rel=1e-12)
    assert cars.loc["x", "se"] == pytest.approx(cars.loc["y", "se"], rel=1e-12)
