"""The relation component: for each pair of entities in a sentence, one of SciERC's seven relations or none.

A linear classifier (multinomial logistic regression) over the sparse features of
:mod:`citegraph.extract.relation_features`: words of both entities, their labels, the words between them and around
them, the distance. Its data is plain: ``features.json`` (the feature strings, row order), ``weights.npy``
(float32, one row per feature, one column per pair class) and ``bias.npy``; nothing is pickled. It has no
encoder of its own and listens to no other component, so it can be added to any pipeline that sets ``doc.ents``
and sentences (:func:`citegraph.extract.pipeline.load.load_pipeline` adds it after the entity components).

Its output is ``doc._.relations``: ``(head_start, head_end, tail_start, tail_end, label, score)`` with character
offsets of two ``doc.ents`` and the probability of the label; COMPARE and CONJUNCTION once per pair (the earlier
entity as head).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from citegraph.extract.records import LABELS
from citegraph.extract.relation_features import PAIR_CLASSES, class_relation, pair_features, sentence_pairs

__all__ = ["RelationComponent", "DEFAULT_MAX_BETWEEN", "DEFAULT_THRESHOLD"]

if not Doc.has_extension("relations"):
    Doc.set_extension("relations", default=None)

DEFAULT_THRESHOLD = 0.5
DEFAULT_MAX_BETWEEN = 20


class RelationComponent:
    """Typed relations between the entities of each sentence into ``doc._.relations``.

    ``threshold``: the least probability the most probable relation class of a pair needs (the classes'
    probabilities sum to 1 with ``NONE``: below 0.5 a relation may win over a more probable ``NONE``);
    ``max_between``: pairs further apart than this many tokens are not considered."""

    def __init__(self, nlp: Language, name: str, threshold: float, max_between: int) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold {threshold!r} is not in (0, 1]")
        self.name, self.threshold, self.max_between = name, float(threshold), int(max_between)
        self.classes: tuple[str, ...] = PAIR_CLASSES
        self.index: dict[str, int] = {}
        self.weights = np.zeros((0, len(self.classes)), dtype=np.float32)
        self.bias = np.zeros(len(self.classes), dtype=np.float32)

    # -- data -------------------------------------------------------------------------------------------------------
    def set_model(self, features: Iterable[str], weights: np.ndarray, bias: np.ndarray,
                  classes: Iterable[str] = PAIR_CLASSES) -> None:
        """Install trained weights: ``weights[k]`` is the row of the k-th feature, one column per class."""
        feats, classes = list(features), tuple(classes)
        weights = np.asarray(weights, dtype=np.float32)
        bias = np.asarray(bias, dtype=np.float32)
        unknown = [c for c in classes if c not in PAIR_CLASSES]
        if unknown:
            raise ValueError(f"unknown pair class(es) {unknown}; expected some of {PAIR_CLASSES}")
        if weights.shape != (len(feats), len(classes)) or bias.shape != (len(classes),):
            raise ValueError(f"weights of shape {weights.shape} and bias {bias.shape} do not fit {len(feats)} "
                             f"features and {len(classes)} classes")
        self.classes, self.weights, self.bias = classes, weights, bias
        self.index = {f: k for k, f in enumerate(feats)}

    def initialize(self, get_examples=None, nlp: Language | None = None) -> None:
        """Nothing to learn from examples here: the training command fits the weights and calls :meth:`set_model`."""

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        features = sorted(self.index, key=self.index.__getitem__)
        (path / "features.json").write_text(json.dumps({"classes": list(self.classes), "features": features},
                                                       ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        np.save(path / "weights.npy", self.weights, allow_pickle=False)
        np.save(path / "bias.npy", self.bias, allow_pickle=False)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RelationComponent:
        path = Path(path)
        try:
            meta = json.loads((path / "features.json").read_text(encoding="utf-8"))
            weights = np.load(path / "weights.npy", allow_pickle=False)
            bias = np.load(path / "bias.npy", allow_pickle=False)
        except (OSError, ValueError, KeyError) as e:
            raise ValueError(f"cannot read the relation model at {path}: {e}") from e
        self.set_model(meta["features"], weights, bias, meta["classes"])
        return self

    # -- prediction -------------------------------------------------------------------------------------------------
    def scores(self, feature_lists: list[list[str]]) -> np.ndarray:
        """Class probabilities (rows: pairs, columns: :attr:`classes`) of pairs given by their features."""
        out = np.empty((len(feature_lists), len(self.classes)), dtype=np.float64)
        index, weights = self.index, self.weights
        for row, feats in enumerate(feature_lists):
            # each known feature once (0/1, as in training), summed in row order: the same bits in every process
            rows = sorted({k for k in (index.get(f) for f in feats) if k is not None})
            out[row] = self.bias + weights[rows].sum(axis=0, dtype=np.float64) if rows else self.bias
        out -= out.max(axis=1, keepdims=True)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, int, int, str, float]] = []
        ents = [e for e in doc.ents if e.label_ in LABELS]
        if len(ents) < 2 or not len(self.index):
            doc._.relations = found
            return doc
        words = [t.lower_ for t in doc]
        by_sent: dict[int, list] = {}
        for e in ents:
            by_sent.setdefault(e.sent.start, []).append(e)
        pairs, feats = [], []
        for group in by_sent.values():
            if len(group) < 2:
                continue
            sent = group[0].sent
            spans = [(e.start, e.end, e.label_) for e in group]
            for i, j in sentence_pairs(spans, self.max_between):
                pairs.append((group[i], group[j]))
                feats.append(pair_features(words, sent.start, sent.end, spans, i, j))
        if pairs:
            probs = self.scores(feats)
            none = self.classes.index("NONE")
            probs[:, none] = -1.0  # the best relation class; kept when its probability reaches the threshold
            best = probs.argmax(axis=1)
            for (a, b), k, p in zip(pairs, best, probs):
                if p[k] < self.threshold:
                    continue
                label, head_first = class_relation(self.classes[k])
                head, tail = (a, b) if head_first else (b, a)
                found.append((head.start_char, head.end_char, tail.start_char, tail.end_char, label,
                              round(float(p[k]), 4)))
        doc._.relations = sorted(found)
        return doc


@Language.factory("citegraph_relations",
                  default_config={"threshold": DEFAULT_THRESHOLD, "max_between": DEFAULT_MAX_BETWEEN})
def make_relations(nlp: Language, name: str, threshold: float, max_between: int) -> RelationComponent:
    return RelationComponent(nlp, name, threshold, max_between)
