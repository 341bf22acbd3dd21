"""Typed relation edges: the relations the extractor states in sentences (``Extraction.relations``), aggregated
over papers into entity → entity edges typed ``USED_FOR``, ``EVALUATE_FOR``, ``FEATURE_OF``, ``HYPONYM_OF``,
``PART_OF``, ``COMPARE`` and ``CONJUNCTION`` (SciERC's labels, the hyphen an underscore as Neo4j writes types).

An edge carries ``head`` and ``tail`` (entity node ids: *head* USED_FOR *tail*), ``papers`` (how many papers state
it; also ``weight``), ``paper_ids``, ``score`` (the mean of the statements' scores) and ``evidence``: the sentences
that state it, ``{"paper", "field", "start", "end"}`` (at most :data:`MAX_EVIDENCE`, by paper id).

The graph is a directed graph with one edge per ordered pair of nodes, and each co-occurring entity pair already
has its CO_OCCURS edge from the smaller id to the larger. A typed edge is therefore stored the other way, from the
larger id to the smaller, once per entity pair, and ``head`` and ``tail`` say which way the relation goes. When
the papers state more than one relation between the same two entities, the edge is the one most papers state
(then the higher mean score, then SciERC's label order); :func:`relation_statements` gives them all.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from citegraph.extract.records import RELATION_LABELS, Extraction, Paper
from citegraph.graph.build.ids import entity_id

__all__ = ["RELATION_TYPES", "MAX_EVIDENCE", "relation_type", "relation_statements", "typed_relation_edges"]

#: the edge type of each relation label: USED-FOR -> USED_FOR
RELATION_TYPES: dict[str, str] = {label: label.replace("-", "_") for label in RELATION_LABELS}
SYMMETRIC_TYPES = ("COMPARE", "CONJUNCTION")
#: sentences kept as an edge's evidence
MAX_EVIDENCE = 10


def relation_type(label: str) -> str:
    """The edge type of a relation label.

    >>> relation_type("EVALUATE-FOR")
    'EVALUATE_FOR'
    """
    if label not in RELATION_TYPES:
        raise ValueError(f"unknown relation label {label!r}; expected one of {RELATION_LABELS}")
    return RELATION_TYPES[label]


def _sentence_of(x: Extraction) -> Callable[[str, int], tuple[int, int] | None]:
    starts: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in x.sentences:
        starts[s.field].append((s.start, s.end))
    for spans in starts.values():
        spans.sort()

    def find(field: str, pos: int) -> tuple[int, int] | None:
        spans = starts.get(field, [])
        i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
        return spans[i] if i >= 0 and spans[i][0] <= pos < spans[i][1] else None

    return find


def relation_statements(papers: Sequence[Paper], extractions: Sequence[Extraction]) -> Iterator[dict]:
    """Every relation stated in a paper, with keys resolved: ``{"head", "tail"`` (entity node ids), ``"type"``,
    ``"paper"``, ``"field"``, ``"start"``, ``"end"`` (the sentence), ``"score"}``; symmetric types with the smaller
    id as head; a relation between two spellings of one entity is left out."""
    for p, x in zip(papers, extractions):
        if not x.relations:
            continue
        sentence = _sentence_of(x)
        for r in x.relations:
            h, t = x.mentions[r.head], x.mentions[r.tail]
            if h.key == t.key:
                continue
            rtype = relation_type(r.label)
            head, tail = entity_id(h.key), entity_id(t.key)
            if rtype in SYMMETRIC_TYPES and tail < head:
                head, tail = tail, head
            span = sentence(h.field, h.start) or (min(h.start, t.start), max(h.end, t.end))
            yield {"head": head, "tail": tail, "type": rtype, "paper": p.id, "field": h.field, "start": span[0],
                   "end": span[1], "score": float(r.score)}


def typed_relation_edges(papers: Sequence[Paper], extractions: Sequence[Extraction]) -> list[tuple[str, str, dict]]:
    """The typed relation edges ``(u, v, attributes)`` with ``u > v``, sorted (see the module's description).

    >>> from citegraph.extract.records import Mention, Relation, Sentence
    >>> m = lambda text, start: Mention(text, "method", start, start + len(text), "abstract", text.lower())
    >>> text = "BERT is evaluated on SQuAD."
    >>> x = Extraction("p1", "T", (m("BERT", 0), m("SQuAD", 21)), sentences=(Sentence("abstract", 0, 27),),
    ...                relations=(Relation(1, 0, "EVALUATE-FOR", 0.8),))
    >>> [(u, v, d["type"], d["head"], d["papers"]) for u, v, d in typed_relation_edges([Paper("p1", "T", text)], [x])]
    [('entity:squad', 'entity:bert', 'EVALUATE_FOR', 'entity:squad', 1)]
    >>> typed_relation_edges([Paper("p1", "T", text)], [x])[0][2]["evidence"]
    [{'paper': 'p1', 'field': 'abstract', 'start': 0, 'end': 27}]
    """
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for s in relation_statements(papers, extractions):
        groups[(s["head"], s["tail"], s["type"])].append(s)
    order = {t: i for i, t in enumerate(RELATION_TYPES.values())}
    best: dict[tuple[str, str], tuple] = {}
    for (head, tail, rtype), statements in groups.items():
        paper_ids = sorted({s["paper"] for s in statements})
        score = round(sum(s["score"] for s in statements) / len(statements), 4)
        evidence = sorted({(s["paper"], s["field"], s["start"], s["end"]) for s in statements})[:MAX_EVIDENCE]
        attrs = {"type": rtype, "head": head, "tail": tail, "papers": len(paper_ids), "weight": len(paper_ids),
                 "paper_ids": paper_ids, "score": score,
                 "evidence": [{"paper": a, "field": f, "start": s, "end": e} for a, f, s, e in evidence]}
        pair = (max(head, tail), min(head, tail))
        rank = (-len(paper_ids), -score, order[rtype], head)
        if pair not in best or rank < best[pair][0]:
            best[pair] = (rank, attrs)
    return [(u, v, best[(u, v)][1]) for u, v in sorted(best)]
