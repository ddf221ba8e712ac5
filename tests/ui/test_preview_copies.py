"""PDF copies opened in the reader live in a private temp folder; a run that crashed leaves it
behind, and the next start removes it: only the program's own folders, by name and owner, of a
run that is gone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from uitstroom.ui import preview_folders
from uitstroom.ui.preview_folders import PREFIX, remove_stale_preview_folders


def gone_pid() -> int:
    """The process id of a run that has ended."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                           capture_output=True, text=True)  # fmt: skip
    return int(ended.stdout)


def folder(root: Path, name: str) -> Path:
    path = root / name
    path.mkdir()
    (path / "paspoort-Zoë de Vries.pdf").write_bytes(b"%PDF-1.4 persoonsgegevens")
    return path


def test_a_crashed_runs_preview_folder_is_removed_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview_folders.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(preview_folders, "_TEMP_FOLDER", None)
    stale = folder(tmp_path, f"{PREFIX}{gone_pid()}-abc123")
    running = preview_folders.temp_folder()  # this run's own folder, in use
    (running / "open.pdf").write_bytes(b"%PDF")
    other_program = folder(tmp_path, "uitstroom-pg-xyz")
    no_pid = folder(tmp_path, f"{PREFIX}geen-nummer")
    (tmp_path / "elders").mkdir()
    target = folder(tmp_path / "elders", "x")
    link = tmp_path / f"{PREFIX}{gone_pid()}-link"
    link.symlink_to(target, target_is_directory=True)
    others = None
    if os.geteuid() == 0:
        others = folder(tmp_path, f"{PREFIX}{gone_pid()}-vanander")
        shutil.chown(others, "postgres", "postgres")

    removed = remove_stale_preview_folders()

    assert removed == [stale]
    assert not stale.exists()
    assert (running / "open.pdf").exists()
    assert other_program.exists() and no_pid.exists()
    assert link.is_symlink() and (target / "paspoort-Zoë de Vries.pdf").exists()
    if others is not None:
        assert others.exists()  # another account's folder is not ours to remove
    preview_folders.remove_temp_files()
    assert not running.exists()
