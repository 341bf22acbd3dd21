"""Entities a researcher can trust: names rather than phrases, merged variants, calibrated confidence, and the
user's thesaurus and --min-papers. The pipeline tests run the shipped model; the graph tests use records made by
citegraph.testing through the real builder."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from citegraph.extract.pipeline.load import load_pipeline
from citegraph.extract.records import CitegraphError, Extraction, Mention, Paper
from citegraph.extract.resolve import resolve_keys
from citegraph.extract.runner.extract import extract_papers
from citegraph.graph.build.job import BuildOptions, run_build
from citegraph.graph.build.tables import build_graph, display_name
from citegraph.graph.build.thesaurus import Thesaurus, apply_thesaurus, read_thesaurus
from citegraph.testing import sample_records


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _ents(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents]


@pytest.mark.parametrize("text, name, label", [
    ("We evaluate the approach on the Fashion-MNIST dataset and report accuracy.", "Fashion-MNIST", "dataset"),
    ("Results on the ImageNet dataset improve by two points.", "ImageNet", "dataset"),
    ("Translation quality is measured by the BLEU score on WMT14.", "BLEU", "metric"),
    ("We fine-tune the BERT model on question answering.", "BERT", "method"),
])
def test_names_kind_word_gives_the_name_and_the_type(nlp, text, name, label):
    ents = _ents(nlp, text)
    assert (name, label) in ents, ents
    assert not any(t.startswith(name + " ") for t, _ in ents), ents


@pytest.mark.parametrize("text, span", [
    ("We train a language model here.", (3, 5)),             # not a name before the kind word
    ("We train a Hidden Markov model here.", (3, 6)),          # "model" keeps a name of more than one word
    ("We report the Inception Score here.", (3, 5)),           # a capitalised kind word is part of the name
    ("We report the F1-score here.", (3, 6)),                  # one word
    ("Large datasets are rare here.", (0, 2)),                 # a sentence's first capital is not a name
    ("Kinetics Dataset: A Large Video Benchmark", (0, 2)),    # nor are a title's capitals
    ("We compare other 3D models here.", (3, 5)),              # a dimension is not a name
])
def test_names_kind_word_stays_when_what_is_left_is_not_a_name(text, span):
    import spacy

    from citegraph.extract.pipeline.names import name_of

    doc = spacy.blank("en")(text)
    assert name_of(doc[span[0]:span[1]]) is None, doc[span[0]:span[1]]


def test_names_kind_word_cut_off_a_name():
    import spacy

    from citegraph.extract.pipeline.names import name_of

    doc = spacy.blank("en")("Results on the Kinetics dataset and the SQuAD2 benchmark with the GPT-2 model and the "
                            "KD method.")
    found = [name_of(doc[s:e]) for s, e in ((3, 5), (7, 9), (11, 13), (15, 17))]
    assert [(x.text, x.label_) for x in found] == [("Kinetics", "dataset"), ("SQuAD2", "dataset"),
                                                   ("GPT-2", "method"), ("KD", "method")]


def test_names_a_score_is_cut_to_its_name_only_when_the_name_is_a_metric(nlp):
    ents = _ents(nlp, "We report the Inception score and the FID score, and the BLEU score of the model.")
    assert ("Inception score", "metric") in ents and ("FID", "metric") in ents and ("BLEU", "metric") in ents, ents
    assert not any(t == "Inception" for t, _ in ents), ents


@pytest.mark.parametrize("text, label, typed", [
    ("the CLIP Score of", "dataset", "metric"),
    ("the One Billion Word Benchmark for", "method", "dataset"),
    ("the CLIP score of", "dataset", None),     # a lower-case kind word is cut off a name, not kept in it
    ("the Score of", "dataset", None),          # a kind word alone
    ("the CLIP Score of", "metric", None),      # typed so already
])
def test_names_a_capitalised_kind_word_types_the_name_it_ends(text, label, typed):
    import spacy
    from spacy.tokens import Span

    from citegraph.extract.pipeline.names import kind_in_name

    doc = spacy.blank("en")(text)
    assert kind_in_name(Span(doc, 1, len(doc) - 1, label=label)) == typed


def test_names_known_dataset_typed_otherwise_becomes_a_dataset(nlp):
    ents = _ents(nlp, "We report results on MRPC, QNLI and the KLUE benchmark.")
    labels = {t: lab for t, lab in ents}
    assert labels.get("MRPC") == "dataset" and labels.get("KLUE") == "dataset", ents


def test_names_a_kind_word_beside_a_name_types_its_every_mention(nlp):
    from spacy.tokens import Span

    doc = nlp.make_doc("Models such as Mamba work. We study a pre-trained Mamba model and the KLUE benchmark. "
                       "KLUE is new.")
    at = [t.i for t in doc if t.text in ("Mamba", "KLUE")]
    doc.ents = [Span(doc, i, i + 1, label="dataset" if doc[i].text == "Mamba" else "method") for i in at]
    for e in doc.ents:
        e._.source, e._.confidence = "model", 0.9
    doc = nlp.get_pipe("citegraph_names")(doc)
    assert [(e.text, e.label_, e._.confidence) for e in doc.ents] == [
        ("Mamba", "method", 0.9), ("Mamba", "method", 0.9), ("KLUE", "dataset", 0.9), ("KLUE", "dataset", 0.9)]


@pytest.mark.parametrize("text, typed", [
    ("Large pre-trained models such as Chronos and Time-MoE show strong zero-shot performance.",
     {"Chronos": "method", "Time-MoE": "method"}),
    ("We evaluate on benchmarks including MMLU, MME or GSM8K and report accuracy.",
     {"MMLU": "dataset", "MME": "dataset", "GSM8K": "dataset"}),
    ("We propose TITAN, a multimodal whole slide foundation model pretrained on slides.", {"TITAN": "method"}),
    ("We release GLUE-X, a benchmark of models for robustness.", {"GLUE-X": "dataset"}),
])
def test_names_a_kind_word_types_a_list_after_such_as_and_an_apposition(nlp, text, typed):
    from spacy.tokens import Span

    doc = nlp.make_doc(text)
    at = [doc.char_span(text.index(n), text.index(n) + len(n)) for n in typed]
    wrong = {"method": "dataset", "dataset": "method"}
    doc.ents = [Span(doc, s.start, s.end, label=wrong[typed[s.text]]) for s in at]
    for e in doc.ents:
        e._.source, e._.confidence = "model", 0.6
    doc = nlp.get_pipe("citegraph_names")(doc)
    assert {e.text: e.label_ for e in doc.ents} == typed


def test_names_a_known_method_name_with_a_prefix_is_a_method(nlp):
    from spacy.tokens import Span

    text = "TinyBERT beats FQ-ViT and I-BERT on ImageNet, WordNet and MiniImageNet."
    doc = nlp.make_doc(text)
    names = ["TinyBERT", "FQ-ViT", "I-BERT", "ImageNet", "WordNet", "MiniImageNet"]
    doc.ents = [Span(doc, s.start, s.end, label="dataset")
                for s in (doc.char_span(text.index(n), text.index(n) + len(n)) for n in names)]
    for e in doc.ents:
        e._.source, e._.confidence = "model", 0.6
    component = nlp.get_pipe("citegraph_names")
    assert {"BERT", "ViT"} <= component.methods and "ImageNet" in component.datasets
    doc = component(doc)
    # a known method after a lower-case letter or a hyphen; ImageNet and WordNet are datasets the gazetteer knows
    # ("Net" is no method name), MiniImageNet ends in a dataset name, not a method's
    assert {e.text: e.label_ for e in doc.ents} == {"TinyBERT": "method", "FQ-ViT": "method", "I-BERT": "method",
                                                    "ImageNet": "dataset", "WordNet": "dataset",
                                                    "MiniImageNet": "dataset"}


def test_gazetteer_method_names_come_from_torchvision_and_the_training_split():
    from citegraph.extract.training.gazetteer import gazetteer
    from citegraph.extract.training.paths import DEFAULT_DATA

    data = gazetteer(DEFAULT_DATA, method_like=["BERT", "GAN", "DR", "Deep CNN", "KLUE"])
    assert {"BERT", "GAN", "ViT", "ResNet"} <= set(data["methods"])
    assert not {"DR", "Deep CNN"} & set(data["methods"]), "two letters, or two words, are too little to go on"
    assert "KLUE" not in data["datasets"], "a name the training split labels a method is no dataset name"


def test_names_a_known_dataset_before_lower_case_words_is_the_dataset(nlp):
    from spacy.tokens import Span

    text = ("We compare ImageNet initialisation with ImageNet synthesis, the GLUE score points and a SOTA algorithm "
            "on CIFAR-10 dataset results.")
    doc = nlp.make_doc(text)
    spans = {"ImageNet initialisation": "method", "ImageNet synthesis": "task", "GLUE score points": "metric",
             "SOTA algorithm": "method", "CIFAR-10 dataset results": "dataset"}
    doc.ents = [doc.char_span(text.index(t), text.index(t) + len(t), label=lab) for t, lab in spans.items()]
    for e in doc.ents:
        e._.source, e._.confidence = "model", 0.7
    names = nlp.get_pipe("citegraph_names")
    assert {"ImageNet", "GLUE", "SOTA", "CIFAR-10"} <= names.datasets, "the test reads the shipped gazetteer"
    doc = names(doc)
    # the name alone, a dataset, unless a kind word or a method's head word follows it ("SOTA algorithm")
    assert [(e.text, e.label_, e._.confidence) for e in doc.ents] == [
        ("ImageNet", "dataset", 0.7), ("ImageNet", "dataset", 0.7), ("GLUE score points", "metric", 0.7),
        ("SOTA algorithm", "method", 0.7), ("CIFAR-10 dataset results", "dataset", 0.7)]


@pytest.mark.parametrize("text, dropped", [
    ("Remarkably, the method with k=1 and a 3B model beats BERT.", {"Remarkably", "k=1", "3B"}),
    ("Specifically, we train BERT on 100M tokens with n<d here.", {"Specifically", "100M", "n<d"}),
    ("A point is stationary if F(w)|leq alpha for BERT.", {"F(w)|leq"}),
    ("We train with M and X here and beat BERT.", {"M", "X"}),
])
def test_generic_filter_drops_math_counts_and_sentence_adverbs(nlp, text, dropped):
    doc = nlp.make_doc(text)
    doc[0].is_sent_start = True
    filt = nlp.get_pipe("citegraph_generic_filter")
    spans = {doc.char_span(text.index(w), text.index(w) + len(w)) for w in (*dropped, "BERT")}
    assert {s.text for s in spans if filt.is_generic(s)} == dropped


def test_names_definition_with_a_kind_word_gives_two_mentions_with_one_key(nlp):
    papers = [Paper("p1", "NLI", "We train on the Multi-Genre Natural Language Inference (MultiNLI) corpus. "
                                 "MultiNLI has ten genres.")]
    x = extract_papers(papers, nlp=nlp).extractions[0]
    texts = {m.text: m for m in x.mentions}
    assert "Multi-Genre Natural Language Inference" in texts and "MultiNLI" in texts, texts
    assert texts["MultiNLI"].key == texts["Multi-Genre Natural Language Inference"].key
    assert texts["MultiNLI"].label == "dataset"


def test_definition_with_a_digit_for_a_number_word_gives_one_key(nlp):
    papers = [Paper("p1", "0SHOT-TC", "Zero-shot text classification (0SHOT-TC) is a challenging NLU problem. "
                                      "We study 0SHOT-TC in three settings.")]
    x = extract_papers(papers, nlp=nlp).extractions[0]
    keys = {m.text: m.key for m in x.mentions}
    assert "Zero-shot text classification" in keys and "0SHOT-TC" in keys, keys
    assert keys["0SHOT-TC"] == keys["Zero-shot text classification"]


def test_generic_filter_a_count_does_not_make_a_dataset_a_name(nlp):
    from spacy.tokens import Span

    text = "We pretrain on a 300B-token corpus and on the C4 corpus and the Pile-1B set."
    doc = nlp.make_doc(text)
    doc[0].is_sent_start = True
    doc.ents = [doc.char_span(text.index(w), text.index(w) + len(w), label="dataset")
                for w in ("300B-token corpus", "C4 corpus", "Pile-1B set")]
    kept = [e.text for e in nlp.get_pipe("citegraph_generic_filter")(doc).ents]
    assert kept == ["C4 corpus", "Pile-1B set"]


def test_names_generic_dataset_phrases_are_dropped(nlp):
    ents = _ents(nlp, "We use real-world data and unlabeled text from image datasets, and evaluate on CIFAR-10.")
    assert not [t for t, lab in ents if lab == "dataset" and t != "CIFAR-10"], ents


def _resolved_keys(mentions: list[tuple[str, str]]) -> list[str]:
    """The key each (text, label) mention gets when each is a paper of its own."""
    papers = [Paper(f"p{i}", t) for i, (t, _) in enumerate(mentions)]
    xs = [Extraction(f"p{i}", t, (Mention(t, label, 0, len(t), "title", _normalised(t)),))
          for i, (t, label) in enumerate(mentions)]
    return [x.mentions[0].key for x in resolve_keys(papers, xs).extractions]


def test_resolve_variants_with_and_without_kind_word_share_a_key():
    keys = _resolved_keys([("CIFAR10", "dataset"), ("CIFAR-10", "dataset"), ("ImageNet dataset", "dataset"),
                           ("ImageNet", "dataset"), ("BLEU score", "metric"), ("BLEU", "metric"),
                           ("imagenet", "dataset")])
    assert keys[0] == keys[1] and keys[2] == keys[3] == keys[6] and keys[4] == keys[5], keys
    assert len(set(keys)) == 3


@pytest.mark.parametrize("phrase, head", [
    (("CLIP score", "metric"), ("CLIP", "method")),                        # a score is a metric's
    (("latent variable models", "method"), ("latent variable", "concept")),  # a model is a method's or a task's
    (("question answering benchmark", "dataset"), ("question answering", "task")),
])
def test_resolve_a_kind_word_merges_only_into_a_key_of_a_label_it_allows(phrase, head):
    keys = _resolved_keys([phrase, head, head])
    assert keys[0] == _normalised(phrase[0]) and keys[1] == _normalised(head[0]), keys


def test_resolve_a_method_or_problem_merges_into_the_task_it_names():
    keys = _resolved_keys([("reinforcement learning algorithm", "method"), ("reinforcement learning", "task"),
                           ("bilevel optimization problem", "task"), ("bilevel optimization", "method")])
    assert keys[0] == keys[1] and keys[2] == keys[3], keys


def test_resolve_keeps_apart_words_that_differ_by_ing():
    texts = ["generative model", "generative modeling", "mean", "meaning model", "mean squared error",
             "mean square error"]
    papers = [Paper(f"p{i}", t) for i, t in enumerate(texts)]
    xs = [Extraction(f"p{i}", t, (Mention(t, "method", 0, len(t), "title", _normalised(t)),))
          for i, t in enumerate(texts)]
    keys = [x.mentions[0].key for x in resolve_keys(papers, xs).extractions]
    assert keys[4] == keys[5], "a spelling variant still merges"
    assert len(set(keys[:4])) == 4, keys


def _normalised(text: str) -> str:
    from citegraph.extract.keys import normalise_key

    return normalise_key(text)


def test_confidence_every_mention_has_one_between_0_and_1_at_least_the_threshold(nlp):
    papers = [Paper("p1", "Deep residual learning", "We train ResNet-50 on ImageNet with SGD and report top-1 "
                                                    "accuracy. Error Feedback (EF) helps; EF is cheap.")]
    x = extract_papers(papers, nlp=nlp).extractions[0]
    threshold = nlp.get_pipe("citegraph_confidence").threshold
    assert x.mentions
    assert all(threshold <= m.confidence <= 1.0 for m in x.mentions if m.source != "acronym"), x.mentions
    assert all(0.0 <= m.confidence <= 1.0 for m in x.mentions)
    line = json.loads(x.to_json())
    assert all("confidence" in m for m in line["mentions"])
    assert Extraction.from_dict(line) == x


def test_confidence_threshold_drops_what_is_under_it(nlp):
    text = "We propose a simple trick for training generative models with fewer heuristic tricks on CIFAR-10."
    pipe = nlp.get_pipe("citegraph_confidence")
    before = pipe.threshold
    confidences = [e._.confidence for e in nlp(text).ents]
    try:
        pipe.threshold = sorted(confidences)[len(confidences) // 2] + 1e-3
        kept = [e._.confidence for e in nlp(text).ents]
    finally:
        pipe.threshold = before
    assert len(kept) < len(confidences) and all(c >= pipe.threshold or c > before for c in kept)


def test_graph_entity_confidence_is_mean_and_max_of_its_mentions():
    papers, xs = sample_records(12, 8, per_paper=4)
    xs = [Extraction(x.id, x.title, tuple(Mention(m.text, m.label, m.start, m.end, m.field, m.key, m.source,
                                                  round(0.2 + 0.1 * (i % 7), 3)) for i, m in enumerate(x.mentions)),
                     x.references, x.links, x.sentences) for x in xs]
    G = build_graph(papers, xs)
    by_key: dict[str, list[float]] = {}
    for x in xs:
        for m in x.mentions:
            by_key.setdefault(m.key, []).append(m.confidence)
    for key, cs in by_key.items():
        node = G.nodes[f"entity:{key}"]
        assert node["max_confidence"] == max(cs)
        assert node["confidence"] == round(sum(cs) / len(cs), 3)


@pytest.mark.parametrize("text, forms, label", [
    ("We introduce the Korean Language Understanding Evaluation (KLUE) benchmark.",
     ("Korean Language Understanding Evaluation", "KLUE"), "dataset"),
    ("We evaluate on the Multi-Genre Natural Language Inference (MultiNLI) corpus and on Fashion-MNIST.",
     ("Multi-Genre Natural Language Inference", "MultiNLI"), "dataset"),
])
def test_a_definition_followed_by_a_kind_word_is_one_entity_of_that_kind(nlp, text, forms, label):
    doc = nlp(text)
    found = {e.text: e for e in doc.ents}
    assert all(f in found and found[f].label_ == label for f in forms), [(e.text, e.label_) for e in doc.ents]
    assert found[forms[0]]._.confidence == found[forms[1]]._.confidence  # one reading, one confidence


def test_a_stray_closing_bracket_is_cut_off_a_name(nlp):
    ents = _ents(nlp, "Zero-shot text classification (0SHOT-TC) is a challenging NLU problem.")
    assert "0SHOT-TC" in [t for t, _ in ents], ents
    assert not any(")" in t for t, _ in ents), ents


def test_display_name_prefers_the_long_form_with_its_acronym():
    assert display_name(Counter({"DS": 9, "dynamical systems": 2})) == "dynamical systems (DS)"
    assert display_name(Counter({"ImageNet": 2, "IMAGENET": 1})) == "ImageNet"


def test_display_name_of_a_definition_leaves_out_its_kind_word_and_adds_no_second_bracket():
    assert display_name(Counter({"Markov random field (MRF) models": 2, "MRF": 3})) == "Markov random field (MRF)"
    assert display_name(Counter({"Softmax Collapse (SC)": 1, "SC": 2})) == "Softmax Collapse (SC)"
    assert display_name(Counter({"Weather (Atmosphere) dataset": 1})) == "Weather (Atmosphere)"
    assert display_name(Counter({"Lovász (1979) bound": 1})) == "Lovász (1979) bound"  # "bound" is no kind word


def test_min_papers_keeps_only_entities_in_that_many_papers():
    papers, xs = sample_records(30, 20, per_paper=4)
    df = Counter(k for x in xs for k in {m.key for m in x.mentions})
    G = build_graph(papers, xs)
    from citegraph.graph.build.tables import build_tables

    H = build_tables(papers, xs, min_papers=3).to_networkx()
    kept = {d["key"] for _, d in H.nodes(data=True) if d["kind"] == "entity"}
    assert kept == {k for k, n in df.items() if n >= 3}
    assert kept < {d["key"] for _, d in G.nodes(data=True) if d["kind"] == "entity"}
    assert all(H.nodes[u]["paper_count"] >= 3 for u in H if H.nodes[u]["kind"] == "entity")


def _typed_edges(G) -> set[tuple[str, str, str, int]]:
    return {(u, v, d["type"], d["papers"]) for u, v, d in G.edges(data=True)
            if G.nodes[u]["kind"] == G.nodes[v]["kind"] == "entity" and d["type"] != "CO_OCCURS"}


def test_min_confidence_keeps_entities_found_confidently_somewhere():
    from dataclasses import replace

    from citegraph.graph.build.tables import build_tables

    papers, xs = sample_records(30, 20, per_paper=4, relations=True)
    keys = sorted({m.key for x in xs for m in x.mentions})
    unsure = set(keys[::3])
    mixed = next(k for k in keys if k not in unsure and sum(k in {m.key for m in x.mentions} for x in xs) >= 2)
    first_paper = next(i for i, x in enumerate(xs) if any(m.key == mixed for m in x.mentions))

    def confidence(i: int, key: str) -> float:  # the mixed entity is unsure in its first paper only
        return 0.4 if key in unsure or (key == mixed and i == first_paper) else 0.9

    ys = [replace(x, mentions=tuple(replace(m, confidence=confidence(i, m.key)) for m in x.mentions))
          for i, x in enumerate(xs)]
    G = build_graph(papers, ys)
    H = build_tables(papers, ys, min_confidence=0.5).to_networkx()
    kept = {d["key"] for _, d in H.nodes(data=True) if d["kind"] == "entity"}
    assert kept == set(keys) - unsure
    assert H.nodes[f"entity:{mixed}"]["paper_count"] == G.nodes[f"entity:{mixed}"]["paper_count"]
    assert H.has_edge(f"paper:{xs[first_paper].id}", f"entity:{mixed}")  # its unsure mention stays with it
    # the typed relations between the entities kept are the ones stated between them, no other
    edges = _typed_edges(G)
    assert edges and _typed_edges(H) == {e for e in edges if e[0][7:] in kept and e[1][7:] in kept}
    assert build_tables(papers, ys, min_confidence=0.0).to_networkx().number_of_nodes() == G.number_of_nodes()
    with pytest.raises(ValueError, match="between 0 and 1"):
        build_tables(papers, ys, min_confidence=1.5)


def test_thesaurus_drop_takes_the_relations_of_its_mentions_along():
    papers, xs = sample_records(30, 20, per_paper=4, relations=True)
    edges = _typed_edges(build_graph(papers, xs))
    dropped = sorted(edges)[0][1][7:]
    text_of = {m.key: m.text for x in xs for m in x.mentions}
    t = Thesaurus("t.csv", "", {dropped: ("", "", "")})
    ys, _, _ = apply_thesaurus(xs, t)
    assert all(m.key != dropped for y in ys for m in y.mentions), text_of[dropped]
    assert _typed_edges(build_graph(papers, ys)) == {e for e in edges if f"entity:{dropped}" not in e[:2]}


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_thesaurus_merges_renames_retypes_and_drops(tmp_path):
    papers, xs = sample_records(12, 8, per_paper=4)
    keys = sorted({m.key for x in xs for m in x.mentions})
    a, b, c = keys[:3]
    text_of = {m.key: m.text for x in xs for m in x.mentions}
    t = read_thesaurus(_write(tmp_path / "t.csv", f"text,replace_by,label\n{text_of[a]},{text_of[b]},task\n"
                                                   f"{text_of[c]},,\n"))
    merges: list[dict] = []
    ys, names, _ = apply_thesaurus(xs, t, merges)
    G = build_graph(papers, ys)
    assert f"entity:{a}" not in G and f"entity:{c}" not in G
    node = G.nodes[f"entity:{b}"]  # a's mentions joined b's entity, retyped task, and b is named as written
    assert node["name"] == names[b] == text_of[b]
    merged = [m for y in ys for m in y.mentions if m.key == b]
    assert {m.text for m in merged} >= {text_of[a], text_of[b]}
    assert all(m.label == "task" for m in merged if m.text == text_of[a])
    assert {r["reason"] for r in merges} == {"thesaurus"} and any(r["to_key"] == "" for r in merges)


def test_thesaurus_columns_may_be_tab_separated(tmp_path):
    comma = read_thesaurus(_write(tmp_path / "t.csv", "text,replace_by,label\nCIFAR10,CIFAR-10,dataset\n"
                                                      "heuristic tricks,,\n"))
    tab = read_thesaurus(_write(tmp_path / "t.tsv", "text\treplace_by\tlabel\nCIFAR10\tCIFAR-10\tdataset\n"
                                                    "heuristic tricks\t\t\n"))
    assert tab.rows == comma.rows and tab.format == comma.format == "csv"


@pytest.mark.parametrize("content, where, what", [
    ("label,replace by\nx,y\n", ":1:", "text and replace_by"),
    ("text,replace_by,label\nx,y,gadget\n", ":2:", "unknown label"),
    ("text,replace_by\nx,y\nX,z\n", ":3:", "already in the thesaurus"),
    ("text,replace_by\nx,y,z\n", ":2:", "3 cells"),
])
def test_thesaurus_errors_name_file_and_line(tmp_path, content, where, what):
    path = _write(tmp_path / "bad.csv", content)
    with pytest.raises(CitegraphError) as e:
        read_thesaurus(path)
    assert f"{path}{where}" in str(e.value) and what in str(e.value)


def test_thesaurus_and_min_papers_in_a_build_and_its_manifest(tmp_path):
    papers, _ = sample_records(12, 8, per_paper=4)
    records = [{"id": p.id, "title": p.title, "abstract": p.abstract, "date": p.dates[0]} for p in papers]
    thesaurus = _write(tmp_path / "t.csv", "text,replace_by,label\nfriends,,\n")
    out = tmp_path / "out"
    b = run_build(records, BuildOptions(rules_only=True, workers=1, html=False, thesaurus=thesaurus,
                                        min_papers=2), out=out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["min_papers"] == 2
    assert manifest["parameters"]["thesaurus"]["rows"] == 1
    assert len(manifest["parameters"]["thesaurus"]["sha256"]) == 64
    assert all(d["paper_count"] >= 2 for _, d in b.graph.nodes(data=True) if d["kind"] == "entity")
    assert not any(d.get("key") == "friend" for _, d in b.graph.nodes(data=True))


def test_a_vosviewer_thesaurus_file_serves_as_it_is(tmp_path):
    papers, xs = sample_records(12, 8, per_paper=4)
    records = [{"id": p.id, "title": p.title, "abstract": p.abstract, "date": p.dates[0]} for p in papers]
    plain = run_build(records, BuildOptions(workers=1, html=False))  # the shipped model finds the sample's names
    entities = sorted((d["paper_count"], d["key"], d["name"]) for _, d in plain.graph.nodes(data=True)
                      if d["kind"] == "entity")
    (_, drop, drop_name), (_, into, into_name), (_, other, other_name) = entities[-3:]
    # VOSviewer's own layout: tab-separated, "label<TAB>replace by", an empty replacement drops the term
    thesaurus = _write(tmp_path / "thesaurus_terms.txt", f"label\treplace by\n{drop_name}\t\n"
                                                         f"{other_name}\t{into_name}\nno such term\t\n")
    notes: list[str] = []
    b = run_build(records, BuildOptions(workers=1, html=False, thesaurus=thesaurus), out=tmp_path / "out",
                  report=notes.append)
    keys = {d["key"]: d for _, d in b.graph.nodes(data=True) if d["kind"] == "entity"}
    assert drop not in keys and other not in keys
    merged = plain.graph.nodes[f"entity:{into}"]["paper_count"], plain.graph.nodes[f"entity:{other}"]["paper_count"]
    assert keys[into]["paper_count"] >= max(merged) and keys[into]["name"] == into_name
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["parameters"]["thesaurus"]
    assert manifest["format"] == "vosviewer" and manifest["rows"] == 3 and manifest["matched_rows"] == 2
    assert any("1 of the 3 rows of the thesaurus" in n and "'no such term'" in n for n in notes), notes


def test_a_vosviewer_thesaurus_merges_and_drops_authors_of_a_real_export(tmp_path, bibliographic_dir):
    from citegraph.graph.build.authors import author_key

    export = bibliographic_dir / "wos_plaintext_bibliometrix.txt"
    plain = run_build([export], BuildOptions(workers=1, html=False))
    authors = sorted((d["paper_count"], d["key"], d["name"]) for _, d in plain.graph.nodes(data=True)
                     if d["kind"] == "author")
    (_, into, into_name), (_, other, other_name), (_, drop, drop_name) = authors[-1], authors[-2], authors[0]
    papers_of = {key: set(plain.graph.successors(f"author:{key}")) for key in (into, other)}
    # a co-authorship thesaurus as VOSviewer users keep it: "surname, initials" rows, lower case
    thesaurus = _write(tmp_path / "thesaurus_authors.txt", f"label\treplace by\n{other_name.lower()}\t{into_name}\n"
                                                           f"{drop_name}\t\nnobody, x\t\n")
    notes: list[str] = []
    b = run_build([export], BuildOptions(workers=1, html=False, thesaurus=thesaurus), out=tmp_path / "out",
                  report=notes.append)
    keys = {d["key"]: d for _, d in b.graph.nodes(data=True) if d["kind"] == "author"}
    assert other not in keys and drop not in keys and into in keys and author_key(into_name) == into
    assert set(b.graph.successors(f"author:{into}")) == papers_of[into] | papers_of[other]
    assert keys[into]["paper_count"] == len(papers_of[into] | papers_of[other])
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["parameters"]["thesaurus"]
    assert manifest["matched_author_rows"] == 2 and manifest["matched_rows"] == 2 and manifest["rows"] == 3
    assert any("1 of the 3 rows" in n and "'nobody x'" in n for n in notes), notes
    papers_csv = (tmp_path / "out" / "papers.csv").read_text(encoding="utf-8")
    assert drop_name in papers_csv  # the papers' own author lists are kept; the graph is what the thesaurus changes


def test_min_confidence_of_a_build_comes_from_the_model_and_is_in_its_manifest(tmp_path):
    from citegraph.extract.runner.provenance import graph_threshold

    shipped = graph_threshold()
    assert 0 < shipped < 1, "the shipped model's calibration chose a graph threshold"
    records = [{"id": "p1", "title": "BERT on SQuAD",
                "abstract": "We fine-tune BERT on SQuAD. These limits characterize all previous methods, presenting "
                            "a unified view. Our proposed principled frameworks also connect to elastic weight "
                            "consolidation."}]
    chosen = run_build(records, BuildOptions(workers=1, html=False))
    every = run_build(records, BuildOptions(workers=1, html=False, min_confidence=0.0))
    assert chosen.manifest["parameters"]["min_confidence"] == shipped
    assert every.manifest["parameters"]["min_confidence"] == 0.0
    mentions = every.extractions["p1"].mentions
    assert {m.confidence >= shipped for m in mentions} == {True, False}, "sure and unsure entities both"
    in_graph = {d["key"] for _, d in chosen.graph.nodes(data=True) if d["kind"] == "entity"}
    assert in_graph == {m.key for m in mentions if m.confidence >= shipped}
    assert {d["key"] for _, d in every.graph.nodes(data=True) if d["kind"] == "entity"} == {m.key for m in mentions}
    under = len({m.key for m in mentions} - in_graph)
    assert chosen.graph.graph["entities_under_confidence"] == chosen.manifest["counts"]["entities_under_confidence"]
    assert chosen.graph.graph["entities_under_confidence"] == under
    assert every.graph.graph["entities_under_confidence"] == 0
    with pytest.raises(CitegraphError, match="--min-confidence"):
        run_build(records, BuildOptions(workers=1, html=False, min_confidence=2.0))


def test_thesaurus_bad_file_fails_the_build_before_any_work(tmp_path):
    bad = _write(tmp_path / "t.csv", "word,replacement\nx,y\n")
    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", "--rules-only", "--no-html", "--thesaurus",
                           str(bad), "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and f"{bad}:1:" in proc.stderr
    assert not (tmp_path / "out" / "graph.json").exists()
