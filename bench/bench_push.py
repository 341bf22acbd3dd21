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
import sys
import time
from pathlib import Path

import networkx as nx

from citegraph.graph.build.tables import build_graph
from citegraph.graph.store.neo4j_connection import Neo4jSettings, open_driver
from citegraph.graph.store.neo4j_rows import graph_rows
from citegraph.graph.store.neo4j_store import _batches, delete_citegraph, push_graph
from citegraph.testing import sample_records

def synthetic_graph(n_papers: int = 2000, n_entities: int = 400, per_paper: int = 6, seed: int = 0) -> nx.DiGraph:
    """The graph ``build_graph`` makes of generated records (:func:`citegraph.testing.sample_records`: Zipf-like
    entity popularity, one citation a paper), so the bench pushes what a build writes."""
    return build_graph(*sample_records(n_entities, n_papers, per_paper=per_paper, seed=seed))


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
    ap.add_argument("--replace", action="store_true",
                    help="only time `push --replace` over the same graph already pushed (deletes in transactions "
                         "of --batch-size rows)")
    args = ap.parse_args()
    settings = Neo4jSettings.from_env()
    if args.build:
        from citegraph.graph.builddir.build import load_graph

        G, what = load_graph(args.build), str(args.build)
    else:
        G, what = (synthetic_graph(args.papers, n_entities=max(50, args.papers // 5)),
                   f"generated ({args.papers} papers)")
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
        if args.replace:
            return replace_bench(driver, settings, G, what, args.batch_size)
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


def replace_bench(driver, settings: Neo4jSettings, G: nx.DiGraph, what: str, batch_size: int) -> int:
    """Push ``G``, then time ``push --replace`` of it: every node and relationship deleted in transactions of
    ``batch_size`` rows and written again."""
    push_graph(driver, G, settings, batch_size=batch_size)
    t = time.perf_counter()
    summary = push_graph(driver, G, settings, replace=True, batch_size=batch_size)
    seconds = time.perf_counter() - t
    wipe(driver, settings)
    print(f"graph: {what}: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships, batch {batch_size}")
    print(f"push --replace: {seconds:.1f}s; {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
