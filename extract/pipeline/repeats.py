"""The repeats component: a name found once in a text is found wherever the text repeats it.

The span model reads each occurrence in its own context, so in a long text it finds "TinyBERT" in one sentence and
misses it in the next. A *name* (a word with a capital inside it or a digit, as :func:`is_name` tells) means the
same thing throughout one paper, so each of its other occurrences, where no entity is, becomes an entity with the
label the name has most often in the text and the highest probability the model gave it. Phrases ("language
model") are not spread: their reading depends on the sentence.

Measured with ``citegraph evaluate``: SciER dev (full papers) 62.0 -> 63.9 micro-F1; SciERC dev and the SciREX
held-out abstracts unchanged (titles and abstracts repeat few names).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

import citegraph.extract.pipeline.entities  # noqa: F401  (the Span extensions: source, confidence)
from citegraph.extract.pipeline.entities import add_entities
from citegraph.extract.pipeline.names import is_name, title_case

__all__ = ["RepeatsComponent", "repeated_names"]


def _marked(text: str) -> bool:
    """A capital or a digit: "TinyBERT", "C3D", "Kinetics", not "language model"."""
    return any(c.isupper() or c.isdigit() for c in text)


def repeated_names(doc: Doc) -> list[Span]:
    """The other occurrences of the names among ``doc.ents``, as new spans (label and probability set); they may
    overlap existing entities (:func:`add_entities` skips those).

    >>> import spacy
    >>> doc = spacy.blank("en")("TinyBERT is small. We train TinyBERT and a language model.")
    >>> doc.ents = [Span(doc, 0, 1, label="method")]
    >>> [(s.text, s.start, s.label_) for s in repeated_names(doc)]
    [('TinyBERT', 6, 'method')]
    """
    title_cased = title_case(doc)
    by_text: dict[str, list[Span]] = defaultdict(list)
    for e in doc.ents:
        if len(e.text) >= 2 and _marked(e.text) and is_name(e, title_cased):
            by_text[e.text].append(e)
    if not by_text:
        return []
    matcher = PhraseMatcher(doc.vocab)
    reading: dict[str, tuple[str, float | None]] = {}
    for text, found in sorted(by_text.items()):
        labels = Counter(e.label_ for e in found)
        label = min(labels, key=lambda lab: (-labels[lab], lab))
        probabilities = [e._.confidence for e in found if e.label_ == label and e._.confidence is not None]
        reading[text] = (label, max(probabilities) if probabilities else None)
        matcher.add(text, [found[0].as_doc()])
    taken = {(e.start, e.end) for e in doc.ents}
    spans = []
    for match_id, start, end in matcher(doc):
        if (start, end) in taken:
            continue
        label, probability = reading[doc.vocab.strings[match_id]]
        span = Span(doc, start, end, label=label)
        span._.confidence = probability
        spans.append(span)
    return spans


class RepeatsComponent:
    """Makes every other occurrence of a name among the entities an entity (see the module)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc.ents:
            add_entities(doc, repeated_names(doc), "model")
        return doc


@Language.factory("citegraph_repeats")
def make_repeats(nlp: Language, name: str) -> RepeatsComponent:
    return RepeatsComponent(nlp, name)
