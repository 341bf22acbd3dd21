"""Graph analytics on a citegraph build: plain functions that take the build graph and return plain data.

>>> from graph.analytics import toy_graph, central_entities
>>> [e["name"] for e in central_entities(toy_graph(), top=1)["dataset"]["pagerank"]]
['SQuAD']
"""

from __future__ import annotations

from graph.analytics.centrality import bridges, central_entities, entity_scores
from graph.analytics.communities import communities, partition
from graph.analytics.references import cocited_references, coupled_papers, top_references
from graph.analytics.similarity import nearest_papers, similar_pairs
from graph.analytics.thematic import thematic_map
from graph.analytics.toy import toy_graph
from graph.analytics.trends import bursts, entity_trends, listing_dates, rising, trends
from graph.analytics.usage import strongest_pairs, usage_matrix
from graph.analytics.views import entity_graph, paper_entity_graph, paper_graph, paper_reference_graph

__all__ = [
    "bridges",
    "bursts",
    "central_entities",
    "cocited_references",
    "communities",
    "coupled_papers",
    "entity_graph",
    "entity_scores",
    "entity_trends",
    "listing_dates",
    "nearest_papers",
    "paper_entity_graph",
    "paper_graph",
    "paper_reference_graph",
    "partition",
    "rising",
    "similar_pairs",
    "strongest_pairs",
    "thematic_map",
    "top_references",
    "toy_graph",
    "trends",
    "usage_matrix",
]
