"""A citegraph graph as the parameter rows of a Neo4j push: nodes grouped by label, relationships by type and end
labels, every property a Neo4j value (lists of one primitive type, anything else as JSON text) and every row with
the digest of what it writes. Kinds, labels and types are checked against fixed tables here, so that no value
from the data ever becomes part of a query."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from citegraph.extract.records import LABELS, CitegraphError
from citegraph.graph.build.typed_relations import RELATION_TYPES

__all__ = ["GraphRows", "graph_rows", "typed_relation_row"]

#: the property naming the build directory a node or relationship was last pushed from (its manifest's lineage)
LINEAGE = "citegraph_lineage"
NODE_LABELS: dict[str, str] = {"paper": "Paper", "entity": "Entity", "reference": "Reference", "author": "Author"}
KIND_LABELS: dict[str, str] = {label: label.capitalize() for label in LABELS}
#: the typed relations between entities (USED_FOR, ...): pushed from ``head`` to ``tail``
TYPED_RELATION_TYPES: tuple[str, ...] = tuple(RELATION_TYPES.values())
REL_TYPES: tuple[str, ...] = ("MENTIONS", "CO_OCCURS", "RELATED_TO", "CITES", "WROTE") + TYPED_RELATION_TYPES


def _value(value: Any) -> Any:
    """A Neo4j property value: primitives and homogeneous lists of them; anything else as JSON text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_value(v) for v in value if v is not None]
        if all(isinstance(v, str) for v in items) or all(isinstance(v, bool) for v in items) or \
                all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items):
            return items
        return [json.dumps(v, ensure_ascii=False, sort_keys=True) if not isinstance(v, str) else v for v in items]
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _props(attrs: Mapping[str, Any], drop: Iterable[str] = ()) -> dict[str, Any]:
    dropped = set(drop)
    return {k: _value(v) for k, v in sorted(attrs.items()) if k not in dropped and v is not None}


def _digest(props: Mapping[str, Any]) -> str:
    return hashlib.sha1(json.dumps(props, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:20]


@dataclass
class GraphRows:
    """The graph as parameter rows: nodes grouped by (node label, kind label), edges by (type, source, target label)."""

    nodes: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def n_rels(self) -> int:
        return sum(len(v) for v in self.rels.values())


def graph_rows(G: nx.DiGraph, *, lineage: str | None = None) -> GraphRows:
    """Rows for every node and edge of a citegraph graph, in a deterministic order; validates kinds and types.
    ``lineage`` (the build directory's, see :func:`push_graph`) is written on every node and relationship as
    ``citegraph_lineage``."""
    tag = {LINEAGE: lineage} if lineage else {}
    nodes: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    label_of: dict[str, str] = {}
    for n, attrs in sorted(G.nodes(data=True)):
        kind = attrs.get("kind")
        if kind not in NODE_LABELS:
            raise CitegraphError(f"node {n!r} has kind {kind!r}; expected one of {tuple(NODE_LABELS)}")
        extra = ""
        if kind == "entity":
            if attrs.get("label") not in KIND_LABELS:
                raise CitegraphError(f"entity {n!r} has label {attrs.get('label')!r}; expected one of {LABELS}")
            extra = KIND_LABELS[attrs["label"]]
        props = _props(attrs) | tag
        props["id"] = str(n)
        if kind == "paper":
            props["paper_id"] = str(n).split(":", 1)[1] if ":" in str(n) else str(n)
        label_of[n] = NODE_LABELS[kind]
        nodes[(NODE_LABELS[kind], extra)].append({"id": str(n), "props": props, "hash": _digest(props)})
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, attrs in sorted(G.edges(data=True), key=lambda e: (e[0], e[1])):
        rtype = attrs.get("type")
        if rtype not in REL_TYPES:
            raise CitegraphError(f"edge {u!r} -> {v!r} has type {rtype!r}; expected one of {REL_TYPES}")
        if rtype in TYPED_RELATION_TYPES:
            u, v, props = typed_relation_row(u, v, attrs)
        else:
            props = _props(attrs, drop=("type",))
        props = props | tag
        rels[(rtype, label_of[u], label_of[v])].append(
            {"source": str(u), "target": str(v), "props": props, "hash": _digest(props)})
    return GraphRows(dict(nodes), dict(rels))


def typed_relation_row(u: str, v: str, attrs: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """A typed relation edge (stored once per entity pair, ``u > v``) as the relationship it states, from its
    ``head`` to its ``tail``, with its properties (papers, paper_ids, score, evidence as JSON texts).

    >>> typed_relation_row("entity:squad", "entity:bert", {"type": "EVALUATE_FOR", "head": "entity:squad",
    ...     "tail": "entity:bert", "papers": 1, "evidence": [{"paper": "p1", "start": 0}]})
    ('entity:squad', 'entity:bert', {'evidence': ['{"paper": "p1", "start": 0}'], 'papers': 1})
    """
    head, tail = attrs.get("head"), attrs.get("tail")
    if {head, tail} != {u, v}:
        raise CitegraphError(f"{attrs.get('type')} edge {u!r} -> {v!r} has head {head!r} and tail {tail!r}; "
                             "expected the edge's two entities")
    return head, tail, _props(attrs, drop=("type", "head", "tail"))
