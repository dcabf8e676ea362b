"""Form validation that names the field: a registry form is parsed by its ``XCreate`` /
``XUpdate`` model, and every error comes back as (field, sentence) in the user's language.

A page re-renders the form with the user's input and the messages beside the fields
next to the fields; JSON clients get 422 with the documented body, each field in ``loc``. A
stale save (records.StaleEdit) is answered 409 with the reason in ``detail``.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

Tr = Callable[[str, str], str]
M = TypeVar("M", bound=BaseModel)


class FormInvalid(Exception):
    """The form's values break its rules; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str], values: Mapping[str, Any]) -> None:
        self.errors = errors
        self.values = dict(values)
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

    def as_json(self, status: int = 422) -> dict[str, Any]:
        """The documented 422 body (schemas.ValidationErrorRead): where, what, which rule."""
        return {
            "status": status,
            "detail": [
                {"loc": ["body", field], "msg": message, "type": "form"}
                for field, message in self.errors.items()
            ],
        }


def _message(error: Mapping[str, Any], tr: Tr) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return tr("skal udfyldes", "is required")
    if kind == "string_too_long":
        return tr(f"højst {ctx['max_length']} tegn", f"at most {ctx['max_length']} characters")
    if kind == "string_too_short":
        return tr(f"mindst {ctx['min_length']} tegn", f"at least {ctx['min_length']} characters")
    if kind in ("int_parsing", "int_from_float"):
        return tr("skal være et helt tal", "must be a whole number")
    if kind in ("float_parsing", "decimal_parsing"):
        return tr("skal være et tal", "must be a number")
    if kind.startswith("date") or kind.startswith("datetime"):
        return tr("skal være en dato (ÅÅÅÅ-MM-DD)", "must be a date (YYYY-MM-DD)")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = next(iter(ctx.values()), "")
        words = {
            "greater_than_equal": ("mindst", "at least"),
            "greater_than": ("større end", "greater than"),
            "less_than_equal": ("højst", "at most"),
            "less_than": ("mindre end", "less than"),
        }[kind]
        return tr(f"skal være {words[0]} {limit}", f"must be {words[1]} {limit}")
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return tr(f"vælg en af: {expected}", f"choose one of: {expected}")
    if kind == "value_error":
        # Our own validators raise ValueError with a text already in the user's language.
        return str(ctx.get("error", error.get("msg", "")))
    return tr("ugyldig værdi", "invalid value")


def field_errors(exc: ValidationError, tr: Tr) -> dict[str, str]:
    """The first message per field ("" for the form as a whole)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = ".".join(str(part) for part in error.get("loc", ()))
        errors.setdefault(field, _message(error, tr))
    return errors


# A number as a Danish reader writes it: a decimal comma, optionally with dots between
# thousands ("12,5", "1.234,5"). The pages show numbers this way, so a form must take them.
_DANISH_DECIMAL = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+")


def _is_number_field(annotation: Any) -> bool:
    if annotation is float:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_is_number_field(a) for a in get_args(annotation))
    return False


def _numbers_as_written(model: type[BaseModel], given: dict[str, Any]) -> dict[str, Any]:
    """Danish decimal commas in the model's number fields read as the decimal point the
    model (and the agreement file) uses; anything else is left for the model to judge."""
    out = dict(given)
    for name, field in model.model_fields.items():
        value = out.get(name)
        if (
            isinstance(value, str)
            and _is_number_field(field.annotation)
            and _DANISH_DECIMAL.fullmatch(value.strip())
        ):
            out[name] = value.strip().replace(".", "").replace(",", ".")
    return out


def parse_form(model: type[M], values: Mapping[str, Any], tr: Tr) -> M:
    """``values`` (a posted form or JSON body) as ``model``, or FormInvalid naming fields.

    Empty form fields count as not given, so an optional field left blank is None and a
    required one left blank says "skal udfyldes". A number field takes a Danish decimal
    comma ("12,5") as well as a decimal point."""
    given = _numbers_as_written(model, {k: v for k, v in values.items() if v not in ("", None)})
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        raise FormInvalid(field_errors(exc, tr), values) from None
