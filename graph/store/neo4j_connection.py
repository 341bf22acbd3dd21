"""Connecting to Neo4j: where and as whom (``NEO4J_*`` settings), a driver checked before any work, and every
driver failure told in one sentence with the exit code the CLI uses for it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import exceptions as nx4

from citegraph.extract.records import CitegraphError

__all__ = ["Neo4jSettings", "Neo4jStoreError", "open_driver", "translate_error"]

DEFAULT_URI = "bolt://127.0.0.1:7687"
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_PASSWORD = "citegraph"  # the docker-compose.yml default (NEO4J_PASSWORD overrides both)

#: Exit codes of the CLI for each kind of failure (1 is any other domain failure, 2 a usage error).
EXIT_UNREACHABLE, EXIT_AUTH, EXIT_DATABASE = 3, 4, 5


class Neo4jStoreError(CitegraphError):
    """A Neo4j failure, told in one sentence, with the exit code the CLI uses for it."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and as whom to connect. ``from_env`` reads NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE."""

    uri: str = DEFAULT_URI
    username: str = "neo4j"
    password: str = DEFAULT_PASSWORD
    database: str = "neo4j"
    retry_seconds: float = 30.0  # how long the driver retries a transaction that failed transiently
    connect_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Neo4jSettings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {
            "uri": env.get("NEO4J_URI") or DEFAULT_URI,
            "username": env.get("NEO4J_USERNAME") or "neo4j",
            "password": env.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD,
            "database": env.get("NEO4J_DATABASE") or "neo4j",
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def translate_error(e: Exception, settings: Neo4jSettings, doing: str = "") -> Neo4jStoreError:
    """One clear sentence for a driver exception."""
    where = f"Neo4j at {settings.uri}"
    during = f" while {doing}" if doing else ""
    if isinstance(e, nx4.AuthError):
        return Neo4jStoreError(f"{where} refused the credentials of user {settings.username!r}{during}: "
                               "check NEO4J_USERNAME/NEO4J_PASSWORD (or --username/--password)", EXIT_AUTH)
    if isinstance(e, nx4.Neo4jError) and (e.code or "").endswith("DatabaseNotFound"):
        return Neo4jStoreError(f"{where} has no database {settings.database!r}: check NEO4J_DATABASE "
                               "(or --database); community edition has only 'neo4j' and 'system'", EXIT_DATABASE)
    if isinstance(e, (nx4.ServiceUnavailable, nx4.SessionExpired, nx4.IncompleteCommit,
                      nx4.ConnectionAcquisitionTimeoutError, OSError)):
        retried = f" (retried for {settings.retry_seconds:g}s)" if doing.startswith("pushing") else ""
        return Neo4jStoreError(f"could not reach {where}{during}{retried}: "
                               "is the server running? Start it with `docker compose up -d --wait` or "
                               "`scripts/neo4j-server start`, then run the same command again", EXIT_UNREACHABLE)
    if isinstance(e, nx4.ConfigurationError):
        return Neo4jStoreError(f"bad Neo4j settings ({e}): NEO4J_URI looks like bolt://host:7687 or neo4j://host:7687")
    if isinstance(e, nx4.Neo4jError):
        return Neo4jStoreError(f"{where} answered an error{during}: {e.message or e.code}")
    return Neo4jStoreError(f"Neo4j failure{during}: {e}")


def open_driver(settings: Neo4jSettings) -> neo4j.Driver:
    """A driver connected and authenticated against ``settings`` (and its database checked), or a clear error."""
    scheme = settings.uri.split("://", 1)[0] if "://" in settings.uri else ""
    if scheme not in URI_SCHEMES:
        raise Neo4jStoreError(f"bad NEO4J_URI {settings.uri!r}: expected a Bolt URI such as bolt://127.0.0.1:7687 "
                              f"(schemes: {', '.join(URI_SCHEMES)})")
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=(settings.username, settings.password),
            max_transaction_retry_time=settings.retry_seconds,
            connection_timeout=settings.connect_seconds,
            connection_acquisition_timeout=settings.connect_seconds + 5,
            # the server's notes on a query ("label does not exist" on an empty database) are not the user's problem
            notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
        )
    except (ValueError, nx4.ConfigurationError) as e:
        raise Neo4jStoreError(f"bad NEO4J_URI {settings.uri!r} ({e}); expected bolt://host:7687 or neo4j://host:7687") \
            from e
    try:
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=settings.database)
    except Exception as e:
        driver.close()
        raise translate_error(e, settings, "connecting") from e
    return driver
