"""The Crossref reader on a real REST ``work-list`` response (../shared/data/bibliographic/crossref_works_habanero.json:
20 works with JATS abstracts and reference lists; counts in its README), and a single-work response."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from citegraph.extract.readers import read_file

NAME = "crossref_works_habanero.json"


@pytest.fixture(scope="module")
def export(bibliographic_dir: Path) -> Path:
    return bibliographic_dir / NAME


@pytest.fixture(scope="module")
def works(export: Path) -> list[dict]:
    return json.loads(export.read_text(encoding="utf-8"))["message"]["items"]


def test_crossref_real_work_list_counts_of_the_readme(export):
    problems: list = []
    info: dict = {}
    rows = read_file(export, problems=problems, info=info)
    assert info["format"] == "crossref" and problems == []
    assert len(rows) == 20
    assert sum(bool(r.abstract) for r in rows) == 20
    assert sum(bool(r.doi) for r in rows) == 20
    assert sum(bool(r.cited_references) for r in rows) == 20


def test_crossref_abstracts_lose_their_jats_markup_but_not_their_words(export, works):
    for row, work in zip(read_file(export), works):
        assert not re.search(r"</?[a-z:]+>", row.abstract) and "jats:" not in row.abstract
        # every character of the abstract's text nodes is there, in order (inline tags join, block tags separate),
        # entities decoded
        text = html.unescape(re.sub(r"<[^>]+>", " ", work["abstract"]))
        assert "".join(row.abstract.split()) == "".join(text.split())


def test_crossref_references_keep_dois_and_parts(export, works):
    for row, work in zip(read_file(export), works):
        refs = work["reference"]
        assert len(row.cited_references) == len(refs)
        for ref, raw in zip(row.cited_references, refs):
            assert ref.doi == raw.get("DOI", "").lower()
            assert ref.first_author == " ".join(raw.get("author", "").split())
            assert ref.year == (int(raw["year"][:4]) if raw.get("year", "")[:4].isdigit() else None)
            assert ref.raw
        assert row.cited_by == work["is-referenced-by-count"] and row.doi == work["DOI"].lower()
        assert row.year == work["published"]["date-parts"][0][0]
        assert row.venue == work["container-title"][0]


def test_crossref_single_work_response_and_unstructured_references(tmp_path, works):
    work = {**works[0], "reference": [{"key": "r1", "unstructured": "Smith J. (2019) A study. J Biol 3:1-9. "
                                                                   "https://doi.org/10.1000/ABC.1"}]}
    path = tmp_path / "work.json"
    path.write_text(json.dumps({"status": "ok", "message-type": "work", "message-version": "1.0.0",
                                "message": work}), encoding="utf-8")
    problems: list = []
    rows = read_file(path, problems=problems)
    assert problems == [] and [r.doi for r in rows] == [works[0]["DOI"].lower()]
    (ref,) = rows[0].cited_references
    assert ref.raw.startswith("Smith J. (2019)") and ref.doi == "10.1000/abc.1"


def test_crossref_abstract_heading_is_dropped_section_titles_kept(tmp_path, works):
    work = {**works[0], "abstract": '<jats:sec id="s1"><jats:title>Abstract</jats:title><jats:sec><jats:title>Aims'
                                    "</jats:title><jats:p>We find H<jats:sub>2</jats:sub>O.</jats:p></jats:sec>"
                                    "</jats:sec>"}
    path = tmp_path / "work.json"
    path.write_text(json.dumps({"status": "ok", "message-type": "work", "message": work}), encoding="utf-8")
    assert [r.abstract for r in read_file(path)] == ["Aims We find H2O."]
