"""Where everything lives below dist/ (and so below the publication's base URL).

The one home of the output layout: renderers write here, checks read here, `preview` finds its
pictures here, and the Makefile's output lists come from `outputs` (pressroom build writes them
into .build/outputs.mk). A path changed here changes everywhere at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path

from pressroom.fonts import WEB_FACES

RELEASE_PATHS = {
    "html": "releases/{slug}.html",
    "pdf": "pdf/{slug}.pdf",
    "epub": "epub/{slug}.epub",
    "ninjs": "ninjs/{slug}.json",
    "email": "email/{slug}.eml",
}
"""Each release's own outputs, by format."""
HELD = "held"
HELD_PATHS = {"pdf": f"../{HELD}/{{slug}}.pdf", "epub": f"../{HELD}/{{slug}}.epub",
              "email": f"../{HELD}/{{slug}}.eml"}
"""A release held back (embargoed, or a draft built on request) gets its press-kit PDF, EPUB
and e-mail in held/ beside dist/ (paths here are below dist/, hence `../`): dist/ is exactly
what is published, and publishing it never publishes a release under embargo."""
PREVIEW = "preview"
"""`pressroom preview`'s pictures and contact sheet, in the build state (.build/preview/):
dist/ holds nothing that is not published."""

FEED_PATHS = {"atom": "feed/atom.xml", "rss": "feed/rss.xml", "json": "feed/feed.json"}
FEED_MANIFEST = "feed/archive/manifest.json"
INDEX_PATH = "index.html"
INDEX_MANIFEST = "archive/manifest.json"
STYLESHEET = "assets/pressroom.css"
WEB_FONTS = "assets/fonts"
IMAGES = "images"
COVERS = "covers"
"""Each public release's cover picture (the web page's Open Graph image, the OPDS entry's
image; the same bytes as the cover in its EPUB): covers/<release>.png. The epub format writes
each with its book (drawn once); a release held back has none in dist/."""
DIGESTS = "epub/digests"
DIGEST_MANIFEST = f"{DIGESTS}/manifest.json"
PACK_PATH = "packs/briefing-pack.pdf"
OPDS = "opds"
OPDS_PATHS = {"root": f"{OPDS}/index.xml", "new": f"{OPDS}/new.xml",
              "month": f"{OPDS}/months.xml", "language": f"{OPDS}/languages.xml",
              "kind": f"{OPDS}/kinds.xml"}
"""The OPDS 1.2 catalogue's navigation feeds (the root, and one per way of browsing: by month,
language, kind) and the acquisition feed of the newest releases."""
OPDS_MANIFEST = f"{OPDS}/manifest.json"
OPDS_GROUPS = ("archive", "month", "language", "kind")
"""The OPDS acquisition feeds of a group of releases: 'archive/page-1', 'month/2017-01',
'language/fr', 'kind/statement' (`opds_path`)."""


STATE = ".build"
"""Build state, beside the output folder: caches, make's stamps; never published."""


def state_dir(dist: Path) -> Path:
    """The build-state folder of an output folder (`.build/` beside `dist/`)."""
    return dist.parent / STATE


def under(dist: Path, relpath: str) -> Path:
    """The file at `relpath` below `dist` ('../held/x.pdf' is held/x.pdf beside it)."""
    return Path(os.path.normpath(dist / relpath))


def release_path(fmt: str, slug: str) -> str:
    """Path of a public release's output below dist/."""
    return RELEASE_PATHS[fmt].format(slug=slug)


def held_path(fmt: str, slug: str) -> str:
    """Path of a held-back release's press-kit output below dist/."""
    return HELD_PATHS[fmt].format(slug=slug)


def image_path(slug: str, extension: str) -> str:
    """Where a release's figure is published."""
    return f"{IMAGES}/{slug}.{extension}"


def cover_path(slug: str) -> str:
    """Where a public release's cover picture is published."""
    return f"{COVERS}/{slug}.png"


def body_image_path(slug: str, src: str) -> str:
    """Where a picture shown in a release's body (`![alt](images/chart.png)`) is published:
    'images/<release>--chart.png' (the extension by type: .jpeg is written .jpg)."""
    name = src.rsplit("/", 1)[-1]
    stem, _, suffix = name.rpartition(".")
    safe = "-".join(part for part in re.split(r"[^a-z0-9]+", stem.lower()) if part) or "image"
    extension = {"jpeg": "jpg"}.get(suffix.lower(), suffix.lower())
    return f"{IMAGES}/{slug}--{safe}.{extension}"


def web_font_path(name: str) -> str:
    """A font file the web pages load."""
    return f"{WEB_FONTS}/{name}"


def language_feed_paths(language: str) -> dict[str, str]:
    """Feeds of the releases in one language (when a publication has several)."""
    return {kind: path.replace("feed/", f"feed/{language}/") for kind, path in FEED_PATHS.items()}


def feed_urls(base_url: str) -> dict[str, str]:
    """Absolute URLs of the Atom, RSS and JSON feeds."""
    return {name: base_url + path for name, path in FEED_PATHS.items()}


def feed_archive_path(number: int) -> str:
    """Atom archive document `number` (1 = oldest)."""
    return f"feed/archive/atom-{number}.xml"


def index_archive_path(number: int) -> str:
    """Index archive page `number` (1 = oldest)."""
    return f"archive/page-{number}.html"


def opds_path(key: str) -> str:
    """An OPDS acquisition feed of a group of releases ('month/2017-01', 'archive/page-1')."""
    return f"{OPDS}/{key}.xml"


def opds_archive_key(number: int) -> str:
    """The group key of OPDS archive page `number` (1 = oldest)."""
    return f"archive/page-{number}"


def digest_path(key: str) -> str:
    """A digest EPUB: 'all', a month ('2017-01') or a language ('language/fr')."""
    return f"{DIGESTS}/{key}.epub"


@dataclass(frozen=True, kw_only=True, slots=True)
class Published:
    """What a build publishes, in the terms its paths are made of (`plan.grouping.published`
    works it out from the releases)."""

    public: tuple[str, ...] = ()
    """Slugs of the public releases."""
    held: tuple[str, ...] = ()
    """Slugs of the releases held back (press-kit PDF and EPUB in held/)."""
    images: tuple[str, ...] = ()
    """The public releases' figures and body pictures, as paths below dist/ (`image_path`,
    `body_image_path`)."""
    digests: tuple[str, ...] = ()
    """Digest keys: 'all', months, languages ('language/fr')."""
    languages: tuple[str, ...] = ()
    """Languages with feeds of their own (when the public releases have more than one)."""
    archives: int = 0
    """Full archive pages: Atom archive documents and index pages alike."""
    kinds: tuple[str, ...] = ()
    """The kinds of the public releases (each has an OPDS feed)."""


def _pdf(site: Published) -> dict[str, set[str]]:
    return {"pdf/*.pdf": {release_path("pdf", s) for s in site.public},
            f"../{HELD}/*.pdf": {held_path("pdf", s) for s in site.held}}


def _epub(site: Published) -> dict[str, set[str]]:
    return {"epub/*.epub": {release_path("epub", s) for s in site.public},
            f"{COVERS}/*.png": {cover_path(s) for s in site.public},
            f"../{HELD}/*.epub": {held_path("epub", s) for s in site.held},
            f"{DIGESTS}/*.epub": {digest_path(k) for k in site.digests if "/" not in k},
            f"{DIGESTS}/*/*.epub": {digest_path(k) for k in site.digests if "/" in k}}


def _html(site: Published) -> dict[str, set[str]]:
    return {"releases/*.html": {release_path("html", s) for s in site.public},
            f"{IMAGES}/*": set(site.images),
            INDEX_PATH: {INDEX_PATH},
            "archive/*.html": {index_archive_path(n + 1) for n in range(site.archives)},
            STYLESHEET: {STYLESHEET},
            f"{WEB_FONTS}/*": {web_font_path(face[3]) for face in WEB_FACES}}


def _feed(site: Published) -> dict[str, set[str]]:
    found = {path: {path} for path in FEED_PATHS.values()}
    for kind, path in FEED_PATHS.items():  # feed/*/atom.xml: never feed/archive/atom-1.xml
        found[path.replace("feed/", "feed/*/")] = {
            language_feed_paths(language)[kind] for language in site.languages}
    found["feed/archive/*.xml"] = {feed_archive_path(n + 1) for n in range(site.archives)}
    return found


def _ninjs(site: Published) -> dict[str, set[str]]:
    return {"ninjs/*.json": {release_path("ninjs", s) for s in site.public}}


def _opds(site: Published) -> dict[str, set[str]]:
    found = {f"{OPDS}/*.xml": {path for key, path in OPDS_PATHS.items()
                               if key != "language" or site.languages}}
    months = [key for key in site.digests if re.fullmatch(r"\d{4}-\d{2}", key)]
    groups = {"archive": [opds_archive_key(n + 1).split("/")[1] for n in range(site.archives)],
              "month": months, "language": list(site.languages), "kind": list(site.kinds)}
    for group in OPDS_GROUPS:
        found[f"{OPDS}/{group}/*.xml"] = {opds_path(f"{group}/{name}") for name in groups[group]}
    return found


def _email(site: Published) -> dict[str, set[str]]:
    return {"email/*.eml": {release_path("email", s) for s in site.public},
            f"../{HELD}/*.eml": {held_path("email", s) for s in site.held}}


OUTPUTS: dict[str, Callable[[Published], dict[str, set[str]]]] = {
    "pdf": _pdf, "epub": _epub, "html": _html, "feed": _feed, "ninjs": _ninjs, "opds": _opds,
    "email": _email}
"""Format -> what it publishes, as {glob below dist/: the paths that must match it}, for every
format a plain build makes (the briefing pack, made on request, is at PACK_PATH). A file a
glob matches outside its set is an orphan (the build removes it, make rebuilds, `pressroom
check` reports it). The manifests (which releases each archive page and digest holds) are
bookkeeping, kept outside dist/ (`build.records_dir`)."""


def outputs(fmt: str, site: Published) -> dict[str, set[str]]:
    """Every file format `fmt` writes for `site`, by the glob that finds it."""
    return OUTPUTS[fmt](site)


def owner(path: str) -> str | None:
    """The format that owns a path below dist/ ('pdf/x.pdf' -> 'pdf'): the one whose globs
    match it (its build rewrites or removes whatever is there); None for a path no format owns.
    A briefing pack may be written only where nothing is."""
    parts = tuple(part for part in path.split("/") if part not in ("", "."))
    for fmt, pattern in _owned_globs():
        if len(pattern) == len(parts) and all(
                fnmatchcase(part, each) for part, each in zip(parts, pattern, strict=True)):
            return fmt
    return None


@cache
def _owned_globs() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(format, glob split at '/') of every format's outputs (`OUTPUTS`)."""
    return tuple((fmt, tuple(glob.split("/"))) for fmt, owned in OUTPUTS.items()
                 for glob in owned(Published()))
