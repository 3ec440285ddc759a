"""`pressroom check`: validate the sources, and with --dist every built output.

Outputs are checked by the real validators (EPUBCheck, DAISY Ace, feedparser, the RFC 4287
and RSS 2.0 rules, pikepdf on the PDF structure) and against each other: the id, title,
language and dates of a release must agree in its PDF, its OPF and its feed entries, and every
sentence of its text must be in each of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from pressroom.checks import numbering
from pressroom.checks.text import coverage, markup_text
from pressroom.layout import (
    FEED_PATHS,
    INDEX_PATH,
    OUTPUTS,
    digest_path,
    language_feed_paths,
    outputs,
    release_path,
    state_dir,
    under,
)
from pressroom.load.site import load_site
from pressroom.plan import visibility
from pressroom.plan.grouping import by_language, newest, published
from pressroom.prepare.document import Document, prepare

Report = Callable[[str], None]
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def check(source_dir: Path, styles_dir: Path, dist_dir: Path | None, now: datetime,
          drafts: bool, report: Report, warn: Report | None = None) -> list[str]:
    """Problems found (empty: all clean). Invalid sources raise SourceError; the problems of
    drafts left out go to `warn` (default: `report`).

    `now` and `drafts` must be those of the build: they decide which releases are public."""
    site = load_site(source_dir, styles_dir=styles_dir, drafts=drafts)
    for warning in site.warnings:
        (warn or report)(str(warning))
    plan = visibility.plan(prepare(site), now, drafts)
    documents = plan.public
    total = len(plan.public) + len(plan.held) + len(plan.withdrawn) + len(plan.skipped)
    public = "" if total == len(plan.public) else f", {len(plan.public)} public"
    report(f"sources: {total} release(s) valid{public}")
    if dist_dir is None:
        return []
    problems: list[str] = []
    from pressroom.checks.collections import (
        check_feed_archives,
        check_json_feed,
        check_web_archives,
    )
    from pressroom.checks.covers import check_covers
    from pressroom.checks.email import check_email
    from pressroom.checks.newsroom import check_held
    from pressroom.checks.ninjs import check_ninjs

    found = check_outputs(documents + plan.held, dist_dir)
    report(f"outputs: {'ok' if not found else f'{len(found)} problem(s)'}")
    problems += found
    for name, func in (("web", check_web), ("web archive", check_web_archives),
                       ("feeds", check_feeds), ("feed archive", check_feed_archives),
                       ("json feed", check_json_feed), ("ninjs", check_ninjs),
                       ("pdf", check_pdfs), ("briefing packs", check_packs),
                       ("epub", check_epubs), ("covers", check_covers), ("email", check_email)):
        found = func(documents + plan.held if name in ("pdf", "epub", "covers", "email")
                     else documents,
                     dist_dir)
        report(f"{name}: {'ok' if not found else f'{len(found)} problem(s)'}")
        problems += found
    found = check_ace(documents + plan.held, dist_dir, report)
    problems += found
    found = check_held(plan, dist_dir)
    report(f"held back: {'ok' if not found else f'{len(found)} problem(s)'}")
    problems += found
    from pressroom.checks.opds import check_opds

    found = check_opds(documents, plan.held + plan.withdrawn + plan.skipped, dist_dir)
    report(f"opds: {'ok' if not found else f'{len(found)} problem(s)'}")
    return problems + found


def check_ace(documents: list[Document], dist: Path, report: Report) -> list[str]:
    """DAISY Ace on every EPUB (each release's, each held one's, every digest): 0 violations,
    each reported as `<book>: ace: <rule> (<impact>): <description> at <location>`. Skipped,
    and said so, where Node.js or the Ace that `make check` installs is missing."""
    from pressroom.checks.ace import ace, ace_home, skipped

    home = ace_home(dist)
    why = skipped(home)
    if why is not None:
        report(f"ace: skipped: {why}")
        return []
    books = [under(dist, p) for expected in owned("epub", documents).values()
             for p in sorted(expected) if p.endswith(".epub")]  # not the covers beside them
    found = ace([p for p in books if p.is_file()], home, state_dir(dist) / "check" / "ace")
    problems = [f"{path}: ace: {m}" for path, messages in found.items() for m in messages]
    report(f"ace: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    return problems


def check_outputs(documents: list[Document], dist: Path) -> list[str]:
    """Every file each format should have made is there (`layout.outputs`), and no other file
    sits where a format keeps its files (a build removes what it no longer makes). Briefing
    packs, made on request, are `check_packs`'s."""
    problems: list[str] = []
    for fmt in OUTPUTS:
        for pattern, expected in owned(fmt, documents).items():
            found = {p.relative_to(dist).as_posix() for p in dist.glob(pattern) if p.is_file()}
            problems += [f"{under(dist, p)}: missing; run make"
                         for p in sorted(expected - found)]
            problems += [f"{under(dist, p)}: not made by a build of these sources; run make"
                         for p in sorted(found - expected)]
    return problems


def owned(fmt: str, documents: list[Document]) -> dict[str, set[str]]:
    """What format `fmt` should have in dist/ for these releases (public ones, and those held
    back): the renderers' `owned`, from `layout.outputs`."""
    size = documents[0].publication.feed.size if documents else 1
    return outputs(fmt, published([d for d in documents if not d.held],
                                  [d for d in documents if d.held], size))


def _missing(path: Path) -> list[str]:
    return [] if path.is_file() else [f"{path}: missing; run make"]


def check_web(documents: list[Document], dist: Path) -> list[str]:
    """Web pages parse as XML (XHTML), carry no script, and every release page every sentence
    of its release."""
    problems: list[str] = []
    pages = {dist / release_path("html", d.release.slug): d for d in documents}
    for path in [*pages, dist / INDEX_PATH]:
        if _missing(path):
            problems += _missing(path)
            continue
        try:
            tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as exc:
            problems.append(f"{path}: not well-formed XHTML: {exc}")
            continue
        problems += [f"{path}: {p}" for p in script_problems(tree)]
        if path in pages:
            article = tree.find(".//{http://www.w3.org/1999/xhtml}article")
            text = "".join(str(t) for t in article.itertext()) if article is not None else ""
            problems += [f"{path}: {p}" for p in coverage(pages[path], text, "text")]
    return problems


def script_problems(tree: Any) -> list[str]:
    """Script in a page: none is allowed, except one JSON-LD data block holding valid JSON
    (browsers never run it)."""
    import json

    found = []
    if tree.xpath("//@*[starts-with(name(), 'on')]"):
        found.append("contains an event handler attribute (script)")
    for node in tree.xpath("//*[local-name()='script']"):
        if node.get("type") != "application/ld+json" or len(node):
            found.append("contains script")
            continue
        try:
            json.loads(node.text or "")
        except ValueError:
            found.append("JSON-LD block is not valid JSON")
    return found


def check_feeds(documents: list[Document], dist: Path) -> list[str]:
    """Atom and RSS: structural rules, feedparser read-back, entries agree with the releases."""
    from pressroom.checks.feeds import check_atom, check_rss, read_back

    problems: list[str] = []
    size = documents[0].publication.feed.size if documents else 0
    for paths, docs in subscription_feeds(documents):
        for kind, rules in (("atom", check_atom), ("rss", check_rss)):
            path = dist / paths[kind]
            if _missing(path):
                problems += _missing(path)
                continue
            data = path.read_bytes()
            found = rules(data)
            read_problems, entries = read_back(data, kind)
            found += read_problems
            found += _agree_feed(newest(docs, size), entries, kind)
            if kind == "atom":
                found += _agree_languages(docs, data)
            problems += [f"{path}: {p}" for p in found]
    return problems


def subscription_feeds(documents: list[Document]) -> list[tuple[dict[str, str], list[Document]]]:
    """The subscription feeds (their paths by kind) and the releases each is made of: every
    release, and each language's when there are several."""
    return [(FEED_PATHS, documents)] + [(language_feed_paths(language), docs)
                                        for language, docs in by_language(documents).items()]


def _agree_languages(documents: list[Document], atom: bytes) -> list[str]:
    """Each Atom entry's language (its own xml:lang, else the feed's) is its release's."""
    root = etree.fromstring(atom, etree.XMLParser(resolve_entities=False, no_network=True))
    feed_lang = root.get(XML_LANG, "")
    languages = {entry.findtext(f"{ATOM}id"): entry.get(XML_LANG, feed_lang)
                 for entry in root.iterfind(f"{ATOM}entry")}
    return [f"{d.release.id}: language {languages[d.release.id]!r} != {d.release.language!r}"
            for d in documents
            if d.release.id in languages and languages[d.release.id] != d.release.language]


def _agree_feed(documents: list[Document], entries: list[Any], kind: str) -> list[str]:
    """Entries are the releases, newest first, with the same titles, dates and text."""
    by_id = {entry.get("id"): entry for entry in entries}
    problems: list[str] = []
    newest_first = [d.release.id for d in sorted(
        documents, key=lambda d: (d.release.published, d.release.id), reverse=True)]
    if [entry.get("id") for entry in entries] != newest_first:
        problems.append("entries are not the releases, newest first")
    for doc in documents:
        entry = by_id.get(doc.release.id)
        if entry is None:
            continue
        rid = doc.release.id
        if entry.get("title") != doc.headline:
            problems.append(f"{rid}: title {entry.get('title')!r} != {doc.headline!r}")
        if not _same(entry.get("published_parsed"), doc.release.published):
            problems.append(f"{rid}: published differs from the release")
        if kind == "atom" and not _same(entry.get("updated_parsed"), doc.release.updated):
            problems.append(f"{rid}: updated differs from the release")
        content = " ".join(part.value for part in entry.get("content", []))
        problems += coverage(doc, markup_text(content), f"{rid} content")
    return problems


def _same(parsed: Any, moment: datetime) -> bool:
    """A feedparser time tuple (UTC) is the same instant as `moment`."""
    return parsed is not None and tuple(parsed)[:6] == moment.astimezone(UTC).timetuple()[:6]


def check_pdfs(documents: list[Document], dist: Path) -> list[str]:
    """PDF structure (pikepdf), metadata agreeing with the release, text extractable."""
    import pikepdf

    from pressroom.checks.pdf import check_pdf, extract_text

    problems: list[str] = []
    for doc in documents:
        path = under(dist, doc.paths["pdf"])
        if _missing(path):
            problems += _missing(path)
            continue
        found = check_pdf(path)
        with pikepdf.open(path) as pdf:
            info = pdf.docinfo
            meta = pdf.open_metadata()
            agree = {
                "title": (str(info.get("/Title", "")), doc.headline),
                "language": (str(pdf.Root.get("/Lang", "")), doc.release.language),
                "identifier": (str(meta.get("xmpMM:DocumentID", "")), doc.release.id),
                "published": (_pdf_date(str(info.get("/CreationDate", ""))),
                              doc.release.published.astimezone(UTC)),
                "updated": (_pdf_date(str(info.get("/ModDate", ""))),
                            doc.release.updated.astimezone(UTC)),
            }
        found += [f"{key} {got!r} != {want!r}" for key, (got, want) in agree.items()
                  if got != want]
        text = extract_text(path)
        found += coverage(doc, text, "text", pdf=True)
        found += numbering.problems(doc.body_html, text, "text", doc.direction)
        problems += [f"{path}: {p}" for p in found]
    return problems


def _pdf_date(value: str) -> datetime | None:
    """A PDF date string (D:YYYYMMDDHHmmSS+HH'mm') as a UTC datetime."""
    match = re.match(r"D:(\d{14})(Z|[+-]\d{2}'\d{2}'?)?", value)
    if not match:
        return None
    zone = (match.group(2) or "Z").replace("'", "")
    offset = "+0000" if zone == "Z" else zone
    return datetime.strptime(match.group(1) + offset, "%Y%m%d%H%M%S%z").astimezone(UTC)


def check_packs(documents: list[Document], dist: Path) -> list[str]:
    """Briefing packs made with `pressroom pack`, wherever below dist/: the PDF structure
    checks, and every release a pack holds (as it records them) is public."""
    from pressroom.checks.pdf import check_pdf
    from pressroom.packs import find_packs, pack_releases

    public = {d.release.id for d in documents} | {d.release.slug for d in documents}
    problems: list[str] = []
    for path in find_packs(dist):
        problems += [f"{path}: {p}" for p in check_pdf(path)]
        problems += [f"{path}: holds {held!r}, which is not public; run make"
                     for held in sorted(pack_releases(path) - public)]
    return problems


def check_epubs(documents: list[Document], dist: Path) -> list[str]:
    """EPUBCheck with 0 errors and 0 warnings; OPF metadata agreeing with the release."""
    from pressroom.checks.epub import chapter_text, epubcheck, package_metadata

    problems: list[str] = []
    paths = {doc.release.id: under(dist, doc.paths["epub"]) for doc in documents}
    public = [doc for doc in documents if not doc.held]
    books = [under(dist, p) for expected in owned("epub", documents).values()
             for p in sorted(expected) if p.endswith(".epub")]  # not the covers beside them
    for path in books:  # each release's, each held one's, every digest (all, months, languages)
        problems += _missing(path)
    reports = state_dir(dist) / "check" / "epubcheck"  # a book checked before is not again
    for path, messages in epubcheck([p for p in books if p.is_file()], reports).items():
        problems += [f"{path}: {m}" for m in messages]
    every = dist / digest_path("all")
    if public and every.is_file():
        text = chapter_text(every)
        for doc in public:
            problems += [f"{every}: {doc.release.slug}: {p}"
                         for p in coverage(doc, text, "text")]
    for doc in documents:
        path = paths[doc.release.id]
        if not path.is_file():
            continue
        meta = package_metadata(path)
        modified = doc.release.updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        want = {"identifier": doc.release.id, "title": doc.headline,
                "language": doc.release.language, "xml:lang": doc.release.language,
                "date": doc.release.published.isoformat(), "modified": modified}
        problems += [f"{path}: {key} {meta[key]!r} != {value!r}"
                     for key, value in want.items() if meta[key] != value]
        problems += [f"{path}: {p}" for p in coverage(doc, chapter_text(path), "text")]
    return problems
