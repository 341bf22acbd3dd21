"""The Lens.org CSV reader on the real export of ../shared."""

from __future__ import annotations

import csv
import io
import re

from citegraph.extract.readers import read_file
from tests.bibliographic_exports import exports_dir, readme_counts

NAME = "lens_bibliometrix.csv"
LENS_ID = re.compile(r"\d{3}-\d{3}-\d{3}-\d{3}-\d{2}[\dX]")  # the last character a check digit or X


def test_readers_lens_real_export_gives_the_readme_counts_and_its_columns(shared_dir):
    path = exports_dir(shared_dir) / NAME
    problems: list = []
    info: dict = {}
    rows = read_file(path, problems=problems, info=info)
    expected = readme_counts(shared_dir)[NAME]
    assert info["format"] == "lens" and not problems
    assert len(rows) == expected.records
    assert sum(bool(r.abstract) for r in rows) == expected.abstracts
    assert sum(bool(r.cited_references) for r in rows) == expected.cited
    assert sum(bool(r.doi) for r in rows) == expected.dois
    raw = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    for r, x in zip(rows, raw):
        assert dict(r.ids)["lens"] == x["Lens ID"] and LENS_ID.fullmatch(x["Lens ID"])
        assert r.year == int(x["Publication Year"]) and r.published == x["Date Published"][:10]
        assert r.cited_by == int(x["Citing Works Count"])
        cited = [c.strip() for c in x["References"].split(";") if c.strip()]
        assert [dict(c.ids)["lens"] for c in r.cited_references] == cited
        assert all(LENS_ID.fullmatch(c) for c in cited)
        assert len(r.authors) == len(x["Author/s"].split("; "))
