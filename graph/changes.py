"""What a build added to the previous one: the content of ``changes.json`` after ``citegraph build --update``."""

from __future__ import annotations

from typing import Any

import networkx as nx

__all__ = ["graph_changes"]


def graph_changes(before: nx.DiGraph, after: nx.DiGraph) -> dict[str, Any]:
    """New papers, new entities (first appearances), new and strengthened co-occurrence edges, sorted.

    Examples
    --------
    >>> a = nx.DiGraph(); a.add_node("entity:x", kind="entity"); a.add_node("entity:y", kind="entity")
    >>> a.add_edge("entity:x", "entity:y", type="CO_OCCURS", papers=1)
    >>> b = a.copy(); b.add_node("paper:p2", kind="paper"); b.add_node("entity:z", kind="entity", label="task")
    >>> b.edges["entity:x", "entity:y"]["papers"] = 2
    >>> c = graph_changes(a, b)
    >>> c["new_papers"], c["new_entities"], c["strengthened_edges"]
    (['paper:p2'], [{'id': 'entity:z', 'label': 'task', 'name': None}], [['entity:x', 'entity:y', 1, 2]])
    """
    def nodes(G: nx.DiGraph, kind: str) -> set[str]:
        return {n for n, d in G.nodes(data=True) if d.get("kind") == kind}

    def co(G: nx.DiGraph) -> dict[tuple[str, str], int]:
        return {(u, v): d["papers"] for u, v, d in G.edges(data=True) if d.get("type") == "CO_OCCURS"}

    old_co, new_co = co(before), co(after)
    new_entities = sorted(nodes(after, "entity") - nodes(before, "entity"))
    return {
        "new_papers": sorted(nodes(after, "paper") - nodes(before, "paper")),
        "new_entities": [{"id": n, "label": after.nodes[n].get("label"), "name": after.nodes[n].get("name")}
                         for n in new_entities],
        "new_references": sorted(nodes(after, "reference") - nodes(before, "reference")),
        "new_edges": [[u, v, n] for (u, v), n in sorted(new_co.items()) if (u, v) not in old_co],
        "strengthened_edges": [[u, v, old_co[(u, v)], n] for (u, v), n in sorted(new_co.items())
                               if (u, v) in old_co and n > old_co[(u, v)]],
        "counts": {"papers": len(nodes(after, "paper")), "entities": len(nodes(after, "entity"))},
    }
