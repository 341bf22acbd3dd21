"""Static word vectors for the extractor, trained here (floret: hashed subword vectors, small and OOV-robust).

``python -m citegraph.extract.training.vectors`` writes ``extract/training/corpus/vectors_text.txt`` (SciREX full text
of the
training papers + SciERC train abstracts, tokenized by ``spacy.blank("en")``, one sentence per line; the held-out
SciREX papers and SciERC dev are left out), trains floret on it with a fixed seed and runs ``spacy init vectors
--mode floret`` into ``extract/training/corpus/vectors/`` for ``train --vectors``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import spacy

from citegraph.extract.training.convert import detokenize, read_scierc, scirex_split
from citegraph.extract.training.paths import DEFAULT_DATA, HERE


def raw_texts(data_dir: Path, *, sentences: bool = True) -> list[str]:
    """SciERC train abstracts and the SciREX training papers' full text (sentences, or paragraphs of about 200
    words), rebuilt as raw text; the held-out SciREX papers and SciERC dev are left out."""
    papers = [json.loads(line) for line in open(data_dir / "scirex" / "train.jsonl", encoding="utf-8")]
    held = scirex_split(p["doc_id"] for p in papers)
    texts = [g.text for g in read_scierc(data_dir / "scierc" / "train.json")]
    for p in papers:
        if p["doc_id"] in held:
            continue
        sents = [detokenize(p["words"][s:e], join_hyphens=True)[0] for s, e in p["sentences"]]
        if sentences:
            texts.extend(sents)
            continue
        chunk: list[str] = []
        for sent in sents:
            chunk.append(sent)
            if sum(len(c.split()) for c in chunk) >= 200:
                texts.append(" ".join(chunk))
                chunk = []
        if chunk:
            texts.append(" ".join(chunk))
    return texts


def write_pretrain_jsonl(data_dir: Path, out: Path) -> int:
    """Raw paragraphs as ``{"text": ...}`` lines for ``spacy pretrain``; return the number of lines."""
    texts = raw_texts(data_dir, sentences=False)
    with open(out, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    return len(texts)


def write_text(data_dir: Path, out: Path) -> int:
    """Tokenized sentences for vector training; return the number of tokens written."""
    nlp = spacy.blank("en")
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for doc in nlp.pipe(raw_texts(data_dir), batch_size=1000):
            toks = [t.text for t in doc if not t.is_space]
            if toks:
                f.write(" ".join(toks) + "\n")
                n += len(toks)
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m citegraph.extract.training.vectors",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=HERE / "corpus")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--bucket", type=int, default=50000)
    ap.add_argument("--epoch", type=int, default=10)
    args = ap.parse_args(argv)
    import floret

    args.out.mkdir(parents=True, exist_ok=True)
    text = args.out / "vectors_text.txt"
    print(f"{write_text(args.data, text)} tokens -> {text}", file=sys.stderr)
    model = floret.train_unsupervised(str(text), model="cbow", mode="floret", hashCount=2, bucket=args.bucket,
                                      # one thread: deterministic
                                      minn=3, maxn=5, dim=args.dim, epoch=args.epoch, minCount=3, thread=1)
    vec = args.out / "vectors.floret"
    model.save_floret_vectors(str(vec))
    subprocess.run([sys.executable, "-m", "spacy", "init", "vectors", "en", str(vec), str(args.out / "vectors"),
                    "--mode", "floret"], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
