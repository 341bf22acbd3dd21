"""Streaming writers for the graph files: node-link JSON, GraphML and GEXF written element by element.

networkx's writers first copy the graph (``node_link_data``, and a flattened copy for the XML formats, which have no
list type), and its GEXF writer builds the whole document as an ElementTree: on a 2,000-abstract build that was
+800 MB and most of the build's time. These write each node and edge as they go, in sorted order, so the files are
byte-stable and the memory is the graph's own.

- ``graph.json`` is byte for byte what ``json.dumps(nx.node_link_data(G, edges="links"), sort_keys=True,
  separators=(",", ":"))`` gives with sorted nodes and links; ``graph_from_json`` reads it back.
- GraphML and GEXF 1.2 read back with ``nx.read_graphml`` / ``nx.read_gexf`` (and open in Gephi, yEd, Cytoscape):
  lists become ``|``-joined strings, an attribute holding ints in some elements and floats in others is ``double``
  everywhere, the GEXF label of a node is its ``name`` (its ``label`` attribute is titled ``citegraph_label``
  there, as GEXF readers take ``label`` for the element's), and no date is written, so the same build gives the same
  bytes on any day. Characters XML 1.0 cannot carry (control characters, lone surrogates) become U+FFFD.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

import networkx as nx

from citegraph.graph.build.tables import BuiltGraph, EdgeMaker
from citegraph.graph.builddir.files import LIST_SEPARATOR

__all__ = ["write_node_link_json", "write_graphml", "write_gexf", "attribute_types"]

_CHUNK_CHARS = 1 << 20  # about this much text per write call
_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                          "\t": "&#9;"})


class _Sorted:
    """What the writers read of a networkx graph: attributes, nodes and edges in sorted order. Anything with the same
    members (``citegraph.graph.build.tables.BuiltGraph``) is written the same way."""

    def __init__(self, G: nx.DiGraph) -> None:
        self.G = G
        self.graph = G.graph
        self.directed = G.is_directed()
        self.multigraph = G.is_multigraph()

    def nodes(self) -> Iterator[tuple[Any, dict]]:
        nodes = self.G.nodes
        return ((n, nodes[n]) for n in sorted(nodes))

    def edges(self) -> Iterator[tuple[Any, Any, dict]]:
        adj = self.G.adj
        return ((u, v, adj[u][v]) for u, v in sorted(self.G.edges))

    def edge_types(self) -> dict[str, set[type]]:
        seen: dict[str, set[type]] = defaultdict(set)
        for _, _, d in self.G.edges(data=True):
            for k, v in d.items():
                seen[k].add(type(v))
        return seen


def _sorted(G):
    return _Sorted(G) if isinstance(G, nx.Graph) else G


def _write_chunked(fh: IO[str], parts: Iterable[str]) -> None:
    buf: list[str] = []
    size = 0
    for part in parts:
        buf.append(part)
        size += len(part)
        if size >= _CHUNK_CHARS:
            fh.write("".join(buf))
            buf.clear()
            size = 0
    fh.write("".join(buf))


def _runs(items: Iterable, size: int = 4096) -> Iterator[list]:
    """``items`` in lists of at most ``size`` (what the writers format at once)."""
    it = iter(items)
    while run := list(itertools.islice(it, size)):
        yield run


def write_node_link_json(G: nx.DiGraph, fh: IO[str]) -> None:
    """``G`` as compact node-link JSON with sorted keys, nodes and links; one line and a newline.

    >>> import io
    >>> G = nx.DiGraph(name="g"); G.add_edge("b", "a", w=1); G.nodes["a"]["x"] = [1]
    >>> buf = io.StringIO(); write_node_link_json(G, buf)
    >>> buf.getvalue() == _dumps(nx.node_link_data(G, edges="links") | {
    ...     "nodes": [{"id": "a", "x": [1]}, {"id": "b"}]}) + "\\n"
    True
    """
    S = _sorted(G)

    def links() -> Iterator[str]:
        if isinstance(S, BuiltGraph):  # the edges kept as arrays are formatted from them: the same text, no dicts
            runs: Iterable[list[str]] = S.edge_runs(_JsonEdges(S))
        else:
            runs = _runs(_dumps({**d, "source": u, "target": v}) for u, v, d in S.edges())
        sep = ""
        for run in runs:
            if run:
                yield sep + ",".join(run)
                sep = ","

    def node_rows() -> Iterator[str]:
        for i, (n, d) in enumerate(S.nodes()):
            yield ("," if i else "") + _dumps({**d, "id": n})

    head = _dumps({"directed": S.directed, "graph": S.graph})[:-1]  # '{"directed":...,"graph":{...}'
    fh.write(head + ',"links":[')
    _write_chunked(fh, links())
    fh.write('],"multigraph":' + _dumps(S.multigraph) + ',"nodes":[')
    _write_chunked(fh, node_rows())
    fh.write("]}\n")


def _format_column(fmt, values: list) -> list[str]:
    """``[fmt(v) for v in values]`` for a column of one type, each distinct value formatted once (a CO_OCCURS
    column of 180,000 floats holds about 30,000 distinct values).

    >>> _format_column(repr, [0.0, -0.0, 1.5, 1.5, -0.0])
    ['0.0', '-0.0', '1.5', '1.5', '-0.0']
    """
    memo: dict = {}

    def put(v) -> str:
        text = fmt(v)
        if v:  # 0.0 and -0.0 are one key with two texts: zeros are formatted each time
            memo[v] = text
        return text

    return [memo[v] if v in memo else put(v) for v in values]


def _float(x: float) -> str:
    """A float as the json module writes it."""
    if x != x or x in (float("inf"), float("-inf")):
        return _dumps(x)
    return float.__repr__(x)


class _JsonEdges(EdgeMaker):
    """Each edge of a :class:`~citegraph.graph.build.tables.BuiltGraph` as its node-link JSON text (keys sorted, as ``_dumps`` of
    the edge's dict with ``source`` and ``target`` writes it), formatted from the arrays: on 10,000 papers' 440,000
    edges this takes half the time of building a dict per edge and encoding it."""

    def __init__(self, G: BuiltGraph) -> None:
        super().__init__(G)
        self.entity = [_dumps(n) for n in G.entity_nodes]
        self.paper = [_dumps(n) for n in G.paper_nodes]
        self.paper_id = [_dumps(i) for i in G.ids_by_rank.tolist()]
        c = G.cooccurs
        self.strength, self.npmi = _format_column(_float, c.strength), _format_column(_float, c.npmi)
        self.rel_weight = _format_column(_float, self.rel_w)

    # one edge is a run of one: the formatting lives in the run methods
    def cooccurs(self, e: int) -> str:
        return self.cooccurs_run(range(e, e + 1))[0]

    def mention(self, i: int, j: int, count: int) -> str:
        return self.mention_run(i, [j], [count])[0]

    def cooccurs_run(self, es: range) -> list[str]:
        ids, shared, strength, npmi = self.paper_id, self.G.cooccurs.shared, self.strength, self.npmi
        ent, a, b, papers = self.entity, self.co_a, self.co_b, self.co_papers
        return [f'{{"association_strength":{strength[e]},"npmi":{npmi[e]},'
                f'"paper_ids":[{",".join([ids[r] for r in shared[e].tolist()])}],"papers":{papers[e]},'
                f'"source":{ent[a[e]]},"target":{ent[b[e]]},"type":"CO_OCCURS","weight":{papers[e]}}}' for e in es]

    def mention_run(self, i: int, js: list[int], counts: list[int]) -> list[str]:
        ent, head = self.entity, ',"source":' + self.paper[i] + ',"target":'
        return [f'{{"count":{n}{head}{ent[j]},"type":"MENTIONS"}}' for j, n in zip(js, counts)]

    def related(self, e: int) -> str:
        return self.related_run([e])[0]

    def related_run(self, es: list[int]) -> list[str]:
        shared, ptr, ent, pap = self.G.related[4], self.rel_ptr, self.entity, self.paper
        u, v, w = self.rel_u, self.rel_v, self.rel_weight
        return [f'{{"shared":{len(cols)},"shared_entities":[{",".join([ent[c] for c in cols])}],"source":{pap[u[e]]},'
                f'"target":{pap[v[e]]},"type":"RELATED_TO","weight":{w[e]}}}'
                for e, cols in zip(es, [shared[ptr[e]:ptr[e + 1]].tolist() for e in es])]

    def other(self, u: str, v: str, d: dict) -> str:
        return _dumps({**d, "source": u, "target": v})


# --- XML ------------------------------------------------------------------------------------------------------------


_NEEDS_WORK = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def _escape(text: str) -> str:
    if _NEEDS_WORK.search(text) is None:
        return text
    return _NOT_XML.sub("\ufffd", text).translate(_ESCAPES)


def _text(value: Any) -> str:
    if type(value) is str:
        return _escape(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    elif value is None:
        value = ""
    elif isinstance(value, float):
        value = repr(value)
    else:
        value = str(value)
    return _escape(value)


def _formatter(xml_type: str):
    """The function that writes one value of an attribute of this type (numbers need no escaping)."""
    if xml_type == "long":
        return str
    if xml_type == "double":
        return lambda v: repr(float(v))
    return _text


def _renderer(cell: dict[str, tuple[str, Any]], close: str):
    """``d -> str``: each attribute of ``d`` that ``cell`` knows as ``open + formatted value + close``, in sorted key
    order. Elements of one kind share their keys, so the order and a format template are made once per key tuple."""
    shapes: dict[tuple, tuple[str, list]] = {}

    def render(d: dict) -> str:
        ks = tuple(d)
        shape = shapes.get(ks)
        if shape is None:
            order = [k for k in sorted(ks) if k in cell]
            template = "".join(cell[k][0].replace("{", "{{").replace("}", "}}") + "{}" + close for k in order)
            shape = shapes[ks] = (template, [(k, cell[k][1]) for k in order])
        template, parts = shape
        return template.format(*[fmt(d[k]) for k, fmt in parts])

    return render


def _type_of(values: set[type]) -> str:
    """One XML type for everything an attribute holds across elements."""
    if values <= {bool}:
        return "boolean"
    if values <= {int}:
        return "long"
    if values <= {int, float}:
        return "double"
    return "string"


def _attribute_types(items: Iterable[dict]) -> dict[str, str]:
    seen: dict[str, set[type]] = defaultdict(set)
    for d in items:
        for k, v in d.items():
            seen[k].add(type(v))
    return {k: _type_of(ts) for k, ts in sorted(seen.items())}


def attribute_types(G) -> dict[str, dict[str, str]]:
    """The XML type of every graph, node and edge attribute of ``G`` (one pass; both writers accept it)."""
    S = _sorted(G)
    return {"graph": _attribute_types([S.graph]), "node": _attribute_types(d for _, d in S.nodes()),
            "edge": {k: _type_of(ts) for k, ts in sorted(S.edge_types().items())}}


def _brace(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class _XmlEdges(EdgeMaker):
    """Each edge of a :class:`~citegraph.graph.build.tables.BuiltGraph` as ``(source id, target id, weight or None, attribute
    elements)`` for the XML writers, formatted from the arrays: the elements are what ``render`` (a
    :func:`_renderer`) makes of the edge's dict, with the constant ``type`` formatted once and the lists of names
    escaped once per name, not once per edge."""

    def __init__(self, G: BuiltGraph, cell: dict[str, tuple[str, Any]], close: str, render, xid: dict) -> None:
        super().__init__(G)
        self.render, self.xid = render, xid
        self.ent = [xid[n] for n in G.entity_nodes]
        self.pap = [xid[n] for n in G.paper_nodes]
        # _text of a list joins its items with "|" and escapes the whole: the same as joining escaped items
        self.name_text = [_escape(str(n)) for n in G.entity_nodes]
        self.id_text = [_escape(str(i)) for i in self.ids]

        def shape(keys: tuple[str, ...], constants: dict[str, Any], lists: tuple[str, ...] = ()):
            """The template of one kind of edge and the formatters of its variable attributes, in order."""
            template, fmts = [], []
            for k in sorted(keys):
                if k not in cell:
                    continue
                tag, fmt = cell[k]
                if k in constants:
                    template.append(_brace(tag + fmt(constants[k]) + close))
                else:
                    template.append(_brace(tag) + "{}" + _brace(close))
                    fmts.append((k, str if k in lists and fmt is _text else fmt))
            return "".join(template), fmts

        mention_shape = shape(("type", "count"), {"type": "MENTIONS"})
        self.mention_bodies = {n: self._body(mention_shape, {"count": n})  # by count: a few small numbers
                               for n in set(G.mentions.data.tolist())}
        self.cooccurs_template, fmts = shape(("type", "papers", "weight", "association_strength", "npmi",
                                              "paper_ids"), {"type": "CO_OCCURS"}, ("paper_ids",))
        # every column but the shared papers' ids formatted at once; None marks where the ids go
        c = G.cooccurs
        raw = {"papers": self.co_papers, "weight": self.co_papers, "association_strength": c.strength, "npmi": c.npmi}
        self.cooccurs_columns = [None if k == "paper_ids" else _format_column(fmt, raw[k]) for k, fmt in fmts]
        # RELATED_TO: the weight column formatted at once (its count and names are formatted per edge)
        self.related_template, self.related_fmts = shape(("type", "weight", "shared", "shared_entities"),
                                                         {"type": "RELATED_TO"}, ("shared_entities",))
        fmt = dict(self.related_fmts).get("weight")
        self.related_weight = _format_column(fmt, self.rel_w) if fmt else []

    @staticmethod
    def _body(shape, values: dict) -> str:
        template, fmts = shape
        return template.format(*[fmt(values[k]) for k, fmt in fmts])

    # one edge is a run of one: the formatting lives in the run methods
    def cooccurs(self, e: int):
        return self.cooccurs_run(range(e, e + 1))[0]

    def mention(self, i: int, j: int, count: int):
        return self.mention_run(i, [j], [count])[0]

    def cooccurs_run(self, es: range) -> list[tuple]:
        ids, shared, template, columns = (self.id_text, self.G.cooccurs.shared, self.cooccurs_template,
                                          self.cooccurs_columns)
        ent, a, b, papers = self.ent, self.co_a, self.co_b, self.co_papers
        return [(ent[a[e]], ent[b[e]], papers[e], template.format(*[
            LIST_SEPARATOR.join([ids[r] for r in shared[e].tolist()]) if col is None else col[e] for col in columns]))
            for e in es]

    def mention_run(self, i: int, js: list[int], counts: list[int]) -> list[tuple]:
        src, ent, bodies = self.pap[i], self.ent, self.mention_bodies
        return [(src, ent[j], None, bodies[n]) for j, n in zip(js, counts)]

    def related(self, e: int):
        return self.related_run([e])[0]

    def related_run(self, es: list[int]) -> list[tuple]:
        shared, ptr, names, pap = self.G.related[4], self.rel_ptr, self.name_text, self.pap
        u, v, w, weight, template, fmts = (self.rel_u, self.rel_v, self.rel_w, self.related_weight,
                                           self.related_template, self.related_fmts)
        out = []
        for e in es:
            cols = shared[ptr[e]:ptr[e + 1]].tolist()
            values = {"shared": len(cols), "shared_entities": LIST_SEPARATOR.join([names[c] for c in cols])}
            out.append((pap[u[e]], pap[v[e]], w[e], template.format(*[
                weight[e] if k == "weight" else fmt(values[k]) for k, fmt in fmts])))
        return out

    def other(self, u: str, v: str, d: dict):
        return self.xid[u], self.xid[v], d.get("weight"), self.render(d)


def _xml_edge_runs(S, cell: dict, close: str, render, xid: dict) -> Iterator[list[tuple[str, str, Any, str]]]:
    """``(source id, target id, weight or None, attribute elements)`` of every edge, sorted, in lists."""
    if isinstance(S, BuiltGraph):
        return S.edge_runs(_XmlEdges(S, cell, close, render, xid))
    return _runs((xid[u], xid[v], d.get("weight"), render(d)) for u, v, d in S.edges())


def write_graphml(G: nx.DiGraph, fh: IO[str], *, types: dict[str, dict[str, str]] | None = None) -> None:
    """``G`` as GraphML, streamed (see the module's notes).

    >>> import io
    >>> G = nx.DiGraph(name="g"); G.add_node("a", tags=["x", "y"], n=1); G.add_edge("a", "<b>", weight=2)
    >>> G.add_edge("<b>", "a", weight=0.5)
    >>> buf = io.StringIO(); write_graphml(G, buf)
    >>> H = nx.read_graphml(io.BytesIO(buf.getvalue().encode()))
    >>> H.nodes["a"], H.edges["a", "<b>"], H.graph["name"]
    ({'n': 1, 'tags': 'x|y'}, {'weight': 2.0}, 'g')
    """
    S = _sorted(G)
    scopes = types or attribute_types(S)
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
            lines.append(f'<key id="{key}" for="{scope}" attr.name="{_text(name)}" attr.type="{xml_type}"/>\n')
    edgedefault = "directed" if S.directed else "undirected"
    lines.append(f'<graph edgedefault="{edgedefault}">\n')
    # per scope and attribute: the opening tag and the value's formatter
    cells = {scope: {name: (f'<data key="{ids[scope][name]}">', _formatter(t)) for name, t in types.items()}
             for scope, types in scopes.items()}
    for name, value in sorted(S.graph.items()):
        tag, fmt = cells["graph"][name]
        lines.append(f"{tag}{fmt(value)}</data>\n")
    fh.write("".join(lines))

    node_data, edge_data = _renderer(cells["node"], "</data>"), _renderer(cells["edge"], "</data>")
    xid: dict[Any, str] = {}

    def node_rows() -> Iterator[str]:
        for n, d in S.nodes():
            xid[n] = _text(n)
            yield f'<node id="{xid[n]}">{node_data(d)}</node>\n'

    _write_chunked(fh, node_rows())
    _write_chunked(fh, ("".join([f'<edge source="{u}" target="{v}">{data}</edge>\n' for u, v, _, data in run])
                        for run in _xml_edge_runs(S, cells["edge"], "</data>", edge_data, xid)))
    fh.write("</graph>\n</graphml>\n")


#: node attributes written under another title in GEXF, whose readers take ``label`` for the element's label
GEXF_RENAMED = {"label": "citegraph_label"}


def write_gexf(G: nx.DiGraph, fh: IO[str], *, creator: str = "citegraph",
               types: dict[str, dict[str, str]] | None = None) -> None:
    """``G`` as GEXF 1.2, streamed (see the module's notes). An edge's ``weight`` is the GEXF weight; every other
    attribute is an attvalue (``type`` too: GEXF's own edge ``type`` attribute means directed or undirected).

    >>> import io
    >>> G = nx.DiGraph(name="g"); G.add_node("a", name="Alpha", label="method", tags=["x"])
    >>> G.add_edge("a", "b", type="CO_OCCURS", weight=3)
    >>> buf = io.StringIO(); write_gexf(G, buf)
    >>> H = nx.read_gexf(io.BytesIO(buf.getvalue().encode()))
    >>> H.nodes["a"]["name"], H.nodes["a"]["citegraph_label"], H.nodes["a"]["tags"], H.edges["a", "b"]["type"]
    ('Alpha', 'method', 'x', 'CO_OCCURS')
    >>> H.edges["a", "b"]["weight"]
    3.0
    """
    S = _sorted(G)
    types = types or attribute_types(S)
    node_types = {GEXF_RENAMED.get(k, k): t for k, t in types["node"].items()}
    edge_types = dict(types["edge"])
    edge_types.pop("weight", None)
    gexf_type = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}
    node_ids = {name: str(i) for i, name in enumerate(node_types)}
    edge_ids = {name: str(len(node_ids) + i) for i, name in enumerate(edge_types)}  # one id space
    mode = "directed" if S.directed else "undirected"
    lines = ["<?xml version='1.0' encoding='utf-8'?>\n",
             '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
             'version="1.2">\n',
             f"  <meta>\n    <creator>{_text(creator)}</creator>\n  </meta>\n",
             f'  <graph defaultedgetype="{mode}" mode="static" name="{_text(S.graph.get("name", ""))}">\n']
    for cls, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
        lines.append(f'    <attributes mode="static" class="{cls}">\n')
        lines.extend(f'      <attribute id="{ids[k]}" title="{_text(k)}" type="{gexf_type[t]}" />\n'
                     for k, t in types.items())
        lines.append("    </attributes>\n")
    lines.append("    <nodes>\n")
    fh.write("".join(lines))

    def cells(types: dict[str, str], ids: dict[str, str], rename: dict[str, str]) -> dict:
        back = {new: old for old, new in rename.items()}
        return {back.get(r, r): (f'<attvalue for="{ids[r]}" value="', _formatter(t)) for r, t in types.items()}

    node_values = _renderer(cells(node_types, node_ids, GEXF_RENAMED), '" />')
    edge_values = _renderer(cells(edge_types, edge_ids, {}), '" />')

    def attvalues(d: dict, render) -> str:
        values = render(d)
        return f"<attvalues>{values}</attvalues>" if values else ""

    xid: dict[Any, str] = {}

    def node_rows() -> Iterator[str]:
        for n, d in S.nodes():
            xid[n] = _text(n)
            label = d.get("name", n)
            yield (f'      <node id="{xid[n]}" label="{_text(label)}">'
                   f'{attvalues(d, node_values)}</node>\n')

    edge_cells = cells(edge_types, edge_ids, {})

    def weight(w) -> str:
        return "" if w is None else f' weight="{float(w)!r}"'

    def edge_rows() -> Iterator[str]:
        i = 0
        for run in _xml_edge_runs(S, edge_cells, '" />', edge_values, xid):
            yield "".join([f'      <edge id="{k}" source="{u}" target="{v}"{weight(w)}>'
                           f'{f"<attvalues>{values}</attvalues>" if values else ""}</edge>\n'
                           for k, (u, v, w, values) in enumerate(run, i)])
            i += len(run)

    _write_chunked(fh, node_rows())
    fh.write("    </nodes>\n    <edges>\n")
    _write_chunked(fh, edge_rows())
    fh.write("    </edges>\n  </graph>\n</gexf>\n")
