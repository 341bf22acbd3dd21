"""What the streaming writers share: writing text in big chunks, formatting a column of values once per distinct
value, and for GraphML and GEXF the XML side: escaping, the attributes' XML types, templates of an element's
attribute values, and every edge's source, target, weight and attribute elements formatted from a
:class:`~citegraph.graph.build.built.BuiltGraph`.

XML has no list type: lists become ``|``-joined strings; an attribute holding ints in some elements and floats in
others is ``double`` everywhere. Characters XML 1.0 cannot carry (control characters, lone surrogates) become
U+FFFD.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

from citegraph.graph.build.built import BuiltGraph, EdgeMaker
from citegraph.graph.formats.tables import LIST_SEPARATOR, list_item

__all__ = ["write_chunked", "format_column", "xml_escape", "xml_text", "xml_formatter", "xml_renderer", "xml_type",
           "attribute_types", "XmlEdges", "xml_edge_runs"]

_CHUNK_CHARS = 1 << 20  # about this much text per write call
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                          "\t": "&#9;"})


def write_chunked(fh: IO[str], parts: Iterable[str]) -> None:
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


def format_column(fmt, values: list) -> list[str]:
    """``[fmt(v) for v in values]`` for a column of one type, each distinct value formatted once (a CO_OCCURS
    column of 180,000 floats holds about 30,000 distinct values).

    >>> format_column(repr, [0.0, -0.0, 1.5, 1.5, -0.0])
    ['0.0', '-0.0', '1.5', '1.5', '-0.0']
    """
    memo: dict = {}

    def put(v) -> str:
        text = fmt(v)
        if v:  # 0.0 and -0.0 are one key with two texts: zeros are formatted each time
            memo[v] = text
        return text

    return [memo[v] if v in memo else put(v) for v in values]


_NEEDS_WORK = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')


def xml_escape(text: str) -> str:
    if _NEEDS_WORK.search(text) is None:
        return text
    return _NOT_XML.sub("\ufffd", text).translate(_ESCAPES)


def xml_text(value: Any) -> str:
    if type(value) is str:
        return xml_escape(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(list_item(v) for v in value)
    elif value is None:
        value = ""
    elif isinstance(value, float):
        value = repr(value)
    else:
        value = str(value)
    return xml_escape(value)


def xml_formatter(xml_type: str):
    """The function that writes one value of an attribute of this type (numbers need no escaping)."""
    if xml_type == "long":
        return str
    if xml_type == "double":
        return lambda v: repr(float(v))
    return xml_text


def xml_renderer(cell: dict[str, tuple[str, Any]], close: str):
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


def xml_type(values: set[type]) -> str:
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
    return {k: xml_type(ts) for k, ts in sorted(seen.items())}


def attribute_types(G: BuiltGraph) -> dict[str, dict[str, str]]:
    """The XML type of every graph, node and edge attribute of ``G`` (one pass; both writers accept it)."""
    return {"graph": _attribute_types([G.graph]), "node": _attribute_types(d for _, d in G.nodes()),
            "edge": {k: xml_type(ts) for k, ts in sorted(G.edge_types().items())}}


def _brace(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class XmlEdges(EdgeMaker):
    """Each edge of a :class:`~citegraph.graph.build.built.BuiltGraph` as ``(source id, target id, weight or None,
    attribute elements)`` for the XML writers, formatted from the arrays: the elements are what ``render`` (a
    :func:`xml_renderer`) makes of the edge's dict, with the constant ``type`` formatted once and the lists of names
    escaped once per name, not once per edge."""

    def __init__(self, G: BuiltGraph, cell: dict[str, tuple[str, Any]], close: str, render, xid: dict) -> None:
        super().__init__(G)
        self.render, self.xid = render, xid
        self.ent = [xid[n] for n in G.entity_nodes]
        self.pap = [xid[n] for n in G.paper_nodes]
        # xml_text of a list joins its items with "|" and escapes the whole: the same as joining escaped items
        self.name_text = [xml_escape(str(n)) for n in G.entity_nodes]
        self.id_text = [xml_escape(str(i)) for i in self.ids]

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
                    fmts.append((k, str if k in lists and fmt is xml_text else fmt))
            return "".join(template), fmts

        mention_shape = shape(("type", "count"), {"type": "MENTIONS"})
        self.mention_bodies = {n: self._body(mention_shape, {"count": n})  # by count: a few small numbers
                               for n in set(G.mentions.data.tolist())}
        self.cooccurs_template, fmts = shape(("type", "papers", "weight", "association_strength", "npmi",
                                              "paper_ids"), {"type": "CO_OCCURS"}, ("paper_ids",))
        # every column but the shared papers' ids formatted at once; None marks where the ids go
        c = G.cooccurs
        raw = {"papers": self.co_papers, "weight": self.co_papers, "association_strength": c.strength, "npmi": c.npmi}
        self.cooccurs_columns = [None if k == "paper_ids" else format_column(fmt, raw[k]) for k, fmt in fmts]
        # RELATED_TO: the weight column formatted at once (its count and names are formatted per edge)
        self.related_template, self.related_fmts = shape(("type", "weight", "shared", "shared_entities"),
                                                         {"type": "RELATED_TO"}, ("shared_entities",))
        fmt = dict(self.related_fmts).get("weight")
        self.related_weight = format_column(fmt, self.rel_w) if fmt else []

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


def xml_edge_runs(G: BuiltGraph, cell: dict, close: str, render,
                  xid: dict) -> Iterator[list[tuple[str, str, Any, str]]]:
    """``(source id, target id, weight or None, attribute elements)`` of every edge of ``G``, sorted, in lists."""
    return G.edge_runs(XmlEdges(G, cell, close, render, xid))
