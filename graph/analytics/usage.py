"""Which methods are used with which datasets: a usage matrix and the strongest pairs by co-mention, and the pairs
the abstracts state (EVALUATE_FOR, USED_FOR) beside them."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from citegraph.graph.analytics.relations import typed_relations
from citegraph.graph.analytics.views import display_name, entity_papers, nodes_of_kind

__all__ = ["usage_matrix", "strongest_pairs", "stated_pairs"]


def _pair_counts(G: nx.DiGraph, rows: str, cols: str) -> tuple[Counter, dict[tuple[str, str], list[str]], dict]:
    ep = entity_papers(G)
    of = {lab: {e for e in nodes_of_kind(G, "entity") if G.nodes[e].get("label") == lab} for lab in (rows, cols)}
    per_paper: dict[str, dict[str, list[str]]] = {}
    for lab in (rows, cols):
        for e in sorted(of[lab]):
            for p in ep.get(e, []):
                per_paper.setdefault(p, {rows: [], cols: []})[lab].append(e)
    counts: Counter = Counter()
    papers: dict[tuple[str, str], list[str]] = {}
    for p in sorted(per_paper):
        for r in per_paper[p][rows]:
            for c in per_paper[p][cols]:
                if r != c:
                    counts[(r, c)] += 1
                    papers.setdefault((r, c), []).append(p)
    return counts, papers, ep


def usage_matrix(G: nx.DiGraph, rows: str = "method", cols: str = "dataset", top: int = 15) -> dict[str, Any]:
    """Papers mentioning both a ``rows`` entity and a ``cols`` entity, for the most used ones of each.

    Rows and columns are the ``top`` entities of their label by total count across the matrix (entities never
    used with the other kind are left out), ties by id.

    Parameters
    ----------
    G : nx.DiGraph
        A build graph. Not modified.
    rows, cols : str
        Entity labels of the rows and the columns.
    top : int
        Largest number of rows and of columns.

    Returns
    -------
    dict
        ``{"rows": [{"id", "name"}], "cols": [{"id", "name"}], "counts": [[int, ...], ...]}``.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> m = usage_matrix(toy_graph())
    >>> [r["name"] for r in m["rows"]], [c["name"] for c in m["cols"]]
    (['BERT', 'GPT', 'ResNet', 'ViT'], ['ImageNet', 'SQuAD'])
    >>> m["counts"]
    [[0, 2], [1, 1], [2, 0], [1, 0]]
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    counts, _, _ = _pair_counts(G, rows, cols)
    row_tot: Counter = Counter()
    col_tot: Counter = Counter()
    for (r, c), n in counts.items():
        row_tot[r] += n
        col_tot[c] += n
    rs = sorted(row_tot, key=lambda e: (-row_tot[e], e))[:top]
    cs = sorted(col_tot, key=lambda e: (-col_tot[e], e))[:top]
    return {
        "rows": [{"id": r, "name": display_name(G, r)} for r in rs],
        "cols": [{"id": c, "name": display_name(G, c)} for c in cs],
        "counts": [[counts.get((r, c), 0) for c in cs] for r in rs],
    }


def strongest_pairs(G: nx.DiGraph, top: int = 10, rows: str = "method", cols: str = "dataset") -> list[dict[str, Any]]:
    """The method–dataset pairs used together in the most papers, with their lift.

    ``lift = N * c_md / (c_m * c_d)`` (``N`` papers, ``c_md`` papers mentioning both, ``c_m`` and ``c_d`` papers
    mentioning each): above 1 the two appear together more than chance would give. Ordered by papers, then lift,
    then ids.

    Returns
    -------
    list of dict
        ``{"method", "method_name", "dataset", "dataset_name", "papers", "lift", "paper_ids"}`` (the keys are the
        ``rows`` and ``cols`` labels).

    Examples
    --------
    ResNet–ImageNet: 2 papers, lift 5 * 2 / (2 * 2) = 2.5; BERT–SQuAD: 2 papers, 5 * 2 / (2 * 3) = 1.667.

    >>> from citegraph.testing import toy_graph
    >>> [(p["method_name"], p["dataset_name"], p["papers"], round(p["lift"], 3))
    ...  for p in strongest_pairs(toy_graph(), 3)]
    [('ResNet', 'ImageNet', 2, 2.5), ('BERT', 'SQuAD', 2, 1.667), ('ViT', 'ImageNet', 1, 2.5)]
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    counts, papers, ep = _pair_counts(G, rows, cols)
    n_papers = len(nodes_of_kind(G, "paper"))
    out = []
    for (r, c), n in counts.items():
        lift = n_papers * n / (len(ep[r]) * len(ep[c]))
        out.append({rows: r, f"{rows}_name": display_name(G, r), cols: c, f"{cols}_name": display_name(G, c),
                    "papers": n, "lift": lift, "paper_ids": papers[(r, c)]})
    out.sort(key=lambda p: (-p["papers"], -round(p["lift"], 12), p[rows], p[cols]))
    return out[:top]


def stated_pairs(G: nx.DiGraph, top: int = 10, rows: str = "method", cols: str = "dataset") -> list[dict[str, Any]]:
    """The method × dataset pairs the abstracts state a relation for (the dataset EVALUATE_FOR the method, or
    USED_FOR in either direction: "trained on"), beside the papers that only mention both (co-mention).

    Ordered by stated papers, then co-mention papers, then ids.

    Returns
    -------
    list of dict
        ``{"method", "method_name", "dataset", "dataset_name", "relation", "stated_papers", "stated_paper_ids",
        "score", "co_mention_papers"}`` (the keys are the ``rows`` and ``cols`` labels).

    Examples
    --------
    >>> from citegraph.testing import graph_from_papers
    >>> G = graph_from_papers({"p1": ([], ["bert", "squad", "glue"], []), "p2": ([], ["bert", "squad"], [])},
    ...     {"bert": ("method", "BERT"), "squad": ("dataset", "SQuAD"), "glue": ("dataset", "GLUE")},
    ...     relations={"p2": [("squad", "EVALUATE-FOR", "bert")]})
    >>> [(p["method_name"], p["dataset_name"], p["relation"], p["stated_papers"], p["co_mention_papers"])
    ...  for p in stated_pairs(G)]
    [('BERT', 'SQuAD', 'EVALUATE_FOR', 1, 2)]
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    counts = _pair_counts(G, rows, cols)[0]
    out = []
    for r in typed_relations(G, ("EVALUATE_FOR", "USED_FOR")):
        labels = (r["head_label"], r["tail_label"])
        if labels == (cols, rows):
            c, m = r["head"], r["tail"]
        elif labels == (rows, cols) and r["type"] == "USED_FOR":
            m, c = r["head"], r["tail"]
        else:
            continue
        out.append({rows: m, f"{rows}_name": display_name(G, m), cols: c, f"{cols}_name": display_name(G, c),
                    "relation": r["type"], "stated_papers": r["papers"], "stated_paper_ids": r["paper_ids"],
                    "score": r["score"], "co_mention_papers": counts.get((m, c), 0)})
    out.sort(key=lambda p: (-p["stated_papers"], -p["co_mention_papers"], p[rows], p[cols]))
    return out[:top]
