"""Coding checks: lexicon and gazetteer files, and sentences coded as annotated by reading them.

The sentences below are written for these tests (not taken from the seeds); each expected
category, date, actor set and direction is what a reader codes from the sentence itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eventstudy.articles import Article
from eventstudy.errors import DataFileError
from eventstudy.extract import extract_events
from eventstudy.extract.coding import (
    CATEGORIES,
    DIRECTIONS,
    load_gazetteer,
    load_lexicon,
)
from eventstudy.extract.sentences import clause_spans, normalize, quote_spans, sentence_spans


def _article(text: str, published: dt.date, aid: str = "t") -> Article:
    paragraphs = tuple(p.strip() for p in text.split("\n\n") if p.strip())
    return Article(
        id=aid,
        published=published,
        source="test",
        title=None,
        url=None,
        text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
    )


# --- data files -------------------------------------------------------------------------------


def test_lexicon_loads_and_is_consistent() -> None:
    lex = load_lexicon()
    assert len(lex.triggers) >= 20
    cats = {t.category for t in lex.triggers}
    assert cats <= set(CATEGORIES)
    # every PLOVER category the issue lists has at least one rule
    assert set(CATEGORIES) - cats == set()
    for t in lex.triggers:
        assert -10 <= t.goldstein <= 10
        assert t.direction in DIRECTIONS
    # CAMEO signs: material conflict negative, cooperation positive
    by = {t.name: t for t in lex.triggers}
    assert by["assault.invasion"].goldstein < -9 < 0 < by["agree.sign"].goldstein
    assert by["support.recognition"].direction == "escalation"  # issue 3: recognition escalates
    assert by["retreat.withdrawal"].direction == "de-escalation"


def test_gazetteer_validity_dates() -> None:
    gaz = load_gazetteer()
    text = "Boris Johnson met Liz Truss and Rishi Sunak."
    before = {c for _, c in gaz.actors_in(text, 0, len(text), dt.date(2022, 3, 1))}
    assert before == {"GBR"}
    # after 25 October 2022 Johnson and Truss no longer hold office; Sunak does
    after = [c for _, c in gaz.actors_in(text, 0, len(text), dt.date(2022, 11, 1))]
    assert after == ["GBR"]
    # metonyms and demonyms
    t2 = "The Kremlin and Downing Street disagreed; Russian troops moved; the Elysee said."
    found = [c for _, c in gaz.actors_in(t2, 0, len(t2), dt.date(2022, 2, 1))]
    assert found == ["RUS", "GBR", "RUS", "FRA"]
    # "Minsk agreements" is not Belarus
    t3 = "under the Minsk agreements, Minsk said"
    assert [c for _, c in gaz.actors_in(t3, 0, len(t3), dt.date(2022, 2, 1))] == ["BLR"]


def test_lexicon_schema_error_names_trigger_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "triggers.toml"
    bad.write_text(
        '[[trigger]]\nname = "x"\ncategory = "invade"\nmode = "m"\ngoldstein = 1.0\n'
        'direction = "neutral"\npriority = 1\npatterns = ["x"]\n\n'
        '[[direction_cue]]\ncategories = ["agree"]\npattern = "x"\ndirection = "neutral"\n'
        "[modality]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"\[\[trigger\]\] #1 \(x\).*'category' = 'invade'"):
        load_lexicon(str(bad))


def test_gazetteer_schema_error_names_line(tmp_path: Path) -> None:
    bad = tmp_path / "gaz.csv"
    bad.write_text(
        "# comment\ncode,kind,side,names,valid_from,valid_to,description\n"
        "RUS,state,RUS,Russia,,,ok\nUKR,state,WEST,Ukraine,2022-13-01,,bad date\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"line 4: field 'valid_from' = '2022-13-01'"):
        load_gazetteer(str(bad))


# --- sentences --------------------------------------------------------------------------------


def test_sentence_split_keeps_abbreviations_and_offsets() -> None:
    text = (
        "U.S. Secretary of State Antony Blinken met Mr. Lavrov on Feb. 20 in Geneva. "
        "“We talked,” he said. The talks ended! Next?"
    )
    norm = normalize(text)
    assert len(norm) == len(text)
    spans = sentence_spans(norm)
    got = [text[a:b] for a, b in spans]
    assert got == [
        "U.S. Secretary of State Antony Blinken met Mr. Lavrov on Feb. 20 in Geneva.",
        "“We talked,” he said.",
        "The talks ended!",
        "Next?",
    ]
    q = quote_spans(text)
    assert [text[a:b] for a, b in q] == ["“We talked,”"]


def test_clauses_split_on_subordinators() -> None:
    s = "Putin met Scholz on Tuesday, while Biden called Macron; Johnson stayed home"
    spans = clause_spans(s, 0, len(s))
    assert [s[a:b] for a, b in spans] == [
        "Putin met Scholz on Tuesday",
        "while Biden called Macron",
        "Johnson stayed home",
    ]


# --- coding annotated sentences ----------------------------------------------------------------

# (published, sentence, expected rows as (date, category, direction, actors))
CASES = [
    (
        dt.date(2022, 2, 23),  # a Wednesday
        "Germany halted the certification of the Nord Stream 2 pipeline on Tuesday.",
        [("2022-02-22", "sanction", "escalation", "DEU")],
    ),
    (
        dt.date(2022, 2, 22),
        "Vladimir Putin recognised the independence of the Donetsk People's Republic and the "
        "Luhansk People's Republic on Monday.",
        [("2022-02-21", "support", "escalation", "DPR;LPR;RUS")],
    ),
    (
        dt.date(2022, 1, 23),  # a Sunday
        "Sergei Lavrov met Antony Blinken in Geneva on Friday.",
        [("2022-01-21", "consult", "neutral", "RUS;USA")],
    ),
    (
        dt.date(2022, 3, 15),  # a Tuesday
        "Russian forces shelled Kharkiv on Monday, Ukrainian officials said.",
        [("2022-03-14", "assault", "escalation", "RUS;UKR")],
    ),
    (
        dt.date(2022, 2, 16),
        "Russia's defence ministry said on Wednesday that more units were returning to their "
        "bases after the drills.",
        [("2022-02-16", "retreat", "de-escalation", "RUS")],
    ),
    (
        dt.date(2022, 4, 10),
        "Ukraine accused Russia on Saturday of a missile strike on a railway station.",
        [("2022-04-09", "accuse", "escalation", "RUS;UKR")],
    ),
    # "separate calls with A and B" are two events
    (
        dt.date(2022, 3, 8),  # a Tuesday
        "Recep Tayyip Erdogan held separate phone calls on Sunday with Vladimir Putin and "
        "Volodymyr Zelenskiy.",
        [
            ("2022-03-06", "consult", "neutral", "RUS;TUR"),
            ("2022-03-06", "consult", "neutral", "TUR;UKR"),
        ],
    ),
    # a list of meetings on one day: one event per body
    (
        dt.date(2022, 3, 22),  # a Tuesday
        "On Thursday, Joe Biden will attend a Nato summit, a G7 meeting and a European Union "
        "summit.",
        [
            ("2022-03-24", "consult", "neutral", "EU"),
            ("2022-03-24", "consult", "neutral", "G7"),
            ("2022-03-24", "consult", "neutral", "NATO;USA"),
        ],
    ),
    # a statement continuing the previous sentence's dated speaker
    (
        dt.date(2022, 2, 16),
        "Jens Stoltenberg spoke to reporters in Brussels on Tuesday. Stoltenberg accused Russia "
        "of massing more troops.",
        [("2022-02-15", "accuse", "escalation", "NATO;RUS")],
    ),
    # undated background, a generic statement and quoted speech are not events
    (dt.date(2022, 2, 16), "Russia has massed troops near the border for months.", []),
    (
        dt.date(2022, 2, 16),
        "The crisis is the worst in Europe for decades, analysts said on Monday.",
        [],
    ),
    (dt.date(2022, 2, 16), "“We will impose sanctions on Monday,” a diplomat said.", []),
    # negated: nothing happened
    (
        dt.date(2022, 2, 17),
        "Moscow did not withdraw any troops on Wednesday, according to satellite images.",
        [],
    ),
]


@pytest.mark.parametrize(
    ("published", "sentence", "expected"), CASES, ids=[c[1][:40] for c in CASES]
)
def test_annotated_sentences(published: dt.date, sentence: str, expected: list[tuple]) -> None:
    cat = extract_events([_article(sentence, published)])
    got = sorted(
        (r.date.date().isoformat(), r.category, r.direction, r.actors)
        for r in cat.itertuples(index=False)
    )
    assert got == sorted(expected)


def test_hypothetical_excluded_by_default_and_kept_on_request() -> None:
    art = _article(
        "If Russia invades Ukraine next week, the European Union will impose sanctions.",
        dt.date(2022, 2, 16),
    )
    assert len(extract_events([art])) == 0
    cat = extract_events([art], include_hypothetical=True)
    assert len(cat) >= 1
    assert set(cat["modality"]) == {"hypothetical"}


def test_office_holder_validity_applies_to_event_date() -> None:
    text = "Boris Johnson visited Kyiv on Saturday."
    spring = extract_events([_article(text, dt.date(2022, 4, 11))])
    assert list(spring["actors"]) == ["GBR;UKR"]
    # after he left office (6 September 2022) Johnson is no longer the UK
    autumn = extract_events([_article(text, dt.date(2022, 11, 14))])
    assert list(autumn["actors"]) == ["UKR"]


def test_scheduled_and_announced_modality() -> None:
    art = _article(
        "Olaf Scholz said on Monday he will travel to Moscow on Feb. 15. "
        "The United States announced on Monday it would deploy 3,000 troops to Poland.",
        dt.date(2022, 2, 8),  # a Tuesday
    )
    cat = extract_events([art])
    rows = {(r.category, r.date.date().isoformat(), r.modality) for r in cat.itertuples()}
    assert ("mobilize", "2022-02-07", "announced") in rows
    assert any(c == "consult" and m in ("announced", "scheduled") for c, _, m in rows)
