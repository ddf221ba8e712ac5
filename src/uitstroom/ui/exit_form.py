"""The exitgesprek: a guided form the SLB'er fills in while talking with a student who leaves.

The sections follow the conversation, top to bottom, each with one or two plain sentences the
mentor can read out or lean on. Half-done is fine: 'Opslaan als concept' (Ctrl+S) keeps it and
the next opening shows it again. 'Afronden' first says what will happen (nazorg calls, a
handover task), then lets ExitService.finish() do all of it in one go; what is still missing
stays on screen next to the form and nothing is stored half.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.enums import JaNeeOnbekend
from uitstroom.domain.exit import (
    ExitInterview,
    InterviewState,
    LeavingReason,
    NextStep,
    finish_problems,
    needs_handover,
    startkwalificatie_of,
)
from uitstroom.domain.model import Pupil
from uitstroom.services.errors import ServiceError
from uitstroom.ui.exit_sections import NEXT_DETAIL_LABEL, consequences, finished_lines, sections
from uitstroom.ui.exit_summary import show_exit_summary
from uitstroom.ui.forms import (
    ChecksEdit,
    ChoiceEdit,
    Form,
    FormError,
    MessageBanner,
    ask_to_save,
    problems_of,
    values_of_forms,
)
from uitstroom.ui.widgets import button_row, push_button, scroll_page

if TYPE_CHECKING:
    from uitstroom.services.exit import ExitService


class ExitForm(QDialog):
    """Signals: finished_interview(pupil_id) after Afronden stored everything."""

    finished_interview = Signal(int)

    def __init__(
        self,
        exit_service: ExitService,
        pupil: Pupil,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert pupil.id is not None
        self._exit = exit_service
        self._pupil = pupil
        self._pupil_id = pupil.id
        self._today = today
        self.finished_any = False
        # The startkwalificatie the form filled in from the niveau (None: the mentor's own).
        self._filled_in: JaNeeOnbekend | None = None
        self.setWindowTitle(f"Exitgesprek — {pupil.name}")
        self.setObjectName("exit_form")
        # The stored version (concept or finished); the form is compared with it.
        self._saved = exit_service.start(self._pupil_id)

        self.heading = QLabel(pupil.name, self)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.subtitle = QLabel(self._describe_pupil(), self)
        self.subtitle.setStyleSheet("QLabel { color: #555; }")
        self.subtitle.setWordWrap(True)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("exit_state")

        self.forms: dict[str, Form] = {}
        self._boxes: dict[str, QGroupBox] = {}
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 12, 4)
        # Reasons stored earlier that the school's list no longer has still show.
        self._reasons = tuple(
            dict.fromkeys((*exit_service.dropout_reasons(), *self._saved.other_dropout_reasons))
        )
        for section in sections(self._reasons):
            box = QGroupBox(section.title, content)
            box.setObjectName(f"section_{section.key}")
            inner = QVBoxLayout(box)
            explanation = QLabel(section.explanation, box)
            explanation.setWordWrap(True)
            explanation.setStyleSheet("QLabel { color: #444; }")
            inner.addWidget(explanation)
            form = Form(section.fields, box)
            form.edited.connect(self._on_edited)
            inner.addWidget(form)
            column.addWidget(box)
            self.forms[section.key] = form
            self._boxes[section.key] = box
        column.addStretch(1)
        width = max(form.label_width() for form in self.forms.values())
        for form in self.forms.values():
            form.set_label_width(width)
        self.scroll_area = scroll_page(self, content)

        # Next to the form: what is missing, and what finishing will do.
        self.banner = MessageBanner(self)
        self.banner.setObjectName("exit_problems")
        self.outcome_title = QLabel("Wat gebeurt er als u afrondt?", self)
        self.outcome_title.setStyleSheet("QLabel { font-weight: bold; }")
        self.outcome = QLabel(self)
        self.outcome.setObjectName("exit_outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side = QWidget(self)
        side.setFixedWidth(300)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 4, 0, 4)
        side_layout.addWidget(self.banner)
        side_layout.addWidget(self.outcome_title)
        side_layout.addWidget(self.outcome)
        side_layout.addStretch(1)

        self.print_button = push_button(
            self,
            "Samenvatting afdr&ukken…",
            self.print_summary,
            "De samenvatting voor de student, eerst als voorbeeld",
        )
        self.reopen_button = push_button(
            self, "&Heropenen", self.reopen, "Het afgeronde gesprek aanpassen (bij een vergissing)"
        )
        self.close_button = push_button(
            self,
            "Sluiten",
            self.close,
            "Sluiten (Esc); niet-opgeslagen antwoorden worden eerst gevraagd",
        )
        self.save_button = push_button(
            self,
            "&Opslaan als concept",
            self.save_concept,
            "Tussendoor opslaan; later verder (Ctrl+S)",
        )
        self.finish_button = push_button(
            self, "A&fronden…", self.finish, "Het gesprek is klaar: vastleggen, nazorg plannen"
        )
        for button in (
            self.print_button,
            self.reopen_button,
            self.close_button,
            self.save_button,
            self.finish_button,
        ):
            button.setAutoDefault(False)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save_concept)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        middle = QHBoxLayout()
        middle.addWidget(self.scroll_area, 1)
        middle.addWidget(side)
        buttons = button_row(self.print_button, self.reopen_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)
        self.resize(980, 720)

        self._fill(self._saved)
        self._order_tabs()
        first = self.forms["gesprek"].first_editor()
        if first is not None:
            first.setFocus()

    # --- reading and showing -----------------------------------------------------------
    def editor(self, name: str) -> QWidget:
        for form in self.forms.values():
            if name in form.names:
                return form.editor(name)
        raise KeyError(name)

    def interview_from_form(self) -> ExitInterview:
        """What is on screen as an interview; answers to hidden questions count as not given."""
        values = values_of_forms(self.forms.values())
        if values["reason"] is not LeavingReason.UITVAL:
            values["dropout_reason"] = ""
            values["other_dropout_reasons"] = frozenset()
        # The others in the order of the list, without the main reason.
        others = values["other_dropout_reasons"]
        values["other_dropout_reasons"] = tuple(
            r for r in self._reasons if r in others and r != values["dropout_reason"]
        )
        if values["next_step"] not in NEXT_DETAIL_LABEL:
            values["next_step_detail"] = ""
        if values["next_step"] is not NextStep.WERK:
            values["employer_unknown"] = False
        if not needs_handover(replace(self._saved, next_step=values["next_step"])):
            values["handover_consent"] = frozenset()
        return replace(self._saved, **values)

    def is_dirty(self) -> bool:
        try:
            return self.interview_from_form() != self._saved
        except FormError:
            return True

    @property
    def interview(self) -> ExitInterview:
        """The stored interview."""
        return self._saved

    def _fill(self, interview: ExitInterview) -> None:
        for form in self.forms.values():
            form.set_values({name: getattr(interview, name) for name in form.names})
        self._show_state()
        self._follow_answers()

    def _on_edited(self) -> None:
        self._fill_startkwalificatie(self._choice("reason"))
        self._follow_answers()
        self._show_state()

    def _follow_answers(self) -> None:
        """Questions that only matter after some answers appear with them."""
        reason = self._choice("reason")
        reden = self.forms["reden"]
        reden.set_row_visible("dropout_reason", reason is LeavingReason.UITVAL)
        reden.set_row_visible("other_dropout_reasons", reason is LeavingReason.UITVAL)
        step = self._choice("next_step")
        hierna = self.forms["hierna"]
        hierna.set_row_visible("next_step_detail", step in NEXT_DETAIL_LABEL)
        hierna.set_row_visible("employer_unknown", step is NextStep.WERK)
        if isinstance(step, NextStep) and step in NEXT_DETAIL_LABEL:
            hierna.set_label("next_step_detail", NEXT_DETAIL_LABEL[step])
        self._boxes["overdracht"].setVisible(step in (NextStep.NOG_NIETS, NextStep.ONBEKEND))
        self._show_outcome()

    def _fill_startkwalificatie(self, reason: object) -> None:
        """A diploma of the student's own opleiding: its niveau says whether it is a
        startkwalificatie (entree: no), unless the mentor already chose."""
        editor = self.editor("startkwalificatie")
        assert isinstance(editor, ChoiceEdit)
        current = editor.field_value()
        if current is not JaNeeOnbekend.ONBEKEND and current is not self._filled_in:
            return  # the mentor's own answer stays
        follows = startkwalificatie_of(
            reason if isinstance(reason, LeavingReason) else None, self._pupil.mbo_niveau
        )
        self._filled_in = None if follows is JaNeeOnbekend.ONBEKEND else follows
        if follows is not current:
            editor.blockSignals(True)
            editor.set_field_value(follows)
            editor.blockSignals(False)

    def _choice(self, name: str) -> object:
        editor = self.editor(name)
        assert isinstance(editor, ChoiceEdit)
        return editor.field_value()

    def _show_outcome(self) -> None:
        if self._saved.state is InterviewState.AFGEROND:
            self.outcome_title.setText("Afgerond: dit is er gebeurd")
            lines = finished_lines(self._saved, self._pupil, self._today())
            self.outcome.setText("\n\n".join(lines))
            return
        self.outcome_title.setText("Wat gebeurt er als u afrondt?")
        try:
            interview = self.interview_from_form()
        except FormError as exc:
            self.outcome.setText("\n".join(exc.problems))
            return
        lines = consequences(interview, self._pupil, self._today())
        self.outcome.setText("\n\n".join(lines))

    def _show_state(self) -> None:
        finished = self._saved.state is InterviewState.AFGEROND
        dirty = self.is_dirty()
        if finished:
            text, colour = "✓ Afgerond", "#2e6b34"
        elif dirty:
            text, colour = "● Niet opgeslagen", "#a35200"
        else:
            text, colour = "Concept: nog niet af", "#555"
        self.state_label.setText(text)
        self.state_label.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}")
        self.save_button.setEnabled(not finished)
        self.finish_button.setEnabled(not finished)
        self.reopen_button.setVisible(finished)
        for form in self.forms.values():
            form.setEnabled(not finished)

    def _describe_pupil(self) -> str:
        pupil = self._pupil
        parts = [f"Studentnummer {pupil.leerlingnummer}"]
        if pupil.mbo_opleiding:
            parts.append(pupil.mbo_opleiding)
        if pupil.mbo_crebo:
            parts.append(f"crebo {pupil.mbo_crebo}")
        for value in (pupil.mbo_niveau, pupil.mbo_leerweg):
            if value is not None:
                parts.append(value.label)
        return " · ".join(parts)

    def _order_tabs(self) -> None:
        """Tab follows the conversation, from the first question to Afronden."""
        chain: list[QWidget] = []
        for form in self.forms.values():
            for name in form.names:
                editor = form.editor(name)
                if isinstance(editor, ChecksEdit):
                    chain.extend(editor.findChildren(QCheckBox))
                else:
                    chain.append(editor)
        chain += [self.finish_button, self.save_button, self.close_button, self.print_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- actions ---------------------------------------------------------------------------
    def _read(self) -> ExitInterview | None:
        self.banner.clear_message()
        try:
            return self.interview_from_form()
        except FormError as exc:
            for form in self.forms.values():
                form.highlight_problems()
            self.banner.show_problems(exc.problems)
            return None

    def save_concept(self) -> bool:
        if self._saved.state is InterviewState.AFGEROND:
            return True
        interview = self._read()
        if interview is None:
            return False
        try:
            self._saved = self._exit.save_concept(self._pupil_id, interview)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return False
        self._fill(self._saved)
        self.state_label.setText("✓ Concept opgeslagen")
        return True

    def finish(self) -> bool:
        interview = self._read()
        if interview is None:
            return False
        missing = finish_problems(interview, self._today())
        if missing:
            self._show_finish_problems(missing)
            return False
        lines = consequences(interview, self._pupil, self._today())
        if not self._confirm_finish(lines):
            return False
        try:
            result = self._exit.finish(self._pupil_id, interview)
        except ServiceError as exc:
            self._show_finish_problems(problems_of(exc))
            return False
        self._saved = result.interview
        self._fill(self._saved)
        self.finished_any = True
        self.finished_interview.emit(self._pupil_id)
        self.close_button.setFocus()
        return True

    def _show_finish_problems(self, problems: Sequence[str]) -> None:
        """Next to the form, so the mentor can read it and fix the answer at the same time."""
        self.banner.show_problems(problems)
        self.banner.setText(
            "Nog niet afgerond. Dit ontbreekt nog:\n" + "\n".join(f"• {p}" for p in problems)
        )

    def _confirm_finish(self, lines: list[str]) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Exitgesprek afronden")
        box.setText("Het gesprek afronden?")
        box.setInformativeText("Dit gebeurt dan:\n\n" + "\n".join(f"• {line}" for line in lines))
        yes = box.addButton("Afronden", QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes

    def reopen(self) -> None:
        try:
            self._saved = self._exit.reopen(self._pupil_id)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        self._fill(self._saved)

    def print_summary(self) -> None:
        """The summary is printed from what is stored: unsaved answers are saved first."""
        if self.is_dirty() and not self.save_concept():
            return
        show_exit_summary(self, self._exit, self._pupil_id, self._today())

    # --- closing ---------------------------------------------------------------------------
    def resolve_unsaved(self) -> bool:
        if not self.is_dirty():
            return True
        answer = ask_to_save(self, "het exitgesprek")
        if answer == QMessageBox.StandardButton.Save:
            return self.save_concept()
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        # Esc, Sluiten and the window's close button all come here: unsaved answers first.
        if self.resolve_unsaved():
            super().reject()


def open_exit_form(
    exit_service: ExitService,
    pupil: Pupil,
    today: Callable[[], date],
    parent: QWidget | None = None,
) -> bool:
    """Open the form for one student; True when an interview was finished in it."""
    try:
        form = ExitForm(exit_service, pupil, today, parent)
    except ServiceError as exc:
        QMessageBox.warning(parent, "Exitgesprek", "\n".join(problems_of(exc)))
        return False
    form.exec()
    return form.finished_any
