"""Cell values: parse what people type into typed values, and turn typed values back into cell text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from envdesk.exchange.layout import Column, ColumnType
from envdesk.i18n import N_, _

# --- reading -----------------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_value(column: Column, raw: Any) -> Any:
    """Convert a non-blank cell to the column's type, then run its own parser; ValueError explains why not."""
    value = _PARSERS[column.type](raw)
    return column.parser(value) if column.parser is not None else value


def _text(raw: Any) -> str:
    return display(raw).replace("\r\n", "\n").strip()


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(_("Not a number"))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        text = repr(raw)  # the shortest text that round-trips: 0.1, not 0.1000000000000000055…
    elif isinstance(raw, str):
        # NFKC turns full-width digits and the Chinese comma into ASCII; commas group thousands.
        text = unicodedata.normalize("NFKC", raw).replace(",", "").replace(" ", "")
    else:
        raise ValueError(_("Not a number"))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Not a number")) from None
    if not number.is_finite():
        raise ValueError(_("Not a number"))
    return number


def _integer(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    number = _decimal(raw)
    if number != number.to_integral_value():
        raise ValueError(_("Not a whole number"))
    return int(number)


# Chinese date and time words become separators so one pattern reads every accepted form:
# 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, each optionally followed by 14:30[:15].
_CJK_DATE_WORDS = str.maketrans({"年": "-", "月": "-", "日": " ", "时": ":", "点": ":", "分": ":", "秒": " "})
_DATE_TIME = re.compile(
    r"(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})|(?P<m8>\d{2})(?P<d8>\d{2}))"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2})(?:\.(?P<f>\d{1,6}))?)?)?"
)
# A date cell whose date format was lost shows its serial number; only serials between these days
# are taken as dates, so a year typed alone (2026) is refused rather than read as 1905-07-18.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_RANGE = (date(1950, 1, 1) - _EXCEL_EPOCH.date()).days, (date(2100, 1, 1) - _EXCEL_EPOCH.date()).days


# Translated only when a cell fails: a large import parses many thousands of good dates.
_NOT_A_DATE = N_("Not a date; write it like 2026-03-05")
_NOT_A_DATETIME = N_("Not a date and time; write it like 2026-03-05 14:30")


def _datetime(raw: Any, reason: str) -> datetime:
    """`reason` is the untranslated message of the ValueError raised when `raw` is no date."""
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and 10_000_000 <= raw <= 99_999_999:
            raw = str(int(raw))  # 20260305 typed as a number
        elif _SERIAL_RANGE[0] <= raw < _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=raw)
        else:
            raise ValueError(_(reason))
    if not isinstance(raw, str):
        raise ValueError(_(reason))
    text = unicodedata.normalize("NFKC", raw).translate(_CJK_DATE_WORDS).strip().rstrip(":").strip()
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise ValueError(_(reason))
    parts = match.groupdict()
    try:
        return datetime(
            int(parts["y"]), int(parts["m"] or parts["m8"]), int(parts["d"] or parts["d8"]),
            int(parts["H"] or 0), int(parts["M"] or 0), int(parts["S"] or 0),
            int((parts["f"] or "0").ljust(6, "0")),
        )
    except ValueError:
        raise ValueError(_(reason)) from None


def _date(raw: Any) -> date:
    return _datetime(raw, _NOT_A_DATE).date()


def _date_time(raw: Any) -> datetime:
    return _datetime(raw, _NOT_A_DATETIME)


_TRUE = frozenset({"是", "yes", "y", "true", "t", "1", "√", "✓", "✔"})
_FALSE = frozenset({"否", "no", "n", "false", "f", "0", "×", "✗", "✘"})


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("Not yes or no; write 是/否, yes/no, Y/N, 1/0 or √"))


_LIST_SEPARATORS = re.compile(r"[、;,；，\r\n]+")


def _list(raw: Any) -> tuple[str, ...]:
    return tuple(item.strip() for item in _LIST_SEPARATORS.split(display(raw)) if item.strip())


_PARSERS: dict[ColumnType, Callable[[Any], Any]] = {
    ColumnType.TEXT: _text,
    ColumnType.INTEGER: _integer,
    ColumnType.DECIMAL: _decimal,
    ColumnType.DATE: _date,
    ColumnType.DATETIME: _date_time,
    ColumnType.BOOLEAN: _boolean,
    ColumnType.LIST: _list,
}

# --- writing -----------------------------------------------------------------------------------

# Yes/no and list separators are data, not interface text: they must stay words the reader above
# accepts, whatever a translator would choose, so they are fixed per export language.
_YES_NO = {"en": ("Yes", "No")}
_LIST_JOIN = {"en": "; "}


def export_value(column: Column, value: Any) -> Any:
    """A value as the column stores it in a sheet: local naive times, dates without a time of day."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            # Stored times are UTC; Excel has no time zones, so a sheet shows the workstation's clock.
            value = value.astimezone().replace(tzinfo=None)
        if column.type is ColumnType.DATE:
            return value.date()
    return value


def display(value: Any, language: str = "zh_CN") -> str:
    """A value as text, the way a cell shows it: for CSV export, column widths and error reports."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        yes, no = _YES_NO.get(language, ("是", "否"))
        return yes if value else no
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")  # never 1E+3
    if isinstance(value, (list, tuple, set, frozenset)):
        return _LIST_JOIN.get(language, "、").join(display(item, language) for item in value)
    return str(value)


# --- CSV formula escaping ----------------------------------------------------------------------

# Excel runs CSV text starting with = + - @ (or a tab or CR before them) as a formula; complaint
# text comes from the public, so it is written with a leading apostrophe, taken off again on import.
# A plain negative number or a lone "-" (a placeholder in many ledgers) is left as it is.
_FORMULA_START = re.compile(r"[=+@\t\r]|-(?!\d+(?:\.\d+)?$|$)")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")


def escape_formula(text: str) -> str:
    # Text that already looks escaped gets a second apostrophe, so every value reads back as written.
    return "'" + text if _FORMULA_START.match(text) or _ESCAPED_FORMULA.match(text) else text


def unescape_formula(text: str) -> str:
    return text[1:] if _ESCAPED_FORMULA.match(text) else text
