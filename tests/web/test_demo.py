"""`make demo` ends by creating demo users in the demo's own app database and serving."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.web.helpers import token
from tvaers import demo
from tvaers.web.app import create_app
from tvaers.web.settings import WebSettings


def test_demo_users_can_log_in(tmp_path, monkeypatch, capsys):
    # The demo sets these for its process; monkeypatch restores them afterwards.
    monkeypatch.setenv("TVAERS_SECRET_FILE", str(tmp_path / "elsewhere.secret"))
    monkeypatch.delenv("TVAERS_APP_DB", raising=False)
    demo.demo_users(tmp_path)
    printed = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in printed
    settings = WebSettings.from_env(db=tmp_path / "tvaers.duckdb")
    assert (tmp_path / "session.secret").exists()  # the demo's own, not the user's
    assert settings.app_db_url.endswith("tvaers-app.sqlite")
    with TestClient(create_app(settings)) as client:
        for name, role, _, password, _ in demo.DEMO_USERS:
            assert f"{name}" in printed and password in printed
            data = {"username": name, "password": password, "csrf_token": token(client)}
            assert client.post("/login", data=data, follow_redirects=False).status_code == 303
            assert client.get("/index.json").json()["user"]["role"] == role
            client.cookies.clear()


def test_demo_loads_the_two_example_task_transfers_once(tmp_path, monkeypatch, capsys):
    from sqlalchemy import select

    from tvaers.transfers.models import Case
    from tvaers.web.db import make_engine, session_factory
    from tvaers.web.settings import app_db_url

    monkeypatch.delenv("TVAERS_APP_DB", raising=False)
    demo.demo_registry(tmp_path)  # the region's fora the cases are decided in
    demo.demo_transfers(tmp_path)
    demo.demo_transfers(tmp_path)  # a second run adds nothing
    assert "2 sager" in capsys.readouterr().out
    engine = make_engine(app_db_url(tmp_path / "tvaers.duckdb"))
    with session_factory(engine)() as db:
        found = [
            (c.service, c.state, c.example) for c in db.scalars(select(Case).order_by(Case.id))
        ]
    engine.dispose()
    assert found == [("acute_nursing", "decision", True), ("temporary_bed", "consultation", True)]


def test_the_demo_loads_the_example_agreement(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TVAERS_SECRET_FILE", str(tmp_path / "elsewhere.secret"))
    monkeypatch.delenv("TVAERS_APP_DB", raising=False)
    demo.demo_registry(tmp_path)  # the fora the example names as parties and owners
    demo.demo_agreement(tmp_path)
    assert "Eksempel på en sundhedsaftale indlæst" in capsys.readouterr().out
    from sqlalchemy import select

    from tvaers.agreements.models import Agreement, Initiative
    from tvaers.web.db import make_engine, session_factory
    from tvaers.web.settings import app_db_url

    engine = make_engine(app_db_url(tmp_path / "tvaers.duckdb"))
    with session_factory(engine)() as db:
        (example,) = db.scalars(select(Agreement)).all()
        assert example.example is True
        names = set(db.scalars(select(Initiative.name)))
    engine.dispose()
    assert {
        "Ældre borgere i risiko for genindlæggelse",
        "Flere frie hænder i sundhedsvæsnen",
    } <= names
    assert any("Sønderborg" in n for n in names)


def test_the_demo_delivery_covers_every_region_and_cluster(tmp_path, capsys):
    """Each of the five regions and every cluster of 2024 has residents in the demo's
    delivery, so a unit page compares with a cluster, region and country that differ."""
    import duckdb

    from tvaers.reference import org

    demo.generate(tmp_path / "delivery", scale="0.002")  # the demo's settings, smaller
    path = tmp_path / "delivery" / "residence.parquet"
    codes = {
        row[0] for row in duckdb.sql(f"SELECT DISTINCT municipality_code FROM '{path}'").fetchall()
    }
    on = date(2024, 1, 1)
    regions = {org.region_of(code, on).code for code in codes}
    assert regions == {"1081", "1082", "1083", "1084", "1085"}
    clusters = {c.slug for code in codes for c in org.clusters_of(code, on)}
    assert clusters == {c.slug for c in org.clusters(on)}
    assert "2021-2024" in capsys.readouterr().out
