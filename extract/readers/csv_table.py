"""Reader of CSV and TSV tables (format ``csv``): a header with a ``title`` column, then one record per row, its
cells read by :func:`~citegraph.extract.readers.fields.listing_from_record`. A broken row is reported and the rows
after it are still read."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.fields import Listing, listing_from_record
from citegraph.extract.readers.text import MAX_ABSTRACT_CHARS

__all__ = ["sniff", "read", "rows"]


def _csv_error(e: csv.Error) -> str:
    if "field limit" in str(e):
        return (f"a cell is longer than the CSV reader's limit of {csv.field_size_limit():,} characters (abstracts "
                f"are limited to {MAX_ABSTRACT_CHARS:,})")
    return f"unreadable CSV row ({e})"


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per row, by the header's column names; a comma or tab delimiter, whichever the header has more of.

    >>> problems = []
    >>> [(x.id, x.title) for x in read("in.csv", "id,title\\n1,First\\n2\\n", 2025, problems, [])]
    [('1', 'First'), ('2', '')]
    >>> [str(p) for p in problems]
    ['in.csv:3: row has 1 fields where the header has 2 columns; the missing ones are taken as empty']
    """
    table = rows(path, text, problems)
    try:
        header = [h.strip().lower() for h in next(table)[1]]
    except StopIteration:
        return
    if "title" not in header:
        problems.append(InputProblem(path, 1, f"CSV header has no 'title' column (columns: {', '.join(header)[:200]});"
                                     " file skipped"))
        return
    for first, row in table:
        if len(row) != len(header):
            problems.append(InputProblem(path, first, f"row has {len(row)} fields where the header has {len(header)}"
                                         " columns; " + ("the missing ones are taken as empty" if len(row) < len(header)
                                                         else "the extra ones are ignored")))
        yield listing_from_record(dict(zip(header, row)), path, first, year, problems, assumed)


def sniff(head: str) -> bool:
    """Whether ``head`` starts with a CSV or TSV header that has a ``title`` column.

    >>> sniff("id,Title,abstract\\n1,T,A\\n"), sniff("title\\tabstract\\n"), sniff("Mar 17\\nTitle, a paper\\n")
    (True, True, False)
    """
    line = re.split(r"\r\n|\r|\n", head.lstrip("\ufeff \r\n"), maxsplit=1)[0]
    delimiter = "\t" if line.count("\t") > line.count(",") else ","
    try:
        header = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return False
    return len(header) > 1 and "title" in {h.strip().lower() for h in header}


def rows(path: str, text: str, problems: list[InputProblem]) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of each row that has a non-empty cell, the header first, with a comma or tab delimiter,
    whichever the header has more of. A row with an unclosed quote or a cell over the CSV reader's limit is
    reported and skipped, and reading goes on at the line after its first.

    >>> list(rows("in.csv", "a,b\\n1,\\"two\\nlines\\"\\n\\n3,4\\n", []))
    [(1, ['a', 'b']), (2, ['1', 'two\\nlines']), (5, ['3', '4'])]
    """
    lines = io.StringIO(text, newline="").readlines()  # split at CRLF, LF and lone CR, endings kept for csv
    head = lines[0] if lines else ""  # the header says the delimiter; tabs in the rows' text must not decide it
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    try:
        yield 1, next(csv.reader(lines[:1], delimiter=delimiter, strict=True))
    except StopIteration:
        return
    except csv.Error as e:
        problems.append(InputProblem(path, 1, f"unreadable CSV header ({e}); file skipped"))
        return
    pos = 1  # index in ``lines`` where the current reader starts
    while pos < len(lines):
        # strict: an unclosed quote is an error at its row instead of swallowing every row after it; after an
        # error, reading starts again on the line after the bad row's first line, so later good rows are kept
        reader = csv.reader(lines[pos:], delimiter=delimiter, strict=True)
        while True:
            first = pos + reader.line_num + 1  # 1-based line where the next row starts
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                problems.append(InputProblem(path, first, f"{_csv_error(e)}; line skipped"))
                pos = first  # index of the line after the bad one
                break
            end = pos + reader.line_num  # index of the line after the row
            if end - first > 0 and not _csv_row_is_rfc4180("".join(lines[first - 1:end]), delimiter):
                # a quote left open on one line must not swallow the good rows after it: a row over several lines
                # is taken only if it is well-formed (RFC 4180) as a whole
                problems.append(InputProblem(path, first, f"unclosed quote (the cell runs into line {end} and the "
                                             "row is not well-formed there); line skipped"))
                pos = first
                break
            if any(cell.strip() for cell in row):
                yield first, row


def _csv_row_is_rfc4180(raw: str, delimiter: str) -> bool:
    r"""Whether ``raw`` (one row, maybe over several lines) is a well-formed RFC 4180 record: every cell unquoted
    without quotes, or quoted with inner quotes doubled.

    >>> _csv_row_is_rfc4180('1,"two\nlines",3\n', ",")
    True
    >>> _csv_row_is_rfc4180('"never closed\ngood-1,0,",0"\n', ",")
    False
    """
    d = re.escape(delimiter)
    cell = f'(?:"(?:[^"]|"")*"|[^"{d}\r\n]*)'
    return re.fullmatch(f"{cell}(?:{d}{cell})*(?:\r\n|\n|\r)?", raw) is not None
