"""Generated listings for tests, benchmarks and examples: records built like the extractor's (:class:`Paper`,
:class:`Extraction` with :class:`Mention`, :class:`Reference` and :class:`Sentence` records), turned into a graph by
:func:`citegraph.graph.build.tables.build_graph`, so every generated graph follows the real schema.

- :func:`toy_graph`: five papers whose analytics can be worked out by hand (the doctests and tests use it);
- :func:`random_graph`: a random listing of any size, topic-biased (timings, invariants);
- :func:`graph_from_papers`: a small graph from a compact description (a test's own corpus);
- :func:`sample_graph`: a listing whose abstracts read like sentences, at any size (maps, pushes).

The toy listing, five papers over three listing dates::

    paper  date        mentions                         cites
    p1     2024-03-13  bert, squad, qa, f1              devlin-2019
    p2     2024-03-13  bert, squad, qa                  devlin-2019, rajpurkar-2016
    p3     2024-03-14  gpt, squad, qa                   devlin-2019
    p4     2024-03-14  gpt, imagenet, resnet            he-2016
    p5     2024-03-17  resnet, imagenet, vit            he-2016

Labels: bert, gpt, resnet, vit are methods; squad, imagenet datasets; qa a task; f1 a metric. So the co-occurrence
graph is a clique {bert, squad, qa, f1} and a triangle {imagenet, resnet, vit} joined through gpt (linked to
squad, qa, imagenet and resnet). ``CO_OCCURS`` and ``RELATED_TO`` edges are what the builder makes of them (README,
"The graph").
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from citegraph.extract.records import LABELS, Extraction, Mention, Paper, Reference, Relation, Sentence

__all__ = ["sample_records", "sample_graph", "citing_records", "CitingCorpus", "toy_citing_graph", "citing_graph",
           "toy_records", "toy_graph", "random_records", "random_graph", "records_from_papers",
           "graph_from_papers", "TOY_PAPERS", "TOY_ENTITIES", "TOY_TITLES", "TOY_REFS"]

#: paper id -> (listing dates, entity keys, reference keys)
TOY_PAPERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "p1": (("2024-03-13",), ("bert", "squad", "qa", "f1"), ("devlin-2019",)),
    "p2": (("2024-03-13",), ("bert", "squad", "qa"), ("devlin-2019", "rajpurkar-2016")),
    "p3": (("2024-03-14",), ("gpt", "squad", "qa"), ("devlin-2019",)),
    "p4": (("2024-03-14",), ("gpt", "imagenet", "resnet"), ("he-2016",)),
    "p5": (("2024-03-17",), ("resnet", "imagenet", "vit"), ("he-2016",)),
}
#: entity key -> (label, name)
TOY_ENTITIES: dict[str, tuple[str, str]] = {
    "bert": ("method", "BERT"),
    "gpt": ("method", "GPT"),
    "resnet": ("method", "ResNet"),
    "vit": ("method", "ViT"),
    "squad": ("dataset", "SQuAD"),
    "imagenet": ("dataset", "ImageNet"),
    "qa": ("task", "question answering"),
    "f1": ("metric", "F1"),
}
TOY_TITLES: dict[str, str] = {
    "p1": "BERT reading on SQuAD",
    "p2": "Fine-tuning BERT for QA",
    "p3": "GPT answers questions",
    "p4": "GPT meets ResNet on ImageNet",
    "p5": "ViT versus ResNet <b>on</b> ImageNet",  # markup on purpose: reports must escape it
}
#: reference key -> (first author, year)
TOY_REFS: dict[str, tuple[str, int]] = {"devlin-2019": ("Devlin", 2019), "rajpurkar-2016": ("Rajpurkar", 2016),
                                        "he-2016": ("He", 2016)}

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
                   titles: Sequence[str] = (), relations: bool = False) -> tuple[list[Paper], list[Extraction]]:
    """Papers whose abstracts mention entities (popularity ~ Zipf), one sentence per pair, and a citation each.

    ``titles`` replaces the first titles (hostile strings for the injection tests). Every entity is mentioned at
    least once when ``n_papers * per_paper >= n_entities``. With ``relations``, each sentence ``We apply A to B``
    also states ``A USED-FOR B`` (score 0.8), so the graph has typed relation edges.

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
        text, mentions, sentences, stated = "", [], [], []
        for a, b in zip(picks[::2], picks[1::2] + picks[:1]):
            start = len(text)
            text += "We apply "
            ma = (len(text), len(text) + len(names[a][0]))
            text += names[a][0] + " to "
            mb = (len(text), len(text) + len(names[b][0]))
            text += names[b][0] + " with good results."
            sentences.append(Sentence("abstract", start, len(text)))
            if relations and a != b:
                stated.append(Relation(len(mentions), len(mentions) + 1, "USED-FOR", 0.8))
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
        extractions.append(Extraction(pid, title, tuple(mentions), (ref,), (), tuple(sentences),
                                      relations=tuple(stated)))
    return papers, extractions


def _key(name: str) -> str:
    return "-".join(name.lower().split())


def sample_graph(n_entities: int = 60, n_papers: int = 40, *, per_paper: int = 6,
                 seed: int = 0, titles: Sequence[str] = (), relations: bool = False) -> tuple[nx.DiGraph, dict, dict]:
    """``(G, papers by id, extractions by id)`` of :func:`sample_records`, built by
    :func:`citegraph.graph.build.tables.build_graph`.

    >>> G, papers, extractions = sample_graph(10, 5, per_paper=3)
    >>> len(papers), G.nodes["paper:2401.00000"]["kind"]
    (5, 'paper')
    >>> H = sample_graph(10, 5, per_paper=4, relations=True)[0]
    >>> sum(d["type"] == "USED_FOR" for _, _, d in H.edges(data=True))
    9
    """
    papers, extractions = sample_records(n_entities, n_papers, per_paper=per_paper, seed=seed, titles=titles,
                                         relations=relations)
    G = _build(papers, extractions)
    return G, {p.id: p for p in papers}, {x.id: x for x in extractions}


def _build(papers: Sequence[Paper], extractions: Sequence[Extraction], **options) -> nx.DiGraph:
    from citegraph.graph.build.tables import build_graph  # the graph side, imported only when a graph is wanted

    return build_graph(papers, extractions, **options)


def records_from_papers(
    papers: Mapping[str, tuple[Iterable[str], Iterable[str] | Mapping[str, int], Iterable[str]]],
    entities: Mapping[str, tuple[str, ...]] | None = None,
    *,
    titles: Mapping[str, str] | None = None,
    refs: Mapping[str, tuple[str, int]] | None = None,
    relations: Mapping[str, Iterable[tuple[str, str, str]]] | None = None,
) -> tuple[list[Paper], list[Extraction]]:
    """``(papers, extractions)`` for ``{paper id: (dates, entity keys, reference keys)}``, in that order.

    Each paper's abstract has one sentence a mention (``We use BERT.``) and one a reference (``We build on (Devlin
    et al., 2019).``), with the offsets the extractor would give. A key given ``n`` times (or as ``{key: n}``) is
    mentioned ``n`` times. ``entities`` maps a key to ``(label, name, *other spellings)``: an entity's mentions take
    its spellings in turn, name first (a key not in it is a concept named by its key). ``titles`` default to
    ``Paper <id>``; ``refs`` maps a reference key to ``(first author, year)`` (default: read from ``author-year``).
    ``relations`` maps a paper id to its typed relations ``(head key, label, tail key)``, between the first
    mentions of the two keys in that paper, with score 0.9.

    >>> ps, xs = records_from_papers({"a": (["2024-01-01"], ["x", "x"], ["smith-2020"])}, {"x": ("method", "X")})
    >>> ps[0].abstract
    'We use X. We use X. We build on (Smith et al., 2020).'
    >>> [(m.text, m.start, m.key, m.label) for m in xs[0].mentions], xs[0].references[0].text
    ([('X', 7, 'x', 'method'), ('X', 17, 'x', 'method')], 'Smith et al., 2020')
    """
    entities, titles, refs = entities or {}, titles or {}, refs or {}
    used: Counter = Counter()  # mentions written so far of each key: the next spelling
    out_papers, out_extractions = [], []
    for line, (pid, (dates, keys, cited)) in enumerate(papers.items(), 1):
        keys = [k for k, n in keys.items() for _ in range(n)] if isinstance(keys, Mapping) else list(keys)
        text, mentions, references, sentences = "", [], [], []
        for key in keys:
            label, *spellings = entities.get(key, ("concept", key))
            spelling = spellings[used[key] % len(spellings)]
            used[key] += 1
            start = len(text)
            text += "We use "
            mentions.append(Mention(spelling, label, len(text), len(text) + len(spelling), "abstract", key, "model"))
            text += spelling + "."
            sentences.append(Sentence("abstract", start, len(text)))
            text += " "
        for key in cited:
            author, year = refs[key] if key in refs else (key.rsplit("-", 1)[0].title(), int(key.rsplit("-", 1)[1]))
            cite = f"{author} et al., {year}"
            start = len(text)
            text += "We build on ("
            references.append(Reference(cite, author, year, key, "abstract", len(text), len(text) + len(cite)))
            text += cite + ")."
            sentences.append(Sentence("abstract", start, len(text)))
            text += " "
        first = {}
        for i, m in enumerate(mentions):
            first.setdefault(m.key, i)
        rels = tuple(Relation(first[h], first[t], label, 0.9) for h, label, t in (relations or {}).get(pid, ()))
        title = titles.get(pid, f"Paper {pid}")
        out_papers.append(Paper(pid, title, text.rstrip(), tuple(sorted(set(dates))), (f"listing.txt:{line}",),
                                f"https://example.org/{pid}"))
        out_extractions.append(Extraction(pid, title, tuple(mentions), tuple(references), (), tuple(sentences),
                                          relations=rels))
    return out_papers, out_extractions


def graph_from_papers(
    papers: Mapping[str, tuple[Iterable[str], Iterable[str] | Mapping[str, int], Iterable[str]]],
    entities: Mapping[str, tuple[str, ...]] | None = None,
    *,
    titles: Mapping[str, str] | None = None,
    refs: Mapping[str, tuple[str, int]] | None = None,
    related_k: int = 10,
    relations: Mapping[str, Iterable[tuple[str, str, str]]] | None = None,
) -> nx.DiGraph:
    """The graph :func:`citegraph.graph.build.tables.build_graph` makes of :func:`records_from_papers`' records.

    >>> G = graph_from_papers({"a": (["2024-01-01"], ("x", "y"), ()), "b": ([], ("x",), ())},
    ...                       {"x": ("method", "X"), "y": ("dataset", "Y")})
    >>> G["entity:x"]["entity:y"]["paper_ids"], G.nodes["entity:x"]["paper_count"]
    (['a'], 2)
    """
    return _build(*records_from_papers(papers, entities, titles=titles, refs=refs, relations=relations),
                  related_k=related_k)


def toy_records() -> tuple[list[Paper], list[Extraction]]:
    """The records of the five toy papers (see the module's docstring).

    >>> ps, xs = toy_records()
    >>> [m.text for m in xs[0].mentions], [r.key for r in xs[1].references]
    (['BERT', 'SQuAD', 'question answering', 'F1'], ['devlin-2019', 'rajpurkar-2016'])
    """
    return records_from_papers(TOY_PAPERS, TOY_ENTITIES, titles=TOY_TITLES, refs=TOY_REFS)


def toy_graph() -> nx.DiGraph:
    """The graph of the five toy papers (a new graph on every call).

    >>> G = toy_graph()
    >>> sorted(d["kind"] for _, d in G.nodes(data=True)).count("entity")
    8
    >>> G.nodes["entity:squad"]["paper_count"], G.nodes["entity:squad"]["first_date"]
    (3, '2024-03-13')
    >>> G["entity:bert"]["entity:squad"]["paper_ids"]
    ['p1', 'p2']
    """
    return _build(*toy_records())


def random_records(n_papers: int = 60, n_entities: int = 40, *, dates: Sequence[str] = ("2024-03-13", "2024-03-14",
                   "2024-03-17"), undated: int = 3, seed: int = 0) -> tuple[list[Paper], list[Extraction]]:
    """Records of a random listing: each paper mentions 2-6 entities drawn with Zipf-like weights from
    topic-biased pools and cites 0-3 of 15 references; the first ``undated`` papers have no listing date.

    >>> ps, xs = random_records(20, 10, seed=1)
    >>> len(ps), sum(1 for p in ps if not p.dates)
    (20, 3)
    """
    rng = random.Random(seed)
    entities = {f"e{i:03d}": (LABELS[i % len(LABELS)], f"Entity {i}") for i in range(n_entities)}
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
        papers[f"r{j:04d}"] = (when, ents, cited)
    titles = {pid: f"Random paper {pid} <i>&</i>" for pid in papers}  # markup on purpose
    return records_from_papers(papers, entities, titles=titles, refs=refs)


def random_graph(n_papers: int = 60, n_entities: int = 40, *, dates: Sequence[str] = ("2024-03-13", "2024-03-14",
                 "2024-03-17"), undated: int = 3, seed: int = 0) -> nx.DiGraph:
    """The graph of :func:`random_records` (for tests, timings and examples).

    >>> G = random_graph(20, 10, seed=1)
    >>> sum(1 for _, k in G.nodes(data="kind") if k == "paper")
    20
    """
    return _build(*random_records(n_papers, n_entities, dates=dates, undated=undated, seed=seed))


_GIVEN = ("Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Karen", "Leslie", "Radia",
          "Tim", "Shafi", "Judea", "Yoshua", "Fei-Fei", "Geoffrey", "Daphne", "Jürgen", "Łukasz")
_SURNAMES = ("Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Spärck Jones",
             "Lamport", "Perlman", "Berners-Lee", "Goldwasser", "Pearl", "Bengio", "Li", "Hinton", "Koller",
             "Schmidhuber", "Kaiser", "van der Berg", "Okafor", "Ito", "Garcia", "Chen", "Smith", "Novak", "Haddad")
_VENUES = (("Journal of Graph Studies", "J GRAPH STUD"), ("Citation Letters", "CITAT LETT"),
           ("Annals of Bibliometrics", "ANN BIBLIOMETR"), ("Proceedings of Network Science", "P NETW SCI"))
_TOPICS = (("BERT", "SQuAD"), ("ResNet", "ImageNet"), ("BERT", "GLUE"), ("ResNet", "CIFAR-10"))
#: how a generated paper's cited references write a paper of the corpus, by the cited paper's index modulo 4
CITING_STYLES = ("doi", "pmid", "title", "author-year-page")


@dataclass
class CitingCorpus:
    """Generated bibliographic records (dicts, as ``citegraph.build`` and ``read_records`` take them) with what
    they say: ``cites`` (citing id, cited id) pairs within the corpus and the style each is written in,
    ``external`` (citing id, external work index) pairs, ``authors`` (id: author names) and ``in_text`` (citing
    id, cited id) pairs that the abstract also cites as ``Surname et al., year``."""

    records: list[dict] = field(default_factory=list)
    cites: dict[tuple[str, str], str] = field(default_factory=dict)
    external: set[tuple[str, int]] = field(default_factory=set)
    authors: dict[str, list[str]] = field(default_factory=dict)
    in_text: set[tuple[str, str]] = field(default_factory=set)


def _external_reference(k: int, rng_names: list[tuple[str, str]]) -> dict | str:
    """The k-th external work (not in the corpus), written the same way by every paper citing it."""
    given, surname = rng_names[k % len(rng_names)]
    year, (venue, abbr) = 1950 + k % 60, _VENUES[k % len(_VENUES)]
    if k % 3 == 0:
        return {"raw": f"{surname} {given[0]}, {year}, {abbr}, DOI 10.9999/ext.{k}", "doi": f"10.9999/ext.{k}"}
    if k % 3 == 1:
        return f"{surname} {given[0]}, {year}, {abbr}, V{k % 50 + 1}, P{1000 + k}"
    return {"raw": f"{surname} {given[0]}. ({year}) Classic external work number {k}. {venue}.",
            "first_author": f"{surname} {given[0]}.", "year": year, "title": f"Classic external work number {k}"}


def citing_records(n_papers: int = 40, *, refs_per_paper: int = 8, external: int = 60, in_corpus: float = 0.5,
                   seed: int = 0) -> CitingCorpus:
    """A corpus of bibliographic records that cite each other and outside works, and what they cite.

    Paper ``i`` (ids ``c00000``... shuffled) has 1-4 authors (``Given Surname``), a year rising with ``i``, a DOI, a
    venue, volume and first page, a PMID unless ``i % 4 == 3``, and about ``refs_per_paper`` cited references: a share
    ``in_corpus`` of them earlier papers of the corpus, each written in the style :data:`CITING_STYLES` gives the cited
    paper (its DOI; its PMID, or DOI when it has none; a Scopus-like title and year; a Web of Science ``CR`` string),
    the rest outside works (one of ``external``, each always written one way). Every fifth paper's abstract also cites
    its first corpus reference as ``(Surname et al., year)``.

    >>> c = citing_records(6, refs_per_paper=3, external=4)
    >>> len(c.records), sorted(r["id"] for r in c.records)[0], set(c.cites.values()) <= set(CITING_STYLES)
    (6, 'c00000', True)
    >>> year = {r["id"]: r["year"] for r in c.records}
    >>> all(year[a] <= year[b] for b, a in c.cites)  # papers cite earlier papers
    True
    """
    rng = random.Random(seed)
    names = [(g, s) for s in _SURNAMES for g in _GIVEN]
    rng.shuffle(names)
    corpus = CitingCorpus()
    papers = []
    order = list(range(n_papers))  # ids in no particular order of time, as hashed ids are
    rng.shuffle(order)
    for i in range(n_papers):
        authors = [names[(i * 7 + j * 13) % len(names)] for j in range(1 + i % 4)]
        venue, abbr = _VENUES[i % len(_VENUES)]
        year = 1990 + (i * 30) // max(n_papers, 1)
        words = " ".join(rng.choice(_WORDS) for _ in range(3))
        papers.append({"id": f"c{order[i]:05d}", "title": f"A {words} study of citation pattern {i}",
                       "authors": [f"{g} {s}" for g, s in authors], "year": year, "doi": f"10.5555/cg.{i:05d}",
                       "venue": venue, "volume": str(1 + i % 40), "page": f"{100 + i}-{110 + i}",
                       **({"ids": {"pmid": str(900000 + i)}} if i % 4 != 3 else {}), "_abbr": abbr})
    for i, rec in enumerate(papers):
        n_refs = rng.randint(refs_per_paper // 2, refs_per_paper + refs_per_paper // 2) if refs_per_paper else 0
        earlier = sorted(rng.sample(range(i), min(i, round(n_refs * in_corpus))))
        outside = sorted(rng.sample(range(external), min(external, n_refs - len(earlier)))) if external else []
        refs: list = []
        for j in earlier:
            cited, style = papers[j], CITING_STYLES[j % len(CITING_STYLES)]
            first = cited["authors"][0]
            given, surname = first.split(" ", 1)
            raw = f"{surname} {given[0]}, {cited['year']}, {cited['_abbr']}, V{cited['volume']}, " \
                  f"P{cited['page'].split('-')[0]}"
            if style == "doi":
                refs.append({"raw": raw, "doi": "https://doi.org/" + cited["doi"].upper()})
            elif style == "pmid":
                refs.append({"raw": raw, **({"ids": cited["ids"]} if "ids" in cited else {"doi": cited["doi"]})})
            elif style == "title":
                refs.append({"raw": f"{surname}, {given[0]}., {cited['title'].upper()}, ({cited['year']})",
                             "first_author": f"{surname}, {given[0]}.", "year": cited["year"],
                             "title": cited["title"].upper()})
            else:
                refs.append(raw)
            corpus.cites[(rec["id"], cited["id"])] = style
        for k in outside:
            refs.append(_external_reference(k, names))
            corpus.external.add((rec["id"], k))
        method, dataset = _TOPICS[i % len(_TOPICS)]
        abstract = f"We study citation pattern {i} with care. We train {method} on {dataset}."
        if i % 5 == 0 and earlier:
            cited = papers[earlier[0]]
            abstract += f" This extends ({cited['authors'][0].split(' ', 1)[1]} et al., {cited['year']})."
            corpus.in_text.add((rec["id"], cited["id"]))
        rec["abstract"] = abstract
        rec["cited_references"] = refs
        corpus.authors[rec["id"]] = list(rec["authors"])
    corpus.records = [{k: v for k, v in rec.items() if not k.startswith("_")} for rec in papers]
    return corpus


#: four papers citing each other and one outside work (Knuth's), worked out by hand in the analytics' doctests::
#:
#:     paper  year  authors                  cites
#:     a      2017  Ada Lovelace, Alan Turing
#:     b      2018  Alan Turing, Grace Hopper  a (by DOI), Knuth 1968
#:     c      2019  Grace Hopper               a (by title), b (by DOI), Knuth 1968
#:     d      2020  Barbara Liskov             a (by DOI), c (by DOI), Knuth 1968
TOY_CITING: list[dict] = [
    {"id": "a", "title": "Attention graphs for citation networks", "year": 2017, "doi": "10.5555/toy.a",
     "authors": ["Ada Lovelace", "Alan Turing"]},
    {"id": "b", "title": "Citation graphs revisited", "year": 2018, "doi": "10.5555/toy.b",
     "authors": ["Alan Turing", "Grace Hopper"],
     "cited_references": [{"raw": "Lovelace A, 2017", "doi": "10.5555/toy.a"},
                          "Knuth D, 1968, ART COMPUTER PROGRAMMI, V1"]},
    {"id": "c", "title": "Graphs of graphs", "year": 2019, "doi": "10.5555/toy.c", "authors": ["Grace Hopper"],
     "cited_references": [{"raw": "Lovelace, A. Attention graphs...", "first_author": "Lovelace, A.", "year": 2017,
                           "title": "Attention graphs for citation networks"},
                          {"raw": "Turing A, 2018", "doi": "10.5555/toy.b"},
                          "Knuth D, 1968, ART COMPUTER PROGRAMMI, V1"]},
    {"id": "d", "title": "Networks all the way down", "year": 2020, "doi": "10.5555/toy.d",
     "authors": ["Barbara Liskov"],
     "cited_references": [{"raw": "Lovelace A, 2017", "doi": "10.5555/toy.a"},
                          {"raw": "Hopper G, 2019", "doi": "10.5555/toy.c"},
                          "Knuth D, 1968, ART COMPUTER PROGRAMMI, V1"]},
]


def _records_graph(records: Sequence[Mapping]) -> nx.DiGraph:
    """The graph of bibliographic records read as ``citegraph.build`` reads them, without entity extraction."""
    from citegraph.extract.readers.listings import read_records
    from citegraph.extract.readers.merge import merge_listings

    papers = merge_listings(read_records(records))
    return _build(papers, [Extraction(p.id, p.title) for p in papers])


def toy_citing_graph() -> nx.DiGraph:
    """The graph of :data:`TOY_CITING` (papers, their citations, the outside work and the authors; no entities).

    >>> G = toy_citing_graph()
    >>> sorted(v for u, v, t in G.edges(data="type") if t == "CITES" and u == "paper:c")
    ['paper:a', 'paper:b', 'ref:knuth-1968-art-computer-programmi-1']
    """
    return _records_graph(TOY_CITING)


def citing_graph(n_papers: int = 40, *, refs_per_paper: int = 8, external: int = 60, seed: int = 0) -> nx.DiGraph:
    """The graph of :func:`citing_records` (no entity extraction: the citation network, its references and authors).

    >>> G = citing_graph(10, refs_per_paper=4, external=5)
    >>> sum(1 for _, k in G.nodes(data="kind") if k == "paper")
    10
    """
    return _records_graph(citing_records(n_papers, refs_per_paper=refs_per_paper, external=external,
                                         seed=seed).records)
