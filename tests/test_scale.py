"""Incremental builds, several processes and a Dask cluster must all give exactly the output of one plain build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citegraph.graph.builddir.changes import graph_changes
from citegraph.graph.builddir.build import load_graph


def build(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", "--year", "2025", "--no-html", *args],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return proc


def same_outputs(a: Path, b: Path, ignore: set[str] = frozenset()) -> None:
    names = {p.name for p in a.iterdir()} - ignore
    assert names == {p.name for p in b.iterdir()} - ignore
    for name in sorted(names):
        if name == "manifest.json":
            ma, mb = (json.loads((d / name).read_text()) for d in (a, b))
            for m in (ma, mb):
                m.pop("run")
                m["outputs"] = {k: v for k, v in m["outputs"].items() if k not in ignore}
            assert ma == mb
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"


@pytest.fixture(scope="module")
def two_pages(seed_files):
    return [str(seed_files[2]), str(seed_files[0])]  # Mar 13 (41 papers), then Mar 17 (58, some shared)


@pytest.fixture(scope="module")
def full(two_pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("full") / "out"
    build(*two_pages, "--out", str(out), "--workers", "1")
    return out


def test_scale_update_equals_full_rebuild_and_reextracts_only_new(two_pages, full, tmp_path):
    out = tmp_path / "inc"
    build(two_pages[0], "--out", str(out))
    first = json.loads((out / "manifest.json").read_text())
    first_graph = load_graph(out)
    proc = build("--update", str(out), two_pages[1])
    manifest = json.loads((out / "manifest.json").read_text())
    n_new = manifest["counts"]["papers"] - first["counts"]["papers"]
    assert manifest["run"]["extracted"] == n_new < manifest["counts"]["papers"]
    assert "from the cache" in proc.stderr
    changes = json.loads((out / "changes.json").read_text())
    assert len(changes["new_papers"]) == n_new
    assert changes["new_entities"] and all(e["id"].startswith("entity:") for e in changes["new_entities"])
    # the update reads the previous build's tables, not its graph.json: same answer as comparing the two graphs
    assert changes == json.loads(json.dumps(graph_changes(first_graph, load_graph(out))))
    assert changes["new_edges"] and changes["strengthened_edges"] and changes["new_references"] is not None
    same_outputs(out, full, ignore={"changes.json"})
    # a plain rebuild afterwards removes the stale changes.json
    build(*two_pages, "--out", str(out))
    assert not (out / "changes.json").exists()


def test_scale_rebuild_from_the_cache_does_not_load_spacy(two_pages, full, tmp_path):
    # the cache's key is told from the pipeline's files: when every paper is cached, spaCy is not even imported
    # (about 2 s of a small rebuild), and the output is the plain build's
    import shutil

    out = tmp_path / "again"
    shutil.copytree(full, out)
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('spacy imported:', 'spacy' in sys.modules, file=sys.stderr))\n"
            "from citegraph.graph.cli.main import main\n"
            "main()")
    proc = subprocess.run([sys.executable, "-c", code, "build", "--year", "2025", "--no-html", *two_pages, "--out",
                           str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "manifest.json").read_text())["run"]["extracted"] == 0
    assert "spacy imported: False" in proc.stderr
    same_outputs(out, full)


def test_scale_two_workers_give_identical_output(two_pages, full, tmp_path):
    out = tmp_path / "w2"
    build(*two_pages, "--out", str(out), "--workers", "2")
    assert json.loads((out / "manifest.json").read_text())["run"]["workers"] == 2
    same_outputs(out, full)


def test_scale_dask_local_cluster_gives_identical_output(two_pages, full, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        out = tmp_path / "dask"
        build(*two_pages, "--out", str(out), "--dask", lc.scheduler_address)
    assert json.loads((out / "manifest.json").read_text())["run"]["dask"] is True
    same_outputs(out, full)


def test_scale_unreachable_dask_scheduler_is_one_clear_error(two_pages, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", two_pages[0], "--out", str(tmp_path / "x"),
                           "--dask", "tcp://127.0.0.1:9", "--no-html"], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "Dask scheduler" in proc.stderr and "Traceback" not in proc.stderr


def test_scale_cache_is_not_reused_when_the_rule_data_changes(two_pages, full, tmp_path):
    """Re-learned rule data keeps the model's version string; the cache must still see the change."""
    import shutil

    from citegraph.extract.pipeline.load import DEFAULT_MODEL

    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL, model)
    out = tmp_path / "out"
    shutil.copytree(full, out)  # its cache was made by the shipped model
    build(two_pages[0], "--out", str(out), "--model", str(model))  # same content elsewhere: every paper cached
    assert json.loads((out / "manifest.json").read_text())["run"]["extracted"] == 0
    data = model / "citegraph_generic_filter" / "data.json"
    table = json.loads(data.read_text())
    table["generic"].pop("model")  # "model" is no longer a generic term
    data.write_text(json.dumps(table))
    build(two_pages[0], "--out", str(out), "--model", str(model))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["extracted"] == manifest["counts"]["papers"] > 0
