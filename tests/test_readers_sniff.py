"""Content detection of the bibliographic JSON and PubMed formats: on every real export of
../shared/data/bibliographic, the format's own ``sniff`` says yes, and every other says no (a file is never read
as a format it is not)."""

from __future__ import annotations

from pathlib import Path

from citegraph.extract.readers.detect import SNIFFERS

OWN = {"openalex_works_diophila.json": "openalex", "semanticscholar_paper.json": "semanticscholar",
       "crossref_works_habanero.json": "crossref", "pubmed_medline_pybibx.txt": "medline"}


def test_sniff_each_real_export_is_claimed_by_its_format_only(bibliographic_dir: Path):
    exports = sorted(p for p in bibliographic_dir.iterdir() if p.name != "README.md")
    assert len(exports) == 18
    for path in exports:
        head = path.read_bytes()[:65536].decode("utf-8-sig", errors="replace")
        claimed = [fmt for fmt, sniff in SNIFFERS if sniff(head)]
        assert claimed == ([OWN[path.name]] if path.name in OWN else []), path.name


def test_sniff_seeds_are_no_bibliographic_format(seed_files):
    for path in seed_files:
        head = path.read_text(encoding="utf-8")[:65536]
        assert [fmt for fmt, sniff in SNIFFERS if sniff(head)] == [], path.name
