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
}
FORBIDDEN_THIRD_PARTY = {
    "storage": {"PySide6", "reportlab"},
    "documents": {"PySide6", "sqlalchemy"},
    "services": {"PySide6"},
}
# domain/ is standard library only, except pure date arithmetic (no I/O, no state).
DOMAIN_THIRD_PARTY = {"dateutil"}
OUR_PACKAGES = {"ui", "services", "storage", "documents", "domain", "app", "cli"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


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


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_one_way(layer: str) -> None:
    assert violations(layer) == []


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
