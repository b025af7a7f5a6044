"""Models of the twinning register: enterprises (shared master data), pairs, contacts, health checks, service items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from envdesk.store.models import Base, StaffRow, TownRow, Versioned
from envdesk.store.types import JSONText, UTCDateTime, utcnow


class EnterpriseRow(Versioned, Base):
    __tablename__ = "enterprise"
    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200), index=True)
    name_en: Mapped[str] = mapped_column(String(300), default="")
    # Unique when present; several enterprises may still lack one (NULL never collides).
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    town_id: Mapped[int | None] = mapped_column(ForeignKey("town.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    scale: Mapped[str] = mapped_column(String(20), default="")
    types: Mapped[list] = mapped_column(JSONText(), default=list)
    contact_person: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    town: Mapped[TownRow | None] = relationship(lazy="joined")


class PairRow(Versioned, Base):
    """An enterprise paired with the bureau for a year, with its liaison officer and contact leader."""

    __tablename__ = "twinning_pair"
    __table_args__ = (Index("ix_twinning_pair_year_status", "year", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    liaison_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")
    end_reason: Mapped[str] = mapped_column(Text, default="")

    enterprise: Mapped[EnterpriseRow] = relationship(lazy="joined")
    liaison: Mapped[StaffRow] = relationship(foreign_keys=[liaison_id], lazy="joined")
    leader: Mapped[StaffRow] = relationship(foreign_keys=[leader_id], lazy="joined")


class ContactRow(Versioned, Base):
    __tablename__ = "twinning_contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("twinning_pair.id"), index=True)
    contact_date: Mapped[date] = mapped_column(Date, index=True)
    mode: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[list] = mapped_column(JSONText(), default=list)  # problems raised, one text each

    staff: Mapped[StaffRow] = relationship(lazy="joined")


class HealthCheckRow(Versioned, Base):
    __tablename__ = "health_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    check_date: Mapped[date] = mapped_column(Date)
    expert_team: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")

    findings: Mapped[list[FindingRow]] = relationship(back_populates="check", order_by="FindingRow.id",
                                                      cascade="all, delete-orphan")


class FindingRow(Versioned, Base):
    __tablename__ = "health_check_finding"
    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("health_check.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(20), default="medium")
    treatment: Mapped[str] = mapped_column(Text, default="")

    check: Mapped[HealthCheckRow] = relationship(back_populates="findings")


class ServiceItemRow(Versioned, Base):
    """One matter, one order (一事一单): a problem followed until it is closed (销号)."""

    __tablename__ = "service_item"
    __table_args__ = (UniqueConstraint("number"), Index("ix_service_item_status_due", "status", "due_date"))
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("twinning_contact.id"))
    problem_index: Mapped[int | None] = mapped_column(Integer)  # which of the contact's problems it is
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("health_check_finding.id"))
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="collected")
    resolution: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    enterprise: Mapped[EnterpriseRow] = relationship(lazy="joined")
    events: Mapped[list[ItemEventRow]] = relationship(back_populates="item", order_by="ItemEventRow.id")


class ItemEventRow(Base):
    """A step of an item's closed loop: when, by whom, from which status to which, and a note. Never edited."""

    __tablename__ = "service_item_event"
    __audit__ = False  # the register's own log of steps; the change each step makes is audited
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"), index=True)
    event_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(20))  # collect | hand_over | track | close | cancel
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[ServiceItemRow] = relationship(back_populates="events")
    staff: Mapped[StaffRow | None] = relationship(lazy="joined")
