"""China's working-day calendar: official holiday schedules per year, loaded, imported and queried."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from envdesk import paths
from envdesk.i18n import _

ONE_DAY = timedelta(days=1)
SATURDAY = 5
JSON_FORMAT = 1
JSON_COMMENT = (
    "EnvDesk working-day calendar. years: {YEAR: {source: the notice the schedule comes from; "
    "holidays: every rest day of the official breaks, weekends inside a break included (ISO dates); "
    "working_weekends: the Saturdays and Sundays that are working days (调休)}}. "
    "Days not listed: Monday to Friday are working days, Saturday and Sunday are rest days."
)
# What administrators type in the kind column of an imported schedule (compared case-insensitively).
CSV_REST_KINDS = frozenset({"rest", "休", "休息", "放假"})
CSV_WORK_KINDS = frozenset({"work", "班", "上班"})
CSV_DATE_HEADERS = frozenset({"date", "日期"})
CSV_KIND_HEADERS = frozenset({"kind", "类型"})


class CalendarDataError(ValueError):
    """A holiday schedule that cannot be used; the message names the file, line or date, and the fault."""

    def __init__(self, message: str, day: date | None = None) -> None:
        super().__init__(message)
        self.day = day


class UnknownYearError(LookupError):
    """No holiday schedule is known for `year`, so whether a day of it is a working day is unknown."""

    def __init__(self, year: int) -> None:
        super().__init__(_("No holiday schedule for {year}.").format(year=year))
        self.year = year


def is_weekend(day: date) -> bool:
    return day.weekday() >= SATURDAY


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: its rest days and the weekend days worked in exchange (调休)."""

    year: int
    holidays: frozenset[date]
    working_weekends: frozenset[date]
    source: str = ""

    def __post_init__(self) -> None:
        # Accept any iterable of dates, so callers can pass lists; the schedule itself stays immutable.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "working_weekends", frozenset(self.working_weekends))
        for day in sorted(self.holidays | self.working_weekends):
            if day.year != self.year:
                raise CalendarDataError(
                    _("{day} is not in {year}.").format(day=day.isoformat(), year=self.year), day
                )
        for day in sorted(self.working_weekends):
            if not is_weekend(day):
                raise CalendarDataError(
                    _("{day} is listed as a working weekend day but is not a Saturday or Sunday.").format(
                        day=day.isoformat()
                    ),
                    day,
                )
        both = sorted(self.holidays & self.working_weekends)
        if both:
            raise CalendarDataError(
                _("{day} is listed both as a rest day and as a working day.").format(day=both[0].isoformat()), both[0]
            )

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekends:
            return True
        return day not in self.holidays and not is_weekend(day)


class WorkingCalendar:
    """Answers 'is this a working day?' from the known yearly schedules; immutable."""

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._schedules: dict[int, YearSchedule] = {}
        for schedule in schedules:
            self._schedules[schedule.year] = schedule  # a later schedule for a year replaces an earlier one

    def __repr__(self) -> str:
        return f"WorkingCalendar(known_years={self.known_years})"

    @property
    def known_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._schedules))

    @property
    def schedules(self) -> tuple[YearSchedule, ...]:
        return tuple(self._schedules[year] for year in self.known_years)

    def schedule(self, year: int) -> YearSchedule | None:
        return self._schedules.get(year)

    def is_known(self, year: int) -> bool:
        return year in self._schedules

    def is_working_day(self, day: date) -> bool:
        schedule = self._schedules.get(day.year)
        if schedule is None:
            raise UnknownYearError(day.year)
        return schedule.is_working_day(day)

    def day_info(self, day: date) -> tuple[bool, bool]:
        """(is_working, known): for a year without a schedule, a Monday-to-Friday guess and known=False."""
        schedule = self._schedules.get(day.year)
        if schedule is None:
            return not is_weekend(day), False
        return schedule.is_working_day(day), True

    def next_working_day(self, day: date) -> date:
        """The first working day on or after `day` (guessing Monday to Friday in unknown years)."""
        while not self.day_info(day)[0]:
            day += ONE_DAY
        return day

    def with_schedule(self, schedule: YearSchedule) -> WorkingCalendar:
        return WorkingCalendar([*self._schedules.values(), schedule])


# --- the shipped schedules and the JSON format ------------------------------------------------------

def load_shipped_schedules() -> list[YearSchedule]:
    path = paths.resource_path("calendar", "cn_workdays.json")
    return parse_schedules_json(path.read_text(encoding="utf-8"), source_name=path.name)


@cache
def shipped_calendar() -> WorkingCalendar:
    """The calendar of the schedules shipped with EnvDesk (safe to share: calendars are immutable)."""
    return WorkingCalendar(load_shipped_schedules())


def _located(source_name: str, where: str, message: str) -> str:
    """'cn_workdays.json, year 2026: message' — the file, then the place in it, then what is wrong."""
    parts = [part for part in (source_name, where) if part]
    if not parts:
        return message
    return _("{where}: {message}").format(where=", ".join(parts), message=message)


# ISO dates; also 2027/1/1, which is how Excel saves a date column when an administrator edits the CSV.
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


def parse_date(value: object) -> date:
    """A date written YYYY-MM-DD (or YYYY/M/D); ValueError otherwise, including 2026-02-30."""
    match = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(value)
    return date(*map(int, match.groups()))


def _not_a_date(value: object) -> str:
    return _("'{value}' is not a date; write dates as YYYY-MM-DD.").format(value=value)


def parse_schedules_json(text: str, source_name: str = "") -> list[YearSchedule]:
    """Schedules from the JSON format that `dump_schedules_json` writes; CalendarDataError if malformed."""

    def fail(year: str, message: str, day: date | None = None, field: str = "") -> CalendarDataError:
        where = ", ".join(filter(None, [_("year {year}").format(year=year) if year else "", field]))
        return CalendarDataError(_located(source_name, where, message), day)

    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        where = _("line {line}").format(line=error.lineno)
        raise CalendarDataError(
            _located(source_name, where, _("not valid JSON ({error}).").format(error=error.msg))
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("years"), dict):
        raise fail("", _("expected an object with 'format' and 'years'."))
    if document.get("format") != JSON_FORMAT:
        raise fail(
            "",
            _("unsupported format {found!r}; this version of EnvDesk reads format {expected}.").format(
                found=document.get("format"), expected=JSON_FORMAT
            ),
        )
    schedules = []
    for key, entry in document["years"].items():
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            raise fail("", _("'{key}' is not a year.").format(key=key))
        if not isinstance(entry, dict):
            raise fail(key, _("expected an object with 'holidays' and 'working_weekends'."))
        unknown = set(entry) - {"source", "holidays", "working_weekends"}
        if unknown:
            raise fail(key, _("unknown field '{field}'.").format(field=sorted(unknown)[0]))
        source = entry.get("source", "")
        if not isinstance(source, str):
            raise fail(key, _("'source' must be text."))
        lists: dict[str, list[date]] = {}
        for field in ("holidays", "working_weekends"):
            values = entry.get(field, [])
            if not isinstance(values, list):
                raise fail(key, _("'{field}' must be a list of dates.").format(field=field))
            lists[field] = []
            for value in values:
                try:
                    lists[field].append(parse_date(value))
                except ValueError:
                    raise fail(key, _not_a_date(value), field=field) from None
        try:
            schedules.append(
                YearSchedule(int(key), frozenset(lists["holidays"]), frozenset(lists["working_weekends"]), source)
            )
        except CalendarDataError as error:
            raise fail(key, str(error), error.day) from None
    return sorted(schedules, key=lambda schedule: schedule.year)


def dump_schedules_json(schedules: Iterable[YearSchedule]) -> str:
    """The JSON text `parse_schedules_json` reads back: years and dates sorted, one date a line."""
    years = {
        str(schedule.year): {
            "source": schedule.source,
            "holidays": [day.isoformat() for day in sorted(schedule.holidays)],
            "working_weekends": [day.isoformat() for day in sorted(schedule.working_weekends)],
        }
        for schedule in WorkingCalendar(schedules).schedules  # one per year, sorted
    }
    document = {"format": JSON_FORMAT, "comment": JSON_COMMENT, "years": years}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- an administrator's CSV import ------------------------------------------------------------------

def parse_schedule_csv(text: str, source_name: str = "") -> list[YearSchedule]:
    """Schedules from a `date,kind` CSV (kind: rest or work; 休/班, 休息/上班 too), grouped by year.

    Every error names the file, the line and the offending value, so the administrator can fix it.
    """

    def fail(line: int | None, message: str, day: date | None = None) -> CalendarDataError:
        where = _("line {line}").format(line=line) if line is not None else ""
        return CalendarDataError(_located(source_name, where, message), day)

    # Excel writes UTF-8 with a byte-order mark; it is not part of the header.
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(reader, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        raise fail(None, _("the file is empty; expected a header line 'date,kind'."))
    names = [cell.strip().lower() for cell in header]
    if len(names) < 2 or names[0] not in CSV_DATE_HEADERS or names[1] not in CSV_KIND_HEADERS:
        raise fail(
            reader.line_num,
            _("expected the header 'date,kind', found '{value}'.").format(value=",".join(header)),
        )
    lines: dict[date, int] = {}
    rest: dict[int, set[date]] = {}
    work: dict[int, set[date]] = {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        value = row[0].strip()
        try:
            day = parse_date(value)
        except ValueError:
            raise fail(line, _not_a_date(value)) from None
        kind = row[1].strip() if len(row) > 1 else ""
        if kind.lower() in CSV_REST_KINDS:
            target = rest
        elif kind.lower() in CSV_WORK_KINDS:
            target = work
        else:
            raise fail(
                line,
                _("'{value}' is not a kind of day; write rest (休) or work (班).").format(value=kind),
            )
        if day in lines:
            raise fail(
                line,
                _("{day} is listed twice (first on line {first}).").format(day=day.isoformat(), first=lines[day]),
            )
        lines[day] = line
        target.setdefault(day.year, set()).add(day)
    if not lines:
        raise fail(None, _("no dates found below the header."))
    schedules = []
    for year in sorted(rest.keys() | work.keys()):
        try:
            schedules.append(YearSchedule(year, frozenset(rest.get(year, ())), frozenset(work.get(year, ()))))
        except CalendarDataError as error:
            line = lines.get(error.day) if error.day is not None else None
            raise fail(line, str(error), error.day) from None
    return schedules
