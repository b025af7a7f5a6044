"""Who is signed in on a workspace, and the permission check every use case makes.

A use case declares what it needs with `@requires(Permission.X)`; the check runs before any work,
in the GUI and the CLI alike. Reading, printing and exporting need only `Permission.VIEW`, which every
signed-in user has; identities are masked for users without `Permission.COMPLAINANT_IDENTITY`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select

from envdesk.app.errors import NotSignedIn, PermissionDenied
from envdesk.domain.users import (
    PERMISSION_LABELS,
    Permission,
    Role,
    permissions_of,
    roles_granting,
)
from envdesk.i18n import N_, _

if TYPE_CHECKING:
    from envdesk.app.workspace import Workspace

F = TypeVar("F", bound=Callable)

# A read re-checks the session at most this often; every change re-checks it.
_READ_RECHECK_S = 30.0


@dataclass(frozen=True)
class Principal:
    """The user a workspace acts for. `user_id` is None for EnvDesk's own work (demo data, tests)."""

    login: str
    display_name: str
    roles: frozenset[Role]
    user_id: int | None = None
    staff_id: int | None = None
    session_token: str = ""
    must_change_password: bool = False
    permissions: frozenset[Permission] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "permissions", permissions_of(self.roles))

    @classmethod
    def trusted(cls, name: str, roles: Iterable[Role] = tuple(Role)) -> "Principal":
        """An in-process principal not backed by an account: demo data and tests only, never the GUI or CLI
        on behalf of a person."""
        return cls(login=name, display_name=name, roles=frozenset(Role(r) for r in roles))

    @property
    def name(self) -> str:
        """How the audit trail and messages name the user."""
        if self.display_name and self.display_name != self.login:
            return f"{self.display_name} ({self.login})"
        return self.login

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def with_roles(self, roles: Iterable[Role]) -> "Principal":
        return replace(self, roles=frozenset(roles))


def principal(ws: "Workspace") -> Principal:
    """The signed-in user, or NotSignedIn."""
    if ws.user is None:
        raise NotSignedIn(_("Nobody is signed in: log in first."))
    return ws.user


def can(ws: "Workspace", permission: Permission) -> bool:
    """Whether the signed-in user may do this (for showing or hiding a button; the use case checks again)."""
    return ws.user is not None and ws.user.can(permission)


def check(ws: "Workspace", permission: Permission, *, fresh: bool = False, temporary_ok: bool = False) -> Principal:
    """The signed-in user if the session is still valid and the user holds `permission`; else an error that
    says what is missing. A change (any permission but VIEW, or `fresh`) re-checks the session every time.
    A user signed in with a temporary password may do nothing but change it (`temporary_ok`)."""
    user = principal(ws)
    if user.session_token:
        user = _recheck_session(ws, force=fresh or permission is not Permission.VIEW)
    if user.must_change_password and not temporary_ok:
        raise PermissionDenied(_("{user} signed in with a temporary password: choose a new password first "
                                 "(Change password…, or envdesk users password).").format(user=user.name))
    if not user.can(permission):
        granting = [role for role in roles_granting(permission) if role is not Role.ADMINISTRATOR] \
            or roles_granting(permission)
        roles = _(", ").join(role.label for role in granting)
        raise PermissionDenied(_("{user} may not {action}: that needs the role {roles}.").format(
            user=user.name, action=_(PERMISSION_LABELS[permission]), roles=roles))
    return user


def requires(permission: Permission, *, temporary_ok: bool = False) -> Callable[[F], F]:
    """Decorate a use case taking the workspace first: the permission is checked before it runs."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def checked(ws, *args, **kwargs):
            check(ws, permission, temporary_ok=temporary_ok)
            return function(ws, *args, **kwargs)

        checked.required_permission = permission  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def open_to_all(function: F) -> F:
    """Mark a use case that needs no sign-in: reading settings before log-in, the log-in itself…"""
    function.required_permission = None  # type: ignore[attr-defined]
    return function


def _recheck_session(ws: "Workspace", force: bool) -> Principal:
    """End the workspace's sign-in if its session was ended elsewhere, the account was disabled or locked,
    or the session is older than the limit; pick up role changes made by an administrator."""
    from envdesk.app import settings as app_settings
    from envdesk.store.users import LoginSessionRow, UserRow

    user = ws.user
    assert user is not None
    now = time.monotonic()
    if not force and now - ws.session_checked_at < _READ_RECHECK_S:
        return user
    with ws.reading() as session:
        found = session.execute(
            select(LoginSessionRow.ended_at, LoginSessionRow.end_reason, LoginSessionRow.started_at,
                   UserRow.active, UserRow.roles, UserRow.display_name)
            .join(UserRow, UserRow.id == LoginSessionRow.user_id)
            .where(LoginSessionRow.token == user.session_token)).first()
    hours = int(app_settings.get_value(ws, "users/session_hours"))
    reason = ""
    if found is None:
        reason = _("your session is not known to this database")
    elif found.ended_at is not None:
        reason = _(END_REASONS.get(found.end_reason, END_REASONS["ended"]))
    elif not found.active:
        reason = _("your account was disabled")
    elif hours and datetime.now(timezone.utc) - found.started_at > timedelta(hours=hours):
        reason = _("it is older than {n} hours").format(n=hours)
    if reason:
        ws.user = None
        for listener in list(ws.signed_out_listeners):
            listener(reason)
        raise NotSignedIn(_("Your session has ended ({reason}). Log in again; nothing was changed.").format(
            reason=reason))
    roles = frozenset(Role(r) for r in found.roles.split(",") if r)
    if roles != user.roles or found.display_name != user.display_name:
        ws.user = replace(user, roles=roles, display_name=found.display_name)
    ws.session_checked_at = now
    return ws.user


# Why a session was ended (translated where shown).
END_REASONS = {
    "logout": N_("you logged out"),
    "password_reset": N_("an administrator reset your password"),
    "password_changed": N_("your password was changed elsewhere"),
    "disabled": N_("your account was disabled"),
    "ended": N_("an administrator ended it"),
}
