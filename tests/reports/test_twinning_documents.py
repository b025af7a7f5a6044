"""The twinning register's documents: the province's list, an enterprise's service account, a health-check report."""

from __future__ import annotations

import gettext
import io
from datetime import date, timedelta

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from report_helpers import ISSUED, needs_poppler, pdf_fonts, pdf_info, pdf_pages, pdf_text, squeeze

from envdesk import i18n
from envdesk.app.enterprises import Enterprise
from envdesk.app.twinning import Finding, HealthCheck, ItemEvent, Pair, Person, ServiceItem
from envdesk.domain.reference import Bureau
from envdesk.domain.twinning import ItemCategory, ItemSource, ItemStatus, PairStatus, Severity
from envdesk.reports import (
    LEDGER,
    health_check_report_spec,
    render,
    render_batch,
    service_account_spec,
    twinning_list_spec,
)

LANGUAGES = ["zh_CN", "en", "bilingual"]

# Chinese for the documents' labels, as the translators are expected to write them; the tests install
# these in place of the zh_CN catalog, so they do not depend on the state of the real one.
CHINESE = {
    "Page {page} of {pages}": "第 {page} 页 共 {pages} 页",
    "Paired enterprises {year}": "{year}年度环保服务结对企业名单",
    "Enterprises paired with the bureau for environmental services, with their liaison officers "
    "and contact leaders": "环保服务结对企业及其联络员、联系领导",
    "Services to a paired enterprise, each matter from collection to closing": "结对企业服务事项从收集到销号的全过程记录",
    "Findings of an environmental health check and the suggested treatment": "环保体检发现的问题及整改建议",
    "Filled in by": "填报单位",
    "Date filled in": "填报日期",
    "Prepared by": "填表人",
    "Reviewed by": "审核人",
    "Contact phone": "联系电话",
    "Total: {count} paired enterprises": "合计：结对企业 {count} 家",
    "No enterprise is paired in {year}.": "{year}年度尚无结对企业。",
    "No.": "序号",
    "Enterprise": "企业",
    "Enterprise name": "企业名称",
    "Credit code": "统一社会信用代码",
    "Town": "乡镇",
    "Enterprise type": "企业类型",
    "Liaison officer": "联络员",
    "Contact leader": "联系领导",
    "Paired since": "结对时间",
    "Ended {date}": "{date}终止",
    "Until {date}": "至{date}",
    "Environmental Service Account": "环保服务台账",
    "One enterprise, one account; one matter, one order": "一企一档 · 一事一单",
    "As of {date}": "截至{date}",
    "I. The enterprise": "一、企业基本情况",
    "II. Pairing": "二、结对情况",
    "III. Health checks": "三、环保体检",
    "IV. Service items": "四、服务事项",
    "The enterprise has not been paired.": "该企业尚未结对。",
    "No health check has been recorded.": "尚无环保体检记录。",
    "No service items have been recorded for this enterprise.": "该企业尚无服务事项记录。",
    "Service items in total: {count}; closed: {closed}; open: {open}, of which overdue: {overdue}; "
    "cancelled: {cancelled}.":
        "服务事项共 {count} 件：已销号 {closed} 件，办理中 {open} 件（其中逾期 {overdue} 件），已撤销 {cancelled} 件。",
    "Address": "地址",
    "Industry": "行业",
    "Scale": "规模",
    "Contact person": "联系人",
    "Year": "年度",
    "Check date": "体检日期",
    "Expert team": "专家组",
    "Scope": "体检范围",
    "Findings": "发现问题",
    "Service items raised": "列入台账事项",
    "Service item": "服务事项",
    "Source": "来源",
    "Category": "类别",
    "Status": "状态",
    "Due date": "办结时限",
    "Overdue": "已逾期",
    "Handed over to": "交办部门",
    "Owner": "责任人",
    "Description": "事项内容",
    "Resolution": "办结情况",
    "Reason for cancelling": "撤销原因",
    "Date": "日期",
    "Step": "环节",
    "Status change": "状态变化",
    "Done by": "经办人",
    "Department": "部门",
    "Note": "备注",
    "Collect": "收集",
    "No steps have been recorded.": "尚无办理记录。",
    "Environmental Health Check Report": "环保体检报告",
    "II. The check": "二、体检情况",
    "III. Findings": "三、发现问题",
    "IV. Treatment plan": "四、整改计划",
    "Report date": "报告日期",
    "Finding": "问题",
    "Severity": "严重程度",
    "Suggested treatment": "整改建议",
    "No problems were found in this check.": "本次体检未发现问题。",
    "Expert team leader (signature)": "专家组组长（签字）",
    "Enterprise representative (signature)": "企业负责人（签字）",
    "Findings in total: {count}; of high severity: {high}; medium: {medium}; low: {low}. "
    "Entered in the bureau's service account: {raised}.":
        "本次体检共发现问题 {count} 个，其中严重 {high} 个、一般 {medium} 个、轻微 {low} 个；已列入服务台账 {raised} 个。",
    "The enterprise treats each finding as suggested above, those of high severity first, and tells its "
    "liaison officer how the work progresses. Each finding entered in the service account has its own order: "
    "the bureau hands it to the department responsible and follows it until it is closed.":
        "企业按上述整改建议逐项整改，严重问题优先，并及时向联络员报告整改进展。列入服务台账的问题一事一单，"
        "由我局交办责任部门并跟踪至销号。",
    "No treatment is needed. The enterprise keeps its pollution-control facilities running and its records "
    "complete, and its liaison officer keeps serving it at least once a month.":
        "无需整改。企业应保持污染防治设施正常运行、台账资料完整，联络员每月至少服务一次。",
    "Large": "大型",
    "Medium": "中",
    "Small": "小型",
    "High": "严重",
    "Low": "轻微",
    "Traditional industry": "传统产业",
    "Strategic emerging industry": "战略性新兴产业",
    "Key pollutant-discharge unit": "重点排污单位",
    "Third-party pollution control": "第三方治污企业",
    "Ended": "已终止",
    "Other": "其他",
    "Collected": "已收集",
    "Handed over": "已交办",
    "Tracked": "跟踪中",
    "Closed": "已销号",
    "Cancelled": "已撤销",
    "Hand over": "交办",
    "Track": "跟踪",
    "Close (销号)": "销号",
    "Cancel": "撤销",
    "Contact": "日常联系",
    "Health check": "环保体检",
    "Enterprise request": "企业诉求",
    "Policy": "政策咨询",
    "Technology": "技术帮扶",
    "Assistance": "协调帮扶",
    "Approval": "审批服务",
}


@pytest.fixture(autouse=True)
def twinning_chinese(monkeypatch):
    """The documents' Chinese labels in place of the zh_CN catalog (see CHINESE)."""
    catalog = Catalog(locale="zh_CN")
    for msgid, text in CHINESE.items():
        catalog.add(msgid, text)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    monkeypatch.setitem(i18n._cache, "zh_CN", gettext.GNUTranslations(buffer))


# --- sample values, as the app hands them over ------------------------------------------------------

LIAISON = Person(11, "陈晓东", "监察大队", "科员", "0576-85110001")
LIAISON_2 = Person(12, "林佳", "固废科", "", "13905760022")
LEADER = Person(21, "王建国", "局领导", "副局长", "13800576001")


def enterprise(n: int = 1, **changes) -> Enterprise:
    values = dict(id=n, name_zh=f"青溪县宏达化工有限公司{n}", name_en=f"Qingxi Hongda Chemical Co., Ltd. {n}",
                  credit_code=f"91331082MA2A{n:05d}X"[:18], town_id=1, town_name="城关镇",
                  address="青溪县城关镇工业园区纬三路 8 号", industry="化学原料和化学制品制造业", scale="medium",
                  types=("traditional", "key_discharger"), contact_person="赵立新", contact_phone="0576-85123456")
    values.update(changes)
    return Enterprise(**values)


def pair(n: int = 1, *, company: Enterprise | None = None, **changes) -> Pair:
    values = dict(id=n, enterprise=company or enterprise(n), year=2026, liaison=LIAISON, leader=LEADER,
                  start_date=date(2026, 1, 6), end_date=None, status=PairStatus.ACTIVE, end_reason="", version=1)
    values.update(changes)
    return Pair(**values)


def event(day: date, action: str, before: ItemStatus | None, after: ItemStatus, note: str = "",
          staff: str = "陈晓东", department: str = "") -> ItemEvent:
    return ItemEvent(day, action, before, after, staff, department, note)


def item(n: int = 1, *, events: tuple[ItemEvent, ...] | None = None, **changes) -> ServiceItem:
    collected = date(2026, 1, 20)
    values = dict(
        id=n, number=f"FW-2026-{n:04d}", enterprise_id=1, enterprise_name="青溪县宏达化工有限公司1",
        source=ItemSource.CONTACT, category=ItemCategory.TECHNOLOGY,
        description="RTO 焚烧炉废气排放口非甲烷总烃浓度偶有超标，企业请求技术指导。", department_id=3,
        department="监测站", owner_id=31, owner="周敏", due_date=date(2026, 3, 31), status=ItemStatus.CLOSED,
        resolution="监测站上门指导调整燃烧温度，复测达标，企业确认，予以销号。", cancel_reason="", version=4,
        events=(
            event(collected, "collect", None, ItemStatus.COLLECTED, "raised at the contact of 2026-01-20"),
            event(collected + timedelta(days=2), "hand_over", ItemStatus.COLLECTED, ItemStatus.HANDED_OVER,
                  "请监测站派员现场指导", department="监测站"),
            event(date(2026, 2, 10), "track", ItemStatus.HANDED_OVER, ItemStatus.TRACKED, "已现场调试，待复测"),
            event(date(2026, 2, 25), "close", ItemStatus.TRACKED, ItemStatus.CLOSED,
                  "监测站上门指导调整燃烧温度，复测达标，企业确认，予以销号。"),
        ),
    )
    if events is not None:
        values["events"] = events
    values.update(changes)
    return ServiceItem(**values)


def open_item() -> ServiceItem:
    return item(2, source=ItemSource.HEALTH_CHECK, category=ItemCategory.POLICY, status=ItemStatus.HANDED_OVER,
                description="危险废物贮存库房标识不规范。\nSuggested treatment: 按 HJ 1276-2022 更换标识。",
                due_date=date(2026, 2, 28), resolution="", department="固废科", owner="林佳",
                events=(event(date(2026, 2, 1), "collect", None, ItemStatus.COLLECTED,
                              "found at the health check of 2026-02-01"),
                        event(date(2026, 2, 3), "hand_over", ItemStatus.COLLECTED, ItemStatus.HANDED_OVER,
                              department="固废科")))


def cancelled_item() -> ServiceItem:
    return item(3, source=ItemSource.REQUEST, category=ItemCategory.APPROVAL, status=ItemStatus.CANCELLED,
                description="企业拟扩建二期项目，咨询环评审批流程。", resolution="",
                cancel_reason="企业暂缓扩建计划，撤回诉求。", department="", owner="", due_date=None,
                events=(event(date(2026, 2, 12), "collect", None, ItemStatus.COLLECTED),
                        event(date(2026, 2, 20), "cancel", ItemStatus.COLLECTED, ItemStatus.CANCELLED,
                              "企业暂缓扩建计划，撤回诉求。")))


def check(findings: tuple[Finding, ...] | None = None) -> HealthCheck:
    if findings is None:
        findings = (
            Finding(1, "危险废物贮存库房标识不规范，部分包装物未贴危险废物标签。", Severity.HIGH,
                    "按 HJ 1276-2022 更换贮存设施标识，逐桶粘贴标签并建立出入库台账。", "FW-2026-0002"),
            Finding(2, "雨水排放口未设置应急切换阀门。", Severity.MEDIUM, "加装切换阀门，纳入应急预案演练。"),
            Finding(3, "环保设施运行台账记录不完整。", Severity.LOW, "按日记录 RTO 运行温度和维护情况。"),
        )
    return HealthCheck(7, 1, date(2026, 2, 1), "市环科院 李工、县监测站 张工、县局监察大队 陈晓东",
                       "废气、废水治理设施，危险废物贮存与转移，环境应急管理", findings)


def list_pdf(bureau, language, pairs=None, year=2026) -> bytes:
    return render(twinning_list_spec(bureau, year, [pair()] if pairs is None else pairs, language, ISSUED))


def account_pdf(bureau, language, company=None, items=None, checks=None, pairs=None) -> bytes:
    company = company or enterprise()
    return render(service_account_spec(
        bureau, company, [item(), open_item(), cancelled_item()] if items is None else items,
        [check()] if checks is None else checks, [pair(company=company)] if pairs is None else pairs,
        language, ISSUED))


def report_pdf(bureau, language, company=None, the_check=None) -> bytes:
    return render(health_check_report_spec(bureau, company or enterprise(), the_check or check(), language, ISSUED))


def all_embedded(pdf: bytes, tmp_path) -> bool:
    rows = pdf_fonts(pdf, tmp_path)
    return bool(rows) and all(row[-5:-3] == ["yes", "yes"] for row in rows)


# --- the province's list ----------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_prints_every_pair_with_liaison_and_leader(bureau, language, tmp_path):
    ended = pair(2, status=PairStatus.ENDED, end_date=date(2026, 6, 30), end_reason="企业整体搬迁出县")
    pdf = list_pdf(bureau, language, [pair(), ended])
    text = pdf_text(pdf)
    flat = squeeze(text)
    for value in ("青溪县宏达化工有限公司1", "青溪县宏达化工有限公司2", "91331082MA2A00001X", "城关镇",
                  "陈晓东", "监察大队", "0576-85110001", "王建国", "副局长", "13800576001", "企业整体搬迁出县"):
        assert squeeze(value) in flat, value
    assert all_embedded(pdf, tmp_path)
    assert pdf_info(pdf)["Creator"] == "EnvDesk"
    if language == "zh_CN":
        for label in ("2026年度环保服务结对企业名单", "填报单位：青溪县生态环境局", "填报日期：2026年3月2日",
                      "联络员", "联系领导", "统一社会信用代码", "重点排污单位", "2026年6月30日终止",
                      "合计：结对企业2家", "填表人：", "审核人：", "2026年1月6日"):
            assert label in flat, label
        assert "Liaison" not in text and "Hongda" not in text
    if language == "en":
        for label in ("Paired enterprises 2026", "Filled in by: Qingxi County Ecology and Environment Bureau",
                      "Date filled in: 2 March 2026", "Liaison officer", "Contact leader",
                      "Key pollutant-discharge unit", "Ended 30 Jun 2026", "Total: 2 paired enterprises",
                      "Prepared by:", "Reviewed by:", "Qingxi Hongda Chemical Co., Ltd. 1", "6 Jan 2026"):
            assert squeeze(label) in flat, label
        assert "联络员" not in text
    if language == "bilingual":
        for label in ("2026年度环保服务结对企业名单", "Paired enterprises 2026", "联络员", "Liaison officer",
                      "填报单位", "Filled in by", "2026年3月2日", "2 March 2026", "重点排污单位",
                      "Key pollutant-discharge unit", "2026年6月30日终止", "Ended 30 Jun 2026",
                      "Qingxi Hongda Chemical Co., Ltd. 1"):
            assert squeeze(label) in flat, label


def test_the_list_is_a_landscape_ledger_titled_in_the_document_language(bureau):
    spec = twinning_list_spec(bureau, 2026, [pair()], "en", ISSUED)
    assert spec.layout is LEDGER
    assert spec.title == "Paired enterprises 2026"
    assert spec.suggested_file_name() == "Paired enterprises 2026.pdf"
    assert twinning_list_spec(bureau, 2026, [], "zh_CN", ISSUED).title == "2026年度环保服务结对企业名单"


@needs_poppler
def test_the_year_is_not_grouped_like_a_number(bureau):
    flat = squeeze(pdf_text(list_pdf(bureau, "en")))
    assert "2,026" not in flat and "2026" in flat


@needs_poppler
def test_sixty_pairs_span_pages_with_the_header_repeated(bureau):
    pairs = [pair(n, liaison=LIAISON if n % 2 else LIAISON_2) for n in range(1, 61)]
    pdf = list_pdf(bureau, "bilingual", pairs)
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        flat = squeeze(page)
        assert "统一社会信用代码" in flat and "Creditcode" in flat and "联络员" in flat
        assert f"第{number}页共{len(pages)}页" in flat
    flat = squeeze("".join(pages))
    assert all(f"青溪县宏达化工有限公司{n}" in flat for n in range(1, 61))
    assert "合计：结对企业60家" in flat and "Total:60pairedenterprises" in flat
    assert "审核人" in squeeze(pages[-1])


@needs_poppler
def test_the_total_counts_enterprises_not_pairs(bureau):
    company = enterprise(1)
    first = pair(1, company=company, status=PairStatus.ENDED, end_date=date(2026, 4, 30), end_reason="更换联络员")
    again = pair(2, company=company, start_date=date(2026, 5, 1), liaison=LIAISON_2)
    flat = squeeze(pdf_text(list_pdf(bureau, "zh_CN", [first, again, pair(3)])))
    assert "合计：结对企业2家" in flat


@needs_poppler
def test_an_empty_year_still_prints_the_form(bureau):
    flat = squeeze(pdf_text(list_pdf(bureau, "zh_CN", [], year=2027)))
    assert "2027年度尚无结对企业。" in flat and "填表人" in flat and "合计：结对企业0家" in flat


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_prints_markup_in_names_as_typed(language):
    bureau = Bureau('环保<b>局 & "Co"', '<i>Eco</i> & "Bureau"')
    company = enterprise(1, name_zh="青溪<县>化工 & 材料有限公司", name_en="Qingxi <Chem> & Co",
                         town_name="城关<镇>")
    liaison = Person(11, "陈<b>东", "监察&大队", "", "0576-1")
    text = pdf_text(list_pdf(bureau, language, [pair(company=company, liaison=liaison,
                                                    status=PairStatus.ENDED, end_date=date(2026, 5, 1),
                                                    end_reason="reason <i>&amp;</i>")]))
    flat = squeeze(text)
    assert squeeze('环保<b>局 & "Co"') in flat or language == "en"
    assert squeeze('<i>Eco</i> & "Bureau"') in flat or language == "zh_CN"
    for value in ("青溪<县>化工 & 材料有限公司", "城关<镇>", "陈<b>东", "监察&大队", "reason <i>&amp;</i>"):
        assert squeeze(value) in flat, value
    if language != "zh_CN":
        assert "Qingxi <Chem> & Co" in text


# --- the service account ----------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_account_prints_the_enterprise_pairs_checks_and_every_item(bureau, language, tmp_path):
    pdf = account_pdf(bureau, language)
    text = pdf_text(pdf)
    flat = squeeze(text)
    for value in ("青溪县宏达化工有限公司1", "91331082MA2A00001X", "城关镇", "纬三路8号", "化学原料和化学制品制造业",
                  "赵立新", "0576-85123456", "陈晓东", "王建国", "市环科院李工",
                  "FW-2026-0001", "FW-2026-0002", "FW-2026-0003", "RTO焚烧炉废气排放口", "监测站", "周敏",
                  "请监测站派员现场指导", "已现场调试，待复测", "复测达标，企业确认，予以销号。",
                  "企业暂缓扩建计划，撤回诉求。", "危险废物贮存库房标识不规范"):
        assert squeeze(value) in flat, value
    assert all_embedded(pdf, tmp_path)
    if language == "zh_CN":
        for label in ("环保服务台账", "一企一档·一事一单", "截至2026年3月2日", "一、企业基本情况", "二、结对情况",
                      "三、环保体检", "四、服务事项", "交办部门", "责任人", "办结时限", "已销号", "已交办（已逾期）",
                      "已撤销", "撤销原因", "办结情况", "已收集→已交办", "跟踪中→已销号",
                      "传统产业、重点排污单位", "服务事项共3件：已销号1件，办理中1件（其中逾期1件），已撤销1件。"):
            assert squeeze(label) in flat, label
        assert "Hongda" not in text and "Handed over" not in text
    if language == "en":
        for label in ("Environmental Service Account", "As of 2 March 2026", "I. The enterprise", "II. Pairing",
                      "III. Health checks", "IV. Service items", "Handed over to", "Owner", "Due date",
                      "Handed over (Overdue)", "Collected → Handed over", "Tracked → Closed", "Reason for cancelling",
                      "Resolution", "Qingxi Hongda Chemical Co., Ltd. 1", "Traditional industry; Key pollutant",
                      "Service items in total: 3; closed: 1; open: 1, of which overdue: 1; cancelled: 1."):
            assert squeeze(label) in flat, label
        assert "交办部门" not in text
    if language == "bilingual":
        for label in ("环保服务台账", "Environmental Service Account", "交办部门", "Handed over to",
                      "已收集→已交办", "Collected→Handedover", "截至2026年3月2日", "Asof2March2026",
                      "Qingxi Hongda Chemical Co., Ltd. 1"):
            assert squeeze(label) in flat, label


def test_the_account_is_named_after_the_enterprise(bureau):
    spec = service_account_spec(bureau, enterprise(), [], [], [], "zh_CN", ISSUED)
    assert spec.title == "环保服务台账"
    assert spec.suggested_file_name() == "环保服务台账 青溪县宏达化工有限公司1.pdf"
    assert spec.layout.pagesize[0] < spec.layout.pagesize[1]  # portrait


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_enterprise_with_no_items_says_so(bureau, language):
    flat = squeeze(pdf_text(account_pdf(bureau, language, items=[], checks=[], pairs=[])))
    if language != "en":
        assert "该企业尚无服务事项记录。" in flat and "该企业尚未结对。" in flat and "尚无环保体检记录。" in flat
    if language != "zh_CN":
        assert squeeze("No service items have been recorded for this enterprise.") in flat
        assert squeeze("The enterprise has not been paired.") in flat
    assert "FW-" not in flat


@needs_poppler
def test_an_item_with_a_long_history_continues_with_its_header(bureau):
    steps = [event(date(2026, 1, 5), "collect", None, ItemStatus.COLLECTED, "企业反映污水站异味"),
             event(date(2026, 1, 6), "hand_over", ItemStatus.COLLECTED, ItemStatus.HANDED_OVER, department="监察大队")]
    steps += [event(date(2026, 1, 7) + timedelta(days=k), "track",
                    ItemStatus.HANDED_OVER if k == 0 else ItemStatus.TRACKED, ItemStatus.TRACKED,
                    f"第{k + 1}次跟踪：现场检查除臭设施运行情况，督促企业整改，记录整改进度与存在问题。")
              for k in range(80)]
    long_item = item(9, status=ItemStatus.TRACKED, resolution="", events=tuple(steps))
    pages = pdf_pages(account_pdf(bureau, "zh_CN", items=[long_item]))
    assert len(pages) >= 4
    flat = squeeze("".join(pages))
    assert all(f"第{k}次跟踪" in flat for k in range(1, 81))
    history_pages = [page for page in pages if "次跟踪" in page]
    assert len(history_pages) >= 3
    for page in history_pages:
        assert "状态变化" in page and "经办人" in page  # the history's header repeats


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_account_prints_markup_in_names_as_typed(language):
    bureau = Bureau('环保<b>局 & "Co"', "<b>Bureau</b> & Co")
    company = enterprise(1, name_zh="宏达<化工> & 材料", name_en='Hongda <b>"Chem"</b> & Co',
                         address="工业园区<1>号 & 2号")
    odd = item(1, description="描述<b>粗体</b> & 更多", owner="周<i>敏", department="监测&站",
               resolution="销号 <br/> 完成 &nbsp;",
               events=(event(date(2026, 1, 20), "collect", None, ItemStatus.COLLECTED, "备注 <font> & x"),))
    text = pdf_text(account_pdf(bureau, language, company=company, items=[odd]))
    flat = squeeze(text)
    for value in ("宏达<化工> & 材料", "工业园区<1>号 & 2号", "描述<b>粗体</b> & 更多", "周<i>敏", "监测&站",
                  "销号 <br/> 完成 &nbsp;", "备注 <font> & x"):
        assert squeeze(value) in flat, value
    if language != "zh_CN":
        assert squeeze('Hongda <b>"Chem"</b> & Co') in flat
    if language != "en":
        assert squeeze('环保<b>局 & "Co"') in flat


# --- the health-check report ------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_prints_findings_treatments_and_signatures(bureau, language, tmp_path):
    pdf = report_pdf(bureau, language)
    text = pdf_text(pdf)
    flat = squeeze(text)
    for value in ("青溪县宏达化工有限公司1", "91331082MA2A00001X", "市环科院李工、县监测站张工",
                  "废气、废水治理设施", "危险废物贮存库房标识不规范", "按HJ1276-2022更换贮存设施标识",
                  "雨水排放口未设置应急切换阀门", "加装切换阀门", "FW-2026-0002"):
        assert squeeze(value) in flat, value
    assert all_embedded(pdf, tmp_path)
    assert len(pdf_pages(pdf)) <= 3
    if language == "zh_CN":
        for label in ("环保体检报告", "体检日期", "2026年2月1日", "报告日期", "2026年3月2日", "严重程度", "整改建议",
                      "严重", "轻微", "四、整改计划",
                      "本次体检共发现问题3个，其中严重1个、一般1个、轻微1个；已列入服务台账1个。",
                      "专家组组长（签字）", "企业负责人（签字）", "日期："):
            assert squeeze(label) in flat, label
        assert "Severity" not in text
    if language == "en":
        for label in ("Environmental Health Check Report", "Check date", "1 Feb 2026", "Report date",
                      "Severity", "Suggested treatment", "High", "Low", "IV. Treatment plan",
                      "Findings in total: 3; of high severity: 1; medium: 1; low: 1.",
                      "Expert team leader (signature)", "Enterprise representative (signature)", "Date:",
                      "Qingxi Hongda Chemical Co., Ltd. 1"):
            assert squeeze(label) in flat, label
    if language == "bilingual":
        for label in ("环保体检报告", "Environmental Health Check Report", "整改建议", "Suggested treatment",
                      "本次体检共发现问题3个", "Findings in total: 3", "专家组组长（签字）",
                      "Expert team leader (signature)"):
            assert squeeze(label) in flat, label


@needs_poppler
def test_the_signatures_stay_whole_and_with_the_plan(bureau):
    # Reports of every length, so that some end just at the foot of a page.
    for count in range(1, 13):
        findings = tuple(Finding(n, f"问题{n}：" + "废气收集效率不足，" * (n % 4 + 1), Severity.MEDIUM,
                                 "加强收集。" * (n % 3 + 1)) for n in range(1, count + 1))
        pages = pdf_pages(report_pdf(bureau, "en", the_check=check(findings)))
        signing = [page for page in pages if "Expert team leader (signature)" in page]
        assert len(signing) == 1, count
        assert signing[0].count("Date:") == 2, count
        assert "until it is closed." in signing[0], count


@needs_poppler
def test_a_check_without_findings_says_so(bureau):
    flat = squeeze(pdf_text(report_pdf(bureau, "zh_CN", the_check=check(findings=()))))
    assert "本次体检未发现问题。" in flat and "无需整改。" in flat and "严重程度" not in flat


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_prints_markup_in_names_as_typed(language):
    bureau = Bureau('环保<b>局 & "Co"', "<b>Bureau</b> & Co")
    company = enterprise(1, name_zh="宏达<化工> & 材料", name_en="Hongda <Chem> & Co")
    odd = HealthCheck(1, 1, date(2026, 2, 1), "专家<组> & 李工", "范围 <i>x</i>",
                      (Finding(1, "问题 <b>&amp;</b>", Severity.HIGH, "建议 < 10 & > 5"),))
    flat = squeeze(pdf_text(report_pdf(bureau, language, company=company, the_check=odd)))
    for value in ("宏达<化工> & 材料", "专家<组> & 李工", "范围 <i>x</i>", "问题 <b>&amp;</b>", "建议 < 10 & > 5"):
        assert squeeze(value) in flat, value
    if language != "en":
        assert squeeze('环保<b>局 & "Co"') in flat


@needs_poppler
def test_labels_follow_the_document_language_not_the_interface(bureau):
    i18n.set_language("zh_CN")
    english = "".join(pdf_text(make(bureau, "en")) for make in (account_pdf, list_pdf, report_pdf))
    assert "Handed over to" in english and "Liaison officer" in english and "Suggested treatment" in english
    assert not any(label in english for label in ("交办部门", "联络员", "整改建议", "已销号", "第1页"))
    i18n.set_language("en")
    chinese = pdf_text(account_pdf(bureau, "zh_CN")) + pdf_text(list_pdf(bureau, "zh_CN"))
    assert "交办部门" in chinese and "联络员" in chinese
    assert not any(label in chinese for label in ("Handed over to", "Liaison officer", "Closed", "Page 1"))


@needs_poppler
def test_values_the_documents_do_not_know_still_print(bureau):
    company = enterprise(1, scale="gigantic", types=("legacy_kind",))
    odd = item(1, status=ItemStatus.TRACKED, resolution="", events=())
    planned = pair(1, company=company, end_date=date(2026, 9, 30))
    account = squeeze(pdf_text(account_pdf(bureau, "zh_CN", company=company, items=[odd], pairs=[planned])))
    assert "gigantic" in account and "legacy_kind" in account
    assert "尚无办理记录。" in account  # an item handed over without its events
    assert "至2026年9月30日" in account  # a pair with a planned end
    listed = squeeze(pdf_text(list_pdf(bureau, "en", [planned])))
    assert "legacy_kind" in listed and "Until30Sept2026" in listed  # en_GB abbreviates September so


# --- all three together ---------------------------------------------------------------------------------

@needs_poppler
def test_the_three_documents_print_as_one_batch(bureau, tmp_path):
    specs = [twinning_list_spec(bureau, 2026, [pair()], "bilingual", ISSUED),
             service_account_spec(bureau, enterprise(), [item()], [check()], [pair()], "bilingual", ISSUED),
             health_check_report_spec(bureau, enterprise(), check(), "bilingual", ISSUED)]
    (path,) = render_batch(specs, tmp_path / "all.pdf", one_file=True)
    pages = pdf_pages(path.read_bytes())
    assert "Paired enterprises 2026" in pages[0]
    assert any("Environmental Service Account" in page for page in pages)
    report = next(n for n, page in enumerate(pages) if "EnvironmentalHealthCheckReport" in squeeze(page))
    account = next(n for n, page in enumerate(pages) if "EnvironmentalServiceAccount" in squeeze(page))
    assert 0 < account < report
    # Each document numbers its own pages.
    assert "Page1of1" in squeeze(pages[0]) and "Page1of" in squeeze(pages[account])
