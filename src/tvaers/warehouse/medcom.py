"""MedCom HospitalNotification bundles (FHIR R4 JSON) → `messages` rows (transitions.md,
"Input 2").

Why a small extractor of our own over `orjson` rather than a FHIR library: MedCom's
profiles are FHIR R4, and `fhir.resources` — the well-kept Python FHIR model library —
parses R4 only through its R4B models, which are not the same version; a full model parse
also validates and builds thousands of objects per bundle, where we need ten values from a
message whose shape MedCom fixes. Reading those values from the parsed JSON is strict where
it matters (every element the mapping needs is looked up exactly and its absence is an
error naming the element) and fast: `orjson` parses a bundle in microseconds
(benchmarks/medcom_benchmark.py, docs/performance.md). The values are handed on as text and
then checked by the data contract like any delivered cell (dates, times, CPR, SOR ids).
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from tvaers.warehouse.contract import MESSAGE_EVENTS

CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
SOR_SYSTEM = "urn:oid:1.2.208.176.1.1"
LPR_SYSTEM = "https://www.esundhed.dk/Registre/Landspatientregisteret"
# MedCom's own examples write the LPR system URI in more than one way (scheme and case);
# any spelling that differs from LPR_SYSTEM only in those is taken as it.
_LPR_KEY = "esundhed.dk/registre/landspatientregisteret"
_LEAVE_EXTENSIONS = ("leave-period-extension", "statusperiod-extension")
# The activity codes of MedCom's HospitalNotification (MedComMessagingActivityCodes): every
# event of the contract except the death events, which MedCom marks by Patient.deceased.
ACTIVITY_CODES = frozenset(e for e in MESSAGE_EVENTS if not e.endswith("deceased"))
COLUMNS = (
    "message_id",
    "cpr",
    "type",
    "event",
    "sent_at",
    "sender",
    "receiver",
    "episode_id",
    "event_at",
    "replaces_message_id",
)


@dataclass(frozen=True)
class BundleProblem(Exception):
    """Why a bundle gives no row: a rule id (tvaers.warehouse.rules) and the element."""

    rule: str
    element: str


def _fail(rule: str, element: str) -> BundleProblem:
    return BundleProblem(rule, element)


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _text(value) -> str | None:
    return value if isinstance(value, str) and value != "" else None


class _Bundle:
    """The bundle's resources, found by reference (`Type/id`) or by fullUrl."""

    def __init__(self, bundle: dict):
        self.by_ref: dict[str, dict] = {}
        self.by_type: dict[str, list[dict]] = {}
        for entry in _list(bundle.get("entry")):
            resource = _dict(_dict(entry).get("resource"))
            kind = resource.get("resourceType")
            if not isinstance(kind, str):
                continue
            self.by_type.setdefault(kind, []).append(resource)
            if isinstance(resource.get("id"), str):
                self.by_ref[f"{kind}/{resource['id']}"] = resource
            if isinstance(entry.get("fullUrl"), str):
                self.by_ref[entry["fullUrl"]] = resource

    def resolve(self, reference) -> dict:
        ref = _text(_dict(reference).get("reference"))
        return self.by_ref.get(ref, {}) if ref else {}

    def one(self, kind: str, rule: str) -> dict:
        found = self.by_type.get(kind, [])
        if len(found) != 1:
            raise _fail(rule, f"Bundle.entry.resource ({kind})")
        return found[0]


def _identifier(resource: dict, system: str) -> str | None:
    for ident in _list(resource.get("identifier")):
        ident = _dict(ident)
        if ident.get("system") == system and _text(ident.get("value")):
            return ident["value"]
    return None


def _points_at(reference, header: dict, bundle: _Bundle) -> bool:
    return bundle.resolve(reference) is header


def _current_provenance(bundle: _Bundle, header: dict) -> dict:
    """The Provenance whose target is this bundle's MessageHeader (MedCom bundles also
    carry the Provenances of earlier messages in the same stay)."""
    for prov in bundle.by_type.get("Provenance", []):
        if any(_points_at(t, header, bundle) for t in _list(prov.get("target"))):
            return prov
    raise _fail("bundle_no_current_provenance", "Provenance.target")


def _activity(prov: dict) -> str:
    codes = [_dict(c).get("code") for c in _list(_dict(prov.get("activity")).get("coding"))]
    for code in codes:
        if code in ACTIVITY_CODES:
            return code
    raise _fail("bundle_unknown_activity", "Provenance.activity.coding.code")


def _linked(prov: dict, role: str) -> str | None:
    """The MessageHeader id an entity of `role` (revision/removal) points at."""
    for entity in _list(prov.get("entity")):
        entity = _dict(entity)
        if entity.get("role") != role:
            continue
        ref = _text(_dict(entity.get("what")).get("reference")) or ""
        # "MessageHeader/<id>", a full URL ending so, or a bare id
        return ref.rsplit("/", 1)[-1] or None
    return None


def _event(activity: str, patient: dict, prov: dict) -> tuple[str, str | None]:
    """(event, replaces_message_id). MedCom's death message keeps the current activity code
    and sets Patient.deceasedBoolean; the flat table names it `deceased`."""
    deceased = patient.get("deceasedBoolean")
    if deceased is True:
        if activity.startswith("revise-"):
            return "revise-deceased", _linked(prov, "revision")
        return "deceased", None
    removal = _linked(prov, "removal")
    if deceased is False and removal is not None:
        return "cancel-deceased", removal
    if activity.startswith("revise-"):
        return activity, _linked(prov, "revision")
    if activity.startswith("cancel-"):
        return activity, removal
    # leave and discharge messages point back at the previous message with role revision:
    # a link along the stay, not a replacement, and not stored
    return activity, None


def _event_at(event: str, encounter: dict) -> str | None:
    base = event.removeprefix("revise-").removeprefix("cancel-")
    period = _dict(encounter.get("period"))
    if base.startswith("admit-"):
        return _text(period.get("start"))
    if base.startswith("discharge-") or base == "deceased":
        return _text(period.get("end"))
    leave = {}
    for ext in _list(encounter.get("extension")):
        ext = _dict(ext)
        url = str(ext.get("url", "")).casefold()
        if url.endswith(_LEAVE_EXTENSIONS) and "valuePeriod" in ext:
            leave = _dict(ext["valuePeriod"])
    return _text(leave.get("start" if base.startswith("start-leave") else "end"))


def _episode(encounter: dict) -> str | None:
    for episode in _list(encounter.get("episodeOfCare")):
        ident = _dict(_dict(episode).get("identifier"))
        system, value = _text(ident.get("system")), _text(ident.get("value"))
        if value is None:
            continue
        value = value.removeprefix("urn:uuid:")
        if system is None:
            return value
        bare = system.casefold().split("://", 1)[-1].removeprefix("www.").rstrip("/")
        if bare == _LPR_KEY:
            system = LPR_SYSTEM
        return f"{system}|{value}"
    return None


def _receiver(header: dict, bundle: _Bundle) -> dict:
    """The primary destination's receiver (MedCom allows no carbon copy here, but a
    destination's use is marked, so the primary one is looked for first)."""
    destinations = [_dict(d) for d in _list(header.get("destination"))]
    for d in destinations:
        for ext in _list(d.get("extension")):
            if _dict(_dict(ext).get("valueCoding")).get("code") == "primary":
                return bundle.resolve(d.get("receiver"))
    return bundle.resolve(destinations[0].get("receiver")) if len(destinations) == 1 else {}


def bundle_row(data: bytes | str) -> dict[str, str | None]:
    """One HospitalNotification bundle as a `messages` row (every value text or None), or
    BundleProblem naming the rule and the element."""
    try:
        bundle = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise _fail("bundle_not_json", "") from None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise _fail("bundle_not_message", "Bundle.resourceType")
    if bundle.get("type") != "message":
        raise _fail("bundle_not_message", "Bundle.type")
    resources = _Bundle(bundle)
    header = resources.one("MessageHeader", "bundle_no_message_header")
    patient = resources.one("Patient", "bundle_no_cpr")
    cpr = _identifier(patient, CPR_SYSTEM)
    if cpr is None:
        raise _fail("bundle_no_cpr", f"Patient.identifier (system {CPR_SYSTEM})")
    focus = [resources.resolve(f) for f in _list(header.get("focus"))]
    encounters = [r for r in focus if r.get("resourceType") == "Encounter"]
    encounter = encounters[0] if encounters else resources.one("Encounter", "bundle_no_encounter")
    prov = _current_provenance(resources, header)
    event, replaces = _event(_activity(prov), patient, prov)
    return {
        "message_id": _text(header.get("id")),
        "cpr": cpr,
        "type": "hospital_notification",
        "event": event,
        "sent_at": _text(prov.get("occurredDateTime")) or _text(bundle.get("timestamp")),
        "sender": _identifier(resources.resolve(header.get("sender")), SOR_SYSTEM),
        "receiver": _identifier(_receiver(header, resources), SOR_SYSTEM),
        "episode_id": _episode(encounter),
        "event_at": _event_at(event, encounter),
        "replaces_message_id": replaces,
    }
