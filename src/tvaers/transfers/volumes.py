"""The volumes on a case page: `tvaers transfers estimate` for the case's service and
units (the same figures, with the same disclosure control), and the stated projection of
persons and service days to the decision year (projection.py).

The page shows only published (disclosure-controlled) figures to everyone, so no
unsuppressed number leaves the server here and nothing needs auditing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from tvaers.transfers import estimate, projection
from tvaers.transfers.models import Case
from tvaers.transfers.schemas import ProjectionRead, VolumeRead, VolumesRead
from tvaers.transfers.terms import SERVICE_LABELS
from tvaers.web.scope import InvalidScope, UnitRef, parse_scope

Tr = Callable[[str, str], str]
PROJECTED = ("persons", "service_days")


def _units(case: Case) -> list[UnitRef]:
    found = []
    for text in case.covered_units or [case.to_unit]:
        try:
            found.append(parse_scope(text))
        except InvalidScope:
            continue  # a unit the reference data no longer knows has no volumes
    return found


def _empty(case: Case, tr: Tr, message: str) -> VolumesRead:
    return VolumesRead(
        service=case.service,
        service_label=_service_label(case.service, tr),
        extracted=None,
        rows=[],
        projections=[],
        method=tr(*projection.METHOD),
        message=message,
    )


def _service_label(service: str | None, tr: Tr) -> str | None:
    if service is None:
        return None
    return tr(*SERVICE_LABELS[service]) if service in SERVICE_LABELS else service


@lru_cache(maxsize=32)
def _computed(path: str, mtime_ns: int, size: int, service: str) -> estimate.Volumes:
    """The estimate of one published warehouse file (a load publishes a new file, so its
    time and size change): a case page is read far more often than the warehouse changes,
    and one estimate takes about a second on a region's data."""
    return estimate.compute(Path(path), service)


def case_volumes(warehouse: Path, case: Case, tr: Tr) -> VolumesRead:
    if not case.service:
        return _empty(
            case,
            tr,
            tr("Sagen angiver ingen kommunal ydelse.", "The case names no municipal service."),
        )
    if not warehouse.is_file():  # said without the server's path
        return _empty(
            case,
            tr,
            tr(
                "Der er endnu intet lager at beregne volumener fra.",
                "There is no warehouse to compute volumes from yet.",
            ),
        )
    try:
        stat = warehouse.stat()
        volumes = _computed(str(warehouse), stat.st_mtime_ns, stat.st_size, case.service)
    except estimate.EstimateError as exc:
        return _empty(case, tr, str(exc))
    rows = volumes.select(_units(case))
    target = case.decision_year or max(volumes.years) + 1
    projections = []
    for unit in _units(case):
        mine = [r for r in rows if (r["level"], r["unit_code"]) == (unit.level, unit.code)]
        for measure in PROJECTED:
            found = projection.project([(r["year"], r[measure]) for r in mine], target)
            if found is not None:
                projections.append(
                    ProjectionRead(
                        unit=str(unit),
                        unit_name=mine[0]["unit_name"],
                        measure=measure,
                        year=found.year,
                        value=found.value,
                        low=found.low,
                        high=found.high,
                        slope=found.slope,
                        basis=list(found.basis),
                    )
                )
    return VolumesRead(
        service=case.service,
        service_label=_service_label(case.service, tr),
        extracted=volumes.extracted,
        rows=[VolumeRead(**r, unit=f"{r['level']}:{r['unit_code']}") for r in rows],
        projections=projections,
        method=tr(*projection.METHOD),
        message=None,
    )
