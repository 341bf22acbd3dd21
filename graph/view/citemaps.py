"""The graphs the citation maps draw, derived from a build's citation network (``CITES`` and ``WROTE`` edges, see
:mod:`citegraph.graph.build.citations`): direct citations between papers of the corpus (a historiograph, laid out by
year, with its main path), co-citation of works, bibliographic coupling of papers, and co-authorship.

Their links are not in the build graph: each has its own type in the style table (``CO_CITED``, ``COUPLED``,
``CO_AUTHOR``) and the side panel finds its evidence again in the build graph (the papers citing both works, the
references both papers cite, the papers both authors wrote: :meth:`citegraph.graph.view.data.Evidence.edge_evidence`).
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from citegraph.extract.records import CitegraphError
from citegraph.graph.analytics.citations import coauthor_graph, historiograph, search_path_counts

__all__ = ["CITATION_MODES", "MIN_COCITED", "STRONGEST_LINKS", "MAIN_PATH_COLOUR", "citation_map", "main_path_edges",
           "mark_main_path"]

#: The citation map modes and the node kinds each one can filter on.
CITATION_MODES: dict[str, tuple[str, ...]] = {"citations": ("paper",), "cocitation": ("paper", "reference"),
                                              "coupling": ("paper",), "coauthors": ("author",)}
#: A work is on the co-citation map when at least this many papers of the corpus cite it (a work cited once is
#: co-cited only by that paper, with each of its other references: noise that would hide the clusters).
MIN_COCITED = 2
#: On the co-citation and coupling maps, a link is kept when it is among the strongest this many of one of its ends
#: (ties by the other end's id): a corpus citing a few popular works links nearly every pair of papers, and a page
#: draws a backbone of a few links per node anyway.
STRONGEST_LINKS = 30
#: The main path of the citations map: its links (the legend draws them so too).
MAIN_PATH_COLOUR = "#5b2c6f"

_WHAT = {"citations": "direct citations between papers of the corpus, by publication year",
         "cocitation": f"works cited by at least {MIN_COCITED} papers, linked by the papers citing both",
         "coupling": "papers linked by the references they share (Salton strength)",
         "coauthors": "authors linked by the papers they wrote together"}
_WHY_EMPTY = {
    "citations": "no paper of this build cites another paper of it",
    "cocitation": f"no paper of this build cites two works that at least {MIN_COCITED} of its papers cite",
    "coupling": "no two papers of this build cite the same work",
    "coauthors": "no two authors of this build wrote a paper together",
}
_HINT = (" Citation maps need bibliographic exports with cited references and authors (Web of Science, Scopus, "
         "OpenAlex, ...: see docs/input-formats.md).")


def citation_map(G: nx.DiGraph, mode: str) -> tuple[nx.Graph, str]:
    """The undirected graph a citation map of ``mode`` draws, and what it shows in words (``H.graph["pruned"]``:
    the co-citation or coupling links left out as not among the ``STRONGEST_LINKS`` of either end). Nodes keep the
    build
    graph's attributes plus ``kind_label``, ``paper_count`` (what sizes them: citations within the corpus,
    citing papers, references, or papers written) and ``first_date`` (the year when the node has no date); edges
    carry ``type``, ``weight`` and, for citations, ``source_node`` (the citing paper), ``spc`` and ``main_path``.

    Raises :class:`~citegraph.extract.records.CitegraphError` when the view has no link to draw, saying why.

    >>> from citegraph.testing import toy_citing_graph
    >>> H, _ = citation_map(toy_citing_graph(), "coupling")
    >>> sorted((u, v, d["shared"], d["weight"]) for u, v, d in H.edges(data=True))  # doctest: +NORMALIZE_WHITESPACE
    [('paper:b', 'paper:c', 2, 0.816497), ('paper:b', 'paper:d', 2, 0.816497), ('paper:c', 'paper:d', 2, 0.666667)]
    >>> H, _ = citation_map(toy_citing_graph(), "citations")
    >>> sorted((d["source_node"], d["main_path"]) for _, _, d in H.edges(data=True))[-2:]
    [('paper:d', False), ('paper:d', True)]
    """
    if mode not in CITATION_MODES:
        raise CitegraphError(f"unknown citation map {mode!r}; expected one of {tuple(CITATION_MODES)}")
    H = {"citations": _citations, "cocitation": _cocitation, "coupling": _coupling, "coauthors": _coauthors}[mode](G)
    if H.number_of_edges() == 0:
        raise CitegraphError(f"nothing to draw on the {mode} map: {_WHY_EMPTY[mode]}.{_HINT}")
    return H, _WHAT[mode]


def _add(H: nx.Graph, G: nx.DiGraph, n: str, count: int, **more) -> None:
    d = G.nodes[n]
    year = d.get("year")
    H.add_node(n, **{**d, "kind_label": str(d.get("kind", "")), "paper_count": int(count),
                     "first_date": str(d.get("first_date") or (year if year is not None else "")), **more})


def _cites(G: nx.DiGraph) -> list[tuple[str, str]]:
    """The ``(citing paper, cited work)`` pairs of the build, sorted."""
    return sorted((u, v) for u, v, t in G.edges(data="type")
                  if t == "CITES" and G.nodes[u].get("kind") == "paper")


def main_path_edges(G: nx.DiGraph) -> list[tuple[str, str]]:
    """The ``(citing, cited)`` citations along the main path of the direct citation network (the strongest edge by
    search path count, followed by the strongest edges both ways; :func:`~citegraph.graph.analytics.citations.
    historiograph`).

    >>> from citegraph.testing import toy_citing_graph
    >>> main_path_edges(toy_citing_graph())
    [('paper:d', 'paper:c'), ('paper:c', 'paper:a')]
    """
    path = historiograph(G, top=1)["main_path"]
    return list(zip(path, path[1:]))


def _citations(G: nx.DiGraph) -> nx.Graph:
    spc = search_path_counts(G)
    main = set(main_path_edges(G)) if spc else set()
    cited = {}
    for _, v in spc:
        cited[v] = cited.get(v, 0) + 1
    H = nx.Graph()
    for n in sorted({n for e in spc for n in e}):
        _add(H, G, n, cited.get(n, 0))
    for (u, v), s in sorted(spc.items()):
        if H.has_edge(u, v):  # two papers citing each other: keep one, the reading with the higher count
            if H.edges[u, v]["spc"] >= s:
                continue
        H.add_edge(u, v, type="CITES", weight=float(max(s, 1)), spc=s, source_node=u, main_path=(u, v) in main)
    return H


def _incidence(pairs: list[tuple[str, str]]) -> tuple[list[str], list[str], sp.csr_matrix]:
    rows = sorted({u for u, _ in pairs})
    cols = sorted({v for _, v in pairs})
    ri, ci = {n: i for i, n in enumerate(rows)}, {n: j for j, n in enumerate(cols)}
    X = sp.csr_matrix((np.ones(len(pairs), dtype=np.int64), ([ri[u] for u, _ in pairs], [ci[v] for _, v in pairs])),
                      shape=(len(rows), len(cols)))
    return rows, cols, X


def _cocitation(G: nx.DiGraph) -> nx.Graph:
    pairs = _cites(G)
    citing_count: dict[str, int] = {}
    for _, v in pairs:
        citing_count[v] = citing_count.get(v, 0) + 1
    pairs = [(u, v) for u, v in pairs if citing_count[v] >= MIN_COCITED]
    H = nx.Graph()
    if not pairs:
        return H
    _, works, X = _incidence(pairs)
    W = sp.triu(X.T @ X, k=1).tocoo()
    keep = _strongest(W.row, W.col, W.data.astype(np.float64))
    for n in works:
        _add(H, G, n, citing_count[n], papers_citing=True)  # its panel lists the papers citing it
    H.add_edges_from(sorted((works[a], works[b], {"type": "CO_CITED", "weight": float(w), "papers": int(w)})
                            for a, b, w in zip(W.row[keep].tolist(), W.col[keep].tolist(), W.data[keep].tolist())))
    H.graph["pruned"] = int((~keep).sum())
    return H


def _coupling(G: nx.DiGraph) -> nx.Graph:
    pairs = _cites(G)
    H = nx.Graph()
    if not pairs:
        return H
    papers, _, X = _incidence(pairs)
    refs = np.asarray(X.sum(axis=1)).ravel()
    S = sp.triu(X @ X.T, k=1).tocoo()
    strength = np.round(S.data / np.sqrt(refs[S.row] * refs[S.col]), 6)
    keep = _strongest(S.row, S.col, strength)
    for i, n in enumerate(papers):
        _add(H, G, n, int(refs[i]))
    H.add_edges_from(sorted((papers[a], papers[b], {"type": "COUPLED", "shared": int(s), "weight": float(w)})
                            for a, b, s, w in zip(S.row[keep].tolist(), S.col[keep].tolist(), S.data[keep].tolist(),
                                                  strength[keep].tolist())))
    H.graph["pruned"] = int((~keep).sum())
    return H


def _strongest(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, k: int = STRONGEST_LINKS) -> np.ndarray:
    """Which links ``rows[i] — cols[i]`` are among the ``k`` strongest of one of their ends (ties: the other end's
    index first).

    >>> # 0-1 (3), 0-2 (2), 0-3 (1), 1-2 (1): 1-2 is the strongest of neither end (1's is 0-1, 2's is 0-2)
    >>> _strongest(np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2]), np.array([3.0, 2.0, 1.0, 1.0]), k=1).tolist()
    [True, True, True, False]
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    ends, others = np.concatenate([rows, cols]), np.concatenate([cols, rows])
    ids = np.concatenate([np.arange(len(rows))] * 2)
    order = np.lexsort((others, -np.concatenate([weights, weights]), ends))  # by end, strongest first
    sorted_ends = ends[order]
    starts = np.flatnonzero(np.r_[True, sorted_ends[1:] != sorted_ends[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(len(rows), dtype=bool)
    keep[ids[order[rank < k]]] = True
    return keep


def _coauthors(G: nx.DiGraph) -> nx.Graph:
    A = coauthor_graph(G)
    H = nx.Graph()
    for n in sorted(A):
        if A.degree(n):
            _add(H, G, n, A.nodes[n]["papers"])
    H.add_edges_from(sorted((u, v, {"type": "CO_AUTHOR", "weight": float(w), "papers": int(w)})
                            for u, v, w in A.edges(data="weight")))
    return H


def mark_main_path(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[str]:
    """Draw the drawn links on the main path (``main_path``: vis-network edges of the citations map) dark, solid and
    wide, and their papers with a thick border; returns the path's papers, newest first ([] for other maps)."""
    on = [e for e in edges if e.get("main_path")]
    for e in on:
        e["color"] = {"color": MAIN_PATH_COLOUR, "opacity": 1.0}
        e["dashes"] = False
        e["value"] = max(float(x["value"]) for x in edges)
    ends = {n for e in on for n in (e["from"], e["to"])}
    for n in nodes:
        if n["id"] in ends:
            n["borderWidth"] = 3
            n["main_path"] = True
    cited = sorted((e["from"], e["to"]) if e["arrows"] == "to" else (e["to"], e["from"]) for e in on)
    path = [u for u, _ in cited if u not in {v for _, v in cited}][:1]
    while path and any(u == path[-1] for u, _ in cited):
        path.append(next(v for u, v in cited if u == path[-1]))
    return path
