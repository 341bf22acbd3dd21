"""``graph.graphml``: a graph as GraphML, written element by element in sorted order (networkx's writer first
makes a flattened copy of the graph). It reads back with ``nx.read_graphml`` and opens in Gephi, yEd and Cytoscape;
how values are typed and escaped: :mod:`citegraph.graph.formats.common`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from citegraph.graph.build.built import BuiltGraph
from citegraph.graph.formats.common import attribute_types, write_chunked, xml_edge_runs, xml_formatter, \
    xml_renderer, xml_text

__all__ = ["write_graphml"]


def write_graphml(G: BuiltGraph, fh: IO[str], *, types: dict[str, dict[str, str]] | None = None) -> None:
    """``G`` as GraphML, streamed.

    >>> import io
    >>> import networkx as nx
    >>> G = nx.DiGraph(name="g"); G.add_node("a", tags=["x", "y"], n=1); G.add_edge("a", "<b>", weight=2)
    >>> G.add_edge("<b>", "a", weight=0.5)
    >>> buf = io.StringIO(); write_graphml(BuiltGraph.from_networkx(G), buf)
    >>> H = nx.read_graphml(io.BytesIO(buf.getvalue().encode()))
    >>> H.nodes["a"], H.edges["a", "<b>"], H.graph["name"]
    ({'n': 1, 'tags': 'x|y'}, {'weight': 2.0}, 'g')
    """
    scopes = types or attribute_types(G)
    ids: dict[str, dict[str, str]] = {}
    lines = ["<?xml version='1.0' encoding='utf-8'?>\n",
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
             'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n']
    for scope, types in scopes.items():
        ids[scope] = {}
        for name, xml_type in types.items():
            key = f"d{sum(len(v) for v in ids.values())}"
            ids[scope][name] = key
            lines.append(f'<key id="{key}" for="{scope}" attr.name="{xml_text(name)}" attr.type="{xml_type}"/>\n')
    edgedefault = "directed" if G.directed else "undirected"
    lines.append(f'<graph edgedefault="{edgedefault}">\n')
    # per scope and attribute: the opening tag and the value's formatter
    cells = {scope: {name: (f'<data key="{ids[scope][name]}">', xml_formatter(t)) for name, t in types.items()}
             for scope, types in scopes.items()}
    for name, value in sorted(G.graph.items()):
        tag, fmt = cells["graph"][name]
        lines.append(f"{tag}{fmt(value)}</data>\n")
    fh.write("".join(lines))

    node_data, edge_data = xml_renderer(cells["node"], "</data>"), xml_renderer(cells["edge"], "</data>")
    xid: dict[Any, str] = {}

    def node_rows() -> Iterator[str]:
        for n, d in G.nodes():
            xid[n] = xml_text(n)
            yield f'<node id="{xid[n]}">{node_data(d)}</node>\n'

    write_chunked(fh, node_rows())
    write_chunked(fh, ("".join([f'<edge source="{u}" target="{v}">{data}</edge>\n' for u, v, _, data in run])
                        for run in xml_edge_runs(G, cells["edge"], "</data>", edge_data, xid)))
    fh.write("</graph>\n</graphml>\n")
