"""Train the learned second pass's sentence model and measure it leave-one-set-out.

Usage::

    python benchmarks/train_sentence_model.py [--shared ../shared] [--loso] [--write]

Training data: the candidate sentences (:func:`eventstudy.extract.learned.candidates`) of every
annotated article of every annotation file (``tests/extract/annotations/*.csv`` and the crisis
sets' ``tests/extract/crisis/<set>/gold.csv``, globs: a new file or set is picked up, and the
provenance hash covers them all), labelled by the gold rows whose cue occurs in them
(:func:`eventstudy.extract.learned.label`). Deterministic: no randomness enters (features and
classes are sorted, L-BFGS starts from zero).

``--loso`` scores rules-only against rules + model on each set left out in turn (the Guardian
sample's Feb-Mar and Apr-May parts, every other Guardian file, blind-4 ... blind-19, and every
crisis set, crisis_A ...; not the seeds), the model trained on the other sets and the seeds
(the means are printed for all sets, and for the Guardian and the crisis sets apart), for a
grid of l2 penalties,
feature sets, rules (``RULES``: propose on the probability of any event or of the most probable
type), thresholds, context thresholds (for candidates with an inherited date) and single-actor
thresholds (for candidates naming one actor only), under strict and type-free scoring
(``tf_...``). Each operating point of ``POINTS`` is chosen on the left-out means only: the
setting with the highest mean of its objective among those clearing its bars (ties: the higher
type-free category accuracy, then the higher thresholds). Since a point is chosen on the means
it reports, ``--loso`` also prints the *nested* figures (:func:`nested`): each set scored at the
point chosen on the other sets, the honest estimate for unseen text. ``--write`` fits on every
set and writes ``data/events/sentence_model.toml`` (+ ``.csv``) with the ``--default`` point's
settings as the model's own and every point with its rule, its settings and its left-out means
(or points given by ``--point NAME RULE T C S``). The defaults ``L2``, ``FEATURES`` and
``TRAIN_INHERITED`` below are the last chosen ones (the reproducibility test trains with
them). The nested figures are written beside each point's left-out means. ``--save-table
FILE`` keeps the per-set table of ``--loso``; ``--loso-table FILE`` reads it back instead of
running ``--loso`` again (choosing and writing the points then takes about a minute).
``--second`` then chooses the default point's second-type threshold
(:func:`eventstudy.extract.learned.second_types`) in a second leave-one-set-out run at that
point (:data:`SECOND_THRESHOLDS`, the same objective and bars; ``--second-table FILE`` keeps
or reuses its per-set table), written as the point's ``second_threshold`` with its left-out
means and ``nested_second`` figures. The last write (about 30 minutes with ``--jobs 2``, 33
sets)::

    python benchmarks/train_sentence_model.py --loso --l2 1.0 --features ngrams+lex \
        --jobs 2 --save-table loso.csv --second --second-table second.csv --write
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from eventstudy.articles import Article, read_articles
from eventstudy.extract import extract_mentions
from eventstudy.extract.catalog import merge_mentions
from eventstudy.extract.coding import Mention, load_gazetteer
from eventstudy.extract.evaluate import load_gold, score
from eventstudy.extract.learned import (
    FEATURE_SETS,
    Candidate,
    SentenceModel,
    candidate_features,
    candidates,
    default_model_path,
    file_digest,
    fit,
    label,
    load_model,
    propose,
    second_types,
    write_model,
)

REPO = Path(__file__).resolve().parents[1]
ANNOTATIONS = REPO / "tests" / "extract" / "annotations"
# the crisis-period article sets, each a folder with its articles and gold.csv
CRISIS = REPO / "tests" / "extract" / "crisis"


def bundled_point(model: SentenceModel | None = None) -> dict[str, Any]:
    """The rule and three thresholds of the bundled model's own setting (its default point),
    as :func:`eventstudy.extract.learned.propose` takes them."""
    m = model or load_model()
    return {
        "threshold": m.threshold,
        "context_threshold": m.context_threshold,
        "single_threshold": m.single_threshold,
        "rule": m.rule,
    }


def gold_files() -> list[Path]:
    """Every annotation file: ``tests/extract/annotations/*.csv`` sorted by name, then the
    crisis sets' ``tests/extract/crisis/<set>/gold.csv`` sorted by set."""
    return sorted(ANNOTATIONS.glob("*.csv")) + sorted(CRISIS.glob("*/gold.csv"))


def gold_name(path: Path) -> str:
    """The name a gold file goes by in the model's provenance and the set names: the file
    name of an annotation file (``guardian_blind8.csv``), ``crisis_<set>.csv`` for a crisis
    set's ``gold.csv``."""
    return f"crisis_{path.parent.name}.csv" if path.parent.parent == CRISIS else path.name


APR_MAY = ("g109", "g119", "g144", "g148", "g166", "g171", "g176", "g186")
L2 = 1.0
RULE = "event"  # propose when p(any event) = 1 - p(none) clears the threshold
L2_GRID = (0.3, 1.0, 2.0, 3.0)
MIN_COUNT = 2
FEATURES = "ngrams+lex"  # eventstudy.extract.learned.FEATURE_SETS
EVERY = True  # train on every dated sentence with an actor, not only those the rules left
THRESHOLDS = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9)
CONTEXT_THRESHOLDS = (0.0, 0.5, 0.9, 0.95)  # for candidates with an inherited date
SINGLE_THRESHOLDS = (0.0, 0.6, 0.7, 0.8, 0.9)  # for candidates that name one actor only
MIN_PRECISION = 0.85
MIN_DATE = 0.9
MIN_CATEGORY = 0.8  # the targets for type-free category and direction accuracy
MIN_DIRECTION = 0.9
RULES = ("event", "class")  # propose on p(any event) or on p(the most probable type)
# second types in the rules' sentences (learned.second_types), chosen for the default point
# after it (0: none)
SECOND_THRESHOLDS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# the operating points written to the model file, each chosen on the left-out means by its rule
# (type-free scoring is the reading of its targets; "strict" counts a wrong type as a
# miss and a false positive): (what is maximised, the bars it must clear)
POINTS: dict[str, tuple[str, dict[str, float]]] = {
    "typed": (
        "tf_day_recall",
        {
            "tf_precision": MIN_PRECISION,
            "tf_date_accuracy": MIN_DATE,
            "tf_category_accuracy": MIN_CATEGORY,
            "tf_direction_accuracy": MIN_DIRECTION,
        },
    ),
    # the most events found with their type right (strict scoring)
    "strict": ("recall", {"precision": MIN_PRECISION, "date_accuracy": MIN_DATE}),
    "balanced": ("tf_day_recall", {"tf_precision": MIN_PRECISION, "tf_date_accuracy": MIN_DATE}),
}
# the same points chosen on evidence-checked figures (``--evidence``: ``ev_...``, type-free with
# the scorer's evidence check, ``score(..., texts=)``, where a row must report the unit's own
# sentence, so a row of another event cannot stand in for a missed one and pull the exact-date
# figure down); strict scoring's point is unchanged
EVIDENCE_POINTS: dict[str, tuple[str, dict[str, float]]] = {
    name: (
        objective.replace("tf_", "ev_"),
        {col.replace("tf_", "ev_"): bar for col, bar in bars.items()},
    )
    for name, (objective, bars) in POINTS.items()
}
DEFAULT_POINT = "typed"  # the model file's own thresholds and rule
# a point is chosen among the settings whose left-out means clear its bars by a margin: the
# smallest of these whose nested figures (each set scored at the point chosen without it, with
# that margin) clear the bars themselves (:func:`choose_margins`); the means a choice is made on
# overrate the chosen setting, and the margin absorbs that (the second-type threshold's margin
# is chosen the same way on its own nested figures, :func:`choose_second_margin`)
MARGINS = (0.0, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02)
# train on the sentences whose date is inherited too (no: it lowered the left-out means)
TRAIN_INHERITED = False


@dataclass
class Doc:
    article: Article
    set_name: str
    rules: list[Mention]
    cands: list[Candidate]
    labels: list[str | None]
    # every candidate-like sentence, the rules' evidence included (more phrasing to learn from)
    all_cands: list[Candidate]
    all_labels: list[str | None]
    # the rules' sentences as the shipped second pass sees them (for second types)
    ruled: list[Candidate]


def _sets(gold: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Article ids per set: ``seeds``; the Guardian sample split into its Feb-Mar and Apr-May
    parts; every other file by its stem without ``guardian_`` (``blind4`` ..., ``crisis_A``
    ...)."""
    out: dict[str, list[str]] = {}
    for name, frame in gold.items():
        ids = sorted(set(frame["article_id"]))
        stem = name.removesuffix(".csv")
        if stem == "guardian_sample":
            out["sample_febmar"] = [a for a in ids if a not in APR_MAY]
            out["sample_aprmay"] = [a for a in ids if a in APR_MAY]
        else:
            out[stem.removeprefix("guardian_")] = ids
    return out


def loso_sets(sets: dict[str, list[str]]) -> list[str]:
    """The sets left out in turn: every set but the seeds."""
    return [s for s in sets if s != "seeds"]


def load_docs(shared: Path) -> tuple[list[Doc], pd.DataFrame, dict[str, list[str]]]:
    """Every annotated article with its rule mentions, candidates and labels; the gold rows."""
    gold = {gold_name(p): load_gold(p) for p in gold_files()}
    sets = _sets(gold)
    all_gold = pd.concat(gold.values(), ignore_index=True)
    seeds = {a.id: a for a in read_articles(REPO / "seeds")}
    gaz = load_gazetteer()
    rows_of = {k: g.to_dict("records") for k, g in all_gold.groupby("article_id")}
    docs = []
    for set_name, ids in sets.items():
        for aid in ids:
            if set_name == "seeds":
                art = seeds[aid]
            elif set_name.startswith("crisis_"):
                folder = CRISIS / set_name.removeprefix("crisis_")
                art = next(iter(read_articles(folder / f"{aid}.txt")))
            else:
                art = next(iter(read_articles(shared / "data/news/guardian_2022" / f"{aid}.txt")))
            rules = extract_mentions([art])
            both = candidates(
                art, rule_starts=(m.start for m in rules), gazetteer=gaz, rule_sentences=True
            )
            cands = [c for c in both if not c.ruled]
            rows = rows_of.get(aid, [])
            labels = [label(c, rows) for c in cands]
            every = candidates(art, gazetteer=gaz)
            every_labels = [label(c, rows) for c in every]
            ruled = [c for c in both if c.ruled]
            docs.append(Doc(art, set_name, rules, cands, labels, every, every_labels, ruled))
    return docs, all_gold, sets


def train(
    docs: list[Doc],
    *,
    l2: float = L2,
    threshold: float = 0.5,
    context_threshold: float = 0.0,
    single_threshold: float = 0.0,
    every: bool = EVERY,
    rule: str = RULE,
    feature_set: str = FEATURES,
    **prov: Any,
) -> SentenceModel:
    xs, ys = [], []
    for d in docs:
        pairs = (
            zip(d.all_cands, d.all_labels, strict=True)
            if every
            else zip(d.cands, d.labels, strict=True)
        )
        for c, y in pairs:
            if y is not None and (TRAIN_INHERITED or not c.inherited):
                xs.append(candidate_features(c, feature_set))
                ys.append(y)
    if prov:
        prov = {
            **prov,
            "training_sentences": len(ys),
            "training_events": sum(1 for y in ys if y != "none"),
            "every_sentence": every,
        }
    return fit(
        xs,
        ys,
        l2=l2,
        min_count=MIN_COUNT,
        threshold=threshold,
        context_threshold=context_threshold,
        single_threshold=single_threshold,
        rule=rule,
        feature_set=feature_set,
        provenance={**prov, "train_inherited": TRAIN_INHERITED} if prov else prov,
    )


def evaluate(
    docs: list[Doc],
    gold: pd.DataFrame,
    model: SentenceModel | None,
    threshold: float,
    rule: str = RULE,
    context: float = 0.0,
    single: float = 0.0,
    second: float = 0.0,
    evidence: bool = False,
) -> dict[str, float]:
    """The scores of the rules' mentions (and, with a model, its proposals) on ``docs``:
    strict (no prefix) and type-free (``tf_``); with ``evidence`` also type-free with the
    evidence check (``ev_``)."""
    bodies = load_gazetteer().bodies
    mentions: list[Mention] = []
    n_prop = 0
    for d in docs:
        mentions.extend(d.rules)
        if model is not None:
            got = propose(
                d.cands,
                model,
                threshold=threshold,
                rule=rule,
                context_threshold=context,
                single_threshold=single,
            )
            if second:
                got += second_types(d.ruled, d.rules, model, threshold=second)
            n_prop += len(got)
            mentions.extend(got)
    catalog = merge_mentions(mentions, bodies=bodies)
    ids = {d.article.id for d in docs}
    s: dict[str, float] = {}
    readings: list[tuple[str, bool, dict[str, str] | None]] = [
        ("", True, None),
        ("tf_", False, None),
    ]
    if evidence:
        readings.append(("ev_", False, {d.article.id: d.article.text for d in docs}))
    for prefix, match_types, with_texts in readings:
        sc = score(
            catalog,
            gold[gold["article_id"].isin(ids)],
            match_types=match_types,
            texts=with_texts,
        )
        s.update({prefix + k: v for k, v in sc.as_dict().items()})
        m = sc.matches
        req = m[m["status"].isin(("found", "missed")) & (m["gold_precision"] == "day")]
        s[prefix + "day_recall"] = (
            float((req["status"] == "found").mean()) if len(req) else float("nan")
        )
    s["proposed"] = n_prop
    return s


def loso(
    docs: list[Doc],
    gold: pd.DataFrame,
    l2: float,
    every: bool = EVERY,
    rules: Sequence[str] = RULES,
    left_out: Sequence[str] = (),
    feature_set: str = FEATURES,
    jobs: int = 1,
    evidence: bool = False,
) -> pd.DataFrame:
    """Rules-only and rules + model (each rule and thresholds) on every set left out in turn
    (the sets in parallel over ``jobs`` processes; ``evidence``: :func:`evaluate`'s)."""
    lefts = list(left_out or sorted({d.set_name for d in docs} - {"seeds"}))
    args = [(docs, gold, left, l2, every, tuple(rules), feature_set, evidence) for left in lefts]
    return _per_set(_loso_one, args, jobs)


def _per_set(fn: Any, args: list[tuple[Any, ...]], jobs: int) -> pd.DataFrame:
    """The rows ``fn(*a)`` returns for each ``a`` of ``args`` (one left-out set each), over
    ``jobs`` forked processes."""
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.starmap(fn, args)
    else:
        parts = [fn(*a) for a in args]
    return pd.DataFrame([row for part in parts for row in part])


def _loso_one(
    docs: list[Doc],
    gold: pd.DataFrame,
    left: str,
    l2: float,
    every: bool,
    rules: tuple[str, ...],
    feature_set: str,
    evidence: bool = False,
) -> list[dict[str, Any]]:
    test = [d for d in docs if d.set_name == left]
    model = train(
        [d for d in docs if d.set_name != left], l2=l2, every=every, feature_set=feature_set
    )
    base = evaluate(test, gold, None, 1.0, evidence=evidence)
    none = {"rule": "", "threshold": np.nan, "context": np.nan, "single": np.nan}
    rows = [{"left_out": left, **none, **base}]
    for rule in rules:
        for thr in THRESHOLDS:
            for ct in CONTEXT_THRESHOLDS:
                if 0 < ct <= thr:
                    continue  # a context threshold at or below the main one changes nothing
                for st in SINGLE_THRESHOLDS:
                    if 0 < st <= thr:
                        continue
                    got = evaluate(
                        test, gold, model, thr, rule, context=ct, single=st, evidence=evidence
                    )
                    setting = {"rule": rule, "threshold": thr, "context": ct, "single": st}
                    rows.append({"left_out": left, **setting, **got})
    return rows


Setting = tuple[str, float, float, float]  # rule, threshold, context, single-actor threshold


def loso_second(
    docs: list[Doc],
    gold: pd.DataFrame,
    setting: Setting,
    l2: float,
    feature_set: str,
    left_out: Sequence[str],
    jobs: int = 1,
    evidence: bool = False,
) -> pd.DataFrame:
    """The second stage: every set left out in turn scored at ``setting`` with each second-type
    threshold of :data:`SECOND_THRESHOLDS` (0: none), the model trained on the other sets."""
    args = [(docs, gold, left, setting, l2, feature_set, evidence) for left in left_out]
    return _per_set(_second_one, args, jobs)


def _second_one(
    docs: list[Doc],
    gold: pd.DataFrame,
    left: str,
    setting: Setting,
    l2: float,
    feature_set: str,
    evidence: bool = False,
) -> list[dict[str, Any]]:
    test = [d for d in docs if d.set_name == left]
    model = train([d for d in docs if d.set_name != left], l2=l2, feature_set=feature_set)
    rule, thr, ct, st = setting
    return [
        {
            "left_out": left,
            "second": second,
            **evaluate(
                test,
                gold,
                model,
                thr,
                rule,
                context=ct,
                single=st,
                second=second,
                evidence=evidence,
            ),
        }
        for second in SECOND_THRESHOLDS
    ]


def _raised(bars: Mapping[str, float], margin: float) -> dict[str, float]:
    """The bars a choice with ``margin`` compares the left-out means with."""
    return {col: round(bar + margin, 4) for col, bar in bars.items()}


def _clears(row: pd.Series, bars: Mapping[str, float]) -> bool:
    """Whether figures (rounded to the three decimals they are reported with) clear ``bars``."""
    return all(row[col] >= bar for col, bar in bars.items())


def _clearing(frame: pd.DataFrame, bars: Mapping[str, float]) -> pd.DataFrame:
    """The rows of a table of means whose figures clear ``bars``."""
    for col, bar in bars.items():
        frame = frame[frame[col] >= bar]
    return frame


def left_out_means(table: pd.DataFrame, by: Sequence[str], cols: Sequence[str]) -> pd.DataFrame:
    """Means over the left-out sets of ``cols`` per setting ``by``, rounded to the three
    decimals they are reported with: every choice compares the figures it reports with the
    bars (a mean of 0.8996 is reported, and counts, as 0.900)."""
    return table.groupby(list(by), dropna=False)[list(cols)].mean().round(3)


def _tie_column(objective: str, name: str = "category_accuracy") -> str:
    """A figure of the reading a point is chosen on: the evidence-checked one (``ev_``) for a
    point chosen on evidence-checked figures, else the type-free one; by default the category
    accuracy that breaks ties between settings."""
    return ("ev_" if objective.startswith("ev_") else "tf_") + name


def choose_second(table: pd.DataFrame, name: str, margin: float = 0.0) -> float:
    """The second-type threshold of point ``name`` chosen on the left-out means of
    :func:`loso_second`'s table as the point itself was (its objective among the thresholds
    that clear its bars by ``margin``; ties: the higher category accuracy, then the higher
    threshold); 0 (none) when no threshold above 0 clears them."""
    objective, bars = POINTS[name]
    tie = _tie_column(objective)
    wanted = list(dict.fromkeys([objective, tie, *bars]))
    ok = _clearing(left_out_means(table, ["second"], wanted), _raised(bars, margin))
    if not len(ok):
        return 0.0
    key = max(ok.index, key=lambda k: (ok.loc[k, objective], ok.loc[k, tie], k))
    return float(key)


def nested_second(
    table: pd.DataFrame, name: str, cols: Sequence[str], margin: float = 0.0
) -> pd.Series:
    """The second stage's nested figures: each set scored at the second-type threshold chosen
    on the other sets (:func:`choose_second`), the first stage's setting fixed."""
    rows = []
    for left in sorted(table["left_out"].unique()):
        pick = choose_second(table[table["left_out"] != left], name, margin)
        own = table[(table["left_out"] == left) & (table["second"] == pick)]
        rows.append(own[list(cols)].iloc[0])
    return pd.DataFrame(rows).mean()


def choose_second_margin(table: pd.DataFrame, name: str, cols: Sequence[str]) -> float:
    """The second stage's margin over point ``name``'s bars, chosen as the first stage's is
    (:func:`choose_margins`): the smallest of :data:`MARGINS` whose nested figures
    (:func:`nested_second`) clear the bars at three decimals; the largest when none does."""
    _, bars = POINTS[name]
    for margin in MARGINS:
        if _clears(nested_second(table, name, cols, margin).round(3), bars):
            return margin
    return MARGINS[-1]


def choose_points(
    mean: pd.DataFrame, closest: bool = False, margins: Mapping[str, float] | None = None
) -> dict[str, Setting]:
    """Each of :data:`POINTS` chosen on a table of left-out means indexed by (rule, threshold,
    context, single): the setting with the highest mean of its objective among those clearing
    its bars by the point's margin in ``margins`` (none: 0; ties: the higher type-free category
    accuracy, then the higher thresholds). A point no setting qualifies for is left out, or
    with ``closest`` chosen among the settings that come closest to its bars (the least summed
    shortfall below them)."""
    table = mean[mean.index.get_level_values("rule") != ""]
    out: dict[str, Setting] = {}
    for name, (objective, bars) in POINTS.items():
        bars = _raised(bars, (margins or {}).get(name, 0.0))
        ok = _clearing(table, bars)
        if not len(ok) and closest and len(table):
            short = sum((bar - table[col]).clip(lower=0) for col, bar in bars.items())
            ok = table[short <= short.min() + 1e-12]
        if len(ok):
            tie = _tie_column(objective)
            key = max(
                ok.index,
                key=lambda k: (
                    ok.loc[k, objective],
                    ok.loc[k, tie],
                    k[1],
                    k[2],
                    k[3],
                ),
            )
            out[name] = (str(key[0]), float(key[1]), float(key[2]), float(key[3]))
    return out


def nested(
    table: pd.DataFrame, cols: Sequence[str], margins: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """What each point's *selection rule* scores on a set it never saw: for every set left out,
    the point is chosen (:func:`choose_points`) on the means of the other sets only, and that
    set's figures at the chosen setting are kept. Returns the means of those figures over the
    sets, one row per point, with ``settings``: how many distinct settings were chosen, and
    ``fallback``: for how many sets no setting cleared the point's bars on the other sets'
    means, so the closest one was taken (``choose_points(..., closest=True)``). The operating
    points' own figures are chosen on the same means they report, so this is the honest
    estimate for unseen text."""
    grid = ["rule", "threshold", "context", "single"]
    rows: dict[str, list[pd.Series]] = {}
    picked: dict[str, set[Setting]] = {}
    fallback: dict[str, int] = {}
    for left in sorted(table["left_out"].unique()):
        others = table[table["left_out"] != left]
        mean = left_out_means(others, grid, cols)
        own = table[table["left_out"] == left].set_index(grid)
        strict = choose_points(mean, margins=margins)
        for name, setting in choose_points(mean, closest=True, margins=margins).items():
            fallback[name] = fallback.get(name, 0) + (name not in strict)
            rows.setdefault(name, []).append(own.loc[setting, list(cols)])
            picked.setdefault(name, set()).add(setting)
    out = pd.DataFrame({name: pd.DataFrame(r).mean() for name, r in rows.items()}).T
    out["sets"] = [len(rows[n]) for n in out.index]
    out["settings"] = [len(picked[n]) for n in out.index]
    out["fallback"] = [fallback[n] for n in out.index]
    return out


def choose_margins(table: pd.DataFrame, cols: Sequence[str]) -> dict[str, float]:
    """Each point's margin over its bars: the smallest of :data:`MARGINS` whose nested figures
    (:func:`nested` with that margin) clear the point's bars at three decimals with no fallback
    set; the largest when none does."""
    out: dict[str, float] = {}
    for margin in MARGINS:
        if len(out) == len(POINTS):
            break  # every point has its margin: no need for the larger ones' nested runs
        inner = nested(table, cols, dict.fromkeys(POINTS, margin)).round(3)
        for name, (_, bars) in POINTS.items():
            if name in out or name not in inner.index:
                continue
            row = inner.loc[name]
            if row["fallback"] == 0 and _clears(row, bars):
                out[name] = margin
    return {name: out.get(name, MARGINS[-1]) for name in POINTS}


def _file_figures(row: pd.Series, cols: Sequence[str]) -> dict[str, float]:
    """A point's figures as the model file names them: type-free ones (``tf_...``) without the
    prefix, evidence-checked ones (``ev_...``) as ``evidence_...``, strict ones as
    ``strict_...``."""
    out = {c.removeprefix("tf_"): float(row[c]) for c in cols if c.startswith("tf_")}
    out |= {"evidence_" + c.removeprefix("ev_"): float(row[c]) for c in cols if c.startswith("ev_")}
    out |= {"strict_" + c: float(row[c]) for c in cols if not c.startswith(("tf_", "ev_"))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", default=os.environ.get("EVENTSTUDY_SHARED", str(REPO.parent / "shared"))
    )
    parser.add_argument("--loso", action="store_true", help="leave-one-set-out table")
    parser.add_argument("--l2", type=float, nargs="*", default=list(L2_GRID))
    parser.add_argument(
        "--features",
        nargs="*",
        default=list(FEATURE_SETS),
        choices=FEATURE_SETS,
        help="feature sets",
    )
    parser.add_argument("--only-left", action="store_true", help="train on rule-left sentences")
    parser.add_argument("--rules", nargs="+", default=list(RULES), choices=RULES)
    parser.add_argument("--verbose", action="store_true", help="the full table")
    parser.add_argument("--jobs", type=int, default=1, help="processes for --loso (one per set)")
    parser.add_argument("--write", action="store_true", help="fit on all sets, write the model")
    parser.add_argument(
        "--save-table", metavar="FILE", help="write --loso's per-set table (all settings) as CSV"
    )
    parser.add_argument(
        "--loso-table",
        metavar="FILE",
        help="read the per-set table of an earlier --save-table instead of running --loso",
    )
    parser.add_argument(
        "--point",
        nargs=5,
        action="append",
        default=[],
        metavar=("NAME", "RULE", "THRESHOLD", "CONTEXT", "SINGLE"),
        help="an operating point to write as given (instead of --loso's choice)",
    )
    parser.add_argument(
        "--second",
        action="store_true",
        help="after choosing the points, choose the default point's second-type threshold "
        "(a second leave-one-set-out run at that point)",
    )
    parser.add_argument(
        "--second-table",
        metavar="FILE",
        help="with --second: read (when it exists) or write the second stage's per-set table",
    )
    parser.add_argument(
        "--evidence",
        action="store_true",
        help="also score with the evidence check (ev_ columns) and choose the type-free points "
        "on those figures (EVIDENCE_POINTS)",
    )
    parser.add_argument(
        "--default",
        default=DEFAULT_POINT,
        help=f"the point whose settings are the model's own (default {DEFAULT_POINT})",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    docs, gold, sets = load_docs(Path(args.shared))
    n = sum(len(d.cands) for d in docs)
    pos = sum(1 for d in docs for y in d.labels if y not in (None, "none"))
    took = time.perf_counter() - t0
    print(f"{len(docs)} articles, {n} candidates left by the rules, {pos} positive ({took:.1f} s)")
    cols = [
        "recall",
        "precision",
        "date_accuracy",
        "category_accuracy",
        "direction_accuracy",
        "day_recall",
    ]
    cols += ["tf_" + c for c in cols[:6]] + (["ev_" + c for c in cols[:6]] if args.evidence else [])
    if args.evidence:
        # every choice below reads POINTS: the type-free points on evidence-checked figures
        POINTS.clear()
        POINTS.update(EVIDENCE_POINTS)
    l2_pick, feat_pick = (args.l2[0] if args.l2 else L2), args.features[0]
    points: dict[str, Setting] = {}
    margin_of: dict[str, float] = {}
    means: pd.DataFrame | None = None
    by_family: dict[str, pd.DataFrame] = {}
    nested_figures: pd.DataFrame | None = None
    saved = pd.read_csv(args.loso_table) if args.loso_table else None
    if saved is not None:
        saved["rule"] = saved["rule"].fillna("")
        args.features = list(dict.fromkeys(saved["features"]))
        args.l2 = list(dict.fromkeys(saved["l2"]))
    if args.loso or saved is not None:
        best: tuple[float, ...] | None = None
        for feature_set in args.features:
            for l2 in args.l2:
                if saved is not None:
                    pick = (saved["features"] == feature_set) & (saved["l2"] == l2)
                    table = saved[pick].drop(columns=["features", "l2"])
                else:
                    table = loso(
                        docs,
                        gold,
                        l2,
                        every=not args.only_left,
                        rules=args.rules,
                        left_out=loso_sets(sets),
                        feature_set=feature_set,
                        jobs=args.jobs,
                        evidence=args.evidence,
                    )
                if args.save_table:
                    table.assign(features=feature_set, l2=l2).to_csv(
                        args.save_table,
                        mode="a" if best is not None else "w",
                        header=best is None,
                        index=False,
                    )
                grid = ["rule", "threshold", "context", "single"]
                mean = left_out_means(table, grid, cols)
                with pd.option_context("display.width", 250, "display.max_rows", 1000):
                    print(f"== features = {feature_set}, l2 = {l2}")
                    if args.verbose:
                        print(table.round(3).to_string(index=False))
                    print("mean over the left-out sets (tf_: type-free scoring):")
                    print(mean.to_string())
                families = {
                    "guardian": ~table["left_out"].str.startswith("crisis_"),
                    "crisis": table["left_out"].str.startswith("crisis_"),
                }
                family_means = {
                    k: left_out_means(table[rows], grid, cols)
                    for k, rows in families.items()
                    if rows.any()
                }
                margins = choose_margins(table, cols)
                print(
                    f"margins over the bars (smallest whose nested figures clear them): {margins}"
                )
                inner = nested(table, cols, margins)
                with pd.option_context("display.width", 250):
                    print(
                        "nested: each set scored at the point chosen without it (settings: "
                        "distinct choices; fallback: sets where none cleared the bars):"
                    )
                    print(inner.round(3).to_string())
                chosen = choose_points(mean, margins=margins)
                got = chosen.get(args.default)
                if got is None:
                    continue
                objective = POINTS[args.default][0]
                precision = _tie_column(objective, "precision")
                key = (float(mean.loc[got, objective]), float(mean.loc[got, precision]))
                if best is None or key > best:
                    best, l2_pick, feat_pick, points, means = key, l2, feature_set, chosen, mean
                    nested_figures, by_family, margin_of = inner, family_means, margins
        for name, (objective, bars) in POINTS.items():
            print(
                f"{name}: max mean {objective} with "
                + ", ".join(f"{c} >= {b}" for c, b in bars.items())
                + f" + {margin_of.get(name, 0.0)}"
                + f" (features {feat_pick}, l2 {l2_pick}): {points.get(name, 'none qualifies')}"
            )
            for family, fmean in by_family.items():
                if name in points and points[name] in fmean.index:
                    print(f"    {family} sets: {_file_figures(fmean.loc[points[name]], cols)}")
    for name, rule, thr, ct, st in args.point:
        points[name] = (rule, float(thr), float(ct), float(st))
    second_of: dict[str, float] = {}
    second_margin = 0.0
    second_figures: dict[str, dict[str, dict[str, float]]] = {}
    if args.second and args.default in points:
        sp = Path(args.second_table) if args.second_table else None
        if sp is not None and sp.is_file():
            stage = pd.read_csv(sp)
        else:
            stage = loso_second(
                docs,
                gold,
                points[args.default],
                l2_pick,
                feat_pick,
                loso_sets(sets),
                jobs=args.jobs,
                evidence=args.evidence,
            )
            if sp is not None:
                stage.to_csv(sp, index=False)
        second_margin = choose_second_margin(stage, args.default, cols)
        pick = choose_second(stage, args.default, second_margin)
        second_of[args.default] = pick
        print(f"second stage at {args.default} {points[args.default]}: means (0: none)")
        print(left_out_means(stage, ["second"], cols).to_string())
        at = stage[stage["second"] == pick]
        crisis = at["left_out"].str.startswith("crisis_")
        second_figures[args.default] = {
            "loso": _file_figures(at[cols].mean().round(3), cols),
            "loso_guardian": _file_figures(at[~crisis][cols].mean().round(3), cols),
            "loso_crisis": _file_figures(at[crisis][cols].mean().round(3), cols),
            "nested_second": _file_figures(
                nested_second(stage, args.default, cols, second_margin).round(3), cols
            ),
        }
        print(
            f"chosen second-type threshold: {pick} with a margin of {second_margin} "
            f"({second_figures[args.default]})"
        )
    if args.write:
        if args.default not in points:
            raise SystemExit(f"no {args.default!r} point to write as the model's own settings")
        rule, thr, ct, st = points[args.default]
        files = gold_files()
        model = train(
            docs,
            threshold=thr,
            context_threshold=ct,
            single_threshold=st,
            rule=rule,
            l2=l2_pick,
            feature_set=feat_pick,
            annotations=[gold_name(f) for f in files],
            annotations_sha256=file_digest(files),
            articles=len(docs),
            candidates=n,
            positives=pos,
            script="benchmarks/train_sentence_model.py",
        )
        written: dict[str, dict[str, Any]] = {}
        for name, setting in sorted(points.items(), key=lambda kv: kv[0] != args.default):
            objective, bars = POINTS.get(name, ("", {}))
            figures = {}
            if means is not None and setting in means.index:
                figures = _file_figures(means.loc[setting], cols)
            inner_figures = {}
            if nested_figures is not None and name in nested_figures.index:
                row = nested_figures.loc[name].round(3)
                inner_figures = _file_figures(row, cols)
                inner_figures["fallback_sets"] = float(row["fallback"])
            written[name] = {
                "rule": setting[0],
                "threshold": setting[1],
                "context_threshold": setting[2],
                "single_threshold": setting[3],
                "chosen_by": (
                    f"max {objective}, "
                    + ", ".join(f"{c} >= {b}" for c, b in bars.items())
                    + (
                        f"; each bar with a margin of {margin_of[name]}"
                        if margin_of.get(name)
                        else ""
                    )
                    if objective
                    else "given"
                )
                + ("; the model's default" if name == args.default else ""),
                "loso": figures,
                **({"nested": inner_figures} if inner_figures else {}),
                **{
                    f"loso_{family}": _file_figures(fmean.loc[setting], cols)
                    for family, fmean in by_family.items()
                    if setting in fmean.index
                },
            }
            if second_of.get(name):
                written[name]["second_threshold"] = second_of[name]
                by = written[name]["chosen_by"].removesuffix("; the model's default")
                written[name]["chosen_by"] = (
                    by
                    + "; then second_threshold on the left-out means at that setting, same"
                    + f" rule with a margin of {second_margin}"
                    + ("; the model's default" if name == args.default else "")
                )
                written[name] |= second_figures[name]
        model = replace(
            model, operating_points=written, second_threshold=second_of.get(args.default, 0.0)
        )
        path = write_model(model, default_model_path())
        print(f"wrote {path} ({len(model.vocabulary)} features, classes {model.classes})")


if __name__ == "__main__":
    main()
