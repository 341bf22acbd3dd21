"""Reader of Hugging Face trending-paper page dumps (format ``hf``): the page's text as copied from a browser."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.fields import DATE_LINE, Listing, iso_date
from citegraph.extract.readers.text import MAX_ABSTRACT_CHARS, MAX_LINE_CHARS, LongLine, clean, lines_of

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


def read(path: str, text: str | Iterable[str | LongLine], year: int, problems: list[InputProblem],
         assumed: list[bool]) -> Iterator[Listing]:
    """A Hugging Face trending-papers page dump: header, ``Mar 17`` date line, then title / abstract paragraphs.
    ``text`` is the page's text or its lines (:func:`~citegraph.extract.readers.text.lines_of`), read one at a time:
    only the paper being read is held. A date line dates the papers after it.

    >>> page = "Mar 17\\n\\nA Title\\n\\nIts abstract.\\n"
    >>> [(x.title, x.abstract, x.date) for x in read("p.txt", page, 2025, [], [])]
    [('A Title', 'Its abstract.', '2025-03-17')]
    """
    paper = _Paper()
    for lineno, line, date in _paragraphs(path, text, year, problems, assumed):
        # the abstract is the paragraph after the title, plus any following paragraph too long to be a title
        if paper.title is None:
            if isinstance(line, LongLine) or len(line) > _TITLE_MAX:
                problems.append(InputProblem(path, lineno, "paragraph too long to be a title and without a title "
                                             "before it; skipped"))
                continue
            paper = _Paper(lineno, line, date)
        elif not paper.chars or isinstance(line, LongLine) or len(line) > _TITLE_MAX:
            paper.add(line)
        else:
            yield from paper.listing(path, problems)
            paper = _Paper(lineno, line, date)
    if paper.title is not None:
        yield from paper.listing(path, problems)


class _Paper:
    """The title and abstract paragraphs being read; an abstract over the limit is counted, not kept."""

    def __init__(self, lineno: int = 0, title: str | None = None, date: str = "") -> None:
        self.lineno, self.title, self.date = lineno, title, date
        self.parts: list[str] = []
        self.chars = 0
        self.over = False

    def add(self, paragraph: str | LongLine) -> None:
        long = isinstance(paragraph, LongLine)
        self.chars += (paragraph.chars if long else len(paragraph)) + (1 if self.chars else 0)
        if long or self.chars > MAX_ABSTRACT_CHARS:
            self.over = True
            self.parts = []  # not kept: the listing is refused
        else:
            self.parts.append(paragraph)

    def listing(self, path: str, problems: list[InputProblem]) -> Iterator[Listing]:
        if self.over:
            problems.append(InputProblem(path, self.lineno, f"abstract of {self.chars:,} characters is over the "
                                         f"limit of {MAX_ABSTRACT_CHARS:,}; the record was skipped"))
            return
        yield Listing(title=self.title, abstract=" ".join(self.parts), source=f"{path}:{self.lineno}",
                      date=self.date)


def _paragraphs(path: str, text: str | Iterable[str | LongLine], year: int, problems: list[InputProblem],
                assumed: list[bool]) -> Iterator[tuple[int, str | LongLine, str]]:
    """(line number, cleaned paragraph or a :class:`LongLine` over the line limit, the date in force) for each
    paragraph; header and date lines are consumed here."""
    date = ""
    lineno = 0
    seen = False
    for raw in lines_of(text):
        if isinstance(raw, LongLine):
            lineno += 1
            problems.append(InputProblem(path, lineno, f"line of {raw.chars:,} characters is over the limit of "
                                         f"{MAX_LINE_CHARS:,}; skipped"))
            yield lineno, raw, date
            seen = True
            continue
        for piece in raw.splitlines() or [""]:
            lineno += 1
            line = clean(piece)
            if not line:
                continue
            if line.lower().startswith("subscribe") and len(line) > len("subscribe") and not seen:
                line = line[len("subscribe"):].strip()  # first title glued to the Subscribe button
            if _HF_HEADER.match(line):
                continue
            if DATE_LINE.match(line):
                date, was_assumed = iso_date(line, year, path, lineno, problems)
                assumed.append(was_assumed)
                continue
            seen = True
            yield lineno, line, date
