"""A release prepared for rendering: typography applied, Markdown made XHTML, URLs absolute.

Every renderer receives the same `Document`, so the headline in the PDF's /Title, the OPF's
dc:title and the feed's <title> are one string.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from . import markdown
from .cache import SourceCache
from .model import Publication, Release, Site

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

PATHS = {
    "html": "releases/{slug}.html",
    "pdf": "pdf/{slug}.pdf",
    "epub": "epub/{slug}.epub",
}
"""Where each per-release output lives below dist/ (and below the publication's base URL)."""
FEED_PATHS = {"atom": "feed/atom.xml", "rss": "feed/rss.xml", "json": "feed/feed.json"}
INDEX_PATH = "index.html"


@dataclass(frozen=True, kw_only=True, slots=True)
class Document:
    """What renderers read: the release, its publication, and derived text and links."""

    release: Release
    publication: Publication
    headline: str
    summary: str
    body_html: Markup
    boilerplate_html: tuple[Markup, ...]
    url: str
    """Absolute URL of the release's web page (what the feeds link to)."""
    links: dict[str, str]
    """Absolute URLs of the release's outputs by format: html, pdf, epub."""
    date_text: str
    """The published date as printed, e.g. '25 January 2017'."""

    @property
    def direction(self) -> str:
        """Writing direction of the release's language."""
        primary = self.release.language.split("-")[0].lower()
        return "rtl" if primary in {"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb"} else "ltr"


def format_date(moment: datetime) -> str:
    """'25 January 2017' (English; other languages come with translations)."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def format_month(key: str) -> str:
    """'2017-01' -> 'January 2017'."""
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def output_path(fmt: str, slug: str) -> str:
    """Path of a release's output below dist/."""
    return PATHS[fmt].format(slug=slug)


def prepare(site: Site, cache: SourceCache | None = None) -> list[Document]:
    """Documents for every release of the site, newest first (sources already validated)."""
    boilerplate = {key: Markup(markdown.render_paragraphs(text))
                   for key, text in site.publication.boilerplate.items()}
    return [_prepare(release, site.publication, cache, boilerplate)
            for release in site.releases]


def _prepare(release: Release, publication: Publication, cache: SourceCache | None,
             boilerplate: dict[str, Markup]) -> Document:
    path = Path(release.source_path)
    hit = cache.get(path) if cache is not None else None
    if hit is not None and "html" in hit:
        body, headline, summary = hit["html"], hit["headline"], hit["summary"]
    else:
        body = markdown.render(release.body)
        headline = markdown.typography(release.headline)
        summary = markdown.typography(release.summary)
        if cache is not None and hit is not None:
            cache.put(path, html=body, headline=headline, summary=summary)
    links = {fmt: publication.base_url + output_path(fmt, release.slug) for fmt in PATHS}
    return Document(
        release=release,
        publication=publication,
        headline=headline,
        summary=summary,
        body_html=Markup(body),
        boilerplate_html=tuple(boilerplate[key] for key in release.boilerplate),
        url=links["html"],
        links=links,
        date_text=format_date(release.published),
    )
