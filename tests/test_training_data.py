"""Training-data conversion: raw-text reconstruction, label mapping, overlap rule, alignment loss, SciREX split."""

from __future__ import annotations

from collections import Counter

import numpy

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from citegraph.extract.records import LABELS
from citegraph.extract.training.convert import (SCIERC_LABELS, AlignStats, align, detokenize, read_scierc, read_scirex,
                                                read_tdmsci, resolve_overlaps, scirex_split)


@pytest.mark.parametrize(("tokens", "text"), [
    (["A", "-LRB-", "B", "-RRB-", "."], "A (B)."),
    (["``", "quoted", "''", "word"], '"quoted" word'),
    (["95", "%", "accuracy", ",", "and", "-LSB-", "1", "-RSB-"], "95% accuracy, and [1]"),
    (["It", "does", "n't", "work", ";", "it", "'s", "fine", "?"], "It doesn't work; it's fine?"),
    (["trans-context-free", "grammars"], "trans-context-free grammars"),
])
def test_detokenize_ptb(tokens, text):
    assert detokenize(tokens)[0] == text


def test_detokenize_joins_split_hyphens_only_when_asked():
    tokens = ["state", "-", "of", "-", "the", "-", "art", "results"]
    assert detokenize(tokens, join_hyphens=True)[0] == "state-of-the-art results"
    assert detokenize(tokens)[0] == "state - of - the - art results"


@given(st.lists(st.sampled_from(["model", "-LRB-", "-RRB-", ",", ".", "``", "''", "'s", "-", "x1", "%", "BERT"]),
                max_size=30), st.booleans())
def test_detokenize_offsets_point_at_tokens(tokens, join):
    text, offsets = detokenize(tokens, join_hyphens=join)
    assert len(offsets) == len(tokens)
    for tok, (s, e) in zip(tokens, offsets):
        assert text[s:e] == {"-LRB-": "(", "-RRB-": ")", "``": '"', "''": '"'}.get(tok, tok)
    assert all(a[1] <= b[0] for a, b in zip(offsets, offsets[1:]))


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 10), st.sampled_from(LABELS)), max_size=20))
def test_resolve_overlaps_keeps_disjoint_longest(raw):
    spans = [(s, s + n, lab) for s, n, lab in raw]
    kept = resolve_overlaps(spans)
    assert all(a[1] <= b[0] for a, b in zip(kept, kept[1:]))
    for s in spans:  # every dropped span overlaps a kept span at least as long
        assert s in kept or any(k[0] < s[1] and s[0] < k[1] and k[1] - k[0] >= s[1] - s[0] for k in kept)


def test_label_map_is_the_product_labels():
    assert sorted(SCIERC_LABELS.values()) == sorted(LABELS)
    assert "Generic" not in SCIERC_LABELS


def test_align_counts_exact_and_expanded():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("We use Multi-lingual BERT here.")
    stats = AlignStats()
    spans = align(doc, [(7, 12, "method"), (7, 25, "method")], stats)
    assert [s.text for s in spans] == ["Multi-lingual BERT"]
    assert (stats.exact, stats.expanded, stats.overlapping) == (2, 0, 1)


@pytest.fixture(scope="module")
def scierc(shared_dir):
    counts = Counter()
    return list(read_scierc(shared_dir / "data" / "scierc" / "train.json", counts)), counts


def test_scierc_rebuilt_text_keeps_entity_strings(scierc):
    docs, counts = scierc
    assert len(docs) == 350
    assert counts["overlap_dropped"] / counts["spans"] < 0.02  # ~1% nested spans
    assert "-LRB-" not in docs[0].text and " ." not in docs[0].text
    assert {lab for d in docs for *_, lab in d.entities} == set(LABELS)


@pytest.mark.parametrize("split", ["train.json", "dev.json"])
def test_scierc_alignment_loss_is_small(shared_dir, split):
    nlp = spacy.blank("en")
    stats = AlignStats()
    for g in read_scierc(shared_dir / "data" / "scierc" / split):
        align(nlp.make_doc(g.text), g.entities, stats)
    assert stats.total > 600
    assert stats.exact / stats.total > 0.995
    assert stats.lost + stats.overlapping <= 0.005 * stats.total


def _exact_alignment(docs) -> float:
    """The share of gold spans that fall exactly on spaCy tokens."""
    nlp = spacy.blank("en")
    stats = AlignStats()
    for g in docs:
        align(nlp.make_doc(g.text), g.entities, stats)
    return stats.exact / stats.total


def test_scirex_front_matter_and_split(shared_dir):
    docs = list(read_scirex(shared_dir / "data" / "scirex" / "train.jsonl"))
    ids = {d.id.split("#")[0] for d in docs}
    assert len(ids) > 290
    assert not any(d.text.lower().startswith(("section :", "document :", "section:")) for d in docs)
    assert {lab for d in docs for *_, lab in d.entities} == {"method", "dataset", "task", "metric"}
    held = scirex_split(ids)
    assert len(held) == 30 and held == scirex_split(sorted(ids, reverse=True))
    assert _exact_alignment(docs) > 0.995


def test_scirex_body_adds_whole_sentences_after_the_front_matter(shared_dir):
    path = shared_dir / "data" / "scirex" / "train.jsonl"
    front = list(read_scirex(path))
    docs = list(read_scirex(path, body_words=300, chunk_tokens=80))
    body = [d for d in docs if d.field == "body"]
    assert [d for d in docs if d.field != "body"] == front
    assert body and all("#b" in d.id for d in body)
    per_paper = Counter()
    for d in body:
        per_paper[d.id.split("#")[0]] += len(d.text.split())
    assert max(per_paper.values()) < 300 + 2 * 80  # the budget, and the sentence that crosses it
    assert not any(d.text.lower().startswith(("section", "subsection")) for d in body)
    assert {lab for d in body for *_, lab in d.entities} == {"method", "dataset", "task", "metric"}
    assert _exact_alignment(body) > 0.995


def test_rule_data_leaves_out_every_held_out_scirex_paper(shared_dir):
    from citegraph.extract.training.rule_data import training_docs

    papers = {d.id.split("#")[0] for d in read_scirex(shared_dir / "data" / "scirex" / "train.jsonl")}
    held = scirex_split(papers)
    ids = {d.id.split("#")[0] for d in training_docs(shared_dir / "data")}
    assert ids.isdisjoint(held)
    assert len(ids & papers) == len(papers) - len(held)


def test_shipped_rule_data_is_what_the_rule_data_command_learns(shared_dir, tmp_path):
    # the shipped names, generic terms and gazetteer are reproducible from the shared data, and the model they are
    # written back into still loads
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from citegraph.extract.pipeline.load import load_pipeline
    from citegraph.extract.runner.provenance import DEFAULT_MODEL
    from citegraph.extract.training.rule_data import LEARNED_COMPONENTS

    shipped = Path(DEFAULT_MODEL)
    model = tmp_path / "citegraph_sci"
    shutil.copytree(shipped, model)
    for name in LEARNED_COMPONENTS:
        shutil.rmtree(model / name)
    proc = subprocess.run([sys.executable, "-m", "citegraph.extract.training.rule_data", "--model", str(model),
                           "--data", str(shared_dir / "data")], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for name in LEARNED_COMPONENTS:
        assert (model / name / "data.json").read_bytes() == (shipped / name / "data.json").read_bytes(), name
    assert load_pipeline(model).has_pipe("citegraph_generic_filter")


def test_tdmsci_sentences_keep_their_spans_and_counts(shared_dir):
    path = shared_dir / "data" / "tdmsci" / "train_1500_v2.conll"
    docs = list(read_tdmsci(path))
    counts = Counter(lab for d in docs for *_, lab in d.entities)
    assert counts == {"task": 1219, "metric": 536, "dataset": 420}  # the data README's counts
    tokens = {}  # each B- token's text, as the file gives it
    n, rows = 0, []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3:
            n += bool(rows)
            rows = []
            continue
        rows.append(parts)
        if parts[2].startswith("B-"):
            tokens.setdefault(n, []).append(parts[0])
    for i, d in enumerate(docs):
        firsts = tokens.get(i, [])
        assert len(firsts) == len(d.entities)
        assert all(d.text[s:e].startswith(t) for (s, e, _), t in zip(d.entities, firsts))
        assert all(d.text[s:e] == d.text[s:e].strip() and e > s for s, e, _ in d.entities)
    nlp = spacy.blank("en")
    stats = AlignStats()
    for g in docs:
        align(nlp.make_doc(g.text), g.entities, stats)
    assert stats.exact / stats.total > 0.99


def test_partly_annotated_docs_learn_only_the_labels_they_annotate():
    from spacy.training import Example

    from citegraph.extract.training.partial import mark_partial, partial_annotation
    from citegraph.extract.training.paths import HERE

    config = spacy.util.load_config(HERE / "config.cfg")
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    doc = nlp.make_doc("We train BERT for question answering on SQuAD .")
    ref = doc.copy()
    ref.spans["sc"] = [ref.char_span(18, 36, label="task"), ref.char_span(40, 45, label="dataset")]
    partial = ref.copy()
    mark_partial(partial, ["task", "dataset", "metric"])
    nlp.initialize(lambda: [Example(doc, ref)])
    spancat = nlp.get_pipe("spancat")
    docs = list(nlp.get_pipe("tok2vec").pipe([doc.copy()]))
    scores = spancat.predict(docs)  # (candidate spans, their scores), as in training
    candidates = scores[0].dataXd.tolist()
    full_loss, full = spancat.get_loss([Example(docs[0], ref)], scores)
    with partial_annotation():
        loss, masked = spancat.get_loss([Example(docs[0], partial)], scores)
        same_loss, same = spancat.get_loss([Example(docs[0], ref)], scores)  # not marked: unchanged
    known = [i for label, i in spancat._label_map.items() if label in ("task", "dataset", "metric")]
    gold = [(4, 6), (7, 8)]
    for row, (start, end) in enumerate(candidates):
        overlaps = any(start < e and s < end for s, e in gold)
        unknown_columns = numpy.delete(masked[row], known)
        assert (abs(unknown_columns).sum() > 0) == overlaps, doc[start:end].text  # "BERT": may be a method
        assert abs(masked[row][known]).sum() > 0  # but is not a task, dataset or metric
        assert abs(full[row]).sum() > 0
    assert loss < full_loss and same_loss == full_loss and (same == full).all()


def test_training_corpus_marks_what_each_source_does_not_annotate(shared_dir, tmp_path):
    from spacy.tokens import DocBin

    from citegraph.extract.training.partial import PARTIAL_KEY
    from citegraph.extract.training.train import convert

    stats = convert(shared_dir / "data", tmp_path, scirex_rest="partial", tdmsci=True)
    docs = list(DocBin().from_disk(tmp_path / "train.spacy").get_docs(spacy.blank("en").vocab))
    marks = Counter(d.spans[PARTIAL_KEY][0].label_ if PARTIAL_KEY in d.spans else None for d in docs)
    scierc = sum(1 for _ in read_scierc(shared_dir / "data" / "scierc" / "train.json"))
    assert marks == {None: scierc, "dataset method metric task": stats["train"]["docs"] - scierc - 1523,
                     "dataset metric task": 1523}
    assert all(len(d.spans[PARTIAL_KEY][0]) == len(d) for d in docs if PARTIAL_KEY in d.spans)
