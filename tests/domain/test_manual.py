"""The handleiding's search: every word must be on the page, pages about it by title first."""

from __future__ import annotations

from uitstroom.domain.manual import ManualPage, search

PAGES = (
    ManualPage("beginnen", "Beginnen midden in het jaar", "# Beginnen\nVoor 1 april aanmelden."),
    ManualPage("brieven", "Documenten en brieven", "# Brieven\nEen brief aan ouders."),
    ManualPage("cijfers", "Cohort in cijfers", "# Cijfers\nOp 1 april aangemeld; een brief."),
)


def test_every_word_must_be_on_the_page_whatever_its_case() -> None:
    assert [p.key for p in search(PAGES, "1 APRIL aangemeld")] == ["cijfers"]
    assert [p.key for p in search(PAGES, "")] == ["beginnen", "brieven", "cijfers"]
    assert search(PAGES, "bijstellen") == []


def test_a_page_with_the_word_in_its_title_comes_first() -> None:
    assert [p.key for p in search(PAGES, "cijfers")] == ["cijfers"]
    assert [p.key for p in search(PAGES, "brief")] == ["brieven", "cijfers"]
