"""The handleiding's pages as plain data, and finding the pages that hold a search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ManualPage:
    key: str  # the file name without its number: '08-brieven.md' -> 'brieven'
    title: str
    text: str  # Markdown, starting with '# title'


def search(pages: Sequence[ManualPage], query: str) -> list[ManualPage]:
    """The pages holding every word of `query`, whatever its case; pages whose title holds
    the words come first."""
    words = query.casefold().split()
    if not words:
        return list(pages)
    found = [p for p in pages if all(word in p.text.casefold() for word in words)]
    return sorted(found, key=lambda p: not all(word in p.title.casefold() for word in words))
