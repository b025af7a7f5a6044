"""Spreadsheet columns of the responsibility matrix: the task table (任务分解表 / 责任清单) as bureaus circulate it.

The columns are those of a campaign's or a year's task decomposition table: No., task, responsible department,
responsible leader, responsible person, deadline, remarks. Such tables come as Excel or Word attachments, with
merged cells where consecutive tasks share a department or leader (filled down by the reader) and a merged title
banner above the header (skipped). Names (departments, leaders, people) and deadlines are read by the use case
(`envdesk.app.tasks_exchange.import_tasks`), which knows the plan's year and the bureau's staff, so every problem of
a row is reported at once. The export adds the status and the progress, which an import recognises and ignores.
"""

from __future__ import annotations

from envdesk.exchange.layout import Column, ColumnType, Layout

TASKS = Layout(
    (
        Column("number", "序号", "No.", aliases=("编号", "Number", "No"), width=8),
        Column("section", "板块", "Section", aliases=("类别", "项目", "Category")),
        Column("content", "活动内容", "Task",
               aliases=("工作任务", "任务内容", "具体任务", "工作内容", "主要任务", "任务", "Task content"),
               required=True, width=50),
        # The cell may name several departments (“环评科、监察大队”): the first leads, the others assist.
        Column("department", "责任部门", "Department",
               aliases=("责任单位", "牵头部门", "牵头单位", "责任科室", "Responsible department", "Lead department"),
               required=True, width=20),
        Column("assisting", "配合部门", "Assisting departments",
               aliases=("配合单位", "协助部门", "协办部门", "Assisting", "Supporting departments"),
               type=ColumnType.LIST, width=20),
        Column("leader", "责任领导", "Leader",
               aliases=("分管领导", "联系领导", "Responsible leader"), width=12),
        Column("persons", "责任人", "Person",
               aliases=("具体责任人", "Persons", "Responsible person", "Responsible persons"),
               type=ColumnType.LIST, width=14),
        # Text, not DATE: staff write “6月底前”, “长期” or “4月15日—4月30日”, which the use case reads with the
        # plan's year. The export writes real dates, which read back the same.
        Column("deadline", "完成时限", "Deadline",
               aliases=("完成时间", "时间节点", "截止时间", "完成期限", "时限", "时间要求", "Due", "Due date",
                        "Time limit"),
               width=14),
        Column("remarks", "备注", "Remarks", aliases=("Notes", "Note"), width=20),
        # Export only: where the task stands; ignored on import (progress is reported, not imported). Text on
        # import, so that a “50%” typed by hand in a column that is ignored cannot fail a file.
        Column("status", "状态", "Status", aliases=("完成情况", "进展情况")),
        Column("progress", "进度", "Progress (%)", aliases=("进度（%）", "完成进度", "Progress")),
    ),
    title_zh="任务分解表", title_en="Task table",
)

# What an import reads; the other columns of TASKS are written on export only.
IMPORTED = ("number", "section", "content", "department", "assisting", "leader", "persons", "deadline", "remarks")
