"""Which releases are public at the build's "now": embargoes, drafts and withdrawals.

A build is a function of the sources *and* of a moment, given explicitly (`--now`,
`PRESSROOM_NOW`, else the clock), so that it can be reproduced and tested. Public outputs
(feeds, web pages, indexes, digests, packs) hold only the public releases; an embargoed
release, and a draft when drafts are asked for, get a press-kit PDF and EPUB in held/ (beside dist/)
with a banner on every page; a withdrawn release leaves a tombstone in the Atom feed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from pressroom.layout import HELD_PATHS
from pressroom.model import Status
from pressroom.plan import translations
from pressroom.prepare.document import Document
from pressroom.text import locale

DRAFT_BANNER = "DRAFT – NOT FOR PUBLICATION"
"""The English draft banner (the catalogue's 'draft' label)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Plan:
    """The releases of one build, sorted by what happens to them."""

    public: list[Document]
    """Published and not under embargo: every public output holds these."""
    held: list[Document]
    """Embargoed (and drafts, when asked for): press-kit PDF and EPUB in held/ beside dist/."""
    withdrawn: list[Document]
    """Withdrawn: out of public outputs; the Atom feed keeps a tombstone."""
    skipped: list[Document]
    """Drafts not asked for: validated, not built."""
    last_lift: datetime | None
    """The latest embargo that ended at or before now (the plan holds since then)."""
    next_lift: datetime | None
    """The earliest embargo still running (the plan changes then)."""

    def notices(self) -> list[str]:
        """One line per release held back, for the editor."""
        return [f"{d.release.source_path}: held back: embargoed until "
                f"{locale.format_time(d.release.embargo_until, 'en')}; its PDF and EPUB are in "
                "held/"
                if d.release.embargo_until and d.held == "embargoed" else
                f"{d.release.source_path}: held back: draft; its PDF and EPUB are in held/"
                for d in self.held] \
            + [f"{d.release.source_path}: draft: not built (make DRAFTS=1 builds it into "
               f"held/)" for d in self.skipped]


def plan(documents: list[Document], now: datetime, drafts: bool = False) -> Plan:
    """Sort documents (newest first, as loaded) into public, held, withdrawn and skipped."""
    public: list[Document] = []
    held: list[Document] = []
    withdrawn: list[Document] = []
    skipped: list[Document] = []
    lifts = [d.release.embargo_until for d in documents if d.release.embargo_until]
    for doc in documents:
        release = doc.release
        if release.status is Status.WITHDRAWN:
            withdrawn.append(doc)
        elif release.status is Status.DRAFT:
            banner = locale.label("draft", release.language)
            (held if drafts else skipped).append(_held(doc, "draft", banner))
        elif release.embargo_until is not None and release.embargo_until > now:
            banner = locale.label("embargoed_until", release.language,
                                  time=locale.format_time(release.embargo_until,
                                                          release.language))
            held.append(_held(doc, "embargoed", banner))
        else:
            public.append(doc)
    return Plan(public=translations.link(public), held=held, withdrawn=withdrawn, skipped=skipped,
                last_lift=max((t for t in lifts if t <= now), default=None),
                next_lift=min((t for t in lifts if t > now), default=None))


def _held(doc: Document, why: str, banner: str) -> Document:
    paths = {fmt: path.format(slug=doc.release.slug) for fmt, path in HELD_PATHS.items()}
    return dataclasses.replace(doc, held=why, banner=banner, paths=paths)
