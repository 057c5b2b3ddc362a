"""A README as GitHub shows it: its sections, its links, its code blocks.

Enough of CommonMark for what the checks ask: ATX and setext headings, fenced code
blocks (whose contents are code, not headings or links), inline and reference links,
images, and HTML `href`/`src` attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)")
ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)"
)
REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTML_ATTR = re.compile(
    r"<(?:a|img|source)\b[^>]*?\b(href|src|srcset)\s*=\s*[\"']([^\"']+)[\"']", re.I
)
REFERENCE_USE = re.compile(r"(!?)\[([^\[\]]+)\](?:\[\]|\[([^\]]+)\])?(?![(:\[])")
CODE_SPAN = re.compile(r"`+[^`]*`+")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)


@dataclass
class Section:
    title: str
    level: int
    line: int
    body: list[str] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (language, code)

    @property
    def text(self) -> str:
        return "\n".join(self.body)


@dataclass(frozen=True)
class Link:
    target: str  # as written, decoded
    line: int
    image: bool


@dataclass
class Document:
    sections: list[Section]
    links: list[Link]

    def headings(self) -> list[str]:
        return [section.title for section in self.sections if section.level]


def parse(text: str) -> Document:
    lines = text.splitlines()
    sections = [Section("", 0, 0)]  # what comes before the first heading
    links: list[Link] = []
    references: dict[str, tuple[str, int]] = {}
    used_references: list[tuple[str, int, bool]] = []
    fence: str | None = None
    block: list[str] = []
    language = ""
    for number, line in enumerate(lines, start=1):
        current = sections[-1]
        if fence is not None:
            if line.strip().startswith(fence):
                current.blocks.append((language, "\n".join(block)))
                fence = None
            else:
                block.append(line)
            current.body.append(line)
            continue
        opened = FENCE.match(line)
        if opened:
            fence, language, block = opened.group(1), opened.group(2).lower(), []
            current.body.append(line)
            continue
        heading = ATX.match(line)
        underline = SETEXT.match(line)
        if heading:
            sections.append(Section(heading.group(2), len(heading.group(1)), number))
            continue
        if underline and current.body and current.body[-1].strip() and number > 1:
            title = current.body.pop().strip()
            level = 1 if underline.group(1).startswith("=") else 2
            sections.append(Section(title, level, number - 1))
            continue
        current.body.append(line)
        definition = REFERENCE_DEF.match(line)
        if definition:
            references[definition.group(1).lower()] = (definition.group(2), number)
            continue
        plain = CODE_SPAN.sub("", line)
        for image, _, target in INLINE_LINK.findall(plain):
            links.append(Link(unquote(target), number, bool(image)))
        for attribute, target in HTML_ATTR.findall(plain):
            links.append(Link(unquote(target.split()[0]), number, attribute.lower() != "href"))
        for used in REFERENCE_USE.finditer(plain):
            label = used.group(3) or used.group(2)
            used_references.append((label.lower(), number, bool(used.group(1))))
    if fence is not None:
        sections[-1].blocks.append((language, "\n".join(block)))
    for label, _, image in used_references:
        if label in references:
            target, where = references[label]
            links.append(Link(unquote(target), where, image))
    return Document(sections, links)


def is_relative(target: str) -> bool:
    """A link to a file of the repository (not a web address, an e-mail or an anchor)."""
    return bool(target) and not EXTERNAL.match(target)


def path_of(target: str) -> str:
    """The file a relative link names: without its #anchor and ?query."""
    return target.split("#", 1)[0].split("?", 1)[0]
