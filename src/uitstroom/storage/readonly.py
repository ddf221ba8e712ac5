"""What a read-only login may read on the school's server, enforced by the server itself.

Read-only people (the uitstroom_readonly group: a team leader, a care coordinator who only
looks) see the lists and the figures, never support needs, notes or the details of the audit
trail. The services hide those too (domain.actor.sees_support_needs); on a server the database
refuses them as well, so a read-only login with psql or Excel reads no more than the program
shows:

- the columns below have no SELECT for uitstroom_readonly on the tables in `public`;
- the schema `uitstroom_alleen_lezen` holds a view per such table with those columns blank
  ('' or NULL), which the program reads: a read-only login's connection puts that schema first
  in its search_path (`use_readonly_views`), so the program's statements are unchanged;
- the details of the audit trail (`audit_event.detail`) are closed to mentors too: every login
  seals its own lines onto the chain and reads the chain's columns, but only the coordinator
  reads what the lines say.

A migration that adds a table says here whether columns are hidden (and grants them in the
same migration); tests/storage/test_server_grants.py walks every table and column against this.
"""

from __future__ import annotations

from typing import Any

READONLY = "uitstroom_readonly"
MENTOR = "uitstroom_mentor"
COORDINATOR = "uitstroom_coordinator"
VIEWS = "uitstroom_alleen_lezen"

# Special-category data and free text about a young person (support needs, notes, the reason
# someone stopped school, the help they asked for, a scan of a signed form).
HIDDEN_FROM_READONLY: dict[str, frozenset[str]] = {
    "pupil": frozenset({"ondersteuningsbehoefte"}),
    "timeline_entry": frozenset({"text"}),
    "paspoort": frozenset({"nodig", "aanpak", "aanpassingen"}),
    "nazorg_call": frozenset({"note"}),
    "exit_interview": frozenset({"note", "dropout_reason", "other_dropout_reasons", "help_wanted"}),
    "consent_scan": frozenset({"data"}),
}
# What a line of the trail says; readable by the coordinator only.
AUDIT_DETAILS = frozenset({"detail"})
# Every other table, whole: the lists, routes, tasks, figures, the address book, and the
# trail's columns other than its details. A table missing from both lists fails the test.
READABLE_BY_READONLY = frozenset(
    {
        "aggregate_figure", "agreement", "alembic_version", "app_user", "audit_event",
        "change_marker", "cohort", "consent", "contact_person", "credential", "document_log",
        "guardian", "leaving", "nazorg_moment", "nazorg_signal", "organisation", "overleg",
        "overleg_decision", "plan_contact", "pupil_task", "retention_rule", "route",
        "route_change", "school_settings", "stage", "task_template", "transitieplan",
    }
)  # fmt: skip

_IS_ONLY_READONLY = f"""
SELECT CASE WHEN to_regnamespace('{VIEWS}') IS NULL
             OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READONLY}') THEN false
            WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN false
            ELSE pg_has_role(current_user, '{READONLY}', 'MEMBER')
                 AND NOT EXISTS (
                     SELECT FROM pg_roles
                     WHERE rolname IN ('{COORDINATOR}', '{MENTOR}')
                       AND pg_has_role(current_user, oid, 'MEMBER'))
       END
"""


def use_readonly_views(dbapi_connection: Any, _record: Any = None) -> None:
    """On every new server connection (an engine 'connect' listener): a login that is only
    read-only reads the tables through the views of uitstroom_alleen_lezen."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(_IS_ONLY_READONLY)
        (readonly,) = cursor.fetchone()
        if readonly:
            cursor.execute(f"SET search_path TO {VIEWS}, public")
    finally:
        cursor.close()
    # SET belongs to the transaction it ran in: commit it, or the pool's rollback undoes it.
    dbapi_connection.commit()
