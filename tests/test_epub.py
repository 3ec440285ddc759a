"""The EPUB of each release: OPF metadata (incl. EPUB Accessibility 1.1), navigation and spine,
the chapter's language, the OCF zip (mimetype first and stored, fixed dates), reproducibility
across time zones, and EPUBCheck (three runs in all: it takes seconds per file).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC
from functools import cache
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from pressroom.checks.epub import epubcheck
from pressroom.layout import release_path as output_path
from pressroom.load.site import load_site
from pressroom.prepare.document import Document, prepare

from .conftest import FIXTURES, Built, build_ok

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
BUILDS = ("seed_build", "site_build")

# Vocabularies of schema.org's accessibility properties as EPUB Accessibility 1.1 uses them.
ACCESS_MODES = {"auditory", "chartOnVisual", "chemOnVisual", "colorDependent", "diagramOnTactile",
                "diagramOnVisual", "mathOnVisual", "musicOnVisual", "tactile", "textOnVisual",
                "textual", "visual"}
HAZARDS = {"flashing", "noFlashingHazard", "motionSimulation", "noMotionSimulationHazard",
           "sound", "noSoundHazard", "unknown", "none"}
FEATURES = {"alternativeText", "annotations", "ARIA", "audioDescription", "bookmarks",
            "braille", "captions", "ChemML", "describedMath", "displayTransformability",
            "highContrastAudio", "highContrastDisplay", "index", "largePrint", "latex",
            "longDescription", "MathML", "none", "pageBreakMarkers", "pageNavigation",
            "printPageNumbers", "readingOrder", "rubyAnnotations", "signLanguage",
            "structuralNavigation", "synchronizedAudioText", "tableOfContents", "taggedPDF",
            "tactileGraphic", "tactileObject", "timingControl", "transcript", "ttsMarkup",
            "unlocked", "fullRubyAnnotations", "horizontalWriting", "verticalWriting",
            "withAdditionalWordSegmentation", "withoutAdditionalWordSegmentation"}
CONFORMS_TO = re.compile(r"EPUB Accessibility 1\.1 - WCAG 2\.[012] Level AA?")


@cache
def documents(source: Path) -> list[Document]:
    return prepare(load_site(source))


@pytest.fixture(params=BUILDS)
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


class Epub:
    """One built EPUB, its release, and its parsed package document."""

    def __init__(self, path: Path, doc: Document) -> None:
        self.path, self.doc = path, doc
        with zipfile.ZipFile(path) as archive:
            self.members = {name: archive.read(name) for name in archive.namelist()}
        container = etree.fromstring(self.members["META-INF/container.xml"])
        rootfiles = container.findall(f"{CONTAINER}rootfiles/{CONTAINER}rootfile")
        assert len(rootfiles) == 1
        self.opf_path = rootfiles[0].get("full-path")
        self.opf = etree.fromstring(self.members[self.opf_path])
        self.metadata = self.opf.find(f"{OPF}metadata")

    def member(self, href: str) -> str:
        """Zip member name of a manifest href (relative to the OPF)."""
        return str(PurePosixPath(self.opf_path).parent / href)

    def manifest(self) -> dict[str, etree._Element]:
        return {item.get("id"): item for item in self.opf.findall(f"{OPF}manifest/{OPF}item")}

    def properties(self, name: str) -> list[str]:
        return [m.text for m in self.metadata.findall(f"{OPF}meta[@property='{name}']")]


def epubs(built: Built) -> Iterator[Epub]:
    docs = documents(built.source)
    assert docs
    for doc in docs:
        yield Epub(built.dist / output_path("epub", doc.release.slug), doc)


# --------------------------------------------------------------------------------------------
# Package document (OPF)
# --------------------------------------------------------------------------------------------
def test_identifier_is_the_release_id(built: Built) -> None:
    for epub in epubs(built):
        identifiers = epub.metadata.findall(f"{DC}identifier")
        assert [i.text for i in identifiers] == [epub.doc.release.id]
        unique = epub.opf.get("unique-identifier")
        assert unique and identifiers[0].get("id") == unique


def test_package_has_language_and_direction(built: Built) -> None:
    for epub in epubs(built):
        assert epub.opf.tag == f"{OPF}package"
        assert epub.opf.get("version") == "3.0"
        assert epub.opf.get(XML_LANG) == epub.doc.release.language
        assert epub.opf.get("dir") == epub.doc.direction == "ltr"


def test_dublin_core_metadata(built: Built) -> None:
    for epub in epubs(built):
        release = epub.doc.release
        meta = epub.metadata
        assert [e.text for e in meta.findall(f"{DC}language")] == [release.language]
        assert [e.text for e in meta.findall(f"{DC}title")] == [epub.doc.headline]
        assert [e.text for e in meta.findall(f"{DC}publisher")] == [release.publisher]
        assert [e.text for e in meta.findall(f"{DC}date")] == [release.published.isoformat()]
        assert [e.text for e in meta.findall(f"{DC}subject")] == list(release.keywords)


def test_title_is_typographic(seed_build: Built, site_build: Built) -> None:
    """Straight quotes and double hyphens of the sources become typographic characters."""
    (seed,) = epubs(seed_build)
    assert seed.metadata.findtext(f"{DC}title") == (
        "Fighting impunity is the best way to protect Mexico\u2019s human rights defenders "
        "\u2013 UN expert")
    water = next(e for e in epubs(site_build) if e.doc.release.slug.endswith("water-rights"))
    assert water.metadata.findtext(f"{DC}title") == (
        "Experts call for \u201csafe water\u201d <b>now</b> \u2013 a test release")
    for epub in (seed, water):
        title = epub.metadata.findtext(f"{DC}title")
        assert "'" not in title and '"' not in title and "--" not in title


def test_modified_is_the_release_updated_in_utc(built: Built) -> None:
    for epub in epubs(built):
        want = epub.doc.release.updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert epub.properties("dcterms:modified") == [want]


def test_site_modified_is_converted_to_utc(site_build: Built) -> None:
    """updated: 2026-03-11T09:30:00+01:00 is 08:30 UTC, written with 'Z'."""
    water = next(e for e in epubs(site_build) if e.doc.release.slug.endswith("water-rights"))
    assert water.properties("dcterms:modified") == ["2026-03-11T08:30:00Z"]


def test_accessibility_metadata(built: Built) -> None:
    for epub in epubs(built):
        modes = epub.properties("schema:accessMode")
        assert modes and set(modes) <= ACCESS_MODES and "textual" in modes
        sufficient = epub.properties("schema:accessModeSufficient")
        assert sufficient and all(set(s.split(",")) <= ACCESS_MODES for s in sufficient)
        assert "textual" in sufficient
        features = epub.properties("schema:accessibilityFeature")
        assert features and set(features) <= FEATURES
        assert {"tableOfContents", "readingOrder", "structuralNavigation"} <= set(features)
        hazards = epub.properties("schema:accessibilityHazard")
        assert hazards and set(hazards) <= HAZARDS
        (summary,) = epub.properties("schema:accessibilitySummary")
        assert len(summary.strip()) > 20
        (conforms,) = epub.properties("dcterms:conformsTo")
        assert CONFORMS_TO.fullmatch(conforms), conforms


def test_nav_is_in_the_manifest(built: Built) -> None:
    for epub in epubs(built):
        navs = [i for i in epub.manifest().values()
                if "nav" in (i.get("properties") or "").split()]
        assert len(navs) == 1
        assert navs[0].get("media-type") == "application/xhtml+xml"
        nav = etree.fromstring(epub.members[epub.member(navs[0].get("href"))])
        tocs = [n for n in nav.iter(f"{XHTML}nav") if n.get(f"{EPUB_NS}type") == "toc"]
        assert len(tocs) == 1
        assert [a.text for a in tocs[0].iter(f"{XHTML}a")] == [epub.doc.headline]


def test_spine_opens_on_the_text_not_the_nav(built: Built) -> None:
    for epub in epubs(built):
        manifest = epub.manifest()
        itemrefs = epub.opf.findall(f"{OPF}spine/{OPF}itemref")
        assert itemrefs
        first = manifest[itemrefs[0].get("idref")]
        assert "nav" not in (first.get("properties") or "").split()
        assert first.get("media-type") == "application/xhtml+xml"
        chapter = etree.fromstring(epub.members[epub.member(first.get("href"))])
        assert [h.text for h in chapter.iter(f"{XHTML}h1")] == [epub.doc.headline]


def chapter(epub: Epub) -> etree._Element:
    first = epub.opf.find(f"{OPF}spine/{OPF}itemref")
    href = epub.manifest()[first.get("idref")].get("href")
    return etree.fromstring(epub.members[epub.member(href)])


def test_chapter_has_language_and_direction(built: Built) -> None:
    for epub in epubs(built):
        html = chapter(epub)
        assert html.tag == f"{XHTML}html"
        assert html.get("lang") == epub.doc.release.language
        assert html.get(XML_LANG) == epub.doc.release.language
        assert html.get("dir") == epub.doc.direction


# --------------------------------------------------------------------------------------------
# OCF container (zip)
# --------------------------------------------------------------------------------------------
def test_mimetype_is_first_and_stored(built: Built) -> None:
    for epub in epubs(built):
        raw = epub.path.read_bytes()
        with zipfile.ZipFile(epub.path) as archive:
            first = archive.infolist()[0]
            assert first.filename == "mimetype"
            assert first.compress_type == zipfile.ZIP_STORED
            assert archive.read("mimetype") == b"application/epub+zip"
        # OCF: readable at a fixed offset, no extra field, no data descriptor.
        assert raw[:4] == b"PK\x03\x04"
        assert raw[30:58] == b"mimetypeapplication/epub+zip"
        assert first.extra == b""


def test_zip_entry_dates_are_fixed(built: Built) -> None:
    dos_1980_01_01 = (1 << 5) | 1
    for epub in epubs(built):
        raw = epub.path.read_bytes()
        with zipfile.ZipFile(epub.path) as archive:
            infos = archive.infolist()
        assert len(infos) >= 5
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
            # the local header's time and date, not just the central directory's
            offset = info.header_offset
            assert raw[offset:offset + 4] == b"PK\x03\x04"
            mod_time, mod_date = struct.unpack("<HH", raw[offset + 10:offset + 14])
            assert (mod_time, mod_date) == (0, dos_1980_01_01), info.filename


def _build_epubs(source: Path, dist: Path) -> dict[str, bytes]:
    build_ok(source, dist, "--format", "epub")
    return {p.name: p.read_bytes() for p in sorted((dist / "epub").glob("*.epub"))}


def test_builds_are_byte_identical_across_time_zones(site_build: Built, tmp_path: Path) -> None:
    """Two builds under time zones 25 hours apart, and the session's build: the same bytes."""
    saved = os.environ.get("TZ")
    builds: list[dict[str, bytes]] = []
    offsets: list[str] = []
    try:
        for name, zone in (("kiritimati", "LINT-14"), ("pago-pago", "SST11")):
            os.environ["TZ"] = zone
            time.tzset()
            offsets.append(time.strftime("%z", time.localtime(0)))
            builds.append(_build_epubs(site_build.source, tmp_path / name))
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    assert offsets == ["+1400", "-1100"], "the time zone did change between the builds"
    assert len(builds[0]) == len(documents(site_build.source)) == 2
    assert builds[0] == builds[1]
    session = {p.name: p.read_bytes() for p in sorted((site_build.dist / "epub").glob("*.epub"))}
    assert builds[0] == session


# --------------------------------------------------------------------------------------------
# EPUBCheck (about 8 s per file: three runs in this file)
# --------------------------------------------------------------------------------------------
FAST_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
"""Quick-start JIT and GC: EPUBCheck runs for seconds, so this halves its time on a busy machine."""


@pytest.fixture
def java(monkeypatch: pytest.MonkeyPatch) -> None:
    """EPUBCheck needs Java; its JVM (a child process) starts with FAST_JVM."""
    if shutil.which("java") is None:
        pytest.skip("Java is needed to run EPUBCheck (Debian default-jre-headless)")
    options = os.environ.get("JAVA_TOOL_OPTIONS", "")
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", f"{options} {FAST_JVM}".strip())


@pytest.mark.usefixtures("java")
@pytest.mark.slow  # EPUBCheck (a JVM)
def test_epubcheck_finds_nothing_in_the_site_epubs(site_build: Built) -> None:
    paths = sorted((site_build.dist / "epub").glob("*.epub"))
    assert len(paths) == 2
    assert epubcheck(paths) == {path: [] for path in paths}


def _without_language(source: Path, target: Path) -> None:
    """A copy of the EPUB with dc:language removed from the OPF, zipped by the OCF rules."""
    with zipfile.ZipFile(source) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(target, "w") as out:
        for info, data in members:
            if info.filename.endswith(".opf"):
                opf = etree.fromstring(data)
                (language,) = opf.iter(f"{DC}language")
                language.getparent().remove(language)
                data = etree.tostring(opf, xml_declaration=True, encoding="utf-8")
            out.writestr(info, data, compress_type=info.compress_type)


@pytest.mark.usefixtures("java")
@pytest.mark.slow  # EPUBCheck (a JVM)
def test_epubcheck_reports_a_broken_epub(site_build: Built, tmp_path: Path) -> None:
    (source,) = (site_build.dist / "epub").glob("*short-note.epub")
    broken = tmp_path / "no-language.epub"
    _without_language(source, broken)
    with zipfile.ZipFile(broken) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert b"dc:language" not in archive.read("EPUB/content.opf")
    messages = epubcheck([broken])[broken]
    assert messages, "EPUBCheck should refuse an OPF without dc:language"
    assert any(m.startswith("ERROR ") and "dc:language" in m for m in messages), messages


def test_epubcheck_runs_every_book_in_one_jvm_and_remembers_clean_books(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """make check is fast: one JVM for all books, and a book checked before (same bytes, same
    EPUBCheck) is not checked again."""
    import shutil as shell

    from pressroom.checks import epub

    dist = tmp_path / "dist"
    build_ok(FIXTURES / "site", dist, "--format", "epub", "--no-cache")
    books = sorted(dist.rglob("*.epub"))
    calls: list[list[str]] = []
    real_run = epub.subprocess.run

    def counting(argv: list[str], **kwargs: object) -> object:
        calls.append([str(a) for a in argv])
        return real_run(argv, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(epub.subprocess, "run", counting)
    cache = tmp_path / "reports"
    first = epub.epubcheck(books, cache)
    assert first == {book: [] for book in books}
    if shell.which("javac"):
        assert [c for c in calls if c[0].endswith("java")] and \
            len([c for c in calls if "EpubcheckBatch" in c]) == 1
    calls.clear()
    monkeypatch.setattr(epub.shutil, "which", lambda name: None)  # no Java at all now
    assert epub.epubcheck(books, cache) == first
    assert calls == []
