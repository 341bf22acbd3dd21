"""Corpus-wide keys for raw extractions: acronyms through the paper's own definitions or the corpus's table, spelling
variants merged, every change recorded. Pure Python (no spaCy): a build whose papers are all in the extraction
cache never loads the pipeline.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from citegraph.extract.acronyms import AcronymTable, build_table
from citegraph.extract.keys import (alternation, compact, is_acronym, normalise_key, takes_kind_word,
                                   whole_definition, without_kind_word)
from citegraph.extract.records import FIELDS, LABELS, Extraction, Mention, Paper, Relation

__all__ = ["ExtractResult", "resolve_keys", "standalone"]


@dataclass
class ExtractResult:
    extractions: list[Extraction]
    acronyms: AcronymTable
    merges: list[dict] = field(default_factory=list)  # every key change made by acronym and variant merging


def resolve_keys(papers: Sequence[Paper], extractions: Sequence[Extraction], *,
                 head_confidence: float = 0.0) -> ExtractResult:
    """Corpus-wide keys: acronyms through the paper's own definitions, else the corpus table; uses of a known short
    form that the extractor missed are added (source ``acronym``); spelling variants (``pre training`` /
    ``pretraining``) take their most frequent key, and a key that is another key plus a kind word takes that key
    when one of that key's own mentions has at least ``head_confidence`` (a build passes its graph threshold: a
    word the graph would not keep, "non-linear" or "inverse", does not gather "nonlinear models" and "inverse
    problems") and most of its mentions have a label the kind word allows ("clip score" does not go to "clip", a
    method; "latent variable models" not to "latent variable", a concept). A paper's mentions are expected in text
    order (title, then abstract), as the extractor gives them; added uses are sorted in.

    Three phases: :func:`_add_short_form_uses` and :func:`_resolve_acronyms` in one pass over the papers, then
    :func:`_merge_variants` over the keys that pass leaves."""
    corpus = _Corpus(extractions)
    merges: list[dict] = []
    resolved: list[Extraction] = []
    for paper, x in zip(papers, extractions):
        own = {d.short.rstrip("s") if d.short[:-1].isupper() else d.short: normalise_key(d.long) for d in x.acronyms}
        mentions = _add_short_form_uses(corpus, paper, x, own)
        if x.relations and len(mentions) > len(x.mentions):
            x = replace(x, relations=_reindexed(x.relations, x.mentions, mentions))
        resolved.append(_resolve_acronyms(corpus, x, mentions, own, merges))
    resolved = _merge_variants(resolved, merges, head_confidence)
    merges.sort(key=lambda r: (r["paper_id"], r["field"], r["start"], r["reason"]))
    return ExtractResult(resolved, corpus.table, merges)


class _Corpus:
    """What the per-paper phases look up across the corpus: the acronym table, the labels each key is extracted
    with, the pattern of the short forms the table resolves without conflict, and memos of the lookups (the table
    does not change while keys are resolved: one lookup per short form or text)."""

    def __init__(self, extractions: Sequence[Extraction]) -> None:
        self.table = table = build_table((x.id, d) for x in extractions for d in x.acronyms)
        self.labels_by_key: dict[str, Counter] = defaultdict(Counter)
        self.confidence: dict[str, float] = {}  # the highest confidence of each key's mentions
        for x in extractions:
            for m in x.mentions:
                self.labels_by_key[m.key][m.label] += 1
                if m.confidence > self.confidence.get(m.key, -1.0):
                    self.confidence[m.key] = m.confidence
        shorts = sorted((s for s in table.definitions if not table.conflicting(s) and len(s) >= 2), key=len,
                        reverse=True)
        self.short_re = re.compile(r"(" + alternation(shorts) + r")s?(?![\w-])") if shorts else None
        self.corpus_long: dict[str, str | None] = {}  # the table's long key by short form
        self.acronyms: dict[str, bool] = {}  # is_acronym by mention text
        self.keys: dict[str, str] = {}  # normalise_key of the short forms' uses, a few hundred texts for thousands

    def resolve(self, short: str) -> str | None:
        if short not in self.corpus_long:
            self.corpus_long[short] = self.table.resolve(short)
        return self.corpus_long[short]

    def normalised(self, text: str) -> str:
        if text not in self.keys:
            self.keys[text] = normalise_key(text)
        return self.keys[text]


def _add_short_form_uses(corpus: _Corpus, paper: Paper, x: Extraction, own: dict[str, str]) -> list[Mention]:
    """Phase 1: ``x``'s mentions plus the uses of a corpus-known short form the extractor did not mark (where no
    mention overlaps them), in text order. ``own``: the paper's own definitions, long key by short form."""
    mentions = list(x.mentions)
    short_re = corpus.short_re
    if short_re is not None:
        labels_by_key, normalised = corpus.labels_by_key, corpus.normalised
        for f in FIELDS:
            taken = None
            for m in standalone(short_re, paper.field(f)):
                if taken is None:
                    taken = [(n.start, n.end) for n in mentions if n.field == f and n.start < n.end]
                start, end = m.span()
                if any(a < end and start < b for a, b in taken):
                    continue
                taken.append((start, end))
                short, text = m.group(1, 0)
                key = own.get(short) or corpus.resolve(short) or normalised(short)
                label = _majority(labels_by_key.get(key) or labels_by_key.get(normalised(short)))
                mentions.append(Mention(text, label, start, end, f, normalised(text), "acronym",
                                        corpus.confidence.get(key, 0.5)))
    if len(mentions) > len(x.mentions):  # the extractor's come in text order: only added ones need sorting in
        mentions.sort(key=lambda n: (FIELDS.index(n.field), n.start, n.end))
    return mentions


def _reindexed(relations: tuple[Relation, ...], before: Sequence[Mention],
               after: Sequence[Mention]) -> tuple[Relation, ...]:
    """``relations`` (indices into ``before``) as indices into ``after``, which holds every mention of ``before``."""
    if not relations or len(after) == len(before):
        return relations
    where = {(m.field, m.start, m.end): i for i, m in enumerate(after)}
    moved = [where[(m.field, m.start, m.end)] for m in before]
    return tuple(Relation(moved[r.head], moved[r.tail], r.label, r.score) for r in relations)


def _resolve_acronyms(corpus: _Corpus, x: Extraction, mentions: list[Mention], own: dict[str, str],
                      merges: list[dict]) -> Extraction:
    """Phase 2: ``x`` with ``mentions``, each acronym keyed by its long form (the paper's own definition, else the
    corpus table's); each change is appended to ``merges``."""
    acronyms, resolve = corpus.acronyms, corpus.resolve
    out = []
    for m in mentions:
        key = m.key
        acronym = acronyms.get(m.text)
        if acronym is None:
            acronym = acronyms[m.text] = is_acronym(m.text)
        if acronym:
            short = m.text[:-1] if m.text.endswith("s") and m.text[:-1].isupper() else m.text
            long_key = own.get(short) or resolve(short)
            if long_key and long_key != key:
                merges.append(_merge(x.id, m, key, long_key, "acronym"))
                key = long_key
        elif m.text.endswith(")") or ") " in m.text:
            long_key = _defined_key(m.text, own, resolve)
            if long_key and long_key != key:
                merges.append(_merge(x.id, m, key, long_key, "definition"))
                key = long_key
        out.append(m if key == m.key else _with_key(m, key))
    out_t = tuple(out)
    return x if out_t == x.mentions else _with_mentions(x, out_t)


def _defined_key(text: str, own: dict[str, str], resolve: Callable[[str], str | None]) -> str | None:
    """The key of the long form of a mention that is a whole definition (:func:`whole_definition`: "Coordinate
    Descent (CD) methods"), when the paper or the corpus defines that short form by that long form; None otherwise.
    The extractor keeps such a span whole where its training data does; the graph gives it the key of its long and
    short forms."""
    forms = whole_definition(text)
    if forms is None:
        return None
    long, short = forms
    short = short[:-1] if short.endswith("s") and short[:-1].isupper() else short
    long_key = own.get(short) or resolve(short)
    return long_key if long_key and compact(normalise_key(long)) == compact(long_key) else None


def _merge_variants(resolved: list[Extraction], merges: list[dict], head_confidence: float = 0.0) -> list[Extraction]:
    """Phase 3: spelling variants, keys equal but for spaces, share the most frequent key, and a key that is
    another key plus a kind word (``imagenet dataset``, ``bleu score``) takes that key when a mention of that key
    (or of its spelling variants) has at least ``head_confidence`` and most of them have a label the kind word
    allows (:func:`~citegraph.extract.keys.takes_kind_word`: "clip score" does not take "clip", a method); each
    change is appended to ``merges``.
    Extractions with no variant key are passed on as they are."""
    freq: Counter = Counter()
    surest: dict[str, float] = defaultdict(float)  # the highest confidence of each key's mentions
    labels: dict[str, Counter] = defaultdict(Counter)  # each key's mentions' labels
    for x in resolved:
        for m in x.mentions:
            freq[m.key] += 1
            surest[m.key] = max(surest[m.key], m.confidence)
            labels[m.key][m.label] += 1
    by_compact: dict[str, list[str]] = defaultdict(list)
    for key in freq:
        by_compact[compact(key)].append(key)
    canonical = {}
    for keys in by_compact.values():
        if len(keys) > 1:
            best = sorted(keys, key=lambda k: (-freq[k], k))[0]
            canonical.update({k: best for k in keys if k != best})
    by_compact_best = {c: sorted(keys, key=lambda k: (-freq[k], k))[0] for c, keys in by_compact.items()}
    for key in freq:
        head = without_kind_word(key)
        if head is None or compact(head) not in by_compact_best:
            continue
        variants = by_compact[compact(head)]  # the head and its spelling variants
        if max(surest[k] for k in variants) >= head_confidence \
                and takes_kind_word(_main_label(sum((labels[k] for k in variants), Counter())),
                                    key.rpartition(" ")[2]):
            canonical[key] = by_compact_best[compact(head)]
    for key, target in list(canonical.items()):  # "imagenet dataset" -> "image net" -> "imagenet": one step
        while target in canonical and canonical[target] != target:
            target = canonical[target]
        canonical[key] = target
    canonical = {k: v for k, v in canonical.items() if k != v}
    if not canonical:
        return resolved
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
    return final


def _main_label(counts: Counter) -> str:
    """The label most of a key's mentions have (ties: the first in :data:`LABELS`)."""
    return min(counts, key=lambda label: (-counts[label], LABELS.index(label)))


_WORD_CHAR = re.compile(r"[\w-]")


def standalone(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    r"""``pattern.finditer(text)``, as if the pattern began with ``(?<![\w-])``: matches that do not start inside a
    word. The lookbehind at the start of a pattern keeps ``re`` from skipping to the positions where the
    pattern's first characters occur, which made the corpus's short forms 2-3 times slower to find.

    >>> [m.group() for m in standalone(re.compile("GAN|AN"), "GAN xGAN AN-AN")]
    ['GAN', 'AN']
    """
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        if m.start() and _WORD_CHAR.match(text, m.start() - 1):
            pos = m.start() + 1
            continue
        yield m
        pos = max(m.end(), m.start() + 1)


def _with_key(m: Mention, key: str) -> Mention:  # dataclasses.replace, without its per-call introspection
    return Mention(m.text, m.label, m.start, m.end, m.field, key, m.source, m.confidence)


def _with_mentions(x: Extraction, mentions: tuple[Mention, ...]) -> Extraction:
    return Extraction(x.id, x.title, mentions, x.references, x.links, x.sentences, x.acronyms, x.relations)


def _majority(counts: Counter | None) -> str:
    if not counts:
        return "concept"
    return sorted(counts.items(), key=lambda kv: (-kv[1], LABELS.index(kv[0])))[0][0]


def _merge(paper_id: str, m: Mention, before: str, after: str, reason: str) -> dict:
    return {"paper_id": paper_id, "field": m.field, "start": m.start, "end": m.end, "text": m.text,
            "from_key": before, "to_key": after, "reason": reason}
