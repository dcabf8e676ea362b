"""The roles of Tværs and what each may do, declared once.

Every role is scoped to organisational units (see tvaers.web.scope). What a role may do is
a capability, and code asks for the capability, never for a role by name, so a new role is
one line here:

- every role sees suppressed (published) figures;
- ``SEES_UNSUPPRESSED``: unsuppressed figures of the units in its scope;
- ``EDITS_REGISTRIES``: edits the collaboration's registries (organisation, agreements,
  task transfers, …) for the units in its scope;
- ``ADMINISTERS``: users, the audit log, everything;
- ``EXPORTS_PERSON_LEVEL``: writes person-level (pseudonymised) extracts, such as the
  notified stays.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    # The secretariat of a cluster, sundhedsråd or health collaboration committee: keeps the
    # registries of its scope and sees what an analyst sees.
    secretariat = "secretariat"
    analyst = "analyst"
    viewer = "viewer"


ROLES: tuple[str, ...] = tuple(r.value for r in Role)
EVERYONE: frozenset[str] = frozenset(ROLES)
SEES_UNSUPPRESSED: frozenset[str] = frozenset({Role.admin, Role.secretariat, Role.analyst})
EDITS_REGISTRIES: frozenset[str] = frozenset({Role.admin, Role.secretariat})
ADMINISTERS: frozenset[str] = frozenset({Role.admin})
# Person-level exports for one's own analyses (`tvaers transitions stays`): the operator
# (admin) and analysts, never a viewer or a secretariat (transitions.md, "Command line").
EXPORTS_PERSON_LEVEL: frozenset[str] = frozenset({Role.admin, Role.analyst})


def role_name(role: str, tr) -> str:  # type: ignore[no-untyped-def]
    """The role's name for people, in the language of ``tr``."""
    names = {
        Role.admin: tr("Administrator", "Administrator"),
        Role.secretariat: tr("Sekretariat", "Secretariat"),
        Role.analyst: tr("Analytiker", "Analyst"),
        Role.viewer: tr("Læser", "Viewer"),
    }
    return names.get(role, role)  # type: ignore[call-overload]
