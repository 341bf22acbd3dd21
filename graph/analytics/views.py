"""Views of a build graph that the analyses work on: new graphs and plain mappings, never the input itself.

Every function here takes the combined ``nx.DiGraph`` of a build (see the README's graph schema) and returns a new
object built in sorted order, so results do not depend on the order the input was built in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from citegraph.extract.records import LABELS

__all__ = [
    "LABELS",
    "entity_graph",
    "paper_entity_graph",
    "paper_graph",
    "paper_reference_graph",
    "entity_papers",
    "nodes_of_kind",
    "display_name",
    "group_by_label",
]


def nodes_of_kind(G: nx.DiGraph, kind: str) -> list[str]:
    """Sorted ids of the nodes whose ``kind`` attribute is ``kind`` (``paper``, ``entity``, ``reference``).

    >>> from citegraph.testing import toy_graph
    >>> nodes_of_kind(toy_graph(), "reference")
    ['ref:devlin-2019', 'ref:he-2016', 'ref:rajpurkar-2016']
    """
    return sorted(n for n, d in G.nodes(data=True) if d.get("kind") == kind)


def display_name(G: nx.DiGraph, node: str) -> str:
    """The ``name`` of a node, or its id without the ``kind:`` prefix.

    >>> from citegraph.testing import toy_graph
    >>> display_name(toy_graph(), "entity:squad"), display_name(toy_graph(), "paper:p1")
    ('SQuAD', 'BERT reading on SQuAD')
    """
    name = G.nodes[node].get("name") if node in G else None
    return str(name) if name else node.split(":", 1)[-1]


def _edges_of_type(G: nx.DiGraph, edge_type: str) -> list[tuple[str, str, dict]]:
    return sorted(((u, v, d) for u, v, d in G.edges(data=True) if d.get("type") == edge_type), key=lambda e: e[:2])


def entity_papers(G: nx.DiGraph) -> dict[str, list[str]]:
    """For each entity node, the sorted paper nodes that mention it (from ``MENTIONS`` edges).

    Entities no paper mentions map to an empty list.

    >>> from citegraph.testing import toy_graph
    >>> entity_papers(toy_graph())["entity:gpt"]
    ['paper:p3', 'paper:p4']
    """
    return {
        e: sorted(p for p, d in G.pred[e].items() if d.get("type") == "MENTIONS")
        for e in nodes_of_kind(G, "entity")
    }


def entity_graph(G: nx.DiGraph, labels: Iterable[str] | None = None) -> nx.Graph:
    """The undirected entity co-occurrence graph: ``CO_OCCURS`` edges with ``weight`` = number of shared papers.

    Nodes keep ``label``, ``name`` and get ``papers`` (how many papers mention the entity, counted from
    ``MENTIONS``; the node's ``paper_count`` when it has no ``MENTIONS``). Edges keep ``paper_ids``.
    Restrict to some entity labels with ``labels``. Isolated entities are kept.

    Parameters
    ----------
    G : nx.DiGraph
        A build graph (README schema). Not modified.
    labels : iterable of str, optional
        Keep only entities with one of these labels.

    Returns
    -------
    nx.Graph
        A new graph.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> E = entity_graph(toy_graph())
    >>> E.number_of_nodes(), E.number_of_edges(), E["entity:squad"]["entity:qa"]["weight"]
    (8, 13, 3)
    >>> sorted(entity_graph(toy_graph(), labels=["dataset"]).nodes)
    ['entity:imagenet', 'entity:squad']
    """
    keep = None if labels is None else set(labels)
    papers = entity_papers(G)
    E = nx.Graph()
    for n in nodes_of_kind(G, "entity"):
        d = G.nodes[n]
        if keep is not None and d.get("label") not in keep:
            continue
        count = len(papers.get(n, [])) or int(d.get("paper_count") or 0)
        E.add_node(n, label=d.get("label", ""), name=display_name(G, n), papers=count)
    E.add_edges_from((min(u, v), max(u, v), {"weight": int(d.get("papers", d.get("weight", 1))),
                                             "paper_ids": list(d.get("paper_ids") or [])})
                     for u, v, d in _edges_of_type(G, "CO_OCCURS") if u in E and v in E and u != v)
    return E


def paper_entity_graph(G: nx.DiGraph) -> nx.Graph:
    """The undirected paper–entity bipartite graph (``bipartite`` = 0 for papers, 1 for entities).

    Edge ``weight`` is the ``MENTIONS`` count.

    >>> from citegraph.testing import toy_graph
    >>> B = paper_entity_graph(toy_graph())
    >>> sorted(B["paper:p4"]), B.nodes["entity:vit"]["bipartite"]
    (['entity:gpt', 'entity:imagenet', 'entity:resnet'], 1)
    """
    B = nx.Graph()
    for n in nodes_of_kind(G, "paper"):
        B.add_node(n, bipartite=0, name=display_name(G, n))
    for n in nodes_of_kind(G, "entity"):
        B.add_node(n, bipartite=1, name=display_name(G, n), label=G.nodes[n].get("label", ""))
    for u, v, d in _edges_of_type(G, "MENTIONS"):
        B.add_edge(u, v, weight=int(d.get("count", 1) or 1))
    return B


def paper_graph(G: nx.DiGraph) -> nx.Graph:
    """The undirected related-paper graph from ``RELATED_TO`` edges (``weight``, ``shared``, ``shared_entities``),
    and from the ``CITES`` edges between related papers, which carry them.

    >>> from citegraph.testing import toy_graph
    >>> P = paper_graph(toy_graph())
    >>> P.number_of_edges(), round(P["paper:p1"]["paper:p2"]["weight"], 3)
    (5, 1.938)
    """
    P = nx.Graph()
    for n in nodes_of_kind(G, "paper"):
        P.add_node(n, name=display_name(G, n))
    # a paper citing a paper it is related to has one edge, CITES, carrying the RELATED_TO attributes
    related = _edges_of_type(G, "RELATED_TO") + [e for e in _edges_of_type(G, "CITES") if "shared_entities" in e[2]]
    for u, v, d in related:
        P.add_edge(
            *sorted((u, v)),
            weight=float(d.get("weight", 0.0)),
            shared=int(d.get("shared", len(d.get("shared_entities") or []))),
            shared_entities=sorted(_entity_id(e) for e in d.get("shared_entities") or []),
        )
    return P


def _entity_id(key: str) -> str:
    return key if str(key).startswith("entity:") else f"entity:{key}"


def paper_reference_graph(G: nx.DiGraph) -> nx.Graph:
    """The undirected paper–reference bipartite graph from ``CITES`` edges (``bipartite`` 0 papers, 1 references).

    >>> from citegraph.testing import toy_graph
    >>> sorted(paper_reference_graph(toy_graph())["ref:devlin-2019"])
    ['paper:p1', 'paper:p2', 'paper:p3']
    """
    R = nx.Graph()
    # citations of references only: a paper of the corpus that is cited also cites, and one node cannot be on both
    # sides (the citation network of papers: citegraph.graph.analytics.citations)
    cites = [e for e in _edges_of_type(G, "CITES") if G.nodes[e[1]].get("kind") != "paper"]
    citing = sorted({u for u, _, _ in cites})
    refs = sorted({v for _, v, _ in cites})
    R.add_nodes_from(citing, bipartite=0)
    R.add_nodes_from(refs, bipartite=1)
    for u, v, d in cites:
        R.add_edge(u, v, weight=int(d.get("count", 1) or 1))
    return R


def group_by_label(G: nx.DiGraph) -> dict[str, list[str]]:
    """Entity ids by label (labels in :data:`LABELS` order, then any others sorted)."""
    out: dict[str, list[str]] = defaultdict(list)
    for n in nodes_of_kind(G, "entity"):
        out[G.nodes[n].get("label", "")].append(n)
    order = [lab for lab in LABELS if lab in out] + sorted(set(out) - set(LABELS))
    return {lab: out[lab] for lab in order}
