"""Schoolgegevens: what later appears on every document, and which profiles a pupil can have."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtWidgets import QWidget

from uitstroom.domain.enums import SchoolType
from uitstroom.domain.model import MAX_AUTO_LOCK_MINUTES, SchoolSettings
from uitstroom.domain.validation import check_email, check_phone
from uitstroom.services.pupils import SchoolService
from uitstroom.ui.forms import (
    ChoiceField,
    Field,
    FormDialog,
    ImageField,
    NumberEdit,
    TextField,
    enum_choices,
)


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
    ImageField(name="logo_png", label="Logo (PNG)", tooltip="Komt bovenaan de documenten."),
    AutoLockField(
        name="auto_lock_minutes",
        label="Automatisch vergrendelen na",
        tooltip="Raakt niemand toetsenbord of muis aan, dan vergrendelt Uitstroom zich na zoveel "
        "minuten. Kies 'nooit' om dat uit te zetten; met Ctrl+L vergrendelt u zelf.",
    ),
)


def settings_problems(values: dict[str, Any]) -> list[str]:
    problems = [] if values["name"] else ["Vul de naam van de school in."]
    for label, message in (
        ("Telefoon coördinator", check_phone(values["coordinator_phone"])),
        ("E-mail coördinator", check_email(values["coordinator_email"])),
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
    ) -> None:
        super().__init__(
            "Schoolgegevens",
            SCHOOL_FIELDS,
            {f.name: getattr(current, f.name) for f in fields(SchoolSettings)},
            intro=intro
            or "De naam van de school en de gegevens van de coördinator komen later op de "
            "documenten die u maakt.",
            check=settings_problems,
            submit=lambda values: service.save_settings(SchoolSettings(**values)),
            parent=parent,
        )
        self.setMinimumWidth(560)

    @property
    def saved(self) -> SchoolSettings:
        assert isinstance(self.result_value, SchoolSettings)
        return self.result_value
