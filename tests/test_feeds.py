"""Atom and RSS feeds: RFC 4287 schema (jing), pressroom's feed checks, and what a reader sees.

Every property is checked on both builds (the seed in source/ and the test site), against the
releases as `prepare` makes them, so a feed that drifts from its sources fails here.
"""

from __future__ import annotations

import email.utils
import html
import re
from collections.abc import Callable
from copy import deepcopy
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from pressroom.checks.feeds import check_atom, check_rss, read_back
from pressroom.load.site import load_site
from pressroom.prepare.document import Document, prepare

from .conftest import ROOT, Built, jing, run

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
FEED_FILES = {"atom": "feed/atom.xml", "rss": "feed/rss.xml"}
BUILDS = ("seed_build", "site_build")
KINDS = ("atom", "rss")


@pytest.fixture(params=BUILDS)
def built(request: pytest.FixtureRequest) -> Built:
    """Each session build in turn."""
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


@cache
def documents(source: Path) -> list[Document]:
    return prepare(load_site(source))


def newest_first(source: Path) -> list[Document]:
    return sorted(documents(source), key=lambda d: (d.release.published, d.release.id),
                  reverse=True)


def feed_bytes(built: Built, kind: str) -> bytes:
    return (built.dist / FEED_FILES[kind]).read_bytes()


def tree(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def rfc3339(value: str) -> datetime:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


RFC822_ZONE = re.compile(r" ([+-]\d{4}|UT|GMT)$")


def rfc822(value: str) -> datetime:
    assert RFC822_ZONE.search(value), f"no zone in {value!r}"
    moment = email.utils.parsedate_to_datetime(value)
    assert moment.tzinfo is not None
    return moment


# --------------------------------------------------------------------------------------------
# RFC 4287's RELAX NG schema, with Debian's jing
# --------------------------------------------------------------------------------------------
def without_wrapper_noise(stderr: str) -> str:
    """Debian's jing wrapper warns about optional jars it cannot find: not about the feed."""
    return "\n".join(line for line in stderr.splitlines() if not line.startswith("[warning]"))


def test_atom_is_valid_against_the_rfc_4287_schema(seed_build: Built, site_build: Built) -> None:
    files = [b.dist / FEED_FILES["atom"] for b in (seed_build, site_build)]
    result = jing(*files)
    assert result.returncode == 0, result.stdout + without_wrapper_noise(result.stderr)


def test_jing_does_reject_an_invalid_atom_feed(site_build: Built, tmp_path: Path) -> None:
    """The schema run above can fail: an entry without atom:id is refused."""
    root = tree(feed_bytes(site_build, "atom"))
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    entry.remove(entry.find(f"{ATOM}id"))
    broken = tmp_path / "atom.xml"
    broken.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = jing(broken)
    assert result.returncode != 0
    assert 'missing required element "id"' in result.stdout


# --------------------------------------------------------------------------------------------
# pressroom's own checks: clean on the builds, and they catch hand-broken feeds
# --------------------------------------------------------------------------------------------
def test_check_atom_and_check_rss_pass_on_the_builds(built: Built) -> None:
    assert check_atom(feed_bytes(built, "atom")) == []
    assert check_rss(feed_bytes(built, "rss")) == []


def _duplicate_entry(root: etree._Element) -> None:
    entries = root.findall(f"{ATOM}entry")
    entries[-1].addnext(deepcopy(entries[0]))


def _no_author(root: etree._Element) -> None:
    for author in root.iter(f"{ATOM}author"):
        author.getparent().remove(author)


def _updated_without_zone(root: etree._Element) -> None:
    updated = root.find(f"{ATOM}entry/{ATOM}updated")
    updated.text = updated.text[:19]  # 2026-03-11T08:30:00, no offset


def _published_without_zone(root: etree._Element) -> None:
    published = root.find(f"{ATOM}entry/{ATOM}published")
    published.text = published.text[:19]


def _feed_updated_from_clock(root: etree._Element) -> None:
    root.find(f"{ATOM}updated").text = "2099-01-01T00:00:00Z"


ATOM_BREAKS: dict[str, tuple[Callable[[etree._Element], None], str]] = {
    "duplicate entry id": (_duplicate_entry, "duplicate id"),
    "no author anywhere": (_no_author, "no atom:author"),
    "entry updated without zone": (_updated_without_zone, "updated not RFC 3339 with zone"),
    "entry published without zone": (_published_without_zone,
                                     "published not RFC 3339 with zone"),
    "feed updated is not the newest entry's": (_feed_updated_from_clock, "!= newest entry"),
}


@pytest.mark.parametrize("name", ATOM_BREAKS)
def test_check_atom_flags_a_broken_feed(site_build: Built, name: str) -> None:
    breaker, message = ATOM_BREAKS[name]
    root = tree(feed_bytes(site_build, "atom"))
    breaker(root)
    problems = check_atom(etree.tostring(root))
    assert any(message in p for p in problems), problems


def _guid_permalink_default(root: etree._Element) -> None:
    del root.find("channel/item/guid").attrib["isPermaLink"]


def _guid_permalink_true(root: etree._Element) -> None:
    root.find("channel/item/guid").set("isPermaLink", "true")


def _duplicate_guid(root: etree._Element) -> None:
    guids = root.findall("channel/item/guid")
    guids[1].text = guids[0].text


def _channel_link_is_self(root: etree._Element) -> None:
    channel = root.find("channel")
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    channel.find("link").text = self_link.get("href")


def _pub_date_without_zone(root: etree._Element) -> None:
    pub_date = root.find("channel/item/pubDate")
    pub_date.text = RFC822_ZONE.sub("", pub_date.text)


RSS_BREAKS: dict[str, tuple[Callable[[etree._Element], None], str]] = {
    "guid without isPermaLink": (_guid_permalink_default, "isPermaLink=true (default!)"),
    "guid with isPermaLink=true": (_guid_permalink_true, "guid is not a URL"),
    "duplicate guid": (_duplicate_guid, "duplicate guid"),
    "channel link is the self link": (_channel_link_is_self, "equals the feed's self URL"),
    "item pubDate without zone": (_pub_date_without_zone, "pubDate not RFC 822 with zone"),
}


@pytest.mark.parametrize("name", RSS_BREAKS)
def test_check_rss_flags_a_broken_feed(site_build: Built, name: str) -> None:
    breaker, message = RSS_BREAKS[name]
    root = tree(feed_bytes(site_build, "rss"))
    breaker(root)
    problems = check_rss(etree.tostring(root))
    assert any(message in p for p in problems), problems


# --------------------------------------------------------------------------------------------
# What a subscriber's reader sees (feedparser), against the releases
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_feedparser_reads_the_feed_cleanly(built: Built, kind: str) -> None:
    parsed = feedparser.parse(feed_bytes(built, kind))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == {"atom": "atom10", "rss": "rss20"}[kind]
    assert read_back(feed_bytes(built, kind), kind)[0] == []


@pytest.mark.parametrize("kind", KINDS)
def test_entries_are_the_releases_newest_first(built: Built, kind: str) -> None:
    docs = newest_first(built.source)
    entries = feedparser.parse(feed_bytes(built, kind)).entries
    assert [e.id for e in entries] == [d.release.id for d in docs]
    assert [e.title for e in entries] == [d.headline for d in docs]
    assert [e.link for e in entries] == [d.url for d in docs]
    published = [datetime(*e.published_parsed[:6], tzinfo=UTC) for e in entries]
    assert published == [utc(d.release.published) for d in docs]
    assert published == sorted(published, reverse=True)


def test_atom_entry_dates_are_the_releases(built: Built) -> None:
    root = tree(feed_bytes(built, "atom"))
    for entry, doc in zip(root.findall(f"{ATOM}entry"), newest_first(built.source), strict=True):
        assert rfc3339(entry.findtext(f"{ATOM}published")) == doc.release.published
        assert rfc3339(entry.findtext(f"{ATOM}updated")) == doc.release.updated


def test_feed_updated_is_the_newest_entrys_updated(built: Built) -> None:
    newest_updated = max(utc(d.release.updated) for d in documents(built.source))
    newest_published = max(utc(d.release.published) for d in documents(built.source))

    atom = tree(feed_bytes(built, "atom"))
    entry_updates = [rfc3339(u.text) for u in atom.findall(f"{ATOM}entry/{ATOM}updated")]
    assert rfc3339(atom.findtext(f"{ATOM}updated")) == max(entry_updates) == newest_updated

    channel = tree(feed_bytes(built, "rss")).find("channel")
    assert rfc822(channel.findtext("lastBuildDate")) == newest_updated
    item_dates = [rfc822(p.text) for p in channel.findall("item/pubDate")]
    assert rfc822(channel.findtext("pubDate")) == max(item_dates) == newest_published


def test_site_feed_updated_is_the_later_updated_not_published(site_build: Built) -> None:
    """The test site's newest release was updated a day after publication: the feed says so."""
    atom = tree(feed_bytes(site_build, "atom"))
    assert atom.findtext(f"{ATOM}updated") in ("2026-03-11T08:30:00Z",
                                                 "2026-03-11T08:30:00+00:00")


class _FrozenMeta(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, datetime)


FROZEN_NOW = datetime(1999, 12, 31, 23, 59, 58, 123456, tzinfo=UTC)


class _FrozenDatetime(datetime, metaclass=_FrozenMeta):
    """datetime whose clock is stuck at FROZEN_NOW (isinstance() still accepts real ones)."""

    @classmethod
    def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
        return FROZEN_NOW.astimezone(tz) if tz is not None else FROZEN_NOW.replace(tzinfo=None)

    @classmethod
    def utcnow(cls) -> datetime:  # type: ignore[override]
        return FROZEN_NOW.replace(tzinfo=None)


def test_feeds_never_read_the_clock(site_build: Built, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Built again under a clock stuck in 1999, the feeds are byte-identical to the first build."""
    import feedgen.entry
    import feedgen.feed

    monkeypatch.setattr(feedgen.feed, "datetime", _FrozenDatetime)
    monkeypatch.setattr(feedgen.entry, "datetime", _FrozenDatetime)
    # The fake clock is really what feedgen would fall back on:
    assert feedgen.feed.FeedGenerator().updated().year == 1999
    assert feedgen.entry.FeedEntry().updated().year == 1999

    dist = tmp_path / "dist"
    result = run("--source", str(site_build.source), "--styles", str(ROOT / "styles"), "build",
                 "--format", "feed", "--dist", str(dist), "--quiet")
    assert result.code == 0, result.err
    for kind, path in FEED_FILES.items():
        again = (dist / path).read_bytes()
        assert b"1999-12-31" not in again and b"Dec 1999" not in again, f"{kind} used the clock"
        assert again == feed_bytes(site_build, kind), f"{kind} differs from the first build"


def test_entry_id_is_the_release_id(built: Built) -> None:
    ids = [d.release.id for d in newest_first(built.source)]
    atom = tree(feed_bytes(built, "atom"))
    assert [e.findtext(f"{ATOM}id") for e in atom.findall(f"{ATOM}entry")] == ids
    rss = tree(feed_bytes(built, "rss"))
    assert [g.text for g in rss.findall("channel/item/guid")] == ids


def test_rss_guids_are_not_permalinks(built: Built) -> None:
    guids = tree(feed_bytes(built, "rss")).findall("channel/item/guid")
    assert guids
    assert {g.get("isPermaLink") for g in guids} == {"false"}
    for entry in feedparser.parse(feed_bytes(built, "rss")).entries:
        assert entry.guidislink is False
        assert entry.link != entry.id


def test_rss_dates_carry_a_zone(built: Built) -> None:
    channel = tree(feed_bytes(built, "rss")).find("channel")
    dates = [channel.findtext("pubDate"), channel.findtext("lastBuildDate")]
    dates += [p.text for p in channel.findall("item/pubDate")]
    assert len(dates) == 2 + len(documents(built.source))
    for value in dates:
        assert rfc822(value).utcoffset() is not None


@pytest.mark.parametrize("kind", KINDS)
def test_categories_are_the_keywords(built: Built, kind: str) -> None:
    entries = feedparser.parse(feed_bytes(built, kind)).entries
    for entry, doc in zip(entries, newest_first(built.source), strict=True):
        assert doc.release.keywords, "the fixtures give every release keywords"
        assert [t.term for t in entry.tags] == list(doc.release.keywords)


def test_site_keyword_with_ampersand_is_escaped_once(site_build: Built) -> None:
    atom = tree(feed_bytes(site_build, "atom"))
    terms = [c.get("term") for c in atom.iter(f"{ATOM}category")]
    assert "rights & duties" in terms
    rss = tree(feed_bytes(site_build, "rss"))
    assert "rights & duties" in [c.text for c in rss.iter("category")]


def _html_fragments(built: Built) -> list[tuple[str, str]]:
    """(where, raw HTML) of every entry's content and summary, as written (not via feedparser,
    which would resolve relative URLs and hide them)."""
    found: list[tuple[str, str]] = []
    atom = tree(feed_bytes(built, "atom"))
    for i, entry in enumerate(atom.findall(f"{ATOM}entry")):
        for tag in ("content", "summary"):
            found.append((f"atom entry[{i}] {tag}", entry.findtext(f"{ATOM}{tag}") or ""))
    rss = tree(feed_bytes(built, "rss"))
    for i, item in enumerate(rss.findall("channel/item")):
        found.append((f"rss item[{i}] content:encoded", item.findtext(CONTENT_ENCODED) or ""))
        found.append((f"rss item[{i}] description", item.findtext("description") or ""))
    return found


def test_content_has_absolute_urls_only(built: Built) -> None:
    urls: list[tuple[str, str]] = []
    for where, fragment in _html_fragments(built):
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
        for el in root.iter():
            for attr in ("href", "src", "cite", "action", "poster", "data"):
                if el.get(attr) is not None:
                    urls.append((where, el.get(attr)))
    assert len(urls) >= 2 * len(documents(built.source)), "content links to the PDF and EPUB"
    relative = [(w, u) for w, u in urls if not urlsplit(u).scheme or u.startswith("//")]
    assert relative == []


def test_content_links_to_the_release_outputs(built: Built) -> None:
    atom = tree(feed_bytes(built, "atom"))
    for entry, doc in zip(atom.findall(f"{ATOM}entry"), newest_first(built.source), strict=True):
        content = entry.findtext(f"{ATOM}content")
        assert entry.find(f"{ATOM}content").get("type") == "html"
        assert f'href="{doc.links["pdf"]}"' in content
        assert f'href="{doc.links["epub"]}"' in content


@pytest.mark.parametrize("kind", KINDS)
def test_summary_is_the_release_summary(built: Built, kind: str) -> None:
    """Present, and escaped exactly once: a reader shows the summary's own text."""
    entries = feedparser.parse(feed_bytes(built, kind)).entries
    for entry, doc in zip(entries, newest_first(built.source), strict=True):
        assert entry.summary_detail.type == "text/html"
        shown = lxml_html.fragment_fromstring(entry.summary, create_parent="div").text_content()
        assert shown == doc.summary


def test_site_summary_markup_is_text_not_html(site_build: Built) -> None:
    raw = tree(feed_bytes(site_build, "atom")).findtext(f"{ATOM}entry/{ATOM}summary")
    assert "&lt;script&gt;" in raw and "<script>" not in raw
    assert html.unescape(raw) == newest_first(site_build.source)[0].summary


def test_self_and_alternate_links(built: Built) -> None:
    base = documents(built.source)[0].publication.base_url
    atom = tree(feed_bytes(built, "atom"))
    links = {(link.get("rel"), link.get("type")): link.get("href")
             for link in atom.findall(f"{ATOM}link")}
    assert links == {("self", "application/atom+xml"): base + FEED_FILES["atom"],
                     ("alternate", "text/html"): base}

    channel = tree(feed_bytes(built, "rss")).find("channel")
    assert channel.findtext("link") == base
    selfs = channel.findall(f"{ATOM}link[@rel='self']")
    assert [(s.get("href"), s.get("type")) for s in selfs] == [
        (base + FEED_FILES["rss"], "application/rss+xml")]

    for kind in KINDS:
        parsed = feedparser.parse(feed_bytes(built, kind))
        assert parsed.feed.link == base
        rels = {link.rel: link.href for link in parsed.feed.links}
        assert rels["self"] == base + FEED_FILES[kind]


def test_entry_alternate_link_is_the_web_page(built: Built) -> None:
    atom = tree(feed_bytes(built, "atom"))
    for entry, doc in zip(atom.findall(f"{ATOM}entry"), newest_first(built.source), strict=True):
        alternates = [link for link in entry.findall(f"{ATOM}link")
                      if link.get("rel", "alternate") == "alternate"]
        assert [link.get("href") for link in alternates] == [doc.url]
    rss = tree(feed_bytes(built, "rss"))
    assert [i.findtext("link") for i in rss.findall("channel/item")] == [
        d.url for d in newest_first(built.source)]


def test_author_is_present(built: Built) -> None:
    docs = newest_first(built.source)
    atom = tree(feed_bytes(built, "atom"))
    assert atom.findtext(f"{ATOM}author/{ATOM}name") == docs[0].publication.name
    for entry, doc in zip(atom.findall(f"{ATOM}entry"), docs, strict=True):
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == doc.release.publisher
    rss = tree(feed_bytes(built, "rss"))
    for item, doc in zip(rss.findall("channel/item"), docs, strict=True):
        assert item.findtext(DC_CREATOR) == doc.release.publisher
    for kind in KINDS:
        for entry, doc in zip(feedparser.parse(feed_bytes(built, kind)).entries, docs,
                              strict=True):
            assert entry.author == doc.release.publisher


def test_atom_dates_are_utc(built: Built) -> None:
    """Feeds show one zone (UTC); the instant is the release's."""
    atom = tree(feed_bytes(built, "atom"))
    for el in atom.iter(f"{ATOM}updated", f"{ATOM}published"):
        assert rfc3339(el.text).utcoffset() == timedelta(0), el.text


def test_site_dates_convert_from_the_releases_zone(site_build: Built) -> None:
    """10:00 at +01:00 is 09:00 UTC; a date without time is noon in Europe/Zurich."""
    atom = tree(feed_bytes(site_build, "atom"))
    published = [rfc3339(p.text) for p in atom.iter(f"{ATOM}published")]
    assert published == [datetime(2026, 3, 10, 9, tzinfo=UTC),
                         datetime(2026, 2, 1, 12, tzinfo=timezone(timedelta(hours=1)))]


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def effective_language(el: etree._Element) -> str | None:
    """xml:lang in scope at `el` (its own or its nearest ancestor's)."""
    for node in (el, *el.iterancestors()):
        if node.get(XML_LANG) is not None:
            return node.get(XML_LANG)
    return None


def test_atom_entries_carry_their_release_language(site_copy: Path, tmp_path: Path) -> None:
    note = site_copy / "2026-02-01-short-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace("language: en\n", "language: fr\n"),
                    encoding="utf-8")
    dist = tmp_path / "dist"
    result = run("--source", str(site_copy), "--styles", str(ROOT / "styles"), "build",
                 "--format", "feed", "--dist", str(dist), "--quiet")
    assert result.code == 0, result.err
    docs = newest_first(site_copy)
    assert {d.release.language for d in docs} == {"en-GB", "fr"}
    atom = tree((dist / FEED_FILES["atom"]).read_bytes())
    assert check_atom(etree.tostring(atom)) == []
    entries = atom.findall(f"{ATOM}entry")
    assert [effective_language(e.find(f"{ATOM}content")) for e in entries] == [
        d.release.language for d in docs]
