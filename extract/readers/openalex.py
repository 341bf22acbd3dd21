"""Reader of OpenAlex works (format ``openalex``): a ``/works`` response (``{"meta": ..., "results": [...]}``), one
work, a list of works, or the JSON Lines of a snapshot (``.gz`` too: the file is decompressed as it is read).

Each work gives a listing: ``title`` (else ``display_name``), the abstract rebuilt from
``abstract_inverted_index`` (word -> positions), the DOI, the OpenAlex, PubMed and PubMed Central ids (and the
arXiv id of an arXiv DOI),
``publication_year`` and ``publication_date``, the venue (``primary_location.source`` in today's schema,
``host_venue`` in the 2022 one), ``biblio`` volume and first page, the authors of ``authorships``, ``keywords`` and
MeSH descriptors, ``cited_by_count``, and ``referenced_works`` as cited references known by their OpenAlex id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from citegraph.extract.records import CitedReference, InputProblem
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import arxiv_of_doi, normalise_doi, normalise_openalex, normalise_pmid
from citegraph.extract.readers.json_records import json_records, looks_like_json
from citegraph.extract.readers.text import MAX_ABSTRACT_CHARS, clean

__all__ = ["sniff", "read", "abstract_from_inverted_index", "listing_of_work"]

_WORK_URL = "https://openalex.org/W"
_WORK_ID = re.compile(r'"id"\s*:\s*"https://openalex\.org/W\d+"')
_WORK_KEYS = re.compile(r'"(?:abstract_inverted_index|referenced_works|authorships|publication_year|cited_by_count)"'
                        r"\s*:")


def sniff(head: str) -> bool:
    """Whether ``head`` (the first decoded characters of a file) is OpenAlex works JSON: a JSON object or list with
    an OpenAlex work id and a key only works have.

    >>> sniff('{"meta": {}, "results": [{"id": "https://openalex.org/W1", "publication_year": 2020}]}')
    True
    >>> sniff('{"id": "https://openalex.org/W1", "title": "T", "abstract": "A"}')
    False
    """
    return looks_like_json(head) and bool(_WORK_ID.search(head)) and bool(_WORK_KEYS.search(head))


def abstract_from_inverted_index(index: object) -> str:
    """The abstract an ``abstract_inverted_index`` stands for: each word at its positions, in order. Positions
    that are not whole numbers, or beyond what an abstract can hold, are left out.

    >>> abstract_from_inverted_index({"Deep": [0], "learning": [1, 3], "and": [2], "more.": [4]})
    'Deep learning and learning more.'
    """
    if not isinstance(index, Mapping):
        return ""
    at: dict[int, str] = {}
    put = at.setdefault
    for word, positions in index.items():
        if type(positions) is list:
            for p in positions:
                if type(p) is int and 0 <= p < MAX_ABSTRACT_CHARS:  # type(True) is bool, not int
                    put(p, word)
    return clean(" ".join([w for _, w in sorted(at.items())]))


def _get(obj: object, *keys: str) -> object:
    """``obj[k1][k2]...``, None where a level is missing or not an object."""
    for k in keys:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(k)
    return obj


def _text(value: object) -> str:
    return clean(value) if isinstance(value, str) else ""


def listing_of_work(work: Mapping, source: str) -> Listing:
    """The :class:`Listing` of one OpenAlex work object; ``source`` is its ``path:line``.

    >>> x = listing_of_work({"id": "https://openalex.org/W2", "display_name": "A Title", "doi":
    ...     "https://doi.org/10.1000/X", "publication_year": 2021, "referenced_works": ["https://openalex.org/W7"],
    ...     "authorships": [{"author": {"display_name": "Ada Lovelace"}}]}, "w.json:1")
    >>> x.title, x.doi, x.year, x.ids, x.authors, [r.ids for r in x.cited_references]
    ('A Title', '10.1000/x', 2021, (('openalex', 'W2'),), ('Ada Lovelace',), [(('openalex', 'W7'),)])
    """
    ids = _get(work, "ids")
    ids = ids if isinstance(ids, Mapping) else {}
    found = {"openalex": normalise_openalex(_text(work.get("id")) or _text(ids.get("openalex"))),
             "pmid": normalise_pmid(_text(ids.get("pmid"))),
             "pmcid": _pmcid(_text(ids.get("pmcid")))}
    venue = (_get(work, "primary_location", "source", "display_name") or _get(work, "host_venue", "display_name")
             or _get(work, "primary_location", "raw_source_name"))
    authors = tuple(_text(_get(a, "author", "display_name")) for a in work.get("authorships") or ()
                    if isinstance(a, Mapping)) if isinstance(work.get("authorships"), list) else ()
    keywords = [_text(k.get("display_name") or k.get("keyword")) if isinstance(k, Mapping) else _text(k)
                for k in work.get("keywords") or () if isinstance(work.get("keywords"), list)]
    keywords += [_text(m.get("descriptor_name")) for m in work.get("mesh") or ()
                 if isinstance(m, Mapping) and isinstance(work.get("mesh"), list)]
    cited = []
    for ref in work.get("referenced_works") or () if isinstance(work.get("referenced_works"), list) else ():
        if type(ref) is not str:
            continue
        if ref.startswith(_WORK_URL) and ref[len(_WORK_URL):].isdigit():  # how OpenAlex writes them: no regex
            cited.append(CitedReference(raw=ref, ids=(("openalex", ref[len(_WORK_URL) - 1:]),)))
        elif w := normalise_openalex(ref):
            cited.append(CitedReference(raw=clean(ref), ids=(("openalex", w),)))
    cited_by = work.get("cited_by_count")
    doi = normalise_doi(_text(work.get("doi")) or _text(ids.get("doi")))
    found["arxiv"] = arxiv_of_doi(doi)
    date = _text(work.get("publication_date"))
    return Listing(
        title=_text(work.get("title")) or _text(work.get("display_name")),
        abstract=abstract_from_inverted_index(work.get("abstract_inverted_index")) or _text(work.get("abstract")),
        source=source, url=f"https://doi.org/{doi}" if doi else _text(work.get("id")),
        authors=tuple(a for a in authors if a), doi=doi,
        year=year_of(work.get("publication_year")) or year_of(date),
        published=date[:10] if year_of(date) else "",
        venue=_text(venue), volume=_text(_get(work, "biblio", "volume")),
        page=_text(_get(work, "biblio", "first_page")),
        keywords=tuple(dict.fromkeys(k for k in keywords if k)),
        ids=tuple(sorted((k, v) for k, v in found.items() if v)),
        cited_by=cited_by if isinstance(cited_by, int) and not isinstance(cited_by, bool) else None,
        cited_references=tuple(cited))


def _pmcid(text: str) -> str:
    """``PMC`` and the digits of a PubMed Central id or URL.

    >>> _pmcid("https://www.ncbi.nlm.nih.gov/pmc/articles/123"), _pmcid("PMC9543698"), _pmcid("")
    ('PMC123', 'PMC9543698', '')
    """
    m = re.search(r"(?:PMC)?(\d+)/?\s*$", text or "", re.IGNORECASE)
    return f"PMC{m.group(1)}" if m else ""


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per work; anything that is not a JSON object where a work should be is reported and skipped.

    >>> text = '{"meta": {"count": 1},\\n "results": [{"id": "https://openalex.org/W5", "title": "T"}]}'
    >>> [(x.title, x.source, x.ids) for x in read("w.json", text, 2025, [], [])]
    [('T', 'w.json:2', (('openalex', 'W5'),))]
    """
    for line, work in json_records(path, text, [("results",)], problems, "OpenAlex"):
        if not isinstance(work, Mapping):
            problems.append(InputProblem(path, line, f"expected an OpenAlex work (a JSON object), got "
                                         f"{type(work).__name__}; skipped"))
            continue
        yield listing_of_work(work, f"{path}:{line}")
