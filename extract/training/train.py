"""Reproduce the shipped pipeline: ``python -m citegraph.extract.training.train --out extract/models/citegraph_sci``.

1. convert SciERC train + SciREX front matter (title, abstract) into ``extract/training/corpus/`` (raw text,
   spaCy tokens, gold spans aligned by character offsets; SciREX papers of :func:`scirex_split` held out);
2. ``spacy train`` ``config.cfg`` with a fixed seed into ``extract/training/output/``;
3. score the best model on SciERC dev and the held-out SciREX papers (:mod:`citegraph.extract.evaluate`), write the
   scores,
   data, licences and credit into its ``meta.json`` and copy it to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans

# the span model's registered architecture, suggester and component
from citegraph.extract.pipeline import spans  # noqa: F401
from citegraph.extract.evaluate import evaluate, format_table, write_gold_jsonl
from citegraph.extract.records import LABELS
from citegraph.extract.training.paths import DEFAULT_DATA, HERE
from citegraph.extract.training.convert import (SCIREX_LABELS, TDMSCI_LABELS, AlignStats, align, read_scierc,
                                                read_scirex, read_tdmsci, scirex_split)
from citegraph.extract.training.partial import mark_partial, partial_annotation

log = logging.getLogger(__name__)

PRETRAIN_EPOCHS = 2
PRETRAIN_SEED = 0
SCIREX_REST = "outside"
TDMSCI = False

SOURCES = [
    {"name": "SciERC (train split)", "author": "Luan et al., EMNLP 2018",
     "url": "http://nlp.cs.washington.edu/sciIE/",
     "license": "research data, no explicit licence; credit Luan et al. 2018"},
    {"name": "SciREX (title and abstract of the training papers)", "author": "Jain et al., ACL 2020",
     "url": "https://github.com/allenai/SciREX", "license": "Apache-2.0"},
]


def convert(data_dir: Path, corpus_dir: Path, n_dev: int = 30, scirex_rest: str = "outside",
            scierc_copies: int = 1, tdmsci: bool = TDMSCI, scirex_body: int = 0) -> dict:
    """Write ``train.spacy``, ``dev.spacy`` (SciERC dev + SciREX held-out), ``scierc_dev.spacy``,
    ``scirex_dev.spacy`` and ``scirex_dev.jsonl`` (project gold format); return the conversion statistics.

    ``scirex_rest``: what SciREX training tokens outside its entities are: ``outside`` (not an entity),
    ``missing`` (unknown: SciREX has no concept annotations, so a concept there is not a negative example), or
    ``concepts`` (outside, except where a phrase that SciERC train labels a concept occurs: unknown there); these
    two set the entities' missing tokens, which only the NER of ``config_ner.cfg`` reads. ``partial``: for the span
    model, a span there is known not to be a method, dataset, task or metric, and may be a concept or nothing
    (:mod:`citegraph.extract.training.partial`).
    ``scierc_copies``: how many times SciERC train goes into ``train.spacy`` (its weight against SciREX's).
    ``tdmsci``: add TDMSci's training sentences, partly annotated (:mod:`citegraph.extract.training.partial`).
    ``scirex_body``: add up to that many words of each SciREX training paper's body (from its introduction on)."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    scierc_counts, scirex_counts = Counter(), Counter()
    scierc_train = list(read_scierc(data_dir / "scierc" / "train.json", scierc_counts))
    scierc_dev = list(read_scierc(data_dir / "scierc" / "dev.json"))
    scirex = list(read_scirex(data_dir / "scirex" / "train.jsonl", stats=scirex_counts, body_words=scirex_body))
    tdm = list(read_tdmsci(data_dir / "tdmsci" / "train_1500_v2.conll")) if tdmsci else []
    held = scirex_split(d.id.split("#")[0] for d in scirex)
    scirex_dev = [d for d in scirex if d.id.split("#")[0] in held and d.field != "body"]
    scirex_train = [d for d in scirex if d.id.split("#")[0] not in held]
    stats = {}

    concept_matcher = None
    if scirex_rest == "concepts":  # SciERC train's concept phrases, matched case-insensitively on tokens
        from spacy.matcher import PhraseMatcher

        concept_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        phrases = sorted({g.text[s:e].lower() for g in scierc_train for s, e, label in g.entities
                          if label == "concept"})
        concept_matcher.add("concept", list(nlp.tokenizer.pipe(phrases)))

    def docbin(name, gold_docs, rest=lambda g: "outside", partial=None):
        partial = partial or {}  # doc id -> the labels it annotates, when it does not annotate them all
        st = AlignStats()
        db = DocBin(store_user_data=False)
        for g in gold_docs:
            doc = nlp.make_doc(g.text)
            ents = align(doc, g.entities, st)
            default = rest(g)
            if default == "partial":
                default = "outside"
            if default == "concepts":
                taken = {i for e in ents for i in range(e.start, e.end)}
                missing = filter_spans([doc[s:e] for _, s, e in concept_matcher(doc)
                                        if taken.isdisjoint(range(s, e))])
                st.missing += sum(len(m) for m in missing)
                doc.set_ents(ents, missing=missing, default="outside")
            else:
                doc.set_ents(ents, default=default)
            doc.spans["sc"] = list(doc.ents)  # what the span model learns from (the NER of config_ner.cfg reads ents)
            if g.id in partial:
                mark_partial(doc, partial[g.id])
            db.add(doc)
        db.to_disk(corpus_dir / f"{name}.spacy")
        stats[name] = {"docs": len(gold_docs), "words": sum(len(g.text.split()) for g in gold_docs),
                       **st.as_dict()}
        return db

    scirex_ids = {g.id for g in scirex_train}
    partial = {g.id: TDMSCI_LABELS.values() for g in tdm}
    if scirex_rest == "partial":
        partial.update((g.id, SCIREX_LABELS.values()) for g in scirex_train)
    docbin("train", scierc_train * scierc_copies + scirex_train + tdm,
           lambda g: scirex_rest if g.id in scirex_ids else "outside", partial)
    docbin("scierc_dev", scierc_dev)
    docbin("scirex_dev", scirex_dev)
    docbin("dev", scierc_dev + scirex_dev)
    write_gold_jsonl(scirex_dev, corpus_dir / "scirex_dev.jsonl")
    stats["scierc_train_gold"] = dict(scierc_counts)
    stats["scirex_gold"] = dict(scirex_counts)
    stats["scirex_heldout_papers"] = sorted(held)
    (corpus_dir / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True), encoding="utf-8")
    return stats


def score_model(model_dir: Path, data_dir: Path, corpus_dir: Path) -> dict:
    from citegraph.extract.evaluate import load_gold

    nlp = spacy.load(model_dir)
    out = {}
    for name, path, labels in (("scierc_dev", data_dir / "scierc" / "dev.json", LABELS),
                               ("scirex_dev", corpus_dir / "scirex_dev.jsonl", LABELS[:4])):
        gold = load_gold(path)
        words = sum(len(g.text.split()) for g in gold)
        t = time.perf_counter()
        out[name] = evaluate(nlp, gold, labels)
        out[name]["words_per_second"] = round(words / (time.perf_counter() - t))
        print(f"\n{name} ({path}):\n{format_table(out[name])}", file=sys.stderr)
    return out


def pretrain(args: argparse.Namespace, overrides: dict) -> Path:
    """``spacy pretrain`` the tok2vec on the raw text (characters objective); return the last epoch's weights."""
    from spacy.cli.pretrain import pretrain as spacy_pretrain

    from citegraph.extract.training.vectors import write_pretrain_jsonl

    raw = args.corpus / "pretrain.jsonl"
    if not raw.exists():
        write_pretrain_jsonl(args.data, raw)
    out = args.output / "pretrain"
    weights = out / f"model{args.pretrain_epochs - 1}.bin"
    if weights.exists():
        log.info("reusing %s", weights)
        return weights
    over = {k: v for k, v in overrides.items() if not k.startswith("training.")}
    # one pretraining for every --seed: the seed picks the span model's training run, not its initial weights
    over.update({"paths.raw_text": str(raw), "pretraining.max_epochs": args.pretrain_epochs,
                 "system.seed": PRETRAIN_SEED})
    config = spacy.util.load_config(args.config, overrides=over, interpolate=False).interpolate()
    out.mkdir(parents=True, exist_ok=True)
    spacy_pretrain(config, out, silent=False)
    return weights


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m citegraph.extract.training.train", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None,
                    help="copy the trained pipeline here (e.g. extract/models/citegraph_sci)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (default: ../shared/data)")
    ap.add_argument("--config", type=Path, default=HERE / "config.cfg")
    ap.add_argument("--corpus", type=Path, default=HERE / "corpus")
    ap.add_argument("--output", type=Path, default=HERE / "output", help="spaCy training output folder")
    ap.add_argument("--seed", type=int, default=0,
                    help=f"the span model's training seed (pretraining always uses seed {PRETRAIN_SEED})")
    ap.add_argument("--vectors", type=str, default="auto",
                    help="a spaCy vectors folder; 'auto' (default): build floret vectors into the corpus folder "
                         "unless they are there (python -m citegraph.extract.training.vectors); "
                         "'none': no static vectors")
    ap.add_argument("--pretrain-epochs", type=int, default=PRETRAIN_EPOCHS,
                    help=f"epochs of `spacy pretrain` (characters objective) on the raw text first; 0: none "
                         f"(default {PRETRAIN_EPOCHS})")
    ap.add_argument("--init-tok2vec", type=str, default=None, help="pretrained tok2vec weights (skips pretraining)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override, repeatable")
    ap.add_argument("--scirex-rest", choices=["outside", "missing", "concepts", "partial"], default=SCIREX_REST,
                    help="SciREX tokens outside its entities: not entities (outside), unknown (missing), "
                         "or not entities except SciERC-train concept phrases, unknown (concepts): these two for the "
                         "NER of config_ner.cfg; for the span model, not a method, dataset, task or metric but "
                         f"perhaps a concept (partial); default {SCIREX_REST}")
    ap.add_argument("--scierc-copies", type=int, default=1,
                    help="copies of SciERC train in the training set, its weight against SciREX (default 1)")
    ap.add_argument("--tdmsci", action=argparse.BooleanOptionalAction, default=TDMSCI,
                    help="add TDMSci's training sentences (tasks, datasets, metrics; partly annotated)")
    ap.add_argument("--scirex-body", type=int, default=0, metavar="WORDS",
                    help="add up to WORDS words of each SciREX training paper's body (default 0: front matter only)")
    ap.add_argument("--skip-train", action="store_true", help="only convert and score the existing output")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from spacy.cli.train import train as spacy_train

    stats = convert(args.data, args.corpus, scirex_rest=args.scirex_rest, scierc_copies=args.scierc_copies,
                    tdmsci=args.tdmsci, scirex_body=args.scirex_body)
    print(json.dumps({k: v for k, v in stats.items() if k != "scirex_heldout_papers"}, indent=1), file=sys.stderr)
    overrides = {"paths.train": str(args.corpus / "train.spacy"), "paths.dev": str(args.corpus / "dev.spacy"),
                 "system.seed": args.seed}
    if args.vectors == "auto":
        vec_dir = args.corpus / "vectors"
        if not (vec_dir / "vocab").exists():
            from citegraph.extract.training.vectors import main as build_vectors

            build_vectors(["--data", str(args.data), "--out", str(args.corpus)])
        args.vectors = str(vec_dir)
    if args.vectors and args.vectors != "none":
        overrides["paths.vectors"] = args.vectors
        overrides["components.tok2vec.model.embed.include_static_vectors"] = True
    for kv in args.set:
        key, _, value = kv.partition("=")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    t0 = time.perf_counter()
    if not args.init_tok2vec and args.pretrain_epochs > 0 and not args.skip_train:
        args.init_tok2vec = str(pretrain(args, overrides))
    if args.init_tok2vec:
        overrides["paths.init_tok2vec"] = args.init_tok2vec
    if not args.skip_train:
        with partial_annotation():
            spacy_train(args.config, args.output, overrides=overrides)
    minutes = round((time.perf_counter() - t0) / 60, 1)
    earlier = args.output / "model-best" / "meta.json"
    if args.skip_train and earlier.exists():  # scoring and assembling an earlier run: its training time stands
        minutes = json.loads(earlier.read_text(encoding="utf-8")).get("citegraph", {}).get("train_minutes", minutes)
    best = args.output / "model-best"
    if args.skip_train and not best.exists():
        print(f"converted into {args.corpus}; no trained model at {best} to score", file=sys.stderr)
        return 0
    scores = score_model(best, args.data, args.corpus)
    meta_path = best / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        name="citegraph_sci", version="0.1.0", license="see sources",
        description=("Scientific entity recogniser for paper titles and abstracts (method, dataset, task, metric, "
                     "concept): CNN tok2vec (floret vectors and `spacy pretrain` weights from the SciREX training "
                     "papers' full text) + "
                     + ("span model (candidate spans, endpoint encoder, best non-overlapping spans)"
                        if "spancat" in meta.get("pipeline", ()) else "transition-based NER")
                     + ", trained on raw-text tokenization."),
        author="citegraph", sources=SOURCES,
        citegraph={"label_map": {"Method": "method", "Material": "dataset", "Task": "task", "Metric": "metric",
                                 "OtherScientificTerm": "concept", "Generic": None},
                   "overlap_rule": "longer span kept, ties to the earlier",
                   "seed": args.seed, "scirex_rest": args.scirex_rest, "scierc_copies": args.scierc_copies,
                   "tdmsci": args.tdmsci, "scirex_body": args.scirex_body,
                   "pretrain_epochs": args.pretrain_epochs,
                   "overrides": {k: v for k, v in overrides.items() if not k.startswith("paths.")},
                   "train_minutes": minutes,
                   "data": {k: stats[k] for k in ("train", "scierc_dev", "scirex_dev")},
                   "scirex_heldout_rule": "the 30 SciREX doc_ids with the smallest SHA-1 hex digest",
                   "dev_scores": scores},
    )
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    cfg_path = best / "config.cfg"  # the machine's corpus paths are not part of the product
    cfg_path.write_text(re.sub(r"(?m)^(train|dev|vectors|init_tok2vec|raw_text) = .*$", r"\1 = null",
                               cfg_path.read_text(encoding="utf-8"), count=5), encoding="utf-8")
    if args.out:
        from citegraph.extract.training.rule_data import assemble

        if args.out.exists():
            shutil.rmtree(args.out)
        # the shipped pipeline: the trained model plus the rule components with the data learned from the training split
        assemble(best, args.data, args.out)
        print(f"assembled {best} + rule components -> {args.out}", file=sys.stderr)
        from citegraph.extract.training.calibrate import main as calibrate

        calibrate(["--model", str(args.out), "--data", str(args.data), "--corpus", str(args.corpus)])  # confidence and threshold, on the dev sets
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
