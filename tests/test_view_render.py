"""render_html and citegraph view without a browser: what is drawn, what is left out, focus, kinds, safety."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from citegraph.graph.cli.main import main
from citegraph.graph.cli.view import view_file_name
from citegraph.graph.formats.node_link import graph_to_json
from citegraph.graph.view.render import map_data, render_gexf, render_html
from citegraph.graph.view.data import script_json
from citegraph.testing import sample_graph
from citegraph.graph.view.select import ViewError, resolve_focus

HOSTILE = ['<img src=x onerror="window.__pwned=1">', "</script><script>window.__pwned=2</script>"]


@pytest.fixture(scope="module")
def sample():
    return sample_graph(60, 40, titles=HOSTILE)


def page_data(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    out = {}
    for name in ("nodes", "edges", "meta"):
        m = re.search(rf'<script type="application/json" id="cg-{name}">(.*?)</script>', html, re.S)
        out[name] = json.loads(m.group(1))
    return out


def test_view_render_draws_the_entity_graph(sample, tmp_path):
    G, papers, extractions = sample
    before = json.dumps(graph_to_json(G), sort_keys=True)
    out = tmp_path / "m.html"
    stats = render_html(G, out, papers=papers, extractions=extractions)
    entities = [n for n, d in G.nodes(data=True) if d["kind"] == "entity"]
    co = [e for e in G.edges(data=True) if e[2]["type"] == "CO_OCCURS"]
    assert stats == {"mode": "entities", "layout": "browser", "nodes": len(entities), "edges": len(co),
                     "nodes_left_out": 0, "edges_left_out": 0, "min_papers": 0, "core_nodes": len(entities),
                     "colour_by": "community"}  # a small map shows everything
    data = page_data(out)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(entities)
    assert json.dumps(graph_to_json(G), sort_keys=True) == before  # input untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html"]  # nothing else written


def test_view_render_is_self_contained_and_escaped(sample, tmp_path):
    G, papers, extractions = sample
    out = tmp_path / "m.html"
    render_html(G, out, papers=papers, extractions=extractions)
    html = out.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', html)  # no remote script, style or font
    assert "cdn." not in html and "bootstrap" not in html.lower()
    for title in HOSTILE:
        assert title not in html  # only its escaped JSON form is in the page
    assert html.count("</script>") == 5  # vis-network, the page's code and three data blocks: no injected end tag


def test_view_render_is_deterministic(sample, tmp_path):
    G, papers, extractions = sample
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    render_html(G, a, papers=papers, extractions=extractions, seed=3, max_nodes=20)
    render_html(G, b, papers=papers, extractions=extractions, seed=3, max_nodes=20)
    assert a.read_bytes() == b.read_bytes()


def test_view_backbone_keeps_the_most_important_nodes(tmp_path):
    G, papers, extractions = sample_graph(500, 400, per_paper=8, seed=4)
    stats = render_html(G, tmp_path / "m.html", papers=papers, extractions=extractions, max_nodes=350)
    assert stats["layout"] == "python" and stats["nodes"] == 350 and stats["nodes_left_out"] > 0
    assert stats["edges"] <= 5 * 350
    data = page_data(tmp_path / "m.html")
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["meta"]["options"]["physics"]["enabled"] is False
    assert f"Left out: {stats['nodes_left_out']:,}" in data["meta"]["left_out"]
    drawn = {n["id"] for n in data["nodes"]}
    top = max((n for n, d in G.nodes(data=True) if d["kind"] == "entity"), key=lambda n: G.nodes[n]["paper_count"])
    assert top in drawn


@pytest.mark.parametrize("text", ["entity:{key}", "{key}", "{NAME}", "{name}"])
def test_view_focus_accepts_key_id_and_name(sample, text):
    G, _, _ = sample
    node = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "entity")[0]
    d = G.nodes[node]
    assert resolve_focus(G, text.format(key=d["key"], name=d["name"].lower(), NAME=d["name"].upper())) == node


def test_view_focus_draws_the_ego_network(sample, tmp_path):
    G, papers, extractions = sample
    node = max((n for n, d in G.nodes(data=True) if d["kind"] == "entity"), key=lambda n: G.nodes[n]["paper_count"])
    stats = render_html(G, tmp_path / "f.html", papers=papers, extractions=extractions, focus=G.nodes[node]["key"])
    ego = {node} | {m for m in nx.all_neighbors(G, node) if G.nodes[m]["kind"] == "entity"}
    assert stats["nodes"] == len(ego)
    data = page_data(tmp_path / "f.html")
    assert {n["id"] for n in data["nodes"]} == ego and data["meta"]["anchors"] == [node]


def test_view_unknown_focus_lists_close_matches(sample, tmp_path):
    G, _, _ = sample
    name = G.nodes[sorted(n for n, d in G.nodes(data=True) if d["kind"] == "entity")[0]]["name"]
    with pytest.raises(ViewError, match=re.escape(repr(name.lower()))):
        render_html(G, tmp_path / "x.html", focus=name[:-1] + "#")
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("kwargs, message", [({"mode": "maps"}, "unknown mode"), ({"kinds": ["paper"]}, "unknown kind"),
                                             ({"max_nodes": 0}, "max_nodes")])
def test_view_bad_arguments_are_clear(sample, tmp_path, kwargs, message):
    with pytest.raises(ViewError, match=message):
        render_html(sample[0], tmp_path / "x.html", **kwargs)


def test_view_kinds_and_papers_mode(sample, tmp_path):
    G, papers, extractions = sample
    stats = render_html(G, tmp_path / "k.html", kinds=["method", "dataset"])
    assert stats["nodes"] == sum(1 for _, d in G.nodes(data=True)
                                 if d["kind"] == "entity" and d["label"] in ("method", "dataset"))
    stats = render_html(G, tmp_path / "p.html", papers=papers, extractions=extractions, mode="papers")
    assert stats["nodes"] == sum(1 for _, d in G.nodes(data=True) if d["kind"] in ("paper", "reference"))
    data = page_data(tmp_path / "p.html")
    assert {e["type"] for e in data["edges"]} == {"RELATED_TO", "CITES"}


def test_view_javascript_links_are_not_clickable(tmp_path):
    from citegraph.extract.records import Paper

    G, papers, extractions = sample_graph(10, 5, per_paper=3)
    pid = sorted(papers)[0]
    papers = {**papers, pid: Paper(pid, "T", papers[pid].abstract, url="javascript:window.__pwned=1")}
    render_html(G, tmp_path / "m.html", papers=papers, extractions=extractions)
    assert page_data(tmp_path / "m.html")["meta"]["papers"][pid][2] == ""


def test_view_script_json_round_trips_anything():
    text = "</script>\u2028\u2029<!--&'\"`"
    encoded = script_json({"t": text})
    assert not set("<>&\u2028\u2029") & set(encoded)
    assert json.loads(encoded)["t"] == text


def test_view_command(sample, tmp_path):
    G, papers, extractions = sample
    build = tmp_path / "build"
    build.mkdir()
    (build / "graph.json").write_text(json.dumps(graph_to_json(G)), encoding="utf-8")
    with open(build / "papers.jsonl", "w", encoding="utf-8") as fh:
        for p in papers.values():
            fh.write(json.dumps(p.to_dict()) + "\n")
    with open(build / "mentions.jsonl", "w", encoding="utf-8") as fh:
        for x in extractions.values():
            fh.write(json.dumps(x.to_dict()) + "\n")
    runner = CliRunner()
    result = runner.invoke(main, ["view", str(build), "--out", str(tmp_path / "v.html"), "--kind", "method,task",
                                  "--max-nodes", "5"])
    assert result.exit_code == 0, result.output
    assert "5 nodes" in result.output and "left out" in result.output
    assert len(page_data(tmp_path / "v.html")["nodes"]) == 5
    result = runner.invoke(main, ["view", str(build), "--focus", "no such thing at all"])
    assert result.exit_code == 1 and "unknown focus" in result.output
    result = runner.invoke(main, ["view", str(tmp_path / "nowhere")])
    assert result.exit_code != 0


def test_view_command_never_overwrites_the_build_map(sample, tmp_path):
    G, papers, extractions = sample
    build = tmp_path / "build"
    build.mkdir()
    (build / "graph.json").write_text(json.dumps(graph_to_json(G)), encoding="utf-8")
    with open(build / "papers.jsonl", "w", encoding="utf-8") as fh:
        for p in papers.values():
            fh.write(json.dumps(p.to_dict()) + "\n")
    render_html(G, build / "graph.html", papers=papers, extractions=extractions)
    before = (build / "graph.html").read_bytes()
    entity = max((n for n, d in G.nodes(data=True) if d["kind"] == "entity"), key=lambda n: G.nodes[n]["paper_count"])
    name = G.nodes[entity]["name"]
    runner = CliRunner()
    for args in (["--focus", name], [], ["--kind", "method,task"], ["--mode", "papers"]):
        result = runner.invoke(main, ["view", str(build), *args])
        assert result.exit_code == 0, result.output
        written = Path(result.output.split("wrote ", 1)[1].split(":", 1)[0])
        assert written.parent == build and written.name != "graph.html" and written.is_file()
        assert (build / "graph.html").read_bytes() == before
    assert (build / view_file_name(focus=name)).is_file()
    assert len(list(build.glob("map*.html"))) == 4  # one file per view


def test_view_gexf_is_the_drawn_map_for_gephi(sample, tmp_path):
    G, papers, extractions = sample
    out = tmp_path / "map.gexf"
    stats = render_gexf(G, out, papers=papers, extractions=extractions)
    data = map_data(G, papers=papers, extractions=extractions, positions_always=True)
    H = nx.read_gexf(out)  # co-occurrence only: one undirected graph
    assert not H.is_directed()
    assert H.number_of_nodes() == stats["nodes"] and H.number_of_edges() == stats["edges"]
    for n in data.nodes:
        viz = H.nodes[n["id"]]["viz"]
        r, g, b = (int(n["color"][i:i + 2], 16) for i in (1, 3, 5))
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == (r, g, b)
        assert (viz["position"]["x"], -viz["position"]["y"]) == (n["fx"], n["fy"])
        assert H.nodes[n["id"]]["label"] == n["name"] and H.nodes[n["id"]]["paper_count"] == n["count"]
    sizes = {n["id"]: H.nodes[n["id"]]["viz"]["size"] for n in data.nodes}
    big, small = max(data.nodes, key=lambda n: n["count"]), min(data.nodes, key=lambda n: n["count"])
    assert sizes[big["id"]] == 42.0 and sizes[small["id"]] == 6.0
    text = out.read_text(encoding="utf-8")
    assert text.count(' type="undirected"') == stats["edges"]


def test_view_gexf_declares_each_edge_direction(tmp_path):
    G, papers, extractions = sample_graph(30, 20, seed=7)  # papers citing references, related papers
    out = tmp_path / "papers.gexf"
    render_gexf(G, out, papers=papers, extractions=extractions, mode="papers")
    from xml.etree import ElementTree

    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ElementTree.parse(out).getroot()
    kinds = {}
    for e in root.iterfind(".//g:edge", ns):
        kind = e.find(".//g:attvalue", ns).get("value")
        kinds.setdefault(kind, set()).add(e.get("type"))
        if kind == "CITES":
            assert G.has_edge(e.get("source"), e.get("target"))  # citing -> cited, as the graph holds it
    assert kinds == {"CITES": {"directed"}, "RELATED_TO": {"undirected"}}
    assert root.find("g:graph", ns).get("defaultedgetype") == "directed"


def test_view_command_writes_gexf_beside_the_map(sample, tmp_path):
    G, papers, extractions = sample
    build = tmp_path / "build"
    build.mkdir()
    (build / "graph.json").write_text(json.dumps(graph_to_json(G)), encoding="utf-8")
    result = CliRunner().invoke(main, ["view", str(build), "--kind", "method", "--gexf", str(tmp_path / "m.gexf")])
    assert result.exit_code == 0, result.output
    H = nx.read_gexf(tmp_path / "m.gexf")
    assert {d["kind"] for _, d in H.nodes(data=True)} == {"method"}
    assert len(page_data(build / "map-method.html")["nodes"]) == H.number_of_nodes()
