"""Two users, one record: what the other user changed, and re-applying one's own change on top of it.

A save based on a stale read is refused (ConflictError, raised where the record is loaded, carrying the
audit entries of the changes made since the version the form was opened at). The user sees them and the
fields that differ; Reload takes the stored values, Re-apply saves again inside `confirmed(error)`: the version the
user has now seen replaces the stale one for that record only, so a third user's change made meanwhile is
still refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from envdesk.app.errors import ConflictError

_confirmed: ContextVar[Mapping[tuple[str, int], int] | None] = ContextVar("envdesk_confirmed_versions", default=None)


@contextmanager
def confirmed(error: ConflictError) -> Iterator[None]:
    """Saves in this block check the record `error` names against the version the user has now seen."""
    if not error.known or error.current is None:
        yield
        return
    token = _confirmed.set({**(_confirmed.get() or {}), (error.entity, error.record_id): error.current})
    try:
        yield
    finally:
        _confirmed.reset(token)


def expected(entity: str, record_id: int, version: int | None) -> int | None:
    """The version a save of this record must find: the one its form was opened at, or the one the user
    confirmed after a conflict. None (no check) stays None."""
    if version is None:
        return None
    return (_confirmed.get() or {}).get((entity, record_id), version)


@dataclass(frozen=True)
class FieldChange:
    """A field someone else changed while the form was open."""

    key: str
    opened: Any  # when the form was opened
    theirs: Any  # stored now
    mine: Any    # in the form

    @property
    def clash(self) -> bool:
        """Both changed it, to different values: re-applying keeps the form's value over theirs."""
        return differs(self.mine, self.opened) and differs(self.mine, self.theirs)


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (tuple, set, frozenset)):
        return sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
    return value


def differs(a: Any, b: Any) -> bool:
    """Two field values differ (an empty text and no value are the same; a tuple and a list of the same too)."""
    return _plain(a) != _plain(b)


def compare(opened: Mapping[str, Any], theirs: Mapping[str, Any], mine: Mapping[str, Any]) -> list[FieldChange]:
    """The form's fields the other user changed, in the form's order."""
    return [FieldChange(key, opened.get(key), theirs.get(key), value) for key, value in mine.items()
            if differs(opened.get(key), theirs.get(key))]


def merge(opened: Mapping[str, Any], theirs: Mapping[str, Any], mine: Mapping[str, Any]) -> dict[str, Any]:
    """The form re-applied on top of the stored record: the fields the user changed keep the user's value,
    the others take the stored one."""
    return {key: value if differs(value, opened.get(key)) else theirs.get(key, value) for key, value in mine.items()}
