"""The audit trail through real use cases: who changed what from what to what, children in their owner's history,
identities and passwords never in clear, nothing for a refused change; prints, exports, imports and log-ins; and
`verify`, which passes on normal use — also with two workstations writing at once — and fails after any edit,
removal or insertion made in the database directly."""

import json
import socket
import threading
import time as clock
from datetime import date, datetime, time, timedelta, timezone
from itertools import pairwise
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy import exc as sa_exc

from envdesk.app import audit, complaints, outputs, reference, users
from envdesk.app import responsibility as rs
from envdesk.app.access import Principal
from envdesk.app.audit import AuditFilter
from envdesk.app.complaints import ComplaintInput
from envdesk.app.complaints_exchange import import_complaints
from envdesk.app.errors import NotSignedIn, PermissionDenied, ValidationError
from envdesk.app.responsibility import PlanInput, TaskInput
from envdesk.app.users import UserInput
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Role, entry_hash
from envdesk.store.users import AuditHeadRow, AuditRow

TODAY = date(2026, 6, 15)
PW = "Qingxi-2026!"
NAME, PHONE, ADDRESS = "张建国", "13812345678", "城关镇阳光花园3幢2单元501室"


def at(day: date) -> datetime:
    return datetime.combine(day, time(10)).astimezone()


def trail(ws) -> list[dict]:
    """Every audit row as stored, oldest first."""
    with ws.reading() as session:
        return [dict(row._mapping) for row in session.execute(select(AuditRow.__table__).order_by(AuditRow.seq))]


def trail_text(ws) -> str:
    """Every text column of every audit row (and the head)."""
    with ws.reading() as session:
        rows = session.execute(select(AuditRow.__table__)).all() + session.execute(select(AuditHeadRow.__table__)).all()
    return json.dumps([[str(value) for value in row] for row in rows], ensure_ascii=False)


def drop_guards(connection) -> None:
    """What a tamperer with write access must do first: drop the triggers that refuse UPDATE and DELETE."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log"))
    else:
        connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))


def sql(ws, statement, **params) -> None:
    with ws.engine.begin() as connection:
        drop_guards(connection)
        connection.execute(statement if not isinstance(statement, str) else text(statement), params)


def office(ws):
    clerk_office = reference.save_department(ws, None, "信访办")[0]
    brigade = reference.save_department(ws, None, "监察大队")[0]
    town = reference.save_town(ws, None, "城关镇")[0]
    clerk = reference.save_staff(ws, None, "李四", clerk_office.id)[0]
    inspector = reference.save_staff(ws, None, "王五", brigade.id)[0]
    return SimpleNamespace(ws=ws, office=clerk_office, brigade=brigade, town=town, clerk=clerk, inspector=inspector)


def register(o, name=NAME, phone=PHONE, address=ADDRESS, received=date(2026, 6, 1)):
    return complaints.register(o.ws, ComplaintInput(
        channel="12369", received_at=at(received), first_receiver_id=o.clerk.id, content="工地夜间施工噪声扰民",
        pollution_types=("construction_noise",), complainant_name=name, complainant_phone=phone,
        complainant_address=address, subject="城东工地", town_id=o.town.id), today=TODAY)[0]


# --- what is recorded ------------------------------------------------------------------------------------------


def test_create_update_delete_with_who_and_the_fields_from_what_to_what(any_ws):
    ws = any_ws
    department = reference.save_department(ws, None, "办公室", "Office")[0]
    reference.save_department(ws, department.id, "综合办公室", "Office", expected_version=department.version)
    reference.delete_department(ws, department.id)
    entries = audit.entries(ws, AuditFilter(entity="department"))[::-1]
    assert [(e.action, e.action_label) for e in entries] == [("create", "Created"), ("update", "Changed"),
                                                             ("delete", "Deleted")]
    created, updated, deleted = entries
    assert {e.record_id for e in entries} == {department.id}
    assert created.changes == {"name_zh": [None, "办公室"], "name_en": [None, "Office"], "active": [None, True]}
    assert updated.changes == {"name_zh": ["办公室", "综合办公室"], "version": [1, 2]}  # only what changed, and the new version
    assert updated.describe_changes() == "name_zh: 办公室 → 综合办公室"
    assert deleted.changes["name_zh"] == ["综合办公室", None]
    assert (created.label, updated.label, deleted.label) == ("办公室", "综合办公室", "综合办公室")
    for entry in entries:
        assert entry.user_name == "tester" and entry.workstation == socket.gethostname()[:100]
        assert entry.at.tzinfo is not None and entry.at.utcoffset() == timedelta(0)
        assert abs(datetime.now(timezone.utc) - entry.at) < timedelta(minutes=5)
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert audit.verify(ws).ok


def test_a_status_change_is_a_transition_and_child_records_are_in_the_history(ws):
    o = office(ws)
    complaint = register(o)
    complaints.decide(ws, complaint.id, "accept", date(2026, 6, 2), o.clerk.id, today=TODAY)
    complaints.assign(ws, complaint.id, o.brigade.id, o.inspector.id, date(2026, 6, 2), o.clerk.id, today=TODAY)
    complaints.record_handling(ws, complaint.id, date(2026, 6, 3), "site_inspection", o.inspector.id,
                               "现场核查，工地确有夜间施工", today=TODAY)
    history = audit.history(ws, "complaint", complaint.id)
    # (registering also stores the first due date: an update in the same transaction)
    mine = [e for e in history if e.entity == "complaint" and e.action != "update"]
    assert [e.action for e in mine] == ["create", "transition", "transition"]
    assert mine[1].changes["status"] == ["registered", "accepted"]
    assert mine[1].changes["decided_on"] == [None, "2026-06-02"]
    assert "status: registered → accepted" in mine[1].describe_changes()
    assert mine[2].changes["status"] == ["accepted", "assigned"]
    assert mine[2].changes["lead_department_id"] == [None, o.brigade.id]
    assert all(e.label == complaint.number for e in mine)
    handling = [e for e in history if e.entity == "complaint_handling"]
    assert len(handling) == 1 and handling[0].action == "create"
    assert (handling[0].owner_entity, handling[0].owner_id) == ("complaint", complaint.id)
    assert handling[0].changes["text"] == [None, "现场核查，工地确有夜间施工"]
    assert [e.entity for e in history if e.entity == "complaint_pollution"] == ["complaint_pollution"]
    assert [e.seq for e in history] == sorted(e.seq for e in history)  # oldest first
    # Another complaint's history is its own.
    other = register(o, name="李秀英", phone="13900001111", received=date(2026, 6, 5))
    assert {e.record_id for e in audit.history(ws, "complaint", other.id) if e.entity == "complaint"} == {other.id}
    # The global view filters by action and by entity (children included).
    transitions = audit.entries(ws, AuditFilter(action="transition"))
    assert {e.record_id for e in transitions} == {complaint.id}
    # (Entries that only moved a complaint's version stay in the chain, for conflicts, and out of every view.)
    every = audit.entries(ws, AuditFilter(entity="complaint"))
    assert audit.count(ws, AuditFilter(entity="complaint")) == len(every) == len(history) + len(
        audit.history(ws, "complaint", other.id))
    assert not any(e.only_version for e in every)
    with ws.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.changes.like(
            '{"version": [%]}'))) > 0
    assert {"complaint", "complaint_handling", "department"} <= set(audit.entity_names(ws))


def test_the_history_needs_only_view_but_the_global_trail_needs_its_permission(ws):
    department = reference.save_department(ws, None, "办公室")[0]
    account = users.create_user(ws, UserInput("lisi", "李四", (Role.READ_ONLY,)), PW)
    ws.user = Principal.trusted("周查阅", [Role.READ_ONLY])
    assert [e.action for e in audit.history(ws, "department", department.id)] == ["create"]
    for call in (audit.entries, audit.count, audit.entity_names, audit.verify, lambda w: list(audit.export_rows(w)),
                 lambda w: audit.history(w, "app_user", account.id)):  # an account's log-ins are the global trail's
        with pytest.raises(PermissionDenied, match="may not view and verify the audit trail"):
            call(ws)
    ws.user = Principal.trusted("admin", [Role.ADMINISTRATOR])
    assert [e.action for e in audit.history(ws, "app_user", account.id)] == ["create"]


def test_identities_are_recorded_masked_and_never_in_clear(ws):
    o = office(ws)
    complaint = register(o)
    import_complaints(ws, [(2, dict(number="XF-2026-0100", channel="来信", received=datetime(2026, 3, 2, 10, 0),
                                    complainant="欧阳娜娜", phone="0591-87654321", address="白沙镇工业路23号",
                                    subject="城西夜市烧烤摊", town="城关镇", location=None, pollution_types=("油烟",),
                                    content="夜市烧烤油烟直排", accepted=None, replied=None, closed=None,
                                    acceptance_due=None, handling_due=None, status=None, lead_department=None))],
                      today=TODAY)
    ws.user = Principal.trusted("王信访", [Role.COMPLAINTS_CLERK])
    complaints.get_complaint(ws, complaint.id, reveal=True, today=TODAY)
    outputs.exported(ws, "complaints", "/tmp/信访台账.xlsx", 2, identity=True)
    created = next(e for e in audit.history(ws, "complaint", complaint.id) if e.action == "create"
                   and e.entity == "complaint")
    assert created.changes["complainant_name"] == [None, "***"]
    assert created.changes["complainant_phone"] == [None, "***"]
    assert created.changes["complainant_address"] == [None, "***"]
    stored = trail_text(ws)
    for secret in (NAME, PHONE, ADDRESS, "阳光花园", "12345678", "欧阳娜娜", "87654321", "工业路23号"):
        assert secret not in stored, secret
    export = audit.entries(_admin(ws), AuditFilter(action="export"))[0]
    assert export.detail == "complainants' identities included" and export.changes == {"rows": [None, 2]}
    assert export.label == "信访台账.xlsx"  # the file's name, not where it was saved


def _admin(ws):
    ws.user = Principal.trusted("admin", [Role.ADMINISTRATOR])
    return ws


def test_bulk_creations_are_masked_like_the_others(ws):
    with ws.transaction() as session:
        audit.record_bulk(session, "complaint", [7], [dict(number="XF-2026-0007", complainant_name=NAME,
                                                            complainant_phone=PHONE, content="油烟", version=1)],
                          label_field="number")
        audit.record_bulk(session, "app_user", [3], [dict(login="lisi", password_hash="scrypt$1024$8$1$c2FsdA==$a2V5",
                                                          login_key="lisi")], label_field="login")
    entries = {e.entity: e for e in audit.entries(ws)}
    assert entries["complaint"].changes == {"number": [None, "XF-2026-0007"], "complainant_name": [None, "***"],
                                            "complainant_phone": [None, "***"], "content": [None, "油烟"]}
    assert entries["app_user"].changes == {"login": [None, "lisi"], "password_hash": [None, "***"]}
    assert NAME not in trail_text(ws) and "c2FsdA" not in trail_text(ws)


def test_password_hashes_and_passwords_are_never_recorded(sqlite_url, monkeypatch):
    with Workspace(sqlite_url) as ws, Workspace(sqlite_url) as other:
        users.create_first_administrator(ws, UserInput("admin", "系统管理员"), PW)
        lisi = users.create_user(ws, UserInput("lisi", "李四", (Role.READ_ONLY,)), "Temporary-123")
        users.reset_password(ws, lisi.id, "Temporary-456")
        users.log_in(other, "lisi", "Temporary-456")
        users.change_password(other, "Temporary-456", "My-own-secret-9")
        monkeypatch.setattr(users, "SCRYPT_N", 2 ** 11)
        users.log_out(other)
        users.log_in(other, "lisi", "My-own-secret-9")  # the hash is upgraded
        users.update_user(ws, lisi.id, UserInput("lisi", "李四", (Role.LEADER, Role.OFFICE)))
        with ws.reading() as session:
            hashes = session.execute(text("SELECT password_hash FROM app_user")).scalars().all()
        stored = trail_text(ws)
        for secret in (PW, "Temporary-123", "Temporary-456", "My-own-secret-9", "scrypt$"):
            assert secret not in stored, secret
        for hashed in hashes:
            for part in hashed.split("$")[4:]:
                assert part not in stored
        user_entries = audit.history(ws, "app_user", lisi.id)
        assert [e.action for e in user_entries] == ["create", "update", "password", "login", "update", "password",
                                                    "logout", "login", "update", "update"]
        assert user_entries[0].changes["password_hash"] == [None, "***"]
        assert user_entries[0].changes["roles"] == [None, "read_only"]
        assert user_entries[-1].changes["roles"] == ["read_only", "leader,office"]
        assert set(user_entries[-1].changes) == {"roles", "version"}
        changed_own = user_entries[4].changes
        assert changed_own["must_change_password"] == [True, False] and changed_own["password_hash"] == ["***", "***"]
        upgrade = user_entries[8]
        assert upgrade.changes["password_hash"] == ["***", "***"] and upgrade.user_name == "李四 (lisi)"


def test_a_refused_or_failed_change_leaves_no_entry(ws):
    o = office(ws)
    complaint = register(o)
    before = trail(ws)
    with pytest.raises(ValidationError):
        complaints.decide(ws, complaint.id, "not_accept", date(2026, 6, 2), o.clerk.id, reason=" ", today=TODAY)
    with pytest.raises(ValidationError):
        reference.save_department(ws, None, "信访办")  # the name is taken
    # A failure after rows were flushed: the plan's first letter is written, then the second department has no
    # party B; all is rolled back, its audit entries too.
    plan = rs.save_plan(ws, None, PlanInput("专项行动", "campaign", date(2026, 4, 1), date(2026, 6, 30)))[0]
    leader = reference.save_staff(ws, None, "陈局长", o.office.id, is_leader=True)[0]
    rs.save_task(ws, plan.id, None, TaskInput("动员", o.office.id, leader_id=leader.id, person_ids=(o.clerk.id,)),
                 today=date(2026, 4, 20))
    rs.save_task(ws, plan.id, None, TaskInput("执法检查", o.brigade.id, leader_id=leader.id), today=date(2026, 4, 20))
    before = trail(ws)
    with pytest.raises(ValidationError, match="choose the signatories"):
        rs.generate_letters(ws, plan.id, "target")
    assert rs.list_letters(ws, plan.id) == []
    ws.user = Principal.trusted("周查阅", [Role.READ_ONLY])
    with pytest.raises(PermissionDenied):
        reference.save_department(ws, None, "环评科")
    assert trail(ws) == before
    assert audit.verify(_admin(ws)).ok


def test_prints_exports_and_imports_are_recorded(ws):
    o = office(ws)
    complaint = register(o)
    other = register(o, name="李秀英", phone="13900001111", received=date(2026, 6, 5))
    ws.user = Principal.trusted("周查阅", [Role.READ_ONLY])
    outputs.printed(ws, "registration-form", [("complaint", complaint.id, complaint.number)],
                    file="/home/clerk/登记表.pdf", language="zh_CN")
    outputs.printed(ws, "ledger", [("complaint", complaint.id, complaint.number),
                                   ("complaint", other.id, other.number)])
    outputs.exported(ws, "complaints", "/home/clerk/台账.xlsx", 2)
    outputs.imported(ws, "departments", "departments.csv", 5)
    single = audit.history(ws, "complaint", complaint.id)[-1]
    assert (single.action, single.action_label, single.user_name, single.detail) == ("print", "Printed", "周查阅", "")
    assert single.changes == {"document": [None, "registration-form"], "language": [None, "zh_CN"],
                              "file": [None, "登记表.pdf"]}
    ws.user = Principal.trusted("admin", [Role.ADMINISTRATOR])
    printed, exported, imported = [audit.entries(ws, AuditFilter(action=action))[0]
                                   for action in ("print", "export", "import")]
    assert (printed.entity, printed.record_id) == ("complaint", None)
    assert printed.changes["records"] == [None, 2]
    assert printed.changes["listed"] == [None, f"{complaint.number}, {other.number}"]
    assert (exported.entity, exported.label, exported.detail, exported.changes) == (
        "complaints", "台账.xlsx", "", {"rows": [None, 2]})
    assert (imported.action_label, imported.entity, imported.label, imported.changes) == (
        "Imported", "departments", "departments.csv", {"rows": [None, 5]})
    # A clerk who may see identities prints a document that may hold them: the entry says so.
    ws.user = Principal.trusted("王信访", [Role.COMPLAINTS_CLERK])
    outputs.printed(ws, "registration-form", [("complaint", complaint.id, complaint.number)])
    assert audit.history(ws, "complaint", complaint.id)[-1].detail == "complainants' identities included"
    rows = list(audit.export_rows(_admin(ws), AuditFilter(action="print")))
    assert len(rows) == 3 and rows[0]["action"] == "Printed" and "document: — → registration-form" in rows[0]["changes"]


def test_log_ins_log_outs_and_refused_log_ins_are_recorded(sqlite_url):
    with Workspace(sqlite_url) as ws, Workspace(sqlite_url) as other:
        users.create_first_administrator(ws, UserInput("admin", "系统管理员"), PW)
        users.create_user(ws, UserInput("lisi", "李四", (Role.READ_ONLY,)), PW, must_change=False)
        with pytest.raises(NotSignedIn):
            users.log_in(other, "lisi", "wrong-password")
        with pytest.raises(NotSignedIn):
            users.log_in(other, "nobody", PW)
        users.log_in(other, "LISI", PW)
        users.log_out(other)
        entries = audit.entries(ws, AuditFilter(text="lisi"))[::-1] + audit.entries(ws, AuditFilter(text="nobody"))
        logins = [(e.action, e.action_label, e.user_name, e.label, e.detail) for e in entries
                  if e.action in ("login", "login_failed", "logout")]
        assert logins == [("login_failed", "Log-in refused", "lisi", "lisi", "wrong password"),
                          ("login", "Logged in", "李四 (lisi)", "lisi", "password"),
                          ("logout", "Logged out", "李四 (lisi)", "lisi", ""),
                          ("login_failed", "Log-in refused", "nobody", "nobody", "unknown user")]
        first = audit.entries(ws, AuditFilter(action="login"))[-1]
        assert (first.user_name, first.detail, first.detail_text) == ("系统管理员 (admin)", "first run", "first run")
        assert audit.count(ws, AuditFilter(user="李四")) == 2


# --- verification ------------------------------------------------------------------------------------------------


def _normal_use(ws):
    o = office(ws)
    complaint = register(o)
    complaints.decide(ws, complaint.id, "accept", date(2026, 6, 2), o.clerk.id, today=TODAY)
    outputs.printed(ws, "registration-form", [("complaint", complaint.id, complaint.number)])
    reference.delete_department(ws, reference.save_department(ws, None, "临时")[0].id)
    return o


def test_verify_passes_on_normal_use(any_ws):
    assert audit.verify(any_ws).ok and audit.verify(any_ws).entries == 0
    _normal_use(any_ws)
    result = audit.verify(any_ws)
    rows = trail(any_ws)
    assert result.ok and result.problems == () and result.entries == len(rows) > 10
    assert [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["prev_hash"] == "0" * 64
    assert all(row["prev_hash"] == before["hash"] for before, row in pairwise(rows))
    with any_ws.reading() as session:
        head = session.execute(select(AuditHeadRow.seq, AuditHeadRow.hash)).one()
    assert tuple(head) == (rows[-1]["seq"], rows[-1]["hash"])


def _forge(ws, seq: int, previous: str) -> dict:
    """A row chained correctly onto `previous`, as someone who knows the algorithm would write it."""
    row = dict(seq=seq, at=datetime.now(timezone.utc).isoformat(timespec="microseconds"), user_id=None,
               user_name="admin", workstation="pc-99", action="delete", entity="complaint", record_id=1,
               owner_entity="", owner_id=None, label="XF-2026-0001", changes="", detail="", prev_hash=previous)
    row["hash"] = entry_hash(previous, {key: value for key, value in row.items()})
    return row


def _edit_label(ws, rows):
    sql(ws, update(AuditRow).where(AuditRow.seq == 3).values(label="XF-2026-9999"))
    return "entry 3 was changed after it was written"


def _edit_changes(ws, rows):
    changes = json.loads(rows[4]["changes"])
    changes[next(iter(changes))] = [None, "edited"]
    sql(ws, update(AuditRow).where(AuditRow.seq == 5).values(changes=json.dumps(changes, ensure_ascii=False,
                                                                                   sort_keys=True)))
    return "entry 5 was changed after it was written"


def _edit_user(ws, rows):
    sql(ws, update(AuditRow).where(AuditRow.seq == 2).values(user_name="someone else"))
    return "entry 2 was changed after it was written"


def _edit_and_rehash(ws, rows):
    """Changed and its own hash recomputed: the next entry no longer follows it."""
    row = dict(rows[2], label="XF-2026-9999")
    row["hash"] = entry_hash(row["prev_hash"], {key: value for key, value in row.items() if key != "hash"})
    sql(ws, update(AuditRow).where(AuditRow.seq == 3).values(label=row["label"], hash=row["hash"]))
    return "entry 4 does not follow the entry before it"


def _delete_middle(ws, rows):
    sql(ws, delete(AuditRow).where(AuditRow.seq == 4))
    return "entries 4 to 4 are missing"


def _delete_last(ws, rows):
    sql(ws, delete(AuditRow).where(AuditRow.seq == rows[-1]["seq"]))
    return f"the trail ends at entry {rows[-1]['seq'] - 1} but entry {rows[-1]['seq']} was written"


def _delete_last_and_fix_nothing_else(ws, rows):
    sql(ws, delete(AuditRow).where(AuditRow.seq >= rows[-3]["seq"]))
    return f"the trail ends at entry {rows[-4]['seq']}"


def _insert_at_the_end(ws, rows):
    with ws.engine.begin() as connection:
        connection.execute(insert(AuditRow), [_forge(ws, rows[-1]["seq"] + 1, rows[-1]["hash"])])
    return f"the trail ends at entry {rows[-1]['seq'] + 1} but entry {rows[-1]['seq']} was written"


def _insert_in_between(ws, rows):
    """Renumbered to make room: the entries after it no longer follow."""
    with ws.engine.begin() as connection:
        drop_guards(connection)
        connection.execute(update(AuditRow).where(AuditRow.seq > 3).values(seq=AuditRow.seq + 100000))
        connection.execute(insert(AuditRow), [_forge(ws, 4, rows[2]["hash"])])
    return "entries 5 to 100003 are missing"


def _tamper_head(ws, rows):
    sql(ws, update(AuditHeadRow).values(hash="f" * 64))
    return f"the trail ends at entry {rows[-1]['seq']} but entry {rows[-1]['seq']} was written"


def _remove_head(ws, rows):
    sql(ws, delete(AuditHeadRow))
    return "the record of the last entry is missing"


TAMPERING = [_edit_label, _edit_changes, _edit_user, _edit_and_rehash, _delete_middle, _delete_last,
             _delete_last_and_fix_nothing_else, _insert_at_the_end, _insert_in_between, _tamper_head, _remove_head]


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET user_name = 'x' WHERE seq = 1",
                                       "DELETE FROM audit_log WHERE seq = 1"])
def test_the_database_refuses_changes_to_the_trail(any_ws, statement):
    _normal_use(any_ws)
    before = trail(any_ws)
    with pytest.raises(sa_exc.DatabaseError, match="append-only"):
        with any_ws.engine.begin() as connection:
            connection.execute(text(statement))
    assert trail(any_ws) == before and audit.verify(any_ws).ok


@pytest.mark.parametrize("tamper", TAMPERING, ids=lambda f: f.__name__.strip("_"))
def test_verify_fails_after_the_trail_is_changed_in_the_database(any_ws, tamper):
    _normal_use(any_ws)
    rows = trail(any_ws)
    assert audit.verify(any_ws).ok
    problem = tamper(any_ws, rows)
    result = audit.verify(any_ws)
    assert not result.ok
    assert any(p.startswith(problem) for p in result.problems), result.problems


def test_a_trail_rewritten_from_the_start_with_its_head_passes_verification(ws):
    """The limit of an unkeyed chain (reported to the lead): whoever can write the database and knows the
    algorithm can rewrite the tail and the head consistently. Keeping a copy of the head elsewhere (an export,
    a backup) is what shows it."""
    _normal_use(ws)
    rows = trail(ws)
    forged = _forge(ws, rows[-1]["seq"] + 1, rows[-1]["hash"])
    with ws.engine.begin() as connection:
        connection.execute(insert(AuditRow), [forged])
        connection.execute(update(AuditHeadRow).values(seq=forged["seq"], hash=forged["hash"]))
    assert audit.verify(ws).ok


def test_the_app_keeps_chaining_after_entries_it_did_not_write_are_found(ws):
    _normal_use(ws)
    sql(ws, update(AuditRow).where(AuditRow.seq == 2).values(detail="edited"))
    reference.save_department(ws, None, "环评科")
    result = audit.verify(ws)
    assert result.problems == ("entry 2 was changed after it was written",)


# --- two workstations ------------------------------------------------------------------------------------------


def test_two_workstations_appending_in_turn_keep_the_chain(any_ws):
    url = any_ws.url
    with Workspace(url, user=Principal.trusted("甲")) as first, Workspace(url, user=Principal.trusted("乙")) as second:
        for n in range(6):
            reference.save_department(first, None, f"甲{n}")
            reference.save_department(second, None, f"乙{n}")
            reference.save_town(second if n % 2 else first, None, f"镇{n}")
        rows = trail(any_ws)
        assert [row["user_name"] for row in rows[:4]] == ["甲", "乙", "甲", "甲"]
        assert [row["seq"] for row in rows] == list(range(1, 19))
        assert audit.verify(first).ok and audit.verify(second).ok


def _threads(url, workers: int, per_worker: int) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def work(n):
        try:
            with Workspace(url, user=Principal.trusted(f"workstation {n}")) as ws:
                barrier.wait()
                for i in range(per_worker):
                    reference.save_department(ws, None, f"部门{n}-{i}")
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.postgres
def test_workstations_committing_at_the_same_time_keep_the_chain_on_postgresql(pg_url):
    with Workspace(pg_url, user=Principal.trusted("tester")) as ws:
        errors = _threads(pg_url, workers=2, per_worker=20)
        assert errors == []
        result = audit.verify(ws)
        assert result.ok and result.entries == 40, result.problems
        with ws.reading() as session:
            users_seen = session.execute(select(AuditRow.user_name, func.count()).group_by(AuditRow.user_name)).all()
        assert sorted(users_seen) == [("workstation 0", 20), ("workstation 1", 20)]


def test_the_global_trail_is_filtered_alike_on_both_databases(any_ws):
    ws = any_ws
    with Workspace(ws.url, user=Principal.trusted("Wang_Wu")) as other:
        reference.save_department(other, None, "Office_A")
    reference.save_department(ws, None, "Office%B")
    reference.save_town(ws, None, "城关镇")
    assert [e.label for e in audit.entries(ws, AuditFilter(text="office"))] == ["Office%B", "Office_A"]
    assert [e.label for e in audit.entries(ws, AuditFilter(text="%"))] == ["Office%B"]  # typed, not a wildcard
    assert [e.label for e in audit.entries(ws, AuditFilter(text="e_a"))] == ["Office_A"]
    assert [e.user_name for e in audit.entries(ws, AuditFilter(user="wang_"))] == ["Wang_Wu"]
    assert audit.count(ws, AuditFilter(user="TESTER")) == 2
    assert audit.count(ws, AuditFilter(entity="town")) == 1
    today = datetime.now(timezone.utc).date()
    assert audit.count(ws, AuditFilter(since=today - timedelta(days=1), until=today + timedelta(days=1))) == 3
    assert audit.count(ws, AuditFilter(until=today - timedelta(days=2))) == 0


@pytest.fixture
def in_beijing(monkeypatch):
    """The workstation's clock set to China Standard Time (UTC+8), as at the bureau."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def test_date_filters_use_the_days_of_the_workstation_not_utc(ws, in_beijing):
    reference.save_department(ws, None, "办公室")
    reference.save_department(ws, None, "监察大队")
    # 04:00 and 23:30 on 15 June in Beijing: 14 June 20:00 and 15 June 15:30 in UTC.
    sql(ws, update(AuditRow).where(AuditRow.seq == 1).values(at="2026-06-14T20:00:00.000000+00:00"))
    sql(ws, update(AuditRow).where(AuditRow.seq == 2).values(at="2026-06-15T15:30:00.000000+00:00"))
    assert [e.at.astimezone().date() for e in audit.entries(ws)] == [date(2026, 6, 15)] * 2
    assert audit.count(ws, AuditFilter(since=date(2026, 6, 15), until=date(2026, 6, 15))) == 2
    assert audit.count(ws, AuditFilter(until=date(2026, 6, 14))) == 0
    assert audit.count(ws, AuditFilter(since=date(2026, 6, 16))) == 0
    assert [row["at"][:10] for row in audit.export_rows(ws)] == ["2026-06-15"] * 2


@pytest.mark.postgres
def test_verify_while_other_workstations_write_finds_nothing_wrong_on_postgresql(pg_url):
    """Verification reads the entries and the head in one snapshot: an entry committed meanwhile is no gap."""
    with Workspace(pg_url, user=Principal.trusted("tester")) as ws:
        results, errors = [], []
        writers = threading.Thread(target=lambda: errors.extend(_threads(pg_url, workers=2, per_worker=30)))
        writers.start()
        while writers.is_alive():
            results.append(audit.verify(ws))
        writers.join()
        assert errors == [] and len(results) > 3
        assert [result.problems for result in results if not result.ok] == []
        assert audit.verify(ws).entries == 60
