"""Reference data use cases: bureau, departments, staff, towns; validation names the field."""

import pytest

from envdesk.app import changes, reference
from envdesk.app.errors import NotFound, ValidationError


def test_bureau_is_not_set_up_until_named(ws):
    assert not reference.is_set_up(ws)
    result = reference.save_bureau(ws, "  青溪县生态环境局 ", "Qingxi County Ecology and Environment Bureau", "青溪县")
    assert result.concerns(changes.BUREAU)
    assert reference.is_set_up(ws)
    bureau = reference.get_bureau(ws)
    assert bureau.name_zh == "青溪县生态环境局"
    assert bureau.name("en") == "Qingxi County Ecology and Environment Bureau"
    assert bureau.name("bilingual") == "青溪县生态环境局 Qingxi County Ecology and Environment Bureau"


def test_bureau_name_is_required(ws):
    with pytest.raises(ValidationError, match="Bureau name \\(Chinese\\): is required"):
        reference.save_bureau(ws, "   ")
    assert not reference.is_set_up(ws)


def test_department_names_are_unique_and_bounded(ws):
    reference.save_department(ws, None, "办公室", "General Office")
    with pytest.raises(ValidationError, match="already exists"):
        reference.save_department(ws, None, "办公室")
    with pytest.raises(ValidationError, match="longer than 100"):
        reference.save_department(ws, None, "科" * 101)
    assert [d.name_zh for d in reference.list_departments(ws)] == ["办公室"]


def test_inactive_departments_are_kept_but_can_be_hidden(ws):
    office, _ = reference.save_department(ws, None, "办公室", sort_order=1)
    reference.save_department(ws, None, "信访办", sort_order=2, active=False)
    assert [d.name_zh for d in reference.list_departments(ws)] == ["办公室", "信访办"]
    assert [d.name_zh for d in reference.list_departments(ws, include_inactive=False)] == [office.name_zh]


def test_a_department_with_staff_cannot_be_deleted(ws):
    office, _ = reference.save_department(ws, None, "办公室")
    reference.save_staff(ws, None, "王伟", office.id, "主任")
    with pytest.raises(ValidationError, match="still used by 1"):
        reference.delete_department(ws, office.id)
    assert len(reference.list_departments(ws)) == 1


def test_deleting_a_vanished_record_says_so(ws):
    with pytest.raises(NotFound):
        reference.delete_town(ws, 999)


def test_staff_with_department_and_leader_flag(ws):
    office, _ = reference.save_department(ws, None, "办公室")
    leader, _ = reference.save_staff(ws, None, "李强", office.id, "局长", "13800000000", is_leader=True)
    reference.save_staff(ws, None, "张敏", office.id, "科员")
    assert leader.department_name == "办公室"
    assert [s.name for s in reference.list_staff(ws, leaders_only=True)] == ["李强"]
    assert reference.find_staff(ws, " 张敏 ").name == "张敏"
    assert reference.find_staff(ws, "无名") is None


def test_staff_names_must_tell_people_apart(ws):
    reference.save_staff(ws, None, "王伟")
    with pytest.raises(ValidationError, match="Name: “王伟” already exists"):
        reference.save_staff(ws, None, "王伟")


def test_staff_in_a_missing_department_is_refused(ws):
    with pytest.raises(ValidationError, match="Department: does not exist"):
        reference.save_staff(ws, None, "王伟", department_id=42)


def test_towns_have_a_known_kind(ws):
    town, _ = reference.save_town(ws, None, "青溪经济开发区", "Qingxi EDZ", kind="park")
    assert town.kind == "park"
    with pytest.raises(ValidationError, match="Kind"):
        reference.save_town(ws, None, "某镇", kind="village")


def test_counts(demo_ws):
    counts = reference.counts(demo_ws)
    assert counts["departments"] == 10
    assert counts["leaders"] == 5
    assert counts["towns"] == 14
    assert counts["staff"] > 40
