"""Models of the approvals register: a case (the project and its application), its pauses and its steps."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from envdesk.store.models import Base, StaffRow, TownRow, Versioned
from envdesk.store.twinning import EnterpriseRow
from envdesk.store.types import JSONText, UTCDateTime, utcnow


class ApprovalRow(Versioned, Base):
    """One construction project and its EIA application (报告书 / 报告表 / 登记表)."""

    __tablename__ = "approval"
    __table_args__ = (
        Index("ix_approval_status_next_due", "status", "next_due"),
        Index("ix_approval_received_on_id", "received_on", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)   # the case number, printed on notices
    # The project (MEE basic information sheet).
    name: Mapped[str] = mapped_column(String(300), index=True)
    builder_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    contact_person: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    project_code: Mapped[str] = mapped_column(String(30), default="")  # 投资项目统一代码, may be empty
    location: Mapped[str] = mapped_column(String(300), default="")
    town_id: Mapped[int | None] = mapped_column(ForeignKey("town.id"), index=True)
    nature: Mapped[str] = mapped_column(String(20))
    content_scale: Mapped[str] = mapped_column(Text, default="")      # construction content and scale
    category: Mapped[int | None] = mapped_column(Integer, index=True)  # item of the 2021 classification directory
    industry_code: Mapped[str] = mapped_column(String(10), default="")  # national-economy industry code
    total_investment: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # 万元
    env_investment: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))    # 万元
    sensitive_area: Mapped[bool] = mapped_column(Boolean, default=False)
    planned_start: Mapped[date | None] = mapped_column(Date)
    key_project: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    preparing_institution: Mapped[str] = mapped_column(String(200), default="")
    # The application.
    document_type: Mapped[str] = mapped_column(String(20), index=True)
    track: Mapped[str] = mapped_column(String(30), index=True)
    level: Mapped[str] = mapped_column(String(20))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(30), index=True)
    # Stages.
    early_involvement_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    notified_on: Mapped[date | None] = mapped_column(Date)
    missing_items: Mapped[list] = mapped_column(JSONText(), default=list)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date, index=True)  # approved, not approved, or filed
    outcome: Mapped[str] = mapped_column(String(20), default="")
    document_number: Mapped[str | None] = mapped_column(String(60), unique=True)  # 批复文号 / 备案号
    decision_note: Mapped[str] = mapped_column(Text, default="")
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    # The clocks as last computed, so that lists filter, sort and colour in SQL.
    statutory_due: Mapped[date | None] = mapped_column(Date)
    promised_due: Mapped[date | None] = mapped_column(Date)
    next_due: Mapped[date | None] = mapped_column(Date)  # the nearer running clock; NULL when none runs
    # Fixed at the decision, for the leader's summary: days the statutory clock ran (in its unit), and
    # working days from acceptance to decision, pauses not counted.
    statutory_used: Mapped[int | None] = mapped_column(Integer)
    working_days_used: Mapped[int | None] = mapped_column(Integer)

    builder: Mapped[EnterpriseRow] = relationship(lazy="joined")
    town: Mapped[TownRow | None] = relationship(lazy="joined")
    handler: Mapped[StaffRow | None] = relationship(foreign_keys=[handler_id])
    pauses: Mapped[list[PauseRow]] = relationship(order_by="PauseRow.start_on", back_populates="approval",
                                                   cascade="all, delete-orphan")


class PauseRow(Versioned, Base):
    """A period in which the clocks stop (expert review, technical evaluation, public notice, revision)."""

    __tablename__ = "approval_pause"
    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approval.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")

    approval: Mapped[ApprovalRow] = relationship(back_populates="pauses")


class ApprovalEventRow(Base):
    """A step of a case (received, notified, accepted, paused, resumed, decided, …). Never edited."""

    __tablename__ = "approval_event"
    __audit__ = False  # the register's own log of steps; the change each step makes is audited
    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approval.id"), index=True)
    event_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(30))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    staff: Mapped[StaffRow | None] = relationship(lazy="joined")
