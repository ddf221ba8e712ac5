"""`uitstroom document`: the PDFs a coordinator makes from a script, logged like the window's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from test_commands import run

from factories import TEST_PASSPHRASE, dump
from uitstroom.domain.handover import DocumentKind, Receiver
from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.handover import DocumentService, HandoverService
from uitstroom.services.pupils import PupilService


def demo_file(tmp_path: Path) -> tuple[Path, list[int]]:
    """The demo school, closed again: the command under test must be able to open it."""
    path = tmp_path / "school.db"
    db = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    try:
        insert_demo_cohort(db.sessions, today=date.today())
        return path, HandoverService(db.sessions).pupil_ids()
    finally:
        db.close()


@contextmanager
def opened(path: Path) -> Iterator[HandoverService]:
    """The file open in the test for as long as it looks, and closed before a command runs."""
    db = open_database(path, vault.unlock(path, TEST_PASSPHRASE))
    try:
        yield HandoverService(db.sessions)
    finally:
        db.close()


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def leerlingnummer(path: Path, pupil_id: int) -> str:
    db = open_database(path, vault.unlock(path, TEST_PASSPHRASE))
    try:
        return PupilService(db.sessions).record(pupil_id).pupil.leerlingnummer
    finally:
        db.close()


def test_a_paspoort_for_one_pupil_is_written_and_logged(tmp_path: Path) -> None:
    path, ids = demo_file(tmp_path)
    pupil_id = ids[0]
    number = leerlingnummer(path, pupil_id)
    with opened(path) as service:
        name = service.alongside(DocumentService).paspoort_doc(pupil_id, date.today()).pupil.name
    target = tmp_path / "paspoort.pdf"
    result = run("--db", str(path), "document", "paspoort", "--pupil", number, "--out", str(target))
    assert result.returncode == 0, result.stderr
    assert name in result.stdout
    assert name in text_of(target)
    with opened(path) as service:
        assert [r.kind for r in service.documents_made(pupil_id)] == [DocumentKind.PASPOORT]


def test_an_overdracht_without_consent_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    path, ids = demo_file(tmp_path)
    with opened(path) as service:
        refused = next(
            i for i in ids if not any(c.receiver is Receiver.JOBCOACH for c in service.consents(i))
        )
    number = leerlingnummer(path, refused)
    before = dump(path)
    target = tmp_path / "overdracht.pdf"
    result = run(
        "--db",
        str(path),
        "document",
        "overdracht",
        "--pupil",
        number,
        "--receiver",
        "jobcoach",
        "--out",
        str(target),
    )
    assert result.returncode == 1
    assert "geen toestemming" in result.stderr and "Jobcoach" in result.stderr
    assert not target.exists()
    assert dump(path) == before

    missing = run(
        "--db", str(path), "document", "overdracht", "--pupil", number, "--out", str(target)
    )
    assert missing.returncode == 1 and "--receiver" in missing.stderr


def test_a_klas_gets_one_file_per_pupil(tmp_path: Path) -> None:
    path, _ = demo_file(tmp_path)
    with opened(path) as service:
        in_klas = service.pupil_ids("PRO4B")
    folder = tmp_path / "PRO4B"
    result = run(
        "--db", str(path), "document", "transitieplan", "--klas", "PRO4B", "--out", str(folder)
    )
    assert result.returncode == 0, result.stderr
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(in_klas) > 0
    assert all(f.name.startswith("Transitieplan ") for f in files)
    assert "Transitieplan" in text_of(files[0])
    with opened(path) as service:
        assert all(len(service.documents_made(i)) == 1 for i in in_klas)

    unknown = run("--db", str(path), "document", "paspoort", "--klas", "XYZ", "--out", str(folder))
    assert unknown.returncode == 1 and "geen leerlingen" in unknown.stderr


def test_while_a_klas_is_written_what_the_start_made_is_out_of_the_collectors_passes(
    tmp_path: Path,
) -> None:
    """A full pass of Python's collector walked every module and the open database once or twice
    per klas (70-80 ms of 50 Paspoorten): frozen while the command runs, let go after. The
    collector itself is off for the imports (__main__) and on again for the command."""
    path, _ids = demo_file(tmp_path)
    folder = tmp_path / "klas"
    code = f"""
import gc, sys
from uitstroom.services.handover.documents import DocumentService
from uitstroom.__main__ import main
write_batch = DocumentService.write_batch

def watched(self, *args, **kwargs):
    print("frozen", gc.get_freeze_count(), "on", gc.isenabled())
    return write_batch(self, *args, **kwargs)

DocumentService.write_batch = watched
sys.argv = ["uitstroom", "--db", {str(path)!r}, "document", "paspoort", "--klas", "PRO4B",
            "--out", {str(folder)!r}]
assert main() == 0
print("after", gc.get_freeze_count())
"""
    result = run(code, program=("-c",))
    assert result.returncode == 0, result.stderr[-2000:]
    assert any(folder.glob("*.pdf"))
    assert int(result.stdout.split("frozen")[1].split()[0]) > 50_000
    assert result.stdout.split(" on ")[1].split()[0] == "True"
    assert int(result.stdout.split("after")[1].split()[0]) == 0
