"""Figures of an event study: prices with events, AR/CAR paths, CAR heatmap, CAAR by group.

Every function takes ``ax=None`` (or ``axes=None``) and returns the
:class:`~matplotlib.figure.Figure` it drew on. With ``ax=None`` a new figure is made with
``plt.subplots``; with an axes given the function draws into it and leaves the figure's layout
alone. Nothing here calls ``plt.show``.

Units. Returns in the study's frames are decimals (``0.01`` is one percent; for log returns one
log point); the figures show them multiplied by 100 and label the axis "%".

Inputs follow the frame contracts of ``DESIGN.md``:

- event catalog: ``event_id, date, date_end, direction, summary, ...``
- prices: wide frame, :class:`~pandas.DatetimeIndex` of sessions, one column per instrument,
  ``NaN`` where the instrument had no session (never forward-filled);
- abnormal returns: ``event_id, instrument, rel_day, date, ar, se, t, p``;
- CARs: ``event_id, instrument, window, car, se, t, p``;
- CAAR tables: ``group, instrument, window, caar, se, t, p, n``.

A missing column, an empty frame or a value of the wrong kind raises :class:`PlotInputError`
naming the frame, the column and what was expected.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Hashable, Iterable, Mapping, Sequence
from statistics import NormalDist
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from eventstudy.errors import EventStudyError

__all__ = [
    "DIRECTION_COLORS",
    "DIRECTION_ORDER",
    "PlotInputError",
    "car_path",
    "event_label",
    "plot_caar",
    "plot_car_heatmap",
    "plot_event_paths",
    "plot_timeline",
    "plot_timelines",
    "select_window",
    "significance_stars",
    "window_key",
]

#: Colour of an event marker by its ``direction`` (relative to the crisis under study).
DIRECTION_COLORS: dict[str, str] = {
    "escalation": "#c62828",
    "de-escalation": "#2e7d32",
    "neutral": "#757575",
}
#: Order in which directions appear in legends and CAAR-by-direction charts.
DIRECTION_ORDER: tuple[str, ...] = ("escalation", "neutral", "de-escalation")

EVENT_REQUIRED = ("event_id", "date", "direction")
AR_REQUIRED = ("event_id", "instrument", "rel_day", "ar", "se")
CAR_REQUIRED = ("event_id", "instrument", "window", "car", "p")

#: Series colours: blues, oranges, purples ... never the red/green/grey of the event markers.
_SERIES_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#17becf",
    "#bcbd22",
    "#e377c2",
    "#393b79",
)
_PERCENT = 100.0


class PlotInputError(EventStudyError, ValueError):
    """A frame given to a plot or report function does not fit its contract.

    The message names the frame, the column (or value) and what was expected.
    """


# ---------------------------------------------------------------------------------------------
# small shared helpers (also used by eventstudy.report)
# ---------------------------------------------------------------------------------------------


def _check_frame(frame: object, required: Sequence[str], name: str) -> pd.DataFrame:
    """Check that ``frame`` is a non-empty DataFrame holding ``required`` columns."""
    if not isinstance(frame, pd.DataFrame):
        raise PlotInputError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise PlotInputError(
            f"{name} is missing column(s) {', '.join(map(repr, missing))}; "
            f"expected at least {list(required)}, found {[str(c) for c in frame.columns]}"
        )
    if frame.empty:
        raise PlotInputError(f"{name} is empty (no rows): nothing to plot")
    return frame


def _numeric(frame: pd.DataFrame, column: str, name: str) -> np.ndarray:
    """Column as float array; a value that is not a number raises, naming row and value."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise PlotInputError(
            f"{name} column {column!r} must be numeric; row {i} holds {frame[column].iloc[i]!r}"
        )
    return values.to_numpy(dtype=float)


def _dates(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    """Column parsed as timestamps; a value that is not a date raises, naming the event."""
    raw = frame[column]
    parsed = pd.to_datetime(raw, errors="coerce")
    bad = parsed.isna() & raw.notna()
    if column == "date":
        bad = bad | raw.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        who = f"event {frame['event_id'].iloc[i]!r}" if "event_id" in frame else f"row {i}"
        raise PlotInputError(
            f"{name} column {column!r} must hold dates (YYYY-MM-DD); {who} has {raw.iloc[i]!r}"
        )
    return parsed


def _check_directions(directions: pd.Series, ids: pd.Series, name: str) -> None:
    bad = ~directions.isin(list(DIRECTION_COLORS))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise PlotInputError(
            f"{name} column 'direction' of event {ids.iloc[i]!r} is {directions.iloc[i]!r}; "
            f"expected one of {list(DIRECTION_COLORS)}"
        )


def significance_stars(p: float | None, alpha_levels: Iterable[float] = (0.1, 0.05, 0.01)) -> str:
    """Stars for a p-value: one per level in ``alpha_levels`` that ``p`` is strictly below.

    With the default levels: ``p < 0.1`` gives ``*``, ``p < 0.05`` ``**``, ``p < 0.01`` ``***``.
    A missing p-value (``None``/``NaN``) gives ``""``.
    """
    levels = _alpha_levels(alpha_levels)
    if p is None:
        return ""
    try:
        value = float(p)
    except (TypeError, ValueError):
        return ""
    if math.isnan(value):
        return ""
    return "*" * sum(value < a for a in levels)


def _alpha_levels(alpha_levels: Iterable[float]) -> tuple[float, ...]:
    levels = tuple(sorted((float(a) for a in alpha_levels), reverse=True))
    if not levels or any(not 0.0 < a < 1.0 for a in levels):
        raise PlotInputError(f"alpha_levels must be numbers in (0, 1); got {levels}")
    return levels


def stars_note(alpha_levels: Iterable[float] = (0.1, 0.05, 0.01)) -> str:
    """Key to the stars, e.g. ``"* p<0.1  ** p<0.05  *** p<0.01"``."""
    levels = _alpha_levels(alpha_levels)
    return "  ".join(f"{'*' * (k + 1)} p<{a:g}" for k, a in enumerate(levels))


_WINDOW_RE = re.compile(r"\s*[\(\[]?\s*([+-]?\d+)\s*[,;:]\s*([+-]?\d+)\s*[\)\]]?\s*")


def window_key(label: object) -> tuple[int, int] | str:
    """Normalised form of a window label: ``"(-1,+1)"``, ``"(-1, 1)"`` and ``(-1, 1)`` all give
    ``(-1, 1)``; a label that is not a pair of integers is returned as its stripped string."""
    if isinstance(label, tuple | list) and len(label) == 2:
        try:
            return (int(label[0]), int(label[1]))
        except (TypeError, ValueError):
            return str(label).strip()
    text = str(label)
    m = _WINDOW_RE.fullmatch(text)
    if m:
        return (int(m.group(1)), int(m.group(2)))
    return text.strip()


def select_window(
    frame: pd.DataFrame, window: object, *, name: str = "cars"
) -> tuple[pd.DataFrame, str]:
    """Rows of ``frame`` whose ``window`` label is ``window``, and that label as written there.

    An exact label match wins; otherwise labels are compared by :func:`window_key`, so
    ``"(-1,+1)"``, ``"(-1, 1)"`` and the tuple ``(-1, 1)`` select the same rows. No match, or two
    different labels meaning the same window, raises :class:`PlotInputError` listing the labels.
    """
    labels = list(dict.fromkeys(frame["window"].tolist()))
    if isinstance(window, str) and window in labels:
        chosen = window
    else:
        key = window_key(window)
        hits = [lab for lab in labels if window_key(lab) == key]
        if not hits:
            raise PlotInputError(
                f"{name} has no rows for window {window!r}; windows present: "
                f"{[str(lab) for lab in labels]}"
            )
        if len(hits) > 1:
            raise PlotInputError(
                f"{name} has several labels for window {window!r} ({hits}); pass one exactly"
            )
        chosen = hits[0]
    return frame.loc[frame["window"] == chosen], str(chosen)


def _pretty_window(label: str) -> str:
    key = window_key(label)
    if isinstance(key, tuple):
        a, b = key
        return f"({a:+d}, {b:+d})".replace("+0", "0")
    return label


def event_label(row: Mapping[str, Any] | pd.Series, width: int = 48) -> str:
    """``"2022-02-24 — short summary…"`` for a catalog row (the summary cut at ``width``)."""
    date = pd.Timestamp(row["date"]).strftime("%Y-%m-%d")
    summary = row.get("summary") if hasattr(row, "get") else None
    if summary is None or (np.ndim(summary) == 0 and pd.isna(summary)) or not str(summary).strip():
        return f"{date} — {row['event_id']}"
    text = " ".join(str(summary).split())
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"{date} — {text}"


def _catalog_lookup(events: pd.DataFrame, ids: Iterable[Hashable], name: str) -> pd.DataFrame:
    """Catalog rows for ``ids`` (indexed by event_id), with ``date`` parsed; unknown ids raise."""
    _check_frame(events, ("event_id", "date"), "events")
    cat = events.copy()
    cat["date"] = _dates(cat, "date", "events")
    if cat["event_id"].duplicated().any():
        dup = cat.loc[cat["event_id"].duplicated(), "event_id"].iloc[0]
        raise PlotInputError(f"events has event_id {dup!r} more than once; ids must be unique")
    cat.index = pd.Index(cat["event_id"].tolist())
    missing = [i for i in ids if i not in cat.index]
    if missing:
        raise PlotInputError(
            f"{name} refers to event_id(s) {missing[:5]} that are not in the events catalog"
        )
    return cat


def _new_axes(
    ax: Axes | None, figsize: tuple[float, float], *, layout: str = "constrained"
) -> tuple[Figure, Axes]:
    if ax is None:
        fig, new_ax = plt.subplots(figsize=figsize, layout=layout)
        return fig, new_ax
    if not isinstance(ax, Axes):
        raise PlotInputError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    return ax.get_figure(root=True), ax


def _grid(
    n: int,
    ncols: int,
    axes: Sequence[Axes] | np.ndarray | None,
    panel: tuple[float, float],
    *,
    gap_h: float = 0.95,
    bottom: float = 1.0,
    top: float = 0.6,
) -> tuple[Figure, list[Axes], bool]:
    """A grid of ``n`` panels (new figure) or the user's axes; returns (figure, axes, created)."""
    if axes is not None:
        flat = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(flat) < n:
            raise PlotInputError(f"need {n} axes (one per instrument), got {len(flat)}")
        for a in flat:
            if not isinstance(a, Axes):
                raise PlotInputError(f"axes must be matplotlib Axes, got {type(a).__name__}")
        return flat[0].get_figure(root=True), flat[:n], False
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    # Fixed margins in inches (constrained layout costs ~40% more time per figure, which adds
    # up over one figure per event in a report): left/right, bottom (x label and the figure
    # legend), top (suptitle), and the gaps between panels (title, ticks and x label).
    left, right, gap_w = 0.85, 0.2, 0.85
    width = max(6.0, panel[0] * ncols)
    height = panel[1] * nrows + 0.6
    axes_w = (width - left - right - gap_w * (ncols - 1)) / ncols
    axes_h = (height - bottom - top - gap_h * (nrows - 1)) / nrows
    fig, grid = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False)
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        wspace=gap_w / axes_w,
        hspace=gap_h / axes_h,
    )
    flat = list(grid.ravel())
    for extra in flat[n:]:
        fig.delaxes(extra)
    return fig, flat[:n], True


def _format_date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


# ---------------------------------------------------------------------------------------------
# 1. timeline
# ---------------------------------------------------------------------------------------------


def _select_instruments(
    available: Sequence[Hashable], instruments: Iterable[Hashable] | None, name: str
) -> list[Hashable]:
    if instruments is None:
        return list(available)
    if isinstance(instruments, str):
        instruments = [instruments]
    chosen = list(dict.fromkeys(instruments))
    missing = [i for i in chosen if i not in available]
    if missing:
        raise PlotInputError(
            f"{name} has no instrument(s) {missing}; available: {[str(a) for a in available]}"
        )
    if not chosen:
        raise PlotInputError(f"instruments is empty; choose from {[str(a) for a in available]}")
    return chosen


def _prepare_events(events: pd.DataFrame) -> pd.DataFrame:
    _check_frame(events, EVENT_REQUIRED, "events")
    ev = pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy(),
            "date": _dates(events, "date", "events").to_numpy(),
            "direction": events["direction"].to_numpy(),
        }
    )
    if "date_end" in events.columns:
        ev["date_end"] = _dates(events, "date_end", "events").to_numpy()
    else:
        ev["date_end"] = pd.NaT
    _check_directions(ev["direction"], ev["event_id"], "events")
    return ev


def _draw_events(ax: Axes, ev: pd.DataFrame) -> None:
    for row in ev.itertuples(index=False):
        color = DIRECTION_COLORS[row.direction]
        ax.axvline(
            row.date,
            color=color,
            lw=1.1,
            alpha=0.75,
            zorder=1,
            gid=f"event:{row.event_id}",
            label="_nolegend_",
        )
        if pd.notna(row.date_end) and row.date_end > row.date:
            ax.axvspan(row.date, row.date_end, color=color, alpha=0.08, lw=0, zorder=0)


def _direction_handles(directions: Iterable[str]) -> list[Line2D]:
    present = set(directions)
    return [
        Line2D([], [], color=DIRECTION_COLORS[d], lw=1.5, label=f"event: {d}")
        for d in DIRECTION_ORDER
        if d in present
    ]


def _series_with_breaks(series: pd.Series, max_gap_days: float) -> tuple[pd.Series, list]:
    """Observed values only; a NaN is inserted where sessions are more than ``max_gap_days``
    apart, so the line breaks there instead of drawing a straight segment over a market closure."""
    s = series.dropna()
    gaps = []
    if len(s) < 2:
        return s, gaps
    idx = s.index
    delta = (idx[1:] - idx[:-1]) / pd.Timedelta(days=1)
    long_gap = np.flatnonzero(np.asarray(delta) > max_gap_days)
    if long_gap.size == 0:
        return s, gaps
    inserts = []
    for k in long_gap:
        a, b = idx[k], idx[k + 1]
        gaps.append((a, b))
        inserts.append(a + (b - a) / 2)
    filler = pd.Series(np.nan, index=pd.DatetimeIndex(inserts))
    return pd.concat([s, filler]).sort_index(), gaps


def plot_timeline(
    prices: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    instruments: Iterable[Hashable] | None = None,
    normalize: bool = True,
    log: bool = False,
    start: object = None,
    end: object = None,
    units: Mapping[Hashable, str] | None = None,
    max_gap_days: float = 7.0,
    title: str | None = None,
    legend: bool = True,
    ax: Axes | None = None,
) -> Figure:
    """Price series over the study period with the events marked by direction.

    Parameters
    ----------
    prices : DataFrame
        Wide prices: :class:`~pandas.DatetimeIndex` of sessions, one column per instrument,
        ``NaN`` where an instrument had no session. Each series is drawn through its own
        sessions; where two consecutive sessions are more than ``max_gap_days`` calendar days
        apart (a suspension such as Moscow's 2022-02-28..2022-03-23) the line is broken and
        the gap shaded, never bridged.
    events : DataFrame, optional
        Event catalog (``event_id, date, direction``; ``date_end`` used when present). Each
        event is a vertical line at its ``date`` coloured by direction (escalation red,
        de-escalation green, neutral grey; an interval ``date``..``date_end`` is also shaded
        lightly). Lines carry ``gid="event:<event_id>"``.
    instruments : list of str, optional
        Columns to draw (default: all).
    normalize : bool, default True
        Rebase each series to 100 at its first observation in the period:
        ``100 * P_t / P_first``.
    log : bool, default False
        Logarithmic y axis.
    start, end : date-like, optional
        Period shown (default: the whole index, widened to any event outside it).
    units : mapping, optional
        Unit of each instrument's price (e.g. ``{"USDRUB": "RUB per USD"}``) for the y label
        when not normalised.
    max_gap_days : float, default 7
        Gap, in calendar days, from which the line is broken.
    title : str, optional
    legend : bool, default True
    ax : Axes, optional
        Draw into this axes (all instruments on it); otherwise a new figure.

    Returns
    -------
    Figure
    """
    _check_frame(prices, (), "prices")
    if not isinstance(prices.index, pd.DatetimeIndex):
        raise PlotInputError(
            f"prices must have a DatetimeIndex of session dates, got {type(prices.index).__name__}"
        )
    chosen = _select_instruments(list(prices.columns), instruments, "prices")
    mask = np.ones(len(prices), dtype=bool)
    if start is not None:
        mask &= prices.index >= pd.Timestamp(start)
    if end is not None:
        mask &= prices.index <= pd.Timestamp(end)
    window = prices.loc[mask, chosen]
    ev = _prepare_events(events) if events is not None else None

    fig, ax = _new_axes(ax, (10, 4.5))
    handles: list[Any] = []
    gap_handles: list[Any] = []
    for k, inst in enumerate(chosen):
        values = _numeric(window, inst, "prices")
        series = pd.Series(values, index=window.index).dropna()
        if series.empty:
            raise PlotInputError(
                f"prices column {inst!r} has no observations"
                + (f" between {start} and {end}" if start is not None or end is not None else "")
            )
        if log and (series <= 0).any():
            raise PlotInputError(f"prices column {inst!r} has values <= 0; cannot use log=True")
        if normalize:
            series = 100.0 * series / series.iloc[0]
        drawn, gaps = _series_with_breaks(series, max_gap_days)
        color = _SERIES_COLORS[k % len(_SERIES_COLORS)]
        (line,) = ax.plot(drawn.index, drawn.to_numpy(), color=color, lw=1.4, label=str(inst))
        line.set_gid(f"series:{inst}")
        handles.append(line)
        gap_color = "#9e9e9e" if len(chosen) == 1 else color
        for a, b in gaps:
            ax.axvspan(
                a, b, facecolor="none", edgecolor=gap_color, alpha=0.6, hatch="//", lw=0, zorder=0
            )
        if gaps:
            gap_handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=gap_color,
                    hatch="//",
                    label=(f"{inst}: " if len(chosen) > 1 else "")
                    + f"no sessions (> {max_gap_days:g} days)",
                )
            )

    if ev is not None:
        _draw_events(ax, ev)
        handles.extend(_direction_handles(ev["direction"]))
    handles.extend(gap_handles)

    if normalize:
        ylabel = "index (first session = 100)"
    elif len(chosen) == 1:
        unit = (units or {}).get(chosen[0], "price level")
        ylabel = f"{chosen[0]} ({unit})"
    else:
        ylabel = "price (instrument units)"
    if log:
        ax.set_yscale("log")
        ylabel += ", log scale"
    ax.set_ylabel(ylabel)
    ax.set_xlabel("date")
    if start is not None or end is not None:
        ax.set_xlim(
            pd.Timestamp(start) if start is not None else None,
            pd.Timestamp(end) if end is not None else None,
        )
    _format_date_axis(ax)
    ax.grid(True, axis="y", alpha=0.3)
    if title is None:
        title = (f"{chosen[0]} and events" if len(chosen) == 1 else "Prices and events") + (
            " (rebased to 100)" if normalize else ""
        )
    ax.set_title(title)
    if legend:
        ax.legend(handles=handles, loc="best", fontsize="small", framealpha=0.9)
    return fig


def plot_timelines(
    prices: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    instruments: Iterable[Hashable] | None = None,
    normalize: bool = False,
    log: bool = False,
    start: object = None,
    end: object = None,
    units: Mapping[Hashable, str] | None = None,
    max_gap_days: float = 7.0,
    ncols: int = 2,
    title: str | None = "Prices and events",
    axes: Sequence[Axes] | np.ndarray | None = None,
) -> Figure:
    """One :func:`plot_timeline` panel per instrument, with one legend for the figure.

    Parameters are those of :func:`plot_timeline`; ``normalize`` defaults to False here, so each
    panel shows its instrument's own price level. ``axes`` (one per instrument) draws into
    existing axes; otherwise a grid with ``ncols`` columns is made.
    """
    _check_frame(prices, (), "prices")
    chosen = _select_instruments(list(prices.columns), instruments, "prices")
    fig, flat, created = _grid(len(chosen), ncols, axes, (6.0, 2.6), gap_h=0.6, bottom=0.7)
    for a, inst in zip(flat, chosen, strict=True):
        plot_timeline(
            prices,
            events,
            instruments=[inst],
            normalize=normalize,
            log=log,
            start=start,
            end=end,
            units=units,
            max_gap_days=max_gap_days,
            title=str(inst),
            legend=False,
            ax=a,
        )
        a.set_xlabel("")
        if not normalize:
            a.set_ylabel((units or {}).get(inst, "price level") + (", log scale" if log else ""))
    handles: list[Any] = []
    if events is not None:
        handles.extend(_direction_handles(_prepare_events(events)["direction"]))
    if any(patch.get_hatch() for a in flat for patch in a.patches):
        handles.append(
            Patch(
                facecolor="none",
                edgecolor="#9e9e9e",
                hatch="//",
                label=f"no sessions (> {max_gap_days:g} days)",
            )
        )
    if handles:
        if created:
            fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)
        else:
            flat[0].legend(handles=handles, loc="best", fontsize="small")
    if title and created:
        fig.suptitle(title)
    return fig


# ---------------------------------------------------------------------------------------------
# 2. AR / CAR paths around one event
# ---------------------------------------------------------------------------------------------


def _z(level: float) -> float:
    if not 0.0 < float(level) < 1.0:
        raise PlotInputError(f"level must be in (0, 1), e.g. 0.95; got {level!r}")
    return NormalDist().inv_cdf(0.5 + float(level) / 2.0)


def car_path(
    abnormal_returns: pd.DataFrame,
    event_id: Hashable,
    instrument: Hashable,
    *,
    level: float = 0.95,
    rel_days: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """AR and cumulative AR of one event on one instrument, with confidence bands.

    With :math:`z = \\Phi^{-1}(1/2 + \\text{level}/2)` and rows sorted by ``rel_day``
    starting at :math:`\\tau_1`:

    .. math::

        CAR_\\tau = \\sum_{s=\\tau_1}^{\\tau} AR_s, \\qquad
        se(CAR_\\tau) = \\sqrt{\\sum_{s=\\tau_1}^{\\tau} se(AR_s)^2}

    (abnormal returns treated as uncorrelated; the covariance from the estimation-period
    parameters is ignored), bands :math:`AR \\pm z\\,se(AR)` and
    :math:`CAR \\pm z\\,se(CAR)`. A missing AR makes the CAR missing from that day on (it is
    not treated as zero).

    Parameters
    ----------
    abnormal_returns : DataFrame
        ``event_id, instrument, rel_day, ar, se`` (``date`` kept when present).
    event_id, instrument
        Which event and instrument.
    level : float, default 0.95
        Coverage of the bands.
    rel_days : (int, int), optional
        Restrict to ``first <= rel_day <= last`` before cumulating.

    Returns
    -------
    DataFrame
        ``rel_day, date, ar, se, ar_lo, ar_hi, car, car_se, car_lo, car_hi`` (decimals).
    """
    _check_frame(abnormal_returns, AR_REQUIRED, "abnormal_returns")
    z = _z(level)
    rows = abnormal_returns.loc[
        (abnormal_returns["event_id"] == event_id) & (abnormal_returns["instrument"] == instrument)
    ]
    if rows.empty:
        raise PlotInputError(
            f"abnormal_returns has no rows for event_id {event_id!r} and instrument {instrument!r}"
        )
    rel = _numeric(rows, "rel_day", "abnormal_returns")
    if np.isnan(rel).any() or (rel != np.round(rel)).any():
        raise PlotInputError("abnormal_returns column 'rel_day' must hold whole trading days")
    out = pd.DataFrame(
        {
            "rel_day": rel.astype(int),
            "date": pd.to_datetime(rows["date"]).to_numpy() if "date" in rows else pd.NaT,
            "ar": _numeric(rows, "ar", "abnormal_returns"),
            "se": _numeric(rows, "se", "abnormal_returns"),
        }
    ).sort_values("rel_day", kind="stable")
    if out["rel_day"].duplicated().any():
        dup = int(out.loc[out["rel_day"].duplicated(), "rel_day"].iloc[0])
        raise PlotInputError(
            f"abnormal_returns has rel_day {dup} twice for event_id {event_id!r}, "
            f"instrument {instrument!r}"
        )
    if rel_days is not None:
        lo, hi = int(rel_days[0]), int(rel_days[1])
        out = out.loc[(out["rel_day"] >= lo) & (out["rel_day"] <= hi)]
        if out.empty:
            raise PlotInputError(f"no abnormal returns with rel_day in [{lo}, {hi}]")
    out = out.reset_index(drop=True)
    ar = out["ar"].to_numpy()
    se = out["se"].to_numpy()
    out["ar_lo"] = ar - z * se
    out["ar_hi"] = ar + z * se
    out["car"] = np.cumsum(ar)  # NaN propagates forward: no zero fill
    out["car_se"] = np.sqrt(np.cumsum(se**2))
    out["car_lo"] = out["car"] - z * out["car_se"]
    out["car_hi"] = out["car"] + z * out["car_se"]
    return out


def plot_event_paths(
    abnormal_returns: pd.DataFrame,
    event_id: Hashable,
    *,
    instruments: Iterable[Hashable] | None = None,
    level: float = 0.95,
    rel_days: tuple[int, int] | None = None,
    events: pd.DataFrame | None = None,
    ncols: int = 3,
    ax: Axes | Sequence[Axes] | np.ndarray | None = None,
) -> Figure:
    """Abnormal returns (bars) and their cumulative path (line) around one event.

    One panel per instrument: bars are :math:`AR_\\tau` in percent with whiskers
    :math:`\\pm z\\,se(AR_\\tau)`; the line is :math:`CAR_\\tau` cumulated from the first
    ``rel_day`` shown, its band :math:`\\pm z\\sqrt{\\sum se^2}` (see :func:`car_path`). The
    x axis is trading days relative to the event's day 0 on that instrument's calendar.

    Parameters
    ----------
    abnormal_returns : DataFrame
        ``event_id, instrument, rel_day, ar, se`` (tidy, decimals).
    event_id
        The event to draw.
    instruments : list, optional
        Instruments (default: all with rows for the event, in order of appearance).
    level : float, default 0.95
        Coverage of the bands.
    rel_days : (int, int), optional
        Range of event days shown and cumulated.
    events : DataFrame, optional
        Catalog; when given the title carries the event's date and summary.
    ncols : int, default 3
        Columns of the grid when a new figure is made.
    ax : Axes or sequence of Axes, optional
        One Axes (then exactly one instrument) or one per instrument.

    Returns
    -------
    Figure
    """
    _check_frame(abnormal_returns, AR_REQUIRED, "abnormal_returns")
    rows = abnormal_returns.loc[abnormal_returns["event_id"] == event_id]
    if rows.empty:
        known = list(dict.fromkeys(abnormal_returns["event_id"].tolist()))[:10]
        raise PlotInputError(
            f"abnormal_returns has no rows for event_id {event_id!r}; ids include {known}"
        )
    chosen = _select_instruments(
        list(dict.fromkeys(rows["instrument"].tolist())), instruments, "abnormal_returns"
    )
    z = _z(level)
    z_level = f"{float(level):.0%}"
    paths = [car_path(rows, event_id, inst, level=level, rel_days=rel_days) for inst in chosen]

    if isinstance(ax, Axes):
        if len(chosen) != 1:
            raise PlotInputError(
                f"one Axes given but {len(chosen)} instruments {chosen}; pass instruments=[...] "
                "with one id, or one axes per instrument"
            )
        fig, flat, created = ax.get_figure(root=True), [ax], False
    else:
        fig, flat, created = _grid(len(chosen), ncols, ax, (4.6, 3.2), top=0.8)

    for a, inst, path in zip(flat, chosen, paths, strict=True):
        x = path["rel_day"].to_numpy()
        a.axhline(0.0, color="black", lw=0.8)
        a.axvline(0.0, color="black", lw=0.8, ls=":")
        a.bar(
            x,
            path["ar"].to_numpy() * _PERCENT,
            width=0.6,
            color="#90caf9",
            edgecolor="#42a5f5",
            yerr=z * path["se"].to_numpy() * _PERCENT,
            error_kw={"ecolor": "#1e88e5", "elinewidth": 0.9, "capsize": 2},
            label=f"AR ± {z_level} CI",
            gid="ar_bars",
            zorder=2,
            alpha=0.85,
        )
        a.fill_between(
            x,
            path["car_lo"].to_numpy() * _PERCENT,
            path["car_hi"].to_numpy() * _PERCENT,
            color="#ef6c00",
            alpha=0.18,
            lw=0,
            label=f"CAR {z_level} band",
            gid="car_band",
            zorder=1,
        )
        a.plot(
            x,
            path["car"].to_numpy() * _PERCENT,
            color="#e65100",
            lw=2,
            marker="o",
            ms=3,
            label="CAR",
            gid="car_line",
            zorder=3,
        )
        a.set_title(str(inst))
        a.set_xlabel("trading days relative to event (day 0)")
        a.set_ylabel("abnormal return (%)")
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
        a.grid(True, axis="y", alpha=0.3)

    headline = str(event_id)
    if events is not None:
        cat = _catalog_lookup(events, [event_id], "abnormal_returns")
        headline = f"{event_id}: {event_label(cat.loc[event_id], width=80)}"
    if created:
        # about 12 characters of a 10-point title per inch of figure width
        chars = max(30, int(fig.get_figwidth() * 12))
        suptitle = textwrap.shorten(f"Abnormal returns around {headline}", width=2 * chars)
        suptitle = textwrap.fill(suptitle, width=chars)
        handles, labels = flat[0].get_legend_handles_labels()
        order = sorted(
            range(len(labels)), key=lambda k: (not labels[k].startswith("AR"), "band" in labels[k])
        )
        handles, labels = [handles[k] for k in order], [labels[k] for k in order]
        fig.legend(handles, labels, loc="lower center", ncol=len(handles), frameon=False)
        fig.suptitle(suptitle, fontsize="medium")
    else:
        flat[0].legend(fontsize="small", loc="best")
        if len(flat) == 1:
            flat[0].set_title(f"{chosen[0]} — {headline}", fontsize="medium")
    return fig


# ---------------------------------------------------------------------------------------------
# 3. CAR heatmap
# ---------------------------------------------------------------------------------------------


def car_matrix(
    cars: pd.DataFrame,
    window: object,
    *,
    instruments: Iterable[Hashable] | None = None,
    events: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """CAR and p-value matrices (events × instruments) for one window, and its label.

    Rows follow the catalog's dates when ``events`` is given (ties by event_id), otherwise the
    order of first appearance in ``cars``; columns follow ``instruments`` or first appearance.
    A pair (event, instrument) with no row is ``NaN``; a pair with two rows raises.
    """
    _check_frame(cars, CAR_REQUIRED, "cars")
    sel, label = select_window(cars, window)
    sel = sel.assign(
        car=_numeric(sel, "car", "cars"),
        p=_numeric(sel, "p", "cars"),
    )
    dup = sel.duplicated(["event_id", "instrument"])
    if dup.any():
        r = sel.loc[dup].iloc[0]
        raise PlotInputError(
            f"cars has two rows for event_id {r['event_id']!r}, instrument {r['instrument']!r}, "
            f"window {label!r}"
        )
    chosen = _select_instruments(
        list(dict.fromkeys(sel["instrument"].tolist())), instruments, "cars"
    )
    ids = list(dict.fromkeys(sel["event_id"].tolist()))
    if events is not None:
        cat = _catalog_lookup(events, ids, "cars")
        order = cat.loc[ids, ["date", "event_id"]].sort_values(["date", "event_id"], kind="stable")
        ids = order["event_id"].tolist()
    car = sel.pivot(index="event_id", columns="instrument", values="car")
    p = sel.pivot(index="event_id", columns="instrument", values="p")
    car = car.reindex(index=ids, columns=chosen)
    p = p.reindex(index=ids, columns=chosen)
    car.columns.name = p.columns.name = "instrument"
    return car, p, label


def plot_car_heatmap(
    cars: pd.DataFrame,
    window: object,
    *,
    events: pd.DataFrame | None = None,
    instruments: Iterable[Hashable] | None = None,
    alpha_levels: Iterable[float] = (0.1, 0.05, 0.01),
    label_width: int = 48,
    cmap: str = "RdBu",
    ax: Axes | None = None,
) -> Figure:
    """Heatmap of CAR(window) in percent, events × instruments, with significance stars.

    Cell colour: CAR in %, diverging colormap with a symmetric scale ``[-m, m]`` centred at
    zero (``m`` the largest absolute CAR; red negative, blue positive with the default
    ``"RdBu"``). Cell text: the CAR in % to one decimal and one star per level in
    ``alpha_levels`` that its p-value is below (:func:`significance_stars`). Missing cells
    are grey and read "n/a".

    Parameters
    ----------
    cars : DataFrame
        ``event_id, instrument, window, car, p``.
    window : str or (int, int)
        Which window to show; matched by :func:`select_window` (``"(-1,+1)"``,
        ``"(-1, 1)"`` and ``(-1, 1)`` are the same window).
    events : DataFrame, optional
        Catalog: rows are then ordered by date and labelled ``"date — short summary"``.
    instruments : list, optional
        Columns and their order.
    alpha_levels : tuple of float, default (0.1, 0.05, 0.01)
    label_width : int, default 48
        Characters of the summary kept in row labels.
    cmap : str, default "RdBu"
    ax : Axes, optional

    Returns
    -------
    Figure
    """
    levels = _alpha_levels(alpha_levels)
    car, p, label = car_matrix(cars, window, instruments=instruments, events=events)
    values = car.to_numpy(dtype=float) * _PERCENT
    finite = np.abs(values[np.isfinite(values)])
    vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0

    n_rows, n_cols = values.shape
    fig, ax = _new_axes(ax, (max(6.5, 1.15 * n_cols + 5.0), 0.34 * n_rows + 2.2))
    colormap = plt.get_cmap(cmap).with_extremes(bad="#e0e0e0")
    image = ax.imshow(
        np.ma.masked_invalid(values),
        cmap=colormap,
        norm=Normalize(vmin=-vmax, vmax=vmax),
        aspect="auto",
        interpolation="nearest",
    )
    for i in range(n_rows):
        for j in range(n_cols):
            v = values[i, j]
            if np.isfinite(v):
                text = f"{v:+.1f}{significance_stars(p.iat[i, j], levels)}"
                color = "white" if abs(v) > 0.6 * vmax else "black"
            else:
                text, color = "n/a", "#616161"
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color=color, gid="cell")

    if events is not None:
        cat = _catalog_lookup(events, car.index, "cars")
        row_labels = [event_label(cat.loc[i], width=label_width) for i in car.index]
    else:
        row_labels = [str(i) for i in car.index]
    ax.set_xticks(range(n_cols), [str(c) for c in car.columns])
    ax.set_yticks(range(n_rows), row_labels, fontsize=8)
    ax.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False)
    pretty = _pretty_window(label)
    ax.set_xlabel(f"cell: CAR{pretty} in %   {stars_note(levels)}", fontsize=8)
    ax.set_ylabel("event" if events is None else "event (date — summary)")
    ax.set_title(f"Cumulative abnormal returns, window {pretty} (trading days)")
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="white", lw=1)
    ax.tick_params(which="minor", length=0)
    fig.colorbar(image, ax=ax, label=f"CAR{pretty} (%)", shrink=0.8)
    return fig


# ---------------------------------------------------------------------------------------------
# 4. CAAR by group
# ---------------------------------------------------------------------------------------------


def _group_order(groups: Sequence[Hashable], by: str) -> list[Hashable]:
    unique = list(dict.fromkeys(groups))
    if by == "direction":
        known = [d for d in DIRECTION_ORDER if d in unique]
        return known + [g for g in unique if g not in known]
    return sorted(unique, key=str)


def _caar_frame(caar_table: pd.DataFrame, by: str) -> pd.DataFrame:
    """The CAAR table in the standard columns ``group, instrument, window, caar, se[, p, n]``.

    Accepted spellings: the group column ``group`` or named after ``by``; ``caar`` or
    ``mean_car``; ``se``, or ``sd`` with ``n`` (then :math:`se = sd/\\sqrt{n}`, the standard
    error of a cross-sectional mean); ``p`` or ``pvalue``. Without an ``instrument`` column the
    table is one series labelled "all instruments".
    """
    _check_frame(caar_table, (), "caar_table")
    cols = set(caar_table.columns)
    group_col = "group" if "group" in cols else by
    value_col = "caar" if "caar" in cols else "mean_car"
    missing = [
        name
        for name, ok in (
            (
                repr(group_col) if group_col == "group" else f"'group' (or {by!r})",
                group_col in cols,
            ),
            ("'window'", "window" in cols),
            ("'caar' (or 'mean_car')", value_col in cols),
            ("'se' (or 'sd' and 'n')", "se" in cols or {"sd", "n"} <= cols),
        )
        if not ok
    ]
    if missing:
        raise PlotInputError(
            f"caar_table is missing column(s) {', '.join(missing)}; found "
            f"{[str(c) for c in caar_table.columns]}"
        )
    out = pd.DataFrame(
        {
            "group": caar_table[group_col].to_numpy(),
            "instrument": (
                caar_table["instrument"].to_numpy()
                if "instrument" in cols
                else np.full(len(caar_table), "all instruments", dtype=object)
            ),
            "window": caar_table["window"].to_numpy(),
            "caar": _numeric(caar_table, value_col, "caar_table"),
        }
    )
    if "se" in cols:
        out["se"] = _numeric(caar_table, "se", "caar_table")
    else:
        out["se"] = _numeric(caar_table, "sd", "caar_table") / np.sqrt(
            _numeric(caar_table, "n", "caar_table")
        )
    p_col = "p" if "p" in cols else "pvalue" if "pvalue" in cols else None
    if p_col is not None:
        out["p"] = _numeric(caar_table, p_col, "caar_table")
    if "n" in cols:
        out["n"] = caar_table["n"].to_numpy()
    return out


def plot_caar(
    caar_table: pd.DataFrame,
    *,
    by: str = "category",
    window: object = None,
    instruments: Iterable[Hashable] | None = None,
    level: float = 0.95,
    alpha_levels: Iterable[float] = (0.1, 0.05, 0.01),
    ax: Axes | None = None,
) -> Figure:
    """Cumulative average abnormal return by group (category, direction …) and instrument.

    Grouped bars: one group of bars per value of the grouping column, one bar per instrument,
    height CAAR in percent, error bars :math:`\\pm z\\,se` (``z = 1.96`` for ``level=0.95``),
    stars from ``p`` when the table has it. Group labels carry the number of events ``n``.

    Parameters
    ----------
    caar_table : DataFrame
        ``group, instrument, window, caar, se`` (``p, n`` used when present). Also accepted:
        the group column named after ``by`` (e.g. ``category``), ``mean_car`` for ``caar``,
        ``sd`` and ``n`` instead of ``se`` (``se = sd / sqrt(n)``), ``pvalue`` for ``p``, and
        no ``instrument`` column (one series, "all instruments") — the shape of
        ``EventStudyResult.aggregate_cars(by)``.
    by : str, default "category"
        The catalog column the groups come from (axis label; ``"direction"`` orders groups
        escalation, neutral, de-escalation).
    window : str or (int, int), optional
        Required when the table holds several windows.
    instruments : list, optional
    level : float, default 0.95
    alpha_levels : tuple of float, default (0.1, 0.05, 0.01)
    ax : Axes, optional

    Returns
    -------
    Figure
    """
    table = _caar_frame(caar_table, by)
    group_col = "group"
    z = _z(level)
    levels = _alpha_levels(alpha_levels)
    if window is None:
        labels = list(dict.fromkeys(table["window"].tolist()))
        if len(labels) > 1:
            raise PlotInputError(
                f"caar_table holds several windows {[str(w) for w in labels]}; pass window=..."
            )
        window = labels[0]
    sel, label = select_window(table, window, name="caar_table")
    if sel.duplicated([group_col, "instrument"]).any():
        r = sel.loc[sel.duplicated([group_col, "instrument"])].iloc[0]
        raise PlotInputError(
            f"caar_table has two rows for group {r[group_col]!r}, instrument {r['instrument']!r}"
        )
    chosen = _select_instruments(
        list(dict.fromkeys(sel["instrument"].tolist())), instruments, "caar_table"
    )
    groups = _group_order(sel[group_col].tolist(), by)
    indexed = sel.set_index([group_col, "instrument"])

    width_in = 2.5 + len(groups) * (0.3 * len(chosen) + 0.4)
    fig, ax = _new_axes(ax, (min(14.0, max(6.5, width_in)), 4.6))
    width = 0.8 / len(chosen)
    x0 = np.arange(len(groups), dtype=float)
    for k, inst in enumerate(chosen):
        keys = [(g, inst) for g in groups]
        heights = np.array(
            [indexed.at[key, "caar"] if key in indexed.index else np.nan for key in keys]
        )
        ses = np.array([indexed.at[key, "se"] if key in indexed.index else np.nan for key in keys])
        xs = x0 - 0.4 + width * (k + 0.5)
        bars = ax.bar(
            xs,
            heights * _PERCENT,
            width=width * 0.92,
            color=_SERIES_COLORS[k % len(_SERIES_COLORS)],
            yerr=z * ses * _PERCENT,
            error_kw={"ecolor": "#212121", "elinewidth": 0.9, "capsize": 3},
            label=str(inst),
            gid=f"caar:{inst}",
        )
        if "p" in indexed.columns:
            for bar, key, h, s in zip(bars, keys, heights, ses, strict=True):
                if key not in indexed.index or not np.isfinite(h):
                    continue
                stars = significance_stars(indexed.at[key, "p"], levels)
                if stars:
                    tip = (h + np.sign(h or 1) * z * (s if np.isfinite(s) else 0)) * _PERCENT
                    ax.annotate(
                        stars,
                        (bar.get_x() + bar.get_width() / 2, tip),
                        xytext=(0, 2 if h >= 0 else -2),
                        textcoords="offset points",
                        ha="center",
                        va="bottom" if h >= 0 else "top",
                        fontsize=8,
                    )

    tick_labels = []
    for g in groups:
        label_text = str(g)
        if "n" in indexed.columns:
            ns = pd.to_numeric(sel.loc[sel[group_col] == g, "n"], errors="coerce").dropna()
            if len(ns):
                lo, hi = int(ns.min()), int(ns.max())
                label_text += f"\n(n={lo})" if lo == hi else f"\n(n={lo}–{hi})"
        tick_labels.append(label_text)
    ax.set_xticks(x0, tick_labels)
    ax.axhline(0.0, color="black", lw=0.8)
    pretty = _pretty_window(label)
    ax.set_xlabel(by)
    ax.set_ylabel(f"CAAR{pretty} (%)")
    note = f"error bars ±{z:.2f}·se ({float(level):.0%})"
    if "p" in indexed.columns:
        note += f";  {stars_note(levels)}"
    ax.set_title(
        f"Cumulative average abnormal return by {by}, window {pretty}\n{note}", fontsize="medium"
    )
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(title="instrument", fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
