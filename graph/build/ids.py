"""Node ids of the graph: ``paper:<paper id>``, ``entity:<key>`` and ``ref:<reference key>``.

Entity ids sort before paper ids, which sort before reference ids: the writers rely on that order
(:meth:`citegraph.graph.build.built.BuiltGraph.edge_runs`).
"""

from __future__ import annotations

__all__ = ["paper_node", "entity_id", "reference_id"]


def paper_node(paper_id: str) -> str:
    """The node id of a paper.

    >>> paper_node("2501.00001")
    'paper:2501.00001'
    """
    return f"paper:{paper_id}"


def entity_id(key: str) -> str:
    """The node id of an entity (by its key)."""
    return f"entity:{key}"


def reference_id(key: str) -> str:
    """The node id of a cited reference (by its key)."""
    return f"ref:{key}"
