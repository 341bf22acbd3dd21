from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph.extract.records import RELATION_LABELS, Extraction, Mention, Paper, Reference, Relation
from citegraph.graph.build import BuiltGraph, build_graph, build_tables
from citegraph.graph.builddir.build import load_build, load_graph
from citegraph.graph.builddir.writer import graph_counts
from citegraph.graph.formats.gexf import write_gexf
from citegraph.graph.formats.graphml import write_graphml
from citegraph.graph.formats.node_link import graph_to_json, write_node_link_json
from citegraph.graph.formats.tables import COOCCURRENCE_COLUMNS, cooccurrence_lines, flatten_lists, write_csv

KEYS = st.sampled_from(["a", "b", "c", "d", "e", "f"])


@st.composite
def corpora(draw):
    n = draw(st.integers(1, 12))
    papers, xs = [], []
    for i in range(n):
        keys = draw(st.lists(KEYS, max_size=6))
        papers.append(Paper(f"p{i}", f"T{i}", dates=tuple(sorted(draw(st.sets(st.sampled_from(
            ["2025-01-01", "2025-01-02", "2025-01-03"]), max_size=3))))))
        # typed relations between the paper's mentions: stored as core edges interleaved with CO_OCCURS
        relations = tuple(Relation(h, t, label, score) for h, t, label, score in draw(st.lists(st.tuples(
            st.integers(0, 5), st.integers(0, 5), st.sampled_from(RELATION_LABELS), st.sampled_from([0.3, 0.55, 0.9])),
            max_size=4)) if h < len(keys) and t < len(keys) and h != t)
        xs.append(Extraction(f"p{i}", f"T{i}", tuple(Mention(k, "method", 0, 1, "title", k) for k in keys),
                             relations=relations))
    return papers, xs


@settings(max_examples=200, deadline=None)
@given(corpora())
def test_build_cooccurrence_invariants(corpus):
    papers, xs = corpus
    G = build_graph(papers, xs)
    sets = {x.id: {m.key for m in x.mentions} for x in xs}
    for u, v, d in G.edges(data=True):
        assert u != v, "no self-loops"
        if d["type"] == "CO_OCCURS":
            assert u < v, "stored once"
            ku, kv = u.removeprefix("entity:"), v.removeprefix("entity:")
            shared = sorted(p for p, s in sets.items() if ku in s and kv in s)
            assert d["paper_ids"] == shared and d["papers"] == len(shared) == d["weight"]
            assert -1.0 <= d["npmi"] <= 1.0 + 1e-9
            cu, cv = G.nodes[u]["paper_count"], G.nodes[v]["paper_count"]
            assert math.isclose(d["association_strength"], len(papers) * len(shared) / (cu * cv), rel_tol=1e-5)
    dates = {p.id: p.dates for p in papers}
    for key in {k for s in sets.values() for k in s}:
        node = G.nodes[f"entity:{key}"]
        assert node["paper_count"] == sum(key in s for s in sets.values())
        seen = sorted(d for pid, s in sets.items() if key in s for d in dates[pid])  # undated papers add none
        assert (node["first_date"], node["last_date"]) == ((seen[0], seen[-1]) if seen else ("", ""))


@st.composite
def cited_corpora(draw):
    """Papers with ids out of sort order (``p10`` < ``p2``), mentions and references; some ids and keys hold
    characters that JSON or XML must escape."""
    n = draw(st.integers(1, 14))
    order = draw(st.permutations(range(n)))
    papers, xs = [], []
    for i in order:
        keys = draw(st.lists(KEYS | st.sampled_from(['say "ok"', "naïve\\b", "é\u2028", "<a&b>|{0}", "x\x01"]),
                             max_size=6))
        refs = draw(st.lists(st.sampled_from(["smith-2019", "lee-2020"]), max_size=2))
        pid = f"p{i}" + draw(st.sampled_from(["", "", "&<'\"é"]))
        papers.append(Paper(pid, f"T{i}"))
        xs.append(Extraction(pid, f"T{i}", tuple(Mention(k, "method", 0, 1, "title", k) for k in keys),
                             tuple(Reference(r, r.split("-")[0], int(r[-4:]), r, "abstract", 0, 1) for r in refs)))
    return papers, xs


@settings(max_examples=200, deadline=None)
@given(cited_corpora(), st.integers(1, 4))
def test_streamed_edges_are_the_whole_graph_in_sorted_order(corpus, related_k):
    """What the writers stream from the arrays is exactly the networkx graph, in sorted order."""
    papers, xs = corpus
    built = build_tables(papers, xs, related_k=related_k)
    G = built.to_networkx()
    assert G.graph == built.graph
    assert [(n, d) for n, d in built.nodes()] == [(n, G.nodes[n]) for n in sorted(G.nodes)]
    assert [(u, v, d) for u, v, d in built.edges()] == [(u, v, G.edges[u, v]) for u, v in sorted(G.edges)]
    whole = BuiltGraph.from_networkx(G)  # the networkx graph behind the writers' interface, every edge a dict
    assert graph_counts(built) == graph_counts(whole)
    # the writers format the array-kept edges straight from the arrays: the text networkx's graph gives
    for write in (write_node_link_json, write_graphml, write_gexf):
        streamed, plain = io.StringIO(), io.StringIO()
        write(built, streamed)
        write(whole, plain)
        assert streamed.getvalue() == plain.getvalue(), write.__name__
        if write is write_node_link_json:  # and networkx's own node-link data, sorted
            own = json.dumps(graph_to_json(G), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
            assert streamed.getvalue() == own
    for i, p in enumerate(papers):
        assert built.entity_count(i) == len({m.key for m in xs[i].mentions})
    # cooccurrence.csv from the columns: the csv module's text for the networkx graph's rows
    with tempfile.TemporaryDirectory() as tmp:
        co = sorted((u, v, d) for u, v, d in G.edges(data=True) if d["type"] == "CO_OCCURS")
        write_csv(Path(tmp) / "co.csv", COOCCURRENCE_COLUMNS,
                  ([u, v, d["papers"], d["association_strength"], d["npmi"], d["paper_ids"]] for u, v, d in co))
        plain = (Path(tmp) / "co.csv").read_text(encoding="utf-8")
    for graph in (built, whole):
        assert "".join(f"{line}\n" for line in [",".join(COOCCURRENCE_COLUMNS), *cooccurrence_lines(graph)]) == plain


def test_build_seeds_outputs(seeds_build: Path):
    G = load_graph(seeds_build)
    kinds = [d["kind"] for _, d in G.nodes(data=True)]
    assert kinds.count("paper") == 358
    assert kinds.count("reference") >= 20
    build = load_build(seeds_build)
    assert len(build.extractions) == 358
    assert all(x.mentions for x in build.extractions.values()), "every paper has at least one mention"
    # a paper mentions an entity node in the graph exactly when one of its entities is found somewhere in the
    # corpus with the graph's confidence
    least = build.manifest["parameters"]["min_confidence"]
    assert least > 0, "the shipped model's calibration chose a graph threshold"
    top: dict[str, float] = {}
    for m in (m for x in build.extractions.values() for m in x.mentions):
        top[m.key] = max(top.get(m.key, 0.0), m.confidence)
    for pid, x in build.extractions.items():
        mentioned = {v for v in G.successors(f"paper:{pid}") if G.nodes[v]["kind"] == "entity"}
        assert mentioned == {f"entity:{m.key}" for m in x.mentions if top[m.key] >= least}, pid
    # and the graph and the manifest say how many entities that left out
    under = sum(c < least for c in top.values())
    assert under > 0 and G.graph["entities_under_confidence"] == under == build.manifest["counts"][
        "entities_under_confidence"]
    assert G.graph["min_confidence"] == least
    # the three graph files agree
    gml = nx.read_graphml(seeds_build / "graph.graphml")
    gexf = nx.read_gexf(seeds_build / "graph.gexf")
    for H in (gml, gexf):
        assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
        assert set(H.nodes) == set(G.nodes)
    # ... attribute for attribute (lists |-joined, numbers as numbers); GEXF's label is the name, for Gephi
    flat = flatten_lists(G)
    for n, d in flat.nodes(data=True):
        assert dict(gml.nodes[n]) == d
        assert gexf.nodes[n] | {"label": gexf.nodes[n]["citegraph_label"]} == d | {"citegraph_label": d["label"]}
    for u, v, d in flat.edges(data=True):
        assert dict(gml.edges[u, v]) == {k: x for k, x in gexf.edges[u, v].items() if k != "id"} == d
    manifest = json.loads((seeds_build / "manifest.json").read_text())
    assert manifest["counts"]["papers"] == 358
    assert manifest["parameters"]["year_assumed"] is True
    assert {f["path"] for f in manifest["inputs"]} and all(len(f["sha256"]) == 64 for f in manifest["inputs"])
    for name, info in manifest["outputs"].items():
        assert (seeds_build / name).stat().st_size == info["bytes"]
    with open(seeds_build / "entities.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == kinds.count("entity")
    assert {r["label"] for r in rows} <= {"method", "dataset", "task", "metric", "concept"}


def test_build_mentions_honour_the_contract(seeds_build: Path):
    build = load_build(seeds_build)
    for x in build.extractions.values():
        paper = build.papers[x.id]
        for m in x.mentions:
            assert paper.field(m.field)[m.start:m.end] == m.text


def test_build_is_deterministic(seed_files, seeds_build: Path, tmp_path: Path):
    out = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "citegraph", "build", *map(str, seed_files), "--out", str(out),
                    "--year", "2025"], check=True, capture_output=True)
    names = sorted(p.name for p in seeds_build.iterdir())
    assert names == sorted(p.name for p in out.iterdir())
    for name in names:
        a, b = (seeds_build / name).read_bytes(), (out / name).read_bytes()
        if name == "manifest.json":
            ma, mb = json.loads(a), json.loads(b)
            ma.pop("run"), mb.pop("run")
            assert ma == mb
        else:
            assert a == b, f"{name} differs between two builds of the same input"


def test_build_of_the_sample_names_it_the_same_in_every_checkout(sample_build: Path):
    """The embedded sample is named by its place in the package, so its build's files are the same wherever the
    checkout lives: no output holds the checkout's absolute path."""
    from tests.conftest import ROOT

    with open(sample_build / "papers.csv", encoding="utf-8", newline="") as fh:
        sources = [s for row in csv.DictReader(fh) for s in row["sources"].split("|")]
    assert sources and all(s.startswith("extract/samples/hf_trending_sample.txt:") for s in sources)
    manifest = json.loads((sample_build / "manifest.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in manifest["inputs"]] == ["extract/samples/hf_trending_sample.txt"]
    leaking = [f.name for f in sample_build.iterdir() if f.is_file() and str(ROOT) in f.read_text(encoding="utf-8")]
    assert not leaking, f"the checkout's path {ROOT} is in {leaking}"


def test_build_extract_contract_on_jsonl(tmp_path: Path):
    rows = [{"id": "abc/1", "title": "Graph Attention Networks",
             "abstract": "We present graph attention networks (GATs), evaluated on the Cora and Citeseer datasets."},
            {"id": "xyz-2", "title": "A title", "abstract": "GATs are used again (Velickovic et al., 2018)."}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "mentions.jsonl"
    proc = subprocess.run([sys.executable, "-m", "citegraph", "extract", str(src), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["abc/1", "xyz-2"]
    for row, x in zip(rows, lines):
        assert x["title"] == row["title"]
        for m in x["mentions"]:
            assert set(m) >= {"text", "label", "start", "end", "field", "key"}
            assert row[m["field"]][m["start"]:m["end"]] == m["text"]
    gat_keys = {m["key"] for x in lines for m in x["mentions"] if m["text"].startswith("GAT")}
    assert gat_keys == {"graph attention network"}
    assert lines[1]["references"][0]["key"] == "velickovic-2018"


def test_build_tables_summarize_the_graph(seeds_build: Path):
    """``--update`` compares against the previous build's tables instead of loading its graph: they must agree."""
    from citegraph.graph.builddir.changes import summarize, summarize_build

    tables, graph = summarize_build(seeds_build), summarize(BuiltGraph.from_networkx(load_graph(seeds_build)))
    assert tables is not None and len(graph.cooccurs) > 1000 and len(graph.references) > 10
    assert (tables.papers, tables.entities, tables.references, tables.cooccurs) == \
        (graph.papers, graph.entities, graph.references, graph.cooccurs)


def test_build_auto_min_cooccurrence_keeps_the_strongest_edges_within_budget(seeds_build: Path):
    from citegraph.graph.build.tables import build_graph

    build = load_build(seeds_build)
    papers = sorted(build.papers.values(), key=lambda p: p.id)
    extractions = [build.extractions[p.id] for p in papers]
    stats: dict = {}
    G = build_graph(papers, extractions, min_cooccurrence="auto", budget=300, stats=stats)
    co = [d["papers"] for _, _, d in G.edges(data=True) if d["type"] == "CO_OCCURS"]
    t = stats["cooccurrence_threshold"]
    assert t > 1 and len(co) == stats["cooccurs_kept"] <= 300 and min(co) == t
    full = build_graph(papers, extractions, min_cooccurrence=1)
    all_co = [d["papers"] for _, _, d in full.edges(data=True) if d["type"] == "CO_OCCURS"]
    assert stats["cooccurring_pairs"] == len(all_co)
    assert sum(c >= t for c in all_co) == len(co) and sum(c >= t - 1 for c in all_co) > 300  # smallest that fits
    # the seeds are far below the default budget: 'auto' keeps every pair there
    assert json.loads((seeds_build / "manifest.json").read_text())["counts"]["cooccurrence_threshold"] == 1


def test_build_min_cooccurrence_must_be_a_count_or_auto(tmp_path: Path):
    for bad in ("0", "two"):
        proc = subprocess.run([sys.executable, "-m", "citegraph", "build", "--out", str(tmp_path / "x"),
                               "--min-cooccurrence", bad], capture_output=True, text=True)
        assert proc.returncode == 2 and "--min-cooccurrence" in proc.stderr and "Traceback" not in proc.stderr
        assert not (tmp_path / "x" / "graph.json").exists()


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 12).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.booleans(), min_size=6, max_size=6), min_size=n, max_size=n),
    st.permutations(range(6)), st.permutations(range(n)))))
def test_build_related_pairs_share_exactly_their_common_entities(case):
    """RELATED_TO's arrays, made for all pairs at once: each pair's shared entities are the entities both papers
    mention, strongest first, and its weight is the sum of their idf (as np.sum of them gives it)."""
    import numpy as np
    import scipy.sparse as sp

    from citegraph.graph.build.related import related_arrays

    rows, place, rank = case
    X = sp.csr_matrix(np.array(rows, dtype=np.int64))
    n = X.shape[0]
    idf = np.log(n / np.maximum(np.asarray(X.sum(axis=0)).ravel(), 1)) + 0.1
    sets = [set(np.flatnonzero(r).tolist()) for r in rows]
    pairs = np.array([i * n + j for i in range(n) for j in range(i + 1, n) if sets[i] & sets[j]], dtype=np.int64)
    u, v, w, ptr, cols = related_arrays(X, pairs, idf, np.array(place), np.array(rank))
    for e, pair in enumerate(pairs.tolist()):
        i, j = divmod(pair, n)
        shared = sorted(sets[i] & sets[j], key=place.__getitem__)
        assert cols[ptr[e]:ptr[e + 1]].tolist() == shared
        assert w[e] == round(float(idf[sorted(shared)].sum()), 6)
        assert (u[e], v[e]) == ((i, j) if rank[i] < rank[j] else (j, i))
