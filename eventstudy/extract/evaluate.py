"""Score an extracted event catalog against hand-annotated gold events.

The gold files (``tests/extract/annotations/*.csv``) hold one row per *mention* of an event in an
article: ``article_id, gold_id, event_key, date, date_end, date_precision, modality, category,
mode, direction, actors, optional, cue, notes``. Rows of one article that share an ``event_key``
are one **gold unit** (the event as reported by that article); the same ``event_key`` in several
articles is the same real-world event, which lets the scorer check that the extractor merged them.
The annotation guidelines are in ``tests/extract/annotations/README.md``.

Matching
--------
A catalog row *c* can match a gold unit *u* of article *a* when all of these hold:

1. *a* is among ``c.sources`` (";"-joined article ids);
2. the event types are compatible: ``c.category`` is one of the unit's categories (a gold
   category may list alternatives, ``"accuse|reject"``, or be the wildcard ``"*"``), **or**
   ``c.mode`` equals one of the unit's (non-empty) modes;
3. the actor sets overlap (gold ``"*"`` matches any actors);
4. the dates are close: the gap between the intervals ``[c.date, c.date_end]`` and
   ``[u.date, u.date_end]`` is at most ``window_days`` calendar days (default 3);
5. hypothetical gold units match only rows whose ``modality`` is ``"hypothetical"``, and the other
   way round (the extractor leaves hypothetical events out by default, so they are never counted
   as missed).

With ``score(..., texts=...)`` (the articles' texts) a sixth condition holds too:

6. the row's evidence covers the unit: one of the row's evidence spans in *a* (the catalog's
   ``all_evidence`` column, else ``evidence``: ``article_id:start-end`` joined by ";") contains
   the start of a piece of one of the unit's gold cues (pieces split on "...") in *a*'s text.

Without it a row that reports another event of the same article, with overlapping actors and a
date within the window, can stand in for a unit the extractor missed; the unit then counts as
found, and usually as found with a wrong date. Condition 6 counts only the row that reports the
unit's own sentence (or a sentence of another mention of the same event that the row merged).

Condition 2 is dropped with ``score(..., match_types=False)``: the issue states recall and
category accuracy as separate targets, so an event found with the wrong type counts as found
(and against category accuracy) instead of as a miss plus a false positive. The strict default
is what the regression floors and tables in this repository use unless they say otherwise.

For a unit with several rows, matching accepts the categories, modes and actors of any of its
rows, while the accuracies below compare with the unit's required rows (its date is that of the
most precise required row).

Within one article each catalog row is assigned to at most one gold unit and each unit to at most
one row by an optimal assignment (``scipy.optimize.linear_sum_assignment``) that maximises the
number of matched required units first, then of optional ones, then prefers small date gaps,
exact categories and large actor overlap. A catalog row may match units of *different* articles
(that is what a merged event does).

Metrics
-------
Only **required** units count for recall and for the accuracies (``optional`` = 1 marks a
mention that an analyst may or may not list, e.g. a date only implied by the publication date, a
historical background event, or an act with no clear PLOVER type). Optional units still absorb
catalog rows, so finding them never costs precision.

- ``recall`` = found required units / required units (hypothetical units excluded).
- ``precision`` = catalog rows matched to some gold unit (required or optional) / catalog rows
  whose sources include an annotated article.
- ``date_accuracy`` = among found required units whose gold precision is ``day``, the share with
  ``|c.date - u.date| <= date_tolerance_days`` (0: the exact day).
- ``category_accuracy`` / ``direction_accuracy`` / ``modality_accuracy``: share of found required
  units whose catalog value is one of the gold alternatives.
- ``actor_accuracy``: share of found required units whose catalog actor set equals the gold set;
  ``actor_jaccard``: their mean Jaccard overlap.
- ``event_recall``: real events (``event_key``) with at least one found required unit / events.
- ``merge_rate``: among events found in two or more articles, the share whose found units all
  point to one and the same catalog row.

A metric whose denominator is zero is ``nan``; :meth:`Scores.summary` prints it as ``n/a`` with
the reason.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from eventstudy._datafiles import read_csv_rows
from eventstudy.errors import DataFileError, EventStudyError

__all__ = [
    "CATEGORIES",
    "DIRECTIONS",
    "GOLD_COLUMNS",
    "MODALITIES",
    "PRECISIONS",
    "EvaluationError",
    "Scores",
    "load_gold",
    "score",
]

CATEGORIES: tuple[str, ...] = (
    "agree",
    "consult",
    "support",
    "concede",
    "cooperate",
    "aid",
    "retreat",
    "request",
    "accuse",
    "reject",
    "threaten",
    "protest",
    "sanction",
    "mobilize",
    "coerce",
    "assault",
)
"""The PLOVER event types used by the catalog."""

PRECISIONS: tuple[str, ...] = ("day", "week", "month", "approximate")
MODALITIES: tuple[str, ...] = ("occurred", "announced", "scheduled", "hypothetical")
DIRECTIONS: tuple[str, ...] = ("escalation", "de-escalation", "neutral")
GOLD_COLUMNS: tuple[str, ...] = (
    "article_id",
    "gold_id",
    "event_key",
    "date",
    "date_end",
    "date_precision",
    "modality",
    "category",
    "mode",
    "direction",
    "actors",
    "optional",
    "cue",
    "notes",
)
_PRECISION_RANK = {p: i for i, p in enumerate(PRECISIONS)}
_ACTOR_RE = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")
_WILDCARD = "*"
# assignment weights: one match outweighs any quality penalty (each < 62)
_W_REQUIRED = 1000.0
_W_OPTIONAL = 100.0


class EvaluationError(EventStudyError, ValueError):
    """The catalog handed to :func:`score` lacks a column or holds a value that cannot be read."""


# ----------------------------------------------------------------------------------------------
# gold files


def _split(value: object, sep: str) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(p.strip() for p in str(value).split(sep) if p.strip())


def _parse_date(path: object, where: str, name: str, text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DataFileError(
            path, where, f"field {name!r} = {text!r} is not a YYYY-MM-DD date"
        ) from exc


def _check_choices(
    path: object, where: str, name: str, value: str, valid: Sequence[str], *, wildcard: bool
) -> None:
    parts = value.split("|")
    for part in parts:
        if part == _WILDCARD and wildcard:
            continue
        if part not in valid:
            extra = " or '*' (optional rows only)" if name == "category" else ""
            raise DataFileError(
                path,
                where,
                f"field {name!r} = {value!r}: {part!r} is not one of {list(valid)}{extra}; "
                "alternatives are separated by '|'",
            )


def load_gold(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and check a gold annotation CSV (see ``tests/extract/annotations/README.md``).

    Every value is checked against the schema; an error names the file, the line and the field.
    Rows of one article with the same ``event_key`` must agree on hypothetical-ness and, if both
    are day-precise, on the date; ``gold_id`` must be unique.

    Returns
    -------
    pandas.DataFrame
        The rows with ``date``/``date_end`` as :class:`datetime.date`, ``optional`` as bool and
        a ``line`` column with the file line number.
    """
    p = Path(path)
    rows: list[dict[str, Any]] = []
    seen_ids: dict[str, int] = {}
    for lineno, raw in read_csv_rows(p, GOLD_COLUMNS):
        where = f"line {lineno}"
        for name in ("article_id", "gold_id", "event_key", "date", "date_precision", "modality"):
            if not raw[name]:
                raise DataFileError(p, where, f"field {name!r} is empty")
        if raw["gold_id"] in seen_ids:
            raise DataFileError(
                p, where, f"gold_id {raw['gold_id']!r} repeats line {seen_ids[raw['gold_id']]}"
            )
        seen_ids[raw["gold_id"]] = lineno
        if raw["optional"] not in ("0", "1"):
            raise DataFileError(p, where, f"field 'optional' = {raw['optional']!r} is not 0 or 1")
        optional = raw["optional"] == "1"
        date = _parse_date(p, where, "date", raw["date"])
        date_end = _parse_date(p, where, "date_end", raw["date_end"]) if raw["date_end"] else date
        if date_end < date:
            raise DataFileError(p, where, f"date_end {date_end} is before date {date}")
        _check_choices(
            p, where, "date_precision", raw["date_precision"], PRECISIONS, wildcard=False
        )
        _check_choices(p, where, "modality", raw["modality"], MODALITIES, wildcard=False)
        if not raw["category"]:
            raise DataFileError(p, where, "field 'category' is empty")
        _check_choices(p, where, "category", raw["category"], CATEGORIES, wildcard=optional)
        if not raw["direction"]:
            raise DataFileError(p, where, "field 'direction' is empty")
        _check_choices(p, where, "direction", raw["direction"], DIRECTIONS, wildcard=False)
        actors = _split(raw["actors"], ";")
        if not actors:
            raise DataFileError(p, where, "field 'actors' is empty")
        for actor in actors:
            if not (_ACTOR_RE.match(actor) or (actor == _WILDCARD and optional)):
                raise DataFileError(
                    p,
                    where,
                    f"field 'actors' = {raw['actors']!r}: {actor!r} is not an upper-case code "
                    "(ISO alpha-3 or NATO, EU, UN, OSCE, G7 ...)",
                )
        if not raw["cue"]:
            raise DataFileError(p, where, "field 'cue' is empty")
        rows.append(
            {
                **raw,
                "date": date,
                "date_end": date_end,
                "optional": optional,
                "line": lineno,
            }
        )
    frame = pd.DataFrame(rows, columns=[*GOLD_COLUMNS, "line"])
    for (article, key), group in frame.groupby(["article_id", "event_key"], sort=False):
        hyp = {m == "hypothetical" for m in group["modality"]}
        if len(hyp) > 1:
            raise DataFileError(
                p,
                f"line {group['line'].iloc[0]}",
                f"event_key {key!r} in article {article!r} mixes hypothetical and other modalities",
            )
        day_dates = set(group.loc[group["date_precision"] == "day", "date"])
        if len(day_dates) > 1:
            raise DataFileError(
                p,
                f"line {group['line'].iloc[0]}",
                f"event_key {key!r} in article {article!r} has day-precise rows with different "
                f"dates {sorted(map(str, day_dates))}",
            )
    return frame


# ----------------------------------------------------------------------------------------------
# scoring


@dataclass(frozen=True)
class _Unit:
    article: str
    key: str
    gold_ids: str
    required: bool
    hypothetical: bool
    date: _dt.date
    date_end: _dt.date
    precision: str
    modality: tuple[str, ...]
    categories: frozenset[str]  # accepted answers: pooled over the required rows
    directions: frozenset[str]
    actors: frozenset[str]
    match_categories: frozenset[str]  # for matching: pooled over all rows of the unit
    match_modes: frozenset[str]
    match_actors: frozenset[str]
    order: int


def _units(gold: pd.DataFrame) -> list[_Unit]:
    """The gold units of ``gold`` (rows grouped by article and event key, in order of first
    appearance; rows without either are left out), read from plain records: the scorer runs
    once per setting in the training script's leave-one-set-out tables, and grouping the
    frame with pandas was most of its time."""
    groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for row in gold.to_dict("records"):
        article, key = row["article_id"], row["event_key"]
        if _missing(article) or _missing(key):
            continue
        groups.setdefault((article, key), []).append(row)

    def pooled(rows: list[dict[str, Any]], column: str, sep: str) -> frozenset[str]:
        return frozenset(p for r in rows for p in _split(r[column], sep))

    units: list[_Unit] = []
    for order, ((article, key), group) in enumerate(groups.items()):
        kept = [r for r in group if not bool(r["optional"])]
        pool = kept or group
        primary = min(pool, key=lambda r: _PRECISION_RANK.get(r["date_precision"], math.inf))
        mods: list[str] = []
        for r in pool:
            mods.extend(m for m in _split(r["modality"], "|") if m not in mods)
        units.append(
            _Unit(
                article=str(article),
                key=str(key),
                gold_ids=";".join(str(r["gold_id"]) for r in group),
                required=bool(kept),
                hypothetical=all(r["modality"] == "hypothetical" for r in group),
                date=_as_date(primary["date"]),
                date_end=_as_date(primary["date_end"]),
                precision=str(primary["date_precision"]),
                modality=tuple(mods),
                categories=pooled(pool, "category", "|"),
                directions=pooled(pool, "direction", "|"),
                actors=pooled(pool, "actors", ";"),
                match_categories=pooled(group, "category", "|"),
                match_modes=pooled(group, "mode", "|"),
                match_actors=pooled(group, "actors", ";"),
                order=order,
            )
        )
    return units


def _missing(value: object) -> bool:
    """A group key pandas would drop (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


_CUE_SPLIT = re.compile(r"\.\.\.|\u2026")


def cue_split(cue: object) -> list[str]:
    """The pieces of a gold cue, split on "..." (or "\u2026"), stripped, empty ones dropped;
    none for a missing cue (not a string)."""
    if not isinstance(cue, str):
        return []
    return [p.strip() for p in _CUE_SPLIT.split(cue) if p.strip()]


_SPAN = re.compile(r"(?P<start>\d+)-(?P<end>\d+)")


def _cue_starts(text: str, piece: str) -> list[int]:
    """Offsets where a cue piece occurs in an article's text: verbatim, else ignoring case and
    runs of white space (an annotator's cue may fold a line break or a capital)."""
    found = [m.start() for m in re.finditer(re.escape(piece), text)]
    if not found:
        loose = r"\s+".join(re.escape(w) for w in piece.split())
        found = [m.start() for m in re.finditer(loose, text, re.IGNORECASE)]
    return found


def _evidence_spans(value: object) -> list[tuple[str, int, int]]:
    """``article_id:start-end`` spans joined by ";" (an id may hold ":"; the span is last)."""
    out: list[tuple[str, int, int]] = []
    for part in _split(value, ";"):
        article, _, span = part.rpartition(":")
        m = _SPAN.fullmatch(span)
        if article and m is not None:
            out.append((article, int(m["start"]), int(m["end"])))
    return out


def _evidence_check(
    cat: pd.DataFrame, gold: pd.DataFrame, units: Sequence[_Unit], texts: Mapping[str, str]
) -> Callable[[int, int], bool]:
    """``covers(unit index, catalog row)``: condition 6 of the module doc."""
    column = "all_evidence" if "all_evidence" in cat.columns else "evidence"
    if column not in cat.columns:
        raise EvaluationError(
            "texts= checks each row's evidence, but the catalog has neither 'all_evidence' "
            f"nor 'evidence'; it has {list(cat.columns)}"
        )
    spans = [_evidence_spans(v) for v in cat[column]]
    cues = dict(zip(gold["gold_id"].astype(str), gold["cue"], strict=True))
    starts: list[list[int]] = []
    for u in units:
        if u.article not in texts:
            raise EvaluationError(f"texts= has no text for article {u.article!r}")
        text = texts[u.article]
        at: list[int] = []
        for gid in u.gold_ids.split(";"):
            pieces = cue_split(cues.get(gid))
            if not pieces:
                raise EvaluationError(f"gold row {gid}: texts= needs a cue; it has none")
            for piece in pieces:
                got = _cue_starts(text, piece)
                if not got:
                    raise EvaluationError(
                        f"gold row {gid}: cue piece {piece!r} does not occur in the text of "
                        f"article {u.article!r}"
                    )
                at.extend(got)
        starts.append(at)

    def covers(ui: int, row: int) -> bool:
        article = units[ui].article
        return any(a == article and s0 <= p < s1 for a, s0, s1 in spans[row] for p in starts[ui])

    return covers


def _as_date(value: object) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def _catalog_dates(catalog: pd.DataFrame, column: str) -> list[_dt.date | None]:
    out: list[_dt.date | None] = []
    for idx, value in catalog[column].items():
        if (isinstance(value, str) and not value.strip()) or (
            not isinstance(value, str) and pd.isna(value)
        ):
            out.append(None)
            continue
        try:
            out.append(_as_date(value))
        except (ValueError, TypeError) as exc:
            raise EvaluationError(
                f"catalog row {idx!r}: column {column!r} = {value!r} is not a date"
            ) from exc
    return out


def _gap(a0: _dt.date, a1: _dt.date, b0: _dt.date, b1: _dt.date) -> int:
    """Days between two closed date intervals (0 when they overlap)."""
    if a1 < b0:
        return (b0 - a1).days
    if b1 < a0:
        return (a0 - b1).days
    return 0


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


@dataclass(frozen=True, eq=False)
class Scores:
    """Result of :func:`score`: metrics, their counts, and frames for inspection.

    ``matches`` has one row per gold unit (article x event_key): ``status`` is ``found``,
    ``missed``, ``found-optional``, ``missed-optional`` or ``hypothetical`` (hypothetical units
    that no hypothetical catalog row matched) / ``found-hypothetical``; the matched catalog row's
    fields are prefixed ``cat_``. ``unmatched`` holds the catalog rows (from annotated articles)
    that match no gold unit: the false positives.
    """

    recall: float
    precision: float
    date_accuracy: float
    category_accuracy: float
    direction_accuracy: float
    modality_accuracy: float
    actor_accuracy: float
    actor_jaccard: float
    event_recall: float
    merge_rate: float
    n_gold: int
    n_found: int
    n_catalog: int
    n_catalog_matched: int
    n_day: int
    n_day_exact: int
    n_category: int
    n_direction: int
    n_modality: int
    n_actor_exact: int
    n_events: int
    n_events_found: int
    n_multi_article: int
    n_merged: int
    window_days: int
    date_tolerance_days: int
    matches: pd.DataFrame = field(repr=False)
    unmatched: pd.DataFrame = field(repr=False)
    evidence_checked: bool = False  # condition 6 of the module doc was applied

    def as_dict(self) -> dict[str, float | int]:
        """The metrics and counts (no frames)."""
        return {
            k: getattr(self, k)
            for k in self.__dataclass_fields__
            if k not in ("matches", "unmatched")
        }

    def wrong_dates(self) -> pd.DataFrame:
        """Found required day-precision units dated outside ``date_tolerance_days``."""
        m = self.matches
        sel = (m["status"] == "found") & (m["gold_precision"] == "day") & ~m["date_ok"].astype(bool)
        return m[sel]

    def summary(self) -> str:
        """A small text table of the metrics with their counts."""

        def fmt(value: float, num: int, den: int, why: str) -> str:
            if math.isnan(value):
                return f"n/a ({why})"
            return f"{value:.3f}  ({num}/{den})"

        lines = [
            f"recall              {fmt(self.recall, self.n_found, self.n_gold, 'no gold units')}",
            f"precision           "
            f"{fmt(self.precision, self.n_catalog_matched, self.n_catalog, 'no catalog rows')}",
            f"exact-date accuracy "
            f"{fmt(self.date_accuracy, self.n_day_exact, self.n_day, 'no day-precise match')}",
            f"category accuracy   "
            f"{fmt(self.category_accuracy, self.n_category, self.n_found, 'nothing found')}",
            f"direction accuracy  "
            f"{fmt(self.direction_accuracy, self.n_direction, self.n_found, 'nothing found')}",
            f"modality accuracy   "
            f"{fmt(self.modality_accuracy, self.n_modality, self.n_found, 'nothing found')}",
            f"actor accuracy      "
            f"{fmt(self.actor_accuracy, self.n_actor_exact, self.n_found, 'nothing found')}",
            f"actor jaccard       "
            f"{'n/a' if math.isnan(self.actor_jaccard) else f'{self.actor_jaccard:.3f}'}",
            f"event recall        "
            f"{fmt(self.event_recall, self.n_events_found, self.n_events, 'no events')}",
            f"merge rate          "
            f"{fmt(self.merge_rate, self.n_merged, self.n_multi_article, 'no shared event')}",
            f"(match window +-{self.window_days} days; date tolerance {self.date_tolerance_days}"
            + ("; evidence checked)" if self.evidence_checked else ")"),
        ]
        return "\n".join(lines)


_REQUIRED_CATALOG = ("date", "category", "actors", "sources")


def score(
    catalog: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    date_tolerance_days: int = 0,
    window_days: int = 3,
    articles: Iterable[str] | None = None,
    match_types: bool = True,
    texts: Mapping[str, str] | None = None,
) -> Scores:
    """Match catalog rows to gold units and compute the metrics described in the module doc.

    Parameters
    ----------
    catalog
        An event catalog (columns ``date, category, actors, sources`` required; ``date_end,
        mode, direction, modality, event_id`` used when present). It is not modified.
    gold
        Gold rows as returned by :func:`load_gold` (or a frame with the same columns).
    date_tolerance_days
        Largest date error (days) that still counts as correct for ``date_accuracy``.
    window_days
        Largest gap (days) between catalog and gold date intervals for a match.
    articles
        Article ids to score; default: every article in ``gold``. Catalog rows whose sources
        include none of them are ignored.
    match_types
        ``True`` (default): a catalog row matches a unit only when their event types are
        compatible (condition 2 of the module doc), so a row of the wrong type is a miss and a
        false positive, and ``category_accuracy`` is close to 1 by construction. ``False``:
        the issue's reading, where recall counts the events found (same article, overlapping
        actors, date within the window) whatever their type, and ``category_accuracy`` says
        how many of those have the right type; a type-compatible pair is still preferred in
        the assignment.
    texts
        Article id -> the article's text (``Article.text``, whose offsets the catalog's
        evidence spans use). When given, a row matches a unit only when its evidence covers
        one of the unit's gold cues (condition 6 of the module doc); every scored article
        needs its text, and every cue of its units must occur in it.
    """
    missing = [c for c in _REQUIRED_CATALOG if c not in catalog.columns]
    if missing:
        raise EvaluationError(
            f"catalog lacks column(s) {missing}; it has {list(catalog.columns)} "
            "(expected the event-catalog schema)"
        )
    missing_gold = [c for c in GOLD_COLUMNS if c not in gold.columns and c not in ("cue", "notes")]
    if missing_gold:
        raise EvaluationError(f"gold lacks column(s) {missing_gold}; load it with load_gold()")
    if window_days < 0 or date_tolerance_days < 0:
        raise EvaluationError(
            f"window_days={window_days} and date_tolerance_days={date_tolerance_days} must be >= 0"
        )

    wanted = set(gold["article_id"].astype(str)) if articles is None else set(articles)
    gold = gold[gold["article_id"].astype(str).isin(wanted)]
    units = _units(gold)

    cat = catalog.reset_index(drop=True)
    starts = _catalog_dates(cat, "date")
    ends = _catalog_dates(cat, "date_end") if "date_end" in cat.columns else list(starts)
    ends = [e if e is not None else s for s, e in zip(starts, ends, strict=True)]
    sources = [set(_split(v, ";")) for v in cat["sources"]]
    actors = [frozenset(_split(v, ";")) for v in cat["actors"]]
    categories = [str(v).strip() if isinstance(v, str) else "" for v in cat["category"]]

    def col(name: str) -> list[str]:
        if name not in cat.columns:
            return [""] * len(cat)
        return [str(v).strip() if isinstance(v, str) else "" for v in cat[name]]

    modes, directions, modalities = col("mode"), col("direction"), col("modality")
    event_ids = (
        [str(v) for v in cat["event_id"]]
        if "event_id" in cat.columns
        else [str(i) for i in cat.index]
    )
    considered = [i for i in range(len(cat)) if sources[i] & wanted]
    covers: Any = None
    if texts is not None:
        covers = _evidence_check(cat, gold, units, texts)

    # candidate pairs per article, then an optimal one-to-one assignment within the article
    assignment: dict[int, int] = {}  # unit index -> catalog row
    matched_rows: set[int] = set()
    by_article: dict[str, list[int]] = {}
    for ui, u in enumerate(units):
        by_article.setdefault(u.article, []).append(ui)
    for article, unit_ids in by_article.items():
        rows = [i for i in considered if article in sources[i]]
        if not rows:
            continue
        cost = np.zeros((len(unit_ids), len(rows)))
        for a, ui in enumerate(unit_ids):
            u = units[ui]
            for b, i in enumerate(rows):
                if starts[i] is None:
                    continue
                if u.hypothetical != (modalities[i] == "hypothetical"):
                    continue
                cat_ok = (
                    _WILDCARD in u.match_categories
                    or categories[i] in u.match_categories
                    or (bool(modes[i]) and modes[i] in u.match_modes)
                )
                if not cat_ok and match_types:
                    continue
                if _WILDCARD not in u.match_actors and not (actors[i] & u.match_actors):
                    continue
                if covers is not None and not covers(ui, i):
                    continue
                gap = _gap(starts[i], ends[i], u.date, u.date_end)  # type: ignore[arg-type]
                if gap > window_days:
                    continue
                start_gap = abs((starts[i] - u.date).days)  # type: ignore[operator]
                penalty = (
                    min(gap, 30)
                    + min(start_gap, 30)
                    + (0 if categories[i] in u.categories else 1)
                    + (0 if cat_ok else 2)
                    + (1 - _jaccard(actors[i], u.actors))
                )
                cost[a, b] = -(_W_REQUIRED if u.required else _W_OPTIONAL) + penalty
        for a, b in zip(*linear_sum_assignment(cost), strict=True):
            if cost[a, b] < 0:
                assignment[unit_ids[a]] = rows[b]
                matched_rows.add(rows[b])

    records: list[dict[str, Any]] = []
    n_gold = n_found = n_day = n_day_exact = n_cat = n_dir = n_mod = n_act = 0
    jaccards: list[float] = []
    for ui, u in enumerate(units):
        i = assignment.get(ui)
        found = i is not None
        if u.hypothetical:
            status = "found-hypothetical" if found else "hypothetical"
        elif u.required:
            status = "found" if found else "missed"
        else:
            status = "found-optional" if found else "missed-optional"
        rec: dict[str, Any] = {
            "article_id": u.article,
            "event_key": u.key,
            "gold_ids": u.gold_ids,
            "status": status,
            "required": u.required,
            "gold_date": u.date,
            "gold_date_end": u.date_end,
            "gold_precision": u.precision,
            "gold_category": "|".join(sorted(u.categories)),
            "gold_direction": "|".join(sorted(u.directions)),
            "gold_actors": ";".join(sorted(u.actors)),
            "cat_event_id": None,
            "cat_date": None,
            "cat_category": None,
            "cat_mode": None,
            "cat_direction": None,
            "cat_actors": None,
            "date_ok": False,
            "category_ok": False,
            "direction_ok": False,
            "modality_ok": False,
            "actors_exact": False,
            "actor_jaccard": float("nan"),
        }
        if found:
            assert i is not None
            date_err = abs((starts[i] - u.date).days)  # type: ignore[operator]
            rec.update(
                cat_event_id=event_ids[i],
                cat_date=starts[i],
                cat_category=categories[i],
                cat_mode=modes[i],
                cat_direction=directions[i],
                cat_actors=";".join(sorted(actors[i])),
                date_ok=date_err <= date_tolerance_days,
                category_ok=_WILDCARD in u.categories or categories[i] in u.categories,
                direction_ok=directions[i] in u.directions,
                modality_ok=modalities[i] in u.modality,
                actors_exact=actors[i] == u.actors,
                actor_jaccard=_jaccard(actors[i], u.actors),
            )
        if status in ("found", "missed"):
            n_gold += 1
        if status == "found":
            n_found += 1
            n_cat += rec["category_ok"]
            n_dir += rec["direction_ok"]
            n_mod += rec["modality_ok"]
            n_act += rec["actors_exact"]
            jaccards.append(rec["actor_jaccard"])
            if u.precision == "day":
                n_day += 1
                n_day_exact += rec["date_ok"]
        records.append(rec)
    matches = pd.DataFrame.from_records(records)
    if matches.empty:
        matches = pd.DataFrame(columns=["article_id", "event_key", "status", "gold_precision"])

    # real events (event_key) and merging across articles
    events: dict[str, list[tuple[_Unit, int | None]]] = {}
    for ui, u in enumerate(units):
        if u.required and not u.hypothetical:
            events.setdefault(u.key, []).append((u, assignment.get(ui)))
    n_events = len(events)
    n_events_found = sum(any(i is not None for _, i in lst) for lst in events.values())
    n_multi = n_merged = 0
    for lst in events.values():
        found_rows = [i for _, i in lst if i is not None]
        if len({u.article for u, i in lst if i is not None}) >= 2:
            n_multi += 1
            n_merged += len(set(found_rows)) == 1

    unmatched = cat.loc[[i for i in considered if i not in matched_rows]]
    return Scores(
        recall=_ratio(n_found, n_gold),
        precision=_ratio(len(considered) - len(unmatched), len(considered)),
        date_accuracy=_ratio(n_day_exact, n_day),
        category_accuracy=_ratio(n_cat, n_found),
        direction_accuracy=_ratio(n_dir, n_found),
        modality_accuracy=_ratio(n_mod, n_found),
        actor_accuracy=_ratio(n_act, n_found),
        actor_jaccard=sum(jaccards) / len(jaccards) if jaccards else float("nan"),
        event_recall=_ratio(n_events_found, n_events),
        merge_rate=_ratio(n_merged, n_multi),
        n_gold=n_gold,
        n_found=n_found,
        n_catalog=len(considered),
        n_catalog_matched=len(considered) - len(unmatched),
        n_day=n_day,
        n_day_exact=n_day_exact,
        n_category=n_cat,
        n_direction=n_dir,
        n_modality=n_mod,
        n_actor_exact=n_act,
        n_events=n_events,
        n_events_found=n_events_found,
        n_multi_article=n_multi,
        n_merged=n_merged,
        window_days=window_days,
        date_tolerance_days=date_tolerance_days,
        matches=matches,
        unmatched=unmatched,
        evidence_checked=texts is not None,
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if _WILDCARD in b:
        return 1.0
    union = a | b
    return len(a & b) / len(union) if union else 1.0
