"""The calibration measures themselves, checked by hand on the example delivery."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from tests.synth import calibration

EXAMPLE = Path(str(files("tvaers") / "demo_data" / "example-delivery"))


@pytest.fixture(scope="module")
def con():
    return calibration.open_delivery([EXAMPLE])


def test_transfer_50_minutes_apart_is_one_admission(con):
    # K-0001 (ends 02:10) and K-0002 (starts 03:00) form one stay of 3½ days
    assert calibration.admissions(con, 2023) == 1
    stay = con.execute(
        "SELECT contacts, diagnosis, discharged_to FROM admissions WHERE year(start) = 2023"
    ).fetchall()
    assert stay == [(2, "DN390", "home")]


def test_residents_on_1_january(con):
    assert calibration.residents(con, 2023) == 5
    assert calibration.residents(con, 2023, 65) == 3  # born 1947, 1955 (turns 68 that day), 1930


def test_outpatient_visits_are_contacts_outside_admissions(con):
    assert calibration.outpatient_visits(con, 2023) == 3  # K-0003, K-0004, K-0006


def test_preventable_and_readmissions(con):
    assert calibration.preventable_65plus(con, 2023) == 1  # DN390, acute, aged 75
    assert calibration.readmission_share_65plus(con, 2023) == 0.0
    # K-0005: acute pneumonia (DJ189) at 93, ending in death: preventable, and no index
    assert calibration.preventable_65plus(con, 2024) == 1
    assert calibration.readmission_share_65plus(con, 2024) is None


def test_chronic_prevalence_by_the_catalogue_rules(con):
    prevalence = calibration.chronic_prevalence(con, 2024)
    assert prevalence["adults"] == 5
    assert prevalence["t2d"] == pytest.approx(0.2)  # DE119 as B diagnosis; also 2 × A10B
    assert prevalence["copd"] == pytest.approx(0.2)  # DJ449 in 2023; K-0005's is in 2024
    assert prevalence["asthma"] == 0
