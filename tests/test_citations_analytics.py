"""The citation analytics against what generated citing records say (citegraph.testing.citing_records, built by the
real builder): local citation counts, coupling, citations by year, co-authorship, the historiograph's paths, and
``citegraph analyze`` writing them into report.json."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import citegraph
from citegraph.graph.analytics import citations as C
from citegraph.graph.build.authors import author_key
from citegraph.graph.cli.main import main
from citegraph.testing import citing_records


@pytest.fixture(scope="module")
def corpus():
    return citing_records(60, refs_per_paper=10, external=30, seed=7)


@pytest.fixture(scope="module")
def G(corpus) -> nx.DiGraph:
    return citegraph.build(corpus.records, rules_only=True, html=False).graph


def _works(corpus) -> dict[str, set]:
    works: dict[str, set] = defaultdict(set)
    for a, b in corpus.cites:
        works[f"paper:{a}"].add(("paper", b))
    for a, k in corpus.external:
        works[f"paper:{a}"].add(("outside", k))
    return works


def test_citations_analytics_most_cited_counts_the_citing_papers(corpus, G) -> None:
    local = Counter(f"paper:{b}" for _, b in corpus.cites)
    outside = Counter(k for _, k in corpus.external)
    top = C.most_cited(G, top=1000)["local"]
    assert {w["id"]: w["citing"] for w in top if w["kind"] == "paper"} == dict(local)
    assert sorted(w["citing"] for w in top if w["kind"] == "reference") == sorted(outside.values())
    assert [w["citing"] for w in top] == sorted((w["citing"] for w in top), reverse=True)


def test_citations_analytics_coupling_is_the_works_two_papers_share(corpus, G) -> None:
    works = _works(corpus)
    expected = {(a, b): len(works[a] & works[b]) for a, b in combinations(sorted(works), 2) if works[a] & works[b]}
    pairs = C.coupling_pairs(G, top=10**6)
    assert {(p["a"], p["b"]): p["shared"] for p in pairs} == expected
    for p in pairs:
        assert 0 < p["strength"] <= 1


def test_citations_analytics_by_year_adds_up(corpus, G) -> None:
    year = {f"paper:{r['id']}": r["year"] for r in corpus.records}
    rows = C.citations_by_year(G)
    assert sum(r["papers"] for r in rows) == len(corpus.records)
    assert sum(r["citing"] for r in rows) == sum(r["cited"] for r in rows) == len(corpus.cites)
    cited = Counter(year[f"paper:{b}"] for _, b in corpus.cites)
    assert {r["year"]: r["cited"] for r in rows if r["cited"]} == dict(cited)


def test_citations_analytics_coauthorship_is_who_wrote_together(corpus, G) -> None:
    expected: Counter = Counter()
    for names in corpus.authors.values():
        keys = sorted({f"author:{author_key(n)}" for n in names})
        expected.update(combinations(keys, 2))
    A = C.coauthor_graph(G)
    assert {(u, v): w for u, v, w in A.edges(data="weight")} == dict(expected)
    summary = C.coauthorship(G, top=5)
    assert summary["components"] == nx.number_connected_components(A)
    assert sum(C.coauthorship(G, top=10**6)["component_sizes"]) == summary["authors"] == A.number_of_nodes()


def test_citations_analytics_historiograph_paths_follow_citations_back_in_time(corpus, G) -> None:
    h = C.historiograph(G, top=20)
    year = {f"paper:{r['id']}": r["year"] for r in corpus.records}
    cites = {(f"paper:{a}", f"paper:{b}") for a, b in corpus.cites}
    path = h["main_path"]
    assert len(path) >= 2 and all((u, v) in cites for u, v in zip(path, path[1:]))
    assert [year[n] for n in path] == sorted((year[n] for n in path), reverse=True)
    assert all(e["spc"] >= 1 and (e["source"], e["target"]) in cites for e in h["edges"])
    assert [n["year"] for n in h["nodes"]] == sorted(n["year"] for n in h["nodes"])
    clusters = C.cocitation_clusters(G, min_papers=2, seed=0)
    assert clusters == C.cocitation_clusters(G, min_papers=2, seed=0)  # seeded: the same clusters every run
    assert len({w for c in clusters for w in c["works"]}) == sum(c["size"] for c in clusters)


def test_citations_analytics_analyze_writes_them_into_the_report(corpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    b = citegraph.build(corpus.records, rules_only=True, html=False)
    b.save(out)
    result = CliRunner().invoke(main, ["analyze", str(out), "--top", "5"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["citations"]["most_cited"] == json.loads(json.dumps(C.most_cited(b.graph, 5)))
    assert report["citations"]["coauthorship"]["authors"] == sum(1 for _, k in b.graph.nodes(data="kind")
                                                                 if k == "author")
