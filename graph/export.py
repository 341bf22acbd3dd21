"""Writing a build directory: every export, the manifest, a lock against concurrent builds, and staging so that an
interrupted build leaves the previous complete output in place."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import multiprocessing as mp
import os
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from extract.records import LABELS, CitegraphError, Extraction, Paper

from .build import BuiltGraph
from .io import atomic_write, write_csv, write_json, write_jsonl, write_lines
from .streaming import attribute_types, write_gexf, write_graphml, write_node_link_json

__all__ = ["BuildLock", "write_build", "graph_counts", "OUTPUT_FILES"]

log = logging.getLogger(__name__)

OUTPUT_FILES = ("graph.json", "graph.graphml", "graph.gexf", "papers.jsonl", "papers.csv", "entities.csv",
                "cooccurrence.csv", "mentions.jsonl", "acronyms.csv", "merges.csv", "graph.html",
                "extraction-cache.jsonl", "changes.json", "manifest.json")
LOCK_NAME = ".citegraph.lock"


class BuildLock:
    """An exclusive lock file in the output directory, naming the process that holds it."""

    def __init__(self, out_dir: str | Path) -> None:
        self.path = Path(out_dir) / LOCK_NAME

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder and _alive(holder):
                    raise CitegraphError(f"{self.path.parent} is being written by another build (lock {self.path} "
                                         f"held by process {holder}); wait for it or choose another --out") from None
                log.warning("removing a stale lock %s left by process %s, which is gone", self.path, holder)
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            return self
        raise CitegraphError(f"could not take the lock {self.path}")

    def _holder(self) -> int | None:
        try:
            return int(self.path.read_text().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == errno.EPERM
    return True


def _remove_dead_staging(out: Path) -> None:
    """Remove the staging folders of builds that were killed (their process is gone); called under the lock."""
    for stale in out.glob(".staging-*"):
        pid = stale.name.removeprefix(".staging-")
        if stale.is_dir() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            log.warning("removing %s, left by an interrupted build (process %s is gone)", stale, pid)
            shutil.rmtree(stale, ignore_errors=True)


def graph_counts(G: nx.DiGraph | BuiltGraph) -> dict[str, Any]:
    """Node counts by kind and label, edge counts by type."""
    nodes = G.core.nodes(data=True) if isinstance(G, BuiltGraph) else G.nodes(data=True)
    kinds = Counter(d.get("kind") for _, d in nodes)
    labels = Counter(d.get("label") for _, d in nodes if d.get("kind") == "entity")
    types = G.edge_type_counts() if isinstance(G, BuiltGraph) else Counter(d.get("type") for _, _, d in G.edges(data=True))
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
        self._result.write_text(json.dumps(result), encoding="utf-8")

    def finish(self) -> dict:
        """Wait for the child (or do the work here if no child does it); what ``work`` returned."""
        if self.proc is None:
            return self.work(self.stage)
        self.proc.join()
        if self.proc.exitcode != 0 or not self._result.exists():
            raise CitegraphError(f"writing {self.name} failed in process {self.proc.pid} "
                                 f"(exit code {self.proc.exitcode}); its error is above")
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


def _xml_files(G, types: dict, also: dict[str, Callable[[Path], None]]) -> Callable[[Path], dict]:
    """The job writing GraphML and GEXF, then the files of ``also`` (name: writer); it returns the seconds each
    took."""

    def work(stage: Path) -> dict[str, dict]:
        seconds = {}
        for name, writer in (("graph.graphml", write_graphml), ("graph.gexf", write_gexf)):
            t = time.perf_counter()
            with atomic_write(stage / name) as fh:
                writer(G, fh, types=types)
            seconds[name] = round(time.perf_counter() - t, 3)
        for name, write in also.items():
            t = time.perf_counter()
            write(stage)
            seconds[name] = round(time.perf_counter() - t, 3)
        return {"seconds": seconds, "sha256": {name: _sha256(stage / name) for name in seconds}}

    return work


def _html_file(render_html: Callable[[Path], dict]) -> Callable[[Path], dict]:
    """The job writing the map; it returns what ``render_html`` returns and the seconds it took."""

    def work(stage: Path) -> dict:
        t = time.perf_counter()
        drawn = render_html(stage / "graph.html")
        return {**drawn, "seconds": round(time.perf_counter() - t, 3), "sha256": _sha256(stage / "graph.html")}

    return work


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_build(out_dir: str | Path, G: nx.DiGraph | BuiltGraph, papers: Sequence[Paper], extractions: Sequence[Extraction],
                *, acronyms: Sequence[dict], merges: Sequence[dict], manifest: dict[str, Any],
                render_html: Callable[[Path], dict] | None = None,
                extra: Callable[[Path], None] | None = None,
                beside_xml: dict[str, Callable[[Path], None]] | None = None, parallel: bool = False) -> dict[str, Any]:
    """Write every output of a build into ``out_dir``; returns the manifest written.

    ``G`` is what :func:`graph.build.build_tables` returns (or the same graph as networkx). Files are first written into a staging folder inside ``out_dir`` and then renamed into place one by one, the
    manifest last, so an interrupted build leaves the previous complete output (or nothing) behind.

    ``extra(stage)`` writes more files into the staging folder; ``beside_xml`` (name: ``write(stage)``) too, after
    GraphML and GEXF and in the same process as they.

    With ``parallel`` (and the ``fork`` start method, as on Linux), GraphML and GEXF (and ``beside_xml``), and the
    map, are written by two forked child processes while this one writes the rest: the same bytes, sooner, for the
    memory of the pages the children touch.
    """
    out = Path(out_dir)
    _remove_dead_staging(out)
    stage = out / f".staging-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    seconds: dict[str, float] = {}  # time of each output, into the manifest's run section

    @contextlib.contextmanager
    def timed(name: str):
        t = time.perf_counter()
        yield
        seconds[name] = round(time.perf_counter() - t, 3)

    jobs: list[_Job] = []
    try:  # the staging folder is made inside: an interrupt (Ctrl-C) at any point after it removes it
        stage.mkdir(parents=True)
        built = G if isinstance(G, BuiltGraph) else None
        core = built.core if built else G
        if built:
            entity_count = {n: built.entity_count(i) for i, n in enumerate(built.paper_nodes)}
        else:
            entity_count = {n: sum(1 for v in G.successors(n) if G.edges[n, v].get("type") == "MENTIONS")
                            for n, d in G.nodes(data=True) if d.get("kind") == "paper"}
        types = attribute_types(G)
        # GraphML and GEXF, and the map, are written by forked children when ``parallel``, beside the rest here
        xml = _Job("xml", _xml_files(G, types, beside_xml or {}), stage)
        html = _Job("html", _html_file(render_html), stage) if render_html is not None else None
        jobs.extend(job for job in (xml, html) if job is not None)
        for job in jobs:
            job.start(parallel)
        with timed("graph.json"), atomic_write(stage / "graph.json") as fh:
            write_node_link_json(G, fh)
        t_tables = time.perf_counter()
        write_jsonl(stage / "papers.jsonl", (p.to_dict() for p in papers))
        write_lines(stage / "mentions.jsonl", (x.to_json() for x in extractions))  # write_jsonl's very lines
        write_csv(stage / "papers.csv", ["id", "title", "dates", "url", "sources", "mentions", "entities"],
                  ([p.id, p.title, list(p.dates), p.url, list(p.sources), core.nodes[f"paper:{p.id}"]["mention_count"],
                    entity_count[f"paper:{p.id}"]] for p in papers))
        entities = sorted((n, d) for n, d in core.nodes(data=True) if d["kind"] == "entity")
        write_csv(stage / "entities.csv", ["id", "key", "label", "name", "aliases", "paper_count", "mention_count",
                                           "first_date", "last_date", "extraction_sources"],
                  ([n, d["key"], d["label"], d["name"], d["aliases"], d["paper_count"], d["mention_count"],
                    d["first_date"], d["last_date"], d["extraction_sources"]] for n, d in entities))
        co_header = ["source", "target", "papers", "association_strength", "npmi", "paper_ids"]
        if built:
            write_csv(stage / "cooccurrence.csv", co_header, built.cooccurs_rows())
        else:
            co = sorted((u, v, d) for u, v, d in core.edges(data=True) if d["type"] == "CO_OCCURS")
            write_csv(stage / "cooccurrence.csv", co_header,
                      ([u, v, d["papers"], d["association_strength"], d["npmi"], d["paper_ids"]] for u, v, d in co))
        write_csv(stage / "acronyms.csv", ["short", "long", "key", "definitions", "papers", "chosen", "conflicting"],
                  ([r["short"], r["long"], r["key"], r["definitions"], r["papers"], r["chosen"], r["conflicting"]]
                   for r in acronyms))
        write_csv(stage / "merges.csv", ["paper_id", "field", "start", "end", "text", "from_key", "to_key", "reason"],
                  ([r[k] for k in ("paper_id", "field", "start", "end", "text", "from_key", "to_key", "reason")]
                   for r in merges))
        seconds["tables"] = round(time.perf_counter() - t_tables, 3)
        if extra is not None:
            with timed("extra"):
                extra(stage)
        # the files written here are hashed while the children still write theirs; they hash their own
        theirs = {"graph.graphml", "graph.gexf", "graph.html", *(beside_xml or {})}
        digests = {f.name: _sha256(f) for f in stage.iterdir()
                   if f.is_file() and f.name not in theirs and not f.name.startswith(".")}
        done = xml.finish()
        seconds.update(done["seconds"])
        digests.update(done["sha256"])
        if html is not None:
            drawn = html.finish()
            seconds["graph.html"] = drawn.pop("seconds")
            digests["graph.html"] = drawn.pop("sha256")
            manifest["html"] = drawn
        manifest.setdefault("run", {})["write_seconds"] = seconds
        manifest["counts"] = {**graph_counts(G), **manifest.get("counts", {})}
        manifest["outputs"] = {f.name: {"bytes": f.stat().st_size, "sha256": digests.get(f.name) or _sha256(f)}
                               for f in sorted(stage.iterdir()) if f.is_file()}
        write_json(stage / "manifest.json", manifest)
        for f in sorted(stage.iterdir(), key=lambda f: f.name == "manifest.json"):
            os.replace(f, out / f.name)
        for name in set(OUTPUT_FILES) - set(manifest["outputs"]) - {"manifest.json"}:
            with contextlib.suppress(FileNotFoundError):  # an output of an earlier run that this one did not make
                (out / name).unlink()
    finally:
        for job in jobs:  # still running if this side failed: stop it
            job.stop()
        shutil.rmtree(stage, ignore_errors=True)
    return manifest

