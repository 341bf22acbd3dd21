"""What the relation classifier sees of a pair of entities in a sentence, as sparse string features.

Pure functions over lower-cased words and entity token spans (no spaCy), shared by training and by the pipeline
component, so both see exactly the same features. A pair is two entities of one sentence, ``a`` before ``b``; its
class (:data:`PAIR_CLASSES`) says which relation holds and in which direction: ``USED-FOR>`` is *a* USED-FOR *b*,
``USED-FOR<`` is *b* USED-FOR *a*; the symmetric COMPARE and CONJUNCTION have one class each (emitted once, head
the earlier entity); ``NONE`` is no relation.
"""

from __future__ import annotations

from collections.abc import Sequence

from citegraph.extract.records import RELATION_LABELS

__all__ = ["RELATIONS", "SYMMETRIC", "PAIR_CLASSES", "pair_class", "class_relation", "pair_features",
           "sentence_pairs"]

#: SciERC's seven relation labels, written as the ``mentions.jsonl`` contract writes them
RELATIONS: tuple[str, ...] = RELATION_LABELS
SYMMETRIC: tuple[str, ...] = ("COMPARE", "CONJUNCTION")
PAIR_CLASSES: tuple[str, ...] = ("NONE",) + tuple(
    c for r in RELATIONS for c in ((r,) if r in SYMMETRIC else (r + ">", r + "<")))

Span = tuple[int, int, str]  # token start, token end (exclusive), label


def pair_class(label: str, head_first: bool) -> str:
    """The pair class of relation ``label`` between an earlier and a later entity (``head_first``: the head is the
    earlier one).

    >>> pair_class("USED-FOR", False), pair_class("COMPARE", False)
    ('USED-FOR<', 'COMPARE')
    """
    if label not in RELATIONS:
        raise ValueError(f"unknown relation {label!r}; expected one of {RELATIONS}")
    return label if label in SYMMETRIC else label + (">" if head_first else "<")


def class_relation(cls: str) -> tuple[str, bool] | None:
    """The relation a pair class stands for and whether the earlier entity is its head; ``None`` for ``NONE``.

    >>> class_relation("EVALUATE-FOR<"), class_relation("CONJUNCTION"), class_relation("NONE")
    (('EVALUATE-FOR', False), ('CONJUNCTION', True), None)
    """
    if cls == "NONE":
        return None
    if cls.endswith((">", "<")):
        return cls[:-1], cls.endswith(">")
    return cls, True


def sentence_pairs(ents: Sequence[Span], max_between: int) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of the entities of one sentence (in text order) with at most
    ``max_between`` tokens between them.

    >>> sentence_pairs([(0, 1, "method"), (3, 4, "task"), (20, 22, "dataset")], max_between=16)
    [(0, 1), (1, 2)]
    """
    out = []
    for i in range(len(ents)):
        for j in range(i + 1, len(ents)):
            if ents[j][0] - ents[i][1] > max_between:
                break
            out.append((i, j))
    return out


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-5" if n < 6 else "6-8" if n < 9 else "9-12" if n < 13 else "13+"


def pair_features(words: Sequence[str], sent_start: int, sent_end: int, ents: Sequence[Span], i: int,
                  j: int) -> list[str]:
    """The features of the pair ``ents[i]`` (earlier) and ``ents[j]`` (later) in the sentence
    ``words[sent_start:sent_end]`` (``words`` lower-cased, ``ents`` the sentence's entities in text order).

    >>> f = pair_features("we use bert for question answering .".split(), 0, 7, [(2, 3, "method"), (4, 6, "task")],
    ...                   0, 1)
    >>> "lp=method|task" in f and "btw=for" in f and "lp|btw=method|task|for" in f and "hb=answering" in f
    True
    """
    (a0, a1, la), (b0, b1, lb) = ents[i], ents[j]
    lp = f"{la}|{lb}"
    between = words[a1:b0]
    n = len(between)
    nb = _bucket(n)
    ha, hb = words[a1 - 1], words[b1 - 1]
    f = [f"lp={lp}", f"la={la}", f"lb={lb}", f"ha={ha}", f"hb={hb}", f"ha|hb={ha}|{hb}", f"nb={nb}",
         f"lp|nb={lp}|{nb}", f"ne={min(j - i - 1, 3)}", f"lp|ne={lp}|{min(j - i - 1, 3)}",
         f"fa={words[a0]}", f"fb={words[b0]}"]
    f.extend(f"wa={w}" for w in words[a0:a1])
    f.extend(f"wb={w}" for w in words[b0:b1])
    if n <= 4:
        btw = " ".join(between)
        f.append(f"btw={btw}")
        f.append(f"lp|btw={lp}|{btw}")
    if n:
        f.extend((f"bf={between[0]}", f"bl={between[-1]}", f"lp|bf={lp}|{between[0]}", f"lp|bl={lp}|{between[-1]}"))
        f.extend(f"bw={w}" for w in dict.fromkeys(between))  # in text order: a set's order changes between runs
        f.extend(f"bb={x} {y}" for x, y in zip(between, between[1:]))
    else:
        f.append("adjacent")
    p1 = words[a0 - 1] if a0 - 1 >= sent_start else "<s>"
    p2 = words[a0 - 2] if a0 - 2 >= sent_start else "<s>"
    n1 = words[b1] if b1 < sent_end else "</s>"
    n2 = words[b1 + 1] if b1 + 1 < sent_end else "</s>"
    f.extend((f"p1={p1}", f"p2={p2} {p1}", f"n1={n1}", f"n2={n1} {n2}", f"lp|p1={lp}|{p1}", f"lp|n1={lp}|{n1}"))
    if ha == hb:
        f.append("same_head")
    return f
