"""Format detection on real files: every real export is detected as its format and none as another, the seeds are
still Hugging Face pages (and read as before), nothing else is, and a file no format recognises is an error that
names it and the formats tried, on the command line too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from citegraph.extract.readers import FORMATS, read_file, read_listings
from citegraph.extract.readers.detect import HEAD_CHARS, READERS_TABLE, UnknownFormat, detect_format
from citegraph.extract.readers.text import decode
from tests.bibliographic_exports import FORMAT_OF, exports_dir, readme_counts


#: the exports read by the JSON, MEDLINE and XML readers (their counts are checked in their own test modules)
OTHER_FORMAT_OF = {"openalex_works_diophila.json": "openalex", "semanticscholar_paper.json": "semanticscholar",
                   "crossref_works_habanero.json": "crossref", "pubmed_medline_pybibx.txt": "medline"}
ALL_FORMAT_OF = {**FORMAT_OF, **OTHER_FORMAT_OF}


def _head(path: Path) -> str:
    return decode(str(path), path.read_bytes(), [])[:HEAD_CHARS]


@pytest.mark.parametrize("name", sorted(ALL_FORMAT_OF))
def test_readers_detect_every_real_export_as_its_format_and_no_other(shared_dir, name):
    path = exports_dir(shared_dir) / name
    head = _head(path)
    assert detect_format(path, head) == ALL_FORMAT_OF[name]
    # positive detection: no other format claims it, whatever the extension, except the generic CSV (any table with
    # a title column) and JSON Lines (any JSON object on one line), which detection tries after the exports' own
    claimed = [fmt for fmt, f in READERS_TABLE.items() if f.sniff(head)]
    assert claimed[0] == ALL_FORMAT_OF[name] and set(claimed[1:]) <= {"csv", "jsonl"}
    assert detect_format(path.with_suffix(".dat"), head) == ALL_FORMAT_OF[name]


def test_readers_detect_every_real_export_is_listed(shared_dir):
    """The README lists no export that these tests forget."""
    on_disk = {p.name for p in exports_dir(shared_dir).iterdir() if p.name != "README.md"}
    assert len(on_disk) == 18 and on_disk == set(ALL_FORMAT_OF)
    assert set(FORMAT_OF) <= set(readme_counts(shared_dir))


def test_readers_detect_seeds_are_hugging_face_pages_read_as_before(seed_files):
    problems: list = []
    listings = []
    for path in seed_files:
        info: dict = {}
        listings += read_file(path, year=2025, problems=problems, info=info)
        assert info["format"] == "hf"
        assert [fmt for fmt, f in READERS_TABLE.items() if f.sniff(_head(path))] == ["hf"]
    assert len(listings) == 423 and not problems
    assert len(read_listings(seed_files, year=2025).papers) == 358


@pytest.mark.parametrize("name, text", [
    ("notes.txt", "Some title\n\nAn abstract without any Hugging Face header or date line.\n"),
    ("data.csv", "name,abstract\nx,y\n"),
    ("data.json", '{\n  "title": "pretty-printed JSON is not JSON Lines"\n}\n'),
    ("refs.bib", "Text that mentions @article{key, in passing, after a long first line of prose text that goes on.\n"),
])
def test_readers_detect_unknown_files_are_reported_with_the_formats_tried(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnknownFormat) as e:
        detect_format(path, text)
    assert str(path) in str(e.value) and ", ".join(FORMATS) in str(e.value)
    problems: list = []
    assert read_file(path, problems=problems) == []
    assert [(p.path, p.line) for p in problems] == [(str(path), 0)]
    assert "not a format citegraph recognises" in problems[0].message and "hf" in problems[0].message


def _citegraph(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citegraph", *args], capture_output=True, text=True, timeout=600)


def test_readers_detect_cli_unknown_input_is_an_error_naming_what_was_tried(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Some title\n\nAn abstract.\n", encoding="utf-8")
    proc = _citegraph("extract", str(path), "--rules-only", "--out", str(tmp_path / "m.jsonl"))
    assert proc.returncode == 1
    assert f"{path}: not a format citegraph recognises (tried {', '.join(FORMATS)})" in proc.stderr
    assert "no usable paper was read" in proc.stderr


def test_readers_detect_cli_format_accepts_every_format():
    proc = _citegraph("build", "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert all(fmt in text for fmt in FORMATS)


def test_readers_detect_cli_strict_fails_on_a_spliced_export_that_is_otherwise_read(shared_dir, tmp_path):
    path = exports_dir(shared_dir) / "scopus_litstudy_spliced.csv"
    ok = _citegraph("extract", str(path), "--rules-only", "--out", str(tmp_path / "m.jsonl"))
    assert ok.returncode == 0, ok.stderr
    spliced = [line for line in ok.stderr.splitlines() if "row has 46 fields where the header has 45 columns" in line]
    assert spliced and all(line.startswith(f"warning: {path}:") for line in spliced)
    assert (tmp_path / "m.jsonl").stat().st_size
    strict = _citegraph("extract", str(path), "--rules-only", "--strict", "--out", str(tmp_path / "s.jsonl"))
    assert strict.returncode == 1 and "--strict" in strict.stderr
