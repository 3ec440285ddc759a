"""The Jinja2 environment over `styles/`: autoescape on, undefined names are errors.

One template set renders every HTML flavour; `format` tells a template which output it serves
(pdf, epub, html, pack, feed, ninjs) so that each adds only its own furniture around the one
article (`_article.html`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from pressroom import layout
from pressroom.files import write_atomic
from pressroom.prepare.document import Document, direction
from pressroom.text import images, locale, phones

_KEPT: dict[str, Path] = {}
KEPT_RENDERINGS = ("epub", "feed")
"""The formats whose renderings are kept between builds (`keep`): those a build renders again
for its collections (every chapter of a digest of all releases, every entry of the feed's
archive pages) although their releases did not change."""


def keep(folder: Path | None) -> None:
    """Keep, below `folder` (the build's state, never dist/), what the next process would
    otherwise make again: the compiled templates (about a tenth of a second of every build;
    Jinja2 uses one only while its template's text is the same, with this Jinja2 and this
    Python, and writes each by rename) and the renderings of `KEPT_RENDERINGS` (`remembered`).
    Call before the first render; None keeps nothing."""
    _KEPT.clear()
    if folder is not None:
        for part in ("compiled", "rendered"):
            (folder / part).mkdir(parents=True, exist_ok=True)
            _KEPT[part] = folder / part


def remembered(styles_dir: Path, doc: Document, fmt: str, render: Callable[[], str],
               *inputs: Any) -> str:
    """`render()`, the rendering of `doc` for `fmt`, or the same text kept from an earlier
    build: one file per release and format, used only while its key is the same — a hash of
    the release as prepared (its repr: every field), `inputs`, the templates' text and
    pressroom's own files (code, label catalogue). Anything else changing what a template
    makes changes one of those."""
    folder = _KEPT.get("rendered")
    if folder is None or fmt not in KEPT_RENDERINGS:
        return render()
    key = hashlib.sha256("\0".join((_code(), _templates_text(styles_dir), fmt, repr(inputs),
                                     repr(doc))).encode("utf-8")).hexdigest()
    path = folder / fmt / f"{doc.release.slug}.html"
    try:
        kept = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        kept = ""
    head, _, text = kept.partition("\n")
    if head == key:
        return text
    text = render()
    write_atomic(path, f"{key}\n{text}".encode())
    return text


@cache
def _code() -> str:
    """A hash of pressroom's own files (its code and label catalogue)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _templates_text(styles_dir: Path) -> str:
    """A hash of the templates of `styles_dir` (one build never sees them change)."""
    digest = hashlib.sha256()
    folder = styles_dir / "templates"
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def environment(styles_dir: Path) -> jinja2.Environment:
    """The template environment for one styles directory (and where compiled templates are
    kept, if anywhere: `keep`)."""
    return _environment(styles_dir, _KEPT.get("compiled"))


@cache
def _environment(styles_dir: Path, kept: Path | None) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(kept)) if kept else None,
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
    return remembered(styles_dir, doc, fmt, lambda: render(
        styles_dir, "release.html", doc.release.language, doc=doc, pub=doc.publication,
        release=doc.release, format=fmt, **context), "release.html", sorted(context.items()))


def article(styles_dir: Path, doc: Document, fmt: str,
            image_size: tuple[int, int] | None = None) -> str:
    """The article alone, as an HTML fragment with absolute URLs only: a feed entry's content
    (`fmt` "feed"), a ninjs item's body ("ninjs") or an e-mail's ("email"). The same
    `_article.html` as the page, the PDF and the EPUB; `fmt` decides only the furniture."""
    assert fmt in ("feed", "ninjs", "email"), fmt
    return remembered(styles_dir, doc, fmt, lambda: _article(styles_dir, doc, fmt, image_size),
                      "_article.html", image_size)


def _article(styles_dir: Path, doc: Document, fmt: str,
             image_size: tuple[int, int] | None) -> str:
    html = render(styles_dir, "_article.html", doc.release.language, doc=doc,
                  pub=doc.publication, release=doc.release, format=fmt, logo="", qr="",
                  image_src=doc.links.get("image", ""), image_size=image_size).strip()
    # A footnote's links point within the page: outside it, to the page's own notes; a body
    # picture is the web page's published file.
    html = images.resolve(html, lambda src: doc.publication.base_url
                          + layout.body_image_path(doc.release.slug, src))
    return html.replace('href="#', f'href="{doc.url}#')
