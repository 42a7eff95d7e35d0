"""eventstudy: from dated news articles to tested abnormal returns.

The public API is re-exported here and imported lazily, so ``import eventstudy`` stays fast
and a stage's heavy dependencies load only when that stage is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # articles
    "Article": "eventstudy.articles",
    "Corpus": "eventstudy.articles",
    "read_articles": "eventstudy.articles",
    # events
    "extract_events": "eventstudy.extract",
    "suggest_events": "eventstudy.extract",
    "apply_overrides": "eventstudy.extract",
    "EVENT_COLUMNS": "eventstudy.extract",
    # market data
    "load_prices": "eventstudy.market",
    "event_day0": "eventstudy.market",
    "compute_returns": "eventstudy.market",
    "quality_report": "eventstudy.market",
    "load_instruments": "eventstudy.market",
    # study
    "EventStudy": "eventstudy.study",
    "EventStudyResult": "eventstudy.results",
    "Conventions": "eventstudy.inference",
    "MODELS": "eventstudy.models",
    "TESTS": "eventstudy.inference",
    # main job
    "run_pipeline": "eventstudy.pipeline",
    "RunSettings": "eventstudy.pipeline",
    # errors
    "EventStudyError": "eventstudy.errors",
    "EventStudyWarning": "eventstudy.errors",
    "ArticleError": "eventstudy.errors",
    "DataFileError": "eventstudy.errors",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'eventstudy' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
