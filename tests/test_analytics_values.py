"""Values of every analysis on small corpora whose answers are worked out by hand from the README's definitions;
the graphs are generated records built by the real builder (citegraph.testing)."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from citegraph.graph import analytics as A
from citegraph.graph.analytics.thematic import quadrant
from citegraph.testing import graph_from_papers, toy_graph
from citegraph.graph.analytics.trends import burst_score


@pytest.fixture()
def toy():
    return toy_graph()


@pytest.mark.parametrize(
    ("entity", "papers", "weighted_degree"),
    [("squad", 3, 7), ("qa", 3, 7), ("bert", 2, 5), ("gpt", 2, 4), ("imagenet", 2, 4), ("f1", 1, 3), ("vit", 1, 2)],
)
def test_analytics_entity_scores_papers_and_weighted_degree(toy, entity, papers, weighted_degree):
    s = A.entity_scores(toy)[f"entity:{entity}"]
    assert (s["papers"], s["weighted_degree"]) == (papers, weighted_degree)


def test_analytics_central_entities_pagerank_sums_to_one_and_ranks_within_kind(toy):
    c = A.central_entities(toy, top=10)
    assert list(c) == ["method", "dataset", "task", "metric"]
    assert math.isclose(sum(e["pagerank"] for e in A.entity_scores(toy).values()), 1.0)
    assert [e["name"] for e in c["method"]["papers"]] == ["BERT", "GPT", "ResNet", "ViT"]


@pytest.mark.parametrize(("name", "raw"), [("GPT", 12.0), ("SQuAD", 4.0), ("question answering", 4.0),
                                           ("ImageNet", 2.5), ("ResNet", 2.5)])
def test_analytics_bridges_exact_betweenness(toy, name, raw):
    got = {b["name"]: b["betweenness"] for b in A.bridges(toy, top=10)}
    assert got[name] * 21 == pytest.approx(raw)  # normalised by (n-1)(n-2)/2 = 21 for n = 8


def test_analytics_bridges_sampled_with_all_sources_matches_exact(toy):
    exact = A.bridges(toy, top=10)
    sampled = A.bridges(toy, top=10, k=8, seed=1)
    assert [b["id"] for b in sampled] == [b["id"] for b in exact]
    assert [b["betweenness"] for b in sampled] == pytest.approx([b["betweenness"] for b in exact])


def test_analytics_communities_partition_the_clique_and_triangle(toy):
    cs = A.communities(toy, seed=0)
    assert [c["members"] for c in cs] == [
        ["entity:qa", "entity:squad", "entity:bert", "entity:f1"],
        ["entity:imagenet", "entity:resnet", "entity:gpt", "entity:vit"],
    ]
    assert [c["density"] for c in cs] == pytest.approx([1.0, 5 / 6])


@pytest.mark.parametrize("resolution", [0.0, -1.0])
def test_analytics_partition_rejects_bad_resolution(toy, resolution):
    with pytest.raises(ValueError, match="resolution"):
        A.partition(toy, resolution=resolution)


def test_analytics_partition_high_resolution_gives_more_communities(toy):
    assert len(A.partition(toy, resolution=10.0, seed=0)) > len(A.partition(toy, resolution=1.0, seed=0))


def _four_themes():
    """Four themes by hand: two dense cliques, two loose chains; two of them linked to everything."""
    ents = {k: ("concept", k.upper()) for k in "abcdefghijkl"}
    papers = {
        # motor: a, b, c always together (dense) and linked out through a.
        "1": ([], ("a", "b", "c"), ()), "2": ([], ("a", "b", "c"), ()),
        # niche: d, e, f always together, never with others.
        "3": ([], ("d", "e", "f"), ()), "4": ([], ("d", "e", "f"), ()),
        # basic: g-h, h-i loosely (chain), linked out through g.
        "5": ([], ("g", "h"), ()), "6": ([], ("h", "i"), ()), "7": ([], ("g",), ()), "8": ([], ("i",), ()),
        # emerging: j-k, k-l chain, no outside links.
        "9": ([], ("j", "k"), ()), "10": ([], ("k", "l"), ()), "11": ([], ("j",), ()), "12": ([], ("l",), ()),
        # cross links
        "13": ([], ("a", "g"), ()),
    }
    G = graph_from_papers(papers, ents, titles={p: p for p in papers})
    groups = [[f"entity:{x}" for x in g] for g in ("abc", "def", "ghi", "jkl")]
    return G, groups


def test_analytics_thematic_map_names_all_four_quadrants():
    G, groups = _four_themes()
    m = A.thematic_map(G, groups=groups)
    by_first = {t["label"].split(" / ")[0]: t for t in m["themes"]}
    got = {t["quadrant"] for t in m["themes"]}
    assert got == {"motor", "niche", "basic", "emerging or declining"}
    # a-g: c = 1 paper, a in 3 papers, g in 3 papers: e = 1/9; centrality 10/9 for both linked themes
    linked = [t for t in m["themes"] if t["centrality"] > 0]
    assert [t["centrality"] for t in linked] == pytest.approx([10 / 9, 10 / 9])
    assert by_first["D"]["density"] == pytest.approx(100 * 3 / 3)  # three links with e = 1


@pytest.mark.parametrize(
    ("c", "d", "expected"),
    [(2, 2, "motor"), (0, 2, "niche"), (0, 0, "emerging or declining"), (2, 0, "basic"),
     (1, 1, "emerging or declining")],
)
def test_analytics_quadrant_names(c, d, expected):
    assert quadrant(c, d, 1, 1) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [((2, 2, 0, 3), math.log2((3 / 4) / (1 / 5))), ((1, 2, 2, 4), 0.0),
     ((0, 10, 5, 10), math.log2((1 / 12) / (6 / 12)))],
)
def test_analytics_burst_score_definition(args, expected):
    assert burst_score(*args) == pytest.approx(expected)


def test_analytics_trends_toy(toy):
    t = A.trends(toy)
    assert t["dates"] == ["2024-03-13", "2024-03-14", "2024-03-17"]
    assert [(b["name"], b["date"]) for b in t["bursts"]] == [("BERT", "2024-03-13"), ("GPT", "2024-03-14")]
    step2 = t["rising"][1]
    assert (step2["from"], step2["to"]) == ("2024-03-14", "2024-03-17")
    assert [(e["name"], e["rise"]) for e in step2["entities"]] == [("ViT", 1.0), ("ImageNet", 0.5), ("ResNet", 0.5)]


@pytest.mark.parametrize("dates", [[], ["2024-03-13"]])
def test_analytics_trends_fewer_than_two_dates_says_so(dates):
    papers = {"a": (list(dates), ("x", "y"), ()), "b": (list(dates), ("x",), ()), "c": ([], ("y",), ())}
    G = graph_from_papers(papers, {"x": ("method", "X"), "y": ("dataset", "Y")}, titles={p: p for p in papers})
    t = A.trends(G)
    assert t["note"] and t["rising"] == [] and t["bursts"] == []
    assert t["undated_papers"] == (3 if not dates else 1)
    if dates:
        assert "only one listing date" in t["note"] and t["papers_per_date"] == {"2024-03-13": 2}


def test_analytics_trends_paper_on_two_dates_counts_on_both():
    papers = {"a": (["2024-01-01", "2024-01-02"], ("x",), ()), "b": (["2024-01-02"], ("y",), ())}
    G = graph_from_papers(papers, {"x": ("method", "X"), "y": ("method", "Y")}, titles={p: p for p in papers})
    assert A.trends(G)["papers_per_date"] == {"2024-01-01": 1, "2024-01-02": 2}
    assert A.entity_trends(G)["entity:x"]["papers_per_date"] == {"2024-01-01": 1, "2024-01-02": 1}


def test_analytics_usage_matrix_and_pairs(toy):
    m = A.usage_matrix(toy, top=2)
    assert [r["name"] for r in m["rows"]] == ["BERT", "GPT"] and [c["name"] for c in m["cols"]] == ["ImageNet", "SQuAD"]
    assert m["counts"] == [[0, 2], [1, 1]]
    pairs = A.strongest_pairs(toy, top=10)
    assert len(pairs) == 5 and pairs[0]["paper_ids"] == ["paper:p4", "paper:p5"]
    assert pairs[0]["lift"] == pytest.approx(2.5)


def test_analytics_similar_pairs_and_nearest(toy):
    pairs = A.similar_pairs(toy, top=10)
    assert [(p["a"], p["b"]) for p in pairs] == [
        ("paper:p1", "paper:p2"), ("paper:p4", "paper:p5"), ("paper:p1", "paper:p3"), ("paper:p2", "paper:p3"),
        ("paper:p3", "paper:p4")]
    assert pairs[0]["weight"] == pytest.approx(math.log(5 / 2) + 2 * math.log(5 / 3))
    near = A.nearest_papers(toy, "paper:p1")
    assert [n["id"] for n in near] == ["paper:p2", "paper:p3"]
    assert [s["name"] for s in near[0]["shared"]] == ["BERT", "question answering", "SQuAD"]  # rarest first


@pytest.mark.parametrize("bad", ["p9", "entity:bert", ""])
def test_analytics_nearest_papers_unknown_paper(toy, bad):
    with pytest.raises(ValueError, match="unknown paper"):
        A.nearest_papers(toy, bad)


def test_analytics_references(toy):
    assert [(r["name"], r["papers"]) for r in A.top_references(toy)] == [
        ("Devlin et al., 2019", 3), ("He et al., 2016", 2), ("Rajpurkar et al., 2016", 1)]
    assert A.cocited_references(toy, min_papers=2) == []
    coupled = A.coupled_papers(toy, top=10)
    assert [(c["a"], c["b"]) for c in coupled] == [
        ("paper:p1", "paper:p2"), ("paper:p1", "paper:p3"), ("paper:p2", "paper:p3"), ("paper:p4", "paper:p5")]


@pytest.mark.parametrize("fn", [A.central_entities, A.bridges, A.similar_pairs, A.top_references, A.strongest_pairs])
def test_analytics_top_must_be_positive(toy, fn):
    with pytest.raises(ValueError, match="top"):
        fn(toy, top=0)


def test_analytics_trends_of_a_real_export_run_over_publication_years(bibliographic_dir):
    # a Web of Science export has publication years and no listing dates: its trends count papers per year, and
    # its entities' first and last dates are years
    from citegraph.graph.build.job import BuildOptions, run_build

    b = run_build([bibliographic_dir / "wos_plaintext_wosfile.txt"], BuildOptions(workers=1, html=False,
                                                                                 rules_only=True))
    years = Counter(str(p.year) for p in b.papers.values() if p.year)
    t = A.trends(b.graph)
    assert len(years) >= 2 and t["unit"] == "publication year" and not t["note"]
    assert t["papers_per_date"] == dict(sorted(years.items()))
    assert t["undated_papers"] == sum(1 for p in b.papers.values() if not p.year)
    first = {e: v["first_seen"] for e, v in A.entity_trends(b.graph).items()}
    for e, seen in first.items():
        papers_years = {str(b.graph.nodes[p]["year"]) for p in b.graph.predecessors(e)
                        if b.graph.nodes[p].get("kind") == "paper" and b.graph.nodes[p].get("year")}
        assert seen == (min(papers_years) if papers_years else ""), e
        # the entity's first and last date (the map's overlay) are its papers' first and last year too
        node = b.graph.nodes[e]
        assert (node["first_date"], node["last_date"]) == ((min(papers_years), max(papers_years))
                                                           if papers_years else ("", "")), e
