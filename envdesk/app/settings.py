"""Reading and writing settings of every scope, and turning rule settings into deadline rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from envdesk import settings as decl
from envdesk.app import changes
from envdesk.app.access import check, open_to_all
from envdesk.app.errors import ConflictError, ValidationError
from envdesk.app.validation import optional, required
from envdesk.app.workspace import Workspace
from envdesk.domain.deadlines import Rule, Unit
from envdesk.domain.users import Permission
from envdesk.i18n import _
from envdesk.settings import Scope, Setting, SettingValueError
from envdesk.store.models import BureauRow, SettingRow

_CACHE = "settings"
BUREAU_ID = 1
# What the bureau row's columns hold (its labels are the settings' labels).
_BUREAU_LIMITS = {"name_zh": 200, "name_en": 200, "county": 100}
_TEXT_LIMIT = 2000


def _shared_values(ws: Workspace) -> dict[str, Any]:
    """Stored shared values, re-read whenever another workstation (or window) has changed any of them."""
    def stamp(session):
        return tuple(session.execute(select(func.count(), func.max(SettingRow.updated_at),
                                            func.sum(SettingRow.version))).one())

    def load(session):
        return {row.key: row.value for row in session.scalars(select(SettingRow))}

    return ws.cached(_CACHE, stamp, load)


@open_to_all
def get_value(ws: Workspace, key: str) -> Any:
    setting = decl.get_setting(key)
    if setting.scope is Scope.LOCAL:
        return decl.local_value(setting)
    if setting.scope is Scope.BUREAU:
        with ws.reading() as session:
            row = session.get(BureauRow, BUREAU_ID)
            return getattr(row, _bureau_field(setting)) if row else setting.default
    return setting.stored(_shared_values(ws).get(key))


def is_default(setting: Setting, value: Any) -> bool:
    return value == setting.default


def _parse(key: str, raw: Any) -> tuple[Setting, Any]:
    """A typed value, or ValidationError naming the setting. Empty text for a text setting with a default
    (a legal basis, a format) means the default, which is then printed in each document's language."""
    try:
        setting = decl.get_setting(key)
        if setting.type is str and setting.default and isinstance(raw, str) and not raw.strip():
            return setting, setting.default
        value = setting.parse(raw)
    except SettingValueError as error:
        raise ValidationError(key, str(error).split(": ", 1)[-1]) from None
    if setting.type is str and setting.scope is not Scope.BUREAU:
        value = optional(value, key, _TEXT_LIMIT)
    if setting is decl.DATABASE_URL and value:
        from envdesk.store import db

        try:
            db.parse_url(value)
        except db.DatabaseUrlError as error:
            raise ValidationError(key, str(error)) from None
    if setting.key.endswith("/number_format"):
        try:
            sample = value.format(year=2026, seq=1, kind="MB")
        except (KeyError, IndexError, ValueError):
            sample = ""
        if "{seq" not in value or not sample:
            raise ValidationError(key, _("must contain {{seq}} (and may contain {{year}}), e.g. "
                                         "XF-{{year}}-{{seq:04d}}").format())
    return setting, value


def _bureau_fields(row: BureauRow | None, given: dict[str, Any]) -> dict[str, str]:
    """The bureau row after the change, checked as a whole: the Chinese name is required."""
    current = {name: getattr(row, name) if row else "" for name in _BUREAU_LIMITS}
    current.update(given)
    labels = {name: _(decl.get_setting(f"bureau/{name}").label) for name in _BUREAU_LIMITS}
    fields = {name: optional(current[name], labels[name], limit) for name, limit in _BUREAU_LIMITS.items()}
    fields["name_zh"] = required(fields["name_zh"], labels["name_zh"], _BUREAU_LIMITS["name_zh"])
    return fields


@open_to_all
def save_values(ws: Workspace, raw: Mapping[str, Any], original: Mapping[str, Any] | None = None) -> changes.Changes:
    """Save several settings at once, all or nothing. With `original` (the values the user started from),
    a setting someone else has changed meanwhile is refused instead of overwritten."""
    parsed = dict(_parse(key, value) for key, value in raw.items())
    for setting in parsed:
        if setting in (decl.SINGLE_USER, decl.SERVICE_USER):
            raise ValidationError(setting.key, _("only an administrator sets this, with “envdesk users workstation”"))
    if any(setting.scope is not Scope.LOCAL for setting in parsed):
        check(ws, Permission.SETTINGS_EDIT)
    parsed_values = {setting.key: value for setting, value in parsed.items()}
    by_scope: dict[Scope, dict[str, Any]] = {scope: {} for scope in Scope}
    for setting, value in parsed.items():
        by_scope[setting.scope][setting.key] = value
    if original is not None:
        for key in parsed_values:
            if key in original and get_value(ws, key) != original[key]:
                raise ConflictError(_("“{setting}” was changed by someone else after you opened Settings. Nothing "
                                      "was saved: close Settings, open them again and redo your change.")
                                    .format(setting=_(decl.get_setting(key).label)))
    result = changes.Changes()
    if by_scope[Scope.BUREAU] or by_scope[Scope.SHARED]:
        with ws.transaction() as session:
            if by_scope[Scope.BUREAU]:
                row = session.get(BureauRow, BUREAU_ID)
                fields = _bureau_fields(row, {k.split("/", 1)[1]: v for k, v in by_scope[Scope.BUREAU].items()})
                if row is None:
                    session.add(BureauRow(id=BUREAU_ID, **fields))
                else:
                    for name, value in fields.items():
                        if getattr(row, name) != value:
                            setattr(row, name, value)
                result = result | changes.Changes.of(changes.BUREAU)
            for key, value in by_scope[Scope.SHARED].items():
                setting = decl.get_setting(key)
                row = session.get(SettingRow, key)
                if is_default(setting, value):
                    if row is not None:
                        session.delete(row)
                elif row is None:
                    session.add(SettingRow(key=key, value=value))
                elif row.value != value:
                    row.value = value
            if by_scope[Scope.SHARED]:
                result = result | changes.Changes.of(changes.SETTING)
        ws.invalidate(_CACHE)
        from envdesk.app import dues

        if dues.concerns(by_scope[Scope.SHARED]):
            dues.refresh(ws)
            result = result | changes.Changes.of(changes.APPROVALS, "complaints")
    for key, value in by_scope[Scope.LOCAL].items():
        decl.set_local_value(decl.get_setting(key), value)
        result = result | changes.Changes.of(changes.SETTING)
    return result


def set_workstation_value(key: str, raw: Any) -> Any:
    """A workstation setting (language, database URL) needs no database: a bad database URL must stay fixable."""
    setting, value = _parse(key, raw)
    if setting.scope is not Scope.LOCAL:
        raise ValidationError(key, _("is not a setting of this workstation"))
    if setting in (decl.SINGLE_USER, decl.SERVICE_USER):
        raise ValidationError(key, _("only an administrator sets this, with “envdesk users workstation”"))
    return decl.set_local_value(setting, value)


@open_to_all
def set_value(ws: Workspace, key: str, raw: Any) -> changes.Changes:
    """Set one setting from typed or text input; ValidationError names the setting when it does not fit."""
    return save_values(ws, {key: raw})


@open_to_all
def reset_value(ws: Workspace, key: str) -> changes.Changes:
    return set_value(ws, key, decl.get_setting(key).default)


@open_to_all
def all_values(ws: Workspace) -> list[tuple[Setting, Any]]:
    return [(setting, get_value(ws, setting.key)) for setting in decl.SETTINGS.values()]


@open_to_all
def rule(ws: Workspace, prefix: str) -> Rule:
    """The deadline rule an administrator has set (defaults from DOMAIN.md)."""
    declared = decl.RULES[prefix]
    stored = _shared_values(ws)  # one read for the four values (rules are looked up per case in lists)

    def value(setting: Setting) -> Any:
        return setting.stored(stored.get(setting.key))

    return Rule(
        key=prefix,
        name=declared.name,
        limit=value(declared.limit),
        unit=Unit(value(declared.unit)),
        basis=value(declared.basis),
        roll_forward=value(decl.get_setting("calendar/roll_forward")),
        item=declared.item,
    )


@open_to_all
def rules(ws: Workspace, prefix: str = "") -> list[Rule]:
    return [rule(ws, key) for key in decl.RULES if key.startswith(prefix)]


def _bureau_field(setting: Setting) -> str:
    return setting.key.split("/", 1)[1]


def describe_value(setting: Setting, value: Any) -> str:
    """A value as a person reads it (units and languages translated)."""
    if setting.type is bool:
        return _("Yes") if value else _("No")
    if setting.choices and setting.key.endswith("/unit"):
        return _(decl.UNIT_LABELS[value])
    return str(value)
