"""Market data: the instrument registry, price sources, calendars, returns and data quality.

Public API (re-exported by :mod:`eventstudy`): :func:`load_prices`, :func:`event_day0`,
:func:`compute_returns`, :func:`quality_report`, :func:`load_instruments`.
"""

from __future__ import annotations

from eventstudy.market.calendars import (
    Suspension,
    event_day0,
    exchange_sessions,
    load_suspensions,
    session_closes,
    trading_sessions,
)
from eventstudy.market.errors import (
    CacheCorruptWarning,
    CalendarError,
    DataQualityWarning,
    PriceLoadError,
    PriceSourceError,
    SourceCoverageWarning,
    UnknownInstrumentError,
)
from eventstudy.market.instruments import Instrument, InstrumentRegistry, load_instruments
from eventstudy.market.quality import CHECKS, drop_flagged, quality_report
from eventstudy.market.returns import (
    MultiDayReturn,
    ReturnsError,
    aligned_returns,
    compute_returns,
    multi_day_returns,
    return_spans,
)
from eventstudy.market.sources import (
    Attempt,
    CsvSource,
    EcbSource,
    LoadReport,
    PriceSource,
    YahooSource,
    load_prices,
    read_price_csv,
)

__all__ = [
    "CHECKS",
    "Attempt",
    "CacheCorruptWarning",
    "CalendarError",
    "CsvSource",
    "DataQualityWarning",
    "EcbSource",
    "Instrument",
    "InstrumentRegistry",
    "LoadReport",
    "MultiDayReturn",
    "PriceLoadError",
    "PriceSource",
    "PriceSourceError",
    "ReturnsError",
    "SourceCoverageWarning",
    "Suspension",
    "UnknownInstrumentError",
    "YahooSource",
    "aligned_returns",
    "compute_returns",
    "drop_flagged",
    "event_day0",
    "exchange_sessions",
    "load_instruments",
    "load_prices",
    "load_suspensions",
    "multi_day_returns",
    "quality_report",
    "read_price_csv",
    "return_spans",
    "session_closes",
    "trading_sessions",
]
