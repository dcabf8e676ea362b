"""The JSON twins' shapes (also what the OpenAPI description publishes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class UnitRead(BaseModel):
    level: str
    code: str
    name: str


class UserRead(BaseModel):
    username: str
    display_name: str
    role: str
    scopes: list[UnitRead]
    sees_unsuppressed: bool  # anywhere at all: false for a viewer or an empty scope


class LinkRead(BaseModel):
    href: str
    title: str


class LoginRead(BaseModel):
    authenticated: bool
    username: str | None
    csrf_token: str
    fields: list[str]
    message: str | None = None


class AuditEntryRead(BaseModel):
    id: int
    at: datetime
    actor: str
    role: str | None
    action: str
    unit_level: str | None
    unit_code: str | None
    details: dict[str, Any]


class AuditPageRead(BaseModel):
    total: int
    limit: int
    offset: int
    entries: list[AuditEntryRead]
    csv: str


class ErrorRead(BaseModel):
    status: int
    detail: str
