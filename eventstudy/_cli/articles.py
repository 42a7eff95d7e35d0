"""``eventstudy articles PATH``: list the articles a file or folder holds."""

from __future__ import annotations

import argparse
import warnings
from typing import Any

from eventstudy.articles import read_articles
from eventstudy.errors import SkippedInputWarning

__all__ = ["register", "render_table"]


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "articles",
        help="list the dated articles in a file or folder",
        description="Read articles (text files in the seed formats, JSONL or CSV corpora) and "
        "print one line per article: id, date, source, title, words.",
    )
    p.add_argument("path", help="an article file, a .jsonl/.csv corpus, or a folder of them")
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="skip unreadable files and report them instead of stopping at the first one",
    )
    p.add_argument(
        "--published", metavar="YYYY-MM-DD", help="publication date for texts that carry none"
    )
    p.set_defaults(handler=_handle)


def render_table(rows: list[dict[str, str]], columns: list[str], right: set[str]) -> str:
    """Plain-text table with a header rule; columns in ``right`` are right-aligned."""
    widths = {c: max([len(c), *(len(r[c]) for r in rows)]) for c in columns}

    def line(values: dict[str, str]) -> str:
        cells = [
            values[c].rjust(widths[c]) if c in right else values[c].ljust(widths[c])
            for c in columns
        ]
        return "  ".join(cells).rstrip()

    head = line({c: c for c in columns})
    rule = "  ".join("-" * widths[c] for c in columns)
    return "\n".join([head, rule, *(line(r) for r in rows)])


def _short(text: str | None, width: int) -> str:
    if not text:
        return "-"
    return text if len(text) <= width else text[: width - 1] + "…"


def _handle(args: argparse.Namespace) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedInputWarning)  # listed below instead
        corpus = read_articles(
            args.path, errors="skip" if args.skip_bad else "raise", published=args.published
        )
    rows = [
        {
            "id": a.id,
            "date": a.published.isoformat(),
            "source": _short(a.source, 20),
            "title": _short(a.title or f"(untitled) {a.paragraphs[0]}", 60),
            "words": str(a.words),
        }
        for a in corpus
    ]
    out = [render_table(rows, ["id", "date", "source", "title", "words"], {"words"})]
    out.append(f"\n{len(corpus)} article(s)")
    if corpus.skipped:
        out.append(f"skipped {len(corpus.skipped)} unreadable input(s):")
        out.extend(f"  {s.path}: {s.reason}" for s in corpus.skipped)
    return "\n".join(out)
