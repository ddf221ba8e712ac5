"""The figures issue 16 measured the code by, from the source alone (migrations left out):

    python scripts/house_figures.py

The main window's size, the modules over 700 lines, functions over 80 lines, who-is-working
parameters, enum maps, conflict wrappers and the services that stand on services.base.Service.
The repeated blocks are counted by a separate tool (`duplicates --repo src`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "uitstroom"
LIMIT_LINES = 700
LIMIT_FUNCTION = 80


def main() -> None:
    files = [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]
    text = {p: p.read_text(encoding="utf-8") for p in files}
    trees = {p: ast.parse(source) for p, source in text.items()}
    size = {p: len(source.splitlines()) for p, source in text.items()}

    def where(path: Path) -> str:
        return str(path.relative_to(PACKAGE))

    window = PACKAGE / "ui" / "main_window.py"
    methods = sum(
        isinstance(node, ast.FunctionDef)
        for cls in trees[window].body
        if isinstance(cls, ast.ClassDef)
        for node in cls.body
    )
    print(f"ui/main_window.py: {size[window]} lines, {methods} methods")
    big = sorted(((size[p], where(p)) for p in files if size[p] > LIMIT_LINES), reverse=True)
    print(f"modules over {LIMIT_LINES} lines: {big or 'none'}")
    for layer in ("ui", "services"):
        lines, name = max((size[p], where(p)) for p in files if where(p).startswith(f"{layer}/"))
        print(f"largest module in {layer}/: {name} ({lines} lines)")
    long = [
        f"{where(p)}:{node.name}"
        for p, tree in trees.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > LIMIT_FUNCTION
    ]
    print(f"functions over {LIMIT_FUNCTION} lines: {len(long)}")
    counts = {
        "'actor: str' / 'author: str' parameters and fields": r"\b(?:actor|author): str\b",
        "author_of calls": r"\bauthor_of\(",
        "except StaleDataError": r"except StaleDataError",
        "hand-made {x.value: x} maps": r"\{\s*\w+\.value\s*:\s*\w+\s+for\s+\w+\s+in\s+\w+\s*\}",
        "def add_months": r"def add_months\b",
    }
    for label, pattern in counts.items():
        print(f"{label}: {sum(len(re.findall(pattern, s)) for s in text.values())}")
    services = [
        node
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and node.name.endswith("Service")
        and node.name != "Service"
    ]
    on_base = [c.name for c in services if any(getattr(b, "id", "") == "Service" for b in c.bases)]
    others = sorted(c.name for c in services if c.name not in on_base)
    print(f"services on services.base.Service: {len(on_base)} of {len(services)} (not: {others})")


if __name__ == "__main__":
    main()
