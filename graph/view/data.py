"""What the map's side panel explains: papers behind a node, and the sentences behind an edge.

Everything here returns plain JSON-able data; the page renders it as text (never as HTML). :func:`script_json`
makes such data safe to embed inside a ``<script>`` element.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from citegraph.extract.records import Extraction, Paper

__all__ = ["script_json", "safe_url", "Evidence"]

#: Longest sentence quoted in a panel (characters); longer ones are cut to a window around the mentions.
MAX_SENTENCE = 400
#: Papers quoted per edge, sentences quoted per paper, papers listed per node.
MAX_EDGE_PAPERS = 12
MAX_SENTENCES_PER_PAPER = 3
MAX_NODE_PAPERS = 60

#: The links of the citation maps: the build graph's edge type behind them, and whether it leaves their ends
#: (the works both papers cite, the papers both authors wrote) or enters them (the papers citing both works).
_DERIVED = {"CO_CITED": ("CITES", False), "COUPLED": ("CITES", True), "CO_AUTHOR": ("WROTE", True)}

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """JSON that can sit inside ``<script type="application/json">``: no ``<``, ``>``, ``&``, U+2028 or U+2029.

    Those characters only occur inside JSON strings, where their ``\\u`` escapes mean the same.

    >>> script_json({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    >>> json.loads(script_json({"t": "</script>\\u2028"}))["t"] == "</script>\\u2028"
    True
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
    for ch, esc in _SCRIPT_ESCAPES.items():
        text = text.replace(ch, esc)
    return text


def safe_url(url: str) -> str:
    """``url`` if it is an http(s) link, else ``""`` (a ``javascript:`` link from a listing must not be clickable).

    >>> safe_url("https://arxiv.org/abs/1"), safe_url("javascript:alert(1)"), safe_url(" HTTP://x.org ")
    ('https://arxiv.org/abs/1', '', 'HTTP://x.org')
    """
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) and not any(c in url for c in "\n\r\t ") else ""


def _pid(node: str) -> str:
    return node.split(":", 1)[1] if node.startswith("paper:") else node


class Evidence:
    """Papers and sentences behind the nodes and edges of one map; fills a papers table and a sentence table.

    ``papers`` and ``extractions`` are by paper id; without them, paper details come from the graph's paper nodes
    and edges carry no sentences.
    """

    def __init__(self, G: nx.DiGraph, papers: Mapping[str, Paper] | None = None,
                 extractions: Mapping[str, Extraction] | None = None) -> None:
        self.G = G
        self.papers = papers or {}
        self.extractions = extractions or {}
        self.paper_rows: dict[str, list] = {}  # pid -> [title, dates, url]
        self.sentences: list[str] = []
        self._sentence_ids: dict[tuple[str, str, int], int] = {}
        self._index: dict[str, tuple] = {}

    # -- papers -------------------------------------------------------------------------------------------------
    def paper(self, pid: str) -> str:
        """Register paper ``pid`` in the papers table and return its id."""
        if pid not in self.paper_rows:
            d = self.G.nodes.get(f"paper:{pid}", {})
            p = self.papers.get(pid)
            title = (p.title if p else None) or d.get("title") or d.get("name") or pid
            dates = list(p.dates) if p else list(d.get("dates") or ())
            url = safe_url((p.url if p else None) or d.get("url") or "")
            self.paper_rows[pid] = [str(title), " ".join(str(x) for x in dates), url]
        return pid

    def node_papers(self, node: str, *, citing: bool = False) -> tuple[list[str], int]:
        """The papers behind a node (newest first, at most ``MAX_NODE_PAPERS``) and how many in all; with
        ``citing``, the papers citing it (a paper on the co-citation map)."""
        G = self.G
        kind = "reference" if citing else G.nodes[node].get("kind")
        if kind == "paper":
            pids = [_pid(node)]
        elif kind == "author":
            pids = [_pid(p) for p in G.successors(node) if G.edges[node, p].get("type") == "WROTE"]
        else:
            edge_type = "MENTIONS" if kind == "entity" else "CITES"
            pids = [_pid(p) for p in G.predecessors(node) if G.edges[p, node].get("type") == edge_type]
        pids.sort(key=lambda p: (str(G.nodes.get(f"paper:{p}", {}).get("last_date", "")), p), reverse=True)
        return [self.paper(p) for p in pids[:MAX_NODE_PAPERS]], len(pids)

    # -- sentences ----------------------------------------------------------------------------------------------
    def _paper_index(self, pid: str) -> tuple:
        """(sentence starts/ends per field, spans per entity key, spans per reference key) of one paper."""
        if pid not in self._index:
            x = self.extractions.get(pid)
            bounds: dict[str, list[tuple[int, int]]] = defaultdict(list)
            spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
            refs: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
            if x is not None:
                for s in x.sentences:
                    bounds[s.field].append((s.start, s.end))
                for m in x.mentions:
                    spans[m.key].append((m.field, m.start, m.end))
                for r in x.references:
                    refs[r.key].append((r.field, r.start, r.end))
            for f in bounds:
                bounds[f].sort()
            self._index[pid] = (dict(bounds), dict(spans), dict(refs))
        return self._index[pid]

    def _text(self, pid: str, field: str) -> str:
        p = self.papers.get(pid)
        if p is not None:
            return p.field(field)
        x = self.extractions.get(pid)
        return x.title if (x is not None and field == "title") else ""

    def _sentence_of(self, pid: str, field: str, pos: int) -> tuple[int, int] | None:
        bounds = self._paper_index(pid)[0].get(field)
        text = self._text(pid, field)
        if not text:
            return None
        if not bounds:
            return 0, len(text)
        i = bisect.bisect_right(bounds, (pos, float("inf"))) - 1
        if i >= 0 and bounds[i][0] <= pos < bounds[i][1]:
            return bounds[i]
        return 0, len(text)  # offsets outside every sentence: quote the field

    def _quote(self, pid: str, field: str, sent: tuple[int, int], marks: list[tuple[int, int, int]]) -> list:
        """[sentence id, [[start, end, which], ...]] with offsets relative to the (possibly cut) sentence."""
        start, end = sent
        text = self._text(pid, field)
        if end - start > MAX_SENTENCE:
            first = min((s for s, _, _ in marks), default=start)
            start = max(start, first - MAX_SENTENCE // 3)
            end = min(end, start + MAX_SENTENCE)
        key = (pid, field, start)
        if key not in self._sentence_ids:
            self._sentence_ids[key] = len(self.sentences)
            cut_left, cut_right = start > sent[0], end < sent[1]
            self.sentences.append(("…" if cut_left else "") + text[start:end] + ("…" if cut_right else ""))
        shift = start - (1 if start > sent[0] else 0)
        rel = sorted({(s - shift, e - shift, w) for s, e, w in marks if s >= start and e <= end})
        return [self._sentence_ids[key], [list(m) for m in rel]]

    def _quotes(self, pid: str, groups: list[list[tuple[str, int, int]]]) -> tuple[list, bool]:
        """Sentences where every group has a span (``True``), else one sentence per group (``False``)."""
        by_sentence: dict[tuple[str, int, int], list[set]] = {}
        for which, group in enumerate(groups):
            for field, s, e in group:
                sent = self._sentence_of(pid, field, s)
                if sent is None:
                    continue
                slot = by_sentence.setdefault((field, *sent), [set() for _ in groups])
                slot[which].add((s, e, which))
        both = [k for k, v in sorted(by_sentence.items()) if all(v)]
        if both:
            picked = both[:MAX_SENTENCES_PER_PAPER]
            return [self._quote(pid, k[0], k[1:], [m for g in by_sentence[k] for m in g]) for k in picked], True
        out = []
        for which in range(len(groups)):
            for k, v in sorted(by_sentence.items()):
                if v[which]:
                    out.append(self._quote(pid, k[0], k[1:], [m for g in v for m in g]))
                    break
        return out, False

    def edge_evidence(self, u: str, v: str, d: Mapping[str, Any]) -> dict[str, Any]:
        """For the edge ``u — v``: its papers (at most ``MAX_EDGE_PAPERS``) with the sentences behind it.

        ``CO_OCCURS``: sentences where both entities occur (``same``), else one sentence for each;
        ``CITES``: sentences with the citation; ``RELATED_TO``: the shared entities.
        """
        G = self.G
        kind = d.get("type")
        if d.get("evidence"):
            return self.stated_evidence(u, v, d)
        if kind == "RELATED_TO":
            shared = [s for s in (d.get("shared_entities") or ()) if s in G]
            return {"papers": [{"p": self.paper(_pid(n))} for n in (u, v)],
                    "shared": [[s, str(G.nodes[s].get("name") or s)] for s in shared[:40]],
                    "total": len(d.get("shared_entities") or ())}
        if kind == "CITES":
            if G.nodes[u].get("kind") == G.nodes[v].get("kind"):  # paper -> paper: the citing one is the source
                paper = d["source_node"] if d.get("source_node") in (u, v) else u
            else:
                paper = u if G.nodes[u].get("kind") == "paper" else v
            ref = v if paper == u else u
            pid = _pid(paper)
            refkey = ref.split(":", 1)[-1]
            quotes, _ = self._quotes(pid, [self._paper_index(pid)[2].get(refkey, [])])
            rows = [{"p": self.paper(pid), "s": quotes, "same": True}]
            if G.nodes[ref].get("kind") == "paper":
                rows.append({"p": self.paper(_pid(ref)), "cited": True})
            return {"papers": rows, "total": 1}
        if kind in _DERIVED:
            return self.derived_evidence(u, v, kind)
        pids = sorted(str(p) for p in (d.get("paper_ids") or ()))
        pids.sort(key=lambda p: (str(G.nodes.get(f"paper:{p}", {}).get("last_date", "")), p), reverse=True)
        ka = str(G.nodes[u].get("key", u.split(":", 1)[-1]))
        kb = str(G.nodes[v].get("key", v.split(":", 1)[-1]))
        rows = []
        for pid in pids[:MAX_EDGE_PAPERS]:
            spans = self._paper_index(pid)[1]
            quotes, same = self._quotes(pid, [spans.get(ka, []), spans.get(kb, [])])
            rows.append({"p": self.paper(pid), "s": quotes, "same": same})
        return {"papers": rows, "total": len(pids)}

    def derived_evidence(self, u: str, v: str, kind: str) -> dict[str, Any]:
        """For a link of a citation map, found again in the build graph: ``CO_CITED``, the papers citing both
        works; ``COUPLED``, both papers and the works both cite (``shared``); ``CO_AUTHOR``, the papers both
        authors wrote. Newest paper first, at most ``MAX_EDGE_PAPERS`` (``total`` counts them all)."""
        G = self.G
        edge_type, forward = _DERIVED[kind]

        def ends(n: str) -> set[str]:
            pairs = G.out_edges(n, data="type") if forward else G.in_edges(n, data="type")
            return {(b if forward else a) for a, b, t in pairs if t == edge_type}

        both = ends(u) & ends(v)
        if kind == "COUPLED":
            shared = sorted(both, key=lambda n: (str(G.nodes[n].get("name") or n), n))
            return {"papers": [{"p": self.paper(_pid(n))} for n in (u, v)],
                    "shared": [[s, str(G.nodes[s].get("name") or s)] for s in shared[:40]], "total": len(shared)}
        pids = sorted((_pid(n) for n in both), key=lambda p: (str(G.nodes.get(f"paper:{p}", {}).get("year") or ""),
                                                             str(G.nodes.get(f"paper:{p}", {}).get("last_date", "")),
                                                             p), reverse=True)
        return {"papers": [{"p": self.paper(p)} for p in pids[:MAX_EDGE_PAPERS]], "total": len(pids)}

    def stated_evidence(self, u: str, v: str, d: Mapping[str, Any]) -> dict[str, Any]:
        """For an edge that carries its ``evidence`` (a list of ``{paper id, field, start, end}`` sentences, as a
        typed relation does): those sentences by paper, newest paper first, with both ends marked where they occur.
        """
        G = self.G
        by_paper: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for ev in d.get("evidence") or ():
            if not isinstance(ev, Mapping):
                continue
            pid = str(ev.get("paper_id") or ev.get("paper") or ev.get("id") or "")
            pid = _pid(pid)
            try:
                field, start, end = str(ev.get("field", "abstract")), int(ev["start"]), int(ev["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if pid and self._text(pid, field) and 0 <= start < end:
                by_paper[pid].append((field, start, end))
        pids = sorted(by_paper, key=lambda p: (str(G.nodes.get(f"paper:{p}", {}).get("last_date", "")), p),
                      reverse=True)
        ka = str(G.nodes[u].get("key", u.split(":", 1)[-1]))
        kb = str(G.nodes[v].get("key", v.split(":", 1)[-1]))
        rows = []
        for pid in pids[:MAX_EDGE_PAPERS]:
            spans = self._paper_index(pid)[1]
            quotes = []
            for field, start, end in sorted(set(by_paper[pid]))[:MAX_SENTENCES_PER_PAPER]:
                marks = [(s, e, which) for which, key in enumerate((ka, kb))
                         for f, s, e in spans.get(key, ()) if f == field and start <= s and e <= end]
                quotes.append(self._quote(pid, field, (start, min(end, len(self._text(pid, field)))), marks))
            rows.append({"p": self.paper(pid), "s": quotes, "same": True})
        return {"papers": rows, "total": len(by_paper), "stated": True}
