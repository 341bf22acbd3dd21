"""The build job: listings (files or records) in, a :class:`~citegraph.graph.builddir.build.Build` out, and
written into a build directory when asked.

Read and merge the inputs, extract (through the build's cache), resolve keys across papers, assemble the graph,
and make the manifest. Writing a directory overlaps the per-paper files with the graph's assembly (a forked
writer) and, with ``update``, adds the inputs to the build already there and writes ``changes.json``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import platform
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import citegraph.extract
from citegraph.extract.readers.listings import ReadResult, read_listings
from citegraph.extract.records import CitegraphError, Paper
from citegraph.extract.resolve import ExtractResult, resolve_keys
from citegraph.extract.runner.cache import CACHE_FILE
from citegraph.extract.runner.cached import choose_workers, extract_with_cache, package_version
from citegraph.extract.runner.provenance import graph_threshold
from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.build.cooccurrence import COOCCURRENCE_BUDGET
from citegraph.graph.build.tables import build_tables
from citegraph.graph.build.thesaurus import apply_thesaurus, apply_to_authors, read_thesaurus
from citegraph.graph.builddir.build import Build, BuildParts, load_build
from citegraph.graph.builddir.changes import graph_changes, summarize_build
from citegraph.graph.builddir.files import write_json, write_lines
from citegraph.graph.builddir.lock import BuildLock
from citegraph.graph.builddir.writer import BuildWriter, graph_counts

__all__ = ["BuildOptions", "SAMPLE", "SAMPLE_NAME", "run_build", "read_inputs"]

log = logging.getLogger(__name__)

#: the listing ``citegraph build`` reads when given no input
SAMPLE = Path(citegraph.extract.__file__).resolve().parent / "samples" / "hf_trending_sample.txt"
#: what the sample's sources and the manifest call it: its place in the package, the same in every checkout
SAMPLE_NAME = "extract/samples/hf_trending_sample.txt"
#: up to this many papers, a build with more than one worker writes the per-paper files, GraphML, GEXF and the map
#: in forked processes beside the rest; above it the children's copies of the pages they touch (a few hundred MB at
#: 100,000 papers) are not worth it
PARALLEL_WRITE_MAX_PAPERS = 50_000
#: the versions the manifest records
_VERSIONED = ("spacy", "networkx", "pyvis", "scipy", "neo4j")


@dataclass(frozen=True)
class BuildOptions:
    """Everything that shapes a build besides its inputs (the ``citegraph build`` options)."""

    fmt: str | None = None  # force one input format (default: detected per file)
    year: int | None = None  # for dates written without a year (default: this year)
    model: str | Path | None = None  # a spaCy pipeline directory (default: the shipped model)
    rules_only: bool = False  # blank English + the rule components, no trained model
    workers: int | None = None  # extraction processes (default: every core from 200 papers)
    batch_size: int = 64  # texts per nlp.pipe batch
    dask: str | None = None  # a Dask scheduler's address to extract on
    related_k: int = 10  # RELATED_TO edges kept per paper
    min_cooccurrence: int | str = "auto"  # shared papers a CO_OCCURS edge needs, or "auto"
    max_nodes: int | None = None  # node budget of graph.html (default: the view's)
    html: bool = True  # write graph.html
    thesaurus: str | Path | None = None  # a CSV thesaurus (text, replace_by, label) applied to the mentions' keys
    min_papers: int = 1  # only entities in at least this many papers are in the graph
    #: only entities found with at least this confidence somewhere are in the graph (None: the model's choice)
    min_confidence: float | None = None

    def graph_confidence(self) -> float:
        """``min_confidence``, else the graph threshold the pipeline's calibration chose (0 for ``rules_only``)."""
        if self.min_confidence is not None:
            return self.min_confidence
        return graph_threshold(self.model, blank=self.rules_only)

    def parameters(self, year: int, year_assumed: bool) -> dict[str, Any]:
        """The manifest's ``parameters``."""
        return {"format": self.fmt, "year": year, "year_assumed": year_assumed, "related_k": self.related_k,
                "min_cooccurrence": self.min_cooccurrence, "max_nodes": self.max_nodes,
                "model": str(self.model) if self.model else "shipped", "rules_only": self.rules_only,
                "min_papers": self.min_papers, "min_confidence": self.graph_confidence()}


def read_inputs(inputs: Sequence[str | Path | Mapping[str, Any]], options: BuildOptions,
                existing: Sequence[Paper] = ()) -> ReadResult:
    """Read listing files and records (dicts with ``title``, ``abstract``, ``date``, ``url``, ``authors``, ``id``)
    and merge them (into ``existing`` papers); the embedded sample is named by its place in the package."""
    return read_listings(list(inputs), fmt=options.fmt, year=options.year or dt.date.today().year,
                         existing=existing, names={SAMPLE: SAMPLE_NAME})


def run_build(inputs: Sequence[str | Path | Mapping[str, Any]], options: BuildOptions = BuildOptions(), *,
              out: str | Path | None = None, update: bool = False,
              report: Callable[[str], None] | None = None, force: bool = False) -> Build:
    """Build the graph of ``inputs``; with ``out``, write the build directory too (``update``: add the inputs to
    the build already in ``out``, re-extracting only new or changed papers, and write ``changes.json``).

    ``report`` receives each problem found in the input and notes for the user, one line each, as they come
    (default: the log). Raises :class:`~citegraph.extract.records.CitegraphError` when no usable paper was read,
    or when ``out`` is locked by another build or cannot be written, or is a non-empty folder that holds no build
    (``force`` allows it: only citegraph's own file names are replaced there).
    """
    report = report or log.warning
    if update and out is None:
        raise CitegraphError("an update needs the build directory to add to")
    out = Path(out) if out is not None else None
    year = options.year or dt.date.today().year
    timings: dict[str, float] = {}
    if options.min_papers < 1:
        raise CitegraphError(f"--min-papers must be at least 1, not {options.min_papers}")
    if options.min_confidence is not None and not 0.0 <= options.min_confidence <= 1.0:
        raise CitegraphError(f"--min-confidence must be between 0 and 1, not {options.min_confidence}")
    thesaurus = read_thesaurus(options.thesaurus) if options.thesaurus is not None else None  # before any work
    with (BuildLock(out, force=force) if out is not None else contextlib.nullcontext()), \
            contextlib.ExitStack() as stack:
        previous = load_build(out, with_graph=False, with_extractions=False) if update else None
        t = time.perf_counter()
        read = read_inputs(inputs, options, existing=list(previous.papers.values()) if previous else [])
        for problem in read.problems:
            report(str(problem))
        if not read.papers:
            raise CitegraphError(f"no usable paper was read ({len(read.problems)} problem(s) reported)")
        timings["read"] = time.perf_counter() - t

        before: dict[str, Any] = {}  # the previous build's summary for changes.json, made while papers are extracted

        def summarize_previous() -> None:
            if previous is not None:
                before["summary"] = summarize_build(out, paper_ids=previous.papers)

        t = time.perf_counter()
        extraction = extract_with_cache(
            read.papers, model=options.model, rules_only=options.rules_only, workers=options.workers,
            batch_size=options.batch_size, dask=options.dask,
            cache_path=out / CACHE_FILE if out is not None else None, meanwhile=summarize_previous)
        result = resolve_keys(read.papers, extraction.raw, head_confidence=options.graph_confidence())
        names: dict[str, str] = {}
        matched: set[str] = set()
        people_matched: set[str] = set()
        graph_papers = read.papers  # the papers as the graph sees them: a thesaurus may rename their authors
        if thesaurus is not None:
            result.extractions, names, matched = apply_thesaurus(result.extractions, thesaurus, result.merges)
            result.merges.sort(key=lambda r: (r["paper_id"], r["field"], r["start"], r["reason"]))
            graph_papers, people_matched = apply_to_authors(read.papers, thesaurus)
            unmatched = sorted(set(thesaurus.rows) - matched - people_matched)
            if unmatched:
                report(f"note: {len(unmatched):,} of the {len(thesaurus.rows):,} rows of the thesaurus "
                       f"{thesaurus.path} matched no mention or author (by key: "
                       f"{', '.join(repr(k) for k in unmatched[:5])}{', ...' if len(unmatched) > 5 else ''})")
        timings["extract"] = time.perf_counter() - t
        cache = extraction.cache
        parts = BuildParts(built=None, result=result, options=asdict(options), cache=cache)  # the graph: below
        writer = None
        if out is not None:
            parallel = (choose_workers(options.workers, len(read.papers)) > 1
                        and len(read.papers) <= PARALLEL_WRITE_MAX_PAPERS)
            writer = stack.enter_context(BuildWriter(out, parallel=parallel))
            # the per-paper files do not need the graph: they are written (by a forked child) while it is built
            writer.start_records(read.papers, result.extractions, acronyms=result.acronyms.rows(),
                                 merges=result.merges,
                                 extra={CACHE_FILE: lambda stage: write_lines(stage / CACHE_FILE,
                                                                              cache.lines(read.papers))})
        t = time.perf_counter()
        co_stats: dict[str, Any] = {}
        built = build_tables(graph_papers, result.extractions, related_k=options.related_k,
                             min_cooccurrence=options.min_cooccurrence, stats=co_stats,
                             min_papers=options.min_papers, min_confidence=options.graph_confidence(),
                             names=names)
        timings["graph"] = time.perf_counter() - t
        if options.min_cooccurrence == "auto" and co_stats["cooccurrence_threshold"] > 1:
            report(f"note: {co_stats['cooccurring_pairs']:,} co-occurring entity pairs; CO_OCCURS edges keep the "
                   f"{co_stats['cooccurs_kept']:,} shared by at least {co_stats['cooccurrence_threshold']} papers "
                   f"(--min-cooccurrence auto keeps at most {COOCCURRENCE_BUDGET:,}; pass a number to choose)")
        parts.built = built
        old = previous.manifest if previous else {}
        manifest = _manifest(read, result, extraction.pipeline, options, year, old, co_stats)
        manifest["parameters"]["thesaurus"] = ({**thesaurus.manifest(), "matched_rows": len(matched | people_matched),
                                                "matched_author_rows": len(people_matched)}
                                               if thesaurus is not None else None)
        manifest["counts"] = {**graph_counts(built), **manifest["counts"]}
        manifest["run"] = {"workers": choose_workers(options.workers, extraction.extracted),
                           "batch_size": options.batch_size, "dask": bool(options.dask),
                           "extracted": extraction.extracted, "cached": len(read.papers) - extraction.extracted,
                           "update": update, "timings": timings}
        b = Build(papers={p.id: p for p in read.papers}, extractions={x.id: x for x in result.extractions},
                  manifest=manifest, problems=list(read.problems), parts=parts)
        if writer is not None:
            t = time.perf_counter()
            changed = None
            if previous is not None:
                # the previous build's tables are still in ``out``: the staged files replace them at the very end
                from citegraph.graph.builddir.build import load_graph

                changed = graph_changes(before["summary"] or load_graph(out), built)
            b.manifest = writer.finish(built, read.papers, manifest=manifest,
                                       render_html=b.map_writer(changes=changed) if options.html else None,
                                       extra={"changes.json": lambda stage: write_json(stage / "changes.json", changed)}
                                       if changed is not None else None)
            timings["write"] = time.perf_counter() - t
            b.directory = out
    return b


def _manifest(read: ReadResult, result: ExtractResult, pipeline: dict, options: BuildOptions, year: int,
              old: dict[str, Any], co_stats: dict[str, Any]) -> dict[str, Any]:
    """What produced the build: inputs with their digests, parameters, pipeline and versions, counts, problems
    (an update's manifest keeps the previous inputs and problems)."""
    assumed = read.year_assumed is not None or bool(old.get("parameters", {}).get("year_assumed"))
    return {
        "tool": "citegraph", "version": package_version("citegraph"), "command": "build",
        "inputs": old.get("inputs", []) + [{k: f[k] for k in sorted(f) if k != "year_assumed"} for f in read.files],
        "parameters": options.parameters(year, assumed),
        "pipeline": pipeline,
        "versions": {name: package_version(name) for name in _VERSIONED} | {"python": platform.python_version()},
        "counts": {"papers_read": len(read.papers), "mentions": sum(len(x.mentions) for x in result.extractions),
                   "skipped": len(read.problems), "acronyms": len(result.acronyms.rows()),
                   "merges": len(result.merges), **co_stats},
        "problems": old.get("problems", []) + [str(p) for p in read.problems],
    }
