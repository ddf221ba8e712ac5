"""The exitgesprek as an SLB'er holds it: the form open during the conversation, saved half-done
and resumed, finished with its consequences. Real encrypted database, real widgets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from conftest import MBO_DAY, add_student
from factories import fixed_clock
from uitstroom.domain.enums import JaNeeOnbekend
from uitstroom.domain.exit import InterviewState, LeavingReason, NextStep
from uitstroom.domain.handover import Receiver
from uitstroom.services.database import Database
from uitstroom.services.exit import ExitService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.pupils import PupilService
from uitstroom.ui.exit_form import ExitForm
from uitstroom.ui.exit_worklist import WORK_COLUMNS, ExitWorklistDialog
from uitstroom.ui.forms import ChoiceEdit
from uitstroom.ui.main_window import MainWindow

MENTOR = "Sanne de Wit"


def exit_service(db: Database) -> ExitService:
    return ExitService(db.sessions, clock=fixed_clock(datetime.combine(MBO_DAY, time(10))))


OPENED: list[ExitForm] = []


@pytest.fixture(autouse=True)
def close_forms() -> Iterator[None]:
    """Closed without asking: pytest-qt's close() would ask about unsaved answers."""
    yield
    while OPENED:
        form = OPENED.pop()
        form.done(0)
        form.deleteLater()


def open_form(qtbot, db: Database, pupil_id: int) -> ExitForm:
    pupil = PupilService(db.sessions).record(pupil_id).pupil
    form = ExitForm(exit_service(db), pupil, lambda: MBO_DAY)
    OPENED.append(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow, timeout=2000)
    return form


def answer(form: QWidget, **values: Any) -> None:
    """Fill in as the mentor does: type dates and texts, choose in lists, tick boxes."""
    for name, value in values.items():
        editor = form.findChild(QWidget, name)
        assert editor is not None, name
        if isinstance(editor, ChoiceEdit):
            editor.set_field_value(value)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        elif isinstance(editor, QLineEdit):
            editor.setText(f"{value:%d-%m-%Y}" if isinstance(value, date) else value)
        else:
            wanted = {text.replace("&", "") for text in value}
            for box in editor.findChildren(QCheckBox):
                box.setChecked(box.text().replace("&", "") in wanted)


WHOLE_INTERVIEW: dict[str, Any] = {
    "left_on": date(2027, 3, 31),
    "reason": LeavingReason.UITVAL,
    "dropout_reason": "Gezondheid",
    "startkwalificatie": JaNeeOnbekend.NEE,
    "next_step": NextStep.WERK,
    "next_step_detail": "Bakkerij De Korrel",
    "help_wanted": ["Geld en schulden"],
    "phone_after": "06 11223344",
    "nazorg_agreed": True,
    "note": "Wil later misschien terug naar school.",
}


def test_a_full_interview_through_the_form_finishes_and_plans_the_nazorg_calls(
    mbo_window: MainWindow, mbo_database: Database, dialogs
) -> None:
    window = mbo_window
    student = window.model.rows[0]
    assert window.detail.open_pupil(student.id)
    seen: list[str] = []

    def hold_the_interview(form: QWidget) -> None:
        assert isinstance(form, ExitForm)
        # Pre-filled from what the school knows: today, the SLB'er, the student's phone.
        assert form.editor("held_on").text() == "15-03-2027"  # type: ignore[attr-defined]
        answer(form, **WHOLE_INTERVIEW)
        seen.append(form.outcome.text())
        # Afronden opens its own question: clicked once this answer has returned.
        QTimer.singleShot(0, form.finish_button.click)

    dialogs.then(hold_the_interview)
    dialogs.click("Afronden")
    dialogs.then(lambda form: (seen.append(form.outcome.text()), form.close()))
    window.exit_area.exit_action.trigger()

    assert "nazorggesprekken voor het komende jaar worden ingepland" in seen[0]
    assert "Geen overdracht nodig" in seen[0]
    assert any("Het gesprek afronden?" in text for text in dialogs.seen)
    assert "De nazorggesprekken staan in de nazorgagenda." in seen[1]
    stored = exit_service(mbo_database).interview(student.id)
    assert stored is not None and stored.state is InterviewState.AFGEROND
    assert stored.dropout_reason == "Gezondheid" and stored.next_step is NextStep.WERK
    file = NazorgService(mbo_database.sessions).file(student.id)
    assert file is not None and [m.months for m in file.moments] == [3, 6, 12]
    assert file.signals == ()


def test_a_half_done_interview_is_saved_and_shows_again_when_reopened(
    qtbot, mbo_database: Database, dialogs
) -> None:
    student = add_student(mbo_database, 10)
    form = open_form(qtbot, mbo_database, student)
    answer(form, reason=LeavingReason.OVERSTAP, next_step=NextStep.OPLEIDING)
    answer(form, next_step_detail="ROC Midden Nederland, Logistiek")
    assert form.state_label.text() == "● Niet opgeslagen"
    QTest.keyClick(
        form.editor("next_step_detail"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    assert form.state_label.text() == "✓ Concept opgeslagen", form.banner.text()
    # One more answer, then closing: the form asks, and 'Niet opslaan' drops only that one.
    answer(form, help_wanted=["Wonen"])
    dialogs.click("Niet opslaan")
    form.close()
    assert not form.isVisible()
    assert any("Wijzigingen opslaan?" in text for text in dialogs.seen)

    again = open_form(qtbot, mbo_database, student)
    interview = again.interview_from_form()
    assert interview.state is InterviewState.CONCEPT
    assert interview.reason is LeavingReason.OVERSTAP
    assert interview.next_step_detail == "ROC Midden Nederland, Logistiek"
    assert interview.help_wanted == frozenset()
    assert again.state_label.text() == "Concept: nog niet af"
    assert not again.is_dirty()


def test_what_is_missing_stays_next_to_the_form_and_nothing_is_stored(
    qtbot, mbo_database: Database
) -> None:
    student = add_student(mbo_database, 11)
    form = open_form(qtbot, mbo_database, student)
    answer(form, reason=LeavingReason.UITVAL, nazorg_agreed=True, phone_after="", email_after="")
    form.finish_button.click()
    problems = form.banner.text()
    assert form.banner.isVisible() and problems.startswith("Nog niet afgerond.")
    assert "Kies bij ‘Waarom gestopt?’ de belangrijkste reden." in problems
    assert "Vul ‘Telefoon na school’ of ‘E-mail na school’ in" in problems
    stored = exit_service(mbo_database).interview(student)
    assert stored is not None and stored.state is InterviewState.CONCEPT
    assert NazorgService(mbo_database.sessions).file(student) is None


def finish(form: ExitForm, dialogs, **values: Any) -> None:
    answer(form, **{**WHOLE_INTERVIEW, **values})
    dialogs.click("Afronden")
    assert form.finish(), form.banner.text()


def test_a_student_without_a_next_step_gets_exactly_one_handover_task(
    qtbot, mbo_database: Database, dialogs
) -> None:
    student = add_student(mbo_database, 12)
    form = open_form(qtbot, mbo_database, student)
    answer(form, next_step=NextStep.NOG_NIETS)
    # The consent question appears only now, with who would get the task.
    assert form.findChild(QWidget, "section_overdracht").isVisibleTo(form)
    assert "melden bij het Doorstroompunt" in form.outcome.text()
    finish(form, dialogs, next_step=NextStep.NOG_NIETS, handover_consent=[])
    assert "één overdrachtstaak" in form.outcome.text()
    # A mistake corrected: reopened and finished again, still one task.
    form.reopen_button.click()
    assert form.interview.state is InterviewState.CONCEPT
    finish(form, dialogs, next_step=NextStep.NOG_NIETS, note="Gecorrigeerd")
    file = NazorgService(mbo_database.sessions).file(student)
    assert file is not None
    assert len(file.signals) == 1 and file.signals[0].receiver is Receiver.DOORSTROOMPUNT


def test_a_refusal_of_nazorg_plans_no_calls(qtbot, mbo_database: Database, dialogs) -> None:
    student = add_student(mbo_database, 13)
    form = open_form(qtbot, mbo_database, student)
    answer(form, nazorg_agreed=False)
    assert "geen nazorggesprekken ingepland" in form.outcome.text()
    finish(form, dialogs, nazorg_agreed=False, phone_after="")
    file = NazorgService(mbo_database.sessions).file(student)
    assert file is not None and file.moments == ()
    assert "het nee is vastgelegd" in form.outcome.text()


def test_tab_follows_the_conversation(qtbot, mbo_database: Database) -> None:
    form = open_form(qtbot, mbo_database, add_student(mbo_database, 14))
    answer(form, reason=LeavingReason.UITVAL, next_step=NextStep.ONBEKEND)
    order = []
    widget: QWidget | None = form.editor("held_on")
    for _ in range(40):
        assert widget is not None
        text = getattr(widget, "text", None)
        order.append(widget.objectName() or (text() if callable(text) else ""))
        widget = widget.nextInFocusChain()
        while widget is not None and not (
            widget.isVisibleTo(form) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            widget = widget.nextInFocusChain()
        if widget is form.editor("held_on"):
            break
    names = [n for n in order if n in WHOLE_INTERVIEW or n in ("held_on", "handover_consent")]
    conversation = [
        "left_on",
        "reason",
        "dropout_reason",
        "startkwalificatie",
        "next_step",
        "phone_after",
        "nazorg_agreed",
        "note",
    ]
    assert [n for n in names if n in conversation] == conversation
    assert "Doorstroom&punt (jongeren tot 27 jaar)" in order


def test_the_work_list_shows_the_slbers_students_and_enter_opens_the_form(
    qtbot, mbo_database: Database, dialogs
) -> None:
    pupils = PupilService(mbo_database.sessions)
    service = exit_service(mbo_database)
    listed = ExitWorklistDialog(service, pupils, lambda: MBO_DAY, mentor=MENTOR)
    qtbot.addWidget(listed)
    listed.show()
    names = [listed.model.row_at(n).name for n in range(listed.model.rowCount())]
    assert len(names) == 4 and all(
        listed.model.row_at(n).mentor == MENTOR for n in range(len(names))
    )
    # Entree and bol niveau 2 first, as the law asks.
    assert listed.model.row_at(0).first
    first = listed.model.row_at(0)

    def save_half(form: QWidget) -> None:
        assert isinstance(form, ExitForm)
        answer(form, reason=LeavingReason.DIPLOMA)
        form.save_concept()
        form.close()

    dialogs.then(save_half)
    listed.table.setFocus()
    QTest.keyClick(listed.table, Qt.Key.Key_Return)
    assert listed.selected() is not None and listed.selected().pupil_id == first.pupil_id
    assert listed.selected().state is InterviewState.CONCEPT
    assert "1 nog niet af" in listed.count_label.text()


def form_labels() -> set[str]:
    from uitstroom.ui.exit_sections import NEXT_DETAIL_LABEL, sections

    labels = {f.label.replace("&", "") for s in sections(("Gezondheid",)) for f in s.fields}
    return labels | {label.replace("&", "") for label in NEXT_DETAIL_LABEL.values()}


@pytest.mark.parametrize(
    "changes",
    [
        {},  # nothing answered
        {"held_on": date(2030, 1, 1), "left_on": date(2030, 1, 1)},
        {"reason": LeavingReason.UITVAL, "next_step": NextStep.WERK, "nazorg_agreed": True},
        {"reason": LeavingReason.DIPLOMA, "next_step": NextStep.OPLEIDING},
        {"phone_after": "bel me", "spare_phone": "?", "email_after": "noa@", "held_on": MBO_DAY},
    ],
)
def test_every_message_names_a_field_as_the_form_labels_it(changes: dict[str, Any]) -> None:
    from uitstroom.domain.exit import ExitInterview, concept_problems, finish_problems

    interview = ExitInterview(**changes)
    messages = finish_problems(interview, MBO_DAY) + concept_problems(interview, MBO_DAY)
    assert messages
    labels = form_labels()
    for message in messages:
        named = set(re.findall(r"‘([^’]+)’", message))
        assert named & labels, message


def test_work_with_an_unknown_employer_finishes_and_more_reasons_are_kept(
    qtbot, mbo_database: Database, dialogs
) -> None:
    student = add_student(mbo_database, 12)
    form = open_form(qtbot, mbo_database, student)
    answer(form, next_step=NextStep.WERK)
    unknown = form.editor("employer_unknown")
    assert unknown.isVisibleTo(form) and "Werkgever nog onbekend" in unknown.text()
    unknown.setChecked(True)
    finish(
        form,
        dialogs,
        next_step=NextStep.WERK,
        next_step_detail="",
        other_dropout_reasons=["Geldzaken", "Verhuizing"],
    )
    stored = exit_service(mbo_database).interview(student)
    assert stored is not None and stored.state is InterviewState.AFGEROND
    assert stored.employer_unknown
    assert stored.dropout_reason == "Gezondheid"
    assert stored.other_dropout_reasons == ("Geldzaken", "Verhuizing")
    summary = exit_service(mbo_database).summary_doc(student, MBO_DAY)
    assert summary.reason_text == "Gestopt zonder diploma: Gezondheid (ook: Geldzaken, Verhuizing)"
    assert summary.next_step_text == "Werk: werkgever nog onbekend"
    leaving = NazorgService(mbo_database.sessions).file(student)
    assert leaving is not None and leaving.leaving is not None
    assert leaving.leaving.employer == "Werkgever nog onbekend"


def test_a_diploma_fills_in_the_startkwalificatie_from_the_niveau(
    qtbot, mbo_database: Database
) -> None:
    from uitstroom.domain.enums import Niveau

    entree = add_student(mbo_database, 13, mbo_niveau=Niveau.ENTREE)
    niveau_2 = add_student(mbo_database, 14, mbo_niveau=Niveau.N2)
    for student, expected in ((entree, JaNeeOnbekend.NEE), (niveau_2, JaNeeOnbekend.JA)):
        form = open_form(qtbot, mbo_database, student)
        skw = form.editor("startkwalificatie")
        assert isinstance(skw, ChoiceEdit)
        assert skw.field_value() is JaNeeOnbekend.ONBEKEND
        answer(form, reason=LeavingReason.DIPLOMA)
        assert skw.field_value() is expected
        # Not a diploma after all: what was filled in goes back to 'Onbekend'.
        answer(form, reason=LeavingReason.UITVAL)
        assert skw.field_value() is JaNeeOnbekend.ONBEKEND
        # The mentor's own answer stays.
        answer(form, startkwalificatie=JaNeeOnbekend.JA, reason=LeavingReason.DIPLOMA)
        assert skw.field_value() is JaNeeOnbekend.JA


def test_a_date_that_cannot_be_read_is_named_without_its_alt_letter(
    qtbot, mbo_database: Database
) -> None:
    from uitstroom.ui.forms import FormError

    form = open_form(qtbot, mbo_database, add_student(mbo_database, 15))
    answer(form, left_on="31-02-2027")
    with pytest.raises(FormError) as refused:
        form.interview_from_form()
    assert refused.value.problems[0].startswith("Vertrekdatum: ")


def test_the_work_list_shows_each_state_whole(qtbot, mbo_database: Database) -> None:
    """'Nog niet begonnen' was cut to 'Nog niet begonn…': the widths were measured on the
    empty list, before its rows came."""
    listed = ExitWorklistDialog(
        exit_service(mbo_database), PupilService(mbo_database.sessions), lambda: MBO_DAY
    )
    qtbot.addWidget(listed)
    listed.show()
    metrics = listed.table.fontMetrics()
    state = len(WORK_COLUMNS) - 1
    widest = max(
        metrics.horizontalAdvance(listed.model.index(n, state).data())
        for n in range(listed.model.rowCount())
    )
    assert widest > 0
    assert listed.table.columnWidth(state) >= widest + 8
