"""The span model's own parts: candidate spans, the endpoint encoder's gradients, spans becoming entities."""

from __future__ import annotations

import numpy
import spacy
from thinc.types import Ragged

from citegraph.extract.pipeline.spans import candidate_spans, span_candidates, span_endpoints, spans_to_ents


def _spans(doc, max_size=10):
    return [doc[s:e].text for s, e in candidate_spans(doc, max_size).tolist()]


def test_candidates_do_not_start_or_end_on_punctuation_or_cross_a_sentence_end():
    nlp = spacy.blank("en")
    doc = nlp("We fine-tune BERT (Devlin et al.) on GLUE, SQuAD and XNLI. Results: 90.1 F1.")
    spans = _spans(doc)
    assert {"BERT", "BERT (Devlin", "GLUE", "SQuAD and XNLI", "(Devlin", "90.1 F1"} <= set(spans)
    assert not [s for s in spans if s[0] in ",.;:-" or s[-1] in ",;:-"]
    assert "XNLI. Results" not in spans and not [s for s in spans if "XNLI." in s and s != "XNLI."]
    assert max(len(nlp.make_doc(s)) for s in spans) <= 10
    assert all(len(nlp.make_doc(s)) <= 3 for s in _spans(doc, 3))
    assert candidate_spans(nlp(""), 10).shape == (0, 2)


def test_suggester_gives_each_doc_its_candidates_in_order():
    nlp = spacy.blank("en")
    docs = [nlp("graph neural network"), nlp(""), nlp("ImageNet")]
    out = span_candidates(4)(docs)
    assert out.lengths.tolist() == [6, 0, 1]
    assert out.dataXd.tolist()[-1] == [0, 1]


def test_endpoint_encoder_gradients_match_finite_differences():
    # the encoder is written by hand (first, last and mean projections, mean by prefix sums): a wrong backward pass
    # trains a worse model without any error, so its gradients are checked against the function itself
    rng = numpy.random.default_rng(0)
    model = span_endpoints(4, 3, pieces=2)
    lengths = numpy.array([5, 3], dtype="i")
    x = rng.normal(size=(8, 6)).astype("f")
    spans = Ragged(numpy.array([[0, 1], [1, 4], [2, 5], [0, 2], [1, 3], [0, 3]], dtype="i"),
                   numpy.array([3, 3], dtype="i"))
    model.initialize(X=(Ragged(x, lengths), spans))
    model.set_param("width", rng.normal(size=model.get_param("width").shape).astype("f"))
    y, backprop = model((Ragged(x, lengths), spans), is_train=True)
    g = rng.normal(size=y.shape).astype("f")
    dx = backprop(g)[0].dataXd

    def loss(xx):
        return float((model.predict((Ragged(xx, lengths), spans)) * g).sum())

    numeric = numpy.zeros_like(x)
    for i, j in numpy.ndindex(*x.shape):
        up, down = x.copy(), x.copy()
        up[i, j] += 1e-2
        down[i, j] -= 1e-2
        numeric[i, j] = (loss(up) - loss(down)) / 2e-2
    assert numpy.linalg.norm(numeric - dx) / numpy.linalg.norm(numeric) < 0.01
    w_grad = model.get_grad("W")
    assert numpy.abs(w_grad).sum() > 0 and numpy.abs(model.get_grad("width")).sum() > 0


def test_chosen_spans_become_the_entities():
    nlp = spacy.blank("en")
    doc = nlp("BERT beats ELMo on GLUE")
    doc.spans["sc"] = [doc.char_span(0, 4, label="method"), doc.char_span(19, 23, label="dataset")]
    assert [(e.text, e.label_) for e in spans_to_ents(doc).ents] == [("BERT", "method"), ("GLUE", "dataset")]
