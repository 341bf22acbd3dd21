"""citegraph push against a real Neo4j: counts equal the graph file, re-push is a no-op, a later build adds and
updates, --replace spares foreign data, and paper text never changes a query."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from citegraph.graph.cli.main import main
from citegraph.graph.builddir.build import load_graph
from citegraph.graph.builddir.files import write_json
from citegraph.graph.formats.node_link import graph_to_json
from citegraph.graph.store.neo4j_rows import TYPED_RELATION_TYPES
from citegraph.testing import graph_from_papers

pytestmark = pytest.mark.neo4j

# The corpus: paper id -> (title, dates, {entity key: mentions}, [reference keys]); made into records and built by
# the real builder (citegraph.testing.graph_from_papers), so the pushed graph is what a build writes.
ENTITIES = {  # key -> (label, name, other spellings): a key's mentions take its spellings in turn
    "transformer": ("method", "Transformer", "transformers"),
    "resnet": ("method", "ResNet"),
    "diffusion": ("method", "diffusion"),
    "imagenet": ("dataset", "ImageNet"),
    "coco": ("dataset", "COCO", "MS COCO"),
    "accuracy": ("metric", "accuracy"),
    "object detection": ("task", "object detection"),
}
PAPERS = {
    "p1": ("Attention on ImageNet", ["2024-01-01"], {"transformer": 2, "imagenet": 1, "accuracy": 1}, ["vaswani-2017"]),
    "p2": ("ResNets revisited", ["2024-01-01"], {"resnet": 1, "imagenet": 2, "accuracy": 1},
           ["he-2016", "vaswani-2017"]),
    "p3": ("Transformers for COCO", ["2024-01-02"], {"transformer": 1, "coco": 1, "object detection": 1},
           ["vaswani-2017"]),
    "p4": ("Detection with ResNets", ["2024-01-02"], {"resnet": 1, "coco": 1, "object detection": 1}, []),
    "p5": ("Diffusion for images", ["2024-01-02"], {"diffusion": 3}, []),
}
LATER = {"p6": ("Transformers detect COCO again", ["2024-01-03"], {"transformer": 1, "coco": 1}, [])}
# 5 papers + 7 entities + 2 references; 13 MENTIONS + 10 CO_OCCURS + 4 CITES + 4 RELATED_TO (p1-p2, p1-p3, p2-p4,
# p3-p4: the pairs sharing an entity)
TINY_COUNTS = {"nodes": 14, "relationships": 31}


def tiny_graph(papers: dict = PAPERS, entities: dict = ENTITIES) -> nx.DiGraph:
    """The build graph of a corpus whose answers are known."""
    return graph_from_papers({pid: (dates, ms, refs) for pid, (_, dates, ms, refs) in papers.items()}, entities,
                             titles={pid: title for pid, (title, *_) in papers.items()})


def write_build(directory: Path, G: nx.DiGraph) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    write_json(directory / "graph.json", graph_to_json(G))
    return directory


@pytest.fixture
def tiny_build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "tiny", tiny_graph())


def push(build: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["push", str(build), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def db_snapshot(driver, database: str = "neo4j") -> tuple[dict, dict]:
    """Every :Citegraph node (id -> (labels, properties)) and relationship ((type, a, b) -> properties)."""
    nodes = {r["id"]: (frozenset(r["labels"]), r["props"]) for r in driver.execute_query(
        "MATCH (n:Citegraph) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props",
        database_=database).records}
    rels: dict = {}
    for r in driver.execute_query("MATCH (a:Citegraph)-[r]->(b:Citegraph) "
                                  "RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS props",
                                  database_=database).records:
        assert (r["t"], r["a"], r["b"]) not in rels, "duplicate relationship"
        rels[(r["t"], r["a"], r["b"])] = r["props"]
    return nodes, rels


def assert_db_equals_graph(driver, G: nx.DiGraph) -> None:
    nodes, rels = db_snapshot(driver)
    assert sorted(nodes) == sorted(G.nodes)
    labels = {"paper": {"Paper"}, "reference": {"Reference"}}
    for n, attrs in G.nodes(data=True):
        expected = labels.get(attrs["kind"]) or {"Entity", attrs["label"].capitalize()}
        assert nodes[n][0] == frozenset(expected | {"Citegraph"}), n
        assert {k: v for k, v in nodes[n][1].items() if k in attrs} == attrs, n
    def stated(u, v, d):  # a typed relation (USED_FOR, ...) is stored once per entity pair, pushed head -> tail
        if d["type"] in TYPED_RELATION_TYPES:
            return (d["type"], d["head"], d["tail"]), {k: x for k, x in d.items() if k not in ("type", "head", "tail")}
        return (d["type"], u, v), {k: x for k, x in d.items() if k != "type"}

    expected = dict(stated(u, v, d) for u, v, d in G.edges(data=True))
    assert sorted(rels) == sorted(expected)
    for key, want in expected.items():
        props = rels[key]
        if "evidence" in want:  # Neo4j has no maps in lists: each evidence sentence is a JSON text
            want = {**want, "evidence": [json.dumps(e, sort_keys=True) for e in want["evidence"]]}
        assert {k: props[k] for k in want} == want


def test_neo4j_store_push_counts_equal_graph_file(neo4j_db, tiny_build: Path) -> None:
    summary = push(tiny_build)
    G = load_graph(tiny_build)
    assert (G.number_of_nodes(), G.number_of_edges()) == (TINY_COUNTS["nodes"], TINY_COUNTS["relationships"])
    assert summary["nodes_created"] == summary["nodes"] == TINY_COUNTS["nodes"]
    assert summary["relationships_created"] == summary["relationships"] == TINY_COUNTS["relationships"]
    assert_db_equals_graph(neo4j_db, G)


def test_neo4j_store_second_push_is_a_noop(neo4j_db, tiny_build: Path) -> None:
    push(tiny_build)
    before = db_snapshot(neo4j_db)
    again = push(tiny_build)
    assert again["nodes_created"] == again["nodes_updated"] == 0
    assert again["relationships_created"] == again["relationships_updated"] == 0
    assert db_snapshot(neo4j_db) == before
    assert_db_equals_graph(neo4j_db, load_graph(tiny_build))


def test_neo4j_store_later_build_adds_and_updates(neo4j_db, tmp_path: Path, tiny_build: Path) -> None:
    push(tiny_build)
    later = tiny_graph(PAPERS | LATER)
    summary = push(write_build(tmp_path / "later", later))
    assert summary["nodes_created"] == 1  # p6
    assert summary["nodes_updated"] > 0  # e.g. transformer's paper_count and last_date
    assert summary["relationships_created"] > 0 and summary["relationships_updated"] > 0
    assert_db_equals_graph(neo4j_db, later)
    count = neo4j_db.execute_query("MATCH (e:Entity {key: 'transformer'}) RETURN e.paper_count AS n").records
    assert [r["n"] for r in count] == [3]


def test_neo4j_store_replace_leaves_foreign_nodes_alone(neo4j_db, tiny_build: Path) -> None:
    neo4j_db.execute_query("CREATE (:Person {name: 'Ada'})-[:KNOWS]->(:Person {name: 'Bob'}), "
                           "(:Paper {id: 'foreign-paper', title: 'mine, not citegraph'})")
    push(tiny_build)
    neo4j_db.execute_query("MATCH (p:Paper {id: 'paper:p1'}) SET p.stale = true")
    summary = push(tiny_build, "--replace")
    assert summary["nodes_deleted"] == TINY_COUNTS["nodes"]
    assert summary["nodes_created"] == TINY_COUNTS["nodes"]
    assert_db_equals_graph(neo4j_db, load_graph(tiny_build))
    foreign = neo4j_db.execute_query("MATCH (n) WHERE NOT n:Citegraph AND NOT n:CitegraphTestDatabase "
                                     "RETURN coalesce(n.name, n.id) AS k ORDER BY k").records
    assert [r["k"] for r in foreign] == ["Ada", "Bob", "foreign-paper"]
    knows = neo4j_db.execute_query("MATCH (:Person)-[r:KNOWS]->(:Person) RETURN count(r) AS n").records
    assert knows[0]["n"] == 1
    stale = neo4j_db.execute_query("MATCH (p:Paper {id: 'paper:p1'}) RETURN p.stale AS s").records
    assert stale[0]["s"] is None


HOSTILE = ["'}) DETACH DELETE n //", "\"}) MATCH (m) DETACH DELETE m RETURN 1 //", "$rows `x` \\u0027 ${id}",
           "<script>alert(1)</script>", "Robert'); DROP TABLE papers;--"]


def test_neo4j_store_paper_text_cannot_change_a_query(neo4j_db, tmp_path: Path) -> None:
    papers = dict(PAPERS)
    for i, title in enumerate(HOSTILE):
        papers[f"x{i}"] = (title, ["2024-01-05"], {"diffusion": 1}, [])
    G = tiny_graph(papers, ENTITIES | {"diffusion": ("method", "diffusion", *HOSTILE)})  # hostile spellings
    assert set(HOSTILE) <= set(G.nodes["entity:diffusion"]["aliases"])
    neo4j_db.execute_query("CREATE (:Person {name: 'survivor'})")
    build = write_build(tmp_path / "hostile", G)
    push(build)
    push(build)
    assert_db_equals_graph(neo4j_db, G)
    titles = neo4j_db.execute_query("MATCH (p:Paper) WHERE p.id STARTS WITH 'paper:x' RETURN p.title AS t "
                                    "ORDER BY p.id").records
    assert [r["t"] for r in titles] == HOSTILE
    assert neo4j_db.execute_query("MATCH (n:Person) RETURN count(n) AS n").records[0]["n"] == 1
    result = CliRunner().invoke(main, ["query", "papers_mentioning", "--param", f"entity={HOSTILE[0]}",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["title"] for r in json.loads(result.stdout)] == ["Diffusion for images"] + HOSTILE


def test_neo4j_store_pushes_the_seeds_build(neo4j_db, seeds_build: Path) -> None:
    summary = push(seeds_build)
    G = load_graph(seeds_build)
    assert (summary["nodes"], summary["relationships"]) == (G.number_of_nodes(), G.number_of_edges())
    assert summary["nodes_created"] == G.number_of_nodes()
    assert_db_equals_graph(neo4j_db, G)
    again = push(seeds_build)
    assert again["nodes_created"] == again["nodes_updated"] == again["relationships_created"] == 0
    assert again["relationships_updated"] == 0
    assert_db_equals_graph(neo4j_db, G)
