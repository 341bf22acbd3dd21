"""The generic-term filter: drops entities that are generic phrases, pronouns, math, counts or sentence adverbs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from citegraph.extract.keys import normalise_key
from citegraph.extract.pipeline.component_data import DataComponent
from citegraph.extract.pipeline.entities import TEX
from citegraph.extract.pipeline.names import name_token, title_case

__all__ = ["GenericFilter"]

#: signs that make a span an equation, inequality or norm (``k=1``, ``n>d``, ``|F(w)|``); no gold entity of the
#: training or dev sets has one
MATH = "=<>|\u2264\u2265"
#: a count with a magnitude suffix
QUANTITY = re.compile(r"\d[\d.,]*\s?[KMBT]")
ADVERB = re.compile(r"[A-Z][a-z]+ly")


class GenericFilter(DataComponent):
    """Drops entities whose key is a generic term (see :mod:`citegraph.extract.generic` for the rule and how it is
    learned), pronouns, entities of one character or without a letter, TeX and other math (``k=1``), counts (``3B``) and
    sentence adverbs ("Remarkably, ..."); with ``named_datasets``, also a dataset that is not
    a name ("real-world data", "image datasets", "unlabeled text", "300B-token corpus": no word with a capital that
    is not only a sentence's first letter, nor a digit other than a count's), since only a named dataset links
    papers."""

    def __init__(self, nlp: Language, name: str, named_datasets: bool) -> None:
        self.name = name
        self.named_datasets = named_datasets
        self.generic: dict[str, dict] = {}

    def _get_data(self) -> dict:
        return {"generic": self.generic}

    def _set_data(self, data: dict) -> None:
        self.generic = dict(data.get("generic", {}))

    def initialize(self, get_examples: Callable | None = None, nlp: Language | None = None,
                   generic: dict[str, Any] | None = None) -> None:
        self.generic = dict(generic or {})

    def is_generic(self, span: Span) -> bool:
        if len(span.text) == 1 or not any(c.isalpha() for c in span.text) or all(t.is_stop or t.is_punct
                                                                                 for t in span):
            return True  # one character ("M" of "124M and 210M"): no gold entity of the training or dev sets
        if any(c in TEX or c in MATH for c in span.text):  # TeX (O(T^{2/3}), sigma_{1}) and k=1 are math
            return True
        if QUANTITY.fullmatch(span.text):  # 1B, 3B, 100M: a count, not a name
            return True
        if len(span) == 1 and span[0].is_sent_start and ADVERB.fullmatch(span.text) \
                and span.end < len(span.doc) and span.doc[span.end].text == ",":
            return True  # "Remarkably, ...": a sentence adverb
        return normalise_key(span.text) in self.generic

    def __call__(self, doc: Doc) -> Doc:
        title_cased = title_case(doc) if self.named_datasets else False
        doc.ents = [e for e in doc.ents if e._.source in ("rule", "acronym") or not (
            self.is_generic(e) or self.named_datasets and e.label_ == "dataset"
            and not any(name_token(t, title_cased) and not QUANTITY.fullmatch(t.text) for t in e))]
        return doc


@Language.factory("citegraph_generic_filter", default_config={"named_datasets": True})
def make_generic_filter(nlp: Language, name: str, named_datasets: bool) -> GenericFilter:
    return GenericFilter(nlp, name, named_datasets)
