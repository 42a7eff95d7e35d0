"""The review queue: proposals the learned pass saw but did not keep, offered for curation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from test_catalog import _m
from test_learned import _article, _welcome_model

from eventstudy.cli import main
from eventstudy.extract import (
    EVENT_COLUMNS,
    apply_overrides,
    extract_events,
    read_catalog,
    suggest_events,
    write_suggestions,
)
from eventstudy.extract.catalog import OVERRIDE_COLUMNS, read_overrides, review_catalog
from eventstudy.extract.learned import SentenceModel

D = dt.date

# Published Friday 29 April 2022. Read by hand: Macron welcomed Scholz on Wednesday 27 April,
# Biden welcomed Johnson on Thursday 28 April. Neither "welcomed" nor "for talks" is a trigger
# of the rules, so only the learned pass can find them.
TEXT = "Macron on Wednesday welcomed Scholz.\n\nBiden on Thursday welcomed Johnson for talks."


def _model() -> SentenceModel:
    """'welcomed' between two actors is a consultation (test_learned's model), threshold 0.7.
    The first sentence's tokens are a training sentence's (probability above 0.7); the second
    adds 'for talks', words the model never saw, and its probability falls below 0.7 but above
    0.5."""
    return _welcome_model(threshold=0.7)


def test_suggestions_are_the_proposals_between_floor_and_threshold() -> None:
    art = _article(TEXT)
    catalog = extract_events([art], learned=_model())
    assert list(catalog.date.dt.strftime("%Y-%m-%d")) == ["2022-04-27"]
    got = suggest_events([art], learned=_model(), floor=0.5)
    assert list(got.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    assert len(got) == 1
    row = got.iloc[0]
    assert row["date"] == pd.Timestamp("2022-04-28")
    assert (row["category"], row["actors"]) == ("consult", "GBR;USA")
    assert 0.5 <= row["confidence"] < 0.7
    start, end = (int(x) for x in row["evidence"].split(":")[1].split("-"))
    assert art.text[start:end] == "Biden on Thursday welcomed Johnson for talks."
    # above the second sentence's probability: nothing to review, the full schema all the same
    none = suggest_events([art], learned=_model(), floor=0.69)
    assert none.empty and list(none.columns) == list(got.columns)


def test_suggestions_need_the_learned_pass_and_a_probability() -> None:
    with pytest.raises(ValueError, match="learned cannot be False"):
        suggest_events([_article(TEXT)], learned=False)
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError, match="review_floor"):
            suggest_events([_article(TEXT)], learned=_model(), floor=bad)


def test_a_suggestion_already_in_the_catalog_is_left_out_and_repeats_merge() -> None:
    kept = [_m("a", D(2022, 2, 14), "consult", ("DEU", "RUS"), conf=0.9)]
    below = [
        # the kept event, told by another article
        _m("b", D(2022, 2, 14), "consult", ("DEU", "RUS"), conf=0.5),
        # a new event, told twice
        _m("c", D(2022, 2, 15), "consult", ("FRA", "RUS"), conf=0.45),
        _m("d", D(2022, 2, 15), "consult", ("FRA", "RUS"), conf=0.55, start=40),
        # another new event
        _m("e", D(2022, 2, 16), "consult", ("UKR", "USA"), conf=0.6),
    ]
    got = review_catalog(kept, below)
    # most probable first: the 16 February event (0.6), then the twice-told one (0.55 + 0.05)
    assert list(got.date.dt.strftime("%Y-%m-%d")) == ["2022-02-15", "2022-02-16"]
    assert list(got.mentions) == [2, 1]
    assert list(got.sources) == ["c;d", "e"]
    assert got.confidence.tolist() == pytest.approx([0.6, 0.6])
    assert review_catalog(kept, []).empty


def test_suggestion_file_is_an_overrides_file_and_add_accepts_a_line(tmp_path: Path) -> None:
    art = _article(TEXT)
    catalog = extract_events([art], learned=_model())
    sugg = suggest_events([art], learned=_model(), floor=0.5)
    path = write_suggestions(sugg, tmp_path / "review.csv", floor=0.5)
    text = path.read_text(encoding="utf-8")
    assert "0.50" in text.splitlines()[0]
    header = next(line for line in text.splitlines() if not line.startswith("#"))
    assert header.split(",") == list(OVERRIDE_COLUMNS)
    (item,) = read_overrides(path)
    assert (item["action"], item["date"], item["category"], item["actors"]) == (
        "suggest",
        D(2022, 4, 28),
        "consult",
        "GBR;USA",
    )
    # as written, the file changes nothing and says so line by line
    same, report = apply_overrides(catalog, path)
    pd.testing.assert_frame_equal(same, catalog)
    assert list(report.status) == ["suggestion"]
    # the curator accepts it by changing the action
    path.write_text(text.replace("\nsuggest,", "\nadd,"), encoding="utf-8")
    curated, report = apply_overrides(catalog, path)
    assert list(report.status) == ["applied"]
    assert len(curated) == len(catalog) + 1
    new = curated[curated.evidence.str.startswith("overrides:")].iloc[0]
    assert (new["date"], new["category"], new["actors"]) == (
        pd.Timestamp("2022-04-28"),
        "consult",
        "GBR;USA",
    )


def test_events_cli_writes_the_review_queue(seeds_dir: Path, tmp_path: Path, capsys) -> None:
    out, review = tmp_path / "events.csv", tmp_path / "review.csv"
    assert main(["events", str(seeds_dir), "--out", str(out), "--suggest", str(review)]) == 0
    printed = capsys.readouterr().out
    items = read_overrides(review)
    assert f"{len(items)} suggestion(s) for review (p >= 0.40)" in printed
    assert {it["action"] for it in items} <= {"suggest"}
    # nothing suggested is an event of the catalog already
    cat = read_catalog(out)
    keys = set(zip(cat.date.dt.date, cat.category, cat.actors, strict=True))
    assert not any((it["date"], it["category"], it["actors"]) in keys for it in items)
    # without --out the catalog is printed as well
    assert main(["events", str(seeds_dir), "--suggest", str(review)]) == 0
    assert "event_id" in capsys.readouterr().out
    assert main(["events", str(seeds_dir), "--suggest-floor", "0.5"]) == 1
    assert "--suggest-floor needs --suggest" in capsys.readouterr().err
    assert main(["events", str(seeds_dir), "--suggest", str(review), "--no-learned"]) == 1
    assert "needs the learned pass" in capsys.readouterr().err
    args = ["events", str(seeds_dir), "--suggest", str(review), "--suggest-floor", "2"]
    assert main(args) == 1
    assert "expected a probability" in capsys.readouterr().err
