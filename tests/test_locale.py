"""Dates, labels, quotation marks and French spacing in every language pressroom prints."""

from __future__ import annotations

import string
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest
from babel import Locale
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markupsafe import Markup

from pressroom.text.locale import (
    _CATALOGUE,
    _PLURALS,
    NBSP,
    NNBSP,
    QUOTES,
    SUPPORTED,
    babel_locale,
    base,
    count_label,
    format_date,
    format_month,
    format_time,
    french_spacing,
    label,
    language_name,
    page_content,
)

JAN_25 = datetime(2017, 1, 25, 10, 0, tzinfo=UTC)
NEW_YORK = timezone(timedelta(hours=-5))
DELHI = timezone(timedelta(hours=5, minutes=30))
UN_SIX = ("ar", "zh", "en", "fr", "ru", "es")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# Dates


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "25 January 2017"),
    ("fr", "25 janvier 2017"),
    ("es", "25 de enero de 2017"),
    ("ru", f"25 января 2017{NNBSP}г."),  # CLDR binds 'г.' to the year: U+202F, not a space
    ("ar", "25 يناير 2017"),
    ("zh", "2017年1月25日"),
    ("zh-Hans", "2017年1月25日"),
    ("pt", "25 de janeiro de 2017"),
    ("sw", "25 Januari 2017"),
    ("hi", "25 जनवरी 2017"),
    ("ar-EG", "25 يناير 2017"),  # CLDR's ar-EG numbering system is 'arab': digits stay Latin
    ("fr-CH", "25 janvier 2017"),
    ("en-GB", "25 January 2017"),
])
def test_dates_as_domain_gives_them(language: str, expected: str) -> None:
    assert format_date(JAN_25, language) == expected


def test_french_first_of_the_month_is_premier() -> None:
    assert format_date(datetime(2017, 1, 1), "fr") == "1er janvier 2017"
    assert format_date(datetime(2017, 1, 11), "fr") == "11 janvier 2017"
    assert format_date(datetime(2017, 1, 1), "es") == "1 de enero de 2017"


@pytest.mark.parametrize(("moment", "expected"), [
    (JAN_25, "25 January 2017, 10:00 GMT"),
    (datetime(2017, 1, 25, 5, 0, tzinfo=NEW_YORK),
     "25 January 2017, 05:00 UTC-05:00 (10:00 GMT)"),
    (datetime(2017, 1, 1, 9, 30, tzinfo=DELHI), "1 January 2017, 09:30 UTC+05:30 (04:00 GMT)"),
    (datetime(2017, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=14))),
     "31 December 2017, 23:59 UTC+14:00 (09:59 GMT)"),
    (datetime(2017, 1, 25, 10, 0), "25 January 2017, 10:00 GMT"),
])
def test_english_time_is_pressrooms_established_text(moment: datetime, expected: str) -> None:
    assert format_time(moment, "en") == expected


@pytest.mark.parametrize(("language", "moment", "expected"), [
    ("en", JAN_25, "25 January 2017, 10:00 GMT"),
    ("en", datetime(2017, 1, 25, 5, 0, tzinfo=NEW_YORK),
     "25 January 2017, 05:00 UTC-05:00 (10:00 GMT)"),
    ("fr", JAN_25, "25 janvier 2017, 10:00 UTC"),
    ("es", JAN_25, "25 de enero de 2017, 10:00 GMT"),
    ("ru", JAN_25, f"25 января 2017{NNBSP}г., 10:00 GMT"),
    ("ar", JAN_25, "25 يناير 2017، 10:00 غرينتش"),
    ("zh", JAN_25, "2017年1月25日 10:00 GMT"),
    ("zh", datetime(2017, 1, 25, 5, 0, tzinfo=NEW_YORK),
     "2017年1月25日 05:00 UTC-05:00（10:00 GMT）"),
    ("ar", datetime(2017, 1, 25, 5, 0, tzinfo=NEW_YORK),
     "25 يناير 2017، 05:00 التوقيت العالمي -05:00 (10:00 غرينتش)"),
])
def test_embargo_times(language: str, moment: datetime, expected: str) -> None:
    assert format_time(moment, language) == expected


def test_embargo_banner_in_every_language_names_the_time() -> None:
    for language in SUPPORTED:
        banner = label("embargoed_until", language, time=format_time(JAN_25, language))
        assert "10:00" in banner and "2017" in banner


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "January 2017"),
    ("fr", "janvier 2017"),
    ("es", "enero de 2017"),
    ("ru", f"январь 2017{NNBSP}г."),
    ("ar", "يناير 2017"),
    ("zh", "2017年1月"),
    ("pt", "janeiro de 2017"),
])
def test_month_names(language: str, expected: str) -> None:
    assert format_month("2017-01", language) == expected


def test_english_months_are_pressrooms_established_text() -> None:
    names = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
    for month, name in enumerate(names, start=1):
        assert format_month(f"2017-{month:02d}", "en") == f"{name} 2017"


def test_digits_are_latin_in_every_language() -> None:
    arabic_indic = set("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९")
    for language in (*SUPPORTED, "ar-EG", "ar-SA", "fa", "ur-IN", "hi-IN"):
        moment = datetime(2017, 1, 25, 5, 0, tzinfo=NEW_YORK)
        for text in (format_date(moment, language), format_time(moment, language),
                     format_month("2017-01", language),
                     count_label("releases_count", 1234, language)):
            assert not arabic_indic & set(text), (language, text)


# Language tags


@pytest.mark.parametrize(("tag", "key", "cldr"), [
    ("en", "en", "en_GB"),
    ("en-GB", "en", "en_GB"),
    ("en-US", "en", "en_US"),
    ("fr", "fr", "fr"),
    ("fr-CA", "fr", "fr_CA"),
    ("fr-CH", "fr", "fr_CH"),
    ("fr_ch", "fr", "fr_CH"),
    ("FR-xx", "fr", "fr"),
    ("es-419", "es", "es_419"),
    ("ru", "ru", "ru"),
    ("ar", "ar", "ar"),
    ("ar-EG", "ar", "ar_EG"),
    ("zh", "zh", "zh_Hans"),
    ("zh-Hans", "zh", "zh_Hans"),
    ("zh-CN", "zh", "zh_Hans_CN"),
    ("zh-Hans-CN", "zh", "zh_Hans_CN"),
    ("zh-SG", "zh", "zh_Hans_SG"),
    ("zh-Hant", "en", "zh_Hant"),  # Traditional: no catalogue yet, labels in English
    ("zh-TW", "en", "zh_Hant_TW"),
    ("zh-HK", "en", "zh_Hant_HK"),
    ("pt-BR", "pt", "pt_BR"),
    ("sw-KE", "sw", "sw_KE"),
    ("de", "en", "de"),  # no catalogue: English labels, German dates
    ("en-GB-u-ca-gregory", "en", "en_GB"),
    ("x-unknown", "en", "en_GB"),
    ("", "en", "en_GB"),
])
def test_language_tags(tag: str, key: str, cldr: str) -> None:
    assert base(tag) == key
    assert babel_locale(tag) == cldr


@pytest.mark.parametrize(("tag", "name"), [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("fr-CA", "Français"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("zh", "中文"),
    ("zh-Hans", "中文"),
    ("pt", "Português"),
    ("sw", "Kiswahili"),
    ("hi", "हिन्दी"),
    ("ur", "اردو"),
    ("qq", "qq"),
])
def test_autonyms(tag: str, name: str) -> None:
    assert language_name(tag) == name


# The catalogue


def test_supported_languages() -> None:
    assert set(UN_SIX) <= set(SUPPORTED)
    assert set(_CATALOGUE) == set(SUPPORTED) == set(_PLURALS) == set(QUOTES)


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_key_translated_with_its_placeholders(language: str) -> None:
    english = _CATALOGUE["en"]
    assert set(_CATALOGUE[language]) == set(english)
    for key, text in _CATALOGUE[language].items():
        assert fields(text) == fields(english[key]), (language, key)
        if key not in ("page_after", "comma") and not key.startswith("page_"):
            assert text.strip(), (language, key)


@pytest.mark.parametrize("language", SUPPORTED)
def test_plural_forms_cover_cldr_categories(language: str) -> None:
    categories = Locale.parse(babel_locale(language)).plural_form.tags | {"other"}
    for key, forms in _PLURALS[language].items():
        assert set(forms) == categories, (language, key)
        assert fields(forms["other"]) == {"count"}
        assert all(fields(text) <= {"count"} for text in forms.values())
    assert set(_PLURALS[language]) == set(_PLURALS["en"])


def test_catalogue_needs_no_html_escaping() -> None:
    """Straight quotes, apostrophes and angle brackets would turn into entities in Markup."""
    for language, table in _CATALOGUE.items():
        for key, text in table.items():
            assert not set(text) & set("'\"<>&"), (language, key)


def test_french_catalogue_is_typeset() -> None:
    for key, text in _CATALOGUE["fr"].items():
        assert french_spacing(text) == text, key


@pytest.mark.parametrize(("kind", "language", "expected"), [
    ("press-release", "en", "PRESS RELEASE"),
    ("press-release", "fr", "COMMUNIQUÉ DE PRESSE"),
    ("press-release", "es", "COMUNICADO DE PRENSA"),
    ("press-release", "ru", "ПРЕСС-РЕЛИЗ"),
    ("press-release", "ar", "بيان صحفي"),
    ("press-release", "zh", "新闻稿"),
    ("news-story", "en", "NEWS STORY"),
    ("news-story", "fr", "ACTUALITÉ"),
    ("news-story", "es", "NOTICIA"),
])
def test_kind_labels(kind: str, language: str, expected: str) -> None:
    assert label(kind, language) == expected


def test_every_built_in_kind_is_labelled_in_every_language() -> None:
    from pressroom.load.fields import KINDS
    from pressroom.text.locale import SUPPORTED

    for language in SUPPORTED:
        for kind in KINDS:
            assert label(kind, language) not in ("", kind), (language, kind)


def test_english_labels_match_what_pressroom_prints_today() -> None:
    from pressroom.load.fields import KINDS
    from pressroom.plan.visibility import DRAFT_BANNER

    for kind in KINDS:  # every built-in kind, in capitals as its name says
        assert label(kind, "en") == kind.replace("-", " ").upper()
    assert label("draft", "en") == DRAFT_BANNER
    assert label("embargoed_until", "en", time="25 January 2017, 10:00 GMT") \
        == "EMBARGOED UNTIL 25 January 2017, 10:00 GMT"
    # The English the templates and print.css print as of this catalogue (they may move to
    # label() since, so the text is spelled out here rather than read from them).
    assert [label(key, "en") for key in (
        "notes_to_editors", "media_contacts", "related", "online", "other_formats", "pdf_brief",
        "epub_ebook", "atom_feed", "rss_feed", "latest_releases", "older_releases", "archive",
        "subscribe", "all_releases", "briefing_pack", "contents")] == [
        "Notes to editors", "Media contacts", "Related", "Online:", "Other formats", "PDF brief",
        "EPUB e-book", "Atom feed", "RSS feed", "Latest releases", "Older releases", "Archive",
        "Subscribe:", "All releases", "Briefing pack", "Contents"]
    assert page_content("en") == '"Page " counter(page) " of " counter(pages)'


def test_label_fills_placeholders_and_falls_back() -> None:
    assert label("corrected_on", "fr-CA", date="2 février 2017") \
        == "Rectifié le 2 février 2017\u00a0:"
    assert label("qr_alt", "zh-CN", url="https://x.org/a") == "网址 https://x.org/a 的二维码"
    assert label("media_contacts", "de") == "Media contacts"
    assert label("media_contacts", "zh-Hant") == "Media contacts"
    with pytest.raises(KeyError):
        label("no-such-key", "en")
    with pytest.raises(KeyError):
        label("corrected_on", "en")  # a placeholder left unfilled


def test_label_keeps_markup_values_and_escapes_the_rest() -> None:
    title = Markup('<a href="https://x.org/">Report</a>')
    text = label("source_titled", "en", title=title, kind="report", publisher="A & B")
    assert isinstance(text, Markup)
    assert text == 'Source: “<a href="https://x.org/">Report</a>”, report, A &amp; B.'
    assert label("source", "en", kind="report", publisher="A & B") == "Source: report, A & B."
    assert label("source_titled", "zh", title="报告", kind="报告", publisher="联合国") \
        == "来源：《报告》，报告，联合国。"


@pytest.mark.parametrize(("language", "counts"), [
    ("en", {1: "1 release", 2: "2 releases", 0: "0 releases"}),
    ("fr", {0: "0 communiqué", 1: "1 communiqué", 2: "2 communiqués",
            1_000_000: f"1{NNBSP}000{NNBSP}000 de communiqués"}),
    ("ru", {1: "1 материал", 3: "3 материала", 5: "5 материалов", 21: "21 материал",
            11: "11 материалов"}),
    ("ar", {1: "بيان واحد", 2: "بيانان", 3: "3 بيانات", 11: "11 بيانًا", 100: "100 بيان"}),
    ("zh", {1: "1篇新闻稿", 12: "12篇新闻稿"}),
    ("de", {1: "1 release", 2: "2 releases"}),  # English text, English rules
])
def test_counts_agree_with_the_number(language: str, counts: dict[int, str]) -> None:
    for count, expected in counts.items():
        assert count_label("releases_count", count, language) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", '"Page " counter(page) " of " counter(pages)'),
    ("fr", '"Page " counter(page) " sur " counter(pages)'),
    ("zh", '"第" counter(page) "页，共" counter(pages) "页"'),
    ("ar", '"الصفحة " counter(page) " من " counter(pages)'),
])
def test_page_footer_css(language: str, expected: str) -> None:
    assert page_content(language) == expected


# French spacing


@pytest.mark.parametrize(("text", "expected"), [
    ("Quoi ?", f"Quoi{NNBSP}?"),
    ("Quoi?", f"Quoi{NNBSP}?"),
    (f"Quoi{NBSP}?", f"Quoi{NNBSP}?"),
    ("Quoi  ?", f"Quoi{NNBSP}?"),
    ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
    ("Attention !", f"Attention{NNBSP}!"),
    ("un ; deux", f"un{NNBSP}; deux"),
    ("Contacts : presse", f"Contacts{NBSP}: presse"),
    ("Contacts:", f"Contacts{NBSP}:"),
    ("« Bonjour »", f"«{NNBSP}Bonjour{NNBSP}»"),
    ("«Bonjour»", f"«{NNBSP}Bonjour{NNBSP}»"),
    ("« Quoi ? »", f"«{NNBSP}Quoi{NNBSP}?{NNBSP}»"),
    ("à 10:30 précises", "à 10:30 précises"),
    ("un rapport 3:1", "un rapport 3:1"),
    ("Voir http://x.org/a?b=1;c:d et mailto:presse@un.org",
     "Voir http://x.org/a?b=1;c:d et mailto:presse@un.org"),
    ("http://x", "http://x"),
    ("Écrivez à presse@un.org !", f"Écrivez à presse@un.org{NNBSP}!"),
    ("Voir www.un.org/fr : le site", f"Voir www.un.org/fr{NBSP}: le site"),
    ("«http://x.org»", f"«{NNBSP}http://x.org{NNBSP}»"),
    ("(?)", "(?)"),
    ("?", "?"),
    ("ligne\n: suite", "ligne\n: suite"),
    ("", ""),
])
def test_french_spacing(text: str, expected: str) -> None:
    assert french_spacing(text) == expected
    assert french_spacing(expected) == expected


@given(st.text(alphabet=f"ab1 :;!?«»()/.@\n{NBSP}{NNBSP}"))
def test_french_spacing_is_idempotent(text: str) -> None:
    once = french_spacing(text)
    assert french_spacing(once) == once
    spaces = str.maketrans("", "", f" {NBSP}{NNBSP}")
    assert once.translate(spaces) == text.translate(spaces)  # only spaces change


# Quotation marks through markdown-it


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "“a ‘b’ c”"),
    ("fr", f"«{NNBSP}a “b” c{NNBSP}»"),
    ("es", "“a ‘b’ c”"),
    ("ru", "«a „b“ c»"),
    ("ar", "«a “b” c»"),
    ("zh", "“a ‘b’ c”"),
])
def test_quotes_through_markdown_it(language: str, expected: str) -> None:
    md = MarkdownIt("commonmark", {"typographer": True, "quotes": QUOTES[language]})
    md.enable(["replacements", "smartquotes"])
    assert md.render("\"a 'b' c\" -- it's") == f"<p>{expected} – it’s</p>\n"


def test_quotes_are_four_strings_per_language() -> None:
    for language, quotes in QUOTES.items():
        assert len(quotes) == 4 and all(quotes), language


# Cost


def test_import_does_not_load_babel() -> None:
    code = ("import sys, pressroom.text.locale; "
            "print('babel' in sys.modules, 'markupsafe' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]
