"""Interactive HTML maps of a build graph: one self-contained, offline file drawn with pyvis / vis-network.

:func:`render_html` picks what to draw (:mod:`citegraph.graph.view.select`), gathers what the side panel explains
(:mod:`citegraph.graph.view.data`), lays big maps out in Python (igraph Fruchterman-Reingold, seeded, browser physics
off) and
renders the page through pyvis with citegraph's own template (``graph/templates``): vis-network in-lined, no CDN,
a Content-Security-Policy that forbids every network request and every script but the page's own, and all paper text
embedded as escaped JSON and shown with ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from citegraph.extract.records import Extraction, Paper

from citegraph.graph.builddir.files import atomic_write
from citegraph.graph.view.citemaps import mark_main_path
from citegraph.graph.view.data import Evidence, script_json
from citegraph.graph.formats.gexf import write_view_gexf
from citegraph.graph.view.layout import layout as _layout, map_layouts, year_layout
from citegraph.graph.view.select import MODES, ViewError, backbone, resolve_focus, view_graph
from citegraph.graph.view.style import COMMUNITY_COLOURS, KIND_COLOURS, OTHER_COLOUR, edge_style

__all__ = ["map_html", "map_data", "MapData", "render_html", "render_gexf", "resolve_focus", "ViewError", "MODES",
           "DEFAULT_MAX_NODES", "PYTHON_LAYOUT_ABOVE"]

log = logging.getLogger(__name__)

#: Node budget of a map (see the README section for the measurement behind it).
DEFAULT_MAX_NODES = 1500
#: Above this many drawn nodes the layout is computed in Python and browser physics is off.
PYTHON_LAYOUT_ABOVE = 300
#: Edge budget per node of the budget: a map draws at most ``EDGES_PER_NODE * max_nodes`` edges.
EDGES_PER_NODE = 5
#: Labels are cut to this many characters (the full name is in the tooltip and the panel).
LABEL_CHARS = 32

TEMPLATES = Path(__file__).with_name("templates")

#: A big map first shows the nodes in at least this many papers (raised until at most CORE_NODES show).
CORE_MIN_PAPERS = 2
CORE_NODES = 600
_NOUNS = {"entities": ("entity", "entities"), "papers": ("paper or reference", "papers and references"),
          "citations": ("paper", "papers"), "cocitation": ("work", "works"), "coupling": ("paper", "papers"),
          "coauthors": ("author", "authors")}
_HEADINGS = {"entities": "Entity co-occurrence map", "papers": "Papers, references and related papers",
             "citations": "Direct citations by year (historiograph)", "cocitation": "Co-citation map",
             "coupling": "Bibliographic coupling map", "coauthors": "Co-authorship map"}
#: What sizes a node (in its panel, in the legend, in the "Min." filter) and what widens a link, per mode.
_MEASURES = {"entities": ("papers", "paper count", "papers", "shared papers"),
             "papers": ("papers", "paper count", "papers", "shared papers"),
             "citations": ("citing it in the corpus", "citations within the corpus", "citations", "search path count"),
             "cocitation": ("citing it", "citing papers", "citing papers", "papers citing both"),
             "coupling": ("references", "references", "references", "Salton strength"),
             "coauthors": ("papers", "papers written", "papers", "papers written together")}


def render_html(G: nx.DiGraph, out: Path, *, papers: Mapping[str, Paper] | None = None,
                extractions: Mapping[str, Extraction] | None = None, focus: str | None = None,
                kinds: Sequence[str] | None = None, max_nodes: int = DEFAULT_MAX_NODES, mode: str = "entities",
                seed: int = 0, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Write the interactive map of ``G`` (see :func:`map_html`) to ``out`` atomically, nothing else; returns what
    was drawn and left out."""
    html, stats = map_html(G, papers=papers, extractions=extractions, focus=focus, kinds=kinds, max_nodes=max_nodes,
                           mode=mode, seed=seed, changes=changes)
    with atomic_write(out) as fh:
        fh.write(html)
    log.info("wrote %s: %d nodes, %d edges (%d/%d left out)", out, stats["nodes"], stats["edges"],
             stats["nodes_left_out"], stats["edges_left_out"])
    return stats


def map_html(G: nx.DiGraph, *, papers: Mapping[str, Paper] | None = None,
             extractions: Mapping[str, Extraction] | None = None, focus: str | None = None,
             kinds: Sequence[str] | None = None, max_nodes: int = DEFAULT_MAX_NODES, mode: str = "entities",
             seed: int = 0, changes: Mapping[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    """The interactive map of ``G`` as one offline HTML page, and what was drawn and left out.

    Parameters
    ----------
    G : the build graph (README schema); not modified.
    papers, extractions : by paper id; they let the side panel quote titles, dates, links and the sentences
        behind each edge.
    focus : an entity key, node id, name or alias: draw that node's ego network.
    kinds : entity labels (``entities`` mode) or ``paper``/``reference`` (``papers`` mode) to keep.
    max_nodes : node budget; a bigger view keeps its backbone (highest PageRank nodes, strongest edges).
    mode : ``entities`` (co-occurrence map) or ``papers`` (papers, references, RELATED_TO and CITES).
    seed : seeds the communities and the layout.
    changes : what ``changes.json`` says the last ``build --update`` added: the page can show it.

    Returns
    -------
    the page, and a dict with ``nodes``, ``edges`` (drawn), ``nodes_left_out``, ``edges_left_out``, ``layout``
    and ``mode``.

    Raises
    ------
    ViewError : unknown mode, kind or focus (a :class:`~citegraph.extract.records.CitegraphError` and a ``ValueError``).
    """
    data = map_data(G, papers=papers, extractions=extractions, focus=focus, kinds=kinds, max_nodes=max_nodes,
                    mode=mode, seed=seed, changes=changes)
    return _page(data.nodes, data.edges, data.meta), data.stats


class MapData(NamedTuple):
    """What a map draws: vis-network nodes and edges, the page's metadata, and the stats of what was left out."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    meta: dict[str, Any]
    stats: dict[str, Any]


def map_data(G: nx.DiGraph, *, papers: Mapping[str, Paper] | None = None,
             extractions: Mapping[str, Extraction] | None = None, focus: str | None = None,
             kinds: Sequence[str] | None = None, max_nodes: int = DEFAULT_MAX_NODES, mode: str = "entities",
             seed: int = 0, changes: Mapping[str, Any] | None = None, positions_always: bool = False) -> MapData:
    """The nodes, edges and metadata of the map :func:`map_html` draws (same parameters); ``positions_always``
    lays out small maps in Python too (their page lays them out in the browser), as an export needs."""
    view = view_graph(G, mode=mode, kinds=kinds, focus=focus)
    H = view.graph
    importance = _pagerank(H)
    B = backbone(H, importance, max_nodes=max_nodes, max_edges=EDGES_PER_NODE * max_nodes, anchors=view.anchors)
    communities = _communities(B, seed)
    layout = "python" if B.number_of_nodes() > PYTHON_LAYOUT_ABOVE or mode == "citations" else "browser"
    min_papers = default_min_papers(B, mode, bool(view.anchors))
    core = [n for n, d in B.nodes(data=True) if _count(d) >= min_papers or n in view.anchors]
    axis: list[dict[str, Any]] = []
    if mode == "citations":  # publication year on the x axis, each node's x fixed
        positions, axis = year_layout(B, seed, communities)
        full = positions
    elif layout == "python":
        positions, full = map_layouts(B, core, seed, communities)
    else:
        positions, full = {}, (_layout(B, seed, communities) if positions_always else {})
    evidence = Evidence(G, papers, extractions)
    nodes = [_node(G, n, d, importance, communities, positions, full, evidence, n in view.anchors)
             for n, d in sorted(B.nodes(data=True))]
    colour_by = "community" if mode != "papers" and len(set(communities.values())) > 1 else "kind"
    in_core = set(core)
    for node in nodes:  # as the page first draws them: coloured by community, the core only
        if colour_by == "community":
            c = node["community"]
            node["color"] = COMMUNITY_COLOURS[c] if c < len(COMMUNITY_COLOURS) else OTHER_COLOUR
        if node["id"] not in in_core:
            node["hidden"] = True
        if axis:
            node["fixed"] = {"x": True}
    edges, explain = [], {}
    for i, (u, v, d) in enumerate(sorted(B.edges(data=True), key=lambda e: tuple(sorted(e[:2])))):
        u, v = sorted((u, v))
        eid = f"e{i}"
        edges.append(_edge(eid, B, u, v, d))
        explain[eid] = evidence.edge_evidence(u, v, d)
    stats = {
        "mode": mode, "layout": layout,
        "nodes": B.number_of_nodes(), "edges": B.number_of_edges(),
        "nodes_left_out": H.number_of_nodes() - B.number_of_nodes(),
        "edges_left_out": H.number_of_edges() - B.number_of_edges() + view.left_out.get("edges", 0),
        "min_papers": min_papers, "core_nodes": len(core), "colour_by": colour_by,
    }
    meta = _meta(view, stats, communities, B, evidence, explain, focus, kinds, seed)
    meta["axis"] = axis
    meta["count_words"], meta["size_words"], meta["filter_words"], meta["width_words"] = _MEASURES[mode]
    meta["filtered"] = filtered_text(G) if mode == "entities" else ""
    meta["main_path"] = mark_main_path(nodes, edges)
    meta["changes"] = _mark_new(nodes, edges, changes) if changes else None
    return MapData(nodes, edges, meta, stats)


def render_gexf(G: nx.DiGraph, out: Path, **options: Any) -> dict[str, Any]:
    """Write the map :func:`render_html` would draw (same options) as GEXF for Gephi, atomically: the same nodes
    and links, with the map's positions, sizes and colours (``viz:``), directed links declared directed and the
    others undirected. Returns what was drawn and left out.
    """
    data = map_data(G, positions_always=True, **options)
    with atomic_write(out) as fh:
        write_view_gexf(data.nodes, data.edges, fh, title=data.meta["summary"])
    log.info("wrote %s: %d nodes, %d edges", out, data.stats["nodes"], data.stats["edges"])
    return data.stats


def _pagerank(H: nx.Graph) -> dict[str, float]:
    if H.number_of_nodes() == 0:
        return {}
    try:
        return nx.pagerank(H, weight="weight", max_iter=200, tol=1e-8)
    except nx.PowerIterationFailedConvergence:
        total = sum(d for _, d in H.degree(weight="weight")) or 1.0
        return {n: d / total for n, d in H.degree(weight="weight")}


def _communities(B: nx.Graph, seed: int) -> dict[str, int]:
    """Community index per node: 0 is the biggest community; ties break on the smallest node id."""
    if B.number_of_nodes() == 0:
        return {}
    parts = nx.community.louvain_communities(B, weight="weight", seed=seed)
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    return {n: i for i, p in enumerate(parts) for n in p}


def _mark_new(nodes: list[dict], edges: list[dict], changes: Mapping[str, Any]) -> dict[str, int]:
    """Flag the nodes and links an update added (``"new": true``); the totals of the update, and how many of its
    nodes and links this map draws."""
    new_nodes = set(changes.get("new_papers") or ()) | set(changes.get("new_references") or ())
    new_nodes |= {e["id"] for e in changes.get("new_entities") or () if isinstance(e, Mapping) and "id" in e}
    new_links = {tuple(sorted(e[:2])) for e in changes.get("new_edges") or ()}
    for n in nodes:
        if n["id"] in new_nodes:
            n["new"] = True
    for e in edges:
        if tuple(sorted((e["from"], e["to"]))) in new_links:
            e["new"] = True
    return {"papers": len(changes.get("new_papers") or ()), "entities": len(changes.get("new_entities") or ()),
            "links": len(new_links), "drawn_nodes": sum(1 for n in nodes if n.get("new")),
            "drawn_links": sum(1 for e in edges if e.get("new"))}


def _count(d: dict) -> int:
    return int(d.get("paper_count", 1 if d.get("kind") == "paper" else 0) or 0)


def default_min_papers(B: nx.Graph, mode: str, focused: bool) -> int:
    """The "Min. papers" a map opens with: 0 for small maps, focused maps and paper maps; else
    ``CORE_MIN_PAPERS`` (2), raised until at most ``CORE_NODES`` nodes show (the rest is one filter away).

    >>> B = nx.Graph(); B.add_nodes_from((f"e{i}", {"kind": "entity", "paper_count": i % 5}) for i in range(2000))
    >>> default_min_papers(B, "entities", False), default_min_papers(B, "entities", True)
    (4, 0)
    """
    if mode != "entities" or focused or B.number_of_nodes() <= PYTHON_LAYOUT_ABOVE:
        return 0
    counts = sorted((_count(d) for _, d in B.nodes(data=True)), reverse=True)
    m = CORE_MIN_PAPERS
    while sum(1 for c in counts if c >= m) > CORE_NODES:
        m += 1
    return m if any(c >= m for c in counts) else 0


_DEFINED_ACRONYM = re.compile(r"^(?P<long>.+\S) \((?P<short>[^()]{1,12})\)$")


def _short(text: str) -> str:
    """A node's label on the map: its name without a defined acronym after it (``dynamical systems (DS)`` is drawn
    ``dynamical systems``; the panel and the tooltip give the whole name), cut at :data:`LABEL_CHARS`.

    >>> _short("neural networks (NNs)"), _short("f(x) (F)"), _short("BERT")
    ('neural networks', 'f(x)', 'BERT')
    """
    text = " ".join(str(text).split())
    m = _DEFINED_ACRONYM.match(text)
    if m:
        text = m.group("long")
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _node(G: nx.DiGraph, n: str, d: dict, importance: dict, communities: dict, positions: dict, full: dict,
          evidence: Evidence, anchor: bool) -> dict[str, Any]:
    kind = d.get("kind_label", d.get("kind", ""))
    name = str(d.get("name") or n.split(":", 1)[-1])
    count = int(d.get("paper_count", 1 if kind == "paper" else 0) or 0)
    pids, total = evidence.node_papers(n, citing=bool(d.get("papers_citing")))
    plural = "paper" if count == 1 else "papers"
    node: dict[str, Any] = {
        "id": n, "text": _short(name), "name": name, "kind": kind, "count": count,
        "pr": round(importance.get(n, 0.0), 8), "community": communities.get(n, 0),
        "value": count, "color": KIND_COLOURS.get(kind, OTHER_COLOUR),
        "title": f"{name}\n{kind} · {count} {plural}" if kind != "paper" else f"{name}\npaper",
        "aliases": [str(a) for a in (d.get("aliases") or ()) if str(a) != name],
        "papers": pids, "np": total,
        "first": str(d.get("first_date") or ""), "last": str(d.get("last_date") or ""),
    }
    if d.get("max_confidence") is not None:  # an entity: how sure the extractor was of it, on average and at best
        node["conf"] = [round(float(d.get("confidence") or 0.0), 2), round(float(d["max_confidence"]), 2)]
    if anchor:
        node["anchor"] = True
        node["borderWidth"] = 4
    if n in positions:
        node["x"], node["y"] = positions[n]
    if n in full and full[n] != positions.get(n):
        node["fx"], node["fy"] = full[n]
    return node


def _edge(eid: str, B: nx.Graph, u: str, v: str, d: dict) -> dict[str, Any]:
    """One drawn link, styled by its type (:mod:`citegraph.graph.view.style`); a directed type points from the
    graph's source to its target, a typed relation from its ``head`` to its ``tail`` (the graph stores it once per
    entity pair, whichever way it goes)."""
    a, b = str(B.nodes[u].get("name") or u), str(B.nodes[v].get("name") or v)
    kind = str(d.get("type", ""))
    style = edge_style(kind)
    w = float(d.get("weight", 1.0))
    source = d["head"] if d.get("head") in (u, v) else d.get("source_node", u)
    if kind == "CO_OCCURS":
        n = int(d.get("papers", w))
        title = f"{a} — {b}\nin {n} paper{'s' if n != 1 else ''} together · click for the sentences"
    elif kind == "RELATED_TO":
        title = f"{a} — {b}\nrelated: {d.get('shared', 0)} shared entities · click for details"
    elif style.directed:
        first, second = (a, b) if source == u else (b, a)
        title = f"{first} {style.words} {second} · click for the evidence"
    else:
        title = f"{a} — {b}\n{_derived_words(kind, d) or style.words} · click for the evidence"
    edge = {"id": eid, "from": u, "to": v, "value": w, "type": kind, "title": title, **style.vis()}
    if d.get("main_path"):
        edge["main_path"] = True
    if style.directed:
        edge["arrows"] = "to" if source == u else "from"
    return edge


def _derived_words(kind: str, d: dict) -> str:
    """What a link of a citation map counts, in words ("" for the other types)."""
    n = int(d.get("papers", d.get("shared", 0)) or 0)
    if kind == "CO_CITED":
        return f"cited together by {n} paper{'s' if n != 1 else ''}"
    if kind == "COUPLED":
        return f"{n} shared reference{'s' if n != 1 else ''} · Salton strength {float(d.get('weight', 0)):.2f}"
    if kind == "CO_AUTHOR":
        return f"wrote {n} paper{'s' if n != 1 else ''} together"
    return ""


def _left_out_text(view, stats: dict) -> str:
    one, many = _NOUNS[view.mode]
    if not (stats["nodes_left_out"] or stats["edges_left_out"]):
        return ""
    total_n = stats["nodes"] + stats["nodes_left_out"]
    total_e = stats["edges"] + stats["edges_left_out"]
    return (f"Backbone only: {stats['nodes']:,} of {total_n:,} {many} (highest PageRank"
            f"{', focus first' if view.anchors else ''}), {stats['edges']:,} of {total_e:,} links (each node's "
            f"strongest first). Left out: {stats['nodes_left_out']:,} "
            f"{many if stats['nodes_left_out'] != 1 else one}, {stats['edges_left_out']:,} links "
            "(--max-nodes or --focus draws them).")


def filtered_text(G: nx.DiGraph) -> str:
    """What the build left out of the graph's entities, in words ("" when nothing): read from the graph's own
    attributes (``min_confidence``, ``min_papers`` and how many entities each left out).

    >>> import textwrap
    >>> G = nx.DiGraph(min_confidence=0.5, min_papers=2, entities_under_confidence=1947, entities_under_min_papers=1)
    >>> print(textwrap.fill(filtered_text(G), 100))
    Not in this graph: 1,947 entities found only with a confidence under 0.5 and 1 entity in fewer than
    2 papers (mentions.jsonl lists them; build --min-confidence 0 --min-papers 1 keeps them).
    >>> filtered_text(nx.DiGraph(min_confidence=0.5, entities_under_confidence=0))
    ''
    """
    parts, options = [], []
    under = int(G.graph.get("entities_under_confidence") or 0)
    if under:
        parts.append(f"{under:,} {'entity' if under == 1 else 'entities'} found only with a confidence under "
                     f"{G.graph.get('min_confidence')}")
        options.append("--min-confidence 0")
    rare = int(G.graph.get("entities_under_min_papers") or 0)
    if rare:
        parts.append(f"{rare:,} {'entity' if rare == 1 else 'entities'} in fewer than {G.graph.get('min_papers')} "
                     "papers")
        options.append("--min-papers 1")
    if not parts:
        return ""
    return (f"Not in this graph: {' and '.join(parts)} (mentions.jsonl lists them; build {' '.join(options)} keeps "
            "them).")


def _meta(view, stats, communities, B, evidence, explain, focus, kinds, seed) -> dict[str, Any]:
    one, many = _NOUNS[view.mode]
    sizes: dict[int, list[str]] = {}
    for n in sorted(B, key=lambda n: (-int(B.nodes[n].get("paper_count", 0) or 0), n)):
        sizes.setdefault(communities.get(n, 0), []).append(str(B.nodes[n].get("name") or n))
    groups = [{"id": c, "colour": COMMUNITY_COLOURS[c] if c < len(COMMUNITY_COLOURS) else OTHER_COLOUR,
               "size": len(names), "top": names[:3]} for c, names in sorted(sizes.items())]
    present = sorted({B.nodes[n].get("kind_label", "") for n in B},
                     key=lambda k: list(KIND_COLOURS).index(k) if k in KIND_COLOURS else 99)
    types = sorted({str(d.get("type", "")) for _, _, d in B.edges(data=True)})
    edge_types = [{"type": t, "colour": edge_style(t).colour, "dashes": bool(edge_style(t).dashes),
                   "directed": edge_style(t).directed, "words": edge_style(t).words} for t in types]
    dates = sorted({str(B.nodes[n].get("first_date") or "") for n in B} - {""})
    physics = stats["layout"] == "browser"
    options = {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": B.number_of_nodes() <= 150},
        "nodes": {"shape": "dot", "borderWidth": 1,
                  "font": {"face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"min": 6, "max": 42}},
        "edges": {"smooth": False, "color": {"color": "#b9b9b9", "highlight": "#333333", "hover": "#555555",
                                             "opacity": 0.55},
                  "scaling": {"min": 1, "max": 7}, "selectionWidth": 2},
        "interaction": {"hover": not stats["nodes"] > 2000, "tooltipDelay": 150,
                        "hideEdgesOnDrag": stats["edges"] > 3000,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.4},
                    "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True}},
    }
    heading = _HEADINGS[view.mode]
    summary = (f"{stats['nodes']:,} {one if stats['nodes'] == 1 else many}, {stats['edges']:,} links"
               f" · {view.description}")
    return {
        "mode": view.mode, "title": heading, "summary": summary, "left_out": _left_out_text(view, stats),
        "empty": f"Nothing to draw: this view has no {many}"
                 + (f" for focus {focus!r}" if focus else "") + (f" of kinds {', '.join(kinds)}" if kinds else "")
                 + ". Try another --kind, --focus or --mode.",
        "stats": stats, "kinds": [[k, KIND_COLOURS.get(k, OTHER_COLOUR)] for k in present],
        "communities": groups, "other_colour": OTHER_COLOUR, "anchors": list(view.anchors),
        "min_papers": stats["min_papers"], "core_nodes": stats["core_nodes"], "colour_by": stats["colour_by"],
        "edge_types": edge_types,
        "dates": dates,
        # an export's entities are dated by publication year ("2019"), a listing's by listing date ("2024-03-13")
        "dates_title": "First published" if dates and all(len(d) == 4 for d in dates) else "First listed",
        "papers": evidence.paper_rows, "sentences": evidence.sentences, "evidence": explain, "options": options,
    }


def _json_filter(value: Any) -> Markup:
    return Markup(script_json(value))


_CODE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_CSP_HASHES = "__CITEGRAPH_CSP_HASHES__"


def _page(nodes: list[dict], edges: list[dict], meta: dict) -> str:
    """Render through pyvis (in-line vis-network) with citegraph's template, then pin the page's own scripts in
    its Content-Security-Policy by hash, so an injected handler could not run even if text ever became markup."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    net.nodes, net.edges = nodes, edges  # assigned directly: pyvis's add_edge is O(E) per call
    net.options = meta["options"]
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), FileSystemLoader(net.template_dir)]),
                      autoescape=True)
    env.filters["script_json"] = _json_filter
    env.globals["meta"] = meta
    env.globals["csp_hashes"] = _CSP_HASHES
    net.templateEnv, net.path = env, "map.html.j2"
    html = net.generate_html()
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode()
                      + "'" for m in _CODE_SCRIPT.finditer(html))
    return html.replace(_CSP_HASHES, hashes, 1)
