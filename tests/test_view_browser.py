"""The map in a real headless Chromium: loads offline without errors, draws what the graph says, explains clicks,
and runs nothing a paper's text contains."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from citegraph.graph.view.render import render_html
from citegraph.testing import sample_graph, sample_records
from tests.conftest import unavailable

pytestmark = pytest.mark.browser

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    "Quotes \" ' ` ${window.__pwned=3} \u2028 & <b>bold</b>",
]


@pytest.fixture(scope="session")
def driver():
    """One headless Chromium for the whole session, with console and network logs on; downloads nothing."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        unavailable("headless Chromium", "apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="citegraph-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,900", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    except Exception as e:  # noqa: BLE001 - any start-up failure means "no usable browser"
        unavailable(f"headless Chromium ({e.__class__.__name__}: {e})", "apt-get install chromium chromium-driver")
    drv.set_script_timeout(30)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_map(driver, path: Path, timeout: float = 30.0) -> dict:
    """Load ``path``, wait until the map says it is ready; return its console messages and network requests."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser"), driver.get_log("performance")  # drop what earlier pages logged
    driver.get(path.as_uri())
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return !!(window.citegraph && citegraph.ready)"))
    console = driver.get_log("browser")
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            # the browser's own pages, and data: URIs (in the page itself, no network: Chromium at times asks for
            # a 1x1 GIF of its own)
            if not url.startswith(("chrome://", "chrome-untrusted://", "data:")):
                requests.append(url)
    return {"console": console, "requests": requests}


def js(driver, script: str):
    return driver.execute_script(script)


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory) -> tuple[Path, dict, object]:
    G, papers, extractions = sample_graph(60, 40, titles=HOSTILE)
    out = tmp_path_factory.mktemp("map") / "graph.html"
    stats = render_html(G, out, papers=papers, extractions=extractions)
    return out, stats, G


def test_view_page_loads_offline_without_errors(driver, hostile_map):
    out, stats, _ = hostile_map
    logs = open_map(driver, out)
    assert [m for m in logs["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    assert [u for u in logs["requests"] if u != out.as_uri()] == []
    assert js(driver, "return citegraph.nodes.length") == stats["nodes"]
    assert js(driver, "return citegraph.edges.length") == stats["edges"]
    assert js(driver, "return citegraph.shown") == stats["nodes"]
    box = js(driver, "var r = document.getElementById('map').getBoundingClientRect(); return [r.width, r.height]")
    assert box == [driver.get_window_size()["width"], pytest.approx(box[1])] or box[0] > 1000  # full window
    assert box[1] > 600


def test_view_hostile_titles_run_nothing_and_show_as_text(driver, hostile_map):
    out, _, G = hostile_map
    open_map(driver, out)
    for i, title in enumerate(HOSTILE):
        pid = f"2401.{i:05d}"
        entity = sorted(e for e in G.successors(f"paper:{pid}"))[0]
        js(driver, f"citegraph.selectNode({json.dumps(entity)})")
        panel = js(driver, "return document.getElementById('panel-body').textContent")
        assert title in panel
    assert js(driver, "return typeof window.__pwned") == "undefined"
    assert js(driver, "return document.querySelectorAll('#panel img, #panel script, #panel b').length") == 0


def test_view_node_click_shows_its_papers(driver, hostile_map):
    out, _, G = hostile_map
    open_map(driver, out)
    node = max((n for n, d in G.nodes(data=True) if d["kind"] == "entity"), key=lambda n: G.nodes[n]["paper_count"])
    # a real click on the node's canvas position
    from selenium.webdriver.common.action_chains import ActionChains

    x, y = js(driver, f"var p = citegraph.network.getPositions([{json.dumps(node)}])[{json.dumps(node)}];"
                      "var c = citegraph.network.canvasToDOM(p); return [c.x, c.y];")
    canvas = driver.find_element("css selector", "#map canvas")
    rect = js(driver, "var r = document.querySelector('#map canvas').getBoundingClientRect(); "
                      "return [r.width, r.height]")
    ActionChains(driver).move_to_element_with_offset(canvas, int(x - rect[0] / 2),
                                                     int(y - rect[1] / 2)).click().perform()
    assert js(driver, "return citegraph.panel && citegraph.panel.id") == node
    drawn_neighbours = js(driver, f"return citegraph.network.getConnectedNodes({json.dumps(node)}).length")
    assert js(driver, "return citegraph.highlighted") == 1 + drawn_neighbours  # the neighbourhood stands out
    panel = js(driver, "return document.getElementById('panel-body').textContent")
    d = G.nodes[node]
    assert d["name"] in panel and f"{d['paper_count']} papers" in panel
    some_paper = sorted(p for p in G.predecessors(node) if p.startswith("paper:"))[0]
    assert G.nodes[some_paper]["title"] in panel


def test_view_edge_click_quotes_the_sentence_with_both_ends(driver, hostile_map):
    out, _, G = hostile_map
    open_map(driver, out)
    _, extractions = sample_records(60, 40, titles=HOSTILE)
    m0, m1 = extractions[5].mentions[:2]  # the first sentence of a paper names both
    a, b = sorted((f"entity:{m0.key}", f"entity:{m1.key}"))
    eid = js(driver, f"return citegraph.edges.get().filter(e => e.from == {json.dumps(a)} "
                     f"&& e.to == {json.dumps(b)})[0].id")
    js(driver, f"citegraph.selectEdge({json.dumps(eid)})")
    assert js(driver, "return citegraph.panel.id") == eid
    panel = js(driver, "return document.getElementById('panel-body').textContent")
    assert extractions[5].title in panel
    quotes = js(driver, "return Array.from(document.querySelectorAll('#panel blockquote')).map("
                        "q => [q.textContent, Array.from(q.querySelectorAll('mark'))"
                        ".map(m => m.className + ':' + m.textContent)])")
    sentence = f"We apply {m0.text} to {m1.text} with good results."
    assert [sentence, [f"m{int(a != f'entity:{m0.key}')}:{m0.text}",
                       f"m{int(a == f'entity:{m0.key}')}:{m1.text}"]] in quotes
    papers = G.edges[a, b]["papers"]
    assert f"Mentioned together in {papers} paper" in panel


def test_view_switches_and_filters(driver, hostile_map):
    out, stats, G = hostile_map
    open_map(driver, out)
    js(driver, "citegraph.setColourBy('community')")
    colours = js(driver, "return new Set(citegraph.nodes.get().map(n => JSON.stringify(n.color))).size")
    assert colours >= 2
    legend = js(driver, "return document.getElementById('legend').textContent")
    assert "Communities" in legend
    js(driver, "citegraph.setSizeBy('pr')")
    values = js(driver, "return citegraph.nodes.get().map(n => n.value)")
    assert max(values) < 1
    js(driver, "citegraph.setFilter(['method'], 2)")
    expected = sum(1 for n, d in G.nodes(data=True)
                   if d["kind"] == "entity" and d["label"] != "method" and d["paper_count"] >= 2)
    assert js(driver, "return citegraph.shown") == expected
    assert js(driver, "return citegraph.nodes.get({filter: n => !n.hidden}).length") == expected
    js(driver, "citegraph.setFilter([], 0)")
    name = G.nodes[sorted(n for n, d in G.nodes(data=True) if d["kind"] == "entity")[3]]["name"]
    assert js(driver, f"return citegraph.search({json.dumps(name.lower())})") is not None


def test_view_big_map_draws_backbone_with_python_layout(driver, tmp_path):
    G, papers, extractions = sample_graph(900, 700, per_paper=8, seed=1)
    out = tmp_path / "big.html"
    stats = render_html(G, out, papers=papers, extractions=extractions, max_nodes=500)
    assert stats["layout"] == "python" and stats["nodes"] == 500 and stats["nodes_left_out"] > 0
    logs = open_map(driver, out)
    assert [m for m in logs["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    assert js(driver, "return citegraph.nodes.length") == 500
    assert js(driver, "return citegraph.network.physics.physicsEnabled") is False
    left = js(driver, "return document.getElementById('cg-left').textContent")
    assert f"{stats['nodes_left_out']:,}" in left and "Left out" in left


def test_view_empty_map_says_why(driver, tmp_path):
    import networkx as nx

    out = tmp_path / "empty.html"
    stats = render_html(nx.DiGraph(), out)
    assert stats["nodes"] == 0
    logs = open_map(driver, out)
    assert [m for m in logs["console"] if m["level"] == "SEVERE"] == []
    assert "Nothing to draw" in js(driver, "return document.getElementById('notice').textContent")


def test_view_papers_mode_edge_panels(driver, tmp_path):
    G, papers, extractions = sample_graph(40, 30, seed=2, titles=HOSTILE)
    out = tmp_path / "papers.html"
    stats = render_html(G, out, papers=papers, extractions=extractions, mode="papers")
    logs = open_map(driver, out)
    assert [m for m in logs["console"] if m["level"] in ("SEVERE", "WARNING")] == []
    assert js(driver, "return citegraph.nodes.length") == stats["nodes"]
    kinds = js(driver, "return Array.from(new Set(citegraph.edges.get().map(e => e.type))).sort()")
    assert kinds == ["CITES", "RELATED_TO"]
    eid = js(driver, "return citegraph.edges.get().filter(e => e.type == 'CITES')[0].id")
    js(driver, f"citegraph.selectEdge({json.dumps(eid)})")
    assert js(driver, "return document.querySelectorAll('#panel blockquote mark').length") >= 1
    eid = js(driver, "return citegraph.edges.get().filter(e => e.type == 'RELATED_TO')[0].id")
    js(driver, f"citegraph.selectEdge({json.dumps(eid)})")
    assert "Shared entities" in js(driver, "return document.getElementById('panel-body').textContent")
    assert js(driver, "return typeof window.__pwned") == "undefined"
