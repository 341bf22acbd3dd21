"""Every examples/*.py script runs as ``python examples/NAME.py BUILD_DIR`` on real builds and prints something."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from citegraph.testing import toy_graph
from citegraph.graph.builddir.files import write_json
from citegraph.graph.formats.node_link import graph_to_json

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


def _run(script: Path, build: Path) -> str:
    proc = subprocess.run([sys.executable, str(script), str(build)], capture_output=True, text=True, timeout=120,
                          cwd=script.parent.parent)
    assert proc.returncode == 0, f"{script.name}: {proc.stderr}"
    assert proc.stdout.strip(), f"{script.name} printed nothing"
    return proc.stdout


def test_examples_exist():
    assert len(EXAMPLES) >= 5
    for script in EXAMPLES:
        assert "Usage: python examples/" in script.read_text(encoding="utf-8"), script.name


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_examples_run_on_toy_build(script: Path, tmp_path: Path):
    write_json(tmp_path / "graph.json", graph_to_json(toy_graph()))
    _run(script, tmp_path)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_examples_run_on_sample_build(script: Path, sample_build: Path):
    _run(script, sample_build)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_examples_run_on_seeds_build(script: Path, seeds_build: Path):
    _run(script, seeds_build)


def test_examples_topics_names_quadrants_on_toy(tmp_path: Path):
    write_json(tmp_path / "graph.json", graph_to_json(toy_graph()))
    out = _run(next(p for p in EXAMPLES if p.stem == "topics"), tmp_path)
    assert "niche" in out and "question answering / SQuAD / BERT" in out
