"""The Overview tab: headline figures and everything overdue or due soon across the registers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from envdesk.app import changes
from envdesk.app import overview as overview_app
from envdesk.app.overview import DueItem, Severity
from envdesk.app.workspace import Workspace
from envdesk.i18n import N_, _, format_date, format_number, ngettext
from envdesk.ui.table_model import Column, RecordTableModel, fit_headers
from envdesk.ui.tabs.base import BaseTab, reports_errors


def _days(item: DueItem) -> str:
    if item.days_left is None:
        return ""
    if item.days_left < 0:
        return ngettext("{n} day overdue", "{n} days overdue", -item.days_left).format(n=-item.days_left)
    if item.days_left == 0:
        return _("due today")
    return ngettext("{n} day left", "{n} days left", item.days_left).format(n=item.days_left)


COLUMNS: tuple[Column[DueItem], ...] = (
    Column(N_("Status"), lambda i: _(overview_app.SEVERITY_LABELS[i.severity])),
    Column(N_("Register"), lambda i: _(i.register)),
    Column(N_("Reference"), lambda i: i.reference),
    Column(N_("What"), lambda i: i.title, tooltip=lambda i: i.title),
    Column(N_("Due"), lambda i: format_date(i.due)),
    Column(N_("Days"), _days),
    Column(N_("Rule"), lambda i: i.rule, tooltip=lambda i: i.rule),
)

_COLOURS = {Severity.OVERDUE: QColor("#f8d7da"), Severity.DUE_SOON: QColor("#fff3cd"), Severity.NOTICE: QColor("#e7f1ff")}


class _Card(QFrame):
    """One headline figure: a big number and its label."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label_msgid = label
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("overview_card")
        self._value = QLabel("0")
        self._value.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self._label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self._value)
        layout.addWidget(self._label)

    def set_value(self, value: int) -> None:
        self._value.setText(format_number(value))

    def retranslate_ui(self) -> None:
        self._label.setText(_(self.label_msgid))


class OverviewTab(BaseTab):
    key = "overview"
    title = N_("Overview")
    concerns = (changes.EVERYTHING, changes.CALENDAR, changes.SETTING, changes.DEPARTMENT, changes.STAFF,
                changes.TOWN)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self._today_label = QLabel()
        self._today_label.setObjectName("overview_today")
        self._today_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self._status_cards = {severity: _Card(overview_app.SEVERITY_LABELS[severity]) for severity in Severity}
        self._figure_cards: list[_Card] = []
        self._figures_row = QHBoxLayout()
        self._list_label = QLabel()
        self._model: RecordTableModel[DueItem] = RecordTableModel(
            COLUMNS, self, background=lambda item: _COLOURS.get(item.severity))
        self.table = QTableView()
        self.table.setObjectName("overview_table")
        self.table.setModel(self._model)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # "What" takes the room that is left; its full text is in the tooltip.
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._empty = QLabel()
        self._empty.setObjectName("overview_empty")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        cards = QGridLayout()
        for column, card in enumerate(self._status_cards.values()):
            cards.addWidget(card, 0, column)
        layout = QVBoxLayout(self)
        layout.addWidget(self._today_label)
        layout.addLayout(cards)
        layout.addLayout(self._figures_row)
        layout.addWidget(self._list_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._empty)
        self._overview: overview_app.Overview | None = None
        self.refresh()

    @reports_errors(N_("Cannot show the overview"))
    def refresh(self) -> None:
        # What the registers report is worded when it is built, so a language switch builds it again.
        self._overview = overview_app.build(self.ws)
        self._model.set_rows(self._overview.items)
        for severity, card in self._status_cards.items():
            card.set_value(self._overview.count(severity))
        self._rebuild_figures()
        self.table.setVisible(bool(self._overview.items))
        self._empty.setVisible(not self._overview.items)
        self._set_texts()

    def _rebuild_figures(self) -> None:
        assert self._overview is not None
        for card in self._figure_cards:
            self._figures_row.removeWidget(card)
            card.hide()  # deleteLater waits for the event loop; until then the old card would still paint
            card.deleteLater()
        self._figure_cards = []
        for figure in self._overview.figures:
            card = _Card(figure.label)
            card.set_value(figure.value)
            card.retranslate_ui()
            self._figures_row.addWidget(card)
            self._figure_cards.append(card)

    def retranslate_ui(self) -> None:
        self.refresh()

    def _set_texts(self) -> None:
        if self._overview is not None:
            self._today_label.setText(_("Today is {date}").format(date=format_date(self._overview.today, "full")))
            self._list_label.setText(_("Overdue and due within {n} days").format(n=self._overview.horizon_days))
        for card in [*self._status_cards.values(), *self._figure_cards]:
            card.retranslate_ui()
        self._empty.setText(_("Nothing is overdue or due soon."))
        self._model.retranslate()
        fit_headers(self.table)
