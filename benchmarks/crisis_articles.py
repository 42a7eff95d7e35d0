"""The extractor on the crisis-period article sets (January-February 2022 wire-style news).

Usage::

    python benchmarks/crisis_articles.py [--sets A B ...] [--root DIR] [--strict] [--evidence]

Each set under ``tests/extract/crisis/`` (see its README; training data of the learned pass) or,
with ``--root tests/extract/crisis_heldout``, under the held-out sets' folder (never trained on) is
a folder of articles ``c<set>NN.txt`` and their gold annotations ``gold.csv`` (the columns and
rules of ``tests/extract/annotations/README.md``). For each set and pooled over the sets chosen, the
script prints the scores of the rules alone and of the three operating points of the learned
pass (``typed``, the default; ``strict``; ``balanced``): recall of required units and of those
the text pins to a day, precision, exact-date accuracy on day-precision units, category and
direction accuracy. Type-free matching by default (a row of the wrong type counts as found and
against category accuracy, as the issue states its targets); ``--strict`` also needs a
compatible type to match. ``--evidence`` also needs the row's evidence to cover the unit's gold
cue (condition 6 of :mod:`eventstudy.extract.evaluate`): without it, a row that reports another
event of the article, with overlapping actors and a date within three days, stands in for a unit
the extractor missed (found, usually with a wrong date). Pooled figures count units over all the
sets (not a mean of sets).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pandas as pd

import eventstudy
from eventstudy.articles import Article
from eventstudy.extract.evaluate import load_gold, score

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO / "tests" / "extract" / "crisis"
SETTINGS: dict[str, dict[str, object]] = {
    "rules": {"learned": False},
    "typed": {},
    "strict": {"learned_threshold": "strict"},
    "balanced": {"learned_threshold": "balanced"},
}
COLUMNS = [
    "units",
    "recall",
    "day_units",
    "day_recall",
    "rows",
    "precision",
    "date_accuracy",
    "category_accuracy",
    "direction_accuracy",
]


def load_set(folder: Path) -> tuple[list[Article], pd.DataFrame]:
    """The articles and the gold rows of one set folder."""
    articles = [a for p in sorted(folder.glob("c*.txt")) for a in eventstudy.read_articles(p)]
    return articles, load_gold(folder / "gold.csv")


@cache
def extracted(folder: Path, setting: str) -> tuple[list[Article], pd.DataFrame, pd.DataFrame]:
    """The articles, gold rows and catalog of one set at one setting (kept: scoring a set both
    ways, with and without the evidence check, extracts it once)."""
    articles, gold = load_set(folder)
    catalog = eventstudy.extract_events(articles, **SETTINGS[setting])  # type: ignore[arg-type]
    return articles, gold, catalog


def _counts(
    catalog: pd.DataFrame,
    gold: pd.DataFrame,
    match_types: bool,
    texts: dict[str, str] | None = None,
) -> dict[str, int]:
    s = score(catalog, gold, match_types=match_types, texts=texts)
    m = s.matches
    day = m[m["status"].isin(("found", "missed")) & (m["gold_precision"] == "day")]
    return {
        "units": s.n_gold,
        "found": s.n_found,
        "day_units": len(day),
        "day_found": int((day["status"] == "found").sum()),
        "rows": s.n_catalog,
        "rows_matched": s.n_catalog_matched,
        "day": s.n_day,
        "day_exact": s.n_day_exact,
        "category": s.n_category,
        "direction": s.n_direction,
    }


def _ratios(c: dict[str, int]) -> dict[str, float]:
    def div(a: int, b: int) -> float:
        return a / b if b else float("nan")

    return {
        "units": c["units"],
        "recall": div(c["found"], c["units"]),
        "day_units": c["day_units"],
        "day_recall": div(c["day_found"], c["day_units"]),
        "rows": c["rows"],
        "precision": div(c["rows_matched"], c["rows"]),
        "date_accuracy": div(c["day_exact"], c["day"]),
        "category_accuracy": div(c["category"], c["found"]),
        "direction_accuracy": div(c["direction"], c["found"]),
    }


def score_sets(
    folders: Sequence[Path],
    settings: Sequence[str] = tuple(SETTINGS),
    *,
    match_types: bool = False,
    evidence: bool = False,
) -> pd.DataFrame:
    """One row per (set, setting) and a ``pooled`` row per setting, columns :data:`COLUMNS`
    (``evidence``: a match needs the row's evidence to cover the unit's cue)."""
    rows = []
    for setting in settings:
        pooled: dict[str, int] = {}
        for folder in folders:
            articles, gold, catalog = extracted(folder, setting)
            texts = {a.id: a.text for a in articles} if evidence else None
            c = _counts(catalog, gold, match_types, texts)
            for k, v in c.items():
                pooled[k] = pooled.get(k, 0) + v
            rows.append({"set": folder.name, "setting": setting, **_ratios(c)})
        rows.append({"set": "pooled", "setting": setting, **_ratios(pooled)})
    return pd.DataFrame(rows).set_index(["set", "setting"])[COLUMNS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="folder of the set folders")
    parser.add_argument("--sets", nargs="*", help="set folder names (default: all)")
    parser.add_argument("--strict", action="store_true", help="a match needs a compatible type")
    parser.add_argument(
        "--evidence", action="store_true", help="a match needs the row's evidence to cover the cue"
    )
    args = parser.parse_args()
    folders = sorted(p for p in args.root.iterdir() if (p / "gold.csv").is_file())
    if args.sets:
        folders = [p for p in folders if p.name in set(args.sets)]
    if not folders:
        parser.error(f"no set folder with a gold.csv under {args.root}")
    table = score_sets(folders, match_types=args.strict, evidence=args.evidence)
    with pd.option_context("display.width", 160, "display.float_format", "{:.3f}".format):
        print(table.to_string())


if __name__ == "__main__":
    main()
