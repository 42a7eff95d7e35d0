"""``eventstudy run``: the main job, from articles to the report folder."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from eventstudy._cli.events import add_operating_point, check_operating_point
from eventstudy.pipeline import DEFAULT_INSTRUMENTS, RunSettings, run_pipeline

__all__ = ["register"]


def _window(text: str) -> tuple[int, int]:
    try:
        a, b = (int(v) for v in text.replace("(", "").replace(")", "").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"window {text!r}: expected two trading-day offsets like -1,1"
        ) from None
    if a > b:
        raise argparse.ArgumentTypeError(f"window {text!r}: start is after end")
    return a, b


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "run",
        help="the main job: articles -> events -> prices -> event study -> report",
        description="Read the articles, extract the events (with the overrides file), load "
        "the prices, measure abnormal returns around each event and write a report folder "
        "(report.html, PNG figures, CSV tables, run.json).",
    )
    p.add_argument(
        "articles", nargs="?", default="seeds", help="article file or folder (default: seeds)"
    )
    p.add_argument("--out", default="report", help="report folder (default: report)")
    p.add_argument(
        "--prices",
        metavar="DIR",
        help="folder of one CSV per instrument (default: $EVENTSTUDY_PRICES)",
    )
    p.add_argument(
        "--source",
        default="auto",
        help="price source: auto (cache, CSV folder, Yahoo, ECB), csv, yahoo, ecb",
    )
    p.add_argument(
        "--instruments",
        nargs="+",
        default=list(DEFAULT_INSTRUMENTS),
        metavar="ID",
        help=f"instrument ids (default: {' '.join(DEFAULT_INSTRUMENTS)})",
    )
    p.add_argument("--model", default="market", help="normal-return model (default: market)")
    p.add_argument(
        "--estimation",
        type=_window,
        default=(-250, -11),
        metavar="A,B",
        help="estimation window in trading days (default: -250,-11)",
    )
    p.add_argument(
        "--windows",
        type=_window,
        nargs="+",
        default=[(-1, 1), (0, 0), (0, 5)],
        metavar="A,B",
        help="event windows (default: -1,1 0,0 0,5)",
    )
    p.add_argument("--min-estimation", type=int, default=100, help="(default: 100)")
    p.add_argument(
        "--overrides",
        default="default",
        help="event overrides CSV (default: data/events/overrides.csv; 'none' to skip)",
    )
    p.add_argument(
        "--precision",
        nargs="+",
        default=["day"],
        choices=["day", "week", "month", "approximate"],
        help="date precisions of the events to study (default: day)",
    )
    p.add_argument(
        "--include-hypothetical", action="store_true", help="also study hypothetical events"
    )
    p.add_argument(
        "--learned",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add the learned second pass's events (eventstudy.extract.learned; on by default; "
        "--no-learned: the rules alone)",
    )
    add_operating_point(p)
    p.add_argument(
        "--engine",
        default="auto",
        choices=["auto", "fast", "statsmodels"],
        help="estimation engine: the vectorised fast path for OLS models, or the statsmodels "
        "reference (default: auto = fast where the model allows it)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> str:
    from eventstudy.report import summary_text

    check_operating_point(args)
    settings = RunSettings(
        articles=args.articles,
        out=args.out,
        source=args.source,
        prices=args.prices,
        instruments=tuple(args.instruments),
        model=args.model,
        estimation=args.estimation,
        windows=tuple(args.windows),
        min_estimation=args.min_estimation,
        overrides=None if args.overrides == "none" else args.overrides,
        include_hypothetical=args.include_hypothetical,
        learned=args.learned,
        operating_point=args.operating_point,
        precisions=tuple(args.precision),
        engine=args.engine,
    )
    start = time.perf_counter()

    def progress(msg: str) -> None:
        if not args.quiet:
            print(f"{time.perf_counter() - start:6.1f}s  {msg}", file=sys.stderr, flush=True)

    out = run_pipeline(settings, progress=progress)
    lines = []
    if out.notices:
        lines.append("Notices:")
        lines.extend(f"  - {n}" for n in out.notices)
        lines.append("")
    lines.append(summary_text(out.cars, out.studied, window=(-1, 1)))
    lines.append("")
    lines.append(
        f"{len(out.studied)} event(s) studied of {len(out.catalog)} extracted; "
        f"{len(out.models)} instrument(s); report: {out.report}"
    )
    return "\n".join(lines)
