"""Temporal expressions: every expected date below was worked out by reading the sentence with a
calendar (2022-02-16 is a Wednesday), not taken from the resolver's output.

Sentences marked "seed" are quoted from the repository's seeds; the others are written for these
tests, paraphrasing constructions seen in news reports (no third-party text is copied).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventstudy.errors import DataFileError
from eventstudy.extract.timex import (
    KINDS,
    PRECISIONS,
    TENSES,
    Timex,
    TimexInputError,
    clause_tense,
    find_timexes,
    load_lexicon,
)

D = dt.date.fromisoformat
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _one(text: str, published: str, expr: str, nth: int = 0) -> Timex:
    """The ``nth`` expression whose text is ``expr``."""
    found = [t for t in find_timexes(text, D(published)) if t.text == expr]
    assert len(found) > nth, f"{expr!r} not found in {find_timexes(text, D(published))}"
    return found[nth]


def _check_invariants(text: str, timexes: list[Timex]) -> None:
    starts = [t.start for t in timexes]
    assert starts == sorted(starts)
    for t in timexes:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.date <= t.date_end
        assert t.precision in PRECISIONS and t.kind in KINDS and t.tense in TENSES
        if t.precision == "day":
            assert t.date == t.date_end


# ---------------------------------------------------------------------------------------------
# Single expressions: (published, sentence, expression, expected start, expected end, precision)

CASES = [
    # --- explicit dates, year inferred ---------------------------------------------------------
    pytest.param(
        "2022-02-15",
        "Russia is continuing its largest drills in years in neighboring Belarus that are due to "
        "finish on Feb. 20 and is conducting naval exercises",
        "Feb. 20",
        "2022-02-20",
        None,
        "day",
        id="seed-due-to-finish-feb-20",
    ),
    pytest.param(
        "2022-01-15",
        "On January 10th American diplomats met Russian ones in Geneva.",
        "January 10th",
        "2022-01-10",
        None,
        "day",
        id="seed-january-10th",
    ),
    pytest.param(
        "2022-03-01",
        "Jan 15th 2022",
        "Jan 15th 2022",
        "2022-01-15",
        None,
        "day",
        id="jan-15th-2022",
    ),
    pytest.param(
        "2022-02-23",
        "A reader replies to an opinion column (Letters, 20 February).",
        "20 February",
        "2022-02-20",
        None,
        "day",
        id="20-february",
    ),
    pytest.param(
        "2022-06-22",
        "Helsinki fears an invasion like the one Ukraine suffered on 24 February.",
        "24 February",
        "2022-02-24",
        None,
        "day",
        id="on-24-february-months-later",
    ),
    pytest.param(
        "2022-03-04",
        "The agency posted its statement on March 4, 2022 at dawn.",
        "March 4, 2022",
        "2022-03-04",
        None,
        "day",
        id="february-24-comma-2022",
    ),
    pytest.param(
        "2022-03-15",
        "The secretary general spoke on the 4th of March in Brussels.",
        "4th of March",
        "2022-03-04",
        None,
        "day",
        id="4th-of-march",
    ),
    pytest.param(
        "2022-01-05",
        "On December 28th the negotiators met in Geneva.",
        "December 28th",
        "2021-12-28",
        None,
        "day",
        id="december-in-january-previous-year",
    ),
    pytest.param(
        "2022-06-15",
        "The talks were held on December 10 in Vienna.",
        "December 10",
        "2021-12-10",
        None,
        "day",
        id="half-a-year-away-past-tense",
    ),
    pytest.param(
        "2022-06-15",
        "The talks will be held on December 10 in Vienna.",
        "December 10",
        "2022-12-10",
        None,
        "day",
        id="half-a-year-away-future-tense",
    ),
    pytest.param(
        "2023-01-10",
        "The invasion began on Thursday 24 February.",
        "Thursday 24 February",
        "2022-02-24",
        None,
        "day",
        id="weekday-picks-the-year",
    ),
    pytest.param(
        "2022-03-09",
        "Leaders meet in Versailles on 10-11 March.",
        "10-11 March",
        "2022-03-10",
        "2022-03-11",
        "approximate",
        id="day-range",
    ),
    pytest.param(
        "2022-03-01", "Filed 24/02/2022.", "24/02/2022", "2022-02-24", None, "day", id="dd-mm-yyyy"
    ),
    pytest.param(
        "2022-03-01", "Filed 02/24/2022.", "02/24/2022", "2022-02-24", None, "day", id="mm-dd-yyyy"
    ),
    pytest.param(
        "2022-03-01", "Filed 24.02.2022.", "24.02.2022", "2022-02-24", None, "day", id="dotted"
    ),
    pytest.param(
        "2022-03-01", "Filed 2022-02-24.", "2022-02-24", "2022-02-24", None, "day", id="iso"
    ),
    pytest.param(
        "2022-02-03",
        "Feb. 3: What you need to know today",
        "Feb. 3",
        "2022-02-03",
        None,
        "day",
        id="seed-header-line",
    ),
    # --- month-level ---------------------------------------------------------------------------
    pytest.param(
        "2022-01-20",
        "Diplomats expect a decision by mid-February at the latest.",
        "mid-February",
        "2022-02-11",
        "2022-02-20",
        "approximate",
        id="mid-february",
    ),
    pytest.param(
        "2022-04-06",
        "A clearer picture may not emerge until the end of April.",
        "the end of April",
        "2022-04-21",
        "2022-04-30",
        "approximate",
        id="end-of-april",
    ),
    pytest.param(
        "2022-06-30",
        "The alliance was transformed by the invasion of Ukraine in February.",
        "February",
        "2022-02-01",
        "2022-02-28",
        "month",
        id="in-february",
    ),
    pytest.param(
        "2022-01-15",
        "Troops began arriving in January.",
        "January",
        "2022-01-01",
        "2022-01-31",
        "month",
        id="in-january-current-month",
    ),
    pytest.param(
        "2022-04-20",
        "The holiday was taken in December 2019.",
        "December 2019",
        "2019-12-01",
        "2019-12-31",
        "month",
        id="month-and-year",
    ),
    pytest.param(
        "2022-06-30",
        "Earlier this month, the prime minister asked for more troops.",
        "Earlier this month",
        "2022-06-01",
        "2022-06-30",
        "month",
        id="earlier-this-month",
    ),
    pytest.param(
        "2022-04-03",
        "The IMF warned last month that the war would cause damage.",
        "last month",
        "2022-03-01",
        "2022-03-31",
        "month",
        id="last-month",
    ),
    pytest.param(
        "2022-12-10",
        "Ministers will meet again next month.",
        "next month",
        "2023-01-01",
        "2023-01-31",
        "month",
        id="next-month-across-year",
    ),
    # --- weekdays ------------------------------------------------------------------------------
    pytest.param(
        "2022-02-16",
        "“They remain massed,” U.S. Secretary of State Antony Blinken told MSNBC Wednesday.",
        "Wednesday",
        "2022-02-16",
        None,
        "day",
        id="seed-told-msnbc-wednesday-own-weekday",
    ),
    pytest.param(
        "2022-02-16",
        "A cyber attack on Ukraine Tuesday from as-yet unidentified sources that’s become the "
        "longest Kyiv has experienced did nothing to allay those concerns.",
        "Tuesday",
        "2022-02-15",
        None,
        "day",
        id="seed-cyber-attack-tuesday",
    ),
    pytest.param(
        "2022-02-15",
        "is conducting naval exercises in the Black Sea that are scheduled to wrap up on Sunday.",
        "Sunday",
        "2022-02-20",
        None,
        "day",
        id="seed-scheduled-sunday",
    ),
    pytest.param(
        "2022-02-03",
        "The United States announced on Wednesday it would deploy 3,000 more troops.",
        "Wednesday",
        "2022-02-02",
        None,
        "day",
        id="seed-announced-on-wednesday",
    ),
    pytest.param(
        "2022-02-16",
        "Wall Street and Asian markets were also up on Wednesday after fears of a conflict.",
        "Wednesday",
        "2022-02-16",
        None,
        "day",
        id="seed-up-on-wednesday",
    ),
    pytest.param(
        "2022-02-15",
        "Putin had separate phone calls on Saturday with U.S. President Joe Biden.",
        "Saturday",
        "2022-02-12",
        None,
        "day",
        id="seed-calls-on-saturday",
    ),
    pytest.param(
        "2022-02-15",
        "Units will begin returning to their permanent bases Tuesday, a spokesman said.",
        "Tuesday",
        "2022-02-15",
        None,
        "day",
        id="seed-future-own-weekday",
    ),
    pytest.param(
        "2022-02-16",
        "The Russian parliament on Tuesday voted to ask Putin to recognize the regions.",
        "Tuesday",
        "2022-02-15",
        None,
        "day",
        id="seed-cue-after-the-date",
    ),
    pytest.param(
        "2022-02-16",
        "Foreign ministers will meet in person on the sidelines of the conference on Saturday.",
        "Saturday",
        "2022-02-19",
        None,
        "day",
        id="seed-will-meet-on-saturday",
    ),
    pytest.param(
        "2022-02-16",
        "Biden was due to hold a call ahead of an emergency session of EU leaders called for "
        "Thursday.",
        "Thursday",
        "2022-02-17",
        None,
        "day",
        id="seed-called-for-thursday",
    ),
    pytest.param(
        "2022-04-14",
        "The president called for an oil embargo in his nightly address on Wednesday.",
        "Wednesday",
        "2022-04-13",
        None,
        "day",
        id="called-for-is-past-when-not-adjacent",
    ),
    pytest.param(
        "2022-05-13",
        "The report, due to be debated in parliament on Monday, noted that cooperation was deep.",
        "Monday",
        "2022-05-16",
        None,
        "day",
        id="due-to-be-debated-monday",
    ),
    pytest.param(
        "2022-06-23",
        "A food summit is due to be held in Berlin on Friday.",
        "Friday",
        "2022-06-24",
        None,
        "day",
        id="due-to-be-held-friday",
    ),
    pytest.param(
        "2022-05-14",
        "A formal announcement of the application is expected on Sunday.",
        "Sunday",
        "2022-05-15",
        None,
        "day",
        id="expected-on-sunday",
    ),
    pytest.param(
        "2022-03-06",
        "He said his MPs would support the bill's passage through the Commons, which begins on "
        "Monday, but he was frustrated.",
        "Monday",
        "2022-03-07",
        None,
        "day",
        id="present-tense-nearest-monday",
    ),
    pytest.param(
        "2022-04-14",
        "The crew had been evacuated late on Wednesday night after an explosion.",
        "late on Wednesday night",
        "2022-04-13",
        None,
        "day",
        id="late-on-wednesday-night",
    ),
    pytest.param(
        "2022-06-26",
        "The blockade was discussed at Friday’s summit in Brussels.",
        "Friday",
        "2022-06-24",
        None,
        "day",
        id="possessive-weekday",
    ),
    pytest.param(
        "2022-02-16",
        "The ministers met on Monday night in Brussels.",
        "Monday night",
        "2022-02-14",
        None,
        "day",
        id="monday-night",
    ),
    pytest.param(
        "2022-02-14",
        "Earlier on Monday, the chancellor arrived in Kyiv.",
        "Earlier on Monday",
        "2022-02-14",
        None,
        "day",
        id="earlier-on-monday",
    ),
    pytest.param(
        "2022-03-03",
        "The envoy resigned last Tuesday.",
        "last Tuesday",
        "2022-02-22",
        None,
        "day",
        id="last-tuesday-previous-iso-week",
    ),
    pytest.param(
        "2022-03-03",
        "The envoy will return next Monday.",
        "next Monday",
        "2022-03-07",
        None,
        "day",
        id="next-monday",
    ),
    pytest.param(
        "2022-02-14",
        "The vote takes place this Friday.",
        "this Friday",
        "2022-02-18",
        None,
        "day",
        id="this-friday",
    ),
    pytest.param(
        "2022-02-15",
        "Scholz is travelling to Moscow on Thursday.",
        "Thursday",
        "2022-02-17",
        None,
        "day",
        id="progressive-future",
    ),
    # --- deictic and calendar periods ----------------------------------------------------------
    pytest.param(
        "2022-02-16",
        "“We saw signs of hope yesterday,” she said.",
        "yesterday",
        "2022-02-15",
        None,
        "day",
        id="seed-yesterday",
    ),
    pytest.param(
        "2022-02-16", "Talks resume tomorrow.", "tomorrow", "2022-02-17", None, "day", id="tomorrow"
    ),
    pytest.param(
        "2022-02-16", "He speaks tonight.", "tonight", "2022-02-16", None, "day", id="tonight"
    ),
    pytest.param(
        "2022-02-15",
        "Macron traveled to Moscow last week for talks.",
        "last week",
        "2022-02-07",
        "2022-02-13",
        "week",
        id="seed-last-week",
    ),
    pytest.param(
        "2022-02-16",
        "potentially setting up a call of G-7 leaders next week.",
        "next week",
        "2022-02-21",
        "2022-02-27",
        "week",
        id="seed-next-week",
    ),
    pytest.param(
        "2022-02-15",
        "An invasion could take place as soon as this week.",
        "this week",
        "2022-02-14",
        "2022-02-20",
        "week",
        id="seed-this-week",
    ),
    pytest.param(
        "2022-02-16",
        "Blinken is expected to take part in the Munich Security Conference this weekend.",
        "this weekend",
        "2022-02-19",
        "2022-02-20",
        "approximate",
        id="seed-this-weekend",
    ),
    pytest.param(
        "2022-02-20",
        "The conference ends this weekend.",
        "this weekend",
        "2022-02-19",
        "2022-02-20",
        "approximate",
        id="this-weekend-on-a-sunday",
    ),
    pytest.param(
        "2022-07-01",
        "He came back to his flat last weekend.",
        "last weekend",
        "2022-06-25",
        "2022-06-26",
        "approximate",
        id="last-weekend",
    ),
    pytest.param(
        "2022-02-21",
        "Shelling intensified over the weekend.",
        "over the weekend",
        "2022-02-19",
        "2022-02-20",
        "approximate",
        id="over-the-weekend-past",
    ),
    pytest.param(
        "2022-02-16",
        "Ministers will confer over the weekend.",
        "over the weekend",
        "2022-02-19",
        "2022-02-20",
        "approximate",
        id="over-the-weekend-future",
    ),
    pytest.param(
        "2022-07-03",
        "Russian troops have focused on the east in recent weeks.",
        "in recent weeks",
        "2022-06-05",
        "2022-07-03",
        "approximate",
        id="in-recent-weeks",
    ),
    pytest.param(
        "2022-04-28",
        "Depots have been hit in border provinces in recent days.",
        "in recent days",
        "2022-04-21",
        "2022-04-28",
        "approximate",
        id="in-recent-days",
    ),
    # --- relative ------------------------------------------------------------------------------
    pytest.param(
        "2022-01-15",
        "On January 10th American diplomats met Russian ones in Geneva. Two days later the "
        "NATO-Russia Council convened in Brussels.",
        "Two days later",
        "2022-01-12",
        None,
        "day",
        id="seed-two-days-later",
    ),
    pytest.param(
        "2022-02-16",
        "The Kremlin dismissed NATO’s claims. Still, a day earlier Putin made clear that the "
        "order had been given only for a “partial” pullback.",
        "a day earlier",
        "2022-02-15",
        None,
        "day",
        id="seed-a-day-earlier-no-anchor",
    ),
    pytest.param(
        "2022-03-15",
        "The alliance will not send jets, its secretary general said on 4 March. A day later, "
        "the Russian president confirmed the order.",
        "A day later",
        "2022-03-05",
        None,
        "day",
        id="a-day-later-anchored",
    ),
    pytest.param(
        "2022-03-10",
        "The summit opened on 7 March. The next day, the leaders signed a declaration.",
        "The next day",
        "2022-03-08",
        None,
        "day",
        id="the-next-day",
    ),
    pytest.param(
        "2022-03-01",
        "The offensive began on 24 February. Two weeks later the column had stalled.",
        "Two weeks later",
        "2022-03-10",
        None,
        "approximate",
        id="two-weeks-later-approximate",
    ),
    pytest.param(
        "2022-07-03",
        "Minsk claimed that missiles were fired at its bases three days ago.",
        "three days ago",
        "2022-06-30",
        None,
        "day",
        id="three-days-ago",
    ),
    # counted back to the day: two weeks before Monday 21 February is Monday 7 February
    pytest.param(
        "2022-02-21",
        "Two weeks ago today, he flew to Moscow.",
        "Two weeks ago today",
        "2022-02-07",
        None,
        "day",
        id="two-weeks-ago-today",
    ),
    pytest.param(
        "2022-02-21",
        "A month ago to the day, Macron flew to Moscow.",
        "A month ago to the day",
        "2022-01-21",
        None,
        "day",
        id="a-month-ago-to-the-day",
    ),
    pytest.param(
        "2022-03-01",
        "Sanctions followed two days after 24 February.",
        "two days after 24 February",
        "2022-02-26",
        None,
        "day",
        id="two-days-after-a-date",
    ),
    pytest.param(
        "2022-02-16",
        "The announcement comes a day after Moscow claimed it had returned soldiers to base.",
        "a day after",
        "2022-02-15",
        None,
        "day",
        id="seed-a-day-after-clause",
    ),
    pytest.param(
        "2022-03-01",
        "Russia invaded on 24 February, three days after Putin recognised the two republics.",
        "three days after",
        "2022-02-21",
        None,
        "day",
        id="days-after-clause-dated-by-sentence",
    ),
    pytest.param(
        "2022-02-16",
        "The call took place on the eve of a UN Security Council meeting to discuss the crisis "
        "on Thursday.",
        "on the eve of",
        "2022-02-16",
        None,
        "day",
        id="seed-on-the-eve-of",
    ),
    pytest.param(
        "2022-02-16",
        "The call took place on the eve of a UN Security Council meeting to discuss the crisis "
        "on Thursday.",
        "Thursday",
        "2022-02-17",
        None,
        "day",
        id="seed-eve-of-meeting-thursday",
    ),
    pytest.param(
        "2022-03-25",
        "The call took place on the eve of the summit on 24 March.",
        "on the eve of",
        "2022-03-23",
        None,
        "day",
        id="eve-of-explicit-date",
    ),
    # --- live blogs: an entry's dateline is the reference for what follows -----------------------
    pytest.param(
        "2022-03-05",
        "4 Mar 2022 05.31 The fire was put out early on Friday, officials said yesterday.",
        "yesterday",
        "2022-03-03",
        None,
        "day",
        id="dateline-yesterday",
    ),
    pytest.param(
        "2022-03-05",
        "4 Mar 202205.31The fire was put out early on Friday, officials said.",
        "early on Friday",
        "2022-03-04",
        None,
        "day",
        id="dateline-glued-to-time",
    ),
    # --- future cues read from the clause (written for these tests) ------------------------------
    pytest.param(
        "2022-03-05",  # a Saturday
        "Moscow and Kyiv plan a fresh round of talks on Monday, though earlier rounds produced "
        "little.",
        "Monday",
        "2022-03-07",
        None,
        "day",
        id="present-plan-is-future",
    ),
    pytest.param(
        "2022-03-23",  # a Wednesday
        "Alliance leaders are also expected on Thursday to approve new deployments.",
        "Thursday",
        "2022-03-24",
        None,
        "day",
        id="expected-with-adverb-is-future",
    ),
    pytest.param(
        "2022-03-22",  # a Tuesday
        "The summit will be one of several meetings held in Brussels on Thursday.",
        "Thursday",
        "2022-03-24",
        None,
        "day",
        id="participle-in-future-predicate",
    ),
    pytest.param(
        "2022-03-22",
        "Diplomats said the measures being announced on Thursday would target banks.",
        "Thursday",
        "2022-03-24",
        None,
        "day",
        id="being-participle-is-ahead",
    ),
    pytest.param(
        "2022-03-05",
        "The reporter was being held on Monday, his editor said.",
        "Monday",
        "2022-02-28",
        None,
        "day",
        id="was-being-participle-is-past",
    ),
    pytest.param(
        "2022-03-22",
        "Leaders meet in Brussels on Thursday. Finance ministers gather later in the day.",
        "later in the day",
        "2022-03-24",
        None,
        "day",
        id="later-in-the-day-anchored",
    ),
    pytest.param(
        "2022-03-22",  # a Tuesday
        "Critics noted the European summit that begins on Thursday, when the rift was known.",
        "Thursday",
        "2022-03-24",
        None,
        "day",
        id="timetable-present-is-future",
    ),
    pytest.param(
        "2022-03-31",  # a Thursday
        "At the talks on Tuesday in Istanbul, initially slated to last two days, the offer "
        "became clearer.",
        "Tuesday",
        "2022-03-29",
        None,
        "day",
        id="parenthetical-participle-skipped",
    ),
    pytest.param(
        "2022-03-21",  # a Monday
        "Following the address on Wednesday, the White House announced new aid.",
        "Wednesday",
        "2022-03-16",
        None,
        "day",
        id="main-verb-after-fronted-phrase",
    ),
    # --- a month with a year relative to the reference year -----------------------------------
    pytest.param(
        "2022-04-20",
        "In April last year the government expelled 18 diplomats.",
        "April last year",
        "2021-04-01",
        "2021-04-30",
        "month",
        id="month-last-year",
    ),
    pytest.param(
        "2022-04-20",
        "The treaty is due to be signed in June next year.",
        "June next year",
        "2023-06-01",
        "2023-06-30",
        "month",
        id="month-next-year",
    ),
    # --- written on a Sunday: the week just ending and the week ahead -------------------------
    pytest.param(
        "2022-03-20",  # a Sunday
        "Three prime ministers travelled to Kyiv last week.",
        "last week",
        "2022-03-14",
        "2022-03-20",
        "week",
        id="sunday-last-week-is-the-ending-week",
    ),
    pytest.param(
        "2022-03-20",
        "Leaders will gather in Brussels this week.",
        "this week",
        "2022-03-21",
        "2022-03-27",
        "week",
        id="sunday-future-this-week-is-the-next",
    ),
    pytest.param(
        "2022-03-23",  # a Wednesday: the ISO week as before
        "Three prime ministers travelled to Kyiv last week.",
        "last week",
        "2022-03-14",
        "2022-03-20",
        "week",
        id="weekday-last-week-is-the-previous",
    ),
    # --- "<date> marks N units since <event>": the event N units earlier --------------------------
    pytest.param(
        "2022-03-24",  # a Thursday
        "Thursday marks one month since the border was first crossed.",
        "one month since",
        "2022-02-24",
        None,
        "day",
        id="marks-one-month-since",
    ),
    pytest.param(
        "2022-02-13",  # a Sunday
        "Macron had visited Moscow and Kyiv earlier in the week.",
        "earlier in the week",
        "2022-02-07",
        "2022-02-13",
        "week",
        id="earlier-in-the-week",
    ),
    pytest.param(
        "2022-01-29",  # a Saturday; "the same afternoon" as the Friday before
        "Austin spoke on Friday. At the Pentagon the same afternoon, Milley warned of casualties.",
        "the same afternoon",
        "2022-01-28",
        None,
        "day",
        id="the-same-afternoon",
    ),
    pytest.param(
        "2022-03-11",  # a Friday
        "Friday marked two weeks since the convoy stalled.",
        "two weeks since",
        "2022-02-25",
        None,
        "day",
        id="marked-two-weeks-since",
    ),
]


@pytest.mark.parametrize(("published", "text", "expr", "start", "end", "precision"), CASES)
def test_resolves(
    published: str, text: str, expr: str, start: str, end: str | None, precision: str
) -> None:
    t = _one(text, published, expr)
    assert (t.date, t.date_end, t.precision) == (D(start), D(end or start), precision)
    _check_invariants(text, find_timexes(text, D(published)))


NOT_DATES = [
    pytest.param(
        "Not since the Balkan wars of the 1990s has Europe seen such a week.", id="decade"
    ),
    pytest.param("Oil retreated from the highest since 2014.", id="since-year"),
    pytest.param("Russia wants NATO back where it was in 1997.", id="in-year"),
    pytest.param("Russia has massed some 130,000 troops near the border.", id="troop-count"),
    pytest.param("The ruble rose to 75.2232 as at 3:22 p.m. in Moscow.", id="time-and-number"),
    pytest.param("Russian forces surrounded Mariupol and the Mayor fled.", id="month-prefixes"),
    pytest.param("Russia may attack; troops march on the capital.", id="may-march-lowercase"),
    pytest.param("He has long lost interest in the day-to-day business.", id="day-to-day"),
    pytest.param("The dates 03/04/2022 and 04/03/2022 are ambiguous.", id="ambiguous-numeric"),
    pytest.param("Fighter jets, including Su-35, and S-400 air defence.", id="model-numbers"),
    pytest.param(
        "Three weeks after the fall of the Wall he acted alone.", id="after-event-of-unknown-date"
    ),
    pytest.param("February 30 never comes.", id="impossible-date"),
    pytest.param("In the months before the invasion, troops gathered.", id="vague-plural"),
    pytest.param("Sun readers and Sat nav users.", id="weekday-abbreviations-alone"),
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert find_timexes(text, D("2022-02-16")) == []


# ---------------------------------------------------------------------------------------------
# Whole seed articles: every temporal expression, in order, with its date.

SEED_EXPECTED: dict[str, list[tuple[str, str, str, str]]] = {
    "000_ed8b9000920442cc": [  # published Wednesday 2022-02-16
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
        ("a day earlier", "2022-02-15", "2022-02-15", "day"),
        ("later on Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Thursday", "2022-02-17", "2022-02-17", "day"),
        ("Saturday", "2022-02-19", "2022-02-19", "day"),
        ("next week", "2022-02-21", "2022-02-27", "week"),
        ("Feb. 20", "2022-02-20", "2022-02-20", "day"),
    ],
    "001_7256e83de7b75e2d": [  # published Tuesday 2022-02-15
        ("Feb. 20", "2022-02-20", "2022-02-20", "day"),
        ("Sunday", "2022-02-20", "2022-02-20", "day"),
        ("Monday", "2022-02-14", "2022-02-14", "day"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
        ("Saturday", "2022-02-12", "2022-02-12", "day"),
        ("last week", "2022-02-07", "2022-02-13", "week"),
        ("this week", "2022-02-14", "2022-02-20", "week"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
    ],
    "002_976286d79b71a52c": [  # published Wednesday 2022-02-16
        ("on the eve of", "2022-02-16", "2022-02-16", "day"),
        ("Thursday", "2022-02-17", "2022-02-17", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("this weekend", "2022-02-19", "2022-02-20", "approximate"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Wednesday morning", "2022-02-16", "2022-02-16", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("in the coming week", "2022-02-16", "2022-02-23", "approximate"),
        # "the week after that": the week after the coming one; counted from its anchor
        ("the week after that", "2022-02-23", "2022-02-23", "approximate"),
        ("yesterday", "2022-02-15", "2022-02-15", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
        ("a day after", "2022-02-15", "2022-02-15", "day"),
        ("Tuesday", "2022-02-15", "2022-02-15", "day"),
        ("Wednesday", "2022-02-16", "2022-02-16", "day"),
    ],
    "003_6e4f8e082c0ffab3": [  # published Saturday 2022-01-15
        ("January 10th", "2022-01-10", "2022-01-10", "day"),
        ("Two days later", "2022-01-12", "2022-01-12", "day"),
        ("January 13th", "2022-01-13", "2022-01-13", "day"),
        ("January 12th", "2022-01-12", "2022-01-12", "day"),
        ("in recent months", "2021-10-16", "2022-01-15", "approximate"),  # 91 days back
        ("January 2nd", "2022-01-02", "2022-01-02", "day"),
        ("January 10th", "2022-01-10", "2022-01-10", "day"),
    ],
    "004_e2b6ca9178d6fb5e": [  # published Thursday 2022-02-03
        ("last week", "2022-01-24", "2022-01-30", "week"),
        ("Feb. 3", "2022-02-03", "2022-02-03", "day"),
        ("today", "2022-02-03", "2022-02-03", "day"),
        ("Wednesday", "2022-02-02", "2022-02-02", "day"),
        ("Thursday", "2022-02-03", "2022-02-03", "day"),
        ("Wednesday", "2022-02-02", "2022-02-02", "day"),
        ("Thursday", "2022-02-03", "2022-02-03", "day"),
        ("Wednesday", "2022-02-02", "2022-02-02", "day"),
        ("Feb. 7", "2022-02-07", "2022-02-07", "day"),
        ("Thursday", "2022-02-03", "2022-02-03", "day"),
    ],
}


@pytest.mark.parametrize("article_id", sorted(SEED_EXPECTED))
def test_seed_articles(seeds_dir: Path, article_id: str) -> None:
    from eventstudy.articles import read_articles

    (article,) = [a for a in read_articles(seeds_dir) if a.id == article_id]
    got = []
    for paragraph in article.paragraphs:
        found = find_timexes(paragraph, article.published)
        _check_invariants(paragraph, found)
        got += [(t.text, t.date.isoformat(), t.date_end.isoformat(), t.precision) for t in found]
    assert got == SEED_EXPECTED[article_id]


def test_relative_chain_and_anchor_text() -> None:
    text = (
        "On January 10th American diplomats met Russian ones in Geneva. Two days later the "
        "NATO-Russia Council convened in Brussels. On January 13th the diplomats headed to Vienna."
    )
    found = find_timexes(text, D("2022-01-15"))
    assert [(t.text, t.date, t.kind, t.anchor) for t in found] == [
        ("January 10th", D("2022-01-10"), "explicit", "published"),
        ("Two days later", D("2022-01-12"), "relative", "January 10th"),
        ("January 13th", D("2022-01-13"), "explicit", "published"),
    ]


def test_complete_date_has_no_anchor_and_eve_names_its_date() -> None:
    assert _one("Signed on 24 February 2022.", "2022-03-01", "24 February 2022").anchor is None
    text = "The call took place on the eve of the summit on 24 March."
    assert _one(text, "2022-03-25", "on the eve of").anchor == "24 March"


def test_kinds() -> None:
    text = "On 24 February, yesterday, on Monday, last week and two days later."
    kinds = {t.text: t.kind for t in find_timexes(text, D("2022-03-02"))}
    assert kinds == {
        "24 February": "explicit",
        "yesterday": "deictic",
        "Monday": "weekday",
        "last week": "period",
        "two days later": "relative",
    }


def test_datetime_publication_is_reduced_to_its_date() -> None:
    (t,) = find_timexes("He spoke on Tuesday.", dt.datetime(2022, 2, 16, 23, 59))
    assert t.date == D("2022-02-15")


@pytest.mark.parametrize("bad", ["2022-02-16", None, 20220216])
def test_bad_published_is_named(bad: object) -> None:
    with pytest.raises(TimexInputError, match=r"published should be a datetime\.date"):
        find_timexes("He spoke on Tuesday.", bad)  # type: ignore[arg-type]


def test_bad_text_is_named() -> None:
    with pytest.raises(TimexInputError, match="text should be a str"):
        find_timexes(b"on Tuesday", D("2022-02-16"))  # type: ignore[arg-type]


def test_empty_text() -> None:
    assert find_timexes("", D("2022-02-16")) == []


# ---------------------------------------------------------------------------------------------
# Clause tense


TENSE_CASES = [
    ("Russia will hold talks on Monday.", "future"),
    ("Russia held talks on Monday.", "past"),
    ("Talks on Monday.", "present"),
    ("The talks will be held on Monday.", "future"),  # passive participle is not a past
    ("Drills are scheduled to end on Monday.", "future"),
    ("A summit called for Monday.", "future"),
    ("He called for talks on Monday.", "past"),
    ("The Russian parliament on Monday voted to appeal.", "past"),  # only a cue after it
    ("We’ll meet on Monday.", "future"),  # curly apostrophe
    ("Scholz is travelling to Kyiv on Monday.", "future"),
    ("Baerbock flies to Moscow on Monday to meet Lavrov.", "future"),  # a timetable's present
    ("Austin heads to Brussels on Monday.", "future"),
    ("Baerbock flew to Moscow on Monday.", "past"),
    # a day as the subject of its own verb after a comma: that verb, not the aside before it
    ("For Macron, who holds the presidency, Monday was the busiest day.", "past"),
    ("For Macron, who holds the presidency, Monday will bring a vote.", "future"),
    ("Macron, who holds the presidency, meets Putin on Monday.", "future"),
    ("He spoke to the U.S. Secretary on Monday.", "past"),  # "U.S." ends no sentence
    ("Leaders said it would meet on Monday.", "present"),  # reported future: no preference
    ("Russia-backed forces on Monday.", "present"),  # hyphenated adjective is no past verb
    ("It was quiet. Talks on Monday.", "present"),  # cues do not cross a sentence stop
    ("They plan talks on Monday.", "future"),  # a present-tense plan
    ("Ministers are also expected on Monday to sign.", "future"),
    ("It will be one of the meetings held on Monday.", "future"),  # participle in a future
    ("Sanctions being announced on Monday.", "future"),
    ("He was being held on Monday.", "past"),
    ("The mayor was last seen being led away on Monday.", "past"),  # "being" after a past form
    ("Troops who fought on Monday.", "past"),
    # a past form spelt like the present: past, but an infinitive after a modal or "to"
    ("The Pentagon put troops on alert on Monday.", "past"),
    ("The Pentagon will put troops on alert on Monday.", "future"),
    ("Missiles hit Kyiv on Monday.", "past"),
    ("Russia could hit Kyiv on Monday.", "present"),
    ("They did not cut supplies on Monday.", "past"),
    # a timetable's present; a name ending in -ed is no past form
    ("Russia and Belarus begin joint drills on Monday.", "future"),
    ("Forces begin their Allied Resolve drills on Monday.", "future"),
    # the "be" of a future has its participle; a later verb is a report of its own
    ("Jets will be stationed at the base, Denmark said on Monday.", "past"),
    # a heading's label takes the tense of what it labels
    ("Monday: The Security Council meets to discuss the Minsk accords.", "future"),
]


@pytest.mark.parametrize(("text", "tense"), TENSE_CASES)
def test_clause_tense(text: str, tense: str) -> None:
    i = text.index("Monday")
    assert clause_tense(text, i, i + len("Monday")) == tense


def test_clause_tense_span_checked() -> None:
    with pytest.raises(TimexInputError, match="outside the text"):
        clause_tense("short", 3, 99)


# ---------------------------------------------------------------------------------------------
# The data file


def test_data_file_loads_and_names_are_complete() -> None:
    lex = load_lexicon()
    assert sorted(set(lex.months.values())) == list(range(1, 13))
    assert sorted(set(lex.weekdays.values())) == list(range(7))
    assert {"will", "scheduled", "next"} <= set(lex.cues)
    assert lex.phrases["yesterday"][0] == "deictic"
    assert lex.phrases["last week"][0] == "period"


def _data_text() -> str:
    return (Path(__file__).resolve().parents[2] / "data" / "timex.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('schema = "eventstudy.timex/1"', 'schema = "other/9"', r"schema: = 'other/9'"),
        ('number = 3\nname = "Thursday"', 'number = 4\nname = "Thursday"', r"\[\[weekday\]\] #4"),
        ("offset = [-1, -1]", "offset = [-1, -3]", r"\[\[deictic\]\] #2.*'offset'"),
        ('unit = "week"', 'unit = "fortnight"', r"\[\[period\]\] #1.*'unit'"),
        ("tense_penalty_days = 60", "tense_penalty = 60", r"\[explicit\].*tense_penalty_days"),
        ("\na = 1\n", '\na = "one"\n', r"\[relative.numbers\]: 'a' = 'one'"),
        ("[clauses]", "[clauses_typo]", r"unknown table"),
        ('base_form_past = ["put"', 'base_form_past = [3, "put"', r"\[tense\]: .*base_form_past"),
        ('"thirty-first",', '"thirty-first", "thirty-second",', r"ordinal_words.*at most 31"),
        ('ago_exact = ["today", "to the day"]', "ago_exact = 1", r"\[relative\].*ago_exact"),
    ],
    ids=[
        "schema",
        "weekday-order",
        "offset",
        "unit",
        "missing-field",
        "number",
        "unknown-table",
        "base-form-list",
        "ordinal-words",
        "ago-exact",
    ],
)
def test_data_file_errors_name_the_place(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = _data_text()
    assert old in text
    bad = tmp_path / "timex.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as info:
        load_lexicon(str(bad))
    assert str(bad) in str(info.value)


def test_data_file_duplicate_phrase(tmp_path: Path) -> None:
    bad = tmp_path / "timex.toml"
    bad.write_text(
        _data_text().replace('phrases = ["yesterday",', 'phrases = ["today", "yesterday",', 1),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"\[\[deictic\]\] #2: phrase 'today' is listed twice"):
        load_lexicon(str(bad))


def test_custom_lexicon_is_used(tmp_path: Path) -> None:
    text = _data_text().replace('"tomorrow", "tomorrow morning"', '"tomorrow", "manana"', 1)
    path = tmp_path / "timex.toml"
    path.write_text(text, encoding="utf-8")
    lex = load_lexicon(str(path))
    (t,) = find_timexes("They meet manana.", D("2022-02-16"), lexicon=lex)
    assert t.date == D("2022-02-17")
    assert find_timexes("They meet manana.", D("2022-02-16")) == []


# ---------------------------------------------------------------------------------------------
# Properties

dates = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2045, 12, 31))


@settings(max_examples=150, deadline=None)
@given(target=dates, published=dates, comma=st.booleans())
def test_full_explicit_date_is_exact_whatever_the_publication_date(
    target: dt.date, published: dt.date, comma: bool
) -> None:
    month = MONTHS[target.month - 1]
    for form in (
        f"{target.day} {month} {target.year}",
        f"{month} {target.day}{',' if comma else ''} {target.year}",
    ):
        text = f"The agreement was signed on {form} in Minsk."
        (t,) = find_timexes(text, published)
        assert (t.text, t.date, t.date_end, t.precision) == (form, target, target, "day")


@settings(max_examples=150, deadline=None)
@given(
    published=dates,
    weekday=st.sampled_from(WEEKDAYS),
    template=st.sampled_from(
        [
            "Officials said on {} that talks had failed.",
            "Ministers will meet on {} in Brussels.",
            "The summit, scheduled for {}, was postponed.",
            "{} talks.",
            "A strike hit the city {} morning.",
        ]
    ),
)
def test_weekday_lands_within_six_days_on_that_weekday(
    published: dt.date, weekday: str, template: str
) -> None:
    text = template.format(weekday)
    (t,) = find_timexes(text, published)
    assert t.date.weekday() == WEEKDAYS.index(weekday)
    assert abs((t.date - published).days) <= 6
    if t.date.weekday() == published.weekday():
        assert t.date == published  # the article's own weekday is that day
    if t.tense == "past":
        assert t.date <= published
    if t.tense == "future":
        assert t.date >= published


@settings(max_examples=150, deadline=None)
@given(published=dates, day=st.integers(1, 28), month=st.integers(1, 12))
def test_yearless_date_is_near_publication(published: dt.date, day: int, month: int) -> None:
    # nearest year, a candidate on the wrong side of the tense 60 days further: never more
    # than (366 + 60) / 2 days away; "Month D" and "D Month" agree.
    a = find_timexes(f"They met on {day} {MONTHS[month - 1]}.", published)
    b = find_timexes(f"They met on {MONTHS[month - 1]} {day}.", published)
    assert len(a) == len(b) == 1
    assert a[0].date == b[0].date
    assert (a[0].date.month, a[0].date.day) == (month, day)
    assert abs((a[0].date - published).days) <= 213


_UNICODE_SWAPS = {" ": "\u00a0", "'": "’", '"': "“", "-": "–"}


@settings(max_examples=100, deadline=None)
@given(
    published=dates,
    swaps=st.lists(st.sampled_from(sorted(_UNICODE_SWAPS)), max_size=4),
    prefix=st.text(alphabet=" \u00a0\u2009“”‘’–—…é", max_size=6),
)
def test_unusual_unicode_keeps_offsets_and_dates(
    published: dt.date, swaps: list[str], prefix: str
) -> None:
    base = (
        'He said "the talks" on Tuesday\'s agenda resume on 24 February - two days later, '
        "a week ago and next week."
    )
    text = base
    for ch in swaps:
        text = text.replace(ch, _UNICODE_SWAPS[ch])
    text = prefix + text
    plain = find_timexes(base, published)
    fancy = find_timexes(text, published)
    _check_invariants(text, fancy)
    assert [(t.date, t.date_end, t.precision) for t in fancy] == [
        (t.date, t.date_end, t.precision) for t in plain
    ]
    assert [re.sub(r"\s", " ", t.text) for t in fancy] == [t.text for t in plain]


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200), published=dates)
def test_any_text_is_safe_and_deterministic(text: str, published: dt.date) -> None:
    first = find_timexes(text, published)
    _check_invariants(text, first)
    assert find_timexes(text, published) == first


@settings(max_examples=60, deadline=None)
@given(
    published=dates,
    words=st.lists(
        st.sampled_from(
            [
                "on",
                "Monday",
                "Feb.",
                "20",
                "24",
                "February",
                "2022",
                "two",
                "days",
                "later",
                "the",
                "eve",
                "of",
                "last",
                "week",
                "will",
                "said",
                ".",
                ",",
                "yesterday",
                "mid-March",
                "in",
                "January",
                "ago",
                "after",
            ]
        ),
        max_size=30,
    ),
)
def test_date_word_soup_is_safe(published: dt.date, words: list[str]) -> None:
    text = " ".join(words)
    _check_invariants(text, find_timexes(text, published))


# ---------------------------------------------------------------------------------------------
# Real articles (read from ../shared, never copied): invariants hold on every paragraph, and
# dates written in full resolve to exactly what they say.

_FULL = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (20\d\d)\b(?![.:]?\d)")


def test_guardian_corpus(guardian_dir: Path) -> None:
    checked = 0
    for path in sorted(guardian_dir.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        m = re.match(r"\s*date (\d{4}-\d\d-\d\d) \(The Guardian\) -- ", raw)
        assert m is not None, path
        published = D(m.group(1))
        for paragraph in raw[m.end() :].split("\n"):
            found = find_timexes(paragraph, published)
            _check_invariants(paragraph, found)
            for full in _FULL.finditer(paragraph):
                # the expression may start earlier ("Monday 16 May 2022")
                covering = [t for t in found if t.start <= full.start() < t.end]
                assert len(covering) == 1, (path.name, full.group(), found)
                t = covering[0]
                expected = dt.date(int(full[3]), MONTHS.index(full[2]) + 1, int(full[1]))
                assert t.date == expected, (path.name, full.group(), t)
                checked += 1
    assert checked >= 10


def test_thousands_are_not_days() -> None:
    (t,) = find_timexes("In May 2,000 more troops arrived.", D("2022-06-10"))
    assert (t.text, t.date, t.date_end, t.precision) == (
        "May",
        D("2022-05-01"),
        D("2022-05-31"),
        "month",
    )


def test_very_long_text() -> None:
    sentence = "Officials met on Monday. Two days later they signed a deal. "
    text = sentence * 2000
    found = find_timexes(text, D("2022-02-16"))
    _check_invariants(text, found)
    assert len(found) == 4000
    assert {(t.text, t.date) for t in found} == {
        ("Monday", D("2022-02-14")),
        ("Two days later", D("2022-02-16")),
    }


def test_first_sentence_anchors_to_the_paragraph_before() -> None:
    """With ``before`` (the last date of the previous paragraph), an anchored expression of the
    first sentence counts from it; a later sentence, "ago" and deictic words do not."""
    pub = D("2022-02-16")  # a Wednesday
    before = _one("The Duma voted on Tuesday.", "2022-02-16", "Tuesday")
    got = find_timexes("On the same day, banks were hit.", pub, before=before)
    assert [(t.text, t.date, t.anchor) for t in got] == [
        ("the same day", D("2022-02-15"), "Tuesday")
    ]
    assert find_timexes("On the same day, banks were hit.", pub)[0].date == pub
    later = find_timexes("Banks were hit. A day later, he flew.", pub, before=before)
    assert later[0].date == D("2022-02-17")  # second sentence: the publication date
    for text, day in (("Three days ago, X.", "2022-02-13"), ("Yesterday X.", "2022-02-15")):
        assert find_timexes(text, pub, before=before)[0].date == D(day)


def test_an_embedded_event_day_is_no_anchor() -> None:
    """ "the day after Putin recognised ..." dates the recognition; "The same day" two
    sentences on is the day of the main clause (Tuesday 22 February)."""
    text = (
        "Late on Tuesday, the day after Putin recognised the two republics, Zelensky signed a "
        "decree. He spoke to the nation. The same day Ukraine recalled its envoy."
    )
    assert _one(text, "2022-02-24", "The same day").date == D("2022-02-22")


def test_anchored_phrase_looks_four_sentences_back() -> None:
    """A narrative goes on over sentences without a date: "That evening" three sentences after
    "Tuesday brought ..." is that Tuesday (a day told from morning to evening); five sentences
    back is too far."""
    pub = D("2022-02-20")  # a Sunday
    text = (
        "Tuesday brought good news. In the morning the ministry spoke. By noon the sites were "
        "down. That evening, X happened."
    )
    assert _one(text, "2022-02-20", "That evening").date == D("2022-02-15")
    near = "Putin spoke on Feb. 14. Missiles struck within minutes. That morning, X happened."
    assert _one(near, "2022-02-20", "That morning").date == D("2022-02-14")
    far = "Putin spoke on Feb. 14. It rained. It snowed. It froze. It thawed. That morning, X did."
    assert [t.date for t in find_timexes(far, pub) if t.text == "That morning"] == [pub]


def test_anchored_phrase_takes_the_tense_of_its_anchor() -> None:
    text = "Leaders will meet in Brussels on Thursday. Finance ministers gather later in the day."
    t = _one(text, "2022-03-22", "later in the day")
    assert (t.date, t.tense) == (D("2022-03-24"), "future")
    # a past anchor stays past
    text = "Leaders met in Brussels on Thursday. Ministers gather later in the day."
    assert _one(text, "2022-03-26", "later in the day").tense == "past"


def test_month_after_a_schedule_phrase() -> None:
    t = _one("A summit in Madrid is scheduled for June.", "2022-04-13", "June")
    assert (t.date, t.date_end, t.precision) == (D("2022-06-01"), D("2022-06-30"), "month")
    # a bare month after other words is not a date ("by March" is a deadline)
    assert not [x for x in find_timexes("Troops must leave by March.", D("2022-02-10"))]


def test_would_be_participle_is_the_future_of_a_report() -> None:
    # "said the final decision would be made on Monday" (a Thursday article): the next Monday
    got = find_timexes(
        "Expressen said the final decision would be made on Monday.", dt.date(2022, 5, 12)
    )
    assert [(t.text, t.date, t.tense) for t in got] == [("Monday", dt.date(2022, 5, 16), "future")]
    # a conditional without "be + participle" keeps its nearest reading
    got = find_timexes("He said it could happen on Monday.", dt.date(2022, 5, 12))
    assert got[0].tense != "future"


@pytest.mark.parametrize(
    ("text", "expression", "dates_event_after"),
    [
        # the event told after the expression is what it dates (a day before the sentence's)
        (
            "On Tuesday, Scholz halted the pipeline, a day after Putin recognised the republics.",
            "a day after",
            True,
        ),
        # counted from a date, or from the date before: it dates its own clause
        (
            "Talks began on 24 February and ended two days after 24 February.",
            "two days after 24 February",
            False,
        ),
        ("Talks began on Monday. Two days later they ended.", "Two days later", False),
    ],
)
def test_a_relative_expression_says_whether_it_dates_the_event_after_it(
    text: str, expression: str, dates_event_after: bool
) -> None:
    got = {t.text: t.dates_event_after for t in find_timexes(text, dt.date(2022, 2, 23))}
    assert got[expression] is dates_event_after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an anaphoric subject ("The calls") that "came" a day after X: X is counted back from
        # the date of the sentence before (Saturday 12 February)
        (
            "Biden and Putin spoke by phone on Saturday. The calls came a day after Sullivan "
            "warned of an invasion.",
            {"Saturday": dt.date(2022, 2, 12), "a day after": dt.date(2022, 2, 11)},
        ),
        (
            "Biden and Putin spoke by phone on Saturday. The flurry of calls came barely a day "
            "after Sullivan warned of an invasion.",
            {"Saturday": dt.date(2022, 2, 12), "a day after": dt.date(2022, 2, 11)},
        ),
        # a subject of its own is no reference to the day before: no anchor, no date
        (
            "Biden and Putin spoke by phone on Saturday. Johnson's visit came a day after "
            "Sullivan warned of an invasion.",
            {"Saturday": dt.date(2022, 2, 12)},
        ),
    ],
)
def test_an_event_that_came_a_day_after_another_dates_it_from_the_sentence_before(
    text: str, expected: dict[str, dt.date]
) -> None:
    got = {t.text: t.date for t in find_timexes(text, dt.date(2022, 2, 13))}
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # published Tuesday 18 January 2022: the Monday of last week, of next week, this week's
        ("Talks on Monday last week left them apart.", ("Monday last week", "2022-01-10")),
        ("They meet again on Friday next week.", ("Friday next week", "2022-01-28")),
        ("Monday this week was busy.", ("Monday this week", "2022-01-17")),
    ],
)
def test_a_weekday_followed_by_its_week(text: str, expected: tuple[str, str]) -> None:
    got = [(t.text, t.date.isoformat()) for t in find_timexes(text, dt.date(2022, 1, 18))]
    assert got == [expected]


def test_a_weekday_then_a_weeks_possessive_stays_two_expressions() -> None:
    """'On Monday last week's deal collapsed': Monday is this week's; 'last week' is the deal's."""
    got = find_timexes("On Monday last week's deal collapsed.", dt.date(2022, 1, 20))
    assert [(t.text, t.date.isoformat()) for t in got] == [
        ("Monday", "2022-01-17"),
        ("last week", "2022-01-10"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # published Tuesday 8 February 2022: one interval from the first day to the last
        ("From Jan. 24 to Feb. 4 NATO held drills.", ("Jan. 24 to Feb. 4", "01-24", "02-04")),
        ("Between Jan. 24 and Feb. 4 it held drills.", ("Jan. 24 and Feb. 4", "01-24", "02-04")),
        ("The drills run from Feb. 10 to 20.", ("Feb. 10 to 20", "02-10", "02-20")),
        ("Talks run from Monday to Wednesday.", ("Monday to Wednesday", "02-07", "02-09")),
        # a bare first day before the month: the drills begin on the 10th, not the 20th
        ("The drills will run from 10 to 20 February.", ("10 to 20 February", "02-10", "02-20")),
        ("Exercises scheduled for 10 to 20 February.", ("10 to 20 February", "02-10", "02-20")),
        ("It will happen between 10 and 20 February.", ("10 and 20 February", "02-10", "02-20")),
    ],
)
def test_from_to_ranges_are_one_interval(text: str, expected: tuple[str, str, str]) -> None:
    (t,) = find_timexes(text, dt.date(2022, 2, 8))
    assert (t.text, f"{t.date:%m-%d}", f"{t.date_end:%m-%d}", t.precision) == (
        *expected,
        "approximate",
    )


@pytest.mark.parametrize(
    "text",
    [
        "The meeting was postponed from Monday to Wednesday.",  # a move: two days
        "The drills run from Feb. 10 to 20 per cent of capacity.",  # not a day
        "Prices fell from Feb. 4 to Jan. 24 levels.",  # backwards: no interval
        "The vote was postponed from 10 to 20 February.",  # a move: the new day
        "They met on 10 and 20 February.",  # "and" without "between": two days
    ],
)
def test_moves_and_numbers_are_no_ranges(text: str) -> None:
    got = find_timexes(text, dt.date(2022, 2, 8))
    assert got and all(t.precision == "day" for t in got)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # published Sunday 20 February 2022: a present perfect of intention has its act ahead
        ("Blinken has agreed to meet Lavrov in Europe on Thursday.", "02-24"),
        ("Blinken and Lavrov have agreed to meet in Europe on Thursday.", "02-24"),
        ("Scholz has been invited to visit Washington on Monday.", "02-21"),
        # ... an agreement dated itself stays past, and so does a plain past
        ("They agreed on Thursday to keep talking.", "02-17"),
        ("Blinken met Lavrov in Geneva on Thursday.", "02-17"),
        # what is on the calendar lies ahead
        ("The meeting was still on the calendar for Thursday.", "02-24"),
    ],
)
def test_intentions_in_the_present_perfect_and_calendars_look_ahead(
    text: str, expected: str
) -> None:
    (t,) = find_timexes(text, dt.date(2022, 2, 20))
    assert f"{t.date:%m-%d}" == expected


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        # a date right after a short quoted phrase takes the tense of the words before the
        # quote (published Monday 7 February 2022: the Wednesday before, not the next one)
        (
            "2022-02-07",
            'Grushko called the deployment a "destructive step" on Wednesday that would only '
            "raise tension.",
            ["02-02"],
        ),
        # "the same day" in the sentence after an aside's date goes on from the main date
        (
            "2022-02-17",
            "Tuesday brought mixed signals: Scholz, who was in Kyiv on Monday, met Putin. But on "
            "the same day Stoltenberg said so.",
            ["02-15", "02-14", "02-15"],
        ),
        # ... while "a day later" in the aside's own sentence goes on from its day
        (
            "2022-01-24",
            "The meeting capped a week for Blinken, who met Zelenskiy in Kyiv on Wednesday and "
            "sat down with his British, French and German counterparts in Berlin a day later.",
            ["01-19", "01-20"],
        ),
        # initials end no sentence: the verb after "T.S. Tirumurti" makes Monday past
        # (published Friday 25 February)
        (
            "2022-02-25",
            "At a session late on Monday, India's ambassador, T.S. Tirumurti, urged restraint.",
            ["02-21"],
        ),
    ],
)
def test_quoted_phrases_asides_and_initials(published: str, text: str, expected: list[str]) -> None:
    got = find_timexes(text, dt.date.fromisoformat(published))
    assert [f"{t.date:%m-%d}" for t in got] == expected


def test_two_days_of_one_event_are_dated_by_the_first() -> None:
    """Annotated by reading (Saturday 15 January 2022): ministers gathered on Thursday 13 and
    Friday 14 January; the gathering is dated by its first day, one day-precision expression."""
    (t,) = find_timexes("EU ministers gathered on Thursday and Friday in Brest.", D("2022-01-15"))
    assert (t.text, t.date, t.date_end, t.precision) == (
        "Thursday and Friday",
        D("2022-01-13"),
        D("2022-01-13"),
        "day",
    )
    # two acts on two days are not one
    found = find_timexes("He spoke on Monday and again on Tuesday.", D("2022-01-15"))
    assert [t.date for t in found] == [D("2022-01-10"), D("2022-01-11")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # published Friday 21 January 2022: bare weekdays after "last week" in their sentence
        # are that week's days
        (
            "Last week the demands were put to the test in three rooms: the talks in Geneva on "
            "Monday, the council in Brussels on Wednesday and the OSCE in Vienna on Thursday.",
            ["2022-01-10", "2022-01-12", "2022-01-13"],
        ),
        ("Next week the ministers meet on Monday.", ["2022-01-24"]),
        # ... not when the tense points the other way, nor in a new coordinated clause
        ("Last week Russia said it will hold talks on Monday.", ["2022-01-24"]),
        (
            "Scholz travelled to Kyiv last week, and Truss is expected in Moscow on Thursday.",
            ["2022-01-27"],
        ),
    ],
)
def test_a_weekday_in_a_sentence_that_named_its_week(text: str, expected: list[str]) -> None:
    got = find_timexes(text, dt.date(2022, 1, 21))
    assert [t.date.isoformat() for t in got if t.kind == "weekday"] == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # published Tuesday 8 February 2022: a paragraph opening with a short sentence that
        # names last week; its bare weekdays are that week's days
        (
            "Last week showed the other side of the ledger. On Tuesday Boris Johnson stood "
            "beside Zelensky in Kyiv. On Friday Putin and Xi declared a partnership.",
            "2022-02-08",
            ["2022-02-01", "2022-02-04"],
        ),
        # ... not "the past week" (the last seven days): published Thursday 27 January, the
        # Monday told in the past is that week's
        (
            "She walked the audience through the past week. On Monday the Pentagon placed "
            "8,500 troops on alert.",
            "2022-01-27",
            ["2022-01-24"],
        ),
        # ... nor a long opening sentence that tells more than the week
        (
            "Last week the foreign ministers of the alliance argued for hours about what to "
            "offer Moscow in writing. On Tuesday Boris Johnson stood beside Zelensky in Kyiv.",
            "2022-02-10",
            ["2022-02-08"],
        ),
    ],
)
def test_a_paragraph_opening_with_its_week(text: str, published: str, expected: list[str]) -> None:
    got = find_timexes(text, D(published))
    assert [t.date.isoformat() for t in got if t.kind == "weekday"] == expected


def test_a_relative_clause_in_the_present_perfect_is_no_tense_of_its_day() -> None:
    """Published Tuesday 15 February 2022: "turn to Wednesday, which Zelenskiy has declared a
    day of unity" is the next day; a relative clause of time still tells the tense (published
    Friday 18 February, "On Monday, when talks opened" is the Monday before)."""
    text = "Traders now turn to Wednesday, which Zelenskiy has declared a national day of unity."
    (t,) = find_timexes(text, D("2022-02-15"))
    assert t.date == D("2022-02-16")
    (t,) = find_timexes("On Monday, when talks opened, Russia said nothing.", D("2022-02-18"))
    assert t.date == D("2022-02-14")


def test_a_summit_called_for_a_day_is_ahead() -> None:
    """Published Wednesday 23 February 2022: the summit "convened ... for Thursday" is the next
    day, though "has convened" is a past form."""
    text = "Charles Michel has convened an extraordinary summit of EU leaders for Thursday."
    (t,) = find_timexes(text, D("2022-02-23"))
    assert t.date == D("2022-02-24")


def test_a_day_in_words_before_its_month() -> None:
    """A broadcast's "the twentieth of February" is 20 February; a bare ordinal before a month
    ("the second February meeting") is no date."""
    got = find_timexes("The drills are due to end on the twentieth of February.", D("2022-02-14"))
    assert [(t.text, t.date, t.precision) for t in got] == [
        ("the twentieth of February", D("2022-02-20"), "day")
    ]
    got = find_timexes("Russia invaded on the twenty-fourth of February 2022.", D("2022-03-01"))
    assert [t.date for t in got] == [D("2022-02-24")]
    assert find_timexes("The second February meeting was cancelled.", D("2022-02-14")) == []
