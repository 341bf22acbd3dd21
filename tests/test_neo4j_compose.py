"""docker-compose.yml (no Docker engine here): it parses, and holds what a user relies on: a pinned Neo4j 5.26
community image with APOC, loopback-only ports, auth from the environment with the same default the CLI uses, a
data volume and a healthcheck so `docker compose up -d --wait` returns when Bolt answers."""

from __future__ import annotations

import re

import pytest
import yaml

from citegraph.graph.store.neo4j_connection import DEFAULT_PASSWORD
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def neo4j_service() -> dict:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert set(compose["services"]) == {"neo4j"}
    return compose["services"]["neo4j"]


def test_neo4j_compose_image_is_pinned_526_community(neo4j_service: dict) -> None:
    assert re.fullmatch(r"neo4j:5\.26(\.\d+)?-community", neo4j_service["image"])


def test_neo4j_compose_ports_bound_to_loopback(neo4j_service: dict) -> None:
    ports = neo4j_service["ports"]
    assert any(p.endswith(":7687") for p in ports)
    assert all(p.startswith("127.0.0.1:") for p in ports)


def test_neo4j_compose_auth_from_env_with_the_cli_default(neo4j_service: dict) -> None:
    env = neo4j_service["environment"]
    assert env["NEO4J_AUTH"] == f"neo4j/${{NEO4J_PASSWORD:-{DEFAULT_PASSWORD}}}"
    assert len(DEFAULT_PASSWORD) >= 8  # Neo4j's minimum password length


def test_neo4j_compose_has_apoc_volume_and_healthcheck(neo4j_service: dict) -> None:
    env = neo4j_service["environment"]
    assert "apoc" in yaml.safe_load(env["NEO4J_PLUGINS"])
    assert any(v.endswith(":/data") for v in neo4j_service["volumes"])
    check = neo4j_service["healthcheck"]
    assert "cypher-shell" in " ".join(check["test"]) and "RETURN 1" in " ".join(check["test"])
    assert check["retries"] * int(check["interval"].rstrip("s")) >= 60


def test_neo4j_compose_documented_in_the_readme_section() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docker compose up -d --wait" in section and DEFAULT_PASSWORD in section
