"""Data-quality report and the explicit drop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eventstudy.errors import EventStudyError
from eventstudy.market import drop_flagged, load_prices, quality_report

T = pd.Timestamp


def _walk(n=300, seed=1, sd=0.01, start="2021-01-04"):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range(start, periods=n, name="date")
    return pd.Series(100 * np.exp(np.cumsum(rng.normal(0, sd, n))), index=idx)


def test_synthetic_spike_stale_and_non_positive_are_flagged():
    s = _walk()
    s.iloc[100] *= 1.5  # isolated spike, back to normal next day
    s.iloc[200:204] = s.iloc[199]  # 5 equal closes 199..203
    s.iloc[250] = -1.0
    px = pd.DataFrame({"X": s})
    q = quality_report(px, calendar=False)
    spikes = q[q.check == "spike"]
    assert spikes["date"].tolist() == [s.index[100]]
    stale = q[q.check == "stale"]
    assert stale["date"].tolist() == [s.index[199]] and "5 equal closes" in stale.iloc[0].detail
    assert q[q.check == "non_positive"]["date"].tolist() == [s.index[250]]


def test_a_lasting_jump_is_not_a_spike():
    s = _walk()
    s.iloc[100:] *= 1.5  # a level shift (e.g. a real repricing) does not revert
    q = quality_report(pd.DataFrame({"X": s}), calendar=False)
    assert q[q.check == "spike"].empty


def test_index_problems_are_reported_not_fixed():
    idx = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-03", "2024-01-01"])
    px = pd.DataFrame({"X": [1.0, 2.0, 3.0, 4.0]}, idx)
    q = quality_report(px, calendar=False)
    assert set(q[q.instrument == "*"].check) == {"duplicate_date", "non_monotonic"}
    with pytest.raises(EventStudyError, match="index"):
        drop_flagged(px, q, "duplicate_date")


def test_real_rub_series_with_the_documented_bad_print_reinjected(market_dir):
    # SOURCES.md: Yahoo RUB=X printed 110.674 on 2022-06-13 (vs ~58); the file has it removed.
    px = load_prices("USDRUB", "2022-05-01", "2022-07-31", "csv", path=market_dir)
    assert T("2022-06-13") not in px.index
    assert quality_report(px)[lambda q: q.check == "spike"].empty
    bad = pd.concat([px, pd.DataFrame({"USDRUB": [110.674]}, pd.DatetimeIndex(["2022-06-13"]))])
    bad = bad.sort_index()
    bad.index.name = "date"
    before = bad.copy()
    q = quality_report(bad)
    spikes = q[q.check == "spike"]
    assert spikes["date"].tolist() == [T("2022-06-13")]
    assert spikes.iloc[0].value == pytest.approx(110.674)
    # dropping is explicit and returns a copy; the input is untouched
    clean = drop_flagged(bad, q, "spike")
    assert np.isnan(clean.loc["2022-06-13", "USDRUB"])
    assert clean.attrs["dropped"] == (("USDRUB", T("2022-06-13"), "spike"),)
    pd.testing.assert_frame_equal(bad, before)
    assert clean.drop(T("2022-06-13")).equals(px)


def test_imoex_crash_is_not_a_spike_but_an_injected_one_is(market_dir):
    px = load_prices("IMOEX", "2021-06-01", "2022-06-30", "csv", path=market_dir)
    q = quality_report(px)
    # 24 Feb 2022 fell 33% and recovered only part of it on 25 Feb: a real move
    assert q[q.check == "spike"].empty
    inj = px.copy()
    inj.loc["2021-11-10", "IMOEX"] = inj.loc["2021-11-10", "IMOEX"] * 0.8
    flagged = quality_report(inj)
    assert flagged[flagged.check == "spike"]["date"].tolist() == [T("2021-11-10")]


def test_calendar_checks_off_calendar_and_inside_suspension(market_dir):
    px = load_prices("IMOEX", "2022-02-01", "2022-04-30", "csv", path=market_dir)
    bad = px.copy()
    bad.loc[T("2022-03-01"), "IMOEX"] = 2500.0  # inside the suspension
    bad.loc[T("2022-04-03"), "IMOEX"] = 2500.0  # a Sunday
    bad = bad.sort_index()
    q = quality_report(bad)
    assert q[q.check == "suspended"]["date"].tolist() == [T("2022-03-01")]
    assert q[q.check == "off_calendar"]["date"].tolist() == [T("2022-04-03")]
    assert quality_report(px)[lambda t: t.check.isin(["suspended", "off_calendar"])].empty


def test_drop_stale_keeps_first_of_run_and_unknown_check_is_rejected():
    s = pd.Series([1.0, 2.0, 2.0, 2.0, 3.0], pd.bdate_range("2024-01-01", periods=5, name="date"))
    px = pd.DataFrame({"X": s})
    q = quality_report(px, calendar=False)
    out = drop_flagged(px, q, ["stale"])
    assert out["X"].tolist()[:2] == [1.0, 2.0]
    assert out["X"].isna().tolist() == [False, False, True, True, False]
    with pytest.raises(EventStudyError, match="valid checks"):
        drop_flagged(px, q, "weird")


def test_real_rub_series_bad_prints_left_in_the_file_are_flagged(market_dir):
    # usdrub_yahoo.csv still has two closes outside that day's own open/high/low range:
    # 2016-01-06 close 0.7162 (open 74.03) and 2023-02-03 close 75.031 (high 70.95); both
    # revert the next day. They must be among the flagged spikes.
    px = load_prices("USDRUB", "2015-06-01", "2023-06-30", "csv", path=market_dir)
    spikes = quality_report(px)[lambda q: q.check == "spike"]
    assert {T("2016-01-06"), T("2023-02-03")} <= set(spikes["date"])
    assert spikes.set_index("date").loc[T("2016-01-06"), "value"] == pytest.approx(0.7162)
