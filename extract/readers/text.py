"""From a file on disk to clean text: the size limits, encodings (UTF-8, BOMs, UTF-16, an XML declaration's),
binary detection, decoding, and the cleaning of control characters every reader applies to titles and abstracts.

Nothing here knows a listing format; a reader gets the decoded text of :func:`read_text` and calls :func:`clean`.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import zlib
import re
import stat
from pathlib import Path

from citegraph.extract.records import InputProblem

__all__ = ["MAX_FILE_BYTES", "MAX_TITLE_CHARS", "MAX_ABSTRACT_CHARS", "clean", "encoding_of", "looks_binary",
           "decode", "read_text"]

#: Documented limits (README, "Limits"): beyond them a file or record is skipped with a message.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 50_000

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc


def clean(text: str) -> str:
    r"""Collapse whitespace and drop control characters (NUL and friends) that no title or abstract needs.

    >>> clean("a\x00b \t\n c\x85d\u2028e")
    'a b c d e'
    """
    return " ".join(_CONTROL.sub(" ", text).split())


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


def read_text(path: Path, name: str, problems: list[InputProblem], info: dict) -> str | None:
    """The decoded text of the file at ``path``, or None when it cannot be read as text (a directory, pipe or device,
    over :data:`MAX_FILE_BYTES`, unreadable, empty or binary), said in ``problems`` under ``name``. A gzip file is
    decompressed (its text, too, within :data:`MAX_FILE_BYTES`). ``info`` gets
    the file's ``sha256`` and ``bytes`` once it has been read."""
    try:
        if path.is_dir():
            problems.append(InputProblem(name, 0, "is a directory, not a listing file; skipped"))
            return None
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            problems.append(InputProblem(name, 0, "is not a regular file (a pipe or device); skipped"))
            return None
        size = st.st_size
        if size > MAX_FILE_BYTES:
            problems.append(InputProblem(name, 0, f"file of {size:,} bytes is over the limit of {MAX_FILE_BYTES:,};"
                                         " skipped"))
            return None
        data = path.read_bytes()
    except OSError as e:
        problems.append(InputProblem(name, 0, f"cannot be read ({e.strerror or e}); skipped"))
        return None
    info.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    if data.startswith(b"\x1f\x8b"):  # gzip (an OpenAlex snapshot's .gz parts): the text is what it holds
        data = _gunzip(data, name, problems)
        if data is None:
            return None
    if not data.strip():
        problems.append(InputProblem(name, 0, "file is empty; skipped"))
        return None
    if looks_binary(data):
        problems.append(InputProblem(name, 0, "looks like a binary file (NUL or undecodable bytes); skipped"))
        return None
    return decode(name, data, problems)
