"""A paper's nearest papers and the shared entities that explain them.
Usage: python examples/nearest_papers.py BUILD_DIR [PAPER_ID]  (default: a paper of the most similar pair)"""
import sys

import citegraph
from citegraph.graph.analytics import nearest_papers, similar_pairs

G = citegraph.load(sys.argv[1]).graph
pairs = similar_pairs(G, top=1)
paper = sys.argv[2] if len(sys.argv) > 2 else (pairs[0]["a"] if pairs else None)
if paper is None:
    sys.exit("no related papers in this build")
print("nearest to", G.nodes[paper if paper.startswith("paper:") else f"paper:{paper}"].get("title", paper))
for n in nearest_papers(G, paper, top=5):
    print(f"  {n['weight']:.2f}  {n['title']}\n        because of: " + ", ".join(s["name"] for s in n["shared"]))
