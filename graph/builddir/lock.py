"""The build directory's lock: one build writes a directory at a time, and a lock left by a process that is gone
is taken over."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from pathlib import Path

from citegraph.extract.records import CitegraphError
from citegraph.graph.builddir.snapshot import check_output_dir, recover

__all__ = ["LOCK_NAME", "BuildLock", "alive"]

log = logging.getLogger(__name__)

LOCK_NAME = ".citegraph.lock"


class BuildLock:
    """An exclusive lock file in the output directory, naming the process that holds it.

    Taking it claims the folder for a build: a folder that is not one is refused unless ``force``
    (:func:`~citegraph.graph.builddir.snapshot.check_output_dir`), files an interrupted build had replaced are put
    back (:func:`~citegraph.graph.builddir.snapshot.recover`), and a folder the lock created is removed again if
    nothing was written into it."""

    def __init__(self, out_dir: str | Path, *, force: bool = False) -> None:
        self.path = Path(out_dir) / LOCK_NAME
        self.force = force
        self.created: Path | None = None

    def __enter__(self) -> BuildLock:
        out = self.path.parent
        check_output_dir(out, force=self.force)
        missing = out
        while not missing.parent.exists() and missing.parent != missing:
            missing = missing.parent
        try:
            if not out.exists():
                self.created = missing
            out.mkdir(parents=True, exist_ok=True)
            self._take()
        except OSError as e:
            self._remove_created()
            raise CitegraphError(f"cannot write a build into {out}: {e.strerror or e}") from e
        recover(out)
        return self

    def _take(self) -> None:
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
            return
        raise CitegraphError(f"could not take the lock {self.path}")

    def _holder(self) -> int | None:
        try:
            return int(self.path.read_text().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._remove_created()

    def _remove_created(self) -> None:
        """Remove the folders this lock made if they are still empty (a failed first build leaves nothing)."""
        if self.created is None:
            return
        folder = self.path.parent
        while True:
            try:
                folder.rmdir()
            except OSError:
                return
            if folder == self.created:
                return
            folder = folder.parent


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == errno.EPERM
    return True
