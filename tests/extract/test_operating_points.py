"""Named operating points of the sentence model: ``[operating_points.<name>]`` in its file,
``SentenceModel.at(name)``, ``extract_events(..., learned_threshold=name)`` and the CLI's
``--operating-point``."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from test_learned import _article, _welcome_model, model_copy  # noqa: F401

from eventstudy.cli import main
from eventstudy.errors import DataFileError
from eventstudy.extract import extract_events
from eventstudy.extract.learned import (
    OperatingPointError,
    SentenceModel,
    candidates,
    features,
    load_model,
    write_model,
)

TEXT = "Macron on Wednesday welcomed Scholz."  # published Friday 29 April 2022
POINTS = {
    "strict": {"threshold": 0.999, "context_threshold": 0.999, "single_threshold": 0.999},
    "loose": {
        "rule": "class",
        "threshold": 0.05,
        "context_threshold": 0.0,
        "single_threshold": 0.0,
        "chosen_by": "by hand",
        "loso": {"recall": 0.5, "precision": 0.75},
        "nested": {"recall": 0.4, "precision": 0.7, "fallback_sets": 1.0},
    },
}


def _model() -> SentenceModel:
    """The 'welcomed' model with a default threshold no sentence reaches, and two points."""
    return replace(_welcome_model(threshold=0.999), operating_points=POINTS)


def test_the_welcome_probability_lies_between_the_points() -> None:
    """The premise of the tests below: 'welcomed' between two actors is an event with a
    probability above the loose point's threshold and below the default's."""
    (c,) = candidates(_article(TEXT))
    model = _model()
    p = 1.0 - model.predict_proba([features(c.tokens)])[0, 0]
    assert 0.05 < p < 0.999


def test_at_sets_all_three_thresholds_and_names_unknown_points() -> None:
    loose = _model().at("loose")
    assert (loose.threshold, loose.context_threshold, loose.single_threshold) == (0.05, 0.0, 0.0)
    assert loose.rule == "class" and _model().at("strict").rule == _model().rule == "event"
    assert loose.vocabulary == _model().vocabulary  # the same weights
    with pytest.raises(OperatingPointError, match=r"'nope'.*'strict', 'loose'"):
        _model().at("nope")
    with pytest.raises(ValueError, match="has none"):
        _welcome_model().at("balanced")


def test_extract_events_takes_a_point_by_name() -> None:
    art = _article(TEXT)
    plain = extract_events([art], learned=False)
    assert len(extract_events([art], learned=_model())) == len(plain)  # default 0.999
    got = extract_events([art], learned=_model(), learned_threshold="loose")
    assert len(got) == len(plain) + 1
    row = got[got["category"] == "consult"].iloc[0]
    assert row["date"].date() == dt.date(2022, 4, 27)  # the Wednesday before Friday 29 April
    assert len(extract_events([art], learned=_model(), learned_threshold="strict")) == len(plain)
    with pytest.raises(OperatingPointError, match="'nope'"):
        extract_events([art], learned=_model(), learned_threshold="nope")


def test_points_round_trip_through_the_model_file(tmp_path: Path) -> None:
    back = load_model(write_model(_model(), tmp_path / "m.toml"))
    assert back.operating_points["loose"] == POINTS["loose"]
    assert back.operating_points["strict"] == {**POINTS["strict"], "loso": {}}
    assert back.at("loose").threshold == 0.05


def test_a_point_may_set_the_second_type_threshold(tmp_path: Path) -> None:
    """'second_threshold' is optional in a point: ``at`` takes it, a point without it proposes
    no second types (0), and it round-trips through the model file."""
    points = {**POINTS, "second": {**POINTS["strict"], "second_threshold": 0.6}}
    model = replace(_model(), operating_points=points, second_threshold=0.5)
    assert model.at("second").second_threshold == 0.6
    assert model.at("strict").second_threshold == 0.0
    back = load_model(write_model(model, tmp_path / "m.toml"))
    assert back.second_threshold == 0.5
    assert back.operating_points["second"]["second_threshold"] == 0.6
    assert back.at("second").own_point() == "second"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "threshold = 0.5\ncontext_threshold = 0.5\nsingle_threshold = 0.0\n"
            "second_threshold = 1.5",
            "'second_threshold' = 1.5",
        ),
        ("threshold = 0.0\ncontext_threshold = 0.0\nsingle_threshold = 0.0", "'threshold' = 0.0"),
        ("threshold = 0.5\ncontext_threshold = 2\nsingle_threshold = 0.0", "'context_threshold'"),
        ("threshold = 0.5\ncontext_threshold = 0.5", "'single_threshold' = None"),
        (
            "threshold = 0.5\ncontext_threshold = 0.5\nsingle_threshold = 0.0\ncolour = 1",
            "unknown field",
        ),
        (
            'threshold = 0.5\ncontext_threshold = 0.5\nsingle_threshold = 0.0\nloso = "good"',
            "'loso'",
        ),
        (
            'rule = "vote"\nthreshold = 0.5\ncontext_threshold = 0.5\nsingle_threshold = 0.0',
            "field 'rule' = 'vote'",
        ),
        (
            "threshold = 0.5\ncontext_threshold = 0.5\nsingle_threshold = 0.0\n"
            "nested = { recall = true }",
            "'nested'",
        ),
    ],
    ids=[
        "second-above-one",
        "threshold-zero",
        "context-above-one",
        "missing",
        "unknown",
        "loso-not-table",
        "rule",
        "nested-not-numbers",
    ],
)
def test_point_errors_name_file_table_and_field(
    model_copy: Path,  # noqa: F811
    table: str,
    message: str,
) -> None:
    text = model_copy.read_text()
    model_copy.write_text(text + f"\n[operating_points.odd]\n{table}\n")
    with pytest.raises(DataFileError, match=message) as err:
        load_model(model_copy)
    assert model_copy.name in str(err.value) and "[operating_points.odd]" in str(err.value)


def test_bundled_points_keep_their_own_selection_rules() -> None:
    """Each bundled point's recorded left-out means clear the bars its ``chosen_by`` names
    ("max <objective>, <column> >= <bar>, ...; each bar with a margin of <m>"; ``tf_`` columns
    are type-free, stored without the prefix, ``ev_`` ones type-free with the scorer's evidence
    check, stored as ``evidence_...``, the others strict, stored as ``strict_...``), and
    so do its nested figures, the estimate for unseen text the margin is chosen on (since the
    sixth stop of 2026-12-07); the point marked as the model's default has the model's own
    settings."""
    model = load_model()
    points = model.operating_points
    assert {"typed", "strict", "balanced"} <= set(points)
    for name, point in points.items():
        bars = point["chosen_by"].split(";")[0].split(", ")[1:]
        assert bars, name
        for bar in bars:
            col, value = bar.split(" >= ")
            if col.startswith("tf_"):
                key = col.removeprefix("tf_")
            elif col.startswith("ev_"):  # chosen on evidence-checked figures
                key = "evidence_" + col.removeprefix("ev_")
            else:
                key = "strict_" + col
            assert point["loso"][key] >= float(value), (name, col)
            assert point["nested"][key] >= float(value), (name, col, "nested")
            if "nested_second" in point:
                assert point["nested_second"][key] >= float(value), (name, col, "second")
    (default,) = [n for n, p in points.items() if p["chosen_by"].endswith("the model's default")]
    got = model.at(default)
    assert (got.rule, got.threshold, got.context_threshold, got.single_threshold) == (
        model.rule,
        model.threshold,
        model.context_threshold,
        model.single_threshold,
    )
    assert got.second_threshold == model.second_threshold
    # every bundled point carries its nested figures (the estimate for unseen text), for the
    # same columns as its left-out means, and how many sets needed the closest-setting fallback
    for name, point in points.items():
        nested, loso = point["nested"], point["loso"]
        assert set(loso) <= set(nested) and 0 <= nested["fallback_sets"] <= 18, name
    typed = points["typed"]["loso"]
    assert typed["category_accuracy"] >= 0.8 and typed["direction_accuracy"] >= 0.9


def test_cli_operating_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    art = tmp_path / "a.txt"
    art.write_text(" date 2022-04-29 (X) -- Macron on Wednesday met Scholz in Paris.\n")
    assert main(["events", str(art), "--operating-point", "balanced"]) == 0
    out = capsys.readouterr().out
    assert "operating point 'balanced'" in out and "consult" in out
    # what the point is expected to score on unseen text: its nested figures from the file
    nested = load_model().operating_points["balanced"]["nested"]
    assert "expected on unseen text (nested" in out
    assert f"recall of day-dated events {nested['day_recall']:.3f}" in out
    assert f"category {nested['category_accuracy']:.3f}" in out
    assert main(["events", str(art)]) == 0  # the default point is named too
    points = load_model().operating_points
    (default,) = [n for n, p in points.items() if p["chosen_by"].endswith("the model's default")]
    out = capsys.readouterr().out
    assert f"operating point {default!r}" in out
    if points[default].get("second_threshold"):  # with second types: their nested figures
        inner = points[default]["nested_second"]
        assert "estimate of the second-type threshold, the rest fixed" in out
        assert f"recall of day-dated events {inner['day_recall']:.3f}" in out
    assert main(["events", str(art), "--operating-point", "sideways"]) == 1
    assert "'sideways'" in capsys.readouterr().err  # and the points there are:
    with pytest.raises(OperatingPointError, match="'typed', 'strict', 'balanced'"):
        load_model().at("sideways")
    assert main(["events", str(art), "--operating-point", "balanced", "--no-learned"]) == 1
    assert "--operating-point needs the learned pass" in capsys.readouterr().err


def test_expectation_line_falls_back_to_the_left_out_means(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A model file whose point has no nested figures: the line says the means are optimistic;
    one with neither, or missing a figure: no line."""
    import eventstudy.extract.learned as learned_module
    from eventstudy._cli.events import point_expectation

    figures = {
        "day_recall": 0.61,
        "precision": 0.95,
        "date_accuracy": 0.93,
        "category_accuracy": 0.83,
        "direction_accuracy": 0.9,
    }
    points = {
        "only_loso": {**POINTS["strict"], "loso": figures},
        "bare": {**POINTS["strict"], "loso": {}},
        "partial": {**POINTS["strict"], "loso": {"day_recall": 0.5}},
    }
    model = replace(_model(), operating_points=points)
    monkeypatch.setattr(learned_module, "load_model", lambda *a, **k: model)
    line = point_expectation("only_loso")
    assert line is not None and "leave-one-set-out means, optimistic" in line
    assert "recall of day-dated events 0.610" in line and "direction 0.900" in line
    assert point_expectation("bare") is None
    assert point_expectation("partial") is None
    assert point_expectation("absent") is None
