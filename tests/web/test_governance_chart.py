"""The organisation chart of a region on a date (governance.md, issue 15): the fora in force
that serve the region, the fora above them, their seats by side — as structure (JSON twin),
as a picture on the page and as an SVG file (web and `tvaers org chart`). Expected values
are read off tests/web/governance_world.py by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from tests.web import governance_world as w
from tests.web.helpers import log_in, token
from tvaers.cli import app as cli_app
from tvaers.governance import loading
from tvaers.web.db import session_scope


def _local(root: ET.Element) -> ET.Element:
    """The tree with its tag names freed of the SVG namespace (a file has one, a page not)."""
    for node in root.iter():
        node.tag = node.tag.rpartition("}")[2]
    return root


# A national forum above KKR: it serves the country, so it is shown above the region's
# own fora but marked as not the region's.
NATIONAL = {
    "id": "national",
    "name": "NATIONAL",
    "kind": "other",
    "unit": "country:DK",
    "parent": None,
    "valid_from": w.START,
    "valid_to": None,
}

# (id, parent, depth) in reading order: roots by name, each forum before its children.
EXPECTED = [
    ("national", None, 0),
    ("kkr", "national", 1),
    ("sdf", None, 0),
    ("fu", "sdf", 1),
    ("ssu", None, 0),
    ("admin", "ssu", 1),
    ("pc-fyn", "ssu", 1),
    ("ac-fyn", "pc-fyn", 2),
    ("pc-lillebaelt", "ssu", 1),
    ("ac-lillebaelt", "pc-lillebaelt", 2),
    ("pc-sonderjylland", "ssu", 1),
    ("ac-sonderjylland", "pc-sonderjylland", 2),
    ("pc-sydvestjylland", "ssu", 1),
    ("ac-sydvestjylland", "pc-sydvestjylland", 2),
]


def _world(sessions, tmp_path) -> None:
    data = w.world()
    data["fora"].append(NATIONAL)
    next(f for f in data["fora"] if f["id"] == "kkr")["parent"] = "national"
    with session_scope(sessions) as db:
        loading.load(db, str(w.write(data, tmp_path / "r.yaml")), "test")


def _forum_groups(svg_text: str) -> dict[str, ET.Element]:
    root = _local(ET.fromstring(svg_text))
    return {g.get("id"): g for g in root.iter("g") if (g.get("id") or "").startswith("forum-")}


def test_the_chart_names_every_forum_in_force_and_its_parent(client, accounts, sessions, tmp_path):
    _world(sessions, tmp_path)
    accounts.add("vera", "viewer")
    log_in(client, "vera")
    data = client.get("/organisation/chart.json?region=1083&on=2024-01-01").json()
    assert data["region_name"] == "Region Syddanmark"
    assert [(f["id"], f["parent"], f["depth"]) for f in data["fora"]] == EXPECTED
    by_id = {f["id"]: f for f in data["fora"]}
    # SSU: the regional council chair and five mayors; KKR: the 22 mayors; the
    # administrative forum: two co-chairs, one of each side.
    assert by_id["ssu"]["seats"] == {"region": 1, "municipality": 5}
    assert by_id["kkr"]["seats"] == {"municipality": 22}
    assert by_id["admin"]["seats"] == {"region": 1, "municipality": 1}
    assert by_id["fu"]["seats"] == {"municipality": 6}
    assert by_id["national"]["seats"] == {} and not by_id["national"]["in_region"]
    assert by_id["kkr"]["in_region"] and by_id["fu"]["parent_name"] == "SDF"

    page = client.get("/organisation/chart?region=1083&on=2024-01-01")
    assert page.status_code == 200
    svg_text = page.text[page.text.index("<svg") : page.text.index("</svg>") + 6]
    groups = _forum_groups(svg_text)
    assert set(groups) == {f"forum-{fid}" for fid, _, _ in EXPECTED}
    for fid, _, _ in EXPECTED:
        texts = [t.text for t in groups[f"forum-{fid}"].iter("text")]
        assert texts[0] == fid.upper(), texts
    root = _local(ET.fromstring(svg_text))
    assert root.get("role") == "img"
    assert root.find("title").text == "Organisationsdiagram for Region Syddanmark den 2024-01-01"
    desc = root.find("desc").text
    for fid, parent, _ in EXPECTED:
        assert (f"{fid.upper()} under {parent.upper()}:" if parent else f"; {fid.upper()}:") in (
            "; " + desc
        )
    # One connector from each forum that has a parent in the chart.
    assert len(list(root.iter("path"))) == sum(1 for _, p, _ in EXPECTED if p)
    assert "SSU: region 1 · kommune 5" in desc

    download = client.get("/organisation/chart.svg?region=1083&on=2024-01-01")
    assert download.headers["content-type"].startswith("image/svg+xml")
    assert "attachment" in download.headers["content-disposition"]
    assert download.text.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'
    )
    assert set(_forum_groups(download.text.split("\n", 1)[1])) == set(groups)


def test_the_chart_follows_the_date_region_and_language(client, accounts, sessions, tmp_path):
    _world(sessions, tmp_path)
    accounts.add("vera", "viewer")
    log_in(client, "vera")
    # The clusters, SSU and their fora end on 1 January 2027; only the national one is left,
    # and it serves no region on its own.
    after = client.get("/organisation/chart.json?region=1083&on=2027-01-01").json()
    assert after["fora"] == []
    assert [r["code"] for r in after["regions"]] == ["1081", "1082", "1083", "1086"]
    assert client.get("/organisation/chart.json?region=1082&on=2024-01-01").json()["fora"] == []
    # Without a region: the one with the most fora.
    assert client.get("/organisation/chart.json?on=2024-01-01").json()["region"] == "1083"
    bad = client.get("/organisation/chart.json?region=9999")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "region"]
    client.post("/language", data={"lang": "en", "csrf_token": token(client)})
    english = client.get("/organisation/chart?region=1083&on=2024-01-01").text
    assert "Organisation chart of Region Syddanmark on 2024-01-01" in english
    assert "SSU: region 1 · municipality 5" in english


def test_org_chart_writes_the_svg(app_db_url, sessions, tmp_path):
    _world(sessions, tmp_path)
    out = tmp_path / "chart.svg"
    runner = CliRunner()
    argv = ["org", "chart", "--region", "1083", "--on", "2024-01-01", "--out", str(out)]
    done = runner.invoke(cli_app, [*argv, "--app-db", app_db_url])
    assert done.exit_code == 0, done.output
    assert "14 fora" in done.output
    assert set(_forum_groups(out.read_text(encoding="utf-8").split("\n", 1)[1])) == {
        f"forum-{fid}" for fid, _, _ in EXPECTED
    }
    bad = runner.invoke(cli_app, ["org", "chart", "--region", "x", "--out", str(out)])
    assert bad.exit_code == 2 and "'x'" in bad.output
