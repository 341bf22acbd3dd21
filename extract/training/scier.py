"""SciER (Zhang et al., EMNLP 2024) as gold docs: a machine-learning-domain set to measure on, never to train on.

SciER's ``*.jsonl`` holds one full-text paper per line: ``doc_tokens``, ``sentences`` (token lists), ``ner`` (per
sentence ``[start, end, label]``, document token indices, end inclusive) and ``relations`` (per sentence
``[s1, e1, s2, e2, TYPE]``). Each paper is rebuilt as raw text with :func:`~.convert.detokenize`, as SciERC is
(SciER splits hyphens off, ``pre - existing``, so they are glued back as for SciREX, and numbers into single
digits, ``UCF 1 0 1``, glued back by :func:`glue_digits`), and becomes one
:class:`~.convert.GoldDoc` (field ``abstract``, id ``scier:<doc_id>``). Entities map to the product labels
(:data:`SCIER_LABELS`); relations keep SciER's labels, and :data:`SCIER_TO_SCIERC` states which of SciERC's seven
each one means (:func:`to_scierc` applies it), so one relation model is scored on both.

The data is GPL-3.0: code reads it from ``../shared/data/scier`` to measure; nothing derived from it is shipped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from citegraph.extract.training.convert import GoldDoc, detokenize, resolve_overlaps

__all__ = ["SCIER_LABELS", "SCIER_RELATIONS", "SCIER_TO_SCIERC", "read_scier", "to_scierc", "is_scier_record",
           "glue_digits"]

SCIER_LABELS = {"Method": "method", "Task": "task", "Dataset": "dataset"}

#: SciER relation -> (SciERC relation, whether head and tail swap), or None when SciERC has no such relation.
#: SciERC writes ``head LABEL tail``: *method* USED-FOR *task*, *dataset/metric* EVALUATE-FOR *method*,
#: *part* PART-OF *whole*, *kind* HYPONYM-OF *class*.
#:
#: ============== ================ ======= ==================================================================
#: SciER          SciERC           swap    why
#: ============== ================ ======= ==================================================================
#: Used-For       USED-FOR         no      same meaning, same direction (method Used-For task)
#: Evaluated-With EVALUATE-FOR     yes     method Evaluated-With dataset = dataset EVALUATE-FOR method
#: Benchmark-For  EVALUATE-FOR     no      dataset Benchmark-For task = dataset EVALUATE-FOR task
#: Trained-With   USED-FOR         yes     method Trained-With dataset = dataset USED-FOR method
#: Compare-With   COMPARE          no      symmetric in both
#: Part-Of        PART-OF          no      same meaning, same direction
#: SubClass-Of    HYPONYM-OF       no      a subclass is a hyponym
#: SubTask-Of     PART-OF          no      a subtask is part of its task (SciERC's Task PART-OF Task)
#: Synonym-Of     (none)           -       SciERC marks synonyms as coreference, not as a relation
#: ============== ================ ======= ==================================================================
SCIER_TO_SCIERC: dict[str, tuple[str, bool] | None] = {
    "Used-For": ("USED-FOR", False),
    "Evaluated-With": ("EVALUATE-FOR", True),
    "Benchmark-For": ("EVALUATE-FOR", False),
    "Trained-With": ("USED-FOR", True),
    "Compare-With": ("COMPARE", False),
    "Part-Of": ("PART-OF", False),
    "SubClass-Of": ("HYPONYM-OF", False),
    "SubTask-Of": ("PART-OF", False),
    "Synonym-Of": None,
}
SCIER_RELATIONS = tuple(SCIER_TO_SCIERC)

Relation = tuple[int, int, int, int, str]


def is_scier_record(keys: Iterable[str]) -> bool:
    """Whether a JSON record's keys are SciER's (SciERC has ``sentences`` and ``ner`` too, but no ``doc_tokens``).

    >>> is_scier_record({"doc_id", "doc_tokens", "sentences", "ner", "relations"})
    True
    >>> is_scier_record({"doc_key", "sentences", "ner", "relations", "clusters"})
    False
    """
    return {"doc_tokens", "ner"} <= set(keys)


def to_scierc(relations: Iterable[Relation]) -> tuple[Relation, ...]:
    """SciER relations as SciERC relations through :data:`SCIER_TO_SCIERC` (arguments swapped where stated,
    unmapped labels dropped, duplicates merged); a label that is neither SciER's nor SciERC's is an error.

    >>> to_scierc([(0, 4, 10, 15, "Evaluated-With"), (0, 4, 20, 25, "Synonym-Of"), (0, 4, 30, 35, "USED-FOR")])
    ((0, 4, 30, 35, 'USED-FOR'), (10, 15, 0, 4, 'EVALUATE-FOR'))
    """
    from citegraph.extract.training.convert import SCIERC_RELATIONS

    out = set()
    for hs, he, ts, te, label in relations:
        if label in SCIERC_RELATIONS:
            out.add((hs, he, ts, te, label))
            continue
        if label not in SCIER_TO_SCIERC:
            raise ValueError(f"unknown relation label {label!r}; expected one of {SCIER_RELATIONS + SCIERC_RELATIONS}")
        mapped = SCIER_TO_SCIERC[label]
        if mapped is None:
            continue
        name, swap = mapped
        out.add((ts, te, hs, he, name) if swap else (hs, he, ts, te, name))
    return tuple(sorted(out))


def glue_digits(tokens: Sequence[str]) -> list[list[int]]:
    """Groups of token indices that were one word: SciER splits every number into single digits (``UCF 1 0 1``,
    ``[ 1 6 , 2 2 ]``, ``8 5 . 2 %``, ``I 3 D``); consecutive digit tokens, a ``.`` between digits, and a
    number between two capital letters are glued back.

    >>> toks = ["UCF", "1", "0", "1", "at", "8", "5", ".", "2", "%", "by", "I", "3", "D", "."]
    >>> ["".join(toks[i] for i in g) for g in glue_digits(toks)]
    ['UCF', '101', 'at', '85.2', '%', 'by', 'I3D', '.']
    """
    groups: list[list[int]] = []
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        glue = (tok.isdigit() and prev.isdigit()) \
            or (tok == "." and prev.isdigit() and i + 1 < len(tokens) and tokens[i + 1].isdigit()) \
            or (tok.isdigit() and prev == "." and bool(groups) and len(groups[-1]) > 1 and groups[-1][-1] == i - 1)
        if glue and groups:
            groups[-1].append(i)
        else:
            groups.append([i])
    merged: list[list[int]] = []  # "I 3 D", "C 3 D": one name
    for g in groups:
        if len(merged) >= 2 and _letter(tokens, g) and tokens[merged[-1][0]].isdigit() and _letter(tokens, merged[-2]):
            digits = merged.pop()
            merged[-1] = merged[-1] + digits + g
        else:
            merged.append(g)
    return merged


def _letter(tokens: Sequence[str], group: list[int]) -> bool:
    return len(group) == 1 and len(tokens[group[0]]) == 1 and tokens[group[0]].isupper()


def _rebuild(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The raw text of SciER's tokens (digits glued, then :func:`detokenize` with split hyphens joined) and each
    original token's character offsets in it."""
    groups = glue_digits(tokens)
    text, word_offs = detokenize(["".join(tokens[i] for i in g) for g in groups], join_hyphens=True)
    offs: list[tuple[int, int]] = []
    for g, (start, _) in zip(groups, word_offs):
        for i in g:
            offs.append((start, start + len(tokens[i])))
            start += len(tokens[i])
    return text, offs


def read_scier(path: str | Path, stats: Counter | None = None) -> Iterator[GoldDoc]:
    """SciER ``*.jsonl`` (one paper per line) as raw-text :class:`GoldDoc` s with entities and SciER relations.

    ``stats`` (if given) counts ``spans``, ``overlap_dropped`` and ``relations``. A line that is not a SciER record,
    or an unknown entity or relation label, is a ``ValueError`` naming the file and line."""
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                tokens = d["doc_tokens"]
                ner = [tuple(x) for sent in d["ner"] for x in sent]
                rels = [tuple(x) for sent in d.get("relations", []) for x in sent]
                doc_id = str(d["doc_id"])
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"{path}:{line_no}: not a SciER record ({e})") from e
            unknown = {label for _, _, label in ner} - set(SCIER_LABELS)
            unknown_rel = {r[4] for r in rels} - set(SCIER_TO_SCIERC)
            if unknown or unknown_rel:
                raise ValueError(f"{path}:{line_no}: unknown SciER label(s) {sorted(unknown | unknown_rel)}")
            text, offs = _rebuild(tokens)
            spans = [(offs[s][0], offs[e][1], SCIER_LABELS[label]) for s, e, label in ner]
            kept = resolve_overlaps(spans)
            relations = sorted({(offs[s1][0], offs[e1][1], offs[s2][0], offs[e2][1], r) for s1, e1, s2, e2, r in rels})
            if stats is not None:
                stats.update(spans=len(spans), overlap_dropped=len(spans) - len(kept), relations=len(relations))
            yield GoldDoc(f"scier:{doc_id}", "abstract", text, tuple(kept), tuple(relations))
