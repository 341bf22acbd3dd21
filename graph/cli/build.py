"""``citegraph build`` and ``citegraph extract``: listings in, extractions and the graph out.

Thin commands over the library (:mod:`citegraph.api`, :func:`citegraph.graph.build.job.run_build`): they turn
options into arguments, print problems and the summary on stderr, and apply ``--strict``.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from citegraph.extract.readers.detect import FORMATS
from citegraph.extract.runner.cached import PARALLEL_MIN_PAPERS
from citegraph.graph.build.cooccurrence import COOCCURRENCE_BUDGET

log = logging.getLogger(__name__)

_common = [
    click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                 help="Force the input format (default: detected from the content; the extension breaks ties)."),
    click.option("--year", type=int, default=None, help="Year for dates written without one (default: this year)."),
    click.option("--model", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="A spaCy pipeline directory (default: the shipped citegraph_sci model)."),
    click.option("--rules-only", is_flag=True, help="Skip the trained model: blank English + rule components."),
    click.option("--strict", is_flag=True, help="Exit non-zero if anything in the input had to be skipped."),
    click.option("--workers", type=click.IntRange(min=1), default=None,
                 help=f"Extraction processes (default: all cores; one below {PARALLEL_MIN_PAPERS} papers)."),
    click.option("--batch-size", type=int, default=64, show_default=True, help="Texts per nlp.pipe batch."),
]


class MinCount(click.ParamType):
    """A count of at least 1, or ``auto``."""

    name = "N|auto"

    def convert(self, value, param, ctx):
        if value == "auto" or isinstance(value, int):
            return value
        try:
            n = int(value)
        except ValueError:
            self.fail(f"{value!r} is neither a whole number nor 'auto'", param, ctx)
        if n < 1:
            self.fail(f"must be at least 1, not {n}", param, ctx)
        return n


def common_options(f):
    for option in reversed(_common):
        f = option(f)
    return f


def _report(problems) -> None:
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)


def _finish(papers, problems, strict: bool) -> None:
    if not papers:
        raise click.ClickException(f"no usable paper was read ({len(problems)} problem(s) reported above)")
    if problems:
        click.echo(f"{len(papers)} papers read; {len(problems)} problem(s) in the input were skipped, listed above",
                   err=True)
        if strict:
            raise click.ClickException("--strict: the input had problems")


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", default="-", show_default=True, type=click.Path(allow_dash=True, path_type=Path),
              help="Where to write mentions.jsonl ('-' for stdout).")
@common_options
def extract_cmd(inputs, out, fmt, year, model, rules_only, strict, workers, batch_size) -> None:
    """Extract typed mentions, references and links from listings, one JSON object per paper.

    Example: citegraph extract abstracts.jsonl --out mentions.jsonl
    """
    from citegraph import api
    from citegraph.graph.builddir.files import atomic_write

    read = api.read(list(inputs), fmt=fmt, year=year)
    _report(read.problems)
    if not read.papers:
        _finish(read.papers, read.problems, strict)
    extractions = api.extract(read.papers, model=model, rules_only=rules_only, workers=workers,
                              batch_size=batch_size)
    lines = [x.to_json() + "\n" for x in extractions]
    if str(out) == "-":
        sys.stdout.writelines(lines)
    else:
        try:
            with atomic_write(out) as fh:
                fh.writelines(lines)
        except OSError as e:
            raise click.ClickException(f"cannot write {out}: {e.strerror or e}") from e
    _finish(read.papers, read.problems, strict)


@click.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "-o", default="citegraph-out", show_default=True, type=click.Path(path_type=Path),
              help="Output directory.")
@click.option("--update", "update", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Add INPUTS to the existing build in this directory (re-extracts only new or changed papers).")
@click.option("--force", is_flag=True,
              help="Write into a non-empty --out folder that holds no citegraph build (only citegraph's own file "
                   "names are replaced there; nothing else is touched).")
@common_options
@click.option("--dask", "dask", default=None, metavar="ADDRESS",
              help="Run the extraction on the Dask scheduler at ADDRESS (e.g. tcp://10.0.0.5:8786).")
@click.option("--related-k", default=10, show_default=True, help="RELATED_TO edges kept per paper.")
@click.option("--min-cooccurrence", default="auto", show_default=True, type=MinCount(),
              help="Shared papers a CO_OCCURS edge needs; 'auto': 1, raised just enough to keep at most "
                   f"{COOCCURRENCE_BUDGET:,} CO_OCCURS edges.")
@click.option("--max-nodes", default=None, type=int, help="Node budget of graph.html (default: the view's).")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
@click.option("--thesaurus", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV with columns text,replace_by[,label], or a VOSviewer thesaurus file (label<TAB>replace "
                   "by): merge, rename, retype or (empty replace_by) drop entities; recorded in the manifest.")
@click.option("--min-papers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Keep only entities mentioned in at least this many papers in the graph.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None, metavar="P",
              help="Keep only entities found with at least this confidence in the graph (default: the threshold "
                   "the model's calibration chose for graphs, 0.5 for the shipped model; 0 keeps every entity "
                   "extracted). mentions.jsonl keeps every mention.")
@click.option("--neo4j", "to_neo4j", is_flag=True,
              help="Then push the build into Neo4j (settings from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, "
                   "NEO4J_DATABASE), as citegraph push does.")
def build_cmd(inputs, out, update, force, fmt, year, model, rules_only, strict, workers, batch_size, dask, related_k,
              min_cooccurrence, max_nodes, no_html, thesaurus, min_papers, min_confidence, to_neo4j) -> None:
    """Build the knowledge graph of paper listings into a directory of files (no server needed).

    Without INPUTS, builds the sample listing shipped with citegraph. With --update DIR, adds INPUTS to the
    build in DIR and writes changes.json.

    Example: citegraph build listings/*.txt --out out

    Example: citegraph build --update out listings/today.txt

    Example: citegraph build listings/*.txt --out out --neo4j
    """
    if update is not None:
        out = update
        if not inputs:
            raise click.UsageError("--update needs the new listing files as INPUTS")
    from citegraph.graph.build.job import SAMPLE, BuildOptions, run_build

    options = BuildOptions(fmt=fmt, year=year, model=model, rules_only=rules_only, workers=workers,
                           batch_size=batch_size, dask=dask, related_k=related_k, min_cooccurrence=min_cooccurrence,
                           max_nodes=max_nodes, html=not no_html, thesaurus=thesaurus, min_papers=min_papers,
                           min_confidence=min_confidence)
    built = run_build(inputs or (SAMPLE,), options, out=out, update=update is not None, force=force,
                      report=lambda line: click.echo(line if line.startswith("note:") else f"warning: {line}",
                                                     err=True))
    _finish(built.papers, built.problems, strict)
    manifest = built.manifest
    c, run = manifest["counts"], manifest["run"]
    click.echo(f"{c['papers']} papers, {c['entities']} entities, {c['references']} references, {c['edges']} edges; "
               f"{run['extracted']} papers extracted, {run['cached']} from the cache -> {out}{os.sep}", err=True)
    if c.get("entities_under_confidence"):
        click.echo(f"{c['entities_under_confidence']:,} more entities were found only with a confidence under "
                   f"{manifest['parameters']['min_confidence']}: they are in mentions.jsonl, not in the graph "
                   "(--min-confidence 0 keeps them)", err=True)
    undated = [p for p in built.papers.values() if not p.dates]
    if undated and len(undated) < len(built.papers):
        with_year = sum(1 for p in undated if p.year)
        why = ("their listing had no date line" if not with_year else
               f"{with_year} of them have a publication year but no listing date" if with_year < len(undated) else
               "they have a publication year but no listing date")
        click.echo(f"{len(undated)} of {len(built.papers)} papers have no date ({why}): trends and the date overlay "
                   "leave them out", err=True)
    elif undated and any(not p.year for p in undated):  # no listing dates at all: trends run over years
        click.echo(f"{sum(1 for p in undated if not p.year)} of {len(built.papers)} papers have no publication "
                   "year: trends over publication years leave them out", err=True)
    if to_neo4j:
        from citegraph.graph.cli.store import push

        click.get_current_context().invoke(push, build_dir=out, uri=None, username=None, password=None,
                                           database=None, retry_seconds=None, replace=False, batch_size=1000,
                                           as_json=False)


COMMANDS = [build_cmd, extract_cmd]
