"""A liaison officer's path through the twinning tab: pair, log a visit, raise an item, hand it over, track,
close, and print the province's list and the enterprise's service account in every document language."""

import subprocess
from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit

from envdesk.app import reference, twinning
from envdesk.app.enterprises import EnterpriseInput, save_enterprise
from envdesk.domain.twinning import ItemStatus
from envdesk.ui.application import ensure_application
from envdesk.ui.dialogs.record_editor import RecordForm


@pytest.fixture
def office(ws):
    """Reference data and one enterprise, nothing paired yet."""
    reference.save_bureau(ws, "青溪县生态环境局", "Qingxi County Ecology and Environment Bureau", "青溪县")
    office, _ = reference.save_department(ws, None, "办公室", "General Office")
    solid, _ = reference.save_department(ws, None, "固体废物管理科", "Solid Waste Section")
    reference.save_staff(ws, None, "李强", office.id, "局长", "13800000001", is_leader=True)
    reference.save_staff(ws, None, "王伟", office.id, "科员", "13800000002")
    reference.save_staff(ws, None, "周敏", solid.id, "科长", "13800000003")
    town, _ = reference.save_town(ws, None, "白沙镇", "Baisha Town")
    enterprise, _ = save_enterprise(ws, None, EnterpriseInput(
        "青溪县宏达化工有限公司", "Qingxi Hongda Chemical Co., Ltd.", "91350100M000100Y43", town.id,
        types=("key_discharger",), scale="medium"))
    return ws, enterprise


def _set(editor, value):
    if isinstance(editor, QComboBox):
        index = editor.findData(value)
        if index < 0:
            index = editor.findText(value)
        assert index >= 0, value
        editor.setCurrentIndex(index)
    elif isinstance(editor, QDateEdit):
        editor.setDate(QDate(value.year, value.month, value.day))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(value)
    elif isinstance(editor, QCheckBox):
        editor.setChecked(value)
    else:
        assert isinstance(editor, QLineEdit)
        editor.setText(value)


@pytest.fixture
def forms(monkeypatch):
    """Answers the next RecordForms in turn: each answer fills fields by key, then presses OK."""
    answers = []
    errors = []

    def exec_(form):
        values = answers.pop(0)
        for key, value in values.items():
            _set(form.editors[key], value)
        form.accept()
        errors.append(form.error.text())
        return form.result()

    monkeypatch.setattr(RecordForm, "exec", exec_)
    return answers, errors


def staff_id(ws, name):
    return reference.find_staff(ws, name).id


def test_the_liaison_officers_path(qtbot, office, forms, monkeypatch, tmp_path):
    from envdesk.ui.twinning import dialogs
    from envdesk.ui.twinning.enterprises import EnterprisesDialog
    from envdesk.ui.twinning.tab import TwinningTab

    ws, enterprise = office
    answers, errors = forms
    ensure_application()
    tab = TwinningTab(ws)
    qtbot.addWidget(tab)
    changes = []
    tab.changed.connect(changes.append)

    # 1. Pair the enterprise: choose it from the register, the liaison officer and the contact leader.
    def choose(dialog):
        dialog.browser.search.setText("宏达")
        dialog.browser.reload()
        dialog.browser.table.selectRow(0)
        dialog._accept_selected()
        return dialog.result()

    monkeypatch.setattr(EnterprisesDialog, "exec", choose)

    def pair(dialog):
        dialog.choose_enterprise()
        _set(dialog.liaison, staff_id(ws, "王伟"))
        _set(dialog.leader, staff_id(ws, "李强"))
        _set(dialog.start, date(date.today().year, 1, 5))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialogs.PairDialog, "exec", pair)
    tab.pair_enterprise()
    assert tab.pairs.rowCount() == 1 and changes[-1].concerns("twinning")
    tab.pair_table.selectRow(0)
    assert "青溪县宏达化工有限公司" in tab.detail_title.text()

    # 2. Log a visit with a problem raised.
    answers.append({"contact_date": date.today(), "mode": "visit", "staff_id": staff_id(ws, "王伟"),
                    "summary": "上门走访，了解危废贮存情况", "problems": "危废贮存间标识不规范"})
    tab.log_contact()
    assert tab.contacts.rowCount() == 1
    assert tab.pairs.row_value(0).contacts_this_month == 1

    # 3. Raise a service item from the problem, in one step.
    tab.contact_table.selectRow(0)
    answers.append({"category": "assistance", "actor_id": staff_id(ws, "王伟")})
    tab.raise_from_contact()
    assert tab.items.rowCount() == 1
    item = tab.items.row_value(0)
    assert item.status is ItemStatus.COLLECTED and item.description == "危废贮存间标识不规范"

    # 4. Hand it over to another department, track it, close it (销号) with a resolution.
    tab.item_table.selectRow(0)
    solid = next(d.id for d in reference.list_departments(ws) if d.name_zh == "固体废物管理科")
    answers.append({"department_id": solid, "owner_id": staff_id(ws, "周敏"), "note": "请固废科指导"})
    tab.advance_item(twinning.ItemAction.HAND_OVER)
    tab.item_table.selectRow(0)
    answers.append({"note": "已现场指导整改"})
    tab.advance_item(twinning.ItemAction.TRACK)
    tab.item_table.selectRow(0)
    # Closing without a resolution is refused, with the field named, and nothing changes.
    answers.append({"resolution": ""})
    tab.advance_item(twinning.ItemAction.CLOSE)
    assert "Resolution" in errors[-1]
    tab.item_table.selectRow(0)
    answers.append({"resolution": "标识已按规范设置，企业确认，予以销号"})
    tab.advance_item(twinning.ItemAction.CLOSE)
    (closed,) = twinning.items(ws, enterprise.id, with_events=True)
    assert closed.status is ItemStatus.CLOSED
    assert [e.action for e in closed.events] == ["collect", "hand_over", "track", "close"]
    assert closed.department == "固体废物管理科" and closed.owner == "周敏"
    assert "History of" in tab.history.text() and "销号" in tab.history.text()

    # 5. Print the province's list and the service account, in Chinese, English and both.
    for language in ("zh_CN", "en", "bilingual"):
        for print_it in (tab.print_list, tab.print_account):
            preview = print_it(language)
            qtbot.addWidget(preview)
            assert preview.document.pageCount() >= 1
            text = subprocess.run(["pdftotext", "-", "-"], input=preview._pdf, capture_output=True).stdout.decode()
            assert "91350100M000100Y43" in text
            assert ("王伟" in text) or ("FW-" in text)
            preview.close()


def test_the_monthly_grid_marks_this_month(qtbot, office):
    from envdesk.ui.twinning.tab import TwinningTab

    ws, enterprise = office
    leader, liaison = staff_id(ws, "李强"), staff_id(ws, "王伟")
    today = date.today()
    pair, _ = twinning.pair_enterprise(ws, enterprise.id, today.year, liaison, leader, date(today.year, 1, 1))
    ensure_application()
    tab = TwinningTab(ws)
    qtbot.addWidget(tab)
    row = tab.grid.row_value(0)
    assert row.marks[today.month - 1].value == "due"
    if today.month > 1:
        assert row.marks[0].value == "missed"
    twinning.log_contact(ws, pair.id, today, "phone", liaison, "电话回访")
    tab.refresh()
    assert tab.grid.row_value(0).marks[today.month - 1].value == "contacted"


def test_enterprise_register_refuses_a_bad_credit_code_and_checks_duplicate_names(qtbot, office, forms, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from envdesk.ui.twinning.enterprises import EnterpriseBrowser

    ws, enterprise = office
    answers, errors = forms
    ensure_application()
    browser = EnterpriseBrowser(ws)
    qtbot.addWidget(browser)
    answers.append({"name_zh": "青溪县新企业", "credit_code": "91350100M000100Y4Z"})
    assert browser.add() is None
    assert errors[-1].startswith("Credit code:")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    answers.append({"name_zh": "青溪县宏达化工有限公司", "credit_code": ""})
    assert browser.add() is None
    assert "already registered" in errors[-1]
    assert browser.model.total == 1


def test_enterprise_list_is_paged_from_sql(qtbot, ws):
    from envdesk.app.enterprises import count_enterprises
    from envdesk.ui.twinning.enterprises import EnterpriseBrowser

    with ws.transaction() as session:
        from envdesk.store.twinning import EnterpriseRow

        session.add_all(EnterpriseRow(name_zh=f"测试企业{n:04d}", name_en="", credit_code=None, address="",
                                      industry="", scale="", types=[], contact_person="", contact_phone="", notes="")
                        for n in range(250))
    ensure_application()
    browser = EnterpriseBrowser(ws)
    qtbot.addWidget(browser)
    assert browser.model.total == count_enterprises(ws) == 250
    assert browser.model.rowCount() == 100  # one page
    assert browser.model.canFetchMore()
    browser.model.fetchMore()
    assert browser.model.rowCount() == 200
    browser.search.setText("0249")
    browser.reload()
    assert browser.model.total == 1
