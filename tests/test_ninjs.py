"""IPTC ninjs 2.1: every document valid against IPTC's schema, each field from the release,
reproducible bytes, and a check that notices a document that no longer agrees."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pressroom.checks.ninjs import check_ninjs, schema, schema_errors
from pressroom.load.site import load_site
from pressroom.prepare.document import Document, prepare
from pressroom.render import Job, ninjs

from .conftest import FIXTURES, ROOT

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
STYLES = ROOT / "styles"
SHORT_NOTE = "2026-02-01-short-note.md"


def documents(source: Path) -> list[Document]:
    return prepare(load_site(source))


def by_slug(source: Path) -> dict[str, Document]:
    return {d.release.slug: d for d in documents(source)}


def job_for(docs: list[Document], source: Path) -> Job:
    pub = docs[0].publication
    return Job(documents=docs, all_documents=docs, held=[], withdrawn=[], publication=pub,
               source_dir=source, styles_dir=ROOT / "styles", dist_dir=source.parent / "dist",
               paper=pub.paper, source_date=EPOCH)


def with_front_matter(source: Path, name: str, lines: str) -> None:
    """Add front-matter lines at the top of a copied source file."""
    path = source / name
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    path.write_text("---\n" + lines + text[4:], encoding="utf-8")


@pytest.fixture(scope="module")
def all_docs() -> list[Document]:
    return documents(ROOT / "source") + documents(FIXTURES / "site")


def test_the_vendored_schema_is_ninjs_2_1() -> None:
    loaded = schema()
    assert loaded["$id"] == "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json#"
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "firstcreated" in loaded["$defs"]["ninjsType"]["properties"]


def test_every_document_is_valid(all_docs: list[Document]) -> None:
    assert len(all_docs) >= 3
    for doc in all_docs:
        assert schema_errors(ninjs.ninjs_document(doc, STYLES)) == [], doc.release.slug


def test_the_schema_is_strict(all_docs: list[Document]) -> None:
    """The validator really refuses what ninjs 2.1 does not define (2.1 has no body_html)."""
    item = ninjs.ninjs_document(all_docs[0], STYLES)
    assert schema_errors({**item, "body_html": "<p>x</p>"})
    assert schema_errors({**item, "pubstatus": "withdrawn"})
    assert schema_errors({k: v for k, v in item.items() if k != "uri"})
    assert schema_errors({**item, "associations": [{"uri": "https://example.org/a.png"}]})


def test_the_mapping_of_a_press_release() -> None:
    doc = by_slug(FIXTURES / "site")["2026-03-10-water-rights"]
    release = doc.release
    item = ninjs.ninjs_document(doc, STYLES)
    assert item["uri"] == release.id == "urn:uuid:6f1d3c1e-8a4b-4f0e-9d2a-3b5c7e9f1a20"
    assert item["type"] == "text"
    assert item["pubstatus"] == "usable"
    assert item["standard"] == {"name": "ninjs", "version": "2.1",
                                "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"}
    assert item["language"] == "en-GB"
    assert item["headlines"] == [{"role": "main", "contenttype": "text/plain",
                                  "value": doc.headline}]
    assert item["headlines"][0]["value"].startswith("Experts call for “safe water” <b>now</b> –")
    assert item["descriptions"] == [{"role": "summary", "contenttype": "text/plain",
                                     "value": doc.summary}]
    assert item["firstcreated"] == "2026-03-10T10:00:00+01:00"
    assert item["versioncreated"] == "2026-03-11T09:30:00+01:00"
    assert item["version"] == "1"
    assert item["located"] == "GENEVA / NAIROBI"
    assert item["by"] == "Test Desk"
    assert item["copyrightholder"] == "Example Rights Office"
    assert item["genres"] == [{"literal": "press-release"}]
    assert item["people"] == [{"name": "Ana Example"}]
    assert item["places"] == [{"name": "Geneva"}, {"name": "Nairobi"}]
    assert item["subjects"] == [{"name": "water"}, {"name": "sanitation"},
                                {"name": "rights & duties"}]
    assert [(r["name"], r["href"], r["contenttype"]) for r in item["renditions"]] == [
        ("html", doc.links["html"], "text/html"),
        ("pdf", doc.links["pdf"], "application/pdf"),
        ("epub", doc.links["epub"], "application/epub+zip")]
    for absent in ("embargoed", "urgency", "profile", "associations", "altids", "body_html"):
        assert absent not in item


def test_the_body_is_the_article_without_its_headline() -> None:
    """The page's article (`_article.html`), without the kind line and headline the item
    carries as metadata: lead, body, boilerplate, contacts, source and web address."""
    doc = by_slug(FIXTURES / "site")["2026-03-10-water-rights"]
    (body,) = ninjs.ninjs_document(doc, STYLES)["bodies"]
    assert (body["role"], body["contenttype"]) == ("main", "text/html")
    html = body["value"]
    assert html.startswith('<article class="release">') and html.endswith("</article>")
    assert '<p class="summary"><span class="dateline"><span class="place">GENEVA / NAIROBI' \
           "</span> (" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the summary is escaped
    assert "<script" not in html
    assert str(doc.body_html).strip() in html
    assert "imaginary body used in <strong>pressroom</strong>" in html  # boilerplate
    order = ["summary", "Water is life", "imaginary body", "Media contacts", "Source: ",
             f'Online: <a href="{doc.url}">']
    assert [html.index(part) for part in order] == sorted(html.index(part) for part in order)
    assert doc.headline not in html and "<h1" not in html and doc.kind_label not in html
    assert "id=" not in html and "PDF brief" not in html
    assert 'href="https://www.example.org/statements/water"' in html


def test_the_body_leaves_the_picture_to_the_association(site_copy: Path) -> None:
    pytest.importorskip("PIL.Image").new("RGB", (30, 20)).save(site_copy / "photo.png", "PNG")
    with_front_matter(site_copy, SHORT_NOTE, "image:\n  src: photo.png\n  alt: A rectangle.\n")
    item = ninjs.ninjs_document(by_slug(site_copy)["2026-02-01-short-note"], STYLES)
    assert "associations" in item
    assert "<img" not in item["bodies"][0]["value"]


def test_the_seed() -> None:
    (doc,) = documents(ROOT / "source")
    item = ninjs.ninjs_document(doc, STYLES)
    assert item["uri"] == "tag:press.example.org,2017-01-25:un-news/mexico-human-rights-defenders"
    assert item["language"] == "en"
    assert item["by"] == item["copyrightholder"] == "UN News"
    assert item["genres"] == [{"literal": "news-story"}]
    assert datetime.fromisoformat(item["firstcreated"]) == doc.release.published
    assert datetime.fromisoformat(item["firstcreated"]).utcoffset() is not None
    assert {"name": "Michel Forst"} in item["people"]
    assert {"name": "Mexico City"} in item["places"]
    assert "Special Rapporteurs and independent experts are appointed" in item["bodies"][0]["value"]
    assert "associations" not in item  # the seed has no photo
    assert "located" not in item


def test_bytes_are_reproducible(all_docs: list[Document], tmp_path: Path) -> None:
    docs = documents(FIXTURES / "site")
    job = job_for(docs, FIXTURES / "site")
    for doc in docs:
        ((path, data),) = ninjs.render_release(doc, job)
        assert path == f"ninjs/{doc.release.slug}.json"
        assert ninjs.expected_release_paths(doc) == [path]
        again = documents(FIXTURES / "site")
        same = next(d for d in again if d.release.id == doc.release.id)
        assert ninjs.render_release(same, job) == [(path, data)]
        item = json.loads(data.decode("utf-8"))
        expected = json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        assert data == expected.encode("utf-8")
        assert "\\u" not in data.decode("utf-8")  # non-ASCII text is written as is


def test_held_releases_get_nothing() -> None:
    docs = documents(FIXTURES / "site")
    held = dataclasses.replace(docs[0], held="embargoed")
    job = job_for(docs, FIXTURES / "site")
    assert ninjs.render_release(held, job) == []
    assert ninjs.expected_release_paths(held) == []
    owned = ninjs.owned(dataclasses.replace(job, all_documents=[held, *docs[1:]]))
    assert owned == {"ninjs/*.json": {f"ninjs/{d.release.slug}.json" for d in docs[1:]}}
    assert list(ninjs.render_collections(job)) == []


def test_a_corrected_release(site_copy: Path) -> None:
    with_front_matter(site_copy, SHORT_NOTE, (
        "corrections:\n"
        "  - date: 2026-02-02T09:00:00+01:00\n"
        "    text: The title of the note was corrected.\n"
        "  - date: 2026-02-03T10:00:00+01:00\n"
        "    text: A \"date\" was corrected.\n"))
    doc = by_slug(site_copy)["2026-02-01-short-note"]
    item = ninjs.ninjs_document(doc, STYLES)
    assert item["version"] == "3"
    assert item["uri"] == "tag:press.example.org,2026-02-01:ero/short-note"
    assert item["versioncreated"] == "2026-02-03T10:00:00+01:00"
    assert item["firstcreated"] == "2026-02-01T12:00:00+01:00"
    html = item["bodies"][0]["value"]
    assert html.count('<p class="correction">') == 2
    assert '<time datetime="2026-02-03T10:00:00+01:00">3 February 2026</time>' in html
    assert "A “date” was corrected." in html
    assert schema_errors(item) == []


def test_embargo_and_symbol() -> None:
    doc = by_slug(FIXTURES / "site")["2026-02-01-short-note"]
    lifted = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    release = dataclasses.replace(doc.release, embargo_until=lifted, symbol="SG/SM/19057")
    item = ninjs.ninjs_document(dataclasses.replace(doc, release=release), STYLES)
    assert item["embargoed"] == "2026-02-01T10:00:00+00:00"
    assert item["altids"] == [{"role": "symbol", "value": "SG/SM/19057"}]
    assert schema_errors(item) == []


def test_naive_dates_are_refused() -> None:
    doc = by_slug(FIXTURES / "site")["2026-02-01-short-note"]
    naive = dataclasses.replace(doc.release, updated=datetime(2026, 2, 1, 12, 0))
    with pytest.raises(ValueError, match="no time zone"):
        ninjs.ninjs_document(dataclasses.replace(doc, release=naive), STYLES)


def test_the_image_is_an_associated_picture(site_copy: Path) -> None:
    pytest.importorskip("pressroom.media")
    image = pytest.importorskip("PIL.Image")
    image.new("RGB", (300, 200), (40, 90, 160)).save(site_copy / "photo.png", "PNG")
    with_front_matter(site_copy, SHORT_NOTE, (
        "image:\n"
        "  src: photo.png\n"
        "  alt: A blue rectangle.\n"
        "  caption: The note's only picture.\n"
        "  credit: Test Desk/ERO\n"
        "  licence: CC BY 4.0\n"))
    doc = by_slug(site_copy)["2026-02-01-short-note"]
    item = ninjs.ninjs_document(doc, STYLES)
    assert schema_errors(item) == []
    (picture,) = item["associations"]
    assert picture["name"] == "image"
    assert picture["uri"] == doc.links["image"]
    assert picture["uri"] == "https://press.example.org/ero/images/2026-02-01-short-note.png"
    assert picture["type"] == "picture"
    assert picture["headlines"] == [{"role": "caption", "contenttype": "text/plain",
                                     "value": "The note’s only picture."}]  # typeset
    assert picture["descriptions"] == [{"role": "alt", "contenttype": "text/plain",
                                        "value": "A blue rectangle."}]
    assert picture["by"] == "Test Desk/ERO"
    assert picture["usageterms"] == "CC BY 4.0"
    (rendition,) = picture["renditions"]
    assert rendition["href"] == doc.links["image"]
    assert (rendition["contenttype"], rendition["width"], rendition["height"]) == (
        "image/png", 300, 200)
    assert rendition["sizeinbytes"] > 0


def write_dist(docs: list[Document], dist: Path, job: Job) -> None:
    for doc in docs:
        for path, data in ninjs.render_release(doc, job):
            (dist / path).parent.mkdir(parents=True, exist_ok=True)
            (dist / path).write_bytes(data)


def tamper(path: Path, change: Any) -> None:
    item = json.loads(path.read_text(encoding="utf-8"))
    change(item)
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")


def test_check_ninjs(tmp_path: Path) -> None:
    docs = documents(FIXTURES / "site")
    dist = tmp_path / "dist"
    write_dist(docs, dist, job_for(docs, FIXTURES / "site"))
    assert check_ninjs(docs, dist) == []
    first, second = (dist / f"ninjs/{d.release.slug}.json" for d in docs)

    tamper(first, lambda item: item["headlines"][0].update(value="Another headline"))
    tamper(second, lambda item: item.update(firstcreated="2020-01-01T00:00:00Z",
                                            body_html="<p>not ninjs 2.1</p>"))
    problems = check_ninjs(docs, dist)
    assert any(p.startswith(f"{first}: headline is 'Another headline'") for p in problems)
    assert any(p.startswith(f"{second}: firstcreated is 2020-01-01T00:00:00Z") for p in problems)
    assert any(p.startswith(f"{second}: (root): Unevaluated properties") for p in problems)
    assert len(problems) == 3, problems
    second.unlink()
    assert f"{second}: missing; run make" in check_ninjs(docs, dist)


def test_check_ninjs_reports_other_disagreements(tmp_path: Path) -> None:
    (doc,) = documents(ROOT / "source")
    dist = tmp_path / "dist"
    write_dist([doc], dist, job_for([doc], ROOT / "source"))
    path = dist / "ninjs" / f"{doc.release.slug}.json"
    tamper(path, lambda item: item.update(uri="tag:example.org,2017:other", language="fr",
                                          versioncreated="2017-01-25 12:00",
                                          embargoed="2017-01-24T00:00:00+00:00"))
    problems = [p.removeprefix(f"{path}: ") for p in check_ninjs([doc], dist)]
    assert any(p.startswith("uri is 'tag:example.org,2017:other'") for p in problems)
    assert any(p.startswith("language is 'fr'") for p in problems)
    assert any(p.startswith("versioncreated is '2017-01-25 12:00', not an ISO 8601")
               for p in problems)
    assert any(p.startswith("embargoed is '2017-01-24T00:00:00+00:00'; the release has none")
               for p in problems)
    path.write_bytes(b"\xff not json")
    (problem,) = check_ninjs([doc], dist)
    assert problem.startswith(f"{path}: not UTF-8 JSON")
