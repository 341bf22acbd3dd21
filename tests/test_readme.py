"""The README's Python example runs as written (on a listing of its own), so the documented API stays true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LISTING = """Trending Papers

BERT Fine-Tuning for Question Answering
We fine-tune BERT on SQuAD and report exact match and F1; BERT beats a BiLSTM baseline on SQuAD 2.0.

Distilling BERT into Small Students
DistilBERT is distilled from BERT and evaluated on GLUE and SQuAD, keeping most of BERT's accuracy.
"""


def _python_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_python_api_example_runs(tmp_path):
    code = _python_example()
    (tmp_path / "listing.txt").write_text(LISTING, encoding="utf-8")
    check = ("\nimport networkx as nx, pathlib\n"
             "assert isinstance(b.graph, nx.DiGraph) and len(b.papers) == 2, b.papers\n"
             "assert (pathlib.Path('out') / 'graph.json').is_file() and '<html' in html.lower()\n"
             "assert [x.id for x in extractions] == [p.id for p in papers]\n"
             "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", code + check], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith("ok")
