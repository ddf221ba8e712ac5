"""The rules of an import, cell by cell: which column is which, and what a coordinator is told."""

from __future__ import annotations

from datetime import date

import pytest

from uitstroom.domain.importing import (
    REQUIRED_FIELDS,
    ImportField,
    ImportProblem,
    check_row,
    clean_value,
    column_letter,
    display_value,
    duplicate_problems,
    find_header_row,
    guess_mapping,
    mapping_problems,
    summary_text,
)

F = ImportField
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (  # Magister
            ["Stamnummer", "Roepnaam", "Tussenvoegsels", "Achternaam", "Geb. datum", "Stamgroep"],
            {
                F.LEERLINGNUMMER: 0,
                F.ROEPNAAM: 1,
                F.TUSSENVOEGSEL: 2,
                F.ACHTERNAAM: 3,
                F.GEBOORTEDATUM: 4,
                F.KLAS: 5,
            },
        ),
        (  # Somtoday
            ["Leerlingnummer", "Voornaam", "Voorvoegsel", "Achternaam", "Geboortedatum", "Mentor"],
            {
                F.LEERLINGNUMMER: 0,
                F.ROEPNAAM: 1,
                F.TUSSENVOEGSEL: 2,
                F.ACHTERNAAM: 3,
                F.GEBOORTEDATUM: 4,
                F.MENTOR: 5,
            },
        ),
        (  # Eduarte
            ["Studentnummer", "Roepnaam", "Naam", "Groep", "SLB", "Woonplaats", "E-mailadres"],
            {
                F.LEERLINGNUMMER: 0,
                F.ROEPNAAM: 1,
                F.ACHTERNAAM: 2,
                F.KLAS: 3,
                F.MENTOR: 4,
                F.WOONGEMEENTE: 5,
                F.EMAIL: 6,
            },
        ),
        (  # a hand-made list in capitals, with underscores and dots
            ["LL.NR", "ROEPNAAM_LEERLING", "FAMILIENAAM", "06-nummer", "Basisgroep", "geboren"],
            {
                F.LEERLINGNUMMER: 0,
                F.ROEPNAAM: 1,
                F.ACHTERNAAM: 2,
                F.TELEFOON: 3,
                F.KLAS: 4,
                F.GEBOORTEDATUM: 5,
            },
        ),
    ],
)
def test_headers_of_the_common_exports_are_recognised(
    headers: list[str], expected: dict[ImportField, int]
) -> None:
    assert guess_mapping(headers) == expected


def test_guardian_headers_in_their_many_spellings() -> None:
    headers = [
        "Naam ouder 1",
        "Relatie ouder 1",
        "Mobiel ouder 1",
        "E-mail ouder 1",
        "Verzorger 2 naam",
        "Verzorger 2 telefoon",
        "Ouder/verzorger 2 e-mail",
    ]
    assert guess_mapping(headers) == {
        F.OUDER1_NAAM: 0,
        F.OUDER1_RELATIE: 1,
        F.OUDER1_TELEFOON: 2,
        F.OUDER1_EMAIL: 3,
        F.OUDER2_NAAM: 4,
        F.OUDER2_TELEFOON: 5,
        F.OUDER2_EMAIL: 6,
    }
    assert guess_mapping(["Leerlingnummer", "Ouder/verzorger 1"])[F.OUDER1_NAAM] == 1


def test_achternaam_wins_over_naam_and_each_column_is_used_once() -> None:
    mapping = guess_mapping(["Naam", "Achternaam", "Voornaam", "Roepnaam"])
    assert mapping[F.ACHTERNAAM] == 1
    assert mapping[F.ROEPNAAM] == 3
    assert len(set(mapping.values())) == len(mapping)


def test_unknown_headers_are_left_for_the_user() -> None:
    assert guess_mapping(["Geslacht", "Postcode", "Adres"]) == {}


def test_a_title_line_above_the_headers_is_skipped() -> None:
    rows = [
        ["Overzicht leerlingen 2026-2027", "", ""],
        ["", "", ""],
        ["Leerlingnummer", "Roepnaam", "Achternaam"],
        ["300001", "Sanne", "Jansen"],
    ]
    assert find_header_row(rows) == 2
    assert find_header_row([["", ""], ["x", "y"]]) == 1
    assert find_header_row([["", ""]]) is None


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("14-05-2009", "2009-05-14"),
        ("4-5-2009", "2009-05-04"),
        ("2009-05-14", "2009-05-14"),
        ("14/05/2009", "2009-05-14"),
        ("14.05.2009", "2009-05-14"),
        (" 2009/5/4 ", "2009-05-04"),
    ],
)
def test_birth_dates_in_the_forms_schools_export(text: str, stored: str) -> None:
    assert clean_value(F.GEBOORTEDATUM, text, TODAY) == (stored, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2010", "De datum '31-02-2010' bestaat niet"),
        ("14 mei 2009", "Schrijf de datum als dd-mm-jjjj"),
        ("01-01-2030", "ligt in de toekomst"),
        ("01-01-1850", "niet mogelijk"),
    ],
)
def test_bad_birth_dates_say_what_is_wrong(text: str, message: str) -> None:
    _stored, problem = clean_value(F.GEBOORTEDATUM, text, TODAY)
    assert problem is not None and message in problem


def test_the_date_is_passed_in_not_read_from_the_clock() -> None:
    assert clean_value(F.GEBOORTEDATUM, "01-12-2026", TODAY)[1] is not None
    assert clean_value(F.GEBOORTEDATUM, "01-12-2026", date(2026, 12, 2))[1] is None


def test_a_phone_number_that_excel_stripped_of_its_zero_gets_it_back() -> None:
    assert clean_value(F.TELEFOON, "612345678", TODAY) == ("0612345678", None)
    assert clean_value(F.OUDER1_TELEFOON, "06 1234 5678", TODAY) == ("06 1234 5678", None)
    assert "geen telefoonnummer" in (clean_value(F.TELEFOON, "bellen via moeder", TODAY)[1] or "")


def test_email_addresses_are_checked() -> None:
    assert clean_value(F.EMAIL, "zoe@example.nl", TODAY) == ("zoe@example.nl", None)
    assert "naam@voorbeeld.nl" in (clean_value(F.OUDER2_EMAIL, "zoe.example.nl", TODAY)[1] or "")


@pytest.mark.parametrize(
    ("field", "text", "stored"),
    [
        (F.UITSTROOMPROFIEL, "Arbeid", "arbeid"),
        (F.UITSTROOMPROFIEL, "ARBEIDSMARKTGERICHT", "arbeidsmarktgericht"),
        (F.UITSTROOMPROFIEL, "vervolg-onderwijs", "vervolgonderwijs"),
        (F.MBO_NIVEAU, "Entree", "entree"),
        (F.MBO_NIVEAU, "1", "entree"),
        (F.MBO_NIVEAU, "Niveau 2", "2"),
        (F.MBO_NIVEAU, "mbo-3", "3"),
        (F.MBO_LEERWEG, "BOL", "bol"),
        (F.MBO_LEERWEG, "BBL-leerbaan", "bbl"),
        (F.MBO_LEERWEG, "bol-vt", "bol"),
        (F.MBO_CREBO, "25180", "25180"),
    ],
)
def test_choices_are_matched_by_value_or_label(field: ImportField, text: str, stored: str) -> None:
    assert clean_value(field, text, TODAY) == (stored, None)


@pytest.mark.parametrize(
    ("field", "text", "hint"),
    [
        (F.UITSTROOMPROFIEL, "havo", "is geen uitstroomprofiel"),
        (F.MBO_NIVEAU, "5", "Gebruik entree, 1, 2, 3 of 4"),
        (F.MBO_LEERWEG, "deeltijd", "Gebruik bol of bbl"),
        (F.MBO_CREBO, "2518", "5 cijfers"),
    ],
)
def test_unknown_choices_name_the_allowed_ones(field: ImportField, text: str, hint: str) -> None:
    stored, problem = clean_value(field, text, TODAY)
    assert stored == text
    assert problem is not None and hint in problem and f"'{text}'" in problem


def test_required_cells_may_not_be_empty_others_may() -> None:
    assert clean_value(F.ACHTERNAAM, "  ", TODAY) == ("", "Deze cel is leeg. Vul de achternaam in.")
    assert clean_value(F.KLAS, "", TODAY) == ("", None)
    assert {F.LEERLINGNUMMER, F.ROEPNAAM, F.ACHTERNAAM} == REQUIRED_FIELDS


def test_a_cell_far_too_long_points_at_a_column_mix_up() -> None:
    _stored, problem = clean_value(F.KLAS, "x" * 500, TODAY)
    assert problem is not None
    assert "te lang (500 tekens" in problem and "hoogstens 40" in problem


def test_spaces_inside_names_are_tidied() -> None:
    assert clean_value(F.TUSSENVOEGSEL, " van\u00a0 der ", TODAY) == ("van der", None)


def test_a_missing_required_column_is_named() -> None:
    problems = mapping_problems({F.LEERLINGNUMMER: 0, F.ROEPNAAM: 1}, ["Llnr", "Roepnaam"])
    assert problems == [
        ImportProblem(
            None,
            None,
            "Er is geen kolom voor de achternaam. Kies bij 'Achternaam' de kolom met de "
            "achternaam. Staat die niet in het bestand, voeg dan een kolom 'Achternaam' toe.",
        )
    ]


def test_one_column_for_two_fields_and_a_guardian_without_name_are_refused() -> None:
    headers = ["Llnr", "Roepnaam", "Achternaam", "Telefoon ouder"]
    mapping = {F.LEERLINGNUMMER: 0, F.ROEPNAAM: 1, F.ACHTERNAAM: 1, F.OUDER1_TELEFOON: 3}
    messages = [p.message for p in mapping_problems(mapping, headers)]
    assert any("'Roepnaam' en 'Achternaam'" in m for m in messages)
    assert any("niet voor 'Naam ouder/verzorger 1'" in m for m in messages)


def test_a_row_names_its_row_and_column() -> None:
    headers = ["Llnr", "Roepnaam", "Achternaam", "Geboren", "Ouder", "Tel. ouder"]
    mapping = guess_mapping(headers) | {F.OUDER1_NAAM: 4, F.OUDER1_TELEFOON: 5}
    values, problems = check_row(
        7, ["300001", "Noa", "", "31-02-2010", "", "0612345678"], mapping, headers, TODAY
    )
    assert values[F.ROEPNAAM] == "Noa"
    assert [(p.row, p.column) for p in problems] == [
        (7, "Achternaam"),
        (7, "Geboren"),
        (7, "Ouder"),
    ]
    assert problems[2].message == (
        "Bij ouder/verzorger 1 staat wel een telefoonnummer, maar geen naam. Vul de naam in."
    )


def test_a_repeated_leerlingnummer_names_both_rows() -> None:
    problems = duplicate_problems([(2, "300001"), (3, "300002"), (9, "300001")], "Stamnummer")
    assert len(problems) == 1
    assert problems[0].row == 9 and problems[0].column == "Stamnummer"
    assert "in rij 2 en in rij 9" in problems[0].message


def test_values_are_shown_as_the_coordinator_reads_them() -> None:
    assert display_value(F.GEBOORTEDATUM, "2009-05-14") == "14-05-2009"
    assert display_value(F.MBO_NIVEAU, "2") == "Niveau 2"
    assert display_value(F.KLAS, "PRO4A") == "PRO4A"
    assert F.KLAS.lower_label == "klas of groep"


def test_summary_in_plain_dutch() -> None:
    assert summary_text(12, 3, 30, 2) == (
        "12 nieuwe leerlingen, 3 gewijzigd, 30 ongewijzigd; 2 leerlingen staan niet meer in "
        "dit bestand en blijven bewaard."
    )
    assert summary_text(1, 0, 0, 1) == (
        "1 nieuwe leerling, 0 gewijzigd, 0 ongewijzigd; 1 leerling staat niet meer in dit "
        "bestand en blijft bewaard."
    )


def test_column_letters_as_excel_shows_them() -> None:
    assert [column_letter(i) for i in (0, 2, 25, 26, 27, 701, 702)] == [
        "A",
        "C",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
