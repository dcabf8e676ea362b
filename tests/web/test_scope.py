"""Who may see unsuppressed values of which unit: `can_see_unsuppressed` against the real,
dated organisation data."""

from __future__ import annotations

from datetime import date

import pytest

from tvaers.reference import org
from tvaers.web.scope import (
    InvalidScope,
    Principal,
    UnitRef,
    can_see_unsuppressed,
    parse_scope,
)

ON = date(2024, 1, 1)
AFTER_CLUSTERS = date(2027, 6, 1)  # the clusters end on 1 January 2027
SYDVEST = "syddanmark-sydvestjylland"  # Esbjerg, Fanø, Varde, Vejen, Billund
ESBJERG, ODENSE, AARHUS = "561", "461", "751"
SYDDANMARK = "1083"


def user(role: str, *scopes: str) -> Principal:
    return Principal(1, "u", "U", role, tuple(parse_scope(s) for s in scopes))


def every_municipality() -> list[str]:
    return [m.code for m in org.municipalities()]


def test_a_viewer_never_sees_unsuppressed_values_even_with_a_country_scope():
    viewer = user("viewer", "country:DK")
    for level, code in [("municipality", ESBJERG), ("cluster", SYDVEST), ("country", "DK")]:
        assert not can_see_unsuppressed(viewer, level, code, ON)


def test_nobody_logged_in_sees_nothing_unsuppressed():
    assert not can_see_unsuppressed(None, "municipality", ESBJERG, ON)


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_a_cluster_scope_covers_exactly_its_member_municipalities(role):
    scoped = user(role, f"cluster:{SYDVEST}")
    members = {m.code for m in org.members("cluster", SYDVEST, ON)}
    assert ESBJERG in members and ODENSE not in members
    seen = {c for c in every_municipality() if can_see_unsuppressed(scoped, "municipality", c, ON)}
    assert seen == members
    assert can_see_unsuppressed(scoped, "cluster", SYDVEST, ON)
    assert not can_see_unsuppressed(scoped, "cluster", "syddanmark-fyn", ON)
    assert not can_see_unsuppressed(scoped, "region", SYDDANMARK, ON)
    assert not can_see_unsuppressed(scoped, "country", "DK", ON)


def test_every_cluster_scope_sees_its_members_and_no_other_municipality():
    for cluster in org.clusters(ON):
        scoped = user("analyst", f"cluster:{cluster.slug}")
        members = {m.code for m in org.members("cluster", cluster.slug, ON)}
        seen = {
            c for c in every_municipality() if can_see_unsuppressed(scoped, "municipality", c, ON)
        }
        assert seen == members, cluster.slug


def test_membership_is_taken_on_the_date_of_the_data():
    scoped = user("analyst", f"cluster:{SYDVEST}")
    assert can_see_unsuppressed(scoped, "municipality", ESBJERG, ON)
    # After the reform the cluster has no members, so its scope covers no municipality.
    assert not can_see_unsuppressed(scoped, "municipality", ESBJERG, AFTER_CLUSTERS)


def test_a_region_scope_covers_its_municipalities_and_clusters_not_other_regions():
    scoped = user("analyst", f"region:{SYDDANMARK}")
    assert can_see_unsuppressed(scoped, "municipality", ODENSE, ON)
    assert can_see_unsuppressed(scoped, "cluster", SYDVEST, ON)
    assert can_see_unsuppressed(scoped, "region", SYDDANMARK, ON)
    assert not can_see_unsuppressed(scoped, "municipality", AARHUS, ON)
    assert not can_see_unsuppressed(scoped, "region", "1082", ON)
    assert not can_see_unsuppressed(scoped, "country", "DK", ON)


def test_a_municipality_scope_covers_that_municipality_only():
    scoped = user("analyst", f"municipality:{ESBJERG}")
    assert can_see_unsuppressed(scoped, "municipality", ESBJERG, ON)
    assert can_see_unsuppressed(scoped, "municipality", "0561", ON)  # the contract's variant
    assert not can_see_unsuppressed(scoped, "municipality", "563", ON)
    assert not can_see_unsuppressed(scoped, "cluster", SYDVEST, ON)


def test_a_unit_is_covered_when_all_its_members_are():
    members = [m.code for m in org.members("cluster", SYDVEST, ON)]
    all_members = user("analyst", *(f"municipality:{c}" for c in members))
    assert can_see_unsuppressed(all_members, "cluster", SYDVEST, ON)
    all_but_one = user("analyst", *(f"municipality:{c}" for c in members[1:]))
    assert not can_see_unsuppressed(all_but_one, "cluster", SYDVEST, ON)


def test_copenhagen_belongs_to_two_clusters_and_either_scope_covers_it():
    for slug in ("hovedstaden-byen", "hovedstaden-syd"):
        assert can_see_unsuppressed(user("analyst", f"cluster:{slug}"), "municipality", "101", ON)


def test_a_country_scope_covers_everything():
    scoped = user("analyst", "country:DK")
    assert all(can_see_unsuppressed(scoped, "municipality", c, ON) for c in every_municipality())
    assert can_see_unsuppressed(scoped, "cluster", SYDVEST, ON)
    assert can_see_unsuppressed(scoped, "country", "DK", ON)


def test_no_scope_and_unknown_units_see_nothing():
    assert not can_see_unsuppressed(user("admin"), "municipality", ESBJERG, ON)
    scoped = user("analyst", "country:DK")
    assert not can_see_unsuppressed(scoped, "municipality", "999", ON)
    assert not can_see_unsuppressed(scoped, "cluster", "nowhere", ON)
    assert not can_see_unsuppressed(scoped, "planet", "earth", ON)


def test_parse_scope_gives_the_canonical_unit():
    assert parse_scope("municipality:0540") == UnitRef("municipality", "540")
    assert parse_scope(f"cluster:{SYDVEST}") == UnitRef("cluster", SYDVEST)
    assert parse_scope("region:1083") == UnitRef("region", "1083")
    assert parse_scope("country:DK") == UnitRef("country", "DK")
    assert str(parse_scope("municipality:540")) == "municipality:540"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("municipality", "NIVEAU:KODE"),
        ("kommune:540", "ukendt niveau"),
        ("municipality:999", "ukendt municipality"),
        ("cluster:syddanmark", "ukendt cluster"),
        ("region:1090", "ukendt region"),
        ("country:SE", "ukendt country"),
    ],
)
def test_parse_scope_refuses_what_the_reference_data_does_not_know(text, says):
    with pytest.raises(InvalidScope, match=says):
        parse_scope(text)


def test_add_user_refuses_a_unit_the_reference_data_does_not_know(db):
    from tvaers.users.service import add_user

    with pytest.raises(InvalidScope):
        add_user(db, "anna", role="analyst", password="x" * 20, scopes=[UnitRef("cluster", "x")])
    user = add_user(
        db, "anna", role="analyst", password="x" * 20, scopes=[UnitRef("municipality", "0540")]
    )
    assert [(s.level, s.unit_code) for s in user.scopes] == [("municipality", "540")]
