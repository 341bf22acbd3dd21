"""Writing a build directory: every export (in forked jobs where it pays), the manifest, and staging so that an
interrupted build leaves the previous complete output in place. The formats themselves: :mod:`citegraph.graph.formats`.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import multiprocessing as mp
import os
import secrets
import shutil
import signal
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from citegraph.extract.records import LABELS, CitegraphError, Extraction, Paper
from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.builddir.files import atomic_write, write_json, write_jsonl, write_lines
from citegraph.graph.builddir.lock import alive
from citegraph.graph.builddir.snapshot import (MANIFEST, STAGING_MARKER, STAGING_PREFIX, drop_previous,
                                               keep_previous, read_manifest)
from citegraph.graph.formats.citation_tables import (AUTHOR_COLUMNS, CITATION_COLUMNS, REFERENCE_COLUMNS,
                                                     author_rows, citation_rows, reference_rows)
from citegraph.graph.formats.common import attribute_types
from citegraph.graph.formats.gexf import write_gexf
from citegraph.graph.formats.graphml import write_graphml
from citegraph.graph.formats.node_link import write_node_link_json
from citegraph.graph.formats.tables import (ACRONYM_COLUMNS, COOCCURRENCE_COLUMNS, ENTITY_COLUMNS, MERGE_COLUMNS,
                                            PAPER_COLUMNS, RELATION_COLUMNS, cooccurrence_lines, entity_rows,
                                            paper_rows, record_rows, relation_rows, write_csv)

__all__ = ["BuildWriter", "write_build", "graph_counts", "OUTPUT_FILES"]

log = logging.getLogger(__name__)

OUTPUT_FILES = ("graph.json", "graph.graphml", "graph.gexf", "papers.jsonl", "papers.csv", "entities.csv",
                "cooccurrence.csv", "relations.csv", "citations.csv", "references.csv", "authors.csv",
                "mentions.jsonl", "acronyms.csv", "merges.csv", "graph.html",
                "extraction-cache.jsonl", "changes.json", "manifest.json")


def _remove_dead_staging(out: Path) -> None:
    """Remove the staging folders of builds that were killed (their process is gone); called under the lock. Only a
    folder with citegraph's staging name that holds its marker file is ever removed."""
    for stale in out.glob(f"{STAGING_PREFIX}*"):
        pid = stale.name.removeprefix(STAGING_PREFIX).split("-", 1)[0]
        marker = stale / STAGING_MARKER
        if (stale.is_dir() and not stale.is_symlink() and marker.is_file() and pid.isdigit()
                and int(pid) != os.getpid() and not alive(int(pid))):
            log.warning("removing %s, left by an interrupted build (process %s is gone)", stale, pid)
            shutil.rmtree(stale, ignore_errors=True)


def graph_counts(G: BuiltGraph) -> dict[str, Any]:
    """Node counts by kind and label, edge counts by type (a networkx graph: :meth:`BuiltGraph.from_networkx`)."""
    nodes = G.core.nodes(data=True)
    kinds = Counter(d.get("kind") for _, d in nodes)
    labels = Counter(d.get("label") for _, d in nodes if d.get("kind") == "entity")
    types = G.edge_type_counts()
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "papers": kinds.get("paper", 0), "entities": kinds.get("entity", 0),
            "references": kinds.get("reference", 0),
            "entities_by_label": {lab: labels.get(lab, 0) for lab in LABELS},
            "edges_by_type": dict(sorted(types.items()))}


class _Job:
    """One part of the writing, run in a forked child (``parallel``) started now, or here when finished.

    ``work(stage)`` writes its files into ``stage`` and returns a JSON-able dict (the child hands it back in a file).
    """

    def __init__(self, name: str, work: Callable[[Path], dict], stage: Path) -> None:
        self.name, self.work, self.stage = name, work, stage
        self.proc = None

    @property
    def _result(self) -> Path:
        return self.stage / f".{self.name}-result.json"

    def start(self, parallel: bool) -> None:
        """Fork the child if ``parallel`` (and fork is available); else the work is done by :meth:`finish`."""
        if parallel and "fork" in mp.get_all_start_methods():
            # Ctrl-C is this process's to handle (it stops the child). Over the fork a SIGINT is only noted, and
            # raised here once the child is known: raised inside the fork, it would land in an at-fork hook (such as
            # logging's), which swallows it. The child inherits the noting handler until it ignores SIGINT.
            noted: list[int] = []
            previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
            try:
                proc = mp.get_context("fork").Process(target=self._child, name=f"citegraph-{self.name}", daemon=True)
                proc.start()
                self.proc = proc
            finally:
                signal.signal(signal.SIGINT, previous)
            if noted and callable(previous):
                previous(signal.SIGINT, None)  # KeyboardInterrupt by default: the caller stops the child

    def _child(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            result = {"result": self.work(self.stage)}
        except CitegraphError as e:  # a domain failure is the user's error message here too, not a traceback
            result = {"error": str(e)}
        except OSError as e:  # a full disk: the parent says it once, in one sentence
            where = f" ({e.filename})" if e.filename else ""
            result = {"error": f"writing the build into {self.stage.parent} failed: {e.strerror or e}{where}; the "
                               "build that was there is unchanged"}
        try:
            self._result.write_text(json.dumps(result), encoding="utf-8")
        except OSError:
            os._exit(1)  # not even the result fits: the parent reports the failure, no second traceback

    def finish(self) -> dict:
        """Wait for the child (or do the work here if no child does it); what ``work`` returned."""
        if self.proc is None:
            return self.work(self.stage)
        self.proc.join()
        if self.proc.exitcode != 0 or not self._result.exists():
            raise CitegraphError(f"writing {self.name} into {self.stage.parent} failed in process {self.proc.pid} "
                                 f"(exit code {self.proc.exitcode}; is the disk full?); the build that was there "
                                 "is unchanged")
        result = json.loads(self._result.read_text(encoding="utf-8"))
        self._result.unlink()
        if "error" in result:
            raise CitegraphError(result["error"])
        return result["result"]

    def stop(self) -> None:
        """Stop a child that is still running (this side failed)."""
        if self.proc is not None and self.proc.is_alive():
            self.proc.terminate()
            self.proc.join()


def _timed_files(files: dict[str, Callable[[Path], Any]]) -> Callable[[Path], dict]:
    """A job writing ``files`` (name: ``write(stage)``) in order; it returns the seconds each took and their sha256.
    A writer's return value is kept under ``returned`` (the map's drawing figures)."""

    def work(stage: Path) -> dict:
        seconds, returned = {}, {}
        for name, write in files.items():
            t = time.perf_counter()
            value = write(stage)
            seconds[name] = round(time.perf_counter() - t, 3)
            if value is not None:
                returned[name] = value
        return {"seconds": seconds, "sha256": {name: _sha256(stage / name) for name in files},
                "returned": returned}

    return work


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _writing(name: str, write: Callable[[Any], None]) -> Callable[[Path], None]:
    """``write(fh)`` into ``stage / name``, atomically."""

    def run(stage: Path) -> None:
        with atomic_write(stage / name) as fh:
            write(fh)

    return run


class BuildWriter:
    """The files of one build, staged in a folder inside ``out_dir`` and renamed into place by :meth:`finish`, the
    manifest last, so an interrupted build leaves the previous complete output (or nothing) behind; leaving the
    context without :meth:`finish` (an error, Ctrl-C) stops the writing and removes the staging folder.

    The per-paper files do not need the graph: :meth:`start_records` starts them as soon as the extractions are
    resolved, and ``citegraph build`` builds the graph meanwhile. :meth:`finish` writes the graph's files. With
    ``parallel`` (and the ``fork`` start method, as on Linux), the records, GraphML, GEXF and the map are each
    written by a forked child while this process writes the rest: the same bytes, sooner, for the memory of the
    pages the children touch.
    """

    def __init__(self, out_dir: str | Path, *, parallel: bool = False) -> None:
        self.out = Path(out_dir)
        self.parallel = parallel
        self.stage = self.out / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        self.jobs: dict[str, _Job] = {}

    def __enter__(self) -> BuildWriter:
        try:  # an interrupt (Ctrl-C) at any point after the folder is made removes it
            _remove_dead_staging(self.out)
            self.stage.mkdir(parents=True)  # a new random name: never a folder of someone else's
            (self.stage / STAGING_MARKER).write_text(str(os.getpid()), encoding="utf-8")
        except BaseException as e:
            shutil.rmtree(self.stage, ignore_errors=True)
            if isinstance(e, OSError):
                raise CitegraphError(f"cannot write a build into {self.out}: {e.strerror or e}") from e
            raise
        return self

    def __exit__(self, *exc) -> None:
        for job in self.jobs.values():  # still running if this side failed: stop it
            job.stop()
        shutil.rmtree(self.stage, ignore_errors=True)

    def _start(self, name: str, files: dict[str, Callable[[Path], Any]]) -> None:
        self.jobs[name] = job = _Job(name, _timed_files(files), self.stage)
        job.start(self.parallel)

    def start_records(self, papers: Sequence[Paper], extractions: Sequence[Extraction], *, acronyms: Sequence[dict],
                      merges: Sequence[dict], extra: dict[str, Callable[[Path], None]] | None = None) -> None:
        """Start writing papers.jsonl, mentions.jsonl, acronyms.csv and merges.csv, then ``extra``'s files (name:
        ``write(stage)``)."""
        self._start("records", {
            "papers.jsonl": lambda stage: write_jsonl(stage / "papers.jsonl", (p.to_dict() for p in papers)),
            # write_jsonl's very lines
            "mentions.jsonl": lambda stage: write_lines(stage / "mentions.jsonl", (x.to_json() for x in extractions)),
            "acronyms.csv": lambda stage: write_csv(
                stage / "acronyms.csv", ACRONYM_COLUMNS, record_rows(ACRONYM_COLUMNS, acronyms)),
            "merges.csv": lambda stage: write_csv(
                stage / "merges.csv", MERGE_COLUMNS, record_rows(MERGE_COLUMNS, merges)),
            **(extra or {})})

    def finish(self, G: BuiltGraph, papers: Sequence[Paper], *, manifest: dict[str, Any],
               render_html: Callable[[Path], dict] | None = None,
               extra: dict[str, Callable[[Path], None]] | None = None) -> dict[str, Any]:
        """Write the graph's files (GraphML, GEXF and the map in a job each, the rest here, then ``extra``'s
        files, name: ``write(stage)``), wait for every job, write the manifest and move everything into place;
        returns the manifest."""
        if "records" not in self.jobs:
            raise ValueError("start_records comes before finish")
        try:
            self._start_graph_jobs(G, render_html)
            # the files written here are hashed while the children still write theirs; they hash their own
            results = {"here": self._write_here(G, papers, extra)}
            results.update((name, job.finish()) for name, job in self.jobs.items())
            self._write_manifest(G, manifest, results, html=render_html is not None)
            self.move_into_place(manifest)
        except OSError as e:  # a full disk, a folder made read-only meanwhile: one sentence, the old build intact
            where = f" ({e.filename})" if e.filename else ""
            raise CitegraphError(f"writing the build into {self.out} failed: {e.strerror or e}{where}; the build "
                                 "that was there is unchanged") from e
        return manifest

    def _start_graph_jobs(self, G: BuiltGraph, render_html: Callable[[Path], dict] | None) -> None:
        """Start the jobs writing GraphML, GEXF and (with ``render_html``) the map."""
        types = attribute_types(G)
        self._start("graphml", {"graph.graphml": _writing("graph.graphml",
                                                          lambda fh: write_graphml(G, fh, types=types))})
        self._start("gexf", {"graph.gexf": _writing("graph.gexf", lambda fh: write_gexf(G, fh, types=types))})
        if render_html is not None:
            self._start("html", {"graph.html": lambda stage: render_html(stage / "graph.html")})

    def _write_here(self, G: BuiltGraph, papers: Sequence[Paper],
                    extra: dict[str, Callable[[Path], None]] | None) -> dict:
        """Write graph.json and the graph's tables (papers.csv, entities.csv, cooccurrence.csv, relations.csv,
        citations.csv, references.csv, authors.csv), then ``extra``'s
        files, in this process; their seconds and sha256 (what a job returns)."""
        def cooccurrence(stage: Path) -> None:
            write_lines(stage / "cooccurrence.csv",
                        itertools.chain([",".join(COOCCURRENCE_COLUMNS)], cooccurrence_lines(G)))

        return _timed_files({
            "graph.json": _writing("graph.json", lambda fh: write_node_link_json(G, fh)),
            "papers.csv": lambda stage: write_csv(stage / "papers.csv", PAPER_COLUMNS, paper_rows(G, papers)),
            "entities.csv": lambda stage: write_csv(stage / "entities.csv", ENTITY_COLUMNS, entity_rows(G)),
            "cooccurrence.csv": cooccurrence,
            "relations.csv": lambda stage: write_csv(stage / "relations.csv", RELATION_COLUMNS, relation_rows(G)),
            **_citation_files(G),
            **(extra or {})})(self.stage)

    def _write_manifest(self, G: BuiltGraph, manifest: dict[str, Any], results: dict[str, dict], *,
                        html: bool) -> None:
        """Add the map's figures (``html``), the seconds each file took, the graph's counts and every staged
        file's size and sha256 to ``manifest``, and stage it as manifest.json."""
        seconds = {name: s for r in results.values() for name, s in r["seconds"].items()}
        digests = {name: h for r in results.values() for name, h in r["sha256"].items()}
        if html:
            manifest["html"] = results["html"]["returned"]["graph.html"]
        run = manifest.setdefault("run", {})
        run["write_seconds"] = dict(sorted(seconds.items()))
        # the folder's lineage: kept by every later build into it (--update, rebuilds), so that a push removes
        # what an earlier push of this folder wrote and this build no longer has
        old = read_manifest(self.out) or {}
        run["lineage"] = (old.get("run") or {}).get("lineage") or manifest.get("run", {}).get("lineage") \
            or uuid.uuid4().hex
        manifest["counts"] = {**graph_counts(G), **manifest.get("counts", {})}
        stage = self.stage
        manifest["outputs"] = {f.name: {"bytes": f.stat().st_size, "sha256": digests.get(f.name) or _sha256(f)}
                               for f in sorted(stage.iterdir()) if f.is_file() and f.name != STAGING_MARKER}
        write_json(stage / "manifest.json", manifest)

    def move_into_place(self, manifest: dict[str, Any]) -> None:
        """Rename every staged file into the output folder, the manifest last, then remove the outputs of the
        previous build that this one did not make. Until the new manifest is in place, the previous build's files
        stay readable through hard links in :data:`~citegraph.graph.builddir.snapshot.PREVIOUS_DIR`, so a reader
        sees one build or the other (:func:`~citegraph.graph.builddir.snapshot.read_verified`). Only names the
        previous manifest listed are ever removed: a file of the user's is never deleted."""
        old = read_manifest(self.out) or {}
        old_outputs = [n for n in old.get("outputs") or {} if _plain_name(n)]
        keep_previous(self.out, old_outputs)
        staged = sorted((f for f in self.stage.iterdir() if f.is_file() and f.name != STAGING_MARKER),
                        key=lambda f: f.name == MANIFEST)
        for f in staged:
            os.replace(f, self.out / f.name)
        _fsync_dir(self.out)
        for name in set(old_outputs) - set(manifest["outputs"]) - {MANIFEST}:
            with contextlib.suppress(FileNotFoundError):  # an output of the previous build that this one did not make
                (self.out / name).unlink()
        drop_previous(self.out)


def _plain_name(name: str) -> bool:
    """A file name a manifest may list: no folder, nothing hidden (a damaged manifest cannot name other files)."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _citation_files(G: BuiltGraph) -> dict[str, Callable[[Path], None]]:
    """The citation network's tables: citations.csv, references.csv and authors.csv."""
    return {name: (lambda stage, name=name, columns=columns, rows=rows: write_csv(stage / name, columns, rows(G)))
            for name, columns, rows in (("citations.csv", CITATION_COLUMNS, citation_rows),
                                        ("references.csv", REFERENCE_COLUMNS, reference_rows),
                                        ("authors.csv", AUTHOR_COLUMNS, author_rows))}


def write_build(out_dir: str | Path, G: BuiltGraph, papers: Sequence[Paper],
                extractions: Sequence[Extraction], *, acronyms: Sequence[dict], merges: Sequence[dict],
                manifest: dict[str, Any],
                render_html: Callable[[Path], dict] | None = None,
                extra: dict[str, Callable[[Path], None]] | None = None,
                parallel: bool = False) -> dict[str, Any]:
    """Write every output of a build into ``out_dir`` (a :class:`BuildWriter` used in one go); returns the manifest
    written. ``G`` is what :func:`citegraph.graph.build.tables.build_tables` returns (a networkx graph:
    :meth:`BuiltGraph.from_networkx`); ``extra`` (name: ``write(stage)``) writes more files."""
    with BuildWriter(out_dir, parallel=parallel) as writer:
        writer.start_records(papers, extractions, acronyms=acronyms, merges=merges, extra=extra)
        return writer.finish(G, papers, manifest=manifest, render_html=render_html)
