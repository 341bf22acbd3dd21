"""``graph.gexf``: a graph as GEXF 1.2, written element by element in sorted order (networkx's writer builds the
whole document as an ElementTree first). It reads back with ``nx.read_gexf`` and opens in Gephi: a node's GEXF
label is its ``name``, its own ``label`` attribute is titled ``citegraph_label`` (GEXF readers take ``label`` for
the element's), and no date is written, so the same build gives the same bytes on any day. How values are typed and
escaped: :mod:`citegraph.graph.formats.common`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.formats.common import attribute_types, write_chunked, xml_edge_runs, xml_formatter, \
    xml_renderer, xml_text

__all__ = ["write_gexf", "write_view_gexf", "GEXF_RENAMED", "VIEW_NODE_SIZE"]


#: node attributes written under another title in GEXF, whose readers take ``label`` for the element's label
GEXF_RENAMED = {"label": "citegraph_label"}


def write_gexf(G: BuiltGraph, fh: IO[str], *, creator: str = "citegraph",
               types: dict[str, dict[str, str]] | None = None) -> None:
    """``G`` as GEXF 1.2, streamed. An edge's ``weight`` is the GEXF weight; every other
    attribute is an attvalue (``type`` too: GEXF's own edge ``type`` attribute means directed or undirected).

    >>> import io
    >>> import networkx as nx
    >>> G = nx.DiGraph(name="g"); G.add_node("a", name="Alpha", label="method", tags=["x"])
    >>> G.add_edge("a", "b", type="CO_OCCURS", weight=3)
    >>> buf = io.StringIO(); write_gexf(BuiltGraph.from_networkx(G), buf)
    >>> H = nx.read_gexf(io.BytesIO(buf.getvalue().encode()))
    >>> H.nodes["a"]["name"], H.nodes["a"]["citegraph_label"], H.nodes["a"]["tags"], H.edges["a", "b"]["type"]
    ('Alpha', 'method', 'x', 'CO_OCCURS')
    >>> H.edges["a", "b"]["weight"]
    3.0
    """
    types = types or attribute_types(G)
    node_types = {GEXF_RENAMED.get(k, k): t for k, t in types["node"].items()}
    edge_types = dict(types["edge"])
    edge_types.pop("weight", None)
    gexf_type = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}
    node_ids = {name: str(i) for i, name in enumerate(node_types)}
    edge_ids = {name: str(len(node_ids) + i) for i, name in enumerate(edge_types)}  # one id space
    mode = "directed" if G.directed else "undirected"
    lines = ["<?xml version='1.0' encoding='utf-8'?>\n",
             '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
             'version="1.2">\n',
             f"  <meta>\n    <creator>{xml_text(creator)}</creator>\n  </meta>\n",
             f'  <graph defaultedgetype="{mode}" mode="static" name="{xml_text(G.graph.get("name", ""))}">\n']
    for cls, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
        lines.append(f'    <attributes mode="static" class="{cls}">\n')
        lines.extend(f'      <attribute id="{ids[k]}" title="{xml_text(k)}" type="{gexf_type[t]}" />\n'
                     for k, t in types.items())
        lines.append("    </attributes>\n")
    lines.append("    <nodes>\n")
    fh.write("".join(lines))

    def cells(types: dict[str, str], ids: dict[str, str], rename: dict[str, str]) -> dict:
        back = {new: old for old, new in rename.items()}
        return {back.get(r, r): (f'<attvalue for="{ids[r]}" value="', xml_formatter(t)) for r, t in types.items()}

    node_values = xml_renderer(cells(node_types, node_ids, GEXF_RENAMED), '" />')
    edge_values = xml_renderer(cells(edge_types, edge_ids, {}), '" />')

    def attvalues(d: dict, render) -> str:
        values = render(d)
        return f"<attvalues>{values}</attvalues>" if values else ""

    xid: dict[Any, str] = {}

    def node_rows() -> Iterator[str]:
        for n, d in G.nodes():
            xid[n] = xml_text(n)
            label = d.get("name", n)
            yield (f'      <node id="{xid[n]}" label="{xml_text(label)}">'
                   f'{attvalues(d, node_values)}</node>\n')

    edge_cells = cells(edge_types, edge_ids, {})

    def weight(w) -> str:
        return "" if w is None else f' weight="{float(w)!r}"'

    def edge_rows() -> Iterator[str]:
        i = 0
        for run in xml_edge_runs(G, edge_cells, '" />', edge_values, xid):
            yield "".join([f'      <edge id="{k}" source="{u}" target="{v}"{weight(w)}>'
                           f'{f"<attvalues>{values}</attvalues>" if values else ""}</edge>\n'
                           for k, (u, v, w, values) in enumerate(run, i)])
            i += len(run)

    write_chunked(fh, node_rows())
    fh.write("    </nodes>\n    <edges>\n")
    write_chunked(fh, edge_rows())
    fh.write("    </edges>\n  </graph>\n</gexf>\n")


#: The smallest and biggest node radius of a map (vis-network's ``scaling``), which GEXF sizes follow.
VIEW_NODE_SIZE = (6.0, 42.0)
_VIEW_NODE_ATTRS = (("kind", "string"), ("paper_count", "long"),
                    ("community", "long"), ("first_date", "string"), ("pagerank", "double"))


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)) if len(c) == 6 else (186, 176, 172)


def write_view_gexf(nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]], fh: IO[str], *,
                    title: str = "", creator: str = "citegraph") -> None:
    """A drawn map (the vis-network nodes and edges of :func:`citegraph.graph.view.render.map_data`) as GEXF 1.2
    for Gephi: ``viz:position``, ``viz:size`` and ``viz:color`` as the map draws them; each edge declares its own
    ``type``, ``directed`` for links drawn with an arrow (pointing as the arrow does) and ``undirected`` for the
    others, so Gephi draws co-occurrence as plain lines. Node attributes: kind, papers, community, first
    date, PageRank (``kind`` is an entity's label: method, dataset, ...); edge attributes: the citegraph edge type.

    >>> import io
    >>> import networkx as nx
    >>> nodes = [{"id": "entity:a", "name": "A", "kind": "method", "count": 3, "color": "#4e79a7", "x": 1.5,
    ...           "y": -2.0, "community": 0, "pr": 0.5, "first": "2025-03-01"},
    ...          {"id": "entity:b", "name": "B & co", "kind": "task", "count": 1, "color": "#59a14f", "x": 0, "y": 0,
    ...           "community": 1, "pr": 0.5, "first": ""}]
    >>> buf = io.StringIO()
    >>> write_view_gexf(nodes, [{"from": "entity:a", "to": "entity:b", "type": "CO_OCCURS", "value": 2.0}], buf)
    >>> H = nx.read_gexf(io.BytesIO(buf.getvalue().encode()))
    >>> H.is_directed(), H.nodes["entity:a"]["viz"]["color"], H.nodes["entity:a"]["viz"]["position"]["x"]
    (False, {'r': 78, 'g': 121, 'b': 167, 'a': 1.0}, 1.5)
    >>> H.nodes["entity:b"]["label"], H.nodes["entity:a"]["viz"]["size"], H.edges["entity:a", "entity:b"]["weight"]
    ('B & co', 42.0, 2.0)
    """
    directed = [bool(e.get("arrows")) for e in edges]
    default = "directed" if any(directed) else "undirected"
    counts = [float(n.get("count", 0) or 0) for n in nodes]
    low, high = (min(counts), max(counts)) if counts else (0.0, 0.0)
    small, big = VIEW_NODE_SIZE

    def size(count: float) -> float:
        scale = 0.5 if high == low else (count - low) / (high - low)
        return round(small + scale * (big - small), 3)

    lines = ["<?xml version='1.0' encoding='utf-8'?>\n",
             '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
             'version="1.2">\n',
             f"  <meta>\n    <creator>{xml_text(creator)}</creator>\n"
             f"    <description>{xml_text(title)}</description>\n  </meta>\n",
             f'  <graph defaultedgetype="{default}" mode="static">\n',
             '    <attributes mode="static" class="node">\n']
    lines += [f'      <attribute id="{i}" title="{k}" type="{t}" />\n' for i, (k, t) in enumerate(_VIEW_NODE_ATTRS)]
    lines += ["    </attributes>\n", '    <attributes mode="static" class="edge">\n',
              f'      <attribute id="{len(_VIEW_NODE_ATTRS)}" title="citegraph_type" type="string" />\n',
              "    </attributes>\n", "    <nodes>\n"]
    for n in nodes:
        values = (n.get("kind", ""), int(n.get("count", 0) or 0), int(n.get("community", 0) or 0),
                  n.get("first", ""), float(n.get("pr", 0.0) or 0.0))
        r, g, b = _rgb(str(n.get("color") or ""))
        x, y = n.get("fx", n.get("x", 0.0)), n.get("fy", n.get("y", 0.0))
        attvalues = "".join(f'<attvalue for="{i}" value="{xml_text(v)}" />' for i, v in enumerate(values))
        lines.append(f'      <node id="{xml_text(n["id"])}" label="{xml_text(n.get("name", n["id"]))}">'
                     f"<attvalues>{attvalues}</attvalues>"
                     f'<viz:size value="{size(float(n.get("count", 0) or 0))!r}" />'
                     f'<viz:position x="{float(x)!r}" y="{-float(y)!r}" z="0.0" />'  # GEXF's y axis points up
                     f'<viz:color r="{r}" g="{g}" b="{b}" /></node>\n')
    lines.append("    </nodes>\n    <edges>\n")
    for i, (e, arrow) in enumerate(zip(edges, directed)):
        u, v = (e["to"], e["from"]) if e.get("arrows") == "from" else (e["from"], e["to"])
        kind = "directed" if arrow else "undirected"
        lines.append(f'      <edge id="{i}" source="{xml_text(u)}" target="{xml_text(v)}" type="{kind}" '
                     f'weight="{float(e.get("value", 1.0))!r}"><attvalues>'
                     f'<attvalue for="{len(_VIEW_NODE_ATTRS)}" value="{xml_text(e.get("type", ""))}" />'
                     "</attvalues></edge>\n")
    lines.append("    </edges>\n  </graph>\n</gexf>\n")
    write_chunked(fh, lines)
