"""IPTC ninjs 2.1 (News in JSON) per release, for agencies and partners that ingest JSON.

ninjs 2.1 (approved by IPTC in 2023) is the widely deployed, stable line: the 2.x examples
in IPTC's repository come from AP, dpa, NTB and TT, and its property names are the
lower-case ones ingest code already reads (`firstcreated`, `versioncreated`, `embargoed`),
where 3.x renamed them to camelCase (`contentType`, `sizeInBytes`). The document is checked
against IPTC's own schema, vendored in `pressroom/schemas/`.

Only public releases get one: a release held back (embargoed, or a draft) has none, and a
withdrawn one is never rendered. The JSON is written with sorted keys and fixed indentation,
so the same release gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pressroom.layout import release_path
from pressroom.prepare import templates
from pressroom.prepare.document import Document
from pressroom.render import Job, Output, no_collections, owned_by

VERSION = "2.1"
SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
RENDITIONS = (("html", "text/html"), ("pdf", "application/pdf"),
              ("epub", "application/epub+zip"))
"""The release's own outputs, offered as renditions of the ninjs item."""

render_collections = no_collections


PER_RELEASE = True

def render_release(doc: Document, job: Job) -> list[Output]:
    """The ninjs document of one public release (none for a release held back)."""
    if doc.held:
        return []
    return [(release_path("ninjs", doc.release.slug),
             serialize(ninjs_document(doc, job.styles_dir)))]


def expected_release_paths(doc: Document) -> list[str]:
    """What `render_release` writes for `doc`."""
    return [] if doc.held else [release_path("ninjs", doc.release.slug)]


def owned(job: Job) -> dict[str, set[str]]:
    """One JSON file per public release in dist/ninjs/."""
    return owned_by("ninjs", job)


def serialize(item: dict[str, Any]) -> bytes:
    """UTF-8 JSON, keys sorted, two-space indent, final newline: reproducible bytes."""
    return (json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def instant(moment: datetime) -> str:
    """ISO 8601 with its offset ('2017-01-25T00:00:00-05:00'); naive times are refused."""
    if moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone")
    return moment.isoformat()


def ninjs_document(doc: Document, styles_dir: Path) -> dict[str, Any]:
    """The release as a ninjs 2.1 news item (a dict ready for `serialize`); its body is the
    article of `styles_dir`'s templates, as the page shows it without its headline."""
    release = doc.release
    item: dict[str, Any] = {
        "uri": release.id,
        "standard": {"name": "ninjs", "version": VERSION, "schema": SCHEMA_URI},
        "type": "text",
        "representationtype": "full",
        "pubstatus": "usable",
        "version": str(1 + len(release.corrections) + len(release.updates)),
        "firstcreated": instant(release.published),
        "versioncreated": instant(release.updated),
        "language": release.language,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": doc.headline}],
        "bodies": [{"role": "main", "contenttype": "text/html",
                    "value": templates.article(styles_dir, doc, "ninjs")}],
        "by": release.byline or release.publisher,
        "copyrightholder": release.publisher,
        "genres": [{"literal": release.kind}],
        "renditions": [{"name": fmt, "href": doc.links[fmt], "contenttype": media_type}
                       for fmt, media_type in RENDITIONS if fmt in doc.links],
    }
    if doc.summary:
        item["descriptions"] = [{"role": "summary", "contenttype": "text/plain",
                                 "value": doc.summary}]
    if release.embargo_until is not None:
        item["embargoed"] = instant(release.embargo_until)
    if release.dateline is not None:
        item["located"] = release.dateline.place
    if release.symbol:
        item["altids"] = [{"role": "symbol", "value": release.symbol}]
    for key, names in (("people", release.people), ("places", release.places),
                       ("subjects", release.keywords)):
        if names:
            item[key] = [{"name": name} for name in names]
    picture = image_item(doc)
    if picture is not None:
        item["associations"] = [picture]
    return item


def image_item(doc: Document) -> dict[str, Any] | None:
    """The release's figure as an associated picture item, with its one rendition."""
    figure = doc.release.image
    url = doc.links.get("image")
    if figure is None or doc.image is None or not url:
        return None
    from pressroom.media import picture

    prepared = picture(doc.image)
    item: dict[str, Any] = {
        "name": "image",
        "uri": url,
        "type": "picture",
        "representationtype": "full",
        "language": doc.release.language,
        "descriptions": [{"role": "alt", "contenttype": "text/plain", "value": figure.alt}],
    }
    if figure.caption:
        item["headlines"] = [{"role": "caption", "contenttype": "text/plain",
                              "value": figure.caption}]
    if figure.credit:
        item["by"] = figure.credit
    if figure.licence:
        item["usageterms"] = figure.licence
    rendition: dict[str, Any] = {"name": "original", "href": url}
    if prepared is not None:
        rendition.update(contenttype=prepared.media_type, sizeinbytes=len(prepared.data))
        if prepared.width and prepared.height:
            rendition.update(width=prepared.width, height=prepared.height)
    item["renditions"] = [rendition]
    return item
