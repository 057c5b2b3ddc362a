"""Text that goes into generated Markdown: table cells, and links between the site's pages."""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any


def link(page: Any, target: str) -> str:
    """A link from `page` to another source file of the site, relative as MkDocs wants."""
    here = posixpath.dirname(page.file.src_uri)
    return posixpath.relpath(target, here or ".")


def cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("|", r"\|").replace("\n", " ")


def check_id(text: str) -> str:
    """A check id as code a narrow table cell breaks after its `/` and nowhere else
    (`04-auth/` above `others-records-are-404`): each side is kept whole (site.css)."""
    stage, _, slug = text.partition("/")
    return (
        f'<code class="check-id"><span>{html.escape(stage)}/</span><wbr>'
        f"<span>{html.escape(slug)}</span></code>"
    )


def path(text: str) -> str:
    """A file path as code a narrow table cell breaks after a `/` or an `_`, or at a hyphen,
    never in the middle of a word (site.css)."""
    parts = re.findall(r"[^/_]*[/_]|[^/_]+$", text)
    return f'<code class="path">{"<wbr>".join(html.escape(part) for part in parts)}</code>'
