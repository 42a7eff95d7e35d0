"""The extractor against hand-annotated gold events (tests/extract/annotations/).

The gold was annotated by reading the texts with a calendar, independently of the extractor's
output (guidelines in tests/extract/annotations/README.md). Targets from issue 3: exact-date
accuracy >= 0.9 on day-pinned events, recall >= 0.8, precision >= 0.8, category accuracy >= 0.8,
direction accuracy >= 0.9; on the seeds no found day-precision event may carry a wrong date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

import eventstudy
from eventstudy.extract.evaluate import Scores, load_gold, score

ANNOTATIONS = Path(__file__).resolve().parent / "annotations"
SEED_GOLD = ANNOTATIONS / "seeds.csv"
GUARDIAN_GOLD = ANNOTATIONS / "guardian_sample.csv"
BLIND4_GOLD = ANNOTATIONS / "guardian_blind4.csv"
BLIND5_GOLD = ANNOTATIONS / "guardian_blind5.csv"
# later blind sets (see the README): file -> its gold-id letter, and the rules' regression floors
# set just below their scores when they were added (far below the targets)
LATER_BLIND_SETS = {
    "guardian_blind6.csv": ("J", {"recall": 0.2, "precision": 0.7, "date_accuracy": 0.9}),
    "guardian_blind7.csv": ("M", {"recall": 0.33, "precision": 0.75, "date_accuracy": 0.8}),
    "guardian_blind8.csv": ("N", {"recall": 0.28, "precision": 0.9, "date_accuracy": 0.8}),
    "guardian_blind9.csv": ("P", {"recall": 0.3, "precision": 0.9, "date_accuracy": 0.9}),
    "guardian_blind10.csv": ("Q", {"recall": 0.35, "precision": 0.9, "date_accuracy": 0.9}),
    "guardian_blind11.csv": ("R", {"recall": 0.43, "precision": 0.8, "date_accuracy": 0.8}),
    "guardian_blind12.csv": ("T", {"recall": 0.2, "precision": 0.75, "date_accuracy": 0.9}),
    "guardian_blind13.csv": ("U", {"recall": 0.3, "precision": 0.8, "date_accuracy": 0.8}),
    "guardian_blind14.csv": ("V", {"recall": 0.18, "precision": 0.8, "date_accuracy": 0.75}),
    "guardian_blind15.csv": ("W", {"recall": 0.15, "precision": 0.6, "date_accuracy": 0.9}),
    "guardian_blind16.csv": ("X", {"recall": 0.25, "precision": 0.75, "date_accuracy": 0.9}),
    "guardian_blind17.csv": ("Y", {"recall": 0.25, "precision": 0.75, "date_accuracy": 0.9}),
    "guardian_blind18.csv": ("Z", {"recall": 0.1, "precision": 0.75, "date_accuracy": 0.9}),
    "guardian_blind19.csv": ("A", {"recall": 0.3, "precision": 0.8, "date_accuracy": 0.9}),
}

TARGETS = {
    "date_accuracy": 0.9,
    "recall": 0.8,
    "precision": 0.8,
    "category_accuracy": 0.8,
    "direction_accuracy": 0.9,
}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# cue words that move the date away from the weekday named in the cue
RELATIVE = re.compile(r"eve of|day after|day earlier|days later|day later|hours before|since")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _cue_parts(cue: str) -> list[str]:
    return [_norm(p.strip()) for p in cue.split("...") if p.strip()]


# ---- the annotation files themselves (no extractor needed) ---------------------------------


@pytest.fixture(scope="module")
def seed_gold() -> pd.DataFrame:
    return load_gold(SEED_GOLD)


@pytest.fixture(scope="module")
def guardian_gold() -> pd.DataFrame:
    return load_gold(GUARDIAN_GOLD)


def test_every_seed_is_annotated(seed_gold: pd.DataFrame, seeds_dir: Path) -> None:
    stems = {p.stem for p in seeds_dir.glob("*.txt")}
    assert set(seed_gold["article_id"]) == stems


def test_seed_cues_are_quotes_from_the_seed(seed_gold: pd.DataFrame, seeds_dir: Path) -> None:
    texts = {p.stem: _norm(p.read_text(encoding="utf-8")) for p in seeds_dir.glob("*.txt")}
    missing = [
        (r.gold_id, r.cue)
        for r in seed_gold.itertuples()
        if not all(part in texts[r.article_id] for part in _cue_parts(r.cue))
    ]
    assert not missing


def _weekday_mismatches(gold: pd.DataFrame) -> list[tuple[str, str, str]]:
    bad = []
    for r in gold.itertuples():
        named = [w for w in WEEKDAYS if w in r.cue]
        if r.date_precision != "day" or len(named) != 1 or RELATIVE.search(r.cue):
            continue
        if r.date.strftime("%A") != named[0]:
            bad.append((r.gold_id, named[0], r.date.isoformat()))
    return bad


def test_seed_gold_dates_fall_on_the_weekday_the_cue_names(seed_gold: pd.DataFrame) -> None:
    assert not _weekday_mismatches(seed_gold)


def test_guardian_cues_are_short_quotes(guardian_gold: pd.DataFrame, guardian_dir: Path) -> None:
    texts = {
        a: _norm((guardian_dir / f"{a}.txt").read_text(encoding="utf-8"))
        for a in set(guardian_gold["article_id"])
    }
    missing = [
        (r.gold_id, r.cue)
        for r in guardian_gold.itertuples()
        if not all(part in texts[r.article_id] for part in _cue_parts(r.cue))
    ]
    assert not missing
    long = [
        r.gold_id for r in guardian_gold.itertuples() if len(r.cue.replace("...", " ").split()) > 10
    ]
    assert not long


def test_guardian_gold_dates_fall_on_the_weekday_the_cue_names(
    guardian_gold: pd.DataFrame,
) -> None:
    assert not _weekday_mismatches(guardian_gold)


@pytest.fixture(scope="module")
def blind4_gold() -> pd.DataFrame:
    return load_gold(BLIND4_GOLD)


def test_blind_set_cues_are_short_quotes(blind4_gold: pd.DataFrame, guardian_dir: Path) -> None:
    test_guardian_cues_are_short_quotes(blind4_gold, guardian_dir)
    assert set(blind4_gold["gold_id"].str[0]) == {"H"}  # its own id space (see the README)
    assert not set(blind4_gold["article_id"]) & set(load_gold(GUARDIAN_GOLD)["article_id"])


def test_blind_set_dates_fall_on_the_weekday_the_cue_names(blind4_gold: pd.DataFrame) -> None:
    assert not _weekday_mismatches(blind4_gold)


@pytest.fixture(scope="module")
def blind5_gold() -> pd.DataFrame:
    return load_gold(BLIND5_GOLD)


def test_blind5_set_is_its_own_and_quotes_its_articles(
    blind5_gold: pd.DataFrame, blind4_gold: pd.DataFrame, guardian_dir: Path
) -> None:
    test_guardian_cues_are_short_quotes(blind5_gold, guardian_dir)
    assert set(blind5_gold["gold_id"].str[0]) == {"K"}
    others = set(load_gold(GUARDIAN_GOLD)["article_id"]) | set(blind4_gold["article_id"])
    assert not set(blind5_gold["article_id"]) & others
    assert not _weekday_mismatches(blind5_gold)


# the third development set (see the README): news reports of April and May 2022, as the
# unannotated February-March articles left are nearly all opinion pieces
LATER_DEV_SET = frozenset({"g109", "g119", "g144", "g148", "g166", "g171", "g176", "g186"})


def test_guardian_sample_is_from_february_and_march(
    guardian_gold: pd.DataFrame, guardian_dir: Path
) -> None:
    for article in set(guardian_gold["article_id"]):
        head = (guardian_dir / f"{article}.txt").read_text(encoding="utf-8")[:40]
        published = dt.date.fromisoformat(re.search(r"\d{4}-\d\d-\d\d", head).group(0))
        last = dt.date(2022, 5, 31) if article in LATER_DEV_SET else dt.date(2022, 3, 31)
        assert dt.date(2022, 2, 1) <= published <= last, article


# ---- the extractor on the seeds -----------------------------------------------------------


@pytest.fixture(scope="module")
def seed_scores(seeds_dir: Path, seed_gold: pd.DataFrame) -> Scores:
    catalog = eventstudy.extract_events(eventstudy.read_articles(seeds_dir))
    return score(catalog, seed_gold)


def _report(s: Scores) -> str:
    m = s.matches
    missed = m.loc[m["status"] == "missed", ["gold_ids", "event_key", "gold_date"]]
    extra = s.unmatched.loc[
        :,
        [
            c
            for c in ("event_id", "date", "category", "actors", "sources")
            if c in s.unmatched.columns
        ],
    ]
    return f"\n{s.summary()}\nmissed:\n{missed.to_string()}\nfalse positives:\n{extra.to_string()}"


def test_no_wrong_date_on_a_found_day_precision_seed_event(seed_scores: Scores) -> None:
    wrong = seed_scores.wrong_dates()
    assert wrong.empty, wrong[["gold_ids", "gold_date", "cat_event_id", "cat_date"]].to_string()


@pytest.mark.parametrize("metric", sorted(TARGETS))
def test_seed_scores_meet_targets(seed_scores: Scores, metric: str) -> None:
    value = getattr(seed_scores, metric)
    assert value >= TARGETS[metric], f"{metric} = {value:.3f}" + _report(seed_scores)


def test_hypothetical_events_are_left_out_by_default(
    seed_scores: Scores, seeds_dir: Path, seed_gold: pd.DataFrame
) -> None:
    hyp = seed_scores.matches[seed_scores.matches["status"].str.contains("hypothetical")]
    assert set(hyp["event_key"]) == {"g7_leaders_call_next_week", "invasion_this_week_hyp"}
    assert (hyp["status"] == "hypothetical").all()  # no hypothetical row in the default catalog
    # nor are they reported as real: relabel them 'occurred' and they must stay unmatched
    as_real = seed_gold.copy()
    is_hyp = as_real["modality"] == "hypothetical"
    as_real.loc[is_hyp, "modality"] = "occurred"
    catalog = eventstudy.extract_events(eventstudy.read_articles(seeds_dir))
    m = score(catalog, as_real, window_days=0).matches
    leaked = m[m["event_key"].isin(hyp["event_key"]) & (m["status"] == "found")]
    assert leaked.empty, leaked[["gold_ids", "cat_event_id", "cat_date"]].to_string()


# ---- the extractor on unseen Guardian articles --------------------------------------------


def _score_articles(guardian_dir: Path, gold: pd.DataFrame) -> Scores:
    articles = [
        article
        for article_id in sorted(set(gold["article_id"]))
        for article in eventstudy.read_articles(guardian_dir / f"{article_id}.txt")
    ]
    # the floors guard the rules (the learned pass is trained on these very sets)
    return score(eventstudy.extract_events(articles, learned=False), gold)


def _assert_floors(s: Scores, floors: dict[str, float], label: str = "") -> None:
    for metric, floor in floors.items():
        value = getattr(s, metric)
        assert value >= floor, f"{label}{metric} = {value:.3f}" + _report(s)


@pytest.fixture(scope="module")
def guardian_scores(guardian_dir: Path, guardian_gold: pd.DataFrame) -> Scores:
    """The February-March sample (the 33 articles the targets were set on)."""
    gold = guardian_gold[~guardian_gold["article_id"].isin(LATER_DEV_SET)]
    return _score_articles(guardian_dir, gold)


@pytest.mark.parametrize("metric", sorted(TARGETS))
def test_guardian_scores_meet_targets(guardian_scores: Scores, metric: str) -> None:
    value = getattr(guardian_scores, metric)
    assert value >= TARGETS[metric], f"{metric} = {value:.3f}" + _report(guardian_scores)


# floors of the third development set (April-May news reports, annotated before any rule was
# written for them; recall there is still far from the targets): they guard against regression
LATER_DEV_FLOORS = {"recall": 0.65, "precision": 0.9, "date_accuracy": 0.9}


def test_later_dev_set_scores_do_not_regress(
    guardian_dir: Path, guardian_gold: pd.DataFrame
) -> None:
    dev = guardian_gold[guardian_gold["article_id"].isin(LATER_DEV_SET)]
    s = _score_articles(guardian_dir, dev)
    _assert_floors(s, LATER_DEV_FLOORS)


# floors of the fourth set (12 Guardian articles of March-June 2022 annotated blind by a
# separate annotator, scored as held-out twice, then made a development set; see the README)
BLIND4_FLOORS = {"recall": 0.66, "precision": 0.9, "date_accuracy": 0.9}


def test_blind4_set_scores_do_not_regress(guardian_dir: Path, blind4_gold: pd.DataFrame) -> None:
    s = _score_articles(guardian_dir, blind4_gold)
    _assert_floors(s, BLIND4_FLOORS)


# floors of the fifth set (12 Guardian articles of April-June 2022 annotated blind, scored as
# held-out three times (recall 0.291 -> 0.309), then studied (0.564 after the round on its
# misses; see the README): below the targets, these only catch regressions
BLIND5_FLOORS = {"recall": 0.55, "precision": 0.9, "date_accuracy": 0.9}


def test_blind5_set_scores_do_not_regress(guardian_dir: Path, blind5_gold: pd.DataFrame) -> None:
    s = _score_articles(guardian_dir, blind5_gold)
    _assert_floors(s, BLIND5_FLOORS)


@pytest.mark.parametrize("name", sorted(LATER_BLIND_SETS))
def test_later_blind_set_is_its_own_and_quotes_its_articles(name: str, guardian_dir: Path) -> None:
    gold = load_gold(ANNOTATIONS / name)
    test_guardian_cues_are_short_quotes(gold, guardian_dir)
    assert set(gold["gold_id"].str[0]) == {LATER_BLIND_SETS[name][0]}
    others = {
        a for f in ANNOTATIONS.glob("*.csv") if f.name != name for a in load_gold(f)["article_id"]
    }
    assert not set(gold["article_id"]) & others
    assert not _weekday_mismatches(gold)


@pytest.mark.parametrize("name", sorted(LATER_BLIND_SETS))
def test_later_blind_set_scores_do_not_regress(name: str, guardian_dir: Path) -> None:
    s = _score_articles(guardian_dir, load_gold(ANNOTATIONS / name))
    _assert_floors(s, LATER_BLIND_SETS[name][1], f"{name}: ")
