"""Reader of Crossref works (format ``crossref``): a REST API response for one work (``"message-type": "work"``) or
a list of works (``"work-list"``, the works under ``message.items``), a bare work or list of works, or JSON Lines
of any of these.

Each work gives a listing: ``title`` (its subtitle after a colon), the abstract with its JATS markup stripped
(``<jats:p>``, ``<jats:title>``, ``<jats:italic>``...), the DOI, the year and date (``published``, else
``issued``, ``published-print``, ``published-online``), ``container-title`` as venue, volume, first page (else
article number), authors (``given family``, or an organisation's ``name``), ``subject`` as keywords,
``is-referenced-by-count``, and ``reference`` entries as cited references (DOI, first author, year, title,
journal, volume, first page; ``unstructured`` as written, with any DOI in it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping

from citegraph.extract.records import CitedReference, InputProblem
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import arxiv_of_doi, normalise_doi
from citegraph.extract.readers.json_records import json_records, looks_like_json
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read", "strip_markup", "listing_of_work"]

_MESSAGE_TYPE = re.compile(r'"message-type"\s*:\s*"work(?:-list)?"')
_WORK_KEYS = re.compile(r'"(?:is-referenced-by-count|reference-count|container-title)"\s*:')
_DOI_KEY = re.compile(r'"DOI"\s*:\s*"10\.')


def sniff(head: str) -> bool:
    """Whether ``head`` (the first decoded characters of a file) is Crossref works JSON: an API response whose
    ``message-type`` is ``work`` or ``work-list``, or objects with a ``DOI`` and a key only Crossref works have.

    >>> sniff('{"status": "ok", "message-type": "work-list", "message": {"items": []}}')
    True
    >>> sniff('{"DOI": "10.1/x", "container-title": ["J"]}'), sniff('{"doi": "10.1/x", "title": "T"}')
    (True, False)
    """
    return looks_like_json(head) and bool(_MESSAGE_TYPE.search(head) or (_DOI_KEY.search(head)
                                                                          and _WORK_KEYS.search(head)))


# elements that end a block of text (a paragraph, a section title, a list item): a space where they stand; any
# other tag (italic, sub- and superscript, small caps, links) is removed without a space, so "CO<sub>2</sub>" stays
# one word
_BLOCK_TAG = re.compile(r"</?(?:[\w.-]+:)?(?:p|sec|title|list|list-item|label|caption|disp-quote|break|br|div|li|ul"
                        r"|ol|h\d)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
# the heading many publishers put first in a deposited abstract: a label, not part of the text
_ABSTRACT_HEADING = re.compile(r"\A\s*(?:<(?:[\w.-]+:)?sec(?:\s[^<>]*)?>\s*)?<(?:[\w.-]+:)?title(?:\s[^<>]*)?>\s*"
                               r"(?:abstract|summary)\s*[.:]?\s*</(?:[\w.-]+:)?title>", re.IGNORECASE)


def strip_markup(text: str) -> str:
    """``text`` without its JATS or HTML markup, entities decoded, whitespace collapsed; a leading ``Abstract``
    heading is dropped.

    >>> strip_markup("<jats:title>Abstract</jats:title><jats:p>Text.</jats:p>")
    'Text.'
    >>> strip_markup("<jats:sec><jats:title>Background</jats:title><jats:p>CO<jats:sub>2</jats:sub> &amp; "
    ...              "<jats:italic>E. coli</jats:italic>.</jats:p></jats:sec>")
    'Background CO2 & E. coli.'
    """
    if "<" not in text and "&" not in text:  # most reference fields: nothing to strip
        return clean(text)
    return clean(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", _ABSTRACT_HEADING.sub(" ", text, count=1)))))


def _text(value: object) -> str:
    """A string field, or the first string of a list field (Crossref gives titles as lists)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    return strip_markup(value) if isinstance(value, str) else ""


def _date(work: Mapping) -> str:
    """The publication date as precise as the work gives it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    for key in ("published", "issued", "published-print", "published-online", "created"):
        parts = work.get(key)
        parts = parts.get("date-parts") if isinstance(parts, Mapping) else None
        first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
        nums = [p for p in first[:3] if isinstance(p, int) and not isinstance(p, bool)]
        if nums and year_of(nums[0]) and all(1 <= n <= m for n, m in zip(nums[1:], (12, 31))):
            return "-".join([f"{nums[0]:04d}", *(f"{n:02d}" for n in nums[1:])])
    return ""


def _authors(work: Mapping) -> tuple[str, ...]:
    authors = work.get("author")
    names = []
    for a in authors if isinstance(authors, list) else ():
        if isinstance(a, Mapping):
            name = " ".join(n for n in (_text(a.get("given")), _text(a.get("family"))) if n) or _text(a.get("name"))
            if name:
                names.append(name)
    return tuple(names)


def cited_reference_of(ref: Mapping) -> CitedReference:
    """One entry of a work's ``reference`` list.

    >>> r = cited_reference_of({"DOI": "10.1371/X", "author": "Anjos", "year": "2018", "article-title": "T",
    ...                         "journal-title": "PLOS ONE", "volume": "13", "first-page": "e0194654"})
    >>> r.raw, r.doi, r.first_author, r.year, r.source
    ('Anjos, 2018, T, PLOS ONE, 13, e0194654, DOI 10.1371/X', '10.1371/x', 'Anjos', 2018, 'PLOS ONE')
    """
    title = _text(ref.get("article-title")) or _text(ref.get("volume-title"))
    source = _text(ref.get("journal-title")) or _text(ref.get("series-title"))
    unstructured = _text(ref.get("unstructured"))
    doi = normalise_doi(_text(ref.get("DOI"))) or normalise_doi(unstructured)
    parts = [_text(ref.get(k)) for k in ("author", "year")] + [title, source] + [
        _text(ref.get(k)) for k in ("volume", "first-page")] + [f"DOI {_text(ref.get('DOI'))}" if ref.get("DOI")
                                                                 else ""]
    return CitedReference(raw=unstructured or ", ".join(p for p in parts if p), first_author=_text(ref.get("author")),
                          year=year_of(_text(ref.get("year"))), title=title, source=source,
                          volume=_text(ref.get("volume")), page=_text(ref.get("first-page")), doi=doi)


def listing_of_work(work: Mapping, source: str) -> Listing:
    """The :class:`Listing` of one Crossref work object; ``source`` is its ``path:line``.

    >>> x = listing_of_work({"DOI": "10.7717/PeerJ.1", "title": ["Fire"], "subtitle": ["a study"], "issued":
    ...     {"date-parts": [[2022, 10]]}, "abstract": "<jats:p>Hot.</jats:p>", "page": "12-20"}, "c.json:1")
    >>> x.title, x.abstract, x.doi, x.year, x.published, x.page
    ('Fire: a study', 'Hot.', '10.7717/peerj.1', 2022, '2022-10', '12')
    """
    title, subtitle = _text(work.get("title")), _text(work.get("subtitle"))
    date = _date(work)
    refs = work.get("reference")
    subjects = work.get("subject")
    count = work.get("is-referenced-by-count")
    doi = normalise_doi(_text(work.get("DOI")))
    page = re.split(r"\s*[-–—]\s*", _text(work.get("page")), maxsplit=1)[0] or _text(work.get("article-number"))
    return Listing(
        title=f"{title}: {subtitle}" if title and subtitle else title, abstract=_text(work.get("abstract")),
        source=source, url=f"https://doi.org/{doi}" if doi else _text(work.get("URL")), authors=_authors(work),
        doi=doi, year=year_of(date), published=date, venue=_text(work.get("container-title")),
        volume=_text(work.get("volume")), page=page,
        keywords=tuple(dict.fromkeys(s for s in (_text(x) for x in subjects) if s))
        if isinstance(subjects, list) else (),
        ids=(("arxiv", arxiv_of_doi(doi)),) if arxiv_of_doi(doi) else (),
        cited_by=count if isinstance(count, int) and not isinstance(count, bool) else None,
        cited_references=tuple(cited_reference_of(r) for r in refs if isinstance(r, Mapping))
        if isinstance(refs, list) else ())


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per work; anything that is not a JSON object where a work should be is reported and skipped.

    >>> text = '{"status": "ok", "message-type": "work", "message": {"DOI": "10.1000/a", "title": ["T"]}}'
    >>> [(x.title, x.doi, x.source) for x in read("c.json", text, 2025, [], [])]
    [('T', '10.1000/a', 'c.json:1')]
    """
    for line, work in json_records(path, text, [("message", "items")], problems, "Crossref"):
        if not isinstance(work, Mapping):
            problems.append(InputProblem(path, line, f"expected a Crossref work (a JSON object), got "
                                         f"{type(work).__name__}; skipped"))
            continue
        yield listing_of_work(work, f"{path}:{line}")
