"""Benchmark returns aligned to an instrument's own sessions (hand-derived cases)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eventstudy.market import aligned_returns, load_prices
from eventstudy.market.returns import ReturnsError


def frame() -> pd.DataFrame:
    idx = pd.to_datetime(["2022-01-13", "2022-01-14", "2022-01-17", "2022-01-18", "2022-01-19"])
    return pd.DataFrame(
        {
            # instrument trades every day, benchmark skips the 17th (a US holiday)
            "X": [100.0, 101.0, 102.0, 103.0, 104.0],
            "M": [50.0, 51.0, np.nan, 53.0, 52.0],
        },
        index=idx,
    )


def test_interval_returns_by_hand() -> None:
    a = aligned_returns(frame(), "X", ["M"])
    assert math.isnan(a["M"].iloc[0])  # no previous session of X
    assert a["M"].iloc[1] == pytest.approx(math.log(51 / 50))
    assert a["M"].iloc[2] == 0.0  # M did not trade between the 14th and the 17th
    assert a["M"].iloc[3] == pytest.approx(math.log(53 / 51))  # 17th -> 18th: as of 14th -> 18th
    assert a["M"].iloc[4] == pytest.approx(math.log(52 / 53))
    assert a.attrs["no_benchmark_session"] == {"M": 1}
    # the returns add up to the whole move, nothing is lost or counted twice
    assert a["M"].sum() == pytest.approx(math.log(52 / 50))


def test_instrument_gap_gives_one_interval() -> None:
    f = frame()
    f.loc["2022-01-17":"2022-01-18", "X"] = np.nan  # X suspended for two days
    a = aligned_returns(f, "X", ["M"], kind="simple")
    assert a["M"].dropna().index.strftime("%m-%d").tolist() == ["01-14", "01-19"]
    assert a.loc["2022-01-19", "M"] == pytest.approx(52 / 51 - 1)


def test_inputs_not_modified_and_errors() -> None:
    f = frame()
    before = f.copy()
    aligned_returns(f, "X", ["M"])
    pd.testing.assert_frame_equal(f, before)
    with pytest.raises(ReturnsError, match=r"no price column\(s\) \['Z'\]"):
        aligned_returns(f, "X", ["Z"])


def test_imoex_on_eem_across_the_suspension(market_dir: Path) -> None:
    p = load_prices(["IMOEX", "EEM"], "2022-02-01", "2022-03-31", source="csv", path=market_dir)
    a = aligned_returns(p, "IMOEX", ["EEM"])
    eem = p["EEM"].dropna()
    # IMOEX's return into 2022-03-24 spans the closure; EEM's must span the same interval
    expected = math.log(eem.loc["2022-03-24"] / eem.loc["2022-02-25"])
    assert a.loc["2022-03-24", "EEM"] == pytest.approx(expected, rel=1e-12)
    assert a["EEM"].loc["2022-02-28":"2022-03-23"].isna().all()
