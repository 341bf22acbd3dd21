"""Reader of PubMed XML (format ``pubmed-xml``): a ``PubmedArticleSet`` as PubMed's "Save > XML" and E-utilities
``efetch`` write it, read after NLM's documented DTD (``pubmed_250101.dtd``): one listing per ``PubmedArticle``
(and per ``PubmedBookArticle``).

The file is parsed as a stream (lxml ``iterparse``; each article is dropped once read), without network, without
loading the DTD and without expanding entities: a document that declares entities of its own (an internal DTD
subset with ``<!ENTITY``, how "billion laughs" and external-entity attacks are written) is refused as a whole.
The public ``<!DOCTYPE PubmedArticleSet PUBLIC ...>`` line of every PubMed file is only a name and is accepted.

An article gives: ``ArticleTitle``, ``Abstract`` (labelled sections as ``LABEL: text``), authors (``ForeName
LastName`` or ``CollectiveName``), ``Journal/Title`` (else ``ISOAbbreviation``) as venue, ``Volume``, first page
(``StartPage``, else ``MedlinePgn``), the publication date (``PubDate``, ``MedlineDate``), the DOI
(``ArticleId`` or ``ELocationID`` of type ``doi``), PMID and PMC ids, ``Keyword`` s and MeSH
``DescriptorName`` s, and ``ReferenceList`` entries as cited references (``Citation`` text, with the DOI, PMID
and PMC ids of their ``ArticleIdList``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from citegraph.extract.records import CitedReference, InputProblem
from citegraph.extract.readers.fields import Listing, year_of
from citegraph.extract.readers.identifiers import normalise_doi, normalise_pmid
from citegraph.extract.readers.medline import medline_date
from citegraph.extract.readers.text import clean

__all__ = ["sniff", "read"]

_ROOT = re.compile(r"<(?:!DOCTYPE\s+)?PubmedArticleSet[\s>]")
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_ARTICLES = ("PubmedArticle", "PubmedBookArticle")
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"], 1)}


_ENTITIES = ("XML that declares entities (a DTD internal subset with <!ENTITY>) is refused: PubMed never writes "
             "them, and they are how entity-expansion bombs and external-entity reads are written; file skipped")


def sniff(head: str) -> bool:
    """Whether ``head`` (the first decoded characters of a file) is PubMed XML: markup whose root (or DOCTYPE) is
    ``PubmedArticleSet``.

    >>> sniff('<?xml version="1.0"?>\\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" "x.dtd">')
    True
    >>> sniff('<feed xmlns="http://www.w3.org/2005/Atom">'), sniff("PMID- 1")
    (False, False)
    """
    return head.lstrip("\ufeff \t\r\n").startswith("<") and bool(_ROOT.search(head))


class _Utf8Chunks:
    """The decoded ``text`` as UTF-8 bytes, a chunk at a time (no second copy of the whole file), without its XML
    declaration (the text is already decoded: a declaration naming another encoding would decode it twice); the
    declaration's line ends are kept, so line numbers stay those of the file."""

    def __init__(self, text: str) -> None:
        m = _XML_DECLARATION.match(text)
        self.text, self.at = text, m.end() if m else 0
        self.pending = ("\n" * m.group(0).count("\n")).encode() if m else b""

    def read(self, size: int = 65536) -> bytes:
        size = max(size, 1) if size and size > 0 else 65536
        chunk, self.at = self.text[self.at:self.at + size], self.at + size
        data, self.pending = self.pending + chunk.encode("utf-8", "surrogatepass"), b""
        return data


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return clean(el.text or "") if len(el) == 0 else clean("".join(el.itertext()))


def _date(pub: etree._Element | None) -> str:
    """``PubDate`` (``Year``, ``Month``, ``Day`` or ``MedlineDate``) as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if pub is None:
        return ""
    if pub.find("MedlineDate") is not None:
        return medline_date(_text(pub.find("MedlineDate")))
    y, mon, day = _text(pub.find("Year")), _text(pub.find("Month")), _text(pub.find("Day"))
    if not year_of(y):
        return ""
    month = int(mon) if mon.isdigit() else _MONTHS.get(mon[:3].lower(), 0)
    if not 1 <= month <= 12:
        return y[:4]
    d = int(day) if day.isdigit() and 1 <= int(day) <= 31 else 0
    return f"{y[:4]}-{month:02d}" + (f"-{d:02d}" if d else "")


def _ids(id_list: etree._Element | None) -> dict[str, str]:
    """The ``ArticleId`` s of an ``ArticleIdList`` by scheme: doi, pmid, pmcid."""
    found: dict[str, str] = {}
    for a in id_list.findall("ArticleId") if id_list is not None else ():
        kind, value = (a.get("IdType") or "").lower(), _text(a)
        if kind == "doi" and normalise_doi(value):
            found.setdefault("doi", normalise_doi(value))
        elif kind == "pubmed" and normalise_pmid(value):
            found.setdefault("pmid", normalise_pmid(value))
        elif kind == "pmc" and value:
            found.setdefault("pmcid", f"PMC{value.upper().removeprefix('PMC')}")
    return found


def _authors(author_list: etree._Element | None) -> tuple[str, ...]:
    names = []
    for a in author_list.findall("Author") if author_list is not None else ():
        name = _text(a.find("CollectiveName")) or " ".join(
            n for n in (_text(a.find("ForeName")) or _text(a.find("Initials")), _text(a.find("LastName"))) if n)
        if name:
            names.append(name)
    return tuple(names)


def _abstract(abstract: etree._Element | None) -> str:
    parts = []
    for t in abstract.findall("AbstractText") if abstract is not None else ():
        label = (t.get("Label") or "").strip()
        parts.append(f"{label}: {_text(t)}" if label else _text(t))
    return clean(" ".join(parts))


def _references(data: etree._Element | None) -> tuple[CitedReference, ...]:
    refs = []
    for ref in data.iterfind(".//ReferenceList/Reference") if data is not None else ():  # lists may nest
        ids = _ids(ref.find("ArticleIdList"))
        citation = _text(ref.find("Citation"))
        doi = ids.pop("doi", "") or (normalise_doi(citation) if "10." in citation else "")
        year = _YEAR.search(citation)
        if citation or doi or ids:
            refs.append(CitedReference(raw=citation or doi or next(iter(ids.values())), doi=doi,
                                       year=int(year.group(0)) if year else None, ids=tuple(sorted(ids.items()))))
    return tuple(refs)


def _listing(article: etree._Element, source: str) -> Listing:
    """The :class:`Listing` of one ``PubmedArticle`` or ``PubmedBookArticle`` element."""
    citation = article.find("MedlineCitation")
    if citation is None:
        citation = article.find("BookDocument")
    citation = citation if citation is not None else article
    art = citation.find("Article")
    art = art if art is not None else citation  # a BookDocument holds the fields an Article would
    data = article.find("PubmedData")
    if data is None:
        data = article.find("PubmedBookData")
    ids = _ids(data.find("ArticleIdList") if data is not None else None)
    ids.update({k: v for k, v in _ids(citation.find("ArticleIdList")).items() if k not in ids})
    pmid = normalise_pmid(_text(citation.find("PMID"))) or ids.get("pmid", "")
    doi = ids.get("doi") or next((normalise_doi(_text(e)) for e in art.findall("ELocationID")
                                  if (e.get("EIdType") or "").lower() == "doi"), "")
    journal = art.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    published = _date(issue.find("PubDate") if issue is not None else art.find("Book/PubDate"))
    pages = art.find("Pagination")
    page = _text(pages.find("StartPage")) if pages is not None else ""
    page = page or re.split(r"\s*-\s*", _text(pages.find("MedlinePgn")) if pages is not None else "", maxsplit=1)[0]
    keywords = [_text(k) for k in citation.iterfind("KeywordList/Keyword")]
    keywords += [_text(d) for d in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")]
    venue = (_text(journal.find("Title")) or _text(journal.find("ISOAbbreviation"))) if journal is not None else (
        _text(art.find("Book/BookTitle")))
    return Listing(
        title=_text(art.find("ArticleTitle")) or _text(art.find("Book/BookTitle")),
        abstract=_abstract(art.find("Abstract")), source=source,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else "",
        authors=_authors(art.find("AuthorList")), doi=doi, year=year_of(published), published=published,
        venue=venue, volume=_text(issue.find("Volume")) if issue is not None else "", page=page,
        keywords=tuple(dict.fromkeys(k for k in keywords if k)),
        ids=tuple(sorted((k, v) for k, v in (("pmid", pmid), ("pmcid", ids.get("pmcid", ""))) if v)),
        cited_references=_references(data))


def read(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """One listing per article, its source the line of the article's start tag. A document that declares entities
    is refused; a document that stops being well-formed is read up to there and the rest reported.

    >>> xml = ('<PubmedArticleSet>\\n<PubmedArticle><MedlineCitation><PMID>7</PMID><Article><ArticleTitle>T'
    ...        '</ArticleTitle></Article></MedlineCitation></PubmedArticle>\\n</PubmedArticleSet>')
    >>> [(x.title, x.ids, x.source) for x in read("p.xml", xml, 2025, [], [])]
    [('T', (('pmid', '7'),), 'p.xml:2')]
    """
    root = re.search(r"<PubmedArticleSet[\s>/]", text)
    prolog = text[: root.start() if root else 1 << 20]
    if "<!ENTITY" in prolog:  # libxml2 would stop a bomb too, but with a message about amplification
        problems.append(InputProblem(path, prolog.count("\n", 0, prolog.index("<!ENTITY")) + 1, _ENTITIES))
        return
    articles = etree.iterparse(_Utf8Chunks(text), events=("end",), tag=_ARTICLES, resolve_entities=False,
                               no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
                               remove_comments=True, remove_pis=True)
    checked = False
    try:
        for _, el in articles:
            if not checked:
                checked = True
                tree = el.getroottree()
                dtd = tree.docinfo.internalDTD
                if dtd is not None and any(True for _ in dtd.iterentities()):
                    problems.append(InputProblem(path, el.sourceline or 0, _ENTITIES))
                    return
                if tree.getroot().tag != "PubmedArticleSet":
                    problems.append(InputProblem(path, tree.getroot().sourceline or 0, f"root element is "
                                                 f"<{tree.getroot().tag}>, not <PubmedArticleSet>; file skipped"))
                    return
            yield _listing(el, f"{path}:{el.sourceline or 1}")
            el.clear()
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as e:
        line = e.position[0] if getattr(e, "position", None) else 0
        problems.append(InputProblem(path, line, f"not well-formed XML ({e.msg}); the articles from there on were "
                                     "not read"))
