"""Qt's own words in Dutch: the standard buttons of every dialog read Annuleren, Ja, Nee."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel

from uitstroom.app import install_dutch, qt_translation_folders

Button = QDialogButtonBox.StandardButton


@pytest.fixture
def dutch(qapp: QApplication) -> Iterator[QTranslator | None]:
    """Dutch for this test only: the other tests click buttons by their English names."""
    previous = QLocale()
    translator = install_dutch(qapp)
    yield translator
    if translator is not None:
        qapp.removeTranslator(translator)
    QLocale.setDefault(previous)


def texts(box: QDialogButtonBox) -> dict[Button, str]:
    return {box.standardButton(b): b.text().replace("&", "") for b in box.buttons()}


def test_a_cancel_button_reads_annuleren_after_install_dutch(dutch: QTranslator | None) -> None:
    assert dutch is not None, f"qtbase_nl.qm not found in {qt_translation_folders()}"
    assert dutch.filePath().endswith("qtbase_nl.qm")
    # The translator itself, whatever else a test before may have installed:
    assert dutch.translate("QPlatformTheme", "Cancel") == "Annuleren"
    box = QDialogButtonBox(Button.Cancel | Button.Yes | Button.No | Button.Close)
    assert texts(box) == {
        Button.Cancel: "Annuleren",
        Button.Yes: "Ja",
        Button.No: "Nee",
        Button.Close: "Sluiten",
    }
    assert QLocale().toString(1234.5, "f", 1) == "1.234,5"


def test_the_file_dialog_asks_in_dutch_where_to_look_and_which_type(
    dutch: QTranslator | None, tmp_path
) -> None:
    """Qt's file dialog (the one used where the desktop offers none) read 'Look in:' and
    'Files of type:' in English: qtbase_nl.qm lacks those two texts with their Alt-letter."""
    dialog = QFileDialog(None, "Bestand kiezen", str(tmp_path), "CSV-bestand (*.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.show()
    try:
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        assert labels == {"&Zoeken in:", "Bestands&naam:", "Bestands&type:"}
        # A text no translation has keeps its own words instead of going blank.
        assert QApplication.translate("Uitstroom", "Look in:") == "Look in:"
    finally:
        dialog.close()
