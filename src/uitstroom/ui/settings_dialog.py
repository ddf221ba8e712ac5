"""Schoolgegevens: what later appears on every document, and which profiles a pupil can have."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from uitstroom.domain.enums import SchoolType
from uitstroom.domain.holidays import Region
from uitstroom.domain.model import MAX_AUTO_LOCK_MINUTES, SchoolSettings
from uitstroom.domain.validation import check_email, check_email_domains, check_phone
from uitstroom.services.pupils import SchoolService
from uitstroom.ui.forms import (
    ChoiceField,
    DateField,
    Field,
    FormDialog,
    ImageField,
    NumberEdit,
    NumberField,
    TextField,
    enum_choices,
)

if TYPE_CHECKING:
    from uitstroom.services.planning import PlanningService


class AutoLockEdit(NumberEdit):
    """Minutes before the auto-lock; the lowest value reads 'nooit' and means 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(1, MAX_AUTO_LOCK_MINUTES, " minuten", parent)
        self.setSpecialValueText("nooit")

    def field_value(self) -> int:
        return self.value()

    def set_field_value(self, value: int | None) -> None:
        self.setValue(value or 0)


@dataclass(frozen=True, kw_only=True)
class AutoLockField(Field):
    def create(self, parent: QWidget | None) -> QWidget:
        return AutoLockEdit(parent)


SCHOOL_FIELDS: tuple[Field, ...] = (
    TextField(name="name", label="Naam van de school", max_length=200),
    ChoiceField(
        name="school_type",
        label="Soort school",
        choices=enum_choices(SchoolType),
        tooltip="Bepaalt welke uitstroomprofielen u bij een leerling kunt kiezen.",
    ),
    TextField(name="brin", label="BRIN", placeholder="bijv. 12AB", max_length=10),
    TextField(name="coordinator_name", label="Naam coördinator", max_length=200),
    TextField(name="coordinator_phone", label="Telefoon coördinator", max_length=40),
    TextField(name="coordinator_email", label="E-mail coördinator", max_length=200),
    ImageField(name="logo_png", label="Logo (PNG of SVG)", tooltip="Komt bovenaan elk document."),
    TextField(
        name="address",
        label="Adres van de school",
        multiline=True,
        placeholder="Straat en huisnummer\nPostcode en plaats",
        tooltip="Komt met telefoon, e-mail en website rechtsboven op elk document en elke brief.",
    ),
    TextField(name="phone", label="Telefoon school", max_length=40),
    TextField(name="email", label="E-mail school", max_length=200),
    TextField(name="website", label="Website", placeholder="bijv. www.school.nl", max_length=200),
    TextField(
        name="email_domains",
        label="Maildomein van school",
        placeholder="bijv. roc-midden.nl, student.roc-midden.nl",
        max_length=200,
        tooltip="Het deel na de @ van de e-mailadressen van school. Zo'n adres werkt niet meer "
        "als een leerling van school gaat; het wordt nooit als e-mail na school gebruikt.",
    ),
    AutoLockField(
        name="auto_lock_minutes",
        label="Automatisch vergrendelen na",
        tooltip="Raakt niemand toetsenbord of muis aan, dan vergrendelt Uitstroom zich na zoveel "
        "minuten. Kies 'nooit' om dat uit te zetten; met Ctrl+L vergrendelt u zelf.",
    ),
)


# The school calendar (issue 4): stored through PlanningService, which re-plans open tasks.
CALENDAR_FIELDS: tuple[Field, ...] = (
    DateField(
        name="last_school_day",
        label="Laatste schooldag",
        tooltip="De dag dat de laatstejaars vertrekken. Leeg: 10 juli. De warme overdracht en "
        "de taken ervoor worden vanaf deze dag gepland.",
    ),
    NumberField(
        name="attention_days",
        label="Aandacht vanaf",
        minimum=1,
        maximum=60,
        suffix=" dagen vooraf",
        tooltip="Een taak krijgt de status ‘Aandacht’ en komt in ‘Vandaag’ zoveel dagen "
        "voor de datum.",
    ),
)
CALENDAR_FIELDS += (
    ChoiceField(
        name="holiday_region",
        label="Schoolvakanties",
        choices=enum_choices(Region, empty="Geen: alleen weekenden"),
        tooltip="Een taak die in een weekend of in een vakantie van deze regio valt, komt op "
        "de schooldag ervoor. Wettelijke data, zoals 1 april, blijven staan.",
    ),
)
CALENDAR_NAMES = {f.name for f in CALENDAR_FIELDS}


def settings_problems(values: dict[str, Any]) -> list[str]:
    problems = [] if values["name"] else ["Vul de naam van de school in."]
    for label, message in (
        ("Telefoon coördinator", check_phone(values["coordinator_phone"])),
        ("E-mail coördinator", check_email(values["coordinator_email"])),
        ("Telefoon school", check_phone(values["phone"])),
        ("E-mail school", check_email(values["email"])),
        ("Maildomein van school", check_email_domains(values["email_domains"])),
    ):
        if message:
            problems.append(f"{label}: {message}")
    return problems


class SettingsDialog(FormDialog):
    """After accept(), `saved` holds the settings as stored."""

    def __init__(
        self,
        service: SchoolService,
        current: SchoolSettings,
        intro: str = "",
        parent: QWidget | None = None,
        planning: PlanningService | None = None,
    ) -> None:
        self._service = service
        self._planning = planning
        values = {f.name: getattr(current, f.name) for f in fields(SchoolSettings)}
        if planning is not None:
            calendar = planning.calendar_settings()
            values.update(
                last_school_day=calendar.last_school_day,
                attention_days=calendar.attention_days,
                holiday_region=calendar.holiday_region,
            )
        super().__init__(
            "Schoolgegevens",
            SCHOOL_FIELDS + (CALENDAR_FIELDS if planning is not None else ()),
            values,
            intro=intro
            or "De naam van de school en de gegevens van de coördinator komen later op de "
            "documenten die u maakt.",
            check=settings_problems,
            submit=self._save,
            parent=parent,
        )
        self.setMinimumWidth(560)
        # Two or three lines of address: the box need not grow with the dialog.
        address = self.form.editor("address")
        address.setMaximumHeight(address.fontMetrics().lineSpacing() * 4 + 12)

    def _save(self, values: dict[str, Any]) -> SchoolSettings:
        school = {k: v for k, v in values.items() if k not in CALENDAR_NAMES}
        if self._planning is not None:
            # The calendar first: its check is the stricter one, and both may be saved again.
            self._planning.save_calendar_settings(
                replace(
                    self._planning.calendar_settings(),
                    last_school_day=values["last_school_day"],
                    attention_days=values["attention_days"] or 14,
                    holiday_region=values["holiday_region"],
                ),
            )
        return self._service.save_settings(SchoolSettings(**school))

    @property
    def saved(self) -> SchoolSettings:
        assert isinstance(self.result_value, SchoolSettings)
        return self.result_value
