"""`uitstroom attention` and `uitstroom calendar`: the same answer as the Vandaag view."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from icalendar import Calendar
from test_commands import run

from factories import TEST_PASSPHRASE
from uitstroom.commands.calendar import item_json
from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.planning import PlanningService

MARCH_20 = date(2027, 3, 20)


def demo_file(tmp_path: Path) -> tuple[Path, list[dict[str, object]]]:
    """The demo cohort, made in November; what the service says needs attention on 20 March."""
    path = tmp_path / "school.db"
    db = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    try:
        insert_demo_cohort(db.sessions, today=date(2026, 11, 23))
        expected = [item_json(i) for i in PlanningService(db.sessions).attention(MARCH_20)]
    finally:
        db.close()
    return path, expected


def test_attention_json_is_what_the_service_gives_the_screen(tmp_path: Path) -> None:
    path, expected = demo_file(tmp_path)
    result = run("--db", str(path), "attention", "--date", "2027-03-20", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected
    assert expected and expected[0]["group"] == "te_laat"
    late = [i for i in expected if i["group"] == "te_laat"]
    assert all(str(i["due"]) < "2027-03-20" for i in late)


def test_attention_as_text_is_grouped_and_filtered_by_klas(tmp_path: Path) -> None:
    path, expected = demo_file(tmp_path)
    result = run("--db", str(path), "attention", "--date", "2027-03-20", "--klas", "PRO4A")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    in_klas = [i for i in expected if i["klas"] == "PRO4A"]
    assert lines[0] == f"Te laat ({sum(i['group'] == 'te_laat' for i in in_klas)})"
    first = in_klas[0]
    assert lines[1] == f"  {first['name']} (PRO4A): {first['text']}"
    assert "PRO4B" not in result.stdout
    bad = run("--db", str(path), "attention", "--date", "20-03-2027")
    assert bad.returncode == 2
    assert "JJJJ-MM-DD" in bad.stderr


def test_calendar_file_per_klas_is_written(tmp_path: Path) -> None:
    path, _ = demo_file(tmp_path)
    target = tmp_path / "pro4a.ics"
    result = run("--db", str(path), "calendar", str(target), "--klas", "PRO4A")
    assert result.returncode == 0, result.stderr
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    pupils = [str(e["summary"]) for e in events if "(PRO4" in str(e["summary"])]
    assert pupils and all("(PRO4A)" in s for s in pupils)
    assert f"{len(events)} afspraken" in result.stdout
