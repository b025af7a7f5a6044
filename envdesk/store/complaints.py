"""Models of the complaints register: complaints, their handling records, steps, attachments and search index."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from envdesk.store.models import Base, StaffRow, TownRow, Versioned
from envdesk.store.twinning import EnterpriseRow
from envdesk.store.types import JSONText, UTCDateTime, utcnow


class ComplaintRow(Versioned, Base):
    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_status_handling_due", "status", "handling_due"),
        Index("ix_complaint_status_acceptance_due", "status", "acceptance_due"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_date: Mapped[date] = mapped_column(Date, index=True)  # the legal date the clocks start from
    first_receiver_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # The complainant: confidential (信访工作条例 art. 30); shown masked unless the user may see it.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    complainant_name: Mapped[str] = mapped_column(String(100), default="", info={"confidential": True})
    complainant_phone: Mapped[str] = mapped_column(String(50), default="", index=True, info={"confidential": True})
    complainant_address: Mapped[str] = mapped_column(String(300), default="", info={"confidential": True})
    # The subject: an enterprise of the register, or free text.
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    town_id: Mapped[int | None] = mapped_column(ForeignKey("town.id"), index=True)
    location: Mapped[str] = mapped_column(String(300), default="")
    pollution_types: Mapped[list] = mapped_column(JSONText(), default=list)
    content: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    skip_level: Mapped[bool] = mapped_column(Boolean, default=False)
    key_case: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    case_leader_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # Acceptance decision.
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    transferred_to: Mapped[str] = mapped_column(String(200), default="")
    # Assignment.
    assigned_on: Mapped[date | None] = mapped_column(Date)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    lead_person_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    assisting_departments: Mapped[list] = mapped_column(JSONText(), default=list)
    # Extension of the handling limit (once, approved by a leader).
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    extension_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    extension_approved_on: Mapped[date | None] = mapped_column(Date)
    # Written reply (处理意见书).
    replied_on: Mapped[date | None] = mapped_column(Date)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    # Follow-up visit (回访).
    followed_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_method: Mapped[str] = mapped_column(String(20), default="")
    satisfaction: Mapped[str] = mapped_column(String(20), default="")
    follow_up_notes: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    reopened_on: Mapped[date | None] = mapped_column(Date)  # a dissatisfied follow-up starts a new handling period
    # First review (复查) and second review (复核).
    review_requested_on: Mapped[date | None] = mapped_column(Date)
    review_answered_on: Mapped[date | None] = mapped_column(Date)
    second_review_requested_on: Mapped[date | None] = mapped_column(Date)
    second_review_answered_on: Mapped[date | None] = mapped_column(Date)
    # The clocks as last computed, kept so that lists filter and sort by them in SQL.
    acceptance_due: Mapped[date | None] = mapped_column(Date)
    handling_due: Mapped[date | None] = mapped_column(Date)

    enterprise: Mapped[EnterpriseRow | None] = relationship(lazy="joined")
    town: Mapped[TownRow | None] = relationship(lazy="joined")
    first_receiver: Mapped[StaffRow | None] = relationship(foreign_keys=[first_receiver_id])
    case_leader: Mapped[StaffRow | None] = relationship(foreign_keys=[case_leader_id])
    lead_person: Mapped[StaffRow | None] = relationship(foreign_keys=[lead_person_id])
    extension_approved_by: Mapped[StaffRow | None] = relationship(foreign_keys=[extension_approved_by_id])


class ComplaintPollutionRow(Base):
    """One pollution type of a complaint, so that lists filter by type with an index."""

    __tablename__ = "complaint_pollution"
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), primary_key=True)
    pollution_type: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ComplaintLinkRow(Base):
    """A repeat complaint and the earlier complaint it repeats."""

    __tablename__ = "complaint_link"
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), primary_key=True)
    earlier_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), primary_key=True)


class HandlingRow(Versioned, Base):
    """What was done: a site inspection, monitoring, an enforcement action…"""

    __tablename__ = "complaint_handling"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    handled_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    text: Mapped[str] = mapped_column(Text, default="")

    staff: Mapped[StaffRow | None] = relationship(lazy="joined")


class ComplaintEventRow(Base):
    """A step of a complaint (registered, accepted, assigned, extended, replied, …). Never edited."""

    __tablename__ = "complaint_event"
    __audit__ = False  # the register's own log of steps; the change each step makes is audited
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    event_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    staff: Mapped[StaffRow | None] = relationship(lazy="joined")


class AttachmentRow(Base):
    """A photo or document, copied into the data directory and known by its SHA-256."""

    __tablename__ = "complaint_attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
