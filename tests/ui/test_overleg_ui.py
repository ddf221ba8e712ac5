"""The uitstroomoverleg on screen (issue 19, item 1), on the demo school: from the Bestand
menu, the bespreeklijst in the preview, the meeting walked by keyboard, the verslag."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from conftest import TODAY, Dialogs
from uitstroom.domain.enums import Instrument
from uitstroom.domain.handover import AgreementParty
from uitstroom.services.overleg import OverlegService
from uitstroom.ui.desktop import fit_to_screen, screen_of
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.overleg_dialog import MeetingDialog, OverlegDialog
from uitstroom.ui.pdf_preview import PdfPreviewDialog


def test_the_meeting_walks_the_list_by_keyboard_and_records_a_decision(
    window: MainWindow, dialogs: Dialogs
) -> None:
    service = window.services.handover.alongside(OverlegService)
    # The demo school held its overleg a week ago with the team that has most pupils by name.
    ((gemeente_id, gemeente, last),) = [
        (i, name, o) for i, name in service.gemeenten() for o in service.overleggen(i)
    ]
    assert last.held_on == date(2026, 11, 16) and len(last.decisions) == 2
    lijst = service.bespreeklijst(gemeente_id, TODAY, TODAY)
    assert len(lijst.rows) >= 2 and lijst.unnamed > 0
    seen: dict[str, object] = {}

    def in_meeting(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingDialog)
        # The window rule moves a window back onto the screen; the dialog's own 'move' (to
        # the next pupil) once hid QWidget.move, and that call failed.
        dialog.move(5000, 5000)
        fit_to_screen(dialog)
        assert screen_of(dialog).availableGeometry().contains(dialog.frameGeometry().topLeft())
        first, second = lijst.rows[0], lijst.rows[1]
        assert dialog.header.text() == f"1 van {len(lijst.rows)}: {first.name}"
        assert first.question in dialog.details.text()
        QTest.keyClick(dialog.pupils, Qt.Key.Key_PageDown)
        assert dialog.current() == second
        QTest.keyClick(dialog.pupils, Qt.Key.Key_PageUp)
        assert dialog.current() == first
        dialog.instrument.set_field_value(Instrument.LOONKOSTENSUBSIDIE)
        dialog.what.setText("aanvragen")
        dialog.party.set_field_value(AgreementParty.GEMEENTE)
        dialog.due.setText("01-03-2027")
        QTest.keyClick(dialog.pupils, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen["banner"] = dialog.banner.text()
        seen["moved"] = dialog.current() == second
        seen["marked"] = dialog.pupils.item(0).text()
        dialog.accept()

    def in_overleg(dialog: QWidget) -> None:
        assert isinstance(dialog, OverlegDialog)
        dialog.gemeente.set_field_value(gemeente_id)
        assert dialog.gemeente.currentText() == gemeente
        dialog.held_on.setText(f"{TODAY:%d-%m-%Y}")
        dialogs.then(in_meeting)
        dialog.meeting_button.click()

        def look(preview: QWidget) -> None:
            assert isinstance(preview, PdfPreviewDialog)
            seen["verslag_pages"] = preview.document.pageCount()
            preview.reject()

        dialogs.then(look)
        dialog.verslag_button.click()
        dialog.reject()

    dialogs.then(in_overleg)
    window.documents_area.overleg_action.trigger()
    assert seen["banner"] == "" and seen["moved"] is True
    assert str(seen["marked"]).startswith("✓ ")
    assert seen["verslag_pages"] == 1
    (overleg,) = [o for o in service.overleggen(gemeente_id) if o.held_on == TODAY]
    (decision,) = [d for d in overleg.decisions if d.pupil_id == lijst.rows[0].pupil_id][-1:]
    assert decision.instrument is Instrument.LOONKOSTENSUBSIDIE
    assert decision.due == date(2027, 3, 1)
