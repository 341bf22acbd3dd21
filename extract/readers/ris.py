"""Reader of RIS files (format ``ris``): Scopus, Zotero, IEEE Xplore, EndNote, Mendeley... Records run from ``TY``
to ``ER``; the tags of each record are read by ``rispy``; this module finds the records and their lines (stray
carriage returns and byte-order marks included) and reports a record the file ends in without its ``ER``.

What is read: ``TI``/``T1`` title, ``AB``/``N2`` abstract, ``AU``/``A1`` authors, ``PY``/``Y1``/``DA`` year and
date, ``T2``/``JO``/``JF``/``J2``/``JA`` venue, ``VL`` (or IEEE's ``VO``), ``SP`` (else Scopus' ``C7`` article
number), ``DO``, ``KW``, ``UR`` (a Scopus link gives the EID), ``AN`` (a PMID or a ``WOS:`` UT), and from the
``N1`` notes of Scopus, the ``References:`` list (one reference per line or separated by ``;``) and ``Cited By``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import rispy

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.cited_strings import parse_scopus_reference, split_scopus_references
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import normalise_doi, normalise_pmid, normalise_scopus, normalise_wos
from citegraph.extract.readers.tagged import iter_lines
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read"]

_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])  -(?: (?P<value>.*))?$")


def sniff(head: str) -> bool:
    """Whether ``head`` is RIS: its first line is a ``TY  - `` tag and another tag line follows.

    >>> sniff("\\ufeff\\r\\nTY  - JOUR\\r\\nTI  - A title\\r\\n"), sniff("PT J\\n"), sniff("TY  - JOUR\\n")
    (True, False, False)
    """
    lines = [x for _, x in iter_lines(head.lstrip("\ufeff \t\r\n")) if x.strip()][:4]
    return (len(lines) >= 2 and bool(re.match(r"TY  - ?\S", lines[0]))
            and any(_TAG.match(x.rstrip()) for x in lines[1:]))


def _date(rec: dict) -> tuple[int | None, str]:
    """(year, publication date as precise as known) from ``PY``, ``DA`` and ``Y1`` (``2019``, ``2019/05/01/``,
    ``2021///``, IEEE's ``1 Jan.-Feb. 2019``)."""
    for key in ("year", "date", "publication_year"):
        value = str(rec.get(key) or "")
        m = re.match(r"\s*(\d{4})(?:[/-](\d{1,2}))?(?:[/-](\d{1,2}))?", value)
        if m and year_of(m.group(1)):
            y, mo, d = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return y, f"{y}-{mo:02d}-{d:02d}"
            return y, f"{y}-{mo:02d}" if 1 <= mo <= 12 else str(y)
    for key in ("publication_year", "date"):
        y = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", str(rec.get(key) or ""))
        if y:
            return int(y.group(1)), y.group(1)
    return None, ""


def _one(rec: dict, *keys: str) -> str:
    for key in keys:
        value = rec.get(key)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value and clean(str(value)):
            return clean(str(value))
    return ""


def _listing(rec: dict, path: str, line: int) -> Listing:
    notes = [str(n) for n in rec.get("notes") or []]
    refs = next((n.split(":", 1)[1] for n in notes if re.match(r"\s*references\s*:", n, re.IGNORECASE)), "")
    cited = next((m.group(1) for n in notes for m in [re.match(r"\s*cited by\s*:?\s*(\d+)", n, re.IGNORECASE)] if m),
                 None)
    urls = [str(u) for u in rec.get("urls") or []]
    unknown = rec.get("unknown_tag") or {}
    doi = normalise_doi(_one(rec, "doi"))
    accession = _one(rec, "accession_number")  # PubMed's AN is the PMID, Web of Science's its UT
    ids = [(s, v) for s, v in (("scopus", next((normalise_scopus(u) for u in urls if normalise_scopus(u)), "")),
                               ("pmid", normalise_pmid(accession) if re.fullmatch(r"\d{1,9}", accession) else ""),
                               ("wos", normalise_wos(accession) if accession.upper().startswith("WOS:") else ""))
           if v]
    year, published = _date(rec)
    keywords = dict.fromkeys(k for kw in rec.get("keywords") or [] for k in re.split(r";\s*", str(kw)) if clean(k))
    return Listing(title=_one(rec, "title", "primary_title"), abstract=_one(rec, "abstract", "notes_abstract"),
                   source=f"{path}:{line}", url=urls[0] if urls else (f"https://doi.org/{doi}" if doi else ""),
                   authors=tuple(clean(a) for a in [*(rec.get("authors") or []), *(rec.get("first_authors") or [])]
                                 if clean(a)),
                   doi=doi, year=year, published=published,
                   venue=_one(rec, "secondary_title", "journal_name", "alternate_title3", "alternate_title1",
                              "alternate_title2"),
                   volume=_one(rec, "volume") or clean(" ".join(unknown.get("VO", []))),
                   page=_one(rec, "start_page", "custom7"), keywords=tuple(clean(k) for k in keywords),
                   ids=tuple(sorted(ids)), cited_by=int(cited) if cited else None,
                   cited_references=tuple(parse_scopus_reference(r) for r in split_scopus_references(refs)))


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per record (``TY`` ... ``ER``), its source the line of its ``TY``.

    >>> problems = []
    >>> text = "TY  - JOUR\\nTI  - First\\nPY  - 2019///\\nER  - \\n\\nTY  - JOUR\\nTI  - Cut short\\n"
    >>> [(x.title, x.year, x.source) for x in read("r.ris", text, 2025, problems, [])]
    [('First', 2019, 'r.ris:1')]
    >>> [str(p) for p in problems]
    ["r.ris:6: record ends without 'ER' (the file looks truncated); skipped"]
    """
    record: list[str] = []
    start = 0
    for lineno, raw in iter_lines(text):
        line = raw.lstrip("\ufeff").rstrip()
        if not line:
            continue
        m = _TAG.match(line)
        tag = m.group("tag") if m else ""
        if tag == "TY":
            if start:
                problems.append(InputProblem(path, start, "record ends without 'ER' before the next 'TY'; skipped"))
            record, start = [line], lineno
        elif not start:
            problems.append(InputProblem(path, lineno, f"line outside a record (no 'TY' before it: {line[:40]!r}); "
                                         "ignored"))
        elif tag == "ER":
            record.append("ER  - ")
            try:
                entries = rispy.loads("\n".join(record))
            except (ValueError, KeyError, IndexError, TypeError) as e:  # rispy's complaint about a malformed record
                problems.append(InputProblem(path, start, f"unreadable RIS record ({e}); skipped"))
                entries = []
            for entry in entries[:1]:
                yield _listing(entry, path, start)
            record, start = [], 0
        elif m is None and len(record) > 1:  # a continuation line: rispy would make it a value of its own
            record[-1] = f"{record[-1]} {line.strip()}"
        else:
            record.append(line)
    if start:
        problems.append(InputProblem(path, start, "record ends without 'ER' (the file looks truncated); skipped"))
