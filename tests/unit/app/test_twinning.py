"""The twinning register's use cases: pairs, monthly contacts, health checks and the closed-loop service account."""

from datetime import date
from types import SimpleNamespace

import pytest

from envdesk.app import demo, enterprises, overview, reference, twinning
from envdesk.app.access import Principal
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.errors import ConflictError, NotFound, ValidationError
from envdesk.app.overview import Severity as Urgency
from envdesk.app.twinning import FindingInput
from envdesk.app.workspace import Workspace
from envdesk.domain.credit_code import check_credit_code
from envdesk.domain.twinning import ContactMode, ItemCategory, ItemSource, ItemStatus, MonthMark, PairStatus, Severity

TESTER = Principal.trusted("tester")

TODAY = date(2026, 6, 15)
C, M, D, F, O = (MonthMark.CONTACTED, MonthMark.MISSED, MonthMark.DUE, MonthMark.FUTURE, MonthMark.OUTSIDE)


@pytest.fixture
def o(ws):
    return _office(ws)


@pytest.fixture
def o_any(any_ws):
    """The same office on each first-class database (the list, grid and Overview queries run in SQL)."""
    return _office(any_ws)


def _office(ws):
    """A small office: two leaders, three staff (one retired), three departments, two towns, three enterprises."""
    office, _c = reference.save_department(ws, None, "办公室")
    approvals, _c = reference.save_department(ws, None, "行政审批科")
    station, _c = reference.save_department(ws, None, "环境监测站")
    baisha, _c = reference.save_town(ws, None, "白沙镇")
    park, _c = reference.save_town(ws, None, "青溪经济开发区", kind="park")

    def staff(name, department, **kw):
        return reference.save_staff(ws, None, name, department.id, phone="13800000000", **kw)[0]

    def enterprise(name, town, code, types):
        return enterprises.save_enterprise(ws, None, EnterpriseInput(name, credit_code=code, town_id=town.id,
                                                                     scale="medium", types=types))[0]

    return SimpleNamespace(
        ws=ws, office=office, approvals=approvals, station=station, baisha=baisha, park=park,
        director=staff("陈局长", office, title="局长", is_leader=True),
        deputy=staff("林副局长", approvals, title="副局长", is_leader=True),
        li=staff("李四", office), wang=staff("王五", station), zhao=staff("赵六", approvals),
        retired=staff("钱退休", office, active=False),
        hongda=enterprise("青溪县宏达化工有限公司", baisha, "91350100M000100Y43", ("key_discharger", "traditional")),
        lvyuan=enterprise("青溪县绿源污水处理有限公司", park, "914403001922038216", ("third_party",)),
        xincai=enterprise("浙江青溪新材料科技股份有限公司", park, "", ("emerging",)),
    )


def pair(o, enterprise, start=date(2026, 2, 20), liaison=None, leader=None, year=None, **kw):
    value, _c = twinning.pair_enterprise(o.ws, enterprise.id, year or start.year, (liaison or o.li).id,
                                         (leader or o.director).id, start, **kw)
    return value


def contact(o, pair_value, day, problems=(), mode="visit", staff=None):
    value, _c = twinning.log_contact(o.ws, pair_value.id, day, mode, (staff or pair_value.liaison).id,
                                     "走访企业，查看治理设施运行情况", problems, today=TODAY)
    return value


def request_item(o, enterprise=None, day=date(2026, 5, 4), due=None, description="扩建项目申请环评提前介入服务"):
    value, _c = twinning.create_item(o.ws, (enterprise or o.hongda).id, "request", "approval", description, o.li.id,
                                     event_date=day, due_date=due, today=TODAY)
    return value


def step(o, item, action, actor=None, note="", **kw):
    kw.setdefault("today", TODAY)
    value, _c = twinning.advance_item(o.ws, item.id, action, (actor or o.li).id, note, **kw)
    return value


# --- pairs -----------------------------------------------------------------------------------------

def test_pair_an_enterprise(o):
    value = pair(o, o.hongda, liaison=o.wang, leader=o.deputy)
    assert (value.year, value.start_date, value.end_date, value.status) == (2026, date(2026, 2, 20), None,
                                                                          PairStatus.ACTIVE)
    assert value.enterprise.name_zh == "青溪县宏达化工有限公司"
    assert (value.liaison.name, value.liaison.department, value.liaison.phone) == ("王五", "环境监测站", "13800000000")
    assert (value.leader.name, value.leader.title) == ("林副局长", "副局长")
    assert twinning.get_pair(o.ws, value.id) == value
    assert twinning.years(o.ws) == [2026]


@pytest.mark.parametrize("change, message", [
    ({"leader": "li"}, "Contact leader: 李四 is not a bureau leader"),
    ({"liaison": "retired"}, "Liaison officer: 钱退休 is no longer active"),
    ({"start": date(2025, 12, 30), "year": 2026}, "Start date: must fall in 2026"),
    ({"end_date": date(2026, 2, 1)}, "End date: cannot be before the start date"),
    ({"end_date": date(2027, 1, 5)}, "End date: must fall in 2026"),
])
def test_pair_validation(o, change, message):
    kw = {key: getattr(o, value) if key in ("leader", "liaison") else value for key, value in change.items()}
    with pytest.raises(ValidationError) as caught:
        pair(o, o.hongda, **kw)
    assert str(caught.value) == message
    assert twinning.years(o.ws) == []


def test_pair_needs_existing_people_and_enterprise(o):
    with pytest.raises(ValidationError, match="^Liaison officer: does not exist$"):
        twinning.pair_enterprise(o.ws, o.hongda.id, 2026, 9999, o.director.id, date(2026, 3, 1))
    with pytest.raises(ValidationError, match="^Enterprise: does not exist$"):
        twinning.pair_enterprise(o.ws, 9999, 2026, o.li.id, o.director.id, date(2026, 3, 1))


def test_a_second_active_pair_in_the_same_year_is_refused(o):
    first = pair(o, o.hongda)
    with pytest.raises(ValidationError, match=r"^Enterprise: is already paired in 2026; end that pair first$"):
        pair(o, o.hongda, start=date(2026, 7, 1), liaison=o.wang)
    assert pair(o, o.hongda, start=date(2025, 3, 1)).year == 2025  # another year is another list
    # Once the first pair has ended, the enterprise can be paired again ("pair, serve and supplement").
    twinning.end_pair(o.ws, first.id, date(2026, 6, 30), "联络员调岗，重新结对")
    again = pair(o, o.hongda, start=date(2026, 7, 1), liaison=o.wang)
    assert again.status is PairStatus.ACTIVE and again.liaison.name == "王五"


def test_end_pair(o):
    value = pair(o, o.hongda)
    contact(o, value, date(2026, 5, 10))
    with pytest.raises(ValidationError, match="^Reason: is required$"):
        twinning.end_pair(o.ws, value.id, date(2026, 6, 1), "  ")
    with pytest.raises(ValidationError, match=r"^End date: cannot be before the last contact \(2026-05-10\)$"):
        twinning.end_pair(o.ws, value.id, date(2026, 5, 9), "企业停产")
    with pytest.raises(ValidationError, match="^End date: cannot be before the start date$"):
        twinning.end_pair(o.ws, value.id, date(2026, 2, 1), "企业停产")
    with pytest.raises(ValidationError, match="^End date: must fall in 2026$"):
        twinning.end_pair(o.ws, value.id, date(2027, 1, 4), "企业停产")
    with pytest.raises(ConflictError):
        twinning.end_pair(o.ws, value.id, date(2026, 6, 1), "企业停产", expected_version=value.version + 1)
    ended, _c = twinning.end_pair(o.ws, value.id, date(2026, 5, 10), " 企业停产搬迁至外县 ", expected_version=value.version)
    assert (ended.status, ended.end_date, ended.end_reason) == (PairStatus.ENDED, date(2026, 5, 10), "企业停产搬迁至外县")
    assert ended.version == value.version + 1
    with pytest.raises(ValidationError, match="^Status: the pair has already ended$"):
        twinning.end_pair(o.ws, value.id, date(2026, 6, 1), "再次结束")


def test_update_pair_changes_who_serves_and_refuses_a_stale_edit(o):
    value = pair(o, o.hongda)
    updated, _c = twinning.update_pair(o.ws, value.id, o.wang.id, o.deputy.id, date(2026, 3, 1),
                                       expected_version=value.version)
    assert (updated.liaison.name, updated.leader.name, updated.start_date) == ("王五", "林副局长", date(2026, 3, 1))
    with pytest.raises(ConflictError):
        twinning.update_pair(o.ws, value.id, o.li.id, o.director.id, date(2026, 3, 1), expected_version=value.version)
    with pytest.raises(ValidationError, match="^Contact leader: 赵六 is not a bureau leader$"):
        twinning.update_pair(o.ws, value.id, o.li.id, o.zhao.id, date(2026, 3, 1))


def test_update_pair_cannot_start_after_its_first_contact(o):
    value = pair(o, o.hongda)
    contact(o, value, date(2026, 3, 10))
    with pytest.raises(ValidationError):
        twinning.update_pair(o.ws, value.id, o.li.id, o.director.id, date(2026, 4, 1))


def test_a_liaison_officer_in_use_cannot_be_deleted(o):
    pair(o, o.hongda, liaison=o.wang)
    with pytest.raises(ValidationError, match="is still used"):
        reference.delete_staff(o.ws, o.wang.id)


# --- contacts --------------------------------------------------------------------------------------

def test_log_contact(o):
    value = pair(o, o.hongda)
    logged, _c = twinning.log_contact(o.ws, value.id, date(2026, 3, 5), "Phone", o.li.id, "  电话回访  ",
                                      ["企业咨询排污许可延续", "  ", "", " 危废转运不及时 "], today=TODAY)
    assert (logged.contact_date, logged.mode, logged.staff.name, logged.summary) == \
        (date(2026, 3, 5), ContactMode.PHONE, "李四", "电话回访")
    assert logged.problems == ("企业咨询排污许可延续", "危废转运不及时")
    leader_visit = contact(o, value, date(2026, 4, 2), staff=o.director)  # a leader may make the visit
    assert [c.id for c in twinning.contacts(o.ws, value.id)] == [leader_visit.id, logged.id]  # newest first


@pytest.mark.parametrize("day, message", [
    (date(2026, 2, 19), "Contact date: must fall within the pair (2026-02-20 – 2026-12-31)"),
    (date(2026, 6, 16), "Contact date: cannot be in the future"),
])
def test_contact_date_within_the_pair_and_not_in_the_future(o, day, message):
    value = pair(o, o.hongda)
    with pytest.raises(ValidationError) as caught:
        contact(o, value, day)
    assert str(caught.value) == message
    assert twinning.contacts(o.ws, value.id) == []


def test_no_contact_after_a_pair_ended(o):
    value = pair(o, o.hongda)
    twinning.end_pair(o.ws, value.id, date(2026, 4, 30), "企业停产")
    assert contact(o, value, date(2026, 4, 30)).contact_date == date(2026, 4, 30)  # logged late, still in time
    with pytest.raises(ValidationError, match=r"must fall within the pair \(2026-02-20 – 2026-04-30\)"):
        contact(o, value, date(2026, 5, 2))


def test_contact_must_fall_in_the_pairs_year(o):
    value = pair(o, o.hongda, start=date(2025, 3, 1))
    with pytest.raises(ValidationError):
        contact(o, value, date(2026, 1, 10))


@pytest.mark.parametrize("mode, staff, summary, message", [
    ("fax", "li", "x", "Mode: “fax” is not one of: On-site visit、Video、Phone"),
    ("visit", "retired", "x", "Staff: 钱退休 is no longer active"),
    ("visit", "li", " ", "Summary: is required"),
])
def test_contact_validation(o, mode, staff, summary, message):
    value = pair(o, o.hongda)
    with pytest.raises(ValidationError) as caught:
        twinning.log_contact(o.ws, value.id, date(2026, 3, 5), mode, getattr(o, staff).id, summary, today=TODAY)
    assert str(caught.value) == message


def test_contact_on_a_missing_pair(o):
    with pytest.raises(NotFound):
        twinning.log_contact(o.ws, 9999, date(2026, 3, 5), "visit", o.li.id, "x", today=TODAY)


def test_raise_from_contact_once_per_problem(o):
    value = pair(o, o.hongda)
    logged = contact(o, value, date(2026, 5, 10), ["排污许可证年底到期，不清楚延续材料", "危废暂存间容量不足"])
    item, _c = twinning.raise_from_contact(o.ws, logged.id, 1, "assistance", o.li.id, due_date=date(2026, 6, 30),
                                           today=TODAY)
    assert (item.number, item.source, item.category, item.status) == \
        ("FW-2026-0001", ItemSource.CONTACT, ItemCategory.ASSISTANCE, ItemStatus.COLLECTED)
    assert (item.description, item.enterprise_name, item.due_date) == \
        ("危废暂存间容量不足", "青溪县宏达化工有限公司", date(2026, 6, 30))
    (event,) = twinning.get_item(o.ws, item.id).events
    assert (event.event_date, event.action, event.to_status, event.staff) == \
        (date(2026, 5, 10), "collect", ItemStatus.COLLECTED, "李四")
    with pytest.raises(ValidationError, match="^Problem: was already raised as item FW-2026-0001$"):
        twinning.raise_from_contact(o.ws, logged.id, 1, "assistance", o.li.id, today=TODAY)
    with pytest.raises(ValidationError, match="^Problem: no such problem in this contact$"):
        twinning.raise_from_contact(o.ws, logged.id, 2, "policy", o.li.id, today=TODAY)
    assert twinning.contacts(o.ws, value.id)[0].raised == (1,)
    other, _c = twinning.raise_from_contact(o.ws, logged.id, 0, "approval", o.li.id, today=TODAY)
    assert other.number == "FW-2026-0002"
    assert sorted(twinning.contacts(o.ws, value.id)[0].raised) == [0, 1]


def test_raising_problem_1_does_not_block_problem_10(o):
    value = pair(o, o.hongda)
    logged = contact(o, value, date(2026, 5, 10), [f"问题{n}" for n in range(12)])
    twinning.raise_from_contact(o.ws, logged.id, 10, "other", o.li.id, today=TODAY)
    item, _c = twinning.raise_from_contact(o.ws, logged.id, 1, "other", o.li.id, today=TODAY)
    assert item.description == "问题1"
    assert sorted(twinning.contacts(o.ws, value.id)[0].raised) == [1, 10]


def test_raise_from_contact_checks_the_due_date_and_category(o):
    value = pair(o, o.hongda)
    logged = contact(o, value, date(2026, 5, 10), ["问题"])
    with pytest.raises(ValidationError, match="^Due date: cannot be before the item was collected$"):
        twinning.raise_from_contact(o.ws, logged.id, 0, "policy", o.li.id, due_date=date(2026, 5, 9), today=TODAY)
    with pytest.raises(ValidationError, match="^Category: "):
        twinning.raise_from_contact(o.ws, logged.id, 0, "money", o.li.id, today=TODAY)
    assert twinning.items(o.ws) == []


# --- health checks ---------------------------------------------------------------------------------

FINDINGS = [FindingInput("危废贮存间防渗层破损", "High", "修复防渗层，增设导流沟"),
            FindingInput("排污口标识牌缺失", "low"),
            FindingInput("自行监测频次不足", "medium", "调整自行监测方案")]


def test_health_check_with_findings_and_items_from_them(o):
    check, _c = twinning.record_health_check(o.ws, o.hongda.id, date(2026, 4, 20), "县环保体检专家组", "全要素体检",
                                             FINDINGS, today=TODAY)
    assert [(f.description, f.severity, f.treatment) for f in check.findings] == [
        ("危废贮存间防渗层破损", Severity.HIGH, "修复防渗层，增设导流沟"), ("排污口标识牌缺失", Severity.LOW, ""),
        ("自行监测频次不足", Severity.MEDIUM, "调整自行监测方案")]
    item, _c = twinning.raise_from_finding(o.ws, check.findings[0].id, "technology", o.li.id, today=TODAY)
    assert item.source is ItemSource.HEALTH_CHECK and item.enterprise_id == o.hongda.id
    assert item.description == "危废贮存间防渗层破损"  # the treatment stays with the finding, in its own words
    assert twinning.get_item(o.ws, item.id).events[0].event_date == date(2026, 4, 20)
    with pytest.raises(ValidationError, match=f"^Finding: was already raised as item {item.number}$"):
        twinning.raise_from_finding(o.ws, check.findings[0].id, "technology", o.li.id, today=TODAY)
    plain, _c = twinning.raise_from_finding(o.ws, check.findings[1].id, "other", o.li.id, today=TODAY)
    assert plain.description == "排污口标识牌缺失"
    again = twinning.get_health_check(o.ws, check.id)
    assert [f.item_number for f in again.findings] == [item.number, plain.number, ""]
    assert twinning.health_checks(o.ws, o.hongda.id) == [again]


@pytest.mark.parametrize("day, team, findings, message", [
    (date(2026, 6, 16), "专家组", FINDINGS, "Check date: cannot be in the future"),
    (date(2026, 4, 20), " ", FINDINGS, "Expert team: is required"),
    (date(2026, 4, 20), "专家组", [FINDINGS[0], FindingInput("x", "urgent")], "Finding 2: “urgent” is not one of"),
    (date(2026, 4, 20), "专家组", [FindingInput(" ", "low")], "Finding 1: is required"),
])
def test_health_check_validation_writes_nothing(o, day, team, findings, message):
    with pytest.raises(ValidationError) as caught:
        twinning.record_health_check(o.ws, o.hongda.id, day, team, "", findings, today=TODAY)
    assert str(caught.value).startswith(message)
    assert twinning.health_checks(o.ws, o.hongda.id) == []


# --- the service account's closed loop ---------------------------------------------------------------

def test_the_full_closed_loop(o_any):
    o = o_any
    item = request_item(o, due=date(2026, 6, 30))
    assert (item.number, item.source, item.status) == ("FW-2026-0001", ItemSource.REQUEST, ItemStatus.COLLECTED)
    handed = step(o, item, "hand_over", o.li, "请审批科提前介入", event_date=date(2026, 5, 6),
                  department_id=o.approvals.id, owner_id=o.zhao.id, due_date=date(2026, 6, 20))
    assert (handed.status, handed.department, handed.owner, handed.due_date) == \
        (ItemStatus.HANDED_OVER, "行政审批科", "赵六", date(2026, 6, 20))
    tracked = step(o, handed, "track", o.zhao, "已约企业面谈，材料基本齐全", event_date=date(2026, 5, 20))
    tracked = step(o, tracked, "Track", o.zhao, "环评报告表已受理", event_date=date(2026, 6, 1),
                   expected_version=tracked.version)
    closed = step(o, tracked, "close", o.zhao, event_date=date(2026, 6, 10), resolution="环评批复已下达，企业满意")
    assert (closed.status, closed.resolution) == (ItemStatus.CLOSED, "环评批复已下达，企业满意")
    # Each change of the item bumps its version (a second progress note only adds an event).
    assert item.version < handed.version < closed.version
    events = [(e.event_date, e.action, e.from_status, e.to_status, e.staff, e.department, e.note)
              for e in twinning.get_item(o.ws, item.id).events]
    assert events == [
        (date(2026, 5, 4), "collect", None, ItemStatus.COLLECTED, "李四", "", ""),
        (date(2026, 5, 6), "hand_over", ItemStatus.COLLECTED, ItemStatus.HANDED_OVER, "李四", "行政审批科",
         "请审批科提前介入"),
        (date(2026, 5, 20), "track", ItemStatus.HANDED_OVER, ItemStatus.TRACKED, "赵六", "", "已约企业面谈，材料基本齐全"),
        (date(2026, 6, 1), "track", ItemStatus.TRACKED, ItemStatus.TRACKED, "赵六", "", "环评报告表已受理"),
        (date(2026, 6, 10), "close", ItemStatus.TRACKED, ItemStatus.CLOSED, "赵六", "", "环评批复已下达，企业满意"),
    ]
    assert twinning.items(o.ws, open_only=True) == []
    with pytest.raises(ValidationError, match="^Status: An item that is “Closed” cannot be “Track”; it can be: "
                                              "nothing more$"):
        step(o, closed, "track", o.zhao, "再跟踪")


def test_closing_needs_a_resolution(o):
    item = step(o, request_item(o), "hand_over", event_date=date(2026, 5, 6), department_id=o.approvals.id)
    with pytest.raises(ValidationError, match="^Resolution: is required$"):
        step(o, item, "close", o.zhao, "办完了", event_date=date(2026, 6, 1), resolution="  ")
    again = twinning.get_item(o.ws, item.id)
    assert (again.status, again.version, len(again.events)) == (ItemStatus.HANDED_OVER, item.version, 2)


def test_a_collected_item_is_handed_over_before_it_is_closed(o):
    item = request_item(o)
    with pytest.raises(ValidationError, match="^Status: An item that is “Collected” cannot be “Close"):
        step(o, item, "close", resolution="已办结")


def test_hand_over_needs_a_department(o):
    item = request_item(o)
    with pytest.raises(ValidationError, match="^Department: is required to hand an item over$"):
        step(o, item, "hand_over", owner_id=o.zhao.id)
    with pytest.raises(ValidationError, match="^Owner: 钱退休 is no longer active$"):
        step(o, item, "hand_over", department_id=o.office.id, owner_id=o.retired.id)
    with pytest.raises(ValidationError, match="^Due date: cannot be before the hand-over$"):
        step(o, item, "hand_over", department_id=o.office.id, event_date=date(2026, 5, 10),
             due_date=date(2026, 5, 9))
    assert twinning.get_item(o.ws, item.id).status is ItemStatus.COLLECTED


def test_tracking_needs_a_progress_note(o):
    item = step(o, request_item(o), "hand_over", department_id=o.station.id)
    with pytest.raises(ValidationError, match="^Progress: is required$"):
        step(o, item, "track", o.wang, " ")


def test_an_item_passed_on_to_another_department(o):
    item = step(o, request_item(o), "hand_over", event_date=date(2026, 5, 5), department_id=o.station.id,
                owner_id=o.wang.id, due_date=date(2026, 5, 30))
    item = step(o, item, "track", o.wang, "监测站无法办理", event_date=date(2026, 5, 10))
    item = step(o, item, "hand_over", o.li, "转审批科", event_date=date(2026, 5, 12), department_id=o.approvals.id,
                owner_id=o.zhao.id)
    assert (item.status, item.department, item.owner, item.due_date) == \
        (ItemStatus.HANDED_OVER, "行政审批科", "赵六", date(2026, 5, 30))  # the due date stays unless changed
    assert [e.department for e in twinning.get_item(o.ws, item.id).events] == ["", "环境监测站", "", "行政审批科"]


def test_cancel_needs_a_reason(o):
    item = request_item(o)
    with pytest.raises(ValidationError, match="^Reason: is required$"):
        step(o, item, "cancel")
    cancelled = step(o, item, "cancel", reason="企业已自行完成整改")
    assert (cancelled.status, cancelled.cancel_reason) == (ItemStatus.CANCELLED, "企业已自行完成整改")
    assert cancelled.events[-1].note == "企业已自行完成整改"
    with pytest.raises(ValidationError, match="^Status: An item that is “Cancelled” cannot be “Hand over”"):
        step(o, cancelled, "hand_over", department_id=o.office.id)


def test_a_step_dated_before_the_last_or_in_the_future_is_refused(o):
    item = step(o, request_item(o), "hand_over", event_date=date(2026, 5, 6), department_id=o.office.id)
    with pytest.raises(ValidationError, match=r"^Date: cannot be before the item's last step \(2026-05-06\)$"):
        step(o, item, "track", o.li, "进展", event_date=date(2026, 5, 5))
    with pytest.raises(ValidationError, match="^Date: cannot be in the future$"):
        step(o, item, "track", o.li, "进展", event_date=date(2026, 6, 16))
    assert step(o, item, "track", o.li, "同日跟进", event_date=date(2026, 5, 6)).status is ItemStatus.TRACKED


def test_unknown_action_is_refused(o):
    with pytest.raises(ValidationError, match="^Action: “reopen” is not one of"):
        step(o, request_item(o), "reopen")


def test_stale_version_is_a_conflict_and_changes_nothing(o):
    item = request_item(o)
    first = step(o, item, "hand_over", department_id=o.office.id, expected_version=item.version)
    with pytest.raises(ConflictError):
        step(o, item, "cancel", reason="重复事项", expected_version=item.version)
    again = twinning.get_item(o.ws, item.id)
    assert (again.status, again.version, len(again.events)) == (ItemStatus.HANDED_OVER, first.version, 2)


def test_item_numbers_run_per_year_and_items_filter(o):
    old = request_item(o, day=date(2025, 12, 30))
    new1 = request_item(o, o.lvyuan, day=date(2026, 1, 2))
    new2 = request_item(o)
    assert (old.number, new1.number, new2.number) == ("FW-2025-0001", "FW-2026-0001", "FW-2026-0002")
    step(o, new2, "cancel", reason="重复")
    assert [i.number for i in twinning.items(o.ws, o.hongda.id)] == ["FW-2025-0001", "FW-2026-0002"]
    assert [i.number for i in twinning.items(o.ws, open_only=True)] == ["FW-2025-0001", "FW-2026-0001"]
    with pytest.raises(ValidationError, match="^Date: cannot be in the future$"):
        request_item(o, day=date(2026, 6, 16))
    with pytest.raises(ValidationError, match="^Source: "):
        twinning.create_item(o.ws, o.hongda.id, "rumour", "other", "x", o.li.id, today=TODAY)


# --- the yearly list, the grid and the Overview ---------------------------------------------------

@pytest.fixture
def year(o_any):
    """2026: 宏达 (李四, 白沙镇) contacted this month; 绿源 (王五, park) not yet; 新材料 (李四) ended in April."""
    o = o_any
    hongda = pair(o, o.hongda)
    lvyuan = pair(o, o.lvyuan, start=date(2026, 3, 1), liaison=o.wang, leader=o.deputy)
    xincai = pair(o, o.xincai, start=date(2026, 1, 10))
    pair(o, o.hongda, start=date(2025, 3, 1))  # last year's list is another list
    for day in (date(2026, 5, 10), date(2026, 6, 3), date(2026, 6, 10)):
        contact(o, hongda, day)
    contact(o, lvyuan, date(2026, 5, 20))
    contact(o, xincai, date(2026, 2, 1))
    twinning.end_pair(o.ws, xincai.id, date(2026, 4, 15), "企业被兼并重组")
    for day in (date(2026, 3, 10), date(2026, 4, 20)):
        twinning.record_health_check(o.ws, o.hongda.id, day, "专家组", "", FINDINGS[:1], today=TODAY)
    open_a = request_item(o, due=date(2026, 6, 1))   # overdue on TODAY
    request_item(o, due=date(2026, 6, 20))           # due within the week
    closed = step(o, request_item(o), "hand_over", department_id=o.office.id)
    step(o, closed, "close", resolution="已办结")
    step(o, request_item(o, o.lvyuan), "cancel", reason="企业撤回")
    return SimpleNamespace(hongda=hongda, lvyuan=lvyuan, xincai=xincai, overdue=open_a)


def test_year_list_figures(o_any, year):
    o = o_any
    listed = twinning.year_list(o.ws, 2026, TODAY)
    assert [p.enterprise.name_zh for p in listed] == sorted(p.enterprise.name_zh for p in listed)
    figures = {p.enterprise.name_zh: (p.contacts_this_month, p.open_items, p.last_health_check, p.status)
               for p in listed}
    assert figures == {
        "青溪县宏达化工有限公司": (2, 2, date(2026, 4, 20), PairStatus.ACTIVE),
        "青溪县绿源污水处理有限公司": (0, 0, None, PairStatus.ACTIVE),
        "浙江青溪新材料科技股份有限公司": (0, 0, None, PairStatus.ENDED),
    }
    assert [p.year for p in twinning.year_list(o.ws, 2025, TODAY)] == [2025]
    assert twinning.year_list(o.ws, 2024, TODAY) == []
    assert twinning.years(o.ws) == [2026, 2025]


@pytest.mark.parametrize("filters, expected", [
    ({"town_id": "baisha"}, ["青溪县宏达化工有限公司"]),
    ({"town_id": "park"}, ["浙江青溪新材料科技股份有限公司", "青溪县绿源污水处理有限公司"]),
    ({"liaison_id": "li"}, ["浙江青溪新材料科技股份有限公司", "青溪县宏达化工有限公司"]),
    ({"enterprise_type": "third_party"}, ["青溪县绿源污水处理有限公司"]),
    ({"enterprise_type": "key_discharger", "liaison_id": "wang"}, []),
    ({"text": "绿源"}, ["青溪县绿源污水处理有限公司"]),
    ({"include_ended": False}, ["青溪县宏达化工有限公司", "青溪县绿源污水处理有限公司"]),
])
def test_year_list_filters(o_any, year, filters, expected):
    o = o_any
    kw = {key: getattr(o, value).id if key in ("town_id", "liaison_id") else value for key, value in filters.items()}
    listed = twinning.year_list(o.ws, 2026, TODAY, **kw)
    assert sorted(p.enterprise.name_zh for p in listed) == sorted(expected)


def test_compliance_grid(o_any, year):
    o = o_any
    grid = {row.pair.enterprise.name_zh: row for row in twinning.compliance_grid(o.ws, 2026, TODAY)}
    assert grid["青溪县宏达化工有限公司"].marks == (O, M, M, M, C, C, F, F, F, F, F, F)
    assert grid["青溪县绿源污水处理有限公司"].marks == (O, O, M, M, C, D, F, F, F, F, F, F)
    assert grid["浙江青溪新材料科技股份有限公司"].marks == (M, C, M, M, O, O, O, O, O, O, O, O)
    assert [grid[name].missed for name in sorted(grid)] == [3, 3, 2]
    # On the last day of the year December is still due; once the year is over it is missed.
    december = {r.pair.enterprise.name_zh: r for r in twinning.compliance_grid(o.ws, 2026, date(2026, 12, 31))}
    assert december["青溪县宏达化工有限公司"].marks[5:] == (C, M, M, M, M, M, D)
    after = {r.pair.enterprise.name_zh: r for r in twinning.compliance_grid(o.ws, 2026, date(2027, 1, 5))}
    assert after["青溪县宏达化工有限公司"].marks[5:] == (C, M, M, M, M, M, M)


def test_not_contacted_this_month(o_any, year):
    o = o_any
    assert [p.enterprise.name_zh for p in twinning.not_contacted_this_month(o.ws, TODAY)] == ["青溪县绿源污水处理有限公司"]
    # Early in July nobody has been served yet; the ended pair is not asked for.
    july = twinning.not_contacted_this_month(o.ws, date(2026, 7, 2))
    assert sorted(p.enterprise.name_zh for p in july) == ["青溪县宏达化工有限公司", "青溪县绿源污水处理有限公司"]


def test_overview_lists_overdue_items_and_uncontacted_pairs(o_any, year):
    o = o_any
    result = overview.build(o.ws, today=TODAY)
    mine = [i for i in result.items if i.register == "Twinning enterprises"]
    assert [(i.reference, i.severity, i.days_left) for i in mine] == [
        ("FW-2026-0001", Urgency.OVERDUE, -14),
        ("FW-2026-0002", Urgency.DUE_SOON, 5),
        ("青溪县绿源污水处理有限公司", Urgency.NOTICE, 15),   # the month ends in 15 days, beyond the week
    ]
    assert mine[0].title == "青溪县宏达化工有限公司: 扩建项目申请环评提前介入服务"
    assert mine[2].title == "No contact yet this month (liaison officer 王五)" and mine[2].due == date(2026, 6, 30)
    figures = {f.label: f.value for f in result.figures}
    assert (figures["Paired enterprises this year"], figures["Open service items"]) == (2, 2)
    # In the last week of the month the missing contact becomes due soon.
    late = [i for i in overview.build(o.ws, today=date(2026, 6, 25)).items if i.reference == "青溪县绿源污水处理有限公司"]
    assert [(i.severity, i.days_left) for i in late] == [(Urgency.DUE_SOON, 5)]


# --- demo data ---------------------------------------------------------------------------------------

def _fingerprint(ws):
    pairs = [(p.enterprise.name_zh, p.enterprise.credit_code, p.year, p.liaison.name, p.leader.name, p.start_date,
              p.end_date, p.end_reason) for y in twinning.years(ws) for p in twinning.year_list(ws, y)]
    contacts = [(c.contact_date, c.mode, c.summary, c.problems) for y in twinning.years(ws)
                for p in twinning.year_list(ws, y) for c in twinning.contacts(ws, p.id)]
    items = [(i.number, i.enterprise_name, i.status, i.due_date, i.description, tuple(i.events))
             for i in twinning.items(ws, with_events=True)]
    return pairs, contacts, items


def test_demo_fills_the_twinning_register_reproducibly(tmp_path):
    today = date.today()
    prints = []
    for n in (1, 2):
        ws = Workspace(f"sqlite:///{tmp_path / f'demo{n}.sqlite3'}", user=TESTER)
        lines = demo.fill(ws, "small")
        prints.append(_fingerprint(ws))
        if n == 1:
            first = ws
        else:
            ws.close()
    assert prints[0] == prints[1]
    ws = first
    assert any(line.endswith("service items") for line in lines)
    assert twinning.years(ws) == [today.year, today.year - 1]
    assert enterprises.count_enterprises(ws) >= 60
    everyone = enterprises.search_enterprises(ws, limit=1000)
    assert all(check_credit_code(e.credit_code).valid for e in everyone)
    assert len({e.credit_code for e in everyone}) == len(everyone)
    for y in twinning.years(ws):
        listed = twinning.year_list(ws, y, today)
        assert 10 <= len(listed) <= 14
        assert {p.enterprise.scale for p in listed} == {"large", "medium", "small", "micro"}
        assert {"traditional", "emerging", "key_discharger", "third_party"} <= \
            {t for p in listed for t in p.enterprise.types}
        assert all(not p.liaison.name == p.leader.name for p in listed)
        assert all(p.end_reason for p in listed if p.status is PairStatus.ENDED)
        grid = twinning.compliance_grid(ws, y, today)
        marks = [m for row in grid for m in row.marks]
        assert marks.count(MonthMark.CONTACTED) > marks.count(MonthMark.MISSED) > 0
    staff = {s.name: s for s in reference.list_staff(ws)}
    pairs = [p for y in twinning.years(ws) for p in twinning.year_list(ws, y, today)]
    assert all(staff[p.leader.name].is_leader and not staff[p.liaison.name].is_leader for p in pairs)
    assert sum(1 for p in pairs if p.status is PairStatus.ENDED) >= 2
    contacts = [c for p in pairs for c in twinning.contacts(ws, p.id)]
    assert contacts and max(c.contact_date for c in contacts) <= today
    checked = {p.enterprise.id for p in pairs if p.last_health_check}
    assert 0 < len(checked) < len({p.enterprise.id for p in pairs})
    items = twinning.items(ws, with_events=True)
    assert {i.status for i in items} == set(ItemStatus)
    assert {i.source for i in items} >= {ItemSource.CONTACT, ItemSource.HEALTH_CHECK, ItemSource.REQUEST}
    assert 1 <= sum(i.is_overdue(today) for i in items) <= 5
    assert all(e.event_date <= today for i in items for e in i.events)
    assert all(i.department and i.owner for i in items if i.status in (ItemStatus.HANDED_OVER, ItemStatus.TRACKED))
    assert all(i.resolution for i in items if i.status is ItemStatus.CLOSED)
    assert twinning.not_contacted_this_month(ws, today)
    assert any(i.severity is Urgency.OVERDUE for i in overview.build(ws, today).items)
    ws.close()
