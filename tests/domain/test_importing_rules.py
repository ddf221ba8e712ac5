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
    leerlingnummer_key,
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


def test_two_columns_with_the_same_name_are_refused_with_both_names() -> None:
    headers = ["Leerlingnummer", "Roepnaam", "Achternaam", "E-mail", "Klas", "Email"]
    problems = mapping_problems(guess_mapping(headers), headers)
    assert problems == [
        ImportProblem(
            None,
            "E-mail",
            "Er zijn 2 kolommen voor 'E-mail leerling': 'E-mail' (kolom D) en 'Email' (kolom F). "
            "Uitstroom weet niet welke de goede is. Verwijder de verkeerde kolom uit het bestand "
            "of geef die een andere naam, sla het bestand op en probeer het opnieuw.",
        )
    ]


def test_two_leerlingnummer_columns_are_refused_also_under_different_names() -> None:
    # Taking the wrong one would make every pupil new on the next import.
    headers = ["Stamnummer", "Roepnaam", "Achternaam", "Leerlingnummer", "Studentnr"]
    problems = mapping_problems(guess_mapping(headers), headers)
    assert len(problems) == 1
    assert problems[0].column == "Leerlingnummer"
    assert (
        "3 kolommen voor 'Leerlingnummer': 'Stamnummer' (kolom A), 'Leerlingnummer' (kolom D) en "
        "'Studentnr' (kolom E)" in problems[0].message
    )


def test_the_same_refusal_when_the_user_chose_the_column() -> None:
    # The import window lets the coordinator pick columns; the rule is the same there.
    headers = ["Nr", "Roepnaam", "Achternaam", "Nr"]
    mapping = {F.LEERLINGNUMMER: 3, F.ROEPNAAM: 1, F.ACHTERNAAM: 2}
    messages = [p.message for p in mapping_problems(mapping, headers)]
    assert messages and "'Nr' (kolom A) en 'Nr' (kolom D)" in messages[0]


def test_columns_that_are_no_twins_are_not_refused() -> None:
    # A column chosen for something else, a weaker name (Naam beside Achternaam), an empty
    # header: none of them is a second column for the same field.
    headers = ["Leerlingnummer", "Roepnaam", "Achternaam", "Naam", "Voornaam", "", ""]
    assert mapping_problems(guess_mapping(headers), headers) == []
    both_used = ["Llnr", "Roepnaam", "Achternaam", "Llnr"]
    mapping = {F.LEERLINGNUMMER: 0, F.ROEPNAAM: 1, F.ACHTERNAAM: 2, F.KLAS: 3}
    assert mapping_problems(mapping, both_used) == []


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("86001", "86001"),
        ("86001.0", "86001"),  # Excel's number column saved as CSV
        ("86001,0", "86001"),  # ... by a Dutch Excel
        ("86001.", "86001"),
        ("8.6002E+04", "86002"),  # ... and by a column too narrow for the whole number
        ("8,6002E+04", "86002"),
        ("8.6000e4", "86000"),  # every digit is written out, so nothing is lost
        ("+86001", "86001"),
        ("007123", "007123"),  # text keeps its zeros
        (" 86001 ", "86001"),
        ("9" * 20, "9" * 20),
        ("L1234", "L1234"),  # some schools number with letters
        ("2026-0042", "2026-0042"),
    ],
)
def test_leerlingnummers_as_excel_writes_them_become_one_number(text: str, stored: str) -> None:
    assert clean_value(F.LEERLINGNUMMER, text, TODAY) == (stored, None)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("0", "'0' is geen leerlingnummer. Vul het leerlingnummer van deze leerling in."),
        ("0000", "'0000' is geen leerlingnummer."),
        ("0,0", "'0,0' is geen leerlingnummer."),
        ("-5", "er staat een minteken voor"),
        ("-86001.0", "er staat een minteken voor"),
        ("86001.5", "cijfers achter de komma of punt. Een leerlingnummer is een heel getal"),
        ("86001,5", "cijfers achter de komma"),
        ("86.001", "cijfers achter de komma"),  # a thousands point, or a decimal: unknown
        ("1E-7", "cijfers achter de komma"),
        ("1,23457E+12", "In dit leerlingnummer (1,23457E+12) ontbreken cijfers"),
        ("8.6E+04", "ontbreken cijfers"),  # 86000, or 86004 shown as 8,6E+04
        ("1E+999999", "ontbreken cijfers"),
        ("9" * 21, "heeft 21 cijfers; een leerlingnummer heeft er hoogstens 20"),
        ("0" * 5 + "1" * 16, "heeft 21 cijfers"),
        ("1." + "0" * 20 + "E+20", "heeft 21 cijfers"),
    ],
)
def test_leerlingnummers_that_are_no_identifier_are_refused(text: str, hint: str) -> None:
    stored, problem = clean_value(F.LEERLINGNUMMER, text, TODAY)
    assert stored == text
    assert problem is not None and hint in problem


def test_a_stored_leerlingnummer_is_matched_as_an_import_would_clean_it() -> None:
    assert leerlingnummer_key("86001.0") == "86001"
    assert leerlingnummer_key(" 8,6002E+04") == "86002"
    assert leerlingnummer_key("\u200f86001") == "86001"
    assert leerlingnummer_key("007123") == "007123"
    # What an import refuses matches only itself: no file can name it.
    assert leerlingnummer_key("0") == "0"
    assert leerlingnummer_key("86001.5") == "86001.5"


BIDI_CONTROLS = [chr(c) for c in (0x61C, 0x200E, 0x200F, *range(0x202A, 0x202F))]
BIDI_CONTROLS += [chr(c) for c in range(0x2066, 0x206A)]


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BIDI_CONTROLS])
def test_bidirectional_controls_are_removed_from_every_text(control: str) -> None:
    assert clean_value(F.ACHTERNAAM, f"{control}Yılmaz{control}", TODAY) == ("Yılmaz", None)
    assert clean_value(F.ROEPNAAM, f"No{control}a", TODAY) == ("Noa", None)
    assert clean_value(F.MENTOR, f"mw. {control} A. Kramer", TODAY) == ("mw. A. Kramer", None)
    assert clean_value(F.LEERLINGNUMMER, f"8600{control}1", TODAY) == ("86001", None)
    # A cell of nothing else is empty.
    assert (
        clean_value(F.ACHTERNAAM, control * 3, TODAY)[1]
        == "Deze cel is leeg. Vul de achternaam in."
    )


def test_right_to_left_letters_and_their_neighbours_stay() -> None:
    # Only the invisible controls go; Arabic letters, the zero-width joiner some scripts need
    # and the Unicode marks just outside the ranges are kept.
    for text in ("محمد", "No\u200da", "No\u2065a", "No\u202fa", "No\u2060a"):
        assert clean_value(F.ROEPNAAM, text, TODAY)[0] == text


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
