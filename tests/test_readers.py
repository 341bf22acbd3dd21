from __future__ import annotations

import json
from pathlib import Path

import pytest

from citegraph.extract.readers import detect_format, read_file, read_listings


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


HF_PAGE = """new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Mar 17

A Great Title About Transformers

We propose a transformer. It works on ImageNet (Deng et al., 2009).

Second Paper Title

Another abstract that is long enough to be an abstract paragraph.
"""


def test_readers_seeds_give_358_papers_with_dates(seed_files):
    result = read_listings(seed_files, year=2025)
    assert len(result.papers) == 358
    assert not result.problems
    assert result.year_assumed == 2025
    dated = [p for p in result.papers if p.dates]
    assert {d for p in dated for d in p.dates} == {"2025-03-13", "2025-03-14", "2025-03-17"}
    # a paper listed on several pages carries every date and every source
    multi = [p for p in result.papers if len(p.sources) > 1]
    assert multi and all(len(p.sources) >= len(p.dates) for p in multi)
    assert all(p.title and p.abstract for p in result.papers)


def test_readers_subscribe_glued_title_is_split(seed_files):
    glued = [f for f in seed_files if "SubscribeOn Invariance" in f.read_text(encoding="utf-8")]
    assert glued, "expected the seed page whose first title is glued to Subscribe"
    papers = read_listings(glued).papers
    assert papers[0].title == "On Invariance Penalties for Risk Minimization"


def test_readers_hf_page_with_and_without_blank_lines(tmp_path):
    with_blanks = read_file(write(tmp_path, "a.txt", HF_PAGE), year=2024)
    without = read_file(write(tmp_path, "b.txt", "\n".join(x for x in HF_PAGE.splitlines() if x.strip())), year=2024)
    assert [(x.title, x.abstract, x.date) for x in with_blanks] == [(x.title, x.abstract, x.date) for x in without]
    assert with_blanks[0].date == "2024-03-17"
    assert with_blanks[1].title == "Second Paper Title"


def test_readers_same_paper_in_two_formats_is_one_paper(tmp_path):
    hf = write(tmp_path, "page.txt", HF_PAGE)
    jl = write(tmp_path, "more.jsonl", json.dumps({"title": "a great title about transformers!", "date": "2024-05-01",
                                                   "url": "https://arxiv.org/abs/1"}) + "\n")
    result = read_listings([hf, jl], year=2024)
    assert len(result.papers) == 2
    first = result.papers[0]
    assert first.dates == ("2024-03-17", "2024-05-01")
    assert first.url == "https://arxiv.org/abs/1"
    assert len(first.sources) == 2


def test_readers_jsonl_keeps_ids_and_reports_bad_lines(tmp_path):
    lines = [json.dumps({"id": "X-1", "title": "Kept", "abstract": "Text."}), "{not json", "[1, 2]",
             json.dumps({"id": "X-2", "abstract": "no title"}), json.dumps({"id": 7, "title": ["wrong type"]}),
             json.dumps({"id": "X-3", "title": "Also kept"})]
    path = write(tmp_path, "in.jsonl", "\n".join(lines) + "\n")
    result = read_listings([path])
    assert [p.id for p in result.papers] == ["X-1", "X-3"]
    where = {(p.line, p.message.split(" ")[0]) for p in result.problems}
    assert {line for line, _ in where} >= {2, 3, 4, 5}
    assert all(p.path == str(path) for p in result.problems)


def test_readers_csv_with_missing_columns_and_short_rows(tmp_path):
    path = write(tmp_path, "in.csv", "id,title,abstract,date\n1,First,Some text,2024-01-02\n2,Second\n3,,orphan\n")
    result = read_listings([path])
    assert [p.title for p in result.papers] == ["First", "Second"]
    assert result.papers[0].dates == ("2024-01-02",)
    assert any(p.line == 4 and "title" in p.message for p in result.problems)


def test_readers_csv_without_title_column_is_reported(tmp_path):
    path = write(tmp_path, "in.csv", "name,abstract\nx,y\n")
    result = read_listings([path], fmt="csv")
    assert not result.papers
    assert "no 'title' column" in str(result.problems[0])
    result = read_listings([path])  # without --format, no format recognises it
    assert not result.papers
    assert "not a format citegraph recognises" in str(result.problems[0])


ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/abs/2401.00001v1</id>
    <published>2024-01-01T00:00:00Z</published>
    <title>An Atom
      Title</title>
    <summary>  We study   things.
    </summary>
    <author><name>Ada Lovelace</name></author>
    <author><name>Alan Turing</name></author>
    <link href="http://arxiv.org/abs/2401.00001v1" rel="alternate" type="text/html"/>
  </entry>
</feed>
"""


def test_readers_arxiv_atom(tmp_path):
    papers = read_listings([write(tmp_path, "feed.xml", ATOM)]).papers
    assert len(papers) == 1
    p = papers[0]
    assert (p.id, p.title, p.abstract, p.dates) == ("2401.00001v1", "An Atom Title", "We study things.",
                                                    ("2024-01-01",))
    assert p.authors == ("Ada Lovelace", "Alan Turing")
    assert p.url == "http://arxiv.org/abs/2401.00001v1"


def test_readers_xml_entity_expansion_is_refused(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            '<feed><entry><title>&lol2;</title></entry></feed>')
    result = read_listings([write(tmp_path, "bomb.xml", bomb)])
    assert not result.papers
    assert "refused" in str(result.problems[0])


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
])
def test_readers_unusable_files_are_reported(tmp_path, content, message):
    result = read_listings([write(tmp_path, "x.txt", content)])
    assert not result.papers
    assert message in str(result.problems[0])


def test_readers_missing_path_and_directory_are_reported(tmp_path):
    result = read_listings([tmp_path / "nope.txt", tmp_path])
    assert not result.papers
    messages = " ".join(str(p) for p in result.problems)
    assert "cannot be read" in messages and "directory" in messages


def test_readers_broken_utf8_keeps_the_good_text(tmp_path):
    data = HF_PAGE.encode("utf-8").replace(b"We propose", b"We \xff\xfe propose")
    result = read_listings([write(tmp_path, "x.txt", data)])
    assert len(result.papers) == 2
    assert "UTF-8" in str(result.problems[0])


@pytest.mark.parametrize("name, head, expected", [
    ("a.txt", "new\n", "hf"), ("a.jsonl", '{"title": 1}\n', "jsonl"), ("a", '{"title": 1}', "jsonl"),
    ("a", '<?xml version="1.0"?>\n<feed>', "arxiv"), ("a.csv", "id,title\n", "csv"), ("a", "id,title\n", "csv"),
])
def test_readers_detect_format(name, head, expected):
    assert detect_format(Path(name), head) == expected


@pytest.mark.parametrize("name, head", [("a.jsonl", ""), ("a.csv", "name,abstract\n"), ("a.xml", "<?xml version"),
                                        ("a.txt", "Title\nAbstract of it.\n")])
def test_readers_detect_format_refuses_what_no_format_recognises(name, head):
    from citegraph.extract.readers.detect import UnknownFormat

    with pytest.raises(UnknownFormat, match=f"{name}: not a format citegraph recognises \\(tried wos, "):
        detect_format(Path(name), head)


def test_readers_forced_format(tmp_path):
    path = write(tmp_path, "looks.txt", json.dumps({"title": "T"}) + "\n")
    assert [x.title for x in read_file(path, fmt="jsonl")] == ["T"]


def test_readers_over_long_abstract_is_skipped_with_the_limit(tmp_path):
    path = write(tmp_path, "in.jsonl", json.dumps({"title": "Long", "abstract": "x" * 60_000}) + "\n"
                 + json.dumps({"title": "Short", "abstract": "fine"}) + "\n")
    result = read_listings([path])
    assert [p.title for p in result.papers] == ["Short"]
    assert "limit" in str(result.problems[0]) and ":1:" in str(result.problems[0])


def test_readers_package_api_is_one_import():
    import citegraph.extract.readers as readers
    from citegraph.extract.readers.detect import READERS

    assert all(hasattr(readers, name) for name in readers.__all__)
    assert readers.FORMATS == tuple(READERS)
    assert {"hf", "jsonl", "csv", "arxiv", "openalex", "semanticscholar", "crossref", "medline", "pubmed-xml", "wos",
            "wos-tab", "ris", "bibtex", "scopus-csv", "lens", "dimensions"} <= set(READERS)
    # graph/build/job.py, citegraph/api.py, the CLI and the benches import these from the listings module
    from citegraph.extract.readers.listings import ReadResult, read_file, read_listings  # noqa: F401


def test_readers_listing_from_record_is_what_jsonl_and_records_read(tmp_path):
    from citegraph.extract.readers import listing_from_record, read_records

    record = {"Title": " A  Title ", "summary": "Text.", "published": "2024-02-03", "authors": ["X", "Y"], "id": 7}
    problems: list = []
    listing = listing_from_record(record, "records", 1, 2025, problems)
    assert (listing.title, listing.abstract, listing.date, listing.authors, listing.id) == (
        "A Title", "Text.", "2024-02-03", ("X", "Y"), "7")
    assert not problems
    assert read_records([record]) == [listing]
    jl = read_file(write(tmp_path, "in.jsonl", json.dumps(record) + "\n"))
    assert [x.title for x in jl] == ["A Title"] and jl[0].source == f"{tmp_path / 'in.jsonl'}:1"


def test_readers_records_of_any_mapping_and_key_type_are_read():
    import types

    from citegraph.extract.readers import read_records

    problems: list = []
    info: dict = {}
    rows = read_records([{1: "x", "title": "A"}, types.MappingProxyType({"title": "B"}), ["not", "a", "mapping"],
                         {"abstract": "no title"}], problems=problems, info=info)
    assert [(x.title, x.source) for x in rows] == [("A", "records:1"), ("B", "records:2")]
    assert [str(p) for p in problems] == ["records:3: expected a mapping, got list; skipped",
                                          "records:4: record without a title was skipped"]
    assert info["records"] == 2 and len(info["sha256"]) == 64


def test_readers_records_and_files_together(tmp_path):
    hf = write(tmp_path, "page.txt", HF_PAGE)
    result = read_listings([hf, {"title": "Second paper title", "date": "2024-06-01"}, {"title": "New one"}],
                           year=2024)
    assert [p.title for p in result.papers] == ["A Great Title About Transformers", "Second Paper Title", "New one"]
    assert result.papers[1].dates == ("2024-03-17", "2024-06-01")
    assert [f["format"] for f in result.files] == ["hf", "records"]


def test_readers_undecodable_bytes_are_reported_under_the_given_name(tmp_path):
    data = HF_PAGE.encode("utf-8").replace(b"We propose", b"We \xff\xfe propose")
    problems: list = []
    rows = read_file(write(tmp_path, "x.txt", data), problems=problems, name="sample/x.txt")
    assert len(rows) == 2 and all(r.source.startswith("sample/x.txt:") for r in rows)
    assert [p.path for p in problems] == ["sample/x.txt"] and "UTF-8" in problems[0].message
