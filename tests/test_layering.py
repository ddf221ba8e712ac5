"""Imports point one way: ui -> services -> {storage, documents} -> domain."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "uitstroom"
ALLOWED = {
    "domain": set(),
    "storage": {"domain"},
    "documents": {"domain"},
    "services": {"domain", "storage", "documents"},
    # The window reaches storage and documents through services; domain words and rules it may
    # use directly (enums, labels, dates).
    "ui": {"services", "domain"},
    "commands": {"services", "domain"},
}
FORBIDDEN_THIRD_PARTY = {
    "storage": {"PySide6", "reportlab"},
    "documents": {"PySide6", "sqlalchemy"},
    "services": {"PySide6"},
    # The window and the commands reach the database and the documents through services only.
    "ui": {"sqlalchemy", "alembic", "reportlab", "sqlcipher3", "openpyxl", "psycopg"},
    "commands": {"sqlalchemy", "alembic", "reportlab", "sqlcipher3", "openpyxl", "psycopg"},
}
# domain/ is standard library only, except pure date arithmetic (no I/O, no state).
DOMAIN_THIRD_PARTY = {"dateutil"}
OUR_PACKAGES = {"ui", "commands", "services", "storage", "documents", "domain", "app", "cli"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


# Arrows that point the wrong way today, each waiting for the change named beside it. A fixed
# one must leave this list (test_known_exceptions_still_exist).
KNOWN_EXCEPTIONS: set[str] = set()


def violations(layer: str) -> list[str]:
    bad = []
    for path in sorted((SRC / layer).rglob("*.py")):
        for line, module in imported_modules(path):
            top, *rest = module.split(".")
            where = f"{path.relative_to(SRC.parent)}:{line}"
            if top == "uitstroom" and rest and rest[0] in OUR_PACKAGES:
                if rest[0] != layer and rest[0] not in ALLOWED[layer]:
                    bad.append(f"{where} imports uitstroom.{rest[0]}")
            elif top == "uitstroom" and rest and layer == "domain":
                bad.append(f"{where} imports uitstroom.{rest[0]}")
            elif layer == "domain" and top not in ("uitstroom", "__future__"):
                if top not in sys.stdlib_module_names and top not in DOMAIN_THIRD_PARTY:
                    bad.append(f"{where} imports {top} (domain/ is standard library only)")
            elif top in FORBIDDEN_THIRD_PARTY.get(layer, ()):
                bad.append(f"{where} imports {top}")
    return bad


def without_known(found: list[str]) -> list[str]:
    return [v for v in found if _unnumbered(v) not in KNOWN_EXCEPTIONS]


def _unnumbered(violation: str) -> str:
    where, what = violation.split(" ", 1)
    return f"{where.rsplit(':', 1)[0]} {what}"


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_one_way(layer: str) -> None:
    assert without_known(violations(layer)) == []


def test_known_exceptions_still_exist() -> None:
    found = {_unnumbered(v) for layer in ALLOWED for v in violations(layer)}
    assert KNOWN_EXCEPTIONS - found == set(), "fixed: take it off KNOWN_EXCEPTIONS"


def private_imports(root: Path) -> list[str]:
    """`from uitstroom.x import _y`: a module leaning on another module's insides."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("uitstroom"):
                bad += [
                    f"{path.relative_to(root.parent)} imports {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    return bad


# A module that needs another's helper imports it by a public name; none is left to fix.
KNOWN_PRIVATE_IMPORTS: set[str] = set()


def test_no_module_imports_another_modules_private_names() -> None:
    found = set(private_imports(SRC))
    assert found - KNOWN_PRIVATE_IMPORTS == set()
    assert KNOWN_PRIVATE_IMPORTS - found == set(), "fixed: take it off KNOWN_PRIVATE_IMPORTS"


def test_the_check_catches_a_private_import(tmp_path: Path) -> None:
    fake = tmp_path / "uitstroom"
    fake.mkdir()
    (fake / "a.py").write_text("from uitstroom.b import _helper, public, __version__\n")
    assert private_imports(fake) == ["uitstroom/a.py imports uitstroom.b._helper"]


def test_the_check_catches_a_wrong_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "uitstroom"
    (fake / "domain").mkdir(parents=True)
    (fake / "domain" / "bad.py").write_text("import sqlalchemy\nfrom uitstroom.services import x\n")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    assert len(violations("domain")) == 2


def test_only_ui_and_app_import_qt() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).parts[0] not in ("ui", "app.py")
        and any(module.startswith("PySide6") for _, module in imported_modules(path))
    ]
    assert offenders == []
