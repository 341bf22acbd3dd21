"""Identifiers as bibliographic sources write them, in one form each so that the same paper or cited work matches
across exports: DOIs, PubMed ids, OpenAlex ids, arXiv ids.
"""

from __future__ import annotations

import re

__all__ = ["normalise_doi", "normalise_pmid", "normalise_openalex", "normalise_arxiv", "arxiv_of_doi",
           "normalise_wos", "normalise_scopus"]

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://)?(?:dx\.)?(?:doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise_doi(text: str) -> str:
    """The DOI in ``text``, lower-cased, without resolver prefix or trailing punctuation; "" when there is none.

    >>> normalise_doi("https://doi.org/10.1145/3292500.3330701."), normalise_doi("DOI 10.1000/ABC;"), normalise_doi("x")
    ('10.1145/3292500.3330701', '10.1000/abc', '')
    """
    m = _DOI.search(_DOI_PREFIX.sub("", text or ""))
    return m.group(0).rstrip(".,;:)]}>'\"").lower() if m else ""


def normalise_pmid(text: str) -> str:
    """A PubMed id as its digits: ``"PMID: 12345"`` and ``"https://pubmed.ncbi.nlm.nih.gov/12345/"`` give ``12345``.

    >>> normalise_pmid("PMID: 0012345"), normalise_pmid("https://pubmed.ncbi.nlm.nih.gov/12345/"), normalise_pmid("")
    ('12345', '12345', '')
    """
    m = re.search(r"(\d{1,9})\D*$", text or "")
    return str(int(m.group(1))) if m else ""


def normalise_openalex(text: str) -> str:
    """An OpenAlex work id as ``W`` and its digits, from the id or its URL.

    >>> normalise_openalex("https://openalex.org/W2741809807"), normalise_openalex("w123"), normalise_openalex("A1")
    ('W2741809807', 'W123', '')
    """
    m = re.search(r"(?:^|/)[Ww](\d+)$", (text or "").strip())
    return f"W{m.group(1)}" if m else ""


def normalise_arxiv(text: str) -> str:
    """An arXiv id without URL, ``arXiv:`` prefix or version: ``2106.09685`` or ``hep-th/9901001``.

    >>> normalise_arxiv("https://arxiv.org/abs/2106.09685v2"), normalise_arxiv("arXiv:hep-th/9901001v1")
    ('2106.09685', 'hep-th/9901001')
    """
    m = re.search(r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\s*$", (text or "").strip())
    return m.group(1) if m else ""


def arxiv_of_doi(doi: str) -> str:
    """The arXiv id of an arXiv DOI (DataCite's ``10.48550/arXiv.<id>``, which OpenAlex and Crossref give for
    preprints), "" for any other DOI: so a preprint's record matches its arXiv listing.

    >>> arxiv_of_doi("10.48550/arxiv.2106.09685"), arxiv_of_doi("10.1145/3292500.3330701")
    ('2106.09685', '')
    """
    return normalise_arxiv(doi[len("10.48550/arxiv."):]) if doi.lower().startswith("10.48550/arxiv.") else ""


def normalise_wos(text: str) -> str:
    """A Web of Science accession number (UT) without its ``WOS:`` prefix, upper case.

    >>> normalise_wos("WOS:000870236000001"), normalise_wos(" wos:a1979gv55600001 "), normalise_wos("ISI:000254")
    ('000870236000001', 'A1979GV55600001', '000254')
    """
    m = re.fullmatch(r"\s*(?:(?:WOS|ISI):)?([A-Z0-9]{6,20})\s*", (text or "").upper())
    return m.group(1) if m else ""


def normalise_scopus(text: str) -> str:
    """A Scopus EID (``2-s2.0-`` and digits), from the EID or a Scopus record URL.

    >>> normalise_scopus("2-s2.0-85074596690"), normalise_scopus("https://x.org/r.uri?eid=2-s2.0-27344436659&x")
    ('2-s2.0-85074596690', '2-s2.0-27344436659')
    """
    m = re.search(r"2-s2\.0-(\d{5,20})", text or "")
    return f"2-s2.0-{m.group(1)}" if m else ""
