"""The real bibliographic exports of ``../shared/data/bibliographic`` and the counts its README gives for each
(made there by independent scripts): the tests of the readers check what they read against those counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: each real export read by a reader of this package, and the format it must be detected as
FORMAT_OF = {
    "wos_plaintext_wosfile.txt": "wos",
    "wos_plaintext_metaknowledge.txt": "wos",
    "wos_plaintext_bibliometrix.txt": "wos",
    "wos_tab_delimited_wosfile.txt": "wos-tab",
    "wos_tab_delimited_scientopy_2026.txt": "wos-tab",
    "scopus_litstudy_spliced.csv": "scopus-csv",
    "scopus_bibliometrix_2026.csv": "scopus-csv",
    "lens_bibliometrix.csv": "lens",
    "ieee_litstudy.ris": "ris",
    "scopus_asreview.ris": "ris",
    "zotero_asreview.ris": "ris",
    "scopus_citation_file_formatting.ris": "ris",
    "wos_pybibx.bib": "bibtex",
    "scopus_pybibx.bib": "bibtex",
}


@dataclass(frozen=True)
class Counts:
    """One row of the README's table: records, records with an abstract, with cited references, with a DOI."""

    records: int
    abstracts: int
    cited: int
    dois: int


def exports_dir(shared: Path) -> Path:
    return shared / "data" / "bibliographic"


def readme_counts(shared: Path) -> dict[str, Counts]:
    """The README's counts by file name, for the rows whose counts are plain numbers (an empty cell is 0)."""
    counts = {}
    for line in (exports_dir(shared) / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 9 or not re.fullmatch(r"[\w.-]+\.\w+", cells[0]):
            continue
        numbers = cells[4:8]
        if all(re.fullmatch(r"\d*", n) for n in numbers):
            counts[cells[0]] = Counts(*(int(n or 0) for n in numbers))
    return counts
