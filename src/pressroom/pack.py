"""The briefing pack: many releases in one PDF, with a cover, a table of contents with page
numbers, bookmarks, and each release starting on a new page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from . import theme, visibility
from .build import EPOCH, write_atomic
from .document import prepare
from .errors import UsageError
from .grouping import Selection
from .model import Paper
from .render import Job
from .source import load_site

PACK_PATH = "packs/briefing-pack.pdf"


def make_pack(source_dir: Path, styles_dir: Path, dist_dir: Path, out: str,
              selection: Selection, paper: Paper | None, now: datetime | None = None) -> Path:
    """Render the selected releases into one PDF at `dist_dir/out`; return its path."""
    relative = PurePosixPath(out)
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".pdf":
        raise UsageError(f"pressroom pack: --out must be a relative .pdf path inside the "
                         f"output folder, not {out!r}")
    site = load_site(source_dir)
    documents = visibility.plan(prepare(site), now or datetime.now(UTC)).public
    chosen = selection.select(documents)
    if not chosen:
        raise UsageError("pressroom pack: no release matches the selection")
    from .render.pdf import figure_urls, logo_url, stylesheets, write_pdf

    pub = site.publication
    job = Job(documents=chosen, all_documents=documents, held=[], withdrawn=[], publication=pub,
              source_dir=source_dir, styles_dir=styles_dir, dist_dir=dist_dir,
              paper=paper or pub.paper, source_date=EPOCH)
    created: datetime = min(d.release.published for d in chosen)
    modified: datetime = max(d.release.updated for d in chosen)
    resources: dict[Path, tuple[bytes, str]] = {}
    figures = {d.release.slug: figure_urls(d, job, resources) for d in chosen}
    xhtml = theme.render(styles_dir, "pack.html", pub.language, pub=pub, documents=chosen,
                         selection=selection, logo=logo_url(job), format="pack",
                         created=created, modified=modified, figures=figures)
    identifier = f"{pub.feed.id}:pack:{chosen[-1].release.published:%Y-%m-%d}" \
                 f":{chosen[0].release.published:%Y-%m-%d}:{selection.keyword}"
    data = write_pdf(xhtml, job, stylesheets(job, pub.language), str(source_dir), identifier,
                     resources)
    target = dist_dir / relative
    write_atomic(target, data)
    return target
