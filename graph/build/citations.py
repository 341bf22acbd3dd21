"""The citation network: each paper's cited references resolved to the papers of the corpus they are (a ``CITES``
edge paper -> paper) or to a reference node (paper -> ``ref:<key>``), and the in-text author-year references joined
to the same targets.

A cited reference is a paper of the corpus when, in this order, (1) its DOI is that paper's, (2) one of its source
ids (PMID, OpenAlex, Semantic Scholar, ... see :data:`~citegraph.extract.records.ID_SCHEMES`) is, (3) its normalised
title (of 3 words or more) is and the years agree (or one is unknown): Scopus-style references, (4) its first
author's surname and year are the paper's first author's and year and its volume and first page agree (or, without
them, its source is the paper's venue): Web of Science ``CR``-style references. A rule only counts when exactly one
paper answers it, and a DOI that disagrees rules a paper out. Any other reference becomes a reference node keyed by
:func:`reference_key`: its DOI, else a source id, else its parts. An in-text reference (``Devlin et al., 2019``)
joins the target of the citing paper's own reference list with that surname and year when there is exactly one,
else the one target of the whole corpus with them, else its own ``ref:devlin-2019`` node.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import networkx as nx

from citegraph.extract.readers.merge import normalise_title
from citegraph.extract.records import ID_SCHEMES, CitedReference, Extraction, Paper
from citegraph.graph.build.authors import surname_key
from citegraph.graph.build.ids import paper_node, reference_id

__all__ = ["parse_cited_reference", "reference_key", "CorpusIndex", "add_citations"]

_CR_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_CR_DOI = re.compile(r"^DOI\s+(?:\[)?(10\.\S+?)(?:\])?$", re.IGNORECASE)
_VOLUME = re.compile(r"^V(\w+)$")
_PAGE = re.compile(r"^P(\w+)$")
#: shortest normalised title a reference is matched or keyed on (``Introduction`` is not a title to match)
MIN_TITLE_WORDS = 3


def parse_cited_reference(ref: CitedReference) -> CitedReference:
    """``ref`` with the parts of a Web of Science ``CR`` string (``Author, year, source, Vvolume, Ppage, DOI x``)
    filled in where the reader gave only the raw string; a reference whose parts are known is returned as it is.

    >>> r = parse_cited_reference(CitedReference("Vaswani A, 2017, ADV NEUR IN, V30, P5998"))
    >>> r.first_author, r.year, r.source, r.volume, r.page
    ('Vaswani A', 2017, 'ADV NEUR IN', '30', '5998')
    >>> r = parse_cited_reference(CitedReference("2024, J COMPUT RES, V9, DOI [10.24191/X.457, 10.24191/X.457]"))
    >>> r.first_author, r.year, r.source, r.doi
    ('', 2024, 'J COMPUT RES', '10.24191/x.457')
    >>> parse_cited_reference(CitedReference("He K., Deep residual learning, CVPR (2016)")).year is None
    True
    """
    if ref.first_author or ref.year or ref.title:
        return ref
    parts = [p.strip() for p in ref.raw.split(",")]
    if parts and _CR_YEAR.match(parts[0]):  # no author: ``2024, J COMPUT RES, V9, DOI x``
        parts.insert(0, "")
    if len(parts) < 2 or not _CR_YEAR.match(parts[1]):
        return ref
    author = "" if parts[0].lower() == "[anonymous]" else parts[0]
    fields: dict = {"first_author": author, "year": int(parts[1])}
    for part in parts[2:]:
        if (m := _VOLUME.match(part)) and "volume" not in fields:
            fields["volume"] = m.group(1)
        elif (m := _PAGE.match(part)) and "page" not in fields:
            fields["page"] = m.group(1)
        elif (m := _CR_DOI.match(part)) and not ref.doi:
            fields["doi"] = m.group(1).lower()
        elif "source" not in fields and part and len(fields) == 2:
            fields["source"] = part
    return replace(ref, **fields)


@lru_cache(maxsize=1 << 16)
def _title_key(title: str) -> str:
    key = normalise_title(title) if title else ""
    return key if len(key.split()) >= MIN_TITLE_WORDS else ""


_WORD = re.compile(r"[a-z0-9]+")


def _part(text: str) -> str:
    return "-".join(_WORD.findall(text.lower())) if text else ""


def reference_key(ref: CitedReference) -> str:
    """The key of a cited reference's node (``ref:<key>``): ``doi:<doi>``; else ``<scheme>:<id>`` of its first
    source id; else ``<surname>-<year>-t<digest of the normalised title>``; else surname, year, source, volume and
    page joined by ``-`` (``vaswani-2017`` alone is the key an in-text ``Vaswani et al., 2017`` has); else a digest
    of the raw string.

    >>> reference_key(CitedReference("x", doi="10.1000/ABC"))
    'doi:10.1000/abc'
    >>> reference_key(parse_cited_reference(CitedReference("Vaswani A, 2017, ADV NEUR IN, V30, P5998")))
    'vaswani-2017-adv-neur-in-30-5998'
    >>> reference_key(CitedReference("Devlin J, 2019", first_author="Devlin J", year=2019))
    'devlin-2019'
    """
    if ref.doi:
        return f"doi:{ref.doi.lower()}"
    ids = dict(ref.ids)
    for scheme in ID_SCHEMES:
        if ids.get(scheme):
            return f"{scheme}:{ids[scheme]}"
    surname, year = surname_key(ref.first_author) or "anon", str(ref.year) if ref.year else "nd"
    if title := _title_key(ref.title):
        return f"{surname}-{year}-t{hashlib.sha1(title.encode('utf-8')).hexdigest()[:10]}"
    if ref.first_author or ref.year:
        return "-".join(p for p in (surname, year, _part(ref.source), _part(ref.volume), _part(ref.page)) if p)
    return "raw-" + hashlib.sha1(normalise_title(ref.raw).encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=1 << 14)
def _venue_key(venue: str) -> str:
    return normalise_title(venue)


def _first_page(page: str) -> str:
    return _part(page.split("-")[0]) if page else ""


@dataclass
class CorpusIndex:
    """The papers of the corpus by DOI, source id, normalised title and first author surname, year and first page
    (or venue): what a cited reference is looked up in (:meth:`match`), each in constant time."""

    papers: dict[str, Paper] = field(default_factory=dict)
    by_doi: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    by_title: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_author_page: dict[tuple[str, int, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    by_author_venue: dict[tuple[str, int, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, papers: Sequence[Paper]) -> CorpusIndex:
        index = cls()
        for p in papers:
            index.papers[p.id] = p
            if p.doi:
                index.by_doi[p.doi.lower()].append(p.id)
            for scheme, value in p.ids:
                index.by_id[(scheme, value.lower())].append(p.id)
            if title := _title_key(p.title):
                index.by_title[title].append(p.id)
            if p.authors and p.year:
                surname = surname_key(p.authors[0])
                if page := _first_page(p.page):
                    index.by_author_page[(surname, p.year, page)].append(p.id)
                if p.venue:
                    index.by_author_venue[(surname, p.year, _venue_key(p.venue))].append(p.id)
        return index

    def match(self, ref: CitedReference) -> tuple[str, str] | None:
        """``(paper id, how)`` of the one paper of the corpus ``ref`` is, or None; ``how`` is ``doi``, a source id
        scheme, ``title``, ``author-year-page`` or ``author-year-source``."""
        if ref.doi and len(found := self.by_doi.get(ref.doi.lower(), ())) == 1:
            return found[0], "doi"
        for scheme, value in ref.ids:
            if len(found := self.by_id.get((scheme, value.lower()), ())) == 1 and self._doi_agrees(found[0], ref):
                return found[0], scheme
        if title := _title_key(ref.title):
            found = [i for i in self.by_title.get(title, ()) if self._doi_agrees(i, ref) and self._year_agrees(i, ref)]
            if len(found) == 1:
                return found[0], "title"
        surname = surname_key(ref.first_author)
        if surname and ref.year:
            page, volume = _first_page(ref.page), _part(ref.volume)
            if page:
                found = [i for i in self.by_author_page.get((surname, ref.year, page), ())
                         if self._doi_agrees(i, ref)
                         and (not volume or not self.papers[i].volume or _part(self.papers[i].volume) == volume)]
                if len(found) == 1:
                    return found[0], "author-year-page"
            elif ref.source:
                found = [i for i in self.by_author_venue.get((surname, ref.year, _venue_key(ref.source)), ())
                         if self._doi_agrees(i, ref)]
                if len(found) == 1:
                    return found[0], "author-year-source"
        return None

    def _doi_agrees(self, paper_id: str, ref: CitedReference) -> bool:
        doi = self.papers[paper_id].doi
        return not (ref.doi and doi and ref.doi.lower() != doi.lower())

    def _year_agrees(self, paper_id: str, ref: CitedReference) -> bool:
        year = self.papers[paper_id].year
        return not (ref.year and year and ref.year != year)


@dataclass
class _Target:
    """What a paper's references resolved to: a node, how many entries of its list and in-text citations, how."""

    node: str
    count: int = 0
    via: set[str] = field(default_factory=set)


@dataclass
class _RefNode:
    """A reference node being assembled: its texts (for the name) and parts (the first given wins)."""

    key: str
    names: Counter = field(default_factory=Counter)
    citing: set[str] = field(default_factory=set)
    parts: dict = field(default_factory=dict)


def _ref_name(ref: CitedReference) -> str:
    """A short display name of a cited reference: ``Vaswani A, 2017: Attention is all you need``."""
    head = ", ".join(p for p in (ref.first_author, str(ref.year or "")) if p)
    tail = ref.title or ref.source
    name = f"{head}: {tail}" if head and tail else head or tail or ref.raw
    return name if len(name) <= 120 else name[:119] + "…"


def _add_bibliographic_attributes(G: nx.DiGraph, papers: Sequence[Paper]) -> None:
    """The paper nodes gain what the exports say of them, where they say it: ``doi``, ``year``, ``published``,
    ``venue``, ``volume``, ``page``, ``keywords``, ``source_ids`` (``scheme:value``) and ``cited_by`` (the source's
    global count)."""
    for p in papers:
        attrs = {"doi": p.doi, "year": p.year, "published": p.published, "venue": p.venue, "volume": p.volume,
                 "page": p.page, "keywords": list(p.keywords), "source_ids": [f"{k}:{v}" for k, v in p.ids],
                 "cited_by": p.cited_by}
        G.nodes[paper_node(p.id)].update({k: v for k, v in attrs.items() if v not in (None, "", [])})


def add_citations(G: nx.DiGraph, papers: Sequence[Paper], extractions: Sequence[Extraction]) -> dict[str, int]:
    """Add the paper nodes' bibliographic attributes, the ``CITES`` edges (``count``: entries and in-text citations
    behind it; ``via``: how it was found, for the edges that come from reference lists) and the reference nodes of
    ``papers``' cited references and ``extractions``' in-text references to ``G`` (whose paper nodes are there). Returns
    counts for the manifest: ``cited_references``, ``cites_in_corpus`` (paper -> paper edges), ``cites_in_corpus_by``
    (how they were found, flattened as ``cites_in_corpus_by_<how>``), ``in_text_joined`` and ``self_citations_skipped``.

    >>> G = nx.DiGraph(); ps = [Paper("a", "A", doi="10.1/a"), Paper("b", "B", cited_references=(
    ...     CitedReference("A, 2020, DOI 10.1/A", doi="10.1/a"), CitedReference("Smith J, 2019, NATURE, V1, P2")))]
    >>> G.add_nodes_from(["paper:a", "paper:b"], kind="paper")
    >>> stats = add_citations(G, ps, [Extraction("a", "A"), Extraction("b", "B")])
    >>> sorted(G.successors("paper:b")), stats["cites_in_corpus"]
    (['paper:a', 'ref:smith-2019-nature-1-2'], 1)
    """
    _add_bibliographic_attributes(G, papers)
    index = CorpusIndex.of(papers)
    nodes: dict[str, _RefNode] = {}
    stats: Counter = Counter()
    by_author_year: dict[tuple[str, int], set[str]] = defaultdict(set)  # corpus-wide targets of a surname and year
    for p in papers:
        if p.authors and p.year:
            by_author_year[(surname_key(p.authors[0]), p.year)].add(paper_node(p.id))
    listed: list[dict[str, _Target]] = []
    own: list[dict[tuple[str, int], set[str]]] = []
    for p in papers:
        targets: dict[str, _Target] = {}
        mine: dict[tuple[str, int], set[str]] = defaultdict(set)
        for raw_ref in p.cited_references:
            ref = parse_cited_reference(raw_ref)
            stats["cited_references"] += 1
            found = index.match(ref)
            if found and found[0] == p.id:
                stats["self_citations_skipped"] += 1
                continue
            if found:
                node, how = paper_node(found[0]), found[1]
            else:
                key = reference_key(ref)
                node, how = reference_id(key), "reference-list"
                r = nodes.setdefault(key, _RefNode(key))
                r.names[_ref_name(ref)] += 1
                r.citing.add(p.id)
                for k in ("first_author", "year", "title", "source", "volume", "page", "doi"):
                    if getattr(ref, k) and k not in r.parts:
                        r.parts[k] = getattr(ref, k)
            t = targets.setdefault(node, _Target(node))
            t.count += 1
            t.via.add(how)
            surname = surname_key(ref.first_author)
            if surname and ref.year:
                mine[(surname, ref.year)].add(node)
                by_author_year[(surname, ref.year)].add(node)
        listed.append(targets)
        own.append(mine)
    for p, x, targets, mine in zip(papers, extractions, listed, own):
        for key, n in sorted(Counter(r.key for r in x.references).items()):
            r0 = next(r for r in x.references if r.key == key)
            at = (surname_key(r0.first_author), r0.year)
            candidates = mine.get(at) or by_author_year.get(at, set())
            candidates = candidates - {paper_node(p.id)}
            if len(candidates) == 1:
                node = next(iter(candidates))
                stats["in_text_joined"] += 1
                t = targets.setdefault(node, _Target(node))
                t.via.add("in-text")
            else:
                node = reference_id(key)
                t = targets.setdefault(node, _Target(node))
            t.count += n
            if node.startswith("ref:"):
                r = nodes.setdefault(node.removeprefix("ref:"), _RefNode(node.removeprefix("ref:")))
                r.citing.add(p.id)
                r.parts.setdefault("first_author", r0.first_author)
                r.parts.setdefault("year", r0.year)
                for ref in x.references:
                    if ref.key == key:
                        r.names[ref.text] += 1
        source = paper_node(p.id)
        for node in sorted(targets):
            t = targets[node]
            attrs = {"type": "CITES", "count": t.count}
            if t.via:  # an in-text reference alone keeps its edge as it always was: no via
                attrs["via"] = sorted(t.via)
            G.add_edge(source, node, **attrs)
            if node.startswith("paper:"):
                stats["cites_in_corpus"] += 1
                for how in t.via:
                    stats[f"cites_in_corpus_by_{how}"] += 1
    for key in sorted(nodes):
        r = nodes[key]
        parts = r.parts
        G.add_node(reference_id(key), kind="reference", label="reference", key=key,
                   name=sorted(r.names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
                   first_author=parts.get("first_author", ""), year=parts.get("year"),
                   **{k: parts[k] for k in ("title", "source", "volume", "page", "doi") if k in parts},
                   paper_count=len(r.citing))
    return dict(sorted(stats.items()))
