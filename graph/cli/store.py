"""``citegraph push`` and ``citegraph query``: the Neo4j side of the CLI. The driver is created here, once."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

_connection = [
    click.option("--uri", default=None, help="Bolt URI [env NEO4J_URI, default bolt://127.0.0.1:7687]."),
    click.option("--username", default=None, help="User [env NEO4J_USERNAME, default neo4j]."),
    click.option("--password", default=None, help="Password [env NEO4J_PASSWORD, default citegraph]."),
    click.option("--database", default=None, help="Database [env NEO4J_DATABASE, default neo4j]."),
    click.option("--retry-seconds", type=click.FloatRange(min=0), default=None,
                 help="How long transient failures are retried with backoff [default 30]."),
]


def connection_options(f):
    for option in reversed(_connection):
        f = option(f)
    return f


def _settings(**flags: Any):
    from citegraph.graph.store.neo4j_connection import Neo4jSettings

    return Neo4jSettings.from_env(**flags)


@contextlib.contextmanager
def _driver(settings) -> Iterator[Any]:
    """The one driver of a command; a Neo4j failure becomes one sentence and its exit code."""
    from citegraph.graph.store.neo4j_connection import Neo4jStoreError, open_driver

    try:
        driver = open_driver(settings)
        try:
            yield driver
        finally:
            driver.close()
    except Neo4jStoreError as e:
        error = click.ClickException(str(e))
        error.exit_code = e.exit_code
        raise error from e


@click.command("push")
@click.argument("build_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@connection_options
@click.option("--replace", is_flag=True,
              help="First delete every node citegraph wrote (label :Citegraph) and its relationships; "
                   "nothing else in the database is touched.")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Rows per transaction, for writes and for deletes (--replace, and what the build no longer has).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def push(build_dir: Path, uri, username, password, database, retry_seconds, replace: bool, batch_size: int,
         as_json: bool) -> None:
    """Push the graph of a build directory into Neo4j, idempotently (MERGE on uniqueness constraints).

    Pushing the same build again changes nothing; pushing a later build adds what is new and updates counts.
    What an earlier push from the same build directory wrote (before an --update or a rebuild) and the build no
    longer has is deleted, so the database follows the build. A row the server refuses is reported with its id and
    the rest is pushed.
    Exit codes: 3 server unreachable or lost, 4 credentials refused, 5 no such database, 1 anything else.

    Example: citegraph push citegraph-out --uri bolt://127.0.0.1:7687
    """
    from tqdm import tqdm

    from citegraph.graph.builddir.build import load_graph_and_manifest
    from citegraph.graph.store.neo4j_rows import graph_rows
    from citegraph.graph.store.neo4j_store import push_graph

    G, manifest = load_graph_and_manifest(build_dir)
    lineage = (manifest.get("run") or {}).get("lineage")
    if not lineage:
        click.echo(f"note: {build_dir} was made by an older citegraph and has no lineage: what earlier pushes wrote "
                   "and this build no longer has stays in Neo4j (build it again, or push with --replace)", err=True)
    settings = _settings(uri=uri, username=username, password=password, database=database,
                         retry_seconds=retry_seconds)
    total = graph_rows(G)
    with _driver(settings) as driver, tqdm(total=total.n_nodes + total.n_rels, desc="pushing", unit="row",
                                           file=sys.stderr, disable=None, leave=False) as bar:
        summary = push_graph(driver, G, settings, replace=replace, batch_size=batch_size, progress=bar.update,
                             lineage=lineage)
    for row in summary.refused:
        click.echo(f"warning: Neo4j refused {row['id']}: {row['error']}; the rest was pushed", err=True)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), sort_keys=True))
    else:
        click.echo(f"pushed {build_dir} to {settings.uri} ({settings.database}): {summary}", err=True)


@click.command("query")
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the queries with their parameters and columns.")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable); its type comes from the query's header.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--show", is_flag=True, help="Print the query's Cypher instead of running it.")
@connection_options
def query(name: str | None, list_: bool, params: tuple[str, ...], fmt: str, show: bool, uri, username, password,
          database, retry_seconds) -> None:
    """Run a named query of the library (queries/*.cypher) against Neo4j.

    Example: citegraph query cooccurring_entities --param entity=transformer --format json
    """
    from citegraph.graph.store.named_queries import get_query, load_queries, run_query

    queries = load_queries()
    if list_ or not name:
        if not list_:
            raise click.UsageError("give a query NAME or --list")
        for q in queries.values():
            click.echo(f"{q.name}: {q.purpose}")
            for p in q.params:
                click.echo(f"    {p}" + (f"  {p.doc}" if p.doc else ""))
            click.echo(f"    returns: {', '.join(q.returns)}")
        return
    q = get_query(name, queries)
    if show:
        click.echo(q.cypher)
        return
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        given[key.strip()] = value
    from citegraph.graph.store.named_queries import bind

    bind(q, given)  # a bad or missing parameter is reported before any connection is made
    settings = _settings(uri=uri, username=username, password=password, database=database,
                         retry_seconds=retry_seconds)
    with _driver(settings) as driver:
        keys, rows = run_query(driver, settings, q, given)
    click.echo(format_rows(keys, rows, fmt), nl=False)


def format_rows(keys: list[str], rows: list[dict[str, Any]], fmt: str) -> str:
    """Rows as a text table, a JSON array of objects, or CSV (lists joined with ``|``, cells safe for
    spreadsheets)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    cells = [[_cell(r[k]) for k in keys] for r in rows]
    if fmt == "csv":
        from citegraph.graph.formats.tables import spreadsheet_safe

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        writer.writerows([spreadsheet_safe(c) for c in row] for row in cells)
        return out.getvalue()
    widths = [min(60, max([len(k)] + [len(c[i]) for c in cells])) for i, k in enumerate(keys)]
    line = lambda values: "  ".join(v[:w].ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    text = [line(keys), line(["-" * w for w in widths])] + [line(c) for c in cells]
    text.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(text) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "|".join(_cell(v) if not isinstance(v, dict) else json.dumps(v, sort_keys=True) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


COMMANDS = [push, query]
