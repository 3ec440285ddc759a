"""The seed story's words reach every output unchanged, and the outputs pass `check`."""

from __future__ import annotations

import re
import zipfile

import feedparser
import pytest
from lxml import etree

from pressroom.checks.pdf import extract_text

from .conftest import ROOT, SEED, Built, run

SLUG = "2017-01-25-mexico-defenders"


def normal(text: str) -> str:
    """Whitespace collapsed and quotes made straight: typography aside, the same words."""
    text = re.sub(r"[’‘]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    return " ".join(text.split())


def seed_sentences() -> list[str]:
    if not SEED.exists():
        pytest.skip("../shared/seed is not present")
    paragraphs = [p.strip().lstrip("# ") for p in SEED.read_text(encoding="utf-8").split("\n\n")]
    sentences: list[str] = []
    for paragraph in filter(None, paragraphs):
        sentences += re.split(r'(?<=[.!?"])\s+(?=[A-Z"])', normal(paragraph))
    return [s for s in sentences if s]


def test_seed_source_keeps_the_words() -> None:
    """The seed in source/ has every sentence of the original."""
    text = normal((ROOT / "source" / f"{SLUG}.md").read_text(encoding="utf-8"))
    text += normal((ROOT / "source" / "publication.yaml").read_text(encoding="utf-8"))
    missing = [s for s in seed_sentences() if s not in text]
    assert missing == []


def test_every_sentence_in_the_pdf(seed_build: Built) -> None:
    text = normal(extract_text(seed_build.dist / "pdf" / f"{SLUG}.pdf"))
    assert [s for s in seed_sentences() if s not in text] == []


def test_every_sentence_in_the_epub(seed_build: Built) -> None:
    with zipfile.ZipFile(seed_build.dist / "epub" / f"{SLUG}.epub") as archive:
        xhtml = archive.read("EPUB/text.xhtml")
    text = normal("".join(etree.fromstring(xhtml).itertext()))
    assert [s for s in seed_sentences() if s not in text] == []


@pytest.mark.parametrize("feed", ["atom.xml", "rss.xml"])
def test_every_sentence_in_the_feeds(seed_build: Built, feed: str) -> None:
    parsed = feedparser.parse((seed_build.dist / "feed" / feed).read_bytes())
    assert parsed.bozo == 0
    (entry,) = parsed.entries
    html = entry.content[0].value
    body = normal("".join(etree.fromstring(f"<div>{html}</div>").itertext()))
    headline_and_body = normal(entry.title) + " " + body
    assert [s for s in seed_sentences() if s not in headline_and_body] == []


@pytest.mark.slow  # the whole of `pressroom check`: EPUBCheck (a JVM) on every EPUB
def test_make_check_validators_pass_on_the_seed(seed_build: Built) -> None:
    result = run("--source", str(seed_build.source), "check", "--dist", str(seed_build.dist))
    assert result.code == 0, result.err
    assert result.err == ""
    assert "epub: ok" in result.out and "pdf: ok" in result.out


@pytest.mark.slow  # the whole of `pressroom check`: EPUBCheck (a JVM) on every EPUB
def test_validators_pass_on_the_test_site(site_build: Built) -> None:
    result = run("--source", str(site_build.source), "check", "--dist", str(site_build.dist))
    assert result.code == 0, result.err
