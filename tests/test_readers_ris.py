"""The RIS reader on the real exports of ../shared (Scopus with references, Scopus without, Zotero, IEEE Xplore with
stray carriage returns and a byte-order mark elsewhere)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citegraph.extract.readers import read_file
from tests.bibliographic_exports import exports_dir, readme_counts

FILES = ["scopus_asreview.ris", "scopus_citation_file_formatting.ris", "zotero_asreview.ris", "ieee_litstudy.ris"]


def _read(path: Path, **kw):
    problems: list = []
    info: dict = {}
    return read_file(path, problems=problems, info=info, **kw), problems, info


def _lines(path: Path) -> list[str]:
    return re.split(r"\r\n|\r|\n", path.read_bytes().decode("utf-8-sig"))


@pytest.mark.parametrize("name", FILES)
def test_readers_ris_real_exports_give_the_readme_counts(shared_dir, name):
    path = exports_dir(shared_dir) / name
    rows, problems, info = _read(path)
    expected = readme_counts(shared_dir)[name]
    assert info["format"] == "ris" and not problems
    assert len(rows) == expected.records
    assert sum(bool(r.abstract) for r in rows) == expected.abstracts
    assert sum(bool(r.cited_references) for r in rows) == expected.cited
    assert sum(bool(r.doi) for r in rows) == expected.dois
    lines = _lines(path)
    # each listing's source is the line of its TY, stray CRs counted as the line breaks they are
    assert all(lines[int(r.source.rpartition(":")[2]) - 1].startswith("TY  - ") for r in rows)
    assert all(r.title and r.year and r.authors for r in rows)


def test_readers_ris_fields_match_the_records_own_tags(shared_dir):
    path = exports_dir(shared_dir) / "zotero_asreview.ris"
    rows, _, _ = _read(path)
    lines = _lines(path)
    records = "\n".join(lines).split("\nER  -")[:-1]
    for r, rec in zip(rows, records):
        tags = dict(re.findall(r"^(TI|DO|PY|VL|SP|T2)  - (.*)$", rec, re.MULTILINE))
        assert r.title == " ".join(tags["TI"].split()) and r.doi == tags["DO"].lower()
        assert r.year == int(tags["PY"][:4]) and r.venue == tags.get("T2", "").strip()
        assert (r.volume, r.page) == (tags.get("VL", "").strip(), tags.get("SP", "").strip())
        assert len(r.authors) == len(re.findall(r"^AU  - ", rec, re.MULTILINE))
        assert "ASReview_relevant" not in r.abstract  # a note, not the abstract


def test_readers_ris_scopus_references_note_gives_every_reference(shared_dir):
    path = exports_dir(shared_dir) / "scopus_asreview.ris"
    rows, _, _ = _read(path)
    text = "\n".join(_lines(path))
    # the References note runs from "N1  - References:" to the next tag, one reference per line, each ending in ";"
    assert sum("scopus" in dict(r.ids) for r in rows) == len(re.findall(r"^UR  - .*eid=2-s2\.0-", text, re.MULTILINE))
    notes = re.findall(r"^N1  - References: (.*?)(?=^[A-Z][A-Z0-9]  -)", text, re.MULTILINE | re.DOTALL)
    assert len(notes) == len(rows)
    for r, note in zip(rows, notes):
        lines = [x for x in note.splitlines() if x.strip()]
        # Scopus sometimes writes two references on one line, never one over two lines
        assert len(lines) <= len(r.cited_references) <= 1.1 * len(lines)
        # a ';' inside a title ("...in remission; is it a reflection of...") does not cut the reference there
        assert not [c.raw for c in r.cited_references if re.match(r"(?!van |von |de |di )[a-z]", c.raw)]
        assert dict(r.ids).get("scopus", "") in r.url
        assert sum(bool(c.year and c.first_author) for c in r.cited_references) > 0.9 * len(r.cited_references)


def test_readers_ris_ieee_volume_and_stray_carriage_returns(shared_dir):
    rows, problems, _ = _read(exports_dir(shared_dir) / "ieee_litstudy.ris")
    assert not problems
    assert all(not re.search(r"[\r\n]", r.title + r.abstract) for r in rows)
    assert rows[0].volume == "21"  # VO and VL both say 21


def test_readers_ris_truncated_last_record_is_reported_at_its_line(shared_dir, tmp_path):
    source = exports_dir(shared_dir) / "scopus_citation_file_formatting.ris"
    text = source.read_bytes().decode("utf-8-sig")
    last = text.rindex("TY  - ")
    path = tmp_path / "cut.ris"
    path.write_text(text[:last + 300], encoding="utf-8")
    rows, problems, _ = _read(path)
    assert len(rows) == readme_counts(shared_dir)[source.name].records - 1
    assert [(p.line, "truncated" in p.message) for p in problems] == [(text[:last].count("\n") + 1, True)]


def test_readers_ris_lines_outside_records_are_reported_and_the_records_read(shared_dir, tmp_path):
    text = (exports_dir(shared_dir) / "scopus_citation_file_formatting.ris").read_bytes().decode("utf-8-sig")
    first_end = text.index("ER  -") + len("ER  -\n")
    path = tmp_path / "noisy.ris"
    path.write_text(text[:first_end] + "stray text between records\n" + text[first_end:], encoding="utf-8")
    rows, problems, _ = _read(path)
    assert len(rows) == 10
    assert [p.line for p in problems] == [text[:first_end].count("\n") + 1]


ENDNOTE = """TY  - JOUR
A1  - Vaswani, Ashish
A1  - Shazeer, Noam
T1  - Attention Is All You Need
JF  - Advances in Neural Information Processing Systems
Y1  - 2017/12/04/
SP  - 5998
EP  - 6008
VL  - 30
N2  - The dominant sequence transduction models
are based on recurrent networks.
KW  - transformers; attention
AN  - WOS:000452649406008
ER  -

TY  - JOUR
T1  - A PubMed record
Y1  - 2019///
AN  - 31234567
ER  -
"""


def test_readers_ris_endnote_style_tags(tmp_path):
    path = tmp_path / "endnote.ris"
    path.write_text(ENDNOTE, encoding="utf-8")
    rows, problems, info = _read(path)
    assert info["format"] == "ris" and not problems
    a, b = rows
    assert (a.title, a.authors, a.venue) == ("Attention Is All You Need", ("Vaswani, Ashish", "Shazeer, Noam"),
                                             "Advances in Neural Information Processing Systems")
    assert (a.year, a.published, a.volume, a.page) == (2017, "2017-12-04", "30", "5998")
    assert a.abstract == "The dominant sequence transduction models are based on recurrent networks."
    assert a.keywords == ("transformers", "attention") and dict(a.ids) == {"wos": "000452649406008"}
    assert (b.year, b.published, dict(b.ids)) == (2019, "2019", {"pmid": "31234567"})
