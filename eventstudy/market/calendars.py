"""Trading calendars, known suspensions, and the mapping of events to each market's day 0.

Calendars come from `exchange_calendars` (XMOS, XNYS, XLON, XETR, ``"24/5"`` for FX). Markets
without a calendar in that library (ICE Brent, ICE Endex TTF, COMEX/CBOT futures) are registered
with ``calendar = "data"``: their sessions are the dates present in the data. Known suspensions
(Moscow Exchange equities, 2022-02-28..2022-03-23) are data in ``data/market/suspensions.csv``.

Day 0 of an event on a market is the first session whose close comes at or after the event:

* a date only: that date if it is a session, otherwise the next session;
* a time with a time zone: the first session whose close (in UTC) is at or after the event instant,
  so a 20:00 Washington announcement on a Monday is day 0 on Tuesday in Moscow and New York.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from eventstudy._datafiles import data_path, read_csv_rows
from eventstudy.errors import DataFileError
from eventstudy.market.errors import CalendarError

if TYPE_CHECKING:
    from eventstudy.market.instruments import Instrument, InstrumentRegistry

__all__ = [
    "DATA_CALENDAR",
    "Suspension",
    "event_day0",
    "exchange_sessions",
    "known_calendars",
    "load_suspensions",
    "session_closes",
    "trading_sessions",
]

#: Calendar code meaning "the sessions are the dates present in the data".
DATA_CALENDAR = "data"


def _xc():  # import lazily: exchange_calendars is slow to import
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        import exchange_calendars

    return exchange_calendars


@lru_cache(maxsize=1)
def known_calendars() -> frozenset[str]:
    """Calendar codes accepted in the registry: exchange_calendars names and aliases, and
    ``"data"``."""
    names = set(_xc().get_calendar_names(include_aliases=True))
    return frozenset({*names, DATA_CALENDAR})


@lru_cache(maxsize=32)
def _calendar(name: str, start_year: int, end_year: int) -> Any:
    xc = _xc()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        try:
            return xc.get_calendar(name, start=f"{start_year}-01-01", end=f"{end_year}-12-31")
        except xc.errors.InvalidCalendarName as exc:
            raise CalendarError(
                f"unknown calendar {name!r}; use an exchange_calendars code (XMOS, XNYS, XLON, "
                f"XETR, 24/5 ...) or 'data'"
            ) from exc
        except ValueError:
            # requested bounds outside what the calendar supports: use its default range
            return xc.get_calendar(name)


def _get_calendar(name: str, start: pd.Timestamp, end: pd.Timestamp) -> Any:
    if name == DATA_CALENDAR:
        raise CalendarError(
            "calendar 'data' has no exchange calendar: pass the sessions explicitly "
            "(for example the dates of the price series, sessions=prices[id].dropna().index)"
        )
    # whole decades so that the cache is reused across nearby requests
    start_year = (start.year - 1) // 10 * 10
    end_year = (end.year + 1) // 10 * 10 + 9
    return _calendar(name, start_year, end_year)


def exchange_sessions(calendar: str, start: Any, end: Any) -> pd.DatetimeIndex:
    """All sessions of an exchange calendar between ``start`` and ``end`` inclusive.

    Known suspensions are *not* removed (see :func:`trading_sessions`).

    Parameters
    ----------
    calendar : str
        An exchange_calendars code (``"XMOS"``, ``"XNYS"``, ``"24/5"`` ...).
    start, end : date-like

    Returns
    -------
    pandas.DatetimeIndex
        tz-naive session dates named ``"date"``.
    """
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    cal = _get_calendar(calendar, s, e)
    sessions = cal.sessions
    out = sessions[(sessions >= s) & (sessions <= e)]
    return pd.DatetimeIndex(out.tz_localize(None) if out.tz else out, name="date").as_unit("ns")


# --------------------------------------------------------------------------- suspensions


@dataclass(frozen=True)
class Suspension:
    """A known suspension: sessions ``start..end`` (inclusive) on which ``instruments`` did not
    trade although their exchange calendar has sessions."""

    id: str
    start: pd.Timestamp
    end: pd.Timestamp
    instruments: tuple[str, ...]
    description: str
    reference: str

    def overlaps(self, first: pd.Timestamp, last: pd.Timestamp) -> bool:
        """Whether any day of ``first..last`` (inclusive) falls in the suspension."""
        return bool(first <= self.end and last >= self.start)


def _parse_day(path: Path, lineno: int, field: str, value: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(dt.date.fromisoformat(value))
    except ValueError as exc:
        raise DataFileError(
            path, f"line {lineno}", f"field {field!r} = {value!r} is not a date YYYY-MM-DD"
        ) from exc


def load_suspensions(path: str | os.PathLike[str] | None = None) -> tuple[Suspension, ...]:
    """Load the known market suspensions (default ``data/market/suspensions.csv``).

    Raises
    ------
    DataFileError
        Naming the file, line and field of a bad row (date, end before start, no instruments).
    """
    p = Path(path) if path is not None else data_path("market", "suspensions.csv")
    out = []
    cols = ("id", "start", "end", "instruments", "description", "reference")
    for lineno, row in read_csv_rows(p, cols):
        start = _parse_day(p, lineno, "start", row["start"])
        end = _parse_day(p, lineno, "end", row["end"])
        if end < start:
            raise DataFileError(p, f"line {lineno}", f"end {row['end']} is before start")
        ids = tuple(x.strip() for x in row["instruments"].split(";") if x.strip())
        if not ids or not row["id"]:
            raise DataFileError(p, f"line {lineno}", "id and instruments must not be empty")
        out.append(Suspension(row["id"], start, end, ids, row["description"], row["reference"]))
    return tuple(out)


@lru_cache(maxsize=4)
def _default_suspensions(path: str) -> tuple[Suspension, ...]:
    return load_suspensions(path)


def _suspensions(suspensions: Sequence[Suspension] | None) -> tuple[Suspension, ...]:
    if suspensions is not None:
        return tuple(suspensions)
    return _default_suspensions(str(data_path("market", "suspensions.csv")))


def suspensions_for(
    instrument: str, suspensions: Sequence[Suspension] | None = None
) -> tuple[Suspension, ...]:
    """The known suspensions that apply to ``instrument`` (an id)."""
    return tuple(s for s in _suspensions(suspensions) if instrument in s.instruments)


# --------------------------------------------------------------------------- sessions


def _registry(registry: InstrumentRegistry | None) -> InstrumentRegistry:
    if registry is not None:
        return registry
    from eventstudy.market.instruments import load_instruments

    return load_instruments()


def trading_sessions(
    instrument: str,
    start: Any,
    end: Any,
    *,
    registry: InstrumentRegistry | None = None,
    suspensions: Sequence[Suspension] | None = None,
) -> pd.DatetimeIndex:
    """Sessions on which ``instrument`` traded: its exchange calendar minus known suspensions.

    Parameters
    ----------
    instrument : str
        Instrument id or alias.
    start, end : date-like
        Inclusive range.
    registry : InstrumentRegistry, optional
        Default :func:`~eventstudy.market.instruments.load_instruments`.
    suspensions : sequence of Suspension, optional
        Default :func:`load_suspensions`.

    Raises
    ------
    CalendarError
        For an instrument on a ``"data"`` calendar (its sessions are the data's dates).
    """
    reg = _registry(registry)
    inst = reg[instrument]
    sessions = exchange_sessions(inst.calendar, start, end)
    keep = np.ones(len(sessions), dtype=bool)
    for s in suspensions_for(inst.id, suspensions):
        keep &= ~((sessions >= s.start) & (sessions <= s.end))
    return sessions[keep]


def _local_close(cal: Any) -> tuple[int, dt.time]:
    """(days after the session label, local wall time) of the calendar's regular close."""
    last = cal.closes.iloc[-1]
    local = last.tz_convert(cal.tz)
    label = cal.closes.index[-1]
    return (local.date() - label.date()).days, local.time()


def session_closes(
    instrument: Instrument | str,
    sessions: Sequence[Any] | pd.DatetimeIndex,
    *,
    registry: InstrumentRegistry | None = None,
) -> pd.Series:
    """The close of each session as a UTC timestamp.

    For exchange calendars the calendar's close (early closes included); for a session the
    calendar does not know (a data row on a holiday) or a ``"data"`` calendar, the registry's
    ``close_time``/``timezone`` if given, else the calendar's regular close time.

    Raises
    ------
    CalendarError
        If no close time is known (a ``"data"`` calendar without ``close_time``).
    """
    inst = instrument if not isinstance(instrument, str) else _registry(registry)[instrument]
    idx = pd.DatetimeIndex(sessions).normalize()
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    out = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns, UTC]")
    if len(idx) == 0:
        return out
    fallback: tuple[int, dt.time, str] | None = None
    if inst.close_time is not None and inst.timezone is not None:
        hh, mm = (int(x) for x in inst.close_time.split(":"))
        fallback = (0, dt.time(hh, mm), inst.timezone)
    if inst.calendar != DATA_CALENDAR:
        cal = _get_calendar(inst.calendar, idx.min(), idx.max())
        closes = cal.closes
        cidx = closes.index.tz_localize(None) if closes.index.tz else closes.index
        closes = pd.Series(closes.to_numpy(), index=cidx.as_unit("ns"))
        known = idx.isin(closes.index)
        out[known] = closes.reindex(idx[known]).dt.tz_convert("UTC").to_numpy()
        if fallback is None:
            days, time = _local_close(cal)
            fallback = (days, time, str(cal.tz))
    missing = out.isna().to_numpy()
    if missing.any():
        if fallback is None:
            raise CalendarError(
                f"no close time for {inst.id} (calendar {inst.calendar!r}): add close_time and "
                "timezone to its entry in data/instruments.toml, or give events as dates only"
            )
        days, time, tz = fallback
        local = [
            pd.Timestamp(dt.datetime.combine(d.date() + dt.timedelta(days=days), time)).tz_localize(
                tz
            )
            for d in idx[missing]
        ]
        out[missing] = pd.DatetimeIndex(local).tz_convert("UTC").to_numpy()
    return out


# --------------------------------------------------------------------------- day 0


def _as_events(
    dates: Any, times: Any, tz: str | None
) -> tuple[list[pd.Timestamp], list[bool], pd.Index | None, bool]:
    """Parse events into (timestamps, has_time, index, scalar)."""
    scalar = np.ndim(dates) == 0 and not isinstance(dates, pd.Index | pd.Series | list | tuple)
    index = dates.index if isinstance(dates, pd.Series) else None
    values = [dates] if scalar else list(dates)
    if times is None:
        tlist: list[Any] = [None] * len(values)
    else:
        tlist = [times] if np.ndim(times) == 0 and isinstance(times, str | dt.time) else list(times)
        if len(tlist) != len(values):
            raise CalendarError(f"{len(tlist)} times given for {len(values)} dates")
    stamps, timed = [], []
    for i, (d, t) in enumerate(zip(values, tlist, strict=True)):
        if d is None or (not isinstance(d, str) and pd.isna(d)):
            raise CalendarError(f"event {i}: missing date")
        try:
            ts = pd.Timestamp(d)
        except (ValueError, TypeError) as exc:
            raise CalendarError(f"event {i}: cannot read {d!r} as a date") from exc
        has_time = t is not None and not (not isinstance(t, str | dt.time) and pd.isna(t))
        if has_time:
            if ts.tzinfo is not None or ts != ts.normalize():
                raise CalendarError(f"event {i}: give a time either in the date or in times")
            tt = t if isinstance(t, dt.time) else dt.time.fromisoformat(str(t))
            ts = pd.Timestamp(dt.datetime.combine(ts.date(), tt))
        if ts.tzinfo is None:
            if has_time or ts != ts.normalize():
                if tz is None:
                    raise CalendarError(
                        f"event {i}: {ts} has a time but no time zone; pass tz= "
                        "(e.g. tz='Europe/Moscow') or give a date only"
                    )
                ts = ts.tz_localize(tz)
                stamps.append(ts)
                timed.append(True)
            else:
                stamps.append(ts)
                timed.append(False)
        else:
            stamps.append(ts)
            timed.append(True)
    return stamps, timed, index, scalar


def _sessions_for(
    inst_id: str,
    inst: Instrument | None,
    sessions: Any,
    lo: pd.Timestamp,
    hi: pd.Timestamp,
    suspensions: Sequence[Suspension] | None,
    registry: InstrumentRegistry | None,
) -> pd.DatetimeIndex:
    explicit: Any = None
    if isinstance(sessions, pd.DataFrame):
        if inst_id not in sessions.columns:
            raise CalendarError(f"sessions frame has no column {inst_id!r}")
        explicit = sessions.index[sessions[inst_id].notna().to_numpy()]
    elif isinstance(sessions, Mapping):
        explicit = sessions.get(inst_id)
    elif sessions is not None:
        explicit = sessions
    if explicit is not None:
        idx = pd.DatetimeIndex(explicit)
        if idx.tz is not None:
            idx = idx.tz_localize(None)
        return pd.DatetimeIndex(idx.normalize().unique().sort_values(), name="date")
    if inst is None:
        raise CalendarError(f"{inst_id!r} is not in the registry: pass its sessions explicitly")
    if inst.calendar == DATA_CALENDAR:
        raise CalendarError(
            f"{inst.id} trades on the data's own sessions (calendar 'data'): pass them "
            f"explicitly, e.g. sessions=prices (the frame from load_prices)"
        )
    return trading_sessions(inst.id, lo, hi, registry=registry, suspensions=suspensions)


def event_day0(
    dates: Any,
    instrument: str | Sequence[str],
    *,
    times: Any = None,
    tz: str | None = None,
    sessions: pd.DatetimeIndex | pd.DataFrame | Mapping[str, Any] | None = None,
    registry: InstrumentRegistry | None = None,
    suspensions: Sequence[Suspension] | None = None,
) -> pd.Timestamp | pd.Series | pd.DataFrame:
    """Map events to each instrument's day 0: the first session whose close is at or after the
    event.

    Parameters
    ----------
    dates : date-like or list-like of date-like
        Event dates. A tz-aware timestamp carries its time; a tz-naive midnight is a date only.
    instrument : str or sequence of str
        Instrument id(s) of the registry (or any name when ``sessions`` are given and events are
        dates only).
    times : str, datetime.time or list-like, optional
        Local event times ``"HH:MM"`` (None/NaN for date-only events), in time zone ``tz``.
    tz : str, optional
        IANA time zone of ``times`` and of tz-naive timestamps with a time.
    sessions : DatetimeIndex, DataFrame or mapping, optional
        Sessions to use instead of the calendar: one index (single instrument), a mapping
        ``id -> dates``, or a price frame (each column's non-missing dates). Required for
        instruments on a ``"data"`` calendar (Brent).
    registry : InstrumentRegistry, optional
    suspensions : sequence of Suspension, optional
        Default: ``data/market/suspensions.csv``; removed from calendar sessions.

    Returns
    -------
    Timestamp, Series or DataFrame
        For a scalar date and one instrument, a Timestamp; for list-like dates, a Series named by
        the instrument (indexed like ``dates`` if it is a Series); for several instruments, a
        DataFrame with one column per instrument. ``NaT`` when no session follows the event in the
        available sessions.

    Notes
    -----
    Date only: day 0 = min{s in sessions : s >= date}. With a time: day 0 = min{s : close(s) >=
    event}, where close(s) is the session's close in UTC (:func:`session_closes`).

    Examples
    --------
    >>> event_day0("2022-02-27", "SP500")  # a Sunday
    Timestamp('2022-02-28 00:00:00')
    """
    stamps, timed, index, scalar = _as_events(dates, times, tz)
    ids = [instrument] if isinstance(instrument, str) else list(instrument)
    reg = _registry(registry)
    dates_only = [s.tz_localize(None).normalize() if s.tzinfo else s for s in stamps]
    lo = min(dates_only) - pd.Timedelta(days=10) if dates_only else pd.Timestamp("2000-01-01")
    hi = max(dates_only) + pd.Timedelta(days=400) if dates_only else lo
    columns: dict[str, pd.Series] = {}
    for name in ids:
        inst = reg[name] if (sessions is None or _in_registry(reg, name)) else None
        inst_id = inst.id if inst is not None else name
        sess = _sessions_for(inst_id, inst, sessions, lo, hi, suspensions, reg)
        sess_values = sess.to_numpy()
        result = np.full(len(stamps), np.datetime64("NaT"), dtype="datetime64[ns]")
        if any(timed):
            if inst is None:
                raise CalendarError(f"{name!r}: timed events need the registry's close times")
            closes = session_closes(inst, sess, registry=reg).to_numpy()
            closes_utc = (
                pd.DatetimeIndex(closes).tz_localize(None).to_numpy() if len(sess) else None
            )
        for i, (ts, is_timed) in enumerate(zip(stamps, timed, strict=True)):
            if is_timed:
                when = ts.tz_convert("UTC").tz_localize(None).to_datetime64()
                pos = np.searchsorted(closes_utc, when, side="left") if len(sess) else 0
            else:
                pos = np.searchsorted(sess_values, ts.to_datetime64(), side="left")
            if pos < len(sess):
                result[i] = sess_values[pos]
        columns[inst_id] = pd.Series(result, index=index, name=inst_id)
    if len(ids) == 1 and isinstance(instrument, str):
        series = next(iter(columns.values()))
        if scalar:
            return series.iloc[0]
        return series
    return pd.DataFrame(columns, index=index)


def _in_registry(reg: InstrumentRegistry, name: str) -> bool:
    try:
        reg.resolve(name)
    except KeyError:
        return False
    return True
