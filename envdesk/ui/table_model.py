"""A table model over a list of plain values, with columns declared once (header, value, formatter)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableView

from envdesk.i18n import _

T = TypeVar("T")
ValueRole = Qt.ItemDataRole.UserRole + 1  # the record itself, for views that act on a row


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str                                  # N_-marked, translated at display time
    value: Callable[[T], Any]
    format: Callable[[Any], str] = lambda v: "" if v is None else str(v)
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: Callable[[T], str] | None = None


def yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """For short lists (reference data, overview items); registers use SQL-paged models instead."""

    def __init__(self, columns: Sequence[Column[T]], parent=None,
                 background: Callable[[T], QColor | None] | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []
        self._background = background

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_value(self, row: int) -> T:
        return self._rows[row]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self._columns[section].header)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.format(column.value(record))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        if role == Qt.ItemDataRole.BackgroundRole and self._background is not None:
            color = self._background(record)
            return QBrush(color) if color is not None else None
        if role == ValueRole:
            return record
        return None


class PagedTableModel(RecordTableModel[T]):
    """Rows fetched from SQL a page at a time as the view scrolls (canFetchMore/fetchMore); the query
    itself filters and sorts, so no more than the pages seen are ever loaded into Python."""

    def __init__(self, columns: Sequence[Column[T]], parent=None, page_size: int = 100,
                 background: Callable[[T], QColor | None] | None = None) -> None:
        super().__init__(columns, parent, background)
        self._page_size = page_size
        self._fetch: Callable[[int, int], Sequence[T]] = lambda offset, limit: []
        self._total = 0

    def set_query(self, fetch: Callable[[int, int], Sequence[T]], count: Callable[[], int]) -> None:
        """A new filter: `fetch(offset, limit)` returns a page, `count()` how many rows match in all."""
        self._fetch = fetch
        self._total = count()
        self.set_rows(fetch(0, self._page_size))

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = list(self._fetch(len(self._rows), self._page_size))
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()


class SortedInSql(PagedTableModel[T]):
    """A paged register list: a click on a sortable header asks the tab for a new first page sorted in SQL
    (`sortable`: column → sort key of the use case), instead of sorting the rows loaded so far in Python."""

    def __init__(self, columns: Sequence[Column[T]], tab, sortable: dict[int, str],
                 background: Callable[[T], QColor | None] | None = None) -> None:
        super().__init__(columns, tab, background=background)
        self._tab = tab
        self._sortable = sortable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column in self._sortable and self._tab.ready:
            self._tab.sort_key = self._sortable[column]
            self._tab.descending = order == Qt.SortOrder.DescendingOrder
            self._tab.refresh()


def fit_headers(view: QTableView) -> None:
    """Widen columns whose header text no longer fits (after a language switch); never narrow them."""
    header = view.horizontalHeader()
    for section in range(header.count()):
        wanted = header.sectionSizeHint(section)
        if header.sectionSize(section) < wanted:
            header.resizeSection(section, wanted)
