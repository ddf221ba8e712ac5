"""The exitgesprek's rules: what finishing needs, who is handed over, who comes first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from uitstroom.domain.enums import JaNeeOnbekend, Leerweg, Niveau
from uitstroom.domain.exit import (
    ExitInterview,
    LeavingReason,
    NextStep,
    destination_of,
    finish_problems,
    needs_handover,
    priority,
)
from uitstroom.domain.nazorg import Destination

TODAY = date(2027, 3, 1)
DONE = ExitInterview(
    held_on=date(2027, 2, 26),
    left_on=date(2027, 3, 1),
    reason=LeavingReason.UITVAL,
    dropout_reason="Werk gevonden",
    next_step=NextStep.WERK,
    next_step_detail="Bakkerij Van Houten",
    phone_after="06 12345678",
    nazorg_agreed=True,
)


def test_a_complete_interview_can_be_finished() -> None:
    assert finish_problems(DONE, TODAY) == []


def test_a_half_done_interview_says_what_is_missing() -> None:
    problems = finish_problems(ExitInterview(), TODAY)
    assert "Kies de reden van vertrek." in problems
    assert any("nazorggesprekken" in p for p in problems)
    assert len(problems) == 5


def test_the_edges_of_finishing() -> None:
    assert finish_problems(replace(DONE, held_on=date(2027, 3, 2)), TODAY) == [
        "De datum van het gesprek ligt in de toekomst. Kies vandaag of eerder."
    ]
    assert finish_problems(replace(DONE, dropout_reason=" "), TODAY) == [
        "Kies waarom de student stopt zonder diploma."
    ]
    no_way_to_call = replace(DONE, phone_after="", email_after="")
    assert len(finish_problems(no_way_to_call, TODAY)) == 1
    refused = replace(no_way_to_call, nazorg_agreed=False)
    assert finish_problems(refused, TODAY) == []  # no calls, so no number needed
    diploma = replace(DONE, reason=LeavingReason.DIPLOMA, dropout_reason="")
    assert len(finish_problems(diploma, TODAY)) == 1
    assert finish_problems(replace(diploma, startkwalificatie=JaNeeOnbekend.JA), TODAY) == []


def test_only_a_student_without_a_next_step_is_handed_over() -> None:
    assert [needs_handover(replace(DONE, next_step=step)) for step in NextStep] == [
        False,
        False,
        True,
        True,
    ]
    assert destination_of(replace(DONE, next_step=NextStep.NOG_NIETS)) is Destination.GEEN
    assert destination_of(replace(DONE, next_step=NextStep.OPLEIDING)) is Destination.MBO


def test_entree_bol_niveau_2_and_early_leavers_come_first() -> None:
    assert priority(Niveau.ENTREE, Leerweg.BBL, LeavingReason.DIPLOMA)
    assert priority(Niveau.N2, Leerweg.BOL, LeavingReason.DIPLOMA)
    assert not priority(Niveau.N2, Leerweg.BBL, LeavingReason.DIPLOMA)
    assert priority(Niveau.N4, Leerweg.BBL, LeavingReason.UITVAL)
    assert not priority(None, None, None)
