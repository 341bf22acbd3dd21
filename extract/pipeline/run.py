"""Running a loaded pipeline over papers in this process: each paper's title and abstract become one
:class:`~citegraph.extract.records.Extraction` (mentions, references, links, sentences, acronym definitions,
relations between mentions)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from citegraph.extract.keys import normalise_key
from citegraph.extract.pipeline.load import PIPE_CONFIG
from citegraph.extract.pipeline.repeats import share_names
from citegraph.extract.records import (FIELDS, LABELS, AcronymDefinition, Extraction, Link, Mention, Paper, Reference,
                                       Relation, Sentence)

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["iter_extractions"]


def _doc_records(paper: Paper, field_name: str, doc) -> tuple[list, list, list, list, list]:
    mentions = [Mention(text=e.text, label=e.label_, start=e.start_char, end=e.end_char, field=field_name,
                        key=normalise_key(e.text), source=e._.source or "model",
                        confidence=1.0 if e._.confidence is None else round(float(e._.confidence), 3))
                for e in doc.ents if e.label_ in LABELS]
    refs = [Reference(text, author, year, key, field_name, start, end)
            for text, author, year, key, start, end in doc._.references or ()]
    links = [Link(url, field_name, start, end) for url, start, end in doc._.links or ()]
    sents = [Sentence(field_name, s.start_char, s.end_char) for s in doc.sents] if len(doc) else []
    acr = [AcronymDefinition(short, long, field_name, start, end) for short, long, start, end in doc._.acronyms or ()]
    return mentions, refs, links, sents, acr


def _relations(mentions: list[Mention], docs: dict[str, object]) -> tuple[Relation, ...]:
    """``doc._.relations`` of each field's doc (character offsets) as :class:`Relation` s indexing ``mentions``."""
    index = {(m.field, m.start, m.end): i for i, m in enumerate(mentions)}
    out = []
    for field_name, doc in docs.items():
        for hs, he, ts, te, label, score in doc._.relations or ():
            head, tail = index.get((field_name, hs, he)), index.get((field_name, ts, te))
            if head is not None and tail is not None:
                out.append(Relation(head, tail, label, score))
    return tuple(sorted(out, key=lambda r: (r.head, r.tail, r.label)))


def iter_extractions(papers: Iterable[Paper], nlp: Language, *, batch_size: int = 64) -> Iterator[Extraction]:
    """``nlp.pipe`` over every title and abstract in one process; yields each paper's extraction as it completes."""
    texts = ((p.field(f), p) for p in papers for f in FIELDS)
    docs = nlp.pipe(texts, as_tuples=True, batch_size=batch_size, component_cfg=PIPE_CONFIG)
    across_fields = "citegraph_repeats" in nlp.pipe_names
    for (title_doc, paper), (abstract_doc, _) in zip(docs, docs):  # FIELDS: title, then abstract
        if across_fields:
            share_names((title_doc, abstract_doc))  # a name of the title is a name in the abstract too
        parts: list[list] = [[], [], [], [], []]
        for field_name, doc in zip(FIELDS, (title_doc, abstract_doc)):
            for bucket, items in zip(parts, _doc_records(paper, field_name, doc)):
                bucket.extend(items)
        m, r, x, s, a = parts
        rels = _relations(m, {"title": title_doc, "abstract": abstract_doc})
        yield Extraction(id=paper.id, title=paper.title, mentions=tuple(m), references=tuple(r), links=tuple(x),
                         sentences=tuple(s), acronyms=tuple(a), relations=rels)
