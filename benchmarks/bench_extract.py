"""Speed of the event extractor: articles per second on a synthesised corpus.

The corpus (default 1,000 articles) recombines the seed articles' sentences: each synthetic
article takes 12-30 sentences drawn at random from all seeds, grouped three to a paragraph, and a
publication date shifted by 0-300 days from a seed's (so weekdays and relative dates resolve
differently). Extraction runs once to warm the caches (lexicon, gazetteer), then is timed.
Optionally also times the Guardian sample in ``../shared/data/news/guardian_2022``. Times
``extract_events`` as users call it (rules + the learned second pass, the default) and, with
``--rules-only`` as well, the rules alone (``learned=False``).

    python benchmarks/bench_extract.py [--n 1000] [--repeat 3] [--guardian PATH] [--rules-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from itertools import product
from pathlib import Path

from eventstudy.articles import Article, read_articles
from eventstudy.extract import extract_events
from eventstudy.extract.sentences import sentence_spans

REPO = Path(__file__).resolve().parents[1]


def synthesise(n: int, seed: int = 0) -> list[Article]:
    """``n`` articles made of the seeds' sentences with shifted publication dates."""
    seeds = list(read_articles(REPO / "seeds"))
    sentences = [p[a:b] for art in seeds for p in art.paragraphs for a, b in sentence_spans(p)]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        base = rng.choice(seeds).published
        published = base + dt.timedelta(days=rng.randint(0, 300))
        picked = rng.sample(sentences, rng.randint(12, 30))
        paragraphs = tuple(" ".join(picked[k : k + 3]) for k in range(0, len(picked), 3))
        out.append(
            Article(
                id=f"synthetic_{i:05d}",
                published=published,
                source="synthetic",
                title=None,
                url=None,
                text="\n\n".join(paragraphs),
                paragraphs=paragraphs,
            )
        )
    return out


def _time(articles: list[Article], repeat: int, learned: bool = False) -> tuple[float, float, int]:
    """Best wall-clock and best CPU (process) seconds over ``repeat`` runs, and the event count.

    CPU time is the one-core figure; wall time also counts waiting for a shared machine.
    """
    wall = cpu = float("inf")
    events = 0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        cat = extract_events(articles, learned=learned)
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
        events = len(cat)
    return wall, cpu, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--guardian",
        default=str(REPO.parent / "shared" / "data" / "news" / "guardian_2022"),
        help="folder of real articles to time as well ('' to skip)",
    )
    ap.add_argument(
        "--rules-only",
        action="store_true",
        help="also time extract_events(..., learned=False) (the rules without the learned pass)",
    )
    args = ap.parse_args()
    corpus = synthesise(args.n)
    extract_events(corpus[:20])  # warm-up: lexicon, gazetteer, model
    modes = [True, False] if args.rules_only else [True]
    for (name, arts), learned in product([("synthetic", corpus), *_real(args.guardian)], modes):
        wall, cpu, events = _time(arts, args.repeat, learned)
        chars = sum(len(a.text) for a in arts)
        label = f"{name} ({'default: rules + learned pass' if learned else 'rules only'})"
        print(
            f"{label}: {len(arts)} articles ({chars / len(arts):,.0f} chars each), {events} events;"
            f" best of {args.repeat}: {cpu:.2f} s CPU = {len(arts) / cpu:,.0f} articles/s on one"
            f" core ({wall:.2f} s wall = {len(arts) / wall:,.0f} articles/s)"
        )


def _real(folder: str) -> list[tuple[str, list[Article]]]:
    if folder and Path(folder).is_dir():
        return [("guardian", list(read_articles(folder)))]
    return []


if __name__ == "__main__":
    main()
