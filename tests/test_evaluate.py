"""The scorer (pure functions), the gold readers and ``citegraph evaluate``."""

from __future__ import annotations

import json

import pytest
import spacy
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from citegraph.extract.evaluate import gold_labels, load_gold, prf, read_gold_jsonl, score, write_gold_jsonl
from citegraph.extract.pipeline.load import DEFAULT_MODEL, load_pipeline
from citegraph.extract.runner.provenance import TRAINED_COMPONENTS
from citegraph.extract.records import LABELS
from citegraph.extract.training.convert import GoldDoc
from citegraph.graph.cli.main import main


@pytest.mark.parametrize(("gold", "pred", "micro", "untyped"), [
    ([(0, 4, "method")], [(0, 4, "method")], (100.0, 100.0, 100.0), (100.0, 100.0, 100.0)),
    ([(0, 4, "method")], [(0, 4, "task")], (0.0, 0.0, 0.0), (100.0, 100.0, 100.0)),
    ([(0, 4, "method")], [(0, 5, "method")], (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
    ([(0, 4, "method"), (5, 9, "task")], [(0, 4, "method")], (100.0, 50.0, 66.67), (100.0, 50.0, 66.67)),
    ([], [(0, 4, "method")], (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
])
def test_score_exact_span_and_label(gold, pred, micro, untyped):
    s = score([gold], [pred])
    assert (s["micro"]["p"], s["micro"]["r"], s["micro"]["f"]) == micro
    assert (s["untyped"]["p"], s["untyped"]["r"], s["untyped"]["f"]) == untyped


def test_score_per_label_and_ignores_unscored_labels():
    gold = [[(0, 3, "dataset"), (4, 8, "method")], [(0, 2, "metric")]]
    pred = [[(0, 3, "dataset"), (4, 8, "task"), (9, 12, "concept")], [(0, 2, "metric")]]
    s = score(gold, pred, labels=("method", "dataset", "task", "metric"))
    assert s["labels"]["dataset"]["f"] == 100.0
    assert s["labels"]["method"] == prf(0, 0, 1)
    assert s["labels"]["task"] == prf(0, 1, 0)
    assert "concept" not in s["labels"]
    assert (s["micro"]["tp"], s["micro"]["fp"], s["micro"]["fn"]) == (2, 1, 1)
    assert s["untyped"]["tp"] == 3  # the concept span is not scored, untyped neither


def test_score_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown label"):
        score([[]], [[]], labels=("gadget",))
    with pytest.raises(ValueError, match="1 gold documents but 2"):
        score([[]], [[], []])


spans = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 5), st.sampled_from(LABELS)).map(
    lambda t: (t[0], t[0] + t[1], t[2])), max_size=8)


@given(st.lists(spans, min_size=1, max_size=4), st.lists(spans, min_size=1, max_size=4))
def test_score_bounds_and_perfect_prediction(gold, pred):
    pred = (pred + [[]] * len(gold))[:len(gold)]
    s = score(gold, pred)
    for part in [s["micro"], s["untyped"], *s["labels"].values()]:
        assert 0.0 <= part["f"] <= 100.0
    assert s["untyped"]["tp"] >= 0 and s["micro"]["tp"] <= s["untyped"]["tp"] + sum(
        len(g) for g in gold)  # untyped never loses to typed on matching offsets
    perfect = score(gold, gold)
    assert perfect["micro"]["fp"] == perfect["micro"]["fn"] == 0


def test_gold_jsonl_round_trip(tmp_path):
    docs = [GoldDoc("p1", "title", "BERT on GLUE", ((0, 4, "method"), (8, 12, "dataset"))),
            GoldDoc("p1", "abstract", "We evaluate accuracy.", ((12, 20, "metric"),)),
            GoldDoc("p2", "abstract", "Nothing here.", ())]
    path = tmp_path / "gold.jsonl"
    write_gold_jsonl(docs, path)
    assert load_gold(path) == docs
    assert gold_labels(docs) == ("method", "dataset", "metric")


@pytest.mark.parametrize(("entity", "message"), [
    ({"field": "body", "start": 0, "end": 1, "label": "method"}, "unknown field"),
    ({"field": "title", "start": 0, "end": 1, "label": "gadget"}, "unknown label"),
    ({"field": "title", "start": 0, "end": 99, "label": "method"}, "outside the title"),
])
def test_gold_jsonl_errors_name_the_line(tmp_path, entity, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "BERT", "abstract": "", "entities": [entity]}) + "\n")
    with pytest.raises(ValueError, match=f"bad.jsonl:1: .*{message}"):
        read_gold_jsonl(path)


@pytest.fixture()
def ruler_model(tmp_path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "method", "pattern": "BERT"}, {"label": "dataset", "pattern": "GLUE"}])
    nlp.to_disk(tmp_path / "model")
    return tmp_path / "model"


def test_cli_evaluate_table_and_json(tmp_path, ruler_model):
    gold = tmp_path / "gold.jsonl"
    write_gold_jsonl([GoldDoc("p1", "abstract", "BERT beats ELMo on GLUE.",
                              ((0, 4, "method"), (11, 15, "method"), (19, 23, "dataset")))], gold)
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate", str(gold), "--model", str(ruler_model), "--ner-only"])
    assert result.exit_code == 0, result.output
    assert "micro" in result.output and "untyped" in result.output
    result = runner.invoke(main, ["evaluate", str(gold), "--model", str(ruler_model), "--ner-only",
                                  "--format", "json"])
    data = json.loads(result.stdout)
    assert data["scored_labels"] == ["method", "dataset"] and set(data["labels"]) == {"method", "dataset"}
    assert data["micro"]["tp"] == 2 and data["micro"]["fn"] == 1 and data["micro"]["fp"] == 0


def test_cli_evaluate_rejects_unknown_label(tmp_path, ruler_model):
    gold = tmp_path / "gold.jsonl"
    write_gold_jsonl([GoldDoc("p1", "title", "BERT", ((0, 4, "method"),))], gold)
    result = CliRunner().invoke(main, ["evaluate", str(gold), "--labels", "gadget", "--model", str(ruler_model)])
    assert result.exit_code != 0 and "unknown label" in result.output


def test_shipped_model_on_scierc_dev(shared_dir):
    if not (DEFAULT_MODEL / "config.cfg").exists():
        pytest.fail(f"the shipped model is missing at {DEFAULT_MODEL}; run python -m citegraph.extract.training.train")
    nlp = spacy.load(DEFAULT_MODEL)
    assert set(nlp.get_pipe("spancat").labels) == set(LABELS)
    assert {"tok2vec", "spancat", "citegraph_spans_to_ents"} <= set(nlp.pipe_names)
    licences = " ".join(s["license"] for s in nlp.meta["sources"])
    assert "Apache-2.0" in licences and "Luan" in licences
    from citegraph.extract.evaluate import evaluate

    gold = load_gold(shared_dir / "data" / "scierc" / "dev.json")
    full = evaluate(load_pipeline(), gold, LABELS)  # what extract and build run
    nlp.select_pipes(enable=[n for n in nlp.pipe_names if n in TRAINED_COMPONENTS])  # the trained model, no rules
    s = evaluate(nlp, gold, LABELS)
    assert s["micro"]["f"] >= 55.0  # the extractor issue's target, which the span model reached (the NER: 51.7)
    # the rule components may trade a little SciERC F1 for the graph, never several points: acronym spans, and only
    # named datasets (SciERC's Material also holds "English sentences": the generic filter costs 1.2 points with the
    # shipped model, bench/ablate_rules.py), 2.1 in all; a generic-term table that also held "parser" and "natural
    # language" cost 2.6 on its own
    assert full["micro"]["f"] >= s["micro"]["f"] - 2.5, (full["micro"], s["micro"])
    assert full["micro"]["f"] >= 55.0
    # what the trade buys: on machine-learning papers (SciER dev, measured, never trained on) the pipeline beats the
    # model alone, datasets most
    ml = load_gold(shared_dir / "data" / "scier" / "dev.jsonl")
    full_ml, model_ml = evaluate(load_pipeline(), ml), evaluate(nlp, ml)
    assert full_ml["micro"]["f"] > model_ml["micro"]["f"], (full_ml["micro"], model_ml["micro"])
    assert full_ml["labels"]["dataset"]["p"] >= model_ml["labels"]["dataset"]["p"] + 10.0
    assert full_ml["labels"]["dataset"]["f"] > model_ml["labels"]["dataset"]["f"]
