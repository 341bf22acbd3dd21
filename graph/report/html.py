"""``report.html``: the analytics report as one self-contained page, rendered through a Jinja2 template.

The page is ``templates/report.html.j2`` (its style sheet ``templates/report.css`` is in-lined), rendered with
autoescape on: every string that came from a paper (titles, entity names, ids) is data and shows as text. Plots are
embedded as base64 PNG ``data:`` URIs and nothing is loaded from the network. Python only shapes the report into
what the template shows (:class:`Table` of :class:`Cell`, plot sources, the explanations as :func:`doc_html`); the
same report gives the same bytes.
"""

from __future__ import annotations

import base64
import functools
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from citegraph.graph.analytics.thematic import __doc__ as THEMATIC_DOC
from citegraph.graph.analytics.trends import __doc__ as TRENDS_DOC
from citegraph.graph.report.compute import PLOTS

__all__ = ["render_html", "doc_html", "Cell", "Table", "cell", "table", "TEMPLATES"]

#: The folder of the page's template and style sheet (package data of ``citegraph.graph.report``).
TEMPLATES = Path(__file__).with_name("templates")

#: Sections of the page: ``(anchor, heading)``, in page order (the navigation bar links them).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"), ("new", "What is new"), ("central", "Central"), ("communities", "Communities"),
    ("thematic", "Thematic map"),
    ("trends", "Trends"), ("usage", "Usage"), ("similar", "Similar papers"), ("references", "References"),
)


class Cell(NamedTuple):
    """One table cell: its text (escaped by the template) and whether it is a number (right-aligned)."""

    text: str
    numeric: bool = False


class Table(NamedTuple):
    """A table as the template draws it; no rows shows *none*."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def cell(value: Any) -> Cell:
    """The cell of a report value: floats to 4 significant digits, lists joined by commas.

    >>> cell(0.123456), cell(3), cell(True), cell(["a", "b"]), cell("<i>x</i>")
    (Cell(text='0.1235', numeric=True), Cell(text='3', numeric=True), Cell(text='True', numeric=False), \
Cell(text='a, b', numeric=False), Cell(text='<i>x</i>', numeric=False))
    """
    if isinstance(value, bool):
        return Cell(str(value))
    if isinstance(value, float):
        return Cell(f"{value:.4g}", True)
    if isinstance(value, int):
        return Cell(str(value), True)
    if isinstance(value, (list, tuple)):
        return Cell(", ".join(str(v) for v in value))
    return Cell(str(value))


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A :class:`Table` of report values (each turned into a :class:`Cell`)."""
    return Table(tuple(headers), tuple(tuple(cell(v) for v in row) for row in rows))


_CODE = re.compile(r"``(.+?)``", re.S)
_BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*", re.S)
_POWER = re.compile(r"\*\*(\w+)")
_ITEM = re.compile(r"[*-] ")


def _inline(text: str) -> str:
    """Escape ``text``, then turn its reST ``code`` spans into <code> (``x**2`` in them into x<sup>2</sup>) and its
    **bold** into <strong>: the patterns run on escaped text and their groups are escaped text too."""
    parts = _CODE.split(text)  # odd indices: inside double backticks
    out = []
    for i, part in enumerate(parts):
        escaped = html.escape(part, quote=True)
        if i % 2:
            out.append("<code>" + _POWER.sub(r"<sup>\1</sup>", escaped) + "</code>")
        else:
            out.append(_BOLD.sub(r"<strong>\1</strong>", escaped))
    return "".join(out)


def doc_html(doc: str | None) -> Markup:
    """A module docstring as safe HTML: paragraphs, bullet lists, <code> and <strong>; everything else escaped.

    >>> print(doc_html('''Links ``e_ij = c_ij**2 / c_i`` and <b>.
    ...
    ... * **motor** themes: high;
    ...   well developed
    ... * **niche** themes'''))
    <p>Links <code>e_ij = c_ij<sup>2</sup> / c_i</code> and &lt;b&gt;.</p>
    <ul><li><strong>motor</strong> themes: high; well developed</li><li><strong>niche</strong> themes</li></ul>
    """
    blocks = re.split(r"\n\s*\n", (doc or "").strip())
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if _ITEM.match(lines[0]):
            items: list[list[str]] = []
            for line in lines:
                if _ITEM.match(line):
                    items.append([line[2:]])
                else:
                    items[-1].append(line)
            out.append("<ul>" + "".join(f"<li>{_inline(' '.join(item))}</li>" for item in items) + "</ul>")
        else:
            out.append(f"<p>{_inline(' '.join(lines))}</p>")
    return Markup("\n".join(out))


@functools.cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _plot(key: str, title: str, png: bytes) -> dict[str, str]:
    return {"id": f"plot-{key}", "alt": title, "src": "data:image/png;base64," + base64.b64encode(png).decode("ascii")}


def _central(central: Mapping[str, Mapping[str, list[dict]]]) -> list[tuple[str, Table]]:
    out = []
    for label, measures in central.items():
        n = max((len(v) for v in measures.values()), default=0)
        rows = []
        for i in range(n):
            row: list[Any] = [i + 1]
            for m in ("papers", "weighted_degree", "pagerank"):
                items = measures[m]
                row += [items[i]["name"], items[i]["value"]] if i < len(items) else ["", ""]
            rows.append(row)
        out.append((label, table(["#", "by papers", "papers", "by weighted degree", "degree", "by PageRank",
                                  "PageRank"], rows)))
    return out


def _changes(changes: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The "What is new" section: totals and tables in names."""
    if not changes:
        return None
    return {
        "totals": changes["totals"],
        "papers": table(["new paper"], [[p["title"]] for p in changes["papers"]]),
        "entities": table(["new entity", "kind", "papers"],
                          [[e["name"], e["label"], e["papers"]] for e in changes["entities"]]),
        "links": table(["entity", "entity", "papers together"], [[x["a"], x["b"], x["papers"]]
                                                                 for x in changes["links"]]),
        "strengthened": table(["entity", "entity", "papers before", "papers now"],
                              [[x["a"], x["b"], x["before"], x["after"]] for x in changes["strengthened"]]),
    }


def _context(report: Mapping[str, Any], pngs: Mapping[str, bytes], title: str) -> dict[str, Any]:
    t, refs = report["trends"], report["references"]
    return {
        "title": title,
        "sections": [s for s in SECTIONS if s[0] != "new" or report.get("changes")],
        "summary": report["summary"],
        "parameters": table(["parameter", "value"], sorted(report["parameters"].items())),
        "plots": {key: _plot(key, name, pngs[key]) for key, name in PLOTS},
        "central": _central(report["central"]),
        "bridges": table(["entity", "kind", "betweenness"],
                         [[b["name"], b["label"], b["betweenness"]] for b in report["bridges"]]),
        "communities": table(["#", "label", "size", "density", "papers", "top members"],
                             [[c["id"], c["label"], c["size"], c["density"], c["papers"],
                               [m["name"] for m in c["top_members"]]] for c in report["communities"]]),
        "themes": table(["#", "theme", "size", "papers", "centrality", "density", "quadrant"],
                        [[x["id"], x["label"], x["size"], x["papers"], x["centrality"], x["density"], x["quadrant"]]
                         for x in report["thematic_map"]["themes"]]),
        "thematic_doc": doc_html(THEMATIC_DOC),
        "trends_note": t["note"],
        "trends_unit": t.get("unit", "listing date"),
        "dates": table([t.get("unit", "date"), "papers", "entities first seen"],
                       [[d, t["papers_per_date"][d], t["new_entities_per_date"][d]] for d in t["dates"]]),
        "undated_papers": t["undated_papers"],
        "rising": [(step["from"], step["to"],
                    table(["entity", "kind", "papers before", "papers after", "share before", "share after", "rise"],
                          [[r["name"], r["label"], r["before"], r["after"], r["share_before"], r["share_after"],
                            r["rise"]] for r in step["entities"]])) for step in t["rising"]],
        "bursts": table(["entity", "kind", t.get("unit", "date"), "papers then", "burst"],
                        [[b["name"], b["label"], b["date"], b["papers"], b["burst"]] for b in t["bursts"]]),
        "trends_doc": doc_html(TRENDS_DOC),
        "pairs": table(["method", "dataset", "papers", "lift"],
                       [[p["method_name"], p["dataset_name"], p["papers"], p["lift"]]
                        for p in report["usage"]["pairs"]]),
        "stated": table(["method", "dataset", "stated relation", "papers stating it", "papers mentioning both"],
                        [[p["method_name"], p["dataset_name"], p["relation"], p["stated_papers"],
                          p["co_mention_papers"]] for p in report["usage"]["stated"]]),
        "similar": table(["paper", "paper", "similarity", "shared entities"],
                         [[p["a_title"], p["b_title"], p["weight"], p["shared_entities"]]
                          for p in report["similarity"]["pairs"]]),
        "nearest": [(report["similarity"].get("nearest_to", {}).get(paper, paper),
                     table(["paper", "similarity", "explained by (rarest first)"],
                           [[n["title"], n["weight"], [s["name"] for s in n["shared"]]] for n in near]))
                    for paper, near in report["similarity"]["nearest"].items()],
        "changes": _changes(report.get("changes")),
        "top_references": table(["reference", "citing papers", "papers"],
                                [[r["name"], r["papers"], r["citing"]] for r in refs["top"]]),
        "cocited": table(["reference", "reference", "papers citing both"],
                         [[c["a_name"], c["b_name"], c["papers"]] for c in refs["cocited"]]),
        "coupled": table(["paper", "paper", "shared references"],
                         [[c["a_title"], c["b_title"], c["shared"]] for c in refs["coupled"]]),
    }


def render_html(report: Mapping[str, Any], pngs: Mapping[str, bytes], title: str = "citegraph analytics") -> str:
    """The self-contained HTML page of a report (plots embedded, every value escaped).

    Parameters
    ----------
    report : what :func:`~citegraph.graph.report.compute.build_report` returns.
    pngs : what :func:`~citegraph.graph.report.compute.report_plots` returns (one PNG per key of ``PLOTS``).
    title : the page's title and heading.

    >>> from citegraph.testing import toy_graph
    >>> from citegraph.graph.report.compute import build_report, report_plots
    >>> r = build_report(toy_graph())
    >>> page = render_html(r, report_plots(r))  # a toy title holds <b>on</b>
    >>> page.count('<img class="plot"'), "<b>on</b>" in page, "&lt;b&gt;on&lt;/b&gt;" in page
    (6, False, True)
    >>> "``" in page, "**" in page, "<strong>motor</strong>" in page
    (False, False, True)
    """
    return _environment().get_template("report.html.j2").render(_context(report, pngs, title))
