"""The responsibility matrix (任务分解 / 责任清单): plans, tasks, weekly progress, warning cards, and the
responsibility letters signed on paper (目标责任书, 党风廉政建设责任书)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from envdesk.domain.twinning import Labelled
from envdesk.i18n import N_, _


class PlanKind(Labelled):
    ANNUAL = "annual", N_("Annual plan")
    CAMPAIGN = "campaign", N_("Campaign")


class TaskStatus(Labelled):
    NOT_STARTED = "not_started", N_("Not started")
    IN_PROGRESS = "in_progress", N_("In progress")
    DONE = "done", N_("Completed")
    OVERDUE = "overdue", N_("Overdue")  # shown, never stored: an unfinished task past its deadline


class Role(Labelled):
    LEAD = "lead", N_("Lead")
    ASSISTING = "assisting", N_("Assisting")


class Card(Labelled):
    """Warning cards (预警): blue when due soon, yellow when behind, red when overdue."""

    BLUE = "blue", N_("Blue card: due soon")
    YELLOW = "yellow", N_("Yellow card: behind schedule")
    RED = "red", N_("Red card: overdue")


class LetterKind(Labelled):
    TARGET = "target", N_("Target responsibility letter")
    CLEAN_GOVERNMENT = "clean_government", N_("Clean-government responsibility letter")

    @classmethod
    def parse(cls, text: str) -> LetterKind:
        """Also as the command line writes it: clean-government."""
        try:
            return super().parse(text)
        except ValueError:
            return super().parse(str(text).strip().replace("-", "_"))


class LetterStatus(Labelled):
    DRAFT = "draft", N_("Draft")
    PRINTED = "printed", N_("Printed")
    SIGNED = "signed", N_("Signed")
    ARCHIVED = "archived", N_("Archived")

    @property
    def locked(self) -> bool:
        """A signed letter is a record: it stays as it was signed."""
        return self in (LetterStatus.SIGNED, LetterStatus.ARCHIVED)


LETTER_NEXT: dict[LetterStatus, tuple[LetterStatus, ...]] = {
    LetterStatus.DRAFT: (LetterStatus.PRINTED,),
    LetterStatus.PRINTED: (LetterStatus.PRINTED, LetterStatus.SIGNED),
    LetterStatus.SIGNED: (LetterStatus.ARCHIVED,),
    LetterStatus.ARCHIVED: (),
}

# The sections of a letter whose text an administrator may edit, in the order they print.
LETTER_SECTIONS = ("duties", "assessment", "rewards", "term")
SECTION_TITLES = {
    "duties": N_("Duties"),
    "assessment": N_("Assessment"),
    "rewards": N_("Rewards and penalties"),
    "term": N_("Term"),
}


def task_status(stored: TaskStatus, deadline: date | None, today: date) -> TaskStatus:
    """What a task shows: overdue when it is not done and its deadline has passed."""
    if stored is not TaskStatus.DONE and deadline is not None and deadline < today:
        return TaskStatus.OVERDUE
    return stored


def expected_progress(start: date, deadline: date, today: date) -> int:
    """Where a task should stand today if its work were spread evenly from `start` to `deadline` (0–100)."""
    if today <= start:
        return 0
    if today >= deadline or deadline <= start:
        return 100
    return round(100 * (today - start).days / (deadline - start).days)


@dataclass(frozen=True)
class CardRule:
    due_soon_days: int = 7       # a task due within this many days gets a blue card
    behind_points: int = 20      # a yellow card when progress trails the even pace by this many points


def warning_card(status: TaskStatus, progress: int, start: date | None, deadline: date | None, today: date,
                 rule: CardRule = CardRule()) -> Card | None:
    """The warning card a task earns today, the most serious first: red, yellow, blue; None when all is well."""
    if status is TaskStatus.DONE or deadline is None:
        return None
    if deadline < today:
        return Card.RED
    if start is not None and expected_progress(start, deadline, today) - progress >= rule.behind_points:
        return Card.YELLOW
    if (deadline - today).days <= rule.due_soon_days:
        return Card.BLUE
    return None


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week `day` is in: weekly progress is reported once a week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def check_progress(value: int) -> int:
    if not 0 <= int(value) <= 100:
        raise ValueError(_("Progress must be between 0 and 100 %, got {value}").format(value=value))
    return int(value)


def letter_number(pattern: str, year: int, seq: int, kind: LetterKind) -> str:
    """'MB-2026-001' for a target letter, 'LZ-2026-001' for a clean-government one (pattern from settings)."""
    return pattern.format(year=year, seq=seq, kind=LETTER_PREFIX[kind])


LETTER_PREFIX = {LetterKind.TARGET: "MB", LetterKind.CLEAN_GOVERNMENT: "LZ"}
