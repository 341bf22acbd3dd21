"""Extraction with the build's cache: papers whose text was seen by the same pipeline come from the cache, the rest
go through the pipeline (in this process, a pool of workers, or a Dask cluster), in input order."""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from citegraph.extract.records import CitegraphError, Extraction, Paper
from citegraph.extract.runner.cache import ExtractionCache
from citegraph.extract.runner.provenance import model_dir, pipeline_info
from citegraph.extract.runner.workers import PipelineSpec, extraction_started

__all__ = ["PARALLEL_MIN_PAPERS", "CachedExtraction", "choose_workers", "extract_with_cache", "package_version"]

#: below this many papers to extract, extra processes cost more (model load per process) than they save
PARALLEL_MIN_PAPERS = 200


@dataclass
class CachedExtraction:
    """What :func:`extract_with_cache` gives: raw extractions in input order and where they came from."""

    raw: list[Extraction]
    pipeline: dict  # :func:`~citegraph.extract.runner.provenance.pipeline_info` plus the citegraph version
    extracted: int  # papers that went through the pipeline (the rest came from the cache)
    cache: ExtractionCache  # the entries of every paper (and, read from a file, of earlier builds')


def package_version(name: str) -> str:
    """The installed version of distribution ``name``, ``""`` when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def choose_workers(workers: int | None, n_papers: int) -> int:
    """Extraction processes: ``workers`` when given (at least 1), else every core from
    :data:`PARALLEL_MIN_PAPERS` papers up and one below.

    >>> choose_workers(3, 10), choose_workers(None, 10)
    (3, 1)
    """
    if workers is not None:
        if workers < 1:
            raise CitegraphError(f"workers must be at least 1, not {workers}")
        return workers
    return (os.cpu_count() or 1) if n_papers >= PARALLEL_MIN_PAPERS else 1


def _progress(total: int) -> Callable[[Iterable], Iterable]:
    from tqdm import tqdm

    return lambda it: tqdm(it, total=total, desc="extracting", unit="paper", file=sys.stderr, disable=None,
                           leave=False)


def extract_with_cache(papers: Sequence[Paper], *, model: str | Path | None = None, rules_only: bool = False,
                       workers: int | None = None, batch_size: int = 64, dask: str | None = None,
                       cache_path: str | Path | None = None,
                       meanwhile: Callable[[], None] | None = None) -> CachedExtraction:
    """Raw extractions of ``papers`` in order: from the cache at ``cache_path`` where the text was seen, else from
    the pipeline (locally, or on the Dask scheduler at ``dask``).

    The cache's key comes from the pipeline's files (:func:`~citegraph.extract.runner.provenance.pipeline_info`):
    when every paper is cached, spaCy is not even imported. When some are cached and some are not (``--update``),
    the new ones are extracted by forked workers that load the pipeline themselves while this process reads the
    cached ones and then calls ``meanwhile`` (other work that does not need the extractions)."""
    path = model_dir(model, blank=rules_only)
    spec = PipelineSpec(None if path is None else str(path), blank=path is None)
    info = pipeline_info(path, blank=path is None) | {"citegraph": package_version("citegraph")}
    version = json.dumps(info, sort_keys=True)
    # without a file, an empty cache in memory: what it gathers is what a saved build's cache file holds
    cache = ExtractionCache.load(cache_path, version) if cache_path is not None else ExtractionCache(version)
    todo = [p for p in papers if not cache.has(p)]

    def extract(todo: list[Paper]) -> list[Extraction]:
        if not todo:
            return []
        if dask:
            from citegraph.extract.runner.distributed import extract_on_dask

            # each worker loads the pipeline of its own installation (the README's cluster setup)
            return extract_on_dask(todo, dask, model=str(model) if model else None, rules_only=rules_only,
                                   batch_size=batch_size)
        from citegraph.extract.runner.extract import extract_raw

        return extract_raw(todo, spec.load(), batch_size=batch_size, n_process=choose_workers(workers, len(todo)),
                           progress=_progress(len(todo)))

    overlap = bool(todo) and len(todo) < len(papers) and not dask and "fork" in mp.get_all_start_methods()
    cached: dict[str, Extraction] = {}
    damaged: list[Paper] = []
    fresh: list[Extraction] = []
    new_ids = {p.id for p in todo}
    with (extraction_started(todo, spec, batch_size=batch_size, n_process=choose_workers(workers, len(todo)))
          if overlap else contextlib.nullcontext()) as running:
        for p in papers:
            if p.id not in new_ids:
                x = cache.get(p)
                if x is None:  # an unreadable entry, dropped by get: the paper is extracted again
                    damaged.append(p)
                else:
                    cached[p.id] = x
        if meanwhile is not None:
            meanwhile()
        if running is not None:
            fresh = list(_progress(len(todo))(running))
    todo += damaged
    fresh += extract(damaged if overlap else todo)
    new = {x.id: x for x in fresh}
    for p in todo:
        cache.put(p, new[p.id])
    raw = [cached.get(p.id) or new[p.id] for p in papers]
    return CachedExtraction(raw=raw, pipeline=info, extracted=len(todo), cache=cache)
