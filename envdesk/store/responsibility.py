"""Models of the responsibility matrix: plans and their phases, tasks with responsible departments and people,
weekly progress reports, and the responsibility letters with their signed scans."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from envdesk.store.models import Base, DepartmentRow, StaffRow, Versioned
from envdesk.store.types import JSONText, UTCDateTime, utcnow


class PlanRow(Versioned, Base):
    """An annual plan or a campaign, decomposed into tasks."""

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(200), unique=True)
    title_en: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer, index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # the leading group's office
    notes: Mapped[str] = mapped_column(Text, default="")

    office: Mapped[DepartmentRow | None] = relationship(lazy="joined")
    phases: Mapped[list[PhaseRow]] = relationship(order_by="PhaseRow.start_on", cascade="all, delete-orphan",
                                                  back_populates="plan")


class PhaseRow(Versioned, Base):
    """A phase of a plan (mobilisation, key advancement, summary…)."""

    __tablename__ = "plan_phase"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)

    plan: Mapped[PlanRow] = relationship(back_populates="phases")


class TaskRow(Versioned, Base):
    """One line of the task table: No., section, content, departments, leader, people, deadline, remarks."""

    __tablename__ = "task"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("plan_phase.id"), index=True)
    number: Mapped[str] = mapped_column(String(20), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    section: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    persons: Mapped[list] = mapped_column(JSONText(), default=list)  # staff ids, in the order the table names them
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    remarks: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="not_started", index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)

    leader: Mapped[StaffRow | None] = relationship(lazy="joined")
    departments: Mapped[list[TaskDepartmentRow]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                                back_populates="task")


class TaskDepartmentRow(Base):
    """A department responsible for a task: the lead one, or one assisting."""

    __tablename__ = "task_department"
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))

    task: Mapped[TaskRow] = relationship(back_populates="departments")
    department: Mapped[DepartmentRow] = relationship(lazy="joined")


class ProgressRow(Base):
    """A weekly progress report on a task. Never edited: a correction is a new report."""

    __tablename__ = "task_progress"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    progress: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LetterRow(Versioned, Base):
    """A responsibility letter between a bureau leader (party A) and a department head (party B).

    `content` is what the letter says — the targets table and the section texts, both languages — fixed when
    the letter is signed: later edits of the tasks make a new version of the letter, never change this one.
    """

    __tablename__ = "letter"
    __table_args__ = (UniqueConstraint("plan_id", "kind", "department_id", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    party_a_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    party_b_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    content: Mapped[dict] = mapped_column(JSONText(), default=dict)
    printed_on: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    archived_on: Mapped[date | None] = mapped_column(Date)
    scan_file_name: Mapped[str] = mapped_column(String(255), default="")
    scan_sha256: Mapped[str] = mapped_column(String(64), default="")
    scan_size: Mapped[int | None] = mapped_column(Integer)
    scan_media_type: Mapped[str] = mapped_column(String(100), default="")

    department: Mapped[DepartmentRow] = relationship(lazy="joined")
    party_a: Mapped[StaffRow] = relationship(foreign_keys=[party_a_id], lazy="joined")
    party_b: Mapped[StaffRow] = relationship(foreign_keys=[party_b_id], lazy="joined")
