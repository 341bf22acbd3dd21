"""Micro-F1 of the shipped pipeline on both dev sets with each rule component turned off in turn, and of the trained
model alone: the README's "turning one component off at a time" figures.

Usage: python bench/ablate_rules.py [--model extract/models/citegraph_sci]

SciREX held-out is read from ``extract/training/corpus/scirex_dev.jsonl``, which
``python -m citegraph.extract.training.train --skip-train --vectors none`` writes without training.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=None, help="a pipeline directory (default: the shipped one)")
    ap.add_argument("--scirex", type=Path, default=ROOT / "extract" / "training" / "corpus" / "scirex_dev.jsonl")
    args = ap.parse_args(argv)
    from citegraph.extract.evaluate import evaluate, load_gold
    from citegraph.extract.pipeline.load import load_pipeline
    from citegraph.extract.runner.provenance import RULE_COMPONENTS, TRAINED_COMPONENTS
    from citegraph.extract.records import LABELS

    if not args.scirex.exists():
        sys.exit(f"{args.scirex} is missing: "
                 "python -m citegraph.extract.training.train --skip-train --vectors none writes it")
    gold = [("SciERC dev", load_gold(ROOT.parent / "shared" / "data" / "scierc" / "dev.json"), LABELS),
            ("SciREX held-out", load_gold(args.scirex), LABELS[:4])]
    nlp = load_pipeline(args.model)
    rules = [n for n in nlp.pipe_names if n in RULE_COMPONENTS]
    untrained = [n for n in nlp.pipe_names if n not in TRAINED_COMPONENTS]
    print(f"{'pipeline':<40} " + " ".join(f"{name:>16}" for name, _, _ in gold))
    for label, disabled in [("all components", []), ("trained model alone", untrained),
                            *((f"without {name}", [name]) for name in rules)]:
        with nlp.select_pipes(disable=disabled):
            scores = [evaluate(nlp, docs, labels)["micro"]["f"] for _, docs, labels in gold]
        print(f"{label:<40} " + " ".join(f"{f:>16.1f}" for f in scores), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
