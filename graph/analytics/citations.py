"""Citation analysis of a build: the most cited works (local citations within the corpus, and the exports' global
counts), co-citation clusters, bibliographic coupling, citations over publication years with a historiograph of the
direct citation network (its strongest paths by search path count), and co-authorship.

Every function takes the build graph (``CITES`` edges from papers to papers of the corpus and to reference nodes,
``WROTE`` edges from authors to papers; see :mod:`citegraph.graph.build.citations`) and returns plain data.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from networkx.algorithms import bipartite

from citegraph.graph.analytics.views import display_name, nodes_of_kind

__all__ = ["citation_graph", "most_cited", "cocitation_clusters", "coupling_pairs", "citations_by_year",
           "historiograph", "search_path_counts", "coauthor_graph", "coauthorship", "citation_report"]


def citation_graph(G: nx.DiGraph, *, references: bool = False) -> nx.DiGraph:
    """The direct citation network: papers, and a ``citing -> cited`` edge for each CITES between papers of the
    corpus (with ``references``, the reference nodes and the citations of them too). Nodes keep ``kind``, ``name``
    and ``year``.

    >>> from citegraph.testing import toy_citing_graph
    >>> sorted(citation_graph(toy_citing_graph()).edges)  # doctest: +NORMALIZE_WHITESPACE
    [('paper:b', 'paper:a'), ('paper:c', 'paper:a'), ('paper:c', 'paper:b'), ('paper:d', 'paper:a'),
     ('paper:d', 'paper:c')]
    """
    C = nx.DiGraph()
    kinds = ("paper", "reference") if references else ("paper",)
    for kind in kinds:
        for n in nodes_of_kind(G, kind):
            C.add_node(n, kind=kind, name=display_name(G, n), year=G.nodes[n].get("year"))
    C.add_edges_from(sorted((u, v) for u, v, t in G.edges(data="type") if t == "CITES" and u in C and v in C))
    return C


def most_cited(G: nx.DiGraph, top: int = 10) -> dict[str, list[dict[str, Any]]]:
    """The most cited works: ``local`` (papers of the corpus and references, by the papers of the corpus citing
    them) and ``global`` (papers of the corpus by the citation count their export gave, ``cited_by``).

    Returns
    -------
    dict
        ``{"local": [{"id", "kind", "name", "year", "citing", "cited_by"}], "global": [...]}``, most first, ties
        by id; ``cited_by`` is None where no export said.

    Examples
    --------
    >>> from citegraph.testing import toy_citing_graph
    >>> [(w["id"], w["citing"]) for w in most_cited(toy_citing_graph(), 3)["local"]]
    [('paper:a', 3), ('ref:knuth-1968-art-computer-programmi-1', 3), ('paper:b', 1)]
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    C = citation_graph(G, references=True)

    def row(n: str) -> dict[str, Any]:
        return {"id": n, "kind": C.nodes[n]["kind"], "name": C.nodes[n]["name"], "year": C.nodes[n]["year"],
                "citing": C.in_degree(n), "cited_by": G.nodes[n].get("cited_by")}

    local = sorted((n for n in C if C.in_degree(n)), key=lambda n: (-C.in_degree(n), n))[:top]
    counted = [n for n in nodes_of_kind(G, "paper") if G.nodes[n].get("cited_by") is not None]
    ranked = sorted(counted, key=lambda n: (-int(G.nodes[n]["cited_by"]), n))[:top]
    return {"local": [row(n) for n in local], "global": [row(n) for n in ranked]}


def _incidence(G: nx.DiGraph) -> tuple[list[str], list[str], sp.csr_matrix]:
    """Citing papers (sorted), cited works (sorted) and the citing × cited 0/1 matrix of the CITES edges."""
    cites = sorted((u, v) for u, v, t in G.edges(data="type") if t == "CITES")
    citing = sorted({u for u, _ in cites})
    works = sorted({v for _, v in cites})
    row = {n: i for i, n in enumerate(citing)}
    col = {n: j for j, n in enumerate(works)}
    X = sp.csr_matrix((np.ones(len(cites), dtype=np.int64), ([row[u] for u, _ in cites], [col[v] for _, v in cites])),
                      shape=(len(citing), len(works)))
    return citing, works, X


def cocitation_clusters(G: nx.DiGraph, *, min_papers: int = 2, resolution: float = 1.0, seed: int = 0,
                        top: int = 10, max_works: int = 1000) -> list[dict[str, Any]]:
    """Co-citation clusters: among the ``max_works`` most cited works (papers of the corpus and references), those
    cited together by at least ``min_papers`` papers, grouped by Louvain communities (``seed``, ``resolution``) of
    their co-citation graph (weight: papers citing both; the sparse product ``XᵀX`` of the citing × cited matrix).

    Returns
    -------
    list of dict
        ``{"cluster", "size", "works": [ids, most cited first], "names": [the ``top`` first names]}``, largest
        cluster first.

    Examples
    --------
    >>> from citegraph.testing import toy_citing_graph
    >>> [c["works"] for c in cocitation_clusters(toy_citing_graph())]
    [['paper:a', 'ref:knuth-1968-art-computer-programmi-1']]
    """
    _, works, X = _incidence(G)
    citing = np.asarray(X.sum(axis=0)).ravel()
    keep = np.array(sorted(range(len(works)), key=lambda j: (-citing[j], works[j]))[:max_works], dtype=np.int64)
    M = X[:, keep]
    W = sp.triu(M.T @ M, k=1).tocoo()
    strong = W.data >= min_papers
    if not strong.any():
        return []
    graph = nx.Graph()
    graph.add_weighted_edges_from(sorted((works[keep[a]], works[keep[b]], int(w)) for a, b, w in
                                         zip(W.row[strong].tolist(), W.col[strong].tolist(), W.data[strong].tolist())))
    count = dict(zip(works, citing.tolist()))
    groups = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    ordered = sorted((sorted(g, key=lambda n: (-count[n], n)) for g in groups), key=lambda g: (-len(g), g[0]))
    return [{"cluster": i, "size": len(g), "works": g, "names": [display_name(G, n) for n in g[:top]]}
            for i, g in enumerate(ordered)]


def coupling_pairs(G: nx.DiGraph, top: int = 10, *, min_shared: int = 1) -> list[dict[str, Any]]:
    """Bibliographic coupling: pairs of papers citing at least ``min_shared`` of the same works (papers of the
    corpus or references), with the Salton strength ``shared / sqrt(cited_a * cited_b)`` (the sparse product
    ``XXᵀ`` of the citing × cited matrix).

    Returns
    -------
    list of dict
        ``{"a", "b", "shared", "strength", "works"}``, most shared first, then strongest, then by ids.

    Examples
    --------
    >>> from citegraph.testing import toy_citing_graph
    >>> [(p["a"], p["b"], p["shared"], p["strength"]) for p in coupling_pairs(toy_citing_graph(), 2)]
    [('paper:b', 'paper:c', 2, 0.816497), ('paper:b', 'paper:d', 2, 0.816497)]
    """
    citing, works, X = _incidence(G)
    S = sp.triu(X @ X.T, k=1).tocoo()
    ok = S.data >= min_shared
    a, b, n = S.row[ok], S.col[ok], S.data[ok]
    cited = np.asarray(X.sum(axis=1)).ravel()
    strength = np.round(n / np.sqrt(cited[a] * cited[b]), 6)
    order = np.lexsort((b, a, -strength, -n))[:top]  # rows are in id order: ties by ids
    out = []
    for e in order.tolist():
        i, j = int(a[e]), int(b[e])
        shared = np.intersect1d(X.indices[X.indptr[i]:X.indptr[i + 1]], X.indices[X.indptr[j]:X.indptr[j + 1]])
        out.append({"a": citing[i], "b": citing[j], "shared": int(n[e]), "strength": float(strength[e]),
                    "works": [works[k] for k in shared.tolist()]})
    return out


def citations_by_year(G: nx.DiGraph) -> list[dict[str, Any]]:
    """For each publication year of the corpus: its papers, the citations they make to papers of the corpus
    (``citing``) and the citations its papers receive from the corpus (``cited``). Papers without a year are left
    out.

    >>> from citegraph.testing import toy_citing_graph
    >>> [(y["year"], y["papers"], y["citing"], y["cited"]) for y in citations_by_year(toy_citing_graph())]
    [(2017, 1, 0, 3), (2018, 1, 1, 1), (2019, 1, 2, 1), (2020, 1, 2, 0)]
    """
    C = citation_graph(G)
    rows: dict[int, Counter] = defaultdict(Counter)
    for n, year in C.nodes(data="year"):
        if year is not None:
            rows[int(year)].update(papers=1, citing=C.out_degree(n), cited=C.in_degree(n))
    return [{"year": y, "papers": c["papers"], "citing": c["citing"], "cited": c["cited"]}
            for y, c in sorted(rows.items())]


def _acyclic(C: nx.DiGraph) -> nx.DiGraph:
    """``C`` without the citations that go forward in time (an older paper citing a newer one; equal years: by id),
    which are what make cycles in a citation network."""
    def when(n: str) -> tuple:
        year = C.nodes[n].get("year")
        return (year if year is not None else math.inf, n)

    D = nx.DiGraph()
    D.add_nodes_from(C.nodes(data=True))
    D.add_edges_from((u, v) for u, v in C.edges if when(v) < when(u))
    return D


def _search_path_counts(D: nx.DiGraph) -> dict[tuple[str, str], int]:
    """The search path count of every edge of the acyclic citation network ``D``."""
    order = list(nx.lexicographical_topological_sort(D))  # citing before cited
    from_top = {n: 1 if not D.in_degree(n) else 0 for n in D}  # paths from a citing end (a paper no one cites)
    for n in order:
        for v in D.successors(n):
            from_top[v] += from_top[n]
    to_root = {n: 1 if not D.out_degree(n) else 0 for n in D}  # paths down to a root (a paper citing none)
    for n in reversed(order):
        for v in D.successors(n):
            to_root[n] += to_root[v]
    return {(u, v): from_top[u] * to_root[v] for u, v in D.edges}


def search_path_counts(G: nx.DiGraph) -> dict[tuple[str, str], int]:
    """The search path count (SPC) of each direct citation ``(citing, cited)`` between papers of the corpus: how
    many paths from the citing ends of the network to its cited roots run through it; 0 for a citation that goes
    forward in time (an older paper citing a newer one), which :func:`historiograph` leaves out.

    >>> from citegraph.testing import toy_citing_graph
    >>> sorted(search_path_counts(toy_citing_graph()).items())  # doctest: +NORMALIZE_WHITESPACE
    [(('paper:b', 'paper:a'), 1), (('paper:c', 'paper:a'), 1), (('paper:c', 'paper:b'), 1),
     (('paper:d', 'paper:a'), 1), (('paper:d', 'paper:c'), 2)]
    """
    C = citation_graph(G)
    spc = _search_path_counts(_acyclic(C))
    return {e: spc.get(e, 0) for e in sorted(C.edges)}


def historiograph(G: nx.DiGraph, top: int = 30) -> dict[str, Any]:
    """The historiograph of the direct citation network (after Garfield's HistCite): the ``top`` papers most cited
    within the corpus placed by year, the citations between them weighted by their search path count (SPC: how many
    paths from the citing ends of the network to the cited roots run through the edge), and the main path (from the
    strongest edge, following the strongest edges both ways).

    Returns
    -------
    dict
        ``{"nodes": [{"id", "name", "year", "citing"}], "edges": [{"source", "target", "spc"}],
        "main_path": [ids, newest first]}``, nodes by year then id.

    Examples
    --------
    >>> from citegraph.testing import toy_citing_graph
    >>> h = historiograph(toy_citing_graph())
    >>> [(e["source"], e["target"], e["spc"]) for e in h["edges"]]  # doctest: +NORMALIZE_WHITESPACE
    [('paper:b', 'paper:a', 1), ('paper:c', 'paper:a', 1), ('paper:c', 'paper:b', 1), ('paper:d', 'paper:a', 1),
     ('paper:d', 'paper:c', 2)]
    >>> h["main_path"]  # d -> c is on 2 of the 3 paths from d to a; from c, a and b tie (by id)
    ['paper:d', 'paper:c', 'paper:a']
    """
    D = _acyclic(citation_graph(G))
    spc = _search_path_counts(D)
    keep = set(sorted((n for n in D if D.in_degree(n)), key=lambda n: (-D.in_degree(n), n))[:top])
    path: list[str] = []
    if spc:
        u, v = min(spc, key=lambda e: (-spc[e], e))
        path = [u, v]
        while D.out_degree(path[-1]):
            path.append(min(D.successors(path[-1]), key=lambda w: (-spc[(path[-1], w)], w)))
        while D.in_degree(path[0]):
            path.insert(0, min(D.predecessors(path[0]), key=lambda w: (-spc[(w, path[0])], w)))
    keep |= set(path)

    def when(n: str) -> tuple:
        year = D.nodes[n].get("year")
        return (year if year is not None else math.inf, n)

    return {"nodes": [{"id": n, "name": D.nodes[n]["name"], "year": D.nodes[n]["year"], "citing": D.in_degree(n)}
                      for n in sorted(keep, key=when)],
            "edges": [{"source": u, "target": v, "spc": spc[(u, v)]} for u, v in sorted(spc)
                      if u in keep and v in keep],
            "main_path": path}


def coauthor_graph(G: nx.Graph) -> nx.Graph:
    """The co-authorship network: authors joined by the number of papers they wrote together (``weight``), every
    author a node (``name``, ``papers``).

    >>> from citegraph.testing import toy_citing_graph
    >>> A = coauthor_graph(toy_citing_graph())
    >>> sorted((u, v, w) for u, v, w in A.edges(data="weight"))
    [('author:hopper-g', 'author:turing-a', 1), ('author:lovelace-a', 'author:turing-a', 1)]
    """
    B = nx.Graph()
    authors = nodes_of_kind(G, "author")
    B.add_nodes_from(authors, bipartite=0)
    B.add_edges_from(sorted((u, v) for u, v, t in G.edges(data="type") if t == "WROTE"))
    A = bipartite.weighted_projected_graph(B, authors) if authors else nx.Graph()
    out = nx.Graph()
    for n in authors:
        out.add_node(n, name=display_name(G, n), papers=B.degree(n))
    out.add_edges_from(sorted((min(u, v), max(u, v), {"weight": w}) for u, v, w in A.edges(data="weight")))
    return out


def coauthorship(G: nx.DiGraph, top: int = 10) -> dict[str, Any]:
    """Co-authorship: how many authors and collaborations, the connected components (``components``, the sizes of
    the largest ``top``), and the most collaborative authors (by distinct co-authors, then papers, then id).

    >>> from citegraph.testing import toy_citing_graph
    >>> c = coauthorship(toy_citing_graph(), top=2)
    >>> c["authors"], c["components"], c["component_sizes"], [a["id"] for a in c["most_collaborative"]]
    (4, 2, [3, 1], ['author:turing-a', 'author:hopper-g'])
    """
    A = coauthor_graph(G)
    sizes = sorted((len(c) for c in nx.connected_components(A)), reverse=True)
    ranked = sorted(A, key=lambda n: (-A.degree(n), -A.nodes[n]["papers"], n))[:top]
    return {"authors": A.number_of_nodes(), "collaborations": A.number_of_edges(), "components": len(sizes),
            "component_sizes": sizes[:top],
            "most_collaborative": [{"id": n, "name": A.nodes[n]["name"], "coauthors": A.degree(n),
                                    "papers": A.nodes[n]["papers"]} for n in ranked]}


def citation_report(G: nx.DiGraph, top: int = 10, *, seed: int = 0, resolution: float = 1.0) -> dict[str, Any]:
    """Every citation analysis of :mod:`this module <citegraph.graph.analytics.citations>` at once (what
    ``citegraph analyze`` writes under ``citations`` in report.json).

    >>> from citegraph.testing import toy_citing_graph
    >>> sorted(citation_report(toy_citing_graph()))
    ['by_year', 'coauthorship', 'cocitation_clusters', 'coupling', 'historiograph', 'most_cited']
    """
    return {"most_cited": most_cited(G, top),
            "cocitation_clusters": cocitation_clusters(G, seed=seed, resolution=resolution, top=top),
            "coupling": coupling_pairs(G, top),
            "by_year": citations_by_year(G),
            "historiograph": historiograph(G, top=max(top, 30)),
            "coauthorship": coauthorship(G, top)}
