"""Reader of BibTeX files (format ``bibtex``): Web of Science, Scopus, Zotero, JabRef... Entries are parsed by
``bibtexparser`` (v2, which reports each entry's line and each block it could not parse), field values are decoded
from LaTeX by ``pylatexenc``.

What is read (field names without case): ``title``, ``abstract``, ``author``, ``year`` (else biblatex ``date``)
and ``month``, ``journal``/``journaltitle``/``booktitle`` venue, ``volume``, ``pages`` (the first) or
``article-number``, ``doi``, ``url``, ``keywords`` (+ WoS ``keywords-plus``, Scopus ``author_keywords``),
``unique-id`` (``WOS:...``), a Scopus ``url``'s EID, ``pmid``, arXiv ``eprint``, ``times-cited`` (WoS) or a
``Cited by: N`` note (Scopus), and the cited references: WoS ``cited-references`` (one per line) and Scopus
``references`` (separated by ``;``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from citegraph.extract.records import InputProblem
from citegraph.extract.readers.cited_strings import (parse_scopus_reference, parse_wos_reference,
                                                     split_scopus_references)
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import (normalise_arxiv, normalise_doi, normalise_pmid, normalise_scopus,
                                                   normalise_wos)
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read", "latex_to_text"]

_ENTRY_START = re.compile(r"^@\s*(?P<type>[A-Za-z]+)\s*[{(]", re.MULTILINE)
_NOT_ENTRIES = {"comment", "string", "preamble"}
_LATEX = LatexNodes2Text(strict_latex_spaces=True)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def sniff(head: str) -> bool:
    """Whether ``head`` is BibTeX: before its first ``@`` block only blank lines, ``%`` comments or a few lines of
    text (Scopus writes ``Scopus`` and ``EXPORT DATE: ...``), and its first entry (``@article{``, ``@ARTICLE{``...;
    ``@string``, ``@preamble`` and ``@comment`` blocks may come before it) has a key.

    >>> sniff("\\ufeff\\n@article{ WOS:000278542800018,\\nAuthor = {X},\\n"), sniff("% JabRef\\n@Article{key,\\n")
    (True, True)
    >>> sniff('@string{nips = "NeurIPS"}\\n@inproceedings{v17,\\n')
    True
    >>> sniff("Title\\nAbstract mentions @article{x,\\n"), sniff("PT J\\n")
    (False, False)
    """
    blocks = _ENTRY_START.finditer(head)
    first = next(blocks, None)
    if first is None:
        return False
    before = [x for x in head[:first.start()].lstrip("\ufeff").splitlines() if x.strip() and not x.startswith("%")]
    if len(before) > 3 or any(len(x) > 80 for x in before):
        return False
    for m in [first, *blocks][:50]:
        if m.group("type").lower() not in _NOT_ENTRIES:
            return bool(re.match(r"[^,\s{}()]*\s*,", head[m.end():m.end() + 300].lstrip()))
    return False


def latex_to_text(value: str) -> str:
    r"""A BibTeX value as plain text: accents and escapes decoded, braces gone, whitespace collapsed (a bare
    ``%`` is a percent sign, not a comment).

    >>> latex_to_text(r"A {B}ig \"{u} \& 50% {[}Anonymous]")
    'A Big ü & 50% [Anonymous]'
    """
    if not re.search(r"[\\$~]", value):  # no macro, math or tie: braces are all there is (the LaTeX parser is slow)
        return clean(value.replace("{", "").replace("}", ""))
    escaped = re.sub(r"(?<!\\)%", r"\\%", value)
    try:
        return clean(_LATEX.latex_to_text(escaped))
    except Exception:  # noqa: BLE001 - pylatexenc raises assorted errors on malformed LaTeX; keep the raw text
        return clean(value.replace("{", "").replace("}", ""))


def _pubdate(fields: dict[str, str]) -> tuple[int | None, str]:
    y = year_of(fields.get("year", "")) or year_of(fields.get("date", ""))
    if not y:
        return None, ""
    m = re.match(r"\d{4}-(\d{2})(?:-(\d{2}))?", fields.get("date", "").strip())
    if m:
        return y, f"{y}-{m.group(1)}" + (f"-{m.group(2)}" if m.group(2) else "")
    month = fields.get("month", "").strip().lower()
    mm = re.match(r"([a-z]{3})[a-z]*\.?(?:\s+(\d{1,2}))?", month)
    if mm and mm.group(1) in _MONTHS:
        n = _MONTHS.index(mm.group(1)) + 1
        return y, f"{y}-{n:02d}" + (f"-{int(mm.group(2)):02d}" if mm.group(2) and int(mm.group(2)) <= 28 else "")
    if re.fullmatch(r"\d{1,2}", month) and 1 <= int(month) <= 12:
        return y, f"{y}-{int(month):02d}"
    return y, str(y)


def _keywords(fields: dict[str, str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for name in ("keywords", "author_keywords", "keywords-plus"):
        value = latex_to_text(fields.get(name, ""))
        for k in re.split(r"\s*;\s*" if ";" in value else r"\s*,\s*", value):
            if k.strip():
                out.setdefault(k.strip(), None)
    return tuple(out)


def _listing(entry: Entry, path: str) -> Listing:
    fields = {f.key.lower(): str(f.value) for f in entry.fields}
    doi = normalise_doi(fields.get("doi", "").replace("\\_", "_"))
    url = fields.get("url", "").strip()
    year, published = _pubdate(fields)
    ids = [("wos", normalise_wos(fields.get("unique-id", ""))) if "wos:" in fields.get("unique-id", "").lower()
           else ("", ""),
           ("scopus", normalise_scopus(url) or normalise_scopus(fields.get("eid", ""))),
           ("pmid", normalise_pmid(fields.get("pmid", "")) if fields.get("pmid", "").strip() else ""),
           ("arxiv", normalise_arxiv(fields.get("eprint", ""))
            if "arxiv" in fields.get("archiveprefix", fields.get("eprinttype", "")).lower() else "")]
    cited = re.search(r"cited by:?\s*(\d+)", fields.get("note", ""), re.IGNORECASE)
    times = fields.get("times-cited", "").strip()
    refs = tuple(parse_wos_reference(latex_to_text(r).rstrip("."))
                 for r in fields.get("cited-references", "").splitlines() if r.strip())
    refs += tuple(parse_scopus_reference(r) for r in split_scopus_references(latex_to_text(fields.get("references",
                                                                                                    ""))))
    pages = fields.get("pages", "")
    return Listing(title=latex_to_text(fields.get("title", "")), abstract=latex_to_text(fields.get("abstract", "")),
                   source=f"{path}:{entry.start_line + 1}", url=url or (f"https://doi.org/{doi}" if doi else ""),
                   authors=tuple(latex_to_text(a) for a in re.split(r"\s+and\s+", fields.get("author", ""))
                                 if latex_to_text(a)),
                   doi=doi, year=year, published=published,
                   venue=latex_to_text(fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
                                       or ""),
                   volume=latex_to_text(fields.get("volume", "")),
                   page=clean(re.split(r"\s*(?:-|–|—|\\textendash)+\s*", pages)[0]) if pages.strip()
                   else latex_to_text(fields.get("article-number", "")),
                   keywords=_keywords(fields), ids=tuple(sorted((s, v) for s, v in ids if s and v)),
                   cited_by=int(times) if re.fullmatch(r"\d{1,9}", times) else int(cited.group(1)) if cited else None,
                   cited_references=refs)


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per entry (``@string``, ``@preamble`` and ``@comment`` are not entries), its source the line of
    its ``@``; a block that cannot be parsed (an unclosed brace, a file cut short) is reported at its line and
    skipped, and the entries after it are still read.

    >>> problems = []
    >>> text = "@article{a,\\n title = {First},\\n year = 2019}\\n@article{b,\\n title = {Cut\\n"
    >>> [(x.title, x.year, x.source) for x in read("r.bib", text, 2025, problems, [])]
    [('First', 2019, 'r.bib:1')]
    >>> [p.line for p in problems]
    [4]
    """
    library = bibtexparser.parse_string(text.lstrip("\ufeff"))
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
            block = block.ignore_error_block  # same key as an earlier entry: still a record of its own
        if isinstance(block, Entry):
            yield _listing(block, path)
        elif isinstance(block, ParsingFailedBlock):
            reason = clean(str(getattr(block.error, "abort_reason", "") or block.error or "")) or "syntax error"
            problems.append(InputProblem(path, block.start_line + 1, f"unreadable BibTeX entry ({reason[:160]}); "
                                         "skipped"))
