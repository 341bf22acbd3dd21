"""The extraction pipeline: load it, run it over papers, and give every mention its corpus-wide canonical key.

``load_pipeline()`` loads the shipped trained pipeline (``extract/models/citegraph_sci``) and makes sure the rule
components are there; without a model it is a blank English pipeline plus the rule components. ``extract_papers``
runs it over :class:`~extract.records.Paper` s and returns :class:`~extract.records.Extraction` s in input order.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .acronyms import AcronymTable, build_table
from .keys import compact, is_acronym, normalise_key
from .records import (FIELDS, LABELS, AcronymDefinition, CitegraphError, Extraction, Link, Mention, Paper, Reference,
                      Sentence)

__all__ = ["DEFAULT_MODEL", "load_pipeline", "pipeline_info", "extract_papers", "ExtractResult", "resolve_keys", "extract_raw"]

log = logging.getLogger(__name__)

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "citegraph_sci"
RULE_COMPONENTS = ("citegraph_generic_filter", "citegraph_acronyms", "citegraph_rules", "citegraph_references")


def load_pipeline(model_path: str | Path | None = None, *, blank: bool = False) -> Language:
    """The shipped pipeline (or the one at ``model_path``), with the sentencizer and rule components ensured.

    ``blank=True`` gives the rule-only pipeline on a blank English tokenizer (no trained model).
    """
    if blank:
        nlp = spacy.blank("en")
        nlp.meta.update(name="citegraph_rules_only", version="0.0.0")
    else:
        path = Path(model_path) if model_path else DEFAULT_MODEL
        if not (path / "config.cfg").exists():
            if model_path:
                raise CitegraphError(f"no spaCy pipeline at {path} (config.cfg is missing)")
            log.warning("the trained model is missing at %s; using the rule-only pipeline", path)
            return load_pipeline(blank=True)
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


def pipeline_info(nlp: Language) -> dict:
    """What produced the mentions, for the manifest."""
    meta = nlp.meta
    return {"name": meta.get("lang", "en") + "_" + str(meta.get("name", "")), "version": meta.get("version", ""),
            "spacy_version": spacy.__version__, "components": list(nlp.pipe_names)}


@dataclass
class ExtractResult:
    extractions: list[Extraction]
    acronyms: AcronymTable
    merges: list[dict] = field(default_factory=list)  # every key change made by acronym and variant merging


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
    what makes the extraction cache and distributed extraction exact."""
    texts = ((p.field(f), (i, f)) for i, p in enumerate(papers) for f in FIELDS)
    stream = nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process)
    if n_process > 1:
        stream = _workers_exit_quietly_on_sigint(stream)
    if progress is not None:
        stream = progress(stream)
    parts: list[list[list]] = [[[], [], [], [], []] for _ in papers]
    for doc, (i, field_name) in stream:
        for bucket, items in zip(parts[i], _doc_records(papers[i], field_name, doc)):
            bucket.extend(items)
    return [Extraction(id=p.id, title=p.title, mentions=tuple(m), references=tuple(r), links=tuple(x),
                       sentences=tuple(s), acronyms=tuple(a)) for p, (m, r, x, s, a) in zip(papers, parts)]


def _workers_exit_quietly_on_sigint(stream: Iterable) -> Iterator:
    """Start ``nlp.pipe``'s worker processes (on the first item) with a SIGINT handler that ends them at once.

    Ctrl-C reaches every process of the terminal's group: each forked worker used to print a KeyboardInterrupt
    traceback. They inherit this handler (fork start method) and exit without one; the build itself still gets
    KeyboardInterrupt, and spaCy joins the workers, which are gone.
    """
    it = iter(stream)
    if threading.current_thread() is not threading.main_thread():
        yield from it
        return
    previous = signal.signal(signal.SIGINT, _exit_quietly)
    try:
        first = next(it, None)
    finally:
        signal.signal(signal.SIGINT, previous)
    if first is not None:
        yield first
        yield from it


def _exit_quietly(signum: int, frame: object) -> None:
    os._exit(128 + signum)


def resolve_keys(papers: Sequence[Paper], extractions: Sequence[Extraction]) -> ExtractResult:
    """Corpus-wide keys: acronyms through the paper's own definitions, else the corpus table; uses of a known short
    form that the extractor missed are added (source ``acronym``); spelling variants (``pre training`` /
    ``pretraining``) take their most frequent key."""
    table = build_table((x.id, d) for x in extractions for d in x.acronyms)
    merges: list[dict] = []
    labels_by_key: dict[str, Counter] = defaultdict(Counter)
    for x in extractions:
        for m in x.mentions:
            labels_by_key[m.key][m.label] += 1
    shorts = sorted((s for s in table.definitions if not table.conflicting(s) and len(s) >= 2), key=len, reverse=True)
    short_re = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, shorts)) + r")s?(?![\w-])") if shorts else None

    resolved: list[Extraction] = []
    for paper, x in zip(papers, extractions):
        own = {d.short.rstrip("s") if d.short[:-1].isupper() else d.short: normalise_key(d.long) for d in x.acronyms}
        mentions = list(x.mentions)
        if short_re is not None:  # uses of a corpus-known short form the extractor did not mark
            for f in FIELDS:
                text = paper.field(f)
                taken = {i for n in mentions if n.field == f for i in range(n.start, n.end)}  # not quadratic
                for m in short_re.finditer(text):
                    if any(i in taken for i in range(m.start(), m.end())):
                        continue
                    taken.update(range(m.start(), m.end()))
                    key = own.get(m.group(1)) or table.resolve(m.group(1)) or normalise_key(m.group(1))
                    label = _majority(labels_by_key.get(key) or labels_by_key.get(normalise_key(m.group(1))))
                    mentions.append(Mention(m.group(0), label, m.start(), m.end(), f, normalise_key(m.group(0)),
                                            "acronym"))
        out = []
        for m in sorted(mentions, key=lambda n: (FIELDS.index(n.field), n.start, n.end)):
            key = m.key
            if is_acronym(m.text):
                short = m.text[:-1] if m.text.endswith("s") and m.text[:-1].isupper() else m.text
                long_key = own.get(short) or table.resolve(short)
                if long_key and long_key != key:
                    merges.append(_merge(x.id, m, key, long_key, "acronym"))
                    key = long_key
            out.append(replace(m, key=key))
        resolved.append(replace(x, mentions=tuple(out)))

    # spelling variants: keys equal but for spaces share the most frequent key
    freq = Counter(m.key for x in resolved for m in x.mentions)
    by_compact: dict[str, list[str]] = defaultdict(list)
    for key in freq:
        by_compact[compact(key)].append(key)
    canonical = {}
    for keys in by_compact.values():
        if len(keys) > 1:
            best = sorted(keys, key=lambda k: (-freq[k], k))[0]
            canonical.update({k: best for k in keys if k != best})
    if canonical:
        final = []
        for x in resolved:
            ms = []
            for m in x.mentions:
                if m.key in canonical:
                    merges.append(_merge(x.id, m, m.key, canonical[m.key], "variant"))
                    m = replace(m, key=canonical[m.key])
                ms.append(m)
            final.append(replace(x, mentions=tuple(ms)))
        resolved = final
    merges.sort(key=lambda r: (r["paper_id"], r["field"], r["start"], r["reason"]))
    return ExtractResult(resolved, table, merges)


def _majority(counts: Counter | None) -> str:
    if not counts:
        return "concept"
    return sorted(counts.items(), key=lambda kv: (-kv[1], LABELS.index(kv[0])))[0][0]


def _merge(paper_id: str, m: Mention, before: str, after: str, reason: str) -> dict:
    return {"paper_id": paper_id, "field": m.field, "start": m.start, "end": m.end, "text": m.text,
            "from_key": before, "to_key": after, "reason": reason}
