"""What a reader sees in their language: dates (CLDR, via Babel), fixed labels, quotation marks.

A release's language is a BCP 47 tag from its front matter (`fr-CH`, `zh-Hans`, `ar`). Dates
follow CLDR for that tag; labels come from the catalogue in `labels.toml` (data, read once),
keyed by the tag's base language (`base`), and fall back to English for a language the
catalogue lacks. Babel is imported on first use, so importing this module costs nothing at
startup.

Numbers in dates and counts are Western digits in every language, as UN documents print them.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

LANGUAGE_TAG = re.compile(
    r"^[a-zA-Z]{2,3}(-[a-zA-Z]{3}){0,3}(-[a-zA-Z]{4})?(-(?:[a-zA-Z]{2}|[0-9]{3}))?"
    r"(-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*(-[0-9a-wyzA-WYZ](-[a-zA-Z0-9]{2,8})+)*"
    r"(-x(-[a-zA-Z0-9]{1,8})+)?$"
)
"""A well-formed BCP 47 language tag (RFC 5646 langtag production; grandfathered and
private-use only tags are not accepted as a release language)."""
SUPPORTED: tuple[str, ...] = ("en", "fr", "es", "ar", "zh", "ru", "pt", "sw", "hi", "ur")
"""The six UN official languages, then the four more UN News publishes in."""

_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})
_LATIN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९", "0123456789" * 3)

NBSP = "\u00a0"
"""No-break space: before the French colon (espace mot insécable)."""
NNBSP = "\u202f"
"""Narrow no-break space: before French ; ! ? and inside « » (espace fine insécable)."""


def _load() -> tuple[dict[str, tuple[str, str, str, str]], dict[str, dict[str, str]],
                     dict[str, dict[str, dict[str, str]]]]:
    """The quotation marks, labels and plural texts of `labels.toml`, beside this module."""
    text = (resources.files("pressroom.text") / "labels.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    quotes = {lang: (marks[0], marks[1], marks[2], marks[3])
              for lang, marks in data["quotes"].items()}
    return quotes, data["labels"], data["plurals"]


QUOTES, _CATALOGUE, _PLURALS = _load()
"""markdown-it's `quotes` option by base language (double open, double close, single open,
single close); the label catalogue by base language and key; the texts that agree with a
number, by base language, key and CLDR plural category. All from `labels.toml`, read once."""


def _parse(language: str) -> tuple[str, str, str]:
    """'zh-hans-cn' -> ('zh', 'Hans', 'CN'); variants and extensions are dropped."""
    parts = [p for p in language.strip().replace("_", "-").split("-") if p]
    if not parts:
        return "", "", ""
    lang, script, region = parts[0].lower(), "", ""
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha() and not script and not region:
            script = part.title()
        elif ((len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit())) \
                and not region:
            region = part.upper()
        else:
            break
    return lang, script, region


def _traditional(script: str, region: str) -> bool:
    return script == "Hant" or (not script and region in _TRADITIONAL_REGIONS)


def base(language: str) -> str:
    """The catalogue key of a BCP 47 tag: 'fr-CH' -> 'fr', 'zh-CN' -> 'zh', unknown -> 'en'.

    Chinese in Traditional characters (zh-Hant, zh-TW, zh-HK, zh-MO) gets English: the UN
    publishes Chinese in Simplified characters only, and Traditional labels need their own
    catalogue, reviewed by a Traditional-Chinese editor, not a character conversion.
    """
    lang, script, region = _parse(language)
    if lang == "zh" and _traditional(script, region):
        return "en"
    return lang if lang in SUPPORTED else "en"


@cache
def babel_locale(language: str) -> str:
    """The CLDR locale for dates: 'en' -> 'en_GB' (UN style), 'zh' -> 'zh_Hans', 'fr-CH' ->
    'fr_CH'; a region CLDR lacks is dropped, a language it lacks gives 'en_GB'."""
    from babel import localedata

    lang, script, region = _parse(language)
    if lang == "zh" and not script:
        script = "Hant" if region in _TRADITIONAL_REGIONS else "Hans"
    if lang == "en" and not region:
        region = "GB"
    for parts in ((lang, script, region), (lang, script), (lang,)):
        name = "_".join(p for p in parts if p)
        if name and localedata.exists(name):
            return name
    return "en_GB"


@cache
def _locale(language: str) -> Locale:
    from babel import Locale

    return Locale.parse(babel_locale(language))


def format_date(moment: date, language: str) -> str:
    """CLDR's long date: '25 January 2017', '1er janvier 2017', '2017年1月25日'."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return _format_date(day, language)


@cache
def _format_date(moment: date, language: str) -> str:
    """One Babel call per day and language (a build of 1000 releases has far fewer days)."""
    from babel import dates

    text = dates.format_date(moment, "long", locale=_locale(language)).translate(_LATIN_DIGITS)
    if moment.day == 1 and _parse(language)[0] == "fr" and text.startswith("1 "):
        text = "1er" + text[1:]
    return text


def format_time(moment: datetime, language: str) -> str:
    """Date, 24-hour time and zone, for the embargo banner: '25 January 2017, 10:00 GMT', or
    with an offset '25 January 2017, 05:00 UTC-05:00 (10:00 GMT)'; CLDR's words elsewhere."""
    from babel import dates

    locale = _locale(language)
    zones = locale.zone_formats
    glue = re.sub(r"'([^']*)'", r"\1", str(locale.datetime_formats["long"]))
    local = glue.replace("{1}", format_date(moment, language)).replace(
        "{0}", dates.format_skeleton("Hm", moment, locale=locale))
    gmt = str(zones["gmt"]).replace("%s", "").strip()
    offset = moment.utcoffset() or timedelta(0)
    if not offset:
        return f"{local} {gmt}".translate(_LATIN_DIGITS)
    minutes = abs(int(offset.total_seconds())) // 60
    sign = "+" if offset > timedelta(0) else "-"
    utc = str(zones.get("gmt_utc", "UTC%s")) % f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    gmt_time = dates.format_skeleton("Hm", moment.astimezone(UTC), locale=locale)
    text = str(zones["fallback"]) % {"1": f"{local} {utc}", "0": f"{gmt_time} {gmt}"}
    return text.translate(_LATIN_DIGITS)


def format_month(year_month: str, language: str) -> str:
    """'2017-01' -> 'January 2017', 'janvier 2017', 'январь 2017 г.', '2017年1月'."""
    from babel import dates

    year, month = (int(part) for part in year_month.split("-"))
    text = dates.format_skeleton("yMMMM", date(year, month, 1), locale=_locale(language))
    return text.translate(_LATIN_DIGITS)


def format_published(moment: datetime, precision: str, language: str) -> str:
    """A publication date as much as it was given: the long date ('25 January 2017'), or for
    an archive's year or month alone CLDR's year ('2014', '2014年') or year-month ('October
    2014', 'octobre 2014')."""
    if precision == "year":
        from babel import dates

        text = dates.format_skeleton("y", moment.date(), locale=_locale(language))
        return text.translate(_LATIN_DIGITS)
    if precision == "month":
        return format_month(f"{moment.year:04d}-{moment.month:02d}", language)
    return format_date(moment, language)


def label(key: str, language: str, **values: str) -> str:
    """The catalogue's text for `key` in the language, placeholders filled from `values`.

    An unknown key raises KeyError; a language without a catalogue gets English. A value with
    `__html__` (markupsafe's Markup) makes the result Markup: the text escaped, the value kept.
    """
    table = _CATALOGUE[base(language)]
    return _fill(table[key] if key in table else _CATALOGUE["en"][key], values)


def count_label(key: str, count: int, language: str, **values: str) -> str:
    """A catalogue text that agrees with a number ('1 release', '3 материала', 'بيانان'),
    chosen by the CLDR plural rules of the language; `{count}` is the number as printed."""
    from babel import numbers

    key_language = base(language)
    table = _PLURALS[key_language]
    forms = table[key] if key in table else _PLURALS["en"][key]
    locale = _locale(language if _parse(language)[0] == key_language else "en")
    category = locale.plural_form(count)
    printed = numbers.format_decimal(count, locale=locale).translate(_LATIN_DIGITS)
    return _fill(forms.get(category, forms["other"]), {**values, "count": printed})


def _fill(text: str, values: dict[str, str]) -> str:
    if any(hasattr(value, "__html__") for value in values.values()):
        from markupsafe import Markup, escape

        return Markup(escape(text)).format(**values)
    return text.format(**values)


def page_content(language: str) -> str:
    """The page footer's CSS `content`: '"Page " counter(page) " of " counter(pages)'."""
    parts = [label(f"page_{part}", language) for part in ("before", "middle", "after")]
    quoted = ['"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in parts]
    value = f"{quoted[0]} counter(page) {quoted[1]} counter(pages)"
    return value + (f" {quoted[2]}" if parts[2] else "")


@cache
def language_name(language: str) -> str:
    """The language's name in itself, for a language switcher: 'Español', 'العربية', '中文'.

    Only the language counts ('fr-CA' -> 'Français'); a tag CLDR does not know is returned
    as it is.
    """
    from babel import Locale, UnknownLocaleError

    lang = _parse(language)[0]
    if lang == "zh":
        return "中文"
    try:
        name = Locale.parse(lang).get_display_name() or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


_SPACES = " \u00a0\u2009\u202f"
_URL = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\b(?:mailto|tel|urn):|\bwww\.)"
                  r"(?:[^\s«»“”‘’]*[^\s«»“”‘’.,;:!?)\]])?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SIGN = re.compile(rf"(?P<space>[{_SPACES}]*)(?P<sign>[:;!?])"
                   rf"(?=$|[\s»”’)\]}}.,;:!?…\"'<])")
_OPEN = re.compile(rf"«[{_SPACES}]*(?=\S)")
_CLOSE = re.compile(rf"(?<=\S)[{_SPACES}]*»")


_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_PERCENT = re.compile(r"(?<=\d)[ \u00a0]%")


def french_spacing(text: str) -> str:
    """French spacing in plain text: U+00A0 before ':', U+202F before '; ! ?' and inside « ».

    That is the Imprimerie nationale's table for the punctuation, with a narrow space inside
    the guillemets so that justification never widens it. Any space already there is replaced;
    URLs, e-mail addresses, times ('10:30') and ratios ('3:1') are left alone (a sign counts
    only when a space, the end of the text or closing punctuation follows it). Idempotent.
    """
    urls = [match.span() for match in _URL.finditer(text)]

    def sign(match: re.Match[str]) -> str:
        at, before = match.start(), text[match.start() - 1] if match.start() else ""
        if any(start <= at < end for start, end in urls) or not before \
                or before in "\n\r\t([{«“‘\"'" or (not match.group("space") and before in "?!"):
            return match.group(0)
        return (NBSP if match.group("sign") == ":" else NNBSP) + match.group("sign")

    spaced = _SIGN.sub(sign, text)
    # URLs hold no guillemets (_URL stops before them), so these two need no URL check.
    spaced = _OPEN.sub("«" + NNBSP, spaced)
    spaced = _CLOSE.sub(NNBSP + "»", spaced)
    # Thousands: "240 000" and "12 %" are never broken across lines (a narrow no-break
    # space, as the Imprimerie nationale sets them); digits are not touched.
    spaced = _THOUSANDS.sub(NNBSP, spaced)
    return _PERCENT.sub(NNBSP + "%", spaced)
