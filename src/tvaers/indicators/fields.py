"""The kinds of field a definition file holds — a number, a text, a da/en pair, a list of
choices, a list of code prefixes — each checked once, here, with a message in Danish and
English. The loader (catalogue.py) checks the common fields with them; a method declares
its parameters as a Pydantic model of them (methods/), so a broken parameter is refused
when the catalogue loads, naming the file and the field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError
from pydantic_core import PydanticCustomError

from tvaers.i18n import tr
from tvaers.indicators.definitions import Texts


class Invalid(ValueError):
    """A value of the wrong kind: what is wrong with it, in Danish and English."""

    def __init__(self, da: str, en: str):
        super().__init__(en)
        self.da, self.en = da, en


class FieldError(Exception):
    """A field of a definition file is wrong: where (dotted path) and what, da/en."""

    def __init__(self, where: str, da: str, en: str):
        super().__init__(f"{where}: {tr(da, en)}")
        self.where, self.da, self.en = where, da, en


def number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise Invalid("skal være et tal ≥ 0", "must be a number ≥ 0")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("skal være en tekst", "must be a text")
    return value.strip()


def texts(value: Any) -> Texts:
    # Exactly da and en: an unquoted comma in a one-line {da: …, en: …} would otherwise
    # split a text into a stray key and lose its end silently.
    if not isinstance(value, dict) or set(value) != {"da", "en"}:
        raise Invalid(
            "skal have præcis da og en (sæt tekster med komma i anførselstegn)",
            "must have exactly da and en (quote texts that contain a comma)",
        )
    return Texts(text(value["da"]), text(value["en"]))


def choices(value: Any, allowed: tuple[str, ...], empty: bool = False) -> tuple[str, ...]:
    if empty and not value:
        return ()
    if not isinstance(value, list | tuple) or not value:
        raise Invalid("skal være en ikke-tom liste", "must be a non-empty list")
    for v in value:
        if v not in allowed:
            raise Invalid(
                f"{v!r} er ikke en af {', '.join(allowed)}",
                f"{v!r} is not one of {', '.join(allowed)}",
            )
    return tuple(value)


def codes(value: Any, pattern: re.Pattern) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not value:
        raise Invalid("skal være en ikke-tom kodeliste", "must be a non-empty list")
    for code in value:
        if not isinstance(code, str) or not pattern.match(code):
            raise Invalid(
                f"{code!r} er ikke et gyldigt kodepræfiks",
                f"{code!r} is not a valid code prefix",
            )
    return tuple(value)


# --- the same kinds as Pydantic field types, for method parameters ---------------------


def _kind(check):
    def validate(value: Any) -> Any:
        try:
            return check(value)
        except Invalid as exc:
            raise PydanticCustomError("tvaers", "{en}", {"da": exc.da, "en": exc.en}) from None

    return PlainValidator(validate)


Number = Annotated[int | float, _kind(number)]
Text = Annotated[str, _kind(text)]
TextPair = Annotated[Texts, _kind(texts)]


def one_of(allowed: tuple[str, ...], empty: bool = False) -> PlainValidator:
    """For `Annotated[tuple[str, ...], one_of(...)]`: a non-empty list of values from
    `allowed` (with `empty`, also none at all)."""
    return _kind(lambda v: choices(v, allowed, empty))


def prefixes(pattern: re.Pattern) -> PlainValidator:
    """For `Annotated[tuple[str, ...], prefixes(...)]`: a non-empty list of code prefixes
    matching `pattern`."""
    return _kind(lambda v: codes(v, pattern))


class Params(BaseModel):
    """Parameters read from a definition file: immutable, other keys of the file ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


_GENERIC = {
    "missing": ("feltet mangler", "the field is missing"),
    "model_type": ("skal være en mapping", "must be a mapping"),
    "model_attributes_type": ("skal være en mapping", "must be a mapping"),
    "dict_type": ("skal være en mapping", "must be a mapping"),
    "list_type": ("skal være en liste", "must be a list"),
    "tuple_type": ("skal være en liste", "must be a list"),
    "too_short": ("skal være en ikke-tom liste", "must be a non-empty list"),
}


def read(model: type[Params], data: dict[str, Any]) -> Any:
    """`data` as `model`; the first thing wrong as a FieldError naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ""
        for part in err["loc"]:
            where += f"[{part}]" if isinstance(part, int) else f".{part}" if where else part
        ctx = err.get("ctx") or {}
        if err["type"] == "tvaers":
            da, en = ctx["da"], ctx["en"]
        else:
            da, en = _GENERIC.get(err["type"], (f"ugyldig: {err['msg']}", err["msg"]))
        raise FieldError(where or "-", da, en) from None
