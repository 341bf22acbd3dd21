"""Draw entities of a build at random (fixed seed), each with a sentence it occurs in, to judge them by hand.

    python bench/sample_entities.py citegraph-out --n 40 --seed 0

Prints one block per entity: its name, label, paper count, confidence (when the build has it) and the first
sentence that mentions it, the mention in [brackets]. The draw depends only on the build's entity ids and the seed.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", type=Path, help="a build directory (graph.json, mentions.jsonl, papers.jsonl)")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    graph = json.loads((args.build / "graph.json").read_text(encoding="utf-8"))
    entities = sorted((n for n in graph["nodes"] if n.get("kind") == "entity"), key=lambda n: n["id"])
    drawn = random.Random(args.seed).sample(entities, min(args.n, len(entities)))
    wanted = {n["key"] for n in drawn}
    papers = {}
    with open(args.build / "papers.jsonl", encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            papers[p["id"]] = p
    context: dict[str, str] = {}
    with open(args.build / "mentions.jsonl", encoding="utf-8") as f:
        for line in f:
            x = json.loads(line)
            for m in x["mentions"]:
                if m["key"] in wanted and m["key"] not in context:
                    text = papers[x["id"]][m["field"]]
                    sent = next((s for s in x["sentences"] if s["field"] == m["field"]
                                 and s["start"] <= m["start"] < s["end"]), {"start": 0, "end": len(text)})
                    context[m["key"]] = (text[sent["start"]:m["start"]] + "[" + text[m["start"]:m["end"]] + "]"
                                         + text[m["end"]:sent["end"]]).strip()
    for i, n in enumerate(drawn, 1):
        conf = f", confidence {n['confidence']}" if "confidence" in n else ""
        print(f"{i:2}. {n['name']!r} ({n['label']}, {n['paper_count']} paper(s){conf})")
        print(f"    {context.get(n['key'], '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
