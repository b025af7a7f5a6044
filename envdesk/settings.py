"""Every EnvDesk setting, declared once: key, type, default and a translatable label.

Shared settings live in the database (every workstation of a bureau sees the same legal limits);
bureau settings are the columns of the bureau row; local settings belong to this workstation and
live in a small JSON file in the config directory. Reading and writing goes through
`envdesk.app.settings` (shared, bureau) and `local_value` / `set_local_value` below (local).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from enum import Enum
from typing import Any

from envdesk import paths
from envdesk.i18n import LANGUAGES, N_


class Scope(str, Enum):
    SHARED = "shared"
    BUREAU = "bureau"
    LOCAL = "local"


UNIT_CHOICES = ("calendar_days", "working_days")
UNIT_LABELS = {"calendar_days": N_("calendar days"), "working_days": N_("working days")}


class SettingValueError(ValueError):
    """A value that does not fit its setting; the message names the setting."""


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str
    scope: Scope = Scope.SHARED
    group: str = N_("General")
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    multiline: bool = False

    def stored(self, value: Any) -> Any:
        """A stored value read back: the default when absent or no longer valid (a setting's rules changed)."""
        if value is None:
            return self.default
        try:
            return self.parse(value)
        except SettingValueError:
            return self.default

    def parse(self, text: Any) -> Any:
        """Turn typed or stored input into this setting's type, or raise SettingValueError."""
        if self.type is bool:
            if isinstance(text, bool):
                value = text
            else:
                low = str(text).strip().lower()
                if low in {"1", "true", "yes", "on", "是"}:
                    value = True
                elif low in {"0", "false", "no", "off", "否"}:
                    value = False
                else:
                    raise SettingValueError(f"{self.key}: expected true or false, got {text!r}")
        elif self.type is int:
            try:
                value = int(str(text).strip())
            except ValueError:
                raise SettingValueError(f"{self.key}: expected a whole number, got {text!r}") from None
        elif self.type is float:
            try:
                value = float(str(text).strip())
            except ValueError:
                raise SettingValueError(f"{self.key}: expected a number, got {text!r}") from None
        else:
            value = "" if text is None else str(text)
        if self.choices and value not in self.choices:
            raise SettingValueError(f"{self.key}: expected one of {', '.join(self.choices)}, got {text!r}")
        if self.minimum is not None and value < self.minimum:
            raise SettingValueError(f"{self.key}: must be at least {self.minimum}, got {value}")
        if self.maximum is not None and value > self.maximum:
            raise SettingValueError(f"{self.key}: must be at most {self.maximum}, got {value}")
        return value


SETTINGS: dict[str, Setting] = {}


def declare(setting: Setting) -> Setting:
    if setting.key in SETTINGS:
        raise ValueError(f"setting declared twice: {setting.key}")
    SETTINGS[setting.key] = setting
    return setting


def get_setting(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise SettingValueError(f"unknown setting: {key}") from None


@dataclass(frozen=True)
class RuleSettings:
    """The three settings behind one deadline rule: limit, unit and the legal basis printed with it."""

    prefix: str
    name: str
    limit: Setting
    unit: Setting
    basis: Setting
    item: str = ""  # N_-marked: the service, as the public commitment letter names it


RULES: dict[str, RuleSettings] = {}


def declare_rule(prefix: str, name: str, limit: int, unit: str, basis: str, group: str,
                 item: str = "") -> RuleSettings:
    rule = RuleSettings(
        prefix=prefix,
        name=name,
        item=item,
        limit=declare(Setting(f"{prefix}/limit", int, limit, name, group=group, minimum=0, maximum=3650)),
        unit=declare(Setting(f"{prefix}/unit", str, unit, N_("Unit"), group=group, choices=UNIT_CHOICES)),
        basis=declare(Setting(f"{prefix}/basis", str, basis, N_("Legal basis"), group=group)),
    )
    RULES[prefix] = rule
    return rule


# --- bureau -------------------------------------------------------------------------------------
_BUREAU = N_("Bureau")
declare(Setting("bureau/name_zh", str, "", N_("Bureau name (Chinese)"), Scope.BUREAU, _BUREAU))
declare(Setting("bureau/name_en", str, "", N_("Bureau name (English)"), Scope.BUREAU, _BUREAU))
declare(Setting("bureau/county", str, "", N_("County"), Scope.BUREAU, _BUREAU))

# --- calendar -----------------------------------------------------------------------------------
_CALENDAR = N_("Working-day calendar")
declare(Setting("calendar/roll_forward", bool, True,
                N_("A calendar-day deadline that falls on a rest day moves to the next working day"),
                group=_CALENDAR))
declare(Setting("calendar/due_soon_days", int, 7, N_("Days ahead counted as due soon"),
                group=_CALENDAR, minimum=1, maximum=60))

# --- complaints (信访工作条例, 2022) --------------------------------------------------------------
_COMPLAINTS = N_("Complaints")
declare_rule("complaints/acceptance", N_("Register and route, or tell the complainant in writing"),
             15, "calendar_days", N_("Regulations on Letters and Visits (2022), art. 22, 23"), _COMPLAINTS)
declare_rule("complaints/objection", N_("Object that a matter is outside the bureau's remit"),
             5, "working_days", N_("Regulations on Letters and Visits (2022), art. 23"), _COMPLAINTS)
declare_rule("complaints/handling", N_("Handle and give a written opinion"),
             60, "calendar_days", N_("Regulations on Letters and Visits (2022), art. 34"), _COMPLAINTS)
declare(Setting("complaints/extension/max_days", int, 30, N_("Longest extension of the handling limit (days)"),
                group=_COMPLAINTS, minimum=0, maximum=365))
# 12345 hotline hand-offs have local limits of their own (per channel, as the hotline centre sets them).
declare_rule("complaints/handling/12345", N_("Handle a 12345 hotline hand-off"),
             5, "working_days", N_("Local rules of the 12345 government service hotline"), _COMPLAINTS)
declare(Setting("complaints/extension/12345/max_days", int, 10,
                N_("Longest extension of a 12345 hand-off (working days)"), group=_COMPLAINTS, minimum=0,
                maximum=365))
declare(Setting("complaints/attachment/max_mb", int, 20, N_("Largest attachment (MB)"), group=_COMPLAINTS,
                minimum=1, maximum=500))
declare_rule("complaints/review", N_("Answer a request for review"),
             30, "calendar_days", N_("Regulations on Letters and Visits (2022), art. 35"), _COMPLAINTS)
declare_rule("complaints/second_review", N_("Answer a request for second review"),
             30, "calendar_days", N_("Regulations on Letters and Visits (2022), art. 36"), _COMPLAINTS)
declare(Setting("complaints/satisfaction_target", float, 0.85, N_("Satisfaction rate target (0 to 1)"),
                group=_COMPLAINTS, minimum=0, maximum=1))
declare(Setting("complaints/number_format", str, "XF-{year}-{seq:04d}", N_("Complaint number format"),
                group=_COMPLAINTS))

# --- approvals (EIA Law art. 22; Administrative Licensing Law) -----------------------------------
_APPROVALS = N_("Approvals")
_EIA = N_("Environmental Impact Assessment Law, art. 22")
_PROMISE = N_("The bureau's public service commitment")
_BOOK = N_("Approval of an environmental impact report book")
_FORM = N_("Approval of an environmental impact report form")
declare_rule("approvals/statutory/report_book", N_("Statutory limit: report book"),
             60, "working_days", _EIA, _APPROVALS, item=_BOOK)
declare_rule("approvals/statutory/report_form", N_("Statutory limit: report form"),
             30, "working_days", _EIA, _APPROVALS, item=_FORM)
declare_rule("approvals/statutory/registration_form", N_("Statutory limit: registration form"),
             0, "working_days", N_("Filed online on the day of submission"), _APPROVALS,
             item=N_("Filing of an environmental impact registration form"))
declare_rule("approvals/promised/report_book", N_("Promised limit: report book"),
             15, "working_days", _PROMISE, _APPROVALS, item=_BOOK)
declare_rule("approvals/promised/report_form", N_("Promised limit: report form"),
             7, "working_days", _PROMISE, _APPROVALS, item=_FORM)
declare_rule("approvals/promised/registration_form", N_("Promised limit: registration form"),
             0, "working_days", N_("Filed online on the day of submission"), _APPROVALS,
             item=N_("Filing of an environmental impact registration form"))
declare_rule("approvals/promised/green_channel", N_("Promised limit: green channel"),
             5, "working_days", _PROMISE, _APPROVALS,
             item=N_("Approval on the green channel (key projects)"))
declare_rule("approvals/promised/notification_commitment", N_("Promised limit: notification-commitment"),
             1, "working_days", _PROMISE, _APPROVALS,
             item=N_("Approval under notification and commitment"))
declare_rule("approvals/missing_materials", N_("Tell the applicant all missing materials at once"),
             5, "calendar_days", N_("Administrative Licensing Law, art. 32"), _APPROVALS)
declare(Setting("approvals/number_format", str, "SP-{year}-{seq:04d}", N_("Approval case number format"),
                group=_APPROVALS))
declare(Setting("approvals/due_soon_working_days", int, 3,
                N_("Working days ahead an approval counts as due soon"), group=_APPROVALS, minimum=1, maximum=30))

# --- responsibility matrix and letters ----------------------------------------------------------
_RESPONSIBILITY = N_("Responsibility matrix")
declare(Setting("responsibility/due_soon_days", int, 7, N_("Days before a task's deadline that earn a blue card"),
                group=_RESPONSIBILITY, minimum=1, maximum=60))
declare(Setting("responsibility/behind_points", int, 20,
                N_("Percentage points behind an even pace that earn a yellow card"), group=_RESPONSIBILITY,
                minimum=5, maximum=100))
declare(Setting("letters/number_format", str, "{kind}-{year}-{seq:03d}", N_("Letter number format"),
                group=_RESPONSIBILITY))
# The texts of the letters' sections, in each language; empty means the default text.
_LETTER_TEXTS = {"zh_CN": N_("Letter texts (Chinese; empty: the default)"),
                 "en": N_("Letter texts (English; empty: the default)")}
_LETTER_LABELS = {
    ("target", "duties"): N_("Target letter: duties"),
    ("target", "assessment"): N_("Target letter: assessment"),
    ("target", "rewards"): N_("Target letter: rewards and penalties"),
    ("target", "term"): N_("Target letter: term"),
    ("clean_government", "duties"): N_("Clean-government letter: duties"),
    ("clean_government", "assessment"): N_("Clean-government letter: assessment"),
    ("clean_government", "rewards"): N_("Clean-government letter: rewards and penalties"),
    ("clean_government", "term"): N_("Clean-government letter: term"),
}
for _language, _group in _LETTER_TEXTS.items():
    for (_kind, _section), _label in _LETTER_LABELS.items():
        declare(Setting(f"letters/{_kind}/{_section}/{_language}", str, "", _label, group=_group, multiline=True))

# --- documents ----------------------------------------------------------------------------------
_DOCUMENTS = N_("Documents")
declare(Setting("documents/supervision_phone", str, "", N_("Supervision telephone printed on public letters"),
                group=_DOCUMENTS))

# --- users and sign-in --------------------------------------------------------------------------
_USERS = N_("Users and sign-in")
declare(Setting("users/max_failed_logins", int, 5, N_("Wrong passwords in a row before an account is locked"),
                group=_USERS, minimum=1, maximum=100))
declare(Setting("users/lockout_minutes", int, 15, N_("Minutes a locked account stays locked"), group=_USERS,
                minimum=1, maximum=24 * 60))
declare(Setting("users/session_hours", int, 12, N_("Hours before a sign-in expires (0: never)"), group=_USERS,
                minimum=0, maximum=24 * 30))

# --- local (this workstation) -------------------------------------------------------------------
_WORKSTATION = N_("This workstation")
LANGUAGE = declare(Setting("ui/language", str, "zh_CN", N_("Interface language"), Scope.LOCAL,
                           _WORKSTATION, choices=LANGUAGES))
DATABASE_URL = declare(Setting("db/url", str, "", N_("Database URL (empty: the embedded database)"),
                               Scope.LOCAL, _WORKSTATION))
AUTO_BACKUP = declare(Setting("backup/daily", bool, True,
                              N_("Back up the embedded database automatically once a day"), Scope.LOCAL, _WORKSTATION))
AUTO_BACKUP_KEEP = declare(Setting("backup/keep", int, 14, N_("Automatic backups kept (the oldest are removed)"),
                                   Scope.LOCAL, _WORKSTATION, minimum=1, maximum=365))
# Set by an administrator (envdesk.app.users); honoured on the embedded database only.
SINGLE_USER = declare(Setting("auth/single_user", str, "",
                              N_("Single-user workstation: sign in as this user without a password (empty: off)"),
                              Scope.LOCAL, _WORKSTATION))
SERVICE_USER = declare(Setting("cli/service_user", str, "",
                               N_("User the envdesk command runs as when no --user is given (empty: none)"),
                               Scope.LOCAL, _WORKSTATION))


def _local_file():
    return paths.config_dir() / "envdesk.json"


def _read_local() -> dict[str, Any]:
    try:
        return json.loads(_local_file().read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return {}


def local_value(setting: Setting) -> Any:
    if setting.scope is not Scope.LOCAL:
        raise ValueError(f"{setting.key} is not a workstation setting")
    return setting.stored(_read_local().get(setting.key))


def set_local_value(setting: Setting, value: Any) -> Any:
    if setting.scope is not Scope.LOCAL:
        raise ValueError(f"{setting.key} is not a workstation setting")
    parsed = setting.parse(value)
    data = _read_local()
    data[setting.key] = parsed
    target = _local_file()
    tmp = target.with_suffix(".tmp")
    # Owner-only from its creation: it may hold the office server's password (db/url).
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as stream:
        stream.write(json.dumps(data, ensure_ascii=False, indent=2))
    paths.make_private(tmp)
    tmp.replace(target)
    return parsed
