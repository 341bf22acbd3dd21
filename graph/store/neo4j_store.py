"""Pushing a citegraph graph into Neo4j: idempotent ``UNWIND $rows MERGE`` batches on uniqueness constraints.

Model (README, "The graph"): ``(:Paper)``, ``(:Entity:Method|Dataset|Task|Metric|Concept)``, ``(:Reference)``,
``(:Author)``, every one also ``:Citegraph`` and keyed by ``id`` = the graph's node id (``paper:…``, ``entity:…``,
``ref:…``, ``author:…``); relationships ``MENTIONS``, ``CO_OCCURS``, ``RELATED_TO``, ``CITES`` (to a paper or a
reference) and ``WROTE`` with the graph's edge attributes, and the typed relations between entities (``USED_FOR``,
``EVALUATE_FOR``, ...) from their ``head`` to their ``tail``. Each node
and relationship citegraph writes carries ``citegraph_hash``, a digest of the properties it wrote: a row whose digest
is unchanged is not written again, so pushing the same build twice writes nothing, and a later build only touches
what changed. Each also carries ``citegraph_lineage``, the build directory's lineage: after writing, what an earlier
push of the same lineage wrote and the build no longer has is deleted (:func:`delete_stale`), so the database
follows the build. ``replace`` deletes the ``:Citegraph`` nodes (and so their relationships), never anything else.
Deletes run as ``CALL { ... } IN TRANSACTIONS OF $size ROWS`` in auto-commit transactions (``session.run``), so no
transaction grows with the graph; a batch the server refuses is split until the refused rows are alone, and those
are reported (:attr:`PushSummary.refused`) while the rest is written.

Values travel only as ``$rows`` parameters; labels and relationship types come from fixed tables, never from data.
Every write goes through ``Driver.execute_query`` (a managed transaction), so transient failures are retried with
backoff by the driver for its ``max_transaction_retry_time``; the batched deletes are retried the same way by
:func:`_run_in_transactions`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import neo4j
from neo4j import exceptions as nx4

from citegraph.graph.store.neo4j_connection import Neo4jSettings, Neo4jStoreError, translate_error
from citegraph.graph.store.neo4j_rows import KIND_LABELS, LINEAGE, NODE_LABELS, GraphRows, graph_rows

__all__ = ["PushSummary", "push_graph", "delete_citegraph", "delete_stale", "ensure_constraints"]

log = logging.getLogger(__name__)

MARKER = "Citegraph"

#: lookups of the citation queries: a paper by DOI, a reference by key, an author by key
CITATION_INDEXES = ["CREATE INDEX citegraph_paper_doi IF NOT EXISTS FOR (n:Paper) ON (n.doi)",
                    "CREATE INDEX citegraph_reference_key IF NOT EXISTS FOR (n:Reference) ON (n.key)",
                    "CREATE INDEX citegraph_author_key IF NOT EXISTS FOR (n:Author) ON (n.key)"]
CONSTRAINTS = [f"CREATE CONSTRAINT citegraph_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
               for label in NODE_LABELS.values()]
INDEXES = [f"CREATE INDEX citegraph_marker_id IF NOT EXISTS FOR (n:{MARKER}) ON (n.id)",
           f"CREATE INDEX citegraph_marker_lineage IF NOT EXISTS FOR (n:{MARKER}) ON (n.{LINEAGE})",
           "CREATE INDEX citegraph_entity_key IF NOT EXISTS FOR (n:Entity) ON (n.key)",
           "CREATE INDEX citegraph_entity_label IF NOT EXISTS FOR (n:Entity) ON (n.label)",
           "CREATE INDEX citegraph_paper_paper_id IF NOT EXISTS FOR (n:Paper) ON (n.paper_id)",
           *CITATION_INDEXES]
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
    stale_nodes_deleted: int = 0  # of the same lineage, no longer in the build
    stale_relationships_deleted: int = 0
    refused: list[dict[str, str]] = field(default_factory=list)  # rows the server refused: id and its message

    def __str__(self) -> str:
        text = (f"nodes: {self.nodes} in the graph, {self.nodes_created} created, {self.nodes_updated} updated; "
                f"relationships: {self.relationships} in the graph, {self.relationships_created} created, "
                f"{self.relationships_updated} updated")
        if self.nodes_deleted or self.relationships_deleted:
            text += f"; replaced: {self.nodes_deleted} nodes and {self.relationships_deleted} relationships deleted"
        if self.stale_nodes_deleted or self.stale_relationships_deleted:
            text += (f"; no longer in the build: {self.stale_nodes_deleted} nodes and "
                     f"{self.stale_relationships_deleted} relationships deleted")
        if self.refused:
            text += f"; {len(self.refused)} row(s) refused by the server (listed above)"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, list) else v for k, v in vars(self).items()}


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


#: server errors that a retry may cure; anything else a batch meets is about its rows
_TRANSIENT = (nx4.TransientError, nx4.ServiceUnavailable, nx4.SessionExpired)


def _run_in_transactions(driver: neo4j.Driver, settings: Neo4jSettings, query: str, **params: Any) -> Any:
    """Run a ``CALL { ... } IN TRANSACTIONS`` statement (it needs an auto-commit transaction: ``session.run``),
    retried while the server is transiently unavailable for ``settings.retry_seconds``; its summary's counters.
    Every statement run here is idempotent, so a retry after a partial run finishes the job."""
    deadline = time.monotonic() + settings.retry_seconds
    delay = 0.5
    while True:
        try:
            with driver.session(database=settings.database) as session:
                return session.run(query, params).consume().counters
        except _TRANSIENT:
            if time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def delete_citegraph(driver: neo4j.Driver, settings: Neo4jSettings, batch_size: int = 5000) -> tuple[int, int]:
    """Delete every ``:Citegraph`` node and its relationships in transactions of ``batch_size`` rows each (the
    relationships first, so that no transaction holds a node with all its relationships); returns (nodes,
    relationships) deleted. Nothing without the ``:Citegraph`` label is deleted."""
    rels = nodes = 0
    for pattern in (f"(:{MARKER})-[r]->()", f"()-[r]->(:{MARKER})"):
        counters = _run_in_transactions(driver, settings, f"MATCH {pattern} CALL {{ WITH r DELETE r }} "
                                        "IN TRANSACTIONS OF $size ROWS", size=batch_size)
        rels += counters.relationships_deleted
    counters = _run_in_transactions(driver, settings, f"MATCH (n:{MARKER}) CALL {{ WITH n DETACH DELETE n }} "
                                    "IN TRANSACTIONS OF $size ROWS", size=batch_size)
    nodes += counters.nodes_deleted
    rels += counters.relationships_deleted
    return nodes, rels


def delete_stale(driver: neo4j.Driver, settings: Neo4jSettings, rows: GraphRows, lineage: str,
                 batch_size: int = 1000) -> tuple[int, int]:
    """Delete what an earlier push of ``lineage`` wrote and the build (``rows``) no longer has: relationships, then
    nodes, in transactions of ``batch_size`` rows; returns (nodes, relationships) deleted. Driven by what the
    database holds under that lineage, whatever its labels and types, so running it again after an interruption
    finishes the job. A stale node that another lineage's relationships still use is kept."""
    keep_rels = {(t, r["source"], r["target"]) for (t, _, _), group in rows.rels.items() for r in group}
    found = driver.execute_query(
        f"MATCH (a:{MARKER})-[r]->(b:{MARKER}) WHERE r.{LINEAGE} = $lineage RETURN type(r) AS type, a.id AS source, "
        "b.id AS target", lineage=lineage, database_=settings.database, routing_=neo4j.RoutingControl.READ).records
    stale_rels = sorted({(r["type"], r["source"], r["target"]) for r in found} - keep_rels)
    rels = nodes = 0
    if stale_rels:
        counters = _run_in_transactions(
            driver, settings,
            f"UNWIND $rows AS row CALL {{ WITH row MATCH (a:{MARKER} {{id: row.source}})-[r]->"
            f"(b:{MARKER} {{id: row.target}}) WHERE type(r) = row.type AND r.{LINEAGE} = $lineage DELETE r }} "
            "IN TRANSACTIONS OF $size ROWS",
            rows=[{"type": t, "source": a, "target": b} for t, a, b in stale_rels], lineage=lineage, size=batch_size)
        rels += counters.relationships_deleted
    keep_nodes = {r["id"] for group in rows.nodes.values() for r in group}
    found = driver.execute_query(f"MATCH (n:{MARKER}) WHERE n.{LINEAGE} = $lineage RETURN n.id AS id",
                                 lineage=lineage, database_=settings.database,
                                 routing_=neo4j.RoutingControl.READ).records
    stale_nodes = sorted({r["id"] for r in found} - keep_nodes)
    if stale_nodes:
        counters = _run_in_transactions(
            driver, settings,
            f"UNWIND $ids AS id CALL {{ WITH id MATCH (n:{MARKER} {{id: id}}) WHERE n.{LINEAGE} = $lineage "
            f"AND NOT EXISTS {{ (n)-[r]-() WHERE r.{LINEAGE} IS NULL OR r.{LINEAGE} <> $lineage }} "
            "DETACH DELETE n } IN TRANSACTIONS OF $size ROWS",
            ids=stale_nodes, lineage=lineage, size=batch_size)
        nodes += counters.nodes_deleted
        rels += counters.relationships_deleted
    return nodes, rels


def push_graph(driver: neo4j.Driver, G: nx.DiGraph, settings: Neo4jSettings, *, replace: bool = False,
               batch_size: int = 1000, progress: Callable[[int], Any] | None = None,
               lineage: str | None = None) -> PushSummary:
    """Write ``G`` into Neo4j idempotently; ``progress(n)`` is called after each batch of ``n`` rows.

    With ``lineage`` (a build directory's, from its manifest), every node and relationship is tagged with it, and
    what an earlier push of the same lineage wrote that ``G`` no longer has is deleted afterwards
    (:func:`delete_stale`), so the database follows the build. ``replace`` first deletes everything citegraph
    wrote (:func:`delete_citegraph`). Deletes run in transactions of ``batch_size`` rows.

    A row the server refuses (a value it cannot store or index) is reported in :attr:`PushSummary.refused` with its
    id, and the rest of the push goes on. Driver failures are raised as :class:`Neo4jStoreError` naming how far
    the push got; the push can simply be run again, since every write is a MERGE keyed on the uniqueness
    constraints.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    rows = graph_rows(G, lineage=lineage)
    summary = PushSummary(nodes=rows.n_nodes, relationships=rows.n_rels)
    done = 0
    total = rows.n_nodes + rows.n_rels
    try:
        ensure_constraints(driver, settings)
        if replace:
            summary.nodes_deleted, summary.relationships_deleted = delete_citegraph(driver, settings, batch_size)
        for (label, extra), group in sorted(rows.nodes.items()):
            query = _node_query(label, extra)
            for batch in _batches(group, batch_size):
                created, updated = _write_rows(driver, settings, query, batch, summary.refused,
                                               lambda r: r["id"])
                summary.nodes_created += created
                summary.nodes_updated += updated
                done += len(batch)
                if progress:
                    progress(len(batch))
        for (rtype, source, target), group in sorted(rows.rels.items()):
            query = _rel_query(rtype, source, target)
            for batch in _batches(group, batch_size):
                created, updated = _write_rows(driver, settings, query, batch, summary.refused,
                                               lambda r, t=rtype: f"{r['source']} -[{t}]-> {r['target']}")
                summary.relationships_created += created
                summary.relationships_updated += updated
                done += len(batch)
                if progress:
                    progress(len(batch))
        if lineage:
            summary.stale_nodes_deleted, summary.stale_relationships_deleted = delete_stale(
                driver, settings, rows, lineage, batch_size)
    except Neo4jStoreError:
        raise
    except (nx4.Neo4jError, nx4.DriverError, OSError) as e:
        error = translate_error(e, settings, f"pushing (after {done} of {total} rows)")
        raise Neo4jStoreError(f"{error}; nothing is duplicated by running the push again", error.exit_code) from e
    for row in summary.refused:
        log.warning("Neo4j refused %s: %s", row["id"], row["error"])
    log.info("push: %s", summary)
    return summary


def _refusal(e: Exception) -> bool:
    """Whether a failed batch's error is about its rows (a value the server cannot store or index), not about the
    server, the connection or the credentials."""
    if isinstance(e, nx4.AuthError) or isinstance(e, _TRANSIENT):
        return False
    if not isinstance(e, nx4.Neo4jError):
        return False
    code = e.code or ""
    return not code.endswith("DatabaseNotFound") and (code.startswith("Neo.ClientError.Statement")
                                                       or code.startswith("Neo.ClientError.Schema")
                                                       or code.startswith("Neo.DatabaseError")
                                                       or "too large" in (e.message or ""))


def _write_rows(driver: neo4j.Driver, settings: Neo4jSettings, query: str, batch: list[dict[str, Any]],
                refused: list[dict[str, str]], name: Callable[[dict[str, Any]], str]) -> tuple[int, int]:
    """Write one batch; (created, updated). A batch the server refuses is split until the refused rows are alone:
    those are appended to ``refused`` (their id and the server's message) and the others written."""
    try:
        result = _write(driver, settings, query, rows=batch)
    except (nx4.Neo4jError, nx4.DriverError) as e:
        if not _refusal(e):
            raise
        if len(batch) == 1:
            refused.append({"id": name(batch[0])[:300], "error": (e.message or e.code or str(e))[:300]})
            return 0, 0
        half = len(batch) // 2
        a = _write_rows(driver, settings, query, batch[:half], refused, name)
        b = _write_rows(driver, settings, query, batch[half:], refused, name)
        return a[0] + b[0], a[1] + b[1]
    counters = result.summary.counters
    return counters.nodes_created + counters.relationships_created, result.records[0]["updated"]


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield list(rows[start:start + size])
