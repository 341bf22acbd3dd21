"""``citegraph analyze``: the analytics report of a build directory."""

from __future__ import annotations

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
              help="Paper id to list nearest papers for (repeatable; default: the 3 most related papers).")
def analyze(build_dir: Path, out_dir: Path | None, resolution: float, seed: int, top: int,
            papers: tuple[str, ...]) -> None:
    """Central entities, bridges, communities, thematic map, trends, method x dataset usage, similar papers and
    references of a build, as report.json and a self-contained report.html with plots.

    Example:

        citegraph analyze citegraph-out --top 15 --resolution 1.2
    """
    from citegraph.graph.builddir.build import load_graph
    from citegraph.graph.report.report import write_report

    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(message)s", stream=sys.stderr)
    logging.getLogger("graph").setLevel(logging.INFO)
    if resolution <= 0:
        raise click.BadParameter(f"must be positive, got {resolution}", param_hint="--resolution")
    started = time.perf_counter()
    try:
        G = load_graph(build_dir)
        paths = write_report(G, out_dir or build_dir, resolution=resolution, seed=seed, top=top,
                             papers=list(papers) or None, title=f"citegraph analytics: {build_dir.name}")
    except (CitegraphError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    log.info("analyzed %s in %.1f s", build_dir, time.perf_counter() - started)
    for key in ("json", "html"):
        click.echo(str(paths[key]))


COMMANDS = [analyze]
