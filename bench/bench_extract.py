"""Speed of the shipped extractor on the seed listings, single process.

Texts: every title and abstract of ``../shared/seeds/*.txt`` (read with
``citegraph.extract.readers.listings.read_file``, 423
title/abstract pairs). Figure: words per second (whitespace-separated words of the input texts; spaCy tokens/s
are printed too) of ``nlp.pipe(texts, batch_size=64)`` with the shipped pipeline loaded by ``spacy.load``, i.e.
the trained model alone (tok2vec + span model). Best of ``--repeat`` timed passes after one warm-up pass (the
machine is shared).

Usage: python bench/bench_extract.py [--model extract/models/citegraph_sci] [--seeds ../shared/seeds] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed_texts(seeds: Path) -> list[str]:
    from citegraph.extract.readers.listings import read_file

    texts: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        for listing in read_file(path):
            texts.extend(t for t in (listing.title, listing.abstract) if t)
    return texts


def words_per_second(nlp, texts: list[str], *, batch_size: int = 64, repeat: int = 3) -> tuple[float, float]:
    """Best words/s and tokens/s of ``nlp.pipe`` over ``texts`` in ``repeat`` passes, after one warm-up."""
    words = sum(len(t.split()) for t in texts)
    list(nlp.pipe(texts[:batch_size], batch_size=batch_size))
    best = float("inf")
    tokens = 0
    for _ in range(repeat):
        t = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
        best = min(best, time.perf_counter() - t)
    return words / best, tokens / best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=ROOT / "extract" / "models" / "citegraph_sci")
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    import spacy

    # the span model's registered functions (spacy.load needs them before it reads the config)
    import citegraph.extract.pipeline.spans  # noqa: F401

    texts = seed_texts(args.seeds)
    nlp = spacy.load(args.model)
    from citegraph.extract.runner.provenance import TRAINED_COMPONENTS

    nlp.select_pipes(enable=[n for n in nlp.pipe_names if n in TRAINED_COMPONENTS])  # the trained model alone
    wps, tps = words_per_second(nlp, texts, repeat=args.repeat)
    print(f"texts: {len(texts)}, words: {sum(len(t.split()) for t in texts)}", file=sys.stderr)
    print(f"the trained model alone ({', '.join(nlp.pipe_names)}), nlp.pipe batch_size=64, 1 process: "
          f"{wps:,.0f} words/s ({tps:,.0f} tokens/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
