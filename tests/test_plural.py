"""Counts in Dutch go through one helper (domain.plural.counted), so '1 leerlingen' or
'1 problemen' cannot slip into a text: a count written by hand before a noun is refused here."""

from __future__ import annotations

import re
from pathlib import Path

from uitstroom.domain.plural import counted

SRC = Path(__file__).resolve().parent.parent / "src" / "uitstroom"
NOUNS = (
    "leerlingen?|problemen|probleem|bestanden|bestand|studenten|student|jongeren|"
    "gesprekken|gesprek|taken|taak|rijen|rij|documenten|dagen|dag|minuten|minuut|tabellen|"
    "seconden|seconde|"
    "cohorten|pagina’s|pagina's|keer|uur|weken|week|maanden|jaar"
)
# '{expression} noun' inside an f-string; a CONSTANT (never 1) may stand before a noun.
HAND_COUNT = re.compile(r"\{(?P<expr>[^{}]+)\} (?:" + NOUNS + r")\b")
CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*(?::[^}]*)?$")


def hand_written_counts() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "# plural-ok" in line:
                continue
            for match in HAND_COUNT.finditer(line):
                if not CONSTANT.match(match["expr"].strip()):
                    found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    return found


def test_every_count_goes_through_the_plural_helper() -> None:
    assert hand_written_counts() == []


def test_the_plural_helper() -> None:
    assert counted(1, "leerling", "leerlingen") == "1 leerling"
    assert counted(0, "leerling", "leerlingen") == "0 leerlingen"
    assert counted(2, "probleem", "problemen") == "2 problemen"
    assert counted(0, "probleem", "problemen", zero="geen problemen") == "geen problemen"
