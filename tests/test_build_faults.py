"""Faults around ``citegraph build``: concurrent builds are refused by the lock, a stale lock is taken
over, an interrupted build (SIGINT, SIGKILL) leaves the previous output byte-identical, ``atomic_write`` never leaves
half a file, and bad input gives per-file messages, a summary and the right exit code, never a traceback."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from citegraph.graph.builddir.lock import LOCK_NAME, BuildLock
from citegraph.graph.builddir.snapshot import STAGING_MARKER, STAGING_PREFIX
from citegraph.graph.builddir.files import atomic_write

RULES = ["--rules-only", "--year", "2025"]


def citegraph(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "citegraph", *args], capture_output=True, text=True,
                          timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def start(log: Path, *args: str) -> subprocess.Popen:
    """A build in its own process group (it starts extraction workers), stderr to ``log``."""
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "citegraph", *args], stdout=subprocess.DEVNULL, stderr=fh,
                                start_new_session=True)
    proc.log = log  # type: ignore[attr-defined]
    return proc


def signal_group(proc: subprocess.Popen, sig: int) -> None:
    """Signal the build and the workers it started, as Ctrl-C in a terminal does (only our own group)."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def stop(proc: subprocess.Popen) -> str:
    signal_group(proc, signal.SIGKILL)
    proc.wait(timeout=60)
    return proc.log.read_text()  # type: ignore[attr-defined]


def snapshot(out: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(out.iterdir()) if f.is_file()}


def small_input(tmp_path: Path, n: int = 3) -> Path:
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps({"id": f"s{i}", "title": f"Paper {i} on Transformers",
                                        "abstract": "We train generative adversarial networks (GANs) on ImageNet."})
                            + "\n" for i in range(n)))
    return path


@pytest.fixture(scope="module")
def large_input(seed_files, tmp_path_factory) -> Path:
    """A few thousand synthetic abstracts made of the seeds' sentences: slow enough to interrupt."""
    from citegraph.extract.readers.listings import read_listings

    sentences = [s.strip() + "." for p in read_listings(seed_files, year=2025).papers
                 for s in p.abstract.split(". ") if len(s) > 30]
    rng = random.Random(6)
    path = tmp_path_factory.mktemp("large") / "large.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(4000):
            fh.write(json.dumps({"id": f"L{i}", "title": f"Synthetic paper {i}",
                                 "abstract": " ".join(rng.sample(sentences, 6))}) + "\n")
    return path


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A complete earlier build of a small input, and its files' bytes."""
    tmp = tmp_path_factory.mktemp("previous")
    out = tmp / "out"
    proc = citegraph("build", str(small_input(tmp)), "--out", str(out), *RULES)
    assert proc.returncode == 0, proc.stderr
    return out, snapshot(out)


def _copy_build(previous_build, tmp_path: Path) -> Path:
    src, files = previous_build
    out = tmp_path / "out"
    out.mkdir()
    for name, data in files.items():
        (out / name).write_bytes(data)
    return out


# --- the lock ----------------------------------------------------------------------------------------------------

def test_build_faults_second_build_is_refused_naming_the_lock(previous_build, tmp_path):
    out = _copy_build(previous_build, tmp_path)
    before = snapshot(out)
    with BuildLock(out):
        proc = citegraph("build", str(small_input(tmp_path)), "--out", str(out), *RULES)
        assert proc.returncode != 0
        assert LOCK_NAME in proc.stderr and str(os.getpid()) in proc.stderr
        assert "another build" in proc.stderr
    before.pop(LOCK_NAME, None)
    assert {k: v for k, v in snapshot(out).items() if k != LOCK_NAME} == before


def test_build_faults_racing_real_build_is_refused(large_input, tmp_path):
    out = tmp_path / "out"
    first = start(tmp_path / "first.log", "build", str(large_input), "--out", str(out), *RULES, "--no-html")
    try:
        lock = out / LOCK_NAME
        _wait(lambda: lock.exists() and lock.read_text().strip() == str(first.pid), first)
        proc = citegraph("build", str(small_input(tmp_path)), "--out", str(out), *RULES)
        assert proc.returncode != 0 and str(lock) in proc.stderr and str(first.pid) in proc.stderr
        assert first.poll() is None, "the first build must not be disturbed"
    finally:
        stop(first)


def test_build_faults_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(str(dead.pid))
    proc = citegraph("build", str(small_input(tmp_path)), "--out", str(out), *RULES, "--no-html")
    assert proc.returncode == 0, proc.stderr
    assert "stale lock" in proc.stderr
    assert not (out / LOCK_NAME).exists()
    assert (out / "manifest.json").exists()


# --- interrupted builds ------------------------------------------------------------------------------------------

def _wait(condition, proc: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the build ended (exit {proc.returncode}) before it could be interrupted: "
                        f"{proc.log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail("the build never reached the point where it is interrupted")
        time.sleep(0.05)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
@pytest.mark.parametrize("phase", ["extracting", "writing"])
def test_build_faults_interrupted_build_keeps_previous_output(previous_build, large_input, tmp_path, sig, phase):
    out = _copy_build(previous_build, tmp_path)
    before = snapshot(out)
    proc = start(tmp_path / "build.log", "build", str(large_input), "--out", str(out), *RULES)
    if phase == "extracting":  # the lock is taken, the input read, the pipeline running
        _wait(lambda: (out / LOCK_NAME).exists(), proc)
        time.sleep(3)
    else:  # files are being written into the staging folder
        _wait(lambda: any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir()), proc)
    assert proc.poll() is None, "the build finished before it was interrupted"
    signal_group(proc, sig)
    try:
        proc.wait(timeout=60)
    finally:
        stderr = stop(proc)  # no worker outlives the test
    assert proc.returncode != 0
    assert "Traceback" not in stderr
    after = snapshot(out)
    after.pop(LOCK_NAME, None)  # SIGKILL leaves the lock; the next build takes it over (dead pid)
    assert after == before, "the previous complete output changed"
    if sig == signal.SIGINT:
        assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "SIGINT left staging or lock files"
    # a rerun succeeds, takes over the lock and leaves no lock or staging folder behind, the killed build's included
    rerun = citegraph("build", str(small_input(tmp_path, 4)), "--out", str(out), *RULES, "--no-html")
    assert rerun.returncode == 0, rerun.stderr
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert json.loads((out / "manifest.json").read_text())["counts"]["papers"] == 4


def test_build_faults_stale_staging_folder_is_removed_by_the_next_build(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    stale = out / f"{STAGING_PREFIX}{dead.pid}-0a1b2c3d"
    stale.mkdir(parents=True)
    (stale / STAGING_MARKER).write_text(str(dead.pid))
    (stale / "graph.json").write_text("{half a fi")
    assert citegraph("build", str(small_input(tmp_path)), "--out", str(out), *RULES, "--no-html").returncode == 0
    # a folder of the user's that only looks like staging (no citegraph staging name, or no marker) is never touched
    theirs = [out / f".staging-{dead.pid}", out / f"{STAGING_PREFIX}{dead.pid}-99999999"]
    for folder in theirs:
        folder.mkdir()
        (folder / "thesis.tex").write_text("mine")
    proc = citegraph("build", str(small_input(tmp_path)), "--out", str(out), *RULES, "--no-html")
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists()
    assert all((folder / "thesis.tex").read_text() == "mine" for folder in theirs)


def test_build_faults_damaged_cache_entries_are_extracted_again(tmp_path):
    """A damaged line of extraction-cache.jsonl costs a re-extraction of that paper, never a wrong or failed build."""
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"c{i}", "title": f"Paper {i}", "abstract": f"We train GAN-{i} on "
                                       "ImageNet and CIFAR-10 with Adam."}) + "\n" for i in range(4)))
    out = tmp_path / "out"
    assert citegraph("build", str(src), "--out", str(out), *RULES, "--no-html").returncode == 0
    before = snapshot(out)
    cache = out / "extraction-cache.jsonl"
    lines = cache.read_text().splitlines()
    assert len(lines) == 4
    bad = json.loads(lines[1])
    bad["extraction"]["mentions"] = [{"text": "x"}]  # valid JSON, not a valid extraction
    cache.write_text("\n".join([lines[0], json.dumps(bad), "{not json", lines[3]]) + "\n")
    proc = citegraph("build", str(src), "--out", str(out), *RULES, "--no-html")
    assert proc.returncode == 0, proc.stderr
    assert "unreadable cache entry" in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["run"]["extracted"], manifest["run"]["cached"]) == (2, 2)
    after = snapshot(out)
    for name in before:
        if name != "manifest.json":
            assert after[name] == before[name], f"{name} differs after re-extracting the damaged entries"


@pytest.mark.parametrize("workers", ["1", "2"], ids=["here", "forked-writer"])
def test_build_faults_update_over_a_damaged_build_is_one_clear_error(tmp_path, workers):
    """--update reads the previous build's tables for changes.json (in the forked writer with 2 workers), falling
    back to its graph.json: with both damaged, the user gets one message naming the file, and the build is kept."""
    out = tmp_path / "out"
    assert citegraph("build", str(small_input(tmp_path)), "--out", str(out), *RULES, "--no-html").returncode == 0
    (out / "cooccurrence.csv").write_text("x,y\n1,2\n")
    (out / "graph.json").write_text("{half a fi")
    before = snapshot(out)
    day = tmp_path / "day.jsonl"
    day.write_text(json.dumps({"id": "d1", "title": "New", "abstract": "We train BERT on GLUE."}) + "\n")
    proc = citegraph("build", "--update", str(out), str(day), *RULES, "--no-html", "--workers", workers)
    assert proc.returncode != 0
    # the damaged graph.json no longer matches the sha256 the manifest lists for it
    assert "graph.json does not match the sha256 its manifest lists" in proc.stderr
    assert snapshot(out) == before
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


# --- atomic_write ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_build_faults_atomic_write_error_keeps_old_content(tmp_path, error):
    path = tmp_path / "data.json"
    path.write_text("old content\n")
    with pytest.raises(error):
        with atomic_write(path) as fh:
            fh.write("new half")
            raise error("interrupted mid-write")
    assert path.read_text() == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]


def test_build_faults_atomic_write_killed_writer_keeps_old_content(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("old content\n")
    code = ("import os, signal, sys\nfrom citegraph.graph.builddir.files import atomic_write\n"
            f"with atomic_write({str(path)!r}) as fh:\n"
            "    fh.write('x' * 100000); fh.flush(); os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert path.read_text() == "old content\n"
    # what a killed writer can leave is a hidden temporary file, never a visible output
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["data.txt"]


# --- bad input end to end ----------------------------------------------------------------------------------------

@pytest.fixture
def mixed_inputs(tmp_path) -> dict[str, Path]:
    files = {
        "good": small_input(tmp_path, 3),
        "broken": tmp_path / "broken.jsonl",
        "binary": tmp_path / "binary.txt",
        "empty": tmp_path / "empty.csv",
        "bomb": tmp_path / "bomb.xml",
        "missing": tmp_path / "missing.txt",
        "directory": tmp_path / "a-directory",
        "long": tmp_path / "long.jsonl",
    }
    files["broken"].write_text('{"title": "Kept from broken"}\n{not json\n{"abstract": "no title"}\n')
    files["binary"].write_bytes(bytes(range(256)) * 8)
    files["empty"].write_text("")
    files["bomb"].write_text('<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                             "<feed><entry><title>&b;</title></entry></feed>")
    files["directory"].mkdir()
    files["long"].write_text(json.dumps({"title": "Too long", "abstract": "x " * 40_000}) + "\n")
    return files


def test_build_faults_bad_input_is_reported_and_good_papers_kept(mixed_inputs, tmp_path):
    out = tmp_path / "out"
    proc = citegraph("build", *map(str, mixed_inputs.values()), "--out", str(out), *RULES, "--no-html")
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    for line in (f"{mixed_inputs['broken']}:2:", f"{mixed_inputs['broken']}:3:", f"{mixed_inputs['long']}:1:"):
        assert line in err
    for name in ("binary", "empty", "bomb", "missing", "directory"):
        assert str(mixed_inputs[name]) in err, name
    assert "limit of 50,000" in err
    assert re.search(r"4 papers read; \d+ problem\(s\) in the input", err)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["papers"] == 4 and manifest["counts"]["skipped"] >= 8


def test_build_faults_strict_exits_nonzero_on_problems(mixed_inputs, tmp_path):
    proc = citegraph("build", str(mixed_inputs["good"]), str(mixed_inputs["broken"]), "--out", str(tmp_path / "o"),
                     *RULES, "--no-html", "--strict")
    assert proc.returncode != 0
    assert "--strict" in proc.stderr and f"{mixed_inputs['broken']}:2:" in proc.stderr


def test_build_faults_nothing_usable_exits_nonzero_with_a_message(mixed_inputs, tmp_path):
    bad = [str(mixed_inputs[k]) for k in ("binary", "empty", "bomb", "missing", "directory")]
    out = tmp_path / "out"
    proc = citegraph("build", *bad, "--out", str(out), *RULES)
    assert proc.returncode != 0
    assert "no usable paper" in proc.stderr
    assert not (out / "manifest.json").exists()
    proc = citegraph("extract", *bad, "--out", str(tmp_path / "m.jsonl"), *RULES)
    assert proc.returncode != 0 and "no usable paper" in proc.stderr
