"""The organisation reference data and its dated query API."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import Counter
from datetime import date, datetime
from importlib import resources

import pytest

from tvaers.reference import org
from tvaers.reference.org import (
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

IN_FORCE = date(2024, 1, 1)


def _codes(found) -> list[str]:
    return [m.code for m in found]


def _csv(name: str) -> list[dict[str, str]]:
    text = (resources.files("tvaers.reference") / "data" / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# --- municipalities --------------------------------------------------------------------


def test_there_are_98_municipalities_with_unique_three_digit_codes():
    found = municipalities()
    assert len(found) == 98
    assert len(municipality_codes()) == 98
    assert set(_codes(found)) == municipality_codes()
    assert all(len(m.code) == 3 and m.code.isdigit() for m in found)
    assert _codes(found) == sorted(_codes(found), key=int)
    assert "411" not in municipality_codes()  # Christiansø is not a municipality


def test_municipality_lookup_accepts_the_padded_form():
    assert municipality("540").name == "Sønderborg"
    assert municipality("0540") == municipality("540")
    assert municipality("101").region_code == "1084"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("540", "540"),
        ("0540", "540"),
        ("0101", "101"),
        ("101", "101"),
        ("999", "999"),  # a well-formed code; membership is not this function's business
        ("0054", "054"),  # only one zero is stripped, what is left is 3 digits
        ("054", "054"),
        ("54", None),
        ("00540", None),
        ("1540", None),
        ("05400", None),
        (" 540", None),
        ("540 ", None),
        ("5a0", None),
        ("abc", None),
        ("", None),
        ("٥٤٠", None),  # Arabic-Indic digits are digits to str.isdigit, not to the contract
        ("0٥٤٠", None),
        ("+540", None),
        ("-540", None),
    ],
)
def test_normalise_municipality_code(raw, expected):
    assert normalise_municipality_code(raw) == expected


def test_normalise_municipality_code_rejects_non_text():
    assert normalise_municipality_code(540) is None  # type: ignore[arg-type]
    assert normalise_municipality_code(None) is None  # type: ignore[arg-type]


# --- regions ---------------------------------------------------------------------------


def test_five_regions_with_codes_1081_to_1085():
    # Until 2026; Hovedstaden and Sjælland end with 2026 (test_org_2027.py).
    found = regions(IN_FORCE)
    assert [r.code for r in found] == ["1081", "1082", "1083", "1084", "1085"]
    assert {r.name for r in found} == {
        "Region Nordjylland",
        "Region Midtjylland",
        "Region Syddanmark",
        "Region Hovedstaden",
        "Region Sjælland",
    }
    assert regions(date(2026, 12, 31)) == found
    assert all(r.valid_from == date(2007, 1, 1) for r in found)
    assert [r.valid_to for r in found] == [None, None, None, date(2027, 1, 1), date(2027, 1, 1)]


def test_regions_are_dated_from_2007():
    assert regions(date(2006, 12, 31)) == []
    assert len(regions(date(2007, 1, 1))) == 5
    assert members("region", "1083", date(2006, 12, 31)) == []
    assert region_of("540", date(2006, 12, 31)) is None


def test_every_municipality_is_in_exactly_one_region():
    per_region = {
        r.code: set(_codes(members("region", r.code, IN_FORCE))) for r in regions(IN_FORCE)
    }
    seen = Counter(code for codes in per_region.values() for code in codes)
    assert set(seen) == municipality_codes()
    assert set(seen.values()) == {1}
    assert {code: len(codes) for code, codes in per_region.items()} == {
        "1081": 11,
        "1082": 19,
        "1083": 22,
        "1084": 29,
        "1085": 17,
    }
    for m in municipalities():
        home = region_of(m.code, IN_FORCE)
        assert home is not None
        assert home.code == m.region_code
        assert m.code in per_region[home.code]


def test_region_membership_file_agrees_with_municipalities_file():
    # region_members.csv was generated from municipalities.csv; drift would mean two truths.
    for row in _csv("municipalities.csv"):
        home = region_of(row["code"], IN_FORCE)
        assert home is not None
        assert (home.code, home.name) == (row["region_code"], row["region_name"])


# --- clusters --------------------------------------------------------------------------


def test_22_clusters_in_force_while_the_clusters_exist():
    assert len(clusters()) == 22
    assert len(clusters(IN_FORCE)) == 22
    assert len(clusters(date(2022, 7, 1))) == 22  # first day
    assert len(clusters(date(2026, 12, 31))) == 22  # last day


@pytest.mark.parametrize("day", [date(2022, 6, 30), date(2027, 1, 1), date(2019, 1, 1)])
def test_no_clusters_outside_their_period(day):
    assert clusters(day) == []
    assert units("cluster", day) == []
    assert clusters_of("540", day) == []
    assert members("cluster", "syddanmark-sonderjylland", day) == []


def test_kobenhavn_is_in_exactly_two_clusters():
    found = clusters_of("101", date(2023, 5, 1))
    assert {c.slug for c in found} == {"hovedstaden-byen", "hovedstaden-syd"}
    assert all(c.region_code == "1084" for c in found)
    assert clusters_of("0101", date(2023, 5, 1)) == found


def test_every_municipality_is_in_a_cluster_of_its_own_region():
    per_municipality = {m.code: clusters_of(m.code, IN_FORCE) for m in municipalities()}
    for code, found in per_municipality.items():
        assert found, code
        assert {c.region_code for c in found} == {municipality(code).region_code}, code
    shared = {code for code, found in per_municipality.items() if len(found) > 1}
    assert shared == {"101"}


def test_members_of_a_cluster():
    found = members("cluster", "syddanmark-sonderjylland", IN_FORCE)
    assert _codes(found) == ["510", "540", "550", "580"]
    assert [m.name for m in found] == ["Haderslev", "Sønderborg", "Tønder", "Aabenraa"]


def test_cluster_members_add_up_to_98_plus_kobenhavn_twice():
    counted = Counter(
        code for c in clusters(IN_FORCE) for code in _codes(members("cluster", c.slug, IN_FORCE))
    )
    assert set(counted) == municipality_codes()
    assert sum(counted.values()) == 99
    assert counted["101"] == 2


def test_cluster_memberships_lie_within_their_cluster_period():
    for m in memberships("cluster"):
        c = org.cluster(m.unit_code)
        assert c.valid_from is not None and m.valid_from is not None
        assert c.valid_from <= m.valid_from
        assert c.valid_to is None or (m.valid_to is not None and m.valid_to <= c.valid_to)


def test_membership_basis_is_verified_or_inferred():
    rows = memberships("cluster", IN_FORCE)
    assert len(rows) == 99
    assert {m.verified for m in rows} == {True, False}
    for m in rows:
        assert m.verified == (m.basis == "verified")
        assert m.verified or m.basis.startswith("inferred")
    sonderjylland = [m for m in rows if m.unit_code == "syddanmark-sonderjylland"]
    assert all(m.verified for m in sonderjylland)
    assert memberships("cluster", date(2021, 1, 1)) == []
    assert len(memberships("region", IN_FORCE)) == 98


# --- any level -------------------------------------------------------------------------


def test_members_of_the_country_and_of_a_municipality():
    assert members("country", "DK", IN_FORCE) == municipalities()
    assert members("municipality", "0540", IN_FORCE) == [municipality("540")]


def test_units_per_level():
    assert [u.code for u in units("region", IN_FORCE)] == [r.code for r in regions(IN_FORCE)]
    assert [u.code for u in units("cluster", IN_FORCE)] == [c.slug for c in clusters()]
    assert [u.code for u in units("municipality")] == _codes(municipalities())
    (country,) = units("country")
    assert (country.level, country.code, country.name) == ("country", "DK", "Danmark")
    sonderjylland = next(u for u in units("cluster") if u.code == "syddanmark-sonderjylland")
    assert sonderjylland.name == "Sundhedsklynge Sønderjylland"
    assert (sonderjylland.valid_from, sonderjylland.valid_to) == (
        date(2022, 7, 1),
        date(2027, 1, 1),
    )


def test_a_datetime_counts_as_its_day():
    assert clusters_of("101", datetime(2026, 12, 31, 23, 59)) == clusters_of(
        "101", date(2026, 12, 31)
    )
    assert clusters(datetime(2027, 1, 1, 0, 0)) == []


def test_results_are_immutable_and_fresh():
    first = municipalities()
    first.clear()
    assert len(municipalities()) == 98
    with pytest.raises(dataclasses.FrozenInstanceError):
        municipality("540").name = "Sonderborg"  # type: ignore[misc]


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: members("kommune", "540", IN_FORCE), "kommune"),  # type: ignore[arg-type]
        (lambda: units("kommune"), "kommune"),  # type: ignore[arg-type]
        (lambda: memberships("kommune"), "kommune"),  # type: ignore[arg-type]
        (lambda: memberships("country"), "country"),
        (lambda: members("cluster", "syddanmark-nord", IN_FORCE), "syddanmark-nord"),
        (lambda: members("region", "1089", IN_FORCE), "1089"),
        (lambda: members("region", "Region Syddanmark", IN_FORCE), "Region Syddanmark"),
        (lambda: members("country", "SE", IN_FORCE), "SE"),
        (lambda: members("municipality", "411", IN_FORCE), "411"),
        (lambda: clusters_of("999", IN_FORCE), "999"),
        (lambda: clusters_of("Sønderborg", IN_FORCE), "Sønderborg"),
        (lambda: region_of("00540", IN_FORCE), "00540"),
        (lambda: municipality("54"), "54"),
        (lambda: org.cluster("nope"), "nope"),
        (lambda: region("1080"), "1080"),
    ],
)
def test_unknown_values_raise_a_value_error_naming_them(call, named):
    with pytest.raises(ValueError, match=repr(named)):
        call()


def test_a_date_is_required_where_membership_is_asked():
    with pytest.raises(TypeError):
        clusters_of("540", "2024-01-01")  # type: ignore[arg-type]


# --- structure as data -----------------------------------------------------------------


@pytest.fixture
def with_region_ostdanmark(monkeypatch):
    """The 2027 merger of Hovedstaden and Sjælland, added as data rows only."""
    real_rows = org._rows

    def rows(filename: str) -> list[dict[str, str]]:
        found = real_rows(filename)
        if filename != "region_members.csv":
            return found
        merged = []
        for row in found:
            if row["region_code"] in ("1084", "1085"):
                merged.append({**row, "valid_to": "2027-01-01"})
                merged.append(
                    {
                        **row,
                        "region_code": "1086",
                        "region_name": "Region Østdanmark",
                        "valid_from": "2027-01-01",
                    }
                )
            else:
                merged.append(row)
        return merged

    caches = (org._municipalities, org._memberships, org._regions, org._clusters)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(org, "_rows", rows)
    yield
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


def test_a_new_region_is_a_data_change_only(with_region_ostdanmark):
    assert [r.code for r in regions(date(2026, 12, 31))] == ["1081", "1082", "1083", "1084", "1085"]
    assert [r.code for r in regions(date(2027, 1, 1))] == ["1081", "1082", "1083", "1086"]
    assert region("1084").valid_to == date(2027, 1, 1)
    assert region("1086").name == "Region Østdanmark"
    assert region("1086").valid_from == date(2027, 1, 1)
    assert len(members("region", "1086", date(2027, 1, 1))) == 46
    assert members("region", "1084", date(2027, 1, 1)) == []
    home = region_of("101", date(2027, 1, 1))
    assert home is not None and home.code == "1086"
    home = region_of("101", date(2026, 12, 31))
    assert home is not None and home.code == "1084"
