"""Dated headings: a timeline's short date paragraphs ("13 January") date the undated entries
under them. Expectations annotated by reading the hand-written timeline below (published
Friday 25 February 2022)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from test_coding import _article

from eventstudy.extract import extract_events, extract_mentions
from eventstudy.extract.coding import HEADING_SCOPE, _dated_heading
from eventstudy.extract.timex import find_timexes

PUBLISHED = dt.date(2022, 2, 25)
TIMELINE = """Here are the key events of the past weeks.

10 January: US and Russian officials hold talks in Geneva on security guarantees.

13 January

Russia and the OSCE held talks in Vienna.

Monday 24 January

Nato puts forces on standby. The US puts 8,500 troops on heightened alert.

21 February

On 20 February Macron and Putin held talks by phone.

Putin recognises the independence of the two breakaway regions in eastern Ukraine.

Day one - 24 February

Russia launches a full-scale invasion of Ukraine."""

# (date, category, an actor the event must have), read off the text
EXPECTED = {
    ("2022-01-10", "consult", "USA"),  # dated in its own line, as before
    ("2022-01-13", "consult", "OSCE"),  # under "13 January"
    ("2022-01-24", "mobilize", "USA"),  # second sentence of the entry under "Monday 24 January"
    ("2022-02-20", "consult", "FRA"),  # its own date wins over the heading's
    ("2022-02-21", "support", "RUS"),  # the second paragraph under "21 February"
    ("2022-02-24", "assault", "RUS"),  # a labelled heading: "Day one - 24 February"
}


def _found(catalog: pd.DataFrame) -> set[tuple[str, str, str]]:
    out = set()
    for r in catalog.itertuples():
        for actor in r.actors.split(";"):
            out.add((r.date.strftime("%Y-%m-%d"), r.category, actor))
    return out


def test_dated_headings_date_the_entries_under_them() -> None:
    art = _article(TIMELINE, PUBLISHED)
    for learned in (False, True):
        catalog = extract_events([art], learned=learned)
        assert _found(catalog) >= EXPECTED, (learned, catalog[["date", "category", "actors"]])
        # nothing is dated on a heading's day that the text does not put there
        assert set(catalog["date"].dt.strftime("%Y-%m-%d")) <= {d for d, _, _ in EXPECTED}
    # the evidence is the entry's sentence, the date the heading's expression
    mentions = {m.sentence: m for m in extract_mentions([art])}
    osce = mentions["Russia and the OSCE held talks in Vienna."]
    assert (osce.date, osce.timex) == (dt.date(2022, 1, 13), "13 January")


def test_heading_scope_ends_after_a_few_paragraphs() -> None:
    """The heading dates the next HEADING_SCOPE paragraphs only: an undated act further down
    is not given its day."""
    filler = "\n\n".join(f"Filler paragraph number {i} says nothing." for i in range(HEADING_SCOPE))
    text = f"13 January\n\n{filler}\n\nRussia and the OSCE held talks in Vienna."
    assert extract_events([_article(text, PUBLISHED)], learned=False).empty


def test_what_is_not_a_heading() -> None:
    resolve = find_timexes
    assert _dated_heading("Monday 24 January", PUBLISHED, resolve) is not None
    assert _dated_heading("Day one - 24 February:", PUBLISHED, resolve) is not None
    assert _dated_heading("24 February 10.45", PUBLISHED, resolve) is None  # a dateline stamp
    assert _dated_heading("On Monday", PUBLISHED, resolve) is None  # not an explicit date
    assert _dated_heading("February", PUBLISHED, resolve) is None  # not a day
    assert _dated_heading("Talks in Geneva end on 10 January.", PUBLISHED, resolve) is None
    assert _dated_heading("24 February 2014", PUBLISHED, resolve) is None  # history
    assert _dated_heading("The week that shook Europe: 24 February", PUBLISHED, resolve) is None


# a factbox of the week (published Friday 14 January 2022): headings in capitals, and a list
# of bulleted entries under each, longer than the scope of a heading
FACTBOX = """The following are the main developments of the week.

MONDAY, JAN. 10

- Russian and US diplomats held talks in Geneva.

TUESDAY, JAN. 11

- Peskov said nothing new.

- Kuleba said nothing new.

- Lavrov said nothing new.

- Russia began military drills near the border with Ukraine."""


def test_capitalised_headings_date_all_their_bulleted_entries() -> None:
    """'MONDAY, JAN. 10' is a heading as 'Monday, Jan. 10' is; a bulleted list under a heading
    is its own however long (the drills are the fourth item, past HEADING_SCOPE)."""
    assert HEADING_SCOPE < 4
    art = _article(FACTBOX, dt.date(2022, 1, 14))
    assert _dated_heading("MONDAY, JAN. 10", dt.date(2022, 1, 14), find_timexes) is not None
    for learned in (False, True):
        got = _found(extract_events([art], learned=learned))
        assert {("2022-01-10", "consult", "USA"), ("2022-01-11", "mobilize", "RUS")} <= got


def test_heading_scope_counts_paragraphs_that_are_not_bullets() -> None:
    """Plain paragraphs after the list still end the heading's scope."""
    filler = "\n\n".join(f"Filler paragraph number {i} says nothing." for i in range(HEADING_SCOPE))
    entries = f"- The ministers met.\n\n{filler}"
    text = f"13 January\n\n{entries}\n\nRussia and the OSCE held talks in Vienna."
    assert extract_events([_article(text, PUBLISHED)], learned=False).empty
