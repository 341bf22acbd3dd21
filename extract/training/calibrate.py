"""Calibrating the entities' confidence and choosing the confidence threshold on the dev sets.

The shipped pipeline runs over SciERC dev and SciREX held-out (never SciER, which is measure-only, and never a test
split) with its confidence component neutral; each entity it keeps is right (exact span and label) or not. Platt
scaling fits ``a`` and ``b`` of ``sigmoid(a·logit(p) + b)`` to the span model's entities; a rule or acronym entity
the model did not score gets its source's precision (Laplace-smoothed; 0.5 when fewer than
``MIN_EVIDENCE`` of them were predicted); the threshold is the one, in steps of 0.05
from 0 to 0.6, with the best micro-F1 over the two dev sets together. The *graph threshold*, the confidence an
entity needs somewhere in a build to be in its graph, is the one with the best F0.5 (precision weighted twice as
much as recall): an entity links papers, and a wrong one links them wrongly. The result goes into the
``citegraph_confidence`` component of the model directory::

    python -m citegraph.extract.training.calibrate --model extract/models/citegraph_sci
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy

from citegraph.extract.evaluate import gold_labels, load_gold
from citegraph.extract.pipeline.confidence import DEFAULT_DATA, calibrated
from citegraph.extract.pipeline.load import PIPE_CONFIG
from citegraph.extract.training.paths import DEFAULT_DATA as DEFAULT_SHARED
from citegraph.extract.training.paths import HERE

__all__ = ["fit_platt", "choose_threshold", "calibrate", "main"]

log = logging.getLogger(__name__)

MIN_EVIDENCE = 20
#: one predicted entity: its raw model probability (None: not scored by the model), source, and whether it is right
Outcome = tuple[float | None, str, bool]


def fit_platt(scores: Sequence[float], right: Sequence[bool], iterations: int = 50) -> tuple[float, float]:
    """``a, b`` of ``sigmoid(a·logit(p) + b)`` by Newton's method on the log-loss (a tiny ridge keeps it stable).

    >>> a, b = fit_platt([0.9] * 10 + [0.6] * 10, [True] * 8 + [False] * 2 + [True] * 3 + [False] * 7)
    >>> round(calibrated(0.9, a, b), 2), round(calibrated(0.6, a, b), 2)
    (0.8, 0.3)
    """
    p = numpy.clip(numpy.asarray(scores, dtype=float), 1e-6, 1 - 1e-6)
    x = numpy.log(p / (1 - p))
    y = numpy.asarray(right, dtype=float)
    X = numpy.stack([x, numpy.ones_like(x)], axis=1)
    w = numpy.array([1.0, 0.0])
    for _ in range(iterations):
        q = 1 / (1 + numpy.exp(-X @ w))
        grad = X.T @ (q - y) + 1e-4 * w
        hess = (X * (q * (1 - q))[:, None]).T @ X + 1e-4 * numpy.eye(2)
        step = numpy.linalg.solve(hess, grad)
        w -= step
        if numpy.abs(step).max() < 1e-9:
            break
    return round(float(w[0]), 4), round(float(w[1]), 4)


def choose_threshold(sets: Sequence[tuple[Sequence[tuple[float, bool]], int]],
                     grid: Sequence[float] = tuple(i / 20 for i in range(13)), *,
                     beta: float = 1.0) -> tuple[float, dict]:
    """The threshold of ``grid`` with the best micro-F-beta over ``sets`` (each: ``(confidence, right)`` per
    predicted entity and the number of gold entities); ties go to the lower threshold. Returns it and the score of
    each. ``beta`` < 1 weights precision more than recall.

    >>> sets = [([(0.9, True), (0.6, True), (0.4, False), (0.2, True)], 4)]
    >>> choose_threshold(sets, grid=(0.0, 0.3, 0.5))
    (0.0, {0.0: 75.0, 0.3: 57.14, 0.5: 66.67})
    >>> choose_threshold(sets, grid=(0.0, 0.3, 0.5), beta=0.5)
    (0.5, {0.0: 75.0, 0.3: 62.5, 0.5: 83.33})
    """
    scores = {}
    b2 = beta * beta
    for t in grid:
        tp = sum(r for preds, _ in sets for c, r in preds if c >= t)
        fp = sum(not r for preds, _ in sets for c, r in preds if c >= t)
        fn = sum(n for _, n in sets) - tp
        scores[t] = round(100 * (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp), 2) if tp else 0.0
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return best, scores


def _outcomes(nlp, path: Path) -> tuple[list[Outcome], int]:
    """Each predicted entity of ``nlp`` over the gold file ``path`` (its confidence component neutral): the
    model's probability for a span-model entity (one a rule component retyped or split included), None for one a
    rule component added; and the number of gold entities."""
    docs = load_gold(path)
    labels = set(gold_labels(docs))
    out: list[Outcome] = []
    for d, doc in zip(docs, nlp.pipe((d.text for d in docs), component_cfg=PIPE_CONFIG)):
        gold = set(d.entities)
        for e in doc.ents:
            if e.label_ in labels:
                source = e._.source or "model"
                out.append((e._.confidence if source == "model" else None, source,
                            (e.start_char, e.end_char, e.label_) in gold))
    return out, sum(1 for d in docs for s in d.entities if s[2] in labels)


def calibrate(nlp, dev_files: Sequence[Path]) -> dict:
    """The ``citegraph_confidence`` data of ``nlp`` fitted on the gold files ``dev_files`` (see the module)."""
    nlp.get_pipe("citegraph_confidence").initialize(data=DEFAULT_DATA)  # neutral: probabilities as they are
    results = [_outcomes(nlp, Path(f)) for f in dev_files]
    scored = [(c, r) for outs, _ in results for c, _, r in outs if c is not None]
    a, b = fit_platt([c for c, _ in scored], [r for _, r in scored])
    priors = {}
    for source in ("acronym", "rule"):
        rights = [r for outs, _ in results for c, s, r in outs if c is None and s == source]
        # too few to measure: the neutral 0.5 (neither kept nor dropped on so little evidence)
        priors[source] = round((sum(rights) + 1) / (len(rights) + 2), 3) if len(rights) >= MIN_EVIDENCE else 0.5
    sets = [([(round(calibrated(c, a, b), 3) if c is not None else priors.get(s, 0.5), r) for c, s, r in outs], n)
            for outs, n in results]
    threshold, f1 = choose_threshold(sets)
    graph_threshold, f05 = choose_threshold(sets, beta=0.5)
    n = len(scored)
    log.info("calibration on %d scored entities: a=%.3f b=%.3f; priors %s; micro-F1 by threshold %s; F0.5 %s", n,
             a, b, priors, f1, f05)
    return {"a": a, "b": b, "priors": priors, "threshold": threshold, "graph_threshold": graph_threshold,
            "fitted_on": [Path(f).name for f in dev_files], "f1_by_threshold": {str(k): v for k, v in f1.items()},
            "f05_by_threshold": {str(k): v for k, v in f05.items()}}


def _dev_files(data: Path, corpus: Path) -> list[Path]:
    """SciERC dev and the SciREX held-out gold file (written into ``corpus`` by the training command's conversion)."""
    scirex = corpus / "scirex_dev.jsonl"
    if not scirex.exists():
        raise SystemExit(f"{scirex} is missing: run python -m citegraph.extract.training.train --skip-train "
                         "--vectors none first")
    return [data / "scierc" / "dev.json", scirex]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m citegraph.extract.training.calibrate",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, required=True, help="the assembled pipeline directory to calibrate")
    ap.add_argument("--data", type=Path, default=DEFAULT_SHARED,
                    help="the shared data folder (default: ../shared/data)")
    ap.add_argument("--corpus", type=Path, default=HERE / "corpus",
                    help="the training command's corpus folder, with scirex_dev.jsonl (default: %(default)s)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from citegraph.extract.pipeline.load import load_pipeline
    from citegraph.extract.training.model_files import save_components

    nlp = load_pipeline(args.model)
    data = calibrate(nlp, _dev_files(args.data, args.corpus))
    nlp.get_pipe("citegraph_confidence").initialize(data=data)
    save_components(nlp, args.model, ("citegraph_confidence", "citegraph_names"))
    print(json.dumps({k: v for k, v in data.items()}, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
