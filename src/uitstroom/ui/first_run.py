"""The first start: an empty database and no school yet. Three ways in, each explained once."""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCommandLinkButton, QDialog, QLabel, QVBoxLayout, QWidget


class FirstRunChoice(Enum):
    EMPTY = "empty"
    DEMO = "demo"
    IMPORT = "import"


CHOICES: tuple[tuple[FirstRunChoice, str, str], ...] = (
    (
        FirstRunChoice.EMPTY,
        "Begin met een &lege database",
        "U vult eerst de gegevens van uw school in en voegt daarna zelf leerlingen toe.",
    ),
    (
        FirstRunChoice.DEMO,
        "Probeer het met een &voorbeeldcohort",
        "Uitstroom vult de lijst met 48 verzonnen leerlingen, zodat u rustig kunt rondkijken.",
    ),
    (
        FirstRunChoice.IMPORT,
        "&Importeer een export uit de leerlingadministratie",
        "Kies een CSV- of Excel-bestand uit Magister, Somtoday, Eduarte of een vergelijkbaar "
        "pakket; u ziet eerst wat er wordt ingelezen.",
    ),
)


class FirstRunDialog(QDialog):
    """After exec(), `choice` says what the user picked; None when the dialog was closed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welkom bij Uitstroom")
        self.setMinimumWidth(600)
        self.choice: FirstRunChoice | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        heading = QLabel("Welkom bij Uitstroom", self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            "Hier houdt u uw laatstejaars bij: hun route na school, stages, de overdracht en "
            "de nazorg. Er staan nog geen leerlingen in. Hoe wilt u beginnen?",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(intro)
        self.buttons: dict[FirstRunChoice, QCommandLinkButton] = {}
        for choice, title, description in CHOICES:
            button = QCommandLinkButton(title, description, self)
            button.clicked.connect(lambda _checked=False, c=choice: self.choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
        later = QLabel(
            "U kunt later altijd nog importeren via Bestand › Importeren (Ctrl+I).", self
        )
        later.setStyleSheet("QLabel { color: #555; }")
        layout.addWidget(later)
        # Enter picks the empty start: it writes nothing, where the demo fills the database.
        self.buttons[FirstRunChoice.EMPTY].setDefault(True)
        self.buttons[FirstRunChoice.EMPTY].setFocus()

    def choose(self, choice: FirstRunChoice) -> None:
        self.choice = choice
        self.accept()
