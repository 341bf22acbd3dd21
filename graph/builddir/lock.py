"""The build directory's lock: one build writes a directory at a time, and a lock left by a process that is gone
is taken over."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from pathlib import Path

from citegraph.extract.records import CitegraphError

__all__ = ["LOCK_NAME", "BuildLock", "alive"]

log = logging.getLogger(__name__)

LOCK_NAME = ".citegraph.lock"


class BuildLock:
    """An exclusive lock file in the output directory, naming the process that holds it."""

    def __init__(self, out_dir: str | Path) -> None:
        self.path = Path(out_dir) / LOCK_NAME

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder and alive(holder):
                    raise CitegraphError(f"{self.path.parent} is being written by another build (lock {self.path} "
                                         f"held by process {holder}); wait for it or choose another --out") from None
                log.warning("removing a stale lock %s left by process %s, which is gone", self.path, holder)
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            return self
        raise CitegraphError(f"could not take the lock {self.path}")

    def _holder(self) -> int | None:
        try:
            return int(self.path.read_text().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == errno.EPERM
    return True
