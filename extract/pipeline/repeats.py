"""The repeats component: a name found once in a text is found wherever the text repeats it, and a phrase has one
label throughout a text.

The span model reads each occurrence in its own context, so in a long text it finds "TinyBERT" in one sentence and
misses it in the next. A *name* (a word with a capital inside it or a digit, as :func:`is_name` tells) means the
same thing throughout one paper, so each of its other occurrences, where no entity is, becomes an entity with the
label the name has most often in the text and the highest probability the model gave it. Phrases ("language
model") are not spread: their reading depends on the sentence. :func:`share_names` does the same across the texts
of one paper (its title and abstract), after the pipeline.

Measured with ``citegraph evaluate``: SciER dev (full papers) 62.0 -> 63.9 micro-F1; SciERC dev and the SciREX
held-out abstracts unchanged (titles and abstracts repeat few names).

Where the model gives the mentions of one phrase (one key) different labels in a text ("phrase translations" a task
in one sentence, a method in the next), :func:`agree_labels` gives them all the label with the highest summed
probability: SciERC dev 55.9 -> 56.1, SciER dev 66.8 -> 67.2, SciREX held-out unchanged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

import citegraph.extract.pipeline.entities  # noqa: F401  (the Span extensions: source, confidence)
from citegraph.extract.keys import normalise_key
from citegraph.extract.pipeline.entities import add_entities
from citegraph.extract.pipeline.names import is_name, title_case

__all__ = ["Reading", "RepeatsComponent", "agree_labels", "name_readings", "repeated_names", "share_names"]


def _marked(text: str) -> bool:
    """A capital or a digit: "TinyBERT", "C3D", "Kinetics", not "language model"."""
    return any(c.isupper() or c.isdigit() for c in text)


class Reading(NamedTuple):
    """How a text reads a name: its label, the highest probability it has with that label, and its tokens."""

    label: str
    confidence: float | None
    words: tuple[str, ...]


def name_readings(doc: Doc) -> dict[str, Reading]:
    """The names among ``doc.ents`` by text, each with the label it has most often there.

    >>> import spacy
    >>> doc = spacy.blank("en")("TinyBERT is small. We train TinyBERT and a language model.")
    >>> doc.ents = [Span(doc, 0, 1, label="method"), Span(doc, 9, 11, label="method")]
    >>> name_readings(doc)
    {'TinyBERT': Reading(label='method', confidence=None, words=('TinyBERT',))}
    """
    title_cased = title_case(doc)
    by_text: dict[str, list[Span]] = defaultdict(list)
    for e in doc.ents:
        if len(e.text) >= 2 and _marked(e.text) and is_name(e, title_cased):
            by_text[e.text].append(e)
    readings = {}
    for text, found in sorted(by_text.items()):
        labels = Counter(e.label_ for e in found)
        label = min(labels, key=lambda lab: (-labels[lab], lab))
        probabilities = [e._.confidence for e in found if e.label_ == label and e._.confidence is not None]
        readings[text] = Reading(label, max(probabilities) if probabilities else None,
                                 tuple(t.text for t in found[0]))
    return readings


def repeated_names(doc: Doc, readings: dict[str, Reading] | None = None) -> list[Span]:
    """The occurrences of names where ``doc`` has no entity, as new spans (label and probability set); they may
    overlap existing entities (:func:`add_entities` skips those). The names are ``doc``'s own
    (:func:`name_readings`) or ``readings``, those of another text of the same paper.

    >>> import spacy
    >>> doc = spacy.blank("en")("TinyBERT is small. We train TinyBERT and a language model.")
    >>> doc.ents = [Span(doc, 0, 1, label="method")]
    >>> [(s.text, s.start, s.label_) for s in repeated_names(doc)]
    [('TinyBERT', 6, 'method')]
    """
    readings = name_readings(doc) if readings is None else readings
    if not readings:
        return []
    matcher = PhraseMatcher(doc.vocab)
    for text, reading in sorted(readings.items()):
        matcher.add(text, [Doc(doc.vocab, words=list(reading.words))])
    taken = {(e.start, e.end) for e in doc.ents}
    spans = []
    for match_id, start, end in matcher(doc):
        if (start, end) in taken:
            continue
        reading = readings[doc.vocab.strings[match_id]]
        span = Span(doc, start, end, label=reading.label)
        span._.confidence = reading.confidence
        spans.append(span)
    return spans


def share_names(docs: Sequence[Doc]) -> None:
    """Across the texts of one paper (its title and abstract): a name one text found is an entity where another
    repeats it and has none, with that text's label and confidence ("EControl" of a title in its abstract). A
    name of one word must have a capital or a digit after its first letter: a title capitalises every word. Spans
    inside an in-text citation or a URL are left alone."""
    readings = [name_readings(doc) for doc in docs]
    for i, doc in enumerate(docs):
        others: dict[str, Reading] = {}
        for j, found in enumerate(readings):
            if j != i:
                for text, reading in found.items():
                    if len(reading.words) > 1 or _marked(text[1:]):  # not "Gaussian", "Scaling"
                        others.setdefault(text, reading)
        for text in readings[i]:
            others.pop(text, None)  # its own reading of a name stands
        if not others:
            continue
        cited = [(start, end) for *_, start, end in (doc._.references or ())] + \
                [(start, end) for _, start, end in (doc._.links or ())]
        new = [span for span in repeated_names(doc, others)
               if not any(start < span.end_char and span.start_char < end for start, end in cited)]
        add_entities(doc, new, "model")


def agree_labels(doc: Doc) -> None:
    """Give the entities of ``doc`` that share a key the label with the highest summed probability among them
    (ties: the most mentions, then the first label alphabetically); probabilities and sources stay.

    >>> import spacy
    >>> doc = spacy.blank("en")("Phrase translations help . We learn phrase translations and phrase translation .")
    >>> doc.ents = [Span(doc, 0, 2, label="task"), Span(doc, 6, 8, label="method"), Span(doc, 9, 11, label="method")]
    >>> agree_labels(doc)
    >>> [e.label_ for e in doc.ents]
    ['method', 'method', 'method']
    """
    ents = doc.ents
    keys = [normalise_key(e.text) for e in ents]
    by_key: dict[str, Counter] = defaultdict(Counter)
    count: dict[str, Counter] = defaultdict(Counter)
    for e, key in zip(ents, keys):
        by_key[key][e.label_] += e._.confidence if e._.confidence is not None else 0.5
        count[key][e.label_] += 1
    chosen = {key: min(labels, key=lambda lab: (-labels[lab], -count[key][lab], lab))
              for key, labels in by_key.items() if len(labels) > 1}
    if not chosen:
        return
    out = []
    for e, key in zip(ents, keys):
        label = chosen.get(key, e.label_)
        if label != e.label_:
            new = Span(doc, e.start, e.end, label=label)
            new._.source, new._.confidence = e._.source, e._.confidence
            e = new
        out.append(e)
    doc.ents = out


class RepeatsComponent:
    """Makes every other occurrence of a name among the entities an entity, then gives each phrase one label (see
    the module)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc.ents:
            add_entities(doc, repeated_names(doc), "model")
            agree_labels(doc)
        return doc


@Language.factory("citegraph_repeats")
def make_repeats(nlp: Language, name: str) -> RepeatsComponent:
    return RepeatsComponent(nlp, name)
