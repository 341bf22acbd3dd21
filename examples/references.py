"""Most cited author-year references and references cited together.  Usage: python examples/references.py BUILD_DIR"""
import sys

import citegraph
from citegraph.graph.analytics import cocited_references, top_references

G = citegraph.load(sys.argv[1]).graph
for r in top_references(G, top=10):
    print(f"{r['papers']:3d}  {r['name']}")
for c in cocited_references(G, top=5):
    print(f"co-cited by {c['papers']}: {c['a_name']} + {c['b_name']}")
