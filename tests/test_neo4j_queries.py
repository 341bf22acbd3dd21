"""The Cypher query library: every query parses, runs with its documented parameters, and gives the answers known
by hand on the tiny corpus of test_neo4j_store; parameter errors are one sentence and a non-zero exit."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from click.testing import CliRunner

from citegraph.graph.cli.main import main
from citegraph.graph.store.named_queries import Param, bind, coerce, load_queries
from tests.conftest import wipe_test_database
from tests.test_neo4j_store import push, tiny_graph, write_build

ISSUE_4_QUERIES = {"top_entities", "cooccurring_entities", "methods_for_dataset", "papers_mentioning_both",
                   "shortest_path", "similar_papers", "entities_first_seen", "rising_entities",
                   "most_connected_papers", "shared_references", "entity_neighbourhood", "method_dataset_pairs"}
LN = math.log(5 / 2)  # idf of an entity in 2 of the 5 papers

# query -> (params, the column to compare, the expected values of that column, in order)
EXPECTED = {
    "top_entities": ({}, "key", ["transformer", "resnet", "diffusion"]),
    "cooccurring_entities": ({"entity": "ms coco"}, "key", ["object detection", "resnet", "transformer"]),
    "methods_for_dataset": ({"dataset": "ImageNet"}, "key", ["resnet", "transformer"]),
    "papers_mentioning_both": ({"a": "transformers", "b": "COCO"}, "paper_id", ["p3"]),
    "shortest_path": ({"source": "imagenet", "target": "object detection"}, "entities",
                      [["ImageNet", "ResNet", "object detection"], ["ImageNet", "Transformer", "object detection"]]),
    "similar_papers": ({"paper": "p1"}, "paper_id", ["p2", "p3"]),
    "entities_first_seen": ({"date": "2024-01-02"}, "key", ["coco", "object detection", "diffusion"]),
    "rising_entities": ({"since": "2024-01-02"}, "key", ["coco", "object detection", "diffusion", "resnet",
                                                          "transformer"]),
    "most_connected_papers": ({}, "paper_id", ["p2", "p1", "p3", "p4", "p5"]),
    "shared_references": ({}, "key", ["vaswani-2017"]),
    "entity_neighbourhood": ({"entity": "coco"}, "neighbour",
                             ["entity:object detection", "entity:resnet", "entity:transformer", "paper:p3",
                              "paper:p4"]),
    "method_dataset_pairs": ({}, "papers", [1, 1, 1, 1]),
    "papers_mentioning": ({"entity": "Transformer"}, "paper_id", ["p1", "p3"]),
    "graph_summary": ({}, "count", [2, 7, 3, 1, 5, 2, 1, 4, 10, 13, 4]),
    # the citation queries on this corpus of in-text references (tests/test_citations_neo4j.py: on a citing corpus)
    "most_cited": ({}, "id", ["ref:vaswani-2017", "ref:he-2016"]),
    "citing_papers": ({"work": "vaswani-2017"}, "paper_id", ["p1", "p2", "p3"]),
    "cocited_with": ({"work": "ref:he-2016"}, "id", ["ref:vaswani-2017"]),
    "coupled_with": ({"paper": "p1"}, "paper_id", ["p2", "p3"]),
    "coauthors": ({"author": "vaswani-a"}, "key", []),
    # the tiny corpus states no typed relation: these run and find none (test_neo4j_relations has their answers)
    "methods_used_for_task": ({"task": "object detection"}, "key", []),
    "evaluations_of_method": ({"method": "transformer"}, "key", []),
    "compared_with": ({"method": "resnet"}, "key", []),
    "parts_and_kinds": ({"entity": "resnet"}, "key", []),
}


def test_neo4j_queries_library_is_complete_and_documented() -> None:
    queries = load_queries()
    assert len(queries) >= 12
    assert ISSUE_4_QUERIES <= set(queries)
    assert set(EXPECTED) == set(queries), "every query needs a hand-known answer in EXPECTED"
    for q in queries.values():
        assert q.purpose and q.returns, q.name
        assert "ORDER BY" in q.cypher, f"{q.name} must have a deterministic order"
        for p in q.params:
            assert f"${p.name}" in q.cypher, f"{q.name} documents ${p.name} but does not use it"
        assert "'" not in q.cypher.replace("\\'", ""), f"{q.name}: values belong in $params, not literals"


def test_neo4j_queries_list_shows_names_and_params() -> None:
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    for name, q in load_queries().items():
        assert f"{name}: " in result.output
        for p in q.params:
            assert f"${p.name} ({p.type}" in result.output


@pytest.fixture(scope="module")
def tiny_db(neo4j_driver, neo4j_settings, tmp_path_factory):
    """The tiny corpus pushed once for the query tests (wiped first: wipe_test_database)."""
    wipe_test_database(neo4j_driver, neo4j_settings)
    push(write_build(tmp_path_factory.mktemp("q") / "tiny", tiny_graph()))
    return neo4j_driver


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_neo4j_queries_answers_on_the_tiny_corpus(tiny_db, name: str) -> None:
    params, column, expected = EXPECTED[name]
    args = ["query", name, "--format", "json"] + [a for k, v in params.items() for a in ("--param", f"{k}={v}")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert list(rows[0]) == list(load_queries()[name].returns) if rows else True
    values = [r[column]["id"] if isinstance(r[column], dict) else r[column] for r in rows]
    assert values == expected


@pytest.mark.neo4j
def test_neo4j_queries_numbers_on_the_tiny_corpus(tiny_db) -> None:
    def run(*args: str) -> list[dict]:
        result = CliRunner().invoke(main, ["query", *args, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    similar = run("similar_papers", "-p", "paper=Attention on ImageNet")
    assert [(r["shared"], round(r["weight"], 5)) for r in similar] == [(2, round(2 * LN, 5)), (1, round(LN, 5))]
    assert similar[0]["shared_entities"] == ["accuracy", "imagenet"]
    top = run("top_entities", "-p", "kind=method", "-p", "limit=1")
    assert [(r["key"], r["papers"], r["mentions"]) for r in top] == [("transformer", 2, 3)]
    rising = run("rising_entities", "-p", "since=2024-01-02", "-p", "limit=1")
    assert (rising[0]["before"], rising[0]["recent"], round(rising[0]["rise"], 6)) == (0, 2, round(2 / 3, 6))
    path = run("shortest_path", "-p", "source=imagenet", "-p", "target=object detection", "-p", "limit=1")
    assert path == [{"hops": 2, "entities": ["ImageNet", "ResNet", "object detection"],
                     "papers": ["ResNets revisited", "Detection with ResNets"], "paper_ids": ["p2", "p4"]}]
    assert run("shortest_path", "-p", "source=diffusion", "-p", "target=coco") == []
    pairs = run("method_dataset_pairs")
    # COCO is spelt "COCO" and "MS COCO": its name is the readable form, which holds the acronym already
    assert [(r["method"], r["dataset"]) for r in pairs] == [("ResNet", "MS COCO"), ("ResNet", "ImageNet"),
                                                            ("Transformer", "MS COCO"), ("Transformer", "ImageNet")]
    refs = run("shared_references", "-p", "min_papers=1")
    assert [(r["key"], r["papers"], r["paper_ids"]) for r in refs] == [("vaswani-2017", 3, ["p1", "p2", "p3"]),
                                                                      ("he-2016", 1, ["p2"])]


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_neo4j_queries_formats(tiny_db, fmt: str) -> None:
    result = CliRunner().invoke(main, ["query", "top_entities", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [r["key"] for r in rows] == ["transformer", "resnet", "diffusion"]
    else:
        assert result.stdout.splitlines()[0].split() == ["name", "key", "kind", "papers", "mentions"]
        assert result.stdout.rstrip().endswith("(3 rows)")


@pytest.mark.parametrize("args, message", [
    (["query", "no_such_query"], "unknown query 'no_such_query'"),
    (["query", "top_entities", "--param", "limit=ten"], "parameter $limit must be an int, got 'ten'"),
    (["query", "top_entities", "--param", "colour=red"], "has no parameter $colour"),
    (["query", "papers_mentioning"], "needs --param entity=<string>"),
    (["query", "top_entities", "--param", "limit"], "is not KEY=VALUE"),
])
def test_neo4j_queries_bad_parameters_are_one_sentence(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("type_, text, value", [
    ("int", "7", 7), ("float", "0.5", 0.5), ("bool", "yes", True), ("bool", "false", False),
    ("string", "42", "42"), ("list<string>", "a, b", ["a", "b"]), ("list<string>", '["a,b"]', ["a,b"]),
])
def test_neo4j_queries_coerce_declared_types(type_: str, text: str, value) -> None:
    assert coerce(Param("x", type_, True), text) == value


def test_neo4j_queries_bind_fills_defaults() -> None:
    q = load_queries()["top_entities"]
    assert bind(q, {}) == {"kind": "method", "limit": 10}
    assert bind(q, {"limit": "3"}) == {"kind": "method", "limit": 3}


def test_neo4j_queries_files_ship_as_package_data() -> None:
    from importlib import resources

    names = {e.name for e in resources.files("citegraph.queries").iterdir()}
    assert {f"{n}.cypher" for n in load_queries()} <= names
