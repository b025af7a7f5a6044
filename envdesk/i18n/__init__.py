"""Translation and locale-aware formatting: `_`, `N_`, the run-time language switch, document languages."""

from __future__ import annotations

import gettext
import threading
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from envdesk import paths

DOMAIN = "envdesk"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
# Documents may also be printed with every label in both languages.
DOCUMENT_LANGUAGES = ("zh_CN", "en", "bilingual")

_lock = threading.Lock()
_cache: dict[str, gettext.NullTranslations] = {}
_current = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


# The document languages as menus offer them (translated where shown).
DOCUMENT_LANGUAGE_LABELS = {
    "zh_CN": N_("In Chinese"),
    "en": N_("In English"),
    "bilingual": N_("Bilingual (Chinese and English)"),
}


def normalize_language(code: str | None) -> str:
    """Map what people type ('zh', 'zh-CN', 'en_US', 'EN') to one of LANGUAGES."""
    if not code:
        return DEFAULT_LANGUAGE
    low = code.replace("-", "_").lower()
    if low.startswith("zh"):
        return "zh_CN"
    if low.startswith("en"):
        return "en"
    raise ValueError(code)


def _load(language: str) -> gettext.NullTranslations:
    with _lock:
        cached = _cache.get(language)
        if cached is not None:
            return cached
        translations: gettext.NullTranslations
        try:
            folder = paths.translations_dir() / language / "LC_MESSAGES"
        except FileNotFoundError:
            folder = None
        mo = folder / f"{DOMAIN}.mo" if folder else None
        po = folder / f"{DOMAIN}.po" if folder else None
        if mo is not None and mo.exists() and not (po is not None and po.exists() and po.stat().st_mtime > mo.stat().st_mtime):
            with mo.open("rb") as f:
                translations = gettext.GNUTranslations(f)
        elif po is not None and po.exists():
            translations = _translations_from_po(po, language)
        else:
            translations = gettext.NullTranslations()
        _cache[language] = translations
        return translations


def _translations_from_po(po_path, language: str) -> gettext.NullTranslations:
    """A source checkout whose catalogs are not compiled yet still speaks its language."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations(language: str) -> gettext.NullTranslations:
    return _load(normalize_language(language))


def reload_catalogs() -> None:
    """Forget loaded catalogs (after `make translations` in a running dev session, and in tests)."""
    with _lock:
        _cache.clear()


def current_language() -> str:
    return _current


def set_language(language: str) -> None:
    """Switch the interface language; listeners (the Qt application) re-translate what they show."""
    global _current
    language = normalize_language(language)
    if language == _current:
        return
    _current = language
    for listener in list(_listeners):
        listener(language)


def on_language_changed(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def remove_language_listener(listener: Callable[[str], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _(message: str) -> str:
    """Translate into the current interface language."""
    return _load(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _load(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A word that means two things in English ('Town': the column, or the kind 镇) told apart by context."""
    return _load(_current).pgettext(context, message)


def pgettext_for(language: str, context: str, message: str) -> str:
    if language == "bilingual":
        zh, en = translations("zh_CN").pgettext(context, message), translations("en").pgettext(context, message)
        return en if zh == en else f"{zh} {en}"
    return translations(language).pgettext(context, message)


def gettext_for(language: str, message: str) -> str:
    """Translate into an explicit language (documents never follow the interface language)."""
    if language == "bilingual":
        return bilingual(message)
    return translations(language).gettext(message)


def bilingual(message: str, separator: str = " ") -> str:
    """'受理日期 Date received': the Chinese label, then the English one."""
    zh = translations("zh_CN").gettext(message)
    en = translations("en").gettext(message)
    return en if zh == en else f"{zh}{separator}{en}"


def language_name(language: str) -> str:
    """A language's name in itself, for menus: 中文 (简体), English."""
    return {"zh_CN": "中文（简体）", "en": "English"}[normalize_language(language)]


# --- formatting --------------------------------------------------------------------------------

def _locale(language: str | None) -> Locale:
    lang = normalize_language(language or _current)
    return Locale.parse("zh_Hans_CN" if lang == "zh_CN" else "en_GB" if lang == "en" else lang)


def format_date(value: date | None, style: str = "medium", language: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return babel_dates.format_date(value, format=style, locale=_locale(language))


def format_datetime(value: datetime | None, style: str = "medium", language: str | None = None) -> str:
    """A UTC timestamp shown in the workstation's local time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone()
    return babel_dates.format_datetime(local, format=style, tzinfo=local.tzinfo, locale=_locale(language))


def format_number(value: int | float | Decimal | None, language: str | None = None) -> str:
    if value is None:
        return ""
    return babel_numbers.format_decimal(value, locale=_locale(language))


def format_money(value: int | float | Decimal | None, language: str | None = None) -> str:
    """Amounts in 万元 as the registers keep them: two decimals, grouped."""
    if value is None:
        return ""
    return babel_numbers.format_decimal(value, format="#,##0.00", locale=_locale(language))


def format_percent(value: float | None, language: str | None = None) -> str:
    if value is None:
        return ""
    return babel_numbers.format_percent(value, format="#,##0.0%", locale=_locale(language))
