"""Days in query parameters: ``YYYY-MM-DD`` from 1900-01-01 to 2999-12-31, and nothing else.

Pydantic's own date parsing is lenient where an address must not be: it takes a number as
seconds since 1970 (``?on=0`` is 1 January 1970) and any year up to 9999, where the day after
9999-12-31 does not exist (the audit log's ``until`` answered 500). One type for every day
parameter: the same rule, the same 422 body, and an OpenAPI schema (``format: date`` and
the pattern of the range) that says exactly what is accepted.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
# The years of the range, months 01-12 and days 01-31; format "date" rules out 30 February.
DAY_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
ERROR_TYPE = "day"
DAY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "format": "date",
    "pattern": DAY_PATTERN,
    "description": f"YYYY-MM-DD, {FIRST_DAY} to {LAST_DAY}",
}


def _error(value: object) -> PydanticCustomError:
    return PydanticCustomError(
        ERROR_TYPE,
        "not a day written YYYY-MM-DD from {first} to {last}: {value}",
        {"first": str(FIRST_DAY), "last": str(LAST_DAY), "value": str(value)[:40]},
    )


def parse_day(value: object) -> date:
    if isinstance(value, date):  # a default given in the code
        return value
    if not isinstance(value, str) or not re.fullmatch(DAY_PATTERN, value):
        raise _error(value)
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2023-02-30
        raise _error(value) from None


def _day_or_none(value: object) -> date | None:
    return None if value is None else parse_day(value)


def _day_or_empty(value: object) -> date | None:
    # A form's date field left empty sends "since=": no date chosen.
    return None if value in (None, "") else parse_day(value)


# An optional day: absent means the parameter's default (say, today).
Day = Annotated[date | None, BeforeValidator(_day_or_none), WithJsonSchema(DAY_SCHEMA)]
# A day from a form, where an empty field means none.
FormDay = Annotated[
    date | None,
    BeforeValidator(_day_or_empty),
    WithJsonSchema({"anyOf": [DAY_SCHEMA, {"type": "string", "maxLength": 0}]}),
]
