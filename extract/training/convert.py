"""Gold data for training and evaluation, rebuilt as raw text.

Both corpora come as pre-tokenized words (SciERC: PTB tokens, ``-LRB-`` for ``(``; SciREX: hyphens split off).
Inference sees raw text through ``spacy.blank("en")``'s tokenizer, so every abstract is rebuilt as text
(:func:`detokenize`), its gold token spans become character offsets, and :func:`align` re-anchors them on spaCy
tokens. Labels map to the product labels (:data:`SCIERC_LABELS`); SciERC ``Generic`` is not an entity; of two
overlapping spans the longer is kept (ties: the earlier), as ``spacy.util.filter_spans`` does.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from citegraph.extract.records import RELATION_LABELS

__all__ = ["SCIERC_LABELS", "SCIREX_LABELS", "TDMSCI_LABELS", "SCIERC_RELATIONS", "SYMMETRIC_RELATIONS", "GoldDoc",
           "detokenize", "read_scierc", "read_scirex", "read_tdmsci", "scirex_split", "resolve_overlaps", "align",
           "AlignStats"]

log = logging.getLogger(__name__)

SCIERC_LABELS = {"Method": "method", "Material": "dataset", "Task": "task", "Metric": "metric",
                 "OtherScientificTerm": "concept"}  # Generic: not an entity
SCIREX_LABELS = {"Method": "method", "Material": "dataset", "Task": "task", "Metric": "metric"}
SCIERC_RELATIONS = RELATION_LABELS  # SciERC's seven, as the mentions.jsonl contract writes them
SYMMETRIC_RELATIONS = ("COMPARE", "CONJUNCTION")

PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}
NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "}", "%", "'s", "'S", "n't", "'re", "'ve", "'ll", "'d",
                   "'m", "''", "..."}
NO_SPACE_AFTER = {"(", "[", "{", "``", "$", "#"}
_WORDISH = re.compile(r"\w")


@dataclass(frozen=True)
class GoldDoc:
    """One text with gold entities as character spans ``(start, end, label)``, end exclusive, and gold relations
    as ``(head_start, head_end, tail_start, tail_end, label)`` (character offsets, the corpus's own label).

    A relation's arguments are gold spans but need not be in ``entities`` (an overlapping span dropped there keeps
    its relations); relations with a SciERC ``Generic`` argument ("this method") are not kept, since Generic is not
    an entity here."""

    id: str
    field: str
    text: str
    entities: tuple[tuple[int, int, str], ...] = ()
    relations: tuple[tuple[int, int, int, int, str], ...] = ()


def detokenize(tokens: Sequence[str], *, join_hyphens: bool = False) -> tuple[str, list[tuple[int, int]]]:
    """Rebuild raw text from PTB-style tokens; return it with each token's ``(start, end)`` character offsets.

    ``join_hyphens`` glues a lone ``-`` to the words on both sides (SciREX splits ``state - of - the - art``).

    >>> detokenize(["A", "-LRB-", "B", "-RRB-", "``", "x", "''", "is", "95", "%", "."])[0]
    'A (B) "x" is 95%.'
    >>> detokenize(["Multi", "-", "lingual", "model", "'s", "-LRB-", "BERT", "-RRB-"], join_hyphens=True)
    ("Multi-lingual model's (BERT)", [(0, 5), (5, 6), (6, 13), (14, 19), (19, 21), (22, 23), (23, 27), (27, 28)])
    """
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    glue_next = False
    open_quote = False
    for i, raw in enumerate(tokens):
        tok = PTB.get(raw, raw)
        space = bool(parts) and not glue_next
        if (raw in NO_SPACE_BEFORE or tok in (")", "]", "}") or (raw == "''" and open_quote)
                or (raw == "'" and i and tokens[i - 1] != "``")):
            space = False
        if join_hyphens and raw == "-" and 0 < i < len(tokens) - 1 and _WORDISH.search(tokens[i - 1][-1]) \
                and _WORDISH.search(tokens[i + 1][0]):
            space = False
        if raw == '"' and open_quote:  # a plain double quote closes the open one
            space = False
        if space:
            parts.append(" ")
            pos += 1
        parts.append(tok)
        offsets.append((pos, pos + len(tok)))
        pos += len(tok)
        glue_next = raw in NO_SPACE_AFTER or tok in ("(", "[", "{") or (raw == '"' and not open_quote)
        if join_hyphens and raw == "-" and not space and 0 < i < len(tokens) - 1 \
                and _WORDISH.search(tokens[i + 1][0]):
            glue_next = True
        if raw in ("``", "''", '"'):
            open_quote = raw == "``" or (raw == '"' and not open_quote)
    return "".join(parts), offsets


def resolve_overlaps(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans: the longer wins, ties go to the earlier (``spacy.util.filter_spans``' rule).

    >>> resolve_overlaps([(0, 10, "task"), (0, 4, "method"), (12, 15, "metric"), (11, 20, "concept")])
    [(0, 10, 'task'), (11, 20, 'concept')]
    """
    kept: list[tuple[int, int, str]] = []
    for s in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(s[1] <= k[0] or k[1] <= s[0] for k in kept):
            kept.append(s)
    return sorted(kept)


def read_scierc(path: str | Path, stats: Counter | None = None) -> Iterator[GoldDoc]:
    """SciERC ``*.json`` (one abstract per line) as raw-text :class:`GoldDoc` s, field ``abstract``.

    ``stats`` (if given) counts ``spans`` (non-Generic gold spans), ``generic``, ``overlap_dropped``, ``relations``
    (kept) and ``relations_generic`` (left out: an argument is Generic)."""
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                tokens = [t for sent in d["sentences"] for t in sent]
                ner = [tuple(x) for sent in d["ner"] for x in sent]
                rels = [tuple(x) for sent in d.get("relations", []) for x in sent]
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"{path}:{line_no}: not a SciERC record ({e})") from e
            text, offs = detokenize(tokens)
            spans = [(offs[s][0], offs[e][1], SCIERC_LABELS[label]) for s, e, label in ner if label in SCIERC_LABELS]
            unknown = {label for _, _, label in ner} - set(SCIERC_LABELS) - {"Generic"}
            if unknown:
                raise ValueError(f"{path}:{line_no}: unknown SciERC label(s) {sorted(unknown)}")
            kept = resolve_overlaps(spans)
            generic = {(s, e) for s, e, label in ner if label == "Generic"}
            relations = sorted({(offs[s1][0], offs[e1][1], offs[s2][0], offs[e2][1], r)
                                for s1, e1, s2, e2, r in rels if (s1, e1) not in generic and (s2, e2) not in generic})
            if stats is not None:
                stats.update(spans=len(spans), generic=sum(x[2] == "Generic" for x in ner),
                             overlap_dropped=len(spans) - len(kept), relations=len(relations),
                             relations_generic=len(rels) - len(relations))
            yield GoldDoc(d["doc_key"], "abstract", text, tuple(kept), tuple(relations))


_HEADER = re.compile(r"^(document|section|subsection|paragraph)\s*:\s*", re.I)


def read_scirex(path: str | Path, *, max_tokens: int = 600, stats: Counter | None = None,
                body_words: int = 0, chunk_tokens: int = 120) -> Iterator[GoldDoc]:
    """SciREX papers' front matter (the sections before the introduction: title, abstract) as raw-text docs.

    A paper gives one doc per front section (id ``<doc_id>#<n>``); the ``document :`` / ``section : Abstract``
    header words are dropped. Without an ``Introduction`` header only the first section is kept, and a section
    longer than ``max_tokens`` (a mis-segmented paper body) is skipped.

    With ``body_words``, each paper also gives up to that many words of its body from the introduction on, as docs
    of whole sentences of at most ``chunk_tokens`` tokens (id ``<doc_id>#b<n>``, field ``body``); sentences that
    open a section (their header words inline) are left out.
    """
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            words = d["words"]
            sections = d["sections"]
            heads = [" ".join(words[s:e][:4]).lower() for s, e in sections]
            intro = next((i for i, h in enumerate(heads) if "introduction" in h), None)
            front = sections[:intro] if intro is not None else sections[:1]
            for n, (s, e) in enumerate(front):
                skip = 0
                head = " ".join(words[s:s + 4])
                if head.lower().startswith("section : abstract"):
                    skip = 4 if head.lower().startswith("section : abstract :") else 3
                elif _HEADER.match(head):
                    skip = 2 if words[s + 1:s + 2] == [":"] else 0
                s0 = s + skip
                if e - s0 <= 0 or e - s0 > max_tokens:
                    continue
                text, spans = _scirex_text(d, s0, e)
                field_name = "title" if n == 0 and intro is not None and len(front) > 1 else "abstract"
                kept = resolve_overlaps(spans)
                if stats is not None:
                    stats.update(spans=len(spans), overlap_dropped=len(spans) - len(kept))
                yield GoldDoc(f"{d['doc_id']}#{n}", field_name, text, tuple(kept))
            if body_words and intro is not None:
                yield from _scirex_body(d, sections[intro][0], body_words, chunk_tokens)


def _scirex_text(d: dict, start: int, end: int) -> tuple[str, list[tuple[int, int, str]]]:
    """The text of SciREX paper ``d``'s tokens ``[start, end)`` and its entities there, as character spans."""
    text, offs = detokenize(d["words"][start:end], join_hyphens=True)
    return text, [(offs[a - start][0], offs[b - 1 - start][1], SCIREX_LABELS[label])
                  for a, b, label in d["ner"] if start <= a and b <= end and label in SCIREX_LABELS]


def _scirex_body(d: dict, start: int, budget: int, chunk_tokens: int) -> Iterator[GoldDoc]:
    words, chunks, cur = d["words"], [], []
    for s, e in d["sentences"]:
        if s < start or _HEADER.match(" ".join(words[s:s + 2])) or e - s > chunk_tokens:
            continue
        if cur and e - cur[0][0] > chunk_tokens:
            chunks.append(cur)
            cur = []
        cur.append((s, e))
        budget -= e - s
        if budget <= 0:
            break
    if cur:
        chunks.append(cur)
    for n, sents in enumerate(chunks):
        text, spans = _scirex_text(d, sents[0][0], sents[-1][1])
        yield GoldDoc(f"{d['doc_id']}#b{n}", "body", text, tuple(resolve_overlaps(spans)))


TDMSCI_LABELS = {"TASK": "task", "DATASET": "dataset", "METRIC": "metric"}


def read_tdmsci(path: str | Path) -> Iterator[GoldDoc]:
    """TDMSci CoNLL (token, character offset, BIO tag; a blank line between sentences) as one raw-text
    :class:`GoldDoc` per sentence, field ``text``; the text keeps the source's spacing (from the offsets). TDMSci
    annotates tasks, datasets and metrics only: a method or concept in it is not marked (see
    :mod:`citegraph.extract.training.partial`)."""
    path = Path(path)

    def sentence(n: int, rows: list[tuple[str, int, str]]) -> GoldDoc:
        base, text, entities, open_ = rows[0][1], "", [], None
        for token, offset, tag in rows:
            gap = offset - base - len(text)  # 0: glued to the previous token ("argument-identification")
            text += " " * (gap if gap >= 0 else 1)  # a few offsets overlap the previous token: one space
            start = len(text)
            text += token
            if tag.startswith("I-") and open_ is not None and open_[2] == TDMSCI_LABELS.get(tag[2:]):
                open_[1] = len(text)
                continue
            if open_ is not None:
                entities.append(tuple(open_))
                open_ = None
            if tag[:2] in ("B-", "I-") and tag[2:] in TDMSCI_LABELS:
                open_ = [start, len(text), TDMSCI_LABELS[tag[2:]]]
        if open_ is not None:
            entities.append(tuple(open_))
        return GoldDoc(f"{path.stem}#{n}", "text", text, tuple(entities))

    rows: list[tuple[str, int, str]] = []
    n = 0
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                if rows:
                    yield sentence(n, rows)
                    n += 1
                rows = []
                continue
            try:
                rows.append((parts[0], int(parts[1]), parts[2]))
            except ValueError:
                raise ValueError(f"{path}:{line_no}: offset {parts[1]!r} is not a number") from None
    if rows:
        yield sentence(n, rows)


def scirex_split(doc_ids: Iterable[str], n_dev: int = 30) -> set[str]:
    """The held-out SciREX papers: the ``n_dev`` doc ids with the smallest SHA-1 hex digest (fixed, seedless).

    >>> sorted(scirex_split(["a", "b", "c"], n_dev=1))
    ['c']
    """
    return set(sorted(set(doc_ids), key=lambda i: hashlib.sha1(i.encode("utf-8")).hexdigest())[:n_dev])


@dataclass
class AlignStats:
    """How gold character spans landed on spaCy tokens."""

    exact: int = 0
    expanded: int = 0
    lost: int = 0
    overlapping: int = 0  # aligned, then dropped because an expanded span overlapped a kept one
    missing: int = 0  # tokens outside every entity marked unknown instead of "not an entity"
    by_label: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.exact + self.expanded + self.lost

    def as_dict(self) -> dict:
        t = self.total or 1
        return {"spans": self.total, "exact": self.exact, "expanded": self.expanded, "lost": self.lost,
                "dropped_overlapping": self.overlapping, "missing_tokens": self.missing,
                "exact_pct": round(100 * self.exact / t, 2), "lost_pct": round(100 * self.lost / t, 2)}


def align(doc, entities: Iterable[tuple[int, int, str]], stats: AlignStats | None = None) -> list:
    """Gold character spans as non-overlapping ``Span`` s of ``doc``: exact token boundaries when possible, else
    expanded to the covering tokens; spans that then overlap a kept one are lost."""
    from spacy.util import filter_spans

    stats = stats if stats is not None else AlignStats()
    spans = []
    for start, end, label in entities:
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is not None:
            stats.exact += 1
        else:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or not len(span):
                stats.lost += 1
                stats.by_label[label] += 1
                continue
            stats.expanded += 1
        spans.append(span)
    kept = filter_spans(spans)
    stats.overlapping += len(spans) - len(kept)
    return kept
