"""Graph analytics on a citegraph build: plain functions that take the build graph and return plain data.

>>> from citegraph.graph.analytics import central_entities
>>> from citegraph.testing import toy_graph
>>> [e["name"] for e in central_entities(toy_graph(), top=1)["dataset"]["pagerank"]]
['SQuAD']
"""

from __future__ import annotations

from citegraph.graph.analytics.centrality import bridges, central_entities, entity_scores
from citegraph.graph.analytics.citations import (citation_graph, citation_report, citations_by_year, coauthor_graph,
                                                 coauthorship, cocitation_clusters, coupling_pairs, historiograph,
                                                 most_cited)
from citegraph.graph.analytics.communities import communities, partition
from citegraph.graph.analytics.papers import PaperNotFound, find_paper, paper_title
from citegraph.graph.analytics.references import cocited_references, coupled_papers, top_references
from citegraph.graph.analytics.similarity import nearest_papers, similar_pairs
from citegraph.graph.analytics.thematic import thematic_map
from citegraph.graph.analytics.trends import bursts, entity_trends, listing_dates, rising, trends
from citegraph.graph.analytics.relations import evaluated_on, find_entity, typed_relations
from citegraph.graph.analytics.usage import stated_pairs, strongest_pairs, usage_matrix
from citegraph.graph.analytics.views import entity_graph, paper_entity_graph, paper_graph, paper_reference_graph

__all__ = [
    "PaperNotFound",
    "bridges",
    "bursts",
    "central_entities",
    "citation_graph",
    "citation_report",
    "citations_by_year",
    "coauthor_graph",
    "coauthorship",
    "cocitation_clusters",
    "cocited_references",
    "communities",
    "coupled_papers",
    "coupling_pairs",
    "entity_graph",
    "entity_scores",
    "entity_trends",
    "evaluated_on",
    "find_entity",
    "find_paper",
    "historiograph",
    "listing_dates",
    "most_cited",
    "nearest_papers",
    "paper_entity_graph",
    "paper_graph",
    "paper_title",
    "paper_reference_graph",
    "partition",
    "rising",
    "similar_pairs",
    "stated_pairs",
    "strongest_pairs",
    "thematic_map",
    "top_references",
    "trends",
    "typed_relations",
    "usage_matrix",
]
