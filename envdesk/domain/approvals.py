"""EIA approvals (环评审批): document types, tracks, stages, pauses and the two clocks of every case.

The statutory clock (EIA Law art. 22) and the shorter promised clock (the bureau's public commitment)
both start when the application is accepted and both stop while the case is paused (Administrative
Licensing Law art. 45: expert review, technical evaluation; local practice: public notice, the
applicant's revisions). Before acceptance a third clock runs: missing materials must be listed all at
once within 5 days of receipt (art. 32), or the application counts as accepted on the day of receipt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from envdesk.domain.calendar import ONE_DAY, WorkingCalendar
from envdesk.domain.deadlines import (
    Deadline,
    Pause,
    Rule,
    Unit,
    Urgency,
    compute_deadline,
)
from envdesk.domain.twinning import Labelled
from envdesk.i18n import N_, _


class DocumentType(Labelled):
    REPORT_BOOK = "report_book", N_("EIA report book")
    REPORT_FORM = "report_form", N_("EIA report form")
    REGISTRATION_FORM = "registration_form", N_("EIA registration form")

    @classmethod
    def parse(cls, text: str) -> DocumentType:
        """Also the short names staff write in ledgers: 报告书, 报告表, 登记表, report book…"""
        short = str(text).strip().casefold().removeprefix("eia ").removeprefix("环评")
        for member in cls:
            if short in (member.value.replace("_", " "), _SHORT_NAMES[member]):
                return member
        return super().parse(text)

    @property
    def is_approved(self) -> bool:
        """Report books and forms are approved; a registration form is only filed (备案)."""
        return self is not DocumentType.REGISTRATION_FORM


_SHORT_NAMES = {DocumentType.REPORT_BOOK: "报告书", DocumentType.REPORT_FORM: "报告表",
                DocumentType.REGISTRATION_FORM: "登记表"}


class Track(Labelled):
    NORMAL = "normal", N_("Normal track")
    GREEN_CHANNEL = "green_channel", N_("Green channel")
    NOTIFICATION_COMMITMENT = "notification_commitment", N_("Notification-commitment")
    EXEMPT = "exempt", N_("Exempt")


class ApprovalLevel(Labelled):
    OWN = "own", N_("Own approval")
    DELEGATED = "delegated", N_("Delegated by the city")
    PASSED_UP = "passed_up", N_("Preliminary review, passed up")


class Nature(Labelled):
    NEW = "new", N_("New construction")
    EXPANSION = "expansion", N_("Expansion")
    RENOVATION = "renovation", N_("Technical renovation")


class PauseKind(Labelled):
    EXPERT_REVIEW = "expert_review", N_("Expert review")
    TECHNICAL_EVALUATION = "technical_evaluation", N_("Technical evaluation")
    PUBLIC_NOTICE = "public_notice", N_("Public notice")
    APPLICANT_REVISION = "applicant_revision", N_("Applicant's revision")


class Status(Labelled):
    PREPARING = "preparing", N_("Being prepared")        # early involvement; the EIA document is being written
    RECEIVED = "received", N_("Application received")
    MATERIALS_REQUESTED = "materials_requested", N_("Missing materials requested")
    UNDER_REVIEW = "under_review", N_("Under review")      # accepted; the clocks run
    PAUSED = "paused", N_("Paused")
    APPROVED = "approved", N_("Approved")
    NOT_APPROVED = "not_approved", N_("Not approved")
    FILED = "filed", N_("Filed")                           # a registration form
    EXEMPT = "exempt", N_("Exempt")
    WITHDRAWN = "withdrawn", N_("Withdrawn")

    @property
    def is_open(self) -> bool:
        return self in OPEN

    @property
    def is_decided(self) -> bool:
        return self in (Status.APPROVED, Status.NOT_APPROVED, Status.FILED)


OPEN = frozenset({Status.PREPARING, Status.RECEIVED, Status.MATERIALS_REQUESTED, Status.UNDER_REVIEW,
                  Status.PAUSED})


class Outcome(Labelled):
    APPROVED = "approved", N_("Approved")
    NOT_APPROVED = "not_approved", N_("Not approved")


# The steps each status allows; the app refuses anything else with a message naming the status.
NEXT: dict[Status, tuple[str, ...]] = {
    Status.PREPARING: ("receive", "withdraw"),
    Status.RECEIVED: ("request_materials", "accept", "file", "withdraw"),
    Status.MATERIALS_REQUESTED: ("accept", "withdraw"),
    Status.UNDER_REVIEW: ("pause", "decide", "withdraw"),
    Status.PAUSED: ("resume", "withdraw"),
    Status.APPROVED: (),
    Status.NOT_APPROVED: (),
    Status.FILED: (),
    Status.EXEMPT: (),
    Status.WITHDRAWN: (),
}


# --- the investment project code (投资项目统一代码) -------------------------------------------------

_PROJECT_CODE = re.compile(r"(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{5,6})")


def check_project_code(text: str) -> str:
    """The national investment project code, e.g. 2017-130000-01-01-00001; returns it tidied or raises ValueError."""
    code = "".join(str(text).split()).replace("－", "-").replace("—", "-")
    match = _PROJECT_CODE.fullmatch(code)
    if not match:
        raise ValueError(_("“{code}” is not an investment project code (like 2017-130000-01-01-00001)").format(
            code=text))
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValueError(_("“{code}” does not start with a plausible year").format(code=text))
    return code


# --- the clocks ---------------------------------------------------------------------------------

class ClockKind(Labelled):
    MISSING_MATERIALS = "missing_materials", N_("One-time notification")
    STATUTORY = "statutory", N_("Statutory limit")
    PROMISED = "promised", N_("Promised limit")


def statutory_rule_key(document_type: DocumentType) -> str:
    return f"approvals/statutory/{document_type.value}"


def promised_rule_key(document_type: DocumentType, track: Track) -> str:
    """The promised limit: registration forms are same-day; report books and forms by track."""
    if document_type is DocumentType.REGISTRATION_FORM or track in (Track.NORMAL, Track.EXEMPT):
        return f"approvals/promised/{document_type.value}"
    return f"approvals/promised/{track.value}"


MISSING_MATERIALS_RULE = "approvals/missing_materials"


@dataclass(frozen=True)
class Stages:
    """The dates of a case that its clocks depend on."""

    document_type: DocumentType
    track: Track
    received_on: date | None
    notified_on: date | None = None     # one-time notification of missing materials
    accepted_on: date | None = None
    pauses: tuple[Pause, ...] = ()
    decided_on: date | None = None      # approved, not approved, or filed
    withdrawn_on: date | None = None


@dataclass(frozen=True)
class Clock:
    kind: ClockKind
    deadline: Deadline
    done_on: date | None
    used: int            # days counted so far (in the rule's unit), pauses not counted
    urgency: Urgency
    left: int            # days left in the rule's unit (negative: late by that many)

    @property
    def due(self) -> date:
        return self.deadline.due

    @property
    def rule(self) -> Rule:
        return self.deadline.rule

    def faster_by(self) -> float | None:
        """How much faster than the limit the case was done: 0.8 means 80% faster. None until done."""
        if self.done_on is None or self.rule.limit == 0:
            return None
        return 1 - self.used / self.rule.limit


def days_counted(start: date, end: date, unit: Unit, calendar: WorkingCalendar, pauses: Sequence[Pause] = ()) -> int:
    """Days after `start` up to and including `end` that the clock ran (working days or calendar days)."""
    stopped: set[date] = set()
    for pause in pauses:
        day = max(pause.start, start + ONE_DAY)
        last = end if pause.end is None else min(pause.end, end)
        while day <= last:
            stopped.add(day)
            day += ONE_DAY
    count = 0
    day = start + ONE_DAY
    while day <= end:
        if day not in stopped and (unit is Unit.CALENDAR_DAYS or calendar.day_info(day)[0]):
            count += 1
        day += ONE_DAY
    return count


def check_pauses(pauses: Sequence[Pause], accepted_on: date | None, decided_on: date | None = None) -> None:
    """Pauses start on or after acceptance, do not overlap, at most one is open and it is the last."""
    ordered = sorted(pauses, key=lambda p: p.start)
    for index, pause in enumerate(ordered):
        if accepted_on is None or pause.start < accepted_on:
            raise ValueError(_("A pause cannot start ({start}) before the application is accepted ({accepted}).")
                             .format(start=pause.start.isoformat(),
                                     accepted=accepted_on.isoformat() if accepted_on else "—"))
        if decided_on is not None and (pause.end is None or pause.end > decided_on):
            raise ValueError(_("A pause cannot run past the decision ({decided}).").format(
                decided=decided_on.isoformat()))
        if index + 1 < len(ordered):
            following = ordered[index + 1]
            if pause.end is None or pause.end >= following.start:
                raise ValueError(_("Pauses overlap: one from {first} and one from {second}.").format(
                    first=pause.start.isoformat(), second=following.start.isoformat()))


def accepted_from(stages: Stages, missing_materials: Deadline | None) -> date | None:
    """The day the clocks start: acceptance, or the day of receipt when the one-time notification was not
    given within its limit (Administrative Licensing Law art. 32: then the application counts as accepted
    on receipt)."""
    if stages.accepted_on is None or stages.received_on is None:
        return stages.accepted_on
    if missing_materials is not None and stages.accepted_on > missing_materials.due and (
            stages.notified_on is None or stages.notified_on > missing_materials.due):
        return stages.received_on
    return stages.accepted_on


def clocks(stages: Stages, rules: dict[ClockKind, Rule], calendar: WorkingCalendar, today: date,
           due_soon_days: int = 3) -> tuple[Clock, ...]:
    """Every clock that has started, as of `today`. `rules` maps each kind to its rule (from settings).

    A registration form is filed on the day of submission: both of its clocks start on receipt.
    An exempt case has no clocks.
    """
    if stages.track is Track.EXEMPT or stages.received_on is None:
        return ()
    result: list[Clock] = []

    def clock(kind: ClockKind, start: date, done: date | None, pauses: Sequence[Pause] = ()) -> Clock:
        rule = rules[kind]
        as_of = done or stages.withdrawn_on or today
        deadline = compute_deadline(start, rule, calendar, pauses=pauses, as_of=as_of)
        used = days_counted(start, min(as_of, today) if done is None else done, rule.unit, calendar,
                            [Pause(p.start, p.end if p.end is not None else as_of) for p in pauses])
        if done is None and stages.withdrawn_on is None:
            urgency = deadline.urgency(today, due_soon_days)
        else:
            urgency = deadline.urgency(today, due_soon_days, done_on=done or stages.withdrawn_on)
        end = done or stages.withdrawn_on or today
        if end <= deadline.due:
            left = days_counted(end, deadline.due, rule.unit, calendar)
        else:
            left = -days_counted(deadline.due, end, rule.unit, calendar)
        return Clock(kind, deadline, done, used, urgency, left)

    if stages.document_type is DocumentType.REGISTRATION_FORM:
        for kind in (ClockKind.STATUTORY, ClockKind.PROMISED):
            result.append(clock(kind, stages.received_on, stages.decided_on))
        return tuple(result)
    missing = clock(ClockKind.MISSING_MATERIALS, stages.received_on, stages.notified_on or stages.accepted_on)
    result.append(missing)
    start = accepted_from(stages, missing.deadline)
    if start is None and stages.notified_on is None and stages.withdrawn_on is None and today > missing.due:
        start = stages.received_on  # no notification in time: accepted on receipt by law (art. 32)
    if start is not None:
        for kind in (ClockKind.STATUTORY, ClockKind.PROMISED):
            result.append(clock(kind, start, stages.decided_on, stages.pauses))
    return tuple(result)


def nearer(found: Sequence[Clock]) -> Clock | None:
    """The clock that decides the colour of a case in a list: the running one due first, else the promised."""
    running = [c for c in found if c.done_on is None and c.urgency not in (Urgency.DONE_LATE, Urgency.DONE_ON_TIME)]
    if running:
        return min(running, key=lambda c: c.due)
    promised = [c for c in found if c.kind is ClockKind.PROMISED]
    return promised[0] if promised else None
