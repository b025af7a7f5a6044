"""Spreadsheet columns of the complaints register (环境信访台账), as bureaus keep the ledger in Excel.

Import reads the columns up to 办结日期 Closed; the export adds the computed clocks (受理期限 Acceptance due,
办结期限 Handling due), the status and the lead department, which an import of the same file recognises and
ignores (they follow from the dates). Channels, complainants and pollution types are checked by the use case
(`envdesk.app.complaints_exchange.import_complaints`), so that every problem of a row is reported at once.
"""

from __future__ import annotations

from envdesk.exchange.layout import Column, ColumnType, Layout

COMPLAINTS = Layout(
    (
        Column("number", "编号", "No.", aliases=("信访编号", "登记编号", "件号", "Number", "No", "Complaint No."),
               width=16),
        Column("channel", "来源渠道", "Channel", aliases=("渠道", "来源", "信访渠道", "信访方式", "反映渠道", "Source"),
               required=True),
        Column("received", "收到日期", "Received", aliases=("收到时间", "来信来访日期", "信访日期", "反映日期", "登记日期",
                                                       "Date received", "Received on", "Received at"),
               type=ColumnType.DATETIME, required=True),
        Column("complainant", "反映人", "Complainant", aliases=("信访人", "投诉人", "举报人", "反映人姓名", "来访人")),
        Column("phone", "联系电话", "Phone", aliases=("电话", "手机", "联系方式", "反映人电话", "Phone number")),
        Column("address", "反映人地址", "Complainant's address", aliases=("联系地址", "住址", "Address")),
        Column("subject", "被反映对象", "Subject", aliases=("被投诉对象", "被举报对象", "被投诉单位", "被反映单位", "投诉对象",
                                                       "反映对象", "Enterprise")),
        Column("town", "乡镇", "Town", aliases=("所属乡镇", "乡镇（街道）", "乡镇街道", "属地")),
        Column("location", "具体地点", "Location", aliases=("地点", "发生地点", "问题地点")),
        Column("pollution_types", "污染类型", "Pollution types", aliases=("污染类别", "投诉类型", "问题类型", "信访类型",
                                                                       "Pollution type", "Types"),
               type=ColumnType.LIST),
        Column("content", "反映内容", "Content", aliases=("信访内容", "投诉内容", "举报内容", "反映问题", "主要内容",
                                                     "Complaint"),
               required=True, width=50),
        Column("accepted", "受理日期", "Accepted", aliases=("Accepted on", "Date accepted"), type=ColumnType.DATE),
        Column("replied", "答复日期", "Replied", aliases=("回复日期", "Replied on", "Reply date", "Date replied"),
               type=ColumnType.DATE),
        Column("closed", "办结日期", "Closed", aliases=("结案日期", "Closed on", "Date closed"), type=ColumnType.DATE),
        # Export only: computed from the dates and the limits in force; ignored on import.
        Column("acceptance_due", "受理期限", "Acceptance due", type=ColumnType.DATE),
        Column("handling_due", "办结期限", "Handling due", aliases=("答复期限", "Reply due"), type=ColumnType.DATE),
        Column("status", "状态", "Status", aliases=("办理状态",)),
        Column("lead_department", "承办部门", "Lead department", aliases=("承办单位", "主办部门")),
    ),
    title_zh="环境信访台账", title_en="Complaints ledger",
)

# What an import reads; the other columns of COMPLAINTS are written on export only.
IMPORTED = ("number", "channel", "received", "complainant", "phone", "address", "subject", "town", "location",
            "pollution_types", "content", "accepted", "replied", "closed")
