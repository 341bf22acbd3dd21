"""Which datasets evaluate a method, as the abstracts state it (EVALUATE_FOR relations), with the sentences.
Usage: python examples/datasets_evaluating.py BUILD_DIR [METHOD]   (no METHOD: the most evaluated method)"""
import sys
from collections import Counter

import citegraph
from citegraph.graph.analytics import evaluated_on, find_entity, typed_relations

build = citegraph.load(sys.argv[1])
G = build.graph
if len(sys.argv) > 2:
    method = find_entity(G, sys.argv[2])
    if method is None:
        sys.exit(f"no entity named {sys.argv[2]!r} in this build")
else:
    tails = Counter(r["tail"] for r in typed_relations(G, ["EVALUATE_FOR"]) if r["head_label"] == "dataset")
    method = min(tails, key=lambda n: (-tails[n], n)) if tails else None
if method is None:
    print("no abstract of this build states that a dataset evaluates a method")
    sys.exit(0)
rows = evaluated_on(G, method)
print(f"datasets evaluating {G.nodes[method]['name']}: {len(rows)}")
for r in rows:
    print(f"  {r['head_name']}  ({r['papers']} paper(s), score {r['score']:.2f})")
    for e in r["evidence"][:2]:  # the sentence that states it, from the paper's text
        paper = build.papers.get(e["paper"])
        if paper is not None:
            print(f"      \"{paper.field(e['field'])[e['start']:e['end']].strip()}\"")
