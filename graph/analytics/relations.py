"""What the abstracts state about entities: the typed relation edges (USED_FOR, EVALUATE_FOR, COMPARE, ...)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from citegraph.graph.analytics.views import display_name

__all__ = ["RELATION_TYPES", "typed_relations", "find_entity", "evaluated_on"]

#: the typed relation edge types, SciERC's seven labels with the hyphen an underscore
RELATION_TYPES: tuple[str, ...] = ("USED_FOR", "FEATURE_OF", "HYPONYM_OF", "PART_OF", "COMPARE", "CONJUNCTION",
                                   "EVALUATE_FOR")


def typed_relations(G: nx.DiGraph, types: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every typed relation edge of ``G`` (of ``types``, default all), from its head to its tail, the most stated
    first (papers, then score, then type, head and tail).

    Parameters
    ----------
    G : nx.DiGraph
        A build graph. Not modified.
    types : iterable of str, optional
        Edge types to keep (:data:`RELATION_TYPES`).

    Returns
    -------
    list of dict
        ``{"type", "head", "head_name", "head_label", "tail", "tail_name", "tail_label", "papers", "score",
        "paper_ids", "evidence"}``.

    Examples
    --------
    >>> from citegraph.testing import graph_from_papers
    >>> G = graph_from_papers({"p1": ([], ["bert", "squad"], [])}, {"bert": ("method", "BERT"),
    ...                       "squad": ("dataset", "SQuAD")}, relations={"p1": [("squad", "EVALUATE-FOR", "bert")]})
    >>> [(r["head_name"], r["type"], r["tail_name"], r["papers"]) for r in typed_relations(G)]
    [('SQuAD', 'EVALUATE_FOR', 'BERT', 1)]
    """
    wanted = set(RELATION_TYPES if types is None else types)
    unknown = wanted - set(RELATION_TYPES)
    if unknown:
        raise ValueError(f"unknown relation type(s) {sorted(unknown)}; expected some of {RELATION_TYPES}")
    out = []
    for _, _, d in G.edges(data=True):
        if d.get("type") in wanted:
            head, tail = d["head"], d["tail"]
            out.append({"type": d["type"], "head": head, "head_name": display_name(G, head),
                        "head_label": G.nodes[head].get("label", ""), "tail": tail,
                        "tail_name": display_name(G, tail), "tail_label": G.nodes[tail].get("label", ""),
                        "papers": d["papers"], "score": d["score"], "paper_ids": list(d["paper_ids"]),
                        "evidence": [dict(e) for e in d.get("evidence", ())]})
    out.sort(key=lambda r: (-r["papers"], -r["score"], r["type"], r["head"], r["tail"]))
    return out


def find_entity(G: nx.DiGraph, name: str) -> str | None:
    """The entity node named ``name``: its key, name or any alias, case-insensitive (the most mentioned of several).

    >>> from citegraph.testing import toy_graph
    >>> find_entity(toy_graph(), "question answering"), find_entity(toy_graph(), "nothing")
    ('entity:qa', None)
    """
    wanted = name.strip().lower()
    found = [n for n, d in G.nodes(data=True) if d.get("kind") == "entity"
             and (d.get("key") == wanted or str(d.get("name", "")).lower() == wanted
                  or any(str(a).lower() == wanted for a in d.get("aliases", ())))]
    return min(found, key=lambda n: (-G.nodes[n].get("mention_count", 0), n)) if found else None


def evaluated_on(G: nx.DiGraph, entity: str, labels: Iterable[str] = ("dataset",)) -> list[dict[str, Any]]:
    """The entities of ``labels`` that evaluate ``entity`` (a node id): the heads of its EVALUATE_FOR edges, the
    most stated first. "Which datasets evaluate BERT": ``evaluated_on(G, find_entity(G, "BERT"))``.

    >>> from citegraph.testing import graph_from_papers
    >>> G = graph_from_papers({"p1": ([], ["bert", "squad", "f1"], [])}, {"bert": ("method", "BERT"),
    ...     "squad": ("dataset", "SQuAD"), "f1": ("metric", "F1")},
    ...     relations={"p1": [("squad", "EVALUATE-FOR", "bert"), ("f1", "EVALUATE-FOR", "bert")]})
    >>> [r["head_name"] for r in evaluated_on(G, "entity:bert")], len(evaluated_on(G, "entity:bert", ("metric",)))
    (['SQuAD'], 1)
    """
    kinds = set(labels)
    return [r for r in typed_relations(G, ("EVALUATE_FOR",)) if r["tail"] == entity and r["head_label"] in kinds]
