"""What every document shares: A4, embedded fonts, paragraph styles by name, the school's name
and logo on top, and "Pagina x van y" at the foot of each page.

A document module builds a list of flowables from a finished data object and calls `render`;
nothing here knows about storage.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from uitstroom.domain.dates import dutch_date as dutch_date  # re-exported for the documents
from uitstroom.domain.handover import PersonLine, PupilHeader, SchoolHeader

FONT = "UitstroomSans"
FONT_BOLD = "UitstroomSans-Bold"
MARGIN = 20 * mm
HEADER_HEIGHT = 16 * mm
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#1d4e89")


@cache
def register_fonts() -> None:
    """DejaVu Sans, embedded (subset) in every PDF: Dutch diacritics and names such as Çelik,
    Yılmaz, Nguyễn and Ōtsuka print as written.

    Regular and bold only: no document sets text in italics (every text is escaped, so a
    typed <i> is text too), and reading the two oblique faces cost every document about 45 ms
    (issue 17). Italic in the family maps to upright, so nothing can ask for a missing font."""
    folder = resources.files("uitstroom").joinpath("resources", "fonts")
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        data = folder.joinpath(file).read_bytes()
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


@cache
def styles() -> StyleSheet1:
    """Paragraph styles, registered once and used by name."""
    register_fonts()
    sheet = StyleSheet1()
    base = ParagraphStyle(
        "Tekst",
        fontName=FONT,
        fontSize=10.5,
        leading=15,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=4,
    )
    sheet.add(base)
    sheet.add(
        ParagraphStyle(
            "Titel",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=20,
            leading=25,
            spaceAfter=4,
            textColor=ACCENT,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Ondertitel", parent=base, fontSize=11.5, leading=16, textColor=MUTED, spaceAfter=12
        )
    )
    sheet.add(
        ParagraphStyle(
            "Kop1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=19,
            spaceBefore=14,
            spaceAfter=6,
            textColor=ACCENT,
            keepWithNext=1,
        )
    )
    sheet.add(
        ParagraphStyle(
            "Kop2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=16,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        )
    )
    sheet.add(ParagraphStyle("Klein", parent=base, fontSize=8.5, leading=12, textColor=MUTED))
    sheet.add(
        ParagraphStyle(
            "Label", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=13, spaceAfter=0
        )
    )
    sheet.add(ParagraphStyle("Cel", parent=base, fontSize=9.5, leading=13, spaceAfter=0))
    sheet.add(
        ParagraphStyle(
            "Kader",
            parent=base,
            fontSize=11,
            leading=16,
            borderColor=ACCENT,
            borderWidth=1,
            borderPadding=8,
            backColor=colors.HexColor("#eef3f9"),
            spaceBefore=10,
            spaceAfter=14,
        )
    )
    # A tick box to fill in with a pen, on the toestemmingsformulier.
    sheet.add(ParagraphStyle("Vakje", parent=base, fontSize=20, leading=22, spaceAfter=0))
    sheet.add(ParagraphStyle("Opsomming", parent=base, leftIndent=14, bulletIndent=2, spaceAfter=3))
    return sheet


def para(text: str, style: str = "Tekst") -> Paragraph:
    """A paragraph of plain text: escaped, with line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), styles()[style])


def paragraphs(text: str, style: str = "Tekst") -> list[Flowable]:
    """A long text as separate paragraphs (split at blank lines), so it flows across pages and
    a page can break between them."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [para(block, style) for block in blocks if block]


def bullet(text: str) -> Paragraph:
    """One item of a list: its own paragraph, so a long item wraps under itself."""
    return Paragraph(escape(text).replace("\n", "<br/>"), styles()["Opsomming"], bulletText="•")


@dataclass(frozen=True)
class Letterhead:
    school_name: str
    document_title: str
    logo_png: bytes | None = None
    # Address, phone and e-mail, website: at the top right of every page.
    contact_lines: tuple[str, ...] = ()

    @classmethod
    def for_school(cls, school: SchoolHeader, document_title: str) -> Letterhead:
        """The school's letterhead as every document prints it."""
        return cls(school.name, document_title, school.logo_png, school.contact_lines)


# The logo is printed at most this large, and never with more pixels than a printer prints.
LOGO_HEIGHT = 12 * mm
LOGO_WIDTH = 35 * mm
LOGO_DPI = 300


@dataclass(frozen=True)
class PrintedLogo:
    name: str
    image: ImageReader
    width: float
    height: float


@lru_cache(maxsize=4)
def printed_logo(png: bytes) -> PrintedLogo:
    """The school's logo as the letterhead prints it, made once per logo in a process: a batch
    of 50 Paspoorten decoded, hashed and compressed the 760-pixel demo logo 50 times (half of
    each document's time, issue 17), and a logo taken from a website at 3000 pixels cost a
    multiple of that. Larger than 300 dpi at its printed size, it is scaled down to that: on
    paper nothing changes. Raises OSError or ValueError for bytes that are not an image."""
    import PIL.Image  # only for a school with a logo (reportlab imports it on use too)

    image: PIL.Image.Image = PIL.Image.open(io.BytesIO(png))
    image.load()
    if image.mode not in ("RGB", "RGBA"):
        # A palette logo (as pngquant and many websites make them), a grey or a one-bit one:
        # colours and a soft edge of their own, so it scales smoothly, and reportlab, given a
        # scaled palette image, failed on its transparency and stopped the whole document.
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    w, h = image.size
    scale = min(LOGO_HEIGHT / h, LOGO_WIDTH / w)
    width, height = w * scale, h * scale
    pixels = (round(width / 72 * LOGO_DPI), round(height / 72 * LOGO_DPI))
    if pixels[0] < w and min(pixels) >= 1:
        image = image.resize(pixels, PIL.Image.Resampling.LANCZOS)
    name = f"logo-{hashlib.sha1(png, usedforsecurity=False).hexdigest()[:16]}"
    reader = ImageReader(image)
    reader.getRGBData()  # made whole here, not by the first document that draws it
    return PrintedLogo(name, reader, width, height)


class _NumberedCanvas(Canvas):
    """Holds every page until the end, so each footer can say how many pages there are.

    A batch holds several documents: a `_PartStart` marker tells the canvas where the next one
    begins, and each counts its own pages under its own letterhead."""

    def __init__(self, *args: Any, letterheads: Sequence[Letterhead], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._letterheads = letterheads
        self._part = 0

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals: dict[int, int] = {}
        for state in self._pages:
            totals[state["_part"]] = totals.get(state["_part"], 0) + 1
        numbers: dict[int, int] = {}
        for state in self._pages:
            part = state["_part"]
            numbers[part] = numbers.get(part, 0) + 1
            self.__dict__.update(state)
            self._decorate(self._letterheads[part], numbers[part], totals[part])
            super().showPage()
        super().save()

    def _draw_logo(self, png: bytes, x: float, y: float) -> float:
        """The logo at (x, y), at most 12 mm high and 35 mm wide; returns its width. Drawn
        once per PDF as a form that every page refers to: decoding the image on each page
        of a batch of letters took half the time."""
        logo = printed_logo(png)
        if not self.hasForm(logo.name):
            self.beginForm(logo.name)
            self.drawImage(logo.image, 0, 0, logo.width, logo.height, mask="auto")
            self.endForm()
        self.saveState()
        self.translate(x, y)
        self.doForm(logo.name)
        self.restoreState()
        return logo.width

    def _decorate(self, head: Letterhead, number: int, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        text_x = MARGIN
        if head.logo_png:
            try:
                logo_width = self._draw_logo(head.logo_png, MARGIN, height - MARGIN + 2 * mm)
                text_x = MARGIN + logo_width + 4 * mm
            except (OSError, ValueError):
                pass  # a broken logo must not stop the document; the name still prints
        self.setFont(FONT_BOLD, 9.5)
        self.setFillColor(INK)
        self.drawString(text_x, height - MARGIN + 8 * mm, head.school_name)
        self.setFont(FONT, 9)
        self.setFillColor(MUTED)
        title_room = width - MARGIN - text_x
        if head.contact_lines:
            self.setFont(FONT, 7.5)
            lines = head.contact_lines[:3]
            for index, line in enumerate(lines):
                y = height - MARGIN + (2.5 + 3.3 * (len(lines) - 1 - index)) * mm
                self.drawRightString(width - MARGIN, y, line)
            widest = max(pdfmetrics.stringWidth(line, FONT, 7.5) for line in lines)
            title_room -= widest + 4 * mm
            self.setFont(FONT, 9)
        self.drawString(
            text_x, height - MARGIN + 3.5 * mm, _fit(head.document_title, FONT, 9, title_room)
        )
        self.setStrokeColor(colors.HexColor("#c5ced8"))
        self.line(MARGIN, height - MARGIN + 1 * mm, width - MARGIN, height - MARGIN + 1 * mm)
        self.line(MARGIN, MARGIN - 5 * mm, width - MARGIN, MARGIN - 5 * mm)
        self.setFont(FONT, 8.5)
        self.drawRightString(width - MARGIN, MARGIN - 10 * mm, f"Pagina {number} van {total}")
        self.drawString(MARGIN, MARGIN - 10 * mm, head.document_title)
        self.restoreState()


def _fit(text: str, font: str, size: float, room: float) -> str:
    """`text` cut short with an ellipsis where it would run into the contact lines."""
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


class _PartStart(Flowable):
    """Takes no room; tells the canvas that the pages from here on belong to part `index`."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._part = self.index


def render(
    stream: IO[bytes],
    letterhead: Letterhead,
    story: Sequence[Flowable],
    *,
    title: str,
    subject: str = "",
    landscape: bool = False,
) -> None:
    """Lay out `story` on A4 pages (turned sideways for a wide list) and write the PDF."""
    _build(stream, [letterhead], list(story), title=title, subject=subject, landscape=landscape)


def render_many(
    parts: Sequence[tuple[Letterhead, Sequence[Flowable]]],
    stream: IO[bytes],
    *,
    title: str,
    subject: str = "",
) -> None:
    """Several documents in one PDF, for a batch: each starts on a new page and has its own
    letterhead and its own "Pagina x van y", so a printed stack falls apart into whole
    documents. The flowables of each part must not be shared with another part."""
    if not parts:
        raise ValueError("render_many needs at least one part")
    story: list[Flowable] = []
    for index, (_, flowables) in enumerate(parts):
        if index:
            story.append(PageBreak())
        story.append(_PartStart(index))
        story.extend(flowables)
    author = parts[0][0].school_name
    _build(stream, [head for head, _ in parts], story, title=title, subject=subject, author=author)


def _build(
    stream: IO[bytes],
    letterheads: Sequence[Letterhead],
    story: list[Flowable],
    *,
    title: str,
    subject: str,
    author: str = "",
    landscape: bool = False,
) -> None:
    register_fonts()
    pagesize = (A4[1], A4[0]) if landscape else A4
    width, height = pagesize
    top = MARGIN + 6 * mm
    # No frame padding: text, tables and the header line share one left edge.
    frame = Frame(
        MARGIN,
        MARGIN,
        width - 2 * MARGIN,
        height - MARGIN - top,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="tekst",
    )
    document = BaseDocTemplate(
        stream,
        pagesize=pagesize,
        pageTemplates=[PageTemplate(id="pagina", frames=[frame])],
        title=title,
        subject=subject,
        author=author or letterheads[0].school_name,
        creator="Uitstroom",
    )
    document.build(
        story,
        canvasmaker=lambda *args, **kwargs: _NumberedCanvas(
            *args, letterheads=letterheads, **kwargs
        ),
    )


CONTENT_WIDTH = A4[0] - 2 * MARGIN
LANDSCAPE_WIDTH = A4[1] - 2 * MARGIN
LABEL_WIDTH = 52 * mm
# Room a heading needs below it on a page, or it moves to the next one with its text.
SECTION_ROOM = 45 * mm
ENTRY_ROOM = 18 * mm
GRID = colors.HexColor("#d5dce3")
HEAD_FILL = colors.HexColor("#eef3f9")


def heading(text: str, style: str = "Kop1", room: float = SECTION_ROOM) -> list[Flowable]:
    """A heading that never ends a page. Not through keepWithNext: that would push a long
    text after it whole onto the next page and leave a page half empty."""
    head = para(text, style)
    head.keepWithNext = 0
    return [CondPageBreak(room), head]


# Less room than this at the foot of a page: a table continues on the next page instead.
TABLE_MIN_PIECE = 25 * mm


class FlowingTable(Table):
    """A table that breaks between rows where it can and inside a row only where it must.

    reportlab first breaks between rows and then lays the rest into what is left of the page,
    which repeats the header there above a half row; and breaking every row inside would
    put one contact's name and organisation on different pages."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if availHeight < TABLE_MIN_PIECE:
            return []
        self._calc(availWidth, availHeight)
        by_row = self._splitRows(availHeight, doInRowSplit=0)
        if len(by_row) == 2:
            kept = len(by_row[0]._cellvalues)
            if len(self._rowHeights) - kept == 1 and kept - self.repeatRows >= 3:
                # Not one lonely row (one contact) on the next page: take one more along.
                shorter = availHeight - self._rowHeights[kept - 1] - 1
                return self._splitRows(shorter, doInRowSplit=0) or by_row
            used = sum(self._rowHeights[:kept])
            if availHeight - used < TABLE_MIN_PIECE:
                return by_row
        in_row = self._splitRows(availHeight, doInRowSplit=1)
        return in_row if len(in_row) == 2 else by_row


def grid_table(
    rows: Sequence[Sequence[Flowable]],
    widths: Sequence[float],
    header: bool = False,
    header_text: colors.Color | None = None,
) -> FlowingTable:
    """Short values in columns. splitInRow: a cell taller than what is left of the page
    continues on the next one instead of being cut off; the header row repeats."""
    table = FlowingTable(
        [list(row) for row in rows],
        colWidths=list(widths),
        repeatRows=1 if header else 0,
        splitInRow=1,
    )
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]
        if header_text is not None:
            style += [("TEXTCOLOR", (0, 0), (-1, 0), header_text)]
    table.setStyle(TableStyle(style))
    return table


WRITING_LINE_GAP = 9 * mm


class WritingLines(Flowable):
    """Ruled lines to write on by hand, as on a form: an empty part of a document that a
    pupil and parent can still fill in on paper."""

    def __init__(self, count: int, width: float = CONTENT_WIDTH) -> None:
        super().__init__()
        self.count = count
        self.width = width
        self.height = count * WRITING_LINE_GAP

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = min(self.width, availWidth)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.5)
        for number in range(self.count):
            y = self.height - (number + 1) * WRITING_LINE_GAP
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


# Words of the trade that parents read on paper, with what they mean in plain words (B1).
JARGON: tuple[tuple[str, str], ...] = (
    (
        "OPP",
        "ontwikkelingsperspectiefplan. In dit plan schrijft de school op wat de leerling kan "
        "leren, wat de leerling nodig heeft en waar de leerling na school heen wil.",
    ),
    (
        "SBB",
        "Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven. Die zorgt voor goede "
        "leerbedrijven en geeft praktijkverklaringen.",
    ),
    (
        "praktijkverklaring",
        "een papier van SBB. Daarop staat welk werk de leerling bij een bedrijf heeft geleerd.",
    ),
    ("bbl", "beroepsbegeleidende leerweg: werken bij een bedrijf en één dag per week naar school."),
    ("bol", "beroepsopleidende leerweg: vooral naar school, met stages."),
    (
        "mbo",
        "middelbaar beroepsonderwijs: een opleiding voor een beroep, na het voortgezet onderwijs.",
    ),
)


def glossary(*texts: str) -> list[Flowable]:
    """'Wat betekenen deze woorden?': the words of JARGON that the document uses, each once;
    nothing when it uses none."""
    joined = " ".join(texts)
    used = [
        (word, meaning)
        for word, meaning in JARGON
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", joined, re.IGNORECASE)
    ]
    if not used:
        return []
    lines = [para(f"{word}: {meaning}") for word, meaning in used]
    return [*heading("Wat betekenen deze woorden?", room=30 * mm), *lines]


def field_table(rows: Sequence[tuple[str, str]]) -> Flowable:
    """Label and value in two columns; empty values are left out."""
    filled = [[para(label, "Label"), para(value, "Cel")] for label, value in rows if value]
    if not filled:
        return para("Hier is niets ingevuld.")
    return grid_table(filled, [LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH])


def people_table(people: Sequence[PersonLine]) -> Table:
    """Contact persons: who they are for the pupil, who and where, how to reach them."""
    who_head = "Naam en organisatie" if any(p.organisation for p in people) else "Naam"
    rows: list[list[Flowable]] = [
        [para(text, "Label") for text in ("Rol", who_head, "Telefoon en e-mail")]
    ]
    for person in people:
        who = "\n".join(part for part in (person.name, person.organisation) if part)
        reach = "\n".join(part for part in (person.phone, person.email) if part)
        rows.append([para(person.role, "Cel"), para(who, "Cel"), para(reach or "—", "Cel")])
    cell = styles()["Cel"]

    def longest_word(texts: Sequence[str]) -> float:
        return max(
            (
                pdfmetrics.stringWidth(w, cell.fontName, cell.fontSize)
                for t in texts
                for w in t.split()
            ),
            default=0.0,
        )

    # Wide enough for the longest word of a role ('uitstroomcoördinator' split over two lines
    # reads as two words) and for the longest e-mail address (its last letter alone on the
    # next line read as another address); the name and organisation wrap in what is left.
    first = min(max(34 * mm, longest_word([p.role for p in people]) + 10), 60 * mm)
    rest = CONTENT_WIDTH - first
    reach = min(max(rest * 0.5, longest_word([p.email for p in people]) + 10), rest - 35 * mm)
    return grid_table(rows, [first, rest - reach, reach], header=True)


def pupil_table(pupil: PupilHeader) -> Flowable:
    """Who the document is about, with the route in words."""
    return field_table(
        [
            ("Naam", pupil.name),
            ("Geboortedatum", dutch_date(pupil.birth)),
            ("Klas", pupil.klas),
            ("Na school", pupil.route),
            ("Laatste schooljaar", pupil.cohort),
            ("Woonplaats", pupil.woongemeente),
        ]
    )


def signature_table(signers: Sequence[tuple[str, str]]) -> Table:
    """Who signs (role and name, "Naam:" when not known), with a line for the date and one for
    the signature on each row."""
    rows: list[list[Flowable | list[Flowable] | str]] = [
        [para("Wie", "Klein"), para("Datum", "Klein"), "", para("Handtekening", "Klein")]
    ]
    for role, name in signers:
        rows.append([[para(role, "Label"), para(name or "Naam:", "Cel")], "", "", ""])
    widths = [CONTENT_WIDTH - 123 * mm, 45 * mm, 8 * mm, 70 * mm]
    table = Table(rows, colWidths=widths, rowHeights=[None] + [19 * mm] * len(signers))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, GRID),
                # The lines to write the date and sign on, at the foot of each row.
                ("LINEBELOW", (1, 1), (1, -1), 0.8, INK),
                ("LINEBELOW", (3, 1), (3, -1), 0.8, INK),
            ]
        )
    )
    return table
