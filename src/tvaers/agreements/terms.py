"""The agreement registry's words, declared once (spec: agreement.md, improvement.md).

Each dict is the closed list the import file, the forms and the pages accept, with the
Danish and English label a page shows.
"""

from __future__ import annotations

from tvaers.spc.verdict import ASSURANCE_TEXTS

AGREEMENT_KINDS: dict[str, tuple[str, str]] = {
    "sundhedsaftale": ("Sundhedsaftale", "Health agreement"),
    "naersundhedsplan": ("Nærsundhedsplan", "Local health plan"),
    "sundhedsplan": ("Sundhedsplan", "Health plan"),
    "bilateral": ("Bilateral aftale", "Bilateral agreement"),
    "cluster_plan": ("Klyngeplan", "Cluster plan"),
}

# In the order an agreement passes through them.
AGREEMENT_STATUSES: dict[str, tuple[str, str]] = {
    "draft": ("Udkast", "Draft"),
    "consultation": ("I høring", "In consultation"),
    "approved": ("Godkendt", "Approved"),
    "in_force": ("I kraft", "In force"),
    "ended": ("Udløbet", "Ended"),
}

INITIATIVE_STATUSES: dict[str, tuple[str, str]] = {
    "planned": ("Planlagt", "Planned"),
    "running": ("I gang", "Running"),
    "paused": ("Sat på pause", "Paused"),
    "completed": ("Afsluttet", "Completed"),
    "stopped": ("Stoppet", "Stopped"),
}

# What an initiative expects its series to do.
EXPECTED: dict[str, tuple[str, str]] = {
    "down": ("falde", "go down"),
    "up": ("stige", "go up"),
}

VARIATIONS: dict[str, tuple[str, str]] = {
    "improvement": ("tegn på reel ændring – en forbedring", "a real change – an improvement"),
    "concern": ("tegn på reel ændring – til bekymring", "a real change – a concern"),
    "common_cause": ("kun tilfældig variation", "only random variation"),
}

# Worded as the SPC verdict words them, and "unknown" where there is no control chart.
ASSURANCES: dict[str, tuple[str, str]] = {
    **{k: ASSURANCE_TEXTS[k] for k in ("met", "missed", "hit_and_miss")},
    "unknown": (
        "ingen målvurdering: for få punkter til et kontroldiagram",
        "no target assurance: too few points for a control chart",
    ),
}

# The status icon of a target on the agreement tree: a symbol and a word, never colour alone.
ASSURANCE_ICONS: dict[str, str] = {
    "met": "✔",
    "hit_and_miss": "◐",
    "missed": "✖",
    "unknown": "?",
}

# The subject a governance decision names when it is about an agreement (governance terms).
DECISION_SUBJECT = "agreement_item"
