"""Plans, paspoort, consent and handover documents through the service, as a coordinator uses
them: real encrypted databases, real PDFs read back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from factories import dump, fixed_clock, make_pupil
from uitstroom.domain.actor import Actor, Role, coordinator
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import Route
from uitstroom.domain.handover import (
    Agreement,
    AgreementParty,
    Consent,
    Consenter,
    ContactPerson,
    ContactRole,
    Credential,
    CredentialKind,
    DocumentKind,
    LegalBasis,
    Organisation,
    OrganisationKind,
    Paspoort,
    PlanContact,
    Receiver,
    Section,
    Transitieplan,
)
from uitstroom.domain.model import RouteDetails, SchoolSettings, Stage
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.errors import ServiceError, ValidationError
from uitstroom.services.handover import (
    RENDERERS,
    DocumentService,
    HandoverRefused,
    HandoverService,
    data_version_of,
)
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.rights import RightsService, inzage_json

NOW = datetime(2026, 11, 23, 9, 30)
TODAY = NOW.date()
COHORT = "2026-2027"
SUPPORT = "Heeft baat bij een koptelefoon tegen het lawaai"
NEEDS = "Uitleg in kleine stappen en een vaste begeleider"


@pytest.fixture
def service(database: Database) -> HandoverService:
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="De Horizon", coordinator_name="Marloes Verbeek")
    )
    return HandoverService(database.sessions, clock=fixed_clock(NOW))


def add_pupil(database: Database, **changes: object) -> int:
    changes.setdefault(
        "route", RouteDetails(route=Route.DOORLEREN, opleiding="Medewerker bakkerij")
    )
    pupil = PupilService(database.sessions, clock=fixed_clock(NOW)).create(
        make_pupil(ondersteuningsbehoefte=SUPPORT, **changes), COHORT
    )
    assert pupil.pupil.id is not None
    return pupil.pupil.id


def fill_paspoort(service: HandoverService, pupil_id: int) -> None:
    service.save_paspoort(
        pupil_id,
        Paspoort(
            wie="Ik ben vrolijk en behulpzaam.",
            kan="Ik kan goed brood bakken.",
            wil="Ik wil bakker worden.",
            nodig=NEEDS,
            aanpak="Een vast rooster werkt goed.",
            credentials=(Credential(CredentialKind.CERTIFICAAT, "Hygiënecode bakkerij"),),
        ),
    )


def give_consent(
    service: HandoverService, pupil_id: int, sections: set[Section], **changes: object
) -> Consent:
    values: dict[str, object] = {
        "receiver": Receiver.MBO,
        "basis": LegalBasis.TOESTEMMING,
        "sections": frozenset(sections),
        "given_on": date(2026, 11, 1),
        "consenter": Consenter.LEERLING,
        "consenter_name": "Zoë van der Meer",
    }
    values.update(changes)
    return service.record_consent(pupil_id, Consent(**values))  # type: ignore[arg-type]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def mbo_contact(service: HandoverService, name: str = "ROC Midden") -> tuple[int, int]:
    organisation = service.save_organisation(Organisation(name=name, kind=OrganisationKind.MBO))
    assert organisation.id is not None
    contact = service.save_contact(
        ContactPerson(name="Anouk Brouwer", organisation_id=organisation.id)
    )
    assert contact.id is not None
    return organisation.id, contact.id


# --- consent ----------------------------------------------------------------------------------


def test_the_day_before_the_16th_birthday_a_parent_consents_on_the_day_the_pupil(
    database: Database, service: HandoverService
) -> None:
    pupil_id = add_pupil(database, geboortedatum=date(2010, 11, 22))
    with pytest.raises(ValidationError, match="jonger dan 16"):
        give_consent(service, pupil_id, {Section.WIE}, given_on=date(2026, 11, 21))
    give_consent(
        service,
        pupil_id,
        {Section.WIE},
        given_on=date(2026, 11, 21),
        consenter=Consenter.OUDER,
        consenter_name="mw. I. van der Meer",
    )
    with pytest.raises(ValidationError, match="16 of ouder"):
        give_consent(
            service,
            pupil_id,
            {Section.WIE},
            given_on=date(2026, 11, 22),
            consenter=Consenter.OUDER,
            consenter_name="mw. I. van der Meer",
        )
    give_consent(service, pupil_id, {Section.WIE}, given_on=date(2026, 11, 22))
    assert [c.consenter for c in service.consents(pupil_id)] == [
        Consenter.LEERLING,
        Consenter.OUDER,
    ]


def test_a_pupil_born_on_29_february_consents_themself_from_that_day(
    database: Database, service: HandoverService
) -> None:
    pupil_id = add_pupil(database, geboortedatum=date(2008, 2, 29))
    with pytest.raises(ValidationError):
        give_consent(service, pupil_id, {Section.WIE}, given_on=date(2024, 2, 28))
    assert give_consent(service, pupil_id, {Section.WIE}, given_on=date(2024, 2, 29)).id


def test_consent_is_logged_without_names_and_refused_for_an_organisation_of_another_kind(
    database: Database, service: HandoverService
) -> None:
    pupil_id = add_pupil(database)
    organisation_id, _ = mbo_contact(service)
    with pytest.raises(ValidationError, match="geen gemeente"):
        give_consent(
            service,
            pupil_id,
            {Section.WIE},
            receiver=Receiver.GEMEENTE,
            organisation_id=organisation_id,
        )
    give_consent(service, pupil_id, {Section.WIE, Section.KAN}, organisation_id=organisation_id)
    lines = [
        e for e in AuditService(database.sessions).entries() if e.action is AuditAction.CONSENT
    ]
    assert len(lines) == 1
    assert lines[0].pupil_id == pupil_id
    assert "Zoë" not in lines[0].detail and "wie,kan" in lines[0].detail


def test_after_withdrawal_the_overdracht_is_refused(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    pupil_id = add_pupil(database)
    fill_paspoort(service, pupil_id)
    consent = give_consent(service, pupil_id, {Section.WIE})
    assert service.alongside(DocumentService).overdracht_doc(
        pupil_id, Receiver.MBO, None, TODAY
    ).sections == (Section.WIE,)
    assert consent.id is not None
    withdrawn = service.withdraw_consent(consent.id, TODAY)
    assert withdrawn.withdrawn_on == TODAY
    with pytest.raises(HandoverRefused, match="tab Toestemming"):
        service.alongside(DocumentService).overdracht_doc(pupil_id, Receiver.MBO, None, TODAY)
    with pytest.raises(ValidationError, match="al ingetrokken"):
        service.withdraw_consent(consent.id, TODAY)


# --- the overdracht holds only what the receiver may see ------------------------------------


def test_an_overdracht_without_consent_for_support_does_not_contain_it(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    pupil_id = add_pupil(database)
    fill_paspoort(service, pupil_id)
    give_consent(service, pupil_id, {Section.WIE, Section.KAN, Section.DIPLOMAS})
    doc = service.alongside(DocumentService).overdracht_doc(pupil_id, Receiver.MBO, None, TODAY)
    assert doc.sections == (Section.WIE, Section.KAN, Section.DIPLOMAS)
    assert set(doc.texts) == {Section.WIE, Section.KAN}
    assert doc.stages == () and doc.contacts == ()
    assert "Zoë van der Meer" in doc.consent_line

    record = service.alongside(DocumentService).write_document(
        DocumentKind.OVERDRACHT,
        pupil_id,
        tmp_path / "mbo.pdf",
        TODAY,
        receiver=Receiver.MBO,
    )
    text = pdf_text(tmp_path / "mbo.pdf")
    assert "Zoë van der Meer" in text
    assert "Ik kan goed brood bakken." in text
    assert "Hygiënecode bakkerij" in text
    assert "kleine stappen" not in text and "koptelefoon" not in text
    assert "vast rooster" not in text
    assert record.sections == {Section.WIE, Section.KAN, Section.DIPLOMAS}

    # With consent for the support parts as well, they are in.
    give_consent(service, pupil_id, {Section.NODIG, Section.ONDERSTEUNING})
    service.alongside(DocumentService).write_document(
        DocumentKind.OVERDRACHT,
        pupil_id,
        tmp_path / "mbo2.pdf",
        TODAY,
        receiver=Receiver.MBO,
    )
    text = pdf_text(tmp_path / "mbo2.pdf")
    assert "kleine stappen" in text and "koptelefoon" in text


def test_a_refused_handover_writes_no_file_no_log_and_changes_nothing(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    pupil_id = add_pupil(database)
    fill_paspoort(service, pupil_id)
    give_consent(service, pupil_id, {Section.WIE}, receiver=Receiver.WERKGEVER)
    before = dump(database)
    target = tmp_path / "overdracht.pdf"
    with pytest.raises(HandoverRefused) as refused:
        service.alongside(DocumentService).write_document(
            DocumentKind.OVERDRACHT, pupil_id, target, TODAY, receiver=Receiver.MBO
        )
    assert "Zoë van der Meer" in str(refused.value)
    assert "Mbo-instelling" in str(refused.value)
    assert not target.exists()
    assert list(tmp_path.glob("*.pdf")) == []
    assert service.documents_made(pupil_id) == []
    assert dump(database) == before


def test_consent_for_one_organisation_does_not_reach_another(
    database: Database, service: HandoverService
) -> None:
    pupil_id = add_pupil(database)
    roc, _ = mbo_contact(service, "ROC Midden")
    other, _ = mbo_contact(service, "MBO Amersfoort")
    give_consent(service, pupil_id, {Section.WIE}, organisation_id=roc)
    assert service.alongside(DocumentService).overdracht_doc(
        pupil_id, Receiver.MBO, roc, TODAY
    ).receiver == ("Mbo-instelling: ROC Midden")
    with pytest.raises(HandoverRefused):
        service.alongside(DocumentService).overdracht_doc(pupil_id, Receiver.MBO, other, TODAY)


# --- documents made are logged -----------------------------------------------------------------


def test_each_document_written_is_logged_with_its_data_version(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    pupil_id = add_pupil(database)
    fill_paspoort(service, pupil_id)
    documents = service.alongside(DocumentService, coordinator("Marloes"))
    record = documents.write_document(DocumentKind.PASPOORT, pupil_id, tmp_path / "p.pdf", TODAY)
    assert record.data_version == data_version_of(
        service.alongside(DocumentService).paspoort_doc(pupil_id, date(2027, 1, 1))
    )
    assert len(record.data_version) == 16
    plan = documents.write_document(DocumentKind.TRANSITIEPLAN, pupil_id, tmp_path / "t.pdf", TODAY)
    printed = documents.log_made(documents.make(DocumentKind.PASPOORT, pupil_id, TODAY))
    assert printed.data_version == record.data_version
    made = service.documents_made(pupil_id)
    assert [r.kind for r in made] == [
        DocumentKind.PASPOORT,
        DocumentKind.TRANSITIEPLAN,
        DocumentKind.PASPOORT,
    ]
    assert made[1] == plan and made[0].made_by == "Marloes"
    lines = [
        e for e in AuditService(database.sessions).entries() if e.action is AuditAction.DOCUMENT
    ]
    assert len(lines) == 3
    assert all(e.pupil_id == pupil_id for e in lines)
    assert all("brood" not in e.detail and "Zoë" not in e.detail for e in lines)
    assert record.data_version in lines[-1].detail

    # A changed paspoort is a new version of the data.
    service.save_paspoort(pupil_id, replace(service.paspoort(pupil_id), wil="Ik wil kok worden."))
    assert (
        data_version_of(service.alongside(DocumentService).paspoort_doc(pupil_id, TODAY))
        != record.data_version
    )


def test_every_kind_is_made_by_its_renderer_with_the_one_file_name(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    """make() is the one path: every DocumentKind has a renderer in RENDERERS, and what it
    returns is a real PDF about this pupil, named as the batch names its files."""
    assert set(RENDERERS) == set(DocumentKind)
    pupil_id = add_pupil(database, roepnaam="Noa", tussenvoegsel="van den", achternaam="Berg")
    fill_paspoort(service, pupil_id)
    give_consent(service, pupil_id, {Section.WIE})
    documents = service.alongside(DocumentService)
    for kind in DocumentKind:
        receiver = Receiver.MBO if kind is DocumentKind.OVERDRACHT else None
        made = documents.make(kind, pupil_id, TODAY, receiver)
        assert made.pdf.startswith(b"%PDF-")
        number = make_pupil().leerlingnummer
        assert made.file_name == f"{kind.label} Berg van den Noa {number}.pdf"
        path = tmp_path / made.file_name
        path.write_bytes(made.pdf)
        assert "Noa" in pdf_text(path)
        assert len(made.data_version) == 16
    folder = tmp_path / "klas"
    folder.mkdir()
    documents.write_batch(DocumentKind.PASPOORT, [pupil_id], folder, TODAY, False)
    assert [f.name for f in folder.iterdir()] == [
        documents.make(DocumentKind.PASPOORT, pupil_id, TODAY).file_name
    ]


def test_the_pdfs_hold_the_name_route_agreements_and_contacts(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    pupil_id = add_pupil(database, roepnaam="Zoë", achternaam="Çelik", tussenvoegsel="")
    _, contact_id = mbo_contact(service)
    service.save_transitieplan(
        pupil_id,
        Transitieplan(
            goals="Aanmelden bij het mbo\nStage afronden",
            agreements=(
                Agreement(
                    "Aanmelden bij ROC Midden",
                    AgreementParty.LEERLING,
                    due=date(2027, 4, 1),
                    task_code="aanmelden_mbo",
                ),
                Agreement("Intakegesprek plannen", AgreementParty.MBO, contact_id=contact_id),
            ),
            contacts=(PlanContact(ContactRole.MBO, contact_id),),
        ),
    )
    service.alongside(DocumentService).write_document(
        DocumentKind.TRANSITIEPLAN, pupil_id, tmp_path / "t.pdf", TODAY
    )
    text = pdf_text(tmp_path / "t.pdf")
    for expected in (
        "Zoë Çelik",
        "Medewerker bakkerij",
        "Aanmelden bij ROC Midden",
        "Intakegesprek plannen",
        "Anouk Brouwer",
        "ROC Midden",
    ):
        assert expected in text, expected


def test_an_agreement_is_done_when_its_checklist_task_is_ticked(
    database: Database, service: HandoverService
) -> None:
    pupil_id = add_pupil(database)
    service.save_transitieplan(
        pupil_id,
        Transitieplan(
            agreements=(
                Agreement(
                    "Aanmelden bij het mbo", AgreementParty.LEERLING, task_code="aanmelden_mbo"
                ),
            )
        ),
    )
    assert not service.transitieplan(pupil_id).agreements[0].done
    planning = PlanningService(database.sessions, clock=fixed_clock(NOW))
    task = next(t for t in planning.tasks(pupil_id) if t.code == "aanmelden_mbo")
    assert task.id is not None
    planning.tick(task.id)
    assert service.transitieplan(pupil_id).agreements[0].done


# --- batches ---------------------------------------------------------------------------------


def three_pupils(database: Database, service: HandoverService) -> list[int]:
    ids = [
        add_pupil(
            database,
            leerlingnummer=f"30000{n}",
            roepnaam=name,
            achternaam=surname,
            tussenvoegsel="",
        )
        for n, (name, surname) in enumerate((("Zoë", "Çelik"), ("Minh", "Nguyễn"), ("Sem", "Smit")))
    ]
    for pupil_id in ids:
        fill_paspoort(service, pupil_id)
    return ids


def test_a_batch_writes_one_file_per_pupil_and_logs_each(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    ids = three_pupils(database, service)
    seen: list[tuple[int, int]] = []
    paths = service.alongside(DocumentService).write_batch(
        DocumentKind.PASPOORT,
        ids,
        tmp_path,
        TODAY,
        one_file=False,
        progress=lambda done, total: seen.append((done, total)) is None,
    )
    assert sorted(p.name for p in paths) == [
        "Paspoort voor Succes Nguyễn Minh 300001.pdf",
        "Paspoort voor Succes Smit Sem 300002.pdf",
        "Paspoort voor Succes Çelik Zoë 300000.pdf",
    ]
    assert "Minh Nguyễn" in pdf_text(tmp_path / "Paspoort voor Succes Nguyễn Minh 300001.pdf")
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert all(len(service.documents_made(i)) == 1 for i in ids)


def test_a_batch_in_one_file_starts_each_pupil_on_a_new_page(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    ids = three_pupils(database, service)
    target = tmp_path / "klas.pdf"
    assert service.alongside(DocumentService).write_batch(
        DocumentKind.TRANSITIEPLAN, ids, target, TODAY, one_file=True
    ) == [target]
    reader = PdfReader(target)
    assert len(reader.pages) >= 3
    text = pdf_text(target)
    assert all(name in text for name in ("Zoë Çelik", "Minh Nguyễn", "Sem Smit"))
    assert all(len(service.documents_made(i)) == 1 for i in ids)


def test_a_cancelled_batch_removes_what_it_wrote_and_logs_nothing(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    ids = three_pupils(database, service)
    before = dump(database)
    result = service.alongside(DocumentService).write_batch(
        DocumentKind.PASPOORT,
        ids,
        tmp_path,
        TODAY,
        one_file=False,
        progress=lambda done, total: done < 2,
    )
    assert result == []
    assert list(tmp_path.glob("*.pdf")) == []
    assert dump(database) == before


def test_an_overdracht_batch_skips_pupils_without_basis(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    ids = three_pupils(database, service)
    give_consent(service, ids[0], {Section.WIE})
    result = service.alongside(DocumentService).write_batch(
        DocumentKind.OVERDRACHT,
        ids,
        tmp_path,
        TODAY,
        one_file=False,
        receiver=Receiver.MBO,
    )
    assert len(result) == 1
    assert result.skipped == ["Minh Nguyễn", "Sem Smit"]
    lines = [
        e for e in AuditService(database.sessions).entries() if e.action is AuditAction.HANDOVER
    ]
    assert [e.pupil_id for e in lines] == [ids[0]]
    with pytest.raises(HandoverRefused) as refused:
        service.alongside(DocumentService).write_batch(
            DocumentKind.OVERDRACHT,
            ids[1:],
            tmp_path / "x.pdf",
            TODAY,
            one_file=True,
            receiver=Receiver.MBO,
        )
    assert refused.value.refused == ["Minh Nguyễn", "Sem Smit"]
    assert not (tmp_path / "x.pdf").exists()


# --- the address book ------------------------------------------------------------------------


def test_when_a_contact_leaves_the_successor_takes_over_the_open_work(
    database: Database, service: HandoverService
) -> None:
    pupil_id = add_pupil(database)
    organisation_id, leaving = mbo_contact(service)
    successor = service.save_contact(
        ContactPerson(name="Bas Jonker", organisation_id=organisation_id)
    )
    assert successor.id is not None
    service.save_transitieplan(
        pupil_id,
        Transitieplan(
            agreements=(
                Agreement("Intake plannen", AgreementParty.MBO, contact_id=leaving),
                Agreement(
                    "Aanmelden",
                    AgreementParty.LEERLING,
                    contact_id=leaving,
                    task_code="aanmelden_mbo",
                ),
            ),
            contacts=(PlanContact(ContactRole.MBO, leaving),),
        ),
    )
    give_consent(service, pupil_id, {Section.WIE}, organisation_id=organisation_id)
    planning = PlanningService(database.sessions, clock=fixed_clock(NOW))
    task = next(t for t in planning.tasks(pupil_id) if t.code == "aanmelden_mbo")
    assert task.id is not None
    planning.tick(task.id)

    moved = service.contact_left(leaving, TODAY, successor.id)

    assert moved == 2  # the plan contact and the open agreement; the done one keeps its history
    plan = service.transitieplan(pupil_id)
    assert [a.contact_id for a in plan.agreements] == [successor.id, leaving]
    assert [c.contact_id for c in plan.contacts] == [successor.id]
    assert service.consents(pupil_id)[0].organisation_id == organisation_id
    gone = next(c for c in service.organisation(organisation_id).contacts if c.id == leaving)
    assert gone.left_on == TODAY and gone.replaced_by_id == successor.id
    assert [c.name for _, c in service.contacts_for(OrganisationKind.MBO)] == ["Bas Jonker"]


def test_a_mentor_who_records_a_contact_leaving_moves_only_their_own_pupils_plans(
    database: Database, service: HandoverService
) -> None:
    own = add_pupil(database, mentor="mw. A. Kramer")
    other = add_pupil(database, leerlingnummer="200002", mentor="dhr. P. Lindeman")
    organisation_id, leaving = mbo_contact(service)
    successor = service.save_contact(
        ContactPerson(name="Bas Jonker", organisation_id=organisation_id)
    )
    for pupil_id in (own, other):
        service.save_transitieplan(
            pupil_id,
            Transitieplan(contacts=(PlanContact(ContactRole.MBO, leaving),)),
        )
    kramer = Actor("Anja Kramer", Role.MENTOR, mentor_name="mw. A. Kramer")
    as_mentor = HandoverService(database.sessions, clock=fixed_clock(NOW), actor=kramer)

    moved = as_mentor.contact_left(leaving, TODAY, successor.id)

    assert moved == 1
    assert [c.contact_id for c in service.transitieplan(own).contacts] == [successor.id]
    assert [c.contact_id for c in service.transitieplan(other).contacts] == [leaving]


def test_an_organisation_in_use_cannot_be_deleted(
    database: Database, service: HandoverService
) -> None:
    pupil_id = add_pupil(database)
    organisation_id, contact_id = mbo_contact(service)
    service.save_transitieplan(
        pupil_id, Transitieplan(contacts=(PlanContact(ContactRole.MBO, contact_id),))
    )
    with pytest.raises(ServiceError, match="wordt nog gebruikt"):
        service.delete_organisation(organisation_id)
    service.save_transitieplan(pupil_id, Transitieplan())
    service.delete_organisation(organisation_id)
    assert service.organisations() == []


def test_the_gemeente_team_that_serves_the_pupils_woongemeente_comes_first(
    service: HandoverService,
) -> None:
    for name, serves in (
        ("Gemeente Utrecht", "Utrecht"),
        ("Werk en Inkomen Lekstroom", "Houten, Nieuwegein"),
    ):
        organisation = service.save_organisation(
            Organisation(name=name, kind=OrganisationKind.GEMEENTE, serves=serves)
        )
        service.save_contact(
            ContactPerson(name=f"Klantmanager {name}", organisation_id=organisation.id)
        )
    picked = service.contacts_for(OrganisationKind.GEMEENTE, woongemeente="nieuwegein")
    assert [o.name for o, _ in picked] == ["Werk en Inkomen Lekstroom", "Gemeente Utrecht"]


# --- rights: inzage and erasure ----------------------------------------------------------------


def test_inzage_holds_the_paspoort_plan_consents_and_documents_and_erasure_removes_them(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    pupil_id = add_pupil(database)
    fill_paspoort(service, pupil_id)
    PupilService(database.sessions, clock=fixed_clock(NOW)).save_stage(
        pupil_id, Stage(leerbedrijf="Bakkerij Van Houten", geleerd="Deeg kneden")
    )
    service.save_transitieplan(
        pupil_id,
        Transitieplan(goals="Diploma halen", agreements=(Agreement("Intake", AgreementParty.MBO),)),
    )
    give_consent(service, pupil_id, {Section.WIE})
    service.alongside(DocumentService).write_document(
        DocumentKind.PASPOORT, pupil_id, tmp_path / "p.pdf", TODAY
    )

    rights = RightsService(database.sessions, clock=fixed_clock(NOW))
    body = inzage_json(rights.inzage(pupil_id)).decode("utf-8")
    for expected in (
        "Ik kan goed brood bakken.",
        "Diploma halen",
        "Intake",
        "Zoë van der Meer",
        "Deeg kneden",
        "paspoort",
    ):
        assert expected in body, expected
    files = rights.export_inzage(pupil_id, tmp_path)
    text = pdf_text(files.pdf)
    assert "Ik kan goed brood bakken." in text and "Diploma halen" in text

    rights.erase(pupil_id, "200001")
    everything = dump(database, exclude=("audit_event",))
    for gone in ("brood bakken", "Diploma halen", "Zoë van der Meer", "Deeg kneden", "Intake"):
        assert gone not in everything, gone


def test_the_overdracht_says_parts_were_withheld_only_when_a_withheld_part_has_content(
    database: Database, service: HandoverService, tmp_path: Path
) -> None:
    """Consent for every part, with 'Hoe de keuze is gemaakt' simply empty: the mbo must not
    read that consent was withheld. Without consent for a part that has text it must."""
    pupil_id = add_pupil(database)
    fill_paspoort(service, pupil_id)
    every = give_consent(service, pupil_id, set(Section))
    doc = service.alongside(DocumentService).overdracht_doc(pupil_id, Receiver.MBO, None, TODAY)
    assert Section.KEUZE not in doc.sections and not doc.withheld
    service.alongside(DocumentService).write_document(
        DocumentKind.OVERDRACHT, pupil_id, tmp_path / "alles.pdf", TODAY, Receiver.MBO
    )
    assert "geen toestemming" not in " ".join(pdf_text(tmp_path / "alles.pdf").split())

    assert every.id is not None
    service.withdraw_consent(every.id, TODAY)
    # Only the empty part left out of the consent: still nothing to say.
    give_consent(service, pupil_id, set(Section) - {Section.KEUZE}, given_on=TODAY)
    assert (
        not service.alongside(DocumentService)
        .overdracht_doc(pupil_id, Receiver.MBO, None, TODAY)
        .withheld
    )

    give_consent(service, pupil_id, {Section.WIE}, receiver=Receiver.WERKGEVER, given_on=TODAY)
    assert (
        service.alongside(DocumentService)
        .overdracht_doc(pupil_id, Receiver.WERKGEVER, None, TODAY)
        .withheld
    )
    service.alongside(DocumentService).write_document(
        DocumentKind.OVERDRACHT,
        pupil_id,
        tmp_path / "werkgever.pdf",
        TODAY,
        Receiver.WERKGEVER,
    )
    text = " ".join(pdf_text(tmp_path / "werkgever.pdf").split())
    assert "Voor de andere delen is geen toestemming gegeven" in text


def test_the_route_on_paper_has_no_brackets_inside_brackets(
    database: Database, service: HandoverService
) -> None:
    from uitstroom.domain.enums import Leerweg, Niveau

    route = RouteDetails(
        route=Route.DOORLEREN, opleiding="Bakker", niveau=Niveau.N2, leerweg=Leerweg.BBL
    )
    pupil_id = add_pupil(database, route=route)
    text = service.alongside(DocumentService).transitieplan_doc(pupil_id, TODAY).pupil.route
    assert text == "Doorleren: Bakker (niveau 2, bbl: werkend leren)"
    entree = add_pupil(
        database,
        leerlingnummer="300099",
        route=replace(route, niveau=Niveau.ENTREE, leerweg=Leerweg.BOL),
    )
    assert service.alongside(DocumentService).paspoort_doc(entree, TODAY).pupil.route == (
        "Doorleren: Bakker (entree: niveau 1, bol: school)"
    )
