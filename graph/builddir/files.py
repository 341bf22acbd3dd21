"""Reading and writing build directories: atomic files, the graph formats, and loading a build back.

A build directory holds ``graph.json`` (networkx node-link), ``graph.graphml``, ``graph.gexf``, ``papers.csv``,
``entities.csv``, ``cooccurrence.csv``, ``mentions.jsonl``, ``acronyms.csv``, ``merges.csv``, ``graph.html`` and
``manifest.json``. Every file is written to a temporary name in the same directory and renamed into place, so a
reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import networkx as nx


__all__ = [
    "atomic_write",
    "write_json",
    "write_csv",
    "write_jsonl",
    "write_lines",
    "graph_to_json",
    "graph_from_json",
    "flatten_lists",
]

LIST_SEPARATOR = "|"
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success fsync and rename it over ``path``.

    On any exception the temporary file is removed and ``path`` keeps its previous content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # a normal file's mode, not mkstemp's 0600
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_json(path: str | Path, data: Any, *, compact: bool = False) -> None:
    """Sorted-key JSON, indented for people or ``compact`` for big data (graph.json): one line through the json
    module's C encoder, several times faster than the indenting one, which is pure Python."""
    with atomic_write(path) as fh:
        if compact:
            fh.write(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        else:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")


def write_jsonl(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> None:
    with atomic_write(path) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True))
            fh.write("\n")


def write_lines(path: str | Path, lines: Iterable[str]) -> None:
    """Text lines (given without their newline), atomically."""
    with atomic_write(path) as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")


def write_csv(path: str | Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """A CSV file (RFC 4180 quoting, ``\\n`` line ends); list and tuple cells are ``|``-joined."""
    join, seq = LIST_SEPARATOR.join, (list, tuple)
    with atomic_write(path) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([join(map(str, v)) if isinstance(v, seq) else v for v in row] for row in rows)


def csv_cell(value: str) -> str:
    """``value`` as one cell of a CSV line, quoted as :func:`write_csv` quotes it.

    >>> csv_cell("a"), csv_cell("a,b"), csv_cell('say "hi" now')
    ('a', '"a,b"', '"say ""hi"" now"')
    """
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([value, ""])  # a second cell: a lone empty cell is written ""
    return buf.getvalue()[:-2]


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def graph_to_json(G: nx.DiGraph) -> dict[str, Any]:
    """Node-link data with nodes and links in sorted order, so equal graphs give equal files."""
    data = nx.node_link_data(G, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"]))
    return data


def graph_from_json(data: Mapping[str, Any]) -> nx.DiGraph:
    return nx.node_link_graph(data, directed=True, multigraph=False, edges="links")


def flatten_lists(G: nx.DiGraph) -> nx.DiGraph:
    """A copy whose list attributes are ``|``-joined strings (GraphML and GEXF have no list type)."""
    H = nx.DiGraph()
    H.graph.update({k: _flat(v) for k, v in G.graph.items()})
    for n, d in sorted(G.nodes(data=True)):
        H.add_node(n, **{k: _flat(v) for k, v in sorted(d.items())})
    for u, v, d in sorted(G.edges(data=True)):
        H.add_edge(u, v, **{k: _flat(x) for k, x in sorted(d.items())})
    return H


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None:
        return ""
    return value
