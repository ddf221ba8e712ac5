"""How the short lists of the pupil pane (record_table.pane_table) measure their texts."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from uitstroom.ui.record_table import text_width


def test_a_slash_before_a_letter_is_a_place_to_wrap_and_one_between_digits_is_not(qtbot) -> None:
    box = QWidget()
    qtbot.addWidget(box)
    metrics = box.fontMetrics()
    whole = metrics.horizontalAdvance
    assert text_width(metrics, "Ouder/verzorger", 10, 2) < whole("Ouder/verzorger")
    assert text_width(metrics, "schooljaar 2025/2026", 10, 2) >= whole("2025/2026")
