"""Importing departments, staff and towns: all or nothing, every problem by row, updates by name."""

import pytest

from envdesk.app import reference
from envdesk.domain.importing import RowsRejected


def test_departments_are_created_then_updated_by_name(ws):
    summary = reference.import_departments(ws, [(2, {"name_zh": "办公室", "name_en": "Office", "sort_order": 1}),
                                                (3, {"name_zh": "监测站", "name_en": None})])
    assert (summary.created, summary.updated) == (2, 0)
    assert summary.changes.concerns("department")
    summary = reference.import_departments(ws, [(2, {"name_zh": "办公室", "name_en": None, "active": False})])
    assert (summary.created, summary.updated) == (0, 1)
    office = next(d for d in reference.list_departments(ws) if d.name_zh == "办公室")
    assert (office.name_en, office.active, office.sort_order) == ("Office", False, 1)  # empty cells kept values


def test_staff_needs_an_existing_department_and_nothing_is_half_written(ws):
    reference.save_department(ws, None, "办公室")
    rows = [(2, {"name": "王伟", "department": "办公室", "title": "主任"}),
            (3, {"name": "李强", "department": "不存在科"}),
            (4, {"name": "  ", "department": "办公室"}),
            (5, {"name": "王伟", "department": "办公室"})]
    with pytest.raises(RowsRejected) as info:
        reference.import_staff(ws, rows)
    assert [(p.row, p.key) for p in info.value.problems] == [(3, "department"), (4, "name"), (5, "name")]
    assert "No such department" in info.value.problems[0].reason
    assert "also row 2" in info.value.problems[2].reason
    assert reference.list_staff(ws) == []


def test_check_only_writes_nothing(ws):
    summary = reference.import_towns(ws, [(2, {"name_zh": "白沙镇", "kind": "town"})], check_only=True)
    assert (summary.created, summary.updated) == (0, 0)
    assert reference.list_towns(ws) == []


def test_export_rows_round_trip_through_import(demo_ws):
    rows = reference.staff_rows(demo_ws)
    assert rows[0].keys() == {"name", "department", "title", "phone", "is_leader", "active"}
    summary = reference.import_staff(demo_ws, [(n + 2, row) for n, row in enumerate(rows)])
    assert (summary.created, summary.updated) == (0, len(rows))
    assert reference.staff_rows(demo_ws) == rows
    towns = reference.town_rows(demo_ws, "en")
    assert {t["kind"] for t in towns} == {"Town", "Subdistrict", "Township", "Industrial park"}
