"""Export a ledger as .xlsx or .csv, written whole under a temporary name or not at all."""

from __future__ import annotations

import contextlib
import csv
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from envdesk.domain.progress import Progress
from envdesk.exchange._steps import Steps
from envdesk.exchange.errors import FileError, RowError
from envdesk.exchange.layout import Column, ColumnType, Layout
from envdesk.exchange.sources import unsupported_suffix
from envdesk.exchange.values import display, escape_formula, export_value
from envdesk.i18n import _, current_language, normalize_language

# Column widths are measured on the first rows: write-only mode must know them before any row.
WIDTH_SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 6, 50
# Widest text a typed cell shows, when its value's own text is shorter (midnight prints as a date).
_SHOWN_WIDTH = {ColumnType.DATE: len("2026-03-05"), ColumnType.DATETIME: len("2026-03-05 14:30")}
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"

ERROR_LAYOUT = Layout(
    columns=(
        Column("file", "文件", "File"),
        Column("row", "行", "Row", type=ColumnType.INTEGER),
        Column("column", "列", "Column"),
        Column("value", "内容", "Value"),
        Column("reason", "问题", "Problem"),
    ),
    title_zh="导入错误",
    title_en="Import errors",
)

_Writer = Callable[[Path, Layout, Iterator[Mapping[str, Any]], str, Steps], int]


def write_table(
    path: str | os.PathLike[str],
    layout: Layout,
    rows: Iterable[Mapping[str, Any]],
    language: str = "zh_CN",
    progress: Progress | None = None,
) -> int:
    """Write `rows` (mappings by column key; missing keys are empty) and return how many were written.

    The format follows the suffix: .xlsx or .csv (UTF-8 with BOM, so Excel shows Chinese).
    `language` chooses the headers: zh_CN, en, or bilingual. An existing file is replaced only
    once the new one is complete; on Cancelled or any error nothing is left behind.
    """
    path = Path(path)
    language = _document_language(language)
    write = _WRITERS.get(path.suffix.lower())
    if write is None:
        raise unsupported_suffix(path)
    progress = progress or Progress()
    progress.start(len(rows) if isinstance(rows, Sized) else 0, _("Writing {file}").format(file=path.name))
    with _replacing(path) as temporary:
        return write(temporary, layout, iter(rows), language, Steps(progress))


def write_errors(
    path: str | os.PathLike[str],
    errors: Sequence[RowError],
    language: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Save an import's errors as .xlsx or .csv, for the user to fix the file with."""
    rows = [
        {"file": error.file, "row": error.row, "column": error.column, "value": error.value, "reason": error.reason}
        for error in errors
    ]
    return write_table(path, ERROR_LAYOUT, rows, language or current_language(), progress)


def _document_language(language: str) -> str:
    """zh_CN, en or bilingual; 'zh', 'en_US' and the like are accepted, anything else is a ValueError."""
    return language if language == "bilingual" else normalize_language(language)


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it on success and is removed otherwise."""
    # Hidden, random, and in the same directory, so the final rename is atomic and never collides.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FileError(
            _("{file} cannot be written: {reason}. If it is open in Excel or WPS, close it and try again.")
            .format(file=path.name, reason=reason)
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


# --- xlsx --------------------------------------------------------------------------------------


def _write_xlsx(target: Path, layout: Layout, rows: Iterator[Mapping[str, Any]], language: str, steps: Steps) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(layout.title(language)))
    headers = [column.header(language) for column in layout.columns]
    sample = list(islice(rows, WIDTH_SAMPLE))
    for index, (column, header) in enumerate(zip(layout.columns, headers), start=1):
        width = column.width or _width(column, header, sample, language)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    try:
        sheet.append([_header_cell(sheet, header) for header in headers])
        count = 0
        for row in chain(sample, rows):
            sheet.append([_excel_cell(sheet, column, row.get(column.key), language) for column in layout.columns])
            count += 1
            steps.tick()
        steps.flush()
        if layout.columns:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(layout.columns))}{count + 1}"
        book.save(target)
    except BaseException:
        _discard(sheet)
        raise
    return count


def _discard(sheet: Any) -> None:
    """Remove the rows openpyxl already streamed to its own temporary file.

    Workaround: openpyxl deletes that file only when the workbook is saved or the process exits,
    so a GUI that cancels many exports would collect them. Closing the sheet first ends its row
    stream cleanly; `_writer` is private to openpyxl.
    """
    with contextlib.suppress(Exception):
        sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def _sheet_title(title: str) -> str:
    return _SHEET_TITLE_FORBIDDEN.sub("_", title)[:31] or "Sheet1"


def _header_cell(sheet: Any, header: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, header)
    cell.font = Font(bold=True)
    return cell


def _excel_cell(sheet: Any, column: Column, value: Any, language: str) -> Any:
    """A value typed as Excel should hold it: dates as dates, numbers as numbers, the rest as text."""
    value = export_value(column, value)
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        return cell
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    return _text_cell(sheet, display(value, language))


def _text_cell(sheet: Any, text: str) -> Any:
    # Control characters pasted into a form make openpyxl refuse the whole export.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith("=") or text in ERROR_CODES:
        # openpyxl would store "=…" as a formula and "#N/A" as an error; the user typed text.
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
        return cell
    return text


def _width(column: Column, header: str, sample: list[Mapping[str, Any]], language: str) -> float:
    texts = [display(export_value(column, row.get(column.key)), language) for row in sample]
    widest = max([_display_width(header), _SHOWN_WIDTH.get(column.type, 0), *map(_display_width, texts)])
    return min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)


def _display_width(text: str) -> int:
    """Width in Excel's character units: a Chinese character is about two Latin ones wide."""
    return max(
        (sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line) for line in text.splitlines()),
        default=0,
    )


# --- csv ---------------------------------------------------------------------------------------


def _write_csv(target: Path, layout: Layout, rows: Iterator[Mapping[str, Any]], language: str, steps: Steps) -> int:
    # The BOM is what makes Excel read the file as UTF-8 rather than the ANSI code page (GBK).
    with target.open("x", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([column.header(language) for column in layout.columns])
        count = 0
        for row in rows:
            writer.writerow([escape_formula(display(export_value(column, row.get(column.key)), language))
                             for column in layout.columns])
            count += 1
            steps.tick()
        steps.flush()
    return count


_WRITERS: dict[str, _Writer] = {".xlsx": _write_xlsx, ".csv": _write_csv}
