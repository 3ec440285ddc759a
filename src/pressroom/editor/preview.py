"""Previews: a picture of every output as a real client shows it, and a contact sheet of them,
in .build/preview/.

PDF pages are drawn by poppler's pdftoppm; web pages by Debian's chromium, driven by Playwright
and launched once per run; an EPUB by Calibre, the Atom feed and the OPDS catalogue by newsboat,
an e-mail by NeoMutt (clients.py: they read the files alone, and the terminal ones run in tmux,
their screens captured and drawn by terminal.py). A client that is not installed is skipped
with a line saying what to install, and the sheet says which pictures it lacks.

Web pages are served over http on 127.0.0.1 (a page's Content-Security-Policy means nothing on
file://). The browser reaches nothing but that server: every host name and address but
127.0.0.1 fails to resolve (LAUNCH_ARGS), and each tab aborts any request to another address
or port. A picture newer than its output is kept, so a second run does nothing; one whose
output is gone is removed. Every file lands by rename (files.write_atomic).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import html as lxml_html

from pressroom.editor import clients
from pressroom.errors import RenderError, UsageError
from pressroom.files import remove_stale_temporaries, write_atomic
from pressroom.layout import FEED_PATHS, HELD, OPDS_PATHS, PREVIEW, STYLESHEET, state_dir, under
from pressroom.prepare import templates

CHROMIUM = Path("/usr/bin/chromium")
# Headless, no sandbox (containers), no background traffic (the machine may be offline), and no
# network: every name and address but 127.0.0.1 (the preview's server) resolves to nothing.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage",
               "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWS: dict[str, dict[str, Any]] = {  # a desktop and a phone
    "desktop": {"viewport": {"width": 1280, "height": 900}}, "phone": {
        "viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True}}
SUFFIXES: dict[str, dict[str, str]] = {
    "web": {"-desktop": "desktop", "-phone": "phone"},
    "feed": {"-list": "the article list", "-article": "the newest article"},
    "opds": {"": "the newest releases"},
    "email": {"": "the message", "-attachments": "its attachments"},
    "epub": {"": ""}}
"""The pictures of each kind of output but a PDF (one a page): their names' endings and what
fills {n} in their captions."""
CLIENTS = {"epub": clients.CALIBRE, "feed": clients.NEWSBOAT, "opds": clients.NEWSBOAT,
           "email": clients.NEOMUTT}
"""Which client shows which kind of output (PDFs: pdftoppm; web pages: chromium)."""
FILES = (("pdf", "pdf", "pdf", "pdf", "PDF brief, page {n}"),
         ("epub", "epub", "epub", "epub", "EPUB in Calibre (first page)"),
         ("email", "eml", "email", "email", "E-mail in NeoMutt: {n}"),
         (f"../{HELD}", "pdf", "pdf", "held/pdf", "Held-back PDF, page {n}"),
         (f"../{HELD}", "epub", "epub", "held/epub", "Held-back EPUB in Calibre (first page)"),
         (f"../{HELD}", "eml", "email", "held/email", "Held-back e-mail in NeoMutt: {n}"),
         ("packs", "pdf", "pdf", "packs", "Briefing pack, page {n}"))
"""Folders of dist/ with files pictured one by one: their ending, their kind, where their
pictures go, and their captions."""


@dataclass(frozen=True, slots=True)
class Source:
    """An output (`path` below dist/, `kind` pdf, epub, web, feed, opds or email) and its
    pictures below preview/: `stem` and '-<page>.png' (PDF) or an ending of SUFFIXES and
    '.png', captioned `caption` ({n}: page, device or view). `group`: the release's slug (''
    for the site's own); `also`: files below dist/ whose change also makes them stale."""

    kind: str
    path: str
    stem: str
    group: str
    caption: str
    also: tuple[str, ...] = ()

    def pictures(self, out: Path) -> list[str]:
        """The pictures' paths below preview/ (for a PDF, those there now, in page order)."""
        if self.kind != "pdf":
            return [f"{self.stem}{end}.png" for end in SUFFIXES[self.kind]]
        pattern = re.escape(PurePosixPath(self.stem).name) + r"-(\d+)\.png"
        numbers = sorted(int(m.group(1)) for p in out.glob(f"{self.stem}-*.png")
                         if (m := re.fullmatch(pattern, p.name)))
        return [f"{self.stem}-{n}.png" for n in numbers]

    def caption_of(self, name: str) -> str:
        """The caption of one of its pictures."""
        end = name[len(self.stem):-len(".png")]
        return self.caption.format(n=end[1:] if self.kind == "pdf" else SUFFIXES[self.kind][end])

    def stale(self, dist: Path, out: Path) -> bool:
        """Whether a picture is missing (a page of a PDF too) or older than what it shows."""
        names = self.pictures(out)
        if not names or (self.kind == "pdf" and names[-1] != f"{self.stem}-{len(names)}.png"):
            return True
        newest = max((dist / p).stat().st_mtime_ns for p in (self.path, *self.also)
                     if (dist / p).exists())
        return any(not (out / n).exists() or (out / n).stat().st_mtime_ns < newest for n in names)


def _link(out: Path, dist: Path, path: str) -> str:
    """The address of an output below dist/ from the contact sheet in `out`."""
    return Path(os.path.relpath(under(dist, path), out)).as_posix()


def sources(dist: Path) -> list[Source]:
    """Every output that gets pictures: PDFs (public, held back, packs), per-release EPUBs and
    e-mails (public and held back), web pages (releases, home page, archive), the Atom feed and
    the OPDS catalogue."""
    found = [Source(kind, f"{folder}/{p.name}", f"{where}/{p.stem}",
                    "" if folder == "packs" else p.stem, caption)
             for folder, ending, kind, where, caption in FILES
             for p in sorted((dist / folder).glob(f"*.{ending}"))]
    html = [*sorted((dist / "releases").glob("*.html")), dist / "index.html"]
    for page in filter(Path.is_file, html + sorted((dist / "archive").glob("*.html"))):
        path = page.relative_to(dist).as_posix()
        slug = page.stem if path.startswith("releases/") else ""
        place = ("Web page" if slug else "Home page" if path == "index.html"
                 else "Archive " + page.stem.replace("-", " "))
        found.append(Source("web", path, "web/" + (slug or path[:-5].replace("/", "-")), slug,
                            place + " on a {n}", (STYLESHEET,)))
    if (dist / FEED_PATHS["atom"]).is_file():
        found.append(Source("feed", FEED_PATHS["atom"], "feed/atom", "",
                            "Atom feed in newsboat: {n}"))
    if (dist / OPDS_PATHS["root"]).is_file() and (dist / OPDS_PATHS["new"]).is_file():
        found.append(Source("opds", OPDS_PATHS["root"], "opds/index", "",
                            "OPDS catalogue in newsboat: {n}", (OPDS_PATHS["new"],)))
    return found


def make_preview(dist_dir: Path, styles_dir: Path, *, resolution: int = 80,
                 releases: list[str] | None = None,
                 progress: Callable[[str], None] = lambda s: None) -> Path:
    """Write .build/preview/: a PNG of every PDF page at `resolution` dpi, desktop and phone
    screenshots of every web page, each EPUB's first page in Calibre, the Atom feed and the
    OPDS catalogue in newsboat, each e-mail in NeoMutt, and index.html, the contact sheet of
    them all; return the sheet's path.

    Pictures newer than their output are kept; `releases` (slugs) limits what is redrawn to
    theirs. UsageError when dist/ is not built, or pdftoppm or chromium is missing; a missing
    client (Calibre, newsboat, NeoMutt, tmux) only skips its pictures, saying so."""
    found = sources(dist_dir) if dist_dir.is_dir() else []
    if not found:
        raise UsageError(f"{dist_dir}: nothing to preview (no PDF, EPUB, web page or feed): "
                         "build it first (`make`)")
    unknown = sorted(set(releases or ()) - {s.group for s in found})
    if unknown:
        raise UsageError(f"{dist_dir}: no outputs of {', '.join(unknown)} to preview")
    out = state_dir(dist_dir) / PREVIEW
    remove_stale_temporaries(out)
    known = {name for s in found if s.kind != "pdf" for name in s.pictures(out)}
    stems = {s.stem for s in found if s.kind == "pdf"}
    for png in sorted(out.rglob("*.png")) if out.is_dir() else ():
        name = png.relative_to(out).as_posix()
        if name not in known and re.sub(r"-\d+\.png$", "", name) not in stems:
            png.unlink(missing_ok=True)
            progress(f"removed {png} (its output is gone)")
    todo = [s for s in found
            if (releases is None or s.group in releases) and s.stale(dist_dir, out)]
    pdfs, shots = [s for s in todo if s.kind == "pdf"], [s for s in todo if s.kind == "web"]
    if pdfs and shutil.which("pdftoppm") is None:
        raise UsageError("pressroom preview: pdftoppm is missing (Debian package poppler-utils;"
                         " `make` installs it)")
    if shots and not CHROMIUM.is_file():
        raise UsageError(f"pressroom preview: {CHROMIUM} is missing: `make test` installs it "
                         "(or apt-get install chromium)")
    missing = _missing_clients({s.kind for s in found}, progress)
    others = [s for s in todo if s.kind in CLIENTS and s.kind not in missing]
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # pages drawn while chromium works
        drawn: list[Future[list[Path]]] = [
            pool.submit(_draw_pdf, dist_dir / s.path, out, s, resolution) for s in pdfs]
        drawn += [pool.submit(_show, s, dist_dir, out) for s in others]
        if shots:
            _photograph(shots, dist_dir, out, progress)
        for future in drawn:
            for path in future.result():
                progress(f"wrote {path}")
    return _contact_sheet(found, dist_dir, styles_dir, out, sorted(set(missing.values())))


def _missing_clients(kinds: set[str], progress: Callable[[str], None]) -> dict[str, str]:
    """The kinds of output whose client is not installed, each with a line saying so (said
    once a client)."""
    missing: dict[str, str] = {}
    for kind in sorted(kinds & CLIENTS.keys()):
        client = CLIENTS[kind]
        if absent := client.missing():
            missing[kind] = (f"{client.name} is not installed ({', '.join(absent)} missing: "
                             f"`make preview` installs it, or apt-get install {client.packages})")
    for line in sorted(set(missing.values())):
        progress(f"skipped pictures: {line}")
    return missing


def _show(source: Source, dist: Path, out: Path) -> list[Path]:
    """An output's pictures in its client (clients.py)."""
    path = under(dist, source.path)
    if source.kind == "epub":
        shots = clients.calibre(path)
    elif source.kind == "feed":
        shots = clients.newsboat([path], articles=True)
    elif source.kind == "opds":
        shots = clients.newsboat([path, dist / OPDS_PATHS["new"]], articles=False)
    else:
        shots = clients.neomutt(path)
    if source.kind == "opds":  # one picture: opds/index.png
        shots = [replace(shot, suffix="") for shot in shots]
    written = [out / f"{source.stem}{shot.suffix}.png" for shot in shots]
    for shot, target in zip(shots, written, strict=True):
        write_atomic(target, shot.png)
    return written


def _draw_pdf(pdf: Path, out: Path, source: Source, resolution: int) -> list[Path]:
    """Every page of one PDF as a PNG; pictures of pages it no longer has are removed."""
    with tempfile.TemporaryDirectory(prefix="pressroom-preview-") as tmp:
        result = subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf),
                                 f"{tmp}/page"], capture_output=True, text=True, check=False)
        if result.returncode:
            raise RenderError(f"{pdf}: pdftoppm failed: {result.stderr.strip()}")
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        written = [out / f"{source.stem}-{n}.png" for n in range(1, len(pages) + 1)]
        for page, target in zip(pages, written, strict=True):
            write_atomic(target, page.read_bytes())
    for extra in source.pictures(out)[len(written):]:
        (out / extra).unlink(missing_ok=True)
    return written


def _photograph(shots: list[Source], dist: Path, out: Path,
                progress: Callable[[str], None]) -> None:
    """Desktop and phone screenshots of web pages, in one chromium whose tabs reach only the
    preview's own server: any other request is aborted and reported."""
    try:
        from playwright.sync_api import Error, Route, sync_playwright
    except ImportError:
        raise UsageError("pressroom preview: the playwright package is missing: `make test` "
                         "installs it (pip install -e '.[test]')") from None
    with (tempfile.TemporaryDirectory(prefix="pressroom-preview-") as tmp,
          ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=tmp)) as http):
        threading.Thread(target=http.serve_forever, daemon=True).start()
        try:
            root, url = Path(tmp), f"http://127.0.0.1:{http.server_port}/"
            (root / "dist").symlink_to(dist.resolve())  # served: web pages, images, styles
            blocked: dict[str, None] = {}

            def only_ours(route: Route) -> None:
                if route.request.url.startswith(url):
                    route.continue_()
                else:
                    blocked[route.request.url] = None
                    route.abort("blockedbyclient")

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                     args=LAUNCH_ARGS)

                @functools.cache
                def tabs(view: str) -> Any:
                    context = browser.new_context(service_workers="block", **VIEWS[view])
                    context.route("**/*", only_ours)
                    return context.new_page()

                for source in shots:
                    for view in VIEWS:
                        page, name = tabs(view), f"{source.stem}-{view}.png"
                        page.goto(f"{url}dist/{source.path}", wait_until="load")
                        page.evaluate("document.fonts.ready.then(() => true)")
                        write_atomic(out / name, page.screenshot(full_page=True))
                        progress(f"wrote {out / name}")
                browser.close()
            for address in blocked:
                progress(f"blocked {address[:200]}: the preview reaches only its own server")
        except Error as exc:
            raise RenderError(f"pressroom preview: chromium failed: {exc.message}") from None
        finally:
            http.shutdown()


def _contact_sheet(found: list[Source], dist: Path, styles_dir: Path, out: Path,
                   missing: list[str]) -> Path:
    """preview/index.html: the pictures grouped by release, newest first, after the site's own;
    each a thumbnail linking to the full-size PNG, captioned, with a link to the output; and
    the clients that are missing, if any."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for source in found:
        for name in (n for n in source.pictures(out) if (out / n).is_file()):
            with (out / name).open("rb") as png:
                header = png.read(24)  # PNG signature, IHDR: width and height at 16 and 20
            width, height = int.from_bytes(header[16:20]), int.from_bytes(header[20:24])
            groups.setdefault(source.group, []).append(
                {"src": name, "width": width, "height": height,
                 "output": _link(out, dist, source.path), "wide": width > height,
                 "terminal": source.kind in ("feed", "opds", "email"),
                 "caption": source.caption_of(name)})
    order = [""] * ("" in groups) + sorted((g for g in groups if g), reverse=True)
    sections = []
    for slug in order:  # headed by the headline the web page shows (a held release: its slug)
        page = dist / "releases" / f"{slug}.html"
        title = lxml_html.parse(str(page)).xpath("string(//h1)") if page.is_file() else ""
        sections.append({"slug": slug, "title": " ".join(str(title).split()) or slug,
                         "pictures": groups[slug]})
    sheet = out / "index.html"
    data = templates.render(styles_dir, "preview.html", view="sheet", sections=sections,
                            missing=missing).encode()
    if not sheet.is_file() or sheet.read_bytes() != data:
        write_atomic(sheet, data)
    return sheet


class _Quiet(SimpleHTTPRequestHandler):
    """Serves a folder without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass
