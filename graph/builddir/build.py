"""A build: the graph, the papers and their extractions, and the manifest that says what produced them; made by
the build job, saved into a build directory, and loaded back from one.

A build directory holds ``graph.json`` (networkx node-link), ``graph.graphml``, ``graph.gexf``, ``papers.csv``,
``entities.csv``, ``cooccurrence.csv``, ``papers.jsonl``, ``mentions.jsonl``, ``acronyms.csv``, ``merges.csv``,
``extraction-cache.jsonl``, ``graph.html`` and ``manifest.json`` (written last, listing every file with its
sha256).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from citegraph.extract.records import CitegraphError, Extraction, InputProblem, Paper
from citegraph.extract.resolve import ExtractResult
from citegraph.extract.runner.cache import CACHE_FILE, ExtractionCache
from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.builddir.files import write_lines
from citegraph.graph.formats.node_link import graph_from_json
from citegraph.graph.builddir.lock import BuildLock
from citegraph.graph.builddir.snapshot import MANIFEST, read_verified

__all__ = ["Build", "BuildParts", "load_build", "load_graph", "load_graph_and_manifest"]


@dataclass
class BuildParts:
    """What a build made in memory keeps for saving it: the graph's tables, the resolved extractions (with the
    acronym table and merges), the options it was made with, and the extraction cache."""

    built: BuiltGraph | None
    result: ExtractResult
    options: dict[str, Any]
    cache: ExtractionCache


@dataclass
class Build:
    """Everything a build holds: ``graph`` (the networkx graph that ``graph.json`` holds), ``papers`` and
    ``extractions`` by paper id, the ``manifest``, the input ``problems`` that were skipped, and the
    ``directory`` it was saved in or loaded from (``None`` for a build only in memory)."""

    papers: dict[str, Paper] = field(default_factory=dict)
    extractions: dict[str, Extraction] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    problems: list[InputProblem] = field(default_factory=list)
    directory: Path | None = None
    parts: BuildParts | None = field(default=None, repr=False)
    _graph: nx.DiGraph | None = field(default=None, repr=False)

    @property
    def graph(self) -> nx.DiGraph:
        """The whole graph (papers, entities, references and every edge), as ``graph.json`` holds it."""
        if self._graph is None:
            if self.parts is not None and self.parts.built is not None:
                self._graph = self.parts.built.to_networkx()
            elif self.directory is not None:
                self._graph = load_graph(self.directory)
            else:
                raise CitegraphError("this build holds no graph")
        return self._graph

    def map_writer(self, changes: Mapping[str, Any] | None = None) -> Callable[[Path], dict]:
        """``write(path)``: the entity map of this build into ``path`` (graph.html); returns what was drawn. With
        ``changes`` (what ``build --update`` added, as in changes.json) the map shows what is new."""
        from citegraph.graph.view.render import DEFAULT_MAX_NODES, render_html

        max_nodes = (self.manifest.get("parameters", {}).get("max_nodes") or DEFAULT_MAX_NODES)
        built = self.parts.built if self.parts is not None else None
        papers, extractions = self.papers, self.extractions

        def write(path: Path) -> dict:
            # the entity map draws entities and CO_OCCURS, and lists the papers behind them (MENTIONS)
            G = built.to_networkx(related=False) if built is not None else self.graph
            return render_html(G, path, papers=papers, extractions=extractions, max_nodes=max_nodes, changes=changes)

        return write

    def save(self, out: str | Path, *, force: bool = False) -> dict[str, Any]:
        """Write this build into the directory ``out``, exactly what ``citegraph build --out out`` writes (the
        manifest's ``run`` section aside); returns the manifest written. A loaded build is copied file by file.

        ``out`` must be new, empty or a citegraph build; ``force`` allows another folder, where only citegraph's
        own file names are replaced."""
        out = Path(out)
        if self.parts is None or self.parts.built is None:
            return self._copy(out, force=force)
        from citegraph.graph.builddir.writer import write_build

        manifest = json.loads(json.dumps(self.manifest))  # the writer adds its sections to a copy
        for key in ("outputs", "html"):
            manifest.pop(key, None)
        result, cache, papers = self.parts.result, self.parts.cache, list(self.papers.values())
        extra = {CACHE_FILE: lambda stage: write_lines(stage / CACHE_FILE, cache.lines(papers))}
        html = self.parts.options.get("html", True)
        with BuildLock(out, force=force):
            written = write_build(out, self.parts.built, papers, result.extractions,
                                  acronyms=result.acronyms.rows(), merges=result.merges, manifest=manifest,
                                  render_html=self.map_writer() if html else None, extra=extra)
        self.directory = out
        return written

    def _copy(self, out: Path, *, force: bool = False) -> dict[str, Any]:
        if self.directory is None:
            raise CitegraphError("this build has nothing to save")
        if out.resolve() == self.directory.resolve():
            return self.manifest
        from citegraph.graph.builddir.writer import BuildWriter

        names = [n for n in self.manifest.get("outputs", {}) if n != MANIFEST]
        with BuildLock(out, force=force), BuildWriter(out) as writer:
            manifest, files = read_verified(self.directory, [*names, MANIFEST])
            for name, data in files.items():
                if data is not None:
                    (writer.stage / name).write_bytes(data)
            writer.move_into_place(manifest)
        return manifest


def load_graph(build_dir: str | Path) -> nx.DiGraph:
    """The graph of a build directory (from ``graph.json``, as its manifest lists it:
    :func:`~citegraph.graph.builddir.snapshot.read_verified`)."""
    _, files = read_verified(build_dir, ["graph.json"])
    return _graph_of(Path(build_dir) / "graph.json", files["graph.json"])


def load_graph_and_manifest(build_dir: str | Path) -> tuple[nx.DiGraph, dict[str, Any]]:
    """The graph of a build directory and the manifest of the same version of the build."""
    manifest, files = read_verified(build_dir, ["graph.json"])
    return _graph_of(Path(build_dir) / "graph.json", files["graph.json"]), manifest


def _graph_of(path: Path, data: bytes | None) -> nx.DiGraph:
    if data is None:
        raise CitegraphError(f"{path.parent} is not a citegraph build: {path.name} is missing")
    try:
        return graph_from_json(json.loads(data))
    except (ValueError, KeyError, TypeError, nx.NetworkXError) as e:
        raise CitegraphError(f"{path}: not a valid graph file ({e})") from e


def load_build(build_dir: str | Path, *, with_graph: bool = True, with_extractions: bool = True) -> Build:
    """Load ``graph.json``, ``papers.jsonl``, ``mentions.jsonl`` and ``manifest.json`` of a build directory, all of
    one version of the build (the files its manifest lists, with their sha256).

    ``with_graph=False`` only checks that ``graph.json`` is there (``--update`` does not need the graph itself;
    :attr:`Build.graph` reads it when asked); ``with_extractions=False`` skips ``mentions.jsonl``.
    """
    directory = Path(build_dir)
    names = ["graph.json", "papers.jsonl"] + (["mentions.jsonl"] if with_extractions else [])
    manifest, files = read_verified(directory, names)  # one version of the build, whatever a writer does meanwhile
    if files["graph.json"] is None:
        raise CitegraphError(f"{build_dir} is not a citegraph build: graph.json is missing")
    graph = _graph_of(directory / "graph.json", files["graph.json"]) if with_graph else None
    papers: dict[str, Paper] = {}
    extractions: dict[str, Extraction] = {}
    for row in _jsonl_rows(directory / "papers.jsonl", files["papers.jsonl"]):
        p = Paper.from_dict(row)
        papers[p.id] = p
    for row in _jsonl_rows(directory / "mentions.jsonl", files.get("mentions.jsonl")):
        x = Extraction.from_dict(row)
        extractions[x.id] = x
    return Build(papers=papers, extractions=extractions, manifest=manifest, directory=directory, _graph=graph)


def _jsonl_rows(path: Path, data: bytes | None) -> Iterator[dict[str, Any]]:
    if data is None:
        return
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except ValueError as e:
            raise CitegraphError(f"{path}:{lineno}: not valid JSON ({e})") from e
