"""What every reader produces, :class:`Listing`, and the fields shared by the formats whose records are dicts
(JSONL lines, CSV rows, records given to :func:`~citegraph.extract.readers.listings.read_records`): a dict becomes
a Listing through :func:`listing_from_record`, dates through :func:`iso_date`, and :func:`check_listing` applies the
rules every listing of every format must pass (a title; the title and abstract limits).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from citegraph.extract.records import ID_SCHEMES, CitedReference, InputProblem
from citegraph.extract.readers.identifiers import normalise_doi
from citegraph.extract.readers.text import MAX_ABSTRACT_CHARS, MAX_ID_CHARS, MAX_TITLE_CHARS, clean, short_id

__all__ = ["Listing", "DATE_LINE", "iso_date", "str_field", "authors_of", "year_of", "bibliographic_fields",
           "listing_from_record", "check_listing"]


@dataclass(frozen=True)
class Listing:
    """One title/abstract as it stands in one file, before merging."""

    title: str
    abstract: str
    source: str  # "path:line"
    date: str = ""  # ISO date, "" when unknown
    url: str = ""
    id: str = ""  # id given by the input (JSONL/CSV/arXiv), "" when none
    authors: tuple[str, ...] = ()
    # what bibliographic exports carry; see citegraph.extract.records.Paper for each field's form
    doi: str = ""
    year: int | None = None
    published: str = ""
    venue: str = ""
    volume: str = ""
    page: str = ""  # first page (or article number)
    keywords: tuple[str, ...] = ()
    ids: tuple[tuple[str, str], ...] = ()
    cited_by: int | None = None
    cited_references: tuple[CitedReference, ...] = ()


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
#: a date written as ``Mar 17`` or ``March 17, 2025`` (a Hugging Face page's date line)
DATE_LINE = re.compile(r"^(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
                       r"(?:,?\s+(?P<year>\d{4}))?$", re.IGNORECASE)


def iso_date(text: str, year: int, path: str, line: int, problems: list[InputProblem]) -> tuple[str, bool]:
    """(ISO date, whether the year was assumed) from ``Mar 17``, ``Mar 17, 2025``, ``2025-03-17`` or a timestamp.

    >>> iso_date("Mar 17", 2024, "p", 1, []), iso_date("2025-03-17T10:00:00Z", 2024, "p", 1, [])
    (('2024-03-17', True), ('2025-03-17', False))
    """
    text = text.strip()
    if not text:
        return "", False
    m = DATE_LINE.match(text)
    try:
        if m:
            y = int(m.group("year")) if m.group("year") else year
            d = dt.date(y, _MONTHS[m.group("mon").lower()[:3]], int(m.group("day")))
            return d.isoformat(), m.group("year") is None
        return dt.date.fromisoformat(text[:10]).isoformat(), False
    except ValueError:
        problems.append(InputProblem(path, line, f"unreadable date {text[:40]!r}; the record is kept without a date"))
        return "", False


def str_field(obj: Mapping, name: str, path: str, lineno: int, problems: list[InputProblem]) -> str:
    """The text of field ``name``: "" when absent; a number for ``id`` and ``date`` as written; any other type is
    reported and taken as absent."""
    value = obj.get(name)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name in {"id", "date"}:
        return str(value)
    if not isinstance(value, str):
        problems.append(InputProblem(path, lineno, f"field {name!r} should be a string, not "
                                     f"{type(value).__name__}; ignored"))
        return ""
    return value


def authors_of(value: object) -> tuple[str, ...]:
    """Authors from a list, or from one string separated by ``;``, ``,`` or `` and ``; anything else gives none.

    >>> authors_of("Ada Lovelace; Alan Turing"), authors_of(["Ada Lovelace", 7, None])
    (('Ada Lovelace', 'Alan Turing'), ('Ada Lovelace', '7'))
    """
    if isinstance(value, str):
        return tuple(a.strip() for a in re.split(r";|,| and ", value) if a.strip())
    if isinstance(value, list):
        return tuple(clean(str(a)) for a in value if isinstance(a, (str, int)) and str(a).strip())
    return ()


def year_of(value: object) -> int | None:
    """A publication year from an int or a string that starts with four digits (``"2019"``, ``"2019-05-01"``);
    None for anything else or a year outside 1000-2999.

    >>> year_of("2019-05-01"), year_of(2020), year_of("in press"), year_of(True)
    (2019, 2020, None, None)
    """
    if isinstance(value, bool):
        return None
    m = re.match(r"\s*(\d{4})(?!\d)", str(value)) if isinstance(value, (int, str)) else None
    return int(m.group(1)) if m and 1000 <= int(m.group(1)) < 3000 else None


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(k.strip() for k in value.split(";") if k.strip())
    if isinstance(value, list):
        return tuple(clean(str(k)) for k in value if isinstance(k, (str, int)) and str(k).strip())
    return ()


def _cited(value: object) -> tuple[CitedReference, ...]:
    refs = []
    for r in value if isinstance(value, list) else ():
        if isinstance(r, str) and r.strip():
            refs.append(CitedReference(raw=clean(r), doi=normalise_doi(r)))
        elif isinstance(r, Mapping):
            ref = CitedReference.from_dict(r)
            refs.append(CitedReference(**{**ref.__dict__, "raw": clean(ref.raw or ref.title), "doi":
                                          normalise_doi(ref.doi)}))
    return tuple(refs)


def bibliographic_fields(lower: Mapping[str, object]) -> dict:
    """The bibliographic fields of a record given as a dict whose keys are lower case, as :class:`Listing` keyword
    arguments: ``doi``, ``year``, ``published``, ``venue`` (else ``journal``), ``volume``, ``page`` (the first),
    ``keywords`` (a list or one string separated by ``;``), ``ids`` (a mapping from the schemes of :data:`~citegraph.extract.records.ID_SCHEMES`),
    ``cited_by`` and ``cited_references`` (strings, or mappings with the fields of
    :class:`~citegraph.extract.records.CitedReference`). Values of the wrong type are ignored.

    >>> f = bibliographic_fields({"doi": "https://doi.org/10.1000/X", "year": "2019", "ids": {"pmid": 5, "foo": 1},
    ...                           "cited_references": ["Vaswani A, 2017, NIPS"]})
    >>> f["doi"], f["year"], f["ids"], f["cited_references"][0].raw
    ('10.1000/x', 2019, (('pmid', '5'),), 'Vaswani A, 2017, NIPS')
    """
    ids = lower.get("ids")
    ids = tuple(sorted((k, clean(str(v))) for k, v in ids.items() if k in ID_SCHEMES and isinstance(v, (str, int))
                       and str(v).strip())) if isinstance(ids, Mapping) else ()
    cited_by = lower.get("cited_by")
    venue = lower.get("venue") or lower.get("journal")
    published = lower.get("published")
    return {"doi": normalise_doi(lower["doi"]) if isinstance(lower.get("doi"), str) else "",
            "year": year_of(lower.get("year")) or year_of(published),
            "published": clean(published)[:10] if isinstance(published, str) and year_of(published) else "",
            "venue": clean(venue) if isinstance(venue, str) else "",
            **{k: clean(str(lower[k])) for k in ("volume", "page") if isinstance(lower.get(k), (str, int))},
            "keywords": _strings(lower.get("keywords")), "ids": ids,
            "cited_by": cited_by if isinstance(cited_by, int) and not isinstance(cited_by, bool) else None,
            "cited_references": _cited(lower.get("cited_references"))}


def listing_from_record(obj: Mapping, path: str, line: int, year: int | None = None,
                        problems: list[InputProblem] | None = None, assumed: list[bool] | None = None) -> Listing:
    """The :class:`Listing` of one record given as a dict (a JSONL line, a CSV row by header, a record of
    :func:`~citegraph.extract.readers.listings.read_records`); its source is ``path:line``.

    Field names are matched without case or surrounding spaces: ``title``; ``abstract`` (else ``summary``);
    ``date`` (else ``published``; ``Mar 17`` takes ``year``, default this year); ``url``; ``id``; ``authors`` (a
    list, or one string separated by ``;``, ``,`` or `` and ``); the bibliographic fields of
    :func:`bibliographic_fields`. Titles and abstracts are cleaned of control
    characters and runs of whitespace. A field of the wrong type or an unreadable date is reported in ``problems``
    and left empty; whether the year was assumed is appended to ``assumed``. The listing is not checked: see
    :func:`check_listing` for the title it needs and the limits.

    >>> problems = []
    >>> x = listing_from_record({" Title ": "Random  Teachers", "Summary": "We\\nshow.", "date": "Mar 3",
    ...                          "authors": "A. One and B. Two", "url": 5}, "in.jsonl", 2, 2024, problems)
    >>> (x.title, x.abstract, x.date, x.authors, x.url, x.source)
    ('Random Teachers', 'We show.', '2024-03-03', ('A. One', 'B. Two'), '', 'in.jsonl:2')
    >>> [str(p) for p in problems]
    ["in.jsonl:2: field 'url' should be a string, not int; ignored"]
    """
    problems = [] if problems is None else problems
    assumed = [] if assumed is None else assumed
    year = year or dt.date.today().year
    lower = {str(k).strip().lower(): v for k, v in obj.items()}

    def get(name: str) -> str:
        return str_field(lower, name, path, line, problems)

    abstract = get("abstract") or get("summary")
    date, was_assumed = iso_date(get("date") or get("published"), year, path, line, problems)
    assumed.append(was_assumed)
    return Listing(title=clean(get("title")), abstract=clean(abstract), source=f"{path}:{line}",
                   date=date, url=clean(get("url")), id=get("id").strip(), authors=authors_of(lower.get("authors")),
                   **bibliographic_fields(lower))


def check_listing(lst: Listing, problems: list[InputProblem]) -> Listing | None:
    """``lst`` if it has a title and its title and abstract are within :data:`MAX_TITLE_CHARS` and
    :data:`MAX_ABSTRACT_CHARS`; else None, with the reason in ``problems`` at the listing's source. An id over
    :data:`MAX_ID_CHARS` is shortened to a stable hash (:func:`~citegraph.extract.readers.text.short_id`), said in
    ``problems``.

    >>> problems = []
    >>> check_listing(Listing("", "text", "in.csv:3"), problems), [str(p) for p in problems]
    (None, ['in.csv:3: record without a title was skipped'])
    """
    path, _, line = lst.source.rpartition(":")
    if not lst.title:
        problems.append(InputProblem(path, int(line), "record without a title was skipped"))
        return None
    if len(lst.title) > MAX_TITLE_CHARS:
        problems.append(InputProblem(path, int(line), f"title of {len(lst.title):,} characters is over the limit of "
                                     f"{MAX_TITLE_CHARS:,}; the record was skipped"))
        return None
    if len(lst.abstract) > MAX_ABSTRACT_CHARS:
        problems.append(InputProblem(path, int(line), f"abstract of {len(lst.abstract):,} characters is over the "
                                     f"limit of {MAX_ABSTRACT_CHARS:,}; the record was skipped"))
        return None
    if len(lst.id) > MAX_ID_CHARS:
        shortened = short_id(lst.id)
        problems.append(InputProblem(path, int(line), f"id of {len(lst.id):,} characters is over the limit of "
                                     f"{MAX_ID_CHARS:,}; shortened to {shortened!r}"))
        return replace(lst, id=shortened)
    return lst
