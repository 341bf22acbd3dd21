"""Analysis in place: papers found by title, answers from the analyses already made, the report in titles, the
build's summary of undated papers, and what an update added, by name, in changes.json and in the report."""

from __future__ import annotations

import json
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from citegraph.graph.analytics.papers import PaperNotFound, find_paper
from citegraph.graph.builddir.files import write_json
from citegraph.graph.cli.main import main
from citegraph.graph.formats.node_link import graph_to_json
from citegraph.graph.report.cache import CACHE_FILE
from citegraph.testing import random_graph, toy_graph


@pytest.fixture()
def build(tmp_path: Path) -> Path:
    d = tmp_path / "build"
    write_json(d / "graph.json", graph_to_json(random_graph(40, 30, seed=2)), compact=True)
    return d


def analyze(*args: str) -> str:
    result = CliRunner().invoke(main, ["analyze", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_find_paper_by_id_title_part_words_and_typo():
    G = toy_graph()
    title = G.nodes["paper:p2"]["title"]
    assert find_paper(G, "p2") == find_paper(G, "paper:p2") == "paper:p2"
    assert find_paper(G, f"  {title.upper()}!! ") == "paper:p2"
    assert find_paper(G, title[:-2] + "zz") == "paper:p2"  # misspelt
    words = title.split()
    assert find_paper(G, " ".join(reversed(words))) == "paper:p2"  # every word, any order
    with pytest.raises(PaperNotFound, match=r"unknown paper 'nothing like it'"):
        find_paper(G, "nothing like it")


def test_analyze_unknown_title_fails_at_once_with_suggestions(build: Path):
    G = json.loads((build / "graph.json").read_text())
    title = next(n["title"] for n in G["nodes"] if n["kind"] == "paper")
    result = CliRunner().invoke(main, ["analyze", str(build), "--paper", title[: len(title) // 2] + " qqq"])
    assert result.exit_code == 1
    assert "unknown paper" in result.output and "did you mean" in result.output and repr(title) in result.output
    assert not (build / "report.json").exists() and not (build / CACHE_FILE).exists()  # no work was done


def test_analyze_paper_answers_from_the_kept_analyses_in_titles(build: Path, tmp_path: Path):
    G = json.loads((build / "graph.json").read_text())
    pid, title = next((n["id"], n["title"]) for n in G["nodes"] if n["kind"] == "paper")
    analyze(str(build))
    assert (build / CACHE_FILE).is_file()
    out = analyze(str(build), "--paper", title.lower())
    assert out.splitlines()[0] == f"Nearest to: {title} ({pid})"
    report = json.loads((build / "report.json").read_text())
    assert list(report["similarity"]["nearest"]) == [pid]
    html = (build / "report.html").read_text()
    assert f"Nearest to: <cite>{escape(title)}</cite>" in html and f"Nearest to: {pid}" not in html
    # the same files as a fresh analysis asked the same question
    analyze(str(build), "--out", str(tmp_path / "fresh"), "--paper", pid)
    assert (build / "report.json").read_bytes() == (tmp_path / "fresh" / "report.json").read_bytes()
    assert (build / "report.html").read_bytes() == (tmp_path / "fresh" / "report.html").read_bytes()
    # it answered from the kept analyses: what they hold is what the report says
    cache = json.loads((build / CACHE_FILE).read_text())
    cache["report"]["bridges"] = []
    (build / CACHE_FILE).write_text(json.dumps(cache))
    analyze(str(build), "--paper", pid)
    assert json.loads((build / "report.json").read_text())["bridges"] == []
    # another graph misses them
    (build / "graph.json").write_text((build / "graph.json").read_text() + "\n")
    analyze(str(build), "--paper", pid)
    assert json.loads((build / "report.json").read_text())["bridges"] != []


@pytest.fixture(scope="module")
def updated_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    d = tmp_path_factory.mktemp("update")
    first, second = d / "first.jsonl", d / "second.jsonl"
    rows = [{"id": f"a{i}", "title": f"Transformers for protein folding part {i}",
             "abstract": "We train a Transformer on the Protein Data Bank for protein structure prediction.",
             **({"date": "2025-03-0" + str(1 + i % 3)} if i % 2 else {})} for i in range(6)]
    first.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    new = [{"id": "b1", "title": "Graph neural networks for molecule generation",
            "abstract": "A graph neural network trained on the QM9 dataset improves molecule generation with a "
                        "Transformer.", "date": "2025-03-09"}]
    second.write_text("".join(json.dumps(r) + "\n" for r in new), encoding="utf-8")
    out = d / "out"
    run = [sys.executable, "-m", "citegraph", "build", "--rules-only", "--year", "2025"]
    first_run = subprocess.run([*run, str(first), "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert first_run.returncode == 0, first_run.stderr
    assert "3 of 6 papers have no date" in first_run.stderr
    proc = subprocess.run([*run, "--update", str(out), str(second)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_update_changes_carry_names_and_the_report_says_what_is_new(updated_build):
    out, proc = updated_build
    assert "3 of 7 papers have no date" in proc.stderr
    changes = json.loads((out / "changes.json").read_text())
    assert changes["new_papers"] == ["paper:b1"]
    assert changes["names"]["paper:b1"] == "Graph neural networks for molecule generation"
    mentioned = {e["id"] for e in changes["new_entities"]} | {n for e in changes["new_edges"] for n in e[:2]}
    assert mentioned and mentioned <= set(changes["names"])
    analyze(str(out))
    html = (out / "report.html").read_text()
    assert '<h2 id="new">What is new</h2>' in html and '<a href="#new">' in html
    assert "Graph neural networks for molecule generation" in html
    for e in changes["new_entities"][:3]:
        assert escape(changes["names"][e["id"]]) in html
    report = json.loads((out / "report.json").read_text())
    assert report["changes"]["totals"]["papers"] == 1
    assert report["changes"]["totals"]["links"] == len(changes["new_edges"])
