"""SQLAlchemy models of the reference data every register shares, and the base they all use."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from envdesk.store.types import JSONText, UTCDateTime, utcnow

# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Every editable record: a version counter for optimistic locking, and when it was made and changed.

    SQLAlchemy adds `WHERE version = :old` to each UPDATE, so a save based on a stale read fails
    instead of overwriting someone else's newer change.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - SQLAlchemy's declared_attr signature
        return {"version_id_col": cls.version}


class BureauRow(Versioned, Base):
    """The one bureau this database belongs to (a single row, id 1)."""

    __tablename__ = "bureau"
    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    county: Mapped[str] = mapped_column(String(100), default="")


class DepartmentRow(Versioned, Base):
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffRow(Versioned, Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    title: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[DepartmentRow | None] = relationship(lazy="joined")


class TownRow(Versioned, Base):
    __tablename__ = "town"
    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="town")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SettingRow(Versioned, Base):
    """A shared setting's value, stored as JSON; absent rows mean the declared default."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[object | None] = mapped_column(JSONText(), nullable=True)


class CalendarYearRow(Versioned, Base):
    """A year's holiday schedule entered or imported by an administrator; overrides the shipped one."""

    __tablename__ = "calendar_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(Text, default="")
    holidays: Mapped[list] = mapped_column(JSONText(), default=list)
    working_weekends: Mapped[list] = mapped_column(JSONText(), default=list)
