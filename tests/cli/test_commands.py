"""The headless commands as IT staff use them: real process, real files, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from factories import TEST_PASSPHRASE
from uitstroom.services.demo import DEMO_LEAVERS


def passphrase_file() -> Path:
    path = Path(tempfile.gettempdir()) / "uitstroom-test-passphrase.txt"
    path.write_text(TEST_PASSPHRASE + "\n", encoding="utf-8")
    return path


def run(
    *args: str,
    env_db: Path | None = None,
    extra_env: dict[str, str] | None = None,
    program: tuple[str, ...] = ("-m", "uitstroom"),
) -> subprocess.CompletedProcess[str]:
    """`uitstroom *args` in a fresh process as a script runs it (`program` ("-c",) runs the
    Python code in `args` instead)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(extra_env or {})}
    env.pop("UITSTROOM_DB", None)
    # Scripts give the passphrase in a file; the developer's real keychain is never touched.
    env["UITSTROOM_PASSPHRASE_FILE"] = str(passphrase_file())
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if env_db is not None:
        env["UITSTROOM_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, *program, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_help_documents_commands_and_exit_codes() -> None:
    result = run("--help")
    assert result.returncode == 0
    for text in ("demo", "import", "export", "--dry-run", "Afsluitcodes", "UITSTROOM_DB"):
        assert text in result.stdout


def test_demo_then_export_through_the_environment_variable(tmp_path: Path) -> None:
    db_file = tmp_path / "school.db"
    made = run("demo", "--aantal", "12", env_db=db_file)
    assert made.returncode == 0, made.stderr
    assert "12 verzonnen leerlingen" in made.stdout
    again = run("demo", env_db=db_file)
    assert again.returncode == 1
    assert "bevat al leerlingen" in again.stderr
    exported = run("--db", str(db_file), "export", str(tmp_path / "uit.csv"))
    assert exported.returncode == 0, exported.stderr
    lines = (tmp_path / "uit.csv").read_text(encoding="utf-8-sig").splitlines()
    # a header, the 12 pupils of this year and last year's leavers (archived, in nazorg)
    assert len(lines) == 1 + 12 + DEMO_LEAVERS
    assert sum(line.endswith(";ja") for line in lines) == DEMO_LEAVERS


def test_a_file_that_is_no_database_exits_3_and_stays_untouched(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notities.db"
    not_a_db.write_bytes(b"Dit is een tekstbestand en geen database.\n" * 50)
    before = not_a_db.read_bytes()
    result = run("--db", str(not_a_db), "export", str(tmp_path / "x.xlsx"))
    assert result.returncode == 3
    assert "Is dit wel een Uitstroom-database?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not_a_db.read_bytes() == before


def test_help_and_mistakes_are_in_dutch() -> None:
    helped = run("backup", "--help")
    assert "gebruik: uitstroom backup" in helped.stdout and "opties:" in helped.stdout
    assert "options:" not in helped.stdout and "show this help" not in helped.stdout
    wrong = run("frobnicate")
    assert wrong.returncode == 2
    assert "ongeldige keuze: 'frobnicate'" in wrong.stderr and "error" not in wrong.stderr


def test_a_commands_own_help_and_choices_name_the_domains_values() -> None:
    """The choices and texts that name a domain's values are worked out only when asked
    (commands.Later, commands.Parser): they still say the same."""
    columns = run("exit", "import", "--help")
    assert columns.returncode == 0
    flat = " ".join(columns.stdout.split())
    assert "Kolommen: Studentnummer, Status, Datum gesprek," in flat and "SLB'er, Notitie." in flat
    kind = run("document", "brochure", "--pupil", "1", "--out", "x.pdf")
    assert kind.returncode == 2
    assert (
        "argument SOORT: ongeldige keuze: 'brochure' (kies uit 'transitieplan', 'paspoort', "
        "'overdracht')" in " ".join(kind.stderr.split())
    )
    receiver = run("toestemming", "formulier", "--pupil", "1", "--receiver", "buurman")
    assert receiver.returncode == 2
    assert "ongeldige keuze: 'buurman' (kies uit 'mbo', 'gemeente'," in receiver.stderr
