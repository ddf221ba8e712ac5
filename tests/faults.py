"""Damaged files made by the hundred, and the invariants each must keep (issue 14).

A case copies a small finished school (a database with six fictional pupils, its key file, a
backup folder with a backup and the key store), damages one thing, and runs the real commands
in-process (uitstroom.cli.main) as IT would: `export`, then `restore` (the newest good backup)
when the export was refused, then `export` again. The invariants, checked on every case:

- never a traceback (an exception out of main() is one);
- never a new key for an existing path: every key file present afterwards wraps the school's
  own database id, and the key store still holds it;
- no command reports success on damaged data: an export that succeeds equals what was saved;
- the message names the right cause (the Dutch words for it are in EXPECTED);
- after `restore` the export equals what the backup held, without moving a file by hand.

Used by tests/storage/test_faults.py (a fast subset in `make test`) and bench/faults.py (every
case, with the count of cases and failures printed). scrypt's cost is lowered while a suite
runs (keys.SCRYPT_N 2^14, still within what a key file may ask): the suite tests damage, not the
key derivation, and 2^17 would make it minutes longer.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring

from keyring_double import MemoryKeyring
from uitstroom import cli
from uitstroom.storage import keys

PASSPHRASE = "fout bestand proef herstel wachtwoord"
DB = "uitstroom.db"

# The words each cause must bring to the screen (domain.damage's messages).
EXPECTED = {
    "damaged": "is beschadigd",
    "empty": "is leeg",
    "missing": "ontbreekt",
    "full": "schijf is vol",
    "first-page": "niet open met deze sleutel",
}


@dataclass
class Outcome:
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class Run:
    code: int
    out: str
    err: str
    crashed: str = ""


def run(*argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            code = cli.main(list(argv), out=out)
    except SystemExit as exc:
        code = int(exc.code or 0)
    except BaseException:
        return Run(-1, out.getvalue(), err.getvalue(), traceback.format_exc())
    return Run(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def suite_environment(folder: Path) -> Iterator[None]:
    """The passphrase in a file as scripts give it, a keychain that starts empty for every
    case (so the passphrase path is the one tried), and the cheaper scrypt."""
    secret = folder / "wachtwoord.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    saved_env = os.environ.get("UITSTROOM_PASSPHRASE_FILE")
    saved_n = keys.SCRYPT_N
    saved_ring = keyring.get_keyring()
    os.environ["UITSTROOM_PASSPHRASE_FILE"] = str(secret)
    keys.SCRYPT_N = 2**14
    try:
        yield
    finally:
        keys.SCRYPT_N = saved_n
        keyring.set_keyring(saved_ring)
        if saved_env is None:
            os.environ.pop("UITSTROOM_PASSPHRASE_FILE", None)
        else:
            os.environ["UITSTROOM_PASSPHRASE_FILE"] = saved_env


def fresh_keychain() -> None:
    keyring.set_keyring(MemoryKeyring())


@dataclass(frozen=True)
class School:
    """The finished school every case starts from."""

    folder: Path
    database_id: str
    exported: str  # the export of what was saved (and is in the newest backup)
    wal_folder: Path  # the same school with a log of committed transactions left by a crash
    wal_exported: str


def export_text(db_file: Path) -> tuple[Run, str]:
    target = db_file.parent / "export.csv"
    target.unlink(missing_ok=True)
    result = run("--db", str(db_file), "export", str(target))
    text = target.read_text(encoding="utf-8-sig") if result.code == 0 else ""
    target.unlink(missing_ok=True)
    return result, text


def make_school(folder: Path) -> School:
    fresh_keychain()
    db_file = folder / "school" / DB
    made = run("--db", str(db_file), "demo", "--aantal", "6")
    assert made.code == 0, made.err + made.crashed
    backup = run("--db", str(db_file), "backup")
    assert backup.code == 0, backup.err + backup.crashed
    database_id = keys.read_keyfile(db_file).database_id
    first, exported = export_text(db_file)
    assert first.code == 0, first.err
    wal_folder = folder / "school-met-log"
    shutil.copytree(db_file.parent, wal_folder)
    wal_exported = _leave_a_log(wal_folder / DB)
    return School(db_file.parent, database_id, exported, wal_folder, wal_exported)


def _leave_a_log(db_file: Path) -> str:
    """Pupils added in separate transactions by a program that is then killed: the log keeps
    them (SQLite folds it in at the next open). Returns the export that must come back."""
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from uitstroom.services import vault\n"
        "from uitstroom.storage import keys\n"
        "from uitstroom.services.database import open_database\n"
        "from uitstroom.services.pupils import PupilService\n"
        "from factories import make_pupil\n"
        "keys.SCRYPT_N = 2**14\n"
        "path = Path(sys.argv[1])\n"
        "key = vault.unlock(path, sys.argv[2])\n"
        "db = open_database(path, key)\n"
        "with db.engine.connect() as c:\n"
        "    c.exec_driver_sql('PRAGMA wal_autocheckpoint = 0')\n"
        "service = PupilService(db.sessions)\n"
        "for n in range(5):\n"
        "    service.create(make_pupil(leerlingnummer=str(990001 + n), achternaam=f'Log{n}'), "
        "service.cohorts()[-1].label)\n"
        "os._exit(0)  # no checkpoint, no close: as after a crash\n"
    )
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [os.sys.executable, "-c", script, str(db_file), PASSPHRASE],  # type: ignore[attr-defined]
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    wal = db_file.with_name(DB + "-wal")
    assert wal.exists() and wal.stat().st_size > 32
    # What the log holds comes back when the copy is read (no checkpoint into the original).
    probe = db_file.parent.parent / "log-probe"
    shutil.copytree(db_file.parent, probe)
    fresh_keychain()
    result, text = export_text(probe / DB)
    shutil.rmtree(probe)
    assert result.code == 0, result.err
    return text


# --- the cases ------------------------------------------------------------------------------
Damage = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    damage: Damage
    cause: str | None  # the EXPECTED key the message must name; None: the command may succeed
    with_log: bool = False
    restorable: bool = True


def _truncate(size: Callable[[int], int]) -> Damage:
    def damage(folder: Path) -> None:
        file = folder / DB
        os.truncate(file, size(file.stat().st_size))

    return damage


def _flip(name: str, offset: Callable[[int], int]) -> Damage:
    def damage(folder: Path) -> None:
        file = folder / name
        data = bytearray(file.read_bytes())
        data[offset(len(data)) % len(data)] ^= 0x10
        file.write_bytes(bytes(data))

    return damage


def _keyfile_field(field_name: str, change: Callable[[object], object]) -> Damage:
    def damage(folder: Path) -> None:
        file = folder / (DB + keys.KEYFILE_SUFFIX)
        data = json.loads(file.read_text(encoding="utf-8"))
        if field_name in ("n", "r", "p"):
            data["kdf"][field_name] = change(data["kdf"][field_name])
        else:
            data[field_name] = change(data[field_name])
        file.write_text(json.dumps(data), encoding="utf-8")

    return damage


def _b64_flip(value: object) -> object:
    import base64

    raw = bytearray(base64.b64decode(str(value)))
    raw[len(raw) // 2] ^= 1
    return base64.b64encode(bytes(raw)).decode("ascii")


def cases(school: School, density: int = 1) -> list[Case]:
    """Every case; `density` 1 is the bench's full set, higher numbers thin the offsets out
    for the fast subset in `make test`."""
    size = (school.folder / DB).stat().st_size
    wal_size = (school.wal_folder / (DB + "-wal")).stat().st_size
    keyfile_text = (school.folder / (DB + keys.KEYFILE_SUFFIX)).read_text(encoding="utf-8")
    found: list[Case] = [
        Case("database leeg (0 bytes)", _truncate(lambda _n: 0), "empty"),
        Case("database weg, sleutel nog daar", lambda f: (f / DB).unlink(), "missing"),
        Case("sleutelbestand weg", lambda f: (f / (DB + ".sleutel")).unlink(), None),
        Case("sleutelbestand leeg", lambda f: (f / (DB + ".sleutel")).write_bytes(b""), None),
        Case(
            "sleutelbestand half",
            lambda f: (f / (DB + ".sleutel")).write_text(keyfile_text[:60], encoding="utf-8"),
            None,
        ),
        Case(
            "sleutelkopie in back-upmap kapot",
            lambda f: (
                [p.write_text("{}", encoding="utf-8") for p in f.glob("backups/**/*.sleutel")]
                and None
            ),
            None,
        ),
    ]
    for cut in range(1, 40, density):
        found.append(
            Case(f"afgekapt op {cut}/40", _truncate(lambda n, c=cut: n * c // 40), "damaged")
        )
    for pages in (1, 2, 3):
        found.append(
            Case(
                f"laatste {pages} pagina's weg",
                _truncate(lambda n, p=pages: n - 4096 * p),
                "damaged",
            )
        )
    step = max(size // (200 // density), 1)
    for offset in range(0, size, step):
        cause = "first-page" if offset < 4096 else "damaged"
        if offset < 16:
            cause = "first-page"  # the file's salt: page 1 no longer decrypts
        found.append(Case(f"byte {offset} omgedraaid", _flip(DB, lambda _n, o=offset: o), cause))
    for name, change in (
        ("n", lambda v: 3),
        ("n", lambda v: 2**40),
        ("n", lambda v: "veel"),
        ("r", lambda v: 0),
        ("r", lambda v: 10**9),
        ("p", lambda v: -1),
        ("p", lambda v: 1.5),
        ("salt", _b64_flip),
        ("nonce", _b64_flip),
        ("ciphertext", _b64_flip),
        ("database_id", lambda v: str(v)[:-1] + ("0" if str(v)[-1] != "0" else "1")),
        ("format", lambda v: "iets-anders"),
        ("controle", lambda v: "0" * 64),
    ):
        found.append(Case(f"sleutelbestand: {name} veranderd", _keyfile_field(name, change), None))
    key_size = len(keyfile_text.encode("utf-8"))
    for offset in range(0, key_size, max(1, 3 * density)):
        found.append(
            Case(
                f"sleutelbestand byte {offset} omgedraaid",
                _flip(DB + keys.KEYFILE_SUFFIX, lambda _n, o=offset: o),
                None,
            )
        )
    frame = 24 + 4096
    frames = (wal_size - 32) // frame
    # The last transaction is left out: a flipped byte there cannot be told from a write cut
    # short by the crash (SQLite drops both, and no commit of it was confirmed). Its frames are
    # the last ones; every earlier frame is covered.
    for index in range(0, max(frames - 3, 0), density):
        for at in (4, 30, 2000):
            offset = 32 + index * frame + at
            found.append(
                Case(
                    f"logboek frame {index} byte {at} omgedraaid",
                    _flip(DB + "-wal", lambda _n, o=offset: o),
                    "damaged",
                    with_log=True,
                )
            )
    found.append(
        Case("logboek kop omgedraaid", _flip(DB + "-wal", lambda _n: 12), "damaged", with_log=True)
    )
    return found


def key_ids(folder: Path) -> set[str]:
    """The database ids of every readable key file in the case's folder and backup folder."""
    found = set()
    for file in folder.glob("**/*.sleutel"):
        with contextlib.suppress(OSError, keys.KeyFileDamaged):
            found.add(keys.read_wrapped(file).database_id)
    return found


def check(case: Case, school: School, work: Path) -> Outcome:
    outcome = Outcome(case.name)
    source = school.wal_folder if case.with_log else school.folder
    expected = school.wal_exported if case.with_log else school.exported
    folder = work / "geval"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder)
    case.damage(folder)
    db_file = folder / DB
    fresh_keychain()
    first, text = export_text(db_file)
    if first.crashed:
        outcome.failures.append(f"traceback bij export:\n{first.crashed}")
        return outcome
    ids = key_ids(folder)
    if ids - {school.database_id}:
        outcome.failures.append(f"een nieuwe sleutel voor een bestaand pad: {ids}")
    if school.database_id not in key_ids(folder / "backups" / keys.KEY_STORE):
        outcome.failures.append("de sleutel van de school staat niet meer in de back-upmap")
    if first.code == 0:
        if text != expected:
            outcome.failures.append("export gelukt, maar met andere gegevens dan opgeslagen")
        if case.cause is not None:
            outcome.failures.append(f"export gelukt op beschadigde gegevens ({case.cause})")
        return outcome
    if case.cause is None:
        outcome.failures.append(f"export geweigerd waar het moest lukken: {first.err.strip()}")
        return outcome
    if EXPECTED[case.cause] not in first.err and not (
        case.cause == "first-page" and EXPECTED["damaged"] in first.err
    ):
        outcome.failures.append(
            f"de melding noemt niet '{EXPECTED[case.cause]}': {first.err.strip()[:300]}"
        )
    if "Traceback" in first.err:
        outcome.failures.append("traceback in de melding")
    if not case.restorable:
        return outcome
    fresh_keychain()
    restored = run("--db", str(db_file), "restore")
    if restored.crashed or restored.code != 0:
        outcome.failures.append(
            f"restore mislukt ({restored.code}): {restored.err.strip()[:300]}{restored.crashed}"
        )
        return outcome
    fresh_keychain()
    again, text = export_text(db_file)
    if again.code != 0 or text != school.exported:
        outcome.failures.append(f"na restore klopt de export niet: {again.err.strip()[:300]}")
    return outcome


# --- a full disk ----------------------------------------------------------------------------
def tmpfs_available() -> bool:
    """Root on Linux with a mount that works (CI runs as root; a laptop usually not)."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    with tempfile.TemporaryDirectory() as probe:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], capture_output=True
        )
        if mounted.returncode != 0:
            return False
        subprocess.run(["umount", probe], check=False)
    return True


@contextlib.contextmanager
def small_disk(size_kb: int) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="uitstroom-vol-"))
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)], check=True
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def fill(disk: Path, leave: int) -> Path:
    """A filler file that leaves about `leave` bytes free on the small disk."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    filler = disk / "vulling"
    with open(filler, "wb") as stream:
        stream.write(b"\0" * max(free - leave, 0))
    return filler


def disk_full_cases(school: School, leaves: list[int]) -> Iterator[Outcome]:
    """Creating, importing and backing up with `leave` bytes free; then space is made and the
    same command must work, with nothing half-written in between."""
    from import_files import pupil_rows, write_csv  # the tests' own generator of exports

    for leave in leaves:
        # Creating a new database.
        with small_disk(8192) as disk:
            outcome = Outcome(f"schijf vol bij aanmaken ({leave // 1024} KB vrij)")
            filler = fill(disk, leave)
            fresh_keychain()
            made = run("--db", str(disk / "nieuw" / DB), "demo", "--aantal", "6")
            if made.crashed:
                outcome.failures.append(made.crashed)
            elif made.code != 0:
                if EXPECTED["full"] not in made.err.lower():
                    outcome.failures.append(f"melding noemt geen volle schijf: {made.err[:300]}")
                left = sorted(p.name for p in (disk / "nieuw").glob("*") if p.name != DB + ".lock")
                if (disk / "nieuw" / DB).exists() and (disk / "nieuw" / DB).stat().st_size == 0:
                    outcome.failures.append("een lege database achtergelaten")
                anything = (disk / "nieuw" / DB).exists() or any(".sleutel" in n for n in left)
                if anything and not _opens_whole(disk / "nieuw" / DB):
                    outcome.failures.append(f"half gebouwd achtergelaten: {left}")
            filler.unlink()
            fresh_keychain()
            again = run("--db", str(disk / "nieuw" / DB), "export", str(disk / "x.csv"))
            if made.code != 0 and again.code not in (0,):
                retry = run("--db", str(disk / "nieuw" / DB), "demo", "--aantal", "6")
                if retry.code != 0:
                    outcome.failures.append(f"na ruimte maken lukt het niet: {retry.err[:300]}")
            yield outcome
        # Importing into, and backing up, a school on a nearly full disk.
        for step in ("import", "backup"):
            with small_disk(16384) as disk:
                outcome = Outcome(f"schijf vol bij {step} ({leave // 1024} KB vrij)")
                shutil.copytree(school.folder, disk / "school")
                db_file = disk / "school" / DB
                export = Path(tempfile.mkdtemp()) / "export.csv"
                write_csv(export, pupil_rows(300))
                before = db_file.read_bytes()
                filler = fill(disk, leave)
                fresh_keychain()
                args = ("import", str(export)) if step == "import" else ("backup",)
                done = run("--db", str(db_file), *args)
                if done.crashed:
                    outcome.failures.append(done.crashed)
                elif done.code != 0:
                    if EXPECTED["full"] not in done.err.lower():
                        outcome.failures.append(
                            f"melding noemt geen volle schijf: {done.err[:300]}"
                        )
                    partial = list((disk / "school" / "backups").glob("*.deel"))
                    if partial:
                        outcome.failures.append(f"halve back-up achtergelaten: {partial}")
                elif step == "import" and db_file.read_bytes() == before:
                    outcome.failures.append("import meldt succes maar de database is gelijk")
                filler.unlink()
                if done.code != 0 and step == "import":
                    fresh_keychain()
                    _run, text = export_text(db_file)
                    if text != school.exported:
                        outcome.failures.append("database veranderd na een mislukte import")
                fresh_keychain()
                again = run("--db", str(db_file), *args)
                if again.code != 0:
                    outcome.failures.append(f"na ruimte maken lukt {step} niet: {again.err[:300]}")
                shutil.rmtree(export.parent, ignore_errors=True)
                yield outcome


def migration_full_cases(leaves: list[int]) -> Iterator[Outcome]:
    """A database of the first schema (tests/data) opened on a nearly full disk: the backup
    before the update or the update itself runs out of room. The file must stay as it was,
    the message must name the full disk, and once there is room it opens at the newest schema."""
    from uitstroom.services.database import open_database
    from uitstroom.storage import migrate

    data = Path(__file__).parent / "data"
    key = bytes.fromhex((data / "first_schema.key").read_text().strip())
    for leave in leaves:
        with small_disk(4096) as disk:
            outcome = Outcome(f"schijf vol bij bijwerken van het schema ({leave // 1024} KB vrij)")
            db_file = disk / "oud.db"
            shutil.copyfile(data / "first_schema.db", db_file)
            before = db_file.read_bytes()
            filler = fill(disk, leave)
            try:
                open_database(db_file, key).close()
            except Exception as exc:  # a Dutch refusal is expected; anything else is a failure
                if EXPECTED["full"] not in str(exc).lower():
                    outcome.failures.append(f"{type(exc).__name__}: {str(exc)[:300]}")
                if db_file.read_bytes() != before:
                    outcome.failures.append("het bestand is veranderd na een mislukte update")
                if list(disk.glob("backups/*.deel")):
                    outcome.failures.append("een halve back-up achtergelaten")
            filler.unlink()
            try:
                db = open_database(db_file, key)
                try:
                    if migrate.needs_upgrade(db.engine):
                        outcome.failures.append("na ruimte maken niet bijgewerkt")
                finally:
                    db.close()
            except Exception as exc:
                outcome.failures.append(f"na ruimte maken gaat hij niet open: {exc}"[:300])
            yield outcome


def _opens_whole(db_file: Path) -> bool:
    if not db_file.exists():
        return False
    fresh_keychain()
    result = run("--db", str(db_file), "export", str(db_file.parent / "probe.csv"))
    return result.code == 0
