"""``eventstudy events PATH --out FILE.csv``: extract the event catalog of articles."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eventstudy._progress import every

__all__ = [
    "OPERATING_POINT_HELP",
    "add_operating_point",
    "check_operating_point",
    "progress_report",
    "register",
    "run_events",
]

OPERATING_POINT_HELP = (
    "the learned pass's settings: an operating point of its model file ('typed', the default; "
    "'strict': a little more recall, types worse; 'balanced': much more recall, less "
    "precision, types much worse)"
)


def register(subparsers: Any) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "events",
        help="extract a dated event catalog from articles",
        description=(
            "Extract the dated, typed, de-duplicated event catalog of a file or folder of "
            "articles (one row per event, with its evidence sentence)."
        ),
    )
    p.add_argument("path", help="an article file or a folder of articles")
    p.add_argument(
        "--out", "-o", help="write the catalog here (.csv or .parquet); default: print a table"
    )
    p.add_argument(
        "--overrides",
        metavar="FILE",
        help="curation file to apply (e.g. data/events/overrides.csv); default: none",
    )
    p.add_argument(
        "--include-hypothetical",
        action="store_true",
        help="keep conditional/possible events ('if Russia attacks'); excluded by default",
    )
    p.add_argument(
        "--learned",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add the learned second pass's events (eventstudy.extract.learned; on by default; "
        "--no-learned: the rules alone, more precision, less recall)",
    )
    add_operating_point(p)
    p.add_argument(
        "--suggest",
        metavar="FILE",
        help="also write a review queue: the events the learned pass saw with probability of at "
        "least --suggest-floor but did not keep, as 'suggest' lines of an overrides file "
        "(change a line's action to 'add' to accept it)",
    )
    p.add_argument(
        "--suggest-floor",
        metavar="P",
        type=float,
        default=None,
        help="probability a suggestion needs (default: 0.4)",
    )
    p.set_defaults(handler=run_events)


def progress_report(seconds: float = 2.0, stream: Any = None) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that prints a line to stderr at most every
    ``seconds`` ("extracting: 2,000/20,000 articles (10%), 190/s, about 95 s left"), so a large
    corpus shows progress and a small one prints nothing."""

    def line(done: int, total: int, elapsed: float) -> None:
        rate = done / max(elapsed, 1e-9)
        left = (total - done) / rate if rate > 0 else float("nan")
        print(
            f"extracting: {done:,}/{total:,} articles ({100 * done / max(total, 1):.0f}%), "
            f"{rate:,.0f}/s, about {left:,.0f} s left",
            file=stream if stream is not None else sys.stderr,
            flush=True,
        )

    return every(seconds, line)


def add_operating_point(p: argparse.ArgumentParser) -> None:
    """The ``--operating-point NAME`` option (``events`` and ``run``)."""
    p.add_argument("--operating-point", metavar="NAME", default=None, help=OPERATING_POINT_HELP)


def check_operating_point(args: argparse.Namespace) -> None:
    """An operating point sets the learned pass's thresholds: refuse it without the pass."""
    from eventstudy.errors import EventStudyError

    if args.operating_point is not None and not args.learned:
        raise EventStudyError("--operating-point needs the learned pass (it sets its thresholds)")


def _point_name(asked: str | None) -> str:
    """The operating point the learned pass runs at: the one asked for, else the bundled
    model's point whose settings are the model's own ("default" when none is)."""
    if asked is not None:
        return asked
    from eventstudy.extract.learned import load_model

    return load_model().own_point() or "default"


def point_expectation(name: str) -> str | None:
    """One line on what the bundled model's operating point ``name`` is expected to score on
    unseen text (its nested left-out figures, else its left-out means; type-free), or
    ``None`` when the model file records neither. A point with second types reports the
    nested figures of their threshold's choice (the rest of the point fixed at its setting)."""
    from eventstudy.extract.learned import load_model

    point = load_model().operating_points.get(name, {})
    figures, kind = point.get("nested"), "nested leave-one-set-out estimate"
    if point.get("second_threshold") and point.get("nested_second"):
        figures = point["nested_second"]
        kind = "nested leave-one-set-out estimate of the second-type threshold, the rest fixed"
    if not figures:
        figures, kind = point.get("loso"), "leave-one-set-out means, optimistic"
    shown = {
        "day_recall": "recall of day-dated events",
        "precision": "precision",
        "date_accuracy": "exact date",
        "category_accuracy": "category",
        "direction_accuracy": "direction",
    }
    if not figures or not all(k in figures for k in shown):
        return None
    return (
        f"expected on unseen text ({kind} over the annotated Guardian and crisis sets,"
        " type-free;"
        f" load_model().operating_points[{name!r}]): "
        + ", ".join(f"{label} {figures[k]:.3f}" for k, label in shown.items())
    )


def run_events(args: argparse.Namespace) -> str:
    """Handler: extract, optionally curate and write; return the text to print."""
    from eventstudy.articles import read_articles
    from eventstudy.errors import EventStudyError
    from eventstudy.extract import DEFAULT_REVIEW_FLOOR, _extract, write_catalog, write_suggestions

    floor = args.suggest_floor
    if floor is not None and not args.suggest:
        raise EventStudyError("--suggest-floor needs --suggest FILE")
    if args.suggest and not args.learned:
        raise EventStudyError("--suggest needs the learned pass (it lists what the pass left)")
    check_operating_point(args)
    if floor is None:
        floor = DEFAULT_REVIEW_FLOOR
    if not 0.0 < floor <= 1.0:
        raise EventStudyError(f"--suggest-floor {floor}: expected a probability in (0, 1]")
    corpus = read_articles(args.path)
    catalog, suggestions = _extract(
        corpus,
        overrides=args.overrides,
        include_hypothetical=args.include_hypothetical,
        learned=args.learned,
        learned_threshold=args.operating_point,
        progress=progress_report(),
        review_floor=floor if args.suggest else None,
    )
    name = _point_name(args.operating_point) if args.learned else ""
    point = f", operating point {name!r}" if args.learned else ""
    lines = [
        f"{len(corpus)} article(s), {len(catalog)} event(s)"
        + (f" (rules + learned pass{point})" if args.learned else " (rules only)")
    ]
    expected = point_expectation(name) if args.learned else None
    if expected:
        lines.append(expected)
    if len(catalog):
        by = Counter(catalog["category"])
        lines.append("by category: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items())))
    report = catalog.attrs.get("overrides_report")
    if report is not None:
        lines.append(f"overrides ({args.overrides}): {len(report)} line(s)")
        for r in report:
            lines.append(
                f"  line {r['line']}: {r['action']} {r['event_id']}: {r['status']}"
                + (f" ({r['changes']})" if r["changes"] else "")
            )
    if suggestions is not None:
        out = write_suggestions(suggestions, Path(args.suggest), floor=floor)
        lines.append(
            f"wrote {out}: {len(suggestions)} suggestion(s) for review (p >= {floor:.2f}); "
            "change a line's action to 'add' to accept it"
        )
    if args.out:
        out = write_catalog(catalog, Path(args.out))
        lines.append(f"wrote {out}")
    elif len(catalog):
        cols = ["event_id", "date", "category", "mode", "direction", "actors", "modality"]
        view = catalog[cols].copy()
        view["date"] = view["date"].dt.strftime("%Y-%m-%d")
        lines.append(view.to_string(index=False))
    return "\n".join(lines)
