"""A target changed and added on the web by the agreement's secretariat: checked by the
agreement file's own rules (a form and a file never disagree), each field's problem named
beside it (422), a stale save refused (409), a user outside the parties' scope refused
(403), every change in the history, and the target's status computed from the new value."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.agreement_world import agreement_file, write_results
from tests.web.helpers import log_in, token
from tvaers.agreements import importfile, loading, targets
from tvaers.agreements.file_entries import TargetEntry
from tvaers.agreements.models import Target
from tvaers.agreements.schemas import TargetCreate, TargetUpdate
from tvaers.agreements.status import target_statuses
from tvaers.web import audit
from tvaers.web.db import session_scope
from tvaers.web.forms import FormInvalid
from tvaers.web.records import StaleEdit
from tvaers.web.results_store import Snapshot
from tvaers.web.scope import Principal, UnitRef

BASE = "/agreements/sa-test"
TARGET = f"{BASE}/targets/t-met"
RITA = Principal(1, "rita", "Rita", "secretariat", (UnitRef("region", "1083"),))
# t-met as the file gives it (agreement_world.AGREEMENT), as the form posts it
T_MET = {
    "indicator": "readmissions_30d_somatic_65plus",
    "unit": "municipality:580",
    "period": "quarter",
    "baseline": "2022-Q1",
    "value": "25.0",
    "by": "2027-Q4",
}


def _post(client, path, headers=None, **form):
    data = {**form, "csrf_token": token(client)}
    return client.post(path, data=data, headers=headers or {}, follow_redirects=False)


def _icons(client) -> dict[str, list[str]]:
    (goal,) = client.get(f"{BASE}.json").json()["visions"][0]["focus_areas"][0]["goals"]
    return {t["id"]: [r["icon"] for r in t["rows"]] for t in goal["targets"]}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_service_changes_a_target_by_the_files_rules(db, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    write_results(warehouse)
    loading.load(db, str(agreement_file(tmp_path)), "test")
    db.commit()
    values = {**T_MET, "value": "1.0", "version": "1"}
    changed = targets.update_target(
        db, RITA, "sa-test", "t-met", TargetUpdate.model_validate(values), values
    )
    db.commit()
    assert (changed.value, changed.version) == (1.0, 2)
    snapshot = Snapshot.open(warehouse, ())
    (met,) = target_statuses(db, snapshot, "sa-test", target="t-met")
    assert (met.target_value, met.assurance) == (1.0, "missed")  # 1 ≤ LCL 1.362 %
    (line,) = [h for h in targets.history(db, changed) if h.startswith("update")]
    assert line == "update v2 (rita): value: 25.0 → 1.0"
    # The form's problems are the import's, each under its field.
    wrong = {**T_MET, "baseline": "2022", "stratum": "x", "version": "2"}
    with pytest.raises(FormInvalid) as refused:
        targets.update_target(
            db, RITA, "sa-test", "t-met", TargetUpdate.model_validate(wrong), wrong
        )
    assert set(refused.value.errors) == {"baseline", "stratum"}
    assert refused.value.errors["baseline"] == "baseline '2022' er ikke en periode af typen quarter"
    db.rollback()
    stale = {**T_MET, "version": "1"}
    with pytest.raises(StaleEdit):
        targets.update_target(
            db, RITA, "sa-test", "t-met", TargetUpdate.model_validate(stale), stale
        )
    db.rollback()
    # A form and a file: the same entry gives the same problems.
    entry = TargetEntry.model_validate({**T_MET, "baseline": "2022", "stratum": "x", "id": "t-met"})
    assert [p for _, p in importfile.target_problems(entry, targets._known())] == [
        refused.value.errors["stratum"],
        refused.value.errors["baseline"],
    ]
    # A new target under the goal, last; its id must be new in the agreement.
    new = {**T_MET, "id": "t-new", "goal": "g1", "value": "20"}
    added = targets.add_target(db, RITA, "sa-test", TargetCreate.model_validate(new), new)
    assert (added.goal_key, added.position, added.value) == ("g1", 5, 20.0)
    again = {**new, "id": "i1"}
    with pytest.raises(FormInvalid) as used:
        targets.add_target(db, RITA, "sa-test", TargetCreate.model_validate(again), again)
    assert list(used.value.errors) == ["id"]


def test_a_secretariat_edits_a_target_on_its_page(client, accounts, agreement_sessions):
    accounts.add("rita", "secretariat", ("region", "1083"))
    log_in(client, "rita")
    assert _icons(client)["t-met"] == ["✔"]
    page = client.get(TARGET)
    assert 'id="target-form"' in page.text and 'name="value" inputmode="decimal" value="25,0"' in (
        page.text
    )
    before = client.get(f"{TARGET}.json").json()
    assert before["can_edit"] is True and before["target"]["version"] == 1
    done = _post(client, f"{TARGET}/edit", **{**T_MET, "value": "1.0", "version": "1"})
    assert done.status_code == 303 and done.headers["location"] == f"{TARGET}?saved=1"
    shown = client.get(done.headers["location"])
    assert "1,0 senest 2027-Q4" in shown.text and "Gemt." in shown.text
    assert "update v2 (rita): value: 25.0 → 1.0" in shown.text  # the page's history
    after = client.get(f"{TARGET}.json").json()
    assert after["target"]["value"] == 1.0 and after["target"]["version"] == 2
    assert after["target"]["rows"][0]["target_value"] == 1.0
    assert any("value: 25.0 → 1.0" in line for line in after["history"])
    # The status uses the new value: 1 lies below the lower limit, so the target is missed.
    assert _icons(client)["t-met"] == ["✖"]
    # The export writes the new value, as the next import reads it.
    assert "value: 1.0" in client.get(f"{BASE}/export.yaml").text


def test_a_refused_target_form_names_the_field_and_keeps_the_input(
    client, accounts, agreement_sessions
):
    accounts.add("rita", "secretariat", ("region", "1083"))
    log_in(client, "rita")
    wrong = _post(client, f"{TARGET}/edit", **{**T_MET, "value": "mange", "version": "1"})
    assert wrong.status_code == 422
    assert 'id="err-target-value"' in wrong.text and "skal være et tal" in wrong.text
    assert 'value="mange"' in wrong.text  # the input is kept
    # The import's cross-field rules, at the field, in the user's language.
    late = _post(client, f"{TARGET}/edit", **{**T_MET, "by": "2021-Q4", "version": "1"})
    assert late.status_code == 422
    assert 'id="err-target-by"' in late.text and "by 2021-Q4 skal ligge efter baseline" in late.text
    _post(client, "/language", lang="en", next=TARGET)
    english = _post(client, f"{TARGET}/edit", **{**T_MET, "by": "2021-Q4", "version": "1"})
    assert "by 2021-Q4 must lie after baseline 2022-Q1" in english.text
    both = _post(client, f"{TARGET}/edit", **{**T_MET, "level": "municipality", "version": "1"})
    assert both.status_code == 422 and 'id="err-target-unit"' in both.text
    # A JSON client gets the documented body, each field in loc.
    as_json = _post(client, f"{TARGET}/edit", headers={"Accept": "application/json"},
                    **{**T_MET, "period": "week", "version": "1"})  # fmt: skip
    assert as_json.status_code == 422
    assert ["body", "period"] in [d["loc"] for d in as_json.json()["detail"]]
    assert client.get(f"{TARGET}.json").json()["target"]["version"] == 1  # nothing saved


def test_a_stale_target_save_is_refused_and_keeps_the_input(
    client, accounts, agreement_sessions, app
):
    accounts.add("rita", "secretariat", ("region", "1083"))
    log_in(client, "rita")
    assert (
        _post(client, f"{TARGET}/edit", **{**T_MET, "value": "20", "version": "1"}).status_code
        == 303
    )
    stale = _post(client, f"{TARGET}/edit", **{**T_MET, "value": "18.5", "version": "1"})
    assert stale.status_code == 409 and 'value="18.5"' in stale.text
    assert "En anden har gemt en ny udgave (version 2)" in stale.text
    as_json = _post(client, f"{TARGET}/edit", headers={"Accept": "application/json"},
                    **{**T_MET, "value": "18.5", "version": "1"})  # fmt: skip
    assert as_json.status_code == 409
    assert client.get(f"{TARGET}.json").json()["target"]["value"] == 20.0


def test_viewers_and_other_secretariats_cannot_edit_targets(
    client, accounts, agreement_sessions, app
):
    accounts.add("vera", "viewer", ("region", "1083"))
    accounts.add("otto", "secretariat", ("region", "1084"))
    log_in(client, "vera")
    assert client.get(f"{TARGET}.json").json()["can_edit"] is False
    assert 'id="target-form"' not in client.get(TARGET).text
    assert 'id="target-form-g1"' not in client.get(BASE).text
    edit = {**T_MET, "value": "1", "version": "1"}
    assert _post(client, f"{TARGET}/edit", **edit).status_code == 403
    as_json = _post(client, f"{TARGET}/edit", headers={"Accept": "application/json"}, **edit)
    assert as_json.status_code == 403 and "Testaftale" in as_json.json()["detail"]
    with TestClient(app) as otto:
        log_in(otto, "otto")
        refused = _post(otto, f"{TARGET}/edit", **edit)
        assert refused.status_code == 403
        assert "Du kan ikke redigere målene i Testaftale" in refused.text
        new = {**T_MET, "id": "t-new", "goal": "g1"}
        assert _post(otto, f"{BASE}/targets", **new).status_code == 403
        assert _post(otto, f"{BASE}/targets/nope/edit", **edit).status_code == 404
    with session_scope(agreement_sessions) as db:
        assert db.get(Target, ("sa-test", "t-met")).version == 1
        assert db.get(Target, ("sa-test", "t-new")) is None


def test_a_secretariat_adds_a_target_under_a_goal(client, accounts, agreement_sessions):
    accounts.add("rita", "secretariat", ("region", "1083"))
    log_in(client, "rita")
    assert 'id="target-form-g1"' in client.get(BASE).text
    new = {**T_MET, "id": "t-new", "goal": "g1", "value": "30"}
    wrong = _post(client, f"{BASE}/targets", **{**new, "id": "t-met"})
    assert wrong.status_code == 422 and 'id="err-target-g1-id"' in wrong.text
    assert "<details open>" in wrong.text  # the goal's form is open again
    done = _post(client, f"{BASE}/targets", **new)
    assert done.status_code == 303
    assert done.headers["location"] == f"{BASE}/targets/t-new?saved=1"
    assert _icons(client)["t-new"] == ["✔"]  # 30 ≥ UCL 22.638 %: met every time
    assert client.get(f"{BASE}/targets/t-new.json").json()["history"][0].startswith("create v1")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_target_value_may_be_written_with_a_danish_decimal_comma(
    client, accounts, agreement_sessions
):
    """The pages show 12,5; a secretariat types it back the same way."""
    accounts.add("rita", "secretariat", ("region", "1083"))
    log_in(client, "rita")
    done = _post(client, f"{TARGET}/edit", **{**T_MET, "value": "12,5", "version": "1"})
    assert done.status_code == 303
    assert client.get(f"{TARGET}.json").json()["target"]["value"] == 12.5
    # Dots between thousands, as in 1.234,5; a decimal point alone keeps its meaning.
    _post(client, f"{TARGET}/edit", **{**T_MET, "value": "1.234,5", "version": "2"})
    assert client.get(f"{TARGET}.json").json()["target"]["value"] == 1234.5
    _post(client, f"{TARGET}/edit", **{**T_MET, "value": "1.5", "version": "3"})
    assert client.get(f"{TARGET}.json").json()["target"]["value"] == 1.5
    # Two commas are no number in either language: refused at the field.
    wrong = _post(client, f"{TARGET}/edit", **{**T_MET, "value": "1,2,3", "version": "4"})
    assert wrong.status_code == 422 and "skal være et tal" in wrong.text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_refused_form_audits_the_page_it_shows_again(client, accounts, agreement_sessions):
    """A secretariat sees its region's hidden cells (Sønderborg's latest value of t-level);
    the page shown again beside a refused form shows them again, so it is audited again."""
    accounts.add("rita", "secretariat", ("region", "1083"))
    log_in(client, "rita")

    def pages_viewed() -> list[str]:
        with session_scope(agreement_sessions) as db:
            found = [e for e in audit.all_entries(db) if e.action == "unsuppressed_viewed"]
            return sorted(e.details["page"] for e in found)

    level = f"{BASE}/targets/t-level"
    assert client.get(level).status_code == 200
    assert pages_viewed() == ["agreement_target"]
    wrong = _post(client, f"{level}/edit", **{**T_MET, "value": "mange", "version": "1"})
    assert wrong.status_code == 422
    assert pages_viewed() == ["agreement_target", "agreement_target"]
    refused = _post(client, f"{BASE}/status", status="nonsense", version="1")
    assert refused.status_code == 422
    assert pages_viewed() == ["agreement", "agreement_target", "agreement_target"]
