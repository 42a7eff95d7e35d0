"""The ``eventstudy events`` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventstudy.cli import main
from eventstudy.extract import EVENT_COLUMNS, read_catalog


def test_events_cli_writes_catalog(seeds_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "events.csv"
    assert main(["events", str(seeds_dir), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    cat = read_catalog(out)
    assert f"5 article(s), {len(cat)} event(s)" in text
    assert "event_id" not in text  # written, not printed
    assert list(cat.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    # read by hand from seed 004: Johnson and Putin spoke by telephone on Wednesday 2 Feb 2022
    calls = cat[(cat.category == "consult") & (cat["mode"] == "call")]
    row = calls[calls.actors.str.contains("GBR") & calls.actors.str.contains("RUS")]
    assert set(row.date.dt.strftime("%Y-%m-%d")) == {"2022-02-02"}
    # every evidence span points into the article it names
    assert cat.evidence.str.match(r"^\d{3}_[0-9a-f]{16}:\d+-\d+$").all()


def test_events_cli_single_file_parquet_and_table(seeds_dir: Path, tmp_path: Path, capsys) -> None:
    one = seeds_dir / "003_6e4f8e082c0ffab3.txt"
    out = tmp_path / "e.parquet"
    assert main(["events", str(one), "--out", str(out)]) == 0
    cat = read_catalog(out)
    # read by hand: Geneva talks on January 10th, NATO-Russia Council two days later
    days = set(cat[cat.category == "consult"].date.dt.strftime("%Y-%m-%d"))
    assert {"2022-01-10", "2022-01-12", "2022-01-13"} <= days
    capsys.readouterr()
    assert main(["events", str(one)]) == 0
    printed = capsys.readouterr().out
    assert "2022-01-12" in printed and "event_id" in printed


def test_events_cli_overrides_and_hypothetical(seeds_dir: Path, tmp_path: Path, capsys) -> None:
    base = tmp_path / "base.csv"
    main(["events", str(seeds_dir), "--out", str(base)])
    cat = read_catalog(base)
    victim = cat.event_id.iloc[0]
    ov = tmp_path / "ov.csv"
    ov.write_text(f"action,event_id,note\ndrop,{victim},not an event\n", encoding="utf-8")
    out = tmp_path / "cur.csv"
    capsys.readouterr()
    assert main(["events", str(seeds_dir), "--out", str(out), "--overrides", str(ov)]) == 0
    text = capsys.readouterr().out
    assert f"line 2: drop {victim}: applied" in text
    assert len(read_catalog(out)) == len(cat) - 1
    assert "hypothetical" not in set(cat.modality)
    art = tmp_path / "hyp.txt"
    art.write_text(
        " date 2022-02-16 (X) -- If Russia invades Ukraine next week, the European Union "
        "will impose sanctions.\n",
        encoding="utf-8",
    )
    hyp = tmp_path / "hyp.csv"
    assert main(["events", str(art), "--out", str(hyp)]) == 0
    assert len(read_catalog(hyp)) == 0
    assert main(["events", str(art), "--out", str(hyp), "--include-hypothetical"]) == 0
    assert set(read_catalog(hyp).modality) == {"hypothetical"}


def test_events_cli_errors_name_the_problem(tmp_path: Path, capsys) -> None:
    assert main(["events", str(tmp_path / "nope")]) == 1
    assert "nope" in capsys.readouterr().err
    bad = tmp_path / "ov.csv"
    bad.write_text("action,event_id\nexplode,E1\n", encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text(" date 2022-02-16 (X) -- Putin met Scholz on Tuesday.\n", encoding="utf-8")
    assert main(["events", str(art), "--overrides", str(bad)]) == 1
    assert "line 2" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--help"])
def test_events_cli_help(flag: str, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["events", flag])
    assert exc.value.code == 0
    assert "--include-hypothetical" in capsys.readouterr().out


def test_events_cli_learned_switch(seeds_dir: Path, tmp_path: Path, capsys) -> None:
    """The learned second pass is on by default; ``--no-learned`` gives the rules alone, the
    same catalog as ``extract_events(..., learned=False)``."""
    from eventstudy import extract_events, read_articles

    plain, more = tmp_path / "plain.csv", tmp_path / "learned.csv"
    assert main(["events", str(seeds_dir), "--out", str(more)]) == 0
    assert "rules + learned pass" in capsys.readouterr().out
    assert main(["events", str(seeds_dir), "--out", str(plain), "--no-learned"]) == 0
    assert "rules only" in capsys.readouterr().out
    a, b = read_catalog(plain), read_catalog(more)
    rules = extract_events(read_articles(seeds_dir), learned=False)
    assert sorted(a["event_id"]) == sorted(rules["event_id"])
    assert len(b) > len(a)  # the pass proposes events on the seeds (it is not silently off)
    default = extract_events(read_articles(seeds_dir))
    assert sorted(b["event_id"]) == sorted(default["event_id"])


def test_run_settings_record_the_learned_switch() -> None:
    from eventstudy.pipeline import RunSettings

    assert RunSettings().to_dict()["learned"] is True
    assert RunSettings(learned=False).to_dict()["learned"] is False
    from eventstudy.cli import build_parser

    assert build_parser().parse_args(["run"]).learned is True
    assert build_parser().parse_args(["run", "--no-learned"]).learned is False
    assert build_parser().parse_args(["events", "x", "--no-learned"]).learned is False


def test_extract_events_reports_progress_after_each_article(seeds_dir: Path) -> None:
    from eventstudy import extract_events, read_articles

    calls: list[tuple[int, int]] = []
    extract_events(read_articles(seeds_dir), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, 5) for i in range(1, 6)]


def test_events_cli_prints_progress_on_slow_corpora_only(
    seeds_dir: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    """A clock that advances 3 s per reading makes every article 'slow': one progress line per
    article on stderr, with counts, rate and time left; at real speed the seeds print none."""
    import eventstudy._progress as progress

    assert main(["events", str(seeds_dir), "--out", str(tmp_path / "a.csv")]) == 0
    assert "extracting:" not in capsys.readouterr().err
    ticks = iter(range(0, 10_000, 3))
    monkeypatch.setattr(progress.time, "monotonic", lambda: float(next(ticks)))
    assert main(["events", str(seeds_dir), "--out", str(tmp_path / "b.csv")]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("extracting:")]
    assert len(err) == 5
    assert err[0].startswith("extracting: 1/5 articles (20%)")
    assert err[-1].startswith("extracting: 5/5 articles (100%)") and "about 0 s left" in err[-1]


def test_pipeline_passes_extraction_progress_on_at_most_every_few_seconds(monkeypatch) -> None:
    import eventstudy._progress as progress

    clock = iter([0.0, 1.0, 4.9, 5.0, 7.0, 10.5])  # creation, then one reading per call
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    seen: list[tuple[int, int]] = []
    call = progress.every(5.0, lambda d, t, _elapsed: seen.append((d, t)))
    for done in range(1, 6):
        call(done, 5)
    assert seen == [(3, 5), (5, 5)]  # at 5.0 s and 10.5 s


def test_crisis_phrasings_file_is_well_formed(tmp_path: Path) -> None:
    """benchmarks/crisis_phrasings.csv loads with its checks; a bad row names its line."""
    from test_learned import benchmark_script

    mod = benchmark_script("crisis_phrasings.py")
    rows = mod.load()
    assert len(rows) == 110 and {r["set"] for r in rows} == set(mod.SETS)
    assert mod.expected("2022-02-14 consult; 2022-02-15 consult|agree") == [
        ("2022-02-14", {"consult"}),
        ("2022-02-15", {"consult", "agree"}),
    ]
    assert mod.expected("?") == [] and mod.expected("2022-02-18 ?") == []
    bad = tmp_path / "p.csv"
    bad.write_text(
        "# c\nset,published,sentence,expected\nfit,2022-02-01,X met Y.,2022-02-01 parley\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"line 3: unknown type\(s\) \['parley'\]"):
        mod.load(bad)
