"""Data-quality checks on price frames: report everything, drop only on request.

:func:`quality_report` lists suspicious observations in a tidy table; :func:`drop_flagged`
removes the flagged observations the user chooses (sets them to NaN -- never fills them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from eventstudy.errors import EventStudyError
from eventstudy.market.calendars import (
    DATA_CALENDAR,
    Suspension,
    exchange_sessions,
    suspensions_for,
)
from eventstudy.market.instruments import InstrumentRegistry

__all__ = ["CHECKS", "QUALITY_COLUMNS", "drop_flagged", "quality_report"]

#: The checks, with a one-line description. ``instrument == "*"`` marks index-level findings.
CHECKS: dict[str, str] = {
    "duplicate_date": "the same date occurs more than once in the index",
    "non_monotonic": "a date is earlier than the row before it",
    "non_positive": "a price <= 0 (returns undefined)",
    "stale": "a run of identical consecutive closes (stale_min or more)",
    "spike": "an isolated spike: a large move reverted by the next observation",
    "off_calendar": "an observation on a date that is not a session of the instrument's calendar",
    "suspended": "an observation inside a known suspension of the instrument",
}

QUALITY_COLUMNS = ["instrument", "date", "check", "value", "detail"]

#: Checks that flag single observations and can be dropped by :func:`drop_flagged`.
DROPPABLE = ("non_positive", "stale", "spike", "off_calendar", "suspended")


def _mad_sigma(r: np.ndarray) -> float:
    """Robust standard deviation: 1.4826 x median absolute deviation from the median."""
    if len(r) == 0:
        return float("nan")
    return float(1.4826 * np.median(np.abs(r - np.median(r))))


def _spikes(
    obs: pd.Series, z: float, min_move: float, revert: float
) -> list[tuple[pd.Timestamp, float, str]]:
    """Isolated spikes of one series of observations (positive prices only)."""
    pos = obs[obs > 0]
    if len(pos) < 3:
        return []
    lr = np.diff(np.log(pos.to_numpy()))
    sigma = _mad_sigma(lr)
    threshold = max(min_move, z * sigma) if np.isfinite(sigma) else min_move
    out = []
    for i in range(len(lr) - 1):
        r0, r1 = lr[i], lr[i + 1]
        if abs(r0) < threshold or np.sign(r1) != -np.sign(r0):
            continue
        if abs(r0 + r1) <= revert * abs(r0):
            date = pos.index[i + 1]
            detail = (
                f"log move {r0:+.3f} then {r1:+.3f} (net {r0 + r1:+.3f}); threshold "
                f"{threshold:.3f} = max({min_move}, {z} x robust sd {sigma:.4f})"
            )
            out.append((date, float(pos.iloc[i + 1]), detail))
    return out


def _stale(obs: pd.Series, stale_min: int) -> list[tuple[pd.Timestamp, float, str]]:
    values = obs.to_numpy()
    out = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        n = j - i + 1
        if n >= stale_min:
            out.append(
                (
                    obs.index[i],
                    float(values[i]),
                    f"{n} equal closes {obs.index[i].date()}..{obs.index[j].date()}",
                )
            )
        i = j + 1
    return out


def quality_report(
    prices: pd.DataFrame | pd.Series,
    *,
    stale_min: int = 3,
    spike_z: float = 8.0,
    spike_min: float = 0.05,
    spike_revert: float = 0.25,
    calendar: bool = True,
    registry: InstrumentRegistry | None = None,
    suspensions: Sequence[Suspension] | None = None,
) -> pd.DataFrame:
    """Table of data-quality findings; nothing is changed.

    Parameters
    ----------
    prices : DataFrame or Series
        Closes with a DatetimeIndex, one column per instrument (NaN = no observation).
    stale_min : int
        Report runs of at least this many identical consecutive closes.
    spike_z, spike_min, spike_revert : float
        An observation :math:`t` is an isolated spike when its log move
        :math:`r_t = \\ln(P_t/P_{t-1})` (between consecutive observations) satisfies
        :math:`|r_t| \\ge \\max(\\text{spike\\_min}, \\text{spike\\_z}\\,\\hat\\sigma)`, the next
        move has the opposite sign, and :math:`|r_t + r_{t+1}| \\le \\text{spike\\_revert}\\,|r_t|`
        (the price comes back). :math:`\\hat\\sigma = 1.4826\\,\\mathrm{MAD}(r)` over the whole
        series. Defaults flag Yahoo's RUB=X bad prints (e.g. 110.674 on 2022-06-13 against ~58)
        and not the IMOEX crash of 2022-02-24, which only partly reverted.
    calendar : bool
        Also report observations off the instrument's exchange calendar or inside a known
        suspension (registry ids on exchange calendars only).
    registry : InstrumentRegistry, optional
    suspensions : sequence of Suspension, optional

    Returns
    -------
    DataFrame
        Columns ``instrument, date, check, value, detail`` (see :data:`CHECKS`), sorted by
        instrument, date and check. Index-level findings have ``instrument == "*"``.
    """
    frame = prices.to_frame() if isinstance(prices, pd.Series) else prices
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise EventStudyError(f"prices need a DatetimeIndex, got {type(frame.index).__name__}")
    rows: list[dict[str, Any]] = []

    def add(inst: str, date: Any, check: str, value: float, detail: str) -> None:
        rows.append(
            {
                "instrument": inst,
                "date": pd.Timestamp(date),
                "check": check,
                "value": value,
                "detail": detail,
            }
        )

    idx = frame.index
    for date in idx[idx.duplicated(keep="first")].unique():
        add("*", date, "duplicate_date", float(int((idx == date).sum())), "rows with this date")
    vals = idx.to_numpy()
    for i in np.flatnonzero(vals[1:] < vals[:-1]) + 1:
        add("*", idx[i], "non_monotonic", float("nan"), f"after {idx[i - 1].date()}")

    reg = None
    if calendar:
        from eventstudy.market.returns import _registry_or_none

        reg = _registry_or_none(registry)
    for col in frame.columns:
        name = str(col)
        series = frame[col]
        obs = series[series.notna()].astype("float64")
        if obs.index.has_duplicates or not obs.index.is_monotonic_increasing:
            obs = obs[~obs.index.duplicated(keep="last")].sort_index()
        for date, value in obs[obs <= 0].items():
            add(name, date, "non_positive", float(value), "price must be > 0")
        for date, value, detail in _stale(obs, stale_min):
            add(name, date, "stale", value, detail)
        for date, value, detail in _spikes(obs, spike_z, spike_min, spike_revert):
            add(name, date, "spike", value, detail)
        if reg is not None and name in reg and len(obs):
            inst = reg[name]
            if inst.calendar != DATA_CALENDAR:
                sess = exchange_sessions(inst.calendar, obs.index[0], obs.index[-1])
                for date in obs.index[~obs.index.isin(sess)]:
                    add(
                        name,
                        date,
                        "off_calendar",
                        float(obs[date]),
                        f"not a {inst.calendar} session",
                    )
            for s in suspensions_for(inst.id, suspensions):
                inside = obs[(obs.index >= s.start) & (obs.index <= s.end)]
                for date, value in inside.items():
                    add(name, date, "suspended", float(value), f"inside suspension {s.id}")
    out = pd.DataFrame(rows, columns=QUALITY_COLUMNS)
    if len(out):
        out = out.sort_values(["instrument", "date", "check"], kind="stable").reset_index(drop=True)
    out["date"] = (
        pd.DatetimeIndex(out["date"]).as_unit("ns")
        if len(out)
        else pd.Series([], dtype="datetime64[ns]")
    )
    return out


def drop_flagged(
    prices: pd.DataFrame,
    report: pd.DataFrame,
    checks: str | Iterable[str] = ("spike",),
) -> pd.DataFrame:
    """Remove flagged observations, at the user's explicit request.

    Parameters
    ----------
    prices : DataFrame
        The frame the report was made from.
    report : DataFrame
        From :func:`quality_report` (possibly filtered by the user to the rows to drop).
    checks : str or iterable of str
        Which checks to act on; any of :data:`DROPPABLE`. For ``stale`` the repeated closes
        after the first of each run are dropped.

    Returns
    -------
    DataFrame
        A copy with the flagged cells set to NaN (nothing filled); ``attrs["dropped"]`` lists
        ``(instrument, date, check)`` of every cell removed. Rows left empty are kept.

    Raises
    ------
    EventStudyError
        For an index-level check (``duplicate_date``, ``non_monotonic``: fix the index) or an
        unknown check name.
    """
    wanted = [checks] if isinstance(checks, str) else list(checks)
    for c in wanted:
        if c not in CHECKS:
            raise EventStudyError(f"unknown check {c!r}; valid checks: {', '.join(CHECKS)}")
        if c not in DROPPABLE:
            raise EventStudyError(
                f"check {c!r} concerns the index, not single observations; fix the index "
                "(e.g. prices[~prices.index.duplicated()] or prices.sort_index()) instead"
            )
    out = prices.copy()
    dropped: list[tuple[str, pd.Timestamp, str]] = []
    sel = report[report["check"].isin(wanted)]
    for rec in sel.itertuples(index=False):
        col = rec.instrument
        if col not in out.columns:
            raise EventStudyError(f"report names {col!r}, which is not a column of prices")
        if rec.check == "stale":
            obs = out[col].dropna()
            run_start = obs.index.get_loc(rec.date)
            j = run_start
            while j + 1 < len(obs) and obs.iloc[j + 1] == obs.iloc[run_start]:
                j += 1
                dropped.append((col, obs.index[j], rec.check))
                out.loc[obs.index[j], col] = np.nan
        else:
            out.loc[rec.date, col] = np.nan
            dropped.append((col, rec.date, rec.check))
    out.attrs = {**prices.attrs, "dropped": tuple(dropped)}
    return out
