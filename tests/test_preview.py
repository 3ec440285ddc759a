"""`pressroom preview`: pictures of every output as real clients show it, and the contact
sheet, from real builds.

Two sites are pictured once for the module: the seed (a copy of the session's build, which other
tests read) and tests/fixtures/newsroom judged on 3 April 2026 (a photo, a chart, corrections,
an archive page). Every PDF page must have its PNG, every web page its desktop and phone
screenshots (Chromium), every EPUB its first page in Calibre, the Atom feed and the OPDS
catalogue their screens in newsboat, every e-mail its screens in NeoMutt: real PNGs, not blank,
and the terminal clients' captured text shows the headlines. The contact sheet must link only
files that exist and carry no script. A second run redraws nothing; a deleted output loses its
pictures; a missing dist/, chromium or pdftoppm is a UsageError saying what to run, a missing
client a line saying what to install. The browser reaches nothing but the preview's own
server, Calibre reaches no server at all, and no client leaves anything in HOME.

The clients are installed as `make preview` installs them (make preview-packages, a no-op once
they are); their tests are skipped only where apt-get is unavailable. Without
/usr/bin/chromium, Playwright or pdftoppm the drawing tests are skipped, except under CI (the CI
environment variable set), where they fail instead.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import os
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser
import pikepdf
import pytest
from lxml import html as lxml_html
from PIL import Image

from pressroom.editor import clients, preview, terminal
from pressroom.editor.preview import make_preview
from pressroom.errors import UsageError

from .conftest import FIXTURES, ROOT, Built, build_ok

STYLES = ROOT / "styles"
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
if importlib.util.find_spec("playwright") is None:
    MISSING = "the playwright package is not installed (pip install -e '.[test]')"
elif not preview.CHROMIUM.is_file():
    MISSING = f"{preview.CHROMIUM} is absent (Debian package chromium; `make test` installs it)"
elif shutil.which("pdftoppm") is None:
    MISSING = "pdftoppm is absent (Debian package poppler-utils; `make` installs it)"
else:
    MISSING = ""
_skip_without_tools = pytest.mark.skipif(bool(MISSING) and not IN_CI, reason=MISSING)


def needs_tools(test: Any) -> Any:
    """Draws with Chromium and pdftoppm: slow, and skipped without them (failed under CI)."""
    return pytest.mark.slow(_skip_without_tools(test))


@dataclass
class Pictured:
    dist: Path
    lines: list[str]
    """What the first run reported."""

    @property
    def out(self) -> Path:
        return self.dist.parent / ".build" / "preview"


def copy_built(dist: Path, to: Path) -> None:
    """A copy of a built dist/ at `to`, with what lies beside it: the press kit (held/) and the
    pictures already drawn (.build/preview/), times kept."""
    shutil.copytree(dist, to, symlinks=True)  # copy2: the outputs keep their times
    for beside in ("held", ".build/preview"):
        if (dist.parent / beside).is_dir():
            shutil.copytree(dist.parent / beside, to.parent / beside, symlinks=True)


@functools.cache
def _install_clients() -> str:
    """Install the clients as `make preview` does (make preview-packages); return what is
    still missing, or why they cannot be installed ('apt-get ...': a skip)."""
    if shutil.which("apt-get") is None:
        return "apt-get is unavailable: the clients (calibre newsboat neomutt tmux) cannot be " \
               "installed here"
    result = subprocess.run(["make", "--no-print-directory", "-s", "preview-packages"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    absent = [p for c in (clients.CALIBRE, clients.NEWSBOAT, clients.NEOMUTT) for p in c.missing()]
    return f"make preview-packages left {' '.join(absent)} missing: {result.stdout}" \
        f"{result.stderr}" if absent else ""


def needs_clients() -> None:
    """Skip where apt-get is unavailable; fail where the clients could not be installed."""
    if missing := _install_clients():
        if missing.startswith("apt-get"):
            pytest.skip(missing)
        pytest.fail(missing)


def _picture(dist: Path) -> Pictured:
    if MISSING:
        pytest.fail(f"CI is set but {MISSING}")
    needs_clients()
    lines: list[str] = []
    make_preview(dist, STYLES, progress=lines.append)
    return Pictured(dist, lines)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory, seed_build: Built) -> Pictured:
    dist = tmp_path_factory.mktemp("preview-seed") / "dist"
    shutil.copytree(seed_build.dist, dist, symlinks=True)  # copy2: the outputs keep their times
    return _picture(dist)


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Pictured:
    dist = tmp_path_factory.mktemp("preview-newsroom") / "dist"
    build_ok(FIXTURES / "newsroom", dist, "--no-cache", now="2026-04-03T00:00:00Z")
    return _picture(dist)


@pytest.fixture(params=["seed", "newsroom"])
def site(request: pytest.FixtureRequest) -> Pictured:
    pictured: Pictured = request.getfixturevalue(request.param)
    return pictured


def colours(png: Path) -> int:
    """Distinct colours in a picture (a blank or failed screenshot has one or two)."""
    with Image.open(png) as image:
        found = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(found or ())


def times(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


@needs_tools
def test_every_pdf_page_has_a_picture(site: Pictured) -> None:
    pdfs = sorted((site.dist / "pdf").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        with pikepdf.open(pdf) as document:
            pages = len(document.pages)
        drawn = sorted(p.name for p in (site.out / "pdf").glob(f"{pdf.stem}-*.png"))
        assert drawn == sorted(f"{pdf.stem}-{n}.png" for n in range(1, pages + 1)), pdf
        with Image.open(site.out / "pdf" / f"{pdf.stem}-1.png") as page:
            assert page.width > 500 and page.height > page.width  # A4 or Letter at 80 dpi
        assert colours(site.out / "pdf" / f"{pdf.stem}-1.png") > 16


@needs_tools
def test_every_web_page_has_desktop_and_phone_screenshots(site: Pictured) -> None:
    pages = sorted((site.dist / "releases").glob("*.html"))
    assert pages
    for name in [p.stem for p in pages] + ["index"]:
        with Image.open(site.out / "web" / f"{name}-desktop.png") as desktop:
            assert desktop.width == 1280 and desktop.height >= 900
        with Image.open(site.out / "web" / f"{name}-phone.png") as phone:
            assert phone.width == 750 and phone.height >= 1624  # 375 CSS pixels at 2x
        assert colours(site.out / "web" / f"{name}-desktop.png") > 16


def headlines(atom: Path) -> list[str]:
    """The entries' titles, newest first, as feedparser reads the feed (not newsboat)."""
    return [str(entry.title) for entry in feedparser.parse(atom.read_bytes()).entries]


def assert_a_real_picture(png: Path, width: tuple[int, int], height: tuple[int, int]) -> None:
    """A PNG of plausible size, not blank (a blank or failed picture has a colour or two)."""
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
    with Image.open(png) as image:
        assert width[0] <= image.width <= width[1] and height[0] <= image.height <= height[1], \
            (png, image.size)
    assert colours(png) > 16, png
    assert png.stat().st_size > 10_000, png


@needs_tools
def test_every_epub_has_its_first_page_as_calibre_lays_it_out(site: Pictured) -> None:
    epubs = sorted((site.dist / "epub").glob("*.epub"))
    assert epubs
    for epub in epubs:  # A5 at 110 dpi
        assert_a_real_picture(site.out / "epub" / f"{epub.stem}.png", (640, 645), (905, 912))
    assert "EPUB in Calibre (first page)" in (site.out / "index.html").read_text("utf-8")


@needs_tools
def test_the_feed_in_newsboat_lists_every_headline_and_opens_the_newest(site: Pictured) -> None:
    for name in ("atom-list", "atom-article"):
        assert_a_real_picture(site.out / "feed" / f"{name}.png", (900, 1100), (550, 800))
    titles = headlines(site.dist / "feed" / "atom.xml")
    assert titles
    listed, opened = clients.newsboat([site.dist / "feed" / "atom.xml"], articles=True)
    assert (listed.suffix, opened.suffix) == ("-list", "-article")
    for title in titles:  # as far as a 100-column line shows it
        assert title[:20] in listed.text, title
    assert f"Title: {titles[0][:40]}" in opened.text
    assert listed.png[:8] == opened.png[:8] == b"\x89PNG\r\n\x1a\n"


@needs_tools
def test_the_opds_catalogue_in_newsboat_lists_the_newest_releases(site: Pictured) -> None:
    assert_a_real_picture(site.out / "opds" / "index.png", (900, 1100), (550, 800))
    opds = site.dist / "opds"
    (shot,) = clients.newsboat([opds / "index.xml", opds / "new.xml"], articles=False)
    assert "Newest releases" in shot.text
    for title in headlines(opds / "new.xml"):
        assert title[:20] in shot.text, title


@needs_tools
def test_every_email_in_neomutt_shows_its_text_and_its_pdf_attachment(site: Pictured) -> None:
    emails = sorted((site.dist / "email").glob("*.eml"))
    assert emails
    for email in emails:
        for end in ("", "-attachments"):
            assert_a_real_picture(site.out / "email" / f"{email.stem}{end}.png", (900, 1100),
                                  (550, 800))
    email = emails[-1]
    title = lxml_html.parse(str(site.dist / "releases" / f"{email.stem}.html")).xpath(
        "string(//h1)")
    message, attachments = clients.neomutt(email)
    start = " ".join(str(title).split())[:30]
    assert f"Subject: {start}" in message.text
    assert "[-- Type: multipart/alternative" in message.text  # the text part shown, not HTML
    assert re.search(r"text/plain.*\n.*text/html.*\n.*" + re.escape(f"{email.stem}.pdf")
                     + r" +\[applica/pdf", attachments.text)


@needs_tools
def test_a_missing_client_skips_its_pictures_saying_what_to_install(
        seed: Pictured, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "dist"
    copy_built(seed.dist, dist)
    out = dist.parent / ".build" / "preview"
    kept = times(out)
    absent = clients.Client("Calibre", ("no-such-ebook-convert",), "calibre")
    monkeypatch.setitem(preview.CLIENTS, "epub", absent)
    for epub in dist.glob("epub/*.epub"):
        os.utime(epub)  # newer than its picture: stale
    lines: list[str] = []
    make_preview(dist, STYLES, progress=lines.append)
    assert lines == ["skipped pictures: Calibre is not installed (no-such-ebook-convert missing: "
                     "`make preview` installs it, or apt-get install calibre)"]
    assert times(out) == {**kept, "index.html": times(out)["index.html"]}  # nothing redrawn
    assert "No pictures: Calibre is not installed" in (out / "index.html").read_text("utf-8")


@needs_tools
def test_the_clients_leave_nothing_in_home_and_calibre_asks_no_server(
        seed: Pictured, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        canaries: tuple[list[str], list[str]]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    asked, (other_port, other_address) = canaries
    epub = next(seed.dist.glob("epub/*.epub"))
    hostile = tmp_path / "hostile.epub"
    asks = (f'<link rel="stylesheet" href="{other_port}a.css"/><style>@import url({other_port}'
            f'b.css); body {{ background: url({other_address}c.png) }}</style></head>')
    with zipfile.ZipFile(epub) as book, zipfile.ZipFile(hostile, "w") as copy:
        for item in book.infolist():
            data = book.read(item)
            if item.filename.endswith(".xhtml"):
                data = data.replace(b"</head>", asks.encode()).replace(
                    b"</p>", f'<img src="{other_address}d.png" alt=""/></p>'.encode(), 1)
            copy.writestr(item, data)
    (page,) = clients.calibre(hostile)
    assert page.png[:8] == b"\x89PNG\r\n\x1a\n"
    clients.newsboat([seed.dist / "feed" / "atom.xml"], articles=True)
    clients.neomutt(next(seed.dist.glob("email/*.eml")))
    assert asked == []
    assert list(home.iterdir()) == []


def test_a_terminal_screen_is_drawn_with_its_colours_and_attributes() -> None:
    screen = ("\x1b[1m\x1b[33m\x1b[44mTitle\x1b[0m plain \x1b[7mrev\x1b[27m"
              "\x1b[38;5;196mred\x1b[38;2;1;2;3mrgb\x1b[39m\n漢x")
    cells = {(row, column): (char, style)
             for row, column, char, style in terminal.cells(screen, 100)}
    assert cells[0, 0] == ("T", terminal._Style(foreground=3, background=4, bold=True))
    assert cells[0, 5] == (" ", terminal._Style())
    assert cells[0, 12][1].reverse and not cells[0, 15][1].reverse
    assert cells[0, 15][1].foreground == "#ff0000" and cells[0, 18][1].foreground == "#010203"
    assert cells[1, 0][0] == "漢" and cells[1, 2][0] == "x"  # a wide character takes two cells
    png = terminal.draw(screen, columns=40, rows=3)
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        assert rgb.width > 40 * 8 and rgb.height > 3 * 16
        found = {colour for _, colour in rgb.getcolors(maxcolors=1 << 16) or ()}
    assert {(0x34, 0x65, 0xA4), (0x1E, 0x1E, 0x1E)} <= found  # blue behind the title, background


@needs_tools
def test_newsroom_archive_page_and_headlines(newsroom: Pictured) -> None:
    assert (newsroom.out / "web" / "archive-page-1-desktop.png").is_file()
    sheet = (newsroom.out / "index.html").read_text("utf-8")
    assert "Archive page 1 on a desktop" in sheet
    assert "A new water point opens in a test village" in sheet  # sections carry headlines


@needs_tools
def test_contact_sheet_links_only_what_exists(site: Pictured) -> None:
    sheet = site.out / "index.html"
    tree = lxml_html.parse(str(sheet))
    assert not tree.xpath("//script") and b"<script" not in sheet.read_bytes()
    assert tree.xpath("/html/@lang") == ["en"]
    assert tree.xpath("//meta[@name='viewport']")
    images = tree.xpath("//img/@src")
    links = tree.xpath("//a/@href")
    pngs = {p.relative_to(site.out).as_posix() for p in site.out.rglob("*.png")}
    assert set(images) == pngs  # every picture shown, nothing else
    for target in images + links:
        assert not re.match(r"[a-z]+:|/", target), target  # relative links only
        assert (site.out / target).resolve().is_file(), target
    for img in tree.xpath("//img"):
        assert img.get("alt") and int(img.get("width")) > 0 and int(img.get("height")) > 0
    assert "EPUB in Calibre (first page)" in sheet.read_text("utf-8")


@needs_tools
def test_the_reports_name_every_picture(site: Pictured) -> None:
    reported = {line.removeprefix("wrote ") for line in site.lines}
    assert reported == {str(p) for p in site.out.rglob("*.png")}


@needs_tools
def test_a_second_run_redraws_nothing(site: Pictured) -> None:
    before = times(site.out)
    lines: list[str] = []
    make_preview(site.dist, STYLES, progress=lines.append)
    assert lines == []
    assert times(site.out) == before


@needs_tools
def test_a_changed_output_is_redrawn_and_a_deleted_one_loses_its_pictures(
        newsroom: Pictured, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    copy_built(newsroom.dist, dist)
    out = dist.parent / ".build" / "preview"
    gone, changed = "2026-03-12-chart", "2026-03-15-water-point"
    pages = sorted((out / "pdf").glob(f"{gone}-*.png"))
    assert pages
    (dist / "pdf" / f"{gone}.pdf").unlink()
    os.utime(dist / "epub" / f"{changed}.epub")  # newer than its picture now
    lines: list[str] = []
    make_preview(dist, STYLES, progress=lines.append)
    assert not list((out / "pdf").glob(f"{gone}-*.png"))
    assert (out / "epub" / f"{gone}.png").is_file()  # its EPUB is still there
    assert lines == [*(f"removed {p} (its output is gone)" for p in pages),
                     f"wrote {out / 'epub' / f'{changed}.png'}"]
    assert f"pdf/{gone}-1.png" not in (out / "index.html").read_text("utf-8")


def test_a_missing_dist_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nothing to preview .*`make`"):
        make_preview(tmp_path / "dist", STYLES)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="build it first"):
        make_preview(tmp_path / "empty", STYLES)


def test_missing_tools_are_usage_errors(seed_build: Built, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(seed_build.dist, dist, symlinks=True)
    monkeypatch.setattr(preview, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(UsageError, match=r"no-chromium is missing: `make test` installs it"):
        make_preview(dist, STYLES)
    monkeypatch.setattr(preview.shutil, "which", lambda name: None)
    with pytest.raises(UsageError, match="pdftoppm is missing"):
        make_preview(dist, STYLES)
    # refused before drawing anything
    assert not list((dist.parent / ".build" / "preview").rglob("*.png"))


def test_an_unknown_release_is_a_usage_error(seed_build: Built) -> None:
    with pytest.raises(UsageError, match="no outputs of 2099-01-01-nothing"):
        make_preview(seed_build.dist, STYLES, releases=["2099-01-01-nothing"])


@needs_tools
def test_releases_limits_what_is_redrawn(newsroom: Pictured, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    copy_built(newsroom.dist, dist)
    chosen, other = "2026-03-15-water-point", "2026-03-20-corrected-statement"
    for slug in (chosen, other):
        os.utime(dist / "epub" / f"{slug}.epub")
    lines: list[str] = []
    make_preview(dist, STYLES, releases=[chosen], progress=lines.append)
    assert lines == [f"wrote {dist.parent / '.build' / 'preview' / 'epub' / f'{chosen}.png'}"]


@needs_tools
def test_the_contact_sheet_fits_a_phone(newsroom: Pictured) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(preview.CHROMIUM),
                                             args=preview.LAUNCH_ARGS)
        page = browser.new_context(**preview.VIEWS["phone"]).new_page()
        page.goto((newsroom.out / "index.html").as_uri(), wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert width <= 375


# The browser reaches nothing but the preview's server.


class _Canary(SimpleHTTPRequestHandler):
    """Records every request it is asked, and serves something for each."""

    asked: list[str]

    def do_GET(self) -> None:
        self.asked.append(f"{self.server.server_address[0]}:{self.path}")
        body = b"body { background: red }" if self.path.endswith(".css") else b"x"
        self.send_response(200)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def canaries() -> Iterator[tuple[list[str], list[str]]]:
    """Two servers a page must never reach: another port of 127.0.0.1 and 127.0.0.2; yields
    (what they were asked, their base URLs)."""
    asked: list[str] = []
    handler = type("Canary", (_Canary,), {"asked": asked})
    servers = [ThreadingHTTPServer((host, 0), handler) for host in ("127.0.0.1", "127.0.0.2")]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield asked, [f"http://{s.server_address[0]}:{s.server_port}/" for s in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@needs_tools
def test_the_previewing_browser_reaches_nothing_but_the_preview_server(
        tmp_path: Path, canaries: tuple[list[str], list[str]]) -> None:
    asked, (other_port, other_address) = canaries
    port = other_port.rsplit(":", 1)[1]
    outside = [f"{other_port}a.css", f"{other_address}b.css", f"http://localhost:{port}c.css",
               f"http://[::1]:{port}d.css", f"http://2130706434:{other_address.rsplit(':', 1)[1]}"
               "e.css", "http://press.example.org/f.css", "https://fonts.example/g.woff2"]
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>Hostile</title>'
            + "".join(f'<link rel="stylesheet" href="{u}"/>' for u in outside[:6])
            + f"<style>@font-face {{ font-family: F; src: url({outside[6]}) }}"
            f" p {{ font-family: F }} body {{ background: url({other_port}h.png) }}</style>"
            "</head><body>"
            f'<p>Text</p><img src="{other_address}i.png" alt=""/>'
            f'<iframe src="{other_port}j.html"></iframe></body></html>')
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text(page, encoding="utf-8")
    lines: list[str] = []
    make_preview(dist, STYLES, progress=lines.append)
    assert asked == []
    # the page itself loaded
    assert (dist.parent / ".build" / "preview" / "web" / "index-desktop.png").is_file()
    blocked = {line.split(" ", 2)[1].removesuffix(":") for line in lines
               if line.startswith("blocked ")}
    assert {f"{other_port}a.css", f"{other_port}h.png", f"{other_address}i.png",
            f"{other_port}j.html"} <= blocked
    assert all(line.endswith(": the preview reaches only its own server")
               for line in lines if line.startswith("blocked "))


@needs_tools
def test_the_previewing_browser_resolves_no_name_and_no_address_but_its_own(
        canaries: tuple[list[str], list[str]]) -> None:
    """The launch flags alone, without the tabs' filter: 127.0.0.2, localhost, ::1 and every
    host name resolve to nothing; only 127.0.0.1 is reachable (the filter keeps other ports)."""
    from playwright.sync_api import Error, sync_playwright

    asked, (other_port, other_address) = canaries
    port = other_port.rsplit(":", 1)[1]
    refused = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(preview.CHROMIUM),
                                             args=preview.LAUNCH_ARGS)
        for url in (f"{other_address}x", f"http://localhost:{port}/x", f"http://[::1]:{port}/x",
                    "http://press.example.org/x"):
            with pytest.raises(Error, match="ERR_NAME_NOT_RESOLVED"):
                browser.new_page().goto(url)
            refused.append(url)
        browser.new_page().goto(f"{other_port}reachable")
        browser.close()
    assert len(refused) == 4
    assert set(asked) <= {"127.0.0.1:/reachable", "127.0.0.1:/favicon.ico"}
    assert "127.0.0.1:/reachable" in asked
