"""The analytics report of a build: ``report.json`` for scripts and a self-contained ``report.html`` for people.

The HTML embeds its plots as base64 PNG and loads nothing from the network; every string that came from a paper is
HTML-escaped. Same graph and parameters give byte-identical files.
"""

from __future__ import annotations

import base64
import html
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from citegraph.graph import analytics as A
from citegraph.graph.analytics import plots
from citegraph.graph.analytics.similarity import related_graph
from citegraph.graph.analytics.thematic import __doc__ as THEMATIC_DOC
from citegraph.graph.analytics.trends import __doc__ as TRENDS_DOC
from citegraph.graph.analytics.views import LABELS, nodes_of_kind
from citegraph.graph.builddir.files import atomic_write, write_json

__all__ = ["build_report", "report_plots", "render_html", "write_report"]

log = logging.getLogger(__name__)

PLOTS: tuple[tuple[str, str], ...] = (
    ("central", "Central entities by PageRank, per kind"),
    ("bridges", "Bridge entities (betweenness)"),
    ("thematic_map", "Thematic map"),
    ("trends", "Trends over listing dates"),
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

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> r = build_report(toy_graph(), top=3)
    >>> r["summary"]["papers"], r["bridges"][0]["name"], r["thematic_map"]["themes"][0]["quadrant"]
    (5, 'GPT', 'niche')
    >>> sorted(r)[:4]
    ['bridges', 'central', 'communities', 'parameters']
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
        "usage": {"matrix": A.usage_matrix(G, top=max(top, 15)), "pairs": A.strongest_pairs(G, top=top)},
        "similarity": {
            "pairs": A.similar_pairs(G, top=top),
            "nearest": {p: A.nearest_papers(G, p, top=5) for p in featured},
        },
        "references": {
            "top": A.top_references(G, top=top),
            "cocited": A.cocited_references(G, top=top),
            "coupled": A.coupled_papers(G, top=top),
        },
    }
    return _rounded(report)


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


# --- HTML -------------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;
padding:0 1em;line-height:1.4}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
img.plot{max-width:100%;height:auto;display:block;margin:1em 0;border:1px solid #eee}
.note{background:#fff8e1;border-left:4px solid #f0c000;padding:.4em .8em}
.def{font-size:.9em;color:#444;white-space:pre-wrap;background:#fafafa;padding:.6em;border:1px solid #eee}
nav a{margin-right:1em}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return f"<td>{_e(value)}</td>"
    if isinstance(value, (int, float)):
        shown = f"{value:.4g}" if isinstance(value, float) else str(value)
        return f'<td class="n">{_e(shown)}</td>'
    if isinstance(value, (list, tuple)):
        return f"<td>{_e(', '.join(str(v) for v in value))}</td>"
    return f"<td>{_e(value)}</td>"


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    rows = list(rows)
    if not rows:
        return "<p><em>none</em></p>"
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _img(key: str, title: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img class="plot" id="plot-{_e(key)}" alt="{_e(title)}" src="data:image/png;base64,{data}">'


def render_html(report: dict[str, Any], pngs: dict[str, bytes], title: str = "citegraph analytics") -> str:
    """The self-contained HTML page of a report (plots embedded, every value escaped).

    >>> from citegraph.testing import toy_graph
    >>> r = build_report(toy_graph())
    >>> page = render_html(r, report_plots(r))
    >>> page.count('<img class="plot"'), "<b>on</b>" in page, "&lt;b&gt;on&lt;/b&gt;" in page
    (6, False, True)
    """
    s = report["summary"]
    t = report["trends"]
    titles = dict(PLOTS)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        "<nav>" + "".join(f'<a href="#{k}">{_e(v)}</a>' for k, v in [
            ("summary", "Summary"), ("central", "Central"), ("communities", "Communities"),
            ("thematic", "Thematic map"), ("trends", "Trends"), ("usage", "Usage"), ("similar", "Similar papers"),
            ("references", "References")]) + "</nav>",
        '<h2 id="summary">Summary</h2>',
        _table(["what", "count"], [["papers", s["papers"]], ["entities", s["entities"]],
                                   *[[f"  {k}", v] for k, v in s["entities_by_label"].items()],
                                   ["references", s["references"]],
                                   *[[f"{k} edges", v] for k, v in s["edges_by_type"].items()],
                                   ["listing dates", ", ".join(s["dates"]) or "none"]]),
        _table(["parameter", "value"], sorted(report["parameters"].items())),
        '<h2 id="central">Central entities</h2>',
        _img("central", titles["central"], pngs["central"]),
    ]
    for label, measures in report["central"].items():
        n = max((len(v) for v in measures.values()), default=0)
        rows = []
        for i in range(n):
            row: list[Any] = [i + 1]
            for m in ("papers", "weighted_degree", "pagerank"):
                items = measures[m]
                row += [items[i]["name"], items[i]["value"]] if i < len(items) else ["", ""]
            rows.append(row)
        parts += [f"<h3>{_e(label)}</h3>",
                  _table(["#", "by papers", "papers", "by weighted degree", "degree", "by PageRank", "PageRank"],
                         rows)]
    parts += [
        "<h3>Bridges</h3><p>Entities on many shortest paths between others (normalised betweenness on the "
        "co-occurrence graph, hops).</p>",
        _img("bridges", titles["bridges"], pngs["bridges"]),
        _table(["entity", "kind", "betweenness"], [[b["name"], b["label"], b["betweenness"]] for b in report["bridges"]]),
        '<h2 id="communities">Communities</h2>',
        "<p>Louvain communities of the co-occurrence graph (weights: shared papers), labelled by their top members."
        " Density: share of member pairs that co-occur.</p>",
        _table(["#", "label", "size", "density", "papers", "top members"],
               [[c["id"], c["label"], c["size"], c["density"], c["papers"], [m["name"] for m in c["top_members"]]]
                for c in report["communities"]]),
        '<h2 id="thematic">Thematic map</h2>',
        _img("thematic_map", titles["thematic_map"], pngs["thematic_map"]),
        _table(["#", "theme", "size", "papers", "centrality", "density", "quadrant"],
               [[x["id"], x["label"], x["size"], x["papers"], x["centrality"], x["density"], x["quadrant"]]
                for x in report["thematic_map"]["themes"]]),
        f'<div class="def">{_e((THEMATIC_DOC or "").strip())}</div>',
        '<h2 id="trends">Trends over listing dates</h2>',
    ]
    if t["note"]:
        parts.append(f'<p class="note">{_e(t["note"])}</p>')
    parts += [
        _img("trends", titles["trends"], pngs["trends"]),
        _table(["date", "papers", "entities first seen"],
               [[d, t["papers_per_date"][d], t["new_entities_per_date"][d]] for d in t["dates"]]),
        f"<p>Undated papers (left out of trends): {_e(t['undated_papers'])}</p>",
    ]
    for step in t["rising"]:
        parts += [f"<h3>Rising from {_e(step['from'])} to {_e(step['to'])}</h3>",
                  _table(["entity", "kind", "papers before", "papers after", "share before", "share after", "rise"],
                         [[r["name"], r["label"], r["before"], r["after"], r["share_before"], r["share_after"],
                           r["rise"]] for r in step["entities"]])]
    parts += [
        "<h3>Bursts</h3>",
        _table(["entity", "kind", "date", "papers that date", "burst"],
               [[b["name"], b["label"], b["date"], b["papers"], b["burst"]] for b in t["bursts"]]),
        f'<div class="def">{_e((TRENDS_DOC or "").strip())}</div>',
        '<h2 id="usage">Method × dataset usage</h2>',
        _img("usage", titles["usage"], pngs["usage"]),
        "<h3>Strongest method–dataset pairs</h3><p>lift = N·c<sub>md</sub> / (c<sub>m</sub>·c<sub>d</sub>).</p>",
        _table(["method", "dataset", "papers", "lift"],
               [[p["method_name"], p["dataset_name"], p["papers"], p["lift"]] for p in report["usage"]["pairs"]]),
        '<h2 id="similar">Similar papers</h2>',
        "<p>Similarity: sum of ln(N/df) over the entities two papers share.</p>",
        _table(["paper", "paper", "similarity", "shared entities"],
               [[p["a_title"], p["b_title"], p["weight"], p["shared_entities"]] for p in report["similarity"]["pairs"]]),
    ]
    for paper, near in report["similarity"]["nearest"].items():
        parts += [f"<h3>Nearest to: {_e(paper)}</h3>",
                  _table(["paper", "similarity", "explained by (rarest first)"],
                         [[n["title"], n["weight"], [s["name"] for s in n["shared"]]] for n in near])]
    refs = report["references"]
    parts += [
        '<h2 id="references">References</h2>',
        _img("references", titles["references"], pngs["references"]),
        _table(["reference", "citing papers", "papers"], [[r["name"], r["papers"], r["citing"]] for r in refs["top"]]),
        "<h3>Co-cited references</h3>",
        _table(["reference", "reference", "papers citing both"],
               [[c["a_name"], c["b_name"], c["papers"]] for c in refs["cocited"]]),
        "<h3>Papers sharing references (bibliographic coupling)</h3>",
        _table(["paper", "paper", "shared references"],
               [[c["a_title"], c["b_title"], c["shared"]] for c in refs["coupled"]]),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_report(
    G: nx.DiGraph,
    out_dir: str | Path,
    *,
    resolution: float = 1.0,
    seed: int = 0,
    top: int = 10,
    papers: Sequence[str] | None = None,
    title: str = "citegraph analytics",
) -> dict[str, Path]:
    """Write ``report.json`` (sorted keys) and ``report.html`` into ``out_dir``; return their paths.

    >>> import tempfile
    >>> from citegraph.testing import toy_graph
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sorted(p.name for p in write_report(toy_graph(), d).values())
    ['report.html', 'report.json']
    """
    out = Path(out_dir)
    report = build_report(G, resolution=resolution, seed=seed, top=top, papers=papers)
    log.info("plotting")
    pngs = report_plots(report)
    paths = {"json": out / "report.json", "html": out / "report.html"}
    write_json(paths["json"], report)
    with atomic_write(paths["html"]) as fh:
        fh.write(render_html(report, pngs, title=title))
    return paths
