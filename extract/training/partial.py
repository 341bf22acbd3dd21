"""Training on partly annotated text: TDMSci marks tasks, datasets and metrics, not methods or concepts.

spaCy's span categorizer takes every candidate span that is not a gold span as "not an entity". In a TDMSci
sentence a method or a concept is not marked, so that would teach the model that "BERT" is not an entity. A
partly annotated doc carries one span under :data:`PARTIAL_KEY` covering the text, labelled with the labels it
annotates (``"dataset metric task"``); in it, a candidate that overlaps no gold span is known not to be one of
those labels and learns only that (its scores for the other labels and for "not an entity" get no gradient), while
a gold span and a candidate that overlaps one (a wrong boundary) are learned as usual.

Only training changes: the trained component is spaCy's own ``spancat_singlelabel``, and the shipped pipeline does
not import this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import numpy
from spacy.pipeline.spancat import SpanCategorizer
from spacy.tokens import Doc, Span

__all__ = ["PARTIAL_KEY", "mark_partial", "unknown_rows", "partial_annotation"]

#: the ``doc.spans`` key of the stretch of a reference doc whose unmarked spans are unknown, not negatives
PARTIAL_KEY = "citegraph_partial"


def mark_partial(doc: Doc, labels: Iterable[str]) -> None:
    """Mark all of ``doc`` as annotated for ``labels`` only."""
    doc.spans[PARTIAL_KEY] = [Span(doc, 0, len(doc), label=" ".join(sorted(labels)))]


def unknown_rows(candidates: numpy.ndarray, gold: list[tuple[int, int]],
                 partial: list[tuple[int, int]]) -> list[int]:
    """Rows of ``candidates`` (``[start, end)`` token pairs) inside a partial stretch that overlap no gold span.

    >>> unknown_rows(numpy.array([[0, 1], [1, 3], [2, 3], [5, 6]]), gold=[(2, 4)], partial=[(0, 5)])
    [0]
    """
    rows = []
    for row, (start, end) in enumerate(candidates.tolist()):
        if not any(s <= start and end <= e for s, e in partial):
            continue
        if any(start < ge and gs < end for gs, ge in gold):
            continue
        rows.append(row)
    return rows


@contextmanager
def partial_annotation() -> Iterator[None]:
    """Within the block, the span categorizer's loss leaves the unknown candidates of partly annotated docs out."""
    original = SpanCategorizer.get_loss

    def get_loss(self, examples, spans_scores):
        examples = list(examples)
        loss, d_scores = original(self, examples, spans_scores)
        spans, _ = spans_scores
        lengths = self.model.ops.to_numpy(spans.lengths)
        data = self.model.ops.to_numpy(spans.dataXd)
        offset, changed = 0, False
        for eg, n in zip(examples, lengths):
            partial = eg.reference.spans.get(PARTIAL_KEY)
            if partial:
                gold = [(s.start, s.end) for s in self._get_aligned_spans(eg)]
                # the reference's partial stretch on the predicted doc's tokens (same tokenizer: same indices)
                stretch = [(s.start, s.end) for s in partial]
                rows = [offset + r for r in unknown_rows(data[offset:offset + n], gold, stretch)]
                unknown = [i for label, i in self._label_map.items() if label not in partial[0].label_.split()]
                if self.add_negative_label:
                    unknown.append(self._negative_label_i)
                if rows and unknown:
                    d_scores[numpy.ix_(rows, unknown)] = 0.0
                    changed = True
            offset += int(n)
        if changed:
            loss = float((d_scores ** 2).sum())
        return loss, d_scores

    SpanCategorizer.get_loss = get_loss
    try:
        yield
    finally:
        SpanCategorizer.get_loss = original
