"""Who may do what, through envdesk.app: every use case declares its permission, and each role — signed in as a
real account — can do exactly what ROLE_PERMISSIONS grants it; a refused call writes nothing."""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

import envdesk.app
from envdesk.app import (
    approvals,
    audit,
    backup,
    calendar,
    complaints,
    complaints_exchange,
    demo,
    enterprises,
    outputs,
    overview,
    reference,
    twinning,
    users,
)
from envdesk.app import responsibility as rs
from envdesk.app import settings as settings_app
from envdesk.app.access import Principal, can
from envdesk.app.approvals import ProjectInput
from envdesk.app.complaints import ComplaintInput
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.errors import NotSignedIn, PermissionDenied
from envdesk.app.responsibility import PlanInput, TaskInput
from envdesk.app.users import UserInput
from envdesk.app.workspace import Workspace
from envdesk.domain.calendar import YearSchedule
from envdesk.domain.users import ROLE_PERMISSIONS, Permission, Role, roles_granting
from envdesk.store.schema import Base
from envdesk.store.users import UserRow

P = Permission
D = date.fromisoformat
TODAY = D("2026-06-15")
PW = "Qingxi-2026!"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# --- every use case declares what it needs ----------------------------------------------------------------------

# Public functions taking the workspace first that deliberately carry no permission (reported to the lead).
NOT_USE_CASES = {
    "envdesk.app.access.principal": "the sign-in check itself",
    "envdesk.app.access.can": "the check itself (for showing buttons)",
    "envdesk.app.access.check": "the check itself",
    "envdesk.app.audit.log": "the recording primitive; its callers have checked (backup.restore calls it as a "
                             "principal without roles)",
    "envdesk.app.demo_approvals.write": "the demo's internals, run by demo.fill (checked) as the demo's principal",
}
# Use cases open to everyone, signed in or not, with why.
OPEN_TO_ALL = {
    "envdesk.app.reference.get_bureau": "the bureau's name on the log-in window",
    "envdesk.app.reference.is_set_up": "the first-run wizard",
    "envdesk.app.settings.get_value": "settings are read before log-in (session length, lock-out)",
    "envdesk.app.settings.all_values": "the settings dialog reads before deciding what may be edited",
    "envdesk.app.settings.rule": "deadline rules, read by every register",
    "envdesk.app.settings.rules": "deadline rules, read by every register",
    "envdesk.app.settings.save_values": "checks SETTINGS_EDIT inside unless only this workstation's settings change",
    "envdesk.app.settings.set_value": "save_values",
    "envdesk.app.settings.reset_value": "save_values",
    "envdesk.app.demo.is_empty": "the first-run wizard",
    "envdesk.app.demo.fill": "a database without accounts gets the demo's; otherwise checks BACKUP inside",
    "envdesk.app.users.has_users": "before the first log-in",
    "envdesk.app.users.create_first_administrator": "only on a database without accounts",
    "envdesk.app.users.log_in": "the log-in",
    "envdesk.app.users.passwordless_allowed": "the log-in",
    "envdesk.app.users.log_in_configured": "the log-in of a single-user workstation or service user",
    "envdesk.app.users.log_out": "nothing to do when nobody is signed in",
    "envdesk.app.users.demo_accounts": "only on a database without accounts (demo.fill)",
    "envdesk.app.backup.automatic_backup": "the workstation's daily safety copy, kept owner-only in its data folder",
}


def _workspace_functions():
    """(qualified name, function) of every public function of envdesk.app whose first parameter is `ws`."""
    found = []
    for info in pkgutil.iter_modules(envdesk.app.__path__):
        module = importlib.import_module(f"envdesk.app.{info.name}")
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters and parameters[0] == "ws":
                found.append((f"{module.__name__}.{name}", function))
    return found


FUNCTIONS = _workspace_functions()


def test_every_use_case_declares_its_permission():
    assert len(FUNCTIONS) > 150
    missing = [name for name, function in FUNCTIONS
               if not hasattr(function, "required_permission") and name not in NOT_USE_CASES]
    assert missing == []
    names = {name for name, _function in FUNCTIONS}
    assert set(NOT_USE_CASES) <= names, "an exception no longer exists: remove it from NOT_USE_CASES"
    declared = {name: function.required_permission for name, function in FUNCTIONS
                if hasattr(function, "required_permission")}
    assert all(value is None or isinstance(value, Permission) for value in declared.values())
    assert {name for name, value in declared.items() if value is None} == set(OPEN_TO_ALL)


def test_reading_printing_and_exporting_need_only_view():
    """Every signed-in user reads the registers, prints and exports them (identities masked); only the accounts
    and the global audit trail are an administrator's."""
    declared = {name: getattr(function, "required_permission", None) for name, function in FUNCTIONS}
    reads = [name for name in declared if name.rsplit(".", 1)[1].startswith(("list_", "get_", "count_", "find_"))
             or name.endswith("_rows")]
    assert len(reads) > 30
    for name in reads:
        if name.startswith(("envdesk.app.users.", "envdesk.app.audit.")):
            assert declared[name] in (P.USERS_MANAGE, P.AUDIT_VIEW), name
        elif name not in OPEN_TO_ALL:
            assert declared[name] is P.VIEW, name
    for name in ("printed", "exported", "imported"):
        assert declared[f"envdesk.app.outputs.{name}"] is P.VIEW


def test_the_declared_permission_is_checked_before_anything_runs(ws):
    """Called by a user lacking only what it declares (and without its arguments), every use case is refused at
    once: the declaration is the check, not a label."""
    checked = 0
    for name, function in FUNCTIONS:
        permission = getattr(function, "required_permission", None)
        if permission is None:
            continue
        ws.user = Principal.trusted("lacking", [role for role in Role if permission not in ROLE_PERMISSIONS[role]])
        assert not can(ws, permission)
        with pytest.raises(PermissionDenied) as refused:
            function(ws)
        assert not isinstance(refused.value, NotSignedIn), name
        assert str(refused.value).startswith("lacking may not "), name
        checked += 1
    assert checked > 140


def test_nobody_signed_in_cannot_even_read(ws):
    ws.user = None
    for read in (complaints.list_complaints, approvals.list_cases, overview.build, reference.list_departments,
                 rs.list_plans):
        with pytest.raises(NotSignedIn, match="Nobody is signed in: log in first"):
            read(ws)
    assert not can(ws, P.VIEW)


# --- the role matrix, signed in as real accounts ----------------------------------------------------------------


def _office(ws, tmp_path):
    """A small bureau with a record ready for each step below, and one account per role (login = the role's
    key), made by the trusted tester."""
    office = reference.save_department(ws, None, "办公室")[0]
    brigade = reference.save_department(ws, None, "监察大队")[0]
    town = reference.save_town(ws, None, "城关镇")[0]

    def staff(name, department, **kw):
        return reference.save_staff(ws, None, name, department.id, **kw)[0]

    director = staff("陈局长", office, title="局长", is_leader=True)
    clerk, inspector = staff("李四", office, title="科长"), staff("王五", brigade, title="大队长")
    hongda = enterprises.save_enterprise(ws, None, EnterpriseInput(
        "青溪县宏达化工有限公司", credit_code="91350100M000100Y43", town_id=town.id))[0]

    def complaint(received):
        return complaints.register(ws, ComplaintInput(
            channel="12369", received_at=complaints_received(received), first_receiver_id=clerk.id,
            content="工地夜间施工噪声扰民", pollution_types=("construction_noise",), complainant_name="张建国",
            complainant_phone="13812345678", complainant_address="城关镇阳光花园3幢2单元501室", subject="城东工地",
            town_id=town.id), today=TODAY)[0]

    to_decide = complaint(D("2026-06-10"))
    to_extend = complaint(D("2026-06-01"))
    complaints.decide(ws, to_extend.id, "accept", D("2026-06-02"), clerk.id, today=TODAY)
    complaints.assign(ws, to_extend.id, brigade.id, inspector.id, D("2026-06-02"), clerk.id, today=TODAY)

    case = approvals.register(ws, _project(hongda), received_on=D("2026-06-01"), actor_id=clerk.id, today=TODAY)[0]
    case = approvals.accept(ws, case.id, D("2026-06-02"), clerk.id, case.version, today=TODAY)[0]

    pair = twinning.pair_enterprise(ws, hongda.id, 2026, clerk.id, director.id, D("2026-02-20"))[0]

    plan = rs.save_plan(ws, None, PlanInput("生态优先 环境惠民 专项行动", "campaign", D("2026-04-15"), D("2026-06-30"),
                                            office_id=office.id))[0]
    task = rs.save_task(ws, plan.id, None, _task(office, director, clerk, "召开动员大会"), today=D("2026-04-20"))[0]
    letters = rs.generate_letters(ws, plan.id, "target")[0]
    rs.mark_printed(ws, [letter.id for letter in letters], D("2026-04-20"))
    scan = tmp_path / "signed.png"
    scan.write_bytes(PNG)

    for role in Role:
        users.create_user(ws, UserInput(role.value, role.label, (role,)), PW, must_change=False)
    return SimpleNamespace(ws=ws, office=office, director=director, clerk=clerk, hongda=hongda, to_decide=to_decide,
                           to_extend=to_extend, case=case, pair=pair, plan=plan, task=task, letter=letters[0],
                           scan=scan, tmp_path=tmp_path)


def complaints_received(day):
    return datetime.combine(day, time(10)).astimezone()


def _project(builder, name="年产5万吨饲料加工项目"):
    return ProjectInput(name=name, builder_id=builder.id, document_type="report_form", location="城关镇工业园",
                        category=15, total_investment="3200", env_investment="180.5")


def _task(department, leader, person, content):
    return TaskInput(content, department.id, leader_id=leader.id, person_ids=(person.id,), deadline=D("2026-06-30"))


@dataclass(frozen=True)
class UseCase:
    name: str
    permission: Permission
    call: Callable  # (office, workspace of the signed-in role)
    writes: bool = True
    declared: bool = True  # the function's own @requires names this permission (else it checks inside)


USE_CASES = [
    UseCase("complaints.list_complaints", P.VIEW, lambda o, ws: complaints.list_complaints(ws, today=TODAY),
            writes=False),
    UseCase("overview.build", P.VIEW, lambda o, ws: overview.build(ws, today=TODAY), writes=False),
    UseCase("audit.history", P.VIEW, lambda o, ws: audit.history(ws, "complaint", o.to_decide.id), writes=False),
    UseCase("outputs.printed", P.VIEW, lambda o, ws: outputs.printed(
        ws, "ledger", [("complaint", o.to_decide.id, o.to_decide.number)])),
    UseCase("complaints.register", P.COMPLAINTS_EDIT, lambda o, ws: complaints.register(ws, ComplaintInput(
        channel="letter", received_at=complaints_received(D("2026-06-12")), first_receiver_id=o.clerk.id,
        content="化工厂夜间偷排废水，河水发黑发臭", pollution_types=("water",), complainant_name="李秀英",
        complainant_phone="13900001111", enterprise_id=o.hongda.id), today=TODAY)),
    UseCase("complaints.decide", P.COMPLAINTS_EDIT, lambda o, ws: complaints.decide(
        ws, o.to_decide.id, "accept", D("2026-06-11"), o.clerk.id, today=TODAY)),
    UseCase("complaints.extend", P.APPROVE_EXTENSION, lambda o, ws: complaints.extend(
        ws, o.to_extend.id, 15, "需委托第三方监测", o.director.id, D("2026-06-12"), today=TODAY)),
    UseCase("complaints.get_complaint(reveal)", P.COMPLAINANT_IDENTITY, lambda o, ws: complaints.get_complaint(
        ws, o.to_decide.id, reveal=True, today=TODAY), declared=False),
    UseCase("complaints.list_complaints(reveal)", P.COMPLAINANT_IDENTITY, lambda o, ws: complaints.list_complaints(
        ws, reveal=True, today=TODAY), writes=False, declared=False),
    UseCase("complaints_exchange.complaint_rows(identity)", P.COMPLAINANT_IDENTITY,
            lambda o, ws: complaints_exchange.complaint_rows(ws, None, None, include_identity=True, today=TODAY),
            writes=False, declared=False),
    UseCase("approvals.register", P.APPROVALS_EDIT, lambda o, ws: approvals.register(
        ws, _project(o.hongda, "年产2万吨再生塑料项目"), received_on=D("2026-06-12"), today=TODAY)),
    UseCase("approvals.decide", P.APPROVALS_DECIDE, lambda o, ws: approvals.decide(
        ws, o.case.id, "approved", D("2026-06-12"), "青环审〔2026〕41号", "", o.clerk.id, o.case.version, today=TODAY)),
    UseCase("enterprises.save_enterprise", P.ENTERPRISES_EDIT, lambda o, ws: enterprises.save_enterprise(
        ws, None, EnterpriseInput("青溪县绿源污水处理有限公司"))),
    UseCase("twinning.log_contact", P.TWINNING_EDIT, lambda o, ws: twinning.log_contact(
        ws, o.pair.id, D("2026-06-10"), "visit", o.clerk.id, "走访企业，查看治理设施运行情况", today=TODAY)),
    UseCase("responsibility.save_plan", P.PLANS_EDIT, lambda o, ws: rs.save_plan(
        ws, None, PlanInput("2026年度环保目标责任", "annual", D("2026-01-01"), D("2026-12-31")))),
    UseCase("responsibility.save_task", P.PLANS_EDIT, lambda o, ws: rs.save_task(
        ws, o.plan.id, None, _task(o.office, o.director, o.clerk, "印发实施方案"), today=D("2026-04-20"))),
    UseCase("responsibility.report_progress", P.PLANS_EDIT, lambda o, ws: rs.report_progress(
        ws, o.task.id, D("2026-05-14"), 45, "已完成动员部署", today=D("2026-05-15"))),
    UseCase("responsibility.generate_letters", P.PLANS_EDIT, lambda o, ws: rs.generate_letters(
        ws, o.plan.id, "clean-government")),
    UseCase("responsibility.sign", P.LETTERS_SIGN, lambda o, ws: rs.sign(
        ws, o.letter.id, D("2026-04-21"), o.scan, today=D("2026-04-22"))),
    UseCase("reference.save_department", P.REFERENCE_EDIT, lambda o, ws: reference.save_department(
        ws, None, "环评科")),
    UseCase("settings.set_value(shared)", P.SETTINGS_EDIT, lambda o, ws: settings_app.set_value(
        ws, "documents/supervision_phone", "0591-12345678"), declared=False),
    UseCase("calendar.save_schedules", P.SETTINGS_EDIT, lambda o, ws: calendar.save_schedules(
        ws, [YearSchedule(2031, [D("2031-01-01")], [], "test")])),
    UseCase("users.create_user", P.USERS_MANAGE, lambda o, ws: users.create_user(
        ws, UserInput("newcomer", "新同事", (Role.READ_ONLY,)), PW)),
    UseCase("audit.entries", P.AUDIT_VIEW, lambda o, ws: audit.entries(ws), writes=False),
    UseCase("audit.verify", P.AUDIT_VIEW, lambda o, ws: audit.verify(ws), writes=False),
    UseCase("backup.backup", P.BACKUP, lambda o, ws: backup.backup(ws, o.tmp_path / "backup.sqlite3")),
]

# The issue's examples, written out rather than derived from ROLE_PERMISSIONS.
ISSUE_EXAMPLES = {
    "complaints.get_complaint(reveal)": {Role.COMPLAINTS_CLERK, Role.LEADER},   # see complainant identity
    "complaints.list_complaints(reveal)": {Role.COMPLAINTS_CLERK, Role.LEADER},
    "complaints.extend": {Role.LEADER},                                          # approve extensions
    "approvals.decide": {Role.APPROVAL_CLERK},                                   # record decisions
    "responsibility.sign": {Role.OFFICE},                                        # mark letters signed
}


def test_the_table_covers_every_permission_and_names_what_the_code_declares():
    assert {case.permission for case in USE_CASES} == set(Permission)
    functions = dict(FUNCTIONS)
    for case in USE_CASES:
        if case.declared:
            assert functions[f"envdesk.app.{case.name}"].required_permission is case.permission, case.name


def fingerprint(ws) -> dict[str, tuple]:
    """Each table's row count, and the sum of its versions where it has them (an update moves a version)."""
    with ws.reading() as session:
        result = {}
        for table in Base.metadata.sorted_tables:
            columns = [func.count()]
            if "version" in table.c:
                columns.append(func.coalesce(func.sum(table.c.version), 0))
            result[table.name] = tuple(session.execute(select(*columns).select_from(table)).one())
        return result


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_can_do_exactly_what_its_permissions_allow(ws, sqlite_url, tmp_path, role):
    o = _office(ws, tmp_path)
    signed_in = Workspace(sqlite_url)
    try:
        who = users.log_in(signed_in, role.value, PW)
        assert who.roles == {role} and who.permissions == ROLE_PERMISSIONS[role]
        wrong = []
        for case in USE_CASES:
            allowed = case.permission in ROLE_PERMISSIONS[role]
            if case.name in ISSUE_EXAMPLES:
                assert allowed == (role in ISSUE_EXAMPLES[case.name]), case.name
            assert can(signed_in, case.permission) == allowed
            before = fingerprint(ws)
            try:
                case.call(o, signed_in)
            except PermissionDenied as error:
                if allowed or isinstance(error, NotSignedIn):
                    wrong.append(f"{case.name}: refused ({error})")
                elif fingerprint(ws) != before:
                    wrong.append(f"{case.name}: refused but wrote something")
                elif f"{role.label} ({role.value}) may not" not in str(error):
                    wrong.append(f"{case.name}: the refusal does not name the user: {error}")
                continue
            if not allowed:
                wrong.append(f"{case.name}: allowed without {case.permission.value}")
                continue
            after = fingerprint(ws)
            if case.writes and after["audit_log"] == before["audit_log"]:
                wrong.append(f"{case.name}: allowed but nothing audited")
            if not case.writes and after != before:
                wrong.append(f"{case.name}: a read wrote something")
        assert wrong == []
        assert (o.tmp_path / "backup.sqlite3").exists() == (P.BACKUP in ROLE_PERMISSIONS[role])
        assert (settings_app.get_value(ws, "documents/supervision_phone") == "0591-12345678") == \
            (P.SETTINGS_EDIT in ROLE_PERMISSIONS[role])
    finally:
        signed_in.close()


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_only_an_administrator_adds_demo_data_to_a_database_with_accounts(tmp_path, monkeypatch, role):
    monkeypatch.setattr(demo, "DEMO_STEPS", [demo._reference_data])  # the reference data is enough here
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with Workspace(url, user=Principal.trusted("tester")) as setup:
        users.create_user(setup, UserInput(role.value, "", (role,)), PW, must_change=False)
    with Workspace(url) as ws:
        users.log_in(ws, role.value, PW)
        before = fingerprint(ws)
        if P.BACKUP in ROLE_PERMISSIONS[role]:
            lines = demo.fill(ws, "small")
            assert lines and not demo.is_empty(ws)
            assert ws.user.login == role.value  # signed in as before
            assert not any("Accounts" in line for line in lines)  # no demo accounts next to real ones
        else:
            with pytest.raises(PermissionDenied, match="may not back up, restore and load demo data"):
                demo.fill(ws, "small")
            assert fingerprint(ws) == before and demo.is_empty(ws)


def test_the_demo_accounts_have_one_role_each_with_the_issues_examples(demo_ws, tmp_path):
    """The demo's accounts (password envdesk-demo): identity for the complaints clerk and the leader only,
    extensions for the leader, decisions for the approval clerk, signatures for the office."""
    url = demo_ws.url
    # The demo's hashes are at the production cost (a third of a second a log-in): the same password, re-hashed
    # cheaply (tests/unit/app/test_privacy.py signs in with the demo's own hash).
    with demo_ws.engine.begin() as connection:
        connection.execute(update(UserRow).values(password_hash=users.hash_password(demo.DEMO_PASSWORD)))
    accounts = {"admin": Role.ADMINISTRATOR, "leader": Role.LEADER, "complaints": Role.COMPLAINTS_CLERK,
                "approvals": Role.APPROVAL_CLERK, "liaison": Role.LIAISON_OFFICER, "office": Role.OFFICE,
                "viewer": Role.READ_ONLY}
    complaint = complaints.list_complaints(demo_ws, limit=1)[0]
    for login, role in accounts.items():
        with Workspace(url) as ws:
            who = users.log_in(ws, login, demo.DEMO_PASSWORD)
            assert who.roles == {role}
            assert can(ws, P.COMPLAINANT_IDENTITY) == (login in ("complaints", "leader"))
            assert can(ws, P.APPROVE_EXTENSION) == (login == "leader")
            assert can(ws, P.APPROVALS_DECIDE) == (login == "approvals")
            assert can(ws, P.LETTERS_SIGN) == (login == "office")
            if login in ("complaints", "leader"):
                assert not complaints.get_complaint(ws, complaint.id, reveal=True).complainant.masked
            else:
                with pytest.raises(PermissionDenied, match="see complainants' identities"):
                    complaints.get_complaint(ws, complaint.id, reveal=True)
                assert complaints.get_complaint(ws, complaint.id).complainant.masked or \
                    complaint.complainant.anonymous


def test_a_refusal_names_the_roles_that_would_allow_it(ws):
    ws.user = Principal.trusted("周查阅", [Role.READ_ONLY])
    with pytest.raises(PermissionDenied) as refused:
        complaints.extend(ws, 1, 15, "x", 1, TODAY)
    assert str(refused.value) == ("周查阅 may not approve extensions of complaint limits: that needs the role "
                                  "Leader.")
    with pytest.raises(PermissionDenied) as admin_only:
        users.list_users(ws)
    assert str(admin_only.value) == "周查阅 may not manage users: that needs the role Administrator."
    assert roles_granting(P.USERS_MANAGE) == [Role.ADMINISTRATOR]


def test_the_scan_of_a_refused_signature_is_not_copied(ws, sqlite_url, tmp_path):
    o = _office(ws, tmp_path)
    from envdesk.app.responsibility import scan_dir

    with Workspace(sqlite_url) as viewer:
        users.log_in(viewer, Role.READ_ONLY.value, PW)
        with pytest.raises(PermissionDenied):
            rs.sign(viewer, o.letter.id, D("2026-04-21"), o.scan, today=D("2026-04-22"))
    assert not Path(scan_dir()).exists() or not any(Path(scan_dir()).iterdir())
