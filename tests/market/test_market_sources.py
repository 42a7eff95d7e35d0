"""Price sources: CSV folder, ECB bundled rates, Yahoo through a fake download, and auto mode.

No network: every Yahoo test injects a fake download function and a temporary cache folder.
"""

from __future__ import annotations

import json
import math
import os
import warnings

import numpy as np
import pandas as pd
import pytest

from eventstudy.errors import SkippedInputWarning
from eventstudy.market import (
    CacheCorruptWarning,
    CsvSource,
    EcbSource,
    PriceLoadError,
    PriceSourceError,
    SourceCoverageWarning,
    YahooSource,
    load_instruments,
    load_prices,
)
from eventstudy.market import sources as src_mod

T = pd.Timestamp


@pytest.fixture(scope="module")
def registry():
    return load_instruments()


# --------------------------------------------------------------------------- CSV


def test_imoex_closes_and_the_suspension_gap(market_dir):
    px = load_prices("IMOEX", "2022-02-01", "2022-04-30", source="csv", path=market_dir)
    assert px.index.name == "date" and list(px.columns) == ["IMOEX"]
    # values from SOURCES.md's known-fact checks (MOEX ISS closes)
    assert px.loc["2022-02-22", "IMOEX"] == pytest.approx(3084.74, abs=1e-9)
    assert px.loc["2022-02-24", "IMOEX"] == pytest.approx(2058.12, abs=1e-9)
    closed = px.loc["2022-02-28":"2022-03-23"]
    assert closed.empty
    # no forward fill: the next row after 25 Feb is 24 Mar
    pos = px.index.get_loc(T("2022-02-25"))
    assert px.index[pos + 1] == T("2022-03-24")
    assert px.attrs["sources"]["IMOEX"] == f"csv:{market_dir / 'imoex.csv'}"


def test_wide_frame_is_union_of_dates_without_fill(market_dir):
    px = load_prices(["IMOEX", "SP500"], "2022-02-21", "2022-02-28", "csv", path=market_dir)
    # 21 Feb: Moscow trades, NYSE closed (Presidents' Day); 23 Feb the other way round
    assert math.isnan(px.loc["2022-02-21", "SP500"]) and px.loc["2022-02-21", "IMOEX"] > 0
    assert math.isnan(px.loc["2022-02-23", "IMOEX"]) and px.loc["2022-02-23", "SP500"] > 0
    assert math.isnan(px.loc["2022-02-28", "IMOEX"])
    assert px.loc["2022-02-24", "SP500"] == pytest.approx(4288.70)


def test_eem_uses_the_adjusted_column(market_dir):
    px = load_prices("EEM", "2022-02-01", "2022-02-28", "csv", path=market_dir)
    assert px.attrs["sources"]["EEM"].endswith("eem_adj.csv[adj_close]")


def _write(tmp_path, name, text):
    folder = tmp_path / "market"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("date,close\n2022-01-03,1\n2022-13-04,2\n", "line 3", "does not exist"),
        ("date,close\n2022-01-03,1\n03.01.2022,2\n", "line 3", "YYYY-MM-DD"),
        ("date,close\n2022-01-03,1\n2022-01-04,1,5\n", "line 3", "fields"),
        ("date,close\n2022-01-03,1\n2022-01-04,\n", "line 3", "not a number"),
        ("date,close\n2022-01-03,1\n2022-01-03,2\n", "line 3", "already on line 2"),
        ("date,price\n2022-01-03,1\n", "line 1", "missing column"),
        ("date,close,colour\n2022-01-03,1,red\n", "line 1", "unknown column"),
    ],
    ids=[
        "bad-date",
        "date-format",
        "field-count",
        "empty-close",
        "duplicate",
        "no-close",
        "unknown-column",
    ],
)
def test_malformed_csv_names_file_and_line(tmp_path, registry, text, where, what):
    folder = _write(tmp_path, "imoex.csv", text)
    with pytest.raises(PriceSourceError) as exc:
        CsvSource(folder).fetch(registry["IMOEX"], T("2022-01-01"), T("2022-12-31"))
    msg = str(exc.value)
    assert str(folder / "imoex.csv") in msg and where in msg and what in msg


def test_unsorted_csv_is_sorted_with_a_warning(tmp_path, registry):
    folder = _write(tmp_path, "imoex.csv", "date,close\n2022-01-04,2\n2022-01-03,1\n")
    with pytest.warns(UserWarning, match="line 3"):
        s, _ = CsvSource(folder).fetch(registry["IMOEX"], T("2022-01-01"), T("2022-12-31"))
    assert s.tolist() == [1.0, 2.0]


def test_missing_file_gives_report_with_sources_tried_and_hint(tmp_path):
    folder = _write(tmp_path, "imoex.csv", "date,close\n2022-01-03,1\n")
    with pytest.raises(PriceLoadError) as exc:
        load_prices(["IMOEX", "SP500"], "2022-01-01", "2022-01-31", "csv", path=folder)
    report = exc.value.report
    assert list(report.failed) == ["SP500"]
    assert "sp500.csv not found" in str(exc.value)
    assert "To supply it" in str(exc.value)
    # skip mode: partial result, failure recorded and announced once
    with pytest.warns(SkippedInputWarning, match="SP500"):
        px = load_prices(
            ["IMOEX", "SP500"], "2022-01-01", "2022-01-31", "csv", path=folder, errors="skip"
        )
    assert list(px.columns) == ["IMOEX"]
    frame = px.attrs["report"].to_frame()
    assert frame.loc[frame.instrument == "SP500", "ok"].tolist() == [False]


def test_unknown_source_lists_valid_ones():
    with pytest.raises(Exception, match="valid sources"):
        load_prices("IMOEX", "2022-01-01", "2022-01-31", source="bloomberg")


def test_csv_source_needs_a_folder(monkeypatch):
    monkeypatch.delenv("EVENTSTUDY_PRICES", raising=False)
    with pytest.raises(Exception, match="EVENTSTUDY_PRICES"):
        load_prices("IMOEX", "2022-01-01", "2022-01-31", source="csv")


def test_prices_env_var_names_the_folder(monkeypatch, market_dir, tmp_path):
    monkeypatch.setenv("EVENTSTUDY_PRICES", str(market_dir))
    px = load_prices("SP500", "2022-02-24", "2022-02-24", source="csv")
    assert px.iloc[0, 0] == pytest.approx(4288.70)


# --------------------------------------------------------------------------- ECB


def test_ecb_usdrub_is_eurrub_over_eurusd():
    px = load_prices(["USDRUB", "EURUSD", "EURRUB"], "2022-02-14", "2022-02-16", source="ecb")
    # ECB reference rates of 15 Feb 2022: EUR/RUB 85.5025, EUR/USD 1.1345
    assert px.loc["2022-02-15", "USDRUB"] == pytest.approx(85.5025 / 1.1345, rel=1e-12)
    assert px.loc["2022-02-15", "EURUSD"] == pytest.approx(1.1345, rel=1e-12)
    assert px.loc["2022-02-15", "EURRUB"] == pytest.approx(85.5025, rel=1e-12)
    assert px.attrs["sources"]["USDRUB"].startswith("ecb:USD/RUB = EUR/RUB / EUR/USD")


def test_ecb_ruble_stops_2022_03_01_with_a_warning():
    with pytest.warns(SourceCoverageWarning, match=r"RUB after 2022-03-01"):
        px = load_prices("USDRUB", "2022-02-21", "2022-03-31", source="ecb")
    assert px.index[-1] == T("2022-03-01")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_prices("USDRUB", "2022-02-21", "2022-02-28", source="ecb")
    with pytest.raises(PriceLoadError, match="no ECB rates"), warnings.catch_warnings():
        warnings.simplefilter("ignore", SourceCoverageWarning)
        load_prices("USDRUB", "2022-04-01", "2022-04-30", source="ecb")


def test_ecb_rejects_non_fx(registry):
    with pytest.raises(PriceSourceError, match="not an ECB pair"):
        EcbSource().fetch(registry["IMOEX"], T("2022-01-01"), T("2022-01-31"))


# --------------------------------------------------------------------------- Yahoo (fake)


def _truth(start="2021-11-01", end="2022-04-29", level=100.0):
    idx = pd.bdate_range(start, end, name="Date")
    return pd.Series(level + np.arange(len(idx), dtype=float), index=idx)


class FakeDownload:
    """Stands in for yfinance.download: yfinance-shaped frames, records each call."""

    def __init__(self, truth=None, mode="ok", available=None):
        self.truth = _truth() if truth is None else truth
        self.mode = mode
        self.available = available  # (first, last) dates Yahoo has
        self.calls = []

    def __call__(self, ticker, start, end):
        self.calls.append((ticker, T(start), T(end)))
        if self.mode == "empty":  # what yfinance does offline: an empty frame, no exception
            cols = pd.MultiIndex.from_product(
                [["Close", "High", "Low", "Open"], [ticker]], names=["Price", "Ticker"]
            )
            return pd.DataFrame(columns=cols, index=pd.DatetimeIndex([], name="Date"))
        if self.mode == "raise":
            raise ConnectionError("Could not resolve host: query2.finance.yahoo.com")
        s = self.truth[(self.truth.index >= start) & (self.truth.index <= end)]
        if self.available is not None:
            s = s[(s.index >= T(self.available[0])) & (s.index <= T(self.available[1]))]
        cols = pd.MultiIndex.from_product([["Close", "Open"], [ticker]], names=["Price", "Ticker"])
        return pd.DataFrame(np.c_[s.to_numpy(), s.to_numpy() - 0.5], index=s.index, columns=cols)


def _yahoo(tmp_path, fake, **kw):
    return YahooSource(tmp_path / "cache", download=fake, **kw)


def test_yahoo_fetches_caches_and_records_what_when(tmp_path, registry):
    fake = FakeDownload()
    src = _yahoo(tmp_path, fake)
    s, origin = src.fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    assert fake.calls == [("RUB=X", T("2022-02-01"), T("2022-02-28"))]
    expected = fake.truth["2022-02-01":"2022-02-28"]
    assert s.tolist() == expected.tolist() and s.name == "USDRUB"
    assert origin.startswith("yahoo:RUB=X")
    manifest = json.loads(src.manifest_path.read_text())
    entry = manifest["tickers"]["RUB=X"]
    assert entry["covered"] == [["2022-02-01", "2022-02-28"]]
    assert entry["fetches"][0]["rows"] == len(expected) and entry["fetches"][0]["fetched_at"]
    assert src.cache_file("RUB=X").exists()
    # no temporary files left behind
    assert not [p for p in src.folder.iterdir() if p.name.endswith(".tmp")]
    # second request inside the covered range: served from the cache, no download
    again, origin2 = _yahoo(tmp_path, fake).fetch(
        registry["USDRUB"], T("2022-02-07"), T("2022-02-11")
    )
    assert len(fake.calls) == 1
    assert (
        origin2.startswith("yahoo-cache:")
        and again.tolist() == expected["2022-02-07":"2022-02-11"].tolist()
    )


def test_yahoo_partial_cache_downloads_only_the_missing_range(tmp_path, registry):
    fake = FakeDownload()
    _yahoo(tmp_path, fake).fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    s, _ = _yahoo(tmp_path, fake).fetch(registry["USDRUB"], T("2022-01-15"), T("2022-03-15"))
    assert fake.calls[1:] == [
        ("RUB=X", T("2022-01-15"), T("2022-01-31")),
        ("RUB=X", T("2022-03-01"), T("2022-03-15")),
    ]
    assert s.tolist() == fake.truth["2022-01-15":"2022-03-15"].tolist()
    manifest = json.loads((tmp_path / "cache" / "yahoo" / "manifest.json").read_text())
    assert manifest["tickers"]["RUB=X"]["covered"] == [["2022-01-15", "2022-03-15"]]


def test_yahoo_partial_response_warns_and_records_only_what_came(tmp_path, registry):
    fake = FakeDownload(available=("2022-02-14", "2022-04-29"))  # e.g. a ticker listed later
    src = _yahoo(tmp_path, fake)
    with pytest.warns(SourceCoverageWarning, match="returned only 2022-02-14"):
        s, _ = src.fetch(registry["USDRUB"], T("2022-01-03"), T("2022-02-28"))
    assert s.index[0] == T("2022-02-14")
    manifest = json.loads(src.manifest_path.read_text())
    assert manifest["tickers"]["RUB=X"]["covered"] == [["2022-02-14", "2022-02-28"]]


def test_yahoo_empty_response_without_cache_is_a_clear_error(tmp_path, registry):
    fake = FakeDownload(mode="empty")
    with pytest.raises(PriceSourceError) as exc:
        _yahoo(tmp_path, fake).fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    msg = str(exc.value)
    assert "RUB=X" in msg and "no rows" in msg and "nothing cached" in msg


def test_yahoo_empty_response_with_covering_cache_warns_and_uses_cache(tmp_path, registry):
    _yahoo(tmp_path, FakeDownload()).fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    for mode in ("empty", "raise"):
        offline = FakeDownload(mode=mode)
        with pytest.warns(SourceCoverageWarning, match="Using cached data"):
            s, origin = _yahoo(tmp_path, offline, refresh=True).fetch(
                registry["USDRUB"], T("2022-02-01"), T("2022-02-28")
            )
        assert len(offline.calls) == 1 and origin.startswith("yahoo-cache:")
        assert s.tolist() == _truth()["2022-02-01":"2022-02-28"].tolist()


def test_yahoo_offline_with_cache_not_covering_is_an_error(tmp_path, registry):
    _yahoo(tmp_path, FakeDownload()).fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    with pytest.raises(PriceSourceError, match=r"cache holds 2022-02-01\.\.2022-02-28"):
        _yahoo(tmp_path, FakeDownload(mode="raise")).fetch(
            registry["USDRUB"], T("2021-12-01"), T("2022-02-28")
        )


def test_yahoo_corrupt_cache_file_is_reported_and_refetched(tmp_path, registry):
    fake = FakeDownload()
    src = _yahoo(tmp_path, fake)
    src.fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    src.cache_file("RUB=X").write_bytes(b"PAR1 this is not parquet")
    with pytest.warns(CacheCorruptWarning, match="unreadable"):
        s, _ = _yahoo(tmp_path, fake).fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    assert len(fake.calls) == 2
    assert s.tolist() == fake.truth["2022-02-01":"2022-02-28"].tolist()
    # the rewritten cache is readable again
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _yahoo(tmp_path, fake).fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    assert len(fake.calls) == 2


def test_yahoo_corrupt_manifest_is_reported_and_refetched(tmp_path, registry):
    fake = FakeDownload()
    src = _yahoo(tmp_path, fake)
    src.fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    src.manifest_path.write_text('{"tickers": {"RUB=X": ')  # truncated JSON
    with pytest.warns(CacheCorruptWarning, match="manifest"):
        _yahoo(tmp_path, fake).fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    assert len(fake.calls) == 2


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")

    def crash(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        src_mod._atomic_write(target, crash)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["f.txt"]


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTSTUDY_CACHE", str(tmp_path / "c"))
    assert YahooSource(download=FakeDownload()).cache_dir == tmp_path / "c"


def test_flat_response_columns_are_accepted(tmp_path, registry):
    truth = _truth()

    def flat(ticker, start, end):
        s = truth[start:end]
        # Ticker.history style: tz-aware timestamps at midnight
        values = s.to_numpy()
        return pd.DataFrame({"Open": values, "Close": values}, index=s.index.tz_localize("UTC"))

    s, _ = _yahoo(tmp_path, flat).fetch(registry["SP500"], T("2022-02-01"), T("2022-02-04"))
    assert s.index.tz is None and s.tolist() == truth["2022-02-01":"2022-02-04"].tolist()


# --------------------------------------------------------------------------- auto


def test_auto_prefers_cache_then_csv_then_yahoo(tmp_path, market_dir):
    fake = FakeDownload()
    cache = tmp_path / "cache"
    # FTSE has no CSV: Yahoo serves it and fills the cache
    px = load_prices(
        ["IMOEX", "FTSE"],
        "2022-02-01",
        "2022-02-28",
        path=market_dir,
        cache_dir=cache,
        download=fake,
    )
    assert px.attrs["sources"]["IMOEX"].startswith("csv:")
    assert px.attrs["sources"]["FTSE"].startswith("yahoo:^FTSE")
    assert [c[0] for c in fake.calls] == ["^FTSE"]
    # next time the cache serves FTSE without any download
    px2 = load_prices(["FTSE"], "2022-02-01", "2022-02-28", cache_dir=cache, download=fake)
    assert px2.attrs["sources"]["FTSE"].startswith("yahoo-cache:")
    assert len(fake.calls) == 1
    report = px.attrs["report"]
    assert [a.source for a in report.attempts["FTSE"]] == ["cache", "csv", "yahoo"]


def test_auto_falls_back_to_ecb_when_yahoo_is_empty(tmp_path):
    fake = FakeDownload(mode="empty")
    px = load_prices("EURUSD", "2022-02-14", "2022-02-16", cache_dir=tmp_path, download=fake)
    assert px.attrs["sources"]["EURUSD"].startswith("ecb:")
    assert px.loc["2022-02-15", "EURUSD"] == pytest.approx(1.1345)


def test_auto_skip_reports_each_source_tried(tmp_path, market_dir):
    fake = FakeDownload(mode="empty")
    with pytest.warns(SkippedInputWarning, match="FTSE"):
        px = load_prices(
            ["SP500", "FTSE"],
            "2022-02-01",
            "2022-02-28",
            path=market_dir,
            cache_dir=tmp_path,
            download=fake,
            errors="skip",
        )
    assert list(px.columns) == ["SP500"]
    tried = [a.source for a in px.attrs["report"].failed["FTSE"]]
    assert tried == ["cache", "csv", "yahoo", "ecb"]


def test_inputs_are_resolved_and_deduplicated(market_dir):
    px = load_prices("^GSPC,sp500,IMOEX", "2022-02-24", "2022-02-24", "csv", path=market_dir)
    assert list(px.columns) == ["SP500", "IMOEX"]


def test_failed_fetches_are_recorded_without_a_data_file(tmp_path, registry):
    src = _yahoo(tmp_path, FakeDownload(mode="empty"))
    with pytest.raises(PriceSourceError):
        src.fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    entry = json.loads(src.manifest_path.read_text())["tickers"]["RUB=X"]
    assert entry["covered"] == [] and entry["fetches"][0]["status"] == "empty"
    assert not src.cache_file("RUB=X").exists()
    # later, online again: no false "corrupt cache" alarm, data fetched and cached
    fake = FakeDownload()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, _ = _yahoo(tmp_path, fake).fetch(registry["USDRUB"], T("2022-02-01"), T("2022-02-28"))
    assert len(s) == 20
