"""The acronym component: ``long form (SHORT)`` definitions, and their long and short forms as entities with one
label."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from citegraph.extract.acronyms import find_definitions
from citegraph.extract.pipeline.entities import TEX, add_entities, label_by_head

__all__ = ["AcronymComponent"]


class AcronymComponent:
    """Finds ``long form (SHORT)`` definitions (Schwartz–Hearst) into ``doc._.acronyms``; makes the long form and
    every use of SHORT in the doc entities with one label (the model's, else the long form's head word's)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        # TeX left in a listing ("O(dN) and its regret is {O}(dNT)") is math, not a long form
        definitions = [d for d in find_definitions(doc.text, "text") if not any(c in TEX for c in d.long + d.short)]
        doc._.acronyms = [(d.short, d.long, d.start, d.end) for d in definitions]
        doc.ents = _tidy_entities(doc, definitions)
        if not definitions:
            return doc
        spans = []
        # doc.ents and the uses of each short form, computed once: per definition they made a text with
        # thousands of definitions quadratic (``Ab Bc (AB) `` x 4,500 took 200 s)
        ents = list(doc.ents)
        label_at: list[str | None] = [None] * len(doc)  # the entity label of each token (ents never overlap)
        for e in ents:
            label_at[e.start:e.end] = [e.label_] * (e.end - e.start)
        exact = {(e.start, e.end): e.label_ for e in ents}
        uses: dict[str, list[Span]] = {}
        for d in definitions:
            long_span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if long_span is None:
                continue
            label = next((lab for lab in label_at[long_span.start:long_span.end] if lab is not None), None)
            first = d.short not in uses
            if first:
                shorts = re.finditer(rf"(?<![\w-]){re.escape(d.short)}(?![\w-])", doc.text)
                short_spans = [s for s in (doc.char_span(m.start(), m.end()) for m in shorts) if s is not None]
                uses[d.short] = (short_spans, next((exact[(s.start, s.end)] for s in short_spans
                                                    if (s.start, s.end) in exact), None))
            short_spans, short_label = uses[d.short]
            label = label or short_label or label_by_head(d.long)
            spans.append(Span(doc, long_span.start, long_span.end, label=label))
            if first:  # later copies of the same spans would lose to the first ones in filter_spans anyway
                spans.extend(Span(doc, s.start, s.end, label=label) for s in short_spans)
        add_entities(doc, spans, "acronym")
        return doc


_OPEN, _CLOSE = "([{", ")]}"


def _tidy_entities(doc: Doc, definitions) -> list[Span]:
    """The entities of ``doc`` with two model habits undone: a definition taken as one entity, ``Reinforcement
    Learning (RL)``, becomes the long form and the short form (so both get the key of the long form); a bracket
    left open or closed at an edge, ``learning rate (``, is cut off.

    >>> import spacy
    >>> from citegraph.extract.acronyms import find_definitions
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("We use Reinforcement Learning (RL) with a learning rate ( tuned) and Adam (with decay.")
    >>> doc.ents = [Span(doc, 2, 7, "task"), Span(doc, 9, 12, "metric"), Span(doc, 15, 19, "method")]
    >>> [(e.text, e.label_) for e in _tidy_entities(doc, find_definitions(doc.text, "text"))]
    [('Reinforcement Learning', 'task'), ('RL', 'task'), ('learning rate', 'metric'), ('Adam', 'method')]
    """
    out: list[Span] = []
    for e in doc.ents:
        parts = [e]
        for d in definitions:
            if e.start_char <= d.start and d.end < e.end_char:
                tail = doc.text[d.end:e.end_char]
                m = re.fullmatch(rf"\s*\(\s*({re.escape(d.short)})\s*\)?", tail)
                long_span = doc.char_span(e.start_char, d.end, label=e.label_)
                short = doc.char_span(d.end + m.start(1), d.end + m.end(1), label=e.label_) if m else None
                if long_span is not None and short is not None:
                    parts = [long_span, short]
                break
        for span in parts:
            start, end = _balanced(doc, span.start, span.end)
            if end > start and not _unbalanced(doc[start:end].text):  # a bracket inside a token: a broken span
                tidy = span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label_)
                tidy._.source, tidy._.confidence = e._.source, e._.confidence
                out.append(tidy)
    return out


def _unbalanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if depth < 0:
            return True
    return depth != 0


def _balanced(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The token range without a bracket that is not closed inside it (and what lies beyond such a bracket), nor a
    bracket pair wrapping the whole range."""
    opened: list[int] = []
    for i in range(start, end):
        text = doc[i].text
        if text in _OPEN:
            opened.append(i)
        elif text in _CLOSE:
            if opened:
                opened.pop()
            else:
                start = i + 1  # ") foo": what comes before the stray close is not part of the name
    if opened:
        end = min(end, opened[0])  # "Adam (square root scaling": the name ends before the bracket left open
    while start < end and doc[start].text in _OPEN and doc[end - 1].text in _CLOSE:
        start, end = start + 1, end - 1
    return start, end


@Language.factory("citegraph_acronyms")
def make_acronyms(nlp: Language, name: str) -> AcronymComponent:
    return AcronymComponent(nlp, name)
