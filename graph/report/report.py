"""The analytics report of a build: ``report.json`` for scripts and a self-contained ``report.html`` for people.

:func:`write_report` runs the analyses (:mod:`citegraph.graph.report.compute`), draws the plots and renders the
page (:mod:`citegraph.graph.report.html`, a Jinja2 template with autoescape on). The HTML embeds its plots as base64
PNG and loads nothing from the network; every string that came from a paper is HTML-escaped. Same graph and
parameters give byte-identical files. The names ``citegraph analyze`` and the tests use are importable from here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from citegraph.graph.builddir.files import atomic_write, write_json
from citegraph.graph.report.compute import PLOTS, build_report, report_plots
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
) -> dict[str, Path]:
    """Write ``report.json`` (sorted keys) and ``report.html`` into ``out_dir``; return their paths.

    The parameters are :func:`~citegraph.graph.report.compute.build_report`'s, and ``title`` the page's.

    >>> import tempfile
    >>> from citegraph.testing import toy_graph
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sorted(p.name for p in write_report(toy_graph(), d).values())
    ['report.html', 'report.json']
    """
    out = Path(out_dir)
    report = build_report(G, resolution=resolution, seed=seed, top=top, papers=papers)
    log.info("plotting")
    pngs = report_plots(report)
    paths = {"json": out / "report.json", "html": out / "report.html"}
    write_json(paths["json"], report)
    with atomic_write(paths["html"]) as fh:
        fh.write(render_html(report, pngs, title=title))
    return paths
