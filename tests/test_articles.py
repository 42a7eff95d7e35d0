"""Reading articles: the three seed header formats, JSONL/CSV corpora, furniture, bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from pathlib import Path

import pytest

import eventstudy as es
from eventstudy.articles import parse_date
from eventstudy.cli import main
from eventstudy.errors import ArticleError, SkippedInputWarning

# Publication dates as stated in the issue (read off each seed's header by hand).
SEED_DATES = {
    "000_ed8b9000920442cc": dt.date(2022, 2, 16),
    "001_7256e83de7b75e2d": dt.date(2022, 2, 15),
    "002_976286d79b71a52c": dt.date(2022, 2, 16),
    "003_6e4f8e082c0ffab3": dt.date(2022, 1, 15),
    "004_e2b6ca9178d6fb5e": dt.date(2022, 2, 3),
}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- seeds


def test_seed_dates(seeds_dir: Path) -> None:
    corpus = es.read_articles(seeds_dir)
    assert {a.id: a.published for a in corpus} == SEED_DATES


def test_seeds_are_byte_copies_of_shared(seeds_dir: Path, shared_dir: Path) -> None:
    shared = sorted((shared_dir / "seeds").iterdir())
    ours = sorted(seeds_dir.iterdir())
    assert [p.name for p in ours] == [p.name for p in shared]
    for a, b in zip(ours, shared, strict=True):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_seed_formats_and_headers(seeds_dir: Path) -> None:
    c = es.read_articles(seeds_dir)
    assert c["000_ed8b9000920442cc"].format == "dateline"
    assert c["000_ed8b9000920442cc"].source == "Bloomberg"
    # 001 has a dateline without an outlet
    assert c["001_7256e83de7b75e2d"].source is None
    assert c["001_7256e83de7b75e2d"].paragraphs[0].startswith("Russia announced the start")
    dw = c["002_976286d79b71a52c"]
    assert dw.format == "title-date-url"
    assert dw.title == "NATO skeptical of further Russian troop withdrawals"
    assert dw.url.startswith("https://www.dw.com/en/ukraine-crisis")
    assert dw.source == "dw.com"
    econ = c["003_6e4f8e082c0ffab3"]
    assert econ.format == "markdown"
    assert econ.title == "Russia and the West meet for a crucial week of diplomacy"
    assert econ.meta["rubric"] == "Teetering at the summit"
    assert econ.paragraphs[0].startswith("AS RUSSIAN TANKS poured west")


def test_furniture_removed_and_kept(seeds_dir: Path) -> None:
    c = es.read_articles(seeds_dir)
    dw = c["002_976286d79b71a52c"]
    assert "enable JavaScript" not in dw.text
    assert any("enable JavaScript" in r for r in dw.removed)
    econ = c["003_6e4f8e082c0ffab3"]
    assert "![image]" not in econ.text
    assert len([r for r in econ.removed if r.startswith("![image]")]) == 2


def test_text_is_joined_paragraphs_and_spans(seeds_dir: Path) -> None:
    for a in es.read_articles(seeds_dir):
        assert a.text == "\n\n".join(a.paragraphs)
        for (s, e), para in zip(a.paragraph_spans(), a.paragraphs, strict=True):
            assert a.text[s:e] == para


def test_every_seed_line_is_kept(seeds_dir: Path) -> None:
    """Nothing is lost: every non-blank body line is a paragraph, a header, or listed as removed."""
    for a in es.read_articles(seeds_dir):
        raw = Path(a.path).read_text(encoding="utf-8")
        kept = set(a.paragraphs) | set(a.removed)
        for line in raw.splitlines():
            s = line.strip()
            if not s:
                continue
            in_header = (
                s.startswith(("#", ">", "date ", "http")) or s == (a.title or "") or s.isdigit()
            )
            assert in_header or s in kept or any(s in p for p in kept), (a.id, s)


# --------------------------------------------------------------------------- each format


def test_dateline_with_outlet(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "a.txt",
        " date 2022-02-24 (Reuters) -- Russia launched an invasion.\n\nSecond paragraph.\n",
    )
    (a,) = es.read_articles(p)
    assert (a.id, a.published, a.source) == ("a", dt.date(2022, 2, 24), "Reuters")
    assert a.paragraphs == ("Russia launched an invasion.", "Second paragraph.")


def test_title_date_url(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "b.txt",
        "A headline\n20220221\nhttps://example.org/news/1\nBody one.\nBody two.\n",
    )
    (a,) = es.read_articles(p)
    assert a.published == dt.date(2022, 2, 21)
    assert (a.title, a.url, a.source) == ("A headline", "https://example.org/news/1", "example.org")
    assert a.paragraphs == ("Body one.", "Body two.")


def test_markdown(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "c.md",
        "###### Rubric\n# The title\n##### The standfirst\n![image](x.jpg)\n> Feb 3rd 2022\n"
        "First line.\nSecond line.\n",
    )
    (a,) = es.read_articles(p)
    assert a.published == dt.date(2022, 2, 3)
    assert a.title == "The title"
    assert a.meta == {"rubric": "Rubric", "standfirst": "The standfirst"}
    assert a.paragraphs == ("First line.", "Second line.")
    assert a.removed == ("![image](x.jpg)",)


def test_jsonl_corpus(tmp_path: Path) -> None:
    rows = [
        {
            "id": "x1",
            "date": "2022-02-22",
            "title": "T1",
            "text": "Alpha.\nBeta.",
            "url": "https://www.ft.com/a",
        },
        {"date": "2022-02-23T18:05:00Z", "headline": "T2", "body": "Gamma."},
    ]
    p = write(tmp_path, "corpus.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    c = es.read_articles(p)
    assert [a.id for a in c] == ["corpus-2", "x1"]
    assert c["x1"].published == dt.date(2022, 2, 22)
    assert c["x1"].source == "ft.com"
    assert c["x1"].paragraphs == ("Alpha.", "Beta.")
    assert c["corpus-2"].published == dt.date(2022, 2, 23)
    assert c["corpus-2"].title == "T2"
    assert c["corpus-2"].format == "jsonl"


def test_csv_corpus(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "corpus.csv",
        "date,title,text,source\n"
        '2022-02-24,"Invasion","Troops crossed, it was reported.\nMore.",AP\n'
        "2022-02-25,Day two,Shelling continued.,AP\n",
    )
    c = es.read_articles(p)
    assert len(c) == 2
    first = c["corpus-2"]
    assert first.published == dt.date(2022, 2, 24)
    assert first.paragraphs == ("Troops crossed, it was reported.", "More.")
    assert first.source == "AP"
    assert c.to_frame()["words"].tolist() == [6, 2]


def test_folder_mixed_and_ignored(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", " date 2022-02-24 (Reuters) -- Text.\n")
    write(tmp_path, "notes.pdf", b"%PDF")
    write(tmp_path, ".hidden.txt", "junk")
    c = es.read_articles(tmp_path)
    assert [a.id for a in c] == ["a"]
    assert c.ignored == (str(tmp_path / "notes.pdf"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-02-16", dt.date(2022, 2, 16)),
        ("20220216", dt.date(2022, 2, 16)),
        ("Jan 15th 2022", dt.date(2022, 1, 15)),
        ("January 1st, 2022", dt.date(2022, 1, 1)),
        ("Sept. 22nd 2021", dt.date(2021, 9, 22)),
        ("3 March 2022", dt.date(2022, 3, 3)),
        ("2022-02-24T05:00:00+02:00", dt.date(2022, 2, 24)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2022-02-30", "Smarch 3rd 2022", "yesterday", "2022"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(text)


# --------------------------------------------------------------------------- bad input


def test_undated_article(tmp_path: Path) -> None:
    p = write(tmp_path, "u.md", "# A title\nBody text without a date line.\n")
    with pytest.raises(ArticleError, match=r"u\.md.*no publication date.*published="):
        es.read_articles(p)


def test_bad_dateline_date_is_undated(tmp_path: Path) -> None:
    p = write(tmp_path, "d.txt", " date 2022-13-45 (X) -- Body.\n")
    with pytest.raises(ArticleError, match=r"d\.txt.*no publication date"):
        es.read_articles(p)


def test_published_supplies_date_for_undated_text(tmp_path: Path) -> None:
    p = write(tmp_path, "u.md", "# A title\nBody text without a date line.\n")
    (a,) = es.read_articles(p, published="2022-02-20")
    assert a.published == dt.date(2022, 2, 20)
    assert a.title == "A title"
    assert a.paragraphs == ("Body text without a date line.",)
    plain = write(tmp_path, "plain.txt", "Just some text.\nAnother line.\n")
    (b,) = es.read_articles(plain, published=dt.date(2022, 2, 21))
    assert (b.format, b.published, b.paragraphs) == (
        "plain",
        dt.date(2022, 2, 21),
        ("Just some text.", "Another line."),
    )


def test_published_does_not_override_a_dated_header(tmp_path: Path) -> None:
    p = write(tmp_path, "a.txt", " date 2022-02-24 (Reuters) -- Text.\n")
    (a,) = es.read_articles(p, published="2022-01-01")
    assert a.published == dt.date(2022, 2, 24)
    with pytest.raises(ArticleError, match="header says published 2022-02-24"):
        es.read_articles(p, published={"a": "2022-01-01"})


def test_empty_file(tmp_path: Path) -> None:
    p = write(tmp_path, "empty.txt", "  \n\n")
    with pytest.raises(ArticleError, match=r"empty\.txt: empty file"):
        es.read_articles(p)


def test_undecodable_bytes(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.txt", b" date 2022-02-24 (X) -- caf\xe9 \xff\n")
    with pytest.raises(ArticleError, match=r"bad\.txt: cannot decode byte .* at offset 27"):
        es.read_articles(p)


def test_unknown_header_format(tmp_path: Path) -> None:
    p = write(tmp_path, "web.txt", "<html><body>Hello</body></html>\n")
    with pytest.raises(ArticleError, match=r"web\.txt: unknown header format.*expected"):
        es.read_articles(p)


def test_header_without_body(tmp_path: Path) -> None:
    p = write(tmp_path, "h.txt", "Title\n20220216\nhttps://example.org/x\n")
    with pytest.raises(ArticleError, match=r"h\.txt.*no body text"):
        es.read_articles(p)


def test_folder_with_one_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", " date 2022-02-24 (Reuters) -- Good one.\n")
    write(tmp_path, "b.txt", "")
    write(tmp_path, "c.txt", " date 2022-02-25 (Reuters) -- Good two.\n")
    with pytest.raises(ArticleError, match=r"b\.txt: empty file.*errors='skip'"):
        es.read_articles(tmp_path)
    with pytest.warns(SkippedInputWarning, match=r"skipped 1 .*b\.txt"):
        c = es.read_articles(tmp_path, errors="skip")
    assert [a.id for a in c] == ["a", "c"]
    assert [Path(s.path).name for s in c.skipped] == ["b.txt"]


def test_jsonl_bad_lines(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "c.jsonl",
        '{"id": "ok", "date": "2022-02-24", "text": "Fine."}\n'
        "{not json\n"
        '{"id": "nodate", "text": "No date here."}\n',
    )
    with pytest.raises(ArticleError, match=r"c\.jsonl: line 2: not valid JSON"):
        es.read_articles(p)
    with pytest.warns(SkippedInputWarning):
        c = es.read_articles(p, errors="skip")
    assert [a.id for a in c] == ["ok"]
    assert [s.path.rsplit(":", 1)[1] for s in c.skipped] == ["2", "3"]
    assert "no publication date" in c.skipped[1].reason


def test_csv_without_text_column(tmp_path: Path) -> None:
    p = write(tmp_path, "c.csv", "date,headline\n2022-02-24,Hello\n")
    with pytest.raises(ArticleError, match=r"c\.csv: line 1: .*no text column"):
        es.read_articles(p)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file or folder"):
        es.read_articles(tmp_path / "nope")


def test_duplicate_ids(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", " date 2022-02-24 (X) -- One.\n")
    write(tmp_path, "a.md", "# T\n> Feb 24th 2022\nTwo.\n")
    with pytest.raises(ArticleError, match="duplicate article id 'a'"):
        es.read_articles(tmp_path)


def test_unicode_and_bom(tmp_path: Path) -> None:
    body = "\ufeff date 2022-02-16 (X) -- Putin\u2019s \u201cdrawdown\u201d\u00a0\u2014 or not.\n"
    (a,) = es.read_articles(write(tmp_path, "u.txt", body))
    assert a.paragraphs == ("Putin\u2019s \u201cdrawdown\u201d\u00a0\u2014 or not.",)


# --------------------------------------------------------------------------- CLI


def test_cli_articles_table(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["articles", str(seeds_dir)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["id", "date", "source", "title", "words"]
    assert "002_976286d79b71a52c  2022-02-16  dw.com" in out
    assert "5 article(s)" in out


def test_cli_articles_skip_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.txt", " date 2022-02-24 (Reuters) -- Good one.\n")
    write(tmp_path, "b.txt", "<html>\n")
    assert main(["articles", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "b.txt: unknown header format" in err
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["articles", str(tmp_path), "--skip-bad"]) == 0
    out = capsys.readouterr().out
    assert "1 article(s)" in out
    assert "skipped 1 unreadable input(s):" in out
    assert "b.txt: unknown header format" in out
