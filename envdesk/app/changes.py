"""What a use case changed, so that each window refreshes only what concerns it."""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of records; registers add their own.
BUREAU = "bureau"
DEPARTMENT = "department"
STAFF = "staff"
TOWN = "town"
SETTING = "setting"
CALENDAR = "calendar"
ENTERPRISE = "enterprise"
TWINNING = "twinning"  # pairs, contacts, health checks and service items
APPROVALS = "approvals"  # approval cases, their pauses and steps
RESPONSIBILITY = "responsibility"  # plans, tasks, progress reports and letters
USER = "user"  # another user signed in: what may be seen and done changed
EVERYTHING = "*"


@dataclass(frozen=True)
class Changes:
    kinds: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *kinds: str) -> "Changes":
        return cls(frozenset(kinds))

    def concerns(self, *kinds: str) -> bool:
        return EVERYTHING in self.kinds or bool(self.kinds.intersection(kinds))

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(self.kinds | other.kinds)

    def __bool__(self) -> bool:
        return bool(self.kinds)
