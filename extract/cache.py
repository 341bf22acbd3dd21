"""The extraction cache: per-paper extractions (before corpus-wide key resolution) keyed by the hash of the paper's
text and the pipeline's version, so a rebuild or a daily ``--update`` only runs the model over new or changed text.

A paper's raw extraction depends on its title and abstract alone (see :func:`extract.pipeline.extract_raw`), so
reusing it gives exactly what re-extracting would.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .records import Extraction, Paper

__all__ = ["ExtractionCache", "text_hash", "CACHE_FILE"]

log = logging.getLogger(__name__)

CACHE_FILE = "extraction-cache.jsonl"


def text_hash(paper: Paper) -> str:
    """sha256 of what the extractor reads.

    >>> text_hash(Paper("a", "T", "x")) == text_hash(Paper("b", "T", "x")) != text_hash(Paper("a", "T", "y"))
    True
    """
    return hashlib.sha256(f"{paper.title}\x00{paper.abstract}".encode()).hexdigest()


class ExtractionCache:
    """Raw extractions by text hash, valid for one pipeline version; entries of other versions are ignored."""

    def __init__(self, pipeline_version: str, entries: dict[str, dict] | None = None) -> None:
        self.pipeline_version = pipeline_version
        self.entries: dict[str, dict] = dict(entries or {})
        self.hits = 0
        self.misses = 0

    @classmethod
    def load(cls, path: str | Path, pipeline_version: str) -> ExtractionCache:
        entries: dict[str, dict] = {}
        path = Path(path)
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, 1):
                    try:
                        row = json.loads(line)
                        if row["pipeline"] == pipeline_version:
                            entries[row["hash"]] = row["extraction"]
                    except (json.JSONDecodeError, KeyError, TypeError):
                        log.warning("%s:%d: unreadable cache entry ignored", path, lineno)
        return cls(pipeline_version, entries)

    def get(self, paper: Paper) -> Extraction | None:
        row = self.entries.get(text_hash(paper))
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return replace(Extraction.from_dict(row), id=paper.id, title=paper.title)

    def put(self, paper: Paper, extraction: Extraction) -> None:
        self.entries[text_hash(paper)] = extraction.to_dict()

    def rows(self, keep: Iterable[Paper] | None = None) -> list[dict]:
        """Sorted cache lines; with ``keep``, only the entries of those papers."""
        hashes = sorted(self.entries) if keep is None else sorted({text_hash(p) for p in keep} & set(self.entries))
        return [{"hash": h, "pipeline": self.pipeline_version, "extraction": self.entries[h]} for h in hashes]
