"""The formats: the table of readers (:data:`READERS`, whose keys are :data:`FORMATS`) and :func:`detect_format`,
which guesses a file's format when none is given. A new format is registered here, and only here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from citegraph.extract.records import InputProblem
from citegraph.extract.readers import crossref, medline, openalex, pubmed_xml, semanticscholar
from citegraph.extract.readers.arxiv import read as read_arxiv
from citegraph.extract.readers.csv_table import read as read_csv
from citegraph.extract.readers.fields import Listing
from citegraph.extract.readers.hf import read as read_hf
from citegraph.extract.readers.jsonl import read as read_jsonl

__all__ = ["Reader", "READERS", "SNIFFERS", "FORMATS", "detect_format"]

#: ``read(path, text, year, problems, assumed)``: the listings of one file's decoded ``text``, whose sources say
#: ``path:line``; what is skipped goes to ``problems``, and for each date read, whether its year was assumed to
#: be ``year``, to ``assumed``
Reader = Callable[[str, str, int, list[InputProblem], list[bool]], Iterator[Listing]]

#: every format's reader, by the name ``--format`` and ``read_file(fmt=...)`` take
READERS: dict[str, Reader] = {"hf": read_hf, "jsonl": read_jsonl, "csv": read_csv, "arxiv": read_arxiv,
                              "openalex": openalex.read, "semanticscholar": semanticscholar.read,
                              "crossref": crossref.read, "medline": medline.read, "pubmed-xml": pubmed_xml.read}

#: formats recognised from their content alone (``sniff(head)`` is True only for that format), tried in this order
#: before any extension rule
SNIFFERS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("openalex", openalex.sniff), ("semanticscholar", semanticscholar.sniff), ("crossref", crossref.sniff),
    ("medline", medline.sniff), ("pubmed-xml", pubmed_xml.sniff))

FORMATS: tuple[str, ...] = tuple(READERS)


def detect_format(path: Path, head: bytes) -> str:
    """Guess a file's format: the first format of :data:`SNIFFERS` whose ``sniff`` recognises the first bytes, else
    by extension, then by the first bytes.

    >>> detect_format(Path("a.tsv"), b""), detect_format(Path("a"), b"id,title\\n"), detect_format(Path("a"), b"new")
    ('csv', 'csv', 'hf')
    """
    text = head.decode("utf-8", errors="replace")
    for fmt, sniff in SNIFFERS:
        if sniff(text):
            return fmt
    ext = path.suffix.lower()
    if ext in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if ext in {".csv", ".tsv"}:
        return "csv"
    if ext in {".xml", ".atom"}:
        return "arxiv"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<?xml") or start.startswith(b"<feed"):
        return "arxiv"
    first_line = re.split(rb"\r\n|\r|\n", start, maxsplit=1)[0].lower()  # a lone-CR file is not one line
    if b"title" in first_line and b"," in first_line:
        return "csv"
    return "hf"
