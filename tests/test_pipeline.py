from __future__ import annotations

import json

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph.extract.keys import normalise_key
from citegraph.extract.pipeline.load import load_pipeline
from citegraph.extract.runner.extract import extract_papers
from citegraph.extract.runner.provenance import pipeline_info
from citegraph.extract.records import (AcronymDefinition, CitegraphError, Extraction, Link, Mention, Paper, Reference,
                                       Relation, Sentence)
from citegraph.extract.resolve import resolve_keys
from citegraph.extract.runner.workers import PipelineSpec, extraction_started


@pytest.fixture(scope="module")
def rules_nlp():
    return load_pipeline(blank=True)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


PAPERS = [
    Paper("p1", "Error Feedback Reloaded",
          "Error Feedback (EF) is a popular mechanism (Seide et al., 2014). We evaluate EF on the ImageNet dataset "
          "and on CIFAR-10, MNIST, and SVHN. Code: https://github.com/org/ef21."),
    Paper("p2", "Faster EF for everyone", "We make EF faster, as shown by Barron [1993] and Arjovsky et al. [2019]."),
]


def test_pipeline_offsets_match_text_for_every_mention(nlp):
    result = extract_papers(PAPERS, nlp)
    for paper, x in zip(PAPERS, result.extractions):
        assert x.id == paper.id and x.mentions
        for m in x.mentions:
            assert paper.field(m.field)[m.start:m.end] == m.text
            assert m.label in {"method", "dataset", "task", "metric", "concept"}
            assert m.source in {"model", "rule", "acronym"}


def test_pipeline_acronym_defined_in_one_paper_resolves_in_another(rules_nlp):
    result = extract_papers(PAPERS, rules_nlp)
    keys_p2 = {m.text: m.key for m in result.extractions[1].mentions}
    assert keys_p2.get("EF") == "error feedback"
    keys_p1 = {m.text: m.key for m in result.extractions[0].mentions}
    assert keys_p1["Error Feedback"] == keys_p1["EF"] == "error feedback"
    assert any(r["text"] == "EF" and r["paper_id"] == "p2" and r["reason"] == "acronym" for r in result.merges)
    assert [r["short"] for r in result.acronyms.rows()] == ["EF"]


def test_pipeline_dataset_rules_find_names(rules_nlp):
    x = extract_papers(PAPERS, rules_nlp).extractions[0]
    datasets = {m.text for m in x.mentions if m.label == "dataset" and m.source == "rule"}
    assert {"ImageNet", "CIFAR-10", "MNIST", "SVHN"} <= datasets


def test_pipeline_references_and_links(rules_nlp):
    xs = extract_papers(PAPERS, rules_nlp).extractions
    assert [(r.first_author, r.year, r.key) for r in xs[0].references] == [("Seide", 2014, "seide-2014")]
    assert [r.key for r in xs[1].references] == ["barron-1993", "arjovsky-2019"]
    assert [x.url for x in xs[0].links] == ["https://github.com/org/ef21"]
    # a URL is never an entity
    assert not any("github" in m.text for m in xs[0].mentions)


def test_pipeline_sentences_cover_the_text(rules_nlp):
    x = extract_papers(PAPERS, rules_nlp).extractions[0]
    abstract = [s for s in x.sentences if s.field == "abstract"]
    assert len(abstract) == 3
    assert abstract[0].start == 0 and abstract[-1].end == len(PAPERS[0].abstract)


def test_pipeline_conflicting_definitions_keep_each_papers_own():
    def x(pid, long):
        return Extraction(pid, pid, (Mention("RL", "method", 0, 2, "abstract", "rl"),),
                          acronyms=(AcronymDefinition("RL", long, "abstract", 5, 5 + len(long)),))
    papers = [Paper("a", "a", "RL ..."), Paper("b", "b", "RL ..."), Paper("c", "c", "RL ...")]
    result = resolve_keys(papers, [x("a", "reinforcement learning"), x("b", "reinforcement learning"),
                                   x("c", "representation learning")])
    keys = [m.key for e in result.extractions for m in e.mentions if m.text == "RL"]
    assert keys == ["reinforcement learning", "reinforcement learning", "representation learning"]
    assert all(r["conflicting"] for r in result.acronyms.rows())


def test_pipeline_spelling_variants_share_a_key():
    def x(pid, text):
        return Extraction(pid, pid, (Mention(text, "method", 0, len(text), "title", text.lower()),))
    papers = [Paper(i, t) for i, t in (("a", "pretraining"), ("b", "pretraining"), ("c", "pre training"))]
    result = resolve_keys(papers, [x("a", "pretraining"), x("b", "pretraining"), x("c", "pre training")])
    assert {m.key for e in result.extractions for m in e.mentions} == {"pretraining"}
    assert [r["reason"] for r in result.merges] == ["variant"]


def test_pipeline_kind_word_merges_only_into_a_key_the_graph_keeps():
    def x(pid, text, label, confidence):
        return Extraction(pid, pid, (Mention(text, label, 0, len(text), "title", normalise_key(text), "model",
                                             confidence),))
    papers = [Paper(i, t) for i, t in (("a", "nonlinear models"), ("b", "non-linear"), ("c", "ImageNet dataset"),
                                       ("d", "ImageNet"))]
    xs = [x("a", "nonlinear models", "method", 0.8), x("b", "non-linear", "method", 0.37),
          x("c", "ImageNet dataset", "dataset", 0.6), x("d", "ImageNet", "dataset", 0.9)]
    keys = {m.text: m.key for e in resolve_keys(papers, xs, head_confidence=0.5).extractions for m in e.mentions}
    assert keys["ImageNet dataset"] == keys["ImageNet"]  # a head the graph keeps gathers its kind word's form
    assert keys["nonlinear models"] != keys["non-linear"]  # a head under the threshold does not
    every = {m.text: m.key for e in resolve_keys(papers, xs).extractions for m in e.mentions}
    assert every["nonlinear models"] == every["non-linear"]  # with no threshold every head does


def test_pipeline_generic_terms_are_not_entities(nlp):
    if not (nlp.has_pipe("ner") or nlp.has_pipe("spancat")):
        pytest.skip("the generic filter is tested with the shipped model")
    filt = nlp.get_pipe("citegraph_generic_filter")
    assert {"model", "approach", "performance", "state of the art"} <= set(filt.generic)
    # annotated in under a fifth of their occurrences in the training split: the seeds' graph's widest hubs
    assert {"training", "feature", "error"} <= set(filt.generic)
    x = extract_papers([Paper("g", "t", "Our approach improves the performance of the model over the state of "
                                         "the art.")], nlp).extractions[0]
    assert not {m.key for m in x.mentions} & {"model", "approach", "performance", "state of the art"}


def test_pipeline_a_name_found_once_is_found_where_it_repeats(nlp):
    text = ("We propose TinyBERT, a small Transformer distilled from BERT. TinyBERT keeps 96% of the accuracy of BERT "
            "on GLUE. TinyBERT is 7.5x smaller and TinyBERT is 9.4x faster.")
    doc = nlp(text)
    found = [e for e in doc.ents if e.text == "TinyBERT"]
    assert found, "the model finds TinyBERT at least once"
    assert len(found) == text.count("TinyBERT") and len({e.label_ for e in found}) == 1
    with nlp.select_pipes(disable=["citegraph_repeats"]):
        alone = [e for e in nlp(text).ents if e.text == "TinyBERT"]
    assert len(alone) < len(found)  # the model alone misses some


def test_pipeline_a_name_of_the_title_is_found_where_the_abstract_repeats_it(nlp):
    from spacy.tokens import Span

    from citegraph.extract.pipeline.repeats import share_names

    title = nlp.make_doc("EControl: Fast Error Feedback with Gaussian Noise")
    abstract = nlp.make_doc("We propose EControl. EControl is fast, and Gaussian noise does not hurt EControl.")
    title.ents = [Span(title, 0, 1, label="method"), Span(title, 7, 8, label="concept")]
    title.ents[0]._.confidence = 0.7
    share_names([title, abstract])
    assert [(e.text, e.label_, e._.confidence) for e in abstract.ents] == [("EControl", "method", 0.7)] * 3
    # a one-word name without an inner capital or digit is not spread from a title-cased text ("Gaussian")

    paper = Paper("p", "EControl: Fast and Robust Error Feedback", "We propose EControl, a new mechanism. "
                  "EControl converges fast and EControl is robust.")
    mentions = extract_papers([paper], nlp).extractions[0].mentions
    by_field = {f: [m for m in mentions if m.text == "EControl" and m.field == f] for f in ("title", "abstract")}
    assert len(by_field["title"]) == 1 and len(by_field["abstract"]) == 3, mentions
    with nlp.select_pipes(disable=["citegraph_repeats"]):  # without it, the span model finds the title's only
        alone = extract_papers([paper], nlp).extractions[0].mentions
    assert len([m for m in alone if m.text == "EControl"]) < 4


def _trained_dir(model):
    """The trained entity component's folder of a saved pipeline (the span model, or an older model's NER)."""
    return next(model / name for name in ("spancat", "ner") if (model / name).is_dir())


def test_pipeline_saved_and_loaded_keeps_component_data(nlp, tmp_path):
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    for name in ("citegraph_rules", "citegraph_generic_filter"):
        assert again.get_pipe(name).to_bytes() == nlp.get_pipe(name).to_bytes()
    text = PAPERS[0].abstract
    assert [(e.text, e.label_) for e in again(text).ents] == [(e.text, e.label_) for e in nlp(text).ents]


def _unbalanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch in "([{") - (ch in ")]}")
        if depth < 0:
            return True
    return depth != 0


def test_pipeline_entity_names_have_no_unbalanced_brackets_on_the_seeds(seeds_build):
    """The model used to take 'learning rate (' or 'Reinforcement Learning (RL)' as one name: separate entities
    in the graph for the same thing."""
    import csv

    rows = list(csv.DictReader(open(seeds_build / "entities.csv", encoding="utf-8")))
    assert rows
    assert [r["name"] for r in rows if _unbalanced(r["name"])] == []
    assert [r["name"] for r in rows if any(c in r["name"] for c in "{}^_\\")] == []  # TeX math is not a name


def test_pipeline_definition_taken_as_one_entity_is_split(nlp):
    # the model takes "Deep Reinforcement Learning (DRL)" as one entity here; "... (DRL) agents" it would keep whole,
    # as SciERC annotates it (splitting that too cost 1.3 points of SciERC dev)
    paper = Paper("q", "t", "Deep Reinforcement Learning (DRL) is studied. We apply DRL to games.")
    x = extract_papers([paper], nlp).extractions[0]
    assert not [m.text for m in x.mentions if "(" in m.text or ")" in m.text]
    keys = {(m.text, m.start) for m in x.mentions if m.key == "deep reinforcement learning"}
    assert {t for t, _ in keys} == {"Deep Reinforcement Learning", "DRL"} and len(keys) == 3  # long form, 2 uses


def test_pipeline_definition_kept_whole_with_its_kind_word_shares_the_key_of_its_forms_on_the_seeds(seeds_build):
    # "two Coordinate Descent (CD) methods": the extractor keeps the span whole (SciERC's convention), the graph
    # must not make it an entity apart from "Coordinate Descent" and "CD"
    import re

    whole = re.compile(r"(.+) \((\S+)\)(?: (method|methods|model|models|algorithm|approach))?")
    checked = 0
    for line in open(seeds_build / "mentions.jsonl", encoding="utf-8"):
        x = json.loads(line)
        defined = {d["short"]: d["long"] for d in x["acronyms"]}
        short_keys = {m["text"]: m["key"] for m in x["mentions"]}
        for m in x["mentions"]:
            match = whole.fullmatch(m["text"])
            if match and defined.get(match[2]) == match[1] and match[2] in short_keys:
                assert m["key"] == short_keys[match[2]], (x["id"], m)
                checked += 1
    assert checked >= 5


def test_pipeline_extraction_read_with_a_string_pool_equals_the_plain_one(rules_nlp):
    # the cache reads its entries with a pool (from_dict(d, pool)); what it hands back must be what reading them
    # plainly gives, and equal strings must be one object across papers
    papers = [Paper("a", "Generative Adversarial Networks (GANs)", "We train GANs on ImageNet (Deng et al., 2009)."),
              Paper("b", "GANs at scale", "GANs and ImageNet, see https://github.com/x/y.")]
    dicts = [x.to_dict() for x in extract_papers(papers, rules_nlp).extractions]
    pool: dict[str, str] = {}
    pooled = [Extraction.from_dict(d, pool) for d in dicts]
    assert pooled == [Extraction.from_dict(d) for d in dicts]
    assert pooled[0].mentions[0].label is pooled[1].mentions[0].label
    first = {m.key: m.key for m in pooled[0].mentions}
    shared = [m.key for m in pooled[1].mentions if m.key in first]
    assert shared and all(k is first[k] for k in shared)


@pytest.mark.parametrize("given", ["loaded", "spec"])
def test_pipeline_extraction_started_gives_extract_raw_results_and_stops_its_workers(rules_nlp, given):
    # --update extracts the day's papers in forked workers while it reads the cache: the results must be what
    # extract_raw gives, whether the workers share this process's pipeline or load it themselves, and leaving the
    # context early (an error, Ctrl-C) must leave no worker behind
    import multiprocessing as mp

    from citegraph.extract.runner.extract import extract_raw

    nlp = rules_nlp if given == "loaded" else PipelineSpec(blank=True)
    papers = [Paper(f"w{i}", f"GANs on ImageNet {i}",
                    f"We train Error Feedback (EF) on CIFAR-{i} (Seide et al., 2014).")
              for i in range(7)]
    with extraction_started(papers, nlp, batch_size=2, n_process=2) as running:
        assert mp.active_children(), "the workers start before the results are asked for"
        got = list(running)
    assert got == extract_raw(papers, rules_nlp, batch_size=2)
    assert not mp.active_children()
    with pytest.raises(RuntimeError), extraction_started(papers, nlp, batch_size=2, n_process=2) as running:
        next(iter(running))
        raise RuntimeError("stop half way")
    assert not mp.active_children(), "a worker outlived the context"


@pytest.mark.timeout(120)
def test_pipeline_workers_that_cannot_load_the_pipeline_report_why(tmp_path):
    # a worker loads the pipeline itself from a PipelineSpec; a damaged model must end the extraction with the
    # load error, not leave the pool starting new workers for ever
    import multiprocessing as mp
    import shutil

    from citegraph.extract.runner.provenance import DEFAULT_MODEL

    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL, model)
    (_trained_dir(model) / "model").write_bytes(b"not weights")
    with pytest.raises(CitegraphError, match="cannot load the spaCy pipeline"):
        with extraction_started(PAPERS, PipelineSpec(str(model)), batch_size=1, n_process=2) as running:
            list(running)
    assert not mp.active_children()


def test_pipeline_info_is_told_from_files_as_load_pipeline_makes_it(nlp, rules_nlp, tmp_path):
    # the cache key and the manifest are made without loading spaCy: they must describe what load_pipeline loads
    import shutil

    from citegraph.extract.runner.provenance import DEFAULT_MODEL

    assert pipeline_info()["components"] == nlp.pipe_names
    assert pipeline_info(blank=True)["components"] == rules_nlp.pipe_names
    assert pipeline_info()["name"] == "en_" + nlp.meta["name"] and pipeline_info()["version"] == nlp.meta["version"]
    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL, model)
    assert pipeline_info(model) == pipeline_info()  # where a model lies is not what it does
    with open(_trained_dir(model) / "model", "ab") as fh:
        fh.write(b"\0")
    assert pipeline_info(model)["digest"] != pipeline_info()["digest"]
    assert pipeline_info(blank=True)["digest"] != pipeline_info()["digest"]
    with pytest.raises(CitegraphError, match="config.cfg is missing"):
        pipeline_info(tmp_path)


_TEXT = st.text(st.characters(), max_size=12)  # quotes, backslashes, control characters, lone surrogates


@settings(max_examples=200, deadline=None)
@given(st.builds(Extraction, _TEXT, _TEXT,
                 st.lists(st.builds(Mention, _TEXT, _TEXT, st.integers(0, 10**6), st.integers(0, 10**6), _TEXT,
                                    _TEXT, _TEXT), max_size=4).map(tuple),
                 st.lists(st.builds(Reference, _TEXT, _TEXT, st.integers(), _TEXT, _TEXT, st.integers(0, 99),
                                    st.integers(0, 99)), max_size=2).map(tuple),
                 st.lists(st.builds(Link, _TEXT, _TEXT, st.integers(0, 99), st.integers(0, 99)), max_size=2).map(tuple),
                 st.lists(st.builds(Sentence, _TEXT, st.integers(0, 99), st.integers(0, 99)), max_size=3).map(tuple),
                 st.lists(st.builds(AcronymDefinition, _TEXT, _TEXT, _TEXT, st.integers(0, 99), st.integers(0, 99)),
                          max_size=2).map(tuple),
                 st.lists(st.builds(Relation, st.integers(0, 99), st.integers(0, 99), _TEXT,
                                    st.floats(0, 1, allow_subnormal=False)), max_size=3).map(tuple)))
def test_pipeline_extraction_to_json_is_the_json_of_to_dict(x):
    # mentions.jsonl is written with to_json's templates: the line json.dumps of to_dict gives, for any text
    assert x.to_json() == json.dumps(x.to_dict(), ensure_ascii=False, sort_keys=True)
    assert Extraction.from_dict(json.loads(x.to_json())) == x
