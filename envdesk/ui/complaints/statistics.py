"""Complaint statistics for a period: counts by pollution type, channel, town and month, on-time and satisfaction
rates against the target, as tables and charts; exportable and printable."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk.app import complaints
from envdesk.app.complaints import Statistics
from envdesk.app.workspace import Workspace
from envdesk.domain.complaints import POLLUTION_TYPES, Channel
from envdesk.i18n import N_, _, format_percent
from envdesk.ui.tabs.base import reports_errors
from envdesk.ui.widgets import print_button, retranslate_print_button

STATISTICS_LAYOUT_KEYS = ("dimension", "item", "count")


def statistics_rows(stats: Statistics) -> list[dict]:
    """The statistics as rows (dimension, item, count): one table that exports to a spreadsheet."""
    rows = [{"dimension": _("Total"), "item": "", "count": stats.total}]
    for key, count in sorted(stats.by_category.items(), key=lambda kv: -kv[1]):
        rows.append({"dimension": _("Pollution type"), "item": _(POLLUTION_TYPES[key][0]) if key in POLLUTION_TYPES
                     else key, "count": count})
    for key, count in sorted(stats.by_channel.items(), key=lambda kv: -kv[1]):
        rows.append({"dimension": _("Channel"), "item": Channel(key).label if key in {c.value for c in Channel}
                     else key, "count": count})
    for name, count in sorted(stats.by_town.items(), key=lambda kv: -kv[1]):
        rows.append({"dimension": _("Town"), "item": name or _("(none)"), "count": count})
    for month, count in sorted(stats.by_month.items()):
        rows.append({"dimension": _("Month"), "item": month, "count": count})
    for label, count in ((_("Repeat complaints"), stats.repeats), (_("Key cases"), stats.key_cases),
                         (_("Skip-level complaints"), stats.skip_level)):
        rows.append({"dimension": _("Flags"), "item": label, "count": count})
    return rows


def _bar_chart(title: str, items: list[tuple[str, int]]) -> QChartView:
    bar = QBarSet(title)
    for _label, count in items:
        bar.append(count)
    series = QBarSeries()
    series.append(bar)
    chart = QChart()
    chart.addSeries(series)
    chart.setTitle(title)
    chart.legend().setVisible(False)
    axis_x = QBarCategoryAxis()
    axis_x.append([label for label, _count in items])
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = QValueAxis()
    axis_y.setLabelFormat("%d")
    axis_y.setRange(0, max([count for _label, count in items] + [1]))
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    return view


class StatisticsDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("complaint_statistics")
        self.setWindowTitle(_("Complaint statistics"))
        today = date.today()
        self.start = QDateEdit(QDate(today.year, 1, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self.refresh)
        self.rates = QLabel()
        self.rates.setObjectName("statistics_rates")
        self.rates.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("statistics_table")
        self.table.verticalHeader().setVisible(False)
        self.charts = QGridLayout()
        export = QPushButton(_("Export…"))
        export.clicked.connect(lambda: self.export_file())
        self.print_button = print_button("print_statistics", self.print_report)
        retranslate_print_button(self.print_button, _("Print"))
        period = QHBoxLayout()
        period.addWidget(QLabel(_("Received from")))
        period.addWidget(self.start)
        period.addWidget(QLabel(_("to")))
        period.addWidget(self.end)
        period.addStretch(1)
        period.addWidget(self.print_button)
        period.addWidget(export)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(self.charts, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.rates)
        layout.addLayout(body)
        layout.addWidget(buttons)
        self.stats: Statistics | None = None
        self.refresh()
        self.resize(1200, 760)

    @reports_errors(N_("Cannot compute the statistics"))
    def refresh(self) -> None:
        self.stats = complaints.statistics(self.ws, self.start.date().toPython(), self.end.date().toPython())
        s = self.stats

        def rate(part: int, whole: int) -> str:
            value = Statistics.rate(part, whole)
            return "—" if value is None else format_percent(value)

        satisfaction = Statistics.rate(s.satisfied, s.followed_up)
        verdict = "" if satisfaction is None else (_("meets the target") if satisfaction >= s.satisfaction_target
                                                   else _("below the target"))
        self.rates.setText(_(
            "{total} complaints received. Accepted on time: {accepted} ({decided} decided). Replied on time: "
            "{replied} ({count} replied). Satisfaction: {satisfaction} of {followed} followed up — target {target}, "
            "{verdict}.").format(total=i18n.format_number(s.total), accepted=rate(s.accepted_on_time, s.decided),
                                 decided=s.decided, replied=rate(s.replied_on_time, s.replied), count=s.replied,
                                 satisfaction=rate(s.satisfied, s.followed_up), followed=s.followed_up,
                                 target=format_percent(s.satisfaction_target), verdict=verdict))
        rows = statistics_rows(s)
        self.table.setHorizontalHeaderLabels([_("Dimension"), _("Item"), _("Count")])
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, key in enumerate(STATISTICS_LAYOUT_KEYS):
                self.table.setItem(index, column, QTableWidgetItem(str(row[key])))
        self.table.resizeColumnsToContents()
        while self.charts.count():
            widget = self.charts.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        by_type = [(_(POLLUTION_TYPES[k][0]) if k in POLLUTION_TYPES else k, v)
                   for k, v in sorted(s.by_category.items(), key=lambda kv: -kv[1])]
        by_month = sorted(s.by_month.items())
        self.charts.addWidget(_bar_chart(_("By pollution type"), by_type), 0, 0)
        self.charts.addWidget(_bar_chart(_("By month"), [(m[5:], v) for m, v in by_month]), 1, 0)

    def print_report(self, language: str):
        from envdesk.app import reference
        from envdesk.reports import statistics_spec
        from envdesk.ui import documents

        stats = self.stats
        return documents.preview(self, lambda: statistics_spec(reference.get_bureau(self.ws), stats, language,
                                                               date.today()), document="complaints-statistics")

    def export_file(self, path: str | None = None) -> str | None:
        from envdesk.exchange import Column, Layout
        from envdesk.exchange.layout import ColumnType
        from envdesk.ui.dialogs.exchange import export_spreadsheet

        layout = Layout((Column("dimension", "类别", "Dimension"), Column("item", "项目", "Item"),
                         Column("count", "件数", "Count", type=ColumnType.INTEGER)),
                        title_zh="信访统计", title_en="Complaint statistics")
        rows = statistics_rows(self.stats) if self.stats else []
        return export_spreadsheet(self, layout, lambda: rows, path, register="complaints-statistics")
