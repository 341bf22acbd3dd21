"""Cited-reference strings as the services write them, parsed into
:class:`~citegraph.extract.records.CitedReference`: Web of Science ``CR`` lines (:func:`parse_wos_reference`) and
Scopus reference strings (:func:`split_scopus_references`, :func:`parse_scopus_reference`).

What cannot be parsed is left empty; ``raw`` always keeps the string as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from citegraph.extract.records import CitedReference
from citegraph.extract.readers.fields import year_of
from citegraph.extract.readers.identifiers import normalise_doi
from citegraph.extract.readers.text import clean

__all__ = ["parse_wos_reference", "split_scopus_references", "parse_scopus_reference"]

# "DOI 10.x/y", "DOI [10.x/y, 10.x/z]", and as WoS also writes them, "DOI DOI 10.x/y" and "DOI [DOI 10.x/y, ...]"
_WOS_DOI = re.compile(r"DOI\s+(?:DOI\s+)?\[?\s*(?:DOI\s+)?(?P<doi>[^,\]\s]+)")
_WOS_VOLUME = re.compile(r"[Vv]\w*\d[\w.-]*")
_WOS_PAGE = re.compile(r"[Pp]\w*\d[\w.-]*")
_ANONYMOUS = re.compile(r"\[?anonymous\]?", re.IGNORECASE)


def parse_wos_reference(raw: str) -> CitedReference:
    """A Web of Science cited reference (``CR`` line, ``Cited-References`` of its BibTeX): ``first author, year,
    source, V volume, P page, DOI doi``, each part optional (when several DOIs are given in brackets, the first).

    >>> r = parse_wos_reference("Vaswani A, 2017, ADV NEUR IN, V30, P5998, DOI 10.5555/3295222.3295349")
    >>> r.first_author, r.year, r.source, r.volume, r.page, r.doi
    ('Vaswani A', 2017, 'ADV NEUR IN', '30', '5998', '10.5555/3295222.3295349')
    >>> r = parse_wos_reference("Ceh M, 2018, ISPRS INT J GEO-INF, V7, DOI [10.3390/ijgi705168, 10.3390/ijgi7050168]")
    >>> r.page, r.doi
    ('', '10.3390/ijgi705168')
    >>> parse_wos_reference("[Anonymous], 2005, NEURAL NETWORKS COMP").first_author
    ''
    """
    raw = clean(raw)
    parts = [p.strip() for p in raw.split(", ")]
    first_author = source = volume = page = doi = ""
    year: int | None = None
    for i, part in enumerate(parts):
        head = part[:1]
        m = _WOS_DOI.match(part) if head == "D" and i else None  # not the first author "Doi T"
        if m:
            doi = doi or normalise_doi(m.group("doi"))
        elif year is None and len(part) == 4 and part.isascii() and part.isdigit() and 1000 <= int(part) < 3000:
            year = int(part)
        elif head in "Vv" and not volume and _WOS_VOLUME.fullmatch(part):
            volume = part[1:]
        elif head in "Pp" and not page and _WOS_PAGE.fullmatch(part):
            page = part[1:]
        elif i == 0 and not _ANONYMOUS.fullmatch(part):
            first_author = part
        elif i > 0 and not source and year is not None:
            source = part
    return CitedReference(raw=raw, first_author=first_author, year=year, source=source, volume=volume, page=page,
                          doi=doi)


# one author of a reference in the older layout (``Murata, T.``) and in the 2023 layout (``Cheng M.``, or with
# MEDLINE-style initials, ``Calin GA``, ``Tseng M-L``)
_INITIALS = r"(?:[A-Z][a-z]?\.(?:\s?-?[A-Z][a-z]?\.)*)"
_NEW_INITIALS = rf"(?:{_INITIALS}|[A-Z]{{1,3}}(?:-[A-Z]{{1,2}})?)"
_NAME = r"[^\W\d_][\w'’.\- ]{0,60}?"
_AUTHOR_NEW = re.compile(rf"{_NAME} {_NEW_INITIALS}")
_AUTHORS_OLD = re.compile(rf"^(?P<authors>(?:{_NAME}, {_INITIALS}, )+)")
_AUTHORS_NEW = re.compile(rf"^(?P<authors>{_NAME} {_NEW_INITIALS}(?:; {_NAME} {_NEW_INITIALS})*), ")
_YEAR_PAREN = re.compile(r"\((?P<year>\d{4})\)")
_DOI_START = re.compile(r"\b10\.\d{4,9}/")
_NUMBERED_TAIL = re.compile(r"(?:pp?\.\s*)?\w+(?:\s*[-–]\s*\w+)?")  # "50", "pp. E128-E139"
_PAGES = re.compile(r"pp?\.\s*(\w+)")


def split_scopus_references(text: str) -> Iterator[str]:
    """The references of a Scopus ``References`` field (CSV column, RIS ``N1 - References:`` note), separated by
    ``;``. Pieces are joined back where the ``;`` was inside a reference: between the authors of the 2023 layout,
    and in a title (a piece without its ``(year)`` followed by one that starts in lower case, not with authors).

    >>> list(split_scopus_references("Cheng M.; Xue Y., Title one, J A, 5, (2023); Li T., Title two, J B, (2025)"))
    ['Cheng M.; Xue Y., Title one, J A, 5, (2023)', 'Li T., Title two, J B, (2025)']
    >>> list(split_scopus_references("Uno, Y., IBS in remission; is it real? (2012) J Dig, 7; Li, T., T2 (2019) J"))
    ['Uno, Y., IBS in remission; is it real? (2012) J Dig, 7', 'Li, T., T2 (2019) J']
    """
    pending = ""
    previous = ""
    for piece in re.split(r";\s*(?:\r\n|\r|\n)?\s*", text):
        piece = piece.strip()
        if not piece:
            continue
        if _AUTHOR_NEW.fullmatch(piece):  # an author of the next piece's reference
            pending = f"{pending}; {piece}" if pending else piece
            continue
        piece = f"{pending}; {piece}" if pending else piece
        pending = ""
        if (previous and piece[:1].islower() and not _YEAR_PAREN.search(previous)
                and not _AUTHORS_OLD.match(piece) and not _AUTHORS_NEW.match(piece)):  # "van der Vliet, H.J.,"
            previous = f"{previous}; {piece}"  # the ';' was in the title of the previous piece's reference
            continue
        if previous:
            yield previous
        previous = piece
    for last in (previous, pending):
        if last:
            yield last


def parse_scopus_reference(raw: str) -> CitedReference:
    """A Scopus reference string: ``Authors, Title (year) Source, volume (issue), pp. pages`` (to 2022) or
    ``Authors, Title, Source, volume, pp. pages, (year)`` (from 2023, authors separated by ``;``); the first
    author, title, year, source, volume, first page and a DOI when one is written.

    >>> r = parse_scopus_reference("Murata, T., Petri nets: Properties (1989) Proc. of the IEEE, 77 (4), pp. 541-580")
    >>> r.first_author, r.title, r.year, r.source, r.volume, r.page
    ('Murata, T.', 'Petri nets: Properties', 1989, 'Proc. of the IEEE', '77', '541')
    >>> r = parse_scopus_reference("Cheng M.; Xue Y., Global, regional burden, Spine, 50, pp. E128-E139, (2025)")
    >>> r.first_author, r.title, r.year, r.source, r.volume, r.page
    ('Cheng M.', 'Global, regional burden', 2025, 'Spine', '50', 'E128')
    """
    raw = clean(raw).rstrip(";").strip()
    doi = normalise_doi(raw) if "10." in raw and _DOI_START.search(raw) else ""
    first_author = title = source = volume = page = ""
    rest = raw
    new = _AUTHORS_NEW.match(rest)
    old = None if new else _AUTHORS_OLD.match(rest)
    if new:
        first_author = new.group("authors").split(";")[0].strip()
        rest = rest[new.end():]
    elif old:
        first_author = ", ".join(old.group("authors").split(", ")[:2])
        rest = rest[old.end():]
    years = list(_YEAR_PAREN.finditer(rest))
    year = year_of(years[-1].group("year")) if years else None
    if years and years[-1].end() >= len(rest.rstrip(". ")) - 1 and not old:
        # 2023 layout: Title, Source, volume, pp. pages, (year)
        parts = [p.strip() for p in rest[:years[-1].start()].rstrip(", ").split(", ")]
        while parts and (not parts[-1] or (_NUMBERED_TAIL.fullmatch(parts[-1])
                                           and any(c.isdigit() for c in parts[-1]))):
            tail = parts.pop()
            m = _PAGES.match(tail)
            if m:
                page = m.group(1)
            elif tail:
                volume = tail
        if len(parts) > 1:
            source = parts.pop()
        title = ", ".join(parts)
    elif years:
        # to 2022: Title (year) Source, volume (issue), pp. pages
        title = rest[:years[0].start()].strip(" ,")
        after = [p.strip() for p in rest[years[0].end():].split(", ")]
        source = after[0] if after else ""
        for part in after[1:]:
            m = _PAGES.match(part)
            if m and not page:
                page = m.group(1)
            elif part[:1].isdigit() and not volume:
                volume = part.split(" ")[0]
    return CitedReference(raw=raw, first_author=first_author, year=year, title=title, source=source, volume=volume,
                          page=page, doi=doi)
