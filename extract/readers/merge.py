"""Merging listings into papers: the same paper (same :func:`normalise_title`) listed in several files or on several
dates becomes one :class:`~citegraph.extract.records.Paper`, its id given by the input or :func:`paper_id_for`."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from citegraph.extract.records import Paper
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


def paper_id_for(title: str) -> str:
    """A stable id derived from the normalised title.

    >>> paper_id_for("Random Teachers are Good Teachers") == paper_id_for("random teachers are good  teachers")
    True
    """
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:12]


def merge_listings(listings: Iterable[Listing], existing: Sequence[Paper] = ()) -> list[Paper]:
    """One :class:`Paper` per normalised title, in order of first appearance, carrying every date and source.

    ``existing`` papers (an earlier build's) come first, as if their listings had been read before these. Of the
    bibliographic fields, the first listing that has one gives it (DOI, year, publication date, venue, cited
    references), keywords and source ids are united, and the cited-by count is the largest given.

    >>> [(p.title, p.dates, p.sources) for p in merge_listings([Listing("A Title", "", "a.txt:3", "2025-03-17"),
    ...                                                         Listing("a title!", "", "b.csv:2", "2025-03-14")])]
    [('A Title', ('2025-03-14', '2025-03-17'), ('a.txt:3', 'b.csv:2'))]
    """
    merged: dict[str, dict] = {}
    for p in existing:
        m = merged[normalise_title(p.title)] = _fields_of(p, p.id)
        m["dates"], m["sources"] = set(p.dates), set(p.sources)
    for lst in listings:
        key = normalise_title(lst.title)
        m = merged.get(key)
        if m is None:
            merged[key] = m = _fields_of(lst, lst.id or paper_id_for(lst.title))
        else:
            _merge_into(m, lst)
        if lst.date:
            m["dates"].add(lst.date)
        m["sources"].add(lst.source)
    return [Paper(**{**m, "dates": tuple(sorted(m["dates"])), "sources": tuple(sorted(m["sources"])),
                     "keywords": tuple(m["keywords"]), "ids": tuple(sorted(m["ids"].items()))})
            for m in merged.values()]


_FIRST_GIVEN = ("abstract", "url", "authors", "doi", "year", "published", "venue", "volume", "page",
                "cited_references")


def _fields_of(x: Listing | Paper, paper_id: str) -> dict:
    """The merge state of a paper started from ``x``: its fields, dates and sources as sets, ids as a dict."""
    return {"id": paper_id, "title": x.title, "dates": set(), "sources": set(), "ids": dict(x.ids),
            "keywords": list(x.keywords), "cited_by": x.cited_by, **{k: getattr(x, k) for k in _FIRST_GIVEN}}


def _merge_into(m: dict, lst: Listing) -> None:
    """Add what ``lst`` knows and the merge state ``m`` lacks."""
    for k in _FIRST_GIVEN:
        if not m[k] and getattr(lst, k):
            m[k] = getattr(lst, k)
    for scheme, value in lst.ids:
        m["ids"].setdefault(scheme, value)
    m["keywords"].extend(k for k in lst.keywords if k not in m["keywords"])
    if lst.cited_by is not None:
        m["cited_by"] = max(m["cited_by"] or 0, lst.cited_by)
