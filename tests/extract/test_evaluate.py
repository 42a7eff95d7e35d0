"""Unit tests of the scorer on small hand-made frames (expected values worked out by hand)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from eventstudy.errors import DataFileError
from eventstudy.extract.evaluate import (
    GOLD_COLUMNS,
    EvaluationError,
    Scores,
    load_gold,
    score,
)

D = dt.date


def gold_row(**kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "article_id": "a1",
        "gold_id": "x",
        "event_key": "k",
        "date": D(2022, 2, 15),
        "date_end": None,
        "date_precision": "day",
        "modality": "occurred",
        "category": "consult",
        "mode": "meeting",
        "direction": "neutral",
        "actors": "RUS;DEU",
        "optional": False,
        "cue": "met",
        "notes": "",
    }
    row.update(kw)
    if row["date_end"] is None:
        row["date_end"] = row["date"]
    return row


def gold_frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame([gold_row(gold_id=f"g{i}", **r) for i, r in enumerate(rows)])


def cat_row(**kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "event_id": "e",
        "date": D(2022, 2, 15),
        "date_end": D(2022, 2, 15),
        "date_precision": "day",
        "modality": "occurred",
        "category": "consult",
        "mode": "meeting",
        "direction": "neutral",
        "actors": "DEU;RUS",
        "sources": "a1",
    }
    row.update(kw)
    return row


def catalog(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(
        [cat_row(event_id=f"e{i}", **r) for i, r in enumerate(rows)], columns=list(cat_row())
    )


def test_perfect_match() -> None:
    s = score(catalog({}), gold_frame({}))
    assert isinstance(s, Scores)
    assert (s.recall, s.precision, s.date_accuracy) == (1.0, 1.0, 1.0)
    assert (s.category_accuracy, s.direction_accuracy, s.actor_accuracy) == (1.0, 1.0, 1.0)
    assert s.matches["status"].tolist() == ["found"]
    assert s.unmatched.empty


def test_one_day_off_is_found_but_date_wrong() -> None:
    s = score(catalog({"date": D(2022, 2, 16), "date_end": D(2022, 2, 16)}), gold_frame({}))
    assert s.recall == 1.0
    assert s.date_accuracy == 0.0
    assert s.n_day == 1 and s.n_day_exact == 0
    assert s.wrong_dates()["event_key"].tolist() == ["k"]
    # a tolerance of one day accepts it
    s1 = score(
        catalog({"date": D(2022, 2, 16), "date_end": D(2022, 2, 16)}),
        gold_frame({}),
        date_tolerance_days=1,
    )
    assert s1.date_accuracy == 1.0
    assert s1.wrong_dates().empty


def test_outside_window_is_a_miss_and_a_false_positive() -> None:
    far = D(2022, 2, 19)  # 4 days after the gold date, window is 3
    s = score(catalog({"date": far, "date_end": far}), gold_frame({}))
    assert s.recall == 0.0
    assert s.precision == 0.0
    assert math.isnan(s.date_accuracy)
    assert len(s.unmatched) == 1
    # 3 days is inside the window
    near = D(2022, 2, 18)
    assert score(catalog({"date": near, "date_end": near}), gold_frame({})).recall == 1.0
    # a wider window admits it
    assert score(catalog({"date": far, "date_end": far}), gold_frame({}), window_days=4).recall == 1


def test_category_or_mode_must_be_compatible() -> None:
    # category differs, mode agrees -> matched, but the category is counted wrong
    s = score(catalog({"category": "cooperate", "mode": "meeting"}), gold_frame({}))
    assert s.recall == 1.0 and s.category_accuracy == 0.0
    # neither -> no match
    s2 = score(catalog({"category": "assault", "mode": "cyber"}), gold_frame({}))
    assert s2.recall == 0.0 and s2.precision == 0.0


def test_category_alternatives_and_wildcard() -> None:
    g = gold_frame({"category": "accuse|reject", "mode": ""})
    s = score(catalog({"category": "reject", "mode": ""}), g)
    assert s.category_accuracy == 1.0
    # '*' matches any type (optional rows only)
    g2 = gold_frame({"category": "*", "optional": True, "mode": ""})
    s2 = score(catalog({"category": "protest", "mode": ""}), g2)
    assert s2.precision == 1.0 and math.isnan(s2.recall)


def test_actors_must_overlap_and_accuracy_is_set_equality() -> None:
    assert score(catalog({"actors": "USA;FRA"}), gold_frame({})).recall == 0.0
    s = score(catalog({"actors": "RUS"}), gold_frame({}))
    assert s.recall == 1.0
    assert s.actor_accuracy == 0.0
    assert s.actor_jaccard == pytest.approx(0.5)
    # the actors may also be given as lists
    assert score(catalog({"actors": ["RUS", "DEU"]}), gold_frame({})).actor_accuracy == 1.0


def test_article_must_be_among_sources() -> None:
    s = score(catalog({"sources": "a2"}), gold_frame({}))
    assert s.recall == 0.0
    # a row from an unannotated article does not count against precision
    assert s.n_catalog == 0 and math.isnan(s.precision)
    s2 = score(catalog({"sources": "a2;a1"}), gold_frame({}))
    assert s2.recall == 1.0


def test_direction_and_modality_accuracy() -> None:
    g = gold_frame({"direction": "neutral|escalation"})
    assert score(catalog({"direction": "escalation"}), g).direction_accuracy == 1.0
    assert score(catalog({"direction": "de-escalation"}), g).direction_accuracy == 0.0
    s = score(catalog({"modality": "announced"}), gold_frame({}))
    assert s.modality_accuracy == 0.0 and s.recall == 1.0


def test_optional_units_never_cost_recall_or_precision() -> None:
    g = gold_frame({}, {"event_key": "opt", "optional": True, "category": "accuse", "mode": ""})
    # only the required unit found: recall 1 (the optional unit does not count)
    s = score(catalog({}), g)
    assert (s.recall, s.n_gold) == (1.0, 1)
    assert set(s.matches["status"]) == {"found", "missed-optional"}
    # a row matching the optional unit is not a false positive
    s2 = score(catalog({}, {"category": "accuse", "mode": ""}), g)
    assert s2.precision == 1.0 and s2.n_catalog_matched == 2
    assert set(s2.matches["status"]) == {"found", "found-optional"}


def test_hypothetical_gold_is_not_a_miss_and_a_real_row_for_it_is_a_false_positive() -> None:
    g = gold_frame({"modality": "hypothetical"})
    s = score(catalog(), g)
    assert s.n_gold == 0 and math.isnan(s.recall)
    s2 = score(catalog({}), g)  # catalog says it occurred
    assert s2.precision == 0.0
    assert s2.matches["status"].tolist() == ["hypothetical"]
    s3 = score(catalog({"modality": "hypothetical"}), g)
    assert s3.precision == 1.0
    assert s3.matches["status"].tolist() == ["found-hypothetical"]


def test_one_row_cannot_satisfy_two_units_of_one_article() -> None:
    g = gold_frame({}, {"event_key": "k2", "date": D(2022, 2, 16)})
    s = score(catalog({}), g)
    assert s.recall == 0.5 and s.n_found == 1


def test_assignment_is_optimal_not_greedy() -> None:
    # unit A (15 Feb) fits rows 0 (15 Feb, exact) and 1 (16 Feb); unit B (14 Feb, actors RUS;DEU
    # only) fits row 0 alone. A greedy best-first pass would give row 0 to A and leave B unmatched.
    g = gold_frame(
        {"event_key": "A", "actors": "RUS;DEU;FRA"},
        {"event_key": "B", "date": D(2022, 2, 14)},
    )
    cat = catalog({}, {"date": D(2022, 2, 16), "date_end": D(2022, 2, 16), "actors": "FRA"})
    s = score(cat, g)
    assert s.recall == 1.0 and s.precision == 1.0
    found = s.matches.set_index("event_key")["cat_event_id"].to_dict()
    assert found == {"A": "e1", "B": "e0"}


def test_week_precision_gold_matches_inside_the_week_and_skips_date_accuracy() -> None:
    g = gold_frame(
        {
            "date": D(2022, 2, 7),
            "date_end": D(2022, 2, 13),
            "date_precision": "week",
            "mode": "visit",
        }
    )
    s = score(catalog({"date": D(2022, 2, 10), "date_end": D(2022, 2, 10), "mode": "visit"}), g)
    assert s.recall == 1.0
    assert s.n_day == 0 and math.isnan(s.date_accuracy)


def test_catalog_intervals_are_matched_by_overlap() -> None:
    week = {"date": D(2022, 2, 7), "date_end": D(2022, 2, 13)}
    g = gold_frame({"date": D(2022, 2, 13)})
    s = score(catalog(week), g)
    assert s.recall == 1.0
    # matched, but the start date is not the gold day
    assert s.date_accuracy == 0.0


def test_merge_rate_across_articles() -> None:
    g = gold_frame({}, {"article_id": "a2"})
    merged = score(catalog({"sources": "a1;a2"}), g)
    assert merged.recall == 1.0
    assert (merged.n_multi_article, merged.n_merged, merged.merge_rate) == (1, 1, 1.0)
    assert merged.event_recall == 1.0 and merged.n_events == 1
    split = score(catalog({}, {"sources": "a2"}), g)
    assert split.recall == 1.0 and split.merge_rate == 0.0


def test_several_mentions_in_one_article_are_one_unit() -> None:
    g = gold_frame({}, {"optional": True}, {"category": "consult|agree"})
    s = score(catalog({"category": "agree", "mode": ""}), g)
    assert s.n_gold == 1 and s.recall == 1.0
    assert s.category_accuracy == 1.0  # alternatives are pooled over the unit's rows


def test_optional_rows_widen_matching_but_not_the_accuracy_targets() -> None:
    g = gold_frame({}, {"optional": True, "actors": "FRA", "category": "accuse", "mode": ""})
    # matched through the optional row's actor and category ...
    s = score(catalog({"actors": "FRA", "category": "accuse", "mode": ""}), g)
    assert s.recall == 1.0
    # ... but scored against the required row
    assert (s.category_accuracy, s.actor_accuracy) == (0.0, 0.0)
    s2 = score(catalog({}), g)
    assert (s2.category_accuracy, s2.actor_accuracy) == (1.0, 1.0)


def test_undated_catalog_rows_match_nothing() -> None:
    s = score(catalog({"date": None, "date_end": None}), gold_frame({}))
    assert s.recall == 0.0 and s.precision == 0.0
    s2 = score(catalog({"date": pd.NaT, "date_end": pd.NaT}), gold_frame({}))
    assert s2.recall == 0.0


def test_string_and_timestamp_dates_are_accepted() -> None:
    s = score(
        catalog({"date": "2022-02-15", "date_end": pd.Timestamp("2022-02-15")}), gold_frame({})
    )
    assert s.date_accuracy == 1.0


def test_empty_catalog() -> None:
    s = score(catalog(), gold_frame({}))
    assert s.recall == 0.0 and math.isnan(s.precision)
    assert "n/a (no catalog rows)" in s.summary()


def test_missing_catalog_column_is_named() -> None:
    with pytest.raises(EvaluationError, match=r"sources"):
        score(catalog({}).drop(columns=["sources"]), gold_frame({}))


def test_bad_catalog_date_names_the_row() -> None:
    with pytest.raises(EvaluationError, match=r"'date' = 'soon'"):
        score(catalog({"date": "soon"}), gold_frame({}))


def test_inputs_are_not_modified() -> None:
    cat = catalog({}, {"sources": "zz"})
    g = gold_frame({})
    cat_copy, g_copy = cat.copy(), g.copy()
    score(cat, g)
    pd.testing.assert_frame_equal(cat, cat_copy)
    pd.testing.assert_frame_equal(g, g_copy)


def test_articles_argument_restricts_scoring() -> None:
    g = gold_frame({}, {"article_id": "a2"})
    s = score(catalog({}), g, articles=["a1"])
    assert s.n_gold == 1 and s.recall == 1.0


def test_as_dict_has_the_metrics() -> None:
    d = score(catalog({}), gold_frame({})).as_dict()
    assert d["recall"] == 1.0 and "matches" not in d


# ---- load_gold ---------------------------------------------------------------------------


def write_gold(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.csv"
    path.write_text(",".join(GOLD_COLUMNS) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = "a1,g1,k,2022-02-15,,day,occurred,consult,call,neutral,USA;RUS,0,spoke Tuesday,"


def test_load_gold_reads_types(tmp_path: Path) -> None:
    g = load_gold(write_gold(tmp_path, GOOD))
    assert g.loc[0, "date"] == D(2022, 2, 15) and g.loc[0, "date_end"] == D(2022, 2, 15)
    assert not g.loc[0, "optional"]
    assert g.loc[0, "line"] == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (GOOD.replace("consult", "discuss"), r"line 2: field 'category' = 'discuss'"),
        (GOOD.replace("2022-02-15", "15/02/2022"), r"line 2: field 'date' = '15/02/2022'"),
        (GOOD.replace(",day,", ",days,"), r"line 2: field 'date_precision'"),
        (GOOD.replace("neutral", "calm"), r"line 2: field 'direction'"),
        (GOOD.replace("USA;RUS", "usa"), r"line 2: field 'actors'"),
        (GOOD.replace(",0,", ",2,"), r"line 2: field 'optional'"),
        (GOOD.replace("consult", "*"), r"line 2: field 'category' = '\*'"),
        (GOOD.replace("spoke Tuesday", ""), r"line 2: field 'cue' is empty"),
    ],
)
def test_load_gold_rejects_bad_values_naming_the_line(
    tmp_path: Path, line: str, message: str
) -> None:
    with pytest.raises(DataFileError, match=message):
        load_gold(write_gold(tmp_path, line))


def test_load_gold_rejects_duplicate_ids_and_inconsistent_dates(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"line 3: gold_id 'g1' repeats line 2"):
        load_gold(write_gold(tmp_path, GOOD, GOOD))
    other = GOOD.replace("g1", "g2").replace("2022-02-15", "2022-02-16")
    with pytest.raises(DataFileError, match=r"different dates"):
        load_gold(write_gold(tmp_path, GOOD, other))


def test_load_gold_wildcard_allowed_on_optional_rows(tmp_path: Path) -> None:
    line = GOOD.replace("consult", "*").replace(",0,", ",1,")
    assert load_gold(write_gold(tmp_path, line)).loc[0, "category"] == "*"


def test_type_free_matching_counts_a_wrong_type_as_found_with_a_wrong_category() -> None:
    """One gold meeting of RUS and USA on 10 Jan; the catalog has an accusation by the same
    actors that day. Strictly it is a miss and a false positive; with match_types=False it is
    found, with category accuracy 0; a right-type row is still preferred when both exist."""
    gold = pd.DataFrame(
        [
            {
                "article_id": "a1", "gold_id": "G1", "event_key": "talks",
                "date": dt.date(2022, 1, 10), "date_end": dt.date(2022, 1, 10),
                "date_precision": "day", "modality": "occurred",
                "category": "consult", "mode": "meeting", "direction": "neutral",
                "actors": "RUS;USA", "optional": False, "cue": "", "notes": "",
            }
        ]
    )  # fmt: skip

    def row(eid: str, category: str, mode: str) -> dict:
        return {
            "event_id": eid, "date": pd.Timestamp("2022-01-10"),
            "date_end": pd.Timestamp("2022-01-10"),
            "category": category, "mode": mode, "direction": "escalation", "modality": "occurred",
            "actors": "RUS;USA", "sources": "a1",
        }  # fmt: skip

    wrong = pd.DataFrame([row("E1", "accuse", "accusation")])
    strict = score(wrong, gold)
    assert (strict.recall, strict.precision) == (0.0, 0.0)
    loose = score(wrong, gold, match_types=False)
    assert (loose.recall, loose.precision, loose.category_accuracy) == (1.0, 1.0, 0.0)
    both = pd.DataFrame([row("E1", "accuse", "accusation"), row("E2", "consult", "meeting")])
    got = score(both, gold, match_types=False)
    assert got.matches.loc[0, "cat_event_id"] == "E2" and got.category_accuracy == 1.0


# --- evidence-checked matching (texts=) ---------------------------------------------------------
# The article: sentence 1 (offsets 0-37) tells the meeting of 14 February, sentence 2 (38-79) the
# call of 15 February; the extractor found only the call.
TEXT = "Scholz met Putin on Monday in Moscow. Scholz and Putin spoke by phone on Tuesday."


def _ev_catalog(*rows: dict[str, object]) -> pd.DataFrame:
    """:func:`catalog` with the evidence columns the rows give."""
    return pd.DataFrame([cat_row(event_id=f"e{i}", **r) for i, r in enumerate(rows)])


def _evidence_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    gold = gold_frame(
        {"event_key": "meeting", "date": D(2022, 2, 14), "cue": "met Putin on Monday"},
        {
            "event_key": "call",
            "mode": "call",
            "cue": "spoke by phone ... Tuesday",
        },
    )
    cat = _ev_catalog({"mode": "call", "all_evidence": "a1:38-81", "evidence": "a1:38-81"})
    return gold, cat


def test_texts_make_a_row_match_only_the_unit_its_evidence_covers() -> None:
    gold, cat = _evidence_case()
    assert TEXT[38:81].startswith("Scholz and Putin spoke") and TEXT.find("met Putin") == 7
    # without texts: the call row may stand in for the meeting (same actors, a day off) or the
    # call; the assignment prefers the exact date and the call's mode, so the call is found
    lenient = score(cat, gold, match_types=False)
    assert lenient.n_found == 1 and not lenient.evidence_checked
    # a catalog that found the call on the meeting's sentence only: the lenient scorer counts
    # the meeting as found with a wrong date (1 of 2 units; date accuracy 0/1)
    wrong = _ev_catalog({"mode": "call", "all_evidence": "a1:38-81"})
    only_meeting = gold[gold["event_key"] == "meeting"]
    s = score(wrong, only_meeting, match_types=False)
    assert (s.recall, s.date_accuracy) == (1.0, 0.0)
    # with texts the call's evidence does not cover "met Putin on Monday": a miss and a
    # false positive
    s = score(wrong, only_meeting, match_types=False, texts={"a1": TEXT})
    assert s.evidence_checked
    assert (s.n_found, s.n_catalog_matched) == (0, 0)
    assert math.isnan(s.date_accuracy)
    assert s.matches["status"].tolist() == ["missed"]
    assert "evidence checked" in s.summary()
    # and both units of the article: the call is found, by its own sentence only
    s = score(cat, gold, match_types=False, texts={"a1": TEXT})
    assert s.matches.set_index("event_key")["status"].to_dict() == {
        "meeting": "missed",
        "call": "found",
    }
    assert (s.recall, s.precision, s.date_accuracy) == (0.5, 1.0, 1.0)


def test_texts_use_any_cue_piece_and_any_merged_span() -> None:
    gold, _ = _evidence_case()
    # a merged row whose second span is the meeting's sentence covers the meeting
    merged = _ev_catalog(
        {"date": D(2022, 2, 14), "date_end": D(2022, 2, 14), "all_evidence": "b9:0-5;a1:0-37"}
    )
    s = score(merged, gold[gold["event_key"] == "meeting"], texts={"a1": TEXT})
    assert s.n_found == 1
    # a cue of two pieces: the second ("Tuesday") alone is enough
    call = _ev_catalog({"mode": "call", "all_evidence": "a1:60-81"})
    s = score(call, gold[gold["event_key"] == "call"], texts={"a1": TEXT})
    assert s.n_found == 1
    # the "evidence" column serves when there is no "all_evidence"
    s = score(
        _ev_catalog({"mode": "call", "evidence": "a1:38-81"}),
        gold[gold["event_key"] == "call"],
        texts={"a1": TEXT},
    )
    assert s.n_found == 1


def test_texts_errors_name_the_article_or_the_gold_row() -> None:
    gold, cat = _evidence_case()
    with pytest.raises(EvaluationError, match="no text for article 'a1'"):
        score(cat, gold, texts={"other": TEXT})
    bad = gold.copy()
    bad.loc[0, "cue"] = "met Zelensky"
    with pytest.raises(EvaluationError, match=r"gold row g0: cue piece 'met Zelensky'"):
        score(cat, bad, texts={"a1": TEXT})
    no_evidence = cat.drop(columns=["all_evidence", "evidence"])
    with pytest.raises(EvaluationError, match="neither 'all_evidence' nor 'evidence'"):
        score(no_evidence, gold, texts={"a1": TEXT})
