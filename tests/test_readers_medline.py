"""The MEDLINE reader on a real PubMed export (../shared/data/bibliographic/pubmed_medline_pybibx.txt: 10 records,
CRLF, continuation lines; counts in its README)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citegraph.extract.readers import read_file

NAME = "pubmed_medline_pybibx.txt"


@pytest.fixture(scope="module")
def export(bibliographic_dir: Path) -> Path:
    return bibliographic_dir / NAME


def test_medline_real_export_counts_of_the_readme(export):
    problems: list = []
    info: dict = {}
    rows = read_file(export, problems=problems, info=info)
    assert info["format"] == "medline" and problems == []
    assert len(rows) == 10
    assert sum(bool(r.abstract) for r in rows) == 10
    assert sum(bool(r.doi) for r in rows) == 10


def test_medline_fields_and_continuation_lines(export):
    text = export.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    rows = read_file(export)
    pmid_lines = [n for n, line in enumerate(lines, 1) if line.startswith("PMID-")]
    assert [int(r.source.rpartition(":")[2]) for r in rows] == pmid_lines
    for row, start in zip(rows, pmid_lines):
        assert dict(row.ids)["pmid"] == lines[start - 1].split("-", 1)[1].strip()
        record = lines[start - 1:]
        end = next((i for i, line in enumerate(record) if not line.strip()), len(record))
        fields = "\n".join(record[:end])
        # the abstract is the AB field with its continuation lines, whitespace collapsed
        ab = re.search(r"^AB  - (.*(?:\n      .*)*)", fields, re.MULTILINE).group(1)
        assert row.abstract == " ".join(ab.split())
        assert row.year == int(re.search(r"^DP  - (\d{4})", fields, re.MULTILINE).group(1))
        assert "\r" not in row.title and row.title and row.authors
        assert all(not k.startswith("*") and "/" not in k for k in row.keywords)


def test_medline_lf_and_crlf_read_alike(tmp_path, export):
    lf = tmp_path / "lf.txt"
    lf.write_bytes(export.read_bytes().replace(b"\r\n", b"\n"))
    strip = [{**r.__dict__, "source": r.source.rpartition(":")[2]} for r in read_file(lf)]
    assert strip == [{**r.__dict__, "source": r.source.rpartition(":")[2]} for r in read_file(export)]


def test_medline_truncated_last_record_is_reported_with_its_line(tmp_path, export):
    text = export.read_text(encoding="utf-8-sig")
    last = text.rindex("PMID- ")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("AD  - ", last)], encoding="utf-8")
    problems: list = []
    rows = read_file(cut, problems=problems)
    line = text[:last].count("\n") + 1
    assert len(rows) == 10
    assert [(p.line, "truncated" in p.message) for p in problems] == [(line, True)]


def test_medline_stray_line_is_reported_and_the_records_kept(tmp_path, export):
    text = export.read_text(encoding="utf-8-sig")
    bad = tmp_path / "bad.txt"
    bad.write_text(text.replace("OWN - NLM", "<html>oops</html>", 1), encoding="utf-8")
    problems: list = []
    assert len(read_file(bad, problems=problems)) == 10
    assert [(p.line, "not a MEDLINE field" in p.message) for p in problems] == [(2, True)]
