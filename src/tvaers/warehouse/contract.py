"""The data contract (v1.1) as data: one declaration drives validation, the docs page and
(later) the synthetic generator. Nothing about a table's shape is written anywhere else.

A column's *kind* says how its text is parsed and what it becomes in the warehouse; table
rules say how values relate to each other, to other tables and to the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tvaers.vocabulary import CONTACT_TYPES, PRIORITIES, SECTORS

CONTRACT_VERSION = "1.1"

# The person key: a delivery has either `cpr` or `person_id` in every person-level table.
PERSON = "person"
PERSON_KEY_COLUMNS = ("cpr", "person_id")

MUNICIPAL_SERVICES = (
    "home_care_personal",
    "home_care_practical",
    "home_nursing",
    "acute_nursing",
    "rehabilitation",
    "reablement",
    "temporary_bed",
    "nursing_home",
    "prevention",
    "smoking_cessation",
    "patient_education",
    "outreach_team",
)

_MESSAGE_EVENTS_BASE = (
    "admit-inpatient",
    "admit-emergency",
    "start-leave-inpatient",
    "end-leave-inpatient",
    "discharge-inpatient-home",
    "discharge-emergency-home",
    # MedCom's death message (MORS): marked in a bundle by Patient.deceased, not by an
    # activity code; the flat table names it (contract v1.1, transitions.md)
    "deceased",
)
# A revise-/cancel- event corrects or withdraws an earlier message (`replaces_message_id`).
REPLACING_PREFIXES = ("revise-", "cancel-")
MESSAGE_EVENTS = (
    *_MESSAGE_EVENTS_BASE,
    *(f"revise-{e}" for e in _MESSAGE_EVENTS_BASE),
    *(f"cancel-{e}" for e in _MESSAGE_EVENTS_BASE),
)

SKS_DIAGNOSIS = r"^D[A-Z][0-9]{2}[0-9A-Z]{0,4}$"
ATC_CODE = r"^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$"


@dataclass(frozen=True)
class Column:
    """One column. `kind` is one of: person, text, date, datetime, datetime_or_date,
    code3, decimal, enum, pattern."""

    name: str
    kind: str
    required: bool = False
    values: tuple[str, ...] = ()
    pattern: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    # Dates and date-times lie in these years (contract v1.1) unless a rule says otherwise.
    years: tuple[int, int] = (1900, 2100)
    da: str = ""
    en: str = ""

    @property
    def warehouse_type(self) -> str:
        return {
            "person": "BIGINT",  # the warehouse's person number (schema.PERSON_NO)
            "date": "DATE",
            "datetime": "TIMESTAMPTZ",
            "datetime_or_date": "TIMESTAMPTZ",
            "decimal": "DOUBLE",
        }.get(self.kind, "VARCHAR")

    @property
    def is_temporal(self) -> bool:
        return self.kind in ("date", "datetime", "datetime_or_date")


# --- table rules: each names the columns it reads; validate.py turns them into SQL ---


@dataclass(frozen=True)
class NotBefore:
    """`column` must not lie before `other` (strictly after when `strict`)."""

    column: str
    other: str
    strict: bool = False


@dataclass(frozen=True)
class Within:
    """`column` must lie within [low, high] (inclusive; open end when high is null)."""

    column: str
    low: str
    high: str


@dataclass(frozen=True)
class References:
    """`column` must name a row of `table`.`target` (in this delivery or the warehouse)."""

    column: str
    table: str
    target: str


@dataclass(frozen=True)
class WithinLifetime:
    """`column` not before the person's birth and not after death + 1 day."""

    column: str


@dataclass(frozen=True)
class NoOverlap:
    """Periods [start, end) of one person must not overlap (null end = open)."""

    start: str
    end: str


@dataclass(frozen=True)
class Replaces:
    """`column` (when given, on a row whose `event` is a revise-/cancel- form) names an
    earlier message of the same person and `episode` (in this delivery or the warehouse)
    whose `sent_at` does not lie after this row's."""

    column: str
    event: str
    episode: str
    sent_at: str


@dataclass(frozen=True)
class CprBirthDate:
    """birth_date equals the date coded in the CPR number (cpr deliveries only)."""

    column: str = "birth_date"


Rule = NotBefore | Within | References | WithinLifetime | NoOverlap | CprBirthDate | Replaces


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    # Natural key: unique within a file; a later delivery with the same key replaces the row.
    key: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    person_level: bool = True
    da: str = ""
    en: str = ""
    # A row whose key is already in the warehouse replaces it. Columns in `updatable` may
    # change; columns in `fill_only` may go from empty to a value (a death date is added,
    # never changed); every other column must be identical, or the row is a conflict.
    updatable: tuple[str, ...] = field(default=())
    fill_only: tuple[str, ...] = field(default=())
    # The column whose range `tvaers db info` reports as the period a table covers.
    period: str | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _person() -> Column:
    return Column(
        PERSON,
        "person",
        required=True,
        da="`cpr` (DDMMÅÅSSSS eller DDMMÅÅ-SSSS) eller `person_id` (1–64 tegn)",
        en="`cpr` (DDMMYYSSSS or DDMMYY-SSSS) or `person_id` (1–64 characters)",
    )


def _code3(name: str, da: str, en: str) -> Column:
    return Column(name, "code3", required=True, da=da, en=en)


def _service(required: bool = True) -> Column:
    return Column(
        "service",
        "enum",
        required=required,
        values=MUNICIPAL_SERVICES,
        da="kommunal ydelse",
        en="municipal service",
    )


TABLES: tuple[Table, ...] = (
    Table(
        "persons",
        (
            _person(),
            # The CPR century rule codes births from 1858 (7th digit 5–8, YY > 57).
            Column(
                "birth_date",
                "date",
                required=True,
                years=(1858, 2100),
                da="fødselsdato",
                en="birth date",
            ),
            Column("sex", "enum", required=True, values=("F", "M"), da="køn", en="sex"),
            Column("death_date", "date", years=(1858, 2100), da="dødsdato", en="date of death"),
        ),
        key=(PERSON,),
        rules=(
            NotBefore("death_date", "birth_date"),
            CprBirthDate(),
        ),
        da="Personer. Kræves i en levering, når lageret endnu ikke har personer.",
        en="Persons. Required in a delivery when the warehouse has no persons yet.",
        fill_only=("death_date",),
    ),
    Table(
        "residence",
        (
            _person(),
            _code3("municipality_code", "bopælskommune", "municipality of residence"),
            Column("valid_from", "date", required=True, da="fra (inklusive)", en="from"),
            Column(
                "valid_to",
                "date",
                da="til (eksklusiv); tom = bor der stadig",
                en="to (exclusive); empty = still living there",
            ),
        ),
        key=(PERSON, "valid_from"),
        rules=(
            References(PERSON, "persons", PERSON),
            NotBefore("valid_to", "valid_from", strict=True),
            NoOverlap("valid_from", "valid_to"),
        ),
        da="Bopælsperioder. En persons perioder må ikke overlappe.",
        en="Residence periods. A person's periods must not overlap.",
        updatable=("municipality_code", "valid_to"),
        period="valid_from",
    ),
    Table(
        "hospital_contacts",
        (
            Column("contact_id", "text", required=True, da="kontakt-id", en="contact id"),
            _person(),
            Column(
                "hospital_code", "text", required=True, da="SOR- eller SHAK-kode", en="SOR/SHAK"
            ),
            Column("start", "datetime", required=True, da="starttidspunkt", en="start time"),
            Column("end", "datetime", da="sluttidspunkt; tom = i gang", en="end; empty = ongoing"),
            Column(
                "contact_type",
                "enum",
                required=True,
                values=CONTACT_TYPES,
                da="fysisk fremmøde / virtuel / udekontakt",
                en="physical / virtual / home",
            ),
            Column(
                "priority",
                "enum",
                required=True,
                values=PRIORITIES,
                da="akut/planlagt",
                en="acute/planned",
            ),
            Column(
                "sector",
                "enum",
                required=True,
                values=SECTORS,
                da="somatik/psykiatri",
                en="somatic/psychiatric",
            ),
            Column(
                "diagnosis",
                "pattern",
                required=True,
                pattern=SKS_DIAGNOSIS,
                da="aktionsdiagnose (SKS)",
                en="action diagnosis (SKS)",
            ),
            Column(
                "ready_for_discharge",
                "datetime",
                da="færdigbehandlet tidspunkt",
                en="ready for discharge",
            ),
            Column(
                "discharged_to",
                "enum",
                values=(
                    "home",
                    "nursing_home",
                    "temporary_bed",
                    "hospice",
                    "other_hospital",
                    "died",
                    "other",
                ),
                da="udskrevet til",
                en="discharged to",
            ),
        ),
        key=("contact_id",),
        rules=(
            References(PERSON, "persons", PERSON),
            NotBefore("end", "start"),
            Within("ready_for_discharge", "start", "end"),
            WithinLifetime("start"),
        ),
        da="Sygehuskontakter (LPR3-lignende).",
        en="Hospital contacts (LPR3-style).",
        updatable=(
            "hospital_code",
            "start",
            "end",
            "contact_type",
            "priority",
            "sector",
            "diagnosis",
            "ready_for_discharge",
            "discharged_to",
        ),
        period="start",
    ),
    Table(
        "hospital_diagnoses",
        (
            Column("contact_id", "text", required=True, da="kontakt-id", en="contact id"),
            Column(
                "code",
                "pattern",
                required=True,
                pattern=SKS_DIAGNOSIS,
                da="SKS-diagnose",
                en="SKS diagnosis",
            ),
            Column(
                "kind",
                "enum",
                required=True,
                values=("A", "B"),
                da="A/B-diagnose",
                en="A/B diagnosis",
            ),
        ),
        key=("contact_id", "code", "kind"),
        rules=(References("contact_id", "hospital_contacts", "contact_id"),),
        person_level=False,
        da="Diagnoser på kontakter (valgfri). Kontaktens egen diagnose er dens A-diagnose.",
        en="Diagnoses of contacts (optional). The contact's own diagnosis is its A diagnosis.",
    ),
    Table(
        "municipal_services",
        (
            _person(),
            _code3("municipality_code", "leverende kommune", "providing municipality"),
            _service(),
            Column("start", "date", required=True, da="startdato", en="start date"),
            Column(
                "end",
                "date",
                da="sidste dag (inklusive); tom = i gang",
                en="last day (inclusive); empty = ongoing",
            ),
            Column(
                "hours_per_week",
                "decimal",
                min_value=0,
                max_value=168,  # a week has 168 hours
                da="timer pr. uge",
                en="hours/week",
            ),
        ),
        key=(PERSON, "municipality_code", "service", "start"),
        rules=(References(PERSON, "persons", PERSON), NotBefore("end", "start")),
        da="Perioder med en bevilget kommunal ydelse.",
        en="Periods of a granted municipal service.",
        updatable=("end", "hours_per_week"),
        period="start",
    ),
    Table(
        "municipal_visits",
        (
            _person(),
            _code3("municipality_code", "kommune", "municipality"),
            _service(),
            Column("at", "datetime", required=True, da="tidspunkt", en="time"),
            Column(
                "kind",
                "enum",
                required=True,
                values=("visit", "phone", "video"),
                da="besøg/telefon/video",
                en="visit/phone/video",
            ),
        ),
        key=(PERSON, "municipality_code", "service", "at", "kind"),
        rules=(References(PERSON, "persons", PERSON),),
        da="Enkeltbesøg (valgfri).",
        en="Single visits (optional).",
        period="at",
    ),
    Table(
        "gp_contacts",
        (
            _person(),
            Column("clinic_id", "text", required=True, da="ydernummer", en="GP practice number"),
            Column(
                "at",
                "datetime_or_date",
                required=True,
                da="tidspunkt eller dato",
                en="time or date",
            ),
            Column(
                "kind",
                "enum",
                required=True,
                values=(
                    "consultation",
                    "phone",
                    "email",
                    "video",
                    "home_visit",
                    "chronic_care_review",
                ),
                da="kontaktform",
                en="kind of contact",
            ),
        ),
        key=(PERSON, "clinic_id", "at", "kind"),
        rules=(References(PERSON, "persons", PERSON),),
        da="Kontakter i almen praksis (valgfri).",
        en="General practice contacts (optional).",
        period="at",
    ),
    Table(
        "prescriptions",
        (
            _person(),
            Column(
                "dispensed_on", "date", required=True, da="udleveringsdato", en="dispensing date"
            ),
            Column("atc", "pattern", required=True, pattern=ATC_CODE, da="ATC-kode", en="ATC code"),
        ),
        key=(PERSON, "dispensed_on", "atc"),
        rules=(References(PERSON, "persons", PERSON),),
        da="Receptindløsninger (valgfri).",
        en="Prescription dispensings (optional).",
        period="dispensed_on",
    ),
    Table(
        "referrals",
        (
            Column("referral_id", "text", required=True, da="henvisnings-id", en="referral id"),
            _person(),
            Column(
                "from_sector",
                "enum",
                required=True,
                values=("hospital", "gp", "municipality"),
                da="henvisende sektor",
                en="referring sector",
            ),
            _service(),
            _code3("municipality_code", "kommune", "municipality"),
            Column("referred_on", "date", required=True, da="henvist dato", en="referral date"),
            Column("started_on", "date", da="startdato", en="started on"),
        ),
        key=("referral_id",),
        rules=(References(PERSON, "persons", PERSON), NotBefore("started_on", "referred_on")),
        da="Henvisninger til kommunale tilbud (valgfri).",
        en="Referrals to municipal offers (optional).",
        updatable=("started_on",),
        period="referred_on",
    ),
    Table(
        "messages",
        (
            Column("message_id", "text", required=True, da="meddelelses-id", en="message id"),
            _person(),
            Column(
                "type",
                "enum",
                required=True,
                values=(
                    "hospital_notification",
                    "care_communication",
                    "discharge_letter",
                    "care_plan",
                    "referral",
                ),
                da="meddelelsestype",
                en="message type",
            ),
            Column(
                "event",
                "enum",
                values=MESSAGE_EVENTS,
                da="MedCom-aktivitetskode for advis",
                en="MedCom activity code",
            ),
            Column("sent_at", "datetime", required=True, da="afsendt", en="sent at"),
            Column("sender", "text", required=True, da="afsender (SOR)", en="sender (SOR)"),
            Column(
                "receiver",
                "text",
                required=True,
                da="modtager (SOR eller kommunekode)",
                en="receiver (SOR or municipality code)",
            ),
            Column("episode_id", "text", da="forløbs-id", en="encounter id"),
            Column(
                "event_at",
                "datetime",
                da="tidspunkt for den hændelse, advisen melder (v1.1); tom = afsendt",
                en="time of the event the notification reports (v1.1); empty = sent_at",
            ),
            Column(
                "replaces_message_id",
                "text",
                da="for revise-/cancel-: meddelelsen, der rettes eller annulleres (v1.1)",
                en="for revise-/cancel-: the message corrected or cancelled (v1.1)",
            ),
        ),
        key=("message_id",),
        rules=(
            References(PERSON, "persons", PERSON),
            Replaces("replaces_message_id", "event", "episode_id", "sent_at"),
        ),
        da="MedCom-meddelelseslog (valgfri).",
        en="MedCom message log (optional).",
        period="sent_at",
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    return TABLES_BY_NAME[name]


def load_order() -> tuple[Table, ...]:
    """Tables ordered so that a table comes after every table it references."""
    done: list[Table] = []
    pending = list(TABLES)
    while pending:
        for t in pending:
            deps = {r.table for r in t.rules if isinstance(r, References)} - {t.name}
            if deps <= {d.name for d in done}:
                done.append(t)
                pending.remove(t)
                break
        else:  # pragma: no cover - a cycle is a contract bug, caught by tests
            raise RuntimeError("the contract's references form a cycle")
    return tuple(done)
