"""Building the citation-style graph from papers and their extractions.

One directed networkx graph holds papers, entities and references (README, "The graph"). Co-occurrence is the
bipartite projection of the paper × entity incidence matrix, computed as a sparse product ``XᵀX`` (scipy) rather
than Python pair loops; related papers come from ``X W Xᵀ`` with ``W`` the entities' inverse document frequencies.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp

from extract.records import LABELS, Extraction, Paper

__all__ = ["build_graph", "entity_id", "paper_node", "reference_id", "cooccurrence_rows"]


def paper_node(paper_id: str) -> str:
    return f"paper:{paper_id}"


def entity_id(key: str) -> str:
    return f"entity:{key}"


def reference_id(key: str) -> str:
    return f"ref:{key}"


def _majority(counter: Counter, order: Sequence[str]) -> str:
    return sorted(counter.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99, kv[0]))[0][0]


def build_graph(papers: Sequence[Paper], extractions: Sequence[Extraction], *, related_k: int = 10,
                min_cooccurrence: int = 1) -> nx.DiGraph:
    """The combined graph of papers, entities and references.

    Parameters
    ----------
    papers, extractions : aligned sequences (same order, same ids).
    related_k : each paper keeps RELATED_TO edges to its ``related_k`` most related papers.
    min_cooccurrence : CO_OCCURS edges need at least this many shared papers.

    Examples
    --------
    >>> from extract.records import Mention
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
    if len(papers) != len(extractions) or any(p.id != x.id for p, x in zip(papers, extractions)):
        raise ValueError("papers and extractions must be aligned (same ids in the same order)")
    G = nx.DiGraph(name="citegraph", schema=1)
    n_papers = len(papers)

    # --- entities: label by majority, name by most frequent spelling --------------------------------------------
    labels: dict[str, Counter] = defaultdict(Counter)
    spellings: dict[str, Counter] = defaultdict(Counter)
    sources: dict[str, set] = defaultdict(set)
    mention_counts: Counter = Counter()
    for x in extractions:
        for m in x.mentions:
            labels[m.key][m.label] += 1
            spellings[m.key][m.text] += 1
            sources[m.key].add(m.source)
            mention_counts[m.key] += 1
    keys = sorted(labels)
    col = {k: i for i, k in enumerate(keys)}

    # --- incidence matrix X (papers × entities), counts kept for MENTIONS -----------------------------------------
    rows, cols, vals = [], [], []
    for i, x in enumerate(extractions):
        for key, n in sorted(Counter(m.key for m in x.mentions).items()):
            rows.append(i)
            cols.append(col[key])
            vals.append(n)
    counts = sp.csr_matrix((vals, (rows, cols)), shape=(n_papers, len(keys)), dtype=np.int64)
    X = (counts > 0).astype(np.int64).tocsc()
    df = np.asarray(X.sum(axis=0)).ravel()

    paper_ids_of = {k: sorted(papers[i].id for i in X[:, col[k]].indices) for k in keys}
    for k in keys:
        dates = sorted(d for p in X[:, col[k]].indices for d in papers[p].dates)
        G.add_node(entity_id(k), kind="entity", label=_majority(labels[k], LABELS), key=k,
                   name=sorted(spellings[k].items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
                   aliases=sorted(spellings[k]), paper_count=int(df[col[k]]), mention_count=mention_counts[k],
                   first_date=dates[0] if dates else "", last_date=dates[-1] if dates else "",
                   extraction_sources=sorted(sources[k]))

    # --- papers and MENTIONS ------------------------------------------------------------------------------------
    counts = counts.tocsr()
    for i, (p, x) in enumerate(zip(papers, extractions)):
        pid = paper_node(p.id)
        G.add_node(pid, kind="paper", label="paper", name=p.title, title=p.title, url=p.url, dates=list(p.dates),
                   first_date=p.dates[0] if p.dates else "", last_date=p.dates[-1] if p.dates else "",
                   sources=list(p.sources), mention_count=len(x.mentions))
        row = counts[i]
        for j, n in zip(row.indices, row.data):
            G.add_edge(pid, entity_id(keys[j]), type="MENTIONS", count=int(n))

    # --- CO_OCCURS: C = XᵀX ---------------------------------------------------------------------------------------
    for a, b, c_ab in cooccurrence_rows(X, min_cooccurrence):
        ka, kb = keys[a], keys[b]
        p_ab, p_a, p_b = c_ab / n_papers, df[a] / n_papers, df[b] / n_papers
        npmi = 1.0 if p_ab >= 1.0 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)
        shared = sorted(set(paper_ids_of[ka]) & set(paper_ids_of[kb]))
        u, v = sorted((entity_id(ka), entity_id(kb)))
        G.add_edge(u, v, type="CO_OCCURS", papers=int(c_ab), weight=int(c_ab),
                   association_strength=round(float(n_papers * c_ab / (df[a] * df[b])), 6),
                   npmi=round(float(npmi), 6), paper_ids=shared)

    # --- RELATED_TO: S = X W Xᵀ, each paper keeps its related_k strongest -----------------------------------------
    idf = np.log(n_papers / np.maximum(df, 1)).astype(float)
    Xr = X.tocsr().astype(float)
    S = (Xr @ sp.diags(idf) @ Xr.T).tocsr()
    S.setdiag(0)
    S.eliminate_zeros()
    keep: set[tuple[int, int]] = set()
    for i in range(n_papers):
        row = S[i]
        order = sorted(zip(row.data, row.indices), key=lambda t: (-t[0], papers[t[1]].id))[:related_k]
        keep.update((min(i, j), max(i, j)) for w, j in order if w > 0)
    Xbool = X.tocsr()
    for i, j in sorted(keep):
        shared_cols = np.intersect1d(Xbool[i].indices, Xbool[j].indices)
        shared_keys = sorted((keys[c] for c in shared_cols), key=lambda k: (-idf[col[k]], k))
        u, v = sorted((paper_node(papers[i].id), paper_node(papers[j].id)))
        G.add_edge(u, v, type="RELATED_TO", weight=round(float(S[i, j]), 6), shared=len(shared_keys),
                   shared_entities=[entity_id(k) for k in shared_keys])

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
    return G


def cooccurrence_rows(X: sp.spmatrix, min_count: int = 1) -> list[tuple[int, int, int]]:
    """Upper-triangle ``(i, j, count)`` of ``XᵀX`` for a binary incidence matrix, sorted.

    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]]))
    >>> cooccurrence_rows(X)
    [(0, 1, 2), (0, 2, 1), (1, 2, 1)]
    """
    C = sp.triu((X.T @ X).tocsr(), k=1).tocoo()
    return sorted((int(i), int(j), int(c)) for i, j, c in zip(C.row, C.col, C.data) if c >= min_count)
