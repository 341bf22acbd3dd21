"""Pushing a citegraph graph into Neo4j: idempotent ``UNWIND $rows MERGE`` batches on uniqueness constraints.

Model (README, "The graph"): ``(:Paper)``, ``(:Entity:Method|Dataset|Task|Metric|Concept)``, ``(:Reference)``, every
one also ``:Citegraph`` and keyed by ``id`` = the graph's node id (``paper:…``, ``entity:…``, ``ref:…``);
relationships ``MENTIONS``, ``CO_OCCURS``, ``RELATED_TO`` and ``CITES`` with the graph's edge attributes, and the
typed relations between entities (``USED_FOR``, ``EVALUATE_FOR``, ...) from their ``head`` to their ``tail``. Each node
and relationship citegraph writes carries ``citegraph_hash``, a digest of the properties it wrote: a row whose digest
is unchanged is not written again, so pushing the same build twice writes nothing, and a later build only touches
what changed. ``replace`` deletes the ``:Citegraph`` nodes (and so their relationships), never anything else.

Values travel only as ``$rows`` parameters; labels and relationship types come from fixed tables, never from data.
Every write goes through ``Driver.execute_query`` (a managed transaction), so transient failures are retried with
backoff by the driver for its ``max_transaction_retry_time``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import neo4j
from neo4j import exceptions as nx4

from citegraph.extract.records import LABELS, CitegraphError
from citegraph.graph.build.typed_relations import RELATION_TYPES

__all__ = [
    "Neo4jSettings",
    "Neo4jStoreError",
    "PushSummary",
    "open_driver",
    "push_graph",
    "delete_citegraph",
    "ensure_constraints",
    "graph_rows",
    "typed_relation_row",
    "translate_error",
]

log = logging.getLogger(__name__)

MARKER = "Citegraph"
NODE_LABELS: dict[str, str] = {"paper": "Paper", "entity": "Entity", "reference": "Reference"}
KIND_LABELS: dict[str, str] = {label: label.capitalize() for label in LABELS}
#: the typed relations between entities (USED_FOR, ...): pushed from ``head`` to ``tail``
TYPED_RELATION_TYPES: tuple[str, ...] = tuple(RELATION_TYPES.values())
REL_TYPES: tuple[str, ...] = ("MENTIONS", "CO_OCCURS", "RELATED_TO", "CITES") + TYPED_RELATION_TYPES
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


# --- rows ---------------------------------------------------------------------------------------------------------

def _value(value: Any) -> Any:
    """A Neo4j property value: primitives and homogeneous lists of them; anything else as JSON text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_value(v) for v in value if v is not None]
        if all(isinstance(v, str) for v in items) or all(isinstance(v, bool) for v in items) or \
                all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items):
            return items
        return [json.dumps(v, ensure_ascii=False, sort_keys=True) if not isinstance(v, str) else v for v in items]
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _props(attrs: Mapping[str, Any], drop: Iterable[str] = ()) -> dict[str, Any]:
    dropped = set(drop)
    return {k: _value(v) for k, v in sorted(attrs.items()) if k not in dropped and v is not None}


def _digest(props: Mapping[str, Any]) -> str:
    return hashlib.sha1(json.dumps(props, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:20]


@dataclass
class GraphRows:
    """The graph as parameter rows: nodes grouped by (node label, kind label), edges by (type, source, target label)."""

    nodes: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def n_rels(self) -> int:
        return sum(len(v) for v in self.rels.values())


def graph_rows(G: nx.DiGraph) -> GraphRows:
    """Rows for every node and edge of a citegraph graph, in a deterministic order; validates kinds and types."""
    nodes: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    label_of: dict[str, str] = {}
    for n, attrs in sorted(G.nodes(data=True)):
        kind = attrs.get("kind")
        if kind not in NODE_LABELS:
            raise CitegraphError(f"node {n!r} has kind {kind!r}; expected one of {tuple(NODE_LABELS)}")
        extra = ""
        if kind == "entity":
            if attrs.get("label") not in KIND_LABELS:
                raise CitegraphError(f"entity {n!r} has label {attrs.get('label')!r}; expected one of {LABELS}")
            extra = KIND_LABELS[attrs["label"]]
        props = _props(attrs)
        props["id"] = str(n)
        if kind == "paper":
            props["paper_id"] = str(n).split(":", 1)[1] if ":" in str(n) else str(n)
        label_of[n] = NODE_LABELS[kind]
        nodes[(NODE_LABELS[kind], extra)].append({"id": str(n), "props": props, "hash": _digest(props)})
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, attrs in sorted(G.edges(data=True), key=lambda e: (e[0], e[1])):
        rtype = attrs.get("type")
        if rtype not in REL_TYPES:
            raise CitegraphError(f"edge {u!r} -> {v!r} has type {rtype!r}; expected one of {REL_TYPES}")
        if rtype in TYPED_RELATION_TYPES:
            u, v, props = typed_relation_row(u, v, attrs)
        else:
            props = _props(attrs, drop=("type",))
        rels[(rtype, label_of[u], label_of[v])].append(
            {"source": str(u), "target": str(v), "props": props, "hash": _digest(props)})
    return GraphRows(dict(nodes), dict(rels))


def typed_relation_row(u: str, v: str, attrs: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """A typed relation edge (stored once per entity pair, ``u > v``) as the relationship it states, from its
    ``head`` to its ``tail``, with its properties (papers, paper_ids, score, evidence as JSON texts).

    >>> typed_relation_row("entity:squad", "entity:bert", {"type": "EVALUATE_FOR", "head": "entity:squad",
    ...     "tail": "entity:bert", "papers": 1, "evidence": [{"paper": "p1", "start": 0}]})
    ('entity:squad', 'entity:bert', {'evidence': ['{"paper": "p1", "start": 0}'], 'papers': 1})
    """
    head, tail = attrs.get("head"), attrs.get("tail")
    if {head, tail} != {u, v}:
        raise CitegraphError(f"{attrs.get('type')} edge {u!r} -> {v!r} has head {head!r} and tail {tail!r}; "
                             "expected the edge's two entities")
    return head, tail, _props(attrs, drop=("type", "head", "tail"))


# --- writing ------------------------------------------------------------------------------------------------------

CONSTRAINTS = [f"CREATE CONSTRAINT citegraph_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
               for label in NODE_LABELS.values()]
INDEXES = ["CREATE INDEX citegraph_entity_key IF NOT EXISTS FOR (n:Entity) ON (n.key)",
           "CREATE INDEX citegraph_entity_label IF NOT EXISTS FOR (n:Entity) ON (n.label)",
           "CREATE INDEX citegraph_paper_paper_id IF NOT EXISTS FOR (n:Paper) ON (n.paper_id)"]
ALL_KIND_LABELS = ":".join(KIND_LABELS.values())


def _node_query(label: str, extra: str) -> str:
    labels = f":{MARKER}" + (f":{extra}" if extra else "")
    remove = f"REMOVE n:{ALL_KIND_LABELS} " if extra else ""
    return (f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) "
            f"ON CREATE SET n{labels}, n += row.props, n.citegraph_hash = row.hash "
            f"WITH n, row WHERE n.citegraph_hash IS NULL OR n.citegraph_hash <> row.hash "
            f"{remove}SET n{labels}, n += row.props, n.citegraph_hash = row.hash "
            f"RETURN count(n) AS updated")


def _rel_query(rtype: str, source: str, target: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{source} {{id: row.source}}) MATCH (b:{target} {{id: row.target}}) "
            f"MERGE (a)-[r:{rtype}]->(b) "
            f"ON CREATE SET r += row.props, r.citegraph_hash = row.hash "
            f"WITH r, row WHERE r.citegraph_hash IS NULL OR r.citegraph_hash <> row.hash "
            f"SET r += row.props, r.citegraph_hash = row.hash "
            f"RETURN count(r) AS updated")


@dataclass
class PushSummary:
    """What a push did, from the servers' result counters."""

    nodes: int = 0  # rows sent
    relationships: int = 0
    nodes_created: int = 0
    nodes_updated: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0

    def __str__(self) -> str:
        text = (f"nodes: {self.nodes} in the graph, {self.nodes_created} created, {self.nodes_updated} updated; "
                f"relationships: {self.relationships} in the graph, {self.relationships_created} created, "
                f"{self.relationships_updated} updated")
        if self.nodes_deleted or self.relationships_deleted:
            text += f"; replaced: {self.nodes_deleted} nodes and {self.relationships_deleted} relationships deleted"
        return text

    def to_dict(self) -> dict[str, int]:
        return dict(vars(self))


def _write(driver: neo4j.Driver, settings: Neo4jSettings, query: str, **params: Any) -> neo4j.EagerResult:
    return driver.execute_query(query, parameters_=params, database_=settings.database)


def ensure_constraints(driver: neo4j.Driver, settings: Neo4jSettings) -> None:
    """Uniqueness constraints on ``id`` of :Paper, :Entity, :Reference, and lookup indexes (idempotent)."""
    for statement in CONSTRAINTS + INDEXES:
        try:
            _write(driver, settings, statement)
        except nx4.ClientError as e:
            if "Constraint" in (e.code or "") or "ConstraintValidationFailed" in (e.code or ""):
                raise Neo4jStoreError(f"cannot create the constraint `{statement}`: the database already holds "
                                      f"nodes with duplicate ids under that label ({e.message})") from e
            raise


def delete_citegraph(driver: neo4j.Driver, settings: Neo4jSettings, batch_size: int = 5000) -> tuple[int, int]:
    """Delete every ``:Citegraph`` node and its relationships, in batches; returns (nodes, relationships) deleted."""
    nodes = rels = 0
    while True:
        summary = _write(driver, settings, f"MATCH (n:{MARKER}) WITH n LIMIT $limit DETACH DELETE n",
                         limit=batch_size).summary
        nodes += summary.counters.nodes_deleted
        rels += summary.counters.relationships_deleted
        if summary.counters.nodes_deleted < batch_size:
            return nodes, rels


def push_graph(driver: neo4j.Driver, G: nx.DiGraph, settings: Neo4jSettings, *, replace: bool = False,
               batch_size: int = 1000, progress: Callable[[int], Any] | None = None) -> PushSummary:
    """Write ``G`` into Neo4j idempotently; ``progress(n)`` is called after each batch of ``n`` rows.

    Driver failures are raised as :class:`Neo4jStoreError` naming how far the push got; the push can simply be run
    again, since every write is a MERGE keyed on the uniqueness constraints.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    rows = graph_rows(G)
    summary = PushSummary(nodes=rows.n_nodes, relationships=rows.n_rels)
    done = 0
    total = rows.n_nodes + rows.n_rels
    try:
        ensure_constraints(driver, settings)
        if replace:
            summary.nodes_deleted, summary.relationships_deleted = delete_citegraph(driver, settings)
        for (label, extra), group in sorted(rows.nodes.items()):
            query = _node_query(label, extra)
            for batch in _batches(group, batch_size):
                result = _write(driver, settings, query, rows=batch)
                summary.nodes_created += result.summary.counters.nodes_created
                summary.nodes_updated += result.records[0]["updated"]
                done += len(batch)
                if progress:
                    progress(len(batch))
        for (rtype, source, target), group in sorted(rows.rels.items()):
            query = _rel_query(rtype, source, target)
            for batch in _batches(group, batch_size):
                result = _write(driver, settings, query, rows=batch)
                summary.relationships_created += result.summary.counters.relationships_created
                summary.relationships_updated += result.records[0]["updated"]
                done += len(batch)
                if progress:
                    progress(len(batch))
    except Neo4jStoreError:
        raise
    except (nx4.Neo4jError, nx4.DriverError, OSError) as e:
        error = translate_error(e, settings, f"pushing (after {done} of {total} rows)")
        raise Neo4jStoreError(f"{error}; nothing is duplicated by running the push again", error.exit_code) from e
    log.info("push: %s", summary)
    return summary


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield list(rows[start:start + size])
