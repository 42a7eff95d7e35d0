"""The ``eventstudy prices`` subcommand (CSV source: no network)."""

from __future__ import annotations

import pandas as pd
import pytest

from eventstudy.cli import main


@pytest.fixture(autouse=True)
def _isolated_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTSTUDY_CACHE", str(tmp_path / "cache"))


def test_prices_summary_and_csv_output(market_dir, tmp_path, capsys):
    out = tmp_path / "px.csv"
    code = main(
        [
            "prices",
            "IMOEX,SP500",
            "USDRUB",
            "--start",
            "2022-02-01",
            "--end",
            "2022-03-31",
            "--source",
            "csv",
            "--path",
            str(market_dir),
            "--out",
            str(out),
        ]
    )
    text = capsys.readouterr().out
    assert code == 0
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip()}
    assert "2022-02-25" not in lines["IMOEX"]  # last date is in March
    assert "2022-03-31" in lines["IMOEX"] and "1 (1 suspension)" in lines["IMOEX"]
    assert "imoex.csv" in lines["IMOEX"] and "sp500.csv" in lines["SP500"]
    written = pd.read_csv(out, index_col="date", parse_dates=True)
    assert list(written.columns) == ["IMOEX", "SP500", "USDRUB"]
    assert written.loc["2022-02-24", "IMOEX"] == pytest.approx(2058.12)
    assert written.loc["2022-03-01":"2022-03-23", "IMOEX"].isna().all()


def test_prices_parquet_output(market_dir, tmp_path, capsys):
    out = tmp_path / "px.parquet"
    assert (
        main(
            [
                "prices",
                "BRENT",
                "--start",
                "2022-02-01",
                "--end",
                "2022-02-28",
                "--source",
                "csv",
                "--path",
                str(market_dir),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert pd.read_parquet(out)["BRENT"].notna().sum() == 20
    assert "wrote 20 rows" in capsys.readouterr().out


def test_prices_errors_exit_1_with_message(market_dir, capsys):
    assert (
        main(
            [
                "prices",
                "NOPE",
                "--start",
                "2022-02-01",
                "--end",
                "2022-02-28",
                "--source",
                "csv",
                "--path",
                str(market_dir),
            ]
        )
        == 1
    )
    assert "unknown instrument 'NOPE'" in capsys.readouterr().err
    assert (
        main(
            [
                "prices",
                "FTSE",
                "--start",
                "2022-02-01",
                "--end",
                "2022-02-28",
                "--source",
                "csv",
                "--path",
                str(market_dir),
            ]
        )
        == 1
    )
    assert "To supply it" in capsys.readouterr().err


def test_prices_skip_missing_lists_what_was_not_loaded(market_dir, capsys):
    code = main(
        [
            "prices",
            "SP500",
            "FTSE",
            "--start",
            "2022-02-01",
            "--end",
            "2022-02-28",
            "--source",
            "csv",
            "--path",
            str(market_dir),
            "--skip-missing",
        ]
    )
    text = capsys.readouterr().out
    assert code == 0 and "not loaded:" in text and "FTSE" in text
