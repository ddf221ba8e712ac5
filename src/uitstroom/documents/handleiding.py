"""The handleiding as a printable PDF: the same Markdown pages the window shows, each page of
the manual under its own heading. Only the Markdown the pages use is read: '#' and '##'
headings, '- ' lists, **bold** and paragraphs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from uitstroom.documents.base import Letterhead, heading, render, styles
from uitstroom.domain.manual import ManualPage

TITLE = "Handleiding Uitstroom"
BOLD = re.compile(r"\*\*(.+?)\*\*")


def inline(text: str) -> str:
    return BOLD.sub(r"<b>\1</b>", escape(text))


def page_story(page: ManualPage) -> list[Flowable]:
    sheet = styles()
    flow: list[Flowable] = []
    paragraph: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            flow.append(Paragraph(inline(" ".join(paragraph)), sheet["Tekst"]))
            paragraph.clear()

    for line in page.text.splitlines():
        stripped = line.strip()
        if stripped.startswith("## "):
            close_paragraph()
            flow += heading(stripped[3:], "Kop2")
        elif stripped.startswith("# "):
            close_paragraph()
            flow += heading(stripped[2:], "Kop1")
        elif stripped.startswith("- "):
            close_paragraph()
            flow.append(Paragraph(inline(stripped[2:]), sheet["Opsomming"], bulletText="•"))
        elif not stripped:
            close_paragraph()
        else:
            paragraph.append(stripped)
    close_paragraph()
    return flow


def render_manual(pages: Sequence[ManualPage], stream: IO[bytes], school_name: str = "") -> None:
    sheet = styles()
    story: list[Flowable] = [
        Paragraph(TITLE, sheet["Titel"]),
        Paragraph(
            "Voor de coördinator die het werk overneemt, ook midden in het jaar.",
            sheet["Ondertitel"],
        ),
        Paragraph("Inhoud", sheet["Kop2"]),
    ]
    story += [
        Paragraph(f"{number}. {escape(page.title)}", sheet["Opsomming"], bulletText="")
        for number, page in enumerate(pages, start=1)
    ]
    # The pages follow each other: a new sheet for each would print half-empty sheets.
    for page in pages:
        story += page_story(page)
    render(
        stream,
        Letterhead(school_name or "Uitstroom", TITLE),
        story,
        title=TITLE,
        subject="Handleiding voor de coördinator",
    )
