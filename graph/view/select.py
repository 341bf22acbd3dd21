"""What a map shows: the view graph of a mode, a focus's ego network, and the backbone kept under a node budget.

Pure functions over the build graph (README schema); none of them mutates its input.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx

from citegraph.extract.records import LABELS, CitegraphError
from citegraph.graph.view.citemaps import CITATION_MODES, STRONGEST_LINKS, citation_map
from citegraph.graph.view.style import RELATION_TYPES

__all__ = ["MODES", "ViewError", "ViewGraph", "resolve_focus", "view_graph", "backbone"]

#: The map modes and the node kinds (entity labels, or paper/reference) each one can filter on.
MODES: dict[str, tuple[str, ...]] = {"entities": LABELS, "papers": ("paper", "reference", "author"),
                                     **CITATION_MODES}

#: The edge types each mode draws; a typed relation is drawn instead of the co-occurrence of the same pair.
_EDGE_TYPES = {"entities": ("CO_OCCURS", *RELATION_TYPES), "papers": ("RELATED_TO", "CITES", "WROTE")}
_NODE_KINDS = {"entities": {"entity"}, "papers": {"paper", "reference", "author"}}


class ViewError(CitegraphError, ValueError):
    """A map cannot be drawn as asked (unknown mode, kind or focus)."""


@dataclass
class ViewGraph:
    """An undirected view of the build graph, with the nodes a focus asked to keep whatever the budget."""

    graph: nx.Graph
    mode: str
    anchors: tuple[str, ...] = ()  # focus nodes (kept first by the backbone)
    description: str = ""  # what the view shows, in words
    left_out: dict[str, int] = field(default_factory=dict)


def _kind_of(d: dict) -> str:
    """The filterable kind of a node: an entity's label, else its ``kind``."""
    return str(d.get("label") or "concept") if d.get("kind") == "entity" else str(d.get("kind", ""))


def _weight(d: dict) -> float:
    if d.get("type") == "CO_OCCURS":
        return float(d.get("papers", d.get("weight", 1)) or 1)
    if d.get("type") == "CITES":
        return float(d.get("count", 1) or 1)
    if d.get("type") in RELATION_TYPES:  # the papers that state the relation
        n = d.get("papers")
        return float(n if isinstance(n, (int, float)) and n else len(d.get("paper_ids") or ()) or 1)
    return float(d.get("weight", 1) or 1)


def _match_keys(node: str, d: dict) -> Iterable[tuple[int, str]]:
    """(priority, lower-cased text) pairs a focus string may match; lower priority wins."""
    yield 0, node.lower()
    kind = d.get("kind")
    if kind == "entity":
        yield 1, str(d.get("key", node.split(":", 1)[-1])).lower()
    elif kind == "paper":
        yield 1, node.split(":", 1)[-1].lower()
    elif kind == "reference":
        yield 1, node.split(":", 1)[-1].lower()
    if d.get("name"):
        yield 2, str(d["name"]).lower()
    for alias in d.get("aliases") or ():
        yield 3, str(alias).lower()


def resolve_focus(G: nx.DiGraph, text: str) -> str:
    """The node a focus string names: a node id, an entity key, a name or an alias (case-insensitive).

    Among several nodes with the same name or alias, the one in most papers wins; entities before papers.
    An unknown focus raises :class:`ViewError` listing close matches.

    >>> G = nx.DiGraph()
    >>> G.add_node("entity:bert", kind="entity", label="method", key="bert", name="BERT", aliases=["Bert model"])
    >>> resolve_focus(G, "bert model"), resolve_focus(G, "entity:bert"), resolve_focus(G, "BERT")
    ('entity:bert', 'entity:bert', 'entity:bert')
    """
    wanted = text.strip().lower()
    if not wanted:
        raise ViewError("the focus is empty; give an entity key, node id, name or alias")
    best: tuple | None = None
    names: dict[str, str] = {}
    for node, d in G.nodes(data=True):
        kind_rank = {"entity": 0, "paper": 1, "reference": 2}.get(d.get("kind"), 3)
        for prio, key in _match_keys(node, d):
            names.setdefault(key, node)
            if key == wanted:
                rank = (prio, kind_rank, -int(d.get("paper_count", 0) or 0), node)
                if best is None or rank < best:
                    best = rank
    if best is not None:
        return best[-1]
    close = difflib.get_close_matches(wanted, sorted(names), n=6, cutoff=0.6)
    if not close:
        close = sorted(k for k in names if wanted in k)[:6]
    hint = "; close matches: " + ", ".join(f"{c!r} ({names[c]})" for c in close) if close else "; no close match"
    raise ViewError(f"unknown focus {text!r}: no node id, entity key, name or alias matches it{hint}")


def view_graph(G: nx.DiGraph, *, mode: str = "entities", kinds: Sequence[str] | None = None,
               focus: str | None = None) -> ViewGraph:
    """The undirected graph a map of ``mode`` draws, filtered to ``kinds`` and to ``focus``'s ego network.

    Node attributes are copied from ``G`` (plus ``kind_label``); edges carry ``weight`` (shared papers for
    ``CO_OCCURS``) and ``type``.
    """
    if mode not in MODES:
        raise ViewError(f"unknown mode {mode!r}; expected one of {tuple(MODES)}")
    allowed = MODES[mode]
    if kinds:
        bad = [k for k in kinds if k not in allowed]
        if bad:
            raise ViewError(f"unknown kind {bad[0]!r} for the {mode} map; expected some of {allowed}")
        allowed = tuple(k for k in allowed if k in kinds)
    pruned = 0
    if mode in CITATION_MODES:
        try:
            H, what = citation_map(G, mode)
        except CitegraphError as e:
            raise ViewError(str(e)) from e
        pruned = H.graph.get("pruned", 0)
        if pruned:
            what += f"; each node's {STRONGEST_LINKS} strongest links"
        H.remove_nodes_from([n for n, k in sorted(H.nodes(data="kind_label")) if k not in allowed])
        if kinds and H.number_of_edges() == 0:
            raise ViewError(f"nothing to draw on the {mode} map of kinds {', '.join(allowed)}: no link between "
                            f"such nodes; try another --kind")
    else:
        H, what = _build_view(G, mode, allowed), {"entities": "entities and their co-occurrences",
                                                  "papers": "papers, their references and related papers"}[mode]
    description = what + (f" ({', '.join(allowed)})" if kinds else "")
    anchors: tuple[str, ...] = ()
    if focus:
        node = resolve_focus(G, focus)
        if node in H:
            anchors = (node,)
        elif G.nodes[node].get("kind") == "entity" and mode == "papers":
            anchors = tuple(sorted(p for p in G.predecessors(node) if p in H))
        else:
            raise ViewError(f"focus {focus!r} ({node}) is not on the {mode} map"
                            + (f" of kinds {', '.join(allowed)}" if kinds else ""))
        keep = set(anchors)
        for a in anchors:
            keep.update(H.neighbors(a))
        H = H.subgraph(sorted(keep)).copy()
        description = f"the neighbourhood of {G.nodes[node].get('name') or node}: " + description
    return ViewGraph(H, mode, anchors, description, {"edges": pruned} if pruned and not (focus or kinds) else {})


def _build_view(G: nx.DiGraph, mode: str, allowed: Sequence[str]) -> nx.Graph:
    """The nodes of the kinds ``allowed`` and the links of ``mode`` between them, as stored in the build graph."""
    node_kinds = _NODE_KINDS[mode]
    H = nx.Graph()
    for n, d in sorted(G.nodes(data=True)):
        if d.get("kind") in node_kinds and _kind_of(d) in allowed:
            H.add_node(n, **{**d, "kind_label": _kind_of(d)})
    wanted = set(_EDGE_TYPES[mode])
    picked = sorted((u, v, d) for u, v, d in G.edges(data=True)
                    if u != v and d.get("type") in wanted and u in H and v in H)  # (u, v) pairs are unique
    for u, v, d in picked:
        w = _weight(d)
        if H.has_edge(u, v):
            old = H.edges[u, v]
            typed, old_typed = d.get("type") in RELATION_TYPES, old.get("type") in RELATION_TYPES
            if (old_typed, old["weight"]) >= (typed, w):
                continue  # a pair stored both ways or twice: keep the typed, then the stronger reading
        H.add_edge(u, v, **{**d, "weight": w, "source_node": u})
    return H


def backbone(H: nx.Graph, importance: dict[str, float], *, max_nodes: int, max_edges: int,
             anchors: Sequence[str] = (), per_node: int = 2) -> nx.Graph:
    """The most important ``max_nodes`` nodes (anchors first) and at most ``max_edges`` of their strongest edges.

    Every kept node first keeps its ``per_node`` strongest edges (so hubs do not take the whole edge budget),
    then the strongest remaining edges fill the budget. Ties break on node ids, so the result is deterministic.

    >>> H = nx.path_graph(["a", "b", "c", "d"])
    >>> nx.set_edge_attributes(H, 1.0, "weight")
    >>> sorted(backbone(H, {"a": 0.1, "b": 0.4, "c": 0.3, "d": 0.2}, max_nodes=2, max_edges=5).edges)
    [('b', 'c')]
    """
    if max_nodes < 1:
        raise ViewError(f"max_nodes must be at least 1, got {max_nodes}")
    order = list(dict.fromkeys([a for a in anchors if a in H]
                               + sorted(H, key=lambda n: (-importance.get(n, 0.0), n))))
    kept = set(order[:max_nodes])
    edges = sorted(((-float(d.get("weight", 1.0)), *sorted((u, v))) for u, v, d in H.edges(data=True)
                    if u in kept and v in kept))
    if len(edges) > max_edges:
        rank = {n: i for i, n in enumerate(order)}
        firsts: dict[str, list] = {}
        for e in edges:  # strongest first: each node's first ``per_node`` edges
            for n in e[1:]:
                if len(firsts.setdefault(n, [])) < per_node:
                    firsts[n].append(e)
        chosen = dict.fromkeys(e for n in sorted(firsts, key=rank.__getitem__) for e in firsts[n])
        for e in edges:
            if len(chosen) >= max_edges:
                break
            chosen.setdefault(e, None)
        edges = list(chosen)[:max_edges]
    B = nx.Graph()
    B.add_nodes_from((n, H.nodes[n]) for n in sorted(kept))
    B.add_edges_from((u, v, H.edges[u, v]) for _, u, v in sorted(edges, key=lambda e: e[1:]))
    return B
