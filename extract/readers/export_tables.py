"""What the CSV exports of bibliographic services (Scopus, Lens.org, Dimensions) share: a header of column names,
rows read by name, the header found by its columns (:func:`header_of`), rows whose field count differs from the
header reported (:func:`records`), and the cells' small formats (:func:`split_list`, :func:`count_of`)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.csv_table import rows
from citegraph.extract.readers.text import clean

__all__ = ["header_of", "records", "split_list", "count_of", "first_of"]

#: how a reader may place the cells of a row that has more fields than the header: the row as it should have been
#: (as many cells as the header) and what to say about it, or None when it cannot be placed
Realign = Callable[[list[str], list[str]], "tuple[list[str], str] | None"]


def header_of(head: str, skip: int = 0) -> list[str]:
    """The column names (stripped, as written) of the CSV header on line ``skip + 1`` of ``head``; [] when
    unreadable.

    >>> header_of('\\ufeff"Lens ID","Title"\\n1,2\\n'), header_of("About the data\\nA,B\\n", skip=1)
    (['Lens ID', 'Title'], ['A', 'B'])
    """
    lines = re.split(r"\r\n|\r|\n", head.lstrip("\ufeff"), maxsplit=skip + 1)
    if len(lines) <= skip:
        return []
    try:
        return [h.strip() for h in next(csv.reader([lines[skip]]))]
    except (csv.Error, StopIteration):
        return []


def records(path: str, text: str, problems: list[InputProblem], skip: int = 0,
            realign: Realign | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, {lower-case column name: cell})`` of each row, the header on line ``skip + 1``. A row whose field
    count differs from the header's is reported with both counts and skipped, unless ``realign`` places its
    cells (said in the report too): its cells are never silently shifted.
    """
    if skip:  # lines before the header (Dimensions' "About the data" line)
        parts = re.split(r"\r\n|\r|\n", text, maxsplit=skip)
        text = parts[-1] if len(parts) > skip else ""
    table = rows(path, text, problems)
    try:
        _, header = next(table)
    except StopIteration:
        return
    names = [h.strip().lower() for h in header]
    for line, row in table:
        line += skip
        if len(row) != len(header):
            placed = realign(header, row) if realign and len(row) > len(header) else None
            found = f"row has {len(row)} fields where the header has {len(header)} columns"
            if placed is None:
                problems.append(InputProblem(path, line, f"{found}; skipped (its fields cannot be placed)"))
                continue
            row, how = placed
            problems.append(InputProblem(path, line, f"{found}; {how}"))
        yield line, dict(zip(names, row))


def split_list(cell: str, separators: str = ";") -> list[str]:
    """The items of a cell separated by any of ``separators``, cleaned, without empty ones or ``NA``.

    >>> split_list("a; b ;; NA; c"), split_list("x, y", ",;")
    (['a', 'b', 'c'], ['x', 'y'])
    """
    items = (clean(x) for x in re.split(f"[{re.escape(separators)}]", cell or ""))
    return [x for x in items if x and x.upper() != "NA"]


def count_of(cell: str) -> int | None:
    """A count written as digits (``"13169"``, ``" 0 "``); None for anything else.

    >>> count_of(" 42 "), count_of("NA"), count_of("")
    (42, None, None)
    """
    cell = (cell or "").strip()
    return int(cell) if re.fullmatch(r"\d{1,9}", cell) else None


def first_of(record: dict[str, str], names: Sequence[str]) -> str:
    """The first non-empty cell (not ``NA``) among the columns ``names``, cleaned."""
    for name in names:
        value = clean(record.get(name, ""))
        if value and value.upper() != "NA":
            return value
    return ""
