"""Checks every use case applies to typed text: required, and not longer than the column holds."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from envdesk.app.errors import ValidationError
from envdesk.i18n import _
from envdesk.store.models import StaffRow


def required(value: str | None, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(label, _("is required"))
    return optional(value, label, max_length)


def optional(value: str | None, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(label, _("is longer than {n} characters").format(n=max_length))
    if _CONTROL.search(value):
        # Pasted from a terminal or a broken file: NUL and its kind cannot be stored on PostgreSQL, nor printed.
        raise ValidationError(label, _("contains control characters (invisible codes from a paste); retype it"))
    return value


# Control characters other than tab and line breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def contains(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, taken literally: % and _ typed by a user are not wildcards."""
    return "%" + escape_like(text) + "%"


def starts_with(text: str) -> str:
    return escape_like(text) + "%"


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def active_staff(session: Session, staff_id: int | None, label: str, *, leader: bool = False,
                 optional_: bool = False) -> StaffRow | None:
    """The staff member a form names: existing, still active, and a bureau leader where the rule asks one."""
    if staff_id is None:
        if optional_:
            return None
        raise ValidationError(label, _("is required"))
    row = session.get(StaffRow, staff_id)
    if row is None:
        raise ValidationError(label, _("does not exist"))
    if not row.active:
        raise ValidationError(label, _("{name} is no longer active").format(name=row.name))
    if leader and not row.is_leader:
        raise ValidationError(label, _("{name} is not a bureau leader").format(name=row.name))
    return row


def not_future(value: date, label: str, today: date) -> None:
    """What has happened cannot be dated after today."""
    if value > today:
        raise ValidationError(label, _("cannot be in the future"))
