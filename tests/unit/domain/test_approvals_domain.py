"""The two clocks of an EIA approval, pinned across the 2026 National Day break and its working weekends.

2026: rest Sep 25–27 and Oct 1–7; working weekend days Sep 20 (Sunday) and Oct 10 (Saturday).
"""

from datetime import date

import pytest

from envdesk.domain.approvals import (
    ClockKind,
    DocumentType,
    Stages,
    Status,
    Track,
    check_pauses,
    check_project_code,
    clocks,
    days_counted,
    nearer,
    promised_rule_key,
    statutory_rule_key,
)
from envdesk.domain.calendar import WorkingCalendar, load_shipped_schedules
from envdesk.domain.deadlines import Pause, Rule, Unit, Urgency

CAL = WorkingCalendar(load_shipped_schedules())
RULES = {
    ClockKind.MISSING_MATERIALS: Rule("approvals/missing_materials", "", 5, Unit.CALENDAR_DAYS),
    ClockKind.STATUTORY: Rule("approvals/statutory/report_form", "", 30, Unit.WORKING_DAYS),
    ClockKind.PROMISED: Rule("approvals/promised/report_form", "", 7, Unit.WORKING_DAYS),
}
SAME_DAY = {
    ClockKind.MISSING_MATERIALS: RULES[ClockKind.MISSING_MATERIALS],
    ClockKind.STATUTORY: Rule("approvals/statutory/registration_form", "", 0, Unit.WORKING_DAYS),
    ClockKind.PROMISED: Rule("approvals/promised/registration_form", "", 0, Unit.WORKING_DAYS),
}
D = date.fromisoformat


def by_kind(stages: Stages, today: str, rules=RULES):
    return {c.kind: c for c in clocks(stages, rules, CAL, D(today))}


def form(**kwargs) -> Stages:
    values = dict(document_type=DocumentType.REPORT_FORM, track=Track.NORMAL, received_on=D("2026-09-21"))
    values.update(kwargs)
    return Stages(**values)


def test_both_clocks_across_national_day_without_a_pause():
    found = by_kind(form(accepted_on=D("2026-09-21")), "2026-09-22")
    # Sep 22–24, 28–30, Oct 8: seven working days; Sep 25–27 and Oct 1–7 are rest days.
    assert found[ClockKind.PROMISED].due == D("2026-10-08")
    # …then Oct 9, Saturday Oct 10 (a working day), Oct 12 … Nov 9 make thirty.
    assert found[ClockKind.STATUTORY].due == D("2026-11-09")
    assert found[ClockKind.PROMISED].used == 1
    assert found[ClockKind.PROMISED].left == 6


def test_an_expert_review_pause_moves_both_clocks():
    stages = form(accepted_on=D("2026-09-21"), pauses=(Pause(D("2026-09-28"), D("2026-10-09"), "expert review"),))
    found = by_kind(stages, "2026-10-12")
    # Sep 22–24 (3), the pause Sep 28–Oct 9, then Saturday Oct 10 (4), Oct 12, 13, 14 (7).
    assert found[ClockKind.PROMISED].due == D("2026-10-14")
    assert found[ClockKind.STATUTORY].due == D("2026-11-16")
    assert found[ClockKind.PROMISED].used == 5   # Sep 22, 23, 24, Oct 10, Oct 12
    assert found[ClockKind.PROMISED].urgency is Urgency.DUE_SOON


def test_decided_case_reports_how_much_faster_than_statutory():
    stages = form(accepted_on=D("2026-09-21"), decided_on=D("2026-10-13"),
                  pauses=(Pause(D("2026-09-28"), D("2026-10-09")),))
    found = by_kind(stages, "2026-11-20")
    statutory, promised = found[ClockKind.STATUTORY], found[ClockKind.PROMISED]
    assert statutory.used == promised.used == 6
    assert statutory.faster_by() == pytest.approx(0.8)
    assert promised.urgency is Urgency.DONE_ON_TIME
    assert statutory.urgency is Urgency.DONE_ON_TIME


def test_an_open_pause_holds_the_clocks():
    stages = form(accepted_on=D("2026-09-21"), pauses=(Pause(D("2026-09-28"), None),))
    found = by_kind(stages, "2026-10-20")
    promised = found[ClockKind.PROMISED]
    assert promised.urgency is Urgency.PAUSED
    assert promised.used == 3
    assert promised.due > D("2026-10-20")
    assert not promised.deadline.is_overdue(D("2026-10-20"))


def test_the_one_time_notification_clock_rolls_off_the_mid_autumn_break():
    found = by_kind(form(), "2026-09-22")
    missing = found[ClockKind.MISSING_MATERIALS]
    # Five calendar days from Monday Sep 21 is Saturday Sep 26, a rest day: the next working day.
    assert missing.due == D("2026-09-28")
    assert ClockKind.STATUTORY not in found


def test_no_timely_notification_means_accepted_on_receipt():
    # Accepted on Oct 9 without a one-time notification by Sep 28: the clocks run from receipt (art. 32).
    found = by_kind(form(accepted_on=D("2026-10-09")), "2026-10-09")
    assert found[ClockKind.STATUTORY].deadline.start == D("2026-09-21")
    assert found[ClockKind.STATUTORY].due == D("2026-11-09")
    assert found[ClockKind.PROMISED].urgency is Urgency.OVERDUE


def test_silence_past_the_notification_limit_starts_the_clocks_anyway():
    found = by_kind(form(), "2026-10-09")
    assert found[ClockKind.MISSING_MATERIALS].urgency is Urgency.OVERDUE
    assert found[ClockKind.PROMISED].deadline.start == D("2026-09-21")


def test_a_timely_notification_keeps_the_acceptance_date():
    found = by_kind(form(notified_on=D("2026-09-24"), accepted_on=D("2026-10-12")), "2026-10-12")
    assert found[ClockKind.MISSING_MATERIALS].urgency is Urgency.DONE_ON_TIME
    assert found[ClockKind.PROMISED].deadline.start == D("2026-10-12")
    # Oct 13, 14, 15, 16, 19, 20, 21.
    assert found[ClockKind.PROMISED].due == D("2026-10-21")


@pytest.mark.parametrize("received, due", [
    ("2026-10-10", "2026-10-10"),   # a working Saturday: the same day
    ("2026-10-11", "2026-10-12"),   # a Sunday: the next working day
    ("2026-10-05", "2026-10-08"),   # inside National Day: the first working day after it
])
def test_a_registration_form_is_due_the_same_working_day(received, due):
    stages = Stages(DocumentType.REGISTRATION_FORM, Track.NORMAL, D(received))
    found = by_kind(stages, received, SAME_DAY)
    assert set(found) == {ClockKind.STATUTORY, ClockKind.PROMISED}
    assert found[ClockKind.PROMISED].due == D(due)


def test_an_exempt_case_has_no_clock():
    assert clocks(form(track=Track.EXEMPT), RULES, CAL, D("2026-10-01")) == ()


def test_nearer_picks_the_running_clock_due_first():
    found = clocks(form(accepted_on=D("2026-09-21")), RULES, CAL, D("2026-09-22"))
    assert nearer(found).kind is ClockKind.PROMISED


def test_rule_keys_by_document_type_and_track():
    assert statutory_rule_key(DocumentType.REPORT_BOOK) == "approvals/statutory/report_book"
    assert promised_rule_key(DocumentType.REPORT_BOOK, Track.NORMAL) == "approvals/promised/report_book"
    assert promised_rule_key(DocumentType.REPORT_FORM, Track.GREEN_CHANNEL) == "approvals/promised/green_channel"
    assert promised_rule_key(DocumentType.REGISTRATION_FORM, Track.NORMAL) == \
        "approvals/promised/registration_form"


def test_days_counted_skips_pauses_and_rest_days():
    pauses = [Pause(D("2026-09-28"), D("2026-10-09"))]
    assert days_counted(D("2026-09-21"), D("2026-10-13"), Unit.WORKING_DAYS, CAL, pauses) == 6
    assert days_counted(D("2026-09-21"), D("2026-10-13"), Unit.CALENDAR_DAYS, CAL, pauses) == 10


@pytest.mark.parametrize("pauses, accepted, decided, message", [
    ([Pause(D("2026-09-20"), D("2026-09-25"))], "2026-09-21", None, "before the application is accepted"),
    ([Pause(D("2026-09-22"), D("2026-09-30")), Pause(D("2026-09-30"), D("2026-10-05"))], "2026-09-21", None,
     "overlap"),
    ([Pause(D("2026-09-22"), None), Pause(D("2026-10-01"), D("2026-10-05"))], "2026-09-21", None, "overlap"),
    ([Pause(D("2026-09-22"), D("2026-10-20"))], "2026-09-21", "2026-10-15", "past the decision"),
])
def test_bad_pauses_are_refused(pauses, accepted, decided, message):
    with pytest.raises(ValueError, match=message):
        check_pauses(pauses, D(accepted), D(decided) if decided else None)


def test_good_pauses_pass():
    check_pauses([Pause(D("2026-09-22"), D("2026-09-30")), Pause(D("2026-10-08"), None)], D("2026-09-21"))


@pytest.mark.parametrize("code", ["2017-130000-01-01-00001", "2019-330000-77-01-012345", " 2019-330000-77-01-012345 "])
def test_investment_project_codes(code):
    assert check_project_code(code) == code.strip()


@pytest.mark.parametrize("code", ["2017-13-01", "1899-130000-01-01-00001", "abcd-130000-01-01-00001", ""])
def test_bad_investment_project_codes(code):
    with pytest.raises(ValueError):
        check_project_code(code)


def test_statuses():
    assert Status.PAUSED.is_open and not Status.APPROVED.is_open
    assert Status.FILED.is_decided and not Status.WITHDRAWN.is_decided
    assert DocumentType.parse("报告表") is DocumentType.REPORT_FORM
    assert Track.parse("绿色通道") is Track.GREEN_CHANNEL
    assert Track.parse("green channel") is Track.GREEN_CHANNEL
