"""Plots of analysis results as PNG bytes (matplotlib, Agg canvas, no pyplot state, deterministic files).

Each function takes the plain data an analysis returned and gives PNG bytes; with no data it still draws a
figure that says so, so a report never shows a broken image.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "central_plot",
    "bridges_plot",
    "thematic_plot",
    "trends_plot",
    "usage_heatmap",
    "references_plot",
    "png_bytes",
]

_QUADRANT_COLOURS = {"motor": "#d62728", "niche": "#2ca02c", "emerging or declining": "#7f7f7f", "basic": "#1f77b4"}


def _text(s: Any, width: int = 38) -> str:
    """A label safe for matplotlib (no mathtext from ``$``) and short enough to read."""
    s = str(s).replace("$", r"\$").replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def _names(items: Sequence[dict[str, Any]]) -> list[str]:
    """Display names, with the id appended where two items share a name (so two bars never look the same).

    >>> _names([{"id": "entity:mse", "name": "MSE"}, {"id": "entity:mean squared error", "name": "MSE"}])
    ['MSE (mse)', 'MSE (mean squared error)']
    """
    seen = [i["name"] for i in items]
    return [f"{i['name']} ({i['id'].split(':', 1)[-1]})" if seen.count(i["name"]) > 1 else i["name"] for i in items]


def png_bytes(fig: Figure) -> bytes:
    """PNG of a figure with no timestamp or software tag, so the same figure gives the same bytes.

    >>> fig = Figure(figsize=(1, 1)); _ = fig.add_subplot().plot([0, 1])
    >>> png_bytes(fig)[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png_bytes(fig) == png_bytes(fig)
    (True, True)
    """
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _empty(ax: Any, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555555", wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])


def _barh(ax: Any, names: Sequence[str], values: Sequence[float], title: str, colour: str = "#4c72b0") -> None:
    ax.set_title(title, fontsize=10)
    if not names:
        _empty(ax, "no data")
        return
    y = list(range(len(names)))[::-1]
    ax.barh(y, values, color=colour)
    ax.set_yticks(y)
    ax.set_yticklabels([_text(n, 30) for n in names], fontsize=8)
    ax.tick_params(axis="x", labelsize=8)


def central_plot(central: dict[str, dict[str, list[dict[str, Any]]]], measure: str = "pagerank",
                 top: int = 10) -> bytes:
    """One horizontal bar chart per entity kind of the top entities by ``measure``.

    >>> from citegraph.graph.analytics import central_entities
    >>> from citegraph.testing import toy_graph
    >>> central_plot(central_entities(toy_graph()))[:4]
    b'\\x89PNG'
    """
    labels = list(central) or ["entities"]
    fig = Figure(figsize=(11, 2.2 + 0.28 * top * ((len(labels) + 1) // 2)))
    cols = 2 if len(labels) > 1 else 1
    rows = (len(labels) + cols - 1) // cols
    for i, lab in enumerate(labels):
        ax = fig.add_subplot(rows, cols, i + 1)
        items = central.get(lab, {}).get(measure, [])[:top]
        _barh(ax, _names(items), [e["value"] for e in items], f"{lab}: top by {measure}")
    fig.tight_layout()
    return png_bytes(fig)


def bridges_plot(bridges: list[dict[str, Any]]) -> bytes:
    """Bar chart of the bridge entities' betweenness.

    >>> bridges_plot([])[:4]
    b'\\x89PNG'
    """
    fig = Figure(figsize=(8, 1.5 + 0.3 * max(len(bridges), 3)))
    ax = fig.add_subplot()
    _barh(ax, [f"{n} ({b['label']})" for n, b in zip(_names(bridges), bridges)], [b["betweenness"] for b in bridges],
          "bridges: normalised betweenness", "#dd8452")
    fig.tight_layout()
    return png_bytes(fig)


def thematic_plot(tmap: dict[str, Any], max_labels: int = 20) -> bytes:
    """Callon's strategic diagram: communities by centrality (x) and density (y), bubble area by papers,
    medians drawn, quadrants named.

    >>> from citegraph.graph.analytics import thematic_map
    >>> from citegraph.testing import toy_graph
    >>> thematic_plot(thematic_map(toy_graph()))[:4]
    b'\\x89PNG'
    """
    fig = Figure(figsize=(9, 7))
    ax = fig.add_subplot()
    ax.set_title("thematic map (Callon centrality × density)", fontsize=11)
    themes = tmap.get("themes", [])
    if not themes:
        _empty(ax, "no communities of two or more entities")
        return png_bytes(fig)
    xs = [t["centrality"] for t in themes]
    ys = [t["density"] for t in themes]
    biggest = max(t.get("papers", t["size"]) for t in themes) or 1
    sizes = [40 + 900 * t.get("papers", t["size"]) / biggest for t in themes]
    colours = [_QUADRANT_COLOURS[t["quadrant"]] for t in themes]
    ax.scatter(xs, ys, s=sizes, c=colours, alpha=0.55, edgecolors="black", linewidths=0.5)
    cm, dm = tmap["centrality_median"], tmap["density_median"]
    ax.axvline(cm, color="#999999", linestyle="--", linewidth=1)
    ax.axhline(dm, color="#999999", linestyle="--", linewidth=1)
    for t in sorted(themes, key=lambda t: (-t.get("papers", t["size"]), t["id"]))[:max_labels]:
        ax.annotate(_text(t["label"], 34), (t["centrality"], t["density"]), fontsize=7,
                    xytext=(4, 4), textcoords="offset points")
    ax.set_xlabel("centrality (ties to other themes)")
    ax.set_ylabel("density (internal cohesion)")
    for (x, y, ha, va), name in zip(
        [(0.99, 0.99, "right", "top"), (0.01, 0.99, "left", "top"), (0.01, 0.01, "left", "bottom"),
         (0.99, 0.01, "right", "bottom")],
        ["motor themes", "niche themes", "emerging or declining", "basic themes"],
    ):
        ax.text(x, y, name, transform=ax.transAxes, ha=ha, va=va, fontsize=10, fontweight="bold", color="#444444")
    fig.tight_layout()
    return png_bytes(fig)


def trends_plot(trends: dict[str, Any]) -> bytes:
    """Papers per date (bars: listing dates, or publication years, as ``trends["unit"]`` says) and the top
    entities' share of each date's papers (lines).

    >>> from citegraph.graph.analytics import trends
    >>> from citegraph.testing import toy_graph
    >>> trends_plot(trends(toy_graph()))[:4]
    b'\\x89PNG'
    """
    fig = Figure(figsize=(11, 4.5))
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    dates, unit = trends.get("dates", []), trends.get("unit", "listing date")
    ax1.set_title(f"papers per {unit}", fontsize=10)
    ax2.set_title(f"top entities: share of papers per {unit}", fontsize=10)
    if not dates:
        _empty(ax1, "no dated papers")
        _empty(ax2, "no dated papers")
        return png_bytes(fig)
    x = list(range(len(dates)))
    ax1.bar(x, [trends["papers_per_date"][d] for d in dates], color="#4c72b0")
    undated = trends.get("undated_papers", 0)
    if undated:
        ax1.text(0.99, 0.99, f"{undated} undated papers not shown", transform=ax1.transAxes, ha="right",
                 va="top", fontsize=8)
    for ax in (ax1, ax2):
        ax.set_xticks(x)
        ax.set_xticklabels(dates, fontsize=8, rotation=30 if len(dates) > 4 else 0)
    totals = [trends["papers_per_date"][d] or 1 for d in dates]
    for e in trends.get("top_entities", [])[:8]:
        ax2.plot(x, [100 * e["papers_per_date"][d] / n for d, n in zip(dates, totals)], marker="o",
                 label=_text(e["name"], 28))
    ax2.set_ylabel(f"% of that {unit.split()[-1]}'s papers", fontsize=8)
    if trends.get("top_entities"):
        ax2.legend(fontsize=7, loc="best")
    if trends.get("note"):
        fig.suptitle(_text(trends["note"], 120), fontsize=9)
    fig.tight_layout()
    return png_bytes(fig)


def usage_heatmap(matrix: dict[str, Any], rows: str = "method", cols: str = "dataset") -> bytes:
    """Heatmap of a usage matrix (papers using both), counts written in the cells.

    >>> from citegraph.graph.analytics import usage_matrix
    >>> from citegraph.testing import toy_graph
    >>> usage_heatmap(usage_matrix(toy_graph()))[:4]
    b'\\x89PNG'
    """
    r, c = matrix.get("rows", []), matrix.get("cols", [])
    fig = Figure(figsize=(max(6, 1.5 + 0.55 * len(c)), max(3.5, 1.8 + 0.4 * len(r))))
    ax = fig.add_subplot()
    ax.set_title(f"{rows} × {cols}: papers using both", fontsize=10)
    if not r or not c:
        _empty(ax, f"no paper mentions both a {rows} and a {cols}")
        return png_bytes(fig)
    counts = matrix["counts"]
    im = ax.imshow(counts, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(c)))
    ax.set_xticklabels([_text(x["name"], 24) for x in c], rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(r)))
    ax.set_yticklabels([_text(x["name"], 28) for x in r], fontsize=8)
    top = max(max(row) for row in counts) or 1
    for i, row in enumerate(counts):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                        color="white" if v > top / 2 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    return png_bytes(fig)


def references_plot(refs: list[dict[str, Any]]) -> bytes:
    """Bar chart of the most cited references.

    >>> from citegraph.graph.analytics import top_references
    >>> from citegraph.testing import toy_graph
    >>> references_plot(top_references(toy_graph()))[:4]
    b'\\x89PNG'
    """
    fig = Figure(figsize=(8, 1.5 + 0.3 * max(len(refs), 3)))
    ax = fig.add_subplot()
    _barh(ax, [r["name"] for r in refs], [r["papers"] for r in refs], "most cited references (citing papers)",
          "#55a868")
    fig.tight_layout()
    return png_bytes(fig)
