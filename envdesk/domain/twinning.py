"""Twinning enterprises (环保服务企业"十百千"): enterprise kinds, contact modes, the service item's closed loop,
and the monthly-contact compliance grid."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from envdesk.i18n import N_, _


class Labelled(str, Enum):
    """An enum whose members carry an N_-marked label, translated where shown."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.msgid = label
        return member

    @property
    def label(self) -> str:
        return _(self.msgid)

    @classmethod
    def parse(cls, text: str) -> "Labelled":
        """A member from its key, its English label or its label in the interface language."""
        from envdesk.i18n import gettext_for

        wanted = str(text).strip()
        for member in cls:
            if wanted.casefold() in (member.value, member.msgid.casefold()) or \
                    wanted in (gettext_for("zh_CN", member.msgid), member.label):
                return member
        raise ValueError(_("“{value}” is not one of: {choices}").format(
            value=wanted, choices="、".join(member.label for member in cls)))


class Scale(Labelled):
    LARGE = "large", N_("Large")
    MEDIUM = "medium", N_("Medium")
    SMALL = "small", N_("Small")
    MICRO = "micro", N_("Micro")


class EnterpriseType(Labelled):
    TRADITIONAL = "traditional", N_("Traditional industry")
    EMERGING = "emerging", N_("Strategic emerging industry")
    KEY_DISCHARGER = "key_discharger", N_("Key pollutant-discharge unit")
    THIRD_PARTY = "third_party", N_("Third-party pollution control")
    OTHER = "other", N_("Other")


class PairStatus(Labelled):
    ACTIVE = "active", N_("Paired")
    ENDED = "ended", N_("Ended")


class ContactMode(Labelled):
    VISIT = "visit", N_("On-site visit")
    VIDEO = "video", N_("Video")
    PHONE = "phone", N_("Phone")


class Severity(Labelled):
    HIGH = "high", N_("High")
    MEDIUM = "medium", N_("Medium")
    LOW = "low", N_("Low")


class ItemSource(Labelled):
    CONTACT = "contact", N_("Contact")
    HEALTH_CHECK = "health_check", N_("Health check")
    REQUEST = "request", N_("Enterprise request")
    OTHER = "other", N_("Other")


class ItemCategory(Labelled):
    POLICY = "policy", N_("Policy")
    TECHNOLOGY = "technology", N_("Technology")
    ASSISTANCE = "assistance", N_("Assistance")
    APPROVAL = "approval", N_("Approval")
    OTHER = "other", N_("Other")


class ItemStatus(Labelled):
    COLLECTED = "collected", N_("Collected")
    HANDED_OVER = "handed_over", N_("Handed over")
    TRACKED = "tracked", N_("Tracked")
    CLOSED = "closed", N_("Closed")
    CANCELLED = "cancelled", N_("Cancelled")

    @property
    def is_open(self) -> bool:
        return self not in (ItemStatus.CLOSED, ItemStatus.CANCELLED)


class ItemAction(Labelled):
    HAND_OVER = "hand_over", N_("Hand over")
    TRACK = "track", N_("Track")
    CLOSE = "close", N_("Close (销号)")
    CANCEL = "cancel", N_("Cancel")


# The closed loop: collected → handed over → tracked → closed; tracking may be logged again, an item may be
# handed over again (to another department), and any open item may be cancelled with a reason.
TRANSITIONS: dict[tuple[ItemStatus, ItemAction], ItemStatus] = {
    (ItemStatus.COLLECTED, ItemAction.HAND_OVER): ItemStatus.HANDED_OVER,
    (ItemStatus.HANDED_OVER, ItemAction.HAND_OVER): ItemStatus.HANDED_OVER,
    (ItemStatus.TRACKED, ItemAction.HAND_OVER): ItemStatus.HANDED_OVER,
    (ItemStatus.HANDED_OVER, ItemAction.TRACK): ItemStatus.TRACKED,
    (ItemStatus.TRACKED, ItemAction.TRACK): ItemStatus.TRACKED,
    (ItemStatus.HANDED_OVER, ItemAction.CLOSE): ItemStatus.CLOSED,
    (ItemStatus.TRACKED, ItemAction.CLOSE): ItemStatus.CLOSED,
    (ItemStatus.COLLECTED, ItemAction.CANCEL): ItemStatus.CANCELLED,
    (ItemStatus.HANDED_OVER, ItemAction.CANCEL): ItemStatus.CANCELLED,
    (ItemStatus.TRACKED, ItemAction.CANCEL): ItemStatus.CANCELLED,
}


class TransitionError(ValueError):
    """An action the item's status does not allow; the message says which actions it does."""


def next_status(status: ItemStatus, action: ItemAction) -> ItemStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        allowed = allowed_actions(status)
        raise TransitionError(
            _("An item that is “{status}” cannot be “{action}”; it can be: {allowed}").format(
                status=status.label, action=action.label,
                allowed="、".join(a.label for a in allowed) if allowed else _("nothing more"))) from None


def allowed_actions(status: ItemStatus) -> list[ItemAction]:
    return [action for (state, action) in TRANSITIONS if state is status]


# --- the monthly-contact compliance grid ---------------------------------------------------------

class MonthMark(Labelled):
    CONTACTED = "contacted", N_("Contacted")
    MISSED = "missed", N_("No contact")
    DUE = "due", N_("Due this month")
    FUTURE = "future", N_("Future")
    OUTSIDE = "outside", N_("Not paired")


@dataclass(frozen=True)
class PairPeriod:
    start: date
    end: date | None  # None: still active


def _month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def _month_end(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def month_marks(year: int, period: PairPeriod, contact_dates: Iterable[date], today: date) -> list[MonthMark]:
    """Twelve marks for a pair in `year`: the liaison officer must serve the enterprise at least once a month.

    A month counts if the pair was active on any day of it. The current month is "due" until a contact
    is logged; a past month with no contact is "missed".
    """
    contacted = {(d.year, d.month) for d in contact_dates}
    marks = []
    for month in range(1, 13):
        first, after = _month_start(year, month), _month_end(year, month)
        active = period.start < after and (period.end is None or period.end >= first)
        if not active:
            marks.append(MonthMark.OUTSIDE)
        elif (year, month) in contacted:
            marks.append(MonthMark.CONTACTED)
        elif first > today:
            marks.append(MonthMark.FUTURE)
        elif after > today:
            marks.append(MonthMark.DUE)
        else:
            marks.append(MonthMark.MISSED)
    return marks
