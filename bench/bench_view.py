"""Time-to-stable of interactive maps in headless Chromium: citegraph's renderer against pyvis's defaults.

For each size (entity nodes of a generated listing, see ``citegraph.testing``) the same graph is drawn by

* ``citegraph``          ``render_html(..., max_nodes=N)``: every node drawn, Python layout, physics off;
* ``citegraph default``  ``render_html(...)``: the default node budget (a backbone when N is bigger);
* ``pyvis defaults``     ``pyvis.network.Network(cdn_resources="in_line")`` with the same nodes and edges and its
                          default options (barnes-hut physics on); its Bootstrap CDN tags are removed first so the
                          timing is not a failed download.

Time-to-stable is measured from navigation start: citegraph's page reports it (``citegraph.readyAt``: first frame
drawn, or physics stabilised and switched off); for pyvis, the first moment ``network.physics.stabilized`` is true,
polled every 0.25 s, capped at ``--cap`` seconds. "select" is the time a click on the biggest node takes to
highlight its neighbourhood and fill the side panel. "labels" is what ``citegraph.visibleLabels()`` says the first
picture draws (1400 x 900 window), and how many of them overlap another.

``--build DIR`` also times the default map of a build directory (rendered into a temporary file, as ``graph.html``
would be), for example the seeds' build: ``citegraph build ../shared/seeds/*.txt --out /tmp/seeds --year 2025``.

Usage: python bench/bench_view.py [--sizes 2000,5000] [--cap 120] [--sweep 1000,1500,2000,3000,5000] [--build DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import urllib3

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="citegraph-bench-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,900", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_script_timeout(600)
    driver.set_page_load_timeout(600)
    return driver, profile


def time_citegraph(driver, path: Path, cap: float) -> tuple[float | None, float | None, str]:
    """(seconds to stable, milliseconds of one node selection, "labels drawn / overlapping") of a citegraph page."""
    driver.get(path.as_uri())
    t0 = time.monotonic()
    while time.monotonic() - t0 < cap:
        ready = driver.execute_script("return window.citegraph && citegraph.readyAt")
        if ready:
            break
        time.sleep(0.1)
    else:
        return None, None, "–"
    labels = driver.execute_script("citegraph.network.redraw();"
                                   "return citegraph.visibleLabels ? citegraph.visibleLabels() : null")
    drawn = "–" if labels is None else f"{len(labels)} / {_overlapping(labels)}"
    select_ms = driver.execute_script(
        "var n = citegraph.nodes.get().sort((a, b) => b.count - a.count)[0]; var t = performance.now();"
        "citegraph.selectNode(n.id); return performance.now() - t;")
    return ready / 1000.0, select_ms, drawn


def _overlapping(labels: list[dict]) -> int:
    def meet(a, b):
        return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])

    return sum(1 for i, a in enumerate(labels) if any(meet(a, b) for j, b in enumerate(labels) if i != j))


def time_pyvis(path: Path, cap: float) -> float | None:
    """Seconds from navigation start until vis-network's physics says it is stabilised (None: not within cap).

    pyvis's default ``improvedLayout`` can block the page for minutes before it even finishes loading, so each
    pyvis page gets its own browser, which is thrown away afterwards.
    """
    from selenium.common.exceptions import TimeoutException

    driver, profile = start_browser()
    try:
        driver.set_page_load_timeout(cap)
        driver.set_script_timeout(cap)
        t0 = time.monotonic()
        try:
            driver.get(path.as_uri())
            while time.monotonic() - t0 < cap:
                now, stable = driver.execute_script(
                    "return [performance.now() / 1000,"
                    " !!(window.network && network.physics && network.physics.stabilized)]")
                if stable:
                    return now
                time.sleep(0.25)
        except (TimeoutException, OSError, urllib3.exceptions.HTTPError):
            pass  # the page (or chromedriver, waiting on it) did not answer within the cap
        return None
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def pyvis_page(G, path: Path) -> None:
    """The same nodes and edges through pyvis's defaults (edges assigned directly: add_edge is O(E) per call)."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.nodes = [{"id": n, "label": str(d.get("name", n)), "shape": "dot", "size": 10} for n, d in G.nodes(data=True)]
    net.edges = [{"from": u, "to": v, "width": 1} for u, v in G.edges]
    html = net.generate_html()
    html = re.sub(r"<link[^>]*cdn\.jsdelivr[^>]*/>|<script[^>]*cdn\.jsdelivr[^>]*>\s*</script>", "", html, flags=re.S)
    path.write_text(html, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000,5000")
    ap.add_argument("--cap", type=float, default=120.0, help="seconds before a page counts as never stable")
    ap.add_argument("--sweep", default="", help="also time citegraph at these node budgets on the biggest size")
    ap.add_argument("--no-pyvis", action="store_true")
    ap.add_argument("--build", type=Path, default=None, help="also time the default map of this build directory")
    args = ap.parse_args(argv)
    from citegraph.graph.view.render import DEFAULT_MAX_NODES, render_html, view_graph
    from citegraph.testing import sample_graph

    work = Path(tempfile.mkdtemp(prefix="citegraph-bench-pages-"))
    driver, profile = start_browser()
    rows = []
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        for size in sizes:
            t = time.perf_counter()
            G, papers, extractions = sample_graph(size, int(size * 0.75), per_paper=8, seed=size)
            H = view_graph(G).graph
            print(f"# {size}: generated {H.number_of_nodes()} entities, {H.number_of_edges()} co-occurrences "
                  f"in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            budgets = [("citegraph (all nodes)", H.number_of_nodes())]
            if DEFAULT_MAX_NODES < H.number_of_nodes():
                budgets.append((f"citegraph default ({DEFAULT_MAX_NODES})", DEFAULT_MAX_NODES))
            if size == max(sizes) and args.sweep:
                budgets += [(f"citegraph max_nodes={b}", b) for b in map(int, args.sweep.split(","))]
            for name, budget in budgets:
                out = work / f"cg-{size}-{budget}.html"
                t = time.perf_counter()
                stats = render_html(G, out, papers=papers, extractions=extractions, max_nodes=budget)
                py = time.perf_counter() - t
                stable, select_ms, drawn = time_citegraph(driver, out, args.cap)
                rows.append((size, name, stats["nodes"], stats["edges"], py, stable, select_ms,
                             out.stat().st_size / 1e6, drawn))
                print(_row(rows[-1]), file=sys.stderr)
            if not args.no_pyvis:
                out = work / f"pyvis-{size}.html"
                t = time.perf_counter()
                pyvis_page(H, out)
                py = time.perf_counter() - t
                rows.append((size, "pyvis defaults (physics on)", H.number_of_nodes(), H.number_of_edges(), py,
                             time_pyvis(out, args.cap), None, out.stat().st_size / 1e6, "–"))
                print(_row(rows[-1]), file=sys.stderr)
        if args.build is not None:
            from citegraph.graph.builddir.build import load_build

            build = load_build(args.build)
            out = work / "build.html"
            t = time.perf_counter()
            stats = render_html(build.graph, out, papers=build.papers, extractions=build.extractions)
            py = time.perf_counter() - t
            stable, select_ms, drawn = time_citegraph(driver, out, args.cap)
            entities = sum(1 for _, d in build.graph.nodes(data=True) if d.get("kind") == "entity")
            rows.append((entities, f"citegraph default, build {args.build.name} ({stats['core_nodes']:,} shown first)",
                         stats["nodes"], stats["edges"], py, stable, select_ms, out.stat().st_size / 1e6, drawn))
            print(_row(rows[-1]), file=sys.stderr)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print(f"| size | renderer | nodes drawn | edges drawn | Python s | time-to-stable s (cap {args.cap:.0f}) "
          f"| select ms | MB | labels drawn / overlapping |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(_row(row))
    return 0


def _row(r) -> str:
    size, name, n, e, py, stable, select_ms, mb, drawn = r
    st = f"{stable:.2f}" if stable is not None else "not stable"
    sel = f"{select_ms:.0f}" if select_ms is not None else "–"
    return f"| {size:,} | {name} | {n:,} | {e:,} | {py:.1f} | {st} | {sel} | {mb:.1f} | {drawn} |"


if __name__ == "__main__":
    sys.exit(main())
