"""The dictionary and context-pattern component: dataset and method names the model misses."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from citegraph.extract.pipeline.component_data import DataComponent
from citegraph.extract.pipeline.entities import DATASET_WORDS, add_entities
from citegraph.extract.records import LABELS

__all__ = ["RulesComponent"]


class RulesComponent(DataComponent):
    """Dataset and method names the model misses: a dictionary of names (learned from training data, given to
    ``initialize``) and context patterns (``the X dataset``, ``X benchmark``, ``on X, Y and Z``)."""

    def __init__(self, nlp: Language, name: str, context_patterns: bool) -> None:
        self.nlp, self.name, self.context_patterns = nlp, name, context_patterns
        self.names: dict[str, str] = {}
        self.matcher = Matcher(nlp.vocab)
        name_tok = {"_": {"namelike": True}}
        part = {"ORTH": {"IN": ["-", "/", "."]}, "OP": "?"}
        self.matcher.add("NAMED", [[name_tok, part, {"_": {"namelike": True}, "OP": "?"},
                                   {"LOWER": {"IN": DATASET_WORDS}}]], greedy="LONGEST")
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
        add_entities(doc, spans, "rule")
        return doc


@Language.factory("citegraph_rules", default_config={"context_patterns": True})
def make_rules(nlp: Language, name: str, context_patterns: bool) -> RulesComponent:
    return RulesComponent(nlp, name, context_patterns)
