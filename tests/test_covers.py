"""Covers (issue 14): every release EPUB and digest carries a cover picture made from the
release (publication, kind label, headline, date) in its language and direction, drawn with
the shipped fonts, byte for byte the same on every build; the same file is the web page's
og:image and the OPDS entry's image and thumbnail; and `make check`'s cover checks notice a
cover gone wrong."""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from pressroom import layout
from pressroom.checks.covers import check_covers
from pressroom.checks.epub import _cover_expected, cover_image
from pressroom.fonts import FACES
from pressroom.load.site import load_site
from pressroom.prepare.document import Document, prepare
from pressroom.render import cover

from .conftest import FIXTURES, LANGUAGES_NOW, ROOT, Built, build, build_ok, copy_project, run

STYLES = ROOT / "styles"


def documents(source: Path) -> dict[str, Document]:
    return {d.release.slug: d for d in prepare(load_site(source, styles_dir=STYLES))}


def chunks(png: bytes) -> list[str]:
    """The chunk types of a PNG, in order."""
    found, offset = [], 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        found.append(kind.decode("ascii"))
        offset += 12 + length
    return found


def epub_cover(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("EPUB/cover.png")


class Spy:
    """Records each run of text the cover draws: (text, font file, direction, language)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs: list[tuple[str, str, str, str]] = []
        real = ImageDraw.ImageDraw.text

        def text(pen: Any, xy: Any, text: str, *args: Any, **kwargs: Any) -> None:
            font = kwargs["font"]
            assert font.layout_engine == cover_layout(), "every run is laid out by Raqm"
            self.runs.append((text, Path(font.path).name, kwargs["direction"],
                              kwargs["language"]))
            real(pen, xy, text, *args, **kwargs)

        monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
        cover.draw.cache_clear()
        cover._base.cache_clear()  # the name and label are drawn once per publication


def cover_layout() -> Any:
    from PIL import ImageFont

    return ImageFont.Layout.RAQM


# --- the picture -----------------------------------------------------------------------------


def test_a_cover_is_a_small_e_book_sized_grey_png_without_metadata(
        languages_build: Built) -> None:
    for path in sorted((languages_build.dist / "covers").glob("*.png")):
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.size == cover.SIZE == (1200, 1800)
            assert picture.mode == "P"
            palette = picture.getpalette() or []
        greys = [tuple(palette[i:i + 3]) for i in range(0, len(palette), 3)]
        assert all(r == g == b for r, g, b in greys), "a grey palette"
        assert chunks(data) == ["IHDR", "PLTE", "IDAT", "IEND"], "no time, text or profile"
        assert len(data) < 80_000, f"{path.name}: {len(data)} bytes in every EPUB"


def test_covers_are_byte_identical_across_time_zones_and_working_folders(
        languages_build: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second build, in another time zone and from another folder, draws the same bytes."""
    saved = os.environ.get("TZ")
    monkeypatch.chdir(tmp_path)
    cover.draw.cache_clear()
    try:
        os.environ["TZ"] = "LINT-14"
        time.tzset()
        build_ok(FIXTURES / "languages", tmp_path / "dist", "--format", "html,epub",
                 "--no-cache", now=LANGUAGES_NOW)
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    first = {p.name: p.read_bytes() for p in (languages_build.dist / "covers").glob("*.png")}
    again = {p.name: p.read_bytes() for p in (tmp_path / "dist" / "covers").glob("*.png")}
    assert len(first) == 6
    assert again == first


def test_the_epub_cover_the_page_image_and_the_opds_image_are_one_picture(
        languages_build: Built) -> None:
    for slug, doc in documents(FIXTURES / "languages").items():
        published = (languages_build.dist / layout.cover_path(slug)).read_bytes()
        assert epub_cover(languages_build.dist / doc.paths["epub"]) == published
        url = doc.publication.base_url + layout.cover_path(slug)
        page = (languages_build.dist / layout.release_path("html", slug)).read_text("utf-8")
        assert f'<meta property="og:image" content="{url}" />' in page
        opds = (languages_build.dist / "opds" / "new.xml").read_text("utf-8")
        assert f'rel="http://opds-spec.org/image/thumbnail" href="{url}"' in opds


def ink(png: bytes, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box of what is drawn (not white) inside `box`."""
    with Image.open(io.BytesIO(png)) as picture:
        band = picture.convert("L").crop(box)
    return band.point(lambda v: 255 if v < 200 else 0).getbbox()


def line_boxes(png: bytes) -> list[tuple[int, int, int, int]]:
    """The bounding box of each line of the headline (rows of ink between blank rows)."""
    top, bottom = cover.HEADLINE_BOX
    with Image.open(io.BytesIO(png)) as picture:
        band = picture.convert("L").crop((0, top, cover.SIZE[0], bottom + 60))
    mask = band.point(lambda v: 255 if v < 200 else 0)
    rows = [mask.crop((0, y, mask.width, y + 1)).getbbox() is not None
            for y in range(mask.height)]
    boxes, start = [], None
    for y, inked in enumerate([*rows, False]):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            box = mask.crop((0, start, mask.width, y)).getbbox()
            assert box is not None
            boxes.append((box[0], start, box[2], y))
            start = None
    return [box for box in boxes if box[3] - box[1] >= 40]  # not dots between lines


def test_the_arabic_cover_is_shaped_and_set_right_to_left(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus's Arabic headline holds Latin ('Sandland') and digits ('1.5'): each run is
    drawn by Raqm in its direction, Arabic in Naskh, Latin in the Latin face, in the visual
    order of the Unicode bidi algorithm; the text is set from the right margin."""
    doc = documents(FIXTURES / "corpus")["2026-04-18-sandland-water-ar"]
    spy = Spy(monkeypatch)
    png = cover.cover_png(doc, STYLES)
    arabic = [r for r in spy.runs if re.search("[\u0600-\u06ff]", r[0])]
    assert arabic and all(r[2] == "rtl" and r[3] == "ar" for r in arabic)
    assert {r[1] for r in arabic} >= {"NotoNaskhArabic-Bold.ttf", "NotoSansArabic-Bold.ttf"}
    latin = [r for r in spy.runs if "Sandland" in r[0]]
    assert latin and all(r[2] == "ltr" and r[1] == "NotoSerif-Bold.ttf" for r in latin)
    # The line holding "Sandland" reads right to left: what follows it in the text (بلا)
    # is drawn before it, i.e. to its left.
    line = next(i for i, r in enumerate(spy.runs) if "Sandland" in r[0])
    assert "بلا" in spy.runs[line - 1][0] or "بلا" in spy.runs[line - 2][0]
    lines = line_boxes(png)
    assert len(lines) >= 3
    right = cover.SIZE[0] - cover.MARGIN
    assert all(abs(box[2] - right) <= 12 for box in lines), lines
    assert max(box[0] for box in lines) > cover.MARGIN + 200, "ragged on the left"


def test_shaping_changes_the_arabic_picture() -> None:
    """What Raqm draws is not the naive letter-by-letter drawing (unjoined, left to right)."""
    from PIL import ImageFont

    path = str(STYLES / "fonts" / "NotoNaskhArabic-Bold.ttf")
    word = "مأمونة"
    pictures = []
    for engine, direction in ((ImageFont.Layout.RAQM, "rtl"), (ImageFont.Layout.BASIC, None)):
        font = ImageFont.truetype(path, 80, layout_engine=engine)
        picture = Image.new("L", (600, 200), 255)
        ImageDraw.Draw(picture).text((20, 150), word, font=font, fill=0, anchor="ls",
                                     direction=direction)
        pictures.append(picture.tobytes())
    assert pictures[0] != pictures[1]


def test_the_chinese_cover_is_drawn_by_the_cjk_faces(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = documents(FIXTURES / "languages")["2026-05-04-water-zh"]
    spy = Spy(monkeypatch)
    png = cover.cover_png(doc, STYLES)
    drawn = "".join(r[0] for r in spy.runs)
    assert doc.headline.replace(" ", "") in drawn.replace(" ", "")
    assert doc.kind_label in drawn and doc.date_text in drawn
    han = [r for r in spy.runs if re.search("[\u4e00-\u9fff]", r[0])]
    assert {r[1] for r in han} >= {"NotoSerifCJKsc-Bold-subset.otf",
                                   "NotoSansCJKsc-Bold-subset.otf"}
    assert all(r[2] == "ltr" and r[3] == "zh-Hans" for r in han)
    lines = line_boxes(png)
    assert len(lines) >= 2 and all(abs(box[0] - cover.MARGIN) <= 12 for box in lines), lines


def test_a_cover_shows_the_publication_kind_headline_and_date(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every part comes from the release and the label catalogue, nothing typed twice."""
    doc = documents(ROOT / "source")["2017-01-25-mexico-defenders"]
    spy = Spy(monkeypatch)
    cover.cover_png(doc, STYLES)
    drawn = [r[0] for r in spy.runs]
    assert doc.publication.name in " ".join(drawn)
    assert doc.kind_label in drawn
    assert doc.date_text in drawn
    assert " ".join(drawn).count(doc.headline.split()[0]) >= 1
    assert " ".join(d for d in drawn if d not in (doc.kind_label, doc.date_text,
                                                   doc.publication.name)) == doc.headline


def test_a_long_headline_is_wrapped_smaller_within_the_margins() -> None:
    doc = documents(ROOT / "source")["2017-01-25-mexico-defenders"]
    short = cover.Cover(publication="P", logo=None, label="PRESS RELEASE", headline="Water",
                        date="1 May 2026", language="en", direction="ltr")
    long = cover.Cover(publication="P", logo=None, label="PRESS RELEASE",
                       headline=" ".join([doc.headline] * 4), date="1 May 2026",
                       language="en", direction="ltr")
    small, large = (ink(cover.draw(c, STYLES), (0, cover.HEADLINE_BOX[0], cover.SIZE[0],
                                                cover.HEADLINE_BOX[1] + 40))
                    for c in (long, short))
    assert small is not None and large is not None
    assert small[0] >= cover.MARGIN - 8 and small[2] <= cover.SIZE[0] - cover.MARGIN + 8
    assert small[3] <= cover.HEADLINE_BOX[1] - cover.HEADLINE_BOX[0] + 40
    assert large[3] - large[1] > 60, "a one-word headline is set large"


def test_a_raster_logo_replaces_the_name_and_an_svg_logo_prints_the_name(
        tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (200, 0, 0)).save(logo)
    pub = load_site(FIXTURES / "site", styles_dir=STYLES).publication
    assert cover.logo_of(pub) is None
    with_logo = cover.Cover(publication="Name", logo=logo, label="K", headline="H", date="D",
                            language="en", direction="ltr")
    name = cover.Cover(publication="Name", logo=None, label="K", headline="H", date="D",
                       language="en", direction="ltr")
    top = (0, 0, cover.SIZE[0], 360)
    drawn = ink(cover.draw(with_logo, STYLES), top)
    assert drawn is not None and drawn[2] - drawn[0] >= 390  # the logo's width, not the name's
    assert ink(cover.draw(with_logo, STYLES), top) != ink(cover.draw(name, STYLES), top)


def test_without_raqm_the_build_stops_with_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Arabic is never drawn unshaped: no Raqm, exit 3 with a message, nothing written."""
    from PIL import features

    real = features.check
    monkeypatch.setattr(features, "check", lambda name: False if name == "raqm" else real(name))
    cover.draw.cache_clear()
    result = build(FIXTURES / "languages", tmp_path / "dist", "--format", "epub", "--jobs", "1",
                   "--no-cache", now=LANGUAGES_NOW)
    assert result.code == 3, result.err
    assert "Raqm" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "dist" / "covers").exists()


# --- where covers go ---------------------------------------------------------------------------


def test_every_release_epub_and_digest_has_one_cover_named_by_meta_cover(
        languages_build: Built, newsroom_build: Built) -> None:
    books = sorted(languages_build.dist.glob("epub/**/*.epub")) + sorted(
        (newsroom_build.dist.parent / "held").glob("*.epub"))
    assert any("digests" in str(p) for p in books) and any("held" in str(p) for p in books)
    for path in books:
        assert cover_image(path) == ([], "EPUB/cover.png"), path


def test_a_held_release_has_a_cover_in_its_press_kit_epub_and_none_in_dist(
        newsroom_build: Built) -> None:
    covers = {p.stem for p in (newsroom_build.dist / "covers").glob("*")}
    public = {p.stem for p in (newsroom_build.dist / "releases").glob("*.html")}
    assert covers == public and "2026-04-02-embargoed-report" not in covers
    assert epub_cover(newsroom_build.dist.parent / "held" / "2026-04-02-embargoed-report.epub")


def test_the_epub_format_owns_the_covers_and_a_removed_release_loses_its_cover(
        tmp_path: Path) -> None:
    assert layout.owner("covers/any.png") == "epub"
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "site", source)
    dist = tmp_path / "dist"
    build_ok(source, dist, "--format", "epub")
    gone = sorted(source.glob("*.md"))[0]
    assert (dist / layout.cover_path(gone.stem)).is_file()
    gone.unlink()
    build_ok(source, dist, "--format", "epub")
    assert not (dist / layout.cover_path(gone.stem)).exists()
    assert [p.stem for p in (dist / "covers").glob("*.png")] == [
        p.stem for p in source.glob("*.md")]


def test_the_cover_is_in_makes_list_of_epub_outputs_and_epub_reads_the_fonts() -> None:
    """Drawn once, with the book: the epub format writes it and reads every face."""
    from pressroom.render import READS

    site = layout.Published(public=("a",))
    assert "covers/a.png" in layout.outputs("epub", site)["covers/*.png"]
    assert {f"fonts/{face[3]}" for face in FACES} <= set(READS["epub"])


# --- make check -------------------------------------------------------------------------------


@pytest.fixture
def broken(languages_build: Built, tmp_path: Path) -> Path:
    """A writable copy of the languages site's dist/."""
    shutil.copytree(languages_build.dist, tmp_path / "dist")
    return tmp_path / "dist"


def every(source: Path) -> list[Document]:
    return list(documents(source).values())


def rewrite_opf(path: Path, change: Any) -> None:
    """Rewrite the EPUB's package document with `change` (text -> text)."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for info, data in members:
            if info.filename.endswith(".opf"):
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data, compress_type=info.compress_type)


def test_the_covers_of_a_good_build_pass_the_check(languages_build: Built) -> None:
    assert check_covers(every(FIXTURES / "languages"), languages_build.dist) == []


def test_check_fails_an_epub_without_cover_image(broken: Path) -> None:
    book = broken / "epub" / "2026-05-04-water-fr.epub"
    rewrite_opf(book, lambda opf: opf.replace(' properties="cover-image"', ""))
    problems = check_covers(every(FIXTURES / "languages"), broken)
    assert problems == [f'{book}: 0 manifest items with properties="cover-image", not 1']


def test_check_fails_a_digest_whose_meta_cover_names_another_item(broken: Path) -> None:
    book = broken / "epub" / "digests" / "all.epub"
    rewrite_opf(book, lambda opf: opf.replace('name="cover" content="cover-img"',
                                              'name="cover" content="style"'))
    problems = check_covers(every(FIXTURES / "languages"), broken)
    assert len(problems) == 1 and problems[0].startswith(f"{book}: <meta name=\"cover\">")
    assert "'cover-img'" in problems[0]


def test_check_fails_a_cover_image_that_is_not_a_picture(broken: Path) -> None:
    book = broken / "epub" / "2026-05-04-water-ar.epub"
    with zipfile.ZipFile(book) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(book, "w") as out:
        for info, data in members:
            out.writestr(info, b"not a png" if info.filename.endswith("cover.png") else data)
    problems = check_covers(every(FIXTURES / "languages"), broken)
    assert len(problems) == 1 and "is not a readable picture" in problems[0]


def test_check_fails_a_page_without_og_image_or_with_its_cover_missing(broken: Path) -> None:
    page = broken / "releases" / "2026-05-04-water-en.html"
    text = page.read_text("utf-8")
    page.write_text(re.sub(r'<meta property="og:image" content="[^"]*" />', "", text),
                    encoding="utf-8")
    (broken / "covers" / "2026-05-04-water-ru.png").unlink()
    problems = check_covers(every(FIXTURES / "languages"), broken)
    assert any(p.startswith(f"{page}: no og:image") for p in problems)
    assert any("2026-05-04-water-ru.html: og:image" in p and "missing; run make" in p
               for p in problems)


def test_only_the_cover_images_unreferenced_usage_note_is_expected(
        languages_build: Built) -> None:
    """EPUBCheck's usage note OPF-097 (an item no page refers to) is expected of the cover
    alone (readers show it outside the text); for any other item it stays a problem."""
    book = languages_build.dist / "epub" / "2026-05-04-water-en.epub"
    note = ('USAGE OPF-097 EPUB/content.opf:12: Resource "{}" is listed in the manifest, but '
            "no reference to it was found in content documents.")
    other = note.format("EPUB/images/unused.png")
    assert _cover_expected(book, [note.format("EPUB/cover.png"), other]) == [other]


@pytest.mark.slow  # EPUBCheck (a JVM) over the whole site
def test_pressroom_check_fails_on_an_epub_without_cover_image(broken: Path) -> None:
    """What `make check` runs: `pressroom check` exits 4, naming the book."""
    book = broken / "epub" / "2026-05-04-water-es.epub"
    rewrite_opf(book, lambda opf: opf.replace(' properties="cover-image"', ""))
    result = run("--source", str(FIXTURES / "languages"), "--styles", str(STYLES), "check",
                 "--dist", str(broken), "--now", LANGUAGES_NOW)
    assert result.code == 4, result.out + result.err
    assert f'{book}: 0 manifest items with properties="cover-image", not 1' in (
        result.out + result.err)


@pytest.mark.slow  # nested make, EPUBCheck
@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_builds_the_covers_and_make_check_fails_on_an_epub_without_cover_image(
        tmp_path: Path) -> None:
    import subprocess
    import sys

    root = tmp_path / "project"
    copy_project(root, FIXTURES / "site")
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES", "PRESSROOM_NOW")}
    env.update(MAKEFLAGS="", LC_ALL="C.UTF-8", PYTHONPATH=str(root / "src"))

    ready = tmp_path / "ready"
    ready.touch()  # after pyproject.toml: the venv counts as set up, never reinstalled

    def make(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(["make", f"VENV={sys.prefix}", f"READY={ready}", *args],
                                cwd=root, env=env, capture_output=True, text=True,
                                timeout=600, check=False)
        assert "pip install" not in result.stdout + result.stderr, "make tried to reinstall"
        return result

    built = make()
    assert built.returncode == 0, built.stderr
    slugs = sorted(p.stem for p in (root / "source").glob("*.md"))
    assert sorted(p.stem for p in (root / "dist" / "covers").glob("*.png")) == slugs
    book = root / "dist" / "epub" / f"{slugs[0]}.epub"
    rewrite_opf(book, lambda opf: opf.replace(' properties="cover-image"', ""))
    checked = make("check")
    assert checked.returncode != 0
    assert "pressroom build" not in checked.stdout, "make check did not rebuild the book"
    assert f'dist/epub/{slugs[0]}.epub: 0 manifest items with properties="cover-image", not 1' \
        in checked.stdout + checked.stderr


@pytest.mark.slow  # EPUBCheck (a JVM)
def test_epubcheck_finds_nothing_in_books_with_covers(newsroom_build: Built) -> None:
    if shutil.which("java") is None:
        pytest.skip("Java is needed to run EPUBCheck")
    from pressroom.checks.epub import epubcheck

    books = sorted(newsroom_build.dist.glob("epub/**/*.epub"))
    assert epubcheck(books) == {book: [] for book in books}


# --- drawn quickly, pixel for pixel the same ---------------------------------------------------

FONTS = STYLES / "fonts"


def full_runs(face: Any, line: str) -> list[cover.Run]:
    """The runs of a line of a left-to-right paragraph the long way: FriBidi's levels, then
    UAX #9's reordering (what every line went through before the fast path)."""
    return cover.visual_runs(line, [face._choice(c) for c in line],
                             cover.bidi_levels(line, False))


def full_width(face: Any, line: str) -> float:
    return float(sum(face._font(i).getlength(t, direction="rtl" if level % 2 else "ltr",
                                             language=face.language)
                     for t, i, level in full_runs(face, line)))


@pytest.mark.parametrize(("language", "line"), [
    ("en", "Fighting impunity is the best way to protect Mexico’s defenders (no. 218)"),
    ("en", "Ελληνικά, Кириллица and “quotes” — 1,5 % [brackets] ‘x’"),
    ("en", "Test experts call for 水 water"),
    ("ar", "خبيرة أممية اختبارية: 1.5 مليون شخص في Sandland بلا مياه مأمونة"),
    ("ar", "٣٤٥ شخص"),
    ("en", "Arabic digits ٣٤٥ in an English line"),
    ("en", "A right-to-left mark\u200f in an English line"),
    ("zh-Hans", "测试新闻：太阳能水泵让Greenvale山区12万人用上清洁饮用水"),
])
def test_a_line_measured_without_fribidi_has_the_width_fribidi_gives(
        language: str, line: str) -> None:
    """Wrapping measures each candidate line; one that cannot be right-to-left skips FriBidi
    and the run split (`stays_ltr`), and must come out as wide, in the same runs, as the full
    path would give: the headline's lines and size, hence its pixels, depend on it."""
    for size in (44, 84, 120):
        face = cover._Type(FONTS, "serif", "bold", size, language)
        assert face.runs(line, False) == full_runs(face, line)
        assert face.width(line) == full_width(face, line)
    assert cover.stays_ltr(line) == (not re.search("[\u0600-\u06ff\u200f]", line))


def test_a_line_of_characters_that_stay_left_to_right_is_all_at_level_0() -> None:
    """`stays_ltr` trusts FriBidi's character types: every character the shipped fonts draw
    that it lets through keeps level 0 in a left-to-right paragraph, alone, among others of
    its kind and next to a letter and a digit; right-to-left letters, Arabic digits and
    explicit marks, embeddings and isolates never get through."""
    from pressroom.fonts import covered

    through = [chr(point) for point in sorted(covered(FONTS)) if cover.stays_ltr(chr(point))]
    assert len(through) > 1000 and "a" in through and "水" in through
    for char in through:
        assert cover.bidi_levels(f"a{char}1 {char}", False) == [0] * 5, hex(ord(char))
    line = "".join(through)
    assert cover.stays_ltr(line) and set(cover.bidi_levels(line, False)) == {0}
    for char in "אب٣\u200f\u061c\u202b\u202e\u2067\u2068":
        assert not cover.stays_ltr(char) and not cover.stays_ltr(f"abc {char} 12"), char


def reference_headline(cover_: cover.Cover) -> tuple[int, list[str]]:
    """The headline's size and lines as first written: every size tried wrapped in full."""
    top, bottom = cover.HEADLINE_BOX
    width = cover.SIZE[0] - 2 * cover.MARGIN

    def set_at(size: int) -> tuple[list[str], bool]:
        face = cover._Type(FONTS, "serif", "bold", size, cover_.language)
        lines = face.wrap(cover_.headline, width)
        step = round(size * cover.LINE_HEIGHT)
        return lines, len(lines) * step <= bottom - top and all(
            full_width(face, x) <= width for x in lines)

    low, high = 0, len(cover.HEADLINE_SIZES) - 1
    while low < high:
        middle = (low + high) // 2
        if set_at(cover.HEADLINE_SIZES[middle])[1]:
            high = middle
        else:
            low = middle + 1
    return cover.HEADLINE_SIZES[low], set_at(cover.HEADLINE_SIZES[low])[0]


def test_the_headline_search_sets_the_lines_and_size_a_full_wrap_at_every_size_sets() -> None:
    """A size that cannot fit stops wrapping early; the size and lines chosen are those of
    the search that wrapped every size it tried in full, for short, long, overflowing,
    Arabic and Chinese headlines."""
    docs = list(documents(FIXTURES / "corpus").values())
    headlines = [(d.headline, d.release.language) for d in docs] + [
        ("Water", "en"), (" ".join(d.headline for d in docs[:3]), "en"),
        (" ".join([docs[0].headline] * 12), "en"), ("Supercalifragilistic" * 6, "en")]
    sizes = set()
    for headline, language in headlines:
        drawn = cover.Cover(publication="P", logo=None, label="L", headline=headline,
                            date="D", language=language, direction="ltr")
        face, lines = cover.headline_lines(FONTS, drawn, cover.SIZE[0] - 2 * cover.MARGIN)
        assert (face.size, lines) == reference_headline(drawn), headline
        sizes.add(face.size)
    assert min(sizes) == cover.HEADLINE_SIZES[-1] and max(sizes) == cover.HEADLINE_SIZES[0]


def test_a_cover_drawn_after_others_of_its_publication_is_the_cover_drawn_alone() -> None:
    """The publication's name, the rule and the label are drawn once on a shared base that
    each cover copies: drawing other covers first changes nothing in the next one."""
    docs = list(documents(FIXTURES / "languages").values())
    cover.draw.cache_clear()
    cover._base.cache_clear()
    alone = {d.release.slug: cover.cover_png(d, STYLES) for d in docs}
    for doc in docs:
        cover.draw.cache_clear()
        cover._base.cache_clear()
        for other in docs:
            cover.cover_png(other, STYLES)
        cover.draw.cache_clear()
        assert cover.cover_png(doc, STYLES) == alone[doc.release.slug], doc.release.slug


def test_a_logo_replaced_on_disk_is_on_the_next_cover(tmp_path: Path) -> None:
    """The shared base is kept per version of the logo file, as the picture itself is
    (media.picture): a long-running preview shows the new logo on the next cover drawn."""
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (200, 0, 0)).save(logo)
    first = cover.Cover(publication="Name", logo=logo, label="K", headline="One", date="D",
                        language="en", direction="ltr")
    top = (0, 0, cover.SIZE[0], 360)
    drawn = ink(cover.draw(first, STYLES), top)
    assert drawn is not None and drawn[2] - drawn[0] == 400
    Image.new("RGB", (200, 100), (200, 0, 0)).save(logo)
    os.utime(logo, ns=(logo.stat().st_atime_ns, logo.stat().st_mtime_ns + 10**9))
    drawn = ink(cover.draw(cover.Cover(publication="Name", logo=logo, label="K",
                                       headline="Two", date="D", language="en",
                                       direction="ltr"), STYLES), top)
    assert drawn is not None and drawn[2] - drawn[0] == 200


def unfiltered(png: bytes) -> bytes:
    """The 4-bit rows of a PNG's image data, the zlib stream's checksum checked, each row's
    filter (None or Up) undone."""
    found, offset, idat, size = [], 8, b"", (0, 0)
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        if kind == b"IHDR":
            size = struct.unpack(">II", png[offset + 8:offset + 16])
        if kind == b"IDAT":
            idat += png[offset + 8:offset + 8 + length]
        offset += 12 + length
    data = zlib.decompress(idat)  # raises on a wrong Adler-32
    line = (size[0] + 1) // 2
    previous = bytes(line)
    for start in range(0, len(data), line + 1):
        kind, row = data[start], data[start + 1:start + 1 + line]
        assert kind in (0, 2)
        if kind == 2:  # Up: add the row above
            row = bytes((a + b) & 255 for a, b in zip(row, previous, strict=True))
        previous = row
        found.append(previous)
    assert len(found) == size[1]
    return b"".join(found)


def test_the_png_holds_every_grey_rounded_to_16_levels_in_a_checked_zlib_stream() -> None:
    """The PNG is written by pressroom: its pixels are the picture's greys rounded to the
    nearest of 16 levels (what Pillow's encoder wrote), its zlib stream is whole (its
    Adler-32 is right), rows that repeat the row above included."""
    picture = Image.new("L", cover.SIZE, 255)
    pen = ImageDraw.Draw(picture)
    for value in range(256):
        pen.rectangle((value * 4, 300 + value, value * 4 + 3, 900), fill=value)
    pen.text((100, 1200), "Water", fill=0, font_size=200)
    png = cover.png(picture)
    assert chunks(png) == ["IHDR", "PLTE", "IDAT", "IEND"]
    rows = unfiltered(png)
    with Image.open(io.BytesIO(png)) as decoded:
        assert decoded.mode == "P"
        assert decoded.tobytes("raw", "P;4") == rows
        grey = decoded.convert("L").tobytes()
    assert grey == picture.point([17 * round(v / 17) for v in range(256)]).tobytes()


def test_adler32_of_pieces_combines_as_zlib_computes_it_whole() -> None:
    pieces = [b"", b"\x00" * 70000, bytes(range(256)) * 300, b"\xff" * 65521, b"x"]
    for first in pieces:
        for second in pieces:
            combined = cover._adler32_combine(zlib.adler32(first), zlib.adler32(second),
                                              len(second))
            assert combined == zlib.adler32(first + second)
