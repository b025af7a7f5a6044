"""Demo data of the responsibility matrix: the year's work plan with its target and clean-government letters
(most signed), and an autumn–winter air campaign in three phases with weekly progress, some of it behind.

Everything goes through the use cases of `envdesk.app.responsibility`, so cards, letters and their snapshots are
the real thing. `large` adds the plans of earlier years, their letters signed and archived.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from envdesk.app import responsibility as rs
from envdesk.app.demo import DemoContext
from envdesk.i18n import _
from envdesk.store.models import DepartmentRow, StaffRow

# (section, task, lead department, assisting departments, month of the deadline, overseeing leader's department)
ANNUAL_TASKS = [
    ("一、污染防治攻坚", "PM2.5年均浓度控制在省定目标以内，优良天数比例达到90%以上", "大气与水环境科", ("环境监测站",), 12),
    ("一、污染防治攻坚", "完成重点行业挥发性有机物深度治理项目15个", "大气与水环境科", ("生态环境监察大队",), 10),
    ("一、污染防治攻坚", "县控以上断面水质达标率100%，消除劣V类水体", "大气与水环境科", ("环境监测站",), 12),
    ("一、污染防治攻坚", "完成入河排污口排查整治", "大气与水环境科", ("生态环境监察大队",), 9),
    ("一、污染防治攻坚", "受污染耕地和重点建设用地安全利用率保持100%", "固体废物管理科", ("自然生态科",), 12),
    ("一、污染防治攻坚", "危险废物规范化环境管理评估合格率达到90%以上", "固体废物管理科", ("生态环境监察大队",), 11),
    ("二、生态保护修复", "开展生物多样性本底调查", "自然生态科", (), 11),
    ("二、生态保护修复", "创建省级生态文明建设示范乡镇2个", "自然生态科", ("办公室",), 12),
    ("三、环境监管执法", "完成“双随机、一公开”执法检查计划", "生态环境监察大队", (), 12),
    ("三、环境监管执法", "办理环境违法案件，按时结案率100%", "生态环境监察大队", ("宣教法制科",), 12),
    ("三、环境监管执法", "完成排污许可证质量核查", "行政审批科", ("生态环境监察大队",), 8),
    ("四、服务高质量发展", "环评审批时限比法定时限提速80%以上", "行政审批科", (), 12),
    ("四、服务高质量发展", "开展“十百千”结对服务企业月度走访全覆盖", "办公室", ("生态环境监察大队", "行政审批科"), 12),
    ("五、环境监测", "完成环境质量例行监测和重点排污单位监督性监测", "环境监测站", (), 12),
    ("六、信访维稳", "环境信访按期办结率100%，群众满意率85%以上", "信访办", ("生态环境监察大队",), 12),
    ("七、宣传教育", "开展“六五”环境日系列宣传活动", "宣教法制科", (), 6),
    ("八、队伍建设", "落实全面从严治党主体责任，开展警示教育4次", "组织人事科", ("办公室",), 12),
]

CAMPAIGN = ("秋冬季大气污染防治攻坚行动", "Autumn–winter air pollution campaign")
CAMPAIGN_PHASES = [("动员部署", "Mobilisation", 0, 14), ("集中攻坚", "Key advancement", 15, 75),
                   ("总结提升", "Summary", 76, 91)]
# (task, lead department, assisting, days after the start for the deadline, phase index, progress so far (%))
CAMPAIGN_TASKS = [
    ("印发攻坚行动实施方案，召开动员部署会", "办公室", (), 10, 0, 100),
    ("建立重点涉气企业清单并逐一建档", "大气与水环境科", ("生态环境监察大队",), 14, 0, 100),
    ("开展工业企业无组织排放专项检查", "生态环境监察大队", ("大气与水环境科",), 60, 1, 35),
    ("加强建筑工地和道路扬尘巡查", "生态环境监察大队", (), 70, 1, 55),
    ("开展餐饮油烟治理设施运行检查", "大气与水环境科", ("生态环境监察大队",), 40, 1, 80),
    ("加密重点区域空气质量监测并每日通报", "环境监测站", (), 75, 1, 70),
    ("做好重污染天气应急减排清单修订", "大气与水环境科", ("环境监测站",), 45, 1, 100),
    ("开展秸秆禁烧宣传和巡查", "宣教法制科", ("自然生态科",), 65, 1, 60),
    ("对攻坚行动开展情况进行督查通报", "办公室", ("组织人事科",), 80, 2, 0),
    ("总结攻坚成效，形成工作报告", "办公室", (), 91, 2, 0),
]

LATE_REPORTERS = ("宣教法制科", "环境监测站")
SCAN = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def _people(ws):
    """Departments by name, each department's head (its first staff member) and the bureau leaders."""
    with ws.reading() as session:
        departments = {d.name_zh: d.id for d in session.scalars(select(DepartmentRow))}
        staff = session.scalars(select(StaffRow).order_by(StaffRow.id)).all()
        heads: dict[int, int] = {}
        for person in staff:
            if not person.is_leader and person.department_id not in heads:
                heads[person.department_id] = person.id
        leaders = {person.department_id: person.id for person in staff if person.is_leader}
        director = next(person.id for person in staff if person.is_leader)
    return departments, heads, leaders, director


def _annual_plan(ctx: DemoContext, year: int, today: date, scans: Path) -> int:
    ws, rng = ctx.ws, ctx.rng
    departments, heads, leaders, director = _people(ws)
    plan, _c = rs.save_plan(ws, None, rs.PlanInput(
        f"{year}年度生态环境保护重点工作任务分解", "annual", date(year, 1, 1), date(year, 12, 31),
        f"Key environmental protection tasks of {year}", office_id=departments["办公室"]))
    for number, (section, content, lead, assisting, month) in enumerate(ANNUAL_TASKS, start=1):
        lead_id = departments[lead]
        deadline = _month_end(year, month)
        elapsed = max(0.0, min(1.0, (today - date(year, 1, 1)).days / max(1, (deadline - date(year, 1, 1)).days)))
        progress = 100 if deadline < today and rng.random() < 0.9 else min(100, round(elapsed * 100 *
                                                                                     rng.uniform(0.6, 1.15)))
        rs.save_task(ws, plan.id, None, rs.TaskInput(
            content, lead_id, number=str(number), section=section,
            assisting_department_ids=tuple(departments[a] for a in assisting),
            leader_id=leaders.get(lead_id, director), person_ids=(heads[lead_id],), deadline=deadline,
            progress=progress, status="done" if progress == 100 else "in_progress" if progress else "not_started"),
            today=today)
    if year == today.year:  # this week's reports on the year's unfinished work, but for two departments
        for task in rs.list_tasks(ws, plan.id, today=today):
            if task.stored_status.value != "done" and task.lead_department not in LATE_REPORTERS:
                rs.report_progress(ws, task.id, today, task.progress, "本周按计划推进，相关材料已归档。",
                                   None, task.person_ids[0], today=today)
    letters = []
    for kind in ("clean_government", "target"):
        made, _c = rs.generate_letters(ws, plan.id, kind, default_party_a=director)
        letters.extend(made)
    signing = date(year, 2, 20)
    rs.mark_printed(ws, [letter.id for letter in letters], date(year, 2, 18))
    for index, letter in enumerate(letters):
        if year < today.year or index % 7 != 3:  # this year: a few still to sign
            scan = scans / f"{letter.number}.pdf"
            scan.write_bytes(SCAN + letter.number.encode())
            signed, _c = rs.sign(ws, letter.id, signing, scan, today=today)
            if year < today.year:
                rs.archive(ws, signed.id, date(year, 12, 31))
    return plan.id


def _campaign(ctx: DemoContext, today: date) -> int:
    ws, rng = ctx.ws, ctx.rng
    departments, heads, leaders, director = _people(ws)
    start = date(today.year, 10, 8) if today >= date(today.year, 10, 8) else date(today.year - 1, 10, 8)
    phases = tuple(rs.PhaseInput(zh, start + timedelta(days=a), start + timedelta(days=b), en)
                   for zh, en, a, b in CAMPAIGN_PHASES)
    plan, _c = rs.save_plan(ws, None, rs.PlanInput(
        f"{start.year}年{CAMPAIGN[0]}", "campaign", start, phases[-1].end_on, f"{CAMPAIGN[1]} {start.year}",
        office_id=departments["办公室"], phases=phases))
    for number, (content, lead, assisting, days, phase, progress) in enumerate(CAMPAIGN_TASKS, start=1):
        lead_id = departments[lead]
        deadline = start + timedelta(days=days)
        task, _c = rs.save_task(ws, plan.id, None, rs.TaskInput(
            content, lead_id, number=str(number), assisting_department_ids=tuple(departments[a] for a in assisting),
            leader_id=leaders.get(lead_id, director), person_ids=(heads[lead_id],), deadline=deadline,
            phase_id=plan.phases[phase].id), today=today)
        # Weekly reports up to last week; some departments have not reported this week.
        week = start + timedelta(days=7)
        reports = []
        # Most departments have reported this week; two have not yet.
        last = today - timedelta(days=7) if lead in LATE_REPORTERS else today
        while progress and week <= last and week <= deadline:
            reports.append(week)
            week += timedelta(days=7)
        if reports and lead not in LATE_REPORTERS and deadline >= today and reports[-1] < today - timedelta(
                days=today.weekday()):
            reports.append(today)
        for index, day in enumerate(reports, start=1):
            value = progress if index == len(reports) else round(progress * index / len(reports))
            rs.report_progress(ws, task.id, day, value, rng.choice([
                "已完成阶段性检查，发现问题已督促整改。", "按计划推进，本周开展现场检查。", "已形成工作台账，持续跟踪。",
                "完成情况已报领导小组办公室。"]), None, heads[lead_id], today=today)
    made, _c = rs.generate_letters(ws, plan.id, "target", default_party_a=director)
    rs.mark_printed(ws, [letter.id for letter in made[:4]], start + timedelta(days=5))
    return plan.id


def responsibility_demo(ctx: DemoContext) -> str:
    today = date.today()
    plans = 0
    with tempfile.TemporaryDirectory() as tmp:
        scans = Path(tmp)
        years = range(today.year - 9, today.year + 1) if ctx.size == "large" else (today.year,)
        for year in years:
            _annual_plan(ctx, year, today, scans)
            plans += 1
            ctx.progress.check()
        _campaign(ctx, today)
        plans += 1
    counts = [len(rs.list_tasks(ctx.ws, p.id)) for p in rs.list_plans(ctx.ws)]
    letters = sum(len(rs.list_letters(ctx.ws, p.id)) for p in rs.list_plans(ctx.ws))
    return _("{plans} plans, {tasks} tasks, {letters} letters").format(plans=plans, tasks=sum(counts),
                                                                        letters=letters)
