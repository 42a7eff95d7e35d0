"""The instrument registry: which series exist, where to get them, and how to read them.

The registry is data (``data/instruments.toml``), checked against a schema when loaded. An
instrument records its Yahoo ticker, the ECB pair it can be computed from, the file that holds it
in a market CSV folder, its trading calendar, what a rise means, and its default benchmark.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from eventstudy._datafiles import data_path, load_toml, require_fields
from eventstudy.errors import DataFileError
from eventstudy.market.errors import UnknownInstrumentError

__all__ = ["KINDS", "Instrument", "InstrumentRegistry", "load_instruments"]

#: Valid values of ``kind``.
KINDS = ("fx", "commodity", "index", "etf")

_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_PAIR = re.compile(r"^[A-Z]{3}/[A-Z]{3}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Instrument:
    """One instrument of the registry (see the field list at the top of ``instruments.toml``).

    Attributes
    ----------
    id : str
        Upper-case id, used as the column name of price and return frames.
    name, kind, currency, unit, rise, calendar, observation : str
        Description; ``kind`` is one of :data:`KINDS`; ``calendar`` an exchange_calendars code,
        ``"24/5"`` for FX, or ``"data"`` (sessions are the dates present in the data).
    yahoo, ecb, csv : str or None
        Yahoo ticker, ECB ``"BASE/QUOTE"`` pair, file name in a market CSV folder.
    csv_column : str
        Column of the CSV file holding the price (default ``"close"``).
    close_time, timezone : str or None
        Local close time ``"HH:MM"`` and its IANA zone, for ``"data"`` calendars.
    benchmark : str or None
        Default market index for a market model (an id of the registry).
    aliases : tuple of str
        Other accepted names (case-insensitive).
    notes : str
        Caveats.
    """

    id: str
    name: str
    kind: str
    currency: str
    unit: str
    rise: str
    calendar: str
    observation: str
    yahoo: str | None = None
    ecb: str | None = None
    csv: str | None = None
    csv_column: str = "close"
    close_time: str | None = None
    timezone: str | None = None
    benchmark: str | None = None
    aliases: tuple[str, ...] = ()
    notes: str = ""


def _nonempty(value: Any) -> bool:
    """a non-empty string"""
    return isinstance(value, str) and bool(value.strip())


def _kind(value: Any) -> bool:
    """one of fx, commodity, index, etf"""
    return value in KINDS


def _pair(value: Any) -> bool:
    """a currency pair like "USD/RUB" (price of one BASE in QUOTE)"""
    return isinstance(value, str) and bool(_PAIR.match(value))


def _hhmm(value: Any) -> bool:
    """a local time "HH:MM" """
    return isinstance(value, str) and bool(_HHMM.match(value))


def _csv_name(value: Any) -> bool:
    """a plain file name ending in .csv (no folder)"""
    return (
        isinstance(value, str) and value.endswith(".csv") and "/" not in value and "\\" not in value
    )


def _str_list(value: Any) -> bool:
    """a list of non-empty strings"""
    return isinstance(value, list) and all(_nonempty(v) for v in value)


def _timezone(value: Any) -> bool:
    """an IANA time zone such as "Europe/London" """
    if not isinstance(value, str):
        return False
    try:
        pd.Timestamp("2022-01-03").tz_localize(value)
    except Exception:
        return False
    return True


_REQUIRED = {
    "name": _nonempty,
    "kind": _kind,
    "currency": _nonempty,
    "unit": _nonempty,
    "rise": _nonempty,
    "calendar": _nonempty,
    "observation": _nonempty,
}
_OPTIONAL = {
    "yahoo": _nonempty,
    "ecb": _pair,
    "csv": _csv_name,
    "csv_column": _nonempty,
    "close_time": _hhmm,
    "timezone": _timezone,
    "benchmark": _nonempty,
    "aliases": _str_list,
    "notes": str,
}


class InstrumentRegistry(Mapping[str, Instrument]):
    """Read-only mapping ``id -> Instrument`` with case-insensitive lookup by id or alias.

    Parameters
    ----------
    instruments : iterable of Instrument
    path : str or None
        The file the registry was read from (shown in error messages).

    Examples
    --------
    >>> reg = load_instruments()
    >>> reg["usdrub"].yahoo
    'RUB=X'
    >>> reg.by_csv("imoex.csv").id
    'IMOEX'
    """

    def __init__(self, instruments: Iterable[Instrument], path: str | None = None) -> None:
        self._items: dict[str, Instrument] = {}
        self._names: dict[str, str] = {}
        self.path = path
        for inst in instruments:
            if inst.id in self._items:
                raise DataFileError(path, f"instrument {inst.id}", "duplicate id")
            self._items[inst.id] = inst
        for inst in self._items.values():
            for name in (inst.id, *inst.aliases):
                key = name.upper()
                other = self._names.get(key)
                if other is not None and other != inst.id:
                    raise DataFileError(
                        path,
                        f"instrument {inst.id}",
                        f"name {name!r} is already used by instrument {other}",
                    )
                self._names[key] = inst.id

    def __getitem__(self, key: str) -> Instrument:
        return self._items[self.resolve(key)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"InstrumentRegistry({len(self)} instruments from {self.path})"

    def resolve(self, name: str) -> str:
        """Canonical id of ``name`` (an id or alias, any case).

        Raises
        ------
        UnknownInstrumentError
            If the name is unknown; the message lists the valid ids.
        """
        key = str(name).strip().upper()
        if key not in self._names:
            raise UnknownInstrumentError(str(name), sorted(self._items))
        return self._names[key]

    def by_csv(self, filename: str) -> Instrument | None:
        """The instrument whose CSV file is ``filename`` (a base name such as ``imoex.csv``),
        or None if no instrument maps to that file."""
        base = os.path.basename(str(filename))
        for inst in self._items.values():
            if inst.csv == base:
                return inst
        return None

    def to_frame(self) -> pd.DataFrame:
        """One row per instrument, indexed by id, columns as the :class:`Instrument` fields."""
        rows = []
        for inst in self._items.values():
            row = asdict(inst)
            row["aliases"] = ";".join(inst.aliases)
            rows.append(row)
        return pd.DataFrame(rows, columns=[f.name for f in fields(Instrument)]).set_index("id")


def _calendar_names() -> set[str]:
    from eventstudy.market.calendars import known_calendars

    return known_calendars()


def load_instruments(path: str | os.PathLike[str] | None = None) -> InstrumentRegistry:
    """Load and check the instrument registry.

    Parameters
    ----------
    path : path-like, optional
        A TOML file with an ``[instruments.<ID>]`` table per instrument. Default:
        ``data/instruments.toml`` of the toolkit (``$EVENTSTUDY_DATA`` overrides the folder).

    Returns
    -------
    InstrumentRegistry
        A read-only mapping ``id -> Instrument``; ``.to_frame()`` gives a DataFrame.

    Raises
    ------
    DataFileError
        Naming the file, the instrument and the field when the schema check fails: missing or
        unknown field, wrong type, unknown kind or calendar, a benchmark that is not an id.
    """
    p = Path(path) if path is not None else data_path("instruments.toml")
    raw = load_toml(p)
    table = raw.get("instruments")
    extra = sorted(set(raw) - {"instruments"})
    if extra:
        raise DataFileError(p, "top level", f"unknown table(s) {extra}; expected [instruments.ID]")
    if not isinstance(table, dict) or not table:
        raise DataFileError(p, "top level", "no [instruments.ID] tables found")
    calendars = _calendar_names()
    items = []
    for key, rec in table.items():
        where = f"[instruments.{key}]"
        if not _ID.match(key):
            raise DataFileError(p, where, "ids are upper-case letters, digits and _ (e.g. USDRUB)")
        if not isinstance(rec, dict):
            raise DataFileError(p, where, "expected a table of fields")
        require_fields(p, where, rec, _REQUIRED, optional=_OPTIONAL)
        if rec["calendar"] not in calendars:
            raise DataFileError(
                p,
                where,
                f"field 'calendar' = {rec['calendar']!r} is not a known calendar; use \"data\" "
                '(the data\'s own sessions), "24/5" or an exchange_calendars code such as '
                "XMOS, XNYS, XLON, XETR",
            )
        if ("close_time" in rec) != ("timezone" in rec):
            raise DataFileError(p, where, "give close_time and timezone together")
        values = dict(rec)
        values["aliases"] = tuple(rec.get("aliases", ()))
        items.append(Instrument(id=key, **values))
    reg = InstrumentRegistry(items, path=str(p))
    for inst in reg.values():
        if inst.benchmark is not None and inst.benchmark not in reg:
            raise DataFileError(
                p,
                f"[instruments.{inst.id}]",
                f"field 'benchmark' = {inst.benchmark!r} is not an instrument id",
            )
    return reg
