"""How a register declares its spreadsheet columns once, for both import and export."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ColumnType(StrEnum):
    """What a column holds; decides how a cell is parsed on import and typed on export."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    LIST = "list"


# Whitespace anywhere (headers in Word/Excel attachments are often wrapped: "联系\n电话") and the
# asterisks templates put on required columns ("*企业名称") do not make a header different.
_HEADER_NOISE = re.compile(r"[\s*]+")


def normalize_header(text: str) -> str:
    """The form headers are compared in: NFKC (full-width letters and brackets), case-folded, no spaces."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text)).casefold()


@dataclass(frozen=True)
class Column:
    """One column of a ledger.

    `header_zh`/`header_en` are written on export and recognised on import together with `aliases`
    (other names offices use for the same column). `parser`, when given, receives the value already
    converted to `type` (never an empty cell) and returns the value to keep; a ValueError it raises
    becomes the row error's reason, so raise it with a translated message. `width` overrides the
    export column width (in Excel character units).
    """

    key: str
    header_zh: str
    header_en: str
    aliases: tuple[str, ...] = ()
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    parser: Callable[[Any], Any] | None = None
    width: float | None = None

    def __post_init__(self) -> None:
        # A list written by hand would make the frozen column unhashable.
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "type", ColumnType(self.type))
        if not (self.header_zh or self.header_en):
            raise ValueError(f"column {self.key!r} needs a Chinese or an English header")

    def header(self, language: str) -> str:
        """The header for an export language: zh_CN, en, or bilingual ('受理日期 Date received')."""
        zh, en = self.header_zh or self.header_en, self.header_en or self.header_zh
        if language == "en":
            return en
        if language == "bilingual" and zh != en:
            return f"{zh} {en}"
        return zh

    def names(self) -> tuple[str, ...]:
        """Every header this column is recognised by on import, including the bilingual one."""
        return (self.header_zh, self.header_en, self.header("bilingual"), *self.aliases)


@dataclass(frozen=True)
class Layout:
    """A register's ledger: its columns in export order and the sheet title in both languages.

    Declared once per register and used for both directions::

        LEDGER = Layout(
            columns=(
                Column("received_on", "受理日期", "Date received", type=ColumnType.DATE, required=True),
                Column("channel", "来源渠道", "Channel", aliases=("渠道",), parser=channel_from_label),
            ),
            title_zh="信访台账",
            title_en="Complaints ledger",
        )
        result = read_rows(path, LEDGER, progress)  # every row parsed, or ImportFailed with every error
        write_table(path, LEDGER, rows, "bilingual", progress)
    """

    columns: tuple[Column, ...]
    title_zh: str = ""
    title_en: str = ""
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys in layout: {keys}")
        object.__setattr__(self, "_by_name", _index_names(self.columns))

    def title(self, language: str) -> str:
        zh, en = self.title_zh or self.title_en, self.title_en or self.title_zh
        return en if language == "en" else zh

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def match(self, header: str) -> Column | None:
        """The column a header in a file names, if any (any language, alias, case or spacing)."""
        return self._by_name.get(normalize_header(header))


def _index_names(columns: Iterable[Column]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for name in column.names():
            key = normalize_header(name)
            if not key:
                continue
            other = index.setdefault(key, column)
            if other is not column:
                # Ambiguous headers would make imports depend on column order: a layout bug.
                raise ValueError(f"header {name!r} names both {other.key!r} and {column.key!r}")
    return index
