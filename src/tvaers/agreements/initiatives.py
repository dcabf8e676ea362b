"""An initiative's page and its edits: status, aim and go-live date; confirming the go-live
date as a part boundary of its series' charts (who and when are stored: improvement.md,
"never rebase automatically"); PDSA cycles; its own measurements uploaded as the CSV of
`tvaers spc chart` and charted with the same code.

The owner's secretariat edits an initiative, and so does the agreement's."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from tvaers.agreements import charts, service
from tvaers.agreements.models import Agreement, Initiative, Measurement, PdsaCycle
from tvaers.agreements.schemas import (
    BoundaryConfirm,
    InitiativeUpdate,
    MeasurementCreate,
    MeasurementRead,
    PdsaCreate,
    PdsaRead,
    PdsaUpdate,
)
from tvaers.i18n import language
from tvaers.i18n import tr as default_tr
from tvaers.spc import SpcInputError, compute
from tvaers.spc.csvinput import read_series
from tvaers.web import records
from tvaers.web.forms import FormInvalid
from tvaers.web.models import utcnow
from tvaers.web.scope import Principal, can_edit

Tr = Callable[[str, str], str]
MAX_CSV_BYTES = 1_000_000  # a team's weekly counts over years are a few kilobytes


def require_initiative(
    session: Session, agreement_id: str, key: str
) -> tuple[Agreement, Initiative]:
    a = service.require_agreement(session, agreement_id)
    return a, records.require(session, Initiative, (agreement_id, key))


def may_edit(session: Session, user: Principal, a: Agreement, i: Initiative) -> bool:
    owner = service.owner_unit(session, i.owner)
    return service.may_edit(session, user, a) or (owner is not None and can_edit(user, *owner))


def _editable(
    session: Session, user: Principal, agreement_id: str, key: str, tr: Tr
) -> tuple[Agreement, Initiative]:
    """The initiative and its agreement, if this user may edit it (else 404 or 403)."""
    a = service.require_agreement(session, agreement_id)
    i = records.require_editable(
        session,
        Initiative,
        (agreement_id, key),
        lambda i: may_edit(session, user, a, i),
        lambda i: tr(
            f"Du kan ikke redigere {i.name}: hverken ejeren eller aftalens parter er i dit omfang.",
            f"You cannot edit {i.name}: neither its owner nor the agreement's parties are in "
            "your scope.",
        ),
    )
    return a, i


def _check_period(starts, ends, values: dict, tr: Tr) -> None:  # type: ignore[no-untyped-def]
    if ends is not None and ends < starts:
        raise FormInvalid(
            {
                "ends": tr(
                    f"må ikke ligge før start ({starts})",
                    f"must not lie before the start ({starts})",
                )
            },
            values,
        )


def update_initiative(
    session: Session,
    user: Principal,
    agreement_id: str,
    key: str,
    data: InitiativeUpdate,
    values: dict,
    tr: Tr = default_tr,
) -> Initiative:
    i = _editable(session, user, agreement_id, key, tr)[1]
    records.check_version(i, data.version)
    changes: dict = {"status": data.status, "aim": data.aim, "go_live": data.go_live}
    if data.go_live != i.go_live:
        # The confirmed boundary was the old date: the new one is only offered again.
        changes |= {"boundary_confirmed_by": None, "boundary_confirmed_at": None}
    return records.update(session, i, changes, user, expected_version=data.version)


def confirm_boundary(
    session: Session,
    user: Principal,
    agreement_id: str,
    key: str,
    data: BoundaryConfirm,
    values: dict,
    tr: Tr = default_tr,
) -> Initiative:
    i = _editable(session, user, agreement_id, key, tr)[1]
    records.check_version(i, data.version)
    if i.go_live is None:
        raise FormInvalid(
            {
                "go_live": tr(
                    "initiativet har ingen go-live-dato", "the initiative has no go-live date"
                )
            },
            values,
        )
    changes = {"boundary_confirmed_by": user.username, "boundary_confirmed_at": utcnow()}
    return records.update(session, i, changes, user, expected_version=data.version)


def add_pdsa(
    session: Session,
    user: Principal,
    agreement_id: str,
    key: str,
    data: PdsaCreate,
    values: dict,
    tr: Tr = default_tr,
) -> PdsaCycle:
    a, i = _editable(session, user, agreement_id, key, tr)
    _check_period(data.starts, data.ends, values, tr)
    cycle = PdsaCycle(agreement_id=a.id, initiative_key=i.key, **data.model_dump())
    return records.create(session, cycle, user)


def update_pdsa(
    session: Session,
    user: Principal,
    agreement_id: str,
    key: str,
    cycle_id: int,
    data: PdsaUpdate,
    values: dict,
    tr: Tr = default_tr,
) -> PdsaCycle:
    a, i = _editable(session, user, agreement_id, key, tr)
    cycle = session.get(PdsaCycle, cycle_id)
    if cycle is None or (cycle.agreement_id, cycle.initiative_key) != (a.id, i.key):
        raise HTTPException(404)
    records.check_version(cycle, data.version)
    _check_period(data.starts, data.ends, values, tr)
    changes = data.model_dump(exclude={"version"})
    return records.update(session, cycle, changes, user, expected_version=data.version)


def _checked_csv(name: str, content: bytes, chart: str, values: dict, tr: Tr) -> str:
    """The uploaded file as text, checked exactly as `tvaers spc chart` checks it."""
    if not content:
        raise FormInvalid({"file": tr("vælg en CSV-fil", "choose a CSV file")}, values)
    if len(content) > MAX_CSV_BYTES:
        raise FormInvalid(
            {"file": tr("filen er over 1 MB", "the file is larger than 1 MB")}, values
        )
    safe = "".join(c for c in Path(name or "maalinger.csv").name if c.isalnum() or c in "._-")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (safe or "maalinger.csv")
        path.write_bytes(content)
        try:
            read_series(path, chart)
        except SpcInputError as exc:
            raise FormInvalid({"file": str(exc)}, values) from None
        return path.read_text(encoding="utf-8-sig")


def add_measurement(
    session: Session,
    user: Principal,
    agreement_id: str,
    key: str,
    data: MeasurementCreate,
    filename: str,
    content: bytes,
    values: dict,
    tr: Tr = default_tr,
) -> Measurement:
    a, i = _editable(session, user, agreement_id, key, tr)
    if data.pdsa is not None:
        cycle = session.get(PdsaCycle, data.pdsa)
        if cycle is None or (cycle.agreement_id, cycle.initiative_key) != (a.id, i.key):
            raise FormInvalid(
                {
                    "pdsa": tr(
                        "ukendt PDSA-cyklus for initiativet", "unknown PDSA cycle of the initiative"
                    )
                },
                values,
            )
    text = _checked_csv(filename, content, data.chart, values, tr)
    record = Measurement(
        agreement_id=a.id,
        initiative_key=i.key,
        pdsa_id=data.pdsa,
        title=data.title,
        chart=data.chart,
        csv=text,
    )
    return records.create(session, record, user)


def measurement_result(m: Measurement):  # type: ignore[no-untyped-def]
    """The chart of stored measurements (already checked when they were uploaded)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "maalinger.csv"
        path.write_text(m.csv, encoding="utf-8")
        series = read_series(path, m.chart)
    return compute(series.y, series.n, series.x, chart=m.chart, notes=series.notes)


def pdsa_cycles(session: Session, a: Agreement, i: Initiative) -> list[PdsaRead]:
    query = (
        select(PdsaCycle)
        .where(PdsaCycle.agreement_id == a.id, PdsaCycle.initiative_key == i.key)
        .order_by(PdsaCycle.starts, PdsaCycle.id)
    )
    return [
        PdsaRead(
            id=c.id,
            title=c.title,
            plan=c.plan,
            do=c.do,
            study=c.study,
            act=c.act,
            starts=c.starts,
            ends=c.ends,
            responsible=c.responsible,
            version=c.version,
        )
        for c in session.scalars(query)
    ]


def measurements(
    session: Session, a: Agreement, i: Initiative, lang: str
) -> list[tuple[MeasurementRead, object]]:
    """Each measurement's chart (read) and its result (for the page's picture)."""
    query = (
        select(Measurement)
        .where(Measurement.agreement_id == a.id, Measurement.initiative_key == i.key)
        .order_by(Measurement.id)
    )
    out = []
    for m in session.scalars(query):
        with language(lang):
            result = measurement_result(m)
        read = charts.chart_read(result, m.title, i.owner, "neutral", lang)
        out.append((MeasurementRead(id=m.id, title=m.title, pdsa=m.pdsa_id, chart=read), result))
    return out
