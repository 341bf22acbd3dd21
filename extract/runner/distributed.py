"""Extraction on a Dask distributed cluster: papers go out in partitions, each worker process loads the pipeline
once, results come back in input order. Key resolution stays central (it needs the whole corpus).

Workers need citegraph installed (``pip install citegraph[dask]``): the task function lives in this importable
module, so it is not re-pickled with a pipeline per task, and the model is read from the worker's installation.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from citegraph.extract.records import CitegraphError, Extraction, Paper

__all__ = ["extract_on_dask", "extract_partition"]

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=2)
def _pipeline(model: str | None, rules_only: bool):
    from citegraph.extract.pipeline.load import load_pipeline

    return load_pipeline(model, blank=rules_only)


def extract_partition(rows: list[dict], model: str | None, rules_only: bool, pipe_batch_size: int) -> list[dict]:
    """Run on a worker: raw extractions of one partition of papers (as dicts, cheap to ship)."""
    from citegraph.extract.runner.extract import extract_raw

    papers = [Paper.from_dict(r) for r in rows]
    return [x.to_dict() for x in extract_raw(papers, _pipeline(model, rules_only), batch_size=pipe_batch_size)]


def extract_on_dask(papers: Sequence[Paper], address: str, *, model: str | None = None, rules_only: bool = False,
                    partition_size: int = 256, batch_size: int = 64) -> list[Extraction]:
    """Raw extractions of ``papers`` computed on the Dask scheduler at ``address``, in input order."""
    try:
        from dask.distributed import Client
    except ImportError as e:
        raise CitegraphError("--dask needs dask.distributed: pip install 'citegraph[dask]'") from e
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as e:
        raise CitegraphError(f"cannot reach the Dask scheduler at {address}: {e}") from e
    with client:
        parts = [[p.to_dict() for p in papers[i:i + partition_size]] for i in range(0, len(papers), partition_size)]
        log.info("extracting %d papers in %d partitions on %s", len(papers), len(parts), address)
        futures = client.map(extract_partition, parts, model=model, rules_only=rules_only, pipe_batch_size=batch_size,
                             pure=False)
        results = client.gather(futures)
    strings: dict[str, str] = {}
    return [Extraction.from_dict(d, strings) for part in results for d in part]
