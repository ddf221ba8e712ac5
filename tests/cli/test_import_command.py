"""`uitstroom import` as IT staff use it: real process, real files, exit codes."""

from __future__ import annotations

import subprocess
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


def test_a_leerlingnummer_as_excel_saved_it_is_the_same_pupil_next_month(tmp_path: Path) -> None:
    db_file = tmp_path / "school.db"
    october = tmp_path / "oktober.csv"
    october.write_text(
        "Leerlingnummer;Roepnaam;Achternaam;Klas\n86001,0;Aylin;Yılmaz;PRO4A\n"
        "8,6002E+04;Bram;\u202eBoer\u202c;PRO4B\n",
        encoding="utf-8",
    )
    november = tmp_path / "november.csv"
    november.write_text(
        "Leerlingnummer;Roepnaam;Achternaam;Klas\n86001;Aylin;Yılmaz;PRO4A\n"
        "86002;Bram;Boer;PRO4B\n",
        encoding="utf-8",
    )
    first = run("--db", str(db_file), "import", str(october))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "2 nieuw" in first.stdout
    again = run("--db", str(db_file), "import", str(november))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 nieuw, 0 gewijzigd, 2 ongewijzigd" in again.stdout
    exported = tmp_path / "leerlingen.csv"
    assert run("--db", str(db_file), "export", str(exported)).returncode == 0
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 3  # the header and two pupils, not four
    assert any(line.startswith("86001;") for line in lines)
    assert "\u202e" not in exported.read_text(encoding="utf-8-sig")


def test_a_bad_leerlingnummer_and_a_second_number_column_are_named(tmp_path: Path) -> None:
    db_file = tmp_path / "school.db"
    assert run("--db", str(db_file), "demo", "--aantal", "3").returncode == 0
    before = dump(db_file)
    bad = tmp_path / "export.csv"
    bad.write_text(
        "Leerlingnummer;Roepnaam;Achternaam\n86001;Noa;Jansen\n-5;Daan;Smit\n0;Sanne;Bakker\n",
        encoding="utf-8",
    )
    result = run("--db", str(db_file), "import", str(bad))
    assert result.returncode == 1
    assert "rij 3, kolom 'Leerlingnummer': '-5' is geen leerlingnummer" in result.stdout
    assert "rij 4, kolom 'Leerlingnummer': '0' is geen leerlingnummer" in result.stdout
    two = tmp_path / "twee.csv"
    two.write_text(
        "Stamnummer;Roepnaam;Achternaam;Leerlingnummer\n1;Noa;Jansen;86001\n", encoding="utf-8"
    )
    result = run("--db", str(db_file), "import", str(two))
    assert result.returncode == 1
    assert "'Stamnummer' (kolom A) en 'Leerlingnummer' (kolom D)" in result.stdout
    assert dump(db_file) == before


def test_a_reimport_names_the_pupils_it_misses_and_archives_them_only_when_asked(
    tmp_path: Path,
) -> None:
    db_file = tmp_path / "school.db"
    first = tmp_path / "oktober.csv"
    first.write_text(
        "Stamnummer,Voornaam,Tussenvoegsels,Achternaam,Geboortedatum,Klas\n"
        "400001,Aylin,,Yılmaz,2009-03-01,PRO4A\n"
        "400002,Bram,de,Boer,2009-07-15,PRO4B\n",
        encoding="utf-8",
    )
    assert run("--db", str(db_file), "import", str(first)).returncode == 0
    second = tmp_path / "november.csv"
    second.write_text(
        "\n".join(first.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8"
    )
    kept = run("--db", str(db_file), "import", str(second))
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "Niet in dit bestand (1 leerling):" in kept.stdout
    assert "    Bram de Boer (400002)" in kept.stdout
    assert "1 leerlingen" not in kept.stdout
    assert "--archiveer-ontbrekende" in kept.stdout

    # Still missing, so not archived without the choice; now with it.
    archived = run("--db", str(db_file), "import", str(second), "--archiveer-ontbrekende")
    assert archived.returncode == 0, archived.stdout + archived.stderr
    assert "    Bram de Boer (400002)" in archived.stdout
    assert "Zij worden gearchiveerd (reden: niet meer in de export)." in archived.stdout
    assert "1 leerling gearchiveerd." in archived.stdout
    again = run("--db", str(db_file), "import", str(second))
    assert "Niet in dit bestand" not in again.stdout


def test_the_worst_generated_workbooks_are_refused_fast_and_stay_under_300_mb(
    tmp_path: Path,
) -> None:
    """`import --dry-run` of each too-big workbook from the malformed corpus, in a process of
    its own whose peak memory (ru_maxrss) is read by a small parent."""
    import json
    import os
    import sys

    from test_commands import passphrase_file

    from malformed_files import _Files, a_million_rows, wide_sheets

    db_file = tmp_path / "school.db"
    assert run("--db", str(db_file), "demo", "--aantal", "3").returncode == 0
    made = _Files()
    a_million_rows(made)
    wide_sheets(made)
    cases = [case for case in made.made if case.name.endswith(".xlsx")]
    assert len(cases) >= 5
    measure = (
        "import json, resource, subprocess, sys, time\n"
        "started = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(json.dumps({'rc': done.returncode, 'err': done.stderr,"
        " 's': time.perf_counter() - started,"
        " 'kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("UITSTROOM_DB", None)
    env["UITSTROOM_PASSPHRASE_FILE"] = str(passphrase_file())
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    before = dump(db_file)
    for case in cases:
        path = tmp_path / case.name
        case.write(path)
        command = [sys.executable, "-m", "uitstroom", "--db", str(db_file)]
        measured = subprocess.run(
            [sys.executable, "-c", measure, *command, "import", "--dry-run", str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=True,
        )
        seen = json.loads(measured.stdout)
        assert seen["rc"] != 0 and case.says in seen["err"], (case.name, seen["err"])
        assert "Traceback" not in seen["err"]
        assert seen["kb"] < 300 * 1024, f"{case.name}: {seen['kb'] // 1024} MB"
        print(f"{case.name}: {seen['kb'] // 1024} MB, {seen['s']:.1f} s")
    assert dump(db_file) == before
