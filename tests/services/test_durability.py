"""Durability: a full disk loses nothing that was saved, and a risky folder is pointed out."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from factories import TEST_PASSPHRASE, dump, make_pupil
from import_files import pupil_rows, write_csv
from uitstroom import cli
from uitstroom.domain.durability import location_warning
from uitstroom.paths import PASSPHRASE_ENV
from uitstroom.services.backups import import_backup, list_backups
from uitstroom.services.database import Database
from uitstroom.services.durability import DISK_FULL, DiskFull, location_warning_for
from uitstroom.services.importing import ImportService
from uitstroom.services.pupils import PupilService
from uitstroom.storage import cipher

LONG_TEXT = "Heeft baat bij een vaste werkplek en korte instructies. " * 1500  # ~80 kB


@contextmanager
def full_disk(db: Database) -> Iterator[None]:
    """SQLite's own way to run out of room: no connection may grow the file any more
    (PRAGMA max_page_count), so the next page it needs gives SQLITE_FULL, as on a full disk."""

    def cap(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(db.engine, "connect", cap)
    db.engine.dispose()
    try:
        yield
    finally:
        event.remove(db.engine, "connect", cap)
        db.engine.dispose()


# --- a full disk ---------------------------------------------------------------------------
# A server's disk is the server administrator's: these are about the file on the laptop.
@pytest.mark.sqlite_only("a full disk under the database file")
def test_saving_a_pupil_on_a_full_disk_says_so_and_keeps_the_last_saved_state(
    database: Database,
) -> None:
    service = PupilService(database.sessions)
    saved = service.create(make_pupil(), "2026-2027")
    saved = service.save(replace(saved.pupil, klas="PRO4B"))
    last_saved = dump(database)

    with full_disk(database):
        with pytest.raises(DiskFull) as raised:
            service.save(replace(saved.pupil, ondersteuningsbehoefte=LONG_TEXT))
        with pytest.raises(DiskFull):
            service.create(
                make_pupil(leerlingnummer="200002", ondersteuningsbehoefte=LONG_TEXT),
                "2026-2027",
            )
        with pytest.raises(DiskFull):
            service.add_note(saved.pupil.id, LONG_TEXT)
        assert dump(database) == last_saved

    assert str(raised.value) == DISK_FULL
    assert str(raised.value).startswith("De schijf is vol. Uw laatste wijziging is niet opgeslagen")
    assert dump(database) == last_saved
    assert database.path is not None and database.key is not None
    assert cipher.check_integrity(database.path, database.key) == []
    # With room again, the same edit goes through.
    again = service.save(replace(saved.pupil, ondersteuningsbehoefte=LONG_TEXT))
    assert again.pupil.ondersteuningsbehoefte == LONG_TEXT


@pytest.mark.sqlite_only("a full disk under the database file")
def test_an_import_on_a_full_disk_writes_nothing(database: Database, tmp_path: Path) -> None:
    PupilService(database.sessions).create(make_pupil(), "2026-2027")
    service = ImportService(database.sessions, before_write=import_backup(database))
    table = service.read(write_csv(tmp_path / "export.csv", pupil_rows(400)))
    preview = service.check(table, "2026-2027")
    assert preview.ok
    last_saved = dump(database)
    with full_disk(database), pytest.raises(DiskFull, match="De schijf is vol"):
        service.apply(preview)
    assert dump(database) == last_saved
    assert service.apply(preview) == 400


# A real full disk: a 1 MB tmpfs in a private mount namespace (Linux, root or user namespaces).
REAL_DISK = textwrap.dedent(
    """
    import os, sys
    from dataclasses import replace
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from factories import dump, make_database, make_pupil
    from uitstroom.services.backups import backup_before
    from uitstroom.services.durability import DiskFull
    from uitstroom.services.pupils import PupilService

    folder = Path(sys.argv[1])
    db = make_database(folder)
    service = PupilService(db.sessions)
    saved = service.create(make_pupil(), "2026-2027")
    before = dump(db)
    filler = os.open(folder / "vulling", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(filler, bytes(65536))
    except OSError:
        pass
    try:
        while True:
            os.write(filler, bytes(512))
    except OSError:
        os.close(filler)
    for attempt in (
        lambda: service.save(replace(saved.pupil, ondersteuningsbehoefte="x" * 200_000), "t"),
        lambda: backup_before(db, "handmatig"),
    ):
        try:
            attempt()
            print("no error")
        except DiskFull as exc:
            print("DiskFull:", exc)
    leftovers = sorted(p.name for p in (folder / "backups").iterdir())
    print("backups:", leftovers)
    print("unchanged:", dump(db) == before)
    (folder / "vulling").unlink()
    service.save(replace(saved.pupil, klas="PRO4C"), "t")
    print("afterwards:", service.record(saved.pupil.id).pupil.klas, backup_before(db, "x").name)
    """
)


def can_mount_tmpfs() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not can_mount_tmpfs(), reason="needs a private tmpfs (unshare -rm)")
def test_a_really_full_disk_during_a_save_and_a_backup(tmp_path: Path) -> None:
    script = tmp_path / "vol.py"
    script.write_text(REAL_DISK, encoding="utf-8")
    mount = tmp_path / "schijf"
    mount.mkdir()
    tests = Path(__file__).resolve().parents[1]
    shell = f"mount -t tmpfs -o size=2m tmpfs {mount} && {sys.executable} {script} {mount} {tests}"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", shell], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"DiskFull: {DISK_FULL}"
    assert lines[1].startswith("DiskFull: De schijf is vol: de back-up kon niet worden gemaakt")
    assert lines[2] == "backups: []"  # no half backup left behind
    assert lines[3] == "unchanged: True"
    assert lines[4].startswith("afterwards: PRO4C uitstroom-")


# --- a risky folder -----------------------------------------------------------------------------
PROC_MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
//nas.school.local/team /mnt/team cifs rw,vers=3.0 0 0
nas:/export/home /home/coordinator/nfs nfs4 rw,relatime 0 0
juf@server:/data /home/coordinator/op\\040afstand fuse.sshfs rw,nosuid 0 0
/dev/sdb1 /media/usb fuseblk rw,nosuid 0 0
/dev/sdc1 /mnt/team/lokaal ext4 rw 0 0
"""

MAC_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
//juf@fileserver/Leerlingzaken on /Volumes/Leerlingzaken (smbfs, nodev, nosuid, mounted by juf)
/dev/disk4s1 on /Volumes/USB-stick (msdos, local, nodev, nosuid, noowners)
"""


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (r"C:\Users\juf\OneDrive - Stichting De Horizon\Uitstroom\uitstroom.db", "OneDrive"),
        (r"C:\Users\juf\OneDrive\Documenten\uitstroom.db", "OneDrive"),
        ("/Users/juf/Library/CloudStorage/OneDrive-Persoonlijk/uitstroom.db", "OneDrive"),
        ("/Users/juf/Dropbox (School)/uitstroom.db", "Dropbox"),
        (r"G:\Mijn Drive\uitstroom.db", "Google Drive"),
        ("/Users/juf/Library/CloudStorage/GoogleDrive-juf@school.nl/My Drive/u.db", "Google Drive"),
        ("/Users/juf/Library/Mobile Documents/com~apple~CloudDocs/uitstroom.db", "iCloud Drive"),
        ("/home/juf/Nextcloud/School/uitstroom.db", "Nextcloud"),
        ("/home/juf/ownCloud/uitstroom.db", "ownCloud"),
        (r"C:\Users\juf\Box\uitstroom.db", "Box"),
    ],
)
def test_a_synchronised_folder_is_named_in_the_warning(path: str, service: str) -> None:
    warning = location_warning(path, "win32" if ":" in path[:3] else "darwin")
    assert warning is not None
    assert f"in een map die {service} synchroniseert" in warning
    assert "niet wordt gesynchroniseerd" in warning


@pytest.mark.parametrize(
    ("path", "platform", "where"),
    [
        (r"\\fileserver\leerlingzaken\uitstroom.db", "win32", r"\\fileserver\leerlingzaken"),
        ("//fileserver/leerlingzaken/uitstroom.db", "win32", r"\\fileserver\leerlingzaken"),
        (r"\\?\UNC\fileserver\team\u.db", "win32", r"\\fileserver\team"),
        ("/mnt/team/uitstroom.db", "linux", "//nas.school.local/team, cifs"),
        ("/home/coordinator/nfs/u.db", "linux", "nas:/export/home, nfs4"),
        ("/home/coordinator/op afstand/u.db", "linux", "juf@server:/data, fuse.sshfs"),
        ("/Volumes/Leerlingzaken/u.db", "darwin", "//juf@fileserver/Leerlingzaken, smbfs"),
    ],
)
def test_a_network_share_is_named_in_the_warning(path: str, platform: str, where: str) -> None:
    mounts = MAC_MOUNT if platform == "darwin" else PROC_MOUNTS
    warning = location_warning(path, platform, mounts)
    assert warning is not None
    assert warning.startswith(f"De database staat op een netwerkschijf ({where}).")


@pytest.mark.parametrize(
    ("path", "platform"),
    [
        (r"C:\Users\juf\AppData\Local\Uitstroom\uitstroom.db", "win32"),
        (r"\\?\C:\Users\juf\Documents\uitstroom.db", "win32"),
        ("/home/juf/.local/share/Uitstroom/uitstroom.db", "linux"),
        ("/mnt/team/lokaal/uitstroom.db", "linux"),  # a local disk mounted inside the share
        ("/media/usb/uitstroom.db", "linux"),  # NTFS stick through fuseblk: local
        ("/home/juf/Boxing club/uitstroom.db", "linux"),
        ("/home/juf/dropboxes.db", "linux"),
        ("/Volumes/USB-stick/uitstroom.db", "darwin"),
    ],
)
def test_a_local_folder_gives_no_warning(path: str, platform: str) -> None:
    mounts = MAC_MOUNT if platform == "darwin" else PROC_MOUNTS
    assert location_warning(path, platform, mounts) is None


def test_a_mapped_network_drive_on_windows() -> None:
    warning = location_warning(r"Z:\Uitstroom\uitstroom.db", "win32", network_drive=True)
    assert warning is not None and "netwerkschijf (station Z:)" in warning


def test_this_computer_reads_its_own_mount_table(tmp_path: Path) -> None:
    warning = location_warning_for(tmp_path / "OneDrive - De Horizon" / "uitstroom.db")
    assert warning is not None and "OneDrive" in warning


def test_the_headless_commands_print_the_warning_to_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(TEST_PASSPHRASE, encoding="utf-8")
    monkeypatch.setenv(PASSPHRASE_ENV, str(secret))
    target = tmp_path / "Dropbox" / "uitstroom.db"
    out = io.StringIO()
    assert cli.main(["--db", str(target), "demo", "--aantal", "3"], out=out) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("Let op: De database staat in een map die Dropbox")
    assert "Dropbox" not in out.getvalue().replace(str(target), "")
    assert list_backups(target, target.parent / "backups") == []
