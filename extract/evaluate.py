"""Scoring an entity extractor against gold abstracts, from raw text.

Gold comes from a SciERC-format file or a SciER file (rebuilt as raw text exactly as for training, see
:mod:`citegraph.extract.training.convert` and :mod:`~citegraph.extract.training.scier`) or from the project's
JSONL gold format, one paper per line::

    {"id": "p1", "title": "...", "abstract": "...",
     "entities": [{"field": "abstract", "start": 0, "end": 8, "label": "method"}]}

(``field`` is ``title`` or ``abstract``, offsets are characters, end exclusive, ``label`` one of
:data:`~citegraph.extract.records.LABELS`). Scores are exact span + label matches: precision, recall and F1 per label,
micro-averaged, and the untyped span match. Only the labels being scored count on either side, so a gold file
without ``concept`` annotations is scored on the four labels it has.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from citegraph.extract.pipeline.load import PIPE_CONFIG
from citegraph.extract.records import LABELS
from citegraph.extract.training.convert import GoldDoc, read_scierc
from citegraph.extract.training.scier import is_scier_record, read_scier

__all__ = ["load_gold", "read_gold_jsonl", "write_gold_jsonl", "prf", "score", "predict", "evaluate",
           "gold_labels", "format_table", "canonical_relations", "gold_relation_labels", "score_relations",
           "predict_relations", "evaluate_relations"]

Span = tuple[int, int, str]
Relation = tuple[int, int, int, int, str]


def read_gold_jsonl(path: str | Path) -> list[GoldDoc]:
    """The project's JSONL gold format as one :class:`GoldDoc` per non-empty field."""
    docs: list[GoldDoc] = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                by_field: dict[str, list[Span]] = {"title": [], "abstract": []}
                for e in rec.get("entities", []):
                    if e["field"] not in by_field:
                        raise ValueError(f"unknown field {e['field']!r}; expected title or abstract")
                    if e["label"] not in LABELS:
                        raise ValueError(f"unknown label {e['label']!r}; expected one of {LABELS}")
                    text = rec.get(e["field"]) or ""
                    if not 0 <= int(e["start"]) < int(e["end"]) <= len(text):
                        raise ValueError(f"span {e['start']}-{e['end']} outside the {e['field']}")
                    by_field[e["field"]].append((int(e["start"]), int(e["end"]), e["label"]))
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"{path}:{line_no}: bad gold record: {e}") from e
            for field_name, spans in by_field.items():
                if rec.get(field_name):
                    docs.append(GoldDoc(str(rec["id"]), field_name, rec[field_name], tuple(sorted(spans))))
    return docs


def write_gold_jsonl(docs: Iterable[GoldDoc], path: str | Path) -> None:
    """Write :class:`GoldDoc` s in the project's JSONL gold format, grouping fields by ``id`` in first-seen order."""
    papers: dict[str, dict] = {}
    for d in docs:
        rec = papers.setdefault(d.id, {"id": d.id, "title": "", "abstract": "", "entities": []})
        if rec[d.field]:
            raise ValueError(f"paper {d.id!r} has two {d.field} texts")
        rec[d.field] = d.text
        rec["entities"].extend({"field": d.field, "start": s, "end": e, "label": lab} for s, e, lab in d.entities)
    with open(path, "w", encoding="utf-8") as f:
        for rec in papers.values():
            f.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Gold docs from a SciERC ``.json`` file, a SciER ``.jsonl`` file or a project ``.jsonl`` gold file (told apart
    by their keys: SciER has ``doc_tokens``, SciERC ``sentences`` and ``ner`` without it, the project's gold
    ``entities``)."""
    path = Path(path)
    with open(path, encoding="utf-8") as f:
        first = next((line for line in f if line.strip()), "")
    try:
        keys = set(json.loads(first)) if first else set()
    except ValueError as e:
        raise ValueError(f"{path}: the first record is not JSON ({e})") from e
    if is_scier_record(keys):
        return list(read_scier(path))
    if {"sentences", "ner"} <= keys:
        return list(read_scierc(path))
    if "entities" in keys:
        return read_gold_jsonl(path)
    raise ValueError(f"{path}: neither SciERC (sentences, ner), SciER (doc_tokens, ner) nor citegraph gold "
                     "(id, title, abstract, entities)")


def gold_labels(docs: Iterable[GoldDoc]) -> tuple[str, ...]:
    """The labels a gold set annotates, in :data:`LABELS` order."""
    seen = {lab for d in docs for _, _, lab in d.entities}
    return tuple(lab for lab in LABELS if lab in seen)


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 in percent (0 when undefined).

    >>> prf(3, 1, 2)
    {'p': 75.0, 'r': 60.0, 'f': 66.67, 'tp': 3, 'fp': 1, 'fn': 2}
    >>> prf(0, 0, 0)['f']
    0.0
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(100 * p, 2), "r": round(100 * r, 2), "f": round(100 * f, 2), "tp": tp, "fp": fp, "fn": fn}


def score(gold: Sequence[Iterable[Span]], predicted: Sequence[Iterable[Span]],
          labels: Sequence[str] = LABELS) -> dict:
    """Exact span + label scores of ``predicted`` against ``gold`` (one span list per document, same order).

    Spans whose label is not in ``labels`` are ignored on both sides. Returns ``{"labels": {label: prf},
    "micro": prf, "untyped": prf, "docs": n}``; ``untyped`` matches offsets only.

    >>> s = score([[(0, 4, "method"), (10, 15, "task")]], [[(0, 4, "method"), (10, 15, "metric"), (20, 22, "x")]],
    ...           labels=("method", "task", "metric"))
    >>> s["micro"]["f"], s["untyped"]["f"], s["labels"]["task"]["r"]
    (50.0, 100.0, 0.0)
    """
    unknown = set(labels) - set(LABELS)
    if unknown:
        raise ValueError(f"unknown label(s) {sorted(unknown)}; expected some of {LABELS}")
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted")
    wanted = set(labels)
    return _scores(labels, [({s for s in g_doc if s[2] in wanted}, {s for s in p_doc if s[2] in wanted})
                            for g_doc, p_doc in zip(gold, predicted)],
                   label=lambda s: s[2], untyped=lambda s: s[:2])


def _scores(labels: Sequence[str], docs: Sequence[tuple[set, set]], *, label, untyped) -> dict:
    """Precision, recall and F1 per label, micro-averaged and untyped over ``docs`` (each a pair of gold and predicted
    sets of items): ``label(item)`` is an item's label, ``untyped(item)`` what must match when the label does not
    count."""
    counts = {lab: [0, 0, 0] for lab in labels}
    plain = [0, 0, 0]
    for g, p in docs:
        for lab in labels:
            gl = {x for x in g if label(x) == lab}
            pl = {x for x in p if label(x) == lab}
            counts[lab][0] += len(gl & pl)
            counts[lab][1] += len(pl - gl)
            counts[lab][2] += len(gl - pl)
        gu, pu = {untyped(x) for x in g}, {untyped(x) for x in p}
        plain[0] += len(gu & pu)
        plain[1] += len(pu - gu)
        plain[2] += len(gu - pu)
    micro = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"labels": {lab: prf(*c) for lab, c in counts.items()}, "micro": prf(*micro), "untyped": prf(*plain),
            "docs": len(docs)}


def predict(nlp, docs: Sequence[GoldDoc], *, batch_size: int = 64) -> list[list[Span]]:
    """``doc.ents`` of ``nlp`` run over each gold text, as character spans."""
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in nlp.pipe((d.text for d in docs), batch_size=batch_size, component_cfg=PIPE_CONFIG)]


def evaluate(nlp, docs: Sequence[GoldDoc], labels: Sequence[str] | None = None, *, batch_size: int = 64) -> dict:
    """Run ``nlp`` over the gold texts and score its entities (on ``labels``, default: those the gold has); when the
    gold has relations and ``nlp`` the relation component, its relations too (``"relations"``:
    :func:`score_relations`), from the same run."""
    labels = tuple(labels) if labels else gold_labels(docs)
    with_relations = "citegraph_relations" in nlp.pipe_names and any(d.relations for d in docs)
    ents, rels = [], []
    for doc in nlp.pipe((d.text for d in docs), batch_size=batch_size):
        ents.append([(e.start_char, e.end_char, e.label_) for e in doc.ents])
        if with_relations:
            rels.append([r[:5] for r in doc._.relations or ()])
    scores = score([d.entities for d in docs], ents, labels)
    if with_relations:
        scores["relations"] = score_relations([d.relations for d in docs], rels, gold_relation_labels(docs))
    return scores


def canonical_relations(relations: Iterable[Relation]) -> set[Relation]:
    """Relations as SciERC's seven (SciER's labels mapped by :func:`~.training.scier.to_scierc`), each symmetric
    one (COMPARE, CONJUNCTION) written once with the earlier argument first, so either direction matches.

    >>> sorted(canonical_relations([(9, 12, 0, 4, "COMPARE"), (0, 4, 9, 12, "COMPARE"), (0, 4, 9, 12, "Used-For")]))
    [(0, 4, 9, 12, 'COMPARE'), (0, 4, 9, 12, 'USED-FOR')]
    """
    from citegraph.extract.relation_features import SYMMETRIC
    from citegraph.extract.training.scier import to_scierc

    out = set()
    for hs, he, ts, te, label in to_scierc(relations):
        if label in SYMMETRIC and (ts, te) < (hs, he):
            hs, he, ts, te = ts, te, hs, he
        out.add((hs, he, ts, te, label))
    return out


def gold_relation_labels(docs: Iterable[GoldDoc]) -> tuple[str, ...]:
    """The relation labels a gold set annotates once mapped to SciERC's (SciER has no FEATURE-OF or CONJUNCTION)."""
    from citegraph.extract.relation_features import RELATIONS

    seen = {r[4] for d in docs for r in canonical_relations(d.relations)}
    return tuple(lab for lab in RELATIONS if lab in seen)


def score_relations(gold: Sequence[Iterable[Relation]], predicted: Sequence[Iterable[Relation]],
                    labels: Sequence[str] | None = None) -> dict:
    """SciERC's "Rel" score: a predicted relation is right when both argument spans are exact and the label is
    right (symmetric relations in either direction). Per label, micro-averaged, and ``untyped`` (both spans right,
    any label, any direction). Only ``labels`` (default: all seven) count, on either side, so a gold set without
    some of them is scored on those it has.

    >>> s = score_relations([[(0, 4, 9, 12, "USED-FOR"), (0, 4, 20, 25, "COMPARE")]],
    ...                     [[(0, 4, 9, 12, "USED-FOR"), (20, 25, 0, 4, "COMPARE"), (9, 12, 20, 25, "PART-OF")]])
    >>> s["micro"]["p"], s["micro"]["r"], s["labels"]["COMPARE"]["f"]
    (66.67, 100.0, 100.0)
    """
    from citegraph.extract.relation_features import RELATIONS

    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted")
    labels = tuple(labels) if labels else RELATIONS
    unknown = set(labels) - set(RELATIONS)
    if unknown:
        raise ValueError(f"unknown relation label(s) {sorted(unknown)}; expected some of {RELATIONS}")
    wanted = set(labels)
    return _scores(labels, [({r for r in canonical_relations(g_doc) if r[4] in wanted},
                             {r for r in canonical_relations(p_doc) if r[4] in wanted})
                            for g_doc, p_doc in zip(gold, predicted)],
                   label=lambda r: r[4], untyped=lambda r: tuple(sorted((r[:2], r[2:4]))))


def predict_relations(nlp, docs: Sequence[GoldDoc], *, batch_size: int = 64) -> list[list[Relation]]:
    """``doc._.relations`` of ``nlp`` (which must hold the ``citegraph_relations`` component) over each gold text,
    as ``(head_start, head_end, tail_start, tail_end, label)``."""
    if "citegraph_relations" not in nlp.pipe_names:
        raise ValueError(f"the pipeline has no citegraph_relations component (it has {nlp.pipe_names})")
    return [[r[:5] for r in doc._.relations or ()]
            for doc in nlp.pipe((d.text for d in docs), batch_size=batch_size)]


def evaluate_relations(nlp, docs: Sequence[GoldDoc], *, batch_size: int = 64) -> dict:
    """Run ``nlp`` over the gold texts and score its relations end to end (its own entities) with
    :func:`score_relations`, on the labels the gold has."""
    return score_relations([d.relations for d in docs], predict_relations(nlp, docs, batch_size=batch_size),
                           gold_relation_labels(docs))


def format_table(scores: dict) -> str:
    """A plain-text table of :func:`score` output.

    >>> print(format_table(score([[(0, 1, "task")]], [[(0, 1, "task")]], labels=("task",))))
    label        P      R      F1    gold  pred
    task     100.0  100.0   100.0       1     1
    micro    100.0  100.0   100.0       1     1
    untyped  100.0  100.0   100.0       1     1
    """
    rows = [("label", "P", "R", "F1", "gold", "pred")]
    items = list(scores["labels"].items()) + [("micro", scores["micro"]), ("untyped", scores["untyped"])]
    for name, s in items:
        rows.append((name, f"{s['p']:.1f}", f"{s['r']:.1f}", f"{s['f']:.1f}", str(s["tp"] + s["fn"]),
                     str(s["tp"] + s["fp"])))
    w = max(8, max(len(r[0]) for r in rows) + 1)
    return "\n".join(f"{r[0]:<{w}}{r[1]:>6} {r[2]:>6} {r[3]:>7} {r[4]:>7} {r[5]:>5}" for r in rows)
