"""``citegraph build --neo4j`` pushes what it built, against the real server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from citegraph.graph.builddir.build import load_graph


def test_neo4j_build_with_neo4j_flag_pushes_the_build(neo4j_db, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sample = Path(__file__).resolve().parent.parent / "extract" / "samples" / "hf_trending_sample.txt"
    proc = subprocess.run([sys.executable, "-m", "citegraph", "build", str(sample), "--out", str(out), "--no-html",
                           "--neo4j"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "pushed" in proc.stderr
    G = load_graph(out)
    nodes = neo4j_db.execute_query("MATCH (n:Citegraph) RETURN count(n) AS n").records[0]["n"]
    rels = neo4j_db.execute_query("MATCH (:Citegraph)-[r]->(:Citegraph) RETURN count(r) AS n").records[0]["n"]
    assert (nodes, rels) == (G.number_of_nodes(), G.number_of_edges())
