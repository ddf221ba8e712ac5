"""A stolen laptop reveals nothing: the file, its WAL and its copies are unreadable without the key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import keyring
import pytest

from keyring_double import MemoryKeyring
from uitstroom.services import vault
from uitstroom.storage import cipher, migrate
from uitstroom.storage.keys import WrappedKey, keyfile_for

PASSPHRASE = "paarse olifant fietst naar Zwolle"


@pytest.fixture
def no_keychain() -> None:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def make_encrypted(path: Path, names: list[str]) -> bytes:
    key = vault.set_up(path, PASSPHRASE)
    engine = cipher.make_encrypted_engine(path, key)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('2026-2027')")
        for n, name in enumerate(names):
            connection.exec_driver_sql(
                "INSERT INTO pupil (cohort_id, leerlingnummer, roepnaam, tussenvoegsel, achternaam,"
                " klas, mentor, woongemeente, telefoon, email, mbo_opleiding, mbo_crebo,"
                " startkwalificatie, ondersteuningsbehoefte, archived, imported_values,"
                " created_at, updated_at, version) VALUES (1, ?, ?, '', 'Testpersoon', '', '',"
                " '', '', '', '', '', 'onbekend', 'Heeft autisme', 0, '{}', '2026-11-23',"
                " '2026-11-23', 1)",
                (str(n), name),
            )
    engine.dispose()
    return key


def test_names_are_nowhere_in_the_file_and_stdlib_sqlite_cannot_read_it(
    tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    names = [f"Xylofoonnaam{n:03d}" for n in range(100)]
    db = tmp_path / "school.db"
    make_encrypted(db, names)
    for file in tmp_path.iterdir():
        data = file.read_bytes()
        assert not any(name.encode() in data for name in names), file.name
        assert b"autisme" not in data
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM pupil").fetchall()


def test_wrong_and_empty_keys_are_refused_and_the_file_is_unchanged(
    tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    db = tmp_path / "school.db"
    make_encrypted(db, ["Anna"])
    before = db.read_bytes()
    for bad in (bytes(32), b"\xff" * 32):
        with pytest.raises(cipher.WrongKey):
            cipher.connect(db, bad)
    with pytest.raises(cipher.WrongKey):
        cipher.connect(db, b"")
    with pytest.raises(vault.UnlockError, match="herstelwachtwoord klopt niet"):
        vault.unlock(db, "verkeerd wachtwoord hier")
    assert db.read_bytes() == before


def test_keychain_opens_without_asking(tmp_path: Path, memory_keychain: MemoryKeyring) -> None:
    db = tmp_path / "school.db"
    key = make_encrypted(db, ["Anna"])
    assert vault.unlock(db) == key


def test_without_keychain_the_passphrase_opens_and_the_key_is_stored_again(
    tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    db = tmp_path / "school.db"
    key = make_encrypted(db, ["Anna"])
    memory_keychain.secrets.clear()  # a new laptop profile, a changed keychain backend
    with pytest.raises(vault.PassphraseRequired):
        vault.unlock(db)
    assert vault.unlock(db, PASSPHRASE) == key
    assert vault.unlock(db) == key  # stored again


def test_a_missing_keychain_backend_asks_for_the_passphrase(
    tmp_path: Path, no_keychain: None
) -> None:
    db = tmp_path / "school.db"
    key = make_encrypted(db, ["Anna"])
    with pytest.raises(vault.PassphraseRequired):
        vault.unlock(db)
    assert vault.unlock(db, PASSPHRASE) == key


def test_changing_the_passphrase_rewraps_the_same_key(
    tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    db = tmp_path / "school.db"
    key = make_encrypted(db, ["Anna"])
    vault.change_passphrase(db, key, "een heel ander herstelwachtwoord")
    memory_keychain.secrets.clear()
    with pytest.raises(vault.UnlockError):
        vault.unlock(db, PASSPHRASE)
    assert vault.unlock(db, "een heel ander herstelwachtwoord") == key


def test_a_short_passphrase_is_refused_before_anything_is_written(
    tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    with pytest.raises(vault.UnlockError, match="minstens 12 tekens"):
        vault.set_up(tmp_path / "school.db", "kort")
    assert list(tmp_path.iterdir()) == []


def test_damaged_or_missing_key_file_says_what_to_do(
    tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    db = tmp_path / "school.db"
    make_encrypted(db, ["Anna"])
    keyfile_for(db).write_text("{kapot")
    with pytest.raises(vault.UnlockError, match="beschadigd"):
        vault.unlock(db, PASSPHRASE)
    keyfile_for(db).unlink()
    with pytest.raises(vault.UnlockError, match=r"sleutelbestand.*ontbreekt"):
        vault.unlock(db, PASSPHRASE)


def test_key_file_is_bound_to_its_database(tmp_path: Path) -> None:
    wrapped = WrappedKey.wrap(bytes(range(32)), PASSPHRASE, "database-a")
    moved = WrappedKey(
        "database-b",
        wrapped.salt,
        wrapped.nonce,
        wrapped.ciphertext,
        wrapped.n,
        wrapped.r,
        wrapped.p,
    )
    assert wrapped.unwrap(PASSPHRASE) == bytes(range(32))
    with pytest.raises(Exception, match="klopt niet"):
        moved.unwrap(PASSPHRASE)
    assert "ciphertext" in wrapped.to_json() and bytes(range(32)).hex() not in wrapped.to_json()


def test_plaintext_database_is_encrypted_in_place(
    tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    from uitstroom.storage.engine import make_engine

    db = tmp_path / "school.db"
    engine = make_engine(db)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('Geheimcohortnaam')")
    engine.dispose()
    assert vault.state_of(db) is vault.DatabaseState.PLAINTEXT
    key = vault.encrypt_in_place(db, PASSPHRASE)
    assert vault.state_of(db) is vault.DatabaseState.ENCRYPTED
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == ["school.db", "school.db.sleutel"]
    assert all(b"Geheimcohortnaam" not in p.read_bytes() for p in tmp_path.iterdir())
    connection = cipher.connect(db, key)
    assert connection.execute("SELECT label FROM cohort").fetchall() == [("Geheimcohortnaam",)]
    connection.close()
