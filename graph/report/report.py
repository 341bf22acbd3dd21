"""The analytics report of a build: ``report.json`` for scripts and a self-contained ``report.html`` for people.

:func:`write_report` runs the analyses (:mod:`citegraph.graph.report.compute`), draws the plots and renders the
page (:mod:`citegraph.graph.report.html`, a Jinja2 template with autoescape on). The HTML embeds its plots as base64
PNG and loads nothing from the network; every string that came from a paper is HTML-escaped. Same graph and
parameters give byte-identical files. The names ``citegraph analyze`` and the tests use are importable from here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from citegraph.graph.builddir.files import atomic_write, write_json
from citegraph.graph.report.cache import load_cached, save_cached
from citegraph.graph.report.compute import PLOTS, build_report, report_plots, update_report
from citegraph.graph.report.html import render_html

__all__ = ["PLOTS", "build_report", "report_plots", "render_html", "write_report"]

log = logging.getLogger(__name__)


def write_report(
    G: nx.DiGraph,
    out_dir: str | Path,
    *,
    resolution: float = 1.0,
    seed: int = 0,
    top: int = 10,
    papers: Sequence[str] | None = None,
    title: str = "citegraph analytics",
    changes: Mapping[str, Any] | None = None,
    graph_digest: str | None = None,
) -> dict[str, Path]:
    """Write ``report.json`` (sorted keys) and ``report.html`` into ``out_dir``; return their paths.

    The parameters are :func:`~citegraph.graph.report.compute.build_report`'s, and ``title`` the page's. With
    ``graph_digest`` (the sha256 of the build's ``graph.json``) the analyses are kept in ``out_dir`` (see
    :mod:`~citegraph.graph.report.cache`) and reused by the next call on the same graph with the same
    ``resolution``, ``seed`` and ``top``: only the nearest papers and the changes are computed again. The files
    are the same either way.

    >>> import tempfile
    >>> from citegraph.testing import toy_graph
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sorted(p.name for p in write_report(toy_graph(), d).values())
    ['report.html', 'report.json']
    """
    out = Path(out_dir)
    parameters = {"resolution": resolution, "seed": seed, "top": top}
    cached = load_cached(out, graph_digest, parameters) if graph_digest else None
    if cached is not None:
        log.info("reusing the analyses of %s", out)
        report, pngs = cached
        report = update_report(report, G, papers=papers, changes=changes)
    else:
        report = build_report(G, resolution=resolution, seed=seed, top=top, papers=papers, changes=changes)
        log.info("plotting")
        pngs = report_plots(report)
        if graph_digest:
            save_cached(out, graph_digest, parameters, report, pngs)
    paths = {"json": out / "report.json", "html": out / "report.html"}
    write_json(paths["json"], report)
    with atomic_write(paths["html"]) as fh:
        fh.write(render_html(report, pngs, title=title))
    return paths
