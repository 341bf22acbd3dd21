"""``citegraph view``: re-render the interactive map of a build directory."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from citegraph.extract.records import CitegraphError

#: The map modes (citegraph.graph.view.select.MODES, which a test keeps equal).
MODES = ["entities", "papers", "citations", "cocitation", "coupling", "coauthors"]


@click.command("view")
@click.argument("build_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--out", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="HTML file to write (default: a name made from the view, in BUILD_DIR, e.g. map-focus-bert.html; "
                   "the build's graph.html is never overwritten unless named here).")
@click.option("--focus", default=None, help="Draw one node's neighbourhood: an entity key, node id, name or alias.")
@click.option("--kind", "kinds", default=None,
              help="Comma-separated kinds to keep: method,dataset,task,metric,concept (or paper,reference,author "
                   "with the other modes).")
@click.option("--max-nodes", type=click.IntRange(min=1), default=None,
              help="Node budget; a bigger view keeps its backbone and says what it left out.")
@click.option("--mode", type=click.Choice(MODES), default="entities", show_default=True,
              help="entities: co-occurrence map; papers: papers, references, related papers and citations; "
                   "citations: direct citations by year with the main path; cocitation: works cited together; "
                   "coupling: papers citing the same works; coauthors: authors who wrote together. The last four "
                   "need bibliographic exports with cited references and authors.")
@click.option("--seed", default=0, show_default=True, help="Seed of the communities and the layout.")
@click.option("--gexf", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write this view as GEXF for Gephi: the map's positions, sizes and colours, co-occurrence "
                   "links undirected, typed and citation links directed.")
def view(build_dir: Path, out: Path | None, focus: str | None, kinds: str | None, max_nodes: int | None, mode: str,
         seed: int, gexf: Path | None) -> None:
    """Write the interactive HTML map of a build: one offline file (no network request), with search, filters,
    colour by community, kind or first date, and a side panel explaining every node and link. After build --update
    the map can show what the update added (changes.json).

    Example: citegraph view citegraph-out --focus bert --out bert.html --gexf bert.gexf

    Example: citegraph view wos-out --mode citations
    """
    from citegraph.graph.builddir.build import load_build
    from citegraph.graph.view.render import DEFAULT_MAX_NODES, render_gexf, render_html

    target = out or build_dir / view_file_name(focus=focus, kinds=kinds, max_nodes=max_nodes, mode=mode, seed=seed)
    options = dict(focus=focus, kinds=[k.strip() for k in kinds.split(",") if k.strip()] if kinds else None,
                   max_nodes=max_nodes or DEFAULT_MAX_NODES, mode=mode, seed=seed)
    try:
        build = load_build(build_dir)
        stats = render_html(build.graph, target, papers=build.papers, extractions=build.extractions,
                            changes=_changes(build_dir), **options)
        if gexf is not None:
            render_gexf(build.graph, gexf, **options)
            click.echo(f"wrote {gexf}", err=True)
    except CitegraphError as e:
        raise click.ClickException(str(e)) from e
    left = ""
    if stats["nodes_left_out"] or stats["edges_left_out"]:
        left = f" ({stats['nodes_left_out']:,} nodes and {stats['edges_left_out']:,} links left out)"
    click.echo(f"wrote {target}: {stats['nodes']:,} nodes, {stats['edges']:,} links{left}", err=True)


def _changes(build_dir: Path) -> dict | None:
    """What the build's last --update added (changes.json), for the map to show; None without one."""
    path = build_dir / "changes.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, ValueError) as e:
        click.echo(f"warning: {path} could not be read ({e}); the map leaves out what is new", err=True)
        return None


def view_file_name(*, focus: str | None = None, kinds: str | None = None, max_nodes: int | None = None,
                   mode: str = "entities", seed: int = 0) -> str:
    """The file name of a view, made from its options, so that a view never replaces the build's ``graph.html``.

    >>> view_file_name(focus="Reinforcement Learning"), view_file_name(kinds="method, dataset", max_nodes=150)
    ('map-focus-reinforcement-learning.html', 'map-method-dataset-max150.html')
    >>> view_file_name(), view_file_name(mode="papers", seed=3), view_file_name(mode="cocitation")
    ('map.html', 'map-papers-seed3.html', 'map-cocitation.html')
    """
    parts = [mode] if mode != "entities" else []
    if focus:
        parts.append("focus-" + (_slug(focus) or "x"))
    if kinds:
        parts.extend(_slug(k) for k in kinds.split(",") if _slug(k))
    if max_nodes:
        parts.append(f"max{max_nodes}")
    if seed:
        parts.append(f"seed{seed}")
    return "-".join(["map", *parts]) + ".html"


def _slug(text: str) -> str:
    """Lower-case letters and digits joined by ``-``, at most 60 characters."""
    return "-".join(re.findall(r"[^\W_]+", text.lower()))[:60].strip("-")


COMMANDS = [view]
