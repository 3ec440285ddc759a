"""schema.org `NewsArticle` JSON-LD for a release's web page, as search engines read it.

The JSON sits in a `<script type="application/ld+json">` data block: data, never code
(browsers do not run it). Every `<`, `>` and `&` is written as a JSON escape, so no text of a
release can close the block or start markup, in HTML or in XHTML.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from pressroom.media import Picture
from pressroom.prepare.document import Document
from pressroom.text import locale


def news_article(doc: Document, image: Picture | None) -> dict[str, Any]:
    """The NewsArticle of a public release."""
    release, pub = doc.release, doc.publication
    publisher = {"@type": "Organization", "name": release.publisher, "url": pub.base_url}
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": release.id,
        "url": doc.url,
        "mainEntityOfPage": doc.url,
        "headline": doc.headline,
        "description": doc.summary,
        "datePublished": release.published.isoformat(),
        "dateModified": release.updated.isoformat(),
        "inLanguage": release.language,
        "author": {"@type": "Person", "name": release.byline} if release.byline else publisher,
        "publisher": publisher,
    }
    if release.dateline:
        article["dateline"] = dateline(doc)
    if release.keywords:
        article["keywords"] = list(release.keywords)
    if release.places:
        article["contentLocation"] = [{"@type": "Place", "name": p} for p in release.places]
    if release.symbol:
        article["identifier"] = release.symbol
    if image is not None and release.image is not None:
        figure: dict[str, Any] = {"@type": "ImageObject", "url": doc.links["image"],
                                  "contentUrl": doc.links["image"],
                                  "encodingFormat": image.media_type,
                                  "description": release.image.alt}
        if image.width:
            figure.update(width=image.width, height=image.height)
        if release.image.caption:
            figure["caption"] = release.image.caption
        if release.image.credit:
            figure["creditText"] = release.image.credit
        if release.image.licence:
            figure["copyrightNotice"] = release.image.licence
        article["image"] = figure
    if doc.corrections:
        article["correction"] = [{"@type": "CorrectionComment", "datePublished": iso,
                                  "text": text} for iso, _, text in doc.corrections]
    if doc.versions:
        work = [{"@type": "NewsArticle", "url": v.url, "inLanguage": v.language,
                 "headline": v.headline} for v in doc.versions if v.url != doc.url]
        source = next(v for v in doc.versions if v.original)
        if source.url == doc.url:
            article["workTranslation"] = work
        else:
            article["translationOfWork"] = {"@type": "NewsArticle", "url": source.url,
                                            "inLanguage": source.language,
                                            "headline": source.headline}
    if release.based_on:
        based_on: dict[str, Any] = {"@type": "CreativeWork",
                                    "publisher": {"@type": "Organization",
                                                  "name": release.based_on.publisher}}
        if release.based_on.title:
            based_on["name"] = release.based_on.title
        if release.based_on.url:
            based_on["url"] = release.based_on.url
        article["isBasedOn"] = based_on
    return article


def dateline(doc: Document) -> str:
    """The catalogue's dateline as plain text, without the dash that leads into the lead:
    'GENEVA (10 March 2026)', 'GENÈVE (10 mars 2026)', '日内瓦（2026年3月10日）',
    'Ginebra (CICR)', 'NAIROBI'."""
    line = doc.release.dateline
    assert line is not None
    text = locale.label(doc.dateline_key, doc.release.language, place=line.place,
                        agency=line.agency, date=doc.date_text)
    return text.rstrip(" –—")


def structured_data(doc: Document, image: Picture | None) -> Markup:
    """The JSON-LD text, safe inside a <script type="application/ld+json"> block."""
    text = json.dumps(news_article(doc, image), ensure_ascii=False, indent=1)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)
