"""The exitgesprek's rules: what finishing needs, who is handed over, who comes first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from uitstroom.domain.enums import JaNeeOnbekend, Leerweg, Niveau
from uitstroom.domain.exit import (
    ExitField,
    ExitInterview,
    LeavingReason,
    NextStep,
    destination_of,
    dropout_reasons_of,
    field_of_problem,
    finish_problems,
    needs_handover,
    priority,
    startkwalificatie_of,
    with_startkwalificatie,
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
    assert "Kies een ‘Reden van vertrek’." in problems
    assert any("nazorggesprekken" in p for p in problems)
    assert len(problems) == 5


def test_the_edges_of_finishing() -> None:
    assert finish_problems(replace(DONE, held_on=date(2027, 3, 2)), TODAY) == [
        "‘Datum van het gesprek’ ligt in de toekomst. Kies vandaag of eerder."
    ]
    assert finish_problems(replace(DONE, dropout_reason=" "), TODAY) == [
        "Kies bij ‘Waarom gestopt?’ de belangrijkste reden."
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


def test_startkwalificatie_follows_from_a_diplomas_niveau_and_entree_is_none() -> None:
    diploma = LeavingReason.DIPLOMA
    assert startkwalificatie_of(diploma, Niveau.ENTREE) is JaNeeOnbekend.NEE
    for niveau in (Niveau.N2, Niveau.N3, Niveau.N4):
        assert startkwalificatie_of(diploma, niveau) is JaNeeOnbekend.JA
    # Without a diploma of this opleiding nothing follows: ask (a havo diploma from before).
    assert startkwalificatie_of(LeavingReason.UITVAL, Niveau.N4) is JaNeeOnbekend.ONBEKEND
    assert startkwalificatie_of(LeavingReason.OVERSTAP, Niveau.N2) is JaNeeOnbekend.ONBEKEND
    assert startkwalificatie_of(diploma, None) is JaNeeOnbekend.ONBEKEND
    # An answer given is kept.
    chosen = replace(DONE, reason=diploma, startkwalificatie=JaNeeOnbekend.NEE)
    assert with_startkwalificatie(chosen, Niveau.N3) == chosen
    unanswered = replace(chosen, startkwalificatie=JaNeeOnbekend.ONBEKEND)
    assert with_startkwalificatie(unanswered, Niveau.N3).startkwalificatie is JaNeeOnbekend.JA


def test_work_with_the_employer_unknown_can_be_finished() -> None:
    work = replace(DONE, next_step=NextStep.WERK, next_step_detail="")
    assert [field_of_problem(p) for p in finish_problems(work, TODAY)] == [
        ExitField.NEXT_STEP_DETAIL
    ]
    assert finish_problems(replace(work, employer_unknown=True), TODAY) == []


def test_the_main_dropout_reason_comes_first_and_each_reason_once() -> None:
    many = replace(
        DONE, dropout_reason="Gezondheid", other_dropout_reasons=("Geldzaken", "Gezondheid", "")
    )
    assert dropout_reasons_of(many) == ("Gezondheid", "Geldzaken")
    assert dropout_reasons_of(replace(many, reason=LeavingReason.DIPLOMA)) == ()
