"""The release web page in a real browser: Debian's chromium, driven by Playwright.

Three sites are built and served together over HTTP on 127.0.0.1 (the pages carry a
Content-Security-Policy meta, which only means something over http(s), not file://):

- newsroom: tests/fixtures/newsroom judged on 30 March 2026 -- a photo release, an SVG chart, a
  corrected statement; the embargoed report, the withdrawn notice and the draft have no page;
- lifted: the same sources judged on 3 April 2026, once the embargo has lifted, so that the page
  with a reference symbol, a boilerplate, notes to editors and related links is checked too;
- seed: the repository's source/, and site: tests/fixtures/site (hostile text, links in the
  body, a source line) -- the shared session builds from conftest.

One browser serves the whole module. Each page must load without a console error or warning,
page error, failed request or broken image (a CSP violation is a console error, so this also
proves the policy lets our own stylesheet and images through); carry one NewsArticle JSON-LD
block and no other script; carry Open Graph and Twitter card tags and absolute feed links; fit a
phone; keep a readable measure on a desktop; print without the site chrome. Full-page
screenshots (phone and desktop) go to the test's temporary folder and, when
PRESSROOM_SCREENSHOTS names a folder, there too.

Without /usr/bin/chromium (Debian package chromium; `make test` installs it) the module is
skipped, except under CI (the CI environment variable set), where it fails instead.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pikepdf
import pytest
from PIL import Image

from .conftest import FIXTURES, ROOT, Built, run

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
# Headless, no sandbox (containers), and no background traffic: the machine may have no network,
# and chromium would otherwise keep trying to reach Google's services.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
if sync_playwright is None:
    MISSING = "the playwright package is not installed (pip install -e '.[test]')"
elif not CHROMIUM.is_file():
    MISSING = f"{CHROMIUM} is absent (Debian package chromium; `make test` installs it)"
else:
    MISSING = ""
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(MISSING) and not IN_CI, reason=MISSING)]

NEWSROOM = FIXTURES / "newsroom"
NOW = "2026-03-30T00:00:00Z"
LIFTED_NOW = "2026-04-03T00:00:00Z"
NEWSROOM_RELEASES = {"2026-03-12-chart", "2026-03-15-water-point",
                     "2026-03-20-corrected-statement"}
PHOTO = "newsroom/releases/2026-03-15-water-point.html"
CHART = "newsroom/releases/2026-03-12-chart.html"
CORRECTED = "newsroom/releases/2026-03-20-corrected-statement.html"
LIFTED = "lifted/releases/2026-04-02-embargoed-report.html"
SITE_LINKS = "site/releases/2026-03-10-water-rights.html"
SITES = ("newsroom", "lifted", "seed", "site", "languages")
LANGUAGES = FIXTURES / "languages"

PHONE: dict[str, Any] = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2,
                         "is_mobile": True, "has_touch": True}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}

# The longest line a body paragraph may set on a desktop, in ems of its own font size. A serif
# text face averages about half an em per character, spaces included (Noto Serif, measured on the
# seed: 0.48em), so 40em is some 80-85 characters: the top of the 45-80 character range
# typographers call comfortable. web.css sets 36em (about 75); the slack is for other fonts.
MAX_MEASURE_EM = 40
# ... and the shortest, so that a broken layout squeezing the text into a sliver fails too.
MIN_MEASURE_EM = 25
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)")


# --- the sites, the server, the browser ---------------------------------------------------------

@dataclass
class Sites:
    """The built sites, served under http://127.0.0.1:<port>/<site>/."""

    root: Path
    url: str
    dists: dict[str, Path] = field(default_factory=dict)

    def releases(self, site: str) -> list[str]:
        """Paths (below the server root) of the site's release pages."""
        return [f"{site}/releases/{p.name}"
                for p in sorted((self.dists[site] / "releases").glob("*.html"))]

    def pages(self, site: str) -> list[str]:
        """The site's distinct release pages (see all_releases) and its index."""
        return [*(p for p in self.all_releases() if p.startswith(f"{site}/")),
                f"{site}/index.html"]

    def all_releases(self) -> list[str]:
        """Every distinct release page: the lifted site repeats the newsroom's pages (the same
        sources, the same output), so only the pages the embargo kept back are taken from it."""
        seen: set[str] = set()
        paths = []
        for site in self.dists:
            for path in self.releases(site):
                if Path(path).name not in seen:
                    seen.add(Path(path).name)
                    paths.append(path)
        return paths


class _Handler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        # Browsers ask the host for /favicon.ico on their own; the host's icon (or its absence)
        # is the web server's business, not the page's, so this host has "no icon" (204).
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, seed_build: Built,
          site_build: Built) -> Iterator[Sites]:
    root = tmp_path_factory.mktemp("web")
    for name, now in (("newsroom", NOW), ("lifted", LIFTED_NOW)):
        # The web page and the feeds it links to; the PDF and EPUB are not fetched by the page.
        result = run("--source", str(NEWSROOM), "--styles", str(ROOT / "styles"), "build",
                     "--dist", str(root / name), "--format", "html,feed", "--no-cache",
                     "--now", now, "--quiet")
        assert result.code == 0, result.err
    result = run("--source", str(LANGUAGES), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(root / "languages"), "--format", "html,feed", "--no-cache",
                 "--quiet")
    assert result.code == 0, result.err
    (root / "seed").symlink_to(seed_build.dist, target_is_directory=True)
    (root / "site").symlink_to(site_build.dist, target_is_directory=True)
    handler = functools.partial(_Handler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Sites(root, f"http://127.0.0.1:{server.server_address[1]}/",
                    {name: root / name for name in SITES})
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if MISSING:
        pytest.fail(f"CI is set but {MISSING}")
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Tab:
    """One tab reused for page after page (opening a tab costs some 0.3 s here), recording every
    console error or warning, page error, failed request and error response of the last load."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.url} {request.failure}"))
        self.page.on("response", lambda response: self.problems.append(
            f"HTTP {response.status}: {response.url}") if response.status >= 400 else None)

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text} ({message.location})")

    def open(self, url: str, *, settle: bool = False) -> Page:
        """Load url; settle: also wait until the network has been idle for 500 ms, so that late
        requests (and their errors) are caught."""
        self.problems = []
        response = self.page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            self.problems.append(f"{url}: status {response.status if response else None}")
        if settle:
            self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture(scope="module")
def screenshot_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Where screenshots and printed PDFs go: the test's temporary folder, and the folder
    PRESSROOM_SCREENSHOTS names, if any (so that `make preview` can show them)."""
    folders = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("PRESSROOM_SCREENSHOTS"):
        folders.append(Path(os.environ["PRESSROOM_SCREENSHOTS"]))
        folders[-1].mkdir(parents=True, exist_ok=True)
    return folders


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Tab]:
    context = browser.new_context(**PHONE)
    yield Tab(context)
    context.close()


@pytest.fixture(scope="module")
def desktop(browser: Browser) -> Iterator[Tab]:
    context = browser.new_context(**DESKTOP)
    yield Tab(context)
    context.close()


HEAD_JS = """() => {
  const meta = {};
  for (const m of document.querySelectorAll('meta[property], meta[name]')) {
    const key = m.getAttribute('property') || m.getAttribute('name');
    if (!(key in meta)) meta[key] = m.getAttribute('content');
  }
  const canonical = document.querySelectorAll('link[rel="canonical"]');
  return {
    meta,
    canonicals: [...canonical].map(l => l.getAttribute('href')),
    alternates: [...document.querySelectorAll('link[rel="alternate"]')].map(
      l => ({type: l.getAttribute('type'), href: l.getAttribute('href')})),
    h1: [...document.querySelectorAll('h1')].map(h => h.textContent),
    images: [...document.querySelectorAll('article img')].map(
      i => ({src: i.getAttribute('src'), alt: i.getAttribute('alt')})),
    corrections: [...document.querySelectorAll('.corrections .correction')].map(
      p => p.textContent),
  };
}"""


def head(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(HEAD_JS)
    return result


def squash(text: str) -> str:
    return " ".join(text.split())


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG 2) of a computed "rgb(r, g, b)" or "rgba(...)" colour."""
    channels = [int(float(c)) / 255 for c in re.findall(r"[\d.]+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(css_colour: str) -> float:
    return 1.05 / (luminance(css_colour) + 0.05)


# --- 1. loads cleanly ---------------------------------------------------------------------------

def test_only_public_releases_have_pages(sites: Sites) -> None:
    assert {Path(p).stem for p in sites.releases("newsroom")} == NEWSROOM_RELEASES
    assert LIFTED in sites.releases("lifted")
    assert sites.releases("seed"), "the seed build has no release page"
    assert SITE_LINKS in sites.releases("site")
    assert LIFTED in sites.all_releases() and PHOTO in sites.all_releases()


@pytest.mark.parametrize("site", SITES)
def test_pages_load_without_errors(sites: Sites, desktop: Tab, site: str) -> None:
    paths = sites.pages(site)
    if site == "newsroom":
        paths.append("newsroom/archive/page-1.html")
    problems: dict[str, list[str]] = {}
    for path in paths:
        page = desktop.open(sites.url + path, settle=True)
        broken = page.eval_on_selector_all(
            "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0))"
                   ".map(i => i.currentSrc || i.getAttribute('src'))")
        # The stylesheet arrived and applies (the CSP let it through).
        rules = page.evaluate("() => [...document.styleSheets].map(s => s.cssRules.length)")
        max_width = page.evaluate("() => getComputedStyle(document.body).maxWidth")
        found = [*desktop.problems, *(f"image not loaded: {src}" for src in broken)]
        if not rules or min(rules) == 0 or max_width == "none":
            found.append(f"pressroom.css did not apply: rules {rules}, max-width {max_width}")
        if found:
            problems[path] = found
    assert not problems, json.dumps(problems, indent=1)


def test_figures_are_loaded(sites: Sites, desktop: Tab) -> None:
    for path in (PHOTO, CHART):
        page = desktop.open(sites.url + path)
        sizes = page.eval_on_selector_all(
            "figure.image img", "imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
        assert len(sizes) == 1, path
        assert all(w > 0 and h > 0 for w, h in sizes), (path, sizes)


# --- 2. structured data (JSON-LD), and no script ------------------------------------------------

HANDLERS_JS = """() => [...document.querySelectorAll('*')].flatMap(
  e => [...e.attributes].filter(a => a.name.toLowerCase().startsWith('on'))
                        .map(a => e.tagName + ' ' + a.name))"""
JSON_LD_JS = """() => JSON.parse(
  document.querySelector('script[type="application/ld+json"]').textContent)"""


def test_json_ld_news_article(sites: Sites, desktop: Tab) -> None:
    for path in sites.all_releases():
        page = desktop.open(sites.url + path)
        assert page.locator('script[type="application/ld+json"]').count() == 1, path
        assert page.locator("script").count() == 1, f"{path}: a script other than JSON-LD"
        assert page.evaluate(HANDLERS_JS) == [], f"{path}: event handler attributes"
        data = page.evaluate(JSON_LD_JS)
        info = head(page)
        assert data["@context"] in ("https://schema.org", "https://schema.org/"), path
        assert data["@type"] == "NewsArticle", path
        assert len(info["h1"]) == 1, f"{path}: {len(info['h1'])} h1 elements"
        assert data["headline"] == squash(info["h1"][0]), path
        for key in ("datePublished", "dateModified"):
            assert ISO_WITH_OFFSET.fullmatch(data[key]), f"{path}: {key} {data[key]!r}"
        published = datetime.fromisoformat(data["datePublished"])
        assert datetime.fromisoformat(data["dateModified"]) >= published, path
        assert data["url"] == info["canonicals"][0], path
        assert data.get("description") and data.get("publisher", {}).get("name"), path
        if info["images"]:
            # The figure on the page is the one announced: its src, resolved against the
            # canonical address, is the structured image's URL.
            image_url = urljoin(info["canonicals"][0], info["images"][0]["src"])
            assert data["image"]["url"] == image_url, path
        else:
            assert "image" not in data, path
        if Path(path).name == Path(CORRECTED).name:
            corrections = data["correction"]
            assert len(corrections) == len(info["corrections"]) == 2
            for item in corrections:
                assert item["@type"] == "CorrectionComment"
                assert ISO_WITH_OFFSET.fullmatch(item["datePublished"]), item
                assert any(item["text"] in squash(t) for t in info["corrections"]), item
        else:
            assert "correction" not in data, path
    assert CORRECTED in sites.all_releases()


# --- 3. Open Graph, Twitter card, canonical and feed links --------------------------------------

def _feeds_are_absolute(sites: Sites, path: str, alternates: list[dict[str, str]]) -> None:
    types = {a["type"]: a["href"] for a in alternates}
    assert {"application/atom+xml", "application/rss+xml"} <= types.keys(), (path, types)
    site = path.split("/")[0]
    for kind in ("application/atom+xml", "application/rss+xml"):
        href = types[kind]
        parts = urlsplit(href)
        assert parts.scheme == "https" and parts.netloc, f"{path}: {href} is not absolute"
        # ... and names a feed the build wrote (feed/atom.xml below the publication's base).
        assert (sites.dists[site] / "feed" / Path(parts.path).name).is_file(), href


def test_social_tags_canonical_and_feeds(sites: Sites, desktop: Tab) -> None:
    for path in sites.all_releases():
        info = head(desktop.open(sites.url + path))
        meta, h1 = info["meta"], squash(info["h1"][0])
        assert len(info["canonicals"]) == 1, path
        canonical = info["canonicals"][0]
        assert urlsplit(canonical).scheme == "https", canonical
        assert canonical.endswith(path.split("/", 1)[1]), (path, canonical)
        assert meta.get("og:type") == "article", path
        assert meta.get("og:title") == h1, path
        assert meta.get("og:description") and meta["og:description"] == meta.get("description")
        assert meta.get("og:url") == canonical, path
        assert meta.get("og:site_name"), path
        # the first Open Graph image is the release's cover (the epub format publishes it)
        cover = urljoin(canonical, f"../covers/{Path(path).stem}.png")
        assert meta.get("og:image") == cover, path
        assert meta.get("og:image:alt") == h1, path
        if info["images"]:
            assert meta.get("twitter:card") == "summary_large_image", path
            assert meta.get("twitter:image") == urljoin(canonical, info["images"][0]["src"]), path
            assert meta.get("twitter:image:alt") == info["images"][0]["alt"] != "", path
        else:
            assert meta.get("twitter:card") == "summary", path
        assert meta.get("twitter:title") == h1, path
        _feeds_are_absolute(sites, path, info["alternates"])


def test_index_links_to_the_feeds(sites: Sites, desktop: Tab) -> None:
    for site in sites.dists:
        info = head(desktop.open(f"{sites.url}{site}/index.html"))
        assert len(info["canonicals"]) == 1 and info["canonicals"][0].startswith("https://")
        _feeds_are_absolute(sites, f"{site}/index.html", info["alternates"])


# --- 4. phone and desktop -----------------------------------------------------------------------

PHONE_JS = """() => {
  const width = window.innerWidth;
  const paragraphs = [...document.querySelectorAll('.body p, .releases .summary')];
  return {
    width,
    scrollWidth: document.documentElement.scrollWidth,
    fontSizes: paragraphs.map(p => parseFloat(getComputedStyle(p).fontSize)),
    images: [...document.querySelectorAll('img')].map(i => {
      const r = i.getBoundingClientRect();
      return {left: r.left, right: r.right, width: r.width, height: r.height};
    }),
    offenders: [...document.querySelectorAll('body *')].filter(
      e => e.getBoundingClientRect().right > width + 0.5).map(
      e => e.tagName + '.' + e.className).slice(0, 5),
  };
}"""


def test_phone_layout(sites: Sites, phone: Tab) -> None:
    for path in [*sites.all_releases(), *(f"{s}/index.html" for s in sites.dists)]:
        got = phone.open(sites.url + path).evaluate(PHONE_JS)
        assert got["width"] == PHONE["viewport"]["width"], path
        assert got["scrollWidth"] <= got["width"], f"{path} scrolls sideways: {got['offenders']}"
        assert got["fontSizes"], f"{path}: no body text found"
        assert min(got["fontSizes"]) >= 16, f"{path}: text below 16px: {got['fontSizes']}"
        for image in got["images"]:
            assert image["width"] > 0 and image["height"] > 0, (path, image)
            assert image["left"] >= 0 and image["right"] <= got["width"], (path, image)


def test_phone_figure_fills_the_column(sites: Sites, phone: Tab) -> None:
    page = phone.open(sites.url + PHOTO)
    figure = page.locator("figure.image img").bounding_box()
    column = page.locator("article.release").bounding_box()
    assert figure and column
    # 2000 px wide: scaled down to the column, the aspect ratio kept (2000 x 1333).
    assert abs(figure["width"] - column["width"]) <= 1
    assert abs(figure["height"] / figure["width"] - 1333 / 2000) < 0.01


MEASURE_JS = """() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  paragraphs: [...document.querySelectorAll('.release .body p')].map(
    p => [p.getBoundingClientRect().width, parseFloat(getComputedStyle(p).fontSize)]),
})"""


def test_desktop_measure(sites: Sites, desktop: Tab) -> None:
    for path in sites.all_releases():
        got = desktop.open(sites.url + path).evaluate(MEASURE_JS)
        assert got["paragraphs"], path
        assert got["overflow"] <= 0, path
        for width, size in got["paragraphs"]:
            assert size >= 16, (path, size)
            # Paragraphs one line long still span the column: this is the column's measure.
            assert MIN_MEASURE_EM <= width / size <= MAX_MEASURE_EM, (path, width, size)


# --- 5. print -----------------------------------------------------------------------------------

PRINT_JS = """() => {
  const style = s => s ? getComputedStyle(s) : null;
  return {
    nav: style(document.querySelector('nav.site'))?.display,
    aside: style(document.querySelector('aside.downloads'))?.display,
    article: style(document.querySelector('article'))?.display,
    links: [...document.querySelectorAll('article a')].map(
      a => ({href: a.getAttribute('href'), colour: getComputedStyle(a).color,
             display: getComputedStyle(a).display, text: a.textContent,
             cited: !!a.closest('.body, .notes, .related, .based-on'),
             after: getComputedStyle(a, '::after').content})),
  };
}"""


@pytest.mark.parametrize("which", ["photo", "lifted", "seed", "site"])
def test_print(sites: Sites, desktop: Tab, screenshot_dirs: list[Path], which: str) -> None:
    path = {"photo": PHOTO, "lifted": LIFTED, "seed": sites.releases("seed")[0],
            "site": SITE_LINKS}[which]
    page = desktop.open(sites.url + path)
    page.emulate_media(media="print")
    try:
        got = page.evaluate(PRINT_JS)
        pdf = page.pdf(format="A4")
    finally:
        page.emulate_media(media="screen")
    assert got["nav"] == "none" and got["aside"] == "none", got
    assert got["article"] != "none"
    assert got["links"], path
    for link in got["links"]:
        assert link["display"] != "none", link
        # Dark on paper: WCAG AA asks 4.5:1 of body text.
        assert contrast_on_white(link["colour"]) >= 4.5, link
    # Web links in the text, the notes, the related links and the source line print their
    # address after their text (unless the text is the address); no other link does (contacts
    # and the page's own address show theirs already).
    spelt_out = [link for link in got["links"]
                 if link["cited"] and link["href"].startswith(("http:", "https:"))
                 and link["href"].split("//", 1)[1] not in squash(link["text"])]
    for link in got["links"]:
        if link in spelt_out:
            assert link["href"] in link["after"], link
        elif not link["cited"]:
            assert link["after"] in ("none", "normal"), link
    if which in ("lifted", "site"):
        assert spelt_out, f"{path}: the outside links the test relies on are gone"
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    with pikepdf.open(BytesIO(pdf)) as document:
        assert len(document.pages) >= 1
    for folder in screenshot_dirs:
        (folder / f"{path.split('/')[0]}-{Path(path).stem}-print.pdf").write_bytes(pdf)


# --- 6. screenshots -----------------------------------------------------------------------------

@pytest.mark.parametrize("device", ["phone", "desktop"])
@pytest.mark.parametrize("which", ["photo", "seed"])
def test_screenshots(sites: Sites, phone: Tab, desktop: Tab, screenshot_dirs: list[Path],
                     device: str, which: str) -> None:
    path = PHOTO if which == "photo" else sites.releases("seed")[0]
    tab = phone if device == "phone" else desktop
    png = tab.open(sites.url + path).screenshot(full_page=True, type="png")
    name = f"{path.split('/')[0]}-{Path(path).stem}-{device}.png"
    for folder in screenshot_dirs:
        (folder / name).write_bytes(png)
    options = DEVICES[device]
    scale = options.get("device_scale_factor", 1)
    with Image.open(BytesIO(png)) as image:
        image.verify()
    with Image.open(BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width == options["viewport"]["width"] * scale, image.size
        assert image.height >= options["viewport"]["height"] * scale, image.size
        colours = image.convert("RGB").getcolors(maxcolors=4096)
    # None: more than 4096 colours. A blank or failed render has one or two.
    assert colours is None or len(colours) > 16, f"{name}: {len(colours or [])} colours"


@pytest.mark.parametrize(("language", "family"), [("ar", "Pressroom Naskh"),
                                                  ("zh", "Pressroom CJK Serif")])
def test_arabic_and_chinese_pages_use_pressrooms_fonts(
        sites: Sites, desktop: Tab, screenshot_dirs: list[Path], language: str,
        family: str) -> None:
    """The browser fetches the shipped face for the script (the CSP allows our fonts) and the
    Arabic page runs right to left."""
    page = desktop.open(f"{sites.url}languages/releases/2026-05-04-water-{language}.html",
                        settle=True)
    assert not desktop.problems
    loaded = page.evaluate("async () => { await document.fonts.ready; return [...document.fonts]"
                           ".filter(f => f.status === 'loaded').map(f => f.family); }")
    assert family in [name.strip('"') for name in loaded], loaded
    direction = page.evaluate("() => getComputedStyle(document.body).direction")
    assert direction == ("rtl" if language == "ar" else "ltr")
    for folder in screenshot_dirs:
        page.screenshot(path=str(folder / f"web-{language}-desktop.png"), full_page=True)
