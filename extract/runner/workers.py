"""Extraction in worker processes: chunks of papers through a process pool, results in input order.

Importing this module does not import spaCy: a worker given a :class:`PipelineSpec` loads the pipeline itself, so
``citegraph build --update`` can read its cache while the day's papers are extracted, without paying for spaCy in
the main process.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from citegraph.extract.records import Extraction, Paper, share_strings

__all__ = ["PipelineSpec", "STOP_WAIT", "extraction_started", "pooled"]

#: seconds the workers have to finish the chunks they were given when extraction stops early (see ``_Pool.close``)
STOP_WAIT = 60.0


@dataclass(frozen=True)
class PipelineSpec:
    """The arguments of :func:`citegraph.extract.pipeline.load.load_pipeline`, for workers that load the pipeline
    themselves."""

    model: str | None = None
    blank: bool = False

    def load(self) -> Any:
        from citegraph.extract.pipeline.load import load_pipeline

        return load_pipeline(self.model, blank=self.blank)


_WORKER_NLP: Any = None
_WORKER_ERROR: Exception | None = None


def _init_worker(nlp: Any) -> None:
    """A pool worker: keep the pipeline (inherited under fork, unpickled under spawn, or loaded here from a
    :class:`PipelineSpec`) and leave Ctrl-C to the parent, which terminates the pool; a worker never prints a
    KeyboardInterrupt traceback. A pipeline that fails to load fails the worker's first task with its error (an
    initializer that raised would make the pool start new workers for ever)."""
    global _WORKER_NLP, _WORKER_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _WORKER_NLP = nlp.load() if isinstance(nlp, PipelineSpec) else nlp
    except Exception as e:  # noqa: BLE001  (handed to the parent by _work)
        _WORKER_ERROR = e


def _work(job: tuple[list[Paper], int]) -> list[Extraction]:
    from citegraph.extract.pipeline.run import iter_extractions

    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    chunk, batch_size = job
    return list(iter_extractions(chunk, _WORKER_NLP, batch_size=batch_size))


class _Pool:
    """Chunks of ``batch_size`` papers through a process pool started now, results in input order; at most 2 chunks
    a worker in flight, so memory does not grow with the input."""

    def __init__(self, papers: Sequence[Paper], nlp: Any, batch_size: int, n_process: int) -> None:
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        in_main = threading.current_thread() is threading.main_thread()
        # While the workers start, a SIGINT is only noted (a worker inherits that until its initializer ignores SIGINT),
        # then raised here once the pool can be stopped: ignored, a Ctrl-C in that window was lost and the build ran on.
        noted: list[int] = []
        previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum)) if in_main else None
        try:
            self.pool = mp.get_context(method).Pool(n_process, initializer=_init_worker, initargs=(nlp,))
        finally:
            if in_main:
                signal.signal(signal.SIGINT, previous)
        if noted and callable(previous):
            self.pool.terminate()
            self.pool.join()
            previous(signal.SIGINT, None)  # KeyboardInterrupt by default
        self.limit = 2 * n_process
        self.chunks = ((list(papers[i:i + batch_size]), batch_size) for i in range(0, len(papers), batch_size))
        self.pending: deque = deque()
        self.done = False  # every result handed out
        self._submit()

    def _submit(self) -> None:
        while len(self.pending) < self.limit:
            job = next(self.chunks, None)
            if job is None:
                return
            self.pending.append(self.pool.apply_async(_work, (job,)))

    def __iter__(self) -> Iterator[Extraction]:
        while self.pending:
            results = self.pending.popleft().get()
            self._submit()
            yield from results
        self.done = True

    def close(self) -> None:
        """Stop the workers, leaving none behind. When results are still pending (Ctrl-C, an error, the consumer
        stopping), the workers first finish the chunks they were given (at most 2 each), for a worker killed while
        it writes a result holds the pool's result-queue lock for ever, and the pool's ``terminate`` then waits on
        that lock without end; only chunks not done within :data:`STOP_WAIT` seconds (a worker that died or hangs)
        get the workers terminated. A second Ctrl-C while they finish terminates them at once."""
        self.pool.close()  # no new chunk; the workers exit once the ones they were given are done
        if not self.done:
            deadline = time.monotonic() + STOP_WAIT
            try:
                for result in self.pending:
                    result.wait(max(0.0, deadline - time.monotonic()))
            except KeyboardInterrupt:
                self.pool.terminate()
                self.pool.join()
                raise
            if not all(result.ready() for result in self.pending):
                self.pool.terminate()
        self.pool.join()


def pooled(papers: Sequence[Paper], nlp: Any, batch_size: int, n_process: int) -> Iterator[Extraction]:
    """Chunks of ``batch_size`` papers through a process pool, results in input order (see :class:`_Pool`)."""
    pool = _Pool(papers, nlp, batch_size, n_process)
    try:
        yield from pool
    finally:
        pool.close()


@contextlib.contextmanager
def extraction_started(papers: Sequence[Paper], nlp: Any, *, batch_size: int = 64,
                       n_process: int = 1) -> Iterator[Iterator[Extraction]]:
    """Start extracting ``papers`` in ``n_process`` worker processes now, and go on with other work here; the
    context's value yields their raw extractions in input order (strings shared, as
    :func:`citegraph.extract.runner.extract.extract_raw`'s). Leaving the context stops workers that are still running.

    ``nlp`` is a loaded pipeline (which forked workers share) or a :class:`PipelineSpec`, which each worker loads:
    then this process need not import spaCy at all. ``citegraph build --update`` extracts the day's new papers this
    way while it reads the cached ones.
    """
    pool = _Pool(papers, nlp, batch_size, n_process)
    strings: dict[str, str] = {}
    try:
        yield (share_strings(x, strings) for x in pool)
    finally:
        pool.close()


