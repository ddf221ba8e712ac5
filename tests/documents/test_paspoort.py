"""The Paspoort voor Succes read back as the pupil would: their name as written, the parts in
order, stages and certificates, whom to call after school; and a batch of them in one file."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from samples import (
    SCHOOL,
    SHORT_TEXTS,
    long_paspoort,
    missing_words,
    page_texts,
    paspoort,
    pdf_of,
    text_of,
    transitieplan,
)

from uitstroom.documents import overdracht
from uitstroom.documents import transitieplan as plan
from uitstroom.documents.base import CONTENT_WIDTH, render_many
from uitstroom.documents.paspoort import WRITING_LINES, letterhead, render, story
from uitstroom.domain.handover import Section


def test_the_paspoort_holds_the_pupil_the_parts_in_order_stages_and_contacts() -> None:
    text = text_of(pdf_of(render, paspoort()))
    assert "Paspoort voor Succes van Zoë van der Meer-Çelik" in text
    assert "Dit paspoort is van jou." in text
    for expected in (
        "Doorleren: Entree, Assistent bouwen, wonen en onderhoud (ROC Midden)",
        "Bouwbedrijf Öztürk & Zn. 1 september 2026 tot en met 29 januari 2027",
        "Wat je hebt geleerd Kozijnen stellen, veilig werken op de steiger.",
        "Gamma Utrecht-Noord",
        "Certificaat VCA Basis 10 februari 2027 SSVV",
        "Praktijkverklaring Assistent bouw en infra 29 januari 2027 SBB",
        "Moeder Ayşe Çelik 06 98 76 54 32 ayse.celik@example.nl",
        "Contact met school na de overstap (nazorg)",
        "Uitstroomcoördinator",
        "m.verbeek@dehorizon.nl",
        *(" ".join(text.split()) for text in SHORT_TEXTS.values()),
    ):
        assert expected in text, expected
    positions = [text.index(section.label) for section in Section]
    assert positions == sorted(positions)


def test_only_the_parts_in_the_document_appear() -> None:
    text = text_of(pdf_of(render, paspoort(sections=(Section.WIE, Section.STAGES))))
    assert SHORT_TEXTS[Section.WIE] in text and "Bouwbedrijf Öztürk" in text
    for section in Section:
        if section not in (Section.WIE, Section.STAGES):
            assert section.label not in text, section
    for section in (Section.KAN, Section.NODIG, Section.ONDERSTEUNING):
        assert SHORT_TEXTS[section].split("\n")[0] not in text
    assert "VCA Basis" not in text and "ayse.celik@example.nl" not in text


def ruled_lines(pdf: bytes) -> int:
    """Lines across the whole text width in the writing lines' grey (#52606d); a table's
    grid is lighter, the letterhead's rules are blue."""
    grey = rb"\.321569 \.376471 \.427451 RG\n\.5 w\n((?:n [\d. ]+ m [\d. ]+ l S\n)+)"
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        stream = page.get_contents()
        assert stream is not None
        for block in re.findall(grey, stream.get_data()):
            for x1, x2 in re.findall(rb"n ([\d.]+) [\d.]+ m ([\d.]+) [\d.]+ l S", block):
                count += abs(float(x2) - float(x1) - CONTENT_WIDTH) < 1
    return count


def test_an_empty_part_says_so_and_gives_ruled_lines_to_fill_it_in_by_hand() -> None:
    empty = paspoort(texts={}, stages=(), credentials=(), contacts=())
    pdf = pdf_of(render, empty)
    text = text_of(pdf)
    assert "Wie ben je? Hier is nog niets ingevuld. Schrijf het samen op de lijnen." in text
    assert "Hoe zou je jezelf beschrijven?" in text  # the part's guiding question
    assert "Er staan nog geen stages in. Schrijf ze hier op." in text
    assert "Er staan nog geen diploma's, certificaten of praktijkverklaringen in." in text
    # Six lines for each empty text part, four for stages, diplomas and contacts.
    assert ruled_lines(pdf) == WRITING_LINES * 7 + 4 * 3
    # The lines themselves: one part empty against the same part filled in.
    one_empty = replace(empty, sections=(Section.WIE,))
    one_filled = replace(one_empty, texts={Section.WIE: SHORT_TEXTS[Section.WIE]})
    lines = ruled_lines(pdf_of(render, one_empty)) - ruled_lines(pdf_of(render, one_filled))
    assert lines == WRITING_LINES


def test_a_long_paspoort_runs_over_numbered_pages_and_nothing_is_cut_off() -> None:
    doc = long_paspoort()
    pdf = pdf_of(render, doc)
    pages = page_texts(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(pages) > 10
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page
    everything = " ".join([*doc.texts.values(), *(stage.learned for stage in doc.stages)])
    assert missing_words(pdf, everything) == []
    assert "Nguyễn Thị Ánh Ōtsuka-Çelik" in pages[0]
    assert "m.verbeek@dehorizon.nl" in pages[-1]  # the last thing on the last page


def png(width: int, height: int) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), (29, 78, 137)).save(stream, "PNG")
    return stream.getvalue()


@pytest.mark.parametrize("logo", [png(300, 120), png(40, 400), b"not a png"])
def test_the_logo_prints_in_the_letterhead_and_a_broken_one_is_left_out(logo: bytes) -> None:
    pdf = pdf_of(render, paspoort(school=replace(SCHOOL, logo_png=logo)))
    text = text_of(pdf)
    assert "Praktijkschool De Horizon" in text and "Pagina 1 van" in text


def test_a_logo_prints_on_every_page_with_no_more_pixels_than_a_printer_prints() -> None:
    """A logo taken from a website at 3000 pixels is 35 mm wide on paper: about 413 pixels at
    300 dpi. More pixels only cost each document of a batch time (issue 17); a small logo
    keeps its own pixels (fewer would blur), and a tall one is 12 mm high."""
    dots = round(35 / 25.4 * 300), round(12 / 25.4 * 300)
    for logo, size in (
        (png(3000, 1000), (dots[0], round(dots[0] / 3))),
        (png(200, 60), (200, 60)),
        (png(40, 400), (round(dots[1] / 10), dots[1])),
    ):
        pdf = pdf_of(render, replace(long_paspoort(), school=replace(SCHOOL, logo_png=logo)))
        pages = PdfReader(io.BytesIO(pdf)).pages
        assert len(pages) > 1
        for page in pages:
            assert [image.image.size for image in page.images] == [size]


def palette_png(width: int, height: int) -> bytes:
    """A logo as pngquant makes them: a palette of 16 colours, each with its own transparency,
    a soft edge around a blue disc."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    for step in range(8):
        inset = step * min(width, height) // 40
        alpha = 32 * (step + 1) - 1
        box = (inset, inset, width - inset, height - inset)
        ImageDraw.Draw(image).ellipse(box, fill=(29, 78, 137, alpha))
    stream = io.BytesIO()
    image.quantize(16).save(stream, "PNG")
    return stream.getvalue()


@pytest.mark.parametrize("size", [(1600, 400), (100, 30)])
def test_a_palette_logo_with_soft_edges_prints_with_them(size: tuple[int, int]) -> None:
    """Scaled down, such a logo stopped every document (reportlab failed on its transparency)."""
    logo = palette_png(*size)
    assert Image.open(io.BytesIO(logo)).mode == "P"
    pdf = pdf_of(render, paspoort(school=replace(SCHOOL, logo_png=logo)))
    assert "Pagina 1 van" in text_of(pdf)
    [image] = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert image.image.mode == "RGBA"  # its soft edge kept, as a soft mask in the PDF


def test_a_batch_is_one_file_with_each_pupil_numbered_from_page_one() -> None:
    long = long_paspoort()
    docs = [paspoort(), long, paspoort(pupil=replace(paspoort().pupil, name="Kenji Ōtsuka"))]
    stream = io.BytesIO()
    render_many([(letterhead(doc), story(doc)) for doc in docs], stream, title="Klas PRO4A")
    pages = page_texts(stream.getvalue())
    alone = [len(page_texts(pdf_of(render, doc))) for doc in docs]
    assert len(pages) == sum(alone)
    starts = [0, alone[0], alone[0] + alone[1]]
    for doc, start, count in zip(docs, starts, alone, strict=True):
        assert f"Paspoort voor Succes van {doc.pupil.name}" in pages[start]
        for number in range(1, count + 1):
            page = pages[start + number - 1]
            assert f"Pagina {number} van {count}" in page
            assert f"Paspoort voor Succes — {doc.pupil.name}" in page


def test_a_batch_may_mix_documents_each_under_its_own_letterhead() -> None:
    plan_doc, paspoort_doc = transitieplan(), paspoort()
    overdracht_doc = replace(paspoort_doc, receiver="Gemeente, Werk en Inkomen")
    stream = io.BytesIO()
    render_many(
        [
            (plan.letterhead(plan_doc), plan.story(plan_doc)),
            (overdracht.letterhead(overdracht_doc), overdracht.story(overdracht_doc)),
        ],
        stream,
        title="Documenten",
    )
    pages = page_texts(stream.getvalue())
    assert "Transitieplan — Zoë" in pages[0] and "Overdracht — Zoë" in pages[-1]


def test_a_batch_needs_at_least_one_document() -> None:
    with pytest.raises(ValueError):
        render_many([], io.BytesIO(), title="Leeg")


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_the_fonts_are_embedded(tmp_path: Path) -> None:
    path = tmp_path / "paspoort.pdf"
    path.write_bytes(pdf_of(render, paspoort()))
    table = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    dejavu = [line for line in table.splitlines() if "DejaVuSans" in line]
    assert len(dejavu) >= 2 and all(" yes yes " in line for line in dejavu)


def test_typed_markup_is_text_and_no_italic_face_is_needed() -> None:
    """Only the upright and bold faces are registered (reading the oblique ones cost every
    document 45 ms): a pupil who types <i> in the Paspoort sees it as typed, in upright type."""
    texts = dict(SHORT_TEXTS)
    texts["wil"] = "Ik wil <i>echt</i> in de bouw werken & <b>snel</b> beginnen."
    pdf = pdf_of(render, paspoort(texts=texts))
    assert "Ik wil <i>echt</i> in de bouw werken & <b>snel</b> beginnen." in text_of(pdf)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and not any("Oblique" in name or "Italic" in name for name in fonts)


def test_the_nazorg_promise_follows_the_school_type() -> None:
    """Pro and vso stay in touch for two years after leaving, mbo for one."""
    pro = " ".join(text_of(pdf_of(render, paspoort())).split())
    assert "nog twee jaar contact met je" in pro
    mbo_school = replace(SCHOOL, nazorg_years=1)
    mbo = " ".join(text_of(pdf_of(render, paspoort(school=mbo_school))).split())
    assert "nog een jaar contact met je" in mbo
    assert "twee jaar" not in mbo


def test_words_of_the_trade_are_explained_for_parents() -> None:
    text = text_of(pdf_of(render, paspoort()))
    assert "Ondersteuningsbehoefte (uit het OPP)" in text
    assert "Wat betekenen deze woorden?" in text
    assert "OPP: ontwikkelingsperspectiefplan." in text
    # A word the paspoort does not use is not explained.
    plain = paspoort(sections=(Section.WIE,), credentials=(), stages=())
    assert "bbl:" not in text_of(pdf_of(render, plain))
