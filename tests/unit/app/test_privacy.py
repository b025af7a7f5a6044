"""Complainants' identities (信访工作条例 art. 30): a user without the permission never gets them — not in lists,
details, search results (searching by the phone number finds nothing), the Overview, exports or documents; a
complaints clerk does, and looking at an identity is audited."""

import random
import shutil
import subprocess
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from envdesk.app import (
    audit,
    complaints,
    complaints_exchange,
    demo,
    overview,
    reference,
    users,
)
from envdesk.app.access import Principal
from envdesk.app.complaints import ComplaintFilter, ComplaintInput
from envdesk.app.errors import PermissionDenied
from envdesk.app.users import UserInput
from envdesk.app.workspace import Workspace
from envdesk.domain.reference import Bureau
from envdesk.domain.users import Role
from envdesk.exchange import write_table
from envdesk.exchange.complaints import COMPLAINTS
from envdesk.reports import (
    acceptance_notice_spec,
    ledger_spec,
    registration_form_spec,
    render,
)
from envdesk.store.complaints import ComplaintRow
from envdesk.store.users import AuditRow

TODAY = date(2026, 6, 15)
PW = "Qingxi-2026!"
NAME, PHONE, ADDRESS = "张建国", "13812345678", "城关镇阳光花园3幢2单元501室"
OTHER_NAME, OTHER_PHONE = "欧阳娜娜", "0591-87654321"
# What must never reach a reader without the permission (the masked forms keep only a first character, the first
# three and last four digits, and the place up to the town).
SECRETS = (NAME, PHONE, ADDRESS, "阳光花园", "12345678", OTHER_NAME, "87654321", "娜娜")
BUREAU = Bureau("青溪县生态环境局", "Qingxi County Ecology and Environment Bureau", "青溪县")
READERS = [Role.READ_ONLY, Role.APPROVAL_CLERK, Role.LIAISON_OFFICER, Role.OFFICE, Role.ADMINISTRATOR]
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")


def at(day: date) -> datetime:
    return datetime.combine(day, time(10)).astimezone()


def _fill(ws: Workspace) -> None:
    """Three complaints (one anonymous) and one account per role (login = the role's key)."""
    clerk_office = reference.save_department(ws, None, "信访办")[0]
    brigade = reference.save_department(ws, None, "监察大队")[0]
    town = reference.save_town(ws, None, "城关镇")[0]
    clerk = reference.save_staff(ws, None, "李四", clerk_office.id)[0]

    def register(name, phone, address, received, content, **kw):
        return complaints.register(ws, ComplaintInput(
            channel="12369", received_at=at(received), first_receiver_id=clerk.id, content=content,
            pollution_types=("construction_noise",), complainant_name=name, complainant_phone=phone,
            complainant_address=address, subject="城东安置房项目工地", town_id=town.id, location="城关镇人民路",
            **kw), today=TODAY)[0]

    first = register(NAME, "138 1234 5678", ADDRESS, date(2026, 6, 1), "工地夜间施工噪声扰民，晚上十一点以后还在打桩")
    complaints.decide(ws, first.id, "accept", date(2026, 6, 2), clerk.id, today=TODAY)
    complaints.assign(ws, first.id, brigade.id, clerk.id, date(2026, 6, 2), clerk.id, today=TODAY)
    register(OTHER_NAME, OTHER_PHONE, "白沙镇工业路23号", date(2026, 6, 3), "搅拌站粉尘很大，噪声扰民")
    register("", "", "", date(2026, 6, 4), "夜间打桩噪声", anonymous=True)
    for role in Role:
        users.create_user(ws, UserInput(role.value, role.msgid, (role,)), PW, must_change=False)


@pytest.fixture(scope="module")
def office_template(tmp_path_factory):
    """The bureau, made once for the module; each test gets its own copy."""
    path = tmp_path_factory.mktemp("privacy") / "office.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ENVDESK_HOME", str(tmp_path_factory.mktemp("privacy-home")))
        patch.setattr(users, "SCRYPT_N", 2 ** 10)
        with Workspace(f"sqlite:///{path}", user=Principal.trusted("tester")) as ws:
            _fill(ws)
    return path


@pytest.fixture
def office(office_template, tmp_path):
    target = tmp_path / "office.sqlite3"
    shutil.copyfile(office_template, target)
    url = f"sqlite:///{target}"
    ws = Workspace(url, user=Principal.trusted("tester"))
    opened = [ws]
    accounts: dict[Role, Workspace] = {}

    def signed_in(role: Role) -> Workspace:
        if role not in accounts:
            workspace = Workspace(url)
            users.log_in(workspace, role.value, PW)
            opened.append(workspace)
            accounts[role] = workspace
        return accounts[role]

    ids = {number: complaint_id for complaint_id, number in ws.engine.connect().execute(
        select(ComplaintRow.id, ComplaintRow.number).order_by(ComplaintRow.id)).all()}
    first, second, anonymous = (SimpleNamespace(id=complaint_id, number=number) for number, complaint_id in ids.items())
    yield SimpleNamespace(ws=ws, first=first, second=second, anonymous=anonymous, signed_in=signed_in)
    for workspace in opened:
        workspace.close()


def leaked(value) -> list[str]:
    text = repr(value)
    return [secret for secret in SECRETS if secret in text]


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return "".join(out.stdout.decode("utf-8").split())  # without the spaces and breaks wrapping put in


def audit_text(ws) -> str:
    with ws.reading() as session:
        return repr(session.execute(select(AuditRow.__table__)).all())


# --- a reader without the permission ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS, ids=lambda role: role.value)
def test_lists_and_details_are_masked(office, role):
    ws = office.signed_in(role)
    rows = complaints.list_complaints(ws, today=TODAY)
    assert len(rows) == 3 and leaked(rows) == []
    by_id = {row.id: row.complainant for row in rows}
    assert by_id[office.first.id].masked and by_id[office.first.id].name == "张**"
    assert by_id[office.first.id].phone == "138****5678"
    assert by_id[office.first.id].address == "城关镇***"
    assert by_id[office.second.id].name == "欧***"
    assert by_id[office.anonymous.id].anonymous
    for complaint_id in (office.first.id, office.second.id):
        detail = complaints.get_complaint(ws, complaint_id, today=TODAY)
        assert detail.complainant.masked and leaked(detail) == []
        assert leaked(complaints.as_reader_may_see(ws, complaint_id, today=TODAY)) == []
    before = audit_text(office.ws)
    with pytest.raises(PermissionDenied, match="may not see complainants' identities"):
        complaints.get_complaint(ws, office.first.id, reveal=True, today=TODAY)
    with pytest.raises(PermissionDenied, match="may not see complainants' identities"):
        complaints.list_complaints(ws, reveal=True, today=TODAY)
    assert audit_text(office.ws) == before


@pytest.mark.parametrize("role", READERS, ids=lambda role: role.value)
def test_searching_by_identity_finds_nothing(office, role):
    ws = office.signed_in(role)
    for query in (PHONE, "138 1234 5678", "12345678", "5678", NAME, "建国", OTHER_PHONE, "欧阳娜娜", "阳光花园",
                  "501室"):
        assert complaints.list_complaints(ws, ComplaintFilter(text=query), today=TODAY) == [], query
        assert complaints.count_complaints(ws, ComplaintFilter(text=query), today=TODAY) == 0, query
        assert complaints.list_complaints(ws, ComplaintFilter(text=query, open_only=True), today=TODAY) == [], query


def test_search_results_are_masked(office):
    ws = office.signed_in(Role.READ_ONLY)
    found = complaints.list_complaints(ws, ComplaintFilter(text="噪声"), today=TODAY)
    assert len(found) == 3 and leaked(found) == []
    assert complaints.count_complaints(ws, ComplaintFilter(text="噪声 城关镇"), today=TODAY) == 3


@pytest.mark.parametrize("role", READERS, ids=lambda role: role.value)
def test_the_overview_and_statistics_hold_no_identity(office, role):
    ws = office.signed_in(role)
    assert leaked(overview.build(ws, today=TODAY)) == []
    assert leaked(complaints.statistics(ws, date(2026, 1, 1), date(2026, 12, 31))) == []


@pytest.mark.parametrize("role", READERS, ids=lambda role: role.value)
def test_exports_leave_the_identity_out(office, role, tmp_path):
    ws = office.signed_in(role)
    rows = complaints_exchange.complaint_rows(ws, None, None, today=TODAY)
    assert len(rows) == 3 and leaked(rows) == []
    assert {row["phone"] for row in rows} == {""} and {row["address"] for row in rows} == {""}
    assert "张" not in {row["complainant"][:1] for row in rows}  # left out, not masked
    path = tmp_path / "complaints.csv"
    assert write_table(path, COMPLAINTS, rows, language="bilingual") == 3
    assert leaked(path.read_text(encoding="utf-8-sig")) == []
    before = audit_text(office.ws)
    with pytest.raises(PermissionDenied, match="may not see complainants' identities"):
        complaints_exchange.complaint_rows(ws, None, None, include_identity=True, today=TODAY)
    assert audit_text(office.ws) == before


@needs_poppler
@pytest.mark.parametrize("role", [Role.READ_ONLY, Role.APPROVAL_CLERK], ids=lambda role: role.value)
def test_documents_from_what_the_reader_may_see_hold_no_identity(office, role):
    ws = office.signed_in(role)
    complaint = complaints.as_reader_may_see(ws, office.first.id, today=TODAY)
    form = pdf_text(render(registration_form_spec(BUREAU, complaint, "zh_CN", TODAY)))
    notice = pdf_text(render(acceptance_notice_spec(BUREAU, complaint, "zh_CN", TODAY)))
    ledger = pdf_text(render(ledger_spec(BUREAU, complaints.list_complaints(ws, today=TODAY), date(2026, 1, 1),
                                         date(2026, 12, 31), "bilingual", TODAY)))
    for text in (form, notice, ledger):
        assert office.first.number in text  # the text was read
        assert [secret for secret in SECRETS if secret in text] == []
    assert "张**" in form and "138****5678" in form and "张**" in ledger  # masked, as the reader may see them


# --- a complaints clerk or a leader ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COMPLAINTS_CLERK, Role.LEADER], ids=lambda role: role.value)
def test_those_who_may_see_identities_get_them_and_looking_is_audited(office, role):
    ws = office.signed_in(role)
    masked = complaints.get_complaint(ws, office.first.id, today=TODAY)
    assert masked.complainant.masked  # only on request
    before = len(audit.history(ws, "complaint", office.first.id))
    revealed = complaints.get_complaint(ws, office.first.id, reveal=True, today=TODAY)
    assert (revealed.complainant.name, revealed.complainant.phone, revealed.complainant.address) == (
        NAME, PHONE, ADDRESS)
    history = audit.history(ws, "complaint", office.first.id)
    assert len(history) == before + 1
    entry = history[-1]
    assert (entry.action, entry.action_label, entry.label, entry.user_name) == (
        "view_identity", "Viewed identity", office.first.number, f"{role.msgid} ({role.value})")
    assert leaked([entry]) == []  # the entry says who looked, not what they saw
    # An anonymous complaint has no identity to look at: nothing to audit.
    complaints.get_complaint(ws, office.anonymous.id, reveal=True, today=TODAY)
    assert "view_identity" not in [e.action for e in audit.history(ws, "complaint", office.anonymous.id)]
    # Documents and exports made for them hold the identity.
    assert complaints.as_reader_may_see(ws, office.first.id, today=TODAY).complainant.name == NAME
    assert [row.complainant.name for row in complaints.list_complaints(ws, reveal=True, today=TODAY)
            if row.id == office.second.id] == [OTHER_NAME]
    rows = complaints_exchange.complaint_rows(ws, None, None, include_identity=True, today=TODAY)
    assert {(row["complainant"], row["phone"]) for row in rows} >= {(NAME, PHONE), (OTHER_NAME, OTHER_PHONE)}
    # Searching by the identity still finds nothing: the search covers the matter, not the person.
    assert complaints.list_complaints(ws, ComplaintFilter(text=PHONE), today=TODAY) == []


@needs_poppler
def test_a_clerks_documents_hold_the_identity(office):
    ws = office.signed_in(Role.COMPLAINTS_CLERK)
    complaint = complaints.as_reader_may_see(ws, office.first.id, today=TODAY)
    form = pdf_text(render(registration_form_spec(BUREAU, complaint, "zh_CN", TODAY)))
    assert NAME in form and PHONE in form and ADDRESS in form


# --- the demo database, every complaint ------------------------------------------------------------------------


def test_on_the_demo_database_a_viewer_never_sees_an_identity(demo_ws, tmp_path):
    with demo_ws.reading() as session:
        people = session.execute(select(ComplaintRow.id, ComplaintRow.complainant_name,
                                        ComplaintRow.complainant_phone, ComplaintRow.complainant_address)
                                 .where(ComplaintRow.anonymous.is_(False))).all()
    assert len(people) > 500
    with Workspace(demo_ws.url) as ws:
        users.log_in(ws, "viewer", demo.DEMO_PASSWORD)
        listed = {row.id: row.complainant for row in complaints.list_complaints(ws, limit=5000)}
        exported = {row["number"]: row for row in complaints_exchange.complaint_rows(ws, None, None)}
        assert len(exported) == len(listed) > len(people)
        exported_text = repr(exported)
        for complaint_id, name, phone, address in people:
            shown = listed[complaint_id]
            assert shown.masked and name not in (shown.name, shown.display()) and phone not in repr(shown)
            assert address not in repr(shown) or not address
        for _id, name, phone, _address in random.Random(8).sample(people, 20):
            assert phone not in exported_text and name not in exported_text
            assert complaints.list_complaints(ws, ComplaintFilter(text=phone)) == []
            if len(name) >= 2:
                assert complaints.count_complaints(ws, ComplaintFilter(text=name)) == 0 or \
                    all(name not in repr(s) for s in complaints.list_complaints(ws, ComplaintFilter(text=name)))
