"""Hostile values typed into forms (control characters, injection-looking text, 100,000 characters, any Unicode)
through the use cases behind the register dialogs: a clear refusal naming the field, or a clean save; never another
exception, never half-written."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from envdesk.app import complaints, enterprises, reference
from envdesk.app.complaints import ComplaintInput
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.errors import AppError, ValidationError
from envdesk.store.complaints import ComplaintRow
from envdesk.store.models import DepartmentRow
from envdesk.store.twinning import EnterpriseRow

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["'); DROP TABLE complaint; --", "<b>粗体</b>&amp;", "=cmd|' /C calc'!A0", "%_\\", "\x00\x07\x1b",
                     "很长" * 50_000, "  ", "\u202egnp.exe", "😀" * 100]),
)
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _count(ws, model) -> int:
    with ws.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def _saved_or_refused(ws, model, save) -> None:
    before = _count(ws, model)
    try:
        save()
    except ValidationError as error:
        assert error.field and error.reason  # names the field and says why
        assert _count(ws, model) == before
    except AppError as error:  # e.g. the same name twice
        assert str(error)
        assert _count(ws, model) == before
    else:
        assert _count(ws, model) == before + 1


@FEW
@given(HOSTILE, HOSTILE)
def test_departments(any_ws, name, name_en):
    _saved_or_refused(any_ws, DepartmentRow, lambda: reference.save_department(any_ws, None, name, name_en))


def test_control_characters_are_refused_naming_the_field(any_ws):
    with pytest.raises(ValidationError, match="control characters") as refused:
        enterprises.save_enterprise(any_ws, None, EnterpriseInput("某\x00厂"))
    assert refused.value.field == "Enterprise name"
    saved, _changes = enterprises.save_enterprise(any_ws, None, EnterpriseInput("某厂", notes="第一行\n第二行\t备注"))
    assert saved.name_zh == "某厂"


@FEW
@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE)
def test_enterprises(ws, name, code, address, phone):
    _saved_or_refused(ws, EnterpriseRow, lambda: enterprises.save_enterprise(
        ws, None, EnterpriseInput(name, credit_code=code, address=address, contact_phone=phone)))


@FEW
@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE, st.sampled_from(["12345", "letter", "飞鸽传书", ""]))
def test_complaints(ws, content, name, phone, location, channel):
    received = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
    _saved_or_refused(ws, ComplaintRow, lambda: complaints.register(ws, ComplaintInput(
        channel, received, None, content, pollution_types=("construction_noise",), complainant_name=name,
        complainant_phone=phone, location=location, subject="某厂"), today=received.date()))


@FEW
@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE)
def test_approval_projects(ws, name, code, location, investment, institution):
    from envdesk.app import approvals
    from envdesk.app.approvals import ProjectInput
    from envdesk.store.approvals import ApprovalRow

    builder = enterprises.find_enterprise(ws, "青溪县宏达化工有限公司") or enterprises.save_enterprise(
        ws, None, EnterpriseInput("青溪县宏达化工有限公司"))[0]
    _saved_or_refused(ws, ApprovalRow, lambda: approvals.register(ws, ProjectInput(
        name, builder.id, "report_form", project_code=code, location=location, total_investment=investment,
        preparing_institution=institution)))


@FEW
@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE)
def test_plans_and_tasks(ws, title, content, section, remarks):
    from datetime import date

    from envdesk.app import responsibility as rs
    from envdesk.app.responsibility import PlanInput, TaskInput
    from envdesk.store.responsibility import PlanRow, TaskRow

    department = reference.list_departments(ws)[:1] or [reference.save_department(ws, None, "大气科")[0]]
    _saved_or_refused(ws, PlanRow, lambda: rs.save_plan(ws, None, PlanInput(
        title, "campaign", date(2026, 1, 1), date(2026, 12, 31), notes=remarks)))
    plan = rs.list_plans(ws)[:1] or [rs.save_plan(ws, None, PlanInput("2026年工作方案", "annual", date(2026, 1, 1),
                                                                        date(2026, 12, 31)))[0]]
    _saved_or_refused(ws, TaskRow, lambda: rs.save_task(ws, plan[0].id, None, TaskInput(
        content, department[0].id, section=section, remarks=remarks)))
