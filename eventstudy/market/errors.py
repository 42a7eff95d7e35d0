"""Errors and warnings of the market-data stage.

Every message says what was asked (instrument, source, dates), what happened, and how to fix it.
"""

from __future__ import annotations

from eventstudy.errors import EventStudyError, EventStudyWarning

__all__ = [
    "CacheCorruptWarning",
    "CalendarError",
    "DataQualityWarning",
    "PriceLoadError",
    "PriceSourceError",
    "SourceCoverageWarning",
    "UnknownInstrumentError",
]


class UnknownInstrumentError(EventStudyError, KeyError):
    """An instrument id is not in the registry; the message lists the valid ids."""

    def __init__(self, name: str, valid: list[str]) -> None:
        self.name = name
        self.valid = valid
        super().__init__(
            f"unknown instrument {name!r}; valid ids: {', '.join(valid)} "
            "(add it to data/instruments.toml to use a new series)"
        )

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class PriceSourceError(EventStudyError, LookupError):
    """One source could not serve one instrument over the requested dates.

    Attributes
    ----------
    instrument, source : str
        The instrument id and the source name (``yahoo``, ``ecb``, ``csv``).
    problem : str
        What went wrong, with the value seen and how to fix it.
    """

    def __init__(self, instrument: str, source: str, problem: str) -> None:
        self.instrument = instrument
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {instrument}: {problem}")


class PriceLoadError(EventStudyError, LookupError):
    """:func:`eventstudy.market.load_prices` could not load some instruments.

    ``report`` is the :class:`~eventstudy.market.sources.LoadReport` with, per instrument, the
    sources tried and each one's error, and a hint on how to supply the series.
    """

    def __init__(self, report: object, message: str) -> None:
        self.report = report
        super().__init__(message)


class CalendarError(EventStudyError, ValueError):
    """A calendar or session question could not be answered (unknown calendar, no sessions)."""


class SourceCoverageWarning(EventStudyWarning):
    """A source served less than was asked (ECB ruble after 2022-03-01, Yahoo partial range,
    stale cache used because Yahoo returned nothing)."""


class CacheCorruptWarning(EventStudyWarning):
    """A cache file could not be read; it is ignored and the data are fetched again."""


class DataQualityWarning(EventStudyWarning):
    """A loaded series has quality flags (see :func:`eventstudy.market.quality_report`)."""
