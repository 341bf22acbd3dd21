"""The citation maps (``citegraph view --mode citations|cocitation|coupling|coauthors``): their links checked against
the citations a generated corpus really makes, and the maps of a real Web of Science export read in a real headless
Chromium (arrows citing -> cited, years left to right, the main path, each link's evidence in the panel, labels
never on top of each other). Every graph here is made by the real builder."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import citegraph
from citegraph.graph.cli.main import main as cli
from citegraph.graph.build.authors import author_key, author_node
from citegraph.graph.cli.view import MODES as CLI_MODES
from citegraph.graph.view.render import render_html
from citegraph.graph.view.citemaps import STRONGEST_LINKS
from citegraph.graph.view.select import MODES, ViewError, view_graph
from citegraph.graph.view.style import edge_style
from citegraph.testing import citing_records, sample_graph
from tests.test_view_browser import driver, js, open_map  # noqa: F401 - the session's browser fixture
from tests.test_view_readability import overlapping, redraw_labels

CITATION_MODES = ("citations", "cocitation", "coupling", "coauthors")
LINK_TYPE = {"citations": "CITES", "cocitation": "CO_CITED", "coupling": "COUPLED", "coauthors": "CO_AUTHOR"}


@pytest.fixture(scope="module")
def corpus():
    return citing_records(30, refs_per_paper=8, external=25, seed=11)


@pytest.fixture(scope="module")
def corpus_graph(corpus) -> nx.DiGraph:
    return citegraph.build(corpus.records, rules_only=True, html=False, workers=1).graph


@pytest.fixture(scope="module")
def wos(bibliographic_dir: Path, tmp_path_factory):
    """The real Web of Science export whose 32 records cite each other, built and saved."""
    b = citegraph.build([bibliographic_dir / "wos_plaintext_metaknowledge.txt"], rules_only=True, html=False)
    out = tmp_path_factory.mktemp("wos") / "out"
    b.save(out)
    return b, out


def _truth(corpus) -> tuple[dict[str, set], dict[str, set]]:
    """What each paper of the generated corpus cites (``("paper", id)`` or ``("outside", k)``), and who wrote it."""
    cites: dict[str, set] = defaultdict(set)
    for citing, cited in corpus.cites:
        cites[f"paper:{citing}"].add(("paper", f"paper:{cited}"))
    for citing, k in corpus.external:
        cites[f"paper:{citing}"].add(("outside", k))
    return cites, {f"paper:{p}": set(names) for p, names in corpus.authors.items()}


def test_view_citation_modes_are_the_cli_modes() -> None:
    assert CLI_MODES == list(MODES) and set(CITATION_MODES) <= set(MODES)


def test_view_citations_map_draws_each_true_citation_citing_to_cited(corpus, corpus_graph) -> None:
    H = view_graph(corpus_graph, mode="citations").graph
    drawn = {(d["source_node"], v if d["source_node"] == u else u) for u, v, d in H.edges(data=True)}
    assert drawn == {(f"paper:{a}", f"paper:{b}") for a, b in corpus.cites}  # papers cite only earlier ones
    assert {d["type"] for _, _, d in H.edges(data=True)} == {"CITES"}
    path = [(d["source_node"], v if d["source_node"] == u else u) for u, v, d in H.edges(data=True) if d["main_path"]]
    assert path and all(corpus_graph.nodes[a]["year"] >= corpus_graph.nodes[b]["year"] for a, b in path)
    cited = defaultdict(int)
    for _, b in corpus.cites:
        cited[f"paper:{b}"] += 1
    assert all(d["paper_count"] == cited[n] for n, d in H.nodes(data=True))  # sized by citations in the corpus


def test_view_cocitation_links_count_the_papers_citing_both(corpus, corpus_graph) -> None:
    cites, _ = _truth(corpus)
    citers: dict[str, set] = defaultdict(set)
    for p, works in cites.items():
        for kind, w in works:
            if kind == "paper":
                citers[w].add(p)
    view = view_graph(corpus_graph, mode="cocitation")
    H = view.graph
    assert view.left_out == {}  # a corpus this small keeps every link
    between_papers = [(u, v, d) for u, v, d in H.edges(data=True) if u.startswith("paper:") and v.startswith("paper:")]
    assert between_papers
    for u, v, d in between_papers:
        assert d["type"] == "CO_CITED" and d["weight"] == len(citers[u] & citers[v]) >= 1
    expected = {tuple(sorted((a, b))) for a in citers for b in citers
                if a < b and len(citers[a]) >= 2 and len(citers[b]) >= 2 and citers[a] & citers[b]}
    assert {tuple(sorted(e[:2])) for e in between_papers} == expected


def test_view_coupling_links_have_the_salton_strength_of_the_shared_references(corpus, corpus_graph) -> None:
    cites, _ = _truth(corpus)
    view = view_graph(corpus_graph, mode="coupling")
    H = view.graph
    assert view.left_out == {}  # a corpus this small keeps every link
    expected = {}
    for a in cites:
        for b in cites:
            if a < b and cites[a] & cites[b]:
                expected[(a, b)] = len(cites[a] & cites[b]) / math.sqrt(len(cites[a]) * len(cites[b]))
    drawn = {tuple(sorted((u, v))): d for u, v, d in H.edges(data=True)}
    assert set(drawn) == set(expected)
    for pair, strength in expected.items():
        assert drawn[pair]["type"] == "COUPLED" and drawn[pair]["weight"] == pytest.approx(strength, abs=1e-6)


def test_view_coupling_of_a_dense_corpus_keeps_each_papers_strongest_links() -> None:
    corpus = citing_records(70, refs_per_paper=12, external=8, seed=5)  # few outside works: nearly all pairs coupled
    G = citegraph.build(corpus.records, rules_only=True, html=False, workers=1).graph
    cites, _ = _truth(corpus)
    strength = {(a, b): len(cites[a] & cites[b]) / math.sqrt(len(cites[a]) * len(cites[b]))
                for a in cites for b in cites if a < b and cites[a] & cites[b]}
    links: dict[str, list] = defaultdict(list)
    for (a, b), w in strength.items():
        links[a].append((-round(w, 6), b, (a, b)))
        links[b].append((-round(w, 6), a, (a, b)))
    assert max(len(x) for x in links.values()) > STRONGEST_LINKS  # the corpus is dense enough to prune
    kept = {pair for x in links.values() for _, _, pair in sorted(x)[:STRONGEST_LINKS]}
    view = view_graph(G, mode="coupling")
    assert {tuple(sorted(e)) for e in view.graph.edges} == kept
    assert view.left_out == {"edges": len(strength) - len(kept)}
    assert f"each node's {STRONGEST_LINKS} strongest links" in view.description


def test_view_coauthor_links_count_the_papers_written_together(corpus, corpus_graph) -> None:
    _, authors = _truth(corpus)
    key = {name: author_node(author_key(name)) for names in authors.values() for name in names}  # who is who
    H = view_graph(corpus_graph, mode="coauthors").graph
    together: dict[tuple, int] = defaultdict(int)
    written: dict[str, int] = defaultdict(int)
    for names in authors.values():
        ids = sorted({key[n] for n in names})
        for i, a in enumerate(ids):
            written[a] += 1
            for b in ids[i + 1:]:
                together[(a, b)] += 1
    drawn = {tuple(sorted((u, v))): d for u, v, d in H.edges(data=True)}
    assert {k: d["weight"] for k, d in drawn.items()} == together
    assert all(d["type"] == "CO_AUTHOR" for d in drawn.values())
    assert all(d["paper_count"] == written[n] for n, d in H.nodes(data=True))  # sized by papers


def test_view_citation_maps_of_records_without_citations_or_authors_say_why(corpus) -> None:
    plain = [{k: v for k, v in r.items() if k not in ("cited_references", "abstract")} for r in corpus.records]
    G = citegraph.build(plain, rules_only=True, html=False, workers=1).graph  # authors, nothing cited
    for mode in ("citations", "cocitation", "coupling"):
        with pytest.raises(ViewError, match=f"nothing to draw on the {mode} map.*bibliographic exports"):
            view_graph(G, mode=mode)
    assert view_graph(G, mode="coauthors").graph.number_of_edges()
    G, _, _ = sample_graph(40, 30, seed=2)  # listings without authors, as Hugging Face pages are
    with pytest.raises(ViewError, match="nothing to draw on the coauthors map: no two authors"):
        view_graph(G, mode="coauthors")


def test_view_cli_citation_map_without_citations_exits_1_and_writes_nothing(sample_build: Path) -> None:
    before = sorted(p.name for p in sample_build.iterdir())
    result = CliRunner().invoke(cli, ["view", str(sample_build), "--mode", "citations", "--gexf",
                                      str(sample_build / "c.gexf")])
    assert result.exit_code == 1
    assert "nothing to draw on the citations map" in result.output
    assert sorted(p.name for p in sample_build.iterdir()) == before


@pytest.mark.parametrize("mode", CITATION_MODES)
def test_view_cli_citation_map_default_name_and_gexf(wos, mode, tmp_path) -> None:
    b, out = wos
    gexf = tmp_path / f"{mode}.gexf"
    result = CliRunner().invoke(cli, ["view", str(out), "--mode", mode, "--gexf", str(gexf)])
    assert result.exit_code == 0, result.output
    page = out / f"map-{mode}.html"
    assert page.is_file() and f"wrote {page}" in result.output
    X = nx.read_gexf(gexf)
    assert X.number_of_edges() and {d["citegraph_type"] for _, _, d in X.edges(data=True)} == {LINK_TYPE[mode]}
    if mode == "citations":  # directed as the citation goes
        cites = {(u, v) for u, v, t in b.graph.edges(data="type") if t == "CITES"}
        assert {(u, v) for u, v in X.edges} <= cites



def _errors(logs: dict) -> list:
    return [m for m in logs["console"] if m["level"] in ("SEVERE", "WARNING")]


@pytest.mark.browser
def test_view_historiograph_in_the_browser(driver, wos, tmp_path) -> None:
    b, _ = wos
    G = b.graph
    page = tmp_path / "citations.html"
    render_html(G, page, papers=b.papers, extractions=b.extractions, mode="citations")
    logs = open_map(driver, page)
    assert _errors(logs) == []
    edges = js(driver, "return citegraph.edges.get()")
    cites = {(u, v) for u, v, t in G.edges(data="type") if t == "CITES" and v.startswith("paper:")}
    arrows = {(e["from"], e["to"]) if e["arrows"] == "to" else (e["to"], e["from"]) for e in edges}
    assert {e["type"] for e in edges} == {"CITES"} and arrows <= cites
    assert {tuple(sorted(p)) for p in arrows} == {tuple(sorted(p)) for p in cites}
    # publication years from left to right, the axis under them
    ids = js(driver, "return citegraph.nodes.getIds()")
    pos = js(driver, f"return citegraph.network.getPositions({json.dumps(ids)})")
    dated = sorted((G.nodes[n]["year"], pos[n]["x"]) for n in ids if G.nodes[n].get("year") is not None)
    assert len({y for y, _ in dated}) >= 3
    assert all(x1 < x2 for (y1, x1), (y2, x2) in zip(dated, dated[1:]) if y1 < y2)
    assert all(x1 == x2 for (y1, x1), (y2, x2) in zip(dated, dated[1:]) if y1 == y2)
    assert str(dated[0][0]) in js(driver, "return citegraph.axisDrawn")
    # the main path: drawn apart, named in the legend, a chain of citations
    main = js(driver, "return citegraph.meta.main_path")
    assert len(main) >= 2 and all(pair in cites for pair in zip(main, main[1:]))
    on_path = [e for e in edges if e.get("main_path")]
    assert len(on_path) == len(main) - 1 and all(e["color"]["color"] != edge_style("CITES").colour for e in on_path)
    assert "main path" in js(driver, "return document.getElementById('legend').textContent")
    e = on_path[0]
    js(driver, f"citegraph.selectEdge({json.dumps(e['id'])})")
    citing, cited = (e["from"], e["to"]) if e["arrows"] == "to" else (e["to"], e["from"])
    panel = js(driver, "return document.getElementById('panel-body').textContent")
    assert f"{G.nodes[citing]['name']} cites {G.nodes[cited]['name']} · on the main path" in panel
    js(driver, "citegraph.clearSelection()")
    labels = redraw_labels(driver)
    height = js(driver, "return document.getElementById('map').getBoundingClientRect().bottom")
    assert labels and overlapping(labels) == [] and all(b["y"] + b["h"] <= height - 24 for b in labels)


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["cocitation", "coupling", "coauthors"])
def test_view_derived_citation_map_in_the_browser(driver, wos, mode, tmp_path) -> None:
    b, _ = wos
    G = b.graph
    page = tmp_path / f"{mode}.html"
    render_html(G, page, papers=b.papers, extractions=b.extractions, mode=mode)
    logs = open_map(driver, page)
    assert _errors(logs) == []
    edges = js(driver, "return citegraph.edges.get()")
    assert edges and {e["type"] for e in edges} == {LINK_TYPE[mode]} and not any(e.get("arrows") for e in edges)
    assert js(driver, "return citegraph.meta.colour_by") == "community"
    words = {"cocitation": "citing papers", "coupling": "references", "coauthors": "papers"}[mode]
    assert js(driver, "return document.getElementById('min-papers').parentNode.textContent").strip() == f"Min. {words}"
    colours = js(driver, "return citegraph.meta.communities.map(c => c.colour)")
    assert {n["color"] for n in js(driver, "return citegraph.nodes.get()")} <= set(colours) | {
        js(driver, "return citegraph.meta.other_colour")}
    e = max(edges, key=lambda e: (e["value"], e["id"]))
    u, v = e["from"], e["to"]

    def around(n: str, edge_type: str, out: bool) -> set[str]:
        pairs = G.out_edges(n, data="type") if out else G.in_edges(n, data="type")
        return {(y if out else x) for x, y, t in pairs if t == edge_type}

    js(driver, f"citegraph.selectEdge({json.dumps(e['id'])})")
    panel = js(driver, "return document.getElementById('panel-body').textContent")
    if mode == "cocitation":  # the papers citing both works
        why = around(u, "CITES", False) & around(v, "CITES", False)
        assert f"Co-cited: {len(why)} papers cite both" in panel
    elif mode == "coupling":  # the works both papers cite
        why = around(u, "CITES", True) & around(v, "CITES", True)
        assert f"both cite {len(why)} works" in panel and "Shared references" in panel
    else:  # the papers both wrote
        why = around(u, "WROTE", True) & around(v, "WROTE", True)
        assert f"Co-authors of {len(why)} paper" in panel
    lists = js(driver, "return Array.from(document.querySelectorAll('#panel-body ul'))"
                       ".map(ul => Array.from(ul.children).map(li => li.firstChild.textContent))")
    names = {str(G.nodes[w]["name"]) for w in why}
    listed = lists[1] if mode == "coupling" else lists[0]  # coupling: both papers, then the shared references
    assert why and set(listed) <= names and len(listed) == min(len(why), 40 if mode == "coupling" else 12)
    if mode == "coupling":
        assert set(lists[0]) == {G.nodes[u]["name"], G.nodes[v]["name"]}
    if mode == "cocitation":  # a work's panel: the papers citing it
        js(driver, f"citegraph.selectNode({json.dumps(u)})")
        assert "Cited by" in js(driver, "return document.getElementById('panel-body').textContent")
        first = js(driver, "return Array.from(document.querySelector('#panel-body ul').children)"
                           ".map(li => li.firstChild.textContent)")
        citing = {str(G.nodes[w]["name"]) for w in around(u, "CITES", False)}
        assert set(first) <= citing and len(first) == min(len(citing), 60)
    if mode == "coauthors":  # sized by papers written
        sizes = {n["id"]: n["count"] for n in js(driver, "return citegraph.nodes.get()")}
        assert all(c == len(around(n, "WROTE", True)) for n, c in sizes.items())
    js(driver, "citegraph.clearSelection()")
    labels = redraw_labels(driver)
    assert labels and overlapping(labels) == []
