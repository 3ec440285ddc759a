"""THE field table: every field of a release's front matter and of `publication.yaml`, with
its type, help and example (the `Spec` engine is load/schema.py).

This table is the single definition: the loader validates against it and maps it to the
model (defaults, white space, dates, classes: load/mapping.py), the glyph check covers every
field it marks printed, `prepare` gives every field it marks typeset the language's quotes and
dashes, `pressroom schema` publishes it as JSON Schema, the docs, the README's field table and
`pressroom new` quote it. What is printed and typeset follows the type (schema.PRINTED,
TYPESET) unless a field says otherwise.

A new printed text field is one entry here, one attribute of its model class and the
template line(s) that print it.
"""

from __future__ import annotations

import dataclasses

from pressroom.load.schema import Spec
from pressroom.media import MAX_EDGE
from pressroom.model import (
    Contact,
    Correction,
    Dateline,
    Email,
    FeedSettings,
    Figure,
    Link,
    OwnKind,
    Paper,
    Phone,
    Reference,
    Status,
    Update,
    Withdrawal,
)

CONTACT = {
    "name": Spec("line", "Full name of the media contact; may be left out for an office "
                 "(give `organization` or `role`).", "Rolando Gómez"),
    "role": Spec("line", "Role or title.", "Media officer"),
    "organization": Spec("line", "Organization, if not the publisher.", "OHCHR"),
    "email": Spec("email", "E-mail address.", "media@example.org"),
    "phone": Spec("phone", "Phone number with its country code, printed as written; the "
                  "`tel:` link is E.164 ('+41 (0)22 ...' dials +4122...).", "+41 22 917 9000"),
    "emails": Spec(
        "objects",
        "More e-mail addresses, each with a label.",
        [{"label": "Newsroom", "address": "press@example.org"}],
        fields={
            "label": Spec("line", "What the address is for.", "Newsroom"),
            "address": Spec("email", "The address.", "press@example.org", required=True),
        },
        model=Email,
    ),
    "phones": Spec(
        "objects",
        "More phone numbers, each with a label; with their country code, as for `phone`.",
        [{"label": "Mobile", "number": "+41 79 217 32 64"}],
        fields={
            "label": Spec("line", "Which line it is.", "Mobile"),
            "number": Spec("phone", "The number, with its country code.", "+41 79 217 32 64",
                           required=True),
        },
        model=Phone,
    ),
    "address": Spec("lines", "Postal address, on the lines it is printed on.",
                    "19 avenue de la Paix\n1202 Geneva\nSwitzerland\n"),
    "note": Spec("line", "A note on reaching the contact.", "E-mail for the quickest response"),
}
"""A media contact: a person or an office (one of name, organization or role is needed)."""

LINK = {
    "title": Spec("line", "Text of the link.", "Statement by the Special Rapporteur",
                  required=True),
    "url": Spec("url", "Its web address.", "https://www.ohchr.org/", required=True),
}

FIGURE = {
    "src": Spec("line", "Image file under source/ (JPEG, PNG or SVG).", "images/forst.jpg",
                required=True, printed=False),
    "alt": Spec("text", "Text alternative read to people who cannot see the image "
                "(required: an image without it is an error).",
                "Michel Forst speaks at a press conference in Mexico City", required=True),
    "caption": Spec("text", "Caption printed under the image.",
                    "The Special Rapporteur at the end of his visit."),
    "credit": Spec("line", "Who made the image.", "UN Photo/Jean-Marc Ferré"),
    "licence": Spec("line", "Licence or terms of use.", "CC BY-NC-ND 4.0"),
}

KINDS = ("press-release", "news-story", "statement", "media-advisory", "note-to-correspondents",
         "readout", "speech", "fact-sheet")
"""The kinds every publication has, labelled in every language of the catalogue
(text/labels.toml); publication.yaml's `kinds` adds its own."""

RELEASE = {
    "id": Spec(
        "iri",
        "Stable unique identifier, chosen once and never changed (a tag: URI is best). Feed "
        "readers match entries by it forever; it is never derived from the file name.",
        "tag:press.example.org,2017-01-25:mexico-defenders",
        required=True,
    ),
    "kind": Spec(
        "enum",
        "What the document is, printed as its label in the release's language: "
        + ", ".join(KINDS) + ", or one of publication.yaml's `kinds`.",
        "press-release",
        choices=KINDS,
        default="press-release",
    ),
    "headline": Spec("line", "The headline, on one line.", "UN expert urges action", required=True),
    "summary": Spec(
        "text",
        "The standfirst: the lead paragraph, printed set apart before the body.",
        "25 January 2017 – A United Nations rights expert expressed concern today ...",
        required=True,
    ),
    "highlights": Spec(
        "list",
        "Key points, 2 to 6 of one line each, printed as a list under the standfirst in every "
        "format. The feeds' summary stays the standfirst (`summary` is required); the key "
        "points are in the entry's content with the rest of the release.",
        ["Defenders are killed with impunity.", "The expert visited five states."],
        printed=True,
        typeset=True,
        min_items=2,
        max_items=6,
    ),
    "published": Spec(
        "datetime",
        "First publication: a date (read as 12:00 in the publication's time zone) or an ISO "
        "8601 date-time with a zone offset. For archive imports, a year (2014) or a month "
        "(2014-10) alone is printed as such and dated its first instant (00:00 on 1 January "
        "or on the 1st, in the publication's time zone) in feeds and metadata. Every date "
        "lies in the years 1000 to 9998, as written and in UTC, and a zone offset is whole "
        "minutes.",
        "2017-01-25T10:00:00+01:00",
        required=True,
        partial=True,
    ),
    "updated": Spec(
        "datetime",
        "Last significant change, same forms as `published`; defaults to `published`.",
        "2017-01-26",
    ),
    "language": Spec("language", "BCP 47 language tag of the text.", "en", required=True),
    "publisher": Spec(
        "line", "Who publishes the release; defaults to the publication's name.", "UN News",
        inherit="name",
    ),
    "byline": Spec("line", "Author, when the release names one.", "Michel Forst"),
    "dateline": Spec(
        "object",
        "Dateline printed before the lead, as the genre does: place, optional agency, the "
        "published date unless `date: false`, and the dash ('GENEVA (25 January 2017) –', "
        "'Ginebra (CICR) –', 'NAIROBI –'); its form follows the release's language.",
        {"place": "GENEVA / MEXICO CITY"},
        fields={
            "place": Spec("line", "Place(s), as printed (often in capitals).", "GENEVA",
                          required=True),
            "agency": Spec("line", "The agency that files it, printed in brackets after the "
                           "place.", "ICRC"),
            "date": Spec("flag", "Whether the published date is part of the dateline "
                         "(default true); false prints it on its own line instead.", False,
                         default=True, attr="dated"),
        },
        model=Dateline,
    ),
    "based_on": Spec(
        "object",
        "The document this release reports on.",
        {"publisher": "Office of the UN High Commissioner for Human Rights (OHCHR)"},
        fields={
            "publisher": Spec("line", "Its publisher.", "OHCHR", required=True),
            "kind": Spec("line", "What it is.", "news release"),
            "title": Spec("line", "Its title.", "Mexico: impunity ..."),
            "url": Spec("url", "Its web address.", "https://www.ohchr.org/"),
        },
        model=Reference,
    ),
    "people": Spec("list", "People the release is about.", ["Michel Forst"]),
    "places": Spec("list", "Places the release is about.", ["Mexico"]),
    "keywords": Spec("list", "Keywords; feeds carry them as categories.", ["human rights"]),
    "contacts": Spec(
        "objects",
        "Media contacts; defaults to the publication's contacts.",
        [{"name": "Rolando Gómez", "email": "media@example.org"}],
        fields=CONTACT,
        one_of=("name", "organization", "role"),
        model=Contact,
        inherit="contacts",
    ),
    "boilerplate": Spec(
        "list",
        "Keys of boilerplate paragraphs from publication.yaml, printed after the body.",
        ["special-procedures"],
    ),
    "about": Spec(
        "text",
        "A paragraph about the organization or programme (Markdown), printed after the "
        "boilerplate, e.g. '**About the ICRC** The International Committee ...'.",
        "**About the ICRC** The ICRC is an independent, neutral organization.",
        markdown=True,
    ),
    "status": Spec(
        "enum",
        "published (the default); draft: built only with `--drafts` (make DRAFTS=1), "
        "watermarked, into held/ beside dist/, never public; withdrawn: removed from every public "
        "output, feeds keep a tombstone (RFC 6721) so readers drop it.",
        "published",
        choices=("draft", "published", "withdrawn"),
        default="published",
        model=Status,
    ),
    "embargo_until": Spec(
        "datetime",
        "End of the embargo: a date-time with its zone. Until then the release is left out of "
        "every public output; its PDF and EPUB go to held/, beside dist/, with an EMBARGOED "
        "banner.",
        "2017-01-25T09:00:00Z",
    ),
    "withdrawn": Spec(
        "object",
        "When and why the release was withdrawn (with `status: withdrawn`).",
        {"date": "2017-01-27T09:00:00Z", "reason": "Published in error."},
        fields={
            "date": Spec("datetime", "When it was withdrawn.", "2017-01-27T09:00:00Z",
                         required=True),
            "reason": Spec("text", "Why, for the feeds' tombstone.", "Published in error."),
        },
        model=Withdrawal,
        attr="withdrawal",
    ),
    "corrections": Spec(
        "objects",
        "Dated corrections, printed as 'Corrected on <date>: <text>' in every format; the id "
        "never changes and `updated` moves to the latest one.",
        [{"date": "2017-01-26", "text": "An earlier version gave the wrong number of states."}],
        fields={
            "date": Spec("datetime", "When the correction was made.", "2017-01-26",
                         required=True),
            "text": Spec("text", "What was corrected.", "An earlier version misspelt a name.",
                         required=True),
        },
        model=Correction,
    ),
    "updates": Spec(
        "objects",
        "Dated updates (new facts added, not errors put right: those are `corrections`), "
        "printed as 'Updated on <date>: <text>' under the headline in every format; the id and "
        "`published` never change and `updated` moves to the latest one.",
        [{"date": "2017-01-27", "text": "Adds the Government's reply."}],
        fields={
            "date": Spec("datetime", "When the release was updated.", "2017-01-27",
                         required=True),
            "text": Spec("text", "What was added or changed.", "Adds the Government's reply.",
                         required=True),
        },
        model=Update,
    ),
    "notes": Spec(
        "text",
        "Notes to editors (Markdown), printed after the end mark.",
        "The full statement is available on request.",
        markdown=True,
    ),
    "notes_heading": Spec(
        "line",
        "Heading of the notes, e.g. 'Background' or 'About the ICRC', instead of 'Notes to "
        "editors' (in the release's language); defaults to the publication's.",
        "Background",
        inherit="notes_heading",
    ),
    "end_mark": Spec(
        "line", "End mark printed after the body, e.g. 'ENDS' or '###'; overrides the "
        "publication's; '' for none.", "ENDS", inherit="end_mark", typeset=False,
    ),
    "related": Spec("objects", "Related links, printed after the release.",
                    [{"title": "Country visit to Mexico", "url": "https://www.ohchr.org/"}],
                    fields=LINK, model=Link),
    "symbol": Spec("line", "Document symbol, e.g. a UN press release number.", "SG/SM/19057",
                   typeset=False),
    "translation_group": Spec(
        "line",
        "Key shared by a release and its translations; the versions link to each other "
        "(hreflang, a language switcher, schema.org workTranslation).",
        "2017-01-25-mexico-defenders",
        printed=False,
    ),
    "image": Spec(
        "object",
        "One figure: a photo or chart stored under source/, with its text alternative. It is "
        f"scaled to at most {MAX_EDGE} px and stripped of EXIF/GPS, XMP and ICC data before "
        "publishing; an SVG with script, event handlers or outside references is refused.",
        {"src": "images/forst.jpg", "alt": "Michel Forst at a press conference"},
        fields=FIGURE,
        model=Figure,
    ),
}

# The publication's own texts are printed as written (typeset=False): they reach the index
# pages, digests, packs and feeds straight from the Publication, not through a release.
PUBLICATION = {
    "name": Spec("line", "Publisher name, printed on the letterhead.", "UN News", required=True,
                 typeset=False),
    "short_name": Spec("line", "Short name for tight places.", "UN News", required=True,
                       typeset=False),
    "base_url": Spec(
        "base",
        "Absolute URL where the contents of dist/ are published, ending with '/'; every "
        "page's address is made by adding its path, so it has no user:password@, query "
        "(?...) or #fragment.",
        "https://press.example.org/",
        required=True,
    ),
    "feed": Spec(
        "object",
        "Identity of the Atom and RSS feeds.",
        {"id": "tag:press.example.org,2017:feed", "title": "UN News releases"},
        required=True,
        fields={
            "id": Spec("iri", "Feed id; never changes.", "tag:press.example.org,2017:feed",
                       required=True),
            "title": Spec("line", "Feed title.", "UN News releases", required=True,
                          typeset=False),
            "subtitle": Spec("line", "Feed subtitle.", "Releases of UN News", typeset=False),
            "size": Spec("count", "Entries per feed and per index page (default 50); older "
                         "entries move to archive pages (RFC 5005).", 50, default=50),
        },
        model=FeedSettings,
    ),
    "language": Spec("language", "Default language of the publication.", "en", required=True),
    "timezone": Spec(
        "timezone",
        "IANA time zone of the press office, as Area/City (or UTC); reads dates given without "
        "a time. An old alias of a zone (US/Eastern, Asia/Calcutta) is read as the zone it "
        "stands for; abbreviations (EST, CET), countries (Japan), fixed offsets (Etc/GMT+5) "
        "and the machine's own setting (localtime) are refused.",
        "America/New_York",
        required=True,
    ),
    "paper": Spec("enum", "Paper size of PDF briefs.", "a4", choices=("a4", "letter"),
                  default="a4", model=Paper),
    "logo": Spec("line", "Logo image under source/, printed on the letterhead.", "logo.svg",
                 printed=False),
    "email": Spec("email", "The press office's e-mail address: the sender (From) of the "
                  "e-mail edition (default: the first contact's address; with none, the "
                  "messages have no From and the office's mailer must add it).",
                  "press@example.org"),
    "end_mark": Spec("line", "End mark printed after every release's body, e.g. 'ENDS' or "
                     "'###' (default: none).", "ENDS", typeset=False),
    "notes_heading": Spec("line", "Heading of every release's notes, e.g. 'Background', "
                          "instead of 'Notes to editors' (default: the catalogue's, in each "
                          "release's language).", "Background", typeset=False),
    "contacts": Spec(
        "objects", "Default media contacts.", [{"name": "Press office"}], fields=CONTACT,
        one_of=("name", "organization", "role"), model=Contact,
    ),
    "boilerplate": Spec(
        "mapping",
        "Reusable paragraphs (Markdown) by key.",
        {"special-procedures": "Special Rapporteurs and independent experts are ..."},
        markdown=True,
    ),
    "kinds": Spec(
        "objects",
        "Kinds of document of the office's own, besides the built-in ones (" + ", ".join(KINDS)
        + "): a release's `kind` may then name one.",
        [{"key": "op-ed", "label": "OP-ED", "labels": {"fr": "TRIBUNE"}}],
        fields={
            "key": Spec("line", "What a release's `kind` says: lowercase words and hyphens.",
                        "op-ed", required=True, printed=False),
            "label": Spec("line", "The label printed above the headline, in the "
                          "publication's language.", "OP-ED", required=True, typeset=False),
            "labels": Spec("mapping", "The label in other languages, by language tag.",
                           {"fr": "TRIBUNE"}, typeset=False),
        },
        model=OwnKind,
    ),
}


def release_fields(kinds: tuple[str, ...] = ()) -> dict[str, Spec]:
    """The release table, with a publication's own kinds among `kind`'s choices."""
    extra = tuple(key for key in kinds if key not in KINDS)
    if not extra:
        return RELEASE
    return {**RELEASE, "kind": dataclasses.replace(RELEASE["kind"], choices=KINDS + extra)}
