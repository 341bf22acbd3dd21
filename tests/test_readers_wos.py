"""The Web of Science readers (plain text and tab-delimited) on the real exports of ../shared: every record read,
with the counts the exports' README gives, and each record's fields checked against the file's own tags."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from citegraph.extract.readers import read_file
from citegraph.extract.readers.cited_strings import parse_wos_reference
from tests.bibliographic_exports import exports_dir, readme_counts

PLAIN = ["wos_plaintext_wosfile.txt", "wos_plaintext_metaknowledge.txt", "wos_plaintext_bibliometrix.txt"]
TAB = ["wos_tab_delimited_wosfile.txt", "wos_tab_delimited_scientopy_2026.txt"]


def _read(path: Path, **kw):
    problems: list = []
    info: dict = {}
    rows = read_file(path, problems=problems, info=info, **kw)
    return rows, problems, info


@pytest.mark.parametrize("name", PLAIN + TAB)
def test_readers_wos_real_exports_give_the_readme_counts(shared_dir, name):
    rows, problems, info = _read(exports_dir(shared_dir) / name)
    expected = readme_counts(shared_dir)[name]
    assert info["format"] == ("wos" if name in PLAIN else "wos-tab")
    assert not problems
    assert len(rows) == expected.records
    assert sum(bool(r.abstract) for r in rows) == expected.abstracts
    assert sum(bool(r.cited_references) for r in rows) == expected.cited
    assert sum(bool(r.doi) for r in rows) == expected.dois


def _tag_values(text: str, tag: str) -> list[str]:
    """The value of ``tag`` in each record of a plain text export, "" where a record has none."""
    records = re.split(r"^ER\s*$", text, flags=re.MULTILINE)[:-1]
    return [(m.group(1).strip() if (m := re.search(rf"^{tag} (.*)$", r, re.MULTILINE)) else "") for r in records]


@pytest.mark.parametrize("name", PLAIN)
def test_readers_wos_fields_match_the_records_own_tags(shared_dir, name):
    path = exports_dir(shared_dir) / name
    text = path.read_text(encoding="utf-8-sig")
    rows, _, _ = _read(path)
    # NR is the number of cited references the record lists, TC its citation count, UT its accession number
    assert [len(r.cited_references) for r in rows] == [int(n) for n in _tag_values(text, "NR")]
    assert [r.cited_by for r in rows] == [int(n) for n in _tag_values(text, "TC")]
    assert [dict(r.ids)["wos"] for r in rows] == [u.removeprefix("WOS:") for u in _tag_values(text, "UT")]
    assert [r.doi for r in rows] == [d.lower() for d in _tag_values(text, "DI")]
    assert [r.year for r in rows] == [int(y) if y else None for y in _tag_values(text, "PY")]
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("PT ")]
    assert [int(r.source.rpartition(":")[2]) for r in rows] == starts
    for r in rows:
        assert r.title and "  " not in r.title and r.authors and r.venue
        assert not r.published or r.published.startswith(str(r.year))


def test_readers_wos_plain_text_and_tab_delimited_of_the_same_records_agree(shared_dir):
    plain, _, _ = _read(exports_dir(shared_dir) / "wos_plaintext_wosfile.txt")
    tab, _, _ = _read(exports_dir(shared_dir) / "wos_tab_delimited_wosfile.txt")
    assert len(plain) == len(tab) == 50
    for a, b in zip(plain, tab):
        assert dataclasses.replace(a, source="") == dataclasses.replace(b, source="")


@pytest.mark.parametrize("name", PLAIN)
def test_readers_wos_cited_references_are_parsed_from_their_own_text(shared_dir, name):
    rows, _, _ = _read(exports_dir(shared_dir) / name)
    refs = [c for r in rows for c in r.cited_references]
    assert refs
    for c in refs:
        parts = [p.strip() for p in c.raw.split(", ")]
        assert c.year is None or (1500 < c.year < 2100 and str(c.year) in parts)
        assert not c.doi or c.doi in c.raw.lower()
        assert not c.volume or f"V{c.volume}" in parts
        assert not c.page or any(p[1:] == c.page for p in parts if p[:1] in "Pp")
        assert c.first_author == ("" if parts[0].startswith("[") or parts[0].isdigit() else parts[0])
    # every reference that writes a DOI gives it, "DOI DOI 10..." and "DOI [DOI 10..." (WoS quirks) included
    assert not [c.raw for c in refs if re.search(r"DOI (DOI )?\[?(DOI )?10\.", c.raw) and not c.doi]
    assert sum(bool(c.year and c.source) for c in refs) > 0.9 * len(refs)


@pytest.mark.parametrize("raw, fields", [
    ("Vaswani A, 2017, ADV NEUR IN, V30, P5998, DOI 10.5555/3295222.3295349",
     ("Vaswani A", 2017, "ADV NEUR IN", "30", "5998", "10.5555/3295222.3295349")),
    ("Alfarano C, 2005, NUCLEIC ACIDS RES, V33, pD418, DOI 10.1093/nar/gki051",
     ("Alfarano C", 2005, "NUCLEIC ACIDS RES", "33", "D418", "10.1093/nar/gki051")),
    ("Ceh M, 2018, ISPRS INT J GEO-INF, V7, DOI [10.3390/ijgi705168, 10.3390/ijgi7050168]",
     ("Ceh M", 2018, "ISPRS INT J GEO-INF", "7", "", "10.3390/ijgi705168")),
    ("[Anonymous], 2005, NEURAL NETWORKS COMP", ("", 2005, "NEURAL NETWORKS COMP", "", "", "")),
    ("Inselberg A, 1985, VISUAL COMPUT, V1, P69, DOI DOI 10.1007/BF01898350",
     ("Inselberg A", 1985, "VISUAL COMPUT", "1", "69", "10.1007/bf01898350")),
    ("Burt R. S., 1992, STRUCTURAL HOLES SOC", ("Burt R. S.", 1992, "STRUCTURAL HOLES SOC", "", "", "")),
    ("PEDIATRICS", ("PEDIATRICS", None, "", "", "", "")),
    ("Doi T, 2004, PHYS REV B, V69, DOI 10.1103/PhysRevB.69.1", ("Doi T", 2004, "PHYS REV B", "69", "",
                                                                  "10.1103/physrevb.69.1")),
])
def test_readers_wos_cited_reference_strings(raw, fields):
    c = parse_wos_reference(raw)
    assert (c.first_author, c.year, c.source, c.volume, c.page, c.doi) == fields
    assert c.raw == raw


def test_readers_wos_truncated_last_record_is_reported_at_its_line(shared_dir, tmp_path):
    text = (exports_dir(shared_dir) / "wos_plaintext_bibliometrix.txt").read_text(encoding="utf-8-sig")
    last_pt = text.rindex("\nPT ") + 1
    cut = tmp_path / "cut.txt"
    cut.write_text(text[:last_pt + 400], encoding="utf-8")
    rows, problems, _ = _read(cut)
    line = text[:last_pt].count("\n") + 1
    assert len(rows) == readme_counts(shared_dir)["wos_plaintext_bibliometrix.txt"].records - 1
    assert [(p.line, "truncated" in p.message) for p in problems] == [(line, True)]


def test_readers_wos_tab_row_with_a_missing_field_is_reported_and_skipped(shared_dir, tmp_path):
    lines = (exports_dir(shared_dir) / "wos_tab_delimited_scientopy_2026.txt").read_bytes().decode(
        "utf-8-sig").split("\r\n")
    header = lines[0].split("\t")
    lines[3] = "\t".join(lines[3].split("\t")[:10] + lines[3].split("\t")[11:])  # one cell gone
    path = tmp_path / "wos.txt"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    rows, problems, _ = _read(path)
    assert len(rows) == readme_counts(shared_dir)["wos_tab_delimited_scientopy_2026.txt"].records - 1
    assert [str(p) for p in problems] == [f"{path}:4: row has {len(header) - 1} fields where the header has "
                                          f"{len(header)} columns; skipped (its fields cannot be placed)"]


def test_readers_wos_tab_utf16_reads_like_utf8(shared_dir, tmp_path):
    source = exports_dir(shared_dir) / "wos_tab_delimited_wosfile.txt"
    utf8, _, _ = _read(source)
    path = tmp_path / "wos16.txt"
    path.write_bytes(source.read_text(encoding="utf-8-sig").encode("utf-16"))  # with its BOM, as WoS writes it
    utf16, problems, info = _read(path, name=str(source))
    assert info["format"] == "wos-tab" and not problems and utf16 == utf8
