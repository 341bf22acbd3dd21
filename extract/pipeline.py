"""The extraction pipeline: load it, run it over papers, and give every mention its corpus-wide canonical key.

``load_pipeline()`` loads the shipped trained pipeline (``extract/models/citegraph_sci``) and makes sure the rule
components are there; without a model it is a blank English pipeline plus the rule components. ``extract_papers``
runs it over :class:`~extract.records.Paper` s and returns :class:`~extract.records.Extraction` s in input order.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing as mp
import re
import signal
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .acronyms import AcronymTable, build_table
from .keys import alternation, compact, is_acronym, normalise_key
from .records import (FIELDS, LABELS, AcronymDefinition, CitegraphError, Extraction, Link, Mention, Paper, Reference,
                      Sentence, share_strings)

__all__ = ["DEFAULT_MODEL", "load_pipeline", "pipeline_info", "extract_papers", "ExtractResult", "resolve_keys", "extract_raw",
           "extraction_started", "iter_extractions"]

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
    """What produced the mentions, for the manifest and the extraction cache's key.

    ``digest`` changes whenever the mentions may: the extraction code (``extract/*.py``), the pipeline's config,
    and the trained weights and rule data of its components. A model's version string alone does not (retraining
    or re-learning the rule data keeps it), so a cache keyed on it would hand back stale extractions.
    """
    meta = nlp.meta
    h = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(nlp.config.to_str().encode())
    for name, pipe in nlp.pipeline:
        if hasattr(pipe, "to_bytes") and name != "sentencizer":  # its punctuation comes from a set: no fixed order
            h.update(name.encode() + b"\0" + pipe.to_bytes())
    return {"name": meta.get("lang", "en") + "_" + str(meta.get("name", "")), "version": meta.get("version", ""),
            "spacy_version": spacy.__version__, "components": list(nlp.pipe_names), "digest": h.hexdigest()[:16]}


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
    what makes the extraction cache, ``n_process`` and distributed extraction exact.

    ``progress`` wraps the stream of finished papers (one item per paper). With ``n_process > 1`` the papers go to
    a pool of worker processes in chunks and come back in input order.
    """
    if n_process > 1 and len(papers) > batch_size:
        stream: Iterable[Extraction] = _pooled(papers, nlp, batch_size, n_process)
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


_WORKER_NLP: Language | None = None


def _init_worker(nlp: Language) -> None:
    """A pool worker: keep the pipeline (inherited under fork, unpickled under spawn) and leave Ctrl-C to the
    parent, which terminates the pool; a worker never prints a KeyboardInterrupt traceback."""
    global _WORKER_NLP
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_NLP = nlp


def _work(job: tuple[list[Paper], int]) -> list[Extraction]:
    chunk, batch_size = job
    assert _WORKER_NLP is not None  # set by _init_worker
    return list(iter_extractions(chunk, _WORKER_NLP, batch_size=batch_size))


class _Pool:
    """Chunks of ``batch_size`` papers through a process pool started now, results in input order; at most 2 chunks
    a worker in flight, so memory does not grow with the input."""

    def __init__(self, papers: Sequence[Paper], nlp: Language, batch_size: int, n_process: int) -> None:
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        in_main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main else None  # no window before the initializer
        try:
            self.pool = mp.get_context(method).Pool(n_process, initializer=_init_worker, initargs=(nlp,))
        finally:
            if in_main:
                signal.signal(signal.SIGINT, previous)
        self.limit = 2 * n_process
        self.chunks = ((list(papers[i:i + batch_size]), batch_size) for i in range(0, len(papers), batch_size))
        self.pending: deque = deque()
        self.done = False  # every result handed out
        self._submit()

    def _submit(self) -> None:
        while len(self.pending) < self.limit:
            job = next(self.chunks, None)
            if job is None:
                return
            self.pending.append(self.pool.apply_async(_work, (job,)))

    def __iter__(self) -> Iterator[Extraction]:
        while self.pending:
            results = self.pending.popleft().get()
            self._submit()
            yield from results
        self.done = True

    def close(self) -> None:
        """Let the workers finish if every result was handed out; else (Ctrl-C, an error, the consumer stopping)
        terminate them at once: no worker is left behind and nothing waits on a queue a dead worker never drains."""
        if self.done:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()


def _pooled(papers: Sequence[Paper], nlp: Language, batch_size: int, n_process: int) -> Iterator[Extraction]:
    """Chunks of ``batch_size`` papers through a process pool, results in input order (see :class:`_Pool`)."""
    pool = _Pool(papers, nlp, batch_size, n_process)
    try:
        yield from pool
    finally:
        pool.close()


@contextlib.contextmanager
def extraction_started(papers: Sequence[Paper], nlp: Language, *, batch_size: int = 64,
                       n_process: int = 1) -> Iterator[Iterator[Extraction]]:
    """Start extracting ``papers`` in ``n_process`` worker processes now, and go on with other work here; the
    context's value yields their raw extractions in input order (strings shared, as :func:`extract_raw`'s).
    Leaving the context stops workers that are still running.

    ``citegraph build --update`` extracts the day's new papers this way while it reads the cached ones.
    """
    pool = _Pool(papers, nlp, batch_size, n_process)
    strings: dict[str, str] = {}
    try:
        yield (share_strings(x, strings) for x in pool)
    finally:
        pool.close()


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
    short_re = re.compile(r"(?<![\w-])(" + alternation(shorts) + r")s?(?![\w-])") if shorts else None

    corpus_long: dict[str, str | None] = {}

    def resolve(short: str) -> str | None:  # the table does not change here: one lookup per short form
        if short not in corpus_long:
            corpus_long[short] = table.resolve(short)
        return corpus_long[short]

    resolved: list[Extraction] = []
    for paper, x in zip(papers, extractions):
        own = {d.short.rstrip("s") if d.short[:-1].isupper() else d.short: normalise_key(d.long) for d in x.acronyms}
        mentions = list(x.mentions)
        if short_re is not None:  # uses of a corpus-known short form the extractor did not mark
            for f in FIELDS:
                found = list(short_re.finditer(paper.field(f)))
                if not found:
                    continue
                taken = {i for n in mentions if n.field == f for i in range(n.start, n.end)}  # not quadratic
                for m in found:
                    if any(i in taken for i in range(m.start(), m.end())):
                        continue
                    taken.update(range(m.start(), m.end()))
                    key = own.get(m.group(1)) or resolve(m.group(1)) or normalise_key(m.group(1))
                    label = _majority(labels_by_key.get(key) or labels_by_key.get(normalise_key(m.group(1))))
                    mentions.append(Mention(m.group(0), label, m.start(), m.end(), f, normalise_key(m.group(0)),
                                            "acronym"))
        out = []
        for m in sorted(mentions, key=lambda n: (FIELDS.index(n.field), n.start, n.end)):
            key = m.key
            if is_acronym(m.text):
                short = m.text[:-1] if m.text.endswith("s") and m.text[:-1].isupper() else m.text
                long_key = own.get(short) or resolve(short)
                if long_key and long_key != key:
                    merges.append(_merge(x.id, m, key, long_key, "acronym"))
                    key = long_key
            out.append(m if key == m.key else _with_key(m, key))
        out_t = tuple(out)
        resolved.append(x if out_t == x.mentions else _with_mentions(x, out_t))

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
            if all(m.key not in canonical for m in x.mentions):
                final.append(x)
                continue
            ms = []
            for m in x.mentions:
                if m.key in canonical:
                    merges.append(_merge(x.id, m, m.key, canonical[m.key], "variant"))
                    m = _with_key(m, canonical[m.key])
                ms.append(m)
            final.append(_with_mentions(x, tuple(ms)))
        resolved = final
    merges.sort(key=lambda r: (r["paper_id"], r["field"], r["start"], r["reason"]))
    return ExtractResult(resolved, table, merges)


def _with_key(m: Mention, key: str) -> Mention:  # dataclasses.replace, without its per-call introspection
    return Mention(m.text, m.label, m.start, m.end, m.field, key, m.source)


def _with_mentions(x: Extraction, mentions: tuple[Mention, ...]) -> Extraction:
    return Extraction(x.id, x.title, mentions, x.references, x.links, x.sentences, x.acronyms)


def _majority(counts: Counter | None) -> str:
    if not counts:
        return "concept"
    return sorted(counts.items(), key=lambda kv: (-kv[1], LABELS.index(kv[0])))[0][0]


def _merge(paper_id: str, m: Mention, before: str, after: str, reason: str) -> dict:
    return {"paper_id": paper_id, "field": m.field, "start": m.start, "end": m.end, "text": m.text,
            "from_key": before, "to_key": after, "reason": reason}
