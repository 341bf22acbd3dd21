"""A build's graph as :func:`citegraph.graph.build.tables.build_tables` makes it: :class:`BuiltGraph` keeps the
nodes and the CITES edges in networkx and its three biggest edge sets as arrays (MENTIONS, CO_OCCURS as
:class:`Cooccurs` columns, RELATED_TO), and streams every edge in sorted order through an :class:`EdgeMaker`.

It is the one interface the writers read (:mod:`citegraph.graph.formats`): :meth:`BuiltGraph.from_networkx` puts
any networkx graph behind the same methods, with every edge in the core.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import networkx as nx
import numpy as np
import scipy.sparse as sp

__all__ = ["BuiltGraph", "EdgeMaker", "Cooccurs", "RUN"]

#: CO_OCCURS edges are handed to a writer in lists of at most this many (BuiltGraph.edge_runs)
RUN = 10_000
#: a networkx graph's edges are handed to a writer in lists of at most this many
_GRAPH_RUN = 4096


class BuiltGraph:
    """A build's graph with its three biggest edge sets kept as arrays: every node, the CITES edges and the typed
    relations between entities in a networkx graph (``core``), MENTIONS as a sparse paper × entity count matrix,
    CO_OCCURS as :class:`Cooccurs` columns and RELATED_TO as index arrays.

    On 100,000 abstracts MENTIONS and RELATED_TO are millions of edges, about 500 bytes each as networkx edges and
    a few dozen here; the writers stream them (:meth:`nodes`, :meth:`edges`, sorted as ``sorted(G.nodes)`` and
    ``sorted(G.edges)`` of the whole graph) and :meth:`to_networkx` gives the whole graph when one is wanted.
    """

    directed = True
    multigraph = False

    def __init__(self, core: nx.DiGraph, paper_nodes: list[str], entity_nodes: list[str], rank: np.ndarray,
                 mentions: sp.csr_matrix, related: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                         np.ndarray],
                 cooccurs: Cooccurs | None = None, ids_by_rank: np.ndarray | None = None) -> None:
        self.core = core
        self.graph = core.graph
        self.paper_nodes = paper_nodes
        self.entity_nodes = entity_nodes
        self.rank = rank
        self.mentions = mentions
        self.cooccurs = cooccurs or Cooccurs.empty()
        self.ids_by_rank = np.array(sorted(n.removeprefix("paper:") for n in paper_nodes), dtype=object) \
            if ids_by_rank is None else ids_by_rank
        # (u, v, weight, shared_ptr, shared_cols): u < v by node id; pair e shares entity columns
        # shared_cols[shared_ptr[e]:shared_ptr[e + 1]], strongest (rarest) first
        self.related = related

    @staticmethod
    def from_networkx(G: nx.Graph) -> BuiltGraph:
        """``G`` behind the same methods, every node and edge in the core and no arrays: the writers write it as
        they write a build (nodes sorted by id, edges by ``(u, v)``), and as networkx's own writers would.

        >>> G = nx.DiGraph(name="g"); G.add_edge("b", "a", type="CITES"); G.add_node("c", kind="paper")
        >>> B = BuiltGraph.from_networkx(G)
        >>> list(B.edges()), [n for n, _ in B.nodes()], B.number_of_edges(), B.graph
        ([('b', 'a', {'type': 'CITES'})], ['a', 'b', 'c'], 1, {'name': 'g'})
        """
        return _NetworkxGraph(G)

    # -- sizes ---------------------------------------------------------------------------------------------------
    def number_of_nodes(self) -> int:
        return self.core.number_of_nodes()

    def number_of_edges(self) -> int:
        return self.core.number_of_edges() + self.mentions.nnz + len(self.related[0]) + len(self.cooccurs)

    def edge_type_counts(self) -> Counter:
        types = Counter(d.get("type") for _, _, d in self.core.edges(data=True))
        types.update({"MENTIONS": self.mentions.nnz, "RELATED_TO": len(self.related[0]),
                      "CO_OCCURS": len(self.cooccurs)})
        return +types

    def cooccurs_edges(self) -> Iterator[tuple[str, str, dict]]:
        """Every CO_OCCURS edge, sorted by ``(u, v)``."""
        return map(EdgeMaker(self).cooccurs, range(len(self.cooccurs)))

    def cooccurs_counts(self) -> dict[tuple[str, str], int]:
        """``{(u, v): shared papers}`` of every CO_OCCURS edge."""
        names = self.entity_nodes
        return {(names[u], names[v]): n for u, v, n in zip(self.cooccurs.a.tolist(), self.cooccurs.b.tolist(),
                                                            self.cooccurs.papers.tolist())}

    def entity_count(self, paper_index: int) -> int:
        """Distinct entities paper ``paper_index`` mentions."""
        return int(self.mentions.indptr[paper_index + 1] - self.mentions.indptr[paper_index])

    def entity_counts(self) -> dict[str, int]:
        """Distinct entities each paper mentions, by paper node."""
        return {n: self.entity_count(i) for i, n in enumerate(self.paper_nodes)}

    # -- edges ---------------------------------------------------------------------------------------------------
    def nodes(self) -> Iterator[tuple[str, dict]]:
        """``(id, attributes)`` of every node, sorted by id."""
        nodes = self.core.nodes
        return ((n, nodes[n]) for n in sorted(nodes))

    def edges(self, make: EdgeMaker | None = None) -> Iterator:
        """``(u, v, attributes)`` of every edge, sorted by ``(u, v)``; with ``make``, what it makes of each edge
        instead (a writer can format the edges kept as arrays straight from the arrays, without a dict each)."""
        for run in self.edge_runs(make or EdgeMaker(self)):
            yield from run

    def edge_runs(self, make: EdgeMaker) -> Iterator[list]:
        """What ``make`` makes of every edge, sorted by ``(u, v)``, in lists of edges of one kind: the core edges
        out of authors (author:... sources come first), the edges out of entities (CO_OCCURS in runs of at most
        ``RUN`` edges, and typed relations), then for each paper its MENTIONS (targets entity:...), RELATED_TO and
        CITES to papers (paper:..., in target order) and core edges (ref:...), then the core edges out of other nodes.
        A writer formats a run with one comprehension instead of one call an edge."""
        adj, papers, M = self.core.adj, set(self.paper_nodes), self.mentions
        u_rel = self.related[0]
        by_source = np.lexsort((self.rank[self.related[1]], self.rank[u_rel])) if len(u_rel) else u_rel
        starts = np.searchsorted(self.rank[u_rel][by_source], np.arange(len(self.paper_nodes) + 1)).tolist() \
            if len(u_rel) else [0] * (len(self.paper_nodes) + 1)
        by_rank = np.argsort(self.rank, kind="stable")
        others = sorted(u for u in adj if u not in papers and adj[u])
        first = [u for u in others if u < "entity:"]  # author:... < entity:... < paper:... < ref:...
        entity_sources = [u for u in others if "entity:" <= u < "paper:"]
        for u in first:  # WROTE (author:... -> paper:...)
            yield [make.other(u, v, adj[u][v]) for v in sorted(adj[u])]
        others = [u for u in others if u > "paper:"]
        v_rel = self.related[1].tolist()
        # out of entities: CO_OCCURS (arrays, u < v) and the typed relations of the core (u > v), merged in order
        typed = [(u, v) for u in entity_sources for v in sorted(adj[u])]
        yield from self._entity_runs(make, typed)
        indptr, indices, data = M.indptr.tolist(), M.indices.tolist(), M.data.tolist()
        by_source = by_source.tolist()
        for r, i in enumerate(by_rank.tolist()):  # a paper's targets: entity:... < paper:... < ref:...
            lo, hi = indptr[i], indptr[i + 1]
            if hi > lo:
                yield make.mention_run(i, indices[lo:hi], data[lo:hi])
            u = self.paper_nodes[i]
            out = adj[u]
            rel = by_source[starts[r]:starts[r + 1]]
            if rel and out and min(out) < "ref:":  # CITES to papers of the corpus: in target order among RELATED_TO
                merged = sorted([(self.paper_nodes[v_rel[e]], False, e) for e in rel] + [(v, True, v) for v in out])
                for in_core, group in itertools.groupby(merged, key=lambda t: t[1]):
                    items = [t[2] for t in group]
                    yield [make.other(u, v, out[v]) for v in items] if in_core else make.related_run(items)
                continue
            if rel:
                yield make.related_run(rel)
            if out:
                yield [make.other(u, v, out[v]) for v in sorted(out)]
        for u in others:
            yield [make.other(u, v, adj[u][v]) for v in sorted(adj[u])]

    def _entity_runs(self, make: EdgeMaker, typed: list[tuple[str, str]]) -> Iterator[list]:
        """The edges out of entities, sorted: CO_OCCURS runs split where a core edge (``typed``, sorted) falls."""
        n_co = len(self.cooccurs)
        if typed:
            col = {name: j for j, name in enumerate(self.entity_nodes)}
            width = max(len(self.entity_nodes), 1)
            co_keys = self.cooccurs.a.astype(np.int64) * width + self.cooccurs.b.astype(np.int64)
            cuts = np.searchsorted(co_keys, [col[u] * width + col[v] for u, v in typed]).tolist()
        else:
            cuts = []
        adj, lo = self.core.adj, 0
        for (u, v), cut in itertools.chain(zip(typed, cuts), [((None, None), n_co)]):
            while lo < cut:
                hi = min(lo + RUN, cut)
                yield make.cooccurs_run(range(lo, hi))
                lo = hi
            if u is not None:
                yield [make.other(u, v, adj[u][v])]

    def edge_types(self) -> dict[str, set[type]]:
        """The Python types every edge attribute takes (what the XML writers type their keys by)."""
        seen: dict[str, set[type]] = defaultdict(set)
        for _, _, d in self.core.edges(data=True):
            for k, v in d.items():
                seen[k].add(type(v))
        c = self.cooccurs
        if len(c):
            for k, t in (("type", str), ("papers", int), ("weight", int), ("association_strength", float),
                         ("npmi", float), ("paper_ids", list)):
                seen[k].add(t)
        if self.mentions.nnz:
            for k, t in (("type", str), ("count", int)):
                seen[k].add(t)
        if len(self.related[0]):
            for k, t in (("type", str), ("weight", float), ("shared", int), ("shared_entities", list)):
                seen[k].add(t)
        return seen

    def to_networkx(self, *, related: bool = True) -> nx.DiGraph:
        """The whole graph (without RELATED_TO edges if ``related`` is false) as a new networkx graph."""
        core = self.core
        G = nx.DiGraph(**core.graph)
        G.add_nodes_from(core.nodes(data=True))
        make, M = EdgeMaker(self), self.mentions
        G.add_edges_from(make.mention(i, j, n) for i in range(len(self.paper_nodes))
                         for j, n in zip(M.indices[M.indptr[i]:M.indptr[i + 1]].tolist(),
                                         M.data[M.indptr[i]:M.indptr[i + 1]].tolist()))
        G.add_edges_from(map(make.cooccurs, range(len(self.cooccurs))))
        if related:
            G.add_edges_from(map(make.related, range(len(self.related[0]))))
        G.add_edges_from(core.edges(data=True))
        return G


class EdgeMaker:
    """What :meth:`BuiltGraph.edges` makes of each edge: ``(u, v, attributes)``. A subclass may make something
    else (the JSON writer makes each edge's text); the methods get the edge's place in the arrays."""

    def __init__(self, G: BuiltGraph) -> None:
        self.G = G
        c, r = G.cooccurs, G.related
        self.co_a, self.co_b, self.co_papers = c.a.tolist(), c.b.tolist(), c.papers.tolist()
        self.rel_u, self.rel_v, self.rel_w, self.rel_ptr = r[0].tolist(), r[1].tolist(), r[2].tolist(), r[3].tolist()
        self.ids = G.ids_by_rank.tolist()  # indexing a list: a numpy object array costs ~8 µs a lookup

    def cooccurs(self, e: int):
        G, c, ids = self.G, self.G.cooccurs, self.ids
        n = self.co_papers[e]
        return G.entity_nodes[self.co_a[e]], G.entity_nodes[self.co_b[e]], {
            "type": "CO_OCCURS", "papers": n, "weight": n, "association_strength": c.strength[e], "npmi": c.npmi[e],
            "paper_ids": [ids[r] for r in c.shared[e].tolist()]}

    def mention(self, i: int, j: int, count: int):
        """Paper ``i`` mentions entity ``j`` ``count`` times."""
        return self.G.paper_nodes[i], self.G.entity_nodes[j], {"type": "MENTIONS", "count": count}

    def related(self, e: int):
        G = self.G
        shared = [G.entity_nodes[c] for c in G.related[4][self.rel_ptr[e]:self.rel_ptr[e + 1]].tolist()]
        return (G.paper_nodes[self.rel_u[e]], G.paper_nodes[self.rel_v[e]],
                {"type": "RELATED_TO", "weight": self.rel_w[e], "shared": len(shared), "shared_entities": shared})

    def other(self, u: str, v: str, d: dict):
        """An edge of the core graph (CITES, WROTE)."""
        return u, v, d

    # a run of edges of one kind (see BuiltGraph.edge_runs); a subclass may make a run at once
    def cooccurs_run(self, es: range) -> list:
        return [self.cooccurs(e) for e in es]

    def mention_run(self, i: int, js: list[int], counts: list[int]) -> list:
        """Paper ``i`` mentions entity ``js[k]`` ``counts[k]`` times."""
        return [self.mention(i, j, n) for j, n in zip(js, counts)]

    def related_run(self, es: list[int]) -> list:
        return [self.related(e) for e in es]


class Cooccurs:
    """CO_OCCURS edges as columns, sorted by ``(a, b)``: entity columns ``a < b``, their shared-paper counts, the
    association strength and NPMI (rounded to 6 places, as Python floats) and the id ranks of the shared papers."""

    __slots__ = ("a", "b", "papers", "strength", "npmi", "shared")

    def __init__(self, a: np.ndarray, b: np.ndarray, papers: np.ndarray, strength: list[float], npmi: list[float],
                 shared: list[np.ndarray]) -> None:
        self.a, self.b, self.papers, self.strength, self.npmi, self.shared = a, b, papers, strength, npmi, shared

    @classmethod
    def empty(cls) -> Cooccurs:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, [], [], [])

    def __len__(self) -> int:
        return len(self.a)


_NO_RELATED = tuple(np.zeros(0, dtype=np.int64) for _ in range(5))


class _NetworkxGraph(BuiltGraph):
    """A networkx graph as a :class:`BuiltGraph` with no arrays (see :meth:`BuiltGraph.from_networkx`): what the
    arrays answer for a build is read from the core's MENTIONS and CO_OCCURS edges."""

    def __init__(self, G: nx.Graph) -> None:
        none = np.zeros(0, dtype=np.int64)
        super().__init__(G, [], [], none, sp.csr_matrix((0, 0), dtype=np.int64), _NO_RELATED)
        self.directed = G.is_directed()
        self.multigraph = G.is_multigraph()

    def edge_runs(self, make: EdgeMaker) -> Iterator[list]:
        """What ``make`` makes of every edge (all are core edges), sorted by ``(u, v)``, in lists."""
        adj = self.core.adj
        return _runs(make.other(u, v, adj[u][v]) for u, v in sorted(self.core.edges))

    def entity_counts(self) -> dict[str, int]:
        G = self.core
        return {n: sum(1 for v in G.successors(n) if G.edges[n, v].get("type") == "MENTIONS")
                for n, d in G.nodes(data=True) if d.get("kind") == "paper"}

    def cooccurs_edges(self) -> Iterator[tuple[str, str, dict]]:
        return iter(sorted((u, v, d) for u, v, d in self.core.edges(data=True) if d.get("type") == "CO_OCCURS"))

    def cooccurs_counts(self) -> dict[tuple[str, str], int]:
        return {(u, v): d["papers"] for u, v, d in self.core.edges(data=True) if d.get("type") == "CO_OCCURS"}


def _runs(items: Iterable, size: int = _GRAPH_RUN) -> Iterator[list]:
    """``items`` in lists of at most ``size`` (what the writers format at once)."""
    it = iter(items)
    while run := list(itertools.islice(it, size)):
        yield run
