"""What a build added to the previous one: the content of ``changes.json`` after ``citegraph build --update``.

The comparison needs only a :class:`Summary` of each side (node ids by kind, the co-occurrence counts, the
citations between papers and the typed relations), so an update reads the previous build's small tables
(``papers.jsonl``, ``entities.csv``, ``cooccurrence.csv``, ``relations.csv``, ``references.csv``, ``authors.csv`` and
``citations.csv``; an older build's references from ``mentions.jsonl``) instead of loading its whole ``graph.json``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.build.typed_relations import RELATION_TYPES

_RELATION_TYPES = frozenset(RELATION_TYPES.values())

__all__ = ["Summary", "graph_changes", "summarize", "summarize_build"]


@dataclass
class Summary:
    """Node ids by kind, ``CO_OCCURS`` shared-paper counts, the citations between papers of the corpus and the typed
    relations' paper counts of one build."""

    papers: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)
    cooccurs: dict[tuple[str, str], int] = field(default_factory=dict)
    authors: set[str] = field(default_factory=set)
    citations: set[tuple[str, str]] = field(default_factory=set)  # CITES edges between papers of the corpus
    relations: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (head, type, tail) -> papers


def summarize(G: BuiltGraph) -> Summary:
    """The summary of a graph (a networkx graph: :meth:`BuiltGraph.from_networkx`)."""
    s = Summary()
    sets = {"paper": s.papers, "entity": s.entities, "reference": s.references, "author": s.authors}
    for n, d in G.core.nodes(data=True):
        if d.get("kind") in sets:
            sets[d["kind"]].add(n)
    s.cooccurs = G.cooccurs_counts()
    s.citations = {(u, v) for u, v, t in G.core.edges(data="type") if t == "CITES" and v.startswith("paper:")}
    s.relations = {(d["head"], d["type"], d["tail"]): d["papers"] for _, _, d in G.core.edges(data=True)
                   if d.get("type") in _RELATION_TYPES}
    return s


def summarize_build(directory: str | Path, paper_ids: Iterable[str] | None = None) -> Summary | None:
    """The summary of a build directory from its tables, or None if one of them is missing (an older build).

    ``paper_ids``: the build's paper ids where the caller has read ``papers.jsonl`` already."""
    d = Path(directory)
    names = ("papers.jsonl", "entities.csv", "cooccurrence.csv", "mentions.jsonl")
    if not all((d / n).is_file() for n in names):
        return None
    s = Summary()
    try:
        _read_tables(d, s, paper_ids)
    except (OSError, KeyError, TypeError, ValueError, IndexError):  # damaged: the caller falls back to graph.json
        return None
    return s


def _columns(path: Path, *names: str) -> Iterator[list[str]]:
    """The named columns of each row of a CSV file (by the header)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        at = [header.index(n) for n in names]
        for row in rows:
            yield [row[i] for i in at]


def _read_tables(d: Path, s: Summary, paper_ids: Iterable[str] | None) -> None:
    if paper_ids is None:
        with open(d / "papers.jsonl", encoding="utf-8") as fh:
            paper_ids = [json.loads(line)["id"] for line in fh if line.strip()]
    s.papers = {f"paper:{i}" for i in paper_ids}
    s.entities = {i for i, in _columns(d / "entities.csv", "id")}
    s.cooccurs = {(u, v): int(n) for u, v, n in _columns(d / "cooccurrence.csv", "source", "target", "papers")}
    if (d / "relations.csv").is_file():  # a build before typed relations has none
        s.relations = {(h, t, tail): int(n) for h, t, tail, n in _columns(d / "relations.csv", "head", "type", "tail",
                                                                          "papers")}
    if (d / "references.csv").is_file():  # the reference nodes, those of reference lists included
        s.references = {i for i, in _columns(d / "references.csv", "id")}
        s.authors = {i for i, in _columns(d / "authors.csv", "id")} if (d / "authors.csv").is_file() else set()
        s.citations = {(u, v) for u, v in _columns(d / "citations.csv", "source", "target")
                       if v.startswith("paper:")} if (d / "citations.csv").is_file() else set()
        return
    with open(d / "mentions.jsonl", encoding="utf-8") as fh:  # an older build: its in-text references
        # most papers cite nothing: their line says so and is not parsed
        s.references = {f"ref:{r['key']}" for line in fh if line.strip() and '"references": []' not in line
                        for r in json.loads(line).get("references", ())}


def graph_changes(before: nx.DiGraph | BuiltGraph | Summary, after: nx.DiGraph | BuiltGraph) -> dict[str, Any]:
    """New papers, new entities (first appearances), new and strengthened co-occurrence edges and typed relations
    (``[head, type, tail, papers]``, ``[head, type, tail, papers before, papers now]``), new reference nodes, new
    authors and new citations between papers of the corpus, sorted, and ``names``: the name of every node they
    mention (a paper's title), by id.

    Examples
    --------
    >>> a = nx.DiGraph(); a.add_node("entity:x", kind="entity"); a.add_node("entity:y", kind="entity")
    >>> a.add_edge("entity:x", "entity:y", type="CO_OCCURS", papers=1)
    >>> b = a.copy(); b.add_node("paper:p2", kind="paper"); b.add_node("entity:z", kind="entity", label="task")
    >>> b.edges["entity:x", "entity:y"]["papers"] = 2
    >>> c = graph_changes(a, b)
    >>> c["new_papers"], c["new_entities"], c["strengthened_edges"]
    (['paper:p2'], [{'id': 'entity:z', 'label': 'task', 'name': None}], [['entity:x', 'entity:y', 1, 2]])
    >>> b.nodes["paper:p2"]["title"] = "A new paper"; graph_changes(a, b)["names"]["paper:p2"]
    'A new paper'
    """
    if isinstance(before, nx.Graph):  # the graphs come as networkx graphs or as a build's tables
        before = BuiltGraph.from_networkx(before)
    if isinstance(after, nx.Graph):
        after = BuiltGraph.from_networkx(after)
    old = before if isinstance(before, Summary) else summarize(before)
    new = summarize(after)
    nodes = after.core.nodes
    old_co, new_co = old.cooccurs, new.cooccurs
    out = {
        "new_papers": sorted(new.papers - old.papers),
        "new_entities": [{"id": n, "label": nodes[n].get("label"), "name": nodes[n].get("name")}
                         for n in sorted(new.entities - old.entities)],
        "new_references": sorted(new.references - old.references),
        "new_authors": sorted(new.authors - old.authors),
        "new_citations": [[u, v] for u, v in sorted(new.citations - old.citations)],
        "new_edges": [[u, v, n] for (u, v), n in sorted(new_co.items()) if (u, v) not in old_co],
        "strengthened_edges": [[u, v, old_co[(u, v)], n] for (u, v), n in sorted(new_co.items())
                               if (u, v) in old_co and n > old_co[(u, v)]],
        "new_relations": [[*k, n] for k, n in sorted(new.relations.items()) if k not in old.relations],
        "strengthened_relations": [[*k, old.relations[k], n] for k, n in sorted(new.relations.items())
                                   if k in old.relations and n > old.relations[k]],
        "counts": {"papers": len(new.papers), "entities": len(new.entities), "references": len(new.references),
                   "authors": len(new.authors), "citations": len(new.citations),
                   "relations": len(new.relations)},
    }
    out["names"] = _names(nodes, out)
    return out


def _names(nodes, changes: dict[str, Any]) -> dict[str, str]:
    """The name of every node the changes mention (a paper's title, an entity's or a reference's name), by id."""
    ids = set(changes["new_papers"]) | set(changes["new_references"]) | set(changes["new_authors"])
    ids |= {e["id"] for e in changes["new_entities"]}
    ids |= {n for edge in changes["new_citations"] for n in edge}
    ids |= {n for edge in changes["new_edges"] + changes["strengthened_edges"] for n in edge[:2]}
    return {n: str(nodes[n].get("name") or nodes[n].get("title") or n) for n in sorted(ids) if n in nodes}
