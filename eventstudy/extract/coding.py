"""What happened and who did it: triggers -> event type, actors from the gazetteer.

The rules are data: ``data/events/triggers.toml`` (the trigger lexicon with PLOVER categories,
modes, CAMEO Goldstein scores, crisis direction, and the modality/negation cues) and
``data/gazetteer.csv`` (states, bodies, office holders with the dates they held office,
capitals/institutions used as metonyms, demonyms). Both are checked when loaded and errors name
the file, the entry and the field.

:func:`code_article` turns one article into *mentions*: one per (sentence, trigger) that passes
the filters below. :mod:`eventstudy.extract.catalog` merges mentions into events.

A trigger becomes a mention when

1. it is outside quoted speech (a quote is a claim, not a report of an action), except a
   doubted pullback ("we haven't seen any pullback", coded as an accusation) and a quoted
   official statement;
2. its ``context``/``not_context`` conditions hold in its clause, and its sentence is not a
   question, a photo caption or an editorial note;
3. it is not negated ("did not withdraw", "denied plans to invade"); a negated pullback in a
   reported statement becomes an accusation ("has yet to verify the claims of withdrawals");
4. it is dated. Each temporal expression of a sentence belongs to the nearest trigger or
   reporting verb ("said on Saturday"), measured in characters, with a penalty for a comma
   between a date and a following trigger, never across into an after/before clause, never
   more than ``MAX_DATE_DISTANCE`` characters away; a trigger without a date of its own shares
   the date of its clause when both are of one category ("met ... for talks"), when the date is
   fronted ("On Monday, X met Y and ..."), also for a later predicate of the same subject in a
   clause of its own ("On Tuesday, X warned that ..., and pledged £88m"; not a participle),
   when it is the next predicate right after the date
   ("spoke on Sunday and agreed to ..."), when it is said at a dated meeting ("pleaded at
   Nato's summit last week"), or when it is reported content ("said on Saturday that ...",
   "..., officials said on Saturday", also across list clauses: "..., and ammunition depots,
   the Russian defence ministry said on Sunday"); a speech act with no date in its sentence
   takes the previous sentence's day when the same speaker continues; a present-perfect lede ("the
   Kremlin has warned ...", not "has repeatedly warned") takes the past day of the next
   sentence when that one reports the statement and names the same speaker ("..., Peskov
   told reporters on Wednesday"); an act told "at the summit", "in a final summit statement"
   or "on the eve of the summit" takes the day the article gives that summit (the day before
   for the eve). An act in a sentence without a date, under a dated heading (a paragraph that
   is only an explicit day and a short label: a timeline's "13 January" or "Day one - 24
   February"), takes the heading's day, for the next ``HEADING_SCOPE`` paragraphs. The direct
   object of a speech act ("rejected appeals for ... on Friday") is
   no event of its own and gives it its date. Dates more than a year from publication are
   history, not news;
5. a definite noun phrase of a background-prone category ("the invasion", "Russia's
   withdrawal") needs its date attached to it ("the 24 February invasion", "the invasion he
   launched on 24 February");
6. it names at least one actor from the gazetteer, taken from its own part of the clause (a
   list "a Nato summit, a G7 meeting and an EU summit" is cut at its separators), plus the
   agent when none precedes the trigger (a relative clause's antecedent or the sentence's
   subject); places and topics ("the crisis in Ukraine") and former office holders are not
   actors; a bare title ("the prime minister", "the alliance") is the holder of that office
   named last before it in the article; a person the article introduces with an office
   ("Sweden's foreign minister, Ann Linde") stands for the office's state by name or surname;
7. it is not merely the object of a speech act in the same clause ("condemned the
   deployment", "warned that a no-fly zone would ...") unless it owns its own date.

A dated report verb ("said", "told" ...) whose sentence has no dated trigger, or whose clause and
date no act of the sentence shares ("X announced on Tuesday that ..., while Y said on Monday that
..."), is a *statement* coded by what it reports (the content after a leading verb or before a
closing attribution, quotes included): a speech-act trigger quoted there ('"We are not going to send
... rocket systems," Biden told reporters on Monday' is a refusal), else the first ``[[statement]]``
rule of the lexicon whose cue occurs there (consequences promised: threaten; a refusal in the
speaker's words: reject; what another party must do: request; a hostile claim: accuse), when the
speaker is named or official ("the justice ministry said"); also an act the speaker reports (weapons
sent or arrived: aid; a supply cut-off held back: concede). A negated cue ("did not believe Russia
would respond") makes no statement. A date before a that-clause is the report's ("told a radio
station on Wednesday that a blockade could ...").

Mentions of one sentence with the same category, date expression and compatible actors are one
event (two acts each dated by its own words, "drills due to end on Feb. 20 and exercises to
conclude on Sunday", stay two);
"separate calls with A and B" are split into one event per counterpart, plural meetings of
several bodies ("a trio of Nato, G7 and EU summits", "G7 and EU leaders are holding meetings")
into one meeting per body, a trip to two capitals ("travel to Kyiv and Moscow") into one visit
each, and sanctions or aid of a list of agents ("the United States, Britain and the European Union
announced sanctions") into one event per agent, never merged back together.

A date after "until" ("drills due to run until Feb. 20") is the end of something going on: a
trigger takes it only when it has no other. A date that opens its sentence as a label ("Feb. 10
-- Russia and Belarus open ...", a timeline's entry) dates that sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from eventstudy._datafiles import data_path, load_toml, read_csv_rows, require_fields
from eventstudy.errors import DataFileError
from eventstudy.extract.sentences import (
    BULLETS,
    LABEL_BULLETS,
    LABEL_CLOSE,
    LABEL_SEPARATOR,
    clause_spans,
    normalize,
    quote_spans,
    sentence_spans,
)

__all__ = [
    "CATEGORIES",
    "DIRECTIONS",
    "MODALITIES",
    "Actor",
    "Gazetteer",
    "Lexicon",
    "Mention",
    "Trigger",
    "code_article",
    "load_gazetteer",
    "load_lexicon",
]

CATEGORIES = (
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
DIRECTIONS = ("escalation", "de-escalation", "neutral")
MODALITIES = ("occurred", "announced", "scheduled", "hypothetical")
PRECISIONS = ("day", "week", "month", "approximate")
_DATED = frozenset({"day", "week", "month"})


# --------------------------------------------------------------------------------------------
# Trigger lexicon
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trigger:
    """One rule of the trigger lexicon (see ``data/events/triggers.toml``)."""

    name: str
    category: str
    mode: str
    goldstein: float
    direction: str
    same_side: str | None
    priority: int
    speech: bool
    context: re.Pattern[str] | None
    not_context: re.Pattern[str] | None
    refine: tuple[tuple[re.Pattern[str], dict[str, Any]], ...] = ()

    def refined(self, after: str) -> Trigger:
        """The rule with its ``refine`` overrides applied for the clause text ``after`` it."""
        for pattern, fields in self.refine:
            if pattern.search(after):
                from dataclasses import replace

                return replace(self, **fields)
        return self


@dataclass(frozen=True, slots=True)
class _DirectionCue:
    categories: frozenset[str]
    pattern: re.Pattern[str]
    direction: str


@dataclass(frozen=True)
class Lexicon:
    """The compiled trigger lexicon: one alternation over every pattern, and the cue lists."""

    path: str
    triggers: tuple[Trigger, ...]
    index: dict[str, tuple[tuple[int, re.Pattern[str]], ...]]
    # patterns no index key can find, searched everywhere; with a literal every match must
    # contain (lower case), searched only in text that has it
    always: tuple[tuple[int, re.Pattern[str], str | None], ...]
    open_lengths: tuple[int, ...]
    direction_cues: tuple[_DirectionCue, ...]
    hypothetical_before: re.Pattern[str]
    hypothetical_adjacent: re.Pattern[str]
    infinitive_before: re.Pattern[str]
    definite_before: re.Pattern[str]
    hypothetical_clause: re.Pattern[str]
    hypothetical_after: re.Pattern[str]
    scheduled_before: re.Pattern[str]
    scheduled_after: re.Pattern[str]
    announced_before: re.Pattern[str]
    negated_before: re.Pattern[str]
    # a dated report verb typed by what it reports: (rule, cue regex over the reported content)
    statements: tuple[tuple[Trigger, re.Pattern[str]], ...] = ()
    # category -> how to code an event of that type no rule named ([[category]], mode "")
    defaults: dict[str, Trigger] = field(default_factory=dict, compare=False)
    # a plan of a meeting or visit is scheduled ("plans to travel to Kyiv next week"), a plan of
    # another act only an intention ([modality] planned_before / planned_categories)
    planned_before: re.Pattern[str] | None = None
    planned_categories: frozenset[str] = frozenset()
    # a decision of the speaker's side told as what it would do ("Britain said that 350 Royal
    # Marines would deploy to Poland") is announced, not hypothetical, for these categories
    reported_before: re.Pattern[str] | None = None
    reported_categories: frozenset[str] = frozenset()
    # the same decision told with the act's noun first ("the Pentagon said that 3,000 troops
    # would be sent"): a report verb earlier in the clause (``reported_verb``) and "would"
    # just after the trigger (``reported_after``)
    reported_verb: re.Pattern[str] | None = None
    reported_after: re.Pattern[str] | None = None
    # the same decision told before a closing attribution ("Canada would also send up to 460
    # more troops to Latvia, Trudeau said on Tuesday."): "would"/"will" just before the trigger
    # (``reported_modal``) and the attribution after it (``reported_closing``, from its end)
    reported_modal: re.Pattern[str] | None = None
    reported_closing: re.Pattern[str] | None = None
    # a meeting said to come on a day ahead ("said Biden and Putin would speak by phone on
    # Saturday"): "would"/"will" before the trigger, read on the words before it with its first
    # word added (a meeting's trigger may hold its modal: "would meet")
    planned_modal: re.Pattern[str] | None = None
    # a refusal is the act itself for these categories ("said the alliance would not
    # compromise on ...": a rejection that happened, not a possibility): ``refusal`` around the
    # trigger in its clause
    refusal: re.Pattern[str] | None = None
    refusal_categories: frozenset[str] = frozenset()
    # word (lower case) -> candidate patterns: the index lookups of ``find``, memoised
    _priorities: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _word_cands: dict[str, tuple[tuple[int, re.Pattern[str]], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def priorities(self) -> dict[str, int]:
        """Rule name -> priority, for every trigger, statement rule and the doubted pullback."""
        if not self._priorities:
            self._priorities.update((t.name, t.priority) for t in self.triggers)
            self._priorities.update((t.name, t.priority) for t, _ in self.statements)
            self._priorities[_DOUBT.name] = _DOUBT.priority
        return self._priorities

    def unrefined(self, category: str) -> Trigger:
        """How to code an event of ``category`` when nothing says which refinement it is: its
        ``[[category]]`` entry (mode ""), else its first rule, else a neutral rule scored 0."""
        got = self.defaults.get(category)
        if got is None:
            got = next((t for t in self.triggers if t.category == category), None)
        return got if got is not None else _plain_rule(category)

    def _candidates(self, w: str) -> tuple[tuple[int, re.Pattern[str]], ...]:
        got = self._word_cands.get(w)
        if got is None:
            index = self.index
            empty: tuple[tuple[int, re.Pattern[str]], ...] = ()
            got = index.get(w[:4], empty)
            if len(w) < 4:
                got = got + index.get("=" + w, empty)
            for k in self.open_lengths:
                got = got + index.get("~" + w[:k], empty)
            if len(self._word_cands) < 200_000:
                self._word_cands[w] = got
        return got

    def find(self, text: str, start: int, end: int) -> list[tuple[int, int, Trigger]]:
        """Non-overlapping trigger matches in ``text[start:end]``: ``(start, end, rule)``.

        Candidates come from an index of the patterns' literal first letters, tried only at
        word starts (a single big alternation is ~30x slower in Python's ``re``). Overlaps are
        resolved as a regex alternation would: leftmost first, then the higher priority.
        """
        cands: list[tuple[int, int, int, int]] = []
        candidates, memo = self._candidates, self._word_cands
        triggers = self.triggers
        # every word, looked up in the memo of its candidates (a simple word regex and a dict
        # are faster than a trie of the index keys tried at every character); a word inside a
        # compound ("anti-ship", "pro-Russian") never starts a trigger
        for c in _WORD_START.finditer(text, start, end):
            w = c.group().lower()
            found = memo.get(w)
            if found is None:
                found = candidates(w)
            if not found:
                continue
            pos = c.start()
            for ti, pat in found:
                mm = pat.match(text, pos, end)
                if mm:
                    cands.append((pos, -triggers[ti].priority, -mm.end(), ti))
        low = None
        for ti, pat, lit in self.always:
            if lit is not None:
                if low is None:
                    low = text[start:end].lower()
                if lit not in low:
                    continue
            for mm in pat.finditer(text, start, end):
                cands.append((mm.start(), -self.triggers[ti].priority, -mm.end(), ti))
        cands.sort()
        out: list[tuple[int, int, Trigger]] = []
        last = -1
        for a, _, neg_b, ti in cands:
            if a >= last:
                out.append((a, -neg_b, self.triggers[ti]))
                last = -neg_b
        return out


_WORD = re.compile(r"[A-Za-z]+")
# a word that can start a trigger: not inside a compound ("anti-ship", "pro-Russian")
_WORD_START = re.compile(r"(?<![A-Za-z-])[A-Za-z]+")


def _trie(words: list[str]) -> str:
    """A regex matching exactly ``words`` (letters), shaped as a trie so that Python's ``re``
    decides at each position from the first letter instead of trying every word."""
    if not words:
        return "(?!)"
    end = "" in words
    heads: dict[str, list[str]] = {}
    for w in words:
        if w:
            heads.setdefault(w[0], []).append(w[1:])
    alts = [re.escape(h) + _trie(tails) for h, tails in sorted(heads.items())]
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if end:
        return "(?:" + body + ")?" if alts else ""
    return body


def _required_literal(pattern: str, shortest: int = 4) -> str | None:
    """The longest run of literal characters (lower case) that every match of ``pattern`` has,
    read from its top-level sequence ("-minute " in ``\\d+-minute ... call``); None when
    there is none of at least ``shortest`` characters."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    items = list(P.parse(pattern, re.IGNORECASE))
    # a group around the whole pattern is the pattern
    while len(items) == 1 and items[0][0] is C.SUBPATTERN:
        items = list(items[0][1][-1])
    best, run = "", ""
    for op, arg in items:
        ch = chr(arg) if op is C.LITERAL else ""
        # (ASCII only, and not the letters whose case-insensitive matches include other
        # characters than their two cases: "i" also matches "İ", "k" the Kelvin sign, "s" "ſ")
        if ch and ch.isascii() and ch.lower() not in "iks":
            run += ch
            best = max(best, run, key=len)
        else:
            run = ""
    return best.lower() if len(best) >= shortest else None


def _index_keys(pattern: str, width: int = 4) -> set[str] | None:
    """Index keys of a regex: how the word a match starts with can begin.

    From the parsed pattern: ``"abcd"`` (the first four letters), ``"=ab"`` (a whole first word
    shorter than four letters, "met"), ``"~ab"`` (a first word beginning with these letters and
    cut short by a character class or repeat). ``None`` when a match can start with a
    non-letter; such a pattern is searched everywhere instead.
    """
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    def expand(items: list[Any], acc: str) -> set[str] | None:
        if len(acc) >= width:
            return {acc[:width]}
        if not items:
            return {"=" + acc}
        op, av = items[0]
        rest = items[1:]
        if op is C.LITERAL:
            ch = chr(av)
            if not ch.isalpha():
                return {"=" + acc} if acc else None
            return expand(rest, acc + ch.lower())
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return expand(rest, acc)
        if op is C.SUBPATTERN:
            return expand(list(av[-1]) + rest, acc)
        if op is C.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                got = expand(list(branch) + rest, acc)
                if got is None:
                    return None
                out |= got
            return out
        if op is C.IN:
            chars = [chr(v) for o, v in av if o is C.LITERAL]
            if len(chars) == len(av) and all(c.isalpha() for c in chars):
                out = set()
                for c in chars:
                    got = expand(rest, acc + c.lower())
                    if got is None:
                        return None
                    out |= got
                return out
            if len(chars) == len(av) and not any(c.isalpha() for c in chars):
                return {"=" + acc} if acc else None
            return {"~" + acc} if acc else None
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, sub = av
            once = expand(list(sub) + rest, acc)
            if once is None:
                return None
            if hi != 1:  # more repeats may follow: a short word is open
                once = {k if len(k) >= width else "~" + k[1:] for k in once}
            if lo == 0:
                skip = expand(rest, acc)
                if skip is None:
                    return None
                return once | skip
            return once
        return {"~" + acc} if acc else None

    got = expand(list(P.parse(pattern, re.IGNORECASE)), "")
    if got is None or any(k in ("=", "~") for k in got):
        return None
    return got


def _case_sensitive_caps(pattern: str) -> str:
    """Inside a case-insensitive pattern, keep ``[A-Z]`` meaning a capital letter."""
    return pattern.replace("[A-Z]", "(?-i:[A-Z])")


def _entry_where(path: Path, kind: str, i: int, raw: Any, shape: str) -> str:
    """Where entry ``i`` of a ``[[kind]]`` array is (``"[[kind]] #n (name)"``), for errors;
    raises :class:`DataFileError` there when the entry is not a table (``shape`` shows one)."""
    name = raw.get("name", "?") if isinstance(raw, dict) else "?"
    where = f"[[{kind}]] #{i + 1} ({name})"
    if not isinstance(raw, dict):
        raise DataFileError(path, where, f"expected a table {shape}")
    return where


def _compile(path: Path, where: str, pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(_case_sensitive_caps(pattern), flags)
    except re.error as exc:
        raise DataFileError(path, where, f"invalid regular expression {pattern!r}: {exc}") from exc


def _one_of(values: Sequence[str]) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        return v in values

    check.__doc__ = f"one of {list(values)}"
    return check


def _str_list(v: Any) -> bool:
    """a list of strings"""
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _goldstein(v: Any) -> bool:
    """a number between -10 and 10"""
    return isinstance(v, int | float) and -10 <= v <= 10


#: Fields every [[trigger]] and [[statement]] rule of the lexicon has.
_RULE_FIELDS: dict[str, Any] = {
    "name": str,
    "category": _one_of(CATEGORIES),
    "mode": str,
    "goldstein": _goldstein,
    "direction": _one_of(DIRECTIONS),
    "priority": int,
    "patterns": _str_list,
}


def _check_rule(
    p: Path, where: str, raw: dict[str, Any], seen: set[str], optional: dict[str, Any]
) -> None:
    """Schema of one [[trigger]] or [[statement]] rule: its fields, a name not used by an
    earlier rule of either kind (added to ``seen``) and at least one pattern."""
    require_fields(p, where, raw, _RULE_FIELDS, optional=optional)
    if raw["name"] in seen:
        raise DataFileError(p, where, f"duplicate trigger name {raw['name']!r}")
    seen.add(raw["name"])
    if not raw["patterns"]:
        raise DataFileError(p, where, "field 'patterns' is empty; give at least one regex")


def _rule(raw: dict[str, Any], **extra: Any) -> Trigger:
    """A [[trigger]] or [[statement]] rule (checked by :func:`_check_rule`) as a Trigger; the
    fields the two kinds differ in come as ``extra``."""
    return Trigger(
        name=raw["name"],
        category=raw["category"],
        mode=raw["mode"],
        goldstein=float(raw["goldstein"]),
        direction=raw["direction"],
        same_side=raw.get("same_side"),
        priority=raw["priority"],
        **extra,
    )


def _plain_rule(
    category: str, goldstein: float = 0.0, direction: str = "neutral", same_side: str | None = None
) -> Trigger:
    """A rule of ``category`` with no mode, patterns or conditions (a ``[[category]]`` entry)."""
    return Trigger(
        name=category,
        category=category,
        mode="",
        goldstein=goldstein,
        direction=direction,
        same_side=same_side,
        priority=0,
        speech=False,
        context=None,
        not_context=None,
    )


@lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load and compile the trigger lexicon (default ``data/events/triggers.toml``).

    Raises :class:`~eventstudy.errors.DataFileError` naming the trigger and field on any schema
    problem (unknown category or direction, invalid regex, duplicate name ...).
    """
    p = Path(path) if path else data_path("events", "triggers.toml")
    doc = load_toml(p)
    require_fields(
        p,
        "top level",
        doc,
        {"trigger": list, "direction_cue": list, "modality": dict},
        optional={"statement": list, "category": list},
    )
    triggers: list[Trigger] = []
    alternatives: list[tuple[int, re.Pattern[str], str | None]] = []
    index: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
    seen: set[str] = set()
    for i, raw in enumerate(doc["trigger"]):
        where = _entry_where(p, "trigger", i, raw, "{name = ..., patterns = [...]}")
        _check_rule(
            p,
            where,
            raw,
            seen,
            optional={
                "same_side": _one_of(DIRECTIONS),
                "speech": bool,
                "context": str,
                "not_context": str,
                "refine": list,
            },
        )
        for pat in raw["patterns"]:
            _compile(p, where, pat)
        for pat in raw["patterns"]:
            compiled_pat = _compile(p, where, f"(?:{pat})(?![A-Za-z])")
            keys = _index_keys(pat)
            if keys is None:
                whole = _compile(p, where, f"(?<![A-Za-z])(?:{pat})(?![A-Za-z])")
                alternatives.append((i, whole, _required_literal(pat)))
            else:
                for key in keys:
                    index.setdefault(key, []).append((i, compiled_pat))
        refine: list[tuple[re.Pattern[str], dict[str, Any]]] = []
        for j, r in enumerate(raw.get("refine", [])):
            rwhere = f"{where} refine #{j + 1}"
            if not isinstance(r, dict):
                raise DataFileError(p, rwhere, "expected a table {after = ..., category = ...}")
            require_fields(
                p,
                rwhere,
                r,
                {"after": str},
                optional={
                    "category": _one_of(CATEGORIES),
                    "mode": str,
                    "goldstein": _goldstein,
                    "direction": _one_of(DIRECTIONS),
                },
            )
            fields = {
                k: (float(v) if k == "goldstein" else v) for k, v in r.items() if k != "after"
            }
            refine.append((_compile(p, rwhere, r["after"]), fields))
        triggers.append(
            _rule(
                raw,
                speech=bool(raw.get("speech", False)),
                context=_compile(p, where, raw["context"]) if "context" in raw else None,
                not_context=_compile(p, where, raw["not_context"])
                if "not_context" in raw
                else None,
                refine=tuple(refine),
            )
        )

    cues: list[_DirectionCue] = []
    for i, raw in enumerate(doc["direction_cue"]):
        where = f"[[direction_cue]] #{i + 1}"
        require_fields(
            p,
            where,
            raw,
            {"categories": _str_list, "pattern": str, "direction": _one_of(DIRECTIONS)},
        )
        bad = [c for c in raw["categories"] if c not in CATEGORIES]
        if bad:
            raise DataFileError(p, where, f"unknown categories {bad}; valid: {list(CATEGORIES)}")
        cues.append(
            _DirectionCue(
                frozenset(raw["categories"]),
                _compile(p, where, raw["pattern"]),
                raw["direction"],
            )
        )

    statements: list[tuple[Trigger, re.Pattern[str]]] = []
    for i, raw in enumerate(doc.get("statement", [])):
        where = _entry_where(p, "statement", i, raw, "{name = ..., category = ...}")
        _check_rule(p, where, raw, seen, optional={"same_side": _one_of(DIRECTIONS)})
        rule = _rule(raw, speech=True, context=None, not_context=None)
        cue = "|".join(f"(?:{pat})" for pat in raw["patterns"])
        statements.append((rule, _compile(p, where, f"(?<![A-Za-z])(?:{cue})(?![A-Za-z])")))

    defaults: dict[str, Trigger] = {}
    for i, raw in enumerate(doc.get("category", [])):
        where = _entry_where(p, "category", i, raw, "{name = ..., goldstein = ...}")
        require_fields(
            p,
            where,
            raw,
            {
                "name": _one_of(CATEGORIES),
                "goldstein": _goldstein,
                "direction": _one_of(DIRECTIONS),
            },
            optional={"same_side": _one_of(DIRECTIONS)},
        )
        if raw["name"] in defaults:
            raise DataFileError(p, where, f"duplicate [[category]] entry for {raw['name']!r}")
        defaults[raw["name"]] = _plain_rule(
            raw["name"], float(raw["goldstein"]), raw["direction"], raw.get("same_side")
        )

    mod = doc["modality"]
    keys = (
        "hypothetical_before",
        "hypothetical_adjacent",
        "infinitive_before",
        "definite_before",
        "hypothetical_clause",
        "hypothetical_after",
        "scheduled_before",
        "scheduled_after",
        "announced_before",
        "negated_before",
    )
    require_fields(
        p,
        "[modality]",
        mod,
        dict.fromkeys(keys, _str_list),
        optional={
            "planned_before": _str_list,
            "planned_categories": _str_list,
            "reported_before": _str_list,
            "reported_categories": _str_list,
            "reported_verb": _str_list,
            "reported_after": _str_list,
            "reported_modal": _str_list,
            "reported_closing": _str_list,
            "planned_modal": _str_list,
            "refusal": _str_list,
            "refusal_categories": _str_list,
        },
    )
    compiled = {k: _compile(p, f"[modality] {k}", "|".join(mod[k])) for k in keys}
    for key in ("planned_categories", "reported_categories", "refusal_categories"):
        for i, name in enumerate(mod.get(key, [])):
            if name not in CATEGORIES:
                raise DataFileError(
                    p,
                    f"[modality] {key}",
                    f"item {i + 1} = {name!r} is not a category (one of {', '.join(CATEGORIES)})",
                )

    def optional_cues(key: str) -> re.Pattern[str] | None:
        return _compile(p, f"[modality] {key}", "|".join(mod[key])) if mod.get(key) else None

    return Lexicon(
        path=str(p),
        triggers=tuple(triggers),
        index={k: tuple(v) for k, v in index.items()},
        always=tuple(alternatives),
        open_lengths=tuple(sorted({len(k) - 1 for k in index if k.startswith("~")})),
        direction_cues=tuple(cues),
        statements=tuple(statements),
        defaults=defaults,
        planned_before=optional_cues("planned_before"),
        planned_categories=frozenset(mod.get("planned_categories", [])),
        reported_before=optional_cues("reported_before"),
        reported_categories=frozenset(mod.get("reported_categories", [])),
        reported_verb=optional_cues("reported_verb"),
        reported_after=optional_cues("reported_after"),
        reported_modal=optional_cues("reported_modal"),
        reported_closing=optional_cues("reported_closing"),
        planned_modal=optional_cues("planned_modal"),
        refusal=optional_cues("refusal"),
        refusal_categories=frozenset(mod.get("refusal_categories", [])),
        **compiled,
    )


# --------------------------------------------------------------------------------------------
# Gazetteer
# --------------------------------------------------------------------------------------------

_GAZ_COLUMNS = ("code", "kind", "side", "names", "valid_from", "valid_to", "description")
_KINDS = ("state", "body", "person", "metonym", "demonym", "group", "title", "place")


@dataclass(frozen=True, slots=True)
class Actor:
    """One gazetteer entry: a surface name valid for an actor code between two dates."""

    code: str
    kind: str
    side: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    not_followed_by: re.Pattern[str] | None
    line: int
    office: str = ""  # the office a person holds or a title names ("GBR prime minister")

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Gazetteer:
    """Compiled gazetteer: one case-sensitive alternation over every surface name."""

    path: str
    entries: dict[str, tuple[Actor, ...]]
    regex: re.Pattern[str]
    sides: dict[str, str]
    bodies: frozenset[str] = frozenset()  # codes of international bodies (kind "body")
    holders: dict[str, tuple[Actor, ...]] = field(default_factory=dict)  # office -> holders
    # towns and sites (kind "place"): never an actor, except the target of an attack named only
    # by its place ("a deadly missile assault on a military base in ... Yavoriv")
    places: re.Pattern[str] | None = None
    place_codes: dict[str, str] = field(default_factory=dict)
    # the last text scanned: its name matches ``(starts, ends, names)``, reused by ``actors_in``
    _scan: list[Any] = field(default_factory=lambda: [None, (), (), ()], compare=False, repr=False)

    def _matches(self, text: str) -> tuple[Any, Any, Any]:
        memo = self._scan
        if memo[0] is not text:
            found = [(m.start(), m.end(), m.group()) for m in self.regex.finditer(text)]
            memo[:] = [
                text,
                [a for a, _, _ in found],
                [b for _, b, _ in found],
                [n for _, _, n in found],
            ]
        return memo[1], memo[2], memo[3]

    def person_at(self, text: str, pos: int) -> str:
        """Who the person named at ``pos`` is: ``"line:N"``, the gazetteer line of the person
        ("Antony Blinken", "Blinken" and "Mr Blinken" are one line), or "" when the name there
        is not a person's (a state, a capital, a bare title)."""
        m = self.regex.match(text, pos)
        if m is None:
            return ""
        for actor in self.entries[m.group()]:
            if actor.kind == "person":
                return f"line:{actor.line}"
        return ""

    def places_in(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        """``(offset, code)`` of every place named in ``text[start:end]``."""
        if self.places is None:
            return []
        codes = self.place_codes
        return [(m.start(), codes[m.group()]) for m in self.places.finditer(text, start, end)]

    def actors_in(self, text: str, start: int, end: int, day: dt.date) -> list[tuple[int, str]]:
        """``(offset, code)`` of every actor named in ``text[start:end]`` and valid on ``day``.

        A bare title ("the prime minister", "the chancellor") is the office holder named last
        before it in ``text`` (the article): of the titles' offices, the one whose holder (valid
        on ``day``) appears nearest before it; a title whose holder is never named is no actor.
        """
        out: list[tuple[int, str]] = []
        starts, ends, names = self._matches(text)
        i = bisect_left(starts, start)
        n = len(starts)
        while i < n and ends[i] <= end:
            a, b = starts[i], ends[i]
            i += 1
            if a < start:
                continue
            cands = self.entries[names[i - 1]]
            if cands[0].kind == "title":
                code = self._title(text, a, b, cands, day)
                if code:
                    out.append((a, code))
                continue
            for actor in cands:
                if not actor.valid_on(day):
                    continue
                if actor.not_followed_by is not None and actor.not_followed_by.match(text, b):
                    continue
                out.append((a, actor.code))
                break
        if i < n and starts[i] < end:
            # a name running past ``end`` (not matched by a search bounded there): rescan
            return self._bounded(text, start, end, day)
        return out

    def _bounded(self, text: str, start: int, end: int, day: dt.date) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for m in self.regex.finditer(text, start, end):
            cands = self.entries[m.group()]
            if cands[0].kind == "title":
                code = self._title(text, m.start(), m.end(), cands, day)
                if code:
                    out.append((m.start(), code))
                continue
            for actor in cands:
                if not actor.valid_on(day):
                    continue
                if actor.not_followed_by is not None and actor.not_followed_by.match(text, m.end()):
                    continue
                out.append((m.start(), actor.code))
                break
        return out

    def _title(
        self, text: str, pos: int, end: int, titles: Sequence[Actor], day: dt.date
    ) -> str | None:
        best, best_pos = None, -1
        for title in titles:
            if not title.valid_on(day):
                continue
            if title.not_followed_by is not None and title.not_followed_by.match(text, end):
                continue
            for person in self.holders.get(title.office, ()):
                if not person.valid_on(day):
                    continue
                at = text.rfind(person.name, 0, pos)
                while at >= 0 and not _whole_word(text, at, at + len(person.name)):
                    at = text.rfind(person.name, 0, at)
                if at > best_pos:
                    best, best_pos = title.code, at
        return best


# an office named with a person: "Sweden's foreign minister, Ann Linde", "defence minister Peter
# Hultqvist", "Ann Linde, the Swedish foreign minister"
_FORMER = re.compile(r"\b(?:former|ex-|late)\b", re.IGNORECASE)
_NAME = r"[A-Z][\w'-]+(?: [A-Z][\w'-]+){1,2}"
_OFFICE_WORDS = (
    "minister", "president", "secretary", "spokesman", "spokeswoman", "spokesperson",
    "ambassador", "chancellor", "envoy", "chief of staff", "commander", "premier", "governor",
    "mayor", "adviser", "advisor", "negotiator",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Span:
    a: int
    b: int

    def start(self) -> int:
        return self.a

    def end(self) -> int:
        return self.b


def _offices(norm: str) -> list[_Span]:
    """Where an office word stands in ``norm`` (``str.find`` per word: a regex alternation
    tried at every word is several times slower)."""
    low = norm.lower()
    out = []
    for w in _OFFICE_WORDS:
        i = low.find(w)
        while i >= 0:
            e = i + len(w)
            if (i == 0 or not low[i - 1].isalpha()) and (e >= len(low) or not low[e].isalpha()):
                out.append(_Span(i, e))
            i = low.find(w, e)
    return out


_NAME_AFTER = re.compile(r",? (?P<name>" + _NAME + r")\b")
_NAME_BEFORE = re.compile(r"(?P<name>" + _NAME + r"), (?:the |a |an )?(?:[\w'-]+ ){0,4}?\Z")


# capitalised words that start a sentence or a phrase, not a name ("In Brussels, ...")
_NOT_A_NAME = frozenset(
    {
        "In",
        "On",
        "At",
        "The",
        "But",
        "And",
        "After",
        "Before",
        "As",
        "When",
        "While",
        "Speaking",
        "Meanwhile",
        "However",
        "Last",
        "This",
        "Earlier",
        "Later",
        "Since",
        "During",
        "From",
        "For",
        "With",
        "Under",
        "Over",
        "His",
        "Her",
        "Their",
        "Its",
    }
)


# a ministry, by its portfolio ("the defence ministry", "the Ministry of Defence") or bare ("the
# ministry"), and the owner just before it ("Russia's", "the Russian")
_MINISTRY = re.compile(
    r"\b(?:(?P<kind>defen[cs]e|foreign|interior|finance|emergencies|emergency situations) "
    r"[Mm]inistry|[Mm]inistry of (?P<kind2>[Dd]efen[cs]e|[Ff]oreign [Aa]ffairs)|ministry)\b"
)
_MINISTRY_OWNER = re.compile(r"(?:[A-Z][\w.-]+(?: [A-Z][\w.-]+)?'s|[Tt]he [A-Z][\w-]+) \Z")
_MINISTRY_BARE = re.compile(r"\b[Tt]he \Z")


def _ministries(gaz: Gazetteer, norm: str, day: dt.date) -> list[tuple[int, str]]:
    """Ministries the article names without their state ("the defence ministry said ...",
    "the ministry released footage ..."), each coded as the state of the last ministry of that
    portfolio named with its state before it ("Russia's defence ministry"), else of the last
    ministry named with its state."""
    if "inistry" not in norm:
        return []  # (most articles: the scan costs 1% of the extractor's time)
    owned: list[tuple[str, str]] = []  # (portfolio, code) in text order
    out: list[tuple[int, str]] = []
    for m in _MINISTRY.finditer(norm):
        kind = (m.group("kind") or m.group("kind2") or "").lower()[:5]
        front = _MINISTRY_OWNER.search(norm, max(0, m.start() - 40), m.start())
        if front is not None:
            owner = gaz.actors_in(norm, front.start(), m.start(), day)
            if owner:
                owned.append((kind, owner[-1][1]))
            continue
        if owned and _MINISTRY_BARE.search(norm, max(0, m.start() - 4), m.start()):
            same = [c for k, c in owned if k == kind]
            out.append((m.start(), same[-1] if same else owned[-1][1]))
    return out


class _ArticleActors:
    """The gazetteer seen from one article: also the people the article introduces with their
    office ("Sweden's foreign minister, Ann Linde"), named later by full name or surname alone
    ("Linde said ..."), coded as the state or body of their office, and ministries named without
    their state after one named with it (:func:`_ministries`)."""

    def __init__(self, gaz: Gazetteer, norm: str, day: dt.date) -> None:
        self.gaz = gaz
        self.regex = gaz.regex
        self.bodies = gaz.bodies
        self.sides = gaz.sides
        self.entries = gaz.entries
        self.places_in = gaz.places_in
        # the normalised text it was built from: the learned pass reads this very string, so
        # the gazetteer's scan of it (``Gazetteer._matches``) is done once for both passes
        self.norm = norm
        people: dict[str, str] = {}
        self.full_names: dict[str, str] = {}  # a learned surname -> the full name
        for m in _offices(norm):
            # "Sweden's foreign minister, Ann Linde": the office's owner just before it
            after = _NAME_AFTER.match(norm, m.end())
            if after is not None and not _FORMER.search(norm, max(0, m.start() - 30), m.start()):
                owner = gaz.actors_in(norm, max(0, m.start() - 40), m.start(), day)
                self._learn(people, after.group("name"), owner[-1][1] if owner else None)
            # "Ann Linde, the Swedish foreign minister": the owner inside the office phrase
            before = _NAME_BEFORE.search(norm, max(0, m.start() - 80), m.start())
            if before is not None and not _FORMER.search(norm, before.end("name"), m.start()):
                owner = gaz.actors_in(norm, before.end("name"), m.end(), day)
                self._learn(people, before.group("name"), owner[0][1] if owner else None)
        self.people = people
        self.ministries = _ministries(gaz, norm, day)
        self.people_re = (
            re.compile(
                r"\b(?:" + "|".join(map(re.escape, sorted(people, key=len, reverse=True))) + r")\b"
            )
            if people
            else None
        )

    def _learn(self, people: dict[str, str], name: str, code: str | None) -> None:
        if code is None or self.regex.search(name) or name.split(" ", 1)[0] in _NOT_A_NAME:
            return  # no owner, a name the gazetteer knows already, or no name at all
        if self.gaz.places is not None and self.gaz.places.search(name):
            return
        people.setdefault(name, code)
        surname = name.rsplit(" ", 1)[-1]
        if len(surname) > 2:
            people.setdefault(surname, code)
            self.full_names.setdefault(surname, name)

    def actors_in(self, text: str, start: int, end: int, day: dt.date) -> list[tuple[int, str]]:
        out = self.gaz.actors_in(text, start, end, day)
        extra = [(pos, code) for pos, code in self.ministries if start <= pos < end]
        if self.people_re is not None:
            extra += [
                (m.start(), self.people[m.group()])
                for m in self.people_re.finditer(text, start, end)
            ]
        return sorted(out + extra) if extra else out

    def is_person(self, text: str, pos: int) -> bool:
        if self.people_re is not None and self.people_re.match(text, pos):
            return True
        return _is_person(self.gaz, text, pos)

    def person_at(self, text: str, pos: int) -> str:
        """Who the person named at ``pos`` is (:meth:`Gazetteer.person_at`), also for the people
        this article introduces ("Ann Linde" and "Linde" are one person)."""
        if self.people_re is not None:
            m = self.people_re.match(text, pos)
            if m is not None:
                return "article:" + self.full_names.get(m.group(), m.group())
        return self.gaz.person_at(text, pos)


# the last article's actors: the rules and the learned pass read the same article in turn
_LAST_ARTICLE_ACTORS: list[tuple[Gazetteer, str, dt.date, _ArticleActors]] = []


def article_actors(gaz: Gazetteer, norm: str, day: dt.date) -> _ArticleActors:
    """The gazetteer seen from one article (:class:`_ArticleActors`), built once when the same
    article (normalised text ``norm``, publication ``day``) is asked for twice in a row."""
    if _LAST_ARTICLE_ACTORS:
        g, n, d, actors = _LAST_ARTICLE_ACTORS[0]
        if g is gaz and d == day and n == norm:
            return actors
    actors = _ArticleActors(gaz, norm, day)
    _LAST_ARTICLE_ACTORS[:] = [(gaz, norm, day, actors)]
    return actors


def _is_person(gaz: Gazetteer, text: str, pos: int) -> bool:
    """Whether the actor name at ``pos`` names a person or an office ("Zelenskiy", "the
    chancellor"), not a state, capital or body."""
    m = gaz.regex.match(text, pos)
    return m is not None and gaz.entries[m.group()][0].kind in ("person", "title")


def _antecedent(
    norm: str,
    gaz: Gazetteer | _ArticleActors,
    p0: int,
    s0: int,
    day: dt.date,
    quotes: Sequence[tuple[int, int]],
) -> tuple[int, str] | None:
    """The person a "he"/"she" of a sentence at ``s0`` refers to: the nearest earlier sentence
    of its paragraph (from ``p0``, at most :data:`_ANTECEDENT_SENTENCES` back) that names people
    (outside quotes) names its first one, if they all act for one state or body; None when there
    is none or they do not ("Putin 'cannot remain in power', Biden said. He warned ...": which
    one is not for a rule to guess)."""
    if s0 <= p0:
        return None
    for a, b in reversed(sentence_spans(norm, p0, s0)[-_ANTECEDENT_SENTENCES:]):
        people = [
            (pos, code)
            for pos, code in gaz.actors_in(norm, a, b, day)
            if gaz.is_person(norm, pos) and not _in_spans(pos, quotes)
        ]
        if people:
            return people[0] if len({code for _, code in people}) == 1 else None
    return None


# a subject that names the two parties told just before: "The two presidents spoke again by
# telephone on 30 December", "on Saturday the two men sat side by side"
_TWO_SUBJECT = re.compile(
    r"\bthe\s+two\s+(?:presidents|leaders|men|women|sides|ministers|foreign\s+ministers|"
    r"defen[cs]e\s+ministers|governments|countries|heads\s+of\s+state|chancellors)\b"
    r"(?:\s+[\w-]+){0,2}\s*\Z",
    re.IGNORECASE,
)


def _two_antecedents(
    norm: str,
    gaz: Gazetteer | _ArticleActors,
    p0: int,
    end: int,
    day: dt.date,
    quotes: Sequence[tuple[int, int]],
) -> list[tuple[int, str]]:
    """The two parties "the two presidents" at ``end`` refers to: the last two distinct actors
    named before it in its paragraph (from ``p0``, outside quotes), or none when fewer."""
    found = [f for f in gaz.actors_in(norm, p0, end, day) if not _in_spans(f[0], quotes)]
    last: dict[str, tuple[int, str]] = {}
    for f in found:
        last.pop(f[1], None)
        last[f[1]] = f
    pair = list(last.values())[-2:]
    return pair if len(pair) == 2 else []


# between a sentence's opening subject and its act: "Johnson (also) promised ..."
_SUBJECT_GAP = re.compile(r"\s+(?:also\s+|then\s+|later\s+|again\s+)?")


def _named_subject(
    norm: str,
    gaz: Gazetteer | _ArticleActors,
    s0: int,
    start: int,
    carry: tuple[Any, frozenset[str]],
) -> bool:
    """Whether the sentence at ``s0`` opens with an actor of the sentence before (``carry``)
    as the subject of the act at ``start``: the name, then the act, at most an adverb between."""
    first = gaz.actors_in(norm, s0, start, carry[0].date)
    if not first or first[0][1] not in carry[1] or norm[s0 : first[0][0]].strip(" \"'\u201c"):
        return False
    name = gaz.regex.match(norm, first[0][0])
    return name is not None and _SUBJECT_GAP.fullmatch(norm, name.end(), start) is not None


def _subject_person(
    norm: str,
    gaz: Gazetteer | _ArticleActors,
    found: Sequence[tuple[int, str]],
    subject: tuple[int, str] | None,
    act: int,
) -> str:
    """Who the subject of an act is when a person names it (:meth:`Gazetteer.person_at`): the
    subject itself or a person of its code named just after it and before the act ("U.S.
    President Joe Biden", "Russia's foreign minister, Sergei Lavrov"), else ""."""
    if subject is None:
        return ""
    for pos, code in sorted(found):
        if subject[0] <= pos < act and pos - subject[0] <= 60 and code == subject[1]:
            who = gaz.person_at(norm, pos)
            if who:
                return who
    return ""


def _whole_word(text: str, a: int, b: int) -> bool:
    return (a == 0 or not text[a - 1].isalnum()) and (b >= len(text) or not text[b].isalnum())


def _parse_day(path: Path, lineno: int, field: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DataFileError(
            path, f"line {lineno}", f"field {field!r} = {value!r} is not an ISO date YYYY-MM-DD"
        ) from exc


@lru_cache(maxsize=8)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """Load the actor gazetteer (default ``data/gazetteer.csv``), checking every row."""
    p = Path(path) if path else data_path("gazetteer.csv")
    entries: dict[str, list[Actor]] = {}
    sides: dict[str, str] = {}
    holders: dict[str, list[Actor]] = {}
    place_codes: dict[str, str] = {}
    code_re = re.compile(r"^[A-Z][A-Z0-9]{1,4}$")
    for lineno, row in read_csv_rows(p, _GAZ_COLUMNS, ("not_followed_by", "office")):
        where = f"line {lineno}"
        if not code_re.match(row["code"]):
            raise DataFileError(
                p, where, f"field 'code' = {row['code']!r} is not an actor code like RUS or NATO"
            )
        if row["kind"] not in _KINDS:
            raise DataFileError(
                p, where, f"field 'kind' = {row['kind']!r} is not one of {list(_KINDS)}"
            )
        if row["side"] not in ("", "RUS", "WEST"):
            raise DataFileError(
                p, where, f"field 'side' = {row['side']!r} is not one of '', 'RUS', 'WEST'"
            )
        names = [n.strip() for n in row["names"].split("|") if n.strip()]
        if not names:
            raise DataFileError(p, where, "field 'names' is empty")
        lo = _parse_day(p, lineno, "valid_from", row["valid_from"])
        hi = _parse_day(p, lineno, "valid_to", row["valid_to"])
        if lo and hi and hi < lo:
            raise DataFileError(p, where, f"valid_to {hi} is before valid_from {lo}")
        nfb_text = row.get("not_followed_by", "")
        nfb = _compile(p, f"{where} not_followed_by", nfb_text, 0) if nfb_text else None
        office = row.get("office", "").strip()
        if row["kind"] == "title" and not office:
            raise DataFileError(
                p, where, "a title needs field 'office' naming the office its holders share"
            )
        if row["side"]:
            sides.setdefault(row["code"], row["side"])
        if row["kind"] == "place":
            for name in names:
                place_codes.setdefault(name, row["code"])
            continue
        if row["kind"] == "title":
            # "The prime minister said ..." starts a sentence
            names += [f"The {n[4:]}" for n in names if n.startswith("the ")]
            names = list(dict.fromkeys(names))
        for name in names:
            actor = Actor(row["code"], row["kind"], row["side"], name, lo, hi, nfb, lineno, office)
            known = entries.setdefault(name, [])
            if known and (known[0].kind == "title") != (row["kind"] == "title"):
                raise DataFileError(
                    p, where, f"name {name!r} is both a title and another kind of actor"
                )
            known.append(actor)
            if office and row["kind"] != "title":
                holders.setdefault(office, []).append(actor)
    if not entries:
        raise DataFileError(p, "file", "no gazetteer entries")
    # trie-shaped alternations (the longest name that ends a word wins, as with the names sorted
    # longest first, but ``re`` decides from the first letters instead of trying every name)
    regex = re.compile(rf"(?<![\w.])(?:{_trie(list(entries))})(?![\w])")
    places = None
    if place_codes:
        places = re.compile(rf"(?<![\w.])(?:{_trie(list(place_codes))})(?![\w])")
    return Gazetteer(
        path=str(p),
        entries={k: tuple(v) for k, v in entries.items()},
        regex=regex,
        sides=sides,
        bodies=frozenset(a.code for acts in entries.values() for a in acts if a.kind == "body"),
        holders={k: tuple(v) for k, v in holders.items()},
        places=places,
        place_codes=place_codes,
    )


# --------------------------------------------------------------------------------------------
# Coding an article
# --------------------------------------------------------------------------------------------


class _ArticleLike(Protocol):
    id: str
    published: dt.date
    text: str
    paragraphs: tuple[str, ...]


class _TimexLike(Protocol):
    start: int
    end: int
    text: str
    date: dt.date
    date_end: dt.date
    precision: str
    tense: str
    dates_event_after: bool


@dataclass(frozen=True, slots=True)
class Mention:
    """One dated report of an event in one sentence of one article (before merging)."""

    article_id: str
    published: dt.date
    start: int  # sentence span in article.text
    end: int
    trigger_start: int
    trigger_end: int
    trigger: str
    category: str
    mode: str
    goldstein: float
    direction: str
    modality: str
    date: dt.date
    date_end: dt.date
    precision: str
    actors: tuple[str, ...]
    sentence: str
    timex: str
    confidence: float
    # the actor named first before the trigger (its subject, usually the one who acts), or ""
    agent: str = ""
    # who that subject is when it is a person (Gazetteer.person_at), or "": two calls of one day
    # told in one article, Biden's and Blinken's, are two events though both agents are USA
    person: str = ""

    @property
    def evidence(self) -> str:
        return f"{self.article_id}:{self.start}-{self.end}"


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    trig: Trigger
    clause: tuple[int, int]
    timex: Any = None
    owns: bool = False
    dropped: bool = False
    quoted: str = ""
    # a statement told before its closing attribution: where the attribution's words begin
    said_from: int = -1


MAX_AGE_DAYS = 365
MAX_DATE_DISTANCE = 200  # characters between a trigger and the date it owns
SCARE_QUOTE_WORDS = 3  # a quotation of at most this many words is no quoted speech


def paragraph_timexes(
    find_timexes: Callable[..., Sequence[Any]],
    par: str,
    published: dt.date,
    previous: str | None,
) -> Sequence[Any]:
    """The temporal expressions of the paragraph ``par``, resolved by ``find_timexes``.

    An anchored expression in its first sentence with nothing to anchor to in the paragraph
    ("On the same day, ...", "A day earlier, ..." opening a paragraph) continues the story of the
    ``previous`` paragraph: it is read against that paragraph's last usable day-precision date
    (``find_timexes(..., before=...)``), not the publication date. Only such paragraphs cost a
    second resolution.
    """
    got = find_timexes(par, published)
    unanchored = [
        t
        for t in got
        if getattr(t, "kind", "") == "relative"
        and getattr(t, "anchor", "") == "published"
        and not t.text.lower().endswith("ago")  # "three days ago" counts from publication
    ]
    spans = sentence_spans(par) if previous and unanchored else []
    if spans and any(t.start < spans[0][1] for t in unanchored):  # in the first sentence
        # a past date: what the story goes on from ("A day earlier, ..."), not a plan it
        # mentions ("... had been pencilled in for Monday")
        days = [
            t
            for t in find_timexes(previous, published)
            if t.precision == "day"
            and t.date <= published
            and getattr(t, "tense", "") != "future"
            and _usable(t, published, previous)
        ]
        if days:
            got = find_timexes(par, published, before=days[-1])
    return got


def _usable(t: _TimexLike, published: dt.date, text: str | None = None) -> bool:
    """A date that can carry an event of the news: dated to a day, week or month (or an
    approximate span of at most ten days, "this weekend", "late February", or a stated range of
    days of at most 31, "from Jan. 24 to Feb. 4"), and within a year of
    publication (older dates are history: "in March 2007", "a May 1998 interview"); with the
    ``text`` the timex was found in, not the date of a cited article (:func:`_cited`)."""
    if abs((t.date - published).days) > MAX_AGE_DAYS and (
        abs((t.date_end - published).days) > MAX_AGE_DAYS
    ):
        return False
    if text is not None and _cited(text, t):
        return False
    if t.precision in _DATED:
        return True
    if t.precision != "approximate":
        return False
    span = (t.date_end - t.date).days
    # a stated range of days ("from Jan. 24 to Feb. 4", "Feb. 10-20") may run a month
    return span <= 10 or (getattr(t, "kind", "") == "explicit" and span <= 31)


def _cited(text: str, t: _TimexLike) -> bool:
    """Whether the timex is the date of a cited piece, the letters-page convention "(Title of
    the article, 20 February)" / "(Report, 2 March)": it ends a parenthesis that opens before
    it in ``text`` and follows a comma there."""
    if not text[t.end : t.end + 3].lstrip().startswith(")"):
        return False
    opening = text.rfind("(", 0, t.start)
    if opening < 0 or text.find(")", opening, t.start) >= 0:
        return False
    return text[opening + 1 : t.start].rstrip().endswith(",")


def _last_words(text: str, n: int) -> str:
    """The end of ``text`` from its ``n``-th last word on (all of it when shorter), trailing
    spaces kept: a cue that must end just before the trigger ("plans to ") sees the same text
    in a short clause and a long one."""
    return text[_nth_last_word(text, n) :]


def _nth_last_word(text: str, n: int) -> int:
    """Offset of the ``n``-th last word of ``text``, 0 when it has fewer words."""
    parts = text.rsplit(None, n)
    if len(parts) <= n:
        return 0
    rest = text[len(parts[0]) :]  # the separator before the n-th last word, then the words
    return len(text) - len(rest.lstrip())


def _in_spans(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _modality(norm: str, hit: _Hit, lex: Lexicon, published: dt.date | None = None) -> str | None:
    """Modality of one trigger, or ``None`` when it is negated (not an event).

    Order: a refusal for the ``refusal_categories`` -> occurred; negation; a conditional
    clause ("if Russia attacks") -> hypothetical; an announcement cue ("announced", "said it
    would") -> announced; a modal or epistemic cue ("could", "any", "possible") ->
    hypothetical; a future date or a schedule cue ("due to", "will") -> scheduled, except that
    a past-dated statement of a future act is announced; else occurred.
    """
    c0, c1 = hit.clause
    c0 = max(c0, hit.said_from)  # the words of a statement are not its own modality
    before_all = norm[c0 : hit.start]
    after = norm[hit.end : c1]
    if (
        hit.trig.category in lex.refusal_categories
        and lex.refusal is not None
        and lex.refusal.search(norm[c0 : min(c1, hit.end + _REFUSAL_AFTER)]) is not None
        and not lex.hypothetical_clause.search(before_all)
    ):
        return "occurred"  # "said the alliance would not compromise on ...": the refusal
    if lex.negated_before.search(_last_words(before_all, 4)):
        return None
    if lex.hypothetical_clause.search(before_all):
        return "hypothetical"
    if not hit.trig.speech and lex.hypothetical_after.search(after):
        # a condition after a speech act is its content ("warned ... if Russia attacks")
        if _reported_decision(before_all, after, hit, lex):
            return "announced"  # "the Pentagon said that 3,000 troops would be sent"
        return "hypothetical"
    near = _last_words(before_all, 8)
    if lex.announced_before.search(near):
        return "announced"
    if (
        hit.trig.category in lex.planned_categories
        and lex.planned_before is not None
        and lex.planned_before.search(near)
    ):
        return "scheduled"  # "plans to travel to Kyiv next week"
    if hit.trig.category in lex.reported_categories and (
        (lex.reported_before is not None and lex.reported_before.search(before_all))
        or (
            lex.reported_modal is not None
            and lex.reported_closing is not None
            and lex.reported_modal.search(near)
            and lex.reported_closing.match(norm, hit.end)
        )
    ):
        # "Britain said the same day that 350 Royal Marines would deploy", "EU ministers agreed
        # to freeze the assets of Putin and Lavrov"
        return "announced"
    if (
        hit.trig.category in lex.planned_categories
        and lex.planned_modal is not None
        and _ahead_day(hit, published)
        and lex.planned_modal.search(f"{near}{_lead_word(norm, hit.start, hit.end)} ")
    ):
        # "The White House said Biden and Putin would speak by phone on Saturday": a meeting
        # said to come on a day ahead is on the calendar (a condition was read above)
        return "scheduled"
    # (a modal before a comma and a new subject is another clause's: "after Irish fishermen
    # said they would sail into the area, Moscow agreed on 29 January to move the drills")
    comma = _SUBJECT_AFTER_COMMA.search(before_all)
    modal_scope = before_all[comma.start() + 1 :] if comma is not None else before_all
    if lex.hypothetical_before.search(_last_words(modal_scope, 10)) or (
        lex.hypothetical_adjacent.search(_last_words(before_all, 6) + " ")
    ):
        return "hypothetical"
    tense = hit.timex[2].tense if hit.timex is not None else "past"
    if lex.scheduled_before.search(near) or lex.scheduled_after.search(after):
        return "scheduled" if tense != "past" or not hit.owns else "announced"
    if tense == "future" and not _past_date(hit, published):
        return "scheduled"
    if not hit.trig.speech and lex.infinitive_before.search(before_all):
        return "hypothetical"
    return "occurred"


# the last comma before a trigger that a capitalised subject follows ("..., Moscow agreed")
_SUBJECT_AFTER_COMMA = re.compile(r",\s+(?-i:[A-Z][\w\x27.-]*)(?:\s+[\w\x27.-]+){0,3}\s*\Z")
# how far after a trigger a refusal cue may end ("rejected ... and would never accept")
_REFUSAL_AFTER = 30


def _ahead_day(hit: _Hit, published: dt.date | None) -> bool:
    """Whether a trigger's date is a day after publication (or publication day itself, told in
    the future): what someone said would happen then is on the calendar."""
    if published is None or hit.timex is None:
        return False
    t = hit.timex[2]
    return t.precision == "day" and (
        t.date > published or (t.date == published and t.tense == "future")
    )


def _past_date(hit: _Hit, published: dt.date | None) -> bool:
    """Whether a trigger's date is an explicit day before publication: a timeline's present
    ("FEB. 7 - Macron holds talks with Putin") tells what happened, not a plan."""
    if published is None or hit.timex is None:
        return False
    t = hit.timex[2]
    return t.kind == "explicit" and t.date_end < published


def _reported_decision(before: str, after: str, hit: _Hit, lex: Lexicon) -> bool:
    """Whether a trigger noun followed by "would" tells a decision its speaker announced ("the
    Pentagon said on Wednesday that about 3,000 additional troops would be sent"): for the
    ``reported_categories``, "would"/"will" just after it (``reported_after``) and a report
    verb before it in the clause (``reported_verb``), with no condition after it."""
    return (
        hit.trig.category in lex.reported_categories
        and lex.reported_after is not None
        and lex.reported_verb is not None
        and lex.reported_after.search(after) is not None
        and lex.reported_verb.search(before) is not None
        and not lex.hypothetical_clause.search(after)
    )


def _direction(
    trig: Trigger, clause: str, actors: Sequence[str], lex: Lexicon, sides: dict[str, str]
) -> str:
    for cue in lex.direction_cues:
        if trig.category in cue.categories and cue.pattern.search(clause):
            return cue.direction
    if trig.same_side is not None and actors:
        camp = {sides.get(a, "") for a in actors}
        if len(camp) == 1 and "" not in camp:
            return trig.same_side
    return trig.direction


def code_article(
    article: _ArticleLike,
    *,
    find_timexes: Callable[..., Sequence[_TimexLike]],
    lexicon: Lexicon | None = None,
    gazetteer: Gazetteer | None = None,
    include_hypothetical: bool = False,
    paragraph_hits: dict[tuple[int, int], list[tuple[int, int, Trigger]]] | None = None,
) -> list[Mention]:
    """Code one article into dated event mentions (see the module docstring for the filters).

    ``find_timexes(paragraph, published, before=None)`` is the date resolver
    (:func:`eventstudy.extract.timex.find_timexes`), called once per paragraph (twice for one
    that opens with an anchored expression, see :func:`paragraph_timexes`). A
    ``paragraph_hits`` dict receives each coded paragraph's trigger matches, keyed by its
    article span (for the learned pass, which reads the same paragraphs).
    """
    lex = lexicon or load_lexicon()
    text = article.text
    norm = normalize(text)
    gaz: Any = article_actors(gazetteer or load_gazetteer(), norm, article.published)
    # quoted speech; a scare quote of a few words ('a "first tranche" of sanctions', 'the
    # "peacekeepers"') is the writer's own report, not someone's claim
    quotes = [q for q in quote_spans(text) if len(text[q[0] : q[1]].split()) > SCARE_QUOTE_WORDS]
    out: list[Mention] = []
    # undated sentences that refer to "the summit": dated by the article's dated summit
    deferred: list[tuple[int, int, int, list[Any], list[Any], re.Match[str]]] = []
    pos = 0
    headings = _Headings(article.published, find_timexes)  # a timeline's "13 January"
    previous: str | None = None  # the paragraph before: what "On the same day" may go on from
    # the day of the last sentence of the paragraph before, for a paragraph told as what came
    # next ("Hours earlier, the websites ... had been knocked offline")
    last_carry: tuple[Any, frozenset[str]] | None = None
    for par in article.paragraphs:
        p0 = text.find(par, pos) if par else -1
        if p0 < 0:
            continue
        p1 = p0 + len(par)
        pos = p1
        previous, par_before = par, previous
        is_heading, under = headings.step(par, p0)
        if is_heading:
            last_carry = None
            continue

        hits_all = lex.find(norm, p0, p1)
        if paragraph_hits is not None:
            paragraph_hits[p0, p1] = hits_all
        # a dated report verb can carry a statement without any trigger (see _statement)
        reported = (
            bool(lex.statements)
            and any(w in par for w in _REPORT_WORDS)
            and _has_day_word(norm, p0, p1)
        )
        if not hits_all:
            last_carry = None
            if reported:
                out.extend(
                    _statements_only(article, norm, p0, p1, quotes, lex, gaz, include_hypothetical)
                )
            continue
        timexes = [
            t
            for t in paragraph_timexes(find_timexes, par, article.published, par_before)
            if _usable(t, article.published, par)
        ]
        sents = sentence_spans(norm, p0, p1)
        carry = last_carry if sents and _THEN.match(norm, *sents[0]) else None
        # a timeline's entry ("FEB. 7 - Macron holds talks with Putin in the Kremlin. In
        # Washington, Biden hosts Scholz."): its label dates the entry's undated sentences
        entry = _entry_label(norm, p0, timexes)
        flashback, before_last = False, carry
        frame: tuple[Any, frozenset[str]] | None = None  # see _is_frame
        for k, (s0, s1) in enumerate(sents):
            own = [t for t in timexes if s0 <= t.start + p0 < s1]
            own_day = any(t.precision == "day" for t in own)
            hits = [h for h in hits_all if s0 <= h[0] < s1]
            statement = (
                reported
                and not hits
                # its own day, the day of the sentence before or of its heading (see
                # _code_sentence)
                and (
                    own_day
                    or (
                        not own
                        and (
                            carry is not None or (entry is not None and k > 0) or under is not None
                        )
                    )
                )
                and _REPORT_VERB.search(norm, s0, s1) is not None
            )
            if (hits or statement) and (
                _CAPTION_AFTER.match(norm, s1) or _FURNITURE.match(norm, s0)
            ):
                hits, statement = [], False  # a photo caption or an editorial note, not a report
            got = []
            # a frame dates this sentence unless it tells history ("In 2018 Britain expelled ...")
            framing = frame is not None and not _YEAR.search(norm, s0, s1)
            if hits or statement:
                got = _code_sentence(
                    article,
                    norm,
                    s0,
                    s1,
                    p0,
                    hits,
                    timexes,
                    quotes,
                    lex,
                    gaz,
                    include_hypothetical,
                    (frame if framing else carry) if not own_day else None,
                    None if own else _ahead(norm, sents, k, p0, timexes, gaz, quotes),
                    heading=entry if entry is not None and k > 0 else under,
                    framed=framing and not own,
                )
                out.extend(got)
                if not got and not own:
                    ref = _SUMMIT_REF.search(norm, s0, s1) or _PLACE_REF.search(norm, s0, s1)
                    if ref is not None:
                        deferred.append((s0, s1, p0, hits, timexes, ref))
            # the date of a sentence carries to the next one only (a speaker's statement told
            # over two sentences: "..., Stoltenberg told reporters on Tuesday. 'So far ...'")
            # (not "one month since", which dates an earlier event, not the sentence)
            days = [t for t in own if t.precision == "day" and not t.text.endswith("since")]
            # (a look back closing the paragraph, "... recorded two days earlier.", is no day
            # for what comes next: that goes on from the sentence before it)
            flashback = (
                bool(days) and days[-1].kind == "relative" and days[-1].text.endswith("earlier")
            )
            before_last = carry
            carry = (
                (days[-1], frozenset(c for _, c in gaz.actors_in(norm, s0, s1, days[-1].date)))
                if days
                else None
            )
            if own:
                # a day told on its own ("The West's response came on Tuesday."): the frame of
                # the undated acts that follow in the paragraph
                # (or whose act has no actor: "Western governments widened their sanctions on
                # Thursday. Joe Biden announced measures against ...")
                frame = (
                    carry
                    if len(days) == 1
                    and not got
                    and _is_frame(norm, s0, s1, any(_past_hit(norm, h) for h in hits))
                    else None
                )
        last_carry = before_last if flashback else carry
    if deferred:
        out.extend(
            _summit_context(article, norm, out, deferred, quotes, lex, gaz, include_hypothetical)
        )
    return out


# a sentence that only names the day of what follows: "The West's response came on Tuesday.",
# "Tuesday brought more bad news.", "The reaction followed on Monday."
_FRAME_WORDS = 12
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # "In 2018 Britain expelled ...": history, no frame's
_FRAME = re.compile(
    r"\b(?:response|reaction|reply|answer|retaliation|news|day|rest|fallout|backlash)s?\b"
    r"[^.;:]*\b(?:came|followed|arrived|began|started|was swift)\b"
    r"|\b(?:brought|saw|produced|responded|reacted|retaliated|hit back|struck back)\b",
    re.IGNORECASE,
)


def _lead_word(norm: str, start: int, end: int) -> str:
    """The first word of a trigger match ``norm[start:end]``, in lower case."""
    return norm[start:end].split(maxsplit=1)[0].lower()


def _past_hit(norm: str, hit: tuple[int, int, Any]) -> bool:
    """Whether a trigger match opens with a verb in the simple past ("widened their sanctions"),
    not a headline's present ("expel 200 diplomats")."""
    return _opens_past(norm, hit[0])


def _opens_past(norm: str, start: int) -> bool:
    """Whether the trigger match at ``start`` opens with a simple past, or with its subject
    and then one ("Hackers defaced ..."); not a hyphenated word ("Russian-backed")."""
    words = norm[start : start + 40].split(maxsplit=2)[:2]
    return any(w.endswith("ed") and "-" not in w for w in words)


def _is_frame(norm: str, s0: int, s1: int, acts: bool) -> bool:
    """Whether the sentence ``norm[s0:s1]`` (that coded no event) is a frame: short, and only
    telling that something came on a day (:data:`_FRAME`), or telling ``acts`` nobody it names
    did; its day dates the undated acts told after it."""
    return len(norm[s0:s1].split()) <= _FRAME_WORDS and (
        acts or _FRAME.search(norm, s0, s1) is not None
    )


def _entry_label(norm: str, p0: int, timexes: Sequence[_TimexLike]) -> _TimexLike | None:
    """The day a paragraph opens with as a label ("FEB. 7 - ...", "Feb. 10 -- ...",
    "THURSDAY: ...", "MONDAY. ...", "- Wednesday 12 January, Brussels. ..."), else None."""
    for t in timexes:
        if t.start > 3:  # paragraph offsets
            break
        if (
            t.precision == "day"
            and not norm[p0 : t.start + p0].strip(LABEL_BULLETS)
            and (
                LABEL_SEPARATOR.match(norm, t.end + p0) is not None
                or LABEL_CLOSE.match(norm, t.end + p0) is not None
            )
        ):
            return t
    return None


def _statements_only(
    article: _ArticleLike,
    norm: str,
    p0: int,
    p1: int,
    quotes: Sequence[tuple[int, int]],
    lex: Lexicon,
    gaz: Gazetteer | _ArticleActors,
    include_hypothetical: bool,
) -> list[Mention]:
    """Dated statements of a paragraph without any trigger (see :func:`_statement`): only its
    sentences with a report verb and a day word have their dates resolved (cheaper than the
    whole paragraph)."""
    from eventstudy.extract.timex import find_timexes

    out: list[Mention] = []
    for s0, s1 in sentence_spans(norm, p0, p1):
        if (
            _REPORT_VERB.search(norm, s0, s1) is None
            or not _has_day_word(norm, s0, s1)
            or _CAPTION_AFTER.match(norm, s1)
            or _FURNITURE.match(norm, s0)
        ):
            continue
        timexes = [
            t
            for t in find_timexes(article.text[s0:s1], article.published)
            if t.precision == "day" and _usable(t, article.published, article.text[s0:s1])
        ]
        if timexes:
            out.extend(
                _code_sentence(
                    article, norm, s0, s1, s0, [], timexes, quotes, lex, gaz, include_hypothetical
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class _ContextDate:
    """A date an undated sentence takes from the article ("at the summit" -> its day)."""

    text: str
    date: dt.date
    date_end: dt.date
    precision: str = "day"
    tense: str = "past"
    start: int = -1
    end: int = -1
    dates_event_after: bool = False


def _summit_context(
    article: _ArticleLike,
    norm: str,
    found: Sequence[Mention],
    deferred: Sequence[tuple[int, int, int, list[Any], list[Any], re.Match[str]]],
    quotes: Sequence[tuple[int, int]],
    lex: Lexicon,
    gaz: Gazetteer | _ArticleActors,
    include_hypothetical: bool,
) -> list[Mention]:
    """Date acts told "at the summit", "in a final summit statement", "on the eve of the
    summit" by the one day the article gives its summit: a consult mention whose trigger says
    "summit" or is closely followed by it ("met at an emergency summit"), of the body the
    reference names if any ("at the Nato summit"). Likewise an occasion named by its place
    ("after the Geneva session", "at the Brussels talks"): the one day of the article's
    consult mentions whose sentence names that place. Nothing when the article dates no such
    occasion or gives it several days."""
    summits = [
        m
        for m in found
        if m.category == "consult"
        and m.precision == "day"
        and _SUMMIT_WORD.search(norm, m.trigger_start, min(m.end, m.trigger_end + 60))
    ]
    out: list[Mention] = []
    for s0, s1, p0, hits, timexes, ref in deferred:
        place = ref.groupdict().get("place")
        if place:
            where = re.compile(rf"\b{re.escape(place)}\b")
            days = {
                m.date
                for m in found
                if m.category == "consult"
                and m.precision == "day"
                and m.start < s0
                and where.search(m.sentence)
            }
        else:
            # "at the Nato summit" is not the article's G7 summit
            named = (
                {
                    c
                    for _, c in gaz.actors_in(norm, ref.start(), ref.end(), summits[0].date)
                    if c in gaz.bodies
                }
                if summits
                else set()
            )
            days = {m.date for m in summits if named <= set(m.actors)}
        if len(days) != 1:
            continue
        day = days.pop()
        eve = ref.group("eve") is not None
        d = day - dt.timedelta(days=1) if eve else day
        ctx = _ContextDate(ref.group().strip(), d, d)
        out.extend(
            _code_sentence(
                article,
                norm,
                s0,
                s1,
                p0,
                hits,
                timexes,
                quotes,
                lex,
                gaz,
                include_hypothetical,
                context=(ctx, ref.start()),
            )
        )
    return out


def _ahead(
    norm: str,
    sents: Sequence[tuple[int, int]],
    k: int,
    p0: int,
    timexes: Sequence[_TimexLike],
    gaz: Gazetteer | _ArticleActors,
    quotes: Sequence[tuple[int, int]] = (),
) -> tuple[Any, frozenset[str]] | None:
    """The day of the sentence after ``sents[k]`` when it reports a statement or a meeting
    ("..., Peskov said on Wednesday", "In a call with Zelenskiy on Sunday, the prime minister
    said ..."), with the actors it names: what dates a present-perfect lede before it."""
    if k + 1 >= len(sents):
        return None
    a, b = sents[k + 1]
    if not _ELABORATION.search(norm, a, b):
        return None
    days = [
        t
        for t in timexes
        if a <= t.start + p0 < b
        and not _in_spans(t.start + p0, quotes)  # "... where he is today," X told ABC
        and t.precision == "day"
        and t.tense != "future"  # "... will meet on Thursday" dates no earlier statement
        and not t.text.endswith("since")
    ]
    if len(days) != 1:
        return None
    return days[0], frozenset(c for _, c in gaz.actors_in(norm, a, b, days[0].date))


_STATEMENT = re.compile(
    r"\b(?:in a statement|statement said|said in a (?:statement|readout)|announced|readout)\b",
    re.IGNORECASE,
)
_WHEN_CLAUSE = re.compile(r"[\s,]*when\b", re.IGNORECASE)
_ADVERBIAL = re.compile(
    r"(?:after|before|following|ahead of|amid|despite|since|because|although|though)\b",
    re.IGNORECASE,
)
# report verbs: "said", and the participle of a report tacked onto an act ("..., saying that")
_REPORT_WORDS = (
    "said", "says", "saying", "told", "tells", "stated", "added",
    "replied", "responded", "insisted", "argued", "stressed", "wrote", "tweeted",
)  # fmt: skip
_REPORT_VERB = re.compile(rf"\b(?:{'|'.join(_REPORT_WORDS)})\b", re.IGNORECASE)
# a noun trigger followed by a copula and a non-participle: a description, not an event
# (not a second verb joined by "and": "had completed their exercises and were loading onto
# trains", nor a progressive)
_PREDICATIVE = re.compile(
    r"(?:\s+(?!and\b|but\b|or\b)[\w'-]+){0,4}?\s+(?:were|was|is|are)\s+(?!being\b|been\b)"
    r"(?![\w-]+(?:ed|en|ing)\b)",
    re.IGNORECASE,
)
# categories whose definite mentions ("the invasion", "Russia's build-up") are usually background
_BACKGROUND_PRONE = frozenset({"assault", "mobilize", "retreat", "coerce", "aid", "support"})
# an actor named as a place or topic is not a party: "the crisis in Ukraine", "to discuss Ukraine"
_TOPIC_BEFORE = re.compile(
    r"\b(?:in|inside|about|discuss|discussed|discussing|across|throughout)\s+(?:the\s+)?\Z"
    r"|\bformer\s+(?:[\w-]+\s+)?\Z",  # "a former Latvian prime minister" holds no office
    re.IGNORECASE,
)
# an actor named as a party of another act, the war, is its topic here: "urged Mexico to join
# the US in supporting Kyiv against Russia's invasion of Ukraine" (not when that act is the
# trigger itself: "Russia's invasion of Ukraine" as an assault names both parties)
_WAR_NOUN = (
    r"(?:invasion|war|aggression|offensive|onslaught|bombardment|military operation|"
    r"special military operation)"
)
_WAR_NOUN_RE = re.compile(r"\b" + _WAR_NOUN + r"\b", re.IGNORECASE)
_WAR_TOPIC_BEFORE = re.compile(
    _WAR_NOUN + r"\s+(?:of|on|against|in)\s+(?:the\s+)?\Z", re.IGNORECASE
)
_WAR_TOPIC_AFTER = re.compile(
    r"(?:'s)?\s+(?:(?:[\w-]+\s+)?(?:full-scale|brutal|unprovoked|illegal|ongoing|"
    r"month-long|military)\s+)?" + _WAR_NOUN + r"\b",
    re.IGNORECASE,
)
# acts aimed at the aggressor: "warned a Russian invasion would be a miscalculation" names
# Russia as its target
_AGAINST_AGGRESSOR = frozenset({"assault", "threaten", "accuse", "sanction", "reject", "protest"})
# a sentence told as what came next: "He then instructed ...", "Shortly afterwards, he ..."
_THEN = re.compile(
    r"\W*(?:(?i:(?:shortly|soon|minutes|hours|moments|immediately)\s+)?"
    r"(?i:afterwards?|after that|thereafter)\b"
    # a later hour of the same day: "Later in the morning he said ...", "By evening ..."
    r"|(?i:(?:later|earlier)\s+in\s+the|(?:later|earlier|early|late)\s+that|by|that|by\s+the"
    r"|the\s+same)\s+(?i:morning|afternoon|evening|night|nightfall)\b"
    # "Minutes later, he instructed ...", "Hours earlier a shell had hit ...", "Hours after the
    # announcement, a car exploded ..."
    r"|(?i:within\s+(?:minutes|hours)|(?:minutes|hours|moments)\s+(?:later|earlier|after))\b"
    r"|(?:[Hh]e|[Ss]he|[Tt]hey|[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\s+then\s+[a-z]+ed\b)"
)
# words before a verb that make it background: perfect, habitual or earlier
_BACKGROUND_WORDS = "has|have|had|previously|repeatedly|already|long|often|been"
# a perfect or habitual report ("has said", "had long said"), not one of the day before ("He
# also said" is one: "also" is no background for a report)
_BACKGROUND_REPORT = re.compile(rf"\b(?:{_BACKGROUND_WORDS})\s+(?:also\s+)?\Z", re.IGNORECASE)
# what a report says, right after its verb (not a place or an occasion: "said at the close of
# the summit that ...")
_CARRIED_CONTENT = re.compile(
    r"\s+(?:that\b|(?!(?:at|during|after|before|in|on|to|with|for|from|of|about|by)\b)\S)",
    re.IGNORECASE,
)
# the words of a doubted pullback
_PULLBACK_WORD = re.compile(
    r"pull-?backs?|withdrawals?|de-escalation|drawdowns?|reductions?|disengaging",
    re.IGNORECASE,
)


def doubts_pullback(text: str, lex: Lexicon) -> bool:
    """A pullback word negated or doubted within its last eight words: "has not yet seen
    signs of any Russian troop reduction", "little evidence of Russia disengaging"."""
    return any(
        lex.negated_before.search(_last_words(text[: m.start()], 8))
        for m in _PULLBACK_WORD.finditer(text)
    )


# "he said": a speaker named by a pronoun
_PRONOUN_SPEAKER = re.compile(r"\b(?:he|she)\s+\Z", re.IGNORECASE)
# a report verb in the simple past (what carries the date of the sentence before)
_SIMPLE_PAST_REPORT = re.compile(
    r"(?:said|told|added|stated|insisted|argued|noted|wrote|declared)\b", re.IGNORECASE
)
# habitual or earlier statements are background, not the previous sentence's event
_BACKGROUND_BEFORE = re.compile(rf"\b(?:{_BACKGROUND_WORDS}|also)\s+\Z", re.IGNORECASE)
# "during a trio of summits": the main clause's time; "agreed at Thursday's summit to provide"
_DURING = re.compile(r"during\b", re.IGNORECASE)
_WHICH = re.compile(r"which\b")
_OCCASION_WHICH = re.compile(r"\b(?:during|at|in)\s*\Z", re.IGNORECASE)
# a sentence opening on an occasion: "On a visit to Kyiv ...", "During talks in Moscow ..."
_OCCASION_FRONT = re.compile(
    r"[\s\"']*(?:on|during|at|while on|in)\s+(?:(?:a|an|the|his|her|their|its)\s+)?"
    r"(?:[\w'-]+\s+){0,2}",
    re.IGNORECASE,
)
# a subject with a participle set off after it ("EU leaders, meeting in ...")
_APPOSITIVE_SUBJECT = re.compile(r"[\s\"']*(?:[\w'.-]+\s+){0,5}[\w'.-]+,\s+")
# the end of that participle's phrase, right before the main verb
_APPOSITIVE_CLOSE = re.compile(r"(?:\s+[\w'-]+){0,3},\s+(?:[\w-]+ly\s+)?")
# an act at the place of a dated visit or meeting: "visited Kyiv last Thursday, where he signed
# a free trade agreement"
_WHERE = re.compile(r"where\b")
_AT_MEETING = re.compile(
    r"\b(?:at|during)\s+(?:the\s+|a\s+|an\s+|[\w'-]+\s+){0,4}\Z", re.IGNORECASE
)
_ATTRIBUTION = re.compile(r",\s+(?:[\w'-]+\s+){0,6}\Z")
# a sentence right before "Photograph: ..." is a caption; editorial notes are furniture
_CAPTION_AFTER = re.compile(r"\s*(?:Photograph|Illustration|Composite|Photo|Image)\s*:")
_FURNITURE = re.compile(
    r"(?:This article was amended|Last modified on|Sign up to)",
    re.IGNORECASE,
)
# a definite act dated by a relative clause: "the invasion (that) he launched on 24 February"
_LAUNCHED = re.compile(
    r"\s+(?:that\s+|which\s+)?(?:[\w'-]+\s+){0,2}"
    r"(?:launched|began|started|ordered|unleashed|announced|imposed)\s+(?:on\s+|in\s+)?",
    re.IGNORECASE,
)
# the act's object between it and its date: "Russia's invasion of Ukraine on 24 February"
_OBJECT_GAP = re.compile(
    r"\s+(?:of|on|against|into|in)\s+(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?\s+(?:on|in)\s+"
)
# "he"/"she" before an act with nobody named before it in its sentence (see _antecedent)
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_ANTECEDENT_SENTENCES = 2
# a pronoun subject right before an act, no auxiliary between: "He also ordered ..."
_PRONOUN_ACT = re.compile(
    r"\b(?:he|she|they)\s+(?:also\s+|then\s+|later\s+|again\s+|quickly\s+)?\Z", re.IGNORECASE
)
# a pronoun subject: "..., as he asked for more weapons" (its antecedent is named last)
_PRONOUN_SUBJECT = re.compile(r"\b(?:he|she)\s+(?:[\w-]+\s+){0,2}\Z", re.IGNORECASE)
_DIRECT_OBJECT = re.compile(r"\s+(?:(?:the|their|its|his|her|[A-Z][\w'-]*)\s+)?")
_SUMMIT_WORD = re.compile(r"summit\b", re.IGNORECASE)
# (a modal too: "the troops would head home" is an act, not a noun phrase)
_AUXILIARY = re.compile(r"\b(?:were|was|are|is|had|have|has|will|would)\b")
_PAST_VERB = re.compile(
    r"(?:[a-z]+ed|sent|gave|began|struck|hit|shot|fought|withdrew|took|seized|led|held|brought|"
    r"drove|flew|threw|made|cut|broke|fled|sank|blew|launched|rolled)\b"
)
_ACT_OBJECT = re.compile(
    r"\b(?:announc(?:ed|es|ing)|order(?:ed|s|ing)|approv(?:ed|es|ing)|authori[sz](?:ed|es|ing)|"
    r"unveil(?:ed|s|ing))\s+(?:the|its|their|his|her)\s+(?:[\w-]+\s+)?\Z"
)
_AND_BETWEEN = re.compile(r"\band\b")
# the verb announcing an act right before it: "announced naval exercises", "unveiled plans for"
# (the trigger may include it): the verb and at most four words, to the trigger's end
_ANNOUNCED_ACT = re.compile(
    r"\b(?:announced|unveiled|set out|outlined)(?:\s+[\w-]+){1,4}\Z", re.IGNORECASE
)
_THAT_CLAUSE = re.compile(r"\bthat\b", re.IGNORECASE)
_THAT_FIRST = re.compile(r",?\s*that\b")
_SAYING = re.compile(r",?\s*(?:saying|adding|arguing|insisting)\b", re.IGNORECASE)
# an undated reference to the article's summit
_SUMMIT_REF = re.compile(
    r"\b(?:(?P<eve>(?:on\s+)?the\s+eve\s+of\s+the\s+(?:[\w'-]+\s+){0,2}summit)"
    r"|(?:at|during)\s+the\s+(?:[\w'-]+\s+){0,2}summit|(?:final|closing)\s+summit\s+"
    r"(?:statement|communique|declaration))\b",
    re.IGNORECASE,
)
# an undated reference to an occasion the article dated, by its place: "after the Geneva
# session", "at the Brussels talks", "on the eve of the Munich conference"
_PLACE_REF = re.compile(
    r"\b(?:(?P<eve>(?i:on\s+the\s+eve\s+of))|(?i:at|after|during|following|before|ahead\s+of|"
    r"on\s+the\s+sidelines\s+of))\s+the\s+(?P<place>[A-Z][a-z'-]+)\s+(?:[A-Z][\w'-]+\s+)?"
    r"(?i:summit|session|talks|meeting|conference|news\s+conference|press\s+conference)\b"
)
# a sentence telling when and where a statement was made
_ELABORATION = re.compile(
    r"\b(?:said|told|says|tells|added|spoke|speaking|call|phone call|telephone call|meeting|"
    r"interview|briefing|press conference|statement)\b",
    re.IGNORECASE,
)
# a present-perfect lede: "X has warned ...", "Y has pledged to send ..."
_PERFECT = re.compile(
    r"\b(?:has|have)\s+(?!(?:[\w-]+\s+)?(?:repeatedly|previously|long|already|often|always|"
    r"ever|never|since|been|consistently|frequently|regularly)\b)(?:[\w-]+\s+){0,2}\Z",
    re.IGNORECASE,
)
_COMPLEMENT = re.compile(r"\bthat\b|:")
_WITH_PROMISE = re.compile(
    r"\bwith (?:(?:a |an |new |fresh )?"
    r"(?:promises?|pledges?|offers?|plans?|proposals?|commitments?)) (?:to|of)\b",
    re.IGNORECASE,
)
_SEPARATE = re.compile(r"\bseparate(?:ly)?\b", re.IGNORECASE)
# a list of agents before their act: "the United States, Britain and the European Union announced"
_AGENT_SEP = re.compile(
    r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?"
)
_AGENT_LAST = re.compile(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*\s+(?:[\w-]+\s+){0,3}")
# the words between an act and the list of agents it comes from: "sanctions came on Tuesday from
# the US, ..."
_FROM_FIRST = re.compile(r"\s+(?:[\w-]+\s+){0,4}?from\s+(?:the\s+)?")
# acts each agent of a list takes for itself (a joint meeting or drill is one event)
_PER_AGENT = frozenset({"sanction", "aid"})
# two destinations of one trip, right after the visit trigger: "travel to Kyiv and Moscow"
_TWO_PLACES = re.compile(
    r"\s+(?:the\s+)?([A-Z][\w'-]*)\s+and\s+(?:to\s+)?(?:the\s+)?([A-Z][\w'-]*)"
)
_PLURAL_MEETING = re.compile(r"\b(?:summits|meetings|gatherings)\b", re.IGNORECASE)
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|stated|insisted|reiterated|warned|added|noted|stressed)\b",
    re.IGNORECASE,
)
# a preposition and a definite article before a trigger: the event is the occasion of another act
_OCCASION = re.compile(
    r"\b(?:after|before|during|since|ahead of|following) (?:the|its|their|this|that)"
    r" (?:[\w-]+ )?\Z",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"^(?:who|which|where)\b", re.IGNORECASE)
_CONTINUATION = re.compile(r"(?:and|as well as)\b", re.IGNORECASE)
# a second predicate of the same subject after "but": "said on Friday that ..., but would not
# impose sanctions", "..., but ruled out sending soldiers" (a verb right after it, no subject)
_BUT_PREDICATE = re.compile(
    r"but\s+(?:also\s+)?(?:[a-z]+ed|would|will|could|did|said|told|warned|insisted|made|gave|"
    r"took|kept|sent|spoke|met)\b"
)
# between a date and the next predicate of the same subject: " and", ", and", " and then"
_AND_NEXT = re.compile(r",?\s+and(?:\s+then|\s+also)?\s+")
# nothing but spaces and quotes: a date that opens its sentence
_SPACES = re.compile(r"[\s\"']*")
# the end of a span: "due to run until Feb. 20"
# an appositive after a name: ", Biden's national security adviser, told ..." (the next word
# a verb, not a conjunction)
_APPOSITIVE = re.compile(
    r",\s+(?:the|a|an|his|her|its|their|[A-Z][\w.-]*(?:'s|\u2019s))\s+[^,;]{0,60}?,\s+"
    r"(?!(?:and|or|but|which|who|whom|whose|while|as|when|where|after|before|said|says)\b)"
    r"(?=[a-z])"
)
# an act named as the reason for a punishment or a condemnation: "punishing Moscow for ordering"
_FOR_REASON = re.compile(
    r"\b(?:punish\w*|sanction(?:s|ed|ing)?|condemn\w*|criticis\w*|criticiz\w*|blam\w*|"
    r"rebuk\w*|penalis\w*|penaliz\w*|retaliat\w*)\s+(?:[\w'-]+\s+){0,3}?for\s+\Z",
    re.IGNORECASE,
)
# between two dates of one act: "on Jan. 24 and again on Feb. 11"
_BY_MEANS = r"by\s+(?:phone|telephone|video(?:\s+link)?|videoconference)\s+"
_AND_AGAIN = re.compile(
    r"\s*,?\s*and\s+(?:again\s+(?:" + _BY_MEANS + r"|in\s+person\s+)?"
    r"|(?:again\s+)?" + _BY_MEANS + r")(?:on\s+)?",
    re.IGNORECASE,
)
# the same act told again for another place or party, the verb left out: "visited Kyiv on 14
# February and Moscow on 15 February", "held talks with Putin on 7 February and with Zelenskiy
# in Kyiv the next day"
_AND_ELLIPSIS = re.compile(
    r"\s*,?\s*and\s+(?:with\s+|in\s+|to\s+)?(?:the\s+)?"
    r"(?-i:[A-Z][\w.\x27-]*)(?:\s+(?-i:[A-Z][\w.\x27-]*)){0,3}"
    r"(?:\s+in\s+(?-i:[A-Z][\w-]*))?\s+(?:on\s+)?",
    re.IGNORECASE,
)
_UNTIL_BEFORE = re.compile(r"\b(?:until|till|through|thru)\s+(?:on\s+)?\Z", re.IGNORECASE)
# a clause that is only a further predicate of the subject before it: "..., and pledged £88m"
_AND_PREDICATE = re.compile(r"and\s+(?:then\s+|also\s+|later\s+)?", re.IGNORECASE)
# what may come before a date that opens its sentence: "On Tuesday, ...", "Late that night ..."
_SENTENCE_FRONT = re.compile(r"[\s\"']*(?:(?:on|late|early|later|earlier|by|and)\s+)*", re.I)
# a coordinated clause telling an earlier or lasting state, not an act of the fronted day
_NOT_SAME_DAY = re.compile(r"\b(?:since|already|previously|had|has|have|still|now)\b", re.I)


def _code_sentence(
    article: _ArticleLike,
    norm: str,
    s0: int,
    s1: int,
    p0: int,
    raw_hits: list[tuple[int, int, Trigger]],
    timexes: Sequence[_TimexLike],
    quotes: Sequence[tuple[int, int]],
    lex: Lexicon,
    gaz: Gazetteer | _ArticleActors,
    include_hypothetical: bool,
    carry: tuple[Any, frozenset[str]] | None = None,
    ahead: tuple[Any, frozenset[str]] | None = None,
    context: tuple[Any, int] | None = None,
    heading: Any = None,
    framed: bool = False,
) -> list[Mention]:
    # ``carry``: the day of the sentence before and its actors, given only for a sentence that
    # tells no day of its own (a background month may be: "..., a complaint the Kremlin has
    # made since December"); it dates what this one leaves undated
    if norm[s1 - 1] == "?" or norm[s0:s1].rstrip("\"' )").endswith("?"):
        return []  # a question reports nothing
    clauses = clause_spans(norm, s0, s1)
    sent_quotes = [q for q in quotes if q[1] > s0 and q[0] < s1]

    def clause_of(pos: int) -> tuple[int, int]:
        for c in clauses:
            if c[0] <= pos < c[1]:
                return c
        return (s0, s1)

    outside = None  # the sentence without its quotes, computed on demand

    hits: list[_Hit] = []
    for a, b, trig in raw_hits:
        clause = clause_of(a)
        if b > clause[1]:
            # a match that runs into the next clause is of both ("the exercises, which Minsk
            # says will be held from 10 to 20 February")
            clause = (clause[0], clause_of(b - 1)[1])
        ctext = norm[clause[0] : clause[1]]
        if trig.context is not None and not trig.context.search(ctext):
            continue
        if trig.not_context is not None and trig.not_context.search(ctext):
            continue
        # what a speech act says runs on into a "saying ..." clause ("warned X not to deploy
        # troops, saying that could lead to a direct confrontation")
        said_end = clause[1]
        saying = _SAYING.match(norm, clause[1]) if trig.speech else None
        if saying is not None:
            said_end = max(said_end, clause_of(saying.end() - 1)[1])
        hit = _Hit(a, b, trig.refined(norm[b:said_end]), clause)
        if _in_spans(a, sent_quotes):
            # quoted speech is a claim, not a report; two exceptions: scepticism about a
            # pullback ("we haven't seen any pullback") and an official statement quoted verbatim
            if outside is None:
                outside = "".join(
                    norm[max(s0, x) : min(s1, y)] for x, y in _complement(sent_quotes, s0, s1)
                )
            if trig.category == "retreat":
                hit.quoted = "statement" if _STATEMENT.search(outside) else "quote"
            else:
                continue
        hits.append(hit)
    if not hits and not lex.statements:
        return []

    # temporal expressions of this sentence, in article offsets (not inside quotes)
    sent_tx = [
        (t.start + p0, t.end + p0, t)
        for t in timexes
        if s0 <= t.start + p0 < s1 and not _in_spans(t.start + p0, sent_quotes)
    ]
    # reporting verbs compete for dates too ("Putin said on Saturday that ... and warned"):
    # a date of the report goes to the speech acts and reported content that follow
    reports = [
        _Hit(m.start(), m.end(), _REPORT, clause_of(m.start()))
        for m in _REPORT_VERB.finditer(norm, s0, s1)
        if not _in_spans(m.start(), sent_quotes)
    ]
    real = hits
    hits = real + reports
    # "..., a day after Putin recognised the republics, Kishida said ...": the event told after
    # such an expression (``Timex.dates_event_after``), up to the next comma, is dated by it and
    # by nothing else; what comes before or after is not
    following: dict[int, int] = {}
    for a0, b, t in sent_tx:
        if t.dates_event_after:
            # (the phrase runs to the next comma, across a relative clause: "a day after a
            # White House visit at which Biden said ...")
            comma = norm.find(",", b, s1)
            appositive = _APPOSITIVE.match(norm, comma) if comma >= 0 else None
            if appositive is not None:
                # past an appositive: "a day after Jake Sullivan, Biden's national security
                # adviser, told reporters ..."
                comma = norm.find(",", appositive.end(), s1)
            end = comma if comma >= 0 else s1
            if any(b <= a2 < end for a2, _, _ in sent_tx):
                continue  # the event has a date of its own: "a week after their meeting on Monday"
            following[b] = end
            # the phrase and what comes after it are clauses of their own (their dates, their
            # actors): the event it tells is no object of a speech act before it ("warned ...
            # that joining NATO would bring consequences, a day after its troops invaded")
            for cut, skip in ((a0, 0), (comma, 1)):
                k = next((k for k, (c0, c1) in enumerate(clauses) if c0 < cut < c1), -1)
                if k >= 0:
                    c0, c1 = clauses[k]
                    clauses[k : k + 1] = [(c0, cut), (cut + skip, c1)]
    if following:
        for h in hits:
            h.clause = clause_of(h.start)
    # each expression belongs to the nearest trigger (same clause preferred)
    for a, b, t in sent_tx:
        best: _Hit | None = None
        best_cost = 0
        possessive = norm.startswith("'s", b)  # "this month's presidents", "Thursday's summit"
        until = _UNTIL_BEFORE.search(norm, max(0, a - 12), a) is not None
        # a date labelling its sentence, as in a timeline: "Feb. 10 -- Russia and Belarus open ..."
        label = (
            _SPACES.fullmatch(norm, s0, a) is not None
            and LABEL_SEPARATOR.match(norm, b) is not None
        )
        # a date inside a speech act's that-clause belongs to what is said ("rejected reports
        # that Putin will declare war on 9 May"): only a trigger of that content may own it
        content = -1
        for h in hits:
            if h.trig.speech and h.end <= a and a - h.end <= MAX_DATE_DISTANCE:
                that = _THAT_CLAUSE.search(norm, h.end, a)
                if (
                    that is not None
                    and h.clause[0] <= a < h.clause[1]
                    # not a relative "that" after an act: "denied a cyberattack that hit ..."
                    and not any(h.end <= o.start < that.start() for o in real)
                ):
                    content = max(content, that.end())
        governed = following.get(b)
        for h in hits:
            if possessive and not b <= h.start <= b + 30:
                continue
            if governed is not None and not b <= h.start < governed:
                continue
            if governed is None and any(f <= h.start < e for f, e in following.items()):
                continue
            if content >= 0 and not content <= h.start < a:
                continue
            if a >= h.end:
                dist, between = a - h.end, norm[h.end : a]
            elif h.start >= b:
                dist, between = h.start - b, norm[b : h.start]
            else:
                dist, between = 0, ""
            # a comma between a date and a trigger usually separates them; an English verb
            # comes before its date ("accused Russia on Saturday of a strike")
            if dist > MAX_DATE_DISTANCE:
                continue  # too far apart to be one statement
            cost = dist + (60 * between.count(",") + 15 if h.start >= b else 0)
            if h.start >= b and _THAT_FIRST.match(between):
                # "told a radio station on Wednesday that a blockade ...": the date before a
                # that-clause is the telling's, not an act's inside it
                cost += MAX_DATE_DISTANCE
            if h.start >= b and _AND_BETWEEN.search(between):
                # "... due to end on Feb. 20 and is conducting ...", "recognised the two regions
                # of eastern Ukraine as independent states on Monday evening and ordered troops
                # into them": the first act's, however long its object (the second shares it)
                cost += MAX_DATE_DISTANCE
            if until:
                # "drills, due to run until Feb. 20": the end of what is going on, a trigger's
                # date only when it has no other
                cost += MAX_DATE_DISTANCE
            if not h.clause[0] <= a < h.clause[1] and not (label and h.start > a):
                # another clause's date: only one that comes first ("A key test will come
                # Feb. 20, when the drills end"), never into an after/before clause, which
                # is about another moment than its main clause
                attached = a < h.clause[0] <= b + 2  # "a day after Moscow ..."
                # (or the moment of a when-clause right after the act's: "the troops will head
                # home when the exercise ends on Sunday")
                ca = clause_of(a)
                when = (
                    a > h.start
                    and ca[0] >= h.clause[1]
                    and _WHEN_CLAUSE.match(norm, ca[0]) is not None
                    and not any(h.clause[1] <= c[0] < ca[0] for c in clauses)
                )
                if not (attached or when) and (a > h.start or _ADVERBIAL.match(norm, h.clause[0])):
                    continue
                cost += 10_000
            if best is None or cost < best_cost:
                best, best_cost = h, cost
        if best is not None:
            prev = best.timex
            if prev is None or (not until and abs(a - best.start) < abs(prev[0] - best.start)):
                best.timex = (a, b, t)
                best.owns = True
    # an act announced for a later month on a day the sentence names first ("The same day the
    # defence ministry announced naval exercises in January and February"): the announcement
    # is the act of that day (its own later period is no day)
    for h in hits:
        if h.timex is None or h.timex[0] < h.end or h.timex[2].precision == "day":
            continue
        verb = _ANNOUNCED_ACT.search(norm, max(h.clause[0], h.start - 40), h.end)
        if verb is None:
            continue
        day = next(
            (
                (a, b, t)
                for a, b, t in reversed(sent_tx)
                if b <= verb.start()
                and t.precision == "day"
                and (h.clause[0] <= a or _SENTENCE_FRONT.fullmatch(norm, s0, a) is not None)
            ),
            None,
        )
        if day is not None:
            h.timex, h.owns = day, True
    # a refusal told in a report is made when it is told, not on the day it refuses: "said on
    # Tuesday that Blinken would no longer meet Lavrov on Thursday" is Tuesday's; with an undated
    # report it has no day of its own ("Blinken said he would no longer meet Lavrov on Thursday")
    for h in real:
        if h.trig.category not in lex.refusal_categories or h.timex is None or h.timex[0] < h.end:
            continue
        told = next(
            (r for r in reports if r.end <= h.start and r.clause[0] <= h.start < r.clause[1]),
            None,
        )
        if told is not None:
            dated = told.timex is not None and told.timex[1] <= h.start
            h.timex, h.owns = (told.timex, True) if dated else (None, False)
    # an act done again on a second day ("spoke by phone on Jan. 28 and again last Thursday",
    # "took part in the video call on Jan. 24 and again on Feb. 11", "in a video call on Dec. 7
    # and by phone on Dec. 30"): one act on each day
    for h in list(hits):
        if h.timex is None or h.timex[0] < 0:
            continue
        for a, b, t in sent_tx:
            if a <= h.timex[1]:
                continue
            again = _AND_AGAIN.fullmatch(norm, h.timex[1], a) is not None
            if not again and (
                t.precision != "day"
                or h.timex[2].precision != "day"
                or _AND_ELLIPSIS.fullmatch(norm, h.timex[1], a) is None
                # (no act of its own after the second day: "met Scholz on Monday and Putin on
                # Tuesday announced ...")
                or any(o is not h and h.timex[1] <= o.start < h.clause[1] for o in real)
            ):
                break
            hits.append(replace(h, timex=(a, b, t), owns=True))
            if any(h is r for r in real):
                real.append(hits[-1])
            break
    # a trigger without a date of its own shares the date of another trigger of its clause
    # when both are of one category ("met ... for talks"), or when the date is fronted before
    # both ("On Monday Putin met Scholz and announced ..."); not a date that belongs to another
    # act ("denied involvement in a cyberattack on Tuesday")
    for h in hits:
        if h.timex is None:
            # "during the talks ...", and a relative clause on a dated occasion: "held a video
            # call on Dec. 7, during which Biden threatened ...", "..., at which X said ..."
            during = _DURING.match(norm, h.clause[0]) is not None or (
                _WHICH.match(norm, h.clause[0]) is not None
                and _OCCASION_WHICH.search(norm, max(0, h.clause[0] - 12), h.clause[0]) is not None
            )
            # a finite verb, not a participle of a list ("encircling cities, ..., and
            # threatening a wider war"): what the two rules below may date
            finite = not _lead_word(norm, h.start, h.end).endswith("ing")
            for o in sorted(hits, key=lambda o: abs(o.start - h.start)):
                if o is h or not o.owns:
                    continue
                later = finite and o.clause[1] <= h.clause[0] and o.timex[0] < o.start
                # "On Tuesday, Johnson warned that ..., and pledged £88m": the fronted date of
                # the first predicate is the next one's too
                and_then = (
                    later and _AND_PREDICATE.fullmatch(norm, h.clause[0], h.start) is not None
                )
                # "The same day, Germany halted ..., and the United States and Britain imposed
                # ...": a date opening the sentence covers the clauses joined to it by "and"
                sentence_day = (
                    later
                    and not and_then
                    and (
                        _SENTENCE_FRONT.fullmatch(norm, s0, o.timex[0]) is not None
                        # (or the first clause's own: "EU ministers were expected later on
                        # Friday to freeze ..., and NATO leaders were due to hold a summit")
                        or (o.clause == clauses[0] and o.clause[0] <= o.timex[0] < o.clause[1])
                    )
                    and _CONTINUATION.match(norm, h.clause[0]) is not None
                    and not _NOT_SAME_DAY.search(norm, h.clause[0], h.start)
                )
                # an act told after a fronted occasion of its own day ("On a visit to Kyiv on
                # Feb. 1, he offered Ukraine ...", "During talks in Moscow on Monday, Macron
                # proposed ..."): the occasion's date, in its clause or the next one
                occasion = (
                    o.trig.category == "consult"
                    and o.start < o.timex[0]
                    and o.timex[1] <= h.start
                    and (
                        (
                            _OCCASION_FRONT.fullmatch(norm, s0, o.start) is not None
                            and (
                                o.clause == h.clause
                                or not any(o.clause[1] <= c[0] < h.clause[0] for c in clauses)
                            )
                        )
                        # or a participle set off after the subject: "EU leaders, meeting in
                        # Brussels on Thursday night, agreed a package ..."
                        or (
                            _APPOSITIVE_SUBJECT.fullmatch(norm, s0, o.start) is not None
                            and _lead_word(norm, o.start, o.end).endswith("ing")
                            and _APPOSITIVE_CLOSE.fullmatch(norm, o.timex[1], h.start) is not None
                        )
                    )
                )
                # an act in a "where" clause right after a dated visit or meeting: its date
                at_place = (
                    o.trig.category == "consult"
                    and o.clause[1] <= h.clause[0]
                    and o.clause[0] <= o.timex[0] < o.clause[1]
                    and _WHERE.match(norm, h.clause[0]) is not None
                    and not any(o.clause[1] <= c[0] < h.clause[0] for c in clauses)
                )
                if (
                    o.clause != h.clause
                    and not (during and o.timex[0] < h.start)
                    and not (and_then or sentence_day or occasion or at_place)
                ):
                    continue
                fronted = (
                    o.timex[0] < o.start
                    and o.timex[0] < h.start
                    and not h.trig.speech
                    and not norm.startswith("'s", o.timex[1])
                )
                # a statement made at a dated meeting ("pleaded ... at Nato's summit last week",
                # "At peace talks on Tuesday, negotiators said ... ready to accept neutrality")
                at_meeting = o.trig.category == "consult" and (
                    h.trig.speech
                    or _AT_MEETING.search(norm, max(h.clause[0], o.start - 40), o.start)
                )
                # what a dated act brings with it: "came to Brussels on Thursday with promises to
                # ... give $1bn in humanitarian aid and impose sanctions"
                promised = o.start < h.start and _WITH_PROMISE.search(norm, o.end, h.start)
                # a second predicate of the same subject right after the first one's date: "met
                # ... on Friday and agreed to keep talking", "spoke on Sunday and agreed to ..."
                coordinated = (
                    o.start < o.timex[0] < h.start
                    and _AND_NEXT.fullmatch(norm, o.timex[1], h.start) is not None
                )
                if o.trig.category != h.trig.category and not (
                    fronted
                    or at_meeting
                    or during
                    or promised
                    or coordinated
                    or occasion
                    or at_place
                    or and_then
                    or sentence_day
                ):
                    continue
                h.timex = o.timex
                break
    carried: dict[int, frozenset[str]] = {}
    if carry is not None:
        # an undated report in the simple past that goes on from the sentence before
        # ("Afterwards Mr Ryabkov said Russia needed ...", "Russia, he said, needs ...",
        # "He also said he had ordered ..."): that day's, for a statement and for the acts it
        # reports, by a speaker that sentence named (checked with the actors)
        for r in reports:
            if (
                r.timex is None
                and _SIMPLE_PAST_REPORT.match(norm, r.start) is not None
                and not _BACKGROUND_REPORT.search(norm, max(s0, r.start - 30), r.start)
            ):
                r.timex, r.owns = (-1, -1, carry[0]), True
    headed: set[int] = set()  # reports dated by their heading: no speaker check
    if heading is not None and not sent_tx:
        # an undated report under a dated heading or in a timeline's entry, in its narrative
        # present or past ("JAN. 13 - ... Ryabkov tells a Russian broadcaster that the talks
        # have run into a dead end"): the heading's day, whoever speaks
        for r in reports:
            if (r.timex is None or r.timex[0] < 0) and not _BACKGROUND_REPORT.search(
                norm, max(s0, r.start - 30), r.start
            ):
                r.timex, r.owns = (-1, -1, heading), True
                headed.add(id(r))
    for h in real:
        if h.timex is not None:
            continue
        for r in sorted(reports, key=lambda r: abs(r.start - h.start)):
            if r.timex is None or (
                r.clause != h.clause and not _report_covers(norm, r, h, s1, reports, clauses)
            ):
                continue
            # reported content after the verb ("said on Saturday that ..."), or before a
            # closing attribution ("..., the Ukrainian government said on Saturday")
            closing = r.start > h.start and _ATTRIBUTION.search(norm, h.end, r.start)
            if r.timex[0] < 0 and (r.start > h.start or not _CARRIED_CONTENT.match(norm, r.end)):
                # a day carried from the sentence before goes only to what the report says
                # after it, not to its occasion ("said at the close of the summit that ...")
                # nor to what came before it ("Asked whether that included Crimea, which
                # Russia annexed in 2014, the foreign secretary said ...")
                break
            if h.quoted or h.trig.speech or r.start < h.start or closing:
                if not h.trig.speech and _PREDICATIVE.match(norm, h.end, h.clause[1]):
                    break  # "western sanctions on Russia were akin to war": an opinion
                h.timex = r.timex
                if carry is not None and r.timex[0] < 0 and id(r) not in headed:
                    carried[id(h)] = carry[1]
            break
    # each dated trigger's modality, kept with the date it was read with (reused below)
    modality: dict[int, tuple[Any, str | None]] = {
        id(h): (h.timex, _modality(norm, h, lex, article.published))
        for h in real
        if h.timex is not None
    }
    acts = [
        h for h in real if id(h) in modality and modality[id(h)][1] not in (None, "hypothetical")
    ]
    if reports and lex.statements:
        # a dated statement that no trigger reports as an act (only as a possibility: "told a
        # radio station on Wednesday that a blockade could lead to ..."), typed by what it says;
        # beside the acts of other clauses, one with a date and a clause of its own ("Rutte
        # announced on Tuesday that ..., while a Pentagon official said on Monday that ...")
        for r in reports:
            tx = r.timex if r.owns else None
            if tx is None:
                # a statement made in a dated call or meeting of its clause ("Johnson told
                # Putin in a telephone call on Wednesday that any incursion would be a tragic
                # miscalculation"): the occasion's date
                tx = next(
                    (
                        h.timex
                        for h in acts
                        if h.trig.category == "consult" and h.owns and h.clause == r.clause
                    ),
                    None,
                )
            if tx is None or tx[2].precision != "day":
                continue
            if any(
                # an act that owns the date or the clause, but the call or meeting it was said in
                (h.timex is tx or h.clause == r.clause)
                and not (h.trig.category == "consult" and h.clause == r.clause)
                for h in acts
            ):
                continue
            # (a statement dated by the sentence before: quoted words type it only when they
            # doubt a pullback, '"So far, we haven't seen any sign of de-escalation," he said',
            # the exception quoted speech has anyway)
            said = _statement(
                norm,
                r,
                s0,
                s1,
                sent_quotes,
                raw_hits,
                lex,
                quoted=tx[0] >= 0,
            )
            near = (
                max(r.clause[0], r.start - _SPEAKER_CHARS),
                min(r.clause[1], r.end + _SPEAKER_CHARS),
            )
            if said is not None and (
                # a named speaker, or an official one ("the justice ministry said") whose
                # state the sentence names
                any(
                    not _in_spans(pos, sent_quotes)
                    for pos, _ in gaz.actors_in(norm, *near, tx[2].date)
                )
                or _OFFICIAL_SPEAKER.search(norm, near[0], r.start) is not None
            ):
                closing = _CLOSING.search(norm, s0, r.start)
                said_from = (
                    closing.end() - len(closing.group().lstrip(',"').lstrip()) if closing else -1
                )
                real.append(
                    _Hit(r.start, r.end, said, r.clause, tx, owns=True, said_from=said_from)
                )
                if carry is not None and tx[0] < 0 and id(r) not in headed:
                    carried[id(real[-1])] = carry[1]
            break  # the first dated report verb of the sentence: one statement at most
    if not real:
        return []
    hits = real
    if carry is not None:
        # no day in this sentence: a statement continuing the previous sentence's speaker, or
        # any act of a sentence told as what came next ("He then instructed the defence
        # ministry to send troops ...", "Shortly afterwards he ...")
        # ("The West's response came on Tuesday. Britain sanctioned five banks ...": any act
        # in the simple past under a frame, whoever its actor)
        then = _THEN.match(norm, s0, s1) is not None
        for h in hits:
            if h.timex is not None:
                continue
            word = _lead_word(norm, h.start, h.end)
            # an act of "he"/"she"/"they" in the simple past, going on from the sentence before
            # ("Biden announced sanctions on Thursday. He also ordered 7,000 more troops to
            # Germany"), or of a party that sentence named, opening this one as its subject
            # ("Boris Johnson arrived in Kyiv on Tuesday. Johnson promised £88 million ..."):
            # checked with its actors below
            goes_on = _PRONOUN_ACT.search(
                norm, max(s0, h.start - 30), h.start
            ) is not None or _named_subject(norm, gaz, s0, h.start, carry)
            if (
                (h.trig.speech or h.quoted or then or framed or goes_on)
                # a simple past, not a headline (under a frame also after its subject:
                # "Hackers defaced ...")
                and (
                    h.quoted
                    or then
                    or word.endswith("ed")
                    or (framed and _opens_past(norm, h.start))
                )
                # ("also" is no background after a pronoun: "He also ordered ...")
                and (goes_on or not _BACKGROUND_BEFORE.search(norm, max(s0, h.start - 30), h.start))
            ):
                h.timex = (-1, -1, carry[0])
                if not framed:
                    carried[id(h)] = carry[1]
    if context is not None and not sent_tx:
        # the article's date for what the sentence refers to: acts in the clause of the
        # reference, or after it when it comes first ("On the eve of the summit, X announced")
        ref_clause = clause_of(context[1])
        ref_end = context[1] + len(context[0].text) + 2
        for h in hits:
            if context[1] <= h.start < ref_end:
                continue  # "at the summit": the summit itself, dated where the article dates it
            if (
                h.timex is None
                and not h.quoted
                and (h.clause == ref_clause or context[1] < h.start)
            ):
                h.timex = (-1, -1, context[0])
    if heading is not None and not sent_tx:
        # an undated entry under a dated heading ("13 January" / "The OSCE council meets in
        # Vienna ..."): its acts happened on the heading's day
        for h in hits:
            if h.timex is None and not h.quoted:
                h.timex = (-1, -1, heading)
    if ahead is not None and not sent_tx:
        # a present-perfect lede ("X has warned ...", "X has pledged to send ...") told in
        # detail by the next sentence, which dates it ("..., X said on Wednesday")
        for h in hits:
            if (
                h.timex is None
                and not h.quoted
                and _PERFECT.search(norm, max(h.clause[0], h.start - 40), h.start)
            ):
                h.timex = (-1, -1, ahead[0])
                carried[id(h)] = ahead[1]

    # a trigger after a speech act in the same clause is that act's object, unless it owns a date
    # (a speech act too when it sits in the other's that-complement: "warned that any attempt
    # to impose a no-fly zone would lead to ...")
    for h in hits:
        for o in hits:
            if not (o.trig.speech and o.clause == h.clause and o.start < h.start) or o is h:
                continue
            if h.owns:
                # the direct object of a speech act ("rejected appeals for a no-fly zone on
                # Friday") gives its date to the act
                if _DIRECT_OBJECT.fullmatch(norm, o.end, h.start) and o.timex is None:
                    o.timex, o.owns = h.timex, True
                    h.dropped = True
                    break
                continue
            if (
                not h.trig.speech
                or _COMPLEMENT.search(norm, o.end, h.start)
                # or its direct object: "rejected (Ukrainian) calls for", "dismissed demands"
                or _DIRECT_OBJECT.fullmatch(norm, o.end, h.start)
            ):
                h.dropped = True
                break

    kept: list[tuple[_Hit, str, Trigger]] = []
    for h in hits:
        if h.dropped or h.timex is None:
            continue
        # "began punishing Moscow for ordering troops into ...": the reason, told as background
        # (with a date of its own after it, an act: "for invading on 24 February")
        reason = _FOR_REASON.search(norm, max(h.clause[0], h.start - 60), h.start)
        if reason is not None and not (h.owns and h.timex[0] > h.start):
            continue
        if (
            id(h) not in carried
            and h.trig.category in _BACKGROUND_PRONE
            and (lex.definite_before.search(norm, max(h.clause[0], h.start - 40), h.start))
            # a verb after a definite subject is an act, not a noun phrase ("the US sent"),
            # and so is a trigger with its own verb ("that the exercises were ending")
            and not _PAST_VERB.match(norm, h.start)
            and not _AUXILIARY.search(norm, h.start, h.end)
            # nor is the object of the verb that makes it ("the Pentagon announced the
            # deployment", "ordered the withdrawal")
            and not _ACT_OBJECT.search(norm, max(h.clause[0], h.start - 40), h.start)
        ):
            # "the invasion", "Russia's withdrawal": background unless the date is attached
            ta, tb = h.timex[0], h.timex[1]
            gap = norm[h.end : ta] if ta >= h.end else norm[tb : h.start]
            if (
                (len(gap.strip()) > 12 or "," in gap)
                and not _LAUNCHED.fullmatch(gap)
                and not (ta >= h.end and _OBJECT_GAP.fullmatch(gap))
            ):
                continue
        trig = h.trig
        known = modality.get(id(h))
        mod = (
            known[1]
            if known is not None and known[0] is h.timex
            else _modality(norm, h, lex, article.published)
        )
        if mod is None:
            if trig.category != "retreat" or not (h.quoted or _REPORTING.search(norm, s0, s1)):
                continue
            # "we haven't seen any pullback", "yet to verify the claims of withdrawals":
            # doubting the adversary's de-escalation is an accusation
            trig = _DOUBT
            mod = "occurred"
        elif h.quoted == "quote":
            continue
        elif h.quoted == "statement" and mod == "occurred":
            mod = "announced"
        if mod == "hypothetical" and not include_hypothetical:
            continue
        kept.append((h, mod, trig))
    if not kept:
        return []

    # actor region of each kept trigger: its clause, cut where the next dated trigger's material
    # begins ("On Jan 2 Biden spoke to Zelensky and on Jan 10 Stoltenberg welcomed ...")
    kept.sort(key=lambda k: k[0].start)
    bounds: list[tuple[int, int]] = []
    cuts = [
        _cut(norm, kept[i][0], kept[i + 1][0]) if kept[i][0].clause == kept[i + 1][0].clause else -1
        for i in range(len(kept) - 1)
    ]
    for i, (h, _, _) in enumerate(kept):
        lo, hi = h.clause
        # triggers with no cut between them form one group sharing one region
        back = next((c for c in reversed(cuts[:i]) if c >= 0), -1)
        ahead = next((c for c in cuts[i:] if c >= 0), -1)
        if back >= 0:
            lo = max(lo, back)
        if ahead >= 0:
            hi = min(hi, ahead)
        bounds.append((lo, max(hi, h.end)))

    mentions: list[Mention] = []
    war_noun = _WAR_NOUN_RE.search(norm, s0, s1) is not None
    for (h, mod, trig), (lo, hi) in zip(kept, bounds, strict=True):
        tx = h.timex[2]
        day: dt.date = tx.date

        def named(
            a: int, b: int, day: dt.date = day, h: _Hit = h, trig: Trigger = trig
        ) -> list[tuple[int, str]]:
            out = []
            for f in gaz.actors_in(norm, a, b, day):
                if _in_spans(f[0], sent_quotes) or _TOPIC_BEFORE.search(norm, a, f[0]):
                    continue
                if war_noun and trig.category != "assault":
                    if _WAR_TOPIC_BEFORE.search(norm, max(a, f[0] - 40), f[0]):
                        continue
                    name = gaz.regex.match(norm, f[0])
                    if (
                        trig.category not in _AGAINST_AGGRESSOR
                        and name is not None
                        and _WAR_TOPIC_AFTER.match(norm, name.end())
                    ):
                        continue
                out.append(f)
            return out

        found = named(lo, hi)
        if not found and (lo, hi) != h.clause:
            # a second act of the clause's subject ("Russia is continuing drills in Belarus ...
            # and is conducting exercises in the Black Sea"): the subject, not the first act's
            # other parties
            before = named(h.clause[0], lo) if lo > h.clause[0] else []
            found = before[:1] if before else named(*h.clause)
        if not any(pos < h.start for pos, _ in found):
            # no agent before the trigger: a relative clause's antecedent ("von der Leyen on
            # Wednesday, who accused Moscow") or the sentence's subject ("Stoltenberg warned
            # ... and expressed scepticism")
            if _RELATIVE.match(norm, h.clause[0]):
                before = named(s0, h.clause[0])
                if before:
                    found.append(before[-1])
            else:
                first = named(s0, min(lo, h.start))
                if first:
                    pick = first[0]
                    if _PRONOUN_SUBJECT.search(norm, max(lo, h.start - 40), h.start):
                        # "he"/"she": the person named last before the clause
                        people = [f for f in first if gaz.is_person(norm, f[0])]
                        pick = people[-1] if people else pick
                    found.append(pick)
        if (
            not any(pos < h.start for pos, _ in found)
            and _PRONOUN.search(norm, h.clause[0], h.start) is not None
        ) or (
            # (or "he" right before the act, after another party: "Alongside President
            # Zelenskiy he signed ...")
            _PRONOUN_ACT.search(norm, max(h.clause[0], h.start - 30), h.start) is not None
        ):
            # "On Feb. 1 he signed a decree ...": nobody named before the act in the sentence,
            # so "he"/"she" is the person an earlier sentence of the paragraph named first
            ante = _antecedent(norm, gaz, p0, s0, day, quotes)
            if ante is not None and (id(h) not in carried or ante[1] in carried[id(h)]):
                found.insert(0, ante)
        two = _TWO_SUBJECT.search(norm, max(h.clause[0], h.start - 60), h.start)
        if two is not None and not any(two.end() <= pos < h.start for pos, _ in found):
            # "the two presidents": the two parties named last before them
            pair = _two_antecedents(norm, gaz, p0, two.start(), day, quotes)
            if pair:
                found = pair + [f for f in found if f[0] > h.start]
        if not found:
            found = named(s0, s1)
        if not found and trig.category == "assault":
            # an attack told by its place only: the country the place is in is its target
            found = [f for f in gaz.places_in(norm, s0, s1) if not _in_spans(f[0], sent_quotes)][:1]
        if trig.category == "assault" and len({c for _, c in found}) == 1:
            # "Russian forces captured the Chernobyl nuclear site": the country of the place
            # attacked is the target
            agent = found[0][1]
            found = (
                found
                + [
                    f
                    for f in gaz.places_in(norm, h.clause[0], h.clause[1])
                    if f[1] != agent and not _in_spans(f[0], sent_quotes)
                ][:1]
            )
        actors = tuple(sorted({code for _, code in found}))
        if not actors:
            continue
        if trig.mode == "visit" and len(actors) == 1 and any(pos < h.start for pos, _ in found):
            # "Putin was in Moscow on Monday": at home, no visit
            dest = gaz.actors_in(norm, h.end, min(h.end + 25, h.clause[1]), day)
            if dest and dest[0][1] == actors[0]:
                continue
        # the subject before the trigger acts, unless the trigger only names the occasion of
        # another act ("released a statement after the talks on Wednesday")
        subject = min((f for f in found if f[0] < h.start), default=None)
        if subject is not None and _OCCASION.search(norm, max(h.clause[0], h.start - 40), h.start):
            subject = None
        if id(h) in carried and not _PRONOUN_SPEAKER.search(norm, max(s0, h.start - 8), h.start):
            # (a pronoun speaker, "Russia, he said, ...", is the sentence before's)
            speakers = {c for pos, c in found if pos < h.start} or set(actors)
            if not speakers & carried[id(h)]:
                continue
        groups = [actors]
        if (
            trig.category == "consult"
            and len(actors) >= 3
            and _SEPARATE.search(norm, h.clause[0], h.clause[1])
        ):
            # "separate phone calls with Biden and Macron": one event per counterpart
            agent = min(found)[1]
            groups = [tuple(sorted({agent, c})) for c in actors if c != agent]
        elif trig.category in _PER_AGENT and len(actors) >= 2:
            # "Germany froze Nord Stream 2, and the United States, Britain and the European Union
            # announced sanctions on Russian banks": one sanction per agent, each with the target
            agents = _agent_list(norm, found, h)
            if len(agents) >= 2:
                targets = tuple(c for c in actors if c not in agents)
                groups = [tuple(sorted({a, *targets})) for a in agents]
        elif trig.mode == "visit" and len(actors) >= 3:
            # "plans to travel to Kyiv and Moscow next week": one visit per destination (two
            # visits, which other articles report apart)
            two = _TWO_PLACES.match(norm, h.end)
            dest = (
                {c for pos, c in found if pos in (two.start(1), two.start(2))}
                if two is not None
                else set()
            )
            if len(dest) == 2:
                rest = tuple(c for c in actors if c not in dest)
                groups = [tuple(sorted((*rest, d))) for d in sorted(dest)]
        elif trig.category == "consult" and _PLURAL_MEETING.search(norm, h.start, h.end):
            # "a trio of Nato, G7 and EU summits", "G7 and EU leaders are holding meetings":
            # one meeting per body, each with the other (non-body) participants
            bodies = [c for c in actors if c in gaz.bodies]
            if len(bodies) >= 2:
                others = tuple(c for c in actors if c not in gaz.bodies)
                groups = [tuple(sorted((b, *others))) for b in bodies]
        clause_text = norm[h.clause[0] : h.clause[1]]
        direction = (
            trig.direction
            if trig is _DOUBT
            else _direction(trig, clause_text, actors, lex, gaz.sides)
        )
        conf = 0.45
        conf += 0.2 if tx.precision == "day" else 0.05
        conf += 0.15 if h.owns else 0.05
        conf += 0.1 if len(actors) >= 2 else 0.0
        conf += 0.05 if mod in ("occurred", "announced") else 0.0
        mentions.extend(
            Mention(
                article_id=article.id,
                published=article.published,
                start=s0,
                end=s1,
                trigger_start=h.start,
                trigger_end=h.end,
                trigger=trig.name,
                category=trig.category,
                mode=trig.mode,
                goldstein=trig.goldstein,
                direction=direction,
                modality=mod,
                date=day,
                date_end=tx.date_end,
                precision=tx.precision,
                actors=group,
                sentence=article.text[s0:s1],
                timex=tx.text,
                confidence=round(min(conf, 0.95), 3),
                agent=subject[1] if subject is not None else "",
                person=_subject_person(norm, gaz, found, subject, h.start),
            )
            for group in groups
        )
    # one mention per (category, date, actors) in a sentence: triggers of one category on one
    # date with compatible actors are one event ("met ... for talks"); the higher priority wins
    prio = lex.priorities()
    merged: list[Mention] = []
    for m in mentions:
        bodies = gaz.bodies.intersection(m.actors)
        if m.category == "consult" and len(bodies) >= 2:
            # meetings already split one per body ("a trio of Nato, G7 and EU summits ... the
            # EU summit"): the mention naming several of them adds nothing
            single = {
                b
                for cur in merged
                if cur.category == m.category and cur.date == m.date
                for b in gaz.bodies.intersection(cur.actors)
                if len(gaz.bodies.intersection(cur.actors)) == 1
            }
            if bodies <= single:
                continue
        for j, cur in enumerate(merged):
            if (
                cur.category == m.category
                and cur.date == m.date
                and _compatible_actors(cur.actors, m.actors)
                and not _other_body_meeting(cur, m, gaz.bodies)
                # each dated by its own words: two acts ("drills due to finish on Feb. 20 and
                # exercises scheduled to wrap up on Sunday")
                and cur.timex == m.timex
            ):
                merged[j] = (
                    _merge_actors(m, cur)
                    if prio[m.trigger] > prio[cur.trigger]
                    else _merge_actors(cur, m)
                )
                break
        else:
            merged.append(m)
    return sorted(merged, key=lambda m: m.trigger_start)


# a word a day-precise date needs (the cheap test before resolving a paragraph's dates)
_MONTHS3 = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATE_WORD = re.compile(
    rf"\d (?:{_MONTHS3}|{_MONTHS3.upper()})|"
    # (also a capitalised heading's: "DEC. 21 - Putin says ...")
    rf"\b(?:(?:{_MONTHS3})[a-z]*|(?:{_MONTHS3.upper()})[A-Z]*)\.? \d"
)


def _has_day_word(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` has a word a day-precise date needs: a weekday, "today",
    "yesterday", "tonight", "this morning/afternoon/evening", or a day and month (substring
    tests first: a regex alternation tried at every character is slow)."""
    chunk = text[start:end]
    return (
        "day" in chunk
        or "night" in chunk
        or "morning" in chunk
        or "afternoon" in chunk
        or "evening" in chunk
        or _DATE_WORD.search(chunk) is not None
    )


# a dated heading: a short paragraph that is one explicit day date and at most a few words of
# label ("13 January", "Monday 24 January", "Day four - 28 February", "24 February:"); in a
# timeline it dates the undated entries under it, for up to HEADING_SCOPE paragraphs
HEADING_MAX_CHARS = 40
HEADING_MAX_WORDS = 3
HEADING_SCOPE = 3
_CLOCK = re.compile(r"\d[.:]\d\d")  # a live-blog time stamp: a dateline, not a heading
_BULLET_ITEM = re.compile(rf"\s*[{re.escape(BULLETS)}]\s")  # "- The council met ..."


def _dated_heading(
    par: str, published: dt.date, find_timexes: Callable[[str, dt.date], Sequence[_TimexLike]]
) -> _TimexLike | None:
    """The date a paragraph gives as a heading (see :data:`HEADING_MAX_CHARS`), else None: the
    paragraph is one explicit day-precision date within a year of publication, with at most
    :data:`HEADING_MAX_WORDS` other words, no sentence end and no clock time."""
    head = par.strip()
    if len(head) > HEADING_MAX_CHARS or not head or head[-1] in ".!?\"'”":
        return None
    if _CLOCK.search(head) or not _has_day_word(head.title(), 0, len(head)):  # "MONDAY, JAN. 10"
        return None
    got = list(find_timexes(par, published))
    if len(got) != 1:
        return None
    t = got[0]
    if t.precision != "day" or getattr(t, "kind", "explicit") != "explicit":
        return None
    if not _usable(t, published):
        return None
    rest = (par[: t.start] + " " + par[t.end :]).strip(" :,-–—")
    return t if len(rest.split()) <= HEADING_MAX_WORDS else None


class _Headings:
    """The dated heading in force, paragraph by paragraph (:func:`_dated_heading`): shared by
    the rules (:func:`code_article`) and the learned pass's candidates."""

    def __init__(
        self, published: dt.date, find_timexes: Callable[[str, dt.date], Sequence[_TimexLike]]
    ) -> None:
        self.published, self.find_timexes = published, find_timexes
        self.heading: _TimexLike | None = None
        self.offset = 0  # article offset of the heading's paragraph (its timex is relative to it)
        self.left = 0  # paragraphs the heading still dates

    def step(self, par: str, p0: int = 0) -> tuple[bool, _TimexLike | None]:
        """For the next paragraph (at article offset ``p0``): whether it is a heading itself (it
        codes nothing), and the heading that dates its undated sentences (None: none in
        force)."""
        if len(par) <= HEADING_MAX_CHARS + 10:  # cheap test before resolving its dates
            got = _dated_heading(par, self.published, self.find_timexes)
            if got is not None:
                self.heading, self.offset, self.left = got, p0, HEADING_SCOPE
                return True, None
        under = self.heading if self.left > 0 else None
        if not _BULLET_ITEM.match(par):  # the items of a list under it are all its own
            self.left -= 1
        return False, under


# the report verbs as plain words (a substring test before any regex)
# the speaker of a report verb is named within this many characters of it
_SPEAKER_CHARS = 60
# an official speaker not named by the gazetteer: "the justice ministry said", "officials told"
_OFFICIAL_SPEAKER = re.compile(
    r"\b(?:ministry|government|spokes(?:wo)?man|spokesperson|embassy|presidency|cabinet|"
    r"general staff|armed forces|military|officials?|diplomats?)\b",
    re.IGNORECASE,
)
# a closing attribution: '..., Erdogan told a news conference on Monday', '"...," Biden said'
_CLOSING = re.compile(r"(?:,|,\"|\")\s+(?:[\w'.-]+\s+){0,6}\Z")


def _statement(
    norm: str,
    r: _Hit,
    s0: int,
    s1: int,
    sent_quotes: Sequence[tuple[int, int]],
    raw_hits: Sequence[tuple[int, int, Trigger]],
    lex: Lexicon,
    quoted: bool = True,
) -> Trigger | None:
    """The speech act a dated report verb makes when no trigger of its sentence reports one.

    What is said runs before a closing attribution ('"We are not going to send ...," Biden told
    reporters on Monday') or after a leading verb ("The Kremlin said on Thursday it was well
    aware that ..."). A speech-act trigger quoted there types it (the speaker's own words:
    "we are not going to send ... rocket systems" is a refusal); else the first ``[[statement]]``
    rule of the lexicon whose cue occurs in it ("would become a hatchery for terrorists" is an
    accusation); else ``None``. Without ``quoted``, quoted speech types nothing but a doubted
    pullback.
    """
    # what comes before a closing attribution, then what follows the verb (an apposition can
    # look like a closing one: "Medvedev, a senior member of Russia's security council, said on
    # Thursday that ...")
    spans = [(s0, r.start), (r.end, s1)] if _CLOSING.search(norm, s0, r.start) else [(r.end, s1)]
    for c0, c1 in spans:
        for a, b, trig in raw_hits:
            if quoted and trig.speech and c0 <= a < c1 and _in_spans(a, sent_quotes):
                return trig.refined(norm[b:c1])
        for rule, cue in lex.statements:
            for m in cue.finditer(norm, c0, c1):
                if (
                    not quoted
                    and _in_spans(m.start(), sent_quotes)
                    and not _PULLBACK_WORD.search(m.group())
                ):
                    continue
                # "said he did not believe Russia would respond": no threat is made
                if not lex.negated_before.search(_last_words(norm[c0 : m.start()], 5)):
                    return rule
    return None


def _report_covers(
    norm: str,
    r: _Hit,
    h: _Hit,
    s1: int,
    reports: Sequence[_Hit],
    clauses: Sequence[tuple[int, int]],
) -> bool:
    """A dated report verb of another clause reports the trigger ``h``: the sentence's closing
    attribution ("Russia attacked ... troops, and ammunition depots, the Russian defence
    ministry said on Sunday.") or a leading report whose complement runs over several clauses
    ("X said on Monday that ..., and ..."). Only across clauses that continue a list ("and"),
    never into an adverbial, contrastive or relative clause, which tells another moment, a
    hope or another party, nor past another report verb."""
    if _ADVERBIAL.match(norm, h.clause[0]) or _RELATIVE.match(norm, h.clause[0]):
        return False
    lo, hi = (h.end, r.start) if r.start > h.start else (r.end, h.start)
    if any(lo <= o.start < hi for o in reports if o is not r):
        return False
    first, last = sorted((h.clause[0], r.clause[0]))
    if not all(
        _CONTINUATION.match(norm, c[0]) or _BUT_PREDICATE.match(norm, c[0])
        for c in clauses
        if first < c[0] <= last
    ):
        return False
    if r.start > h.start:
        rest = norm[r.clause[1] : s1].strip(" .\"')")
        return not rest and _ATTRIBUTION.search(norm, h.end, r.start) is not None
    return r.clause[0] < h.clause[0] and _COMPLEMENT.search(norm, r.end, h.start) is not None


def _other_body_meeting(a: Mention, b: Mention, bodies: frozenset[str]) -> bool:
    """Two meetings of one day held by different bodies (the G7 summit, the EU summit)."""
    if a.category != "consult":
        return False
    ba, bb = bodies.intersection(a.actors), bodies.intersection(b.actors)
    return bool(ba and bb and ba != bb and (len(ba) == 1 or len(bb) == 1))


def _agent_list(norm: str, found: Sequence[tuple[int, str]], h: _Hit) -> list[str]:
    """The codes of a coordinated list of actors that takes the act, in text order, [] when
    there is none: right before the trigger ("the United States, Britain and the European Union
    announced ..."), else after it as where the act comes from ("a first wave of sanctions came
    on Tuesday from the US, the EU, the UK and Canada")."""
    before = sorted({(pos, c) for pos, c in found if h.clause[0] <= pos < h.start})
    after = sorted({(pos, c) for pos, c in found if h.end <= pos < h.clause[1]})
    if len(before) >= 2 and _AGENT_LAST.fullmatch(norm, before[-1][0], h.start):
        chain = _coordinated(norm, before[::-1])
    elif len(after) >= 2 and _FROM_FIRST.fullmatch(norm, h.end, after[0][0]):
        chain = _coordinated(norm, after)
    else:
        return []
    codes = list(dict.fromkeys(c for _, c in sorted(chain)))
    return codes if len(codes) >= 2 else []


def _coordinated(norm: str, names: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """The run of ``names`` (``(offset, code)``, from the one next to the act outwards) each
    joined to the next by a list separator (``_AGENT_SEP``: "A, B and C")."""
    chain = [names[0]]
    for nxt in names[1:]:
        a, b = sorted((chain[-1][0], nxt[0]))
        if not _AGENT_SEP.fullmatch(norm, a, b):
            break
        chain.append(nxt)
    return chain


def _compatible_actors(a: Sequence[str], b: Sequence[str]) -> bool:
    sa, sb = set(a), set(b)
    return len(sa & sb) >= min(2, len(sa), len(sb))


_DOUBT = Trigger(
    name="accuse.doubt",
    category="accuse",
    mode="accusation",
    goldstein=-2.0,
    direction="escalation",
    same_side=None,
    priority=68,
    speech=True,
    context=None,
    not_context=None,
)


_LIST_SEP = re.compile(r",\s+|\s+(?:and|or|as well as)\s+")


_REPORT = Trigger(
    name="report",
    category="report",
    mode="",
    goldstein=0.0,
    direction="neutral",
    same_side=None,
    priority=0,
    speech=True,
    context=None,
    not_context=None,
)


def _cut(norm: str, first: _Hit, second: _Hit) -> int:
    """Offset separating the material (actors) of two consecutive triggers of one clause.

    The second trigger's own date when it comes before it ("... and on January 10th
    Stoltenberg welcomed"), else the last list separator between them ("a Nato summit, a G7
    summit and an EU summit"), else -1 (no cut: one event told by two triggers).
    """
    if (
        second.timex is not None
        and second.timex is not first.timex
        and first.end <= second.timex[0] < second.start
    ):
        return second.timex[0]
    seps = list(_LIST_SEP.finditer(norm, first.end, second.start))
    if seps:
        return seps[-1].start()
    return -1  # nothing between them: they share their actors ("attend the Nato summit")


def _complement(spans: Sequence[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cur = lo
    for a, b in sorted(spans):
        if a > cur:
            out.append((cur, min(a, hi)))
        cur = max(cur, b)
    if cur < hi:
        out.append((cur, hi))
    return out


def _merge_actors(keep: Mention, other: Mention) -> Mention:
    from dataclasses import replace

    actors = tuple(sorted(set(keep.actors) | set(other.actors)))
    return replace(keep, actors=actors)
