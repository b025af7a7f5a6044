"""Statutory clocks: a deadline from a start date, a rule, the working-day calendar, pauses and extensions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from envdesk.domain.calendar import ONE_DAY, WorkingCalendar
from envdesk.i18n import N_, _, ngettext


class Unit(str, Enum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class Rule:
    """A time limit as the law or a promise states it: `limit` days in `unit`, with its legal basis."""

    key: str
    name: str
    limit: int
    unit: Unit
    basis: str = ""
    # Common practice: a calendar-day deadline that lands on a rest day moves to the next working day.
    roll_forward: bool = True
    item: str = ""  # the service the limit applies to, as a public letter names it ("EIA report book approval")

    def __post_init__(self) -> None:
        # Settings store the unit as its string value; accept it so callers need not convert.
        object.__setattr__(self, "unit", Unit(self.unit))
        if self.limit < 0:
            raise ValueError(f"{self.key}: a time limit cannot be negative ({self.limit})")

    def describe(self) -> str:
        """'60 calendar days (Regulations on Letters and Visits, art. 34)', in the interface language."""
        if self.limit == 0:
            amount = _("Same day")
        elif self.unit is Unit.WORKING_DAYS:
            amount = ngettext("{count} working day", "{count} working days", self.limit).format(count=self.limit)
        else:
            amount = ngettext("{count} calendar day", "{count} calendar days", self.limit).format(count=self.limit)
        if not self.basis:
            return amount
        # A default basis is a catalog message; one an administrator typed prints as typed.
        return _("{limit} ({basis})").format(limit=amount, basis=_(self.basis))


@dataclass(frozen=True)
class Pause:
    """The clock stops from `start` to `end` inclusive (hearings, expert review, revisions); end None = still stopped."""

    start: date
    end: date | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                _("A pause cannot end ({end}) before it starts ({start}).").format(
                    start=self.start.isoformat(), end=self.end.isoformat()
                )
            )


class Urgency(str, Enum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    PAUSED = "paused"
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"

    @property
    def label(self) -> str:
        return _(URGENCY_LABELS[self])


URGENCY_LABELS = {
    Urgency.DONE_ON_TIME: N_("Done on time"),
    Urgency.DONE_LATE: N_("Done late"),
    Urgency.PAUSED: N_("Paused"),
    Urgency.OVERDUE: N_("Overdue"),
    Urgency.DUE_TODAY: N_("Due today"),
    Urgency.DUE_SOON: N_("Due soon"),
    Urgency.ON_TRACK: N_("On track"),
}


@dataclass(frozen=True)
class Deadline:
    """A computed deadline; `warnings` says when the calendar had to guess (a year without a schedule)."""

    rule: Rule
    start: date
    due: date
    extension_days: int
    paused_days: int  # calendar days inside the counted span on which the clock was stopped
    paused: bool  # an open pause holds the clock as of the computation date
    warnings: tuple[str, ...] = ()

    def days_left(self, today: date) -> int:
        """Calendar days from `today` to the due date; negative when overdue."""
        return (self.due - today).days

    def working_days_left(self, calendar: WorkingCalendar, today: date) -> int:
        """Working days after `today` up to the due date; negative (working days late) when overdue."""
        if today <= self.due:
            return working_days_between(calendar, today, self.due)
        return -working_days_between(calendar, self.due, today)

    def is_overdue(self, today: date, done_on: date | None = None) -> bool:
        if done_on is not None:
            return done_on > self.due
        # While the clock is stopped the due date keeps moving, so a stopped clock is never late.
        return not self.paused and today > self.due

    def urgency(self, today: date, due_soon_days: int = 7, done_on: date | None = None) -> Urgency:
        if done_on is not None:
            return Urgency.DONE_LATE if done_on > self.due else Urgency.DONE_ON_TIME
        if self.paused:
            return Urgency.PAUSED
        left = self.days_left(today)
        if left < 0:
            return Urgency.OVERDUE
        if left == 0:
            return Urgency.DUE_TODAY
        if left <= due_soon_days:
            return Urgency.DUE_SOON
        return Urgency.ON_TRACK


def unknown_year_warning(year: int) -> str:
    return _(
        "No holiday schedule for {year}: weekends only were assumed; enter the {year} schedule in Settings."
    ).format(year=year)


def _paused_dates(start: date, pauses: Sequence[Pause], as_of: date | None) -> frozenset[date]:
    """The union of the pauses after `start` (an open pause runs through `as_of`)."""
    days: set[date] = set()
    for pause in pauses:
        end = pause.end
        if end is None:
            if as_of is None:
                raise ValueError("an open pause needs as_of, the date the deadline is computed for")
            end = as_of  # not started yet when as_of < pause.start: the range below is empty
        day = max(pause.start, start + ONE_DAY)  # the day of the event and earlier never count anyway
        while day <= end:
            days.add(day)
            day += ONE_DAY
    return frozenset(days)


def compute_deadline(
    start: date,
    rule: Rule,
    calendar: WorkingCalendar,
    pauses: Sequence[Pause] = (),
    extension_days: int = 0,
    as_of: date | None = None,
) -> Deadline:
    """The due date of `rule` for an event on `start`: the event's own day is not counted.

    Calendar days count every day the clock runs; working days count the working days it runs.
    A limit of 0 means the same day (for working days: the next working day if `start` is not one).
    """
    if extension_days < 0:
        raise ValueError(f"extension_days cannot be negative ({extension_days})")
    paused_dates = _paused_dates(start, pauses, as_of)
    unknown_years: set[int] = set()

    def is_working(day: date) -> bool:
        working, known = calendar.day_info(day)
        if not known:
            unknown_years.add(day.year)
        return working

    total = rule.limit + extension_days
    day, counted, paused_days = start, 0, 0
    while counted < total:
        day += ONE_DAY
        if day in paused_dates:
            paused_days += 1
        elif rule.unit is Unit.CALENDAR_DAYS or is_working(day):
            counted += 1
    clock_end = day
    # A working-day count already ends on a working day unless the limit is 0; a calendar-day count
    # is moved off a rest day only when the rule says so.
    if rule.unit is Unit.WORKING_DAYS or rule.roll_forward:
        while not is_working(day):
            day += ONE_DAY
    # An open pause that began after the clock ran out stops nothing: the deadline is simply late.
    paused = as_of is not None and as_of <= clock_end and any(p.end is None and p.start <= as_of for p in pauses)
    return Deadline(
        rule=rule,
        start=start,
        due=day,
        extension_days=extension_days,
        paused_days=paused_days,
        paused=paused,
        warnings=tuple(unknown_year_warning(year) for year in sorted(unknown_years)),
    )


def working_days_between(calendar: WorkingCalendar, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start); guesses unknown years."""
    count = 0
    day = start + ONE_DAY
    while day <= end:
        count += calendar.day_info(day)[0]
        day += ONE_DAY
    return count
