"""What every registry page's forms share, written once: the posted values, the refused
form shown again with the user's input (422 naming the field, 409 on a stale save) and the
redirect after a save.

A domain's page module keeps only what is its own: which page to show again and with what
data. JSON clients get the exception itself, which the app's handlers answer with the
documented body (forms.FormInvalid: 422, records.StaleEdit: 409).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tvaers.web.forms import FormInvalid
from tvaers.web.records import StaleEdit
from tvaers.web.templating import render, wants_json
from tvaers.web.texts import request_tr

# A page shows no posted form unless a save was refused (see refused_form).
NO_FORM: dict[str, Any] = {"form": None, "values": {}, "errors": {}, "stale": None, "saved": False}


async def form_values(request: Request, lists: Collection[str] = ()) -> dict[str, Any]:
    """The posted text fields (not the CSRF token, not files); a field named in ``lists``
    (one input per item, in order) as a list of its values."""
    form = await request.form()
    values: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key == "csrf_token" or not isinstance(value, str):
            continue
        if key in lists:
            values.setdefault(key, []).append(value)
        else:
            values[key] = value
    return values


def refused_form(
    request: Request, db: Session, exc: FormInvalid | StaleEdit, form: str, values: dict
) -> tuple[int, dict[str, Any]]:
    """The status and the template context of a form the save refused: the input as the
    user typed it and the message beside the field (422), or the stale-save notice (409).
    Nothing of the refused save stays in the session. A JSON client gets ``exc`` raised."""
    if wants_json(request):
        raise exc
    db.rollback()
    if isinstance(exc, StaleEdit):
        message = exc.message(request_tr(request))
        status, errors, stale = 409, {"version": message}, message
    else:
        status, errors, stale = 422, exc.errors, None
    context = {"form": form, "values": values, "errors": errors, "stale": stale, "saved": False}
    return status, context


def show_again(
    request: Request, template: str, data: Any, context: dict[str, Any], status: int
) -> Response:
    """A page rendered with a refused form (no JSON twin link: the URL was a POST)."""
    return render(request, template, {"data": data, "json_url": None, **context}, status)


def saved(href: str) -> Response:
    """After a save: back to the page (303, so a reload does not post again), which says
    the save went through."""
    joiner = "&" if "?" in href else "?"
    return RedirectResponse(f"{href}{joiner}saved=1", status_code=303)
