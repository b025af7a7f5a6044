"""What goes wrong with a spreadsheet: a file that cannot be read or written, or rows that do not parse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from envdesk.i18n import _, ngettext

# Enough lines for a terminal or a message box; the full list is in `errors` and can be saved.
MESSAGE_LINES = 100
_VALUE_SHOWN = 60


class ExchangeError(Exception):
    """A spreadsheet could not be imported or exported; str() is a translated message naming the file."""


class FileError(ExchangeError):
    """The file as a whole: missing, locked, empty, not really .xlsx, an encoding or suffix EnvDesk cannot read."""


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file, located as Excel shows it.

    `row` is the 1-based row number counting title and header rows (None for the file as a whole);
    `column` is the header text as written in the file (or the expected header when it is missing).
    """

    file: str
    row: int | None
    column: str
    value: str
    reason: str

    def location(self) -> str:
        if self.row is None:
            return ""
        if not self.column:
            return _("row {row}").format(row=self.row)
        return _("row {row}, column {column}").format(row=self.row, column=self.column)

    def describe(self) -> str:
        """'row 7, column 受理日期: Not a date… (value: 2026/13/1)', without the file name."""
        text = ": ".join(part for part in (self.location(), self.reason) if part)
        if self.value:
            value = self.value if len(self.value) <= _VALUE_SHOWN else self.value[: _VALUE_SHOWN - 1] + "…"
            text += " " + _("(value: {value})").format(value=value)
        return text

    def __str__(self) -> str:
        return f"{self.file}: {self.describe()}"


class ImportFailed(ExchangeError):
    """Nothing was imported: every problem found in the file is in `errors` (see `write_errors`)."""

    def __init__(self, file: str, errors: Sequence[RowError]) -> None:
        super().__init__(file, tuple(errors))
        self.file = file
        self.errors: tuple[RowError, ...] = tuple(errors)

    def __str__(self) -> str:
        count = len(self.errors)
        lines = [
            ngettext("{file} was not imported: {count} problem", "{file} was not imported: {count} problems", count)
            .format(file=self.file, count=count)
        ]
        lines += [f"  {error.describe()}" for error in self.errors[:MESSAGE_LINES]]
        if count > MESSAGE_LINES:
            more = count - MESSAGE_LINES
            lines.append("  " + ngettext("… and {count} more", "… and {count} more", more).format(count=more))
        return "\n".join(lines)
