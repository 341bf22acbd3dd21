"""The database follows the build (real Neo4j): after a rebuild or an --update of the same build directory, a push
leaves in Neo4j exactly what the build has; deletes run in transactions of --batch-size rows; a row the server
refuses is reported with its id and the rest is pushed."""

from __future__ import annotations

from collections import Counter
import json
from pathlib import Path

import pytest

import citegraph
from citegraph.graph.builddir.build import load_graph, load_graph_and_manifest
from citegraph.graph.store.named_queries import get_query, run_query
from citegraph.graph.store.neo4j_store import delete_citegraph, push_graph
from citegraph.testing import graph_from_papers

pytestmark = pytest.mark.neo4j


def _records(n: int, start: int = 0) -> list[dict]:
    """Listings whose abstracts mention shared datasets and methods, so papers relate."""
    methods = ["BERT", "ResNet", "GAN", "Transformer", "LSTM", "diffusion model"]
    data = ["ImageNet", "CIFAR-10", "SQuAD", "GLUE", "COCO"]
    return [{"id": f"p{i}", "title": f"Study {i} of {methods[i % 6]}",
             "abstract": f"We train {methods[i % 6]} and {methods[(i + 1) % 6]} on {data[i % 5]} and "
                         f"{data[(i * 3) % 5]}; sample quality improves with {methods[(i + 2) % 6]}.",
             "date": f"2024-03-{1 + i % 20:02d}"} for i in range(start, start + n)]


def _database_counts(driver, settings) -> tuple[Counter, Counter]:
    nodes = driver.execute_query("MATCH (n:Citegraph) RETURN n.kind AS kind, count(*) AS n",
                                 database_=settings.database).records
    rels = driver.execute_query("MATCH (:Citegraph)-[r]->(:Citegraph) RETURN type(r) AS type, count(*) AS n",
                                database_=settings.database).records
    return Counter({r["kind"]: r["n"] for r in nodes}), Counter({r["type"]: r["n"] for r in rels})


def _build_counts(G) -> tuple[Counter, Counter]:
    return (Counter(d["kind"] for _, d in G.nodes(data=True)),
            Counter(d["type"] for _, _, d in G.edges(data=True)))


def _push(driver, settings, out: Path, **options):
    G, manifest = load_graph_and_manifest(out)
    return push_graph(driver, G, settings, lineage=manifest["run"]["lineage"], **options)


def test_neo4j_follows_build_rebuild_into_the_same_folder_removes_what_it_dropped(neo4j_db, neo4j_settings,
                                                                                     tmp_path):
    out = tmp_path / "out"
    citegraph.build(_records(30), year=2024, workers=1).save(out)
    _push(neo4j_db, neo4j_settings, out)
    citegraph.build(_records(12), year=2024, workers=1).save(out)  # fewer papers: much is gone
    summary = _push(neo4j_db, neo4j_settings, out, batch_size=7)
    assert summary.stale_nodes_deleted > 0 and summary.stale_relationships_deleted > 0
    assert _database_counts(neo4j_db, neo4j_settings) == _build_counts(load_graph(out))
    again = _push(neo4j_db, neo4j_settings, out)  # idempotent: nothing left to write or delete
    assert (again.nodes_created, again.nodes_updated, again.relationships_created, again.relationships_updated,
            again.stale_nodes_deleted, again.stale_relationships_deleted) == (0, 0, 0, 0, 0, 0)


def test_neo4j_follows_build_update_then_push_matches_the_build(neo4j_db, neo4j_settings, tmp_path):
    out = tmp_path / "out"
    first = tmp_path / "first.jsonl"
    first.write_text("".join(f"{json.dumps(r)}\n" for r in _records(25)))
    day = tmp_path / "day.jsonl"
    day.write_text("".join(f"{json.dumps(r)}\n" for r in _records(25, start=25)))
    from click.testing import CliRunner

    from citegraph.graph.cli.main import main

    runner = CliRunner()
    assert runner.invoke(main, ["build", str(first), "--out", str(out), "--no-html", "--workers", "1"]).exit_code == 0
    _push(neo4j_db, neo4j_settings, out)
    assert runner.invoke(main, ["build", "--update", str(out), str(day), "--no-html", "--workers", "1"]).exit_code == 0
    _push(neo4j_db, neo4j_settings, out)
    G = load_graph(out)
    assert _database_counts(neo4j_db, neo4j_settings) == _build_counts(G)
    # a query counts what the build has, no stale duplicate
    entity = max((d["paper_count"], d["name"]) for _, d in G.nodes(data=True) if d["kind"] == "entity")[1]

    def named(n: str) -> bool:
        d = G.nodes[n]
        return (d.get("key") == entity or d["name"].lower() == entity.lower()
                or entity.lower() in [a.lower() for a in d.get("aliases") or []])

    _, rows = run_query(neo4j_db, neo4j_settings, get_query("papers_mentioning"), {"entity": entity, "limit": 1000})
    expected = sum(d["count"] for _, v, d in G.edges(data=True) if d["type"] == "MENTIONS" and named(v))
    assert expected > 1 and sum(r["mentions"] for r in rows) == expected


def test_neo4j_follows_build_other_lineages_and_foreign_nodes_are_kept(neo4j_db, neo4j_settings, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    citegraph.build(_records(10), year=2024, workers=1).save(a)
    citegraph.build(_records(10, start=40), year=2024, workers=1).save(b)
    neo4j_db.execute_query("CREATE (:UserNote {text: 'mine'})", database_=neo4j_settings.database)
    _push(neo4j_db, neo4j_settings, a)
    _push(neo4j_db, neo4j_settings, b)
    papers = neo4j_db.execute_query("MATCH (p:Paper) RETURN count(p) AS n", database_=neo4j_settings.database)
    assert papers.records[0]["n"] == 20  # b's push removed nothing of a's
    deleted = delete_citegraph(neo4j_db, neo4j_settings, batch_size=3)
    assert deleted[0] > 0
    left = neo4j_db.execute_query("MATCH (n) WHERE NOT n:CitegraphTestDatabase RETURN labels(n) AS l",
                                  database_=neo4j_settings.database).records
    assert [r["l"] for r in left] == [["UserNote"]]


def test_neo4j_follows_build_a_refused_row_is_reported_and_the_rest_pushed(neo4j_db, neo4j_settings):
    """A node id too long for the server's index (not possible from the readers, which shorten ids) is refused
    alone; every other row is written."""
    long_id = "x" * 10_000
    papers = {pid: (["2024-03-01"], ["bert", "squad"], []) for pid in [long_id, *(f"ok{i}" for i in range(5))]}
    G = graph_from_papers(papers, {"bert": ("method", "BERT"), "squad": ("dataset", "SQuAD")})
    summary = push_graph(neo4j_db, G, neo4j_settings, batch_size=4)
    assert [r["id"] for r in summary.refused][:1] == [f"paper:{long_id}"[:300]]
    nodes, _ = _database_counts(neo4j_db, neo4j_settings)
    assert sum(nodes.values()) == G.number_of_nodes() - 1
