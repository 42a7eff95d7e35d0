"""The offline report folder and the summary table (synthetic frames)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import eventstudy
from eventstudy.report import (
    ReportError,
    summary_table,
    summary_text,
    top_cars,
    write_report,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EVIL = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def make_inputs() -> dict:
    idx = pd.bdate_range("2022-01-03", "2022-03-31")
    n = len(idx)
    prices = pd.DataFrame(
        {"AAA": 100 + np.sin(np.arange(n) / 5.0), "BBB": 50 + np.arange(n) / 10.0}, index=idx
    )
    events = pd.DataFrame(
        {
            "event_id": ["E1", "E2"],
            "date": ["2022-02-21", "2022-02-10"],
            "date_end": [None, None],
            "date_precision": ["day", "day"],
            "modality": ["occurred", "occurred"],
            "category": ["support", "consult"],
            "mode": ["recognition", "meeting"],
            "direction": ["escalation", "de-escalation"],
            "goldstein": [-5.0, 1.0],
            "actors": ["RUS;UKR", "DEU;RUS"],
            "summary": [f"Recognition {EVIL}", "Talks in Berlin"],
            "sources": ["003_6e4f8e082c0ffab3;001_7256e83de7b75e2d", "000_ed8b9000920442cc"],
            "mentions": [2, 1],
            "evidence": [
                "003_6e4f8e082c0ffab3:10-80 Putin signed decrees recognising the republics",
                "000_ed8b9000920442cc:0-40 Leaders met in Berlin",
            ],
            "confidence": [0.9, 0.8],
        }
    )
    rows = []
    for e, base in (("E1", 0.01), ("E2", -0.005)):
        for inst in ("AAA", "BBB"):
            for rel in (-1, 0, 1):
                rows.append((e, inst, rel, pd.Timestamp("2022-02-21"), base * (rel + 2), 0.01))
    ars = pd.DataFrame(rows, columns=["event_id", "instrument", "rel_day", "date", "ar", "se"])
    ars["t"] = ars["ar"] / ars["se"]
    ars["p"] = 0.2
    cars = pd.DataFrame(
        {
            "event_id": ["E1", "E1", "E2", "E2", "E1"],
            "instrument": ["AAA", "BBB", "AAA", "BBB", "AAA"],
            "window": ["(-1, 1)", "(-1, 1)", "(-1, 1)", "(-1, 1)", "(0, 0)"],
            "car": [0.0123, -0.0456, 0.002, np.nan, 0.02],
            "se": [0.01, 0.02, 0.01, np.nan, 0.01],
            "t": [1.23, -2.28, 0.2, np.nan, 2.0],
            "p": [0.07, 0.03, 0.2, np.nan, 0.045],
        }
    )
    caar = pd.DataFrame(
        {
            "group": ["escalation", "de-escalation"],
            "instrument": ["AAA", "AAA"],
            "window": ["(-1, 1)", "(-1, 1)"],
            "caar": [0.0123, 0.002],
            "se": [0.01, 0.01],
            "t": [1.23, 0.2],
            "p": [0.22, 0.84],
            "n": [1, 1],
        }
    )
    tests = pd.DataFrame(
        {
            "instrument": ["AAA", "BBB"],
            "window": ["(-1, 1)"] * 2,
            "test": ["patell", "bmp"],
            "statistic": [1.5, -2.1],
            "p": [0.13, 0.036],
        }
    )
    return {
        "events": events,
        "prices": prices,
        "abnormal_returns": ars,
        "cars": cars,
        "tests": tests,
        "caar": {"direction": caar},
        "settings": {
            "model": "market",
            "estimation": (-250, -11),
            "windows": [(-1, 1), (0, 0)],
            "start": dt.date(2022, 1, 3),
            "prices_dir": Path("/data/market"),
            "min_obs": np.int64(100),
            "label": EVIL,
        },
        "sources": {"AAA": {"source": "csv", "file": "aaa.csv"}, "BBB": "yahoo:BBB"},
        "notices": [f"series CCC skipped: no file ccc.csv in /data/market {EVIL}"],
    }


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict, dict]:
    inputs = make_inputs()
    copies = {
        k: (v.copy(deep=True) if isinstance(v, pd.DataFrame) else v) for k, v in inputs.items()
    }
    out = tmp_path_factory.mktemp("report")
    started = dt.datetime(2022, 6, 1, 12, 0, tzinfo=dt.UTC)
    path = write_report(out, title=f"Crisis {EVIL}", started=started, **inputs)
    plt.close("all")
    return path, inputs, copies


def test_report_writes_every_file(report):
    path, _, _ = report
    out = path.parent
    assert path == out / "report.html"
    expected = {
        "report.html",
        "run.json",
        "events.csv",
        "abnormal_returns.csv",
        "cars.csv",
        "tests.csv",
        "caar.csv",
        "timeline.png",
        "car_heatmap.png",
        "caar_direction.png",
        "event_E1.png",
        "event_E2.png",
    }
    assert expected <= {p.name for p in out.iterdir()}
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == PNG_MAGIC


def test_report_html_embeds_every_figure(report):
    path, _, _ = report
    text = path.read_text(encoding="utf-8")
    embedded = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    files = sorted(path.parent.glob("*.png"))
    assert len(embedded) == len(files) == 5
    decoded = {base64.b64decode(b) for b in embedded}
    assert decoded == {f.read_bytes() for f in files}


def test_report_html_needs_no_network(report):
    path, _, _ = report
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert not re.search(r"https?://", text)
    assert "<link" not in text.lower()
    assert "@import" not in text
    assert "url(" not in text
    assert "<script" not in text.lower()


def test_report_escapes_text(report):
    path, _, _ = report
    text = path.read_text(encoding="utf-8")
    assert EVIL not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert text.count("&lt;script&gt;") >= 4  # title, notice, summary, setting


def test_report_traces_cars_to_events_and_events_to_articles(report):
    path, _, _ = report
    text = path.read_text(encoding="utf-8")
    assert 'href="#event-E1"' in text and 'id="event-E1"' in text
    assert 'href="#event-E2"' in text and 'id="event-E2"' in text
    row = re.search(r'<tr id="event-E1">(.*?)</tr>', text, re.S).group(1)
    assert "003_6e4f8e082c0ffab3; 001_7256e83de7b75e2d" in row
    assert "Putin signed decrees recognising the republics" in row
    assert "RUS; UKR" in row
    # the notices are shown
    assert "series CCC skipped" in text


def test_run_json_round_trips_settings_sources_and_notices(report):
    path, inputs, _ = report
    run = json.loads((path.parent / "run.json").read_text(encoding="utf-8"))
    assert run["package"] == {"name": "eventstudy", "version": eventstudy.__version__}
    assert run["settings"] == {
        "model": "market",
        "estimation": [-250, -11],
        "windows": [[-1, 1], [0, 0]],
        "start": "2022-01-03",
        "prices_dir": "/data/market",
        "min_obs": 100,
        "label": EVIL,
    }
    assert run["sources"] == inputs["sources"]
    assert run["notices"] == inputs["notices"]
    assert run["timestamps"]["started_utc"] == "2022-06-01T12:00:00+00:00"
    written = dt.datetime.fromisoformat(run["timestamps"]["report_written_utc"])
    assert written > dt.datetime(2022, 6, 1, tzinfo=dt.UTC)
    assert run["timestamps"]["elapsed_seconds"] == pytest.approx(
        (written - dt.datetime(2022, 6, 1, 12, tzinfo=dt.UTC)).total_seconds()
    )
    assert run["window_shown"] == "(-1, 1)"
    assert "report.html" in run["files"] and "car_heatmap.png" in run["files"]
    assert run["counts"]["events"] == 2 and run["counts"]["instruments"] == ["AAA", "BBB"]


def test_report_csvs_hold_the_input_tables(report):
    path, inputs, _ = report
    cars = pd.read_csv(path.parent / "cars.csv")
    pd.testing.assert_frame_equal(cars, inputs["cars"], check_dtype=False, check_index_type=False)
    events = pd.read_csv(path.parent / "events.csv")
    assert events["summary"].tolist() == inputs["events"]["summary"].tolist()
    caar = pd.read_csv(path.parent / "caar.csv")
    np.testing.assert_allclose(caar["caar"], [0.0123, 0.002])


def test_report_does_not_modify_inputs(report):
    _, inputs, copies = report
    for key, before in copies.items():
        if isinstance(before, pd.DataFrame):
            pd.testing.assert_frame_equal(before, inputs[key])
    assert inputs["settings"]["estimation"] == (-250, -11)


def test_summary_table_by_hand():
    inputs = make_inputs()
    table = summary_table(inputs["cars"], inputs["events"], "(-1,+1)")
    assert list(table.columns) == ["event_id", "date", "category", "direction", "AAA", "BBB"]
    # ordered by date: E2 (Feb 10) then E1 (Feb 21)
    assert table["event_id"].tolist() == ["E2", "E1"]
    assert table["date"].tolist() == ["2022-02-10", "2022-02-21"]
    # E1: 1.23% p=0.07 -> one star; -4.56% p=0.03 -> two; E2: 0.20% p=0.2; BBB missing
    assert table["AAA"].tolist() == ["+0.20", "+1.23*"]
    assert table["BBB"].tolist() == ["n/a", "-4.56**"]
    assert table.attrs["window"] == "(-1, 1)"
    # default window is (-1, +1) whatever its label
    assert summary_table(inputs["cars"], inputs["events"]).equals(table)
    assert summary_table(inputs["cars"], inputs["events"], (0, 0))["AAA"].tolist() == ["+2.00**"]


def test_top_cars_ranks_by_absolute_car():
    inputs = make_inputs()
    top = top_cars(inputs["cars"], inputs["events"], (-1, 1), n=2)
    assert top["instrument"].tolist() == ["BBB", "AAA"]
    np.testing.assert_allclose(top["car_pct"], [-4.56, 1.23])
    assert top["stars"].tolist() == ["**", "*"]
    assert top["shared"].tolist() == [1, 1]


def test_top_cars_lists_a_shared_day0_move_once():
    inputs = make_inputs()
    cars = inputs["cars"]
    twin = cars[cars["event_id"] == "E1"].assign(event_id="E1b")
    both = pd.concat([cars, twin], ignore_index=True)
    both["day0_group"] = both["event_id"].replace({"E1b": "E1"})
    top = top_cars(both, inputs["events"], (-1, 1), n=3)
    # E1 and its twin share day 0: the -4.56 and +1.23 moves appear once each, counted twice
    assert top["event_id"].tolist() == ["E1", "E1", "E2"]
    assert top["shared"].tolist() == [2, 2, 1]


def test_bad_settings_and_inputs_raise(tmp_path):
    inputs = make_inputs()
    with pytest.raises(ReportError, match=r"settings\.model"):
        write_report(tmp_path, **{**inputs, "settings": {"model": object()}})
    with pytest.raises(ReportError, match="'car'"):
        write_report(tmp_path, **{**inputs, "cars": inputs["cars"].drop(columns="car")})
    with pytest.raises(ReportError, match="DatetimeIndex"):
        write_report(tmp_path, **{**inputs, "prices": inputs["prices"].reset_index()})


def test_a_figure_that_cannot_be_drawn_becomes_a_notice(tmp_path):
    inputs = make_inputs()
    bad = inputs["caar"]["direction"].drop(columns="se")
    path = write_report(
        tmp_path,
        **{**inputs, "caar": {"direction": bad}, "tests": {"daily": inputs["tests"]}},
        path_events=["E1"],
    )
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert any("caar_direction.png not drawn" in n and "'se'" in n for n in run["notices"])
    assert "caar_direction.png not drawn" in path.read_text(encoding="utf-8")
    assert (tmp_path / "tests_daily.csv").exists()
    assert not (tmp_path / "event_E2.png").exists()


def test_summary_text_has_heading_table_and_key():
    inputs = make_inputs()
    text = summary_text(inputs["cars"], inputs["events"])
    lines = text.splitlines()
    assert lines[0] == "CAR(-1, 1) in % by event and instrument"
    assert lines[1].split() == ["event_id", "date", "category", "direction", "AAA", "BBB"]
    assert lines[2].split() == ["E2", "2022-02-10", "consult", "de-escalation", "+0.20", "n/a"]
    assert lines[-1].startswith("* p<0.1  ** p<0.05  *** p<0.01")


def test_test_tables_keep_their_index(tmp_path):
    inputs = make_inputs()
    window_tests = pd.DataFrame(
        {"statistic": [1.5, -2.1], "pvalue": [0.13, 0.036]},
        index=pd.Index(["patell", "bmp"], name="test"),
    )
    path = write_report(tmp_path, **{**inputs, "tests": window_tests}, path_events=0)
    saved = pd.read_csv(tmp_path / "tests.csv")
    assert saved["test"].tolist() == ["patell", "bmp"]
    assert "<th>test</th>" in path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("event_*.png"))


def test_cars_must_trace_to_the_catalog(tmp_path):
    inputs = make_inputs()
    with pytest.raises(ReportError, match=r"cars has event_id\(s\) \['E2'\] that are not in"):
        write_report(tmp_path, **{**inputs, "events": inputs["events"].iloc[[0]]})
    doubled = pd.concat([inputs["events"], inputs["events"].iloc[[0]]])
    with pytest.raises(ReportError, match="duplicate event_id"):
        write_report(tmp_path, **{**inputs, "events": doubled})
    assert not list(tmp_path.iterdir())  # nothing written before the inputs were checked
