"""Task-transfer cases through the service, on SQLite and PostgreSQL: every transition of
the state table and its guards (taken, and refused with what is missing), the decision in
the governance decision log, history, concurrent edits, permissions, cases of a unit."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import HTTPException
from sqlalchemy import select

from tests.web.transfers_world import (
    CONSULTED,
    OTHER_SECRETARIAT,
    OTHERS,
    SECRETARIAT,
    VIEWER,
    add_fora,
    describe,
    describe_all,
    new_case,
    step,
)
from tvaers.governance.models import Decision
from tvaers.transfers import editing, service, workflow
from tvaers.transfers.schemas import (
    CaseUpdate,
    EvaluationConfirm,
    InformedCreate,
    SectionUpdate,
    StepPost,
)
from tvaers.web import records
from tvaers.web.forms import FormInvalid
from tvaers.web.records import StaleEdit
from tvaers.web.scope import UnitRef


@pytest.fixture
def world(db):
    add_fora(db)
    return db


def inform(db, case, units=OTHERS, day=date(2026, 4, 20)):
    for unit in units:
        editing.record_informed(
            db, SECRETARIAT, case.id, InformedCreate(unit=unit, day=day, forum="ssu-syd"), {}
        )


def test_the_state_table_is_data_and_every_open_state_can_be_withdrawn():
    edges = {(t.source, t.step, t.target) for t in workflow.TRANSITIONS}
    assert ("assessment", "consult", "consultation") in edges
    assert ("consultation", "decide", "decision") in edges
    for state in workflow.OPEN_STATES:
        assert (state, "withdraw", "withdrawn") in edges
    assert not [t for t in workflow.TRANSITIONS if t.source in workflow.FINAL_STATES]


def test_an_illegal_step_names_the_state_and_the_possible_steps(world):
    case = new_case(world)
    with pytest.raises(workflow.Refused) as refused:
        step(world, case, "decide")
    assert (
        "trinnet 'decide' findes ikke fra tilstanden Kladde (mulige: assess, withdraw)"
        in refused.value.reasons[0]
    )


def test_consultation_needs_every_dimension_settled(world):
    case = new_case(world)
    step(world, case, "assess")
    describe(world, case, "economy")
    with pytest.raises(workflow.Refused) as refused:
        step(world, case, "consult")
    # Six dimensions left undescribed, each named.
    assert len(refused.value.reasons) == 6
    assert "Kompetencer er ikke beskrevet" in refused.value.reasons
    # Open or not relevant without a reason is refused at the form, naming the field.
    with pytest.raises(FormInvalid) as invalid:
        describe(world, case, "competences", state="open", reason=" ")
    assert invalid.value.errors == {"reason": "en begrundelse skal udfyldes"}
    with pytest.raises(FormInvalid) as invalid:
        describe(world, case, "competences", state="described", text="")
    assert "text" in invalid.value.errors
    for dim in ("competences", "quality", "capacity", "responsibility", "data_documentation"):
        describe(world, case, dim)
    describe(
        world, case, "other_clusters", state="not_relevant", text="", reason="Kun egne borgere"
    )
    step(world, case, "consult")
    assert case.state == "consultation" and case.consultation_on == CONSULTED


def test_open_conditions_with_a_reason_reach_consultation_and_are_shown(world):
    case = new_case(world)
    step(world, case, "assess")
    describe_all(world, case)
    describe(world, case, "economy", state="open", text="", reason="Økonomien udfyldes senere")
    step(world, case, "consult")
    from tvaers.transfers import reading

    summary = reading.summary(world, case, lambda da, en: da)
    assert summary.open_conditions is True
    assert reading.read_case(world, case, lambda da, en: da).open_dimensions == ["economy"]


def _in_consultation(db):
    case = new_case(db)
    step(db, case, "assess")
    describe_all(db, case)
    step(db, case, "consult")
    return case


def test_no_decision_before_every_other_cluster_is_informed(world):
    case = _in_consultation(world)
    # The other three clusters of Region Syddanmark on the day consultation began.
    assert [f"{lv}:{c}" for lv, c, _ in service.required_informed(world, case)] == OTHERS
    inform(world, case, OTHERS[:2])
    with pytest.raises(workflow.Refused) as refused:
        step(
            world,
            case,
            "decide",
            day=date(2026, 5, 1),
            outcome="approved",
            decided_on=date(2026, 5, 1),
        )
    assert refused.value.reasons == [
        "ikke registreret som orienteret: cluster:syddanmark-sonderjylland"
    ]
    inform(world, case, OTHERS[2:])
    with pytest.raises(workflow.Refused) as refused:
        step(world, case, "decide", day=date(2026, 5, 1))
    assert set(refused.value.reasons) == {
        "beslutningen (godkendt/afvist) mangler",
        "beslutningsdatoen mangler",
    }
    with pytest.raises(workflow.Refused) as refused:
        step(
            world,
            case,
            "decide",
            day=date(2026, 5, 1),
            outcome="approved",
            decided_on=date(2026, 5, 2),
        )
    assert refused.value.reasons == ["beslutningsdatoen ligger i fremtiden"]


def test_informing_is_checked(world):
    case = new_case(world)
    with pytest.raises(FormInvalid, match="under høringen"):
        inform(world, case, OTHERS[:1])
    step(world, case, "assess")
    describe_all(world, case)
    step(world, case, "consult")
    with pytest.raises(FormInvalid, match="skal ikke orienteres"):
        inform(world, case, ["cluster:syddanmark-sydvestjylland"])  # its own cluster
    inform(world, case, OTHERS[:1])
    with pytest.raises(FormInvalid, match="allerede registreret"):
        inform(world, case, OTHERS[:1])
    with pytest.raises(FormInvalid) as invalid:
        editing.record_informed(
            world,
            SECRETARIAT,
            case.id,
            InformedCreate(unit=OTHERS[1], day=date(2026, 4, 20), forum="nowhere"),
            {},
        )
    assert "forum" in invalid.value.errors


def test_the_whole_life_of_an_approved_case(world):
    case = _in_consultation(world)
    inform(world, case)
    decided = date(2026, 6, 15)
    step(
        world,
        case,
        "decide",
        day=decided,
        outcome="approved",
        decided_on=decided,
        decision_text="Godkendt",
    )
    # A real entry of the governance decision log, pointing at the case.
    decision = world.scalar(select(Decision).where(Decision.id == case.decision_id))
    assert (decision.forum_id, decision.day, decision.text) == (
        "klynge-sydvestjylland",
        decided,
        "Godkendt",
    )
    assert (decision.subject_kind, decision.subject_ref) == ("task_transfer", str(case.id))
    step(world, case, "implement", day=date(2026, 7, 1))
    with pytest.raises(workflow.Refused) as refused:
        step(world, case, "evaluate", day=date(2026, 7, 2))
    assert refused.value.reasons == [
        "idriftsættelsesdatoen mangler",
        "ingen indikatorserie er knyttet til sagen",
    ]
    data = CaseUpdate(
        **{k: v for k, v in _form(case).items()},
        go_live=date(2026, 7, 1),
        series="preventable_admissions_65plus cluster:syddanmark-sydvestjylland",
        version=case.version,
    )
    editing.update_case(world, SECRETARIAT, case.id, data, {})
    step(world, case, "evaluate", day=date(2026, 9, 1))
    with pytest.raises(workflow.Refused, match="ikke bekræftet"):
        step(world, case, "close", day=date(2026, 9, 2))
    editing.confirm_evaluation(
        world,
        SECRETARIAT,
        case.id,
        EvaluationConfirm(note="Ingen ændring endnu", version=case.version),
        {},
    )
    assert case.evaluation_confirmed_by == "sekr-syd"
    step(world, case, "close", day=date(2026, 9, 2))
    assert case.state == "closed"
    with pytest.raises(workflow.Refused, match="mulige: –"):
        step(world, case, "withdraw")
    # The timeline: every step, in order.
    assert [(s.source, s.target) for s in service.steps(world, case)] == [
        ("draft", "assessment"),
        ("assessment", "consultation"),
        ("consultation", "decision"),
        ("decision", "implementation"),
        ("implementation", "evaluation"),
        ("evaluation", "closed"),
    ]


def _form(case) -> dict:
    return {
        "title": case.title,
        "kind": case.kind,
        "from_sector": case.from_sector,
        "from_unit": case.from_unit,
        "to_sector": case.to_sector,
        "to_unit": case.to_unit,
        "covered_units": "\n".join(case.covered_units),
        "service": case.service,
    }


def test_a_rejected_case_is_closed_not_implemented(world):
    case = _in_consultation(world)
    inform(world, case)
    step(
        world, case, "decide", day=date(2026, 6, 1), outcome="rejected", decided_on=date(2026, 6, 1)
    )
    with pytest.raises(workflow.Refused, match="kun en godkendt sag"):
        step(world, case, "implement", day=date(2026, 6, 2))
    step(world, case, "close_rejected", day=date(2026, 6, 2))
    assert case.state == "closed"


def test_back_to_assessment_and_withdrawing(world):
    case = _in_consultation(world)
    step(world, case, "reassess")
    assert (case.state, case.consultation_on) == ("assessment", None)
    step(world, case, "withdraw", note="Opgaven løses regionalt")
    assert case.state == "withdrawn"
    with pytest.raises(FormInvalid, match="kan ikke ændres"):
        describe(world, case, "economy")


def test_history_keeps_every_change_with_before_and_after(world):
    case = new_case(world)
    step(world, case, "assess")
    entries = records.history(world, "transfers.case", case.id)
    assert [e.action for e in entries] == ["create", "update"]
    assert (entries[1].before, entries[1].after) == ({"state": "draft"}, {"state": "assessment"})
    assert entries[1].actor == "sekr-syd"


def test_a_stale_save_is_refused_and_nothing_is_lost(world):
    case = new_case(world)
    section = service.sections(world, case)["economy"]
    old = section.version
    describe(world, case, "economy", text="Først gemt")
    stale = SectionUpdate(state="described", text="Gemt bagefter", version=old)
    with pytest.raises(StaleEdit):
        editing.update_section(world, SECRETARIAT, case.id, "economy", stale, {})
    assert service.sections(world, case)["economy"].text == "Først gemt"
    read = case.version  # another editor's copy of the case
    step(world, case, "assess")
    with pytest.raises(StaleEdit):
        editing.take_step(world, SECRETARIAT, case.id, StepPost(step="withdraw", version=read), {})
    assert case.state == "assessment"


def test_only_the_owning_forums_secretariat_edits(world):
    case = new_case(world)
    for user in (OTHER_SECRETARIAT, VIEWER):
        assert not service.may_edit(world, user, case)
        with pytest.raises(HTTPException) as refused:
            step(world, case, "assess", user=user)
        assert refused.value.status_code == 403
        assert refused.value.detail == (
            f"Du kan ikke redigere sagen: den ejes af forummet {case.forum_id}, uden for dit "
            "omfang."
        )
    with pytest.raises(FormInvalid) as invalid:
        new_case(world, user=OTHER_SECRETARIAT)  # the forum is outside its scope
    assert "forum" in invalid.value.errors
    with pytest.raises(FormInvalid) as invalid:
        new_case(world, forum="no-such-forum")
    assert "forum" in invalid.value.errors


def test_bad_lists_name_the_field_and_line(world):
    with pytest.raises(FormInvalid) as invalid:
        new_case(world, covered_units="municipality:561\nplanet:1")
    assert invalid.value.errors["covered_units"].startswith("linje 2:")
    with pytest.raises(FormInvalid) as invalid:
        new_case(world, series="no_such_indicator municipality:561")
    assert "ukendt indikator" in invalid.value.errors["series"]
    with pytest.raises(FormInvalid) as invalid:
        new_case(world, series="preventable_admissions_65plus municipality:561 nonsense")
    assert "stratum" in invalid.value.errors["series"]
    with pytest.raises(FormInvalid) as invalid:
        new_case(world, documents="Notat | javascript:alert(1)")
    assert "documents" in invalid.value.errors
    case = new_case(world)
    with pytest.raises(FormInvalid) as invalid:
        describe(world, case, "economy", figures="Årlig drift; mange; kr.")
    assert invalid.value.errors["figures"].startswith("linje 1:")
    describe(world, case, "economy", figures="Årlig drift; 4.200.000; kr.\nAndel; 2,5")
    assert service.sections(world, case)["economy"].figures == [
        {"label": "Årlig drift", "value": 4200000.0, "unit": "kr."},
        {"label": "Andel", "value": 2.5, "unit": ""},
    ]


def test_cases_for_unit(world):
    case = new_case(world)  # covers Esbjerg (561) and Varde (573), goes to their cluster
    assert service.cases_for_unit(world, UnitRef("municipality", "561")) == [case]
    assert service.cases_for_unit(world, UnitRef("region", "1083")) == [case]
    assert service.cases_for_unit(world, UnitRef("municipality", "461")) == []  # Odense
    assert service.cases_for_forum(world, "klynge-sydvestjylland") == [case]
