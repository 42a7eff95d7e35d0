"""Print the extractor's scores against the hand-annotated gold events.

Usage::

    python benchmarks/eval_extract.py [--shared ../shared] [--details]

Scores the catalog of ``eventstudy.extract_events`` on the five seeds
(``tests/extract/annotations/seeds.csv``) and on the Guardian sample
(``tests/extract/annotations/guardian_sample.csv``; the articles are read from
``<shared>/data/news/guardian_2022``, skipped when that folder is absent). Matching rules and
metrics: :mod:`eventstudy.extract.evaluate`. ``--details`` also lists missed gold units, false
positives and wrong dates.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pandas as pd

import eventstudy
from eventstudy.extract.evaluate import Scores, load_gold, score

REPO = Path(__file__).resolve().parents[1]
ANNOTATIONS = REPO / "tests" / "extract" / "annotations"


def _details(s: Scores) -> str:
    m = s.matches
    cols = ["article_id", "gold_ids", "event_key", "gold_date", "gold_category", "gold_actors"]
    missed = m.loc[m["status"] == "missed", cols]
    wrong = s.wrong_dates()[["gold_ids", "gold_date", "cat_event_id", "cat_date"]]
    fp_cols = [c for c in ("event_id", "date", "category", "actors", "sources") if c in s.unmatched]
    bad_cat = m.loc[
        (m["status"] == "found") & ~m["category_ok"].astype(bool),
        ["gold_ids", "gold_category", "cat_category"],
    ]
    bad_dir = m.loc[
        (m["status"] == "found") & ~m["direction_ok"].astype(bool),
        ["gold_ids", "gold_direction", "cat_direction"],
    ]
    with pd.option_context("display.width", 160, "display.max_rows", 500):
        return (
            f"missed ({len(missed)}):\n{missed.to_string(index=False)}\n"
            f"wrong dates ({len(wrong)}):\n{wrong.to_string(index=False)}\n"
            f"wrong category ({len(bad_cat)}):\n{bad_cat.to_string(index=False)}\n"
            f"wrong direction ({len(bad_dir)}):\n{bad_dir.to_string(index=False)}\n"
            f"false positives ({len(s.unmatched)}):\n"
            f"{s.unmatched[fp_cols].to_string(index=False)}"
        )


def _run(name: str, articles: list, gold: pd.DataFrame, details: bool) -> None:
    t0 = time.perf_counter()
    catalog = eventstudy.extract_events(articles)
    seconds = time.perf_counter() - t0
    s = score(catalog, gold)
    print(
        f"== {name}: {len(articles)} articles, {len(catalog)} catalog rows, "
        f"extraction {seconds:.2f} s"
    )
    print(s.summary())
    if details:
        print(_details(s))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        default=os.environ.get("EVENTSTUDY_SHARED", str(REPO.parent / "shared")),
        help="the workplace's shared folder (default ../shared or $EVENTSTUDY_SHARED)",
    )
    parser.add_argument("--details", action="store_true", help="list misses and false positives")
    args = parser.parse_args()

    seeds = list(eventstudy.read_articles(REPO / "seeds"))
    _run("seeds", seeds, load_gold(ANNOTATIONS / "seeds.csv"), args.details)

    guardian_dir = Path(args.shared) / "data" / "news" / "guardian_2022"
    gold = load_gold(ANNOTATIONS / "guardian_sample.csv")
    if not guardian_dir.is_dir():
        print(f"== guardian sample: skipped ({guardian_dir} not found)")
        return
    articles = [
        article
        for article_id in sorted(set(gold["article_id"]))
        for article in eventstudy.read_articles(guardian_dir / f"{article_id}.txt")
    ]
    _run("guardian sample", articles, gold, args.details)


if __name__ == "__main__":
    main()
