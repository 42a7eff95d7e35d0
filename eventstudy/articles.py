"""Articles: read dated news texts into :class:`Article` records.

Recognised inputs
-----------------
Plain-text files (``.txt``, ``.md``) in one of three header formats:

``dateline``
    ``' date YYYY-MM-DD (Outlet) -- body'`` on the first line (the outlet part is optional).
``title-date-url``
    a title line, a ``YYYYMMDD`` line, a URL line, then body lines.
``markdown``
    Economist-style markdown: ``#`` heading lines (rubric, title, standfirst), image lines and a
    ``> Jan 15th 2022`` date line, then body lines.

Corpora of many articles: JSON Lines (``.jsonl``/``.ndjson``, one object per line) and CSV files
with date, title and text fields (the accepted field names are in ``data/articles.toml``).

Page furniture (image lines, "To view this video please enable JavaScript…") is removed from the
text and kept in :attr:`Article.removed`, so nothing is lost silently. The patterns are data in
``data/articles.toml``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, overload
from urllib.parse import urlparse

import pandas as pd

from eventstudy._datafiles import data_path, load_toml, require_fields
from eventstudy.errors import ArticleError, DataFileError, SkippedInputWarning

__all__ = ["Article", "Corpus", "Skipped", "parse_date", "read_articles"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
CSV_SUFFIXES = frozenset({".csv"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES

FORMATS_HELP = (
    "' date YYYY-MM-DD (Outlet) -- body' on the first line; or a title line, a YYYYMMDD line, "
    "a URL line, then the body; or Economist markdown with a '> Jan 15th 2022' date line; "
    "or a .jsonl/.csv corpus with date, title and text fields"
)


@dataclass(frozen=True)
class Article:
    """One dated news article.

    Attributes
    ----------
    id : str
        File stem (or the record's id in a JSONL/CSV corpus).
    published : datetime.date
        Publication date.
    source : str or None
        Outlet, from the header; else the URL's host; else None.
    title, url : str or None
        As given in the header, None when the format has none.
    text : str
        The body, page furniture removed: ``"\\n\\n".join(paragraphs)``. Evidence character
        spans refer to this string.
    paragraphs : tuple of str
        Non-empty body lines, stripped.
    path : str or None
        File the article was read from.
    format : str
        Header format recognised: dateline, title-date-url, markdown, jsonl, csv, plain.
    removed : tuple of str
        Lines removed as page furniture.
    meta : dict
        Anything else the header carried (e.g. a markdown rubric or standfirst).
    """

    id: str
    published: dt.date
    source: str | None
    title: str | None
    url: str | None
    text: str
    paragraphs: tuple[str, ...]
    path: str | None = None
    format: str = "plain"
    removed: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def words(self) -> int:
        """Number of whitespace-separated words in :attr:`text`."""
        return len(self.text.split())

    def paragraph_spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` character offsets of each paragraph in :attr:`text`."""
        spans, pos = [], 0
        for para in self.paragraphs:
            spans.append((pos, pos + len(para)))
            pos += len(para) + 2
        return spans


@dataclass(frozen=True)
class Skipped:
    """An input that was not read, and why."""

    path: str
    reason: str


class Corpus(Sequence[Article]):
    """The articles read from a file or folder, in a stable order, plus what was skipped.

    Behaves as a sequence of :class:`Article`; ``corpus["001_7256e83de7b75e2d"]`` looks an
    article up by id.
    """

    def __init__(
        self,
        articles: Iterable[Article],
        skipped: Iterable[Skipped] = (),
        ignored: Iterable[str] = (),
    ) -> None:
        self._articles = tuple(articles)
        self._by_id = {a.id: a for a in self._articles}
        self.skipped: tuple[Skipped, ...] = tuple(skipped)
        self.ignored: tuple[str, ...] = tuple(ignored)

    @overload
    def __getitem__(self, key: int | str) -> Article: ...
    @overload
    def __getitem__(self, key: slice) -> Corpus: ...
    def __getitem__(self, key: int | str | slice) -> Article | Corpus:
        if isinstance(key, str):
            try:
                return self._by_id[key]
            except KeyError:
                raise KeyError(f"no article with id {key!r}") from None
        if isinstance(key, slice):
            return Corpus(self._articles[key])
        return self._articles[key]

    def __len__(self) -> int:
        return len(self._articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self._articles)

    def __repr__(self) -> str:
        extra = f", {len(self.skipped)} skipped" if self.skipped else ""
        return f"<Corpus of {len(self)} articles{extra}>"

    def to_frame(self) -> pd.DataFrame:
        """One row per article: id, published, source, title, url, words, paragraphs, format."""
        rows = [
            {
                "id": a.id,
                "published": pd.Timestamp(a.published),
                "source": a.source,
                "title": a.title,
                "url": a.url,
                "words": a.words,
                "paragraphs": len(a.paragraphs),
                "format": a.format,
                "path": a.path,
            }
            for a in self._articles
        ]
        cols = ["id", "published", "source", "title", "url", "words", "paragraphs", "format"]
        return pd.DataFrame(rows, columns=[*cols, "path"])


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class _Config:
    furniture: tuple[re.Pattern[str], ...]
    fields: Mapping[str, tuple[str, ...]]


_FIELD_KEYS = ("id", "published", "title", "text", "url", "source")


def _is_list_of_str(value: Any) -> bool:
    """a list of strings"""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


@lru_cache(maxsize=4)
def _config(path: str | None = None) -> _Config:
    p = Path(path) if path else data_path("articles.toml")
    raw = load_toml(p)
    require_fields(p, "top level", raw, {"furniture": dict, "fields": dict})
    require_fields(p, "[furniture]", raw["furniture"], {"line_patterns": _is_list_of_str})
    require_fields(p, "[fields]", raw["fields"], dict.fromkeys(_FIELD_KEYS, _is_list_of_str))
    patterns = []
    for i, pat in enumerate(raw["furniture"]["line_patterns"]):
        try:
            patterns.append(re.compile(pat, re.IGNORECASE))
        except re.error as exc:
            raise DataFileError(
                p, f"[furniture] line_patterns[{i}]", f"bad regular expression {pat!r}: {exc}"
            ) from exc
    fields = {k: tuple(raw["fields"][k]) for k in _FIELD_KEYS}
    return _Config(tuple(patterns), fields)


# --------------------------------------------------------------------------- dates

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})(?:[T ].*)?$"),
    re.compile(r"^(?P<year>\d{4})(?P<m>\d{2})(?P<day>\d{2})$"),
    re.compile(rf"^{_MONTH_RE}\s+{_DAY_RE},?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^{_DAY_RE}\s+{_MONTH_RE},?\s+(?P<year>\d{{4}})$"),
)


def parse_date(value: str | dt.date | dt.datetime | pd.Timestamp) -> dt.date:
    """Parse a publication date.

    Accepts ``YYYY-MM-DD`` (optionally followed by a time), ``YYYYMMDD``, ``Jan 15th 2022``,
    ``January 15, 2022`` and ``15 January 2022``, or a date/datetime object.

    Raises
    ------
    ValueError
        If the text is not one of those forms or is not a valid calendar date.
    """
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    for pat in _DATE_PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        gd = m.groupdict()
        if "m" in gd:
            month = int(gd["m"])
        else:
            month = _MONTHS.get(gd["month"].lower(), 0)
            if not month:
                raise ValueError(f"unknown month name {gd['month']!r} in date {s!r}")
        try:
            return dt.date(int(gd["year"]), month, int(gd["day"]))
        except ValueError as exc:
            raise ValueError(f"not a valid date: {s!r} ({exc})") from None
    raise ValueError(f"unrecognised date {s!r}; expected YYYY-MM-DD, YYYYMMDD or 'Jan 15th 2022'")


# --------------------------------------------------------------------------- text formats

_DATELINE = re.compile(
    r"^\s*date\s+(?P<date>\S+)\s*(?:\((?P<source>[^)]*)\)\s*--\s*)?(?P<body>.*)$", re.DOTALL
)
_URL = re.compile(r"^https?://\S+$")
_MD_DATE = re.compile(r"^>\s*(?P<date>.+?)\s*$")


class _Undated(Exception):
    """The header format was recognised but carries no usable date."""


def _decode(path: Path, raw: bytes, encoding: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ArticleError(
            path,
            f"cannot decode byte {raw[exc.start : exc.start + 1]!r} at offset {exc.start} as "
            f"{encoding}; expected {encoding} text (re-save the file as UTF-8 or pass "
            "encoding=...)",
        ) from None
    return text.removeprefix("\ufeff")


def _split_body(lines: Iterable[str], cfg: _Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
    paragraphs: list[str] = []
    removed: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if any(p.fullmatch(s) for p in cfg.furniture):
            removed.append(s)
        else:
            paragraphs.append(s)
    return tuple(paragraphs), tuple(removed)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname
    return host.removeprefix("www.") if host else None


def _parse_text(text: str, path: Path, cfg: _Config, published: dt.date | None) -> dict[str, Any]:
    """Recognise the header of one text article; return the Article fields."""
    lines = text.splitlines()
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        raise ArticleError(
            path, f"empty file (only whitespace); expected an article: {FORMATS_HELP}"
        )
    first = nonblank[0]

    m = _DATELINE.match(first)
    if m and re.match(r"^\s*date\s", first):
        try:
            date: dt.date | None = parse_date(m.group("date"))
        except ValueError as exc:
            raise _Undated(f"dateline {first[:40]!r}: {exc}") from None
        source = (m.group("source") or "").strip() or None
        body_first = m.group("body")
        rest = lines[lines.index(first) + 1 :]
        paragraphs, removed = _split_body([body_first, *rest], cfg)
        return dict(
            published=date,
            source=source,
            title=None,
            url=None,
            paragraphs=paragraphs,
            removed=removed,
            format="dateline",
            meta={},
        )

    if len(nonblank) >= 3 and _URL.match(nonblank[2].strip()) and not first.startswith("#"):
        date_line = nonblank[1].strip()
        url = nonblank[2].strip()
        try:
            date = parse_date(date_line)
        except ValueError as exc:
            raise _Undated(
                f"second line {date_line[:40]!r} should be a YYYYMMDD date: {exc}"
            ) from None
        start = lines.index(nonblank[2]) + 1
        paragraphs, removed = _split_body(lines[start:], cfg)
        return dict(
            published=date,
            source=_host(url),
            title=first.strip(),
            url=url,
            paragraphs=paragraphs,
            removed=removed,
            format="title-date-url",
            meta={},
        )

    if first.lstrip().startswith("#"):
        headings: list[tuple[int, str]] = []
        date = None
        body_start = None
        for i, line in enumerate(lines):
            s = line.strip()
            if not s:
                continue
            hm = re.match(r"^(#{1,6})\s*(.*)$", s)
            if hm:
                headings.append((len(hm.group(1)), hm.group(2).strip()))
                continue
            dm = _MD_DATE.match(s)
            if dm and date is None:
                try:
                    date = parse_date(dm.group("date"))
                except ValueError:
                    date = None
                else:
                    body_start = i + 1
                    break
                continue
            if any(p.fullmatch(s) for p in cfg.furniture):
                continue
            break  # first body line reached without a date line
        if date is None or body_start is None:
            if published is None:
                raise _Undated(
                    "markdown article with no '> Jan 15th 2022' date line before the body"
                )
            body_start = next(
                (i for i, ln in enumerate(lines) if ln.strip() and not ln.strip().startswith("#")),
                len(lines),
            )
        top = min((lvl for lvl, _ in headings), default=None)
        title_at = next((j for j, (lvl, _) in enumerate(headings) if lvl == top), None)
        title = headings[title_at][1] if title_at is not None else None
        meta: dict[str, Any] = {}
        for j, (_, heading) in enumerate(headings):
            if title_at is not None and j != title_at:
                key = "rubric" if j < title_at else "standfirst"
                meta[key] = f"{meta[key]} / {heading}" if key in meta else heading
        header_removed = [
            ln.strip()
            for ln in lines[:body_start]
            if ln.strip() and any(p.fullmatch(ln.strip()) for p in cfg.furniture)
        ]
        paragraphs, removed = _split_body(lines[body_start:], cfg)
        return dict(
            published=date,
            source=None,
            title=title,
            url=None,
            paragraphs=paragraphs,
            removed=(*header_removed, *removed),
            format="markdown",
            meta=meta,
        )

    if published is not None:
        paragraphs, removed = _split_body(lines, cfg)
        return dict(
            published=None,
            source=None,
            title=None,
            url=None,
            paragraphs=paragraphs,
            removed=removed,
            format="plain",
            meta={},
        )
    raise ArticleError(
        path,
        f"unknown header format (first line {first.strip()[:60]!r}); expected {FORMATS_HELP}. "
        "For an undated plain text pass published=YYYY-MM-DD.",
    )


def _make_article(
    ident: str,
    fields: dict[str, Any],
    path: Path,
    published: dt.date | Mapping[str, dt.date] | None,
    where: str = "",
) -> Article:
    supplied = published.get(ident) if isinstance(published, Mapping) else published
    date = fields["published"]
    if date is None:
        if supplied is None:
            raise ArticleError(
                path,
                f"{where}no publication date; expected a dated header ({FORMATS_HELP}) "
                "or pass published=YYYY-MM-DD",
            )
        date = supplied
    elif isinstance(published, Mapping) and supplied is not None and supplied != date:
        raise ArticleError(
            path,
            f"{where}the header says published {date}, but published= gives {supplied} for "
            f"{ident!r}; remove one of them",
        )
    if not fields["paragraphs"]:
        raise ArticleError(path, f"{where}header but no body text; expected the article's text")
    return Article(
        id=ident,
        published=date,
        source=fields["source"],
        title=fields["title"],
        url=fields["url"],
        text="\n\n".join(fields["paragraphs"]),
        paragraphs=fields["paragraphs"],
        path=str(path),
        format=fields["format"],
        removed=fields["removed"],
        meta=fields["meta"],
    )


def _read_text_file(path: Path, cfg: _Config, published: Any, encoding: str) -> list[Article]:
    raw = path.read_bytes()
    if not raw.strip():
        raise ArticleError(path, f"empty file; expected an article: {FORMATS_HELP}")
    text = _decode(path, raw, encoding)
    supplied = published.get(path.stem) if isinstance(published, Mapping) else published
    try:
        fields = _parse_text(text, path, cfg, supplied)
    except _Undated as exc:
        if supplied is None:
            raise ArticleError(
                path, f"no publication date: {exc}; pass published=YYYY-MM-DD to supply one"
            ) from None
        fields = _parse_text_with_date(text, path, cfg, supplied)
    return [_make_article(path.stem, fields, path, published)]


def _parse_text_with_date(text: str, path: Path, cfg: _Config, date: dt.date) -> dict[str, Any]:
    """An undated header: read everything after the header lines as the body, with ``date``."""
    lines = text.splitlines()
    body = [ln for ln in lines if not ln.lstrip().startswith(("#", ">"))]
    first = next((ln for ln in lines if ln.strip()), "")
    m = _DATELINE.match(first)
    if m and re.match(r"^\s*date\s", first):
        body = [m.group("body"), *lines[lines.index(first) + 1 :]]
    paragraphs, removed = _split_body(body, cfg)
    return dict(
        published=date,
        source=None,
        title=None,
        url=None,
        paragraphs=paragraphs,
        removed=removed,
        format="plain",
        meta={},
    )


def _pick(record: Mapping[str, Any], names: Sequence[str]) -> Any:
    for n in names:
        if n in record and record[n] not in (None, ""):
            return record[n]
    return None


def _records_to_articles(
    records: Iterable[tuple[int, Mapping[str, Any]]],
    path: Path,
    cfg: _Config,
    published: Any,
    fmt: str,
    errors: str,
    skipped: list[Skipped],
) -> list[Article]:
    out: list[Article] = []
    f = cfg.fields
    for lineno, rec in records:
        where = f"line {lineno}: "
        try:
            text = _pick(rec, f["text"])
            if text is None:
                raise ArticleError(path, f"{where}no text field; expected one of {list(f['text'])}")
            ident = str(_pick(rec, f["id"]) or f"{path.stem}-{lineno}")
            raw_date = _pick(rec, f["published"])
            date = None
            if raw_date is not None:
                try:
                    date = parse_date(str(raw_date))
                except ValueError as exc:
                    raise ArticleError(path, f"{where}field date: {exc}") from None
            url = _pick(rec, f["url"])
            paragraphs, removed = _split_body(str(text).splitlines(), cfg)
            fields = dict(
                published=date,
                source=_pick(rec, f["source"]) or _host(url),
                title=_pick(rec, f["title"]),
                url=url,
                paragraphs=paragraphs,
                removed=removed,
                format=fmt,
                meta={},
            )
            out.append(_make_article(ident, fields, path, published, where))
        except ArticleError as exc:
            if errors == "raise":
                raise
            skipped.append(Skipped(f"{path}:{lineno}", exc.problem))
    return out


def _read_jsonl(
    path: Path, cfg: _Config, published: Any, encoding: str, errors: str, skipped: list[Skipped]
) -> list[Article]:
    raw = path.read_bytes()
    if not raw.strip():
        raise ArticleError(path, "empty file; expected JSON Lines, one article object per line")
    text = _decode(path, raw, encoding)

    def records() -> Iterator[tuple[int, Mapping[str, Any]]]:
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                err = ArticleError(
                    path, f"line {lineno}: not valid JSON ({exc.msg}); expected one object per line"
                )
                if errors == "raise":
                    raise err from None
                skipped.append(Skipped(f"{path}:{lineno}", err.problem))
                continue
            if not isinstance(rec, dict):
                err = ArticleError(
                    path, f"line {lineno}: expected a JSON object, got {type(rec).__name__}"
                )
                if errors == "raise":
                    raise err
                skipped.append(Skipped(f"{path}:{lineno}", err.problem))
                continue
            yield lineno, rec

    return _records_to_articles(records(), path, cfg, published, "jsonl", errors, skipped)


def _read_csv(
    path: Path, cfg: _Config, published: Any, encoding: str, errors: str, skipped: list[Skipped]
) -> list[Article]:
    raw = path.read_bytes()
    if not raw.strip():
        raise ArticleError(
            path, "empty file; expected a CSV with a header and date, title, text columns"
        )
    text = _decode(path, raw, encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if not any(n in header for n in cfg.fields["text"]):
        raise ArticleError(
            path,
            f"line 1: CSV header {header} has no text column; expected one of "
            f"{list(cfg.fields['text'])} and a date column such as "
            f"{list(cfg.fields['published'])[:3]}",
        )

    def records() -> Iterator[tuple[int, Mapping[str, Any]]]:
        start = reader.line_num + 1  # physical line where the next record begins
        for rec in reader:
            yield start, rec
            start = reader.line_num + 1

    return _records_to_articles(records(), path, cfg, published, "csv", errors, skipped)


def _read_one(
    path: Path, cfg: _Config, published: Any, encoding: str, errors: str, skipped: list[Skipped]
) -> list[Article]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(path, cfg, published, encoding, errors, skipped)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, cfg, published, encoding, errors, skipped)
    return _read_text_file(path, cfg, published, encoding)


def read_articles(
    path: str | Path,
    *,
    errors: Literal["raise", "skip"] = "raise",
    published: str | dt.date | Mapping[str, str | dt.date] | None = None,
    encoding: str = "utf-8",
) -> Corpus:
    """Read one article file, a JSONL/CSV corpus, or a folder of them.

    Parameters
    ----------
    path : str or Path
        A file (``.txt``/``.md`` article, ``.jsonl``/``.ndjson`` or ``.csv`` corpus) or a folder.
        In a folder, files with other suffixes and hidden files are not read; they are listed in
        :attr:`Corpus.ignored`.
    errors : {"raise", "skip"}
        ``"raise"`` (default): the first unreadable file raises :class:`ArticleError` naming the
        file and what was expected. ``"skip"``: read the rest, list what was skipped in
        :attr:`Corpus.skipped` and issue one :class:`SkippedInputWarning` naming them.
    published : date, str, or mapping of id to date, optional
        A publication date for texts that carry none. A single date applies to every undated
        article; a mapping applies per article id and must agree with dated headers.
    encoding : str
        Text encoding (default UTF-8; a byte-order mark is accepted).

    Returns
    -------
    Corpus
        The articles sorted by id, with ``skipped`` and ``ignored``.
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', got {errors!r}")
    p = Path(path)
    if not p.exists():
        raise ArticleError(p, "no such file or folder")
    if isinstance(published, Mapping):
        pub: Any = {k: parse_date(v) for k, v in published.items()}
    elif published is not None:
        pub = parse_date(published)
    else:
        pub = None
    cfg = _config()

    ignored: list[str] = []
    if p.is_dir():
        files = []
        for f in sorted(p.iterdir()):
            if f.name.startswith(".") or not f.is_file():
                continue
            if f.suffix.lower() in ARTICLE_SUFFIXES and f.name.lower() != "readme.md":
                files.append(f)
            else:
                ignored.append(str(f))
        if not files:
            raise ArticleError(
                p,
                f"no article files in folder; expected files ending in {sorted(ARTICLE_SUFFIXES)}",
            )
    else:
        files = [p]

    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for f in files:
        try:
            got = _read_one(f, cfg, pub, encoding, errors, skipped)
        except ArticleError as exc:
            if errors == "raise":
                if len(files) > 1:
                    raise ArticleError(
                        exc.path, f"{exc.problem} (pass errors='skip' to read the other files)"
                    ) from None
                raise
            skipped.append(Skipped(str(f), exc.problem))
            continue
        for a in got:
            if a.id in seen:
                err = ArticleError(
                    f, f"duplicate article id {a.id!r}, already read from {seen[a.id]}"
                )
                if errors == "raise":
                    raise err
                skipped.append(Skipped(str(f), err.problem))
                continue
            seen[a.id] = str(f)
            articles.append(a)
    if skipped:
        listing = "; ".join(f"{s.path}: {s.reason}" for s in skipped)
        warnings.warn(
            f"skipped {len(skipped)} unreadable input(s): {listing}",
            SkippedInputWarning,
            stacklevel=2,
        )
    articles.sort(key=lambda a: a.id)
    return Corpus(articles, skipped, ignored)
