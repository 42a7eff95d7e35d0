"""The main job, ``eventstudy run``: end to end on the seeds and the shared market data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eventstudy.cli import main
from eventstudy.market import sources as market_sources
from eventstudy.pipeline import RunSettings, caar_table, run_pipeline


@pytest.fixture(autouse=True)
def no_yahoo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never reach the network: Yahoo answers with nothing, as yfinance does offline."""

    def empty_download(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        return pd.DataFrame()

    monkeypatch.setattr(market_sources, "yfinance_download", empty_download)
    monkeypatch.setenv("EVENTSTUDY_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("EVENTSTUDY_PRICES", raising=False)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory, market_dir: Path, seeds_dir: Path):
    out = tmp_path_factory.mktemp("report")
    mp = pytest.MonkeyPatch()
    mp.setattr(market_sources, "yfinance_download", lambda *a, **k: pd.DataFrame())
    mp.setenv("EVENTSTUDY_CACHE", str(out / "cache"))
    try:
        res = run_pipeline(
            RunSettings(articles=str(seeds_dir), out=str(out / "r"), prices=str(market_dir))
        )
    finally:
        mp.undo()
    return res


def test_report_folder(full_run) -> None:
    folder = full_run.report.parent
    for name in (
        "report.html",
        "run.json",
        "timeline.png",
        "car_heatmap.png",
        "events.csv",
        "abnormal_returns.csv",
        "cars.csv",
    ):
        assert (folder / name).is_file(), name
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    settings = meta["settings"]
    assert settings["instruments"] == ["USDRUB", "BRENT", "IMOEX", "RTSI", "SP500", "STOXX50E"]
    assert settings["estimation"] == [-250, -11]
    assert settings["windows"] == [[-1, 1], [0, 0], [0, 5]]
    assert set(full_run.models) == set(settings["instruments"])


def test_every_car_is_traceable(full_run) -> None:
    """Each CAR row names an event of the catalog, whose evidence points into an article."""
    cat = full_run.catalog.set_index("event_id")
    for eid in full_run.cars["event_id"].unique():
        ev = cat.loc[eid]
        art_id, span = ev["evidence"].rsplit(":", 1)
        start, end = (int(v) for v in span.split("-"))
        text = full_run.articles[art_id].text
        assert 0 <= start < end <= len(text)


def test_car_is_sum_of_ars(full_run) -> None:
    ar = full_run.abnormal_returns
    car = full_run.cars[full_run.cars["window"] == "(-1,1)"].dropna(subset=["car"])
    assert len(car) > 10
    for row in car.head(20).itertuples():
        sel = ar[(ar.event_id == row.event_id) & (ar.instrument == row.instrument)]
        total = sel[sel.rel_day.between(-1, 1)]["ar"].sum()
        assert row.car == pytest.approx(total, rel=1e-12, abs=1e-15)


def _closes(path: Path, column: str = "close") -> pd.Series:
    f = pd.read_csv(path, parse_dates=["date"]).set_index("date")
    return f[column]


def test_market_model_ar_matches_hand_computation(full_run, market_dir: Path) -> None:
    """Day-0 AR of IMOEX on its benchmark EEM, recomputed here from the CSV files with numpy.

    Trade-to-trade log returns on IMOEX's own sessions; EEM sampled as of the same sessions
    (pandas' ``asof``) so both returns cover the same interval; the estimation window is
    IMOEX sessions -250..-11 before day 0; OLS by least squares.
    """
    assert full_run.settings.instruments[2] == "IMOEX"
    ev = full_run.studied.sort_values("date").iloc[0]
    imoex_close = _closes(market_dir / "imoex.csv")
    eem_close = _closes(market_dir / "eem_adj.csv", "adj_close")
    imoex = np.log(imoex_close).diff().dropna()
    eem_asof = pd.Series([eem_close.asof(d) for d in imoex_close.index], index=imoex_close.index)
    eem = np.log(eem_asof).diff().reindex(imoex.index)
    day0 = imoex.index[imoex.index >= pd.Timestamp(ev["date"])][0]
    pos = imoex.index.get_loc(day0)
    est = pd.concat(
        [imoex.iloc[pos - 250 : pos - 10], eem.iloc[pos - 250 : pos - 10]], axis=1, keys=["y", "x"]
    ).dropna()
    assert len(est) == 240
    beta, alpha = np.polyfit(est["x"], est["y"], 1)
    expected = imoex.loc[day0] - (alpha + beta * eem.loc[day0])
    ar = full_run.abnormal_returns
    got = ar[(ar.event_id == ev["event_id"]) & (ar.instrument == "IMOEX") & (ar.rel_day == 0)]
    assert len(got) == 1
    assert got["ar"].iloc[0] == pytest.approx(expected, rel=1e-9)


def test_caar_table_by_hand() -> None:
    cars = pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "a"],
            "instrument": ["X", "X", "X", "Y"],
            "window": ["(0,0)"] * 4,
            "car": [0.01, 0.03, -0.01, 0.02],
        }
    )
    cat = pd.DataFrame({"event_id": ["a", "b", "c"], "direction": ["up", "up", "down"]})
    # "d" shares day 0 with "b" on X: one market move, counted once
    cars = pd.concat(
        [
            cars,
            pd.DataFrame(
                {"event_id": ["d"], "instrument": ["X"], "window": ["(0,0)"], "car": [0.03]}
            ),
        ],
        ignore_index=True,
    )
    cars["day0_group"] = ["a", "b", "c", "a", "b"]
    cat = pd.concat([cat, pd.DataFrame({"event_id": ["d"], "direction": ["up"]})])
    t = caar_table(cars, cat, "direction").set_index(["group", "instrument"])
    up = t.loc[("up", "X")]
    assert up["caar"] == pytest.approx(0.02)
    assert up["se"] == pytest.approx(np.std([0.01, 0.03], ddof=1) / np.sqrt(2))
    assert up["t"] == pytest.approx(0.02 / up["se"])
    assert up["n"] == 2
    assert np.isnan(t.loc[("down", "X")]["se"])


def _folder_with(tmp_path: Path, market_dir: Path, names: list[str]) -> Path:
    folder = tmp_path / "prices"
    folder.mkdir()
    for n in names:
        shutil.copy(market_dir / n, folder / n)  # a temporary copy, outside the repository
    return folder


def test_missing_series_is_skipped_with_notice(
    tmp_path: Path, market_dir: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder_with(tmp_path, market_dir, ["imoex.csv", "eem_adj.csv"])
    rc = main(
        [
            "run",
            str(seeds_dir),
            "--prices",
            str(folder),
            "--out",
            str(tmp_path / "r"),
            "--instruments",
            "IMOEX",
            "BRENT",
            "--quiet",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "series BRENT skipped" in out
    assert "tried cache, csv, yahoo, ecb" in out
    assert "brent_fut_investing.csv" in out and "--prices DIR" in out
    assert "IMOEX" in out.split("CAR(")[1]
    meta = json.loads((tmp_path / "r" / "run.json").read_text(encoding="utf-8"))
    assert any("series BRENT skipped" in n for n in meta["notices"])


def test_no_series_at_all_fails(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    rc = main(
        [
            "run",
            str(seeds_dir),
            "--prices",
            str(empty),
            "--out",
            str(tmp_path / "r"),
            "--instruments",
            "BRENT",
            "--quiet",
        ]
    )
    assert rc == 1
    err = capsys.readouterr().err
    assert "none of the instruments ['BRENT'] could be loaded" in err
    assert not (tmp_path / "r" / "report.html").exists()


def test_offline_fresh_machine_uses_ecb_ruble(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No CSV folder, no cache, Yahoo empty: the ruble still comes from the bundled ECB rates."""
    rc = main(["run", str(seeds_dir), "--out", str(tmp_path / "r"), "--quiet"])
    out = capsys.readouterr().out
    assert rc == 0
    meta = json.loads((tmp_path / "r" / "run.json").read_text(encoding="utf-8"))
    assert meta["sources"]["prices"]["USDRUB"].startswith("ecb")
    assert "series IMOEX skipped" in out
    assert "USDRUB" in out.split("CAR(")[1]


def test_operating_point_is_applied_and_recorded(
    tmp_path: Path, seeds_dir: Path, market_dir: Path, capsys: pytest.CaptureFixture[str], full_run
) -> None:
    """``--operating-point strict`` runs the learned pass at that point's settings (on the
    seeds its catalog differs from the default's: another rule and thresholds) and run.json
    records it; without the learned pass it is an error."""
    args = ["run", str(seeds_dir), "--prices", str(market_dir), "--instruments", "BRENT"]
    rc = main([*args, "--out", str(tmp_path / "r"), "--quiet", "--operating-point", "strict"])
    assert rc == 0
    meta = json.loads((tmp_path / "r" / "run.json").read_text(encoding="utf-8"))
    assert meta["settings"]["operating_point"] == "strict"
    assert full_run.settings.operating_point is None
    from eventstudy.extract.learned import load_model

    point = load_model().operating_points["strict"]
    used = meta["settings"]["learned_pass"]
    assert used["operating_point"] == "strict"
    assert used["operating_point_asked"] is True
    assert [used[k] for k in ("rule", "threshold", "context_threshold", "single_threshold")] == [
        point[k] for k in ("rule", "threshold", "context_threshold", "single_threshold")
    ]
    default = json.loads((full_run.report.parent / "run.json").read_text(encoding="utf-8"))
    assert default["settings"]["learned_pass"]["rule"] == load_model().rule
    # the default run names the bundled point it ran at, and says it was not asked for
    assert default["settings"]["learned_pass"]["operating_point"] == "typed"
    assert default["settings"]["learned_pass"]["operating_point_asked"] is False
    assert default["settings"]["learned_pass"]["model"].endswith("sentence_model.toml")
    events = pd.read_csv(tmp_path / "r" / "events.csv")
    # another point, another catalog (the two points' settings differ)
    assert (point["rule"], point["context_threshold"]) != (
        load_model().rule,
        load_model().context_threshold,
    )
    assert events["mentions"].sum() != full_run.catalog["mentions"].sum()
    rc = main([*args, "--out", str(tmp_path / "x"), "--no-learned", "--operating-point", "strict"])
    assert rc == 1
    assert "--operating-point needs the learned pass" in capsys.readouterr().err
