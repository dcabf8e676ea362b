"""A complete, rule-abiding registry of Region Syddanmark's fora in 2024, built by hand for
the governance tests (people are invented: "Borgmester Odense", …).

The composition follows seed 004: 22 mayors in KKR; SSU with five municipal seats (the four
cluster co-chairs — the mayors of Odense, Kolding, Aabenraa and Esbjerg — and the mayor of
Sønderborg), the vice-chair the mayor of Odense; Sundhedsdirektørforum with the 22 health
directors, chaired by Kolding's; its FU with the health directors of the five SSU
municipalities and one municipal director (Odense's); the administrative forum co-chaired by
Odense's health director. Tests change one thing and expect one rule to break.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

# The 22 municipalities of Region Syddanmark and its four clusters (reference data, 2024).
CLUSTERS = {
    "syddanmark-fyn": ["420", "430", "440", "450", "461", "479", "480", "482", "492"],
    "syddanmark-lillebaelt": ["410", "607", "621", "630"],
    "syddanmark-sonderjylland": ["510", "540", "550", "580"],
    "syddanmark-sydvestjylland": ["530", "561", "563", "573", "575"],
}
MUNICIPALITIES = sorted((c for cs in CLUSTERS.values() for c in cs), key=int)
CO_CHAIRS = {
    "syddanmark-fyn": "461",
    "syddanmark-lillebaelt": "621",
    "syddanmark-sonderjylland": "580",
    "syddanmark-sydvestjylland": "561",
}
SSU_MUNICIPALITIES = ["461", "621", "580", "561", "540"]
START = "2022-07-01"
END = "2027-01-01"
ON = "2024-01-01"


def mayor(code: str) -> str:
    return f"mayor-{code}"


def director(code: str) -> str:
    return f"hd-{code}"


def _forum(fid: str, kind: str, unit: str, parent: str | None = None) -> dict[str, Any]:
    return {
        "id": fid,
        "name": fid.upper(),
        "kind": kind,
        "unit": unit,
        "parent": parent,
        "valid_from": START,
        "valid_to": END,
    }


def _seat(forum: str, person: str, side: str = "municipality", role: str = "member") -> dict:
    return {
        "forum": forum,
        "person": person,
        "side": side,
        "role": role,
        "valid_from": START,
        "valid_to": END,
    }


def world() -> dict[str, Any]:
    people = []
    for code in MUNICIPALITIES:
        for pid, office in ((mayor(code), "mayor"), (director(code), "health_director")):
            people.append(
                {
                    "id": pid,
                    "name": f"{office} {code}",
                    "offices": [
                        {
                            "office": office,
                            "unit": f"municipality:{code}",
                            "valid_from": "2022-01-01",
                            "valid_to": None,
                        }
                    ],
                }
            )
    people.append(
        {
            "id": "md-461",
            "name": "Kommunaldirektør Odense",
            "offices": [
                {
                    "office": "municipal_director",
                    "unit": "municipality:461",
                    "valid_from": "2020-01-01",
                }
            ],
        }
    )
    people.append(
        {
            "id": "rr-chair",
            "name": "Regionsrådsformand",
            "offices": [
                {
                    "office": "regional_council_chair",
                    "unit": "region:1083",
                    "valid_from": "2022-01-01",
                }
            ],
        }
    )
    fora = [
        _forum("kkr", "kkr", "region:1083"),
        _forum("ssu", "ssu", "region:1083"),
        _forum("sdf", "health_directors_forum", "region:1083"),
        _forum("fu", "executive_committee", "region:1083", parent="sdf"),
        _forum("admin", "regional_admin_forum", "region:1083", parent="ssu"),
    ]
    seats = [_seat("kkr", mayor(c)) for c in MUNICIPALITIES]
    seats += [
        _seat("sdf", director(c), role="chair" if c == "621" else "member") for c in MUNICIPALITIES
    ]
    seats += [_seat("ssu", "rr-chair", side="region", role="chair")]
    seats += [
        _seat("ssu", mayor(c), role="vice_chair" if c == "461" else "member")
        for c in SSU_MUNICIPALITIES
    ]
    seats += [_seat("fu", director(c)) for c in SSU_MUNICIPALITIES] + [_seat("fu", "md-461")]
    seats += [
        _seat("admin", director("461"), role="co_chair"),
        _seat("admin", "rr-chair", side="region", role="co_chair"),
    ]
    for slug, members in CLUSTERS.items():
        short = slug.removeprefix("syddanmark-")
        fora.append(_forum(f"pc-{short}", "political_cluster", f"cluster:{slug}", parent="ssu"))
        fora.append(
            _forum(f"ac-{short}", "administrative_cluster", f"cluster:{slug}", parent=f"pc-{short}")
        )
        seats += [
            _seat(f"pc-{short}", mayor(c), role="co_chair" if c == CO_CHAIRS[slug] else "member")
            for c in members
        ]
        seats += [_seat(f"ac-{short}", director(c)) for c in members]
    return {"fora": fora, "people": people, "seats": seats}


def without_seat(data: dict[str, Any], forum: str, person: str) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    before = len(changed["seats"])
    changed["seats"] = [s for s in changed["seats"] if (s["forum"], s["person"]) != (forum, person)]
    assert len(changed["seats"]) == before - 1, (forum, person)
    return changed


def with_role(
    data: dict[str, Any], forum: str, person: str, role: str, side: str | None = None
) -> dict:
    changed = copy.deepcopy(data)
    (seat,) = [s for s in changed["seats"] if (s["forum"], s["person"]) == (forum, person)]
    seat["role"] = role
    if side:
        seat["side"] = side
    return changed


def write(data: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
