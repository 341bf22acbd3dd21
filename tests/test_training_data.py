"""Training-data conversion: raw-text reconstruction, label mapping, overlap rule, alignment loss, SciREX split."""

from __future__ import annotations

from collections import Counter

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from citegraph.extract.records import LABELS
from citegraph.extract.training.convert import (SCIERC_LABELS, AlignStats, align, detokenize, read_scierc, read_scirex,
                                      resolve_overlaps, scirex_split)


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


def test_scirex_front_matter_and_split(shared_dir):
    docs = list(read_scirex(shared_dir / "data" / "scirex" / "train.jsonl"))
    ids = {d.id.split("#")[0] for d in docs}
    assert len(ids) > 290
    assert not any(d.text.lower().startswith(("section :", "document :", "section:")) for d in docs)
    assert {lab for d in docs for *_, lab in d.entities} == {"method", "dataset", "task", "metric"}
    held = scirex_split(ids)
    assert len(held) == 30 and held == scirex_split(sorted(ids, reverse=True))
    nlp = spacy.blank("en")
    stats = AlignStats()
    for g in docs:
        align(nlp.make_doc(g.text), g.entities, stats)
    assert stats.exact / stats.total > 0.995
