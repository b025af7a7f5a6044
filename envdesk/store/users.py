"""Models of user accounts, log-in sessions and the append-only audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from envdesk.store.models import Base, Versioned
from envdesk.store.types import UTCDateTime, utcnow


class UserRow(Versioned, Base):
    """A person who signs in. `roles` is a comma-separated list of role keys (see envdesk.domain.users)."""

    __tablename__ = "app_user"
    __audit_label__ = "login"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(40))
    login_key: Mapped[str] = mapped_column(String(40), unique=True, info={"audit": False})  # casefolded
    display_name: Mapped[str] = mapped_column(String(100), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    roles: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300), info={"secret": True})
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, info={"audit": False})
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), info={"audit": False})
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginSessionRow(Base):
    """One log-in on one workstation, until log-out, or until an administrator ends it (password reset,
    account disabled, roles changed) or it outlives `users/session_hours`."""

    __tablename__ = "login_session"
    __audit__ = False  # log-ins and log-outs are audited as actions
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    workstation: Mapped[str] = mapped_column(String(100), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str] = mapped_column(String(30), default="")


class AuditRow(Base):
    """One audited action. Rows are only ever inserted; `hash` chains each row to the one before
    (`prev_hash`), and `audit_head` holds the last one, so an edit or a removal outside EnvDesk shows."""

    __tablename__ = "audit_log"
    __audit__ = False
    __table_args__ = (Index("ix_audit_log_record", "entity", "record_id"),
                      Index("ix_audit_log_owner", "owner_entity", "owner_id"))
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32), index=True)  # ISO 8601 UTC, hashed exactly as stored
    user_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the trail outlives accounts
    user_name: Mapped[str] = mapped_column(String(100), index=True)
    workstation: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(30), index=True)
    entity: Mapped[str] = mapped_column(String(50), default="")
    record_id: Mapped[int | None] = mapped_column(Integer)
    owner_entity: Mapped[str] = mapped_column(String(50), default="")
    owner_id: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200), default="")
    changes: Mapped[str] = mapped_column(Text, default="")  # JSON {field: [old, new]}, hashed as stored
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row naming the last audit entry: removing entries from the end shows too."""

    __tablename__ = "audit_head"
    __audit__ = False
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
