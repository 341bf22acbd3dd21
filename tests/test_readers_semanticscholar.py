"""The Semantic Scholar reader on a real Graph API ``/paper/{id}`` response with all fields
(../shared/data/bibliographic/semanticscholar_paper.json: 1 paper, 14 nested references, 1,000 nested citing
papers; counts in its README), and the batch and search shapes built from the papers of that response."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citegraph.extract.readers import read_file, read_listings

NAME = "semanticscholar_paper.json"


@pytest.fixture(scope="module")
def export(bibliographic_dir: Path) -> Path:
    return bibliographic_dir / NAME


@pytest.fixture(scope="module")
def paper(export: Path) -> dict:
    return json.loads(export.read_text(encoding="utf-8"))


def test_semanticscholar_real_response_counts_of_the_readme(export):
    problems: list = []
    info: dict = {}
    rows = read_file(export, problems=problems, info=info)
    assert info["format"] == "semanticscholar" and problems == []
    assert len(rows) == 1 + 14 + 1000
    assert sum(bool(r.abstract) for r in rows) == 780
    assert sum(bool(r.doi) for r in rows) == 981


def test_semanticscholar_nested_papers_are_linked_by_citation(export, paper):
    rows = read_file(export)
    record, references, citing = rows[0], rows[1:15], rows[15:]
    s2 = ("s2", paper["paperId"])
    assert s2 in record.ids and record.doi == paper["externalIds"]["DOI"].lower()
    assert record.cited_by == paper["citationCount"] and record.year == paper["year"]
    # the paper cites its nested references, by their ids
    assert [dict(r.ids).get("s2") for r in record.cited_references] == [r["paperId"] for r in paper["references"]]
    assert [r.title for r in references] == [" ".join(r["title"].split()) for r in paper["references"]]
    # every nested citing paper cites the paper
    assert len(citing) == len(paper["citations"])
    for row, c in zip(citing, paper["citations"]):
        assert dict(row.ids).get("s2") == c["paperId"]
        assert s2 in row.cited_references[-1].ids and row.cited_references[-1].doi == record.doi


def test_semanticscholar_external_ids_become_source_ids(export, paper):
    rows = read_file(export)
    nested = paper["references"] + paper["citations"]
    for row, p in zip(rows[1:], nested):
        ext = p.get("externalIds") or {}
        ids = dict(row.ids)
        assert ids.get("pmid") == (str(ext["PubMed"]) if ext.get("PubMed") else None)
        assert ids.get("arxiv") == (ext["ArXiv"] if ext.get("ArXiv") else None)
        assert (ids.get("pmcid") or "").removeprefix("PMC") == str(ext.get("PubMedCentral") or "")


def test_semanticscholar_batch_and_search_shapes(tmp_path, paper):
    nested = paper["citations"][:5]
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([nested[0], None, nested[1]]), encoding="utf-8")  # null: an id the API did not know
    search = tmp_path / "search.json"
    search.write_text(json.dumps({"total": 5, "offset": 0, "data": nested}, indent=2), encoding="utf-8")
    cites = tmp_path / "citations.jsonl"  # /paper/{id}/citations pages, one per line
    cites.write_text(json.dumps({"offset": 0, "data": [{"citingPaper": p} for p in nested]}) + "\n",
                     encoding="utf-8")
    titles = [" ".join(p["title"].split()) for p in nested]
    for path, expected in ((batch, titles[:2]), (search, titles), (cites, titles)):
        problems: list = []
        info: dict = {}
        rows = read_file(path, problems=problems, info=info)
        assert info["format"] == "semanticscholar" and problems == []
        assert [r.title for r in rows] == expected


def test_semanticscholar_merges_the_same_work_listed_twice(export):
    once = read_listings([export]).papers
    twice = read_listings([export, export])
    assert [p.id for p in twice.papers] == [p.id for p in once]
