"""What the rule components share: the Doc/Span/Token extensions they set, the label a phrase's head word
suggests, and adding entities to a doc without overlapping the ones it has.

Every entity in ``doc.ents`` carries ``span._.source``: ``model`` (the trained span model), ``rule`` or ``acronym``.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from citegraph.extract.keys import normalise_key

__all__ = ["DATASET_WORDS", "TEX", "add_entities", "label_by_head"]

for _name in ("references", "links", "acronyms"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("source"):
    Span.set_extension("source", default=None)
if not Span.has_extension("confidence"):  # the span model's probability of the span's label; None: not scored
    Span.set_extension("confidence", default=None)


def _namelike(token: Token) -> bool:
    """``ImageNet``, ``CIFAR-10``, ``GLUE``, ``SQuAD2``: capitals inside the word, or letters with digits."""
    t = token.text
    if len(t) < 2 or not t[0].isalnum() or any(c in t for c in "{}\\$^_"):
        return False  # LaTeX left in a listing (64{times}64, $\\alpha$) is not a name
    return any(c.isupper() for c in t[1:]) or (any(c.isdigit() for c in t) and any(c.isalpha() for c in t))


if not Token.has_extension("namelike"):
    Token.set_extension("namelike", getter=_namelike)

#: TeX left in a listing: a span holding one of these is math, not a name
TEX = "{}^_\\"
DATASET_WORDS = ["dataset", "datasets", "data set", "benchmark", "benchmarks", "corpus", "corpora", "suite",
                  "treebank"]
# Head words that say what a long form (of an acronym) is, when the model did not label it.
_HEADS: dict[str, tuple[str, ...]] = {
    "dataset": ("dataset", "corpus", "benchmark", "database", "treebank", "suite", "bank", "collection"),
    "metric": ("score", "accuracy", "error", "rate", "metric", "precision", "recall", "ratio", "index"),
    "task": ("classification", "detection", "recognition", "segmentation", "translation", "generation", "answering",
             "retrieval", "prediction", "estimation", "parsing", "summarization", "tracking", "reconstruction",
             "synthesis", "localization", "captioning", "reasoning", "planning", "inference", "forecasting"),
    "method": ("network", "model", "algorithm", "method", "machine", "learning", "transformer", "encoder", "decoder",
               "descent", "framework", "architecture", "regression", "attention", "mechanism", "estimator", "sampler",
               "optimizer", "technique", "autoencoder", "feedback", "policy", "optimization", "search", "gradient",
               "embedding", "tuning", "training", "distillation", "sampling", "propagation", "unit", "layer"),
}


def label_by_head(phrase: str) -> str:
    """The label a phrase's head word (its last word, singular) suggests; ``concept`` when none does.

    >>> [label_by_head(p) for p in ("Generative Adversarial Networks", "word error rate", "Penn Treebank", "KL term")]
    ['method', 'metric', 'dataset', 'concept']
    """
    key = normalise_key(phrase)
    head = key.rsplit(" ", 1)[-1] if key else ""
    for label, heads in _HEADS.items():
        if head in heads:
            return label
    return "concept"


def add_entities(doc: Doc, new: Iterable[Span], source: str) -> None:
    """Add ``new`` spans to ``doc.ents`` where they overlap no existing entity; mark them with ``source`` (their
    ``confidence`` is kept when they carry one)."""
    existing = list(doc.ents)
    taken = {i for e in existing for i in range(e.start, e.end)}
    added = []
    for span in filter_spans(list(new)):
        if any(i in taken for i in range(span.start, span.end)):
            continue
        added.append(span)
        taken.update(range(span.start, span.end))
    for span in existing:
        if span._.source is None:
            span._.source = "model"
    confidence = [span._.confidence for span in added]
    for span, c in zip(added, confidence):
        span._.source = source
        span._.confidence = c
    doc.ents = sorted(existing + added, key=lambda s: s.start)
