"""The name lists the ``citegraph_names`` component ships: dataset names (Papers with Code, torchvision), model
architecture names (torchvision) and metric names (Papers with Code), filtered.

Papers with Code's dataset table (``../shared/data/gazetteers/pwc_datasets.txt``, CC BY-SA 4.0) holds spam rows
(travel-agency support questions, SQL injection probes, vendor listings); :func:`is_spam` drops them. What is kept
is a *name* the component can trust on its own: at most four words, with a capital inside a word or a digit
(``CIFAR-10``, ``SearchQA``, ``KLUE``; not ``Cars`` or ``Music``), not one of the architecture names, not a name the
training split labels a method. The list shipped with the model keeps Papers with Code's licence and credit
(``data.json``'s ``credit`` and the ``LICENSE-pwc.md`` beside it).

    python -m citegraph.extract.training.gazetteer --model extract/models/citegraph_sci
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from citegraph.extract.training.paths import DEFAULT_DATA

__all__ = ["is_spam", "is_trusted_name", "dataset_names", "method_names", "metric_names", "gazetteer", "CREDIT",
           "main"]

CREDIT = ("Dataset and metric names from Papers with Code (paperswithcode.com, archived tables of the World-Snapshot/"
          "papers-with-code repository @ c50b88e), CC BY-SA 4.0, https://creativecommons.org/licenses/by-sa/4.0/; "
          "filtered (spam rows and names that are not distinctive removed) by citegraph.extract.training.gazetteer. "
          "Dataset and model names from torchvision 0.29.2, BSD-3-Clause.")

_SPAM = re.compile(r"https?:|www\.|\.com\b|expedia|\?|\bhow (do|can|to)\b|=|[<>{}|~*\[\]]|\(\(|"
                   r"\d{3}[-. ]\d{3}[-. ]\d{4}|\bcall\b|customer|refund|\bphone\b|contact", re.I)


def is_spam(row: str) -> bool:
    """A row of the Papers with Code dataset table that is not a dataset name.

    >>> [is_spam(r) for r in ("CIFAR-10", "How do I speak with someone at Expedia?", "01/01/1967' AND 2*3*8=6*8",
    ...                       "Mobile Phone Dataset | Smartphone & Feature Phone")]
    [False, True, True, True]
    """
    return not row.strip() or bool(_SPAM.search(row))


def is_trusted_name(name: str) -> bool:
    """At most four words, one of them with a capital after its first letter or a digit next to letters.

    >>> [is_trusted_name(n) for n in ("SearchQA", "CIFAR-10", "KLUE", "Cars", "UK Biobank Brain MRI", "2017")]
    [True, True, True, False, True, False]
    """
    words = name.split()
    return 0 < len(words) <= 4 and any(
        any(c.isupper() for c in w[1:]) or (any(c.isdigit() for c in w) and any(c.isalpha() for c in w))
        for w in words)


def method_names(data_dir: Path) -> list[str]:
    """torchvision's model class names (``AlexNet``, ``ResNet``, ``ViT`` from ``VisionTransformer``'s builders)."""
    names = set()
    for line in (data_dir / "gazetteers" / "torchvision_models.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        name = line.split("\t")[0]
        if name and not name.endswith("_Weights") and name[0].isupper():
            names.add(name)
        elif name.startswith("vit_"):
            names.add("ViT")
    return sorted(names)


def dataset_names(data_dir: Path, exclude: Iterable[str] = ()) -> list[str]:
    """Papers with Code and torchvision dataset names, spam and untrusted names dropped, ``exclude`` too."""
    out = set()
    gaz = data_dir / "gazetteers"
    rows = (gaz / "pwc_datasets.txt").read_text(encoding="utf-8").splitlines()
    rows += (gaz / "torchvision_datasets.txt").read_text(encoding="utf-8").splitlines()
    for row in rows:
        row = row.strip()
        if not is_spam(row) and is_trusted_name(row):
            out.add(row)
    return sorted(out - set(exclude))


def metric_names(data_dir: Path) -> list[str]:
    """Papers with Code metric names of at most four words, spam dropped: what "X score" may be cut to ("BLEU",
    "F1", "CLIP"; not "Inception", whose score is no Inception)."""
    rows = (data_dir / "gazetteers" / "pwc_metrics.txt").read_text(encoding="utf-8").splitlines()
    return sorted({row.strip() for row in rows if not is_spam(row) and len(row.split()) <= 4})


def gazetteer(data_dir: Path, method_like: Iterable[str] = ()) -> dict:
    """The ``citegraph_names`` data: ``datasets``, ``methods``, ``metrics`` and the ``credit``; ``method_like``
    (names the training split labels a method) are not dataset names, and its one-word names of three characters or
    more ("BERT", "GAN") are method names beside torchvision's."""
    method_like = set(method_like)
    methods = method_names(data_dir)
    datasets = dataset_names(data_dir, exclude=set(methods) | method_like)
    methods = sorted(set(methods) | {n for n in method_like if " " not in n and len(n) >= 3})
    return {"datasets": datasets, "methods": methods, "metrics": metric_names(data_dir), "credit": CREDIT}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m citegraph.extract.training.gazetteer",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, required=True, help="the assembled pipeline directory to give the lists")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="the shared data folder (default: ../shared/data)")
    args = ap.parse_args(argv)
    from citegraph.extract.pipeline.load import load_pipeline
    from citegraph.extract.training.model_files import save_components

    nlp = load_pipeline(args.model)
    learned = nlp.get_pipe("citegraph_rules").names
    data = gazetteer(args.data, method_like=[n for n, label in learned.items() if label == "method"])
    nlp.get_pipe("citegraph_names").initialize(data=data)
    save_components(nlp, args.model, ("citegraph_names",))
    print(f"{len(data['datasets'])} dataset names, {len(data['methods'])} method names, "
          f"{len(data['metrics'])} metric names -> {args.model}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
