"""Documents, consent on paper, letters, the sociale kaart and the uitstroomoverleg."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QMessageBox

from uitstroom.domain.handover import DocumentKind
from uitstroom.services.errors import ServiceError
from uitstroom.ui.change import Area, Change
from uitstroom.ui.controllers.base import Controller
from uitstroom.ui.forms import problems_of

if TYPE_CHECKING:
    from uitstroom.ui.main_window import MainWindow


class DocumentsController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        action = self.action
        self.letters_action = action("&Brieven…", self.make_letters)
        self.transitieplan_action = action(
            "&Transitieplan maken…", lambda: self.make_document(DocumentKind.TRANSITIEPLAN)
        )
        self.paspoort_action = action(
            "&Paspoort maken…", lambda: self.make_document(DocumentKind.PASPOORT)
        )
        self.overdracht_action = action(
            "O&verdracht maken…", lambda: self.make_document(DocumentKind.OVERDRACHT)
        )
        self.batch_action = action("&Documenten voor een klas of selectie…", self.make_batch)
        # consent on paper: the form for one pupil or a klas, the signed form recorded
        self.consent_form_action = action("Toestemmings&formulier…", self.print_consent_form)
        self.klas_forms_action = action(
            "Toestemmingsformulieren voor een kla&s…", self.print_klas_forms
        )
        self.signed_form_action = action("Getekend formulier vastle&ggen…", self.record_signed_form)
        self.consent_form_actions = (
            self.consent_form_action,
            self.klas_forms_action,
            self.signed_form_action,
        )
        self.address_book_action = action("Sociale &kaart…", self.show_address_book)
        self.overleg_action = action("Uitstroomoverleg met de ge&meente…", self.show_overleg)
        self.document_actions = (
            self.transitieplan_action,
            self.paspoort_action,
            self.overdracht_action,
        )
        documents = QMenu(window)
        for made in self.document_actions:
            documents.addAction(made)
        window.detail.set_document_menu(documents)

    def update_actions(self, known: bool) -> None:
        """`known`: a stored pupil is on screen."""
        for made in (*self.document_actions, self.consent_form_action, self.signed_form_action):
            made.setEnabled(known)

    def apply_role(self, can_write: bool) -> None:
        if not can_write:
            for made in (
                self.batch_action,
                self.address_book_action,
                self.letters_action,
                *self.document_actions,
            ):
                made.setVisible(False)

    def make_document(self, kind: DocumentKind) -> None:
        """One pupil's document in the preview; what is stored is what goes out, so unsaved
        edits are settled first."""
        handover = self.services.handover
        if not self.detail.resolve_unsaved():
            return
        pupil = self.saved_pupil()
        if pupil is None:
            return
        from uitstroom.ui import document_actions

        today = self.today()
        recipient = made = None
        try:
            if kind is DocumentKind.OVERDRACHT:
                asked = document_actions.ask_recipient(self.window, handover, pupil, today)
                if asked is None:
                    return
                recipient, made = asked
            dialog = document_actions.preview_document(
                self.window, handover, kind, pupil, today, recipient, made
            )
        except ServiceError as exc:
            QMessageBox.warning(self.window, kind.label, "\n".join(problems_of(exc)))
            return
        dialog.exec()
        self.detail.refresh_documents()
        if dialog.saved_to is not None:
            self.tell(f"Opgeslagen: {dialog.saved_to}")

    def make_batch(self) -> None:
        handover = self.services.handover
        if not self.detail.resolve_unsaved():
            return
        from uitstroom.ui.document_actions import BatchDialog, run_batch

        window = self.window
        dialog = BatchDialog(
            handover, window.model.klassen(), window.cohort.selected_summaries(), parent=window
        )
        if dialog.exec() != BatchDialog.DialogCode.Accepted or dialog.choice is None:
            return

        def finished(summary: str) -> None:
            self.detail.refresh_documents()
            self.tell(summary.splitlines()[0])

        run_batch(window, handover, dialog.choice, self.today(), finished)

    def make_letters(self) -> None:
        from uitstroom.services.letters import LetterService
        from uitstroom.ui.letters_dialog import LettersDialog

        services = self.services
        LettersDialog(
            LetterService(services.sessions, actor=services.actor),
            self.window.model.klassen(),
            services.handover.pupil_ids,
            self.window.cohort.selected_summaries(),
            self.today(),
            parent=self.window,
        ).exec()

    def show_overleg(self) -> None:
        from uitstroom.services.overleg import OverlegService
        from uitstroom.ui.overleg_dialog import OverlegDialog

        OverlegDialog(
            self.services.handover.alongside(OverlegService),
            self.window.today,
            self.window,
        ).exec()
        # Decisions added agreements and tasks: statuses, Vandaag and the open plan again.
        self.window.changes.announce(Change.of(Area.COHORT))
        self.detail.reload_plan()

    def print_consent_form(self) -> None:
        if not self.detail.resolve_unsaved():
            return
        pupil = self.saved_pupil()
        if pupil is None:
            return
        from uitstroom.ui.consent_forms import print_consent_form

        print_consent_form(self.window, self.services.handover, pupil, self.today())

    def print_klas_forms(self) -> None:
        from uitstroom.ui.consent_forms import print_klas_forms

        print_klas_forms(
            self.window,
            self.services.handover,
            self.window.model.klassen(),
            self.today(),
            lambda message: self.tell(message.splitlines()[0]),
        )

    def record_signed_form(self) -> None:
        """The consent tab of the pupil on screen, with the dialog for the signed form."""
        pupil = self.saved_pupil()
        if pupil is None or pupil.id is None or self.detail.consent is None:
            return
        self.window.open_pupil_at(pupil.id, "toestemming")
        self.detail.consent.record_signed_form()

    def show_address_book(self) -> None:
        from uitstroom.ui.address_book import AddressBookDialog

        dialog = AddressBookDialog(self.services.handover, self.window.today, self.window)
        dialog.exec()
        if dialog.changed:
            self.detail.reload_plan()
            if dialog.last_message:
                self.tell(dialog.last_message)
