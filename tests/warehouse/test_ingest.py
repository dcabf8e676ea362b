"""Loading as a whole: modes, reports, idempotence, linkage, updates and the CPR guarantee."""

from __future__ import annotations

import csv
import hashlib
import hmac
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TEST_KEY_HEX
from tests.warehouse.conftest import EXAMPLE_CPRS
from tvaers.warehouse.ingest import IngestRefused
from tvaers.warehouse.storage import connect_read_only

CONTACT_HEADER = "contact_id,cpr,hospital_code,start,end,contact_type,priority,sector,diagnosis,ready_for_discharge,discharged_to\n"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _query(db: Path, sql: str, params=None):
    con = connect_read_only(db)  # Danish local time, as every Tværs reader
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _pseudonym(cpr10: str) -> str:
    return hmac.new(bytes.fromhex(TEST_KEY_HEX), cpr10.encode(), hashlib.sha256).hexdigest()


def test_example_loads_every_row(example, load, db):
    result = load(example)
    assert result.status == "loaded"
    assert (result.delivered, result.loaded, result.quarantined) == (34, 34, 0)
    counts = dict(_query(db, "SELECT table_name, rows_loaded FROM delivery_tables"))
    assert counts["hospital_contacts"] == 6 and counts["persons"] == 5


def test_cpr_becomes_the_keyed_pseudonym(example, load, db):
    load(example)
    keys = {r[0] for r in _query(db, "SELECT person_key FROM persons")}
    assert keys == {_pseudonym(c) for c in EXAMPLE_CPRS}
    # CPR with and without a dash link to the same person across tables
    linked = _query(
        db,
        "SELECT count(*) FROM residence r JOIN persons p USING (person_no) WHERE p.person_key = ?",
        [_pseudonym("0101552213")],
    )
    assert linked == [(2,)]


def test_values_are_typed_and_normalised(example, load, db):
    example.set("residence", 1, "municipality_code", "0540")
    load(example)
    assert _query(db, "SELECT DISTINCT municipality_code FROM residence ORDER BY 1")[0] == ("461",)
    assert ("540",) in _query(db, "SELECT municipality_code FROM residence")
    # Danish local time: 21:40 in February is 20:40 UTC
    row = _query(
        db,
        "SELECT strftime(start AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM hospital_contacts "
        "WHERE contact_id = 'K-0001'",
    )
    assert row == [("2023-02-03 20:40",)]


def test_strict_rejection_leaves_warehouse_byte_for_byte(example, load, db):
    load(example)
    before = _digest(db)
    example.meta(source="Region Syddanmark", extracted_at="2025-03-01")
    example.set("hospital_contacts", 1, "priority", "urgent")
    result = load(example)
    assert result.status == "rejected"
    assert _digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["tvaers.duckdb", "tvaers.duckdb.lock"]


def test_quarantine_loads_valid_rows_and_accounts_for_every_row(example, load, db):
    example.set("persons", 1, "sex", "K")  # person 1 is rejected …
    example.set("prescriptions", 3, "atc", "XX")  # … and one unrelated row
    result = load(example, mode="quarantine")
    assert result.status == "loaded"
    assert result.loaded + result.quarantined == result.delivered == 34
    # person 1 takes its dependent rows with it
    person1 = _pseudonym("1203471018")
    assert _query(
        db,
        "SELECT count(*) FROM hospital_contacts JOIN persons USING (person_no) WHERE person_key = ?",
        [person1],
    ) == [(0,)]
    by_table = {t.table: t for t in result.tables}
    assert by_table["hospital_contacts"].quarantined == 3
    assert by_table["hospital_diagnoses"].quarantined == 1  # K-0002's diagnosis: contact rejected
    assert by_table["prescriptions"].quarantined == 3
    rows = list(csv.DictReader(result.quarantine_files["hospital_diagnoses"].open()))
    assert rows == [
        {
            "data_row": "1",
            "reasons": "contact_rejected",
            "contact_id": "K-0002",
            "code": "DE119",
            "kind": "B",
        }
    ]
    persons = list(csv.DictReader(result.quarantine_files["persons"].open()))
    assert persons[0]["cpr"] == "120347-xxxx" and persons[0]["reasons"] == "not_in_list"
    loaded = _query(db, "SELECT rows_loaded, rows_quarantined, mode FROM deliveries")
    assert loaded == [(result.loaded, result.quarantined, "quarantine")]


def test_error_report_csv_names_file_row_column_value_rule(example, load):
    example.set("hospital_contacts", 4, "diagnosis", "J449")
    result = load(example)
    rows = list(csv.DictReader(result.report_path.open(encoding="utf-8")))
    assert rows[0]["file"] == "hospital_contacts.csv"
    assert (rows[0]["row"], rows[0]["column"], rows[0]["value"], rows[0]["rule"]) == (
        "4",
        "diagnosis",
        "J449",
        "invalid_code",
    )
    assert "kodeformat" in rows[0]["message"]
    assert result.error_counts == [("invalid_code", result.error_counts[0][1], 1)]


def test_cpr_is_masked_in_errors(example, load):
    example.set("residence", 4, "cpr", "0202024123")
    result = load(example)
    assert [e.value for e in result.first_errors] == ["020202-xxxx"]


def test_same_delivery_twice_changes_nothing(example, load, db):
    first = load(example)
    before = _digest(db)
    second = load(example)
    assert (second.status, second.delivery_id) == ("already_loaded", first.delivery_id)
    assert _digest(db) == before


def test_overlapping_delivery_keeps_one_row_per_natural_key(example, load, db):
    load(example)
    example.meta(source="Region Syddanmark, ny udtrækning", extracted_at="2025-03-01")
    result = load(example)
    assert result.status == "loaded"
    assert _query(db, "SELECT count(*) FROM hospital_contacts") == [(6,)]
    assert _query(db, "SELECT count(*) FROM prescriptions") == [(3,)]
    assert _query(db, "SELECT count(*) FROM deliveries") == [(2,)]


def test_later_delivery_updates_and_adds(example, load, db, new_delivery):
    load(example)
    later = new_delivery(
        "later",
        meta='{"source": "Region Syddanmark", "extracted_at": "2025-06-01"}',
        persons="cpr,birth_date,sex,death_date\n120347-1018,1947-03-12,F,2025-05-01\n",
        hospital_contacts=CONTACT_HEADER
        + "K-0001,1203471018,5001030,2023-02-03T21:40,2023-02-04T02:30,physical,acute,somatic,DN390,,other_hospital\n",
    )
    result = load(later)
    assert result.status == "loaded", result.first_errors
    death = _query(
        db,
        "SELECT death_date::VARCHAR FROM persons WHERE person_key = ?",
        [_pseudonym("1203471018")],
    )
    assert death == [("2025-05-01",)]
    end = _query(
        db,
        "SELECT strftime(\"end\", '%H:%M'), delivery_id FROM hospital_contacts WHERE contact_id = 'K-0001'",
    )
    assert end == [("02:30", 2)]


def test_conflicts_with_warehouse_are_errors(example, load, new_delivery):
    load(example)
    later = new_delivery(
        "later",
        persons="cpr,birth_date,sex,death_date\n120347-1018,1947-03-12,M,\n081130-1449,1930-11-08,F,2024-02-11\n",
        hospital_contacts=CONTACT_HEADER
        + "K-0004,1203471018,5001030,2023-10-11T08:15,2023-10-11T11:45,physical,planned,somatic,DJ449,,home\n",
    )
    result = load(later)
    assert result.status == "rejected"
    got = {(e.file, e.row, e.column, e.rule) for e in result.first_errors}
    assert ("persons.csv", 1, "sex", "conflicts_with_warehouse") in got
    assert ("persons.csv", 2, "death_date", "conflicts_with_warehouse") in got
    assert ("hospital_contacts.csv", 1, "cpr", "conflicts_with_warehouse") in got


def test_overlap_with_warehouse_period(example, load, new_delivery):
    load(example)
    later = new_delivery(
        "later", residence="cpr,municipality_code,valid_from,valid_to\n1203471018,461,2020-01-01,\n"
    )
    result = load(later)
    assert [(e.row, e.rule) for e in result.first_errors] == [(1, "overlapping_residence")]
    # closing the old period in the same delivery makes the move valid
    (later / "residence.csv").write_text(
        "cpr,municipality_code,valid_from,valid_to\n"
        "1203471018,540,1985-04-01,2020-01-01\n1203471018,461,2020-01-01,\n"
    )
    assert load(later).status == "loaded"


def test_sources_link_on_the_person(example, load, db, new_delivery):
    example.remove("municipal_services", "municipal_visits", "gp_contacts", "referrals")
    load(example)
    municipality = new_delivery(
        "sonderborg",
        meta='{"source": "Sønderborg Kommune", "extracted_at": "2025-02-01"}',
        municipal_services="cpr,municipality_code,service,start,end,hours_per_week\n120347-1018,540,home_nursing,2023-02-07,,2\n",
    )
    gp = new_delivery(
        "gp", gp_contacts="cpr,clinic_id,at,kind\n1203471018,012345,2023-02-10,consultation\n"
    )
    assert load(municipality).status == "loaded"
    assert load(gp).status == "loaded"
    linked = _query(
        db,
        "SELECT count(DISTINCT p.person_key) FROM persons p "
        "JOIN hospital_contacts h USING (person_no) JOIN municipal_services m USING (person_no) "
        "JOIN gp_contacts g USING (person_no)",
    )
    assert linked == [(1,)]
    sources = [r[0] for r in _query(db, "SELECT source FROM deliveries ORDER BY delivery_id")]
    assert sources[1:] == ["Sønderborg Kommune", None]


def test_person_id_delivery(example, load, db):
    for table in ("persons", "residence"):
        rows = example.rows(table)
        for r in rows:
            r["person_id"] = "P" + r.pop("cpr").replace("-", "")[-4:]
        example.write(table, rows)
    example.keep_only("persons", "residence")
    result = load(example)
    assert result.status == "loaded"
    assert _query(db, "SELECT person_key FROM persons ORDER BY 1")[0] == ("P0421",)
    assert _query(db, "SELECT person_key_kind FROM deliveries") == [("person_id",)]


def test_parquet_and_bom_csv(example, load, db):
    con = duckdb.connect()
    src = example.path / "hospital_contacts.csv"
    con.execute(
        f"COPY (SELECT * FROM read_csv('{src}', all_varchar=true)) "
        f"TO '{example.path / 'hospital_contacts.parquet'}' (FORMAT parquet)"
    )
    src.unlink()
    persons = example.path / "persons.csv"
    persons.write_bytes(b"\xef\xbb\xbf" + persons.read_bytes())
    result = load(example)
    assert result.status == "loaded", result.first_errors
    assert _query(db, "SELECT count(*) FROM hospital_contacts") == [(6,)]


def test_unknown_column_warns_and_is_ignored(example, load):
    rows = example.rows("persons")
    for r in rows:
        r["navn"] = "x"
    example.write("persons", rows)
    result = load(example)
    assert result.status == "loaded"
    assert any("navn" in w for w in result.warnings)


def test_missing_required_column_rejects_with_report(example, load):
    example.drop_column("persons", "sex")
    result = load(example)
    assert result.status == "rejected"
    assert [(e.file, e.column, e.rule) for e in result.first_errors] == [
        ("persons.csv", "sex", "missing_column")
    ]
    assert "missing_column" in result.report_path.read_text()


def test_missing_optional_column_is_fine(example, load):
    example.drop_column("persons", "death_date")
    example.set("hospital_contacts", 5, "start", "2024-01-20T14:00")
    assert load(example).status == "loaded"


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda d: d.remove("persons"), "persons"),
        (lambda d: (d.path / "persons.parquet").write_bytes(b"PAR1"), "både som .csv og"),
        (
            lambda d: (d.remove("gp_contacts"), (d.path / "gp_contacts.parquet").write_bytes(b"x")),
            "kan ikke læses som Parquet",
        ),
        (lambda d: (d.path / "delivery.json").write_text("{nope"), "JSON"),
        (
            lambda d: (d.path / "referrals.csv").write_text(
                "referral_id,person_id,from_sector,service,municipality_code,referred_on\n"
            ),
            "cpr",
        ),
    ],
    ids=[
        "no_persons_in_empty_warehouse",
        "csv_and_parquet",
        "corrupt_parquet",
        "bad_delivery_json",
        "mixed_person_keys",
    ],
)
def test_undeliverable_deliveries_are_refused(example, load, db, setup, words):
    setup(example)
    with pytest.raises(IngestRefused, match=words):
        load(example)
    assert not db.exists()


def test_cpr_delivery_without_key_is_refused(example, load, db, monkeypatch):
    monkeypatch.delenv("TVAERS_SECRET_KEY")
    with pytest.raises(IngestRefused, match="tvaers keys init"):
        load(example)
    assert not db.exists()


def test_another_key_is_refused(example, load, db, monkeypatch, tmp_path):
    load(example)
    before = _digest(db)
    monkeypatch.setenv("TVAERS_SECRET_KEY", "11" * 32)
    example.meta(extracted_at="2025-03-01")
    with pytest.raises(IngestRefused, match="anden pseudonymiseringsnøgle"):
        load(example)
    assert _digest(db) == before


def test_no_raw_cpr_in_any_file_written(example, load, db, tmp_path):
    example.set("persons", 2, "sex", "X")  # errors and quarantine files get written too
    example.append("residence", cpr="0202024123", municipality_code="540", valid_from="2002-02-02")
    result = load(example, mode="quarantine")
    assert result.quarantined > 0
    written = [p for p in tmp_path.rglob("*") if p.is_file() and example.path not in p.parents]
    assert any(p.suffix == ".duckdb" for p in written)
    assert any(p.name == "errors.csv" for p in written)
    assert any("quarantine" in p.parts for p in written)
    needles = []
    for cpr in [*EXAMPLE_CPRS, "0202024123"]:
        needles += [cpr.encode(), f"{cpr[:6]}-{cpr[6:]}".encode()]
    for path in written:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"raw CPR {needle[:6]!r}… found in {path}"


def test_cpr_delivered_as_person_id_is_refused_and_masked(example, load, db):
    rows = example.rows("persons")
    for r in rows:
        r["person_id"] = r.pop("cpr")
    rows[1]["person_id"] = "P-2"
    example.write("persons", rows)
    example.keep_only("persons")
    result = load(example, mode="quarantine")
    assert result.loaded == 1 and result.quarantined == 4
    assert {e.rule for e in result.first_errors} == {"person_id_is_cpr"}
    assert {e.value for e in result.first_errors} >= {"120347-xxxx", "300699-xxxx"}
    assert _query(db, "SELECT person_key FROM persons") == [("P-2",)]


def test_report_files_are_private(example, load, tmp_path):
    example.set("persons", 1, "sex", "K")
    result = load(example, mode="quarantine")
    for path in [result.report_path, *result.quarantine_files.values()]:
        assert path.stat().st_mode & 0o077 == 0, path


def test_unreadable_csv_row_is_a_clear_refusal(example, load, db):
    with (example.path / "gp_contacts.csv").open("a") as fh:
        fh.write("1203471018,012345,2023-02-11,consultation,extra\n")
    with pytest.raises(IngestRefused, match=r"gp_contacts\.csv") as refused:
        load(example)
    assert "1203471018" not in str(refused.value)  # DuckDB quotes the line; it is scrubbed
    assert not db.exists()


def test_persons_keep_their_number_across_deliveries(example, load, db, new_delivery):
    load(example)
    numbers = dict(_query(db, "SELECT person_key, person_no FROM persons"))
    assert sorted(numbers.values()) == [1, 2, 3, 4, 5]
    later = new_delivery(
        "later",
        persons="cpr,birth_date,sex\n020202-4123,2002-02-02,M\n120347-1018,1947-03-12,F\n",
        residence="cpr,municipality_code,valid_from\n0202024123,540,2002-02-02\n",
    )
    assert load(later).status == "loaded"
    after = dict(_query(db, "SELECT person_key, person_no FROM persons"))
    assert {k: after[k] for k in numbers} == numbers
    assert after[_pseudonym("0202024123")] == 6
    assert _query(db, "SELECT person_no FROM residence WHERE valid_from = DATE '2002-02-02'") == [
        (6,)
    ]


def test_paths_with_quotes_and_spaces(example, tmp_path):
    from tvaers.config import Settings
    from tvaers.warehouse.ingest import ingest

    db = tmp_path / "O'Brien's lager" / "tvaers.duckdb"
    result = ingest(example.path, db, settings=Settings.from_env(), report_dir=tmp_path / "r'x")
    assert result.status == "loaded"
    assert _query(db, "SELECT count(*) FROM persons") == [(5,)]


def test_a_malformed_memory_limit_is_refused_before_anything_happens(
    example, load, db, monkeypatch
):
    monkeypatch.setenv("TVAERS_INGEST_MEMORY_LIMIT", "lots")
    with pytest.raises(IngestRefused, match="TVAERS_INGEST_MEMORY_LIMIT"):
        load(example)
    assert not db.exists()


def test_a_raised_memory_limit_still_loads(example, load, db, monkeypatch):
    monkeypatch.setenv("TVAERS_INGEST_MEMORY_LIMIT", "6GB")
    load(example)
    assert _query(db, "SELECT count(*) FROM persons")[0][0] > 0
