"""Shipped reference data and its loaders.

The organisation (municipalities, regions, health clusters) is dated data: see
:mod:`tvaers.reference.org`. The names below are the public API; import them from here.
"""

from tvaers.reference.org import (
    COUNTRY_CODE,
    LEVELS,
    Cluster,
    Level,
    Membership,
    Municipality,
    Region,
    Unit,
    cluster,
    clusters,
    clusters_of,
    members,
    memberships,
    municipalities,
    municipality,
    municipality_codes,
    normalise_municipality_code,
    region,
    region_of,
    regions,
    units,
)

__all__ = [
    "COUNTRY_CODE",
    "LEVELS",
    "Cluster",
    "Level",
    "Membership",
    "Municipality",
    "Region",
    "Unit",
    "cluster",
    "clusters",
    "clusters_of",
    "members",
    "memberships",
    "municipalities",
    "municipality",
    "municipality_codes",
    "normalise_municipality_code",
    "region",
    "region_of",
    "regions",
    "units",
]
