"""Pictures: a release's figure (a JPEG, PNG or SVG under source/) checked and made ready to
publish, kept per file for the process, and the QR code of a brief.

The type is read from the content, never from the extension. Rasters are turned upright,
scaled to at most MAX_EDGE pixels, converted to sRGB and stripped of all metadata (EXIF and
its GPS position, XMP, comments, ICC, text chunks). An SVG must be data, never code: it is
published as rebuilt from an allow-list (a static drawing, styles that only paint, references
to its own parts, PNG or JPEG pictures embedded as data: URLs and treated like any raster),
without comments, processing instructions, <metadata> or editor attributes, and is drawn once
by WeasyPrint at check time, so that whatever would fail is refused there, never at render
time. Same bytes in, same bytes out. Pillow, tinycss2 and WeasyPrint are imported only when an
image is read: the source loader imports this module on every build.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from lxml import etree

from pressroom.files import write_atomic

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_BYTES = 20 * 1024 * 1024  # refuse image files larger than this
MAX_EDGE = 2000  # long edge in pixels after scaling (print at ~300 dpi over 170 mm)
MAX_PIXELS = 60_000_000  # refuse decompression bombs before decoding

SVG = "http://www.w3.org/2000/svg"
EXTENSIONS = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".svg": "svg"}
KINDS = {"jpg": ("image/jpeg", "a JPEG", "JPEG"), "png": ("image/png", "a PNG", "PNG"),
         "svg": ("image/svg+xml", "an SVG", "")}
OTHERS = {b"GIF8": "GIF", b"II*\0": "TIFF", b"MM\0*": "TIFF", b"BM": "BMP", b"%PDF": "PDF"}
CODE = "images must be data, never code"
OWN_PARTS = "an SVG may only refer to its own parts ({}) or embed PNG or JPEG data"
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
        found += _svg_problems(tree, path.name)
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
        clean = _Sanitiser(tree.getroot())
        if clean.problems:
            raise ValueError(f"'{path.name}' cannot be published: "
                             + "; ".join(clean.problems.values()))
        _EMBEDDED.update(hashlib.sha256(url.encode()).digest() for url in clean.rasters)
        (width, height), out = _svg_size(clean.root), _svg_bytes(clean.root)
    else:
        out, (width, height) = _kept_raster(data, KINDS[kind][2])
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


# SVG is published only as rebuilt from an allow-list: the elements of a static drawing, their
# geometry and presentation attributes, CSS properties that paint, and references to the
# drawing's own parts. What runs or fetches is refused, naming the line; what is merely
# unknown (an editor's attributes and namespaces, <metadata>, comments, CSS properties no
# renderer needs) is left out. Nothing the checks did not see reaches a reader.

XLINK = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML = "http://www.w3.org/1999/xhtml"
SVG_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath", "image",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker"})
"""The static drawing set of SVG 1.1 and SVG 2 that WeasyPrint (the PDF), browsers (the web
page) and reading systems (the EPUB) draw alike. Not on it: script and foreignObject (code and
HTML); animation; a (a link; WeasyPrint draws its shapes as text); filter and its fe*
primitives (WeasyPrint draws two of sixteen, feImage fetches); switch (drawn by the reader's
language); font, font-face, cursor, color-profile (they fetch); view, tref, solidcolor."""
ANIMATION = frozenset({"animate", "animateColor", "animateMotion", "animateTransform", "set",
                       "discard", "mpath"})
CSS_PROPERTIES = frozenset({
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
    "color-interpolation", "color-rendering", "direction", "display", "dominant-baseline",
    "fill", "fill-opacity", "fill-rule", "font", "font-family", "font-size", "font-size-adjust",
    "font-stretch", "font-style", "font-variant", "font-weight", "glyph-orientation-horizontal",
    "glyph-orientation-vertical", "image-rendering", "kerning", "letter-spacing", "marker",
    "marker-end", "marker-mid", "marker-start", "mask", "opacity", "overflow", "paint-order",
    "pointer-events", "shape-rendering", "stop-color", "stop-opacity", "stroke",
    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration",
    "text-rendering", "unicode-bidi", "vector-effect", "visibility", "white-space",
    "word-spacing", "writing-mode"})
"""What a style may set, as a property or a presentation attribute: paint, strokes, markers,
clipping, masking, text. Not: cursor, filter, behavior, -moz-binding (they fetch or run),
transform as a property (WeasyPrint reads the attribute only), custom properties."""
ATTRIBUTES = CSS_PROPERTIES | frozenset({
    "id", "class", "style", "lang", "role", "x", "y", "width", "height", "rx", "ry", "cx", "cy",
    "r", "fx", "fy", "fr", "x1", "y1", "x2", "y2", "d", "points", "pathLength", "transform",
    "transform-origin", "viewBox", "preserveAspectRatio", "gradientUnits", "gradientTransform",
    "spreadMethod", "offset", "patternUnits", "patternContentUnits", "patternTransform",
    "clipPathUnits", "maskUnits", "maskContentUnits", "markerUnits", "markerWidth",
    "markerHeight", "refX", "refY", "orient", "dx", "dy", "rotate", "textLength",
    "lengthAdjust", "startOffset", "method", "spacing", "side"})
"""Attributes kept (besides href, xml:space, xml:lang and aria-*): geometry, ids and classes,
and the presentation attributes, whose values are checked as CSS."""
CSS_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
FETCHING = frozenset({"image-set", "-webkit-image-set", "image", "cross-fade",
                      "-webkit-cross-fade", "element", "-moz-element", "src", "paint"})
FRAGMENT = re.compile(r"#[\w.:-]+")
RASTER_URL = re.compile(r"data:image/(png|jpeg);base64,(.*)", re.IGNORECASE | re.DOTALL)
MAX_SHAPES = 500_000
"""Elements an SVG may draw once every <use>, pattern, marker, mask and clip path is expanded:
a few kilobytes of <use> nested ten deep would otherwise draw billions."""
STATIC = ("an SVG may hold shapes, text, gradients, patterns, markers, clip paths, masks, <use>, "
          "<style> and embedded PNG or JPEG pictures")
_EMBEDDED: set[bytes] = set()
"""Digests of the data: URLs prepare() wrote into published SVGs in this process."""


class _Sanitiser:
    """`root`: the SVG rebuilt from what the allow-list keeps; `problems`: why it is refused
    (each kind once, at its first line); `rasters`: the data: URLs it embeds."""

    def __init__(self, source: etree._Element) -> None:
        self.problems: dict[str, str] = {}
        self.rasters: list[str] = []
        self.pixels = 0
        self.lines: dict[etree._Element, int] = {}
        self.refs: dict[etree._Element, list[str]] = {}  # an element -> the ids it refers to
        self.rules: list[tuple[list[Any], list[str]]] = []  # a <style> rule's selector -> ids
        self.css: dict[tuple[str, str], tuple[str, list[str]]] = {}  # checked CSS values
        self.root = etree.fromstring(f'<svg xmlns="{SVG}" xmlns:xlink="{XLINK}"/>')
        self.lines[self.root] = _line(source)
        self._attributes(source, self.root)
        self.root.text = source.text
        self._children(source, self.root)
        if not self.problems:
            self._expansion()
        etree.cleanup_namespaces(self.root)

    def refuse(self, kind: str, message: str) -> None:
        self.problems.setdefault(kind, message)

    def _children(self, source: etree._Element, out: etree._Element) -> None:
        last: etree._Element | None = None
        for child in source:
            kept = self._element(child, out) if isinstance(child.tag, str) else None
            if kept is not None:
                last = kept
            elif child.tail and last is None:  # left out: the text after it stays
                out.text = (out.text or "") + child.tail
            elif child.tail and last is not None:
                last.tail = (last.tail or "") + child.tail

    def _element(self, source: etree._Element, parent: etree._Element) -> etree._Element | None:
        tag, where = etree.QName(source), f" (line {source.sourceline})"
        name = tag.localname
        if tag.namespace == XHTML or (tag.namespace == SVG and name == "foreignObject"):
            self.refuse("html", f"contains HTML (<{name}>){where}; {CODE}")
            return None
        if tag.namespace != SVG or name == "metadata":
            return None  # an editor's data (Inkscape, Illustrator, …), <metadata>
        if name == "script":
            self.refuse("script", f"contains a script{where}; {CODE}")
            return None
        if name in ANIMATION:
            self.refuse("animation", f"is animated (<{name}>){where}; {CODE}")
            return None
        if name not in SVG_ELEMENTS:
            self.refuse(f"<{name}>", f"has <{name}>{where}, an element pressroom does not "
                        f"publish; {STATIC}")
            self._children(source, etree.Element("unpublished"))  # its own problems, if any
            return None
        out = etree.SubElement(parent, f"{{{SVG}}}{name}")
        self.lines[out] = _line(source)
        out.tail = source.tail
        self._attributes(source, out)
        if name == "style":  # its text: the CSS (text inside child elements is not CSS)
            css = (source.text or "") + "".join(child.tail or "" for child in source)
            out.text = self._stylesheet(css, where)
            return out
        if name == "image" and source.get("href", source.get(f"{{{XLINK}}}href")) is None:
            self.refuse("image", f"has an <image> without a picture{where}; an <image> may only "
                        "embed PNG or JPEG data (data:image/png;base64,…)")
        out.text = source.text
        self._children(source, out)
        return out

    def _attributes(self, source: etree._Element, out: etree._Element) -> None:
        import tinycss2  # type: ignore[import-untyped]

        where = f" (line {source.sourceline})"
        for key, raw in source.attrib.items():
            qname, value = etree.QName(key), str(raw)
            name = qname.localname
            if name.lower().startswith("on"):
                self.refuse("on", f"has an event handler ({name}){where}; {CODE}")
            elif name == "href" and qname.namespace in (None, XLINK):
                self._href(source, out, value.strip(), where)
            elif qname.namespace == XML_NS and name in ("space", "lang"):
                out.set(key, value)
            elif qname.namespace is not None:
                continue  # xlink:title, xml:base, an editor's attributes
            elif name == "style" or name in CSS_PROPERTIES:
                if (name, value) not in self.css:  # charts repeat their styles thousands of times
                    self.css[name, value] = self._css(name, value, where)
                written, ids = self.css[name, value]
                if written:
                    out.set(name, written)
                self.refs.setdefault(out, []).extend(ids)
            elif name in ATTRIBUTES or name.startswith("aria-"):
                out.set(name, value)
            else:  # left out (cursor, data-*, version, …), but never a way to fetch
                self._fetches(tinycss2.parse_component_value_list(value), where)

    def _css(self, name: str, value: str, where: str) -> tuple[str, list[str]]:
        """A style attribute's or presentation attribute's value as published ('' to leave it
        out) and the ids it refers to."""
        import tinycss2

        ids: list[str] = []
        if name == "style":
            return self._declarations(value, where, ids), ids
        tokens = tinycss2.parse_component_value_list(value, skip_comments=True)
        return (_serialized(tokens) if self._value(tokens, name, where, ids) else ""), ids

    def _href(self, source: etree._Element, out: etree._Element, value: str, where: str) -> None:
        raster = RASTER_URL.fullmatch(value) if etree.QName(source).localname == "image" else None
        if raster is not None:
            if url := self._raster(raster, where, out, source):
                out.set(f"{{{XLINK}}}href", url)
        elif FRAGMENT.fullmatch(value) and etree.QName(source).localname == "image":
            self.refuse("href", f"links to '{value[:60]}'{where}; an <image> may only embed PNG "
                        "or JPEG data (data:image/png;base64,…)")
        elif FRAGMENT.fullmatch(value):
            out.set(f"{{{XLINK}}}href", value)
            self.refs.setdefault(out, []).append(value[1:])
        else:
            self.refuse("href", f"links to '{value[:60]}'{where}; {OWN_PARTS.format('#id')}")

    def _raster(self, match: re.Match[str], where: str, out: etree._Element,
                source: etree._Element) -> str:
        """A picture inside the SVG checked like any (pixels, truncation) and re-encoded like
        any (upright, scaled, sRGB, no metadata), as a data: URL; '' when refused."""
        said = "png" if match.group(1).lower() == "png" else "jpg"
        try:
            data = base64.b64decode(re.sub(r"\s+", "", match.group(2)), validate=True)
        except ValueError:  # binascii.Error
            self.refuse("base64", f"has an embedded picture{where} whose base64 data is broken")
            return ""
        kind = "jpg" if data.startswith(b"\xff\xd8\xff") else \
            "png" if data.startswith(b"\x89PNG\r\n\x1a\n") else None
        if kind != said:
            what = f"a {KINDS[kind][2]} image" if kind else "not a PNG or JPEG image"
            self.refuse(f"said:{said}", f"has an embedded picture{where} that is {what} but says "
                        f"{KINDS[said][0]}")
            return ""
        format_ = KINDS[kind][2]
        for problem in _raster_problems(data, format_):
            self.refuse(f"embedded:{problem}", f"has an embedded {format_}{where} that {problem}")
            return ""
        width, height = _upright_size(data, format_)
        self.pixels += width * height
        if self.pixels > MAX_PIXELS:
            self.refuse("pixels", f"embeds pictures of more than {MAX_PIXELS // 1_000_000} "
                        f"million pixels in all{where}; scale them down")
            return ""
        if source.get("width") is None and source.get("height") is None:
            out.set("width", str(width))  # its size before scaling: drawn the same everywhere
            out.set("height", str(height))
        encoded = base64.b64encode(_raster(data, format_)[0]).decode("ascii")
        self.rasters.append(f"data:{KINDS[kind][0]};base64,{encoded}")
        return self.rasters[-1]

    def _stylesheet(self, css: str, where: str) -> str:
        """A <style>'s rules with only the declarations the allow-list keeps."""
        import tinycss2

        if self._escapes(css, where):
            return ""
        rules = []
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type == "at-rule":
                self._at_rule(rule.lower_at_keyword, where)
            elif rule.type == "qualified-rule":
                self._fetches(rule.prelude, where)
                ids: list[str] = []
                if body := self._declarations(rule.content, where, ids):
                    rules.append(f"{_serialized(rule.prelude)}{{{body}}}")
                if ids:
                    self.rules.append((rule.prelude, ids))
        return "\n".join(rules)

    def _declarations(self, css: str | list[Any], where: str, ids: list[str]) -> str:
        """A style attribute or a rule's body: the declarations kept, in order."""
        import tinycss2

        if isinstance(css, str) and self._escapes(css, where):
            return ""
        kept = []
        for item in tinycss2.parse_blocks_contents(css, skip_comments=True, skip_whitespace=True):
            if item.type == "at-rule":
                self._at_rule(item.lower_at_keyword, where)
            elif item.type == "qualified-rule":  # a nested rule: left out
                self._fetches([*item.prelude, *item.content], where)
            elif item.type == "declaration" and item.lower_name not in CSS_PROPERTIES:
                self._fetches(item.value, where)  # an unknown property: left out
            elif item.type == "declaration" and self._value(item.value, item.lower_name, where,
                                                            ids):
                value = _serialized(item.value)
                kept.append(f"{item.lower_name}:{value}" + ("!important" * item.important))
        return ";".join(kept)

    def _value(self, tokens: list[Any], name: str, where: str, ids: list[str]) -> bool:
        """Whether a property's value holds only what may be published: numbers, lengths,
        names, strings, colours and url(#id)."""
        other = "" if self._fetches(tokens, where) else _unpublished(tokens, ids)
        if other:
            self.refuse(f"value:{other}", f"has a style value pressroom does not publish "
                        f"({other} in {name}){where}; write a number, a length, a colour or "
                        "url(#id)")
        return not other

    def _fetches(self, tokens: list[Any], where: str) -> bool:
        """Refuse whatever in CSS would load something or run: url() of anything but the
        drawing's own parts, image-set() and kin, expression(). Whether there was any."""
        found = False
        for token in tokens:
            target = _url(token)
            if target is not None and not FRAGMENT.fullmatch(target.strip()):
                self.refuse("css", f"has a style that loads '{target[:60]}'{where}; "
                            f"{OWN_PARTS.format('url(#id)')}")
                found = True
            if token.type == "function" and token.lower_name in FETCHING:
                self.refuse(f"{token.lower_name}()", f"has a style that loads pictures "
                            f"({token.lower_name}()){where}; {OWN_PARTS.format('url(#id)')}")
                found = True
            elif token.type == "function" and token.lower_name == "expression":
                self.refuse("expression", f"has a style with code (expression()){where}; {CODE}")
                found = True
            if token.type == "function":
                found = self._fetches(token.arguments, where) or found
            elif token.type in ("() block", "[] block", "{} block"):
                found = self._fetches(token.content, where) or found
        return found

    def _at_rule(self, name: str, where: str) -> None:
        if name == "charset":
            return  # the file's encoding, which XML has given already: left out
        hint = {"import": "write its rules into the style itself",
                "font-face": "pressroom never fetches fonts: name a font-family instead"}
        self.refuse(f"@{name}", f"has a style with @{name}{where}; "
                    f"{hint.get(name, 'a style may hold only rules and declarations')}")

    def _escapes(self, css: str, where: str) -> bool:
        """Refuse CSS escapes (u\\72l( is url(): what the checks read is what a reader gets."""
        if "\\" in css:
            self.refuse("escapes", f"has a style with CSS escapes{where}; write it out plainly")
        return "\\" in css

    def _expansion(self) -> None:
        """Refuse an SVG that refers to itself (WeasyPrint recurses until it fails) or draws
        more than MAX_SHAPES elements once its references are expanded."""
        ids: dict[str, etree._Element] = {}
        for element in self.root.iter():
            ids.setdefault(element.get("id") or "", element)
        refs = {element: [ids[i] for i in names if i and i in ids]
                for element, names in self.refs.items()}
        for element, names in _matched(self.root, self.rules).items():
            refs.setdefault(element, []).extend(ids[i] for i in names if i and i in ids)
        drawn: dict[etree._Element, int] = {}
        stack = [(self.root, [*self.root, *refs.get(self.root, ())])]
        while stack:
            element, next_ = stack[-1]
            while next_ and next_[-1] in drawn:
                next_.pop()
            if not next_:
                stack.pop()
                drawn[element] = min(MAX_SHAPES + 1, 1 + sum(
                    drawn[e] for e in (*element, *refs.get(element, ()))))
                continue
            child = next_.pop()
            if any(child is e for e, _ in stack):
                self.refuse("cycle", f"refers to itself through '#{child.get('id')}' (line "
                            f"{self.lines.get(child, 0)}); a <use>, pattern, marker, mask or "
                            "clip path may not contain what uses it")
                return
            stack.append((child, [*child, *refs.get(child, ())]))
        if drawn[self.root] > MAX_SHAPES:
            shapes = f"{MAX_SHAPES:,}".replace(",", " ")
            self.refuse("shapes", f"draws more than {shapes} elements once its <use> "
                        "references are expanded; simplify it")


def _line(element: etree._Element) -> int:
    return element.sourceline if isinstance(element.sourceline, int) else 0


def _url(token: Any) -> str | None:
    """The address in url(…) (quoted or not; a malformed one as written), else None."""
    if token.type == "url":
        return str(token.value)
    if token.type == "error" and token.kind == "bad-url":
        return "url(…)"
    if token.type == "function" and token.lower_name == "url":
        inner = [t for t in token.arguments if t.type != "whitespace"]
        return str(inner[0].value) if len(inner) == 1 and inner[0].type == "string" else \
            _serialized(token.arguments)
    return None


def _serialized(tokens: list[Any]) -> str:
    """CSS written back as parsed, each url(#id) as just that (WeasyPrint reads no spaces or
    quotes in it)."""
    def written(token: Any) -> str:
        target = _url(token)
        if target is not None and FRAGMENT.fullmatch(target.strip()):
            return f"url({target.strip()})"
        if token.type == "function":
            return f"{token.name}({''.join(map(written, token.arguments))})"
        return str(token.serialize())

    return "".join(map(written, tokens)).strip()


def _unpublished(tokens: list[Any], ids: list[str]) -> str:
    """The first thing in a CSS value that is not a number, length, name, string, colour or
    url(#id) ('' when none; any other url() is refused as a fetch); the ids referred to are
    added to `ids`."""
    for token in tokens:
        target = _url(token)
        if target is not None:
            ids.extend([target.strip()[1:]] if FRAGMENT.fullmatch(target.strip()) else [])
        elif token.type == "function" and token.lower_name in CSS_FUNCTIONS:
            if inner := _unpublished(token.arguments, ids):
                return inner
        elif token.type == "function":
            return f"{token.lower_name}()"
        elif not (token.type in ("whitespace", "ident", "hash", "string", "number", "percentage",
                                 "dimension") or (token.type == "literal"
                                                  and token.value in (",", "/"))):
            return _serialized([token])[:20] or token.type
    return ""


def _matched(root: etree._Element, rules: list[tuple[list[Any], list[str]]]
             ) -> dict[etree._Element, list[str]]:
    """The ids each element refers to through <style> rules (matched as WeasyPrint does)."""
    if not rules:
        return {}
    import cssselect2  # type: ignore[import-untyped]

    matcher = cssselect2.Matcher()
    for prelude, ids in rules:
        try:
            for selector in cssselect2.compile_selector_list(prelude):
                matcher.add_selector(selector, ids)
        except cssselect2.SelectorError:
            continue  # WeasyPrint cannot read it either: drawing it will say so
    found: dict[etree._Element, list[str]] = {}
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        for *_, ids in matcher.match(wrapper):
            found.setdefault(wrapper.etree_element, []).extend(ids)
    return found


def _upright_size(data: bytes, format_: str) -> tuple[int, int]:
    """A raster's size as shown: turned by its EXIF orientation, before any scaling."""
    from PIL import Image

    with _quiet(), Image.open(BytesIO(data), formats=[format_]) as image:
        turned = image.getexif().get(0x0112) in (5, 6, 7, 8)
        return (image.height, image.width) if turned else image.size


def _svg_problems(tree: etree._ElementTree | str | None, name: str) -> list[str]:
    """Why an SVG is refused: not SVG, a DOCTYPE, whatever is off the allow-list or runs or
    fetches (each kind once), a bad embedded picture; then what stops WeasyPrint drawing the
    SVG as it would be published."""
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
    clean = _Sanitiser(root)
    found.update(clean.problems)
    return list(found.values()) or _drawn(_svg_bytes(clean.root), name)


def _svg_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _decoded(url: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a base64 PNG or JPEG data: URL, else None."""
    match = RASTER_URL.fullmatch(url)
    if match is None:
        return None
    try:
        return base64.b64decode(match.group(2), validate=True), f"image/{match.group(1).lower()}"
    except ValueError:
        return None


def embedded_raster(url: str) -> tuple[bytes, str] | None:
    """(bytes, media type) of a picture inside a published SVG, for the PDF's fetcher: only a
    data: URL that prepare() wrote in this process (checked, re-encoded); None for any other."""
    if hashlib.sha256(url.encode()).digest() not in _EMBEDDED:
        return None
    return _decoded(url)


class _Collect(logging.Handler):
    """WeasyPrint's warnings and errors, and the exceptions it logs (at debug level)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            self.messages.append(f"{type(error).__name__}: {error}"[:200])
        elif record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage()[:200])


def _drawn(svg: bytes, name: str) -> list[str]:
    """What stops WeasyPrint (the PDF's renderer) drawing the SVG as published, [] when nothing
    does: drawn once at check time, so that no PDF fails on a picture that passed. WeasyPrint
    fails on values it cannot read (transform="rotate(a)", a selector it does not know, a
    reference loop) that browsers skip."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    address = "file:///pressroom/check/" + quote(name)

    class Fetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raster = _decoded(url)
            if url == address or raster is not None:  # not file:, lest WeasyPrint read a file
                data, media_type = raster or (svg, "image/svg+xml")
                return URLFetcherResponse(f"pressroom-memory:{name}", body=data,
                                          headers={"Content-Type": media_type})
            raise PermissionError(f"refused {url[:60]}")

    logger, handler = logging.getLogger("weasyprint"), _Collect()
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        with _quiet():
            HTML(string=f'<img src="{address}" alt="" />',
                 url_fetcher=Fetcher(fail_on_errors=True)).write_pdf()
    except (Exception, FatalURLFetchingError) as exc:
        handler.messages.append(f"{type(exc).__name__}: {exc.__cause__ or exc}"[:200])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    reasons = [m for m in handler.messages if not m.startswith("Failed to render SVG image")]
    if not handler.messages:
        return []
    return [f"cannot be drawn in the PDF ({'; '.join(reasons or handler.messages)}); check the "
            "values of its attributes and styles"]


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


_KEPT: list[Path] = []


def keep(folder: Path | None) -> None:
    """Keep the photos `_raster` makes in `folder` (the build's state, never dist/), for the
    next process: scaling and re-encoding one costs tens of milliseconds, and a digest of
    every release embeds every photo, each build. None keeps nothing."""
    _KEPT.clear()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        _KEPT.append(folder)


def _kept_raster(data: bytes, format_: str) -> tuple[bytes, tuple[int, int]]:
    """`_raster(data, format_)`, or what it made of the same bytes before: kept by a hash of
    the photo, this module's code and Pillow's version (an encoder that changes makes other
    bytes), in a file holding the width, the height and the bytes."""
    if not _KEPT:
        return _raster(data, format_)
    import PIL

    key = hashlib.sha256(b"\0".join((_own_code(), PIL.__version__.encode(), format_.encode(),
                                     data))).hexdigest()
    path = _KEPT[0] / f"{key}.{format_.lower()}"
    try:
        head, _, kept = path.read_bytes().partition(b"\n")
        width, height = map(int, head.split())
        return kept, (width, height)
    except (OSError, ValueError):
        pass
    out, (width, height) = _raster(data, format_)
    write_atomic(path, f"{width} {height}\n".encode() + out)
    return out, (width, height)


@lru_cache(maxsize=1)
def _own_code() -> bytes:
    return hashlib.sha256(Path(__file__).read_bytes()).digest()


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

QR_MASK = 0
"""The QR code's mask pattern (ISO/IEC 18004 8.8; 0: the checkerboard)."""


def qr_png(url: str) -> bytes:
    """A QR code of `url` as a greyscale PNG (deterministic), for the printed brief. A picture,
    not SVG: WeasyPrint reads an SVG path number by number, which cost about 20 ms a brief;
    print.css keeps its edges sharp (`image-rendering: pixelated`). One mask pattern, always
    (QR_MASK): every reader decodes any of the eight, and scoring all eight to pick one cost
    10 ms a brief, a tenth of its layout; a test scans the printed code with zbar."""
    import segno
    from PIL import Image as PILImage

    matrix = segno.make(url, error="m", mask=QR_MASK).matrix
    width, height = len(matrix[0]), len(matrix)
    modules = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = PILImage.frombytes("L", (width, height), modules).resize(
        (QR_SCALE * width, QR_SCALE * height), PILImage.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
