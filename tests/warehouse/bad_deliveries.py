"""Bad deliveries for the bad-input suite (test_bad_input.py), each built from the example
delivery by one change, with what loading it must say.

CPR numbers here are synthetic: the example delivery's, and those `synthetic_cpr` makes
from a birth date and a serial number by the century rule.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

CPR_SHAPED = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def synthetic_cpr(born: date, serial: int) -> str:
    """A valid CPR number (date + century rule) for a person born in 1900–2036: the 7th
    digit 0–3 for the 1900s, 4 for 2000–2036. No modulus-11 check, as in the contract."""
    if 1900 <= born.year <= 1999:
        seventh = serial % 4
    elif 2000 <= born.year <= 2036:
        seventh = 4
    else:
        raise ValueError("synthetic CPRs only for births 1900–2036")
    return f"{born:%d%m%y}{seventh}{serial % 1000:03d}"


# Synthetic CPRs the cases put where a CPR must never go.
STRAY = synthetic_cpr(date(1961, 7, 14), 2117)  # 1407612117
STRAY_HYPHEN = f"{STRAY[:6]}-{STRAY[6:]}"


@dataclass(frozen=True)
class Expect:
    """What loading must give. Rule-level errors: the report row (file, row, column, rule).
    A refused delivery: words the single message must contain (file and line)."""

    file: str = ""
    row: int | None = None
    column: str = ""
    rule: str = ""
    refused: tuple[str, ...] = ()  # words of the one-line refusal
    loads: bool = False  # a control: the delivery is fine and loads whole
    shown: tuple[str, ...] = ()  # texts the terminal must show literally
    info: tuple[str, ...] = ()  # texts `tvaers db info` must show literally afterwards
    report_value: str | None = None  # the value errors.csv must give for the row
    subprocess: bool = False  # may hang if opened: run the CLI in a child with a timeout


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], None]
    expect: Expect
    quarantine: bool = False  # also load in quarantine mode


# --- editing helpers -------------------------------------------------------------------


def rows(d: Path, table: str) -> tuple[list[str], list[list[str]]]:
    with (d / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        data = list(csv.reader(fh))
    return data[0], data[1:]


def write(d: Path, table: str, header: list[str], body: list[list[str]], name: str = "") -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    (d / (name or f"{table}.csv")).write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        header, body = rows(d, table)
        body[row - 1][header.index(column)] = value
        write(d, table, header, body)

    return build


def meta(text: str) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        (d / "delivery.json").write_text(text, encoding="utf-8")

    return build


def raw_bytes(table: str, data: bytes) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        (d / f"{table}.csv").write_bytes(data)

    return build


def append_bytes(table: str, data: bytes) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        with (d / f"{table}.csv").open("ab") as fh:
            fh.write(data)

    return build


def rename_column(table: str, old: str, new: str) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        header, body = rows(d, table)
        header[header.index(old)] = new
        write(d, table, header, body)

    return build


def add_column(table: str, name: str, value: str = "") -> Callable[[Path], None]:
    def build(d: Path) -> None:
        header, body = rows(d, table)
        write(d, table, [*header, name], [[*r, value] for r in body])

    return build


def replace_with_dir(name: str) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        (d / name).unlink(missing_ok=True)
        (d / name).mkdir()
        (d / name / "x.csv").write_text("a\n", encoding="utf-8")

    return build


def replace_with_fifo(name: str) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        (d / name).unlink(missing_ok=True)
        os.mkfifo(d / name)

    return build


def replace_with_link(name: str, target: str) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        (d / name).unlink(missing_ok=True)
        (d / name).symlink_to(target)

    return build


def both(*builds: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        for b in builds:
            b(d)

    return build


def extra_file(name: str, table: str) -> Callable[[Path], None]:
    """A second file for `table` under another spelling (a copy of the first)."""

    def build(d: Path) -> None:
        (d / name).write_bytes((d / f"{table}.csv").read_bytes())

    return build


def as_parquet_with_two(table: str, column: str) -> Callable[[Path], None]:
    """The table as Parquet, with `column` stored twice (the second copy altered)."""

    def build(d: Path) -> None:
        header, body = rows(d, table)
        arrays = [pa.array([r[i] for r in body]) for i in range(len(header))]
        second = pa.array(["M" if v == "F" else "F" for v in arrays[header.index(column)]])
        pq.write_table(
            pa.Table.from_arrays([*arrays, second], names=[*header, column]), d / f"{table}.parquet"
        )
        (d / f"{table}.csv").unlink()

    return build


def parquet_copy(table: str, name: str) -> Callable[[Path], None]:
    """The table also as Parquet under `name`, beside its CSV file."""

    def build(d: Path) -> None:
        header, body = rows(d, table)
        arrays = [pa.array([r[i] for r in body]) for i in range(len(header))]
        pq.write_table(pa.Table.from_arrays(arrays, names=header), d / name)

    return build


def typed_parquet(table: str, select: str) -> Callable[[Path], None]:
    """The table as Parquet with typed columns: `select` over its CSV text (DuckDB)."""

    def build(d: Path) -> None:
        source = d / f"{table}.csv"
        con = duckdb.connect()
        con.execute("SET TimeZone = 'Europe/Copenhagen'")
        con.execute(
            f"COPY (SELECT {select} FROM read_csv('{source}', all_varchar = true)) "
            f"TO '{d / table}.parquet' (FORMAT parquet)"
        )
        con.close()
        source.unlink()

    return build


def corrupt_parquet(table: str) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        (d / f"{table}.parquet").write_bytes(b"PAR1" + b"\0" * 64)
        (d / f"{table}.csv").unlink()

    return build


def long_last_line(table: str, column: str, size: int) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        header, body = rows(d, table)
        extra = list(body[-1])
        extra[header.index(column)] = "x" * size
        write(d, table, header, [*body, extra])

    return build


def sparse(table: str, size: int) -> Callable[[Path], None]:
    """The file extended with a hole: NUL bytes after its rows, as a file cut off by a
    crash or a copy that never finished."""

    def build(d: Path) -> None:
        with (d / f"{table}.csv").open("r+b") as fh:
            fh.truncate(size)

    return build


def shifted_persons_header(d: Path) -> None:
    """The header shifted by one: the CPR numbers land in `sex`."""
    header, body = rows(d, "persons")
    write(d, "persons", ["sex", "cpr", "birth_date", "death_date"], body)
    del header


def person_id_keyed(first_two: str) -> Callable[[Path], None]:
    """Persons and residence keyed by person_id; the first two persons get `first_two`."""

    def build(d: Path) -> None:
        for table in ("persons", "residence"):
            header, body = rows(d, table)
            header[header.index("cpr")] = "person_id"
            for r in body:
                r[0] = "P" + r[0].replace("-", "")[-4:]
            if table == "persons":
                body[0][0] = body[1][0] = first_two
            write(d, table, header, body)
        for p in d.glob("*.csv"):
            if p.stem not in ("persons", "residence"):
                p.unlink()

    return build


def contacts_in(year: int) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        header, body = rows(d, "hospital_contacts")
        for r in body:
            for col in ("start", "end", "ready_for_discharge"):
                i = header.index(col)
                if r[i]:
                    r[i] = f"{year}{r[i][4:]}"
        write(d, "hospital_contacts", header, body)

    return build


def new_person(cpr: str, birth: str) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        header, body = rows(d, "persons")
        write(d, "persons", header, [*body, [cpr, birth, "F", ""]])

    return build


def _r(file, row, column, rule, **kw) -> Expect:
    return Expect(file=file, row=row, column=column, rule=rule, **kw)


def _refused(*words, **kw) -> Expect:
    return Expect(refused=words, **kw)


def _cell(
    case_id: str,
    table: str,
    row: int,
    column: str,
    value: str,
    rule: str,
    *,
    quarantine: bool = False,
    **expect,
) -> Case:
    """One cell of the table set to `value`: loading must name that same cell (file, row,
    column) with `rule`; ``expect`` adds to the Expect (shown, report_value)."""
    return Case(
        case_id,
        set_cell(table, row, column, value),
        _r(f"{table}.csv", row, column, rule, **expect),
        quarantine=quarantine,
    )


def _meta_refused(case_id: str, text: str, *words: str) -> Case:
    """delivery.json holding `text`: refused in one line naming it (and `words`)."""
    return Case(case_id, meta(text), _refused("delivery.json", *words))


def _loads(case_id: str, build: Callable[[Path], None], **kw) -> Case:
    """A control: odd but valid, the delivery loads whole (``kw``: more of ``Expect``)."""
    return Case(case_id, build, Expect(loads=True, **kw))


MS, HC, PR, RS, RF = (
    "municipal_services",
    "hospital_contacts",
    "prescriptions",
    "residence",
    "referrals",
)

CASES: list[Case] = [
    # --- hours_per_week: at most 168, a finite decimal -------------------------------
    _cell(
        "hours_1e400_digits",
        MS,
        1,
        "hours_per_week",
        "1" + "0" * 400,
        "invalid_number",
        quarantine=True,
    ),
    _cell(
        "hours_10_pow_20", MS, 2, "hours_per_week", "1" + "0" * 20, "above_maximum", quarantine=True
    ),
    _cell("hours_168_and_a_half", MS, 1, "hours_per_week", "168.5", "above_maximum"),
    _cell("hours_inf", MS, 1, "hours_per_week", "inf", "invalid_number"),
    _cell("hours_nan", MS, 1, "hours_per_week", "NaN", "invalid_number"),
    _cell("hours_exponent", MS, 1, "hours_per_week", "1e3", "invalid_number"),
    _cell("hours_negative", MS, 1, "hours_per_week", "-1", "below_minimum"),
    _cell("hours_decimal_comma", MS, 1, "hours_per_week", "2,5", "invalid_number"),
    # --- years 1900–2100 and real offsets ---------------------------------------------
    _cell(
        "date_year_0000", PR, 1, "dispensed_on", "0000-01-01", "year_out_of_range", quarantine=True
    ),
    _cell("date_1899", RS, 1, "valid_from", "1899-12-31", "year_out_of_range"),
    _cell("date_2101", RF, 1, "started_on", "2101-01-01", "year_out_of_range"),
    _cell("datetime_year_0000", "gp_contacts", 2, "at", "0000-09-20T10:20", "year_out_of_range"),
    _cell(
        "datetime_year_9999", "municipal_visits", 1, "at", "9999-02-08T09:30", "year_out_of_range"
    ),
    _cell(
        "offset_plus_99_99",
        HC,
        1,
        "start",
        "2023-02-03T21:40+99:99",
        "invalid_offset",
        quarantine=True,
    ),
    _cell("offset_minus_13", HC, 2, "end", "2023-02-07T11:00-13:00", "invalid_offset"),
    _cell("offset_plus_14_30", HC, 2, "end", "2023-02-07T11:00+14:30", "invalid_offset"),
    _cell(
        "offset_minutes_75", "messages", 1, "sent_at", "2023-02-03T21:45+01:75", "invalid_offset"
    ),
    Case("contacts_in_2998", contacts_in(2998), _r(f"{HC}.csv", 1, "start", "year_out_of_range")),
    _cell(
        "birth_date_before_cpr_centuries",
        "persons",
        1,
        "birth_date",
        "1857-03-12",
        "year_out_of_range",
    ),
    # --- a CPR only in the person key ---------------------------------------------------
    _cell(
        "cpr_as_contact_id", HC, 1, "contact_id", STRAY, "cpr_outside_person_key", quarantine=True
    ),
    _cell(
        "cpr_as_referral_id",
        RF,
        1,
        "referral_id",
        STRAY_HYPHEN,
        "cpr_outside_person_key",
        quarantine=True,
    ),
    _cell("cpr_as_message_id", "messages", 2, "message_id", STRAY, "cpr_outside_person_key"),
    _cell(
        "cpr_as_episode_id",
        "messages",
        1,
        "episode_id",
        STRAY,
        "cpr_outside_person_key",
        quarantine=True,
    ),
    _cell("cpr_as_hospital_code", HC, 3, "hospital_code", STRAY_HYPHEN, "cpr_outside_person_key"),
    _cell("cpr_as_clinic_id", "gp_contacts", 1, "clinic_id", STRAY, "cpr_outside_person_key"),
    _cell("cpr_as_sender", "messages", 1, "sender", STRAY, "cpr_outside_person_key"),
    _cell("cpr_as_receiver", "messages", 3, "receiver", STRAY_HYPHEN, "cpr_outside_person_key"),
    _cell(
        "cpr_as_diagnosis_contact_id",
        "hospital_diagnoses",
        1,
        "contact_id",
        STRAY,
        "cpr_outside_person_key",
    ),
    _cell("cpr_in_diagnosis", HC, 1, "diagnosis", STRAY, "invalid_code", quarantine=True),
    _cell("cpr_in_municipality_code", RS, 1, "municipality_code", STRAY, "unknown_municipality"),
    _cell("cpr_in_hours", MS, 1, "hours_per_week", STRAY_HYPHEN, "invalid_number"),
    Case(
        "cpr_in_sex_shifted_header",
        shifted_persons_header,
        _r("persons.csv", 1, "sex", "not_in_list"),
        quarantine=True,
    ),
    _cell("cpr_inside_free_text", HC, 1, "diagnosis", f"DN39 {STRAY}", "invalid_code"),
    # CPR-shaped but no CPR (31 February): a legal person_id, yet masked in every report
    Case(
        "person_id_cpr_shaped_duplicate",
        person_id_keyed("3102991234"),
        _r("persons.csv", 1, "person_id", "duplicate_key"),
    ),
    _cell("cpr_with_bad_date", "persons", 2, "cpr", "310299-1234", "invalid_cpr"),
    Case(
        "cpr_birth_mismatch",
        new_person(STRAY, "1961-07-15"),
        _r("persons.csv", 6, "birth_date", "cpr_birth_date_mismatch"),
        quarantine=True,
    ),
    # --- markup in values and names is shown literally ------------------------------------
    _cell("markup_closing_tag_in_sex", "persons", 1, "sex", "[/]", "not_in_list", shown=("[/]",)),
    _cell(
        "markup_bold_in_diagnosis",
        HC,
        2,
        "diagnosis",
        "[bold]DN390",
        "invalid_code",
        shown=("[bold]DN390",),
    ),
    Case(
        "markup_column_name",
        both(add_column("persons", "[/]"), set_cell("persons", 1, "sex", "X")),
        _r("persons.csv", 1, "sex", "not_in_list", shown=("'[/]'",)),
    ),
    # a formula is shown as delivered on the terminal, but kept as text in the CSV files
    _cell(
        "formula_in_diagnosis",
        HC,
        1,
        "diagnosis",
        '=HYPERLINK("http://example.invalid","DN390")',
        "invalid_code",
        shown=("=HYPERLINK",),
        report_value='\'=HYPERLINK("http://example.invalid","DN390")',
        quarantine=True,
    ),
    _cell(
        "negative_hours_stay_a_number",
        MS,
        1,
        "hours_per_week",
        "-2.5",
        "below_minimum",
        report_value="-2.5",
    ),
    # --- delivery.json --------------------------------------------------------------------
    _meta_refused(
        "extracted_9999_12_31", '{"source": "x", "extracted_at": "9999-12-31"}', "extracted_at"
    ),
    Case(
        "extracted_2999_contacts_2998",
        both(meta('{"source": "x", "extracted_at": "2999-01-01"}'), contacts_in(2998)),
        _refused("delivery.json", "extracted_at"),
    ),
    _meta_refused(
        "extracted_trailing_text", '{"extracted_at": "2025-02-01 og lidt mere"}', "extracted_at"
    ),
    _meta_refused("extracted_with_time", '{"extracted_at": "2025-02-01T10:00"}', "extracted_at"),
    _meta_refused("extracted_number", '{"extracted_at": 20250201}', "extracted_at"),
    _meta_refused("extracted_1899", '{"extracted_at": "1899-12-31"}', "extracted_at"),
    _meta_refused("extracted_not_a_day", '{"extracted_at": "2025-02-30"}', "extracted_at"),
    _meta_refused("meta_deeply_nested", "[" * 30000 + "]" * 30000),
    _meta_refused("meta_too_large", '{"source": "' + "x" * 70000 + '"}'),
    _meta_refused("meta_not_an_object", '["Region Syddanmark"]'),
    _meta_refused("meta_source_with_cpr", f'{{"source": "Region {STRAY}"}}'),
    _meta_refused("meta_source_not_text", '{"source": {"name": "x"}}'),
    Case(
        "meta_not_utf8",
        lambda d: (d / "delivery.json").write_bytes(b'{"source": "\xf8"}'),
        _refused("delivery.json"),
    ),
    Case(
        "meta_is_a_directory",
        replace_with_dir("delivery.json"),
        _refused("delivery.json", "almindelig fil"),
    ),
    # --- files: names, kinds, duplicates ---------------------------------------------
    Case(
        "table_is_a_directory",
        replace_with_dir("persons.csv"),
        _refused("persons.csv", "almindelig fil"),
    ),
    Case(
        "table_is_a_fifo",
        replace_with_fifo("persons.csv"),
        _refused("persons.csv", "almindelig fil", subprocess=True),
    ),
    Case(
        "meta_is_a_fifo",
        replace_with_fifo("delivery.json"),
        _refused("delivery.json", "almindelig fil", subprocess=True),
    ),
    Case(
        "table_is_a_device",
        replace_with_link("prescriptions.csv", "/dev/zero"),
        _refused("prescriptions.csv", "almindelig fil", subprocess=True),
    ),
    Case(
        "table_is_a_broken_link",
        replace_with_link("referrals.csv", "/no/such/file"),
        _refused("referrals.csv", "almindelig fil"),
    ),
    Case(
        "two_files_other_case",
        extra_file("Residence.CSV", "residence"),
        _refused("Residence.CSV", "residence.csv"),
    ),
    Case(
        "two_files_other_format",
        parquet_copy("persons", "PERSONS.parquet"),
        _refused("persons", ".csv", ".parquet"),
    ),
    Case(
        "parquet_two_sex_columns",
        as_parquet_with_two("persons", "sex"),
        _refused("persons.parquet", "sex"),
    ),
    Case(
        "header_same_name_other_case",
        rename_column("persons", "death_date", "SEX"),
        _refused("persons.csv", "sex"),
    ),
    Case(
        "header_unnamed_column", add_column("residence", ""), _refused("residence.csv", "linje 1")
    ),
    Case(
        "header_field_200kb",
        add_column("persons", "h" * 200_000),
        _refused("persons.csv", "linje 1"),
    ),
    Case(
        "header_without_line_break",
        raw_bytes("gp_contacts", b"cpr," + b"y" * 300_000),
        _refused("gp_contacts.csv", "linje 1"),
    ),
    Case(
        "header_not_utf8",
        raw_bytes(PR, b"cpr,dispensed_on,atc,b\xf8rn\n"),
        _refused(f"{PR}.csv", "UTF-8"),
    ),
    Case(
        "header_nul", raw_bytes(PR, b"cpr,dispensed\0_on,atc\n"), _refused(f"{PR}.csv", "linje 1")
    ),
    # --- rows the reader cannot read ------------------------------------------------------
    Case(
        "nul_in_a_row",
        append_bytes(PR, b"0101552213,2023-01-0\x001,A10BA02\n"),
        _refused(f"{PR}.csv", "linje 5", "NUL"),
    ),
    Case(
        "sparse_file",
        sparse("gp_contacts", 5_000_000),
        _refused("gp_contacts.csv", "linje 4", "NUL"),
    ),
    Case(
        "long_last_line",
        long_last_line(PR, "atc", 3_000_000),
        _refused(f"{PR}.csv, linje 5", "Maximum line size"),
    ),
    # past 32 MiB DuckDB's reader drops such a line without a word: only the line count
    # (taken with the fingerprint) notices the missing row
    Case(
        "very_long_last_line",
        long_last_line(PR, "atc", 34_000_000),
        _refused(f"{PR}.csv", "linje 5", "datalinjer"),
    ),
    Case(
        "truncated_in_quotes",
        append_bytes(RF, b'R-02,0101552213,gp,"prevention'),
        _refused(f"{RF}.csv, linje 3", "unterminated quote"),
    ),
    Case(
        "row_too_short",
        append_bytes(RS, b"0101552213,580\n"),
        _refused(f"{RS}.csv, linje 8", "Expected Number of Columns"),
    ),
    Case(
        "row_too_long",
        append_bytes(RS, b"0101552213,580,2022-09-01,,extra\n"),
        _refused(f"{RS}.csv, linje 8", "Expected Number of Columns"),
    ),
    Case(
        "row_not_utf8",
        append_bytes(PR, b"0101552213,2023-01-01,A10B\xe602\n"),
        _refused(f"{PR}.csv, linje 5", "utf-8"),
    ),
    Case("corrupt_parquet", corrupt_parquet(RF), _refused("referrals.parquet")),
    # typed Parquet values are judged by the same rules as text
    Case(
        "parquet_hours_infinite",
        typed_parquet(
            MS,
            "* REPLACE (CASE WHEN start = '2022-06-01' THEN 'inf'::DOUBLE "
            "ELSE hours_per_week::DOUBLE END AS hours_per_week)",
        ),
        _r(f"{MS}.parquet", 2, "hours_per_week", "invalid_number"),
    ),
    Case(
        "parquet_hours_10_pow_20",
        typed_parquet(
            MS,
            "* REPLACE (CASE WHEN start = '2022-06-01' THEN 1e20 "
            "ELSE hours_per_week::DOUBLE END AS hours_per_week)",
        ),
        _r(f"{MS}.parquet", 2, "hours_per_week", "invalid_number"),
    ),
    Case(
        "parquet_date_1899",
        typed_parquet(
            PR,
            "* REPLACE (CASE WHEN dispensed_on = '2022-03-01' THEN DATE "
            "'1899-03-01' ELSE dispensed_on::DATE END AS dispensed_on)",
        ),
        _r(f"{PR}.parquet", 1, "dispensed_on", "year_out_of_range"),
    ),
    Case(
        "parquet_timestamptz_2998",
        typed_parquet(
            "messages",
            "* REPLACE (CASE WHEN message_id = 'M-01' THEN TIMESTAMPTZ "
            "'2998-01-01 10:00:00+00' ELSE sent_at::TIMESTAMPTZ END AS sent_at)",
        ),
        _r("messages.parquet", 1, "sent_at", "year_out_of_range"),
    ),
    Case(
        "empty_table_file",
        raw_bytes(RF, b""),
        _r(f"{RF}.csv", None, "referral_id", "missing_column"),
    ),
    # --- controls: odd but valid, loads whole ----------------------------------------------
    _loads("control_upper_case_name", lambda d: (d / "persons.csv").rename(d / "Persons.CSV")),
    _loads("control_line_break_in_value", set_cell(HC, 1, "hospital_code", "50010\n30")),
    _loads("control_blank_lines", append_bytes(PR, b"\n\n0101552213,2023-05-01,A10BA02\n\n")),
    _loads(
        "control_crlf",
        lambda d: (d / "residence.csv").write_bytes(
            (d / "residence.csv").read_bytes().replace(b"\n", b"\r\n")
        ),
    ),
    _loads(
        "control_no_final_line_break",
        lambda d: (d / "residence.csv").write_bytes(
            (d / "residence.csv").read_bytes().rstrip(b"\n")
        ),
    ),
    _loads(
        "control_markup_source",
        meta('{"source": "[/] [bold]Region", "extracted_at": "2025-02-01"}'),
        info=("[/] [bold]Region",),
    ),
    _loads("control_markup_header_column", add_column("residence", "[/]"), shown=("'[/]'",)),
    _loads("control_cpr_named_column", add_column("prescriptions", STRAY)),
    # a long run of digits (a SOR code) is no CPR number
    _loads("control_sor_code", set_cell(HC, 1, "hospital_code", "265161000016000")),
    _loads("control_hours_168", set_cell(MS, 1, "hours_per_week", "168")),
    _loads("control_offset_plus_14", set_cell(HC, 1, "start", "2023-02-03T21:40+14:00")),
]
