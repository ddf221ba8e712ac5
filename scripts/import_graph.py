"""The import picture of Uitstroom: which package imports which, from the source alone.

    python scripts/import_graph.py            # a text list: package -> packages it imports
    python scripts/import_graph.py --dot      # Graphviz DOT (dot -Tpng) of the same arrows

Only imports at module level count (an import inside a function or under TYPE_CHECKING is not
an arrow at start-up); tests/test_import_cycles.py uses the same graph to refuse cycles."""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module under `package` (a directory)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run on import: the body, into if/try blocks, but not `if TYPE_CHECKING:`."""
    for node in body:
        if isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from _module_level(node.body)
            yield from _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level(block)
        else:
            yield node


def imported_names(path: Path) -> set[str]:
    """Every dotted name a module imports at module level ('a.b' and, for `from a.b import c`,
    also 'a.b.c', which is a module when c is one)."""
    names = set()
    for node in _module_level(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports at module level."""
    files = modules(package)
    return {
        name: {other for other in imported_names(path) if other in files and other != name}
        for name, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other round (strongly connected, size > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def package_of(module: str) -> str:
    """'uitstroom.services.audit' -> 'services'; top-level modules keep their name ('cli')."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    arrows: dict[str, set[str]] = {}
    for module, imported in graph.items():
        arrows.setdefault(package_of(module), set()).update(
            package_of(other) for other in imported if package_of(other) != package_of(module)
        )
    return arrows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dot", action="store_true", help="Graphviz DOT instead of text")
    args = parser.parse_args()
    arrows = package_graph(module_graph(ROOT / "src" / "uitstroom"))
    if args.dot:
        print("digraph uitstroom {")
        for package in sorted(arrows):
            for other in sorted(arrows[package]):
                print(f'  "{package}" -> "{other}";')
        print("}")
        return
    for package in sorted(arrows):
        print(f"{package:10} -> {', '.join(sorted(arrows[package])) or '(nothing of ours)'}")


if __name__ == "__main__":
    main()
