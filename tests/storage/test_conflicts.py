"""Two workstations, one record, on SQLite and PostgreSQL: the second save is refused, the clerk sees what the
other changed, re-applying keeps both changes, and numbers stay unique when both create at the same moment."""

import threading
from dataclasses import asdict
from datetime import date, datetime, time

import pytest

from envdesk.app import approvals, complaints, conflicts, enterprises, reference, twinning
from envdesk.app import responsibility as rs
from envdesk.app.access import Principal
from envdesk.app.approvals import ProjectInput
from envdesk.app.complaints import ComplaintInput
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.errors import AppError, ConflictError
from envdesk.app.responsibility import PlanInput, TaskInput
from envdesk.app.workspace import Workspace

DAY = date(2026, 6, 1)


@pytest.fixture
def two(db_url):
    """王芳 and 李明 at two workstations on one database."""
    with Workspace(db_url, user=Principal.trusted("王芳")) as first, \
            Workspace(db_url, user=Principal.trusted("李明")) as second:
        yield first, second


def refused(call) -> ConflictError:
    with pytest.raises(ConflictError, match="someone else") as caught:
        call()
    return caught.value


def others(error) -> list:
    """What the refused user is shown: who changed which fields."""
    return [(e.user_name, e.entity, sorted(k for k in e.changes if k != "version"))
            for e in error.changes]


def test_a_department_the_other_changed_is_shown_merged_and_re_applied(two):
    wang, li = two
    opened, _c = reference.save_department(wang, None, "办公室")
    reference.save_department(li, opened.id, "办公室", "General Office", expected_version=opened.version)
    mine = dict(name_zh="综合办公室", name_en="")
    error = refused(lambda: reference.save_department(wang, opened.id, **mine, expected_version=opened.version))
    assert (error.entity, error.record_id, error.expected, error.current) == ("department", opened.id, 1, 2)
    assert others(error) == [("李明", "department", ["name_en"])]
    (stored,) = reference.list_departments(wang)
    assert (stored.name_zh, stored.name_en) == ("办公室", "General Office")  # nothing overwritten
    # The form: the other changed the English name; this clerk changed the Chinese one; both survive re-applying.
    theirs = dict(name_zh=stored.name_zh, name_en=stored.name_en)
    before = dict(name_zh=opened.name_zh, name_en=opened.name_en)
    assert [(c.key, c.theirs, c.clash) for c in conflicts.compare(before, theirs, mine)] == [
        ("name_en", "General Office", False)]
    merged = conflicts.merge(before, theirs, mine)
    assert merged == dict(name_zh="综合办公室", name_en="General Office")
    with conflicts.confirmed(error):
        reference.save_department(wang, opened.id, **merged, expected_version=opened.version)
    (stored,) = reference.list_departments(li)
    assert (stored.name_zh, stored.name_en, stored.version) == ("综合办公室", "General Office", 3)


def test_a_third_change_while_the_clerk_reads_the_first_is_refused_again(two):
    wang, li = two
    opened, _c = reference.save_department(wang, None, "监测站")
    reference.save_department(li, opened.id, "监测站", "Station", expected_version=1)
    error = refused(lambda: reference.save_department(wang, opened.id, "环境监测站", expected_version=1))
    reference.save_department(li, opened.id, "监测站", "Monitoring Station", expected_version=2)
    with conflicts.confirmed(error):
        again = refused(lambda: reference.save_department(wang, opened.id, "环境监测站", "Station",
                                                          expected_version=1))
    assert (again.expected, again.current) == (2, 3)
    assert [e.changes["name_en"] for e in again.changes] == [["Station", "Monitoring Station"]]
    assert reference.list_departments(wang)[0].name_en == "Monitoring Station"


def test_an_enterprise_both_edited_keeps_both_fields(two):
    wang, li = two
    opened, _c = enterprises.save_enterprise(wang, None, EnterpriseInput("青溪县宏达化工有限公司", industry="化工"))
    enterprises.save_enterprise(li, opened.id, EnterpriseInput("青溪县宏达化工有限公司", industry="化工",
                                                               contact_phone="0591-12345678"),
                                expected_version=opened.version)
    mine = asdict(EnterpriseInput("青溪县宏达化工有限公司", industry="化工", contact_person="陈经理"))
    error = refused(lambda: enterprises.save_enterprise(wang, opened.id, EnterpriseInput(**mine),
                                                        expected_version=opened.version))
    assert others(error) == [("李明", "enterprise", ["contact_phone"])]
    now = enterprises.get_enterprise(wang, opened.id)
    theirs = {key: getattr(now, key) for key in mine}
    merged = conflicts.merge({key: getattr(opened, key) for key in mine}, theirs, mine)
    with conflicts.confirmed(error):
        enterprises.save_enterprise(wang, opened.id, EnterpriseInput(**merged), expected_version=opened.version)
    stored = enterprises.get_enterprise(li, opened.id)
    assert (stored.contact_person, stored.contact_phone) == ("陈经理", "0591-12345678")


def _complaint(ws):
    clerk, _c = reference.save_staff(ws, None, "李四")
    department, _c = reference.save_department(ws, None, "监察大队")
    value, _c = complaints.register(ws, ComplaintInput(
        channel="12369", received_at=datetime.combine(DAY, time(10)).astimezone(), first_receiver_id=clerk.id,
        content="工地夜间施工噪声扰民", pollution_types=("construction_noise",), complainant_name="张伟",
        complainant_phone="13812345678", subject="城东安置房项目工地"), today=DAY)
    return value, clerk, department


def test_a_complaint_step_taken_elsewhere_is_shown_and_a_step_no_longer_allowed_is_refused(two):
    wang, li = two
    opened, clerk, department = _complaint(wang)
    complaints.decide(li, opened.id, "accept", DAY, clerk.id, expected_version=opened.version, today=DAY)
    error = refused(lambda: complaints.decide(wang, opened.id, "not_accept", DAY, clerk.id, reason="不属于职责范围",
                                              expected_version=opened.version, today=DAY))
    shown = error.changes
    assert {e.user_name for e in shown} == {"李明"}
    (decision,) = [e for e in shown if e.entity == "complaint"]
    assert decision.action == "transition" and decision.changes["status"] == ["registered", "accepted"]
    # Re-applying a step the other already took is refused by the workflow, not by the version.
    with conflicts.confirmed(error), pytest.raises(AppError) as caught:
        complaints.decide(wang, opened.id, "not_accept", DAY, clerk.id, reason="不属于职责范围",
                          expected_version=opened.version, today=DAY)
    assert not isinstance(caught.value, ConflictError)
    # A step that still applies goes through on top of the other's.
    accepted = complaints.get_complaint(wang, opened.id)
    complaints.assign(li, opened.id, department.id, clerk.id, DAY, clerk.id, expected_version=accepted.version, today=DAY)
    error = refused(lambda: complaints.set_flags(wang, opened.id, False, None, True, expected_version=accepted.version,
                                                 today=DAY))
    assert [e.action for e in error.changes if e.entity == "complaint"] == ["transition"]
    with conflicts.confirmed(error):
        complaints.set_flags(wang, opened.id, False, None, True, expected_version=accepted.version, today=DAY)
    stored = complaints.get_complaint(li, opened.id)
    assert stored.skip_level and stored.status.value == "assigned"


def test_an_approval_project_both_edited(two):
    wang, li = two
    builder, _c = enterprises.save_enterprise(wang, None, EnterpriseInput("青溪县宏达化工有限公司"))
    data = ProjectInput(name="年产5万吨饲料加工项目", builder_id=builder.id, document_type="report_form",
                        project_code="2026-350100-13-03-000123", location="城关镇工业园")
    opened, _c = approvals.register(wang, data, received_on=DAY, today=DAY)
    approvals.update_project(li, opened.id, ProjectInput(**{**asdict(data), "location": "城关镇工业园B区"}),
                             expected_version=opened.version, today=DAY)
    mine = {**asdict(data), "total_investment": "3200"}
    error = refused(lambda: approvals.update_project(wang, opened.id, ProjectInput(**mine),
                                                     expected_version=opened.version, today=DAY))
    assert others(error) == [("李明", "approval", ["location"])]
    now = approvals.get_case(wang, opened.id, today=DAY)
    merged = conflicts.merge(asdict(data), {**asdict(data), "location": now.location}, mine)
    with conflicts.confirmed(error):
        approvals.update_project(wang, opened.id, ProjectInput(**merged), expected_version=opened.version, today=DAY)
    stored = approvals.get_case(li, opened.id, today=DAY)
    assert (stored.location, float(stored.total_investment)) == ("城关镇工业园B区", 3200)


def test_a_twinning_pair_changed_elsewhere(two):
    wang, li = two
    enterprise, _c = enterprises.save_enterprise(wang, None, EnterpriseInput("青溪县宏达化工有限公司"))
    liaison, _c = reference.save_staff(wang, None, "周联络")
    other, _c = reference.save_staff(wang, None, "吴联络")
    leader, _c = reference.save_staff(wang, None, "陈局长", is_leader=True)
    opened, _c = twinning.pair_enterprise(wang, enterprise.id, 2026, liaison.id, leader.id, DAY)
    twinning.update_pair(li, opened.id, other.id, leader.id, DAY, expected_version=opened.version)
    error = refused(lambda: twinning.update_pair(wang, opened.id, liaison.id, leader.id, date(2026, 6, 2),
                                                 expected_version=opened.version))
    assert others(error) == [("李明", "twinning_pair", ["liaison_id"])]
    assert twinning.get_pair(wang, opened.id).liaison.name == "吴联络"


def test_a_plan_and_a_task_changed_elsewhere(two):
    wang, li = two
    department, _c = reference.save_department(wang, None, "大气科")
    plan, _c = rs.save_plan(wang, None, PlanInput("2026年大气污染防治工作方案", "campaign", date(2026, 1, 1),
                                                  date(2026, 12, 31)))
    rs.save_plan(li, plan.id, PlanInput("2026年大气污染防治工作方案", "campaign", date(2026, 1, 1), date(2026, 12, 31),
                                        notes="经局党组会议审议"), expected_version=plan.version)
    error = refused(lambda: rs.save_plan(wang, plan.id, PlanInput("2026年蓝天保卫战方案", "campaign", date(2026, 1, 1),
                                                                   date(2026, 12, 31)), expected_version=plan.version))
    assert others(error) == [("李明", "plan", ["notes"])]
    task, _c = rs.save_task(wang, plan.id, None, TaskInput("完成燃煤锅炉淘汰", department.id))
    rs.save_task(li, plan.id, task.id, TaskInput("完成燃煤锅炉淘汰", department.id, remarks="6月底前"),
                 expected_version=task.version)
    error = refused(lambda: rs.save_task(wang, plan.id, task.id, TaskInput("完成10蒸吨以下燃煤锅炉淘汰", department.id),
                                         expected_version=task.version))
    assert others(error) == [("李明", "task", ["remarks"])]
    with conflicts.confirmed(error):
        rs.save_task(wang, plan.id, task.id, TaskInput("完成10蒸吨以下燃煤锅炉淘汰", department.id, remarks="6月底前"),
                     expected_version=task.version)
    assert rs.get_task(li, task.id).content == "完成10蒸吨以下燃煤锅炉淘汰"


def _together(url, workers: int, per_worker: int, work) -> list[BaseException]:
    """`work(ws, n, i)` from several workstations that start at the same moment."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def run(n):
        try:
            with Workspace(url, user=Principal.trusted(f"workstation {n}")) as ws:
                barrier.wait()
                for i in range(per_worker):
                    work(ws, n, i)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


def test_numbers_stay_unique_and_consecutive_when_workstations_create_together(two):
    wang, _li = two
    clerk, _c = reference.save_staff(wang, None, "李四")
    builder, _c = enterprises.save_enterprise(wang, None, EnterpriseInput("青溪县宏达化工有限公司"))

    def create(ws, n, i):
        complaints.register(ws, ComplaintInput(
            channel="12345", received_at=datetime.combine(DAY, time(9)).astimezone(), first_receiver_id=clerk.id,
            content=f"油烟扰民 {n}-{i}", pollution_types=("cooking_fumes",), subject="步行街餐馆"), today=DAY)
        approvals.register(ws, ProjectInput(name=f"项目{n}-{i}", builder_id=builder.id, document_type="report_form"),
                           received_on=DAY, today=DAY)

    assert _together(wang.url, 4, 4, create) == []
    numbers = [c.number for c in complaints.list_complaints(wang, limit=100, today=DAY)]
    assert sorted(numbers) == [f"XF-2026-{n:04d}" for n in range(1, 17)]
    cases = approvals.list_cases(wang, limit=100, today=DAY)
    assert sorted(c.number for c in cases) == [f"SP-2026-{n:04d}" for n in range(1, 17)]
