"""Which methods are used with which datasets.  Usage: python examples/method_dataset.py BUILD_DIR"""
import sys

import citegraph
from citegraph.graph.analytics import strongest_pairs

pairs = strongest_pairs(citegraph.load(sys.argv[1]).graph, top=10)
for p in pairs:
    print(f"{p['papers']:3d} papers  lift {p['lift']:5.2f}  {p['method_name']} x {p['dataset_name']}")
if not pairs:
    print("no paper mentions both a method and a dataset in this build")
