"""Typed relations in Neo4j: pushed from head to tail with the relation's types (USED_FOR, EVALUATE_FOR, ...), the
same push twice writes nothing, and the relation queries answer what the corpus states."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from citegraph.graph.cli.main import main
from citegraph.testing import graph_from_papers
from tests.test_neo4j_store import db_snapshot, push, write_build

ENTITIES = {"bert": ("method", "BERT"), "elmo": ("method", "ELMo"), "transformer": ("method", "Transformer"),
            "attention": ("method", "attention"), "squad": ("dataset", "SQuAD"), "glue": ("dataset", "GLUE"),
            "f1": ("metric", "F1"), "qa": ("task", "question answering")}
PAPERS = {"p1": (["2024-01-01"], ["bert", "squad", "f1", "qa", "elmo"], []),
          "p2": (["2024-01-02"], ["bert", "glue", "elmo", "transformer"], []),
          "p3": (["2024-01-02"], ["transformer", "attention", "qa"], [])}
RELATIONS = {"p1": [("squad", "EVALUATE-FOR", "bert"), ("f1", "EVALUATE-FOR", "bert"), ("bert", "USED-FOR", "qa"),
                    ("bert", "COMPARE", "elmo")],
             "p2": [("glue", "EVALUATE-FOR", "bert"), ("elmo", "COMPARE", "bert")],
             "p3": [("attention", "PART-OF", "transformer"), ("transformer", "USED-FOR", "qa")]}
STATED = {("EVALUATE_FOR", "squad", "bert"), ("EVALUATE_FOR", "f1", "bert"), ("USED_FOR", "bert", "qa"),
          ("COMPARE", "bert", "elmo"), ("EVALUATE_FOR", "glue", "bert"), ("PART_OF", "attention", "transformer"),
          ("USED_FOR", "transformer", "qa")}

pytestmark = pytest.mark.neo4j


@pytest.fixture
def relations_build(tmp_path):
    return write_build(tmp_path / "rel", graph_from_papers(PAPERS, ENTITIES, relations=RELATIONS))


def test_neo4j_relations_pushed_from_head_to_tail(neo4j_db, relations_build):
    summary = push(relations_build)
    _, rels = db_snapshot(neo4j_db)
    typed = {(t, a.removeprefix("entity:"), b.removeprefix("entity:")): props for (t, a, b), props in rels.items()
             if t not in ("MENTIONS", "CO_OCCURS", "RELATED_TO", "CITES")}
    assert set(typed) == STATED
    compare = typed[("COMPARE", "bert", "elmo")]
    assert compare["papers"] == 2 and compare["paper_ids"] == ["p1", "p2"] and compare["score"] == 0.9
    evidence = [json.loads(e) for e in compare["evidence"]]
    assert [e["paper"] for e in evidence] == ["p1", "p2"] and all(e["field"] == "abstract" for e in evidence)
    assert "head" not in compare and "tail" not in compare
    # co-occurrence is untouched by the typed edges of the same pairs
    assert ("CO_OCCURS", "entity:bert", "entity:squad") in rels
    assert summary["relationships_created"] == summary["relationships"] == len(rels)
    again = push(relations_build)
    assert again["relationships_created"] == again["relationships_updated"] == 0
    assert db_snapshot(neo4j_db)[1] == rels


def _query(*args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["query", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_neo4j_relations_queries_answer_what_the_papers_state(neo4j_db, relations_build):
    push(relations_build)
    assert [r["key"] for r in _query("methods_used_for_task", "-p", "task=Question Answering")] == ["bert",
                                                                                                   "transformer"]
    evaluations = _query("evaluations_of_method", "-p", "method=BERT")
    assert [(r["key"], r["kind"]) for r in evaluations] == [("f1", "metric"), ("glue", "dataset"),
                                                            ("squad", "dataset")]
    assert [(r["key"], r["papers"], r["paper_ids"]) for r in _query("compared_with", "-p", "method=elmo")] == \
        [("bert", 2, ["p1", "p2"])]
    assert [(r["relation"], r["direction"], r["key"]) for r in _query("parts_and_kinds", "-p", "entity=transformer")] \
        == [("PART_OF", "incoming", "attention")]
    assert [(r["relation"], r["direction"], r["key"]) for r in _query("parts_and_kinds", "-p", "entity=attention")] \
        == [("PART_OF", "outgoing", "transformer")]
