"""Typed relation edges in the graph: aggregation over papers, one edge per entity pair stored against the
CO_OCCURS direction, relations.csv, the seeds' build, and --update giving what a full rebuild gives."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from citegraph.extract.records import Extraction, Mention, Paper, Relation, Sentence
from citegraph.graph.build import build_tables
from citegraph.graph.build.typed_relations import MAX_EVIDENCE, RELATION_TYPES, typed_relation_edges
from citegraph.graph.builddir.build import load_build, load_graph
from citegraph.graph.formats.tables import relation_rows

TYPES = set(RELATION_TYPES.values())


def _paper(pid: str, words: list[tuple[str, str]], relations: list[tuple[int, int, str, float]]):
    """A paper of one sentence naming ``words`` ((text, key) pairs), with ``relations`` between them."""
    text, mentions = "", []
    for word, key in words:
        mentions.append(Mention(word, "method", len(text), len(text) + len(word), "abstract", key))
        text += word + " "
    return (Paper(pid, pid, text.strip()),
            Extraction(pid, pid, tuple(mentions), sentences=(Sentence("abstract", 0, len(text.strip())),),
                       relations=tuple(Relation(*r) for r in relations)))


def test_typed_relations_aggregate_over_papers():
    records = [
        _paper("p1", [("BERT", "bert"), ("ELMo", "elmo"), ("SQuAD", "squad")],
               [(0, 1, "COMPARE", 0.6), (2, 0, "EVALUATE-FOR", 0.9)]),
        _paper("p2", [("ELMo", "elmo"), ("BERT", "bert"), ("SQuAD", "squad"), ("bert", "bert")],
               [(0, 1, "COMPARE", 0.8), (2, 1, "USED-FOR", 0.5), (1, 3, "CONJUNCTION", 0.9)]),
    ]
    papers, xs = zip(*records)
    edges = {(u, v): d for u, v, d in typed_relation_edges(papers, xs)}
    assert all(u > v for u, v in edges)  # against the CO_OCCURS direction (u < v): never the same slot
    compare = edges[("entity:elmo", "entity:bert")]
    # stated in both directions by two papers: one symmetric edge, head the smaller id
    assert (compare["type"], compare["head"], compare["tail"]) == ("COMPARE", "entity:bert", "entity:elmo")
    assert (compare["papers"], compare["paper_ids"], compare["score"]) == (2, ["p1", "p2"], 0.7)
    assert [e["paper"] for e in compare["evidence"]] == ["p1", "p2"]
    # squad-bert: EVALUATE-FOR (0.9) and USED-FOR (0.5), one paper each: the higher mean score is the edge
    assert edges[("entity:squad", "entity:bert")]["type"] == "EVALUATE_FOR"
    assert len(edges) == 2  # BERT CONJUNCTION bert: two spellings of one entity, no edge


def test_typed_relations_evidence_is_capped_and_sorted():
    records = [_paper(f"p{i:02d}", [("A", "a"), ("B", "b")], [(0, 1, "USED-FOR", 0.5)]) for i in range(15)]
    papers, xs = zip(*records)
    [(_, _, d)] = typed_relation_edges(papers, xs)
    assert d["papers"] == 15 and len(d["evidence"]) == MAX_EVIDENCE
    assert [e["paper"] for e in d["evidence"]] == sorted(e["paper"] for e in d["evidence"])


def test_typed_relations_in_the_built_graph_and_relations_csv(tmp_path):
    papers, xs = zip(*[_paper("p1", [("BERT", "bert"), ("SQuAD", "squad")], [(1, 0, "EVALUATE-FOR", 0.9)])])
    built = build_tables(papers, xs)
    G = built.to_networkx()
    assert G.edges["entity:bert", "entity:squad"]["type"] == "CO_OCCURS"
    assert G.edges["entity:squad", "entity:bert"]["type"] == "EVALUATE_FOR"
    rows = list(relation_rows(built))
    assert rows == [["entity:squad", "EVALUATE_FOR", "entity:bert", "SQuAD", "BERT", 1, 0.9, ["p1"],
                     ["p1:abstract:0-10"]]]


def test_typed_relations_seeds_build_has_a_hundred_with_evidence(seeds_build: Path):
    G = load_graph(seeds_build)
    build = load_build(seeds_build)
    typed = [(u, v, d) for u, v, d in G.edges(data=True) if d["type"] in TYPES]
    assert len(typed) >= 100
    for u, v, d in typed:
        assert {d["head"], d["tail"]} == {u, v} and u > v
        assert d["papers"] == len(d["paper_ids"]) >= 1 and 0 < d["score"] <= 1 and d["evidence"]
        for e in d["evidence"]:
            sentence = build.papers[e["paper"]].field(e["field"])[e["start"]:e["end"]]
            # the sentence names both entities (one of their spellings)
            for node in (d["head"], d["tail"]):
                assert any(a in sentence for a in G.nodes[node]["aliases"]), (node, sentence)
    with open(seeds_build / "relations.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(typed) and {r["type"] for r in rows} <= TYPES
    manifest = json.loads((seeds_build / "manifest.json").read_text())
    assert "relations.csv" in manifest["outputs"]


def _jsonl(path: Path, papers: list[Paper]) -> Path:
    path.write_text("".join(json.dumps({"id": p.id, "title": p.title, "abstract": p.abstract}) + "\n"
                            for p in papers), encoding="utf-8")
    return path


@pytest.mark.timeout(900)
def test_typed_relations_update_equals_a_full_rebuild(seeds_build: Path, tmp_path: Path):
    papers = sorted(load_build(seeds_build).papers.values(), key=lambda p: p.id)[:40]
    a, b = _jsonl(tmp_path / "a.jsonl", papers[:20]), _jsonl(tmp_path / "b.jsonl", papers[20:])

    def run(*args):
        proc = subprocess.run([sys.executable, "-m", "citegraph", *args, "--no-html"], capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr

    run("build", str(a), str(b), "--out", str(tmp_path / "full"))
    run("build", str(a), "--out", str(tmp_path / "inc"))
    run("build", "--update", str(tmp_path / "inc"), str(b))
    full, inc = (tmp_path / "full" / "relations.csv").read_text(), (tmp_path / "inc" / "relations.csv").read_text()
    assert full == inc and full.count("\n") > 10

    def typed(d):
        return sorted((u, v, json.dumps(x, sort_keys=True)) for u, v, x in
                      ((e["source"], e["target"], e) for e in json.loads((d / "graph.json").read_text())["links"])
                      if x["type"] in TYPES)

    assert typed(tmp_path / "full") == typed(tmp_path / "inc")
    # changes.json says which typed relations the update added or strengthened: those of the full build that the
    # first half lacked or had with fewer papers
    changes = json.loads((tmp_path / "inc" / "changes.json").read_text())

    def table(d):
        with open(d / "relations.csv", encoding="utf-8") as fh:
            return {(r["head"], r["type"], r["tail"]): int(r["papers"]) for r in csv.DictReader(fh)}

    run("build", str(a), "--out", str(tmp_path / "half"))
    before, after = table(tmp_path / "half"), table(tmp_path / "full")
    assert changes["new_relations"] == [[*k, n] for k, n in sorted(after.items()) if k not in before]
    assert changes["new_relations"]
    assert changes["strengthened_relations"] == [[*k, before[k], n] for k, n in sorted(after.items())
                                                 if k in before and n > before[k]]
