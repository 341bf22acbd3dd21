"""Reader of PubMed's MEDLINE format (format ``medline``): what PubMed's "Save > PubMed format" writes.

Each line is a field, a tag of up to four characters padded to four, ``- `` and the value (``PMID- 36206242``,
``AB  - In multiple...``); a line that starts with spaces continues the field above it; a record starts at its
``PMID`` line and records are separated by blank lines. CRLF and lone CR line ends are read too.

A record gives a listing: ``TI`` (title), ``AB`` (abstract), ``FAU`` (else ``AU``) authors, ``DP`` (publication
date: ``2020 May``, ``2021 Jun 1``, ``2019 Spring``), ``JT`` (else ``TA``) venue, ``VI`` volume, ``PG`` first page,
the DOI (a ``LID`` or ``AID`` marked ``[doi]``), ``PMID`` and ``PMC`` ids, ``OT`` keywords and ``MH`` MeSH
descriptors (without the ``*`` of a major topic and the ``/subheadings``). MEDLINE carries no cited references. A
line that is neither a field nor a continuation is reported and skipped; so is a record without a ``PMID``. PubMed
writes ``SO`` (the source) last: a record without it is reported as perhaps truncated and kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import normalise_doi, normalise_pmid
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read", "medline_date"]

_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")
_FIELD = re.compile(r"([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)")
_FIRST = re.compile(r"\A\ufeff?(?:[ \t]*(?:\r\n|\r|\n))*PMID- ?\d+[ \t]*(?:\r\n|\r|\n|\Z)")
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"], 1)}


def sniff(head: str) -> bool:
    """Whether ``head`` (the first decoded characters of a file) is MEDLINE: its first line is ``PMID- <digits>``.

    >>> sniff("\\r\\nPMID- 36206242\\r\\nOWN - NLM\\r\\n"), sniff("TY  - JOUR\\n")
    (True, False)
    """
    return bool(_FIRST.match(head))


def medline_date(text: str) -> str:
    """A ``DP`` value as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: ``2020 May`` gives ``2020-05``, ``2019 Spring``
    and ``1998 Dec-1999 Jan`` give their first year (and month), "" without a year.

    >>> medline_date("2021 Jun 1"), medline_date("2019 Spring"), medline_date("1998 Dec-1999 Jan"), medline_date("")
    ('2021-06-01', '2019', '1998-12', '')
    """
    m = re.match(r"\s*(\d{4})(?:\s+([A-Za-z]{3})[a-z]*(?:\s+(\d{1,2})(?!\d))?)?", text)
    if not m or not year_of(m.group(1)):
        return ""
    month = _MONTHS.get((m.group(2) or "").lower())
    if not month:
        return m.group(1)
    day = int(m.group(3)) if m.group(3) and 1 <= int(m.group(3)) <= 31 else 0
    return f"{m.group(1)}-{month:02d}" + (f"-{day:02d}" if day else "")


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per record, its source the line of its ``PMID``.

    >>> text = "PMID- 1\\nTI  - A title\\n      continued.\\nDP  - 2020 May\\nLID - 10.1000/X [doi]\\nSO  - J.\\n"
    >>> [(x.title, x.ids, x.published, x.doi, x.source) for x in read("m.txt", text, 2025, [], [])]
    [('A title continued.', (('pmid', '1'),), '2020-05', '10.1000/x', 'm.txt:1')]
    """
    fields: list[list] = []  # [tag, value lines] of the record being read
    start = 0
    for lineno, m in enumerate(_LINE.finditer(text), 1):
        line = m.group(1)
        if m.start() == 0:
            line = line.lstrip("\ufeff")
        if not line.strip():
            if fields:
                yield from _record(path, start, fields, problems)
                fields = []
            if m.end() >= len(text):
                break
            continue
        if line[:1] in (" ", "\t"):
            if fields:
                fields[-1][1].append(line.strip())
            else:
                problems.append(InputProblem(path, lineno, "continuation line outside a record; line skipped"))
            continue
        f = _FIELD.fullmatch(line.rstrip())
        if not f:
            problems.append(InputProblem(path, lineno, f"not a MEDLINE field (expected a tag, '- ' and a value): "
                                         f"{line[:40]!r}; line skipped"))
            continue
        if f.group(1) == "PMID" and fields:  # a record that starts without the blank line before it
            yield from _record(path, start, fields, problems)
            fields = []
        if not fields:
            start = lineno
        fields.append([f.group(1), [f.group(2).strip()]])
    if fields:
        yield from _record(path, start, fields, problems)


def _record(path: str, line: int, fields: list[list], problems: list[InputProblem]) -> Iterator[Listing]:
    values: dict[str, list[str]] = {}
    for tag, parts in fields:
        values.setdefault(tag, []).append(clean(" ".join(parts)))

    def one(*tags: str) -> str:
        return next((values[t][0] for t in tags if values.get(t)), "")

    pmid = normalise_pmid(one("PMID"))
    if not pmid:
        problems.append(InputProblem(path, line, "MEDLINE record without a PMID line; record skipped"))
        return
    if "SO" not in values:
        problems.append(InputProblem(path, line, "MEDLINE record without its SO (source) line, which PubMed writes "
                                     "last: it may be truncated; kept as read"))
    doi = next((normalise_doi(v) for t in ("LID", "AID") for v in values.get(t, ()) if v.endswith("[doi]")), "")
    pmc = one("PMC")
    published = medline_date(one("DP"))
    mesh = [re.sub(r"/.*$", "", v).lstrip("*").strip() for v in values.get("MH", ())]
    yield Listing(title=one("TI", "BTI"), abstract=" ".join(values.get("AB", ())), source=f"{path}:{line}",
                  url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", authors=tuple(values.get("FAU") or
                                                                                 values.get("AU") or ()),
                  doi=doi, year=year_of(published), published=published, venue=one("JT", "TA"),
                  volume=one("VI"), page=re.split(r"\s*-\s*", one("PG"), maxsplit=1)[0],
                  keywords=tuple(dict.fromkeys(k for k in [*values.get("OT", ()), *mesh] if k)),
                  ids=tuple(sorted((k, v) for k, v in (("pmid", pmid), ("pmcid", pmc)) if v)))
