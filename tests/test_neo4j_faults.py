"""Neo4j faults against real servers: wrong password, unreachable host, missing database, server stopped
before the push, server killed in the middle of a push. Each gives one sentence and its exit code; after the server
is back the same push completes with exactly the graph file's counts.

The stop/kill tests start a server of their own with ``scripts/neo4j-server start --dir`` on another port and kill
only that process."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, in_ci, unavailable
from citegraph.graph.cli.main import main
from citegraph.graph.builddir.build import load_graph
from citegraph.graph.store.neo4j_connection import EXIT_AUTH, EXIT_DATABASE, EXIT_UNREACHABLE
from tests.test_neo4j_store import tiny_graph, write_build

pytestmark = pytest.mark.neo4j
SCRIPT = ROOT / "scripts" / "neo4j-server"


def _synthetic_graph(**kwargs):
    spec = importlib.util.spec_from_file_location("bench_push", ROOT / "bench" / "bench_push.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_graph(**kwargs)


def cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citegraph", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout, cwd=ROOT)


def one_sentence(proc_or_result, code: int) -> str:
    if hasattr(proc_or_result, "returncode"):
        output, returncode = proc_or_result.stderr, proc_or_result.returncode
    else:
        output, returncode = proc_or_result.output, proc_or_result.exit_code
    assert returncode == code, output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, output
    return errors[0]


@pytest.fixture
def tiny_build(tmp_path: Path) -> Path:
    return write_build(tmp_path / "tiny", tiny_graph())


def test_neo4j_faults_wrong_password(neo4j_settings, neo4j_driver, tiny_build: Path) -> None:
    result = CliRunner().invoke(main, ["push", str(tiny_build), "--password", "not-the-password"])
    assert result.exit_code == EXIT_AUTH
    assert "refused the credentials of user 'neo4j'" in one_sentence(result, EXIT_AUTH)


def test_neo4j_faults_unreachable_host(tiny_build: Path) -> None:
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for args in (["push", str(tiny_build)], ["query", "top_entities"]):
        result = CliRunner().invoke(main, [*args, "--uri", f"bolt://127.0.0.1:{port}"])
        assert result.exit_code == EXIT_UNREACHABLE
        assert f"could not reach Neo4j at bolt://127.0.0.1:{port}" in one_sentence(result, EXIT_UNREACHABLE)


def test_neo4j_faults_missing_database(neo4j_settings, neo4j_driver, tiny_build: Path) -> None:
    result = CliRunner().invoke(main, ["push", str(tiny_build), "--database", "nosuchdb"])
    assert result.exit_code == EXIT_DATABASE
    assert "has no database 'nosuchdb'" in one_sentence(result, EXIT_DATABASE)


def test_neo4j_faults_bad_uri(tiny_build: Path) -> None:
    result = CliRunner().invoke(main, ["push", str(tiny_build), "--uri", "http://127.0.0.1:7474"])
    assert result.exit_code == 1
    assert "NEO4J_URI" in one_sentence(result, 1)


# --- a server of our own ----------------------------------------------------------------------------------------

class OwnServer:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.env: dict[str, str] = {}

    def run(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(SCRIPT), command, "--dir", str(self.home)], capture_output=True,
                              text=True, timeout=400)

    def start(self) -> None:
        proc = self.run("start")
        if proc.returncode != 0:
            unavailable("a second Neo4j server", f"scripts/neo4j-server start failed: {proc.stderr[-2000:]}")
        line = proc.stdout.strip().splitlines()[-1]
        self.env = dict(item.split("=", 1) for item in line.removeprefix("export ").split())

    def pid(self) -> int:
        return int(self.run("pid").stdout.strip())

    def driver(self) -> neo4j.Driver:
        return neo4j.GraphDatabase.driver(self.env["NEO4J_URI"], auth=(self.env["NEO4J_USERNAME"],
                                                                       self.env["NEO4J_PASSWORD"]))

    def wipe(self) -> None:
        with self.driver() as d:
            d.execute_query("MATCH (n) DETACH DELETE n")

    def count(self, d: neo4j.Driver | None = None) -> tuple[int, int]:
        if d is None:
            with self.driver() as d:
                return self.count(d)
        nodes = d.execute_query("MATCH (n:Citegraph) RETURN count(n) AS n").records[0]["n"]
        record = d.execute_query("MATCH (a:Citegraph)-[r]->(b:Citegraph) RETURN count(r) AS rels, "
                                 "count(DISTINCT [elementId(a), type(r), elementId(b)]) AS distinct").records[0]
        rels, distinct = record["rels"], record["distinct"]
        assert distinct == rels, "duplicate relationships"
        return nodes, rels


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory):
    if not os.environ.get("NEO4J_URI") and not in_ci():
        pytest.skip("Neo4j tests are off (NEO4J_URI is not set); run them with scripts/test-all")
    server = OwnServer(tmp_path_factory.mktemp("own-neo4j"))
    server.start()
    yield server
    server.run("stop")


def test_neo4j_faults_server_stopped_before_push(own_server: OwnServer, tiny_build: Path) -> None:
    own_server.wipe()
    env = own_server.env
    assert own_server.run("stop").returncode == 0
    proc = cli("push", str(tiny_build), "--retry-seconds", "2", env=env)
    assert proc.returncode == EXIT_UNREACHABLE, proc.stderr
    assert f"could not reach Neo4j at {env['NEO4J_URI']}" in one_sentence(proc, EXIT_UNREACHABLE)
    own_server.start()
    assert own_server.env["NEO4J_URI"] == env["NEO4J_URI"], "a restart keeps the port of its home"
    proc = cli("push", str(tiny_build), env=own_server.env)
    assert proc.returncode == 0, proc.stderr
    G = load_graph(tiny_build)
    assert own_server.count() == (G.number_of_nodes(), G.number_of_edges())


def test_neo4j_faults_server_killed_during_push(own_server: OwnServer, tmp_path: Path) -> None:
    G = _synthetic_graph(n_papers=800, n_entities=160, seed=1)
    build = write_build(tmp_path / "big", G)
    own_server.wipe()
    env = own_server.env
    push = subprocess.Popen([sys.executable, "-m", "citegraph", "push", str(build), "--batch-size", "250",
                             "--retry-seconds", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env}, cwd=ROOT)
    poll = own_server.driver()
    try:
        deadline = time.monotonic() + 120
        while True:  # wait until the push is well under way: nodes done, some relationships written
            assert push.poll() is None, f"the push ended before it could be interrupted: {push.communicate()}"
            assert time.monotonic() < deadline, "the push never got going"
            nodes, rels = own_server.count(poll)
            if nodes == G.number_of_nodes() and rels > 0:
                break
            time.sleep(0.1)
        poll.close()
        os.kill(own_server.pid(), signal.SIGKILL)  # the process this test started, and only it
        _, stderr = push.communicate(timeout=120)
    finally:
        poll.close()
        if push.poll() is None:
            push.kill()
    assert push.returncode == EXIT_UNREACHABLE, stderr
    message = one_sentence(subprocess.CompletedProcess(push.args, push.returncode, "", stderr), EXIT_UNREACHABLE)
    assert "while pushing (after" in message and "running the push again" in message
    own_server.start()
    nodes, rels = own_server.count()
    assert nodes == G.number_of_nodes() and 0 < rels < G.number_of_edges(), "the kill was not mid-push"
    proc = cli("push", str(build), "--json", env=own_server.env)
    assert proc.returncode == 0, proc.stderr
    assert own_server.count() == (G.number_of_nodes(), G.number_of_edges())
