"""Rows become records through one function (services.convert.from_columns): every field that is
a column is copied, so a new column cannot be forgotten in one of thirteen copies; a field that
is no column keeps its default; a required field that is no column is an error, not a blank."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from uitstroom.services.convert import from_columns


@dataclass(frozen=True)
class Record:
    name: str
    phone: str
    scan: str = "geen"


def test_every_column_with_the_records_name_is_copied() -> None:
    row = SimpleNamespace(name="Sanne", phone="06 12345678", scan="formulier.pdf", extra=1)
    assert from_columns(Record, row) == Record("Sanne", "06 12345678", "formulier.pdf")


def test_what_is_made_otherwise_replaces_the_column() -> None:
    row = SimpleNamespace(name="sanne", phone="06 12345678")
    assert from_columns(Record, row, name="Sanne") == Record("Sanne", "06 12345678")


def test_a_field_that_is_no_column_keeps_its_default() -> None:
    assert from_columns(Record, SimpleNamespace(name="Sanne", phone="")).scan == "geen"


def test_a_required_field_that_is_no_column_is_an_error() -> None:
    with pytest.raises(AttributeError, match="phone"):
        from_columns(Record, SimpleNamespace(name="Sanne"))
