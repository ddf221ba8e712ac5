"""The Paspoort tab: a coordinator fills in what the pupil says, saves with Ctrl+S and finds it
again; an unsaved paspoort is not lost when another pupil is chosen."""

from __future__ import annotations

from datetime import date

from uitstroom.domain.handover import CredentialKind
from uitstroom.ui.main_window import MainWindow


def open_paspoort(qtbot, window: MainWindow, row: int = 0) -> int:
    pupil_id = window.proxy.summary_at(row).id
    window.open_pupil_at(pupil_id, "paspoort")
    assert window.detail.tabs.currentWidget() is window.detail.paspoort
    return pupil_id


def test_a_paspoort_part_saved_is_there_when_the_pupil_is_opened_again(
    qtbot, window: MainWindow, dialogs
) -> None:
    pupil_id = open_paspoort(qtbot, window)
    tab = window.detail.paspoort
    # The guiding question stands above its editor, in plain Dutch.
    texts = [label.text() for label in tab.findChildren(type(tab.intro))]
    assert any(text.startswith("Hoe zou je jezelf beschrijven?") for text in texts)
    before = list(tab.credential_model.rows)
    editor = tab.editors["wie"]
    editor.clear()
    editor.setFocus()
    qtbot.keyClicks(editor, "Vrolijk, zelfstandig en altijd op tijd. Ik fiets veel.")
    assert window.detail.is_dirty() and window.cohort_area.save_action.isEnabled()

    dialogs.fill_and_click("OK", name="Branchecertificaat Schoonmaak", issued_on="12-06-2026")
    tab.add_credential()
    added = tab.credential_model.rows[-1]
    assert len(tab.credential_model.rows) == len(before) + 1
    assert added.name == "Branchecertificaat Schoonmaak"

    window.cohort_area.save_action.trigger()  # Opslaan, Ctrl+S
    assert not window.detail.is_dirty()
    stored = window.services.handover.paspoort(pupil_id)
    assert stored.wie.startswith("Vrolijk, zelfstandig")
    [added] = [c for c in stored.credentials if c.name == "Branchecertificaat Schoonmaak"]
    assert added.kind is CredentialKind.DIPLOMA and added.issued_on == date(2026, 6, 12)

    other = window.proxy.summary_at(1).id
    window.open_pupil_at(other, "paspoort")
    assert not tab.editors["wie"].toPlainText().startswith("Vrolijk, zelfstandig")
    window.open_pupil_at(pupil_id, "paspoort")
    assert tab.editors["wie"].toPlainText().startswith("Vrolijk, zelfstandig")
    assert tab.credential_model.rowCount() == len(before) + 1
    assert "Laatst bijgewerkt op" in tab.updated_label.text()


def test_choosing_another_pupil_asks_about_an_unsaved_paspoort(
    qtbot, window: MainWindow, dialogs
) -> None:
    pupil_id = open_paspoort(qtbot, window)
    window.detail.paspoort.editors["wil"].setPlainText("Kok worden in een groot hotel.")
    assert window.detail.is_dirty()
    dialogs.click("Opslaan")
    window.open_pupil_at(window.proxy.summary_at(1).id, "paspoort")
    assert dialogs.seen[0].startswith("Wijzigingen opslaan?")
    assert window.services.handover.paspoort(pupil_id).wil == "Kok worden in een groot hotel."
