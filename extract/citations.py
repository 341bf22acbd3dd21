"""In-text citations (``Seide et al., 2014``, ``Arjovsky et al. [2019]``, ``Barron [1993]``) and URLs, as pure
functions over text."""

from __future__ import annotations

import re
import unicodedata

from citegraph.extract.records import Link, Reference

__all__ = ["find_references", "find_links", "reference_key"]

# A capitalised word with a lowercase letter in it. Written without backtracking (possessive runs of name
# characters: first those that are not a-z, then a-z, then the rest) and only from the start of a run of name
# characters: ``[A-Z][\w'-]*[a-z][\w'-]*`` took cubic time on ``Aa-Aa-Aa-...`` (10 s for 1,200 characters).
_NAME_CHARS = r"[\w'\u2019-]"
_NAME = (rf"(?:van\s+der\s+|van\s+|von\s+|de\s+|del\s+|di\s+|le\s+)?(?<!{_NAME_CHARS})"
         rf"[A-Z](?:[^\Wa-z]|['\u2019-])*+[a-z]{_NAME_CHARS}*+")
_AUTHORS = rf"(?P<author>{_NAME})(?P<rest>\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})?"
_YEAR = r"(?P<year>(?:19|20)\d{2})[a-z]?"
# narrative: Arjovsky et al. [2019], Barron [1993], Seide et al. (2014)
_NARRATIVE = re.compile(rf"(?<!{_NAME_CHARS}){_AUTHORS}\s*+[\(\[]{_YEAR}[\)\]]")
# parenthetical: (Seide et al., 2014; Richtarik et al., 2021)
# shorthand for "et al.": Makkuva+ 2020, Amos+2017
_PLUS = re.compile(rf"(?<!{_NAME_CHARS})(?P<author>{_NAME})\+\s?{_YEAR}(?!\d)")
_PAREN_GROUP = re.compile(r"[\(\[]([^()\[\]]{4,400})[\)\]]")
_PAREN_ITEM = re.compile(rf"^\s*(?:e\.g\.,?\s*|see\s+|cf\.\s*)?{_AUTHORS},?\s+{_YEAR}\s*$")
# with a venue and its year's last two digits, as theory papers cite: [Price, Song and Woodruff, ICALP'17]
_VENUE_ITEM = re.compile(rf"^\s*(?P<author>{_NAME})(?:\s*,\s*{_NAME})*(?:,?\s+(?:and|&)\s+{_NAME})?,\s+"
                         r"[A-Z][A-Za-z]{1,11}\s?['\u2019](?P<year>\d{2})\s*$")
_NOT_AUTHORS = {"In", "The", "This", "We", "Our", "Table", "Figure", "Fig", "Section", "Eq", "Since", "From", "Until",
                "March", "April", "June", "July", "May", "January", "February", "August", "September", "October",
                "November", "December", "Version", "Vol", "Year", "Summer", "Winter", "Spring", "Fall", "Autumn"}
_URL = re.compile(r"(?:https?://|www\.|(?<![\w./])(?:github|gitlab|huggingface)\.(?:com|co)/)[^\s<>\"'`]+",
                  re.IGNORECASE)


def reference_key(first_author: str, year: int) -> str:
    """``seide-2014``: ascii, lowercase, spaces as hyphens.

    >>> reference_key("Richtárik", 2021)
    'richtarik-2021'
    """
    ascii_name = unicodedata.normalize("NFKD", first_author).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"{slug or 'unknown'}-{year}"


def _reference(m: re.Match, text: str, field: str, offset: int = 0) -> Reference | None:
    author = m.group("author")
    surname = author.split()[-1]
    if surname in _NOT_AUTHORS or re.search(r"[A-Z]{2}|[a-z][A-Z].*[A-Z]", surname):
        return None  # NeurIPS 2023, ICLR (2024): venues, not authors
    year = int(m.group("year"))
    if year < 100:  # ICALP'17
        year += 2000 if year <= 50 else 1900
    start, end = m.start() + offset, m.end() + offset
    return Reference(text=text[start:end], first_author=author, year=year, key=reference_key(author, year),
                     field=field, start=start, end=end)


def find_references(text: str, field: str) -> list[Reference]:
    """In-text author-year citations, sorted by position.

    >>> [r.key for r in find_references("EF (Seide et al., 2014; Richtarik et al., 2021) and Barron [1993].",
    ...                                 "abstract")]
    ['seide-2014', 'richtarik-2021', 'barron-1993']
    >>> [r.text for r in find_references("first proposed by Arjovsky et al. [2019] to", "abstract")]
    ['Arjovsky et al. [2019]']
    >>> [r.key for r in find_references("[Makkuva+ 2020, Korotin+2020] consider maps", "abstract")]
    ['makkuva-2020', 'korotin-2020']
    >>> for r in find_references("improves [Price, Song and Woodruff, ICALP'17]; see [Song and Yu, ICML'21; Li, "
    ...                          "NeurIPS'99]", "abstract"):
    ...     print(r.key, r.text)
    price-2017 Price, Song and Woodruff, ICALP'17
    song-2021 Song and Yu, ICML'21
    li-1999 Li, NeurIPS'99
    """
    found: dict[int, Reference] = {}
    for m in (*_NARRATIVE.finditer(text), *_PLUS.finditer(text)):
        ref = _reference(m, text, field)
        if ref:
            found[ref.start] = ref
    for g in _PAREN_GROUP.finditer(text):
        pos = g.start(1)
        for part in g.group(1).split(";"):
            lead = len(part) - len(part.lstrip())
            m = _PAREN_ITEM.match(part.strip()) or _VENUE_ITEM.match(part.strip())
            if m:
                ref = _reference(m, text, field, offset=pos + lead)
                if ref and not any(r.start <= ref.start < r.end for r in found.values()):
                    found[ref.start] = ref
            pos += len(part) + 1
    return [found[k] for k in sorted(found)]


def find_links(text: str, field: str) -> list[Link]:
    """URLs (code links, project pages), without trailing punctuation.

    >>> [x.url for x in find_links("Code: https://github.com/a/b. Also github.com/c/d).", "abstract")]
    ['https://github.com/a/b', 'github.com/c/d']
    """
    links = []
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        # drop closing brackets that close nothing opened in the URL (counted once: recounting per character was
        # quadratic on a URL followed by thousands of ``)``)
        opened, closed = url.count("("), url.count(")")
        while url.endswith((")", "]")) and opened < closed + (1 if url.endswith(")") else 0):
            closed -= url.endswith(")")
            url = url[:-1].rstrip(".,;:!?")
            if not url.endswith((")", "]")):
                break
        links.append(Link(url=url, field=field, start=m.start(), end=m.start() + len(url)))
    return links
