"""Finding a paper of a build by what a person remembers of it: its id, its title, or part of its title.

>>> from citegraph.testing import toy_graph
>>> G = toy_graph()
>>> title = G.nodes["paper:p3"]["title"]
>>> find_paper(G, "p3") == find_paper(G, "paper:p3") == find_paper(G, title.upper()) == "paper:p3"
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import networkx as nx

from citegraph.extract.records import CitegraphError

__all__ = ["PaperNotFound", "find_paper", "paper_title"]

#: How many suggestions an unknown paper lists.
SUGGESTIONS = 5
#: A misspelt title is taken when it is at least this close to one title (difflib ratio) and clearly closest.
TAKE_CLOSE = 0.9


class PaperNotFound(CitegraphError, ValueError):
    """No paper of the build matches what was asked; the message lists the closest titles."""


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def paper_title(G: nx.DiGraph, node: str) -> str:
    """A paper's title (its id when the graph has none)."""
    d = G.nodes[node]
    return str(d.get("title") or d.get("name") or node.split(":", 1)[-1])


def find_paper(G: nx.DiGraph, text: str) -> str:
    """The paper node ``text`` names: a node id (``paper:<id>``), a bare id, a title (ignoring case, accents and
    punctuation), a part of exactly one title (or words all in exactly one title), or a title misspelt a little.
    Anything else raises :class:`PaperNotFound` listing the closest titles.

    >>> from citegraph.testing import toy_graph
    >>> G = toy_graph()
    >>> t = G.nodes["paper:p1"]["title"]
    >>> find_paper(G, t[:-1] + "x") == "paper:p1"   # one letter off
    True
    >>> try:
    ...     find_paper(G, "zzzz qqqq")
    ... except PaperNotFound as e:
    ...     print(e)
    unknown paper 'zzzz qqqq': no paper id or title matches it
    """
    wanted = text.strip()
    node = wanted if wanted.startswith("paper:") else f"paper:{wanted}"
    if wanted and node in G and G.nodes[node].get("kind") == "paper":
        return node
    titles = {n: _normal(paper_title(G, n)) for n, d in sorted(G.nodes(data=True)) if d.get("kind") == "paper"}
    key = _normal(wanted)
    if key:
        exact = [n for n, t in titles.items() if t == key]
        if exact:
            return exact[0]
        part = [n for n, t in titles.items() if key in t]
        if not part:  # every word of it, in any order
            words = set(key.split())
            part = [n for n, t in titles.items() if words <= set(t.split())]
        if len(part) == 1 and len(key) >= 4:
            return part[0]
        scored = sorted(((difflib.SequenceMatcher(None, key, t).ratio(), n) for n, t in titles.items()),
                        key=lambda s: (-s[0], s[1]))
        clearly_closest = len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05
        if not part and scored and scored[0][0] >= TAKE_CLOSE and clearly_closest:
            return scored[0][1]
        suggestions = part[:SUGGESTIONS] or [n for r, n in scored[:SUGGESTIONS] if r >= 0.5]
    else:
        suggestions = []
    hint = ""
    if suggestions:
        hint = "; did you mean " + "; ".join(f"{paper_title(G, n)!r} ({n})" for n in suggestions)
    raise PaperNotFound(f"unknown paper {text!r}: no paper id or title matches it{hint}")
