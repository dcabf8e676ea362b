"""What the OpenAPI description says each operation answers besides 200: the error statuses
a route declares (``responses=errors(401, 404)``), with the bodies they really have.

Every error is the JSON ``ErrorRead`` ({"status", "detail"}) or, for 422,
``ValidationErrorRead`` ({"status", "detail": [{"loc", "msg", "type"}]}); a page's errors
are an HTML page instead unless the client asks for JSON only (see errors.py), so on the
pages both media types are documented, on the JSON twins JSON alone. The contents are filled
in here, once, when the description is built (``install``), so a route names only its
statuses; a route that states its own content (the login form's HTML-only 401) keeps it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic.json_schema import models_json_schema

from tvaers.web.schemas import ErrorRead, ValidationErrorRead

DESCRIPTIONS: dict[int, str] = {
    303: "Videre til en anden side (Location); fra en side, der kræver login: til /login",
    401: "Ikke logget ind (JSON), eller forkert brugernavn eller adgangskode (login)",
    403: "Rollen giver ikke adgang, eller CSRF-token mangler eller er forkert",
    404: "Findes ikke: ukendt indikator, enhed eller periode, eller endnu ingen resultater",
    409: "Posten er ændret af en anden, siden den blev læst; intet er gemt (gem igen)",
    422: "Ugyldige værdier: hvert felt med fejl, hvor (loc), hvad (msg) og reglen (type)",
    429: "For mange mislykkede login-forsøg; prøv igen efter Retry-After sekunder",
    503: "Adgangen kunne ikke skrives i revisionsloggen, så tallene vises ikke",
}
HTML = {"text/html": {"schema": {"type": "string"}}}
_VALIDATION_REFS = ("#/components/schemas/HTTPValidationError",)


def errors(*statuses: int, content: dict[str, Any] | None = None) -> dict[int | str, Any]:
    """``responses=`` for a route that answers these statuses (content filled in later,
    unless given)."""
    out: dict[int | str, Any] = {}
    for status in statuses:
        entry: dict[str, Any] = {"description": DESCRIPTIONS[status]}
        if status == 303:
            entry["headers"] = {"Location": {"schema": {"type": "string"}}}
        elif content is not None:
            entry["content"] = content
        out[status] = entry
    return out


def _json(model: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}}


def _is_json_only(path: str) -> bool:
    # As templating.wants_json: a .json path always answers JSON, errors included.
    return path.endswith(".json")


def _complete(path: str, responses: dict[str, Any]) -> None:
    for code, response in responses.items():
        status = int(code) if code.isdigit() else 0
        if status < 400:
            continue
        content = response.get("content")
        schema_ref = ((content or {}).get("application/json") or {}).get("schema", {}).get("$ref")
        if content and schema_ref not in _VALIDATION_REFS:
            continue  # stated by the route itself
        model = "ValidationErrorRead" if status == 422 else "ErrorRead"
        response["content"] = _json(model) | ({} if _is_json_only(path) else HTML)
        response["description"] = DESCRIPTIONS.get(status, response.get("description", ""))


def describe(openapi: dict[str, Any]) -> dict[str, Any]:
    """Fill in the error bodies of every operation and publish their schemas."""
    for path, operations in openapi.get("paths", {}).items():
        for operation in operations.values():
            _complete(path, operation.get("responses", {}))
    _, schemas = models_json_schema(
        [(ErrorRead, "validation"), (ValidationErrorRead, "validation")],
        ref_template="#/components/schemas/{model}",
    )
    components = openapi.setdefault("components", {}).setdefault("schemas", {})
    components.update(schemas.get("$defs", {}))
    # FastAPI's own 422 shape is no longer referenced: our handler never answered with it.
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return openapi


def install(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
