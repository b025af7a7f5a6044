"""Errors a use case raises for the user to read: each carries one clear, translated message."""

from __future__ import annotations

from collections.abc import Sequence


class AppError(Exception):
    """Something the user can act on; str(error) is the message to show."""


class ValidationError(AppError):
    """Input that breaks a rule; names the field (its translated label) and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


class NotFound(AppError):
    pass


class ConflictError(AppError):
    """Someone else saved the record after it was read; nothing was overwritten; reload and re-apply.

    When the record is known: `entity` (its table), `record_id`, the `expected` version the form was opened at,
    the `current` one, and `changes`, the audit entries of what others did in between (envdesk.app.audit.Entry),
    so the user sees them and can re-apply (envdesk.app.conflicts)."""

    def __init__(self, message: str, *, entity: str = "", record_id: int | None = None,
                 expected: int | None = None, current: int | None = None, changes: Sequence = ()) -> None:
        super().__init__(message)
        self.entity, self.record_id, self.expected, self.current = entity, record_id, expected, current
        self.changes = list(changes)

    @property
    def known(self) -> bool:
        return bool(self.entity) and self.record_id is not None and self.expected is not None


class DatabaseUnavailable(AppError):
    """The database cannot be opened or used: bad URL, unreachable server, newer schema, damaged file. `fault`
    names a storage fault that restoring a backup would not cure (locked, read_only, full, io, lost)."""

    def __init__(self, message: str, fault: str | None = None) -> None:
        super().__init__(message)
        self.fault = fault


class PermissionDenied(AppError):
    """The signed-in user's roles do not allow this; the message names what is needed."""


class NotSignedIn(PermissionDenied):
    """No user is signed in, or the session has ended (log-out elsewhere, account changed, too old)."""
