"""Spreadsheet columns of the reference data: departments, staff and towns (staff lists live in Excel)."""

from __future__ import annotations

from envdesk.domain.reference import TOWN_KINDS, town_kind_label
from envdesk.exchange.layout import Column, ColumnType, Layout
from envdesk.i18n import _

DEPARTMENTS = Layout(
    (
        Column("name_zh", "部门名称", "Name", aliases=("部门", "科室", "名称", "Department"), required=True),
        Column("name_en", "英文名称", "English name", aliases=("Name (English)",)),
        Column("sort_order", "排序", "Order", type=ColumnType.INTEGER),
        Column("active", "启用", "Active", type=ColumnType.BOOLEAN),
    ),
    title_zh="部门", title_en="Departments",
)

STAFF = Layout(
    (
        Column("name", "姓名", "Name", required=True),
        Column("department", "部门", "Department", aliases=("科室", "所在部门", "单位")),
        Column("title", "职务", "Title", aliases=("职务职级", "职位")),
        Column("phone", "联系电话", "Phone", aliases=("电话", "手机", "手机号码")),
        Column("is_leader", "局领导", "Leader", aliases=("领导",), type=ColumnType.BOOLEAN),
        Column("active", "在岗", "Active", aliases=("启用",), type=ColumnType.BOOLEAN),
    ),
    title_zh="工作人员", title_en="Staff",
)


def _town_kind(value: str) -> str:
    """A town's kind as people write it: 镇 / 乡 / 街道 / 园区, the English words, or the key."""
    text = value.strip()
    short = {"镇": "town", "乡": "township", "街道": "subdistrict", "园区": "park", "开发区": "park",
             "工业园区": "park"}
    if text in short:
        return short[text]
    for key in TOWN_KINDS:
        if text.casefold() in (key, town_kind_label(key, "en").casefold()) or text == town_kind_label(key, "zh_CN"):
            return key
    raise ValueError(_("Not a kind of town; use 镇, 乡, 街道 or 园区"))


TOWNS = Layout(
    (
        Column("name_zh", "乡镇名称", "Name", aliases=("乡镇", "乡镇（街道）", "名称", "Town"), required=True),
        Column("name_en", "英文名称", "English name", aliases=("Name (English)",)),
        Column("kind", "类型", "Kind", parser=_town_kind),
        Column("sort_order", "排序", "Order", type=ColumnType.INTEGER),
        Column("active", "启用", "Active", type=ColumnType.BOOLEAN),
    ),
    title_zh="乡镇", title_en="Towns",
)
