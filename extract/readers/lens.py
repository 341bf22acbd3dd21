"""Reader of Lens.org scholarly CSV exports (format ``lens``): columns read by name (``Lens ID``, ``Title``,
``Abstract``, ``Author/s``, ``Publication Year``, ``Date Published``, ``Source Title``, ``Volume``, ``Start Page``,
``Keywords``, ``DOI``, ``PMID``, ``PMCID``, ``Citing Works Count``, ``References``: the Lens ids of the cited works,
``External URL``)."""

from __future__ import annotations

from collections.abc import Iterator

from citegraph.extract.records import CitedReference, InputProblem
from citegraph.extract.readers.export_tables import count_of, first_of, header_of, records, split_list
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import normalise_doi, normalise_pmid

__all__ = ["sniff", "read"]


def sniff(head: str) -> bool:
    """Whether ``head`` starts with a Lens.org CSV header (``Lens ID`` and ``Title`` columns).

    >>> sniff('Lens ID,Title,Date Published\\n'), sniff("id,title\\n")
    (True, False)
    """
    header = {h.lower() for h in header_of(head)}
    return {"lens id", "title"} <= header


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per row, by column name; a row whose field count differs from the header is reported and
    skipped."""
    for line, r in records(path, text, problems):
        doi = normalise_doi(r.get("doi", ""))
        ids = [(s, v) for s, v in (("lens", first_of(r, ["lens id"])), ("pmid", normalise_pmid(first_of(r, ["pmid"]))),
                                   ("pmcid", first_of(r, ["pmcid"]))) if v]
        refs = tuple(CitedReference(raw=x, ids=(("lens", x),)) for x in split_list(r.get("references", "")))
        published = first_of(r, ["date published"])[:10]
        yield Listing(title=first_of(r, ["title"]), abstract=first_of(r, ["abstract"]), source=f"{path}:{line}",
                      url=first_of(r, ["external url"]) or (f"https://doi.org/{doi}" if doi else ""),
                      authors=tuple(split_list(r.get("author/s", ""))), doi=doi,
                      year=year_of(first_of(r, ["publication year"])) or year_of(published),
                      published=published if year_of(published) else "", venue=first_of(r, ["source title"]),
                      volume=first_of(r, ["volume"]), page=first_of(r, ["start page"]),
                      keywords=tuple(split_list(r.get("keywords", ""))), ids=tuple(sorted(ids)),
                      cited_by=count_of(r.get("citing works count", "")), cited_references=refs)
