"""Every contract rule, with a delivery that breaks it and one that just passes.

Each case edits cells of the (valid) example delivery. A failing case must be rejected in
strict mode with the expected rule reported on the expected file, row and column; a
passing case sits on the boundary of the same rule and must load without any error.
"""

from __future__ import annotations

import pytest

P, R, HC, HD = "persons", "residence", "hospital_contacts", "hospital_diagnoses"
MS, MV, GP, RX, REF, MSG = (
    "municipal_services",
    "municipal_visits",
    "gp_contacts",
    "prescriptions",
    "referrals",
    "messages",
)

# A synthetic person born in 1858: 7th digit 5 with YY 58 > 57 means the 1800s.
PERSON_1858 = {"cpr": "010158-5013", "birth_date": "1858-01-01", "sex": "M"}

FAILING = [
    # id, edits [(table, row, column, value)], expected (table, row, column, rule)
    ("required_value", [(P, 1, "sex", "")], (P, 1, "sex", "required_value")),
    ("cpr_bad_day", [(P, 1, "cpr", "320347-1018")], (P, 1, "cpr", "invalid_cpr")),
    ("cpr_too_short", [(P, 1, "cpr", "12034710")], (P, 1, "cpr", "invalid_cpr")),
    ("cpr_letters", [(P, 1, "cpr", "12034A1018")], (P, 1, "cpr", "invalid_cpr")),
    ("cpr_feb_29_non_leap", [(P, 4, "cpr", "290205-4127")], (P, 4, "cpr", "invalid_cpr")),
    ("invalid_date", [(P, 1, "birth_date", "1947-02-30")], (P, 1, "birth_date", "invalid_date")),
    ("date_format", [(P, 1, "birth_date", "12-03-1947")], (P, 1, "birth_date", "invalid_date")),
    ("sex_not_in_list", [(P, 1, "sex", "K")], (P, 1, "sex", "not_in_list")),
    (
        "death_before_birth",
        [(P, 5, "death_date", "1930-11-07")],
        (P, 5, "death_date", "end_before_start"),
    ),
    (
        "cpr_date_mismatch",
        [(P, 1, "birth_date", "1947-03-13")],
        (P, 1, "birth_date", "cpr_birth_date_mismatch"),
    ),
    (
        "century_rule",
        [("append", P, {**PERSON_1858, "birth_date": "1958-01-01"})],
        (P, 6, "birth_date", "cpr_birth_date_mismatch"),
    ),
    (
        "birth_after_extraction",
        [(P, 4, "birth_date", "2025-02-03"), (P, 4, "cpr", "030225-4127")],
        (P, 4, "birth_date", "after_extraction"),
    ),
    (
        "unknown_municipality",
        [(R, 1, "municipality_code", "999")],
        (R, 1, "municipality_code", "unknown_municipality"),
    ),
    (
        "christianso_not_a_municipality",
        [(R, 1, "municipality_code", "411")],
        (R, 1, "municipality_code", "unknown_municipality"),
    ),
    (
        "municipality_5_digits",
        [(R, 1, "municipality_code", "00540")],
        (R, 1, "municipality_code", "unknown_municipality"),
    ),
    (
        "residence_empty_period",
        [(R, 2, "valid_to", "1980-01-01")],
        (R, 2, "valid_to", "not_after_start"),
    ),
    (
        "residence_overlap_later",
        [(R, 2, "valid_to", "2022-09-02")],
        (R, 3, "valid_from", "overlapping_residence"),
    ),
    (
        "residence_overlap_earlier",
        [(R, 2, "valid_to", "2022-09-02")],
        (R, 2, "valid_from", "overlapping_residence"),
    ),
    (
        "residence_overlap_open",
        [(R, 2, "valid_to", "")],
        (R, 2, "valid_from", "overlapping_residence"),
    ),
    ("person_missing", [(R, 4, "cpr", "0202024123")], (R, 4, "cpr", "person_missing")),
    (
        "invalid_datetime",
        [(HC, 1, "start", "2023-02-03 25:00")],
        (HC, 1, "start", "invalid_datetime"),
    ),
    (
        "datetime_slashes",
        [(HC, 1, "start", "2023/02/03T21:40")],
        (HC, 1, "start", "invalid_datetime"),
    ),
    ("datetime_date_only", [(HC, 1, "start", "2023-02-03")], (HC, 1, "start", "invalid_datetime")),
    ("end_before_start", [(HC, 1, "end", "2023-02-03T21:39")], (HC, 1, "end", "end_before_start")),
    (
        "ready_after_end",
        [(HC, 2, "ready_for_discharge", "2023-02-07T11:01")],
        (HC, 2, "ready_for_discharge", "outside_contact"),
    ),
    (
        "ready_before_start",
        [(HC, 2, "ready_for_discharge", "2023-02-04T02:59")],
        (HC, 2, "ready_for_discharge", "outside_contact"),
    ),
    ("diagnosis_without_d", [(HC, 1, "diagnosis", "N390")], (HC, 1, "diagnosis", "invalid_code")),
    ("diagnosis_with_dot", [(HC, 1, "diagnosis", "DN39.0")], (HC, 1, "diagnosis", "invalid_code")),
    ("diagnosis_lowercase", [(HC, 1, "diagnosis", "dn390")], (HC, 1, "diagnosis", "invalid_code")),
    ("contact_type", [(HC, 1, "contact_type", "fysisk")], (HC, 1, "contact_type", "not_in_list")),
    ("priority", [(HC, 1, "priority", "urgent")], (HC, 1, "priority", "not_in_list")),
    ("sector", [(HC, 1, "sector", "dental")], (HC, 1, "sector", "not_in_list")),
    ("discharged_to", [(HC, 1, "discharged_to", "hjem")], (HC, 1, "discharged_to", "not_in_list")),
    (
        "start_after_extraction",
        [(HC, 3, "start", "2025-02-03T00:00"), (HC, 3, "end", "")],
        (HC, 3, "start", "after_extraction"),
    ),
    ("before_birth", [(HC, 4, "start", "1954-12-31T23:00")], (HC, 4, "start", "before_birth")),
    (
        "after_death",
        [
            (HC, 5, "start", "2024-02-12T00:00"),
            (HC, 5, "end", "2024-02-12T01:00"),
            (HC, 5, "ready_for_discharge", ""),
        ],
        (HC, 5, "start", "after_death"),
    ),
    ("contact_person_missing", [(HC, 4, "cpr", "0202024123")], (HC, 4, "cpr", "person_missing")),
    (
        "duplicate_contact_first",
        [(HC, 2, "contact_id", "K-0001")],
        (HC, 1, "contact_id", "duplicate_key"),
    ),
    (
        "duplicate_contact_second",
        [(HC, 2, "contact_id", "K-0001")],
        (HC, 2, "contact_id", "duplicate_key"),
    ),
    (
        "duplicate_person",
        [(P, 2, "cpr", "120347-1018"), (P, 2, "birth_date", "1947-03-12")],
        (P, 2, "cpr", "duplicate_key"),
    ),
    (
        "contact_missing",
        [(HD, 1, "contact_id", "K-9999")],
        (HD, 1, "contact_id", "contact_missing"),
    ),
    ("diagnosis_kind", [(HD, 1, "kind", "C")], (HD, 1, "kind", "not_in_list")),
    ("secondary_code", [(HD, 1, "code", "E119")], (HD, 1, "code", "invalid_code")),
    (
        "hours_comma",
        [(MS, 1, "hours_per_week", "2,5")],
        (MS, 1, "hours_per_week", "invalid_number"),
    ),
    (
        "hours_negative",
        [(MS, 1, "hours_per_week", "-1")],
        (MS, 1, "hours_per_week", "below_minimum"),
    ),
    ("service", [(MS, 1, "service", "home_help")], (MS, 1, "service", "not_in_list")),
    (
        "service_end_before_start",
        [(MS, 1, "end", "2023-02-06")],
        (MS, 1, "end", "end_before_start"),
    ),
    (
        "service_municipality",
        [(MS, 1, "municipality_code", "12")],
        (MS, 1, "municipality_code", "unknown_municipality"),
    ),
    ("visit_kind", [(MV, 1, "kind", "letter")], (MV, 1, "kind", "not_in_list")),
    ("visit_time", [(MV, 1, "at", "2023-02-08T9:30")], (MV, 1, "at", "invalid_datetime")),
    ("gp_at", [(GP, 1, "at", "10-02-2023")], (GP, 1, "at", "invalid_datetime")),
    ("gp_kind", [(GP, 1, "kind", "visit")], (GP, 1, "kind", "not_in_list")),
    ("gp_clinic_required", [(GP, 1, "clinic_id", "")], (GP, 1, "clinic_id", "required_value")),
    ("atc", [(RX, 1, "atc", "A10BA2")], (RX, 1, "atc", "invalid_code")),
    (
        "duplicate_dispensing",
        [(RX, 2, "dispensed_on", "2022-03-01")],
        (RX, 2, "cpr, dispensed_on, atc", "duplicate_key"),
    ),
    (
        "referral_started_before",
        [(REF, 1, "started_on", "2023-10-10")],
        (REF, 1, "started_on", "end_before_start"),
    ),
    (
        "referral_sector",
        [(REF, 1, "from_sector", "hospice")],
        (REF, 1, "from_sector", "not_in_list"),
    ),
    ("message_type", [(MSG, 1, "type", "sms")], (MSG, 1, "type", "not_in_list")),
    ("message_event", [(MSG, 1, "event", "admit")], (MSG, 1, "event", "not_in_list")),
    (
        "message_sent_after_extraction",
        [(MSG, 1, "sent_at", "2025-03-01T10:00")],
        (MSG, 1, "sent_at", "after_extraction"),
    ),
]

PASSING = [
    ("cpr_with_and_without_dash", [(R, 1, "cpr", "120347-1018"), (P, 1, "cpr", "1203471018")]),
    ("municipality_four_digits", [(R, 1, "municipality_code", "0540")]),
    ("century_rule_1800s", [("append", P, PERSON_1858)]),
    ("death_on_birth_day", [(P, 4, "death_date", "2005-03-15")]),
    ("death_on_extraction_plus_one", [(P, 4, "death_date", "2025-02-02")]),
    ("datetime_space_and_seconds", [(HC, 1, "start", "2023-02-03 21:40:00")]),
    ("datetime_with_offset", [(HC, 1, "start", "2023-02-03T20:40:00+00:00")]),
    ("end_equals_start", [(HC, 1, "end", "2023-02-03T21:40")]),
    ("ongoing_contact", [(HC, 1, "end", ""), (HC, 1, "discharged_to", "")]),
    ("ready_equals_end", [(HC, 2, "ready_for_discharge", "2023-02-07T11:00")]),
    ("ready_equals_start", [(HC, 2, "ready_for_discharge", "2023-02-04T03:00")]),
    ("start_on_extraction_plus_one", [(HC, 3, "start", "2025-02-02T23:59"), (HC, 3, "end", "")]),
    ("start_on_birth_day", [(HC, 4, "start", "1955-01-01T00:00")]),
    (
        "start_day_after_death",
        [
            (HC, 5, "start", "2024-02-11T08:00"),
            (HC, 5, "end", "2024-02-11T09:00"),
            (HC, 5, "ready_for_discharge", ""),
        ],
    ),
    (
        "start_last_minute_of_day_after_death",
        [
            (HC, 5, "start", "2024-02-11T23:59"),
            (HC, 5, "end", "2024-02-11T23:59"),
            (HC, 5, "ready_for_discharge", ""),
        ],
    ),
    ("diagnosis_long", [(HC, 1, "diagnosis", "DS720A1")]),
    ("adjacent_residence", [(R, 2, "valid_to", "2022-09-01")]),
    ("hours_zero", [(MS, 1, "hours_per_week", "0")]),
    ("gp_at_datetime", [(GP, 1, "at", "2023-02-10 08:00")]),
    ("atc_short", [(RX, 1, "atc", "A10")]),
    ("same_day_different_atc", [(RX, 2, "dispensed_on", "2022-03-01"), (RX, 2, "atc", "A10BA03")]),
    ("message_without_event", [(MSG, 1, "event", "")]),
    ("message_revise_event", [(MSG, 1, "event", "revise-admit-inpatient")]),
]


def _apply(example, edits):
    for edit in edits:
        if edit[0] == "append":
            example.append(edit[1], **edit[2])
        else:
            example.set(*edit)


def _reported(result):
    return {(e.file.split(".")[0], e.row, e.column, e.rule) for e in result.first_errors}


@pytest.mark.parametrize(
    ("edits", "expected"), [c[1:] for c in FAILING], ids=[c[0] for c in FAILING]
)
def test_rule_rejects(example, load, db, edits, expected):
    _apply(example, edits)
    result = load(example, error_limit=1000)
    assert result.status == "rejected"
    assert expected in _reported(result)
    assert not db.exists(), "a rejected first delivery must not create a warehouse"


@pytest.mark.parametrize("edits", [c[1] for c in PASSING], ids=[c[0] for c in PASSING])
def test_rule_boundary_passes(example, load, edits):
    _apply(example, edits)
    result = load(example)
    assert result.first_errors == []
    assert result.status == "loaded"
    assert result.quarantined == 0
