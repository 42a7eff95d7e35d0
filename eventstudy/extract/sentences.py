"""Sentence, clause and quotation spans of news text, with character offsets kept exact.

Every function returns ``(start, end)`` spans into the string it was given, so evidence can point
at the characters of ``Article.text`` an event came from. Text is first mapped with
:func:`normalize`, a one-to-one character translation (curly quotes and apostrophes to ASCII,
dashes to ``-``, non-breaking and other unusual spaces to `` ``), so offsets never shift.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "BULLETS",
    "LABEL_BULLETS",
    "LABEL_CLOSE",
    "LABEL_SEPARATOR",
    "clause_spans",
    "normalize",
    "quote_spans",
    "sentence_spans",
]

# what follows a date that labels the text after it, in a timeline or a week-ahead list:
# "THURSDAY: ...", "Feb. 10 -- ..." (read by the date resolver and by the coder)
LABEL_SEPARATOR = re.compile(r"\s*(?::|-{1,2}|\u2013|\u2014)\s")
# a label that opens its paragraph as a sentence of its own, in a diary or a dated list: a full
# stop right after the date ("MONDAY. The talks began ..."), or after a comma and a place of up
# to three capitalised words ("Wednesday 12 January, Brussels. The council met ...")
LABEL_CLOSE = re.compile(r"(?:,[ \t]*(?:[A-Z][\w'-]*[ \t]+){0,2}[A-Z][\w'-]*)?\.\s")
# the marks that open a list item: "• ...", "* ...", "- ...", "– ...", "— ..."
BULLETS = "\u2022\u00b7*-\u2013\u2014"
# what may stand before a paragraph's label: a list's bullet
LABEL_BULLETS = " \t\"'" + BULLETS

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u3000": " ",
        "\u200b": " ",
        "\ufeff": " ",
        "\u00ad": "-",
        "\t": " ",
        "\u2026": ".",
    }
)


# the same mapping as (character, replacement) pairs: ``str.replace`` of the few characters
# present is ~20x faster than ``str.translate`` with a dict table on non-ASCII text
_REPLACEMENTS = tuple((chr(k), v) for k, v in _TRANSLATE.items())


def normalize(text: str) -> str:
    """Map typographic characters to ASCII one-for-one (same length, same offsets)."""
    for src, dst in _REPLACEMENTS:
        if src in text:
            text = text.replace(src, dst)
    return text


# Tokens that end with a period without ending a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "adm",
        "sen",
        "rep",
        "gov",
        "prof",
        "rev",
        "messrs",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vs",
        "approx",
        "est",
        "dept",
        "inc",
        "co",
        "corp",
        "ltd",
        "jr",
        "sr",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "i.e",
        "e.g",
        "cf",
        "fig",
        "al",
        "ft",
        "mt",
        "pres",
        "gov't",
    ]
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace, then a
# character that can start a sentence. Also hard boundaries: newlines, glued "Read more" links,
# and live-blog timestamps glued to a headline ("01.15Russia ...").
_BOUNDARY = re.compile(
    # every alternative starts with one of these characters: a cheap test at each position
    r"""(?=[.!?\nRUS(0-9\u2013-])"""
    r"""(?:(?P<end>[.!?]+["')\]]*)(?P<gap>\s+)(?=["'(\[]?[A-Z0-9])"""
    r"""|(?P<nl>\n\s*)"""
    # live-blog furniture, dropped from every sentence: "Read more", "Updated at 07.39 GMT",
    # "4 Mar 202205.27", "1h ago08.13", glued times "22.38Zelenskiy"
    r"""|(?P<stamp>Read more\b\s*|Updated at \d{1,2}[.:]\d{2}(?: [A-Z]{2,4})?(?: \d+h ago)?\s*"""
    r"""|\b\d{1,2} [A-Z][a-z]{2} \d{4}(?:\d{1,2}[.:]\d{2})?\s*(?=\d|[A-Z"'])"""
    r"""|\b\d+h ago\s*|\b\d{1,2}[.:]\d{2}(?=[A-Z'"])"""
    # the end of a glued video caption: "... in Sievierodonetsk – video Ukraine's president"
    r"""|[\u2013-] video\s+(?=[A-Z])"""
    # a newsletter promotion glued to the next sentence: "Sign up to First Edition, our free
    # daily newsletter - every weekday morning at 7am BST Justifying the ..."
    r"""|Sign up to [^.]{0,120}?\bat \d{1,2}(?:[.:]\d{2})?\s?[ap]m(?: [A-Z]{2,4})?\s+)"""
    # a tweet's signature ends its text: "(@JustinTrudeau) March 4, 2022"
    r"""|\(@(?P<tweet>\w+\)\s+[A-Z][a-z]+ \d{1,2}, \d{4})"""
    # a full stop glued to the next sentence: "Thank you for reading.Russia ...", also after a
    # closing quote: "... six months ago."In February, ..."
    r"""|(?P<glued>[.!?]["')\]]*)(?=[A-Z][a-z]))"""
)
_TWO_LOWER = re.compile(r"[a-z]{2}")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.']*)$")
# an initial, also the last of a run of them: "J. Austin", "T.S. Tirumurti"
_INITIAL = re.compile(r"(?:^|[\s(]|(?<=[\s(][A-Z])\.)[A-Z]$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]`` (offsets into ``text``).

    Splits after ``.``/``!``/``?`` (and closing quotes) followed by whitespace and a capital,
    digit or opening quote, unless the period ends a known abbreviation ("Mr.", "Feb.", "U.S.")
    or an initial ("J. Austin"); also at newlines, glued "Read more" links and live-blog
    timestamps. Leading and trailing whitespace is trimmed from each span; empty spans dropped.
    (The rules and the learned pass split the same paragraphs: the last splits are kept.)
    """
    return list(_sentence_spans(text, start, len(text) if end is None else end))


@lru_cache(maxsize=2048)
def _sentence_spans(text: str, start: int, stop: int) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _BOUNDARY.finditer(text, start, stop):
        if m.group("end") is not None:
            punct = m.group("end")
            if punct.startswith(".") and len(punct.rstrip("\"')]")) == 1:
                before = text[max(cur, m.start() - 12) : m.start()]
                w = _WORD_BEFORE.search(before)
                if w and (w.group(1).lower() in _ABBREVIATIONS or _INITIAL.search(before)):
                    continue
            cut, nxt = m.start("gap"), m.end()
        elif m.group("glued") is not None:
            # "reading.Russia": only after a lower-case word, not "U.S.Army" or "p.m.The"
            if not _TWO_LOWER.fullmatch(text, max(start, m.start() - 2), m.start()):
                continue
            cut = nxt = m.end()
        elif m.group("tweet") is not None:
            cut = nxt = m.end()
        else:
            cut, nxt = m.start(), m.end()
        _push(text, spans, cur, cut)
        cur = nxt
    _push(text, spans, cur, stop)
    return tuple(spans)


def _push(text: str, spans: list[tuple[int, int]], a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


# Clause boundaries inside a sentence: semicolons, spaced dashes, and a comma (or none) before a
# subordinating or coordinating word that starts a new predication.
_CLAUSE = re.compile(
    r";\s*|\s+-{1,2}\s+|:\s+(?=[\"'A-Z])"
    r"|,?\s+(?=(?:while|whereas|although|though|but|because|after|before|when|as well as|"
    r"even as|saying|adding|which|who|where|amid|despite|following|ahead of|during|since)\b)"
    # (not a time of day: "launched an attack before dawn on Thursday", "shortly after midnight",
    # "just after 5am on Thursday")
    r"(?!(?:after|before|since|during|following|until)\s+(?:(?:dawn|daybreak|sunrise|sunset|dusk|"
    r"nightfall|midnight|noon|midday|lunch|lunchtime|breakfast|dinner)\b|\d{1,2}(?:[:.]\d\d)?"
    r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|local time\b|o'clock\b)|\d{1,2}[:.]\d\d\b))"
    r"|,\s+(?=(?:and|as|since|so)\s)"
    r"|\s+and\s+(?=(?:he|she|they|it|we|(?:the )?[A-Z]\w+ "
    r"(?:said|says|has|had|was|is|will|would))\b)"
)


# a clause so far made of capitalised words only (names and titles: "President Joe Biden"), or
# such words after "that" ("said on Friday that Biden and Putin would speak ...")
_NAMES_ONLY = re.compile(r"(?:\A\s*|\bthat\s+)(?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*\s*\Z")


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split the sentence ``text[start:end]`` into clause spans (offsets into ``text``)."""
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _CLAUSE.finditer(text, start, end):
        if m.group().strip() == "and" and _NAMES_ONLY.search(text[cur : m.start()]):
            continue  # "Biden and Putin will speak ...": one subject of two names, one clause
        if m.start() > cur:
            spans.append((cur, m.start()))
        cur = m.end()
    if end > cur:
        spans.append((cur, end))
    return spans or [(start, end)]


_MAX_QUOTE = 1200
_QUOTE_CHARS = re.compile('["\u201c\u201d\u201e\u00ab\u00bb\n]')


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech in ``text`` (the original, not normalised; marks included).

    Curly quotes say which side they are on: an opening quote while a quote is open starts a new
    one (news text often leaves a quote open across paragraphs), a stray closing quote is
    ignored. Straight quotes toggle. A quote never runs past a newline or 1,200 characters.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _QUOTE_CHARS.finditer(text):
        ch = m.group()
        pos = m.start()
        if open_at is not None and pos - open_at > _MAX_QUOTE:
            spans.append((open_at, open_at + _MAX_QUOTE))
            open_at = None
        if ch == "\n":
            if open_at is not None:
                spans.append((open_at, pos))
                open_at = None
        elif ch in "\u201c\u201e\u00ab":
            if open_at is not None:
                spans.append((open_at, pos))
            open_at = pos
        elif ch in "\u201d\u00bb":
            if open_at is not None:
                spans.append((open_at, pos + 1))
                open_at = None
        elif open_at is None:
            open_at = pos
        else:
            spans.append((open_at, pos + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, min(len(text), open_at + _MAX_QUOTE)))
    return spans
