"""The ``eventstudy`` command.

Each subcommand lives in ``eventstudy/_cli/<name>.py`` and provides ``register(subparsers)``,
which adds its parser and sets ``handler``: a function taking the parsed arguments and
returning the text to print. Only :func:`main` prints.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from eventstudy import __version__
from eventstudy.errors import EventStudyError

SUBCOMMANDS = ("run", "articles", "events", "prices")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventstudy",
        description="From dated news articles to tested abnormal returns around the events.",
    )
    parser.add_argument("--version", action="version", version=f"eventstudy {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"eventstudy._cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"eventstudy._cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 2
    try:
        out = args.handler(args)
    except EventStudyError as exc:
        print(f"eventstudy {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if out:
        print(out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
