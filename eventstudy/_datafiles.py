"""Locate and load the editable data files (TOML/CSV) with a schema check on load.

Data files live in the repository's top-level ``data/`` folder, which is where a researcher
edits them. ``EVENTSTUDY_DATA`` points the toolkit at another copy of that folder.
"""

from __future__ import annotations

import csv
import os
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from eventstudy.errors import DataFileError

__all__ = ["data_dir", "data_path", "load_toml", "read_csv_rows", "require_fields"]


def data_dir() -> Path:
    """The folder holding the toolkit's data files.

    ``$EVENTSTUDY_DATA`` if set, else ``data/`` beside the package (a source checkout or an
    editable install), else ``eventstudy/data`` inside an installed wheel.
    """
    env = os.environ.get("EVENTSTUDY_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "data", here / "data"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"cannot find the eventstudy data folder (looked in {here.parent / 'data'} and "
        f"{here / 'data'}); set EVENTSTUDY_DATA to the repository's data/ folder"
    )


def data_path(*parts: str) -> Path:
    """Path of a file inside :func:`data_dir`."""
    return data_dir().joinpath(*parts)


def load_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a TOML file; a syntax error becomes a :class:`DataFileError` naming the line."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:  # message carries "(at line N, column M)"
        raise DataFileError(p, "TOML syntax", str(exc)) from exc
    except FileNotFoundError as exc:
        raise DataFileError(p, "file", "not found") from exc


def require_fields(
    path: object,
    where: str,
    record: Mapping[str, Any],
    fields: Mapping[str, type | tuple[type, ...] | Callable[[Any], bool]],
    *,
    optional: Mapping[str, type | tuple[type, ...] | Callable[[Any], bool]] | None = None,
    allow_extra: bool = False,
) -> None:
    """Check one record of a data file against a simple schema.

    ``fields`` maps required names to a type (or tuple of types) or a predicate. Unknown keys are
    rejected unless ``allow_extra`` so that typos in a hand-edited file do not pass silently.
    """
    if not isinstance(record, Mapping):
        shown = repr(record) if len(repr(record)) <= 60 else repr(record)[:57] + "..."
        raise DataFileError(
            path, where, f"expected a table of fields, got {type(record).__name__} {shown}"
        )
    optional = optional or {}
    for name, check in fields.items():
        if name not in record:
            raise DataFileError(path, where, f"missing required field {name!r}")
        _check(path, where, name, record[name], check)
    for name, check in optional.items():
        if name in record:
            _check(path, where, name, record[name], check)
    if not allow_extra:
        extra = sorted(set(record) - set(fields) - set(optional))
        if extra:
            valid = ", ".join(sorted({*fields, *optional}))
            raise DataFileError(path, where, f"unknown field(s) {extra}; valid fields: {valid}")


def _check(path: object, where: str, name: str, value: Any, check: Any) -> None:
    if isinstance(check, type | tuple):
        if not isinstance(value, check):
            want = (
                " or ".join(t.__name__ for t in check)
                if isinstance(check, tuple)
                else check.__name__
            )
            raise DataFileError(path, where, f"field {name!r} = {value!r} should be of type {want}")
    elif not check(value):
        doc = getattr(check, "__doc__", None) or "a valid value"
        raise DataFileError(path, where, f"field {name!r} = {value!r} is not {doc.strip()}")


def read_csv_rows(
    path: str | os.PathLike[str], required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` from a CSV file with a header, checking its columns.

    Lines starting with ``#`` are comments. Line numbers are 1-based physical lines of the file,
    so an error message can point at the line a researcher has to fix.
    """
    p = Path(path)
    try:
        fh = p.open(newline="", encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataFileError(p, "file", "not found") from exc
    with fh:
        lines = ((i, line) for i, line in enumerate(fh, start=1) if not line.startswith("#"))
        numbered = list(lines)
    if not numbered:
        raise DataFileError(p, "line 1", f"empty file; expected a header with {list(required)}")
    reader = csv.reader([line for _, line in numbered])
    header = [h.strip() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFileError(
            p, f"line {numbered[0][0]}", f"missing column(s) {missing}; header is {header}"
        )
    unknown = [c for c in header if c not in required and c not in optional]
    if unknown:
        raise DataFileError(
            p,
            f"line {numbered[0][0]}",
            f"unknown column(s) {unknown}; valid columns: {[*required, *optional]}",
        )
    for (lineno, _), values in zip(numbered[1:], reader, strict=False):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise DataFileError(
                p, f"line {lineno}", f"{len(values)} fields, expected {len(header)} ({header})"
            )
        yield lineno, {h: v.strip() for h, v in zip(header, values, strict=True)}
