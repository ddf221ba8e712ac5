"""No two modules import each other round, in the package nor in bench/: a cycle makes the
import order matter and hides which layer leans on which (scripts/import_graph.py draws it)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
assert _spec and _spec.loader
import_graph = importlib.util.module_from_spec(_spec)
sys.modules["import_graph"] = import_graph
_spec.loader.exec_module(import_graph)


@pytest.mark.parametrize("package", ["src/uitstroom", "bench"])
def test_no_import_cycles(package: str) -> None:
    assert import_graph.cycles(import_graph.module_graph(ROOT / package)) == []


def test_the_check_finds_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.b import x\n")
    (package / "b.py").write_text("import pkg.c\n")
    (package / "c.py").write_text("from pkg import a\n")
    (package / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n"
        "def later():\n    import pkg.a\n"
    )
    (package / "e.py").write_text("import pkg.d\n")
    assert import_graph.cycles(import_graph.module_graph(package)) == [["pkg.a", "pkg.b", "pkg.c"]]
