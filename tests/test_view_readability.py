"""The map read as a researcher reads it, in a real headless Chromium: enough labels, none on top of another at any
zoom, filters that lay the map out again, the date overlay, and typed or citation links drawn as arrows with their
evidence. Labels are read through the page's test hook ``window.citegraph.visibleLabels()``."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from citegraph.graph.view.render import render_html
from citegraph.graph.view.style import edge_style
from citegraph.testing import citing_graph, sample_graph
from tests.test_view_browser import driver, js, open_map  # noqa: F401 - the session's browser fixture

pytestmark = pytest.mark.browser


def overlapping(labels: list[dict]) -> list[str]:
    """Ids of the labels whose box overlaps another's."""
    def meet(a, b):
        return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])

    return [a["id"] for i, a in enumerate(labels) if any(meet(a, b) for j, b in enumerate(labels) if i != j)]


def redraw_labels(driver) -> list[dict]:
    return js(driver, "citegraph.network.redraw(); return citegraph.visibleLabels()")


def wait_layout(driver, before: int) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: (d.execute_script("return citegraph.layouts || 0") or 0) > before)


@pytest.fixture(scope="module")
def big_map(tmp_path_factory):
    G, papers, extractions = sample_graph(1200, 900, per_paper=8, seed=3)
    out = tmp_path_factory.mktemp("big") / "big.html"
    stats = render_html(G, out, papers=papers, extractions=extractions)
    return out, stats, G


def test_view_seeds_default_map_draws_many_labels_none_overlapping(driver, seeds_build):
    logs = open_map(driver, seeds_build / "graph.html")
    assert [m for m in logs["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    assert [u for u in logs["requests"] if u != (seeds_build / "graph.html").as_uri()] == []
    labels = redraw_labels(driver)
    assert len(labels) >= 40
    assert len(overlapping(labels)) <= 0.05 * len(labels)
    width, height = js(driver, "return [window.innerWidth, window.innerHeight]")
    assert all(0 <= b["x"] and b["x"] + b["w"] <= width and 0 <= b["y"] and b["y"] + b["h"] <= height for b in labels)
    G = nx.node_link_graph(json.loads((seeds_build / "graph.json").read_text(encoding="utf-8")), edges="links")
    shown = js(driver, "return citegraph.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert {b["id"] for b in labels} <= set(shown)
    assert all(G.nodes[b["id"]]["name"].startswith(b["text"].rstrip("…")) for b in labels)
    # the backbone first: the entities in at least two papers, the rest one filter away
    assert js(driver, "return citegraph.meta.min_papers") >= 2
    assert all(G.nodes[n]["paper_count"] >= 2 for n in shown)
    assert "Communities" in js(driver, "return document.getElementById('legend').textContent")
    # the header says which entities the build's confidence threshold left out of the graph
    under = G.graph["entities_under_confidence"]
    assert under > 0
    said = js(driver, "var p = document.getElementById('cg-filtered'); return p.hidden ? '' : p.textContent")
    assert f"{under:,} entities found only with a confidence under {G.graph['min_confidence']}" in said
    # an entity's panel says how sure the extractor was of it
    node = max(shown, key=lambda n: (G.nodes[n]["paper_count"], n))
    js(driver, f"citegraph.selectNode({json.dumps(node)})")
    panel = js(driver, "return document.getElementById('panel-body').textContent")
    d = G.nodes[node]
    assert f"Confidence {d['max_confidence']:.2f} at best, {d['confidence']:.2f} on average" in panel, panel
    assert d["max_confidence"] >= G.graph["min_confidence"]


def test_view_labels_never_overlap_at_any_zoom(driver, big_map):
    out, stats, G = big_map
    assert stats["layout"] == "python"
    open_map(driver, out)
    biggest = js(driver, "return citegraph.nodes.get().sort((a, b) => b.count - a.count)[0].id")
    seen: dict[float, set[str]] = {}
    for scale in (0.05, 0.2, 0.5, 1.0, 2.0, 4.0):
        js(driver, f"citegraph.network.moveTo({{position: citegraph.network.getPositions([{json.dumps(biggest)}])"
                   f"[{json.dumps(biggest)}], scale: {scale}}})")
        labels = redraw_labels(driver)
        assert overlapping(labels) == [], scale
        seen[scale] = {b["id"] for b in labels}
    assert seen[4.0] - seen[0.05]  # zooming in makes room for labels hidden before
    assert biggest in seen[0.05]  # the most important label is drawn first
    js(driver, f"citegraph.selectNode({json.dumps(biggest)})")  # a selection labels its neighbourhood first
    labels = redraw_labels(driver)
    near = set(js(driver, f"return citegraph.network.getConnectedNodes({json.dumps(biggest)})")) | {biggest}
    assert labels and {b["id"] for b in labels} <= near and labels[0]["id"] == biggest
    assert overlapping(labels) == []


def test_view_filters_lay_out_again_and_fit(driver, big_map):
    out, _, G = big_map
    open_map(driver, out)
    width, height = js(driver, "var c = document.querySelector('#map canvas'); return [c.clientWidth, c.clientHeight]")

    def spread() -> tuple[float, float, int]:
        pos = js(driver, "var ids = citegraph.nodes.get({filter: n => !n.hidden}).map(n => n.id);"
                         "var p = citegraph.network.getPositions(ids);"
                         "return ids.map(k => citegraph.network.canvasToDOM(p[k])).map(q => [q.x, q.y])")
        xs, ys = [p[0] for p in pos], [p[1] for p in pos]
        assert all(-1 <= x <= width + 1 for x in xs) and all(-1 <= y <= height + 1 for y in ys)  # all in view
        return max(xs) - min(xs), max(ys) - min(ys), len(pos)

    for min_papers in (6, 0, 3):
        before = js(driver, "return citegraph.layouts || 0")
        js(driver, f"citegraph.setFilter([], {min_papers})")
        wait_layout(driver, before)
        w, h, n = spread()
        assert n == sum(1 for d in (G.nodes[x] for x in js(driver, "return citegraph.nodes.getIds()"))
                        if d["paper_count"] >= min_papers)
        assert w >= 0.5 * width or h >= 0.5 * height  # fitted: what is shown fills the view
        assert overlapping(redraw_labels(driver)) == []
    # everything shown: the layout of the whole map, not the core's
    js(driver, "citegraph.setFilter([], 0)")
    moved = js(driver, "var n = citegraph.nodes.get().filter(n => n.fx !== undefined)[0];"
                       "var p = citegraph.network.getPositions([n.id])[n.id]; return [p.x, p.y, n.fx, n.fy]")
    assert moved[:2] == pytest.approx(moved[2:], abs=1)  # getPositions rounds


def test_view_date_overlay_colours_by_first_date(driver, tmp_path):
    G, papers, extractions = sample_graph(80, 60, seed=4)
    out = tmp_path / "dates.html"
    render_html(G, out, papers=papers, extractions=extractions)
    open_map(driver, out)
    js(driver, "citegraph.setColourBy('date')")
    rows = js(driver, "return citegraph.nodes.get().map(n => [n.first, n.color])")
    by_date: dict[str, set[str]] = {}
    for first, colour in rows:
        by_date.setdefault(first, set()).add(colour)
    assert all(len(c) == 1 for c in by_date.values())  # one colour per date
    dated = sorted(d for d in by_date if d)
    assert len(dated) >= 2 and len({next(iter(by_date[d])) for d in dated}) == len(dated)
    legend = js(driver, "return document.getElementById('legend').textContent")
    assert "First listed" in legend and dated[0] in legend and dated[-1] in legend


def test_view_date_overlay_of_an_export_colours_by_first_year(driver, tmp_path, bibliographic_dir):
    # a Web of Science export has no listing dates: its entities are dated by their papers' publication years
    from citegraph.graph.build.job import BuildOptions, run_build

    b = run_build([bibliographic_dir / "wos_plaintext_wosfile.txt"], BuildOptions(workers=1, html=False,
                                                                                 rules_only=True))
    out = tmp_path / "export.html"
    render_html(b.graph, out, papers=b.papers, extractions=b.extractions)
    open_map(driver, out)
    js(driver, "citegraph.setColourBy('date')")
    firsts = sorted({n[0] for n in js(driver, "return citegraph.nodes.get().map(n => [n.first])") if n[0]})
    assert len(firsts) >= 2 and all(len(y) == 4 and y.isdigit() for y in firsts)
    legend = js(driver, "return document.getElementById('legend').textContent")
    assert "First published" in legend and firsts[0] in legend and firsts[-1] in legend


def test_view_typed_relation_is_an_arrow_with_its_evidence(driver, tmp_path):
    G, papers, extractions = sample_graph(60, 40, seed=5, relations=True)  # "We apply A to B": A USED-FOR B
    u, v, d = next((u, v, d) for u, v, d in sorted(G.edges(data=True)) if d["type"] == "USED_FOR")
    head, tail = d["head"], d["tail"]
    out = tmp_path / "typed.html"
    render_html(G, out, papers=papers, extractions=extractions)
    logs = open_map(driver, out)
    assert [m for m in logs["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    edge = js(driver, f"return citegraph.edges.get().filter(e => e.type == 'USED_FOR' && "
                      f"[e.from, e.to].sort().join() == {json.dumps(','.join(sorted((u, v))))})[0]")
    assert edge["arrows"] == ("to" if edge["from"] == head else "from")  # from the user to what it is used for
    assert edge["color"]["color"] == edge_style("USED_FOR").colour != edge_style("CO_OCCURS").colour
    js(driver, f"citegraph.selectEdge({json.dumps(edge['id'])})")
    panel = js(driver, "return document.getElementById('panel-body').textContent")
    assert f"{G.nodes[head]['name']} used for {G.nodes[tail]['name']}" in panel
    ev = d["evidence"][0]
    text = papers[ev["paper"]].field(ev["field"])[ev["start"]:ev["end"]]
    quotes = js(driver, "return Array.from(document.querySelectorAll('#panel blockquote')).map(q => q.textContent)")
    assert text in quotes
    marks = js(driver, "return Array.from(document.querySelectorAll('#panel blockquote mark')).map(m => m.textContent)")
    assert {G.nodes[head]["name"].lower(), G.nodes[tail]["name"].lower()} <= {m.lower() for m in marks}
    assert "used for" in js(driver, "return document.getElementById('legend').textContent")


def test_view_citations_and_authors_are_arrows_on_the_papers_map(driver, tmp_path):
    G = citing_graph(12, refs_per_paper=4, external=5)  # records citing each other, through the real builder
    u, v = next((u, v) for u, v, t in sorted(G.edges(data="type")) if t == "CITES" and v.startswith("paper:"))
    writer, paper = next((a, p) for a, p, t in sorted(G.edges(data="type")) if t == "WROTE")
    out = tmp_path / "papers.html"
    render_html(G, out, mode="papers")
    logs = open_map(driver, out)
    assert [m for m in logs["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    edges = js(driver, "return citegraph.edges.get()")
    cites = [e for e in edges if e["type"] == "CITES" and {e["from"], e["to"]} == {u, v}]
    assert len(cites) == 1 and cites[0]["arrows"] == ("to" if cites[0]["from"] == u else "from")  # citing -> cited
    wrote = [e for e in edges if e["type"] == "WROTE"]
    assert wrote and all((e["from"].startswith("author:")) == (e["arrows"] == "to") for e in wrote)
    assert G.nodes[writer]["name"] in [n["name"] for n in js(driver, "return citegraph.nodes.get()")]
    assert overlapping(redraw_labels(driver)) == []


def test_view_shows_what_an_update_added(driver, tmp_path):
    from citegraph.graph.build.tables import build_graph
    from citegraph.graph.builddir.changes import graph_changes
    from citegraph.testing import sample_records

    papers, extractions = sample_records(120, 50, seed=8)
    before = build_graph(papers[:40], extractions[:40])
    after = build_graph(papers, extractions)
    changes = graph_changes(before, after)
    assert changes["new_entities"] and changes["new_edges"]
    out = tmp_path / "new.html"
    render_html(after, out, papers={p.id: p for p in papers}, extractions={x.id: x for x in extractions},
                changes=changes)
    logs = open_map(driver, out)
    assert [m for m in logs["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    text = js(driver, "return document.getElementById('new-text').textContent")
    assert f"{len(changes['new_entities'])} entities" in text and f"{len(changes['new_edges'])} links" in text
    js(driver, "citegraph.showNew()")
    new = {e["id"] for e in changes["new_entities"]}
    flagged = set(js(driver, "return citegraph.nodes.get({filter: n => n.new}).map(n => n.id)"))
    assert flagged and flagged <= new
    assert js(driver, "return citegraph.nodes.get({filter: n => n.new && n.hidden}).length") == 0
    panel = js(driver, "return document.getElementById('panel-body').textContent")
    assert "What is new" in panel and after.nodes[sorted(flagged)[0]]["name"] in panel
    labels = redraw_labels(driver)
    assert labels and overlapping(labels) == []


def test_view_build_update_map_shows_what_the_update_added(driver, seed_files, tmp_path):
    """`build --update` draws its graph.html with what the update added, as changes.json says."""
    import json
    import subprocess
    import sys

    out = tmp_path / "out"
    for args in ([str(seed_files[2])], ["--update", str(out), str(seed_files[0])]):
        subprocess.run([sys.executable, "-m", "citegraph", "build", "--year", "2025", "--rules-only",
                        *(["--out", str(out)] if args[0] != "--update" else []), *args],
                       check=True, capture_output=True, timeout=900)
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert changes["new_papers"] and changes["new_entities"]
    open_map(driver, out / "graph.html")
    text = js(driver, "return document.getElementById('new-text').textContent")
    assert f"{len(changes['new_papers'])} papers" in text and f"{len(changes['new_entities'])} entities" in text
    flagged = set(js(driver, "return citegraph.nodes.get({filter: n => n.new}).map(n => n.id)"))
    assert flagged and flagged <= {e["id"] for e in changes["new_entities"]} | set(changes["new_papers"])
