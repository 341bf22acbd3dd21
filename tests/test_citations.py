"""The citation network: cited references of generated bibliographic records (citegraph.testing.citing_records, built
by the real builder) become CITES edges to the papers of the corpus they are, whatever style they are written in,
and reference nodes otherwise; in-text references join them; authors and WROTE; every output format carries it."""

from __future__ import annotations

import csv
import re
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import citegraph
from citegraph.extract.records import CitedReference, Paper
from citegraph.graph.build.authors import _PARTICLES, author_key, split_name
from citegraph.graph.build.citations import CorpusIndex, parse_cited_reference, reference_key
from citegraph.graph.builddir.build import load_graph
from citegraph.graph.builddir.changes import summarize_build
from citegraph.graph.cli.main import main
from citegraph.graph.analytics import citations as C
from citegraph.graph.analytics import paper_graph
from citegraph.testing import CITING_STYLES, citing_graph, citing_records


@pytest.fixture(scope="module")
def corpus():
    return citing_records(40, refs_per_paper=8, external=60, seed=3)


@pytest.fixture(scope="module")
def built(corpus):
    return citegraph.build(corpus.records, html=False, workers=1)


@pytest.fixture(scope="module")
def saved(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("citing") / "out"
    built.save(out)
    return out


def _cites(G: nx.DiGraph) -> dict[tuple[str, str], dict]:
    return {(u.removeprefix("paper:"), v.removeprefix("paper:")): d for u, v, d in G.edges(data=True)
            if d.get("type") == "CITES" and v.startswith("paper:")}


def test_citations_every_style_of_reference_to_a_corpus_paper_is_a_cites_edge(corpus, built) -> None:
    cites = _cites(built.graph)
    assert set(cites) == set(corpus.cites)
    assert set(corpus.cites.values()) == set(CITING_STYLES)  # the corpus writes references in every style
    for pair, style in corpus.cites.items():
        assert style in cites[pair]["via"], (pair, style, cites[pair])
    counts = built.manifest["counts"]
    assert counts["cites_in_corpus"] == len(corpus.cites)
    assert counts["cited_references"] == sum(len(r["cited_references"]) for r in corpus.records)


def test_citations_outside_works_are_reference_nodes_shared_by_their_citers(corpus, built) -> None:
    G = built.graph
    citers = Counter(k for _, k in corpus.external)
    refs = {n: d for n, d in G.nodes(data=True) if d["kind"] == "reference"}
    assert len(refs) == len(citers)  # one node per outside work, however many papers cite it
    assert sorted(d["paper_count"] for d in refs.values()) == sorted(citers.values())
    # an outside work with a DOI is keyed by it
    assert {n for n in refs if n.startswith("ref:doi:")} == {f"ref:doi:10.9999/ext.{k}" for k in citers if k % 3 == 0}


def test_citations_in_text_references_join_the_listed_target(corpus, built) -> None:
    cites = _cites(built.graph)
    assert corpus.in_text
    for pair in corpus.in_text:
        assert "in-text" in cites[pair]["via"] and cites[pair]["count"] == 2, cites[pair]
    # every in-text reference found its target: no edge of an in-text reference alone (those carry no via)
    assert all(d.get("via") for _, _, d in built.graph.edges(data=True) if d["type"] == "CITES")


def test_citations_authors_are_nodes_with_wrote_edges(corpus, built) -> None:
    G = built.graph
    wrote = {(u, v) for u, v, t in G.edges(data="type") if t == "WROTE"}
    expected = {(f"author:{author_key(a)}", f"paper:{pid}") for pid, names in corpus.authors.items() for a in names}
    assert wrote == expected
    for u, v in wrote:
        assert G.nodes[u]["kind"] == "author" and G.nodes[v]["kind"] == "paper"
    first = {v: G.edges[u, v]["position"] for u, v in wrote if G.edges[u, v]["position"] == 1}
    assert len(first) == len(corpus.records)


def test_citations_every_output_format_carries_the_network(built, saved: Path) -> None:
    G = built.graph
    expected = {(u, v, d["type"]) for u, v, d in G.edges(data=True) if d["type"] in ("CITES", "WROTE")}
    assert nx.utils.graphs_equal(load_graph(saved), G)
    for H in (nx.read_graphml(saved / "graph.graphml"), nx.read_gexf(saved / "graph.gexf")):
        got = {(u, v, d.get("type")) for u, v, d in H.edges(data=True) if d.get("type") in ("CITES", "WROTE")}
        assert got == expected
        assert {d.get("kind") for _, d in H.nodes(data=True)} >= {"author", "reference", "paper"}
    with open(saved / "citations.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["source"], r["target"]) for r in rows} == {(u, v) for u, v, t in expected if t == "CITES"}
    assert {r["target_kind"] for r in rows} == {"paper", "reference"}
    with open(saved / "papers.csv", encoding="utf-8", newline="") as fh:
        papers = {r["id"]: r for r in csv.DictReader(fh)}
    local = Counter(b for _, b in _cites(G))
    for pid, row in papers.items():
        assert int(row["cited_in_corpus"]) == local[pid]
        assert row["doi"] == G.nodes[f"paper:{pid}"]["doi"] and row["year"] == str(G.nodes[f"paper:{pid}"]["year"])
    with open(saved / "authors.csv", encoding="utf-8", newline="") as fh:
        authors = list(csv.DictReader(fh))
    assert len(authors) == sum(1 for _, k in G.nodes(data="kind") if k == "author")
    with open(saved / "references.csv", encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == sum(1 for _, k in G.nodes(data="kind") if k == "reference")
    summary = summarize_build(saved)
    assert summary is not None and summary.citations == {(f"paper:{a}", f"paper:{b}") for a, b in _cites(G)}


def test_citations_update_lists_new_citations_and_authors(tmp_path: Path) -> None:
    """The 4 oldest papers come last: the references to them that were outside works become citations."""
    corpus = citing_records(44, refs_per_paper=8, external=60, seed=5)
    first, added = corpus.records[4:], corpus.records[:4]
    out = tmp_path / "out"
    citegraph.build(first, html=False, workers=1).save(out)
    inp = tmp_path / "later.jsonl"
    inp.write_text("".join(json.dumps(r) + "\n" for r in added), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--update", str(out), str(inp), "--no-html", "--workers", "1"])
    assert result.exit_code == 0, result.output
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    new_ids = {r["id"] for r in added}
    expected = {pair for pair in corpus.cites if new_ids & set(pair)}
    assert any(a not in new_ids for a, _ in expected)  # older builds' references now resolved to the added papers
    assert {(a.removeprefix("paper:"), b.removeprefix("paper:")) for a, b in changes["new_citations"]} == expected
    old_authors = {author_key(a) for r in first for a in r["authors"]}
    assert set(changes["new_authors"]) == {f"author:{author_key(a)}" for r in added for a in r["authors"]
                                           if author_key(a) not in old_authors}
    assert changes["counts"]["citations"] == len(corpus.cites)


def _index(*papers: Paper) -> CorpusIndex:
    return CorpusIndex.of(papers)


def test_citations_ambiguous_or_contradicted_matches_are_not_made() -> None:
    a = Paper("a", "Deep graph study of networks", authors=("Ada Smith",), year=2019, volume="3", page="10",
              doi="10.1/a")
    b = Paper("b", "Deep graph study of networks", authors=("Alan Smith",), year=2019, volume="3", page="10")
    ref = parse_cited_reference(CitedReference("Smith A, 2019, J NET, V3, P10"))
    assert _index(a, b).match(ref) is None  # two papers answer: neither is chosen
    assert _index(a).match(ref) == ("a", "author-year-page")
    titled = CitedReference("x", first_author="Smith A", year=2019, title="Deep graph study of networks",
                            doi="10.1/other")
    assert _index(a).match(titled) is None  # the title matches but the DOIs disagree
    assert _index(a).match(CitedReference("x", title="Deep graph study of networks", year=2018)) is None
    assert _index(a).match(CitedReference("x", title="Networks", year=2019)) is None  # too short a title
    assert _index(a).match(CitedReference("x", doi="10.1/A")) == ("a", "doi")


def test_citations_self_citation_is_skipped_and_counted() -> None:
    record = {"title": "A paper on itself and more", "doi": "10.5555/self", "cited_references": [
        {"raw": "Itself, 2020", "doi": "10.5555/SELF"}]}
    b = citegraph.build([record], rules_only=True, html=False)
    assert not any(t == "CITES" for _, _, t in b.graph.edges(data="type"))
    assert b.manifest["counts"]["self_citations_skipped"] == 1


def test_citations_cites_between_related_papers_keeps_one_edge_with_both(built) -> None:
    G = built.graph
    both = [(u, v, d) for u, v, d in G.edges(data=True) if d["type"] == "CITES" and "weight" in d]
    assert both, "the generated corpus has related papers citing each other"
    for u, v, d in both:
        assert u < v and d["shared"] == len(d["shared_entities"]) > 0
    assert built.manifest["counts"]["edges"] == G.number_of_edges()


def test_citations_do_not_change_which_papers_are_related(corpus, built) -> None:
    """The related-paper view of a citing build is that of the same records without their references."""
    plain = citegraph.build([{k: v for k, v in r.items() if k != "cited_references"} for r in corpus.records],
                            html=False, workers=1).graph
    related = {(u, v): round(d["weight"], 6) for u, v, d in plain.edges(data=True) if d["type"] == "RELATED_TO"}
    P, Q = paper_graph(built.graph), paper_graph(plain)
    expected = {(min(u, v), max(u, v)): round(w, 6) for u, v, w in Q.edges(data="weight")}
    assert {(min(u, v), max(u, v)): round(w, 6) for u, v, w in P.edges(data="weight")} == expected
    assert set(related) <= set(expected)  # the plain build's in-text citations between papers carry a few more


def test_citations_reference_keys_are_stable_and_readable() -> None:
    wos = parse_cited_reference(CitedReference("Vaswani A, 2017, ADV NEUR IN, V30, P5998, DOI 10.5555/X.Y"))
    assert (wos.doi, reference_key(wos)) == ("10.5555/x.y", "doi:10.5555/x.y")
    a = CitedReference("a", first_author="Smith J", year=2001, title="A Study of Things, Revisited")
    b = CitedReference("b", first_author="SMITH J.", year=2001, title="a study of things revisited")
    assert reference_key(a) == reference_key(b)
    assert reference_key(CitedReference("x", ids=(("pmid", "123"),))) == "pmid:123"


@settings(max_examples=200, deadline=None)
@given(given_names=st.lists(st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True).filter(
    lambda g: g.lower() not in _PARTICLES), min_size=1, max_size=3),  # "Da Silva": is "Da" a particle or a name?
       surname=st.from_regex(r"[A-Z][a-z]{2,10}", fullmatch=True))
def test_citations_author_key_is_the_same_for_every_way_exports_write_a_name(given_names, surname) -> None:
    initials = "".join(g[0] for g in given_names)
    forms = [f"{' '.join(given_names)} {surname}", f"{surname}, {' '.join(given_names)}", f"{surname} {initials}",
             f"{surname}, {'. '.join(initials)}.", f"{surname.upper()} {initials}"]
    assert len({author_key(f) for f in forms}) == 1, forms
    assert split_name(forms[0]) == (surname, initials)


def _wos_records(path: Path) -> list[dict]:
    """The records of a Web of Science plain-text export as dicts with the fields the citation network reads (a
    tag, then continuation lines indented by three spaces; ``ER`` ends a record): what the graph side is given."""
    records, current, tag = [], None, None
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("ER"):
            if current:
                records.append(current)
            current, tag = None, None
            continue
        tag = line[:2] if line[:2].strip() else tag
        if tag in (None, "FN", "VR", "EF"):
            continue
        current = current if current is not None else {}
        current.setdefault(tag, []).append(line[3:].strip())
    return [{"id": r["UT"][0], "title": " ".join(r["TI"]), "authors": r.get("AU", []),
             "year": r.get("PY", [""])[0], "doi": r.get("DI", [""])[0], "volume": r.get("VL", [""])[0],
             "page": r.get("BP", [""])[0], "venue": " ".join(r.get("SO", [])), "ids": {"wos": r["UT"][0]},
             "cited_references": r.get("CR", [])} for r in records]


@pytest.mark.parametrize("name", ["wos_plaintext_bibliometrix.txt", "wos_plaintext_metaknowledge.txt",
                                  "wos_plaintext_wosfile.txt"])
def test_citations_real_web_of_science_references_to_records_of_the_export(shared_dir: Path, name: str) -> None:
    records = _wos_records(shared_dir / "data" / "bibliographic" / name)
    owners: dict[str, set] = {}
    for r in records:
        if r["doi"]:
            owners.setdefault(r["doi"].lower(), set()).add(r["id"])
    by_doi = set()  # (citing, cited) where a CR string's DOI is the DOI of exactly one other record
    for r in records:
        for cr in r["cited_references"]:
            for doi in re.findall(r"DOI \[?(10\.[^,\s\]]+)", cr):
                if len(found := owners.get(doi.lower(), set())) == 1 and r["id"] not in found:
                    by_doi.add((r["id"], next(iter(found))))
    assert by_doi, "each of these exports has records citing others of it by DOI"
    G = citegraph.build(records, rules_only=True, html=False).graph
    cites = _cites(G)
    assert {pair for pair, d in cites.items() if "doi" in d["via"]} == by_doi
    assert all(d["via"] for d in cites.values())
    refs = sum(1 for _, k in G.nodes(data="kind") if k == "reference")
    total = sum(len(r["cited_references"]) for r in records)
    assert refs + len(cites) <= total  # one node per work, however many records cite it


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 30), refs=st.integers(0, 12), external=st.integers(0, 20), seed=st.integers(0, 10**6))
def test_citations_graph_invariants_on_generated_corpora(n, refs, external, seed) -> None:
    G = citing_graph(n, refs_per_paper=refs, external=external, seed=seed)
    cites = [(u, v) for u, v, t in G.edges(data="type") if t == "CITES"]
    assert all(u != v and G.nodes[u]["kind"] == "paper" and G.nodes[v]["kind"] in ("paper", "reference")
               for u, v in cites)
    for n_, d in G.nodes(data=True):
        if d["kind"] == "reference":
            assert d["paper_count"] == G.in_degree(n_) > 0
        if d["kind"] == "author":
            assert d["paper_count"] == G.out_degree(n_) > 0
    assert nx.is_directed_acyclic_graph(C.citation_graph(G))  # generated papers cite earlier ones only
