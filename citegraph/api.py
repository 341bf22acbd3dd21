"""The library's front door: read listings, extract their mentions, build the graph, save and load builds, and
draw the map, from Python. ``citegraph``'s top level re-exports these; the CLI is a thin layer over them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from citegraph.extract.readers.listings import ReadResult
    from citegraph.extract.records import Extraction, Paper
    from citegraph.graph.builddir.build import Build

__all__ = ["build", "extract", "load", "read", "render_map"]



def _inputs(inputs: str | Path | Mapping[str, Any] | Iterable[str | Path | Mapping[str, Any]]) -> list:
    if isinstance(inputs, (str, Path, Mapping)):
        return [inputs]
    return list(inputs)


def read(inputs: str | Path | Mapping[str, Any] | Iterable[str | Path | Mapping[str, Any]], *,
         fmt: str | None = None, year: int | None = None) -> ReadResult:
    """Read listing files and records (dicts with ``title`` and optionally ``abstract``, ``date``, ``url``,
    ``authors``, ``id``) and merge the same paper across them.

    Returns a :class:`~citegraph.extract.readers.listings.ReadResult`: ``papers`` (merged, in order of first
    appearance), ``problems`` (what was skipped, with file and line), ``files``.

    >>> r = read([{"title": "Attention Is All You Need", "abstract": "The Transformer."},
    ...           {"title": "attention is all you need", "date": "2017-06-12"}])
    >>> [(p.title, p.dates) for p in r.papers]
    [('Attention Is All You Need', ('2017-06-12',))]
    """
    from citegraph.graph.build.job import BuildOptions, read_inputs

    return read_inputs(_inputs(inputs), BuildOptions(fmt=fmt, year=year))


def extract(papers: Sequence[Paper], *, model: str | Path | None = None, rules_only: bool = False,
            workers: int | None = None, batch_size: int = 64) -> list[Extraction]:
    """The typed mentions, references, links, sentences and acronym definitions of each paper, in order, with
    every mention's key resolved across the papers (spellings, plurals and acronyms of one thing share a key) as a
    build resolves them with the model's graph threshold.

    ``model`` is a spaCy pipeline directory (default: the shipped model); ``rules_only`` uses the rule components
    on a blank English pipeline; ``workers`` extraction processes (default: every core from 200 papers).
    """
    from citegraph.extract.resolve import resolve_keys
    from citegraph.extract.runner.cached import extract_with_cache
    from citegraph.extract.runner.provenance import graph_threshold

    raw = extract_with_cache(papers, model=model, rules_only=rules_only, workers=workers, batch_size=batch_size).raw
    return resolve_keys(papers, raw, head_confidence=graph_threshold(model, blank=rules_only)).extractions


def build(inputs: str | Path | Mapping[str, Any] | Iterable[str | Path | Mapping[str, Any]] | None = None, *,
          fmt: str | None = None, year: int | None = None, model: str | Path | None = None,
          rules_only: bool = False, workers: int | None = None, batch_size: int = 64, related_k: int = 10,
          min_cooccurrence: int | str = "auto", max_nodes: int | None = None, html: bool = True,
          thesaurus: str | Path | None = None, min_papers: int = 1, min_confidence: float | None = None) -> Build:
    """Read, extract and build the knowledge graph of ``inputs`` (paths and/or record dicts; ``None``: the sample
    listing shipped with citegraph), in memory. The options are ``citegraph build``'s.

    Returns a :class:`~citegraph.graph.builddir.build.Build`: ``graph`` (networkx), ``papers``, ``extractions``,
    ``manifest``, ``problems``; ``save(out)`` writes what ``citegraph build --out out`` writes. Problems in the
    input are logged and kept in ``problems``; raises :class:`~citegraph.extract.records.CitegraphError` when no
    usable paper was read.

    >>> b = build([{"title": "BERT on SQuAD", "abstract": "We fine-tune BERT on SQuAD and GLUE."}], rules_only=True)
    >>> type(b.graph).__name__, sorted(b.papers) == [n[6:] for n in b.graph if n.startswith("paper:")]
    ('DiGraph', True)
    """
    from citegraph.graph.build.job import SAMPLE, BuildOptions, run_build

    options = BuildOptions(fmt=fmt, year=year or dt.date.today().year, model=model, rules_only=rules_only,
                           workers=workers, batch_size=batch_size, related_k=related_k,
                           min_cooccurrence=min_cooccurrence, max_nodes=max_nodes, html=html, thesaurus=thesaurus,
                           min_papers=min_papers, min_confidence=min_confidence)
    return run_build([SAMPLE] if inputs is None else _inputs(inputs), options)


def load(directory: str | Path) -> Build:
    """The build saved in ``directory`` (by ``citegraph build`` or :meth:`Build.save`): its papers,
    extractions and manifest, and its graph (read from ``graph.json``)."""
    from citegraph.graph.builddir.build import load_build

    return load_build(directory)


def render_map(build: Build | nx.DiGraph, *, focus: str | None = None, kinds: Sequence[str] | None = None,
               max_nodes: int | None = None, mode: str = "entities", seed: int = 0) -> str:
    """The interactive map of a build (or of a build graph) as one offline HTML page, what ``graph.html`` holds:
    ``focus`` an entity (name, alias, key or node id) to draw its neighbourhood, ``kinds`` the entity labels to
    keep, ``max_nodes`` the node budget, ``mode`` ``entities`` or ``papers``."""
    from citegraph.graph.view.render import DEFAULT_MAX_NODES, map_html

    graph = build if not hasattr(build, "papers") else build.graph
    papers = getattr(build, "papers", None)
    extractions = getattr(build, "extractions", None)
    html, _ = map_html(graph, papers=papers, extractions=extractions, focus=focus, kinds=kinds,
                       max_nodes=max_nodes or DEFAULT_MAX_NODES, mode=mode, seed=seed)
    return html
