"""The records of a JSON export, one at a time, with the line each starts on: what the OpenAlex, Semantic Scholar
and Crossref readers share.

An export is either one JSON document (an API response such as ``{"meta": ..., "results": [...]}``, a list of
records, or one record), possibly pretty-printed over many lines, or JSON Lines (a snapshot: one record, or one
response, per line). :func:`json_records` tells them apart by the first two non-blank lines: either being a JSON
value by itself makes it JSON Lines, and so does a text that does not start with ``{`` or ``[`` or a document
broken within its first three lines. It decodes one record at a time (``json.JSONDecoder.raw_decode`` from the
record's offset), never the whole document at once: a response's other members are skipped as they are met, and a
bad JSON line is reported and the next one read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence

from citegraph.extract.records import InputProblem

__all__ = ["json_records", "looks_like_json"]

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\r\n]*")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")  # only CR/LF end a JSON line (U+2028 may stand in a string)


def looks_like_json(head: str) -> bool:
    """Whether ``head`` (a file's first characters) starts like a JSON object or array.

    >>> looks_like_json('\\ufeff  {"a": 1}'), looks_like_json("[1]"), looks_like_json("PMID- 1")
    (True, True, False)
    """
    return head.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


class _Lines:
    """Line numbers of increasing offsets in ``text``, counted once."""

    def __init__(self, text: str) -> None:
        self.text, self.at, self.line = text, 0, 1

    def of(self, offset: int) -> int:
        self.line += self.text.count("\n", self.at, offset)
        self.at = offset
        return self.line


def json_records(path: str, text: str, containers: Sequence[Sequence[str]], problems: list[InputProblem],
                 what: str) -> Iterator[tuple[int, object]]:
    """``(line, record)`` for each record of ``text``: the elements of a top-level list, of the list found under
    one of the ``containers`` key paths of a top-level object (``("message", "items")`` is
    ``obj["message"]["items"]``), else the object itself; in JSON Lines, each line read that way. ``what`` names
    the format in messages. Records are yielded as decoded (any JSON value): the caller checks their type.

    >>> rows = json_records("r.json", '{"meta": {},\\n "results": [{"id": 1},\\n {"id": 2}]}', [("results",)], [], "x")
    >>> list(rows)
    [(2, {'id': 1}), (3, {'id': 2})]
    >>> list(json_records("r.jsonl", '{"id": 1}\\n{"results": [{"id": 2}]}\\n', [("results",)], [], "x"))
    [(1, {'id': 1}), (2, {'id': 2})]
    """
    start = _SPACE.match(text, 1 if text.startswith("\ufeff") else 0).end()
    if not text.startswith(("{", "["), start) or _is_json_lines(text, start):
        yield from _json_lines(path, text, containers, problems, what)
        return
    lines = _Lines(text)
    first, read = lines.of(start), 0
    records = _value_records(text, start, tuple(tuple(c) for c in containers if c), lines)
    try:
        while True:
            try:
                record = next(records)
            except StopIteration as stop:
                end = stop.value
                break
            read += 1
            yield record
    except (json.JSONDecodeError, RecursionError, ValueError) as e:
        line = e.lineno if isinstance(e, json.JSONDecodeError) else lines.line
        if not read:  # garbage at the top of what may be JSON Lines after all: read them so if any line is a record
            as_lines: list[InputProblem] = []
            found = list(_json_lines(path, text, containers, as_lines, what))
            if found or line <= first + 2:
                problems.extend(as_lines)
                yield from found
                return
        reason = f"{e.msg} at column {e.colno}" if isinstance(e, json.JSONDecodeError) else type(e).__name__
        problems.append(InputProblem(path, line, f"not valid {what} JSON ({reason}); the records from there on "
                                     "were not read"))
        return
    end = _SPACE.match(text, end).end()
    if end < len(text):  # more after the document: JSON Lines whose first lines were garbage, or garbage
        rest_problems: list[InputProblem] = []
        rest = list(_json_lines(path, text, containers, rest_problems, what, start=text.rfind("\n", 0, end) + 1,
                                first_line=lines.of(end)))
        if rest:
            problems.extend(rest_problems)
            yield from rest
        else:
            problems.append(InputProblem(path, lines.of(end), f"text after the end of the {what} JSON document was "
                                         "ignored"))


def _is_json_lines(text: str, start: int) -> bool:
    """Whether ``text`` is JSON Lines: its first or second non-blank line is a JSON value by itself (a document
    written over many lines has neither: ``{`` then ``"meta": {...},``), so one broken first line of a snapshot
    does not make the whole file one broken document."""
    seen = 0
    for m in _LINE.finditer(text, start):
        line = m.group(0).strip()
        if line:
            try:
                json.loads(line)
                return True
            except (ValueError, RecursionError):
                seen += 1
                if seen == 2:
                    return False
        if m.end() >= len(text):
            break
    return False


def _value_records(text: str, at: int, containers: tuple[tuple[str, ...], ...],
                   lines: _Lines) -> Iterator[tuple[int, object]]:
    """Yield the records of the value at ``at``; return the offset after it."""
    if text.startswith("[", at):
        return (yield from _array_elements(text, at, lines))
    if text.startswith("{", at) and containers:
        heads = {c[0] for c in containers if c}
        pos = _SPACE.match(text, at + 1).end()
        found = False
        while not text.startswith("}", pos):
            if not text.startswith('"', pos):
                raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
            key, pos = _DECODER.raw_decode(text, pos)
            pos = _SPACE.match(text, pos).end()
            if not text.startswith(":", pos):
                raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
            pos = _SPACE.match(text, pos + 1).end()
            if key in heads and not found:
                # deeper: the list there, or a lone object there (the record itself when its own keys are absent)
                rest = tuple(c[1:] for c in containers if c and c[0] == key and len(c) > 1)
                pos = yield from _value_records(text, pos, rest, lines)
                found = True
            else:
                pos = _DECODER.raw_decode(text, pos)[1]
            pos = _SPACE.match(text, pos).end()
            if text.startswith(",", pos):
                pos = _SPACE.match(text, pos + 1).end()
            elif not text.startswith("}", pos):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        if found:
            return pos + 1
    obj, end = _DECODER.raw_decode(text, at)
    yield lines.of(at), obj
    return end


def _array_elements(text: str, at: int, lines: _Lines) -> Iterator[tuple[int, object]]:
    """Yield each element of the array at ``at``; return the offset after it."""
    pos = _SPACE.match(text, at + 1).end()
    while not text.startswith("]", pos):
        obj, end = _DECODER.raw_decode(text, pos)
        yield lines.of(pos), obj
        pos = _SPACE.match(text, end).end()
        if text.startswith(",", pos):
            pos = _SPACE.match(text, pos + 1).end()
        elif not text.startswith("]", pos):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
    return pos + 1


def _json_lines(path: str, text: str, containers: tuple[tuple[str, ...], ...], problems: list[InputProblem],
                what: str, start: int = 0, first_line: int = 1) -> Iterator[tuple[int, object]]:
    for lineno, m in enumerate(_LINE.finditer(text, start), first_line):
        line = m.group(0)
        if not line.strip():
            if m.end() >= len(text):
                break
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(InputProblem(path, lineno, f"not valid {what} JSON ({e.msg} at column {e.colno}); line "
                                         "skipped"))
            continue
        except (RecursionError, ValueError) as e:
            problems.append(InputProblem(path, lineno, f"unreadable {what} JSON ({type(e).__name__}); line skipped"))
            continue
        for record in _unwrap(obj, tuple(tuple(c) for c in containers if c)):
            yield lineno, record
        if m.end() >= len(text):
            break


def _unwrap(obj: object, containers: tuple[tuple[str, ...], ...]) -> list:
    """The records of an already decoded value, found as :func:`json_records` finds them in a document."""
    if isinstance(obj, list):
        return obj
    for c in containers:
        if isinstance(obj, dict) and c and c[0] in obj:
            return _unwrap(obj[c[0]], tuple(x[1:] for x in containers if x[:1] == c[:1] and len(x) > 1))
    return [obj]
