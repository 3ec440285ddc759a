"""The release figure: what `images.problems` refuses and what `images.prepare` ships.

Every image is generated with Pillow into tmp_path; hostile ones are crafted byte by byte.
"""

from __future__ import annotations

import base64
import hashlib
import random
import struct
import subprocess
import sys
import warnings
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from pressroom import media as images
from pressroom.media import Picture, prepare, problems

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK_NS = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
METADATA_MARKERS = (b"Exif", b"GPS", b"ICC_PROFILE", b"iCCP", b"tEXt", b"zTXt", b"iTXt", b"eXIf",
                    b"http://ns.adobe.com/xap", b"Alice", b"secret")


def _photo(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A noisy picture (noise so that a truncated file really lacks pixel data)."""
    bands = len(Image.new(mode, (1, 1)).getbands())
    noise = random.Random(f"{width}x{height}{mode}").randbytes(width * height * bands)
    return Image.frombytes(mode, (width, height), noise)


def _jpeg(path: Path, width: int = 120, height: int = 80, **options: object) -> Path:
    _photo(width, height).save(path, "JPEG", **options)
    return path


def _png(path: Path, image: Image.Image, **options: object) -> Path:
    image.save(path, "PNG", **options)
    return path


def _svg(path: Path, body: str, head: str = "", attributes: str = "") -> Path:
    path.write_text(f'{head}<svg {SVG_NS} {XLINK_NS} {attributes}>{body}</svg>\n',
                    encoding="utf-8")
    return path


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels but carries almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def _opened(picture: Picture) -> Image.Image:
    image = Image.open(BytesIO(picture.data))
    image.load()
    return image


def _no_metadata(picture: Picture) -> None:
    image = _opened(picture)
    assert not image.getexif()
    assert not {"exif", "icc_profile", "xmp", "comment", "dpi"} & set(image.info)
    for marker in METADATA_MARKERS:
        assert marker not in picture.data, marker


# Good images.


def test_jpeg_is_accepted_and_reencoded(tmp_path: Path) -> None:
    path = _jpeg(tmp_path / "photo.jpg")
    assert problems(path) == []
    picture = prepare(path)
    assert (picture.media_type, picture.extension) == ("image/jpeg", "jpg")
    assert (picture.width, picture.height) == (120, 80)
    image = _opened(picture)
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (120, 80))
    assert "progression" not in image.info
    _no_metadata(picture)


def test_jpeg_extension_is_case_insensitive(tmp_path: Path) -> None:
    assert problems(_jpeg(tmp_path / "photo.JPEG")) == []


def test_png_keeps_alpha(tmp_path: Path) -> None:
    image = _photo(64, 48, "RGBA")
    path = _png(tmp_path / "logo.png", image)
    assert problems(path) == []
    picture = prepare(path)
    assert (picture.media_type, picture.extension, picture.width, picture.height) == (
        "image/png", "png", 64, 48)
    out = _opened(picture)
    assert out.mode == "RGBA"
    assert out.tobytes() == image.tobytes()  # lossless, alpha untouched


def test_palette_png_keeps_palette_and_transparency(tmp_path: Path) -> None:
    image = Image.new("P", (40, 30), 1)
    image.putpalette([255, 255, 255, 200, 0, 0])
    path = _png(tmp_path / "chart.png", image, transparency=0)
    out = _opened(prepare(path))
    assert out.mode == "P"
    assert out.info["transparency"] == 0


def test_sixteen_bit_grey_png_is_scaled_not_clipped(tmp_path: Path) -> None:
    image = Image.new("I;16", (4, 1))
    for x, value in enumerate((0, 256, 32768, 65535)):
        image.putpixel((x, 0), value)
    out = _opened(prepare(_png(tmp_path / "grey.png", image)))
    assert out.mode == "L"
    assert [out.getpixel((x, 0)) for x in range(4)] == [0, 1, 128, 255]


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    path = tmp_path / "print.jpg"
    _photo(50, 40, "CMYK").save(path, "JPEG")
    assert problems(path) == []
    assert _opened(prepare(path)).mode == "RGB"


def test_svg_is_accepted_and_sized(tmp_path: Path) -> None:
    path = _svg(tmp_path / "chart.svg", '<rect width="10" height="10"/>',
                attributes='width="120" height="80.4" viewBox="0 0 12 8"')
    assert problems(path) == []
    picture = prepare(path)
    assert (picture.media_type, picture.extension) == ("image/svg+xml", "svg")
    assert (picture.width, picture.height) == (120, 80)
    assert picture.data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


@pytest.mark.parametrize(("attributes", "size"), [
    ('width="300px" height="150px"', (300, 150)),
    ('viewBox="0 0 640 480"', (640, 480)),
    ('width="100mm" height="50mm" viewBox="0,0,400,200"', (400, 200)),
    ('width="800" viewBox="0 0 400 200"', (800, 400)),
    ('width="100%" height="100%"', (0, 0)),
    ("", (0, 0)),
])
def test_svg_size(tmp_path: Path, attributes: str, size: tuple[int, int]) -> None:
    picture = prepare(_svg(tmp_path / "chart.svg", "<g/>", attributes=attributes))
    assert (picture.width, picture.height) == size


def test_svg_is_cleaned(tmp_path: Path) -> None:
    head = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- made by hand -->\n'
    body = ('<?editor keep?><!-- secret --><metadata><author>Alice</author></metadata>'
            '<sodipodi:namedview xmlns:sodipodi="urn:sodipodi"/>'
            '<g xmlns:inkscape="urn:inkscape" inkscape:export-filename="/home/alice/x.png">'
            '<use xlink:href="#r"/><rect id="r" width="1" height="1" xml:space="preserve"/>'
            '<text>caf\xe9<x:note xmlns:x="urn:x">private</x:note> au lait</text></g>')
    path = tmp_path / "chart.svg"
    path.write_bytes(f"{head}<svg {SVG_NS} {XLINK_NS}>{body}</svg>".encode("latin-1"))
    assert problems(path) == []
    data = prepare(path).data
    assert data == (
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<g><use xlink:href="#r"/><rect id="r" width="1" height="1" xml:space="preserve"/>'
        b"<text>caf\xc3\xa9 au lait</text></g></svg>")


def test_svg_may_embed_png_and_jpeg_data(tmp_path: Path) -> None:
    png, jpeg = BytesIO(), BytesIO()
    _photo(4, 3, "RGBA").save(png, "PNG")
    _photo(4, 3).save(jpeg, "JPEG")
    png64, jpeg64 = (base64.b64encode(b.getvalue()).decode() for b in (png, jpeg))
    body = (f'<image href="data:image/png;base64,{png64}"/>'
            f'<image xlink:href="DATA:image/JPEG;base64,{jpeg64}"/>'
            '<rect fill="url(#g)" style="fill: url( \'#g\' )"/>'
            "<style>rect { fill: url(#g) }</style>")
    path = _svg(tmp_path / "chart.svg", body)
    assert problems(path) == []
    assert prepare(path).data.count(b'xlink:href="data:image/') == 2


# Scaling, orientation and metadata.


def test_large_jpeg_is_scaled_to_max_edge(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.linear_gradient("L").resize((4000, 3000)).convert("RGB").save(path, "JPEG")
    picture = prepare(path)
    assert (picture.width, picture.height) == (2000, 1500)
    assert _opened(picture).size == (2000, 1500)


def test_tall_png_with_alpha_is_scaled(tmp_path: Path) -> None:
    image = Image.new("RGBA", (500, 4001), (200, 100, 50, 128))
    picture = prepare(_png(tmp_path / "tall.png", image))
    assert (picture.width, picture.height) == (250, 2000)
    out = _opened(picture)
    assert out.mode == "RGBA"
    pixel = out.getpixel((10, 10))
    assert isinstance(pixel, tuple)
    assert pixel[3] == 128  # colour is premultiplied while resampling: off by a unit or two
    assert all(abs(a - b) <= 2 for a, b in zip(pixel, (200, 100, 50), strict=False))


def test_small_image_is_never_upscaled(tmp_path: Path) -> None:
    assert prepare(_jpeg(tmp_path / "tiny.jpg", 3, 2)).width == 3


def test_exif_orientation_is_applied_and_exif_dropped(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "secret camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 1.5)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:dc="http://ns.adobe.com/xap/1.0/"/>'
    path = _jpeg(tmp_path / "phone.jpg", 400, 200, exif=exif.tobytes(), comment=b"secret",
                 xmp=xmp + b"</x:xmpmeta>")
    assert b"Exif" in path.read_bytes()
    with Image.open(path) as original:
        exif = original.getexif()
        assert exif[ExifTags.Base.Orientation] == 6
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    picture = prepare(path)
    assert (picture.width, picture.height) == (200, 400)
    _no_metadata(picture)


def test_icc_profile_is_converted_and_dropped(tmp_path: Path) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = _jpeg(tmp_path / "icc.jpg", icc_profile=profile)
    with Image.open(path) as original:
        assert original.info["icc_profile"]
    _no_metadata(prepare(path))
    png = _png(tmp_path / "icc.png", _photo(20, 10, "RGBA"), icc_profile=profile)
    picture = prepare(png)
    _no_metadata(picture)
    assert _opened(picture).mode == "RGBA"


def test_png_text_chunks_are_stripped(tmp_path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Alice")
    info.add_text("Comment", "secret " * 100, zip=True)
    info.add_itxt("Location", "Alice's garden")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "secret camera"
    path = _png(tmp_path / "text.png", _photo(30, 20), pnginfo=info, exif=exif, dpi=(300, 300))
    assert b"tEXt" in path.read_bytes()
    assert b"zTXt" in path.read_bytes()
    _no_metadata(prepare(path))


@pytest.mark.parametrize(("mode", "options", "out_mode"), [
    ("1", {}, "L"),
    ("P", {"transparency": 0}, "RGBA"),
    ("P", {}, "RGB"),
    ("LA", {}, "LA"),
    ("L", {}, "L"),
])
def test_scaled_png_modes(tmp_path: Path, mode: str, options: dict[str, object],
                          out_mode: str) -> None:
    path = _png(tmp_path / "wide.png", Image.new(mode, (3000, 30)), **options)
    picture = prepare(path)
    assert (picture.width, picture.height) == (2000, 20)
    assert _opened(picture).mode == out_mode


def test_corrupt_exif_warns_nobody(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    path = _jpeg(tmp_path / "odd.jpg", exif=exif.tobytes()[:12] + b"\xff" * 20)
    filters = list(warnings.filters)
    assert problems(path) == []
    _no_metadata(prepare(path))  # pytest turns any escaping warning into an error
    assert warnings.filters == filters


# Determinism.


def _fingerprints(paths: list[Path]) -> list[str]:
    return [hashlib.sha256(prepare(path).data).hexdigest() for path in paths]


def test_output_is_deterministic(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 8
    paths = [
        _jpeg(tmp_path / "a.jpg", 2500, 300, exif=exif.tobytes()),
        _png(tmp_path / "b.png", _photo(2100, 90, "RGBA")),
        _svg(tmp_path / "c.svg", "<!-- x --><circle r='3'/>", attributes='viewBox="0 0 9 9"'),
    ]
    first = _fingerprints(paths)
    assert first == _fingerprints(paths)
    code = ("import hashlib, sys; from pathlib import Path; from pressroom.media import prepare;"
            "print(*(hashlib.sha256(prepare(Path(p)).data).hexdigest() for p in sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", code, *map(str, paths)], capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == first


def test_import_does_not_load_pillow() -> None:
    code = "import sys, pressroom.media; print('PIL' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


# Refused files.


def test_missing_file(tmp_path: Path) -> None:
    assert problems(tmp_path / "gone.jpg") == ["'gone.jpg' does not exist"]


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "folder.png").mkdir()
    assert problems(tmp_path / "folder.png") == ["'folder.png' is a directory, not a file"]


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.jpg").write_bytes(b"")
    assert problems(tmp_path / "empty.jpg") == ["'empty.jpg' is empty"]


def test_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "huge.png"
    path.write_bytes(b"\0" * (3 * 1024 * 1024 // 2))
    assert problems(path) == ["'huge.png' is 1.5 MB; an image may be at most 1 MB"]


def test_truncated_jpeg(tmp_path: Path) -> None:
    path = _jpeg(tmp_path / "cut.jpg", 300, 200)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    [message] = problems(path)
    assert message.startswith("'cut.jpg' is truncated or corrupt: image file is truncated (")


def test_truncated_png(tmp_path: Path) -> None:
    path = _png(tmp_path / "cut.png", _photo(300, 200))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    [message] = problems(path)
    assert message.startswith("'cut.png' is truncated or corrupt: ")


def test_corrupt_png_checksum(tmp_path: Path) -> None:
    path = _png(tmp_path / "crc.png", _photo(30, 20))
    data = bytearray(path.read_bytes())
    data[40] ^= 0xFF  # inside the first IDAT chunk
    path.write_bytes(bytes(data))
    [message] = problems(path)
    assert message.startswith("'crc.png' is truncated or corrupt: ")


def test_jpeg_magic_without_a_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "junk.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"junk" * 10)
    assert problems(path) == ["'junk.jpg' is truncated or corrupt: not a readable JPEG image"]


def test_gif_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "anim.gif"
    Image.new("P", (10, 10)).save(path, "GIF")
    assert problems(path) == ["'anim.gif' is not a JPEG, PNG or SVG image (it is a GIF image)"]


def test_webp_named_png_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    Image.new("RGB", (10, 10)).save(path, "WEBP")
    assert problems(path) == ["'photo.png' is not a JPEG, PNG or SVG image (it is a WebP image)"]


def test_text_named_jpg_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.jpg").write_text("not a picture\n", encoding="utf-8")
    (tmp_path / "page.jpg").write_text("<html><body/></html>", encoding="utf-8")
    assert problems(tmp_path / "notes.jpg") == ["'notes.jpg' is not a JPEG, PNG or SVG image"]
    assert problems(tmp_path / "page.jpg") == ["'page.jpg' is not a JPEG, PNG or SVG image"]


@pytest.mark.parametrize(("name", "make", "message"), [
    ("photo.png", "jpeg", "'photo.png' is a JPEG image; rename it to .jpg"),
    ("photo.jpe", "jpeg", "'photo.jpe' is a JPEG image; rename it to .jpg"),
    ("logo.jpg", "png", "'logo.jpg' is a PNG image; rename it to .png"),
    ("chart.png", "svg", "'chart.png' is an SVG image; rename it to .svg"),
])
def test_extension_must_match_content(tmp_path: Path, name: str, make: str, message: str) -> None:
    path = tmp_path / name
    if make == "jpeg":
        _jpeg(path)
    elif make == "png":
        _png(path, _photo(10, 10))
    else:
        _svg(path, "<g/>")
    assert problems(path) == [message]


def test_decompression_bomb_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(100_000, 100_000))
    assert problems(path) == ["'bomb.png' has more than 60 million pixels; scale it down"]


def test_many_pixels_warning_does_not_escape(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(_png_header(10_000, 10_000))  # above Pillow's warning threshold
    filters = list(warnings.filters)
    assert problems(path) == [
        "'big.png' has more than 60 million pixels; scale it down (it is 10000 × 10000)"]
    assert warnings.filters == filters


def test_max_pixels_is_checked_before_decoding(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_PIXELS", 1_000_000)
    path = _png(tmp_path / "wide.png", Image.new("L", (2000, 600)))
    assert problems(path) == [
        "'wide.png' has more than 1 million pixels; scale it down (it is 2000 × 600)"]


# Hostile SVG.


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n')


@pytest.mark.parametrize(("body", "head", "message"), [
    ("<script>alert(1)</script>", "",
     "'chart.svg' contains a script (line 1); images must be data, never code"),
    ('<g>\n<circle onclick="alert(1)"/></g>', "",
     "'chart.svg' has an event handler (onclick) (line 2); images must be data, never code"),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>', "",
     "'chart.svg' contains HTML (<foreignObject>) (line 1); images must be data, never code"),
    ('<image xlink:href="https://tracker.example/pixel.png"/>', "",
     "'chart.svg' links to 'https://tracker.example/pixel.png' (line 1); an SVG may only refer "
     "to its own parts (#id) or embed PNG or JPEG data"),
    ('<use href="javascript:alert(1)"/>', "",
     "'chart.svg' links to 'javascript:alert(1)' (line 1); an SVG may only refer "
     "to its own parts (#id) or embed PNG or JPEG data"),
    ('<image href="data:image/svg+xml;base64,AAAA"/>', "",
     "'chart.svg' links to 'data:image/svg+xml;base64,AAAA' (line 1); an SVG may only refer "
     "to its own parts (#id) or embed PNG or JPEG data"),
    ('<g><animate attributeName="href" values="javascript:alert(1)"/></g>', "",
     "'chart.svg' is animated (<animate>) (line 1); images must be data, never code"),
    ('<style>@import "https://fonts.example/x.css";</style>', "",
     "'chart.svg' has a style with @import (line 1); write its rules into the style itself"),
    ("<style>rect { fill: u\\72l(https://x.example/) }</style>", "",
     "'chart.svg' has a style with CSS escapes (line 1); write it out plainly"),
    ("<style>rect { background: URL( 'https://x.example/a.png' ) }</style>", "",
     "'chart.svg' has a style that loads 'https://x.example/a.png' (line 1); an SVG may only "
     "refer to its own parts (url(#id)) or embed PNG or JPEG data"),
    ('<rect style="fill:url(file:///etc/passwd)"/>', "",
     "'chart.svg' has a style that loads 'file:///etc/passwd' (line 1); an SVG may only "
     "refer to its own parts (url(#id)) or embed PNG or JPEG data"),
    ("<text>&lol3;</text>", BILLION_LAUGHS,
     "'chart.svg' has a DOCTYPE; delete the <!DOCTYPE …> declaration (entity declarations are "
     "not allowed)"),
    ("<g/>", '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
             '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
     "'chart.svg' has a DOCTYPE; delete the <!DOCTYPE …> declaration (entity declarations are "
     "not allowed)"),
])
def test_hostile_svg_is_refused(tmp_path: Path, body: str, head: str, message: str) -> None:
    assert problems(_svg(tmp_path / "chart.svg", body, head)) == [message]


def test_exponential_entities_are_refused_quickly(tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 12))
    head = f'<!DOCTYPE svg [<!ENTITY a0 "lol">{entities}]>'
    for body in ("<text>&a11;</text>", '<g id="&a11;"/>'):
        [message] = problems(_svg(tmp_path / "chart.svg", body, head))
        assert message.startswith("'chart.svg' is not well-formed XML (line 1): ")


def test_prepare_refuses_what_problems_refuses(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("text", encoding="utf-8")
    with pytest.raises(ValueError, match=r"'notes\.txt' cannot be published"):
        prepare(tmp_path / "notes.txt")
    with pytest.raises(ValueError, match=r"'gone\.png' cannot be published: does not exist"):
        prepare(tmp_path / "gone.png")


def test_each_kind_of_svg_problem_is_reported_once(tmp_path: Path) -> None:
    body = "<script/><script/><g onload='x()'/><g onclick='y()'/><foreignObject/>"
    assert len(problems(_svg(tmp_path / "chart.svg", body))) == 3


def test_svg_root_must_be_svg(tmp_path: Path) -> None:
    (tmp_path / "page.svg").write_text("<html><body/></html>", encoding="utf-8")
    (tmp_path / "bare.svg").write_text("<svg><g/></svg>", encoding="utf-8")
    assert problems(tmp_path / "page.svg") == [
        "'page.svg' is not an SVG image: its root element is <html>"]
    assert problems(tmp_path / "bare.svg") == [
        "'bare.svg' is not an SVG image; add xmlns=\"http://www.w3.org/2000/svg\" to <svg>"]


def test_broken_svg(tmp_path: Path) -> None:
    (tmp_path / "broken.svg").write_text(f"<svg {SVG_NS}>\n<g></svg>", encoding="utf-8")
    assert problems(tmp_path / "broken.svg") == [
        "'broken.svg' is not well-formed XML (line 2): Opening and ending tag mismatch: g line 2 "
        "and svg"]


def test_truncated_jpeg_is_refused_even_after_weasyprint_is_imported(tmp_path: Path) -> None:
    """`import weasyprint` sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    whole = BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 200)).save(whole, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    assert [m for m in images.problems(path) if "truncated or corrupt" in m]
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # restored
