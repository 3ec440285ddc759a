"""Feed validation: the RFC 4287 rules RELAX NG cannot express, RSS 2.0's required elements,
a feedparser read-back, and (in tests) jing against RFC 4287's schema.

Each check returns a list of problems; an empty list means the feed is clean.
"""

from __future__ import annotations

import email.utils
import re
from datetime import datetime
from typing import Any

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TOMBSTONES = "{http://purl.org/atompub/tombstones/1.0}"


# --- checking helpers ---
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_RFC822 = re.compile(
    r"^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2,4} "
    r"\d{2}:\d{2}(:\d{2})? ([+-]\d{4}|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[A-IK-Z])$")


def _rfc3339(s: str | None) -> datetime | None:
    if not s or not _RFC3339.match(s.strip()):
        return None
    try:
        return datetime.fromisoformat(s.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _is_iri(s: str | None) -> bool:
    if not s:
        return False
    return bool(_SCHEME.match(s.strip())) and s == s.strip()


def _parse(data: bytes, errs: list[str]) -> etree._Element | None:
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False,
                                                      no_network=True))
    except etree.XMLSyntaxError as ex:
        errs.append(f"not well-formed XML: {ex}")
        return None


def _count(parent: etree._Element, tag: str, where: str, errs: list[str],
           lo: int = 1, hi: int = 1) -> list[etree._Element]:
    found = parent.findall(tag)
    n = len(found)
    name = tag.replace(A, "atom:")
    if n < lo or n > hi:
        want = f"exactly {lo}" if lo == hi else f"{lo}..{hi}"
        errs.append(f"{where}: {n} {name} (want {want})")
    return found


def _text_construct(el: etree._Element, where: str, errs: list[str]) -> None:
    t = el.get("type", "text")
    if t not in ("text", "html", "xhtml"):
        errs.append(f"{where}: bad text type {t!r}")
    if t == "xhtml":
        kids = list(el)
        if len(kids) != 1 or kids[0].tag != "{http://www.w3.org/1999/xhtml}div":
            errs.append(f"{where}: xhtml text must contain exactly one xhtml:div")
    elif len(el):
        errs.append(f"{where}: text/html construct must not have child elements")


# --- Atom ---
def check_atom(data: bytes, *, pressroom_rules: bool = True) -> list[str]:
    """RFC 4287 section 4 rules (incl. the Schematron-ish ones). [] == ok."""
    errs: list[str] = []
    root = _parse(data, errs)
    if root is None:
        return errs
    if root.tag != A + "feed":
        return [*errs, f"root is {root.tag}, want atom:feed"]
    fupd = _check_feed_head(root, errs)
    feed_has_author = root.find(A + "author") is not None
    seen: dict[str, int] = {}
    newest: datetime | None = None
    for i, e in enumerate(root.findall(A + "entry")):
        upd = _check_entry(e, i, seen, errs, feed_has_author=feed_has_author,
                           pressroom_rules=pressroom_rules)
        if upd and (newest is None or upd > newest):
            newest = upd
    for tombstone in root.findall(TOMBSTONES + "deleted-entry"):  # RFC 6721: a withdrawal
        when = _rfc3339(tombstone.get("when"))  # is a change to the feed too
        if when is None:
            errs.append(f"feed: deleted-entry {tombstone.get('ref')!r}: when not RFC 3339")
        elif newest is None or when > newest:
            newest = when
    if pressroom_rules and newest and fupd and fupd != newest:
        errs.append(f"feed: updated {fupd.isoformat()} != newest entry or withdrawal "
                    f"{newest.isoformat()}")
    return errs


def _check_feed_head(root: etree._Element, errs: list[str]) -> datetime | None:
    """Check atom:feed's own children; return its parsed atom:updated."""
    for tag in ("id", "title", "updated"):
        _count(root, A + tag, "feed", errs)
    for el in root.iter():
        lang = el.get(f"{{{XML_NS}}}lang")
        if lang and not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", lang):
            errs.append(f"xml:lang {lang!r} is not a BCP 47 tag (use 'en-US', not 'en_US')")
    for tag in ("subtitle", "generator", "icon", "logo", "rights"):
        _count(root, A + tag, "feed", errs, 0, 1)
    fid = root.findtext(A + "id")
    if fid is not None and not _is_iri(fid):
        errs.append(f"feed: atom:id is not an absolute IRI: {fid!r}")
    fupd = _rfc3339(root.findtext(A + "updated"))
    if root.find(A + "updated") is not None and fupd is None:
        errs.append(f"feed: updated not RFC 3339 with zone: {root.findtext(A + 'updated')!r}")
    for tag in ("title", "subtitle", "rights"):
        for el in root.findall(A + tag):
            _text_construct(el, f"feed/{tag}", errs)
    errs.extend(_check_links(root, "feed"))
    if not [link for link in root.findall(A + "link") if link.get("rel") == "self"]:
        errs.append("feed: no atom:link rel=self (SHOULD)")
    for p in root.findall(A + "author") + root.findall(A + "contributor"):
        _person(p, "feed", errs)
    return fupd


def _check_entry(e: etree._Element, i: int, seen: dict[str, int], errs: list[str], *,
                 feed_has_author: bool, pressroom_rules: bool) -> datetime | None:
    """Check the i-th atom:entry; ``seen`` maps ids to entry indexes. Return its updated."""
    where = f"entry[{i}]"
    for tag in ("id", "title", "updated"):
        _count(e, A + tag, where, errs)
    for tag in ("content", "published", "summary", "rights", "source"):
        _count(e, A + tag, where, errs, 0, 1)
    eid = e.findtext(A + "id")
    if eid is not None:
        if not _is_iri(eid):
            errs.append(f"{where}: atom:id not an absolute IRI: {eid!r}")
        if eid in seen:
            errs.append(f"{where}: duplicate id {eid!r} (also entry[{seen[eid]}])")
        seen.setdefault(eid, i)
    upd = _check_entry_dates(e, where, errs, pressroom_rules=pressroom_rules)
    if not (feed_has_author or e.find(A + "author") is not None
            or e.find(f"{A}source/{A}author") is not None):
        errs.append(f"{where}: no atom:author and feed has none")
    for p in e.findall(A + "author") + e.findall(A + "contributor"):
        _person(p, where, errs)
    errs.extend(_check_links(e, where))
    _check_entry_content(e, where, errs)
    for tag in ("title", "summary", "rights"):
        for el in e.findall(A + tag):
            _text_construct(el, f"{where}/{tag}", errs)
    for c in e.findall(A + "category"):
        if not c.get("term"):
            errs.append(f"{where}: category without term")
    return upd


def _check_entry_dates(e: etree._Element, where: str, errs: list[str], *,
                       pressroom_rules: bool) -> datetime | None:
    """Check an entry's updated/published; return the parsed updated."""
    for tag in ("updated", "published"):
        v = e.findtext(A + tag)
        if v is not None and _rfc3339(v) is None:
            errs.append(f"{where}: {tag} not RFC 3339 with zone: {v!r}")
    upd = _rfc3339(e.findtext(A + "updated"))
    pub = _rfc3339(e.findtext(A + "published"))
    if pressroom_rules and upd and pub and pub > upd:
        errs.append(f"{where}: published after updated")
    return upd


def _check_entry_content(e: etree._Element, where: str, errs: list[str]) -> None:
    content = e.find(A + "content")
    alt = [link for link in e.findall(A + "link")
           if link.get("rel", "alternate") == "alternate"]
    if content is None and not alt:
        errs.append(f"{where}: no atom:content and no link rel=alternate")
    if content is None:
        return
    ctype = content.get("type", "text")
    if content.get("src") is not None:
        if content.text or len(content):
            errs.append(f"{where}: content with src must be empty")
        if e.find(A + "summary") is None:
            errs.append(f"{where}: content@src requires atom:summary")
    elif ctype in ("text", "html", "xhtml"):
        _text_construct(content, f"{where}/content", errs)
    elif not (ctype.startswith("text/") or ctype.endswith("+xml")
              or ctype.endswith("/xml")) and e.find(A + "summary") is None:
        errs.append(f"{where}: base64 content requires atom:summary")


def _person(p: etree._Element, where: str, errs: list[str]) -> None:
    if len(p.findall(A + "name")) != 1:
        errs.append(f"{where}: person construct needs exactly one atom:name")
    uri = p.findtext(A + "uri")
    if uri is not None and not _is_iri(uri):
        errs.append(f"{where}: person uri not an IRI: {uri!r}")


def _check_links(parent: etree._Element, where: str) -> list[str]:
    errs: list[str] = []
    alt_keys: set[tuple[str | None, str | None]] = set()
    for link in parent.findall(A + "link"):
        href = link.get("href")
        if not href:
            errs.append(f"{where}: atom:link without href")
        if link.get("rel", "alternate") == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alt_keys:
                errs.append(f"{where}: >1 rel=alternate link with same type/hreflang {key}")
            alt_keys.add(key)
    return errs


# --- RSS ---
def _rfc822(s: str | None) -> datetime | None:
    if not s or not _RFC822.match(s.strip()):
        return None
    try:
        d = email.utils.parsedate_to_datetime(s.strip())
    except (TypeError, ValueError):
        return None
    return d if d.tzinfo else None


def check_rss(data: bytes, *, pressroom_rules: bool = True) -> list[str]:
    """RSS 2.0's required elements plus date, guid and link rules. [] == ok."""
    errs: list[str] = []
    root = _parse(data, errs)
    if root is None:
        return errs
    if root.tag != "rss" or root.get("version") != "2.0":
        return [*errs, f"root is <{root.tag} version={root.get('version')!r}>, "
                       "want <rss version='2.0'>"]
    chans = root.findall("channel")
    if len(chans) != 1:
        return [*errs, f"{len(chans)} <channel> (want 1)"]
    ch = chans[0]
    _check_channel(ch, errs, pressroom_rules=pressroom_rules)
    seen: dict[str, int] = {}
    newest: datetime | None = None
    for i, it in enumerate(ch.findall("item")):
        d = _check_item(it, i, seen, errs, pressroom_rules=pressroom_rules)
        if d is not None and (newest is None or d > newest):
            newest = d
    if pressroom_rules and newest is not None:
        pd = _rfc822(ch.findtext("pubDate"))
        if pd is not None and pd != newest:
            errs.append(f"channel: pubDate {pd} != newest item pubDate {newest}")
    return errs


def _check_channel(ch: etree._Element, errs: list[str], *, pressroom_rules: bool) -> None:
    """Check <channel>'s own children (not its items)."""
    for tag in ("title", "link", "description"):
        els = _count(ch, tag, "channel", errs)
        if tag != "description" and els and not (els[0].text or "").strip():
            errs.append(f"channel: empty <{tag}>")
    link = ch.findtext("link")
    if link and not re.match(r"^https?://", link.strip()):
        errs.append(f"channel: <link> not an http(s) URL: {link!r}")
    for tag in ("language", "copyright", "generator", "lastBuildDate", "pubDate", "ttl", "image"):
        _count(ch, tag, "channel", errs, 0, 1)
    for tag in ("pubDate", "lastBuildDate"):
        v = ch.findtext(tag)
        if v is not None and _rfc822(v) is None:
            errs.append(f"channel: {tag} not RFC 822 with zone: {v!r}")
    selfs = [el for el in ch.findall(A + "link") if el.get("rel") == "self"]
    if len(selfs) != 1:
        errs.append(f"channel: {len(selfs)} atom:link rel=self (want 1)")
    elif pressroom_rules and link and selfs[0].get("href") == link.strip():
        # feedgen trap: channel <link> is the LAST link() href, whatever its rel
        errs.append("channel: <link> equals the feed's self URL (want the site URL)")


def _check_item(it: etree._Element, i: int, seen: dict[str, int], errs: list[str], *,
                pressroom_rules: bool) -> datetime | None:
    """Check the i-th <item>; ``seen`` maps guids to item indexes. Return its pubDate."""
    where = f"item[{i}]"
    if it.find("title") is None and it.find("description") is None:
        errs.append(f"{where}: needs <title> or <description>")
    for tag in ("title", "link", "description", "guid", "pubDate", "comments", "source"):
        _count(it, tag, where, errs, 0, 1)
    g = it.find("guid")
    if g is not None:
        _check_guid(g, i, seen, errs)
    elif pressroom_rules:
        errs.append(f"{where}: no <guid>")
    p = it.findtext("pubDate")
    d = None
    if p is not None:
        d = _rfc822(p)
        if d is None:
            errs.append(f"{where}: pubDate not RFC 822 with zone: {p!r}")
    elif pressroom_rules:
        errs.append(f"{where}: no <pubDate>")
    for au in it.findall("author"):
        if "@" not in (au.text or ""):
            errs.append(f"{where}: <author> must be an e-mail address: {au.text!r}")
    for c in it.findall("category"):
        if not (c.text or "").strip():
            errs.append(f"{where}: empty <category>")
    il = it.findtext("link")
    if il is not None and not re.match(r"^https?://", il.strip()):
        errs.append(f"{where}: <link> not an http(s) URL: {il!r}")
    return d


def _check_guid(g: etree._Element, i: int, seen: dict[str, int], errs: list[str]) -> None:
    where = f"item[{i}]"
    gv = (g.text or "").strip()
    if not gv:
        errs.append(f"{where}: empty <guid>")
    if gv in seen:
        errs.append(f"{where}: duplicate guid {gv!r} (also item[{seen[gv]}])")
    seen.setdefault(gv, i)
    perma = g.get("isPermaLink", "true")
    if perma not in ("true", "false"):
        errs.append(f"{where}: bad isPermaLink {perma!r}")
    if perma == "true" and not re.match(r"^https?://", gv):
        errs.append(f"{where}: isPermaLink=true (default!) but guid is not a URL: {gv!r}")


def read_back(data: bytes, kind: str) -> tuple[list[str], list[Any]]:
    """Parse with feedparser as a subscriber's reader would; (problems, entries)."""
    import feedparser

    parsed = feedparser.parse(data)
    problems: list[str] = []
    if parsed.bozo:
        problems.append(f"feedparser could not read it cleanly: {parsed.bozo_exception!r}")
    want = {"atom": "atom10", "rss": "rss20"}[kind]
    if parsed.version != want:
        problems.append(f"feedparser reads it as {parsed.version!r}, not {want!r}")
    return problems, list(parsed.entries)
