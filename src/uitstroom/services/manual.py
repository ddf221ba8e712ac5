"""The handleiding: Dutch pages shipped in resources/handleiding, one Markdown file per screen,
read in file order. The window shows them with a search field; the same pages print as a PDF."""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO

from uitstroom.domain.manual import ManualPage
from uitstroom.services.files import write_atomically


@cache
def manual_pages() -> tuple[ManualPage, ...]:
    folder = resources.files("uitstroom").joinpath("resources", "handleiding")
    pages = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".md"):
            continue
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        key = entry.name.removesuffix(".md").split("-", 1)[-1]
        pages.append(ManualPage(key, first.lstrip("# ").strip(), text))
    return tuple(pages)


def page(key: str) -> ManualPage:
    """The page for a screen; the first page (Beginnen) for a key that has none."""
    pages = manual_pages()
    return next((found for found in pages if found.key == key), pages[0])


def manual_pdf(school_name: str = "") -> bytes:
    from uitstroom.documents.handleiding import render_manual

    stream = io.BytesIO()
    render_manual(manual_pages(), stream, school_name)
    return stream.getvalue()


def write_manual(path: Path, school_name: str = "") -> None:
    pdf = manual_pdf(school_name)

    def write(stream: IO[bytes]) -> None:
        stream.write(pdf)

    write_atomically(path, write)
