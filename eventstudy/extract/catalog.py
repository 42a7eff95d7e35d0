"""The event catalog: schema, merging mentions into events, curation overrides, CSV/Parquet I/O.

Schema (``EVENT_COLUMNS``, in this order, then extra traceability columns)::

    event_id        stable id: "E" + 10 hex digits of sha1(date|category|mode|actors)
    date, date_end  datetime64[ns] (midnight, no time zone); date_end == date for a day
    date_precision  day | week | month | approximate
    modality        occurred | announced | scheduled | hypothetical
    category        PLOVER event type;  mode: its refinement
    direction       escalation | de-escalation | neutral (relative to the crisis)
    goldstein       CAMEO Goldstein score (float)
    actors          ";"-joined sorted actor codes (ISO alpha-3, NATO, EU, UN, OSCE, G7 ...)
    summary         one line: type, actors and the evidence sentence
    sources         ";"-joined sorted article ids
    mentions        number of sentences reporting the event
    evidence        best evidence: "<article id>:<start>-<end>" span in ``Article.text``
    confidence      0..1 heuristic confidence of the extraction

Extra columns: ``evidence_text`` (the sentence), ``trigger`` (lexicon rules that fired),
``all_evidence`` (every mention's span, ";"-joined).

The id depends only on what the event is, not on which articles reported it, so the curation
file keeps pointing at the same event when articles are added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from eventstudy._datafiles import data_path, read_csv_rows
from eventstudy.errors import DataFileError, EventStudyError, EventStudyWarning
from eventstudy.extract.coding import (
    CATEGORIES,
    DIRECTIONS,
    MODALITIES,
    PRECISIONS,
    Mention,
    load_lexicon,
)

__all__ = [
    "EVENT_COLUMNS",
    "EXTRA_COLUMNS",
    "CatalogError",
    "OverrideWarning",
    "apply_overrides",
    "empty_catalog",
    "event_id",
    "merge_mentions",
    "read_catalog",
    "review_catalog",
    "write_catalog",
    "write_suggestions",
]

EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "date",
    "date_end",
    "date_precision",
    "modality",
    "category",
    "mode",
    "direction",
    "goldstein",
    "actors",
    "summary",
    "sources",
    "mentions",
    "evidence",
    "confidence",
)
EXTRA_COLUMNS: tuple[str, ...] = ("evidence_text", "trigger", "all_evidence")

_DATE_COLS = ("date", "date_end")
_STR_COLS = (
    "event_id",
    "date_precision",
    "modality",
    "category",
    "mode",
    "direction",
    "actors",
    "summary",
    "sources",
    "evidence",
    "evidence_text",
    "trigger",
    "all_evidence",
)
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "approximate": 3}
_MODALITY_RANK = {"occurred": 0, "announced": 1, "scheduled": 2, "hypothetical": 3}


class CatalogError(EventStudyError, ValueError):
    """An event catalog file or frame does not follow the schema."""


class OverrideWarning(EventStudyWarning):
    """An override refers to an event id that is not in the catalog (it was not applied)."""


def event_id(date: dt.date, category: str, mode: str, actors: str) -> str:
    """Stable event id: ``"E"`` + first 10 hex digits of sha1 of ``date|category|mode|actors``.

    ``actors`` is the ";"-joined sorted code list. The same event extracted again (from the same
    or from other articles) gets the same id, which is what the overrides file refers to.
    """
    key = f"{date.isoformat()}|{category}|{mode}|{actors}"
    return "E" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def empty_catalog() -> pd.DataFrame:
    """A catalog with no rows and the full schema (and its dtypes)."""
    return _typed(pd.DataFrame({c: [] for c in (*EVENT_COLUMNS, *EXTRA_COLUMNS)}))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in _DATE_COLS:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    df["goldstein"] = df["goldstein"].astype("float64")
    df["confidence"] = df["confidence"].astype("float64")
    df["mentions"] = df["mentions"].astype("int64")
    for c in _STR_COLS:
        if c in df.columns:
            df[c] = df[c].fillna("").astype("str")
    cols = [*EVENT_COLUMNS, *[c for c in df.columns if c not in EVENT_COLUMNS]]
    return df[cols].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Merging mentions
# --------------------------------------------------------------------------------------------


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Actor sets that can describe one event: they share min(2, |a|, |b|) codes."""
    return len(a & b) >= min(2, len(a), len(b))


def _same_body_meeting(a: Mention, b: Mention, bodies: frozenset[str]) -> bool:
    """Meetings (not calls) of the same international body or bodies: "the Nato summit" told
    with Biden in one article and with Russia as its topic in another is one summit."""
    if a.category != "consult" or a.mode == "call" or b.mode == "call":
        return False
    ba = bodies.intersection(a.actors)
    return bool(ba) and ba == bodies.intersection(b.actors)


def _overlap(m: Mention, lo: dt.date, hi: dt.date) -> bool:
    return m.date <= hi and lo <= m.date_end


def merge_mentions(
    mentions: Sequence[Mention], *, bodies: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Merge mentions of the same real event into one catalog row each.

    Two mentions are the same event when they have the same category (and, for consultations,
    are both calls or both not calls), their date intervals
    overlap, and their actor sets share ``min(2, |A|, |B|)`` codes, or, for meetings, name the
    same international bodies (``bodies``: the gazetteer's codes of kind ``body``; "the Nato
    summit" with Biden in one article and with Russia in another); mentions of one sentence
    never merge (the coder kept them apart as two acts). Clustering is greedy from
    the most confident mention (the cluster's seed), comparing each mention with the seed only,
    so one vague mention cannot chain unrelated events together. The merged row takes the most
    precise date (ties: the most frequent, then the seed's), the least hypothetical modality,
    the seed's mode/direction/goldstein, the seed's actors plus any actor named by two or more
    mentions, all sources, the mention count and the seed's sentence as evidence.
    """
    if not mentions:
        return empty_catalog()
    order = sorted(
        range(len(mentions)),
        key=lambda i: (
            -mentions[i].confidence,
            _PRECISION_RANK.get(mentions[i].precision, 9),
            mentions[i].article_id,
            mentions[i].start,
            mentions[i].trigger_start,
        ),
    )
    clusters: list[list[Mention]] = []
    sentences: list[set[tuple[str, int]]] = []  # (article id, sentence start) of each cluster
    bounds: list[tuple[dt.date, dt.date]] = []
    # clusters registered under each (category, day) they cover, so a mention is compared only
    # with the clusters of its own dates (linear in the number of mentions)
    by_day: dict[tuple[str, dt.date], list[int]] = {}
    for i in order:
        m = mentions[i]
        mset = frozenset(m.actors)
        seen: set[int] = set()
        target = -1
        for day in _days(m.date, m.date_end):
            for ci in by_day.get((m.category, day), ()):
                if ci in seen:
                    continue
                seen.add(ci)
                seed = clusters[ci][0]
                lo, hi = bounds[ci]
                if (
                    (target < 0 or ci < target)
                    and _kind(seed) == _kind(m)
                    and _overlap(m, lo, hi)
                    and _overlap(seed, m.date, m.date_end)
                    # one sentence's mentions were kept apart when it was coded
                    and (m.article_id, m.start) not in sentences[ci]
                    and not _other_agent(seed, m)
                    and (
                        _compatible(frozenset(seed.actors), mset)
                        or _same_body_meeting(seed, m, bodies)
                    )
                ):
                    target = ci
        if target < 0:
            clusters.append([m])
            sentences.append({(m.article_id, m.start)})
            bounds.append((m.date, m.date_end))
            target = len(clusters) - 1
        else:
            clusters[target].append(m)
            sentences[target].add((m.article_id, m.start))
            lo, hi = bounds[target]
            bounds[target] = (min(lo, m.date), max(hi, m.date_end))
        for day in _days(*bounds[target]):
            lst = by_day.setdefault((m.category, day), [])
            if target not in lst:
                lst.append(target)
    rows = [_row(cl) for cl in clusters]
    df = pd.DataFrame(rows)
    df = df.sort_values(["date", "category", "actors", "evidence"], kind="stable")
    # ids must be unique: a second event with the same key gets a suffix, in catalog order
    seen: Counter[str] = Counter()
    ids = []
    for eid in df["event_id"]:
        seen[eid] += 1
        ids.append(eid if seen[eid] == 1 else f"{eid}-{seen[eid]}")
    df["event_id"] = ids
    return _typed(df)


def _other_agent(a: Mention, b: Mention) -> bool:
    """Two acts of one article done by different agents ("Zelenskiy addressed the leaders"
    and "the Nato summit" of the same day): an article tells one event once with the same
    subject, so they stay apart (across articles the subject may change with the wording)."""
    if a.article_id != b.article_id or not (a.agent and b.agent):
        return False
    return a.agent != b.agent or bool(a.person and b.person and a.person != b.person)


def _kind(m: Mention) -> tuple[str, bool]:
    """Merge key: the category, and for consultations whether it was a call (a phone call is
    never the same event as a meeting or a visit)."""
    return (m.category, m.mode == "call")


def _days(lo: dt.date, hi: dt.date) -> list[dt.date]:
    n = max(0, min((hi - lo).days, 366))
    return [lo + dt.timedelta(days=k) for k in range(n + 1)]


def _row(cl: list[Mention]) -> dict[str, Any]:
    seed = cl[0]
    best_prec = min(_PRECISION_RANK.get(m.precision, 9) for m in cl)
    precise = [m for m in cl if _PRECISION_RANK.get(m.precision, 9) == best_prec]
    votes = Counter((m.date, m.date_end) for m in precise)
    top = max(votes.values())
    dated = next(m for m in precise if votes[(m.date, m.date_end)] == top)
    if seed in precise and votes[(seed.date, seed.date_end)] == top:
        dated = seed
    modality = min((m.modality for m in cl), key=lambda x: _MODALITY_RANK.get(x, 9))
    counts = Counter(a for m in cl for a in set(m.actors))
    actors = sorted(set(seed.actors) | {a for a, n in counts.items() if n >= 2})
    actors_s = ";".join(actors)
    sources = ";".join(sorted({m.article_id for m in cl}))
    n = len(cl)
    conf = min(0.99, max(m.confidence for m in cl) + 0.05 * (n - 1))
    sentence = " ".join(seed.sentence.split())
    kind = f"{seed.category}/{seed.mode}" if seed.mode else seed.category
    summary = f"{kind} [{actors_s}] {sentence}"
    if len(summary) > 240:
        summary = summary[:237] + "..."
    return {
        "event_id": event_id(dated.date, seed.category, seed.mode, actors_s),
        "date": dated.date,
        "date_end": dated.date_end,
        "date_precision": dated.precision,
        "modality": modality,
        "category": seed.category,
        "mode": seed.mode,
        "direction": seed.direction,
        "goldstein": seed.goldstein,
        "actors": actors_s,
        "summary": summary,
        "sources": sources,
        "mentions": n,
        "evidence": seed.evidence,
        "confidence": round(conf, 3),
        "evidence_text": seed.sentence,
        "trigger": ";".join(sorted({m.trigger for m in cl})),
        "all_evidence": ";".join(
            sorted({m.evidence for m in cl}, key=lambda e: (e.rsplit(":", 1)[0], _span0(e)))
        ),
    }


def _span0(evidence: str) -> int:
    return int(evidence.rsplit(":", 1)[1].split("-")[0])


# --------------------------------------------------------------------------------------------
# Overrides (curation)
# --------------------------------------------------------------------------------------------

OVERRIDE_COLUMNS = (
    "action",
    "event_id",
    "date",
    "date_end",
    "date_precision",
    "modality",
    "category",
    "mode",
    "direction",
    "goldstein",
    "actors",
    "summary",
    "note",
)
_ACTIONS = ("add", "drop", "edit", "suggest")
_ACTOR_LIST = re.compile(r"^[A-Z][A-Z0-9]{1,4}(?:;[A-Z][A-Z0-9]{1,4})*$")
_EDITABLE = (
    "date",
    "date_end",
    "date_precision",
    "modality",
    "category",
    "mode",
    "direction",
    "goldstein",
    "actors",
    "summary",
)


def default_overrides_path() -> Path:
    """``data/events/overrides.csv``."""
    return data_path("events", "overrides.csv")


def _parse_override(path: Path, lineno: int, row: dict[str, str]) -> dict[str, Any]:
    where = f"line {lineno}"

    def bad(field: str, expected: str) -> DataFileError:
        return DataFileError(path, where, f"field {field!r} = {row[field]!r} is not {expected}")

    action = row["action"].lower()
    if action not in _ACTIONS:
        raise bad("action", f"one of {list(_ACTIONS)}")
    out: dict[str, Any] = {"line": lineno, "action": action, "event_id": row["event_id"]}
    if action in ("drop", "edit") and not row["event_id"]:
        raise DataFileError(path, where, f"action {action!r} needs an event_id")
    for f in ("date", "date_end"):
        if row.get(f):
            try:
                out[f] = dt.date.fromisoformat(row[f])
            except ValueError:
                raise bad(f, "an ISO date YYYY-MM-DD") from None
    checks = {
        "date_precision": PRECISIONS,
        "modality": MODALITIES,
        "category": CATEGORIES,
        "direction": DIRECTIONS,
    }
    for f, valid in checks.items():
        if row.get(f):
            if row[f] not in valid:
                raise bad(f, f"one of {list(valid)}")
            out[f] = row[f]
    if row.get("goldstein"):
        try:
            g = float(row["goldstein"])
        except ValueError:
            raise bad("goldstein", "a number between -10 and 10") from None
        if not (-10 <= g <= 10) or math.isnan(g):
            raise bad("goldstein", "a number between -10 and 10")
        out["goldstein"] = g
    if row.get("actors"):
        codes = ";".join(sorted({a.strip() for a in row["actors"].split(";") if a.strip()}))
        if not _ACTOR_LIST.match(codes):
            raise bad("actors", 'a ";"-joined list of actor codes such as "RUS;UKR"')
        out["actors"] = codes
    for f in ("mode", "summary"):
        if row.get(f):
            out[f] = row[f]
    if action in ("add", "suggest"):
        missing = [f for f in ("date", "category", "actors") if f not in out]
        if missing:
            raise DataFileError(path, where, f"action {action!r} needs field(s) {missing}")
        if "date_end" in out and out["date_end"] < out["date"]:
            raise bad("date_end", f"on or after date {out['date']}")
    if action == "edit" and not any(f in out for f in _EDITABLE):
        raise DataFileError(path, where, "action 'edit' changes nothing; fill the fields to change")
    return out


def read_overrides(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Parse and check an overrides file; errors name the file and line."""
    p = Path(path)
    return [
        _parse_override(p, lineno, row)
        for lineno, row in read_csv_rows(p, ("action", "event_id"), OVERRIDE_COLUMNS[2:])
    ]


def _lexicon_defaults(category: str, mode: str) -> tuple[str, float, str]:
    """(mode, goldstein, direction) of an added event: the lexicon's rule of this category and
    mode; without one, the category's unrefined coding, the mode as given
    (:meth:`~eventstudy.extract.coding.Lexicon.unrefined`)."""
    lex = load_lexicon()
    pick = next((t for t in lex.triggers if t.category == category and t.mode == mode), None)
    if pick is None or not mode:
        pick = lex.unrefined(category)
    return mode or pick.mode, pick.goldstein, pick.direction


def apply_overrides(
    catalog: pd.DataFrame, overrides: str | os.PathLike[str] | None = "default"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply a curation file to a catalog; return ``(new_catalog, report)``.

    The overrides file (default ``data/events/overrides.csv``) is a CSV with a header
    ``action,event_id`` plus any of ``date,date_end,date_precision,modality,category,mode,
    direction,goldstein,actors,summary,note``; lines starting with ``#`` are comments.

    - ``drop``: remove the event ``event_id``;
    - ``edit``: replace the non-empty fields of event ``event_id`` (its id is kept, so later
      overrides can still refer to it);
    - ``add``: add an event (``date``, ``category`` and ``actors`` required; ``event_id``
      computed as for extracted events when empty; missing goldstein/direction taken from the
      lexicon's rule of the category and mode, or without a mode from its ``[[category]]``
      entry);
    - ``suggest``: nothing (a line of a review queue written by :func:`write_suggestions`, checked
      like ``add``; change its action to ``add`` to accept it).

    Lines apply in file order. The input frame is not modified. ``report`` has one row per
    override line: ``line, action, event_id, status`` (``applied``, ``not found`` or
    ``suggestion``) and ``changes`` (``field: old -> new``). An id that is not in the catalog is
    reported and warned about (:class:`OverrideWarning`), never silently ignored; a malformed
    file raises :class:`~eventstudy.errors.DataFileError` naming its line.
    """
    path = default_overrides_path() if overrides == "default" else overrides
    report_cols = ["line", "action", "event_id", "status", "changes"]
    if path is None:
        return catalog.copy(), pd.DataFrame(columns=report_cols)
    items = read_overrides(path)
    missing = [c for c in EVENT_COLUMNS if c not in catalog.columns]
    if missing:
        raise CatalogError(f"catalog lacks column(s) {missing}; expected {list(EVENT_COLUMNS)}")
    records = catalog.to_dict("records")
    index = {r["event_id"]: i for i, r in enumerate(records)}
    dropped: set[str] = set()
    report: list[dict[str, Any]] = []
    not_found: list[str] = []
    for it in items:
        eid = it["event_id"]
        entry = {"line": it["line"], "action": it["action"], "event_id": eid}
        if it["action"] == "suggest":
            entry.update(status="suggestion", changes="not applied (action 'add' accepts it)")
        elif it["action"] == "add":
            day = it["date"]
            mode, gold, direc = _lexicon_defaults(it["category"], it.get("mode", ""))
            eid = eid or event_id(day, it["category"], mode, it["actors"])
            if eid in index and eid not in dropped:
                raise DataFileError(
                    Path(path), f"line {it['line']}", f"event_id {eid!r} already exists; use edit"
                )
            rec = {c: "" for c in catalog.columns}
            rec.update(
                event_id=eid,
                date=pd.Timestamp(day),
                date_end=pd.Timestamp(it.get("date_end", day)),
                date_precision=it.get("date_precision", "day"),
                modality=it.get("modality", "occurred"),
                category=it["category"],
                mode=mode,
                direction=it.get("direction", direc),
                goldstein=it.get("goldstein", gold),
                actors=it["actors"],
                summary=it.get("summary", f"{it['category']}/{mode} [{it['actors']}] (curated)"),
                sources="",
                mentions=0,
                evidence=f"overrides:{it['line']}",
                confidence=1.0,
            )
            index[eid] = len(records)
            dropped.discard(eid)
            records.append(rec)
            entry.update(event_id=eid, status="applied", changes="added")
        elif eid not in index or eid in dropped:
            entry.update(status="not found", changes="")
            not_found.append(f"line {it['line']}: {eid}")
        elif it["action"] == "drop":
            dropped.add(eid)
            entry.update(status="applied", changes="dropped")
        else:
            rec = records[index[eid]]
            changes = []
            for f in _EDITABLE:
                if f in it:
                    new = pd.Timestamp(it[f]) if f in _DATE_COLS else it[f]
                    old = rec[f]
                    if f in _DATE_COLS and pd.notna(old):
                        old = pd.Timestamp(old)
                    if old != new:
                        changes.append(f"{f}: {_fmt(old)} -> {_fmt(new)}")
                        rec[f] = new
            if "date" in it and "date_end" not in it:
                # a re-dated single day stays a single day; an interval never ends before it
                end = pd.Timestamp(rec["date_end"])
                if rec["date_precision"] == "day" or end < rec["date"]:
                    if end != rec["date"]:
                        changes.append(f"date_end: {_fmt(end)} -> {_fmt(rec['date'])}")
                    rec["date_end"] = rec["date"]
            rec["confidence"] = 1.0
            entry.update(status="applied", changes="; ".join(changes) or "no change")
        report.append(entry)
    if not_found:
        warnings.warn(
            f"{len(not_found)} override(s) in {path} refer to events not in the catalog and were "
            f"not applied ({', '.join(not_found[:5])}); the ids may be stale after re-extraction",
            OverrideWarning,
            stacklevel=2,
        )
    kept = [r for r in records if r["event_id"] not in dropped]
    out = pd.DataFrame(kept, columns=list(catalog.columns)) if kept else catalog.iloc[0:0].copy()
    out = _typed(out).sort_values(["date", "category", "actors", "event_id"], kind="stable")
    return out.reset_index(drop=True), pd.DataFrame(report, columns=report_cols)


def _fmt(v: Any) -> str:
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    return str(v)


# --------------------------------------------------------------------------------------------
# Review queue (suggestions for curation)
# --------------------------------------------------------------------------------------------


def review_catalog(
    mentions: Sequence[Mention], below: Sequence[Mention], *, bodies: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """The events of ``below`` (proposals the learned pass did not keep) that are not events of
    ``mentions`` already: a catalog of suggestions for a curator, most confident first.

    Both lists are merged together (:func:`merge_mentions`); a merged event made of ``below``
    mentions only is a suggestion, one that also holds a kept mention is already in the catalog.
    Same columns as the catalog; ``confidence`` is the model's probability (plus 0.05 for each
    further mention, as in the catalog).
    """
    if not below:
        return empty_catalog()
    merged = merge_mentions([*mentions, *below], bodies=bodies)
    theirs = {m.evidence for m in below}
    only = merged["all_evidence"].map(lambda spans: set(spans.split(";")) <= theirs)
    out = merged[only.astype(bool)].sort_values(
        ["confidence", "date", "event_id"], ascending=[False, True, True], kind="stable"
    )
    return out.reset_index(drop=True)


_SUGGESTION_HEADER = """\
# Review queue: events the learned pass proposed with probability >= {floor:.2f} but did not keep
# (eventstudy.extract.suggest_events), most probable first; the note gives the probability and
# the evidence span "<article id>:<start>-<end>". "suggest" lines change nothing. To accept one,
# change its action to "add" (correct any field first), then use this file as the overrides file
# or copy the accepted lines into yours (the columns are the same).
"""


def write_suggestions(
    suggestions: pd.DataFrame, path: str | os.PathLike[str], *, floor: float
) -> Path:
    """Write a review queue (:func:`review_catalog`) as an overrides file of ``suggest`` lines.

    ``event_id`` is left empty, so an accepted line gets the id of its (corrected) fields.
    """
    missing = [c for c in EVENT_COLUMNS if c not in suggestions.columns]
    if missing:
        raise CatalogError(f"suggestions lack column(s) {missing}; expected {list(EVENT_COLUMNS)}")
    rows = []
    for r in suggestions.to_dict("records"):
        day, end = pd.Timestamp(r["date"]), pd.Timestamp(r["date_end"])
        rows.append(
            {
                "action": "suggest",
                "event_id": "",
                "date": day.date().isoformat(),
                "date_end": "" if end == day else end.date().isoformat(),
                "date_precision": r["date_precision"],
                "modality": r["modality"],
                "category": r["category"],
                "mode": r["mode"],
                "direction": r["direction"],
                "goldstein": r["goldstein"],
                "actors": r["actors"],
                "summary": r["summary"],
                "note": f"p {r['confidence']:.3f}; {r['mentions']} mention(s); {r['evidence']}",
            }
        )
    p = Path(path)
    with p.open("w", encoding="utf-8", newline="") as fh:
        fh.write(_SUGGESTION_HEADER.format(floor=floor))
        pd.DataFrame(rows, columns=list(OVERRIDE_COLUMNS)).to_csv(
            fh, index=False, lineterminator="\n"
        )
    return p


# --------------------------------------------------------------------------------------------
# I/O
# --------------------------------------------------------------------------------------------


def write_catalog(catalog: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a catalog to ``.csv`` (dates as YYYY-MM-DD) or ``.parquet``; return the path."""
    p = Path(path)
    missing = [c for c in EVENT_COLUMNS if c not in catalog.columns]
    if missing:
        raise CatalogError(f"catalog lacks column(s) {missing}; expected {list(EVENT_COLUMNS)}")
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        catalog.to_parquet(p, index=False)
    elif suffix == ".csv":
        catalog.to_csv(p, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    else:
        raise CatalogError(f"{p}: unknown catalog format {suffix!r}; use .csv or .parquet")
    return p


def read_catalog(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a catalog written by :func:`write_catalog` (or by hand), checking the schema."""
    p = Path(path)
    if not p.exists():
        raise CatalogError(f"{p}: file not found")
    if p.suffix.lower() == ".parquet":
        df = pd.read_parquet(p)
    else:
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = [c for c in EVENT_COLUMNS if c not in df.columns]
    if missing:
        raise CatalogError(f"{p}: missing column(s) {missing}; expected {list(EVENT_COLUMNS)}")
    if p.suffix.lower() != ".parquet":
        for c in _DATE_COLS:
            bad = [i for i, v in enumerate(df[c]) if not _is_iso(v)]
            if bad:
                raise CatalogError(
                    f"{p}: line {bad[0] + 2}: column {c!r} = {df[c].iloc[bad[0]]!r} is not a "
                    "date YYYY-MM-DD"
                )
        for c, conv in (("goldstein", float), ("confidence", float), ("mentions", int)):
            try:
                df[c] = [conv(v) for v in df[c]]
            except ValueError as exc:
                raise CatalogError(f"{p}: column {c!r}: {exc}") from exc
    return _typed(df)


def _is_iso(v: Any) -> bool:
    try:
        dt.date.fromisoformat(str(v))
    except ValueError:
        return False
    return True


def concat_catalogs(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Stack catalogs (no merging); an empty input gives an empty catalog."""
    frames = [f for f in frames if len(f)]
    return _typed(pd.concat(frames, ignore_index=True)) if frames else empty_catalog()
