"""The confidence component: every entity gets a calibrated ``confidence`` (the chance that it is right, as
measured on the dev sets), and entities under the threshold chosen there are dropped.

A span-model entity's confidence is its probability (``span._.confidence`` from the span model) through Platt
scaling, ``sigmoid(a·logit(p) + b)``: the model is overconfident (its spans scored 0.5-0.6 were right about 40% of
the time on the dev sets). A rule or acronym entity the model did not score gets its source's precision on the dev
sets. The data (``a``, ``b``, the per-source priors, the threshold) comes from
:mod:`citegraph.extract.training.calibrate` through ``initialize`` and is saved with the model, with the *graph
threshold* that a build reads (:func:`citegraph.extract.runner.provenance.graph_threshold`): the confidence an
entity needs somewhere in a build to be in its graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

import citegraph.extract.pipeline.entities  # noqa: F401  (the Span extensions: source, confidence)
from citegraph.extract.pipeline.component_data import DataComponent

__all__ = ["ConfidenceComponent", "calibrated"]

#: before calibration: the probability stands as it is, rule and acronym entities count as fairly sure
DEFAULT_DATA = {"a": 1.0, "b": 0.0, "priors": {"rule": 0.5, "acronym": 0.5}, "threshold": 0.0,
                "graph_threshold": 0.0}


def calibrated(p: float, a: float, b: float) -> float:
    """``sigmoid(a·logit(p) + b)``, ``p`` clipped to [1e-6, 1 - 1e-6].

    >>> round(calibrated(0.9, 1.0, 0.0), 3), round(calibrated(0.9, 0.5, -0.5), 3)
    (0.9, 0.645)
    """
    p = min(max(p, 1e-6), 1 - 1e-6)
    z = a * math.log(p / (1 - p)) + b
    return 1 / (1 + math.exp(-z))


class ConfidenceComponent(DataComponent):
    """Sets each entity's calibrated ``confidence`` and drops those under ``threshold`` (see the module)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self._set_data(DEFAULT_DATA)

    def _get_data(self) -> dict:
        return {"a": self.a, "b": self.b, "priors": dict(sorted(self.priors.items())), "threshold": self.threshold,
                "graph_threshold": self.graph_threshold}

    def _set_data(self, data: dict) -> None:
        self.a, self.b = float(data.get("a", 1.0)), float(data.get("b", 0.0))
        self.priors = {str(k): float(v) for k, v in data.get("priors", DEFAULT_DATA["priors"]).items()}
        self.threshold = float(data.get("threshold", 0.0))
        self.graph_threshold = float(data.get("graph_threshold", self.threshold))  # not used here: a build reads it

    def initialize(self, get_examples: Callable | None = None, nlp: Language | None = None,
                   data: dict | None = None) -> None:
        merged = {**DEFAULT_DATA, **(data or {})}
        for key in ("threshold", "graph_threshold"):
            if not 0.0 <= float(merged[key]) < 1.0:
                raise ValueError(f"{key} {merged[key]!r} outside [0, 1)")
        self._set_data(merged)

    def confidence(self, span: Span) -> float:
        """Calibrated: the model's probability when the span has one (a model span that a rule component retyped
        or split keeps it), else its source's prior."""
        if span._.confidence is not None:
            return calibrated(span._.confidence, self.a, self.b)
        return self.priors.get(span._.source or "model", 0.5)

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for e in doc.ents:  # extension values live in the doc, keyed by offsets and label: they survive doc.ents =
            e._.confidence = c = round(self.confidence(e), 3)
            if c >= self.threshold:
                kept.append(e)
        if len(kept) < len(doc.ents):
            doc.ents = kept
        return doc


@Language.factory("citegraph_confidence")
def make_confidence(nlp: Language, name: str) -> ConfidenceComponent:
    return ConfidenceComponent(nlp, name)
