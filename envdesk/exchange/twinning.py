"""Spreadsheet columns of the twinning register: enterprises and the province's list of pairs."""

from __future__ import annotations

from envdesk.exchange.layout import Column, ColumnType, Layout

ENTERPRISES = Layout(
    (
        Column("name_zh", "企业名称", "Name", aliases=("企业", "单位名称", "Enterprise"), required=True),
        Column("name_en", "英文名称", "English name"),
        Column("credit_code", "统一社会信用代码", "Credit code", aliases=("信用代码", "社会信用代码"), width=22),
        Column("town", "乡镇", "Town", aliases=("所属乡镇", "乡镇（街道）")),
        Column("address", "地址", "Address", aliases=("企业地址",)),
        Column("industry", "行业", "Industry", aliases=("所属行业",)),
        Column("scale", "规模", "Scale", aliases=("企业规模",)),
        Column("types", "类型", "Type", aliases=("企业类型", "Types"), type=ColumnType.LIST),
        Column("contact_person", "联系人", "Contact", aliases=("Contact person",)),
        Column("contact_phone", "联系电话", "Phone", aliases=("电话", "Contact phone")),
        Column("notes", "备注", "Notes", aliases=("Remarks",)),
    ),
    title_zh="企业名录", title_en="Enterprises",
)

PAIRS = Layout(
    (
        Column("year", "年度", "Year", type=ColumnType.INTEGER, required=True),
        Column("enterprise", "企业名称", "Enterprise", aliases=("企业", "Name")),
        Column("credit_code", "统一社会信用代码", "Credit code", aliases=("信用代码",), width=22),
        Column("town", "乡镇", "Town"),
        Column("types", "类型", "Type", type=ColumnType.LIST),
        Column("liaison", "联络员", "Liaison", aliases=("Liaison officer",), required=True),
        Column("liaison_department", "联络员部门", "Liaison's department"),
        Column("liaison_phone", "联络员电话", "Liaison's phone"),
        Column("leader", "联系领导", "Contact leader", aliases=("Leader",), required=True),
        Column("leader_title", "领导职务", "Leader's title"),
        Column("leader_phone", "领导电话", "Leader's phone"),
        Column("start_date", "结对日期", "Start date", type=ColumnType.DATE),
        Column("end_date", "结束日期", "End date", type=ColumnType.DATE),
        Column("end_reason", "结束原因", "End reason"),
    ),
    title_zh="环保服务结对企业名单", title_en="Paired enterprises",
)
