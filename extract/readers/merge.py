"""Merging listings into papers: the same paper listed in several files, exports or on several dates (same DOI,
else a shared source id, else the same :func:`normalise_title` and publication year) becomes one
:class:`~citegraph.extract.records.Paper`, its id given by the input or :func:`paper_id_for`."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from citegraph.extract.records import InputProblem, Paper
from citegraph.extract.readers.fields import Listing

__all__ = ["normalise_title", "paper_id_for", "merge_listings"]


def normalise_title(title: str) -> str:
    """The merge key of a title: case, accents, punctuation and spacing do not matter.

    >>> normalise_title("  Poseidon: Efficient Foundation Models for PDEs ")
    'poseidon efficient foundation models for pdes'
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    words = re.findall(r"\w+", text)
    # a title without any letter or digit (emoji, punctuation) is its own key, not the empty key shared by all such
    return " ".join(words) if words else " ".join(text.split())


def paper_id_for(title: str, doi: str = "") -> str:
    """A stable id derived from the content: from the normalised DOI when the paper has one, else from the
    normalised title (the first 12 hex digits of a SHA-1 either way). A DOI is the one thing every export of the
    same paper writes alike (titles come with or without subtitles, markup and truncation), so a paper keeps its id
    whichever export, or set of exports, it is read from; a paper without a DOI keeps the id its title always gave.

    >>> paper_id_for("Random Teachers are Good Teachers") == paper_id_for("random teachers are good  teachers")
    True
    >>> paper_id_for("Any title", "10.1/x") == paper_id_for("Another title", "10.1/x") != paper_id_for("Any title")
    True
    """
    key = f"doi:{doi}" if doi else normalise_title(title)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def merge_listings(listings: Iterable[Listing], existing: Sequence[Paper] = (),
                   problems: list[InputProblem] | None = None) -> list[Paper]:
    """One :class:`Paper` per work, in order of first appearance, carrying every date and source.

    A listing joins the paper with the same DOI; else one that shares a source id (OpenAlex, PubMed, Web of
    Science...) and no conflicting DOI; else one with the same normalised title whose publication year is the same
    or one off (online-first and issue years differ by one) or unknown on either side, unless an explicit id (the
    ``id`` of a JSONL/CSV record), a DOI or a source id of the same scheme differs: then the two are kept apart and
    that is reported in ``problems``, since a silent merge would lose a paper.

    A paper's id is the first explicit id given, else :func:`paper_id_for` its DOI, else its first title.
    ``existing`` papers (an earlier build's) come first, as if their listings had been read before these, and keep
    their ids. Of the bibliographic fields, the first listing that has one gives it (DOI, year, publication date,
    venue, cited references), keywords and source ids are united, and the cited-by count is the largest given.
    Listing dates (of Hugging Face pages) and publication years are separate fields: both stay.

    >>> [(p.title, p.dates, p.sources) for p in merge_listings([Listing("A Title", "", "a.txt:3", "2025-03-17"),
    ...                                                         Listing("a title!", "", "b.csv:2", "2025-03-14")])]
    [('A Title', ('2025-03-14', '2025-03-17'), ('a.txt:3', 'b.csv:2'))]
    >>> problems = []
    >>> len(merge_listings([Listing("T", "", "a.csv:2", id="a"), Listing("T", "", "a.csv:3", id="b")], (), problems))
    2
    >>> [str(p) for p in problems]
    ["a.csv:3: same title as a.csv:2 but a different id ('b', not 'a'): kept as a separate paper"]
    """
    problems = [] if problems is None else problems
    index = _Index()
    for p in existing:
        m = _fields_of(p, p.id, p.id if p.id not in {paper_id_for(p.title), paper_id_for(p.title, p.doi)} else "")
        m["dates"], m["sources"] = set(p.dates), set(p.sources)
        index.papers.append(m)
        index.add(m, normalise_title(p.title))
    for lst in listings:
        key = normalise_title(lst.title)
        m = index.find(lst, key, problems)
        if m is None:
            m = _fields_of(lst, "", lst.id)
            index.papers.append(m)
            index.add(m, key)
        else:
            _merge_into(m, lst)
            index.add(m, key)
        if lst.date:
            m["dates"].add(lst.date)
        m["sources"].add(lst.source)
    taken: set[str] = set()
    papers = []
    for m in index.papers:
        paper_id = m["id"] or m["explicit"] or _derived_id(m, taken)
        taken.add(paper_id)
        papers.append(Paper(**{**{k: v for k, v in m.items() if k != "explicit"}, "id": paper_id,
                               "dates": tuple(sorted(m["dates"])), "sources": tuple(sorted(m["sources"])),
                               "keywords": tuple(m["keywords"]), "ids": tuple(sorted(m["ids"].items()))}))
    return papers


def _derived_id(m: dict, taken: set[str]) -> str:
    """:func:`paper_id_for` the paper; for a second paper of the same title and no DOI (kept apart because its
    source ids or year differ), the digest of its title with its source ids, else its year, else its first
    source, so that both keep an id of their own."""
    paper_id = paper_id_for(m["title"], m["doi"])
    if paper_id not in taken:
        return paper_id
    ids = ",".join(f"{k}:{v}" for k, v in sorted(m["ids"].items()))
    for extra in (ids, str(m["year"] or ""), min(m["sources"], default="")):
        if extra:
            paper_id = hashlib.sha1(f"{normalise_title(m['title'])}|{extra}".encode("utf-8")).hexdigest()[:12]
            if paper_id not in taken:
                return paper_id
    return paper_id


class _Index:
    """The merge states of the papers so far, found by DOI, source id and normalised title."""

    def __init__(self) -> None:
        self.papers: list[dict] = []
        self.by_doi: dict[str, dict] = {}
        self.by_id: dict[tuple[str, str], dict] = {}
        self.by_title: dict[str, list[dict]] = {}

    def add(self, m: dict, key: str) -> None:
        """Index ``m`` (new, or grown by a listing whose normalised title is ``key``) under its DOI, ids and
        ``key``."""
        if m["doi"]:
            self.by_doi.setdefault(m["doi"], m)
        for pair in m["ids"].items():
            self.by_id.setdefault(pair, m)
        same = self.by_title.setdefault(key, [])
        if not any(x is m for x in same):
            same.append(m)

    def find(self, lst: Listing, key: str, problems: list[InputProblem]) -> dict | None:
        """The paper ``lst`` (whose normalised title is ``key``) is a listing of, or None; a title match kept apart
        is reported."""
        if lst.doi and lst.doi in self.by_doi:
            return _same_work(self.by_doi[lst.doi], lst, "DOI", problems)
        for scheme, value in lst.ids:
            m = self.by_id.get((scheme, value))
            if m is not None and not (lst.doi and m["doi"] and lst.doi != m["doi"]):
                return _same_work(m, lst, f"{scheme} id", problems)
        conflicts = []
        for m in self.by_title.get(key, ()):
            if lst.year and m["year"] and abs(lst.year - m["year"]) > 1:
                continue  # another work of the same title (an editorial, a reprint years later)
            conflict = _conflict(m, lst)
            if not conflict:
                return m
            conflicts.append((m, conflict))
        if conflicts:
            m, conflict = conflicts[0]
            _report(problems, lst, f"same title as {_first(m)} but {conflict}: kept as a separate paper")
        return None


def _same_work(m: dict, lst: Listing, what: str, problems: list[InputProblem]) -> dict:
    """``m``, which ``lst`` is a listing of by its ``what``; if their explicit ids differ, that is reported (a DOI
    or source id names one work: they are merged all the same)."""
    if lst.id and m["explicit"] and lst.id != m["explicit"]:
        _report(problems, lst, f"same {what} as {_first(m)} but a different id ({lst.id!r}, not {m['explicit']!r}): "
                f"merged as one work, the paper keeps id {m['explicit']!r}")
    return m


def _first(m: dict) -> str:
    return min(m["sources"]) if m["sources"] else "an earlier paper"


def _report(problems: list[InputProblem], lst: Listing, message: str) -> None:
    path, _, line = lst.source.rpartition(":")
    problems.append(InputProblem(path, int(line) if line.isdigit() else 0, message))


def _conflict(m: dict, lst: Listing) -> str:
    """What makes ``lst`` another work than the paper ``m`` of the same title: "" when nothing does."""
    if lst.id and m["explicit"] and lst.id != m["explicit"]:
        return f"a different id ({lst.id!r}, not {m['explicit']!r})"
    if lst.doi and m["doi"] and lst.doi != m["doi"]:
        return f"a different DOI ({lst.doi}, not {m['doi']})"
    for scheme, value in lst.ids:
        if m["ids"].get(scheme, value) != value:
            return f"a different {scheme} id ({value}, not {m['ids'][scheme]})"
    return ""


_FIRST_GIVEN = ("abstract", "url", "authors", "doi", "year", "published", "venue", "volume", "page",
                "cited_references")


def _fields_of(x: Listing | Paper, paper_id: str, explicit: str) -> dict:
    """The merge state of a paper started from ``x``: its fields, dates and sources as sets, ids as a dict;
    ``paper_id`` is its fixed id ("" while it is to be derived), ``explicit`` the id its input gave ("" if none)."""
    return {"id": paper_id, "explicit": explicit, "title": x.title, "dates": set(), "sources": set(),
            "ids": dict(x.ids), "keywords": list(x.keywords), "cited_by": x.cited_by,
            **{k: getattr(x, k) for k in _FIRST_GIVEN}}


def _merge_into(m: dict, lst: Listing) -> None:
    """Add what ``lst`` knows and the merge state ``m`` lacks."""
    for k in _FIRST_GIVEN:
        if not m[k] and getattr(lst, k):
            m[k] = getattr(lst, k)
    if not m["explicit"] and lst.id:
        m["explicit"] = lst.id
    for scheme, value in lst.ids:
        m["ids"].setdefault(scheme, value)
    m["keywords"].extend(k for k in lst.keywords if k not in m["keywords"])
    if lst.cited_by is not None:
        m["cited_by"] = max(m["cited_by"] or 0, lst.cited_by)
