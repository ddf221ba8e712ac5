"""The sociale kaart: organisations and contacts are added from the dialog, and when a
contact leaves, their open agreements move to the successor."""

from __future__ import annotations

from datetime import date

from uitstroom.domain.handover import (
    Agreement,
    AgreementParty,
    ContactPerson,
    ContactRole,
    Organisation,
    OrganisationKind,
    PlanContact,
    Transitieplan,
)
from uitstroom.ui.address_book import AddressBookDialog, moved_text
from uitstroom.ui.main_window import MainWindow


def roc_with_two(window: MainWindow) -> tuple[Organisation, ContactPerson, ContactPerson]:
    handover = window.services.handover
    roc = handover.save_organisation(
        Organisation(name="ROC Test en Praktijk", kind=OrganisationKind.MBO)
    )
    sanne = handover.save_contact(
        ContactPerson(name="Sanne de Wit", function="intake", organisation_id=roc.id)
    )
    ahmed = handover.save_contact(
        ContactPerson(name="Ahmed El Amrani", function="intake", organisation_id=roc.id)
    )
    return roc, sanne, ahmed


def test_an_organisation_and_a_contact_are_added_from_the_dialog(
    qtbot, window: MainWindow, dialogs
) -> None:
    book = AddressBookDialog(window.services.handover, lambda: date(2026, 11, 23), window)
    qtbot.addWidget(book)

    def gemeente(dialog) -> None:
        kind = dialog.form.editor("kind")
        kind.setCurrentIndex(kind._values.index(OrganisationKind.GEMEENTE))
        dialogs.fill(dialog, name="Gemeente Maarssen", serves="Maarssen, Breukelen", phone="14 030")
        dialog.accept()

    dialogs.then(gemeente)
    book.add_organisation()
    [utrecht] = [
        o for o in window.services.handover.organisations() if o.name == "Gemeente Maarssen"
    ]
    assert utrecht.kind is OrganisationKind.GEMEENTE and utrecht.serves == "Maarssen, Breukelen"
    assert book.message.text() == "Gemeente Maarssen is opgeslagen."

    assert book.select("organisation", utrecht.id)
    dialogs.fill_and_click("Opslaan", name="Kees Bakker", function="consulent Werk en Inkomen")
    book.add_contact()
    # The team serving the pupil's woongemeente comes first.
    organisation, kees = window.services.handover.contacts_for(woongemeente="Breukelen")[0]
    assert kees.name == "Kees Bakker" and organisation.id == utrecht.id


def test_a_contact_who_leaves_hands_the_open_agreements_to_the_successor(
    qtbot, window: MainWindow
) -> None:
    roc, sanne, ahmed = roc_with_two(window)
    pupil_id = window.proxy.summary_at(0).id
    window.services.handover.save_transitieplan(
        pupil_id,
        Transitieplan(
            goals="Aangemeld bij het mbo",
            agreements=(
                Agreement(
                    what="Intakegesprek plannen",
                    party=AgreementParty.MBO,
                    due=date(2027, 3, 1),
                    contact_id=sanne.id,
                ),
            ),
            contacts=(PlanContact(role=ContactRole.MBO, contact_id=sanne.id),),
        ),
    )
    book = AddressBookDialog(window.services.handover, lambda: date(2026, 11, 23), window)
    qtbot.addWidget(book)
    assert book.select("contact", sanne.id)
    assert book.left_button.isEnabled()
    left = book.left_dialog()
    qtbot.addWidget(left)
    successor = left.form.editor("successor")
    assert successor.field_value() == ahmed.id
    left.accept()
    assert left.result() == left.DialogCode.Accepted
    assert left.summary == "2 afspraken en contacten zijn overgezet naar Ahmed El Amrani."
    plan = window.services.handover.transitieplan(pupil_id)
    assert plan.agreements[0].contact_id == ahmed.id
    assert plan.contacts[0].contact_id == ahmed.id
    [still] = [
        c for c in window.services.handover.organisation(roc.id).contacts if c.id == sanne.id
    ]
    assert still.left_on == date(2026, 11, 23) and still.replaced_by_id == ahmed.id


def test_a_new_successor_can_be_typed_in_the_same_dialog(qtbot, window: MainWindow) -> None:
    roc, sanne, _ahmed = roc_with_two(window)
    book = AddressBookDialog(window.services.handover, lambda: date(2026, 11, 23), window)
    qtbot.addWidget(book)
    book.select("contact", sanne.id)
    left = book.left_dialog()
    qtbot.addWidget(left)
    successor = left.form.editor("successor")
    successor.setCurrentIndex(successor._values.index("new"))
    left.accept()
    assert "Vul de naam van de opvolger in." in left.banner.text()
    left.form.editor("new_name").setText("Fatma Yılmaz")
    left.accept()
    assert left.result() == left.DialogCode.Accepted
    names = [c.name for c in window.services.handover.organisation(roc.id).contacts if c.active]
    assert "Fatma Yılmaz" in names and "Sanne de Wit" not in names


def test_the_message_counts_in_words() -> None:
    assert moved_text(12, "Ahmed") == "12 afspraken en contacten zijn overgezet naar Ahmed."
    assert moved_text(1, "Ahmed") == "1 afspraak of contact is overgezet naar Ahmed."
