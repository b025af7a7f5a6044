"""Errors a use case raises for the user to read: each carries one clear, translated message."""

from __future__ import annotations


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
    """Someone else saved the record after it was read; nothing was overwritten; reload and re-apply."""


class DatabaseUnavailable(AppError):
    """The database cannot be opened or used: bad URL, unreachable server, newer schema, damaged file."""


class PermissionDenied(AppError):
    """The signed-in user's roles do not allow this; the message names what is needed."""


class NotSignedIn(PermissionDenied):
    """No user is signed in, or the session has ended (log-out elsewhere, account changed, too old)."""
