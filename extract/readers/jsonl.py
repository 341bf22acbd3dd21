"""Reader of JSON Lines (format ``jsonl``): one JSON object per line, its fields read by
:func:`~citegraph.extract.readers.fields.listing_from_record`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.fields import Listing, listing_from_record
from citegraph.extract.readers.text import MAX_LINE_CHARS, LongLine, line_text, lines_of, unencodable_replaced

__all__ = ["sniff", "read"]

_JSONL_LINES = re.compile(r"\r\n|\r|\n")  # only CR/LF end a JSON line


def sniff(head: str) -> bool:
    """Whether ``head`` is JSON Lines: one of its first 20 non-blank lines is a JSON object (a first line longer
    than ``head`` counts when it starts with ``{"``).

    >>> sniff('{"title": "T"}\\n{"title": "U"}\\n'), sniff('{\\n  "title": "T"\\n}\\n'), sniff("title,abstract\\n")
    (True, False, False)
    """
    lines = [x for x in _JSONL_LINES.split(head.lstrip("\ufeff"), maxsplit=40)[:40] if x.strip()]
    if len(lines) == 1 and not re.search(r"[\r\n]", head.strip()):  # one line, maybe cut by the head's end
        return lines[0].lstrip().startswith('{"')
    for line in lines[:20]:
        try:
            if line.lstrip().startswith("{") and isinstance(json.loads(line), dict):
                return True
        except (ValueError, RecursionError):
            continue
    return False


def read(path: str, text: str | Iterable[str | LongLine], year: int, problems: list[InputProblem],
         assumed: list[bool]) -> Iterator[Listing]:
    """One listing per JSON object line; a line that is not a JSON object is reported and skipped. ``text`` is the
    file's text or its lines (:func:`~citegraph.extract.readers.text.lines_of`), read one at a time.

    >>> problems = []
    >>> [x.title for x in read("in.jsonl", '{"title": "T"}\\n[1]\\n', 2025, problems, [])], [str(p) for p in problems]
    (['T'], ['in.jsonl:2: expected a JSON object, got list; line skipped'])
    """
    # only CR/LF end a JSON line: U+2028, U+0085 & co may stand unescaped inside a JSON string (str.splitlines
    # would cut the record there), and a raw CR never can. A line too long to hold a record within the limits is
    # skipped unread
    for lineno, raw in enumerate(lines_of(text), 1):
        if isinstance(raw, LongLine):
            problems.append(InputProblem(path, lineno, f"line of {raw.chars:,} characters is over the limit of "
                                         f"{MAX_LINE_CHARS:,}; line skipped"))
            continue
        line = line_text(raw)
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(InputProblem(path, lineno, f"not valid JSON ({e.msg} at column {e.colno}); line skipped"))
            continue
        except RecursionError:
            problems.append(InputProblem(path, lineno, "JSON nested too deeply to read; line skipped"))
            continue
        except ValueError as e:  # e.g. an integer of more than 4,300 digits
            problems.append(InputProblem(path, lineno, f"unreadable JSON value ({e}); line skipped"))
            continue
        if not isinstance(obj, dict):
            problems.append(InputProblem(path, lineno, f"expected a JSON object, got {type(obj).__name__}; "
                                         "line skipped"))
            continue
        obj = unencodable_replaced(obj, path, lineno, problems)
        yield listing_from_record(obj, path, lineno, year, problems, assumed)
