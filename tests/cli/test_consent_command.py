"""`uitstroom toestemming formulier`: the form for one pupil, or a klas in one PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader
from test_commands import run
from test_document_command import demo_file, leerlingnummer, opened

from factories import dump
from uitstroom.domain.handover import Receiver
from uitstroom.services.handover import DocumentService


def test_a_klas_gets_one_pdf_with_a_form_for_every_pupil(tmp_path: Path) -> None:
    path, ids = demo_file(tmp_path)
    with opened(path) as service:
        documents = service.alongside(DocumentService)
        klas = documents.transitieplan_doc(ids[0], date.today()).pupil.klas
        in_klas = service.pupil_ids(klas)
    target = tmp_path / "formulieren.pdf"
    result = run(
        "--db", str(path), "toestemming", "formulier", "--klas", klas,
        "--receiver", "gemeente", "--out", str(target),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{len(in_klas)} formulieren ({Receiver.GEMEENTE.label})" in result.stdout
    pages = [page.extract_text() for page in PdfReader(target).pages]
    assert sum("Toestemming om gegevens te delen" in page for page in pages) == len(in_klas)


def test_one_pupil_and_an_unknown_number(tmp_path: Path) -> None:
    path, ids = demo_file(tmp_path)
    with opened(path) as service:
        name = service.alongside(DocumentService).paspoort_doc(ids[0], date.today()).pupil.name
    target = tmp_path / "formulier.pdf"
    number = leerlingnummer(path, ids[0])
    result = run(
        "--db", str(path), "toestemming", "formulier", "--pupil", number,
        "--receiver", "mbo", "--out", str(target),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert name in "\n".join(page.extract_text() for page in PdfReader(target).pages)
    before = dump(path)
    missing = tmp_path / "niet.pdf"
    refused = run(
        "--db", str(path), "toestemming", "formulier", "--pupil", "999999",
        "--receiver", "mbo", "--out", str(missing),
    )  # fmt: skip
    assert refused.returncode != 0 and "Er is geen leerling met leerlingnummer 999999" in (
        refused.stderr + refused.stdout
    )
    assert not missing.exists() and dump(path) == before
