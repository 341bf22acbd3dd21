"""The references component: in-text citations and URLs, which are never entities nor sentence ends."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from citegraph.extract.citations import find_links, find_references

__all__ = ["ReferencesComponent"]


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


@Language.factory("citegraph_references")
def make_references(nlp: Language, name: str) -> ReferencesComponent:
    return ReferencesComponent(nlp, name)
