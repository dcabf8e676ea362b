"""`tvaers generate --medcom-bundles`: the same notifications as MedCom bundles load into
exactly the same `messages` rows as the flat form (transitions.md: the same results
whichever form a notification came in)."""

from __future__ import annotations

import duckdb
import pytest

from tvaers.config import Settings
from tvaers.synth.generate import fixture
from tvaers.warehouse.ingest import ingest

COLUMNS = (
    "message_id, p.person_key, m.type, m.event, m.sent_at, m.sender, m.receiver, "
    "m.episode_id, m.event_at, m.replaces_message_id"
)


@pytest.fixture(scope="module")
def both_forms(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms")
    mp = pytest.MonkeyPatch()
    mp.setenv("TVAERS_SECRET_KEY", "5e" * 32)
    mp.setenv("TVAERS_KEY_FILE", str(root / "key"))
    try:
        rows = {}
        for form in ("flat", "bundles"):
            out = root / form
            fixture(
                out, fmt="csv", scale=0.001, years=(2023, 2024), medcom_bundles=form == "bundles"
            )
            db = root / f"{form}.duckdb"
            result = ingest(out, db, settings=Settings.from_env(), report_dir=root / f"r-{form}")
            assert result.status == "loaded", result.first_errors
            con = duckdb.connect(str(db), read_only=True)
            rows[form] = con.execute(
                f"SELECT {COLUMNS} FROM messages m JOIN persons p USING (person_no) "
                "ORDER BY message_id"
            ).fetchall()
            con.close()
        yield root, rows
    finally:
        mp.undo()


def test_bundle_form_gives_the_same_rows_as_the_flat_form(both_forms):
    root, rows = both_forms
    assert (root / "bundles" / "hospital_notifications.ndjson").exists()
    assert "hospital_notification" not in (root / "bundles" / "messages.csv").read_text()
    assert len(rows["flat"]) > 100
    assert rows["flat"] == rows["bundles"]


def test_generated_notifications_use_the_v11_columns(both_forms):
    _, rows = both_forms
    events = {r[3] for r in rows["flat"]}
    assert {"admit-emergency", "discharge-inpatient-home", "deceased"} <= events
    revisions = [r for r in rows["flat"] if r[3] and r[3].startswith(("revise-", "cancel-"))]
    assert revisions and all(r[9] for r in revisions)  # each names what it replaces
    notifications = [r for r in rows["flat"] if r[2] == "hospital_notification"]
    assert all(r[8] is not None for r in notifications)  # every notification has event_at
