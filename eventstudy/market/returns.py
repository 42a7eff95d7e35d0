"""Returns from closing prices: trade-to-trade, never forward-filled, with the sessions spanned.

Each instrument's return is computed between its consecutive observations. When observations
are missing -- a holiday the calendar does not know, a data gap, or a suspension such as the
Moscow Exchange's 2022-02-28..2022-03-23 closure -- the return is one multi-day return placed on
the date of the later observation, never spread over the days the market did not trade.

The number of sessions a return spans is

.. math:: n_t = 1 + \\#\\{s \\in S : t_{prev} < s < t\\},

where :math:`S` is the instrument's exchange calendar (known suspensions *included*, because
information accumulates over them), :math:`t_{prev}` the previous observation and :math:`t` the
current one. For instruments on a ``"data"`` calendar :math:`S` is their own dates (so
:math:`n_t = 1`); for a column that is not in the registry, :math:`S` is the frame's index (each
row of the frame is taken to be a session). Under a random walk the variance of a return scales
with :math:`n_t`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from eventstudy.errors import EventStudyError
from eventstudy.market.calendars import (
    DATA_CALENDAR,
    Suspension,
    _registry,
    exchange_sessions,
    suspensions_for,
)
from eventstudy.market.instruments import InstrumentRegistry

__all__ = [
    "RETURN_KINDS",
    "MultiDayReturn",
    "ReturnsError",
    "aligned_returns",
    "compute_returns",
    "multi_day_returns",
    "return_spans",
]

#: Return definitions: name -> (description, formula).
RETURN_KINDS: dict[str, str] = {
    "log": "log return r_t = ln(P_t / P_prev)",
    "simple": "simple return R_t = P_t / P_prev - 1",
}

MULTI_DAY_COLUMNS = ["instrument", "date", "previous_date", "sessions", "reason", "suspension"]


class ReturnsError(EventStudyError, ValueError):
    """Prices that cannot be turned into returns (bad index, non-positive price)."""


@dataclass(frozen=True)
class MultiDayReturn:
    """A return spanning more than one session.

    Attributes
    ----------
    instrument : str
    date, previous_date : Timestamp
        The observation the return ends on and the previous observation.
    sessions : int
        Sessions spanned (see the module docstring).
    reason : str
        ``"suspension"`` if a known suspension of the instrument falls in between, else
        ``"missing sessions"`` (calendar sessions with no observation).
    suspension : str or None
        Id of the suspension (``data/market/suspensions.csv``).
    """

    instrument: str
    date: pd.Timestamp
    previous_date: pd.Timestamp
    sessions: int
    reason: str
    suspension: str | None = None


def _check_prices(prices: pd.DataFrame | pd.Series) -> pd.DataFrame:
    frame = prices.to_frame() if isinstance(prices, pd.Series) else prices
    if not isinstance(frame, pd.DataFrame):
        raise ReturnsError(f"prices must be a DataFrame or Series, got {type(prices).__name__}")
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise ReturnsError(
            f"prices need a DatetimeIndex of session dates, got {type(frame.index).__name__}"
        )
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()][0]
        raise ReturnsError(
            f"duplicate date {dup.date()} in the price index; see quality_report() and keep one "
            "row per date"
        )
    if not frame.index.is_monotonic_increasing:
        raise ReturnsError("price dates are not ascending; sort the frame (prices.sort_index())")
    return frame


def _column_spans(
    frame: pd.DataFrame,
    column: Any,
    registry: InstrumentRegistry | None,
    suspensions: Sequence[Suspension] | None,
    sessions: Mapping[str, Any] | None,
) -> tuple[pd.Series, list[MultiDayReturn]]:
    """Sessions spanned by each return of one column, on the dates of its observations
    (from the second on), and the multi-day returns."""
    obs = frame[column].dropna()
    dates = pd.DatetimeIndex(obs.index)
    if len(dates) < 2:
        return pd.Series(dtype="int64", index=pd.DatetimeIndex([], name="date")), []
    name = str(column)
    inst = None
    if registry is not None:
        try:
            inst = registry[name]
        except KeyError:
            inst = None
    if sessions is not None and name in sessions:
        cal = pd.DatetimeIndex(sessions[name]).normalize()
    elif inst is not None and inst.calendar != DATA_CALENDAR:
        cal = exchange_sessions(inst.calendar, dates[0], dates[-1])
    elif inst is not None:
        cal = dates
    else:
        cal = pd.DatetimeIndex(frame.index)
    sess = np.sort(cal.to_numpy(dtype="datetime64[ns]"))
    prev, cur = dates[:-1].to_numpy(), dates[1:].to_numpy()
    skipped = np.searchsorted(sess, cur, side="left") - np.searchsorted(sess, prev, side="right")
    spans = 1 + np.maximum(skipped, 0)
    series = pd.Series(spans.astype("int64"), index=dates[1:])
    multi: list[MultiDayReturn] = []
    susp = suspensions_for(inst.id, suspensions) if inst is not None else ()
    for i in np.flatnonzero(spans > 1):
        p, c = pd.Timestamp(prev[i]), pd.Timestamp(cur[i])
        inside = p + pd.Timedelta(days=1), c - pd.Timedelta(days=1)
        hit = next((s for s in susp if s.overlaps(*inside)), None)
        multi.append(
            MultiDayReturn(
                instrument=inst.id if inst is not None else name,
                date=c,
                previous_date=p,
                sessions=int(spans[i]),
                reason="suspension" if hit is not None else "missing sessions",
                suspension=hit.id if hit is not None else None,
            )
        )
    return series, multi


def _registry_or_none(registry: InstrumentRegistry | None) -> InstrumentRegistry | None:
    if registry is not None:
        return registry
    try:
        return _registry(None)
    except FileNotFoundError:  # no data folder: columns are treated as unknown
        return None


def return_spans(
    prices: pd.DataFrame | pd.Series,
    *,
    registry: InstrumentRegistry | None = None,
    suspensions: Sequence[Suspension] | None = None,
    sessions: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Number of sessions each return spans, shaped like the prices.

    Parameters
    ----------
    prices : DataFrame or Series
        Closes, one column per instrument id (as from :func:`~eventstudy.market.load_prices`).
    registry : InstrumentRegistry, optional
        Gives each id's calendar. Default: the toolkit's registry.
    suspensions : sequence of Suspension, optional
        Default ``data/market/suspensions.csv``.
    sessions : mapping, optional
        ``id -> session dates`` overriding the calendar of those columns.

    Returns
    -------
    DataFrame
        Nullable integers (``Int64``): :math:`n_t` on dates where a return exists, ``<NA>``
        elsewhere (no observation, or the first observation).
    """
    frame = _check_prices(prices)
    reg = _registry_or_none(registry)
    out = pd.DataFrame(index=frame.index, columns=frame.columns, dtype="Int64")
    for col in frame.columns:
        spans, _ = _column_spans(frame, col, reg, suspensions, sessions)
        out.loc[spans.index, col] = spans.to_numpy()
    return out


def multi_day_returns(
    prices: pd.DataFrame | pd.Series,
    *,
    registry: InstrumentRegistry | None = None,
    suspensions: Sequence[Suspension] | None = None,
    sessions: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Tidy table of the returns spanning more than one session (parameters as
    :func:`return_spans`).

    Returns
    -------
    DataFrame
        Columns ``instrument, date, previous_date, sessions, reason, suspension``; ``reason`` is
        ``"suspension"`` (a known suspension lies in between; ``suspension`` names it) or
        ``"missing sessions"``.
    """
    frame = _check_prices(prices)
    reg = _registry_or_none(registry)
    rows: list[MultiDayReturn] = []
    for col in frame.columns:
        rows += _column_spans(frame, col, reg, suspensions, sessions)[1]
    return pd.DataFrame([r.__dict__ for r in rows], columns=MULTI_DAY_COLUMNS)


def compute_returns(
    prices: pd.DataFrame | pd.Series,
    kind: str = "log",
    *,
    registry: InstrumentRegistry | None = None,
    suspensions: Sequence[Suspension] | None = None,
    sessions: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Trade-to-trade returns of each column; a gap gives one multi-day return.

    Parameters
    ----------
    prices : DataFrame or Series
        Closes with an ascending, unique DatetimeIndex (as from
        :func:`~eventstudy.market.load_prices`); NaN means "no observation".
    kind : {"log", "simple"}
        ``log``: :math:`r_t = \\ln(P_t / P_{prev})`; ``simple``: :math:`R_t = P_t / P_{prev} - 1`,
        where :math:`P_{prev}` is the instrument's previous observation (not the previous row).
    registry, suspensions, sessions
        As in :func:`return_spans`; used for the multi-day bookkeeping only.

    Returns
    -------
    DataFrame
        Same index and columns as ``prices``. A return sits on the date of its closing
        observation; NaN where the instrument has no observation and on its first one. Nothing
        is filled. ``attrs["kind"]`` is the return kind, ``attrs["sources"]`` is copied from the
        prices if present, and ``attrs["multi_day"]`` a tuple of
        :class:`MultiDayReturn` records (returns spanning more than one session, e.g. IMOEX
        2022-02-25 -> 2022-03-24, reason ``"suspension"``). The full span frame is
        :func:`return_spans`, the tidy table :func:`multi_day_returns`.

    Raises
    ------
    ReturnsError
        For a non-DatetimeIndex, duplicate or unsorted dates, or a non-positive price (named;
        see :func:`~eventstudy.market.quality_report` and
        :func:`~eventstudy.market.drop_flagged`).
    """
    if kind not in RETURN_KINDS:
        raise ReturnsError(f"kind = {kind!r}; valid kinds: {', '.join(RETURN_KINDS)}")
    frame = _check_prices(prices)
    reg = _registry_or_none(registry)
    out = pd.DataFrame(np.nan, index=frame.index, columns=frame.columns, dtype="float64")
    multi: list[MultiDayReturn] = []
    for col in frame.columns:
        obs = frame[col].dropna().astype("float64")
        bad = obs[obs <= 0]
        if len(bad):
            raise ReturnsError(
                f"{col}: non-positive price {bad.iloc[0]} on {bad.index[0].date()}; returns "
                "are undefined. Inspect quality_report() and drop it with drop_flagged()"
            )
        if len(obs) < 2:
            continue
        values = obs.to_numpy()
        r = np.log(values[1:] / values[:-1]) if kind == "log" else values[1:] / values[:-1] - 1.0
        out.loc[obs.index[1:], col] = r
        multi += _column_spans(frame, col, reg, suspensions, sessions)[1]
    out.attrs = {"kind": kind, "multi_day": tuple(multi)}
    if "sources" in frame.attrs:
        out.attrs["sources"] = dict(frame.attrs["sources"])
    return out


def aligned_returns(
    prices: pd.DataFrame,
    on: str,
    columns: Sequence[str],
    kind: str = "log",
) -> pd.DataFrame:
    """Returns of ``columns`` over exactly the intervals of instrument ``on``'s own returns.

    Markets keep different calendars: IMOEX trades on US holidays, EEM on Russian ones, and
    Moscow was shut 2022-02-28..2022-03-23. A market model needs the benchmark's return over the
    same interval as the instrument's return, so each benchmark is sampled *as of* the
    instrument's sessions: with :math:`t_{prev}, t` consecutive observations of ``on`` and
    :math:`\\tilde P_m(t)` the benchmark's last observed close on or before date :math:`t`,

    .. math:: r_{m,t} = \\ln\\big(\\tilde P_m(t) / \\tilde P_m(t_{prev})\\big)

    (or the simple return). Over an interval in which the benchmark did not trade this is an
    exact zero: its price was not observed to move. The count of such intervals per column is
    in ``attrs["no_benchmark_session"]`` so that it is visible, not silent. Where the
    benchmark has no observation on or before :math:`t_{prev}` the return is NaN.

    Parameters
    ----------
    prices : DataFrame
        Closes (as from :func:`~eventstudy.market.load_prices`), NaN = no observation.
    on : str
        The instrument whose sessions define the intervals.
    columns : sequence of str
        Benchmarks (or other regressors) to align.
    kind : {"log", "simple"}

    Returns
    -------
    DataFrame
        Index = ``prices.index``; values on the dates where ``on`` has a return, NaN elsewhere;
        one column per entry of ``columns``.
    """
    if kind not in RETURN_KINDS:
        raise ReturnsError(f"kind = {kind!r}; valid kinds: {', '.join(RETURN_KINDS)}")
    frame = _check_prices(prices)
    missing = [c for c in [on, *columns] if c not in frame.columns]
    if missing:
        raise ReturnsError(f"no price column(s) {missing}; columns are {list(frame.columns)}")
    sessions = frame[on].dropna().index
    out = pd.DataFrame(np.nan, index=frame.index, columns=list(columns), dtype="float64")
    stale: dict[str, int] = {}
    for col in columns:
        obs = frame[col].dropna().astype("float64")
        if len(sessions) < 2 or obs.empty:
            stale[col] = 0
            continue
        pos = obs.index.searchsorted(sessions, side="right") - 1  # last close on or before
        level = np.where(pos >= 0, obs.to_numpy()[np.clip(pos, 0, None)], np.nan)
        prev, cur = level[:-1], level[1:]
        r = np.log(cur / prev) if kind == "log" else cur / prev - 1.0
        out.loc[sessions[1:], col] = r
        stale[col] = int(np.sum((pos[1:] == pos[:-1]) & (pos[1:] >= 0)))
    out.attrs = {"kind": kind, "on": on, "no_benchmark_session": stale}
    return out
