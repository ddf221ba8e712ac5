"""`uitstroom overleg bespreeklijst|verslag` on the demo school."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader
from test_commands import run
from test_document_command import demo_file, opened

from factories import dump
from uitstroom.domain.overleg import NO_CONSENT
from uitstroom.services.overleg import OverlegService


def text_of(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_the_bespreeklijst_and_the_verslag_of_the_demo_overleg(tmp_path: Path) -> None:
    path, _ = demo_file(tmp_path)
    with opened(path) as service:
        overleg = service.alongside(OverlegService)
        ((gemeente_id, gemeente, held),) = [
            (i, n, o) for i, n in overleg.gemeenten() for o in overleg.overleggen(i)
        ]
        lijst = overleg.bespreeklijst(gemeente_id, date.today())
    target = tmp_path / "lijst.pdf"
    result = run(
        "--db", str(path), "overleg", "bespreeklijst", "--gemeente", gemeente.split()[-1],
        "--out", str(target),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{len(lijst.rows)} met naam, {lijst.unnamed} zonder naam" in result.stdout
    text = text_of(target)
    assert all(row.name in text for row in lijst.rows)
    assert f"{lijst.unnamed} leerlingen — {NO_CONSENT}." in text

    verslag = tmp_path / "verslag.pdf"
    result = run(
        "--db", str(path), "overleg", "verslag", "--gemeente", gemeente,
        "--date", held.held_on.isoformat(), "--out", str(verslag),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 afspraken" in result.stdout
    assert "aanvraag bij UWV indienen" in text_of(verslag)

    before = dump(path)
    other_day = (held.held_on - timedelta(days=1)).isoformat()
    refused = run(
        "--db", str(path), "overleg", "verslag", "--gemeente", gemeente,
        "--date", other_day, "--out", str(tmp_path / "niet.pdf"),
    )  # fmt: skip
    assert refused.returncode != 0
    assert f"Wel op: {held.held_on.isoformat()}" in refused.stderr + refused.stdout
    assert dump(path) == before and not (tmp_path / "niet.pdf").exists()
