"""Every analysis leaves its input alone, gives the same answer for the same input however it was built, and copes
with empty and degenerate graphs."""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.graph import analytics as A
from citegraph.testing import graph_from_papers, random_graph, sample_graph, toy_graph
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


def _schema(G: nx.DiGraph) -> dict:
    """The node kinds, edge types and, for each, the attribute names and value types a graph uses."""
    out: dict = {"graph": dict(G.graph)}
    for _, d in G.nodes(data=True):
        out.setdefault(("node", d["kind"]), set()).update((k, type(v)) for k, v in d.items())
    for _, _, d in G.edges(data=True):
        out.setdefault(("edge", d["type"]), set()).update((k, type(v)) for k, v in d.items())
    return out


TESTING_GRAPHS = {
    "toy": toy_graph,
    "random": lambda: random_graph(40, 20, seed=3),
    "from_papers": lambda: graph_from_papers({"a": (["2024-01-01"], {"x": 2, "y": 1}, ["smith-2020"]),
                                              "b": ([], ["x"], [])}, {"x": ("method", "X", "x-net")}),
}


@pytest.mark.parametrize("make", TESTING_GRAPHS.values(), ids=TESTING_GRAPHS.keys())
def test_testing_graphs_follow_the_builders_schema(make):
    """citegraph.testing's graphs are the builder's: the same node kinds, edge types, attribute names and types as
    build_graph gives for generated records (no hand-written copy of the schema to drift), and CO_OCCURS paper_ids
    are bare paper ids."""
    G, reference = make(), _schema(sample_graph(30, 20)[0])
    got = _schema(G)
    assert set(got) <= set(reference)
    for part, attrs in got.items():
        assert attrs == reference[part], part
    co = [d for _, _, d in G.edges(data=True) if d["type"] == "CO_OCCURS"]
    assert co and all(f"paper:{p}" in G and not p.startswith("paper:") for d in co for p in d["paper_ids"])


def test_testing_graph_from_papers_counts_and_spellings():
    G = TESTING_GRAPHS["from_papers"]()
    assert G["paper:a"]["entity:x"]["count"] == 2 and G.nodes["paper:a"]["mention_count"] == 3
    x = G.nodes["entity:x"]
    assert (x["name"], x["aliases"], x["mention_count"], x["paper_count"]) == ("X", ["X", "x-net"], 3, 2)
    assert G.nodes["entity:y"]["label"] == "concept"
    assert G.nodes["ref:smith-2020"]["name"] == "Smith et al., 2020"


def test_no_hand_written_schema_in_tests_benches_or_examples():
    """Test, bench and example graphs come from citegraph.testing (records + the real builder), not by hand."""
    root = Path(__file__).resolve().parent.parent
    kinds = "paper|entity|reference|MENTIONS|CITES|CO_OCCURS|RELATED_TO"
    by_hand = re.compile(rf"""\b(kind|type)\s*=\s*["']({kinds})["']""")
    labels = re.compile(r"^LABELS\s*=", re.M)
    found = [f"{path.relative_to(root)}" for folder in ("tests", "bench", "examples", "citegraph")
             for path in sorted((root / folder).rglob("*.py"))
             if by_hand.search(text := path.read_text(encoding="utf-8")) or labels.search(text)]
    assert found == []
