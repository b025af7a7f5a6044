"""The complaints register's use cases: the workflow and its statutory clocks, confidentiality, numbers, the ledger's
filters and search, repeat suggestions, statistics, attachments, the Overview, and the demo data."""

import hashlib
import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text

from envdesk.app import complaints, demo, enterprises, overview, reference
from envdesk.app import demo_complaints as dc
from envdesk.app import settings as settings_app
from envdesk.app.access import Principal
from envdesk.app.complaints import ComplaintFilter, ComplaintInput
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.errors import ConflictError, NotFound, ValidationError
from envdesk.app.overview import Severity
from envdesk.app.workspace import Workspace
from envdesk.domain.complaints import Channel, HandlingKind, Status
from envdesk.domain.deadlines import Urgency
from envdesk.domain.progress import Progress
from envdesk.store.complaints import ComplaintEventRow, ComplaintRow

TESTER = Principal.trusted("tester")

TODAY = date(2026, 6, 15)
LATER = date(2026, 12, 31)  # "today" for clocks that start in the second half of 2026
PHONE = "13812345678"


def at(day: date, hour: int = 10) -> datetime:
    """A local, aware time on `day` (the register takes the received date in local time)."""
    return datetime.combine(day, time(hour)).astimezone()


@pytest.fixture
def o(ws):
    return _office(ws)


@pytest.fixture
def o_any(any_ws):
    """The same office on each first-class database (the ledger's filters and search run in SQL)."""
    return _office(any_ws)


def _office(ws):
    """A small bureau: a complaints office, the enforcement brigade and the monitoring station; two leaders;
    two towns; one enterprise."""
    office, _c = reference.save_department(ws, None, "信访办")
    brigade, _c = reference.save_department(ws, None, "生态环境监察大队")
    station, _c = reference.save_department(ws, None, "环境监测站")
    chengguan, _c = reference.save_town(ws, None, "城关镇")
    baisha, _c = reference.save_town(ws, None, "白沙镇")

    def staff(name, department, **kw):
        return reference.save_staff(ws, None, name, department.id, phone="13900000000", **kw)[0]

    hongda, _c = enterprises.save_enterprise(ws, None, EnterpriseInput(
        "青溪县宏达化工有限公司", credit_code="91350100M000100Y43", town_id=baisha.id, address="白沙镇工业路23号",
        industry="化工", scale="medium"))
    return SimpleNamespace(
        ws=ws, office=office, brigade=brigade, station=station, chengguan=chengguan, baisha=baisha, hongda=hongda,
        director=staff("陈局长", office, title="局长", is_leader=True),
        deputy=staff("林副局长", brigade, title="副局长", is_leader=True),
        clerk=staff("李四", office), inspector=staff("王五", brigade), monitor=staff("赵六", station),
        retired=staff("钱退休", office, active=False))


def new(o, received=date(2026, 3, 2), today=TODAY, **kw):
    """Register a complaint: by default a phone call about night-time construction noise in 城关镇."""
    values = dict(channel="12369", received_at=at(received), first_receiver_id=o.clerk.id,
                  content="城东安置房项目工地夜间施工噪声扰民，晚上十一点以后还在打桩", pollution_types=("construction_noise",),
                  complainant_name="张伟", complainant_phone=PHONE, complainant_address="城关镇阳光花园3幢2单元501室",
                  subject="城东安置房项目工地", town_id=o.chengguan.id, location="城关镇人民路与建设路交叉口")
    values.update(kw)
    value, _c = complaints.register(o.ws, ComplaintInput(**values), today=today)
    return value


def accepted(o, received=date(2026, 3, 2), decided=None, today=TODAY, **kw):
    """Registered, accepted and assigned to the brigade."""
    value = new(o, received, today=today, **kw)
    decided = decided or received
    value, _c = complaints.decide(o.ws, value.id, "accept", decided, o.clerk.id, today=today)
    value, _c = complaints.assign(o.ws, value.id, o.brigade.id, o.inspector.id, decided, o.clerk.id, today=today)
    return value


def replied(o, received=date(2026, 3, 2), on=date(2026, 4, 10), today=TODAY, **kw):
    value = accepted(o, received, today=today, **kw)
    value, _c = complaints.reply(o.ws, value.id, on, "经现场核查，情况属实，已责令停止夜间施工。", o.clerk.id, today=today)
    return value


def followed(o, satisfaction="satisfied", received=date(2026, 3, 2), replied_on=date(2026, 4, 10),
             on=date(2026, 4, 15), today=TODAY, **kw):
    value = replied(o, received, replied_on, today=today, **kw)
    value, _c = complaints.follow_up(o.ws, value.id, on, "phone", satisfaction, "", o.clerk.id, today=today)
    return value


def clock(value, key):
    return {c.key: c for c in value.clocks}[key]


def events(ws, complaint_id):
    with ws.reading() as session:
        return session.execute(select(ComplaintEventRow.action, ComplaintEventRow.status)
                               .where(ComplaintEventRow.complaint_id == complaint_id)
                               .order_by(ComplaintEventRow.id)).all()


# --- the whole path -------------------------------------------------------------------------------

def test_the_clerks_path_from_a_phone_call_to_closing(o_any):
    o = o_any
    c = new(o, date(2026, 3, 2), channel="phone")
    assert (c.number, c.status, c.next_actions) == ("XF-2026-0001", Status.REGISTERED, ("decide",))
    assert c.received_date == date(2026, 3, 2) and c.channel is Channel.PHONE
    assert clock(c, "acceptance").due == date(2026, 3, 17)
    assert [k.key for k in c.clocks] == ["acceptance"]
    registered_version = c.version

    c, _ = complaints.decide(o.ws, c.id, "accept", date(2026, 3, 3), o.clerk.id, today=TODAY)
    assert c.status is Status.ACCEPTED and c.next_actions == ("assign",)
    assert clock(c, "acceptance").urgency is Urgency.DONE_ON_TIME
    # 60 days from acceptance: 2 May, in the May Day break (1–5 May) → Wednesday 6 May.
    assert clock(c, "handling").due == date(2026, 5, 6)

    c, _ = complaints.assign(o.ws, c.id, o.brigade.id, o.inspector.id, date(2026, 3, 4), o.clerk.id,
                             assisting=(o.station.id, o.brigade.id), today=TODAY)
    assert c.status is Status.ASSIGNED and c.lead_department == "生态环境监察大队" and c.lead_person == "王五"
    assert c.assisting_departments == ("环境监测站",)  # the lead department is not also assisting
    for day, kind, who, note in [(date(2026, 3, 5), "site_inspection", o.inspector, "现场检查，发现夜间施工"),
                                 (date(2026, 3, 10), "monitoring", o.monitor, "夜间场界噪声超标"),
                                 (date(2026, 3, 20), "enforcement", o.inspector, "责令停止夜间施工，立案查处")]:
        c, _ = complaints.record_handling(o.ws, c.id, day, kind, who.id, note, today=TODAY)
    assert [h.kind for h in c.handlings] == [HandlingKind.SITE_INSPECTION, HandlingKind.MONITORING,
                                             HandlingKind.ENFORCEMENT]
    c, _ = complaints.extend(o.ws, c.id, 30, "需委托第三方开展溯源监测", o.director.id, date(2026, 4, 28), today=TODAY)
    assert clock(c, "handling").due == date(2026, 6, 1) and c.extension_approved_by == "陈局长"
    c, _ = complaints.reply(o.ws, c.id, date(2026, 5, 20), "经查属实，已责令整改并立案查处。", o.clerk.id, today=TODAY)
    assert c.status is Status.REPLIED and clock(c, "handling").urgency is Urgency.DONE_ON_TIME
    c, _ = complaints.follow_up(o.ws, c.id, date(2026, 5, 25), "phone", "satisfied",
                                "信访人表示满意", o.clerk.id, today=TODAY)
    assert c.status is Status.FOLLOWED_UP and c.satisfaction == "satisfied"
    c, _ = complaints.close(o.ws, c.id, date(2026, 5, 26), o.clerk.id, today=TODAY)
    assert c.status is Status.CLOSED and not c.status.is_open and c.closed_on == date(2026, 5, 26)
    assert [e.action for e in c.events] == ["register", "decide", "assign", "handle", "handle", "handle", "extend",
                                            "reply", "follow_up", "close"]
    assert c.events[-1].status is Status.CLOSED and c.events[0].staff == "李四"
    assert c.version == registered_version + 9  # every step moved the version
    (row,) = complaints.list_complaints(o.ws, today=TODAY)
    assert (row.number, row.status, row.due, row.urgency) == ("XF-2026-0001", Status.CLOSED, None, None)


def test_a_step_the_status_does_not_allow_is_refused_and_nothing_is_written(o):
    c = new(o)
    before = events(o.ws, c.id)
    with pytest.raises(ValidationError, match="cannot be replied to now"):
        complaints.reply(o.ws, c.id, date(2026, 3, 5), "答复", o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="cannot be assigned now"):
        complaints.assign(o.ws, c.id, o.brigade.id, None, date(2026, 3, 5), o.clerk.id, today=TODAY)
    assert events(o.ws, c.id) == before
    assert complaints.get_complaint(o.ws, c.id).version == c.version


@pytest.mark.parametrize("decision, kw, status, field", [
    ("not_accept", {"reason": "已通过诉讼途径解决"}, Status.NOT_ACCEPTED, "decision_reason"),
    ("transfer", {"transferred_to": "县公安局"}, Status.TRANSFERRED, "transferred_to"),
])
def test_not_accepted_or_transferred_ends_the_case_without_a_handling_clock(o, decision, kw, status, field):
    c = new(o)
    c, _ = complaints.decide(o.ws, c.id, decision, date(2026, 3, 4), o.clerk.id, today=TODAY, **kw)
    assert c.status is status and getattr(c, field) == next(iter(kw.values()))
    assert [k.key for k in c.clocks] == ["acceptance"] and c.next_actions == ()
    assert not status.is_open


@pytest.mark.parametrize("decision, kw, message", [
    ("not_accept", {}, "Reason: is required"),
    ("transfer", {}, "Transferred to: is required"),
    ("maybe", {}, "is not one of"),
])
def test_a_refusal_needs_its_reason_and_a_transfer_its_body(o, decision, kw, message):
    c = new(o)
    with pytest.raises(ValidationError, match=message):
        complaints.decide(o.ws, c.id, decision, date(2026, 3, 4), o.clerk.id, today=TODAY, **kw)


# --- the clocks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("received, due", [
    (date(2026, 3, 2), date(2026, 3, 17)),   # 15 calendar days, the day of receipt not counted
    (date(2026, 3, 7), date(2026, 3, 23)),   # lands on Sunday 22 March: the next working day
    (date(2026, 1, 30), date(2026, 2, 14)),  # lands on Saturday 14 February, a working day (调休)
    (date(2026, 2, 1), date(2026, 2, 24)),   # lands in the Spring Festival break (15–23 February)
    (date(2025, 9, 16), date(2025, 10, 9)),  # lands in the National Day break 2025 (1–8 October)
    (date(2026, 9, 16), date(2026, 10, 8)),  # lands in the National Day break 2026 (1–7 October)
])
def test_acceptance_clock_is_15_calendar_days_rolled_forward_off_rest_days(o, received, due):
    c = new(o, received, today=LATER)
    acceptance = clock(c, "acceptance")
    assert acceptance.due == due
    assert "15 calendar days" in acceptance.describe() and "art. 22" in acceptance.describe()
    with o.ws.reading() as session:
        assert session.get(ComplaintRow, c.id).acceptance_due == due  # stored for the ledger's filters


@pytest.mark.parametrize("channel, accepted_on, due", [
    ("12369", date(2026, 3, 3), date(2026, 5, 6)),     # 60 days land in the May Day break (1–5 May)
    ("letter", date(2025, 12, 20), date(2026, 2, 24)),  # across New Year into the Spring Festival break
    ("visit", date(2025, 8, 2), date(2025, 10, 9)),     # into the National Day break 2025
    ("online", date(2026, 8, 2), date(2026, 10, 8)),    # into the National Day break 2026
    ("12345", date(2026, 2, 10), date(2026, 2, 24)),    # a hand-off: 5 working days across the Spring Festival
    ("12345", date(2025, 9, 26), date(2025, 10, 10)),   # 5 working days: Sunday 28 Sep worked, 1–8 Oct off
])
def test_handling_clock_runs_from_acceptance_with_the_channels_limit(o, channel, accepted_on, due):
    c = accepted(o, accepted_on, channel=channel, today=LATER)
    handling = clock(c, "handling")
    assert handling.due == due and handling.deadline.start == accepted_on
    assert ("5 working days" if channel == "12345" else "60 calendar days") in handling.describe()


def test_the_handling_clock_starts_at_acceptance_not_receipt(o):
    c = accepted(o, date(2026, 3, 2), decided=date(2026, 3, 9))
    assert clock(c, "handling").due == date(2026, 5, 8)  # 9 March + 60 days


def test_one_extension_by_a_leader_up_to_the_limit(o):
    c = accepted(o, date(2026, 3, 3))
    assert clock(c, "handling").due == date(2026, 5, 6)
    with pytest.raises(ValidationError, match="is not a bureau leader"):
        complaints.extend(o.ws, c.id, 30, "案情复杂", o.inspector.id, date(2026, 4, 30), today=TODAY)
    for days in (0, 31):
        with pytest.raises(ValidationError, match="must be 1 to 30 days"):
            complaints.extend(o.ws, c.id, days, "案情复杂", o.director.id, date(2026, 4, 30), today=TODAY)
    with pytest.raises(ValidationError, match="Reason: is required"):
        complaints.extend(o.ws, c.id, 30, " ", o.director.id, date(2026, 4, 30), today=TODAY)
    c, _ = complaints.extend(o.ws, c.id, 30, "案情复杂", o.deputy.id, date(2026, 4, 30), today=TODAY)
    # 3 March + 90 days = Monday 1 June.
    assert clock(c, "handling").due == date(2026, 6, 1) and c.extension_days == 30
    with pytest.raises(ValidationError, match="already extended once"):
        complaints.extend(o.ws, c.id, 5, "再次延期", o.director.id, date(2026, 5, 10), today=TODAY)


def test_an_extension_must_be_approved_before_the_limit_runs_out(o):
    c = accepted(o, date(2026, 3, 3))
    with pytest.raises(ValidationError, match="before the limit runs out"):
        complaints.extend(o.ws, c.id, 10, "案情复杂", o.director.id, date(2026, 5, 7), today=TODAY)
    c, _ = complaints.extend(o.ws, c.id, 10, "案情复杂", o.director.id, date(2026, 5, 6), today=TODAY)
    assert clock(c, "handling").due == date(2026, 5, 12)  # 70 days: Tuesday 12 May


def test_a_12345_hand_off_extends_by_at_most_its_own_limit_in_working_days(o):
    c = accepted(o, date(2026, 2, 10), channel="12345")
    with pytest.raises(ValidationError, match="must be 1 to 10 days"):
        complaints.extend(o.ws, c.id, 11, "情况复杂", o.director.id, date(2026, 2, 24), today=TODAY)
    c, _ = complaints.extend(o.ws, c.id, 10, "情况复杂", o.director.id, date(2026, 2, 24), today=TODAY)
    # 15 working days from 10 Feb: 11, 12, 13, Sat 14 (worked), 24–27, Sat 28 (worked), 2–6 and 9 March.
    assert clock(c, "handling").due == date(2026, 3, 9)


def test_limits_are_set_per_channel(o):
    settings_app.set_value(o.ws, "complaints/handling/12345/limit", 10)
    settings_app.set_value(o.ws, "complaints/extension/max_days", 15)
    hotline = accepted(o, date(2026, 2, 10), channel="12345")
    letter = accepted(o, date(2026, 3, 3), channel="letter")
    assert clock(hotline, "handling").due == date(2026, 3, 2)  # 10 working days (Saturdays 14 and 28 Feb worked)
    assert clock(letter, "handling").due == date(2026, 5, 6)   # unchanged: 60 calendar days
    with pytest.raises(ValidationError, match="must be 1 to 15 days"):
        complaints.extend(o.ws, letter.id, 16, "案情复杂", o.director.id, date(2026, 4, 1), today=TODAY)


def test_dates_out_of_order_are_refused(o):
    c = new(o, date(2026, 3, 10))
    with pytest.raises(ValidationError, match="cannot be before the complaint was received"):
        complaints.decide(o.ws, c.id, "accept", date(2026, 3, 9), o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        complaints.decide(o.ws, c.id, "accept", TODAY + timedelta(days=1), o.clerk.id, today=TODAY)
    c, _ = complaints.decide(o.ws, c.id, "accept", date(2026, 3, 10), o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="cannot be before the complaint was accepted"):
        complaints.assign(o.ws, c.id, o.brigade.id, None, date(2026, 3, 9), o.clerk.id, today=TODAY)
    c, _ = complaints.assign(o.ws, c.id, o.brigade.id, None, date(2026, 3, 10), o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="cannot be before the complaint was assigned"):
        complaints.record_handling(o.ws, c.id, date(2026, 3, 9), "site_inspection", o.inspector.id, "检查",
                                   today=TODAY)


def test_a_reply_before_receipt_is_refused(o):
    c = accepted(o, date(2026, 3, 10))
    before = complaints.get_complaint(o.ws, c.id)
    with pytest.raises(ValidationError, match="Reply date: cannot be before the complaint was received"):
        complaints.reply(o.ws, c.id, date(2026, 3, 9), "答复", o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="Reply: is required"):
        complaints.reply(o.ws, c.id, date(2026, 3, 12), "  ", o.clerk.id, today=TODAY)
    after = complaints.get_complaint(o.ws, c.id)
    assert (after.status, after.replied_on, after.version) == (Status.ASSIGNED, None, before.version)


def test_a_follow_up_before_the_reply_is_refused(o):
    c = accepted(o)
    with pytest.raises(ValidationError, match="cannot be followed up now"):
        complaints.follow_up(o.ws, c.id, date(2026, 4, 1), "phone", "satisfied", "", o.clerk.id, today=TODAY)
    c, _ = complaints.reply(o.ws, c.id, date(2026, 4, 10), "答复", o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="cannot be before the reply"):
        complaints.follow_up(o.ws, c.id, date(2026, 4, 9), "phone", "satisfied", "", o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="is not one of"):
        complaints.follow_up(o.ws, c.id, date(2026, 4, 12), "pigeon", "satisfied", "", o.clerk.id, today=TODAY)


def test_closing_before_the_follow_up_is_refused(o):
    c = replied(o)
    with pytest.raises(ValidationError, match="cannot be closed now"):
        complaints.close(o.ws, c.id, date(2026, 4, 20), o.clerk.id, today=TODAY)
    c, _ = complaints.follow_up(o.ws, c.id, date(2026, 4, 15), "visit", "basically", "", o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="cannot be before the follow-up"):
        complaints.close(o.ws, c.id, date(2026, 4, 14), o.clerk.id, today=TODAY)
    c, _ = complaints.close(o.ws, c.id, date(2026, 4, 15), o.clerk.id, today=TODAY)
    assert c.status is Status.CLOSED


@pytest.mark.parametrize("satisfaction", ["satisfied", "basically"])
def test_only_a_dissatisfied_follow_up_reopens_the_case(o, satisfaction):
    c = followed(o, satisfaction)
    with pytest.raises(ValidationError, match="only a complaint whose follow-up was dissatisfied"):
        complaints.reopen(o.ws, c.id, date(2026, 4, 16), "不满意", o.clerk.id, today=TODAY)


def test_a_dissatisfied_complainant_reopens_the_case_for_a_new_reply(o):
    c = followed(o, "dissatisfied")
    with pytest.raises(ValidationError, match="Reason: is required"):
        complaints.reopen(o.ws, c.id, date(2026, 4, 16), "", o.clerk.id, today=TODAY)
    c, _ = complaints.reopen(o.ws, c.id, date(2026, 4, 16), "夜间仍有施工", o.clerk.id, today=TODAY)
    assert (c.status, c.replied_on, c.followed_up_on, c.satisfaction) == (Status.ASSIGNED, None, None, "")
    # A new handling period with the ordinary limit starts from the reopening, so the case is not overdue at once.
    handling = next(clock for clock in c.clocks if clock.key == "handling")
    assert handling.deadline.start == date(2026, 4, 16) and handling.due >= date(2026, 6, 15)
    c, _ = complaints.record_handling(o.ws, c.id, date(2026, 4, 20), "site_inspection", o.inspector.id, "夜间复查",
                                      today=TODAY)
    c, _ = complaints.reply(o.ws, c.id, date(2026, 4, 28), "复查后已立案查处", o.clerk.id, today=TODAY)
    c, _ = complaints.follow_up(o.ws, c.id, date(2026, 5, 2), "phone", "satisfied", "", o.clerk.id, today=TODAY)
    c, _ = complaints.close(o.ws, c.id, date(2026, 5, 3), o.clerk.id, today=TODAY)
    assert [e.action for e in c.events][-6:] == ["follow_up", "reopen", "handle", "reply", "follow_up", "close"]


def test_a_closed_case_cannot_be_reopened(o):
    c = followed(o, "dissatisfied")
    c, _ = complaints.close(o.ws, c.id, date(2026, 4, 16), o.clerk.id, today=TODAY)
    with pytest.raises(ValidationError, match="cannot be reopened now"):
        complaints.reopen(o.ws, c.id, date(2026, 4, 17), "不满意", o.clerk.id, today=TODAY)


def test_first_review_within_30_days_of_the_reply_and_second_after_its_answer(o):
    c = accepted(o)
    with pytest.raises(ValidationError):
        complaints.request_review(o.ws, c.id, date(2026, 4, 1), today=TODAY)  # nothing answered yet
    c = followed(o, "dissatisfied", replied_on=date(2026, 4, 10))
    with pytest.raises(ValidationError, match="within 30 days"):
        complaints.request_review(o.ws, c.id, date(2026, 5, 11), today=LATER)
    with pytest.raises(ValidationError, match="comes after the answer to a first review"):
        complaints.request_review(o.ws, c.id, date(2026, 5, 1), second=True, today=LATER)
    c, _ = complaints.request_review(o.ws, c.id, date(2026, 5, 10), today=LATER)  # the 30th day
    assert clock(c, "review").due == date(2026, 6, 9)
    assert "30 calendar days" in clock(c, "review").describe()
    with pytest.raises(ValidationError, match="was already requested"):
        complaints.request_review(o.ws, c.id, date(2026, 5, 12), today=LATER)
    with pytest.raises(ValidationError, match="cannot be before the request"):
        complaints.answer_review(o.ws, c.id, date(2026, 5, 9), today=LATER)
    with pytest.raises(ValidationError, match="comes after the answer to a first review"):
        complaints.request_review(o.ws, c.id, date(2026, 5, 20), second=True, today=LATER)
    c, _ = complaints.answer_review(o.ws, c.id, date(2026, 6, 1), today=LATER)
    assert clock(c, "review").urgency is Urgency.DONE_ON_TIME
    with pytest.raises(ValidationError, match="within 30 days"):
        complaints.request_review(o.ws, c.id, date(2026, 7, 2), second=True, today=LATER)
    c, _ = complaints.request_review(o.ws, c.id, date(2026, 6, 20), second=True, today=LATER)
    assert clock(c, "second_review").due == date(2026, 7, 20)
    with pytest.raises(ValidationError, match="was already requested"):
        complaints.request_review(o.ws, c.id, date(2026, 6, 21), second=True, today=LATER)
    c, _ = complaints.answer_review(o.ws, c.id, date(2026, 7, 15), second=True, today=LATER)
    assert clock(c, "second_review").urgency is Urgency.DONE_ON_TIME
    assert [e.action for e in c.events][-4:] == ["review", "review_answer", "second_review", "second_review_answer"]


def test_a_review_clock_crossing_national_day(o):
    c = followed(o, "dissatisfied", received=date(2026, 8, 10), replied_on=date(2026, 8, 25),
                 on=date(2026, 8, 28), today=LATER)
    c, _ = complaints.request_review(o.ws, c.id, date(2026, 9, 1), today=LATER)
    assert clock(c, "review").due == date(2026, 10, 8)  # 1 October → after the break (1–7 October)


def test_running_clocks_show_days_left_and_urgency(o):
    c = new(o, date(2026, 6, 10))
    acceptance = clock(c, "acceptance")
    assert acceptance.due == date(2026, 6, 25) and acceptance.days_left == 10
    assert acceptance.urgency is Urgency.ON_TRACK
    late = complaints.get_complaint(o.ws, c.id, today=date(2026, 6, 26))
    assert clock(late, "acceptance").urgency is Urgency.OVERDUE and clock(late, "acceptance").days_left == -1
    (row,) = complaints.list_complaints(o.ws, today=date(2026, 6, 20))
    assert row.due == date(2026, 6, 25) and row.urgency is Urgency.DUE_SOON


def test_a_decision_after_15_days_is_done_late(o):
    c = new(o, date(2026, 3, 2))
    c, _ = complaints.decide(o.ws, c.id, "accept", date(2026, 3, 20), o.clerk.id, today=TODAY)
    assert clock(c, "acceptance").urgency is Urgency.DONE_LATE


# --- confidentiality --------------------------------------------------------------------------------

def test_identity_is_masked_in_the_ledger_unless_revealed(o_any):
    o = o_any
    c = new(o, complainant_name="欧阳娜娜")
    (row,) = complaints.list_complaints(o.ws, today=TODAY)
    who = row.complainant
    assert (who.name, who.phone, who.address, who.masked) == ("欧***", "138****5678", "城关镇***", True)
    assert PHONE not in who.display() and "娜娜" not in who.display()
    (row,) = complaints.list_complaints(o.ws, reveal=True, today=TODAY)
    assert (row.complainant.name, row.complainant.phone, row.complainant.masked) == ("欧阳娜娜", PHONE, False)
    assert complaints.get_complaint(o.ws, c.id).complainant.phone == "138****5678"
    assert complaints.get_complaint(o.ws, c.id, reveal=True).complainant.address == "城关镇阳光花园3幢2单元501室"


def test_searching_the_ledger_by_phone_does_not_reveal_who_complained(o_any):
    """A user who may not see identities must not be able to confirm one by typing a phone number or a name."""
    o = o_any
    new(o)
    for probe in (PHONE, "5678", "张伟", "阳光花园"):
        assert complaints.count_complaints(o.ws, ComplaintFilter(text=probe), today=TODAY) == 0
        assert complaints.list_complaints(o.ws, ComplaintFilter(text=probe), today=TODAY) == []
    (row,) = complaints.list_complaints(o.ws, ComplaintFilter(text="噪声"), today=TODAY)
    assert row.complainant.phone == "138****5678"


def test_an_anonymous_complaint_keeps_no_identity(o_any):
    o = o_any
    c = new(o, anonymous=True, channel="online")
    assert complaints.get_complaint(o.ws, c.id, reveal=True).complainant.display() == "Anonymous"
    with o.ws.reading() as session:
        row = session.get(ComplaintRow, c.id)
        assert (row.complainant_name, row.complainant_phone, row.complainant_address) == ("", "", "")
    (row,) = complaints.list_complaints(o.ws, reveal=True, today=TODAY)
    assert row.complainant.anonymous and not row.complainant.masked and row.complainant.phone == ""
    # Anonymous complaints are handled like any other.
    c, _ = complaints.decide(o.ws, c.id, "accept", date(2026, 3, 3), o.clerk.id, today=TODAY)
    assert c.status is Status.ACCEPTED


# --- numbers ----------------------------------------------------------------------------------------

def test_numbers_follow_the_format_setting_and_are_never_reused(o_any):
    o = o_any
    assert new(o).number == "XF-2026-0001"
    assert new(o).number == "XF-2026-0002"
    assert new(o, date(2025, 12, 30)).number == "XF-2025-0001"  # each year counts from 1
    with pytest.raises(ValidationError, match="Pollution types"):
        new(o, pollution_types=("moonlight",))
    assert new(o).number == "XF-2026-0003"  # a refused registration used no number
    assert new(o, number="XF-2026-0100").number == "XF-2026-0100"  # an imported ledger keeps its numbers
    with pytest.raises(ValidationError, match="XF-2026-0100 is already used"):
        new(o, number="XF-2026-0100")
    assert new(o).number == "XF-2026-0101"  # after the highest, never a gap's number
    settings_app.set_value(o.ws, "complaints/number_format", "QXXF{year}{seq:05d}")
    assert new(o).number == "QXXF202600001"
    assert new(o).number == "QXXF202600002"
    assert complaints.find_by_number(o.ws, "QXXF202600002") is not None


def test_a_number_format_with_text_after_the_sequence(o):
    settings_app.set_value(o.ws, "complaints/number_format", "青环信〔{year}〕{seq:03d}号")
    assert new(o).number == "青环信〔2026〕001号"
    assert new(o).number == "青环信〔2026〕002号"


@pytest.mark.parametrize("pattern", ["XF-{year}", "XF-{year}-{seq:04d}-{unknown}", "XF-{seq:x}-{year"])
def test_a_number_format_without_a_sequence_is_refused(ws, pattern):
    with pytest.raises(ValidationError, match="complaints/number_format"):
        settings_app.set_value(ws, "complaints/number_format", pattern)


# --- registering: what is checked -------------------------------------------------------------------

@pytest.mark.parametrize("kw, message", [
    ({"channel": "carrier pigeon"}, "Channel"),
    ({"content": "  "}, "Content: is required"),
    ({"pollution_types": ()}, "Pollution types: choose at least one"),
    ({"subject": "", "enterprise_id": None}, "Subject"),
    ({"enterprise_id": 999999}, "the enterprise does not exist"),
    ({"town_id": 999999}, "Town: does not exist"),
    ({"key_case": True, "case_leader_id": None}, "Case leader: is required"),
    ({"repeats": (999999,)}, "the earlier complaint does not exist"),
])
def test_registration_checks_its_input_and_writes_nothing_when_refused(o, kw, message):
    with pytest.raises(ValidationError, match=message):
        new(o, **kw)
    assert complaints.count_complaints(o.ws, today=TODAY) == 0
    with o.ws.reading() as session:
        assert session.scalar(select(func.count()).select_from(ComplaintEventRow)) == 0


def test_registration_refuses_a_future_receipt_a_naive_time_and_a_retired_receiver(o):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        new(o, TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="naive"):
        new(o, received_at=datetime(2026, 3, 2, 10))
    with pytest.raises(ValidationError, match="no longer active"):
        new(o, first_receiver_id=o.retired.id)
    with pytest.raises(ValidationError, match="is not a bureau leader"):
        new(o, key_case=True, case_leader_id=o.clerk.id)


def test_pollution_types_are_read_from_labels_and_kept_in_order_without_duplicates(o):
    c = new(o, pollution_types=("Noise of social life", "cooking_fumes", "COOKING FUMES"))
    assert c.pollution_types == ("cooking_fumes", "social_noise")


def test_flags_key_case_with_a_case_leader_skip_level_and_repeats(o):
    first = new(o, date(2026, 3, 2))
    second = new(o, date(2026, 4, 2), repeats=(first.id,))
    assert second.is_repeat and second.repeats == (first.number,)
    with pytest.raises(ValidationError, match="is not a bureau leader"):
        complaints.set_flags(o.ws, second.id, True, o.clerk.id, False, today=TODAY)
    with pytest.raises(ValidationError, match="the earlier complaint does not exist"):
        complaints.set_flags(o.ws, second.id, False, None, False, repeats=[second.id], today=TODAY)
    c, _ = complaints.set_flags(o.ws, second.id, True, o.director.id, True, today=TODAY)
    assert (c.key_case, c.case_leader, c.skip_level, c.repeats) == (True, "陈局长", True, (first.number,))
    c, _ = complaints.set_flags(o.ws, second.id, False, o.director.id, False, repeats=[], today=TODAY)
    assert (c.key_case, c.case_leader, c.is_repeat, c.repeats) == (False, "", False, ())


def test_a_stale_form_is_refused_with_a_conflict(o_any):
    o = o_any
    c = new(o)
    complaints.decide(o.ws, c.id, "accept", date(2026, 3, 3), o.clerk.id, expected_version=c.version, today=TODAY)
    with pytest.raises(ConflictError, match="changed by someone else"):
        complaints.decide(o.ws, c.id, "not_accept", date(2026, 3, 3), o.clerk.id, reason="重复",
                          expected_version=c.version, today=TODAY)
    with pytest.raises(ConflictError):
        complaints.set_flags(o.ws, c.id, True, o.director.id, False, expected_version=c.version, today=TODAY)
    assert complaints.get_complaint(o.ws, c.id).status is Status.ACCEPTED


def test_a_missing_complaint_is_not_found(o):
    with pytest.raises(NotFound):
        complaints.get_complaint(o.ws, 424242)
    with pytest.raises(NotFound):
        complaints.decide(o.ws, 424242, "accept", date(2026, 3, 3), o.clerk.id, today=TODAY)


# --- the ledger: filters, search, sort, pages -----------------------------------------------------------

@pytest.fixture
def ledger(o_any):
    """Five complaints in different states (today 15 June 2026):
    a  overdue handling: night construction noise, 城关镇, 12369, assigned to the brigade, repeats d
    b  a 12345 hand-off about 宏达化工 偷排废水, 白沙镇, assigned to the station, due 17 June
    c  overdue acceptance: cooking fumes (油烟), 白沙镇, letter, key case, skip-level
    d  closed: square-dance noise (广场舞噪声), 城关镇, visit, December 2025, satisfied
    e  not accepted: factory noise written 噪音, 白沙镇, 12369
    """
    o = o_any
    d = followed(o, "satisfied", received=date(2025, 12, 1), replied_on=date(2025, 12, 20), on=date(2025, 12, 22),
                 channel="visit", content="城关镇文化广场每天晚上广场舞噪声扰民，音响声音太大",
                 pollution_types=("social_noise",), subject="文化广场广场舞", location="城关镇文化广场",
                 complainant_phone="13900001111")
    d, _ = complaints.close(o.ws, d.id, date(2025, 12, 23), o.clerk.id, today=TODAY)
    a = accepted(o, date(2026, 3, 2), decided=date(2026, 3, 3), repeats=(d.id,))
    b = new(o, date(2026, 6, 10), channel="12345", content="反映该公司夜间通过暗管偷排废水，河水发黑",
            pollution_types=("industrial_water",), enterprise_id=o.hongda.id, subject="", town_id=o.baisha.id,
            location="白沙镇工业路23号", complainant_phone="13700002222")
    b, _ = complaints.decide(o.ws, b.id, "accept", date(2026, 6, 10), o.clerk.id, today=TODAY)
    b, _ = complaints.assign(o.ws, b.id, o.station.id, o.monitor.id, date(2026, 6, 10), o.clerk.id, today=TODAY)
    c = new(o, date(2026, 5, 20), channel="letter", content="老王烧烤油烟直排，熏得楼上没法开窗",
            pollution_types=("cooking_fumes", "odour"), subject="老王烧烤", town_id=o.baisha.id,
            location="白沙镇新华路8号", key_case=True, case_leader_id=o.director.id, skip_level=True,
            complainant_phone="13600003333")
    e = new(o, date(2026, 4, 1), content="工厂机器噪音很大，晚上睡不着", pollution_types=("industrial_noise",),
            subject="白沙镇某机械厂", town_id=o.baisha.id, location="白沙镇创业路", anonymous=True)
    e, _ = complaints.decide(o.ws, e.id, "not_accept", date(2026, 4, 2), o.clerk.id, reason="反映内容不具体",
                             today=TODAY)
    return SimpleNamespace(o=o, a=a, b=b, c=c, d=d, e=e)


def _found(ledger, **kw):
    names = {getattr(ledger, n).id: n for n in "abcde"}
    f = ComplaintFilter(**kw)
    rows = complaints.list_complaints(ledger.o.ws, f, today=TODAY)
    assert complaints.count_complaints(ledger.o.ws, f, today=TODAY) == len(rows)
    return "".join(sorted(names[r.id] for r in rows))


@pytest.mark.parametrize("kw, expected", [
    ({}, "abcde"),
    ({"statuses": ("assigned",)}, "ab"),
    ({"statuses": ("registered", "closed")}, "cd"),
    ({"open_only": True}, "abc"),
    ({"channel": "12345"}, "b"),
    ({"channel": "letter"}, "c"),
    ({"pollution_type": "construction_noise"}, "a"),
    ({"pollution_type": "odour"}, "c"),
    ({"repeat": True}, "a"),
    ({"key_case": True}, "c"),
    ({"skip_level": True}, "c"),
    ({"overdue": True}, "ac"),
    ({"received_from": date(2026, 4, 1)}, "bce"),
    ({"received_to": date(2026, 3, 31)}, "ad"),
    ({"received_from": date(2026, 3, 2), "received_to": date(2026, 4, 1)}, "ae"),
    ({"overdue": True, "channel": "letter"}, "c"),
])
def test_the_ledger_filters_in_sql(ledger, kw, expected):
    assert _found(ledger, **kw) == expected


def test_the_ledger_filters_by_town_department_and_enterprise(ledger):
    o = ledger.o
    assert _found(ledger, town_id=o.baisha.id) == "bce"
    assert _found(ledger, town_id=o.chengguan.id) == "ad"
    assert _found(ledger, department_id=o.brigade.id) == "ad"
    assert _found(ledger, department_id=o.station.id) == "b"
    assert _found(ledger, enterprise_id=o.hongda.id) == "b"
    assert _found(ledger, overdue=True, town_id=o.baisha.id) == "c"


@pytest.mark.parametrize("query, expected", [
    ("噪声", "ad"),           # a 2-character word: through the bigram index
    ("油烟", "c"),
    ("偷排废水", "b"),         # a 4-character word: a phrase of three bigrams
    ("夜间施工", "a"),
    ("噪", "ade"),            # a single character: the narrowed scan (噪声 and 噪音)
    ("噪声 广场舞", "d"),      # every word typed must appear
    ("偷排 噪声", ""),
    ("宏达化工", "b"),         # the subject: an enterprise's name
    ("老王烧烤", "c"),         # the subject: free text
    ("文化广场", "d"),         # the location
    ("工业路23号", "b"),
    ("废水偷排", ""),          # the words in another order are another phrase
    ("100%", ""),             # LIKE wildcards are taken literally
    ("噪_", ""),
])
def test_search_finds_words_of_any_length(ledger, query, expected):
    assert _found(ledger, text=query) == expected


def test_search_combines_with_filters(ledger):
    assert _found(ledger, text="噪声", open_only=True) == "a"
    assert _found(ledger, text="噪", statuses=("not_accepted",)) == "e"


def test_search_index_follows_a_changed_complaint(ledger):
    """The index is written when a complaint is registered; steps do not change the indexed text."""
    o = ledger.o
    c, _ = complaints.decide(o.ws, ledger.c.id, "accept", date(2026, 6, 1), o.clerk.id, today=TODAY)
    assert _found(ledger, text="油烟") == "c"


def test_search_finds_a_latin_word_written_next_to_chinese(o_any):
    o = o_any
    new(o, content="金嗓子KTV营业到凌晨，噪声扰民", pollution_types=("social_noise",))
    assert complaints.count_complaints(o.ws, ComplaintFilter(text="KTV"), today=TODAY) == 1


def test_search_finds_a_latin_word_standing_on_its_own(o_any):
    o = o_any
    new(o, content="楼下 KTV 营业到凌晨，噪声扰民", pollution_types=("social_noise",))
    assert complaints.count_complaints(o.ws, ComplaintFilter(text="KTV"), today=TODAY) == 1


def _ktv(o):
    new(o, content="楼下 KTV 营业到凌晨，噪声扰民", pollution_types=("social_noise",))
    return complaints.count_complaints(o.ws, ComplaintFilter(text="ktv"), today=TODAY)


def test_search_ignores_the_case_of_latin_words_on_sqlite(o):
    assert _ktv(o) == 1


@pytest.mark.postgres
def test_search_ignores_the_case_of_latin_words_on_postgresql(pg_url):
    workspace = Workspace(pg_url, user=TESTER)
    try:
        assert _ktv(_office(workspace)) == 1
    finally:
        workspace.close()


@pytest.mark.parametrize("sort, descending, expected", [
    ("received", True, "bcead"),
    ("received", False, "daecb"),
    ("number", False, "dabce"),
])
def test_the_ledger_sorts_in_sql(ledger, sort, descending, expected):
    names = {getattr(ledger, n).id: n for n in "abcde"}
    rows = complaints.list_complaints(ledger.o.ws, sort=sort, descending=descending, today=TODAY)
    assert "".join(names[r.id] for r in rows) == expected


def test_the_ledger_sorts_by_town_and_pages(ledger):
    names = {getattr(ledger, n).id: n for n in "abcde"}
    rows = complaints.list_complaints(ledger.o.ws, sort="town", descending=False, today=TODAY)
    towns = [r.town for r in rows]
    assert towns == sorted(towns)
    first = complaints.list_complaints(ledger.o.ws, limit=2, today=TODAY)
    rest = complaints.list_complaints(ledger.o.ws, offset=2, limit=10, today=TODAY)
    assert "".join(names[r.id] for r in first + rest) == "bcead"


def test_a_ledger_row_says_what_is_due(ledger):
    rows = {r.id: r for r in complaints.list_complaints(ledger.o.ws, today=TODAY)}
    assert rows[ledger.a.id].due == date(2026, 5, 6) and rows[ledger.a.id].urgency is Urgency.OVERDUE
    assert rows[ledger.b.id].due == date(2026, 6, 17) and rows[ledger.b.id].urgency is Urgency.DUE_SOON
    assert rows[ledger.c.id].due == date(2026, 6, 4) and rows[ledger.c.id].urgency is Urgency.OVERDUE
    assert rows[ledger.d.id].due is None and rows[ledger.e.id].due is None
    assert rows[ledger.b.id].subject == "青溪县宏达化工有限公司" and rows[ledger.b.id].town == "白沙镇"
    assert rows[ledger.a.id].lead_department == "生态环境监察大队"


# --- repeats --------------------------------------------------------------------------------------------

def test_suggest_repeats_by_phone_enterprise_place_and_text(ledger):
    o, numbers = ledger.o, {getattr(ledger, n).id: n for n in "abcde"}

    def suggested(**kw):
        return {numbers[c.complaint_id]: set(c.reasons) for c in complaints.suggest_repeats(o.ws, **kw)}

    assert suggested(phone="137-0000-2222") == {"b": {"same phone"}}
    assert suggested(phone="2222") == {}  # too few digits to identify anyone
    assert suggested(enterprise_id=o.hongda.id) == {"b": {"same enterprise"}}
    assert suggested(location="城关镇文化广场", town_id=o.chengguan.id) == {"d": {"same place"}}
    assert suggested(location="白沙镇新华路8号附近") == {"c": {"same place"}}
    assert suggested(content="反映该公司夜间通过暗管偷排废水，河水发黑") == {"b": {"similar text"}}
    assert suggested(content="城关镇文化广场每天晚上广场舞噪声扰民，音响声音太大") == {"d": {"similar text"}}
    both = complaints.suggest_repeats(o.ws, phone="13700002222", enterprise_id=o.hongda.id,
                                      content="反映该公司夜间通过暗管偷排废水，河水发黑")
    assert numbers[both[0].complaint_id] == "b" and both[0].score == pytest.approx(6.0)
    assert complaints.suggest_repeats(o.ws, phone="13700002222", exclude_id=ledger.b.id) == []


def test_suggest_repeats_finds_a_similar_text_whatever_else_the_new_complaint_says(ledger):
    earlier = "反映该公司夜间通过暗管偷排废水，河水发黑"
    for intro in ("我是附近居民", "再次向你们反映", "昨天晚上又发现", "周末一直都这样", "请环保局管一管",
                  "村里老人都说", "今年夏天以来", "家门口的小河里", "早上出门看到", "上个月开始",
                  "听邻居们说起", "最近几天晚上"):
        found = complaints.suggest_repeats(ledger.o.ws, content=intro + "，" + earlier)
        assert [c.complaint_id for c in found] == [ledger.b.id], intro


def test_suggest_repeats_ranks_the_strongest_reasons_first(o):
    place = new(o, date(2026, 3, 2), location="城关镇人民路与建设路交叉口", complainant_phone="13500000000")
    phone = new(o, date(2026, 3, 3), location="城关镇北门街", complainant_phone=PHONE)
    ranked = complaints.suggest_repeats(o.ws, phone=PHONE, town_id=o.chengguan.id,
                                        location="城关镇人民路与建设路交叉口")
    assert [c.complaint_id for c in ranked] == [phone.id, place.id]
    assert ranked[0].reasons == ("same phone",) and ranked[1].reasons == ("same place",)


# --- statistics -----------------------------------------------------------------------------------------

def test_statistics_for_a_period(ledger):
    o = ledger.o
    s = complaints.statistics(o.ws, date(2025, 12, 1), TODAY)
    assert s.total == 5
    assert s.by_channel == {"12369": 2, "12345": 1, "letter": 1, "visit": 1}
    assert s.by_category == {"noise": 3, "water": 1, "air": 2}  # c is cooking fumes and odour: counted once each
    assert s.by_town == {"城关镇": 2, "白沙镇": 3}
    assert s.by_month == {"2025-12": 1, "2026-03": 1, "2026-04": 1, "2026-05": 1, "2026-06": 1}
    assert (s.accepted_on_time, s.decided) == (4, 4)
    assert (s.replied_on_time, s.replied) == (1, 1)
    assert (s.satisfied, s.followed_up, s.satisfaction_target) == (1, 1, 0.85)
    assert (s.repeats, s.key_cases, s.skip_level) == (1, 1, 1)
    assert s.rate(s.satisfied, s.followed_up) == 1.0 and s.rate(1, 0) is None
    march = complaints.statistics(o.ws, date(2026, 3, 1), date(2026, 3, 31))
    assert (march.total, march.by_month, march.decided) == (1, {"2026-03": 1}, 1)


def test_statistics_count_late_steps_and_dissatisfaction(o):
    late = new(o, date(2026, 3, 2))
    complaints.decide(o.ws, late.id, "accept", date(2026, 3, 20), o.clerk.id, today=TODAY)
    followed(o, "dissatisfied")
    followed(o, "basically")
    s = complaints.statistics(o.ws, date(2026, 1, 1), TODAY)
    assert (s.accepted_on_time, s.decided) == (2, 3)
    assert (s.satisfied, s.followed_up) == (1, 2)
    empty = complaints.statistics(o.ws, date(2020, 1, 1), date(2020, 12, 31))
    assert (empty.total, empty.by_month, empty.rate(empty.satisfied, empty.followed_up)) == (0, {}, None)


# --- stored clocks --------------------------------------------------------------------------------------

def test_refresh_due_dates_after_a_limit_change(o_any):
    o = o_any
    waiting = new(o, date(2026, 6, 10))
    handling = accepted(o, date(2026, 6, 1))
    done = followed(o, "satisfied")
    settings_app.set_value(o.ws, "complaints/acceptance/limit", 3)
    settings_app.set_value(o.ws, "complaints/handling/limit", 10)
    # Saving a limit recomputes the stored due dates of open complaints at once.
    rows = {r.id: r for r in complaints.list_complaints(o.ws, today=TODAY)}
    assert rows[waiting.id].due == date(2026, 6, 15)   # 10 June + 3 = Saturday 13 → Monday 15
    assert rows[handling.id].due == date(2026, 6, 11)  # 1 June + 10 days
    assert _overdue_ids(o, date(2026, 6, 16)) == {waiting.id, handling.id}
    with o.ws.reading() as session:
        assert session.get(ComplaintRow, done.id).handling_due == date(2026, 5, 6)  # a closed case keeps its own
    assert complaints.refresh_due_dates(o.ws, today=TODAY) == 2  # open, still running complaints only


def _overdue_ids(o, today):
    return {r.id for r in complaints.list_complaints(o.ws, ComplaintFilter(overdue=True), today=today)}


# --- attachments ----------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def test_an_attachment_is_copied_hashed_and_kept_once(o, tmp_path):
    c = new(o)
    other = new(o)
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    value, _c = complaints.add_attachment(o.ws, c.id, photo)
    (kept,) = value.attachments
    assert kept.sha256 == hashlib.sha256(PNG).hexdigest() and kept.size == len(PNG)
    assert (kept.file_name, kept.media_type) == ("现场照片.png", "image/png")
    assert kept.path.read_bytes() == PNG and kept.path.is_relative_to(complaints.attachment_dir())
    photo.unlink()  # the copy does not depend on the original
    assert kept.path.exists()
    photo.write_bytes(PNG)
    value, _c = complaints.add_attachment(o.ws, other.id, photo)
    assert value.attachments[0].path == kept.path
    assert len(list(complaints.attachment_dir().rglob("*"))) == 2  # one folder, one file: the same photo once


@pytest.mark.parametrize("name, content, message", [
    ("photo.jpg", b"this is not a photo", "is not really a JPG file"),
    ("scan.pdf", b"\x89PNG\r\n\x1a\n", "is not really a PDF file"),
    ("report.docx", b"%PDF-1.7", "is not really a DOCX file"),
    ("virus.exe", b"MZ\x90\x00", "only photos"),
    ("no_suffix", b"%PDF-1.7", "only photos"),
])
def test_an_attachment_is_checked_by_its_content(o, tmp_path, name, content, message):
    c = new(o)
    source = tmp_path / name
    source.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        complaints.add_attachment(o.ws, c.id, source)
    assert complaints.get_complaint(o.ws, c.id).attachments == ()


def test_an_attachment_over_the_size_limit_is_refused(o, tmp_path):
    c = new(o)
    settings_app.set_value(o.ws, "complaints/attachment/max_mb", 1)
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        complaints.add_attachment(o.ws, c.id, big)
    with pytest.raises(ValidationError, match="cannot be read"):
        complaints.add_attachment(o.ws, c.id, tmp_path / "missing.pdf")
    note = tmp_path / "笔录.txt"
    note.write_text("现场笔录", encoding="utf-8")
    value, _c = complaints.add_attachment(o.ws, c.id, note)
    assert [a.media_type for a in value.attachments] == ["text/plain"]


# --- the Overview ---------------------------------------------------------------------------------------

def test_the_overview_lists_overdue_and_due_soon_complaints(ledger):
    result = overview.build(ledger.o.ws, today=TODAY)
    mine = {i.reference: i for i in result.items if i.register == "Complaints"}
    assert set(mine) == {ledger.a.number, ledger.b.number, ledger.c.number}
    assert (mine[ledger.a.number].severity, mine[ledger.a.number].days_left) == (Severity.OVERDUE, -40)
    assert (mine[ledger.c.number].severity, mine[ledger.c.number].due) == (Severity.OVERDUE, date(2026, 6, 4))
    assert (mine[ledger.b.number].severity, mine[ledger.b.number].days_left) == (Severity.DUE_SOON, 2)
    assert mine[ledger.c.number].title.startswith("Acceptance due: 老王烧烤油烟直排")
    assert mine[ledger.a.number].title.startswith("Reply due: ")
    assert "Regulations on Letters and Visits" in mine[ledger.a.number].rule
    assert PHONE not in " ".join(i.title for i in mine.values())
    figures = {f.label: f.value for f in result.figures}
    assert figures["Open complaints"] == 3
    order = [i.reference for i in result.items if i.register == "Complaints"]
    assert order.index(ledger.a.number) < order.index(ledger.c.number) < order.index(ledger.b.number)


# --- the demo ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The small demo, made once for the tests that only read it."""
    path = tmp_path_factory.mktemp("complaints-demo") / "demo.sqlite3"
    ws = Workspace(f"sqlite:///{path}", user=TESTER)
    demo.fill(ws, "small")
    yield ws
    ws.close()


def _scalar(ws, sql):
    with ws.reading() as session:
        return session.execute(text(sql)).scalar()


def test_the_demo_has_a_realistic_year_of_complaints(demo_db):
    ws, today = demo_db, date.today()
    with ws.reading() as session:
        rows = session.scalars(select(ComplaintRow)).all()
        assert 950 <= len(rows) <= 1050
        statuses = {r.status for r in rows}
        assert statuses >= {s.value for s in Status} - {"accepted"}
        received = [r.received_date for r in rows]
        assert min(received) >= today - timedelta(days=365) and max(received) <= today
        channels = {}
        for r in rows:
            channels[r.channel] = channels.get(r.channel, 0) + 1
        assert sorted(channels, key=channels.get)[-2:] in (["12369", "12345"], ["12345", "12369"])
        assert set(channels) == {c.value for c in Channel}
        anonymous = [r for r in rows if r.anonymous]
        assert 0.06 <= len(anonymous) / len(rows) <= 0.14
        assert all(r.complainant_name == r.complainant_phone == "" for r in anonymous)
        named = [r for r in rows if not r.anonymous]
        assert all(len(r.complainant_phone) == 11 and r.complainant_name for r in named)
        assert sum(1 for r in rows if r.enterprise_id) > 200
        assert sum(1 for r in rows if r.is_repeat) > 40
        key = [r for r in rows if r.key_case]
        assert 8 <= len(key) <= 40 and all(r.case_leader_id for r in key)
        assert sum(1 for r in rows if r.skip_level) >= 5
        extended = [r for r in rows if r.extension_days]
        assert 5 <= len(extended) <= 20 and all(r.extension_days <= 30 for r in extended)
        assert sum(1 for r in rows if r.review_requested_on) >= 3
        assert sum(1 for r in rows if r.second_review_requested_on) >= 1
        assert sum(1 for r in rows if r.status == "transferred" and r.transferred_to) > 10
        assert all(r.decision_reason for r in rows if r.status == "not_accepted")
        followed = [r for r in rows if r.satisfaction]
        rate = sum(1 for r in followed if r.satisfaction in ("satisfied", "basically")) / len(followed)
        assert 0.80 <= rate <= 0.92
        numbers = [r.number for r in sorted(rows, key=lambda r: (r.received_at, r.number))]
        assert len(set(numbers)) == len(numbers)
        for year in {d.year for d in received}:
            of_year = [n for n in numbers if n.startswith(f"XF-{year}-")]
            assert of_year == [f"XF-{year}-{i:04d}" for i in range(1, len(of_year) + 1)]
        leaders = {s.id for s in reference.list_staff(ws, leaders_only=True)}
        assert {r.extension_approved_by_id for r in extended} <= leaders
        assert {r.case_leader_id for r in key} <= leaders
    assert _scalar(ws, "SELECT count(*) FROM complaint_event WHERE action = 'reopen'") >= 1
    assert _scalar(ws, "SELECT count(DISTINCT kind) FROM complaint_handling") >= 3
    assert _scalar(ws, "SELECT count(*) FROM complaint_fts") == len(rows)


def test_every_demo_complaint_has_consistent_steps_and_clocks(demo_db):
    """Whether a complaint went through the use cases or in bulk, its stored due dates are the clocks the register
    computes, its events start with 'register' and end in its status, and its dates are in order."""
    ws, today = dc._Steady(demo_db), date.today()  # settings and calendar do not change while it reads
    with ws.reading() as session:
        ids = session.scalars(select(ComplaintRow.id)).all()
    for complaint_id in ids:
        c = complaints.get_complaint(ws, complaint_id, reveal=True, today=today)
        with ws.reading() as session:
            row = session.get(ComplaintRow, complaint_id)
            stored = (row.acceptance_due, row.handling_due)
        clocks = {k.key: k.due for k in c.clocks}
        assert stored == (clocks["acceptance"], clocks.get("handling")), c.number
        assert c.events[0].action == "register" and c.events[-1].status is c.status, c.number
        dates = [e.event_date for e in c.events if not e.action.startswith(("review", "second_review"))]
        assert dates == sorted(dates) and dates[-1] <= today, c.number
        if c.status is Status.CLOSED:
            assert c.received_date <= c.decided_on <= c.assigned_on <= c.replied_on <= c.followed_up_on <= c.closed_on
            assert c.handlings and c.reply_text and c.satisfaction


def test_the_demo_overview_shows_overdue_and_due_soon_complaints(demo_db):
    result = overview.build(demo_db, today=date.today())
    mine = [i for i in result.items if i.register == "Complaints"]
    assert sum(1 for i in mine if i.severity is Severity.OVERDUE) >= 5
    assert any(i.title.startswith("Acceptance due") for i in mine if i.severity is Severity.OVERDUE)
    assert any(i.title.startswith("Reply due") for i in mine if i.severity is Severity.OVERDUE)
    assert complaints.count_complaints(demo_db, ComplaintFilter(overdue=True)) < 30  # a well-run bureau


def test_the_demo_is_searchable_and_masked(demo_db):
    noise = complaints.count_complaints(demo_db, ComplaintFilter(text="噪声"))
    assert noise > 150
    assert complaints.count_complaints(demo_db, ComplaintFilter(text="偷排废水")) > 10
    assert complaints.count_complaints(demo_db, ComplaintFilter(text="油烟")) > 50
    page = complaints.list_complaints(demo_db, ComplaintFilter(text="噪声"))
    assert len(page) == 100 and all("噪声" in r.content or "噪声" in r.subject for r in page)
    assert all(r.complainant.masked or r.complainant.anonymous for r in page)
    s = complaints.statistics(demo_db, date.today() - timedelta(days=364), date.today())
    assert s.total == complaints.count_complaints(demo_db) and len(s.by_month) in (12, 13)


def test_bulk_written_complaints_equal_those_written_through_the_use_cases(any_ws, tmp_path):
    """The demo writes older complaints in bulk: each must read back exactly as if the use cases had written it
    (fields, clocks, events, handling records, search tokens), on either database."""
    bulk_ws = any_ws
    replay_ws = Workspace(f"sqlite:///{tmp_path / 'replay.sqlite3'}", user=TESTER)
    try:
        today = date(2026, 6, 15)
        stories = []
        for ws in (bulk_ws, replay_ws):
            demo._reference_data(demo.DemoContext(ws, random.Random(7), "small", Progress()))
        env = dc._Env.load(bulk_ws, random.Random(1), today, 50)
        planner = dc._Planner(random.Random(2), env)
        stories = list(planner.period(date(2025, 9, 1), today, 120))
        for s in stories[::20]:  # a few with an extension as well
            if not s.steps or s.steps[0][2].get("decision") != "accept" or s.channel == "12345":
                continue
            s.steps.clear()
            s.special = ""
            planner.handle(s, extension=True)
        for index, s in enumerate(stories, start=1):
            s.number = f"XF-{s.received.year}-{index:04d}"
        writer = dc._BulkWriter(bulk_ws, env, Progress())
        for s in stories:
            writer.add(s)
        writer.finish()
        for s in stories:
            s.id = None
        for s in stories:
            dc._replay(dc._Steady(replay_ws), env, s)
        assert sum(1 for s in stories if any(a == "extend" for a, _d, _o in s.steps)) >= 2
        assert {a for s in stories for a, _d, _o in s.steps} >= {"decide", "assign", "handle", "reply", "follow_up",
                                                                  "close"}

        def read(ws):
            found = {}
            with ws.reading() as session:
                ids = dict(session.execute(select(ComplaintRow.number, ComplaintRow.id)).all())
            for number, complaint_id in ids.items():
                c = complaints.get_complaint(ws, complaint_id, reveal=True, today=today)
                found[number] = replace(c, id=0, handlings=tuple(replace(h, id=0) for h in c.handlings))
            return found

        bulk, replayed = read(bulk_ws), read(replay_ws)
        assert len(bulk) == len(stories)
        for number, value in replayed.items():
            assert bulk[number] == value, number
        tokens = {}
        for ws in (bulk_ws, replay_ws):
            sql = ("SELECT c.number, f.tokens FROM complaint_fts f JOIN complaint c ON c.id = f.rowid"
                   if ws.dialect == "sqlite" else
                   "SELECT c.number, array_to_string(s.tokens, ' ') FROM complaint_search s "
                   "JOIN complaint c ON c.id = s.complaint_id")
            with ws.reading() as session:
                tokens[ws.dialect, ws is bulk_ws] = {n: sorted(set(t.split())) for n, t in session.execute(text(sql))}
        assert tokens[bulk_ws.dialect, True] == tokens["sqlite", False]
        # The database goes on as usual: a new complaint gets the next id (on PostgreSQL, the sequence moved).
        clerk = reference.list_staff(bulk_ws)[-1]
        value, _c = complaints.register(bulk_ws, ComplaintInput(
            "12369", at(today), clerk.id, "新的投诉：夜间施工噪声", ("construction_noise",), subject="某工地"),
            today=today)
        assert value.id == len(stories) + 1
        assert complaints.count_complaints(bulk_ws, ComplaintFilter(text="噪声"), today=today) == \
            complaints.count_complaints(replay_ws, ComplaintFilter(text="噪声"), today=today) + 1
    finally:
        replay_ws.close()


def test_the_large_demo_adds_a_decade_of_history_in_bulk(ws, monkeypatch):
    monkeypatch.setattr(dc, "LARGE_EXTRA", 3000)
    monkeypatch.setattr(dc, "LARGE_YEARS", 3)
    ctx = demo.DemoContext(ws, random.Random(demo.SEED), "large", Progress())
    demo._reference_data(ctx)
    line = dc.complaints_demo(ctx)
    assert line.startswith("4000 complaints")
    today = date.today()
    with ws.reading() as session:
        rows = session.execute(select(ComplaintRow.number, ComplaintRow.received_at, ComplaintRow.id)).all()
    assert min(r.received_at for r in rows).date() >= today - timedelta(days=3 * 366)
    by_year: dict[int, list] = {}
    for r in sorted(rows, key=lambda r: (r.received_at, r.number)):
        by_year.setdefault(r.received_at.astimezone().year, []).append(r.number)
    for year, numbers in by_year.items():  # numbered in received order, the year's and the history's together
        assert numbers == [f"XF-{year}-{i:04d}" for i in range(1, len(numbers) + 1)]
    assert complaints.count_complaints(ws, ComplaintFilter(text="噪声"), today=today) > 1000
    assert _scalar(ws, "SELECT count(*) FROM complaint_link") > 100
    assert _scalar(ws, "SELECT count(*) FROM complaint_fts") == 4000
