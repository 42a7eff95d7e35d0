"""``eventstudy prices``: load closing prices, summarise them, optionally write them out."""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from eventstudy.errors import EventStudyError, EventStudyWarning, SkippedInputWarning

HELP = "load closing prices and print a summary (first/last date, rows, gaps, flags, source)"


def register(subparsers: Any) -> None:
    """Add the ``prices`` subcommand."""
    from eventstudy.market.sources import SOURCES

    p = subparsers.add_parser(
        "prices",
        help=HELP,
        description=(
            "Load closing prices of instruments from the registry (data/instruments.toml) and "
            "print, per instrument: first and last date, rows, multi-day gaps, data-quality "
            "flags and the source that served it. Nothing is filled or dropped."
        ),
    )
    p.add_argument(
        "ids", nargs="+", metavar="IDS", help="instrument ids, e.g. USDRUB IMOEX or USDRUB,IMOEX"
    )
    p.add_argument("--start", required=True, help="first date, YYYY-MM-DD")
    p.add_argument("--end", required=True, help="last date, YYYY-MM-DD")
    p.add_argument(
        "--source",
        default="auto",
        help="; ".join(f"{k}: {v}" for k, v in SOURCES.items())
        + ". Several may be given comma-separated, tried in order (default auto)",
    )
    p.add_argument("--path", default=None, help="CSV folder (default $EVENTSTUDY_PRICES)")
    p.add_argument(
        "--cache-dir", default=None, help="Yahoo cache folder (default $EVENTSTUDY_CACHE)"
    )
    p.add_argument(
        "--skip-missing",
        action="store_true",
        help="leave out instruments no source can serve (listed in the output) instead of failing",
    )
    p.add_argument("--out", default=None, help="write the prices to FILE.csv or FILE.parquet")
    p.set_defaults(handler=run)


def summarise(prices: pd.DataFrame) -> pd.DataFrame:
    """One row per instrument: first, last, rows, gaps, max_span, flags, source."""
    from eventstudy.market.quality import quality_report
    from eventstudy.market.returns import multi_day_returns

    multi = multi_day_returns(prices)
    quality = quality_report(prices)
    rows = []
    for col in prices.columns:
        obs = prices[col].dropna()
        m = multi[multi["instrument"] == col]
        q = quality[quality["instrument"].isin([col, "*"])]
        counts = q["check"].value_counts()
        flags = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"
        gaps = f"{len(m)}"
        susp = m[m["reason"] == "suspension"]
        if len(susp):
            gaps += f" ({len(susp)} suspension)"
        rows.append(
            {
                "id": col,
                "first": obs.index[0].date() if len(obs) else None,
                "last": obs.index[-1].date() if len(obs) else None,
                "rows": len(obs),
                "gaps": gaps,
                "max_span": int(m["sessions"].max()) if len(m) else 1,
                "flags": flags,
                "source": prices.attrs.get("sources", {}).get(col, "?"),
            }
        )
    return pd.DataFrame(rows).set_index("id")


def run(args: argparse.Namespace) -> str:
    """Handler: returns the summary text (written file named at the end)."""
    from eventstudy.market.sources import load_prices

    ids = [x for item in args.ids for x in item.split(",") if x.strip()]
    out_path = Path(args.out) if args.out else None
    if out_path is not None and out_path.suffix.lower() not in (".csv", ".parquet"):
        raise EventStudyError(f"--out {args.out}: use a .csv or .parquet file name")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prices = load_prices(
            ids,
            args.start,
            args.end,
            source=args.source,
            path=args.path,
            errors="skip" if args.skip_missing else "raise",
            cache_dir=args.cache_dir,
        )
    lines = []
    if len(prices.columns):
        with pd.option_context("display.width", 200, "display.max_colwidth", 80):
            lines.append(summarise(prices).to_string())
    report = prices.attrs.get("report")
    if report is not None and report.failed:
        lines.append("")
        lines.append("not loaded:")
        lines += [f"  {report.describe_failure(k)}" for k in report.failed]
    notes = []
    for w in caught:
        if not isinstance(w.message, EventStudyWarning):  # not ours: pass it on unchanged
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        elif not isinstance(w.message, SkippedInputWarning):  # skipped ones are listed above
            notes.append(str(w.message))
    if notes:
        lines.append("")
        lines.append("notes:")
        lines += [f"  {n}" for n in dict.fromkeys(notes)]
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        plain = prices.copy()
        plain.attrs = {}
        if out_path.suffix.lower() == ".csv":
            plain.to_csv(out_path, date_format="%Y-%m-%d")
        else:
            plain.to_parquet(out_path)
        lines.append("")
        lines.append(f"wrote {len(plain)} rows x {len(plain.columns)} columns to {out_path}")
    return "\n".join(lines)
