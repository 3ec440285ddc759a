"""A release prepared for rendering: typography applied, Markdown made XHTML, URLs absolute.

Every renderer receives the same `Document`, so the headline in the PDF's /Title, the OPF's
dc:title and the feed's <title> are one string. Its `release` is a typeset copy: every field
the field table marks typeset (headline, summary, caption, credit, byline, dateline, contacts'
names, related titles, ...) has the language's quotes and dashes, so templates and renderers
read `release.image.caption` as before and get the printed form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from pressroom import layout
from pressroom.load import mapping
from pressroom.load.fields import RELEASE
from pressroom.load.site import SourceCache
from pressroom.model import Publication, Release, Site
from pressroom.text import locale, markdown

LINKED = ("html", "pdf", "epub")
"""The outputs a release links to (its page, its brief, its e-book)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Document:
    """What renderers read: the release, its publication, and derived text and links."""

    release: Release
    """The release with every typeset field in its printed form (see `typeset`)."""
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
    """The published date as printed in the release's language, e.g. '25 January 2017' (an
    archive's year or month alone: '2014', 'October 2014')."""
    date_iso: str = ""
    """The published date as an HTML <time> gives it: the instant, or '2014', '2014-10'."""
    kind_label: str = ""
    """The label above the headline, in the release's language: 'PRESS RELEASE'."""
    corrections: tuple[tuple[str, str, str], ...] = ()
    """(ISO date-time, date as printed, typeset text) of each correction, oldest first."""
    updates: tuple[tuple[str, str, str], ...] = ()
    """(ISO date-time, date as printed, typeset text) of each update, oldest first."""
    notes_html: Markup = field(default_factory=Markup)
    notes_heading: str = ""
    """The notes' heading: the release's or publication's choice, else the catalogue's."""
    about_html: Markup = field(default_factory=Markup)
    """The release's `about` paragraph, printed after the boilerplate."""
    image: Path | None = None
    """The image file under source/, if the release has one."""
    image_path: str = ""
    """Where the image is published below dist/ (and below the base URL)."""
    held: str = ""
    """'' for a public release; 'embargoed' or 'draft' for one built only for the press kit."""
    banner: str = ""
    """The line printed on every page of a held release ('EMBARGOED UNTIL ...', 'DRAFT ...')."""
    paths: dict[str, str] = field(default_factory=dict)
    """Where this release's own outputs go below dist/, by format (held ones: held/)."""
    versions: tuple[Any, ...] = ()
    """Every public language version of the release, itself included (translations.Version),
    when it has translations."""

    @property
    def dateline_key(self) -> str:
        """The catalogue key of the release's dateline form ('' without one): the place with
        the date, the agency, both, or alone."""
        line = self.release.dateline
        if line is None:
            return ""
        if line.agency:
            return "dateline_agency_date" if line.dated else "dateline_agency"
        return "dateline" if line.dated else "dateline_place"

    @property
    def direction(self) -> str:
        """Writing direction of the release's language."""
        return direction(self.release.language)


def direction(language: str) -> str:
    """'rtl' for languages written right to left (Arabic, Urdu, ...), else 'ltr'."""
    primary = language.split("-")[0].lower()
    return "rtl" if primary in {"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb"} else "ltr"


def kind_label(kind: str, language: str, publication: Publication) -> str:
    """The label above the headline in `language`: the publication's own kind's label in that
    language (else in the publication's), or the catalogue's for a built-in kind."""
    own = next((k for k in publication.kinds if k.key == kind), None)
    if own is None:
        return locale.label(kind, language)
    tags = {tag.lower(): label for tag, label in own.labels.items()}
    return tags.get(language.lower()) or tags.get(locale.base(language)) or own.label


def prepare(site: Site, cache: SourceCache | None = None) -> list[Document]:
    """Documents for every release of the site, newest first (sources already validated)."""
    boilerplate = {key: Markup(markdown.render(text, site.publication.language))
                   for key, text in site.publication.boilerplate.items()}
    return [_prepare(release, site.publication, cache, boilerplate)
            for release in site.releases]


def _prepare(release: Release, publication: Publication, cache: SourceCache | None,
             boilerplate: dict[str, Markup]) -> Document:
    path = Path(release.source_path)
    hit = cache.get(path) if cache is not None else None
    if hit is not None and "html" in hit and "typeset" in hit:
        body, printed = hit["html"], hit["typeset"]
    else:
        body = markdown.render(release.body, release.language, release.slug)
        printed = typeset(release)
        if cache is not None and hit is not None:
            cache.put(path, html=body, typeset=printed)
    release = mapping.retext(RELEASE, release, printed)
    language = release.language
    links = {fmt: publication.base_url + layout.release_path(fmt, release.slug)
             for fmt in LINKED}
    image_path = ""
    if release.image is not None:
        extension = Path(release.image.src).suffix.lower().lstrip(".").replace("jpeg", "jpg")
        image_path = layout.image_path(release.slug, extension)
        links["image"] = publication.base_url + image_path
    return Document(
        release=release,
        publication=publication,
        headline=release.headline,
        summary=release.summary,
        body_html=Markup(body),
        boilerplate_html=tuple(boilerplate[key] for key in release.boilerplate),
        url=links["html"],
        links=links,
        date_text=locale.format_published(release.published, release.published_precision,
                                          language),
        date_iso=date_iso(release),
        kind_label=kind_label(release.kind, language, publication),
        corrections=tuple((c.date.isoformat(), locale.format_date(c.date, language), c.text)
                          for c in release.corrections),
        updates=tuple((u.date.isoformat(), locale.format_date(u.date, language), u.text)
                      for u in release.updates),
        notes_html=Markup(markdown.render(release.notes, language, release.slug + "-notes"))
        if release.notes
        else Markup(""),
        notes_heading=release.notes_heading or locale.label("notes_to_editors", language),
        about_html=Markup(markdown.render(release.about, language, release.slug + "-about"))
        if release.about
        else Markup(""),
        image=Path(release.source_path).parent / release.image.src if release.image else None,
        image_path=image_path,
        paths={fmt: layout.release_path(fmt, release.slug) for fmt in LINKED},
    )


def date_iso(release: Release) -> str:
    """The published date for an HTML <time>: the instant, or the year ('2014') or month
    ('2014-10') an archive gave alone."""
    moment = release.published
    if release.published_precision == "year":
        return f"{moment.year:04d}"
    if release.published_precision == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    return moment.isoformat()


def typeset(release: Release) -> dict[str, str]:
    """The printed form of every field of `release` the field table marks typeset, by path
    (`headline`, `image.caption`, `contacts[0].name`), where typography changes it.

    Markdown fields (notes, boilerplate) get theirs when rendered; ids, addresses, e-mail,
    phone numbers, symbols and end marks are printed as written."""
    out: dict[str, str] = {}
    for path, spec, text in mapping.texts(RELEASE, release):
        if spec.is_typeset:
            printed = "\n".join(markdown.typography(line, release.language)
                                for line in text.split("\n"))
            if printed != text:
                out[path] = printed
    return out
