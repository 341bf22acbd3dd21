"""The command line as a user meets it: every command has help with an example and is documented in the README, and
the two halves of the code keep to their side of the contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from citegraph.graph.cli.main import main
from tests.conftest import ROOT

COMMANDS = sorted(main.commands)


def test_cli_has_the_promised_commands():
    assert {"build", "extract", "evaluate", "push", "query", "view", "analyze"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output, f"citegraph {name} --help has no Example:"


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_every_command_is_in_the_readme(name):
    assert f"citegraph {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("package, forbidden", [
    ("graph", ("spacy", "thinc")),
    ("extract", ("networkx", "pyvis", "neo4j")),
    ("extract without the pipeline", ("spacy", "thinc")),  # what a build from the cache runs: no spaCy to import
])
def test_cli_halves_do_not_import_each_others_dependencies(package, forbidden):
    modules = {"graph": ["citegraph.graph.build.tables", "citegraph.graph.builddir.files",
                         "citegraph.graph.builddir.writer", "citegraph.graph.builddir.changes",
                         "citegraph.graph.analytics", "citegraph.graph.view.render",
                         "citegraph.graph.store.neo4j_store", "citegraph.graph.store.neo4j_connection",
                         "citegraph.graph.store.neo4j_rows", "citegraph.graph.report.report"],
               "extract": ["citegraph.extract.readers", "citegraph.extract.pipeline.load",
                           "citegraph.extract.runner.cache", "citegraph.extract.evaluate",
                           "citegraph.extract.resolve", "citegraph.extract.runner.provenance",
                           "citegraph.extract.runner.workers", "citegraph.extract.runner.extract"],
               "extract without the pipeline": ["citegraph.extract.readers", "citegraph.extract.runner.cache",
                                                "citegraph.extract.resolve", "citegraph.extract.runner.provenance",
                                                "citegraph.extract.runner.workers"]}[package]
    code = ("import sys, importlib\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(m for m in {list(forbidden)!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_cli_errors_are_one_sentence_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", str(tmp_path / "missing.txt"), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "missing.txt" in proc.stderr and "cannot be read" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o" / "graph.json").exists()


def test_cli_build_says_why_papers_have_no_date(bibliographic_dir, tmp_path):
    # a Web of Science export gives publication years, not listing dates: alone, its trends run over the years;
    # beside a listing with dates, its papers are the undated ones
    run = [sys.executable, "-m", "citegraph", "build", "--rules-only", "--no-html", "--workers", "1"]
    export = str(bibliographic_dir / "wos_plaintext_metaknowledge.txt")
    alone = subprocess.run([*run, export, "--out", str(tmp_path / "alone")], capture_output=True, text=True,
                           timeout=600)
    assert alone.returncode == 0, alone.stderr
    assert "have no date" not in alone.stderr, alone.stderr
    listing = tmp_path / "listing.jsonl"
    listing.write_text(json.dumps({"id": "l1", "title": "Graph neural networks", "abstract": "We train a GNN.",
                                   "date": "2025-03-01"}) + "\n", encoding="utf-8")
    proc = subprocess.run([*run, export, str(listing), "--out", str(tmp_path / "out")], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"\b(\d+) of (\d+) papers have no date \(they have a publication year but no listing date\)",
                     proc.stderr), proc.stderr
