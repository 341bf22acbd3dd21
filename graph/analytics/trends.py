"""Trends over time: when each entity was first seen, papers per date, what rises and what bursts.

Counting unit: a paper counts once on each date it was listed on (``dates`` of the paper node). A corpus where no
paper has a listing date (a bibliographic export) counts each paper on its publication year instead (``year``), as
bibliometric tools do; ``unit`` says which. Papers without one take no part in trends and are reported as
``undated_papers``. ``N_t`` is the number of papers listed on date
``t`` and ``n_t(e)`` how many of them mention entity ``e``; ``share_t(e) = n_t(e) / N_t``.

**Rise** between consecutive dates ``s < t``: ``share_t(e) - share_s(e)``.

**Burst** of entity ``e`` on date ``t``: the add-one smoothed log-ratio of its share on ``t`` to its share on all
other dates together, ``burst(e, t) = log2( ((n_t + 1) / (N_t + 2)) / ((n_o + 1) / (N_o + 2)) )`` where
``n_o = sum of n_s(e)`` and ``N_o = sum of N_s`` over the dates ``s != t``. 0 means as frequent as elsewhere,
1 about twice as frequent; smoothing keeps one-paper entities from scoring high. An entity is reported bursting on
its highest-scoring date when ``n_t >= min_papers`` (default 2) and ``burst >= threshold`` (default 1).
With fewer than two dates there is nothing to compare: rises and bursts are empty and ``note`` says why.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import networkx as nx

from citegraph.extract.records import time_points
from citegraph.graph.analytics.views import display_name, entity_papers, nodes_of_kind

__all__ = ["paper_dates", "listing_dates", "time_unit", "entity_trends", "rising", "bursts", "trends", "burst_score"]

LISTING_DATE, PUBLICATION_YEAR = "listing date", "publication year"


def _listing_dates(G: nx.DiGraph) -> dict[str, list[str]]:
    out = {}
    for n in nodes_of_kind(G, "paper"):
        raw = G.nodes[n].get("dates") or []
        if isinstance(raw, str):
            raw = raw.split("|")
        out[n] = sorted({str(d) for d in raw if d})
    return out


def time_unit(G: nx.DiGraph) -> str:
    """``"listing date"`` when a paper of ``G`` has one, else ``"publication year"``.

    >>> from citegraph.testing import toy_graph, toy_citing_graph
    >>> time_unit(toy_graph()), time_unit(toy_citing_graph())
    ('listing date', 'publication year')
    """
    return LISTING_DATE if any(_listing_dates(G).values()) else PUBLICATION_YEAR


def paper_dates(G: nx.DiGraph) -> dict[str, list[str]]:
    """Paper id -> its sorted distinct listing dates, or, when no paper has one, its publication year (empty list
    when it has neither).

    >>> from citegraph.testing import toy_graph, toy_citing_graph
    >>> paper_dates(toy_graph())["paper:p5"]
    ['2024-03-17']
    >>> sorted({d for ds in paper_dates(toy_citing_graph()).values() for d in ds})[:2]
    ['2017', '2018']
    """
    listed = _listing_dates(G)
    points = time_points(list(listed.values()), [G.nodes[n].get("year") for n in listed])
    return {n: list(ds) for n, ds in zip(listed, points)}


def listing_dates(G: nx.DiGraph) -> list[str]:
    """Sorted distinct dates of the papers: their listing dates, or their publication years when no paper has a
    listing date (:func:`time_unit`).

    >>> from citegraph.testing import toy_graph
    >>> listing_dates(toy_graph())
    ['2024-03-13', '2024-03-14', '2024-03-17']
    """
    return sorted({d for ds in paper_dates(G).values() for d in ds})


def _counts(G: nx.DiGraph) -> tuple[list[str], Counter, dict[str, Counter]]:
    pdates = paper_dates(G)
    dates = sorted({d for ds in pdates.values() for d in ds})
    totals: Counter = Counter(d for ds in pdates.values() for d in ds)
    per_entity = {e: Counter(d for p in ps for d in pdates.get(p, [])) for e, ps in entity_papers(G).items()}
    return dates, totals, per_entity


def burst_score(n_t: int, N_t: int, n_o: int, N_o: int) -> float:
    """``log2(((n_t + 1) / (N_t + 2)) / ((n_o + 1) / (N_o + 2)))`` (see the module docstring).

    >>> round(burst_score(2, 2, 0, 3), 4)   # in both papers of the date, in none of 3 elsewhere: 3/4 vs 1/5
    1.9069
    >>> burst_score(1, 2, 2, 4)             # same share on both sides
    0.0
    """
    return math.log2(((n_t + 1) / (N_t + 2)) / ((n_o + 1) / (N_o + 2)))


def entity_trends(G: nx.DiGraph) -> dict[str, dict[str, Any]]:
    """Per entity: ``name``, ``label``, ``first_seen`` (earliest listing date, "" if only in undated papers) and
    ``papers_per_date`` (every listing date, zeros included).

    >>> from citegraph.testing import toy_graph
    >>> t = entity_trends(toy_graph())["entity:imagenet"]
    >>> t["first_seen"], t["papers_per_date"]
    ('2024-03-14', {'2024-03-13': 0, '2024-03-14': 1, '2024-03-17': 1})
    """
    dates, _, per_entity = _counts(G)
    return {
        e: {
            "name": display_name(G, e),
            "label": G.nodes[e].get("label", ""),
            "first_seen": min(c) if c else "",
            "papers_per_date": {d: c.get(d, 0) for d in dates},
        }
        for e, c in sorted(per_entity.items())
    }


def rising(G: nx.DiGraph, top: int = 10, *, min_papers: int = 1) -> list[dict[str, Any]]:
    """For each pair of consecutive dates, the entities whose share of papers rose most (rise > 0).

    Only entities in at least ``min_papers`` papers on the later date are listed.

    Returns
    -------
    list of dict
        ``{"from", "to", "entities": [{"id", "name", "label", "before", "after", "share_before",
        "share_after", "rise"}]}``; empty with fewer than two dates.

    Examples
    --------
    >>> from citegraph.testing import toy_graph
    >>> step = rising(toy_graph(), top=3)[0]
    >>> step["from"], step["to"], [(e["name"], e["rise"]) for e in step["entities"]]
    ('2024-03-13', '2024-03-14', [('GPT', 1.0), ('ImageNet', 0.5), ('ResNet', 0.5)])
    """
    dates, totals, per_entity = _counts(G)
    out = []
    for s, t in zip(dates, dates[1:]):
        rows = []
        for e, c in per_entity.items():
            before, after = c.get(s, 0), c.get(t, 0)
            share_s, share_t = before / totals[s], after / totals[t]
            if after >= min_papers and share_t - share_s > 1e-12:
                rows.append({"id": e, "name": display_name(G, e), "label": G.nodes[e].get("label", ""),
                             "before": before, "after": after, "share_before": share_s, "share_after": share_t,
                             "rise": share_t - share_s})
        rows.sort(key=lambda r: (-round(r["rise"], 12), -r["after"], r["id"]))
        out.append({"from": s, "to": t, "entities": rows[:top]})
    return out


def bursts(G: nx.DiGraph, top: int = 10, *, min_papers: int = 2, threshold: float = 1.0) -> list[dict[str, Any]]:
    """Entities bursting on some date (module docstring: ``burst(e, t)``), highest first, one row per entity.

    Returns
    -------
    list of dict
        ``{"id", "name", "label", "date", "papers", "burst"}`` at the entity's highest-scoring date;
        empty with fewer than two dates.

    Examples
    --------
    BERT is in both 2024-03-13 papers and none of the 3 later ones, GPT in both 2024-03-14 papers and none of the
    3 others: ``log2((3/4) / (1/5)) = 1.9069`` each. ImageNet has only one paper per date.

    >>> from citegraph.testing import toy_graph
    >>> [(b["name"], b["date"], round(b["burst"], 4)) for b in bursts(toy_graph())]
    [('BERT', '2024-03-13', 1.9069), ('GPT', '2024-03-14', 1.9069)]
    """
    dates, totals, per_entity = _counts(G)
    if len(dates) < 2:
        return []
    all_listings = sum(totals.values())
    rows = []
    for e, c in per_entity.items():
        n_all = sum(c.values())
        best = None
        for t in dates:
            n_t = c.get(t, 0)
            if n_t < min_papers:
                continue
            score = burst_score(n_t, totals[t], n_all - n_t, all_listings - totals[t])
            if best is None or score > best[0] + 1e-12:
                best = (score, t, n_t)
        if best is not None and best[0] >= threshold:
            rows.append({"id": e, "name": display_name(G, e), "label": G.nodes[e].get("label", ""),
                         "date": best[1], "papers": best[2], "burst": best[0]})
    rows.sort(key=lambda r: (-round(r["burst"], 12), r["id"]))
    return rows[:top]


def trends(G: nx.DiGraph, top: int = 10) -> dict[str, Any]:
    """Everything about dates in one dict: ``unit`` (:func:`time_unit`), ``dates``, ``papers_per_date``,
    ``undated_papers``, ``new_entities_per_date`` (entities first seen that date), ``top_entities`` (the ``top``
    entities by papers with their papers per date), ``rising``, ``bursts`` and a ``note`` (empty unless there are
    fewer than two dates).

    >>> from citegraph.testing import toy_graph
    >>> t = trends(toy_graph(), top=2)
    >>> t["papers_per_date"], t["new_entities_per_date"], t["note"]
    ({'2024-03-13': 2, '2024-03-14': 2, '2024-03-17': 1}, {'2024-03-13': 4, '2024-03-14': 3, '2024-03-17': 1}, '')
    >>> [e["name"] for e in t["top_entities"]]
    ['question answering', 'SQuAD']
    """
    dates, totals, _ = _counts(G)
    pdates = paper_dates(G)
    per_entity = entity_trends(G)
    papers_of = {e: len(ps) for e, ps in entity_papers(G).items()}
    new = Counter(v["first_seen"] for v in per_entity.values() if v["first_seen"])
    unit = time_unit(G)
    if not dates:
        note = "no paper has a listing date or a publication year: trends need at least two dates"
    elif len(dates) == 1:
        note = f"only one {unit} ({dates[0]}): nothing to compare, so no rising or bursting entities"
    else:
        note = ""
    ranked = sorted(per_entity, key=lambda e: (-papers_of.get(e, 0), e))[:top]
    return {
        "unit": unit,
        "dates": dates,
        "papers_per_date": {d: totals[d] for d in dates},
        "undated_papers": sum(1 for ds in pdates.values() if not ds),
        "new_entities_per_date": {d: new.get(d, 0) for d in dates},
        "top_entities": [{"id": e, **per_entity[e], "papers": papers_of.get(e, 0)} for e in ranked],
        "rising": rising(G, top),
        "bursts": bursts(G, top),
        "note": note,
    }
