"""The leader's summary of the approvals register for a year or a period (optionally key projects only): how many
projects need a report book or form and where they stand, how many need registration, how long decisions took
and whether on time against both clocks — as tables and charts, printable and exportable."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk.app import approvals
from envdesk.app.approvals import Group, Summary, Timing
from envdesk.app.workspace import Workspace
from envdesk.domain.approvals import ClockKind
from envdesk.i18n import N_, _, format_percent
from envdesk.ui import language
from envdesk.ui.widgets import error_label, print_button, retranslate_print_button
from envdesk.ui.worker import run_in_background

# The groups of the figures table: (label, the Summary attribute).
GROUPS = ((N_("Report books"), "report_books"), (N_("Report forms"), "report_forms"),
          (N_("Report books and forms"), "reports"), (N_("Registration forms"), "registrations"))
# Its columns: (header, the Group attribute).
GROUP_COLUMNS = ((N_("Total"), "total"), (N_("Approved or filed"), "approved"), (N_("Not approved"), "not_approved"),
                 (N_("Under review"), "under_review"), (N_("Being prepared"), "preparing"), (N_("Exempt"), "exempt"),
                 (N_("Withdrawn"), "withdrawn"))
TIMING_COLUMNS = (N_("Document type"), N_("Approval track"), N_("Decided"), N_("Average working days"),
                  N_("On time (statutory)"), N_("On time (promised)"), N_("Faster than statutory"))


def _rate(part: int, whole: int) -> str:
    value = Summary.rate(part, whole)
    return "—" if value is None else format_percent(value)


def _average(value: float | None) -> str:
    return "—" if value is None else i18n.format_number(round(value, 1))


def timing_cells(t: Timing) -> list[str]:
    faster = t.faster_than_statutory
    return [t.document_type.label, t.track.label, str(t.decided), _average(t.average_working_days),
            _rate(t.statutory_on_time, t.decided), _rate(t.promised_on_time, t.decided),
            "—" if faster is None else format_percent(faster)]


def headline(s: Summary) -> str:
    """The sentence a leader reports upward (the seeds: "of 89 key projects, 43 need a report book or form…")."""
    reports, registrations = s.reports, s.registrations
    scope = _("key projects") if s.key_only else _("projects")
    return _("{start} – {end}: of {total} {scope}, {reports} need a report book or form: {approved} approved, "
             "{review} under review, {preparing} being prepared; {registrations} need a registration form: "
             "{filed} filed, {exempt} exempt. Decided: {decided}, on time against the statutory limit {statutory}, "
             "against the promised limit {promised}. Open and overdue: {overdue}.").format(
        start=i18n.format_date(s.start, "medium"), end=i18n.format_date(s.end, "medium"), total=s.total,
        scope=scope, reports=reports.total, approved=reports.approved, review=reports.under_review,
        preparing=reports.preparing, registrations=registrations.total, filed=registrations.approved,
        exempt=registrations.exempt, decided=s.decided, statutory=_rate(s.statutory_on_time, s.decided),
        promised=_rate(s.promised_on_time, s.decided), overdue=s.overdue_open)


def summary_rows(s: Summary) -> list[dict]:
    """The figures as rows (section, item, value): one table that exports to a spreadsheet."""
    rows = [{"section": _("Period"), "item": _("From"), "value": s.start.isoformat()},
            {"section": _("Period"), "item": _("To"), "value": s.end.isoformat()},
            {"section": _("Period"), "item": _("Key projects only"), "value": _("Yes") if s.key_only else _("No")}]
    for label, attribute in GROUPS:
        group: Group = getattr(s, attribute)
        rows.extend({"section": _(label), "item": _(header), "value": str(getattr(group, key))}
                    for header, key in GROUP_COLUMNS)
    for t in s.timings:
        cells = timing_cells(t)
        section = f"{cells[0]} · {cells[1]}"
        rows.extend({"section": section, "item": _(header), "value": value}
                    for header, value in zip(TIMING_COLUMNS[2:], cells[2:], strict=True))
    rows.append({"section": _("Open"), "item": _("Overdue"), "value": str(s.overdue_open)})
    return rows


def _axes(chart: QChart, series, categories: list[str], top: float, horizontal: bool = False) -> None:
    """Categories along the bottom (or, for horizontal bars, down the left, where long names have room)."""
    categories_axis = QBarCategoryAxis()
    categories_axis.append(categories)
    values_axis = QValueAxis()
    values_axis.setLabelFormat("%d")
    values_axis.setRange(0, max(top, 1))
    values_axis.applyNiceNumbers()  # ticks at 0, 20, 40… rather than at fifths of the largest bar
    chart.addAxis(categories_axis, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories_axis)
    series.attachAxis(values_axis)


def _view(chart: QChart, legend: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignBottom) -> QChartView:
    chart.legend().setAlignment(legend)
    chart.layout().setContentsMargins(0, 0, 0, 0)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    return view


def status_chart(s: Summary) -> QChartView:
    """A stacked bar per document type: approved or filed, under review, being prepared, exempt, the rest."""
    groups = ((N_("Report books"), s.report_books), (N_("Report forms"), s.report_forms),
              (N_("Registration forms"), s.registrations))
    series = QHorizontalStackedBarSeries()
    for header, key in GROUP_COLUMNS[1:]:
        bar = QBarSet(_(header))
        for _label, group in groups:
            bar.append(getattr(group, key))
        series.append(bar)
    chart = QChart()
    chart.addSeries(series)
    chart.setTitle(_("Where the projects stand"))
    _axes(chart, series, [_(label) for label, _group in groups], max(g.total for _label, g in groups),
          horizontal=True)
    return _view(chart, Qt.AlignmentFlag.AlignRight)  # beside the bars: the status names keep their length


def timing_chart(ws: Workspace, s: Summary) -> QChartView:
    """Average working days per document type and track, beside the promised and statutory limits."""
    average, promised, statutory = QBarSet(_("Average working days")), QBarSet(_("Promised limit")), \
        QBarSet(_("Statutory limit"))
    categories, top = [], 1.0
    for t in s.timings:
        limits = approvals.rules(ws, t.document_type, t.track)
        values = (t.average_working_days or 0.0, float(limits[ClockKind.PROMISED].limit),
                  float(limits[ClockKind.STATUTORY].limit))
        for bar, value in zip((average, promised, statutory), values, strict=True):
            bar.append(value)
        top = max(top, *values)
        categories.append(f"{t.document_type.label} · {t.track.label}")
    series = QHorizontalBarSeries()
    for bar in (average, promised, statutory):
        series.append(bar)
    chart = QChart()
    chart.addSeries(series)
    chart.setTitle(_("Average days to a decision and the limits"))
    _axes(chart, series, categories or [""], top, horizontal=True)
    return _view(chart)


def _fit_height(table: QTableWidget) -> None:
    """As tall as its rows (a handful): the figures are read at a glance, never scrolled."""
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth())


class SummaryDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None, key_only: bool = False) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("approvals_summary")
        self.summary: Summary | None = None
        today = date.today()
        self.by_year = QRadioButton()
        self.by_year.setObjectName("summary_by_year")
        self.year = QSpinBox()
        self.year.setObjectName("summary_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.by_period = QRadioButton()
        self.by_period.setObjectName("summary_by_period")
        self.start = QDateEdit(QDate(today.year, 1, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.to_label = QLabel()
        self.key_only = QCheckBox()
        self.key_only.setObjectName("summary_key_only")
        self.key_only.setChecked(key_only)
        self.by_year.setChecked(True)
        self.print_button = print_button("print_summary", self.print_report)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_summary")
        self.export_button.clicked.connect(lambda: self.export_file())
        self.headline = QLabel()
        self.headline.setObjectName("summary_headline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = error_label("summary_error")
        self.groups = QTableWidget(len(GROUPS), len(GROUP_COLUMNS))
        self.groups.setObjectName("summary_groups")
        self.timings = QTableWidget(0, len(TIMING_COLUMNS))
        self.timings.setObjectName("summary_timings")
        for table in (self.groups, self.timings):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timings.verticalHeader().setVisible(False)
        self.charts = QHBoxLayout()

        period = QHBoxLayout()
        period.addWidget(self.by_year)
        period.addWidget(self.year)
        period.addSpacing(16)
        period.addWidget(self.by_period)
        period.addWidget(self.start)
        period.addWidget(self.to_label)
        period.addWidget(self.end)
        period.addSpacing(16)
        period.addWidget(self.key_only)
        period.addStretch(1)
        period.addWidget(self.print_button)
        period.addWidget(self.export_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.error)
        layout.addWidget(self.headline)
        layout.addWidget(self.groups)
        layout.addWidget(self.timings)
        layout.addLayout(self.charts, 1)
        layout.addWidget(buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)  # once the user stops stepping through years or typing a date
        self._debounce.timeout.connect(self.refresh)
        self.year.valueChanged.connect(self._debounce.start)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._debounce.start)
        self.by_year.toggled.connect(self._period_changed)
        self.key_only.toggled.connect(self._debounce.start)
        language.manager().language_changed.connect(self.retranslate_ui)
        self._period_changed()
        self.retranslate_ui()
        self.refresh()
        self.resize(1200, 820)

    def period(self) -> tuple[date, date]:
        if self.by_year.isChecked():
            year = self.year.value()
            return date(year, 1, 1), date(year, 12, 31)
        return self.start.date().toPython(), self.end.date().toPython()

    def _period_changed(self) -> None:
        by_year = self.by_year.isChecked()
        self.year.setEnabled(by_year)
        for widget in (self.start, self.end):
            widget.setEnabled(not by_year)
        self._debounce.start()

    def refresh(self) -> None:
        """Compute the figures off the GUI thread (a progress dialog shows only if it takes a while)."""
        self._debounce.stop()
        start, end = self.period()
        key_only = self.key_only.isChecked()
        outcome = run_in_background(self, _("Computing the summary…"),
                                    lambda progress: approvals.summary(self.ws, start, end, key_only))
        if outcome.cancelled:
            return
        if outcome.error is not None:
            from envdesk.app.errors import AppError
            from envdesk.ui.dialogs.exchange import show_failure

            if isinstance(outcome.error, AppError):
                self.error.setText(str(outcome.error))
            else:
                show_failure(self, _("Cannot compute the summary"), outcome.error)
            return
        self.error.clear()
        self.summary = outcome.value
        self._show()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Approvals summary"))
        self.by_year.setText(_("Year"))
        self.by_period.setText(_("From"))
        self.to_label.setText(_("to"))
        self.key_only.setText(_("Key projects only"))
        retranslate_print_button(self.print_button, _("Print"))
        self.export_button.setText(_("Export…"))
        self.groups.setHorizontalHeaderLabels([_(header) for header, _key in GROUP_COLUMNS])
        self.groups.setVerticalHeaderLabels([_(label) for label, _attribute in GROUPS])
        self.timings.setHorizontalHeaderLabels([_(header) for header in TIMING_COLUMNS])
        self._show()

    def _show(self) -> None:
        s = self.summary
        if s is None:
            return
        self.headline.setText(headline(s))
        for row, (_label, attribute) in enumerate(GROUPS):
            group = getattr(s, attribute)
            for column, (_header, key) in enumerate(GROUP_COLUMNS):
                item = QTableWidgetItem(str(getattr(group, key)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.groups.setItem(row, column, item)
        self.timings.setRowCount(len(s.timings))
        for row, timing in enumerate(s.timings):
            for column, text in enumerate(timing_cells(timing)):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.timings.setItem(row, column, item)
        for table in (self.groups, self.timings):
            _fit_height(table)
        while self.charts.count():
            widget = self.charts.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.charts.addWidget(status_chart(s))
        self.charts.addWidget(timing_chart(self.ws, s))

    def done(self, result: int) -> None:
        try:
            language.manager().language_changed.disconnect(self.retranslate_ui)
        except (RuntimeError, TypeError):
            pass  # already disconnected
        super().done(result)

    def print_report(self, language_code: str):
        from envdesk.ui import documents

        s = self.summary
        if s is None:
            return None
        return documents.preview(self, lambda: documents.approvals_summary(self.ws, s, language_code),
                                 document="approvals-summary")

    def export_file(self, path: str | None = None) -> str | None:
        from envdesk.exchange import Column, Layout
        from envdesk.ui.dialogs.exchange import export_spreadsheet

        layout = Layout((Column("section", "分组", "Section"), Column("item", "项目", "Item"),
                         Column("value", "数值", "Value")),
                        title_zh="环评审批汇总", title_en="Approvals summary")
        rows = summary_rows(self.summary) if self.summary else []
        return export_spreadsheet(self, layout, lambda: rows, path, register="approvals-summary")

