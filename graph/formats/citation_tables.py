"""The citation network's CSV tables: ``citations.csv`` (every CITES edge), ``references.csv`` (the reference
nodes) and ``authors.csv`` (the author nodes with their papers), and the citation columns of ``papers.csv``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from citegraph.graph.build.built import BuiltGraph

__all__ = ["CITATION_COLUMNS", "REFERENCE_COLUMNS", "AUTHOR_COLUMNS", "citation_rows", "reference_rows",
           "author_rows", "citation_counts"]

CITATION_COLUMNS = ["source", "target", "target_kind", "count", "via"]
REFERENCE_COLUMNS = ["id", "key", "name", "first_author", "year", "title", "source", "volume", "page", "doi",
                     "paper_count"]
AUTHOR_COLUMNS = ["id", "key", "name", "paper_count", "papers"]


def citation_rows(G: BuiltGraph) -> Iterator[list]:
    """The rows of citations.csv (:data:`CITATION_COLUMNS`): each CITES edge, by source and target; ``target_kind``
    is ``paper`` for a paper of the corpus, ``reference`` otherwise; ``via`` how it was found (empty for an in-text
    reference alone)."""
    nodes = G.core.nodes
    edges = sorted((u, v, d) for u, v, d in G.core.edges(data=True) if d.get("type") == "CITES")
    return ([u, v, nodes[v].get("kind", ""), d.get("count", 1), list(d.get("via") or ())] for u, v, d in edges)


def reference_rows(G: BuiltGraph) -> Iterator[list]:
    """The rows of references.csv (:data:`REFERENCE_COLUMNS`), by reference id (missing parts empty)."""
    refs = sorted((n, d) for n, d in G.core.nodes(data=True) if d.get("kind") == "reference")
    return ([n, *("" if d.get(k) is None else d.get(k, "") for k in REFERENCE_COLUMNS[1:])] for n, d in refs)


def author_rows(G: BuiltGraph) -> Iterator[list]:
    """The rows of authors.csv (:data:`AUTHOR_COLUMNS`), by author id, with the ids of their papers."""
    core = G.core
    authors = sorted((n, d) for n, d in core.nodes(data=True) if d.get("kind") == "author")
    return ([n, d["key"], d["name"], d["paper_count"],
             sorted(v.removeprefix("paper:") for v, e in core.adj[n].items() if e.get("type") == "WROTE")]
            for n, d in authors)


def citation_counts(G: BuiltGraph) -> tuple[Counter, Counter]:
    """``(cited_in_corpus, references)`` by paper node: how many papers of the corpus cite it, and how many
    distinct works (papers of the corpus and reference nodes) it cites."""
    cited, cites = Counter(), Counter()
    for u, v, t in G.core.edges(data="type"):
        if t == "CITES":
            cites[u] += 1
            if v.startswith("paper:"):
                cited[v] += 1
    return cited, cites
