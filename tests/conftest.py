"""Shared fixtures: builds of the real source/ and of the test site, made once per session."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from pressroom.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "un-news-2017-01-25-mexico-defenders.txt"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*argv: str) -> Run:
    """Run the CLI in-process."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


@dataclass
class Built:
    source: Path
    dist: Path


def _build(source: Path, dist: Path) -> Built:
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--quiet")
    assert result.code == 0, result.err
    return Built(source, dist)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from the repository's source/ (the seed release)."""
    return _build(ROOT / "source", tmp_path_factory.mktemp("seed") / "dist")


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from tests/fixtures/site (contacts, dateline, hostile text, Letter paper)."""
    return _build(FIXTURES / "site", tmp_path_factory.mktemp("site") / "dist")


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the test site's sources."""
    target = tmp_path / "source"
    shutil.copytree(FIXTURES / "site", target)
    return target
