"""Positions of a map's nodes computed in Python (seeded igraph Fruchterman-Reingold), for maps too big to lay out
in the browser.

:func:`map_layouts` lays out the nodes a map shows first (its core, for example the entities in at least two papers)
on their own, so that the first picture is spread over the screen, and the whole map apart; the page switches
between the two when a filter shows more than the core.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping

import networkx as nx

__all__ = ["layout", "map_layouts", "year_layout"]

Positions = dict[str, tuple[float, float]]

#: Pixels between two publication years, and between two papers of one year, on a citation map.
YEAR_STEP = 160.0
ROW_STEP = 56.0

#: Links inside a community pull this many times harder, so that communities sit together as regions of the map.
GROUP_PULL = 3.0


def map_layouts(B: nx.Graph, core: Collection[str], seed: int,
                groups: Mapping[str, int] | None = None) -> tuple[Positions, Positions]:
    """(positions of the core's nodes laid out on their own, positions of every node of ``B``).

    Nodes outside the core get a core position too (beside their strongest core neighbour, or on a ring outside),
    so that the core layout is complete; the page shows them only after a filter asks for them.
    """
    full = layout(B, seed, groups)
    if not core or len(core) == B.number_of_nodes():
        return full, full
    inner = layout(B.subgraph(core), seed, groups)
    xs = [p[0] for p in inner.values()] or [0.0]
    ys = [p[1] for p in inner.values()] or [0.0]
    radius = max(max(xs) - min(xs), max(ys) - min(ys), 1.0) / 2
    rng = random.Random(seed)
    out = dict(inner)
    for n in sorted(set(B) - set(core)):
        near = [(float(d.get("weight", 1.0)), m) for m, d in B[n].items() if m in inner]
        if near:
            _, m = max(near, key=lambda t: (t[0], t[1]))
            x, y = inner[m]
            out[n] = (round(x + rng.uniform(-30, 30), 1), round(y + rng.uniform(-30, 30), 1))
        else:
            x, y = full[n]
            out[n] = (round(x * 1.2 + radius * 0.1, 1), round(y * 1.2, 1))
    return out, full


def year_layout(B: nx.Graph, seed: int, groups: Mapping[str, int] | None = None) -> tuple[Positions, list[dict]]:
    """Positions with each node's publication ``year`` on the x axis (one column per year that has a node, oldest
    left; nodes without a year in a last column) and, within a column, the height a seeded :func:`layout` gives
    them (stretched to about half the width, so that the map is not a thin strip), at least ``ROW_STEP`` apart; and
    the axis: ``{"label", "x"}`` per column.

    >>> B = nx.Graph([("a", "b"), ("b", "c")]); nx.set_node_attributes(B, {"a": 2019, "b": 2021, "c": 2021}, "year")
    >>> pos, axis = year_layout(B, 0)
    >>> [a["label"] for a in axis], pos["a"][0] < pos["b"][0] == pos["c"][0], abs(pos["b"][1] - pos["c"][1]) >= 56
    (['2019', '2021'], True, True)
    """
    base = layout(B, seed, groups)
    years = sorted({int(y) for _, y in B.nodes(data="year") if y is not None})
    column = {y: i for i, y in enumerate(years)}
    by_column: dict[int, list[str]] = {}
    for n, y in sorted(B.nodes(data="year")):
        by_column.setdefault(column[int(y)] if y is not None else len(years), []).append(n)
    ys = [p[1] for p in base.values()] or [0.0]
    span = max(max(ys) - min(ys), 1.0)
    stretch = max(1.0, 0.5 * YEAR_STEP * max(len(by_column) - 1, 1) / span)
    positions: Positions = {}
    for c, members in sorted(by_column.items()):
        members.sort(key=lambda n: (base[n][1], n))
        placed: list[float] = []
        for n in members:  # top to bottom, each at least a row below the one above
            y = base[n][1] * stretch
            placed.append(max(y, placed[-1] + ROW_STEP) if placed else y)
        shift = (sum(base[n][1] * stretch for n in members) - sum(placed)) / len(placed)  # keep the column's centre
        for n, y in zip(members, placed):
            positions[n] = (c * YEAR_STEP, round(y + shift, 1))
    axis = [{"label": str(y), "x": column[y] * YEAR_STEP} for y in years]
    if len(years) in by_column:
        axis.append({"label": "no year", "x": len(years) * YEAR_STEP})
    return positions, axis


def layout(B: nx.Graph, seed: int, groups: Mapping[str, int] | None = None) -> dict[str, tuple[float, float]]:
    """Seeded igraph Fruchterman-Reingold positions, scaled so the map spreads over about 70 px per node."""
    import igraph

    if B.number_of_nodes() == 0:
        return {}
    names = sorted(B)
    index = {n: i for i, n in enumerate(names)}
    groups = groups or {}
    # edges in a fixed order (the graph's own order can follow set iteration, which differs between processes):
    # the forces are summed in this order, and floating-point sums in another order give another map
    links = sorted((*sorted((index[u], index[v])),
                    _layout_weight(d) * (GROUP_PULL if groups.get(u, -1) == groups.get(v, -2) else 1.0))
                   for u, v, d in B.edges(data=True))
    g = igraph.Graph(n=len(names), edges=[(u, v) for u, v, _ in links])
    weights = [w for _, _, w in links]
    # igraph draws its random start from a process-wide generator: seed it for this call, then put the default back.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(weights=weights or None, niter=500, grid="auto").coords
    finally:
        igraph.set_random_number_generator(random)
    coords = _pull_in_components(g, [tuple(c) for c in coords])
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    side = 70.0 * len(names) ** 0.5
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (round((x - cx) / span * side, 1), round((y - cy) / span * side, 1)) for n, (x, y) in zip(names, coords)}


def _layout_weight(d: dict) -> float:
    """How strongly a link pulls its ends together: a co-occurrence by its association strength (observed over
    expected, as VOSviewer lays maps out), so that hubs in many papers do not pull every node into one clump."""
    strength = d.get("association_strength")
    if strength is not None and d.get("type") == "CO_OCCURS":
        return max(0.05, min(float(strength), 20.0))
    return float(d.get("weight", 1.0))


def _pull_in_components(g, coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Move small components that Fruchterman-Reingold pushed far out onto a ring just outside the largest one.

    Without this the page's zoom-to-fit shrinks the main map to a dot in the middle of a few distant pairs.
    """
    parts = sorted(g.connected_components(), key=lambda c: (-len(c), min(c)))
    if len(parts) < 2:
        return coords
    out = list(coords)

    def centre(members):
        return (sum(out[i][0] for i in members) / len(members), sum(out[i][1] for i in members) / len(members))

    def radius(members, c):
        return max(((out[i][0] - c[0]) ** 2 + (out[i][1] - c[1]) ** 2) ** 0.5 for i in members)

    gc = centre(parts[0])
    ring = radius(parts[0], gc) * 1.1 + 1e-9
    for members in parts[1:]:
        c = centre(members)
        dx, dy = c[0] - gc[0], c[1] - gc[1]
        dist = (dx * dx + dy * dy) ** 0.5
        target = ring + radius(members, c)
        if dist > target:
            shift = target / dist
            tx, ty = gc[0] + dx * shift - c[0], gc[1] + dy * shift - c[1]
            for i in members:
                out[i] = (out[i][0] + tx, out[i][1] + ty)
    return out


