"""Shipped reference data and its loaders.

The organisation (municipalities, regions, health clusters, from 2027 Region Østdanmark and
the sundhedsråd, and the bilateral collaborations) is dated data: see
:mod:`tvaers.reference.org`. The names below are the public API; import them from here.
"""

from tvaers.domains import CliEntry, Domain, NavEntry
from tvaers.reference.org import (
    COUNTRY_CODE,
    GROUPING_LEVELS,
    LEVELS,
    MEMBERSHIP_LEVELS,
    Cluster,
    Grouping,
    Level,
    Membership,
    Municipality,
    Region,
    Unit,
    cluster,
    clusters,
    clusters_of,
    grouping,
    groupings,
    members,
    memberships,
    missing,
    municipalities,
    municipality,
    municipality_codes,
    normalise_municipality_code,
    region,
    region_of,
    regions,
    units,
)
from tvaers.roles import EVERYONE

__all__ = [
    "COUNTRY_CODE",
    "GROUPING_LEVELS",
    "LEVELS",
    "MEMBERSHIP_LEVELS",
    "Cluster",
    "Grouping",
    "Level",
    "Membership",
    "Municipality",
    "Region",
    "Unit",
    "cluster",
    "clusters",
    "clusters_of",
    "grouping",
    "groupings",
    "members",
    "memberships",
    "missing",
    "municipalities",
    "municipality",
    "municipality_codes",
    "normalise_municipality_code",
    "region",
    "region_of",
    "regions",
    "units",
]

DOMAIN = Domain(
    name="reference",
    title_da="Organisationen",
    title_en="The organisation",
    routers=("tvaers.reference.pages:router",),
    templates="templates",
    nav=(NavEntry("/organisation", "Organisation", "Organisation", EVERYONE, order=30),),
    cli=(
        CliEntry(
            "org",
            "tvaers.reference.cli:app",
            "Organisationen: regioner, klynger og kommuner på en given dato.",
            "The organisation: regions, clusters and municipalities on a given date.",
        ),
    ),
)
