"""Reading and writing settings of every scope, and turning rule settings into deadline rules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from envdesk import settings as decl
from envdesk.app import changes
from envdesk.app.errors import ValidationError
from envdesk.app.workspace import Workspace
from envdesk.domain.deadlines import Rule, Unit
from envdesk.i18n import _
from envdesk.settings import Scope, Setting, SettingValueError
from envdesk.store.models import BureauRow, SettingRow

_CACHE = "settings"
BUREAU_ID = 1


def _shared_values(ws: Workspace) -> dict[str, Any]:
    cached = ws.cache.get(_CACHE)
    if cached is None:
        with ws.reading() as session:
            cached = {row.key: row.value for row in session.scalars(select(SettingRow))}
        ws.cache[_CACHE] = cached
    return cached  # type: ignore[return-value]


def get_value(ws: Workspace, key: str) -> Any:
    setting = decl.get_setting(key)
    if setting.scope is Scope.LOCAL:
        return decl.local_value(setting)
    if setting.scope is Scope.BUREAU:
        with ws.reading() as session:
            row = session.get(BureauRow, BUREAU_ID)
            return getattr(row, _bureau_field(setting)) if row else setting.default
    return setting.stored(_shared_values(ws).get(key))


def set_value(ws: Workspace, key: str, raw: Any) -> changes.Changes:
    """Set one setting from typed or text input; ValidationError names the setting when it does not fit."""
    try:
        setting = decl.get_setting(key)
        value = setting.parse(raw)
    except SettingValueError as error:
        raise ValidationError(key, str(error).split(": ", 1)[-1]) from None
    if setting.scope is Scope.LOCAL:
        decl.set_local_value(setting, value)
        return changes.Changes.of(changes.SETTING)
    if setting.scope is Scope.BUREAU:
        with ws.transaction() as session:
            row = session.get(BureauRow, BUREAU_ID) or _new_bureau(session)
            setattr(row, _bureau_field(setting), value.strip())
        return changes.Changes.of(changes.BUREAU)
    with ws.transaction() as session:
        row = session.get(SettingRow, key)
        if value == setting.default:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
    ws.invalidate(_CACHE)
    return changes.Changes.of(changes.SETTING)


def reset_value(ws: Workspace, key: str) -> changes.Changes:
    return set_value(ws, key, decl.get_setting(key).default)


def all_values(ws: Workspace) -> list[tuple[Setting, Any]]:
    return [(setting, get_value(ws, setting.key)) for setting in decl.SETTINGS.values()]


def rule(ws: Workspace, prefix: str) -> Rule:
    """The deadline rule an administrator has set (defaults from DOMAIN.md)."""
    declared = decl.RULES[prefix]
    return Rule(
        key=prefix,
        name=declared.name,
        limit=get_value(ws, declared.limit.key),
        unit=Unit(get_value(ws, declared.unit.key)),
        basis=get_value(ws, declared.basis.key),
        roll_forward=get_value(ws, "calendar/roll_forward"),
    )


def rules(ws: Workspace, prefix: str = "") -> list[Rule]:
    return [rule(ws, key) for key in decl.RULES if key.startswith(prefix)]


def _bureau_field(setting: Setting) -> str:
    return setting.key.split("/", 1)[1]


def _new_bureau(session) -> BureauRow:
    row = BureauRow(id=BUREAU_ID, name_zh="", name_en="", county="")
    session.add(row)
    return row


def describe_value(setting: Setting, value: Any) -> str:
    """A value as a person reads it (units and languages translated)."""
    if setting.type is bool:
        return _("Yes") if value else _("No")
    if setting.choices and setting.key.endswith("/unit"):
        return _(decl.UNIT_LABELS[value])
    return str(value)
