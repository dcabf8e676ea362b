"""The governance registry's words, declared once (spec: governance.md, "The registry").

Each tuple is the closed list the import file, the forms and the rules accept; the Danish
and English labels are what pages and tables show.
"""

from __future__ import annotations

FORUM_KINDS: dict[str, tuple[str, str]] = {
    "kkr": ("KKR (Kommunekontaktråd)", "KKR (municipal contact council)"),
    "ssu": ("Sundhedssamarbejdsudvalg", "Health collaboration committee"),
    "political_cluster": ("Politisk sundhedsklynge", "Political health cluster"),
    "administrative_cluster": ("Administrativ sundhedsklynge", "Administrative health cluster"),
    "health_directors_forum": ("Sundhedsdirektørforum", "Health directors' forum"),
    "executive_committee": ("Forretningsudvalg", "Executive committee"),
    "regional_admin_forum": (
        "Administrativt tværsektorielt samarbejdsforum",
        "Regional administrative cross-sector forum",
    ),
    "bilateral_steering_group": ("Politisk styregruppe (bilateral)", "Bilateral steering group"),
    "sundhedsraad": ("Sundhedsråd", "Health council"),
    "other": ("Andet forum", "Other forum"),
}

OFFICES: dict[str, tuple[str, str]] = {
    "mayor": ("borgmester", "mayor"),
    "health_director": ("sundhedsdirektør", "health director"),
    "municipal_director": ("kommunaldirektør", "municipal director"),
    "regional_council_chair": ("regionsrådsformand", "regional council chair"),
    "regional_council_member": ("regionsrådsmedlem", "regional council member"),
    "municipal_council_member": ("kommunalbestyrelsesmedlem", "municipal council member"),
    "gp": ("praktiserende læge", "general practitioner"),
    "patient_representative": ("patientrepræsentant", "patient representative"),
    "other": ("andet", "other"),
}

SIDES: dict[str, tuple[str, str]] = {
    "region": ("region", "region"),
    "municipality": ("kommune", "municipality"),
    "general_practice": ("almen praksis", "general practice"),
    "patients": ("patienter", "patients"),
}

SEAT_ROLES: dict[str, tuple[str, str]] = {
    "chair": ("formand", "chair"),
    "co_chair": ("medformand", "co-chair"),
    "vice_chair": ("næstformand", "vice-chair"),
    "member": ("medlem", "member"),
    "participant": ("deltager", "participant"),
}

# What a decision or an agenda item may point at (other registries of Tværs).
SUBJECT_KINDS: dict[str, tuple[str, str]] = {
    "task_transfer": ("opgaveoverdragelse", "task transfer"),
    "agreement_item": ("aftalepunkt", "agreement item"),
    "input_round": ("høringsrunde", "input round"),
    "forum": ("forum", "forum"),
    "other": ("andet", "other"),
}
