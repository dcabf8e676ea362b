"""Who must be told before a case is decided (seed 004: "den enkelte klynge er ansvarlig for
løbende, via Sundhedssamarbejdsudvalget, at orientere de andre klynger"): every other
cluster of the region — or, where the region has no clusters (from 2027), every other
sundhedsråd — on the day consultation began.

"Other" is seen from the deciding forum's unit: a cluster's forum need not tell its own
cluster; a municipality's or bilateral forum need not tell the units it lies in; a regional
forum tells every unit of the region. The units come from the reference data and the
imported memberships together (governance.registry.units_on).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tvaers.governance import registry
from tvaers.governance.models import Forum

INFORMING_LEVELS = ("cluster", "sundhedsraad")


def units_to_inform(session: Session, forum: Forum, on: date) -> list[tuple[str, str, str]]:
    """(level, code, name) of the units that must be recorded as informed."""
    region = registry.region_of_unit(session, forum.unit_level, forum.unit_code, on)
    if region is None:
        return []
    own_members = set(registry.members(session, forum.unit_level, forum.unit_code, on))
    for level in INFORMING_LEVELS:
        in_region = [u for u in registry.units_on(session, level, on) if u.region_code == region]
        if not in_region:
            continue
        if forum.unit_level == "region":
            own: set[str] = set()
        elif forum.unit_level == level:
            own = {forum.unit_code}
        else:  # a municipality or bilateral forum: the units it lies in
            own = {u.code for u in in_region if own_members & set(u.members)}
        return [(level, u.code, u.name) for u in in_region if u.code not in own]
    return []
