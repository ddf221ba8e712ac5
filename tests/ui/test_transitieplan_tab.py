"""The Transitieplan tab: goals, agreements picked with a contact from the sociale kaart and a
checklist task, moved up and down, saved with the pupil's Opslaan."""

from __future__ import annotations

from uitstroom.domain.handover import (
    AgreementParty,
    ContactPerson,
    Organisation,
    OrganisationKind,
)
from uitstroom.ui.main_window import MainWindow


def test_an_agreement_with_a_contact_and_a_task_is_saved_and_read_back(
    qtbot, window: MainWindow, dialogs
) -> None:
    handover = window.services.handover
    team = handover.save_organisation(
        Organisation(
            name="Gemeente Utrecht, Werk en Inkomen",
            kind=OrganisationKind.GEMEENTE,
            serves="Utrecht",
        ),
    )
    kees = handover.save_contact(ContactPerson(name="Kees Bakker", organisation_id=team.id))
    pupil_id = window.proxy.summary_at(0).id
    window.open_pupil_at(pupil_id, "transitieplan")
    tab = window.detail.transitieplan
    tab.goals.setPlainText("Een baan in de groenvoorziening\nZelf met de bus naar stage")
    before = len(tab.agreement_model.rows)
    tasks = window.services.planning.tasks(pupil_id)

    def fill_agreement(what: str, task_code: str = "") -> None:
        def answer(dialog) -> None:
            dialog.form.editor("what").setText(what)
            party = dialog.form.editor("party")
            party.setCurrentIndex(party._values.index(AgreementParty.GEMEENTE))
            contact = dialog.form.editor("contact_id")
            contact.setCurrentIndex(contact._values.index(kees.id))
            task = dialog.form.editor("task_code")
            task.setCurrentIndex(task._values.index(task_code))
            dialog.form.editor("due").setText("01-03-2027")
            dialog.accept()

        dialogs.then(answer)

    fill_agreement("Gesprek over een baan met loonkostensubsidie", tasks[0].code)
    tab.add_agreement()
    fill_agreement("Aanvraag indicatie doen")
    tab.add_agreement()
    assert tab.agreement_model.rowCount() == before + 2
    # The last one is chosen; move it up.
    assert tab.up_button.isEnabled() and not tab.down_button.isEnabled()
    tab.up_button.click()
    assert [a.what for a in tab.agreement_model.rows][before] == "Aanvraag indicatie doen"
    assert window.detail.is_dirty()
    assert window.detail.save()

    plan = handover.transitieplan(pupil_id)
    assert plan.goals.startswith("Een baan in de groenvoorziening")
    assert [a.what for a in plan.agreements[before:]] == [
        "Aanvraag indicatie doen",
        "Gesprek over een baan met loonkostensubsidie",
    ]
    assert plan.agreements[before + 1].task_code == tasks[0].code
    assert plan.agreements[before].contact_id == kees.id
    window.open_pupil_at(window.proxy.summary_at(1).id, "transitieplan")
    window.open_pupil_at(pupil_id, "transitieplan")
    # Who: the party, and the contact person under it.
    assert (
        tab.agreement_model.index(before, 2)
        .data()
        .endswith("\nKees Bakker (Gemeente Utrecht, Werk en Inkomen)")
    )
    assert not window.detail.is_dirty()
