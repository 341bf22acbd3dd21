"""Building the graph from papers and their extractions: :func:`build_tables` (a :class:`BuiltGraph`, what a
build writes from) and :func:`build_graph` (the same as one networkx graph).

The modules: ``ids`` (node ids), ``built`` (:class:`BuiltGraph` and its edges), ``cooccurrence`` (CO_OCCURS),
``related`` (RELATED_TO), ``typed_relations`` (USED_FOR, EVALUATE_FOR, ... between entities), ``tables`` (the phases
of a build's graph) and ``job`` (a whole build).
"""

from __future__ import annotations

from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.build.cooccurrence import COOCCURRENCE_BUDGET
from citegraph.graph.build.ids import entity_id, paper_node, reference_id
from citegraph.graph.build.tables import build_graph, build_tables

__all__ = ["build_graph", "build_tables", "BuiltGraph", "COOCCURRENCE_BUDGET", "entity_id", "paper_node",
           "reference_id"]
