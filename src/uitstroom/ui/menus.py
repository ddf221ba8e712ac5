"""The window's menus, filled from the areas' actions, what a role may see of them, and its
status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QLabel

from uitstroom.domain.actor import Role
from uitstroom.paths import chosen_server

if TYPE_CHECKING:
    from uitstroom.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    admin, cohort, documents = window.admin_area, window.cohort_area, window.documents_area
    nazorg, exit_, privacy = window.nazorg_area, window.exit_area, window.privacy_area
    menus = window.menuBar()
    file_menu = window.file_menu = menus.addMenu("&Bestand")
    for made in (
        cohort.import_action,
        cohort.export_action,
        None,
        admin.backups_action,
        admin.settings_action,
        admin.users_action,
        # checklists: Checklist aanpassen…, Agenda exporteren (.ics)…
        admin.templates_action,
        admin.ics_action,
        # handover: Sociale kaart…, Uitstroomoverleg…
        documents.address_book_action,
        documents.overleg_action,
        # nazorg: Resultaten nazorg…, Cohort in cijfers…, Nazorgagenda exporteren (.ics)…
        nazorg.outcomes_action,
        nazorg.figures_action,
        nazorg.nazorg_ics_action,
        # the mbo exitgesprek: Cijfers exitgesprekken…, Redenen van uitval…
        exit_.exit_figures_action,
        exit_.dropout_reasons_action,
        None,
        # the school's server: Verbinden met de schoolserver…, Terug naar deze computer
        admin.server_action,
        admin.local_action,
    ):
        if made is None:
            file_menu.addSeparator()
        else:
            file_menu.addAction(made)
    file_menu.aboutToShow.connect(
        lambda: admin.local_action.setVisible(chosen_server() is not None)
    )
    file_menu.addSeparator()
    file_menu.addAction(admin.quit_action)
    pupil_menu = window.pupil_menu = menus.addMenu(window.words.pupil_menu)
    pupil_menu.addAction(cohort.new_action)
    pupil_menu.addAction(cohort.save_action)
    pupil_menu.addSeparator()
    pupil_menu.addAction(cohort.search_action)
    pupil_menu.addSeparator()
    pupil_menu.addAction(cohort.archive_action)
    # documents: Transitieplan / Paspoort / Overdracht maken…, batch
    pupil_menu.addSeparator()
    for made in documents.document_actions:
        pupil_menu.addAction(made)
    pupil_menu.addAction(documents.batch_action)
    pupil_menu.addAction(documents.letters_action)
    # consent on paper: Toestemmingsformulier…, … voor een klas…, Getekend formulier…
    pupil_menu.addSeparator()
    for made in documents.consent_form_actions:
        pupil_menu.addAction(made)
    # nazorg: Uitstroom vastleggen…, Uitstroom voor een hele klas…
    pupil_menu.addSeparator()
    pupil_menu.addAction(nazorg.leaving_action)
    pupil_menu.addAction(nazorg.klas_leaving_action)
    # the mbo exitgesprek: Exitgesprek…, Exitgesprekken per SLB'er…
    window.exit_separator = pupil_menu.addSeparator()
    for made in (exit_.exit_action, exit_.exit_list_action):
        pupil_menu.addAction(made)
    # the pupil's rights: Inzage-export…, Wissen op verzoek…
    pupil_menu.addSeparator()
    pupil_menu.addAction(privacy.inzage_action)
    pupil_menu.addAction(privacy.erase_action)
    pupil_menu.aboutToShow.connect(lambda: update_pupil_actions(window))
    # Alt+P is the Paspoort tab.
    privacy_menu = window.privacy_menu = menus.addMenu("Privac&y")
    # audit trail: Logboek…; retention: Bewaartermijnen en opschonen…
    privacy_menu.addAction(privacy.audit_action)
    privacy_menu.addAction(privacy.retention_action)
    # lock: Vergrendelen (Ctrl+L), Herstelwachtwoord wijzigen…
    lock = privacy.window_lock
    privacy_menu.addSeparator()
    privacy_menu.addAction(lock.lock_action)
    privacy_menu.addAction(lock.change_passphrase_action)
    privacy_menu.addAction(lock.change_day_password_action)
    help_menu = menus.addMenu("&Help")
    help_menu.addAction(admin.manual_action)
    help_menu.addAction(admin.manual_pdf_action)
    help_menu.addSeparator()
    help_menu.addAction(admin.about_action)
    # F1 in a dialog opens the manual at that dialog's page.
    from uitstroom.ui.manual_dialog import HelpKey

    window.help_key = HelpKey(window)
    app = QApplication.instance()
    if app is not None:
        app.installEventFilter(window.help_key)


def update_pupil_actions(window: MainWindow) -> None:
    """What needs a stored pupil on screen."""
    record = window.detail.record
    known = record is not None and record.pupil.id is not None
    window.exit_area.exit_action.setEnabled(known)
    window.privacy_area.inzage_action.setEnabled(known)
    window.privacy_area.erase_action.setEnabled(known)
    window.documents_area.update_actions(known)
    window.nazorg_area.leaving_action.setEnabled(known)


def apply_role(window: MainWindow) -> None:
    """Hide what the role may not do; the services refuse it anyway (NotAllowed)."""
    actor = window.actor
    admin, cohort, privacy = window.admin_area, window.cohort_area, window.privacy_area
    coordinator_only = (
        cohort.import_action,
        cohort.export_action,
        admin.settings_action,
        admin.users_action,
        admin.templates_action,
        admin.backups_action,
        cohort.new_action,
        cohort.archive_action,
        window.nazorg_area.klas_leaving_action,
        privacy.inzage_action,
        privacy.erase_action,
        privacy.audit_action,
        privacy.retention_action,
    )
    for made in coordinator_only:
        made.setVisible(actor.is_coordinator)
    if not actor.can_write:
        for made in (
            cohort.save_action,
            window.nazorg_area.leaving_action,
            *window.exit_area.exit_actions,
        ):
            made.setVisible(False)
    window.documents_area.apply_role(actor.can_write)
    window.user_label.setText(f"{actor.name} · {actor.role.in_sentence}")
    window.user_label.setToolTip(
        {
            Role.COORDINATOR: "U mag alles in Uitstroom.",
            Role.MENTOR: f"U ziet en wijzigt de leerlingen met mentor {actor.as_mentor}.",
            Role.READONLY: "U kunt kijken en cijfers bekijken; ondersteuningsbehoefte en "
            "notities ziet u niet.",
        }[actor.role]
    )


def build_status_bar(window: MainWindow) -> None:
    window.location_label = QLabel(f"Database: {window.services.location}", window)
    window.location_label.setToolTip(window.services.location)
    window.last_saved_label = QLabel("", window)
    bar = window.statusBar()
    bar.addWidget(window.location_label, 1)
    window.user_label = QLabel(window)
    window.user_label.setObjectName("user")
    bar.addPermanentWidget(window.user_label)
    bar.addPermanentWidget(window.last_saved_label)
