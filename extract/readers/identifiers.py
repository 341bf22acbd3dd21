"""Identifiers as bibliographic sources write them, in one form each so that the same paper or cited work matches
across exports: DOIs, PubMed ids, OpenAlex ids, arXiv ids.
"""

from __future__ import annotations

import re

__all__ = ["normalise_doi", "normalise_pmid", "normalise_openalex", "normalise_arxiv"]

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
