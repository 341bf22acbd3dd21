"""The formats: the table of readers (:data:`READERS`, whose keys are :data:`FORMATS`) and :func:`detect_format`,
which tells a file's format from its content when none is given. A new format is registered here, and only here.

Detection is positive: each format's ``sniff(head)`` says True only when the decoded first characters of a file
(:data:`HEAD_CHARS`) are surely that format. The formats are tried in the order of :data:`READERS`, the most
specific first and the most lenient (a Hugging Face page) last; when several recognise a file, its extension breaks
the tie, else the first wins. A file that no format recognises is an error naming the file and the formats tried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from citegraph.extract.records import CitegraphError, InputProblem
from citegraph.extract.readers import (arxiv, bibtex, crossref, csv_table, dimensions, hf, jsonl, lens, medline,
                                       openalex, pubmed_xml, ris, scopus_csv, semanticscholar, wos, wos_tab)
from citegraph.extract.readers.fields import Listing

__all__ = ["Reader", "Format", "READERS_TABLE", "READERS", "FORMATS", "HEAD_CHARS", "UnknownFormat", "detect_format"]

#: ``read(path, text, year, problems, assumed)``: the listings of one file's decoded ``text``, whose sources say
#: ``path:line``; what is skipped goes to ``problems``, and for each date read, whether its year was assumed to
#: be ``year``, to ``assumed``
Reader = Callable[[str, str, int, list[InputProblem], list[bool]], Iterator[Listing]]

#: how many decoded characters of a file its format is told from
HEAD_CHARS = 65_536


class Format(NamedTuple):
    """One input format: its reader, its positive test and the extensions its files usually have."""

    read: Reader
    sniff: Callable[[str], bool]
    extensions: frozenset[str]


#: every format by the name ``--format`` and ``read_file(fmt=...)`` take, in the order detection tries them
READERS_TABLE: dict[str, Format] = {
    "wos": Format(wos.read, wos.sniff, frozenset({".txt"})),
    "wos-tab": Format(wos_tab.read, wos_tab.sniff, frozenset({".txt", ".tsv", ".tab"})),
    "ris": Format(ris.read, ris.sniff, frozenset({".ris", ".txt"})),
    "bibtex": Format(bibtex.read, bibtex.sniff, frozenset({".bib", ".bibtex", ".txt"})),
    "scopus-csv": Format(scopus_csv.read, scopus_csv.sniff, frozenset({".csv"})),
    "lens": Format(lens.read, lens.sniff, frozenset({".csv"})),
    "dimensions": Format(dimensions.read, dimensions.sniff, frozenset({".csv"})),
    "medline": Format(medline.read, medline.sniff, frozenset({".txt", ".nbib"})),
    "openalex": Format(openalex.read, openalex.sniff, frozenset({".json", ".jsonl", ".gz"})),
    "semanticscholar": Format(semanticscholar.read, semanticscholar.sniff, frozenset({".json", ".jsonl"})),
    "crossref": Format(crossref.read, crossref.sniff, frozenset({".json", ".jsonl"})),
    "pubmed-xml": Format(pubmed_xml.read, pubmed_xml.sniff, frozenset({".xml"})),
    "arxiv": Format(arxiv.read, arxiv.sniff, frozenset({".xml", ".atom"})),
    "jsonl": Format(jsonl.read, jsonl.sniff, frozenset({".jsonl", ".ndjson", ".json"})),
    "csv": Format(csv_table.read, csv_table.sniff, frozenset({".csv", ".tsv"})),
    "hf": Format(hf.read, hf.sniff, frozenset({".txt"})),
}

#: every format's reader, by its name
READERS: dict[str, Reader] = {name: f.read for name, f in READERS_TABLE.items()}

FORMATS: tuple[str, ...] = tuple(READERS)


class UnknownFormat(CitegraphError):
    """No format recognises a file."""


def detect_format(path: Path, head: str) -> str:
    """The format of the file at ``path`` whose decoded text starts with ``head`` (its first :data:`HEAD_CHARS`
    characters); raises :class:`UnknownFormat`, naming the file and the formats tried, when none recognises it.

    >>> detect_format(Path("a.txt"), "FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\n")
    'wos'
    >>> detect_format(Path("a.csv"), "id,title\\n1,T\\n"), detect_format(Path("p.txt"), "Mar 17\\nA title\\nText.\\n")
    ('csv', 'hf')
    >>> try:
    ...     detect_format(Path("notes.txt"), "just some text\\n")
    ... except UnknownFormat as e:
    ...     print(str(e)[:64])
    notes.txt: not a format citegraph recognises (tried wos, wos-tab
    """
    head = head[:HEAD_CHARS]
    found = [name for name, f in READERS_TABLE.items() if _sniffs(f, head)]
    if not found:
        raise UnknownFormat(f"{path}: not a format citegraph recognises (tried {', '.join(FORMATS)}); give --format "
                            "to read it as one")
    ext = path.suffix.lower()
    return next((name for name in found if ext in READERS_TABLE[name].extensions), found[0])


def _sniffs(f: Format, head: str) -> bool:
    try:
        return f.sniff(head)
    except (ValueError, RecursionError):  # a sniff that chokes on hostile text has not recognised it
        return False
