"""Calendars, known suspensions and event -> day 0 mapping."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from eventstudy.errors import DataFileError
from eventstudy.market import (
    CalendarError,
    event_day0,
    load_prices,
    load_suspensions,
    session_closes,
    trading_sessions,
)

T = pd.Timestamp


def test_suspension_file_has_the_moex_closure():
    (s,) = [x for x in load_suspensions() if x.id == "moex_equities_2022"]
    assert (s.start, s.end) == (T("2022-02-28"), T("2022-03-23"))
    assert {"IMOEX", "RTSI", "MCFTR"} <= set(s.instruments)


def test_bad_suspension_row_names_file_and_line(tmp_path):
    p = tmp_path / "susp.csv"
    p.write_text(
        "id,start,end,instruments,description,reference\n"
        "x,2022-02-28,2022-03-23,IMOEX,d,r\n"
        "y,2022-03-40,2022-03-23,IMOEX,d,r\n"
    )
    with pytest.raises(DataFileError, match=r"line 3.*start"):
        load_suspensions(p)


def test_trading_sessions_remove_the_suspension():
    sess = trading_sessions("IMOEX", "2022-02-21", "2022-03-25")
    assert not ((sess >= T("2022-02-28")) & (sess <= T("2022-03-23"))).any()
    # 23 Feb (Defender of the Fatherland Day) is a Moscow holiday
    assert list(sess) == [
        T(d)
        for d in (
            "2022-02-21",
            "2022-02-22",
            "2022-02-24",
            "2022-02-25",
            "2022-03-24",
            "2022-03-25",
        )
    ]
    # the FX calendar is unaffected
    fx = trading_sessions("USDRUB", "2022-02-28", "2022-03-04")
    assert len(fx) == 5


def test_sunday_event_day0_imoex_and_sp500():
    # the Done-when case: an event on Sunday 2022-02-27
    assert event_day0("2022-02-27", "IMOEX") == T("2022-03-24")
    assert event_day0("2022-02-27", "SP500") == T("2022-02-28")
    both = event_day0(["2022-02-27"], ["IMOEX", "SP500"])
    assert both.loc[0, "IMOEX"] == T("2022-03-24")
    assert both.loc[0, "SP500"] == T("2022-02-28")


def test_day0_from_the_data_sessions(market_dir):
    px = load_prices(
        ["IMOEX", "SP500", "BRENT"], "2022-02-01", "2022-04-30", "csv", path=market_dir
    )
    day0 = event_day0(
        [dt.date(2022, 2, 27), "2022-02-23"], ["IMOEX", "SP500", "BRENT"], sessions=px
    )
    assert day0["IMOEX"].tolist() == [T("2022-03-24"), T("2022-02-24")]
    assert day0["SP500"].tolist() == [T("2022-02-28"), T("2022-02-23")]
    # Brent (ICE) traded on Monday 28 Feb and on 23 Feb
    assert day0["BRENT"].tolist() == [T("2022-02-28"), T("2022-02-23")]


def test_date_that_is_a_session_is_its_own_day0_and_series_index_kept():
    dates = pd.Series(["2022-02-24", "2022-02-26"], index=["e1", "e2"])
    got = event_day0(dates, "SP500")
    assert got.name == "SP500"
    assert got.to_dict() == {"e1": T("2022-02-24"), "e2": T("2022-02-28")}


def test_timed_events_compare_with_each_market_close():
    # 20:00 Washington on Tuesday 22 Feb 2022 = 01:00 UTC on the 23rd: after the NYSE close
    # (21:00 UTC) and the Moscow close, so day 0 is the next session of each market;
    # 23 Feb is a Moscow holiday, so IMOEX day 0 is the 24th.
    late = event_day0(
        ["2022-02-22"], ["SP500", "IMOEX", "USDRUB"], times=["20:00"], tz="America/New_York"
    )
    assert late.loc[0].tolist() == [T("2022-02-23"), T("2022-02-24"), T("2022-02-23")]
    # 10:00 New York = 15:00 UTC: before both the NYSE close and the Moscow close
    # (18:45 Moscow = 15:45 UTC), so day 0 is the same day on both
    early = event_day0([T("2022-02-22 10:00", tz="America/New_York")], ["SP500", "IMOEX"])
    assert early.loc[0].tolist() == [T("2022-02-22"), T("2022-02-22")]
    # 17:00 Moscow is before the 18:45 close (same day); 19:00 is after it (next session)
    msk = event_day0(
        ["2022-02-22", "2022-02-22"], "IMOEX", times=["17:00", "19:00"], tz="Europe/Moscow"
    )
    assert msk.tolist() == [T("2022-02-22"), T("2022-02-24")]


def test_data_calendar_needs_sessions_and_uses_registry_close():
    with pytest.raises(CalendarError, match="sessions"):
        event_day0("2022-02-22", "BRENT")
    sess = pd.DatetimeIndex(["2022-02-22", "2022-02-23"])
    # ICE Brent settles at 19:30 London
    got = event_day0(
        ["2022-02-22", "2022-02-22"],
        "BRENT",
        times=["19:00", "20:00"],
        tz="Europe/London",
        sessions=sess,
    )
    assert got.tolist() == [T("2022-02-22"), T("2022-02-23")]


def test_time_without_zone_is_rejected():
    with pytest.raises(CalendarError, match="time zone"):
        event_day0(["2022-02-22 20:00"], "SP500")


def test_session_closes_fx_closes_at_midnight_utc():
    closes = session_closes("USDRUB", ["2022-02-25"])
    assert closes.iloc[0] == T("2022-02-26 00:00", tz="UTC")
    # XNYS closes 16:00 New York = 21:00 UTC in winter
    assert session_closes("SP500", ["2022-02-24"]).iloc[0] == T("2022-02-24 21:00", tz="UTC")


def test_event_after_the_last_session_is_nat():
    got = event_day0(["2022-03-05"], "IMOEX", sessions=pd.DatetimeIndex(["2022-02-25"]))
    assert got.isna().all()
