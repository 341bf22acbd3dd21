"""``citegraph build`` and ``citegraph extract``: listings in, extractions and the graph out.

This module is part of the composition root: it may import the spaCy side (lazily), ``graph``'s library modules
do not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

import click

import citegraph.extract

from citegraph.graph.build.tables import COOCCURRENCE_BUDGET

log = logging.getLogger(__name__)

SAMPLE = Path(citegraph.extract.__file__).resolve().parent / "samples" / "hf_trending_sample.txt"
#: what the sample's sources and the manifest call it: its place in the package, the same in every checkout
SAMPLE_NAME = "extract/samples/hf_trending_sample.txt"
#: below this many papers to extract, extra processes cost more (model load per process) than they save
PARALLEL_MIN_PAPERS = 200
#: up to this many papers, a build with more than one worker writes the per-paper files, GraphML, GEXF and the map
#: in forked processes beside the rest; above it the children's copies of the pages they touch (a few hundred MB at
#: 100,000 papers) are not worth it
PARALLEL_WRITE_MAX_PAPERS = 50_000

_common = [
    click.option("--format", "fmt", type=click.Choice(["hf", "jsonl", "csv", "arxiv"]), default=None,
                 help="Force the input format (default: detected from extension and content)."),
    click.option("--year", type=int, default=None, help="Year for dates written without one (default: this year)."),
    click.option("--model", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="A spaCy pipeline directory (default: the shipped citegraph_sci model)."),
    click.option("--rules-only", is_flag=True, help="Skip the trained model: blank English + rule components."),
    click.option("--strict", is_flag=True, help="Exit non-zero if anything in the input had to be skipped."),
    click.option("--workers", type=int, default=None,
                 help=f"Extraction processes (default: all cores; one below {PARALLEL_MIN_PAPERS} papers)."),
    click.option("--batch-size", type=int, default=64, show_default=True, help="Texts per nlp.pipe batch."),
]


class MinCount(click.ParamType):
    """A count of at least 1, or ``auto``."""

    name = "N|auto"

    def convert(self, value, param, ctx):
        if value == "auto" or isinstance(value, int):
            return value
        try:
            n = int(value)
        except ValueError:
            self.fail(f"{value!r} is neither a whole number nor 'auto'", param, ctx)
        if n < 1:
            self.fail(f"must be at least 1, not {n}", param, ctx)
        return n


def common_options(f):
    for option in reversed(_common):
        f = option(f)
    return f


def _report(problems) -> None:
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)


def _finish(papers, problems, strict: bool) -> None:
    if not papers:
        raise click.ClickException(f"no usable paper was read ({len(problems)} problem(s) reported above)")
    if problems:
        click.echo(f"{len(papers)} papers read; {len(problems)} problem(s) in the input were skipped, listed above",
                   err=True)
        if strict:
            raise click.ClickException("--strict: the input had problems")


def _workers(workers: int | None, n_papers: int) -> int:
    if workers is not None:
        if workers < 1:
            raise click.BadParameter(f"must be at least 1, not {workers}", param_hint="--workers")
        return workers
    return (os.cpu_count() or 1) if n_papers >= PARALLEL_MIN_PAPERS else 1


def _progress(total: int):
    from tqdm import tqdm

    return lambda it: tqdm(it, total=total, desc="extracting", unit="paper", file=sys.stderr, disable=None,
                           leave=False)


def extract_with_cache(papers, *, model, rules_only, workers, batch_size, dask=None, cache_path=None,
                       meanwhile=None):
    """Raw extractions of ``papers`` in order: from the cache where the text was seen, else from the pipeline
    (locally, or on a Dask cluster). Returns ``(raw, pipeline_info, n_extracted, cache)``.

    The cache's key comes from the pipeline's files (:func:`citegraph.extract.runner.provenance.pipeline_info`): when every paper is
    cached, spaCy is not even imported. When some are cached and some are not (``--update``), the new ones are
    extracted by forked workers that load the pipeline themselves while this process reads the cached ones and
    then calls ``meanwhile`` (other work that does not need the extractions)."""
    import multiprocessing as mp

    from citegraph.extract.runner.cache import ExtractionCache
    from citegraph.extract.runner.provenance import model_dir, pipeline_info
    from citegraph.extract.runner.workers import PipelineSpec, extraction_started

    path = model_dir(model, blank=rules_only)
    spec = PipelineSpec(None if path is None else str(path), blank=path is None)
    info = pipeline_info(path, blank=path is None) | {"citegraph": _version("citegraph")}
    version = json.dumps(info, sort_keys=True)
    cache = ExtractionCache.load(cache_path, version) if cache_path is not None else None
    todo = [p for p in papers if cache is None or not cache.has(p)]

    def extract(todo: list) -> list:
        if not todo:
            return []
        if dask:
            from citegraph.extract.runner.distributed import extract_on_dask

            # each worker loads the pipeline of its own installation (the README's cluster setup)
            return extract_on_dask(todo, dask, model=str(model) if model else None, rules_only=rules_only,
                                   batch_size=batch_size)
        from citegraph.extract.runner.extract import extract_raw

        return extract_raw(todo, spec.load(), batch_size=batch_size, n_process=_workers(workers, len(todo)),
                           progress=_progress(len(todo)))

    overlap = bool(todo) and len(todo) < len(papers) and not dask and "fork" in mp.get_all_start_methods()
    cached, damaged, fresh = {}, [], []
    new_ids = {p.id for p in todo}
    with (extraction_started(todo, spec, batch_size=batch_size, n_process=_workers(workers, len(todo))) if overlap
          else contextlib.nullcontext()) as running:
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
    if cache is not None:
        for p in todo:
            cache.put(p, new[p.id])
    raw = [cached.get(p.id) or new[p.id] for p in papers]
    return raw, info, len(todo), cache


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", default="-", show_default=True, type=click.Path(allow_dash=True, path_type=Path),
              help="Where to write mentions.jsonl ('-' for stdout).")
@common_options
def extract_cmd(inputs, out, fmt, year, model, rules_only, strict, workers, batch_size) -> None:
    """Extract typed mentions, references and links from listings, one JSON object per paper.

    Example: citegraph extract abstracts.jsonl --out mentions.jsonl
    """
    from citegraph.extract.resolve import resolve_keys
    from citegraph.extract.readers.listings import read_listings

    from citegraph.graph.builddir.files import atomic_write

    read = read_listings(list(inputs), fmt=fmt, year=year)
    _report(read.problems)
    if not read.papers:
        _finish(read.papers, read.problems, strict)
    raw, _, _, _ = extract_with_cache(read.papers, model=model, rules_only=rules_only, workers=workers,
                                      batch_size=batch_size)
    result = resolve_keys(read.papers, raw)
    lines = [x.to_json() + "\n" for x in result.extractions]
    if str(out) == "-":
        sys.stdout.writelines(lines)
    else:
        with atomic_write(out) as fh:
            fh.writelines(lines)
    _finish(read.papers, read.problems, strict)


@click.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "-o", default="citegraph-out", show_default=True, type=click.Path(path_type=Path),
              help="Output directory.")
@click.option("--update", "update", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Add INPUTS to the existing build in this directory (re-extracts only new or changed papers).")
@common_options
@click.option("--dask", "dask", default=None, metavar="ADDRESS",
              help="Run the extraction on the Dask scheduler at ADDRESS (e.g. tcp://10.0.0.5:8786).")
@click.option("--related-k", default=10, show_default=True, help="RELATED_TO edges kept per paper.")
@click.option("--min-cooccurrence", default="auto", show_default=True, type=MinCount(),
              help="Shared papers a CO_OCCURS edge needs; 'auto': 1, raised just enough to keep at most "
                   f"{COOCCURRENCE_BUDGET:,} CO_OCCURS edges.")
@click.option("--max-nodes", default=None, type=int, help="Node budget of graph.html (default: the view's).")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
@click.option("--neo4j", "to_neo4j", is_flag=True,
              help="Then push the build into Neo4j (settings from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, "
                   "NEO4J_DATABASE), as citegraph push does.")
def build_cmd(inputs, out, update, fmt, year, model, rules_only, strict, workers, batch_size, dask, related_k,
              min_cooccurrence, max_nodes, no_html, to_neo4j) -> None:
    """Build the knowledge graph of paper listings into a directory of files (no server needed).

    Without INPUTS, builds the sample listing shipped with citegraph. With --update DIR, adds INPUTS to the
    build in DIR and writes changes.json.

    Example: citegraph build listings/*.txt --out out

    Example: citegraph build --update out listings/today.txt

    Example: citegraph build listings/*.txt --out out --neo4j
    """
    if update is not None:
        out = update
        if not inputs:
            raise click.UsageError("--update needs the new listing files as INPUTS")
    manifest = run_build(inputs or (SAMPLE,), out, update=update is not None, fmt=fmt, year=year, model=model,
                         rules_only=rules_only, workers=workers, batch_size=batch_size, dask=dask,
                         related_k=related_k, min_cooccurrence=min_cooccurrence, max_nodes=max_nodes,
                         html=not no_html, strict=strict)
    c = manifest["counts"]
    click.echo(f"{c['papers']} papers, {c['entities']} entities, {c['references']} references, {c['edges']} edges; "
               f"{c['extracted']} papers extracted, {c['cached']} from the cache -> {out}{os.sep}", err=True)
    if to_neo4j:
        from citegraph.graph.cli.store import push

        click.get_current_context().invoke(push, build_dir=out, uri=None, username=None, password=None,
                                           database=None, retry_seconds=None, replace=False, batch_size=1000,
                                           as_json=False)


def run_build(inputs, out: Path, *, update: bool, fmt, year, model, rules_only, workers, batch_size, dask,
              related_k, min_cooccurrence, max_nodes, html: bool, strict: bool) -> dict:
    from citegraph.extract.runner.cache import CACHE_FILE
    from citegraph.extract.resolve import resolve_keys
    from citegraph.extract.readers.listings import read_listings

    from citegraph.graph.build.tables import build_tables
    from citegraph.graph.builddir.changes import graph_changes, summarize_build
    from citegraph.graph.builddir.writer import BuildLock, BuildWriter
    from citegraph.graph.builddir.files import load_build, load_graph, write_lines

    timings: dict[str, float] = {}
    year = year or dt.date.today().year
    with BuildLock(out), contextlib.ExitStack() as stack:
        previous = None
        if update:
            previous = load_build(out, with_graph=False, with_extractions=False)
        t = time.perf_counter()
        existing = list(previous.papers.values()) if previous else []
        read = read_listings(list(inputs), fmt=fmt, year=year, existing=existing, names={SAMPLE: SAMPLE_NAME})
        _report(read.problems)
        if not read.papers:
            _finish(read.papers, read.problems, strict)
        timings["read"] = time.perf_counter() - t

        before = {}  # the previous build's summary for changes.json, made while the day's papers are extracted

        def summarize_previous() -> None:
            if previous is not None:
                before["summary"] = summarize_build(out, paper_ids=previous.papers)

        t = time.perf_counter()
        raw, pipe, n_extracted, cache = extract_with_cache(
            read.papers, model=model, rules_only=rules_only, workers=workers, batch_size=batch_size, dask=dask,
            cache_path=out / CACHE_FILE, meanwhile=summarize_previous)
        result = resolve_keys(read.papers, raw)
        del raw  # what the rest needs is the resolved extractions (and the cache's own references)
        timings["extract"] = time.perf_counter() - t

        writer = stack.enter_context(BuildWriter(out, parallel=_workers(workers, len(read.papers)) > 1
                                                 and len(read.papers) <= PARALLEL_WRITE_MAX_PAPERS))
        # the per-paper files do not need the graph: they are written (by a forked child) while it is built
        writer.start_records(read.papers, result.extractions, acronyms=result.acronyms.rows(), merges=result.merges,
                             extra={CACHE_FILE: lambda stage: write_lines(stage / CACHE_FILE,
                                                                          cache.lines(read.papers))})
        t = time.perf_counter()
        co_stats: dict = {}
        G = build_tables(read.papers, result.extractions, related_k=related_k, min_cooccurrence=min_cooccurrence,
                        stats=co_stats)
        timings["graph"] = time.perf_counter() - t
        if min_cooccurrence == "auto" and co_stats["cooccurrence_threshold"] > 1:
            click.echo(f"note: {co_stats['cooccurring_pairs']:,} co-occurring entity pairs; CO_OCCURS edges keep the "
                       f"{co_stats['cooccurs_kept']:,} shared by at least {co_stats['cooccurrence_threshold']} papers "
                       f"(--min-cooccurrence auto keeps at most {COOCCURRENCE_BUDGET:,}; pass a number to choose)",
                       err=True)
        papers = {p.id: p for p in read.papers}
        extractions = {x.id: x for x in result.extractions}

        def render(path: Path) -> dict:
            from citegraph.graph.view.render import render_html

            kwargs = {"max_nodes": max_nodes} if max_nodes else {}
            # the entity map draws entities and CO_OCCURS, and lists the papers behind them (MENTIONS)
            return render_html(G.to_networkx(related=False), path, papers=papers, extractions=extractions,
                               **kwargs)

        old = previous.manifest if previous else {}
        parameters = {"format": fmt, "year": year, "year_assumed": read.year_assumed is not None
                      or bool(old.get("parameters", {}).get("year_assumed")), "related_k": related_k,
                      "min_cooccurrence": min_cooccurrence, "max_nodes": max_nodes,
                      "model": str(model) if model else "shipped", "rules_only": rules_only}
        manifest = {
            "tool": "citegraph", "version": _version("citegraph"), "command": "build",
            "inputs": old.get("inputs", []) + [{k: f[k] for k in sorted(f) if k != "year_assumed"}
                                               for f in read.files],
            "parameters": parameters,
            "pipeline": pipe,
            "versions": {name: _version(name) for name in ("spacy", "networkx", "pyvis", "scipy", "neo4j")}
            | {"python": platform.python_version()},
            "counts": {"papers_read": len(read.papers), "mentions": sum(len(x.mentions) for x in result.extractions),
                       "skipped": len(read.problems), "acronyms": len(result.acronyms.rows()),
                       "merges": len(result.merges), **co_stats},
            "problems": old.get("problems", []) + [str(p) for p in read.problems],
            # the only section that may differ between two runs over the same input
            "run": {"workers": _workers(workers, n_extracted), "batch_size": batch_size, "dask": bool(dask),
                    "extracted": n_extracted, "cached": len(read.papers) - n_extracted, "update": update,
                    "timings": timings},
        }

        def changes(stage: Path) -> None:
            # the previous build's tables are still in ``out``: the staged files replace them at the very end
            from citegraph.graph.builddir.files import write_json

            write_json(stage / "changes.json", graph_changes(before["summary"] or load_graph(out), G))

        t = time.perf_counter()
        written = writer.finish(G, read.papers, manifest=manifest, render_html=render if html else None,
                                extra={"changes.json": changes} if previous is not None else None)
        timings["write"] = time.perf_counter() - t
    _finish(read.papers, read.problems, strict)
    written["counts"].update(extracted=n_extracted, cached=len(read.papers) - n_extracted)
    return written


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


COMMANDS = [build_cmd, extract_cmd]
