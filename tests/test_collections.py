"""What spans releases: feed archives (RFC 5005), the JSON Feed, the paged web index and the
digest EPUBs, on a copy of the test site with `feed: size: 1` and three more releases.

With size 1 every release fills an archive page of its own: page 1 is the oldest release,
page 5 the newest, and the subscription feed carries the newest release and points at page 5.
The site is built once (module fixture); tests that change it work on private copies of the
sources and of dist/ (mtimes kept) and rebuild incrementally, passing `--changed` what make
would pass: the changed sources, or nothing when only the list of sources changed (a deletion).
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from pressroom.checks.collections import (
    check_feed_archives,
    check_json_feed,
    check_web_archives,
)
from pressroom.load.site import load_site
from pressroom.plan import visibility
from pressroom.plan.grouping import chronological
from pressroom.prepare.document import Document, prepare

from .conftest import (
    FIXTURES,
    ROOT,
    add_release,
    build_ok,
    jing,
    release_text,
    rewritten,
    run,
    site_with_releases,
    snapshot,
)

ATOM = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
BASE = "https://press.example.org/ero/"
SIZE = 1
EXTRA = (("2025-11-05", "november"), ("2025-12-01", "december-one"),
         ("2025-12-15", "december-two"))
"""Releases added to the test site's two (2026-02-01 and 2026-03-10): five in four months."""
MONTHS = {"2025-11", "2025-12", "2026-02", "2026-03"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def make_source(target: Path) -> Path:
    site_with_releases(target, EXTRA)
    publication = target / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    assert "\nfeed:\n" in text
    publication.write_text(text.replace("\nfeed:\n", f"\nfeed:\n  size: {SIZE}\n"),
                           encoding="utf-8")
    return target


def documents(source: Path) -> list[Document]:
    return prepare(load_site(source))


@dataclass
class Site:
    source: Path
    dist: Path

    @property
    def docs(self) -> list[Document]:
        return documents(self.source)

    def oldest_first(self) -> list[Document]:
        return chronological(self.docs)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The five-release site, every format built (do not change it)."""
    root = tmp_path_factory.mktemp("collections")
    source = make_source(root / "source")
    build_ok(source, root / "dist")
    return Site(source, root / "dist")


@pytest.fixture
def copy(site: Site, tmp_path: Path) -> Site:
    """A private copy of the built site (sources, dist/ and the build's records, mtimes
    kept)."""
    mine = Site(tmp_path / "source", tmp_path / "dist")
    shutil.copytree(site.source, mine.source)
    shutil.copytree(site.dist, mine.dist)
    shutil.copytree(site.dist.parent / ".build", tmp_path / ".build")
    return mine


def atom(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def links(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for link in root.iterfind(f"{ATOM}link"):
        rel = link.get("rel", "alternate")
        assert rel not in found, f"two rel={rel} links"
        found[rel] = link.get("href", "")
    return found


def entry_ids(root: etree._Element) -> list[str]:
    return [e.findtext(f"{ATOM}id") or "" for e in root.iterfind(f"{ATOM}entry")]


def archive_files(dist: Path) -> list[str]:
    return sorted(p.name for p in (dist / "feed" / "archive").glob("*.xml"))


def ids(docs: list[Document]) -> list[str]:
    return [d.release.id for d in docs]


# --- Atom: the subscription feed and the archive documents ----------------------------------------


def test_subscription_feed_holds_the_newest_and_links_the_newest_archive(site: Site) -> None:
    ordered = site.oldest_first()
    root = atom(site.dist / "feed" / "atom.xml")
    assert entry_ids(root) == [ordered[-1].release.id]  # the newest `size` release(s)
    feed_links = links(root)
    assert feed_links["self"] == BASE + "feed/atom.xml"
    assert feed_links["prev-archive"] == BASE + f"feed/archive/atom-{len(ordered)}.xml"
    assert "current" not in feed_links
    assert root.find(f"{FH}archive") is None  # the subscription feed is not an archive


def test_rss_carries_the_same_newest_entries(site: Site) -> None:
    import feedparser

    parsed = feedparser.parse((site.dist / "feed" / "rss.xml").read_bytes())
    assert parsed.bozo == 0
    assert [e.id for e in parsed.entries] == [site.oldest_first()[-1].release.id]


def test_archive_documents_are_the_full_pages_oldest_first(site: Site) -> None:
    ordered = site.oldest_first()
    assert archive_files(site.dist) == sorted(f"atom-{n}.xml"
                                              for n in range(1, len(ordered) + 1))
    for number, doc in enumerate(ordered, start=1):
        root = atom(site.dist / "feed" / "archive" / f"atom-{number}.xml")
        assert root.find(f"{FH}archive") is not None, number
        page_links = links(root)
        assert page_links["self"] == BASE + f"feed/archive/atom-{number}.xml"
        assert page_links["current"] == BASE + "feed/atom.xml"
        if number == 1:
            assert "prev-archive" not in page_links
        else:
            assert page_links["prev-archive"] == BASE + f"feed/archive/atom-{number - 1}.xml"
        assert "next-archive" not in page_links or page_links["next-archive"].endswith(
            f"atom-{number + 1}.xml")
        assert entry_ids(root) == [doc.release.id]
        entry = root.find(f"{ATOM}entry")
        assert entry is not None and entry.findtext(f"{ATOM}title") == doc.headline
        # the page is dated by its own releases, not the newest release or the clock
        assert datetime.fromisoformat(root.findtext(f"{ATOM}updated") or "") == \
            doc.release.updated.replace(microsecond=0)


def test_every_release_is_in_some_feed_document(site: Site) -> None:
    seen = set(entry_ids(atom(site.dist / "feed" / "atom.xml")))
    for path in (site.dist / "feed" / "archive").glob("atom-*.xml"):
        seen |= set(entry_ids(atom(path)))
    assert seen == set(ids(site.docs))


def test_pressrooms_own_collection_checks_pass(site: Site) -> None:
    docs = site.docs
    assert check_feed_archives(docs, site.dist) == []
    assert check_json_feed(docs, site.dist) == []
    assert check_web_archives(docs, site.dist) == []


def test_collection_checks_catch_a_broken_archive(copy: Site) -> None:
    """The checks used above can fail: a page without fh:archive and with another page's
    entries is reported, and so is a subscription feed pointing at the wrong page."""
    page = copy.dist / "feed" / "archive" / "atom-2.xml"
    text = (copy.dist / "feed" / "archive" / "atom-1.xml").read_text(encoding="utf-8")
    page.write_text(text.replace("<fh:archive/>", ""), encoding="utf-8")
    feed = copy.dist / "feed" / "atom.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace("atom-5.xml", "atom-4.xml"),
                    encoding="utf-8")
    problems = check_feed_archives(copy.docs, copy.dist)
    assert any("atom-2.xml: no fh:archive" in p for p in problems)
    assert any("atom-2.xml: entries are not this page's releases" in p for p in problems)
    assert any("prev-archive is not the newest archive page" in p for p in problems)


def test_only_full_pages_are_archived(tmp_path: Path) -> None:
    """With `size: 2`, five releases make two full pages; the newest release is on no page
    yet, only in the subscription feed (and the front index)."""
    source = make_source(tmp_path / "source")
    publication = source / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace(
        f"  size: {SIZE}\n", "  size: 2\n"), encoding="utf-8")
    dist = tmp_path / "dist"
    build_ok(source, dist, "--format", "feed,html")
    ordered = chronological(documents(source))
    assert archive_files(dist) == ["atom-1.xml", "atom-2.xml"]
    assert sorted(p.name for p in (dist / "archive").glob("*.html")) == ["page-1.html",
                                                                    "page-2.html"]
    for number in (1, 2):
        page = ordered[2 * (number - 1):2 * number]
        want = ids(list(reversed(page)))
        assert entry_ids(atom(dist / "feed" / "archive" / f"atom-{number}.xml")) == want
        slugs = [d.release.slug for d in reversed(page)]
        assert release_links(xhtml(dist / "archive" / f"page-{number}.html")) == slugs
    root = atom(dist / "feed" / "atom.xml")
    assert entry_ids(root) == ids(list(reversed(ordered[-2:])))
    assert links(root)["prev-archive"] == BASE + "feed/archive/atom-2.xml"
    assert release_links(xhtml(dist / "index.html")) == [d.release.slug
                                                         for d in reversed(ordered[-2:])]
    docs = documents(source)
    assert check_feed_archives(docs, dist) == []
    assert check_web_archives(docs, dist) == []


def test_archive_documents_are_valid_rfc_4287(site: Site) -> None:
    files = [site.dist / "feed" / "atom.xml",
             *sorted((site.dist / "feed" / "archive").glob("atom-*.xml"))]
    result = jing(*files)
    noise = "\n".join(line for line in result.stderr.splitlines()
                      if not line.startswith("[warning]"))
    assert result.returncode == 0, result.stdout + noise


# --- JSON Feed 1.1 -------------------------------------------------------------------------------


def test_json_feed(site: Site) -> None:
    feed = json.loads((site.dist / "feed" / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == BASE + "feed/feed.json"
    assert feed["home_page_url"] == BASE
    assert feed["title"] == "Example Rights Office – press releases"
    newest = list(reversed(site.oldest_first()))[:SIZE]
    assert [item["id"] for item in feed["items"]] == ids(newest)
    for item, doc in zip(feed["items"], newest, strict=True):
        assert item["url"] == doc.url == BASE + f"releases/{doc.release.slug}.html"
        assert item["title"] == doc.headline
        assert item["language"] == doc.release.language
        assert "safe water" in item["content_html"]  # the newest is the water release
        for key in ("date_published", "date_modified"):
            assert RFC3339.match(item[key]), item[key]
        assert datetime.fromisoformat(item["date_published"]) == doc.release.published
        assert datetime.fromisoformat(item["date_modified"]) == doc.release.updated


# --- the web index and its archive pages ---------------------------------------------------------


def xhtml(path: Path) -> etree._Element:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False,
                                                   no_network=True)).getroot()


def release_links(root: etree._Element) -> list[str]:
    """Slugs of the releases a page lists, in order."""
    return [PurePosixPath(a.get("href", "")).stem
            for a in root.iterfind(f".//{XHTML}ul[@class='releases']//{XHTML}a")]


def test_index_lists_the_newest_and_links_every_archive_page(site: Site) -> None:
    ordered = site.oldest_first()
    root = xhtml(site.dist / "index.html")
    assert release_links(root) == [d.release.slug for d in reversed(ordered)][:SIZE]
    hrefs = {a.get("href") for a in root.iterfind(f".//{XHTML}a")}
    for number in range(1, len(ordered) + 1):
        assert f"archive/page-{number}.html" in hrefs


def test_archive_pages_list_their_releases(site: Site) -> None:
    ordered = site.oldest_first()
    pages = sorted(p.name for p in (site.dist / "archive").glob("*.html"))
    assert pages == sorted(f"page-{n}.html" for n in range(1, len(ordered) + 1))
    for number, doc in enumerate(ordered, start=1):
        root = xhtml(site.dist / "archive" / f"page-{number}.html")
        assert release_links(root) == [doc.release.slug]
        hrefs = {a.get("href") for a in root.iterfind(f".//{XHTML}a")}
        assert f"../releases/{doc.release.slug}.html" in hrefs
        assert "../index.html" in hrefs
        if number > 1:
            assert f"../archive/page-{number - 1}.html" in hrefs


# --- digests --------------------------------------------------------------------------------------


class Book:
    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.members = {n: archive.read(n) for n in archive.namelist()}
        self.opf = etree.fromstring(self.members["EPUB/content.opf"])
        manifest = {i.get("id"): i.get("href") for i in self.opf.iter(f"{OPF}item")}
        self.spine = [manifest[r.get("idref")] for r in self.opf.iter(f"{OPF}itemref")]

    def nav(self) -> list[str]:
        root = etree.fromstring(self.members["EPUB/nav.xhtml"])
        return [" ".join("".join(map(str, a.itertext())).split()) for a in root.iter(f"{XHTML}a")]

    def text(self, name: str) -> str:
        root = etree.fromstring(self.members[f"EPUB/{name}"])
        return " ".join("".join(map(str, root.itertext())).split())


def test_digest_of_all_releases(site: Site) -> None:
    newest = list(reversed(site.oldest_first()))
    book = Book(site.dist / "epub" / "digests" / "all.epub")
    assert book.spine == ["title.xhtml", *(f"{d.release.slug}.xhtml" for d in newest)]
    title = book.text("title.xhtml")
    assert "Example Rights Office" in title and "All releases" in title
    assert "5 releases, 5 November 2025 to 10 March 2026" in title
    assert book.nav() == [f"{d.date_text} – {d.headline}" for d in newest]
    for doc in newest:
        assert doc.headline in book.text(f"{doc.release.slug}.xhtml")


def test_one_digest_per_month_and_a_manifest(site: Site) -> None:
    digests = site.dist / "epub" / "digests"
    assert {p.stem for p in digests.glob("*.epub")} == MONTHS | {"all"}
    newest = list(reversed(site.oldest_first()))
    december = Book(digests / "2025-12.epub")
    in_december = [d for d in newest if d.release.published.strftime("%Y-%m") == "2025-12"]
    assert [d.release.slug for d in in_december] == ["2025-12-15-december-two",
                                                     "2025-12-01-december-one"]
    assert december.spine == ["title.xhtml",
                              *(f"{d.release.slug}.xhtml" for d in in_december)]
    assert "December 2025" in december.text("title.xhtml")
    assert not [*site.dist.rglob("manifest.json")]  # bookkeeping is never published
    manifest = recorded(site.dist, "epub/digests/manifest.json")
    assert manifest["all"] == ids(newest)
    assert set(manifest) == MONTHS | {"all"}
    for month in MONTHS:
        assert manifest[month] == [d.release.id for d in newest
                                   if d.release.published.strftime("%Y-%m") == month]


# --- pressroom check --dist ----------------------------------------------------------------------


def test_pressroom_check_passes_on_the_build(site: Site,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole of `pressroom check --dist`: EPUBCheck runs on every EPUB (in one JVM), which
    is asserted."""
    from pressroom.checks import epub

    real = epub.epubcheck
    asked: list[Path] = []

    def spy(paths: list[Path], cache: Path | None = None) -> dict[Path, list[str]]:
        asked.extend(paths)
        return real(paths, cache)

    monkeypatch.setattr(epub, "epubcheck", spy)
    result = run("--source", str(site.source), "--styles", str(ROOT / "styles"), "check",
                 "--dist", str(site.dist))
    assert result.code == 0, result.out + result.err
    for line in ("sources: 5 release(s) valid", "web archive: ok", "feed archive: ok",
                 "json feed: ok", "epub: ok"):
        assert line in result.out
    digests = site.dist / "epub" / "digests"
    assert set(asked) == {*(site.dist / "epub").glob("*.epub"), *digests.glob("*.epub")}


# --- incremental: archives stable once full, surplus pages removed --------------------------------


def test_archive_pages_do_not_change_when_a_newer_release_arrives(copy: Site,
                                                                   tmp_path: Path) -> None:
    before = snapshot(copy.dist)
    new = add_release(copy.source, "2026-04-02", "april")
    build_ok(copy.source, copy.dist, "--format", "feed,html", "--changed", str(new))
    after = snapshot(copy.dist)
    old_pages = [f"feed/archive/atom-{n}.xml" for n in range(1, 6)] + \
        [f"archive/page-{n}.html" for n in range(1, 6)]
    for name in old_pages:
        assert after[name] == before[name], f"{name} changed"
    assert {"feed/archive/atom-6.xml", "archive/page-6.html"} <= set(after) - set(before)
    assert after["feed/atom.xml"][1] != before["feed/atom.xml"][1]
    root = atom(copy.dist / "feed" / "atom.xml")
    assert entry_ids(root) == ["tag:press.example.org,2026-04-02:ero/april"]
    assert links(root)["prev-archive"] == BASE + "feed/archive/atom-6.xml"
    assert entry_ids(atom(copy.dist / "feed" / "archive" / "atom-6.xml")) == [
        "tag:press.example.org,2026-04-02:ero/april"]
    # stable in content, not merely skipped: a clean build makes the same old pages
    clean = tmp_path / "clean"
    build_ok(copy.source, clean, "--format", "feed,html")
    for name in old_pages:
        assert (clean / name).read_bytes() == (copy.dist / name).read_bytes(), name
    assert check_feed_archives(copy.docs, copy.dist) == []
    assert check_web_archives(copy.docs, copy.dist) == []


def test_deleting_the_newest_release_removes_the_surplus_archive_pages(copy: Site) -> None:
    before = snapshot(copy.dist)
    (copy.source / "2026-03-10-water-rights.md").unlink()
    build_ok(copy.source, copy.dist, "--format", "feed,html", "--changed")  # as make passes it
    after = snapshot(copy.dist)
    assert archive_files(copy.dist) == [f"atom-{n}.xml" for n in range(1, 5)]
    assert "archive/page-5.html" not in after
    for n in range(1, 5):
        assert after[f"feed/archive/atom-{n}.xml"] == before[f"feed/archive/atom-{n}.xml"]
    root = atom(copy.dist / "feed" / "atom.xml")
    assert entry_ids(root) == ["tag:press.example.org,2026-02-01:ero/short-note"]
    assert links(root)["prev-archive"] == BASE + "feed/archive/atom-4.xml"
    assert check_feed_archives(copy.docs, copy.dist) == []
    assert check_web_archives(copy.docs, copy.dist) == []


def _delete_an_old_release(site: Site) -> list[str]:
    (site.source / "2025-12-01-december-one.md").unlink()
    return []  # make passes no path: only the list of sources changed


def _backfill_an_old_release(site: Site) -> list[str]:
    return [str(add_release(site.source, "2025-10-01", "october"))]


@pytest.mark.parametrize("change", [_delete_an_old_release, _backfill_an_old_release],
                         ids=["delete-old", "backfill-old"])
def test_archive_pages_are_recut_when_an_older_release_comes_or_goes(copy: Site,
                                                                      change: object) -> None:
    changed = change(copy)  # type: ignore[operator]
    build_ok(copy.source, copy.dist, "--format", "feed,html", "--changed", *changed)
    assert check_feed_archives(copy.docs, copy.dist) == []
    assert check_web_archives(copy.docs, copy.dist) == []


# --- incremental: digests ------------------------------------------------------------------------


def recorded(dist: Path, manifest: str) -> object:
    """A manifest the build keeps beside its source cache (build.records_dir), not in dist/."""
    return json.loads((dist.parent / ".build" / "cache" / f"{dist.name}-records" / manifest)
                      .read_text(encoding="utf-8"))

DIGESTS = "epub/digests/"


def digest_changes(before: dict[str, tuple[int, str]],
                   after: dict[str, tuple[int, str]]) -> set[str]:
    return {k.removeprefix(DIGESTS) for k in rewritten(before, after) if k.startswith(DIGESTS)}


def test_editing_a_release_rewrites_all_and_its_month_only(copy: Site) -> None:
    path = copy.source / "2025-12-01-december-one.md"
    path.write_text(release_text("2025-12-01", "december-one", "A corrected body."),
                    encoding="utf-8")
    before = snapshot(copy.dist)
    build_ok(copy.source, copy.dist, "--format", "epub", "--changed", str(path))
    after = snapshot(copy.dist)
    assert digest_changes(before, after) == {"all.epub", "2025-12.epub"}
    for key in ("all", "2025-12"):
        assert after[f"{DIGESTS}{key}.epub"][1] != before[f"{DIGESTS}{key}.epub"][1]
        book = Book(copy.dist / "epub" / "digests" / f"{key}.epub")
        assert "A corrected body." in book.text("2025-12-01-december-one.xhtml")
    assert {k for k in rewritten(before, after) if k.startswith("epub/")} == {
        DIGESTS + "all.epub", DIGESTS + "2025-12.epub", "epub/2025-12-01-december-one.epub"}


def test_moving_a_release_to_another_month_rewrites_both_months(copy: Site) -> None:
    path = copy.source / "2025-12-01-december-one.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "published: 2025-12-01", "published: 2025-11-20"), encoding="utf-8")
    before = snapshot(copy.dist)
    build_ok(copy.source, copy.dist, "--format", "epub", "--changed", str(path))
    after = snapshot(copy.dist)
    assert digest_changes(before, after) == {"all.epub", "2025-11.epub", "2025-12.epub"}
    digests = copy.dist / "epub" / "digests"
    assert Book(digests / "2025-11.epub").spine == [
        "title.xhtml", "2025-12-01-december-one.xhtml", "2025-11-05-november.xhtml"]
    assert Book(digests / "2025-12.epub").spine == ["title.xhtml",
                                                    "2025-12-15-december-two.xhtml"]
    manifest = recorded(copy.dist, "epub/digests/manifest.json")
    assert manifest["2025-11"] == ["tag:press.example.org,2025-12-01:ero/december-one",
                                   "tag:press.example.org,2025-11-05:ero/november"]


def test_deleting_the_only_release_of_a_month_removes_its_digest(copy: Site) -> None:
    (copy.source / "2025-11-05-november.md").unlink()
    before = snapshot(copy.dist)
    build_ok(copy.source, copy.dist, "--format", "epub", "--changed")  # as make passes it
    after = snapshot(copy.dist)
    digests = copy.dist / "epub" / "digests"
    assert {p.stem for p in digests.glob("*.epub")} == (MONTHS - {"2025-11"}) | {"all"}
    assert "epub/2025-11-05-november.epub" not in after
    assert digest_changes(before, after) == {"all.epub"}
    assert "2025-11-05-november.xhtml" not in Book(digests / "all.epub").spine
    manifest = recorded(copy.dist, "epub/digests/manifest.json")
    assert set(manifest) == (MONTHS - {"2025-11"}) | {"all"}


# --- pressroom check covers every output of several languages -------------------------------------

LANGUAGES = FIXTURES / "languages"
HELD_ES = "2026-05-04-water-es"
BEFORE_ES = "2026-05-04T07:00:00Z"
"""Before the Spanish version's embargo (published and embargoed until 08:00 UTC)."""


@pytest.fixture(scope="module")
def languages(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The six-language site with its Spanish version under embargo; no PDFs (not checked
    here)."""
    root = tmp_path_factory.mktemp("languages")
    source = root / "source"
    shutil.copytree(LANGUAGES, source)
    path = source / f"{HELD_ES}.md"
    text = path.read_text(encoding="utf-8")
    published = re.search(r"^published: (.+)$", text, re.M)
    assert published
    path.write_text(text.replace(published.group(0),
                                 f"{published.group(0)}\nembargo_until: {published.group(1)}"),
                    encoding="utf-8")
    build_ok(source, root / "dist", "--format", "epub,feed,html,ninjs,opds", "--no-cache",
             now=BEFORE_ES)
    return Site(source, root / "dist")


def _plan(site: Site) -> visibility.Plan:
    return visibility.plan(prepare(load_site(site.source)), datetime.fromisoformat(BEFORE_ES))


def _but_pdfs(problems: list[str]) -> list[str]:
    """Problems but the PDFs missing from the fixture (built without them), and the e-mails
    that carry them."""
    return [p for p in problems if not p.endswith((".pdf: missing; run make",
                                                   ".eml: missing; run make"))]


def test_check_epubchecks_every_digest_of_every_language(languages: Site,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from pressroom import checks
    from pressroom.checks import epub

    asked: list[Path] = []

    def record(paths: list[Path], cache: Path | None = None) -> dict[Path, list[str]]:
        asked.extend(paths)
        return {p: [] for p in paths}

    monkeypatch.setattr(epub, "epubcheck", record)
    plan = _plan(languages)
    assert checks.check_epubs(plan.public + plan.held, languages.dist) == []
    digests = {p.relative_to(languages.dist / "epub" / "digests").as_posix() for p in asked
               if "digests" in p.parts}
    assert {"all.epub", "2026-05.epub", "language/ar.epub", "language/en.epub",
            "language/fr.epub", "language/ru.epub", "language/zh.epub"} == digests
    assert languages.dist.parent / "held" / f"{HELD_ES}.epub" in asked
    asked.remove(languages.dist.parent / "held" / f"{HELD_ES}.epub")
    assert {*asked} == {p for p in languages.dist.rglob("*.epub")}


def test_check_reads_the_feeds_of_every_language(languages: Site) -> None:
    from pressroom import checks
    from pressroom.checks.newsroom import check_held

    plan = _plan(languages)
    assert check_held(plan, languages.dist) == []
    assert checks.check_feeds(plan.public, languages.dist) == []
    assert check_json_feed(plan.public, languages.dist) == []
    assert _but_pdfs(checks.check_outputs(plan.public + plan.held, languages.dist)) == []
    held = plan.held[0]
    assert held.release.slug == HELD_ES


@pytest.mark.parametrize("where", ["feed/fr/atom.xml", "feed/ru/feed.json",
                                   "epub/digests/language/zh.epub"])
def test_check_finds_a_held_release_leaked_into_a_language_output(
        languages: Site, tmp_path: Path, where: str) -> None:
    from pressroom.checks.newsroom import check_held

    dist = tmp_path / "dist"
    shutil.copytree(languages.dist, dist)
    plan = _plan(languages)
    held = plan.held[0]
    target = dist / where
    if target.suffix == ".epub":
        with zipfile.ZipFile(target, "a") as book:
            book.writestr("EPUB/leak.xhtml", f"<p>{held.headline}</p>")
    else:
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("</feed>", f"<!-- {held.release.id} --></feed>")
                          if target.suffix == ".xml" else
                          text.replace('"items"', f'"leak": "{held.headline}", "items"', 1),
                          encoding="utf-8")
    problems = check_held(plan, dist)
    assert problems and all(p.startswith(f"{target}: ") for p in problems), problems


def test_check_reports_what_no_format_should_have_made(languages: Site, tmp_path: Path) -> None:
    from pressroom import checks

    dist = tmp_path / "dist"
    shutil.copytree(languages.dist, dist)
    shutil.copytree(languages.dist.parent / "held", tmp_path / "held")
    (dist / "feed" / "de").mkdir()
    shutil.copy2(dist / "feed" / "fr" / "atom.xml", dist / "feed" / "de" / "atom.xml")
    (dist / "epub" / "digests" / "language" / "fr.epub").unlink()
    plan = _plan(languages)
    assert _but_pdfs(checks.check_outputs(plan.public + plan.held, dist)) == [
        f"{dist}/epub/digests/language/fr.epub: missing; run make",
        f"{dist}/feed/de/atom.xml: not made by a build of these sources; run make"]
