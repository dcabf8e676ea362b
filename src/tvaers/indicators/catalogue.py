"""The indicator catalogue: every v1 indicator as a versioned definition file (YAML).

The files in `catalogue/` are the single source of the definitions: the engine reads its
code lists, age limits, periods and standardisation from them, `tvaers indicators list` and
docs/indicators.md render them. A domain expert corrects a code list in a file, bumps its
`version`, recomputes — and the results change and record the new version.

This module reads the fields every definition has; each file also names its `method`
(methods/), whose class reads and checks the method's own parameters from the same file.

`TVAERS_CATALOGUE_DIR` points the engine at another directory of definition files (to try a
corrected code list before it is shipped).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from tvaers.config import Settings
from tvaers.i18n import tr
from tvaers.indicators import fields
from tvaers.indicators.definitions import (
    ATC_PREFIX,
    CONTACT_TYPES,
    DIAGNOSIS_PREFIX,
    DIRECTIONS,
    GP_CONTACT_KINDS,
    PERIOD_TYPES,
    VISIT_KINDS,
    Blocks,
    Disease,
    FollowupRules,
    Prescriptions,
    Stratum,
    Texts,
)
from tvaers.indicators.methods import METHODS, Method

BLOCKS_FILE = "building_blocks.yaml"


class CatalogueError(Exception):
    """A definition file is not valid (message names the file and the field)."""


@dataclass(frozen=True)
class Indicator:
    id: str
    version: str
    name: Texts
    description: Texts
    numerator: Texts
    denominator: Texts
    unit: Texts
    factor: int
    direction: str
    periods: tuple[str, ...]
    method: Method  # its parameters, strata and SQL (methods/)
    standardised: bool
    std_age_min: int
    source: str
    strata: tuple[Stratum, ...]
    digest: str = ""
    # Also every complete month after the last whole year up to the extraction date
    # (message-based indicators, transitions.md "Time rules").
    months_to_extraction: bool = False

    @property
    def interval(self) -> str | None:
        """Which confidence interval the catalogue prescribes: Wilson for percentages, exact
        Poisson for rates and day counts, none for a plain count."""
        if self.factor == 100:
            return "wilson"
        return "poisson" if self.factor > 1 else None

    @property
    def has_denominator(self) -> bool:
        return self.method.has_denominator

    @property
    def is_percentage(self) -> bool:
        return self.factor == 100


@dataclass(frozen=True)
class Catalogue:
    directory: Path
    blocks: Blocks
    indicators: tuple[Indicator, ...]

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    @property
    def versions(self) -> dict[str, str]:
        """id -> "version (content digest)", recorded with every result set."""
        out = {"building_blocks": f"{self.blocks.version} ({self.blocks.digest})"}
        out.update({i.id: f"{i.version} ({i.digest})" for i in self.indicators})
        return out


def default_directory() -> Path:
    configured = Settings.from_env().catalogue_dir
    return configured or Path(str(files("tvaers") / "indicators" / "catalogue"))


def load(directory: Path | None = None) -> Catalogue:
    directory = directory or default_directory()
    if not (directory / BLOCKS_FILE).is_file():
        raise CatalogueError(
            tr(
                f"Kataloget {directory} mangler {BLOCKS_FILE}.",
                f"The catalogue {directory} lacks {BLOCKS_FILE}.",
            )
        )
    blocks = _blocks(_Doc.read(directory / BLOCKS_FILE))
    indicators = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name != BLOCKS_FILE:
            indicators.append(_indicator(_Doc.read(path), blocks))
    ids = [i.id for i in indicators]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        raise CatalogueError(tr(f"Indikatoren {dup} er defineret to gange.", f"{dup} twice."))
    return Catalogue(directory, blocks, tuple(indicators))


class _Doc:
    """One definition file with typed access that names file and field on every error."""

    def __init__(self, path: Path, data: dict[str, Any], digest: str):
        self.path, self.data, self.digest = path, data, digest

    @classmethod
    def read(cls, path: Path) -> _Doc:
        raw = path.read_bytes()
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise CatalogueError(
                tr(f"{path.name}: ikke gyldig YAML: {exc}", f"{path.name}: not valid YAML: {exc}")
            ) from None
        if not isinstance(data, dict):
            raise CatalogueError(
                tr(f"{path.name}: forventede en mapping", f"{path.name}: expected a mapping")
            )
        return cls(path, data, hashlib.sha256(raw).hexdigest()[:12])

    def fail(self, where: str, da: str, en: str) -> CatalogueError:
        return CatalogueError(f"{self.path.name}, {where}: {tr(da, en)}")

    def get(self, where: str, default: Any = ..., data: dict | None = None) -> Any:
        node: Any = self.data if data is None else data
        for part in where.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is not ...:
                    return default
                raise self.fail(where, "feltet mangler", "the field is missing")
            node = node[part]
        return node

    def checked(self, where: str, check, *args: Any, data: dict | None = None) -> Any:
        """The field `where` checked by one of the kinds in fields.py."""
        try:
            return check(self.get(where, data=data), *args)
        except fields.Invalid as exc:
            raise self.fail(where, exc.da, exc.en) from None

    def text(self, where: str, data: dict | None = None) -> str:
        return self.checked(where, fields.text, data=data)

    def texts(self, where: str, data: dict | None = None) -> Texts:
        return self.checked(where, fields.texts, data=data)

    def number(self, where: str, default: Any = ..., data: dict | None = None) -> Any:
        if default is not ... and self.get(where, default, data) is default:
            return default
        return self.checked(where, fields.number, data=data)

    def choices(self, where: str, allowed: tuple[str, ...], data: dict | None = None) -> tuple:
        return self.checked(where, fields.choices, allowed, data=data)

    def codes(self, where: str, pattern: re.Pattern, data: dict | None = None) -> tuple:
        return self.checked(where, fields.codes, pattern, data=data)


def _blocks(doc: _Doc) -> Blocks:
    diseases = []
    raw = doc.get("chronic_diseases")
    if not isinstance(raw, list) or not raw:
        raise doc.fail("chronic_diseases", "skal være en liste", "must be a list")
    for n, item in enumerate(raw):
        where = f"chronic_diseases[{n}]"
        rx = item.get("prescriptions") if isinstance(item, dict) else None
        prescriptions = None
        if rx is not None:
            p = f"{where}.prescriptions"
            prescriptions = Prescriptions(
                atc=doc.codes("atc", ATC_PREFIX, rx),
                min_dispensings=int(doc.number("min_dispensings", data=rx)),
                lookback_years=int(doc.number("lookback_years", data=rx)),
                within_days=doc.number("within_days", None, rx),
                min_age_at_last=doc.number("min_age_at_last", None, rx),
            )
            if prescriptions.min_dispensings not in (1, 2):
                raise doc.fail(f"{p}.min_dispensings", "skal være 1 eller 2", "must be 1 or 2")
            if prescriptions.min_dispensings == 2 and prescriptions.within_days is None:
                raise doc.fail(f"{p}.within_days", "mangler", "is missing")
        diseases.append(
            Disease(
                id=doc.text("id", item),
                name=doc.texts("name", item),
                diagnoses=doc.codes("diagnoses", DIAGNOSIS_PREFIX, item),
                prescriptions=prescriptions,
                excluded_by=tuple(item.get("excluded_by") or ()),
            )
        )
    known = {d.id for d in diseases}
    for d in diseases:
        for other in d.excluded_by:
            if other not in known:
                raise doc.fail(f"{d.id}.excluded_by", f"ukendt {other!r}", f"unknown {other!r}")
    return Blocks(
        version=str(doc.get("version")),
        source=doc.text("source"),
        stay_contact_types=doc.choices("stay.contact_types", CONTACT_TYPES),
        link_gap_hours=doc.number("stay.link_gap_hours"),
        admission_min_hours=doc.number("admission.min_hours"),
        diseases=tuple(diseases),
        digest=doc.digest,
        followup=FollowupRules(
            visit_kinds=doc.choices("followup_contact.visit_kinds", VISIT_KINDS),
            gp_excluded_kinds=doc.choices("followup_contact.gp_excluded_kinds", GP_CONTACT_KINDS),
        ),
    )


def _method(doc: _Doc, blocks: Blocks) -> tuple[Method, tuple[Stratum, ...]]:
    """The method the file names, with its parameters read from the file, and its strata."""
    name = doc.text("method")
    if name not in METHODS:
        raise doc.fail("method", f"ukendt metode {name!r}", f"unknown method {name!r}")
    try:
        method = fields.read(METHODS[name], doc.data)
        return method, method.strata(blocks)
    except fields.FieldError as exc:
        raise doc.fail(exc.where, exc.da, exc.en) from None


def _indicator(doc: _Doc, blocks: Blocks) -> Indicator:
    ind_id = doc.text("id")
    if f"{ind_id}.yaml" != doc.path.name:
        raise doc.fail("id", "skal svare til filnavnet", "must match the file name")
    direction = doc.text("direction")
    if direction not in DIRECTIONS:
        raise doc.fail("direction", f"en af {DIRECTIONS}", f"one of {DIRECTIONS}")
    factor = doc.number("factor")
    if factor not in (1, 100, 1000):
        raise doc.fail("factor", "skal være 1, 100 eller 1000", "must be 1, 100 or 1000")
    periods = doc.choices("periods", PERIOD_TYPES)
    if "year" not in periods:
        raise doc.fail("periods", "skal omfatte year", "must include year")
    method, strata = _method(doc, blocks)
    if _flag(doc, "months_to_extraction") and "month" not in periods:
        raise doc.fail("months_to_extraction", "kræver month i periods", "needs month in periods")
    std = doc.get("standardisation", None)
    direct = std is None or (
        doc.get("standardisation.method") == "direct"
        and doc.get("standardisation.by") == ["sex", "age5"]
    )
    if not direct:
        raise doc.fail(
            "standardisation",
            "kun direkte standardisering på køn og 5-årsaldersgrupper (sex, age5)",
            "only direct standardisation by sex and 5-year age band (sex, age5)",
        )
    return Indicator(
        id=ind_id,
        version=str(doc.get("version")),
        name=doc.texts("name"),
        description=doc.texts("description"),
        numerator=doc.texts("numerator"),
        denominator=doc.texts("denominator"),
        unit=doc.texts("unit"),
        factor=int(factor),
        direction=direction,
        periods=periods,
        method=method,
        standardised=std is not None,
        std_age_min=int(doc.number("standardisation.age_min")) if std is not None else 0,
        source=doc.text("source"),
        strata=strata,
        digest=doc.digest,
        months_to_extraction=_flag(doc, "months_to_extraction"),
    )


def _flag(doc: _Doc, where: str) -> bool:
    value = doc.get(where, False)
    if not isinstance(value, bool):
        raise doc.fail(where, "skal være true eller false", "must be true or false")
    return value
