"""The offline report of a study: ``report.html``, PNG figures, CSV tables and ``run.json``.

:func:`write_report` writes one folder a researcher can open without network: the HTML has no
external CSS, JavaScript or fonts and embeds every figure as a base64 PNG; the same figures are
written as PNG files beside it, the tables as CSV, and ``run.json`` records every setting and
data source, the package version, timestamps and the notices of the run. :func:`summary_table`
is the short events × instruments table of CARs the command line prints.

Traceability: every CAR row names its ``event_id``; in the HTML each summary row links to the
event's row in the events table, which lists the event's source articles and its evidence
sentence.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import math
import platform
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from eventstudy import __version__
from eventstudy.errors import EventStudyError
from eventstudy.plots import (
    AR_REQUIRED,
    CAR_REQUIRED,
    EVENT_REQUIRED,
    PlotInputError,
    _check_frame,
    car_matrix,
    event_label,
    plot_caar,
    plot_car_heatmap,
    plot_event_paths,
    plot_timelines,
    select_window,
    significance_stars,
    stars_note,
    window_key,
)

__all__ = [
    "DEFAULT_QUESTION",
    "ReportError",
    "summary_table",
    "summary_text",
    "top_cars",
    "write_report",
]

DEFAULT_QUESTION = (
    "Which events moved the ruble, Brent and the stock indices, by how much, and how sure are we?"
)
_DPI = 100


class ReportError(EventStudyError, ValueError):
    """The report could not be written; the message names the input or setting at fault."""


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------


def _default_window(cars: pd.DataFrame) -> object:
    """``(-1, +1)`` when the CARs hold it (under any label), else their first window."""
    labels = list(dict.fromkeys(cars["window"].tolist()))
    for label in labels:
        if window_key(label) == (-1, 1):
            return label
    return labels[0]


def _fmt_car(car: float, p: float, levels: Sequence[float], digits: int) -> str:
    if car is None or not np.isfinite(car):
        return "n/a"
    return f"{100.0 * car:+.{digits}f}{significance_stars(p, levels)}"


def summary_table(
    cars: pd.DataFrame,
    events: pd.DataFrame,
    window: object = None,
    *,
    instruments: Iterable[Hashable] | None = None,
    alpha_levels: Iterable[float] = (0.1, 0.05, 0.01),
    digits: int = 2,
) -> pd.DataFrame:
    """Short table of CAR(window) per event and instrument, in percent with significance stars.

    One row per event in ``cars`` (ordered by event date), columns ``event_id, date, category,
    direction`` and then one column per instrument holding text such as ``"-3.21**"``: the CAR
    times 100 to ``digits`` decimals and one star per level in ``alpha_levels`` its p-value is
    below (``*`` p<0.1, ``**`` p<0.05, ``***`` p<0.01 by default). A pair without a CAR reads
    ``"n/a"``. The frame prints well with ``to_string(index=False)``.

    Parameters
    ----------
    cars : DataFrame
        ``event_id, instrument, window, car, p``.
    events : DataFrame
        Event catalog with ``event_id, date`` (``category, direction`` shown when present);
        every event in ``cars`` must be in it.
    window : str or (int, int), optional
        Window shown; default ``(-1, +1)`` when present, else the first window in ``cars``.
        Labels are matched loosely (``"(-1,+1)"`` == ``"(-1, 1)"``).
    instruments : list, optional
        Instrument columns and their order (default: order of appearance in ``cars``).
    alpha_levels : tuple of float
    digits : int, default 2

    Returns
    -------
    DataFrame
        Strings only; ``attrs["window"]`` holds the window label used.
    """
    _check_frame(cars, CAR_REQUIRED, "cars")
    if window is None:
        window = _default_window(cars)
    car, p, label = car_matrix(cars, window, instruments=instruments, events=events)
    levels = tuple(alpha_levels)
    cat = events.copy()
    cat.index = pd.Index(cat["event_id"].tolist())
    rows = []
    for event_id in car.index:
        ev = cat.loc[event_id]
        row = {
            "event_id": str(event_id),
            "date": pd.Timestamp(ev["date"]).strftime("%Y-%m-%d"),
            "category": _text(ev.get("category")),
            "direction": _text(ev.get("direction")),
        }
        for inst in car.columns:
            row[str(inst)] = _fmt_car(car.at[event_id, inst], p.at[event_id, inst], levels, digits)
        rows.append(row)
    out = pd.DataFrame(
        rows, columns=["event_id", "date", "category", "direction"] + [str(c) for c in car.columns]
    )
    out.attrs["window"] = label
    return out


def summary_text(
    cars: pd.DataFrame,
    events: pd.DataFrame,
    window: object = None,
    *,
    instruments: Iterable[Hashable] | None = None,
    alpha_levels: Iterable[float] = (0.1, 0.05, 0.01),
    digits: int = 2,
) -> str:
    """:func:`summary_table` as the text the command line prints: a heading naming the window
    and the unit, the table, and the key to the stars."""
    levels = tuple(alpha_levels)
    table = summary_table(
        cars, events, window, instruments=instruments, alpha_levels=levels, digits=digits
    )
    label = table.attrs["window"]
    return (
        f"CAR{label} in % by event and instrument\n"
        f"{table.to_string(index=False)}\n"
        f"{stars_note(levels)}; n/a: no CAR for that pair"
    )


def top_cars(
    cars: pd.DataFrame,
    events: pd.DataFrame | None,
    window: object,
    *,
    n: int = 15,
    alpha_levels: Iterable[float] = (0.1, 0.05, 0.01),
) -> pd.DataFrame:
    """The ``n`` CARs of one window largest in absolute value, with their event and stars.

    Columns ``event_id, date, summary, instrument, car_pct, se_pct, t, p, stars, shared``
    (``date`` and ``summary`` from the catalog when given). Missing CARs are left out of the
    ranking. Events that share an instrument and day 0 (the engine's ``day0_group``) are one
    market move: it is listed once, under its first event, and ``shared`` counts the events
    reported on that day 0 (1 when the move is one event's alone).
    """
    _check_frame(cars, CAR_REQUIRED, "cars")
    sel, _ = select_window(cars, window)
    sel = sel.assign(car=pd.to_numeric(sel["car"], errors="coerce"))
    sel = sel.loc[sel["car"].notna()]
    if "day0_group" in sel.columns:
        key = [sel["instrument"], sel["day0_group"].fillna(sel["event_id"])]
        sel = sel.assign(shared=sel.groupby(key, sort=False)["event_id"].transform("size"))
        sel = sel.loc[~sel.assign(_g=key[1]).duplicated(["instrument", "_g"])]
    else:
        sel = sel.assign(shared=1)
    order = sel["car"].abs().sort_values(ascending=False, kind="stable").index
    sel = sel.loc[order].head(n)
    levels = tuple(alpha_levels)
    cat = None
    if events is not None:
        cat = events.copy()
        cat.index = pd.Index(cat["event_id"].tolist())
    out = []
    for r in sel.itertuples(index=False):
        ev = cat.loc[r.event_id] if cat is not None and r.event_id in cat.index else None
        se = getattr(r, "se", np.nan)
        out.append(
            {
                "event_id": str(r.event_id),
                "date": pd.Timestamp(ev["date"]).strftime("%Y-%m-%d") if ev is not None else "",
                "summary": _text(ev.get("summary")) if ev is not None else "",
                "instrument": str(r.instrument),
                "car_pct": 100.0 * float(r.car),
                "se_pct": 100.0 * float(se) if se is not None else np.nan,
                "t": float(getattr(r, "t", np.nan)),
                "p": float(r.p) if r.p is not None else np.nan,
                "stars": significance_stars(r.p, levels),
                "shared": int(r.shared),
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "event_id",
            "date",
            "summary",
            "instrument",
            "car_pct",
            "se_pct",
            "t",
            "p",
            "stars",
            "shared",
        ],
    )


# ---------------------------------------------------------------------------------------------
# HTML helpers
# ---------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _e(value: object) -> str:
    return html.escape(_text(value), quote=True)


def _shorten(value: object, width: int) -> str:
    text = " ".join(_text(value).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _slug(value: object) -> str:
    s = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(value)).strip("_")
    return s or "x"


def _fmt_cell(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return ""
        if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e6):
            return f"{v:.3e}"
        return f"{v:.4g}" if abs(v) < 1 else f"{v:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
    return _text(value)


def _html_table(
    frame: pd.DataFrame,
    *,
    links: Mapping[str, str] | None = None,
    cls: str = "",
    formats: Mapping[str, Any] | None = None,
) -> str:
    """An HTML table of ``frame``, every cell escaped. ``links`` maps a column to an anchor
    prefix: that column's cells link to ``#<prefix><slug(value)>``."""
    links = links or {}
    formats = formats or {}
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, row, strict=True):
            fmt = formats.get(str(col))
            text = fmt(value) if fmt is not None else _fmt_cell(value)
            if str(col) in links and _text(value):
                href = f"#{links[str(col)]}{_slug(value)}"
                cells.append(f'<td><a href="{html.escape(href)}">{html.escape(text)}</a></td>')
            else:
                klass = ' class="num"' if isinstance(value, float | int | np.number) else ""
                cells.append(f"<td{klass}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    klass = f' class="{html.escape(cls)}"' if cls else ""
    return (
        f'<div class="scroll"><table{klass}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _flatten(value: object, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        out: list[tuple[str, str]] = []
        for k, v in value.items():
            key = f"{prefix}.{k}" if prefix else str(k)
            out.extend(_flatten(v, key))
        return out or [(prefix, "{}")]
    if isinstance(value, list | tuple):
        if all(not isinstance(v, Mapping | list | tuple) for v in value):
            return [(prefix, ", ".join(_text(_jsonable(v, prefix)) for v in value))]
        return [(prefix, json.dumps(_jsonable(value, prefix), ensure_ascii=False))]
    return [(prefix, _text(_jsonable(value, prefix)))]


def _kv_table(mapping: Mapping[str, Any]) -> str:
    rows = _flatten(mapping)
    if not rows:
        return "<p class='muted'>none recorded</p>"
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="kv"><tbody>{body}</tbody></table>'


def _jsonable(value: object, where: str = "") -> Any:
    """``value`` as JSON data: dates as ISO strings, paths as strings, tuples as lists, numpy
    scalars as Python numbers. Anything else raises :class:`ReportError` naming the key."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ReportError(
                f"run.json: setting {where or '(top)'} is {value!r}; JSON has no NaN/inf, "
                "record it as None or a string"
            )
        return value
    if isinstance(value, np.generic):
        return _jsonable(value.item(), where)
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dt.timedelta | pd.Timedelta):
        return pd.Timedelta(value).total_seconds()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(items)]
    raise ReportError(
        f"run.json: setting {where or '(top)'} has type {type(value).__name__} ({value!r:.60}); "
        "record it as a string, number, date, list or dict"
    )


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 margin:0;color:#212121;background:#fafafa;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:1.5rem 2rem 4rem}
h1{font-size:1.7rem;margin:.2rem 0 .3rem}h2{font-size:1.25rem;margin-top:2.2rem;
 border-bottom:2px solid #e0e0e0;padding-bottom:.25rem}h3{font-size:1.05rem}
.question{font-size:1.1rem;color:#37474f;margin:.3rem 0 1rem}
.muted{color:#757575;font-size:.9rem}
table{border-collapse:collapse;font-size:.85rem;background:white}
th,td{border:1px solid #e0e0e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eceff1;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.kv th{background:#f5f5f5;font-weight:600;white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%}
.notices{background:#fff8e1;border-left:4px solid #ffb300;padding:.5rem 1rem}
.notices li{margin:.2rem 0}
figure{margin:1.2rem 0;background:white;border:1px solid #e0e0e0;padding:.6rem}
figure img{max-width:100%;height:auto;display:block;margin:0 auto}
figcaption{font-size:.9rem;color:#455a64;margin-top:.4rem}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}
.cols{display:flex;gap:2rem;flex-wrap:wrap}.cols>div{flex:1 1 420px}
tr:target{background:#fff59d}
.escalation{color:#c62828}.de-escalation{color:#2e7d32}.neutral{color:#616161}
nav a{margin-right:1rem}
table.events td{max-width:32rem;overflow-wrap:anywhere}
"""


# ---------------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------------


class _Figures:
    """Render figures to PNG bytes, write them, keep them for embedding, close them."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.items: list[tuple[str, str, bytes, str]] = []  # (key, filename, png, caption)
        self.notices: list[str] = []
        self._names: set[str] = set()

    def add(self, key: str, filename: str, make: Any, caption: str) -> bool:
        try:
            fig = make()
        except PlotInputError as exc:
            self.notices.append(f"figure {filename} not drawn: {exc}")
            return False
        try:
            png = _png(fig)
        finally:
            plt.close(fig)
        stem, suffix = filename.rsplit(".", 1)
        name, k = filename, 1
        while name in self._names:
            k += 1
            name = f"{stem}_{k}.{suffix}"
        self._names.add(name)
        (self.out_dir / name).write_bytes(png)
        self.items.append((key, name, png, caption))
        return True


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, metadata={"Software": None})
    return buf.getvalue()


def _img(name: str, png: bytes, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure id="fig-{_slug(name)}"><img alt="{_e(caption)}" '
        f'src="data:image/png;base64,{data}"><figcaption>{_e(caption)} '
        f'<span class="muted">(file: {_e(name)})</span></figcaption></figure>'
    )


def _check_prices(prices: object) -> pd.DataFrame:
    if not isinstance(prices, pd.DataFrame):
        raise ReportError(f"prices must be a pandas DataFrame, got {type(prices).__name__}")
    if not isinstance(prices.index, pd.DatetimeIndex):
        raise ReportError(
            f"prices must have a DatetimeIndex of session dates, got {type(prices.index).__name__}"
        )
    return prices


def _check_columns(frame: object, required: Sequence[str], name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ReportError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ReportError(
            f"{name} is missing column(s) {', '.join(map(repr, missing))}; expected at least "
            f"{list(required)}, found {[str(c) for c in frame.columns]}"
        )
    return frame


def _flat_index(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a meaningful index (``rel_day``, ``test`` ...) turned into columns, so the
    CSV and HTML tables keep it; a default 0..n-1 index is dropped."""
    index = frame.index
    default = (
        isinstance(index, pd.RangeIndex)
        and index.start == 0
        and index.step == 1
        and index.name is None
    )
    return frame if default else frame.reset_index()


def _tables(
    value: pd.DataFrame | Mapping[str, pd.DataFrame] | None, name: str
) -> dict[str, pd.DataFrame]:
    if value is None:
        return {}
    if isinstance(value, pd.DataFrame):
        return {"": _flat_index(value)}
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(v, pd.DataFrame):
                raise ReportError(f"{name}[{k!r}] must be a DataFrame, got {type(v).__name__}")
            out[str(k)] = _flat_index(v)
        return out
    raise ReportError(f"{name} must be a DataFrame or a mapping of them, got {type(value)}")


def write_report(
    out_dir: str | Path,
    *,
    events: pd.DataFrame,
    prices: pd.DataFrame,
    abnormal_returns: pd.DataFrame,
    cars: pd.DataFrame,
    tests: pd.DataFrame | Mapping[str, pd.DataFrame] | None = None,
    caar: pd.DataFrame | Mapping[str, pd.DataFrame] | None = None,
    settings: Mapping[str, Any],
    sources: Mapping[str, Any],
    notices: Sequence[str] = (),
    title: str = "Event study report",
    question: str = DEFAULT_QUESTION,
    window: object = None,
    path_events: Iterable[Hashable] | int | None = None,
    units: Mapping[Hashable, str] | None = None,
    started: dt.datetime | None = None,
    alpha_levels: Sequence[float] = (0.1, 0.05, 0.01),
) -> Path:
    """Write the report folder and return the path of ``report.html``.

    Files written into ``out_dir`` (created if needed; existing files of these names are
    replaced):

    - ``report.html``: readable offline (inline CSS, no scripts, no external fonts or images;
      every figure embedded as ``data:image/png;base64``);
    - ``timeline.png``, ``car_heatmap.png``, ``caar_<by>.png``, ``event_<event_id>.png``;
    - ``events.csv``, ``abnormal_returns.csv``, ``cars.csv``, ``tests.csv`` (when ``tests`` is
      a DataFrame; ``tests_<name>.csv`` per entry when it is a mapping), ``caar.csv`` (when
      ``caar`` is given; a mapping ``{by: table}`` is stacked with a ``by`` column);
    - ``run.json``: title, question, package name and version, Python and library versions,
      timestamps, ``settings``, ``sources``, the notices, the window shown and the files.

    Parameters
    ----------
    out_dir : path
    events : DataFrame
        Event catalog (``event_id, date, direction`` required; every catalog column shown).
    prices : DataFrame
        Wide prices with a DatetimeIndex (for the timeline figure; pass the period to show).
    abnormal_returns : DataFrame
        ``event_id, instrument, rel_day, ar, se`` (+ ``date, t, p``).
    cars : DataFrame
        ``event_id, instrument, window, car, p`` (+ ``se, t``).
    tests : DataFrame or mapping of DataFrames, optional
        Test tables, shown as given.
    caar : DataFrame or mapping ``{by: DataFrame}``, optional
        CAAR tables (``group, instrument, window, caar, se, t, p, n``); a plain DataFrame is
        taken to be grouped by ``settings.get("caar_by", "category")``.
    settings, sources : mapping
        Every setting and every data source used; JSON-able (dates, paths, tuples and numpy
        scalars are converted; other types raise :class:`ReportError`).
    notices : sequence of str
        Messages of the run (``"series X skipped: ..."``), shown at the top and kept in
        ``run.json``. A figure that cannot be drawn adds its own notice.
    title, question : str
    window : str or (int, int), optional
        Window of the summary, top-CAR table, heatmap and CAAR figure; default ``(-1, +1)``
        when present, else the first window in ``cars``.
    path_events : ids, int or None
        Events that get an AR/CAR path figure: ids, the first ``k`` by date, or all (None).
    units : mapping, optional
        Price unit per instrument for the timeline's y labels.
    started : datetime, optional
        Start of the run (recorded in ``run.json`` with the elapsed time).
    alpha_levels : tuple of float

    Returns
    -------
    Path
        ``out_dir / "report.html"``.
    """
    written = dt.datetime.now(dt.UTC)
    out = Path(out_dir)
    events = _check_columns(events, EVENT_REQUIRED, "events")
    prices = _check_prices(prices)
    abnormal_returns = _check_columns(abnormal_returns, AR_REQUIRED, "abnormal_returns")
    cars = _check_columns(cars, CAR_REQUIRED, "cars")
    if events["event_id"].duplicated().any():
        dup = events.loc[events["event_id"].duplicated(), "event_id"].tolist()
        raise ReportError(f"events has duplicate event_id(s) {dup[:5]}; ids must be unique")
    known = set(events["event_id"].tolist())
    for frame, name in ((cars, "cars"), (abnormal_returns, "abnormal_returns")):
        unknown = [i for i in dict.fromkeys(frame["event_id"].tolist()) if i not in known]
        if unknown:
            raise ReportError(
                f"{name} has event_id(s) {unknown[:5]} that are not in events; pass the catalog "
                "the study ran on, so every CAR can be traced to its event"
            )
    if not isinstance(settings, Mapping):
        raise ReportError(f"settings must be a mapping, got {type(settings).__name__}")
    if not isinstance(sources, Mapping):
        raise ReportError(f"sources must be a mapping, got {type(sources).__name__}")
    if isinstance(notices, str):
        notices = [notices]
    test_tables = _tables(tests, "tests")
    caar_tables = _tables(caar, "caar")
    if "" in caar_tables:
        caar_tables = {str(settings.get("caar_by", "category")): caar_tables.pop("")}
    settings_json = _jsonable(dict(settings), "settings")
    sources_json = _jsonable(dict(sources), "sources")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create the report folder {out}: {exc}") from exc

    label = None
    if not cars.empty:
        if window is None:
            window = _default_window(cars)
        _, label = select_window(cars, window)

    # ---- tables as CSV ------------------------------------------------------------------
    files: list[str] = []

    def csv(frame: pd.DataFrame, name: str) -> None:
        frame.to_csv(out / name, index=False)
        files.append(name)

    csv(events, "events.csv")
    csv(abnormal_returns, "abnormal_returns.csv")
    csv(cars, "cars.csv")
    if "" in test_tables:
        csv(test_tables[""], "tests.csv")
    else:
        for name, table in test_tables.items():
            csv(table, f"tests_{_slug(name)}.csv")
    if caar_tables:
        stacked = (
            pd.concat([t.assign(by=by) for by, t in caar_tables.items()], ignore_index=True)
            if len(caar_tables) > 1
            else next(iter(caar_tables.values()))
        )
        csv(stacked, "caar.csv")

    # ---- figures ------------------------------------------------------------------------
    figs = _Figures(out)
    shown_prices = prices.dropna(axis=1, how="all")
    for column in prices.columns:
        if column not in shown_prices.columns:
            figs.notices.append(f"timeline.png: series {column} has no prices and is not drawn")
    if shown_prices.shape[1] and len(shown_prices):
        figs.add(
            "timeline",
            "timeline.png",
            lambda: plot_timelines(shown_prices, events if len(events) else None, units=units),
            "Price of each series over the study period (sessions only; hatched: no sessions "
            "for more than 7 days). Vertical lines: events, red escalation, green "
            "de-escalation, grey neutral.",
        )
    else:
        figs.notices.append("figure timeline.png not drawn: no price series to show")
    if label is not None:
        figs.add(
            "heatmap",
            "car_heatmap.png",
            lambda: plot_car_heatmap(cars, label, events=events, alpha_levels=alpha_levels),
            f"CAR{label} in percent, events (rows, by date) × instruments; colour: size and "
            f"sign of the CAR; {stars_note(alpha_levels)}.",
        )
        for by, table in caar_tables.items():
            if table.empty:
                continue
            figs.add(
                "caar",
                f"caar_{_slug(by)}.png",
                lambda table=table, by=by: plot_caar(
                    table, by=by, window=label, alpha_levels=alpha_levels
                ),
                f"Cumulative average abnormal return CAAR{label} by {by}, per instrument, "
                "with ±1.96·se error bars (95%).",
            )
    path_ids = _path_ids(abnormal_returns, events, path_events)
    for event_id in path_ids:
        figs.add(
            f"path:{event_id}",
            f"event_{_slug(event_id)}.png",
            lambda event_id=event_id: plot_event_paths(abnormal_returns, event_id, events=events),
            f"Abnormal returns (bars, ±95% CI) and cumulative abnormal return (line, 95% band "
            f"from the summed AR variances) around event {event_id}, in trading days relative "
            "to day 0 on each instrument's calendar.",
        )
    files.extend(name for _, name, _, _ in figs.items)
    all_notices = [str(n) for n in notices] + figs.notices
    written = dt.datetime.now(dt.UTC)

    # ---- run.json -----------------------------------------------------------------------
    run = {
        "title": title,
        "question": question,
        "package": {"name": "eventstudy", "version": __version__},
        "timestamps": {
            "started_utc": _jsonable(started) if started is not None else None,
            "report_written_utc": written.isoformat(),
            "elapsed_seconds": (
                (
                    written - (started if started.tzinfo else started.replace(tzinfo=dt.UTC))
                ).total_seconds()
                if started is not None
                else None
            ),
        },
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "pandas": pd.__version__,
            "numpy": np.__version__,
            "matplotlib": matplotlib.__version__,
        },
        "settings": settings_json,
        "sources": sources_json,
        "notices": all_notices,
        "window_shown": label,
        "counts": {
            "events": len(events),
            "abnormal_returns": len(abnormal_returns),
            "cars": len(cars),
            "instruments": sorted({str(i) for i in cars["instrument"].tolist()}),
        },
        "files": [*files, "report.html", "run.json"],
    }
    (out / "run.json").write_text(
        json.dumps(run, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
    )

    # ---- report.html --------------------------------------------------------------------
    page = _html_page(
        title=title,
        question=question,
        written=written,
        settings=settings_json,
        sources=sources_json,
        notices=all_notices,
        events=events,
        cars=cars,
        label=label,
        figs=figs,
        test_tables=test_tables,
        caar_tables=caar_tables,
        files=files,
        alpha_levels=alpha_levels,
    )
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def _path_ids(
    abnormal_returns: pd.DataFrame,
    events: pd.DataFrame,
    path_events: Iterable[Hashable] | int | None,
) -> list[Hashable]:
    if abnormal_returns.empty:
        return []
    ids = list(dict.fromkeys(abnormal_returns["event_id"].tolist()))
    if path_events is not None and not isinstance(path_events, int):
        wanted = list(path_events)
        unknown = [i for i in wanted if i not in ids]
        if unknown:
            raise ReportError(f"path_events names events without abnormal returns: {unknown}")
        return wanted
    dates = pd.to_datetime(
        events.drop_duplicates("event_id").set_index("event_id")["date"], errors="coerce"
    )
    ids.sort(key=lambda i: (dates.get(i, pd.NaT) is pd.NaT, dates.get(i, pd.Timestamp.max)))
    if isinstance(path_events, int):
        ids = ids[: max(0, path_events)]
    return ids


def _events_view(events: pd.DataFrame) -> pd.DataFrame:
    preferred = [
        "event_id",
        "date",
        "date_end",
        "date_precision",
        "modality",
        "category",
        "mode",
        "direction",
        "goldstein",
        "actors",
        "summary",
        "sources",
        "mentions",
        "evidence",
        "confidence",
    ]
    cols = [c for c in preferred if c in events.columns] + [
        c for c in events.columns if c not in preferred
    ]
    view = events.loc[:, cols].copy()
    for col in ("actors", "sources"):
        if col in view.columns:
            view[col] = [
                "; ".join(p.strip() for p in _text(v).split(";") if p.strip())
                for v in view[col].tolist()
            ]
    if "date" in view.columns:
        dates = pd.to_datetime(view["date"], errors="coerce")
        view = view.iloc[np.argsort(dates.to_numpy(), kind="stable")]
    return view


def _events_table(events: pd.DataFrame) -> str:
    view = _events_view(events)
    head = "".join(f"<th>{_e(c)}</th>" for c in view.columns)
    body = []
    for row in view.itertuples(index=False):
        cells = []
        for col, value in zip(view.columns, row, strict=True):
            text = html.escape(_fmt_cell(value))
            klass = f' class="{_e(value)}"' if col == "direction" else ""
            cells.append(f"<td{klass}>{text}</td>")
        rid = f"event-{_slug(row[list(view.columns).index('event_id')])}"
        body.append(f'<tr id="{html.escape(rid)}">' + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table class="events"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _html_page(
    *,
    title: str,
    question: str,
    written: dt.datetime,
    settings: Mapping[str, Any],
    sources: Mapping[str, Any],
    notices: Sequence[str],
    events: pd.DataFrame,
    cars: pd.DataFrame,
    label: str | None,
    figs: _Figures,
    test_tables: Mapping[str, pd.DataFrame],
    caar_tables: Mapping[str, pd.DataFrame],
    files: Sequence[str],
    alpha_levels: Sequence[float],
) -> str:
    parts: list[str] = []
    add = parts.append
    add("<!DOCTYPE html>")
    add('<html lang="en"><head><meta charset="utf-8">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>")
    add(f"<header><h1>{_e(title)}</h1>")
    add(f'<p class="question">{_e(question)}</p>')
    add(
        f'<p class="muted">eventstudy {_e(__version__)} · written '
        f"{_e(written.strftime('%Y-%m-%d %H:%M UTC'))} · "
        f"{len(events)} events · {cars['instrument'].nunique()} instruments</p>"
    )
    add(
        '<nav><a href="#summary">Summary</a><a href="#figures">Figures</a>'
        '<a href="#events">Events</a><a href="#tests">Tests</a><a href="#settings">Settings</a>'
        '<a href="#files">Files</a></nav></header>'
    )

    # notices
    add('<section id="notices"><h2>Notices</h2>')
    if notices:
        add('<ul class="notices">' + "".join(f"<li>{_e(n)}</li>" for n in notices) + "</ul>")
    else:
        add('<p class="muted">No notices: every requested series and figure was produced.</p>')
    add("</section>")

    # summary
    add('<section id="summary"><h2>Summary</h2>')
    if label is None:
        add('<p class="muted">No cumulative abnormal returns were computed.</p>')
    else:
        note = f"CAR{label} in percent; {stars_note(alpha_levels)}."
        top = top_cars(cars, events, label, alpha_levels=alpha_levels)
        add(f"<h3>Largest abnormal moves, CAR{_e(label)}</h3>")
        add(
            f'<p class="muted">The {len(top)} CARs largest in absolute value; {_e(note)} '
            "Events reported on the same day 0 are one market move, listed once under its "
            "first event; <em>events</em> counts them. "
            "Click an event to see its sources and evidence.</p>"
        )
        top = top.rename(columns={"car_pct": "CAR (%)", "se_pct": "se (%)", "shared": "events"})
        add(
            _html_table(
                top,
                links={"event_id": "event-"},
                formats={
                    "summary": lambda v: _shorten(v, 110),
                    "CAR (%)": lambda v: f"{v:+.2f}",
                    "se (%)": lambda v: "" if not np.isfinite(v) else f"{v:.2f}",
                    "t": lambda v: "" if not np.isfinite(v) else f"{v:.2f}",
                    "p": lambda v: "" if not np.isfinite(v) else f"{v:.3f}",
                },
            )
        )
        table = summary_table(cars, events, label, alpha_levels=alpha_levels)
        add(f"<h3>All events, CAR{_e(label)} (%)</h3>")
        add(f'<p class="muted">{_e(note)} n/a: no CAR for that pair.</p>')
        add(_html_table(table, links={"event_id": "event-"}, cls="summary"))
    add("</section>")

    # figures
    add('<section id="figures"><h2>Figures</h2>')
    main_figs = [f for f in figs.items if not f[0].startswith("path:")]
    path_figs = [f for f in figs.items if f[0].startswith("path:")]
    if not figs.items:
        add('<p class="muted">No figures were drawn (see the notices).</p>')
    for _, name, png, caption in main_figs:
        add(_img(name, png, caption))
    if path_figs:
        add("<h3>Abnormal returns around each event</h3>")
        labels = {}
        if "summary" in events.columns:
            cat = events.drop_duplicates("event_id")
            for r in cat.itertuples(index=False):
                try:
                    labels[str(r.event_id)] = event_label(r._asdict(), width=90)
                except (ValueError, TypeError):
                    labels[str(r.event_id)] = str(r.event_id)
        for i, (key, name, png, caption) in enumerate(path_figs):
            event_id = key.split(":", 1)[1]
            shown = labels.get(event_id, event_id)
            opened = " open" if i == 0 else ""
            add(f"<details{opened}><summary>{_e(event_id)}: {_e(shown)}</summary>")
            add(_img(name, png, caption))
            add("</details>")
    add("</section>")

    # events
    add('<section id="events"><h2>Events</h2>')
    add(
        '<p class="muted">One row per real-world event: sources are the article ids that report '
        "it, evidence the sentence it was coded from.</p>"
    )
    add(_events_table(events) if len(events) else '<p class="muted">No events.</p>')
    add("</section>")

    # tests and CAAR tables
    add('<section id="tests"><h2>Tests</h2>')
    if not test_tables and not caar_tables:
        add('<p class="muted">No test tables were given.</p>')
    for name, table in test_tables.items():
        if name:
            add(f"<h3>{_e(name)}</h3>")
        add(_html_table(table))
    for by, table in caar_tables.items():
        add(f"<h3>CAAR by {_e(by)}</h3>")
        add(_html_table(table))
    add("</section>")

    # settings and sources
    add('<section id="settings"><h2>Settings and data sources</h2><div class="cols">')
    add(f"<div><h3>Settings</h3>{_kv_table(settings)}</div>")
    add(f"<div><h3>Data sources</h3>{_kv_table(sources)}</div>")
    add("</div></section>")

    # files
    add('<section id="files"><h2>Files</h2><ul>')
    for name in [*files, "run.json"]:
        add(f'<li><a href="{html.escape(name)}">{_e(name)}</a></li>')
    add("</ul></section>")
    add("</main></body></html>")
    return "\n".join(parts) + "\n"
