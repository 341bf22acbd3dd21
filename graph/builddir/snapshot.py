"""A build directory changes as one unit: what makes a folder a citegraph build, the files citegraph may replace
in it, and reading a build's files as one consistent version (the old build or the new, never a mix).

The writer renames the new files into place one by one and ``manifest.json`` last. Before the first rename it keeps
a hard link to every file of the build in place, under :data:`PREVIOUS_DIR`, and removes that folder once the new
manifest is in place. A reader (:func:`read_verified`) reads the manifest, then each file it needs, and trusts a file
only when its sha256 is the one the manifest lists: a file already replaced by the next build is read from
:data:`PREVIOUS_DIR` instead; if neither matches (the writer finished in between), it reads the new manifest and
starts again. A writer killed midway leaves the previous manifest and :data:`PREVIOUS_DIR` behind: readers still
see the previous build, and the next writer puts its files back first (:func:`recover`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from citegraph.extract.records import CitegraphError

__all__ = ["MANIFEST", "PREVIOUS_DIR", "STAGING_PREFIX", "STAGING_MARKER", "read_manifest", "is_build",
           "own_entry", "check_output_dir", "keep_previous", "drop_previous", "recover", "read_verified",
           "sha256_bytes"]

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
#: hard links to the files of the build in place while a new one is renamed into place
PREVIOUS_DIR = ".citegraph-previous"
#: a build's staging folder is ``.citegraph-staging-<pid>-<random hex>`` and holds :data:`STAGING_MARKER`
STAGING_PREFIX = ".citegraph-staging-"
STAGING_MARKER = ".citegraph-staging"
_LOCK_NAME = ".citegraph.lock"  # lock.LOCK_NAME (lock imports this module)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def read_manifest(directory: str | Path) -> dict[str, Any] | None:
    """The manifest of a citegraph build in ``directory`` (``"tool": "citegraph"``), or None."""
    try:
        manifest = json.loads((Path(directory) / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("tool") == "citegraph" else None


def is_build(directory: str | Path) -> bool:
    """Whether ``directory`` holds a citegraph build (a citegraph manifest)."""
    return read_manifest(directory) is not None


def own_entry(name: str) -> bool:
    """Whether a name in an output folder is citegraph's bookkeeping (lock, staging, previous files).

    >>> own_entry(".citegraph.lock"), own_entry(".citegraph-staging-12-ab12cd34"), own_entry(".staging-999999")
    (True, True, False)
    """
    return name in {_LOCK_NAME, PREVIOUS_DIR} or name.startswith(STAGING_PREFIX)


def check_output_dir(out: str | Path, *, force: bool = False) -> None:
    """Refuse to write a build into ``out`` when it is not a folder, or is a non-empty folder that holds no citegraph
    build (unless ``force``: then only citegraph's own file names are replaced in it)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CitegraphError(f"cannot write a build into {out}: it is a file, not a folder")
    if not out.is_dir() or force or is_build(out) or (out / PREVIOUS_DIR).is_dir():
        return  # (a first build killed while renaming its files into place leaves them and PREVIOUS_DIR)
    try:
        theirs = sorted(e.name for e in os.scandir(out) if not own_entry(e.name))
    except OSError as e:
        raise CitegraphError(f"cannot write a build into {out}: {e.strerror or e}") from e
    if theirs:
        shown = ", ".join(theirs[:3]) + (", ..." if len(theirs) > 3 else "")
        raise CitegraphError(f"{out} is not empty and holds no citegraph build ({len(theirs)} entries: {shown}); "
                             "choose an empty or new folder, or pass --force to write citegraph's files into it "
                             "(only files with citegraph's output names are replaced)")


def keep_previous(out: Path, names: list[str]) -> None:
    """Hard-link (or copy) the files ``names`` of the build in place into :data:`PREVIOUS_DIR`."""
    previous = out / PREVIOUS_DIR
    shutil.rmtree(previous, ignore_errors=True)
    previous.mkdir()
    for name in names:
        src = out / name
        if not src.is_file():
            continue
        try:
            os.link(src, previous / name)
        except OSError:  # a file system without hard links
            shutil.copy2(src, previous / name)
    fd = os.open(previous, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def drop_previous(out: Path) -> None:
    shutil.rmtree(out / PREVIOUS_DIR, ignore_errors=True)


def recover(out: str | Path) -> None:
    """Put back the files of the build in place that a writer killed midway had already replaced (called under the
    build lock), so the folder holds exactly what its manifest lists again."""
    out = Path(out)
    previous = out / PREVIOUS_DIR
    if not previous.is_dir():
        return
    manifest = read_manifest(out) or {}
    outputs = manifest.get("outputs") or {}
    restored = 0
    for name, meta in outputs.items():
        kept = previous / name
        want = meta.get("sha256") if isinstance(meta, dict) else None
        if want and kept.is_file() and _sha256_file(out / name) != want and _sha256_file(kept) == want:
            os.replace(kept, out / name)
            restored += 1
    if restored:
        log.warning("%s: put back %d file(s) of the build in place that an interrupted build had replaced", out,
                    restored)
    drop_previous(out)


def read_verified(directory: str | Path, names: list[str], *, attempts: int = 10) -> tuple[dict[str, Any],
                                                                                              dict[str, bytes | None]]:
    """The manifest of the build in ``directory`` and the bytes of the files ``names`` (None for a file the
    manifest does not list), all of one version of the build: each file is trusted only when its sha256 is the one
    the manifest lists. A build without a manifest listing its outputs (written by an older citegraph) is read as
    it stands.

    Raises :class:`CitegraphError` when a listed file is missing or damaged.
    """
    directory = Path(directory)
    problem = ""
    for attempt in range(attempts):
        manifest = read_manifest(directory)
        outputs = (manifest or {}).get("outputs")
        if manifest is None and (directory / PREVIOUS_DIR).is_dir():
            problem = f"{directory} holds no manifest: its first build was interrupted while being written"
            time.sleep(min(0.05 * (attempt + 1), 0.5))
            continue
        if not isinstance(outputs, dict) or not outputs:
            return manifest or {}, {n: _read_or_none(directory / n) for n in names}
        files: dict[str, bytes | None] = {}
        for name in names:
            meta = outputs.get(name)
            if not isinstance(meta, dict):
                files[name] = None
                continue
            data = _matching(directory, name, meta.get("sha256"))
            if data is None:
                problem = f"{directory / name} does not match the sha256 its manifest lists"
                break
            files[name] = data
        else:
            return manifest, files
        time.sleep(min(0.05 * (attempt + 1), 0.5))  # a build is being renamed into place: read the new manifest
    raise CitegraphError(f"{problem}: the build was changed during reading or is damaged; build it again")


def _read_or_none(path: Path) -> bytes | None:
    with contextlib.suppress(OSError):
        return path.read_bytes()
    return None


def _matching(directory: Path, name: str, want: str | None) -> bytes | None:
    for path in (directory / name, directory / PREVIOUS_DIR / name):
        data = _read_or_none(path)
        if data is not None and (want is None or sha256_bytes(data) == want):
            return data
    return None
