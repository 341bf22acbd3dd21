"""Building the citation-style graph from papers and their extractions: :func:`build_tables` assembles a
:class:`~citegraph.graph.build.built.BuiltGraph` phase by phase, :func:`build_graph` gives it as one networkx graph.

One directed graph holds papers, entities and references (README, "The graph"). The phases: tally the mentions by
entity key; the paper × entity incidence matrix (MENTIONS); entity nodes; paper nodes; CO_OCCURS
(:mod:`~citegraph.graph.build.cooccurrence`); RELATED_TO (:mod:`~citegraph.graph.build.related`); references and
CITES (:mod:`~citegraph.graph.build.citations`); a CITES edge between related papers taking the RELATED_TO edge's
place; authors and WROTE (:mod:`~citegraph.graph.build.authors`); typed relations between entities
(:mod:`~citegraph.graph.build.typed_relations`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from citegraph.extract.keys import is_acronym, normalise_key, whole_definition, without_kind_word
from citegraph.extract.records import LABELS, Extraction, Paper, time_points
from citegraph.graph.build.authors import add_authors
from citegraph.graph.build.built import BuiltGraph, Cooccurs
from citegraph.graph.build.citations import add_citations
from citegraph.graph.build.cooccurrence import (COOCCURRENCE_BUDGET, cooccurrence_arrays, cooccurrence_threshold,
                                                cooccurs_columns)
from citegraph.graph.build.ids import entity_id, paper_node
from citegraph.graph.build.related import related_arrays, related_pairs
from citegraph.graph.build.typed_relations import typed_relation_edges

__all__ = ["build_graph", "build_tables", "display_name"]


def build_graph(papers: Sequence[Paper], extractions: Sequence[Extraction], *, related_k: int = 10,
                min_cooccurrence: int | str = 1, budget: int = COOCCURRENCE_BUDGET,
                stats: dict | None = None) -> nx.DiGraph:
    """The combined graph of papers, entities and references as one networkx graph.

    Parameters
    ----------
    papers, extractions : aligned sequences (same order, same ids).
    related_k : each paper keeps RELATED_TO edges to its ``related_k`` most related papers.
    min_cooccurrence : CO_OCCURS edges need at least this many shared papers; ``"auto"`` takes the smallest count
        that keeps at most ``budget`` edges (default :data:`COOCCURRENCE_BUDGET`, which a listing of a few thousand
        papers does not reach: 1 there).
    stats : if given, receives ``cooccurrence_threshold``, ``cooccurring_pairs`` (all pairs) and
        ``cooccurs_kept``, the citation counts of :func:`~citegraph.graph.build.citations.add_citations` and
        ``authors``.

    Examples
    --------
    >>> from citegraph.extract.records import Mention
    >>> ps = [Paper("a", "A"), Paper("b", "B"), Paper("c", "C")]
    >>> m = lambda k: Mention(k, "method", 0, 1, "title", k)
    >>> xs = [Extraction("a", "A", (m("x"), m("y"))), Extraction("b", "B", (m("x"), m("y"))),
    ...       Extraction("c", "C", (m("x"),))]
    >>> G = build_graph(ps, xs)
    >>> G.edges["entity:x", "entity:y"]["papers"], G.edges["entity:x", "entity:y"]["paper_ids"]
    (2, ['a', 'b'])
    >>> round(G.edges["entity:x", "entity:y"]["association_strength"], 3)  # 3 * 2 / (3 * 2)
    1.0
    """
    return build_tables(papers, extractions, related_k=related_k, min_cooccurrence=min_cooccurrence,
                        budget=budget, stats=stats).to_networkx()


def build_tables(papers: Sequence[Paper], extractions: Sequence[Extraction], *, related_k: int = 10,
                 min_cooccurrence: int | str = 1, budget: int = COOCCURRENCE_BUDGET,
                 stats: dict | None = None, min_papers: int = 1, min_confidence: float = 0.0,
                 names: dict[str, str] | None = None) -> BuiltGraph:
    """:func:`build_graph`'s graph as a :class:`BuiltGraph` (what ``citegraph build`` writes from).

    ``min_confidence``: only entities with a mention of at least that confidence are in the graph; ``min_papers``:
    only entities mentioned in at least that many papers. The mentions of the others are left out of the graph
    (MENTIONS, paper ``mention_count``, co-occurrence and typed relations). ``names``: display names by key that
    override the entities' own (a thesaurus's ``replace_by``)."""
    if len(papers) != len(extractions) or any(p.id != x.id for p, x in zip(papers, extractions)):
        raise ValueError("papers and extractions must be aligned (same ids in the same order)")
    if min_papers < 1:
        raise ValueError(f"min_papers must be at least 1, not {min_papers}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    top: dict[str, float] = {}  # each key's best confidence
    for m in (m for x in extractions for m in x.mentions):
        top[m.key] = max(top.get(m.key, 0.0), m.confidence)
    found = confident = len(top)
    if min_confidence > 0.0:
        sure = {k for k, c in top.items() if c >= min_confidence}
        extractions, confident = _keep_keys(extractions, sure), len(sure)
    kept = confident
    if min_papers > 1:
        df = Counter(k for x in extractions for k in {m.key for m in x.mentions})
        common = {k for k, n in df.items() if n >= min_papers}
        extractions, kept = _keep_keys(extractions, common), len(common)
    # what the graph leaves out of what was extracted, said in the graph itself (the map's header tells it)
    left_out = {"min_confidence": min_confidence, "min_papers": min_papers,
                "entities_under_confidence": found - confident, "entities_under_min_papers": confident - kept}
    if stats is not None:
        stats.update({k: v for k, v in left_out.items() if k.startswith("entities_")})
    G = nx.DiGraph(name="citegraph", schema=1, **left_out)
    n_papers = len(papers)
    ids = [p.id for p in papers]
    rank = np.empty(n_papers, dtype=np.int64)  # a paper's position in id order: ties and lists sort by id
    rank[sorted(range(n_papers), key=ids.__getitem__)] = np.arange(n_papers)
    ids_by_rank = np.array(sorted(ids), dtype=object)

    tally, mention_keys = _tally_mentions(extractions)
    counts = _incidence_matrix(extractions, mention_keys, tally.col)
    del mention_keys
    X = counts.copy()  # binary: which papers mention which entities
    X.data[:] = 1
    df = _add_entities(G, papers, tally, X, names or {})
    pnodes = _add_papers(G, papers, extractions)
    cooccurs = _cooccurs(X, rank, df, min_cooccurrence, budget, stats)
    related = _related(X, df, rank, related_k)
    cited = add_citations(G, papers, extractions)
    related = _cites_over_related(G, pnodes, tally.names, related)
    cited["authors"] = add_authors(G, papers)
    if stats is not None:
        stats.update(cited)
    _add_typed_relations(G, papers, extractions)
    return BuiltGraph(G, pnodes, tally.names, rank, counts, related, cooccurs, ids_by_rank)


@dataclass
class _Tally:
    """The mentions grouped by entity key: keys sorted, each key's column and node id, and its counts."""

    keys: list[str]
    col: dict[str, int]
    names: list[str]
    mention_counts: Counter
    labels: dict[str, Counter]
    spellings: dict[str, Counter]
    sources: dict[str, set]
    confidence: dict[str, tuple[float, float]]  # mean and max of each key's mentions' confidence


def _tally_mentions(extractions: Sequence[Extraction]) -> tuple[_Tally, list[str]]:
    """Phase 1, entities: each key's mention count, labels, spellings and extraction sources (for the label by
    majority and the name by most frequent spelling); also the key of every mention, in order."""
    mentions = [m for x in extractions for m in x.mentions]
    mention_keys = [m.key for m in mentions]
    mention_counts = Counter(mention_keys)
    labels: dict[str, Counter] = defaultdict(Counter)
    spellings: dict[str, Counter] = defaultdict(Counter)
    sources: dict[str, set] = defaultdict(set)
    # counted as (key, value) pairs by Counter's C loop, then grouped by key: the same counts, a third of the time
    for (k, label), n in Counter(zip(mention_keys, [m.label for m in mentions])).items():
        labels[k][label] = n
    for (k, text), n in Counter(zip(mention_keys, [m.text for m in mentions])).items():
        spellings[k][text] = n
    for k, source in set(zip(mention_keys, [m.source for m in mentions])):
        sources[k].add(source)
    total: Counter = Counter()
    top: dict[str, float] = {}
    for k, c in zip(mention_keys, [m.confidence for m in mentions]):
        total[k] += c
        if c > top.get(k, -1.0):
            top[k] = c
    confidence = {k: (round(total[k] / n, 3), top[k]) for k, n in mention_counts.items()}
    keys = sorted(mention_counts)
    col = {k: i for i, k in enumerate(keys)}
    names = [entity_id(k) for k in keys]
    return _Tally(keys, col, names, mention_counts, labels, spellings, sources, confidence), mention_keys


def _keep_keys(extractions: Sequence[Extraction], keys: set[str]) -> list[Extraction]:
    """The extractions with only the mentions whose key is in ``keys`` (and the relations between those)."""
    return [x if all(m.key in keys for m in x.mentions)
            else x.with_mentions([m if m.key in keys else None for m in x.mentions]) for x in extractions]


def _short_form(text: str) -> bool:
    """An acronym written as one (``DS``, ``GANs``, ``EF21``), not a name with inner capitals (``ImageNet``)."""
    letters = [c for c in text if c.isalpha()]
    return is_acronym(text) and sum(c.isupper() for c in letters) * 2 > len(letters)


def display_name(spellings: Counter, key: str | None = None) -> str:
    """The most readable of an entity's spellings: the most frequent one that is not an acronym, with the most
    frequent acronym after it in brackets when there is one (``dynamical systems (DS)``, not ``DS``). Of spellings as
    frequent, a whole definition goes first ("Conjugate Gradient (CG) method": it names the acronym), then one of the
    key itself before one that is the key plus a kind word (merged in: "medical image analysis models" into "medical
    image analysis"), then the one with the fewest capitalised common words (a title's "Causal Inference" against the
    abstract's "causal inference"), then the first alphabetically.

    >>> display_name(Counter({"DS": 5, "dynamical systems": 2, "Dynamical Systems": 1}))
    'dynamical systems (DS)'
    >>> display_name(Counter({"ImageNet": 3, "imagenet": 1})), display_name(Counter({"GAN": 2, "GANs": 1}))
    ('ImageNet', 'GAN')
    >>> display_name(Counter({"MNIST": 4, "MNist": 1}))  # one name in two casings: the more frequent
    'MNIST'
    >>> display_name(Counter({"Coordinate Descent (CD) methods": 1, "CD": 1}))  # a definition's kind word goes
    'Coordinate Descent (CD)'
    >>> display_name(Counter({"Causal Inference": 1, "causal inference": 1})), display_name(Counter({"Imagenet": 1,
    ...                                                                                            "ImageNet": 1}))
    ('causal inference', 'ImageNet')
    >>> display_name(Counter({"NAV": 2, "NAV Algorithm": 1}))
    'NAV Algorithm'
    >>> display_name(Counter({"medical image analysis models": 1, "Medical Image Analysis": 1}),
    ...              "medical image analysis")
    'Medical Image Analysis'
    """
    def merged_in(spelling: str) -> bool:
        return key is not None and (k := normalise_key(spelling)) != key and without_kind_word(k) is not None

    ranked = list(spellings.items()) if len(spellings) == 1 else sorted(  # most entities have one spelling
        spellings.items(), key=lambda kv: (-kv[1], whole_definition(kv[0]) is None, merged_in(kv[0]),
                                           _title_words(kv[0]), kv[0]))
    words = [_without_kind_word(t) for t, _ in ranked if not _short_form(t)]
    acronyms = [t for t, _ in ranked if _short_form(t)]
    if words and acronyms:
        if "(" in words[0] or acronyms[0] in words[0].split():  # "NAV Algorithm" names its acronym already
            return words[0]
        if normalise_key(acronyms[0]) != normalise_key(words[0]):
            return f"{words[0]} ({acronyms[0]})"
        return ranked[0][0]
    return (words or acronyms)[0]


def _title_words(spelling: str) -> int:
    """How many of ``spelling``'s words are common words capitalised (``Causal``, not ``ImageNet`` or ``BERT``)."""
    return sum(1 for w in re.findall(r"[^\W\d_]+", spelling) if len(w) > 1 and w[0].isupper() and w[1:].islower())


def _without_kind_word(spelling: str) -> str:
    """A definition's spelling without the kind word after its bracket: the entity is the thing, not its kind."""
    forms = whole_definition(spelling)
    return f"{forms[0]} ({forms[1]})" if forms else spelling


def _incidence_matrix(extractions: Sequence[Extraction], mention_keys: list[str],
                      col: dict[str, int]) -> sp.csr_matrix:
    """Phase 2, the incidence matrix (papers × entities) with each paper's mentions of each entity counted: the
    MENTIONS edges. One entry a mention; the conversion to CSR sums a paper's mentions of one entity."""
    n_papers = len(extractions)
    counts = sp.csr_matrix((np.ones(len(mention_keys), dtype=np.int64),
                            (np.repeat(np.arange(n_papers, dtype=np.int64), [len(x.mentions) for x in extractions]),
                             np.fromiter(map(col.__getitem__, mention_keys), dtype=np.int64,
                                         count=len(mention_keys)))),
                           shape=(n_papers, len(col)))
    counts.sum_duplicates()
    counts.sort_indices()
    return counts


def _add_entities(G: nx.DiGraph, papers: Sequence[Paper], tally: _Tally, X: sp.csr_matrix,
                  names_by_key: dict[str, str]) -> np.ndarray:
    """Phase 3, the entity nodes: label by majority, name (``names_by_key``, else :func:`display_name`), paper
    count, mean and max confidence of its mentions, and first and last date (the least first and greatest last
    listing date of its papers; their publication years when no paper has a listing date, as in a bibliographic
    export). Returns the paper counts (``df``)."""
    Xc = X.tocsc()
    Xc.sort_indices()
    df = np.diff(Xc.indptr)
    keys, names = tally.keys, tally.names
    # an entity's first and last date: the least first and greatest last date of its papers, as codes
    dated = time_points([p.dates for p in papers], [p.year for p in papers])
    days = sorted({d for ds in dated for d in ds})
    code = {d: i for i, d in enumerate(days)}
    undated = len(days)
    paper_first = np.array([code[min(ds)] if ds else undated for ds in dated], dtype=np.int64)
    paper_last = np.array([code[max(ds)] if ds else -1 for ds in dated], dtype=np.int64)
    starts = Xc.indptr[:-1]
    firsts = np.minimum.reduceat(paper_first[Xc.indices], starts).tolist() if len(keys) else []
    lasts = np.maximum.reduceat(paper_last[Xc.indices], starts).tolist() if len(keys) else []
    days.append("")  # the code of "no date" in both directions (undated == len(days) - 1, -1)
    labels, spellings, sources, mention_counts = tally.labels, tally.spellings, tally.sources, tally.mention_counts
    for j, k in enumerate(keys):
        mean, top = tally.confidence[k]
        G.add_node(names[j], kind="entity", label=_majority(labels[k], LABELS), key=k,
                   name=names_by_key.get(k) or display_name(spellings[k], k),
                   aliases=sorted(spellings[k]), paper_count=int(df[j]), mention_count=mention_counts[k],
                   confidence=mean, max_confidence=top,
                   first_date=days[firsts[j]], last_date=days[lasts[j]],
                   extraction_sources=sorted(sources[k]))
    return df


def _add_papers(G: nx.DiGraph, papers: Sequence[Paper], extractions: Sequence[Extraction]) -> list[str]:
    """Phase 4, the paper nodes (their MENTIONS stay the incidence matrix). Returns their node ids, in order."""
    pnodes = [paper_node(p.id) for p in papers]
    for p, x, pid in zip(papers, extractions, pnodes):
        G.add_node(pid, kind="paper", label="paper", name=p.title, title=p.title, url=p.url, dates=list(p.dates),
                   first_date=p.dates[0] if p.dates else "", last_date=p.dates[-1] if p.dates else "",
                   sources=list(p.sources), mention_count=len(x.mentions))
    return pnodes


def _cooccurs(X: sp.csr_matrix, rank: np.ndarray, df: np.ndarray, min_cooccurrence: int | str, budget: int,
              stats: dict | None) -> Cooccurs:
    """Phase 5, CO_OCCURS: ``C = XᵀX``, upper triangle, the pairs sharing at least the threshold's papers (see
    :func:`build_graph` for ``min_cooccurrence``, ``budget`` and ``stats``)."""
    a, b, c_ab = cooccurrence_arrays(X)
    threshold = cooccurrence_threshold(c_ab, budget) if min_cooccurrence == "auto" else max(1, int(min_cooccurrence))
    keep = c_ab >= threshold
    if stats is not None:
        stats.update(cooccurrence_threshold=threshold, cooccurring_pairs=int(len(c_ab)),
                     cooccurs_kept=int(keep.sum()))
    return cooccurs_columns(X, rank, df, a[keep], b[keep], c_ab[keep])


def _related(X: sp.csr_matrix, df: np.ndarray, rank: np.ndarray,
             related_k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Phase 6, RELATED_TO: ``S = X W Xᵀ`` with ``W`` the entities' idf, each paper keeping its ``related_k``
    strongest; the arrays :class:`BuiltGraph` keeps (shared entities strongest first, then by key)."""
    n_papers, n_entities = X.shape
    idf = np.log(n_papers / np.maximum(df, 1)).astype(float)
    pairs = related_pairs(X, idf, df, rank, related_k)
    col_order = np.lexsort((np.arange(n_entities), -idf))  # strongest first, then by key (columns are key order)
    place = np.empty(n_entities, dtype=np.int64)
    place[col_order] = np.arange(n_entities)
    return related_arrays(X, pairs, idf, place, rank)


def _cites_over_related(G: nx.DiGraph, pnodes: list[str], enodes: list[str],
                        related: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Phase 8, a paper citing a paper it is related to: the graph holds one edge per ordered pair, so the CITES
    edge keeps the RELATED_TO edge's ``weight``, ``shared`` and ``shared_entities`` and the arrays drop it."""
    u, v, w, ptr, cols = related
    cites = {(a, b) for a, b, t in G.edges(data="type") if t == "CITES" and b.startswith("paper:")}
    if not cites or not len(u):
        return related
    hit = np.array([(pnodes[a], pnodes[b]) in cites for a, b in zip(u.tolist(), v.tolist())], dtype=bool)
    if not hit.any():
        return related
    for e in np.flatnonzero(hit).tolist():
        shared = [enodes[c] for c in cols[ptr[e]:ptr[e + 1]].tolist()]
        G.edges[pnodes[u[e]], pnodes[v[e]]].update(weight=float(w[e]), shared=len(shared), shared_entities=shared)
    keep = ~hit
    lengths = np.diff(ptr)
    return (u[keep], v[keep], w[keep], np.concatenate([[0], np.cumsum(lengths[keep])]).astype(ptr.dtype),
            cols[np.repeat(keep, lengths)])


def _add_typed_relations(G: nx.DiGraph, papers: Sequence[Paper], extractions: Sequence[Extraction]) -> None:
    """Phase 9, typed relations: USED_FOR, EVALUATE_FOR, ... edges between entities, one per entity pair, stored
    from the larger node id to the smaller (the CO_OCCURS edge of the pair goes the other way), ``head`` and
    ``tail`` saying the relation's direction."""
    G.add_edges_from((u, v, d) for u, v, d in typed_relation_edges(papers, extractions) if u in G and v in G)


def _majority(counter: Counter, order: Sequence[str]) -> str:
    """The most frequent value; ties go by place in ``order``, then alphabetically."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99, kv[0]))[0][0]
