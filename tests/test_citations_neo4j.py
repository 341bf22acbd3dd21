"""The citation network in a real Neo4j: a build of generated citing records pushed twice (the second push writes
nothing), its labels and relationship types, and the citation queries answering what the records say they cite."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

import citegraph
from citegraph.graph.build.authors import author_key
from citegraph.graph.cli.main import main
from citegraph.testing import citing_records
from tests.conftest import wipe_test_database

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def corpus():
    return citing_records(30, refs_per_paper=8, external=25, seed=11)


@pytest.fixture(scope="module")
def citing_db(neo4j_driver, neo4j_settings, corpus, tmp_path_factory):
    """The citing corpus built and pushed once (the database wiped first: wipe_test_database)."""
    wipe_test_database(neo4j_driver, neo4j_settings)
    out = tmp_path_factory.mktemp("citing-neo4j") / "out"
    citegraph.build(corpus.records, html=False, workers=1).save(out)
    first = _push(out)
    return neo4j_driver, out, first


def _push(build: Path) -> dict:
    result = CliRunner().invoke(main, ["push", str(build), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def _query(name: str, **params) -> list[dict]:
    args = ["query", name, "--format", "json"] + [a for k, v in params.items() for a in ("--param", f"{k}={v}")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _works(corpus) -> dict[str, set]:
    """What each paper cites: ("paper", id) for papers of the corpus, ("outside", k) for outside works."""
    works: dict[str, set] = defaultdict(set)
    for a, b in corpus.cites:
        works[a].add(("paper", b))
    for a, k in corpus.external:
        works[a].add(("outside", k))
    return works


def test_citations_neo4j_push_holds_the_network_and_a_second_push_writes_nothing(citing_db, corpus) -> None:
    driver, out, first = citing_db
    assert first["nodes_created"] == first["nodes"] and first["relationships_created"] == first["relationships"]
    counts = {r["t"]: r["n"] for r in driver.execute_query(
        "MATCH (:Paper)-[r]->(:Paper) WHERE type(r) = $t RETURN type(r) AS t, count(r) AS n", t="CITES").records}
    assert counts == {"CITES": len(corpus.cites)}
    authors = driver.execute_query("MATCH (a:Author:Citegraph)-[:WROTE]->(p:Paper) RETURN count(*) AS n").records
    assert authors[0]["n"] == sum(len({author_key(a) for a in names}) for names in corpus.authors.values())
    outside = driver.execute_query("MATCH (r:Reference:Citegraph) RETURN count(r) AS n").records[0]["n"]
    assert outside == len({k for _, k in corpus.external})
    again = _push(out)
    assert (again["nodes_created"], again["nodes_updated"], again["relationships_created"],
            again["relationships_updated"]) == (0, 0, 0, 0)


def test_citations_neo4j_most_cited_papers_are_the_records_most_cited(citing_db, corpus) -> None:
    local = Counter(b for _, b in corpus.cites)
    expected = sorted(local.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    rows = _query("most_cited", works="papers", limit=5)
    assert [(r["id"].removeprefix("paper:"), r["citing"]) for r in rows] == expected
    assert {r["kind"] for r in rows} == {"paper"}


def test_citations_neo4j_who_cites_a_paper_by_its_doi(citing_db, corpus) -> None:
    cited = Counter(b for _, b in corpus.cites).most_common(1)[0][0]
    doi = next(r["doi"] for r in corpus.records if r["id"] == cited)
    rows = _query("citing_papers", work=doi.upper())
    assert sorted(r["paper_id"] for r in rows) == sorted(a for a, b in corpus.cites if b == cited)


def test_citations_neo4j_cocited_and_coupled_as_the_records_say(citing_db, corpus) -> None:
    works = _works(corpus)
    cited = Counter(b for _, b in corpus.cites).most_common(1)[0][0]
    citing_it = {a for a, w in works.items() if ("paper", cited) in w}
    cocited = Counter(w for a in citing_it for w in works[a] if w != ("paper", cited))
    rows = _query("cocited_with", work=cited, limit=1000)
    got = {r["id"].removeprefix("paper:"): r["papers"] for r in rows if r["id"].startswith("paper:")}
    assert got == {b: n for (kind, b), n in cocited.items() if kind == "paper"}
    assert sum(r["papers"] for r in rows) == sum(cocited.values())
    paper = max(works, key=lambda a: (len(works[a]), a))
    shared = {b: len(works[paper] & w) for b, w in works.items() if b != paper and works[paper] & w}
    rows = _query("coupled_with", paper=paper, limit=1000)
    assert {r["paper_id"]: r["shared"] for r in rows} == shared


def test_citations_neo4j_coauthors_as_the_records_say(citing_db, corpus) -> None:
    papers_of: dict[str, set] = defaultdict(set)
    for pid, names in corpus.authors.items():
        for name in names:
            papers_of[author_key(name)].add(pid)
    author = max(papers_of, key=lambda k: (len(papers_of[k]), k))
    expected = Counter(author_key(n) for pid in papers_of[author] for n in set(corpus.authors[pid])
                       if author_key(n) != author)
    rows = _query("coauthors", author=author)
    assert {r["key"]: r["papers"] for r in rows} == dict(expected)
