"""Shared fixtures: the repository, the seeds, ``../shared`` (skipped with a reason if absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTSTUDY_SHARED", REPO.parent / "shared"))
SEEDS = REPO / "seeds"


def _need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("EVENTSTUDY_REQUIRE_SHARED"):
            pytest.fail(f"{path} is missing and EVENTSTUDY_REQUIRE_SHARED is set (as in CI)")
        pytest.skip(
            f"needs {path} (the workplace's ../shared folder beside the repository); "
            "set EVENTSTUDY_SHARED to its location. .ci/run fails instead of skipping."
        )
    return path


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _need(SHARED)


@pytest.fixture(scope="session")
def market_dir() -> Path:
    return _need(SHARED / "data" / "market")


@pytest.fixture(scope="session")
def guardian_dir() -> Path:
    return _need(SHARED / "data" / "news" / "guardian_2022")


@pytest.fixture(scope="session")
def estudy2_dir() -> Path:
    return _need(SHARED / "data" / "oracles" / "estudy2")
