"""Authors as nodes: one ``author:<key>`` node per normalised name and a ``WROTE`` edge to each paper they wrote.

An author's key is the surname and the initials of the given names, ASCII-folded and lower case (``Vaswani, A.``,
``Vaswani A`` and ``Ashish Vaswani`` are all ``vaswani-a``), the form bibliographic exports share: Web of Science
and Scopus write ``Surname, I.`` or ``Surname I``, OpenAlex and the Hugging Face pages ``Given Surname``. Two
people with the same surname and initials share a node, and ``Smith J`` and ``Smith JA`` are two nodes: the
price of a key that needs no outside authority.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

import networkx as nx

from citegraph.extract.records import Paper

__all__ = ["split_name", "surname_key", "author_key", "author_node", "add_authors"]

#: lower-case words that belong to the surname that follows them (``van der Waals``, ``de Souza``)
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos",
                        "das", "ter", "ten", "zu", "af", "al", "bin", "ibn"})
_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,4}")
_ET_AL = re.compile(r"\s+et\.?\s+al\.?$", re.IGNORECASE)


def _fold(text: str) -> str:
    """``text`` without accents (``Müller`` -> ``Muller``, ``Łukasz`` -> ``Lukasz``)."""
    if text.isascii():
        return text
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_WORD = re.compile(r"[a-z0-9]+")


def _slug(text: str) -> str:
    return "-".join(_WORD.findall(_fold(text).lower()))


def split_name(name: str) -> tuple[str, str]:
    """``(surname, initials)`` of a person's name as exports write it, without accents.

    >>> split_name("Vaswani, A."), split_name("Vaswani A"), split_name("Ashish Vaswani")
    (('Vaswani', 'A'), ('Vaswani', 'A'), ('Vaswani', 'A'))
    >>> split_name("Smith JA"), split_name("Arnaud J. A."), split_name("John A. Smith"), split_name("Jean-Paul Sartre")
    (('Smith', 'JA'), ('Arnaud', 'JA'), ('Smith', 'JA'), ('Sartre', 'JP'))
    >>> split_name("Johannes van der Waals"), split_name("Devlin et al."), split_name("Pearl Ł")
    (('van der Waals', 'J'), ('Devlin', ''), ('Pearl', 'L'))
    """
    name = _ET_AL.sub("", " ".join(_fold(name).split())).strip(" .;,")
    if "," in name:
        surname, given = (part.strip() for part in name.split(",", 1))
    else:
        tokens = name.split(" ")
        i = len(tokens)
        while i > 1 and _INITIALS.fullmatch(tokens[i - 1]):  # trailing initials: ``Arnaud J. A.``
            i -= 1
        if i < len(tokens):
            surname, given = " ".join(tokens[:i]), "".join(tokens[i:])
        else:
            i = len(tokens) - 1
            while i > 0 and tokens[i - 1].lower() in _PARTICLES:
                i -= 1
            surname, given = " ".join(tokens[i:]), " ".join(tokens[:i])
    if _INITIALS.fullmatch(given.replace(" ", "")):
        initials = re.sub(r"[^A-Z]", "", given)
    else:
        initials = "".join(w[0] for w in re.split(r"[\s.\-]+", given) if w and w[0].isalpha()).upper()
    return surname, initials


@lru_cache(maxsize=1 << 17)
def surname_key(name: str) -> str:
    """The last word of the surname of ``name`` as a key: what a cited reference's first author is matched on
    (``Spärck Jones G`` in a reference list is ``Geoffrey Spärck Jones`` on the paper, whose surname cannot be
    told from its given names; particles come and go the same way).

    >>> surname_key("Müller-Lyer, F."), surname_key("VASWANI A"), surname_key("Karen Spärck Jones"), surname_key("")
    ('muller-lyer', 'vaswani', 'jones', '')
    """
    words = split_name(name)[0].split() if name.strip() else []
    return _slug(words[-1]) if words else ""


@lru_cache(maxsize=1 << 17)
def author_key(name: str) -> str:
    """The stable key of an author: surname and initials, ASCII-folded, lower case (empty for a nameless string).

    >>> author_key("Vaswani, Ashish"), author_key("VASWANI A"), author_key("Łukasz Kaiser")
    ('vaswani-a', 'vaswani-a', 'kaiser-l')
    """
    surname, initials = split_name(name)
    key = _slug(surname)
    return f"{key}-{initials.lower()}" if key and initials else key


def author_node(key: str) -> str:
    """The node id of an author (by its key). Author ids sort before entity ids (``author:`` < ``entity:``)."""
    return f"author:{key}"


def add_authors(G: nx.DiGraph, papers: Sequence[Paper]) -> int:
    """Add an author node for each distinct author key and a ``WROTE`` edge (``position``: 1 for the first
    author) to each of their papers; an author's ``name`` is their most frequent spelling (ties alphabetically).
    Returns the number of author nodes added.

    >>> G = nx.DiGraph()
    >>> add_authors(G, [Paper("a", "A", authors=("Ashish Vaswani", "Noam Shazeer")),
    ...                 Paper("b", "B", authors=("Vaswani, A.",))])
    2
    >>> G.nodes["author:vaswani-a"]["paper_count"], G.edges["author:vaswani-a", "paper:b"]
    (2, {'type': 'WROTE', 'position': 1})
    """
    spellings: dict[str, Counter] = defaultdict(Counter)
    wrote: dict[str, set[str]] = defaultdict(set)
    for p in papers:
        seen: set[str] = set()
        for position, name in enumerate(p.authors, 1):
            key = author_key(name)
            if not key or key in seen:  # a name given twice on one paper is one author
                continue
            seen.add(key)
            spellings[key][name.strip()] += 1
            wrote[key].add(p.id)
            G.add_edge(author_node(key), f"paper:{p.id}", type="WROTE", position=position)
    for key in sorted(spellings):
        G.add_node(author_node(key), kind="author", label="author", key=key,
                   name=sorted(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
                   paper_count=len(wrote[key]))
    return len(spellings)
