"""The build's CSV tables: ``papers.csv``, ``entities.csv``, ``cooccurrence.csv``, ``acronyms.csv`` and
``merges.csv`` (their columns and rows), and the CSV writing they share (RFC 4180 quoting, ``\\n`` line ends, lists
``|``-joined, as in GraphML and GEXF, which have no list type either).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from citegraph.extract.records import Paper
from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.builddir.files import atomic_write
from citegraph.graph.formats.citation_tables import citation_counts

__all__ = ["LIST_SEPARATOR", "PAPER_COLUMNS", "ENTITY_COLUMNS", "ACRONYM_COLUMNS", "COOCCURRENCE_COLUMNS",
           "MERGE_COLUMNS", "FORMULA_STARTS", "write_csv", "csv_cell", "spreadsheet_safe", "flatten_lists",
           "paper_rows", "entity_rows", "record_rows", "cooccurrence_lines", "list_item", "RELATION_COLUMNS",
           "relation_rows"]

#: what joins a list's items in a CSV cell or an XML attribute
LIST_SEPARATOR = "|"
PAPER_COLUMNS = ["id", "title", "dates", "url", "sources", "mentions", "entities", "doi", "year", "venue", "authors",
                 "cited_by", "cited_in_corpus", "references"]
ENTITY_COLUMNS = ["id", "key", "label", "name", "aliases", "paper_count", "mention_count", "first_date", "last_date",
                  "extraction_sources", "confidence", "max_confidence"]
ACRONYM_COLUMNS = ["short", "long", "key", "definitions", "papers", "chosen", "conflicting"]
COOCCURRENCE_COLUMNS = ["source", "target", "papers", "association_strength", "npmi", "paper_ids"]
MERGE_COLUMNS = ["paper_id", "field", "start", "end", "text", "from_key", "to_key", "reason"]
RELATION_COLUMNS = ["head", "type", "tail", "head_name", "tail_name", "papers", "score", "paper_ids", "evidence"]


#: what a spreadsheet may read as the start of a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula (it starts with ``= + - @``, a tab or a CR) with a
    single quote in front, OWASP's rule for CSV injection; numbers and other text are returned as they are.

    >>> spreadsheet_safe("=1+2"), spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("a-b"), spreadsheet_safe(-0.5)
    ("'=1+2", "'@SUM(A1)", 'a-b', -0.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cells(row: Iterable[Any]) -> list[Any]:
    join, seq = LIST_SEPARATOR.join, (list, tuple)
    return [spreadsheet_safe(join(map(str, v)) if isinstance(v, seq) else v) for v in row]


def write_csv(path: str | Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """A CSV file (RFC 4180 quoting, ``\\n`` line ends); list and tuple cells are ``|``-joined; text cells are
    made safe for spreadsheets (:func:`spreadsheet_safe`)."""
    with atomic_write(path) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(_cells(row) for row in rows)


def csv_cell(value: str) -> str:
    """``value`` as one cell of a CSV line, quoted and made safe for spreadsheets as :func:`write_csv` does.

    >>> csv_cell("a"), csv_cell("a,b"), csv_cell('say "hi" now'), csv_cell("=1+1")
    ('a', '"a,b"', '"say ""hi"" now"', "'=1+1")
    """
    buf = io.StringIO()
    # a second cell: a lone empty cell is written ""
    csv.writer(buf, lineterminator="\n").writerow([spreadsheet_safe(value), ""])
    return buf.getvalue()[:-2]


def paper_rows(G: BuiltGraph, papers: Sequence[Paper]) -> Iterator[list]:
    """The rows of papers.csv (:data:`PAPER_COLUMNS`): each paper with its mentions and distinct entities, its
    bibliographic fields (``cited_by``: the source's global count) and its citations within the corpus and
    distinct works cited (:func:`~citegraph.graph.formats.citation_tables.citation_counts`)."""
    nodes, entities = G.core.nodes, G.entity_counts()
    cited, cites = citation_counts(G)
    return ([p.id, p.title, list(p.dates), p.url, list(p.sources), nodes[f"paper:{p.id}"]["mention_count"],
             entities[f"paper:{p.id}"], p.doi, "" if p.year is None else p.year, p.venue, list(p.authors),
             "" if p.cited_by is None else p.cited_by, cited[f"paper:{p.id}"], cites[f"paper:{p.id}"]]
            for p in papers)


def entity_rows(G: BuiltGraph) -> Iterator[list]:
    """The rows of entities.csv (:data:`ENTITY_COLUMNS`), by entity id."""
    entities = sorted((n, d) for n, d in G.core.nodes(data=True) if d["kind"] == "entity")
    return ([n, *(d[k] for k in ENTITY_COLUMNS[1:])] for n, d in entities)


def relation_rows(G: BuiltGraph) -> Iterator[list]:
    """relations.csv: the typed relation edges (USED_FOR, ...) as ``head type tail``, sorted, with both entities'
    names, the papers stating the relation, the mean score and the evidence sentences (``paper:field:start-end``).
    """
    from citegraph.graph.build.typed_relations import RELATION_TYPES

    types, nodes = set(RELATION_TYPES.values()), G.core.nodes
    rows = sorted((d["head"], d["type"], d["tail"], d) for _, _, d in G.core.edges(data=True)
                  if d.get("type") in types)
    for head, rtype, tail, d in rows:
        yield [head, rtype, tail, nodes[head].get("name", ""), nodes[tail].get("name", ""), d["papers"], d["score"],
               d["paper_ids"], [f"{e['paper']}:{e['field']}:{e['start']}-{e['end']}" for e in d["evidence"]]]


def record_rows(columns: list[str], records: Iterable[dict]) -> Iterator[list]:
    """The rows of acronyms.csv or merges.csv: each record's values of ``columns``."""
    return ([r[k] for k in columns] for r in records)


def cooccurrence_lines(G: BuiltGraph) -> Iterator[str]:
    """The lines of cooccurrence.csv after its header: the text :func:`write_csv` writes for ``[u, v, papers,
    association_strength, npmi, paper_ids]`` rows. The edges kept as columns are formatted straight from them, each
    entity and paper id quoted once instead of once a row; then those a graph holds in its core (a networkx graph
    behind :meth:`~citegraph.graph.build.built.BuiltGraph.from_networkx` holds them all there, a build none)."""
    c = G.cooccurs
    names = [csv_cell(n) for n in G.entity_nodes]
    ids = G.ids_by_rank.tolist()
    plain = all(csv_cell(i) == i for i in ids)  # then no joined cell needs quoting either
    join = LIST_SEPARATOR.join
    for u, v, n, s_, q, shared in zip(c.a.tolist(), c.b.tolist(), c.papers.tolist(), c.strength, c.npmi, c.shared):
        cell = join([ids[r] for r in shared.tolist()])
        yield f"{names[u]},{names[v]},{n},{s_},{q},{cell if plain else csv_cell(cell)}"
    core = sorted((u, v, d) for u, v, d in G.core.edges(data=True) if d.get("type") == "CO_OCCURS")
    for u, v, d in core:
        yield _csv_line([u, v, d["papers"], d["association_strength"], d["npmi"], d["paper_ids"]])


def _csv_line(row: list) -> str:
    """One row as :func:`write_csv` writes it, without the line end."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(_cells(row))
    return buf.getvalue()[:-1]


def flatten_lists(G: nx.DiGraph) -> nx.DiGraph:
    """A copy whose list attributes are ``|``-joined strings (GraphML and GEXF have no list type)."""
    H = nx.DiGraph()
    H.graph.update({k: _flat(v) for k, v in G.graph.items()})
    for n, d in sorted(G.nodes(data=True)):
        H.add_node(n, **{k: _flat(v) for k, v in sorted(d.items())})
    for u, v, d in sorted(G.edges(data=True)):
        H.add_edge(u, v, **{k: _flat(x) for k, x in sorted(d.items())})
    return H


def list_item(value: Any) -> str:
    """One item of a list attribute as text: a dict (a typed relation's evidence) as compact sorted JSON.

    >>> list_item({"paper": "p1", "start": 0}), list_item(3)
    ('{"paper":"p1","start":0}', '3')
    """
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(list_item(v) for v in value)
    if value is None:
        return ""
    return value
