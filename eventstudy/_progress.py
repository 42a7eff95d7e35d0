"""Progress callbacks for long work, passed on at most every few seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

__all__ = ["every"]


def every(seconds: float, report: Callable[[int, int, float], Any]) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that calls ``report(done, total, elapsed)`` at most
    every ``seconds`` (``elapsed``: seconds since the callback was made), so short work reports
    nothing."""
    start = time.monotonic()
    last = [start]

    def call(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= seconds:
            last[0] = now
            report(done, total, now - start)

    return call
