"""The Python API (``import citegraph``): what a notebook user does, checked against what the CLI writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import citegraph
from citegraph.graph.build.job import SAMPLE

RECORDS = [
    {"id": "bert", "title": "BERT fine-tuned on SQuAD", "abstract": "We fine-tune BERT on SQuAD and GLUE benchmarks.",
     "date": "2024-03-13", "authors": ["A. Author", "B. Author"]},
    {"id": "gpt", "title": "GPT without fine-tuning", "abstract": "GPT is evaluated on the GLUE benchmark and SQuAD.",
     "date": "2024-03-14"},
    {"title": "A paper without an abstract"},
    {"abstract": "a record without a title is reported, not built"},
]


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory) -> tuple[citegraph.Build, Path, Path]:
    """The embedded sample built by the library and saved, and built by the CLI (both rules-only: fast)."""
    tmp = tmp_path_factory.mktemp("api")
    b = citegraph.build(rules_only=True, year=2025)
    b.save(tmp / "library")
    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", "--rules-only", "--year", "2025",
                           "--out", str(tmp / "cli")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return b, tmp / "library", tmp / "cli"


def test_api_build_of_records_is_a_networkx_graph():
    b = citegraph.build(RECORDS, rules_only=True)
    assert isinstance(b.graph, nx.DiGraph)
    papers = {n for n, d in b.graph.nodes(data=True) if d["kind"] == "paper"}
    assert papers == {f"paper:{pid}" for pid in b.papers} and len(papers) == 3
    assert {"paper:bert", "paper:gpt"} <= papers  # explicit ids are kept
    assert any(d["kind"] == "entity" for _, d in b.graph.nodes(data=True))
    assert b.papers["bert"].authors == ("A. Author", "B. Author")
    assert set(b.extractions) == set(b.papers)
    assert [str(p) for p in b.problems] == ["records:4: record without a title was skipped"]
    assert b.manifest["counts"]["papers"] == 3 and b.manifest["problems"] == [str(b.problems[0])]


def test_api_build_without_a_usable_paper_raises():
    with pytest.raises(citegraph.CitegraphError, match="no usable paper was read"):
        citegraph.build([{"abstract": "no title"}], rules_only=True)


def test_api_save_writes_what_the_cli_writes(sample_build):
    _, library, cli = sample_build
    lib_manifest = json.loads((library / "manifest.json").read_text())
    cli_manifest = json.loads((cli / "manifest.json").read_text())
    assert sorted(lib_manifest["outputs"]) == sorted(cli_manifest["outputs"])
    for name in lib_manifest["outputs"]:
        assert (library / name).read_bytes() == (cli / name).read_bytes(), name
    for manifest in (lib_manifest, cli_manifest):
        manifest.pop("run")
    assert lib_manifest == cli_manifest


def test_api_load_round_trips_the_graph(sample_build):
    b, library, _ = sample_build
    loaded = citegraph.load(library)
    assert loaded.directory == library
    assert dict(loaded.graph.nodes(data=True)) == dict(b.graph.nodes(data=True))
    assert ({(u, v): d for u, v, d in loaded.graph.edges(data=True)}
            == {(u, v): d for u, v, d in b.graph.edges(data=True)})
    assert loaded.papers == b.papers and loaded.extractions == b.extractions


def test_api_a_loaded_build_saves_as_a_copy(sample_build, tmp_path):
    _, library, _ = sample_build
    citegraph.load(library).save(tmp_path / "copy")
    for name in json.loads((library / "manifest.json").read_text())["outputs"]:
        assert (tmp_path / "copy" / name).read_bytes() == (library / name).read_bytes(), name


def test_api_render_map_is_the_page_graph_html_holds(sample_build):
    b, library, _ = sample_build
    html = citegraph.render_map(b)
    assert html == (library / "graph.html").read_text(encoding="utf-8")
    top = max((d["paper_count"], d["name"]) for _, d in b.graph.nodes(data=True) if d["kind"] == "entity")[1]
    focused = citegraph.render_map(citegraph.load(library), focus=top)
    assert focused != html and "<html" in focused.lower()


def test_api_read_and_extract_give_the_build_s_records(sample_build):
    b, _, _ = sample_build
    read = citegraph.read([SAMPLE], year=2025)
    assert [p.id for p in read.papers] == list(b.papers)
    extractions = citegraph.extract(read.papers[:5], rules_only=True)
    assert [x.id for x in extractions] == [p.id for p in read.papers[:5]]
    assert all(m.key for x in extractions for m in x.mentions)
