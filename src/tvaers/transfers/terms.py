"""The task-transfer registry's words, declared once (spec: task-transfer.md).

Each mapping is the closed list the forms, the schemas and the workflow accept; the Danish
and English labels are what pages, the printout and the CLI show.
"""

from __future__ import annotations

KINDS: dict[str, tuple[str, str]] = {
    "transfer": ("Opgaveoverdragelse", "Task transfer"),
    "horizontal_agreement": ("Horisontal aftale", "Horizontal agreement"),
    "pilot": ("Forsøg", "Pilot"),
}

# The parties' sectors (a task passes between them).
PARTY_SECTORS: dict[str, tuple[str, str]] = {
    "region": ("Region", "Region"),
    "municipality": ("Kommune", "Municipality"),
    "general_practice": ("Almen praksis", "General practice"),
}

# The assessment's dimensions in the order of the spec, with what each section must say.
DIMENSIONS: dict[str, tuple[str, str]] = {
    "economy": ("Økonomi", "Economy"),
    "competences": ("Kompetencer", "Competences"),
    "quality": ("Kvalitet", "Quality"),
    "capacity": ("Kapacitet", "Capacity"),
    "responsibility": ("Ansvar", "Responsibility"),
    "data_documentation": ("Data og dokumentation", "Data and documentation"),
    "other_clusters": ("Konsekvenser for andre klynger", "Consequences for other clusters"),
}
DIMENSION_HINTS: dict[str, tuple[str, str]] = {
    "economy": (
        "Årlige og engangsudgifter, hvem betaler (kr.)",
        "Annual and one-off cost, who pays (DKK)",
    ),
    "competences": ("Personalegrupper, antal, uddannelse", "Staff groups, numbers, training"),
    "quality": (
        "Standarder; de indikatorer, der skal følge opgaven",
        "Standards; the indicators that will follow the task",
    ),
    "capacity": (
        "Mængder (se volumener) og det personale og de pladser, de kræver",
        "Volumes (see below) and the staff and places they need",
    ),
    "responsibility": (
        "Behandlingsansvar, og hvornår det går over",
        "Treatment responsibility and when it passes",
    ),
    "data_documentation": (
        "Hvad registreres hvor, hvad deles, fra hvornår",
        "What is registered where, what is shared, from when",
    ),
    "other_clusters": ("Konsekvenser for de andre klynger", "Consequences for the other clusters"),
}

SECTION_STATES: dict[str, tuple[str, str]] = {
    "undescribed": ("Ikke beskrevet", "Not described"),
    "described": ("Beskrevet", "Described"),
    "open": ("Åben", "Open"),
    "not_relevant": ("Ikke relevant", "Not relevant"),
}
# The states a section can be given (undescribed is only where a new case starts).
SETTABLE_SECTION_STATES = ("described", "open", "not_relevant")
NEEDS_REASON = ("open", "not_relevant")

STATES: dict[str, tuple[str, str]] = {
    "draft": ("Kladde", "Draft"),
    "assessment": ("Vurdering", "Assessment"),
    "consultation": ("Høring", "Consultation"),
    "decision": ("Besluttet", "Decided"),
    "implementation": ("Implementering", "Implementation"),
    "evaluation": ("Evaluering", "Evaluation"),
    "closed": ("Afsluttet", "Closed"),
    "withdrawn": ("Trukket tilbage", "Withdrawn"),
}

OUTCOMES: dict[str, tuple[str, str]] = {
    "approved": ("Godkendt", "Approved"),
    "rejected": ("Afvist", "Rejected"),
}

OPEN_CONDITIONS = ("besluttes med åbne forudsætninger", "decided with open conditions")

# The four 2027 task moves and the municipal services of the data contract they map to.
SERVICE_LABELS: dict[str, tuple[str, str]] = {
    "acute_nursing": ("Akutfunktion (akutsygepleje)", "Acute nursing"),
    "temporary_bed": ("Midlertidige pladser", "Temporary places"),
    "prevention": ("Patientrettet forebyggelse", "Patient-oriented prevention"),
    "patient_education": ("Patientuddannelse", "Patient education"),
    "smoking_cessation": ("Rygestop", "Smoking cessation"),
    "rehabilitation": ("Specialiseret genoptræning", "Specialised rehabilitation"),
}
