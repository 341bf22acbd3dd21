"""Reproduce the shipped relation model:
``python -m citegraph.extract.training.relations --out extract/models/citegraph_rel``.

1. SciERC train abstracts, rebuilt as raw text (:func:`~.convert.read_scierc`), go through the shipped pipeline's
   tokenizer and sentencizer; their gold entities are aligned on its tokens, and every pair of entities in a
   sentence becomes one example: its features (:mod:`citegraph.extract.relation_features`) and its pair class
   (a gold relation and its direction, or ``NONE``); so do (as a candidate choice) the other pairs the shipped
   entity pipeline forms on the same texts, as it will at inference.
2. A multinomial logistic regression is fitted on them (L-BFGS over the L2-regularised cross-entropy, scipy; no
   randomness: the same data give the same weights).
3. Model selection on SciERC dev, end to end: the shipped entity pipeline runs over the dev abstracts once, and each
   candidate (negatives, L2 strength, least feature count, threshold) is scored with SciERC's Rel metric on the
   entities it found. SciER is never read here: it is measured on afterwards (``citegraph evaluate``), never trained on.
4. The best candidate is written as a one-component spaCy pipeline (``citegraph_relations``, its config,
   ``features.json``, ``weights.npy``, ``bias.npy``, scores and data in ``meta.json``);
   :func:`citegraph.extract.pipeline.load.load_pipeline` sources it into the shipped pipeline.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.optimize
import scipy.sparse as sp
import spacy

from citegraph.extract.evaluate import format_table, score_relations
from citegraph.extract.pipeline.relations import RelationComponent
from citegraph.extract.records import LABELS
from citegraph.extract.relation_features import PAIR_CLASSES, pair_class, pair_features, sentence_pairs
from citegraph.extract.training.convert import AlignStats, GoldDoc, align, read_scierc
from citegraph.extract.training.paths import DEFAULT_DATA

__all__ = ["pair_examples", "fit", "main"]

log = logging.getLogger(__name__)

MAX_BETWEEN = 20
#: the candidates model selection tries on SciERC dev: the negative pairs (between gold entities only, or also those
#: the entity pipeline forms on the training text, as at inference), L2 strength, least feature count, threshold
NEGATIVES_GRID = ("gold", "gold+pipeline")
L2_GRID = (1.0, 3.0)
MIN_COUNT_GRID = (2,)
THRESHOLD_GRID = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
SOURCE = {"name": "SciERC (train split; dev for model selection)", "author": "Luan et al., EMNLP 2018",
          "url": "http://nlp.cs.washington.edu/sciIE/",
          "license": "research data, no explicit licence; credit Luan et al. 2018"}


def doc_pairs(doc, max_between: int = MAX_BETWEEN) -> tuple[list, list[list[str]]]:
    """The entity pairs of ``doc`` (``doc.ents`` of the product's labels, sentence by sentence) and their features,
    exactly as :class:`~citegraph.extract.pipeline.relations.RelationComponent` forms them."""
    words = [t.lower_ for t in doc]
    by_sent: dict[int, list] = {}
    for e in doc.ents:
        if e.label_ in LABELS:
            by_sent.setdefault(e.sent.start, []).append(e)
    pairs, feats = [], []
    for group in by_sent.values():
        sent = group[0].sent
        spans = [(e.start, e.end, e.label_) for e in group]
        for i, j in sentence_pairs(spans, max_between):
            pairs.append((group[i], group[j]))
            feats.append(pair_features(words, sent.start, sent.end, spans, i, j))
    return pairs, feats


def pair_examples(nlp, gold: Sequence[GoldDoc], stats: Counter | None = None) -> tuple[list[list[str]], list[str]]:
    """Features and pair class of every pair of gold entities in a sentence of the ``gold`` texts (``nlp``: a
    tokenizer and sentencizer). ``stats`` counts ``relations`` (gold, non-Generic), ``covered`` (whose two
    arguments landed in one sentence as entities) and ``pairs``."""
    stats = stats if stats is not None else Counter()
    feats_all, classes = [], []
    align_stats = AlignStats()
    for g, doc in zip(gold, nlp.pipe(d.text for d in gold)):
        doc.ents = align(doc, g.entities, align_stats)
        by_args = {}
        for hs, he, ts, te, label in g.relations:
            by_args[(hs, he, ts, te)] = pair_class(label, True)
            by_args[(ts, te, hs, he)] = pair_class(label, False)
        pairs, feats = doc_pairs(doc)
        doc_classes = [by_args.get((a.start_char, a.end_char, b.start_char, b.end_char), "NONE") for a, b in pairs]
        feats_all.extend(feats)
        classes.extend(doc_classes)
        stats.update(relations=len(g.relations), pairs=len(pairs), covered=sum(c != "NONE" for c in doc_classes))
    return feats_all, classes


def pipeline_pair_examples(docs: Sequence, gold: Sequence[GoldDoc]) -> tuple[list[list[str]], list[str]]:
    """The pairs the entity pipeline forms on the training texts (``docs``: its output) that are not between two
    gold entities, with their class (a gold relation whose two spans it found exactly, else ``NONE``)."""
    feats_all, classes = [], []
    for g, doc in zip(gold, docs):
        by_args = {}
        for hs, he, ts, te, label in g.relations:
            by_args[(hs, he, ts, te)] = pair_class(label, True)
            by_args[(ts, te, hs, he)] = pair_class(label, False)
        spans = {(s, e) for s, e, _ in g.entities}
        pairs, feats = doc_pairs(doc)
        for (a, b), f in zip(pairs, feats):
            if (a.start_char, a.end_char) in spans and (b.start_char, b.end_char) in spans:
                continue  # a pair of gold entities: already an example
            feats_all.append(f)
            classes.append(by_args.get((a.start_char, a.end_char, b.start_char, b.end_char), "NONE"))
    return feats_all, classes


def _matrix(feats: list[list[str]], index: dict[str, int]) -> sp.csr_matrix:
    rows, cols = [], []
    for r, f in enumerate(feats):
        ks = sorted({index[x] for x in f if x in index})
        rows.extend([r] * len(ks))
        cols.extend(ks)
    return sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(feats), len(index)))


def fit(feats: list[list[str]], classes: list[str], *, l2: float, min_count: int,
        max_iter: int = 300) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Fit the multinomial logistic regression: ``(features, weights, bias)`` with features seen in at least
    ``min_count`` examples (sorted), ``weights`` one row per feature and one column per :data:`PAIR_CLASSES`."""
    counts = Counter(x for f in feats for x in set(f))
    features = sorted(x for x, c in counts.items() if c >= min_count)
    index = {x: k for k, x in enumerate(features)}
    X = _matrix(feats, index)
    y = np.array([PAIR_CLASSES.index(c) for c in classes])
    n, d, k = X.shape[0], X.shape[1], len(PAIR_CLASSES)
    Y = np.zeros((n, k))
    Y[np.arange(n), y] = 1.0

    def loss(theta):
        W, b = theta[:d * k].reshape(d, k), theta[d * k:]
        z = X @ W + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        p = np.exp(logp)
        value = -(Y * logp).sum() + 0.5 * l2 * (W * W).sum()
        g = p - Y
        grad_w = X.T @ g + l2 * W
        return value, np.concatenate([np.asarray(grad_w).ravel(), g.sum(axis=0)])

    res = scipy.optimize.minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                                  options={"maxiter": max_iter})
    W = res.x[:d * k].reshape(d, k).astype(np.float32)
    b = res.x[d * k:].astype(np.float32)
    log.info("fitted %d features x %d classes on %d pairs (l2 %s, min count %d): %s", d, k, n, l2, min_count,
             res.message)
    return features, W, b


def _component(features, weights, bias, threshold: float) -> RelationComponent:
    nlp = spacy.blank("en")
    comp = RelationComponent(nlp, "citegraph_relations", threshold, MAX_BETWEEN)
    comp.set_model(features, weights, bias)
    return comp


def select(train: dict[str, tuple[list, list]], dev_gold: Sequence[GoldDoc], dev_docs: list) -> tuple[dict, tuple]:
    """Fit every (negatives, L2, min count) candidate and score each threshold on the dev docs' own entities; the
    best by micro Rel F1 (ties: the earlier candidate). ``train``: the examples of each choice of negatives."""
    best: tuple[float, dict, tuple] | None = None
    gold = [d.relations for d in dev_gold]
    for negatives in NEGATIVES_GRID:
        for l2 in L2_GRID:
            for min_count in MIN_COUNT_GRID:
                model = fit(*train[negatives], l2=l2, min_count=min_count)
                for threshold in THRESHOLD_GRID:
                    comp = _component(*model, threshold)
                    pred = [[r[:5] for r in comp(doc)._.relations] for doc in dev_docs]
                    s = score_relations(gold, pred)
                    cand = {"negatives": negatives, "l2": l2, "min_count": min_count, "threshold": threshold,
                            "dev": s["micro"]}
                    log.info("%s l2 %s min_count %d threshold %s: Rel P %.1f R %.1f F1 %.1f", negatives, l2,
                             min_count, threshold, s["micro"]["p"], s["micro"]["r"], s["micro"]["f"])
                    if best is None or s["micro"]["f"] > best[0]:
                        best = (s["micro"]["f"], cand, model)
    assert best is not None
    return best[1], best[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m citegraph.extract.training.relations", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="where to write the relation pipeline")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (scierc/ in it)")
    ap.add_argument("--entity-model", type=Path, default=None,
                    help="the entity pipeline used for model selection (default: the shipped one)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from citegraph.extract.pipeline.load import load_pipeline

    t0 = time.time()
    nlp = load_pipeline(args.entity_model)
    if nlp.has_pipe("citegraph_relations"):
        nlp.remove_pipe("citegraph_relations")
    stats = Counter()
    train_gold = list(read_scierc(args.data / "scierc" / "train.json"))
    dev_gold = list(read_scierc(args.data / "scierc" / "dev.json"))
    with nlp.select_pipes(enable=[n for n in ("sentencizer", "citegraph_references") if n in nlp.pipe_names]):
        examples = pair_examples(nlp, train_gold, stats)
    log.info("SciERC train: %d pairs, %d relations (%d in one sentence between two aligned entities)",
             stats["pairs"], stats["relations"], stats["covered"])
    dev_docs = list(nlp.pipe(d.text for d in dev_gold))  # the entity pipeline's own entities, once
    extra = pipeline_pair_examples(nlp.pipe(d.text for d in train_gold), train_gold)
    log.info("the entity pipeline on SciERC train: %d more pairs, %d of them relations", len(extra[0]),
             sum(c != "NONE" for c in extra[1]))
    train = {"gold": examples, "gold+pipeline": (examples[0] + extra[0], examples[1] + extra[1])}
    chosen, model = select(train, dev_gold, dev_docs)
    comp = _component(*model, chosen["threshold"])
    dev_scores = score_relations([d.relations for d in dev_gold],
                                 [[r[:5] for r in comp(doc)._.relations] for doc in dev_docs])
    print(format_table(dev_scores))

    out_nlp = spacy.blank("en")
    out_nlp.add_pipe("citegraph_relations", config={"threshold": chosen["threshold"], "max_between": MAX_BETWEEN})
    out_nlp.get_pipe("citegraph_relations").set_model(*model)
    out_nlp.meta.update(name="citegraph_rel", version="0.1.0", sources=[SOURCE],
                        description="Typed relations (SciERC's seven) between the entities of a sentence: a linear "
                                    "classifier over sparse pair features; trained on SciERC train, selected on "
                                    "SciERC dev end to end with the shipped entity pipeline.",
                        performance={"scierc_dev_rel_micro": dev_scores["micro"], "selection": chosen,
                                     "train_pairs": stats["pairs"], "train_relations": stats["relations"],
                                     "train_relations_covered": stats["covered"]})
    if args.out.exists():
        shutil.rmtree(args.out)
    out_nlp.to_disk(args.out)
    log.info("wrote %s in %.0f s (chosen: %s)", args.out, time.time() - t0, json.dumps(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
