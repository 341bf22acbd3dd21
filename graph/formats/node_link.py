"""``graph.json``: a graph as networkx node-link JSON, streamed, and node-link data to and from networkx.

networkx's writer first copies the graph (``node_link_data``); :func:`write_node_link_json` writes each node and
edge as it goes, in sorted order, so the file is byte-stable and the memory is the graph's own. Its text is byte
for byte what ``json.dumps(nx.node_link_data(G, edges="links"), sort_keys=True, separators=(",", ":"))`` gives with
sorted nodes and links (:func:`graph_to_json`); :func:`graph_from_json` reads it back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

import networkx as nx

from citegraph.graph.build.built import BuiltGraph, EdgeMaker
from citegraph.graph.formats.common import format_column, write_chunked

__all__ = ["write_node_link_json", "graph_to_json", "graph_from_json"]

_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def write_node_link_json(G: BuiltGraph, fh: IO[str]) -> None:
    """``G`` as compact node-link JSON with sorted keys, nodes and links; one line and a newline.

    >>> import io
    >>> G = nx.DiGraph(name="g"); G.add_edge("b", "a", w=1); G.nodes["a"]["x"] = [1]
    >>> buf = io.StringIO(); write_node_link_json(BuiltGraph.from_networkx(G), buf)
    >>> buf.getvalue() == _dumps(nx.node_link_data(G, edges="links") | {
    ...     "nodes": [{"id": "a", "x": [1]}, {"id": "b"}]}) + "\\n"
    True
    """
    def links() -> Iterator[str]:
        sep = ""
        for run in G.edge_runs(_JsonEdges(G)):  # the edges kept as arrays are formatted from them, without dicts
            if run:
                yield sep + ",".join(run)
                sep = ","

    def node_rows() -> Iterator[str]:
        for i, (n, d) in enumerate(G.nodes()):
            yield ("," if i else "") + _dumps({**d, "id": n})

    head = _dumps({"directed": G.directed, "graph": G.graph})[:-1]  # '{"directed":...,"graph":{...}'
    fh.write(head + ',"links":[')
    write_chunked(fh, links())
    fh.write('],"multigraph":' + _dumps(G.multigraph) + ',"nodes":[')
    write_chunked(fh, node_rows())
    fh.write("]}\n")


def _float(x: float) -> str:
    """A float as the json module writes it."""
    if x != x or x in (float("inf"), float("-inf")):
        return _dumps(x)
    return float.__repr__(x)


class _JsonEdges(EdgeMaker):
    """Each edge of a :class:`~citegraph.graph.build.built.BuiltGraph` as its node-link JSON text (keys sorted, as
    ``_dumps`` of the edge's dict with ``source`` and ``target`` writes it), formatted from the arrays: on 10,000
    papers' 440,000
    edges this takes half the time of building a dict per edge and encoding it."""

    def __init__(self, G: BuiltGraph) -> None:
        super().__init__(G)
        self.entity = [_dumps(n) for n in G.entity_nodes]
        self.paper = [_dumps(n) for n in G.paper_nodes]
        self.paper_id = [_dumps(i) for i in G.ids_by_rank.tolist()]
        c = G.cooccurs
        self.strength, self.npmi = format_column(_float, c.strength), format_column(_float, c.npmi)
        self.rel_weight = format_column(_float, self.rel_w)

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


def graph_to_json(G: nx.DiGraph) -> dict[str, Any]:
    """Node-link data with nodes and links in sorted order, so equal graphs give equal files."""
    data = nx.node_link_data(G, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"]))
    return data


def graph_from_json(data: Mapping[str, Any]) -> nx.DiGraph:
    """The graph of node-link data (what ``graph.json`` holds)."""
    return nx.node_link_graph(data, directed=True, multigraph=False, edges="links")
