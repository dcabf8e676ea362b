"""No unsuppressed value leaves the server outside the user's scope: every route × role ×
scope, in HTML, JSON and downloads (CSV and Excel).

The proof uses sentinels. In a copy of the result file every suppressed cell of a unit gets
a numerator and values no real cell has (8,317,0xx and 9,317,0xx.25, different for each
unit). The walk then searches every response for each unit's sentinel digits in any spelling
(8317007, 8.317.007, 8,317,007 …). A unit's sentinel may appear only for a user whose scope covers
it; that it does appear for those users shows the search would find a leak. Every access to
unsuppressed data must also be in the audit log, and only for units in scope: each response
that shows a unit's sentinel must have left an entry for that unit and user, committed by
the time the response arrived (the page waits for its group commit, see audit_writer.py).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date

import duckdb
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.web.helpers import concrete, log_in
from tests.web.walk_world import load_walk_data
from tvaers.indicators.results import results_path
from tvaers.reference import org
from tvaers.web import audit
from tvaers.web.app import create_app
from tvaers.web.models import AuditEntry

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

STRUCTURE_DATE = date(2025, 1, 1)  # the fixture's extraction date: every level's structure date
SV = "syddanmark-sydvestjylland"
SAMPLE_UNITS = [
    ("municipality", "561"),  # Esbjerg, in Sydvestjylland
    ("municipality", "410"),  # Middelfart, in Fyn
    ("cluster", SV),
    ("cluster", "syddanmark-fyn"),
    ("region", "1083"),
    ("country", "DK"),
]


def members(level: str, code: str) -> set[tuple[str, str]]:
    return {("municipality", m.code) for m in org.members(level, code, STRUCTURE_DATE)}


def with_bilaterals(units: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The units plus the bilateral collaborations of their municipalities (a bilateral
    collaboration is one municipality: a scope covering it covers the collaboration)."""
    return units | {
        ("bilateral", g.code)
        for g in org.groupings("bilateral", STRUCTURE_DATE)
        if members("bilateral", g.code) <= units
    }


def region_units() -> set[tuple[str, str]]:
    clusters = {
        ("cluster", c.slug) for c in org.clusters(STRUCTURE_DATE) if c.region_code == "1083"
    }
    return with_bilaterals(members("region", "1083") | clusters | {("region", "1083")})


# user name -> (role, scopes, the units whose suppressed cells the user may see), the last
# written out from the organisation data rather than from the code under test.
USERS = {
    "viewer_region": ("viewer", [("region", "1083")], set()),
    "viewer_country": ("viewer", [("country", "DK")], set()),
    "analyst_none": ("analyst", [], set()),
    "analyst_esbjerg": ("analyst", [("municipality", "561")], {("municipality", "561")}),
    "analyst_cluster": (
        "analyst",
        [("cluster", SV)],
        with_bilaterals(members("cluster", SV) | {("cluster", SV)}),
    ),
    # A region scope does not cover the country, which has members elsewhere.
    "analyst_region": ("analyst", [("region", "1083")], region_units()),
    "admin_middelfart": (
        "admin",
        [("municipality", "410")],
        with_bilaterals({("municipality", "410")}),
    ),
}


@pytest.fixture(scope="module")
def sentinel_results(results_source, tmp_path_factory):
    """The result file with every suppressed cell replaced by its unit's sentinels."""
    path = tmp_path_factory.mktemp("sentinels") / "results.duckdb"
    shutil.copyfile(results_path(results_source), path)
    con = duckdb.connect(str(path))
    units = con.execute("SELECT DISTINCT level, unit_code FROM results ORDER BY 1, 2").fetchall()
    sentinels = {}
    for i, (level, code) in enumerate(units):
        sentinels[(level, code)] = (8_317_000 + i, 9_317_000 + i + 0.25)
    con.execute("CREATE TEMP TABLE s (level VARCHAR, unit_code VARCHAR, n DOUBLE, v DOUBLE)")
    con.executemany(
        "INSERT INTO s VALUES (?, ?, ?, ?)", [(*k, n, v) for k, (n, v) in sentinels.items()]
    )
    std = "CASE WHEN {c} IS NULL THEN NULL ELSE s.v END"
    con.execute(
        f"""UPDATE results SET numerator = s.n, value = s.v, ci_low = s.v, ci_high = s.v,
            std_value = {std.format(c="std_value")}, std_ci_low = {std.format(c="std_ci_low")},
            std_ci_high = {std.format(c="std_ci_high")}
            FROM s WHERE results.suppressed AND results.level = s.level
            AND results.unit_code = s.unit_code"""
    )
    suppressed = con.execute(
        "SELECT DISTINCT level, unit_code FROM results WHERE suppressed"
    ).fetchall()
    con.close()
    return path, {k: sentinels[k] for k in suppressed}


# Any unit's sentinel in any spelling; the last two digits name the unit. The last group
# starts with 0, which no number in a CSV row does, so adjacent fields cannot look like one.
SENTINEL = re.compile(r"(?<![0-9])[89][.,]?317[.,]?0([0-9]{2})(?![0-9])")


def leaked_units(text: str, by_index: dict[int, tuple[str, str]]) -> set[tuple[str, str]]:
    return {by_index[int(m.group(1))] for m in SENTINEL.finditer(text)}


def urls() -> list[str]:
    """Every published GET route, with the choices that change what a page shows."""
    indicators = [
        "acute_admissions_per_1000_copd",
        "chronic_contacts_by_sector",
        "chronic_prevalence",
        "population",
        "preventable_admissions_65plus",
        "readmissions_30d_somatic",
        "ready_for_discharge_days_per_1000",
        "repeated_acute_admissions_65plus",
        "residents_80plus_per_1000",
    ]
    out = ["/", "/index.json", "/indicators", "/indicators.json", "/organisation"]
    out += ["/organisation.json?on=2020-01-01"]
    out += ["/organisation/fora", "/organisation/fora.json?on=2024-01-01"]
    out += ["/organisation/chart", "/organisation/chart.json?on=2024-01-01"]
    out += ["/organisation/chart.svg?region=1083"]
    out += ["/transfers", "/transfers.json?unit=municipality:561"]
    out += ["/transfers/1", "/transfers/1.json", "/transfers/1/print", "/transfers/1/print.json"]
    for level, code in SAMPLE_UNITS:
        out += [f"/?unit={level}:{code}", f"/index.json?unit={level}:{code}"]
        out += [f"/units/{level}/{code}", f"/units/{level}/{code}.json"]
    for indicator in indicators:
        out += [f"/indicators/{indicator}", f"/indicators/{indicator}.json"]
        out += [f"/suppressed?indicator={indicator}", f"/suppressed.json?indicator={indicator}"]
    base = "/indicators/preventable_admissions_65plus"
    for level in ("municipality", "cluster", "region", "country"):
        for kind in ("year", "quarter", "month"):
            out.append(f"{base}.json?level={level}&period_type={kind}")
        out.append(f"{base}?level={level}&period_type=quarter&period=2023-Q2&stratum=fracture")
    for level, code in SAMPLE_UNITS:
        out.append(f"{base}?unit={level}:{code}&area=region:1083&measure=value")
        out.append(
            f"/indicators/readmissions_30d_somatic.json?unit={level}:{code}&period_type=month"
        )
    # The member tables of a region and the country (every municipality, sorted).
    for indicator in ("preventable_admissions_65plus", "readmissions_30d_somatic"):
        for sort in ("value", "verdict"):
            out.append(f"/units/region/1083.json?indicator={indicator}&sort={sort}&desc=true")
            out.append(f"/units/country/DK?indicator={indicator}&sort={sort}")
    out += ["/hjaelp", "/hjaelp.json", "/hjaelp/dashboards", "/hjaelp/spc.json"]
    out += ["/hjaelp/bilag/spc-run-chart.svg", "/hjaelp/bilag/images/overview-laptop.png"]
    out += [
        "/download.csv",
        "/download.xlsx?level=municipality&period=year",
        "/download.xlsx?level=country&level=region&level=cluster&period=2024",
        "/download.csv?unit=municipality:561&unit=cluster:" + SV + "&stratum=total",
        "/download.csv?period=2023&confidential=true",
        "/admin/audit",
        "/admin/audit.json",
        "/admin/audit.csv",
    ]
    # The agreement pages compute target status from the same cells (walk_world.LEAK_AGREEMENT).
    out += ["/agreements", "/agreements.json", "/agreements/leak", "/agreements/leak.json"]
    for target in ("t-level", "t-esbjerg"):
        for unit in ("municipality:561", "municipality:410"):
            out.append(f"/agreements/leak/targets/{target}?unit={unit}")
            out.append(f"/agreements/leak/targets/{target}.json?unit={unit}")
    out += ["/agreements/leak/initiatives/i1", "/agreements/leak/initiatives/i1.json"]
    out += ["/agreements/leak/export.yaml", "/agreements/rounds/leak-round"]
    out += ["/agreements/rounds/leak-round.json", "/agreements/rounds/leak-round/export.md"]
    # Kept data packs (none is made in the walk: a pack is made by a POST and tested in
    # tests/web/test_report_packs_web.py, its download refused outside the user's access).
    out += ["/reports/packs", "/reports/packs.json", "/reports/packs/1/download"]
    # The transitions pages read the same published cells (and the weekly counts).
    out += ["/transitions", "/transitions.json"]
    for level, code in SAMPLE_UNITS:
        out += [f"/transitions/{level}/{code}", f"/transitions/{level}/{code}.json"]
    return out


def body_text(response) -> str:
    if response.headers.get("content-type", "").startswith("application/vnd.openxml"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return "\n".join(
                book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")
            )
    return response.text


def route_pattern(path: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("^" + "".join("[^/]+" if p[:1] == "{" else re.escape(p) for p in parts) + "$")


def last_entry(sessions) -> int:
    with sessions() as db:
        return db.scalar(select(func.max(AuditEntry.id))) or 0


def audited_since(sessions, after: int, actor: str) -> set[tuple[str, str]]:
    """The units of the revealing entries ``actor`` got after entry ``after``."""
    with sessions() as db:
        return {
            unit
            for e in db.scalars(select(AuditEntry).where(AuditEntry.id > after))
            if e.actor == actor and e.action.startswith("unsuppressed_")
            for unit in audit.units_seen(e)
        }


def test_the_walk_covers_every_published_get_route(app):
    visited = {u.split("?")[0] for u in urls()}
    for path, ops in app.openapi()["paths"].items():
        if "get" not in ops or path.startswith("/login"):
            continue
        pattern = route_pattern(path)
        assert any(pattern.match(v) for v in visited), f"the walk misses {path}"
    assert concrete("/indicators/{indicator_id}") in visited


def test_no_unsuppressed_value_leaks_outside_scope(
    settings, engine, sessions, accounts, sentinel_results, tmp_path
):
    path, sentinels = sentinel_results
    load_walk_data(sessions, tmp_path)
    shutil.copyfile(path, results_path(settings.warehouse))
    by_index = {int(n) % 1000: unit for unit, (n, _) in sentinels.items()}
    for name, (role, scopes, _) in USERS.items():
        accounts.add(name, role, *scopes)
    app = create_app(settings)
    seen_in_scope: dict[str, set] = {}
    with TestClient(app) as client:
        for name, (role, _, allowed) in USERS.items():
            client.cookies.clear()
            assert log_in(client, name).status_code == 303
            seen = set()
            for url in urls():
                before = last_entry(sessions)
                response = client.get(url)
                refusable = ("/admin", "/suppressed", "/reports/packs/1/download")
                expected = (200, 403) if url.startswith(refusable) else (200,)
                assert response.status_code in expected, (name, url, response.status_code)
                if url.startswith("/suppressed") and role == "viewer":
                    assert response.status_code == 403, (name, url)
                found = leaked_units(body_text(response), by_index)
                assert found <= allowed, f"{name} saw {found - allowed} unsuppressed at {url}"
                # Each unit revealed is in an entry, committed before the response arrived.
                logged = audited_since(sessions, before, name)
                assert found <= logged, f"{name} saw {found - logged} unaudited at {url}"
                seen |= found
            seen_in_scope[name] = seen
    # The search works: users with a scope saw their own units' hidden values.
    for name, (_, _, allowed) in USERS.items():
        assert seen_in_scope[name] == (allowed & set(sentinels)), name
    assert seen_in_scope["analyst_region"], "the sentinels were never found"

    # Every revealing access is in the audit log, for units in scope only.
    with sessions() as db:
        entries = list(audit.all_entries(db))
    revealing = [e for e in entries if e.action.startswith("unsuppressed_")]
    assert revealing
    for entry in revealing:
        _, _, allowed = USERS[entry.actor]
        assert audit.units_seen(entry) <= allowed, entry
    actors = {e.actor for e in revealing}
    assert actors == {n for n, (_, _, allowed) in USERS.items() if allowed}
    assert {e.action for e in revealing} == {"unsuppressed_viewed", "unsuppressed_downloaded"}
