"""``citegraph build`` and ``citegraph extract``: listings in, extractions and the graph out."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

import click

from extract.records import CitegraphError

log = logging.getLogger(__name__)

SAMPLE = Path(__file__).resolve().parent.parent / "extract" / "samples" / "hf_trending_sample.txt"

_common = [
    click.option("--format", "fmt", type=click.Choice(["hf", "jsonl", "csv", "arxiv"]), default=None,
                 help="Force the input format (default: detected from extension and content)."),
    click.option("--year", type=int, default=None, help="Year for dates written without one (default: this year)."),
    click.option("--model", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="A spaCy pipeline directory (default: the shipped citegraph_sci model)."),
    click.option("--rules-only", is_flag=True, help="Skip the trained model: blank English + rule components."),
    click.option("--strict", is_flag=True, help="Exit non-zero if anything in the input had to be skipped."),
    click.option("--workers", type=int, default=1, show_default=True, help="Extraction processes."),
    click.option("--batch-size", type=int, default=64, show_default=True, help="Texts per nlp.pipe batch."),
]


def common_options(f):
    for option in reversed(_common):
        f = option(f)
    return f


def _read(inputs: tuple[Path, ...], fmt: str | None, year: int | None):
    from extract.readers import read_listings

    result = read_listings(list(inputs), fmt=fmt, year=year)
    for problem in result.problems:
        click.echo(f"warning: {problem}", err=True)
    return result


def _extract(papers, model: Path | None, rules_only: bool, workers: int, batch_size: int):
    from tqdm import tqdm

    from extract.pipeline import extract_papers, load_pipeline, pipeline_info

    nlp = load_pipeline(model, blank=rules_only)
    bar = lambda it: tqdm(it, total=2 * len(papers), desc="extracting", unit="text", file=sys.stderr,  # noqa: E731
                          disable=None, leave=False)
    result = extract_papers(papers, nlp, batch_size=batch_size, n_process=max(1, workers), progress=bar)
    return result, pipeline_info(nlp)


def _finish(result, strict: bool) -> None:
    skipped = len(result.problems)
    if not result.papers:
        raise click.ClickException(f"no usable paper was read ({skipped} problem(s) reported above)")
    if skipped:
        click.echo(f"{len(result.papers)} papers read; {skipped} problem(s) in the input, listed above", err=True)
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
    from .io import atomic_write

    read = _read(inputs, fmt, year)
    if not read.papers:
        _finish(read, strict)
    result, _ = _extract(read.papers, model, rules_only, workers, batch_size)
    lines = [json.dumps(x.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for x in result.extractions]
    if str(out) == "-":
        sys.stdout.writelines(lines)
    else:
        with atomic_write(out) as fh:
            fh.writelines(lines)
    _finish(read, strict)


@click.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "-o", default="citegraph-out", show_default=True, type=click.Path(path_type=Path),
              help="Output directory.")
@common_options
@click.option("--related-k", default=10, show_default=True, help="RELATED_TO edges kept per paper.")
@click.option("--min-cooccurrence", default=1, show_default=True, help="Shared papers a CO_OCCURS edge needs.")
@click.option("--max-nodes", default=None, type=int, help="Node budget of graph.html (default: the view's).")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
def build_cmd(inputs, out, fmt, year, model, rules_only, strict, workers, batch_size, related_k, min_cooccurrence,
              max_nodes, no_html) -> None:
    """Build the knowledge graph of paper listings into a directory of files (no server needed).

    Without INPUTS, builds the sample listing shipped with citegraph.

    Example: citegraph build listings/*.txt --out out
    """
    from .build import build_graph
    from .export import BuildLock, write_build

    timings: dict[str, float] = {}
    inputs = inputs or (SAMPLE,)
    year = year or dt.date.today().year
    with BuildLock(out):
        t = time.perf_counter()
        read = _read(inputs, fmt, year)
        if not read.papers:
            _finish(read, strict)
        timings["read"] = time.perf_counter() - t
        t = time.perf_counter()
        result, pipe = _extract(read.papers, model, rules_only, workers, batch_size)
        timings["extract"] = time.perf_counter() - t
        t = time.perf_counter()
        G = build_graph(read.papers, result.extractions, related_k=related_k, min_cooccurrence=min_cooccurrence)
        timings["graph"] = time.perf_counter() - t
        papers = {p.id: p for p in read.papers}
        extractions = {x.id: x for x in result.extractions}

        def html(path: Path) -> dict:
            from .view import render_html

            kwargs = {"max_nodes": max_nodes} if max_nodes else {}
            return render_html(G, path, papers=papers, extractions=extractions, **kwargs)

        manifest = {
            "tool": "citegraph", "version": _version("citegraph"),
            "command": "build",
            "inputs": [{k: f[k] for k in sorted(f) if k != "year_assumed"} for f in read.files],
            "parameters": {"format": fmt, "year": year, "year_assumed": read.year_assumed is not None,
                           "related_k": related_k, "min_cooccurrence": min_cooccurrence, "max_nodes": max_nodes,
                           "model": str(model) if model else "shipped", "rules_only": rules_only,
                           "workers": workers, "batch_size": batch_size},
            "pipeline": pipe,
            "versions": {name: _version(name) for name in ("spacy", "networkx", "pyvis", "scipy", "neo4j")}
            | {"python": platform.python_version()},
            "counts": {"papers_read": len(read.papers), "mentions": sum(len(x.mentions) for x in result.extractions),
                       "skipped": len(read.problems), "acronyms": len(result.acronyms.rows()),
                       "merges": len(result.merges)},
            "problems": [str(p) for p in read.problems],
            "timings": timings,
        }
        t = time.perf_counter()
        written = write_build(out, G, read.papers, result.extractions, acronyms=result.acronyms.rows(),
                              merges=result.merges, manifest=manifest, render_html=None if no_html else html)
        timings["write"] = time.perf_counter() - t
    c = written["counts"]
    click.echo(f"{c['papers']} papers, {c['entities']} entities, {c['references']} references, {c['edges']} edges "
               f"-> {out}{os.sep}", err=True)
    _finish(read, strict)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


COMMANDS = [build_cmd, extract_cmd]
