"""User accounts: the first administrator, log-in and lock-out, passwords, roles, sessions.

Passwords are stored as scrypt hashes (memory-hard; cost parameters kept in the hash, so they can be
raised later and old hashes still verify, then get re-hashed at the next log-in). Every log-in, refused
log-in, log-out and password change is in the audit trail; account changes are audited as records.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from envdesk import settings as decl
from envdesk.app import audit
from envdesk.app import settings as app_settings
from envdesk.app.access import Principal, check, open_to_all, principal, requires
from envdesk.app.errors import NotFound, NotSignedIn, PermissionDenied, ValidationError
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Permission, Role, login_problem, password_problem
from envdesk.i18n import N_, _
from envdesk.store.models import StaffRow
from envdesk.store.types import utcnow
from envdesk.store.users import LoginSessionRow, UserRow

# scrypt cost: N=2**17, r=8 (128 MB, about a third of a second): OWASP's recommended minimum.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 17, 8, 1
_KEY_BYTES = 32


# --- password hashing -----------------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(("scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(key)))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_KEY_BYTES,
                          maxmem=256 * 1024 * 1024)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def password_matches(stored: str, password: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        return hmac.compare_digest(_scrypt(password, base64.b64decode(salt), int(n), int(r), int(p)), expected)
    except (ValueError, TypeError):
        return False


def _outdated(stored: str) -> bool:
    """Whether any cost parameter is below the current one (each on its own: a tuple comparison would let a
    larger N hide a smaller r)."""
    parts = stored.split("$")
    current = (SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return len(parts) != 6 or any(int(old) < new for old, new in zip(parts[1:4], current, strict=True))


# --- records --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UserInput:
    login: str
    display_name: str = ""
    roles: tuple[Role, ...] = ()
    staff_id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class UserRecord:
    id: int
    login: str
    display_name: str
    roles: tuple[Role, ...]
    staff_id: int | None
    staff_name: str
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    last_login_at: datetime | None
    open_sessions: int
    version: int

    @property
    def roles_label(self) -> str:
        return _(", ").join(role.label for role in self.roles)

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


def _roles(text: str) -> tuple[Role, ...]:
    return tuple(Role(key) for key in text.split(",") if key)


def _roles_text(roles: Iterable[Role | str]) -> str:
    chosen = {Role(role) for role in roles}
    return ",".join(role.value for role in Role if role in chosen)


@open_to_all  # before the first log-in
def has_users(ws: Workspace) -> bool:
    """Whether any account exists (before the first, the first run creates the administrator)."""
    with ws.reading() as session:
        return session.scalar(select(func.count()).select_from(UserRow)) > 0


def _validated(session, data: UserInput, current_id: int | None) -> tuple[str, str]:
    login = (data.login or "").strip()
    problem = login_problem(login)
    if problem:
        raise ValidationError(_("Log-in name"), problem)
    taken = session.scalar(select(UserRow.id).where(UserRow.login_key == login.casefold()))
    if taken is not None and taken != current_id:
        raise ValidationError(_("Log-in name"), _("“{name}” is already taken").format(name=login))
    if not data.roles:
        raise ValidationError(_("Roles"), _("choose at least one role"))
    if data.staff_id is not None and session.get(StaffRow, data.staff_id) is None:
        raise ValidationError(_("Staff member"), _("no such staff member"))
    display = (data.display_name or "").strip()
    if len(display) > 100:
        raise ValidationError(_("Name"), _("at most {n} characters").format(n=100))
    return login, display or login


def _check_password(password: str, login: str, field: str) -> None:
    problem = password_problem(password or "", login)
    if problem:
        raise ValidationError(field, problem)


def _user_row(session, user_id: int) -> UserRow:
    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound(_("No user with id {id}").format(id=user_id))
    return row


def _record(session, row: UserRow) -> UserRecord:
    staff = session.get(StaffRow, row.staff_id) if row.staff_id else None
    sessions = session.scalar(select(func.count()).select_from(LoginSessionRow).where(
        LoginSessionRow.user_id == row.id, LoginSessionRow.ended_at.is_(None))) or 0
    return UserRecord(row.id, row.login, row.display_name, _roles(row.roles), row.staff_id,
                      staff.name if staff else "", row.active, row.locked_until, row.must_change_password,
                      row.last_login_at, sessions, row.version)


def _start_session(session, row: UserRow, how: str) -> Principal:
    token = secrets.token_hex(32)
    row.last_login_at = utcnow()
    session.add(LoginSessionRow(token=token, user_id=row.id, workstation=audit.workstation()))
    who = Principal(login=row.login, display_name=row.display_name, roles=frozenset(_roles(row.roles)),
                    user_id=row.id, staff_id=row.staff_id, session_token=token,
                    must_change_password=row.must_change_password)
    session.info["principal"] = who
    audit.record(session, "login", entity="app_user", record_id=row.id, label=row.login, detail=how)
    return who


def _signed_in(ws: Workspace, who: Principal) -> Principal:
    ws.user = who
    ws.session_checked_at = 0.0
    return who


# --- the first administrator and log-in -------------------------------------------------------------------------

@open_to_all  # only on a database without accounts (checked inside)
def create_first_administrator(ws: Workspace, data: UserInput, password: str) -> Principal:
    """The first account of a database (the first run): an administrator, signed in at once."""
    with ws.transaction() as session:
        if session.scalar(select(func.count()).select_from(UserRow)):
            raise PermissionDenied(_("This database already has users: an administrator creates new ones."))
        roles = tuple(dict.fromkeys((Role.ADMINISTRATOR, *data.roles)))
        login, display = _validated(session, UserInput(data.login, data.display_name, roles, data.staff_id), None)
        _check_password(password, login, _("Password"))
        row = UserRow(login=login, login_key=login.casefold(), display_name=display, roles=_roles_text(roles),
                      staff_id=data.staff_id, password_hash=hash_password(password), password_changed_at=utcnow())
        session.add(row)
        session.flush()
        who = _start_session(session, row, N_("first run"))
    return _signed_in(ws, who)


@open_to_all
def log_in(ws: Workspace, login: str, password: str) -> Principal:
    """Sign in; a wrong password counts towards the lock-out, and every attempt is audited."""
    name = (login or "").strip()
    if not name:
        raise ValidationError(_("User name"), _("is required"))
    limit = int(app_settings.get_value(ws, "users/max_failed_logins"))
    minutes = int(app_settings.get_value(ws, "users/lockout_minutes"))
    refusal: str | None = None
    with ws.transaction() as session:
        session.info["principal"], session.info["user_name"] = None, name[:100]
        row = session.scalar(select(UserRow).where(UserRow.login_key == name.casefold()))
        now = utcnow()
        if row is None:
            refusal = _("There is no user “{name}”. Check the spelling, or ask an administrator for an "
                        "account.").format(name=name)
            audit.record(session, "login_failed", label=name[:200], detail=N_("unknown user"))
        elif not row.active:
            refusal = _("The account “{name}” is disabled. Ask an administrator.").format(name=row.login)
            audit.record(session, "login_failed", entity="app_user", record_id=row.id, label=row.login,
                         detail=N_("account disabled"))
        elif row.locked_until is not None and row.locked_until > now:
            refusal = _locked_message(row)
            audit.record(session, "login_failed", entity="app_user", record_id=row.id, label=row.login,
                         detail=N_("account locked"))
        elif not password_matches(row.password_hash, password or ""):
            row.failed_logins += 1
            audit.record(session, "login_failed", entity="app_user", record_id=row.id, label=row.login,
                         detail=N_("wrong password"), changes={"failed_logins": [row.failed_logins - 1,
                                                                                 row.failed_logins]})
            if row.failed_logins >= limit:
                row.locked_until, row.failed_logins = now + timedelta(minutes=minutes), 0
                refusal = _locked_message(row)
            else:
                refusal = _("Wrong password for “{name}”. {left} more wrong attempt(s) lock the account for "
                            "{minutes} minutes.").format(name=row.login, left=limit - row.failed_logins,
                                                         minutes=minutes)
        else:
            row.failed_logins, row.locked_until = 0, None
            if _outdated(row.password_hash):
                row.password_hash = hash_password(password)
            who = _start_session(session, row, N_("password"))
    if refusal:
        raise NotSignedIn(refusal)
    return _signed_in(ws, who)


def _locked_message(row: UserRow) -> str:
    until = row.locked_until.astimezone().strftime("%H:%M") if row.locked_until else ""
    return _("The account “{name}” is locked after too many wrong passwords, until {time}. An administrator can "
             "unlock it.").format(name=row.login, time=until)


@open_to_all
def passwordless_allowed(ws: Workspace) -> bool:
    """A single-user workstation or a service user may skip the password only on the embedded database: on a
    shared server every person signs in."""
    return ws.dialect == "sqlite"


@open_to_all
def log_in_configured(ws: Workspace, setting: decl.Setting, how: str) -> Principal | None:
    """Sign in as the user a workstation setting names (single-user workstation, the command's service user)
    without a password; None when the setting is empty."""
    name = str(decl.local_value(setting) or "").strip()
    if not name:
        return None
    if not passwordless_allowed(ws):
        raise NotSignedIn(_("“{setting}” is ignored on a shared server: sign in with a password.").format(
            setting=setting.key))
    with ws.transaction() as session:
        row = session.scalar(select(UserRow).where(UserRow.login_key == name.casefold()))
        if row is None or not row.active:
            raise NotSignedIn(_("The user “{name}” named in the workstation setting {setting} does not exist or is "
                                "disabled.").format(name=name, setting=setting.key))
        if row.locked_until is not None and row.locked_until > utcnow():
            raise NotSignedIn(_locked_message(row))
        who = _start_session(session, row, how)
    return _signed_in(ws, who)


@open_to_all  # nobody signed in: nothing to do
def log_out(ws: Workspace) -> None:
    who = ws.user
    if who is None:
        return
    if who.session_token:
        with ws.transaction() as session:
            session.execute(update(LoginSessionRow).where(
                LoginSessionRow.token == who.session_token, LoginSessionRow.ended_at.is_(None)).values(
                ended_at=utcnow(), end_reason="logout"))
            audit.record(session, "logout", entity="app_user", record_id=who.user_id, label=who.login)
    ws.user = None


def _end_sessions(session, user_id: int, reason: str, keep: str = "") -> None:
    query = update(LoginSessionRow).where(LoginSessionRow.user_id == user_id, LoginSessionRow.ended_at.is_(None))
    if keep:
        query = query.where(LoginSessionRow.token != keep)
    session.execute(query.values(ended_at=utcnow(), end_reason=reason))


@requires(Permission.VIEW, temporary_ok=True)
def change_password(ws: Workspace, old: str, new: str) -> None:
    """The signed-in user's own password; other sign-ins of the same user end."""
    who = principal(ws)
    if who.user_id is None:
        raise PermissionDenied(_("{user} has no password to change.").format(user=who.name))
    who = check(ws, Permission.VIEW, fresh=True, temporary_ok=True)  # a change: a session ended elsewhere is refused at once
    with ws.transaction() as session:
        row = session.get(UserRow, who.user_id)
        if row is None:
            raise NotFound(_("Your account no longer exists."))
        if not password_matches(row.password_hash, old or ""):
            raise ValidationError(_("Current password"), _("is wrong"))
        _check_password(new, row.login, _("New password"))
        if password_matches(row.password_hash, new):
            raise ValidationError(_("New password"), _("must differ from the current one"))
        row.password_hash, row.password_changed_at, row.must_change_password = hash_password(new), utcnow(), False
        _end_sessions(session, row.id, "password_changed", keep=who.session_token)
        audit.record(session, "password", entity="app_user", record_id=row.id, label=row.login)
    ws.user = replace(who, must_change_password=False)


# --- administration -------------------------------------------------------------------------------------------

@requires(Permission.USERS_MANAGE)
def list_users(ws: Workspace) -> list[UserRecord]:
    with ws.reading() as session:
        return [_record(session, row) for row in session.scalars(select(UserRow).order_by(UserRow.login_key))]


@requires(Permission.USERS_MANAGE)
def get_user(ws: Workspace, user_id: int) -> UserRecord:
    with ws.reading() as session:
        row = _user_row(session, user_id)
        return _record(session, row)


@requires(Permission.USERS_MANAGE)
def find_user(ws: Workspace, login: str) -> UserRecord:
    with ws.reading() as session:
        row = session.scalar(select(UserRow).where(UserRow.login_key == (login or "").strip().casefold()))
        if row is None:
            raise NotFound(_("There is no user “{name}”.").format(name=login))
        return _record(session, row)


def _active_administrators(session, excluding: int | None = None) -> int:
    rows = session.scalars(select(UserRow).where(UserRow.active.is_(True))).all()
    return sum(1 for row in rows if row.id != excluding and Role.ADMINISTRATOR.value in row.roles.split(","))


@requires(Permission.USERS_MANAGE)
def create_user(ws: Workspace, data: UserInput, password: str, must_change: bool = True) -> UserRecord:
    """A new account; by default its user must choose a new password at the first log-in."""
    with ws.transaction() as session:
        login, display = _validated(session, data, None)
        _check_password(password, login, _("Password"))
        row = UserRow(login=login, login_key=login.casefold(), display_name=display, roles=_roles_text(data.roles),
                      staff_id=data.staff_id, active=data.active, password_hash=hash_password(password),
                      must_change_password=must_change, password_changed_at=utcnow())
        session.add(row)
        session.flush()
        return _record(session, row)


@requires(Permission.USERS_MANAGE)
def update_user(ws: Workspace, user_id: int, data: UserInput, expected_version: int | None = None) -> UserRecord:
    """Name, roles, staff link, enabled. The last active administrator cannot be removed or disabled;
    disabling an account ends its sign-ins; role changes reach signed-in sessions at their next step."""
    with ws.transaction() as session:
        row = _user_row(session, user_id)
        if expected_version is not None and row.version != expected_version:
            from envdesk.app.errors import ConflictError

            raise ConflictError(_("Someone else changed this user after you opened it. Nothing was overwritten: "
                                  "reload it and apply your change again."))
        login, display = _validated(session, data, user_id)
        stays_admin = data.active and Role.ADMINISTRATOR in data.roles
        if not stays_admin and _active_administrators(session, excluding=user_id) == 0:
            raise ValidationError(_("Roles"), _("{name} is the last active administrator: make someone else an "
                                                "administrator first").format(name=row.login))
        row.login, row.login_key, row.display_name = login, login.casefold(), display
        row.roles, row.staff_id = _roles_text(data.roles), data.staff_id
        if row.active and not data.active:
            _end_sessions(session, row.id, "disabled")
        row.active = data.active
        session.flush()
        return _record(session, row)


@requires(Permission.USERS_MANAGE)
def reset_password(ws: Workspace, user_id: int, temporary: str) -> None:
    """Set a temporary password the user must change at the next log-in; unlocks the account and ends its
    sign-ins."""
    if ws.user is not None and ws.user.user_id == user_id:
        raise ValidationError(_("Temporary password"), _("for your own password, use Change password"))
    with ws.transaction() as session:
        row = _user_row(session, user_id)
        _check_password(temporary, row.login, _("Temporary password"))
        row.password_hash, row.password_changed_at, row.must_change_password = hash_password(temporary), utcnow(), True
        row.failed_logins, row.locked_until = 0, None
        _end_sessions(session, row.id, "password_reset")
        audit.record(session, "password", entity="app_user", record_id=row.id, label=row.login,
                     detail=N_("reset by an administrator"))


@requires(Permission.USERS_MANAGE)
def unlock(ws: Workspace, user_id: int) -> None:
    with ws.transaction() as session:
        row = _user_row(session, user_id)
        row.failed_logins, row.locked_until = 0, None


@requires(Permission.USERS_MANAGE)
def end_sessions(ws: Workspace, user_id: int) -> int:
    """Sign a user out on every workstation (their next step asks them to log in again)."""
    with ws.transaction() as session:
        open_ = session.scalar(select(func.count()).select_from(LoginSessionRow).where(
            LoginSessionRow.user_id == user_id, LoginSessionRow.ended_at.is_(None))) or 0
        _end_sessions(session, user_id, "ended", keep=ws.user.session_token if ws.user else "")
        row = session.get(UserRow, user_id)
        audit.record(session, "logout", entity="app_user", record_id=user_id, label=row.login if row else "",
                     detail=N_("ended by an administrator"))
    return open_


@requires(Permission.USERS_MANAGE)
def set_workstation_user(ws: Workspace, setting: decl.Setting, login: str) -> str:
    """Name the single-user workstation's user or the command's service user on this workstation ("" turns it
    off). Only an administrator may; the choice is audited."""
    if setting not in (decl.SINGLE_USER, decl.SERVICE_USER):
        raise ValueError(setting.key)
    name = (login or "").strip()
    if name:
        record = find_user(ws, name)
        if not record.active:
            raise ValidationError(setting.key, _("the account “{name}” is disabled").format(name=record.login))
        name = record.login
    decl.set_local_value(setting, name)
    audit.log(ws, "update", entity="workstation", label=audit.workstation(),
              changes={setting.key: [None, name or None]})
    return name


@requires(Permission.USERS_MANAGE)
def staff_choices(ws: Workspace) -> list[tuple[int, str]]:
    """Staff members an account may be linked to (its user's own name on steps they record)."""
    with ws.reading() as session:
        return [(row.id, row.name) for row in session.scalars(
            select(StaffRow).where(StaffRow.active.is_(True)).order_by(StaffRow.name))]


@open_to_all  # only on a database without accounts (checked inside); envdesk.app.demo.fill calls it
def demo_accounts(ws: Workspace, password: str) -> list[str]:
    """The demo's accounts, one per role (see envdesk.app.demo); only on a database without users."""
    accounts = [("admin", "系统管理员", (Role.ADMINISTRATOR,)), ("leader", "李局长", (Role.LEADER,)),
                ("complaints", "王信访", (Role.COMPLAINTS_CLERK,)), ("approvals", "赵审批", (Role.APPROVAL_CLERK,)),
                ("liaison", "钱联络", (Role.LIAISON_OFFICER,)), ("office", "孙办公室", (Role.OFFICE,)),
                ("viewer", "周查阅", (Role.READ_ONLY,))]
    with ws.transaction() as session:
        if session.scalar(select(func.count()).select_from(UserRow)):
            return []
        hashed = hash_password(password)
        for login, display, roles in accounts:
            session.add(UserRow(login=login, login_key=login, display_name=display, roles=_roles_text(roles),
                                password_hash=hashed, password_changed_at=utcnow()))
    return [login for login, _display, _roles_ in accounts]
