"""Damaged files are named and left alone; keys are never lost (issue 14, items 1-3 and 5).

Each test makes a real encrypted school with a backup, damages one thing as a sync client, a
pulled USB stick or a full disk would, and checks what the user is told and what is on disk.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from factories import TEST_PASSPHRASE, make_pupil
from uitstroom.domain.damage import Trouble
from uitstroom.services import vault
from uitstroom.services.audit import AuditService
from uitstroom.services.backups import anchors, backup_before, recover
from uitstroom.services.database import DatabaseOpenError, open_database
from uitstroom.services.pupils import PupilService
from uitstroom.storage import cipher, keys
from uitstroom.storage.wal import check_wal


def school(tmp_path: Path, pupils: int = 2) -> tuple[Path, bytes]:
    """A database file with its key file, `pupils` pupils and one backup (with its key store)."""
    path = tmp_path / "school" / "uitstroom.db"
    key = vault.set_up(path, TEST_PASSPHRASE)
    db = open_database(path, key)
    service = PupilService(db.sessions)
    for n in range(pupils):
        service.create(make_pupil(leerlingnummer=str(400001 + n)), "2026-2027")
    backup_before(db, "handmatig")
    db.close()
    return path, key


def trouble_of(call) -> Trouble | None:
    with pytest.raises(vault.Unopenable) as caught:
        call()
    return caught.value.trouble


def test_an_empty_file_is_damaged_never_a_new_database(tmp_path: Path) -> None:
    path, _key = school(tmp_path)
    keyfile_before = keys.keyfile_for(path).read_bytes()
    store_before = sorted(p.name for p in (path.parent / "backups" / keys.KEY_STORE).iterdir())
    path.write_bytes(b"")

    assert trouble_of(lambda: vault.state_of(path)) is Trouble.DATABASE_EMPTY
    with pytest.raises(vault.UnlockError, match="is leeg"):
        vault.set_up(path, TEST_PASSPHRASE)
    with pytest.raises(DatabaseOpenError, match="is leeg"):
        open_database(path, keys.new_data_key())
    assert path.read_bytes() == b""
    assert keys.keyfile_for(path).read_bytes() == keyfile_before
    assert sorted(p.name for p in (path.parent / "backups" / keys.KEY_STORE).iterdir()) == (
        store_before
    )


def test_a_database_gone_while_its_key_file_stays_is_not_made_anew(tmp_path: Path) -> None:
    path, _key = school(tmp_path)
    path.unlink()
    assert trouble_of(lambda: vault.state_of(path)) is Trouble.DATABASE_MISSING
    with pytest.raises(DatabaseOpenError, match="ontbreekt"):
        open_database(path, keys.new_data_key())
    assert not path.exists()


def test_a_new_database_is_built_beside_and_only_renamed_in_when_whole(tmp_path: Path) -> None:
    path = tmp_path / "nieuw" / "uitstroom.db"
    key = vault.set_up(path, TEST_PASSPHRASE)
    assert sorted(p.name for p in path.parent.iterdir()) == ["uitstroom.db", "uitstroom.db.sleutel"]
    open_database(path, key).close()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(keys.keyfile_for(path).stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_half_built_database_left_by_a_crash_is_cleared_or_finished(tmp_path: Path) -> None:
    path = tmp_path / "uitstroom.db"
    half = path.with_name(path.name + ".bouw")
    half.write_bytes(b"\x01" * 4096)
    vault.finish_interrupted_creation(path)
    assert not half.exists() and not path.exists()
    assert vault.state_of(path) is vault.DatabaseState.NEW


def test_a_cut_short_database_is_named_damaged_not_a_key_problem(tmp_path: Path) -> None:
    path, _key = school(tmp_path)
    os.truncate(path, path.stat().st_size - 1000)
    with pytest.raises(vault.UnlockError) as caught:
        vault.state_of(path)
    assert caught.value.trouble is Trouble.DATABASE_DAMAGED
    assert "sleutelbestand hoort niet" not in str(caught.value)


def test_a_flipped_byte_anywhere_is_found_by_the_page_check(tmp_path: Path) -> None:
    path, key = school(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 + 100] ^= 0x01
    path.write_bytes(bytes(data))
    # Opening for the window still works (the first page is whole): the page check runs in
    # the background there. The command line checks before every command.
    open_database(path, key).close()
    with pytest.raises(DatabaseOpenError, match="is beschadigd") as caught:
        open_database(path, key, verify=True)
    assert caught.value.trouble is Trouble.DATABASE_DAMAGED


def test_the_four_causes_have_four_messages(tmp_path: Path, memory_keychain) -> None:
    path, key = school(tmp_path)
    memory_keychain.secrets.clear()
    wrong = trouble_of(lambda: vault.unlock(path, "dit is niet het wachtwoord"))
    keyfile = keys.keyfile_for(path)
    good = keyfile.read_text(encoding="utf-8")
    data = json.loads(good)
    data["kdf"]["n"] = 3
    keyfile.write_text(json.dumps(data), encoding="utf-8")
    (path.parent / "backups" / keys.KEY_STORE).rename(path.parent / "elders")
    (path.parent / "backups" / keyfile.name).unlink()
    keyfile_damaged = trouble_of(lambda: vault.unlock(path, TEST_PASSPHRASE))
    keyfile.write_text(good, encoding="utf-8")
    data_damage = bytearray(path.read_bytes())
    data_damage[5000] ^= 1
    path.write_bytes(bytes(data_damage))
    damaged = trouble_of(lambda: open_database(path, key, verify=True))
    assert (wrong, keyfile_damaged, damaged) == (
        Trouble.WRONG_PASSPHRASE,
        Trouble.KEYFILE_DAMAGED,
        Trouble.DATABASE_DAMAGED,
    )
    messages = {
        vault.trouble(kind, path).args[0]
        for kind in (wrong, keyfile_damaged, damaged, Trouble.DISK_FULL)
    }
    assert len(messages) == 4


@pytest.mark.parametrize(
    ("field", "value"),
    [("n", 3), ("n", 2**40), ("r", 0), ("p", 1.5), ("n", "veel"), ("salt", "AAAA")],
)
def test_a_damaged_key_field_is_named_and_the_backup_copy_opens_it(
    tmp_path: Path, memory_keychain, field: str, value: object
) -> None:
    path, key = school(tmp_path)
    memory_keychain.secrets.clear()
    keyfile = keys.keyfile_for(path)
    data = json.loads(keyfile.read_text(encoding="utf-8"))
    if field in ("n", "r", "p"):
        data["kdf"][field] = value
    else:
        data[field] = value
    keyfile.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(keys.KeyFileDamaged):
        keys.read_keyfile(path)
    with pytest.raises(vault.PassphraseRequired, match=r"sleutelbestand .* is beschadigd"):
        vault.unlock(path)
    assert vault.unlock(path, TEST_PASSPHRASE) == key
    # The damaged file is kept aside and a whole one is back in its place.
    assert keys.read_keyfile(path).database_id == data["database_id"] or field == "salt"
    assert keyfile.with_name(keyfile.name + ".beschadigd").exists()


def test_a_changed_byte_in_the_ciphertext_is_damage_not_a_wrong_passphrase(
    tmp_path: Path,
) -> None:
    path, _key = school(tmp_path)
    keyfile = keys.keyfile_for(path)
    data = json.loads(keyfile.read_text(encoding="utf-8"))
    text = data["ciphertext"]
    data["ciphertext"] = ("B" if text[0] != "B" else "C") + text[1:]
    keyfile.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(keys.KeyFileDamaged):
        keys.read_keyfile(path)


def test_new_key_files_cost_scrypt_2_17_and_old_ones_are_rewrapped_on_unlock(
    tmp_path: Path, memory_keychain, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert keys.SCRYPT_N >= 2**17
    path = tmp_path / "oud" / "uitstroom.db"
    monkeypatch.setattr(keys, "SCRYPT_N", 2**15)  # a key file as an earlier version wrote it
    key = vault.set_up(path, TEST_PASSPHRASE)
    open_database(path, key).close()
    assert keys.read_keyfile(path).n == 2**15
    monkeypatch.undo()
    memory_keychain.secrets.clear()
    assert vault.unlock(path, TEST_PASSPHRASE) == key
    assert keys.read_keyfile(path).n == 2**17
    stored = list((path.parent / "backups" / keys.KEY_STORE).glob("*.sleutel"))
    assert [keys.read_wrapped(p).n for p in stored] == [2**17]


def test_every_backup_opens_after_the_key_file_was_replaced_by_another(
    tmp_path: Path, memory_keychain
) -> None:
    """The old failure: an empty database file became a new database with a new key, and
    the next backup replaced the key copy too. Now the old key stays in the key store."""
    path, _key = school(tmp_path)
    database_id = keys.read_keyfile(path).database_id
    other = keys.WrappedKey.wrap(keys.new_data_key(), TEST_PASSPHRASE)
    keys.put_keyfile(path, other, path.parent / "backups")  # whatever replaced the key file
    stored = {
        keys.read_wrapped(p).database_id
        for p in (path.parent / "backups" / keys.KEY_STORE).glob("*.sleutel")
    }
    assert database_id in stored
    memory_keychain.secrets.clear()
    path.write_bytes(b"")
    result = recover(path, path.parent / "backups", TEST_PASSPHRASE)
    assert result.kept is not None and result.kept.read_bytes() == b""
    assert vault.unlock(path, TEST_PASSPHRASE)


def test_restore_works_with_the_key_file_gone_and_the_database_damaged(
    tmp_path: Path, memory_keychain
) -> None:
    path, _key = school(tmp_path, pupils=3)
    keys.keyfile_for(path).unlink()
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(bytes(data))
    memory_keychain.secrets.clear()
    with pytest.raises(vault.PassphraseRequired):
        vault.unlock(path)
    result = recover(path, path.parent / "backups", TEST_PASSPHRASE)
    assert result.kept is not None and result.kept.read_bytes() == bytes(data)
    key = vault.unlock(path)  # the keychain has it again
    db = open_database(path, key, verify=True)
    try:
        assert PupilService(db.sessions).count() == 3
    finally:
        db.close()


def test_a_backup_records_the_audit_head_and_a_cut_chain_is_found(tmp_path: Path) -> None:
    path, key = school(tmp_path, pupils=3)
    recorded = anchors(path, path.parent / "backups")
    assert len(recorded) == 1 and recorded[0].lines >= 3
    connection = cipher.connect(path, key)
    connection.execute("DROP TRIGGER audit_event_no_delete")
    connection.execute("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")
    connection.commit()
    connection.close()
    db = open_database(path, key)
    try:
        inside_only = AuditService(db.sessions).check()
        with_anchor = AuditService(
            db.sessions, anchors=lambda: anchors(path, path.parent / "backups")
        ).check()
    finally:
        db.close()
    assert not inside_only.breaks  # the cut end leaves the chain itself whole
    assert not with_anchor.whole
    assert "regels aan het eind weggehaald" in with_anchor.summary


def test_a_flipped_byte_in_the_log_that_drops_commits_is_found(tmp_path: Path) -> None:
    import sqlcipher3.dbapi2 as sqlcipher

    path = tmp_path / "a.db"
    connection = sqlcipher.connect(str(path))
    connection.execute(f"PRAGMA key = \"x'{'11' * 32}'\"")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    for _ in range(6):
        connection.execute("INSERT INTO t VALUES (randomblob(3000))")
        connection.commit()
    wal = path.with_name("a.db-wal")
    copy = tmp_path / "kopie"
    copy.mkdir()
    (copy / "a.db").write_bytes(path.read_bytes())
    log = bytearray(wal.read_bytes())
    connection.close()
    assert not check_wal(copy / "a.db").damaged  # no log: whole
    (copy / "a.db-wal").write_bytes(bytes(log))
    whole = check_wal(copy / "a.db")
    assert whole.frames > 6 and not whole.damaged
    log[32 + 24 + 100] ^= 1  # the first frame
    (copy / "a.db-wal").write_bytes(bytes(log))
    assert check_wal(copy / "a.db").lost_commits >= 6


def test_back_ups_in_the_open_window_restore_over_a_damaged_database(tmp_path: Path) -> None:
    """Damage found in the background while the window is open: Bestand → Back-ups… restores
    although the damaged file cannot be backed up whole; its bytes are kept as they were."""
    from uitstroom.services.backups import list_backups, restore_backup

    path, key = school(tmp_path, pupils=2)
    data = bytearray(path.read_bytes())
    data[len(data) - 2000] ^= 8
    path.write_bytes(bytes(data))
    db = open_database(path, key)
    try:
        newest = list_backups(path, path.parent / "backups")[0]
        result = restore_backup(db, newest.path)
        assert result.kept.name.endswith("-beschadigd.db")
        assert result.kept.read_bytes() == bytes(data)
        assert PupilService(db.sessions).count() == 2
    finally:
        db.close()
    open_database(path, key, verify=True).close()


@pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX thing")
def test_files_from_before_the_rule_become_owner_only_at_the_next_open(tmp_path: Path) -> None:
    path, key = school(tmp_path)
    for file in (path, keys.keyfile_for(path)):
        os.chmod(file, 0o644)
    open_database(path, key).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.keyfile_for(path).stat().st_mode) == 0o600
    backup = next((path.parent / "backups").glob("*.db"))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE((path.parent / "backups").stat().st_mode) == 0o700
