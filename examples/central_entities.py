"""Top entities of each kind by PageRank, and the bridges between topics.
Usage: python examples/central_entities.py BUILD_DIR"""
import sys

import citegraph
from citegraph.graph.analytics import bridges, central_entities

G = citegraph.load(sys.argv[1]).graph
for kind, measures in central_entities(G, top=5).items():
    print(f"{kind}: " + ", ".join(f"{e['name']} ({e['value']:.3f})" for e in measures["pagerank"]))
print("bridges: " + ", ".join(f"{b['name']} ({b['betweenness']:.3f})" for b in bridges(G, top=5)))
