"""Topics (Louvain communities) and where each sits on the thematic map.
Usage: python examples/topics.py BUILD_DIR [RESOLUTION]"""
import sys

import citegraph
from citegraph.graph.analytics import thematic_map

G = citegraph.load(sys.argv[1]).graph
resolution = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
for t in thematic_map(G, resolution=resolution, seed=0)["themes"]:
    print(f"{t['quadrant']:>22}  {t['size']:3d} entities  {t['label']}")
