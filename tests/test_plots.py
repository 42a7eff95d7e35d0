"""Figures: structure, values drawn, colours, errors, inputs untouched (synthetic frames)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from eventstudy.errors import EventStudyError
from eventstudy.plots import (
    DIRECTION_COLORS,
    PlotInputError,
    car_path,
    plot_caar,
    plot_car_heatmap,
    plot_event_paths,
    plot_timeline,
    plot_timelines,
    select_window,
    significance_stars,
    window_key,
)

# Φ^{-1}(0.975) and Φ^{-1}(0.95) from standard normal tables.
Z95 = 1.959964
Z90 = 1.644854


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- synthetic inputs


def make_prices() -> pd.DataFrame:
    idx = pd.bdate_range("2022-02-01", "2022-03-31")
    n = len(idx)
    a = 100.0 + np.arange(n, dtype=float)  # AAA: 100, 101, 102 ...
    b = np.full(n, 50.0)
    b[1::2] = 55.0  # BBB alternates 50, 55
    frame = pd.DataFrame({"AAA": a, "BBB": b}, index=idx)
    # BBB has no sessions 2022-03-01..2022-03-15 (a suspension of 11 sessions, 16 days)
    frame.loc["2022-03-01":"2022-03-15", "BBB"] = np.nan
    return frame


def make_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["E1", "E2", "E3"],
            "date": ["2022-02-21", "2022-02-10", "2022-03-08"],
            "date_end": [None, None, "2022-03-11"],
            "direction": ["escalation", "de-escalation", "neutral"],
            "category": ["support", "consult", "sanction"],
            "summary": [
                "Putin recognises the separatist republics in eastern Ukraine as states",
                "Talks in Berlin",
                "Oil import ban",
            ],
        }
    )


def make_ars() -> pd.DataFrame:
    rows = []
    ar = {"AAA": [0.01, -0.02, 0.03], "BBB": [0.0, 0.005, -0.01]}
    se = {"AAA": [0.01, 0.02, 0.02], "BBB": [0.004, 0.003, 0.0]}
    for inst in ("AAA", "BBB"):
        for k, rel in enumerate((-1, 0, 1)):
            rows.append(("E1", inst, rel, ar[inst][k], se[inst][k]))
    rows.append(("E2", "AAA", 0, 0.02, 0.01))
    frame = pd.DataFrame(rows, columns=["event_id", "instrument", "rel_day", "ar", "se"])
    frame["date"] = pd.Timestamp("2022-02-21") + pd.to_timedelta(frame["rel_day"], unit="D")
    frame["t"] = frame["ar"] / frame["se"]
    frame["p"] = 0.5
    return frame[["event_id", "instrument", "rel_day", "date", "ar", "se", "t", "p"]]


def make_cars() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["E1", "E1", "E2", "E2", "E3", "E1"],
            "instrument": ["AAA", "BBB", "AAA", "BBB", "AAA", "AAA"],
            "window": ["(-1,+1)"] * 5 + ["(0,0)"],
            "car": [0.0123, -0.0456, 0.002, 0.031, -0.1, 0.5],
            "se": [0.01, 0.02, 0.01, 0.01, 0.02, 0.01],
            "t": [1.23, -2.28, 0.2, 3.1, -5.0, 50.0],
            "p": [0.07, 0.03, 0.2, 0.001, 0.05, 0.0],
        }
    )


def make_caar() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["escalation", "escalation", "de-escalation", "de-escalation", "neutral"],
            "instrument": ["AAA", "BBB", "AAA", "BBB", "AAA"],
            "window": ["(-1, 1)"] * 5,
            "caar": [0.02, -0.01, 0.005, 0.0, -0.03],
            "se": [0.005, 0.01, 0.002, 0.004, 0.01],
            "t": [4.0, -1.0, 2.5, 0.0, -3.0],
            "p": [0.0001, 0.3, 0.012, 1.0, 0.003],
            "n": [3, 3, 2, 2, 1],
        }
    )


def legend_texts(legend) -> list[str]:
    return [t.get_text() for t in legend.get_texts()]


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("p", "stars"),
    [
        (0.2, ""),
        (0.1, ""),
        (0.0999, "*"),
        (0.05, "*"),
        (0.049, "**"),
        (0.01, "**"),
        (0.009, "***"),
        (float("nan"), ""),
        (None, ""),
    ],
)
def test_significance_stars_strictly_below_each_level(p, stars):
    assert significance_stars(p) == stars


@pytest.mark.parametrize("label", ["(-1,+1)", "(-1, 1)", "[-1,1]", (-1, 1), " (-1 , +1) "])
def test_window_labels_are_matched_loosely(label):
    assert window_key(label) == (-1, 1)
    rows, chosen = select_window(make_cars(), label)
    assert chosen == "(-1,+1)"
    assert len(rows) == 5


def test_unknown_window_lists_the_windows_present():
    with pytest.raises(PlotInputError, match=r"\(0,0\)") as err:
        select_window(make_cars(), "(0,5)")
    assert "(-1,+1)" in str(err.value)


# --------------------------------------------------------------------------- timeline


def test_timeline_rebases_marks_events_and_labels():
    prices, events = make_prices(), make_events()
    fig = plot_timeline(prices, events)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    series = {ln.get_gid(): ln for ln in ax.lines if (ln.get_gid() or "").startswith("series:")}
    assert set(series) == {"series:AAA", "series:BBB"}
    y = np.asarray(series["series:AAA"].get_ydata(), dtype=float)
    # AAA = 100 + k: rebased 100 * (100 + k) / 100 = 100 + k
    np.testing.assert_allclose(y[:5], [100.0, 101.0, 102.0, 103.0, 104.0])
    yb = np.asarray(series["series:BBB"].get_ydata(), dtype=float)
    np.testing.assert_allclose(yb[:2], [100.0, 110.0])  # 50 -> 100, 55 -> 110

    marks = {ln.get_gid(): ln for ln in ax.lines if (ln.get_gid() or "").startswith("event:")}
    assert set(marks) == {"event:E1", "event:E2", "event:E3"}
    for row in events.itertuples():
        line = marks[f"event:{row.event_id}"]
        x = mdates.date2num(pd.Timestamp(row.date))
        assert mdates.date2num(line.get_xdata()[0]) == pytest.approx(x)
        assert to_hex(line.get_color()) == DIRECTION_COLORS[row.direction]
    assert DIRECTION_COLORS["escalation"] != DIRECTION_COLORS["de-escalation"]

    texts = legend_texts(ax.get_legend())
    for expected in ("AAA", "BBB", "event: escalation", "event: de-escalation", "event: neutral"):
        assert expected in texts
    assert "100" in ax.get_ylabel()
    assert ax.get_xlabel() == "date"
    assert ax.get_title()


def test_timeline_breaks_the_line_over_a_suspension_instead_of_bridging_it():
    fig = plot_timeline(make_prices(), None, instruments=["BBB"], normalize=False)
    ax = fig.axes[0]
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "series:BBB"]
    x = mdates.date2num(line.get_xdata())
    y = np.asarray(line.get_ydata(), dtype=float)
    gap_at = np.flatnonzero(np.isnan(y))
    assert len(gap_at) == 1
    # the break sits between the last session before (Feb 28) and the first after (Mar 16)
    assert mdates.date2num(pd.Timestamp("2022-02-28")) < x[gap_at[0]]
    assert x[gap_at[0]] < mdates.date2num(pd.Timestamp("2022-03-16"))
    assert np.nanmax(y) == 55.0 and np.nanmin(y) == 50.0  # not rebased
    assert any(p.get_hatch() for p in ax.patches)
    assert any("no sessions" in t for t in legend_texts(ax.get_legend()))
    assert ax.get_ylabel() == "BBB (price level)"


def test_timeline_draws_into_the_given_axes():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    out = plot_timeline(make_prices(), make_events(), instruments=["AAA"], ax=ax2, log=True)
    assert out is fig
    assert len(fig.axes) == 2
    assert not ax1.lines
    assert ax2.lines
    assert ax2.get_yscale() == "log"


def test_timelines_grid_has_one_panel_per_instrument_and_one_legend():
    fig = plot_timelines(make_prices(), make_events())
    assert len(fig.axes) == 2
    assert [a.get_title() for a in fig.axes] == ["AAA", "BBB"]
    assert all(a.get_legend() is None for a in fig.axes)
    (legend,) = fig.legends
    assert "event: escalation" in legend_texts(legend)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p, e: (p, e.drop(columns="direction")), "'direction'"),
        (lambda p, e: (p, e.drop(columns="date")), "'date'"),
        (lambda p, e: (p.reset_index(drop=True), e), "DatetimeIndex"),
        (lambda p, e: (p.iloc[0:0], e), "empty"),
        (lambda p, e: (p, e.iloc[0:0]), "events is empty"),
        (lambda p, e: (p, e.assign(direction=["escalation", "up", "neutral"])), "'up'"),
        (lambda p, e: (p, e.assign(date=["2022-02-21", "soon", "2022-03-08"])), "'soon'"),
    ],
    ids=[
        "no-direction",
        "no-date",
        "no-dateindex",
        "empty-prices",
        "empty-events",
        "bad-direction",
        "bad-date",
    ],
)
def test_timeline_bad_input_names_the_problem(mutate, message):
    prices, events = mutate(make_prices(), make_events())
    with pytest.raises(PlotInputError, match=message):
        plot_timeline(prices, events)


def test_timeline_unknown_instrument_is_named():
    with pytest.raises(PlotInputError, match="ZZZ") as err:
        plot_timeline(make_prices(), make_events(), instruments=["ZZZ"])
    assert isinstance(err.value, EventStudyError) and isinstance(err.value, ValueError)
    assert "AAA" in str(err.value)


# --------------------------------------------------------------------------- AR / CAR paths


def test_car_path_band_is_cumulated_from_the_variances_by_hand():
    path = car_path(make_ars(), "E1", "AAA")
    np.testing.assert_array_equal(path["rel_day"], [-1, 0, 1])
    # AR 0.01, -0.02, 0.03 -> CAR 0.01, -0.01, 0.02
    np.testing.assert_allclose(path["car"], [0.01, -0.01, 0.02], atol=1e-15)
    # se 0.01, 0.02, 0.02 -> var 1e-4, 5e-4, 9e-4 -> sd 0.01, sqrt(5)/100, 0.03
    np.testing.assert_allclose(path["car_se"], [0.01, math.sqrt(5) / 100, 0.03], rtol=1e-12)
    np.testing.assert_allclose(
        path["car_hi"], [0.01 + Z95 * 0.01, -0.01 + Z95 * 0.0223607, 0.02 + Z95 * 0.03], rtol=1e-5
    )
    np.testing.assert_allclose(
        path["ar_lo"], [0.01 - Z95 * 0.01, -0.02 - Z95 * 0.02, 0.03 - Z95 * 0.02], rtol=1e-5
    )
    p90 = car_path(make_ars(), "E1", "AAA", level=0.90)
    np.testing.assert_allclose(p90["car_lo"].iloc[2], 0.02 - Z90 * 0.03, rtol=1e-5)


def test_car_path_does_not_treat_a_missing_ar_as_zero():
    ars = make_ars()
    ars.loc[
        (ars["event_id"] == "E1") & (ars["instrument"] == "AAA") & (ars["rel_day"] == 0), "ar"
    ] = np.nan
    path = car_path(ars, "E1", "AAA")
    assert path["car"].iloc[0] == pytest.approx(0.01)
    assert path["car"].iloc[1:].isna().all()


def test_car_path_rejects_duplicate_days():
    ars = pd.concat([make_ars(), make_ars().iloc[[0]]])
    with pytest.raises(PlotInputError, match="rel_day -1 twice"):
        car_path(ars, "E1", "AAA")


def test_event_paths_draw_bars_line_and_band_in_percent():
    fig = plot_event_paths(make_ars(), "E1", events=make_events())
    assert len(fig.axes) == 2
    ax = fig.axes[0]
    assert ax.get_title() == "AAA"
    assert "%" in ax.get_ylabel()
    assert "relative to event" in ax.get_xlabel()
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [1.0, -2.0, 3.0])
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "car_line"]
    np.testing.assert_allclose(line.get_xdata(), [-1, 0, 1])
    np.testing.assert_allclose(line.get_ydata(), [1.0, -1.0, 2.0], atol=1e-12)
    (band,) = [c for c in ax.collections if c.get_gid() == "car_band"]
    verts = band.get_paths()[0].vertices
    for x, car, sd in [(-1, 1.0, 1.0), (0, -1.0, math.sqrt(5)), (1, 2.0, 3.0)]:
        ys = verts[np.isclose(verts[:, 0], x), 1]
        assert np.isclose(ys, car + Z95 * sd, rtol=1e-5).any()
        assert np.isclose(ys, car - Z95 * sd, rtol=1e-5).any()
    (legend,) = fig.legends
    assert legend_texts(legend) == ["AR ± 95% CI", "CAR", "CAR 95% band"]
    assert "2022-02-21" in fig.get_suptitle()


def test_event_paths_into_one_given_axes_needs_one_instrument():
    fig, ax = plt.subplots()
    out = plot_event_paths(make_ars(), "E1", instruments=["BBB"], ax=ax)
    assert out is fig and len(fig.axes) == 1
    assert "BBB" in ax.get_title()
    assert ax.get_legend() is not None
    with pytest.raises(PlotInputError, match="one Axes given but 2 instruments"):
        plot_event_paths(make_ars(), "E1", ax=ax)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (make_ars().drop(columns="se"), "'se'"),
        (make_ars().iloc[0:0], "empty"),
        (make_ars().assign(ar=["x"] * 7), "'ar' must be numeric"),
    ],
    ids=["no-se", "empty", "text-ar"],
)
def test_event_paths_bad_input(frame, message):
    with pytest.raises(PlotInputError, match=message):
        plot_event_paths(frame, "E1")


def test_event_paths_unknown_event():
    with pytest.raises(PlotInputError, match="'E9'"):
        plot_event_paths(make_ars(), "E9")


# --------------------------------------------------------------------------- heatmap


def test_heatmap_cells_are_the_cars_in_percent_with_stars():
    cars, events = make_cars(), make_events()
    fig = plot_car_heatmap(cars, (-1, 1), events=events)
    ax = fig.axes[0]
    assert len(fig.axes) == 2  # heatmap and colour bar
    (image,) = ax.images
    data = image.get_array()
    # rows by event date: E2 (Feb 10), E1 (Feb 21), E3 (Mar 8); columns AAA, BBB
    expected = np.array([[0.2, 3.1], [1.23, -4.56], [-10.0, np.nan]])
    np.testing.assert_allclose(np.ma.filled(data, np.nan), expected, rtol=1e-12)
    assert data.mask[2, 1]
    texts = [t.get_text() for t in ax.texts]
    # p: E2/AAA 0.2 -> none; E2/BBB 0.001 -> ***; E1/AAA 0.07 -> *; E1/BBB 0.03 -> **;
    # E3/AAA 0.05 -> * (not below 0.05); E3/BBB missing
    assert texts == ["+0.2", "+3.1***", "+1.2*", "-4.6**", "-10.0*", "n/a"]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "2022-02-10 — Talks in Berlin"
    assert labels[1].startswith("2022-02-21 — Putin recognises") and labels[1].endswith("…")
    norm = image.norm
    assert norm.vmin == pytest.approx(-10.0) and norm.vmax == pytest.approx(10.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["AAA", "BBB"]
    assert "%" in fig.axes[1].get_ylabel()
    assert "(-1, +1)" in ax.get_title()


def test_heatmap_without_catalog_uses_ids_and_draws_into_given_axes():
    fig, ax = plt.subplots()
    out = plot_car_heatmap(make_cars(), "(0,0)", ax=ax)
    assert out is fig
    assert [t.get_text() for t in ax.get_yticklabels()] == ["E1"]
    assert [t.get_text() for t in ax.texts] == ["+50.0***"]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (make_cars().drop(columns="p"), "'p'"),
        (make_cars().iloc[0:0], "empty"),
        (pd.concat([make_cars(), make_cars().iloc[[0]]]), "two rows"),
    ],
    ids=["no-p", "empty", "duplicate"],
)
def test_heatmap_bad_input(frame, message):
    with pytest.raises(PlotInputError, match=message):
        plot_car_heatmap(frame, "(-1,+1)")


def test_heatmap_event_missing_from_catalog_is_named():
    with pytest.raises(PlotInputError, match="E3"):
        plot_car_heatmap(make_cars(), "(-1,+1)", events=make_events().iloc[:2])


# --------------------------------------------------------------------------- CAAR


def test_caar_bars_and_error_bars_by_hand():
    fig = plot_caar(make_caar(), by="direction")
    ax = fig.axes[0]
    containers = [c for c in ax.containers if hasattr(c, "errorbar")]
    assert [c.get_label() for c in containers] == ["AAA", "BBB"]
    aaa, bbb = containers
    # groups in direction order: escalation, neutral, de-escalation
    np.testing.assert_allclose([b.get_height() for b in aaa], [2.0, -3.0, 0.5])
    heights_b = [b.get_height() for b in bbb]
    np.testing.assert_allclose(heights_b[0], -1.0)
    assert np.isnan(heights_b[1])  # no neutral row for BBB
    segments = aaa.errorbar.lines[2][0].get_segments()
    half = [abs(s[1, 1] - s[0, 1]) / 2 for s in segments]
    np.testing.assert_allclose(half, [Z95 * 0.5, Z95 * 1.0, Z95 * 0.2], rtol=1e-5)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["escalation\n(n=3)", "neutral\n(n=1)", "de-escalation\n(n=2)"]
    assert "CAAR" in ax.get_ylabel() and "%" in ax.get_ylabel()
    assert ax.get_xlabel() == "direction"
    assert legend_texts(ax.get_legend()) == ["AAA", "BBB"]
    stars = sorted(t.get_text() for t in ax.texts)
    # p: 0.0001 ***, 0.012 **, 0.003 ***; 0.3 and 1.0 none
    assert stars == ["**", "***", "***"]


def test_caar_into_given_axes_and_group_column_named_by():
    fig, ax = plt.subplots()
    table = make_caar().rename(columns={"group": "direction"})
    assert plot_caar(table, by="direction", ax=ax) is fig
    assert len(ax.containers) >= 2


def test_caar_needs_a_window_when_several():
    table = pd.concat([make_caar(), make_caar().assign(window="(0,5)")])
    with pytest.raises(PlotInputError, match="several windows"):
        plot_caar(table)
    fig = plot_caar(table, by="direction", window="(0, 5)")
    assert "(0, +5)" in fig.axes[0].get_title()


def test_caar_missing_column_is_named():
    with pytest.raises(PlotInputError, match="'se'"):
        plot_caar(make_caar().drop(columns="se"))


# --------------------------------------------------------------------------- inputs untouched


def test_plot_functions_do_not_modify_their_inputs():
    prices, events, ars, cars, caar = (
        make_prices(),
        make_events(),
        make_ars(),
        make_cars(),
        make_caar(),
    )
    copies = [f.copy(deep=True) for f in (prices, events, ars, cars, caar)]
    plot_timeline(prices, events)
    plot_timelines(prices, events)
    plot_event_paths(ars, "E1", events=events)
    plot_car_heatmap(cars, "(-1,+1)", events=events)
    plot_caar(caar, by="direction")
    for before, after in zip(copies, (prices, events, ars, cars, caar), strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_timelines_into_given_axes():
    fig, axes = plt.subplots(1, 3)
    out = plot_timelines(make_prices(), make_events(), instruments=["BBB", "AAA"], axes=axes)
    assert out is fig
    assert [a.get_title() for a in axes[:2]] == ["BBB", "AAA"]
    assert not axes[2].lines
    assert axes[0].get_legend() is not None  # legend on the first panel, not the figure
    assert not fig.legends
    with pytest.raises(PlotInputError, match="need 2 axes"):
        plot_timelines(make_prices(), None, axes=axes[:1])


def test_caar_accepts_the_pooled_aggregate_shape():
    # [by], window, n, mean_car, sd, t, p: the pooled cross-sectional table, no instrument
    table = pd.DataFrame(
        {
            "category": ["sanction", "consult"],
            "window": ["(-1,1)", "(-1,1)"],
            "n": [4, 9],
            "mean_car": [-0.01, 0.002],
            "sd": [0.02, 0.03],
            "t": [-1.0, 0.2],
            "p": [0.39, 0.85],
        }
    )
    fig = plot_caar(table, by="category")
    ax = fig.axes[0]
    (bars,) = [c for c in ax.containers if hasattr(c, "errorbar")]
    assert bars.get_label() == "all instruments"
    # groups sorted: consult, sanction; se = sd / sqrt(n): 0.03/3 = 0.01, 0.02/2 = 0.01
    np.testing.assert_allclose([b.get_height() for b in bars], [0.2, -1.0])
    segments = bars.errorbar.lines[2][0].get_segments()
    half = [abs(s[1, 1] - s[0, 1]) / 2 for s in segments]
    np.testing.assert_allclose(half, [Z95 * 1.0, Z95 * 1.0], rtol=1e-5)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["consult\n(n=9)", "sanction\n(n=4)"]
    with pytest.raises(PlotInputError, match=r"'se' \(or 'sd' and 'n'\)"):
        plot_caar(table.drop(columns="sd"), by="category")


def test_timeline_period_limits_the_axis_and_rebases_at_its_start():
    fig = plot_timeline(
        make_prices(), make_events(), instruments=["AAA"], start="2022-02-15", end="2022-02-28"
    )
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    assert lo == pytest.approx(mdates.date2num(pd.Timestamp("2022-02-15")))
    assert hi == pytest.approx(mdates.date2num(pd.Timestamp("2022-02-28")))
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "series:AAA"]
    # AAA on 2022-02-15 (session 10) is 110, on 2022-02-16 111: rebased 100, 100 * 111 / 110
    np.testing.assert_allclose(line.get_ydata()[:2], [100.0, 100.0 * 111.0 / 110.0])
