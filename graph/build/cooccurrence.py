"""Co-occurrence: the CO_OCCURS edges between entities that share papers, as the bipartite projection ``XᵀX`` of
the paper × entity incidence matrix (a sparse product, not Python pair loops), the papers each pair shares, the
threshold ``--min-cooccurrence auto`` picks, and the edges' association strength and NPMI.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from citegraph.graph.build.built import Cooccurs

__all__ = ["COOCCURRENCE_BUDGET", "cooccurrence_arrays", "cooccurrence_threshold", "cooccurs_columns",
           "shared_papers"]


#: ``--min-cooccurrence auto`` keeps at most this many CO_OCCURS edges: the smallest shared-paper count that fits.
#: A listing of a few thousand papers stays at 1 (the seeds' 358 papers give 51,486 pairs); 10,000 synthetic
#: abstracts give 1.1 M pairs, 84% of them in one paper only, and keep the 176 k seen in 2 or more.
COOCCURRENCE_BUDGET = 250_000


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


def shared_papers(X: sp.csr_matrix, rank: np.ndarray, a: np.ndarray, b: np.ndarray,
                   n_entities: int) -> list[np.ndarray]:
    """For each pair ``(a[e], b[e])`` (sorted, unique), the id ranks of the papers mentioning both, ascending.

    Every paper contributes the pairs of its own entities (``sum(counts)`` pair instances in all, the size of the
    answer), filtered to the wanted pairs, then grouped by one sort.

    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]]))
    >>> [r.tolist() for r in shared_papers(X, np.array([1, 0]), np.array([0, 1]), np.array([1, 2]), 3)]
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


def cooccurs_columns(X: sp.csr_matrix, rank: np.ndarray, df: np.ndarray, a: np.ndarray, b: np.ndarray,
                     c_ab: np.ndarray) -> Cooccurs:
    """The CO_OCCURS edges of the entity pairs ``(a[e], b[e])`` (sorted, unique) that share ``c_ab[e]`` papers:
    their shared papers' id ranks, association strength ``N c_ab / (df_a df_b)`` and NPMI, for the binary
    incidence matrix ``X`` (papers × entities), the papers' id ranks ``rank`` and the entities' paper counts
    ``df``.

    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]]))
    >>> c = cooccurs_columns(X, np.array([0, 1]), np.array([2, 2, 1]), np.array([0]), np.array([1]), np.array([2]))
    >>> c.strength, c.npmi, [r.tolist() for r in c.shared]
    ([1.0], [1.0], [[0, 1]])
    """
    n_papers = X.shape[0]
    shared = shared_papers(X, rank, a, b, X.shape[1])
    p_ab, p_a, p_b = c_ab / n_papers, df[a] / n_papers, df[b] / n_papers
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(p_ab >= 1.0, 1.0, np.log(p_ab / (p_a * p_b)) / -np.log(p_ab))
    strength = n_papers * c_ab / (df[a] * df[b])
    # Python's round (correctly rounded), not numpy's: the files' bytes stay what they were
    return Cooccurs(a, b, c_ab, [round(x, 6) for x in strength.tolist()], [round(x, 6) for x in npmi.tolist()],
                    shared)
