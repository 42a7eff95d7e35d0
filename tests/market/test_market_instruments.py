"""The instrument registry (data/instruments.toml) and its schema check."""

from __future__ import annotations

import textwrap

import pytest

from eventstudy.errors import DataFileError
from eventstudy.market import UnknownInstrumentError, load_instruments
from eventstudy.market.instruments import KINDS

REQUIRED_IDS = [
    "USDRUB",
    "EURRUB",
    "EURUSD",
    "BRENT",
    "TTF",
    "GOLD",
    "WHEAT",
    "IMOEX",
    "MCFTR",
    "RTSI",
    "SP500",
    "STOXX50E",
    "DAX",
    "VIX",
    "EEM",
    "URTH",
    "ACWI",
    "JPY",
    "CHF",
]

GOOD = """
[instruments.AAA]
name = "A"
kind = "index"
currency = "USD"
unit = "points"
rise = "up"
calendar = "XNYS"
observation = "close"
"""


@pytest.fixture(scope="module")
def registry():
    return load_instruments()


def test_registry_has_the_instruments_the_issue_names(registry):
    missing = [i for i in REQUIRED_IDS if i not in registry]
    assert missing == []
    for inst in registry.values():
        assert inst.kind in KINDS
        assert inst.rise and inst.name and inst.currency


def test_registry_maps_to_the_shared_csv_files(registry, market_dir):
    # every CSV named in the registry exists in the shared folder with the named price column
    for inst in registry.values():
        if inst.csv is None:
            continue
        path = market_dir / inst.csv
        assert path.is_file(), f"{inst.id}: {path}"
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert inst.csv_column in header
    # the documented choices
    assert registry["IMOEX"].csv == "imoex.csv"
    assert registry["BRENT"].csv == "brent_fut_investing.csv"
    assert registry["USDRUB"].csv == "usdrub_yahoo.csv"
    assert registry.by_csv("imoex.csv").id == "IMOEX"
    assert registry.by_csv("nothing.csv") is None


def test_lookup_by_alias_any_case_and_unknown_lists_valid(registry):
    assert registry["rub=x"].id == "USDRUB"
    assert registry["^gspc"].id == "SP500"
    with pytest.raises(UnknownInstrumentError) as exc:
        registry["NOPE"]
    assert "USDRUB" in str(exc.value) and "NOPE" in str(exc.value)


def test_calendars_and_benchmarks(registry):
    assert registry["IMOEX"].calendar == "XMOS"
    assert registry["SP500"].calendar == "XNYS"
    assert registry["USDRUB"].calendar == "24/5"
    assert registry["BRENT"].calendar == "data"
    for inst in registry.values():
        if inst.benchmark is not None:
            assert inst.benchmark in registry and inst.benchmark != inst.id
        if inst.calendar == "data":  # timed events need a close time
            assert inst.close_time and inst.timezone


def test_to_frame_one_row_per_instrument(registry):
    frame = registry.to_frame()
    assert len(frame) == len(registry)
    assert frame.loc["USDRUB", "yahoo"] == "RUB=X"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('kind = "index"', 'kind = "bond"'), "'kind'"),
        (lambda t: t.replace('rise = "up"\n', ""), "missing required field 'rise'"),
        (lambda t: t + 'colour = "red"\n', "unknown field"),
        (lambda t: t.replace('"XNYS"', '"XXXX"'), "calendar"),
        (lambda t: t + 'benchmark = "ZZZ"\n', "benchmark"),
        (lambda t: t + 'close_time = "19:30"\n', "together"),
        (lambda t: t + 'ecb = "USDRUB"\n', "'ecb'"),
        (lambda t: t.replace("[instruments.AAA]", "[instruments.aaa]"), "upper-case"),
    ],
    ids=["kind", "missing", "unknown", "calendar", "benchmark", "close-time", "ecb", "id"],
)
def test_schema_errors_name_file_instrument_and_field(tmp_path, edit, message):
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    assert list(load_instruments(good)) == ["AAA"]
    bad = tmp_path / "bad.toml"
    bad.write_text(edit(GOOD))
    with pytest.raises(DataFileError) as exc:
        load_instruments(bad)
    text = str(exc.value)
    assert str(bad) in text and message in text
    assert "AAA" in text.upper()


def test_toml_syntax_error_names_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(textwrap.dedent(GOOD) + "name = \n")
    with pytest.raises(DataFileError, match="line"):
        load_instruments(bad)
