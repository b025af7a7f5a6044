"""The Overview collects what providers report, ordered by urgency."""

from datetime import date

from envdesk.app import calendar as calendar_app
from envdesk.app import overview
from envdesk.app.overview import DueItem, Severity
from envdesk.domain.calendar import YearSchedule


def test_missing_next_year_schedule_is_a_notice_in_november(ws):
    result = overview.build(ws, today=date(2026, 11, 25))
    notices = [i for i in result.items if i.severity is Severity.NOTICE]
    assert [i.reference for i in notices] == ["2027"]
    assert "2027 holiday schedule has not been entered" in notices[0].title


def test_no_notice_before_november_or_once_entered(ws):
    assert not overview.build(ws, today=date(2026, 6, 1)).items
    calendar_app.save_schedules(ws, [YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset(), "test")])
    assert not overview.build(ws, today=date(2026, 11, 25)).items


def test_figures_and_order(demo_ws, monkeypatch):
    class Provider:
        def due_items(self, ws, today, horizon):
            return [DueItem("X", "b", "soon", Severity.DUE_SOON, date(2026, 11, 27), 2),
                    DueItem("X", "a", "late", Severity.OVERDUE, date(2026, 11, 20), -5),
                    DueItem("X", "c", "later", Severity.DUE_SOON, date(2026, 11, 30), 5)]

        def figures(self, ws, today):
            return []

    monkeypatch.setattr(overview, "PROVIDERS", [overview.CalendarNotices(), overview.ReferenceFigures(), Provider()])
    result = overview.build(demo_ws, today=date(2026, 11, 25))
    assert [i.reference for i in result.items] == ["a", "b", "c", "2027"]
    assert result.count(Severity.DUE_SOON) == 2
    assert {f.label: f.value for f in result.figures}["Departments"] == 10
    assert result.horizon_days == 7
