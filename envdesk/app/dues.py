"""Stored due dates follow the rules they come from: when a time limit or the holiday calendar changes, the
open cases of every register are recomputed, so that lists, the Overview and exports never show a stale date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from envdesk.app.access import requires
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Permission

# Settings whose change moves a stored due date.
PREFIXES = ("complaints/", "approvals/", "calendar/")


def concerns(keys: Iterable[str]) -> bool:
    return any(key.startswith(PREFIXES) for key in keys)


@requires(Permission.SETTINGS_EDIT)
def refresh(ws: Workspace, today: date | None = None) -> int:
    """Recompute the stored clocks of every open case; returns how many cases were looked at."""
    from envdesk.app import (  # these registers import settings and calendar themselves
        approvals,
        complaints,
    )

    return complaints.refresh_due_dates(ws, today) + approvals.refresh_due_dates(ws, today)
