"""Raw rows out of .xlsx and .csv files and the tables of Word .docx documents: numbered as Excel (or the Word
table) numbers them, merged cells filled in."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.cell import range_boundaries

from envdesk.exchange.errors import FileError
from envdesk.exchange.values import is_blank, unescape_formula
from envdesk.i18n import _

# A row as a source gives it: Excel row number, cell values (index 0 is column A), and the
# indexes whose value was copied from a merged range rather than typed in that row.
Row = tuple[int, Sequence[Any], frozenset[int]]
NOTHING_FILLED: frozenset[int] = frozenset()

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
DOCX_SUFFIXES = (".docx",)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, and any password-protected workbook


@dataclass(frozen=True)
class Table:
    """One sheet of a file. `rows()` starts a fresh pass; `total_rows` is an estimate for progress."""

    name: str
    total_rows: int
    rows: Callable[[], Iterator[Row]]


@dataclass(frozen=True)
class Merge:
    """A merged range, 1-based and inclusive as Excel counts rows and columns."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int


@contextmanager
def open_tables(path: Path) -> Iterator[list[Table]]:
    """The file's sheets, the one Excel opens first leading (a Word document's tables, in document order);
    FileError when the file cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES + CSV_SUFFIXES + DOCX_SUFFIXES:
        raise unsupported_suffix(path)
    data_head = _head(path)
    if suffix in CSV_SUFFIXES:
        yield [_csv_table(path, data_head)]
        return
    if suffix in DOCX_SUFFIXES:
        yield _docx_tables(path, data_head)
        return
    with _xlsx_tables(path, data_head) as tables:
        yield tables


def unsupported_suffix(path: Path) -> FileError:
    if path.suffix.lower() == ".xls":
        return FileError(_("{file}: old Excel .xls files cannot be read; open it in Excel or WPS and save it as .xlsx")
                         .format(file=path.name))
    if path.suffix.lower() == ".doc":
        return FileError(_("{file}: old Word .doc files cannot be read; open it in Word or WPS and save it as .docx")
                         .format(file=path.name))
    return FileError(_("{file}: EnvDesk reads .xlsx, .csv and Word .docx files, and writes .xlsx and .csv files")
                     .format(file=path.name))


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
    except OSError as exc:
        raise _unopenable(path, exc) from exc
    if not head:
        raise FileError(_("{file} is empty").format(file=path.name))
    return head


def _unopenable(path: Path, exc: OSError) -> FileError:
    return FileError(_("{file} cannot be opened: {reason}").format(file=path.name, reason=exc.strerror or exc))


# --- xlsx --------------------------------------------------------------------------------------


@contextmanager
def _xlsx_tables(path: Path, head: bytes) -> Iterator[list[Table]]:
    if head.startswith(_OLE_MAGIC):
        raise FileError(_("{file} is an old .xls or a password-protected workbook; save it as an unprotected .xlsx")
                        .format(file=path.name))
    not_xlsx = FileError(_("{file} is not a valid Excel .xlsx workbook").format(file=path.name))
    if not head.startswith(_ZIP_MAGIC):
        raise not_xlsx
    try:
        # data_only: a formula's last computed value, which is what the user sees in the cell.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a broken zip or XML fails in many ways inside openpyxl; all mean the same
        raise not_xlsx from exc
    try:
        # Chart sheets have no cells; of the rest, the sheet Excel opens on is tried first.
        sheets = sorted(book.worksheets, key=lambda sheet: sheet is not book.active)
        yield [_sheet_table(path, sheet, not_xlsx) for sheet in sheets]
    finally:
        book.close()


def _sheet_table(path: Path, sheet: Any, broken: FileError) -> Table:
    total = sheet.max_row or 0
    # Writers (openpyxl's own write-only mode among them) often record a wrong used range, which
    # read-only mode would trust and cut rows or columns at; read every row the sheet has instead.
    sheet.reset_dimensions()

    def rows() -> Iterator[Row]:
        try:
            merges = _merges(path, sheet)
        except Exception as exc:  # a damaged archive member; openpyxl has not read it yet
            raise broken from exc
        # iter_rows starts at row 1 and yields () for rows absent from the file, so the position
        # is the Excel row number.
        cells = _guarded(sheet.iter_rows(values_only=True), broken)
        yield from fill_merged(enumerate(cells, start=1), merges)

    return Table(sheet.title, total, rows)


# A <mergeCell ref="A1:H1"/> element, with or without a namespace prefix (the .NET SDK writes x:).
_MERGE_CELL = re.compile(rb'<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_CHUNK = 1 << 20
_OVERLAP = 256  # longer than any mergeCell element, so one cut by a chunk boundary is seen whole


def _guarded(items: Iterator[Any], broken: FileError) -> Iterator[Any]:
    """Items from openpyxl, any failure inside it reported as the broken file it means."""
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except Exception as exc:  # a broken sheet fails in many ways inside openpyxl (XML, zip, values)
            raise broken from exc
        yield item


def _merges(path: Path, sheet: Any) -> list[Merge]:
    """Merged ranges of a read-only sheet, which openpyxl does not expose in that mode.

    Scanning the sheet's XML for <mergeCell> costs 1-2.5 % of iterating the sheet read-only, where
    loading it in normal mode just to ask costs 1.7 times that whole iteration and holds every cell
    in memory (10,000 x 10 cells; tests/exchange/bench_exchange.py).
    """
    member = getattr(sheet, "_worksheet_path", None)  # private to openpyxl, stable since 2.4
    if member is None:
        return _merges_normal_mode(path, sheet.title)
    refs: set[bytes] = set()
    with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as stream:
        tail = b""
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if b"mergeCell" in window:
                refs.update(_MERGE_CELL.findall(window))
            tail = window[-_OVERLAP:]
    return [Merge(*_boundaries(ref.decode("ascii"))) for ref in refs]


def _merges_normal_mode(path: Path, title: str) -> list[Merge]:
    book = openpyxl.load_workbook(path, data_only=True)
    try:
        return [Merge(*_boundaries(str(ref))) for ref in book[title].merged_cells.ranges]
    finally:
        book.close()


def _boundaries(ref: str) -> tuple[int, int, int, int]:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return min_row, min_col, max_row, max_col


def fill_merged(rows: Iterator[tuple[int, Sequence[Any]]], merges: Sequence[Merge]) -> Iterator[Row]:
    """Give every cell of a merged range the value of its top-left cell; drop rows with nothing typed in.

    A row whose only content comes from a merge (the tail of a merged department with no task
    beside it) counts as blank.
    """
    pending = deque(sorted(merges, key=lambda merge: merge.min_row))
    active: list[tuple[Merge, Any]] = []
    for number, values in rows:
        while pending and pending[0].min_row <= number:
            merge = pending.popleft()
            top_left = values[merge.min_col - 1] if merge.min_row == number and merge.min_col <= len(values) else None
            if not is_blank(top_left):
                active.append((merge, top_left))
        if active:
            active = [(merge, value) for merge, value in active if merge.max_row >= number]
        if not active:
            if not all(map(is_blank, values)):
                yield number, values, NOTHING_FILLED
            continue
        filled_values, filled = _apply(number, values, active)
        if any(not is_blank(value) for index, value in enumerate(values) if index not in filled):
            yield number, filled_values, filled


def _apply(number: int, values: Sequence[Any], active: list[tuple[Merge, Any]]) -> tuple[list[Any], frozenset[int]]:
    cells = list(values)
    filled: set[int] = set()
    for merge, value in active:
        if len(cells) < merge.max_col:
            cells.extend([None] * (merge.max_col - len(cells)))
        for index in range(merge.min_col - 1, merge.max_col):
            if (number, index + 1) != (merge.min_row, merge.min_col):
                cells[index] = value
                filled.add(index)
    return cells, frozenset(filled)


# --- csv ---------------------------------------------------------------------------------------


def _csv_table(path: Path, head: bytes) -> Table:
    if head.startswith(_ZIP_MAGIC):
        raise FileError(_("{file} is an Excel workbook, not a CSV file; rename it to .xlsx").format(file=path.name))
    text = _decode(path)
    delimiter = _delimiter(text)

    def rows() -> Iterator[Row]:
        # Excel shows one record per row even when a quoted cell spans lines, so count records.
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        numbered = ((number, [unescape_formula(cell) for cell in record]) for number, record in enumerate(records, 1))
        try:
            yield from fill_merged(numbered, ())
        except csv.Error as exc:
            message = _("{file} is not a readable CSV file: {reason}").format(file=path.name, reason=exc)
            raise FileError(message) from exc

    return Table(path.stem, text.count("\n") + 1, rows)


def _decode(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 — what Excel and WPS save in China."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unopenable(path, exc) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    else:
        # GB18030 text is almost never valid UTF-8, while UTF-8 text often decodes as (garbled)
        # GB18030, so UTF-8 is tried first.
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise FileError(_("{file} is not text in UTF-8, GB18030 or UTF-16").format(file=path.name))


def _delimiter(text: str) -> str:
    # Excel's "Unicode text" export is tab-separated; everything else here uses commas.
    sample = text[:20_000]
    return "\t" if sample.count("\t") > sample.count(",") else ","


# --- docx --------------------------------------------------------------------------------------

# Rows and cells may sit inside content controls (<w:sdt>), as templates with fill-in fields have them.
_TABLES = "./w:tbl | ./w:sdt/w:sdtContent/w:tbl"
_ROWS = "./w:tr | ./w:sdt/w:sdtContent/w:tr"
_CELLS = "./w:tc | ./w:sdt/w:sdtContent/w:tc"
_PARAGRAPHS = "./w:p | ./w:sdt/w:sdtContent/w:p"
# Every run of a paragraph, also inside tracked insertions, hyperlinks, fields and inline content controls
# (python-docx's Paragraph.text reads direct runs only); not deleted text, nor a text box's own paragraphs.
_RUNS = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"


def _docx_tables(path: Path, head: bytes) -> list[Table]:
    """The tables of a Word document's body, each a Table whose rows are the table's rows (1 = its top row)."""
    if head.startswith(_OLE_MAGIC):
        raise FileError(_("{file} is an old .doc or a password-protected document; save it as an unprotected .docx")
                        .format(file=path.name))
    not_docx = FileError(_("{file} is not a valid Word .docx document").format(file=path.name))
    if not head.startswith(_ZIP_MAGIC):
        raise not_docx
    # Imported here: only a Word attachment needs python-docx (and lxml) loaded.
    import docx

    try:
        body = docx.Document(str(path)).element.body
        tables = [_word_table(number, element) for number, element in enumerate(body.xpath(_TABLES), start=1)]
    except Exception as exc:  # a broken zip or XML, or another Office file renamed; all mean the same
        raise not_docx from exc
    if not tables:
        raise FileError(_("{file} has no table; EnvDesk reads the table inside a Word document").format(
            file=path.name))
    return tables


def _word_table(number: int, table: Any) -> Table:
    grid = _word_grid(table)  # read at once: the document is closed when the caller reads the rows

    def rows() -> Iterator[Row]:
        values, merges = grid
        yield from fill_merged(iter(values), merges)

    return Table(_("Table {number}").format(number=number), len(grid[0]), rows)


def _word_grid(table: Any) -> tuple[list[tuple[int, list[Any]]], list[Merge]]:
    """A Word table as a grid of typed cells plus its merged ranges, the way a worksheet has them.

    A cell spanning grid columns (w:gridSpan, as a banner title row has) and a cell merged down the rows below
    it (w:vMerge restart, then continue) become merged ranges; `fill_merged` then fills them in as it does for
    Excel. Columns are grid columns, so cells left out at a row's start (w:gridBefore) keep the others in place.
    """
    rows: list[tuple[int, list[Any]]] = []
    merges: list[Merge] = []
    running: dict[int, list[int]] = {}  # grid column -> [min_row, min_col, max_row, max_col] of a vertical merge
    for number, tr in enumerate(table.xpath(_ROWS), start=1):
        column = tr.grid_before
        values: list[Any] = [None] * column
        continued: set[int] = set()
        for tc in tr.xpath(_CELLS):
            span = max(tc.grid_span, 1)
            merge = tc.vMerge
            if merge is not None and merge != "restart" and column in running:
                running[column][2] = number
                continued.add(column)
                values.extend([None] * span)  # Word shows the top cell's text here, whatever the cell holds
            else:
                text = _cell_text(tc)
                values.extend([text or None] + [None] * (span - 1))
                if merge == "restart":
                    _close(running.pop(column, None), merges)
                    running[column] = [number, column + 1, number, column + span]
                    continued.add(column)
                elif span > 1:
                    merges.append(Merge(number, column + 1, number, column + span))
            column += span
        for start in [start for start in running if start not in continued]:
            _close(running.pop(start), merges)
        rows.append((number, values))
    for bounds in running.values():
        _close(bounds, merges)
    return rows, merges


def _close(bounds: list[int] | None, merges: list[Merge]) -> None:
    if bounds is not None and (bounds[2] > bounds[0] or bounds[3] > bounds[1]):
        merges.append(Merge(*bounds))


def _cell_text(tc: Any) -> str:
    """A cell's text as Word shows it: paragraphs on lines of their own, line breaks and tabs kept."""
    return "\n".join("".join(run.text for run in paragraph.xpath(_RUNS)) for paragraph in tc.xpath(_PARAGRAPHS))
