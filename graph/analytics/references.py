"""Reference analysis: the most cited author-year references, which papers cite them, and co-citation."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import networkx as nx

from citegraph.graph.analytics.views import display_name, paper_reference_graph

__all__ = ["top_references", "cocited_references", "coupled_papers"]


def top_references(G: nx.DiGraph, top: int = 10) -> list[dict[str, Any]]:
    """The ``top`` references cited by the most papers, with those papers.

    Returns
    -------
    list of dict
        ``{"id", "name", "papers", "citing": [paper ids]}``, most cited first, ties by id.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> [(r["name"], r["papers"], r["citing"]) for r in top_references(toy_graph(), 2)]
    [('Devlin et al., 2019', 3, ['paper:p1', 'paper:p2', 'paper:p3']), ('He et al., 2016', 2, ['paper:p4', 'paper:p5'])]
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    R = paper_reference_graph(G)
    refs = [n for n, b in R.nodes(data="bipartite") if b == 1]
    ranked = sorted(refs, key=lambda r: (-R.degree(r), r))[:top]
    return [{"id": r, "name": display_name(G, r), "papers": R.degree(r), "citing": sorted(R[r])} for r in ranked]


def _shared_pairs(R: nx.Graph, side: int, min_shared: int) -> list[tuple[str, str, list[str]]]:
    """Pairs of ``side`` nodes with the nodes of the other side they share (the bipartite projection)."""
    shared: dict[tuple[str, str], list[str]] = {}
    for hub in sorted(n for n, b in R.nodes(data="bipartite") if b != side):
        for a, b in combinations(sorted(R[hub]), 2):
            shared.setdefault((a, b), []).append(hub)
    return [(a, b, hubs) for (a, b), hubs in shared.items() if len(hubs) >= min_shared]


def cocited_references(G: nx.DiGraph, top: int = 10, *, min_papers: int = 1) -> list[dict[str, Any]]:
    """Co-citation: pairs of references cited together by at least ``min_papers`` papers, most first.

    Returns
    -------
    list of dict
        ``{"a", "a_name", "b", "b_name", "papers", "citing": [paper ids]}``.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> [(c["a_name"], c["b_name"], c["citing"]) for c in cocited_references(toy_graph())]
    [('Devlin et al., 2019', 'Rajpurkar et al., 2016', ['paper:p2'])]
    """
    R = paper_reference_graph(G)
    pairs = _shared_pairs(R, side=1, min_shared=min_papers)
    pairs.sort(key=lambda p: (-len(p[2]), p[0], p[1]))
    return [{"a": a, "a_name": display_name(G, a), "b": b, "b_name": display_name(G, b), "papers": len(hubs),
             "citing": hubs} for a, b, hubs in pairs[:top]]


def coupled_papers(G: nx.DiGraph, top: int = 10, *, min_shared: int = 1) -> list[dict[str, Any]]:
    """Bibliographic coupling: pairs of papers that cite at least ``min_shared`` of the same references.

    Returns
    -------
    list of dict
        ``{"a", "a_title", "b", "b_title", "shared": [reference names]}``, most shared first, ties by ids.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> [(c["a"], c["b"], c["shared"]) for c in coupled_papers(toy_graph(), 2)]
    [('paper:p1', 'paper:p2', ['Devlin et al., 2019']), ('paper:p1', 'paper:p3', ['Devlin et al., 2019'])]
    """
    R = paper_reference_graph(G)
    pairs = _shared_pairs(R, side=0, min_shared=min_shared)
    pairs.sort(key=lambda p: (-len(p[2]), p[0], p[1]))
    return [{"a": a, "a_title": display_name(G, a), "b": b, "b_title": display_name(G, b),
             "shared": [display_name(G, r) for r in hubs]} for a, b, hubs in pairs[:top]]
