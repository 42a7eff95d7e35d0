"""Project-wide checks: ruff is clean, data files load, the Quickstart stays in sync with CI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def test_ruff_clean(repo_dir: Path) -> None:
    if (
        shutil.which("ruff") is None
        and subprocess.run(
            [sys.executable, "-m", "ruff", "--version"], capture_output=True, check=False
        ).returncode
    ):
        pytest.skip("ruff is not installed (it is in the dev extras)")
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(repo_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_has_exactly_two_quickstart_commands(repo_dir: Path) -> None:
    readme = (repo_dir / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(
        r"<!-- (quickstart-\w+) -->\n```bash\n(.*?)\n```\n<!-- /\1 -->", readme, re.S
    )
    assert [name for name, _ in blocks] == ["quickstart-main", "quickstart-test"]
    for _, cmd in blocks:
        assert "\n" not in cmd.strip(), "each Quickstart step is one command"
    ci = (repo_dir / ".ci" / "run").read_text(encoding="utf-8")
    assert "quickstart-test" in ci


def test_articles_config_loads(repo_dir: Path) -> None:
    from eventstudy.articles import _config

    cfg = _config(str(repo_dir / "data" / "articles.toml"))
    assert cfg.furniture and set(cfg.fields) >= {"published", "text", "title"}


def test_articles_config_schema_error(tmp_path: Path) -> None:
    from eventstudy.articles import _config
    from eventstudy.errors import DataFileError

    bad = tmp_path / "articles.toml"
    bad.write_text('[furniture]\nline_patterns = ["(unclosed"]\n[fields]\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"articles\.toml, \[fields\]: missing required field"):
        _config(str(bad))
    bad.write_text(
        '[furniture]\nline_patterns = ["(unclosed"]\n[fields]\n'
        + "".join(
            f'{k} = ["{k}"]\n' for k in ("id", "published", "title", "text", "url", "source")
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"line_patterns\[0\]: bad regular expression"):
        _config(str(bad))


def test_public_api_resolves() -> None:
    import eventstudy

    for name in eventstudy.__all__:
        assert getattr(eventstudy, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = eventstudy.nope
