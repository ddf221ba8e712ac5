"""The command line when a file is damaged (issue 14): named, pointed to the way back, and the
way back works from any state without moving a file by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import faults


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("school")
    with faults.suite_environment(work):
        yield faults.make_school(work), work


@pytest.fixture
def school(built, tmp_path: Path):
    made, work = built
    shutil.copytree(made.folder, tmp_path / "school")
    with faults.suite_environment(work):
        faults.fresh_keychain()
        yield made, tmp_path / "school" / faults.DB


def test_a_damaged_database_is_named_and_the_restore_command_is_given(school) -> None:
    made, db_file = school
    data = bytearray(db_file.read_bytes())
    data[len(data) // 2] ^= 4
    db_file.write_bytes(bytes(data))
    result = faults.run("--db", str(db_file), "audit", "--check")
    assert result.code == 3 and not result.crashed
    assert "is beschadigd" in result.err
    assert f"uitstroom --db {db_file} restore" in result.err
    assert "De nieuwste back-up is van" in result.err
    listed = faults.run("--db", str(db_file), "backup", "--list")
    assert listed.code == 0 and "handmatig" in listed.out
    restored = faults.run("--db", str(db_file), "restore")
    assert restored.code == 0, restored.err
    assert "bewaard als" in restored.out
    _run, text = faults.export_text(db_file)
    assert text == made.exported


def test_backup_list_works_when_the_key_file_is_damaged_too(school) -> None:
    _made, db_file = school
    db_file.with_name(db_file.name + ".sleutel").write_text('{"kdf": {"n": 3}}', encoding="utf-8")
    db_file.write_bytes(b"")
    listed = faults.run("--db", str(db_file), "backup", "--list")
    assert listed.code == 0 and not listed.crashed
    assert "1 back-ups" in listed.out


def test_audit_check_compares_with_what_the_backups_recorded(school) -> None:
    from uitstroom.services import vault
    from uitstroom.storage import cipher

    _made, db_file = school
    key = vault.unlock(db_file, faults.PASSPHRASE)
    connection = cipher.connect(db_file, key)
    connection.execute("DROP TRIGGER audit_event_no_delete")
    connection.execute("DELETE FROM audit_event WHERE id > (SELECT max(id) - 2 FROM audit_event)")
    connection.commit()
    connection.close()
    result = faults.run("--db", str(db_file), "audit", "--check", "--json")
    body = json.loads(result.out)
    assert result.code == 1
    assert body["check"]["anchor_problems"]
    assert "weggehaald" in body["check"]["anchor_problems"][0]


def test_an_inzage_file_records_the_log_head_and_audit_check_uses_it(school) -> None:
    from uitstroom.services import vault
    from uitstroom.storage import cipher

    _made, db_file = school
    folder = db_file.parent / "inzage"
    folder.mkdir()
    made = faults.run("--db", str(db_file), "inzage", "--pupil", "100001", "--out", str(folder))
    assert made.code == 0, made.err
    json_file = next(folder.glob("*.json"))
    head = json.loads(json_file.read_text(encoding="utf-8"))["logboek_kop"]
    assert head["regels"] > 0 and len(head["laatste_hash"]) == 64
    # Everything after the backup cut, so only the inzage file still knows the length.
    key = vault.unlock(db_file, faults.PASSPHRASE)
    connection = cipher.connect(db_file, key)
    connection.execute("DROP TRIGGER audit_event_no_delete")
    connection.execute(f"DELETE FROM audit_event WHERE id >= {head['regels']}")
    connection.commit()
    connection.close()
    result = faults.run("--db", str(db_file), "audit", "--check", "--anker", str(json_file))
    assert result.code == 1
    assert json_file.name in result.out and "weggehaald" in result.out


def test_restore_without_a_file_takes_the_newest_whole_backup(school) -> None:
    made, db_file = school
    added = faults.run("--db", str(db_file), "demo")  # refused: the school is not empty
    assert added.code == 1
    restored = faults.run("--db", str(db_file), "restore")
    assert restored.code == 0, restored.err
    assert "Teruggezet: de back-up van" in restored.out
    _run, text = faults.export_text(db_file)
    assert text == made.exported
