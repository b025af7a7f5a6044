"""The working-day calendar in force: shipped schedules, overridden by those an administrator entered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from envdesk.app import changes
from envdesk.app.access import requires
from envdesk.app.errors import AppError, NotFound
from envdesk.app.workspace import Workspace
from envdesk.domain.calendar import (
    CalendarDataError,
    WorkingCalendar,
    YearSchedule,
    parse_schedule_csv,
    parse_schedules_json,
    shipped_calendar,
)
from envdesk.domain.users import Permission
from envdesk.i18n import _
from envdesk.store.models import CalendarYearRow

_CACHE = "calendar"


@dataclass(frozen=True)
class YearInfo:
    year: int
    source: str
    holidays: int
    working_weekends: int
    entered: bool  # True: entered or imported here; False: shipped with EnvDesk


def _schedule(row: CalendarYearRow) -> YearSchedule:
    return YearSchedule(
        year=row.year,
        holidays=frozenset(date.fromisoformat(d) for d in row.holidays),
        working_weekends=frozenset(date.fromisoformat(d) for d in row.working_weekends),
        source=row.source,
    )


def _entered(session) -> list[YearSchedule]:
    return [_schedule(row) for row in session.scalars(select(CalendarYearRow).order_by(CalendarYearRow.year))]


def _stamp(session):
    return tuple(session.execute(select(func.count(), func.max(CalendarYearRow.updated_at),
                                        func.sum(CalendarYearRow.version))).one())


@requires(Permission.VIEW)
def calendar(ws: Workspace) -> WorkingCalendar:
    """The shipped schedules with the years entered here on top; re-read when any workstation changes one."""
    return ws.cached(_CACHE, _stamp, lambda session: WorkingCalendar([*shipped_calendar().schedules,
                                                                        *_entered(session)]))


@requires(Permission.VIEW)
def years(ws: Workspace) -> list[YearInfo]:
    with ws.reading() as session:
        entered = {s.year: s for s in _entered(session)}
    shipped = {s.year: s for s in shipped_calendar().schedules}
    result = []
    for year in sorted(set(entered) | set(shipped)):
        schedule = entered.get(year) or shipped[year]
        result.append(YearInfo(year, schedule.source, len(schedule.holidays), len(schedule.working_weekends),
                               year in entered))
    return result


@requires(Permission.SETTINGS_EDIT)
def save_schedules(ws: Workspace, schedules: list[YearSchedule]) -> changes.Changes:
    """Store whole years (replacing any entered before); shipped data stays as the fallback."""
    with ws.transaction() as session:
        for schedule in schedules:
            row = session.get(CalendarYearRow, schedule.year)
            if row is None:
                row = CalendarYearRow(year=schedule.year)
                session.add(row)
            row.source = schedule.source
            row.holidays = sorted(d.isoformat() for d in schedule.holidays)
            row.working_weekends = sorted(d.isoformat() for d in schedule.working_weekends)
    ws.invalidate(_CACHE)
    return changes.Changes.of(changes.CALENDAR) | _refresh_dues(ws)


def _refresh_dues(ws: Workspace) -> changes.Changes:
    from envdesk.app import dues  # the registers import this module

    dues.refresh(ws)
    return changes.Changes.of(changes.APPROVALS, "complaints")


@requires(Permission.SETTINGS_EDIT)
def import_file(ws: Workspace, path: Path) -> tuple[list[YearSchedule], changes.Changes]:
    """Import a schedule file (.json as shipped, or .csv with date,kind lines); all or nothing."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise AppError(_("Cannot read {file}: {reason}").format(file=path, reason=error)) from None
    try:
        if path.suffix.lower() == ".json":
            schedules = parse_schedules_json(text, path.name)
        elif path.suffix.lower() in (".csv", ".txt"):
            schedules = parse_schedule_csv(text, path.name)
        else:
            raise AppError(_("{file}: a holiday schedule must be a .csv or .json file").format(file=path.name))
    except CalendarDataError as error:
        raise AppError(str(error)) from None
    if not schedules:
        raise AppError(_("{file} holds no dates").format(file=path.name))
    return schedules, save_schedules(ws, schedules)


@requires(Permission.SETTINGS_EDIT)
def forget_year(ws: Workspace, year: int) -> changes.Changes:
    """Drop an entered year; the shipped schedule (if any) applies again."""
    with ws.transaction() as session:
        row = session.get(CalendarYearRow, year)
        if row is None:
            raise NotFound(_("No schedule was entered for {year}").format(year=year))
        session.delete(row)
    ws.invalidate(_CACHE)
    return changes.Changes.of(changes.CALENDAR) | _refresh_dues(ws)


@requires(Permission.VIEW)
def missing_years(ws: Workspace, today: date) -> list[int]:
    """Years a deadline may soon reach but the calendar does not know.

    The next year's schedule is announced each November; from then on its absence is worth a notice.
    """
    cal = calendar(ws)
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [year for year in wanted if not cal.is_known(year)]
