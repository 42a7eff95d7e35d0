"""Seeded simulations: size of every test under no effect; cross-correlation and clustering.

Returns follow a market model with heterogeneous residual variances; abnormal returns are
computed by OLS on a 200-day estimation window exactly as the engine does, and the tests run
on :class:`ARPanel` directly (so thousands of replications stay fast).
"""

from __future__ import annotations

import numpy as np
import pytest

from eventstudy.inference import TESTS, ARPanel

N_PAIRS = 44
L_EST = 200
T_EVENT = 3
ALPHA = 0.05


def _panel(rng: np.random.Generator, rho: float = 0.0, clustered: bool = False) -> ARPanel:
    """One simulated study: OLS market model per pair, event days after the estimation days."""
    n, total = N_PAIRS, L_EST + T_EVENT
    if clustered:
        m = np.repeat(rng.normal(0, 0.01, (total, 1)), n, axis=1)
    else:
        m = rng.normal(0, 0.01, (total, n))
    sig = rng.uniform(0.01, 0.03, n)
    common = rng.normal(0, 1, (total, 1))
    idio = rng.normal(0, 1, (total, n))
    e = (np.sqrt(rho) * common + np.sqrt(1 - rho) * idio) * sig
    y = 0.0002 + rng.uniform(0.5, 1.5, n) * m + e
    me, mv = m[:L_EST], m[L_EST:]
    ye, yv = y[:L_EST], y[L_EST:]
    mbar = me.mean(axis=0)
    ss = ((me - mbar) ** 2).sum(axis=0)
    beta = ((me - mbar) * (ye - ye.mean(axis=0))).sum(axis=0) / ss
    alpha = ye.mean(axis=0) - beta * mbar
    est_ar = ye - alpha - beta * me
    ev_ar = yv - alpha - beta * mv
    lev_m = (mv - mbar) ** 2 / ss
    return ARPanel(
        event=ev_ar,
        estimation=est_ar,
        sigma=est_ar.std(axis=0, ddof=1),
        nobs=np.full(n, float(L_EST)),
        leverage=1 / L_EST + lev_m,
        market_leverage=lev_m,
        rel_days=np.arange(T_EVENT),
    )


WINDOWS = {"day0": [0], "car3": [0, 1, 2]}


def _rejection_rates(reps: int, seed: int, **kw: object) -> dict[str, dict[str, float]]:
    """Share of replications with p < 5%, per window and test (same panels for all)."""
    rng = np.random.default_rng(seed)
    hits = {w: dict.fromkeys(TESTS, 0) for w in WINDOWS}
    for _ in range(reps):
        panel = _panel(rng, **kw)  # type: ignore[arg-type]
        for window, days in WINDOWS.items():
            for name, info in TESTS.items():
                if name == "bootstrap":
                    r = info.func(panel, days, n_boot=199, seed=int(rng.integers(1 << 31)))
                else:
                    r = info.func(panel, days)
                assert r.applicable, (name, r.reason)
                hits[window][name] += r.pvalue < ALPHA
    return {w: {k: v / reps for k, v in h.items()} for w, h in hits.items()}


@pytest.fixture(scope="module")
def null_rates() -> dict[str, dict[str, float]]:
    return _rejection_rates(1000, seed=20240224)


@pytest.mark.parametrize("window", ["day0", "car3"])
@pytest.mark.parametrize("test", sorted(TESTS))
def test_size_under_no_effect(null_rates: dict[str, dict[str, float]], window: str, test: str):
    rate = null_rates[window][test]
    assert 0.03 <= rate <= 0.07, f"{test} {window}: rejection rate {rate:.3f} at 5%"


def test_clustering_with_cross_correlation_bmp_over_rejects_kp_does_not():
    rates = _rejection_rates(300, seed=1988, rho=0.3, clustered=True)["day0"]
    assert rates["bmp"] > 0.15, rates["bmp"]
    assert rates["patell"] > 0.15, rates["patell"]
    assert rates["kp_bmp"] <= 0.07, rates["kp_bmp"]
    assert rates["kp_patell"] <= 0.07, rates["kp_patell"]
