"""Spreadsheet exchange: every register imports and exports its ledger as .xlsx or .csv through here."""

from envdesk.exchange.errors import ExchangeError, FileError, ImportFailed, RowError
from envdesk.exchange.layout import Column, ColumnType, Layout
from envdesk.exchange.reader import HEADER_SEARCH_ROWS, ImportResult, ParsedRow, import_file, read_rows
from envdesk.exchange.writer import ERROR_LAYOUT, write_errors, write_table

__all__ = [
    "ERROR_LAYOUT",
    "HEADER_SEARCH_ROWS",
    "Column",
    "ColumnType",
    "ExchangeError",
    "FileError",
    "ImportFailed",
    "ImportResult",
    "Layout",
    "ParsedRow",
    "RowError",
    "import_file",
    "read_rows",
    "write_errors",
    "write_table",
]
