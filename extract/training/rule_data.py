"""The data of the rule components, learned from the training split of the annotated corpora, and the step that
puts a trained entity model and the rule components together into the shipped pipeline.

Nothing here looks at a dev set: names and generic terms come from SciERC train and the SciREX papers that are not
held out (:func:`citegraph.extract.training.convert.scirex_split`).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import spacy
from spacy.language import Language

from citegraph.extract.generic import learn_generic_terms
from citegraph.extract.records import LABELS
from citegraph.extract.training.paths import DEFAULT_DATA

__all__ = ["learn_names", "learn_generic", "learn_rule_data", "training_docs", "assemble"]

log = logging.getLogger(__name__)


#: a number that qualifies the next word, not a name: a dimension ("2D", "3-D") or a count ("5-class", "3-layer")
_QUALIFIER = re.compile(r"[0-9]+-?(?:[dD]|[a-z]+)")


def _namelike(text: str) -> bool:
    """Whether ``text`` has a word that marks a name: a capital after its first letter, or a digit with letters that
    is not a dimension or a count ("CIFAR-10", "F1", "ResNet"; not "3D model" or "5-class").

    >>> [_namelike(t) for t in ("CIFAR-10", "F1 score", "3D models", "2D", "5-class", "text8")]
    [True, True, False, False, False, True]
    """
    words = text.split()
    return 0 < len(words) <= 4 and len(text) >= 2 and any(
        not _QUALIFIER.fullmatch(w)
        and (any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w) and any(c.isalpha() for c in w))
        for w in words)


def learn_names(docs: Iterable, *, min_count: int = 2, min_agreement: float = 0.6) -> dict[str, str]:
    """Proper names (``ImageNet``, ``CIFAR-10``, ``BERT``) annotated at least ``min_count`` times, with the label
    they were given in at least ``min_agreement`` of those times.

    ``docs`` are gold documents with ``text`` and ``entities`` as ``(start, end, label)`` character spans.

    >>> from types import SimpleNamespace as D
    >>> docs = ([D(text="on ImageNet", entities=((3, 11, "dataset"),))] * 2
    ...         + [D(text="a model", entities=((2, 7, "method"),))] * 3)
    >>> learn_names(docs)
    {'ImageNet': 'dataset'}
    """
    labels: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        for start, end, label in doc.entities:
            text = doc.text[start:end]
            if _namelike(text):
                labels[text][label] += 1
    names = {}
    for text, counts in sorted(labels.items()):
        label, n = sorted(counts.items(), key=lambda kv: (-kv[1], LABELS.index(kv[0])))[0]
        if sum(counts.values()) >= min_count and n >= min_agreement * sum(counts.values()):
            names[text] = label
    return names


def learn_generic(docs: Sequence, nlp: Language, **kwargs) -> dict[str, dict]:
    """Generic terms (:func:`citegraph.extract.generic.learn_generic_terms`) of gold documents, on the project's
    tokens."""
    def token_docs():
        for doc in docs:
            tokens = nlp.make_doc(doc.text)
            spans = []
            for start, end, _ in doc.entities:
                span = tokens.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    spans.append((span.start, span.end))
            yield [t.text for t in tokens], spans
    return learn_generic_terms(token_docs(), **kwargs)


def training_docs(data_dir: str | Path) -> list:
    """SciERC train and the SciREX papers that are not held out for the ML dev set."""
    from citegraph.extract.training.convert import read_scierc, read_scirex, scirex_split

    data_dir = Path(data_dir)
    docs = list(read_scierc(data_dir / "scierc" / "train.json"))
    scirex = list(read_scirex(data_dir / "scirex" / "train.jsonl"))
    held_out = scirex_split(d.id.split("#")[0] for d in scirex)  # by paper, as the span model's training split
    return docs + [d for d in scirex if d.id.split("#")[0] not in held_out]


def assemble(ner_dir: str | Path | None, data_dir: str | Path, out_dir: str | Path) -> Language:
    """The shipped pipeline: the trained model at ``ner_dir`` (or none), plus the sentencizer and the rule components
    initialised with data learned from the training split; saved to ``out_dir``."""
    from citegraph.extract.pipeline.load import RULE_COMPONENTS

    nlp = spacy.load(ner_dir) if ner_dir else spacy.blank("en")
    if not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer", first=True)
    for name in RULE_COMPONENTS:
        if not nlp.has_pipe(name):
            nlp.add_pipe(name)
    learn_rule_data(nlp, data_dir)
    nlp.to_disk(out_dir)
    _sorted_sentencizer(Path(out_dir) / "sentencizer.json")
    return nlp


#: the components whose data :func:`learn_rule_data` sets
LEARNED_COMPONENTS = ("citegraph_rules", "citegraph_generic_filter", "citegraph_names")


def learn_rule_data(nlp: Language, data_dir: str | Path) -> None:
    """Give the rule components of ``nlp`` their data: the names and generic terms of the training split, and the
    gazetteer."""
    from citegraph.extract.training.gazetteer import gazetteer

    docs = training_docs(data_dir)
    names = learn_names(docs)
    generic = learn_generic(docs, nlp)
    nlp.get_pipe("citegraph_rules").initialize(names=names)
    nlp.get_pipe("citegraph_generic_filter").initialize(generic=generic)
    known = gazetteer(Path(data_dir), method_like=[n for n, label in names.items() if label == "method"])
    nlp.get_pipe("citegraph_names").initialize(data=known)
    log.info("rule data: %d names, %d generic terms, %d known dataset names", len(names), len(generic),
             len(known["datasets"]))


def _sorted_sentencizer(path: Path) -> None:
    """spaCy saves the sentencizer's punctuation set in the order of the process's string hashes, so every assembly
    changed the file; sorted, the same model gives the same bytes."""
    import srsly

    if path.exists():
        cfg = srsly.read_json(path)
        cfg["punct_chars"] = sorted(cfg["punct_chars"])
        srsly.write_json(path, cfg)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m citegraph.extract.training.rule_data",
                                 description="Learn the rule components' data of an assembled pipeline anew (names, "
                                             "generic terms, gazetteer) from the training split; then recalibrate.")
    ap.add_argument("--model", type=Path, required=True, help="the assembled pipeline directory")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (default: ../shared/data)")
    args = ap.parse_args(argv)
    from citegraph.extract.pipeline.load import load_pipeline
    from citegraph.extract.training.model_files import save_components

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    nlp = load_pipeline(args.model)
    learn_rule_data(nlp, args.data)
    save_components(nlp, args.model, LEARNED_COMPONENTS)
    print(f"rule data learned anew -> {args.model}; run python -m citegraph.extract.training.calibrate next",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
