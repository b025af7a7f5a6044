"""What every tab of the main window is: a title, live re-translation, refresh on relevant changes, and actions
offered only to a user who may take them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from envdesk import i18n
from envdesk.app import access
from envdesk.app import changes as change_kinds
from envdesk.app.changes import Changes
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.users import PERMISSION_LABELS, Permission, Role, roles_granting
from envdesk.i18n import N_, _

F = TypeVar("F", bound=Callable)

# Set on a widget whose tooltip says which role it needs, so that the widget's own tooltip is not cleared.
_DENIED = "envdesk_needs_role"


def master_detail(table: QWidget, *detail_parts: QWidget, stretch: tuple[int, int] = (3, 2)) -> QSplitter:
    """A register's list above the selected record's detail (its parts stacked without margins), the two
    divided by a splitter the user can drag."""
    detail = QWidget()
    layout = QVBoxLayout(detail)
    layout.setContentsMargins(0, 0, 0, 0)
    for part in detail_parts:
        layout.addWidget(part)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(table)
    splitter.addWidget(detail)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    return splitter


def needs_role(permission: Permission) -> str:
    """Which role would allow an action, in the reader's words (the tooltip of an action the user may not take)."""
    roles = [role for role in roles_granting(permission) if role is not Role.ADMINISTRATOR] \
        or roles_granting(permission)
    separator = "、" if i18n.current_language() == "zh_CN" else ", "
    return _("Needs the role {roles} (to {action}).").format(
        roles=separator.join(role.label for role in roles), action=_(PERMISSION_LABELS[permission]))


def allow(widget: QObject, ws: Workspace, permission: Permission, state: bool = True) -> bool:
    """Enable `widget` (a widget or an action) when the record's state allows it and the signed-in user holds
    `permission`; otherwise disable it, and when the permission is what is missing say in its tooltip which role
    would do. Returns whether the user holds the permission."""
    permitted = access.can(ws, permission)
    widget.setEnabled(permitted and state)
    if not permitted:
        widget.setToolTip(needs_role(permission))
        widget.setProperty(_DENIED, True)
    elif widget.property(_DENIED):
        widget.setToolTip("")
        widget.setProperty(_DENIED, False)
    return permitted


def offer(action: QObject, ws: Workspace, permission: Permission, state: bool = True) -> bool:
    """Show (and enable by `state`) a menu entry or tool-bar action only to a user who may use it: a menu is not
    cluttered with what the user can never do."""
    permitted = access.can(ws, permission)
    action.setVisible(permitted)
    action.setEnabled(permitted and state)
    return permitted


def reports_errors(title: str = N_("Cannot continue")) -> Callable[[F], F]:
    """A slot whose use case may be refused — PermissionDenied (roles changed meanwhile), NotSignedIn (the session
    ended), a record changed or removed by someone else — shows the message in a box instead of a traceback."""

    def decorate(method: F) -> F:
        # Qt passes a signal's arguments (an index, a checked state) that a slot may not take; like Qt with the
        # undecorated method, pass only as many as it takes.
        code = method.__code__
        takes = None if code.co_flags & inspect.CO_VARARGS else code.co_argcount - 1

        @functools.wraps(method)
        def slot(self, *args, **kwargs):
            try:
                return method(self, *args[:takes], **kwargs)
            except AppError as error:
                from envdesk.ui.dialogs.exchange import show_failure

                show_failure(self, _(title), error)
                return None

        return slot  # type: ignore[return-value]

    return decorate


class BaseTab(QWidget):
    key = ""          # the name used by `envdesk screenshot --tab` and in saved state
    title = ""        # N_-marked, translated when shown
    concerns: tuple[str, ...] = ()  # kinds of change (envdesk.app.changes) that make this tab refresh
    changed = Signal(object)  # Changes this tab made, for the main window to broadcast to the others

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName(f"tab_{self.key}")

    def may(self, permission: Permission) -> bool:
        """Whether the signed-in user may do this (the use case checks again)."""
        return access.can(self.ws, permission)

    def retranslate_ui(self) -> None:
        """Set every visible text again; called at construction and after each language switch."""

    def refresh(self) -> None:
        """Reload what the tab shows from the database."""

    def apply_permissions(self) -> None:
        """Enable, disable or hide every action for the signed-in user's roles; called at construction and again
        whenever another user signs in (a `changes.USER` change)."""

    def on_changes(self, changes: Changes) -> None:
        if change_kinds.USER in changes.kinds:
            # Another person (or the same one with other roles): what may be done and seen changed, and nothing
            # the last user revealed stays on the screen.
            self.apply_permissions()
            self.refresh()
            return
        if changes.concerns(*self.concerns):
            self.refresh()
