"""What ``citegraph analyze`` computed, kept beside its report (``analysis-cache.json``), so that asking about other
papers (``--paper``) or re-rendering after an update answers in seconds instead of running every analysis again.

The cache is keyed by the digest of the build's ``graph.json`` and the analysis parameters: a rebuilt graph or
other parameters miss it, and the analyses run again. A damaged cache is ignored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from citegraph.graph.builddir.files import atomic_write

__all__ = ["CACHE_FILE", "graph_digest", "load_cached", "save_cached"]

log = logging.getLogger(__name__)

CACHE_FILE = "analysis-cache.json"
#: Bump when the report's content changes shape, so that older caches are not reused.
CACHE_VERSION = 1


def graph_digest(path: str | Path) -> str:
    """sha256 of a file (the build's ``graph.json``), read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _key(digest: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {"version": CACHE_VERSION, "graph_sha256": digest, "parameters": dict(sorted(parameters.items()))}


def load_cached(directory: str | Path, digest: str,
                parameters: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]] | None:
    """(report, plots) cached for this graph and these parameters, or None."""
    path = Path(directory) / CACHE_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != _key(digest, parameters):
            return None
        return data["report"], {k: base64.b64decode(v) for k, v in data["plots"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        log.info("ignoring the damaged %s (%s)", path, e)
        return None


def save_cached(directory: str | Path, digest: str, parameters: Mapping[str, Any], report: Mapping[str, Any],
                plots: Mapping[str, bytes]) -> Path:
    """Write the cache (atomically) and return its path. The report keeps its key order (the page follows it)."""
    path = Path(directory) / CACHE_FILE
    data = {"key": _key(digest, parameters), "report": report,
            "plots": {k: base64.b64encode(v).decode("ascii") for k, v in sorted(plots.items())}}
    with atomic_write(path) as fh:
        fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        fh.write("\n")
    return path
