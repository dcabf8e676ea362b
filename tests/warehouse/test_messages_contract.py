"""Contract v1.1 for `messages`: event_at, replaces_message_id and the death events.

Every case loads the example delivery first (its messages M-01 admit-inpatient sent
2023-02-03T21:45, M-02 discharge-inpatient-home sent 2023-02-07T11:05 and M-03 a discharge
letter, all of person 120347-1018 in episode EP-1), then a delivery of messages only.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tests.conftest import TEST_KEY_HEX
from tvaers.config import Settings
from tvaers.warehouse.ingest import ingest

from .conftest import EXAMPLE

CPH = ZoneInfo("Europe/Copenhagen")
P1, P2 = "1203471018", "0101552213"
HEADER = "message_id,cpr,type,event,sent_at,sender,receiver,episode_id,event_at,replaces_message_id"


@pytest.fixture(scope="module")
def base_warehouse(tmp_path_factory, monkeypatch_module):
    """The example delivery, loaded once; each test works on a copy."""
    root = tmp_path_factory.mktemp("base")
    db = root / "tvaers.duckdb"
    result = ingest(EXAMPLE, db, settings=Settings.from_env(), report_dir=root / "r")
    assert result.status == "loaded"
    return db


@pytest.fixture(scope="module")
def monkeypatch_module(tmp_path_factory):
    # the module-scoped warehouse needs the test key before the function-scoped fixture
    mp = pytest.MonkeyPatch()
    mp.setenv("TVAERS_SECRET_KEY", TEST_KEY_HEX)
    mp.setenv("TVAERS_KEY_FILE", str(tmp_path_factory.mktemp("keys") / "key"))
    yield mp
    mp.undo()


@pytest.fixture
def wh(base_warehouse, tmp_path):
    db = tmp_path / "wh" / "tvaers.duckdb"
    db.parent.mkdir()
    shutil.copyfile(base_warehouse, db)
    return db


def _deliver(tmp_path, name: str, *rows: str):
    path = tmp_path / name
    path.mkdir()
    (path / "messages.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    (path / "delivery.json").write_text('{"extracted_at": "2025-02-01"}', encoding="utf-8")
    return path


def _load(tmp_path, wh, path, mode="strict", direct=True):
    return ingest(
        path,
        wh,
        mode=mode,
        settings=Settings.from_env(),
        report_dir=tmp_path / "reports" / path.name,
        error_limit=100,
        direct=direct,
    )


def _errors(result):
    return {(e.row, e.column, e.rule) for e in result.first_errors}


def _stored(wh, message_id):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        con.execute("SET TimeZone = 'Europe/Copenhagen'")
        return con.execute(
            "SELECT event, event_at, replaces_message_id, episode_id FROM messages "
            "WHERE message_id = ?",
            [message_id],
        ).fetchone()
    finally:
        con.close()


def row(
    mid, cpr, event, sent, episode="EP-1", event_at="", replaces="", kind="hospital_notification"
):
    return f"{mid},{cpr},{kind},{event},{sent},5001020,540,{episode},{event_at},{replaces}"


# Deceased, its revision and its cancellation, all in a new episode: a chain that loads
# (also the case the direct and the staged load are compared on).
DEATH_CHAIN = [
    row("N-1", P1, "deceased", "2024-05-01T08:00", episode="EP-3", event_at="2024-05-01T07:40"),
    row("N-2", P1, "revise-deceased", "2024-05-01T08:30", episode="EP-3", replaces="N-1"),
    row("N-3", P1, "cancel-deceased", "2024-05-01T09:00", episode="EP-3", replaces="N-2"),
]

PASSING = [
    pytest.param(
        [
            row(
                "N-1",
                P1,
                "revise-discharge-inpatient-home",
                "2023-02-07T12:00",
                event_at="2023-02-07T10:30",
                replaces="M-02",
            )
        ],
        id="revise_discharge_of_warehouse_message",
    ),
    pytest.param(  # "not after" allows the same instant
        [row("N-1", P1, "cancel-discharge-inpatient-home", "2023-02-07T11:05", replaces="M-02")],
        id="sent_at_equal_to_replaced",
    ),
    pytest.param(
        [
            row("N-1", P1, "admit-emergency", "2024-05-01T08:00", episode="EP-2"),
            row(
                "N-2",
                P1,
                "revise-admit-emergency",
                "2024-05-01T09:00",
                episode="EP-2",
                replaces="N-1",
            ),
        ],
        id="replaced_in_same_delivery_new_episode",
    ),
    pytest.param(DEATH_CHAIN, id="death_and_its_cancellation"),
    pytest.param(  # optional: the stay logic takes the latest earlier one
        [row("N-1", P1, "revise-admit-inpatient", "2023-02-04T08:00")],
        id="revise_without_naming_what",
    ),
    pytest.param(
        [
            row("N-1", P1, "admit-inpatient", "2024-05-01T08:00", episode=""),
            row(
                "N-2", P1, "cancel-admit-inpatient", "2024-05-01T09:00", episode="", replaces="N-1"
            ),
        ],
        id="both_episodes_empty",
    ),
]


def _rejected(case_id, column, rule, event, sent="2023-02-07T12:00", cpr=P1, **fields):
    """A delivery of one message, N-1, rejected at its data row 1 in ``column`` by ``rule``."""
    return pytest.param(row("N-1", cpr, event, sent, **fields), (column, rule), id=case_id)


REPLACES = "replaces_message_id"
FAILING = [
    _rejected(
        "replaces_on_plain_event",
        REPLACES,
        "replaces_without_revision",
        "admit-inpatient",
        replaces="M-01",
    ),
    _rejected(
        "replaces_on_message_without_event",
        REPLACES,
        "replaces_without_revision",
        "",
        replaces="M-01",
        kind="discharge_letter",
    ),
    _rejected(
        "replaces_itself", REPLACES, "replaces_itself", "revise-admit-inpatient", replaces="N-1"
    ),
    _rejected(
        "replaced_missing",
        REPLACES,
        "replaced_message_missing",
        "revise-admit-inpatient",
        replaces="M-99",
    ),
    _rejected(
        "replaced_other_person",
        REPLACES,
        "replaced_message_other_person",
        "revise-admit-inpatient",
        cpr=P2,
        replaces="M-01",
    ),
    _rejected(
        "replaced_other_episode",
        REPLACES,
        "replaced_message_other_episode",
        "revise-admit-inpatient",
        episode="EP-9",
        replaces="M-01",
    ),
    _rejected(
        "replaced_episode_empty_on_one_side",
        REPLACES,
        "replaced_message_other_episode",
        "revise-admit-inpatient",
        episode="",
        replaces="M-01",
    ),
    _rejected(  # M-02 was sent 11:05, one minute after this one
        "replaced_sent_later",
        REPLACES,
        "replaced_message_later",
        "cancel-discharge-inpatient-home",
        "2023-02-07T11:04",
        replaces="M-02",
    ),
    _rejected("unknown_event", "event", "not_in_list", "deceased-revise"),
    _rejected(
        "event_at_not_a_time", "event_at", "invalid_datetime", "deceased", event_at="2023-02-07"
    ),
    _rejected(
        "event_at_after_extraction",
        "event_at",
        "after_extraction",
        "deceased",
        event_at="2025-02-03T00:00",
    ),
    _rejected(
        "replaces_is_a_cpr",
        REPLACES,
        "cpr_outside_person_key",
        "revise-admit-inpatient",
        replaces="1203471018",
    ),
]


@pytest.mark.parametrize("rows", PASSING)
def test_v11_messages_pass(tmp_path, wh, rows):
    result = _load(tmp_path, wh, _deliver(tmp_path, "d", *rows))
    assert result.first_errors == []
    assert result.status == "loaded"


@pytest.mark.parametrize(("message", "expected"), FAILING)
def test_v11_messages_fail(tmp_path, wh, message, expected):
    result = _load(tmp_path, wh, _deliver(tmp_path, "d", message))
    assert result.status == "rejected"
    assert (1, *expected) in _errors(result)


def test_values_stored_with_offset_honoured(tmp_path, wh):
    rows = [
        row(
            "N-1",
            P1,
            "revise-discharge-inpatient-home",
            "2023-02-07T12:00",
            event_at="2023-02-07T09:30+00:00",  # 10:30 Danish winter time
            replaces="M-02",
        )
    ]
    assert _load(tmp_path, wh, _deliver(tmp_path, "d", *rows)).status == "loaded"
    event, event_at, replaces, episode = _stored(wh, "N-1")
    assert (event, replaces, episode) == ("revise-discharge-inpatient-home", "M-02", "EP-1")
    assert event_at == datetime(2023, 2, 7, 10, 30, tzinfo=CPH)
    assert _stored(wh, "M-01")[1] is None  # an older delivery's message has no event time


def test_rejection_cascades_along_a_chain_in_quarantine(tmp_path, wh):
    """N-1 has an unreadable sent_at; N-2 corrects N-1 and N-3 cancels N-2: all three go to
    quarantine, N-4 (unrelated) loads: 1 loaded + 3 quarantined = 4 delivered."""
    rows = [
        row("N-1", P1, "admit-inpatient", "2024-13-01T08:00", episode="EP-2"),
        row(
            "N-2", P1, "revise-admit-inpatient", "2024-05-01T09:00", episode="EP-2", replaces="N-1"
        ),
        row(
            "N-3", P1, "cancel-admit-inpatient", "2024-05-01T10:00", episode="EP-2", replaces="N-2"
        ),
        row("N-4", P1, "admit-inpatient", "2024-06-01T10:00", episode="EP-4"),
    ]
    result = _load(tmp_path, wh, _deliver(tmp_path, "d", *rows), mode="quarantine")
    assert result.status == "loaded"
    assert (result.loaded, result.quarantined) == (1, 3)
    errors = _errors(result)
    for expected in (
        (1, "sent_at", "invalid_datetime"),
        (2, REPLACES, "replaced_message_rejected"),
        (3, REPLACES, "replaced_message_rejected"),
    ):
        assert expected in errors
    assert _stored(wh, "N-4") is not None and _stored(wh, "N-2") is None


def test_direct_and_staged_load_agree(tmp_path, wh, base_warehouse):
    rows = DEATH_CHAIN
    staged_db = tmp_path / "staged" / "tvaers.duckdb"
    staged_db.parent.mkdir()
    shutil.copyfile(base_warehouse, staged_db)
    assert _load(tmp_path, wh, _deliver(tmp_path, "a", *rows)).route == "direct"
    assert (
        _load(tmp_path, staged_db, _deliver(tmp_path, "b", *rows), direct=False).route == "staged"
    )
    assert [_stored(wh, m) for m in ("N-1", "N-2", "N-3")] == [
        _stored(staged_db, m) for m in ("N-1", "N-2", "N-3")
    ]


@pytest.mark.parametrize("direct", [True, False], ids=["direct", "staged"])
def test_warehouse_written_before_v11_gains_the_columns(tmp_path, wh, direct):
    """A warehouse whose messages table predates v1.1 takes an old delivery's message again
    unchanged and a new one with event_at; the columns are added, empty for old rows."""
    con = duckdb.connect(str(wh))
    con.execute("ALTER TABLE messages DROP COLUMN event_at")
    con.execute("ALTER TABLE messages DROP COLUMN replaces_message_id")
    con.close()
    rows = [
        row("M-01", P1, "admit-inpatient", "2023-02-03T21:45", episode="EP-1").replace(
            "5001020", "5001030"
        ),
        row(
            "N-1",
            P1,
            "revise-admit-inpatient",
            "2023-02-04T08:00",
            event_at="2023-02-03T21:00",
            replaces="M-01",
        ),
    ]
    result = _load(tmp_path, wh, _deliver(tmp_path, "d", *rows), direct=direct)
    assert result.first_errors == [] and result.status == "loaded"
    assert _stored(wh, "M-01")[1:3] == (None, None)
    assert _stored(wh, "N-1")[2] == "M-01"
