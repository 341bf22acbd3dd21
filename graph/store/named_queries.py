"""The Cypher query library: ``queries/*.cypher`` (package data ``citegraph.queries``), one named query per file.

Each file starts with a header of ``//`` comment lines::

    // Top entities of a kind, by the number of papers that mention them.
    //
    // Parameters:
    //   $kind   string  default "method"  method | dataset | task | metric | concept
    //   $limit  int     default 10        how many rows
    //
    // Returns: name, key, kind, papers, mentions

A parameter is ``required`` instead of ``default <JSON value>``; types are ``string``, ``int``, ``float``, ``bool``
and ``list<string>``. Values reach the server only as ``$params``: ``run_query`` never edits the Cypher text.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import neo4j
from neo4j import exceptions as nx4
from neo4j.graph import Node, Path as GraphPath, Relationship

from citegraph.extract.records import CitegraphError

from citegraph.graph.store.neo4j_connection import Neo4jSettings, Neo4jStoreError, translate_error

__all__ = ["Param", "NamedQuery", "load_queries", "get_query", "coerce", "run_query", "to_plain"]

TYPES = ("string", "int", "float", "bool", "list<string>")
_PARAM = re.compile(r"^\$(?P<name>\w+)\s+(?P<type>string|int|float|bool|list<string>)\s+"
                    r"(?:(?P<required>required)|default\s+(?P<default>\"(?:[^\"\\]|\\.)*\"|\[[^\]]*\]|\S+))"
                    r"\s*(?P<doc>.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    default: Any = None
    doc: str = ""

    def __str__(self) -> str:
        value = "required" if self.required else f"default {json.dumps(self.default)}"
        return f"${self.name} ({self.type}, {value})"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    purpose: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    cypher: str
    path: str

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def _parse(name: str, text: str, path: str) -> NamedQuery:
    header: list[str] = []
    for line in text.splitlines():
        if line.startswith("//"):
            header.append(line[2:].strip())
        elif line.strip():
            break
    purpose_lines: list[str] = []
    params: list[Param] = []
    returns: tuple[str, ...] = ()
    section = "purpose"
    for line in header:
        if line.lower().startswith("parameters"):
            section = "params"
        elif line.lower().startswith("returns:"):
            returns = tuple(c.strip() for c in line.split(":", 1)[1].split(",") if c.strip())
            section = "returns"
        elif section == "purpose" and line:
            purpose_lines.append(line)
        elif section == "params" and line.startswith("$"):
            m = _PARAM.match(line)
            if not m:
                raise CitegraphError(f"{path}: cannot read the parameter line {line!r}")
            default = None if m["required"] else json.loads(m["default"])
            p = Param(m["name"], m["type"], bool(m["required"]), None, m["doc"].strip())
            if not p.required:
                p = Param(p.name, p.type, False, coerce(p, default) if default is not None else None, p.doc)
            params.append(p)
    if not purpose_lines or not returns:
        raise CitegraphError(f"{path}: the header needs a purpose line and a 'Returns:' line")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//")).strip()
    return NamedQuery(name, " ".join(purpose_lines), tuple(params), returns, body, path)


def load_queries(directory: str | Path | None = None) -> dict[str, NamedQuery]:
    """Every query of the library (or of ``directory``), by name (the file name without ``.cypher``)."""
    root = resources.files("citegraph.queries") if directory is None else Path(directory)
    queries = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name[: -len(".cypher")]
            queries[name] = _parse(name, entry.read_text(encoding="utf-8"), str(entry))
    return queries


def get_query(name: str, queries: dict[str, NamedQuery] | None = None) -> NamedQuery:
    queries = load_queries() if queries is None else queries
    if name not in queries:
        raise CitegraphError(f"unknown query {name!r}; `citegraph query --list` shows the {len(queries)} queries")
    return queries[name]


#: the range of a Neo4j integer (64-bit signed): a larger ``int`` parameter is refused before it is sent
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1


def coerce(param: Param, value: Any) -> Any:
    """``value`` (usually the text after ``k=``) as the declared type of ``param``, or a clear error."""
    try:
        if param.type == "string":
            return str(value)
        if param.type == "int":
            if isinstance(value, bool):
                raise ValueError
            number = int(value)
            if not INT_MIN <= number <= INT_MAX:
                raise CitegraphError(f"parameter ${param.name} must be an int between {INT_MIN:,} and {INT_MAX:,} "
                                     f"(Neo4j's 64-bit integers), got {value!r}")
            return number
        if param.type == "float":
            number = float(value)
            if not math.isfinite(number):
                raise CitegraphError(f"parameter ${param.name} must be a finite float, got {value!r}")
            return number
        if param.type == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"true", "1", "yes"}:
                return True
            if text in {"false", "0", "no"}:
                return False
            raise ValueError
        if param.type == "list<string>":
            if isinstance(value, (list, tuple)):
                return [str(v) for v in value]
            text = str(value)
            if text.startswith("["):
                return [str(v) for v in json.loads(text)]
            return [v.strip() for v in text.split(",") if v.strip()]
    except (ValueError, TypeError) as e:
        article = "an" if param.type == "int" else "a"
        raise CitegraphError(f"parameter ${param.name} must be {article} {param.type}, got {value!r}") from e
    raise CitegraphError(f"parameter ${param.name} has unknown type {param.type!r}; expected one of {TYPES}")


def bind(query: NamedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """The parameters of one run: declared defaults overridden by ``given``, every value coerced; checks names."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(f"${p.name}" for p in query.params) or "none"
        raise CitegraphError(f"query {query.name!r} has no parameter ${unknown[0]} (its parameters: {known})")
    values: dict[str, Any] = {}
    for p in query.params:
        if p.name in given:
            values[p.name] = coerce(p, given[p.name])
        elif p.required:
            raise CitegraphError(f"query {query.name!r} needs --param {p.name}=<{p.type}> ({p.doc or 'required'})")
        else:
            values[p.name] = p.default
    return values


def to_plain(value: Any) -> Any:
    """A JSON-able version of a result value (nodes and relationships become dicts of their properties)."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: to_plain(v) for k, v in sorted(value.items())}}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": value.start_node["id"] if value.start_node else None,
                "end": value.end_node["id"] if value.end_node else None,
                **{k: to_plain(v) for k, v in sorted(value.items())}}
    if isinstance(value, GraphPath):
        return {"nodes": [to_plain(n) for n in value.nodes], "relationships": [to_plain(r) for r in value]}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in sorted(value.items())}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def run_query(driver: neo4j.Driver, settings: Neo4jSettings, query: NamedQuery,
              given: dict[str, Any] | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """Run one library query (read routing); returns its column names and rows as plain dicts."""
    params = bind(query, given or {})
    try:
        records, _, keys = driver.execute_query(query.cypher, parameters_=params, database_=settings.database,
                                                routing_=neo4j.RoutingControl.READ)
    except (nx4.Neo4jError, nx4.DriverError, OSError) as e:
        if isinstance(e, nx4.ClientError) and not (e.code or "").endswith("DatabaseNotFound") \
                and not isinstance(e, nx4.AuthError):
            raise Neo4jStoreError(f"query {query.name!r} failed: {e.message or e.code}") from e
        raise translate_error(e, settings, f"running query {query.name!r}") from e
    return list(keys), [{k: to_plain(r[k]) for k in keys} for r in records]
