"""The extraction cache: per-paper extractions (before corpus-wide key resolution) keyed by the hash of the paper's
text and the pipeline's version, so a rebuild or a daily ``--update`` only runs the model over new or changed text.

A paper's raw extraction depends on its title and abstract alone (see
:func:`citegraph.extract.runner.extract.extract_raw`), so
reusing it gives exactly what re-extracting would.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from citegraph.extract.records import Extraction, Paper

__all__ = ["ExtractionCache", "text_hash", "CACHE_FILE"]

log = logging.getLogger(__name__)

CACHE_FILE = "extraction-cache.jsonl"
_HEX = re.compile("[0-9a-f]{64}")


def text_hash(paper: Paper) -> str:
    """sha256 of what the extractor reads.

    >>> text_hash(Paper("a", "T", "x")) == text_hash(Paper("b", "T", "x")) != text_hash(Paper("a", "T", "y"))
    True
    """
    return hashlib.sha256(f"{paper.title}\x00{paper.abstract}".encode()).hexdigest()


class ExtractionCache:
    """Raw extractions by text hash, valid for one pipeline version; entries of other versions are ignored.

    Entries read from the file stay its JSON lines (parsed when a paper asks for one); new entries stay the
    :class:`Extraction` objects they were put as until they are written: the build's resolved extractions share
    their mentions, sentences and references, so keeping them costs a few hundred bytes a paper where a JSON line
    costs about 3 kB and a dict tree about 1 kB a mention.
    """

    def __init__(self, pipeline_version: str, entries: dict[str, str | Extraction] | None = None) -> None:
        self.pipeline_version = pipeline_version
        self.entries: dict[str, str | Extraction] = dict(entries or {})
        self.hits = 0
        self.misses = 0
        self._strings: dict[str, str] = {}  # share_strings pool of the entries read

    @classmethod
    def load(cls, path: str | Path, pipeline_version: str) -> ExtractionCache:
        entries: dict[str, str | Extraction] = {}
        path = Path(path)
        # the lines this version writes end the same way (sorted keys: ..., "hash": "<sha256>", "pipeline": ...}):
        # their hash is read from the end, and the whole line is parsed when a paper asks for it (get)
        tail = ', "pipeline": ' + json.dumps(pipeline_version, ensure_ascii=False) + "}"
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, 1):
                    line = line.rstrip("\n")
                    h = line[-len(tail) - 65:-len(tail) - 1]
                    if (line.endswith(tail) and line.startswith('{"extraction": {') and _HEX.fullmatch(h)
                            and line[-len(tail) - 74:-len(tail) - 65] == '"hash": "'):
                        entries[h] = line
                        continue
                    try:
                        row = json.loads(line)
                        if row["pipeline"] == pipeline_version and isinstance(row["extraction"], dict):
                            entries[str(row["hash"])] = line
                    except (json.JSONDecodeError, KeyError, TypeError):
                        log.warning("%s:%d: unreadable cache entry ignored", path, lineno)
        return cls(pipeline_version, entries)

    def has(self, paper: Paper) -> bool:
        """Whether there is an entry for ``paper``'s text (that :meth:`get` may still find unreadable)."""
        return text_hash(paper) in self.entries

    def get(self, paper: Paper) -> Extraction | None:
        entry = self.entries.get(text_hash(paper))
        if entry is None:
            self.misses += 1
            return None
        if isinstance(entry, str):
            try:
                entry = Extraction.from_dict(json.loads(entry)["extraction"], self._strings)
            except (KeyError, TypeError, ValueError, AttributeError) as e:  # the paper is extracted again
                log.warning("unreadable cache entry for paper %s ignored (%s)", paper.id, e)
                del self.entries[text_hash(paper)]
                self.misses += 1
                return None
        self.hits += 1
        return replace(entry, id=paper.id, title=paper.title)

    def put(self, paper: Paper, extraction: Extraction) -> None:
        self.entries[text_hash(paper)] = extraction

    def lines(self, keep: Iterable[Paper] | None = None) -> Iterator[str]:
        """Sorted cache lines (JSON, no newline); with ``keep``, only the entries of those papers."""
        hashes = sorted(self.entries) if keep is None else sorted({text_hash(p) for p in keep} & set(self.entries))
        for h in hashes:
            entry = self.entries[h]
            # _line({"extraction": entry.to_dict(), "hash": h, "pipeline": version}), with the extraction's own JSON
            yield entry if isinstance(entry, str) else (f'{{"extraction": {entry.to_json()}, "hash": {_line(h)}, '
                                                        f'"pipeline": {_line(self.pipeline_version)}}}')


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
