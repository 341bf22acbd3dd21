"""From a file on disk to clean text: the size limits, encodings (UTF-8, BOMs, UTF-16, an XML declaration's),
binary detection, decoding, and the cleaning of control characters every reader applies to titles and abstracts.

Nothing here knows a listing format; a reader gets the file's text or lines from :func:`open_text` and calls
:func:`clean`.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import re
import stat
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citegraph.extract.records import InputProblem

__all__ = ["MAX_FILE_BYTES", "MAX_TITLE_CHARS", "MAX_ABSTRACT_CHARS", "MAX_ID_CHARS", "MAX_LINE_CHARS", "clean",
           "encoding_of", "looks_binary", "decode", "TextSource", "open_text", "LongLine", "lines_of", "line_text",
           "replace_unencodable", "unencodable_replaced", "short_id"]

#: Documented limits (README, "Limits"): beyond them a file or record is skipped with a message.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 50_000
#: a JSON line longer than this cannot hold a record within the limits (8 Mi characters): skipped unparsed
MAX_LINE_CHARS = 8 * 1024 * 1024
#: an id given by the input longer than this is shortened (:func:`short_id`): Neo4j cannot index a very long one
MAX_ID_CHARS = 200

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc


def clean(text: str) -> str:
    r"""Collapse whitespace and drop control characters (NUL and friends) that no title or abstract needs.

    >>> clean("a\x00b \t\n c\x85d\u2028e")
    'a b c d e'
    """
    return " ".join(_CONTROL.sub(" ", text).split())


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_unencodable(value: Any) -> tuple[Any, int]:
    r"""``value`` (a string, or JSON-like lists and dicts of them) with every character UTF-8 cannot encode (a lone
    surrogate, as a JSON ``\ud800`` escape gives) replaced by U+FFFD, and how many were replaced.

    >>> replace_unencodable({"title": "bad \ud800", "authors": ["\udfff"], "n": 3})
    ({'title': 'bad \ufffd', 'authors': ['\ufffd'], 'n': 3}, 2)
    """
    if isinstance(value, str):
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, Mapping):
        out, total = {}, 0
        for k, v in value.items():
            k, nk = replace_unencodable(k)
            out[k], nv = replace_unencodable(v)
            total += nk + nv
        return out, total
    if isinstance(value, (list, tuple)):
        items = [replace_unencodable(v) for v in value]
        return type(value)(v for v, _ in items), sum(n for _, n in items)
    return value, 0


def unencodable_replaced(obj: Any, path: str, line: int, problems: list[InputProblem]) -> Any:
    """``obj`` through :func:`replace_unencodable`, the replacements said in ``problems`` at ``path:line``."""
    obj, n = replace_unencodable(obj)
    if n:
        problems.append(InputProblem(path, line, f"{n} character(s) that cannot be encoded (lone surrogates such as "
                                     "a JSON \\ud800 escape) were replaced by U+FFFD"))
    return obj


def short_id(value: str) -> str:
    """An id of at most :data:`MAX_ID_CHARS` characters: a longer one becomes its first 100 characters, ``~`` and the
    first 32 hex digits of its SHA-256, the same for the same id.

    >>> short_id("2501.00001"), len(short_id("x" * 10_000)), short_id("x" * 10_000) == short_id("x" * 10_000)
    ('2501.00001', 133, True)
    """
    if len(value) <= MAX_ID_CHARS:
        return value
    return f"{value[:100]}~{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()[:32]}"


_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z][\w.:-]{0,40})[\"']")


def encoding_of(data: bytes) -> str:
    """The file's encoding: a UTF-16 byte-order mark, else an XML declaration's encoding, else UTF-8.

    >>> encoding_of(b"\\xff\\xfet\\x00"), encoding_of(b'<?xml version="1.0" encoding="latin-1"?>'), encoding_of(b"x")
    ('utf-16', 'iso8859-1', 'utf-8-sig')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    m = _XML_ENCODING.match(data[:512])
    if m:
        try:
            name = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            return "utf-8-sig"
        return "utf-8-sig" if name == "utf-8" else name
    return "utf-8-sig"


def looks_binary(data: bytes) -> bool:
    """More than 10% NUL bytes or undecodable characters in the first 8 KB. A stray NUL or bad byte in a text file
    does not make it binary: its good records are still read (the NUL becomes a space)."""
    sample = data[:8192]
    encoding = encoding_of(sample)
    if encoding == "utf-16":
        return False
    nul = sample.count(0)
    bad = sample.decode(encoding, errors="replace").count("\ufffd")
    return nul > len(sample) // 10 or bad > len(sample) // 10


def decode(name: str, data: bytes, problems: list[InputProblem]) -> str:
    """``data`` as text in its encoding (:func:`encoding_of`); undecodable bytes become U+FFFD, reported once in
    ``problems`` at the line of the first."""
    encoding = encoding_of(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        label = "UTF-8" if encoding == "utf-8-sig" else encoding
        problems.append(InputProblem(name, line, f"not valid {label}; undecodable bytes were replaced by U+FFFD"))
        return data.decode(encoding, errors="replace")


def _gunzip(data: bytes, name: str, problems: list[InputProblem]) -> bytes | None:
    """What gzip ``data`` holds, or None (said in ``problems``) when it is over :data:`MAX_FILE_BYTES` once
    decompressed (a decompression bomb stops there) or is not readable gzip."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as e:
        problems.append(InputProblem(name, 0, f"gzip file cannot be decompressed ({e}); skipped"))
        return None
    if len(out) > MAX_FILE_BYTES:
        problems.append(InputProblem(name, 0, f"gzip file holds more than the limit of {MAX_FILE_BYTES:,} bytes; "
                                     "skipped"))
        return None
    return out


# --- reading a file line by line, in bounded memory --------------------------------------------------------------

@dataclass(frozen=True)
class LongLine:
    """A line over :data:`MAX_LINE_CHARS`, in place of its text (which is never held): its length, its ending
    excluded."""

    chars: int


def lines_of(source: str | io.TextIOBase | Iterable[str | LongLine]) -> Iterator[str | LongLine]:
    r"""The lines of ``source`` (text, or an open text file), each with its ending (CR, LF or CRLF, as
    ``newline=""`` reads them), one at a time; a line over :data:`MAX_LINE_CHARS` comes as a :class:`LongLine`,
    skipped chunk by chunk, so memory stays bounded whatever the line lengths. Lines already split pass through.

    >>> list(lines_of("a\r\nb\rc\u2028d\n"))
    ['a\r\n', 'b\r', 'c\u2028d\n']
    """
    if isinstance(source, str):
        source = io.StringIO(source, newline="")
    elif not isinstance(source, io.TextIOBase):
        yield from source
        return
    while True:
        line = source.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) <= MAX_LINE_CHARS or line.endswith(("\n", "\r")) and len(line.rstrip("\r\n")) <= MAX_LINE_CHARS:
            yield line
            continue
        chars = len(line)
        while not line.endswith(("\n", "\r")):
            line = source.readline(1 << 20)
            if not line:
                break
            chars += len(line)
        yield LongLine(chars - (len(line) - len(line.rstrip("\r\n"))))


def line_text(line: str) -> str:
    r"""A line of :func:`lines_of` without its ending.

    >>> line_text("a\u2028b\r\n"), line_text("c\r"), line_text("d")
    ('a\u2028b', 'c', 'd')
    """
    if line.endswith("\r\n"):
        return line[:-2]
    return line[:-1] if line.endswith(("\n", "\r")) else line


#: how much of a file's start its format is told from (at most 65,536 characters: detect.HEAD_CHARS)
HEAD_BYTES = 65_536

_REPLACED = [0]  # undecodable byte sequences replaced so far by the handler below (one process reads one file at once)


def _count_and_replace(e: UnicodeError) -> tuple[str, int]:
    if not isinstance(e, UnicodeDecodeError):
        raise e
    _REPLACED[0] += 1
    return "\ufffd", e.end


codecs.register_error("citegraph.replace", _count_and_replace)


class TextSource:
    """One listing file checked by :func:`open_text`, read without holding it whole: :attr:`head` (its
    first 8 KB) tells its format, :meth:`lines` gives its lines one at a time, :meth:`text` the whole decoded text
    for a format that needs it."""

    def __init__(self, path: Path, name: str, head: bytes, problems: list[InputProblem], gzipped: bool = False) -> None:
        self.path, self.name, self.head, self.problems, self.gzipped = path, name, head, problems, gzipped
        self.encoding = encoding_of(head)

    def head_text(self, chars: int = 4096) -> str:
        return self.head.decode(self.encoding, errors="replace")[:chars]

    def text(self) -> str:
        """The whole decoded text (of what a gzip file holds, within :data:`MAX_FILE_BYTES`; "" when it cannot be
        decompressed, said in ``problems``)."""
        data = self.path.read_bytes()
        if self.gzipped:
            data = _gunzip(data, self.name, self.problems) or b""
        return decode(self.name, data, self.problems)

    def lines(self) -> Iterator[str | LongLine]:
        """The file's lines (:func:`lines_of`); undecodable bytes become U+FFFD, reported once at the first line
        that holds one."""
        label = "UTF-8" if self.encoding == "utf-8-sig" else self.encoding
        before, pending = _REPLACED[0], False
        opener = gzip.open if self.gzipped else open
        with opener(self.path, "rt", encoding=self.encoding, errors="citegraph.replace", newline="") as fh:
            for lineno, line in enumerate(lines_of(fh), 1):
                if before is not None and _REPLACED[0] != before:
                    pending = True
                if pending and not isinstance(line, LongLine) and "\ufffd" in line:
                    self.problems.append(InputProblem(self.name, lineno, f"not valid {label}; undecodable bytes "
                                                      "were replaced by U+FFFD"))
                    before, pending = None, False
                yield line


def open_text(path: Path, name: str, problems: list[InputProblem], info: dict) -> TextSource | None:
    """The file at ``path`` as a :class:`TextSource`, or None when it cannot be read as text (a directory, pipe or
    device, over :data:`MAX_FILE_BYTES`, unreadable, empty or binary: said in ``problems`` under ``name``); ``info``
    gets its ``sha256`` and ``bytes``, computed in one pass of bounded memory. A gzip file is read as what it holds
    (within :data:`MAX_FILE_BYTES` once decompressed)."""
    try:
        if path.is_dir():
            problems.append(InputProblem(name, 0, "is a directory, not a listing file; skipped"))
            return None
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            problems.append(InputProblem(name, 0, "is not a regular file (a pipe or device); skipped"))
            return None
        if st.st_size > MAX_FILE_BYTES:
            problems.append(InputProblem(name, 0, f"file of {st.st_size:,} bytes is over the limit of "
                                         f"{MAX_FILE_BYTES:,}; skipped"))
            return None
        digest, size, blank, head = hashlib.sha256(), 0, True, b""
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                if not head:
                    head = chunk[:HEAD_BYTES]
                digest.update(chunk)
                size += len(chunk)
                blank = blank and not chunk.strip()
    except OSError as e:
        problems.append(InputProblem(name, 0, f"cannot be read ({e.strerror or e}); skipped"))
        return None
    info.update(sha256=digest.hexdigest(), bytes=size)
    if blank:
        problems.append(InputProblem(name, 0, "file is empty; skipped"))
        return None
    gzipped = head.startswith(b"\x1f\x8b")  # gzip (an OpenAlex snapshot's .gz parts): the text is what it holds
    if gzipped:
        try:
            with gzip.open(path, "rb") as gz:
                head = gz.read(HEAD_BYTES)
        except (OSError, EOFError, zlib.error) as e:
            problems.append(InputProblem(name, 0, f"gzip file cannot be decompressed ({e}); skipped"))
            return None
    if looks_binary(head):
        problems.append(InputProblem(name, 0, "looks like a binary file (NUL or undecodable bytes); skipped"))
        return None
    return TextSource(path, name, head, problems, gzipped)
