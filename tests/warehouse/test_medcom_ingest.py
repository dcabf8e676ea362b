"""MedCom bundles as part of a delivery: loaded like a flat messages file, errors named by
file, line and element, strict and quarantine modes, idempotent reloads, CPR masked."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tvaers.config import Settings
from tvaers.warehouse.ingest import IngestRefused, ingest
from tvaers.warehouse.medcom import bundle_row

from .conftest import EXAMPLE, EXAMPLE_CPRS
from .medcom_bundles import LPR, bundle, dumps, entity

CPH = ZoneInfo("Europe/Copenhagen")
EPISODE = f"{LPR}|7c1f2e1a-0000-5000-8000-000000000001"
DISCHARGE = dict(
    header_id="mh-2",
    activity="discharge-inpatient-home",
    occurred="2023-02-07T11:05:00+01:00",
    period={"start": "2023-02-03T21:40:00+01:00", "end": "2023-02-07T11:00:00+01:00"},
    entity=entity("revision", "mh-1"),
)
REVISE = dict(
    header_id="mh-3",
    activity="revise-admit-inpatient",
    occurred="2023-02-04T09:00:00+01:00",
    period={"start": "2023-02-03T21:30:00+01:00"},
    entity=entity("revision", "mh-1"),
)


def _delivery(root: Path, name: str, folder=(), ndjson=None, persons=True, flat=None) -> Path:
    path = root / name
    path.mkdir()
    (path / "delivery.json").write_text('{"extracted_at": "2025-02-01"}', encoding="utf-8")
    if persons:
        shutil.copyfile(EXAMPLE / "persons.csv", path / "persons.csv")
    if folder:
        (path / "hospital_notifications").mkdir()
        for i, text in enumerate(folder, 1):
            (path / "hospital_notifications" / f"n{i}.json").write_text(text, encoding="utf-8")
    if ndjson is not None:
        (path / "hospital_notifications.ndjson").write_text("\n".join(ndjson) + "\n")
    if flat is not None:
        (path / "messages.csv").write_text(flat, encoding="utf-8")
    return path


def _load(root, db, path, mode="strict", direct=True):
    return ingest(
        path,
        db,
        mode=mode,
        settings=Settings.from_env(),
        report_dir=root / "reports" / f"{path.name}-{mode}-{direct}",
        error_limit=100,
        direct=direct,
    )


def _messages(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'Europe/Copenhagen'")
        return con.execute(
            "SELECT m.message_id, p.birth_date::VARCHAR, m.type, m.event, m.sent_at, m.sender, "
            "m.receiver, m.episode_id, m.event_at, m.replaces_message_id, m.delivery_id "
            "FROM messages m JOIN persons p USING (person_no) ORDER BY m.message_id"
        ).fetchall()
    finally:
        con.close()


def _no_cpr_in(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for cpr in EXAMPLE_CPRS:
                assert cpr not in text and f"{cpr[:6]}-{cpr[6:]}" not in text, path


def test_folder_and_ndjson_load_into_messages(tmp_path):
    db = tmp_path / "wh" / "t.duckdb"
    path = _delivery(
        tmp_path,
        "d",
        folder=[dumps(bundle())],
        ndjson=[dumps(bundle(**DISCHARGE)), "", dumps(bundle(**REVISE))],
    )
    result = _load(tmp_path, db, path)
    assert result.first_errors == [] and result.status == "loaded"
    t = lambda *a: datetime(2023, 2, *a, tzinfo=CPH)  # noqa: E731 - times of the bundles
    assert [r[:10] for r in _messages(db)] == [
        ("mh-1", "1947-03-12", "hospital_notification", "admit-inpatient", t(3, 21, 45),
         "265161000016000", "953741000016009", EPISODE, t(3, 21, 40), None),
        ("mh-2", "1947-03-12", "hospital_notification", "discharge-inpatient-home",
         t(7, 11, 5), "265161000016000", "953741000016009", EPISODE, t(7, 11, 0), None),
        ("mh-3", "1947-03-12", "hospital_notification", "revise-admit-inpatient",
         t(4, 9, 0), "265161000016000", "953741000016009", EPISODE, t(3, 21, 30), "mh-1"),
    ]  # fmt: skip


@pytest.fixture
def bad_delivery(tmp_path):
    """Line 2 of the NDJSON file is cut off; the folder's bundle has an unknown activity."""
    return _delivery(
        tmp_path,
        "bad",
        folder=[dumps(bundle(header_id="mh-9", activity="admit-outpatient"))],
        ndjson=[dumps(bundle()), dumps(bundle(**DISCHARGE))[:200], dumps(bundle(**REVISE))],
    )


def test_strict_refuses_and_names_file_line_and_element(tmp_path, bad_delivery):
    db = tmp_path / "wh" / "t.duckdb"
    result = _load(tmp_path, db, bad_delivery)
    assert result.status == "rejected" and not db.exists()
    reported = {(e.file, e.row, e.column, e.rule) for e in result.first_errors}
    assert reported == {
        ("hospital_notifications.ndjson", 2, "", "bundle_not_json"),
        (
            "hospital_notifications/n1.json",
            None,
            "Provenance.activity.coding.code",
            "bundle_unknown_activity",
        ),
    }
    _no_cpr_in(tmp_path / "reports")


def test_quarantine_loads_the_rest_and_accounts_for_every_bundle(tmp_path, bad_delivery):
    db = tmp_path / "wh" / "t.duckdb"
    result = _load(tmp_path, db, bad_delivery, mode="quarantine")
    assert result.status == "loaded"
    messages = next(t for t in result.tables if t.table == "messages")
    # 4 bundles delivered: 2 loaded, 2 quarantined
    assert (messages.delivered, messages.loaded, messages.quarantined) == (4, 2, 2)
    assert [r[0] for r in _messages(db)] == ["mh-1", "mh-3"]
    listed = (result.quarantine_files["hospital_notifications"]).read_text().splitlines()
    assert listed[1:] == [
        "hospital_notifications/n1.json,,Provenance.activity.coding.code,bundle_unknown_activity",
        "hospital_notifications.ndjson,2,,bundle_not_json",
    ]
    _no_cpr_in(tmp_path / "reports")


def test_contract_error_in_a_bundle_row_names_the_bundle_and_masks_the_cpr(tmp_path):
    db = tmp_path / "wh" / "t.duckdb"
    stranger = "0202024123"  # a valid CPR of no delivered person
    path = _delivery(
        tmp_path, "d", ndjson=[dumps(bundle()), dumps(bundle(header_id="mh-7", cpr=stranger))]
    )
    result = _load(tmp_path, db, path, mode="quarantine")
    assert [(e.file, e.row, e.column, e.value, e.rule) for e in result.first_errors] == [
        ("hospital_notifications.ndjson", 2, "cpr", "020202-xxxx", "person_missing")
    ]
    quarantined = result.quarantine_files["messages"].read_text()
    assert stranger not in quarantined and "020202-4123" not in quarantined
    assert "hospital_notifications.ndjson,2," in quarantined


def test_reload_is_idempotent_and_a_changed_bundle_conflicts(tmp_path):
    db = tmp_path / "wh" / "t.duckdb"
    first = _delivery(tmp_path, "first", folder=[dumps(bundle())])
    assert _load(tmp_path, db, first).status == "loaded"
    assert _load(tmp_path, db, first).status == "already_loaded"
    # the same bundle again beside a new one: the stored row stays that of delivery 1
    second = _delivery(
        tmp_path, "second", ndjson=[dumps(bundle()), dumps(bundle(**DISCHARGE))], persons=False
    )
    assert _load(tmp_path, db, second).status == "loaded"
    assert [(r[0], r[-1]) for r in _messages(db)] == [("mh-1", 1), ("mh-2", 2)]
    changed = _delivery(
        tmp_path,
        "changed",
        ndjson=[dumps(bundle(occurred="2023-02-03T21:50:00+01:00"))],
        persons=False,
    )
    result = _load(tmp_path, db, changed)
    assert result.status == "rejected"
    assert ("hospital_notifications.ndjson", 1, "sent_at", "conflicts_with_warehouse") in {
        (e.file, e.row, e.column, e.rule) for e in result.first_errors
    }


def _flat(*bundles: dict, extra: str = "") -> str:
    """The flat form of the same notifications (the mapping's own output as CSV)."""
    from .medcom_bundles import dumps as d

    header = (
        "message_id,cpr,type,event,sent_at,sender,receiver,episode_id,event_at,replaces_message_id"
    )
    lines = [header]
    for b in bundles:
        r = bundle_row(d(b))
        lines.append(",".join(r[c] or "" for c in header.split(",")))
    return "\n".join(lines) + "\n" + extra


LETTER = "L-1,1203471018,discharge_letter,,2023-02-07T12:00,5001020,540,EP-1,,\n"


@pytest.mark.parametrize("direct", [True, False])
def test_flat_and_bundle_forms_give_identical_rows(tmp_path, direct):
    bundles = [bundle(), bundle(**DISCHARGE), bundle(**REVISE)]
    flat_db, bundle_db = tmp_path / "a" / "t.duckdb", tmp_path / "b" / "t.duckdb"
    flat = _delivery(tmp_path, "flat", flat=_flat(*bundles, extra=LETTER))
    # mixed: the letter in messages.csv, the notifications as bundles
    mixed = _delivery(
        tmp_path,
        "mixed",
        folder=[dumps(bundles[0])],
        ndjson=[dumps(b) for b in bundles[1:]],
        flat=_flat(extra=LETTER),
    )
    assert _load(tmp_path, flat_db, flat, direct=direct).status == "loaded"
    result = _load(tmp_path, bundle_db, mixed, direct=direct)
    assert result.status == "loaded" and result.route == ("direct" if direct else "staged")
    assert len(_messages(flat_db)) == 4
    assert _messages(flat_db) == _messages(bundle_db)


def test_a_directory_named_like_a_bundle_is_refused(tmp_path):
    path = _delivery(tmp_path, "d", folder=[dumps(bundle())])
    (path / "hospital_notifications" / "n2.json").mkdir()
    with pytest.raises(IngestRefused) as refused:
        _load(tmp_path, tmp_path / "wh" / "t.duckdb", path)
    assert "hospital_notifications/n2.json: er ikke en almindelig fil" in str(refused.value)


def test_ndjson_lines_across_chunks_and_overlong_lines(tmp_path, monkeypatch):
    """Lines are numbered as an editor numbers them, whatever the chunking; an overlong
    line is reported by its number and skipped, the next line still read."""
    import hashlib

    from tvaers.warehouse import notifications

    monkeypatch.setattr(notifications, "MAX_BUNDLE_BYTES", 10)
    path = tmp_path / "x.ndjson"
    path.write_bytes(b"a\n\nbbb\n" + b"c" * 25 + b"\nddd")  # no line break at the end
    expected = [(1, b"a"), (2, b""), (3, b"bbb"), (4, None), (5, b"ddd")]
    for chunk in (4, 7, 1 << 22):  # the overlong line spans several chunks, or none
        monkeypatch.setattr(notifications, "CHUNK", chunk)
        assert list(notifications._ndjson_lines(path, hashlib.sha256())) == expected, chunk
