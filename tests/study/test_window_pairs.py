"""Window tests use one pair set: the pairs with an abnormal return on every window day.

Before, the daily-mean tests (Brown-Warner, Patell, ranks) averaged whatever pairs had each
day while the CAR tests (t, BMP) used the complete pairs only, so one test battery spoke
about two samples. Expectations here are recomputed by hand from the tidy frames.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from eventstudy import EventStudy


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(7)
    idx = pd.bdate_range("2021-01-01", periods=400)
    m = pd.Series(rng.normal(0, 0.01, len(idx)), index=idx)
    r = pd.DataFrame(
        {f"S{i}": 0.8 * m.to_numpy() + rng.normal(0, 0.01, len(idx)) for i in range(6)},
        index=idx,
    )
    r.iloc[331:, 0] = np.nan  # S0 stops trading after day 0 of the event on idx[330]
    ev = pd.DataFrame({"event_id": ["e"], "date": [idx[330]]})
    return EventStudy(r, market=m, model="market").run(ev, event_windows=[(-1, 1)])


def test_every_window_test_counts_only_complete_pairs(result):
    wt = result.window_tests((-1, 1))
    complete = result.cars.dropna(subset=["car"])
    assert len(complete) == 5  # S0 has no CAR
    applicable = wt[wt["statistic"].notna()]
    assert len(applicable) >= 10
    assert set(applicable["nobs"]) == {5}


def test_bw1980_over_complete_pairs_by_hand(result):
    ars = result.abnormal_returns
    keep = result.cars.dropna(subset=["car"])["instrument"]
    a = ars[ars["instrument"].isin(keep) & ars["rel_day"].between(-1, 1)]
    aar = a.groupby("rel_day")["ar"].mean()
    sig = result.fits.set_index("instrument").loc[keep, "sigma"].to_numpy()
    expected = aar.sum() / (math.sqrt(3) * math.sqrt(np.sum(sig**2)) / len(sig))
    got = result.window_tests((-1, 1)).loc["bw_1980", "statistic"]
    assert got == pytest.approx(expected, rel=1e-12)


def test_single_day_tests_keep_every_pair_with_that_day(result):
    rec = result.test_records(0)
    assert rec["bw_1980"].nobs == 6
