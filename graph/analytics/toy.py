"""A tiny build graph whose analytics can be worked out by hand; the doctests and tests use it.

Five papers over three listing dates::

    paper  date        mentions                         cites
    p1     2024-03-13  bert, squad, qa, f1              devlin-2019
    p2     2024-03-13  bert, squad, qa                  devlin-2019, rajpurkar-2016
    p3     2024-03-14  gpt, squad, qa                   devlin-2019
    p4     2024-03-14  gpt, imagenet, resnet            he-2016
    p5     2024-03-17  resnet, imagenet, vit            he-2016

Labels: bert, gpt, resnet, vit are methods; squad, imagenet datasets; qa a task; f1 a metric. So the co-occurrence
graph is a clique {bert, squad, qa, f1} and a triangle {imagenet, resnet, vit} joined through gpt (linked to
squad, qa, imagenet and resnet). ``CO_OCCURS`` and ``RELATED_TO`` edges follow the README's definitions.
"""

from __future__ import annotations

import math
from itertools import combinations

import networkx as nx

__all__ = ["toy_graph", "TOY_PAPERS"]

#: paper id -> (date, entity keys, reference keys)
TOY_PAPERS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "p1": ("2024-03-13", ("bert", "squad", "qa", "f1"), ("devlin-2019",)),
    "p2": ("2024-03-13", ("bert", "squad", "qa"), ("devlin-2019", "rajpurkar-2016")),
    "p3": ("2024-03-14", ("gpt", "squad", "qa"), ("devlin-2019",)),
    "p4": ("2024-03-14", ("gpt", "imagenet", "resnet"), ("he-2016",)),
    "p5": ("2024-03-17", ("resnet", "imagenet", "vit"), ("he-2016",)),
}

_ENTITIES = {
    "bert": ("method", "BERT"),
    "gpt": ("method", "GPT"),
    "resnet": ("method", "ResNet"),
    "vit": ("method", "ViT"),
    "squad": ("dataset", "SQuAD"),
    "imagenet": ("dataset", "ImageNet"),
    "qa": ("task", "question answering"),
    "f1": ("metric", "F1"),
}
_TITLES = {
    "p1": "BERT reading on SQuAD",
    "p2": "Fine-tuning BERT for QA",
    "p3": "GPT answers questions",
    "p4": "GPT meets ResNet on ImageNet",
    "p5": "ViT versus ResNet <b>on</b> ImageNet",  # markup on purpose: reports must escape it
}
_REFS = {"devlin-2019": ("Devlin", 2019), "rajpurkar-2016": ("Rajpurkar", 2016), "he-2016": ("He", 2016)}


def toy_graph() -> nx.DiGraph:
    """The build graph of the five toy papers (a new graph on every call).

    >>> G = toy_graph()
    >>> sorted(d["kind"] for _, d in G.nodes(data=True)).count("entity")
    8
    >>> G.nodes["entity:squad"]["paper_count"], G.nodes["entity:squad"]["first_date"]
    (3, '2024-03-13')
    """
    G = nx.DiGraph()
    n_papers = len(TOY_PAPERS)
    by_entity: dict[str, list[str]] = {k: [] for k in _ENTITIES}
    for pid, (date, ents, _) in TOY_PAPERS.items():
        for e in ents:
            by_entity[e].append(pid)
    for pid, (date, ents, refs) in TOY_PAPERS.items():
        G.add_node(
            f"paper:{pid}", kind="paper", label="paper", name=_TITLES[pid], title=_TITLES[pid],
            url=f"https://example.org/{pid}", dates=[date], first_date=date, last_date=date,
            sources=[f"toy.jsonl:{pid[1:]}"], mention_count=len(ents),
        )
    for key, (label, name) in _ENTITIES.items():
        dates = sorted(TOY_PAPERS[p][0] for p in by_entity[key])
        G.add_node(
            f"entity:{key}", kind="entity", label=label, name=name, key=key, aliases=[name],
            paper_count=len(by_entity[key]), mention_count=len(by_entity[key]),
            first_date=dates[0], last_date=dates[-1], extraction_sources=["rule"],
        )
    for ref, (author, year) in _REFS.items():
        citing = [p for p, (_, _, refs) in TOY_PAPERS.items() if ref in refs]
        G.add_node(f"ref:{ref}", kind="reference", label="reference", name=f"{author} et al., {year}",
                   first_author=author, year=year, paper_count=len(citing))
    for pid, (_, ents, refs) in TOY_PAPERS.items():
        for e in ents:
            G.add_edge(f"paper:{pid}", f"entity:{e}", type="MENTIONS", count=1)
        for r in refs:
            G.add_edge(f"paper:{pid}", f"ref:{r}", type="CITES", count=1)
    for a, b in combinations(sorted(_ENTITIES), 2):
        shared = sorted(set(by_entity[a]) & set(by_entity[b]))
        if not shared:
            continue
        ca, cb, cab = len(by_entity[a]), len(by_entity[b]), len(shared)
        pmi = math.log(cab * n_papers / (ca * cb))
        npmi = 1.0 if cab == n_papers else pmi / -math.log(cab / n_papers)
        G.add_edge(
            f"entity:{a}", f"entity:{b}", type="CO_OCCURS", papers=cab, weight=cab,
            association_strength=cab * n_papers / (ca * cb), npmi=npmi, paper_ids=shared,
        )
    for p, q in combinations(sorted(TOY_PAPERS), 2):
        shared = sorted(set(TOY_PAPERS[p][1]) & set(TOY_PAPERS[q][1]))
        if not shared:
            continue
        weight = sum(math.log(n_papers / len(by_entity[e])) for e in shared)
        G.add_edge(f"paper:{p}", f"paper:{q}", type="RELATED_TO", weight=weight, shared=len(shared),
                   shared_entities=[f"entity:{e}" for e in shared])
    return G
