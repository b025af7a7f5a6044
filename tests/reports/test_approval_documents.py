"""The approvals register's documents: notice of acceptance, one-time notification, notice of suspension, ledger
and summary, from cases built through the register's use cases; and their `envdesk print` commands."""

from __future__ import annotations

import gettext
import io
from datetime import date

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from report_helpers import needs_poppler, pdf_fonts, pdf_info, pdf_pages, pdf_text, squeeze

from envdesk import i18n
from envdesk.app import approvals, enterprises, reference
from envdesk.app import settings as settings_app
from envdesk.app.approvals import ProjectInput
from envdesk.app.enterprises import EnterpriseInput
from envdesk.cli import main
from envdesk.reports import LEDGER, OFFICIAL, render
from envdesk.reports.approvals import (
    acceptance_notice_spec,
    approvals_ledger_spec,
    approvals_summary_spec,
    missing_materials_spec,
    pause_notice_spec,
)

D = date.fromisoformat
LANGUAGES = ["zh_CN", "en", "bilingual"]
ISSUED = D("2026-10-20")

# Chinese for the documents' labels, as the translators are expected to write them; the tests install these in
# place of the zh_CN catalog, so they do not depend on the state of the real one.
CHINESE = {
    "Page {page} of {pages}": "第 {page} 页 共 {pages} 页",
    "(Seal)": "（盖章）",
    "Same day": "当日办结",
    # shared with the register's screens and the complaint documents
    "Project": "项目名称",
    "Builder": "建设单位",
    "Document type": "环评文件类型",
    "Approval track": "审批通道",
    "Received on": "收件日期",
    "Accepted on": "受理日期",
    "Closed on": "办结日期",
    "Approval No.": "批复文号",
    "Status": "状态",
    "(Contact person: {person}; phone: {phone})": "（联系人：{person}，联系电话：{phone}）",
    "Reason": "理由",
    "No.": "序号",
    "Date": "日期",
    "Overdue": "已逾期",
    "Prepared by": "填表人",
    "Reviewed by": "审核人",
    "As of {date}": "截至{date}",
    "Total": "合计",
    "Month": "月份",
    "Count": "件数",
    "Overall figures": "总体情况",
    "Legal basis: {basis}.": "依据：{basis}。",
    "This is to notify you.": "特此告知。",
    "Case number": "受理编号",
    "To {builder}:": "{builder}：",
    "Administrative Licensing Law, art. 45": "《中华人民共和国行政许可法》第四十五条",
    # the notice of acceptance
    "Notice of Acceptance of an EIA Document": "建设项目环境影响评价文件受理通知书",
    "On {received} this bureau received your {document_type} for the project “{project}” (case number {number}).":
        "你单位于{received}报送的《{project}》{document_type}（受理编号：{number}）收悉。",
    "Having examined it, this bureau found the application complete and in the required form, and accepted it on "
    "{accepted}.": "经审查，申请材料齐全、符合法定形式，本局已于{accepted}予以受理。",
    "You supplied the missing materials listed in this bureau's one-time notification of {notified}, and this "
    "bureau accepted the application on {accepted}.":
        "你单位已按本局{notified}的一次性告知补正全部材料，本局已于{accepted}予以受理。",
    "As this bureau did not list the missing materials within {limit} of receipt, the application counts by law "
    "as accepted on the day it was received, {received}.":
        "本局未在收到申请材料之日起{limit}内一次性告知需要补正的全部内容，依法自收到申请材料之日（{received}）起即为受理。",
    "This bureau will decide on the application within {statutory} of acceptance, that is by {statutory_due} "
    "(statutory limit), and has promised to decide within {promised}, that is by {promised_due}.":
        "本局将自受理之日起{statutory}内（即{statutory_due}前）作出审批决定；本局承诺{promised}内（即{promised_due}前）办结。",
    "This bureau will decide on the application within {statutory} of acceptance (statutory limit), and has "
    "promised to decide within {promised}.": "本局将自受理之日起{statutory}内作出审批决定；本局承诺{promised}内办结。",
    "Basis of the statutory limit: {statutory_basis}; of the promised limit: {promised_basis}.":
        "法定时限依据：{statutory_basis}；承诺时限依据：{promised_basis}。",
    "The time needed for expert review, technical evaluation, public notice and your revisions is not counted in "
    "these limits; this bureau will tell you of it in writing ({basis}).":
        "专家评审、技术评估、公示以及你单位补正修改所需时间不计算在上述期限内，本局将书面告知所需时间（{basis}）。",
    # the one-time notification
    "One-time Notification of Missing Materials": "补正材料一次性告知书",
    "Having examined it, this bureau found that the application lacks the materials below, which it lists here "
    "all at once:": "经审查，申请材料不齐全。现将需要补正的全部内容一次性告知如下：",
    "Please submit all of the materials listed above. Once you have submitted them all, this bureau will accept "
    "the application, and the time limit for the decision runs from acceptance.":
        "请你单位按上述要求补正全部材料。补正材料齐全后，本局将予以受理，审批时限自受理之日起计算。",
    "This notification is given on {notified}, within {limit} of receipt.":
        "本告知于{notified}作出，在收到申请材料之日起{limit}内。",
    "This notification is given on {notified}.": "本告知于{notified}作出。",
    # the notice of suspension
    "Notice of Suspension of the Time Limit": "暂停计时告知书",
    "On {accepted} this bureau accepted your {document_type} for the project “{project}” (case number {number}).":
        "本局已于{accepted}受理你单位报送的《{project}》{document_type}（受理编号：{number}）。",
    "From {start} the application is in the following stage, and the time limit is suspended: {kind}.":
        "自{start}起，该申请进入{kind}程序，暂停计时。",
    "This stage ended on {end}; the time limit runs again from {resumed}.": "该程序已于{end}结束，自{resumed}起恢复计时。",
    "The time limit runs again from the day after this stage ends; this bureau will tell you when it does.":
        "该程序结束后，自次日起恢复计时，本局将另行告知。",
    "This period is not counted in the time limit for the decision ({basis}); this notice tells you of it in "
    "writing, as the law requires.": "上述期间不计算在审批时限内（{basis}），本告知书即为书面告知。",
    "The decision is therefore now due by {promised_due} under the promised limit, and by {statutory_due} under "
    "the statutory limit.": "据此，本局承诺时限顺延至{promised_due}，法定时限顺延至{statutory_due}。",
    # the ledger
    "EIA Approvals Ledger": "环评审批台账",
    "Key Projects EIA Approvals Ledger": "重点项目环评审批台账",
    "Period: {start} to {end}": "统计时段：{start}至{end}",
    "Statutory due date": "法定时限届满日",
    "Promised due date": "承诺时限届满日",
    "Working days used": "审批用时（工作日）",
    "Total: {count} projects; under review: {open}, of which overdue: {overdue}; approved: {approved}; not "
    "approved: {not_approved}; filed: {filed}; exempt: {exempt}; being prepared: {preparing}; withdrawn: "
    "{withdrawn}. Key projects: {key}.":
        "合计：项目 {count} 个，其中审查中 {open} 个（逾期 {overdue} 个），已批复 {approved} 个，不予批复 {not_approved} 个，"
        "已备案 {filed} 个，豁免 {exempt} 个，编制中 {preparing} 个，已撤回 {withdrawn} 个；重点项目 {key} 个。",
    "No project entered the register in this period.": "本时段内无项目。",
    # the summary
    "Summary of EIA Approvals": "环评审批工作情况汇总",
    "Summary of EIA Approvals for Key Projects": "重点项目环评审批工作情况汇总",
    "Of {total} projects, {reports} need a report book or form: {approved} approved, {under_review} under review, "
    "{preparing} being prepared; {registrations} need a registration form: {filed} filed, {exempt} exempt.":
        "{total}个项目中，需编制环评报告书（表）的{reports}个，其中已批复{approved}个、在审{under_review}个、编制中"
        "{preparing}个；需填报环评登记表的{registrations}个，其中已备案{filed}个、豁免{exempt}个。",
    "Of {total} key projects, {reports} need a report book or form: {approved} approved, {under_review} under "
    "review, {preparing} being prepared; {registrations} need a registration form: {filed} filed, {exempt} exempt.":
        "{total}个重点项目中，需编制环评报告书（表）的{reports}个，其中已批复{approved}个、在审{under_review}个、编制中"
        "{preparing}个；需填报环评登记表的{registrations}个，其中已备案{filed}个、豁免{exempt}个。",
    "{decided} applications were decided or filed: {statutory} within the statutory limit ({statutory_rate}), "
    "{promised} within the promised limit ({promised_rate}).":
        "已办结{decided}件，其中在法定时限内办结{statutory}件（{statutory_rate}），在承诺时限内办结{promised}件"
        "（{promised_rate}）。",
    "Report books and forms were decided on average {faster} faster than the statutory limit.":
        "报告书（表）审批用时平均比法定时限缩短{faster}。",
    "{overdue} open applications are past their time limit.": "尚有{overdue}件申请超过办理时限未办结。",
    "Projects by document type": "按环评文件类型统计",
    "Time taken by decided applications": "审批用时",
    "Projects by month": "按月份统计",
    "Report books": "报告书",
    "Report forms": "报告表",
    "Report books and forms": "报告书（表）小计",
    "Registration forms": "登记表",
    "Approved or filed": "已批复（备案）",
    "Not approved": "不予批复",
    "Under review": "在审",
    "Being prepared": "编制中",
    "Exempt": "豁免",
    "Withdrawn": "已撤回",
    "Average working days": "平均用时（工作日）",
    "Within the statutory limit": "法定时限内办结",
    "Within the promised limit": "承诺时限内办结",
    "Faster than statutory": "较法定时限提速",
    "No application was decided in this period.": "本时段内无办结的申请。",
    "Decided or filed": "办结件数",
    "Document type (track)": "环评文件类型（审批通道）",
    "Share": "占比",
    "Working days from acceptance to decision (for a registration form, from receipt to filing), pauses not counted. "
    "“Faster than statutory” is 1 − the average days used ÷ the statutory limit.":
        "审批用时为自受理至作出决定（登记表为自收件至备案）的工作日数，不含暂停计时期间。“较法定时限提速”＝1－平均用时÷法定时限。",
    # values the documents print (the domain's labels and the settings' default bases)
    "EIA report book": "环境影响报告书",
    "EIA report form": "环境影响报告表",
    "EIA registration form": "环境影响登记表",
    "Normal track": "普通",
    "Application received": "已收件",
    "Green channel": "绿色通道",
    "Expert review": "专家评审",
    "Approved": "已批复",
    "Filed": "已备案",
    "Paused": "暂停计时",
    "Missing materials requested": "待补正",
    "Environmental Impact Assessment Law, art. 22": "《中华人民共和国环境影响评价法》第二十二条",
    "The bureau's public service commitment": "本局公开服务承诺",
    "Administrative Licensing Law, art. 32": "《中华人民共和国行政许可法》第三十二条",
}
CHINESE_PLURALS = {
    ("{count} working day", "{count} working days"): "{count} 个工作日",
    ("{count} calendar day", "{count} calendar days"): "{count} 日",
}


@pytest.fixture(autouse=True)
def approvals_chinese(monkeypatch):
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


# --- cases, built through the register's use cases ---------------------------------------------------------

BUILDER = "青溪县宏达化工有限公司"
PROJECT = "年产5万吨饲料加工项目"
ITEMS = ["环评报告表（盖章版）", "土地预审意见"]


def _office(ws, builder_name=BUILDER):
    town, _c = reference.save_town(ws, None, "城关镇")
    clerk = reference.save_staff(ws, None, "李审批")[0]
    builder, _c = enterprises.save_enterprise(ws, None, EnterpriseInput(
        builder_name, credit_code="91350100M000100Y43", town_id=town.id))
    for key, value in (("bureau/name_zh", "青溪县生态环境局"),
                       ("bureau/name_en", "Qingxi County Ecology and Environment Bureau")):
        settings_app.set_value(ws, key, value)
    return town, clerk, builder


def project(builder, clerk, **kwargs) -> ProjectInput:
    values = {"name": PROJECT, "builder_id": builder.id, "document_type": "report_form",
              "project_code": "2026-350100-13-03-000123", "location": "城关镇工业园", "total_investment": "3200",
              "key_project": True, "handler_id": clerk.id}
    values.update(kwargs)
    return ProjectInput(**values)


def decided_case(ws, builder, clerk, **kwargs):
    """SP-2026-0001: received, missing materials notified, accepted, paused for expert review, resumed, approved."""
    items = kwargs.pop("items", ITEMS)
    case, _c = approvals.register(ws, project(builder, clerk, **kwargs), received_on=D("2026-09-21"),
                                  today=D("2026-09-21"))
    case, _c = approvals.request_materials(ws, case.id, D("2026-09-23"), items, today=D("2026-09-23"))
    case, _c = approvals.accept(ws, case.id, D("2026-09-24"), today=D("2026-09-24"))
    case, _c = approvals.pause(ws, case.id, "expert_review", D("2026-09-28"), "专家技术评审会", today=D("2026-09-30"))
    case, _c = approvals.resume(ws, case.id, D("2026-10-09"), today=D("2026-10-12"))
    case, _c = approvals.decide(ws, case.id, "approved", D("2026-10-13"), "青环审〔2026〕41号", today=D("2026-10-13"))
    return approvals.get_case(ws, case.id, today=ISSUED)


def fresh_case(ws, builder, clerk, **kwargs):
    """A report book accepted on the day it arrived, no pause: both due dates are known."""
    case, _c = approvals.register(ws, project(builder, clerk, name="化工园区污水处理厂扩建项目",
                                              document_type="report_book", **kwargs),
                                  received_on=D("2026-08-03"), today=D("2026-08-03"))
    case, _c = approvals.accept(ws, case.id, D("2026-08-03"), today=D("2026-08-03"))
    return approvals.get_case(ws, case.id, today=ISSUED)


def paused_case(ws, builder, clerk):
    """Accepted and paused for expert review, still paused."""
    case, _c = approvals.register(ws, project(builder, clerk, name="城关镇垃圾中转站项目"), received_on=D("2026-10-12"),
                                  today=D("2026-10-12"))
    case, _c = approvals.accept(ws, case.id, D("2026-10-13"), today=D("2026-10-13"))
    case, _c = approvals.pause(ws, case.id, "expert_review", D("2026-10-15"), "召开专家技术评审会 <b>第一次</b> & 复核",
                               today=D("2026-10-15"))
    return approvals.get_case(ws, case.id, today=ISSUED)


def received_case(ws, builder, clerk):
    case, _c = approvals.register(ws, project(builder, clerk, name="未受理项目", key_project=False),
                                  received_on=D("2026-10-19"), today=D("2026-10-19"))
    return approvals.get_case(ws, case.id, today=ISSUED)


@pytest.fixture
def office(ws):
    return _office(ws)


@pytest.fixture
def bureau(ws, office):
    return reference.get_bureau(ws)


def pdf(spec) -> bytes:
    return render(spec)


def flat(spec) -> str:
    return squeeze(pdf_text(render(spec)))


def all_embedded(data: bytes, tmp_path) -> bool:
    rows = pdf_fonts(data, tmp_path)
    return bool(rows) and all(row[-5:-3] == ["yes", "yes"] for row in rows)


# --- the notice of acceptance ------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_acceptance_notice_states_both_limits_their_bases_and_art_45(ws, office, bureau, language, tmp_path):
    _town, clerk, builder = office
    case = fresh_case(ws, builder, clerk)
    data = render(acceptance_notice_spec(bureau, case, language, ISSUED))
    text = squeeze(pdf_text(data))
    assert all_embedded(data, tmp_path)
    assert pdf_info(data)["Creator"] == "EnvDesk"
    for value in (BUILDER, "化工园区污水处理厂扩建项目", case.number, "李审批"):
        assert squeeze(value) in text, value
    if language != "en":
        for line in ("建设项目环境影响评价文件受理通知书", f"{BUILDER}：", "你单位于2026年8月3日报送的《化工园区污水处理厂扩建项目》"
                     "环境影响报告书（受理编号：SP-2026-0001）收悉。", "本局已于2026年8月3日予以受理",
                     "本局将自受理之日起60个工作日内（即2026年10月30日前）作出审批决定；本局承诺15个工作日内（即2026年8月24日前）办结。",
                     "法定时限依据：《中华人民共和国环境影响评价法》第二十二条；承诺时限依据：本局公开服务承诺。",
                     "不计算在上述期限内", "《中华人民共和国行政许可法》第四十五条", "特此告知。", "（盖章）",
                     "2026年10月20日（联系人：李审批，联系电话：____________）" if language == "zh_CN" else
                     "20October2026（联系人：李审批，联系电话：____________）"):
            assert squeeze(line) in text, line
    if language == "zh_CN":
        assert "Notice" not in text and "working" not in text
    if language != "zh_CN":
        for line in ("Notice of Acceptance of an EIA Document", f"To {BUILDER}:",
                     "received your EIA report book for the project “化工园区污水处理厂扩建项目” "
                     "(case number SP-2026-0001)", "accepted it on 3 August 2026",
                     "within 60 working days of acceptance, that is by 30 October 2026 (statutory limit)",
                     "within 15 working days, that is by 24 August 2026",
                     "Basis of the statutory limit: Environmental Impact Assessment Law, art. 22; of the promised "
                     "limit: The bureau's public service commitment.", "(Administrative Licensing Law, art. 45)",
                     "This is to notify you.", "(Contact person: 李审批; phone: ____________)"):
            assert squeeze(line) in text, line


@needs_poppler
def test_after_a_pause_the_notice_states_the_limits_without_dates_and_tells_of_the_notification(ws, office, bureau):
    _town, clerk, builder = office
    case = decided_case(ws, builder, clerk)
    text = flat(acceptance_notice_spec(bureau, case, "zh_CN", ISSUED))
    assert squeeze("你单位已按本局2026年9月23日的一次性告知补正全部材料，本局已于2026年9月24日予以受理。") in text
    assert squeeze("本局将自受理之日起30个工作日内作出审批决定；本局承诺7个工作日内办结。") in text
    assert "即2026" not in text  # the pause moved the due dates: the notice does not print stale ones


@needs_poppler
def test_a_case_deemed_accepted_on_receipt_says_so(ws, office, bureau):
    _town, clerk, builder = office
    case, _c = approvals.register(ws, project(builder, clerk), received_on=D("2026-09-21"), today=D("2026-09-21"))
    case, _c = approvals.accept(ws, case.id, D("2026-10-09"), today=D("2026-10-09"))
    assert case.deemed_accepted_on_receipt
    for language, sentence in (
            ("zh_CN", "本局未在收到申请材料之日起5日内一次性告知需要补正的全部内容，依法自收到申请材料之日（2026年9月21日）起即为受理。"
                      "依据：《中华人民共和国行政许可法》第三十二条。"),
            ("en", "As this bureau did not list the missing materials within 5 calendar days of receipt, the "
                   "application counts by law as accepted on the day it was received, 21 September 2026. Legal "
                   "basis: Administrative Licensing Law, art. 32.")):
        text = flat(acceptance_notice_spec(bureau, case, language, ISSUED))
        assert squeeze(sentence) in text
    assert "予以受理" not in flat(acceptance_notice_spec(bureau, case, "zh_CN", ISSUED))


@needs_poppler
def test_a_basis_an_administrator_typed_prints_as_typed(ws, office, bureau):
    _town, clerk, builder = office
    settings_app.set_value(ws, "approvals/statutory/report_book/basis", "《生态环境法典》第<b>X</b>条 & 附则")
    case = fresh_case(ws, builder, clerk)
    for language in LANGUAGES:
        assert squeeze("《生态环境法典》第<b>X</b>条 & 附则") in flat(acceptance_notice_spec(bureau, case, language, ISSUED))


def test_the_notice_is_refused_before_acceptance_and_for_a_registration_form(ws, office, bureau):
    _town, clerk, builder = office
    with pytest.raises(ValueError, match="has not been accepted yet"):
        acceptance_notice_spec(bureau, received_case(ws, builder, clerk), "zh_CN", ISSUED)
    form, _c = approvals.register(ws, project(builder, clerk, document_type="registration_form"),
                                  received_on=D("2026-10-19"), today=D("2026-10-19"))
    with pytest.raises(ValueError, match="registration form"):
        acceptance_notice_spec(bureau, form, "en", ISSUED)
    i18n.set_language("zh_CN")  # the message is in the interface language (the catalog may not have it yet)
    try:
        with pytest.raises(ValueError, match="SP-2026-0001"):
            acceptance_notice_spec(bureau, approvals.get_case(ws, 1, today=ISSUED), "en", ISSUED)
    finally:
        i18n.set_language("en")


# --- the one-time notification ---------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_one_time_notification_lists_every_item_with_the_five_day_rule(ws, office, bureau, language, tmp_path):
    _town, clerk, builder = office
    case = decided_case(ws, builder, clerk)
    data = render(missing_materials_spec(bureau, case, language, ISSUED))
    pages = pdf_pages(data)
    text = squeeze("".join(pages))
    assert len(pages) == (1 if language != "bilingual" else 2) and all_embedded(data, tmp_path)
    assert squeeze("1. 环评报告表（盖章版）") in text and squeeze("2. 土地预审意见") in text
    if language != "en":
        for line in ("补正材料一次性告知书", "你单位于2026年9月21日报送的《年产5万吨饲料加工项目》环境影响报告表（受理编号：SP-2026-0001）收悉。"
                     "经审查，申请材料不齐全。现将需要补正的全部内容一次性告知如下：",
                     "补正材料齐全后，本局将予以受理，审批时限自受理之日起计算。",
                     "本告知于2026年9月23日作出，在收到申请材料之日起5日内。依据：《中华人民共和国行政许可法》第三十二条。",
                     "第1页共"):
            assert squeeze(line) in text, line
    if language != "zh_CN":
        for line in ("One-time Notification of Missing Materials", "lists here all at once:",
                     "Once you have submitted them all, this bureau will accept the application",
                     "This notification is given on 23 September 2026, within 5 calendar days of receipt. "
                     "Legal basis: Administrative Licensing Law, art. 32."):
            assert squeeze(line) in text, line


@needs_poppler
def test_a_late_notification_does_not_claim_to_be_in_time(ws, office, bureau):
    _town, clerk, builder = office
    case, _c = approvals.register(ws, project(builder, clerk), received_on=D("2026-03-02"), today=D("2026-03-02"))
    case, _c = approvals.request_materials(ws, case.id, D("2026-03-16"), ["附件"], today=D("2026-03-16"))
    text = flat(missing_materials_spec(bureau, case, "en", ISSUED))
    assert squeeze("This notification is given on 16 March 2026. Legal basis:") in text
    assert "within" not in pdf_text(render(missing_materials_spec(bureau, case, "en", ISSUED))).split("given on")[1]


def test_the_notification_is_refused_when_none_was_recorded(ws, office, bureau):
    _town, clerk, builder = office
    with pytest.raises(ValueError, match="No one-time notification"):
        missing_materials_spec(bureau, fresh_case(ws, builder, clerk), "bilingual", ISSUED)


# --- the notice of suspension ----------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pause_notice_names_the_stage_dates_reason_and_art_45(ws, office, bureau, language, tmp_path):
    _town, clerk, builder = office
    case = paused_case(ws, builder, clerk)
    data = render(pause_notice_spec(bureau, case, language, ISSUED))
    text = squeeze(pdf_text(data))
    assert all_embedded(data, tmp_path)
    assert squeeze("召开专家技术评审会 <b>第一次</b> & 复核") in text
    if language != "en":
        for line in ("暂停计时告知书", "本局已于2026年10月13日受理你单位报送的《城关镇垃圾中转站项目》环境影响报告表（受理编号：SP-2026-0001）。"
                     "自2026年10月15日起，该申请进入专家评审程序，暂停计时。", "理由",
                     "该程序结束后，自次日起恢复计时，本局将另行告知。",
                     "上述期间不计算在审批时限内（《中华人民共和国行政许可法》第四十五条），本告知书即为书面告知。"):
            assert squeeze(line) in text, line
    if language != "zh_CN":
        for line in ("Notice of Suspension of the Time Limit", "From 15 October 2026 the application is in the "
                     "following stage, and the time limit is suspended: Expert review.",
                     "This period is not counted in the time limit for the decision (Administrative Licensing Law, "
                     "art. 45)"):
            assert squeeze(line) in text, line


@needs_poppler
def test_an_ended_pause_states_its_end_and_the_new_due_dates(ws, office, bureau):
    _town, clerk, builder = office
    case = paused_case(ws, builder, clerk)
    case, _c = approvals.resume(ws, case.id, D("2026-10-16"), today=ISSUED)
    text = flat(pause_notice_spec(bureau, case, "zh_CN", ISSUED))
    assert squeeze("该程序已于2026年10月16日结束，自2026年10月17日起恢复计时。") in text
    promised, statutory = case.promised_due, case.statutory_due
    assert squeeze(f"据此，本局承诺时限顺延至{promised.year}年{promised.month}月{promised.day}日，法定时限顺延至"
                   f"{statutory.year}年{statutory.month}月{statutory.day}日。") in text
    # the decided case's pause: over, but the decision is made; no due dates to announce
    decided = decided_case(ws, builder, clerk)
    text = flat(pause_notice_spec(bureau, decided, "zh_CN", ISSUED, pause_id=decided.pauses[0].id))
    assert squeeze("该程序已于2026年10月9日结束，自2026年10月10日起恢复计时。") in text and "顺延" not in text


def test_the_pause_notice_is_refused_without_a_pause(ws, office, bureau):
    _town, clerk, builder = office
    case = fresh_case(ws, builder, clerk)
    with pytest.raises(ValueError, match="no pause"):
        pause_notice_spec(bureau, case, "en", ISSUED)
    paused = paused_case(ws, builder, clerk)
    with pytest.raises(ValueError, match="no pause 999"):
        pause_notice_spec(bureau, paused, "en", ISSUED, pause_id=999)


# --- the notices' layout and markup ----------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_what_people_typed_prints_as_typed(ws, language):
    _town, clerk, builder = _office(ws, builder_name="宏达<i>化工</i> & Co")
    odd = "<b>饲料 & 加工</b>项目"
    case = decided_case(ws, builder, clerk, name=odd, items=["报告表 <b>盖章</b> & 附件", "意见<br/>书"])
    bureau = reference.get_bureau(ws)
    for spec in (acceptance_notice_spec(bureau, case, language, ISSUED),
                 missing_materials_spec(bureau, case, language, ISSUED),
                 pause_notice_spec(bureau, case, language, ISSUED)):
        text = flat(spec)
        assert squeeze(odd) in text and squeeze("宏达<i>化工</i> & Co") in text, spec.title
    text = flat(missing_materials_spec(bureau, case, language, ISSUED))
    assert squeeze("报告表 <b>盖章</b> & 附件") in text and squeeze("意见<br/>书") in text
    ledger = flat(approvals_ledger_spec(bureau, approvals.ledger(ws, D("2026-01-01"), D("2026-12-31")),
                                        D("2026-01-01"), D("2026-12-31"), language, ISSUED))
    assert squeeze(odd) in ledger and squeeze("宏达<i>化工</i> & Co") in ledger


def test_the_notices_are_official_letters_named_after_the_case(ws, office, bureau):
    _town, clerk, builder = office
    case = decided_case(ws, builder, clerk)
    specs = [acceptance_notice_spec(bureau, case, "zh_CN", ISSUED), missing_materials_spec(bureau, case, "zh_CN", ISSUED),
             pause_notice_spec(bureau, case, "en", ISSUED)]
    assert all(spec.layout is OFFICIAL for spec in specs)
    assert [spec.suggested_file_name() for spec in specs] == [
        "建设项目环境影响评价文件受理通知书 SP-2026-0001.pdf", "补正材料一次性告知书 SP-2026-0001.pdf",
        "Notice of Suspension of the Time Limit SP-2026-0001 2026-09-28.pdf"]


@needs_poppler
def test_labels_follow_the_document_language_not_the_interface(ws, office, bureau):
    _town, clerk, builder = office
    case = decided_case(ws, builder, clerk)
    i18n.set_language("zh_CN")
    try:
        english = "".join(pdf_text(render(make(bureau, case, "en", ISSUED)))
                          for make in (acceptance_notice_spec, missing_materials_spec, pause_notice_spec))
    finally:
        i18n.set_language("en")
    assert "Notice of Acceptance" in english and "This is to notify you." in english
    assert not any(label in english for label in ("受理通知书", "特此告知", "第1页", "个工作日", "行政许可法"))


# --- the ledger -------------------------------------------------------------------------------------------

def _register_mix(ws, builder, clerk):
    """A decided report form, a fresh report book, a paused case, one received only, a filed registration form, an
    exempt project and one being prepared."""
    cases = [decided_case(ws, builder, clerk), fresh_case(ws, builder, clerk), paused_case(ws, builder, clerk),
             received_case(ws, builder, clerk)]
    form, _c = approvals.register(ws, project(builder, clerk, name="加油站改造项目", document_type="registration_form",
                                              key_project=False), received_on=D("2026-10-16"), today=D("2026-10-16"))
    approvals.file_registration(ws, form.id, D("2026-10-16"), "202635010000000123", today=D("2026-10-16"))
    approvals.register(ws, project(builder, clerk, name="小型仓储项目", document_type="registration_form",
                                   track="exempt", key_project=False), received_on=D("2026-08-03"), today=D("2026-08-03"))
    approvals.register(ws, project(builder, clerk, name="新材料产业园项目", document_type="report_book"),
                       early_involvement_on=D("2026-07-01"), today=D("2026-07-01"))
    return cases


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ledger_lists_each_case_with_its_dates_and_totals(ws, office, bureau, language, tmp_path):
    _town, clerk, builder = office
    _register_mix(ws, builder, clerk)
    cases = approvals.ledger(ws, D("2026-01-01"), D("2026-12-31"))
    assert len(cases) == 7
    spec = approvals_ledger_spec(bureau, cases, D("2026-01-01"), D("2026-12-31"), language, ISSUED)
    assert spec.layout is LEDGER
    data = render(spec)
    pages = pdf_pages(data)
    text = squeeze("".join(pages))
    assert all_embedded(data, tmp_path)
    for value in ("SP-2026-0001", "SP-2026-0007", PROJECT, "新材料产业园项目", "青环审〔2026〕41号", "202635010000000123"):
        assert squeeze(value) in text, value
    if language == "zh_CN":  # headers whole (in the bilingual ledger they wrap, and pdftotext interleaves them)
        for label in ("序号", "受理编号", "项目名称", "建设单位", "环评文件类型", "审批通道", "收件日期", "受理日期",
                      "法定时限届满日", "承诺时限届满日", "办结日期", "批复文号", "审批用时（工作日）"):
            assert squeeze(label) in text, label
    if language != "en":
        for label in ("环评审批台账", "统计时段：2026年1月1日至2026年12月31日", "截至2026年10月20日",
                      # the decided report form: received, accepted, due dates, decided, 3 working days
                      "2026/9/21", "2026/9/24", "2026/10/13", "已批复",
                      "合计：项目7个，其中审查中3个（逾期1个），已批复1个，不予批复0个，已备案1个，豁免1个，编制中1个，已撤回0个；重点项目4个。",
                      "填表人", "审核人"):
            assert squeeze(label) in text, label
    if language != "zh_CN":
        for label in ("EIA Approvals Ledger", "Case number", "Builder", "Approval No.",
                      "Total: 7 projects; under review: 3, of which overdue: 1; approved: 1"):
            assert squeeze(label) in text, label
    for number, page in enumerate(pages, 1):
        assert squeeze(CHINESE["Page {page} of {pages}"].format(page=number, pages=len(pages))) in squeeze(page) or \
            f"Page{number}of{len(pages)}" in squeeze(page)


@needs_poppler
def test_the_received_case_past_its_notification_limit_is_marked_overdue(ws, office, bureau):
    _town, clerk, builder = office
    case = received_case(ws, builder, clerk)  # received Oct 19: one-time notification due Oct 24
    rows = approvals.ledger(ws, D("2026-10-01"), D("2026-10-31"))
    on_time = flat(approvals_ledger_spec(bureau, rows, D("2026-10-01"), D("2026-10-31"), "zh_CN", ISSUED))
    late = flat(approvals_ledger_spec(bureau, rows, D("2026-10-01"), D("2026-10-31"), "zh_CN", D("2026-10-27")))
    assert case.next_due == D("2026-10-26")  # Oct 24 is a Saturday: rolled on to Monday
    assert "已逾期" not in on_time and "（逾期0个）" in on_time
    assert "已逾期" in late and "（逾期1个）" in late


@needs_poppler
def test_the_key_projects_ledger_has_its_title_and_an_empty_one_says_so(ws, office, bureau):
    _town, clerk, builder = office
    _register_mix(ws, builder, clerk)
    key = approvals.ledger(ws, D("2026-01-01"), D("2026-12-31"), key_only=True)
    spec = approvals_ledger_spec(bureau, key, D("2026-01-01"), D("2026-12-31"), "bilingual", ISSUED, key_only=True)
    assert spec.title == "重点项目环评审批台账"
    assert spec.suggested_file_name() == "重点项目环评审批台账 2026-01-01–2026-12-31.pdf"
    text = flat(spec)
    assert "重点项目环评审批台账" in text and "KeyProjectsEIAApprovalsLedger" in text and "重点项目4个" in text
    assert "加油站改造项目" not in text
    empty = flat(approvals_ledger_spec(bureau, [], D("2025-01-01"), D("2025-12-31"), "zh_CN", ISSUED))
    assert "本时段内无项目。" in empty and "合计：项目0个" in empty and "序号" in empty


@needs_poppler
def test_two_hundred_cases_span_pages_with_the_header_repeated_and_no_row_split(ws, office, bureau):
    _town, clerk, builder = office
    _register_mix(ws, builder, clerk)
    rows = approvals.ledger(ws, D("2026-01-01"), D("2026-12-31"))
    many = [rows[n % len(rows)] for n in range(200)]
    many = [type(case)(**{**case.__dict__, "number": f"SP-2026-{n:04d}"}) for n, case in enumerate(many, 1)]
    pages = pdf_pages(render(approvals_ledger_spec(bureau, many, D("2026-01-01"), D("2026-12-31"), "bilingual",
                                                   ISSUED)))
    assert len(pages) >= 5
    for number, page in enumerate(pages, 1):
        text = squeeze(page)
        assert "受理编号" in text and "Casenumber" in text and "批复文号" in text and "ApprovalNo." in text
        assert f"第{number}页共{len(pages)}页" in text
    text = squeeze("".join(pages))
    # every case once: a row split across pages would print its number on one page and nothing on the next
    assert all(text.count(f"SP-2026-{n:04d}") == 1 for n in range(1, 201))
    assert "合计：项目200个" in squeeze(pages[-1]) and "审核人" in squeeze(pages[-1])


@needs_poppler
def test_the_lines_to_sign_on_never_stand_alone_on_the_last_page(ws, office, bureau):
    """Whatever the number of rows, the last page has rows of the ledger, its totals and the lines to sign on."""
    _town, clerk, builder = office
    _register_mix(ws, builder, clerk)
    rows = approvals.ledger(ws, D("2026-01-01"), D("2026-12-31"))
    alone = []
    for language, counts in (("zh_CN", range(8, 40)), ("bilingual", range(4, 20))):
        for count in counts:
            many = [type(case)(**{**case.__dict__, "number": f"SP-2026-{n:04d}"})
                    for n, case in enumerate((rows[n % len(rows)] for n in range(count)), 1)]
            pages = pdf_pages(render(approvals_ledger_spec(bureau, many, D("2026-01-01"), D("2026-12-31"), language,
                                                           ISSUED)))
            last = squeeze(pages[-1])
            assert "审核人" in last and "合计" in last
            if f"SP-2026-{count:04d}" not in last or "受理编号" not in last:
                alone.append((language, count))
    assert alone == []


# --- the summary ------------------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_summary_gives_the_leaders_figures(ws, office, bureau, language, tmp_path):
    _town, clerk, builder = office
    _register_mix(ws, builder, clerk)
    summary = approvals.summary(ws, D("2026-01-01"), D("2026-12-31"), today=ISSUED)
    spec = approvals_summary_spec(bureau, summary, language, ISSUED)
    assert spec.layout is OFFICIAL
    data = render(spec)
    text = squeeze(pdf_text(data))
    assert all_embedded(data, tmp_path)
    if language != "en":
        for line in ("环评审批工作情况汇总", "统计时段：2026年1月1日至2026年12月31日", "一、总体情况",
                     "7个项目中，需编制环评报告书（表）的5个，其中已批复1个、在审3个、编制中1个；需填报环评登记表的2个，其中已备案1个、豁免1个。",
                     # the report form (3 of 30 working days) and the registration form, filed the same day
                     "已办结2件，其中在法定时限内办结2件（100.0%），在承诺时限内办结2件（100.0%）。",
                     "报告书（表）审批用时平均比法定时限缩短90.0%。", "尚有1件申请超过办理时限未办结。",
                     "二、按环评文件类型统计", "报告书（表）小计", "已批复（备案）", "三、审批用时", "平均用时（工作日）",
                     "较法定时限提速", "四、按月份统计", "2026年7月", "2026年10月", "填表人"):
            assert squeeze(line) in text, line
    if language != "zh_CN":
        for line in ("Summary of EIA Approvals", "Of 7 projects, 5 need a report book or form: 1 approved, 3 under "
                     "review, 1 being prepared; 2 need a registration form: 1 filed, 1 exempt.",
                     "2 applications were decided or filed: 2 within the statutory limit (100.0%)",
                     "Report books and forms were decided on average 90.0% faster than the statutory limit."):
            assert squeeze(line) in text, line
    if language == "en":
        assert "1. Overall figures" in pdf_text(data) and "January 2026" in pdf_text(data)


@needs_poppler
def test_the_key_projects_summary_says_so_and_an_empty_one_prints(ws, office, bureau):
    _town, clerk, builder = office
    _register_mix(ws, builder, clerk)
    key = approvals.summary(ws, D("2026-01-01"), D("2026-12-31"), key_only=True, today=ISSUED)
    spec = approvals_summary_spec(bureau, key, "zh_CN", ISSUED)
    assert spec.title == "重点项目环评审批工作情况汇总"
    text = flat(spec)
    assert "重点项目环评审批工作情况汇总" in text and squeeze("4个重点项目中，需编制环评报告书（表）的4个") in text
    empty = approvals.summary(ws, D("2025-01-01"), D("2025-12-31"), today=ISSUED)
    text = flat(approvals_summary_spec(bureau, empty, "en", ISSUED))
    assert "Of0projects" in text and "Noapplicationwasdecidedinthisperiod." in text


# --- the commands -----------------------------------------------------------------------------------------

def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@needs_poppler
@pytest.mark.parametrize("document, extra, title", [
    ("acceptance-notice", ["--project", "SP-2026-0001"], "受理通知书"),
    ("missing-materials", ["--project", "1"], "补正材料一次性告知书"),
    ("pause-notice", ["--project", "SP-2026-0003"], "暂停计时告知书"),
    ("approvals-ledger", ["--from", "2026-01-01", "--to", "2026-12-31"], "环评审批台账"),
    ("approvals-ledger", ["--year", "2026", "--key-projects"], "重点项目环评审批台账"),
    ("approvals-summary", ["--year", "2026"], "环评审批工作情况汇总"),
    ("approvals-summary", ["--from", "2026-07-01", "--key-projects"], "重点项目环评审批工作情况汇总"),
])
def test_print_each_document(capsys, ws, sqlite_url, office, tmp_path, document, extra, title):
    _town, clerk, builder = office
    _register_mix(ws, builder, clerk)
    target = tmp_path / f"{document}.pdf"
    status, out, err = run(capsys, "--db", sqlite_url, "print", document, *extra, "--lang", "bilingual",
                           "--date", "2026-10-20", "-o", str(target))
    assert status == 0, err
    assert out.strip() == str(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert squeeze(title) in squeeze(pdf_text(data))


@pytest.mark.parametrize("document, extra, message", [
    ("acceptance-notice", ["--project", "SP-2099-0001"], "No approval case SP-2099-0001."),
    ("pause-notice", ["--project", "99"], "No approval case 99."),
    ("missing-materials", [], "--project is required"),
    ("acceptance-notice", ["--project", "SP-2026-0004"], "has not been accepted yet"),
    ("missing-materials", ["--project", "SP-2026-0002"], "No one-time notification"),
    ("pause-notice", ["--project", "SP-2026-0002"], "has no pause"),
    ("approvals-ledger", ["--from", "2026-13-01"], "--from must be a date"),
    ("approvals-ledger", ["--from", "2026-12-01", "--to", "2026-01-01"], "ends (2026-01-01) before it starts"),
    ("approvals-summary", ["--year", "2026", "--to", "2026-12-31"], "not both"),
])
def test_print_refuses_bad_input_in_one_line(capsys, ws, sqlite_url, office, tmp_path, document, extra, message):
    _town, clerk, builder = office
    _register_mix(ws, builder, clerk)
    target = tmp_path / "x.pdf"
    status, _out, err = run(capsys, "--db", sqlite_url, "print", document, *extra, "--date", "2026-10-20",
                            "-o", str(target))
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("envdesk: ") and message in err
    assert not target.exists()
