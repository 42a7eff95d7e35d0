"""The vectorised window assembly of ``EventStudy.run`` on a crowded synthetic panel.

Many events per instrument (overlapping event windows, contaminated estimation windows,
events sharing a day 0, events outside the data), returns with gaps and a market with
holidays. Checked against the statsmodels engine (every frame to 1e-9, the problems
identical) and against a brute-force count of the estimation observations written here
from the window rules (day 0 = first session on or after the event date, windows in the
instrument's sessions, other events' event windows excluded).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eventstudy.study import EventStudy

EST = (-60, -6)
WINDOWS = [(-2, 2), (0, 0), (0, 3)]


def _panel(seed: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    n_rows, n_inst = 420, 6
    dates = pd.bdate_range("2015-01-05", periods=n_rows)
    market = rng.normal(0.0, 0.01, n_rows)
    r = 0.0002 + market[:, None] * rng.uniform(0.5, 1.5, n_inst)
    r = r + rng.normal(0.0, 0.015, (n_rows, n_inst))
    r[rng.random((n_rows, n_inst)) < 0.03] = np.nan
    r[:80, 2] = np.nan  # late listing
    r[200:215, 4] = np.nan  # suspension
    market[rng.random(n_rows) < 0.02] = np.nan
    cols = [f"I{j}" for j in range(n_inst)]
    return pd.DataFrame(r, index=dates, columns=cols), pd.Series(market, index=dates)


def _events(returns: pd.DataFrame, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = rng.integers(20, len(returns) - 2, 30)
    dates = list(returns.index[rows])
    dates += [dates[0], dates[1] + pd.Timedelta(days=1), pd.Timestamp("2030-01-01")]
    return pd.DataFrame({"event_id": [f"e{k:02d}" for k in range(len(dates))], "date": dates})


def _brute_nobs(
    returns: pd.DataFrame, market: pd.Series, events: pd.DataFrame, exclude: bool
) -> dict[tuple[str, str], tuple[int, int]]:
    """(event, instrument) -> (estimation observations kept, contaminated days)."""
    lo, hi = min(a for a, _ in WINDOWS), max(b for _, b in WINDOWS)
    out = {}
    for inst in returns.columns:
        sess = np.flatnonzero(returns[inst].notna().to_numpy())
        sdates = returns.index[sess]
        k0s = {}
        for eid, d in zip(events["event_id"], events["date"], strict=True):
            k = int(sdates.searchsorted(d))
            if k < len(sess):
                k0s[eid] = k
        for eid, k0 in k0s.items():
            ks = [k for k in range(k0 + EST[0], k0 + EST[1] + 1) if 0 <= k < len(sess)]
            covered = set()
            for k1 in k0s.values():
                if k1 != k0:
                    covered |= set(range(k1 + lo, k1 + hi + 1))
            hit = [k for k in ks if k in covered]
            kept = [
                k
                for k in ks
                if not np.isnan(market.iloc[sess[k]]) and not (exclude and k in covered)
            ]
            out[(eid, inst)] = (len(kept), len(hit))
    return out


@pytest.mark.parametrize(
    ("contamination", "same_day0"), [("report", "share"), ("exclude", "drop")]
)
def test_crowded_panel_fast_equals_statsmodels(contamination: str, same_day0: str) -> None:
    returns, market = _panel()
    events = _events(returns)
    study = EventStudy(returns, market=market, model="market")
    kw = dict(
        estimation=EST,
        event_windows=WINDOWS,
        min_estimation=20,
        contamination=contamination,
        same_day0=same_day0,
    )
    fast = study.run(events, engine="fast", **kw)
    ref = study.run(events, engine="statsmodels", **kw)
    assert fast.n_pairs == ref.n_pairs > 100
    pd.testing.assert_frame_equal(fast.problems, ref.problems)
    for name in ("abnormal_returns", "cars", "fits", "estimation_residuals"):
        pd.testing.assert_frame_equal(
            getattr(fast, name), getattr(ref, name), check_exact=False, rtol=1e-9, atol=1e-14
        )
    kinds = set(fast.problems["kind"])
    assert {"contamination", "overlap", "missing_returns", "missing_regressor"} <= kinds
    assert ("duplicate" if same_day0 == "drop" else "shared_day0") in kinds
    assert "outside_data" in kinds


@pytest.mark.parametrize("contamination", ["report", "exclude"])
def test_crowded_panel_counts_match_brute_force(contamination: str) -> None:
    returns, market = _panel()
    events = _events(returns).iloc[:-3]  # distinct days 0: no sharing rules involved
    study = EventStudy(returns, market=market, model="market")
    res = study.run(
        events,
        estimation=EST,
        event_windows=WINDOWS,
        min_estimation=1,
        contamination=contamination,
        engine="fast",
    )
    expected = _brute_nobs(returns, market, events, contamination == "exclude")
    fits = res.fits.set_index(["event_id", "instrument"])["nobs"]
    got = {k: int(v) for k, v in fits.items()}
    assert got == {k: v[0] for k, v in expected.items() if v[0] >= 1}
    p = res.problems
    cont = p[p["kind"] == "contamination"].set_index(["event_id", "instrument"])["count"]
    assert {k: int(v) for k, v in cont.items()} == {
        k: v[1] for k, v in expected.items() if v[1]
    }


def test_crowded_panel_messages_match_brute_force() -> None:
    """The deferred problem messages: a contamination message lists, in catalog order, the
    other events whose event windows reach into the estimation window; one overlap row per
    other event whose event window meets the pair's, in catalog order; rows in pair order."""
    returns, market = _panel()
    events = _events(returns).iloc[:-3]
    study = EventStudy(returns, market=market, model="market")
    res = study.run(events, estimation=EST, event_windows=WINDOWS, min_estimation=1)
    lo, hi = min(a for a, _ in WINDOWS), max(b for _, b in WINDOWS)
    want_cont: dict[tuple[str, str], list[str]] = {}
    want_ovl: list[tuple[str, str, str]] = []
    for eid in events["event_id"]:  # pair order: event by event, instruments in order
        for inst in returns.columns:
            sess = returns.index[returns[inst].notna().to_numpy()]
            k0s = {
                e: int(sess.searchsorted(d))
                for e, d in zip(events["event_id"], events["date"], strict=True)
                if sess.searchsorted(d) < len(sess)
            }
            if eid not in k0s:
                continue
            k0 = k0s[eid]
            a, b = max(k0 + EST[0], 0), min(k0 + EST[1], len(sess) - 1)
            others = [e for e, k in k0s.items() if k != k0]
            inside = [e for e in others if k0s[e] + lo <= b and k0s[e] + hi >= a and a <= b]
            if inside:
                want_cont[(eid, inst)] = inside
            want_ovl += [
                (eid, inst, e) for e in others if k0s[e] + lo <= k0 + hi and k0s[e] + hi >= k0 + lo
            ]
    p = res.problems
    cont = p[p["kind"] == "contamination"]
    got_cont = {
        (e, i): [x.strip().strip("'") for x in m.split("[", 1)[1].split("]", 1)[0].split(",")]
        for e, i, m in zip(cont["event_id"], cont["instrument"], cont["message"], strict=True)
    }
    assert got_cont == want_cont
    ovl = p[p["kind"] == "overlap"]
    got_ovl = [
        (e, i, m.split("event '", 1)[1].split("'", 1)[0])
        for e, i, m in zip(ovl["event_id"], ovl["instrument"], ovl["message"], strict=True)
    ]
    assert got_ovl == want_ovl
    assert len(res.problems) == res._n_problems  # the count needs no messages
