"""Text that goes into generated Markdown: table cells, and links between the site's pages."""

from __future__ import annotations

import posixpath
from typing import Any


def link(page: Any, target: str) -> str:
    """A link from `page` to another source file of the site, relative as MkDocs wants."""
    here = posixpath.dirname(page.file.src_uri)
    return posixpath.relpath(target, here or ".")


def cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("|", r"\|").replace("\n", " ")
