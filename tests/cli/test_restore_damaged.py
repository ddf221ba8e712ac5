"""When the database no longer opens, or is gone (a new laptop): `uitstroom restore` still works
with a backup, its key file copy and the recovery passphrase."""

from __future__ import annotations

import shutil
from pathlib import Path

from test_commands import run

from uitstroom.services.demo import DEMO_LEAVERS


def made_with_backup(tmp_path: Path) -> tuple[Path, Path]:
    db_file = tmp_path / "school" / "uitstroom.db"
    assert run("--db", str(db_file), "demo", "--aantal", "6").returncode == 0
    made = run("--db", str(db_file), "backup")
    assert made.returncode == 0, made.stderr
    return db_file, Path(made.stdout.strip())


def test_a_damaged_database_is_replaced_by_the_backup_and_kept_aside(tmp_path: Path) -> None:
    db_file, backup = made_with_backup(tmp_path)
    data = bytearray(db_file.read_bytes())
    data[4096:8192] = b"\x00" * 4096  # a page destroyed, as after a bad sector
    db_file.write_bytes(bytes(data))
    assert run("--db", str(db_file), "export", str(tmp_path / "x.csv")).returncode == 3

    result = run("--db", str(db_file), "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert "ging niet meer open" in result.stdout
    kept = [p for p in backup.parent.iterdir() if "beschadigd" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data)
    exported = run("--db", str(db_file), "export", str(tmp_path / "x.csv"))
    assert exported.returncode == 0, exported.stderr
    assert (
        len((tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()) == 7 + DEMO_LEAVERS
    )


def test_on_a_new_laptop_the_backup_folder_and_passphrase_are_enough(tmp_path: Path) -> None:
    _db_file, backup = made_with_backup(tmp_path)
    usb = tmp_path / "usb-stick"
    shutil.copytree(backup.parent, usb)  # the whole backup folder, with its key file copy
    new_laptop = tmp_path / "nieuwe-laptop" / "uitstroom.db"
    result = run("--db", str(new_laptop), "restore", str(usb / backup.name))
    assert result.returncode == 0, result.stderr
    exported = run("--db", str(new_laptop), "export", str(tmp_path / "y.csv"))
    assert exported.returncode == 0, exported.stderr
    assert (
        len((tmp_path / "y.csv").read_text(encoding="utf-8-sig").splitlines()) == 7 + DEMO_LEAVERS
    )


def test_a_backup_that_is_no_backup_is_refused_and_the_damaged_file_stays(tmp_path: Path) -> None:
    db_file, _backup = made_with_backup(tmp_path)
    db_file.write_bytes(b"kapot" * 1000)
    junk = tmp_path / "geen-backup.db"
    junk.write_bytes(b"\x01" * 8192)
    result = run("--db", str(db_file), "restore", str(junk))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert db_file.read_bytes() == b"kapot" * 1000
