"""Similar papers: the most related pairs, and a paper's nearest papers with the shared entities that explain them.

Similarity is the build's ``RELATED_TO`` weight: the sum of ``ln(N / df)`` over the entities two papers share
(``N`` papers, ``df`` papers mentioning the entity), so a shared rare entity counts more than a shared common one.
When a graph has no ``RELATED_TO`` edges it is computed the same way from ``MENTIONS``.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any

import networkx as nx

from citegraph.graph.analytics.views import display_name, entity_papers, nodes_of_kind, paper_graph

__all__ = ["similar_pairs", "nearest_papers", "related_graph"]


def _idf(G: nx.DiGraph) -> dict[str, float]:
    n = len(nodes_of_kind(G, "paper"))
    return {e: math.log(n / len(ps)) for e, ps in entity_papers(G).items() if ps}


def related_graph(G: nx.DiGraph) -> nx.Graph:
    """The undirected related-paper graph: ``RELATED_TO`` edges, or computed from ``MENTIONS`` when there are none.

    >>> from citegraph.testing import toy_graph
    >>> import networkx as nx
    >>> H = toy_graph()
    >>> H.remove_edges_from([(u, v) for u, v, t in H.edges(data="type") if t == "RELATED_TO"])
    >>> P = related_graph(H)
    >>> P.number_of_edges(), round(P["paper:p4"]["paper:p5"]["weight"], 4)
    (5, 1.8326)
    """
    P = paper_graph(G)
    if P.number_of_edges():
        return P
    idf = _idf(G)
    shared: dict[tuple[str, str], list[str]] = {}
    for e, ps in entity_papers(G).items():
        for a, b in combinations(ps, 2):
            shared.setdefault((a, b), []).append(e)
    for (a, b), ents in sorted(shared.items()):
        P.add_edge(a, b, weight=sum(idf[e] for e in ents), shared=len(ents), shared_entities=sorted(ents))
    return P


def _is_related(d: dict) -> bool:
    """A RELATED_TO edge, or a CITES edge between related papers (it carries the RELATED_TO attributes)."""
    return d.get("type") == "RELATED_TO" or (d.get("type") == "CITES" and "shared_entities" in d)


def _has_related(G: nx.DiGraph) -> bool:
    return any(_is_related(d) for _, _, d in G.edges(data=True))


def _related_at(G: nx.DiGraph, node: str) -> dict[str, dict]:
    """``{other paper: {"weight", "shared_entities"}}`` of one paper, read from its own ``RELATED_TO`` edges."""
    out = {}
    for other, d in [*G.succ[node].items(), *G.pred[node].items()]:
        if _is_related(d):
            ents = [e if str(e).startswith("entity:") else f"entity:{e}" for e in d.get("shared_entities") or []]
            out[other] = {"weight": float(d.get("weight", 0.0)), "shared_entities": sorted(ents)}
    return out


def _paper_id(G: nx.DiGraph, paper: str) -> str:
    node = paper if paper.startswith("paper:") else f"paper:{paper}"
    if node not in G or G.nodes[node].get("kind") != "paper":
        raise ValueError(f"unknown paper {paper!r}; expected a paper id such as 'paper:2403.01234' or '2403.01234'")
    return node


def similar_pairs(G: nx.DiGraph, top: int = 10) -> list[dict[str, Any]]:
    """The ``top`` most similar paper pairs, with the entities they share.

    Returns
    -------
    list of dict
        ``{"a", "a_title", "b", "b_title", "weight", "shared_entities": [names]}``, highest weight first, ties by
        ids.

    Examples
    --------
    p1 and p2 share BERT (df 2) and SQuAD, QA (df 3): ``ln(5/2) + 2 ln(5/3) = 1.938``; p4 and p5 share ImageNet and
    ResNet (df 2 each): ``2 ln(5/2) = 1.833``.

    >>> from citegraph.testing import toy_graph
    >>> [(p["a"], p["b"], round(p["weight"], 3), p["shared_entities"]) for p in similar_pairs(toy_graph(), 2)]
    [('paper:p1', 'paper:p2', 1.938, ['BERT', 'question answering', 'SQuAD']), ('paper:p4', 'paper:p5', 1.833, ['ImageNet', 'ResNet'])]
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    P = related_graph(G)
    edges = sorted(P.edges(data=True), key=lambda e: (-round(e[2]["weight"], 12), e[0], e[1]))[:top]
    return [
        {"a": a, "a_title": display_name(G, a), "b": b, "b_title": display_name(G, b), "weight": d["weight"],
         "shared_entities": [display_name(G, e) for e in d["shared_entities"]]}
        for a, b, d in edges
    ]


def nearest_papers(G: nx.DiGraph, paper: str, top: int = 5) -> list[dict[str, Any]]:
    """The papers most similar to ``paper``, each with the shared entities that explain it, rarest first.

    Parameters
    ----------
    G : nx.DiGraph
        A build graph. Not modified.
    paper : str
        A paper node id (``paper:<id>``) or bare paper id.
    top : int
        How many neighbours.

    Returns
    -------
    list of dict
        ``{"id", "title", "weight", "shared": [{"id", "name", "label", "idf"}]}``, most similar first.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> for n in nearest_papers(toy_graph(), "p3"):
    ...     print(n["id"], round(n["weight"], 4), [s["name"] for s in n["shared"]])
    paper:p1 1.0217 ['question answering', 'SQuAD']
    paper:p2 1.0217 ['question answering', 'SQuAD']
    paper:p4 0.9163 ['GPT']
    """
    node = _paper_id(G, paper)
    related = _related_at(G, node)
    if not related and not _has_related(G):
        related = dict(related_graph(G)[node])
    n_papers = len(nodes_of_kind(G, "paper"))
    idf = {}
    for d in related.values():
        for e in d["shared_entities"]:
            if e in G and e not in idf:
                df = sum(1 for _, x in G.pred[e].items() if x.get("type") == "MENTIONS")
                idf[e] = math.log(n_papers / df) if df else 0.0
    neighbours = sorted(related.items(), key=lambda kv: (-round(kv[1]["weight"], 12), kv[0]))[:top]
    return [
        {
            "id": other,
            "title": display_name(G, other),
            "weight": d["weight"],
            "shared": [
                {"id": e, "name": display_name(G, e), "label": G.nodes[e].get("label", "") if e in G else "",
                 "idf": idf.get(e, 0.0)}
                for e in sorted(d["shared_entities"], key=lambda e: (-round(idf.get(e, 0.0), 12), e))
            ],
        }
        for other, d in neighbours
    ]
