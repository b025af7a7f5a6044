"""Spreadsheet columns of the audit trail, as an administrator exports it for an inspection (export only)."""

from __future__ import annotations

from envdesk.exchange.layout import Column, ColumnType, Layout

AUDIT = Layout(
    (
        Column("seq", "序号", "No.", type=ColumnType.INTEGER, width=8),
        Column("at", "时间", "Time", width=20),
        Column("user", "用户", "User", width=18),
        Column("workstation", "工作站", "Workstation", width=14),
        Column("action", "操作", "Action", width=12),
        Column("record", "记录", "Record", width=20),
        Column("label", "记录标识", "Record label", width=20),
        Column("changes", "变更内容", "Changes", width=60),
        Column("detail", "说明", "Detail", width=30),
    ),
    title_zh="审计日志", title_en="Audit trail",
)
