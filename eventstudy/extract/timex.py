"""Temporal expressions in news text, resolved against the article's publication date.

A news sentence dates its events relative to the day it was published: "told MSNBC Wednesday",
"the talks due to finish on Feb. 20", "two days later", "last week". :func:`find_timexes` finds
every such expression in a paragraph and resolves it to a calendar date (or interval) with a
precision, reading the tense of the clause around it to choose between the last and the next
occurrence of a weekday (or the year of a date given without one).

How each family is resolved (``ref`` is the publication date, or the dateline of a live-blog
entry in force, e.g. "4 Mar 2022 05.31"):

=========  ================================================================================
explicit   "January 10th", "Feb. 20", "20 February 2022", "24/02/2022" (only unambiguous day/
           month orders), "2022-02-24", "mid-February" (approximate), "in January" (month).
           A missing year is the one putting the date nearest ``ref``, where a candidate on the
           side the clause's tense contradicts is ``tense_penalty_days`` further away.
weekday    "on Tuesday", "Monday night", "Monday's talks": ``ref`` itself if it is that
           weekday, else the last occurrence in a past clause, the next one in a future
           clause, the nearest one otherwise. "last/this/next Monday": that weekday of the
           previous/current/next ISO week.
deictic    "yesterday", "today", "tomorrow", "in recent days" ...: fixed offsets from ``ref``.
period     "last week", "this weekend", "next month": calendar weeks (ISO, Monday..Sunday),
           weekends (Saturday..Sunday) and months around ``ref``. Written on a Sunday, "last
           week" is the week ending that day and a future "this week" the one after it.
relative   "two days later", "a day earlier", "the next day": from the nearest preceding
           day-precision date in this sentence or the two before (in the paragraph's first
           sentence, else the last past date of the paragraph before when the caller gives
           it, ``before=``; else ``ref``); "three days ago" from ``ref``;
           "two days after 24 February" from that date; "on the eve of <X> on Thursday": the
           day before X's date; "Thursday marks one month since <X>": X one month before.
=========  ================================================================================

The tense of a clause (:func:`clause_tense`) comes from cue words kept in ``data/timex.toml``:
future ("will", "is due to", "scheduled", "expected to", "plans to", "set to", "next" ...),
past (regular -ed forms, a list of irregular forms, "was", "had", "ago" ...; a past form spelt
like the present, "put", "hit", is an infinitive after "will", "could", "to") and modals
without preference ("would", "could"). The nearest cue before the expression inside its clause
wins (English verbs precede their time adjuncts); only without one the first cue after it
(skipping a participial phrase set off by commas: ", initially slated to last two days,"). A
past participle inside a future predicate is no past cue ("will be one of the meetings held on
Thursday", "the sanctions being announced on Thursday").

All knowledge (names, cue lexicons, offsets) lives in ``data/timex.toml``, checked on load; the
regular expressions are compiled once per data file.

References
----------
Pustejovsky et al. (2003), TimeML: robust specification of event and temporal expressions in
text. Strötgen & Gertz (2013), Multilingual and cross-domain temporal tagging (HeidelTime) —
the case this module improves on: one global past/future preference per document.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from eventstudy._datafiles import data_path, load_toml, require_fields
from eventstudy.errors import DataFileError, EventStudyError
from eventstudy.extract.sentences import LABEL_CLOSE, LABEL_SEPARATOR

__all__ = [
    "KINDS",
    "PRECISIONS",
    "TENSES",
    "Lexicon",
    "Timex",
    "TimexInputError",
    "clause_tense",
    "find_timexes",
    "load_lexicon",
]

PRECISIONS = ("day", "week", "month", "approximate")
KINDS = ("explicit", "weekday", "relative", "deictic", "period")
TENSES = ("past", "future", "present")
SCHEMA = "eventstudy.timex/1"
# an anchored expression ("the next day", "That evening") looks this many sentences back for
# its date (a date further back dates something else)
ANCHOR_SENTENCES = 4
# a label closed by a full stop ("WEDNESDAY. Brussels, and a long day. The council met ...")
# takes its tense from up to this many sentences of its entry
LABEL_TENSE_SENTENCES = 3


class TimexInputError(EventStudyError, TypeError):
    """``find_timexes``/``clause_tense`` got an argument of the wrong type or range."""


@dataclass(frozen=True, slots=True)
class Timex:
    """One temporal expression found in a text and the date (interval) it refers to.

    Attributes
    ----------
    start, end : int
        Character offsets of the expression in the text passed to :func:`find_timexes`.
    text : str
        ``text[start:end]``.
    date, date_end : datetime.date
        The interval referred to; ``date_end == date`` for day precision.
    precision : str
        ``"day" | "week" | "month" | "approximate"``.
    kind : str
        ``"explicit" | "weekday" | "relative" | "deictic" | "period"``.
    tense : str
        ``"past" | "future" | "present"``: how the expression's clause was read.
    anchor : str or None
        What the expression was resolved against: ``"published"``, the text of the anchoring
        expression (a preceding date, a live-blog dateline, the X of "the eve of X"), or None
        for a complete date such as "24 February 2022".
    dates_event_after : bool
        True for a relative expression that dates the event told right after it, counted back
        from the date of its sentence ("On Tuesday, ..., a day after Moscow claimed ...": the
        claim was on Monday), not the clause it stands in.
    """

    start: int
    end: int
    text: str
    date: dt.date
    date_end: dt.date
    precision: str
    kind: str
    tense: str
    anchor: str | None
    dates_event_after: bool = False


# ---------------------------------------------------------------------------------------------
# The lexicon: data/timex.toml, schema-checked and compiled once.


@dataclass(frozen=True)
class Lexicon:
    """``data/timex.toml`` checked and compiled; build it with :func:`load_lexicon`."""

    path: str
    months: Mapping[str, int]  # lower-case name or abbreviation -> 1..12
    full_month_names: frozenset[str]  # lower-case full names ("in January", not "in Jan")
    weekdays: Mapping[str, int]  # lower-case name or abbreviation -> 0..6 (Monday 0)
    month_parts: Mapping[str, tuple[int, int]]
    weekday_prefixes: Mapping[str, tuple[str, int | str]]  # phrase -> ("week", n) | ("tense", t)
    phrases: Mapping[str, tuple[str, Any]]  # normalised phrase -> (family, entry)
    numbers: Mapping[str, int]
    units: frozenset[str]  # day | week | month
    later: frozenset[str]
    earlier: frozenset[str]
    eve_max_gap: int
    explicit_penalty: int
    weekday_penalty: int
    not_past: frozenset[str]
    not_progressive: frozenset[str]
    abbreviations: frozenset[str]
    max_clause_chars: int
    # month-anchored explicit dates: find the month name, then look left and right
    re_month_name: re.Pattern[str]
    re_md_tail: re.Pattern[str]  # "Feb.| 20, 2022 05.31"
    re_dm_head: re.Pattern[str]  # "24th of |February"  (searched with $ at the month)
    re_dm_words_head: re.Pattern[str] | None  # "the twentieth of |February"
    ordinal_days: dict[str, int]  # "twentieth" -> 20
    re_wd_head: re.Pattern[str]  # "Thursday, |24 February"
    re_part_head: re.Pattern[str]  # "mid-|February"
    re_prep_head: re.Pattern[str]  # "in |January"
    re_year_tail: re.Pattern[str]  # "February| 2022"
    re_numeric: re.Pattern[str]
    re_iso: re.Pattern[str]
    # weekdays
    re_weekday_name: re.Pattern[str]
    re_wd_pre_head: re.Pattern[str]  # "last |Tuesday"
    re_wd_tail: re.Pattern[str]  # "Monday|'s", "Monday| night"
    # key words (day, week, month, yesterday ...) anchor the phrase and relative families
    keys: tuple[str, ...]
    key_words: frozenset[str]
    re_phrase_rev: re.Pattern[str]  # phrases, reversed, matched leftwards from the key word
    re_num_rev: re.Pattern[str]  # "two |days", reversed
    re_rel_tail: re.Pattern[str]  # "days| later"
    re_eve_key: re.Pattern[str]
    re_pronoun: re.Pattern[str]  # "two days after| that"
    re_eve_head: re.Pattern[str]
    # tense cues
    cues: Mapping[str, list[tuple[tuple[str, ...], str]]]  # first word -> [(words, tense)]
    contractions: tuple[tuple[str, str], ...]  # ("'ll", "future")
    future_adjacent: tuple[tuple[str, ...], ...]  # ("called", "for"): future right before it
    irregular_past: frozenset[str]
    past_suffix: str  # "ed": a regular past form
    progressive_auxiliaries: frozenset[str]  # "is", "are" (+ -ing: a planned future)
    progressive_contractions: tuple[str, ...]  # "'re"
    passive_markers: frozenset[str]
    base_form_past: frozenset[str]  # "put": past, but an infinitive after "will", "to" ...
    infinitive_markers: frozenset[str]
    future_finite: frozenset[str]  # "meet": future, but not after "will", "to" ...
    re_word: re.Pattern[str]
    re_stop: re.Pattern[str]  # sentence stops
    re_clause_mark: re.Pattern[str]  # other clause boundaries
    # "<date> marks one month since <event>": the event N units before the date
    re_anniversary: re.Pattern[str] | None = None
    # "The calls came| a day after Jake Sullivan told ...": the subject is an event told before
    # (the clause up to the phrase: a definite or pronoun subject, then the verb)
    re_came: re.Pattern[str] | None = None
    re_ago_exact: re.Pattern[str] | None = None  # "two weeks ago| today"
    # "in April last year": a year relative to the reference year
    re_year_word: re.Pattern[str] | None = None
    year_words: Mapping[str, int] = field(default_factory=dict)


def _norm(s: str) -> str:
    """Lower-case, one space between words, straight apostrophes, no trailing full stop."""
    return " ".join(s.replace("’", "'").replace("\u2011", "-").lower().split()).rstrip(".")


def _phrase_re(phrase: str) -> str:
    """A phrase as a regex: spaces match any whitespace, apostrophes both kinds, hyphens dashes."""
    out = []
    for ch in phrase:
        if ch == " ":
            out.append(r"\s+")
        elif ch in "'’":
            out.append("['’]")
        elif ch == "-":
            out.append("[-‐‑–—]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alt(phrases: Iterable[str]) -> str:
    """Alternation of phrases, longest first so that the longest phrase wins at a position."""
    uniq = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(_phrase_re(p) for p in uniq)


def _is_phrase_list(v: Any) -> bool:
    """a list of non-empty strings"""
    return isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v)


def _is_offset(v: Any) -> bool:
    """a list [start, end] of two integers with start <= end"""
    return (
        isinstance(v, list)
        and len(v) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
        and v[0] <= v[1]
    )


def _is_int(v: Any) -> bool:
    """an integer"""
    return isinstance(v, int) and not isinstance(v, bool)


def _is_tense_or_blank(v: Any) -> bool:
    """one of "past", "future", "present" or "" (the clause decides)"""
    return v in {*TENSES, ""}


def _one_of(*values: str) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        return v in values

    check.__doc__ = "one of " + ", ".join(repr(v) for v in values)
    return check


def _is_shift(v: Any) -> bool:
    """an integer -1, 0, 1 or "tense\""""
    return v == "tense" or (_is_int(v) and -1 <= v <= 1)


def _check_calendar(
    path: Path, raw: dict[str, Any], table: str, count: int, first: int
) -> dict[str, int]:
    entries = raw.get(table)
    if not isinstance(entries, list) or len(entries) != count:
        raise DataFileError(path, f"[[{table}]]", f"expected {count} entries, found {entries!r}")
    names: dict[str, int] = {}
    for i, entry in enumerate(entries):
        where = f"[[{table}]] #{i + 1}"
        require_fields(
            path,
            where,
            entry,
            {"number": _is_int, "name": str, "abbreviations": _is_phrase_list}
            if entry.get("abbreviations")
            else {"number": _is_int, "name": str, "abbreviations": list},
        )
        if entry["number"] != i + first:
            raise DataFileError(
                path, where, f"field 'number' = {entry['number']!r}; expected {i + first}"
            )
        for name in (entry["name"], *entry["abbreviations"]):
            if _norm(name) in names:
                raise DataFileError(path, where, f"name {name!r} is listed twice")
            names[_norm(name)] = entry["number"]
    return names


def _names_re(entries: list[dict[str, Any]], *, abbreviations: bool, full: bool = True) -> str:
    """Capitalised names (or in capitals); abbreviations may end with a full stop."""
    alts: list[str] = []
    for e in entries:
        if full:
            alts += [re.escape(e["name"]), re.escape(e["name"].upper())]
        if abbreviations:
            for a in e["abbreviations"]:
                alts += [re.escape(a) + r"\.?", re.escape(a.upper()) + r"\.?"]
    alts.sort(key=lambda s: -len(s))
    return "(?:" + "|".join(alts) + ")(?![A-Za-z])"


def _phrase_table(
    path: Path, raw: dict[str, Any], table: str, fields: dict[str, Any]
) -> list[dict[str, Any]]:
    entries = raw.get(table, [])
    if not isinstance(entries, list):
        raise DataFileError(path, f"[[{table}]]", "expected an array of tables")
    for i, entry in enumerate(entries):
        require_fields(path, f"[[{table}]] #{i + 1}", entry, {"phrases": _is_phrase_list, **fields})
    return entries


def _section(path: Path, raw: dict[str, Any], name: str) -> dict[str, Any]:
    sec = raw.get(name)
    if not isinstance(sec, dict):
        raise DataFileError(path, f"[{name}]", "missing table")
    return sec


_TOP_LEVEL = {
    "schema",
    "month",
    "weekday",
    "explicit",
    "month_part",
    "weekday_rules",
    "deictic",
    "period",
    "relative",
    "anchored",
    "eve",
    "tense",
    "clauses",
}


@functools.lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load, check and compile ``data/timex.toml`` (or another file of the same shape).

    Raises :class:`eventstudy.errors.DataFileError` naming the table and field at fault.
    Cached per path: the regular expressions are compiled once.
    """
    p = Path(path) if path is not None else data_path("timex.toml")
    raw = load_toml(p)
    unknown = sorted(set(raw) - _TOP_LEVEL)
    if unknown:
        raise DataFileError(
            p, "top level", f"unknown table(s) {unknown}; valid: {sorted(_TOP_LEVEL)}"
        )
    if raw.get("schema") != SCHEMA:
        raise DataFileError(p, "schema", f"= {raw.get('schema')!r}; expected {SCHEMA!r}")

    months = _check_calendar(p, raw, "month", 12, 1)
    weekdays = _check_calendar(p, raw, "weekday", 7, 0)

    ex = _section(p, raw, "explicit")
    require_fields(
        p,
        "[explicit]",
        ex,
        {
            "ordinal_suffixes": _is_phrase_list,
            "month_prepositions": _is_phrase_list,
            "tense_penalty_days": _is_int,
        },
        optional={"year_words": dict, "ordinal_words": _is_phrase_list},
    )
    ordinal_words = [_norm(w) for w in ex.get("ordinal_words", [])]
    if len(ordinal_words) > 31:
        raise DataFileError(
            p,
            "[explicit] ordinal_words",
            f"expected at most 31 day words (the first for day 1), found {len(ordinal_words)}",
        )
    year_words = ex.get("year_words", {})
    for k, v in year_words.items():
        if not _is_int(v):
            raise DataFileError(p, "[explicit.year_words]", f"{k!r} = {v!r}; expected an int")
    re_year_word = (
        re.compile(rf"\s+(?P<yw>{_alt(_norm(k) for k in year_words)})(?!\w)", re.IGNORECASE)
        if year_words
        else None
    )
    month_parts: dict[str, tuple[int, int]] = {}
    for entry in _phrase_table(p, raw, "month_part", {"first": _is_int, "last": _is_int}):
        for ph in entry["phrases"]:
            month_parts[_norm(ph)] = (entry["first"], entry["last"])

    wr = _section(p, raw, "weekday_rules")
    require_fields(
        p,
        "[weekday_rules]",
        wr,
        {"prefixes": list, "suffixes": _is_phrase_list, "tense_penalty_days": _is_int},
    )
    prefixes: dict[str, tuple[str, int | str]] = {}
    for i, pre in enumerate(wr["prefixes"]):
        where = f"[weekday_rules] prefixes #{i + 1}"
        if not isinstance(pre, dict):
            raise DataFileError(p, where, f"{pre!r} should be an inline table")
        require_fields(
            p, where, pre, {"phrase": str}, optional={"week": _is_int, "tense": _is_tense_or_blank}
        )
        if ("week" in pre) == ("tense" in pre):
            raise DataFileError(p, where, "give exactly one of 'week' or 'tense'")
        prefixes[_norm(pre["phrase"])] = (
            ("week", pre["week"]) if "week" in pre else ("tense", pre["tense"])
        )

    phrases: dict[str, tuple[str, Any]] = {}

    def add(family: str, entry: Mapping[str, Any], where: str) -> None:
        for ph in entry["phrases"]:
            key = _norm(ph)
            if key in phrases:
                raise DataFileError(p, where, f"phrase {ph!r} is listed twice")
            phrases[key] = (family, entry)

    for i, entry in enumerate(
        _phrase_table(
            p,
            raw,
            "deictic",
            {"offset": _is_offset, "precision": _one_of("day", "approximate")},
        )
    ):
        add("deictic", entry, f"[[deictic]] #{i + 1}")
    for i, entry in enumerate(
        _phrase_table(
            p,
            raw,
            "period",
            {"unit": _one_of("week", "weekend", "month"), "shift": _is_shift},
        )
    ):
        add("period", entry, f"[[period]] #{i + 1}")
    for i, entry in enumerate(_phrase_table(p, raw, "anchored", {"offset": _is_int})):
        add("anchored", entry, f"[[anchored]] #{i + 1}")

    rel = _section(p, raw, "relative")
    require_fields(
        p,
        "[relative]",
        rel,
        {
            "numbers": dict,
            "units": _is_phrase_list,
            "later": _is_phrase_list,
            "earlier": _is_phrase_list,
            "after_pronouns": _is_phrase_list,
        },
        optional={
            "anniversary_verbs": _is_phrase_list,
            "ago_exact": _is_phrase_list,
            "followed_verbs": _is_phrase_list,
            "followed_subjects": _is_phrase_list,
        },
    )
    for k, v in rel["numbers"].items():
        if not _is_int(v) or v <= 0:
            raise DataFileError(p, "[relative.numbers]", f"{k!r} = {v!r}; expected int > 0")
    bad_units = set(rel["units"]) - {"day", "week", "month"}
    if bad_units:
        raise DataFileError(p, "[relative] units", f"unknown unit(s) {sorted(bad_units)}")

    eve = _section(p, raw, "eve")
    require_fields(p, "[eve]", eve, {"phrases": _is_phrase_list, "max_gap_chars": _is_int})

    tense = _section(p, raw, "tense")
    require_fields(
        p,
        "[tense]",
        tense,
        {
            k: _is_phrase_list
            for k in (
                "future",
                "future_adjacent",
                "present",
                "past",
                "irregular_past",
                "not_past",
                "passive_markers",
                "not_progressive",
                "progressive_auxiliaries",
            )
        },
        optional={
            "regular_past_suffix": str,
            "base_form_past": _is_phrase_list,
            "infinitive_markers": _is_phrase_list,
            "future_finite": _is_phrase_list,
        },
    )
    tense.setdefault("regular_past_suffix", "ed")
    tense.setdefault("base_form_past", [])
    tense.setdefault("infinitive_markers", [])
    tense.setdefault("future_finite", [])
    clauses = _section(p, raw, "clauses")
    require_fields(
        p, "[clauses]", clauses, {"abbreviations": _is_phrase_list, "max_chars": _is_int}
    )

    # --- regular expressions, compiled once ----------------------------------------------------
    # Each family is found from a literal that Python's regex engine can skip to quickly (a
    # capitalised month or weekday name, a digit, a key word such as "day" or "week"); the
    # words around it are then read with small anchored patterns. Patterns named *_head are
    # searched in a short window ending at the literal and end with `$`; *_rev patterns are
    # matched on the reversed text, leftwards from the literal.
    suffix = "(?:" + "|".join(re.escape(x) for x in ex["ordinal_suffixes"]) + ")"
    day = rf"(?<![\w.,/])(?:[0-3]?\d){suffix}?(?!\d|[,.]\d)"  # not "2,000"
    year = r"(?:19|20)\d\d(?:(?!\d)|(?=[0-2]\d[.:][0-5]\d(?!\d)))"
    time = r"(?:\s*(?P<hh>[0-2]?\d)[.:](?P<mm>[0-5]\d)(?![\d%]))?"
    word_end = r"(?![\w'’-])"
    re_month_name = re.compile(_names_re(raw["month"], abbreviations=True))
    re_md_tail = re.compile(
        rf"\s*(?P<day>{day})(?:\s*[-–]\s*(?P<day2>{day}))?(?:,?\s+(?P<year>{year}){time})?"
    )
    # "20-21 May", and in words "from 10 to 20 February", "between 10 and 20 February"
    re_dm_head = re.compile(
        rf"(?P<day>{day})(?:(?P<conn>\s*[-–]\s*|\s+(?i:to|until|till|through|and)\s+)"
        rf"(?P<day2>{day}))?\s+(?:of\s+)?$"
    )
    re_wd_head = re.compile(
        rf"(?<![\w-])(?P<wd>{_names_re(raw['weekday'], abbreviations=True)}),?\s+(?:the\s+)?$"
    )
    # a day in words, only as "the twentieth of February" (a radio bulletin's)
    re_dm_words_head = (
        re.compile(rf"(?<![\w-])(?i:the)\s+(?P<day>(?i:{_alt(ordinal_words)}))\s+(?i:of)\s+$")
        if ordinal_words
        else None
    )
    re_part_head = re.compile(rf"(?<![\w-])(?i:(?P<part>{_alt(month_parts)}))[\s\-‐‑–—]*$")
    re_prep_head = re.compile(rf"(?<![\w-])(?i:(?P<prep>{_alt(ex['month_prepositions'])}))\s+$")
    re_year_tail = re.compile(rf",?\s*(?P<year>{year}){time}")
    # found from their first separator (a literal the engine skips to), then read around it
    re_numeric = re.compile(
        r"(?P<sep>[/.])(?<=[0-9][/.])"
        r"(?P<b>[0-9]{1,2})(?P=sep)(?P<year>(?:19|20)[0-9]{2})(?![\w/]|\.[0-9])"
    )
    re_iso = re.compile(
        r"-(?<=(?<![\w./-])(?P<year>[0-9]{4})-)(?P<m>[01][0-9])-(?P<d>[0-3][0-9])(?![\w-])"
    )
    re_weekday_name = re.compile(_names_re(raw["weekday"], abbreviations=False))
    re_wd_pre_head = re.compile(rf"(?<![\w-])(?i:(?P<pre>{_alt(prefixes)}))\s+$")
    re_wd_tail = re.compile(
        rf"(?P<poss>['’]s)?(?:\s+(?i:(?P<suf>{_alt(wr['suffixes'])})){word_end})?"
    )
    numbers = {_norm(k): v for k, v in rel["numbers"].items()}
    units = {_norm(u) for u in rel["units"]}
    key_words = {_norm(ph).split()[-1] for ph in phrases} | units | {u + "s" for u in units}
    # search keys: the key words, dropping any that contains a shorter one ("day" finds "days",
    # "today", "yesterday"), each also capitalised ("Tomorrow", "Days later").
    minimal = {k for k in key_words if not any(o != k and o in k for o in key_words)}
    keys = tuple(sorted({v for k in minimal for v in (k, k.capitalize())}))
    re_phrase_rev = re.compile(rf"(?i:{_alt(p[::-1] for p in phrases)}){word_end}")
    re_num_rev = re.compile(rf"\s+(?i:(?P<n>{_alt(n[::-1] for n in numbers)}|\d\d?)){word_end}")
    re_rel_tail = re.compile(
        rf"\s+(?i:(?P<dir>{_alt([*rel['later'], *rel['earlier']])})){word_end}"
    )
    eve_heads = [_norm(x) for x in eve["phrases"]]
    if not all(h.endswith("eve of") for h in eve_heads):
        raise DataFileError(p, "[eve] phrases", "each phrase should end with 'eve of'")
    re_eve_key = re.compile(r"eve\s+of(?!\w)")  # after "the": lower case
    heads = [h[: -len("eve of")].strip() for h in eve_heads]
    re_eve_head = re.compile(
        rf"(?<![\w-])(?i:{_alt(h for h in heads if h)})\s+$" if any(heads) else r"(?!)$"
    )

    cues: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for direction, key in (("future", "future"), ("present", "present"), ("past", "past")):
        for phrase in tense[key]:
            words = tuple(_norm(phrase).split())
            cues.setdefault(words[0], []).append((words, direction))
    for first, entries in cues.items():
        if len({w for w, _ in entries}) != len(entries):
            dup = [w for w, _ in entries]
            raise DataFileError(
                p, "[tense]", f"a cue starting with {first!r} is listed twice: {dup}"
            )
        entries.sort(key=lambda e: -len(e[0]))
    re_word = re.compile(r"[\w'’-]+")
    # a full stop after an abbreviation or an initial ends no sentence: "U.S. President"
    not_after = "".join(
        rf"(?<!(?<![\w.]){re.escape(a)}\.)" for a in sorted(set(clauses["abbreviations"]))
    )
    re_stop = re.compile(
        # (nor after an initial, also the last of a run: "Joe R. Biden", "T.S. Tirumurti")
        rf"[.!?\n](?:(?<=\n)|(?<=[.!?]){not_after}(?<!(?<![\w])[A-Z]\.)"
        r"(?=[\"”’)\]']*(?:\s|$)))"
    )
    re_clause_mark = re.compile(
        r"[;:\"“”–—-](?:(?<=[;:])(?=\s)|(?<=[\"“”–—])|(?<=\s-)(?=\s))"  # " - " is a dash
    )

    re_anniversary = None
    if rel.get("anniversary_verbs"):
        re_anniversary = re.compile(
            rf"\s+(?:{_alt(_norm(v) for v in rel['anniversary_verbs'])})\s+"
            rf"(?P<n>{_alt(numbers)}|\d{{1,3}})\s+(?P<unit>{_alt(rel['units'])})s?\s+since(?!\w)",
            re.IGNORECASE,
        )

    re_came = None
    if rel.get("followed_verbs") and rel.get("followed_subjects"):
        re_came = re.compile(
            rf"\W*(?:{_alt(_norm(v) for v in rel['followed_subjects'])})(?!\w)[^,;]{{0,60}}?"
            rf"(?<!\w)(?:{_alt(_norm(v) for v in rel['followed_verbs'])})\s+"
            r"(?:(?:just|only|barely|nearly|almost|about|some|roughly|less than|more than|"
            r"little more than)\s+)?\Z",
            re.IGNORECASE,
        )

    return Lexicon(
        path=str(p),
        months=months,
        full_month_names=frozenset(_norm(m["name"]) for m in raw["month"]),
        weekdays=weekdays,
        month_parts=month_parts,
        weekday_prefixes=prefixes,
        phrases=phrases,
        numbers=numbers,
        units=frozenset(_norm(u) for u in rel["units"]),
        later=frozenset(_norm(x) for x in rel["later"]),
        earlier=frozenset(_norm(x) for x in rel["earlier"]),
        eve_max_gap=eve["max_gap_chars"],
        explicit_penalty=ex["tense_penalty_days"],
        weekday_penalty=wr["tense_penalty_days"],
        not_past=frozenset(_norm(x) for x in tense["not_past"]),
        not_progressive=frozenset(_norm(x) for x in tense["not_progressive"]),
        abbreviations=frozenset(clauses["abbreviations"]),
        max_clause_chars=clauses["max_chars"],
        re_month_name=re_month_name,
        re_md_tail=re_md_tail,
        re_dm_head=re_dm_head,
        re_dm_words_head=re_dm_words_head,
        ordinal_days={w: i + 1 for i, w in enumerate(ordinal_words)},
        re_wd_head=re_wd_head,
        re_part_head=re_part_head,
        re_prep_head=re_prep_head,
        re_year_tail=re_year_tail,
        re_numeric=re_numeric,
        re_iso=re_iso,
        re_weekday_name=re_weekday_name,
        re_wd_pre_head=re_wd_pre_head,
        re_wd_tail=re_wd_tail,
        keys=keys,
        key_words=frozenset(key_words),
        re_phrase_rev=re_phrase_rev,
        re_num_rev=re_num_rev,
        re_rel_tail=re_rel_tail,
        re_eve_key=re_eve_key,
        re_pronoun=re.compile(rf"\s+(?i:{_alt(rel['after_pronouns'])}){word_end}"),
        re_eve_head=re_eve_head,
        cues={k: v for k, v in cues.items() if not k.startswith("'")},
        future_adjacent=tuple(
            sorted(
                {tuple(_norm(x).split()) for x in tense["future_adjacent"]}, key=len, reverse=True
            )
        ),
        contractions=tuple((k, v[0][1]) for k, v in cues.items() if k.startswith("'")),
        irregular_past=frozenset(
            _norm(x) for x in (*tense["irregular_past"], *tense["base_form_past"])
        ),
        past_suffix=tense["regular_past_suffix"],
        progressive_auxiliaries=frozenset(
            _norm(x) for x in tense["progressive_auxiliaries"] if not x.startswith(("'", "’"))
        ),
        progressive_contractions=tuple(
            _norm(x) for x in tense["progressive_auxiliaries"] if x.startswith(("'", "’"))
        ),
        passive_markers=frozenset(_norm(x) for x in tense["passive_markers"]),
        base_form_past=frozenset(_norm(x) for x in tense["base_form_past"]),
        infinitive_markers=frozenset(_norm(x) for x in tense["infinitive_markers"]),
        future_finite=frozenset(_norm(x) for x in tense["future_finite"]),
        re_word=re_word,
        re_stop=re_stop,
        re_clause_mark=re_clause_mark,
        re_anniversary=re_anniversary,
        re_came=re_came,
        re_ago_exact=(
            re.compile(rf"\s+(?i:{_alt(_norm(v) for v in rel['ago_exact'])})(?!\w)")
            if rel.get("ago_exact")
            else None
        ),
        re_year_word=re_year_word,
        year_words={_norm(k): v for k, v in year_words.items()},
    )


# ---------------------------------------------------------------------------------------------
# Clauses and their tense.


@dataclass(frozen=True, slots=True)
class _Bounds:
    """Clause and sentence boundaries of one text: sorted (start, end) offsets of each mark."""

    clause_starts: list[int]
    clause_ends: list[int]
    sentence_starts: list[int]
    sentence_ends: list[int]

    @staticmethod
    def _span(starts: list[int], ends: list[int], s: int, e: int, n: int) -> tuple[int, int]:
        i = bisect.bisect_right(ends, s) - 1
        left = ends[i] if i >= 0 else 0
        j = bisect.bisect_left(starts, e)
        right = starts[j] if j < len(starts) else n
        return left, right

    def clause(self, s: int, e: int, n: int) -> tuple[int, int]:
        return self._span(self.clause_starts, self.clause_ends, s, e, n)

    def sentence(self, s: int, e: int, n: int) -> tuple[int, int]:
        return self._span(self.sentence_starts, self.sentence_ends, s, e, n)


def _bounds(text: str, lex: Lexicon) -> _Bounds:
    """Sentence stops (. ! ? before a space, not after an abbreviation; line breaks) and clause
    marks (those, and ; : before a space, quotation marks, en/em dashes). Marks are one char."""
    stops = [m.start() for m in lex.re_stop.finditer(text)]
    marks = sorted(stops + [m.start() for m in lex.re_clause_mark.finditer(text)])
    return _Bounds(marks, [i + 1 for i in marks], stops, [i + 1 for i in stops])


def _cue_at(words: list[str], i: int, lex: Lexicon) -> str | None:
    """The tense signalled by a cue starting at ``words[i]`` (lower case), or None."""
    w = words[i]
    if w in lex.future_finite:
        # "ministers meet on Wednesday" (ahead), not "would meet", "to meet" (the word before
        # decides)
        return None if i > 0 and words[i - 1] in lex.infinitive_markers else "future"
    for phrase, direction in lex.cues.get(w, ()):
        if tuple(words[i : i + len(phrase)]) == phrase:
            return direction
    for suffix, direction in lex.contractions:
        if w.endswith(suffix):
            return direction  # "we'll"
    if w.endswith("ing") and i > 0 and w not in lex.not_progressive:
        prev = words[i - 1]
        if prev in lex.progressive_auxiliaries or prev.endswith(lex.progressive_contractions):
            return "future"  # "Scholz is travelling to Kyiv on Monday"
    regular = w.endswith(lex.past_suffix) and len(w) > len(lex.past_suffix) + 1 and "-" not in w
    if (regular or w in lex.irregular_past) and w not in lex.not_past:
        if w in lex.base_form_past and i > 0 and words[i - 1] in lex.infinitive_markers:
            return None  # "will put", "to cut": an infinitive, not a past form
        if i > 0 and words[i - 1] in lex.passive_markers:
            if words[i - 1] == "being" and (i < 2 or not _past_word(words[i - 2], lex)):
                # "sanctions being announced on Thursday": in progress/ahead; not after a past
                # form ("was being", "was last seen being led away on Friday")
                return "future"
            if words[i - 1] == "be" and i > 1 and words[i - 2] == "would":
                # "said the final decision would be made on Monday": the future of a report
                return "future"
            return None  # "will be held", "to be signed": passive, not past
        return "past"
    return None


def _inside_future_phrase(words: list[str], i: int, lex: Lexicon) -> bool:
    """The past form at ``words[i]`` is inside a future cue phrase that starts before it: "has
    agreed to meet ... on Thursday" (a present perfect of intention, whose act lies ahead)."""
    for j in range(max(0, i - 2), i):
        for phrase, direction in lex.cues.get(words[j], ()):
            if (
                direction == "future"
                and j + len(phrase) > i
                and tuple(words[j : j + len(phrase)]) == phrase
            ):
                return True
    return False


def _past_word(w: str, lex: Lexicon) -> bool:
    """``w`` is a past form: "was", "were", a regular -ed form or a listed irregular one."""
    if w in ("was", "were"):
        return True
    regular = w.endswith(lex.past_suffix) and len(w) > len(lex.past_suffix) + 1 and "-" not in w
    return (regular or w in lex.irregular_past) and w not in lex.not_past


def _words(text: str, start: int, end: int, lex: Lexicon) -> list[str]:
    return lex.re_word.findall(text[start:end].lower().replace("’", "'"))


def _tense(
    text: str, start: int, end: int, lex: Lexicon, bounds: _Bounds, *, right: bool = True
) -> str:
    cl_start, cl_end = bounds.clause(start, end, len(text))
    cl_start = max(cl_start, start - lex.max_clause_chars)
    cl_end = min(cl_end, end + lex.max_clause_chars)
    left = _words(text, cl_start, start, lex)
    if left and left[-1] == "on":
        left.pop()
    if not left and cl_start > 0 and text[cl_start - 1] in _QUOTE_MARKS:
        # a date right after a short quoted phrase reads the words before the quote: 'called
        # it a "destructive step" on Wednesday'
        inner = bounds.clause(cl_start - 1, cl_start - 1, len(text))[0]
        if inner > 0 and text[inner - 1] in _QUOTE_MARKS and cl_start - inner <= _SHORT_QUOTE:
            before = bounds.clause(inner - 1, inner - 1, len(text))[0]
            left = _words(text, max(before, start - lex.max_clause_chars), inner - 1, lex)
    for phrase in lex.future_adjacent:  # "a summit called for Thursday"
        if len(left) >= len(phrase) and tuple(left[-len(phrase) :]) == phrase:
            return "future"
    if left and _SUBJECT_DAY.match(text, end) and text[cl_start:start].rstrip().endswith(","):
        # the day is the subject of its verb after a comma ("For Macron, who holds the
        # presidency, Sunday was the most intense day"): that verb, not the aside, decides
        own = _words(text, end, cl_end, lex)
        direction = _cue_at(own, 0, lex) if own else None
        if direction is not None:
            return direction
    for i in range(len(left) - 1, -1, -1):  # leftwards from the expression
        direction = _cue_at(left, i, lex)
        if direction is not None:
            if direction == "past" and (
                _future_participle(left, i, lex) or _inside_future_phrase(left, i, lex)
            ):
                return "future"
            return direction
    if right:  # no cue before it: "The Russian parliament on Tuesday voted ..."
        closed = None if left else LABEL_CLOSE.match(text, end)  # "MONDAY. The talks ..."
        label = None if left else LABEL_SEPARATOR.match(text, end) or closed
        if label is not None:
            # a heading's label ("THURSDAY: The Security Council meets ...", "MONDAY. The
            # talks began ..."): the sentence it labels
            cl_end = max(cl_end, bounds.sentence(label.end(), label.end(), len(text))[1])
        words = _words(text, end, cl_end, lex)
        if "," in text[end:cl_end]:
            words = _skip_parenthetical(text, end, cl_end, lex)
        if _RELATIVE_AFTER.match(text, end):
            # (what was done about the day is no tense of its own clause: "Traders now turn to
            # Wednesday, which Zelenskiy has declared a day of unity")
            words = []
        direction = _first_cue(words, lex)
        if direction is not None:
            return direction
        if closed is not None:
            # a label of its own ("WEDNESDAY. Brussels, and a long day. The council met ..."):
            # the first tense among the next few sentences of its entry
            k = cl_end
            for _ in range(LABEL_TENSE_SENTENCES):
                k = len(text) - len(text[k:].lstrip(" .!?\"'"))
                if k >= len(text) or text[k] == "\n":
                    break
                k_end = bounds.sentence(k, k, len(text))[1]
                direction = _first_cue(_words(text, k, k_end, lex), lex)
                if direction is not None:
                    return direction
                k = k_end
    return "present"


# a word right after an expression, no punctuation between: the verb of a day as subject
_SUBJECT_DAY = re.compile(r" (?=[a-z])")

# a relative clause in the present perfect right after an expression ("Wednesday, which
# Zelenskiy has declared ..."): what was done about the day, not when the day is
_RELATIVE_AFTER = re.compile(r",\s+which\s+(?:[\w\x27-]+\s+){0,3}?(?:has|have)\s")


def _first_cue(words: list[str], lex: Lexicon) -> str | None:
    """The tense of the first cue in ``words`` read left to right (:func:`_cue_at`), or None."""
    for i in range(len(words)):
        direction = _cue_at(words, i, lex)
        if direction is not None:
            return direction
    return None


# the longest quoted phrase read as part of its clause for the tense of a date right after it
_SHORT_QUOTE = 60
_QUOTE_MARKS = '"\u201c\u201d'


def _skip_parenthetical(text: str, start: int, end: int, lex: Lexicon) -> list[str]:
    """Words of ``text[start:end]`` without a participial phrase set off by commas: "at the
    talks on Tuesday in Istanbul, initially slated to last two days, the offer became ..." reads
    "became", not "slated"."""
    parts = text[start:end].split(",")
    keep = [parts[0]]
    for i, part in enumerate(parts[1:-1], start=1):
        w = lex.re_word.findall(part.lower())
        if w and w[0].endswith("ly") and len(w) > 1:
            w = w[1:]
        head = w[0] if w else ""
        participle = head in lex.irregular_past or head.endswith(lex.past_suffix)
        if not participle:
            keep.append(parts[i])
    if len(parts) > 1:
        keep.append(parts[-1])
    return lex.re_word.findall(",".join(keep).lower().replace("’", "'"))


# a participle this many words after "will be" still belongs to the future predicate
_PARTICIPLE_REACH = 8


def _future_participle(words: list[str], i: int, lex: Lexicon) -> bool:
    """A past form at ``words[i]`` that is a participle inside a future predicate: "will be one
    of the gatherings held on Thursday", "sanctions being announced on Thursday"."""
    w = words[i]
    participle = w in lex.irregular_past or (
        w.endswith(lex.past_suffix) and w not in lex.not_past and "-" not in w
    )
    if not participle or i == 0:
        return False
    for k in range(i - 1, max(0, i - _PARTICIPLE_REACH) - 1, -1):
        if words[k] == "be":
            return k > 0 and _cue_at(words, k - 1, lex) == "future"
        if _cue_at(words, k, lex) is not None or _past_word(words[k], lex):
            # another verb in between: "Jets will be stationed at the base, Denmark said on
            # Monday" (the "be" has its participle; "said" is a verb of its own)
            return False
    return False


def _check_args(text: Any, published: Any = None, *, need_date: bool = False) -> dt.date | None:
    if not isinstance(text, str):
        raise TimexInputError(f"text should be a str, got {type(text).__name__}")
    if not need_date:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if not isinstance(published, dt.date):
        raise TimexInputError(
            f"published should be a datetime.date, got {published!r} ({type(published).__name__});"
            " parse it first, e.g. datetime.date.fromisoformat('2022-02-16')"
        )
    return published


def clause_tense(text: str, start: int, end: int, *, lexicon: Lexicon | None = None) -> str:
    """Tense of the clause around ``text[start:end]``: ``"past" | "future" | "present"``.

    The clause runs between the nearest boundaries (sentence stops, semicolons, colons, dashes,
    quotation marks). Inside it, the cue nearest the span decides: a future cue ("will",
    "is due to", "scheduled", "expected to", "plans to", "set to", "next", "is/are + -ing" ...),
    a past cue (a word ending in -ed not listed as an adjective, an irregular past form, "was",
    "had", "ago", "last" ...), or a modal without preference ("would", "could") which reads as
    ``"present"``. Only when no cue precedes the span in its clause does the first cue after it
    count ("The Russian parliament on Tuesday voted"). No cue:
    ``"present"``. A participle after "be"/"being" ("will be held") is not a past cue.
    """
    _check_args(text)
    if not 0 <= start <= end <= len(text):
        raise TimexInputError(f"span ({start}, {end}) is outside the text (length {len(text)})")
    lex = lexicon or load_lexicon()
    return _tense(text, start, end, lex, _bounds(text, lex))


# ---------------------------------------------------------------------------------------------
# Calendar helpers.


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, _month_end(year, month)))


def _contradicts(tense: str, start: dt.date, end: dt.date, ref: dt.date) -> bool:
    return (tense == "past" and start > ref) or (tense == "future" and end < ref)


def _distance(start: dt.date, end: dt.date, ref: dt.date) -> int:
    if start <= ref <= end:
        return 0
    return min(abs((start - ref).days), abs((end - ref).days))


def _pick(
    candidates: Iterable[tuple[dt.date, dt.date]], ref: dt.date, tense: str, penalty: int
) -> tuple[dt.date, dt.date] | None:
    """The candidate interval nearest ``ref``; one the tense contradicts is ``penalty`` further.

    Ties go to the earlier candidate (deterministic).
    """
    best = None
    for start, end in candidates:
        score = _distance(start, end, ref) + (
            penalty if _contradicts(tense, start, end, ref) else 0
        )
        if best is None or (score, start) < best[0]:
            best = ((score, start), (start, end))
    return None if best is None else best[1]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


# ---------------------------------------------------------------------------------------------
# Resolution: one small function per family. Each gets the match and the resolution state and
# returns a Timex (or None when the match turns out not to be a date).


@dataclass
class _State:
    text: str
    published: dt.date
    lex: Lexicon
    bounds: _Bounds
    ref: dt.date  # publication date or the live-blog dateline in force
    ref_anchor: str  # "published" or the dateline's text
    resolved: list[Timex]
    hits: dict[int, _Hit]  # start of a resolved Timex -> its candidate
    before: Timex | None = None  # the last day-precision date of the paragraph before
    # start of a resolved "<n> days after <event>" -> the date it was counted back from
    event_bases: dict[int, tuple[dt.date, str]] = field(default_factory=dict)

    def tense(self, s: int, e: int, *, right: bool = True) -> str:
        return _tense(self.text, s, e, self.lex, self.bounds, right=right)

    def sentence_start(self, pos: int, back: int = 0) -> int:
        """Where the sentence holding ``pos`` starts, or the one ``back`` sentences before it."""
        ends = self.bounds.sentence_ends
        i = bisect.bisect_right(ends, pos) - 1  # ends[i]: start of this sentence
        return ends[i - back] if i - back >= 0 else 0

    def anchor_before(
        self,
        pos: int,
        *,
        same_sentence: bool = False,
        not_after: dt.date | None = None,
        forward: bool = False,
    ) -> Timex | None:
        """The nearest preceding day-precision expression in this sentence or the
        ``ANCHOR_SENTENCES`` before it (only this one with ``same_sentence``); a date further back
        dates something else. With ``not_after`` (a past clause: the publication date), a date
        after it is skipped ("... an invasion could begin before the Olympics close on Feb. 20.
        The Pentagon the same day ordered ...": the same day as Friday's warning). With
        ``forward`` (the anchor of "hours later"), a look back ("two days earlier") is skipped:
        "On Friday the leaders announced an evacuation. The videos had been recorded two days
        earlier. Hours later a car exploded" is Friday evening."""
        i = bisect.bisect_right(self.bounds.sentence_ends, pos) - 1
        lo = self.sentence_start(pos, 0 if same_sentence else ANCHOR_SENTENCES)
        here = self.sentence_start(pos)  # where the sentence holding ``pos`` starts
        for t in reversed(self.resolved):
            if t.end <= pos and t.precision == "day":
                if t.text.lower().endswith(("after", "before")):
                    continue  # "the day after Putin recognised ...": an embedded event's day
                if forward and t.kind == "relative" and t.text.lower().endswith("earlier"):
                    continue
                if not_after is not None and t.date > not_after:
                    continue
                if (
                    t.start < here
                    and _RELATIVE_OPEN.search(self.text, max(0, t.start - 80), t.start)
                    and "," in self.text[t.end : here]
                ):
                    # "Scholz, who was in Kyiv on Monday, met Putin. But on the same day ...":
                    # an aside's day, in the sentence before, is no anchor
                    continue
                return t if t.start >= lo else None
        if not same_sentence and i < 0 and self.before is not None:
            # nothing before it in the paragraph's first sentence: the story goes on from the
            # paragraph before ("... voted on Tuesday ...", new paragraph: "On the same day, ...")
            return self.before
        return None


# the open relative clause of an aside just before a date: "Scholz, who was in Kyiv on Monday, ..."
_RELATIVE_OPEN = re.compile(r",\s+(?:who|which)\b[^,;.]*\Z")


def _make(
    st: _State,
    s: int,
    e: int,
    span: tuple[dt.date, dt.date],
    precision: str,
    kind: str,
    tense: str,
    anchor: str | None,
    dates_event_after: bool = False,
) -> Timex:
    return Timex(
        s, e, st.text[s:e], span[0], span[1], precision, kind, tense, anchor, dates_event_after
    )


def _day_number(s: str | None) -> int:
    """ "10th" -> 10."""
    assert s is not None
    return int(s[:2]) if s[:2].isdigit() else int(s[:1])


def _explicit_day_month(m: _Hit, st: _State) -> Timex | None:
    """ "January 10th", "Feb. 20", "20 February 2022", "Thursday 24 February", "20-21 May"."""
    lex = st.lex
    month = lex.months[_norm(m.group("month"))]
    day = _day_number(m.group("day"))
    day2 = _day_number(m.group("day2")) if m.group("day2") else None
    wd = lex.weekdays[_norm(m.group("wd"))] if m.group("wd") else None
    tense = st.tense(m.start(), m.end())
    if m.group("year"):
        years = [int(m.group("year"))]
        anchor = None
    else:
        years = [st.ref.year - 1, st.ref.year, st.ref.year + 1]
        anchor = st.ref_anchor
    cands = []
    for y in years:
        d = _safe_date(y, month, day)
        d2 = _safe_date(y, month, day2) if day2 is not None else d
        if d is None or d2 is None or d2 < d:
            continue
        cands.append((d, d2))
    if wd is not None and any(c[0].weekday() == wd for c in cands):
        cands = [c for c in cands if c[0].weekday() == wd]
    span = _pick(cands, st.ref, tense, lex.explicit_penalty)
    if span is None:
        return None
    precision = "day" if span[0] == span[1] else "approximate"
    t = _make(st, m.start(), m.end(), span, precision, "explicit", tense, anchor)
    if m.group("year") and m.group("hh") is not None and precision == "day":
        st.ref, st.ref_anchor = span[0], t.text  # a live-blog dateline: "4 Mar 2022 05.31"
    return t


def _explicit_numeric(m: _Hit, st: _State) -> Timex | None:
    """ "24/02/2022" (day first) or "02/24/2022" (month first) — only when unambiguous."""
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("year"))
    if a > 12 >= b:
        d = _safe_date(y, b, a)
    elif b > 12 >= a or a == b:
        d = _safe_date(y, a, b)
    else:
        return None  # 03/04/2022: 3 April or March 4? Not guessed.
    if d is None:
        return None
    tense = st.tense(m.start(), m.end())
    return _make(st, m.start(), m.end(), (d, d), "day", "explicit", tense, None)


def _explicit_iso(m: _Hit, st: _State) -> Timex | None:
    """ "2022-02-24"."""
    d = _safe_date(int(m.group("year")), int(m.group("m")), int(m.group("d")))
    if d is None:
        return None
    return _make(
        st, m.start(), m.end(), (d, d), "day", "explicit", st.tense(m.start(), m.end()), None
    )


def _year_word(st: _State, end: int) -> tuple[int | None, int]:
    """ "April last year": the year a word after a month names, and where the words end."""
    if st.lex.re_year_word is None:
        return None, end
    m = st.lex.re_year_word.match(st.text, end)
    if m is None:
        return None, end
    return st.ref.year + st.lex.year_words[_norm(m.group("yw"))], m.end()


def _month_interval(
    st: _State,
    month: int,
    year: str | None,
    tense: str,
    first: int = 1,
    last: int = 31,
    relative_year: int | None = None,
) -> tuple[tuple[dt.date, dt.date] | None, str | None]:
    if relative_year is not None:
        y = relative_year
        return (dt.date(y, month, first), dt.date(y, month, min(last, _month_end(y, month)))), (
            st.ref_anchor
        )
    years = [int(year)] if year else [st.ref.year - 1, st.ref.year, st.ref.year + 1]
    cands = [
        (dt.date(y, month, first), dt.date(y, month, min(last, _month_end(y, month))))
        for y in years
    ]
    return _pick(cands, st.ref, tense, st.lex.explicit_penalty), (None if year else st.ref_anchor)


def _month_part(m: _Hit, st: _State) -> Timex | None:
    """ "mid-February", "early March 2022", "the end of January": an approximate interval."""
    first, last = st.lex.month_parts[_norm(m.group("part"))]
    month = st.lex.months[_norm(m.group("month"))]
    tense = st.tense(m.start(), m.end())
    ry, end = _year_word(st, m.end()) if not m.group("year") else (None, m.end())
    span, anchor = _month_interval(st, month, m.group("year"), tense, first, last, ry)
    if span is None:
        return None
    return _make(st, m.start(), end, span, "approximate", "explicit", tense, anchor)


def _month_only(m: _Hit, st: _State) -> Timex | None:
    """ "in January", "March 2022": the calendar month (precision month)."""
    month = st.lex.months[_norm(m.group("month"))]
    s = m.start()
    tense = st.tense(s, m.end())
    ry, end = _year_word(st, m.end()) if not m.group("year") else (None, m.end())
    span, anchor = _month_interval(st, month, m.group("year"), tense, relative_year=ry)
    if span is None:
        return None
    return _make(st, s, end, span, "month", "explicit", tense, anchor)


def _weekday(m: _Hit, st: _State, *, tense: str | None = None) -> Timex:
    """ "on Tuesday", "Monday night", "Monday's talks", "last Tuesday", "next Monday", "on
    Monday last week"."""
    lex = st.lex
    wd = lex.weekdays[_norm(m.group("wd"))]
    e = m.end()
    clause = st.tense(m.start(), e)
    pre = m.group("pre") or m.group("post")
    rule = lex.weekday_prefixes.get(_norm(pre)) if pre else None
    ref = st.ref
    if rule is not None and rule[0] == "week":
        d = _monday(ref) + dt.timedelta(days=7 * int(rule[1]) + wd)
        return _make(st, m.start(), e, (d, d), "day", "weekday", clause, st.ref_anchor)
    if rule is not None and rule[1]:
        clause = str(rule[1])
    use = tense or clause
    week = _week_of_sentence(st, m.start(), use) if pre is None else None
    if week is not None:
        d = week + dt.timedelta(days=wd)
        return _make(st, m.start(), e, (d, d), "day", "weekday", use, st.ref_anchor)
    back = (ref.weekday() - wd) % 7
    fwd = (wd - ref.weekday()) % 7
    cands = [(ref - dt.timedelta(days=back),) * 2, (ref + dt.timedelta(days=fwd),) * 2]
    span = _pick(cands, ref, use, lex.weekday_penalty)
    assert span is not None
    return _make(st, m.start(), e, span, "day", "weekday", use, st.ref_anchor)


_NEW_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\s|;")


def _week_of_sentence(st: _State, start: int, tense: str) -> dt.date | None:
    """The Monday of the past or coming week its sentence has named before a bare weekday
    ("Last week the demands were put to the test in three rooms: Geneva on Monday, Brussels on
    Wednesday ..."): the weekday is that week's, when its tense agrees (else None)."""
    s0 = st.bounds.sentence(start, start, len(st.text))[0]
    for t in reversed(st.resolved):
        if t.start < s0:
            break
        if t.end > start or t.precision != "week" or t.kind != "period":
            continue
        if _NEW_CLAUSE.search(st.text, t.end, start):
            return None  # "X travels next week, and Y is expected on Thursday": Y's own day
        return _week_if_tense(st, t, tense)
    opening = _opening_week(st)
    if opening is not None and opening.end <= s0:
        return _week_if_tense(st, opening, tense)
    return None


def _week_if_tense(st: _State, t: Timex, tense: str) -> dt.date | None:
    """The Monday of the week ``t`` when ``tense`` agrees with it being past or ahead."""
    if t.date_end < st.ref and tense != "future":
        return t.date
    if t.date > st.ref and tense != "past":
        return t.date
    return None


# the longest opening sentence of a paragraph read as its week's heading
_OPENING_WEEK_WORDS = 10


def _opening_week(st: _State) -> Timex | None:
    """The week a paragraph opens with in a short sentence of its own ("Last week showed the
    other side of the ledger. On Tuesday Boris Johnson stood beside ..."): its bare weekdays
    are that week's. None when the opening sentence names another date or is long."""
    first = next(iter(st.resolved), None)
    if first is None or first.precision != "week" or first.kind != "period":
        return None
    if "past" in first.text.lower():
        return None  # "the past week" is the last seven days, not a calendar week
    s0, s1 = st.bounds.sentence(first.start, first.start, len(st.text))
    if st.text[:s0].strip() or len(st.text[s0:s1].split()) > _OPENING_WEEK_WORDS:
        return None
    if any(t.start < s1 for t in st.resolved[1:]):
        return None
    return first


def _phrase(m: _Hit, st: _State) -> Timex | None:
    """Deictic ("yesterday"), calendar periods ("last week") and anchored ("the next day")."""
    family, entry = st.lex.phrases[_norm(st.text[m.start() : m.end()])]
    tense = st.tense(m.start(), m.end())
    ref = st.ref
    if family == "deictic":
        a, b = entry["offset"]
        span = (ref + dt.timedelta(days=a), ref + dt.timedelta(days=b))
        return _make(
            st, m.start(), m.end(), span, entry["precision"], "deictic", tense, st.ref_anchor
        )
    if family == "anchored":
        phrase = _norm(st.text[m.start() : m.end()])
        anchor = st.anchor_before(
            m.start(),
            not_after=ref if tense == "past" else None,
            forward=phrase.endswith("later") or entry["offset"] > 0,
        )
        base = anchor.date if anchor else ref
        d = base + dt.timedelta(days=entry["offset"])
        label = anchor.text if anchor else st.ref_anchor
        if tense == "present" and anchor is not None:
            tense = anchor.tense  # "... on Thursday. G7 leaders meet later in the day": ahead
        return _make(st, m.start(), m.end(), (d, d), "day", "relative", tense, label)
    unit, shift = entry["unit"], entry["shift"]
    if unit == "month":
        first = _add_months(ref.replace(day=1), int(shift) if shift != "tense" else 0)
        span = (first, first.replace(day=_month_end(first.year, first.month)))
        return _make(st, m.start(), m.end(), span, "month", "period", tense, st.ref_anchor)
    if unit == "week":
        k = int(shift)
        if ref.weekday() == 6:
            # written on a Sunday (the Observer): "last week" is the week ending that day, and
            # "this week" ahead is the one starting the next day
            if k == -1:
                k = 0
            elif k == 0 and tense == "future":
                k = 1
        mon = _monday(ref) + dt.timedelta(days=7 * k)
        span = (mon, mon + dt.timedelta(days=6))
        return _make(st, m.start(), m.end(), span, "week", "period", tense, st.ref_anchor)
    sat = _monday(ref) + dt.timedelta(days=5)
    weekends = {
        k: (sat + dt.timedelta(days=7 * k), sat + dt.timedelta(days=7 * k + 1)) for k in (-1, 0, 1)
    }
    if shift == "tense":
        span = _pick([weekends[-1], weekends[0]], ref, tense, st.lex.weekday_penalty)
        assert span is not None
    else:
        span = weekends[int(shift)]
    return _make(st, m.start(), m.end(), span, "approximate", "period", tense, st.ref_anchor)


def _shift(d: dt.date, n: int, unit: str) -> dt.date:
    return _add_months(d, n) if unit == "month" else d + dt.timedelta(days=n * _UNIT_DAYS[unit])


_UNIT_DAYS = {"day": 1, "week": 7}


_AND_HEAD = re.compile(r"(?:,\s*|\s)and\s+\Z", re.IGNORECASE)


def _last_event_base(st: _State, pos: int) -> tuple[dt.date, str] | None:
    """The date the last "<n> days after <event>" of this sentence before ``pos`` was counted
    from, with its label, if there is one."""
    lo = st.sentence_start(pos)
    for t in reversed(st.resolved):
        if t.end <= pos and t.start >= lo and t.start in st.event_bases:
            return st.event_bases[t.start]
    return None


def _relative(m: _Hit, st: _State, following: Timex | None) -> Timex | None:
    """ "two days later", "a day earlier", "three days ago", "two days after 24 February",
    "..., a day after Moscow claimed ..." (dates the clause that follows)."""
    lex = st.lex
    raw_n = _norm(m.group("n"))
    n = int(raw_n) if raw_n.isdigit() else lex.numbers[raw_n]
    unit = _norm(m.group("unit"))
    direction = _norm(m.group("dir"))
    sign = 1 if direction in lex.later else -1
    precision = "day" if unit == "day" else "approximate"
    s, e = m.start(), m.end()
    tense = st.tense(s, e)
    if direction == "ago":
        d = _shift(st.ref, -n, unit)
        exact = lex.re_ago_exact.match(st.text, e) if lex.re_ago_exact is not None else None
        if exact is not None:  # "two weeks ago today": that very day
            e, precision = exact.end(), "day"
        return _make(st, s, e, (d, d), precision, "relative", "past", st.ref_anchor)
    if direction in ("after", "before"):
        if following is not None:  # "two days after 24 February": count from that date
            d = _shift(following.date, sign * n, unit)
            return _make(st, s, following.end, (d, d), precision, "relative", tense, following.text)
        pro = st.lex.re_pronoun.match(st.text, e)
        if pro is not None:  # "the week after that": counted from the date before, like "later"
            e = pro.end()
        elif st.text[e : e + 3].lstrip()[:1].isalnum():
            # An event follows ("..., a day after Moscow claimed ..."): date that event against
            # the date of the sentence, or the reference date when the sentence is in the
            # present. At the head of its clause ("Three weeks after the fall of the Wall he
            # ...") the phrase dates the main clause against an event of unknown date: skip.
            cl_start = st.bounds.clause(s, e, len(st.text))[0]
            if not _words(st.text, cl_start, s, st.lex):
                return None
            anchor = st.anchor_before(s, same_sentence=True)
            # "The attack came three days after Putin recognised ..., and two days after the
            # upper house authorised ...": counted from the same date as the first
            first = (
                _last_event_base(st, s)
                if anchor is None and _AND_HEAD.search(st.text, max(0, s - 8), s)
                else None
            )
            if first is not None:
                d = _shift(first[0], -sign * n, unit)
                return _make(st, s, e, (d, d), precision, "relative", tense, first[1], True)
            if (
                anchor is None
                and lex.re_came is not None
                and lex.re_came.match(st.text, cl_start, s) is not None
            ):
                # "Biden and Putin spoke on Saturday. The calls came a day after Sullivan told
                # ...": the subject is the event told before, dated by the sentences before
                anchor = st.anchor_before(s)
            if anchor is None and st.tense(s, e, right=False) != "present":
                return None
            base = anchor.date if anchor else st.ref
            d = _shift(base, -sign * n, unit)
            label = anchor.text if anchor else st.ref_anchor
            st.event_bases[s] = (base, label)
            return _make(st, s, e, (d, d), precision, "relative", tense, label, True)
    anchor = st.anchor_before(s)
    base = anchor.date if anchor else st.ref
    d = _shift(base, sign * n, unit)
    return _make(
        st, s, e, (d, d), precision, "relative", tense, anchor.text if anchor else st.ref_anchor
    )


# ---------------------------------------------------------------------------------------------
# The driver: scan for candidate expressions, keep the non-overlapping ones, resolve left to right.


class _Hit:
    """A candidate expression: family, span and the parts read from the text (like re.Match)."""

    __slots__ = ("_end", "_groups", "_start", "family")

    def __init__(self, family: str, start: int, end: int, groups: dict[str, str | None]) -> None:
        self.family = family
        self._start = start
        self._end = end
        self._groups = groups

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, name: str) -> str | None:
        return self._groups.get(name)


def _scan_months(text: str, lex: Lexicon, hits: list[_Hit]) -> None:
    """ "24 February 2022", "Feb. 20", "mid-February", "in January", "March 2022"."""
    for m in lex.re_month_name.finditer(text):
        ms, me = m.span()
        if ms and text[ms - 1].isalnum():
            continue
        g: dict[str, str | None] = {"month": m.group()}
        head = lex.re_dm_head.search(text, max(0, ms - 24), ms)
        tail = lex.re_md_tail.match(text, me) if head is None else None
        words = (
            lex.re_dm_words_head.search(text, max(0, ms - 40), ms)
            if head is None and tail is None and lex.re_dm_words_head is not None
            else None
        )
        if words is not None:  # "the twentieth of February"
            year = lex.re_year_tail.match(text, me)
            g.update(day=str(lex.ordinal_days[_norm(words["day"])]), day2=None)
            if year is not None:
                g.update(year=year["year"], hh=year["hh"])
            hits.append(_Hit("dm", words.start(), year.end() if year is not None else me, g))
            continue
        if head is not None or tail is not None:
            family = "dm" if head is not None else "md"
            if head is not None:
                start, year = head.start(), lex.re_year_tail.match(text, me)
                g.update(day=head["day"], day2=head["day2"])
                if not _day_range_ok(text, head):  # "moved from 10 to 20 February": the 20th
                    start = head.start("day2")
                    g.update(day=head["day2"], day2=None)
            else:
                start, year = ms, tail
                g.update(day=tail["day"], day2=tail["day2"])  # type: ignore[index]
            end = year.end() if year is not None else (me if head is not None else tail.end())  # type: ignore[union-attr]
            if year is not None:
                g.update(year=year["year"], hh=year["hh"])
            wd = lex.re_wd_head.search(text, max(0, start - 16), start)
            if wd is not None:
                start = wd.start()
                g["wd"] = wd["wd"]
            hits.append(_Hit(family, start, end, g))
            continue
        year = lex.re_year_tail.match(text, me)
        if year is not None:
            g["year"] = year["year"]
        end = year.end("year") if year is not None else me
        part = lex.re_part_head.search(text, max(0, ms - 24), ms)
        if part is not None:
            g["part"] = part["part"]
            hits.append(_Hit("month_part", part.start(), end, g))
        elif _norm(m.group()) in lex.full_month_names and (
            year is not None or lex.re_prep_head.search(text, max(0, ms - 16), ms)
        ):
            hits.append(_Hit("month", ms, end, g))  # a bare "March" could be the verb


def _day_range_ok(text: str, head: re.Match[str]) -> bool:
    """Whether the two day numbers of a "10 to 20 February" head are one interval: a hyphen
    always is; "and" only after "between"; no word connector after a move ("postponed from
    10 to 20 February" names the new day)."""
    conn = (head["conn"] or "").strip().lower()
    if conn in ("", "-", "–"):
        return True
    before = text[max(0, head.start() - 60) : head.start()]
    if conn == "and":
        return _BETWEEN.search(before) is not None
    return _MOVED.search(before) is None


def _scan_numbers(text: str, lex: Lexicon, hits: list[_Hit]) -> None:
    """ "24/02/2022", "24.02.2022", "2022-02-24"."""
    for m in lex.re_numeric.finditer(text):
        i = m.start() - 1  # the first number, one or two digits before the separator
        start = i - 1 if i and text[i - 1].isdigit() else i
        if start and (text[start - 1].isalnum() or text[start - 1] in "./-_"):
            continue  # part of a longer number or code: "1.24.02.2022", "v2/03/2022"
        g = {"a": text[start : m.start()], "b": m["b"], "year": m["year"]}
        hits.append(_Hit("numeric", start, m.end(), g))
    for m in lex.re_iso.finditer(text):
        g = {"year": m["year"], "m": m["m"], "d": m["d"]}
        hits.append(_Hit("iso", m.start() - 4, m.end(), g))


_WEEK_AFTER = re.compile(r"\s+(?P<post>\w+)\s+week\b(?!')", re.IGNORECASE)


def _scan_weekdays(text: str, lex: Lexicon, hits: list[_Hit]) -> None:
    """ "Tuesday", "last Tuesday", "earlier on Monday", "Monday night", "Monday's"."""
    for m in lex.re_weekday_name.finditer(text):
        ws, we = m.span()
        if ws and text[ws - 1].isalnum():
            continue
        pre = lex.re_wd_pre_head.search(text, max(0, ws - 20), ws)
        tail = lex.re_wd_tail.match(text, we)
        suf = tail["suf"] if tail is not None else None
        end = tail.end() if suf else we  # a possessive 's is not part of the date
        g = {"wd": m.group(), "pre": pre["pre"] if pre else None, "suf": suf}
        # "on Monday last week", "on Friday next week": the week a prefix would name
        post = _WEEK_AFTER.match(text, end) if pre is None else None
        if post is not None and lex.weekday_prefixes.get(_norm(post["post"]), ("",))[0] == "week":
            g["post"], end = post["post"], post.end()
        hits.append(_Hit("weekday", pre.start() if pre else ws, end, g))


def _scan_keys(text: str, lex: Lexicon, hits: list[_Hit]) -> None:
    """Phrases ending in a key word ("last week", "yesterday", "in recent days", "the next
    day") and quantities of a unit ("two days later"), found from the key word."""
    n = len(text)
    rtext = ""
    seen: set[int] = set()
    for key in lex.keys:
        i = text.find(key)
        while i != -1:
            ws, we = i, i + len(key)
            while ws and text[ws - 1].isalpha():
                ws -= 1
            while we < n and text[we].isalpha():
                we += 1
            i = text.find(key, we)
            word = text[ws:we].lower()
            if ws in seen or word not in lex.key_words:
                continue
            seen.add(ws)
            rtext = rtext or text[::-1]
            ph = lex.re_phrase_rev.match(rtext, n - we)
            if ph is not None:
                hits.append(_Hit("phrase", n - ph.end(), we, {}))
            unit = word[:-1] if word.endswith("s") and word[:-1] in lex.units else word
            if unit in lex.units:
                num = lex.re_num_rev.match(rtext, n - ws)
                tail = lex.re_rel_tail.match(text, we) if num is not None else None
                count = num["n"][::-1] if num is not None else ""
                if word != unit and lex.numbers.get(_norm(count)) == 1:
                    continue  # "the months before", "a days later": vague or no count
                if num is not None and tail is not None:
                    g = {"n": count, "unit": unit, "dir": tail["dir"]}
                    hits.append(_Hit("relative", n - num.end(), tail.end(), g))


def _scan_eves(text: str, lex: Lexicon, hits: list[_Hit]) -> None:
    """ "on the eve of"."""
    for m in lex.re_eve_key.finditer(text):
        head = lex.re_eve_head.search(text, max(0, m.start() - 12), m.start())
        if head is not None:
            hits.append(_Hit("eve", head.start(), m.end(), {}))


_SCANNERS = (_scan_months, _scan_numbers, _scan_weekdays, _scan_keys, _scan_eves)
# Among overlapping candidates the earliest, then the longest, then the family first listed wins.
_RANK = {
    f: r
    for r, f in enumerate(
        (
            "md",
            "dm",
            "numeric",
            "iso",
            "month_part",
            "relative",
            "phrase",
            "weekday",
            "month",
            "eve",
        )
    )
}
_ADJACENT = re.compile(r"\s*(?:on\s+|the\s+)?")


def _candidates(text: str, lex: Lexicon) -> list[_Hit]:
    hits: list[_Hit] = []
    for scan in _SCANNERS:
        scan(text, lex, hits)
    hits.sort(key=lambda h: (h.start(), h.start() - h.end(), _RANK[h.family]))
    chosen = []
    last_end = -1
    for h in hits:
        if h.start() >= last_end:
            chosen.append(h)
            last_end = h.end()
    return chosen


def find_timexes(
    text: str,
    published: dt.date,
    *,
    lexicon: Lexicon | None = None,
    before: Timex | None = None,
) -> list[Timex]:
    """All temporal expressions in a paragraph (or sentence) of an article, resolved.

    Parameters
    ----------
    text : str
        A paragraph or sentence; offsets of the result refer to it.
    published : datetime.date
        The article's publication date (a ``datetime`` is reduced to its date).
    lexicon : Lexicon, optional
        A lexicon from :func:`load_lexicon`; default ``data/timex.toml``.
    before : Timex, optional
        The last day-precision expression of the paragraph before ``text``: what an anchored
        expression in the first sentence ("On the same day, ...", "A day earlier, ...") anchors
        to when nothing in ``text`` comes before it (else the publication date).

    Returns
    -------
    list of Timex
        Sorted by position, non-overlapping (an "eve of" expression excepted: it ends before
        the date it is the eve of). Relative expressions ("two days later", "a day earlier",
        "the next day") anchor to the nearest preceding day-precision date in their sentence or
        the ``ANCHOR_SENTENCES`` before it, else (first sentence) to ``before``, else to the
        publication date; a live-blog dateline ("4 Mar 2022 05.31") becomes the
        reference date for what follows it. Years alone ("in 2014", "the 1990s") are not
        returned.
    """
    pub = _check_args(text, published, need_date=True)
    assert pub is not None
    lex = lexicon or load_lexicon()
    chosen = _candidates(text, lex)
    if not chosen:
        return []
    st = _State(text, pub, lex, _bounds(text, lex), pub, "published", [], {}, before)
    eves: list[_Hit] = []
    i = 0
    while i < len(chosen):
        h = chosen[i]
        i += 1
        if h.family == "eve":
            eves.append(h)
            continue
        if h.family != "relative":
            t = _RESOLVERS[h.family](h, st)
        else:
            following = None
            if (
                _norm(h.group("dir") or "") in ("after", "before")
                and i < len(chosen)
                and chosen[i].family in ("md", "dm", "numeric", "iso", "weekday")
                and _ADJACENT.fullmatch(text, h.end(), chosen[i].start())
            ):
                following = _RESOLVERS[chosen[i].family](chosen[i], st)
                i += 1
            t = _relative(h, st, following)
            # "two weeks ago today": the phrase took the word after it
            while t is not None and i < len(chosen) and chosen[i].start() < t.end:
                i += 1
        if t is not None:
            st.resolved.append(t)
            st.hits[t.start] = h
    for h in eves:
        _eve(h, st)
    if lex.re_anniversary is not None:
        _anniversaries(st)
    st.resolved.sort(key=lambda t: t.start)
    return _ranges(st)


# "from Jan. 24 to Feb. 4", "between 10 and 20 February", "from Feb. 10 to 20": one interval,
# as "Feb. 10-20" is; not a move ("postponed from Monday to Wednesday": the new day counts)
_RANGE_FROM = re.compile(r"(?<![\w-])(?:from|between)\s+\Z", re.IGNORECASE)
_RANGE_TO = re.compile(r"\s+(?:to|until|till|through|and)\s+", re.IGNORECASE)
_RANGE_TO_DAY = re.compile(
    r"\s+(?:to|until|till|through)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?![.:,]?\d|\s*(?:%|per\b))",
    re.IGNORECASE,
)
_MOVED = re.compile(
    r"\b(?:postponed|moved|delayed|pushed back|brought forward|rescheduled|shifted|switched|"
    r"changed|extended)\b[^.;]{0,30}\Z",
    re.IGNORECASE,
)
_MAX_RANGE_DAYS = 62
_BETWEEN = re.compile(r"(?<![\w-])between\s+\Z", re.IGNORECASE)
# between the two days of one event: "on Wednesday and Thursday" (not "and again on", "and on")
_TWO_DAYS = re.compile(r"\s+and\s+")


def _ranges(st: _State) -> list[Timex]:
    """The resolved expressions with each "from X to Y" / "between X and Y" of two day dates
    (the second after the first, within two months) joined into one interval X..Y of
    ``approximate`` precision, as a hyphenated "Feb. 10-20" is; and two consecutive days of
    one kind joined by "and" ("on Wednesday and Thursday") into one expression of the first
    day, the date of a two-day event."""
    text, res = st.text, st.resolved
    out: list[Timex] = []
    i = 0
    while i < len(res):
        t = res[i]
        i += 1
        nxt = res[i] if i < len(res) else None
        if (
            t.precision == "day"
            and nxt is not None
            and nxt.precision == "day"
            and nxt.date == t.date + dt.timedelta(days=1)
            and t.kind == nxt.kind
            and _TWO_DAYS.fullmatch(text, t.end, nxt.start)
        ):
            # two days of one event ("a two-day meeting in Brussels on Wednesday and Thursday"):
            # dated by its first day (a day-precision expression is one day)
            out.append(replace(t, end=nxt.end, text=text[t.start : nxt.end]))
            i += 1
            continue
        if t.precision != "day" or not _RANGE_FROM.search(text, max(0, t.start - 9), t.start):
            out.append(t)
            continue
        if _MOVED.search(text, max(0, t.start - 50), t.start):
            out.append(t)
            continue
        end, last = None, None
        if (
            nxt is not None
            and nxt.precision == "day"
            and t.date < nxt.date <= t.date + dt.timedelta(days=_MAX_RANGE_DAYS)
            and _RANGE_TO.fullmatch(text, t.end, nxt.start)
        ):
            end, last = nxt.end, nxt.date
            i += 1
        elif t.kind == "explicit" and (m := _RANGE_TO_DAY.match(text, t.end)) is not None:
            d = int(m["d"])
            if t.date.day < d <= _month_end(t.date.year, t.date.month):
                end, last = m.end(), t.date.replace(day=d)
        if end is None or last is None:
            out.append(t)
            continue
        out.append(
            replace(t, end=end, text=text[t.start : end], date_end=last, precision="approximate")
        )
    return out


_RESOLVERS: dict[str, Callable[[_Hit, _State], Timex | None]] = {
    "md": _explicit_day_month,
    "dm": _explicit_day_month,
    "numeric": _explicit_numeric,
    "iso": _explicit_iso,
    "month_part": _month_part,
    "month": _month_only,
    "weekday": _weekday,
    "phrase": _phrase,
}


def _eve(m: _Hit, st: _State) -> None:
    """ "on the eve of <X ...> on Thursday": the day before X's date, X found later in the clause.

    A bare weekday naming X is re-read as its nearest occurrence: the eve precedes X whatever
    the tense of the clause ("The call took place on the eve of a meeting on Thursday").
    """
    _, cl_end = st.bounds.clause(m.start(), m.end(), len(st.text))
    limit = min(cl_end, m.end() + st.lex.eve_max_gap)
    for k, t in enumerate(st.resolved):
        if t.start < m.end() or t.start >= limit:
            continue
        if t.precision != "day":
            return
        hit = st.hits.get(t.start)
        if t.kind == "weekday" and hit is not None and hit.group("pre") is None:
            t = _weekday(hit, st, tense="present")
            st.resolved[k] = t
        d = t.date - dt.timedelta(days=1)
        st.resolved.append(
            _make(st, m.start(), m.end(), (d, d), "day", "relative", t.tense, t.text)
        )
        return


def _anniversaries(st: _State) -> None:
    """ "Thursday marks one month since Russia invaded": the event one month before Thursday.

    The new expression spans "one month since" and dates the clause that follows; the date it
    counts from stays as it is (it dates the anniversary, which is no event).
    """
    lex = st.lex
    assert lex.re_anniversary is not None
    for t in list(st.resolved):
        if t.precision != "day":
            continue
        m = lex.re_anniversary.match(st.text, t.end)
        if m is None:
            continue
        raw_n = _norm(m.group("n"))
        n = int(raw_n) if raw_n.isdigit() else lex.numbers[raw_n]
        unit = _norm(m.group("unit"))
        d = _shift(t.date, -n, unit)
        st.resolved.append(
            _make(st, m.start("n"), m.end(), (d, d), "day", "relative", "past", t.text)
        )
