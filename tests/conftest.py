"""Shared fixtures. Tests that need a service (Neo4j, Chromium, ../shared) skip with a message that says how to
provide it, except under ``CI=true``, where a missing service fails the test: nothing is silently skipped in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CITEGRAPH_SHARED", ROOT.parent / "shared"))


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(what: str, how: str) -> None:
    """Fail under CI, skip elsewhere, always saying how to provide ``what``."""
    message = f"{what} is not available; {how}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir():
        unavailable(f"the shared data folder ({SHARED})", "check out the project beside ../shared or set CITEGRAPH_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def seed_files(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seeds_build(seed_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``citegraph build`` of the five seed pages with the shipped model, made once per test session."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("seeds-build") / "out"
    proc = subprocess.run([sys.executable, "-m", "graph.cli", "build", *map(str, seed_files), "--out", str(out),
                           "--year", "2025"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return out
