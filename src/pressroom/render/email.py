"""The e-mail edition of each release: one MIME message a mail client or a mailing service
imports (dist/email/<release>.eml; a release held back: its press-kit copy in held/).

    multipart/mixed
      multipart/alternative
        text/plain   the article walked into text, wrapped at 72 columns, links as numbered
                     footnotes ("the report [1]" ... "[1] https://...")
        text/html    the article with inline styles only (no stylesheet, no script), right to
                     left for Arabic and the other RTL languages
      application/pdf  the PDF brief, the bytes the pdf format makes for the release

Both parts come from the one article rendering (`_article.html`, format "email"); the text
part is that HTML walked, never a second copy of the text. Pictures are absolute URLs under
the publication's base URL (as the feeds and ninjs give them), not attached `cid:` parts: the
message stays the size of its text and its brief, and a mailing service rewrites no link.

Reproducible bytes: no clock (Date is the release's `published`), no random boundary (each is
derived from the release id and a hash of the content), CRLF line ends (`email.policy.SMTP`).
No To header (the office's mailer adds it) and nothing is sent.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from email.header import Header
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from pressroom.layout import held_path, release_path, under
from pressroom.prepare import templates
from pressroom.prepare.document import Document
from pressroom.render import Job, Output, no_collections, owned_by

WIDTH = 72
"""Columns of the text part (a line longer than this is a single unbreakable word: a URL)."""

render_collections = no_collections


PER_RELEASE = True

def render_release(doc: Document, job: Job) -> list[Output]:
    """The e-mail of one release: in dist/email/, or in held/ for a release held back."""
    return [(path_of(doc), message(doc, job.styles_dir, brief(doc, job)))]


def brief(doc: Document, job: Job) -> bytes:
    """The release's PDF brief as the pdf format wrote it (make builds the PDFs before the
    e-mails, and a build of every format makes pdf first): laying a brief out twice would
    double the cost of `make`. Without one (`--format email` alone), it is rendered here."""
    built = under(job.dist_dir, doc.paths["pdf"])
    try:
        return built.read_bytes()
    except FileNotFoundError:
        from pressroom.render.pdfwriter import release_pdf, stylesheets  # WeasyPrint: ~1 s

        return release_pdf(doc, job, stylesheets(job, doc.release.language))


def expected_release_paths(doc: Document) -> list[str]:
    """What `render_release` writes for `doc`."""
    return [path_of(doc)]


def owned(job: Job) -> dict[str, set[str]]:
    """One .eml per public release in dist/email/; press-kit ones in held/ beside dist/."""
    return owned_by("email", job)


def path_of(doc: Document) -> str:
    """Where the release's e-mail goes below dist/."""
    slug = doc.release.slug
    return held_path("email", slug) if doc.held else release_path("email", slug)


def message(doc: Document, styles_dir: Path, pdf: bytes) -> bytes:
    """The MIME message of one release, as bytes (CRLF line ends)."""
    article = etree.fromstring(f"<div>{templates.article(styles_dir, doc, 'email')}</div>")
    text = plain_text(article, doc.url)
    html = html_document(doc, article)
    release = doc.release
    msg = EmailMessage(policy=SMTP)
    if sender(doc):
        msg["From"] = sender(doc)
    msg["Date"] = format_datetime(release.published)
    msg["Message-ID"] = message_id(doc)
    msg.set_content(text, subtype="plain", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    msg.add_attachment(pdf, maintype="application", subtype="pdf",
                       filename=f"{release.slug}.pdf")
    msg["Content-Language"] = release.language  # after the parts: make_mixed moves Content-*
    content = hashlib.sha256(text.encode() + b"\0" + html.encode() + b"\0" + pdf).hexdigest()
    seed = hashlib.sha256(f"{release.id}\n{content}".encode()).hexdigest()[:32]
    for number, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_{seed}.{number}")  # "=_" is never in quoted-printable or base64
    return subject_header(subject(doc)) + msg.as_bytes()


def subject_header(text: str) -> bytes:
    """The Subject header line, folded and RFC 2047-encoded by `email.header` (the legacy
    encoder): `email.policy` folding drops the space between two encoded words on Python
    3.11 (a long Russian headline loses words' spaces), so the line is made here."""
    charset = "us-ascii" if text.isascii() else "utf-8"
    encoded = Header(text, charset, header_name="Subject").encode(linesep="\r\n")
    return f"Subject: {encoded}\r\n".encode("ascii")


def subject(doc: Document) -> str:
    """The headline; a held copy's is prefixed with the banner its PDF prints."""
    return f"{doc.banner}: {doc.headline}" if doc.banner else doc.headline


def sender(doc: Document) -> str:
    """From: the publication's name and the press office's address ('' without one)."""
    address = doc.publication.address(doc.release.contacts)
    return formataddr((doc.publication.name, address)) if address else ""


def notices(job: Job) -> list[str]:
    """What the build says once: messages without a sender (no address anywhere)."""
    pub = job.publication
    bare = [d for d in (*job.documents, *job.held) if not sender(d)]
    if not bare:
        return []
    return [f"{pub.source_path}:{pub.lines.get('email', 1)}: email: no sender address, so "
            f"{len(bare)} e-mail(s) have no From (the mailer must add it): set `email:` to "
            "the press office's address"]


def message_id(doc: Document) -> str:
    """<hash@host of the base URL>, from the release id, its version (a corrected or updated
    release is a new message) and whether this is the held copy."""
    release = doc.release
    version = 1 + len(release.corrections) + len(release.updates)
    key = hashlib.sha256(f"{release.id}\n{version}\n{doc.held}".encode()).hexdigest()[:32]
    return f"<{key}@{urlsplit(doc.publication.base_url).hostname or 'localhost'}>"


# The HTML part -------------------------------------------------------------------------------

FONT = "Georgia, 'Times New Roman', serif"
FONT_RTL = "'Noto Naskh Arabic', Tahoma, 'Arial', sans-serif"
TAGS = {
    "h1": "font-size:26px;line-height:1.25;margin:0 0 12px;",
    "h2": "font-size:19px;line-height:1.3;margin:24px 0 8px;",
    "h3": "font-size:17px;line-height:1.3;margin:20px 0 8px;",
    "p": "margin:0 0 14px;",
    "li": "margin:0 0 6px;",
    "img": "max-width:100%;height:auto;border:0;",
    "figure": "margin:0 0 16px;",
    "figcaption": "font-size:14px;color:#555555;margin:6px 0 0;",
    "a": "color:#1a4f8b;",
    "table": "border-collapse:collapse;margin:0 0 14px;",
    "td": "border:1px solid #cccccc;padding:4px 8px;",
    "th": "border:1px solid #cccccc;padding:4px 8px;",
    "blockquote": "margin:0 0 14px;padding:0 16px;border-color:#cccccc;",
    "sup": "line-height:0;",
}
CLASSES = {
    "banner": "font-weight:bold;color:#b00020;border:2px solid #b00020;padding:6px 10px;",
    "kind": "font-size:13px;letter-spacing:1px;text-transform:uppercase;color:#555555;"
            "margin:0 0 6px;",
    "symbol": "margin:0 8px;",
    "dateline": "color:#555555;",
    "summary": "font-size:18px;font-weight:bold;",
    "colophon": "border-top:1px solid #cccccc;margin-top:24px;padding-top:8px;"
                "font-size:14px;color:#555555;",
    "boilerplate": "font-size:14px;color:#333333;",
    "about": "font-size:14px;color:#333333;",
}
VOID = frozenset({"img", "br", "hr", "meta", "col", "wbr", "source"})


def html_document(doc: Document, article: Any) -> str:
    """The HTML part: the article with inline styles, in a page of its own (polyglot: it
    parses as XHTML and as HTML)."""
    rtl = doc.direction == "rtl"
    side = "right" if rtl else "left"
    lists = f"margin:0 0 14px;padding-{side}:24px;padding-{'left' if rtl else 'right'}:0;"
    for element in article.iter():
        if not isinstance(element.tag, str):
            continue
        style = TAGS.get(element.tag, "") + (lists if element.tag in ("ul", "ol") else "")
        style += "".join(CLASSES.get(name, "") for name in (element.get("class") or "").split())
        if style:
            element.set("style", style + (element.get("style") or ""))
        if element.tag == "blockquote":
            element.set("style", element.get("style", "") + f"border-{side}:3px solid #cccccc;")
        if element.tag not in VOID and element.text is None and not len(element):
            element.text = ""  # <div></div>, never <div/> (an HTML parser would not close it)
    body = "".join(etree.tostring(child, encoding="unicode", with_tail=True)
                   for child in article)
    language, direction = doc.release.language, doc.direction
    font = FONT_RTL if rtl else FONT
    return (
        "<!DOCTYPE html>\n"
        f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{language}" dir="{direction}">\n'
        '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        f"<title>{_escape(subject(doc))}</title>\n</head>\n"
        f'<body style="margin:0;padding:0;background:#ffffff;" dir="{direction}">\n'
        f'<div lang="{language}" dir="{direction}" style="max-width:640px;margin:0 auto;'
        f"padding:16px;font-family:{font};font-size:16px;line-height:1.5;color:#111111;"
        f'text-align:{side};">\n{body}\n</div>\n</body>\n</html>\n')


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The text part -------------------------------------------------------------------------------

BLOCK = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption",
                   "pre", "caption", "tr", "div", "section", "header", "footer", "article",
                   "figure", "blockquote", "ul", "ol", "dl", "table", "thead", "tbody", "hr"})
UNDERLINE = {"h1": "=", "h2": "-"}
BREAK = "\0"
"""A <br>, in the text being collected (a newline in the HTML is a space, as a browser shows it)."""


class _Text:
    """The walk of the article into paragraphs of text, collecting the links' URLs."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.urls: list[str] = []
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.prefix = ("", "")  # (first line, following lines) of the block being written

    def flush(self, underline: str = "") -> None:
        text = "".join(self.line)
        self.line = []
        lines = [" ".join(part.split()) for part in text.split(BREAK)]
        lines = [line for line in lines if line]
        if not lines:
            return
        first, rest = self.prefix
        out: list[str] = []
        for number, line in enumerate(lines):
            out += textwrap.wrap(line, WIDTH, initial_indent=first if number == 0 else rest,
                                 subsequent_indent=rest, break_long_words=False,
                                 break_on_hyphens=False) or [rest]
        if underline:
            out.append(underline * min(WIDTH, max(len(x) for x in out)))
        self.blocks.append("\n".join(out))
        self.prefix = (self.prefix[1], self.prefix[1])

    def link(self, url: str) -> str:
        if url not in self.urls:
            self.urls.append(url)
        return f" [{self.urls.index(url) + 1}]"

    def walk(self, element: Any, depth: int = 0) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element.get("role") == "doc-backlink":  # a footnote's way back: not text
            self.line.append(element.tail or "")
            return
        if tag == "pre":
            self.flush()
            self.blocks.append("".join(element.itertext()).rstrip("\n"))
            self.line.append(element.tail or "")
            return
        if tag in BLOCK:
            self.flush()
        if tag == "li":
            parent = element.getparent()
            indent = "  " * max(0, depth - 1)
            if parent is not None and parent.tag == "ol":
                start = int(parent.get("start", "1") or 1)
                index = [c for c in parent if c.tag == "li"].index(element)
                marker = f"{start + index}. "
            else:
                marker = "- "
            self.prefix = (indent + marker, indent + " " * len(marker))
        if "symbol" in (element.get("class") or "").split():
            self.line.append(" ")  # the page sets it apart by a margin
        if tag == "br":
            self.line.append(BREAK)
        elif tag == "img":
            alt = element.get("alt", "")
            self.line.append(f"[{alt}]" + self.link(element.get("src", "")) if alt else "")
        else:
            self.line.append(element.text or "")
            for child in element:
                self.walk(child, depth + (tag in ("ul", "ol")))
                if child.get("role") != "doc-backlink" and child.tag != "pre":
                    self.line.append(child.tail or "")
        if tag == "a":
            href = element.get("href", "")
            shown = " ".join("".join(element.itertext()).split())
            if href and shown != href and not re.match(r"(mailto|tel):|#", href) \
                    and not href.startswith(self.page + "#"):
                self.line.append(self.link(href))
        if tag in BLOCK:
            self.flush(UNDERLINE.get(tag, ""))
            if tag == "li" or tag in ("ul", "ol"):
                self.prefix = ("", "")


def plain_text(article: Any, page: str) -> str:
    """The article as text: paragraphs wrapped at 72 columns, a blank line between them, list
    items marked, the two top headings underlined, each link's URL a numbered note at the end
    (a link showing its own URL, an e-mail address, a phone number or one of the page's own
    notes has none)."""
    walker = _Text(page)
    walker.walk(article)
    walker.flush()
    notes = [f"[{n}] {url}" for n, url in enumerate(walker.urls, 1)]
    return "\n\n".join(walker.blocks + (["\n".join(notes)] if notes else [])) + "\n"
