"""The Scopus CSV reader on the real exports of ../shared (one of them spliced from two exports whose rows have one
field more than the header), and the Scopus reference strings of both layouts."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from citegraph.extract.readers import read_file
from citegraph.extract.readers.cited_strings import parse_scopus_reference, split_scopus_references
from citegraph.extract.readers.text import clean
from tests.bibliographic_exports import exports_dir, readme_counts

FILES = ["scopus_litstudy_spliced.csv", "scopus_bibliometrix_2026.csv"]


def _read(path: Path):
    problems: list = []
    info: dict = {}
    return read_file(path, problems=problems, info=info), problems, info


def _raw_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", FILES)
def test_readers_scopus_csv_real_exports_give_the_readme_counts(shared_dir, name):
    rows, problems, info = _read(exports_dir(shared_dir) / name)
    expected = readme_counts(shared_dir)[name]
    assert info["format"] == "scopus-csv"
    assert len(rows) == expected.records
    assert sum(bool(r.abstract) for r in rows) == expected.abstracts
    assert sum(bool(r.cited_references) for r in rows) == expected.cited
    assert sum(bool(r.doi) for r in rows) == expected.dois
    if name == "scopus_bibliometrix_2026.csv":
        assert not problems


def test_readers_scopus_csv_spliced_rows_are_reported_and_placed_by_their_eid(shared_dir):
    path = exports_dir(shared_dir) / "scopus_litstudy_spliced.csv"
    rows, problems, _ = _read(path)
    raw = _raw_rows(path)
    header = raw[0]
    longer = [i for i, r in enumerate(raw[1:], 1) if len(r) == len(header) + 1]
    # the README: rows 3-58 come from an export with one more column; each one is reported, with both counts
    assert longer == list(range(3, 59))
    assert len(problems) == len(longer)
    assert all(f"row has {len(header) + 1} fields where the header has {len(header)} columns" in p.message
               and "EID column and its link then name the same record" in p.message for p in problems)
    assert [p.line for p in problems] == [int(r.source.rpartition(":")[2]) for r in rows[2:]]
    # placed right: the EID read is the one in the record's Scopus link (a column before the spliced one), the
    # references are references (not the correspondence address the shift puts under that column)
    for r in rows:
        eid = re.search(r"eid=(2-s2\.0-\d+)", r.url).group(1)
        assert dict(r.ids)["scopus"] == eid
        assert not any("email:" in c.raw for c in r.cited_references)
    assert [r.cited_by for r in rows[:2]] == [int(x[header.index("Cited by")]) for x in raw[1:3]]


def test_readers_scopus_csv_a_row_shifted_elsewhere_is_skipped_with_its_counts(shared_dir, tmp_path):
    source = exports_dir(shared_dir) / "scopus_bibliometrix_2026.csv"
    raw = _raw_rows(source)
    raw[3].insert(1, "an extra cell before the title")
    path = tmp_path / "scopus.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(raw)
    rows, problems, _ = _read(path)
    assert len(rows) == readme_counts(shared_dir)[source.name].records - 1
    assert raw[3][4] not in [r.title for r in rows]  # its title (one cell right now) was not read as another field
    assert [(p.line, p.message) for p in problems] == [
        (problems[0].line, f"row has {len(raw[0]) + 1} fields where the header has {len(raw[0])} columns; skipped "
                           "(its fields cannot be placed)")]


def test_readers_scopus_csv_fields_match_their_columns(shared_dir):
    path = exports_dir(shared_dir) / "scopus_bibliometrix_2026.csv"
    rows, _, _ = _read(path)
    raw = _raw_rows(path)
    col = {h: i for i, h in enumerate(raw[0])}
    for r, x in zip(rows, raw[1:]):
        assert r.title == clean(x[col["Title"]]) and r.doi == x[col["DOI"]].lower()
        assert r.year == int(x[col["Year"]]) and r.venue == clean(x[col["Source title"]])
        assert r.cited_by == int(x[col["Cited by"]])
        assert len(r.authors) == len(x[col["Authors"]].split("; "))
        assert not any(re.search(r"\(\d+\)$", a) for a in r.authors)  # "Liu, Fengyuan (60410297700)" -> the name
        assert set(x[col["Author Keywords"]].split("; ")) <= set(r.keywords)
        refs = r.cited_references
        assert len(refs) == len(re.findall(r"\(\d{4}\)(?:;|$)", x[col["References"]]))  # each ends with (year)
        assert all(c.year and c.title for c in refs if re.match(r"\w", c.raw))


@pytest.mark.parametrize("raw, fields", [
    ("Murata, T., Petri nets: Properties, analysis and applications (1989) Proc. of the IEEE, 77 (4), pp. 541-580",
     ("Murata, T.", "Petri nets: Properties, analysis and applications", 1989, "Proc. of the IEEE", "77", "541")),
    ("Petri, C.A., (1962) Kommunikation Mit Automaten", ("Petri, C.A.", "", 1962, "Kommunikation Mit Automaten", "",
                                                         "")),
    ("López-Grao, J.-P., Colom, J.-M., The deadlock problem (2014) ETFA, , IEEE",
     ("López-Grao, J.-P.", "The deadlock problem", 2014, "ETFA", "", "")),
    ("Cheng M.; Xue Y.; Cui M., Global, regional, and national burden of low back pain, Spine (Phila Pa 1976), 50, "
     "pp. E128-E139, (2025)",
     ("Cheng M.", "Global, regional, and national burden of low back pain", 2025, "Spine (Phila Pa 1976)", "50",
      "E128")),
    ("The global epidemic of low back pain, Lancet Rheumatol, 5, (2023)",
     ("", "The global epidemic of low back pain", 2023, "Lancet Rheumatol", "5", "")),
])
def test_readers_scopus_reference_strings(raw, fields):
    c = parse_scopus_reference(raw)
    assert (c.first_author, c.title, c.year, c.source, c.volume, c.page) == fields


def test_readers_scopus_references_split_in_both_layouts():
    old = "Murata, T., Petri nets (1989) Proc. IEEE, 77, pp. 541-580; Petri, C.A., (1962) Kommunikation"
    new = "Cheng M.; Xue Y., Title one, J A, 5, (2023); Yuan K.-C.; Lo Bue E., Title two, J B, (2025)"
    assert [c.split(",")[0] for c in split_scopus_references(old)] == ["Murata", "Petri"]
    assert list(split_scopus_references(new)) == ["Cheng M.; Xue Y., Title one, J A, 5, (2023)",
                                                  "Yuan K.-C.; Lo Bue E., Title two, J B, (2025)"]
    assert parse_scopus_reference("x 10.1000/ABC.1 y").doi == "10.1000/abc.1"
