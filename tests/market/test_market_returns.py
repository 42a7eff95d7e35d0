"""Trade-to-trade returns, sessions spanned, and the flagged multi-day return across the MOEX
suspension."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventstudy.market import (
    ReturnsError,
    compute_returns,
    load_prices,
    multi_day_returns,
    return_spans,
)

T = pd.Timestamp


def _csv_close(path, day):
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["date"] == day:
                return float(row["close"])
    raise AssertionError(f"{day} not in {path}")


@pytest.fixture(scope="module")
def moex(market_dir):
    return load_prices(["IMOEX", "SP500"], "2022-01-01", "2022-04-30", "csv", path=market_dir)


def test_one_flagged_multi_day_return_into_2022_03_24(moex, market_dir):
    r = compute_returns(moex)
    imoex = r["IMOEX"].dropna()
    assert not ((imoex.index >= T("2022-02-28")) & (imoex.index <= T("2022-03-23"))).any()
    # the return on 24 Mar is the whole move since the 25 Feb close, read from the file
    p0 = _csv_close(market_dir / "imoex.csv", "2022-02-25")
    p1 = _csv_close(market_dir / "imoex.csv", "2022-03-24")
    assert r.loc["2022-03-24", "IMOEX"] == pytest.approx(math.log(p1 / p0), rel=1e-12)
    # exactly one multi-day IMOEX return in Jan-Apr 2022, flagged as the suspension
    (rec,) = [m for m in r.attrs["multi_day"] if m.instrument == "IMOEX"]
    assert (rec.date, rec.previous_date) == (T("2022-03-24"), T("2022-02-25"))
    assert rec.reason == "suspension" and rec.suspension == "moex_equities_2022"
    # sessions spanned: the Moscow sessions skipped, 28 Feb, 1-4 Mar, 9-11 Mar, 14-18 Mar,
    # 21-23 Mar (7-8 Mar were holidays) = 16, plus 24 Mar itself
    assert rec.sessions == 17
    table = multi_day_returns(moex)
    assert table[table.instrument == "IMOEX"]["sessions"].tolist() == [17]
    assert table[table.instrument == "SP500"].empty


def test_imoex_crash_return(moex):
    # 22 Feb 3084.74 -> 24 Feb 2058.12 (23 Feb a Moscow holiday): -33.3% (SOURCES.md)
    r = compute_returns(moex, "simple")
    assert r.loc["2022-02-24", "IMOEX"] == pytest.approx(2058.12 / 3084.74 - 1, rel=1e-12)
    spans = return_spans(moex)
    assert spans.loc["2022-02-24", "IMOEX"] == 1  # the holiday is not a session
    assert spans.loc["2022-03-24", "IMOEX"] == 17
    assert pd.isna(spans.loc["2022-02-23", "IMOEX"])


def test_hand_computed_returns_on_a_synthetic_frame():
    idx = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"], name="date")
    px = pd.DataFrame({"A": [100.0, 110.0, np.nan, 121.0], "B": [50.0, 25.0, 50.0, 100.0]}, idx)
    before = px.copy()
    log = compute_returns(px, "log")
    simple = compute_returns(px, "simple")
    assert math.isnan(log["A"].iloc[0])  # first observation: no return
    assert log.loc["2024-01-03", "A"] == pytest.approx(math.log(1.1))
    assert math.isnan(log.loc["2024-01-04", "A"])  # no observation, no return, no fill
    assert log.loc["2024-01-05", "A"] == pytest.approx(math.log(1.1))
    assert simple["A"].dropna().tolist() == pytest.approx([0.1, 0.1])
    assert simple["B"].dropna().tolist() == pytest.approx([-0.5, 1.0, 1.0])
    # unknown columns: each row of the frame is a session, so A's last return spans 2
    spans = return_spans(px)
    assert spans["A"].tolist()[1:] == [1, pd.NA, 2]
    (rec,) = log.attrs["multi_day"]
    assert (rec.instrument, rec.sessions, rec.reason) == ("A", 2, "missing sessions")
    pd.testing.assert_frame_equal(px, before)  # input untouched


def test_series_input_and_explicit_sessions():
    idx = pd.DatetimeIndex(["2024-01-02", "2024-01-05"])
    s = pd.Series([1.0, 2.0], index=idx, name="X")
    sess = {"X": pd.bdate_range("2024-01-01", "2024-01-10")}
    assert return_spans(s, sessions=sess).loc["2024-01-05", "X"] == 3
    assert compute_returns(s).loc["2024-01-05", "X"] == pytest.approx(math.log(2))


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (
            pd.DataFrame({"A": [1.0, -1.0]}, pd.DatetimeIndex(["2024-01-02", "2024-01-03"])),
            "non-positive",
        ),
        (
            pd.DataFrame({"A": [1.0, 2.0]}, pd.DatetimeIndex(["2024-01-03", "2024-01-02"])),
            "ascending",
        ),
        (
            pd.DataFrame({"A": [1.0, 2.0]}, pd.DatetimeIndex(["2024-01-02", "2024-01-02"])),
            "duplicate",
        ),
        (pd.DataFrame({"A": [1.0, 2.0]}), "DatetimeIndex"),
    ],
    ids=["non-positive", "unsorted", "duplicate", "no-dates"],
)
def test_bad_prices_are_rejected_with_a_reason(frame, message):
    with pytest.raises(ReturnsError, match=message):
        compute_returns(frame)


def test_unknown_kind_lists_valid():
    px = pd.DataFrame({"A": [1.0, 2.0]}, pd.DatetimeIndex(["2024-01-02", "2024-01-03"]))
    with pytest.raises(ReturnsError, match="log, simple"):
        compute_returns(px, "arith")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.floats(min_value=0.01, max_value=1e6)), min_size=2, max_size=40
    )
)
def test_log_returns_telescope_and_spans_cover_the_rows(values):
    idx = pd.bdate_range("2024-01-01", periods=len(values), name="date")
    px = pd.DataFrame({"A": [np.nan if v is None else v for v in values]}, index=idx)
    obs = px["A"].dropna()
    r = compute_returns(px)
    spans = return_spans(px)["A"].dropna()
    if len(obs) < 2:
        assert r["A"].isna().all() and spans.empty
        return
    # sum of trade-to-trade log returns = log(last / first): nothing lost, nothing added
    assert r["A"].sum() == pytest.approx(math.log(obs.iloc[-1] / obs.iloc[0]), abs=1e-9)
    # the spans cover exactly the rows from the first to the last observation
    first, last = idx.get_loc(obs.index[0]), idx.get_loc(obs.index[-1])
    assert int(spans.sum()) == last - first
    assert r["A"].notna().sum() == len(obs) - 1
