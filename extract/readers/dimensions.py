"""Reader of Dimensions CSV exports (format ``dimensions``), written from the export's documented columns: an
``About the data`` line, then a header whose columns are read by name (``Publication ID``, ``DOI``, ``PMID``,
``PMCID``, ``Title``, ``Abstract``, ``Source title`` or ``Source title/Anthology title``, ``PubYear``,
``Publication Date``, ``Volume``, ``Pagination``, ``Authors``, ``Times cited``, ``Dimensions URL``, ``MeSH terms``,
and in the export for bibliometric mapping, ``Cited references``: ``[Authors]|title|source|year|volume|issue|
pages|DOI|publication id`` entries separated by ``;``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from citegraph.extract.records import CitedReference, InputProblem
from citegraph.extract.readers.export_tables import count_of, first_of, header_of, records, split_list
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import normalise_doi, normalise_pmid
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read", "parse_dimensions_reference"]

_ABOUT = re.compile(r'^\W*about the data', re.IGNORECASE)


def _skip(head: str) -> int:
    """Lines before the header: 1 when the file starts with Dimensions' ``About the data`` line."""
    return 1 if _ABOUT.match(head.lstrip("\ufeff")) else 0


def sniff(head: str) -> bool:
    """Whether ``head`` is a Dimensions CSV export: a header (after an optional ``About the data`` line) with
    ``Publication ID`` and ``Title`` columns and a ``Dimensions URL`` or ``PubYear`` column.

    >>> sniff('"About the data: Exported on Dec 05, 2026."\\n"Rank","Publication ID","DOI","Title","PubYear"\\n')
    True
    >>> sniff("Lens ID,Title\\n"), sniff("Publication ID,Title\\n")
    (False, False)
    """
    header = {h.lower() for h in header_of(head, _skip(head))}
    return {"publication id", "title"} <= header and bool({"dimensions url", "pubyear"} & header)


def parse_dimensions_reference(raw: str) -> CitedReference:
    """One entry of Dimensions' ``Cited references``: ``[Last, First; ...]|title|source|year|volume|issue|pages|
    DOI|publication id``.

    >>> r = parse_dimensions_reference("[Vaswani, Ashish; Shazeer, Noam]|Attention is all you need|Advances in "
    ...                                "Neural Information Processing Systems|2017|30||5998-6008|10.5555/3295222|"
    ...                                "pub.1091409233")
    >>> r.first_author, r.title, r.year, r.volume, r.page, r.doi
    ('Vaswani, Ashish', 'Attention is all you need', 2017, '30', '5998', '10.5555/3295222')
    >>> r.ids
    (('dimensions', 'pub.1091409233'),)
    """
    raw = clean(raw)
    parts = [p.strip() for p in raw.split("|")] + [""] * 9
    authors = [a.strip() for a in parts[0].strip("[] ").split(";") if a.strip()]
    pub = parts[8] if re.fullmatch(r"pub\.\d+", parts[8]) else ""
    return CitedReference(raw=raw, first_author=authors[0] if authors else "", title=parts[1], source=parts[2],
                          year=year_of(parts[3]), volume=parts[4], page=re.split(r"\s*[-–]\s*", parts[6])[0],
                          doi=normalise_doi(parts[7]), ids=(("dimensions", pub),) if pub else ())


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per row, by column name; a row whose field count differs from the header is reported and
    skipped."""
    for line, r in records(path, text, problems, skip=_skip(text[:200])):
        doi = normalise_doi(r.get("doi", ""))
        ids = [(s, v) for s, v in (("dimensions", first_of(r, ["publication id"])),
                                   ("pmid", normalise_pmid(first_of(r, ["pmid"]))), ("pmcid", first_of(r, ["pmcid"])))
               if v]
        refs = tuple(parse_dimensions_reference("[" + x if not x.startswith("[") else x)
                     for x in re.split(r";\s*(?=\[)", r.get("cited references", "")) if x.strip())
        published = first_of(r, ["publication date"])[:10]
        yield Listing(title=first_of(r, ["title"]), abstract=first_of(r, ["abstract"]), source=f"{path}:{line}",
                      url=first_of(r, ["dimensions url"]), authors=tuple(split_list(r.get("authors", ""))), doi=doi,
                      year=year_of(first_of(r, ["pubyear"])) or year_of(published),
                      published=published if year_of(published) else "",
                      venue=first_of(r, ["source title", "source title/anthology title", "anthology title"]),
                      volume=first_of(r, ["volume"]), page=re.split(r"\s*[-–]\s*", first_of(r, ["pagination"]))[0],
                      keywords=tuple(split_list(r.get("mesh terms", ""))), ids=tuple(sorted(ids)),
                      cited_by=count_of(r.get("times cited", "")), cited_references=refs)
