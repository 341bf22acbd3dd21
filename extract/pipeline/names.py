"""Names, not phrases: ``X dataset``, ``X benchmark``, ``X corpus``, ``X model``, ``X score`` give the name ``X``,
and the kind word says what ``X`` is.

The span model learned from SciERC and SciREX, which mostly keep the kind word inside the span ("ImageNet dataset",
"BLEU score"); what links papers in the graph is the name, so "ImageNet dataset" and "ImageNet" must be one entity
typed dataset. The kind word is cut off only when what is left is a name (a token with a capital letter that is not
there only because it starts a sentence or a title-cased line, or with letters and digits): "language model" and
"image dataset" stay as they are. A name right before a kind word outside the span ("the (KLUE) benchmark", "a
pre-trained Mamba model") takes the kind word's label, and so do the names of a list after a kind word ("models such
as Chronos and Time-MoE", "benchmarks including MMLU") and a name in apposition ("TITAN, a multimodal foundation
model"); a name means one thing throughout a text: once a kind word has said what it is, its other mentions take
that label too ("such as Mamba" before "the Mamba model"). A capitalised kind word belongs to the name ("Inception
Score", "One Billion Word Benchmark") and still says what it names.

With a gazetteer (data given to ``initialize``: distinctive dataset names from Papers with Code and torchvision,
model names from torchvision, metric names from Papers with Code; :mod:`citegraph.extract.training.gazetteer`), a
score is cut to its name only where the name is a metric's ("BLEU score" -> "BLEU"; "Inception score" stays whole,
"Inception" is a network), a name the model typed otherwise that is a known dataset name becomes a dataset ("KLUE", "MRPC" typed method), a known dataset name that starts an entity
before lower-case words is that dataset ("ImageNet initialisation", "ImageNet synthesis" -> "ImageNet"; not before a
kind word or a method's head word: "SOTA algorithm" stays), a known method name typed dataset becomes a method
("ViT", and after a prefix: "FQ-ViT", "TinyBERT"), and, with ``add_known`` set, known dataset names the model
missed are added.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

import citegraph.extract.pipeline.entities  # noqa: F401  (the Span extensions: source, confidence)
from citegraph.extract.keys import KIND_WORDS, normalise_key
from citegraph.extract.pipeline.component_data import DataComponent
from citegraph.extract.pipeline.entities import add_entities, label_by_head

__all__ = ["KIND_WORDS", "NamesComponent", "is_name", "kind_in_name", "name_of", "name_token", "title_case"]

#: a name before these is one token ("BERT model" -> BERT, "KD method" -> KD; "Hidden Markov model" stays)
ONE_TOKEN_NAME = frozenset({"model", "models", "method", "methods"})
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_DIMENSION = re.compile(r"[0-9]-?[dD]")


def title_case(doc: Doc) -> bool:
    """Whether most longer words of ``doc`` are capitalised (a title): capitals then say nothing of names."""
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.is_title for t in words) > 0.6 * len(words)


def name_token(token: Token, title_cased: bool) -> bool:
    """A word that marks a name: a capital after its first letter, a digit, or a capital that neither starts a
    sentence nor sits in a title-cased text."""
    t = token.text
    if not any(c.isalpha() for c in t) or _DIMENSION.fullmatch(t):
        return False  # "2D", "3-D": a dimension, not a name ("3D models" are not a model called 3D)
    if any(c.isupper() for c in t[1:]) or any(c.isdigit() for c in t):
        return True  # ImageNet, CIFAR-10, GPT4, KLUE
    if t[0].isupper():
        return not (token.is_sent_start or title_cased)  # Kinetics, Hockey; not "Large" opening a sentence
    return False


def is_name(span: Span, title_cased: bool | None = None) -> bool:
    """Whether ``span`` is a name: its last word (before a closing bracket or a number: "PASCAL VOC 2012") has a
    capital or a digit that is not only a sentence's or a title-cased text's capital ("3D object recognition" is a
    phrase, "PASCAL VOC 2007" a name).

    >>> import spacy
    >>> doc = spacy.blank("en")("Large datasets such as Kinetics and the image data of CIFAR-10")
    >>> [is_name(doc[i:i + 1]) for i in (0, 4, 8, 10)]
    [False, True, False, True]
    >>> doc = spacy.blank("en")("on PASCAL VOC 2012 and table 2")
    >>> is_name(doc[1:4]), is_name(doc[5:7])
    (True, False)
    """
    title_cased = title_case(span.doc) if title_cased is None else title_cased
    last = len(span) - 1
    while last > 0 and (span[last].text in (")", "]") or _NUMBER.fullmatch(span[last].text)):
        last -= 1  # "PASCAL VOC 2012", "SQuAD 2.0": the name is before the number
    return name_token(span[last], title_cased)


def name_of(span: Span, title_cased: bool | None = None) -> Span | None:
    """The name inside ``span`` when it ends in a kind word after a name (``ImageNet dataset`` -> ``ImageNet``,
    labelled dataset); None when it does not.

    >>> import spacy
    >>> doc = spacy.blank("en")("We test on the ImageNet dataset with a language model and BLEU scores.")
    >>> [(s.text, s.label_) for s in (name_of(doc[4:6]), name_of(doc[11:13]))]
    [('ImageNet', 'dataset'), ('BLEU', 'metric')]
    >>> name_of(doc[9:11]) is None
    True
    """
    if len(span) < 2:
        return None
    kind = span[-1]
    label = KIND_WORDS.get(kind.lower_)
    if label is None or not span.doc[kind.i - 1].whitespace_:
        return None  # "F1-score": one word
    title_cased = title_case(span.doc) if title_cased is None else title_cased
    if kind.text[0].isupper() and not title_cased:
        return None  # "Inception Score", "One Billion Word Benchmark": the kind word is part of the name
    end = span.end - 1
    if end <= span.start or (kind.lower_ in ONE_TOKEN_NAME and end - span.start > 1):
        return None
    head = span.doc[span.start:end]
    if not is_name(head, title_cased):
        return None
    return Span(span.doc, head.start, head.end, label=label)


def kind_in_name(span: Span) -> str | None:
    """The label a capitalised kind word ending ``span`` gives the name it is part of, when ``span`` is labelled
    otherwise: "CLIP Score" is a metric, "One Billion Word Benchmark" a dataset."""
    label = KIND_WORDS.get(span[-1].lower_) if len(span) > 1 else None
    return label if label is not None and span[-1].text[0].isupper() and label != span.label_ else None


def _said_by_patterns(doc: Doc, ents: list[Span], title_cased: bool) -> dict[str, str]:
    """Names a kind word types from a distance: "models such as Chronos and Time-MoE" (a list after "such as",
    "including" or "like" that follows a kind word) and "TITAN, a multimodal foundation model" (an apposition whose
    first kind word comes within six words)."""
    out: dict[str, str] = {}
    starts = {e.start: e for e in ents}
    for e in ents:
        if not is_name(e, title_cased):
            continue
        # apposition: NAME , a|an ... KIND
        i = e.end
        if i + 2 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ in ("a", "an"):
            for t in doc[i + 2:min(i + 8, len(doc))]:
                if t.is_punct:
                    break
                if t.lower_ in KIND_WORDS and t.is_lower:
                    out.setdefault(e.text, KIND_WORDS[t.lower_])
                    break
    for t in doc:
        if t.lower_ not in KIND_WORDS or not t.is_lower or t.i + 2 >= len(doc):
            continue
        j = t.i + 1
        if doc[j].text == ",":
            j += 1
        if doc[j].lower_ == "such" and j + 1 < len(doc) and doc[j + 1].lower_ == "as":
            j += 2
        elif doc[j].lower_ in ("including", "like"):
            j += 1
        else:
            continue
        while j < len(doc):  # the list: entities, commas, "and", "or"
            if j in starts:
                if is_name(starts[j], title_cased):
                    out.setdefault(starts[j].text, KIND_WORDS[t.lower_])
                j = starts[j].end
            elif doc[j].lower_ in (",", "and", "or"):
                j += 1
            else:
                break
    return out


class NamesComponent(DataComponent):
    """Cuts the kind word off ``X dataset`` / ``X model`` / ``X score`` entities whose ``X`` is a name, types a
    name entity followed by a kind word by that kind word, and retypes known dataset and model names; see the
    module's docstring."""

    def __init__(self, nlp: Language, name: str, add_known: bool) -> None:
        self.nlp, self.name, self.add_known = nlp, name, add_known
        self._set_data({})

    def _get_data(self) -> dict:
        return {"datasets": sorted(self.datasets), "methods": sorted(self.methods), "metrics": sorted(self.metrics),
                "credit": self.credit}

    def _set_data(self, data: dict) -> None:
        self.datasets = frozenset(data.get("datasets", ()))
        self.methods = frozenset(data.get("methods", ()))
        self.metrics = frozenset(data.get("metrics", ()))
        self._metric_keys = frozenset(normalise_key(n) for n in self.metrics)
        self.credit = str(data.get("credit", ""))
        self.matcher = PhraseMatcher(self.nlp.vocab)
        if self.add_known and self.datasets:
            self.matcher.add("dataset", list(self.nlp.tokenizer.pipe(sorted(self.datasets))))

    def initialize(self, get_examples: Callable | None = None, nlp: Language | None = None,
                   data: dict | None = None) -> None:
        self._set_data(data or {})

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        super().to_disk(path, exclude=exclude)
        if self.credit:  # the lists keep their licence and credit beside them
            (Path(path) / "LICENSE-pwc.md").write_text(self.credit + "\n", encoding="utf-8")

    def _not_its_metric(self, name: str, label: str | None) -> bool:
        """Whether a score of ``name`` is no metric called ``name``: "Inception score" is a metric, "Inception" a
        network; with a list of metric names, only a name on it ("BLEU", "F1") is cut from its score."""
        return label == "metric" and bool(self._metric_keys) and normalise_key(name) not in self._metric_keys

    def _known(self, e: Span, title_cased: bool) -> str | None:
        """The label the gazetteer gives entity ``e``, or None."""
        if e.label_ in ("method", "task") and len(e.text) >= 4 and e.text in self.datasets \
                and is_name(e, title_cased):  # "GD", "AP", "SGD" are dataset names too: too short to tell
            return "dataset"
        if e.label_ == "dataset" and e.text not in self.datasets and (e.text in self.methods
                                                                        or self._ends_in_method(e.text)):
            return "method"
        return None

    def _ends_in_method(self, text: str) -> bool:
        """Whether ``text`` is a known method name with something before it: after a hyphen ("FQ-ViT") or a
        lower-case letter ("TinyBERT")."""
        for k in range(3, len(text) - 1):
            tail, before = text[-k:], text[-k - 1]
            if tail in self.methods and (before == "-" or before.islower() and tail[0].isupper()):
                return True
        return False

    def _known_head(self, e: Span, title_cased: bool) -> Span | None:
        """A known dataset name that starts entity ``e`` (typed otherwise) before lower-case words, as a dataset:
        "ImageNet initialisation" -> "ImageNet"."""
        if e.label_ == "dataset" or len(e) < 2:
            return None
        for end in range(e.end - 1, e.start, -1):
            head, rest = e.doc[e.start:end], e.doc[end:e.end]
            if all(t.is_alpha and t.is_lower and t.lower_ not in KIND_WORDS for t in rest) \
                    and label_by_head(rest.text) != "method" \
                    and len(head.text) >= 4 and head.text in self.datasets and is_name(head, title_cased):
                return Span(e.doc, head.start, head.end, label="dataset")
        return None

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents and not self.add_known:
            return doc
        title_cased = title_case(doc)
        out, said = [], {}  # said: name -> the label a kind word beside it gives
        for e in doc.ents:
            new = name_of(e, title_cased)
            if new is not None and self._not_its_metric(new.text, new.label_):
                new = None
            after = e.end + (e.end < len(doc) and doc[e.end].text in (")", "]"))
            kind = KIND_WORDS.get(doc[after].lower_) if after < len(doc) else None
            if kind is not None and self._not_its_metric(e.text, kind):
                kind = None
            if new is not None:
                said.setdefault(new.text, new.label_)
            elif kind is not None and is_name(e, title_cased) \
                    and (len(e) == 1 or doc[after].lower_ not in ONE_TOKEN_NAME) \
                    and (title_cased or not doc[after].text[0].isupper()):
                said.setdefault(e.text, kind)  # "the (KLUE) benchmark", "a pre-trained Mamba model"
            elif (label := kind_in_name(e)) is not None:
                new = Span(doc, e.start, e.end, label=label)
            elif (label := self._known(e, title_cased)) is not None:
                new = Span(doc, e.start, e.end, label=label)
            elif (head := self._known_head(e, title_cased)) is not None:
                new = head
            if new is None:
                out.append(e)
                continue
            new._.source, new._.confidence = e._.source, e._.confidence
            out.append(new)
        for name, label in _said_by_patterns(doc, out, title_cased).items():
            said.setdefault(name, label)
        # a name means one thing throughout a text: where a kind word says what it is, its other mentions agree
        for i, e in enumerate(out):
            if said.get(e.text, e.label_) != e.label_:
                out[i] = Span(doc, e.start, e.end, label=said[e.text])
                out[i]._.source, out[i]._.confidence = e._.source, e._.confidence
        doc.ents = out
        if self.add_known:
            add_entities(doc, (Span(doc, s, e, label="dataset") for _, s, e in self.matcher(doc)), "rule")
        return doc


@Language.factory("citegraph_names", default_config={"add_known": False})
def make_names(nlp: Language, name: str, add_known: bool) -> NamesComponent:
    return NamesComponent(nlp, name, add_known)
