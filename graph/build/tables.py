"""Building the citation-style graph from papers and their extractions.

One directed networkx graph holds papers, entities and references (README, "The graph"). Co-occurrence is the
bipartite projection of the paper × entity incidence matrix, computed as a sparse product ``XᵀX`` (scipy) rather
than Python pair loops; related papers come from ``X W Xᵀ`` with ``W`` the entities' inverse document frequencies.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp

from citegraph.extract.records import LABELS, Extraction, Paper


__all__ = ["build_graph", "build_tables", "BuiltGraph", "Cooccurs", "EdgeMaker", "entity_id", "paper_node", "reference_id", "cooccurrence_arrays", "cooccurrence_threshold",
           "COOCCURRENCE_BUDGET"]


#: ``--min-cooccurrence auto`` keeps at most this many CO_OCCURS edges: the smallest shared-paper count that fits.
#: A listing of a few thousand papers stays at 1 (the seeds' 358 papers give 51,486 pairs); 10,000 synthetic
#: abstracts give 1.1 M pairs, 84% of them in one paper only, and keep the 176 k seen in 2 or more.
COOCCURRENCE_BUDGET = 250_000


def paper_node(paper_id: str) -> str:
    return f"paper:{paper_id}"


def entity_id(key: str) -> str:
    return f"entity:{key}"


def reference_id(key: str) -> str:
    return f"ref:{key}"


def _majority(counter: Counter, order: Sequence[str]) -> str:
    return sorted(counter.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99, kv[0]))[0][0]


#: at most about this many paper-pair scores of ``X W Xᵀ`` are held at once (a block of rows; ~12 bytes each)
_RELATED_BLOCK_PAIRS = 8_000_000
#: CO_OCCURS edges are handed to a writer in lists of at most this many (BuiltGraph.edge_runs)
RUN = 10_000


def cooccurrence_threshold(counts: np.ndarray, budget: int = COOCCURRENCE_BUDGET) -> int:
    """The smallest shared-paper count ``t >= 1`` such that at most ``budget`` pairs have ``count >= t``.

    >>> cooccurrence_threshold(np.array([1, 1, 1, 2, 2, 5]), budget=3)
    2
    >>> cooccurrence_threshold(np.array([1, 1, 1, 2, 2, 5]), budget=10)
    1
    """
    if len(counts) <= budget:
        return 1
    at_least = np.cumsum(np.bincount(counts)[::-1])[::-1]  # at_least[t] = pairs with count >= t
    return int(np.flatnonzero(at_least <= budget)[0])


def build_graph(papers: Sequence[Paper], extractions: Sequence[Extraction], *, related_k: int = 10,
                min_cooccurrence: int | str = 1, budget: int = COOCCURRENCE_BUDGET,
                stats: dict | None = None) -> nx.DiGraph:
    """The combined graph of papers, entities and references as one networkx graph.

    Parameters
    ----------
    papers, extractions : aligned sequences (same order, same ids).
    related_k : each paper keeps RELATED_TO edges to its ``related_k`` most related papers.
    min_cooccurrence : CO_OCCURS edges need at least this many shared papers; ``"auto"`` takes the smallest count
        that keeps at most ``budget`` edges (default :data:`COOCCURRENCE_BUDGET`, which a listing of a few thousand
        papers does not reach: 1 there).
    stats : if given, receives ``cooccurrence_threshold``, ``cooccurring_pairs`` (all pairs) and
        ``cooccurs_kept``.

    Examples
    --------
    >>> from citegraph.extract.records import Mention
    >>> ps = [Paper("a", "A"), Paper("b", "B"), Paper("c", "C")]
    >>> m = lambda k: Mention(k, "method", 0, 1, "title", k)
    >>> xs = [Extraction("a", "A", (m("x"), m("y"))), Extraction("b", "B", (m("x"), m("y"))),
    ...       Extraction("c", "C", (m("x"),))]
    >>> G = build_graph(ps, xs)
    >>> G.edges["entity:x", "entity:y"]["papers"], G.edges["entity:x", "entity:y"]["paper_ids"]
    (2, ['a', 'b'])
    >>> round(G.edges["entity:x", "entity:y"]["association_strength"], 3)  # 3 * 2 / (3 * 2)
    1.0
    """
    return build_tables(papers, extractions, related_k=related_k, min_cooccurrence=min_cooccurrence,
                        budget=budget, stats=stats).to_networkx()


class BuiltGraph:
    """A build's graph with its three biggest edge sets kept as arrays: every node and the CITES edges in a networkx
    graph (``core``), MENTIONS as a sparse paper × entity count matrix, CO_OCCURS as :class:`Cooccurs` columns and
    RELATED_TO as index arrays.

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
        """What ``make`` makes of every edge, sorted by ``(u, v)``, in lists of edges of one kind: the CO_OCCURS
        edges (entity:... sources come first) in runs of at most ``RUN`` edges, then for each paper its MENTIONS
        (targets entity:...), RELATED_TO (paper:...) and core edges (ref:...), then the core edges out of other
        nodes. A writer formats a run with one comprehension instead of one call an edge."""
        adj, papers, M = self.core.adj, set(self.paper_nodes), self.mentions
        u_rel = self.related[0]
        by_source = np.lexsort((self.rank[self.related[1]], self.rank[u_rel])) if len(u_rel) else u_rel
        starts = np.searchsorted(self.rank[u_rel][by_source], np.arange(len(self.paper_nodes) + 1)).tolist() \
            if len(u_rel) else [0] * (len(self.paper_nodes) + 1)
        by_rank = np.argsort(self.rank, kind="stable")
        others = sorted(u for u in adj if u not in papers and adj[u])
        before = [u for u in others if u < "paper:"]  # entity:... < paper:... < ref:...
        if before:  # the core holds no edge out of an entity: entities' edges are CO_OCCURS, which are arrays
            raise ValueError(f"unexpected edges out of {before[0]!r} in the core graph")
        for lo in range(0, len(self.cooccurs), RUN):
            yield make.cooccurs_run(range(lo, min(lo + RUN, len(self.cooccurs))))
        indptr, indices, data = M.indptr.tolist(), M.indices.tolist(), M.data.tolist()
        by_source = by_source.tolist()
        for r, i in enumerate(by_rank.tolist()):  # a paper's targets: entity:... < paper:... < ref:...
            lo, hi = indptr[i], indptr[i + 1]
            if hi > lo:
                yield make.mention_run(i, indices[lo:hi], data[lo:hi])
            if starts[r + 1] > starts[r]:
                yield make.related_run(by_source[starts[r]:starts[r + 1]])
            u = self.paper_nodes[i]
            out = adj[u]
            if out:
                yield [make.other(u, v, out[v]) for v in sorted(out)]
        for u in others:
            yield [make.other(u, v, adj[u][v]) for v in sorted(adj[u])]

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
        """An edge of the core graph (CITES)."""
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


def build_tables(papers: Sequence[Paper], extractions: Sequence[Extraction], *, related_k: int = 10,
                 min_cooccurrence: int | str = 1, budget: int = COOCCURRENCE_BUDGET,
                 stats: dict | None = None) -> BuiltGraph:
    """:func:`build_graph`'s graph as a :class:`BuiltGraph` (what ``citegraph build`` writes from)."""
    if len(papers) != len(extractions) or any(p.id != x.id for p, x in zip(papers, extractions)):
        raise ValueError("papers and extractions must be aligned (same ids in the same order)")
    G = nx.DiGraph(name="citegraph", schema=1)
    n_papers = len(papers)
    ids = [p.id for p in papers]
    rank = np.empty(n_papers, dtype=np.int64)  # a paper's position in id order: ties and lists sort by id
    rank[sorted(range(n_papers), key=ids.__getitem__)] = np.arange(n_papers)
    ids_by_rank = np.array(sorted(ids), dtype=object)

    # --- entities: label by majority, name by most frequent spelling --------------------------------------------
    mentions = [m for x in extractions for m in x.mentions]
    mention_keys = [m.key for m in mentions]
    mention_counts = Counter(mention_keys)
    labels: dict[str, Counter] = defaultdict(Counter)
    spellings: dict[str, Counter] = defaultdict(Counter)
    sources: dict[str, set] = defaultdict(set)
    # counted as (key, value) pairs by Counter's C loop, then grouped by key: the same counts, a third of the time
    for (k, label), n in Counter(zip(mention_keys, [m.label for m in mentions])).items():
        labels[k][label] = n
    for (k, text), n in Counter(zip(mention_keys, [m.text for m in mentions])).items():
        spellings[k][text] = n
    for k, source in set(zip(mention_keys, [m.source for m in mentions])):
        sources[k].add(source)
    keys = sorted(mention_counts)
    col = {k: i for i, k in enumerate(keys)}
    names = [entity_id(k) for k in keys]

    # --- incidence matrix X (papers × entities), counts kept for MENTIONS -----------------------------------------
    # one entry a mention; the conversion to CSR sums a paper's mentions of one entity
    counts = sp.csr_matrix((np.ones(len(mentions), dtype=np.int64),
                            (np.repeat(np.arange(n_papers, dtype=np.int64), [len(x.mentions) for x in extractions]),
                             np.fromiter(map(col.__getitem__, mention_keys), dtype=np.int64, count=len(mentions)))),
                           shape=(n_papers, len(keys)))
    counts.sum_duplicates()
    counts.sort_indices()
    del mentions, mention_keys
    Xr = counts.copy()
    Xr.data[:] = 1
    Xc = Xr.tocsc()
    Xc.sort_indices()
    df = np.diff(Xc.indptr)

    # an entity's first and last listing date: the least first and greatest last date of its papers, as codes
    days = sorted({d for p in papers for d in p.dates})
    code = {d: i for i, d in enumerate(days)}
    undated = len(days)
    paper_first = np.array([code[min(p.dates)] if p.dates else undated for p in papers], dtype=np.int64)
    paper_last = np.array([code[max(p.dates)] if p.dates else -1 for p in papers], dtype=np.int64)
    starts = Xc.indptr[:-1]
    firsts = np.minimum.reduceat(paper_first[Xc.indices], starts).tolist() if len(keys) else []
    lasts = np.maximum.reduceat(paper_last[Xc.indices], starts).tolist() if len(keys) else []
    days.append("")  # the code of "no date" in both directions (undated == len(days) - 1, -1)
    for j, k in enumerate(keys):
        G.add_node(names[j], kind="entity", label=_majority(labels[k], LABELS), key=k,
                   name=sorted(spellings[k].items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
                   aliases=sorted(spellings[k]), paper_count=int(df[j]), mention_count=mention_counts[k],
                   first_date=days[firsts[j]], last_date=days[lasts[j]],
                   extraction_sources=sorted(sources[k]))

    # --- papers (MENTIONS stay the matrix ``counts``) -----------------------------------------------------------
    pnodes = [paper_node(i) for i in ids]
    for p, x, pid in zip(papers, extractions, pnodes):
        G.add_node(pid, kind="paper", label="paper", name=p.title, title=p.title, url=p.url, dates=list(p.dates),
                   first_date=p.dates[0] if p.dates else "", last_date=p.dates[-1] if p.dates else "",
                   sources=list(p.sources), mention_count=len(x.mentions))

    # --- CO_OCCURS: C = XᵀX, upper triangle; shared papers from the pairs of each paper's entities -----------------
    a, b, c_ab = cooccurrence_arrays(Xr)
    threshold = cooccurrence_threshold(c_ab, budget) if min_cooccurrence == "auto" else max(1, int(min_cooccurrence))
    keep = c_ab >= threshold
    if stats is not None:
        stats.update(cooccurrence_threshold=threshold, cooccurring_pairs=int(len(c_ab)),
                     cooccurs_kept=int(keep.sum()))
    a, b, c_ab = a[keep], b[keep], c_ab[keep]
    shared = _shared_papers(Xr, rank, a, b, len(keys))
    p_ab, p_a, p_b = c_ab / n_papers, df[a] / n_papers, df[b] / n_papers
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(p_ab >= 1.0, 1.0, np.log(p_ab / (p_a * p_b)) / -np.log(p_ab))
    strength = n_papers * c_ab / (df[a] * df[b])
    # Python's round (correctly rounded), not numpy's: the files' bytes stay what they were
    cooccurs = Cooccurs(a, b, c_ab, [round(x, 6) for x in strength.tolist()], [round(x, 6) for x in npmi.tolist()],
                        shared)

    # --- RELATED_TO: S = X W Xᵀ, each paper keeps its related_k strongest -----------------------------------------
    idf = np.log(n_papers / np.maximum(df, 1)).astype(float)
    Xf = Xr.astype(float)
    XwT = (Xf @ sp.diags(idf)).T.tocsc()
    found: list[np.ndarray] = []  # pairs i < j (paper indices) as i * n_papers + j
    # a row's scores are at most min(N, sum of its entities' df) pairs: blocks of rows stay under the budget
    row_pairs = np.minimum(Xr @ df, n_papers)
    lo = 0
    while lo < n_papers:
        hi = lo + max(1, int(np.searchsorted(np.cumsum(row_pairs[lo:]), _RELATED_BLOCK_PAIRS, side="right")))
        S = (Xf[lo:hi] @ XwT).tocsr()
        for r in range(S.shape[0]):
            i = lo + r
            js = S.indices[S.indptr[r]:S.indptr[r + 1]]
            # rounded, so that equal scores tie (and go by paper id) whatever the order of the float sums
            ws = np.round(S.data[S.indptr[r]:S.indptr[r + 1]], 9)
            ok = (js != i) & (ws > 0)
            js, ws = js[ok], ws[ok]
            n = len(js)
            if n > related_k:
                kth = np.partition(ws, n - related_k)[n - related_k]  # the related_k-th largest score
                cand = np.flatnonzero(ws >= kth)  # it and everything above, ties included: O(n), no full sort
                js, ws = js[cand], ws[cand]
                top = np.lexsort((rank[js], -ws))[:related_k]
                js, ws = js[top], ws[top]
            found.append(np.minimum(i, js) * n_papers + np.maximum(i, js))
        lo = hi
    pairs = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    col_order = np.lexsort((np.arange(len(keys)), -idf))  # strongest first, then by key (columns are key order)
    place = np.empty(len(keys), dtype=np.int64)
    place[col_order] = np.arange(len(keys))
    related = _related_arrays(Xr, pairs, idf, place, rank)

    # --- references and CITES -----------------------------------------------------------------------------------
    cited_by: dict[str, set] = defaultdict(set)
    ref_text: dict[str, Counter] = defaultdict(Counter)
    ref_meta: dict[str, tuple[str, int]] = {}
    for p, x in zip(papers, extractions):
        for key, n in sorted(Counter(r.key for r in x.references).items()):
            G.add_edge(paper_node(p.id), reference_id(key), type="CITES", count=n)
            cited_by[key].add(p.id)
        for r in x.references:
            ref_text[r.key][r.text] += 1
            ref_meta.setdefault(r.key, (r.first_author, r.year))
    for key in sorted(cited_by):
        author, year = ref_meta[key]
        G.add_node(reference_id(key), kind="reference", label="reference", key=key,
                   name=sorted(ref_text[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
                   first_author=author, year=year, paper_count=len(cited_by[key]))
    return BuiltGraph(G, pnodes, names, rank, counts, related, cooccurs, ids_by_rank)


def _related_arrays(X: sp.csr_matrix, pairs: np.ndarray, idf: np.ndarray, place: np.ndarray,
                    rank: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """RELATED_TO as arrays for the paper pairs ``pairs`` (``i * n_papers + j``, ``i < j``, sorted): ``(u, v,
    weight, shared_ptr, shared_cols)`` with ``u`` before ``v`` in id order, the weight the sum of the shared
    entities' idf (rounded to 6 places), the shared entity columns in ``place`` order (strongest first).

    The shared entities of all pairs at once, as the rows of the elementwise product of the pairs' rows of ``X``.

    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 0, 1]]))
    >>> u, v, w, ptr, cols = _related_arrays(X, np.array([1, 5]), np.array([0.5, 1.25, 2.0]),
    ...                                      np.array([2, 1, 0]), np.array([1, 0, 2]))
    >>> u.tolist(), v.tolist(), w.tolist(), ptr.tolist(), cols.tolist()
    ([1, 1], [0, 2], [1.75, 2.0], [0, 2, 3], [1, 0, 2])
    """
    n_papers = X.shape[0]
    i, j = pairs // max(n_papers, 1), pairs % max(n_papers, 1)
    shared = X[i].multiply(X[j]).tocsr()
    shared.sort_indices()
    shared.eliminate_zeros()
    ptr, cols = shared.indptr.astype(np.int64), shared.indices.astype(np.int64)
    # each pair's idf sum over its columns in ascending order, by np.sum of the slice: np.add.reduceat adds in
    # another order, and its float sums differ in the last bits
    values, bounds = idf[cols], ptr.tolist()
    w = np.array([round(float(values[a:b].sum()), 6) for a, b in zip(bounds, bounds[1:])], dtype=float)
    row = np.repeat(np.arange(len(pairs)), np.diff(ptr))
    cols = cols[np.lexsort((place[cols], row))]
    first = rank[i] < rank[j]
    return np.where(first, i, j), np.where(first, j, i), w, ptr, cols


def cooccurrence_arrays(X: sp.spmatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Upper triangle of ``XᵀX`` for a binary incidence matrix: ``(i, j, count)`` arrays sorted by ``(i, j)``.

    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]]))
    >>> [a.tolist() for a in cooccurrence_arrays(X)]
    [[0, 0, 1], [1, 2, 2], [2, 1, 1]]
    """
    C = sp.triu((X.T @ X).tocsr(), k=1).tocsr()
    C.sort_indices()
    C.eliminate_zeros()
    rows = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
    return rows, C.indices.astype(np.int64), C.data.astype(np.int64)


def _shared_papers(X: sp.csr_matrix, rank: np.ndarray, a: np.ndarray, b: np.ndarray,
                   n_entities: int) -> list[np.ndarray]:
    """For each pair ``(a[e], b[e])`` (sorted, unique), the id ranks of the papers mentioning both, ascending.

    Every paper contributes the pairs of its own entities (``sum(counts)`` pair instances in all, the size of the
    answer), filtered to the wanted pairs, then grouped by one sort.

    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]]))
    >>> [r.tolist() for r in _shared_papers(X, np.array([1, 0]), np.array([0, 1]), np.array([1, 2]), 3)]
    [[0, 1], [0]]
    """
    wanted = a * n_entities + b
    if len(wanted) == 0:
        return []
    # papers with the same number n of entities at once: their entity lists are the rows of an (m, n) array
    sizes = np.diff(X.indptr)
    chunks_pos, chunks_rank = [], []
    for n in np.unique(sizes[sizes >= 2]).tolist():
        papers = np.flatnonzero(sizes == n)
        E = X.indices[X.indptr[papers][:, None] + np.arange(n)].astype(np.int64)
        iu, ju = np.triu_indices(n, 1)
        k = (E[:, iu] * n_entities + E[:, ju]).ravel()
        pos = np.searchsorted(wanted, k)
        pos[pos >= len(wanted)] = 0
        hit = wanted[pos] == k
        chunks_pos.append(pos[hit])
        chunks_rank.append(np.repeat(rank[papers], len(iu))[hit])
    pos = np.concatenate(chunks_pos) if chunks_pos else np.zeros(0, dtype=np.int64)
    prank = np.concatenate(chunks_rank) if chunks_rank else np.zeros(0, dtype=np.int64)
    order = np.lexsort((prank, pos))
    pos, prank = pos[order], prank[order]
    bounds = np.searchsorted(pos, np.arange(len(wanted) + 1))
    return [prank[bounds[e]:bounds[e + 1]] for e in range(len(wanted))]
