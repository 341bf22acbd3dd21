"""SciER as gold docs: raw text rebuilt from its tokens, entity labels, relations and their mapping to SciERC's."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import spacy
from click.testing import CliRunner

from citegraph.extract.evaluate import load_gold
from citegraph.extract.training.convert import SCIERC_RELATIONS, AlignStats, align, read_scierc
from citegraph.extract.training.scier import SCIER_TO_SCIERC, read_scier, to_scierc
from citegraph.graph.cli.main import main


@pytest.fixture(scope="module", params=["dev.jsonl", "test.jsonl"])
def scier_split(request, shared_dir):
    path = shared_dir / "data" / "scier" / request.param
    counts = Counter()
    return path, list(read_scier(path, counts)), counts


def test_scier_rebuilt_text_keeps_every_entity_and_relation_argument(scier_split):
    path, docs, counts = scier_split
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(docs) == len(raw) >= 9
    for doc, rec in zip(docs, raw):
        tokens = rec["doc_tokens"]
        # the same words as SciER's tokens, spaces aside, for every gold span and both arguments of every relation
        gold_spans = sorted({(a, b) for sent in rec["ner"] for a, b, _ in sent})
        assert [doc.text[s:e].replace(" ", "") for s, e, _ in doc.entities] == \
            ["".join(tokens[a:b + 1]) for a, b in gold_spans]
        args = sorted({(r[0], r[1]) for sent in rec["relations"] for r in sent}
                      | {(r[2], r[3]) for sent in rec["relations"] for r in sent})
        spans = {(s, e) for s, e, *_ in doc.relations} | {(s, e) for _, _, s, e, _ in doc.relations}
        assert sorted(doc.text[s:e].replace(" ", "") for s, e in spans) == \
            sorted("".join(tokens[a:b + 1]) for a, b in args)
    assert {lab for d in docs for *_, lab in d.entities} == {"method", "task", "dataset"}
    assert {r[4] for d in docs for r in d.relations} == set(SCIER_TO_SCIERC)
    assert counts["relations"] == sum(len(d.relations) for d in docs) > 900
    assert " - " not in docs[0].text[:2000]  # split hyphens glued back: "pre-existing", not "pre - existing"


def test_scier_aligns_on_spacy_tokens(scier_split):
    _, docs, _ = scier_split
    nlp = spacy.blank("en")
    stats = AlignStats()
    for g in docs:
        align(nlp.make_doc(g.text), g.entities, stats)
    assert stats.exact / stats.total > 0.97, stats.as_dict()


def test_to_scierc_maps_swaps_and_drops():
    rels = [(0, 1, 5, 6, "Evaluated-With"), (0, 1, 5, 6, "Trained-With"), (0, 1, 5, 6, "Benchmark-For"),
            (0, 1, 5, 6, "Synonym-Of"), (0, 1, 5, 6, "SubTask-Of"), (0, 1, 5, 6, "SubClass-Of")]
    assert set(to_scierc(rels)) == {(5, 6, 0, 1, "EVALUATE-FOR"), (5, 6, 0, 1, "USED-FOR"),
                                    (0, 1, 5, 6, "EVALUATE-FOR"), (0, 1, 5, 6, "PART-OF"), (0, 1, 5, 6, "HYPONYM-OF")}
    assert {m[0] for m in SCIER_TO_SCIERC.values() if m} <= set(SCIERC_RELATIONS)
    with pytest.raises(ValueError, match="unknown relation label 'Likes'"):
        to_scierc([(0, 1, 2, 3, "Likes")])


def test_scier_bad_record_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "1", "doc_tokens": ["a"], "ner": [[[0, 0, "Gadget"]]], "relations": [[]]}\n',
                   encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: unknown SciER label\(s\) \['Gadget'\]"):
        list(read_scier(bad))


def test_scierc_relations_leave_out_generic_arguments(shared_dir):
    counts = Counter()
    docs = list(read_scierc(shared_dir / "data" / "scierc" / "dev.json", counts))
    raw_total = sum(len(s) for line in (shared_dir / "data" / "scierc" / "dev.json").read_text().splitlines()
                    if line.strip() for s in json.loads(line)["relations"])
    assert raw_total == 455
    assert counts["relations"] + counts["relations_generic"] == raw_total and counts["relations_generic"] > 50
    assert {r[4] for d in docs for r in d.relations} == set(SCIERC_RELATIONS)
    generic = {"this method", "method", "approach", "it"}
    assert not any(d.text[r[0]:r[1]].lower() in generic and d.text[r[2]:r[3]].lower() in generic
                   for d in docs for r in d.relations)


def test_cli_evaluate_reads_scier_as_scier(shared_dir, tmp_path):
    path = shared_dir / "data" / "scier" / "dev.jsonl"
    docs = load_gold(path)
    assert docs[0].id.startswith("scier:")
    # a one-paper file through the command with a dictionary model: scored on SciER's three labels
    one = tmp_path / "one.jsonl"
    one.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "method", "pattern": "CNNs"}])
    nlp.to_disk(tmp_path / "model")
    result = CliRunner().invoke(main, ["evaluate", str(one), "--model", str(tmp_path / "model"), "--ner-only",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scored_labels"] == ["method", "dataset", "task"]
    assert data["labels"]["method"]["tp"] > 0 and data["labels"]["dataset"]["tp"] == 0
