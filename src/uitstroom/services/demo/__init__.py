"""A fictional demo cohort: invented names from many origins, plausible routes and stages.
Never real people's data.

texts holds the invented names and texts; cohort the school, its pupils and exit interviews;
handover the address book, consents and documents; leavers the former pupils and their nazorg.
"""

from __future__ import annotations

from uitstroom.services.demo.cohort import (
    bulk_insert_pupils,
    insert_demo_cohort,
    seed_demo_school,
)
from uitstroom.services.demo.leavers import DEMO_LEAVERS
from uitstroom.services.demo.texts import (
    ACHTERNAMEN,
    MENTOREN,
    ROEPNAMEN,
    demo_pupils,
    pupil_insert,
)

__all__ = [
    "ACHTERNAMEN",
    "DEMO_LEAVERS",
    "MENTOREN",
    "ROEPNAMEN",
    "bulk_insert_pupils",
    "demo_pupils",
    "insert_demo_cohort",
    "pupil_insert",
    "seed_demo_school",
]
