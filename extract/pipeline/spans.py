"""The span model: candidate spans, an endpoint span encoder and the component that turns the chosen spans into
``doc.ents``.

spaCy's ``spancat_singlelabel`` scores every candidate span and keeps the best non-overlapping ones. Unlike the
transition-based NER, which picks an entity's label at its first token, it labels a span after seeing all of it (the
head noun of ``statistical machine translation system`` is its last word). Two pieces make it fast enough for
abstracts on a CPU:

- :func:`span_candidates` proposes spans of 1 to ``max_size`` tokens that do not start or end on punctuation (other
  than brackets and quotes) and do not cross a sentence-ending mark; on the training split that keeps 99.5% of the
  gold spans with a third fewer candidates than all n-grams.
- :func:`span_endpoints` encodes a span as ``W_first·x_first + W_last·x_last + W_mean·mean(x) + w_width``, then
  maxout and layer normalisation. The three projections are computed once per token and the mean comes from prefix
  sums, so a span costs a few additions instead of copying its tokens and a matrix product (spaCy's
  ``mean_max_reducer``): at 6 to 7 candidates per token that product cost twice the whole CNN.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional

import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import LayerNorm, Model, Ops, chain, get_current_ops, list2ragged, with_getitem
from thinc.types import Floats2d, Ragged

import citegraph.extract.pipeline.entities  # noqa: F401  (the Span extensions: source, confidence)

OPENING = frozenset("([{“‘\"'")
CLOSING = frozenset(")]}”’\"'")
BREAKS = frozenset(".;:?!")
SPANS_KEY = "sc"
CHUNK = 2048  # spans encoded at a time
_OPENING_IDS, _CLOSING_IDS, _BREAK_IDS = (numpy.array([get_string_id(x) for x in sorted(chars)], dtype="uint64")
                                          for chars in (OPENING, CLOSING, BREAKS))


def candidate_spans(doc: Doc, max_size: int) -> numpy.ndarray:
    """``(start, end)`` token offsets of the candidate spans of ``doc`` (int32, shape ``(n, 2)``), by length then
    start."""
    n = len(doc)
    if n == 0:
        return numpy.zeros((0, 2), dtype="i")
    punct, space, orth = doc.to_array([IS_PUNCT, IS_SPACE, ORTH]).T
    punct = (punct | space).astype(bool)
    ok_start = ~punct | numpy.isin(orth, _OPENING_IDS)
    ok_end = ~punct | numpy.isin(orth, _CLOSING_IDS)
    stop = space.astype(bool) | numpy.isin(orth, _BREAK_IDS)
    stops = numpy.concatenate(([0], numpy.cumsum(stop)))  # stops[j] - stops[i]: stop tokens in [i, j)
    out = []
    for size in range(1, min(max_size, n) + 1):
        starts = numpy.arange(n - size + 1)
        ends = starts + size
        keep = ok_start[starts] & ok_end[ends - 1] & (stops[ends] == stops[starts])
        out.append(numpy.stack((starts[keep], ends[keep]), axis=1))
    return numpy.concatenate(out).astype("i")


@registry.misc("citegraph.span_candidates.v1")
def span_candidates(max_size: int) -> Callable[..., Ragged]:
    """A spancat suggester: :func:`candidate_spans` of each doc."""

    def suggest(docs: Iterable[Doc], *, ops: Optional[Ops] = None) -> Ragged:
        ops = ops or get_current_ops()
        spans = [candidate_spans(doc, max_size) for doc in docs]
        lengths = ops.asarray1i([len(s) for s in spans])
        data = numpy.concatenate(spans) if spans else numpy.zeros((0, 2), dtype="i")
        return Ragged(ops.asarray2i(data), lengths)

    return suggest


@registry.architectures("citegraph.SpanEndpoints.v1")
def span_endpoints_model(tok2vec: Model, hidden_size: int, max_width: int, scorer: Model) -> Model:
    """A spancat model: token vectors, the endpoint encoder of the candidate spans, then ``scorer``."""
    model = chain(with_getitem(0, chain(tok2vec, list2ragged())),
                  span_endpoints(hidden_size, max_width),
                  LayerNorm(nI=hidden_size),
                  scorer)
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("scorer", scorer)
    return model


def span_endpoints(hidden_size: int, max_width: int, pieces: int = 3) -> Model:
    return Model("span_endpoints", _forward, init=_init, dims={"nO": hidden_size, "nI": None},
                 attrs={"pieces": pieces, "max_width": max_width}, params={"W": None, "b": None, "width": None})


def _init(model: Model, X=None, Y=None) -> Model:
    if X is not None:
        model.set_dim("nI", X[0].dataXd.shape[1])
    nI, nO, nP = model.get_dim("nI"), model.get_dim("nO"), model.attrs["pieces"]
    rng = numpy.random.default_rng(0)
    scale = numpy.sqrt(6.0 / (nI + nO * nP))
    model.set_param("W", model.ops.asarray2f(rng.uniform(-scale, scale, (3 * nO * nP, nI))))
    model.set_param("b", model.ops.alloc1f(nO * nP))
    model.set_param("width", model.ops.alloc2f(model.attrs["max_width"], nO * nP))
    return model


def _forward(model: Model, inputs: tuple[Ragged, Ragged], is_train: bool):
    X, spans = inputs
    ops = model.ops
    W, b, width = model.get_param("W"), model.get_param("b"), model.get_param("width")
    nO, nP = model.get_dim("nO"), model.attrs["pieces"]
    h = nO * nP
    x = X.dataXd
    n_tokens = x.shape[0]
    offsets = numpy.repeat(numpy.concatenate(([0], numpy.cumsum(X.lengths)[:-1])), spans.lengths)
    starts = spans.dataXd[:, 0] + offsets
    ends = spans.dataXd[:, 1] + offsets
    sizes = (ends - starts).astype("f")
    wid = numpy.minimum(ends - starts, width.shape[0]) - 1
    proj = ops.gemm(x, W, trans2=True)  # (tokens, 3h): first, last and mean projections of every token
    first, last, inner = proj[:, :h], proj[:, h:2 * h], proj[:, 2 * h:]
    sums = numpy.zeros((n_tokens + 1, h), dtype="f")
    numpy.cumsum(inner, axis=0, out=sums[1:])
    width_b = width + b
    Y = numpy.empty((len(starts), nO), dtype="f")
    which = numpy.empty((len(starts), nO), dtype="i")
    for i in range(0, len(starts), CHUNK):  # in chunks that stay in the CPU's cache: memory traffic is the cost here
        s, e = starts[i:i + CHUNK], ends[i:i + CHUNK]
        pre = first[s]
        pre += last[e - 1]
        mean = sums[e]
        mean -= sums[s]
        mean /= sizes[i:i + CHUNK, None]
        pre += mean
        pre += width_b[wid[i:i + CHUNK]]
        Y[i:i + CHUNK], which[i:i + CHUNK] = ops.maxout(pre.reshape((-1, nO, nP)))

    def backprop(dY: Floats2d):
        d_pre = ops.backprop_maxout(dY, which, nP).reshape((-1, h))
        model.inc_grad("b", d_pre.sum(axis=0))
        d_width = ops.alloc2f(*width.shape)
        ops.scatter_add(d_width, ops.asarray1i(wid), d_pre)
        model.inc_grad("width", d_width)
        d_first, d_last, diff = ops.alloc2f(n_tokens, h), ops.alloc2f(n_tokens, h), ops.alloc2f(n_tokens + 1, h)
        ops.scatter_add(d_first, ops.asarray1i(starts), d_pre)
        ops.scatter_add(d_last, ops.asarray1i(ends - 1), d_pre)
        d_mean = d_pre / sizes[:, None]
        ops.scatter_add(diff, ops.asarray1i(starts), d_mean)  # the mean's gradient reaches every token of the span:
        ops.scatter_add(diff, ops.asarray1i(ends), -d_mean)  # +g at the start, -g past the end, then prefix sums
        d_proj = numpy.hstack((d_first, d_last, numpy.cumsum(diff[:-1], axis=0)))
        model.inc_grad("W", ops.gemm(d_proj, x, trans1=True))
        return (Ragged(ops.gemm(d_proj, W), X.lengths), spans)

    return Y, backprop


@Language.component("citegraph_spans_to_ents")
def spans_to_ents(doc: Doc) -> Doc:
    """The spans the span model chose (non-overlapping) become the entities, each with its ``confidence``: the
    model's probability of the span's label."""
    group = doc.spans.get(SPANS_KEY)
    if group is None:
        return doc
    scores = group.attrs.get("scores")
    spans = list(group)
    doc.set_ents(spans)
    if scores is not None and len(scores) == len(spans):
        for span, score in zip(spans, numpy.asarray(scores).reshape(-1).tolist()):
            span._.confidence = score
    return doc
