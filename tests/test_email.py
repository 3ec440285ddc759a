"""The e-mail edition: a MIME message any mail client imports (text and HTML alternatives, the
PDF brief attached), reproducible bytes, and a check that notices a message that is wrong."""

from __future__ import annotations

import email.policy
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from pressroom.checks import check_outputs
from pressroom.checks.email import check_email, message_problems
from pressroom.checks.newsroom import check_held
from pressroom.layout import held_path, release_path, under
from pressroom.load.site import load_site
from pressroom.plan import visibility
from pressroom.prepare.document import Document, prepare
from pressroom.render import Job
from pressroom.render import email as edition

from .conftest import FIXTURES, ROOT

STYLES = ROOT / "styles"
PDF = b"%PDF-1.7\n% a stand-in for the brief\n"
"""Most tests do not need the real brief: `edition.message` takes the PDF's bytes."""
NOW = datetime(2026, 3, 30, tzinfo=UTC)
"""Before the newsroom fixture's embargo ends."""


def documents(source: Path) -> list[Document]:
    return prepare(load_site(source))


def parse(data: bytes) -> EmailMessage:
    msg = BytesParser(policy=email.policy.default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def html_of(msg: EmailMessage) -> str:
    part = msg.get_body(("html",))
    assert part is not None
    return str(part.get_content())


@pytest.fixture(scope="module")
def all_docs() -> list[Document]:
    return [*documents(ROOT / "source"), *documents(FIXTURES / "site"),
            *documents(FIXTURES / "languages"), *documents(FIXTURES / "corpus")]


@pytest.fixture(scope="module")
def held() -> list[Document]:
    plan = visibility.plan(documents(FIXTURES / "newsroom"), NOW, drafts=True)
    assert {d.held for d in plan.held} == {"embargoed", "draft"}
    return plan.held


def test_every_release_gives_a_message_the_check_accepts(all_docs: list[Document]) -> None:
    for doc in all_docs:
        assert message_problems(edition.message(doc, STYLES, PDF), doc) == [], doc.release.slug


def test_the_message_is_mixed_text_and_html_alternatives_and_the_brief(
        all_docs: list[Document]) -> None:
    doc = all_docs[0]
    msg = parse(edition.message(doc, STYLES, PDF))
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = list(msg.iter_parts())
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain",
                                                                         "text/html"]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == f"{doc.release.slug}.pdf"
    assert attachment.get_content() == PDF


def test_the_headers_come_from_the_release(all_docs: list[Document]) -> None:
    doc = next(d for d in all_docs if d.publication.contacts or d.release.contacts)
    msg = parse(edition.message(doc, STYLES, PDF))
    assert msg["Subject"] == doc.headline
    assert msg["Date"].datetime == doc.release.published
    assert msg["Content-Language"] == doc.release.language
    assert msg["MIME-Version"] == "1.0"
    assert msg["To"] is None
    assert re.fullmatch(r"<[0-9a-f]{32}@press\.example\.org>|<[0-9a-f]{32}@[^>]+>",
                        msg["Message-ID"])
    assert doc.publication.name in msg["From"] and "@" in msg["From"]


def test_the_message_id_is_the_release_id_s(all_docs: list[Document]) -> None:
    ids = {parse(edition.message(d, STYLES, PDF))["Message-ID"] for d in all_docs}
    assert len(ids) == len({d.release.id for d in all_docs})


def test_the_same_release_gives_the_same_bytes_with_crlf(all_docs: list[Document]) -> None:
    for doc in all_docs[:3]:
        first = edition.message(doc, STYLES, PDF)
        assert first == edition.message(doc, STYLES, PDF)
        assert b"\r\n" in first and b"\n" not in first.replace(b"\r\n", b"")
        assert re.search(rb'boundary="=_[0-9a-f]{32}\.0"', first)


def test_the_text_part_lines_fit_72_columns(all_docs: list[Document]) -> None:
    for doc in all_docs:
        for line in text_of(parse(edition.message(doc, STYLES, PDF))).splitlines():
            assert len(line) <= 72 or len(line.removeprefix("[").split()) <= 2, line


def test_a_link_in_the_text_part_is_a_numbered_footnote(all_docs: list[Document]) -> None:
    doc = next(d for d in all_docs if d.release.slug == "2026-03-10-water-rights")
    text = text_of(parse(edition.message(doc, STYLES, PDF)))
    assert "office’s\nsite [1]." in text or "office’s site [1]." in text
    assert "\n[1] https://www.example.org/statements/water\n" in text
    assert "mailto:" not in text and "tel:" not in text  # the address is shown as it is


def test_the_html_part_has_no_script_and_no_external_resource(
        all_docs: list[Document]) -> None:
    for doc in all_docs:
        page = html_of(parse(edition.message(doc, STYLES, PDF)))
        xhtml = etree.fromstring(page.split("\n", 1)[1].encode(),
                                 etree.XMLParser(resolve_entities=False, no_network=True))
        tree = lxml_html.document_fromstring(page)
        for root in (xhtml, tree):
            assert not root.xpath("//*[local-name()='script' or local-name()='style' or "
                                  "local-name()='link'] | //@*[starts-with(name(), 'on')]")
            assert all(src.startswith(doc.publication.base_url) for src in root.xpath("//@src"))
            assert not any("url(" in style for style in root.xpath("//@style"))
        assert tree.get("lang") == doc.release.language


def test_an_arabic_release_is_right_to_left(all_docs: list[Document]) -> None:
    arabic = [d for d in all_docs if d.release.language.startswith("ar")]
    assert arabic
    for doc in arabic:
        tree = lxml_html.document_fromstring(html_of(parse(edition.message(doc, STYLES, PDF))))
        assert tree.get("dir") == "rtl" and tree.find("body").get("dir") == "rtl"


def test_a_held_copy_has_the_banner_in_its_subject_and_goes_to_held(
        held: list[Document]) -> None:
    for doc in held:
        msg = parse(edition.message(doc, STYLES, PDF))
        assert msg["Subject"] == f"{doc.banner}: {doc.headline}"
        assert edition.expected_release_paths(doc) == [held_path("email", doc.release.slug)]
        assert message_problems(edition.message(doc, STYLES, PDF), doc) == []
    embargoed = next(d for d in held if d.held == "embargoed")
    assert parse(edition.message(embargoed, STYLES, PDF))["Subject"].startswith(
        "EMBARGOED UNTIL ")


def test_the_check_reports_an_email_without_its_text_part(all_docs: list[Document]) -> None:
    doc = all_docs[0]
    msg = parse(edition.message(doc, STYLES, PDF))
    alternative = next(msg.iter_parts())
    alternative.set_payload([p for p in alternative.iter_parts()
                             if p.get_content_type() != "text/plain"])
    assert "no text/plain part" in message_problems(msg.as_bytes(), doc)


def test_the_check_reports_an_email_without_its_brief(all_docs: list[Document]) -> None:
    doc = all_docs[0]
    msg = parse(edition.message(doc, STYLES, PDF))
    msg.set_payload([next(msg.iter_parts())])
    assert "no PDF brief attached" in message_problems(msg.as_bytes(), doc)


def test_the_check_reports_a_wrong_subject(all_docs: list[Document]) -> None:
    doc = all_docs[0]
    msg = parse(edition.message(doc, STYLES, PDF))
    msg.replace_header("Subject", "Something else")
    assert any(p.startswith("Subject is 'Something else'")
               for p in message_problems(msg.as_bytes(), doc))


def test_the_check_reports_a_text_part_missing_a_sentence(all_docs: list[Document]) -> None:
    doc = next(d for d in all_docs if d.release.slug == "2026-03-10-water-rights")
    data = edition.message(doc, STYLES, PDF)
    msg = parse(data)
    text = next(msg.iter_parts()).get_body(("plain",))
    assert text is not None
    text.set_content(text_of(msg).replace("Second point.", ""), cte="quoted-printable")
    assert any(p.startswith("text part: sentence missing")
               for p in message_problems(msg.as_bytes(), doc))


def test_the_check_reports_a_held_release_s_email_in_dist(tmp_path: Path,
                                                          held: list[Document]) -> None:
    plan = visibility.plan(documents(FIXTURES / "newsroom"), NOW, drafts=True)
    dist = tmp_path / "dist"
    doc = held[0]
    leaked = dist / release_path("email", doc.release.slug)
    leaked.parent.mkdir(parents=True)
    leaked.write_bytes(edition.message(doc, STYLES, PDF))
    assert f"{leaked}: {doc.release.slug} is not public but has a public email output" \
        in check_held(plan, dist)
    assert f"{leaked}: not made by a build of these sources; run make" \
        in check_outputs(plan.public + plan.held, dist)
    assert f"{under(dist, held_path('email', doc.release.slug))}: missing; run make" \
        in check_email(plan.public + plan.held, dist)


def test_the_attachment_is_the_pdf_format_s_brief(tmp_path: Path) -> None:
    """render_release attaches the very bytes the pdf format writes for the release."""
    from pressroom.render import pdf

    docs = documents(FIXTURES / "site")
    doc = docs[-1]
    pub = doc.publication
    job = Job(documents=docs, all_documents=docs, held=[], withdrawn=[], publication=pub,
              source_dir=FIXTURES / "site", styles_dir=STYLES, dist_dir=tmp_path / "dist",
              paper=pub.paper, source_date=NOW)
    [(path, data)] = edition.render_release(doc, job)
    assert path == release_path("email", doc.release.slug)
    [(_, brief)] = pdf.render_release(doc, job)
    attached = next(parse(data).iter_attachments()).get_content()
    assert attached == brief
    assert message_problems(data, doc) == []


def test_the_text_part_fills_its_lines_as_a_reader_sees_the_page(held: list[Document]) -> None:
    """A line break in the source is a space (only <br> breaks a line); the symbol is set
    apart from the kind line."""
    doc = next(d for d in held if d.held == "embargoed")
    text = text_of(parse(edition.message(doc, STYLES, PDF)))
    assert "advance copy\nfrom the press desk." in text
    assert "PRESS RELEASE ERO/PR/2026/014" in text


def test_the_leak_check_reads_an_email_as_a_mail_client_shows_it(tmp_path: Path) -> None:
    """make check's search for held-back releases reads an .eml's headers and decoded parts
    (quoted-printable, base64), so a held headline copied into an e-mail is found."""
    from email.message import EmailMessage

    from pressroom.checks.newsroom import readable_text

    secret = "Rapport d’essai sous embargo – eau potable"
    message = EmailMessage()
    message["Subject"] = "A public release"
    message.set_content(f"Text with {secret} in it.\n", cte="quoted-printable")
    message.add_alternative(f"<p>{secret}</p>", subtype="html", cte="base64")
    path = tmp_path / "x.eml"
    path.write_bytes(message.as_bytes())
    assert secret.encode("utf-8") not in path.read_bytes()  # encoded on disk
    text = readable_text(path)
    assert text.count(secret) == 2 and "Subject: A public release" in text


def with_address(doc: Document, email: str, *, contacts: bool = True) -> Document:
    """`doc` as if publication.yaml said `email:` (and, unless `contacts`, no contacts had one)."""
    import dataclasses

    pub = dataclasses.replace(doc.publication, email=email,
                              contacts=doc.publication.contacts if contacts else ())
    release = doc.release if contacts else dataclasses.replace(doc.release, contacts=())
    return dataclasses.replace(doc, publication=pub, release=release)


def test_the_sender_is_the_press_office_s_address(all_docs: list[Document]) -> None:
    """publication.yaml's `email` is the From, before any contact's address."""
    doc = with_address(all_docs[0], "press@example.org")
    msg = parse(edition.message(doc, STYLES, PDF))
    [sender] = msg["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (doc.publication.name, "press@example.org")
    assert message_problems(edition.message(doc, STYLES, PDF), doc) == []


def test_without_any_address_an_email_has_no_from_and_the_build_says_so(
        all_docs: list[Document], tmp_path: Path) -> None:
    """No invented sender and no invalid From: the header is left to the office's mailer, the
    check accepts that, and the build names publication.yaml."""
    doc = with_address(all_docs[0], "", contacts=False)
    data = edition.message(doc, STYLES, PDF)
    assert parse(data)["From"] is None
    assert message_problems(data, doc) == []
    pub = doc.publication
    job = Job(documents=[doc], all_documents=[doc], held=[], withdrawn=[], publication=pub,
              source_dir=ROOT / "source", styles_dir=STYLES, dist_dir=tmp_path,
              paper=pub.paper, source_date=NOW)
    [notice] = edition.notices(job)
    line = pub.lines.get("email", 1)
    assert notice.startswith(f"{pub.source_path}:{line}: email: no sender address")


def test_the_check_reports_a_from_that_is_not_the_office_s(all_docs: list[Document]) -> None:
    doc = with_address(all_docs[0], "press@example.org")
    other = with_address(doc, "someone@example.com")
    assert f"From '{doc.publication.name} <someone@example.com>' is not " \
        f"'{doc.publication.name}' <press@example.org>" \
        in message_problems(edition.message(other, STYLES, PDF), doc)
