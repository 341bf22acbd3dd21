"""The generic-term filter: drops entities that are generic phrases, pronouns or TeX math."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from citegraph.extract.keys import normalise_key
from citegraph.extract.pipeline.component_data import DataComponent
from citegraph.extract.pipeline.entities import TEX

__all__ = ["GenericFilter"]


class GenericFilter(DataComponent):
    """Drops entities whose key is a generic term (see :mod:`citegraph.extract.generic` for the rule and how it is
    learned),
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
        if any(c in TEX for c in span.text):  # TeX left in a listing (O(T^{2/3}), sigma_{1}) is math, not a name
            return True
        return normalise_key(span.text) in self.generic

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = [e for e in doc.ents if e._.source in ("rule", "acronym") or not self.is_generic(e)]
        return doc


@Language.factory("citegraph_generic_filter")
def make_generic_filter(nlp: Language, name: str) -> GenericFilter:
    return GenericFilter(nlp, name)
