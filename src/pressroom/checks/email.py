"""E-mail edition: each release's .eml parses as a MIME message a mail client imports, with
the headers a mailing service needs and the text of the release in both of its parts.

Read as a mail client reads it (`email.parser.BytesParser`, `policy.default`): a
multipart/mixed message holding a text/plain and a text/html alternative and the PDF brief
attached; Subject the headline (a held copy's prefixed with its banner), Date the release's
published instant, a Message-ID on the publication's host, From (the publication's name
and address; none when it has no address), Content-Language the
release's, MIME-Version; no To. Every sentence of the release is in each part (the text
part's footnote markers, "[1]", set aside), the text part's lines fit 72 columns (but a
single word longer than that: a URL), and the HTML part has no script, no stylesheet and no
resource outside the publication's base URL.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from pressroom.checks.text import coverage
from pressroom.layout import held_path, release_path, under
from pressroom.prepare.document import Document

WIDTH = 72
HEADERS = ("Subject", "From", "Date", "Message-ID", "Content-Language", "MIME-Version")


def email_path(dist: Path, doc: Document) -> Path:
    """Where a release's e-mail is: dist/email/, or held/ beside dist/ for one held back."""
    slug = doc.release.slug
    return under(dist, held_path("email", slug) if doc.held else release_path("email", slug))


def check_email(documents: list[Document], dist: Path) -> list[str]:
    """For each release (public, and held back), its .eml: see the module's docstring."""
    problems: list[str] = []
    for doc in documents:
        path = email_path(dist, doc)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            problems.append(f"{path}: missing; run make")
            continue
        problems += [f"{path}: {p}" for p in message_problems(data, doc)]
    return problems


def message_problems(data: bytes, doc: Document) -> list[str]:
    """What is wrong with the e-mail `data` of release `doc`."""
    msg = BytesParser(policy=default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    found = _headers(msg, doc)
    if msg.get_content_type() != "multipart/mixed":
        found.append(f"is {msg.get_content_type()}, not multipart/mixed")
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    if text is None:
        found.append("no text/plain part")
    else:
        found += _text_problems(str(text.get_content()), doc)
    if html is None:
        found.append("no text/html part")
    else:
        found += _html_problems(str(html.get_content()), doc)
    pdfs = [part for part in msg.iter_attachments()
            if part.get_content_type() == "application/pdf"]
    if not pdfs:
        found.append("no PDF brief attached")
    elif not bytes(pdfs[0].get_content()).startswith(b"%PDF-"):
        found.append("the attached brief is not a PDF")
    return found


def _headers(msg: EmailMessage, doc: Document) -> list[str]:
    address = doc.publication.address(doc.release.contacts)
    found = [f"no {name} header" for name in HEADERS
             if msg[name] is None and (name != "From" or address)]
    if msg["To"] is not None:
        found.append("has a To header (the office's mailer adds it)")
    subject = str(msg["Subject"] or "")
    if doc.held:
        if not (subject.startswith(doc.banner) and subject.endswith(doc.headline)):
            found.append(f"Subject is {subject!r}, not the banner {doc.banner!r} and the "
                         f"headline {doc.headline!r}")
    elif subject != doc.headline:
        found.append(f"Subject is {subject!r}, the release says {doc.headline!r}")
    if msg["Date"] is not None:
        try:
            date = parsedate_to_datetime(str(msg["Date"]))
        except (TypeError, ValueError):
            date = None
        if date != doc.release.published:
            found.append(f"Date is {msg['Date']!r}, the release says "
                         f"{doc.release.published.isoformat()}")
    language = str(msg["Content-Language"] or "")
    if msg["Content-Language"] is not None and language != doc.release.language:
        found.append(f"Content-Language is {language!r}, the release says "
                     f"{doc.release.language!r}")
    host = urlsplit(doc.publication.base_url).hostname or ""
    message_id = str(msg["Message-ID"] or "")
    if msg["Message-ID"] is not None and not re.fullmatch(rf"<[^@<>\s]+@{re.escape(host)}>",
                                                           message_id):
        found.append(f"Message-ID {message_id!r} is not <id@{host}>")
    sender = msg["From"]
    if sender is not None and not address:
        found.append(f"From {str(sender)!r}, but the publication has no address")
    elif sender is not None and (sender.addresses[0].display_name != doc.publication.name
                                 or sender.addresses[0].addr_spec != address):
        found.append(f"From {str(sender)!r} is not {doc.publication.name!r} <{address}>")
    return found


def _text_problems(text: str, doc: Document) -> list[str]:
    found = [f"text part line {n} is {len(line)} columns long (more than {WIDTH})"
             for n, line in enumerate(text.splitlines(), 1)
             if len(line) > WIDTH and len(line.split()) > 1 + bool(re.match(r"\[\d+\] ", line))]
    notes = set(re.findall(r"^\[(\d+)\] ", text, re.M))
    reading = re.sub(r" \[(\d+)\]", lambda m: "" if m.group(1) in notes else m.group(0), text)
    return found + coverage(doc, reading, "text part")


def _html_problems(html: str, doc: Document) -> list[str]:
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        return [f"the HTML part does not parse: {exc}"]
    found: list[str] = []
    if tree.xpath("//script | //@*[starts-with(name(), 'on')]"):
        found.append("the HTML part contains script")
    if tree.xpath("//style | //link | //iframe | //object | //embed"):
        found.append("the HTML part loads a stylesheet or embeds a document")
    styles: Any = tree.xpath("//@style")
    sources: Any = tree.xpath("//@src")
    if any("url(" in str(style) for style in styles):
        found.append("the HTML part has a style that loads a resource")
    base = doc.publication.base_url
    found += [f"the HTML part loads {src!r}, outside {base}"
              for src in sources if not str(src).startswith(base)]
    direction = tree.get("dir", "")
    if direction != doc.direction:
        found.append(f"the HTML part's direction is {direction!r}, not {doc.direction!r}")
    body: Any = tree.find("body")
    text = body.text_content() if body is not None else ""
    return found + coverage(doc, str(text), "HTML part")
