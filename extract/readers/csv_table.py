"""Reader of CSV and TSV tables (format ``csv``): a header with a ``title`` column, then one record per row, its
cells read by :func:`~citegraph.extract.readers.fields.listing_from_record`. A broken row is reported and the rows
after it are still read."""

from __future__ import annotations

import collections
import csv
import re
from collections.abc import Iterable, Iterator

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.fields import Listing, listing_from_record
from citegraph.extract.readers.text import MAX_ABSTRACT_CHARS, MAX_LINE_CHARS, LongLine, lines_of

__all__ = ["sniff", "read", "rows"]


def _csv_error(e: csv.Error) -> str:
    if "field limit" in str(e):
        return (f"a cell is longer than the CSV reader's limit of {csv.field_size_limit():,} characters (abstracts "
                f"are limited to {MAX_ABSTRACT_CHARS:,})")
    return f"unreadable CSV row ({e})"


def read(path: str, text: str | Iterable[str | LongLine], year: int, problems: list[InputProblem],
         assumed: list[bool]) -> Iterator[Listing]:
    """One listing per row, by the header's column names (:func:`rows`); a row whose field count differs from the
    header's is reported.

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


def rows(path: str, text: str | Iterable[str | LongLine],
         problems: list[InputProblem]) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` of each row that has a non-empty cell, the header first, with a comma or tab delimiter,
    whichever the header has more of. A row with an unclosed quote or a cell over the CSV reader's limit is
    reported and skipped, and reading goes on at the line after its first. ``text`` is the file's text or its lines
    (:func:`~citegraph.extract.readers.text.lines_of`), read one at a time: only the row being read is held.

    >>> list(rows("in.csv", "a,b\\n1,\\"two\\nlines\\"\\n\\n3,4\\n", []))
    [(1, ['a', 'b']), (2, ['1', 'two\\nlines']), (5, ['3', '4'])]
    """
    lines = _Lines(lines_of(text))
    first = lines.next()
    if first is None:
        return
    head = first[1]
    if isinstance(head, LongLine):
        problems.append(InputProblem(path, 1, f"CSV header of {head.chars:,} characters is over the limit of "
                                     f"{MAX_LINE_CHARS:,}; file skipped"))
        return
    # the header says the delimiter; tabs in the rows' text must not decide it
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    try:
        yield 1, next(csv.reader([head], delimiter=delimiter, strict=True))
    except StopIteration:
        return
    except csv.Error as e:
        problems.append(InputProblem(path, 1, f"unreadable CSV header ({e}); file skipped"))
        return
    while (item := lines.next()) is not None:
        lineno, raw = item
        if isinstance(raw, LongLine):
            problems.append(InputProblem(path, lineno, f"line of {raw.chars:,} characters is over the limit of "
                                         f"{MAX_LINE_CHARS:,}; line skipped"))
            continue
        block = lines.row_from(lineno, raw)  # the lines a quoted cell may run over
        reader = csv.reader([line for _, line in block], delimiter=delimiter, strict=True)
        try:
            row = next(reader)
        except csv.Error as e:
            # strict: an unclosed quote is an error at its row instead of swallowing every row after it; reading
            # starts again on the line after the bad row's first line, so later good rows are kept
            problems.append(InputProblem(path, lineno, f"{_csv_error(e)}; line skipped"))
            lines.push_back(block[1:])
            continue
        except StopIteration:
            continue
        used = reader.line_num
        if used > 1 and not _csv_row_is_rfc4180("".join(line for _, line in block[:used]), delimiter):
            # a quote left open on one line must not swallow the good rows after it: a row over several lines
            # is taken only if it is well-formed (RFC 4180) as a whole
            problems.append(InputProblem(path, lineno, f"unclosed quote (the cell runs into line "
                                         f"{block[used - 1][0]} and the row is not well-formed there); line skipped"))
            lines.push_back(block[1:])
            continue
        lines.push_back(block[used:])
        if any(cell.strip() for cell in row):
            yield lineno, row


class _Lines:
    """Numbered lines with push-back: a row's lines are read ahead while its quotes are open, and those after the
    row (or after a bad row's first line) are read again."""

    def __init__(self, lines: Iterator[str | LongLine]) -> None:
        self._lines = enumerate(lines, 1)
        self._back: collections.deque[tuple[int, str | LongLine]] = collections.deque()

    def next(self) -> tuple[int, str | LongLine] | None:
        if self._back:
            return self._back.popleft()
        return next(self._lines, None)

    def push_back(self, items: list[tuple[int, str | LongLine]]) -> None:
        self._back.extendleft(reversed(items))

    def row_from(self, lineno: int, first: str) -> list[tuple[int, str]]:
        """``first`` and the lines after it while a quote is open (an odd count of ``"``), up to
        :data:`MAX_LINE_CHARS` characters in all."""
        block: list[tuple[int, str]] = [(lineno, first)]
        quotes, chars = first.count('"'), len(first)
        while quotes % 2:
            item = self.next()
            if item is None:
                break
            if isinstance(item[1], LongLine) or chars + len(item[1]) > MAX_LINE_CHARS:
                self.push_back([item])
                break
            block.append(item)
            quotes += item[1].count('"')
            chars += len(item[1])
        return block


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
