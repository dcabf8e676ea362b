"""Definitions are data: a corrected code list in a definition file changes the results."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from .builder import Delivery, compute, export, ingest

PREV = "preventable_admissions_65plus"


def test_editing_a_code_list_and_recomputing_changes_the_result(tmp_path, monkeypatch):
    # Spec: "the catalogue must keep every definition as versioned, reviewable data (not buried
    # in code), so a domain expert can correct a code list and recompute."
    d = Delivery()
    d.person("e1", "1950-07-01")  # an acute DE869 admission: dehydration
    d.admission("e1", "2023-05-01T10:00", diagnosis="DE869")
    d.person("e2", "1950-07-01")  # an acute DK590 admission: constipation
    d.admission("e2", "2023-05-01T10:00", diagnosis="DK590")
    db = ingest(d, tmp_path)

    # The engine runs as its own process, so nothing is cached between the two computations.
    compute(db, in_subprocess=True)
    before = export(db, tmp_path / "before.csv", in_subprocess=True)
    assert before.numerator(PREV, "540") == 2
    assert before.numerator(PREV, "540", stratum="dehydration") == 1

    # A copy of the shipped catalogue with DE86 taken out of the dehydration list: the line that
    # holds DE86 gets DE87 instead (a list that stays non-empty and valid, matching nobody here).
    shipped = Path(str(files("tvaers") / "indicators" / "catalogue"))
    edited = tmp_path / "catalogue"
    shutil.copytree(shipped, edited)
    holding = [p for p in edited.glob("*.yaml") if "DE86" in p.read_text(encoding="utf-8")]
    assert len(holding) == 1, holding
    lines = holding[0].read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line.replace("DE86", "DE87") if "DE86" in line else line for line in lines]
    holding[0].write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("TVAERS_CATALOGUE_DIR", str(edited))

    compute(db, in_subprocess=True)
    after = export(db, tmp_path / "after.csv", in_subprocess=True)
    # e1's DE869 no longer matches: total 1 (e2), dehydration 0, constipation still 1.
    assert after.numerator(PREV, "540") == 1
    assert after.numerator(PREV, "540", stratum="dehydration") == 0
    assert after.numerator(PREV, "540", stratum="constipation") == 1
