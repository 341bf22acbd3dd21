"""citegraph's spaCy components. Settings come from the config; data (name lists, generic-term tables) comes
through ``initialize`` and is saved with ``to_disk``, so ``nlp.to_disk(path)`` + ``spacy.load(path)`` restores all.

Every entity in ``doc.ents`` carries ``span._.source``: ``model`` (the trained span model), ``rule`` or ``acronym``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .acronyms import find_definitions
from .citations import find_links, find_references
from .keys import normalise_key
from .records import LABELS

__all__ = ["RulesComponent", "AcronymComponent", "ReferencesComponent", "GenericFilter", "GuardedTokenizer",
           "label_by_head"]

for _name in ("references", "links", "acronyms"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("source"):
    Span.set_extension("source", default=None)


def _namelike(token: Token) -> bool:
    """``ImageNet``, ``CIFAR-10``, ``GLUE``, ``SQuAD2``: capitals inside the word, or letters with digits."""
    t = token.text
    if len(t) < 2 or not t[0].isalnum() or any(c in t for c in "{}\\$^_"):
        return False  # LaTeX left in a listing (64{times}64, $\\alpha$) is not a name
    return any(c.isupper() for c in t[1:]) or (any(c.isdigit() for c in t) and any(c.isalpha() for c in t))


if not Token.has_extension("namelike"):
    Token.set_extension("namelike", getter=_namelike)

_DATASET_WORDS = ["dataset", "datasets", "data set", "benchmark", "benchmarks", "corpus", "corpora", "suite",
                  "treebank"]
# Head words that say what a long form (of an acronym) is, when the model did not label it.
_HEADS: dict[str, tuple[str, ...]] = {
    "dataset": ("dataset", "corpus", "benchmark", "database", "treebank", "suite", "bank", "collection"),
    "metric": ("score", "accuracy", "error", "rate", "metric", "precision", "recall", "ratio", "index"),
    "task": ("classification", "detection", "recognition", "segmentation", "translation", "generation", "answering",
             "retrieval", "prediction", "estimation", "parsing", "summarization", "tracking", "reconstruction",
             "synthesis", "localization", "captioning", "reasoning", "planning", "inference", "forecasting"),
    "method": ("network", "model", "algorithm", "method", "machine", "learning", "transformer", "encoder", "decoder",
               "descent", "framework", "architecture", "regression", "attention", "mechanism", "estimator", "sampler",
               "optimizer", "technique", "autoencoder", "feedback", "policy", "optimization", "search", "gradient",
               "embedding", "tuning", "training", "distillation", "sampling", "propagation", "unit", "layer"),
}


def label_by_head(phrase: str) -> str:
    """The label a phrase's head word (its last word, singular) suggests; ``concept`` when none does.

    >>> [label_by_head(p) for p in ("Generative Adversarial Networks", "word error rate", "Penn Treebank", "KL term")]
    ['method', 'metric', 'dataset', 'concept']
    """
    key = normalise_key(phrase)
    head = key.rsplit(" ", 1)[-1] if key else ""
    for label, heads in _HEADS.items():
        if head in heads:
            return label
    return "concept"


def _set_ents(doc: Doc, new: Iterable[Span], source: str) -> None:
    """Add ``new`` spans to ``doc.ents`` where they overlap no existing entity; mark them with ``source``."""
    existing = list(doc.ents)
    taken = {i for e in existing for i in range(e.start, e.end)}
    added = []
    for span in filter_spans(list(new)):
        if any(i in taken for i in range(span.start, span.end)):
            continue
        added.append(span)
        taken.update(range(span.start, span.end))
    for span in existing:
        if span._.source is None:
            span._.source = "model"
    for span in added:
        span._.source = source
    doc.ents = sorted(existing + added, key=lambda s: s.start)


_LONG_CHUNK = re.compile(r"\S{101,}")
_SYMBOL_RUN = re.compile(r"[^\w\s]{20}")
_PIECE = 100


class GuardedTokenizer:
    """The pipeline's tokenizer, protected against input that makes it quadratic.

    spaCy's tokenizer strips prefixes and suffixes one character at a time, re-slicing the rest of the chunk each
    time: a run of brackets, quotes, symbols or emoji without a space (8,000 ``(`` take 6 s; a 50,000-character one
    minutes). A whitespace-free chunk of more than 100 characters holding a run of 20 such characters is cut into
    100-character tokens; all other text is tokenized exactly as before, and ``doc.text`` is always the input.
    Everything else (``to_disk``, ``vocab``, ...) is the wrapped tokenizer's.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> tok = GuardedTokenizer(nlp.tokenizer)
    >>> text = "see (" + "(" * 250 + " it"
    >>> doc = tok(text)
    >>> doc.text == text, [len(t) for t in doc]
    (True, [3, 100, 100, 51, 2])
    """

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer.tokenizer if isinstance(tokenizer, GuardedTokenizer) else tokenizer

    def __call__(self, text: str) -> Doc:
        hostile = [m for m in _LONG_CHUNK.finditer(text) if _SYMBOL_RUN.search(m.group())]
        if not hostile:
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        at = 0
        for m in hostile:
            for part in (text[at:m.start()],) if m.start() > at else ():
                for t in self.tokenizer(part):
                    words.append(t.text)
                    spaces.append(bool(t.whitespace_))
            chunk = m.group()
            words.extend(chunk[i:i + _PIECE] for i in range(0, len(chunk), _PIECE))
            spaces.extend([False] * -(-len(chunk) // _PIECE))
            at = m.end()
            if text.startswith(" ", at):  # the space after the chunk belongs to its last token, as spaCy does
                spaces[-1] = True
                at += 1
        if at < len(text):
            for t in self.tokenizer(text[at:]):
                words.append(t.text)
                spaces.append(bool(t.whitespace_))
        return Doc(self.tokenizer.vocab, words=words, spaces=spaces)

    def __getattr__(self, name: str) -> Any:
        if name == "tokenizer":  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def __reduce__(self) -> tuple:
        return (GuardedTokenizer, (self.tokenizer,))


class _DataComponent:
    """Serialisation of a component whose data is one JSON-able dict."""

    data_file = "data.json"

    def _get_data(self) -> dict:
        raise NotImplementedError

    def _set_data(self, data: dict) -> None:
        raise NotImplementedError

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / self.data_file, self._get_data())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> _DataComponent:
        file = Path(path) / self.data_file
        if file.exists():
            self._set_data(srsly.read_json(file))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self._get_data()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> _DataComponent:
        self._set_data(srsly.json_loads(data.decode("utf-8")))
        return self


class RulesComponent(_DataComponent):
    """Dataset and method names the model misses: a dictionary of names (learned from training data, given to
    ``initialize``) and context patterns (``the X dataset``, ``X benchmark``, ``on X, Y and Z``)."""

    def __init__(self, nlp: Language, name: str, context_patterns: bool) -> None:
        self.nlp, self.name, self.context_patterns = nlp, name, context_patterns
        self.names: dict[str, str] = {}
        self.matcher = Matcher(nlp.vocab)
        name_tok = {"_": {"namelike": True}}
        part = {"ORTH": {"IN": ["-", "/", "."]}, "OP": "?"}
        self.matcher.add("NAMED", [[name_tok, part, {"_": {"namelike": True}, "OP": "?"},
                                   {"LOWER": {"IN": _DATASET_WORDS}}]], greedy="LONGEST")
        self.matcher.add("LIST", [[{"LOWER": {"IN": ["on", "including", "like", "as"]}}, name_tok,
                                  {"ORTH": ","}, name_tok, {"ORTH": ",", "OP": "?"},
                                  {"LOWER": {"IN": ["and", "or"]}}, name_tok]])
        self.phrases = PhraseMatcher(nlp.vocab)

    def _get_data(self) -> dict:
        return {"names": self.names}

    def _set_data(self, data: dict) -> None:
        self.names = {str(k): str(v) for k, v in data.get("names", {}).items()}
        self.phrases = PhraseMatcher(self.nlp.vocab)
        for label in LABELS:
            texts = [t for t, lab in self.names.items() if lab == label]
            if texts:
                self.phrases.add(label, [self.nlp.make_doc(t) for t in texts])

    def initialize(self, get_examples: Callable | None = None, nlp: Language | None = None,
                   names: dict[str, str] | None = None) -> None:
        bad = sorted({lab for lab in (names or {}).values() if lab not in LABELS})
        if bad:
            raise ValueError(f"unknown label(s) {bad} in names; expected one of {LABELS}")
        self._set_data({"names": names or {}})

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in self.phrases(doc)]
        if self.context_patterns:
            for match_id, start, end in self.matcher(doc):
                kind = doc.vocab.strings[match_id]
                if kind == "NAMED":
                    spans.append(Span(doc, start, end - 1, label="dataset"))
                else:
                    spans.extend(Span(doc, t.i, t.i + 1, label="dataset") for t in doc[start + 1:end]
                                 if t._.namelike)
        _set_ents(doc, spans, "rule")
        return doc


class AcronymComponent:
    """Finds ``long form (SHORT)`` definitions (Schwartz–Hearst) into ``doc._.acronyms``; makes the long form and
    every use of SHORT in the doc entities with one label (the model's, else the long form's head word's)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        # TeX left in a listing ("O(dN) and its regret is {O}(dNT)") is math, not a long form
        definitions = [d for d in find_definitions(doc.text, "text") if not any(c in _TEX for c in d.long + d.short)]
        doc._.acronyms = [(d.short, d.long, d.start, d.end) for d in definitions]
        doc.ents = _tidy_entities(doc, definitions)
        if not definitions:
            return doc
        spans = []
        # doc.ents and the uses of each short form, computed once: per definition they made a text with
        # thousands of definitions quadratic (``Ab Bc (AB) `` x 4,500 took 200 s)
        ents = list(doc.ents)
        label_at: list[str | None] = [None] * len(doc)  # the entity label of each token (ents never overlap)
        for e in ents:
            label_at[e.start:e.end] = [e.label_] * (e.end - e.start)
        exact = {(e.start, e.end): e.label_ for e in ents}
        uses: dict[str, list[Span]] = {}
        for d in definitions:
            long_span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if long_span is None:
                continue
            label = next((lab for lab in label_at[long_span.start:long_span.end] if lab is not None), None)
            first = d.short not in uses
            if first:
                shorts = re.finditer(rf"(?<![\w-]){re.escape(d.short)}(?![\w-])", doc.text)
                short_spans = [s for s in (doc.char_span(m.start(), m.end()) for m in shorts) if s is not None]
                uses[d.short] = (short_spans, next((exact[(s.start, s.end)] for s in short_spans
                                                    if (s.start, s.end) in exact), None))
            short_spans, short_label = uses[d.short]
            label = label or short_label or label_by_head(d.long)
            spans.append(Span(doc, long_span.start, long_span.end, label=label))
            if first:  # later copies of the same spans would lose to the first ones in filter_spans anyway
                spans.extend(Span(doc, s.start, s.end, label=label) for s in short_spans)
        _set_ents(doc, spans, "acronym")
        return doc


_OPEN, _CLOSE = "([{", ")]}"
_TEX = "{}^_\\"


def _tidy_entities(doc: Doc, definitions) -> list[Span]:
    """The entities of ``doc`` with two model habits undone: a definition taken as one entity, ``Reinforcement
    Learning (RL)``, becomes the long form and the short form (so both get the key of the long form); a bracket
    left open or closed at an edge, ``learning rate (``, is cut off.

    >>> import spacy
    >>> from extract.acronyms import find_definitions
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("We use Reinforcement Learning (RL) with a learning rate ( tuned) and Adam (with decay.")
    >>> doc.ents = [Span(doc, 2, 7, "task"), Span(doc, 9, 12, "metric"), Span(doc, 15, 19, "method")]
    >>> [(e.text, e.label_) for e in _tidy_entities(doc, find_definitions(doc.text, "text"))]
    [('Reinforcement Learning', 'task'), ('RL', 'task'), ('learning rate', 'metric'), ('Adam', 'method')]
    """
    out: list[Span] = []
    for e in doc.ents:
        parts = [e]
        for d in definitions:
            if e.start_char <= d.start and d.end < e.end_char:
                tail = doc.text[d.end:e.end_char]
                m = re.fullmatch(rf"\s*\(\s*({re.escape(d.short)})\s*\)?", tail)
                long_span = doc.char_span(e.start_char, d.end, label=e.label_)
                short = doc.char_span(d.end + m.start(1), d.end + m.end(1), label=e.label_) if m else None
                if long_span is not None and short is not None:
                    parts = [long_span, short]
                break
        for span in parts:
            start, end = _balanced(doc, span.start, span.end)
            if end > start and not _unbalanced(doc[start:end].text):  # a bracket inside a token: a broken span
                tidy = span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label_)
                tidy._.source = e._.source
                out.append(tidy)
    return out


def _unbalanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if depth < 0:
            return True
    return depth != 0


def _balanced(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The token range without a bracket that is not closed inside it (and what lies beyond such a bracket), nor a
    bracket pair wrapping the whole range."""
    opened: list[int] = []
    for i in range(start, end):
        text = doc[i].text
        if text in _OPEN:
            opened.append(i)
        elif text in _CLOSE:
            if opened:
                opened.pop()
            else:
                start = i + 1  # ") foo": what comes before the stray close is not part of the name
    if opened:
        end = min(end, opened[0])  # "Adam (square root scaling": the name ends before the bracket left open
    while start < end and doc[start].text in _OPEN and doc[end - 1].text in _CLOSE:
        start, end = start + 1, end - 1
    return start, end


class ReferencesComponent:
    """In-text citations into ``doc._.references`` and URLs into ``doc._.links``; URL tokens are never entities, and
    no sentence ends inside a citation or URL (the sentencizer would split after ``et al.``)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        refs = find_references(doc.text, "text")
        links = find_links(doc.text, "text")
        # plain tuples: Doc user data must survive serialisation between processes (nlp.pipe n_process > 1)
        doc._.references = [(r.text, r.first_author, r.year, r.key, r.start, r.end) for r in refs]
        doc._.links = [(x.url, x.start, x.end) for x in links]
        blocked = [(x.start, x.end) for x in links] + [(r.start, r.end) for r in refs]
        for start, end in blocked:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                for token in doc[span.start + 1: min(span.end + 1, len(doc))]:
                    if token.is_sent_start and not (token.i == span.end and token.is_title):
                        token.is_sent_start = False
        if blocked:
            doc.ents = [e for e in doc.ents
                        if not any(s < e.end_char and e.start_char < t for s, t in blocked)]
        return doc


class GenericFilter(_DataComponent):
    """Drops entities whose key is a generic term (see :mod:`extract.generic` for the rule and how it is learned),
    plus pronouns, entities without a letter and TeX math."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.generic: dict[str, dict] = {}

    def _get_data(self) -> dict:
        return {"generic": self.generic}

    def _set_data(self, data: dict) -> None:
        self.generic = dict(data.get("generic", {}))

    def initialize(self, get_examples: Callable | None = None, nlp: Language | None = None,
                   generic: dict[str, Any] | None = None) -> None:
        self.generic = dict(generic or {})

    def is_generic(self, span: Span) -> bool:
        if not any(c.isalpha() for c in span.text) or all(t.is_stop or t.is_punct for t in span):
            return True
        if any(c in _TEX for c in span.text):  # TeX left in a listing (O(T^{2/3}), sigma_{1}) is math, not a name
            return True
        return normalise_key(span.text) in self.generic

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = [e for e in doc.ents if e._.source in ("rule", "acronym") or not self.is_generic(e)]
        return doc


@Language.factory("citegraph_rules", default_config={"context_patterns": True})
def make_rules(nlp: Language, name: str, context_patterns: bool) -> RulesComponent:
    return RulesComponent(nlp, name, context_patterns)


@Language.factory("citegraph_acronyms")
def make_acronyms(nlp: Language, name: str) -> AcronymComponent:
    return AcronymComponent(nlp, name)


@Language.factory("citegraph_references")
def make_references(nlp: Language, name: str) -> ReferencesComponent:
    return ReferencesComponent(nlp, name)


@Language.factory("citegraph_generic_filter")
def make_generic_filter(nlp: Language, name: str) -> GenericFilter:
    return GenericFilter(nlp, name)
