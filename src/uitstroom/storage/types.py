"""How a domain enum is kept in a column: as its short text value ("arbeid", "gepland")."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import Dialect, String
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=StrEnum)


class StoredEnum(TypeDecorator[E], Generic[E]):
    """A text column that reads as members of `kind`.

    NULL reads as None (also where an outer join found no row). A value this version does not
    know (written by hand, or by a newer program on the school's shared server) and "" read as
    `unknown`: the default the screen shows for "not filled in", or None. Writing takes a member or its text value; the database sees
    plain text, so the schema and the migrations are those of a String column.
    """

    impl = String
    cache_ok = True

    def __init__(self, kind: type[E], length: int, unknown: E | None = None) -> None:
        super().__init__(length)
        self.kind = kind
        self.unknown = unknown
        # By dictionary, not kind(value): Enum() per value took half a second over 50,000 rows.
        self._members: dict[str, E] = {member.value: member for member in kind}

    def process_bind_param(self, value: Any | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(value.value if isinstance(value, StrEnum) else value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> E | None:
        return None if value is None else self._members.get(value, self.unknown)

    @property
    def python_type(self) -> type[E]:
        return self.kind
