"""Every analysis leaves its input alone, gives the same answer for the same input however it was built, and copes
with empty and degenerate graphs."""

from __future__ import annotations

import copy
import json
import random

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.graph import analytics as A
from citegraph.graph.analytics.toy import random_graph, toy_graph
from citegraph.graph.report.report import build_report

ANALYSES = {
    "central_entities": lambda G: A.central_entities(G, top=5),
    "bridges": lambda G: A.bridges(G, top=5),
    "bridges_sampled": lambda G: A.bridges(G, top=5, k=5, seed=3),
    "communities": lambda G: A.communities(G, seed=1),
    "thematic_map": lambda G: A.thematic_map(G, seed=1),
    "trends": lambda G: A.trends(G),
    "usage_matrix": lambda G: A.usage_matrix(G),
    "strongest_pairs": lambda G: A.strongest_pairs(G),
    "similar_pairs": lambda G: A.similar_pairs(G),
    "top_references": lambda G: A.top_references(G),
    "cocited_references": lambda G: A.cocited_references(G),
    "coupled_papers": lambda G: A.coupled_papers(G),
    "report": lambda G: build_report(G, top=5, seed=2),
}


def _snapshot(G: nx.DiGraph) -> str:
    return json.dumps(nx.node_link_data(G, edges="links"), sort_keys=True, default=str)


def _shuffled(G: nx.DiGraph, seed: int) -> nx.DiGraph:
    """The same graph with nodes and edges inserted in another order."""
    rng = random.Random(seed)
    nodes, edges = list(G.nodes(data=True)), list(G.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.DiGraph()
    H.add_nodes_from(copy.deepcopy(nodes))
    H.add_edges_from(copy.deepcopy(edges))
    return H


@pytest.mark.parametrize("name", sorted(ANALYSES))
@pytest.mark.parametrize("make", [toy_graph, lambda: random_graph(50, 30, seed=4)], ids=["toy", "random"])
def test_analytics_does_not_mutate_input(name, make):
    G = make()
    before = _snapshot(G)
    ANALYSES[name](G)
    assert _snapshot(G) == before


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_analytics_independent_of_insertion_order(name):
    G = random_graph(50, 30, seed=5)
    assert ANALYSES[name](_shuffled(G, 1)) == ANALYSES[name](G)


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_analytics_empty_graph(name):
    result = ANALYSES[name](nx.DiGraph())
    json.dumps(result)  # plain data


@given(seed=st.integers(0, 10_000), n_papers=st.integers(1, 40), n_entities=st.integers(2, 25))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_analytics_invariants_on_random_graphs(seed, n_papers, n_entities):
    G = random_graph(n_papers, n_entities, seed=seed, undated=min(3, n_papers))
    before = _snapshot(G)
    scores = A.entity_scores(G)
    if scores:
        assert sum(s["pagerank"] for s in scores.values()) == pytest.approx(1.0)
    groups = A.partition(G, seed=seed)
    members = [n for g in groups for n in g]
    assert sorted(members) == sorted(scores)  # a partition of all entities
    E = A.entity_graph(G)
    assert all(u != v for u, v in E.edges())  # no self-loops
    for u, v, d in E.edges(data=True):  # weight = number of shared papers
        shared = set(A.paper_entity_graph(G)[u]) & set(A.paper_entity_graph(G)[v])
        assert d["weight"] == len(shared)
    for t in A.thematic_map(G, groups=[g for g in groups if len(g) > 1])["themes"]:
        assert t["centrality"] >= 0 and t["density"] >= 0
    for b in A.bridges(G):
        assert 0 < b["betweenness"] <= 1 + 1e-9
    json.dumps(build_report(G, top=3, seed=seed))
    assert _snapshot(G) == before
