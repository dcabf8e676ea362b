"""The generator's hospital notifications as MedCom HospitalNotification bundles (FHIR R4
JSON, the shape of MedCom's published examples), the inverse of warehouse/medcom.py's
mapping: loading a notification in either form gives the same `messages` row.

A death message is MedCom's: the current activity code (a discharge) with
Patient.deceasedBoolean; a correction or cancellation points at the message it replaces
with a Provenance entity of role `revision` / `removal`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

from tvaers.warehouse.medcom import CPR_SYSTEM, SOR_SYSTEM

CPH = ZoneInfo("Europe/Copenhagen")
_IG = "http://medcomfhir.dk/ig"
ACTIVITY_SYSTEM = f"{_IG}/terminology/CodeSystem/medcom-messaging-activityCodes"
LEAVE_URL = (
    f"{_IG}/hospitalnotification/StructureDefinition/"
    "medcom-hospitalnotifiation-leave-period-extension"  # sic: MedCom's own spelling
)
_DEATH_ACTIVITY = {
    "deceased": "discharge-inpatient-home",
    "revise-deceased": "revise-discharge-inpatient-home",
    "cancel-deceased": "cancel-discharge-inpatient-home",
}


def fhir_time(value: datetime | None) -> str | None:
    """A FHIR dateTime with the Danish offset of the instant."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=CPH)
    return value.astimezone(CPH).isoformat(timespec="seconds")


def _org(oid: str, sor: str) -> dict:
    return {
        "fullUrl": f"Organization/{oid}",
        "resource": {
            "resourceType": "Organization",
            "id": oid,
            "identifier": [{"system": SOR_SYSTEM, "value": sor}],
        },
    }


def notification_bundle(m: dict) -> dict:
    """One `messages` row of a hospital notification (cpr raw; times as datetimes) as a
    bundle. Reads message_id, cpr, event, sent_at, sender, receiver, episode_id, event_at,
    replaces_message_id."""
    mid, event = m["message_id"], m["event"]
    activity = _DEATH_ACTIVITY.get(event, event)
    patient = {
        "resourceType": "Patient",
        "id": f"p-{mid}",
        "identifier": [{"system": CPR_SYSTEM, "value": m["cpr"]}],
    }
    if event in ("deceased", "revise-deceased"):
        patient["deceasedBoolean"] = True
    elif event == "cancel-deceased":
        patient["deceasedBoolean"] = False
    base = event.removeprefix("revise-").removeprefix("cancel-")
    at = fhir_time(m.get("event_at"))
    encounter: dict = {
        "resourceType": "Encounter",
        "id": f"e-{mid}",
        "status": "finished"
        if base.startswith("discharge") or base == "deceased"
        else "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
        "subject": {"reference": f"Patient/p-{mid}"},
    }
    if m.get("episode_id"):
        system, _, value = m["episode_id"].rpartition("|")
        encounter["episodeOfCare"] = [{"identifier": {"system": system, "value": value}}]
    if at is not None:
        if base.startswith("admit"):
            encounter["period"] = {"start": at}
        elif base.startswith("start-leave"):
            encounter["extension"] = [{"url": LEAVE_URL, "valuePeriod": {"start": at}}]
        elif base.startswith("end-leave"):
            encounter["extension"] = [{"url": LEAVE_URL, "valuePeriod": {"end": at}}]
        else:
            encounter["period"] = {"end": at}
    provenance: dict = {
        "resourceType": "Provenance",
        "id": f"v-{mid}",
        "target": [{"reference": f"MessageHeader/{mid}"}],
        "occurredDateTime": fhir_time(m["sent_at"]),
        "recorded": fhir_time(m["sent_at"]),
        "activity": {"coding": [{"system": ACTIVITY_SYSTEM, "code": activity}]},
        "agent": [{"who": {"reference": "Organization/sender"}}],
    }
    if m.get("replaces_message_id"):
        role = "removal" if event.startswith("cancel-") else "revision"
        provenance["entity"] = [
            {"role": role, "what": {"reference": f"MessageHeader/{m['replaces_message_id']}"}}
        ]
    header = {
        "resourceType": "MessageHeader",
        "id": mid,
        "eventCoding": {
            "system": f"{_IG}/terminology/CodeSystem/medcom-messaging-eventCodes",
            "code": "hospital-notification-message",
        },
        "destination": [
            {
                "endpoint": f"https://sor2.sum.dsdn.dk/#id={m['receiver']}",
                "receiver": {"reference": "Organization/receiver"},
            }
        ],
        "sender": {"reference": "Organization/sender"},
        "source": {"endpoint": f"https://sor2.sum.dsdn.dk/#id={m['sender']}"},
        "focus": [{"reference": f"Encounter/e-{mid}"}],
    }
    return {
        "resourceType": "Bundle",
        "id": f"b-{mid}",
        "meta": {
            "profile": [
                f"{_IG}/hospitalnotification/StructureDefinition/medcom-hospitalNotification-message"
            ]
        },
        "type": "message",
        "timestamp": fhir_time(m["sent_at"]),
        "entry": [
            {"fullUrl": f"MessageHeader/{mid}", "resource": header},
            {"fullUrl": f"Patient/p-{mid}", "resource": patient},
            {"fullUrl": f"Encounter/e-{mid}", "resource": encounter},
            _org("sender", m["sender"]),
            _org("receiver", m["receiver"]),
            {"fullUrl": f"Provenance/v-{mid}", "resource": provenance},
        ],
    }


def ndjson_line(m: dict) -> bytes:
    return orjson.dumps(notification_bundle(m)) + b"\n"


def write_ndjson(con, source: str, out: Path, split: bool, region_dir) -> int:
    """The hospital notifications of the generator's `messages` relation `source` as
    bundles, one a line, in `out/hospital_notifications.ndjson` (per region delivery when
    split). Times become instants exactly as the warehouse reads the flat form's local
    minutes (`localtime.local_instant_sql`), so both forms give the same row."""
    from tvaers.warehouse.localtime import local_instant_sql

    def instant(col: str) -> str:
        wall = f"no_gap(date_trunc('minute', {col}))"  # the flat form's local minute
        return f"epoch({local_instant_sql(wall)})"

    cur = con.execute(
        f"""SELECT message_id, person, event, {instant("sent_at")}, sender, receiver,
                   episode_id, {instant("event_at")}, replaces_message_id, region_code
            FROM ({source}) WHERE type = 'hospital_notification'
            ORDER BY region_code, sent_at, message_id"""
    )
    files: dict[str, object] = {}
    written = 0
    try:
        while batch := cur.fetchmany(10_000):
            for mid, cpr, event, sent, sender, receiver, episode, at, replaces, region in batch:
                target = region_dir(region) if split else out
                if target not in files:
                    target.mkdir(parents=True, exist_ok=True)
                    files[target] = (target / "hospital_notifications.ndjson").open("wb")
                row = {
                    "message_id": mid,
                    "cpr": cpr,
                    "event": event,
                    "sent_at": datetime.fromtimestamp(sent, CPH),
                    "sender": sender,
                    "receiver": receiver,
                    "episode_id": episode,
                    "event_at": None if at is None else datetime.fromtimestamp(at, CPH),
                    "replaces_message_id": replaces,
                }
                files[target].write(ndjson_line(row))
                written += 1
    finally:
        for fh in files.values():
            fh.close()
    return written
