"""Nothing of the user's is lost: one bad record never ends a run, --out never destroys a folder citegraph did not
make, a reader sees one whole build even while another is renamed into place, and the limits (ids, query
parameters, CSV cells) give messages, never tracebacks. Each command is run as a user runs it."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.extract.readers import read_file, read_records
from citegraph.extract.readers.text import MAX_ID_CHARS
from citegraph.graph.builddir.build import load_build
from citegraph.graph.builddir.snapshot import PREVIOUS_DIR
from citegraph.graph.store.named_queries import bind, get_query

RULES = ("--rules-only", "--no-html", "--year", "2025")


def citegraph(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citegraph", *args], capture_output=True, text=True, timeout=600,
                          cwd=cwd)


def _listing(path: Path, n: int = 3, title: str = "Paper") -> Path:
    path.write_text("".join(json.dumps({"id": f"p{i}", "title": f"{title} {i}", "abstract": "We use GAN-1 on "
                                        "ImageNet."}) + "\n" for i in range(n)))
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- any text is data --------------------------------------------------------------------------------------------

def test_user_data_safety_lone_surrogate_is_replaced_and_reported(tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text('{"title":"ok","abstract":"A transformer."}\n{"title":"bad \\ud800","abstract":"x",'
                   '"id":"\\udc00id"}\n')
    proc = citegraph("build", str(src), "--out", str(tmp_path / "o"), *RULES)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{src}:2: 2 character(s) that cannot be encoded" in proc.stderr
    papers = [json.loads(line) for line in (tmp_path / "o" / "papers.jsonl").read_text().splitlines()]
    assert sorted(p["title"] for p in papers) == ["bad \ufffd", "ok"]
    assert "\ufffdid" in [p["id"] for p in papers]
    proc = citegraph("extract", str(src), "--rules-only")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(st.characters(), min_size=1, max_size=40), abstract=st.text(st.characters(), max_size=40))
def test_user_data_safety_any_character_in_a_record_is_data(title, abstract):
    """Records given as dicts (the API) and JSON lines with any characters, lone surrogates included: every
    listing's text can be encoded, and what was replaced is said."""
    problems: list = []
    rows = read_records([{"title": title, "abstract": abstract, "id": title}], year=2025, problems=problems)
    for row in rows:
        for text in (row.title, row.abstract, row.id):
            text.encode("utf-8")
    if any("\ud800" <= c <= "\udfff" for c in title + abstract):
        assert any("cannot be encoded" in str(p) for p in problems)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(st.characters(), min_size=1, max_size=40))
def test_user_data_safety_json_escapes_of_any_character_are_data(tmp_path_factory, title):
    path = tmp_path_factory.mktemp("surrogates") / "in.jsonl"
    path.write_text(json.dumps({"title": "x " + title, "abstract": title}, ensure_ascii=True) + "\n")
    problems: list = []
    for row in read_file(path, year=2025, problems=problems):
        (row.title + row.abstract).encode("utf-8")


# --- ids ---------------------------------------------------------------------------------------------------------

def test_user_data_safety_long_id_is_shortened_stably(tmp_path):
    src = tmp_path / "long.jsonl"
    src.write_text(json.dumps({"id": "x" * 10_000, "title": "Long id"}) + "\n")
    problems: list = []
    first = read_file(src, year=2025, problems=problems)
    again = read_file(src, year=2025)
    assert len(first[0].id) <= MAX_ID_CHARS and first[0].id == again[0].id
    assert [str(p) for p in problems] == [f"{src}:1: id of 10,000 characters is over the limit of 200; shortened to "
                                          f"{first[0].id!r}"]


# --- query parameters --------------------------------------------------------------------------------------------

def test_user_data_safety_huge_int_parameter_is_a_message():
    proc = citegraph("query", "papers_mentioning", "-p", "entity=x", "-p", "limit=99999999999999999999")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "$limit must be an int between" in proc.stderr
    assert bind(get_query("papers_mentioning"), {"entity": "x", "limit": str(2 ** 63 - 1)})["limit"] == 2 ** 63 - 1


# --- CSV cells ---------------------------------------------------------------------------------------------------

def test_user_data_safety_formula_titles_are_inert_in_csv(tmp_path):
    src = tmp_path / "f.jsonl"
    titles = ["=HYPERLINK(\"http://evil\",\"x\")", "@SUM(A1:A9)", "+1+2", "-2+3", "Plain title"]
    src.write_text("".join(json.dumps({"id": f"=id{i}", "title": t}) + "\n" for i, t in enumerate(titles)))
    assert citegraph("build", str(src), "--out", str(tmp_path / "o"), *RULES).returncode == 0
    with open(tmp_path / "o" / "papers.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cells = [row[c] for row in rows for c in ("id", "title")]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert sorted(row["title"] for row in rows) == sorted(("'" + t if t[0] in "=+-@" else t) for t in titles)


# --- --out --------------------------------------------------------------------------------------------------------

def test_user_data_safety_out_refuses_a_folder_of_the_users(tmp_path):
    out = tmp_path / "mine"
    (out / ".staging-999999").mkdir(parents=True)
    (out / ".staging-999999" / "thesis.tex").write_text("my thesis")
    (out / "graph.html").write_text("my map")
    (out / "changes.json").write_text("my changes")
    before = _files(out)
    src = _listing(tmp_path / "in.jsonl")
    proc = citegraph("build", str(src), "--out", str(out), *RULES)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "holds no citegraph build" in proc.stderr and "--force" in proc.stderr
    assert _files(out) == before
    # --force: citegraph's files are written, the user's others untouched (changes.json is not this build's)
    proc = citegraph("build", str(src), "--out", str(out), *RULES, "--force")
    assert proc.returncode == 0, proc.stderr
    after = _files(out)
    assert after[".staging-999999/thesis.tex"] == b"my thesis" and after["changes.json"] == b"my changes"
    assert "manifest.json" in after
    # now a build: a rebuild needs no --force, and still leaves the user's files alone
    proc = citegraph("build", str(_listing(tmp_path / "two.jsonl", 2)), "--out", str(out), *RULES)
    assert proc.returncode == 0, proc.stderr
    assert _files(out)[".staging-999999/thesis.tex"] == b"my thesis"


@pytest.mark.parametrize("where", ["under-a-file", "a-file"])
def test_user_data_safety_unwritable_out_is_one_sentence(tmp_path, where):
    plain = tmp_path / "plain"
    plain.write_text("a file")
    out = plain / "sub" if where == "under-a-file" else plain
    proc = citegraph("build", str(_listing(tmp_path / "in.jsonl")), "--out", str(out), *RULES)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"cannot write a build into {out}" in proc.stderr
    assert plain.read_text() == "a file"


@pytest.mark.parametrize("workers", ["1", "2"], ids=["here", "forked-writers"])
def test_user_data_safety_full_disk_is_one_sentence_and_keeps_the_build(tmp_path, workers):
    """A file size limit (RLIMIT_FSIZE, SIGXFSZ ignored) makes writes fail as on a full disk: one sentence, no
    traceback from this process or a forked writer, and the build that was there unchanged."""
    import resource

    out = tmp_path / "out"
    assert citegraph("build", str(_listing(tmp_path / "small.jsonl", 2)), "--out", str(out), *RULES).returncode == 0
    before = _files(out)
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": f"p{i}", "title": f"Paper number {i}", "abstract": "We use GAN-1 on "
                                       "ImageNet. " * 20}) + "\n" for i in range(60)))

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", str(big), "--out", str(out), *RULES,
                           "--workers", workers], capture_output=True, text=True, timeout=600, preexec_fn=full_disk)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and proc.stderr.count("Error:") == 1, proc.stderr
    assert f"writing the build into {out} failed" in proc.stderr
    assert _files(out) == before


def test_user_data_safety_update_of_a_missing_folder_creates_nothing(tmp_path):
    proc = citegraph("build", "--update", str(tmp_path / "nothere"), str(_listing(tmp_path / "in.jsonl")), *RULES)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert not (tmp_path / "nothere").exists()


# --- one build or the other, whatever moment the writer is killed ------------------------------------------------

_KILL_AFTER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import citegraph
    count, real = [0], os.replace
    def replace(src, dst, *a, **k):
        last = sys.argv[1] == "manifest" and Path(dst).name == "manifest.json"  # every file but the manifest moved
        if Path(dst).parent == Path(sys.argv[2]) and (last or sys.argv[1] == str(count[0])):
            os.kill(os.getpid(), signal.SIGKILL)  # killed between two renames into place
        count[0] += Path(dst).parent == Path(sys.argv[2])
        return real(src, dst, *a, **k)
    os.replace = replace
    citegraph.build([{"id": f"n{i}", "title": f"New paper {i}"} for i in range(5)], rules_only=True,
                    year=2025, html=False).save(sys.argv[2])
""")


def test_user_data_safety_a_build_killed_between_renames_is_seen_whole(tmp_path):
    """A writer killed after k of its renames (every k): readers load the previous build exactly, and the next
    build puts back what was replaced before writing its own."""
    out = tmp_path / "out"
    assert citegraph("build", str(_listing(tmp_path / "old.jsonl", 3, "Old")), "--out", str(out),
                     *RULES).returncode == 0
    old = load_build(out)
    old_papers = sorted(p.title for p in old.papers.values())
    script = tmp_path / "kill.py"
    script.write_text(_KILL_AFTER)
    n_files = len(old.manifest["outputs"])
    for k in range(1, n_files + 1):
        proc = subprocess.run([sys.executable, str(script), str(k), str(out)], capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert (out / PREVIOUS_DIR).is_dir()
        seen = load_build(out)
        assert sorted(p.title for p in seen.papers.values()) == old_papers
        assert seen.graph.number_of_nodes() == old.graph.number_of_nodes()
        assert "Old 0" in {d.get("title") for _, d in seen.graph.nodes(data=True)}
    # the next build (under the lock) first puts the old build back, then writes its own
    proc = citegraph("build", str(_listing(tmp_path / "next.jsonl", 4, "Next")), "--out", str(out), *RULES)
    assert proc.returncode == 0, proc.stderr
    assert not (out / PREVIOUS_DIR).exists()
    assert sorted(p.title for p in load_build(out).papers.values()) == [f"Next {i}" for i in range(4)]
    assert not [n for n in os.listdir(out) if n.startswith(".")]


# --- reading ------------------------------------------------------------------------------------------------------

def test_user_data_safety_overlong_json_line_is_skipped_unparsed(tmp_path):
    from citegraph.extract.readers.text import MAX_LINE_CHARS

    src = tmp_path / "long.jsonl"
    src.write_text(json.dumps({"title": "t", "abstract": "w" * MAX_LINE_CHARS}) + "\n"
                   + json.dumps({"title": "Good paper"}) + "\n")
    problems: list = []
    rows = read_file(src, year=2025, problems=problems)
    assert [r.title for r in rows] == ["Good paper"]
    assert [str(p) for p in problems] == [f"{src}:1: line of {MAX_LINE_CHARS + 30:,} characters is over the limit "
                                          f"of {MAX_LINE_CHARS:,}; line skipped"]


def test_user_data_safety_a_first_build_killed_between_renames_is_never_read_half(tmp_path):
    """The first build of a folder killed after some of its renames: no reader takes its files for a build, and the
    next build needs no --force."""
    from citegraph import CitegraphError

    out = tmp_path / "out"
    script = tmp_path / "kill.py"
    script.write_text(_KILL_AFTER)
    proc = subprocess.run([sys.executable, str(script), "manifest", str(out)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert (out / "graph.json").exists() and not (out / "manifest.json").exists()
    with pytest.raises(CitegraphError, match="interrupted"):
        load_build(out)
    proc = citegraph("build", str(_listing(tmp_path / "next.jsonl", 2, "Next")), "--out", str(out), *RULES)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.title for p in load_build(out).papers.values()) == ["Next 0", "Next 1"]
