"""The responsibility matrix's documents: the task decomposition table and the responsibility letters, from plans,
tasks and letters built through the register's use cases; and their `envdesk print` commands."""

from __future__ import annotations

import gettext
import io
from datetime import date

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from report_helpers import needs_poppler, pdf_fonts, pdf_info, pdf_pages, pdf_text, squeeze

from envdesk import i18n
from envdesk.app import reference
from envdesk.app import responsibility as resp
from envdesk.app import settings as settings_app
from envdesk.app.responsibility import DEFAULT_TEXTS, PhaseInput, PlanInput, TaskInput
from envdesk.cli import main
from envdesk.domain.responsibility import LetterKind, LetterStatus
from envdesk.domain.users import Role
from envdesk.reports import LEDGER, OFFICIAL, render, render_batch
from envdesk.reports.responsibility import letter_spec, letters_batch_specs, task_table_spec

D = date.fromisoformat
LANGUAGES = ["zh_CN", "en", "bilingual"]
ISSUED = D("2026-04-16")
TARGET, CLEAN = DEFAULT_TEXTS[LetterKind.TARGET], DEFAULT_TEXTS[LetterKind.CLEAN_GOVERNMENT]

# Chinese for the documents' labels, as the translators are expected to write them; the tests install these in
# place of the zh_CN catalog, so they do not depend on the state of the real one.
CHINESE = {
    "Page {page} of {pages}": "第 {page} 页 共 {pages} 页",
    "No.": "序号",
    "Section": "板块",
    "Task": "活动内容",
    "Responsible department": "责任部门",
    "Responsible leader": "责任领导",
    "Responsible person": "责任人",
    "Deadline": "完成时限",
    "Remarks": "备注",
    "Leading group office": "领导小组办公室",
    "Party A": "甲方",
    "Party B": "乙方",
    "Date": "日期",
    "Lead": "牵头",
    "Assisting": "配合",
    "Plan period: {start} to {end}": "实施时间：{start}至{end}",
    "Task decomposition table: {plan}": "{plan}任务分解表",
    "Phases: {phases}": "工作阶段：{phases}",
    "{name} ({start} to {end})": "{name}（{start}至{end}）",
    "(assisting: {departments})": "（配合：{departments}）",
    "The plan has no tasks yet.": "本计划尚无任务。",
    "Target responsibility letter": "目标责任书",
    "Clean-government responsibility letter": "党风廉政建设责任书",
    "{plan} ({year})": "{plan}（{year}年度）",
    "Letter No.": "编号",
    "To accomplish the targets of {plan}, make each department's responsibility clear and see the work done, "
    "Party A and Party B have agreed on this letter.":
        "为全面完成{plan}各项目标任务，明确工作责任，确保任务落实，经甲乙双方协商，签订本责任书。",
    "To carry out the responsibility for party conduct and clean government, and to see the work of {plan} done "
    "cleanly and well, Party A and Party B have agreed on this letter.":
        "为认真落实党风廉政建设责任制，确保{plan}各项工作廉洁高效推进，经甲乙双方协商，签订本责任书。",
    "Targets": "目标任务",
    "Party B undertakes the following tasks:": "乙方承担以下目标任务：",
    "Role": "责任方式",
    "Party A (signature)": "甲方（签字）",
    "Party B (signature)": "乙方（签字）",
    "Duties": "工作职责",
    "Assessment": "考核办法",
    "Rewards and penalties": "奖惩",
    "Term": "期限",
    TARGET["duties"]: "乙方牵头负责目标任务表所列本部门任务，将每项任务落实到责任人，每周向领导小组办公室报送工作进展，"
                      "按时限、按标准完成各项任务。",
    TARGET["assessment"]: "目标任务实行百分制考核，其中平时检查占40分，年终考核占60分。未按时限完成的任务不得分，事先经批准"
                          "延期的除外。",
    TARGET["rewards"]: "考核得分90分以上的部门予以通报表扬；得分低于60分的部门予以通报批评，部门负责人向甲方作出书面说明。"
                       "考核结果纳入部门及其工作人员年度绩效考核。",
    TARGET["term"]: "本责任书自签订之日起至计划结束时止有效。本责任书一式两份，甲乙双方各执一份。",
    CLEAN["duties"]: "乙方对本部门党风廉政建设负主体责任，以身作则，严格遵守中央八项规定精神，加强对本部门工作人员在执法、"
                     "审批和资金使用等方面的监督，发现问题及时报告。",
    CLEAN["assessment"]: "本责任书履行情况与年度工作目标一并实行百分制考核，通过日常监督和年终考核进行。",
    CLEAN["rewards"]: "部门发生严重违纪违法问题的，依照问责有关规定追究乙方责任，该部门当年不得评为先进。",
    CLEAN["term"]: "本责任书自签订之日起至当年年底有效。本责任书一式两份，甲乙双方各执一份。",
}


def chinese_catalog() -> gettext.GNUTranslations:
    catalog = Catalog(locale="zh_CN")
    for msgid, text in CHINESE.items():
        catalog.add(msgid, text)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.fixture(autouse=True)
def responsibility_chinese(monkeypatch):
    """The documents' Chinese labels in place of the zh_CN catalog (see CHINESE)."""
    monkeypatch.setitem(i18n._cache, "zh_CN", chinese_catalog())


# --- a campaign, built through the register's use cases ---------------------------------------------------

PLAN = "“生态优先、环境惠民”主题活动"
PLAN_EN = "“Ecology first, environment benefits the people” campaign"
DEPARTMENTS = (("局办公室", "General Office"), ("环境监察大队", "Environmental Inspection Brigade"),
               ("污染防治股", "Pollution Prevention Section"), ("法规宣教股", "Law and Publicity Section"))
STAFF = (  # name, department, title, leader
    ("王建国", "局办公室", "党组书记、局长", True), ("李明华", "局办公室", "党组成员、副局长", True),
    ("张伟", "局办公室", "办公室主任", False), ("陈刚", "环境监察大队", "大队长", False),
    ("刘芳", "污染防治股", "股长", False), ("赵敏", "法规宣教股", "股长", False),
)
# No., content, lead, assisting, leader, person, deadline, remarks, phase (0, 1, 2)
TASKS = (
    ("1", "召开动员大会，印发活动实施方案", "局办公室", (), "王建国", "张伟", "2026-04-20", "", 0),
    ("2", "成立活动领导小组及办公室，明确联络员", "局办公室", (), "王建国", "张伟", "2026-04-20", "", 0),
    ("3", "开展环境执法“亮剑”专项行动，重点检查涉水企业和重点排污单位", "环境监察大队", ("污染防治股",), "李明华", "陈刚",
     "2026-06-10", "每周报送进展", 1),
    ("4", "开展饮用水水源地环境问题排查整治", "环境监察大队", (), "李明华", "陈刚", "2026-06-10", "", 1),
    ("5", "推进重点行业挥发性有机物综合治理", "污染防治股", ("环境监察大队",), "李明华", "刘芳", "2026-06-15", "", 1),
    ("6", "开展“六五”环境日主题宣传活动", "法规宣教股", ("局办公室",), "王建国", "赵敏", "2026-06-05", "", 1),
    ("7", "总结活动成效，报送总结材料", "局办公室", (), "王建国", "张伟", "2026-06-30", "", 2),
)


class Office:
    """The reference data and the plan, with ids by name."""

    def __init__(self, ws) -> None:
        for key, value in (("bureau/name_zh", "青溪县生态环境局"),
                           ("bureau/name_en", "Qingxi County Ecology and Environment Bureau")):
            settings_app.set_value(ws, key, value)
        self.departments = {zh: reference.save_department(ws, None, zh, en)[0].id for zh, en in DEPARTMENTS}
        self.staff = {name: reference.save_staff(ws, None, name, self.departments[department], title,
                                                 is_leader=leader)[0].id
                      for name, department, title, leader in STAFF}
        plan, _c = resp.save_plan(ws, None, PlanInput(
            PLAN, "campaign", D("2026-04-15"), D("2026-06-30"), title_en=PLAN_EN,
            office_id=self.departments["局办公室"],
            phases=(PhaseInput("动员部署阶段", D("2026-04-15"), D("2026-04-30"), "Mobilisation"),
                    PhaseInput("重点推进阶段", D("2026-05-01"), D("2026-06-15"), "Key advancement"),
                    PhaseInput("总结提升阶段", D("2026-06-16"), D("2026-06-30"), "Summary"))))
        self.plan_id = plan.id
        self.ws = ws
        for task in TASKS:
            self.add(*task)

    def add(self, number, content, lead, assisting, leader, person, deadline, remarks, phase, section=""):
        plan = resp.get_plan(self.ws, self.plan_id)
        task, _c = resp.save_task(self.ws, self.plan_id, None, TaskInput(
            content, self.departments[lead], number=number, section=section,
            assisting_department_ids=tuple(self.departments[a] for a in assisting), leader_id=self.staff[leader],
            person_ids=(self.staff[person],), deadline=D(deadline) if deadline else None, remarks=remarks,
            phase_id=plan.phases[phase].id))
        return task

    @property
    def plan(self):
        return resp.get_plan(self.ws, self.plan_id)

    def tasks(self):
        return resp.list_tasks(self.ws, self.plan_id, today=ISSUED)

    def letters(self, kind="target"):
        resp.generate_letters(self.ws, self.plan_id, kind)
        return resp.list_letters(self.ws, self.plan_id, kind)


@pytest.fixture
def office(ws):
    return Office(ws)


@pytest.fixture
def bureau(ws, office):
    return reference.get_bureau(ws)


def pdf(spec) -> bytes:
    return render(spec)


def flat(data: bytes) -> str:
    return squeeze(pdf_text(data))


def all_embedded(data: bytes, tmp_path) -> bool:
    rows = pdf_fonts(data, tmp_path)
    return bool(rows) and all(row[-5:-3] == ["yes", "yes"] for row in rows)


def landscape(data: bytes) -> bool:
    width, _by, height = pdf_info(data)["Page size"].split()[:3]
    return float(width) > float(height)


# --- the task decomposition table ---------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_task_table_lists_every_task_with_its_people_and_deadline(ws, office, bureau, language, tmp_path):
    data = pdf(task_table_spec(bureau, office.plan, office.tasks(), language, ISSUED))
    text = flat(data)
    assert landscape(data) and all_embedded(data, tmp_path)
    assert pdf_info(data)["Creator"] == "EnvDesk"
    for _number, content, *_rest in TASKS:
        assert squeeze(content[:10]) in text  # a wrapped cell's lines may be read apart
    for name in ("张伟", "陈刚", "刘芳", "赵敏"):
        assert name in text
    if language != "en":
        assert squeeze(f"{PLAN}任务分解表") in text
        for header in ("序号", "活动内容", "责任部门", "责任领导", "责任人", "完成时限", "备注"):
            assert header in text
        assert "（配合：" in text
        if language == "zh_CN":
            assert "环境监察大队（配合：污染防治股）" in text
        assert "实施时间：2026年4月15日至2026年6月30日" in text
        assert "动员部署阶段（2026年4月15日至2026年4月30日）" in text
        assert "2026年6月10日" in text and "第1页共1页" in text
        assert ("领导小组办公室：局办公室" if language == "zh_CN" else "领导小组办公室Leadinggroupoffice：局办公室") in text
    if language != "zh_CN":
        assert squeeze(f"Task decomposition table: {PLAN_EN}") in text
        for header in ("No.", "Task", "department", "leader", "person", "Deadline", "Remarks"):
            assert header in text  # a header's two lines are read apart: the others' lines come between them
        assert text.count("Responsible") >= 3
        assert "Mobilisation(15April2026to30April2026)" in text
    if language == "en":
        assert "EnvironmentalInspectionBrigade" not in text  # departments print as the register holds them
        assert "环境监察大队(assisting:污染防治股)" in text and "Page1of1" in text and "Apr10,2026" not in text
        assert "10Jun2026" in text
    # No section column when no task has a section.
    assert "板块" not in text and "Section" not in text


@needs_poppler
def test_consecutive_tasks_of_one_leader_or_department_share_one_merged_cell(ws, office, bureau):
    text = pdf_text(pdf(task_table_spec(bureau, office.plan, office.tasks(), "zh_CN", ISSUED)))
    # 王建国 leads tasks 1–2 and 6–7, 李明华 tasks 3–5: one cell each run. Unmerged, they would print 4 and 3 times.
    assert text.count("王建国") == 2
    assert text.count("李明华") == 1


def test_merged_cells_are_spans_of_the_rows_they_join(ws, office, bureau):
    from envdesk.reports import Writer
    from envdesk.reports.responsibility import MergedTable

    spec = task_table_spec(bureau, office.plan, office.tasks(), "zh_CN", ISSUED)
    w = Writer("zh_CN", bureau, spec.layout)
    spec.write(w)
    table = next(f for f in w.story if isinstance(f, MergedTable))
    built = table._build(len(table.rows))
    spans = sorted((tuple(start), tuple(end)) for _command, start, end in built._spanCmds)
    # columns: No., task, department, leader, person, deadline, remarks; rows counted from the header (0).
    assert ((2, 1), (2, 2)) in spans  # 局办公室, tasks 1–2
    assert ((3, 1), (3, 2)) in spans and ((3, 3), (3, 5)) in spans and ((3, 6), (3, 7)) in spans  # the leaders
    assert not any(start[0] == 2 and start[1] >= 3 for start, _end in spans)  # no other department repeats


def test_with_sections_runs_merge_within_a_section_and_the_section_merges_too(ws, office, bureau):
    from envdesk.reports import Writer
    from envdesk.reports.responsibility import MergedTable

    for n, section in enumerate(("第一批", "第一批", "第二批")):
        office.add(str(8 + n), f"第{n + 1}项排查", "污染防治股", (), "李明华", "刘芳", "2026-06-15", "", 1, section=section)
    spec = task_table_spec(bureau, office.plan, office.tasks(), "zh_CN", ISSUED)
    w = Writer("zh_CN", bureau, spec.layout)
    spec.write(w)
    table = next(f for f in w.story if isinstance(f, MergedTable))
    spans = sorted((tuple(start), tuple(end)) for _command, start, end in table._build(len(table.rows))._spanCmds)
    # columns: No., section, task, department, leader…; rows 8–10 are the new tasks, after task 7 (no section).
    assert ((1, 8), (1, 9)) in spans  # 第一批
    assert ((3, 8), (3, 9)) in spans and ((4, 8), (4, 9)) in spans  # within 第一批 only
    assert not any(end == (3, 10) or end == (4, 10) or start == (4, 7) for start, end in spans)
    assert squeeze("板块") in flat(pdf(spec))


@needs_poppler
def test_a_run_across_a_page_break_is_merged_again_on_the_next_page_and_no_row_splits(ws, office, bureau):
    for n in range(60):
        office.add(str(8 + n), f"开展第{n + 1}批重点企业环境安全隐患排查，建立问题清单、责任清单和整改清单，实行销号管理",
                   "污染防治股", (), "李明华", "刘芳", "2026-06-15", "", 1)
    data = pdf(task_table_spec(bureau, office.plan, office.tasks(), "zh_CN", ISSUED))
    pages = pdf_pages(data)
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert f"第 {number} 页 共 {len(pages)} 页" in page.replace("\n", " ") or squeeze(
            f"第{number}页共{len(pages)}页") in squeeze(page)
        assert "序号" in page and "责任领导" in page  # the header on every page
    table_pages = [p for p in pages if "第1批" in squeeze(p) or "批重点企业" in p]
    assert len(table_pages) >= 2
    for page in table_pages[1:]:
        # The run of 李明华's tasks goes on from the page before: merged again, named once on this page.
        assert page.count("李明华") == 1
    for n in range(60):  # every row whole on one page
        whole = squeeze(f"开展第{n + 1}批重点企业环境安全隐患排查，建立问题清单、责任清单和整改清单，实行销号管理")
        assert sum(whole in squeeze(page) for page in pages) == 1, n + 1


def test_a_task_taller_than_a_page_goes_on_over_pages(ws, office, bureau):
    office.add("8", "排查整治" * 1200, "污染防治股", (), "李明华", "刘芳", "2026-06-15", "", 1)
    data = pdf(task_table_spec(bureau, office.plan, office.tasks(), "zh_CN", ISSUED))
    assert data.startswith(b"%PDF")


@needs_poppler
def test_an_empty_plan_prints_its_heading_and_says_it_has_no_tasks(ws, office, bureau):
    plan, _c = resp.save_plan(ws, None, PlanInput("空计划", "annual", D("2026-01-01"), D("2026-12-31")))
    text = flat(pdf(task_table_spec(bureau, plan, [], "bilingual", ISSUED)))
    assert "空计划任务分解表" in text and "本计划尚无任务。" in text and "Theplanhasnotasksyet." in text


# --- the letters -----------------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_target_letter_has_its_parties_targets_sections_and_lines_to_sign(ws, office, bureau, language, tmp_path):
    letter = next(x for x in office.letters("target") if x.department == "环境监察大队")
    data = pdf(letter_spec(bureau, letter, language, ISSUED))
    text = flat(data)
    pages = pdf_pages(data)
    assert all_embedded(data, tmp_path) and not landscape(data)
    assert letter.number == "MB-2026-002" and "MB-2026-002" in text
    assert "李明华" in text and "陈刚" in text and "党组成员、副局长" in text and "大队长" in text
    for content in ("开展环境执法“亮剑”专项行动，重点检查涉水企业和重点排污单位", "开展饮用水水源地环境问题排查整治",
                    "推进重点行业挥发性有机物综合治理"):
        assert squeeze(content) in text
    assert "召开动员大会" not in text  # another department's task
    if language != "en":
        assert len(pages) <= 2 or language == "bilingual"
        assert pages[0].lstrip().startswith("编号") or "编号" in pages[0].splitlines()[0] or "编号" in pages[0][:40]
        assert "目标责任书" in text and squeeze(f"{PLAN}（2026年度）") in text
        assert "甲方" in text and "青溪县生态环境局李明华（党组成员、副局长）" in text
        assert "乙方" in text and "环境监察大队陈刚（大队长）" in text
        assert "为全面完成“生态优先、环境惠民”主题活动各项目标任务" in text and "经甲乙双方协商，签订本责任书。" in text
        for heading in ("一、目标任务", "二、工作职责", "三、考核办法", "四、奖惩", "五、期限"):
            assert heading in text
        assert "百分制考核" in text and "一式两份，甲乙双方各执一份。" in text
        targets = text.split("二、工作职责")[0].split("乙方承担")[1]
        assert targets.count("牵头") == 2 and targets.count("配合") == 1  # it assists the section's VOC task
        assert "甲方（签字）" in text and "乙方（签字）" in text  # with the dates to write by hand, 年 月 日
        lines = text.split("五、期限")[1]
        assert lines.count("日期") >= 2 and lines.count("年") >= 2 and lines.count("月日") >= 2
        assert "第1页共" in text
    if language == "zh_CN":
        assert len(pages) <= 2 and "Party" not in text
    if language != "zh_CN":
        assert "Targetresponsibilityletter" in text and "LetterNo." in text
        assert "QingxiCountyEcologyandEnvironmentBureau" in text and "EnvironmentalInspectionBrigade" in text
        assert "PartyA(signature)" in text and "PartyB(signature)" in text
        assert squeeze(TARGET["assessment"]) in text
    if language == "en":
        for heading in ("1.Targets", "2.Duties", "3.Assessment", "4.Rewardsandpenalties", "5.Term"):
            assert heading in text
        assert "Lead" in text and "目标责任书" not in text and "Date" in text


@needs_poppler
def test_an_assisting_department_s_letter_marks_its_role(ws, office, bureau):
    letter = next(x for x in office.letters("target") if x.department == "法规宣教股")
    text = flat(pdf(letter_spec(bureau, letter, "zh_CN", ISSUED)))
    assert "开展“六五”环境日主题宣传活动" in text and "牵头" in text
    office_letter = next(x for x in office.letters("target") if x.department == "局办公室")
    text = flat(pdf(letter_spec(bureau, office_letter, "zh_CN", ISSUED)))
    assert "开展“六五”环境日主题宣传活动" in text and "配合" in text  # the office assists task 6


@needs_poppler
def test_a_clean_government_letter_has_its_own_title_and_wording(ws, office, bureau):
    letter = office.letters("clean_government")[0]
    assert letter.number.startswith("LZ-")
    text = flat(pdf(letter_spec(bureau, letter, "bilingual", ISSUED)))
    assert "党风廉政建设责任书" in text and "Clean-governmentresponsibilityletter" in text
    assert "党风廉政建设责任制" in text and "中央八项规定精神" in text and squeeze(CLEAN["duties"]) in text


@needs_poppler
def test_a_signed_letter_prints_what_was_signed_after_its_tasks_change(ws, office, bureau, tmp_path):
    letter = next(x for x in office.letters("target") if x.department == "局办公室")
    resp.mark_printed(ws, [letter.id], ISSUED)
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a scanned letter\n")
    resp.sign(ws, letter.id, ISSUED, scan, today=ISSUED)
    task = next(t for t in office.tasks() if t.number == "1")
    resp.save_task(ws, office.plan_id, task.id, task.input(content="召开全局干部职工大会（已改）"),
                   expected_version=task.version)
    settings_app.set_value(ws, "letters/target/term/zh_CN", "本责任书有效期一年（已改）。")

    signed = resp.get_letter(ws, letter.id)
    assert signed.status is LetterStatus.SIGNED and signed.outdated
    for language in LANGUAGES:
        text = flat(pdf(letter_spec(bureau, signed, language, ISSUED)))
        assert "召开动员大会，印发活动实施方案" in text
        assert "已改" not in text
    # A new letter made now says the new text; the signed one is still as it was.
    resp.generate_letters(ws, office.plan_id, "target")
    newest = next(x for x in resp.list_letters(ws, office.plan_id, "target") if x.department == "局办公室")
    assert newest.id != signed.id and newest.revision == 2
    text = flat(pdf(letter_spec(bureau, newest, "zh_CN", ISSUED)))
    assert "召开全局干部职工大会（已改）" in text and "本责任书有效期一年（已改）。" in text
    assert "召开动员大会" not in text
    assert "召开动员大会" in flat(pdf(letter_spec(bureau, resp.get_letter(ws, signed.id), "zh_CN", ISSUED)))


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_what_people_typed_prints_as_typed(ws, office, bureau, language):
    typed = "<b>重点</b> & 复核 <i>x</i>"
    office.add("8", typed, "局办公室", (), "王建国", "张伟", "2026-06-20", "a < b & c", 1, section="<u>板块</u>")
    table = pdf_text(pdf(task_table_spec(bureau, office.plan, office.tasks(), language, ISSUED)))
    assert squeeze(typed) in squeeze(table) and "a<b&c" in squeeze(table) and "<u>板块</u>" in squeeze(table)
    letter = next(x for x in office.letters("target") if x.department == "局办公室")
    text = flat(pdf(letter_spec(bureau, letter, language, ISSUED)))
    assert squeeze(typed) in text and "a<b&c" in text


@needs_poppler
def test_a_batch_starts_each_letter_on_a_new_page_numbered_on_its_own(ws, office, bureau, tmp_path):
    letters = office.letters("target") + office.letters("clean_government")
    assert len(letters) == 8
    [path] = render_batch(letters_batch_specs(bureau, letters, "zh_CN", ISSUED), tmp_path / "all.pdf", one_file=True)
    pages = pdf_pages(path.read_bytes())
    starts = [i for i, page in enumerate(pages) if "编号" in page]
    assert len(starts) == 8 and starts[0] == 0
    for letter, start in zip(letters, starts, strict=True):
        assert letter.number in pages[start]
        assert "第1页共" in squeeze(pages[start])
    folder = render_batch(letters_batch_specs(bureau, letters, "en", ISSUED), tmp_path / "each", one_file=False)
    assert len(folder) == 8 and all(p.suffix == ".pdf" for p in folder)
    assert any("MB-2026-001" in p.name for p in folder)


def test_letter_specs_are_official_pages_named_after_the_letter(ws, office, bureau):
    letter = office.letters("target")[0]
    spec = letter_spec(bureau, letter, "zh_CN", ISSUED)
    assert spec.layout is OFFICIAL
    assert spec.title == "目标责任书 局办公室" and spec.suggested_file_name() == "目标责任书 局办公室 MB-2026-001.pdf"
    assert letter_spec(bureau, letter, "en", ISSUED).title == "Target responsibility letter General Office"
    assert task_table_spec(bureau, office.plan, office.tasks(), "en", ISSUED).layout is LEDGER


# --- the commands -----------------------------------------------------------------------------------------

def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@needs_poppler
def test_print_task_table(capsys, ws, sqlite_url, office, tmp_path):
    target = tmp_path / "table.pdf"
    status, out, err = run(capsys, "--db", sqlite_url, "print", "task-table", "--plan", PLAN_EN, "--lang", "bilingual",
                           "--date", "2026-04-16", "-o", str(target))
    assert status == 0, err
    assert out.strip() == str(target)
    text = flat(target.read_bytes())
    assert squeeze(f"{PLAN}任务分解表") in text and "召开动员大会" in text and landscape(target.read_bytes())


@needs_poppler
def test_print_letters_makes_them_when_there_are_none_and_marks_them_printed(capsys, ws, sqlite_url, office, tmp_path, cli_user):
    cli_user(Role.OFFICE)
    assert resp.list_letters(ws, office.plan_id) == []
    target = tmp_path / "letters.pdf"
    status, out, err = run(capsys, "--db", sqlite_url, "print", "letters", "--plan", PLAN, "--kind", "target",
                           "--lang", "zh_CN", "-o", str(target))
    assert status == 0, err
    assert out.strip() == str(target)
    letters = resp.list_letters(ws, office.plan_id)
    assert [x.number for x in letters] == ["MB-2026-001", "MB-2026-002", "MB-2026-003", "MB-2026-004"]
    assert all(x.status is LetterStatus.PRINTED and x.printed_on == date.today() for x in letters)
    pages = pdf_pages(target.read_bytes())
    assert sum("编号" in page for page in pages) == 4 and "目标责任书" in pages[0]
    assert "党风廉政建设责任书" not in flat(target.read_bytes())


@needs_poppler
def test_print_letters_into_a_folder_one_file_each_both_kinds(capsys, ws, sqlite_url, office, tmp_path):
    office.letters("target")
    office.letters("clean_government")
    folder = tmp_path / "letters"
    status, out, err = run(capsys, "--db", sqlite_url, "print", "letters", "--plan", PLAN, "--lang", "en",
                           "-o", str(folder))
    assert status == 0, err
    files = sorted(folder.iterdir())
    assert len(files) == 8 and out.count("\n") == 8
    assert {f.name for f in files} >= {"Target responsibility letter General Office MB-2026-001.pdf",
                                       "Clean-government responsibility letter General Office LZ-2026-001.pdf"}
    assert "MB-2026-003" in flat(next(f for f in files if "MB-2026-003" in f.name).read_bytes())


def test_print_one_letter_into_a_folder(capsys, ws, sqlite_url, office, tmp_path, cli_user):
    """A plan with one department: -o FOLDER still means one file per letter."""
    cli_user(Role.OFFICE)
    plan, _c = resp.save_plan(ws, None, PlanInput("单部门计划", "annual", D("2026-01-01"), D("2026-12-31")))
    resp.save_task(ws, plan.id, None, TaskInput("完成年度监测任务", office.departments["局办公室"],
                                                leader_id=office.staff["王建国"], person_ids=(office.staff["张伟"],)))
    status, out, err = run(capsys, "--db", sqlite_url, "print", "letters", "--plan", "单部门计划", "--kind", "target",
                           "-o", str(tmp_path / "one"))
    assert status == 0, err
    assert len(list((tmp_path / "one").iterdir())) == 1


def test_a_signed_letter_printed_again_stays_signed(capsys, ws, sqlite_url, office, tmp_path):
    letter = office.letters("target")[0]
    resp.mark_printed(ws, [letter.id], D("2026-04-16"))
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n")
    resp.sign(ws, letter.id, D("2026-04-17"), scan, today=D("2026-04-17"))
    status, _out, err = run(capsys, "--db", sqlite_url, "print", "letters", "--plan", PLAN, "--kind", "target",
                            "-o", str(tmp_path / "x.pdf"))
    assert status == 0, err
    again = resp.get_letter(ws, letter.id)
    assert again.status is LetterStatus.SIGNED and again.printed_on == D("2026-04-16")


@pytest.mark.parametrize("document, extra, message", [
    ("task-table", ["--plan", "没有这个计划"], "No plan has the title 没有这个计划"),
    ("letters", ["--plan", "No such plan"], "No plan has the title No such plan"),
    ("letters", [], "--plan is required"),
    ("letters", ["--plan", "无人签字的计划"], "choose the signatories"),
])
def test_print_refuses_bad_input_in_one_line(capsys, ws, sqlite_url, office, tmp_path, document, extra, message, cli_user):
    cli_user(Role.OFFICE)
    plan, _c = resp.save_plan(ws, None, PlanInput("无人签字的计划", "annual", D("2026-01-01"), D("2026-12-31")))
    resp.save_task(ws, plan.id, None, TaskInput("无责任领导的任务", office.departments["局办公室"]))
    target = tmp_path / "x.pdf"
    status, _out, err = run(capsys, "--db", sqlite_url, "print", document, *extra, "-o", str(target))
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("envdesk: ") and message in err
    assert not target.exists()
    assert resp.list_letters(ws, plan.id) == []
