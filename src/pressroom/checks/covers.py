"""Covers: every EPUB (each release's, each held one's, every digest) has one `cover-image`
picture that its EPUB 2 `<meta name="cover">` names, and every public release's web page has
an Open Graph image that is its published cover (covers/<release>.png, below the base URL).
The OPDS entries' image links are checks/opds.py's."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pressroom.checks.epub import cover_image
from pressroom.layout import cover_path, release_path, under
from pressroom.prepare.document import Document

PNG = b"\x89PNG\r\n\x1a\n"


def check_covers(documents: list[Document], dist: Path) -> list[str]:
    """Problems with the covers of these releases (public and held back) and their digests."""
    from pressroom.checks import owned

    problems: list[str] = []
    books = sorted({under(dist, p) for expected in owned("epub", documents).values()
                    for p in expected if p.endswith(".epub")})
    for path in books:
        if not path.is_file():
            continue  # reported missing by the EPUB check
        try:
            found, _ = cover_image(path)
        except (OSError, ValueError, KeyError, etree.XMLSyntaxError) as error:
            found = [f"cannot read its package document ({error})"]
        problems += [f"{path}: {p}" for p in found]
    for doc in documents:
        if not doc.held:
            problems += open_graph(doc, dist)
    return problems


def open_graph(doc: Document, dist: Path) -> list[str]:
    """The release page's first og:image is its cover, published at covers/<release>.png."""
    page = dist / release_path("html", doc.release.slug)
    if not page.is_file():
        return []  # reported missing by the web check
    try:
        tree = etree.parse(str(page), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return []  # reported by the web check
    images = [str(meta.get("content", "")) for meta in tree.iter()
              if isinstance(meta.tag, str) and etree.QName(meta).localname == "meta"
              and meta.get("property") == "og:image"]
    want = doc.publication.base_url + cover_path(doc.release.slug)
    if not images:
        return [f"{page}: no og:image (its cover {want}); run make"]
    if images[0] != want:
        return [f"{page}: og:image is {images[0]}, not its cover {want}"]
    picture = dist / cover_path(doc.release.slug)
    if not picture.is_file():
        return [f"{page}: og:image {want}: {picture} is missing; run make"]
    with picture.open("rb") as file:
        if file.read(len(PNG)) != PNG:
            return [f"{picture}: not a PNG picture (the og:image of {page})"]
    return []
