"""``graph.gexf``: a graph as GEXF 1.2, written element by element in sorted order (networkx's writer builds the
whole document as an ElementTree first). It reads back with ``nx.read_gexf`` and opens in Gephi: a node's GEXF
label is its ``name``, its own ``label`` attribute is titled ``citegraph_label`` (GEXF readers take ``label`` for
the element's), and no date is written, so the same build gives the same bytes on any day. How values are typed and
escaped: :mod:`citegraph.graph.formats.common`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.formats.common import attribute_types, write_chunked, xml_edge_runs, xml_formatter, \
    xml_renderer, xml_text

__all__ = ["write_gexf", "GEXF_RENAMED"]


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
