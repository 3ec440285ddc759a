"""Building: which outputs are stale, rendering them with a worker pool, atomic writes.

make decides that *something* is stale and passes the changed prerequisites (`$?`); this module
turns them into the set of releases to render, so one process renders a whole batch (importing
WeasyPrint once) and shares it with forked workers. Every file lands in dist/ by rename: a
reader of dist/ sees the old complete file or the new complete file, never a half-written one.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path, PurePosixPath
from typing import Any

from pressroom import media
from pressroom.cache import SourceCache
from pressroom.engines import AHEAD, ENGINES, REUSES, Ahead, Renders, dask_engine
from pressroom.errors import PressroomError, UsageError
from pressroom.files import (
    is_temporary,
    remove_stale_temporaries,
    tree_lock,
    write_atomic,
    write_if_changed,
)
from pressroom.layout import HELD, OUTPUTS, Published, outputs, owner, state_dir, under
from pressroom.load.site import load_site
from pressroom.model import Paper, Site
from pressroom.packs import find_packs, read_pack
from pressroom.plan import visibility
from pressroom.plan.grouping import Selection, published
from pressroom.prepare import templates
from pressroom.prepare.document import Document, prepare
from pressroom.progress import Progress
from pressroom.render import EPOCH, READS, Format, Job, Output, module
from pressroom.text import images

RECYCLE = 200
"""Documents a worker renders before it is replaced (WeasyPrint grows ~0.26 MiB each)."""
FOLLOWS_PACKS = "pdf"
"""The format whose build also keeps the briefing packs below dist/ following what is public
(`follow_packs`): it has WeasyPrint at hand, and make rebuilds it whenever what is public
changes (one format, so that the formats of a `make -j` never remake a pack twice)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class BuildOptions:
    """Where to read and write, and what to make."""

    source_dir: Path
    styles_dir: Path
    dist_dir: Path
    formats: tuple[str, ...]
    changed: tuple[str, ...] | None = None
    """Paths make found newer than the last build (`$?`); None rebuilds everything."""
    paper: Paper | None = None
    source_date: datetime = EPOCH
    """Date of outputs that no release dates (an empty feed): `SOURCE_DATE_EPOCH`."""
    jobs: int = 1
    """Worker processes for per-release rendering."""
    cache: Path | None = None
    """Where parsed sources are cached between builds (outside dist/: no output depends on
    it, and dist/ stays byte-identical across checkouts); None: no cache."""
    now: datetime | None = None
    """The moment embargoes are judged against (`--now`, PRESSROOM_NOW); None: the clock."""
    drafts: bool = False
    """Build drafts (into held/ beside dist/, watermarked)."""
    state: Path | None = None
    """Where to tell make what this build decided (`write_state`; make passes .build); None:
    nowhere. Never inside dist/, which holds only what is published."""
    engine: str = "pool"
    """Where releases are rendered (`engines.ENGINES`): the local pool of `jobs` forked
    workers, or Dask ("dask": at `scheduler`, else on a local cluster of `jobs` workers)."""
    scheduler: str | None = None
    """The Dask scheduler's address (`tcp://host:8786`), for the dask engine."""


def records_dir(options: BuildOptions) -> Path | None:
    """Where a build keeps what the next one needs to render only what changed (archive and
    digest membership, each release's `context`): beside the source cache, so `--no-cache`
    keeps nothing; never in dist/, which holds only what is published."""
    if options.cache is None:
        return None
    return options.cache.with_name(f"{options.dist_dir.name}-records")


def default_cache(dist_dir: Path) -> Path:
    """`.build/cache/<dist name>-sources.json` beside the output folder."""
    return state_dir(dist_dir) / "cache" / f"{dist_dir.name}-sources.json"


def build(options: BuildOptions, progress: Progress | None = None,
          waiting: Callable[[str], None] | None = None) -> list[Path]:
    """Load and validate every source, then render the stale outputs; return what was written.

    Nothing is written unless every source is valid (SourceError is raised before rendering).
    One build of a tree at a time: the build holds the tree's lock (`files.tree_lock`, shared
    with the make running it), and says so through `waiting` (default: `progress.warn`, shown
    even when quiet) if it has to wait for another.
    """
    progress = progress or Progress(quiet=True)
    with tree_lock(state_dir(options.dist_dir),
                   waiting or (lambda line: progress.warn(f"pressroom: {line}"))):
        return _build(options, progress)


def _tell(line: str) -> None:
    print(f"pressroom: {line}", file=sys.stderr, flush=True)


def _build(options: BuildOptions, progress: Progress) -> list[Path]:
    kept = options.cache.parent if options.cache else None  # .build/cache/, or nothing kept
    templates.keep(kept / "templates" if kept else None)
    media.keep(kept / "pictures" if kept else None)
    ahead = Ahead(ahead_workers(options), options.styles_dir, options.source_dir) \
        if ahead_workers(options) else None
    try:
        cache = SourceCache(options.cache, options.source_dir) if options.cache else None
        site = load_site(options.source_dir, cache, styles_dir=options.styles_dir,
                         drafts=options.drafts)
        for warning in site.warnings:
            progress.warn(str(warning))
        documents = prepare(site, cache)
        if cache is not None:
            cache.save()
        sorted_out = visibility.plan(documents, options.now or datetime.now(UTC),
                                     options.drafts)
        with engine(options) as renders:  # a cluster is reached before anything is written
            written = _render_all(options, progress, site, sorted_out, renders, ahead)
    finally:
        if ahead is not None:
            ahead.close()
        templates.keep(None)  # this build's: not the next one's in this process (serve, tests)
        media.keep(None)
    if options.state is not None:
        write_state(options, options.state, sorted_out, site.publication.feed.size,
                    pictures_read(documents, options.source_dir, site.publication.logo),
                    site.drafts_left_out)
    return written


def ahead_workers(options: BuildOptions) -> int:
    """How many workers to start ahead for the PDF briefs (`engines.Ahead`): none without
    PDFs to make or on a cluster; else `jobs`, or fewer when there are fewer briefs to lay out
    (the releases make says changed, or all of them): a worker with nothing to do would only
    take a core from the build while it imports WeasyPrint."""
    if AHEAD not in options.formats or options.engine != "pool":
        return 0
    source = options.source_dir.resolve()
    changed = options.changed or ()
    releases = [p for p in changed
                if Path(p).suffix == ".md" and Path(p).resolve().parent == source]
    if not changed or len(releases) != len(changed):  # anything may be stale
        try:
            releases = [name for name in os.listdir(source) if name.endswith(".md")]
        except OSError:  # the loader says what is wrong
            return 1
    return max(1, min(options.jobs, len(releases)))


def engine(options: BuildOptions) -> AbstractContextManager[Renders]:
    """How the stale releases of a format are rendered: the local pool, or a Dask cluster
    (connected, or started, here; UsageError when it cannot be)."""
    if options.engine not in ENGINES:
        raise UsageError(f"pressroom build: unknown engine {options.engine!r}; choose among "
                         f"{', '.join(ENGINES)}")
    if options.engine == "dask":
        return dask_engine(options.scheduler, options.jobs)
    if options.scheduler is not None:
        raise UsageError("pressroom build: --scheduler is for --engine dask")
    return nullcontext(_pool)


def _pool(renderer: Format, fmt: str, job: Job, jobs: int) -> Iterator[list[Output]]:
    return _render_releases(renderer, job, jobs)


def _render_all(options: BuildOptions, progress: Progress, site: Site,
                sorted_out: visibility.Plan, renders: Renders,
                ahead: Ahead | None = None) -> list[Path]:
    """Every format's stale files: the PDF briefs by the workers started ahead (if any), the
    e-books in a process of their own (`BESIDE`, on the local pool), the rest here; a format
    that reads another's files (`engines.REUSES`) waits for them."""
    written: list[Path] = []
    elsewhere: dict[str, Waiting | Beside] = {}
    for folder in (options.dist_dir, under(options.dist_dir, f"../{HELD}")):
        for leftover in remove_stale_temporaries(folder):
            progress.note(f"removed {leftover} (left by an interrupted build)")
    built = sorted_out.public + sorted_out.held
    records = records_dir(options)
    users = None if options.changed is None else picture_users(built, options.source_dir)
    site_published = published(sorted_out.public, sorted_out.held, site.publication.feed.size)

    def job_of(fmt: str, contexts: Contexts) -> Job:
        return Job(documents=select(fmt, built, options, contexts.previous, users),
                   all_documents=sorted_out.public,
                   held=sorted_out.held, withdrawn=sorted_out.withdrawn,
                   publication=site.publication, source_dir=options.source_dir,
                   styles_dir=options.styles_dir, dist_dir=options.dist_dir,
                   paper=options.paper or site.publication.paper,
                   source_date=options.source_date, records=records, site=site_published)

    def make(fmt: str, progress: Progress, here: bool = True) -> list[Path]:
        """One format's files (`here`: in this process, which also writes the PDF briefs
        the workers have laid out meanwhile; not in a forked copy)."""
        contexts = Contexts(records, fmt)
        job = job_of(fmt, contexts)
        waiting = elsewhere.get(AHEAD)
        between = waiting.take if here and isinstance(waiting, Waiting) else None
        made = _build_format(fmt, job, options.jobs, progress, renders, between=between)
        contexts.save(built)
        if fmt == FOLLOWS_PACKS:
            made += follow_packs(job, progress)
        return made

    try:
        for fmt in options.formats:
            for reused in REUSES.get(fmt, ()):  # this format reads what that one writes
                if reused in elsewhere:
                    written += elsewhere.pop(reused).finish()
            if fmt == AHEAD and ahead is not None:
                contexts = Contexts(records, fmt)
                job = job_of(fmt, contexts)
                elsewhere[fmt] = Waiting(fmt, job, ahead.renders(fmt, job) if job.documents
                                         else iter(()), len(job.documents), progress,
                                         partial(contexts.save, built))
                written += _build_format(fmt, job, options.jobs, progress, renders,
                                         releases=False)
                if fmt == FOLLOWS_PACKS:
                    written += follow_packs(job, progress)
            elif fmt in BESIDE and options.engine == "pool" and len(options.formats) > 1:
                elsewhere[fmt] = Beside(partial(make, fmt, here=False), progress)
            else:
                written += make(fmt, progress)
        for fmt in list(elsewhere):
            written += elsewhere.pop(fmt).finish()
    finally:
        for left in elsewhere.values():  # an error here: stop what runs elsewhere
            left.stop()
    return written


BESIDE = ("epub",)
"""Formats made in a process of their own, forked once the releases are prepared, while this
one makes the others: the e-books (their covers, and the digests of many releases, the
slowest collections: a second of the build of one edit among 1000)."""


class Beside:
    """A format made by a forked copy of this process (which writes its files and removes its
    orphans itself, as this one would): its report lines are passed on when it is over
    (`finish`), its error raised here."""

    def __init__(self, run: Callable[[Progress], list[Path]], progress: Progress) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.progress = progress
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_beside, args=(run, writer, progress.quiet))
        self.process.start()
        writer.close()

    def finish(self) -> list[Path]:
        """Wait for it; return what it wrote."""
        try:
            kind, value, out, err = self.reader.recv()
        except EOFError:
            kind, value, out, err = "died", None, "", ""
        self.process.join()
        for line in out.splitlines():
            self.progress.note(line)
        for line in err.splitlines():
            self.progress.warn(line)
        if kind == "error":
            raise value
        if kind != "ok":
            raise RuntimeError(value or f"a build process ended with {self.process.exitcode}")
        written: list[Path] = value
        return written

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _beside(run: Callable[[Progress], list[Path]], writer: Any, quiet: bool) -> None:
    """In the forked process: run, and send back (kind, result, report, warnings)."""
    import io
    import traceback

    out, err = io.StringIO(), io.StringIO()
    try:
        result: tuple[str, Any] = ("ok", run(Progress(out, quiet=quiet, tty=False, errors=err)))
    except PressroomError as exc:
        result = ("error", exc)
    except BaseException:  # a bug: its traceback, told by the build
        result = ("bug", traceback.format_exc())
    try:
        writer.send((*result, out.getvalue(), err.getvalue()))
    except Exception:  # an error that cannot be pickled: its text
        writer.send(("bug", "".join(traceback.format_exception(result[1])), out.getvalue(),
                     err.getvalue()))
    writer.close()


class Waiting:
    """A format's releases laid out elsewhere (`engines.Ahead`) while this process makes the
    other formats: their files are written here as they come (`take`, between the other
    formats' files), and all of them by `finish`, after which the format's contexts are
    recorded (a build stopped before then renders them again)."""

    def __init__(self, fmt: str, job: Job, results: Iterator[list[Output]], count: int,
                 progress: Progress, done: Callable[[], None]) -> None:
        self.fmt, self.job, self.results, self.left = fmt, job, results, count
        self.progress, self.done = progress, done
        self.written: list[Path] = []

    def take(self) -> None:
        """Write what is ready, without waiting."""
        import multiprocessing

        while self.left:
            try:
                outputs = self.results.next(timeout=0)  # type: ignore[attr-defined]
            except multiprocessing.TimeoutError:
                return
            self._write(outputs, bar=False)

    def stop(self) -> None:
        """Nothing to stop here: the workers are `Ahead`'s."""

    def finish(self) -> list[Path]:
        """Wait for the rest; return every file written."""
        self.take()
        if self.left:
            self.progress.start(self.fmt, self.left)
            while self.left:
                self._write(next(self.results), bar=True)
            self.progress.finish()
        self.done()
        return self.written

    def _write(self, outputs: list[Output], bar: bool) -> None:
        """Write one release's files; report them on the format's bar (while waiting for
        them), else as a line between another format's."""
        self.left -= 1
        paths = [_write(self.job.dist_dir, relpath, data) for relpath, data in outputs]
        said = " ".join(str(p) for p in paths) or "(nothing: held back)"
        if bar:
            self.progress.advance(said)
        else:
            self.progress.note(f"wrote {said}")
        self.written += paths


VISIBILITY = "visibility.mk"
"""What make needs to know about the last build's plan, as make variables (no Python runs on a
no-op make): the releases it read (a source added or removed, whatever its mtime, forces a
rebuild), whether it built drafts, and the time window in which the plan holds (an embargo
ending, or a different PRESSROOM_NOW, forces a rebuild)."""
LISTS = "outputs.mk"
"""Per format: the files it should have in dist/ and the globs that find them (`layout.outputs`:
one missing, or one too many, makes the format stale), and the files of styles/ it reads
(`render.READS`: its prerequisites)."""
NOTICES = "held.txt"
"""The releases held back, one line each; `make` prints it after every run."""


def write_state(options: BuildOptions, state: Path, plan: visibility.Plan, size: int,
                pictures: list[Path], left_out: tuple[str, ...] = ()) -> None:
    """Tell make what this build decided, in `state` (each file rewritten only when it
    changes: parallel builds of several formats write the same bytes); `left_out`: drafts
    read but not loaded (they have problems), which make must count as read."""
    def epoch(moment: datetime | None) -> str:
        return str(int(moment.timestamp())) if moment else ""

    slugs = sorted([d.release.slug for d in plan.public + plan.held + plan.withdrawn
                    + plan.skipped] + list(left_out))
    lines = [f"BUILT_SLUGS := {' '.join(slugs)}",
             f"BUILT_DRAFTS := {'1' if options.drafts else ''}",
             f"LIFT_WINDOW := {epoch(plan.last_lift) or 0} {epoch(plan.next_lift)}"
             if plan.last_lift or plan.next_lift else "LIFT_WINDOW :="]
    write_if_changed(state / VISIBILITY, "\n".join(lines) + "\n")
    write_if_changed(state / LISTS, make_lists(options, published(plan.public, plan.held,
                                                                     size), pictures))
    write_if_changed(state / NOTICES, "".join(n + "\n" for n in plan.notices()))


def pictures_read(documents: list[Document], source_dir: Path, logo: str) -> list[Path]:
    """Every picture file under source/ the releases and the publication show, at any depth."""
    found = {d.image for d in documents if d.image is not None}
    found |= {source_dir / src for d in documents for src in images.sources(d.body_html)}
    if logo:
        found.add(source_dir / logo)
    return sorted(found)


def make_lists(options: BuildOptions, site: Published, pictures: list[Path]) -> str:
    """`OUTPUTS.<format>`, `GLOBS.<format>` and `READS.<format>` for the Makefile, and
    `PICTURES`, the picture files the sources show (make's prerequisites at any depth)."""
    dist, styles = options.dist_dir.as_posix(), options.styles_dir.as_posix()
    source = options.source_dir.resolve()
    shown = [os.path.relpath(p, source) for p in pictures]
    lines = ["PICTURES := " + " ".join(
        f"{options.source_dir.as_posix()}/{Path(p).as_posix()}" for p in shown
        if not p.startswith("..") and _plain(p))]
    for fmt in OUTPUTS:
        owned = outputs(fmt, site)
        lines += [f"OUTPUTS.{fmt} := " + " ".join(
                      f"{dist}/{p}" for p in sorted(set().union(*owned.values()))),
                  f"GLOBS.{fmt} := " + " ".join(f"{dist}/{g}" for g in owned),
                  f"READS.{fmt} := " + " ".join(f"{styles}/{p}" for p in READS[fmt])]
    return "\n".join(lines) + "\n"


def _build_format(fmt: str, job: Job, jobs: int, progress: Progress,
                  renders: Renders = _pool, releases: bool = True,
                  between: Callable[[], None] | None = None) -> list[Path]:
    """Render a format's stale releases (unless `releases` is False: they are laid out
    elsewhere) and collections, and remove its orphans; `between`: called after each file,
    to write what another format's workers made meanwhile."""
    renderer = module(fmt)
    written: list[Path] = []
    between = between or (lambda: None)
    for line in getattr(renderer, "notices", lambda _: [])(job):  # what a format must tell
        progress.warn(line)
    if renderer.PER_RELEASE and releases:
        progress.start(fmt, len(job.documents))
        batch = renders(renderer, fmt, job, jobs if len(job.documents) > 2 else 1) \
            if job.documents else iter(())
        for outputs in batch:
            paths = [_write(job.dist_dir, relpath, data) for relpath, data in outputs]
            progress.advance(" ".join(str(p) for p in paths) or "(nothing: held back)")
            written += paths
            between()
    for relpath, data in renderer.render_collections(job):
        written.append(_write(job.dist_dir, relpath, data))
        progress.note(f"wrote {under(job.dist_dir, relpath)}")
        between()
    for orphan in orphans(renderer, job):
        orphan.unlink(missing_ok=True)  # a concurrent build may have removed it first
        progress.note(f"removed {orphan} (its release is gone)")
    progress.finish()
    return written


def _write(dist: Path, relpath: str, data: bytes) -> Path:
    """Write an output; a shared asset (stylesheet, fonts: megabytes) only when its bytes
    changed, so it keeps its time and is not rewritten for nothing."""
    target = under(dist, relpath)
    try:
        same = relpath.startswith("assets/") and target.stat().st_size == len(data) \
            and target.read_bytes() == data
    except OSError:
        same = False
    if not same:
        write_atomic(target, data)
    return target


_WORKER: tuple[Format, Job] | None = None


def _init_worker(renderer: Format, job: Job) -> None:
    global _WORKER
    _WORKER = (renderer, job)


def _render_one(index: int) -> list[Output]:
    assert _WORKER is not None
    renderer, job = _WORKER
    outputs: list[Output] = renderer.render_release(job.documents[index], job)
    return outputs


def _render_releases(renderer: Format, job: Job, jobs: int) -> Iterator[list[Output]]:
    """Outputs of each stale release, in order; forked workers share the imported renderer."""
    if jobs <= 1:
        _init_worker(renderer, job)
        yield from (_render_one(i) for i in range(len(job.documents)))
        return
    import multiprocessing  # only when there is a batch to share out

    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker, initargs=(renderer, job),
                      maxtasksperchild=RECYCLE) as pool:
        yield from pool.imap(_render_one, range(len(job.documents)))


def context(doc: Document) -> str:
    """What a release's own outputs show of other releases (the versions in other languages it
    links to), as a short hash."""
    return _context_of(repr(doc.versions))


@lru_cache(maxsize=4096)
def _context_of(versions: str) -> str:
    return hashlib.sha256(versions.encode("utf-8")).hexdigest()[:16]


class Contexts:
    """Each release's `context` when a format last rendered it, kept in .build/: a translation
    added, withdrawn or deleted changes what its siblings link to, so they are rendered again
    although their sources did not change (an incremental build equals a clean one)."""

    def __init__(self, records: Path | None, fmt: str) -> None:
        self.path = records / f"context-{fmt}.json" if records else None
        try:  # without a record, every release with translations is rendered again
            found = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
        except (OSError, ValueError):
            found = {}
        self.previous: dict[str, str] = found if isinstance(found, dict) else {}

    def save(self, documents: list[Document]) -> None:
        """Record the contexts the format's outputs now show."""
        now = {d.release.slug: context(d) for d in documents}
        if self.path is not None and now != self.previous:
            write_if_changed(self.path, json.dumps(now, indent=0, sort_keys=True) + "\n")


def picture_users(documents: list[Document], source_dir: Path) -> dict[Path, set[Path]]:
    """Each picture the releases show (resolved) -> the sources of the releases showing it."""
    folder = source_dir.resolve()
    users: dict[Path, set[Path]] = {}
    for doc in documents:
        for picture in pictures_read([doc], folder, ""):
            users.setdefault(picture.resolve(), set()).add(folder / (doc.release.slug + ".md"))
    return users


def select(fmt: str, documents: list[Document], options: BuildOptions,
           contexts: dict[str, str] | None = None,
           users: dict[Path, set[Path]] | None = None) -> list[Document]:
    """The releases whose outputs (and collections) must be renewed (`users`: what
    `picture_users` says of these documents, if known)."""
    if options.changed is None:
        return documents
    alone = context(dataclasses.replace(documents[0], versions=())) if documents else ""
    moved = {d.release.id for d in documents
             if (contexts or {}).get(d.release.slug, alone) != context(d)}
    source_dir = options.source_dir.resolve()
    changed = {Path(p).resolve() for p in options.changed}
    names = {d.release.slug + ".md" for d in documents}
    # a picture changed: the releases showing it are stale
    pictures = users if users is not None else picture_users(documents, source_dir)
    if any(p not in pictures and (p.parent != source_dir or p.name not in names)
           for p in changed):
        return documents  # publication.yaml, a style, a template or the code changed
    changed = set().union(*(pictures.get(p, {p}) for p in changed))
    renderer = module(fmt)
    present = Listing(options.dist_dir)
    missing = {d.release.id for d in documents
               if not all(map(present, renderer.expected_release_paths(d)))}
    stale = {p.name for p in changed}
    return [d for d in documents if d.release.slug + ".md" in stale
            or d.release.id in missing | moved]


class Listing:
    """Whether a path below a folder exists, reading each subfolder's names once (a build of
    1000 releases asks for thousands of files: one stat each took a tenth of a second)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.names: dict[str, frozenset[str]] = {}

    def __call__(self, relpath: str) -> bool:
        folder, _, name = relpath.rpartition("/")
        if folder not in self.names:
            try:
                with os.scandir(under(self.root, folder) if folder else self.root) as found:
                    self.names[folder] = frozenset(e.name for e in found)
            except OSError:
                self.names[folder] = frozenset()
        return name in self.names[folder]


def _plain(name: str) -> bool:
    """A path make can take as a word (no space, no `$`, `:`, `%`, `#`, `\\`, `*`, `?`): what
    pressroom accepts under source/; anything else stays out of make's lists."""
    return not any(c in name for c in " \t\n$:%#\\*?[]=;'\"`|&<>()")


def orphans(renderer: Format, job: Job) -> list[Path]:
    """Files a format owns in dist/ that no release or collection accounts for any more."""
    found: list[Path] = []
    for pattern, expected in renderer.owned(job).items():
        found += [p for p in _glob(job.dist_dir, pattern)
                  if p.relative_to(job.dist_dir).as_posix() not in expected
                  and not is_temporary(p.name)]  # a live write's (the dead's: at the start)
    return sorted(found)


def _glob(root: Path, pattern: str) -> list[Path]:
    """`root.glob(pattern)`; a pattern whose wildcards are all in its last part (most) by one
    listing of its folder, several times quicker than pathlib over a thousand files."""
    folder, _, name = pattern.rpartition("/")
    if any(c in folder for c in "*?[") or "**" in name:
        return list(root.glob(pattern))
    where = root / folder if folder else root
    try:
        with os.scandir(where) as entries:
            names = [e.name for e in entries]
    except OSError:
        return []
    return [where / n for n in fnmatch.filter(names, name)]


def follow_packs(job: Job, progress: Progress) -> list[Path]:
    """Briefing packs follow what is public: a pack below dist/ holding a release that no
    longer is (withdrawn, held back, deleted) is made again of those of its releases that still
    are, with its keyword and on its paper, or removed when none is. Returns what was
    rewritten."""
    public = {d.release.id for d in job.all_documents} | {
        d.release.slug for d in job.all_documents}
    written: list[Path] = []
    for path in find_packs(job.dist_dir):
        pack = read_pack(path)
        if pack is None or pack.releases <= public:
            continue
        kept = [d for d in job.all_documents
                if d.release.id in pack.releases or d.release.slug in pack.releases]
        gone = ", ".join(sorted(pack.releases - public))
        if not kept:
            path.unlink(missing_ok=True)
            progress.note(f"removed {path} (it held only releases no longer public: {gone})")
            continue
        from pressroom.render.pack import pack_pdf, paper_of  # WeasyPrint: only to remake one

        selection = Selection(keyword=pack.keyword)
        paper = paper_of(pack.size)
        write_atomic(path, pack_pdf(selection.select(kept),
                                    dataclasses.replace(job, paper=paper), selection))
        progress.note(f"wrote {path} (without {gone}: no longer public)")
        written.append(path)
    return written


def make_pack(source_dir: Path, styles_dir: Path, dist_dir: Path, out: str,
              selection: Selection, paper: Paper | None, now: datetime | None = None,
              waiting: Callable[[str], None] | None = None) -> Path:
    """`pressroom pack`: the selected public releases in one PDF at `dist_dir/out` (holding
    the tree's lock, as a build does)."""
    from pressroom.render.pack import pack_pdf

    relative = PurePosixPath(out)
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".pdf":
        raise UsageError(f"pressroom pack: --out must be a relative .pdf path inside the "
                         f"output folder, not {out!r}")
    taken = owner(relative.as_posix())
    if taken is not None:
        raise UsageError(f"pressroom pack: --out {out} is where the {taken} output lives (a "
                         f"build would overwrite or remove the pack there); choose another "
                         f"path, e.g. packs/{relative.name}")
    with tree_lock(state_dir(dist_dir), waiting or _tell):
        site = load_site(source_dir)
        documents = visibility.plan(prepare(site), now or datetime.now(UTC)).public
        chosen = selection.select(documents)
        if not chosen:
            raise UsageError("pressroom pack: no release matches the selection")
        pub = site.publication
        job = Job(documents=chosen, all_documents=documents, held=[], withdrawn=[],
                  publication=pub, source_dir=source_dir, styles_dir=styles_dir,
                  dist_dir=dist_dir, paper=paper or pub.paper, source_date=EPOCH)
        target = dist_dir / relative
        write_atomic(target, pack_pdf(chosen, job, selection))
        return target
