"""Pictures: a release's figure (a JPEG, PNG or SVG under source/) checked and made ready to
publish, kept per file for the process, and the QR code of a brief.

The type is read from the content, never from the extension. Rasters are turned upright,
scaled to at most MAX_EDGE pixels, converted to sRGB and stripped of all metadata (EXIF and
its GPS position, XMP, comments, ICC, text chunks); an SVG must be data, never code, and is
re-serialized without comments, processing instructions, <metadata> or editor attributes.
Same bytes in, same bytes out. Pillow is imported only when an image is read: the source
loader imports this module on every build.
"""

from __future__ import annotations

import io
import re
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_BYTES = 20 * 1024 * 1024  # refuse image files larger than this
MAX_EDGE = 2000  # long edge in pixels after scaling (print at ~300 dpi over 170 mm)
MAX_PIXELS = 60_000_000  # refuse decompression bombs before decoding

SVG = "http://www.w3.org/2000/svg"
KEPT_NAMESPACES = (None, SVG, "http://www.w3.org/1999/xlink", "http://www.w3.org/XML/1998/namespace")
EXTENSIONS = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".svg": "svg"}
KINDS = {"jpg": ("image/jpeg", "a JPEG", "JPEG"), "png": ("image/png", "a PNG", "PNG"),
         "svg": ("image/svg+xml", "an SVG", "")}
OTHERS = {b"GIF8": "GIF", b"II*\0": "TIFF", b"MM\0*": "TIFF", b"BM": "BMP", b"%PDF": "PDF"}
CODE = "images must be data, never code"
OWN_PARTS = "an SVG may only refer to its own parts ({}) or embed PNG or JPEG data"
LOCAL = re.compile(r"#|data:image/(png|jpeg)[;,]", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(?:px)?\s*")


@dataclass(frozen=True, kw_only=True, slots=True)
class Picture:
    """An image ready to ship, with what a renderer needs to place it."""

    data: bytes  # the bytes to ship (scaled, metadata stripped)
    media_type: str  # "image/jpeg" | "image/png" | "image/svg+xml"
    extension: str  # "jpg" | "png" | "svg"
    width: int  # pixels (for SVG: from width/height or viewBox, rounded; 0 if unknown)
    height: int


def problems(path: Path) -> list[str]:
    """Messages (without path/line prefix) for an image that cannot be used; [] when fine."""
    data = _read(path)
    if isinstance(data, str):
        return [f"'{path.name}' {data}"]
    kind, tree = _identify(data, path)
    found: list[str] = []
    if kind is None:
        other = next((f" (it is a {k} image)" for m, k in OTHERS.items() if data.startswith(m)),
                     " (it is a WebP image)" if data[8:12] == b"WEBP" else "")
        found.append(f"is not a JPEG, PNG or SVG image{other}")
    elif EXTENSIONS.get(path.suffix.lower()) != kind:
        found.append(f"is {KINDS[kind][1]} image; rename it to .{kind}")
    if kind == "svg":
        found += _svg_problems(tree)
    elif kind is not None:
        found += _raster_problems(data, KINDS[kind][2])
    return [f"'{path.name}' {message}" for message in found]


def prepare(path: Path) -> Picture:
    """The image made ready to publish. Call only when problems(path) == []."""
    data = _read(path)
    kind, tree = _identify(data, path) if isinstance(data, bytes) else (None, data)
    if kind is None or not isinstance(data, bytes) or (kind == "svg" and isinstance(tree, str)):
        raise ValueError(f"'{path.name}' cannot be published: {tree or 'not an image'}")
    if isinstance(tree, etree._ElementTree):
        root = _cleaned(tree.getroot())
        (width, height), out = _svg_size(root), etree.tostring(
            root, xml_declaration=True, encoding="UTF-8")
    else:
        out, (width, height) = _raster(data, KINDS[kind][2])
    return Picture(data=out, media_type=KINDS[kind][0], extension=kind, width=width,
                   height=height)


def _read(path: Path) -> bytes | str:
    """The file's bytes, or what is wrong with it."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return "is a directory, not a file"
        if not stat.S_ISREG(info.st_mode):
            return "is not a regular file"
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1) if info.st_size <= MAX_BYTES else b""
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if (size := max(info.st_size, len(data))) > MAX_BYTES:  # len(): the file may have grown
        return f"is {size / 2**20:.1f} MB; an image may be at most {MAX_BYTES // 2**20} MB"
    return data or "is empty"


def _identify(data: bytes, path: Path) -> tuple[str | None, etree._ElementTree | str | None]:
    """The kind by content ("jpg", "png", "svg", None) and for SVG the tree or parse error.

    Markup is SVG when its root is <svg> or it is named .svg (a broken chart.svg is reported
    as such; an HTML page named photo.jpg is simply not an image).
    """
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg", None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", None
    if not data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return None, None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        tree: etree._ElementTree | str = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        tree = f"is not well-formed XML (line {exc.lineno}): {exc.msg.split(', line ')[0]}"
    root = tree.getroot().tag if isinstance(tree, etree._ElementTree) else "x"
    named = path.suffix.lower() == ".svg"
    return ("svg", tree) if named or etree.QName(root).localname == "svg" else (None, None)


def _svg_problems(tree: etree._ElementTree | str | None) -> list[str]:
    """Why an SVG is refused: not SVG, a DOCTYPE, or anything that runs or fetches (once each)."""
    if not isinstance(tree, etree._ElementTree):
        return [str(tree)]
    root = tree.getroot()
    if root.tag != f"{{{SVG}}}svg":
        return ["is not an SVG image" + (f'; add xmlns="{SVG}" to <svg>' if root.tag == "svg"
                else f": its root element is <{etree.QName(root).localname}>")]
    found: dict[str, str] = {}
    if tree.docinfo.internalDTD is not None:  # set for any DOCTYPE, with or without [...]
        found["doctype"] = ("has a DOCTYPE; delete the <!DOCTYPE …> declaration "
                            "(entity declarations are not allowed)")
    for kind, message in _code(root):
        found.setdefault(kind, message)
    return list(found.values())


def _code(root: etree._Element) -> Iterator[tuple[str, str]]:
    """What in an SVG would run or fetch something, as (kind, message)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        where, tag = f" (line {element.sourceline})", etree.QName(element)
        if tag.localname == "script":
            yield "script", f"contains a script{where}; {CODE}"
        if tag.localname == "foreignObject" or tag.namespace == "http://www.w3.org/1999/xhtml":
            yield "html", f"contains HTML (<{tag.localname}>){where}; {CODE}"
        styles = [element.text or ""] if tag.localname == "style" else []
        for key, raw in element.attrib.items():
            name, value = etree.QName(key).localname, str(raw).strip()
            if name.lower().startswith("on"):
                yield "on", f"has an event handler ({name}){where}; {CODE}"
            elif name == "href" and not LOCAL.match(value):
                yield "href", f"links to '{value[:60]}'{where}; {OWN_PARTS.format('#id')}"
            elif name == "attributeName" and re.match(r"(\w+:)?href$|on", value, re.IGNORECASE):
                yield "animate", f"animates '{value}'{where}; {CODE}"
            else:  # presentation attributes are CSS too: fill="url(…)"
                styles.append(value)
        for css in styles:
            if "@import" in css.lower() or "\\" in css:
                yield "css", f"has a style with @import or CSS escapes{where}; write it out plainly"
            for target in (t for t in CSS_URL.findall(css) if not LOCAL.match(t)):
                yield "css", (f"has a style that loads '{target[:60]}'{where}; "
                              f"{OWN_PARTS.format('url(#id)')}")


def _cleaned(root: etree._Element) -> etree._Element:
    """The SVG without <metadata> and without elements or attributes of other namespaces."""
    foreign = {e.tag for e in root.iter() if not str(e.tag).startswith(f"{{{SVG}}}")}
    etree.strip_elements(root, f"{{{SVG}}}metadata", *foreign, with_tail=False)
    for element in root.iter():
        for key in [k for k in element.attrib if etree.QName(k).namespace not in KEPT_NAMESPACES]:
            del element.attrib[key]
    etree.cleanup_namespaces(root)
    return root


def _svg_size(root: etree._Element) -> tuple[int, int]:
    """Pixels from width/height (unitless or px), else from the viewBox; 0 when unknown."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = [_length(n) for n in re.split(r"[\s,]+", (root.get("viewBox") or "").strip())][2:]
    if width and height:
        return round(width), round(height)
    if len(box) == 2 and box[0] and box[1]:
        if width or height:
            scale = (width / box[0]) if width else (height or 0) / box[1]
            return round(box[0] * scale), round(box[1] * scale)
        return round(box[0]), round(box[1])
    return 0, 0


def _length(value: str | None) -> float | None:
    """A positive number of pixels ("120", "80.5px"), else None."""
    match = LENGTH.fullmatch(value or "")
    number = float(match.group(1)) if match else 0.0
    return number if 0 < number < 1e9 else None


@contextmanager
def _quiet() -> Iterator[None]:
    """Pillow's warnings (bombs, corrupt EXIF) stay in here; the filters are restored after.
    Truncated images are errors in here, whatever the process set (`import weasyprint` sets
    Pillow's LOAD_TRUNCATED_IMAGES for everyone)."""
    from PIL import ImageFile

    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated


def _raster_problems(data: bytes, format_: str) -> list[str]:
    """Too many pixels (read from the header), or truncated or corrupt data (decoded in full)."""
    from PIL import Image, UnidentifiedImageError

    too_many = f"has more than {MAX_PIXELS // 1_000_000} million pixels; scale it down"
    with _quiet():
        try:
            with Image.open(BytesIO(data), formats=[format_]) as image:
                if image.width * image.height > MAX_PIXELS:
                    return [f"{too_many} (it is {image.width} × {image.height})"]
                image.verify()
            with Image.open(BytesIO(data), formats=[format_]) as image:
                image.load()
                image.getexif()
        except Image.DecompressionBombError:
            return [too_many]
        except UnidentifiedImageError:
            return [f"is truncated or corrupt: not a readable {format_} image"]
        except Exception as exc:  # OSError, SyntaxError, ValueError, struct.error, zlib.error…
            reason = re.sub(r" at 0x[0-9a-fA-F]+", "", str(exc).split("\n")[0])[:120]
            return [f"is truncated or corrupt: {reason or type(exc).__name__}"]
    return []


def _raster(data: bytes, format_: str) -> tuple[bytes, tuple[int, int]]:
    """Upright, sRGB, at most MAX_EDGE on the long edge, re-encoded without metadata."""
    from PIL import Image, ImageOps

    with _quiet(), Image.open(BytesIO(data), formats=[format_]) as opened:
        image = _srgb(ImageOps.exif_transpose(opened), opened.info.get("icc_profile"))
        scaling = max(image.size) > MAX_EDGE
        if image.mode.startswith("I"):  # 16-bit grey: convert("L") would clip, not scale
            image = image.convert("I").point(lambda v: v / 256).convert("L")
        if format_ == "JPEG" and image.mode not in ("L", "RGB"):  # CMYK, YCbCr
            image = image.convert("RGB")
        elif image.mode not in ("L", "LA", "RGB", "RGBA") and (  # PNG: 1, P, PA
                scaling or image.mode not in ("1", "P")):  # no LANCZOS for bilevel or palette
            alpha = "A" in image.getbands() or "transparency" in image.info
            image = image.convert(("L" if image.mode == "1" else "RGB") + ("A" if alpha else ""))
        if scaling:
            scale = MAX_EDGE / max(image.size)
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            image = image.resize(size, Image.Resampling.LANCZOS)
        keep = {k: v for k, v in image.info.items() if k == "transparency"}
        image.info = {}  # no EXIF, XMP, comment, ICC or text chunk reaches the encoder
        out = BytesIO()
        if format_ == "JPEG":
            image.save(out, "JPEG", quality=85, optimize=True, progressive=False, subsampling=2)
        else:
            image.save(out, "PNG", optimize=True, **keep)
        return out.getvalue(), image.size


def _srgb(image: Image, icc: object) -> Image:
    """Colour pixels converted from their ICC profile to sRGB; else the profile is dropped."""
    if not isinstance(icc, bytes) or not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        from PIL import ImageCms

        colour = image.convert("RGB") if image.mode == "RGBA" else image
        srgb = ImageCms.profileToProfile(colour, ImageCms.ImageCmsProfile(BytesIO(icc)),
                                         ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:  # no LittleCMS, or a profile it cannot use: keep the pixels as they are
        return image
    if srgb is not None and image.mode == "RGBA":
        srgb.putalpha(image.getchannel("A"))
    return image if srgb is None else srgb


# Scaling and re-encoding an image costs tens of milliseconds, and several formats of one build
# need it (the web page ships the file, the EPUB embeds it, the feeds give its size), so the
# result is kept per file and per version of the file.


def picture(path: Path | None) -> Picture | None:
    """The image at `path`, scaled and stripped of metadata; None for no image."""
    if path is None:
        return None
    info = path.stat()
    return _prepared(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=64)
def _prepared(path: Path, mtime_ns: int, size: int) -> Picture:
    return prepare(path)


QR_SCALE = 4
"""Pixels a module in the QR code's picture: 49 modules (a long address) make 196 pixels, over
200 dpi at the brief's 22 mm, sharp even where a viewer smooths a picture it enlarges."""


def qr_png(url: str) -> bytes:
    """A QR code of `url` as a greyscale PNG (deterministic), for the printed brief. A picture,
    not SVG: WeasyPrint reads an SVG path number by number, which cost about 20 ms a brief;
    print.css keeps its edges sharp (`image-rendering: pixelated`)."""
    import segno
    from PIL import Image as PILImage

    matrix = segno.make(url, error="m").matrix
    width, height = len(matrix[0]), len(matrix)
    modules = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = PILImage.frombytes("L", (width, height), modules).resize(
        (QR_SCALE * width, QR_SCALE * height), PILImage.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
