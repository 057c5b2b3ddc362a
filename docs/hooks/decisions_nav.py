"""Every decision in docs/decisions/ in the nav's Decisions section, listed or not.

docs/decisions/ grows with the course, so a new ADR joins the nav with no mkdocs.yml edit.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


def list_every_decision(nav: Navigation, files: Any) -> Navigation:
    """Append the decisions the nav does not list to its Decisions section, in file order."""
    section = _section(nav.items, "Decisions")
    if section is None:
        return nav
    listed = {id(page) for page in nav.pages}
    missing = [
        file.page
        for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri)
        if file.src_uri.startswith("decisions/")
        and file.page is not None
        and id(file.page) not in listed
    ]
    last = [child for child in section.children if isinstance(child, Page)]
    at = nav.pages.index(last[-1]) + 1 if last else len(nav.pages)
    for page in missing:
        page.parent = section
        section.children.append(page)
    nav.pages[at:at] = missing
    # Previous/next links follow nav.pages, so relink them around the inserted pages.
    for before, after in zip(nav.pages, nav.pages[1:], strict=False):
        before.next_page, after.previous_page = after, before
    return nav


def _section(items: list[Any], title: str) -> Section | None:
    """The nav section with this title, at any depth."""
    for item in items:
        if isinstance(item, Section):
            found = item if item.title == title else _section(item.children, title)
            if found is not None:
                return found
    return None
