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

__all__ = ["toy_graph", "random_graph", "graph_from_papers", "TOY_PAPERS"]

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
    papers = {pid: ([date], ents, refs) for pid, (date, ents, refs) in TOY_PAPERS.items()}
    return graph_from_papers(papers, _ENTITIES, _TITLES, _REFS)


def random_graph(n_papers: int = 60, n_entities: int = 40, *, dates: tuple[str, ...] = ("2024-03-13", "2024-03-14",
                 "2024-03-17"), undated: int = 3, seed: int = 0) -> nx.DiGraph:
    """A random build graph in the README schema (for tests, timings and examples): each paper mentions 2-6
    entities drawn with Zipf-like weights from topic-biased pools and cites 0-3 of 15 references.

    >>> G = random_graph(20, 10, seed=1)
    >>> sum(1 for _, k in G.nodes(data="kind") if k == "paper")
    20
    """
    import random

    rng = random.Random(seed)
    labels = ("method", "dataset", "task", "metric", "concept")
    entities = {f"e{i:03d}": (labels[i % len(labels)], f"Entity {i}") for i in range(n_entities)}
    keys = sorted(entities)
    refs = {f"author{i}-{2000 + i}": (f"Author{i}", 2000 + i) for i in range(15)}
    papers = {}
    for j in range(n_papers):
        topic = rng.randrange(3)
        pool = [k for i, k in enumerate(keys) if i % 3 == topic or rng.random() < 0.2] or keys
        weights = [1 / (1 + i) for i in range(len(pool))]
        ents = sorted(set(rng.choices(pool, weights, k=rng.randint(2, 6))))
        cited = sorted(set(rng.choices(sorted(refs), k=rng.randint(0, 3))))
        when = [] if j < undated else sorted(set(rng.choices(dates, k=rng.choice((1, 1, 1, 2)))))
        papers[f"r{j:04d}"] = (when, tuple(ents), tuple(cited))
    titles = {pid: f"Random paper {pid} <i>&</i>" for pid in papers}
    return graph_from_papers(papers, entities, titles, refs)


def graph_from_papers(
    papers: dict[str, tuple[list[str], tuple[str, ...], tuple[str, ...]]],
    entities: dict[str, tuple[str, str]],
    titles: dict[str, str],
    refs: dict[str, tuple[str, int]],
) -> nx.DiGraph:
    """A build graph (README schema) from ``{paper id: (dates, entity keys, reference keys)}``, with
    ``CO_OCCURS`` and ``RELATED_TO`` edges computed by the README's definitions.

    >>> G = graph_from_papers({"a": (["2024-01-01"], ("x", "y"), ()), "b": ([], ("x",), ())},
    ...                       {"x": ("method", "X"), "y": ("dataset", "Y")}, {"a": "A", "b": "B"}, {})
    >>> G["entity:x"]["entity:y"]["papers"], G["paper:a"]["paper:b"]["shared_entities"]
    (1, ['entity:x'])
    """
    G = nx.DiGraph()
    n_papers = len(papers)
    by_entity: dict[str, list[str]] = {k: [] for k in entities}
    for pid, (_, ents, _) in papers.items():
        for e in ents:
            by_entity[e].append(pid)
    for pid, (dates, ents, _) in sorted(papers.items()):
        dates = sorted(dates)
        G.add_node(
            f"paper:{pid}", kind="paper", label="paper", name=titles[pid], title=titles[pid],
            url=f"https://example.org/{pid}", dates=dates, first_date=dates[0] if dates else "",
            last_date=dates[-1] if dates else "", sources=[f"toy.jsonl:{pid}"], mention_count=len(ents),
        )
    for key, (label, name) in sorted(entities.items()):
        if not by_entity[key]:
            continue
        dates = sorted(d for p in by_entity[key] for d in papers[p][0])
        G.add_node(
            f"entity:{key}", kind="entity", label=label, name=name, key=key, aliases=[name],
            paper_count=len(by_entity[key]), mention_count=len(by_entity[key]),
            first_date=dates[0] if dates else "", last_date=dates[-1] if dates else "", extraction_sources=["rule"],
        )
    for ref, (author, year) in sorted(refs.items()):
        citing = [p for p, (_, _, cited) in papers.items() if ref in cited]
        if citing:
            G.add_node(f"ref:{ref}", kind="reference", label="reference", name=f"{author} et al., {year}",
                       first_author=author, year=year, paper_count=len(citing))
    for pid, (_, ents, cited) in sorted(papers.items()):
        for e in ents:
            G.add_edge(f"paper:{pid}", f"entity:{e}", type="MENTIONS", count=1)
        for r in cited:
            G.add_edge(f"paper:{pid}", f"ref:{r}", type="CITES", count=1)
    for a, b in combinations(sorted(k for k in entities if by_entity[k]), 2):
        shared = sorted(set(by_entity[a]) & set(by_entity[b]))
        if not shared:
            continue
        ca, cb, cab = len(by_entity[a]), len(by_entity[b]), len(shared)
        pmi = math.log(cab * n_papers / (ca * cb))
        npmi = 1.0 if cab == n_papers else pmi / -math.log(cab / n_papers)
        G.add_edge(
            f"entity:{a}", f"entity:{b}", type="CO_OCCURS", papers=cab, weight=cab,
            association_strength=cab * n_papers / (ca * cb), npmi=npmi,
            paper_ids=[f"paper:{p}" for p in shared],
        )
    for p, q in combinations(sorted(papers), 2):
        shared = sorted(set(papers[p][1]) & set(papers[q][1]))
        if not shared:
            continue
        weight = sum(math.log(n_papers / len(by_entity[e])) for e in shared)
        G.add_edge(f"paper:{p}", f"paper:{q}", type="RELATED_TO", weight=weight, shared=len(shared),
                   shared_entities=[f"entity:{e}" for e in shared])
    return G
