"""The citation network at scale: the graph of a large citing corpus must grow near-linearly with its size.

    python bench/bench_citations.py                          # 2,500 to 20,000 records, 30 cited references each
    python bench/bench_citations.py --sizes 5000,40000 --refs 30 --analytics
    python bench/bench_citations.py --sizes 2500,5000 --maps   # the citation maps' pages too

Each size is generated deterministically (``citegraph.testing.citing_records``: half of the references cite earlier
records of the corpus in four styles, half one of as many outside works as records) and built in a fresh process:
reading the records, merging them, and building the graph (``build_tables``: its citation and author phases
timed apart), without entity extraction (the pipeline's speed is ``bench/run.py``'s). Printed per size: seconds of
each step, microseconds per cited reference (flat when the build is linear) and the process's peak RSS. With
``--analytics`` the citation analytics (``citation_report``) are timed too; with ``--maps`` the page of each citation
map (``citegraph view --mode citations|cocitation|coupling|coauthors`` without writing it: ``map_html``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(n: int, refs: int, analytics: bool, maps: bool = False) -> dict:
    """Build the graph of ``n`` generated records in this process; the seconds of each step."""
    import citegraph.graph.build.tables as tables
    from citegraph.extract.readers.listings import read_records
    from citegraph.extract.readers.merge import merge_listings
    from citegraph.extract.records import Extraction
    from citegraph.testing import citing_records

    corpus = citing_records(n, refs_per_paper=refs, external=n, seed=0)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    papers = merge_listings(read_records(corpus.records))
    seconds["read+merge"] = time.perf_counter() - t
    del corpus
    extractions = [Extraction(p.id, p.title) for p in papers]
    phases = {"add_citations": tables.add_citations, "add_authors": tables.add_authors}

    def timed(name, f):
        def run(*a, **k):
            t0 = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                seconds[name] = time.perf_counter() - t0
        return run

    for name, f in phases.items():
        setattr(tables, name, timed(name, f))
    stats: dict = {}
    t = time.perf_counter()
    built = tables.build_tables(papers, extractions, stats=stats)
    seconds["build_tables"] = time.perf_counter() - t
    if analytics:
        from citegraph.graph.analytics.citations import citation_report

        G = built.to_networkx()
        t = time.perf_counter()
        citation_report(G)
        seconds["analytics"] = time.perf_counter() - t
    drawn = {}
    if maps:
        from citegraph.graph.view.render import map_html

        G = built.to_networkx()
        for mode in ("citations", "cocitation", "coupling", "coauthors"):
            t = time.perf_counter()
            page, st = map_html(G, mode=mode)
            seconds[f"map {mode}"] = time.perf_counter() - t
            drawn[mode] = {"nodes": st["nodes"], "edges": st["edges"],
                           "links_in_view": st["edges"] + st["edges_left_out"],
                           "mb": round(len(page.encode("utf-8")) / 1e6, 1)}
    return {"records": n, "cited_references": stats["cited_references"], "cites_in_corpus": stats["cites_in_corpus"],
            "nodes": built.number_of_nodes(), "edges": built.number_of_edges(),
            "seconds": {k: round(v, 2) for k, v in seconds.items()}, "maps": drawn,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2500,5000,10000,20000", help="comma-separated record counts")
    ap.add_argument("--refs", type=int, default=30, help="cited references per record (on average)")
    ap.add_argument("--analytics", action="store_true", help="also time the citation analytics")
    ap.add_argument("--maps", action="store_true", help="also time the pages of the citation maps")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process (a child run)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.refs, args.analytics, args.maps)))
        return
    print(f"{'records':>8} {'cited refs':>11} {'in corpus':>10} {'read+merge s':>13} {'citations s':>12} "
          f"{'authors s':>10} {'graph s':>8} {'µs/ref':>7} {'peak MB':>8}"
          + ("  analytics s" if args.analytics else ""))
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--one", str(n), "--refs", str(args.refs)] + \
            (["--analytics"] if args.analytics else []) + (["--maps"] if args.maps else [])
        r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        s = r["seconds"]
        per_ref = 1e6 * s["build_tables"] / max(r["cited_references"], 1)
        print(f"{n:>8,} {r['cited_references']:>11,} {r['cites_in_corpus']:>10,} {s['read+merge']:>13.2f} "
              f"{s['add_citations']:>12.2f} {s['add_authors']:>10.2f} {s['build_tables']:>8.2f} {per_ref:>7.1f} "
              f"{r['peak_rss_mb']:>8,}" + (f"  {s['analytics']:>11.2f}" if args.analytics else ""), flush=True)
        for mode, m in r["maps"].items():
            print(f"{'':>8} map {mode}: {s['map ' + mode]:.2f} s, draws {m['nodes']:,} nodes and {m['edges']:,} of "
                  f"{m['links_in_view']:,} links, {m['mb']} MB", flush=True)
        rows.append(r)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "citations.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
