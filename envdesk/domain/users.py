"""Users, roles and what each role may do; password and log-in name rules; the audit chain's hashing.

A user holds one or more roles; a role is a set of permissions. Use cases in `envdesk.app` name the
permission they need, so the GUI and the CLI obey the same rules. Viewing the registers, printing
and exporting (with identities masked) is open to every signed-in user.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from enum import Enum

from envdesk.domain.twinning import Labelled
from envdesk.i18n import N_, _


class Permission(str, Enum):
    VIEW = "view"  # every signed-in user: the registers, printing, exports without identities
    COMPLAINTS_EDIT = "complaints.edit"
    COMPLAINANT_IDENTITY = "complaints.identity"  # see, print and export who complained (信访工作条例 art. 30)
    APPROVE_EXTENSION = "complaints.approve_extension"
    APPROVALS_EDIT = "approvals.edit"
    APPROVALS_DECIDE = "approvals.decide"
    ENTERPRISES_EDIT = "enterprises.edit"
    TWINNING_EDIT = "twinning.edit"
    PLANS_EDIT = "plans.edit"
    LETTERS_SIGN = "letters.sign"
    REFERENCE_EDIT = "reference.edit"  # bureau, departments, staff, towns
    SETTINGS_EDIT = "settings.edit"  # shared settings and the holiday calendar
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"  # the global audit trail and its verification
    BACKUP = "backup"  # backups, restores, demo data


class Role(Labelled):
    ADMINISTRATOR = "administrator", N_("Administrator")
    LEADER = "leader", N_("Leader")
    COMPLAINTS_CLERK = "complaints_clerk", N_("Complaints clerk")
    APPROVAL_CLERK = "approval_clerk", N_("Approval clerk")
    LIAISON_OFFICER = "liaison_officer", N_("Liaison officer")
    OFFICE = "office", N_("Office (plans and letters)")
    READ_ONLY = "read_only", N_("Read-only")


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset({P.VIEW, P.REFERENCE_EDIT, P.SETTINGS_EDIT, P.USERS_MANAGE, P.AUDIT_VIEW,
                                   P.BACKUP}),
    Role.LEADER: frozenset({P.VIEW, P.COMPLAINANT_IDENTITY, P.APPROVE_EXTENSION}),
    Role.COMPLAINTS_CLERK: frozenset({P.VIEW, P.COMPLAINTS_EDIT, P.COMPLAINANT_IDENTITY}),
    Role.APPROVAL_CLERK: frozenset({P.VIEW, P.APPROVALS_EDIT, P.APPROVALS_DECIDE, P.ENTERPRISES_EDIT}),
    Role.LIAISON_OFFICER: frozenset({P.VIEW, P.TWINNING_EDIT, P.ENTERPRISES_EDIT}),
    Role.OFFICE: frozenset({P.VIEW, P.PLANS_EDIT, P.LETTERS_SIGN}),
    Role.READ_ONLY: frozenset({P.VIEW}),
}

# What a refusal tells the user they would need (translated where shown).
PERMISSION_LABELS = {
    P.VIEW: N_("view the registers"),
    P.COMPLAINTS_EDIT: N_("register and handle complaints"),
    P.COMPLAINANT_IDENTITY: N_("see complainants' identities"),
    P.APPROVE_EXTENSION: N_("approve extensions of complaint limits"),
    P.APPROVALS_EDIT: N_("register and process approval cases"),
    P.APPROVALS_DECIDE: N_("record approval decisions"),
    P.ENTERPRISES_EDIT: N_("add and edit enterprises"),
    P.TWINNING_EDIT: N_("manage twinning pairs, contacts and health checks"),
    P.PLANS_EDIT: N_("manage plans, tasks and letters"),
    P.LETTERS_SIGN: N_("mark letters signed and archive them"),
    P.REFERENCE_EDIT: N_("edit the bureau, departments, staff and towns"),
    P.SETTINGS_EDIT: N_("change shared settings and the holiday calendar"),
    P.USERS_MANAGE: N_("manage users"),
    P.AUDIT_VIEW: N_("view and verify the audit trail"),
    P.BACKUP: N_("back up, restore and load demo data"),
}


def permissions_of(roles: Iterable[Role | str]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(granted)


def roles_granting(permission: Permission) -> list[Role]:
    return [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]


# --- log-in names and passwords ------------------------------------------------------------------------------

LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


def login_problem(login: str) -> str | None:
    """Why a log-in name cannot be used, or None. Names are compared without case."""
    if not LOGIN_PATTERN.match(login or ""):
        return _("use 2 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit")
    return None


def password_problem(password: str, login: str = "") -> str | None:
    """Why a new password is too weak, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("must be at least {n} characters").format(n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("must be at most {n} characters").format(n=MAX_PASSWORD_LENGTH)
    if login and password.casefold() == login.casefold():
        return _("must not be the log-in name")
    if len(set(password)) < 4:
        return _("is too simple: use at least 4 different characters")
    return None


# --- the audit chain -----------------------------------------------------------------------------------------

GENESIS = "0" * 64


def entry_hash(previous: str, entry: dict) -> str:
    """The hash of one audit entry, chained to the one before: changing or removing any entry breaks every
    hash after it. `entry` holds only JSON values; keys are sorted, so both databases give the same text."""
    canonical = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((previous + "\n" + canonical).encode("utf-8")).hexdigest()
