"""The school year runs from 1 August to 31 July."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class SchoolYear:
    start_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 8, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 7, 31)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    @classmethod
    def of(cls, day: date) -> SchoolYear:
        return cls(day.year if day.month >= 8 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> SchoolYear:
        """'2026-2027' -> SchoolYear(2026). Raises ValueError with a Dutch message."""
        match = _LABEL.match(label)
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError(f"'{label}' is geen schooljaar. Schrijf het als 2026-2027.")
        return cls(int(match.group(1)))
