"""The extraction pipeline: load it and run it over papers.

``load_pipeline()`` loads the shipped trained pipeline (``extract/models/citegraph_sci``) and makes sure the rule
components are there; without a model it is a blank English pipeline plus the rule components. ``extract_raw``
runs it over :class:`~extract.records.Paper` s and returns their :class:`~extract.records.Extraction` s in input
order; ``extract_papers`` then gives every mention its corpus-wide key (:func:`extract.resolve.resolve_keys`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import spacy
from spacy.language import Language

from . import components, spans  # noqa: F401  (register the factories and the span model's functions)
from .keys import normalise_key
from .provenance import DEFAULT_MODEL, RULE_COMPONENTS, model_dir
from .records import (FIELDS, LABELS, AcronymDefinition, CitegraphError, Extraction, Link, Mention, Paper, Reference,
                      Sentence, share_strings)
from .resolve import ExtractResult, resolve_keys
from .workers import pooled

__all__ = ["DEFAULT_MODEL", "load_pipeline", "extract_papers", "extract_raw", "iter_extractions"]

log = logging.getLogger(__name__)


def load_pipeline(model_path: str | Path | None = None, *, blank: bool = False) -> Language:
    """The shipped pipeline (or the one at ``model_path``), with the sentencizer and rule components ensured.

    ``blank=True`` gives the rule-only pipeline on a blank English tokenizer (no trained model), as does a missing
    shipped model (with a warning); :func:`extract.provenance.pipeline_components` tells the components without
    loading anything.
    """
    path = model_dir(model_path, blank=blank)
    if path is None:
        nlp = spacy.blank("en")
        nlp.meta.update(name="citegraph_rules_only", version="0.0.0")
    else:
        try:
            nlp = spacy.load(path)
        except (OSError, ValueError) as e:
            raise CitegraphError(f"cannot load the spaCy pipeline at {path}: {e}") from e
    if not nlp.has_pipe("sentencizer") and not nlp.has_pipe("senter") and not nlp.has_pipe("parser"):
        nlp.add_pipe("sentencizer", first=True)
    for name in RULE_COMPONENTS:
        if not nlp.has_pipe(name):
            nlp.add_pipe(name)
    nlp.tokenizer = components.GuardedTokenizer(nlp.tokenizer)  # no quadratic time on runs of symbols
    return nlp


def _doc_records(paper: Paper, field_name: str, doc) -> tuple[list, list, list, list, list]:
    mentions = [Mention(text=e.text, label=e.label_, start=e.start_char, end=e.end_char, field=field_name,
                        key=normalise_key(e.text), source=e._.source or "model")
                for e in doc.ents if e.label_ in LABELS]
    refs = [Reference(text, author, year, key, field_name, start, end)
            for text, author, year, key, start, end in doc._.references or ()]
    links = [Link(url, field_name, start, end) for url, start, end in doc._.links or ()]
    sents = [Sentence(field_name, s.start_char, s.end_char) for s in doc.sents] if len(doc) else []
    acr = [AcronymDefinition(short, long, field_name, start, end) for short, long, start, end in doc._.acronyms or ()]
    return mentions, refs, links, sents, acr


def extract_papers(papers: Sequence[Paper], nlp: Language, *, batch_size: int = 64, n_process: int = 1,
                   progress: Callable[[Iterable], Iterable] | None = None) -> ExtractResult:
    """Run the pipeline over every paper's title and abstract, then resolve keys corpus-wide."""
    raw = extract_raw(papers, nlp, batch_size=batch_size, n_process=n_process, progress=progress)
    return resolve_keys(papers, raw)


def extract_raw(papers: Sequence[Paper], nlp: Language, *, batch_size: int = 64, n_process: int = 1,
                progress: Callable[[Iterable], Iterable] | None = None) -> list[Extraction]:
    """Per-paper extractions before corpus-wide key resolution; a paper's result depends on its text alone, which is
    what makes the extraction cache, ``n_process`` and distributed extraction exact.

    ``progress`` wraps the stream of finished papers (one item per paper). With ``n_process > 1`` the papers go to
    a pool of worker processes in chunks and come back in input order.
    """
    if n_process > 1 and len(papers) > batch_size:
        stream: Iterable[Extraction] = pooled(papers, nlp, batch_size, n_process)
    else:
        stream = iter_extractions(papers, nlp, batch_size=batch_size)
    if progress is not None:
        stream = progress(stream)
    pool: dict[str, str] = {}
    return [share_strings(x, pool) for x in stream]


def iter_extractions(papers: Iterable[Paper], nlp: Language, *, batch_size: int = 64) -> Iterator[Extraction]:
    """``nlp.pipe`` over every title and abstract in one process; yields each paper's extraction as it completes."""
    texts = ((p.field(f), p) for p in papers for f in FIELDS)
    docs = nlp.pipe(texts, as_tuples=True, batch_size=batch_size)
    for (title_doc, paper), (abstract_doc, _) in zip(docs, docs):  # FIELDS: title, then abstract
        parts: list[list] = [[], [], [], [], []]
        for field_name, doc in zip(FIELDS, (title_doc, abstract_doc)):
            for bucket, items in zip(parts, _doc_records(paper, field_name, doc)):
                bucket.extend(items)
        m, r, x, s, a = parts
        yield Extraction(id=paper.id, title=paper.title, mentions=tuple(m), references=tuple(r), links=tuple(x),
                         sentences=tuple(s), acronyms=tuple(a))
