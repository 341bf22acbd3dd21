"""Reader of Hugging Face trending-paper page dumps (format ``hf``): the page's text as copied from a browser."""

from __future__ import annotations

import re
from collections.abc import Iterator

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.fields import DATE_LINE, Listing, iso_date
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read"]

_HF_HEADER = re.compile(r"^(new|subscribe|get trending papers in your email inbox.*|by\s*ak and the research community"
                        r"|trending papers|daily papers)$", re.IGNORECASE)
_TITLE_MAX = 300  # a Hugging Face title line is never longer; a longer line is an abstract paragraph


def sniff(head: str) -> bool:
    """Whether ``head`` is a Hugging Face trending-papers page: one of its first 30 non-blank lines is a line of the
    page's header (``Trending Papers``, ``Subscribe``, ``Get trending papers in your email inbox!``...) or a date
    line such as ``Mar 17``.

    >>> sniff("new\\n\\nGet trending papers in your email inbox!\\n"), sniff("Mar 17\\nA title\\nIts abstract.\\n")
    (True, True)
    >>> sniff("FN Clarivate Analytics Web of Science\\nVR 1.0\\n"), sniff("PMID- 123\\nTI  - A title\\n")
    (False, False)
    >>> sniff("SubscribeOn Invariance Penalties\\n"), sniff("Subscribers of a newsletter\\n")
    (True, False)
    """
    seen = 0
    for raw in head.splitlines():
        line = clean(raw)
        if not line:
            continue
        if _HF_HEADER.match(line) or DATE_LINE.match(line) or re.match(r"Subscribe[A-Z]", line):  # a glued title
            return True
        seen += 1
        if seen >= 30:
            break
    return False


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """A Hugging Face trending-papers page dump: header, ``Mar 17`` date line, then title / abstract paragraphs.

    >>> page = "Mar 17\\n\\nA Title\\n\\nIts abstract.\\n"
    >>> [(x.title, x.abstract, x.date) for x in read("p.txt", page, 2025, [], [])]
    [('A Title', 'Its abstract.', '2025-03-17')]
    """
    date = ""
    paragraphs: list[tuple[int, str]] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = clean(raw)
        if not line:
            continue
        if line.lower().startswith("subscribe") and len(line) > len("subscribe") and not paragraphs:
            line = line[len("subscribe"):].strip()  # first title glued to the Subscribe button
        if _HF_HEADER.match(line):
            continue
        if DATE_LINE.match(line):
            date, was_assumed = iso_date(line, year, path, lineno, problems)
            assumed.append(was_assumed)
            continue
        paragraphs.append((lineno, line))
    i = 0
    while i < len(paragraphs):
        lineno, title = paragraphs[i]
        abstract_parts: list[str] = []
        j = i + 1
        # the abstract is the next paragraph, plus any following paragraph too long to be a title
        while j < len(paragraphs) and (not abstract_parts or len(paragraphs[j][1]) > _TITLE_MAX):
            abstract_parts.append(paragraphs[j][1])
            j += 1
        if len(title) > _TITLE_MAX:
            problems.append(InputProblem(path, lineno, "paragraph too long to be a title and without a title before "
                                         "it; skipped"))
            i += 1
            continue
        yield Listing(title=title, abstract=" ".join(abstract_parts), source=f"{path}:{lineno}", date=date)
        i = j
