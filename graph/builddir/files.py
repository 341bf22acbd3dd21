"""Atomic writing: every file of a build directory (and of a report or a map) is written to a temporary name in the
same directory, fsynced and renamed into place, so a reader never sees half a file; JSON, JSON lines and text lines
written that way.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any


__all__ = ["atomic_write", "write_json", "write_jsonl", "write_lines"]

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success fsync and rename it over ``path``.

    On any exception the temporary file is removed and ``path`` keeps its previous content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # a normal file's mode, not mkstemp's 0600
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_json(path: str | Path, data: Any, *, compact: bool = False) -> None:
    """Sorted-key JSON, indented for people or ``compact`` for big data (graph.json): one line through the json
    module's C encoder, several times faster than the indenting one, which is pure Python."""
    with atomic_write(path) as fh:
        if compact:
            fh.write(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        else:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")


def write_jsonl(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> None:
    with atomic_write(path) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True))
            fh.write("\n")


def write_lines(path: str | Path, lines: Iterable[str]) -> None:
    """Text lines (given without their newline), atomically."""
    with atomic_write(path) as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")
