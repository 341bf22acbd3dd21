"""Plain records: the contract between ``extract/`` (spaCy side) and ``graph/`` (networkx side).

Everything here is a frozen stdlib dataclass that round-trips through JSON with
:func:`to_json` / the ``from_json`` class methods, so the two halves never share
anything but data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

__all__ = [
    "LABELS",
    "CitegraphError",
    "InputProblem",
    "Paper",
    "time_points",
    "Mention",
    "Reference",
    "CitedReference",
    "Link",
    "Sentence",
    "AcronymDefinition",
    "Relation",
    "RELATION_LABELS",
    "Extraction",
]

#: The product's entity labels, in the order used for tie-breaking and display.
LABELS: tuple[str, ...] = ("method", "dataset", "task", "metric", "concept")

#: Where a mention came from.
SOURCES: tuple[str, ...] = ("model", "rule", "acronym")

FIELDS: tuple[str, ...] = ("title", "abstract")


class CitegraphError(Exception):
    """Base class of every domain failure citegraph reports to the user."""


@dataclass(frozen=True)
class InputProblem:
    """Something in the input that was skipped, with where it was."""

    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


#: The source-id schemes a paper or a cited reference may carry, in display order.
ID_SCHEMES: tuple[str, ...] = ("wos", "scopus", "openalex", "pmid", "pmcid", "s2", "arxiv", "lens", "dimensions")


@dataclass(frozen=True)
class CitedReference:
    """One entry of a paper's cited-reference list, as a bibliographic export gives it.

    ``raw`` is the entry as written (a WoS ``CR`` line, a Scopus reference string, a JSON object's title...); the
    other fields are what could be parsed from it or what the source gave explicitly ("" / None when unknown).
    ``doi`` is normalised (:func:`citegraph.extract.keys.normalise_doi` when present: lower case, no resolver prefix).
    """

    raw: str
    first_author: str = ""
    year: int | None = None
    title: str = ""
    source: str = ""  # journal / venue as written
    volume: str = ""
    page: str = ""
    doi: str = ""
    ids: tuple[tuple[str, str], ...] = ()  # (scheme, value) pairs, schemes from ID_SCHEMES, sorted

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ("raw", "first_author", "year", "title", "source", "volume", "page",
                                           "doi")}
        d["ids"] = dict(self.ids)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CitedReference:
        year = d.get("year")
        return cls(raw=str(d.get("raw") or ""), first_author=str(d.get("first_author") or ""),
                   year=int(year) if year not in (None, "") else None, title=str(d.get("title") or ""),
                   source=str(d.get("source") or ""), volume=str(d.get("volume") or ""),
                   page=str(d.get("page") or ""), doi=str(d.get("doi") or ""),
                   ids=tuple(sorted((str(k), str(v)) for k, v in (d.get("ids") or {}).items())))


@dataclass(frozen=True)
class Paper:
    """One distinct paper, merged across every listing it appeared in."""

    id: str
    title: str
    abstract: str = ""
    dates: tuple[str, ...] = ()  # ISO dates (YYYY-MM-DD) it was listed on, sorted
    sources: tuple[str, ...] = ()  # "path:line" of every listing, sorted
    url: str = ""
    authors: tuple[str, ...] = ()
    # what bibliographic exports carry ("" / None / () when the source does not say)
    doi: str = ""  # normalised: lower case, no https://doi.org/ prefix
    year: int | None = None  # publication year
    published: str = ""  # publication date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD
    venue: str = ""
    volume: str = ""
    page: str = ""  # first page (or article number)
    keywords: tuple[str, ...] = ()
    ids: tuple[tuple[str, str], ...] = ()  # source ids, (scheme, value) pairs from ID_SCHEMES, sorted
    cited_by: int | None = None  # the source's global citation count
    cited_references: tuple[CitedReference, ...] = ()

    def field(self, name: str) -> str:
        if name not in FIELDS:
            raise ValueError(f"unknown field {name!r}; expected one of {FIELDS}")
        return self.title if name == "title" else self.abstract

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("dates", "sources", "authors", "keywords"):
            d[k] = list(d[k])
        d["ids"] = dict(self.ids)
        d["cited_references"] = [r.to_dict() for r in self.cited_references]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Paper:
        year = d.get("year")
        cited_by = d.get("cited_by")
        return cls(
            id=str(d["id"]),
            title=str(d["title"]),
            abstract=str(d.get("abstract") or ""),
            dates=tuple(d.get("dates") or ()),
            sources=tuple(d.get("sources") or ()),
            url=str(d.get("url") or ""),
            authors=tuple(d.get("authors") or ()),
            doi=str(d.get("doi") or ""),
            year=int(year) if year not in (None, "") else None,
            published=str(d.get("published") or ""),
            venue=str(d.get("venue") or ""),
            volume=str(d.get("volume") or ""),
            page=str(d.get("page") or ""),
            keywords=tuple(d.get("keywords") or ()),
            ids=tuple(sorted((str(k), str(v)) for k, v in (d.get("ids") or {}).items())),
            cited_by=int(cited_by) if cited_by not in (None, "") else None,
            cited_references=tuple(CitedReference.from_dict(r) for r in d.get("cited_references") or ()),
        )


def time_points(dates: Sequence[Sequence[str]], years: Sequence[int | None]) -> list[tuple[str, ...]]:
    """The points in time each paper is counted on, in order: its listing dates, or, when no paper has one (a
    bibliographic export), its publication year; empty for a paper with neither.

    >>> time_points([("2024-03-13",), ()], [2023, 2024]), time_points([(), ()], [2019, None])
    ([('2024-03-13',), ()], [('2019',), ()])
    """
    if any(dates):
        return [tuple(ds) for ds in dates]
    return [(str(year),) if year is not None else () for year in years]


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention: ``paper.field(field)[start:end] == text``."""

    text: str
    label: str
    start: int
    end: int
    field: str
    key: str  # canonical key shared by every spelling of the same thing
    source: str = "model"  # model | rule | acronym
    confidence: float = 1.0  # the chance that it is right, calibrated on the dev sets (docs/model.md); 3 decimals

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mention:
        return cls(**{k: d[k] for k in ("text", "label", "start", "end", "field", "key")},
                   source=d.get("source", "model"), confidence=float(d.get("confidence", 1.0)))


@dataclass(frozen=True, slots=True)
class Reference:
    """An in-text citation such as ``Seide et al., 2014``."""

    text: str
    first_author: str
    year: int
    key: str  # "seide-2014"
    field: str
    start: int
    end: int

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Reference:
        return cls(**{k: d[k] for k in ("text", "first_author", "year", "key", "field", "start", "end")})


@dataclass(frozen=True, slots=True)
class Link:
    """A URL (usually a code link) found in the text."""

    url: str
    field: str
    start: int
    end: int

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Link:
        return cls(**{k: d[k] for k in ("url", "field", "start", "end")})


@dataclass(frozen=True, slots=True)
class Sentence:
    """Sentence boundaries, so that graph edges can quote the sentence behind them."""

    field: str
    start: int
    end: int

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sentence:
        return cls(**{k: d[k] for k in ("field", "start", "end")})


@dataclass(frozen=True, slots=True)
class AcronymDefinition:
    """``long form (SHORT)`` as written in one paper."""

    short: str
    long: str
    field: str
    start: int  # offsets of the long form
    end: int

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AcronymDefinition:
        return cls(**{k: d[k] for k in ("short", "long", "field", "start", "end")})


#: SciERC's seven relation labels, as ``mentions.jsonl`` writes them; COMPARE and CONJUNCTION are symmetric
RELATION_LABELS: tuple[str, ...] = ("USED-FOR", "FEATURE-OF", "HYPONYM-OF", "PART-OF", "COMPARE", "CONJUNCTION",
                                    "EVALUATE-FOR")


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation stated in one sentence: ``mentions[head] LABEL mentions[tail]`` (indices into the paper's
    ``Extraction.mentions``), with the relation model's probability. COMPARE and CONJUNCTION appear once per pair."""

    head: int
    tail: int
    label: str
    score: float

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Relation:
        return cls(int(d["head"]), int(d["tail"]), str(d["label"]), float(d["score"]))


def _fields(part: Any) -> dict[str, Any]:
    return {name: getattr(part, name) for name in part.__slots__}


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one paper: one line of ``mentions.jsonl``."""

    id: str
    title: str
    mentions: tuple[Mention, ...] = ()
    references: tuple[Reference, ...] = ()
    links: tuple[Link, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    acronyms: tuple[AcronymDefinition, ...] = ()
    relations: tuple[Relation, ...] = ()

    def with_mentions(self, mentions: Sequence[Mention | None]) -> Extraction:
        """This extraction with ``mentions[i]`` in place of its i-th mention, ``None`` dropping it; each relation
        follows its two mentions, and goes with either.

        >>> m = lambda text, start: Mention(text, "method", start, start + len(text), "title", text.lower())
        >>> x = Extraction("p", "A B C", (m("A", 0), m("B", 2), m("C", 4)),
        ...                relations=(Relation(0, 1, "USED-FOR", 0.9), Relation(2, 1, "COMPARE", 0.8)))
        >>> y = x.with_mentions([None, x.mentions[1], x.mentions[2]])
        >>> [m.text for m in y.mentions], y.relations
        (['B', 'C'], (Relation(head=1, tail=0, label='COMPARE', score=0.8),))
        """
        if len(mentions) != len(self.mentions):
            raise ValueError(f"{len(mentions)} mentions given for the {len(self.mentions)} of {self.id!r}")
        index: dict[int, int] = {}
        kept = []
        for i, m in enumerate(mentions):
            if m is not None:
                index[i] = len(kept)
                kept.append(m)
        relations = tuple(Relation(index[r.head], index[r.tail], r.label, r.score) for r in self.relations
                          if r.head in index and r.tail in index)
        return replace(self, mentions=tuple(kept), relations=relations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            # the parts hold only strings and ints: their fields as they are is asdict() without its deep copy
            "mentions": [_fields(m) for m in self.mentions],
            "references": [_fields(r) for r in self.references],
            "links": [_fields(x) for x in self.links],
            "sentences": [_fields(s) for s in self.sentences],
            "acronyms": [_fields(a) for a in self.acronyms],
            "relations": [_fields(r) for r in self.relations],
        }

    def to_json(self) -> str:
        """``json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)``, character for character, written by
        templates: one line of ``mentions.jsonl`` for a third of the time (most of it is mentions and sentences)."""
        q = _json_str
        mentions = ", ".join([_MENTION % (json.dumps(m.confidence), m.end, q(m.field), q(m.key), q(m.label),
                                          q(m.source), m.start, q(m.text)) for m in self.mentions])
        sentences = ", ".join([_SENTENCE % (t.end, q(t.field), t.start) for t in self.sentences])
        return _EXTRACTION % (_json_list(self.acronyms), q(self.id), _json_list(self.links), mentions,
                              _json_list(self.references), _json_list(self.relations), sentences, q(self.title))

    @classmethod
    def from_dict(cls, d: dict[str, Any], strings: dict[str, str] | None = None) -> Extraction:
        """The extraction ``d`` (:meth:`to_dict`'s shape) describes; with ``strings``, a :func:`share_strings`
        pool, its mentions and sentences are made with shared strings at once (what ``share_strings`` of the plain
        result gives, for half the work: reading 10,000 cached extractions took 2.5 s that way, 1.1 s this way)."""
        if strings is None:
            mentions = tuple(Mention.from_dict(m) for m in d.get("mentions", ()))
            sentences = tuple(Sentence.from_dict(s) for s in d.get("sentences", ()))
        else:
            s = strings.setdefault
            mentions = tuple(Mention(s(m["text"], m["text"]), s(m["label"], m["label"]), m["start"], m["end"],
                                     s(m["field"], m["field"]), s(m["key"], m["key"]),
                                     s(m.get("source", "model"), m.get("source", "model")),
                                     float(m.get("confidence", 1.0)))
                             for m in d.get("mentions", ()))
            sentences = tuple(Sentence(s(t["field"], t["field"]), t["start"], t["end"])
                              for t in d.get("sentences", ()))
        return cls(
            id=str(d["id"]),
            title=str(d.get("title", "")),
            mentions=mentions,
            references=tuple(Reference.from_dict(r) for r in d.get("references", ())),
            links=tuple(Link.from_dict(x) for x in d.get("links", ())),
            sentences=sentences,
            acronyms=tuple(AcronymDefinition.from_dict(a) for a in d.get("acronyms", ())),
            relations=tuple(Relation.from_dict(r) for r in d.get("relations", ())),
        )


_json_str = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) writes for a str
_MENTION = '{"confidence": %s, "end": %d, "field": %s, "key": %s, "label": %s, "source": %s, "start": %d, "text": %s}'
_SENTENCE = '{"end": %d, "field": %s, "start": %d}'
_EXTRACTION = ('{"acronyms": %s, "id": %s, "links": %s, "mentions": [%s], "references": %s, "relations": %s, '
               '"sentences": [%s], "title": %s}')


def _json_list(parts: tuple) -> str:
    return json.dumps([_fields(x) for x in parts], ensure_ascii=False, sort_keys=True) if parts else "[]"


def share_strings(x: Extraction, pool: dict[str, str]) -> Extraction:
    """``x`` with each string of its mentions and sentences replaced by the first equal one seen in ``pool``.

    Labels, fields, sources, keys and spellings repeat across a corpus, but every unpickled or parsed record has
    its own copies: sharing them took a paper's extraction from 12.7 to 8.1 kB on the seeds. Keep one pool per
    build (it holds its strings while it lives).
    """
    s = pool.setdefault
    mentions = tuple(Mention(s(m.text, m.text), s(m.label, m.label), m.start, m.end, s(m.field, m.field),
                             s(m.key, m.key), s(m.source, m.source), m.confidence) for m in x.mentions)
    sentences = tuple(Sentence(s(t.field, t.field), t.start, t.end) for t in x.sentences)
    return replace(x, mentions=mentions, sentences=sentences)
