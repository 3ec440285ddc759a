"""Previews: a picture of every output, and a contact sheet of them, in dist/preview/.

PDF pages are drawn by poppler's pdftoppm; web pages, EPUBs and the Atom feed by Debian's
chromium, driven by Playwright and launched once per run. Everything is served over http on
127.0.0.1 (a page's Content-Security-Policy means nothing on file://); an EPUB is unzipped and
paginated as a reading system would; the feed is laid out as a feed reader shows it. The
browser reaches nothing but that server: every host name and address but 127.0.0.1 fails to
resolve (LAUNCH_ARGS), and each tab aborts any request to another address or port. A picture
newer than its output is kept, so a second run does nothing; one whose output is gone is
removed. Every file lands by rename (build.write_atomic).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any

import feedparser
from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

from pressroom.errors import RenderError, UsageError
from pressroom.files import remove_stale_temporaries, write_atomic
from pressroom.fonts import FONTS_DIR
from pressroom.layout import FEED_PATHS, HELD, PREVIEW, STYLESHEET, state_dir, under
from pressroom.prepare import templates
from pressroom.prepare.document import direction
from pressroom.text import locale

CHROMIUM = Path("/usr/bin/chromium")
# Headless, no sandbox (containers), no background traffic (the machine may be offline), and no
# network: every name and address but 127.0.0.1 (the preview's server) resolves to nothing.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage",
               "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
VIEWS: dict[str, dict[str, Any]] = {  # a desktop, a phone, an e-reader, a feed reader's window
    "desktop": {"viewport": {"width": 1280, "height": 900}}, "phone": {
        "viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True},
    "reader": {"viewport": {"width": 600, "height": 800}},
    "feed": {"viewport": {"width": 1280, "height": 800}}}
WEB_VIEWS = ("desktop", "phone")
# A reading system's furniture around a chapter paginated by preview.html's "reader" style:
# the book's title above, the page count below.
READER_JS = """() => {
  const pages = Math.max(1, Math.round(document.documentElement.scrollWidth / innerWidth));
  for (const [text, where] of [[document.title, 'top: 24px'], [`1 / ${pages}`, 'bottom: 22px']]) {
    const line = document.body.appendChild(document.createElement('p'));
    line.className = 'reader-chrome'; line.style.cssText = where; line.textContent = text;
  }
}"""
FILES = (("pdf", "pdf", "pdf", "PDF brief, page {n}"), ("epub", "epub", "epub", "EPUB in a reader"),
         (f"../{HELD}", "pdf", "held/pdf", "Held-back PDF, page {n}"),
         (f"../{HELD}", "epub", "held/epub", "Held-back EPUB in a reader"),
         ("packs", "pdf", "packs", "Briefing pack, page {n}"))
"""Folders of dist/ with PDFs or EPUBs, where their pictures go, and their captions."""


@dataclass(frozen=True, slots=True)
class Source:
    """An output (`path` below dist/, `kind` pdf, epub, web or feed) and its pictures below
    preview/: `stem` and '-<page>.png' (PDF), '-desktop.png' and '-phone.png' (web) or '.png',
    captioned `caption` ({n}: page or device). `group`: the release's slug ('' for the site's
    own); `also`: files below dist/ whose change also makes them stale (the stylesheet)."""

    kind: str
    path: str
    stem: str
    group: str
    caption: str
    also: tuple[str, ...] = ()

    def pictures(self, out: Path) -> list[str]:
        """The pictures' paths below preview/ (for a PDF, those there now, in page order)."""
        if self.kind != "pdf":
            return [f"{self.stem}{end}.png" for end in
                    ([f"-{view}" for view in WEB_VIEWS] if self.kind == "web" else [""])]
        pattern = re.escape(PurePosixPath(self.stem).name) + r"-(\d+)\.png"
        numbers = sorted(int(m.group(1)) for p in out.glob(f"{self.stem}-*.png")
                         if (m := re.fullmatch(pattern, p.name)))
        return [f"{self.stem}-{n}.png" for n in numbers]

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
    """Every output that gets pictures: PDFs (public, held back, packs), per-release EPUBs,
    web pages (releases, home page, archive) and the Atom feed."""
    found = [Source(kind, f"{folder}/{p.name}", f"{where}/{p.stem}",
                    "" if folder == "packs" else p.stem, caption)
             for folder, kind, where, caption in FILES
             for p in sorted((dist / folder).glob(f"*.{kind}"))]
    html = [*sorted((dist / "releases").glob("*.html")), dist / "index.html"]
    for page in filter(Path.is_file, html + sorted((dist / "archive").glob("*.html"))):
        path = page.relative_to(dist).as_posix()
        slug = page.stem if path.startswith("releases/") else ""
        place = ("Web page" if slug else "Home page" if path == "index.html"
                 else "Archive " + page.stem.replace("-", " "))
        found.append(Source("web", path, "web/" + (slug or path[:-5].replace("/", "-")), slug,
                            place + " on a {n}", (STYLESHEET,)))
    if (dist / FEED_PATHS["atom"]).is_file():
        found.append(Source("feed", FEED_PATHS["atom"], "feed/atom", "", "Atom feed in a reader"))
    return found


def make_preview(dist_dir: Path, styles_dir: Path, *, resolution: int = 80,
                 releases: list[str] | None = None,
                 progress: Callable[[str], None] = lambda s: None) -> Path:
    """Write dist/preview/: a PNG of every PDF page at `resolution` dpi, desktop and phone
    screenshots of every web page, each EPUB's first screen in a reader, the Atom feed in a
    feed reader, and index.html, the contact sheet of them all; return the sheet's path.

    Pictures newer than their output are kept; `releases` (slugs) limits what is redrawn to
    theirs. UsageError when dist/ is not built or a tool is missing."""
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
    pdfs, shots = [s for s in todo if s.kind == "pdf"], [s for s in todo if s.kind != "pdf"]
    if pdfs and shutil.which("pdftoppm") is None:
        raise UsageError("pressroom preview: pdftoppm is missing (Debian package poppler-utils;"
                         " `make` installs it)")
    if shots and not CHROMIUM.is_file():
        raise UsageError(f"pressroom preview: {CHROMIUM} is missing: `make test` installs it "
                         "(or apt-get install chromium)")
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:  # pages drawn while chromium works
        drawn = [pool.submit(_draw_pdf, dist_dir / s.path, out, s, resolution) for s in pdfs]
        if shots:
            _photograph(shots, dist_dir, styles_dir, out, progress)
        for future in drawn:
            for path in future.result():
                progress(f"wrote {path}")
    return _contact_sheet(found, dist_dir, styles_dir, out)


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


def _photograph(shots: list[Source], dist: Path, styles_dir: Path, out: Path,
                progress: Callable[[str], None]) -> None:
    """Screenshots of web pages, EPUBs and the feed, in one chromium whose tabs reach only the
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
            (root / "dist").symlink_to(dist.resolve())  # served: web pages, EPUBs, images
            (root / "fonts").symlink_to((styles_dir / FONTS_DIR).resolve())  # the feed reader's
            style = templates.render(styles_dir, "preview.html", view="reader")  # the EPUB reader's
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
                    for view, path, name in _views(source, root, styles_dir):
                        page = tabs(view)
                        page.goto(url + path, wait_until="load")
                        page.evaluate("document.fonts.ready.then(() => true)")
                        if view == "reader":
                            page.add_style_tag(content=style)
                            page.evaluate(READER_JS)
                        write_atomic(out / name, page.screenshot(full_page=view in WEB_VIEWS))
                        progress(f"wrote {out / name}")
                browser.close()
            for address in blocked:
                progress(f"blocked {address[:200]}: the preview reaches only its own server")
        except Error as exc:
            raise RenderError(f"pressroom preview: chromium failed: {exc.message}") from None
        finally:
            http.shutdown()


def _views(source: Source, root: Path, styles_dir: Path) -> list[tuple[str, str, str]]:
    """(view, path below the served `root`, picture below preview/) of one output; the EPUB is
    unzipped and the feed reader's page written into `root` first."""
    if source.kind == "web":
        return [(view, f"dist/{source.path}", f"{source.stem}-{view}.png") for view in WEB_VIEWS]
    if source.kind == "epub":
        chapter = _unzip(root / "dist" / source.path, root / "books" / source.stem)
        return [("reader", f"books/{source.stem}/{chapter}", f"{source.stem}.png")]
    (root / "feed.html").write_text(_feed_view(root / "dist" / source.path, styles_dir), "utf-8")
    return [("feed", "feed.html", f"{source.stem}.png")]


def _unzip(epub: Path, folder: Path) -> str:
    """Unpack an EPUB; return the path of its first chapter (spine item) inside `folder`."""
    try:
        with zipfile.ZipFile(epub) as book:
            book.extractall(folder)
        container = etree.parse(folder / "META-INF" / "container.xml")
        package = str(container.xpath("string(//*[local-name()='rootfile']/@full-path)"))
        opf = etree.parse(folder / package)
        first = opf.xpath("string(//*[local-name()='itemref'][1]/@idref)")
        href = str(opf.xpath("string(//*[local-name()='item'][@id=$id]/@href)", id=first))
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise RenderError(f"{epub}: cannot read the EPUB: {exc}") from None
    return (PurePosixPath(package).parent / href).as_posix()


def _feed_view(atom: Path, styles_dir: Path) -> str:
    """The feed as a three-pane reader shows it: the subscription, the entries (title, date,
    summary), the newest one open. Its content is what feedparser leaves after sanitising,
    under a CSP that loads nothing but the site's own files (dist/ is served as /dist/)."""
    feed = feedparser.parse(atom.read_bytes())
    base = str(feed.feed.get("link", ""))
    entries = []
    for entry in feed.entries:
        content = (entry.get("content") or [{}])[0]
        body = lxml_html.fragment_fromstring(content.get("value", ""), create_parent="div")
        body.rewrite_links(lambda url: "/dist/" + url[len(base):]
                           if base and url.startswith(base) else url)
        language = str(content.get("language") or feed.feed.get("language") or "en")
        stamp = entry.get("published") or entry.get("updated")
        entries.append({
            "title": entry.get("title", ""), "author": entry.get("author", ""),
            "language": language, "direction": direction(language),
            "date": locale.format_date(datetime.fromisoformat(stamp), language) if stamp else "",
            "summary": entry.get("summary") if entry.get("summary") != content.get("value")
            else " ".join(body.text_content().split())[:300],
            "content": Markup(lxml_html.tostring(body, encoding="unicode"))})
    return templates.render(styles_dir, "preview.html", feed.feed.get("language", "en"),
                            view="feed", feed=feed.feed, entries=entries)


def _contact_sheet(found: list[Source], dist: Path, styles_dir: Path, out: Path) -> Path:
    """preview/index.html: the pictures grouped by release, newest first, after the site's own;
    each a thumbnail linking to the full-size PNG, captioned, with a link to the output."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for source in found:
        for name in (n for n in source.pictures(out) if (out / n).is_file()):
            with (out / name).open("rb") as png:
                header = png.read(24)  # PNG signature, IHDR: width and height at 16 and 20
            groups.setdefault(source.group, []).append(
                {"src": name, "width": int.from_bytes(header[16:20]),
                 "output": _link(out, dist, source.path),
                 "height": int.from_bytes(header[20:24]), "wide": source.kind == "feed",
                 "caption": source.caption.format(n=name.rsplit("-", 1)[-1][:-4])})
    order = [""] * ("" in groups) + sorted((g for g in groups if g), reverse=True)
    sections = []
    for slug in order:  # headed by the headline the web page shows (a held release: its slug)
        page = dist / "releases" / f"{slug}.html"
        title = lxml_html.parse(str(page)).xpath("string(//h1)") if page.is_file() else ""
        sections.append({"slug": slug, "title": " ".join(str(title).split()) or slug,
                         "pictures": groups[slug]})
    sheet = out / "index.html"
    data = templates.render(styles_dir, "preview.html", view="sheet", sections=sections).encode()
    if not sheet.is_file() or sheet.read_bytes() != data:
        write_atomic(sheet, data)
    return sheet


class _Quiet(SimpleHTTPRequestHandler):
    """Serves a folder without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass
