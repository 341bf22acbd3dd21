"""``citegraph analyze``: the analytics report of a build directory."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import click

from citegraph.extract.records import CitegraphError

log = logging.getLogger(__name__)


@click.command("analyze")
@click.argument("build_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write report.json and report.html (default: BUILD_DIR).")
@click.option("--resolution", type=float, default=1.0, show_default=True,
              help="Louvain resolution: higher gives more, smaller communities.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the community detection.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Length of every top-N list.")
@click.option("--paper", "papers", multiple=True,
              help="A paper to list the nearest papers of: its id, its title or part of it (repeatable; default: the "
                   "3 most related papers). Answers from the analyses already kept in the output folder.")
def analyze(build_dir: Path, out_dir: Path | None, resolution: float, seed: int, top: int,
            papers: tuple[str, ...]) -> None:
    """Central entities, bridges, communities, thematic map, trends, method x dataset usage, similar papers and
    references of a build, as report.json and a self-contained report.html with plots.

    The analyses are kept beside the report (analysis-cache.json): asking again about other papers on the same
    build answers in seconds. After build --update, the report says what is new (changes.json).

    Example:

        citegraph analyze citegraph-out --top 15 --resolution 1.2

    Example:

        citegraph analyze citegraph-out --paper "attention is all you need"
    """
    from citegraph.graph.analytics.papers import find_paper
    from citegraph.graph.builddir.build import load_graph
    from citegraph.graph.report.cache import graph_digest
    from citegraph.graph.report.report import write_report

    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(message)s", stream=sys.stderr)
    logging.getLogger("graph").setLevel(logging.INFO)
    if resolution <= 0:
        raise click.BadParameter(f"must be positive, got {resolution}", param_hint="--resolution")
    started = time.perf_counter()
    try:
        G = load_graph(build_dir)
        wanted = [find_paper(G, p) for p in papers]  # before any long work: a wrong title fails at once
        changes = _changes(build_dir)
        digest = graph_digest(build_dir / "graph.json") if (build_dir / "graph.json").is_file() else None
        paths = write_report(G, out_dir or build_dir, resolution=resolution, seed=seed, top=top,
                             papers=wanted or None, title=f"citegraph analytics: {build_dir.name}",
                             changes=changes, graph_digest=digest)
    except (CitegraphError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    log.info("analyzed %s in %.1f s", build_dir, time.perf_counter() - started)
    if wanted:
        _print_nearest(paths["json"], wanted)
    for key in ("json", "html"):
        click.echo(str(paths[key]))


def _changes(build_dir: Path) -> dict | None:
    """What the build's last --update added (its changes.json), or None."""
    path = build_dir / "changes.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        log.warning("warning: %s could not be read (%s); the report leaves out what is new", path, e)
        return None


def _print_nearest(report_json: Path, papers: list[str]) -> None:
    """The nearest papers of each asked paper, by title, on stdout."""
    similarity = json.loads(report_json.read_text(encoding="utf-8"))["similarity"]
    for p in papers:
        click.echo(f"Nearest to: {similarity['nearest_to'][p]} ({p})")
        for n in similarity["nearest"][p]:
            shared = ", ".join(s["name"] for s in n["shared"][:5])
            click.echo(f"  {n['weight']:8.3f}  {n['title']}  (shared: {shared})")


COMMANDS = [analyze]
