"""`uitstroom import` as IT staff use it: real process, real files, exit codes."""

from __future__ import annotations

from pathlib import Path

from test_commands import run

from factories import dump


def test_import_dry_run_refuses_a_bad_file_and_writes_nothing(tmp_path: Path) -> None:
    db_file = tmp_path / "school.db"
    assert run("--db", str(db_file), "demo", "--aantal", "3").returncode == 0
    bad = tmp_path / "export.csv"
    bad.write_text(
        "Leerlingnummer;Roepnaam;Achternaam;Geboortedatum\n"
        "300001;Noa;Jansen;31-02-2010\n"
        "300001;Daan;Smit;01-01-2010\n",
        encoding="utf-8",
    )
    before = dump(db_file)
    result = run("--db", str(db_file), "import", str(bad))
    assert result.returncode == 1
    assert "rij 2" in result.stdout and "31-02-2010" in result.stdout
    assert "300001" in result.stdout
    assert dump(db_file) == before


def test_import_then_reimport_updates_by_leerlingnummer(tmp_path: Path) -> None:
    db_file = tmp_path / "school.db"
    first = tmp_path / "oktober.csv"
    first.write_text(
        "Stamnummer,Voornaam,Tussenvoegsels,Achternaam,Geboortedatum,Klas\n"
        "400001,Aylin,,Yılmaz,2009-03-01,PRO4A\n"
        "400002,Bram,de,Boer,2009-07-15,PRO4B\n",
        encoding="utf-8",
    )
    checked = run("--db", str(db_file), "import", str(first), "--dry-run")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "2 nieuw" in checked.stdout
    done = run("--db", str(db_file), "import", str(first))
    assert done.returncode == 0, done.stdout + done.stderr
    second = tmp_path / "november.csv"
    second.write_text(first.read_text(encoding="utf-8").replace("PRO4B", "PRO4C"), encoding="utf-8")
    again = run("--db", str(db_file), "import", str(second))
    assert again.returncode == 0
    assert "1 gewijzigd" in again.stdout and "1 ongewijzigd" in again.stdout
