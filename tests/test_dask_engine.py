"""`pressroom build --engine dask [--scheduler ADDRESS]`: rendering on a Dask cluster (issue 15).

The cluster is a scheduler and two worker processes of one thread each, started by the `dask`
command in an empty folder (and the LocalCluster `--engine dask` starts without an address):
processes, because WeasyPrint is not thread-safe (render/pdfwriter.py keeps per-process
stylesheets and routes WeasyPrint's logger, which threads would share), and because a process
of its own is what a remote worker and scheduler are (everything they get is pickled, nothing
is inherited, nothing imported by the build); two, one per core of the test machine. The
builds run from the project folder with relative paths, so a worker that looked for source/ or
styles/ would not find them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from pressroom import engines
from pressroom.load.site import load_site
from pressroom.plan import visibility
from pressroom.prepare.document import prepare
from pressroom.render import EPOCH, FORMATS, Job, module

from .conftest import CORPUS_NOW, FIXTURES, NEWSROOM_BEFORE, ROOT, run

PER_RELEASE = [f for f in FORMATS if module(f).PER_RELEASE]
DEFAULT = [f for f in FORMATS if f != "pack"]


def newsroom_with_pictures(target: Path) -> Path:
    """tests/fixtures/newsroom with a logo and a picture in a body: every kind of file a task
    carries (its picture, its body pictures, the bundle's logo) and, with --drafts, held/."""
    shutil.copytree(FIXTURES / "newsroom", target)
    publication = target / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace(
        "\nlanguage: en\n", "\nlanguage: en\nlogo: images/chart.svg\n"), encoding="utf-8")
    with (target / "2026-03-20-corrected-statement.md").open("a", encoding="utf-8") as file:
        file.write('\nA picture in the body:\n\n![The water point](images/water-point.jpg '
                   '"The water point")\n')
    return target


CASES = {
    "seed": (lambda target: Path(shutil.copytree(ROOT / "source", target)), None),
    "corpus": (lambda target: Path(shutil.copytree(FIXTURES / "corpus", target)), CORPUS_NOW),
    "newsroom": (newsroom_with_pictures, NEWSROOM_BEFORE),
}
"""Name -> (make the source folder at a path, --now)."""


def project(root: Path, case: str) -> Path:
    """A folder holding source/ (the case) and styles/ (a copy): built with relative paths."""
    CASES[case][0](root / "source")
    shutil.copytree(ROOT / "styles", root / "styles")
    return root


def build_in(root: Path, case: str, dist: str, *args: str) -> None:
    """`pressroom build` of every default format (drafts too) in `root`, with relative paths."""
    now = CASES[case][1]
    result = run("--source", "source", "--styles", "styles", "build", "--dist", dist,
                 "--quiet", "--no-cache", "--drafts", "--jobs", "2",
                 *(("--now", now) if now else ()), *args)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err


def files(folder: Path) -> dict[str, str]:
    """Every file below `folder` (dist/ and held/ beside it): its sha256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".build" not in p.parts}


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a Dask scheduler and two workers, each a process of its own started by
    the `dask` command in an empty folder, as on a cluster: nothing of the build is imported
    by the scheduler, nothing inherited by the workers."""
    distributed = pytest.importorskip("distributed")
    elsewhere = tmp_path_factory.mktemp("cluster")
    dask = Path(sys.executable).with_name("dask")
    address_file = elsewhere / "scheduler.json"
    with (elsewhere / "scheduler.log").open("wb") as log_s, \
            (elsewhere / "workers.log").open("wb") as log_w:
        started = [subprocess.Popen(
            [str(dask), "scheduler", "--scheduler-file", str(address_file), "--host",
             "127.0.0.1", "--port", "0", "--dashboard-address", ":0"],
            cwd=elsewhere, stdout=log_s, stderr=subprocess.STDOUT)]
        try:
            for _ in range(600):
                if address_file.exists() and address_file.stat().st_size:
                    break
                time.sleep(0.1)
            started.append(subprocess.Popen(
                [str(dask), "worker", "--scheduler-file", str(address_file), "--nworkers", "2",
                 "--nthreads", "1", "--no-dashboard"],
                cwd=elsewhere, stdout=log_w, stderr=subprocess.STDOUT))
            with distributed.Client(scheduler_file=str(address_file), timeout=60) as client:
                client.wait_for_workers(2, timeout=120)
                address = client.scheduler.address
            yield address
        finally:
            for process in reversed(started):
                process.terminate()
                process.wait(timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["corpus", "newsroom"])
def test_a_cluster_builds_every_output_byte_for_byte_as_the_pool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str, case: str) -> None:
    root = project(tmp_path, case)
    monkeypatch.chdir(root)
    build_in(root, case, "pool/dist")
    build_in(root, case, "dask/dist", "--engine", "dask", "--scheduler", scheduler)
    pool, dask = files(root / "pool"), files(root / "dask")
    assert dask == pool
    suffixes = {"pdf": ".pdf", "epub": ".epub", "html": ".html", "ninjs": ".json",
                "email": ".eml"}
    for fmt in PER_RELEASE:  # every format that renders per release made files
        assert any(p.endswith(suffixes[fmt]) for p in pool), fmt
    if case == "newsroom":
        assert any(p.startswith("held/") for p in pool)  # press-kit outputs, drafts


@pytest.mark.slow
def test_without_an_address_dask_starts_a_local_cluster_and_builds_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    root = project(tmp_path, "seed")
    monkeypatch.chdir(root)
    build_in(root, "seed", "pool/dist")
    build_in(root, "seed", "dask/dist", "--engine", "dask")
    assert files(root / "dask") == files(root / "pool")


@pytest.mark.slow
def test_a_task_reads_nothing_of_source_styles_or_dist(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The coordinator makes the tasks and the bundle; then source/, styles/ and dist/ go away
    and each task, run where a worker would, still gives the pool's bytes."""
    root = project(tmp_path, "newsroom")
    monkeypatch.chdir(root)
    build_in(root, "newsroom", "pool/dist")
    expected = {p: (root / "pool" / p).read_bytes() for p in files(root / "pool")}
    source, styles, dist = Path("source"), Path("styles"), Path("pool/dist")
    site = load_site(source, styles_dir=styles, drafts=True)
    plan = visibility.plan(prepare(site), datetime.fromisoformat(NEWSROOM_BEFORE), True)
    job = Job(documents=plan.public + plan.held, all_documents=plan.public, held=plan.held,
              withdrawn=plan.withdrawn, publication=site.publication, source_dir=source,
              styles_dir=styles, dist_dir=dist, paper=site.publication.paper,
              source_date=EPOCH)
    tasks = [engines.task_of(fmt, doc, job) for fmt in PER_RELEASE for doc in job.documents]
    bundle = engines.bundle_of(styles, source, site.publication)
    for folder in ("source", "styles", "pool"):
        (root / folder).rename(root / f"gone-{folder}")
    made: set[str] = set()
    for task in tasks:
        for relpath, data in engines.render_task(task, bundle):
            where = os.path.normpath(f"dist/{relpath}")
            assert data == expected[where], (task.fmt, relpath)
            made.add(where)
    assert made == {os.path.normpath(f"dist/{p}") for task in tasks
                    for p in module(task.fmt).expected_release_paths(task.document)}

@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_usage_error_and_dist_is_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    root = project(tmp_path, "seed")
    monkeypatch.chdir(root)
    build_in(root, "seed", "pool/dist", "--format", "pdf")
    before = {p: (q.stat().st_mtime_ns, q.read_bytes()) for p in files(root / "pool")
              for q in [root / "pool" / p]}
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    monkeypatch.setattr(engines, "CONNECT_TIMEOUT", 2.0)
    (root / "source" / "2017-01-25-mexico-defenders.md").touch()  # something to render
    result = run("--source", "source", "--styles", "styles", "build", "--dist", "pool/dist",
                 "--no-cache", "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert result.code == 64
    assert result.err.startswith(
        f"pressroom build: --engine dask: cannot reach the scheduler at tcp://127.0.0.1:{port}")
    assert "Traceback" not in result.err
    assert {p: (q.stat().st_mtime_ns, q.read_bytes()) for p in files(root / "pool")
            for q in [root / "pool" / p]} == before


def test_without_dask_installed_the_dask_engine_is_a_usage_error_naming_the_extra(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    dist = tmp_path / "dist"
    result = run("--source", str(ROOT / "source"), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--no-cache", "--engine", "dask")
    assert result.code == 64
    assert result.err == ("pressroom build: --engine dask needs Dask distributed: "
                          "pip install 'pressroom[cluster]'\n")
    assert not dist.exists()


def test_a_scheduler_without_the_dask_engine_is_a_usage_error(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    result = run("--source", str(ROOT / "source"), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--no-cache", "--scheduler", "tcp://127.0.0.1:8786")
    assert result.code == 64
    assert result.err == "pressroom build: --scheduler is for --engine dask\n"
    assert not dist.exists()
