"""Out-of-range and malformed dates answer 422 with the documented body, everywhere; the
OpenAPI description states the statuses and bodies the routes really answer."""

from __future__ import annotations

import pytest

from tests.web.helpers import concrete, log_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

BAD_DAYS = [
    "9999-12-31",  # the day after it does not exist: was a 500 in the audit log
    "3000-01-01",
    "1899-12-31",
    "0001-01-01",
    "2026-02-30",
    "2024-1-1",
    "0",  # numbers were taken as seconds since 1970
    "1700000000",
    "-1.5e-10",
    "2024-01-01T00:00:00",
    "today",
]
# Every date parameter of the application: (path, parameter).
DAY_PARAMETERS = [
    ("/organisation.json", "on"),
    ("/admin/audit.json", "since"),
    ("/admin/audit.json", "until"),
    ("/admin/audit.csv", "since"),
    ("/admin/audit.csv", "until"),
]


@pytest.fixture
def admin(client, accounts):
    accounts.add("adm", "admin", ("country", "DK"))
    assert log_in(client, "adm").status_code == 303
    return client


@pytest.mark.parametrize(("path", "name"), DAY_PARAMETERS)
@pytest.mark.parametrize("value", BAD_DAYS)
def test_a_bad_day_is_a_422_naming_the_parameter(admin, path, name, value):
    response = admin.get(path, params={name: value}, headers={"Accept": "application/json"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status"] == 422
    [error] = body["detail"]
    assert error["loc"] == ["query", name]
    assert error["type"] == "day"
    assert "1900-01-01" in error["msg"] and "2999-12-31" in error["msg"]
    assert "ÅÅÅÅ-MM-DD" in error["msg"]  # in Danish, the default language


def test_the_page_explains_the_bad_day_in_danish(admin):
    page = admin.get("/admin/audit?until=9999-12-31")
    assert page.status_code == 422
    assert "Ugyldige værdier" in page.text
    assert "until: ikke en dag skrevet ÅÅÅÅ-MM-DD fra 1900-01-01 til 2999-12-31" in page.text


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31", "2024-02-29"])
def test_the_days_of_the_range_are_accepted(admin, day):
    assert admin.get("/organisation.json", params={"on": day}).json()["on"] == day
    chosen = admin.get("/admin/audit.json", params={"since": day, "until": day})
    assert chosen.status_code == 200
    assert chosen.json()["filters"] == {"since": day, "until": day}


def test_an_empty_form_field_means_no_date(admin):
    assert admin.get("/admin/audit.json?since=&until=").json()["filters"] == {}
    assert admin.get("/organisation.json?on=").status_code == 422  # not a form field


def test_every_date_parameter_is_typed_as_a_day(app):
    found = set()
    for path, operations in app.openapi()["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                options = schema.get("anyOf", [schema])
                if any(o.get("format") == "date" for o in options):
                    day = next(o for o in options if o.get("format") == "date")
                    assert day["type"] == "string" and day["pattern"].startswith("^(19")
                    found.add((path, parameter["name"]))
    assert set(DAY_PARAMETERS) <= found
    assert {name for _, name in found} == {"on", "since", "until"}


def test_the_documented_422_body_is_the_one_answered(admin, app):
    spec = app.openapi()
    documented = spec["paths"]["/organisation.json"]["get"]["responses"]["422"]
    ref = documented["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][ref]
    body = admin.get("/organisation.json?on=0").json()
    assert set(schema["required"]) == set(body) == {"status", "detail"}
    field = spec["components"]["schemas"]["FieldErrorRead"]
    assert set(field["required"]) == set(body["detail"][0]) == {"loc", "msg", "type"}


def test_the_login_form_is_documented_as_what_it_answers(app, client, accounts):
    post = app.openapi()["paths"]["/login"]["post"]["responses"]
    assert "307" not in post
    assert {"303", "401", "403", "422", "429"} <= set(post)
    accounts.add("anna", "viewer")
    assert log_in(client, "anna").status_code == 303


def test_refusals_are_documented_where_they_occur(app):
    paths = app.openapi()["paths"]

    def codes(path: str, method: str = "get") -> set[str]:
        return set(paths[path][method]["responses"])

    assert {"401", "403"} <= codes("/admin/audit.json")
    assert {"303", "401", "403"} <= codes("/admin/audit")
    assert {"401", "403", "404"} <= codes("/suppressed.json")
    assert {"401", "404"} <= codes("/indicators/{indicator_id}.json")
    assert {"401", "404"} <= codes("/download.csv")
    assert "403" in codes("/logout", "post")


def test_a_wrong_method_is_told_every_method_the_path_answers(client, app):
    paths = app.openapi()["paths"]
    for path, operations in paths.items():
        documented = {m.upper() for m in operations}
        for method in {"PUT", "DELETE", "PATCH", "OPTIONS"} - documented:
            response = client.request(method, concrete(path))
            assert response.status_code == 405, (method, path)
            allowed = set(response.headers["allow"].split(", "))
            # HEAD comes with GET (Starlette answers it); the rest is what is documented.
            assert allowed - {"HEAD"} == documented, (method, path, allowed)
