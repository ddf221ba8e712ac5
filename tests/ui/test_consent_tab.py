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
    pupils = window.services.pupils
    pupil = pupils.record(pupil_id).pupil
    pupils.save(replace(pupil, geboortedatum=date(2011, 6, 1)))
    window.open_pupil_at(pupil_id, "toestemming")
    return pupil_id


def choose(dialog: ConsentDialog, name: str, value: object) -> None:
    editor = dialog.form.editor(name)
    editor.setCurrentIndex(editor._values.index(value))


def test_a_fifteen_year_old_cannot_consent_for_themself(qtbot, window: MainWindow) -> None:
    pupil_id = make_fifteen(window)
    before = window.services.handover.consents(pupil_id)
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
    assert window.services.handover.consents(pupil_id) == before

    choose(dialog, "consenter", Consenter.OUDER)
    dialog.form.editor("consenter_name").setText("mw. Jansen")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    [consent] = [c for c in window.services.handover.consents(pupil_id) if c not in before]
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
    [consent] = [c for c in window.services.handover.consents(pupil_id) if c.id == made.id]
    assert consent.withdrawn_on == date(2026, 11, 23)
    row = [c.id for c in tab.consent_model.rows].index(made.id)
    assert tab.consent_model.index(row, 2).data().endswith("ingetrokken 23-11-2026")


def test_the_signed_form_is_recorded_with_its_scan_from_the_menu(
    qtbot, window: MainWindow, dialogs, tmp_path
) -> None:
    from PySide6.QtWidgets import QWidget

    from uitstroom.ui.file_edits import FileEdit

    pupil_id = make_fifteen(window)
    scan = tmp_path / "formulier getekend.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan\n%%EOF\n")
    seen: list[str] = []

    def fill_in(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsentDialog)
        seen.append(dialog.windowTitle())
        choose(dialog, "receiver", Receiver.GEMEENTE)
        # Nothing is ticked beforehand: only what is ticked on the paper.
        assert not any(box.isChecked() for box in dialog.findChildren(QCheckBox))
        for box in dialog.findChildren(QCheckBox):
            if box.text() in (Section.WIE.label, Section.KAN.label):
                box.setChecked(True)
        dialog.form.editor("consenter_name").setText("mw. Jansen")
        editor = dialog.form.editor("scan")
        assert isinstance(editor, FileEdit)
        editor.choose_path(str(scan))
        dialog.accept()

    dialogs.then(fill_in)
    window.documents_area.signed_form_action.trigger()
    assert seen == ["Getekend formulier vastleggen"]
    (consent,) = [c for c in window.services.handover.consents(pupil_id) if c.scan_name]
    assert consent.receiver is Receiver.GEMEENTE and consent.scan_name == scan.name
    assert consent.sections == frozenset({Section.WIE, Section.KAN})
    assert consent.id is not None
    assert window.services.handover.consent_scan(consent.id).data == scan.read_bytes()
    tab = window.detail.consent
    row = [c.id for c in tab.consent_model.rows].index(consent.id)
    assert f"formulier: {scan.name}" in tab.consent_model.index(row, 1).data()


def test_the_form_is_previewed_for_the_chosen_receiver(qtbot, window: MainWindow, dialogs) -> None:
    from PySide6.QtWidgets import QWidget

    from uitstroom.ui.forms import FormDialog
    from uitstroom.ui.pdf_preview import PdfPreviewDialog

    make_fifteen(window)
    name = window.detail.record.pupil.name
    previews: list[PdfPreviewDialog] = []

    def for_gemeente(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog)
        editor = dialog.form.editor("receiver")
        editor.setCurrentIndex(editor._values.index(Receiver.GEMEENTE))
        dialog.accept()

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, PdfPreviewDialog)
        previews.append(dialog)
        dialog.reject()

    dialogs.then(for_gemeente)
    dialogs.then(look)
    window.detail.consent.form_button.click()
    (preview,) = previews
    assert preview.windowTitle() == (
        f"Toestemmingsformulier — {name} — voor {Receiver.GEMEENTE.label}"
    )
    assert preview.document.pageCount() == 2
