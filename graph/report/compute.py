"""The analytics report's data: every analysis of a build graph gathered as plain, JSON-ready values, and its plots.

:func:`build_report` is what ``report.json`` holds (floats rounded to 6 places, so the same graph and parameters
give the same bytes); :func:`report_plots` draws the report's plots as PNG bytes (no software name or time in their
metadata). Turning both into a page is :mod:`citegraph.graph.report.html`'s job; writing the files,
:mod:`citegraph.graph.report.report`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from citegraph.graph import analytics as A
from citegraph.graph.analytics import plots
from citegraph.graph.analytics.similarity import related_graph
from citegraph.graph.analytics.views import LABELS, nodes_of_kind

__all__ = ["PLOTS", "build_report", "update_report", "report_plots", "changes_section"]

#: ``(key, title)`` of every plot of the report, in page order.
PLOTS: tuple[tuple[str, str], ...] = (
    ("central", "Central entities by PageRank, per kind"),
    ("bridges", "Bridge entities (betweenness)"),
    ("thematic_map", "Thematic map"),
    ("trends", "Trends over listing dates or publication years"),
    ("usage", "Method × dataset usage"),
    ("references", "Most cited references"),
)


def _rounded(obj: Any, digits: int = 6) -> Any:
    if isinstance(obj, float):
        r = round(obj, digits)
        return 0.0 if r == 0 else r
    if isinstance(obj, dict):
        return {k: _rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_rounded(v, digits) for v in obj]
    return obj


def _summary(G: nx.DiGraph) -> dict[str, Any]:
    entities = nodes_of_kind(G, "entity")
    by_label = Counter(G.nodes[e].get("label", "") for e in entities)
    edge_types = Counter(d.get("type", "") for _, _, d in G.edges(data=True))
    return {
        "papers": len(nodes_of_kind(G, "paper")),
        "entities": len(entities),
        "entities_by_label": {lab: by_label[lab] for lab in sorted(by_label, key=lambda x: (x not in LABELS, x))},
        "references": len(nodes_of_kind(G, "reference")),
        "edges_by_type": dict(sorted(edge_types.items())),
        "dates": A.listing_dates(G),
    }


def _featured_papers(G: nx.DiGraph, n: int) -> list[str]:
    P = related_graph(G)
    strength = dict(P.degree(weight="weight"))
    return sorted((p for p in P if P.degree(p)), key=lambda p: (-round(strength[p], 9), p))[:n]


def build_report(
    G: nx.DiGraph,
    *,
    resolution: float = 1.0,
    seed: int = 0,
    top: int = 10,
    papers: Sequence[str] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run every analysis on a build graph and gather the results as plain, JSON-ready data (floats rounded to 6
    places).

    Parameters
    ----------
    G : nx.DiGraph
        A build graph. Not modified.
    resolution : float
        Louvain resolution of the communities and the thematic map.
    seed : int
        Louvain seed.
    top : int
        Length of every top-N list.
    papers : sequence of str, optional
        Papers to list nearest neighbours for; by default the 3 papers with the strongest related-paper links.
    changes : mapping, optional
        What ``changes.json`` says the last ``build --update`` added; the report then has a ``changes`` section.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> r = build_report(toy_graph(), top=3)
    >>> r["summary"]["papers"], r["bridges"][0]["name"], r["thematic_map"]["themes"][0]["quadrant"]
    (5, 'GPT', 'niche')
    >>> sorted(r)[:4]
    ['bridges', 'central', 'citations', 'communities']
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top!r}")
    groups = A.partition(G, resolution=resolution, seed=seed, min_size=2)
    featured = list(papers) if papers is not None else _featured_papers(G, 3)
    report = {
        "parameters": {"resolution": resolution, "seed": seed, "top": top},
        "summary": _summary(G),
        "central": A.central_entities(G, top=top),
        "bridges": A.bridges(G, top=top),
        "communities": [
            {k: v for k, v in c.items() if k != "members"} | {"members": c["members"]}
            for c in A.communities(G, groups=groups, top=top)
        ],
        "thematic_map": A.thematic_map(G, groups=groups),
        "trends": A.trends(G, top=top),
        "usage": {"matrix": A.usage_matrix(G, top=max(top, 15)), "pairs": A.strongest_pairs(G, top=top),
                  "stated": A.stated_pairs(G, top=top)},
        "similarity": {
            "pairs": A.similar_pairs(G, top=top),
            "nearest": {p: A.nearest_papers(G, p, top=5) for p in featured},
            "nearest_to": {p: A.paper_title(G, A.find_paper(G, p)) for p in featured},
        },
        "references": {
            "top": A.top_references(G, top=top),
            "cocited": A.cocited_references(G, top=top),
            "coupled": A.coupled_papers(G, top=top),
        },
        "citations": A.citation_report(G, top=top, seed=seed, resolution=resolution),
    }
    if changes is not None:
        report["changes"] = changes_section(G, changes, top=top)
    return _rounded(report)


def update_report(report: Mapping[str, Any], G: nx.DiGraph, *, papers: Sequence[str] | None = None,
                  changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A report :func:`build_report` made of ``G`` with other ``papers`` and ``changes``: only the nearest papers
    and the changes are computed again (milliseconds), so the result equals ``build_report`` with them.
    """
    out = {k: v for k, v in report.items() if k != "changes"}
    papers = list(papers) if papers is not None else _featured_papers(G, 3)
    out["similarity"] = {**report["similarity"],
                         "nearest": {p: A.nearest_papers(G, p, top=5) for p in papers},
                         "nearest_to": {p: A.paper_title(G, A.find_paper(G, p)) for p in papers}}
    if changes is not None:
        out["changes"] = changes_section(G, changes, top=report["parameters"]["top"])
    return _rounded(out)


def changes_section(G: nx.DiGraph, changes: Mapping[str, Any], top: int = 10) -> dict[str, Any]:
    """What the last ``build --update`` added, in names: new papers (titles, most mentions first), new entities, the
    strongest new links and the most strengthened ones (at most ``top`` of each list), with the totals.

    >>> from citegraph.testing import toy_graph
    >>> c = changes_section(toy_graph(), {"new_papers": ["paper:p5"], "new_entities": [], "new_edges": [],
    ...                                   "strengthened_edges": [], "new_references": []})
    >>> c["papers"][0]["id"], c["totals"]["papers"]
    ('paper:p5', 1)
    """
    names = dict(changes.get("names") or {})

    def name(n: str) -> str:
        if n in names:
            return str(names[n])
        d = G.nodes[n] if n in G else {}
        return str(d.get("title") or d.get("name") or n)

    new_edges = sorted(changes.get("new_edges") or (), key=lambda e: (-e[2], e[0], e[1]))
    stronger = sorted(changes.get("strengthened_edges") or (), key=lambda e: (-(e[3] - e[2]), e[0], e[1]))
    entities = sorted(changes.get("new_entities") or (),
                      key=lambda e: (-int(G.nodes[e["id"]].get("paper_count", 0) if e["id"] in G else 0), e["id"]))
    return {
        "totals": {"papers": len(changes.get("new_papers") or ()), "entities": len(entities),
                   "links": len(new_edges), "strengthened": len(stronger),
                   "references": len(changes.get("new_references") or ())},
        "papers": [{"id": p, "title": name(p)} for p in sorted(
            changes.get("new_papers") or (),
            key=lambda p: (-int(G.nodes[p].get("mention_count", 0) if p in G else 0), p))[:top]],
        "entities": [{"id": e["id"], "name": name(e["id"]), "label": e.get("label") or "",
                      "papers": int(G.nodes[e["id"]].get("paper_count", 0)) if e["id"] in G else 0}
                     for e in entities[:top]],
        "links": [{"a": name(u), "b": name(v), "papers": n} for u, v, n in new_edges[:top]],
        "strengthened": [{"a": name(u), "b": name(v), "before": a, "after": b} for u, v, a, b in stronger[:top]],
    }


def report_plots(report: dict[str, Any]) -> dict[str, bytes]:
    """The report's plots as PNG bytes, keyed as in :data:`PLOTS`.

    >>> from citegraph.testing import toy_graph
    >>> sorted(report_plots(build_report(toy_graph())))
    ['bridges', 'central', 'references', 'thematic_map', 'trends', 'usage']
    """
    top = report["parameters"]["top"]
    return {
        "central": plots.central_plot(report["central"], "pagerank", top),
        "bridges": plots.bridges_plot(report["bridges"]),
        "thematic_map": plots.thematic_plot(report["thematic_map"]),
        "trends": plots.trends_plot(report["trends"]),
        "usage": plots.usage_heatmap(report["usage"]["matrix"]),
        "references": plots.references_plot(report["references"]["top"]),
    }
