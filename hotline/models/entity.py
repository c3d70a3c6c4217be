"""Entities complaints are routed to, and the routing rules."""
from __future__ import annotations

import enum

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.models.base import Base


class EntityKind(str, enum.Enum):
    ministry = "ministry"
    governorate = "governorate"
    local_unit = "local_unit"
    authority = "authority"


class Entity(Base):
    """A ministry, governorate, local unit or public authority that answers complaints."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[EntityKind] = mapped_column(Enum(EntityKind, native_enum=False, length=16))
    name_ar: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    # For governorates: the slug used in cases and routing, and the national-ID code.
    governorate: Mapped[str | None] = mapped_column(String(32), unique=True)
    nid_code: Mapped[str | None] = mapped_column(String(2), unique=True)
    menu_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped["Entity | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Entity"]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Entity {self.code}>"


class RoutingRule(Base):
    """category x governorate → entity; ``*`` means any. ``to_governorate`` targets the case's governorate."""

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("category", "governorate", name="category_governorate"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    governorate: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"))
    to_governorate: Mapped[bool] = mapped_column(Boolean, default=False)

    entity: Mapped[Entity | None] = relationship()
