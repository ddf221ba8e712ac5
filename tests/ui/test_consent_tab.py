"""The Toestemming tab: who may consent follows the pupil's age on the day, and a consent the
law does not accept is refused with the reason, in Dutch, and not stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QCheckBox

from uitstroom.domain.handover import Consenter, Receiver, Section
from uitstroom.ui.consent_tab import ConsentDialog
from uitstroom.ui.main_window import MainWindow


def make_fifteen(window: MainWindow) -> int:
    """The first pupil of the list, born so that they are 15 on 23 November 2026."""
    pupil_id = window.proxy.summary_at(0).id
    pupils = window._services.pupils
    pupil = pupils.record(pupil_id).pupil
    pupils.save(replace(pupil, geboortedatum=date(2011, 6, 1)), "test")
    window.open_pupil_at(pupil_id, "toestemming")
    return pupil_id


def choose(dialog: ConsentDialog, name: str, value: object) -> None:
    editor = dialog.form.editor(name)
    editor.setCurrentIndex(editor._values.index(value))


def test_a_fifteen_year_old_cannot_consent_for_themself(qtbot, window: MainWindow) -> None:
    pupil_id = make_fifteen(window)
    before = window.handover.consents(pupil_id)
    tab = window.detail.consent
    dialog = tab.consent_dialog()
    qtbot.addWidget(dialog)
    roepnaam = window.detail.record.pupil.roepnaam
    assert dialog.hint.text() == f"{roepnaam} is 15: een ouder of verzorger geeft toestemming."
    # The default is right: a parent, with the first guardian's name.
    assert dialog.form.editor("consenter").field_value() is Consenter.OUDER
    # Sensitive parts are marked, and off until asked for.
    boxes = {box.text(): box for box in dialog.findChildren(QCheckBox)}
    assert not boxes["Wat heb je nodig?  ⚠ gevoelig"].isChecked()

    choose(dialog, "consenter", Consenter.LEERLING)
    dialog.form.editor("consenter_name").setText(window.detail.record.pupil.name)
    dialog.accept()
    assert dialog.isVisible() or dialog.result() != dialog.DialogCode.Accepted
    assert "jonger dan 16: een ouder of verzorger geeft toestemming" in dialog.banner.text()
    assert window.handover.consents(pupil_id) == before

    choose(dialog, "consenter", Consenter.OUDER)
    dialog.form.editor("consenter_name").setText("mw. Jansen")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    [consent] = [c for c in window.handover.consents(pupil_id) if c not in before]
    assert consent.receiver is Receiver.MBO and consent.consenter is Consenter.OUDER
    assert consent.consenter_name == "mw. Jansen"
    assert Section.NODIG not in consent.sections
    assert consent in tab.consent_model.rows


def test_withdrawing_a_consent_shows_the_date(qtbot, window: MainWindow, dialogs) -> None:
    pupil_id = make_fifteen(window)
    tab = window.detail.consent
    dialog = tab.consent_dialog()
    qtbot.addWidget(dialog)
    dialog.form.editor("consenter_name").setText("mw. Jansen")
    dialog.accept()
    made = dialog.result_value
    row = tab.consent_model.rows.index(made)
    tab.consent_table.selectRow(row)
    assert tab.withdraw_button.isEnabled()
    dialogs.click("Intrekken")
    tab.withdraw_consent()
    [consent] = [c for c in window.handover.consents(pupil_id) if c.id == made.id]
    assert consent.withdrawn_on == date(2026, 11, 23)
    row = [c.id for c in tab.consent_model.rows].index(made.id)
    assert tab.consent_model.index(row, 2).data().endswith("ingetrokken 23-11-2026")
