"""Reader of Web of Science plain text exports (format ``wos``): ``FN``/``VR`` header, then records of two-letter
tags (``PT`` first, ``ER`` last) whose values continue on lines indented by three spaces; ``EF`` ends the file.

:func:`listing_from_tags` turns one record's tags into a :class:`Listing`; the tab-delimited export
(:mod:`~citegraph.extract.readers.wos_tab`) has the same tags as columns and uses it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.cited_strings import parse_wos_reference
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import normalise_doi, normalise_pmid, normalise_wos
from citegraph.extract.readers.tagged import iter_lines
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read", "listing_from_tags", "MULTI_LINE_TAGS"]

#: tags whose continuation lines are separate values (one author, address or cited reference per line); the
#: continuation lines of every other tag continue its text
MULTI_LINE_TAGS = frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "BE", "C1", "C3", "CR", "RI", "OI"})

_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9]) (?P<value>.*)$|^(?P<bare>ER|EF)\s*$")
_MONTHS = {m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                                       "DEC"], 1)}


def sniff(head: str) -> bool:
    """Whether ``head`` (the file's first characters) is Web of Science plain text: its first line is ``FN ...``
    (followed by ``VR`` or a record), or it starts with a ``PT`` record tag and has more tags after it.

    >>> sniff("\\ufeffFN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\n"), sniff("PT J\\nAU X\\nTI T\\n")
    (True, True)
    >>> sniff("PMID- 1\\n"), sniff("TY  - JOUR\\n"), sniff("FN is not enough\\n")
    (False, False, False)
    """
    lines = [line for _, line in zip(range(6), (x for _, x in iter_lines(head.lstrip("\ufeff \t\r\n")) if x.strip()))]
    if len(lines) < 2 or not all(_TAG.match(x) or x.startswith("   ") for x in lines[1:]):
        return False
    if lines[0].startswith("FN ") and re.match(r"(VR|PT) ", lines[1]):
        return True
    return bool(re.match(r"PT [A-Z]\s*$", lines[0])) and sum(bool(_TAG.match(x)) for x in lines[1:]) >= 2


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per record (``PT`` ... ``ER``), its source the line of its ``PT``; a record the file ends in
    without its ``ER`` is reported as truncated and skipped.

    >>> text = "FN Web of Science\\nVR 1.0\\nPT J\\nTI A title\\n   in two lines\\nPY 2019\\nER\\n\\nPT J\\nTI Cut\\n"
    >>> problems = []
    >>> [(x.title, x.year, x.source) for x in read("w.txt", text, 2025, problems, [])]
    [('A title in two lines', 2019, 'w.txt:3')]
    >>> [str(p) for p in problems]
    ["w.txt:9: record ends without 'ER' (the file looks truncated); skipped"]
    """
    tags: dict[str, list[str]] = {}
    start = 0  # line of the current record's PT; 0 outside a record
    last = ""
    for lineno, line in iter_lines(text):
        if lineno == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        m = _TAG.match(line)
        if m is None and line.startswith("   ") and start and last:
            tags[last].append(line.strip())
            continue
        if m is None:
            problems.append(InputProblem(path, lineno, f"not a Web of Science tag line ({line[:40]!r}); ignored"))
            continue
        tag = m.group("tag") or m.group("bare")
        if tag == "ER":
            if start:
                yield listing_from_tags(tags, path, start, problems)
            tags, start, last = {}, 0, ""
            continue
        if tag in {"FN", "VR", "EF"} and not start:
            continue
        if tag == "PT" and start:
            problems.append(InputProblem(path, start, "record ends without 'ER' before the next 'PT'; skipped"))
            tags = {}
        if not start:
            if tag != "PT":
                problems.append(InputProblem(path, lineno, f"tag {tag!r} outside a record (no 'PT' before it); "
                                             "ignored"))
                continue
            start = lineno
        tags.setdefault(tag, []).append(m.group("value").strip())
        last = tag
    if start:
        problems.append(InputProblem(path, start, "record ends without 'ER' (the file looks truncated); skipped"))


def _published(py: str, pd: str) -> str:
    """The publication date as precise as ``PY`` and ``PD`` (``2026 FEB 25``, ``JUN``, ``FEB 12``, ``SEP-OCT``)
    say: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    >>> _published("2026", "2026 FEB 25"), _published("2019", "JUN"), _published("2019", "SEP-OCT"), _published("", "")
    ('2026-02-25', '2019-06', '2019-09', '')
    """
    year = year_of(py) or year_of(pd)
    if not year:
        return ""
    m = re.search(r"\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*(?:\s+(\d{1,2})\b)?", pd.upper())
    if not m:
        return str(year)
    month, day = _MONTHS[m.group(1)], int(m.group(2)) if m.group(2) else 0
    if day and day <= (29 if month == 2 else 30 if month in {4, 6, 9, 11} else 31):
        return f"{year}-{month:02d}-{day:02d}"
    return f"{year}-{month:02d}"


def _split(values: list[str] | str, multi: bool) -> list[str]:
    """The values of one tag: continuation lines (plain text) or ``; `` separated cells (tab-delimited)."""
    if isinstance(values, str):
        values = [values]
    if multi:
        return [c for value in values for v in value.split("; ") if (c := clean(v))]
    text = clean(" ".join(values))
    return [text] if text else []


def listing_from_tags(tags: Mapping[str, list[str] | str], path: str, line: int,
                      problems: list[InputProblem]) -> Listing:
    """The :class:`Listing` of one Web of Science record given as tag -> values (the lines of a plain text record,
    or the cells of a tab-delimited row): ``TI`` title, ``AB`` abstract, ``AF`` (else ``AU``) authors, ``SO``
    venue, ``PY``/``PD`` year and date, ``VL``, ``BP`` (else ``AR``), ``DI`` DOI, ``DE``+``ID`` keywords, ``UT``
    and ``PM`` ids, ``TC`` (else ``Z9``) cited-by count, ``CR`` cited references.
    """
    def one(tag: str) -> str:
        got = _split(tags.get(tag, []), False)
        return got[0] if got else ""

    def many(tag: str) -> list[str]:
        return _split(tags.get(tag, []), True)

    keywords = list(dict.fromkeys(k for tag in ("DE", "ID") for k in _split([one(tag)], True)))
    ids = []
    if normalise_wos(one("UT")):
        ids.append(("wos", normalise_wos(one("UT"))))
    if normalise_pmid(one("PM")):
        ids.append(("pmid", normalise_pmid(one("PM"))))
    cited_by = None
    for tag in ("TC", "Z9"):
        if re.fullmatch(r"\d{1,9}", one(tag)):
            cited_by = int(one(tag))
            break
    doi = normalise_doi(one("DI"))
    refs = tuple(parse_wos_reference(r) for r in many("CR"))
    return Listing(title=one("TI"), abstract=one("AB"), source=f"{path}:{line}",
                   url=f"https://doi.org/{doi}" if doi else "", authors=tuple(many("AF") or many("AU")), doi=doi,
                   year=year_of(one("PY")), published=_published(one("PY"), one("PD")), venue=one("SO"),
                   volume=one("VL"), page=one("BP") or one("AR"), keywords=tuple(keywords), ids=tuple(sorted(ids)),
                   cited_by=cited_by, cited_references=refs)
