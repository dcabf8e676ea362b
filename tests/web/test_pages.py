"""The pages: home, JSON twins, the OpenAPI description, accessible markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.web.helpers import concrete, log_in, token
from tests.web.walk_world import load_walk_data

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

SYDVEST = ("cluster", "syddanmark-sydvestjylland")


def html_pages(app) -> list[str]:
    paths = app.openapi()["paths"]
    return sorted(
        p
        for p, ops in paths.items()
        if "get" in ops and "text/html" in ops["get"]["responses"]["200"]["content"]
    )


def test_every_html_page_has_a_json_twin_that_it_links(
    app, client, accounts, with_results, sessions, tmp_path
):
    load_walk_data(sessions, tmp_path)  # the records the registry pages show
    accounts.add("adm", "admin", SYDVEST)
    assert 'href="/login.json"' in client.get("/login").text
    log_in(client, "adm")
    published = set(app.openapi()["paths"])
    pages = html_pages(app)
    assert {"/", "/login", "/admin/audit", "/indicators/{indicator_id}"} <= set(pages)
    for template in pages:
        twin = "/index.json" if template == "/" else f"{template}.json"
        assert twin in published, f"{template} has no JSON twin"
        page, twin = concrete(template), concrete(twin)
        response = client.get(twin)
        assert response.status_code == 200, twin
        assert response.headers["content-type"] == "application/json"
        html = client.get(page, follow_redirects=False)
        if html.status_code == 303:  # /login, for a user who is logged in already
            continue
        assert f'href="{twin}"' in html.text, f"{page} does not link its twin"


def test_the_home_page_shows_who_you_are_your_role_and_scope(client, accounts):
    accounts.add("anna", "analyst", SYDVEST, ("municipality", "461"))
    log_in(client, "anna")
    page = client.get("/").text
    assert "Velkommen, Anna" in page
    assert "Analytiker" in page
    assert "Sundhedsklynge Sydvestjylland" in page and "Odense" in page
    assert "ikke-diskretionerede tal" in page
    assert "/admin/audit" not in page  # no link to a page the user cannot open
    data = client.get("/index.json").json()
    assert data["user"] == {
        "username": "anna",
        "display_name": "Anna",
        "role": "analyst",
        "scopes": [
            {
                "level": "cluster",
                "code": "syddanmark-sydvestjylland",
                "name": "Sundhedsklynge Sydvestjylland",
            },
            {"level": "municipality", "code": "461", "name": "Odense"},
        ],
        "sees_unsuppressed": True,
    }


def test_a_viewer_is_told_that_small_numbers_are_hidden(client, accounts):
    accounts.add("vera", "viewer", SYDVEST)
    log_in(client, "vera")
    assert "kun diskretionerede tal" in client.get("/").text
    assert client.get("/index.json").json()["user"]["sees_unsuppressed"] is False


def test_an_admin_gets_the_audit_log_link(client, accounts):
    accounts.add("adm", "admin", ("country", "DK"))
    log_in(client, "adm")
    assert '<a href="/admin/audit"' in client.get("/").text
    links = [link["href"] for link in client.get("/index.json").json()["links"]]
    assert "/admin/audit" in links


def test_english_on_request(client, accounts):
    accounts.add("anna", "analyst", SYDVEST)
    log_in(client, "anna")
    client.post("/language", data={"lang": "en", "csrf_token": token(client)})
    page = client.get("/").text
    assert '<html lang="en">' in page
    assert "Welcome, Anna" in page and "Analyst" in page
    assert '<button type="submit" name="lang" value="da" lang="da">Dansk</button>' in page
    # The choice of language returns to the page with its choices.
    page = client.get("/organisation?on=2020-01-01").text
    assert '<input type="hidden" name="next" value="/organisation?on=2020-01-01">' in page
    back = client.post(
        "/language",
        data={"lang": "da", "next": "/organisation?on=2020-01-01", "csrf_token": token(client)},
        follow_redirects=False,
    )
    assert back.headers["location"] == "/organisation?on=2020-01-01"


def test_the_openapi_description_is_published_without_cdn_pages(client):
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "Tværs"
    assert {
        "/index.json",
        "/login.json",
        "/admin/audit.json",
        "/admin/audit.csv",
        "/indicators.json",
        "/indicators/{indicator_id}.json",
        "/units/{level}/{code}.json",
        "/organisation.json",
        "/suppressed.json",
        "/download.csv",
        "/download.xlsx",
    } <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert {"OverviewRead", "IndicatorPageRead", "AuditPageRead", "LoginRead"} <= set(schemas)
    # Swagger UI and ReDoc would load scripts from a CDN: not served.
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_unknown_pages_say_so_in_danish(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text
    assert client.get("/no/such/page.json").json() == {"status": 404, "detail": "Siden findes ikke"}


# --- accessible markup -------------------------------------------------------------------


class Outline(HTMLParser):
    """What the accessibility checks need from a page: landmarks, ids, labels, inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_pages_have_language_landmarks_skip_link_and_labelled_fields(
    app, client, accounts, with_results
):
    accounts.add("adm", "admin", ("country", "DK"))
    pages = {"/login": client.get("/login").text}
    log_in(client, "adm")
    pages.update({p: client.get(concrete(p)).text for p in html_pages(app) if p != "/login"})
    for path, html in pages.items():
        page = outline(html)
        assert page.find("html")[0].get("lang") in ("da", "en"), path
        assert re.search(r"<title>[^<]+ – Tværs</title>", html), path
        links = page.find("a")
        assert links[0].get("href") == "#main" and links[0].get("class") == "skip-link", path
        assert [m.get("id") for m in page.find("main")] == ["main"], path
        assert page.find("header") and page.find("footer"), path
        assert len(page.find("h1")) == 1, path
        ids = [a["id"] for _, a in page.tags if a.get("id")]
        assert len(ids) == len(set(ids)), f"duplicate ids on {path}"
        labelled = {a.get("for") for a in page.find("label")}
        for field in page.find("input") + page.find("select"):
            if field.get("type") != "hidden":
                assert field.get("id") in labelled, f"unlabelled field on {path}"
        for nav in page.find("nav"):
            assert nav.get("aria-label"), f"unnamed navigation on {path}"


def test_the_style_sheet_keeps_a_visible_focus_indicator(client):
    css = client.get("/static/tvaers.css").text
    assert ":focus-visible" in css and "outline: 3px solid" in css
    assert "outline: none" not in css.replace("main:focus { outline: none; }", "")
