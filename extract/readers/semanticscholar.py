"""Reader of Semantic Scholar Graph API papers (format ``semanticscholar``): one paper (``/paper/{id}``), a batch
(``/paper/batch``: a list, ``null`` where an id was not found), a search or bulk-search response
(``{"data": [...]}``), or JSON Lines of any of these.

Each paper gives a listing: title, abstract, DOI and the ids of ``externalIds`` (PubMed, PubMed Central, arXiv)
with its ``paperId``, ``year`` and ``publicationDate``, the venue (``venue``, else ``journal.name``, else
``publicationVenue.name``), ``journal`` volume and first page, authors, ``citationCount``.

Nested ``references`` and ``citations`` are papers of their own, with their titles, abstracts and ids, and the
API says how they cite: each becomes a listing of its own (sourced at the line of the paper they are nested in),
a nested reference is also a cited reference of the paper, and a nested citing paper cites the paper. So a
``/paper/{id}`` response with ``citations`` is the paper and the papers citing it, linked, as a map of who cites a
work needs; merging makes one paper of a work listed both on its own and nested.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from citegraph.extract.records import CitedReference, InputProblem
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import normalise_arxiv, normalise_doi, normalise_pmid
from citegraph.extract.readers.json_records import json_records, looks_like_json
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read", "listing_of_paper"]

_PAPER_ID = re.compile(r'"paperId"\s*:\s*"[0-9a-f]{40}"')


def sniff(head: str) -> bool:
    """Whether ``head`` (the first decoded characters of a file) is Semantic Scholar Graph API JSON: a JSON
    object or list with a 40-hex-digit ``paperId``.

    >>> sniff('{"total": 1, "data": [{"paperId": "' + "a" * 40 + '", "title": "T"}]}'), sniff('{"paperId": "x"}')
    (True, False)
    """
    return looks_like_json(head) and bool(_PAPER_ID.search(head))


def _text(value: object) -> str:
    return clean(value) if isinstance(value, str) else ""


def _get(obj: object, key: str) -> object:
    return obj.get(key) if isinstance(obj, Mapping) else None


def _ids(paper: Mapping) -> tuple[tuple[str, str], ...]:
    external = paper.get("externalIds")
    external = external if isinstance(external, Mapping) else {}
    pmcid = str(external.get("PubMedCentral") or "").strip()
    found = {"s2": _text(paper.get("paperId")), "pmid": normalise_pmid(str(external.get("PubMed") or "")),
             "pmcid": f"PMC{pmcid.removeprefix('PMC')}" if pmcid else "",
             "arxiv": normalise_arxiv(str(external.get("ArXiv") or ""))}
    return tuple(sorted((k, v) for k, v in found.items() if v))


def _doi(paper: Mapping) -> str:
    return normalise_doi(str(_get(paper.get("externalIds"), "DOI") or ""))


def _authors(paper: Mapping) -> tuple[str, ...]:
    authors = paper.get("authors")
    return tuple(a for a in (_text(_get(x, "name")) for x in authors) if a) if isinstance(authors, list) else ()


def _first_page(pages: str) -> str:
    return re.split(r"\s*[-–—]\s*", pages, maxsplit=1)[0]


def listing_of_paper(paper: Mapping, source: str, cites: tuple[CitedReference, ...] = ()) -> Listing:
    """The :class:`Listing` of one Graph API paper object (its nested papers aside); ``source`` is its
    ``path:line``; ``cites`` are cited references known from elsewhere (the paper it was nested under as a citing
    paper), added to those of its own ``references``.

    >>> x = listing_of_paper({"paperId": "ab" * 20, "title": "T", "externalIds": {"DOI": "10.1000/A", "ArXiv":
    ...     "2101.00001"}, "year": 2021, "journal": {"name": "J", "pages": "5-9"}}, "p.json:1")
    >>> x.doi, x.ids, x.year, x.venue, x.page
    ('10.1000/a', (('arxiv', '2101.00001'), ('s2', 'abababababababababababababababababababab')), 2021, 'J', '5')
    """
    journal = paper.get("journal")
    venue = _text(paper.get("venue")) or _text(_get(journal, "name")) or _text(_get(paper.get("publicationVenue"),
                                                                                       "name"))
    date = _text(paper.get("publicationDate"))
    count = paper.get("citationCount")
    refs = paper.get("references")
    cited = tuple(cited_reference_of(r) for r in refs if isinstance(r, Mapping)) if isinstance(refs, list) else ()
    s2 = _text(paper.get("paperId"))
    return Listing(
        title=_text(paper.get("title")), abstract=_text(paper.get("abstract")), source=source,
        url=_text(paper.get("url")) or (f"https://www.semanticscholar.org/paper/{s2}" if s2 else ""),
        authors=_authors(paper), doi=_doi(paper), year=year_of(paper.get("year")) or year_of(date),
        published=date[:10] if year_of(date) else "", venue=venue, volume=_text(_get(journal, "volume")),
        page=_first_page(_text(_get(journal, "pages"))), ids=_ids(paper),
        cited_by=count if isinstance(count, int) and not isinstance(count, bool) else None,
        cited_references=cited + cites)


def cited_reference_of(paper: Mapping) -> CitedReference:
    """A Graph API paper as a cited reference: its title, first author, year, venue, DOI and ids.

    >>> r = cited_reference_of({"paperId": "cd" * 20, "title": "Calculating Instruments", "year": 1951,
    ...                         "authors": [{"name": "D. Hartree"}]})
    >>> r.raw, r.first_author, r.year, r.ids[0][0]
    ('Calculating Instruments', 'D. Hartree', 1951, 's2')
    """
    authors = _authors(paper)
    title = _text(paper.get("title"))
    venue = _text(paper.get("venue")) or _text(_get(paper.get("journal"), "name"))
    return CitedReference(raw=title or _text(paper.get("paperId")), first_author=authors[0] if authors else "",
                          year=year_of(paper.get("year")), title=title, source=venue, doi=_doi(paper),
                          ids=_ids(paper))


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """The listings of each paper: the paper, then its nested references and citing papers.

    >>> paper = {"paperId": "a" * 40, "title": "Cited", "citations": [{"paperId": "b" * 40, "title": "Citing"}]}
    >>> import json
    >>> [(x.title, [r.title for r in x.cited_references]) for x in read("p.json", json.dumps(paper), 2025, [], [])]
    [('Cited', []), ('Citing', ['Cited'])]
    """
    for line, paper in json_records(path, text, [("data",)], problems, "Semantic Scholar"):
        if paper is None:  # a batch's answer for an id it does not know
            continue
        # /paper/{id}/citations and /references nest each paper under "citingPaper" / "citedPaper"
        paper = _get(paper, "citingPaper") or _get(paper, "citedPaper") or paper
        if not isinstance(paper, Mapping):
            problems.append(InputProblem(path, line, f"expected a Semantic Scholar paper (a JSON object), got "
                                         f"{type(paper).__name__}; skipped"))
            continue
        source = f"{path}:{line}"
        yield listing_of_paper(paper, source)
        for kind in ("references", "citations"):
            nested = paper.get(kind)
            if nested is None:
                continue
            if not isinstance(nested, list):
                problems.append(InputProblem(path, line, f"{kind!r} should be a list, not {type(nested).__name__};"
                                             " ignored"))
                continue
            cites = (cited_reference_of(paper),) if kind == "citations" else ()
            for i, other in enumerate(nested, 1):
                # the /paper/{id}/citations endpoints nest each paper under "citingPaper" / "citedPaper"
                other = _get(other, "citingPaper") or _get(other, "citedPaper") or other
                if not isinstance(other, Mapping):
                    problems.append(InputProblem(path, line, f"{kind} entry {i} is not a paper object; skipped"))
                    continue
                if not _text(other.get("title")):  # the API's placeholder for a paper it knows only by id
                    continue
                yield listing_of_paper(other, source, cites)
