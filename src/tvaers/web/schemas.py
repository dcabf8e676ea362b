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


class AuditDetailRead(BaseModel):
    label: str
    text: str


class AuditEntryRead(BaseModel):
    id: int
    at: datetime
    actor: str
    role: str | None
    action: str
    unit_level: str | None
    unit_code: str | None
    details: dict[str, Any]
    # The same, for people, in the page's language (audit/labels.py).
    time: str = ""  # Danish time, one line
    action_name: str = ""
    unit_names: list[str] = []
    units_text: str = ""  # the names, a long list shortened
    summary: list[AuditDetailRead] = []


class AuditPageRead(BaseModel):
    total: int  # entries that match the filters
    limit: int
    offset: int
    filters: dict[str, str]  # the filters set (actor, action, unit, since, until)
    actions: list[str]  # every action in the log, to choose from
    action_names: dict[str, str] = {}  # their names in the page's language
    entries: list[AuditEntryRead]
    csv: str  # the export of every entry that matches the filters


class ErrorRead(BaseModel):
    status: int
    detail: str


class FieldErrorRead(BaseModel):
    loc: list[str | int]  # where: ["query", "until"], ["body", "username"]
    msg: str  # what is wrong, in the user's language where Tværs has its own text
    type: str  # the rule broken, e.g. "day", "string_too_long"


class ValidationErrorRead(BaseModel):
    """The body of every 422 answered as JSON."""

    status: int
    detail: list[FieldErrorRead]
