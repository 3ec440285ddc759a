"""What a reader sees in their language: dates (CLDR, via Babel), fixed labels, quotation marks.

A release's language is a BCP 47 tag from its front matter (`fr-CH`, `zh-Hans`, `ar`). Dates
follow CLDR for that tag; labels come from the catalogue below, keyed by the tag's base
language (`base`), and fall back to English for a language the catalogue lacks. Babel is
imported on first use, so importing this module costs nothing at startup.

Numbers in dates and counts are Western digits in every language, as UN documents print them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
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

QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"),
    "fr": ("«" + NNBSP, NNBSP + "»", "“", "”"),
    "es": ("“", "”", "‘", "’"),
    "ar": ("«", "»", "“", "”"),
    "zh": ("“", "”", "‘", "’"),
    "ru": ("«", "»", "„", "“"),
    "pt": ("“", "”", "‘", "’"),
    "sw": ("“", "”", "‘", "’"),
    "hi": ("“", "”", "‘", "’"),
    "ur": ("“", "”", "‘", "’"),
}
"""markdown-it's `quotes` option by base language: double open, double close, single open,
single close. markdown-it inserts each entry whole, so French gets its narrow no-break spaces
with the guillemets. Spanish follows UN Spanish documents (“ ”) rather than the RAE's « »."""


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
    return _CLOSE.sub(NNBSP + "»", spaced)


# The catalogue. English is pressroom's own wording; every other language was written for
# pressroom in the style of a UN press office in that language, and is to be reviewed by
# that language's editors. French is typeset already (NBSP before ':', NNBSP before '; ! ?'
# and inside « »). Keys: the Kind values, then what the templates and renderers print.
_CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "press-release": "PRESS RELEASE",
        "news-story": "NEWS STORY",
        "dateline": "{place} ({date}) –",
        "corrected_on": "Corrected on {date}:",
        "notes_to_editors": "Notes to editors",
        "media_contacts": "Media contacts",
        "related": "Related",
        "source": "Source: {kind}, {publisher}.",
        "source_titled": "Source: “{title}”, {kind}, {publisher}.",
        "release_fallback_kind": "release",
        "qr_alt": "QR code of the web address {url}",
        "online": "Online:",
        "embargoed_until": "EMBARGOED UNTIL {time}",
        "draft": "DRAFT – NOT FOR PUBLICATION",
        "page_before": "Page ",
        "page_middle": " of ",
        "page_after": "",
        "also_in": "Also in:",
        "other_formats": "Other formats",
        "pdf_brief": "PDF brief",
        "epub_ebook": "EPUB e-book",
        "atom_feed": "Atom feed",
        "rss_feed": "RSS feed",
        "label_value": "{label}: {value}",
        "comma": ", ",
        "date_range": "{first} to {last}",
        "archive_page": "archive page {number}",
        "latest_releases": "Latest releases",
        "older_releases": "Older releases",
        "archive": "Archive",
        "subscribe": "Subscribe:",
        "all_releases": "All releases",
        "briefing_pack": "Briefing pack",
        "contents": "Contents",
        "a11y_summary": "Text only, with a logical reading order, headings for structural "
                        "navigation and a table of contents. It has no images, audio, video "
                        "or hazards; text can be resized and restyled.",
        "a11y_summary_images": "Text with a logical reading order, headings for structural "
                               "navigation and a table of contents. Every image has a text "
                               "alternative, and a caption where the publisher gave one. No "
                               "audio, video or hazards; text can be resized and restyled.",
    },
    "fr": {
        "press-release": "COMMUNIQUÉ DE PRESSE",
        "news-story": "ACTUALITÉ",
        "dateline": "{place} ({date}) –",
        "corrected_on": "Rectifié le {date}\u00a0:",
        "notes_to_editors": "Notes aux rédactions",
        "media_contacts": "Contacts presse",
        "related": "Voir aussi",
        "source": "Source\u00a0: {kind}, {publisher}.",
        "source_titled": "Source\u00a0: «\u202f{title}\u202f», {kind}, {publisher}.",
        "release_fallback_kind": "communiqué",
        "qr_alt": "Code QR de l’adresse web {url}",
        "online": "En ligne\u00a0:",
        "embargoed_until": "SOUS EMBARGO JUSQU’AU {time}",
        "draft": "PROJET – NE PAS PUBLIER",
        "page_before": "Page ",
        "page_middle": " sur ",
        "page_after": "",
        "also_in": "Disponible aussi en\u00a0:",
        "other_formats": "Autres formats",
        "pdf_brief": "Version PDF",
        "epub_ebook": "Livre numérique EPUB",
        "atom_feed": "Flux Atom",
        "rss_feed": "Flux RSS",
        "label_value": "{label}\u00a0: {value}",
        "comma": ", ",
        "date_range": "du {first} au {last}",
        "archive_page": "archives, page {number}",
        "latest_releases": "Derniers communiqués",
        "older_releases": "Communiqués précédents",
        "archive": "Archives",
        "subscribe": "S’abonner\u00a0:",
        "all_releases": "Tous les communiqués",
        "briefing_pack": "Dossier d’information",
        "contents": "Sommaire",
        "a11y_summary": "Texte seul, avec un ordre de lecture logique, des titres pour la "
                        "navigation structurelle et une table des matières. Ni image, ni son, "
                        "ni vidéo, ni danger\u202f; le texte peut être agrandi et remis en "
                        "forme.",
        "a11y_summary_images": "Texte avec un ordre de lecture logique, des titres pour la "
                               "navigation structurelle et une table des matières. Chaque "
                               "image a une alternative textuelle, et une légende quand "
                               "l’éditeur en a fourni une. Ni son, ni vidéo, ni danger\u202f; "
                               "le texte peut être agrandi et remis en forme.",
    },
    "es": {
        "press-release": "COMUNICADO DE PRENSA",
        "news-story": "NOTICIA",
        "dateline": "{place} ({date}) –",
        "corrected_on": "Corregido el {date}:",
        "notes_to_editors": "Notas para los editores",
        "media_contacts": "Contactos de prensa",
        "related": "Enlaces relacionados",
        "source": "Fuente: {kind}, {publisher}.",
        "source_titled": "Fuente: “{title}”, {kind}, {publisher}.",
        "release_fallback_kind": "comunicado",
        "qr_alt": "Código QR de la dirección web {url}",
        "online": "En línea:",
        "embargoed_until": "BAJO EMBARGO HASTA EL {time}",
        "draft": "BORRADOR – NO PUBLICAR",
        "page_before": "Página ",
        "page_middle": " de ",
        "page_after": "",
        "also_in": "También en:",
        "other_formats": "Otros formatos",
        "pdf_brief": "Versión PDF",
        "epub_ebook": "Libro electrónico EPUB",
        "atom_feed": "Canal Atom",
        "rss_feed": "Canal RSS",
        "label_value": "{label}: {value}",
        "comma": ", ",
        "date_range": "del {first} al {last}",
        "archive_page": "archivo, página {number}",
        "latest_releases": "Últimos comunicados",
        "older_releases": "Comunicados anteriores",
        "archive": "Archivo",
        "subscribe": "Suscribirse:",
        "all_releases": "Todos los comunicados",
        "briefing_pack": "Carpeta informativa",
        "contents": "Índice",
        "a11y_summary": "Solo texto, con un orden de lectura lógico, encabezados para la "
                        "navegación estructural y un índice. No contiene imágenes, audio, "
                        "video ni riesgos; el texto puede ampliarse y cambiar de estilo.",
        "a11y_summary_images": "Texto con un orden de lectura lógico, encabezados para la "
                               "navegación estructural y un índice. Cada imagen tiene una "
                               "alternativa textual, y un pie de foto cuando el editor lo "
                               "proporcionó. No contiene audio, video ni riesgos; el texto "
                               "puede ampliarse y cambiar de estilo.",
    },
    "ar": {
        "press-release": "بيان صحفي",
        "news-story": "خبر",
        "dateline": "{place} ({date}) –",
        "corrected_on": "تصحيح بتاريخ {date}:",
        "notes_to_editors": "ملاحظات للمحررين",
        "media_contacts": "للاستفسارات الإعلامية",
        "related": "روابط ذات صلة",
        "source": "المصدر: {kind}، {publisher}.",
        "source_titled": "المصدر: «{title}»، {kind}، {publisher}.",
        "release_fallback_kind": "بيان",
        "qr_alt": "رمز QR لعنوان الويب {url}",
        "online": "على الإنترنت:",
        "embargoed_until": "محظور النشر قبل {time}",
        "draft": "مسودة – ليست للنشر",
        "page_before": "الصفحة ",
        "page_middle": " من ",
        "page_after": "",
        "also_in": "بلغات أخرى:",
        "other_formats": "صيغ أخرى",
        "pdf_brief": "نسخة PDF",
        "epub_ebook": "كتاب إلكتروني EPUB",
        "atom_feed": "موجز Atom",
        "rss_feed": "موجز RSS",
        "label_value": "{label}: {value}",
        "comma": "، ",
        "date_range": "من {first} إلى {last}",
        "archive_page": "الأرشيف، الصفحة {number}",
        "latest_releases": "أحدث البيانات",
        "older_releases": "بيانات أقدم",
        "archive": "الأرشيف",
        "subscribe": "اشترك:",
        "all_releases": "جميع البيانات",
        "briefing_pack": "ملف إحاطة",
        "contents": "المحتويات",
        "a11y_summary": "نص فقط، بترتيب قراءة منطقي وعناوين للتنقل في البنية وجدول "
                        "محتويات. لا يتضمن صورًا ولا صوتًا ولا فيديو ولا مخاطر؛ ويمكن تكبير "
                        "النص وتغيير تنسيقه.",
        "a11y_summary_images": "نص بترتيب قراءة منطقي وعناوين للتنقل في البنية وجدول "
                               "محتويات. لكل صورة بديل نصي، وتعليق إذا قدّمه الناشر. لا "
                               "يتضمن صوتًا ولا فيديو ولا مخاطر؛ ويمكن تكبير النص وتغيير "
                               "تنسيقه.",
    },
    "zh": {
        "press-release": "新闻稿",
        "news-story": "新闻",
        "dateline": "{place}（{date}）——",
        "corrected_on": "{date}更正：",
        "notes_to_editors": "编辑须知",
        "media_contacts": "媒体联系人",
        "related": "相关链接",
        "source": "来源：{kind}，{publisher}。",
        "source_titled": "来源：《{title}》，{kind}，{publisher}。",
        "release_fallback_kind": "新闻稿",
        "qr_alt": "网址 {url} 的二维码",
        "online": "网络版：",
        "embargoed_until": "禁止在{time}之前发布",
        "draft": "草稿——不得发布",
        "page_before": "第",
        "page_middle": "页，共",
        "page_after": "页",
        "also_in": "其他语言版本：",
        "other_formats": "其他格式",
        "pdf_brief": "PDF版",
        "epub_ebook": "EPUB电子书",
        "atom_feed": "Atom订阅源",
        "rss_feed": "RSS订阅源",
        "label_value": "{label}：{value}",
        "comma": "，",
        "date_range": "{first}至{last}",
        "archive_page": "存档第{number}页",
        "latest_releases": "最新新闻稿",
        "older_releases": "更早的新闻稿",
        "archive": "存档",
        "subscribe": "订阅：",
        "all_releases": "全部新闻稿",
        "briefing_pack": "简报资料",
        "contents": "目录",
        "a11y_summary": "纯文本，阅读顺序合乎逻辑，设有用于结构导航的标题和目录。"
                        "不含图像、音频、视频或危险内容；文字可放大并可更改样式。",
        "a11y_summary_images": "文本阅读顺序合乎逻辑，设有用于结构导航的标题和目录。"
                               "每幅图像均有替代文字，发布者提供说明的另附图片说明。"
                               "不含音频、视频或危险内容；文字可放大并可更改样式。",
    },
    "ru": {
        "press-release": "ПРЕСС-РЕЛИЗ",
        "news-story": "НОВОСТИ",
        "dateline": "{place} ({date}) —",
        "corrected_on": "Исправлено {date}:",
        "notes_to_editors": "Примечания для редакторов",
        "media_contacts": "Контакты для СМИ",
        "related": "См. также",
        "source": "Источник: {kind}, {publisher}.",
        "source_titled": "Источник: «{title}», {kind}, {publisher}.",
        "release_fallback_kind": "пресс-релиз",
        "qr_alt": "QR-код веб-адреса {url}",
        "online": "Веб-версия:",
        "embargoed_until": "ЭМБАРГО ДО {time}",
        "draft": "ПРОЕКТ — НЕ ДЛЯ ПУБЛИКАЦИИ",
        "page_before": "Страница ",
        "page_middle": " из ",
        "page_after": "",
        "also_in": "На других языках:",
        "other_formats": "Другие форматы",
        "pdf_brief": "Версия PDF",
        "epub_ebook": "Электронная книга EPUB",
        "atom_feed": "Лента Atom",
        "rss_feed": "Лента RSS",
        "label_value": "{label}: {value}",
        "comma": ", ",
        "date_range": "с {first} по {last}",
        "archive_page": "архив, страница {number}",
        "latest_releases": "Последние материалы",
        "older_releases": "Более ранние материалы",
        "archive": "Архив",
        "subscribe": "Подписаться:",
        "all_releases": "Все материалы",
        "briefing_pack": "Информационная подборка",
        "contents": "Содержание",
        "a11y_summary": "Только текст, с логичным порядком чтения, заголовками для навигации "
                        "по структуре и оглавлением. Без изображений, аудио, видео и опасного "
                        "содержимого; размер и оформление текста можно менять.",
        "a11y_summary_images": "Текст с логичным порядком чтения, заголовками для навигации "
                               "по структуре и оглавлением. У каждого изображения есть "
                               "текстовая альтернатива, а если издатель её дал, то и "
                               "подпись. Без аудио, видео и опасного содержимого; размер и "
                               "оформление текста можно менять.",
    },
    "pt": {
        "press-release": "COMUNICADO DE IMPRENSA",
        "news-story": "NOTÍCIA",
        "dateline": "{place} ({date}) –",
        "corrected_on": "Corrigido em {date}:",
        "notes_to_editors": "Notas aos editores",
        "media_contacts": "Contatos para a imprensa",
        "related": "Ver também",
        "source": "Fonte: {kind}, {publisher}.",
        "source_titled": "Fonte: “{title}”, {kind}, {publisher}.",
        "release_fallback_kind": "comunicado",
        "qr_alt": "Código QR do endereço web {url}",
        "online": "Na internet:",
        "embargoed_until": "SOB EMBARGO ATÉ {time}",
        "draft": "RASCUNHO – NÃO PUBLICAR",
        "page_before": "Página ",
        "page_middle": " de ",
        "page_after": "",
        "also_in": "Também em:",
        "other_formats": "Outros formatos",
        "pdf_brief": "Versão em PDF",
        "epub_ebook": "Livro digital EPUB",
        "atom_feed": "Feed Atom",
        "rss_feed": "Feed RSS",
        "label_value": "{label}: {value}",
        "comma": ", ",
        "date_range": "de {first} a {last}",
        "archive_page": "arquivo, página {number}",
        "latest_releases": "Últimos comunicados",
        "older_releases": "Comunicados anteriores",
        "archive": "Arquivo",
        "subscribe": "Assinar:",
        "all_releases": "Todos os comunicados",
        "briefing_pack": "Dossiê informativo",
        "contents": "Índice",
        "a11y_summary": "Somente texto, com ordem de leitura lógica, títulos para navegação "
                        "estrutural e índice. Sem imagens, áudio, vídeo ou riscos; o texto "
                        "pode ser ampliado e ter o estilo alterado.",
        "a11y_summary_images": "Texto com ordem de leitura lógica, títulos para navegação "
                               "estrutural e índice. Cada imagem tem uma alternativa em texto "
                               "e, quando o editor a forneceu, uma legenda. Sem áudio, vídeo "
                               "ou riscos; o texto pode ser ampliado e ter o estilo alterado.",
    },
    "sw": {
        "press-release": "TAARIFA KWA VYOMBO VYA HABARI",
        "news-story": "HABARI",
        "dateline": "{place} ({date}) –",
        "corrected_on": "Imesahihishwa tarehe {date}:",
        "notes_to_editors": "Maelezo kwa wahariri",
        "media_contacts": "Mawasiliano kwa vyombo vya habari",
        "related": "Viungo vinavyohusiana",
        "source": "Chanzo: {kind}, {publisher}.",
        "source_titled": "Chanzo: “{title}”, {kind}, {publisher}.",
        "release_fallback_kind": "taarifa",
        "qr_alt": "Msimbo wa QR wa anwani ya tovuti {url}",
        "online": "Mtandaoni:",
        "embargoed_until": "ISICHAPISHWE KABLA YA {time}",
        "draft": "RASIMU – ISICHAPISHWE",
        "page_before": "Ukurasa ",
        "page_middle": " kati ya ",
        "page_after": "",
        "also_in": "Lugha nyingine:",
        "other_formats": "Miundo mingine",
        "pdf_brief": "Toleo la PDF",
        "epub_ebook": "Kitabu pepe cha EPUB",
        "atom_feed": "Mlisho wa Atom",
        "rss_feed": "Mlisho wa RSS",
        "label_value": "{label}: {value}",
        "comma": ", ",
        "date_range": "{first} hadi {last}",
        "archive_page": "kumbukumbu, ukurasa {number}",
        "latest_releases": "Taarifa za hivi karibuni",
        "older_releases": "Taarifa za awali",
        "archive": "Kumbukumbu",
        "subscribe": "Jisajili:",
        "all_releases": "Taarifa zote",
        "briefing_pack": "Kifurushi cha taarifa",
        "contents": "Yaliyomo",
        "a11y_summary": "Maandishi pekee, yenye mpangilio wa usomaji unaoeleweka, vichwa vya "
                        "kuabiri muundo na jedwali la yaliyomo. Hakuna picha, sauti, video "
                        "wala hatari; maandishi yanaweza kukuzwa na kubadilishiwa mtindo.",
        "a11y_summary_images": "Maandishi yenye mpangilio wa usomaji unaoeleweka, vichwa vya "
                               "kuabiri muundo na jedwali la yaliyomo. Kila picha ina maelezo "
                               "mbadala ya maandishi, na maelezo ya picha pale mchapishaji "
                               "alipoyatoa. Hakuna sauti, video wala hatari; maandishi "
                               "yanaweza kukuzwa na kubadilishiwa mtindo.",
    },
    "hi": {
        "press-release": "प्रेस विज्ञप्ति",
        "news-story": "समाचार",
        "dateline": "{place} ({date}) –",
        "corrected_on": "{date} को संशोधित:",
        "notes_to_editors": "संपादकों के लिए टिप्पणियाँ",
        "media_contacts": "मीडिया संपर्क",
        "related": "संबंधित लिंक",
        "source": "स्रोत: {kind}, {publisher}।",
        "source_titled": "स्रोत: “{title}”, {kind}, {publisher}।",
        "release_fallback_kind": "विज्ञप्ति",
        "qr_alt": "वेब पते {url} का QR कोड",
        "online": "ऑनलाइन:",
        "embargoed_until": "{time} से पहले प्रकाशित न करें",
        "draft": "मसौदा – प्रकाशन के लिए नहीं",
        "page_before": "पृष्ठ ",
        "page_middle": " (कुल ",
        "page_after": ")",
        "also_in": "अन्य भाषाओं में:",
        "other_formats": "अन्य प्रारूप",
        "pdf_brief": "PDF संस्करण",
        "epub_ebook": "EPUB ई-पुस्तक",
        "atom_feed": "Atom फ़ीड",
        "rss_feed": "RSS फ़ीड",
        "label_value": "{label}: {value}",
        "comma": ", ",
        "date_range": "{first} से {last} तक",
        "archive_page": "संग्रह, पृष्ठ {number}",
        "latest_releases": "नवीनतम विज्ञप्तियाँ",
        "older_releases": "पुरानी विज्ञप्तियाँ",
        "archive": "संग्रह",
        "subscribe": "सदस्यता लें:",
        "all_releases": "सभी विज्ञप्तियाँ",
        "briefing_pack": "ब्रीफ़िंग सामग्री",
        "contents": "विषय-सूची",
        "a11y_summary": "केवल पाठ, तार्किक पठन क्रम, संरचनात्मक नेविगेशन के लिए शीर्षकों और "
                        "विषय-सूची के साथ। इसमें कोई चित्र, ऑडियो, वीडियो या जोखिम नहीं है; "
                        "पाठ का आकार और शैली बदली जा सकती है।",
        "a11y_summary_images": "तार्किक पठन क्रम, संरचनात्मक नेविगेशन के लिए शीर्षकों और "
                               "विषय-सूची के साथ पाठ। हर चित्र का पाठ विकल्प है, और जहाँ "
                               "प्रकाशक ने दिया है वहाँ कैप्शन भी। इसमें कोई ऑडियो, वीडियो "
                               "या जोखिम नहीं है; पाठ का आकार और शैली बदली जा सकती है।",
    },
    "ur": {
        "press-release": "پریس ریلیز",
        "news-story": "خبر",
        "dateline": "{place} ({date}) –",
        "corrected_on": "تصحیح بتاریخ {date}:",
        "notes_to_editors": "مدیران کے لیے نوٹ",
        "media_contacts": "میڈیا سے رابطہ",
        "related": "متعلقہ روابط",
        "source": "ماخذ: {kind}، {publisher}۔",
        "source_titled": "ماخذ: “{title}”، {kind}، {publisher}۔",
        "release_fallback_kind": "ریلیز",
        "qr_alt": "ویب پتے {url} کا QR کوڈ",
        "online": "آن لائن:",
        "embargoed_until": "{time} سے پہلے شائع نہ کریں",
        "draft": "مسودہ – اشاعت کے لیے نہیں",
        "page_before": "صفحہ ",
        "page_middle": " از ",
        "page_after": "",
        "also_in": "دیگر زبانوں میں:",
        "other_formats": "دیگر فارمیٹ",
        "pdf_brief": "PDF نسخہ",
        "epub_ebook": "EPUB ای بک",
        "atom_feed": "Atom فیڈ",
        "rss_feed": "RSS فیڈ",
        "label_value": "{label}: {value}",
        "comma": "، ",
        "date_range": "{first} سے {last} تک",
        "archive_page": "آرکائیو، صفحہ {number}",
        "latest_releases": "تازہ ترین ریلیز",
        "older_releases": "پرانی ریلیز",
        "archive": "آرکائیو",
        "subscribe": "سبسکرائب کریں:",
        "all_releases": "تمام ریلیز",
        "briefing_pack": "بریفنگ مواد",
        "contents": "فہرست",
        "a11y_summary": "صرف متن، منطقی ترتیبِ مطالعہ، ساختی نیویگیشن کے لیے سرخیوں اور فہرست "
                        "کے ساتھ۔ اس میں کوئی تصویر، آڈیو، ویڈیو یا خطرہ نہیں؛ متن کو بڑا کیا "
                        "اور اس کا انداز بدلا جا سکتا ہے۔",
        "a11y_summary_images": "منطقی ترتیبِ مطالعہ، ساختی نیویگیشن کے لیے سرخیوں اور فہرست "
                               "کے ساتھ متن۔ ہر تصویر کا متبادل متن ہے، اور جہاں ناشر نے دیا "
                               "ہو وہاں کیپشن بھی۔ اس میں کوئی آڈیو، ویڈیو یا خطرہ نہیں؛ متن "
                               "کو بڑا کیا اور اس کا انداز بدلا جا سکتا ہے۔",
    },
}

# Texts that agree with a number, by CLDR plural category ('other' always present; a
# category CLDR has for the language but the entry lacks falls back to 'other').
_PLURALS: dict[str, dict[str, dict[str, str]]] = {
    "en": {"releases_count": {"one": "{count} release", "other": "{count} releases"}},
    "fr": {"releases_count": {"one": "{count} communiqué", "many": "{count} de communiqués",
                              "other": "{count} communiqués"}},
    "es": {"releases_count": {"one": "{count} comunicado", "many": "{count} de comunicados",
                              "other": "{count} comunicados"}},
    "ar": {"releases_count": {"zero": "{count} بيان", "one": "بيان واحد", "two": "بيانان",
                              "few": "{count} بيانات", "many": "{count} بيانًا",
                              "other": "{count} بيان"}},
    "zh": {"releases_count": {"other": "{count}篇新闻稿"}},
    "ru": {"releases_count": {"one": "{count} материал", "few": "{count} материала",
                              "many": "{count} материалов", "other": "{count} материала"}},
    "pt": {"releases_count": {"one": "{count} comunicado", "many": "{count} de comunicados",
                              "other": "{count} comunicados"}},
    "sw": {"releases_count": {"one": "taarifa {count}", "other": "taarifa {count}"}},
    "hi": {"releases_count": {"one": "{count} विज्ञप्ति", "other": "{count} विज्ञप्तियाँ"}},
    "ur": {"releases_count": {"one": "{count} ریلیز", "other": "{count} ریلیز"}},
}
