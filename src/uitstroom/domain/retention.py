"""How long the school keeps what it knows about a pupil, and what has expired on a given day.

The school sets a period per category, counted in months from the end of the pupil's nazorg.
The AVG asks for no longer than needed; the law asks pro and vso to follow a school leaver for
two years (mbo: one year in current practice), so nothing is due before nazorg has ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from uitstroom.domain.dates import add_months
from uitstroom.domain.enums import LabelledEnum, SchoolType
from uitstroom.domain.schoolyear import SchoolYear


class RetentionCategory(LabelledEnum):
    BEGELEIDINGSNOTITIES = "begeleidingsnotities", "Begeleidingsnotities"
    ONDERSTEUNINGSBEHOEFTE = "ondersteuningsbehoefte", "Ondersteuningsbehoefte"
    LEERLINGGEGEVENS = "leerlinggegevens", "Alle gegevens van de leerling"


# What each category covers, in the words the retention screen and the inzage use.
CATEGORY_SCOPE: dict[RetentionCategory, str] = {
    RetentionCategory.BEGELEIDINGSNOTITIES: "de notities op de tijdlijn",
    RetentionCategory.ONDERSTEUNINGSBEHOEFTE: "wat de leerling nodig heeft (ondersteuning)",
    RetentionCategory.LEERLINGGEGEVENS: (
        "de hele leerling: gegevens, ouders/verzorgers, route, stages en tijdlijn"
    ),
}

# The school's defaults: two years after nazorg for the sensitive texts (issue 3). The whole
# record goes at the same time: after that the school has no task left with this pupil.
DEFAULT_MONTHS: dict[RetentionCategory, int] = {
    RetentionCategory.BEGELEIDINGSNOTITIES: 24,
    RetentionCategory.ONDERSTEUNINGSBEHOEFTE: 24,
    RetentionCategory.LEERLINGGEGEVENS: 24,
}
MAX_MONTHS = 120

# Months of nazorg after the school year in which the pupil leaves (Wet van school naar
# duurzaam werk: pro and vso two years; mbo nazorg runs up to one year).
NAZORG_MONTHS: dict[SchoolType, int] = {SchoolType.PRO: 24, SchoolType.VSO: 24, SchoolType.MBO: 12}


def nazorg_end(cohort_label: str, school_type: SchoolType) -> date | None:
    """When nazorg ends for a pupil of this cohort: the end of the school year (31 July) in
    which they leave, plus the nazorg period. None for a label that is no school year: such a
    pupil cannot be dated and is never purged.

    Until the nazorg plans exist (a later issue) this is the same date for a whole cohort;
    that issue replaces it with the end date of each pupil's own nazorg plan."""
    try:
        year = SchoolYear.parse(cohort_label)
    except ValueError:
        return None
    return add_months(year.last_day, NAZORG_MONTHS[school_type])


def kept_until(end_of_nazorg: date, months: int) -> date:
    """The last day this category may be kept."""
    return add_months(end_of_nazorg, months)


@dataclass(frozen=True)
class HeldData:
    """What the database still holds about one pupil, per category."""

    pupil_id: int
    cohort_label: str
    note_count: int
    has_support: bool
    # The end of this pupil's own nazorg plan, once such plans exist; else the cohort's rule.
    nazorg_end: date | None = None


@dataclass(frozen=True)
class Expired:
    pupil_id: int
    category: RetentionCategory
    since: date  # the first day past the retention period


def rules_with_defaults(rules: Mapping[RetentionCategory, int]) -> dict[RetentionCategory, int]:
    return {category: rules.get(category, DEFAULT_MONTHS[category]) for category in DEFAULT_MONTHS}


def expired(
    held: Iterable[HeldData],
    rules: Mapping[RetentionCategory, int],
    school_type: SchoolType,
    today: date,
) -> list[Expired]:
    """What has passed its retention period on `today`. A pupil whose whole record is due
    gets that one item only: removing the pupil removes the notes and the support needs too."""
    months = rules_with_defaults(rules)
    found: list[Expired] = []
    for pupil in held:
        end = pupil.nazorg_end or nazorg_end(pupil.cohort_label, school_type)
        if end is None:
            continue

        def since(category: RetentionCategory, end: date = end) -> date:
            return kept_until(end, months[category]) + timedelta(days=1)

        whole = since(RetentionCategory.LEERLINGGEGEVENS)
        if whole <= today:
            found.append(Expired(pupil.pupil_id, RetentionCategory.LEERLINGGEGEVENS, whole))
            continue
        for category, present in (
            (RetentionCategory.BEGELEIDINGSNOTITIES, pupil.note_count > 0),
            (RetentionCategory.ONDERSTEUNINGSBEHOEFTE, pupil.has_support),
        ):
            if present and since(category) <= today:
                found.append(Expired(pupil.pupil_id, category, since(category)))
    return found


def purge_due(last_purge_on: date | None, today: date) -> bool:
    """The purge is offered once a month: when it never ran, or ran a month or more ago."""
    return last_purge_on is None or add_months(last_purge_on, 1) <= today
