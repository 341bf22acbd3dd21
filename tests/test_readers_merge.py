"""One paper however many exports list it: merged by DOI, then a shared source id, then title and year; records
whose explicit ids, DOIs or source ids disagree are kept apart and reported; ids stable across exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from citegraph.extract.readers import merge_listings, paper_id_for, read_listings
from citegraph.extract.readers.fields import Listing
from citegraph.extract.records import Paper

HF_PAGE = """new

Get trending papers in your email inbox!

Mar 17

Attention Is All You Need

The dominant sequence transduction models are based on complex recurrent networks.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(tmp_path: Path, name: str, *records: dict) -> Path:
    return write(tmp_path, name, "".join(json.dumps(r) + "\n" for r in records))


def scopus_like_csv(tmp_path: Path, name: str, *rows: dict) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["Authors", "Title", "Year", "Source title", "DOI", "Abstract"])
    writer.writeheader()
    writer.writerows(rows)
    return write(tmp_path, name, out.getvalue())


def test_merge_by_doi_across_exports_of_the_same_paper(tmp_path):
    # the same paper as a Web of Science-like record and a Scopus-like CSV row: titles written differently, the DOI
    # with and without resolver and in another case
    wos = jsonl(tmp_path, "wos.jsonl", {"title": "DEEP RESIDUAL LEARNING FOR IMAGE RECOGNITION", "year": 2016,
                                        "doi": "10.1109/CVPR.2016.90", "ids": {"wos": "000400012300090"}})
    scopus = scopus_like_csv(tmp_path, "scopus.csv", {"Title": "Deep residual learning for image recognition (ResNet)",
                                                      "Year": "2016", "DOI": "https://doi.org/10.1109/cvpr.2016.90",
                                                      "Abstract": "Deeper networks are harder to train."})
    for order in ([wos, scopus], [scopus, wos]):
        result = read_listings(order)
        (paper,) = result.papers
        assert paper.doi == "10.1109/cvpr.2016.90" and paper.abstract == "Deeper networks are harder to train."
        assert paper.id == paper_id_for("", "10.1109/cvpr.2016.90")
        assert sorted(s.rpartition(":")[0] for s in paper.sources) == sorted(map(str, order))
        assert dict(paper.ids) == {"wos": "000400012300090"}


def test_merge_by_shared_source_id(tmp_path, bibliographic_dir):
    export = bibliographic_dir / "openalex_works_diophila.json"
    work = json.loads(export.read_text(encoding="utf-8"))["results"][0]
    wid = work["id"].rsplit("/", 1)[1]
    other = jsonl(tmp_path, "mine.jsonl", {"title": "CiteAs (a differently written title)",
                                           "ids": {"openalex": wid}, "keywords": ["software citation"]})
    papers = read_listings([export, other]).papers
    assert len(papers) == 25
    merged = next(p for p in papers if ("openalex", wid) in p.ids)
    assert "software citation" in merged.keywords and len(merged.sources) == 2
    assert merged.title == " ".join(work["title"].split())


def test_merge_by_title_and_year(tmp_path):
    path = jsonl(tmp_path, "t.jsonl",
                 {"title": "Editorial", "year": 2015}, {"title": "EDITORIAL.", "year": 2021},  # two works
                 {"title": "A Study of X", "year": 2019}, {"title": "A study of x", "year": 2020},  # online / issue
                 {"title": "A study of X"})  # no year: the same work
    result = read_listings([path])
    assert [(p.title, p.year, len(p.sources)) for p in result.papers] == [
        ("Editorial", 2015, 1), ("EDITORIAL.", 2021, 1), ("A Study of X", 2019, 3)]
    assert result.problems == []


def test_merge_explicit_id_conflict_is_reported_never_merged(tmp_path):
    path = jsonl(tmp_path, "ids.jsonl", {"id": "a-1", "title": "Same Title"}, {"id": "b-2", "title": "same title!"})
    result = read_listings([path])
    assert [p.id for p in result.papers] == ["a-1", "b-2"]
    (problem,) = result.problems
    assert (problem.path, problem.line) == (str(path), 2)
    assert "different id" in problem.message and "a-1" in problem.message and "separate paper" in problem.message


def test_merge_doi_or_source_id_conflict_on_a_title_is_reported(tmp_path):
    path = jsonl(tmp_path, "c.jsonl", {"title": "Introduction", "doi": "10.1000/one"},
                 {"title": "Introduction", "doi": "10.1000/two"},
                 {"title": "Results", "ids": {"pmid": "1"}}, {"title": "Results", "ids": {"pmid": "2"}})
    result = read_listings([path])
    assert len(result.papers) == 4 and len({p.id for p in result.papers}) == 4
    assert [(p.line, m) for p in result.problems for m in ["DOI" in p.message or "pmid" in p.message]] == [
        (2, True), (4, True)]


def test_merge_keeps_listing_dates_and_publication_year(tmp_path):
    page = write(tmp_path, "hf.txt", HF_PAGE)
    record = jsonl(tmp_path, "s2.jsonl", {"paperId": "204e3073870fae3d05bcbc2f6a8e263d9b72e776",
                                          "title": "Attention is All you Need", "year": 2017,
                                          "publicationDate": "2017-06-12",
                                          "externalIds": {"DOI": "10.48550/arXiv.1706.03762"}})
    (paper,) = read_listings([page, record], year=2025).papers
    assert paper.dates == ("2025-03-17",) and paper.year == 2017 and paper.published == "2017-06-12"
    assert paper.id == paper_id_for("", "10.48550/arxiv.1706.03762")


def test_merge_ids_without_doi_are_those_of_the_title(seed_files):
    papers = read_listings(seed_files).papers
    assert len(papers) == 358
    assert all(p.id == paper_id_for(p.title) for p in papers)


def test_merge_existing_papers_keep_their_ids():
    old = Paper(id=paper_id_for("A Title"), title="A Title", sources=("a.txt:3",))
    (paper,) = merge_listings([Listing("a title", "", "b.jsonl:1", doi="10.1000/x", year=2020)], existing=[old])
    assert paper.id == old.id and paper.doi == "10.1000/x" and paper.sources == ("a.txt:3", "b.jsonl:1")


def test_merge_arxiv_listing_with_records_that_know_its_arxiv_id(tmp_path):
    atom = write(tmp_path, "feed.xml", '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                 "<entry><id>http://arxiv.org/abs/2106.09685v2</id><title>LoRA: Low-Rank Adaptation of Large Language"
                 " Models</title><published>2021-06-17T17:37:18Z</published></entry>\n</feed>\n")
    s2 = jsonl(tmp_path, "s2.jsonl", {"paperId": "a" * 40, "title": "LoRA: Low-Rank Adaptation of LLMs", "year": 2021,
                                      "externalIds": {"ArXiv": "2106.09685"}})
    crossref = jsonl(tmp_path, "crossref.jsonl", {"DOI": "10.48550/arXiv.2106.09685", "title": ["LoRA"],
                                                  "container-title": ["arXiv"], "is-referenced-by-count": 3})
    result = read_listings([atom, s2, crossref])
    (paper,) = result.papers
    assert paper.id == "2106.09685v2" and dict(paper.ids) == {"arxiv": "2106.09685", "s2": "a" * 40}
    assert paper.doi == "10.48550/arxiv.2106.09685" and len(paper.sources) == 3 and result.problems == []


def test_merge_same_doi_with_different_explicit_ids_is_one_paper_and_reported(tmp_path):
    path = jsonl(tmp_path, "ids.jsonl", {"id": "a-1", "title": "One title", "doi": "10.1000/same"},
                 {"id": "b-2", "title": "Another title", "doi": "https://doi.org/10.1000/SAME"})
    result = read_listings([path])
    assert [p.id for p in result.papers] == ["a-1"]
    (problem,) = result.problems
    assert problem.line == 2 and "same DOI" in problem.message and "keeps id 'a-1'" in problem.message
