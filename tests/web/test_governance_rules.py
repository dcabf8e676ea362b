"""The rules of Region Syddanmark 2022-2026 (governance.md): each holds on a registry that
follows them, and breaks — alone, with the unit named — when one thing is changed."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from tests.web import governance_world as w
from tvaers.governance import loading, rules

ON = date(2024, 1, 1)
IDS = {
    "kkr-mayors",
    "ssu-municipal-seats",
    "ssu-municipal-vice-chair",
    "cluster-mayors",
    "cluster-municipal-cochair",
    "cluster-cochair-in-ssu",
    "sdf-directors",
    "fu-composition",
    "fu-chair",
    "admin-forum-cochair",
    "admin-cluster-directors",
}


def _check(db, tmp_path, data, on=ON):
    loading.load(db, str(w.write(data, tmp_path / "registry.yaml")), "test")
    db.flush()
    return rules.check(db, on)


def test_the_shipped_rule_set_has_the_specs_eleven_ids():
    (syd,) = rules.shipped_rules()
    assert syd.region == "1083"
    assert {r.id for r in syd.rules} == IDS
    assert syd.in_force(date(2022, 7, 1)) and syd.in_force(date(2026, 12, 31))
    assert not syd.in_force(date(2027, 1, 1))


def test_every_rule_holds_on_a_registry_that_follows_them(db, tmp_path):
    assert _check(db, tmp_path, w.world()) == []


def test_nothing_is_checked_after_the_rule_set_ends(db, tmp_path):
    data = w.without_seat(w.world(), "kkr", w.mayor("510"))
    for f in data["fora"]:
        f["valid_to"] = None  # the fora go on, the rules of 2022-2026 do not
    assert _check(db, tmp_path, data, on=date(2027, 3, 1)) == []


def _ssu_vice_chair_on_region_side():
    return w.with_role(w.world(), "ssu", "rr-chair", "vice_chair")


def _two_cochairs_fyn():
    return w.with_role(w.world(), "pc-fyn", w.mayor("461"), "member")


def _tonder_cochair():
    data = w.with_role(w.world(), "pc-sonderjylland", w.mayor("580"), "member")
    return w.with_role(data, "pc-sonderjylland", w.mayor("550"), "co_chair")


def _sdf_chair_not_in_fu():
    data = w.with_role(w.world(), "sdf", w.director("621"), "member")
    return w.with_role(data, "sdf", w.director("607"), "chair")


def _fu_extra_director():
    data = w.world()
    data["seats"].append(
        {
            "forum": "fu",
            "person": w.director("510"),
            "side": "municipality",
            "role": "member",
            "valid_from": w.START,
            "valid_to": w.END,
        }
    )
    return data


def _admin_cochair_from_kolding():
    data = w.without_seat(w.world(), "admin", w.director("461"))
    data["seats"].append(
        {
            "forum": "admin",
            "person": w.director("621"),
            "side": "municipality",
            "role": "co_chair",
            "valid_from": w.START,
            "valid_to": w.END,
        }
    )
    return data


# (change, the rules it breaks, the forum, the units named) — worked out from the
# composition in governance_world, not from the code.
BROKEN = {
    "kkr-mayors": (
        lambda: w.without_seat(w.world(), "kkr", w.mayor("510")),
        {"kkr-mayors"},
        "kkr",
        {"municipality:510"},
    ),
    "ssu-municipal-seats": (
        lambda: w.without_seat(w.world(), "ssu", w.mayor("540")),
        # Sønderborg's director then sits in the FU without an SSU seat
        {"ssu-municipal-seats", "fu-composition"},
        None,
        {"region:1083", "municipality:540"},
    ),
    "ssu-municipal-vice-chair": (
        _ssu_vice_chair_on_region_side,
        {"ssu-municipal-vice-chair"},
        "ssu",
        {"region:1083"},
    ),
    "cluster-mayors": (
        lambda: w.without_seat(w.world(), "pc-fyn", w.mayor("492")),
        {"cluster-mayors"},
        "pc-fyn",
        {"municipality:492"},
    ),
    "cluster-municipal-cochair": (
        _two_cochairs_fyn,
        {"cluster-municipal-cochair"},
        "pc-fyn",
        {"cluster:syddanmark-fyn"},
    ),
    "cluster-cochair-in-ssu": (
        _tonder_cochair,
        {"cluster-cochair-in-ssu"},
        "pc-sonderjylland",
        {"cluster:syddanmark-sonderjylland"},
    ),
    "sdf-directors": (
        lambda: w.without_seat(w.world(), "sdf", w.director("607")),
        {"sdf-directors"},
        "sdf",
        {"municipality:607"},
    ),
    "fu-composition": (_fu_extra_director, {"fu-composition"}, "fu", {"municipality:510"}),
    "fu-chair": (_sdf_chair_not_in_fu, {"fu-chair"}, "sdf", {"region:1083"}),
    "admin-forum-cochair": (
        _admin_cochair_from_kolding,
        {"admin-forum-cochair"},
        "admin",
        {"region:1083"},
    ),
    "admin-cluster-directors": (
        lambda: w.without_seat(w.world(), "ac-sydvestjylland", w.director("575")),
        {"admin-cluster-directors"},
        "ac-sydvestjylland",
        {"municipality:575"},
    ),
}


def test_every_rule_id_has_a_breaking_case():
    assert set(BROKEN) == IDS


@pytest.mark.parametrize("rule_id", sorted(BROKEN))
def test_a_rule_broken(db, tmp_path, rule_id):
    change, expected_rules, forum, units = BROKEN[rule_id]
    found = _check(db, tmp_path, change())
    assert {f.rule for f in found} == expected_rules
    assert {f.unit for f in found} == units
    mine = [f for f in found if f.rule == rule_id]
    assert mine and all(f.message for f in mine)
    if forum is not None:
        assert {f.forum for f in mine} == {forum}


def test_the_missing_municipal_director_is_counted(db, tmp_path):
    found = _check(db, tmp_path, w.without_seat(w.world(), "fu", "md-461"))
    assert [(f.rule, f.forum, f.unit) for f in found] == [("fu-composition", "fu", "region:1083")]
    assert "kommunaldirektør" in found[0].message and "præcis 1" in found[0].message


def test_a_rule_speaks_of_the_offices_held_on_the_date(db, tmp_path):
    # Haderslev's mayor leaves office on 2025-01-01 and a new one comes; the KKR seat is not
    # changed: before that day the rule holds, after it the new mayor has no seat.
    data = copy.deepcopy(w.world())
    (old,) = [p for p in data["people"] if p["id"] == w.mayor("510")]
    old["offices"][0]["valid_to"] = "2025-01-01"
    data["people"].append(
        {
            "id": "mayor-510-new",
            "name": "Ny borgmester Haderslev",
            "offices": [
                {"office": "mayor", "unit": "municipality:510", "valid_from": "2025-01-01"}
            ],
        }
    )
    assert _check(db, tmp_path, data) == []
    later = rules.check(db, date(2025, 6, 1))
    assert {(f.rule, f.unit) for f in later} == {
        ("kkr-mayors", "municipality:510"),
        ("cluster-mayors", "municipality:510"),
    }
    assert all("Ny borgmester Haderslev" in f.message for f in later)


def test_a_rule_file_for_another_region_needs_no_code(db, tmp_path):
    text = """
region: "1081"
name: Nordjylland (test)
valid_from: 2022-01-01
rules:
  - {id: kkr-nord, kind: seat_per_member, text: every mayor in KKR, forum_kind: kkr, office: mayor}
"""
    path = tmp_path / "nord.yaml"
    path.write_text(text, encoding="utf-8")
    nord = rules.load_rules(path)
    data = {
        "fora": [
            {
                "id": "kkr-nord",
                "name": "KKR Nordjylland",
                "kind": "kkr",
                "unit": "region:1081",
                "valid_from": "2022-01-01",
            }
        ],
        "people": [
            {
                "id": "m851",
                "name": "Borgmester Aalborg",
                "offices": [
                    {"office": "mayor", "unit": "municipality:851", "valid_from": "2022-01-01"}
                ],
            }
        ],
        "seats": [
            {
                "forum": "kkr-nord",
                "person": "m851",
                "side": "municipality",
                "role": "member",
                "valid_from": "2022-01-01",
            }
        ],
    }
    loading.load(db, str(w.write(data, tmp_path / "r.yaml")), "test")
    found = rules.check(db, ON, [nord])
    assert len(found) == 11 - 1  # Nordjylland has 11 municipalities; Aalborg's mayor sits
    assert "municipality:851" not in {f.unit for f in found}
    assert {f.rule for f in found} == {"kkr-nord"}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            "region: '1083'\nname: x\nvalid_from: 2022-01-01\nrules:\n  - {id: a, kind: nope, text: t, forum_kind: kkr}\n",
            "rules[1] (a)",
        ),
        (
            "region: '1083'\nname: x\nvalid_from: 2022-01-01\nrules:\n  - {id: a, kind: seat_count, text: t, forum_kind: ssu, side: municipality}\n",
            "count",
        ),
        ("region: '1099'\nname: x\nvalid_from: 2022-01-01\nrules: []\n", "'1099'"),
        (
            "region: '1083'\nname: x\nvalid_from: 2022-01-01\nrules:\n  - {id: a, kind: seat_per_member, text: t, forum_kind: kkr, office: mayor}\n  - {id: a, kind: seat_per_member, text: t, forum_kind: kkr, office: mayor}\n",
            "a",
        ),
        ("rules: [", "YAML"),
    ],
)
def test_a_bad_rule_file_is_named(tmp_path, text, named):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rules.RulesInvalid) as caught:
        rules.load_rules(path)
    assert str(path) in str(caught.value)
    assert named in str(caught.value) or "kan ikke læses" in str(caught.value)
