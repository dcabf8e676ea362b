"""Hand-made MedCom HospitalNotification bundles of the real messages' shape (FHIR R4:
MessageHeader, Patient, Encounter, two Organizations, Provenance), with synthetic CPRs.
Each test changes the one element it is about."""

from __future__ import annotations

import copy
import json

ACTIVITY_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes"
LEAVE_URL = (
    "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/"
    "medcom-hospitalnotifiation-leave-period-extension"
)
LPR = "https://www.esundhed.dk/Registre/Landspatientregisteret"
HOSPITAL_SOR, MUNICIPALITY_SOR = "265161000016000", "953741000016009"


def bundle(
    header_id: str = "mh-1",
    cpr: str = "1203471018",
    activity: str = "admit-inpatient",
    occurred: str | None = "2023-02-03T21:45:00+01:00",
    period: dict | None = None,
    episode: tuple[str, str] = (LPR, "urn:uuid:7c1f2e1a-0000-5000-8000-000000000001"),
    entity: list | None = None,
    deceased: bool | None = None,
    leave: dict | None = None,
) -> dict:
    period = period if period is not None else {"start": "2023-02-03T21:40:00+01:00"}
    encounter = {
        "resourceType": "Encounter",
        "id": "enc-1",
        "status": "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
        "subject": {"reference": "Patient/pat-1"},
        "episodeOfCare": [{"identifier": {"system": episode[0], "value": episode[1]}}],
        "period": period,
        "serviceProvider": {"reference": "Organization/org-h"},
    }
    if leave is not None:
        encounter["extension"] = [{"url": LEAVE_URL, "valuePeriod": leave}]
    patient = {
        "resourceType": "Patient",
        "id": "pat-1",
        "identifier": [{"system": "urn:oid:1.2.208.176.1.2", "value": cpr}],
        "name": [{"use": "official", "family": "Testesen"}],
    }
    if deceased is not None:
        patient["deceasedBoolean"] = deceased
    provenance = {
        "resourceType": "Provenance",
        "id": "prov-1",
        "target": [{"reference": f"MessageHeader/{header_id}"}],
        "recorded": occurred or "2023-02-03T21:45:00+01:00",
        "activity": {"coding": [{"system": ACTIVITY_SYSTEM, "code": activity}]},
        "agent": [{"who": {"reference": "Organization/org-h"}}],
    }
    if occurred is not None:
        provenance["occurredDateTime"] = occurred
    if entity is not None:
        provenance["entity"] = entity

    def org(oid: str, sor: str, name: str) -> dict:
        return {
            "fullUrl": f"Organization/{oid}",
            "resource": {
                "resourceType": "Organization",
                "id": oid,
                "identifier": [
                    {"system": "https://www.gs1.org/gln", "value": "5790000000000"},
                    {"system": "urn:oid:1.2.208.176.1.1", "value": sor},
                ],
                "name": name,
            },
        }

    header = {
        "resourceType": "MessageHeader",
        "id": header_id,
        "eventCoding": {
            "system": "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes",
            "code": "hospital-notification-message",
        },
        "destination": [
            {
                "extension": [
                    {
                        "url": "http://medcomfhir.dk/ig/messaging/StructureDefinition/"
                        "medcom-messaging-destinationUseExtension",
                        "valueCoding": {"code": "primary"},
                    }
                ],
                "endpoint": f"https://sor2.sum.dsdn.dk/#id={MUNICIPALITY_SOR}",
                "receiver": {"reference": "Organization/org-m"},
            }
        ],
        "sender": {"reference": "Organization/org-h"},
        "source": {"endpoint": f"https://sor2.sum.dsdn.dk/#id={HOSPITAL_SOR}"},
        "focus": [{"reference": "Encounter/enc-1"}],
    }
    return {
        "resourceType": "Bundle",
        "id": f"b-{header_id}",
        "type": "message",
        "timestamp": "2023-02-03T21:44:00+01:00",
        "entry": [
            {"fullUrl": f"MessageHeader/{header_id}", "resource": header},
            {"fullUrl": "Patient/pat-1", "resource": patient},
            {"fullUrl": "Encounter/enc-1", "resource": encounter},
            org("org-m", MUNICIPALITY_SOR, "Hjemmeplejen Testkommune"),
            org("org-h", HOSPITAL_SOR, "Medicinsk afdeling, Testsygehus"),
            {"fullUrl": "Provenance/prov-1", "resource": provenance},
        ],
    }


def entity(role: str, header_id: str) -> list:
    return [{"role": role, "what": {"reference": f"MessageHeader/{header_id}"}}]


def earlier_provenance(b: dict, header_id: str, activity: str) -> dict:
    """MedCom bundles also carry the Provenance of the stay's earlier messages."""
    b = copy.deepcopy(b)
    b["entry"].append(
        {
            "fullUrl": f"Provenance/prov-{header_id}",
            "resource": {
                "resourceType": "Provenance",
                "id": f"prov-{header_id}",
                "target": [{"reference": f"MessageHeader/{header_id}"}],
                "occurredDateTime": "2023-02-01T08:00:00+01:00",
                "activity": {"coding": [{"system": ACTIVITY_SYSTEM, "code": activity}]},
            },
        }
    )
    return b


def dumps(b: dict) -> str:
    return json.dumps(b, ensure_ascii=False)
