"""Import a ledger: find the header row, map columns, parse every row, and fail with every error at once."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

from envdesk.domain.importing import RowProblem, RowsRejected
from envdesk.domain.progress import Progress
from envdesk.exchange._steps import Steps
from envdesk.exchange.errors import ImportFailed, RowError
from envdesk.exchange.layout import Column, Layout, normalize_header
from envdesk.exchange.sources import Row, Table, open_tables
from envdesk.exchange.values import display, is_blank, parse_value
from envdesk.i18n import _, current_language

# Title banners, subtitles and two-level headers sit above the real header row; it is searched
# for among this many non-blank rows at the top of a sheet.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class ParsedRow:
    """One data row: its Excel row number and a value (or None when empty) for every layout column."""

    row_number: int
    values: dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    """Every data row of a file, parsed. `columns` are the keys the file has a column for, so an
    update can tell "column absent" (keep the stored value) from "cell empty" (both read as None)."""

    rows: list[ParsedRow]
    warnings: list[str]
    columns: tuple[str, ...]
    header_row: int
    sheet: str
    file: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header as written in the file
    errors: tuple[RowError, ...] = ()  # only with strict=False: rows that did not parse

    def rejected(self, layout: Layout, problems: Sequence[RowProblem]) -> ImportFailed:
        """Problems a use case found in these rows, located as Excel shows them (row, header as written)."""
        errors = []
        for problem in problems:
            column = self.headers.get(problem.key) or layout.column(problem.key).header_zh
            value = "" if problem.value is None else display(problem.value)
            errors.append(RowError(self.file, problem.row, column, value, problem.reason))
        return ImportFailed(self.file, errors)


@dataclass
class _Header:
    """A candidate header row and what its cells name."""

    row_number: int
    fields: list[tuple[int, Column]] = field(default_factory=list)  # (cell index, column)
    texts: dict[str, str] = field(default_factory=dict)  # column key -> header as written
    unknown: list[str] = field(default_factory=list)
    duplicates: list[tuple[Column, str]] = field(default_factory=list)


def read_rows(path: str | os.PathLike[str], layout: Layout, progress: Progress | None = None,
              strict: bool = True) -> ImportResult:
    """Read and parse a whole .xlsx or .csv ledger.

    Raises ImportFailed listing every problem (nothing is returned in part), FileError when the
    file cannot be read at all, and Cancelled when `progress` was cancelled. With strict=False the
    rows that parsed are returned and the others' problems are in `errors`, so that a use case can
    check those rows too and the user hears of every problem at once (see `import_file`).
    """
    path = Path(path)
    progress = progress or Progress()
    progress.check()
    with open_tables(path) as tables:
        table, header, rows = _locate_header(path, tables, layout)
        warnings = _warnings(header, table, len(tables))
        progress.start(max(table.total_rows - header.row_number, 0), _("Reading {file}").format(file=path.name))
        parsed, errors = _parse_rows(path.name, header, rows, layout, Steps(progress))
    if errors and strict:
        raise ImportFailed(path.name, errors)
    return ImportResult(
        rows=parsed,
        warnings=warnings,
        columns=tuple(column.key for _index, column in header.fields),
        header_row=header.row_number,
        sheet=table.name,
        file=path.name,
        headers=dict(header.texts),
        errors=tuple(errors),
    )


def _locate_header(path: Path, tables: list[Table], layout: Layout) -> tuple[Table, _Header, Iterator[Row]]:
    """The first sheet with a header row, and its rows after that header."""
    for table in tables:
        rows = table.rows()
        top = list(islice(rows, HEADER_SEARCH_ROWS))
        header = _best_header(top, layout)
        if header is not None:
            _check_header(path.name, header, layout)
            after = [row for row in top if row[0] > header.row_number]
            return table, header, chain(after, rows)
    expected = ", ".join(column.header(current_language()) for column in layout.columns[:6])
    reason = _("No header row found in the first {count} rows; expected column names such as: {names}").format(
        count=HEADER_SEARCH_ROWS, names=expected
    )
    raise ImportFailed(path.name, [RowError(path.name, None, "", "", reason)])


def _best_header(rows: Sequence[Row], layout: Layout) -> _Header | None:
    """The row naming the most layout columns (the first on a tie), if it names enough of them.

    One match is not enough when the layout has more columns: a title such as "企业名单" may
    happen to equal one header.
    """
    needed = min(2, len(layout.columns))
    best: _Header | None = None
    for number, values, _filled in rows:
        candidate = _match_header(number, values, layout)
        if len(candidate.fields) >= needed and (best is None or len(candidate.fields) > len(best.fields)):
            best = candidate
    return best


def _match_header(number: int, values: Sequence[Any], layout: Layout) -> _Header:
    header = _Header(number)
    for index, value in enumerate(values):
        if is_blank(value):
            continue
        text = display(value).strip()
        column = layout.match(text)
        if column is None:
            header.unknown.append(text)
        elif column.key in header.texts:
            header.duplicates.append((column, text))
        else:
            header.fields.append((index, column))
            header.texts[column.key] = text
    return header


def _check_header(file: str, header: _Header, layout: Layout) -> None:
    """Missing required and repeated columns fail at once: every row would repeat the same error."""
    row = header.row_number
    errors = [
        RowError(file, row, text, "", _("This column appears more than once")) for _column, text in header.duplicates
    ]
    language = _file_language(header)
    errors += [
        RowError(file, row, column.header(language), "", _("Required column is missing"))
        for column in layout.columns
        if column.required and column.key not in header.texts
    ]
    if errors:
        raise ImportFailed(file, errors)


def _file_language(header: _Header) -> str:
    """The language most of a file's headers are in, to name a missing column the way the file would."""
    english = sum(
        normalize_header(header.texts[column.key]) == normalize_header(column.header_en)
        for _index, column in header.fields
    )
    return "en" if english * 2 > len(header.fields) else "zh_CN"


def _warnings(header: _Header, table: Table, sheet_count: int) -> list[str]:
    warnings = []
    if sheet_count > 1:
        warnings.append(_("Read the sheet “{sheet}”").format(sheet=table.name))
    if header.unknown:
        # dict.fromkeys: a banner merged across the row would otherwise be listed once per column.
        names = ", ".join(dict.fromkeys(header.unknown))
        warnings.append(_("Ignored columns EnvDesk does not know: {names}").format(names=names))
    return warnings


def _parse_rows(file: str, header: _Header, rows: Iterator[Row], layout: Layout,
                steps: Steps) -> tuple[list[ParsedRow], list[RowError]]:
    """The rows that parsed, and the errors of those that did not."""
    empty = dict.fromkeys(column.key for column in layout.columns)
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    for number, values, filled in rows:
        steps.tick()
        row_values, row_errors = _parse_row(file, number, values, filled, header)
        if row_errors:
            errors += row_errors
        elif row_values is not None:
            parsed.append(ParsedRow(number, {**empty, **row_values}))
    steps.flush()
    return parsed, errors


def _parse_row(
    file: str, number: int, values: Sequence[Any], filled: frozenset[int], header: _Header
) -> tuple[dict[str, Any] | None, list[RowError]]:
    """The row's values and errors; (None, []) for a row with nothing typed in the columns read.

    Such a row is blank even if it numbers itself (序号) or sits under a merged cell.
    """
    parsed: dict[str, Any] = {}
    errors: list[RowError] = []
    typed = False
    for index, column in header.fields:
        raw = values[index] if index < len(values) else None
        if is_blank(raw):
            if column.required:
                errors.append(RowError(file, number, header.texts[column.key], "", _("A value is required")))
            continue
        typed = typed or index not in filled
        try:
            parsed[column.key] = parse_value(column, raw)
        except ValueError as exc:
            errors.append(RowError(file, number, header.texts[column.key], display(raw), str(exc)))
    return (parsed, errors) if typed else (None, [])


Apply = Callable[[list[tuple[int, dict[str, Any]]], bool], T]


def import_file(path: str | os.PathLike[str], layout: Layout, apply: Apply[T],
                progress: Progress | None = None) -> tuple[T, ImportResult]:
    """Read a file and hand its rows to a use case, all or nothing, with every problem reported at once.

    `apply(rows, check_only)` receives (row number, values) pairs; it raises RowsRejected for rows that
    break its rules, and writes nothing when `check_only` (the file already has rows that do not parse).
    """
    result = read_rows(path, layout, progress, strict=False)
    problems: Sequence[RowProblem] = ()
    try:
        outcome = apply([(row.row_number, row.values) for row in result.rows], bool(result.errors))
    except RowsRejected as rejected:
        problems = rejected.problems
    if result.errors or problems:
        errors = [*result.errors, *result.rejected(layout, problems).errors]
        errors.sort(key=lambda error: error.row or 0)
        raise ImportFailed(result.file, errors)
    return outcome, result
