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

    ``existing`` papers (an earlier build's) come first, as if their listings had been read before these.

    >>> [(p.title, p.dates, p.sources) for p in merge_listings([Listing("A Title", "", "a.txt:3", "2025-03-17"),
    ...                                                         Listing("a title!", "", "b.csv:2", "2025-03-14")])]
    [('A Title', ('2025-03-14', '2025-03-17'), ('a.txt:3', 'b.csv:2'))]
    """
    merged: dict[str, dict] = {}
    for p in existing:
        merged[normalise_title(p.title)] = {"id": p.id, "title": p.title, "abstract": p.abstract,
                                            "dates": set(p.dates), "sources": set(p.sources), "url": p.url,
                                            "authors": p.authors}
    for lst in listings:
        key = normalise_title(lst.title)
        m = merged.get(key)
        if m is None:
            merged[key] = m = {"id": lst.id or paper_id_for(lst.title), "title": lst.title, "abstract": lst.abstract,
                               "dates": set(), "sources": set(), "url": lst.url, "authors": lst.authors}
        m["abstract"] = m["abstract"] or lst.abstract
        m["url"] = m["url"] or lst.url
        m["authors"] = m["authors"] or lst.authors
        if lst.date:
            m["dates"].add(lst.date)
        m["sources"].add(lst.source)
    return [Paper(id=m["id"], title=m["title"], abstract=m["abstract"], dates=tuple(sorted(m["dates"])),
                  sources=tuple(sorted(m["sources"])), url=m["url"], authors=tuple(m["authors"]))
            for m in merged.values()]
