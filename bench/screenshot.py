"""Screenshot of a build's map in headless Chromium (for the README).

Usage: python bench/screenshot.py BUILD_DIR OUT.png [--focus ENTITY] [--mode entities|papers] [--select]
       [--size 1600x1000]

The map is re-rendered from BUILD_DIR into a temporary file (BUILD_DIR is not written); ``--select`` clicks the
biggest node first so the side panel and the neighbourhood highlight are in the picture.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def screenshot(build_dir: Path, out: Path, *, focus: str | None = None, mode: str = "entities",
               select: bool = False, size: tuple[int, int] = (1600, 1000), timeout: float = 60.0) -> dict:
    """Render ``build_dir``'s map to a temporary page, open it in headless Chromium and save a PNG to ``out``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from citegraph.graph.builddir.build import load_build
    from citegraph.graph.view.render import render_html

    build = load_build(build_dir)
    work = Path(tempfile.mkdtemp(prefix="citegraph-shot-"))
    page = work / "graph.html"
    stats = render_html(build.graph, page, papers=build.papers, extractions=build.extractions, focus=focus, mode=mode)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", f"--window-size={size[0]},{size[1]}", f"--user-data-dir={work / 'profile'}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        driver.get(page.as_uri())
        t0 = time.monotonic()
        while not driver.execute_script("return !!(window.citegraph && citegraph.ready)"):
            if time.monotonic() - t0 > timeout:
                raise TimeoutError(f"the map was not ready after {timeout:.0f} s")
            time.sleep(0.2)
        driver.execute_script("if (citegraph.fitShown) citegraph.fitShown();"
                              "else citegraph.network.fit({animation: false})")
        if select:
            driver.execute_script("var n = citegraph.nodes.get().sort((a, b) => b.count - a.count)[0];"
                                  "if (n) citegraph.selectNode(n.id);")
        time.sleep(0.5)
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Screenshot of a citegraph build's map.")
    ap.add_argument("build_dir", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--focus")
    ap.add_argument("--mode", default="entities", choices=("entities", "papers"))
    ap.add_argument("--select", action="store_true", help="click the biggest node first")
    ap.add_argument("--size", default="1600x1000")
    args = ap.parse_args(argv)
    w, h = (int(v) for v in args.size.lower().split("x"))
    stats = screenshot(args.build_dir, args.out, focus=args.focus, mode=args.mode, select=args.select, size=(w, h))
    print(f"wrote {args.out} ({stats['nodes']} nodes, {stats['edges']} links)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
