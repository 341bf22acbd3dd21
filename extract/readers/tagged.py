"""What the line-tagged formats share (Web of Science plain text, RIS): the file's lines, numbered, without
copying the text."""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["iter_lines"]

_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` for each line of ``text``, counting from 1; lines end at LF, CRLF or a lone CR.

    >>> list(iter_lines("a\\r\\nb\\rc\\n"))
    [(1, 'a'), (2, 'b'), (3, 'c')]
    """
    n = 0
    for m in _LINE.finditer(text):
        if m.start() == len(text) and m.start() > 0:
            return
        n += 1
        yield n, m.group(1)
