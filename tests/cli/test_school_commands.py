"""`uitstroom brief`, `uitstroom cijfers` and `uitstroom handleiding`: the same PDFs and
workbook as the window makes, read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from test_commands import run
from test_document_command import demo_file, opened

from factories import dump
from uitstroom.services.handover import DocumentService
from uitstroom.services.manual import manual_pages


def texts_of(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_brief_writes_one_letter_per_pupil_of_the_klas_in_one_pdf(tmp_path: Path) -> None:
    path, _ = demo_file(tmp_path)
    with opened(path) as service:
        klas_ids = service.pupil_ids("PRO4A")
    target = tmp_path / "brieven.pdf"
    result = run(
        "--db", str(path), "brief", "transitieplan", "--klas", "PRO4A",
        "--datum", "09-02-2027", "--tijd", "15.30 uur", "--plaats", "lokaal 12",
        "--out", str(target),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{len(klas_ids)} brieven" in result.stdout
    pages = texts_of(target)
    assert len(pages) == len(klas_ids)
    for page in pages:
        assert "dinsdag 9 februari 2027 om 15.30 uur" in page
        assert "Zonnelaan 12, 3512 AB Utrecht" in page  # the demo school's letterhead
        assert page.count("Aan de ouder(s) of verzorger(s) van") == 1


def test_brief_for_an_unknown_klas_says_so_and_writes_nothing(tmp_path: Path) -> None:
    path, _ = demo_file(tmp_path)
    before = dump(path)
    target = tmp_path / "brieven.pdf"
    result = run("--db", str(path), "brief", "exitgesprek", "--klas", "9Z", "--out", str(target))
    assert result.returncode == 1
    assert "Klas 9Z heeft geen leerlingen" in result.stderr
    assert not target.exists()
    assert dump(path) == before


def test_cijfers_writes_the_directors_page_and_the_named_workbook(tmp_path: Path) -> None:
    path, ids = demo_file(tmp_path)
    pdf, xlsx = tmp_path / "cijfers.pdf", tmp_path / "cijfers.xlsx"
    result = run("--db", str(path), "cijfers", "--pdf", str(pdf), "--xlsx", str(xlsx))
    assert result.returncode == 0, result.stderr
    pages = texts_of(pdf)
    assert len(pages) == 1
    assert "Cohort in cijfers" in pages[0]
    assert f"{len(ids)} leerlingen" in pages[0]
    names = [row[0] for row in load_workbook(xlsx)["Leerlingen"].iter_rows(values_only=True)]
    assert len(names) == len(ids) + 1  # the header and one named row per pupil
    with opened(path) as service:
        documents = service.alongside(DocumentService)
        assert documents.paspoort_doc(ids[0], date.today()).pupil.name in names


def test_cijfers_without_a_target_asks_for_one(tmp_path: Path) -> None:
    path, _ = demo_file(tmp_path)
    result = run("--db", str(path), "cijfers")
    assert result.returncode == 1
    assert "--pdf PAD en/of --xlsx PAD" in result.stderr


def test_handleiding_needs_no_database_and_holds_every_page(tmp_path: Path) -> None:
    target = tmp_path / "handleiding.pdf"
    result = run("--db", str(tmp_path / "nergens.db"), "handleiding", "--out", str(target))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "nergens.db").exists()
    text = "\n".join(texts_of(target))
    for page in manual_pages():
        assert page.title in text
    assert "Pagina 1 van" in text
