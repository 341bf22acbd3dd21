"""Extraction of many papers: in this process or a pool of workers, in input order, then (for
:func:`extract_papers`) corpus-wide key resolution (:func:`citegraph.extract.resolve.resolve_keys`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from citegraph.extract.pipeline.run import iter_extractions
from citegraph.extract.records import Extraction, Paper, share_strings
from citegraph.extract.resolve import ExtractResult, resolve_keys
from citegraph.extract.runner.workers import pooled

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["extract_papers", "extract_raw"]


def extract_papers(papers: Sequence[Paper], nlp: Language, *, batch_size: int = 64, n_process: int = 1,
                   progress: Callable[[Iterable], Iterable] | None = None) -> ExtractResult:
    """Run the pipeline over every paper's title and abstract, then resolve keys corpus-wide."""
    raw = extract_raw(papers, nlp, batch_size=batch_size, n_process=n_process, progress=progress)
    return resolve_keys(papers, raw)


def extract_raw(papers: Sequence[Paper], nlp: Language, *, batch_size: int = 64, n_process: int = 1,
                progress: Callable[[Iterable], Iterable] | None = None) -> list[Extraction]:
    """Per-paper extractions before corpus-wide key resolution; a paper's result depends on its text alone, which is
    what makes the extraction cache, ``n_process`` and distributed extraction exact.

    ``progress`` wraps the stream of finished papers (one item per paper). With ``n_process > 1`` the papers go to
    a pool of worker processes in chunks and come back in input order.
    """
    if n_process > 1 and len(papers) > batch_size:
        stream: Iterable[Extraction] = pooled(papers, nlp, batch_size, n_process)
    else:
        stream = iter_extractions(papers, nlp, batch_size=batch_size)
    if progress is not None:
        stream = progress(stream)
    pool: dict[str, str] = {}
    return [share_strings(x, pool) for x in stream]
