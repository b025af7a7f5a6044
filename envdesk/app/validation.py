"""Checks every use case applies to typed text: required, and not longer than the column holds."""

from __future__ import annotations

from envdesk.app.errors import ValidationError
from envdesk.i18n import _


def required(value: str | None, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(label, _("is required"))
    return optional(value, label, max_length)


def optional(value: str | None, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(label, _("is longer than {n} characters").format(n=max_length))
    return value


def contains(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, taken literally: % and _ typed by a user are not wildcards."""
    return "%" + escape_like(text) + "%"


def starts_with(text: str) -> str:
    return escape_like(text) + "%"


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
