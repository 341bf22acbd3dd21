"""Communities (topics) of the entity co-occurrence graph, found with seeded Louvain."""

from __future__ import annotations

from typing import Any

import networkx as nx

from citegraph.graph.analytics.views import entity_graph, entity_papers

__all__ = ["partition", "communities"]


def partition(G: nx.DiGraph, *, resolution: float = 1.0, seed: int | None = 0, min_size: int = 1) -> list[list[str]]:
    """Louvain communities of the co-occurrence graph (weights = shared papers), as sorted lists of entity ids.

    Communities come largest first, ties by their first member; ones smaller than ``min_size`` are dropped
    (isolated entities form communities of one).

    Parameters
    ----------
    G : nx.DiGraph
        A build graph. Not modified.
    resolution : float
        Louvain resolution: above 1 favours more, smaller communities; below 1 fewer, larger ones.
    seed : int, optional
        Seed of Louvain's node order; the same seed gives the same partition.
    min_size : int
        Smallest community kept.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> for c in partition(toy_graph(), seed=0):
    ...     print(c)
    ['entity:bert', 'entity:f1', 'entity:qa', 'entity:squad']
    ['entity:gpt', 'entity:imagenet', 'entity:resnet', 'entity:vit']
    """
    if resolution <= 0:
        raise ValueError(f"resolution must be positive, got {resolution!r}")
    E = entity_graph(G)
    if E.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(E, weight="weight", resolution=resolution, seed=seed)
    groups = [sorted(c) for c in found if len(c) >= min_size]
    return sorted(groups, key=lambda c: (-len(c), c[0]))


def communities(
    G: nx.DiGraph,
    *,
    resolution: float = 1.0,
    seed: int | None = 0,
    top: int = 5,
    min_size: int = 2,
    groups: list[list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Communities of the co-occurrence graph, each labelled by its top members, with size and density.

    Members are ranked by papers, then by weighted degree inside the community, then id; the ``label`` joins the
    names of the first three. ``density`` is the share of member pairs that co-occur at least once
    (``nx.density`` of the induced subgraph); ``papers`` counts the distinct papers that mention any member.

    Parameters
    ----------
    G : nx.DiGraph
        A build graph. Not modified.
    resolution, seed, min_size
        As in :func:`partition`.
    top : int
        How many members to list in ``top_members``.
    groups : list of list of str, optional
        Use this partition instead of running Louvain.

    Returns
    -------
    list of dict
        ``{"id", "label", "size", "density", "papers", "internal_weight", "top_members", "members"}``, largest
        first; ``id`` is the position in that order.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> for c in communities(toy_graph(), top=3):
    ...     print(c["id"], c["label"], c["size"], round(c["density"], 4), c["papers"])
    0 question answering / SQuAD / BERT 4 1.0 3
    1 ImageNet / ResNet / GPT 4 0.8333 3
    """
    E = entity_graph(G)
    if groups is None:
        groups = partition(G, resolution=resolution, seed=seed, min_size=min_size)
    mentioned = entity_papers(G)
    out = []
    for i, members in enumerate(groups):
        S = E.subgraph(members)
        inner = dict(S.degree(weight="weight"))
        ranked = sorted(members, key=lambda n: (-E.nodes[n]["papers"], -inner.get(n, 0), n))
        names = [E.nodes[n]["name"] for n in ranked]
        papers = {p for n in members for p in mentioned.get(n, [])}
        out.append(
            {
                "id": i,
                "label": " / ".join(names[:3]),
                "size": len(members),
                "density": float(nx.density(S)) if len(members) > 1 else 0.0,
                "papers": len(papers),
                "internal_weight": int(S.size(weight="weight")),
                "top_members": [{"id": n, "name": E.nodes[n]["name"], "label": E.nodes[n]["label"],
                                 "papers": E.nodes[n]["papers"]} for n in ranked[:top]],
                "members": ranked,
            }
        )
    return out
