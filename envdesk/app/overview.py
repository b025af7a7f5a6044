"""The Overview: what every register reports as overdue or due soon, through one small provider interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Protocol

from envdesk.app import calendar as calendar_app
from envdesk.app import reference
from envdesk.app import settings as settings_app
from envdesk.app.access import requires
from envdesk.app.approvals import ApprovalsDue
from envdesk.app.complaints import ComplaintsDue
from envdesk.app.responsibility import ResponsibilityDue
from envdesk.app.twinning import TwinningDue
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _


class Severity(str, Enum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NOTICE = "notice"


SEVERITY_LABELS = {
    Severity.OVERDUE: N_("Overdue"),
    Severity.DUE_SOON: N_("Due soon"),
    Severity.NOTICE: N_("Notice"),
}


@dataclass(frozen=True)
class DueItem:
    register: str          # N_-marked name of the register, translated where shown
    reference: str         # number or name a person recognises (XF-2026-0001, a project, a task)
    title: str             # what is due, already in the data's language
    severity: Severity
    due: date | None = None
    days_left: int | None = None  # negative when overdue
    rule: str = ""         # the rule that produced the deadline, for "why is this due?"


@dataclass(frozen=True)
class Figure:
    label: str   # N_-marked
    value: int


@dataclass(frozen=True)
class Overview:
    today: date
    horizon_days: int
    items: list[DueItem] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for item in self.items if item.severity is severity)


class DueProvider(Protocol):
    """A register's answer to "what is overdue or due within `horizon_days`?" and its headline figures."""

    def due_items(self, ws: Workspace, today: date, horizon_days: int) -> list[DueItem]: ...

    def figures(self, ws: Workspace, today: date) -> list[Figure]: ...


class CalendarNotices:
    """Every deadline depends on the holiday schedule: say when next year's is missing."""

    def due_items(self, ws: Workspace, today: date, horizon_days: int) -> list[DueItem]:
        return [
            DueItem(
                register=N_("Working-day calendar"),
                reference=str(year),
                title=_("The {year} holiday schedule has not been entered; deadlines reaching {year} "
                        "assume weekends only. Enter it in Settings → Working-day calendar.").format(year=year),
                severity=Severity.NOTICE,
            )
            for year in calendar_app.missing_years(ws, today)
        ]

    def figures(self, ws: Workspace, today: date) -> list[Figure]:
        return []


class ReferenceFigures:
    def due_items(self, ws: Workspace, today: date, horizon_days: int) -> list[DueItem]:
        return []

    def figures(self, ws: Workspace, today: date) -> list[Figure]:
        counts = reference.counts(ws)
        return [
            Figure(N_("Departments"), counts["departments"]),
            Figure(N_("Staff"), counts["staff"]),
            Figure(N_("Leaders"), counts["leaders"]),
            Figure(N_("Towns"), counts["towns"]),
        ]


# Registers add their providers here as they are built.
PROVIDERS: list[DueProvider] = [CalendarNotices(), ComplaintsDue(), ApprovalsDue(), TwinningDue(),
                                 ResponsibilityDue(), ReferenceFigures()]

_ORDER = {Severity.OVERDUE: 0, Severity.DUE_SOON: 1, Severity.NOTICE: 2}


@requires(Permission.VIEW)
def build(ws: Workspace, today: date | None = None) -> Overview:
    today = today or date.today()
    horizon = settings_app.get_value(ws, "calendar/due_soon_days")
    items: list[DueItem] = []
    figures: list[Figure] = []
    for provider in PROVIDERS:
        items.extend(provider.due_items(ws, today, horizon))
        figures.extend(provider.figures(ws, today))
    items.sort(key=lambda i: (_ORDER[i.severity], i.days_left if i.days_left is not None else 10**6, i.reference))
    return Overview(today, horizon, items, figures)
