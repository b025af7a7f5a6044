"""The approvals register's use cases: the whole path of a case with both clocks shown correctly at every step,
the rules that refuse bad input with nothing half-written, the list, the leader's summary and the Overview."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from envdesk.app import approvals, enterprises, overview, reference
from envdesk.app import settings as settings_app
from envdesk.app.approvals import ApprovalFilter, ProjectInput
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.errors import ConflictError, NotFound, ValidationError
from envdesk.app.overview import Severity
from envdesk.domain.approvals import ClockKind, DocumentType, Status, Track
from envdesk.domain.deadlines import Urgency
from envdesk.store.approvals import ApprovalEventRow, ApprovalRow, PauseRow

D = date.fromisoformat


def _office(ws):
    town, _c = reference.save_town(ws, None, "城关镇")
    clerk = reference.save_staff(ws, None, "李审批")[0]
    builder, _c = enterprises.save_enterprise(ws, None, EnterpriseInput(
        "青溪县宏达化工有限公司", credit_code="91350100M000100Y43", town_id=town.id))
    return town, clerk, builder


@pytest.fixture
def office(ws):
    return _office(ws)


@pytest.fixture
def office_any(any_ws):
    return _office(any_ws)


def project(builder, **kwargs) -> ProjectInput:
    values = dict(name="年产5万吨饲料加工项目", builder_id=builder.id, document_type="report_form",
                  project_code="2026-350100-13-03-000123", location="城关镇工业园", category=15,
                  total_investment="3200", env_investment="180.5", key_project=True)
    values.update(kwargs)
    return ProjectInput(**values)


def clock(case, kind):
    return case.clock(kind)


def test_the_whole_path_of_a_report_form_across_national_day(ws, office):
    town, clerk, builder = office
    case, changed = approvals.register(ws, project(builder, town_id=town.id), received_on=D("2026-09-21"),
                                       actor_id=clerk.id, today=D("2026-09-21"))
    assert changed.concerns("approvals")
    assert case.number == "SP-2026-0001"
    assert case.status is Status.RECEIVED
    # Only the one-time-notification clock runs before acceptance: 5 calendar days, rolled off the break.
    assert [c.kind for c in case.clocks] == [ClockKind.MISSING_MATERIALS]
    assert clock(case, ClockKind.MISSING_MATERIALS).due == D("2026-09-28")

    case, _c = approvals.request_materials(ws, case.id, D("2026-09-23"), ["环评报告表（盖章版）", "", "土地预审意见"],
                                           clerk.id, case.version, today=D("2026-09-23"))
    assert case.status is Status.MATERIALS_REQUESTED
    assert case.missing_items == ("环评报告表（盖章版）", "土地预审意见")
    assert clock(case, ClockKind.MISSING_MATERIALS).urgency is Urgency.DONE_ON_TIME

    case, _c = approvals.accept(ws, case.id, D("2026-09-24"), clerk.id, case.version, today=D("2026-09-24"))
    assert case.status is Status.UNDER_REVIEW
    assert not case.deemed_accepted_on_receipt
    # Sep 25–27 and Oct 1–7 are rest days; Oct 10 (Saturday) is a working day.
    assert clock(case, ClockKind.PROMISED).due == D("2026-10-12")     # Sep 28–30, Oct 8, 9, 10, 12
    assert clock(case, ClockKind.STATUTORY).due == D("2026-11-12")

    case, _c = approvals.pause(ws, case.id, "expert_review", D("2026-09-28"), "专家技术评审会", clerk.id, case.version,
                               today=D("2026-09-30"))
    assert case.status is Status.PAUSED
    assert clock(case, ClockKind.PROMISED).urgency is Urgency.PAUSED
    assert case.urgency is Urgency.PAUSED
    case, _c = approvals.resume(ws, case.id, D("2026-10-09"), clerk.id, case.version, today=D("2026-10-12"))
    assert case.status is Status.UNDER_REVIEW
    assert case.pauses[0].end == D("2026-10-09")
    # The pause Sep 28–Oct 9 stops both clocks; they run again from Saturday Oct 10, a working day.
    assert clock(case, ClockKind.PROMISED).due == D("2026-10-19")
    assert clock(case, ClockKind.STATUTORY).due == D("2026-11-19")

    case, _c = approvals.decide(ws, case.id, "approved", D("2026-10-13"), "青环审〔2026〕41号", "", clerk.id,
                                case.version, today=D("2026-10-13"))
    assert case.status is Status.APPROVED
    statutory = clock(case, ClockKind.STATUTORY)
    assert statutory.used == 3  # Oct 10, 12, 13: the pause and the rest days not counted
    assert statutory.faster_by() == pytest.approx(0.9)
    assert statutory.urgency is Urgency.DONE_ON_TIME
    assert case.urgency is None and case.next_due is None
    with ws.reading() as session:
        row = session.get(ApprovalRow, case.id)
        assert (row.statutory_used, row.working_days_used) == (3, 3)
        actions = session.scalars(select(ApprovalEventRow.action).where(ApprovalEventRow.approval_id == case.id)
                                  .order_by(ApprovalEventRow.id)).all()
    assert actions == ["register", "request_materials", "accept", "pause", "resume", "decide"]


def test_a_registration_form_is_filed_the_same_day(ws, office):
    _town, clerk, builder = office
    case, _c = approvals.register(ws, project(builder, document_type="registration_form"), received_on=D("2026-10-10"),
                                  today=D("2026-10-10"))
    assert clock(case, ClockKind.PROMISED).due == D("2026-10-10")
    assert case.next_actions() == ("file", "withdraw")
    with pytest.raises(ValidationError, match="registration form"):
        approvals.accept(ws, case.id, D("2026-10-10"), today=D("2026-10-10"))
    case, _c = approvals.file_registration(ws, case.id, D("2026-10-10"), "202635010000000123", clerk.id,
                                           today=D("2026-10-10"))
    assert case.status is Status.FILED
    assert clock(case, ClockKind.PROMISED).urgency is Urgency.DONE_ON_TIME


def test_an_exempt_project_has_no_clock(ws, office):
    _town, _clerk, builder = office
    case, _c = approvals.register(ws, project(builder, track="exempt", document_type="registration_form"),
                                  received_on=D("2026-03-02"), today=D("2026-03-02"))
    assert case.status is Status.EXEMPT
    assert case.clocks == ()


def test_a_project_being_prepared_is_received_later(ws, office):
    _town, clerk, builder = office
    case, _c = approvals.register(ws, project(builder), early_involvement_on=D("2026-02-02"), today=D("2026-02-02"))
    assert case.status is Status.PREPARING and case.clocks == ()
    with pytest.raises(ValidationError, match="Received"):
        approvals.receive(ws, case.id, D("2026-01-30"), today=D("2026-03-02"))
    case, _c = approvals.receive(ws, case.id, D("2026-03-02"), clerk.id, today=D("2026-03-02"))
    assert case.status is Status.RECEIVED


def test_no_timely_notification_counts_as_accepted_on_receipt(ws, office):
    _town, _clerk, builder = office
    case, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"), today=D("2026-09-21"))
    case = approvals.get_case(ws, case.id, today=D("2026-10-09"))
    assert case.deemed_accepted_on_receipt
    assert clock(case, ClockKind.MISSING_MATERIALS).urgency is Urgency.OVERDUE
    assert clock(case, ClockKind.STATUTORY).deadline.start == D("2026-09-21")
    case, _c = approvals.accept(ws, case.id, D("2026-10-09"), today=D("2026-10-09"))
    assert case.deemed_accepted_on_receipt
    assert clock(case, ClockKind.PROMISED).urgency is Urgency.OVERDUE


def test_green_channel_uses_its_own_promised_limit(ws, office):
    _town, _clerk, builder = office
    case, _c = approvals.register(ws, project(builder, document_type="report_book", track="green_channel"),
                                  received_on=D("2026-03-02"), today=D("2026-03-02"))
    case, _c = approvals.accept(ws, case.id, D("2026-03-02"), today=D("2026-03-02"))
    assert clock(case, ClockKind.PROMISED).rule.limit == 5
    assert clock(case, ClockKind.STATUTORY).rule.limit == 60
    assert clock(case, ClockKind.PROMISED).due == D("2026-03-09")
    changed = settings_app.set_value(ws, "approvals/promised/green_channel/limit", 3)
    assert changed.concerns("approvals")  # the stored due dates follow the new limit at once
    assert approvals.get_case(ws, case.id, today=D("2026-03-02")).promised_due == D("2026-03-05")


@pytest.mark.parametrize("step, message", [
    (lambda ws, c: approvals.accept(ws, c.id, D("2026-09-20"), today=D("2026-09-30")), "before receipt"),
    (lambda ws, c: approvals.request_materials(ws, c.id, D("2026-09-22"), ["  "], today=D("2026-09-30")),
     "missing item"),
    (lambda ws, c: approvals.accept(ws, c.id, D("2026-12-01"), today=D("2026-09-30")), "future"),
    (lambda ws, c: approvals.decide(ws, c.id, "approved", D("2026-09-25"), "X", today=D("2026-09-30")),
     "cannot be approved or refused now"),
    (lambda ws, c: approvals.pause(ws, c.id, "expert_review", D("2026-09-22"), "x", today=D("2026-09-30")),
     "cannot be paused now"),
])
def test_bad_steps_are_refused_and_nothing_is_written(ws, office, step, message):
    _town, _clerk, builder = office
    case, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"), today=D("2026-09-21"))
    with pytest.raises(ValidationError, match=message):
        step(ws, case)
    after = approvals.get_case(ws, case.id, today=D("2026-09-21"))
    assert (after.status, after.version, after.accepted_on, after.notified_on) == \
        (case.status, case.version, None, None)


def _under_review(ws, builder, received="2026-09-21"):
    case, _c = approvals.register(ws, project(builder), received_on=D(received), today=D(received))
    case, _c = approvals.accept(ws, case.id, D(received), today=D(received))
    return case


def test_overlapping_pauses_are_refused(ws, office):
    _town, _clerk, builder = office
    case = _under_review(ws, builder)
    case, _c = approvals.pause(ws, case.id, "expert_review", D("2026-09-22"), "评审", today=D("2026-10-20"))
    case, _c = approvals.resume(ws, case.id, D("2026-10-09"), today=D("2026-10-20"))
    with pytest.raises(ValidationError, match="overlap"):
        approvals.pause(ws, case.id, "public_notice", D("2026-10-08"), "公示", today=D("2026-10-20"))
    with pytest.raises(ValidationError, match="Paused until"):
        approvals.pause(ws, case.id, "public_notice", D("2026-10-12"), "公示", today=D("2026-10-20"))
        approvals.resume(ws, case.id, D("2026-10-11"), today=D("2026-10-20"))
    with ws.reading() as session:
        assert session.scalar(select(func.count()).select_from(PauseRow)) == 2
    case = approvals.get_case(ws, case.id, today=D("2026-10-20"))
    with pytest.raises(ValidationError, match="overlap"):
        approvals.correct_pause(ws, case.id, case.pauses[0].id, "expert_review", D("2026-09-22"), D("2026-10-12"),
                                "评审", today=D("2026-10-20"))
    with pytest.raises(ValidationError, match="before the application is accepted"):
        approvals.pause(ws, _under_review(ws, builder, "2026-10-12").id, "expert_review", D("2026-10-01"), "x",
                        today=D("2026-10-20"))


def test_a_decision_needs_a_document_number_that_is_unique(ws, office):
    _town, _clerk, builder = office
    first, second = _under_review(ws, builder), _under_review(ws, builder)
    with pytest.raises(ValidationError, match="Approval No."):
        approvals.decide(ws, first.id, "approved", D("2026-09-25"), "  ", today=D("2026-09-30"))
    approvals.decide(ws, first.id, "approved", D("2026-09-25"), "青环审〔2026〕1号", today=D("2026-09-30"))
    with pytest.raises(ValidationError, match="already used"):
        approvals.decide(ws, second.id, "not_approved", D("2026-09-25"), "青环审〔2026〕1号", today=D("2026-09-30"))
    assert approvals.get_case(ws, second.id).status is Status.UNDER_REVIEW


@pytest.mark.parametrize("change, field", [
    (dict(name=" "), "Project"), (dict(builder_id=None), "Builder"), (dict(builder_id=9999), "Builder"),
    (dict(project_code="2026-35"), "Investment project code"), (dict(category=999), "EIA category"),
    (dict(total_investment="abc"), "Total investment"), (dict(env_investment="5000"), "Environmental investment"),
    (dict(document_type="certificate"), "Document type"), (dict(track="fast"), "Approval track"),
    (dict(document_type="registration_form", track="green_channel"), "Approval track"),
])
def test_bad_project_input_names_the_field(ws, office, change, field):
    _town, _clerk, builder = office
    with pytest.raises(ValidationError) as raised:
        approvals.register(ws, project(builder, **change), received_on=D("2026-03-02"), today=D("2026-03-02"))
    assert raised.value.field == field
    with ws.reading() as session:
        assert session.scalar(select(func.count()).select_from(ApprovalRow)) == 0


def test_a_stale_form_is_refused(ws, office):
    _town, _clerk, builder = office
    case, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"), today=D("2026-09-21"))
    approvals.update_project(ws, case.id, project(builder, name="新名称"), expected_version=case.version,
                             today=D("2026-09-22"))
    with pytest.raises(ConflictError):
        approvals.accept(ws, case.id, D("2026-09-22"), expected_version=case.version, today=D("2026-09-22"))
    with pytest.raises(NotFound):
        approvals.find_case(ws, "SP-2099-0001")
    assert approvals.find_case(ws, case.number) == approvals.find_case(ws, str(case.id)) == case.id


def test_list_filters_sorts_and_colours_by_the_nearer_clock(office_any, any_ws):
    ws = any_ws
    _town, _clerk, builder = office_any
    today = D("2026-10-12")
    late = _under_review(ws, builder, "2026-09-01")          # promised due long ago: overdue
    fresh = _under_review(ws, builder, "2026-10-12")
    book, _c = approvals.register(ws, project(builder, name="化工园区扩建项目", document_type="report_book",
                                              key_project=False), received_on=D("2026-10-12"), today=today)
    found = approvals.list_cases(ws, ApprovalFilter(), sort="due", descending=False, today=today)
    assert [c.id for c in found][:1] == [late.id]
    by_id = {c.id: c for c in found}
    assert by_id[late.id].urgency is Urgency.OVERDUE
    assert by_id[fresh.id].urgency is Urgency.ON_TRACK
    assert approvals.count_cases(ws, ApprovalFilter(text="化工园区"), today) == 1
    assert approvals.count_cases(ws, ApprovalFilter(text="91350100M000100Y43"), today) == 3
    assert approvals.count_cases(ws, ApprovalFilter(key_only=True), today) == 2
    assert approvals.count_cases(ws, ApprovalFilter(document_type="report_book"), today) == 1
    assert approvals.count_cases(ws, ApprovalFilter(overdue_only=True), today) == 1
    assert approvals.count_cases(ws, ApprovalFilter(text="100%_"), today) == 0
    assert [c.id for c in approvals.list_cases(ws, ApprovalFilter(statuses=("received",)), today=today)] == [book.id]


def test_summary_counts_and_rates(office_any, any_ws):
    ws = any_ws
    _town, _clerk, builder = office_any
    on_time = _under_review(ws, builder, "2026-03-02")
    approvals.decide(ws, on_time.id, "approved", D("2026-03-04"), "A1", today=D("2026-03-04"))
    late = _under_review(ws, builder, "2026-03-02")
    approvals.decide(ws, late.id, "approved", D("2026-03-20"), "A2", today=D("2026-03-20"))  # past 7 working days
    _under_review(ws, builder, "2026-03-03")
    approvals.register(ws, project(builder, key_project=False), early_involvement_on=D("2026-03-05"),
                       today=D("2026-03-05"))
    reg, _c = approvals.register(ws, project(builder, document_type="registration_form"),
                                 received_on=D("2026-03-06"), today=D("2026-03-06"))
    approvals.file_registration(ws, reg.id, D("2026-03-06"), today=D("2026-03-06"))
    approvals.register(ws, project(builder, document_type="registration_form", track="exempt"),
                       received_on=D("2026-03-06"), today=D("2026-03-06"))
    approvals.register(ws, project(builder), received_on=D("2025-12-30"), today=D("2025-12-30"))  # outside

    s = approvals.summary(ws, D("2026-01-01"), D("2026-12-31"), today=D("2026-03-20"))
    assert s.reports.total == 4
    assert (s.reports.approved, s.reports.under_review, s.reports.preparing) == (2, 1, 1)
    assert (s.registrations.total, s.registrations.approved, s.registrations.exempt) == (2, 1, 1)
    forms = next(t for t in s.timings if t.document_type is DocumentType.REPORT_FORM and t.track is Track.NORMAL)
    assert forms.decided == 2
    assert forms.average_working_days == pytest.approx((2 + 14) / 2)
    assert (forms.statutory_on_time, forms.promised_on_time) == (2, 1)
    assert forms.faster_than_statutory == pytest.approx(1 - 8 / 30)
    assert s.rate(s.promised_on_time, s.decided) == pytest.approx(2 / 3)  # the registration form was on time
    assert s.by_month == {"2026-03": 6}
    key = approvals.summary(ws, D("2026-01-01"), D("2026-12-31"), key_only=True, today=D("2026-03-20"))
    assert key.reports.total == 3
    with pytest.raises(ValidationError):
        approvals.summary(ws, D("2026-12-31"), D("2026-01-01"))


def test_overview_lists_cases_due_within_three_working_days(ws, office):
    _town, _clerk, builder = office
    soon = _under_review(ws, builder, "2026-09-16")     # promised due Sep 24 (Sunday Sep 20 is a working day)
    _under_review(ws, builder, "2026-09-21")            # promised due Oct 8: not yet
    received, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"), today=D("2026-09-21"))
    # Three working days from Tuesday Sep 22: Sep 23, 24, 28 (the Mid-Autumn break between).
    result = overview.build(ws, today=D("2026-09-22"))
    mine = [item for item in result.items if item.register == "Approvals"]
    assert {item.reference for item in mine} == {soon.number, received.number}
    assert all(item.severity is Severity.DUE_SOON for item in mine)
    result = overview.build(ws, today=D("2026-10-08"))
    assert {i.reference for i in result.items if i.register == "Approvals" and i.severity is Severity.OVERDUE} == \
        {soon.number, received.number}


def test_editing_keeps_a_decided_case_type(ws, office):
    _town, _clerk, builder = office
    case = _under_review(ws, builder)
    case, _c = approvals.decide(ws, case.id, "approved", D("2026-09-25"), "A9", today=D("2026-09-30"))
    with pytest.raises(ValidationError, match="keeps its document type"):
        approvals.update_project(ws, case.id, replace(project(builder), document_type="report_book"),
                                 today=D("2026-09-30"))
    case, _c = approvals.update_project(ws, case.id, project(builder, contact_person="王工"), today=D("2026-09-30"))
    assert case.contact_person == "王工"
    assert case.events[-1].action == "edit"


def test_a_paused_case_shows_its_due_dates_as_of_today(ws, office):
    _town, _clerk, builder = office
    case = _under_review(ws, builder, "2026-09-21")
    approvals.pause(ws, case.id, "public_notice", D("2026-09-22"), "公示", today=D("2026-09-22"))
    early, = approvals.list_cases(ws, today=D("2026-09-22"))
    later, = approvals.list_cases(ws, today=D("2026-10-20"))
    assert later.urgency is Urgency.PAUSED
    assert later.promised_due > early.promised_due > D("2026-09-22")
    assert approvals.count_cases(ws, ApprovalFilter(overdue_only=True), D("2026-12-20")) == 0


def test_an_exempt_report_form_has_no_clock_either(ws, office):
    _town, _clerk, builder = office
    case, _c = approvals.register(ws, project(builder, track="exempt"), received_on=D("2026-03-02"),
                                  today=D("2026-03-02"))
    assert case.status is Status.EXEMPT and case.clocks == ()
    assert approvals.refresh_due_dates(ws, today=D("2026-03-03")) == 0


def test_ending_the_open_pause_by_correction_resumes_the_case(ws, office):
    _town, _clerk, builder = office
    case = _under_review(ws, builder)
    case, _c = approvals.pause(ws, case.id, "expert_review", D("2026-09-22"), "评审", today=D("2026-10-20"))
    case, _c = approvals.correct_pause(ws, case.id, case.pauses[0].id, "expert_review", D("2026-09-22"),
                                       D("2026-10-09"), "评审", today=D("2026-10-20"))
    assert case.status is Status.UNDER_REVIEW and case.next_due is not None
    with pytest.raises(ValidationError, match="cannot be resumed now"):
        approvals.resume(ws, case.id, D("2026-10-10"), today=D("2026-10-20"))


def test_a_registration_form_is_never_deemed_accepted(ws, office):
    _town, _clerk, builder = office
    case, _c = approvals.register(ws, project(builder, document_type="registration_form"),
                                  received_on=D("2026-10-10"), today=D("2026-10-10"))
    assert not approvals.get_case(ws, case.id, today=D("2026-10-20")).deemed_accepted_on_receipt
