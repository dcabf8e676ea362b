"""The rule catalogue: every way a delivered row can break the contract, in plain words.

Rule ids are stable (they appear in error reports and quarantine files); the texts are what
a data manager reads. `validate.py` produces the ids, the docs page lists this catalogue.
"""

from __future__ import annotations

from tvaers.i18n import tr

# id: (Danish, English). Placeholders: {column}, {other}, {extracted}.
RULES: dict[str, tuple[str, str]] = {
    "missing_column": (
        "den påkrævede kolonne {column} mangler i filen",
        "the required column {column} is missing from the file",
    ),
    "required_value": (
        "{column} skal udfyldes",
        "{column} must have a value",
    ),
    "invalid_cpr": (
        "ugyldigt CPR-nummer: skal være DDMMÅÅSSSS eller DDMMÅÅ-SSSS med en gyldig dato "
        "(århundrede efter 7. ciffer)",
        "invalid CPR number: must be DDMMYYSSSS or DDMMYY-SSSS with a real date "
        "(century from the 7th digit)",
    ),
    "invalid_person_id": (
        "person_id skal være 1–64 tegn",
        "person_id must be 1–64 characters",
    ),
    "person_id_is_cpr": (
        "person_id ligner et CPR-nummer; lever CPR i kolonnen cpr, så det pseudonymiseres",
        "person_id looks like a CPR number; deliver CPR in the cpr column so it is pseudonymised",
    ),
    "invalid_date": (
        "{column} er ikke en gyldig dato (ÅÅÅÅ-MM-DD)",
        "{column} is not a valid date (YYYY-MM-DD)",
    ),
    "invalid_datetime": (
        "{column} er ikke et gyldigt tidspunkt (ÅÅÅÅ-MM-DDTTT:MM[:SS])",
        "{column} is not a valid date-time (YYYY-MM-DDTHH:MM[:SS])",
    ),
    "invalid_number": (
        "{column} er ikke et endeligt decimaltal (punktum som decimaltegn, ingen eksponent)",
        "{column} is not a finite decimal number (point as decimal separator, no exponent)",
    ),
    "above_maximum": (
        "{column} må ikke være over {other}",
        "{column} must not be above {other}",
    ),
    "invalid_offset": (
        "{column} har en tidszoneforskydning, der ikke findes (tilladt: −12:00 … +14:00)",
        "{column} has a time-zone offset that does not exist (allowed: −12:00 … +14:00)",
    ),
    "year_out_of_range": (
        "{column} ligger uden for årene {other}",
        "{column} lies outside the years {other}",
    ),
    "cpr_outside_person_key": (
        "{column} er et CPR-nummer; et CPR-nummer må kun stå i personnøglen (cpr)",
        "{column} is a CPR number; a CPR number may only be delivered in the person key (cpr)",
    ),
    "below_minimum": (
        "{column} må ikke være under {other}",
        "{column} must not be below {other}",
    ),
    "not_in_list": (
        "{column} har en værdi, der ikke er tilladt (se datakontrakten)",
        "{column} has a value that is not allowed (see the data contract)",
    ),
    "invalid_code": (
        "{column} har ikke det krævede kodeformat",
        "{column} does not have the required code format",
    ),
    "unknown_municipality": (
        "{column} er ikke en af de 98 kommunekoder",
        "{column} is not one of the 98 municipality codes",
    ),
    "after_extraction": (
        "{column} ligger efter udtræksdatoen {extracted} (+1 dag)",
        "{column} lies after the extraction date {extracted} (+1 day)",
    ),
    "duplicate_key": (
        "nøglen ({column}) findes flere gange i filen; ingen af rækkerne indlæses",
        "the key ({column}) appears more than once in the file; none of the rows loads",
    ),
    "end_before_start": (
        "{column} ligger før {other}",
        "{column} lies before {other}",
    ),
    "not_after_start": (
        "{column} skal ligge efter {other}",
        "{column} must lie after {other}",
    ),
    "outside_contact": (
        "{column} ligger uden for kontaktens start og slut",
        "{column} lies outside the contact's start and end",
    ),
    "cpr_birth_date_mismatch": (
        "birth_date svarer ikke til datoen i CPR-nummeret",
        "birth_date does not match the date in the CPR number",
    ),
    "person_missing": (
        "personen findes hverken i leveringens persons-fil eller i lageret",
        "the person is neither in the delivery's persons file nor in the warehouse",
    ),
    "person_rejected": (
        "personen er afvist i denne levering, så rækken afvises også",
        "the person was rejected in this delivery, so the row is rejected too",
    ),
    "contact_missing": (
        "kontakten findes hverken i leveringen eller i lageret",
        "the contact is neither in the delivery nor in the warehouse",
    ),
    "contact_rejected": (
        "kontakten er afvist i denne levering, så rækken afvises også",
        "the contact was rejected in this delivery, so the row is rejected too",
    ),
    "before_birth": (
        "{column} ligger før personens fødsel",
        "{column} lies before the person's birth",
    ),
    "after_death": (
        "{column} ligger mere end en dag efter personens død",
        "{column} lies more than a day after the person's death",
    ),
    "overlapping_residence": (
        "bopælsperioden overlapper en anden af personens perioder (i leveringen eller lageret)",
        "the residence period overlaps another of the person's periods "
        "(in the delivery or the warehouse)",
    ),
    "replaces_without_revision": (
        "{column} er udfyldt, men event er ikke en revise-/cancel-hændelse; kun en rettelse "
        "eller annullering erstatter en anden meddelelse",
        "{column} has a value, but event is not a revise-/cancel- event; only a correction or "
        "cancellation replaces another message",
    ),
    "replaces_itself": (
        "{column} peger på meddelelsen selv",
        "{column} names the message itself",
    ),
    "replaced_message_missing": (
        "meddelelsen i {column} findes hverken i leveringen eller i lageret",
        "the message in {column} is neither in the delivery nor in the warehouse",
    ),
    "replaced_message_rejected": (
        "meddelelsen i {column} er afvist i denne levering, så rækken afvises også",
        "the message in {column} was rejected in this delivery, so the row is rejected too",
    ),
    "replaced_message_other_person": (
        "meddelelsen i {column} tilhører en anden person",
        "the message in {column} belongs to another person",
    ),
    "replaced_message_other_episode": (
        "meddelelsen i {column} hører til et andet forløb (episode_id)",
        "the message in {column} belongs to another episode (episode_id)",
    ),
    "replaced_message_later": (
        "meddelelsen i {column} er sendt efter denne (sent_at)",
        "the message in {column} was sent after this one (sent_at)",
    ),
    # MedCom HospitalNotification bundles (transitions.md, Input 2); {column} is the element
    "bundle_not_json": (
        "adviset er ikke gyldig JSON",
        "the notification is not valid JSON",
    ),
    "bundle_too_large": (
        "adviset er større end 4 MiB og læses ikke",
        "the notification exceeds 4 MiB and is not read",
    ),
    "bundle_not_message": (
        "{column}: ikke et FHIR Bundle af typen message",
        "{column}: not a FHIR Bundle of type message",
    ),
    "bundle_no_message_header": (
        "{column}: adviset har ikke præcis én MessageHeader",
        "{column}: the notification does not have exactly one MessageHeader",
    ),
    "bundle_no_cpr": (
        "{column}: adviset har intet CPR-nummer",
        "{column}: the notification has no CPR number",
    ),
    "bundle_no_encounter": (
        "{column}: adviset har intet Encounter (MessageHeader.focus)",
        "{column}: the notification has no Encounter (MessageHeader.focus)",
    ),
    "bundle_no_current_provenance": (
        "{column}: ingen Provenance peger på advisets egen MessageHeader",
        "{column}: no Provenance targets the notification's own MessageHeader",
    ),
    "bundle_unknown_activity": (
        "{column}: ukendt MedCom-aktivitetskode",
        "{column}: unknown MedCom activity code",
    ),
    "conflicts_with_warehouse": (
        "{column} afviger fra den række med samme nøgle, som allerede er i lageret",
        "{column} differs from the row with the same key already in the warehouse",
    ),
}


# Which rule a delivered value of each column kind breaks when it cannot be read.
INVALID_RULE = {
    "date": "invalid_date",
    "datetime": "invalid_datetime",
    "datetime_or_date": "invalid_datetime",
    "decimal": "invalid_number",
    "enum": "not_in_list",
    "pattern": "invalid_code",
    "code3": "unknown_municipality",
}

# What a failed reference to each table is called: (not found, rejected in this delivery).
REFERENCE_RULES = {
    "persons": ("person_missing", "person_rejected"),
    "hospital_contacts": ("contact_missing", "contact_rejected"),
}

# What a revise-/cancel- message's reference to the message it replaces can break
# (contract.Replaces), in the order they are judged.
REPLACES_RULES = (
    "replaces_without_revision",
    "replaces_itself",
    "replaced_message_missing",
    "replaced_message_rejected",
    "replaced_message_other_person",
    "replaced_message_other_episode",
    "replaced_message_later",
)


def message(rule: str, column: str = "", other: str = "", extracted: str = "") -> str:
    da, en = RULES[rule]
    return tr(da, en).format(column=column, other=other, extracted=extracted)
