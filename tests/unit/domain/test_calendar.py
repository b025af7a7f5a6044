"""The working-day calendar: shipped schedules, lookups, unknown years, JSON and CSV."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envdesk.domain.calendar import (
    CalendarDataError,
    UnknownYearError,
    WorkingCalendar,
    YearSchedule,
    dump_schedules_json,
    load_shipped_schedules,
    parse_schedule_csv,
    parse_schedules_json,
    shipped_calendar,
)

D = date.fromisoformat


def days(first: str, last: str) -> set[date]:
    start, end = D(first), D(last)
    return {start + timedelta(n) for n in range((end - start).days + 1)}


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar(load_shipped_schedules())


# --- the shipped data -------------------------------------------------------------------------------

def test_shipped_years_have_sources(calendar):
    assert calendar.known_years == (2025, 2026)
    for year in calendar.known_years:
        assert "国务院办公厅" in calendar.schedule(year).source


def test_shipped_2025_matches_the_notice(calendar):
    schedule = calendar.schedule(2025)
    assert schedule.holidays == (
        {D("2025-01-01")} | days("2025-01-28", "2025-02-04") | days("2025-04-04", "2025-04-06")
        | days("2025-05-01", "2025-05-05") | days("2025-05-31", "2025-06-02") | days("2025-10-01", "2025-10-08")
    )
    assert schedule.working_weekends == {D(d) for d in ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")}


def test_shipped_2026_matches_the_notice(calendar):
    schedule = calendar.schedule(2026)
    assert schedule.holidays == (
        days("2026-01-01", "2026-01-03") | days("2026-02-15", "2026-02-23") | days("2026-04-04", "2026-04-06")
        | days("2026-05-01", "2026-05-05") | days("2026-06-19", "2026-06-21") | days("2026-09-25", "2026-09-27")
        | days("2026-10-01", "2026-10-07")
    )
    assert schedule.working_weekends == {
        D(d) for d in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_each_shipped_year_has_248_working_days(calendar, year):
    # Cross-checked against the `chinesecalendar` package, which agrees day by day for 2025 and 2026.
    start = D(f"{year}-01-01")
    assert sum(calendar.is_working_day(start + timedelta(n)) for n in range(365)) == 248


def test_shipped_calendar_is_the_shipped_schedules():
    assert shipped_calendar().schedules == tuple(load_shipped_schedules())


# --- lookups ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-10-08", False),  # National Day + Mid-Autumn, a Wednesday
        ("2025-10-09", True),
        ("2025-10-11", True),  # a Saturday worked (调休)
        ("2025-10-12", False),  # an ordinary Sunday
        ("2026-01-04", True),  # a Sunday worked
        ("2026-02-14", True),  # Saturday before Spring Festival
        ("2026-02-16", False),
        ("2026-02-23", False),  # a Monday inside the break
        ("2026-02-24", True),
        ("2026-02-28", True),
        ("2026-06-19", False),
        ("2026-07-01", True),
    ],
)
def test_is_working_day(calendar, day, working):
    assert calendar.is_working_day(D(day)) is working
    assert calendar.day_info(D(day)) == (working, True)


def test_unknown_year_raises_with_the_year(calendar):
    with pytest.raises(UnknownYearError) as raised:
        calendar.is_working_day(D("2027-03-01"))
    assert raised.value.year == 2027
    assert "2027" in str(raised.value)
    assert isinstance(raised.value, LookupError)


def test_day_info_guesses_monday_to_friday_in_unknown_years(calendar):
    assert calendar.day_info(D("2027-01-01")) == (True, False)  # a Friday; really a holiday
    assert calendar.day_info(D("2027-01-02")) == (False, False)
    assert not calendar.is_known(2027)
    assert calendar.schedule(2027) is None


def test_next_working_day(calendar):
    assert calendar.next_working_day(D("2026-02-15")) == D("2026-02-24")
    assert calendar.next_working_day(D("2026-02-24")) == D("2026-02-24")
    assert calendar.next_working_day(D("2025-09-30")) == D("2025-09-30")
    assert calendar.next_working_day(D("2025-10-01")) == D("2025-10-09")
    assert calendar.next_working_day(D("2026-12-31")) == D("2026-12-31")
    assert calendar.next_working_day(D("2027-01-02")) == D("2027-01-04")  # guessed


def test_with_schedule_adds_and_replaces_without_changing_the_original(calendar):
    year_2027 = YearSchedule(2027, frozenset({D("2027-01-01")}), frozenset())
    extended = calendar.with_schedule(year_2027)
    assert extended.known_years == (2025, 2026, 2027)
    assert not extended.is_working_day(D("2027-01-01"))
    assert calendar.known_years == (2025, 2026)

    corrected = YearSchedule(2026, frozenset(), frozenset())
    replaced = extended.with_schedule(corrected)
    assert replaced.schedule(2026) is corrected
    assert replaced.is_working_day(D("2026-10-01"))


def test_later_schedules_replace_earlier_ones():
    first = YearSchedule(2026, frozenset({D("2026-03-02")}), frozenset())
    second = YearSchedule(2026, frozenset(), frozenset())
    assert WorkingCalendar([first, second]).schedule(2026) is second


# --- validation -------------------------------------------------------------------------------------

def test_schedule_accepts_any_iterable_and_freezes_it():
    schedule = YearSchedule(2026, [D("2026-01-01")], {D("2026-01-04")})
    assert schedule.holidays == frozenset({D("2026-01-01")})
    assert isinstance(schedule.working_weekends, frozenset)


@pytest.mark.parametrize(
    ("holidays", "working", "fragment"),
    [
        ({D("2025-12-31")}, set(), "2025-12-31 is not in 2026"),
        (set(), {D("2026-01-05")}, "2026-01-05 is listed as a working weekend day but is not a Saturday or Sunday"),
        ({D("2026-01-04")}, {D("2026-01-04")}, "2026-01-04 is listed both as a rest day and as a working day"),
    ],
)
def test_schedule_rejects_bad_data(holidays, working, fragment):
    with pytest.raises(CalendarDataError, match=fragment):
        YearSchedule(2026, frozenset(holidays), frozenset(working))


# --- JSON -------------------------------------------------------------------------------------------

def test_json_round_trip_of_the_shipped_schedules(calendar):
    assert parse_schedules_json(dump_schedules_json(calendar.schedules)) == list(calendar.schedules)


def test_json_is_readable_chinese_and_sorted(calendar):
    text = dump_schedules_json(reversed(calendar.schedules))
    assert "国务院办公厅" in text
    document = json.loads(text)
    assert list(document["years"]) == ["2025", "2026"]
    assert document["years"]["2026"]["holidays"] == sorted(document["years"]["2026"]["holidays"])


def _document(**year_2026) -> str:
    entry = {"source": "", "holidays": ["2026-01-01"], "working_weekends": ["2026-01-04"], **year_2026}
    return json.dumps({"format": 1, "years": {"2026": entry}})


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("{\n  \"format\": 1,\n  oops\n}", ["my.json", "line 3", "not valid JSON"]),
        ("[]", ["my.json", "'format' and 'years'"]),
        (json.dumps({"format": 2, "years": {}}), ["my.json", "format 2", "reads format 1"]),
        (json.dumps({"format": 1, "years": {"26": {}}}), ["my.json", "'26' is not a year"]),
        (_document(holidays=["2026-02-30"]), ["my.json", "year 2026", "holidays", "2026-02-30", "YYYY-MM-DD"]),
        (_document(holidays=[20260101]), ["my.json", "year 2026", "20260101"]),
        (_document(holidays="2026-01-01"), ["my.json", "year 2026", "'holidays' must be a list"]),
        (_document(working_weekends=["2026-01-05"]), ["my.json", "year 2026", "2026-01-05", "not a Saturday or Sunday"]),
        (_document(holidays=["2025-01-01"]), ["my.json", "year 2026", "2025-01-01 is not in 2026"]),
        (_document(workdays=[]), ["my.json", "year 2026", "unknown field 'workdays'"]),
    ],
)
def test_json_errors_say_where_and_what(text, fragments):
    with pytest.raises(CalendarDataError) as raised:
        parse_schedules_json(text, source_name="my.json")
    for fragment in fragments:
        assert fragment in str(raised.value)


weekend_days = st.dates(date(2026, 1, 1), date(2026, 12, 31)).filter(lambda d: d.weekday() >= 5)


@given(
    holidays=st.frozensets(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=40),
    working=st.frozensets(weekend_days, max_size=10),
    source=st.text(max_size=40),
)
def test_json_round_trip_property(holidays, working, source):
    schedule = YearSchedule(2026, holidays - working, working, source)
    assert parse_schedules_json(dump_schedules_json([schedule])) == [schedule]


# --- CSV import -------------------------------------------------------------------------------------

def test_csv_import_groups_years_and_reads_every_spelling():
    text = (
        "\ufeffdate,kind\n"
        "2026-12-31,rest\n"
        "2027-01-01,休\n"
        "2027-01-02,休息\n"
        "\n"
        "2027-02-06,班\n"
        "2027-02-07, 上班 \n"
        "2027/2/13,WORK\n"  # as Excel saves a date column
    )
    schedules = parse_schedule_csv(text, "2027.csv")
    assert [s.year for s in schedules] == [2026, 2027]
    assert schedules[0].holidays == {D("2026-12-31")}
    assert schedules[1].holidays == {D("2027-01-01"), D("2027-01-02")}
    assert schedules[1].working_weekends == {D("2027-02-06"), D("2027-02-07"), D("2027-02-13")}


def test_csv_of_the_shipped_year_gives_the_shipped_schedule(calendar):
    schedule = calendar.schedule(2026)
    rows = [f"{d.isoformat()},rest" for d in sorted(schedule.holidays)]
    rows += [f"{d.isoformat()},work" for d in sorted(schedule.working_weekends)]
    (imported,) = parse_schedule_csv("日期,类型\n" + "\n".join(rows))
    assert (imported.holidays, imported.working_weekends) == (schedule.holidays, schedule.working_weekends)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ["h.csv", "empty", "date,kind"]),
        ("day,type\n2027-01-01,rest\n", ["h.csv", "line 1", "day,type"]),
        ("date,kind\n", ["h.csv", "no dates"]),
        ("date,kind\n2027-01-01,rest\n02/01/2027,rest\n", ["h.csv", "line 3", "02/01/2027", "YYYY-MM-DD"]),
        ("date,kind\n2027-02-30,rest\n", ["h.csv", "line 2", "2027-02-30"]),
        ("date,kind\n2027-01-01,holiday\n", ["h.csv", "line 2", "'holiday'", "rest"]),
        ("date,kind\n2027-01-01\n", ["h.csv", "line 2", "''"]),
        ("date,kind\n2027-01-01,rest\n\n2027-01-01,work\n", ["h.csv", "line 4", "2027-01-01", "line 2"]),
        ("date,kind\n2027-01-01,rest\n2027-01-04,work\n", ["h.csv", "line 3", "2027-01-04", "not a Saturday or Sunday"]),
    ],
)
def test_csv_errors_name_file_line_and_value(text, fragments):
    with pytest.raises(CalendarDataError) as raised:
        parse_schedule_csv(text, "h.csv")
    for fragment in fragments:
        assert fragment in str(raised.value)
