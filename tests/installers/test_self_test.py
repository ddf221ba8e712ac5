"""`uitstroom --self-test` from source: the same steps `make dist-check` runs on the built
program. It says in Dutch what it checks, leaves nothing behind and says where it failed."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from uitstroom.selftest import (
    EXIT_FAILED,
    LINUX_KEYCHAIN,
    NATIVE_KEYCHAIN,
    STEPS,
    Run,
    StepFailed,
    run_self_test,
)


def test_the_self_test_passes_and_leaves_no_database_behind(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
        # Never the developer's keychain: the self-test must not need one.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    result = subprocess.run(
        [sys.executable, "-m", "uitstroom", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Uitstroom 0.1.0: zelftest"
    assert [line for line in lines if line.startswith("[")] == [
        f"[{n}/{len(STEPS)}] {title}…" for n, (title, _step) in enumerate(STEPS, 1)
    ]
    assert re.match(r"Zelftest geslaagd in \d+\.\d s: Uitstroom werkt\.$", lines[-1])
    text = result.stdout
    assert "SQLCipher 4." in text
    native = NATIVE_KEYCHAIN.get(sys.platform, LINUX_KEYCHAIN)  # CI runs this on each platform
    assert f"koppeling {native} aanwezig" in text
    assert "psycopg 3." in text and "(binary), libpq " in text
    assert "migraties uitgevoerd tot" in text
    assert "schema 0001 bijgewerkt tot" in text and "-voor-update.db" in text
    assert "knoppen in het Nederlands ('Annuleren'" in text
    assert "naam en titel gevonden" in text
    if sys.platform.startswith("linux"):
        assert "X11-bibliotheken voor het venster gevonden" in text
    assert "MISLUKT" not in text
    assert list(tmp_path.iterdir()) == []


def test_a_failing_step_is_named_in_dutch_and_the_rest_is_skipped(tmp_path: Path) -> None:
    reached: list[str] = []

    def no_cipher(run: Run) -> str:
        reached.append(str(run.folder))
        raise StepFailed("SQLite is aanwezig, maar zonder versleuteling (SQLCipher ontbreekt)")

    def never(run: Run) -> str:
        reached.append("never")
        return ""

    out = io.StringIO()
    code = run_self_test(out, steps=(("Versleuteling", no_cipher), ("Daarna", never)))

    assert code == EXIT_FAILED == 1
    assert out.getvalue().splitlines()[1:] == [
        "[1/2] Versleuteling…",
        "      MISLUKT: SQLite is aanwezig, maar zonder versleuteling (SQLCipher ontbreekt)",
        "Zelftest mislukt bij stap 1 (Versleuteling). Installeer Uitstroom opnieuw; helpt dat "
        "niet, stuur deze tekst naar de leverancier of de helpdesk.",
    ]
    assert len(reached) == 1 and not Path(reached[0]).exists()


def test_an_unexpected_error_is_reported_with_its_kind() -> None:
    def broken(run: Run) -> str:
        raise ModuleNotFoundError("No module named 'keyring.backends.SecretService'")

    out = io.StringIO()
    assert run_self_test(out, steps=(("Sleutelbos", broken),)) == EXIT_FAILED
    assert (
        "      MISLUKT: ModuleNotFoundError: No module named 'keyring.backends.SecretService'"
        in out.getvalue().splitlines()
    )
