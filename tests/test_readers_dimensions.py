"""The Dimensions CSV reader. There is no real Dimensions export in ../shared, so the file read here is written from
the columns Dimensions documents for its CSV exports ("About the data" line, then the header; the export for
bibliometric mapping adds "Cited references", entries of fields separated by "|")."""

from __future__ import annotations

import csv
import io

from citegraph.extract.readers import read_file

COLUMNS = ["Rank", "Publication ID", "DOI", "PMID", "PMCID", "Title", "Abstract", "Source title", "Publisher",
           "MeSH terms", "Publication Date", "PubYear", "Volume", "Issue", "Pagination", "Open Access",
           "Publication Type", "Authors", "Times cited", "Recent citations", "Dimensions URL", "Cited references"]


def _export(rows: list[list[str]]) -> str:
    out = io.StringIO()
    out.write('"About the data: Exported on Dec 05, 2026. Criteria: \'transformer\' in title and abstract."\n')
    csv.writer(out, lineterminator="\n").writerows([COLUMNS, *rows])
    return out.getvalue()


def test_readers_dimensions_export_columns_and_cited_references(tmp_path):
    first = ["1", "pub.1091409233", "10.5555/3295222.3295349", "", "", "Attention Is All You Need",
             "The dominant sequence transduction models...", "Advances in Neural Information Processing Systems",
             "Curran", "", "2017-12-04", "2017", "30", "", "5998-6008", "", "Proceeding", "Vaswani, Ashish; "
             "Shazeer, Noam", "91234", "20000", "https://app.dimensions.ai/details/publication/pub.1091409233",
             "[Sutskever, Ilya; Vinyals, Oriol]|Sequence to sequence learning with neural networks|NeurIPS|2014|27|"
             "|3104-3112||pub.1004356311;[Bahdanau, Dzmitry]|Neural machine translation|arXiv|2014|||||"]
    short = ["2", "pub.2", "", "", "", "Row with a missing field"]
    second = ["3", "pub.1000000003", "", "12345678", "PMC1", "A Second Paper", "", "Journal", "", "Humans; Mice",
              "2020-05", "2020", "", "", "", "", "Article", "Doe, Jane", "0", "0", "", ""]
    path = tmp_path / "Dimensions-Publication-2026-12-05.csv"
    path.write_text(_export([first, short, second]), encoding="utf-8")
    problems: list = []
    info: dict = {}
    rows = read_file(path, problems=problems, info=info)
    assert info["format"] == "dimensions"
    assert [r.title for r in rows] == ["Attention Is All You Need", "A Second Paper"]
    assert [str(p) for p in problems] == [f"{path}:4: row has 6 fields where the header has {len(COLUMNS)} "
                                          "columns; skipped (its fields cannot be placed)"]
    a, b = rows
    assert a.source == f"{path}:3" and b.source == f"{path}:5"  # lines of the file, the "About" line included
    assert (a.doi, a.year, a.published, a.volume, a.page, a.cited_by) == ("10.5555/3295222.3295349", 2017,
                                                                          "2017-12-04", "30", "5998", 91234)
    assert a.authors == ("Vaswani, Ashish", "Shazeer, Noam") and dict(a.ids) == {"dimensions": "pub.1091409233"}
    assert [(c.first_author, c.title, c.year, c.page, dict(c.ids)) for c in a.cited_references] == [
        ("Sutskever, Ilya", "Sequence to sequence learning with neural networks", 2014, "3104",
         {"dimensions": "pub.1004356311"}),
        ("Bahdanau, Dzmitry", "Neural machine translation", 2014, "", {})]
    assert dict(b.ids) == {"dimensions": "pub.1000000003", "pmid": "12345678", "pmcid": "PMC1"}
    assert b.keywords == ("Humans", "Mice") and b.published == "2020-05"
