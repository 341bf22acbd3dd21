"""The acronym component: ``long form (SHORT)`` definitions, and their long and short forms as entities with one
label."""

from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span

from citegraph.extract.acronyms import find_definitions
from citegraph.extract.keys import KIND_WORDS
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
                short_spans = [s for s in (doc.char_span(a, b) for a, b in _uses(doc, d.short)) if s is not None]
                uses[d.short] = (short_spans, next((exact[(s.start, s.end)] for s in short_spans
                                                    if (s.start, s.end) in exact), None))
            short_spans, short_label = uses[d.short]
            label = _kind_after(doc, long_span) or label or short_label or label_by_head(d.long)
            spans.append(Span(doc, long_span.start, long_span.end, label=label))
            if first:  # later copies of the same spans would lose to the first ones in filter_spans anyway
                spans.extend(Span(doc, s.start, s.end, label=label) for s in short_spans)
        add_entities(doc, spans, "acronym")
        doc.ents = _one_entity(doc, definitions)
        return doc


_OPEN, _CLOSE = "([{", ")]}"
_OPEN_QUOTES, _QUOTES = frozenset("“"), frozenset('"“”')


def _uses(doc: Doc, short: str) -> list[tuple[int, int]]:
    """The character offsets of every use of the short form ``short`` in ``doc`` as a word of its own."""
    return [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", doc.text)]


def _kind_after(doc: Doc, long_span: Span) -> str | None:
    """The label of a kind word right after a definition's closing bracket: "... (KLUE) benchmark" -> dataset."""
    for i in range(long_span.end, min(long_span.end + 8, len(doc) - 1)):
        if doc[i].text == ")":
            return KIND_WORDS.get(doc[i + 1].text) if doc[i + 1].is_lower else None
    return None


def _one_entity(doc: Doc, definitions) -> list[Span]:
    """The entities of ``doc`` where a definition's long form and its short forms, when they are entities already,
    read as the one entity they are: one label (a kind word after the definition's bracket says it: "Multi-Genre
    Natural Language Inference (MultiNLI) corpus" is a dataset twice; else the label most of them have, the long
    form's on a tie), and the definition's two forms the model probability of the surer of them.

    >>> import spacy
    >>> from citegraph.extract.acronyms import find_definitions
    >>> doc = spacy.blank("en")("The Korean Language Understanding Evaluation (KLUE) benchmark. KLUE is new.")
    >>> doc.ents = [Span(doc, 1, 5, "task"), Span(doc, 6, 7, "method"), Span(doc, 10, 11, "method")]
    >>> for e, p in zip(doc.ents, (0.8, 0.3, None)):
    ...     e._.confidence = p
    >>> [(e.text, e.label_, e._.confidence) for e in _one_entity(doc, find_definitions(doc.text, "text"))]
    [('Korean Language Understanding Evaluation', 'dataset', 0.8), ('KLUE', 'dataset', 0.8), ('KLUE', 'dataset', None)]
    """
    ents = list(doc.ents)
    at = {(e.start_char, e.end_char): i for i, e in enumerate(ents)}
    new: dict[int, tuple[str, float | None]] = {}
    for d in definitions:
        long_span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if long_span is None:
            continue
        group = [at[(d.start, d.end)]] if (d.start, d.end) in at else []
        group += [at[use] for use in _uses(doc, d.short) if use in at]
        if len(group) < 2 or any(i in new for i in group):
            continue  # one form alone, or a short form another definition spoke for first
        votes = Counter(ents[i].label_ for i in group)
        label = _kind_after(doc, long_span) or max(votes, key=lambda lab: (votes[lab], lab == ents[group[0]].label_))
        # the definition itself, the long form and the short form in its bracket, is one reading: the surer one
        pair = [i for i in group if ents[i].start_char == d.start or d.end <= ents[i].start_char <= d.end + 3]
        sure = [ents[i]._.confidence for i in pair if ents[i]._.confidence is not None]
        for i in group:
            new[i] = (label, max(sure) if i in pair and len(pair) == 2 and sure else ents[i]._.confidence)
    out = []
    for i, e in enumerate(ents):
        if i in new and (e.label_, e._.confidence) != new[i]:
            span = Span(doc, e.start, e.end, label=new[i][0])
            span._.source, span._.confidence = e._.source, new[i][1]
            e = span
        out.append(e)
    return out


def _tidy_entities(doc: Doc, definitions) -> list[Span]:
    """The entities of ``doc`` with two model habits undone: a definition taken as one entity, ``Reinforcement
    Learning (RL)``, becomes the long form and the short form (so both get the key of the long form); a bracket
    left open or closed at an edge, ``learning rate (``, is cut off. What is left of a span that began inside a
    bracket is dropped when it is one lower-case word: the kind word of the phrase the bracket is in ("DS) theory"
    of "Dynamical systems (DS) theory", "(even randomized) algorithms"), not a name. A span is cut at a double quote
    it does not pair, keeping what the quote quotes (:func:`_without_unpaired_quote`).

    >>> import spacy
    >>> from citegraph.extract.acronyms import find_definitions
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("We use Reinforcement Learning (RL) with a learning rate ( tuned) and Adam (with decay.")
    >>> doc.ents = [Span(doc, 2, 7, "task"), Span(doc, 9, 12, "metric"), Span(doc, 15, 19, "method")]
    >>> [(e.text, e.label_) for e in _tidy_entities(doc, find_definitions(doc.text, "text"))]
    [('Reinforcement Learning', 'task'), ('RL', 'task'), ('learning rate', 'metric'), ('Adam', 'method')]
    >>> doc = nlp("Dynamical systems (DS) theory and (fast) Gibbs Sampling")
    >>> doc.ents = [Span(doc, 0, 2, "method"), Span(doc, 4, 6, "method"), Span(doc, 9, 12, "method")]
    >>> [(e.text, e.label_) for e in _tidy_entities(doc, find_definitions(doc.text, "text"))]
    [('Dynamical systems', 'method'), ('Gibbs Sampling', 'method')]
    >>> doc = nlp('the "maximum likelihood estimation" algorithm and a "near-optimal" low-precision training technique')
    >>> doc.ents = [Span(doc, 2, 7, "method"), Span(doc, 10, 19, "method")]
    >>> [e.text for e in _tidy_entities(doc, [])]
    ['maximum likelihood estimation', 'low-precision training technique']
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
            if start > span.start and doc[start - 1].text in _CLOSE and end - start == 1 and doc[start].is_lower:
                continue  # "DS) theory", "(even randomized) algorithms": the kind word of a bracketed phrase
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
            elif i == end - 1:
                end = i  # "0SHOT-TC )": the name ends before a stray close at its end
            else:
                start = i + 1  # ") foo": what comes before the stray close is not part of the name
    if opened:
        end = min(end, opened[0])  # "Adam (square root scaling": the name ends before the bracket left open
    while start < end and doc[start].text in _OPEN and doc[end - 1].text in _CLOSE:
        start, end = start + 1, end - 1
    return _without_unpaired_quote(doc, start, end)


def _without_unpaired_quote(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The token range cut at a double quote that is not paired inside it, and without quotes wrapping it. What is
    kept is what the quote quotes: before a closing one ("attention” mechanisms" -> "attention"), after an opening
    one; for a straight quote, which may be either, the longer side ('"maximum likelihood estimation" algorithm' ->
    'maximum likelihood estimation'; '"near-optimal" low-precision training technique' -> 'low-precision training
    technique')."""
    quotes = [i for i in range(start, end) if doc[i].text in _QUOTES]
    if not quotes:
        return start, end
    straight = [i for i in quotes if doc[i].text == '"']
    unpaired, opened = (straight[0] if len(straight) % 2 else None), []
    for i in (q for q in quotes if doc[q].text != '"'):
        if doc[i].text in _OPEN_QUOTES:
            opened.append(i)
        elif opened:
            opened.pop()
        elif unpaired is None:
            unpaired = i
    if unpaired is None and opened:
        unpaired = opened[0]
    if unpaired is not None:
        quote, left, right = doc[unpaired].text, doc[start:unpaired].text, doc[unpaired + 1:end].text
        keep_left = quote not in _OPEN_QUOTES if quote != '"' else len(left) >= len(right)
        start, end = (start, unpaired) if keep_left else (unpaired + 1, end)
    while end - start > 1 and doc[start].text in _QUOTES and doc[end - 1].text in _QUOTES:
        start, end = start + 1, end - 1
    return start, end


@Language.factory("citegraph_acronyms")
def make_acronyms(nlp: Language, name: str) -> AcronymComponent:
    return AcronymComponent(nlp, name)
