"""Shared fixtures. Tests that need a service (Neo4j, Chromium, ../shared) skip with a message that says how to
provide it, except under ``CI=true``, where a missing service fails the test: nothing is silently skipped in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CITEGRAPH_SHARED", ROOT.parent / "shared"))


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(what: str, how: str) -> None:
    """Fail under CI, skip elsewhere, always saying how to provide ``what``."""
    message = f"{what} is not available; {how}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir():
        unavailable(f"the shared data folder ({SHARED})",
                    "check out the project beside ../shared or set CITEGRAPH_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def bibliographic_dir(shared_dir: Path) -> Path:
    """The real bibliographic exports (``../shared/data/bibliographic``; its README gives each file's counts)."""
    folder = shared_dir / "data" / "bibliographic"
    if not folder.is_dir():
        unavailable(f"the real bibliographic exports ({folder})", "use a ../shared that has data/bibliographic")
    return folder


@pytest.fixture(scope="session")
def seed_files(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seeds_build(seed_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``citegraph build`` of the five seed pages with the shipped model, made once per test session."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("seeds-build") / "out"
    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", *map(str, seed_files), "--out", str(out),
                           "--year", "2025"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``citegraph build`` of the embedded sample listing (rule-only pipeline: small and quick), made once."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("sample-build") / "out"
    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", "--rules-only", "--out", str(out),
                           "--year", "2025"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out


NEO4J_HOW = "start one with `eval \"$(scripts/neo4j-server start)\"` (sets NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD)"


@pytest.fixture(scope="session")
def neo4j_settings():
    """Settings of the real test server, from NEO4J_URI & co (see scripts/neo4j-server)."""
    if not os.environ.get("NEO4J_URI"):
        unavailable("a Neo4j server (NEO4J_URI is not set)", NEO4J_HOW)
    from citegraph.graph.store.neo4j_connection import Neo4jSettings

    return Neo4jSettings.from_env(retry_seconds=10.0)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings):
    from citegraph.graph.store.neo4j_connection import Neo4jStoreError, open_driver

    try:
        driver = open_driver(neo4j_settings)
    except Neo4jStoreError as e:
        unavailable(f"the Neo4j server at {neo4j_settings.uri} ({e})", NEO4J_HOW)
    yield driver
    driver.close()


@pytest.fixture
def neo4j_db(neo4j_driver, neo4j_settings):
    """The test database, emptied before the test (:func:`wipe_test_database`)."""
    wipe_test_database(neo4j_driver, neo4j_settings)
    return neo4j_driver


def wipe_test_database(driver, settings) -> None:
    """Empty the test database. Refuses to wipe a database that holds data but not the ``:CitegraphTestDatabase``
    marker node this leaves behind, so a user's own server is never wiped."""
    db = settings.database
    marked = driver.execute_query("MATCH (m:CitegraphTestDatabase) RETURN count(m) AS n", database_=db)
    other = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=db)
    if not marked.records[0]["n"] and other.records[0]["n"]:
        pytest.fail(f"refusing to wipe {settings.uri}: it holds data and is not a citegraph test database")
    while driver.execute_query("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n",
                               database_=db).records[0]["n"]:
        pass
    driver.execute_query("CREATE (:CitegraphTestDatabase)", database_=db)
