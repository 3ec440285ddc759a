"""The release model: frozen, keyword-only data, no I/O.

Everything pressroom publishes comes from these classes. The loader (`source.py`) builds them
from `source/`; every renderer reads them and nothing else, so a title, a date or an id can
never differ between the PDF, the EPUB, the web page and the feeds.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from pressroom.errors import Problem


class Status(enum.Enum):
    """Where a release stands: only published ones reach public outputs."""

    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Paper(enum.Enum):
    """Paper size of the PDF brief."""

    A4 = "a4"
    LETTER = "letter"


@dataclass(frozen=True, kw_only=True, slots=True)
class Phone:
    """A labelled phone number of a contact ('Mobile', '+41 79 217 32 64')."""

    number: str
    """As the editor wrote it, with its country code; printed so."""
    label: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Email:
    """A labelled e-mail address of a contact."""

    address: str
    label: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """A media contact printed at the end of a release: a person, or an office without one
    (it has at least a name, an organization or a role)."""

    name: str = ""
    role: str = ""
    organization: str = ""
    email: str = ""
    phone: str = ""
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    address: str = ""
    """Postal address; its line breaks are kept."""
    note: str = ""
    """E.g. 'E-mail for the quickest response'."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Reference:
    """A document a release reports on, e.g. the OHCHR news release behind a UN News story."""

    publisher: str
    title: str = ""
    url: str = ""
    kind: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Dateline:
    """A dateline: place(s), an optional agency and, unless `dated` is false, the release's
    `published` date ('GENEVA (25 January 2017) –', 'Ginebra (CICR) –', 'NAIROBI –')."""

    place: str
    agency: str = ""
    dated: bool = True
    """Whether the dateline carries the date (else the date is printed on its own line)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Correction:
    """A dated correction, shown to readers in every format."""

    date: datetime
    text: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Update:
    """A dated update (news added, not an error put right), shown to readers in every format."""

    date: datetime
    text: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Withdrawal:
    """When and why a release was withdrawn."""

    date: datetime
    reason: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Link:
    """A related link."""

    title: str
    url: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Figure:
    """An image stored under `source/`, with its text alternative."""

    src: str
    """Path below `source/`."""
    alt: str
    caption: str = ""
    credit: str = ""
    licence: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Release:
    """One release, as written in one `source/*.md` file."""

    id: str
    """Stable, unique identifier (an IRI such as a tag: URI); never derived from the file name."""
    slug: str
    """Output name: the source file's stem; names the PDF, EPUB and web page."""
    kind: str
    """What the document is (`load.fields.KINDS`, or one of the publication's own kinds)."""
    headline: str
    summary: str
    """The standfirst (lead paragraph), printed set apart before the body."""
    published: datetime
    """First publication, time-zone aware (a year or a month alone: its first instant)."""
    updated: datetime
    """Last significant change, time-zone aware; equals `published` unless given."""
    language: str
    """BCP 47 language tag."""
    publisher: str
    published_precision: str = "day"
    """How much of `published` the source gave: 'day' (a date or a date-time), or 'month' or
    'year' alone (archive imports), printed as such ('October 2014', '2014')."""
    byline: str = ""
    dateline: Dateline | None = None
    based_on: Reference | None = None
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    boilerplate: tuple[str, ...] = ()
    """Keys of the publication's boilerplate paragraphs, printed after the body."""
    status: Status = Status.PUBLISHED
    embargo_until: datetime | None = None
    """While later than the build's "now", the release stays out of public outputs."""
    withdrawal: Withdrawal | None = None
    corrections: tuple[Correction, ...] = ()
    """Oldest first; `updated` is never earlier than the last one."""
    updates: tuple[Update, ...] = ()
    """Oldest first; `updated` is never earlier than the last one."""
    highlights: tuple[str, ...] = ()
    """Key points, one line each, printed as a list under the standfirst."""
    notes: str = ""
    """Notes to editors (Markdown)."""
    notes_heading: str = ""
    """Heading of the notes ('Background'); '' for the catalogue's 'Notes to editors'."""
    about: str = ""
    """A paragraph about the organization (Markdown), printed after the boilerplate."""
    end_mark: str = ""
    related: tuple[Link, ...] = ()
    symbol: str = ""
    """Document symbol, e.g. SG/SM/19057."""
    image: Figure | None = None
    translation_group: str = ""
    """Key shared by a release and its versions in other languages."""
    body: str = ""
    """The Markdown body (after the front matter)."""
    source_path: str = ""
    """Where the release was read from, for messages."""
    body_line: int = 1
    """Line of the source file on which the body starts, for messages."""
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each front-matter field by its path ('headline', 'contacts[0].name'), for
    messages about the text."""


@dataclass(frozen=True, kw_only=True, slots=True)
class FeedSettings:
    """Identity of the publication's feeds."""

    id: str
    title: str
    subtitle: str = ""
    size: int = 50
    """Entries in the subscription feeds and on each index page; older ones go to archives."""


@dataclass(frozen=True, kw_only=True, slots=True)
class OwnKind:
    """A kind of document a publication defines itself, with its label by language."""

    key: str
    label: str
    """The label in the publication's language."""
    labels: dict[str, str] = field(default_factory=dict)
    """The label in other languages, by language tag."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Publication:
    """Settings shared by every release: `source/publication.yaml`."""

    name: str
    short_name: str
    base_url: str
    """Absolute URL where `dist/` is published; ends with a slash."""
    feed: FeedSettings
    language: str
    timezone: str
    """IANA time zone that reads dates given without a time."""
    paper: Paper = Paper.A4
    logo: str = ""
    """Path of a logo under `source/`, if any."""
    email: str = ""
    """The press office's address: the sender of the e-mail edition, if any."""
    end_mark: str = ""
    """End mark after each body ('ENDS', '###'), unless a release sets its own."""
    notes_heading: str = ""
    """Heading of every release's notes, unless a release sets its own ('' for the
    catalogue's 'Notes to editors')."""
    contacts: tuple[Contact, ...] = ()
    """Default media contacts, for releases that name none."""
    boilerplate: dict[str, str] = field(default_factory=dict)
    """Reusable paragraphs (Markdown) by key."""
    kinds: tuple[OwnKind, ...] = ()
    """Kinds of document of its own ('op-ed', 'joint-statement'), besides the built-in ones."""
    source_path: str = ""
    """Where the settings were read from, for messages."""
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each field by its path, for messages."""

    def address(self, contacts: tuple[Contact, ...] = ()) -> str:
        """The press office's e-mail address: its own `email`, else its first contact's, else
        the first of `contacts` (a release's own) with one; '' when none has an address."""
        found = (c.email or next((e.address for e in c.emails), "")
                 for c in (*self.contacts, *contacts))
        return self.email or next((a for a in found if a), "")


@dataclass(frozen=True, kw_only=True, slots=True)
class Site:
    """Everything loaded from `source/`: the publication and its releases, newest first."""

    publication: Publication
    releases: tuple[Release, ...]
    warnings: tuple[Problem, ...] = ()
    """Problems of drafts, which are left out instead of stopping the build (drafts are not
    published unless asked for); each message ends '(draft: not published)'."""
    drafts_left_out: tuple[str, ...] = ()
    """File names (slugs) of those drafts: read, but not in `releases`."""
