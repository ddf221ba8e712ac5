"""How Dutch names are shown and sorted: 'Sanne de Vries' is filed under V."""

from __future__ import annotations


def full_name(roepnaam: str, tussenvoegsel: str, achternaam: str) -> str:
    return " ".join(
        part for part in (roepnaam.strip(), tussenvoegsel.strip(), achternaam.strip()) if part
    )


def sort_name(roepnaam: str, tussenvoegsel: str, achternaam: str) -> str:
    """'Vries, Sanne de' as a key: the tussenvoegsel does not decide the order."""
    tail = " ".join(part for part in (roepnaam.strip(), tussenvoegsel.strip()) if part)
    return f"{achternaam.strip()}, {tail}".casefold()
