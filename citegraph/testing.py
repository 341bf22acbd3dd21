"""Generated listings for exercising maps (tests and ``bench/bench_view.py``): records built like the extractor's,
turned into a graph by :func:`citegraph.graph.build.tables.build_graph`, so generated maps follow the real schema."""

from __future__ import annotations

import random
from collections.abc import Sequence

import networkx as nx

from citegraph.extract.records import LABELS, Extraction, Mention, Paper, Reference, Sentence

__all__ = ["sample_records", "sample_graph"]

_WORDS = ("neural", "graph", "sparse", "deep", "robust", "contrastive", "latent", "diffusion", "token", "vision",
          "speech", "causal", "bayesian", "federated", "quantum", "adaptive", "masked", "recurrent", "spectral")
_SUFFIX = {"method": "Net", "dataset": "Bench", "task": "detection", "metric": "score", "concept": "learning"}


def _entity_names(n: int, rng: random.Random) -> list[tuple[str, str]]:
    out, seen = [], set()
    while len(out) < n:
        label = LABELS[len(out) % len(LABELS)]
        name = f"{rng.choice(_WORDS).title()}{rng.choice(_WORDS).title()}-{len(out)} {_SUFFIX[label]}"
        if name not in seen:
            seen.add(name)
            out.append((name, label))
    return out


def sample_records(n_entities: int = 60, n_papers: int = 40, *, per_paper: int = 6, seed: int = 0,
                   titles: Sequence[str] = ()) -> tuple[list[Paper], list[Extraction]]:
    """Papers whose abstracts mention entities (popularity ~ Zipf), one sentence per pair, and a citation each.

    ``titles`` replaces the first titles (hostile strings for the injection tests). Every entity is mentioned at
    least once when ``n_papers * per_paper >= n_entities``.

    >>> ps, xs = sample_records(10, 5, per_paper=3)
    >>> m = xs[0].mentions[0]
    >>> ps[0].field(m.field)[m.start:m.end] == m.text
    True
    """
    rng = random.Random(seed)
    names = _entity_names(n_entities, rng)
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_entities)]
    papers, extractions = [], []
    for i in range(n_papers):
        pid = f"2401.{i:05d}"
        title = titles[i] if i < len(titles) else f"On {names[i % n_entities][0]} and friends"
        first = [(i * per_paper + j) % n_entities for j in range(per_paper)]  # cover every entity once
        picks = list(dict.fromkeys(first[: per_paper // 2] + rng.choices(range(n_entities), weights, k=per_paper)))
        picks = picks[:per_paper]
        text, mentions, sentences = "", [], []
        for a, b in zip(picks[::2], picks[1::2] + picks[:1]):
            start = len(text)
            text += "We apply "
            ma = (len(text), len(text) + len(names[a][0]))
            text += names[a][0] + " to "
            mb = (len(text), len(text) + len(names[b][0]))
            text += names[b][0] + " with good results."
            sentences.append(Sentence("abstract", start, len(text)))
            for (s, e), k in ((ma, a), (mb, b)):
                mentions.append(Mention(names[k][0], names[k][1], s, e, "abstract", _key(names[k][0])))
            text += " "
        author = rng.choice(("Smith", "Chen", "Garcia", "Ito", "Okafor"))
        year = 2015 + i % 8
        cite = f"{author} et al., {year}"
        start = len(text)
        text += f"This extends ({cite})."
        sentences.append(Sentence("abstract", start, len(text)))
        ref = Reference(cite, author, year, f"{author.lower()}-{year}", "abstract", start + 14, start + 14 + len(cite))
        date = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        papers.append(Paper(pid, title, text, (date,), (f"sample:{i + 1}",), f"https://arxiv.org/abs/{pid}"))
        extractions.append(Extraction(pid, title, tuple(mentions), (ref,), (), tuple(sentences)))
    return papers, extractions


def _key(name: str) -> str:
    return "-".join(name.lower().split())


def sample_graph(n_entities: int = 60, n_papers: int = 40, *, per_paper: int = 6,
                 seed: int = 0, titles: Sequence[str] = ()) -> tuple[nx.DiGraph, dict, dict]:
    """``(G, papers by id, extractions by id)`` of :func:`sample_records`, built by :func:`citegraph.graph.build.tables.build_graph`."""
    from citegraph.graph.build.tables import build_graph

    papers, extractions = sample_records(n_entities, n_papers, per_paper=per_paper, seed=seed, titles=titles)
    G = build_graph(papers, extractions)
    return G, {p.id: p for p in papers}, {x.id: x for x in extractions}
