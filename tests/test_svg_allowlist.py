"""SVG and the pictures inside it are data, never code: a strict allow-list (issue 13, row 3).

An SVG figure (the lead image or a body picture) is published only as media.py rebuilds it from
an allow-list: the elements of a static drawing, geometry and presentation attributes, styles
that only paint, references to its own parts (#id, url(#id)), and PNG or JPEG pictures embedded
as base64 data: URLs, each checked and re-encoded like any raster. Whatever runs or fetches is a
source error of `pressroom check`, naming the file, the line in it and the release line that
shows it -- never a render error. Broken on purpose here, construct by construct; then a benign
chart (a gradient, a <style> with fill colours, a small embedded PNG) is built and must draw in
the PDF, the EPUB and the web page alike, the published file holding nothing refused.

The adversary's two findings: a 20000 x 20000 PNG inside an SVG passed validation (the PDF then
failed, `make html` published the bomb), and image-set("http://…" 1x) in an SVG <style> passed
the outside-reference check. Both are bad-source fixtures too (fixtures/bad/svg-*).
"""

from __future__ import annotations

import base64
import functools
import os
import shutil
import struct
import subprocess
import sys
import threading
import zipfile
import zlib
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import etree
from PIL import ExifTags, Image, PngImagePlugin

from pressroom import media
from pressroom.media import embedded_raster, prepare, problems

from .conftest import FIXTURES, ROOT, Built, build, release_text, run

SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
CODE = "images must be data, never code"
OWN = "an SVG may only refer to its own parts (#id) or embed PNG or JPEG data"
OWN_CSS = "an SVG may only refer to its own parts (url(#id)) or embed PNG or JPEG data"
STATIC = ("an SVG may hold shapes, text, gradients, patterns, markers, clip paths, masks, <use>, "
          "<style> and embedded PNG or JPEG pictures")
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _svg(path: Path, body: str, attributes: str = 'width="100" height="100"') -> Path:
    path.write_text(f"<svg {SVG_NS} {attributes}>{body}</svg>\n", encoding="utf-8")
    return path


def _png(image: Image.Image, **options: Any) -> bytes:
    out = BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def _jpeg(image: Image.Image, **options: Any) -> bytes:
    out = BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def _data(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels but that holds almost nothing."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0,
                                                              0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


SMALL_PNG = _png(Image.new("RGB", (8, 6), (230, 120, 0)))
CUT_PNG = _png(Image.effect_noise((64, 64), 80).convert("RGB"))[:300]


# --- each refused construct is a check error, naming its line ------------------------------------

REFUSED = {
    "script": ("<g/>\n<script>alert(1)</script>",
               f"contains a script (line 2); {CODE}"),
    "event-handler-on-root": ("", f"has an event handler (onload) (line 1); {CODE}"),
    "event-handler": ('<rect width="1" height="1" onclick="alert(1)"/>',
                      f"has an event handler (onclick) (line 1); {CODE}"),
    "foreign-object": ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
                       "</foreignObject>",
                       f"contains HTML (<foreignObject>) (line 1); {CODE}"),
    "html-element": ('<div xmlns="http://www.w3.org/1999/xhtml"/>',
                     f"contains HTML (<div>) (line 1); {CODE}"),
    "external-href": ('<use href="https://tracker.example/sprite.svg#icon"/>',
                      f"links to 'https://tracker.example/sprite.svg#icon' (line 1); {OWN}"),
    "external-image": ('<image xlink:href="http://tracker.example/pixel.png"/>',
                       f"links to 'http://tracker.example/pixel.png' (line 1); {OWN}"),
    "javascript-href": ('<use xlink:href="javascript:alert(1)"/>',
                        f"links to 'javascript:alert(1)' (line 1); {OWN}"),
    "image-of-a-fragment": ('<image href="#other"/>', "links to '#other' (line 1); an <image> "
                            "may only embed PNG or JPEG data (data:image/png;base64,…)"),
    "url-http-in-style-attribute": ('<rect style="fill: url(http://tracker.example/p.svg#g)"/>',
                                    "has a style that loads 'http://tracker.example/p.svg#g' "
                                    f"(line 1); {OWN_CSS}"),
    "url-http-in-style-element": ("<style>rect { fill: URL( 'https://x.example/a.svg#g' ) }"
                                  "</style>", "has a style that loads "
                                  f"'https://x.example/a.svg#g' (line 1); {OWN_CSS}"),
    "url-http-in-presentation-attribute": ('<rect fill="url(//x.example/a.svg#g)"/>',
                                           "has a style that loads '//x.example/a.svg#g' "
                                           f"(line 1); {OWN_CSS}"),
    "url-http-in-a-left-out-attribute": ('<rect cursor="url(http://x.example/c.cur), auto"/>',
                                         "has a style that loads 'http://x.example/c.cur' "
                                         f"(line 1); {OWN_CSS}"),
    "url-http-in-a-left-out-property": ('<rect style="behavior: url(x.htc)"/>',
                                        f"has a style that loads 'x.htc' (line 1); {OWN_CSS}"),
    "image-set": ('<style>rect { background-image: image-set("http://x.example/a.png" 1x) }'
                  "</style>", f"has a style that loads pictures (image-set()) (line 1); {OWN_CSS}"),
    "webkit-image-set": ('<rect style="fill: -webkit-image-set(\'a.png\' 1x)"/>',
                         "has a style that loads pictures (-webkit-image-set()) (line 1); "
                         f"{OWN_CSS}"),
    "import": ('<style>@import "https://fonts.example/x.css";</style>',
               "has a style with @import (line 1); write its rules into the style itself"),
    "import-in-style-attribute": ('<rect style="@import url(x.css); fill: red"/>',
                                  "has a style with @import (line 1); write its rules into the "
                                  "style itself"),
    "font-face": ("<style>@font-face { font-family: T; src: url(https://fonts.example/t.woff) }"
                  "</style>", "has a style with @font-face (line 1); pressroom never fetches "
                  "fonts: name a font-family instead"),
    "media-query": ("<style>@media (prefers-color-scheme: dark) { rect { fill: red } }</style>",
                    "has a style with @media (line 1); a style may hold only rules and "
                    "declarations"),
    "expression": ('<rect style="width: expression(alert(1))"/>',
                   f"has a style with code (expression()) (line 1); {CODE}"),
    "css-escapes": ("<style>rect { fill: u\\72l(https://x.example/) }</style>",
                    "has a style with CSS escapes (line 1); write it out plainly"),
    "custom-property": ('<rect style="fill: var(--brand)"/>',
                        "has a style value pressroom does not publish (var() in fill) (line 1); "
                        "write a number, a length, a colour or url(#id)"),
    "animation": ('<rect width="1" height="1"><set attributeName="fill" to="red"/></rect>',
                  f"is animated (<set>) (line 1); {CODE}"),
    "link": ('<a href="#x"><rect width="1" height="1"/></a>',
             f"has <a> (line 1), an element pressroom does not publish; {STATIC}"),
    "filter": ('<filter id="f"/>',
               f"has <filter> (line 1), an element pressroom does not publish; {STATIC}"),
    "image-without-a-picture": ('<image width="1" height="1"/>',
                                "has an <image> without a picture (line 1); an <image> may only "
                                "embed PNG or JPEG data (data:image/png;base64,…)"),
    "data-bomb": (f'<image width="10" height="10" href="{_data(_png_claiming(20000, 20000))}"/>',
                  "has an embedded PNG (line 1) that has more than 60 million pixels; scale it "
                  "down"),
    "data-many-pixels": (f'<image width="10" height="10" href="{_data(_png_claiming(9000, 9000))}'
                         '"/>', "has an embedded PNG (line 1) that has more than 60 million "
                         "pixels; scale it down (it is 9000 × 9000)"),
    "data-truncated": (f'<image width="10" height="10" href="{_data(CUT_PNG)}"/>',
                       "has an embedded PNG (line 1) that is truncated or corrupt: "),
    "data-text-html": ('<image href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="/>',
                       "links to 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==' "
                       f"(line 1); {OWN}"),
    "data-svg": ('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>',
                 f"links to 'data:image/svg+xml;base64,PHN2Zy8+' (line 1); {OWN}"),
    "data-not-base64": ('<image href="data:image/png,%89PNG"/>',
                        f"links to 'data:image/png,%89PNG' (line 1); {OWN}"),
    "data-broken-base64": ('<image href="data:image/png;base64,iVBOR!!"/>',
                           "has an embedded picture (line 1) whose base64 data is broken"),
    "data-mislabelled": (f'<image href="{_data(_jpeg(Image.new("RGB", (4, 4))))}"/>',
                         "has an embedded picture (line 1) that is a JPEG image but says "
                         "image/png"),
    "data-not-a-picture": (f'<image href="{_data(b"GIF89a" + bytes(20))}"/>',
                           "has an embedded picture (line 1) that is not a PNG or JPEG image but "
                           "says image/png"),
    "use-of-itself": ('<g id="a"><rect width="1" height="1"/><use href="#a" x="2"/></g>',
                      "refers to itself through '#a' (line 1); a <use>, pattern, marker, mask or "
                      "clip path may not contain what uses it"),
    "pattern-filled-with-itself-by-a-rule": (
        '<style>#tile { fill: url(#p) }</style>\n<pattern id="p" width="4" height="4" '
        'patternUnits="userSpaceOnUse"><rect id="tile" width="2" height="2"/></pattern>'
        '<rect width="9" height="9" fill="url(#p)"/>',
        "refers to itself through '#p' (line 2); a <use>, pattern, marker, mask or clip path may "
        "not contain what uses it"),
    "use-bomb": ('<rect id="r0" width="1" height="1"/>' + "".join(
        f'<g id="r{i}">' + f'<use href="#r{i - 1}"/>' * 10 + "</g>" for i in range(1, 7)),
        "draws more than 500 000 elements once its <use> references are expanded; simplify it"),
}


@pytest.mark.parametrize(("body", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_construct_is_a_check_error_naming_its_line(tmp_path: Path, body: str,
                                                               message: str) -> None:
    attributes = 'width="100" height="100"' + (' onload="alert(1)"' if not body else "")
    found = problems(_svg(tmp_path / "chart.svg", body, attributes))
    assert len(found) == 1, found
    assert found[0].startswith(f"'chart.svg' {message}"), found
    with pytest.raises(ValueError, match="cannot be published"):
        prepare(tmp_path / "chart.svg")  # never published, whatever calls it


def test_every_refusal_in_a_file_is_reported_each_kind_once(tmp_path: Path) -> None:
    body = "\n".join(["<script/>", '<rect onclick="x()"/>', "<style>@import url(a.css);</style>",
                      '<rect style="fill:url(http://a/b)"/>', "<script/>",
                      '<use href="http://a/b"/>', "<animate/>", "<filter/>"])
    assert [m.split(" (line ")[1][:1] for m in problems(_svg(tmp_path / "c.svg", body))] == \
        ["1", "2", "3", "4", "6", "7", "8"]


def test_embedded_pictures_share_the_pixel_limit(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media, "MAX_PIXELS", 100)
    picture = _data(_png(Image.new("L", (8, 8))))  # 64 pixels: fine alone, too many twice
    body = f'<image href="{picture}"/>\n<image href="{picture}"/>'
    assert problems(_svg(tmp_path / "c.svg", body)) == [
        "'c.svg' embeds pictures of more than 0 million pixels in all (line 2); scale them down"]


@pytest.mark.parametrize(("body", "reason"), [
    ('<rect width="9" height="9" transform="rotate(a)"/>', "ValueError"),
    ('<rect width="9" height="9" opacity="half"/>', "ValueError"),
    ("<style>..x { fill: red }</style>", "Failed to apply CSS rule"),
], ids=["transform", "opacity", "selector"])
def test_what_the_pdf_cannot_draw_is_a_check_error_not_a_render_error(
        tmp_path: Path, body: str, reason: str) -> None:
    [message] = problems(_svg(tmp_path / "chart.svg", body))
    assert message.startswith(f"'chart.svg' cannot be drawn in the PDF ({reason}"), message
    assert message.endswith("; check the values of its attributes and styles")


def test_the_adversarys_bomb_is_refused_by_check_and_build_publishes_nothing(
        tmp_path: Path) -> None:
    case = FIXTURES / "bad" / "svg-embedded-bomb"
    source = tmp_path / "source"
    shutil.copytree(case, source)
    shutil.copyfile(FIXTURES / "bad" / "_publication.yaml", source / "publication.yaml")
    checked = run("--source", str(source), "check")
    assert checked.code == 2 and "Traceback" not in checked.err
    assert checked.err == (f"{source}/2026-03-20-newsroom-case.md:9: image.src: 'chart.svg' has "
                           "an embedded PNG (line 3) that has more than 60 million pixels; scale "
                           "it down\n")
    built = build(source, tmp_path / "dist", "--format", "html")
    assert built.code == 2 and built.err == checked.err
    assert not list((tmp_path / "dist").rglob("*.svg"))


# --- what is published holds nothing refused -----------------------------------------------------


def _secret_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret author")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "secret camera"
    return _png(Image.new("RGB", (12, 12), (230, 120, 0)), pnginfo=info, exif=exif)


def _turned_jpeg() -> bytes:
    """A 40 x 20 JPEG that EXIF says to turn (orientation 6) and that says where it was made."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    return _jpeg(Image.new("RGB", (40, 20), (0, 120, 60)), exif=exif.tobytes())


BENIGN = f"""<svg {SVG_NS} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
 xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" version="1.1" width="400"
 height="200" viewBox="0 0 400 200" data-editor="x">
<!-- drawn by hand -->
<title>Test bars</title>
<metadata><author>secret author</author></metadata>
<sodipodi:namedview inkscape:current-layer="layer1"/>
<style type="text/css">@charset "utf-8"; /* the bars */
.left {{ fill: #0b5394; -inkscape-font-specification: 'Sans'; cursor: pointer }}
.right {{ fill: rgb(111, 168, 220); stroke: none }}
</style>
<defs>
<linearGradient id="band" gradientUnits="userSpaceOnUse" x1="0" y1="0" x2="400" y2="0">
<stop offset="0" stop-color="#ffffff"/><stop offset="1" style="stop-color: #cc0000"/>
</linearGradient>
<rect id="bar" width="80" height="120"/>
</defs>
<rect width="400" height="40" fill="url( '#band' )" inkscape:label="band"/>
<use class="left" xlink:href="#bar" x="20" y="60"/>
<use class="right" href="#bar" x="120" y="60"/>
<image x="240" y="60" width="60" height="120" preserveAspectRatio="none"
 href="{_data(_secret_png())}"/>
<image x="320" y="60" href="{_data(_turned_jpeg(), "image/jpeg")}"/>
</svg>
"""
COLOURS = {"left bar": (11, 83, 148), "right bar": (111, 168, 220),
           "embedded PNG": (230, 120, 0), "embedded JPEG": (0, 120, 60)}


def _refused_in(published: bytes) -> list[str]:
    """Anything in a published SVG that the allow-list refuses."""
    found = []
    for element in etree.fromstring(published).iter():
        name = etree.QName(element).localname
        if name not in media.SVG_ELEMENTS:
            found.append(f"<{name}>")
        for key, value in element.attrib.items():
            attribute = etree.QName(key).localname
            if attribute.lower().startswith("on"):
                found.append(attribute)
            if attribute == "href" and not (value.startswith("#") or value.startswith(
                    ("data:image/png;base64,", "data:image/jpeg;base64,"))):
                found.append(value)
        css = " ".join([element.text or ""] * (name == "style") + [element.get("style", "")]
                       + [v for k, v in element.attrib.items() if k in media.CSS_PROPERTIES])
        for construct in ("@", "image-set", "expression", "\\", "http", "url(h", "url('",
                          'url("', "url( "):
            if construct in css:
                found.append(construct)
    return found


def test_a_benign_chart_is_published_clean_and_stripped(tmp_path: Path) -> None:
    path = tmp_path / "chart.svg"
    path.write_text(BENIGN, encoding="utf-8")
    assert problems(path) == []
    picture = prepare(path)
    assert (picture.width, picture.height) == (400, 200)
    assert _refused_in(picture.data) == []
    for noise in (b"secret", b"inkscape", b"sodipodi", b"cursor", b"<!--", b"data-editor",
                  b' version="1.1"', b"type=", b"/* the bars */"):
        assert noise not in picture.data, noise
    root = etree.fromstring(picture.data)
    style = root.find("{http://www.w3.org/2000/svg}style")
    assert style is not None and style.text == (".left{fill:#0b5394}\n"
                                                ".right{fill:rgb(111, 168, 220);stroke:none}")
    assert [use.get(XLINK_HREF) for use in root.iter("{*}use")] == ["#bar", "#bar"]
    assert root.find("{*}rect").get("fill") == "url(#band)"
    png, jpeg = (base64.b64decode(image.get(XLINK_HREF).split(",", 1)[1])
                 for image in root.iter("{*}image"))
    with Image.open(BytesIO(png)) as image:  # re-encoded: no text chunk, no EXIF
        assert (image.format, image.size, image.getpixel((5, 5))) == ("PNG", (12, 12),
                                                                      (230, 120, 0))
        assert not image.getexif() and not set(image.info) - {"transparency"}
    assert b"secret" not in png and b"tEXt" not in png and b"eXIf" not in png
    with Image.open(BytesIO(jpeg)) as image:  # turned upright, its EXIF (and GPS) gone
        assert (image.format, image.size) == ("JPEG", (20, 40))
        assert not image.getexif() and b"Exif" not in jpeg
    turned = list(root.iter("{*}image"))[1]
    assert (turned.get("width"), turned.get("height")) == ("20", "40")  # its size, made explicit


def test_a_published_svg_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    path = tmp_path / "chart.svg"
    path.write_text(BENIGN, encoding="utf-8")
    code = ("import sys; from pathlib import Path; from pressroom.media import prepare; "
            "sys.stdout.buffer.write(prepare(Path(sys.argv[1])).data)")
    other = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                           check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert prepare(path).data == prepare(path).data == other.stdout


def test_the_pdf_fetcher_gets_only_pictures_a_published_svg_embeds(tmp_path: Path) -> None:
    stranger = _data(_png(Image.new("RGB", (3, 3), (1, 2, 3))))
    assert embedded_raster(stranger) is None  # any data: URL is not enough
    path = _svg(tmp_path / "chart.svg", f'<image href="{stranger}"/>')
    published = etree.fromstring(prepare(path).data).find("{*}image")
    assert published is not None
    got = embedded_raster(str(published.get(XLINK_HREF)))
    assert got is not None and got[1] == "image/png"
    with Image.open(BytesIO(got[0])) as image:
        assert image.getpixel((1, 1)) == (1, 2, 3)


# --- the benign chart draws in every format ------------------------------------------------------


@pytest.fixture(scope="module")
def chart_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The test site with a release whose lead image and body picture are the benign chart."""
    root = tmp_path_factory.mktemp("svg-site")
    source, dist = root / "source", root / "dist"
    shutil.copytree(FIXTURES / "site", source)
    (source / "images").mkdir(exist_ok=True)
    (source / "images" / "bars.svg").write_text(BENIGN, encoding="utf-8")
    text = release_text("2026-03-02", "bars", "The chart again:\n\n"
                        '![Bars of test figures](images/bars.svg "Test figures")\n')
    text = text.replace("keywords: [generated]\n", "keywords: [generated]\nimage:\n"
                        "  src: images/bars.svg\n  alt: Bars of test figures\n")
    (source / "2026-03-02-bars.md").write_text(text, encoding="utf-8")
    result = build(source, dist, "--no-cache", now="2026-04-01T00:00:00Z")
    assert result.code == 0, result.err
    return Built(source, dist)


def _has(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 6) -> bool:
    colours = image.convert("RGB").getcolors(1 << 22) or []
    return any(count >= 20 and all(abs(a - b) <= tolerance for a, b in zip(c, colour, strict=True))
               for count, c in colours)


def _reddish(image: Image.Image) -> bool:
    """The gradient's red end (white to #cc0000)."""
    return any(count >= 5 and r > 190 and g < 60 and b < 60
               for count, (r, g, b) in image.convert("RGB").getcolors(1 << 22) or [])


def test_the_published_chart_is_the_sanitised_one_in_web_and_epub(chart_site: Built) -> None:
    published = prepare(chart_site.source / "images" / "bars.svg").data
    svgs = sorted((chart_site.dist / "images").glob("2026-03-02-bars*.svg"))
    assert len(svgs) == 2 and all(p.read_bytes() == published for p in svgs)
    assert _refused_in(published) == []
    with zipfile.ZipFile(chart_site.dist / "epub" / "2026-03-02-bars.epub") as book:
        inside = [book.read(n) for n in book.namelist() if n.endswith(".svg")]
    assert len(inside) == 2 and all(data == published for data in inside)


def test_the_chart_draws_in_the_pdf(chart_site: Built, tmp_path: Path) -> None:
    pdf = chart_site.dist / "pdf" / "2026-03-02-bars.pdf"
    with pikepdf.open(pdf) as document:  # the embedded PNG and JPEG, as images of the page
        sizes = {(int(x.Width), int(x.Height)) for page in document.pages
                 for x in _xobjects(page.obj) if x.get("/Subtype") == "/Image"}
    assert {(12, 12), (20, 40)} <= sizes
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is absent (Debian package poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    with Image.open(next(tmp_path.glob("page*.png"))) as page:
        for name, colour in COLOURS.items():
            assert _has(page, colour), name
        assert _reddish(page), "the gradient"


def _xobjects(obj: Any, seen: set[tuple[int, int]] | None = None) -> Iterator[Any]:
    """Every XObject reachable from a page's resources (forms nest them)."""
    seen = set() if seen is None else seen
    resources = obj.get("/Resources") or {}
    for key in ("/XObject", "/Pattern"):
        for child in (resources.get(key) or {}).values():
            if child.objgen in seen:
                continue
            seen.add(child.objgen)
            yield child
            yield from _xobjects(child, seen)


def _needs_chromium() -> None:
    if not CHROMIUM.is_file():
        if IN_CI:
            pytest.fail(f"CI is set but {CHROMIUM} is absent")
        pytest.skip(f"{CHROMIUM} is absent (Debian package chromium)")


@pytest.fixture(scope="module")
def served(chart_site: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """dist/ and the unzipped EPUB over http on 127.0.0.1 (the pages' CSP needs http)."""
    root = tmp_path_factory.mktemp("served")
    (root / "dist").symlink_to(chart_site.dist)
    with zipfile.ZipFile(chart_site.dist / "epub" / "2026-03-02-bars.epub") as book:
        book.extractall(root / "book")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _shoot(url: str, selector: str) -> tuple[list[Image.Image], list[str], list[str]]:
    """Screenshots of the `selector` elements of the page at `url` in Chromium, the URLs it
    requested and its errors (console errors, failed requests but the favicon)."""
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        page = browser.new_page(viewport={"width": 1000, "height": 1600})
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error"
                and not m.text.startswith("Failed to load resource") else None)
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        page.on("requestfailed", lambda r: errors.append(f"failed {r.url}"))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="load")
        shots = [Image.open(BytesIO(element.screenshot()))
                 for element in page.locator(selector).all()]
        browser.close()
    return shots, requests, errors


@pytest.mark.slow
@pytest.mark.parametrize("where", ["web page", "EPUB"])
def test_the_chart_draws_on_the_web_page_and_in_the_epub(served: str, where: str) -> None:
    _needs_chromium()
    page = "dist/releases/2026-03-02-bars.html" if where == "web page" else "book/EPUB/text.xhtml"
    shots, requests, errors = _shoot(served + page, "figure img")
    assert errors == []
    assert all(url.startswith(served) for url in requests), requests
    assert len(shots) == 2
    for shot in shots:
        for name, colour in COLOURS.items():
            assert _has(shot, colour), (where, name)
        assert _reddish(shot), (where, "the gradient")


@pytest.mark.slow
def test_a_browser_opening_the_published_svg_fetches_nothing_else(served: str) -> None:
    _needs_chromium()
    _, requests, errors = _shoot(served + "dist/images/2026-03-02-bars.svg", "svg")
    assert errors == []
    assert [url for url in requests if not url.endswith("/favicon.ico")] == [
        served + "dist/images/2026-03-02-bars.svg"]


@pytest.mark.slow
def test_the_epub_with_the_chart_passes_epubcheck(chart_site: Built) -> None:
    from pressroom.checks.epub import epubcheck

    if shutil.which("java") is None and not IN_CI:
        pytest.skip("java is absent (EPUBCheck needs it)")
    book = chart_site.dist / "epub" / "2026-03-02-bars.epub"
    assert epubcheck([book]) == {book: []}
