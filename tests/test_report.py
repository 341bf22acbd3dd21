"""report.json / report.html: deterministic, escaped, self-contained, and every plot visible in a real Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from citegraph.testing import random_graph, toy_graph
from citegraph.graph.cli.main import main
from citegraph.graph.builddir.files import write_json
from citegraph.graph.formats.node_link import graph_to_json
from citegraph.graph.report.html import TEMPLATES, doc_html
from citegraph.graph.report.report import PLOTS, build_report, report_plots, write_report

from tests.conftest import unavailable


@pytest.fixture()
def toy_build(tmp_path: Path) -> Path:
    d = tmp_path / "build"
    write_json(d / "graph.json", graph_to_json(toy_graph()))
    return d


def _analyze(build: Path, out: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["analyze", str(build), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(out / "report.json"), str(out / "report.html")]


def test_report_same_input_same_bytes(toy_build: Path, tmp_path: Path):
    _analyze(toy_build, tmp_path / "a", "--seed", "7")
    _analyze(toy_build, tmp_path / "b", "--seed", "7")
    for name in ("report.json", "report.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_report_json_sorted_keys_and_parameters(toy_build: Path, tmp_path: Path):
    _analyze(toy_build, tmp_path, "--top", "3", "--resolution", "2.0", "--seed", "5")
    text = (tmp_path / "report.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert data["parameters"] == {"resolution": 2.0, "seed": 5, "top": 3}
    assert len(data["bridges"]) <= 3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_report_deterministic_per_seed_in_process(seed: int):
    G = random_graph(80, 40, seed=11)
    assert build_report(G, seed=seed) == build_report(G, seed=seed)


def test_report_html_escapes_paper_data_and_is_offline(tmp_path: Path):
    paths = write_report(random_graph(30, 20, seed=2), tmp_path)
    page = paths["html"].read_text(encoding="utf-8")
    assert "<i>&</i>" not in page and "&lt;i&gt;&amp;&lt;/i&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing loaded from the network
    assert page.count('src="data:image/png;base64,') == len(PLOTS)


def test_report_html_escapes_names_and_title_and_never_evaluates_them(tmp_path: Path):
    G = toy_graph()
    G.nodes["entity:gpt"]["name"] = '<script>alert(1)</script>{{ 7*7 }}"'  # central, bridge, theme, trends
    G.nodes["paper:p3"]["title"] = G.nodes["paper:p3"]["name"] = "<img src=x onerror=alert(1)>"
    page = write_report(G, tmp_path, title="<i>t</i>")["html"].read_text(encoding="utf-8")
    assert "<script" not in page and "<img src=x" not in page and "<i>t</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}&#34;" in page  # escaped, and data: not a template
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and page.count("&lt;i&gt;t&lt;/i&gt;") == 2


def test_report_explanations_read_as_text_not_raw_markup(tmp_path: Path):
    page = write_report(toy_graph(), tmp_path)["html"].read_text(encoding="utf-8")
    assert "``" not in page and "**" not in page
    assert "<strong>motor</strong>" in page and "<strong>Burst</strong>" in page
    assert "<code>e_ij = c_ij<sup>2</sup> / (c_i * c_j)</code>" in page


def test_doc_markup_applies_after_escaping():
    doc = "``<script>x</script>`` and **<img src=x onerror=alert(1)>** & <b>\n\n* **a** ``b**2``\n  more"
    assert str(doc_html(doc)) == (
        "<p><code>&lt;script&gt;x&lt;/script&gt;</code> and <strong>&lt;img src=x onerror=alert(1)&gt;</strong>"
        " &amp; &lt;b&gt;</p>\n<ul><li><strong>a</strong> <code>b<sup>2</sup></code> more</li></ul>"
    )


def test_report_nav_links_every_section_and_template_is_package_data(tmp_path: Path):
    page = write_report(toy_graph(), tmp_path)["html"].read_text(encoding="utf-8")
    anchors = re.findall(r'<a href="#([^"]+)"', page)
    assert len(anchors) == 8 and all(page.count(f'id="{a}"') == 1 for a in anchors)
    assert (TEMPLATES / "report.html.j2").is_file() and (TEMPLATES / "report.css").is_file()


def test_report_png_metadata_has_no_software_or_time():
    for key, png in report_plots(build_report(toy_graph())).items():
        assert png.startswith(b"\x89PNG") and b"Software" not in png and b"tIME" not in png, key


@pytest.mark.parametrize(("args", "message"), [(["--resolution", "0"], "resolution"), (["--top", "0"], "top")])
def test_report_cli_rejects_bad_options(toy_build: Path, args: list[str], message: str):
    result = CliRunner().invoke(main, ["analyze", str(toy_build), *args])
    assert result.exit_code != 0 and message in result.output


def test_report_cli_not_a_build(tmp_path: Path):
    result = CliRunner().invoke(main, ["analyze", str(tmp_path)])
    assert result.exit_code == 1 and "not a citegraph build" in result.output


def test_report_cli_unknown_paper(toy_build: Path):
    result = CliRunner().invoke(main, ["analyze", str(toy_build), "--paper", "nope"])
    assert result.exit_code == 1 and "unknown paper 'nope'" in result.output


def test_report_on_sample_build_deterministic(sample_build: Path, tmp_path: Path):
    _analyze(sample_build, tmp_path / "a")
    _analyze(sample_build, tmp_path / "b")
    assert (tmp_path / "a" / "report.json").read_bytes() == (tmp_path / "b" / "report.json").read_bytes()
    assert (tmp_path / "a" / "report.html").read_bytes() == (tmp_path / "b" / "report.html").read_bytes()


def test_report_on_seeds_build(seeds_build: Path, tmp_path: Path):
    # how long it takes is measured by bench/run.py, not asserted here
    proc = subprocess.run([sys.executable, "-m", "citegraph", "analyze", str(seeds_build), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["summary"]["papers"] > 300 and len(data["summary"]["dates"]) == 3
    assert data["communities"] and data["thematic_map"]["themes"]


# --- real browser ------------------------------------------------------------------------------------------------

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("selenium", "pip install -e '.[test]'")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        unavailable("headless Chromium", "apt-get install chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="citegraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", f"--user-data-dir={profile}", "--window-size=1200,900"):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as e:
        shutil.rmtree(profile, ignore_errors=True)
        unavailable("headless Chromium", f"it failed to start ({e.msg}); apt-get install chromium chromium-driver")
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _check_every_plot_visible(driver, html: Path) -> None:
    driver.get(html.resolve().as_uri())
    images = driver.execute_script(
        "return Array.from(document.images).map(i => ({id: i.id, complete: i.complete, w: i.naturalWidth,"
        " h: i.naturalHeight, shown: i.getBoundingClientRect().width}))"
    )
    assert sorted(i["id"] for i in images) == sorted(f"plot-{k}" for k, _ in PLOTS)
    for img in images:
        assert img["complete"] and img["w"] > 0 and img["h"] > 0 and img["shown"] > 0, img
    # escaped paper data shows as text, not markup
    assert driver.execute_script("return document.querySelectorAll('body i, body b').length") == 0
    # the explanations are formatted, not raw reST
    assert driver.execute_script("return document.querySelectorAll('.def code, .def strong').length") > 0


@pytest.mark.browser
def test_report_every_plot_visible_in_chromium_toy(browser, tmp_path: Path):
    paths = write_report(random_graph(40, 25, seed=3), tmp_path)
    _check_every_plot_visible(browser, paths["html"])


@pytest.mark.browser
def test_report_every_plot_visible_in_chromium_empty_graph(browser, tmp_path: Path):
    import networkx as nx

    paths = write_report(nx.DiGraph(), tmp_path)
    _check_every_plot_visible(browser, paths["html"])


@pytest.mark.browser
def test_report_every_plot_visible_in_chromium_seeds(browser, seeds_build: Path, tmp_path: Path):
    _analyze(seeds_build, tmp_path)
    _check_every_plot_visible(browser, tmp_path / "report.html")
