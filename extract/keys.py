"""Canonical keys: one key for every spelling of the same thing (case, plural, hyphen/space variants).

Pure functions, tested without a pipeline. Acronyms are resolved on top of these keys by
:mod:`citegraph.extract.acronyms`.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_key", "singular", "compact", "is_acronym", "alternation", "KIND_WORDS", "without_kind_word",
           "takes_kind_word", "whole_definition"]

#: kind words that follow a name ("ImageNet dataset", "BLEU score", "BERT model"), and the label they give it
KIND_WORDS: dict[str, str] = {
    "dataset": "dataset", "datasets": "dataset", "benchmark": "dataset", "benchmarks": "dataset",
    "corpus": "dataset", "corpora": "dataset",
    "model": "method", "models": "method", "method": "method", "methods": "method",
    "score": "metric", "scores": "metric", "metric": "metric",
}

_DASHES = re.compile(r"[\u2010-\u2015\u2212_/-]+")
_DETERMINERS = {"the", "a", "an", "our", "their", "its", "this", "these", "those", "that", "such"}
# words whose final "s" is not a plural
_INVARIANT = re.compile(r"(ss|us|is|ics|ous|ness|sis|xis|ies_)$")
_IRREGULAR = {"indices": "index", "matrices": "matrix", "vertices": "vertex", "criteria": "criterion",
              "phenomena": "phenomenon", "corpora": "corpus", "data": "data", "analyses": "analysis",
              "hypotheses": "hypothesis", "bases": "basis", "series": "series", "species": "species",
              "gas": "gas", "bias": "bias", "lens": "lens", "axes": "axis"}


def is_acronym(text: str) -> bool:
    """An acronym: 2–10 characters, starts with a letter or digit, at least two capitals.

    >>> [is_acronym(t) for t in ("GAN", "GANs", "EF21", "BERT", "Model", "x")]
    [True, True, True, True, False, False]
    """
    return (2 <= len(text) <= 10 and " " not in text and text[0].isalnum()
            and sum(c.isupper() for c in text) >= 2)


def singular(word: str) -> str:
    """English singular of a lowercase word, by rules that err on the side of leaving the word alone.

    >>> [singular(w) for w in ("networks", "strategies", "losses", "analysis", "matrices", "gans", "biases",
    ...                        "approaches")]
    ['network', 'strategy', 'loss', 'analysis', 'matrix', 'gan', 'bias', 'approach']
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.endswith("s") or not word[:-1].isalpha():
        return word
    if _INVARIANT.search(word):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes", "iases")):
        return word[:-2]
    return word[:-1]


def normalise_key(text: str) -> str:
    """The canonical key of a surface form.

    Unicode-normalised, case-folded, hyphens/slashes/underscores read as spaces, leading determiners dropped,
    last word singular, and acronym plurals (``GANs``) reduced.

    >>> normalise_key("Generative Adversarial Networks")
    'generative adversarial network'
    >>> normalise_key("the multi-task  learning") == normalise_key("Multi task learning")
    True
    >>> normalise_key("GANs")
    'gan'
    >>> normalise_key("CIFAR-10")
    'cifar 10'
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if is_acronym(text) and text.endswith("s") and text[:-1].isupper():
        text = text[:-1]
    text = _DASHES.sub(" ", text).casefold()
    words = re.findall(r"[\w.+#']+", text)
    words = [w.strip(".'") or w for w in words]
    while len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    if not words:
        return text.strip()
    words[-1] = singular(words[-1])
    return " ".join(words)


def _stem(word: str) -> str:
    # no "-ing": "modeling" is not "model", "meaning" not "mean", "sampling complexity" not "sample complexity"
    for suffix in ("ed", "es", "e", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def compact(key: str) -> str:
    """A key with its spaces removed and its words lightly stemmed, to merge spelling variants such as
    ``pre training`` / ``pretraining`` and ``mean square error`` / ``mean squared error``.

    >>> compact("multi task learning") == compact("multitask learning")
    True
    >>> compact("mean square error") == compact("mean squared error")
    True
    >>> compact("generative model") == compact("generative modeling")
    False
    """
    return "".join(_stem(w) for w in key.split())


def alternation(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first where one is a prefix of another, written as a trie.

    ``re`` tries the branches of ``A|B|C`` one by one at every position of the text; a trie tries one character
    at a time, so scanning abstracts for a corpus's few hundred short forms is about three times faster. It matches
    exactly what the plain alternation of the words sorted longest first does.

    >>> alternation(["GAN", "GANs", "GPT", "BERT"])
    '(?:BERT|G(?:ANs?|PT))'
    >>> re.findall(alternation(["GAN", "GANs", "DC-GAN"]), "DC-GAN and GANs, not GA")
    ['DC-GAN', 'GANs']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        if len(branches) == 1 and len(branches[0]) == 1:  # a single character
            return branches[0] + "?"
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body  # greedy: the longer word is tried first

    pattern = emit(trie)
    return pattern if pattern.startswith("(?:") else f"(?:{pattern})"


#: kind words that only merge keys ("question answering task" with "question answering"): they are not cut off a
#: span, where they belong to names as often as not ("EM algorithm", "CoLA task")
MERGE_KIND_WORDS = frozenset(KIND_WORDS) | {"task", "problem", "method", "algorithm", "approach", "technique"}

#: the labels a key may have to take ``key + kind word`` into it, by the kind word's label: a score is a metric's
#: ("BLEU score"; "CLIP score" is no CLIP), a benchmark a dataset's ("question answering benchmark" is no task), a
#: model or method a method's or a task's ("reinforcement learning algorithm"; "latent variable model" is no
#: latent variable); a task or problem may be named after anything ("CoLA task", "bilevel optimization problem")
_HEAD_LABELS = {"metric": {"metric"}, "dataset": {"dataset"}, "method": {"method", "task"}}


def takes_kind_word(head_label: str, kind_word: str) -> bool:
    """Whether a key labelled ``head_label`` takes the key that adds ``kind_word`` to it.

    >>> takes_kind_word("metric", "score"), takes_kind_word("method", "score"), takes_kind_word("task", "method")
    (True, False, True)
    >>> takes_kind_word("concept", "model"), takes_kind_word("method", "problem")
    (False, True)
    """
    allowed = _HEAD_LABELS.get(KIND_WORDS.get(kind_word, "method" if kind_word in ("algorithm", "approach",
                                                                                   "technique") else "task"))
    return allowed is None or head_label in allowed


def without_kind_word(key: str) -> str | None:
    """The key without its final kind word (``imagenet dataset`` -> ``imagenet``), or None when it has none.

    >>> without_kind_word("imagenet dataset"), without_kind_word("question answering task")
    ('imagenet', 'question answering')
    >>> without_kind_word("dataset") is None, without_kind_word("neural network") is None
    (True, True)
    """
    head, _, last = key.rpartition(" ")
    return head if head and last in MERGE_KIND_WORDS else None


_WHOLE_DEFINITION = re.compile(r"(?P<long>[^()]+?) \((?P<short>[^()\s]+)\)(?: (?P<kind>[\w-]+))?")


def whole_definition(text: str) -> tuple[str, str] | None:
    """The long and the short form of a mention that is a whole definition, with or without a kind word after it
    ("Coordinate Descent (CD) methods"); None for any other text.

    >>> whole_definition("Coordinate Descent (CD) methods"), whole_definition("Markov random field (MRF)")
    (('Coordinate Descent', 'CD'), ('Markov random field', 'MRF'))
    >>> whole_definition("Lovasz (1979) bound") is None, whole_definition("CD methods") is None
    (True, True)
    """
    match = _WHOLE_DEFINITION.fullmatch(text)
    if match is None or (match["kind"] and match["kind"].lower() not in MERGE_KIND_WORDS):
        return None
    return match["long"], match["short"]
