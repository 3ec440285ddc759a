"""Where per-release rendering runs: the local worker pool (build.py, the default) or a Dask
cluster (`pressroom build --engine dask [--scheduler ADDRESS]`, `pip install pressroom[cluster]`).

On a cluster nothing is shared but the package: no file system, no fork. A `Task` carries one
prepared release and the files of source/ it shows (its pictures; for an e-mail, the PDF brief
already built); a `Bundle` carries styles/ and the publication's own files (the logo), named by
a hash of their contents and shipped once to each worker. The worker lays the bundle out in its
own scratch folder (once per bundle) and each task's files in a folder of its own, renders there
with the same renderer the pool runs, and sends back (path below dist/, bytes): only the
coordinator writes to dist/ (build.py). The same code on the same inputs gives the same bytes
as the pool: the renderers never see where their folders lie (the PDF names its files by the
virtual addresses of render/pdfwriter.py), and the tests compare the two builds byte for byte.
"""

from __future__ import annotations

import atexit
import copyreg
import dataclasses
import hashlib
import io
import logging
import os
import pickle
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pressroom.errors import RenderError, UsageError
from pressroom.layout import under
from pressroom.load import zones
from pressroom.model import Paper, Publication
from pressroom.prepare.document import Document
from pressroom.render import Format, Job, Output, module
from pressroom.text import images

ENGINES = ("pool", "dask")
"""`--engine`: the local worker pool (default), or Dask distributed."""
CONNECT_TIMEOUT = 10.0
"""Seconds to reach a scheduler before the build gives up (nothing is written then)."""
IN_FLIGHT = 4
"""Tasks submitted per worker thread ahead of the one awaited: workers never wait for work,
and a million-release archive is never held in memory at once."""
INSTALL = "pip install 'pressroom[cluster]'"
REUSES = {"email": ("pdf",)}
"""Format -> the formats whose built file of the same release it reads from dist/ (an e-mail
attaches the PDF brief: render/email.py); a task carries those bytes."""

Renders = Callable[[Format, str, Job, int], Iterator[list[Output]]]
"""(renderer, format, job, jobs) -> each stale release's outputs, in order."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Bundle:
    """What every task of a build reads besides its own files: styles/ (templates, stylesheets,
    fonts) and the publication's files under source/ (its logo), by path relative to each
    folder. `key` is a hash of all of it: a worker lays out one bundle once."""

    key: str
    styles: dict[str, bytes]
    source: dict[str, bytes]


@dataclass(frozen=True, kw_only=True, slots=True)
class Task:
    """One release to render on a worker, with everything it reads."""

    fmt: str
    document: Document
    source_dir: str
    """The coordinator's source/ (the document's paths lie below it): a worker moves them
    below its own copy, and puts them back in its error messages."""
    files: dict[str, bytes]
    """The release's files below source/ (its picture, body pictures), by relative path."""
    built: dict[str, bytes]
    """Outputs already in dist/ that the renderer reuses (an e-mail's PDF brief)."""
    publication: Publication
    paper: Paper
    source_date: datetime


def bundle_of(styles_dir: Path, source_dir: Path, publication: Publication) -> Bundle:
    """Every file below styles/, and the logo below source/, with their hash."""
    styles = {p.relative_to(styles_dir).as_posix(): p.read_bytes()
              for p in sorted(styles_dir.rglob("*")) if p.is_file()}
    source = {}
    if publication.logo:
        source[_inside(source_dir, source_dir / publication.logo)] = \
            (source_dir / publication.logo).read_bytes()
    digest = hashlib.sha256()
    for folder, files in (("styles", styles), ("source", source)):
        for name, data in sorted(files.items()):
            digest.update(f"{folder}/{name}\0{len(data)}\0".encode())
            digest.update(data)
    return Bundle(key=digest.hexdigest(), styles=styles, source=source)


def task_of(fmt: str, doc: Document, job: Job) -> Task:
    """The task rendering `doc` in `fmt`: read here, on the coordinator, so the worker reads
    nothing of source/ or dist/."""
    source = Path(job.source_dir)
    shown = {doc.image} if doc.image is not None else set()
    shown |= {source / src for src in images.sources(doc.body_html)}
    files = {_inside(source, path): path.read_bytes() for path in sorted(shown)
             if path.is_file()}
    built: dict[str, bytes] = {}
    for reused in REUSES.get(fmt, ()):
        if reused in doc.paths:  # without it, the worker renders it (as the format does)
            with suppress(FileNotFoundError):
                built[doc.paths[reused]] = under(job.dist_dir, doc.paths[reused]).read_bytes()
    return Task(fmt=fmt, document=doc, source_dir=str(source), files=files, built=built,
                publication=job.publication, paper=job.paper, source_date=job.source_date)


def _inside(folder: Path, path: Path) -> str:
    """`path` relative to `folder` (the loader admits no picture outside source/)."""
    relative = Path(os.path.relpath(path, folder)).as_posix()
    if relative.startswith("../") or relative == "..":
        raise RenderError(f"{path}: outside {folder}: a cluster worker cannot be sent it")
    return relative


# The worker's side. Module state: one scratch folder per worker process, one layout per bundle.

_LOCK = threading.Lock()
_SCRATCH: list[Path] = []
_LAID_OUT: dict[str, Path] = {}


def _scratch() -> Path:
    if not _SCRATCH:
        folder = Path(tempfile.mkdtemp(prefix="pressroom-worker-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _SCRATCH.append(folder)
    return _SCRATCH[0]


def _lay_out(folder: Path, files: dict[str, bytes], within: Path | None = None) -> None:
    """Write `files` below `folder` (their paths may climb to `within`: '../held/x.pdf')."""
    for name, data in files.items():
        path = under(folder, name)
        if not path.resolve().is_relative_to((within or folder).resolve()):
            raise RenderError(f"{name}: outside the task's folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def laid_out(bundle: Bundle) -> Path:
    """The worker's copy of the bundle (styles/, and source/ to copy into each task's folder),
    made on first use."""
    with _LOCK:
        if bundle.key not in _LAID_OUT:
            root = _scratch() / f"bundle-{bundle.key[:24]}"
            staging = Path(tempfile.mkdtemp(prefix="staging-", dir=_scratch()))
            _lay_out(staging / "styles", bundle.styles)
            _lay_out(staging / "source", bundle.source)
            for folder in ("styles", "source"):
                (staging / folder).mkdir(exist_ok=True)
            if root.exists():  # a process started before (module state lost): start afresh
                shutil.rmtree(root)
            staging.rename(root)
            _LAID_OUT[bundle.key] = root
        return _LAID_OUT[bundle.key]


def render_task(task: Task, bundle: Bundle) -> list[Output]:
    """Run on a worker: lay the task's files out in a folder of its own (the bundle's shared
    folder for styles/), render the release there, and return its outputs."""
    root = laid_out(bundle)
    with tempfile.TemporaryDirectory(prefix="task-", dir=_scratch()) as scratch:
        source, dist = Path(scratch) / "source", Path(scratch) / "out" / "dist"
        shutil.copytree(root / "source", source)
        _lay_out(source, task.files)
        _lay_out(dist, task.built, within=dist.parent)  # held/ lies beside dist/
        doc = moved(task.document, Path(task.source_dir), source)
        job = Job(documents=[doc], all_documents=[], held=[], withdrawn=[],
                  publication=task.publication, source_dir=source, styles_dir=root / "styles",
                  dist_dir=dist, paper=task.paper, source_date=task.source_date)
        try:
            return module(task.fmt).render_release(doc, job)
        except RenderError as exc:  # name the coordinator's files, not the worker's copies
            message = str(exc).replace(str(source), task.source_dir)
            raise RenderError(message.replace(doc.release.source_path,
                                              task.document.release.source_path)) from None


def moved(doc: Document, old: Path, new: Path) -> Document:
    """`doc` with the paths it reads (its source file's folder, its picture) below `new`."""
    def move(path: str | Path) -> Path:
        return new / os.path.relpath(path, old)

    release = dataclasses.replace(doc.release, source_path=str(move(doc.release.source_path)))
    return dataclasses.replace(doc, release=release,
                               image=move(doc.image) if doc.image is not None else None)


# The coordinator's side.

def _zone_by_name(zone: ZoneInfo) -> tuple[Any, ...]:
    """A zone read from the tzdata package (load/zones.py: never the machine's files) cannot be
    pickled as it is: it goes by name, and the worker reads the same package."""
    if zone.key is not None and zones.canonical(zone.key) == zone.key:
        return zones.zone, (zone.key,)
    reduced: tuple[Any, ...] = zone.__reduce__()  # type: ignore[assignment]
    return reduced


def packed(task: object) -> bytes:
    """The task as bytes, its zones by name. Dask's scheduler unpickles a task and pickles it
    again for a worker: it gets bytes, so it needs no pressroom and no zone of its own, and
    nothing here changes how the rest of the process pickles."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, ZoneInfo: _zone_by_name}
    pickler.dump(task)
    return buffer.getvalue()


def render_packed(task: bytes, bundle: Bundle) -> list[Output]:
    """`render_task` of a `packed` task (what a worker runs)."""
    unpacked: Task = pickle.loads(task)  # what this build's coordinator made: trusted
    return render_task(unpacked, bundle)


def dask_engine(scheduler: str | None, workers: int) -> AbstractContextManager[Renders]:
    """A connection to the scheduler at `scheduler` (None: a local cluster of `workers`
    processes, one thread each: WeasyPrint is not thread-safe), yielding how to render a batch
    there. Raises UsageError, before anything is written, when Dask is not installed or the
    scheduler cannot be reached."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(f"pressroom build: --engine dask needs Dask distributed: {INSTALL}"
                         ) from None
    return _connected(Client, LocalCluster, scheduler, workers)


@contextmanager
def _connected(client_type: Any, cluster_type: Any, scheduler: str | None,
               workers: int) -> Iterator[Renders]:
    cluster = None
    try:
        if scheduler is None:
            cluster = cluster_type(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.CRITICAL)
            client = client_type(cluster, timeout=CONNECT_TIMEOUT)
        else:
            client = client_type(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        where = f"the scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise UsageError(f"pressroom build: --engine dask: cannot reach {where}: "
                         f"{str(exc).strip() or type(exc).__name__}") from None
    shipped: dict[str, Any] = {}
    try:
        def renders(renderer: Format, fmt: str, job: Job, jobs: int) -> Iterator[list[Output]]:
            bundle = bundle_of(job.styles_dir, job.source_dir, job.publication)
            if bundle.key not in shipped:  # content-addressed: sent once to every worker
                name = f"pressroom-bundle-{bundle.key}"
                shipped[bundle.key] = client.scatter({name: bundle}, broadcast=True)[name]
            return _in_order(client, shipped[bundle.key], fmt, job)

        yield renders
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _in_order(client: Any, bundle: Any, fmt: str, job: Job) -> Iterator[list[Output]]:
    """Each release's outputs in order, with a bounded number of tasks in flight."""
    threads = sum(client.nthreads().values()) or 1
    pending: deque[Any] = deque()
    documents = iter(job.documents)
    try:
        for doc in documents:
            pending.append(client.submit(render_packed, packed(task_of(fmt, doc, job)),
                                         bundle, pure=False))
            if len(pending) >= IN_FLIGHT * threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:  # an error, or the caller stopped: leave no work behind
            future.cancel()


# Workers started ahead, on this machine.

AHEAD = "pdf"
"""The format laid out by workers started before the sources are read (`Ahead`)."""
AHEAD_RECYCLE = 500
"""Briefs an ahead worker lays out before it is replaced: a new one imports WeasyPrint again
(~0.7 s), so less often than the forked pool's workers, which inherit it (WeasyPrint grows
~0.26 MiB a brief: 130 MiB at most, under the 300 MiB a worker may use)."""


class Ahead:
    """Worker processes forked when a build starts, before the sources are read, that import
    WeasyPrint (0.5-1 s) while this process loads and prepares the releases, then lay out the
    PDF briefs while it makes the other formats. A build waits for the slower of the two, not
    their sum: one edited release's brief costs no import on the way, and a lone release
    (the seed) is laid out beside its pages, feeds and book.

    Tasks carry the prepared release (pickled, its zones by name: about 0.1 ms and 6 kB each)
    and the job without its lists of documents (a brief shows only its own release); results
    come back as bytes, written by the build, in order.
    """

    def __init__(self, workers: int, styles_dir: Path, source_dir: Path) -> None:
        import multiprocessing

        self.workers = workers
        self.pool = multiprocessing.get_context("fork").Pool(
            workers, initializer=_warm, initargs=(styles_dir, source_dir),
            maxtasksperchild=AHEAD_RECYCLE)

    def renders(self, fmt: str, job: Job) -> Iterator[list[Output]]:
        """Each release's outputs, in order, laid out by the workers (started now: the caller
        takes them when it likes)."""
        lean = dataclasses.replace(job, documents=[], all_documents=[], held=[], withdrawn=[],
                                   site=None)
        return self.pool.imap(_render_ahead, (packed((fmt, doc, lean)) for doc in job.documents))

    def close(self) -> None:
        """Stop the workers (whatever they were doing: an error, or the build is over)."""
        self.pool.terminate()
        self.pool.join()


def _warm(styles_dir: Path, source_dir: Path) -> None:
    """In a worker: import the renderer (WeasyPrint), parse the stylesheets and load their
    fonts (`pdfwriter.warm`) while the build loads the sources. Whatever goes wrong here is
    left for the brief's own task to meet and report (an initializer that raised would have
    the pool start worker after worker, forever)."""
    try:
        module(AHEAD)
        from pressroom.render import pdfwriter

        pdfwriter.warm(styles_dir, source_dir)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # FatalURLFetchingError is a BaseException
        pass


def _render_ahead(task: bytes) -> list[Output]:
    fmt, doc, job = pickle.loads(task)  # made by this build's own process: trusted
    return module(fmt).render_release(doc, job)
