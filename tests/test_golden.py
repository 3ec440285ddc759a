"""Golden outputs: every XML and JSON output of the seed (source/), the test site and the
fixture sites tests/fixtures/languages, newsroom, corpus and updates, canonicalised (XML: C14N
2.0; JSON: sorted keys, two-space indent), against the reviewed copies in tests/golden/<site>/.

    tests/golden/<site>/pdf/<slug>.xhtml           the XHTML WeasyPrint is given
    tests/golden/<site>/epub/<slug>.opf            the EPUB's package document
    tests/golden/<site>/epub/<slug>.xhtml          the EPUB's text (first spine item)
    tests/golden/<site>/feed/atom.xml, rss.xml     the feeds
    tests/golden/<site>/feed/feed.json             the JSON Feed
    tests/golden/<site>/ninjs/<slug>.json          the ninjs document
    tests/golden/<site>/web/...                    the web pages (releases/<slug>.html, index)

The fixture sites are the session's builds (conftest.py), with a fixed --now, so the
newsroom's embargo is judged at the same moment every time (it is still on: the embargoed
release, the draft and the withdrawn one have no outputs of their own). pressroom's version
is replaced by a placeholder.

A difference fails with a unified diff (golden file first, output now second). When a change
is intended, regenerate and review the diff before committing it:

    PRESSROOM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden.py
    git diff tests/golden
"""

from __future__ import annotations

import difflib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from lxml import etree

from pressroom import __version__
from pressroom.load.site import load_site
from pressroom.prepare import templates as theme
from pressroom.prepare.document import Document, prepare

from .conftest import FIXTURES, ROOT, Built, _build

GOLDEN = ROOT / "tests" / "golden"
STYLES = ROOT / "styles"
@dataclass(frozen=True)
class Site:
    source: Path
    build_fixture: str
    unpublished: frozenset[str] = frozenset()
    """Slugs with no public outputs at the build's --now (embargoed, draft, withdrawn)."""


SITES = {
    "seed": Site(ROOT / "source", "seed_build"),
    "site": Site(FIXTURES / "site", "site_build"),
    "languages": Site(FIXTURES / "languages", "languages_build"),
    "newsroom": Site(FIXTURES / "newsroom", "newsroom_build", frozenset({
        "2026-04-02-embargoed-report", "2026-03-25-draft-plan", "2026-03-01-withdrawn-notice"})),
    "corpus": Site(FIXTURES / "corpus", "corpus_build"),
    "updates": Site(FIXTURES / "updates", "updates_build"),
}
UPDATE_VARIABLE = "PRESSROOM_UPDATE_GOLDEN"
ATOM = "{http://www.w3.org/2005/Atom}"
OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
VERSION_PLACEHOLDER = "PRESSROOM-VERSION"


def updating() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


def slugs(source: Path) -> list[str]:
    """Release slugs, from file names (collection must not depend on the loader working)."""
    return sorted(p.stem for p in source.glob("*.md") if not p.name.startswith("."))


def golden_names(site: Site) -> list[str]:
    """Paths below tests/golden/<site>/ of every golden file of one site."""
    names = ["feed/atom.xml", "feed/rss.xml", "feed/feed.json", "web/index.html"]
    for slug in slugs(site.source):
        if slug not in site.unpublished:
            names += [f"pdf/{slug}.xhtml", f"epub/{slug}.opf", f"epub/{slug}.xhtml",
                      f"web/releases/{slug}.html", f"ninjs/{slug}.json"]
    return sorted(names)


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from tests/fixtures/corpus (test_corpus.py checks it)."""
    return _build(FIXTURES / "corpus", tmp_path_factory.mktemp("corpus") / "dist")


CASES = [(name, golden) for name, site in SITES.items() for golden in golden_names(site)]


# --------------------------------------------------------------------------------------------
# canonical forms
# --------------------------------------------------------------------------------------------
def parse(data: bytes | str) -> etree._Element:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def canonical(root: etree._Element) -> str:
    """C14N 2.0 (attribute order, empty elements, namespace declarations, no XML declaration
    or doctype) with a final newline; whitespace is kept so the lines stay the output's lines."""
    return etree.tostring(root, method="c14n2").decode("utf-8").rstrip("\n") + "\n"


def without_version(root: etree._Element) -> etree._Element:
    """The Atom generator's version would make every release of pressroom a golden change."""
    for generator in root.iter(f"{ATOM}generator"):
        if generator.get("version") == __version__:
            generator.set("version", VERSION_PLACEHOLDER)
    return root


def canonical_json(value: Any) -> str:
    """Sorted keys, two-space indent, text as text (no \\u escapes), a final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def json_without_version(value: Any) -> Any:
    """pressroom's version, as without_version() replaces it in XML: the "version" of an object
    that names pressroom, and "pressroom <version>" or "pressroom/<version>" inside text. Other
    versions (ninjs' own "version", its standard's) stay."""
    if isinstance(value, dict):
        names_pressroom = "pressroom" in value.values()
        return {k: VERSION_PLACEHOLDER if k == "version" and names_pressroom and v == __version__
                else json_without_version(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_without_version(v) for v in value]
    if isinstance(value, str):
        for sep in (" ", "/"):
            value = value.replace(f"pressroom{sep}{__version__}",
                                  f"pressroom{sep}{VERSION_PLACEHOLDER}")
    return value


@cache
def documents(source: Path) -> dict[str, Document]:
    return {doc.release.slug: doc for doc in prepare(load_site(source))}


def epub_parts(epub: Path) -> tuple[bytes, bytes]:
    """(OPF, first spine document) of an EPUB, found as a reading system finds them."""
    with zipfile.ZipFile(epub) as archive:
        container = parse(archive.read("META-INF/container.xml"))
        (rootfile,) = container.iter(f"{CONTAINER}rootfile")
        opf_path = rootfile.get("full-path")
        opf_bytes = archive.read(opf_path)
        opf = parse(opf_bytes)
        idref = opf.find(f"{OPF}spine/{OPF}itemref").get("idref")
        (item,) = (i for i in opf.iter(f"{OPF}item") if i.get("id") == idref)
        chapter = PurePosixPath(opf_path).parent / item.get("href")
        return opf_bytes, archive.read(str(chapter))


def produce(name: str, source: Path, built: Built) -> str:
    """The canonical output now, for golden file `name` of the site."""
    kind, _, rest = name.partition("/")
    stem = PurePosixPath(rest).stem
    if kind == "pdf":
        return canonical(parse(theme.release_xhtml(STYLES, documents(source)[stem], "pdf")))
    if kind == "epub":
        opf, chapter = epub_parts(built.dist / "epub" / f"{stem}.epub")
        return canonical(parse(opf if rest.endswith(".opf") else chapter))
    if name.endswith(".json"):  # feed/feed.json, ninjs/<slug>.json
        return canonical_json(json_without_version(json.loads((built.dist / name).read_bytes())))
    if kind == "feed":
        return canonical(without_version(parse((built.dist / name).read_bytes())))
    assert kind == "web", name
    return canonical(parse((built.dist / rest).read_bytes()))


# --------------------------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------------------------
def compare(golden: Path, actual: str, label: str) -> None:
    """Fail with a unified diff when `actual` is not the golden file's text; in update mode,
    (re)write the golden file and skip."""
    if updating():
        golden.parent.mkdir(parents=True, exist_ok=True)
        old = golden.read_text(encoding="utf-8") if golden.is_file() else None
        if old != actual:
            golden.write_text(actual, encoding="utf-8", newline="\n")
        pytest.skip(f"{label}: {'unchanged' if old == actual else 'written'} ({UPDATE_VARIABLE}=1)")
    if not golden.is_file():
        pytest.fail(f"{label}: no golden file {golden}; create it with {UPDATE_VARIABLE}=1 "
                    "and review it", pytrace=False)
    expected = golden.read_text(encoding="utf-8")
    if actual == expected:
        return
    diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True),
                                        actual.splitlines(keepends=True),
                                        fromfile=f"golden/{label}", tofile=f"now/{label}"))
    pytest.fail(f"{label} differs from its golden file:\n{diff}\nIf the change is intended, run "
                f"with {UPDATE_VARIABLE}=1 and review `git diff tests/golden`.", pytrace=False)


@pytest.mark.parametrize(("site", "name"), CASES, ids=[f"{s}/{n}" for s, n in CASES])
def test_output_matches_golden(site: str, name: str, request: pytest.FixtureRequest) -> None:
    built = request.getfixturevalue(SITES[site].build_fixture)
    compare(GOLDEN / site / name, produce(name, SITES[site].source, built), f"{site}/{name}")


def golden_files_on_disk(site: str) -> Iterator[str]:
    root = GOLDEN / site
    return (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("site", SITES)
def test_no_stale_golden_files(site: str) -> None:
    """A golden file with no output left (a renamed release, say) is removed, not ignored."""
    expected = set(golden_names(SITES[site]))
    stale = sorted(set(golden_files_on_disk(site)) - expected)
    if updating():
        for name in stale:
            (GOLDEN / site / name).unlink()
        pytest.skip(f"removed {len(stale)} stale golden file(s)")
    assert stale == []


# --------------------------------------------------------------------------------------------
# the machinery itself
# --------------------------------------------------------------------------------------------
def test_a_change_fails_with_a_readable_diff(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UPDATE_VARIABLE, raising=False)
    golden = tmp_path / "page.html"
    golden.write_text("<p>\none\ntwo\nthree\n</p>\n", encoding="utf-8")
    compare(golden, "<p>\none\ntwo\nthree\n</p>\n", "x/page.html")  # same: passes
    with pytest.raises(pytest.fail.Exception) as failure:
        compare(golden, "<p>\none\n2\nthree\n</p>\n", "x/page.html")
    message = str(failure.value)
    assert "--- golden/x/page.html\n+++ now/x/page.html\n" in message
    assert "\n-two\n+2\n" in message
    assert " one\n" in message and " three\n" in message  # context lines
    assert UPDATE_VARIABLE in message
    with pytest.raises(pytest.fail.Exception, match="no golden file"):
        compare(tmp_path / "absent.html", "<p/>\n", "x/absent.html")


def test_canonical_form_ignores_serialisation_details() -> None:
    """Attribute order, quotes, empty-element syntax, the XML declaration and the doctype are
    not changes; text, attribute values and element order are."""
    a = parse("<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE html>\n"
              "<p xmlns='http://www.w3.org/1999/xhtml' b='2' a='1'>x<br/></p>")
    b = parse('<p xmlns="http://www.w3.org/1999/xhtml" a="1" b="2">x<br></br></p>')
    assert canonical(a) == canonical(b)
    c = parse('<p xmlns="http://www.w3.org/1999/xhtml" a="1" b="3">x<br></br></p>')
    assert canonical(a) != canonical(c)


def test_version_placeholder_only_replaces_pressrooms_version() -> None:
    feed = parse(f'<feed xmlns="http://www.w3.org/2005/Atom"><generator version="{__version__}">'
                 'pressroom</generator></feed>')
    assert f'version="{VERSION_PLACEHOLDER}"' in canonical(without_version(feed))
    other = parse('<feed xmlns="http://www.w3.org/2005/Atom"><generator version="0.0.0-other">'
                  'pressroom</generator></feed>')
    assert 'version="0.0.0-other"' in canonical(without_version(other))


def test_json_version_placeholder_only_replaces_pressrooms_version() -> None:
    data = {"generator": {"name": "pressroom", "version": __version__},
            "note": f"made with pressroom {__version__} and pressroom/{__version__}",
            "version": __version__, "standard": {"name": "ninjs", "version": __version__},
            "items": [{"name": "pressroom", "version": "0.0.0-other"}]}
    assert json_without_version(data) == {
        "generator": {"name": "pressroom", "version": VERSION_PLACEHOLDER},
        "note": f"made with pressroom {VERSION_PLACEHOLDER} and pressroom/{VERSION_PLACEHOLDER}",
        "version": __version__, "standard": {"name": "ninjs", "version": __version__},
        "items": [{"name": "pressroom", "version": "0.0.0-other"}]}


def test_canonical_json_ignores_key_order_and_spacing() -> None:
    a = canonical_json(json.loads('{"b": [1, {"y": "é", "x": null}], "a": "\\u00e9"}'))
    b = canonical_json(json.loads('{ "a":"é","b":[1,{"x":null,"y":"\\u00e9"}] }'))
    assert a == b == ('{\n  "a": "é",\n  "b": [\n    1,\n    {\n      "x": null,\n'
                      '      "y": "é"\n    }\n  ]\n}\n')
    assert canonical_json({"a": [1, 2]}) != canonical_json({"a": [2, 1]})
