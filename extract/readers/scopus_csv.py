"""Reader of Scopus CSV exports (format ``scopus-csv``): columns read by name (``Title``, ``Abstract``, ``Authors``
or ``Author full names``, ``Year``, ``Source title``, ``Volume``, ``Page start`` / ``Art. No.``, ``Cited by``,
``DOI``, ``Link``, ``Author Keywords`` and ``Index Keywords``, ``References``, ``PubMed ID``, ``EID``), whichever
columns an export has and in whatever order.

Scopus writes one ``Funding Text N`` column per funding text of the export, so files put together from two exports
can have rows with more fields than their header. Such a row is reported; its cells are placed only when the extra
fields are more ``Funding Text`` columns, as its ``EID`` column then shows (an EID, the one its ``Link`` names),
else the row is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.cited_strings import parse_scopus_reference, split_scopus_references
from citegraph.extract.readers.export_tables import count_of, first_of, header_of, records, split_list
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import normalise_doi, normalise_pmid, normalise_scopus

__all__ = ["sniff", "read"]

_NO_ABSTRACT = re.compile(r"^\[no abstract available\]$", re.IGNORECASE)


def sniff(head: str) -> bool:
    """Whether ``head`` starts with a Scopus CSV header: ``Title`` and ``Source title`` columns and ``EID`` or a
    Scopus ``Link``/``Source`` column.

    >>> sniff('Authors,Title,Year,Source title,Link,EID\\n'), sniff('"Authors","Title","Source title","EID"\\n')
    (True, True)
    >>> sniff("id,title,abstract\\n"), sniff("Lens ID,Title,Source Title\\n")
    (False, False)
    """
    header = {h.lower() for h in header_of(head)}
    return {"title", "source title"} <= header and bool({"eid", "link", "abbreviated source title"} & header)


def _realign(header: list[str], row: list[str]) -> tuple[list[str], str] | None:
    """``row`` with its extra fields taken as more ``Funding Text`` columns, when its ``EID`` column then holds an
    EID, the same as its ``Link``, and its ``Year`` a year; None otherwise."""
    names = [h.strip().lower() for h in header]
    funding = [i for i, h in enumerate(names) if re.fullmatch(r"funding texts?(?: \d+)?", h)]
    if not funding:
        return None
    at, extra = funding[-1] + 1, len(row) - len(header)
    cells = row[:at] + row[at + extra:]
    placed = dict(zip(names, cells))
    # the columns after the extra fields must then read as what they are, and the record's link (a column before
    # them) must name the same record, so that a field missing or added anywhere else is never taken for this
    eid = placed.get("eid", "").strip()
    if not re.fullmatch(r"2-s2\.0-\d+", eid) or ("link" in placed and f"eid={eid}&" not in placed["link"] + "&"):
        return None
    if "year" in placed and not re.fullmatch(r"\d{4}", placed["year"].strip()):
        return None
    return cells, (f"read with the {extra} extra field(s) taken as more 'Funding Text' columns after "
                   f"{header[funding[-1]]!r} (its EID column and its link then name the same record)")


def _authors(record: dict[str, str]) -> tuple[str, ...]:
    full = split_list(record.get("author full names", ""))
    if full:  # "Liu, Fengyuan (60410297700)"
        return tuple(re.sub(r"\s*\(\d+\)$", "", a) for a in full)
    authors = record.get("authors", "")
    if authors.strip() in {"", "[No author name available]"}:
        return ()
    # 2023 layout: "Liu F.; Li C."; before: "Phillips J.C., Braun R."
    return tuple(split_list(authors, ";" if ";" in authors else ","))


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per row, by column name; see the module's description."""
    for line, r in records(path, text, problems, realign=_realign):
        abstract = first_of(r, ["abstract"])
        doi = normalise_doi(r.get("doi", ""))
        ids = [(s, v) for s, v in (("scopus", normalise_scopus(r.get("eid", "") or r.get("link", ""))),
                                   ("pmid", normalise_pmid(first_of(r, ["pubmed id"])))) if v]
        refs = tuple(parse_scopus_reference(x) for x in split_scopus_references(r.get("references", "")))
        keywords = dict.fromkeys(split_list(r.get("author keywords", "")) + split_list(r.get("index keywords", "")))
        yield Listing(title=first_of(r, ["title"]), abstract="" if _NO_ABSTRACT.match(abstract) else abstract,
                      source=f"{path}:{line}", url=first_of(r, ["link"]), authors=_authors(r), doi=doi,
                      year=year_of(first_of(r, ["year"])), published=str(year_of(first_of(r, ["year"])) or ""),
                      venue=first_of(r, ["source title"]), volume=first_of(r, ["volume"]),
                      page=first_of(r, ["page start", "art. no."]), keywords=tuple(keywords), ids=tuple(sorted(ids)),
                      cited_by=count_of(r.get("cited by", "")), cited_references=refs)
