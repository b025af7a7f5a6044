"""The complaints register's documents: registration form, acceptance notice, written opinion, ledger."""

from __future__ import annotations

import gettext
import io
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from report_helpers import ISSUED, needs_poppler, pdf_fonts, pdf_info, pdf_pages, pdf_text, squeeze

from envdesk import i18n
from envdesk.app.complaints import CLOCK_LABELS, Clock, Complainant, Complaint, ComplaintSummary, Handling
from envdesk.domain.complaints import Channel, HandlingKind, Status
from envdesk.domain.deadlines import Deadline, Rule, Urgency
from envdesk.domain.reference import Bureau
from envdesk.reports import (
    KEY_CASES_TITLE,
    LEDGER,
    acceptance_notice_spec,
    ledger_spec,
    registration_form_spec,
    render,
    render_batch,
    reply_letter_spec,
)

LANGUAGES = ["zh_CN", "en", "bilingual"]

# Chinese for the documents' labels, as the translators are expected to write them; the tests install
# these in place of the zh_CN catalog, so they do not depend on the state of the real one.
CHINESE = {
    "Page {page} of {pages}": "第 {page} 页 共 {pages} 页",
    "(Seal)": "（盖章）",
    "Yes": "是",
    "No": "否",
    # shared with the register's screens
    "Channel": "来源渠道",
    "Received": "收到时间",
    "First receiver": "首问责任人",
    "Complainant": "信访人",
    "Subject": "被反映对象",
    "Town": "乡镇",
    "Location": "发生地点",
    "Pollution types": "污染类型",
    "Content": "反映内容",
    "Case leader": "包案领导",
    "Lead department": "承办部门",
    "Anonymous": "匿名",
    "Status": "状态",
    "Overdue": "已逾期",
    "No.": "序号",
    "Date": "日期",
    "Address": "地址",
    "Contact phone": "联系电话",
    "Prepared by": "填表人",
    "Reviewed by": "审核人",
    "As of {date}": "截至{date}",
    "Time limit": "办理时限",
    "Basis": "依据",
    "Same day": "当日办结",
    "Complaint number": "信访编号",
    "Legal basis: {basis}.": "依据：{basis}。",
    # the registration form
    "Complaint Registration Form": "信访登记表",
    "An environmental complaint as registered: receipt, complainant, matter, acceptance, time limits and "
    "assignment": "环境信访事项登记信息：收件、信访人、反映事项、受理、办理时限与交办",
    "Printed on": "打印日期",
    "I. Receipt": "一、收件情况",
    "II. Complainant": "二、信访人",
    "III. The matter": "三、反映事项",
    "IV. Repeat, skip-level and key cases": "四、重复、越级与重点信访",
    "V. Acceptance and time limits": "五、受理与办理时限",
    "VI. Assignment": "六、交办情况",
    "Name": "姓名",
    "Anonymous complaint": "匿名信访",
    "Parts of the complainant's identity are hidden, as the confidentiality rules require (Regulations on "
    "Letters and Visits, art. 30).": "信访人身份信息已按保密要求部分隐去（《信访工作条例》第三十条）。",
    "Repeat complaint": "重复信访",
    "Yes, repeats {numbers}": "是（重复 {numbers}）",
    "Skip-level complaint": "越级信访",
    "Key case": "重点信访事项",
    "Acceptance decision": "受理意见",
    "Not decided yet": "待审查",
    "Decided on": "决定日期",
    "Reason": "理由",
    "Transferred to": "转送单位",
    "Stage": "办理环节",
    "Counted from": "起算日",
    "Due on": "到期日",
    "Done": "完成情况",
    "Extended by {amount}": "延长{amount}",
    "No time limit is running yet.": "尚无计时的办理时限。",
    "Assigned on": "交办日期",
    "Person in charge": "承办人",
    "Assisting departments": "协办部门",
    "Not assigned yet.": "尚未交办。",
    "Extension": "延期",
    "Reason for extension": "延期理由",
    "Approved by": "批准人",
    "Approved on": "批准日期",
    "Registered by (signature)": "登记人（签字）",
    # the notice
    "Notice of Acceptance of a Complaint": "信访事项受理告知书",
    "Notice of Non-acceptance of a Complaint": "信访事项不予受理告知书",
    "Notice of Transfer of a Complaint": "信访事项转送告知书",
    "The bureau's decision on accepting a complaint, for the complainant": "告知信访人信访事项的受理情况",
    "Dear {name}:": "{name}：",
    "Dear complainant:": "信访人：",
    "On {received} you reported the following matter to this bureau (channel: {channel}; complaint number "
    "{number}):": "您于{received}通过{channel}向本局反映的信访事项（编号：{number}）收悉。您反映的主要内容是：",
    "Having examined it, this bureau accepted the matter on {decided}.": "经审查，本局已于{decided}依法受理该信访事项。",
    "This bureau will handle it and give you a written opinion within {limit} of the day it was accepted, that "
    "is by {due}.": "本局将自受理之日起{limit}内办理完毕并出具书面处理意见，即不迟于{due}。",
    "This bureau will handle it and give you a written opinion within {limit} of the day it was accepted.":
        "本局将自受理之日起{limit}内办理完毕并出具书面处理意见。",
    "This bureau will handle it and give you a written opinion within the time limit the law sets.":
        "本局将在法定期限内办理完毕并出具书面处理意见。",
    "Having examined it, this bureau decided on {decided} not to accept the matter, for the following reason:":
        "经审查，本局于{decided}决定不予受理，理由如下：",
    "Having examined it, this bureau decided on {decided} not to accept the matter.":
        "经审查，本局于{decided}决定不予受理。",
    "Having examined it, this bureau found that the matter is for {body} to handle, and transferred it there on "
    "{decided}. Please contact {body} about it from now on.":
        "经审查，该事项应由{body}处理，本局已于{decided}将其转送{body}。请您就该事项与{body}联系。",
    "the body responsible": "有权处理的机关",
    "This is to notify you.": "特此告知。",
    # the written opinion
    "Written Opinion on a Complaint": "信访事项处理意见书",
    "The bureau's written opinion on a complaint, with the complainant's right to a review":
        "信访事项处理意见及复查权利告知",
    "On {received} you reported the following matter to this bureau (channel: {channel}; complaint number "
    "{number}), and the bureau accepted it on {decided}:":
        "您于{received}通过{channel}向本局反映的信访事项（编号：{number}），本局已于{decided}受理。您反映的主要内容是：",
    "Our opinion on the matter is as follows.": "现将处理意见答复如下：",
    "Investigation and handling": "调查处理情况",
    "Opinion": "处理意见",
    "If you disagree with this opinion, you may request a review by the administrative body at the level above "
    "this bureau within {limit} of receiving it.":
        "如对本处理意见不服，可以自收到本意见书之日起{limit}内，向本局的上一级行政机关请求复查。",
    "If you disagree with this opinion, you may request a review by {body} within {limit} of receiving it.":
        "如对本处理意见不服，可以自收到本意见书之日起{limit}内，向{body}请求复查。",
    "This is our written reply.": "特此答复。",
    # the ledger
    "Complaints Ledger": "信访事项台账",
    "Key Complaint Cases Ledger": "重点信访事项台账",
    "Complaints received in a period, with their status and time limits": "一定时期内收到的信访事项及其办理状态和期限",
    "Received from {start} to {end}": "收到日期：{start}至{end}",
    "Total: {count} complaints; open: {open}, of which overdue: {overdue}; closed: {closed}; not accepted or "
    "transferred: {other}. Repeat: {repeat}; skip-level: {skip}; key cases: {key}.":
        "合计：信访事项 {count} 件，其中办理中 {open} 件（逾期 {overdue} 件），已办结 {closed} 件，不予受理或转送 {other} 件；"
        "重复信访 {repeat} 件，越级信访 {skip} 件，重点信访事项 {key} 件。",
    "No complaints were received in this period.": "本时段内无信访事项。",
    # values the documents print (the domain's labels)
    "12369 hotline (phone, WeChat, online)": "12369环保举报热线（电话、微信、网络）",
    "12345 hand-off": "12345热线转办",
    "Letter": "信函",  # also a follow-up method: 「来信」 would not fit there
    "Visit in person": "来访",
    "Online platform": "网上信访平台",
    "Phone": "电话",  # also a follow-up method
    "Fax": "传真",
    "Director's mailbox": "局长信箱",
    "Assigned by a higher level": "上级交办",
    "Registered": "已登记",
    "Accepted": "已受理",
    "Not accepted": "不予受理",
    "Transferred": "已转送",
    "Assigned": "已交办",
    "Replied": "已答复",
    "Followed up": "已回访",
    # The twinning register's item status has the same msgid "Closed" (已销号): the domain needs a context.
    "Closed": "已办结",
    "Site inspection": "现场检查",
    "Monitoring": "监测",
    "Enforcement action": "执法处理",
    "Mediation": "调解",
    "Air": "大气",
    "Odour": "异味",
    "Dust": "扬尘",
    "Cooking fumes": "餐饮油烟",
    "Noise": "噪声",
    "Construction noise": "建筑施工噪声",
    "Industrial noise": "工业噪声",
    "Industrial waste water": "工业废水",
    "Hazardous waste": "危险废物",
    "Acceptance": "受理",
    "Handling and written reply": "办理并书面答复",
    "First review": "复查",
    "Done on time": "按期完成",
    "Done late": "超期完成",
    "Due soon": "即将到期",
    "On track": "正常",
    "Regulations on Letters and Visits (2022), art. 22, 23": "《信访工作条例》（2022年）第二十二条、第二十三条",
    "Regulations on Letters and Visits (2022), art. 34": "《信访工作条例》（2022年）第三十四条",
    "Regulations on Letters and Visits (2022), art. 35": "《信访工作条例》（2022年）第三十五条",
}
CHINESE_PLURALS = {
    ("{count} working day", "{count} working days"): "{count} 个工作日",
    ("{count} calendar day", "{count} calendar days"): "{count} 个自然日",
}


@pytest.fixture(autouse=True)
def complaints_chinese(monkeypatch):
    """The documents' Chinese labels in place of the zh_CN catalog (see CHINESE)."""
    catalog = Catalog(locale="zh_CN")
    for msgid, text in CHINESE.items():
        catalog.add(msgid, text)
    for msgids, text in CHINESE_PLURALS.items():
        catalog.add(msgids, (text,))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    monkeypatch.setitem(i18n._cache, "zh_CN", gettext.GNUTranslations(buffer))


# --- sample values, as the app hands them over ------------------------------------------------------

ACCEPTANCE = Rule("complaints/acceptance", "Register and route", 15, "calendar_days",
                  "Regulations on Letters and Visits (2022), art. 22, 23")
HANDLING = Rule("complaints/handling", "Handle and give a written opinion", 60, "calendar_days",
                "Regulations on Letters and Visits (2022), art. 34")
REVIEW = Rule("complaints/review", "Answer a request for review", 30, "calendar_days",
              "Regulations on Letters and Visits (2022), art. 35")
HOTLINE = Rule("complaints/handling/12345", "Handle a 12345 hotline hand-off", 5, "working_days",
               "Local rules of the 12345 government service hotline")

RECEIVED = date(2026, 2, 10)
DECIDED = date(2026, 2, 12)
PERSON = Complainant(False, "李秀英", "13812345678", "青溪县城关镇解放路 18 号 3 幢 201 室", False)
MASKED = Complainant(False, "李**", "138****5678", "青溪县城关镇解放路***", True)
NOBODY = Complainant(True, "", "", "", False)
CONTENT = "宏达化工厂区夜间排放刺鼻气味，附近居民晚上不敢开窗，已持续两周，请求查处。"
# What the complainant did not say and the notice must never print: the register's data on the subject.
SUBJECT_DATA = ("青溪县宏达化工有限公司", "城关镇工业园区纬三路 8 号")


def clock(key: str, rule: Rule, start: date, due: date, done: date | None = None,
          urgency: Urgency = Urgency.ON_TRACK, extension: int = 0) -> Clock:
    deadline = Deadline(rule, start, due, extension, 0, False)
    return Clock(key, CLOCK_LABELS[key], deadline, done, urgency, (due - ISSUED).days)


def complaint(n: int = 1, **changes) -> Complaint:
    values = dict(
        id=n, number=f"XF-2026-{n:04d}", channel=Channel.HOTLINE_12369, received_date=RECEIVED,
        status=Status.ASSIGNED, complainant=PERSON, subject=SUBJECT_DATA[0], town="城关镇",
        pollution_types=("odour", "industrial_noise"), content=CONTENT, is_repeat=True, skip_level=False,
        key_case=True, lead_department="监察大队", due=date(2026, 4, 13), urgency=Urgency.ON_TRACK, version=5,
        received_at=datetime(2026, 2, 10, 1, 30, tzinfo=timezone.utc), first_receiver="王丽",
        enterprise_id=3, enterprise_name=SUBJECT_DATA[0], location=SUBJECT_DATA[1], case_leader="张建华",
        decided_on=DECIDED, assigned_on=date(2026, 2, 13), lead_person="陈晓东",
        assisting_departments=("监测站", "城关镇政府"),
        clocks=(clock("acceptance", ACCEPTANCE, RECEIVED, date(2026, 2, 25), DECIDED, Urgency.DONE_ON_TIME),
                clock("handling", HANDLING, DECIDED, date(2026, 4, 13))),
        handlings=(Handling(1, date(2026, 2, 14), HandlingKind.SITE_INSPECTION, "陈晓东",
                            "夜间突击检查，发现 RTO 焚烧炉旁路阀门开启，废气未经处理直排。"),
                   Handling(2, date(2026, 2, 16), HandlingKind.MONITORING, "周敏",
                            "厂界臭气浓度 42（无量纲），超过 GB 14554-93 二级标准。"),
                   Handling(3, date(2026, 2, 20), HandlingKind.ENFORCEMENT, "陈晓东",
                            "立案查处，责令立即改正，拟处罚款 12 万元。")),
        reply_text="经查，您反映的问题属实。我局已依法立案查处，责令企业立即关闭旁路阀门并对 RTO 焚烧炉进行检修。\n"
                   "下一步，我局将加强夜间巡查，并委托监测站每月开展一次厂界异味监测。",
        replied_on=date(2026, 3, 1), repeats=("XF-2025-0031", "XF-2025-0102"),
    )
    values.update(changes)
    return Complaint(**values)


def summary(n: int, **changes) -> ComplaintSummary:
    values = dict(
        id=n, number=f"XF-2026-{n:04d}", channel=Channel.HOTLINE_12369 if n % 3 else Channel.LETTER,
        received_date=date(2026, 1, 1) + timedelta(days=n % 80), status=Status.ASSIGNED,
        complainant=MASKED if n % 4 else NOBODY, subject=f"青溪县宏达化工有限公司{n}", town="城关镇",
        pollution_types=("odour",) if n % 2 else ("construction_noise", "dust"), content=CONTENT,
        is_repeat=n % 5 == 0, skip_level=n % 7 == 0, key_case=n % 11 == 0, lead_department="监察大队",
        due=date(2026, 4, 1), urgency=Urgency.ON_TRACK, version=1)
    values.update(changes)
    return ComplaintSummary(**values)


def sample_ledger() -> list[ComplaintSummary]:
    return [summary(1, due=date(2026, 2, 20), urgency=Urgency.OVERDUE),
            summary(2, status=Status.CLOSED, due=None, urgency=None),
            summary(3, status=Status.NOT_ACCEPTED, due=None, urgency=None, complainant=PERSON),
            summary(4, status=Status.REGISTERED, due=date(2026, 3, 5), channel=Channel.HANDOFF_12345),
            summary(5)]


def form_pdf(bureau, language, the_complaint=None) -> bytes:
    return render(registration_form_spec(bureau, the_complaint or complaint(), language, ISSUED))


def notice_pdf(bureau, language, the_complaint=None) -> bytes:
    return render(acceptance_notice_spec(bureau, the_complaint or complaint(), language, ISSUED))


def reply_pdf(bureau, language, the_complaint=None, **kw) -> bytes:
    return render(reply_letter_spec(bureau, the_complaint or complaint(), language, ISSUED, REVIEW, **kw))


def ledger_pdf(bureau, language, rows=None, **kw) -> bytes:
    return render(ledger_spec(bureau, sample_ledger() if rows is None else rows, date(2026, 1, 1),
                              date(2026, 3, 31), language, ISSUED, **kw))


def all_embedded(pdf: bytes, tmp_path) -> bool:
    rows = pdf_fonts(pdf, tmp_path)
    return bool(rows) and all(row[-5:-3] == ["yes", "yes"] for row in rows)


# --- the registration form ------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_prints_everything_registered(bureau, language, tmp_path):
    pdf = form_pdf(bureau, language)
    text = pdf_text(pdf)
    flat = squeeze(text)
    for value in ("XF-2026-0001", "王丽", "李秀英", "13812345678", "解放路18号3幢201室", "青溪县宏达化工有限公司",
                  "城关镇", "纬三路8号", squeeze(CONTENT), "XF-2025-0031", "XF-2025-0102", "张建华", "监察大队",
                  "陈晓东", "监测站", "城关镇政府"):
        assert squeeze(value) in flat, value
    assert all_embedded(pdf, tmp_path)
    assert pdf_info(pdf)["Creator"] == "EnvDesk"
    if language == "zh_CN":
        for label in ("信访登记表", "信访编号：XF-2026-0001", "打印日期：2026年3月2日", "来源渠道",
                      "12369环保举报热线（电话、微信、网络）", "收到时间", "2026年2月10日", "首问责任人", "姓名",
                      "被反映对象", "异味、工业噪声", "重复信访", "是（重复XF-2025-0031、XF-2025-0102）", "越级信访",
                      "重点信访事项", "包案领导", "受理意见", "已受理", "2026年2月12日", "办理并书面答复", "60个自然日",
                      "《信访工作条例》（2022年）第三十四条", "2026年4月13日", "按期完成", "15个自然日", "承办人",
                      "协办部门", "监测站、城关镇政府", "登记人（签字）：", "日期："):
            assert squeeze(label) in flat, label
        assert "Channel" not in text and "Odour" not in text
    if language == "en":
        for label in ("Complaint Registration Form", "Complaint number: XF-2026-0001", "Printed on: 2 Mar 2026",
                      "12369 hotline (phone, WeChat, online)", "First receiver", "Odour; Industrial noise",
                      "Yes, repeats XF-2025-0031; XF-2025-0102", "Case leader", "Accepted",
                      "Handling and written reply", "60 calendar days",
                      "Regulations on Letters and Visits (2022), art. 34", "13 Apr 2026", "Done on time",
                      "Registered by (signature):", "Date:"):
            assert squeeze(label) in flat, label
        assert "来源渠道" not in text
    if language == "bilingual":
        for label in ("信访登记表", "Complaint Registration Form", "来源渠道", "Channel", "异味、工业噪声",
                      "Odour; Industrial noise", "60个自然日", "60 calendar days", "登记人（签字）",
                      "Registered by (signature)"):
            assert squeeze(label) in flat, label


def test_the_form_is_named_after_the_complaint(bureau):
    spec = registration_form_spec(bureau, complaint(), "zh_CN", ISSUED)
    assert spec.title == "信访登记表"
    assert spec.suggested_file_name() == "信访登记表 XF-2026-0001.pdf"
    assert spec.layout.pagesize[0] < spec.layout.pagesize[1]  # portrait


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_anonymous_complaint_says_so_everywhere(bureau, language):
    anonymous = complaint(complainant=NOBODY)
    form = squeeze(pdf_text(form_pdf(bureau, language, anonymous)))
    notice = squeeze(pdf_text(notice_pdf(bureau, language, anonymous)))
    reply = squeeze(pdf_text(reply_pdf(bureau, language, anonymous)))
    if language != "en":
        assert "匿名信访" in form and "信访人：" in notice and "信访人：" in reply
    if language != "zh_CN":
        assert "Anonymouscomplaint" in form and "Dearcomplainant:" in notice and "Dearcomplainant:" in reply
    for flat in (form, notice, reply):
        assert "李秀英" not in flat and "13812345678" not in flat


@needs_poppler
def test_a_masked_complainant_prints_masked_with_a_note(bureau):
    flat = squeeze(pdf_text(form_pdf(bureau, "zh_CN", complaint(complainant=MASKED))))
    assert "李**" in flat and "138****5678" in flat and "解放路***" in flat
    assert "信访人身份信息已按保密要求部分隐去" in flat
    assert "李秀英" not in flat and "13812345678" not in flat
    # A notice never greets a masked name: it goes to the complainant, whom the reader may not know.
    notice = squeeze(pdf_text(notice_pdf(bureau, "zh_CN", complaint(complainant=MASKED))))
    assert "信访人：" in notice and "李**" not in notice


@needs_poppler
def test_a_registered_complaint_prints_its_running_clock_and_no_assignment(bureau):
    fresh = complaint(status=Status.REGISTERED, decided_on=None, assigned_on=None, lead_department="",
                      lead_person="", assisting_departments=(), is_repeat=False, repeats=(), key_case=False,
                      case_leader="", handlings=(),
                      clocks=(clock("acceptance", ACCEPTANCE, RECEIVED, date(2026, 2, 25), urgency=Urgency.OVERDUE),))
    flat = squeeze(pdf_text(form_pdf(bureau, "zh_CN", fresh)))
    assert "待审查" in flat and "尚未交办。" in flat and "已逾期" in flat and "2026年2月25日" in flat
    assert "重复信访否" in flat


@needs_poppler
def test_an_extension_is_on_the_form(bureau):
    extended = complaint(extension_days=30, extension_reason="需委托第三方开展溯源监测", extension_approved_by="张建华",
                         extension_approved_on=date(2026, 4, 1),
                         clocks=(clock("handling", HANDLING, DECIDED, date(2026, 5, 13), extension=30),))
    flat = squeeze(pdf_text(form_pdf(bureau, "zh_CN", extended)))
    for label in ("延期", "30个自然日", "延长30个自然日", "需委托第三方开展溯源监测", "批准人", "2026年4月1日",
                  "2026年5月13日"):
        assert label in flat, label


# --- the notice --------------------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_acceptance_notice_states_the_handling_limit_and_its_basis(bureau, language, tmp_path):
    pdf = notice_pdf(bureau, language)
    text = pdf_text(pdf)
    flat = squeeze(text)
    assert all_embedded(pdf, tmp_path)
    assert squeeze(CONTENT) in flat and "XF-2026-0001" in flat
    assert len(pdf_pages(pdf)) == 1
    if language != "en":
        for label in ("信访事项受理告知书", "李秀英：", "您于2026年2月10日通过12369环保举报热线（电话、微信、网络）",
                      "经审查，本局已于2026年2月12日依法受理该信访事项。", "本局将自受理之日起60个自然日内办理完毕",
                      "即不迟于2026年4月13日", "依据：《信访工作条例》（2022年）第三十四条。", "特此告知。", "（盖章）",
                      "2026年3月2日", "青溪县生态环境局"):
            assert squeeze(label) in flat, label
    if language != "zh_CN":
        for label in ("Notice of Acceptance of a Complaint", "Dear 李秀英:", "On 10 February 2026 you reported",
                      "accepted the matter on 12 February 2026", "within 60 calendar days of the day it was accepted, "
                      "that is by 13 April 2026", "Legal basis: Regulations on Letters and Visits (2022), art. 34.",
                      "This is to notify you.", "2 March 2026"):
            assert squeeze(label) in flat, label
    if language == "en":
        assert "受理" not in text


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_notice_tells_more_of_the_subject_than_the_complainant_said(bureau, language):
    for status in (Status.ASSIGNED, Status.NOT_ACCEPTED, Status.TRANSFERRED):
        text = pdf_text(notice_pdf(bureau, language, complaint(status=status, decision_reason="不属于本局职责",
                                                               transferred_to="县住建局")))
        flat = squeeze(text)
        for secret in (*SUBJECT_DATA, "张建华", "陈晓东", "王丽", "监察大队", "旁路阀门", "12万元", "XF-2025-0031"):
            assert squeeze(secret) not in flat, (status, secret)
        assert squeeze(CONTENT) in flat


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_not_accepted_notice_prints_the_reason_and_no_due_date(bureau, language):
    refused = complaint(status=Status.NOT_ACCEPTED, clocks=(clock("acceptance", ACCEPTANCE, RECEIVED,
                                                                  date(2026, 2, 25), DECIDED, Urgency.DONE_ON_TIME),),
                        decision_reason="该事项已进入行政复议程序，请依照复议程序办理。")
    spec = acceptance_notice_spec(bureau, refused, language, ISSUED)
    flat = squeeze(pdf_text(render(spec)))
    assert "该事项已进入行政复议程序，请依照复议程序办理。" in flat
    for due in ("2026年2月25日", "2026年4月13日", "25February2026", "13April2026", "60个自然日", "60calendardays"):
        assert due not in flat
    if language != "en":
        assert spec.title == "信访事项不予受理告知书" or language == "bilingual"
        assert "信访事项不予受理告知书" in flat and "本局于2026年2月12日决定不予受理，理由如下：" in flat
    if language != "zh_CN":
        assert "NoticeofNon-acceptanceofaComplaint" in flat and "nottoacceptthematter,forthefollowingreason:" in flat


@needs_poppler
def test_a_notice_without_a_reason_still_reads(bureau):
    flat = squeeze(pdf_text(notice_pdf(bureau, "zh_CN", complaint(status=Status.NOT_ACCEPTED, decision_reason=""))))
    assert "本局于2026年2月12日决定不予受理。" in flat and "理由如下" not in flat


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_transfer_notice_names_the_body(bureau, language):
    moved = complaint(status=Status.TRANSFERRED, transferred_to="青溪县住房和城乡建设局",
                      decision_reason="建筑施工噪声由住建部门监管")
    flat = squeeze(pdf_text(notice_pdf(bureau, language, moved)))
    assert "青溪县住房和城乡建设局" in flat and "建筑施工噪声由住建部门监管" in flat
    if language != "en":
        assert "信访事项转送告知书" in flat and "本局已于2026年2月12日将其转送青溪县住房和城乡建设局" in flat
    if language != "zh_CN":
        assert "NoticeofTransferofaComplaint" in flat and "transferreditthereon12February2026" in flat
        assert "Pleasecontact青溪县住房和城乡建设局" in flat
    assert "60个自然日" not in flat and "60calendardays" not in flat
    nameless = squeeze(pdf_text(notice_pdf(bureau, "zh_CN", replace(moved, transferred_to=""))))
    assert "转送有权处理的机关" in nameless


def test_the_notice_is_titled_by_the_decision(bureau):
    titles = {status: acceptance_notice_spec(bureau, complaint(status=status), "zh_CN", ISSUED).title
              for status in (Status.ACCEPTED, Status.CLOSED, Status.NOT_ACCEPTED, Status.TRANSFERRED)}
    assert titles == {Status.ACCEPTED: "信访事项受理告知书", Status.CLOSED: "信访事项受理告知书",
                      Status.NOT_ACCEPTED: "信访事项不予受理告知书", Status.TRANSFERRED: "信访事项转送告知书"}
    # The stored value (a string) works as well as the member.
    assert acceptance_notice_spec(bureau, complaint(status="transferred"), "en", ISSUED).title == \
        "Notice of Transfer of a Complaint"
    with pytest.raises(ValueError, match="no acceptance decision"):
        acceptance_notice_spec(bureau, complaint(status=Status.REGISTERED), "zh_CN", ISSUED)


@needs_poppler
def test_a_hotline_hand_off_states_its_own_limit_in_working_days(bureau):
    handoff = complaint(channel=Channel.HANDOFF_12345,
                        clocks=(clock("handling", HOTLINE, DECIDED, date(2026, 2, 26)),))
    flat = squeeze(pdf_text(notice_pdf(bureau, "en", handoff)))
    assert "within5workingdaysofthedayitwasaccepted,thatisby26February2026" in flat
    assert "Localrulesofthe12345governmentservicehotline" in flat
    # Once extended, the due date is not the limit's any more: the notice states the limit alone.
    extended = replace(handoff, extension_days=10, clocks=(clock("handling", HOTLINE, DECIDED, date(2026, 3, 12),
                                                                 extension=10),))
    flat = squeeze(pdf_text(notice_pdf(bureau, "en", extended)))
    assert "within5workingdaysofthedayitwasaccepted." in flat and "12March2026" not in flat


# --- the written opinion -----------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_opinion_tells_what_was_done_the_opinion_and_the_right_to_review(bureau, language, tmp_path):
    pdf = reply_pdf(bureau, language)
    text = pdf_text(pdf)
    flat = squeeze(text)
    assert all_embedded(pdf, tmp_path)
    for value in (CONTENT, "夜间突击检查，发现RTO焚烧炉旁路阀门开启", "厂界臭气浓度42（无量纲）", "拟处罚款12万元",
                  "经查，您反映的问题属实。", "下一步，我局将加强夜间巡查", "XF-2026-0001"):
        assert squeeze(value) in flat, value
    assert "周敏" not in flat  # who did it is internal
    if language != "en":
        for label in ("信访事项处理意见书", "李秀英：", "本局已于2026年2月12日受理", "现将处理意见答复如下：",
                      "一、调查处理情况", "（一）2026年2月14日，现场检查", "（二）2026年2月16日，监测",
                      "（三）2026年2月20日，执法处理", "二、处理意见",
                      "可以自收到本意见书之日起30个自然日内，向本局的上一级行政机关请求复查。",
                      "依据：《信访工作条例》（2022年）第三十五条。", "特此答复。", "（盖章）", "2026年3月2日"):
            assert squeeze(label) in flat, label
    if language == "en":
        assert "(1) 14 Feb 2026, Site inspection: 夜间突击检查" in text
    if language != "zh_CN":
        for label in ("Written Opinion on a Complaint", "Dear 李秀英:", "1. Investigation and handling",
                      "Site inspection", "Enforcement action", "2. Opinion", "request a review by the administrative body "
                      "at the level above this bureau within 30 calendar days of receiving it.",
                      "Legal basis: Regulations on Letters and Visits (2022), art. 35.", "This is our written reply."):
            assert squeeze(label) in flat, label


@needs_poppler
def test_the_review_limit_and_body_come_from_the_caller(bureau):
    rule = Rule("complaints/review", "Review", 45, "working_days", "")
    flat = squeeze(pdf_text(render(reply_letter_spec(bureau, complaint(handlings=()), "zh_CN", ISSUED, rule,
                                                     review_body="青溪市生态环境局"))))
    assert "可以自收到本意见书之日起45个工作日内，向青溪市生态环境局请求复查。" in flat
    assert "依据：" not in flat  # no basis set, no basis line
    # Without handling records the opinion is the first (and only) section.
    assert "一、处理意见" in flat and "调查处理情况" not in flat


def test_an_opinion_needs_a_reply_text(bureau):
    with pytest.raises(ValueError, match="no written reply"):
        reply_letter_spec(bureau, complaint(reply_text="  "), "zh_CN", ISSUED, REVIEW)


@needs_poppler
def test_a_long_complaint_is_summed_up_in_letters_and_whole_on_the_form(bureau):
    long_text = "".join(f"第{k}段：夜间气味刺鼻，影响休息。" for k in range(1, 80))
    wordy = complaint(content=long_text)
    notice = squeeze(pdf_text(notice_pdf(bureau, "zh_CN", wordy)))
    assert "第1段" in notice and "第79段" not in notice and "……" in notice
    form = squeeze(pdf_text(form_pdf(bureau, "zh_CN", wordy)))
    assert "第79段：夜间气味刺鼻，影响休息。" in form


# --- the ledger --------------------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ledger_lists_each_complaint_with_status_due_and_overdue_mark(bureau, language, tmp_path):
    pdf = ledger_pdf(bureau, language)
    text = pdf_text(pdf)
    flat = squeeze(text)
    assert all_embedded(pdf, tmp_path)
    for value in ("XF-2026-0001", "XF-2026-0005", "李**", "138****5678", "李秀英", "青溪县宏达化工有限公司3", "城关镇",
                  "监察大队"):
        assert squeeze(value) in flat, value
    if language == "zh_CN":
        for label in ("信访事项台账", "收到日期：2026年1月1日至2026年3月31日", "截至2026年3月2日", "序号", "信访编号",
                      "来源渠道", "信访人", "被反映对象", "污染类型", "承办部门", "到期日", "12345热线转办", "信函",
                      "匿名", "异味", "建筑施工噪声、扬尘", "已交办", "已办结", "不予受理", "已登记", "2026/2/20",
                      "已逾期", "合计：信访事项5件，其中办理中3件（逾期1件），已办结1件，不予受理或转送1件；"
                      "重复信访1件，越级信访0件，重点信访事项0件。", "填表人：", "审核人："):
            assert squeeze(label) in flat, label
        assert flat.count("已逾期") == 2  # the header and complaint 1 (4's clock has not run out on 2 March)
        assert "Channel" not in text
    if language == "en":
        for label in ("Complaints Ledger", "Received from 1 January 2026 to 31 March 2026", "Complaint number",
                      "Lead department", "Construction noise; Dust", "Anonymous", "Not accepted", "20/02/2026",
                      "Total: 5 complaints; open: 3, of which overdue: 1; closed: 1; not accepted or transferred: 1."):
            assert squeeze(label) in flat, label
    if language == "bilingual":
        for label in ("信访事项台账", "Complaints Ledger", "来源渠道", "Channel", "已逾期", "Overdue", "合计：信访事项5件",
                      "Total: 5 complaints"):
            assert squeeze(label) in flat, label


def test_the_ledger_is_landscape_and_the_key_case_ledger_has_its_own_title(bureau):
    spec = ledger_spec(bureau, sample_ledger(), date(2026, 1, 1), date(2026, 3, 31), "zh_CN", ISSUED)
    assert spec.layout is LEDGER and spec.title == "信访事项台账"
    assert spec.suggested_file_name() == "信访事项台账 2026-01-01–2026-03-31.pdf"
    key = ledger_spec(bureau, sample_ledger(), date(2026, 1, 1), date(2026, 12, 31), "en", ISSUED,
                      title_msgid=KEY_CASES_TITLE)
    assert key.title == "Key Complaint Cases Ledger"


@needs_poppler
def test_the_key_case_ledger_prints_its_title(bureau):
    flat = squeeze(pdf_text(ledger_pdf(bureau, "bilingual", [summary(11, key_case=True)], title_msgid=KEY_CASES_TITLE)))
    assert "重点信访事项台账" in flat and "KeyComplaintCasesLedger" in flat and "重点信访事项1件" in flat


@needs_poppler
def test_an_empty_ledger_says_so(bureau):
    flat = squeeze(pdf_text(ledger_pdf(bureau, "zh_CN", [])))
    assert "本时段内无信访事项。" in flat and "合计：信访事项0件" in flat and "序号" in flat


@needs_poppler
def test_three_hundred_complaints_span_pages_with_the_header_repeated(bureau):
    rows = [summary(n, due=date(2026, 2, 1) if n % 9 == 0 else date(2026, 4, 1)) for n in range(1, 301)]
    pages = pdf_pages(ledger_pdf(bureau, "bilingual", rows))
    assert len(pages) >= 8
    for number, page in enumerate(pages, 1):
        flat = squeeze(page)
        assert "信访编号" in flat and "Complaintnumber" in flat and "承办部门" in flat and "Leaddepartment" in flat
        assert f"第{number}页共{len(pages)}页" in flat
    flat = squeeze("".join(pages))
    assert all(f"XF-2026-{n:04d}" in flat for n in range(1, 301))
    assert "合计：信访事项300件，其中办理中300件（逾期33件）" in flat
    assert "合计" in squeeze(pages[-1]) and "审核人" in squeeze(pages[-1])


# --- all of them ---------------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_markup_in_what_people_typed_prints_as_typed(language):
    bureau = Bureau('环保<b>局 & "Co"', '<i>Eco</i> & "Bureau"')
    odd = complaint(
        complainant=Complainant(False, "李<b>英", "138 & 5678", "解放路<br/>18号", False),
        content="气味 <b>刺鼻</b> & 噪声 <font>", enterprise_name="宏达<化工> & 材料", town="城关<镇>",
        location="纬三路 <8> 号", first_receiver="王&丽", case_leader="张<i>华", lead_department="监察&大队",
        lead_person="陈<b>东", decision_reason="理由 <u>x</u> & y", repeats=("XF<1>",),
        handlings=(Handling(1, date(2026, 2, 14), HandlingKind.OTHER, "x", "检查 <b>&amp;</b> 完毕"),),
        reply_text="答复 <i>文本</i> & 更多")
    form = squeeze(pdf_text(form_pdf(bureau, language, odd)))
    for value in ("李<b>英", "138 & 5678", "解放路<br/>18号", "气味 <b>刺鼻</b> & 噪声 <font>", "宏达<化工> & 材料",
                  "城关<镇>", "纬三路 <8> 号", "王&丽", "张<i>华", "监察&大队", "陈<b>东", "理由 <u>x</u> & y", "XF<1>"):
        assert squeeze(value) in form, value
    notice = squeeze(pdf_text(notice_pdf(bureau, language, odd)))
    reply = squeeze(pdf_text(reply_pdf(bureau, language, odd, review_body="市<局> & 委")))
    for flat in (notice, reply):
        assert squeeze("李<b>英") in flat and squeeze("气味 <b>刺鼻</b> & 噪声 <font>") in flat
    assert squeeze("检查 <b>&amp;</b> 完毕") in reply and squeeze("答复 <i>文本</i> & 更多") in reply
    assert squeeze("市<局> & 委") in reply
    ledger = squeeze(pdf_text(ledger_pdf(bureau, language, [summary(1, subject="宏达<化工> & 材料", town="城<关>",
                                                                      lead_department="监察&大队")])))
    for value in ("宏达<化工> & 材料", "城<关>", "监察&大队"):
        assert squeeze(value) in ledger, value
    if language != "en":
        assert squeeze('环保<b>局 & "Co"') in form and squeeze('环保<b>局 & "Co"') in notice
    else:
        assert squeeze('<i>Eco</i> & "Bureau"') in reply


@needs_poppler
def test_labels_follow_the_document_language_not_the_interface(bureau):
    i18n.set_language("zh_CN")
    try:
        english = "".join(pdf_text(pdf) for pdf in (form_pdf(bureau, "en"), notice_pdf(bureau, "en"),
                                                    reply_pdf(bureau, "en"), ledger_pdf(bureau, "en")))
    finally:
        i18n.set_language("en")
    assert "Complaint Registration Form" in english and "Complaints Ledger" in english
    assert not any(label in english for label in ("来源渠道", "信访登记表", "特此告知", "第1页", "个自然日"))


@needs_poppler
def test_the_four_documents_print_as_one_batch(bureau, tmp_path):
    specs = [registration_form_spec(bureau, complaint(), "bilingual", ISSUED),
             acceptance_notice_spec(bureau, complaint(), "bilingual", ISSUED),
             reply_letter_spec(bureau, complaint(), "bilingual", ISSUED, REVIEW),
             ledger_spec(bureau, sample_ledger(), date(2026, 1, 1), date(2026, 3, 31), "bilingual", ISSUED)]
    (path,) = render_batch(specs, tmp_path / "all.pdf", one_file=True)
    pages = [squeeze(page) for page in pdf_pages(path.read_bytes())]
    order = [next(n for n, page in enumerate(pages) if title in page)
             for title in ("ComplaintRegistrationForm", "NoticeofAcceptance", "WrittenOpinion", "ComplaintsLedger")]
    assert order == sorted(order) and order[0] == 0
    assert "Page1of1" in pages[order[3]]
