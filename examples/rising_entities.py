"""What rose between listing dates and what burst.  Usage: python examples/rising_entities.py BUILD_DIR"""
import sys

import citegraph
from citegraph.graph.analytics import trends

t = trends(citegraph.load(sys.argv[1]).graph, top=5)
print("papers per date:", t["papers_per_date"], "| undated:", t["undated_papers"], "|", t["note"] or "")
for step in t["rising"]:
    print(f"{step['from']} -> {step['to']}: " + ", ".join(f"{e['name']} (+{e['rise']:.2f})" for e in step["entities"]))
for b in t["bursts"]:
    print(f"burst: {b['name']} on {b['date']} ({b['papers']} papers, {b['burst']:.2f})")
