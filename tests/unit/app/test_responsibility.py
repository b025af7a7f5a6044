"""The responsibility matrix's use cases: plans and phases, the task table, weekly progress and warning cards,
the matrix, and letters from draft to signed — a signed letter stays as it was signed."""

from datetime import date

import pytest
from sqlalchemy import func, select

from envdesk.app import overview, reference
from envdesk.app import responsibility as rs
from envdesk.app.errors import ConflictError, ValidationError
from envdesk.app.responsibility import PhaseInput, PlanInput, TaskFilter, TaskInput
from envdesk.domain.responsibility import Card, LetterStatus, Role, TaskStatus
from envdesk.store.responsibility import LetterRow, TaskRow

D = date.fromisoformat
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Office:
    def __init__(self, ws):
        self.ws = ws
        dept = {name: reference.save_department(ws, None, name)[0] for name in ("办公室", "监察大队", "环评科", "监测站")}
        self.dept = dept
        self.director = reference.save_staff(ws, None, "王局长", dept["办公室"].id, title="局长", is_leader=True)[0]
        self.deputy = reference.save_staff(ws, None, "李副局长", dept["办公室"].id, title="副局长", is_leader=True)[0]
        self.heads = {name: reference.save_staff(ws, None, f"{name}负责人", d.id, title="科长")[0]
                      for name, d in dept.items()}
        self.plan, _c = rs.save_plan(ws, None, PlanInput(
            "生态优先 环境惠民 专项行动", "campaign", D("2026-04-15"), D("2026-06-30"), "Ecology first campaign",
            office_id=dept["办公室"].id, phases=(
                PhaseInput("动员部署", D("2026-04-15"), D("2026-04-30")),
                PhaseInput("重点推进", D("2026-05-01"), D("2026-06-15")),
                PhaseInput("总结提高", D("2026-06-16"), D("2026-06-30")))))

    def task(self, content, lead, assisting=(), deadline="2026-06-30", leader=None, number="", **kw):
        data = TaskInput(content, self.dept[lead].id, number=number,
                         assisting_department_ids=tuple(self.dept[a].id for a in assisting),
                         leader_id=(leader or self.deputy).id, person_ids=(self.heads[lead].id,),
                         deadline=D(deadline) if deadline else None, **kw)
        return rs.save_task(self.ws, self.plan.id, None, data, today=D("2026-04-20"))[0]


@pytest.fixture
def o(ws):
    return Office(ws)


def test_plan_with_phases_and_its_rules(o):
    assert [p.name_zh for p in o.plan.phases] == ["动员部署", "重点推进", "总结提高"]
    assert rs.find_plan(o.ws, "生态优先 环境惠民 专项行动") == rs.find_plan(o.ws, "Ecology first campaign") == o.plan.id
    with pytest.raises(ValidationError, match="overlaps"):
        rs.save_plan(o.ws, None, PlanInput("另一个", "campaign", D("2026-01-01"), D("2026-12-31"), phases=(
            PhaseInput("一", D("2026-01-01"), D("2026-06-30")), PhaseInput("二", D("2026-06-01"), D("2026-12-31")))))
    with pytest.raises(ValidationError, match="outside"):
        rs.save_plan(o.ws, None, PlanInput("另一个", "annual", D("2026-01-01"), D("2026-06-30"), phases=(
            PhaseInput("一", D("2026-01-01"), D("2026-07-30")),)))
    with pytest.raises(ValidationError, match="another plan"):
        rs.save_plan(o.ws, None, PlanInput("生态优先 环境惠民 专项行动", "annual", D("2026-01-01"), D("2026-12-31")))
    assert len(rs.list_plans(o.ws)) == 1


def test_tasks_departments_and_the_matrix(o):
    first = o.task("召开动员大会，印发实施方案", "办公室", number="1", deadline="2026-04-30")
    second = o.task("开展重点企业执法检查", "监察大队", assisting=("监测站", "环评科"), number="2",
                    leader=o.director)
    assert first.lead_department == "办公室" and first.sort_order < second.sort_order
    assert set(second.assisting_departments) == {"监测站", "环评科"}
    tasks = rs.list_tasks(o.ws, o.plan.id, today=D("2026-04-20"))
    matrix = rs.department_matrix(tasks)
    assert matrix.mark(o.dept["监察大队"].id, second.id) is Role.LEAD
    assert matrix.mark(o.dept["监测站"].id, second.id) is Role.ASSISTING
    assert matrix.mark(o.dept["办公室"].id, second.id) is None
    leaders = rs.leader_matrix(tasks)
    assert leaders.mark(o.director.id, second.id) is Role.LEAD
    only = rs.list_tasks(o.ws, o.plan.id, TaskFilter(department_id=o.dept["环评科"].id))
    assert [t.id for t in only] == [second.id]
    with pytest.raises(ValidationError, match="lead department cannot also assist"):
        o.task("x", "办公室", assisting=("办公室",))
    with pytest.raises(ValidationError) as raised:
        rs.save_task(o.ws, o.plan.id, None, TaskInput(" ", o.dept["办公室"].id))
    assert raised.value.field == "Task"
    with o.ws.reading() as session:
        assert session.scalar(select(func.count()).select_from(TaskRow)) == 2


def test_in_place_edit_is_version_checked(o):
    task = o.task("召开动员大会", "办公室")
    edited, _c = rs.save_task(o.ws, o.plan.id, task.id, task.input(remarks="4月18日前完成"), task.version)
    assert edited.remarks == "4月18日前完成"
    with pytest.raises(ConflictError):
        rs.save_task(o.ws, o.plan.id, task.id, task.input(remarks="旧的"), task.version)


def test_progress_cards_and_who_has_not_reported(o):
    due_soon = o.task("报送阶段总结", "办公室", deadline="2026-05-20", progress=80)  # on pace, due in 5 days
    behind = o.task("完成50家企业排查", "监察大队", deadline="2026-06-30")
    late = o.task("印发方案", "环评科", deadline="2026-05-01")
    today = D("2026-05-15")
    cards = {t.id: t.card for t in rs.list_tasks(o.ws, o.plan.id, today=today)}
    assert cards[due_soon.id] is Card.BLUE
    assert cards[behind.id] is Card.YELLOW      # 40 % of the way through its period, nothing reported
    assert cards[late.id] is Card.RED
    assert rs.get_task(o.ws, late.id, today).status is TaskStatus.OVERDUE
    assert rs.not_reported(o.ws, o.plan.id, today) == sorted(["办公室", "监察大队", "环评科"])

    task, _c = rs.report_progress(o.ws, behind.id, D("2026-05-14"), 45, "已排查23家", today=today)
    assert (task.progress, task.stored_status, task.card) == (45, TaskStatus.IN_PROGRESS, None)
    task, _c = rs.report_progress(o.ws, late.id, D("2026-05-13"), 100, "已印发", today=today)
    assert task.status is TaskStatus.DONE and task.card is None
    assert rs.not_reported(o.ws, o.plan.id, today) == ["办公室"]
    assert [r.text for r in rs.progress_reports(o.ws, behind.id)] == ["已排查23家"]
    with pytest.raises(ValidationError, match="Progress"):
        rs.report_progress(o.ws, behind.id, D("2026-05-14"), 120, "x", today=today)
    with pytest.raises(ValidationError, match="future"):
        rs.report_progress(o.ws, behind.id, D("2026-05-16"), 50, "x", today=today)
    items = [i for i in overview.build(o.ws, today=today).items if i.register == "Responsibility matrix"]
    assert [(i.title, i.severity.value, i.days_left) for i in items] == [
        ("Blue card: due soon — 报送阶段总结（办公室）", "due_soon", 5)]


def test_letters_from_draft_to_signed_and_locked(o, tmp_path):
    o.task("召开动员大会，印发实施方案", "办公室", number="1")
    enforcement = o.task("开展重点企业执法检查", "监察大队", number="2", leader=o.director)
    o.task("环评文件抽查", "环评科", number="3")
    letters, _c = rs.generate_letters(o.ws, o.plan.id, "target")
    assert [letter.department for letter in letters] == ["办公室", "监察大队", "环评科"]
    assert len({letter.number for letter in letters}) == 3
    by_department = {letter.department: letter for letter in letters}
    brigade = by_department["监察大队"]
    assert (brigade.party_a, brigade.party_b) == ("王局长", "监察大队负责人")
    assert brigade.content["targets"][0]["content"] == "开展重点企业执法检查"
    assert brigade.content["sections"]["assessment"]["en"].startswith("The targets are assessed on a 100-point")

    rs.mark_printed(o.ws, [letter.id for letter in letters], D("2026-04-20"))
    scan = tmp_path / "signed.png"
    scan.write_bytes(PNG)
    signed, _c = rs.sign(o.ws, brigade.id, D("2026-04-21"), scan, today=D("2026-04-22"))
    assert signed.status is LetterStatus.SIGNED and rs.verify_scan(signed)
    other = tmp_path / "office.pdf"
    other.write_bytes(PDF)
    rs.sign(o.ws, by_department["办公室"].id, D("2026-04-21"), other, today=D("2026-04-22"))
    assert [letter.department for letter in rs.unsigned(o.ws, o.plan.id, "target")] == ["环评科"]

    # Editing a task after signing: the signed letter stays as it was; generating makes a new revision.
    rs.save_task(o.ws, o.plan.id, enforcement.id, enforcement.input(content="开展重点企业执法检查（扩大到80家）"),
                 enforcement.version)
    kept = rs.get_letter(o.ws, brigade.id)
    assert kept.content == brigade.content and kept.status is LetterStatus.SIGNED and kept.outdated
    again, _c = rs.generate_letters(o.ws, o.plan.id, "target")
    new = next(letter for letter in again if letter.department == "监察大队")
    assert new.id != brigade.id and new.revision == 2 and new.supersedes_id == brigade.id
    assert new.status is LetterStatus.DRAFT and "80家" in new.content["targets"][0]["content"]
    assert rs.get_letter(o.ws, brigade.id).content == brigade.content
    office = next(letter for letter in again if letter.department == "办公室")
    assert office.id == by_department["办公室"].id  # signed and unchanged: no new revision
    with o.ws.reading() as session:
        assert session.scalar(select(func.count()).select_from(LetterRow)) == 4


def test_bad_letters_and_scans(o, tmp_path):
    o.task("召开动员大会", "办公室")
    letters, _c = rs.generate_letters(o.ws, o.plan.id, "clean-government")
    letter = letters[0]
    rs.mark_printed(o.ws, [letter.id], D("2026-04-20"))
    fake = tmp_path / "scan.pdf"
    fake.write_text("not a pdf")
    with pytest.raises(ValidationError, match="not really a PDF"):
        rs.sign(o.ws, letter.id, D("2026-04-21"), fake, today=D("2026-04-22"))
    text_file = tmp_path / "scan.txt"
    text_file.write_text("x")
    with pytest.raises(ValidationError, match="not a PDF or an image"):
        rs.sign(o.ws, letter.id, D("2026-04-21"), text_file, today=D("2026-04-22"))
    assert rs.get_letter(o.ws, letter.id).status is LetterStatus.PRINTED
    with pytest.raises(ValidationError, match="cannot become"):
        rs.archive(o.ws, letter.id, D("2026-04-22"))
    # A department with no task cannot have a letter.
    with pytest.raises(ValidationError, match="no task in this plan"):
        rs.generate_letters(o.ws, o.plan.id, "target", parties={o.dept["监测站"].id: (o.director.id,
                                                                                     o.heads["监测站"].id)})
    # Party A must be a bureau leader.
    with pytest.raises(ValidationError, match="not a bureau leader"):
        rs.generate_letters(o.ws, o.plan.id, "target", parties={o.dept["办公室"].id: (o.heads["环评科"].id,
                                                                                     o.heads["办公室"].id)})


def test_only_an_empty_plan_can_be_deleted(o):
    o.task("召开动员大会", "办公室")
    with pytest.raises(ValidationError, match="cannot be deleted"):
        rs.delete_plan(o.ws, o.plan.id)
    empty, _c = rs.save_plan(o.ws, None, PlanInput("空计划", "annual", D("2026-01-01"), D("2026-12-31")))
    rs.delete_plan(o.ws, empty.id)
    assert rs.find_plan(o.ws, "空计划") is None


def test_a_report_dated_back_does_not_override_a_newer_one(o):
    task = o.task("完成50家企业排查", "监察大队")
    rs.report_progress(o.ws, task.id, D("2026-05-14"), 100, "已全部完成", today=D("2026-05-15"))
    task, _c = rs.report_progress(o.ws, task.id, D("2026-05-07"), 40, "补报上周进度", today=D("2026-05-15"))
    assert (task.progress, task.stored_status) == (100, TaskStatus.DONE)
    assert len(rs.progress_reports(o.ws, task.id)) == 2


def test_a_draft_cannot_be_signed_and_leaves_no_file(o, tmp_path):
    o.task("召开动员大会", "办公室")
    letter = rs.generate_letters(o.ws, o.plan.id, "target")[0][0]
    scan = tmp_path / "s.png"
    scan.write_bytes(PNG)
    with pytest.raises(ValidationError, match="cannot become"):
        rs.sign(o.ws, letter.id, D("2026-04-21"), scan, today=D("2026-04-22"))
    assert not rs.scan_dir().exists() or not any(rs.scan_dir().iterdir())
