"""The generic-term filter: drops entities that are generic phrases, pronouns or TeX math."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from citegraph.extract.keys import normalise_key
from citegraph.extract.pipeline.component_data import DataComponent
from citegraph.extract.pipeline.entities import TEX
from citegraph.extract.pipeline.names import name_token, title_case

__all__ = ["GenericFilter"]


class GenericFilter(DataComponent):
    """Drops entities whose key is a generic term (see :mod:`citegraph.extract.generic` for the rule and how it is
    learned), pronouns, entities without a letter and TeX math; with ``named_datasets``, also a dataset that is not
    a name ("real-world data", "image datasets", "unlabeled text": no word with a capital that is not only a
    sentence's first letter, nor a digit), since only a named dataset links papers."""

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
        if not any(c.isalpha() for c in span.text) or all(t.is_stop or t.is_punct for t in span):
            return True
        if any(c in TEX for c in span.text):  # TeX left in a listing (O(T^{2/3}), sigma_{1}) is math, not a name
            return True
        return normalise_key(span.text) in self.generic

    def __call__(self, doc: Doc) -> Doc:
        title_cased = title_case(doc) if self.named_datasets else False
        doc.ents = [e for e in doc.ents if e._.source in ("rule", "acronym") or not (
            self.is_generic(e) or self.named_datasets and e.label_ == "dataset"
            and not any(name_token(t, title_cased) for t in e))]
        return doc


@Language.factory("citegraph_generic_filter", default_config={"named_datasets": True})
def make_generic_filter(nlp: Language, name: str, named_datasets: bool) -> GenericFilter:
    return GenericFilter(nlp, name, named_datasets)
