"""Catalog: ids, merging mentions into events, overrides, I/O, and the committed seed catalog."""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from pathlib import Path

import pandas as pd
import pytest

from eventstudy.errors import DataFileError
from eventstudy.extract import (
    EVENT_COLUMNS,
    CatalogError,
    OverrideWarning,
    apply_overrides,
    event_id,
    read_catalog,
    write_catalog,
)
from eventstudy.extract.catalog import empty_catalog, merge_mentions
from eventstudy.extract.coding import Mention

D = dt.date


def _m(
    aid: str,
    day: dt.date,
    category: str,
    actors: tuple[str, ...],
    *,
    end: dt.date | None = None,
    precision: str = "day",
    conf: float = 0.8,
    start: int = 0,
    modality: str = "occurred",
) -> Mention:
    return Mention(
        article_id=aid,
        published=day,
        start=start,
        end=start + 10,
        trigger_start=start,
        trigger_end=start + 3,
        trigger=f"{category}.x",
        category=category,
        mode="meeting" if category == "consult" else "",
        goldstein=1.0,
        direction="neutral",
        modality=modality,
        date=day,
        date_end=end or day,
        precision=precision,
        actors=actors,
        sentence=f"sentence of {aid}",
        timex="Monday",
        confidence=conf,
    )


def test_event_id_is_a_hash_of_what_the_event_is() -> None:
    key = "2022-02-15|consult|meeting|DEU;RUS"
    assert event_id(D(2022, 2, 15), "consult", "meeting", "DEU;RUS") == (
        "E" + hashlib.sha1(key.encode()).hexdigest()[:10]
    )
    assert event_id(D(2022, 2, 15), "consult", "call", "DEU;RUS") != event_id(
        D(2022, 2, 15), "consult", "meeting", "DEU;RUS"
    )


def test_merge_same_event_across_articles() -> None:
    ms = [
        _m("a1", D(2022, 2, 15), "consult", ("DEU", "RUS"), conf=0.9, start=5),
        _m("a2", D(2022, 2, 15), "consult", ("DEU", "RUS"), conf=0.7, start=40),
        _m("a3", D(2022, 2, 15), "consult", ("RUS",), conf=0.6),  # one actor, compatible
        # same day and type but other parties: another meeting
        _m("a2", D(2022, 2, 15), "consult", ("BRA", "RUS"), conf=0.8, start=90),
        # other category on the same day
        _m("a1", D(2022, 2, 15), "accuse", ("DEU", "RUS"), conf=0.8, start=70),
    ]
    cat = merge_mentions(ms)
    assert list(cat.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    assert len(cat) == 3
    meet = cat[(cat.category == "consult") & (cat.actors == "DEU;RUS")].iloc[0]
    assert meet.mentions == 3
    assert meet.sources == "a1;a2;a3"
    assert meet.evidence == "a1:5-15"  # the most confident mention
    assert meet.all_evidence == "a1:5-15;a2:40-50;a3:0-10"
    assert meet.event_id == event_id(D(2022, 2, 15), "consult", "meeting", "DEU;RUS")
    assert meet.date == pd.Timestamp("2022-02-15")
    other = cat[cat.actors == "BRA;RUS"].iloc[0]
    assert other.mentions == 1


def test_merge_prefers_the_day_over_a_week_and_does_not_chain() -> None:
    ms = [
        _m("a1", D(2022, 2, 7), "consult", ("FRA", "RUS"), end=D(2022, 2, 13), precision="week"),
        _m("a2", D(2022, 2, 8), "consult", ("FRA", "RUS"), conf=0.5),
    ]
    cat = merge_mentions(ms)
    assert len(cat) == 1
    row = cat.iloc[0]
    assert (row.date, row.date_end, row.date_precision) == (
        pd.Timestamp("2022-02-08"),
        pd.Timestamp("2022-02-08"),
        "day",
    )
    # a vague one-actor mention does not glue two different meetings together
    ms2 = [
        _m("a1", D(2022, 2, 8), "consult", ("FRA", "RUS"), conf=0.9),
        _m("a2", D(2022, 2, 8), "consult", ("RUS",), conf=0.95),
        _m("a3", D(2022, 2, 8), "consult", ("DEU", "UKR"), conf=0.9),
    ]
    assert len(merge_mentions(ms2)) == 2


def test_meetings_of_one_body_merge_across_articles() -> None:
    bodies = frozenset({"NATO", "EU", "G7"})
    ms = [
        # the Nato summit told with Biden in one article, with Russia as its topic in another
        _m("a1", D(2022, 3, 24), "consult", ("NATO", "USA"), conf=0.9),
        _m("a2", D(2022, 3, 24), "consult", ("NATO", "RUS"), conf=0.8),
        # the G7 and EU summits of that day, both with Biden, stay two other events
        _m("a1", D(2022, 3, 24), "consult", ("G7", "USA"), conf=0.8, start=30),
        _m("a2", D(2022, 3, 24), "consult", ("EU", "USA"), conf=0.8, start=30),
    ]
    cat = merge_mentions(ms, bodies=bodies)
    assert sorted(cat.actors) == ["EU;USA", "G7;USA", "NATO;USA"]
    assert cat[cat.actors == "NATO;USA"].iloc[0].sources == "a1;a2"
    # without the body list only two shared actors merge
    assert len(merge_mentions(ms)) == 4


def test_mentions_kept_apart_in_their_sentence_stay_apart() -> None:
    # two drills ending the same day, told in one sentence (same article, same sentence start)
    ms = [
        _m("a1", D(2022, 2, 20), "retreat", ("BLR", "RUS"), conf=0.9, start=100),
        _m("a1", D(2022, 2, 20), "retreat", ("RUS",), conf=0.8, start=100),
        # another article's mention joins the first one it is compatible with, only once
        _m("a2", D(2022, 2, 20), "retreat", ("RUS",), conf=0.7),
    ]
    cat = merge_mentions(ms)
    assert len(cat) == 2
    assert sorted(cat.mentions) == [1, 2]


def test_merge_keeps_least_hypothetical_modality() -> None:
    ms = [
        _m("a1", D(2022, 2, 20), "retreat", ("RUS",), modality="scheduled", conf=0.9),
        _m("a2", D(2022, 2, 20), "retreat", ("RUS",), modality="occurred", conf=0.5),
    ]
    assert merge_mentions(ms).iloc[0].modality == "occurred"


def test_empty_catalog_has_full_schema() -> None:
    cat = merge_mentions([])
    assert len(cat) == 0
    assert list(cat.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    assert str(cat["date"].dtype) == "datetime64[ns]"
    assert cat["goldstein"].dtype == "float64"


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_write_read_round_trip(tmp_path: Path, suffix: str) -> None:
    cat = merge_mentions(
        [
            _m("a1", D(2022, 2, 15), "consult", ("DEU", "RUS")),
            _m("a1", D(2022, 2, 7), "consult", ("FRA",), end=D(2022, 2, 13), precision="week"),
        ]
    )
    path = write_catalog(cat, tmp_path / f"cat{suffix}")
    back = read_catalog(path)
    pd.testing.assert_frame_equal(back, cat)


def test_read_catalog_names_bad_line(tmp_path: Path) -> None:
    cat = merge_mentions([_m("a1", D(2022, 2, 15), "consult", ("DEU", "RUS"))])
    p = write_catalog(cat, tmp_path / "c.csv")
    text = p.read_text().replace("2022-02-15", "15/02/2022", 1)
    p.write_text(text)
    with pytest.raises(CatalogError, match=r"line 2: column 'date' = '15/02/2022'"):
        read_catalog(p)
    with pytest.raises(CatalogError, match="unknown catalog format"):
        write_catalog(cat, tmp_path / "c.xlsx")


# --- overrides -------------------------------------------------------------------------------

HEADER = (
    "action,event_id,date,date_end,date_precision,modality,category,mode,direction,goldstein,"
    "actors,summary,note\n"
)


def _catalog() -> pd.DataFrame:
    return merge_mentions(
        [
            _m("a1", D(2022, 2, 15), "consult", ("DEU", "RUS")),
            _m("a1", D(2022, 2, 16), "accuse", ("NATO", "RUS"), start=30),
        ]
    )


def test_overrides_drop_edit_add_with_report(tmp_path: Path) -> None:
    cat = _catalog()
    before = cat.copy()
    meet = cat.loc[cat.category == "consult", "event_id"].iloc[0]
    acc = cat.loc[cat.category == "accuse", "event_id"].iloc[0]
    f = tmp_path / "ov.csv"
    f.write_text(
        "# curation\n"
        + HEADER
        + f"drop,{acc},,,,,,,,,,,wrong\n"
        + f"edit,{meet},2022-02-14,,,,,,,,,,re-dated\n"
        + "add,,2022-02-24,,,,assault,invasion,,,RUS;UKR,invasion,missed\n",
        encoding="utf-8",
    )
    out, report = apply_overrides(cat, f)
    pd.testing.assert_frame_equal(cat, before)  # input untouched
    assert len(out) == 2
    assert acc not in set(out.event_id)
    edited = out[out.event_id == meet].iloc[0]
    assert edited.date == pd.Timestamp("2022-02-14")
    assert edited.date_end == pd.Timestamp("2022-02-14")  # kept consistent with the new date
    added = out[out.category == "assault"].iloc[0]
    assert added.event_id == event_id(D(2022, 2, 24), "assault", "invasion", "RUS;UKR")
    assert added.direction == "escalation"  # from the lexicon rule for assault/invasion
    assert list(report.status) == ["applied"] * 3
    assert list(report.line) == [3, 4, 5]
    assert "date: 2022-02-15 -> 2022-02-14" in report.changes.iloc[1]


def test_an_added_event_without_a_mode_is_not_given_one(tmp_path: Path) -> None:
    """'support' with no mode is CAMEO root 05 (Goldstein 3.5), not the recognition rule that
    comes first in the lexicon (7.0); with its mode it is the recognition rule's coding."""
    f = tmp_path / "ov.csv"
    f.write_text(
        HEADER
        + "add,,2022-05-18,,,,support,,,,FIN;USA,backing,\n"
        + "add,,2022-02-21,,,,support,recognition,,,RUS;UKR,recognition,\n",
        encoding="utf-8",
    )
    out, _ = apply_overrides(_catalog(), f)
    plain = out[out.actors == "FIN;USA"].iloc[0]
    assert (plain["mode"], plain["goldstein"]) == ("", 3.5)
    rec = out[out.actors == "RUS;UKR"].iloc[0]
    assert (rec["mode"], rec["goldstein"], rec["direction"]) == ("recognition", 7.0, "escalation")


def test_override_of_unknown_id_is_reported_and_warned(tmp_path: Path) -> None:
    f = tmp_path / "ov.csv"
    f.write_text(HEADER + "drop,E0000000000,,,,,,,,,,,\n", encoding="utf-8")
    with pytest.warns(OverrideWarning, match="line 2: E0000000000"):
        out, report = apply_overrides(_catalog(), f)
    assert len(out) == 2
    assert list(report.status) == ["not found"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("remove,E1,,,,,,,,,,,", r"line 3: field 'action' = 'remove' is not one of"),
        ("edit,E1,2022-02-30,,,,,,,,,,", r"line 3: field 'date' = '2022-02-30' is not an ISO"),
        ("edit,E1,,,,,invade,,,,,,", r"line 3: field 'category' = 'invade'"),
        ("add,,2022-02-24,,,,assault,,,,,,", r"line 3: action 'add' needs field\(s\) \['actors'\]"),
        ("edit,E1,,,,,,,,99,,,", r"line 3: field 'goldstein' = '99'"),
        ("drop,E1,,", r"line 3: 4 fields, expected 13"),
        ("edit,E1,,,,,,,,,,,", r"line 3: action 'edit' changes nothing"),
    ],
)
def test_malformed_overrides_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    f = tmp_path / "ov.csv"
    f.write_text("# comment line\n" + HEADER + line + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        apply_overrides(_catalog(), f)


def test_bundled_overrides_file_is_valid(repo_dir: Path) -> None:
    cat = _catalog()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, report = apply_overrides(cat, repo_dir / "data" / "events" / "overrides.csv")
    assert len(out) == len(cat)  # the bundled file holds only comments and the header
    assert list(report.columns) == ["line", "action", "event_id", "status", "changes"]
    assert (report.status == "applied").all()


def test_empty_catalog_overrides_add(tmp_path: Path) -> None:
    f = tmp_path / "ov.csv"
    f.write_text(HEADER + "add,,2022-02-21,,,,support,recognition,,,DPR;LPR;RUS,,\n")
    out, _ = apply_overrides(empty_catalog(), f)
    assert len(out) == 1
    assert out.iloc[0].goldstein == 7.0


# --- the committed seed catalog ---------------------------------------------------------------


def test_seed_catalog_is_up_to_date(repo_dir: Path, seeds_dir: Path, tmp_path: Path) -> None:
    """data/events/seed_events.csv must equal what the CLI produces from seeds/ now.

    Regenerate with:
    ``eventstudy events seeds --out data/events/seed_events.csv --overrides
    data/events/overrides.csv``
    """
    from eventstudy.cli import main

    out = tmp_path / "seed_events.csv"
    rc = main(
        [
            "events",
            str(seeds_dir),
            "--out",
            str(out),
            "--overrides",
            str(repo_dir / "data" / "events" / "overrides.csv"),
        ]
    )
    assert rc == 0
    committed = repo_dir / "data" / "events" / "seed_events.csv"
    assert committed.exists(), "data/events/seed_events.csv is missing; regenerate it"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        "data/events/seed_events.csv is stale: regenerate it with the command in this test's "
        "docstring and review the diff"
    )


def test_acts_of_different_agents_in_one_article_stay_apart() -> None:
    from dataclasses import replace

    day = D(2022, 3, 24)
    summit = replace(_m("a", day, "consult", ("NATO",), start=0), agent="NATO")
    address = replace(_m("a", day, "consult", ("NATO", "UKR"), start=50), agent="UKR")
    assert len(merge_mentions([summit, address])) == 2
    # across articles the subject may change with the wording: one event
    other = replace(address, article_id="b")
    assert len(merge_mentions([summit, other])) == 1
    # a mention without a subject merges as before
    assert len(merge_mentions([summit, replace(address, agent="")])) == 1


def test_every_evidence_span_quotes_its_article_verbatim(
    seeds_dir: Path, guardian_dir: Path
) -> None:
    """Traceability: for every event of the seeds and of all Guardian articles (rules and the
    learned pass), the span ``<article>:<start>-<end>`` of ``evidence`` cuts exactly
    ``evidence_text`` out of the article as read, curly quotes and all."""
    from eventstudy import extract_events, read_articles

    arts = [*read_articles(seeds_dir), *read_articles(guardian_dir)]
    by_id = {a.id: a for a in arts}
    catalog = extract_events(arts)
    assert len(catalog) > 400
    bad = []
    for row in catalog.itertuples():
        aid, _, span = row.evidence.rpartition(":")
        start, end = (int(x) for x in span.split("-"))
        if by_id[aid].text[start:end] != row.evidence_text:
            bad.append(row.event_id)
    assert bad == []
