"""Which methods are used with which datasets.  Usage: python examples/method_dataset.py BUILD_DIR"""
import sys

from graph.analytics import strongest_pairs
from graph.io import load_graph

for p in strongest_pairs(load_graph(sys.argv[1]), top=10):
    print(f"{p['papers']:3d} papers  lift {p['lift']:5.2f}  {p['method_name']} x {p['dataset_name']}")
