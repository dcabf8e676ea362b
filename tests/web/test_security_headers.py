"""Security headers on every response — every route, static files, errors — and no inline
script or style anywhere, so the strict Content-Security-Policy holds."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.helpers import concrete, log_in
from tests.web.walk_world import load_walk_data
from tvaers.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

STATIC = [
    "/static/tvaers.css",
    "/static/charts.js",
    "/static/vendor/htmx.min.js",
    "/static/vendor/vega.min.js",
    "/static/vendor/vega-lite.min.js",
    "/static/vendor/vega-embed.min.js",
    "/static/vendor/vega-interpreter.min.js",
    "/static/favicon.svg",
]


def assert_secure(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{name} on {response.request.url}"
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp


def get_paths(app) -> list[str]:
    """Every GET path the app publishes in its OpenAPI description, and the description."""
    paths = app.openapi()["paths"]
    return [*sorted(concrete(p) for p, ops in paths.items() if "get" in ops), "/openapi.json"]


def test_the_policy_forbids_inline_code_and_framing(backend):
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY
    assert "object-src 'none'" in CONTENT_SECURITY_POLICY


def test_every_route_has_the_headers_logged_in_and_out(
    app, client, accounts, sessions, with_results, tmp_path
):
    load_walk_data(sessions, tmp_path)  # the records the registry pages show
    accounts.add("adm", "admin", ("country", "DK"))
    paths = get_paths(app)
    assert {"/", "/index.json", "/login", "/admin/audit", "/admin/audit.csv"} <= set(paths)
    for path in [*paths, *STATIC]:
        assert_secure(client.get(path, follow_redirects=False))
    log_in(client, "adm")
    for path in [*paths, *STATIC]:
        response = client.get(path, follow_redirects=False)
        # Every page answers with its content (the login page sends a logged-in user on),
        # so the headers are checked on what the route itself answers, not on an error.
        assert response.status_code == (303 if path == "/login" else 200), path
        assert_secure(response)


def test_errors_and_refusals_have_the_headers(client, app):
    assert_secure(client.get("/no/such/page"))
    assert_secure(client.get("/no/such/page.json"))
    assert_secure(client.post("/logout"))  # 403: no CSRF token
    assert_secure(client.put("/login"))  # 405


def test_even_a_server_error_has_the_headers(app):
    def boom():
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/boom")
    assert response.status_code == 500
    assert_secure(response)


def test_pages_are_not_cached_but_static_files_may_be(client):
    assert client.get("/login").headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/tvaers.css").headers.get("cache-control", "")


def test_hsts_only_over_https(app):
    with TestClient(app) as c:
        assert "strict-transport-security" not in c.get("/login").headers
    with TestClient(app, base_url="https://testserver") as c:
        assert "max-age=" in c.get("/login").headers["strict-transport-security"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"https?://(?!testserver)", re.I), "address outside the app (CDN)"),
]


def test_no_page_has_inline_script_or_style_or_outside_resources(
    app, client, accounts, sessions, with_results, tmp_path
):
    load_walk_data(sessions, tmp_path)  # the registry pages with their records, not a 404
    accounts.add("adm", "admin", ("country", "DK"))
    log_in(client, "adm")
    html_paths = [p for p in get_paths(app) if not p.endswith((".json", ".csv", ".xlsx", ".svg"))]
    assert "/indicators/preventable_admissions_65plus" in html_paths  # with its charts
    responses = {p: client.get(p) for p in html_paths}
    assert {p: r.status_code for p, r in responses.items() if r.status_code != 200} == {}
    pages = {p: r.text for p, r in responses.items()}
    client.post("/logout", headers={"X-CSRF-Token": client.get("/login.json").json()["csrf_token"]})
    pages["/login (logged out)"] = client.get("/login").text
    pages["404"] = client.get("/nope").text
    for path, html in pages.items():
        for pattern, what in INLINE:
            assert not pattern.search(html), f"{what} on {path}"


def test_htmx_is_served_by_the_app_and_configured_for_the_policy(client):
    js = client.get("/static/vendor/htmx.min.js")
    assert js.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert "htmx" in js.text[:200]
    page = client.get("/login").text
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in page
    assert '"includeIndicatorStyles": false' in page
