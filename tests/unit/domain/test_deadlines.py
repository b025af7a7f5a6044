"""Deadline clocks: calendar and working days across China's holidays, pauses, extensions, urgency."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envdesk.domain.calendar import WorkingCalendar, YearSchedule, load_shipped_schedules
from envdesk.domain.deadlines import (
    Deadline,
    Pause,
    Rule,
    Unit,
    Urgency,
    compute_deadline,
    working_days_between,
)

D = date.fromisoformat
CAL = WorkingCalendar(load_shipped_schedules())
WARNING_2027 = "No holiday schedule for 2027: weekends only were assumed; enter the 2027 schedule in Settings."


def working(limit: int) -> Rule:
    return Rule("test/working", "Working-day test rule", limit, Unit.WORKING_DAYS)


def calendar_days(limit: int, roll_forward: bool = True) -> Rule:
    return Rule("test/calendar", "Calendar-day test rule", limit, Unit.CALENDAR_DAYS, roll_forward=roll_forward)


def due(start: str, rule: Rule, **kwargs) -> date:
    return compute_deadline(D(start), rule, CAL, **kwargs).due


# --- the worked examples of DOMAIN.md ---------------------------------------------------------------

def test_twenty_working_days_across_national_day_2025():
    deadline = compute_deadline(D("2025-09-26"), working(20), CAL)
    assert deadline.due == D("2025-10-30")
    assert deadline.warnings == ()
    assert (deadline.paused_days, deadline.paused, deadline.extension_days) == (0, False, 0)


def test_five_working_days_across_spring_festival_2026():
    # 11, 12, 13 Feb, Saturday 14 Feb (worked), then the break 15-23 Feb, then 24 Feb.
    assert due("2026-02-10", working(5)) == D("2026-02-24")


# --- working days -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("start", "limit", "expected"),
    [
        ("2026-09-28", 5, "2026-10-10"),  # 29, 30 Sep; 8, 9 Oct; Saturday 10 Oct is worked
        ("2026-09-18", 1, "2026-09-20"),  # Sunday 20 Sep is worked
        ("2025-09-26", 1, "2025-09-28"),  # Sunday 28 Sep 2025 is worked
        ("2025-09-30", 1, "2025-10-09"),  # the whole National Day break is skipped
        ("2026-01-30", 10, "2026-02-13"),
        ("2026-01-30", 11, "2026-02-14"),  # the worked Saturday before Spring Festival
        ("2026-01-30", 12, "2026-02-24"),
        ("2026-02-24", 3, "2026-02-27"),
        ("2026-02-24", 4, "2026-02-28"),  # the worked Saturday after it
        ("2026-02-20", 1, "2026-02-24"),  # starting inside the break
    ],
)
def test_working_days_across_holidays(start, limit, expected):
    assert due(start, working(limit)) == D(expected)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-03-02", "2026-03-02"),  # a Monday: the same day
        ("2026-02-14", "2026-02-14"),  # a worked Saturday: the same day
        ("2026-02-21", "2026-02-24"),  # inside Spring Festival: the next working day
        ("2026-03-01", "2026-03-02"),  # a Sunday
    ],
)
def test_zero_working_days_is_the_same_or_next_working_day(start, expected):
    assert due(start, working(0)) == D(expected)


# --- calendar days ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("start", "limit", "rolled", "unrolled"),
    [
        ("2025-08-05", 60, "2025-10-09", "2025-10-04"),  # lands in National Day 2025
        ("2026-09-16", 15, "2026-10-08", "2026-10-01"),  # lands on National Day 2026
        ("2026-02-06", 15, "2026-02-24", "2026-02-21"),  # lands in Spring Festival 2026
        ("2026-01-30", 15, "2026-02-14", "2026-02-14"),  # a worked Saturday needs no moving
        ("2026-03-02", 5, "2026-03-09", "2026-03-07"),  # an ordinary Saturday
        ("2026-03-02", 4, "2026-03-06", "2026-03-06"),
        ("2026-03-01", 0, "2026-03-02", "2026-03-01"),  # limit 0 on a Sunday
    ],
)
def test_calendar_days_roll_forward_only_when_the_rule_says_so(start, limit, rolled, unrolled):
    assert due(start, calendar_days(limit)) == D(rolled)
    assert due(start, calendar_days(limit, roll_forward=False)) == D(unrolled)


# --- extensions -------------------------------------------------------------------------------------

def test_extension_in_calendar_days():
    deadline = compute_deadline(D("2025-07-01"), calendar_days(60), CAL, extension_days=30)
    assert deadline.due == D("2025-09-29")
    assert deadline.extension_days == 30


def test_extension_in_working_days():
    assert due("2025-09-26", working(20), extension_days=10) == D("2025-11-13")


def test_negative_extension_is_refused():
    with pytest.raises(ValueError):
        compute_deadline(D("2026-03-02"), working(20), CAL, extension_days=-1)


# --- pauses -----------------------------------------------------------------------------------------

def test_twenty_working_days_without_a_pause():
    assert due("2026-03-02", working(20)) == D("2026-03-30")


def test_a_pause_moves_the_deadline_across_qingming():
    deadline = compute_deadline(D("2026-03-02"), working(20), CAL, pauses=[Pause(D("2026-03-09"), D("2026-03-13"))])
    assert deadline.due == D("2026-04-07")  # 4-6 April is Qingming
    assert deadline.paused_days == 5
    assert not deadline.paused


def test_overlapping_pauses_count_once():
    pauses = [Pause(D("2026-03-09"), D("2026-03-11")), Pause(D("2026-03-10"), D("2026-03-13"))]
    deadline = compute_deadline(D("2026-03-02"), working(20), CAL, pauses=pauses)
    assert (deadline.due, deadline.paused_days) == (D("2026-04-07"), 5)


def test_pauses_before_the_start_are_ignored():
    before = compute_deadline(D("2026-03-02"), working(20), CAL, pauses=[Pause(D("2026-02-20"), D("2026-03-01"))])
    assert (before.due, before.paused_days) == (D("2026-03-30"), 0)
    straddling = compute_deadline(D("2026-03-02"), working(20), CAL, pauses=[Pause(D("2026-02-25"), D("2026-03-04"))])
    assert (straddling.due, straddling.paused_days) == (D("2026-04-01"), 2)


def test_a_pause_in_calendar_days():
    deadline = compute_deadline(
        D("2026-03-02"), calendar_days(30), CAL, pauses=[Pause(D("2026-03-10"), D("2026-03-19"), "expert review")]
    )
    assert deadline.due == D("2026-04-13")  # 1 Apr + 10 paused days = 11 Apr, a Saturday -> Monday
    assert deadline.paused_days == 10


def test_an_open_pause_runs_through_as_of():
    deadline = compute_deadline(D("2026-03-02"), working(20), CAL, pauses=[Pause(D("2026-03-09"))], as_of=D("2026-03-12"))
    assert deadline.paused
    assert deadline.paused_days == 4
    assert deadline.due == D("2026-04-03")
    assert deadline.urgency(D("2026-03-12")) is Urgency.PAUSED
    assert not deadline.is_overdue(D("2026-05-01"))  # a stopped clock is never late


def test_an_open_pause_that_has_not_started_yet():
    deadline = compute_deadline(D("2026-03-02"), working(20), CAL, pauses=[Pause(D("2026-03-09"))], as_of=D("2026-03-05"))
    assert not deadline.paused
    assert (deadline.due, deadline.paused_days) == (D("2026-03-30"), 0)


def test_an_open_pause_after_the_clock_ran_out_stops_nothing():
    deadline = compute_deadline(D("2026-03-02"), working(20), CAL, pauses=[Pause(D("2026-04-01"))], as_of=D("2026-04-02"))
    assert not deadline.paused
    assert deadline.due == D("2026-03-30")
    assert deadline.urgency(D("2026-04-02")) is Urgency.OVERDUE


def test_an_open_pause_needs_as_of():
    with pytest.raises(ValueError):
        compute_deadline(D("2026-03-02"), working(20), CAL, pauses=[Pause(D("2026-03-09"))])


def test_a_pause_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="2026-03-08"):
        Pause(D("2026-03-09"), D("2026-03-08"))


# --- years without a schedule -----------------------------------------------------------------------

def test_working_days_into_an_unknown_year_warn():
    deadline = compute_deadline(D("2026-12-20"), working(20), CAL)
    assert deadline.warnings == (WARNING_2027,)
    assert deadline.due == D("2027-01-15")  # weekends only: 1 January 2027 is counted as a working day


def test_calendar_days_into_an_unknown_year_warn_only_when_the_calendar_is_asked():
    assert compute_deadline(D("2026-12-20"), calendar_days(30, roll_forward=False), CAL).warnings == ()
    assert compute_deadline(D("2026-12-20"), calendar_days(30), CAL).warnings == (WARNING_2027,)


def test_a_known_year_needs_no_warning():
    assert compute_deadline(D("2026-12-01"), working(20), CAL).warnings == ()


def test_entering_the_next_schedule_removes_the_warning():
    year_2027 = YearSchedule(2027, frozenset({D("2027-01-01")}), frozenset())
    deadline = compute_deadline(D("2026-12-20"), working(20), CAL.with_schedule(year_2027))
    assert deadline.warnings == ()
    assert deadline.due == D("2027-01-18")


def test_every_unknown_year_is_named():
    deadline = compute_deadline(D("2027-12-20"), working(20), WorkingCalendar())
    assert [("2027" in w, "2028" in w) for w in deadline.warnings] == [(True, False), (False, True)]


# --- the Deadline value -----------------------------------------------------------------------------

@pytest.fixture
def deadline_30_oct() -> Deadline:
    return compute_deadline(D("2025-09-26"), working(20), CAL)


def test_days_left(deadline_30_oct):
    assert deadline_30_oct.days_left(D("2025-10-20")) == 10
    assert deadline_30_oct.days_left(D("2025-10-30")) == 0
    assert deadline_30_oct.days_left(D("2025-11-02")) == -3


def test_working_days_left(deadline_30_oct):
    assert deadline_30_oct.working_days_left(CAL, D("2025-09-26")) == 20
    assert deadline_30_oct.working_days_left(CAL, D("2025-10-30")) == 0
    assert deadline_30_oct.working_days_left(CAL, D("2025-11-03")) == -2


def test_is_overdue(deadline_30_oct):
    assert not deadline_30_oct.is_overdue(D("2025-10-30"))
    assert deadline_30_oct.is_overdue(D("2025-10-31"))
    assert not deadline_30_oct.is_overdue(D("2025-12-01"), done_on=D("2025-10-30"))
    assert deadline_30_oct.is_overdue(D("2025-10-01"), done_on=D("2025-10-31"))


@pytest.mark.parametrize(
    ("today", "done_on", "expected"),
    [
        ("2025-10-01", None, Urgency.ON_TRACK),
        ("2025-10-23", None, Urgency.DUE_SOON),
        ("2025-10-29", None, Urgency.DUE_SOON),
        ("2025-10-30", None, Urgency.DUE_TODAY),
        ("2025-10-31", None, Urgency.OVERDUE),
        ("2025-11-30", "2025-10-30", Urgency.DONE_ON_TIME),
        ("2025-10-01", "2025-10-31", Urgency.DONE_LATE),
    ],
)
def test_urgency(deadline_30_oct, today, done_on, expected):
    assert deadline_30_oct.urgency(D(today), done_on=D(done_on) if done_on else None) is expected


def test_due_soon_window_is_adjustable(deadline_30_oct):
    assert deadline_30_oct.urgency(D("2025-10-20"), due_soon_days=10) is Urgency.DUE_SOON
    assert deadline_30_oct.urgency(D("2025-10-20"), due_soon_days=9) is Urgency.ON_TRACK


def test_urgency_values_and_labels():
    assert [u.value for u in Urgency] == [
        "done_on_time", "done_late", "paused", "overdue", "due_today", "due_soon", "on_track"
    ]
    assert all(u.label for u in Urgency)


def test_working_days_between():
    assert working_days_between(CAL, D("2025-09-26"), D("2025-10-30")) == 20
    assert working_days_between(CAL, D("2026-02-13"), D("2026-02-24")) == 2
    assert working_days_between(CAL, D("2026-02-24"), D("2026-02-24")) == 0
    assert working_days_between(CAL, D("2026-02-24"), D("2026-02-13")) == 0


# --- the Rule value ---------------------------------------------------------------------------------

def test_describe():
    rule = Rule("complaints/handling", "Handle and reply", 60, Unit.CALENDAR_DAYS, "Regulations on Letters and Visits, art. 34")
    assert rule.describe() == "60 calendar days (Regulations on Letters and Visits, art. 34)"
    assert working(1).describe() == "1 working day"
    assert working(5).describe() == "5 working days"


def test_rule_takes_the_unit_as_stored_in_settings():
    assert Rule("k", "n", 5, "working_days").unit is Unit.WORKING_DAYS  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Rule("k", "n", 5, "fortnights")  # type: ignore[arg-type]


def test_rule_limit_cannot_be_negative():
    with pytest.raises(ValueError):
        working(-1)


# --- properties -------------------------------------------------------------------------------------

starts = st.dates(date(2025, 1, 1), date(2026, 12, 31))
limits = st.integers(min_value=0, max_value=90)
units = st.sampled_from(Unit)
pauses = st.lists(
    st.builds(
        lambda start, length: Pause(start, start + timedelta(days=length)),
        st.dates(date(2024, 12, 1), date(2027, 3, 31)),
        st.integers(min_value=0, max_value=30),
    ),
    max_size=3,
)


def rule_of(limit: int, unit: Unit, roll_forward: bool = True) -> Rule:
    return Rule("prop", "Property rule", limit, unit, roll_forward=roll_forward)


@given(start=starts, limit=limits, unit=units, roll=st.booleans(), paused=pauses)
def test_due_is_never_before_start_and_monotone_in_limit(start, limit, unit, roll, paused):
    shorter = compute_deadline(start, rule_of(limit, unit, roll), CAL, pauses=paused)
    longer = compute_deadline(start, rule_of(limit + 1, unit, roll), CAL, pauses=paused)
    assert start <= shorter.due <= longer.due


@given(start=starts, limit=limits, unit=units, roll=st.booleans(), paused=pauses, extra=pauses)
def test_adding_a_pause_never_makes_the_deadline_earlier(start, limit, unit, roll, paused, extra):
    rule = rule_of(limit, unit, roll)
    before = compute_deadline(start, rule, CAL, pauses=paused)
    after = compute_deadline(start, rule, CAL, pauses=paused + extra)
    assert after.due >= before.due
    assert after.paused_days >= before.paused_days


@given(start=starts, limit=limits, paused=pauses)
def test_a_working_day_deadline_is_a_working_day(start, limit, paused):
    deadline = compute_deadline(start, rule_of(limit, Unit.WORKING_DAYS), CAL, pauses=paused)
    assert CAL.day_info(deadline.due)[0]


@given(start=starts, limit=st.integers(min_value=1, max_value=90))
def test_working_days_between_start_and_due_is_the_limit(start, limit):
    # (Limit 0 is excluded: on a rest day it means the next working day, one working day later.)
    deadline = compute_deadline(start, rule_of(limit, Unit.WORKING_DAYS), CAL)
    assert working_days_between(CAL, start, deadline.due) == limit


@given(start=starts, limit=limits, paused=pauses)
def test_calendar_days_without_roll_forward_are_plain_arithmetic(start, limit, paused):
    deadline = compute_deadline(start, rule_of(limit, Unit.CALENDAR_DAYS, roll_forward=False), CAL, pauses=paused)
    assert deadline.due == start + timedelta(days=limit + deadline.paused_days)


@given(start=starts, limit=limits, paused=pauses)
def test_roll_forward_moves_to_the_next_working_day(start, limit, paused):
    plain = compute_deadline(start, rule_of(limit, Unit.CALENDAR_DAYS, roll_forward=False), CAL, pauses=paused)
    rolled = compute_deadline(start, rule_of(limit, Unit.CALENDAR_DAYS), CAL, pauses=paused)
    assert rolled.due == CAL.next_working_day(plain.due)


@given(start=starts, limit=limits, extension=st.integers(min_value=0, max_value=30), unit=units, paused=pauses)
def test_an_extension_is_the_same_as_a_longer_limit(start, limit, extension, unit, paused):
    extended = compute_deadline(start, rule_of(limit, unit), CAL, pauses=paused, extension_days=extension)
    longer = compute_deadline(start, rule_of(limit + extension, unit), CAL, pauses=paused)
    assert extended.due == longer.due


@given(start=starts, limit=st.integers(min_value=1, max_value=90), unit=units, as_of_offset=st.integers(0, 60))
def test_an_open_pause_started_on_the_first_day_holds_the_clock(start, limit, unit, as_of_offset):
    as_of = start + timedelta(days=1 + as_of_offset)
    deadline = compute_deadline(start, rule_of(limit, unit), CAL, pauses=[Pause(start + timedelta(days=1))], as_of=as_of)
    assert deadline.paused
    assert deadline.due > as_of
