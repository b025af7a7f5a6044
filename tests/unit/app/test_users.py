"""User accounts through envdesk.app.users: the first administrator, log-in and lock-out, passwords, sessions ended
on another workstation, role changes, the last administrator, single-user workstations, password hashing."""

import ast
import base64
import inspect
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from envdesk import settings as decl
from envdesk.app import enterprises, reference, users
from envdesk.app import settings as settings_app
from envdesk.app.access import Principal
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.errors import (
    ConflictError,
    NotSignedIn,
    PermissionDenied,
    ValidationError,
)
from envdesk.app.users import UserInput
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Permission, Role
from envdesk.store.types import utcnow
from envdesk.store.users import AuditRow, LoginSessionRow, UserRow

PW = "Qingxi-2026!"
OTHER_PW = "another-Secret-9"


class Bureau:
    """One database and the workstations opened on it; the first administrator is signed in on `admin`."""

    def __init__(self, url):
        self.url = url
        self.opened: list[Workspace] = []
        self.admin = self.workstation()
        self.admin_user = users.create_first_administrator(self.admin, UserInput("admin", "系统管理员"), PW)

    def workstation(self, login: str | None = None, password: str = PW) -> Workspace:
        ws = Workspace(self.url)
        self.opened.append(ws)
        if login:
            users.log_in(ws, login, password)
        return ws

    def account(self, login: str, *roles: Role, display: str = "", must_change: bool = False, **kw):
        return users.create_user(self.admin, UserInput(login, display, roles or (Role.READ_ONLY,), **kw), PW,
                                 must_change=must_change)

    def row(self, login: str) -> SimpleNamespace:
        """The account's row as stored (a snapshot)."""
        with self.admin.reading() as session:
            found = session.execute(select(UserRow.__table__).where(UserRow.login_key == login.casefold())).one()
            return SimpleNamespace(**found._mapping)

    def sql(self, statement) -> None:
        with self.admin.engine.begin() as connection:
            connection.execute(statement)

    def audit(self, action: str | None = None) -> list[SimpleNamespace]:
        """The audit trail's rows as stored, oldest first."""
        with self.admin.reading() as session:
            query = select(AuditRow.__table__).order_by(AuditRow.seq)
            if action:
                query = query.where(AuditRow.action == action)
            return [SimpleNamespace(**row._mapping) for row in session.execute(query)]

    def close(self) -> None:
        for ws in self.opened:
            ws.close()


@pytest.fixture
def bureau(sqlite_url):
    value = Bureau(sqlite_url)
    yield value
    value.close()


@pytest.fixture
def any_bureau(db_url):
    """The same on each first-class database (a shared server is PostgreSQL)."""
    value = Bureau(db_url)
    yield value
    value.close()


def a_department(ws, name="办公室"):
    return reference.save_department(ws, None, name)[0]


# --- the first administrator ----------------------------------------------------------------------


def test_the_first_run_creates_the_administrator_once(sqlite_url):
    ws = Workspace(sqlite_url)
    other = Workspace(sqlite_url)
    try:
        assert ws.user is None and not users.has_users(ws)
        with pytest.raises(ValidationError) as weak:
            users.create_first_administrator(ws, UserInput("admin"), "admin")
        assert weak.value.field == "Password"
        assert not users.has_users(ws)

        who = users.create_first_administrator(ws, UserInput("Admin", "系统管理员", (Role.LEADER,)), PW)
        assert ws.user == who and who.session_token and who.user_id
        assert who.roles == {Role.ADMINISTRATOR, Role.LEADER}  # an administrator whatever else was asked for
        assert who.login == "Admin" and who.name == "系统管理员 (Admin)"
        assert not who.must_change_password
        assert users.has_users(other)

        with pytest.raises(PermissionDenied, match="already has users"):
            users.create_first_administrator(other, UserInput("intruder"), PW)
        assert other.user is None
        assert [u.login for u in users.list_users(ws)] == ["Admin"]
        with ws.reading() as session:
            logins = session.execute(select(AuditRow.label, AuditRow.detail).where(AuditRow.action == "login")).all()
        assert logins == [("Admin", "first run")]
    finally:
        ws.close()
        other.close()


# --- log-in ---------------------------------------------------------------------------------------


def test_log_in_succeeds_with_the_right_password_whatever_the_case_of_the_name(bureau):
    bureau.account("LiSi", Role.COMPLAINTS_CLERK, display="李四")
    ws = bureau.workstation()
    who = users.log_in(ws, "  lisi ", PW)
    assert ws.user == who
    assert (who.login, who.display_name, who.roles) == ("LiSi", "李四", {Role.COMPLAINTS_CLERK})
    assert who.session_token and who.user_id == bureau.row("lisi").id
    assert bureau.row("lisi").last_login_at is not None
    with bureau.admin.reading() as session:
        open_ = session.execute(select(LoginSessionRow.ended_at, LoginSessionRow.user_id).where(
            LoginSessionRow.token == who.session_token)).one()
    assert open_ == (None, who.user_id)


def test_an_unknown_user_is_told_so_by_name(bureau):
    ws = bureau.workstation()
    with pytest.raises(NotSignedIn) as raised:
        users.log_in(ws, "wangwu", PW)
    assert "There is no user “wangwu”" in str(raised.value)
    assert ws.user is None
    failed = bureau.audit("login_failed")
    assert [(row.label, row.detail, row.user_name) for row in failed] == [("wangwu", "unknown user", "wangwu")]


def test_a_wrong_password_names_the_user_and_the_attempts_left(bureau):
    bureau.account("lisi")
    ws = bureau.workstation()
    with pytest.raises(NotSignedIn) as raised:
        users.log_in(ws, "lisi", "not-the-password")
    assert str(raised.value) == ("Wrong password for “lisi”. 4 more wrong attempt(s) lock the account for 15 "
                                 "minutes.")
    assert ws.user is None
    with pytest.raises(ValidationError) as empty:
        users.log_in(ws, "  ", PW)
    assert empty.value.field == "User name"


def test_repeated_wrong_passwords_lock_the_account_until_unlocked_or_the_time_is_up(bureau):
    settings_app.set_value(bureau.admin, "users/max_failed_logins", 3)
    settings_app.set_value(bureau.admin, "users/lockout_minutes", 30)
    lisi = bureau.account("lisi")
    ws = bureau.workstation()
    for left in (2, 1):
        with pytest.raises(NotSignedIn, match=f"{left} more wrong attempt"):
            users.log_in(ws, "lisi", "wrong-password")
    with pytest.raises(NotSignedIn, match="“lisi” is locked after too many wrong passwords") as third:
        users.log_in(ws, "lisi", "wrong-password")
    assert "An administrator can unlock it" in str(third.value)
    locked_until = bureau.row("lisi").locked_until
    assert timedelta(minutes=29) < locked_until - utcnow() <= timedelta(minutes=30)
    assert users.get_user(bureau.admin, lisi.id).locked()
    # Locked: even the right password is refused.
    with pytest.raises(NotSignedIn, match="is locked"):
        users.log_in(ws, "lisi", PW)
    assert ws.user is None
    assert [row.detail for row in bureau.audit("login_failed")][-1] == "account locked"

    users.unlock(bureau.admin, lisi.id)
    assert not users.get_user(bureau.admin, lisi.id).locked()
    users.log_in(ws, "lisi", PW)
    users.log_out(ws)

    # Locked again; once the lock-out time is up the right password works again.
    for _attempt in range(3):
        with pytest.raises(NotSignedIn):
            users.log_in(ws, "lisi", "wrong-password")
    with pytest.raises(NotSignedIn, match="is locked"):
        users.log_in(ws, "lisi", PW)
    bureau.sql(update(UserRow).where(UserRow.login == "lisi").values(locked_until=utcnow() - timedelta(seconds=1)))
    assert users.log_in(ws, "lisi", PW).login == "lisi"
    row = bureau.row("lisi")
    assert row.locked_until is None and row.failed_logins == 0


def test_a_right_password_resets_the_count_of_wrong_ones(bureau):
    settings_app.set_value(bureau.admin, "users/max_failed_logins", 2)
    bureau.account("lisi")
    ws = bureau.workstation()
    with pytest.raises(NotSignedIn, match="1 more wrong attempt"):
        users.log_in(ws, "lisi", "wrong-password")
    users.log_in(ws, "lisi", PW)
    with pytest.raises(NotSignedIn, match="1 more wrong attempt"):
        users.log_in(ws, "lisi", "wrong-password")


def test_a_disabled_account_is_refused(bureau):
    lisi = bureau.account("lisi", display="李四")
    users.update_user(bureau.admin, lisi.id, UserInput("lisi", "李四", (Role.READ_ONLY,), active=False))
    ws = bureau.workstation()
    with pytest.raises(NotSignedIn) as raised:
        users.log_in(ws, "lisi", PW)
    assert str(raised.value) == "The account “lisi” is disabled. Ask an administrator."
    assert ws.user is None


# --- passwords ------------------------------------------------------------------------------------


def test_change_password(bureau):
    bureau.account("lisi", must_change=True)
    ws = bureau.workstation()
    who = users.log_in(ws, "lisi", PW)
    assert who.must_change_password
    elsewhere = bureau.workstation("lisi")
    # Until the temporary password is changed, nothing else is allowed, not even a read.
    with pytest.raises(PermissionDenied, match="temporary password"):
        reference.list_departments(elsewhere)
    with pytest.raises(ValidationError) as wrong_old:
        users.change_password(ws, "not-my-password", OTHER_PW)
    assert wrong_old.value.field == "Current password" and "is wrong" in str(wrong_old.value)
    with pytest.raises(ValidationError) as weak:
        users.change_password(ws, PW, "short")
    assert weak.value.field == "New password" and "at least 8" in str(weak.value)
    with pytest.raises(ValidationError) as named:
        users.change_password(ws, PW, "LISI")
    assert named.value.field == "New password"
    with pytest.raises(ValidationError, match="must differ"):
        users.change_password(ws, PW, PW)
    assert users.password_matches(bureau.row("lisi").password_hash, PW)
    assert not bureau.audit("password")

    users.change_password(ws, PW, OTHER_PW)
    assert ws.user is not None and not ws.user.must_change_password
    assert ws.user.session_token == who.session_token
    row = bureau.row("lisi")
    assert not row.must_change_password and users.password_matches(row.password_hash, OTHER_PW)
    assert [entry.label for entry in bureau.audit("password")] == ["lisi"]
    # This sign-in goes on; the same user's sign-in on another workstation ends.
    assert reference.list_departments(ws) == []
    with pytest.raises(NotSignedIn, match="your password was changed elsewhere"):
        users.change_password(elsewhere, PW, "third-Password-1")
    other = bureau.workstation()
    with pytest.raises(NotSignedIn, match="Wrong password"):
        users.log_in(other, "lisi", PW)
    users.log_in(other, "lisi", OTHER_PW)


def test_a_principal_without_an_account_has_no_password(ws):
    with pytest.raises(PermissionDenied, match="no password to change"):
        users.change_password(ws, PW, OTHER_PW)


def test_a_reset_ends_the_sessions_of_the_user_on_a_shared_server(any_bureau):
    """Two workstations on one database: the user's next step says why the session ended."""
    bureau = any_bureau
    lisi = bureau.account("lisi", Role.ADMINISTRATOR)
    ws = bureau.workstation("lisi")
    reasons = []
    ws.signed_out_listeners.append(reasons.append)
    assert reference.list_departments(ws) == []
    users.reset_password(bureau.admin, lisi.id, "Temporary-123")
    before = len(bureau.audit())
    with pytest.raises(NotSignedIn) as raised:
        a_department(ws)
    assert str(raised.value) == ("Your session has ended (an administrator reset your password). Log in again; "
                                 "nothing was changed.")
    assert ws.user is None and reasons == ["an administrator reset your password"]
    assert reference.list_departments(bureau.admin) == [] and len(bureau.audit()) == before
    with pytest.raises(NotSignedIn, match="Nobody is signed in"):
        reference.list_departments(ws)
    with pytest.raises(NotSignedIn, match="Wrong password"):
        users.log_in(ws, "lisi", PW)
    who = users.log_in(ws, "lisi", "Temporary-123")
    assert who.must_change_password
    record = users.get_user(bureau.admin, lisi.id)
    assert record.must_change_password and record.open_sessions == 1
    entry = bureau.audit("password")[-1]
    assert (entry.label, entry.detail, entry.user_name) == ("lisi", "reset by an administrator", "系统管理员 (admin)")
    with bureau.admin.reading() as session:
        ends = session.scalars(select(LoginSessionRow.end_reason).where(
            LoginSessionRow.user_id == lisi.id).order_by(LoginSessionRow.id)).all()
    assert ends == ["password_reset", ""]


def test_a_reset_unlocks_and_refuses_a_weak_temporary_password(bureau):
    settings_app.set_value(bureau.admin, "users/max_failed_logins", 1)
    lisi = bureau.account("lisi")
    ws = bureau.workstation()
    with pytest.raises(NotSignedIn, match="locked"):
        users.log_in(ws, "lisi", "wrong-password")
    with pytest.raises(ValidationError) as weak:
        users.reset_password(bureau.admin, lisi.id, "lisi")
    assert weak.value.field == "Temporary password"
    users.reset_password(bureau.admin, lisi.id, "Temporary-123")
    assert users.log_in(ws, "lisi", "Temporary-123").must_change_password


def test_an_administrator_ends_the_sessions_and_disabling_ends_them_too(any_bureau):
    bureau = any_bureau
    lisi = bureau.account("lisi", Role.ADMINISTRATOR)
    first, second = bureau.workstation("lisi"), bureau.workstation("lisi")
    assert users.end_sessions(bureau.admin, lisi.id) == 2
    for ws in (first, second):
        with pytest.raises(NotSignedIn, match=r"\(an administrator ended it\)"):
            a_department(ws)
    assert bureau.admin.user is not None and a_department(bureau.admin).name_zh == "办公室"

    third = bureau.workstation("lisi")
    users.update_user(bureau.admin, lisi.id, UserInput("lisi", "", (Role.ADMINISTRATOR,), active=False))
    with pytest.raises(NotSignedIn, match=r"\(your account was disabled\)"):
        a_department(third, "监察大队")
    assert [d.name_zh for d in reference.list_departments(bureau.admin)] == ["办公室"]


def test_a_session_older_than_the_limit_ends(any_bureau):
    bureau = any_bureau
    bureau.account("lisi", Role.ADMINISTRATOR)
    ws = bureau.workstation("lisi")
    a_department(ws)
    bureau.sql(update(LoginSessionRow).where(LoginSessionRow.token == ws.user.session_token)
               .values(started_at=utcnow() - timedelta(hours=12, minutes=1)))
    with pytest.raises(NotSignedIn, match=r"Your session has ended \(it is older than 12 hours\)"):
        a_department(ws, "监察大队")
    users.log_in(ws, "lisi", PW)
    a_department(ws, "监察大队")
    # 0 hours: a sign-in never expires.
    settings_app.set_value(bureau.admin, "users/session_hours", 0)
    bureau.sql(update(LoginSessionRow).where(LoginSessionRow.token == ws.user.session_token)
               .values(started_at=utcnow() - timedelta(days=300)))
    a_department(ws, "环评科")


def test_log_out_ends_only_this_sign_in(bureau):
    bureau.account("lisi", Role.ADMINISTRATOR)
    ws, other = bureau.workstation("lisi"), bureau.workstation("lisi")
    token = ws.user.session_token
    users.log_out(ws)
    assert ws.user is None
    users.log_out(ws)  # nobody signed in: nothing to do
    with bureau.admin.reading() as session:
        ended = session.execute(select(LoginSessionRow.ended_at, LoginSessionRow.end_reason).where(
            LoginSessionRow.token == token)).one()
    assert ended.ended_at is not None and ended.end_reason == "logout"
    a_department(other)
    assert [row.label for row in bureau.audit("logout")] == ["lisi"]


# --- roles ----------------------------------------------------------------------------------------


def test_roles_changed_by_an_administrator_reach_the_signed_in_session(any_bureau):
    bureau = any_bureau
    lisi = bureau.account("lisi", Role.READ_ONLY, display="李四")
    ws = bureau.workstation("lisi")
    data = EnterpriseInput("青溪县宏达化工有限公司", credit_code="91350100M000100Y43")
    with pytest.raises(PermissionDenied, match="may not add and edit enterprises") as refused:
        enterprises.save_enterprise(ws, None, data)
    assert not isinstance(refused.value, NotSignedIn)
    assert "李四 (lisi)" in str(refused.value) and "Approval clerk" in str(refused.value)

    version = users.get_user(bureau.admin, lisi.id).version
    users.update_user(bureau.admin, lisi.id, UserInput("lisi", "李四", (Role.APPROVAL_CLERK,)), version)
    saved, _c = enterprises.save_enterprise(ws, None, data)  # no new log-in needed
    assert ws.user.roles == {Role.APPROVAL_CLERK}
    with pytest.raises(ConflictError):
        users.update_user(bureau.admin, lisi.id, UserInput("lisi", "李四", (Role.OFFICE,)), version)

    users.update_user(bureau.admin, lisi.id, UserInput("lisi", "李小四", (Role.READ_ONLY,)))
    with pytest.raises(PermissionDenied, match="李小四"):
        enterprises.save_enterprise(ws, saved.id, data, expected_version=saved.version)
    assert ws.user is not None and ws.user.roles == {Role.READ_ONLY}


def test_the_last_active_administrator_stays(bureau):
    me = bureau.admin_user.user_id
    for data in (UserInput("admin", "", (Role.READ_ONLY,)),
                 UserInput("admin", "", (Role.ADMINISTRATOR,), active=False)):
        with pytest.raises(ValidationError, match="admin is the last active administrator"):
            users.update_user(bureau.admin, me, data)
    # A disabled administrator does not count.
    users.create_user(bureau.admin, UserInput("old_admin", "", (Role.ADMINISTRATOR,), active=False), PW)
    with pytest.raises(ValidationError, match="last active administrator"):
        users.update_user(bureau.admin, me, UserInput("admin", "", (Role.LEADER,)))
    bureau.account("second", Role.ADMINISTRATOR)
    users.update_user(bureau.admin, me, UserInput("admin", "", (Role.LEADER,)))
    assert users.get_user(bureau.workstation("second"), me).roles == (Role.LEADER,)


def test_an_account_needs_at_least_one_role(bureau):
    with pytest.raises(ValidationError) as raised:
        users.create_user(bureau.admin, UserInput("nobody", "", ()), PW)
    assert raised.value.field == "Roles"


def test_log_in_names_are_unique_without_case(bureau):
    bureau.account("LiSi")
    wang = bureau.account("wangwu")
    with pytest.raises(ValidationError) as taken:
        bureau.account("lisi")
    assert taken.value.field == "Log-in name" and "“lisi” is already taken" in str(taken.value)
    with pytest.raises(ValidationError, match="already taken"):
        users.update_user(bureau.admin, wang.id, UserInput("LISI", "", (Role.READ_ONLY,)))
    with pytest.raises(ValidationError) as bad:
        bureau.account("li si")
    assert bad.value.field == "Log-in name"
    renamed = users.update_user(bureau.admin, wang.id, UserInput("WangWu", "王五", (Role.READ_ONLY,)))
    assert renamed.login == "WangWu"
    assert users.find_user(bureau.admin, "WANGWU").id == wang.id
    assert [u.login for u in users.list_users(bureau.admin)] == ["admin", "LiSi", "WangWu"]


def test_new_accounts_must_choose_their_password_by_default(bureau):
    created = users.create_user(bureau.admin, UserInput("lisi", "", (Role.READ_ONLY,)), PW)
    assert created.must_change_password
    assert users.log_in(bureau.workstation(), "lisi", PW).must_change_password
    with pytest.raises(ValidationError) as weak:
        users.create_user(bureau.admin, UserInput("wangwu", "", (Role.READ_ONLY,)), "wangwu")
    assert weak.value.field == "Password"


def test_managing_users_needs_the_permission(bureau):
    lisi = bureau.account("lisi", Role.LEADER, Role.COMPLAINTS_CLERK, Role.OFFICE)
    ws = bureau.workstation("lisi")
    for call in (lambda: users.list_users(ws), lambda: users.get_user(ws, lisi.id),
                 lambda: users.find_user(ws, "admin"), lambda: users.staff_choices(ws),
                 lambda: users.create_user(ws, UserInput("wangwu", "", (Role.READ_ONLY,)), PW),
                 lambda: users.update_user(ws, lisi.id, UserInput("lisi", "", (Role.ADMINISTRATOR,))),
                 lambda: users.reset_password(ws, bureau.admin_user.user_id, OTHER_PW),
                 lambda: users.unlock(ws, lisi.id), lambda: users.end_sessions(ws, bureau.admin_user.user_id),
                 lambda: users.set_workstation_user(ws, decl.SINGLE_USER, "lisi")):
        with pytest.raises(PermissionDenied, match="may not manage users"):
            call()
    assert users.get_user(bureau.admin, lisi.id).roles == (Role.LEADER, Role.COMPLAINTS_CLERK, Role.OFFICE)
    assert decl.local_value(decl.SINGLE_USER) == ""


# --- single-user workstations and the command's service user --------------------------------------


def test_a_single_user_workstation_signs_in_without_a_password_on_the_embedded_database(bureau):
    assert users.passwordless_allowed(bureau.admin)
    assert users.log_in_configured(bureau.workstation(), decl.SINGLE_USER, "single-user workstation") is None
    bureau.account("lisi", Role.ADMINISTRATOR, display="李四")
    assert users.set_workstation_user(bureau.admin, decl.SINGLE_USER, " LISI ") == "lisi"
    assert decl.local_value(decl.SINGLE_USER) == "lisi"
    ws = bureau.workstation()
    who = users.log_in_configured(ws, decl.SINGLE_USER, "single-user workstation")
    assert ws.user == who and who.login == "lisi" and who.session_token
    department = a_department(ws)
    # Every change still names the user.
    entries = [row for row in bureau.audit() if row.entity == "department" and row.record_id == department.id]
    assert [(row.action, row.user_name) for row in entries] == [("create", "李四 (lisi)")]
    assert bureau.audit("login")[-1].detail == "single-user workstation"
    workstation_entry = [row for row in bureau.audit("update") if row.entity == "workstation"][-1]
    assert "auth/single_user" in workstation_entry.changes and "lisi" in workstation_entry.changes

    users.update_user(bureau.admin, bureau.row("lisi").id, UserInput("lisi", "", (Role.READ_ONLY,), active=False))
    with pytest.raises(ValidationError, match="the account “lisi” is disabled"):
        users.set_workstation_user(bureau.admin, decl.SINGLE_USER, "lisi")
    with pytest.raises(NotSignedIn, match="does not exist or is disabled"):
        users.log_in_configured(bureau.workstation(), decl.SINGLE_USER, "single-user workstation")
    assert users.set_workstation_user(bureau.admin, decl.SINGLE_USER, "") == ""
    assert users.log_in_configured(bureau.workstation(), decl.SINGLE_USER, "single-user workstation") is None


def test_a_shared_server_refuses_the_single_user_setting(any_bureau):
    bureau = any_bureau
    bureau.account("lisi", Role.ADMINISTRATOR)
    users.set_workstation_user(bureau.admin, decl.SINGLE_USER, "lisi")
    users.set_workstation_user(bureau.admin, decl.SERVICE_USER, "lisi")
    ws = bureau.workstation()
    if ws.dialect == "sqlite":
        assert users.passwordless_allowed(ws)
        assert users.log_in_configured(ws, decl.SERVICE_USER, "service user").login == "lisi"
        return
    assert not users.passwordless_allowed(ws)
    for setting in (decl.SINGLE_USER, decl.SERVICE_USER):
        with pytest.raises(NotSignedIn, match=f"“{setting.key}” is ignored on a shared server"):
            users.log_in_configured(ws, setting, "single-user workstation")
    assert ws.user is None


@pytest.mark.parametrize("key", ["auth/single_user", "cli/service_user"])
def test_the_sign_in_settings_cannot_be_set_like_other_workstation_settings(ws, key):
    with pytest.raises(ValidationError, match="only an administrator sets this"):
        settings_app.set_workstation_value(key, "admin")
    with pytest.raises(ValidationError, match="only an administrator sets this"):
        settings_app.set_value(ws, key, "admin")
    assert decl.local_value(decl.get_setting(key)) == ""
    settings_app.set_workstation_value("ui/language", "en")  # other workstation settings still can


# --- password hashing -----------------------------------------------------------------------------


def _production_cost() -> tuple[int, int, int]:
    """The cost in users.py as written (an autouse fixture lowers users.SCRYPT_N for the tests)."""
    for node in ast.walk(ast.parse(inspect.getsource(users))):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple) and \
                [t.id for t in node.targets[0].elts] == ["SCRYPT_N", "SCRYPT_R", "SCRYPT_P"]:
            return tuple(eval(compile(ast.Expression(value), "users.py", "eval"))  # constants only
                         for value in node.value.elts)
    raise AssertionError("SCRYPT_N, SCRYPT_R, SCRYPT_P are not assigned in envdesk/app/users.py")


def test_passwords_are_hashed_with_scrypt_at_the_production_cost(monkeypatch):
    n, r, p = _production_cost()
    assert n >= 2 ** 17 and r >= 8 and p >= 1  # OWASP's minimum for scrypt
    assert users.SCRYPT_N < n  # the tests' cheap cost is in force here
    monkeypatch.setattr(users, "SCRYPT_N", n)
    stored = users.hash_password(PW)
    scheme, cost, block, parallel, salt, key = stored.split("$")
    assert (scheme, int(cost), int(block), int(parallel)) == ("scrypt", n, r, p)
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(key)) == 32
    assert PW not in stored
    assert users.password_matches(stored, PW)
    assert not users.password_matches(stored, PW + " ")
    monkeypatch.setattr(users, "SCRYPT_N", 2 ** 10)
    assert users.hash_password(PW).split("$")[4:] != users.hash_password(PW).split("$")[4:]  # salted


@pytest.mark.parametrize("stored", ["", "plain-text", "scrypt$x$8$1$AAAA$AAAA", "bcrypt$1$2$3$AAAA$AAAA",
                                    "scrypt$1024$8$1$not base64!$AAAA"])
def test_a_damaged_hash_matches_nothing(stored):
    assert not users.password_matches(stored, PW)


def test_an_outdated_hash_is_upgraded_at_log_in(bureau, monkeypatch):
    bureau.account("lisi")
    old = bureau.row("lisi").password_hash
    assert old.startswith("scrypt$1024$8$1$")
    monkeypatch.setattr(users, "SCRYPT_N", 2 ** 11)
    ws = bureau.workstation()
    with pytest.raises(NotSignedIn):
        users.log_in(ws, "lisi", "wrong-password")
    assert bureau.row("lisi").password_hash == old  # only a right password is re-hashed
    users.log_in(ws, "lisi", PW)
    upgraded = bureau.row("lisi").password_hash
    assert upgraded.startswith("scrypt$2048$8$1$") and users.password_matches(upgraded, PW)
    users.log_out(ws)
    users.log_in(ws, "lisi", PW)
    assert bureau.row("lisi").password_hash == upgraded  # current: left alone


def test_a_hash_weaker_in_any_parameter_is_outdated(monkeypatch):
    monkeypatch.setattr(users, "SCRYPT_N", 2 ** 17)
    assert users._outdated("scrypt$65536$8$1$AAAA$AAAA")
    assert users._outdated("scrypt$262144$4$1$AAAA$AAAA")  # more memory rounds but a smaller block
    assert not users._outdated("scrypt$131072$8$1$AAAA$AAAA")
    assert not users._outdated("scrypt$262144$8$1$AAAA$AAAA")


def test_the_trusted_principal_is_not_an_account():
    tester = Principal.trusted("tester")
    assert tester.user_id is None and not tester.session_token and tester.roles == set(Role)
    assert Principal.trusted("viewer", [Role.READ_ONLY]).permissions == {Permission.VIEW}
