"""The form building blocks: dates typed as dd-mm-jjjj, choices that never drop a value."""

from __future__ import annotations

from datetime import date

import pytest

from uitstroom.domain.enums import Perspectief, Uitstroomprofiel
from uitstroom.domain.model import Stage, TimelineEntry
from uitstroom.ui.forms import (
    ChoiceField,
    DateField,
    Form,
    FormError,
    NumberField,
    TextField,
    enum_choices,
)
from uitstroom.ui.pupil_fields import STAGE_COLUMNS, TIMELINE_COLUMNS
from uitstroom.ui.record_table import RecordTableModel

FIELDS = (
    TextField(name="leerbedrijf", label="Leerbedrijf"),
    DateField(name="start", label="Begindatum"),
    NumberField(name="dagen_per_week", label="Dagen per week", minimum=1, maximum=5),
    ChoiceField(name="perspectief", label="Perspectief", choices=enum_choices(Perspectief)),
)


@pytest.fixture
def form(qtbot) -> Form:
    made = Form(FIELDS)
    qtbot.addWidget(made)
    return made


def test_a_form_reads_into_the_record_it_was_filled_from(form: Form) -> None:
    stage = Stage(leerbedrijf="Bakkerij Van Houten", start=date(2027, 2, 1), dagen_per_week=3)
    form.set_values({f.name: getattr(stage, f.name) for f in FIELDS})
    assert Stage(**form.values()) == stage


def test_dates_are_typed_as_day_month_year_and_tidied(qtbot, form: Form) -> None:
    start = form.editor("start")
    qtbot.keyClicks(start, "1-2-2027")
    start.editingFinished.emit()
    assert start.text() == "01-02-2027"
    assert form.values()["start"] == date(2027, 2, 1)
    start.setText("")
    assert form.values()["start"] is None


def test_a_date_that_does_not_exist_is_named_and_marked(form: Form) -> None:
    form.editor("start").setText("31-02-2027")
    with pytest.raises(FormError) as refused:
        form.values()
    assert refused.value.problems == [
        "Begindatum: De datum '31-02-2027' bestaat niet. Controleer dag en maand."
    ]
    form.highlight_problems()
    assert form.editor("start").property("invalid") is True


def test_an_empty_number_means_unknown(form: Form) -> None:
    form.set_values({"dagen_per_week": None})
    assert form.editor("dagen_per_week").text() == "—"
    assert form.values()["dagen_per_week"] is None


def test_a_value_the_list_does_not_offer_is_kept_not_dropped(qtbot) -> None:
    form = Form(
        (
            ChoiceField(
                name="uitstroomprofiel",
                label="Uitstroomprofiel",
                choices=enum_choices((Uitstroomprofiel.ARBEID,), empty="Nog niet gekozen"),
            ),
        )
    )
    qtbot.addWidget(form)
    form.set_values({"uitstroomprofiel": Uitstroomprofiel.DAGBESTEDING})
    assert form.values()["uitstroomprofiel"] is Uitstroomprofiel.DAGBESTEDING
    assert form.editor("uitstroomprofiel").currentText() == "Dagbesteding"


def test_user_edits_are_signalled_but_filling_is_not(qtbot, form: Form) -> None:
    with qtbot.assertNotEmitted(form.edited):
        form.set_values({"leerbedrijf": "Garage Smit"})
    with qtbot.waitSignal(form.edited):
        qtbot.keyClicks(form.editor("leerbedrijf"), " & Zn")


def test_the_detail_lists_pass_the_qt_model_tester(qtmodeltester) -> None:
    from datetime import datetime

    from uitstroom.domain.enums import TimelineKind

    stages = RecordTableModel(
        STAGE_COLUMNS,
        [Stage(leerbedrijf="Hotel De Wereld", start=date(2026, 9, 1), id=1), Stage("X", id=2)],
    )
    qtmodeltester.check(stages)
    timeline = RecordTableModel(
        TIMELINE_COLUMNS,
        [TimelineEntry(datetime(2026, 11, 23, 9, 30), "Marloes", TimelineKind.NOTITIE, "Gebeld.")],
        muted=lambda t: t.kind == TimelineKind.GEBEURTENIS,
    )
    qtmodeltester.check(timeline)
    assert stages.index(0, 1).data() == "van 01-09-2026\ntot —"


def test_a_value_wider_than_its_field_shows_its_start(qtbot, form: Form) -> None:
    """An e-mail address read into a narrow field showed only its end
    ('ima.8@leerling.voorbeeldschool.nl'): Qt puts the cursor after the last letter."""
    form.setFixedWidth(260)
    form.show()
    qtbot.waitExposed(form)
    editor = form.editor("leerbedrijf")
    long = "Zorgboerderij De Vier Jaargetijden, locatie Lekstroom-Noord"
    assert editor.fontMetrics().horizontalAdvance(long) > editor.width()
    form.set_values({"leerbedrijf": long})
    assert editor.text() == long
    assert editor.cursorPosition() == 0
    assert editor.cursorRect().left() < editor.fontMetrics().averageCharWidth() * 2


def test_the_field_being_typed_in_keeps_its_cursor_when_the_form_is_read_back(
    qtbot, form: Form
) -> None:
    """After Opslaan the form is filled again from what was stored; the field with the
    keyboard must not move its cursor, or the next letters land in front ('senmw. J. Nieuw')."""
    form.show()
    qtbot.waitExposed(form)
    editor = form.editor("leerbedrijf")
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "De Linde")
    form.set_values({"leerbedrijf": "De Linde"})
    qtbot.keyClicks(editor, "boom")
    assert editor.text() == "De Lindeboom"
