"""The BibTeX reader on the real exports of ../shared (Web of Science with Cited-References and Unique-ID, Scopus
with a text header and tab indents, both with a byte-order mark), and hand-written Zotero/JabRef-style entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citegraph.extract.readers import read_file
from tests.bibliographic_exports import exports_dir, readme_counts

FILES = ["wos_pybibx.bib", "scopus_pybibx.bib"]


def _read(path: Path):
    problems: list = []
    info: dict = {}
    return read_file(path, problems=problems, info=info), problems, info


def _field(entry: str, name: str) -> str:
    m = re.search(rf"^\s*{name}\s*=\s*\{{(.*?)\}},?\s*$", entry, re.MULTILINE | re.DOTALL | re.IGNORECASE)
    return m.group(1) if m else ""


@pytest.mark.parametrize("name", FILES)
def test_readers_bibtex_real_exports_give_the_readme_counts(shared_dir, name):
    rows, problems, info = _read(exports_dir(shared_dir) / name)
    expected = readme_counts(shared_dir)[name]
    assert info["format"] == "bibtex" and not problems
    assert len(rows) == expected.records
    assert sum(bool(r.abstract) for r in rows) == expected.abstracts
    assert sum(bool(r.cited_references) for r in rows) == expected.cited
    assert sum(bool(r.doi) for r in rows) == expected.dois


@pytest.mark.parametrize("name", FILES)
def test_readers_bibtex_fields_match_the_entries_own_fields(shared_dir, name):
    path = exports_dir(shared_dir) / name
    text = path.read_bytes().decode("utf-8-sig")
    rows, _, _ = _read(path)
    starts = [m.start() for m in re.finditer(r"^@\w+\{", text, re.MULTILINE)]
    entries = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    assert len(entries) == len(rows)
    for r, entry, at in zip(rows, entries, starts):
        assert int(r.source.rpartition(":")[2]) == text[:at].count("\n") + 1  # the line of its "@"
        assert r.year == int(_field(entry, "year"))
        assert r.doi == _field(entry, "doi").replace("\\_", "_").lower()
        assert len(r.authors) == len(re.split(r"\s+and\s+", _field(entry, "author")))
        assert "{" not in r.title + r.abstract and "\\" not in r.title + r.abstract
        if name.startswith("wos"):
            # one reference per line (Number-of-Cited-References may count one more than the export lists)
            listed = [x for x in _field(entry, "Cited-References").splitlines() if x.strip()]
            assert len(r.cited_references) == len(listed)
            assert len(listed) <= int(_field(entry, "Number-of-Cited-References")) <= len(listed) + 1
            assert r.cited_by == int(_field(entry, "Times-Cited"))
            assert dict(r.ids)["wos"] == _field(entry, "Unique-ID").removeprefix("WOS:")
        else:
            assert r.cited_by == int(re.search(r"Cited by: (\d+)", _field(entry, "note")).group(1))
            assert dict(r.ids)["scopus"] in _field(entry, "url")


def test_readers_bibtex_wos_cited_references_are_decoded(shared_dir):
    rows, _, _ = _read(exports_dir(shared_dir) / "wos_pybibx.bib")
    refs = [c for r in rows for c in r.cited_references]
    assert not [c.raw for c in refs if "{" in c.raw or c.raw.endswith(".")]
    anonymous = [c for c in refs if c.raw.startswith("[Anonymous]")]
    assert anonymous and all(c.first_author == "" and c.year for c in anonymous)
    assert sum(bool(c.doi) for c in refs) > 0.3 * len(refs)


ZOTERO = r"""% Exported by a reference manager
@inproceedings{vaswani2017attention,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam and M{\"u}ller, Jakob},
  booktitle = {Advances in Neural Information Processing Systems},
  year = {2017},
  month = dec,
  pages = {5998--6008},
  doi = {10.48550/arXiv.1706.03762},
  keywords = {transformers, attention},
  eprint = {1706.03762},
  archivePrefix = {arXiv},
  abstract = {We propose the Transformer; 28.4 BLEU, 100% of \emph{it}.}
}

@article{broken,
  title = {Never closed,
  year = {2020}

@article{after,
  title = {Read after the broken one},
  year = 2021
}
"""


def test_readers_bibtex_reference_manager_entries_and_a_broken_one(tmp_path):
    path = tmp_path / "library.bib"
    path.write_text(ZOTERO, encoding="utf-8")
    rows, problems, info = _read(path)
    assert info["format"] == "bibtex"
    assert [r.title for r in rows] == ["Attention Is All You Need", "Read after the broken one"]
    first = rows[0]
    assert first.authors == ("Vaswani, Ashish", "Shazeer, Noam", "Müller, Jakob")
    assert (first.year, first.published, first.page) == (2017, "2017-12", "5998")
    assert first.doi == "10.48550/arxiv.1706.03762"
    assert first.venue == "Advances in Neural Information Processing Systems"
    assert first.keywords == ("transformers", "attention") and dict(first.ids) == {"arxiv": "1706.03762"}
    assert first.abstract == "We propose the Transformer; 28.4 BLEU, 100% of it."
    lines = ZOTERO.splitlines()
    assert [(p.line, "unreadable BibTeX entry" in p.message) for p in problems] == [
        (lines.index("@article{broken,") + 1, True)]
    assert rows[1].source.endswith(f":{lines.index('@article{after,') + 1}")
