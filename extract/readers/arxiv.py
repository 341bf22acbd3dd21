"""Reader of arXiv Atom XML (format ``arxiv``): the feed of the arXiv API, one listing per ``entry``. DTDs and entity
declarations are refused (no entity expansion, no external entities)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.fields import Listing, iso_date
from citegraph.extract.readers.identifiers import normalise_arxiv
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_ENTRY_TAG = re.compile(r"<(?:[\w.-]+:)?entry[\s>/]")
_FIRST_ELEMENT = re.compile(r"<(?:[\w.-]+:)?([A-Za-z_][\w.-]*)[\s>/]")  # not <?xml, <!-- or <!DOCTYPE
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def sniff(head: str) -> bool:
    """Whether ``head`` is an Atom feed: XML (a declaration, a comment, a DOCTYPE or an element first) whose first
    element is ``feed``.

    >>> sniff('<?xml version="1.0"?>\\n<feed xmlns="http://www.w3.org/2005/Atom">'), sniff("<PubmedArticleSet>")
    (True, False)
    """
    start = head.lstrip("\ufeff \t\r\n")
    if not start.startswith("<"):
        return False
    m = _FIRST_ELEMENT.search(start)
    return m is not None and m.group(1) == "feed"


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per Atom (or namespace-less) ``entry``, its source the line of the entry's start tag.

    >>> feed = '<feed xmlns="http://www.w3.org/2005/Atom">\\n<entry><id>http://arxiv.org/abs/1</id><title>T</title>'
    >>> [(x.id, x.title, x.source) for x in read("f.xml", feed + "</entry></feed>", 2025, [], [])]
    [('1', 'T', 'f.xml:2')]
    """
    # ``text`` is already decoded (by the declared encoding); a declaration naming another encoding would make
    # the parser decode the UTF-8 bytes a second time
    text = _XML_DECLARATION.sub(lambda m: "\n" * m.group(0).count("\n"), text, count=1)
    try:
        root = SafeET.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as e:
        problems.append(InputProblem(path, 0, f"XML with DTDs or entity declarations is refused ({type(e).__name__});"
                                     " file skipped"))
        return
    except SafeET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else 0
        problems.append(InputProblem(path, line, f"not well-formed XML ({e}); file skipped"))
        return
    entries = root.findall(f"{_ATOM}entry") or root.findall("entry")
    # the line of each entry's start tag, so problems and sources say path:line as for every other format
    starts, line, at = [], 1, 0
    for m in _ENTRY_TAG.finditer(text):
        line, at = line + text.count("\n", at, m.start()), m.start()
        starts.append(line)
    lines = starts if len(starts) == len(entries) else list(range(1, len(entries) + 1))
    for n, entry in zip(lines, entries):
        def text_of(tag: str) -> str:
            node = entry.find(f"{_ATOM}{tag}")
            if node is None:
                node = entry.find(tag)
            return clean("".join(node.itertext())) if node is not None else ""
        authors = tuple(clean("".join(a.itertext())) for a in entry.iter() if a.tag.endswith("name"))
        links = [lk.get("href", "") for lk in entry.iter() if lk.tag.endswith("link")]
        url = next((h for h in links if "/abs/" in h), links[0] if links else "")
        date, _ = iso_date(text_of("published"), year, path, n, problems)
        raw_id = text_of("id")
        arxiv_id = re.sub(r"^https?://arxiv\.org/abs/", "", raw_id)
        arxiv = normalise_arxiv(arxiv_id)  # a source id too, so OpenAlex, Semantic Scholar... records match it
        yield Listing(title=text_of("title"), abstract=text_of("summary"), source=f"{path}:{n}", date=date,
                      url=url or raw_id, id=arxiv_id, authors=authors, ids=(("arxiv", arxiv),) if arxiv else ())
