"""The OpenAlex reader on a real ``/works`` response (../shared/data/bibliographic/openalex_works_diophila.json,
whose README gives its counts), and the other shapes OpenAlex writes: one work, a pretty-printed response, the
gzipped JSON Lines of a snapshot."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from citegraph.extract.readers import read_file, read_listings

NAME = "openalex_works_diophila.json"


@pytest.fixture(scope="module")
def export(bibliographic_dir: Path) -> Path:
    return bibliographic_dir / NAME


@pytest.fixture(scope="module")
def works(export: Path) -> list[dict]:
    return json.loads(export.read_text(encoding="utf-8"))["results"]


def test_openalex_real_response_counts_of_the_readme(export):
    problems: list = []
    info: dict = {}
    rows = read_file(export, problems=problems, info=info)
    assert info["format"] == "openalex" and problems == []
    assert len(rows) == 25
    assert sum(bool(r.abstract) for r in rows) == 18
    assert sum(bool(r.doi) for r in rows) == 16
    assert sum(bool(r.cited_references) for r in rows) == 12


def test_openalex_abstract_is_the_inverted_index_read_in_order(export, works):
    rows = read_file(export)
    for row, work in zip(rows, works):
        index = work["abstract_inverted_index"]
        if not index:
            assert row.abstract == ""
            continue
        # two works of this export have gaps in their positions (words OpenAlex left out): the words kept follow
        # each other in the order of their positions
        at = sorted((p, w) for w, positions in index.items() for p in positions)
        assert row.abstract.split() == " ".join(w for _, w in at).split(), row.title


def test_openalex_fields_come_from_the_work(export, works):
    rows = read_file(export)
    for row, work in zip(rows, works):
        assert row.title == " ".join(work["title"].split())
        assert ("openalex", work["id"].rsplit("/", 1)[1]) in row.ids
        assert row.doi == (work["doi"] or "").lower().removeprefix("https://doi.org/")
        assert row.year == work["publication_year"] and row.published == work["publication_date"]
        assert row.cited_by == work["cited_by_count"]
        assert row.authors == tuple(a["author"]["display_name"] for a in work["authorships"])
        assert [dict(r.ids)["openalex"] for r in row.cited_references] == [
            w.rsplit("/", 1)[1] for w in work["referenced_works"]]
        assert row.venue == (work["host_venue"]["display_name"] or "")
        assert row.page == (work["biblio"]["first_page"] or "")


def test_openalex_gzipped_snapshot_lines_read_as_the_response(tmp_path, export, works):
    snapshot = tmp_path / "part_000.gz"  # what an OpenAlex snapshot's works parts are called
    with gzip.open(snapshot, "wt", encoding="utf-8") as fh:
        for w in works:
            fh.write(json.dumps(w) + "\n")
    problems: list = []
    info: dict = {}
    lines = read_file(snapshot, problems=problems, info=info)
    assert info["format"] == "openalex" and problems == []
    assert [r.source for r in lines] == [f"{snapshot}:{n}" for n in range(1, 26)]
    strip = [{**r.__dict__, "source": ""} for r in lines]
    assert strip == [{**r.__dict__, "source": ""} for r in read_file(export)]


def test_openalex_pretty_printed_response_gives_each_work_its_line(tmp_path, export, works):
    pretty = tmp_path / "works.json"
    pretty.write_text(json.dumps({"meta": {"count": 25}, "results": works}, indent=2), encoding="utf-8")
    rows = read_file(pretty)
    text = pretty.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 25
    for row, work in zip(rows, works):
        line = int(row.source.rpartition(":")[2])
        assert text[line - 1].strip() == "{" and work["id"] in text[line]


def test_openalex_one_work_and_a_list_of_works(tmp_path, works):
    one = tmp_path / "W1.json"
    one.write_text(json.dumps(works[0]), encoding="utf-8")
    assert [r.title for r in read_file(one)] == [works[0]["title"]]
    many = tmp_path / "list.json"
    many.write_text(json.dumps(works[:3]), encoding="utf-8")
    assert len(read_file(many)) == 3


def test_openalex_truncated_response_keeps_the_works_before_and_reports_the_line(tmp_path, works):
    path = tmp_path / "cut.json"
    text = json.dumps({"meta": {}, "results": works[:4]}, indent=1)
    path.write_text(text[: text.rindex('"id": "https://openalex.org/')], encoding="utf-8")
    problems: list = []
    rows = read_file(path, problems=problems)
    assert [r.title for r in rows] == [w["title"] for w in works[:3]]
    assert len(problems) == 1 and "not valid OpenAlex JSON" in problems[0].message and problems[0].line > 1


def test_openalex_bad_snapshot_line_is_reported_and_the_next_read(tmp_path, works):
    path = tmp_path / "works.jsonl"
    path.write_text(json.dumps(works[0]) + "\n{broken\n" + json.dumps(works[1]) + "\n", encoding="utf-8")
    problems: list = []
    rows = read_file(path, problems=problems)
    assert [r.title for r in rows] == [works[0]["title"], works[1]["title"]]
    assert [(p.line, "not valid OpenAlex JSON" in p.message) for p in problems] == [(2, True)]


def test_openalex_hostile_inverted_index_is_bounded(tmp_path):
    work = {"id": "https://openalex.org/W9", "title": "T", "publication_year": 2020,
            "abstract_inverted_index": {"far": [10 ** 12], "near": [0], "odd": ["x", None, True]}}
    path = tmp_path / "w.json"
    path.write_text(json.dumps(work), encoding="utf-8")
    assert [r.abstract for r in read_file(path)] == ["near"]


def test_openalex_papers_are_found_by_their_doi_and_ids(export):
    papers = read_listings([export]).papers
    assert len(papers) == 25
    assert len({p.id for p in papers}) == 25
