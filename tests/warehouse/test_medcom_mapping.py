"""The bundle → row mapping of transitions.md ("Input 2"), one rule a test, on hand-made
bundles (tests/warehouse/medcom_bundles.py). Expected values are read off the bundles."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tvaers.warehouse.medcom import BundleProblem, bundle_row

from .medcom_bundles import LPR, bundle, dumps, earlier_provenance, entity

UUID = "7c1f2e1a-0000-5000-8000-000000000001"


def row(**kw) -> dict:
    return bundle_row(dumps(bundle(**kw)))


def test_admission_maps_every_column():
    assert row() == {
        "message_id": "mh-1",
        "cpr": "1203471018",
        "type": "hospital_notification",
        "event": "admit-inpatient",
        "sent_at": "2023-02-03T21:45:00+01:00",  # Provenance.occurredDateTime
        "sender": "265161000016000",  # SOR of MessageHeader.sender
        "receiver": "953741000016009",  # SOR of the primary destination's receiver
        "episode_id": f"{LPR}|{UUID}",  # urn:uuid: dropped
        "event_at": "2023-02-03T21:40:00+01:00",  # admission: Encounter.period.start
        "replaces_message_id": None,
    }


def test_sent_at_falls_back_to_bundle_timestamp():
    assert row(occurred=None)["sent_at"] == "2023-02-03T21:44:00+01:00"


@pytest.mark.parametrize(
    "system",
    [
        "http://www.esundhed.dk/Registre/Landspatientregisteret",
        "https://esundhed.dk/registre/landspatientregisteret/",
        LPR,
    ],
)
def test_lpr_system_spellings_normalised(system):
    assert row(episode=(system, f"urn:uuid:{UUID}"))["episode_id"] == f"{LPR}|{UUID}"


def test_other_episode_system_kept_as_delivered():
    sor = "https://sor2.sum.dsdn.dk/#id=265161000016000"
    assert row(episode=(sor, UUID))["episode_id"] == f"{sor}|{UUID}"


def test_discharge_event_time_is_period_end_and_its_back_link_is_not_a_replacement():
    r = row(
        activity="discharge-inpatient-home",
        period={"start": "2023-02-03T21:40:00+01:00", "end": "2023-02-07T11:00:00+01:00"},
        entity=entity("revision", "mh-0"),
    )
    assert (r["event"], r["event_at"], r["replaces_message_id"]) == (
        "discharge-inpatient-home",
        "2023-02-07T11:00:00+01:00",
        None,
    )


def test_revise_names_the_revised_message():
    r = row(activity="revise-admit-inpatient", entity=entity("revision", "mh-0"))
    assert (r["event"], r["replaces_message_id"]) == ("revise-admit-inpatient", "mh-0")
    assert r["event_at"] == "2023-02-03T21:40:00+01:00"  # as for an admission


def test_cancel_names_the_removed_message():
    r = row(activity="cancel-discharge-inpatient-home", entity=entity("removal", "mh-0"))
    assert (r["event"], r["replaces_message_id"]) == ("cancel-discharge-inpatient-home", "mh-0")


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ("start-leave-inpatient", "2023-02-05T10:00:00+01:00"),
        ("end-leave-inpatient", "2023-02-05T18:00:00+01:00"),
    ],
)
def test_leave_times_from_the_leave_period_extension(activity, expected):
    leave = {"start": "2023-02-05T10:00:00+01:00", "end": "2023-02-05T18:00:00+01:00"}
    assert row(activity=activity, leave=leave)["event_at"] == expected


def test_death_message_keeps_its_activity_and_becomes_deceased():
    r = row(
        activity="discharge-inpatient-home",
        deceased=True,
        period={"start": "2023-02-03T21:40:00+01:00", "end": "2023-02-06T04:10:00+01:00"},
        entity=entity("revision", "mh-0"),  # the back link to the admission, not stored
    )
    assert (r["event"], r["event_at"], r["replaces_message_id"]) == (
        "deceased",
        "2023-02-06T04:10:00+01:00",
        None,
    )


def test_revised_death_message():
    r = row(
        activity="revise-discharge-inpatient-home",
        deceased=True,
        entity=entity("revision", "mh-d"),
    )
    assert (r["event"], r["replaces_message_id"]) == ("revise-deceased", "mh-d")


def test_cancelled_death_message():
    r = row(
        activity="cancel-discharge-inpatient-home", deceased=False, entity=entity("removal", "mh-d")
    )
    assert (r["event"], r["replaces_message_id"]) == ("cancel-deceased", "mh-d")


def test_the_current_provenance_is_the_one_targeting_this_header():
    b = earlier_provenance(
        bundle(activity="revise-admit-inpatient", entity=entity("revision", "mh-0")),
        "mh-0",
        "admit-inpatient",
    )
    b["entry"].insert(1, b["entry"].pop())  # the earlier one first
    assert bundle_row(dumps(b))["event"] == "revise-admit-inpatient"


def test_primary_receiver_among_several_destinations():
    b = bundle()
    header = b["entry"][0]["resource"]
    other = copy.deepcopy(header["destination"][0])
    other["extension"][0]["valueCoding"]["code"] = "cc"
    other["receiver"] = {"reference": "Organization/org-h"}
    header["destination"].insert(0, other)
    assert bundle_row(dumps(b))["receiver"] == "953741000016009"


# --- errors: (bundle text, rule, element) ---------------------------------------------


def _without(resource_type: str) -> str:
    b = bundle()
    b["entry"] = [e for e in b["entry"] if e["resource"]["resourceType"] != resource_type]
    if resource_type == "Encounter":
        b["entry"][0]["resource"]["focus"] = []
    return dumps(b)


def _other_cpr_system() -> str:
    b = bundle()
    b["entry"][1]["resource"]["identifier"][0]["system"] = "urn:oid:1.2.208.176.1.6"
    return dumps(b)


def _provenance_elsewhere() -> str:
    b = bundle()
    b["entry"][-1]["resource"]["target"] = [{"reference": "MessageHeader/mh-0"}]
    return dumps(b)


ERRORS = [
    ("not_json", '{"resourceType": "Bundle", ', "bundle_not_json", ""),
    ("json_array", "[1, 2]", "bundle_not_message", "Bundle.resourceType"),
    ("a_patient", '{"resourceType": "Patient"}', "bundle_not_message", "Bundle.resourceType"),
    (
        "document_bundle",
        dumps({**bundle(), "type": "document"}),
        "bundle_not_message",
        "Bundle.type",
    ),
    (
        "no_message_header",
        _without("MessageHeader"),
        "bundle_no_message_header",
        "Bundle.entry.resource (MessageHeader)",
    ),
    ("no_patient", _without("Patient"), "bundle_no_cpr", "Bundle.entry.resource (Patient)"),
    (
        "no_cpr_identifier",
        _other_cpr_system(),
        "bundle_no_cpr",
        "Patient.identifier (system urn:oid:1.2.208.176.1.2)",
    ),
    (
        "no_encounter",
        _without("Encounter"),
        "bundle_no_encounter",
        "Bundle.entry.resource (Encounter)",
    ),
    ("no_provenance", _without("Provenance"), "bundle_no_current_provenance", "Provenance.target"),
    (
        "provenance_of_another_message",
        _provenance_elsewhere(),
        "bundle_no_current_provenance",
        "Provenance.target",
    ),
    (
        "unknown_activity",
        dumps(bundle(activity="admit-outpatient")),
        "bundle_unknown_activity",
        "Provenance.activity.coding.code",
    ),
    (
        "death_is_no_activity_code",
        dumps(bundle(activity="deceased")),
        "bundle_unknown_activity",
        "Provenance.activity.coding.code",
    ),
]


@pytest.mark.parametrize(
    ("text", "rule", "element"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_bundle_errors_name_rule_and_element(text, rule, element):
    with pytest.raises(BundleProblem) as caught:
        bundle_row(text)
    assert (caught.value.rule, caught.value.element) == (rule, element)


REAL = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "medcom"
    / "01_STIN_admit-inpatient.generated.json"
)


@pytest.mark.skipif(
    not REAL.exists(), reason="MedCom's published example is not beside the repository"
)
def test_medcoms_published_admission_example():
    """MedCom's own test message (STIN, admit-inpatient; read from outside the repository)."""
    r = bundle_row(REAL.read_bytes())
    assert (r["event"], r["type"], r["replaces_message_id"]) == (
        "admit-inpatient",
        "hospital_notification",
        None,
    )
    assert (
        r["sent_at"] == "2022-12-07T12:00:02+02:00" and r["event_at"] == "2022-12-07T12:00:00+02:00"
    )
    assert (r["sender"], r["receiver"]) == ("265161000016000", "953741000016009")
