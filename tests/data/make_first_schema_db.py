"""Make tests/data/first_schema.db: a school's database as the first released version (schema
0001) left it, with a few fictional pupils. Run once; the file and its key are committed, so the
upgrade test keeps opening the very same bytes whatever the newest schema is:

    .venv/bin/python tests/data/make_first_schema_db.py

Raw SQL, not the models: the models follow the newest schema, this file must not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from alembic import command

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from uitstroom.storage import cipher, migrate  # noqa: E402

DATABASE = HERE / "first_schema.db"
# Fictional, for this test file only: the raw 32-byte SQLCipher key in hex.
KEY_FILE = HERE / "first_schema.key"
NOW = "2026-02-02 10:15:00.000000"

SCHOOL = {
    "name": "De Horizon (voorbeeldschool)",
    "school_type": "pro",
    "brin": "99XX",
    "coordinator_name": "Marloes Verbeek",
    "coordinator_phone": "030 123 45 67",
    "coordinator_email": "stage@dehorizon.example",
}
# (leerlingnummer, roepnaam, tussenvoegsel, achternaam, klas, profiel, route)
PUPILS = (
    ("100001", "Zoë", "van der", "Meer", "PRO4A", "arbeid", "arbeid"),
    ("100002", "Sem", "", "Çelik", "PRO4A", "vervolgonderwijs", "doorleren"),
    ("100003", "Aylin", "", "Ōtsuka-de Wit", "PRO4B", None, "onbekend"),
)


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    key = bytes.fromhex(KEY_FILE.read_text().strip()) if KEY_FILE.exists() else None
    if key is None:
        from uitstroom.storage.keys import new_data_key

        key = new_data_key()
        KEY_FILE.write_text(key.hex() + "\n")
    engine = cipher.make_encrypted_engine(DATABASE, key)
    command.upgrade(migrate.alembic_config(engine), "0001")
    with engine.begin() as connection:
        sql = connection.exec_driver_sql
        sql("INSERT INTO cohort (id, label) VALUES (1, '2025-2026')")
        sql(
            "INSERT INTO school_settings (id, name, school_type, brin, coordinator_name, "
            "coordinator_phone, coordinator_email, logo_png) VALUES (1, ?, ?, ?, ?, ?, ?, NULL)",
            tuple(SCHOOL.values()),
        )
        for n, (number, first, middle, last, klas, profiel, route) in enumerate(PUPILS, 1):
            sql(
                "INSERT INTO pupil (id, cohort_id, leerlingnummer, roepnaam, tussenvoegsel, "
                "achternaam, geboortedatum, klas, mentor, woongemeente, telefoon, email, "
                "uitstroomprofiel, mbo_opleiding, mbo_crebo, mbo_niveau, mbo_leerweg, "
                "startkwalificatie, ondersteuningsbehoefte, archived, imported_values, "
                "created_at, updated_at, version) VALUES "
                "(?, 1, ?, ?, ?, ?, ?, ?, 'mw. A. Kramer', 'Utrecht', '06 12345678', ?, ?, "
                "'', '', NULL, NULL, 'onbekend', ?, 0, ?, ?, ?, 1)",
                (
                    n,
                    number,
                    first,
                    middle,
                    last,
                    f"2008-0{n}-1{n}",
                    klas,
                    f"leerling{n}@example.nl",
                    profiel,
                    "Werkt het best met korte opdrachten.",
                    json.dumps({"klas": klas}),
                    NOW,
                    NOW,
                ),
            )
            sql(
                "INSERT INTO guardian (pupil_id, position, name, relation, phone, email) "
                "VALUES (?, 0, ?, 'ouder', '06 87654321', '')",
                (n, f"J. {last} (ouder van {first})"),
            )
            sql(
                "INSERT INTO route (pupil_id, route, mbo_instelling, opleiding, niveau, leerweg, "
                "aanmeldstatus, aanmelddatum, werkgever, functie, contract, instrumenten, "
                "aanbieder, toelichting) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'onbekend', ?, "
                "'', '')",
                (
                    n,
                    route,
                    "ROC De Vaart" if route == "doorleren" else "",
                    "Medewerker bakkerij" if route == "doorleren" else "",
                    "2" if route == "doorleren" else None,
                    "bol" if route == "doorleren" else None,
                    "aangemeld" if route == "doorleren" else "niet_aangemeld",
                    "2026-01-20" if route == "doorleren" else None,
                    "Tuincentrum De Linde" if route == "arbeid" else "",
                    "Medewerker groen" if route == "arbeid" else "",
                    "jobcoach" if route == "arbeid" else "",
                ),
            )
            sql(
                "INSERT INTO stage (pupil_id, leerbedrijf, contactpersoon, contact_telefoon, "
                'contact_email, start, "end", dagen_per_week, sbb_erkend, perspectief, '
                "toelichting) VALUES (?, ?, 'P. de Boer', '030 765 43 21', '', '2025-09-01', "
                "'2026-01-31', 2, 'ja', 'baan', '')",
                (n, f"Leerbedrijf {n} (verzonnen)"),
            )
            sql(
                "INSERT INTO timeline_entry (pupil_id, at, author, kind, text) "
                "VALUES (?, ?, 'Marloes Verbeek', 'notitie', ?)",
                (n, NOW, f"Gesprek met {first} over de stage gehad."),
            )
        sql(
            "INSERT INTO route_change (pupil_id, changed_on, old_route, new_route, reason, "
            "changed_by) VALUES (2, '2026-01-15', 'arbeid', 'doorleren', "
            "'Wil toch de opleiding bakker doen.', 'Marloes Verbeek')"
        )
    with engine.connect() as connection:
        # One self-contained file: no write-ahead log beside it.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("PRAGMA journal_mode = DELETE")
    engine.dispose()
    print(f"{DATABASE.name}: schema 0001, {len(PUPILS)} fictional pupils ({KEY_FILE.name})")


if __name__ == "__main__":
    main()
