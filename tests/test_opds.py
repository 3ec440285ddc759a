"""The OPDS 1.2 catalogue: valid against the OPDS schema, every public release's EPUB and PDF
offered and nothing else, the Atom feed's entry ids, paged like the Atom archive and renewed
group by group, reproducible; and a check that notices a catalogue gone wrong."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from pressroom.checks.opds import check_opds, jing
from pressroom.load.site import load_site
from pressroom.plan import visibility
from pressroom.prepare.document import Document, prepare

from .conftest import (
    FIXTURES,
    NEWSROOM_BEFORE,
    build_ok,
    release_text,
    rewritten,
    site_with_releases,
    snapshot,
)

A = "{http://www.w3.org/2005/Atom}"
ACQUIRE = "http://opds-spec.org/acquisition"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
NEWSROOM = FIXTURES / "newsroom"


def plan_of(source: Path, now: str) -> visibility.Plan:
    return visibility.plan(prepare(load_site(source)),
                           datetime.fromisoformat(now.replace("Z", "+00:00")), False)


def absent(plan: visibility.Plan) -> list[Document]:
    return plan.held + plan.withdrawn + plan.skipped


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ with the newsroom's feeds and catalogue: one release held, one withdrawn, one
    draft left out."""
    dist = tmp_path_factory.mktemp("opds-newsroom") / "dist"
    build_ok(NEWSROOM, dist, "--format", "feed,opds,html,epub", "--no-cache", now=NEWSROOM_BEFORE)
    return dist


@pytest.fixture
def broken(newsroom: Path, tmp_path: Path) -> Path:
    """A writable copy of the newsroom's dist/."""
    shutil.copytree(newsroom, tmp_path / "dist")
    return tmp_path / "dist"


def documents_of(dist: Path) -> list[Path]:
    return sorted((dist / "opds").rglob("*.xml"))


def test_every_catalogue_document_is_valid_opds_1_2(newsroom: Path) -> None:
    files = documents_of(newsroom)
    assert {f.relative_to(newsroom).as_posix() for f in files} >= {
        "opds/index.xml", "opds/new.xml", "opds/months.xml", "opds/kinds.xml"}
    assert jing(files) == []


def test_the_schema_refuses_what_opds_forbids(broken: Path) -> None:
    """The vendored schema is not a no-op: an opds:price on a plain acquisition link (OPDS
    allows one only on buy, borrow, subscribe and sample links) fails it."""
    path = broken / "opds" / "new.xml"
    text = path.read_text(encoding="utf-8")
    bad = text.replace('type="application/pdf"/>', 'type="application/pdf">'
                       '<opds:price currencycode="USD">1</opds:price></link>', 1)
    assert bad != text
    path.write_text(bad, encoding="utf-8")
    assert any("new.xml" in p for p in jing([path]))


def test_every_public_release_offers_its_epub_and_pdf_and_nothing_else_is_offered(
        newsroom: Path) -> None:
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    assert plan.public and plan.held and plan.withdrawn and plan.skipped
    assert check_opds(plan.public, absent(plan), newsroom) == []
    newest = feedparser.parse((newsroom / "opds" / "new.xml").read_bytes())
    by_id = {e.id: e for e in newest.entries}
    for doc in plan.public:
        links = {(link.href, link.type) for link in by_id[doc.release.id].links
                 if link.rel == ACQUIRE}
        assert links == {(doc.links["epub"], "application/epub+zip"),
                         (doc.links["pdf"], "application/pdf")}
    text = "".join(p.read_text(encoding="utf-8") for p in documents_of(newsroom))
    for doc in absent(plan):
        assert doc.release.id not in text
        assert doc.release.slug not in text


def test_entries_carry_the_atom_feeds_ids_and_the_releases_metadata(newsroom: Path) -> None:
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    atom = feedparser.parse((newsroom / "feed" / "atom.xml").read_bytes())
    opds = etree.parse(str(newsroom / "opds" / "new.xml")).getroot()
    entries = opds.findall(f"{A}entry")
    assert [e.findtext(f"{A}id") for e in entries] == [e.id for e in atom.entries]
    docs = {d.release.id: d for d in plan.public}
    dc = "{http://purl.org/dc/terms/}"
    for entry in entries:
        doc = docs[entry.findtext(f"{A}id")]
        assert entry.findtext(f"{dc}language") == doc.release.language
        assert entry.findtext(f"{dc}issued") == doc.date_iso
        assert entry.findtext(f"{A}summary") == doc.summary
        assert entry.findtext(f"{A}author/{A}name") == doc.release.publisher
        terms = {c.get("term") for c in entry.findall(f"{A}category")}
        assert terms == {*doc.release.keywords, doc.release.kind}
        assert any(link.get("rel") == "alternate" and link.get("href") == doc.url
                   and link.get("type") == "text/html" for link in entry.findall(f"{A}link"))


def test_navigation_links_and_types(newsroom: Path) -> None:
    """The root leads to the newest releases, by month and by kind; every document links its
    start (the root) and itself; links to navigation and acquisition feeds say which."""
    root = etree.parse(str(newsroom / "opds" / "index.xml")).getroot()
    base = "https://"
    targets = {link.get("href").rsplit("/opds/", 1)[1]: link.get("type")
               for link in root.iterfind(f"{A}entry/{A}link")}
    assert targets == {"new.xml": ACQUISITION, "months.xml": NAVIGATION,
                       "kinds.xml": NAVIGATION}
    for path in documents_of(newsroom):
        tree = etree.parse(str(path)).getroot()
        links = {link.get("rel"): link for link in tree.iterfind(f"{A}link")}
        assert links["start"].get("href").endswith("/opds/index.xml")
        assert links["start"].get("type") == NAVIGATION
        assert links["self"].get("href").endswith(
            "/" + path.relative_to(newsroom).as_posix())
        assert links["self"].get("href").startswith(base)
        kind = NAVIGATION if tree.find(f"{A}entry/{A}link[@rel='{ACQUIRE}']") is None \
            and path.name != "new.xml" and "/" not in path.relative_to(
                newsroom / "opds").as_posix() else ACQUISITION
        assert links["self"].get("type") == kind
        if path.name != "index.xml":
            assert "up" in links


def test_a_catalogue_with_several_languages_browses_by_language(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build_ok(FIXTURES / "languages", dist, "--format", "opds", "--no-cache")
    root = (dist / "opds" / "index.xml").read_text(encoding="utf-8")
    assert "/opds/languages.xml" in root
    languages = sorted(p.stem for p in (dist / "opds" / "language").glob("*.xml"))
    assert len(languages) > 1
    assert jing(documents_of(dist)) == []


# --- the check breaks on purpose ------------------------------------------------------------


def test_check_reports_a_missing_acquisition_link(broken: Path) -> None:
    path = broken / "opds" / "new.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'\s*<link rel="http://opds-spec.org/acquisition" href="[^"]+" '
                           r'type="application/pdf"/>', "", text, count=1), encoding="utf-8")
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    problems = check_opds(plan.public, absent(plan), broken)
    assert any(str(path) in p and "no acquisition link to its PDF" in p for p in problems)


def test_check_reports_a_wrong_media_type(broken: Path) -> None:
    path = broken / "opds" / "new.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('type="application/epub+zip"', 'type="application/zip"', 1),
                    encoding="utf-8")
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    problems = check_opds(plan.public, absent(plan), broken)
    assert any(str(path) in p and "offered as application/zip, not application/epub+zip" in p
               for p in problems)


def test_every_entry_links_its_cover_as_image_and_thumbnail(newsroom: Path) -> None:
    """The OPDS picture of a release is its cover, the file the web page's og:image names."""
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    root = etree.parse(str(newsroom / "opds" / "new.xml")).getroot()
    for doc in plan.public:
        entry = next(e for e in root.iterfind(f"{A}entry")
                     if e.findtext(f"{A}id") == doc.release.id)
        want = doc.publication.base_url + f"covers/{doc.release.slug}.png"
        for rel in ("http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"):
            links = [(link.get("href"), link.get("type"))
                     for link in entry.iterfind(f"{A}link") if link.get("rel") == rel]
            assert links == [(want, "image/png")]
        assert (newsroom / "covers" / f"{doc.release.slug}.png").is_file()


def test_check_reports_a_cover_link_that_does_not_resolve(broken: Path) -> None:
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    doc = plan.public[0]
    (broken / "covers" / f"{doc.release.slug}.png").unlink()
    problems = check_opds(plan.public, absent(plan), broken)
    assert any(doc.release.id in p and "is not in" in p and "run make" in p for p in problems)


def test_check_reports_a_missing_thumbnail_link(broken: Path) -> None:
    path = broken / "opds" / "new.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'\s*<link rel="http://opds-spec.org/image/thumbnail"[^>]*/>', "",
                           text, count=1), encoding="utf-8")
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    problems = check_opds(plan.public, absent(plan), broken)
    assert any(str(path) in p and "image/thumbnail: none, not its cover" in p
               for p in problems)


def test_check_reports_a_withdrawn_release_present(broken: Path) -> None:
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    gone = plan.withdrawn[0]
    path = broken / "opds" / "new.xml"
    tree = etree.parse(str(path))
    entry = tree.getroot().find(f"{A}entry")
    assert entry is not None
    entry.find(f"{A}id").text = gone.release.id  # type: ignore[union-attr]
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    problems = check_opds(plan.public, absent(plan), broken)
    assert any(str(path) in p and repr(gone.release.id) in p and "not public" in p
               for p in problems)


def test_check_reports_a_document_the_schema_refuses(broken: Path) -> None:
    path = broken / "opds" / "months.xml"
    path.write_text(path.read_text(encoding="utf-8").replace("<title>", "<titel>", 1)
                    .replace("</title>", "</titel>", 1), encoding="utf-8")
    plan = plan_of(NEWSROOM, NEWSROOM_BEFORE)
    assert any(p.startswith(f"{path}:") for p in check_opds(plan.public, absent(plan), broken))


# --- pages, renewal, reproducibility --------------------------------------------------------

EXTRA = [("2025-11-05", "november"), ("2025-12-01", "december-one"),
         ("2025-12-15", "december-two")]


@pytest.fixture
def paged(tmp_path: Path) -> tuple[Path, Path]:
    """The test site with three more releases and `feed: size: 2`: five releases, two full
    archive pages; built with its records (so the next build renews group by group)."""
    source = site_with_releases(tmp_path / "source", EXTRA)
    publication = source / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace(
        "\nfeed:\n", "\nfeed:\n  size: 2\n"), encoding="utf-8")
    dist = tmp_path / "dist"
    build_ok(source, dist, "--format", "opds")
    return source, dist


def test_older_releases_are_in_archive_pages_linked_like_the_atom_archive(
        paged: tuple[Path, Path]) -> None:
    _, dist = paged
    pages = sorted(p.name for p in (dist / "opds" / "archive").glob("*.xml"))
    assert pages == ["page-1.xml", "page-2.xml"]
    newest = etree.parse(str(dist / "opds" / "new.xml")).getroot()
    assert len(newest.findall(f"{A}entry")) == 2
    links = {link.get("rel"): link.get("href") for link in newest.iterfind(f"{A}link")}
    assert links["prev-archive"].endswith("/opds/archive/page-2.xml")
    two = etree.parse(str(dist / "opds" / "archive" / "page-2.xml")).getroot()
    links = {link.get("rel"): link.get("href") for link in two.iterfind(f"{A}link")}
    assert links["prev-archive"].endswith("/opds/archive/page-1.xml")
    assert links["current"].endswith("/opds/new.xml")
    assert two.find("{http://purl.org/syndication/history/1.0}archive") is not None
    one = etree.parse(str(dist / "opds" / "archive" / "page-1.xml")).getroot()
    assert "prev-archive" not in {link.get("rel") for link in one.iterfind(f"{A}link")}
    assert jing(documents_of(dist)) == []


def test_a_stale_release_rewrites_only_the_groups_holding_it(
        paged: tuple[Path, Path]) -> None:
    source, dist = paged
    path = source / "2025-12-01-december-one.md"
    path.write_text(release_text("2025-12-01", "december-one", "A corrected body."),
                    encoding="utf-8")
    before = snapshot(dist)
    build_ok(source, dist, "--format", "opds", "--changed", str(path))
    groups = {k for k in rewritten(before, snapshot(dist))
              if k.count("/") == 2}  # opds/<group>/<name>.xml
    assert groups == {"opds/month/2025-12.xml", "opds/kind/press-release.xml",
                      "opds/archive/page-1.xml"}


def test_full_archive_pages_are_never_rewritten_when_a_newer_release_comes(
        paged: tuple[Path, Path]) -> None:
    source, dist = paged
    before = snapshot(dist)
    new = source / "2026-04-01-april.md"
    new.write_text(release_text("2026-04-01", "april"), encoding="utf-8")
    build_ok(source, dist, "--format", "opds", "--changed", str(new))
    changed = rewritten(before, snapshot(dist))
    assert {k for k in changed if k.startswith("opds/archive/")} == {
        "opds/archive/page-3.xml"}  # six releases: a third page, the two full ones untouched
    assert "opds/month/2026-04.xml" in changed


def test_the_catalogue_is_reproducible(tmp_path: Path) -> None:
    """Two builds, at different times, of the same sources: the same bytes; and a catalogue
    without releases is dated SOURCE_DATE_EPOCH, not by the clock."""
    first, second = tmp_path / "one" / "dist", tmp_path / "two" / "dist"
    build_ok(NEWSROOM, first, "--format", "opds", "--no-cache", now=NEWSROOM_BEFORE)
    build_ok(NEWSROOM, second, "--format", "opds", "--no-cache", now=NEWSROOM_BEFORE)
    assert {p.name: p.read_bytes() for p in documents_of(first)} == {
        p.name: p.read_bytes() for p in documents_of(second)}


def test_an_empty_catalogue_is_dated_source_date_epoch(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(FIXTURES / "site" / "publication.yaml", source / "publication.yaml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dist = tmp_path / "dist"
    build_ok(source, dist, "--format", "opds", "--no-cache")
    root = etree.parse(str(dist / "opds" / "index.xml")).getroot()
    when = datetime.fromtimestamp(1700000000, UTC).isoformat().replace("+00:00", "Z")
    assert root.findtext(f"{A}updated") == when
    assert jing(documents_of(dist)) == []


def test_web_pages_and_the_index_link_the_catalogue_for_autodiscovery(tmp_path: Path) -> None:
    """OPDS autodiscovery: rel="related" to the root navigation feed, after the CSP meta."""
    dist = tmp_path / "dist"
    build_ok(FIXTURES / "site", dist, "--format", "html", "--no-cache")
    pages = [dist / "index.html", *sorted((dist / "releases").glob("*.html"))]
    assert len(pages) == 3
    for page in pages:
        head = etree.parse(str(page)).getroot().find("{http://www.w3.org/1999/xhtml}head")
        assert head is not None
        children = list(head)
        links = [c for c in children if c.tag.endswith("link") and c.get("rel") == "related"]
        assert [(c.get("type"), c.get("href")) for c in links] == [
            (NAVIGATION, "https://press.example.org/ero/opds/index.xml")]
        csp = next(i for i, c in enumerate(children)
                   if c.get("http-equiv") == "Content-Security-Policy")
        assert csp < children.index(links[0])
