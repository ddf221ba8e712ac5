"""The demo's address book, consents, transitieplannen and paspoorten."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.orm import Session

from uitstroom.domain.enums import (
    Route,
)
from uitstroom.domain.handover import (
    SENSITIVE_SECTIONS,
    Consenter,
    CredentialKind,
    LegalBasis,
    OrganisationKind,
    Receiver,
    Section,
    required_consenter,
)
from uitstroom.services.demo.texts import (
    AANPAK,
    AANPASSINGEN,
    AGREEMENTS,
    ALL_RECEIVERS,
    DEMO_ADDRESS_BOOK,
    DEMO_COORDINATOR,
    GELEERD,
    KAN,
    KEUZE,
    LONG_AGREEMENTS,
    LONG_PASPOORT,
    NODIG,
    RECEIVER_OF_ROUTE,
    RECEIVER_ROLE,
    WIE,
    WIL,
    ascii_only,
    long_text,
)
from uitstroom.storage.models import (
    AgreementRow,
    ConsentRow,
    ContactPersonRow,
    CredentialRow,
    OrganisationRow,
    PaspoortRow,
    PlanContactRow,
    PupilRow,
    TransitieplanRow,
)


def insert_demo_handover(
    session: Session, rows: list[PupilRow], today: date, rng: random.Random
) -> None:
    """The address book, and for most pupils a paspoort, a transitieplan, credentials, what
    they learned on stage and consents (some for everything, some without the sensitive
    parts, some none; one legal task for the Doorstroompunt)."""
    contacts: dict[OrganisationKind, list[tuple[OrganisationRow, ContactPersonRow]]] = {}
    by_name: dict[str, OrganisationRow] = {}
    gemeenten: list[OrganisationRow] = []
    contact: ContactPersonRow | None
    for kind, name, serves, address, people in DEMO_ADDRESS_BOOK:
        organisation = OrganisationRow(
            name=name,
            kind=kind,
            serves=serves,
            address=address,
            phone="030 000 00 00",
            email="",
            note="",
        )
        for person, function in people:
            contact = ContactPersonRow(
                name=person,
                function=function,
                phone=f"06 {rng.randrange(10000000, 99999999)}",
                email=f"{ascii_only(person.split()[0])}@voorbeeld.nl",
            )
            organisation.contacts.append(contact)
            contacts.setdefault(kind, []).append((organisation, contact))
        session.add(organisation)
        by_name[name] = organisation
        if kind is OrganisationKind.GEMEENTE:
            gemeenten.append(organisation)
    session.flush()

    long_pupil = next(
        (r for r in rows if not (r.roepnaam + r.achternaam).isascii()), rows[0] if rows else None
    )
    legal_task_given = False
    for index, row in enumerate(rows):
        route = row.route.route if row.route is not None else Route.ONBEKEND
        is_long = row is long_pupil
        if not is_long and index % 8 == 7:
            continue  # a few pupils have nothing yet: the screens show how to start
        done_codes = {t.code: t for t in row.tasks}

        if is_long:
            texts = dict(LONG_PASPOORT)
            agreements = LONG_AGREEMENTS
            goals = (
                "Diploma of certificaten halen voor de zomer\n"
                "Een goede plek vinden voor na school: opleiding met werken erbij\n"
                "Zelfstandig met het openbaar vervoer naar stage en school\n"
                "Leren om zelf hulp te vragen als iets niet lukt"
            )
        else:
            texts = {
                "wie": rng.choice(WIE),
                "kan": rng.choice(KAN),
                "wil": WIL[route],
                "nodig": rng.choice(NODIG) if rng.random() < 0.7 else "",
                "keuze": rng.choice(KEUZE),
                "aanpak": rng.choice(AANPAK),
                "aanpassingen": rng.choice(AANPASSINGEN) if rng.random() < 0.5 else "",
            }
            agreements = AGREEMENTS[route]
            goals = {
                Route.DOORLEREN: "Aanmelden en toegelaten worden bij het mbo\nStage goed afronden",
                Route.ARBEID: "Een baan vinden, liefst bij het stagebedrijf\nZelfstandig naar het werk reizen",
                Route.DAGBESTEDING: "Een passende dagbestedingsplek vinden\nRustig wennen aan de nieuwe plek",
                Route.ONBEKEND: "Kiezen tussen werk en een opleiding\nTwee proefdagen doen",
            }[route]
        session.add(
            PaspoortRow(pupil_id=row.id, updated_on=today, updated_by=DEMO_COORDINATOR, **texts)
        )
        session.add(
            TransitieplanRow(
                pupil_id=row.id, goals=goals, updated_on=today, updated_by=DEMO_COORDINATOR
            )
        )
        for position, (what, party, code, agreement_kind) in enumerate(agreements):
            contact = _demo_contact(contacts, agreement_kind, row, rng)
            task = done_codes.get(code)
            session.add(
                AgreementRow(
                    pupil_id=row.id,
                    position=position,
                    what=what,
                    party=party,
                    due=task.due if task is not None else None,
                    contact_id=contact.id if contact is not None else None,
                    task_code=code if task is not None else "",
                )
            )
        receiver, kind = RECEIVER_OF_ROUTE[route]
        plan_kinds = {kind, OrganisationKind.GEMEENTE} if route is Route.ARBEID else {kind}
        for plan_kind in sorted(plan_kinds, key=lambda k: k.value):
            contact = _demo_contact(contacts, plan_kind, row, rng)
            if contact is not None:
                session.add(
                    PlanContactRow(
                        pupil_id=row.id,
                        role=RECEIVER_ROLE[plan_kind].value,
                        contact_id=contact.id,
                    )
                )
        for stage in row.stages:
            stage.geleerd = long_text(*GELEERD) if is_long else rng.choice(GELEERD)
        session.add(
            CredentialRow(
                pupil_id=row.id,
                kind=CredentialKind.CERTIFICAAT,
                name="Veilig werken (VCA-basis)",
                issued_on=date(today.year - (1 if today.month < 8 else 0), 6, 20),
                issuer="Examenbureau (voorbeeld)",
            )
        )
        if row.stages:
            session.add(
                CredentialRow(
                    pupil_id=row.id,
                    kind=CredentialKind.PRAKTIJKVERKLARING,
                    name=f"Praktijkverklaring {row.stages[0].leerbedrijf}",
                    issuer="SBB",
                )
            )
        # Consent: for everything, without the sensitive parts, or none yet.
        share = "alles" if is_long else rng.choice(("alles", "alles", "zonder", "zonder", "geen"))
        if route is Route.ONBEKEND and not legal_task_given:
            legal_task_given = True
            session.add(
                ConsentRow(
                    pupil_id=row.id,
                    receiver=Receiver.DOORSTROOMPUNT,
                    basis=LegalBasis.WETTELIJKE_TAAK,
                    sections="wie,kan,wil,contact",
                    given_on=today - timedelta(days=3),
                    consenter=None,
                    consenter_name="",
                    organisation_id=by_name["Doorstroompunt regio Utrecht"].id,
                    note="Nog geen plek na school: melding bij het Doorstroompunt.",
                )
            )
        if share == "geen":
            continue
        sections = ALL_RECEIVERS if share == "alles" else ALL_RECEIVERS - SENSITIVE_SECTIONS
        given_on = today - timedelta(days=rng.randrange(5, 60))
        consenter = required_consenter(row.geboortedatum, given_on)
        name = (
            f"{row.roepnaam} {row.tussenvoegsel} {row.achternaam}".replace("  ", " ")
            if consenter is Consenter.LEERLING
            else (row.guardians[0].name if row.guardians else "Ouder")
        )
        session.add(
            ConsentRow(
                pupil_id=row.id,
                receiver=receiver,
                basis=LegalBasis.TOESTEMMING,
                sections=",".join(s.value for s in Section if s in sections),
                given_on=given_on,
                consenter=consenter,
                consenter_name=name,
                organisation_id=None,
                note="",
            )
        )
    session.flush()


def _demo_contact(
    contacts: dict[OrganisationKind, list[tuple[OrganisationRow, ContactPersonRow]]],
    kind: OrganisationKind | None,
    row: PupilRow,
    rng: random.Random,
) -> ContactPersonRow | None:
    """The gemeente team of the pupil's woongemeente, the mbo or werkgever of the route, else
    someone of that kind."""
    if kind is None or kind not in contacts:
        return None
    pairs = contacts[kind]
    wanted = ""
    if kind is OrganisationKind.MBO and row.route is not None:
        wanted = row.route.mbo_instelling
    elif kind is OrganisationKind.WERKGEVER and row.route is not None:
        wanted = row.route.werkgever
    for organisation, contact in pairs:
        serves = {part.strip().casefold() for part in organisation.serves.split(",")}
        if kind is OrganisationKind.GEMEENTE and row.woongemeente.casefold() in serves:
            return contact
        if wanted and organisation.name == wanted:
            return contact
    return pairs[rng.randrange(len(pairs))][1]
