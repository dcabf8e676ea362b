"""Downloads for people and programs: file names that say what they hold, the CSV exactly as
`tvaers indicators export` writes it, and an Excel workbook with a readable sheet per
indicator — each file read back."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from tests.web.helpers import token
from tvaers.dashboards.download_files import slug
from tvaers.indicators.export import EXPORT_COLUMNS, Selection, export

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

PREVENTABLE = "preventable_admissions_65plus"
KOLDING = "municipality:621"


def filename(response) -> str:
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    return disposition.split("filename=")[1].strip('"')


def test_slugs_are_ascii_and_spell_danish_letters_as_danes_do(backend):
    assert slug("Forebyggelige indlæggelser (65+)") == "forebyggelige-indlaeggelser-65plus"
    assert slug("Fanø, Ærø og Års") == "fanoe-aeroe-og-aars"
    assert slug("Café – 2024/Q1") == "cafe-2024-q1"


def test_file_names_say_indicator_unit_and_period(viewer):
    one = viewer.get(f"/download.xlsx?indicator={PREVENTABLE}&unit={KOLDING}&period=2024")
    assert one.status_code == 200
    # The indicator's Danish name is "Forebyggelige indlæggelser blandt ældre".
    assert filename(one) == "tvaers-forebyggelige-indlaeggelser-blandt-aeldre-kolding-2024.xlsx"
    level = viewer.get(f"/download.csv?indicator={PREVENTABLE}&level=municipality&period=year")
    assert filename(level) == "tvaers-forebyggelige-indlaeggelser-blandt-aeldre-kommuner-aar.csv"
    several = viewer.get(
        f"/download.csv?indicator={PREVENTABLE}&indicator=population&period=2023&period=2021"
    )
    assert filename(several) == "tvaers-2-indikatorer-2021-til-2023.csv"
    assert filename(viewer.get("/download.csv?confidential=true")) == (
        "tvaers-indikatorer-fortrolig.csv"
    )
    viewer.post("/language", data={"lang": "en", "csrf_token": token(viewer)})
    english = viewer.get(f"/download.csv?indicator={PREVENTABLE}&level=region&period=month")
    assert filename(english).startswith("tvaers-preventable-")
    assert filename(english).endswith("-regions-months.csv")


def test_the_csv_is_the_exports_format_with_the_same_values(viewer, settings, tmp_path):
    """A viewer sees only what disclosure control lets through, like the CLI's export: the
    web CSV and `tvaers indicators export` must then hold the same text, field by field."""
    query = f"indicator={PREVENTABLE}&level=municipality&level=region&period=2023"
    web = list(csv.reader(io.StringIO(viewer.get(f"/download.csv?{query}").text)))
    assert web[0] == [*EXPORT_COLUMNS, "confidential"]
    out = tmp_path / "export.csv"
    chosen = Selection(
        indicators=(PREVENTABLE,), levels=("municipality", "region"), periods=("2023",)
    )
    export(settings.warehouse, out, "csv", chosen)
    cli = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert cli[0] == list(EXPORT_COLUMNS)
    web_rows = sorted(tuple(r[:-1]) for r in web[1:])
    assert web_rows == sorted(tuple(r) for r in cli[1:])
    suppressed = {r[EXPORT_COLUMNS.index("suppressed")] for r in web[1:]}
    assert suppressed == {"true", "false"}  # both occur among 22 small municipalities
    assert {r[-1] for r in web[1:]} == {"false"}  # a viewer sees nothing confidential


def test_the_excel_file_has_a_readable_sheet_per_indicator(viewer):
    url = f"/download.xlsx?indicator={PREVENTABLE}&indicator=population&unit={KOLDING}"
    response = viewer.get(url + "&period=year")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Forebyggelige indlæggelser blan", "Borgere"]
    sheet = book["Forebyggelige indlæggelser blan"]
    assert sheet["A1"].value == "Forebyggelige indlæggelser blandt ældre"
    assert sheet["A2"].value == "Enheder: Kolding"
    assert sheet["A3"].value.startswith("Mål: pr. 1.000")
    assert sheet["A4"].value.startswith("Lavet ") and "dansk tid" in sheet["A4"].value
    assert sheet.freeze_panes == "A7"
    assert sheet.auto_filter.ref.startswith("A6:")
    header = [c.value for c in sheet[6]]
    assert header[:8] == [
        "Periode",
        "Niveau",
        "Enhedskode",
        "Enhed",
        "Stratum",
        "Tæller",
        "Nævner",
        "Værdi",
    ]
    assert "Standardiseret værdi" in header and header[-2:] == [
        "Diskretioneret",
        "Fortrolig (kun for dig)",
    ]
    # pandas reads the table under the head: years 2019–2024, each with its strata.
    table = pd.read_excel(io.BytesIO(response.content), sheet_name=0, header=5)
    assert set(table["Enhed"]) == {"Kolding"} and set(table["Niveau"]) == {"Kommune"}
    assert {str(p) for p in table["Periode"]} == {str(y) for y in range(2019, 2025)}
    assert "I alt" in set(table["Stratum"])
    assert set(table["Diskretioneret"]) <= {"ja", "nej"}
    shown = table[table["Diskretioneret"] == "nej"]
    # A count of 0 is shown (only 1–4 are suppressed); Kolding's total is not 0.
    assert shown["Værdi"].notna().all() and shown["Tæller"].notna().all()
    assert (shown[shown["Stratum"] == "I alt"]["Værdi"] > 0).any()
    hidden = table[table["Diskretioneret"] == "ja"]
    assert hidden["Værdi"].isna().all()  # an empty cell, never 0
    values = [r[header.index("Værdi")] for r in sheet.iter_rows(min_row=7)]
    assert {c.number_format for c in values if c.value is not None} == {"#,##0.0"}
    population = pd.read_excel(io.BytesIO(response.content), sheet_name=1, header=5)
    # A count has no denominator and is not standardised: no such columns.
    assert "Standardiseret værdi" not in population.columns
