"""Generic-term suppression, learned from annotated data instead of a hand list.

The rule: a phrase is *generic* when it is frequent in the annotated abstracts (it occurs in at least ``min_df`` of
them) but annotators marked it as a typed entity in fewer than ``max_entity_rate`` of its occurrences. "model",
"approach", "performance" and "state of the art" are everywhere in scientific abstracts and are rarely a typed
entity when they are; "neural network" and "accuracy" are frequent too, but usually annotated, so they stay.
An occurrence inside a longer annotated entity ("model" in "language model") is evidence neither way and is not
counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from citegraph.extract.keys import normalise_key

__all__ = ["learn_generic_terms", "MAX_NGRAM"]

MAX_NGRAM = 4


def learn_generic_terms(docs: Iterable[tuple[Sequence[str], Iterable[tuple[int, int]]]], *, min_df: float = 0.02,
                        min_docs: int = 5, max_entity_rate: float = 0.2) -> dict[str, dict]:
    """Generic phrases (by canonical key) from ``(tokens, typed entity token spans [start, end))`` per abstract.

    >>> docs = [("the model beats the baseline".split(), []),
    ...         ("our model uses neural networks".split(), [(3, 5)]),
    ...         ("a model of neural networks".split(), [(3, 5)])]
    >>> terms = learn_generic_terms(docs, min_df=0.5, min_docs=2)
    >>> "model" in terms, "neural network" in terms
    (True, False)
    """
    df: Counter = Counter()
    occurrences: Counter = Counter()
    as_entity: Counter = Counter()
    n_docs = 0
    for tokens, spans in docs:
        n_docs += 1
        lower = [t.lower() for t in tokens]
        spans = list(spans)
        seen: set[str] = set()
        for i in range(len(lower)):
            for n in range(1, MAX_NGRAM + 1):
                if i + n > len(lower) or not lower[i + n - 1][:1].isalnum() or not lower[i][:1].isalnum():
                    continue
                key = normalise_key(" ".join(lower[i:i + n]))
                seen.add(key)
                if not any(s <= i and i + n <= e and (s, e) != (i, i + n) for s, e in spans):
                    occurrences[key] += 1
        for start, end in spans:
            as_entity[normalise_key(" ".join(lower[start:end]))] += 1
        df.update(seen)
    threshold = max(min_docs, min_df * n_docs)
    return {key: {"df": df[key], "occurrences": occurrences[key], "as_entity": as_entity[key]}
            for key in sorted(df) if df[key] >= threshold
            and as_entity[key] < max_entity_rate * occurrences[key]}
