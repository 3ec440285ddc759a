"""The Jinja2 environment over `styles/`: autoescape on, undefined names are errors.

One template set renders every HTML flavour; `format` tells a template which output it serves
(pdf, epub, html, pack, feed, ninjs) so that each adds only its own furniture around the one
article (`_article.html`).
"""

from __future__ import annotations

import functools
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from pressroom import layout
from pressroom.prepare.document import Document, direction
from pressroom.text import images, locale, phones


@cache
def environment(styles_dir: Path) -> jinja2.Environment:
    """The template environment for one styles directory."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(styles_dir / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one build never sees a template change; skip the stat per render
    )
    env.filters["tel"] = phones.uri
    return env


def render(styles_dir: Path, template: str, language: str = "en", **context: Any) -> str:
    """Render one template; `t(key, **values)` gives the catalogue's labels in `language`."""
    return environment(styles_dir).get_template(template).render(
        t=functools.partial(locale.label, language=language),
        tn=functools.partial(locale.count_label, language=language), t_for=labels_for,
        language=language, page_direction=direction(language), **context)


def labels_for(language: str) -> functools.partial[str]:
    """`t` for another language (a briefing pack holds releases in several)."""
    return functools.partial(locale.label, language=language)


def release_xhtml(styles_dir: Path, doc: Document, fmt: str, **extra: Any) -> str:
    """The release as one XHTML document, for the PDF, the EPUB or the web page."""
    context: dict[str, Any] = {"stylesheets": [], "feeds": {}, "paths": {}, "logo": "",
                               "image_src": "", "image_size": None, "qr": "",
                               "structured": "", "opds": ""}
    context.update(extra)
    return render(styles_dir, "release.html", doc.release.language, doc=doc,
                  pub=doc.publication, release=doc.release, format=fmt, **context)


def article(styles_dir: Path, doc: Document, fmt: str,
            image_size: tuple[int, int] | None = None) -> str:
    """The article alone, as an HTML fragment with absolute URLs only: a feed entry's content
    (`fmt` "feed"), a ninjs item's body ("ninjs") or an e-mail's ("email"). The same
    `_article.html` as the page, the PDF and the EPUB; `fmt` decides only the furniture."""
    assert fmt in ("feed", "ninjs", "email"), fmt
    html = render(styles_dir, "_article.html", doc.release.language, doc=doc,
                  pub=doc.publication, release=doc.release, format=fmt, logo="", qr="",
                  image_src=doc.links.get("image", ""), image_size=image_size).strip()
    # A footnote's links point within the page: outside it, to the page's own notes; a body
    # picture is the web page's published file.
    html = images.resolve(html, lambda src: doc.publication.base_url
                          + layout.body_image_path(doc.release.slug, src))
    return html.replace('href="#', f'href="{doc.url}#')
