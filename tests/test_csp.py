"""Every published page carries the same Content-Security-Policy, written in one place.

The policy (styles/templates/_macros.html, macro `csp`) lets a page run nothing and load nothing
but the site's own stylesheet, pictures and fonts. Release pages had it; the home page and the
archive pages did not. That the policy lets our own files through in a real browser is
test_webpage.py::test_pages_load_without_errors (a CSP violation is a console error there), over
release, home and archive pages alike.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html as lxml_html

from .conftest import ROOT, Built

TEMPLATES = ROOT / "styles" / "templates"
POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
          "script-src 'none'; base-uri 'none'; form-action 'none'")


def _policies(page: Path) -> list[str]:
    tree = lxml_html.parse(str(page))
    return [str(meta.get("content")) for meta in tree.iter("meta")
            if str(meta.get("http-equiv", "")).lower() == "content-security-policy"]


def test_every_published_page_carries_the_one_policy(newsroom_build: Built) -> None:
    pages = sorted(newsroom_build.dist.rglob("*.html"))
    kinds = {p.relative_to(newsroom_build.dist).parts[0] for p in pages}
    assert {"index.html", "releases", "archive"} <= kinds, kinds
    for page in pages:
        assert _policies(page) == [POLICY], page


def test_the_policy_comes_first_in_the_head(newsroom_build: Built) -> None:
    """Before anything it governs: a meta policy applies only to what follows it."""
    for page in (newsroom_build.dist / "index.html",
                 newsroom_build.dist / "archive" / "page-1.html"):
        head = lxml_html.parse(str(page)).find("head")
        assert head is not None
        first = next(e for e in head if e.tag != "meta" or e.get("charset") is None)
        assert first.get("http-equiv") == "Content-Security-Policy", page


def test_the_policy_string_has_one_home() -> None:
    homes = {p.name: p.read_text("utf-8").count('http-equiv="Content-Security-Policy"')
             for p in TEMPLATES.glob("*.html")}
    assert {name: n for name, n in homes.items() if n} == {"_macros.html": 1}
    for name in ("release.html", "index.html", "preview.html"):
        text = (TEMPLATES / name).read_text("utf-8")
        assert re.search(r"\{\{ csp\([^)]*\) \}\}", text), f"{name} does not call csp()"
