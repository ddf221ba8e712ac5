"""Twenty people logging nazorg calls at the same time for a minute, on a local PostgreSQL
server (and on the encrypted SQLite file for comparison): `python -m bench.concurrent`.

Every simulated user is a thread with its own engine, so its own connection, and its own
NazorgService as a mentor would have it. Half of the calls go to a handful of "hot" leavers, so
two people often log a call for the same young person in the same moment; one action in five
is an edit of a hot leaver's phone number through the pupil form's service (read, change,
save; on a conflict read again and redo, as the message asks). Afterwards the
database is checked against what the users were told: every call that was reported stored is
there (per leaver too), the file's version went up once per call and the pupil's once per
stored edit (no update lost), and the audit trail is whole. The issue's budget: no lost update and no error.

    python -m bench.concurrent [--seconds 60] [--users 20] [--leavers 200] [--backend both]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import Actor, Role
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.model import Pupil, SchoolSettings
from uitstroom.domain.nazorg import CallRecord, CallStatus, Channel, Destination, Leaving
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database, open_database
from uitstroom.services.errors import ConflictError
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.storage import cipher
from uitstroom.storage.engine import make_engine, make_session_factory
from uitstroom.storage.keys import new_data_key
from uitstroom.storage.models import AuditEventRow, LeavingRow, NazorgCallRow, PupilRow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pg import Cluster, NoPostgres  # the tests' throwaway server

NOW = datetime(2027, 9, 20, 10, 0)
HOT = 8  # leavers that everybody calls, to make collisions likely


@dataclass
class UserTally:
    calls: Counter[int] = field(default_factory=Counter)
    conflicts_shown: int = 0
    retried: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    edits: Counter[int] = field(default_factory=Counter)
    edit_conflicts: int = 0
    edits_given_up: int = 0


def seed(db: Database, leavers: int) -> list[int]:
    SchoolService(db.sessions).save_settings(
        SchoolSettings(name="ROC De Vaart (bench)", coordinator_name="Marloes")
    )
    pupils = PupilService(db.sessions, clock=lambda: datetime(2026, 9, 1, 9))
    nazorg = NazorgService(db.sessions, clock=lambda: NOW)
    ids = []
    for n in range(leavers):
        record = pupils.create(
            Pupil(f"7{n:05d}", "Sam", f"Bench {n}", mentor=f"Mentor {n % 20}"), "2026-2027"
        )
        assert record.pupil.id is not None
        nazorg.record_leaving(
            record.pupil.id,
            Leaving(date(2027, 7, 10), Destination.WERK, employer="Bakkerij Jansen"),
        )
        ids.append(record.pupil.id)
    return ids


def versions(sessions: sessionmaker[Session]) -> dict[int, int]:
    with sessions() as session:
        return dict(session.execute(select(LeavingRow.pupil_id, LeavingRow.version)).all())


def pupil_versions(sessions: sessionmaker[Session]) -> dict[int, int]:
    with sessions() as session:
        return dict(session.execute(select(PupilRow.id, PupilRow.version)).all())


def edit_phone(
    pupils: PupilService, pupil_id: int, chance: random.Random, tally: UserTally
) -> None:
    """What a person does with the conflict message: read again, type it again, save."""
    for _ in range(20):
        loaded = pupils.record(pupil_id).pupil
        phone = f"06 {chance.randrange(10**8):08d}"
        try:
            pupils.save(replace(loaded, telefoon=phone))
        except ConflictError:
            tally.edit_conflicts += 1
            continue
        tally.edits[pupil_id] += 1
        return
    tally.edits_given_up += 1


def run_users(
    make_sessions: list[sessionmaker[Session]], ids: list[int], seconds: float
) -> list[UserTally]:
    tallies = [UserTally() for _ in make_sessions]
    deadline = time.monotonic() + seconds
    start = threading.Barrier(len(make_sessions))

    def work(n: int) -> None:
        tally = tallies[n]
        actor = Actor(f"Mentor {n}", Role.COORDINATOR)
        service = NazorgService(make_sessions[n], clock=lambda: NOW, actor=actor)
        pupils = PupilService(make_sessions[n], clock=lambda: NOW, actor=actor)
        chance = random.Random(n)
        start.wait()
        while time.monotonic() < deadline:
            if chance.random() < 0.2:
                try:
                    edit_phone(pupils, chance.choice(ids[:HOT]), chance, tally)
                except Exception as exc:  # every error is reported, none may happen
                    tally.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            pupil_id = chance.choice(ids[:HOT] if chance.random() < 0.5 else ids)
            reached = chance.random() < 0.3
            call = CallRecord(
                date(2027, 9, 19),
                reached,
                Channel.TELEFOON,
                CallStatus.WERK if reached else None,
                note="Gebeld vanuit de bench.",
            )
            began = time.perf_counter()
            try:
                service.log_call(pupil_id, call)
            except ConflictError:
                tally.conflicts_shown += 1
                continue
            except Exception as exc:  # every error is reported, none may happen
                tally.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            tally.latencies_ms.append((time.perf_counter() - began) * 1000)
            tally.calls[pupil_id] += 1
        tally.retried = service.retried_calls

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(make_sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tallies


def report(
    name: str,
    db: Database,
    before: tuple[dict[int, int], dict[int, int]],
    tallies: list[UserTally],
    s: float,
) -> None:
    told = Counter[int]()
    for tally in tallies:
        told.update(tally.calls)
    with db.sessions() as session:
        stored = Counter(
            dict(
                session.execute(
                    select(NazorgCallRow.pupil_id, func.count()).group_by(NazorgCallRow.pupil_id)
                ).all()
            )
        )
        lines = session.scalar(
            select(func.count())
            .select_from(AuditEventRow)
            .where(
                AuditEventRow.action == AuditAction.NAZORG.value,
                AuditEventRow.detail.startswith("nazorggesprek"),
            )
        )
    after = versions(db.sessions)
    edited = Counter[int]()
    for tally in tallies:
        edited.update(tally.edits)
    pupils_after = pupil_versions(db.sessions)
    lost_edits = sum(edited[p] - (pupils_after[p] - before[1][p]) for p in edited)
    missing = sum((told - stored).values())  # told stored, but not there
    extra = sum((stored - told).values())  # there, but the user was told it failed
    lost_versions = sum(told[p] - (after[p] - before[0][p]) for p in after if told[p])
    latencies = [ms for t in tallies for ms in t.latencies_ms]
    errors = [e for t in tallies for e in t.errors]
    total = sum(told.values())
    chain = AuditService(db.sessions).check()
    print(f"{name}: {len(tallies)} gebruikers, {s:g} s")
    print(f"  gesprekken vastgelegd            {total:>8}  ({total / s:.1f} per seconde)")
    print(
        f"  duur per gesprek (ms)            mediaan {statistics.median(latencies):.1f}, "
        f"p95 {statistics.quantiles(latencies, n=20)[18]:.1f}, max {max(latencies):.1f}"
    )
    print(f"  botsingen opnieuw geprobeerd     {sum(t.retried for t in tallies):>8}")
    print(f"  botsingen aan gebruiker gemeld   {sum(t.conflicts_shown for t in tallies):>8}")
    print(f"  verloren (gemeld, niet bewaard)  {missing:>8}")
    print(f"  dubbel (bewaard, niet gemeld)    {extra:>8}")
    print(f"  verloren versie-ophogingen       {lost_versions:>8}")
    print(f"  telefoonnummers gewijzigd        {sum(edited.values()):>8}")
    conflicts = sum(t.edit_conflicts for t in tallies)
    given_up = sum(t.edits_given_up for t in tallies)
    print(f"    botsing gemeld, opnieuw gedaan {conflicts:>8}  (opgegeven na 20 keer: {given_up})")
    print(f"    verloren wijzigingen           {lost_edits:>8}")
    print(f"  logboekregels voor gesprekken    {lines:>8}  (verwacht {total})")
    print(f"  logboek compleet                 {'ja' if chain.whole else 'NEE'}")
    print(f"  fouten                           {len(errors):>8}")
    for error in sorted(set(errors))[:5]:
        print(f"    {error}")
    ok = not (missing or extra or lost_versions or lost_edits or errors or given_up)
    ok = ok and lines == total and chain.whole
    print(f"  {'geen verloren wijziging en geen fout' if ok else 'NIET IN ORDE'}")


def on_server(users: int, leavers: int, seconds: float) -> None:
    try:
        cluster = Cluster()
    except NoPostgres as exc:
        print(f"PostgreSQL overgeslagen: {exc}")
        return
    cluster.start()
    try:
        url = cluster.url(cluster.create_database("concurrent"))
        db = open_database(url)
        try:
            ids = seed(db, leavers)
            before = versions(db.sessions), pupil_versions(db.sessions)
            engines = [make_engine(url) for _ in range(users)]
            tallies = run_users([make_session_factory(e) for e in engines], ids, seconds)
            for engine in engines:
                engine.dispose()
            version = cluster.admin().execute("SHOW server_version").fetchone()
            report(f"PostgreSQL {version[0] if version else ''}", db, before, tallies, seconds)
        finally:
            db.close()
    finally:
        cluster.stop()


def on_file(users: int, leavers: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="uitstroom-concurrent-") as folder:
        path, key = Path(folder) / "school.db", new_data_key()
        db = open_database(path, key)
        try:
            ids = seed(db, leavers)
            before = versions(db.sessions), pupil_versions(db.sessions)
            engines = [cipher.make_encrypted_engine(path, key) for _ in range(users)]
            tallies = run_users([make_session_factory(e) for e in engines], ids, seconds)
            for engine in engines:
                engine.dispose()
            report("SQLite (versleuteld bestand)", db, before, tallies, seconds)
        finally:
            db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--leavers", type=int, default=200)
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="both")
    args = parser.parse_args(argv)
    if args.backend in ("postgresql", "both"):
        on_server(args.users, args.leavers, args.seconds)
    if args.backend in ("sqlite", "both"):
        on_file(args.users, args.leavers, args.seconds)


def print_figures() -> None:
    """For `make bench` (bench/__main__.py): a shorter run on both backends."""
    main(["--seconds", "20"])


if __name__ == "__main__":
    main()
