"""The wheel as a user gets it: ``scripts/test-all`` builds the wheel from the checkout, installs it with its
dependencies into a fresh virtual environment (no system site-packages, not editable) and exports
``CITEGRAPH_WHEEL`` (the wheel file) and ``CITEGRAPH_WHEEL_PYTHON`` (that environment's python).

Every command runs in a subprocess of that environment, from a folder that holds a user's own ``graph.py``,
``extract.py`` and ``queries.py`` (also on ``PYTHONPATH``), so a module missing from the wheel, package data missing
from it, or a top-level ``graph``/``extract`` module shadowing the library shows up here and not in the editable
install the other tests use."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, unavailable

HOW = "run scripts/test-all, which builds the wheel, installs it into a fresh venv and exports it"
#: the folders of the checkout and where setup.py installs them
PACKAGE_DIRS = {"citegraph": "citegraph", "extract": "citegraph/extract", "graph": "citegraph/graph",
                "queries": "citegraph/queries"}
USER_MODULES = ("graph", "extract", "queries")


def _file_from_env(variable: str, what: str) -> Path:
    """The file that test-all names in ``variable``; fails under CI (skips elsewhere) when it is not there."""
    value = os.environ.get(variable)
    if not value:
        unavailable(f"{what} ({variable} is not set)", HOW)
    path = Path(value)
    if not path.is_file():
        unavailable(f"{what} {path} ({variable}) does not exist", HOW)
    return path


@pytest.fixture(scope="module")
def wheel_python() -> Path:
    return _file_from_env("CITEGRAPH_WHEEL_PYTHON", "the venv's python with the installed wheel")


@pytest.fixture(scope="module")
def wheel_file() -> Path:
    return _file_from_env("CITEGRAPH_WHEEL", "the built wheel")


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's project folder with modules named like the repository's folders: if the library imported a
    top-level ``graph``/``extract``/``queries``, it would get these and fail."""
    folder = tmp_path_factory.mktemp("user-project")
    for name in USER_MODULES:
        (folder / f"{name}.py").write_text(f'raise ImportError("the user\'s own {name}.py was imported")\n',
                                           encoding="utf-8")
    return folder


def _env(user_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH"}}
    # the user's folder is importable (as when they run their own scripts there); ~/.local is not
    env.update(PYTHONPATH=str(user_dir), PYTHONNOUSERSITE="1", PYTHONIOENCODING="utf-8")
    # a command that should not need a server must not reach one
    env.update(NEO4J_URI="bolt://127.0.0.1:9", NEO4J_USERNAME="nobody", NEO4J_PASSWORD="wrong")
    return env


def run(args: list[str | Path], user_dir: Path, *, timeout: float = 300, cwd: Path | None = None,
        ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd or user_dir, env=_env(user_dir), capture_output=True,
                          text=True, timeout=timeout)
    if ok:
        assert proc.returncode == 0, (f"{' '.join(map(str, args))} exited {proc.returncode}\n"
                                      f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-5000:]}")
    return proc


def py(wheel_python: Path, code: str, user_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    return run([wheel_python, "-c", code], user_dir, **kwargs)


def script(wheel_python: Path, name: str = "citegraph") -> Path:
    """The console script pip wrote beside the venv's python."""
    path = wheel_python.parent / name
    assert path.is_file(), f"the wheel installed no {name} script in {wheel_python.parent}"
    return path


@pytest.fixture(scope="module")
def site_packages(wheel_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    proc = subprocess.run([str(wheel_python), "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path_factory.mktemp("empty"))
    assert proc.returncode == 0, proc.stderr
    return Path(proc.stdout.strip()).resolve()


# --- what the wheel holds -----------------------------------------------------------------------------------------


def test_wheel_has_one_top_level_name(wheel_file: Path, wheel_python: Path, user_dir: Path,
                                      tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel_file) as z:
        names = z.namelist()
        dist_info = {n.split("/", 1)[0] for n in names if n.split("/", 1)[0].endswith(".dist-info")}
        assert len(dist_info) == 1, f"dist-info folders in the wheel: {sorted(dist_info)}"
        info = dist_info.pop()
        outside = sorted(n for n in names if not n.startswith(("citegraph/", info + "/")))
        assert not outside, f"the wheel installs more than citegraph/: {outside[:20]}"
        if f"{info}/top_level.txt" in names:
            assert z.read(f"{info}/top_level.txt").decode().split() == ["citegraph"]
        record = z.read(f"{info}/RECORD").decode()
    recorded = [line.split(",", 1)[0] for line in record.splitlines() if line.strip()]
    assert recorded and not [p for p in recorded if not p.startswith(("citegraph/", info + "/"))]
    # once installed: no top-level graph/extract/queries module is importable from an empty folder
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run([wheel_python, "-I", "-c", "import importlib.util as u, json; "
                f"print(json.dumps({{n: u.find_spec(n) is not None for n in {list(USER_MODULES)!r}}}))"],
               user_dir, cwd=empty, timeout=60)
    assert json.loads(proc.stdout) == {n: False for n in USER_MODULES}


def test_wheel_holds_every_file_of_the_package_folders(wheel_file: Path) -> None:
    """Every file git knows in extract/, graph/, queries/ and citegraph/ (modules and package data alike) is in the
    wheel under citegraph/: a subfolder without ``__init__.py`` or data without a package-data line would be
    missing."""
    if not (ROOT / ".git").exists() or not shutil.which("git"):
        pytest.skip("not a git checkout: cannot tell the package folders' files from generated ones")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", *PACKAGE_DIRS],
                            cwd=ROOT, capture_output=True, text=True, check=True, timeout=60).stdout.split("\0")
    expected = {}
    for rel in filter(None, listed):
        if not (ROOT / rel).is_file():
            continue  # deleted in the working tree
        top, rest = rel.split("/", 1)
        expected[f"{PACKAGE_DIRS[top]}/{rest}"] = rel
    with zipfile.ZipFile(wheel_file) as z:
        held = set(z.namelist())
    missing = sorted(rel for name, rel in expected.items() if name not in held)
    assert not missing, (f"the wheel lacks {len(missing)} file(s) of the checkout: {missing} (a folder without "
                         "__init__.py is not found by setup.py's find_packages; data needs a "
                         "[tool.setuptools.package-data] line in pyproject.toml)")


# --- what the installed package does ------------------------------------------------------------------------------


def test_imports_come_from_the_installed_wheel(wheel_python: Path, user_dir: Path, site_packages: Path) -> None:
    code = ("import json, citegraph, citegraph.extract.training.convert, citegraph.graph.cli.main, citegraph.extract, "
            "citegraph.graph, citegraph.queries; "
            "print(json.dumps({m.__name__: m.__file__ for m in (citegraph, citegraph.extract, citegraph.graph, "
            "citegraph.queries, citegraph.extract.training.convert, citegraph.graph.cli.main)}))")
    files = json.loads(py(wheel_python, code, user_dir, timeout=120).stdout.strip().splitlines()[-1])
    for name, file in files.items():
        path = Path(file).resolve()
        assert path.is_relative_to(site_packages), f"{name} comes from {path}, not the venv's {site_packages}"
        assert not any(path.is_relative_to(ROOT / folder) for folder in PACKAGE_DIRS), \
            f"{name} comes from the checkout ({path})"


def test_help_and_query_list_need_no_server(wheel_python: Path, user_dir: Path) -> None:
    cli = script(wheel_python)
    help_text = run([cli, "--help"], user_dir, timeout=120).stdout
    for command in ("build", "evaluate", "push", "query", "view"):
        assert re.search(rf"^\s+{command}\b", help_text, re.M), f"`citegraph --help` does not list {command}"
    listing = run([cli, "query", "--list"], user_dir, timeout=120).stdout
    names = {line.split(":", 1)[0] for line in listing.splitlines() if line and not line[0].isspace()}
    shipped = {p.stem for p in (ROOT / "queries").glob("*.cypher")}
    assert shipped and names == shipped, f"listed {sorted(names)}, the checkout has {sorted(shipped)}"
    assert "returns:" in listing
    # python -m citegraph is the same command (only the usage line names it differently)
    module_help = run([wheel_python, "-m", "citegraph", "--help"], user_dir, timeout=120).stdout
    assert module_help.splitlines()[1:] == help_text.splitlines()[1:]


def test_shipped_model_loads_with_its_spacy_factories(wheel_python: Path, user_dir: Path) -> None:
    from citegraph.extract.runner.provenance import RULE_COMPONENTS

    code = ("import json, citegraph; from citegraph.extract.pipeline.load import load_pipeline; "
            "nlp = load_pipeline(); "
            "doc = nlp('We fine-tune BERT on the SQuAD dataset for question answering and report F1 scores.'); "
            "print(json.dumps({'pipe_names': nlp.pipe_names, "
            "'ents': [(e.text, e.label_) for e in doc.ents]}))")
    proc = py(wheel_python, code, user_dir, timeout=300)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "spancat" in out["pipe_names"] and "citegraph_spans_to_ents" in out["pipe_names"], \
        f"the trained model did not load from the wheel: {out['pipe_names']}\n{proc.stderr[-3000:]}"
    assert set(RULE_COMPONENTS) <= set(out["pipe_names"]), out["pipe_names"]
    assert out["ents"], "the shipped pipeline found no entity in a sentence naming BERT and SQuAD"


def test_spacy_entry_points_resolve(wheel_python: Path, user_dir: Path) -> None:
    """spaCy finds the factories and registered functions through the wheel's entry points: each one loads."""
    code = ("import json; from importlib.metadata import distribution; "
            "eps = [e for e in distribution('citegraph').entry_points if e.group.startswith('spacy_')]; "
            "[e.load() for e in eps]; print(json.dumps(sorted(e.group + ':' + e.name for e in eps)))")
    loaded = json.loads(py(wheel_python, code, user_dir, timeout=180).stdout.strip().splitlines()[-1])
    assert "spacy_factories:citegraph_spans_to_ents" in loaded and len(loaded) >= 5, loaded


@pytest.fixture(scope="module")
def wheel_build(wheel_python: Path, user_dir: Path) -> Path:
    """``citegraph build`` of the embedded sample with the shipped model, by the venv's script, made once."""
    run([script(wheel_python), "build", "--out", "out", "--year", "2025", "--workers", "2"], user_dir, timeout=900)
    return user_dir / "out"


@pytest.mark.timeout(900)
def test_build_of_the_sample(wheel_build: Path) -> None:
    import networkx as nx

    for name in ("graph.json", "graph.html", "manifest.json", "mentions.jsonl"):
        assert (wheel_build / name).is_file() and (wheel_build / name).stat().st_size, f"the build wrote no {name}"
    with open(wheel_build / "graph.json", encoding="utf-8") as f:
        G = nx.node_link_graph(json.load(f), edges="links")
    kinds = {d.get("kind") for _, d in G.nodes(data=True)}
    assert {"paper", "entity"} <= kinds, f"node kinds in graph.json: {kinds}"
    assert G.number_of_edges()
    manifest = json.loads((wheel_build / "manifest.json").read_text(encoding="utf-8"))
    assert "spancat" in manifest["pipeline"]["components"], \
        f"the build ran without the shipped model: {manifest['pipeline']}"
    assert [f["path"] for f in manifest["inputs"]] == ["extract/samples/hf_trending_sample.txt"]
    with open(wheel_build / "mentions.jsonl", encoding="utf-8") as f:
        assert any(line.strip() for line in f)


@pytest.mark.timeout(600)
def test_evaluate_a_gold_file(wheel_python: Path, user_dir: Path, tmp_path: Path) -> None:
    from citegraph.extract.evaluate import read_gold_jsonl, write_gold_jsonl
    from citegraph.extract.training.convert import GoldDoc

    def doc(pid: str, field: str, text: str, *names: tuple[str, str]) -> GoldDoc:
        spans = tuple(sorted((text.index(s), text.index(s) + len(s), label) for s, label in names))
        return GoldDoc(pid, field, text, spans)

    docs = [
        doc("p1", "title", "BERT for Question Answering on SQuAD", ("BERT", "method"), ("SQuAD", "dataset"),
            ("Question Answering", "task")),
        doc("p1", "abstract", "We fine-tune BERT on the SQuAD dataset and report F1 and exact match.",
            ("BERT", "method"), ("SQuAD", "dataset"), ("F1", "metric")),
        doc("p2", "title", "ResNet Image Classification on ImageNet", ("ResNet", "method"),
            ("Image Classification", "task"), ("ImageNet", "dataset")),
        doc("p3", "abstract", "A graph attention network is evaluated on Cora with accuracy as the metric.",
            ("graph attention network", "method"), ("Cora", "dataset"), ("accuracy", "metric")),
    ]
    gold = tmp_path / "gold.jsonl"
    write_gold_jsonl(docs, gold)
    assert read_gold_jsonl(gold) == docs  # the file is what the project's reader reads back
    proc = run([script(wheel_python), "evaluate", gold], user_dir, timeout=600)
    n_gold = sum(len(d.entities) for d in docs)
    assert re.search(rf"^micro\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d\s+{n_gold}\s+\d+$", proc.stdout, re.M), \
        f"no micro line over the {n_gold} gold spans in:\n{proc.stdout}"
    assert "4 texts" in proc.stderr and "spancat" in proc.stderr, proc.stderr
