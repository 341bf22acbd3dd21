"""Thematic map (Callon's strategic diagram): each community placed by centrality and density.

Link strength is Callon's equivalence index ``e_ij = c_ij**2 / (c_i * c_j)``, where ``c_ij`` is the number of
papers mentioning both entities and ``c_i`` the number mentioning ``i`` (so ``0 < e_ij <= 1``). For a community
with ``n`` members:

* **centrality** ``= 10 * sum of e_ij over links from a member to a non-member``: how strongly the theme is tied to
  the rest of the field;
* **density** ``= 100 * sum of e_ij over links between members / n``: how strongly the theme holds together.

Quadrants split at the medians of both over the mapped communities; high means strictly above the median (so
themes with no outside links, centrality 0, are never central):

* **motor** themes: high centrality, high density (well developed and important for the field);
* **niche** themes: low centrality, high density (developed but peripheral);
* **emerging or declining** themes: low centrality, low density;
* **basic** themes: high centrality, low density (important, general, transversal).
"""

from __future__ import annotations

from statistics import median
from typing import Any

import networkx as nx

from citegraph.graph.analytics.communities import communities as find_communities
from citegraph.graph.analytics.views import entity_graph

__all__ = ["thematic_map", "QUADRANTS", "quadrant"]

QUADRANTS: tuple[str, ...] = ("motor", "niche", "emerging or declining", "basic")


def quadrant(centrality: float, density: float, centrality_median: float, density_median: float) -> str:
    """The quadrant name of a theme given the medians (high means strictly above the median).

    >>> quadrant(5.0, 90.0, 3.0, 60.0), quadrant(1.0, 90.0, 3.0, 60.0)
    ('motor', 'niche')
    >>> quadrant(3.0, 60.0, 3.0, 60.0), quadrant(4.0, 10.0, 3.0, 60.0)
    ('emerging or declining', 'basic')
    """
    high_c = centrality > centrality_median
    high_d = density > density_median
    if high_c and high_d:
        return "motor"
    if high_d:
        return "niche"
    if high_c:
        return "basic"
    return "emerging or declining"


def thematic_map(
    G: nx.DiGraph,
    *,
    resolution: float = 1.0,
    seed: int | None = 0,
    min_size: int = 2,
    groups: list[list[str]] | None = None,
) -> dict[str, Any]:
    """Callon centrality and density of each community, with its quadrant (see the module docstring).

    Parameters
    ----------
    G : nx.DiGraph
        A build graph. Not modified.
    resolution, seed, min_size
        Passed to Louvain (:func:`citegraph.graph.analytics.communities.partition`).
    groups : list of list of str, optional
        Map this partition instead of running Louvain.

    Returns
    -------
    dict
        ``{"themes": [{"id", "label", "size", "centrality", "density", "quadrant"}], "centrality_median",
        "density_median"}``.

    Examples
    --------
    Clique {BERT, SQuAD, QA, F1}: internal e = 2*(4/6) + 1/2 + 1 + 2*(1/3) = 3.5, so density 100 * 3.5 / 4 = 87.5;
    its external links are GPT-SQuAD and GPT-QA, e = 1/6 each, so centrality 10 * 1/3. The other community
    {GPT, ImageNet, ResNet, ViT} has internal e = 1/4 + 1/4 + 1 + 1/2 + 1/2 = 2.5 (density 62.5) and the same
    external links. Medians: centrality 10/3, density 75; neither theme is more central than the median.

    >>> from citegraph.testing import toy_graph
    >>> m = thematic_map(toy_graph())
    >>> [(t["label"], round(t["centrality"], 4), t["density"], t["quadrant"]) for t in m["themes"]]
    [('question answering / SQuAD / BERT', 3.3333, 87.5, 'niche'), ('ImageNet / ResNet / GPT', 3.3333, 62.5, 'emerging or declining')]
    """
    E = entity_graph(G)
    found = find_communities(G, resolution=resolution, seed=seed, min_size=min_size, groups=groups, top=3)
    where = {n: c["id"] for c in found for n in c["members"]}
    internal = {c["id"]: 0.0 for c in found}
    external = {c["id"]: 0.0 for c in found}
    for u, v, d in sorted(E.edges(data=True)):
        cu, cv = E.nodes[u]["papers"], E.nodes[v]["papers"]
        if not cu or not cv:
            continue
        e = d["weight"] ** 2 / (cu * cv)
        a, b = where.get(u), where.get(v)
        if a is not None and a == b:
            internal[a] += e
            continue
        for side in (a, b):
            if side is not None:
                external[side] += e
    themes = [
        {
            "id": c["id"],
            "label": c["label"],
            "size": c["size"],
            "papers": c["papers"],
            "centrality": 10.0 * external[c["id"]],
            "density": 100.0 * internal[c["id"]] / c["size"],
        }
        for c in found
    ]
    c_med = float(median(t["centrality"] for t in themes)) if themes else 0.0
    d_med = float(median(t["density"] for t in themes)) if themes else 0.0
    for t in themes:
        t["quadrant"] = quadrant(t["centrality"], t["density"], c_med, d_med)
    return {"themes": themes, "centrality_median": c_med, "density_median": d_med}
