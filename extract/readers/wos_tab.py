"""Reader of Web of Science tab-delimited exports (format ``wos-tab``): a header of the plain text export's
two-letter tags (``PT``, ``AU``, ... ``UT``), then one record per line, cells separated by tabs and never quoted
(UTF-8 or UTF-16, usually with a byte-order mark; many exports end every line with one more tab). Each row is read
by :func:`~citegraph.extract.readers.wos.listing_from_tags`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.fields import Listing
from citegraph.extract.readers.tagged import iter_lines
from citegraph.extract.readers.wos import listing_from_tags

__all__ = ["sniff", "read"]


def _header(line: str) -> list[str]:
    cells = line.lstrip("\ufeff").split("\t")
    while cells and not cells[-1].strip():  # the trailing tab
        cells.pop()
    return [c.strip() for c in cells]


def sniff(head: str) -> bool:
    """Whether the first line of ``head`` is a tab-separated header of Web of Science tags with ``PT`` first and
    ``TI`` among them.

    >>> sniff("\\ufeffPT\\tAU\\tTI\\tSO\\tUT\\t\\nJ\\tX\\tT\\tS\\tWOS:1\\t\\n"), sniff("PT,AU,TI\\n")
    (True, False)
    >>> sniff("title\\tabstract\\n")
    False
    """
    first = next(iter_lines(head.lstrip(" \r\n")), (0, ""))[1]
    header = _header(first)
    return (len(header) >= 3 and header[0] == "PT" and "TI" in header
            and all(re.fullmatch(r"[A-Z][A-Z0-9]", h) for h in header))


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per row, by the header's tags. A row with more cells than the header (after dropping the trailing
    empty one) or fewer is reported with both counts and skipped: its cells cannot be placed.

    >>> problems = []
    >>> text = "PT\\tTI\\tPY\\t\\nJ\\tFirst\\t2019\\t\\nJ\\tShifted\\textra\\t2020\\t\\n"
    >>> [(x.title, x.year, x.source) for x in read("w.txt", text, 2025, problems, [])]
    [('First', 2019, 'w.txt:2')]
    >>> [str(p) for p in problems]
    ['w.txt:3: row has 4 fields where the header has 3 columns; skipped (its fields cannot be placed)']
    """
    lines = iter_lines(text)
    header: list[str] = []
    trailing = False  # whether the header ends with one more tab
    for _, line in lines:
        if line.strip():
            header, trailing = _header(line), line.endswith("\t")
            break
    if not header:
        return
    for lineno, line in lines:
        if not line.strip():
            continue
        cells = line.split("\t")
        if (trailing or len(cells) == len(header) + 1) and len(cells) > 1 and not cells[-1].strip():
            cells.pop()  # the trailing tab (some exports end the rows with one, not the header)
        if len(cells) != len(header):
            problems.append(InputProblem(path, lineno, f"row has {len(cells)} fields where the header has "
                                         f"{len(header)} columns; skipped (its fields cannot be placed)"))
            continue
        yield listing_from_tags(dict(zip(header, cells)), path, lineno, problems)
