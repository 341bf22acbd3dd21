"""Push throughput: ``citegraph push`` (idempotent MERGE) against a plain ``UNWIND $rows CREATE`` of the same rows,
into the same server, in the same run.

    eval "$(scripts/neo4j-server start)"
    python bench/bench_push.py --papers 5000            # a generated corpus
    python bench/bench_push.py --build citegraph-out    # a real build directory

WARNING: empties the database it is pointed at (it refuses one holding nodes it did not write unless --force).
Prints rows/s for each and the ratio (target: MERGE at least half the CREATE rate).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citegraph.graph.store.neo4j_store import (  # noqa: E402
    Neo4jSettings, _batches, delete_citegraph, graph_rows, open_driver, push_graph,
)

LABELS = ("method", "dataset", "task", "metric", "concept")


def synthetic_graph(n_papers: int = 2000, n_entities: int = 400, per_paper: int = 6, n_refs: int = 300,
                    related_k: int = 5, seed: int = 0) -> nx.DiGraph:
    """A citegraph-schema graph with Zipf-like entity popularity (README, "The graph")."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(n_entities)]
    G = nx.DiGraph(name="citegraph", schema=1)
    mentions: dict[str, set[int]] = {}
    for i in range(n_papers):
        pid = f"s{i:06d}"
        date = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        ents = set(rng.choices(range(n_entities), weights, k=per_paper))
        mentions[pid] = ents
        G.add_node(f"paper:{pid}", kind="paper", label="paper", name=f"Paper {i}", title=f"Paper {i}", url="",
                   dates=[date], first_date=date, last_date=date, sources=[f"gen:{i}"], mention_count=len(ents))
        for e in ents:
            G.add_edge(f"paper:{pid}", f"entity:e{e}", type="MENTIONS", count=rng.randint(1, 3))
        for r in rng.sample(range(n_refs), k=rng.randint(0, 3)):
            G.add_edge(f"paper:{pid}", f"ref:author{r}-{2000 + r % 25}", type="CITES", count=1)
    df = Counter(e for ents in mentions.values() for e in ents)
    for e, n in df.items():
        G.add_node(f"entity:e{e}", kind="entity", label=LABELS[e % 5], name=f"Entity {e}", key=f"e{e}",
                   aliases=[f"Entity {e}", f"E{e}"], paper_count=n, mention_count=n, first_date="2024-01-01",
                   last_date="2024-12-28", extraction_sources=["rule"])
    for n in [n for n in G if n.startswith("ref:")]:
        G.add_node(n, kind="reference", label="reference", key=n[4:], name=n[4:], first_author=n[4:].split("-")[0],
                   year=int(n.rsplit("-", 1)[1]), paper_count=G.in_degree(n))
    pairs: Counter = Counter()
    for ents in mentions.values():
        pairs.update(combinations(sorted(ents), 2))
    for (a, b), c in pairs.items():
        u, v = sorted((f"entity:e{a}", f"entity:e{b}"))
        G.add_edge(u, v, type="CO_OCCURS", papers=c, weight=c, association_strength=n_papers * c / (df[a] * df[b]),
                   npmi=0.5, paper_ids=[])
    by_entity: dict[int, list[str]] = {}
    for pid, ents in mentions.items():
        for e in ents:
            by_entity.setdefault(e, []).append(pid)
    for pid, ents in mentions.items():
        rare = sorted(ents, key=lambda e: df[e])[:1]
        others = [q for e in rare for q in by_entity[e] if q != pid][:related_k]
        for q in others:
            u, v = sorted((f"paper:{pid}", f"paper:{q}"))
            shared = sorted(mentions[pid] & mentions[q])
            G.add_edge(u, v, type="RELATED_TO", weight=sum(math.log(n_papers / df[e]) for e in shared),
                       shared=len(shared), shared_entities=[f"entity:e{e}" for e in shared])
    return G


def plain_create(driver, settings: Neo4jSettings, G: nx.DiGraph, batch_size: int) -> float:
    """The same rows with UNWIND CREATE (no constraints needed for correctness, no idempotency); seconds taken."""
    rows = graph_rows(G)
    t = time.perf_counter()
    for (label, extra), group in sorted(rows.nodes.items()):
        labels = f":Bench{label}" + (f":Bench{extra}" if extra else "")  # other labels: no constraint applies
        for batch in _batches(group, batch_size):
            driver.execute_query(f"UNWIND $rows AS row CREATE (n{labels}:BenchCreate) SET n = row.props",
                                 parameters_={"rows": batch}, database_=settings.database)
    for (rtype, source, target), group in sorted(rows.rels.items()):
        for batch in _batches(group, batch_size):
            driver.execute_query(f"UNWIND $rows AS row MATCH (a:BenchCreate {{id: row.source}}) "
                                 f"MATCH (b:BenchCreate {{id: row.target}}) CREATE (a)-[r:{rtype}]->(b) "
                                 f"SET r = row.props", parameters_={"rows": batch}, database_=settings.database)
    return time.perf_counter() - t


def wipe(driver, settings: Neo4jSettings) -> None:
    delete_citegraph(driver, settings)
    while driver.execute_query("MATCH (n:BenchCreate) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n",
                               database_=settings.database).records[0]["n"]:
        pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=3000)
    ap.add_argument("--build", type=Path, help="bench a build directory instead of a generated graph")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--force", action="store_true", help="run even if the database holds other nodes")
    args = ap.parse_args()
    settings = Neo4jSettings.from_env()
    if args.build:
        from citegraph.graph.builddir.build import load_graph

        G, what = load_graph(args.build), str(args.build)
    else:
        G, what = synthetic_graph(args.papers, n_entities=max(50, args.papers // 5)), f"generated ({args.papers} papers)"
    rows = G.number_of_nodes() + G.number_of_edges()
    driver = open_driver(settings)
    try:
        other = driver.execute_query("MATCH (n) WHERE NOT n:Citegraph AND NOT n:BenchCreate "
                                     "AND NOT n:CitegraphTestDatabase RETURN count(n) AS n").records[0]["n"]
        if other and not args.force:
            print(f"refusing: {settings.uri} holds {other} nodes this bench did not write (--force to run anyway)",
                  file=sys.stderr)
            return 2
        wipe(driver, settings)
        # Index for the CREATE side's endpoint lookups, so both sides look endpoints up by index.
        driver.execute_query("CREATE INDEX bench_create_id IF NOT EXISTS FOR (n:BenchCreate) ON (n.id)")
        push_graph(driver, nx.DiGraph(), settings)  # constraints exist before timing
        # one untimed round of each side first: on a freshly started server the first writes also pay for the
        # JVM warming up (measured: push/CREATE 0.34 cold, 0.74 warm on the seeds' build), which is not the push
        push_graph(driver, G, settings, batch_size=args.batch_size)
        plain_create(driver, settings, G, args.batch_size)
        wipe(driver, settings)
        t = time.perf_counter()
        first = push_graph(driver, G, settings, batch_size=args.batch_size)
        t_merge = time.perf_counter() - t
        t = time.perf_counter()
        again = push_graph(driver, G, settings, batch_size=args.batch_size)
        t_again = time.perf_counter() - t
        t_create = plain_create(driver, settings, G, args.batch_size)
        wipe(driver, settings)
        driver.execute_query("DROP INDEX bench_create_id IF EXISTS")
    finally:
        driver.close()
    assert again.nodes_created == again.nodes_updated == again.relationships_created == 0
    print(f"graph: {what}: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships ({rows} rows), "
          f"batch {args.batch_size}")
    print(f"push (MERGE, idempotent): {rows / t_merge:10.0f} rows/s  ({t_merge:.2f}s; {first})")
    print(f"re-push (no-op):          {rows / t_again:10.0f} rows/s  ({t_again:.2f}s)")
    print(f"plain UNWIND CREATE:      {rows / t_create:10.0f} rows/s  ({t_create:.2f}s)")
    print(f"ratio push / CREATE:      {t_create / t_merge:10.2f}  (target >= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
