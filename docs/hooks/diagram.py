"""Flowcharts drawn when the site is built: a small mermaid fence becomes an inline SVG.

Mermaid draws in the reader's browser from a 3.5 MB script, for one small diagram on the
home page (ADR 13). This module draws the same picture in Python instead, from the same
source, which GitHub still renders as mermaid when it shows the Markdown file:

    ``` mermaid
    flowchart TB
        T["template/<br/>your starter"] -->|generate| R["your repository"]
        S["stages/"] -.->|you read the brief| R
    ```

It reads that subset of mermaid's flowchart syntax (nodes `ID["line<br/>line"]`, edges
`-->` and dotted `-.->`, each with an optional `|label|`) and lays it out top to bottom:
each node one row below the lowest node that points at it, under the middle of the nodes
that point at it, with edge labels in the gaps between rows, where they need height, not
width. Top to bottom keeps the picture narrow enough for a phone; the SVG scales down to
its column and never up. Colours come from Material's CSS variables (site.css), so the
dark theme draws it too. Anything outside the subset stops the build, naming the line.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field

from mkdocs.exceptions import PluginError

FENCE = re.compile(r"^``` ?mermaid\n(.*?)^```[ \t]*$", re.S | re.M)
NODE = r'([A-Za-z_]\w*)(?:\["([^"]*)"\]|\[([^\]"]*)\])?'
EDGE = r'\s*(-->|-\.->)\s*(?:\|(?:"([^"]*)"|([^|"]*))\|)?\s*'
LINE = re.compile(rf"^{NODE}(?:{EDGE}{NODE})?$")

FONT, LABEL_FONT = 13, 11  # px: node text, edge labels
CHAR = 0.6  # a monospace glyph's width, in ems: the labels are set in the code font
LINE_HEIGHT, PAD_X, PAD_Y = 17, 8, 7
NODE_GAP, ROW_GAP, LABELLED_ROW_GAP, LABEL_GAP, MARGIN = 10, 30, 50, 6, 2


@dataclass
class Node:
    id: str
    lines: list[str]
    row: int = 0
    x: float = 0.0  # the centre
    y: float = 0.0  # the top
    drawn_height: float = 0.0  # its row's tallest: a row's boxes share a top and a bottom

    @property
    def width(self) -> float:
        return max(len(line) for line in self.lines) * CHAR * FONT + 2 * PAD_X

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_HEIGHT + 2 * PAD_Y


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    dotted: bool


@dataclass
class Label:
    text: str
    x: float  # the centre
    y: float  # the centre

    @property
    def width(self) -> float:
        return len(self.text) * CHAR * LABEL_FONT + 8

    @property
    def height(self) -> float:
        return LABEL_FONT + 6


@dataclass
class Chart:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)


def render_fences(markdown: str, where: str) -> str:
    """Every mermaid fence of a page as an inline SVG."""
    return FENCE.sub(lambda m: svg(parse(m.group(1), where)), markdown)


def parse(source: str, where: str) -> Chart:
    lines = [line.strip() for line in source.splitlines()]
    lines = [line for line in lines if line and not line.startswith("%%")]
    if not lines or lines[0].split() not in (["flowchart", "TB"], ["flowchart", "TD"]):
        raise PluginError(
            f"{where}: a diagram starts with `flowchart TB`, got {lines[:1]}: the site draws "
            "flowcharts top to bottom, so that they fit a phone's screen"
        )
    chart = Chart()
    for line in lines[1:]:
        found = LINE.match(line)
        if not found:
            raise PluginError(
                f"{where}: cannot draw {line!r}: the site's diagrams know nodes "
                '(ID["text<br/>more"]) and edges (A --> B, A -.-> B, each with an optional '
                "|label|), one a line"
            )
        source_id = _node(chart, found.group(1), found.group(2) or found.group(3))
        if found.group(4):
            target_id = _node(chart, found.group(7), found.group(8) or found.group(9))
            label = found.group(5) if found.group(5) is not None else (found.group(6) or "")
            chart.edges.append(Edge(source_id, target_id, label.strip(), found.group(4) == "-.->"))
    return chart


def _node(chart: Chart, node_id: str, label: str | None) -> str:
    node = chart.nodes.setdefault(node_id, Node(node_id, [node_id]))
    if label is not None:
        node.lines = [part.strip() for part in re.split(r"<br\s*/?>", label)]
    return node_id


def layout(chart: Chart) -> tuple[float, float]:
    """Place every node; the drawing's width and height."""
    nodes, edges = chart.nodes, chart.edges
    parents = {node_id: [e.source for e in edges if e.target == node_id] for node_id in nodes}
    for _ in nodes:  # longest path from a source: each node below all that point at it
        for edge in edges:
            nodes[edge.target].row = max(nodes[edge.target].row, nodes[edge.source].row + 1)
    rows = [
        [node for node in nodes.values() if node.row == number]
        for number in range(max((node.row for node in nodes.values()), default=0) + 1)
    ]
    for row in rows:
        wanted = {
            n.id: sum(nodes[p].x for p in parents[n.id]) / len(parents[n.id])
            for n in row
            if parents[n.id]
        }
        row.sort(key=lambda n: wanted.get(n.id, 0.0))  # stable: first drawn, first placed
        _pack(row, wanted)
    left = min(node.x - node.width / 2 for node in nodes.values())
    for node in nodes.values():
        node.x += MARGIN - left
    width = max(node.x + node.width / 2 for node in nodes.values()) + MARGIN
    top = float(MARGIN)
    for number, row in enumerate(rows):
        tallest = max(node.height for node in row)
        for node in row:
            node.y, node.drawn_height = top, tallest
        bottom = top + tallest
        labelled = any(e.label and nodes[e.source].row == number for e in edges)
        top = bottom + (LABELLED_ROW_GAP if labelled else ROW_GAP)
    return width, bottom + MARGIN


def _pack(row: list[Node], wanted: dict[str, float]) -> None:
    """Side by side, NODE_GAP apart, centred where the nodes above them are."""
    x = 0.0
    for node in row:
        node.x = x + node.width / 2
        x += node.width + NODE_GAP
    shift = sum(wanted[n.id] - n.x for n in row if n.id in wanted) / len(wanted) if wanted else 0
    for node in row:
        node.x += shift


def svg(chart: Chart) -> str:
    """The chart as one block of HTML: an SVG with a title and a text description."""
    width, height = layout(chart)
    nodes = chart.nodes
    described = "; ".join(
        f"{_text(nodes[e.source])} {'leads to' if not e.dotted else 'informs'} "
        f"{_text(nodes[e.target])}{f' ({e.label})' if e.label else ''}"
        for e in chart.edges
    )
    parts = [
        f'<div class="diagram"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-label="{html.escape(described)}">',
        '<defs><marker id="diagram-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="diagram-arrow"/></marker></defs>',
    ]
    for edge in chart.edges:
        parts.append(_edge(nodes[edge.source], nodes[edge.target], edge))
    for node in nodes.values():
        parts.append(_box(node))
    parts += [_label(label) for label in labels(chart, width)]
    parts.append("</svg></div>")
    return "\n".join(parts) + "\n"


def _text(node: Node) -> str:
    return " ".join(node.lines)


def _box(node: Node) -> str:
    left, top = node.x - node.width / 2, node.y
    first = top + (node.drawn_height - node.height) / 2 + PAD_Y  # centred in a taller box
    lines = "".join(
        f'<tspan x="{node.x:.1f}" y="{first + (i + 0.75) * LINE_HEIGHT:.1f}">'
        f"{html.escape(line)}</tspan>"
        for i, line in enumerate(node.lines)
    )
    return (
        f'<g class="diagram-node"><rect x="{left:.1f}" y="{top:.1f}" width="{node.width:.1f}" '
        f'height="{node.drawn_height:.1f}" rx="4"/><text text-anchor="middle">{lines}</text></g>'
    )


def _ends(source: Node, target: Node) -> tuple[float, float, float, float]:
    return source.x, source.y + source.drawn_height, target.x, target.y


def _edge(source: Node, target: Node, edge: Edge) -> str:
    x1, y1, x2, y2 = _ends(source, target)
    bend = (y2 - y1) / 2
    dotted = " diagram-edge--dotted" if edge.dotted else ""
    return (
        f'<path class="diagram-edge{dotted}" marker-end="url(#diagram-arrow)" '
        f'd="M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} '
        f'{x2:.1f},{y2 - 1:.1f}"/>'
    )


def labels(chart: Chart, width: float) -> list[Label]:
    """Each edge's label on its curve, in the gap below the edge's row; labels that would
    cover each other are moved apart, sideways, inside the drawing."""
    placed: list[Label] = []
    for edge in chart.edges:
        if not edge.label:
            continue
        source, target = chart.nodes[edge.source], chart.nodes[edge.target]
        # Edges that meet at one node are closest there: label those near their start.
        meeting = sum(other.target == edge.target for other in chart.edges) > 1
        placed.append(_on_curve(source, target, edge.label, 0.25 if meeting else 0.5))
    for row in {round(label.y) for label in placed}:
        _spread([label for label in placed if round(label.y) == row], width)
    return placed


def _on_curve(source: Node, target: Node, text: str, t: float) -> Label:
    """A label at `t` along the edge's curve (0 its start, 1 its end)."""
    x1, y1, x2, y2 = _ends(source, target)
    # The curve's control points sit level, half-way down: both coordinates follow it so.
    x = x1 + (x2 - x1) * (3 * t**2 - 2 * t**3)
    y = y1 + (y2 - y1) * (1.5 * t * (1 - t) + t**3)
    return Label(text, x, y)


def _spread(row: list[Label], width: float) -> None:
    """Labels at one height, left to right, at least GAP apart and inside the drawing: each
    moves as little as it can from the point of its curve it belongs to."""
    row.sort(key=lambda label: label.x)
    for left, right in itertools.pairwise(row):  # share the move between neighbours
        overlap = (left.x + left.width / 2 + LABEL_GAP) - (right.x - right.width / 2)
        if overlap > 0:
            left.x -= overlap / 2
            right.x += overlap / 2
    edge = float(MARGIN)  # then nothing left of the drawing, or over its left neighbour
    for label in row:
        label.x = max(label.x, edge + label.width / 2)
        edge = label.x + label.width / 2 + LABEL_GAP
    edge = width - MARGIN  # nor right of it, or over its right neighbour
    for label in reversed(row):
        label.x = min(label.x, edge - label.width / 2)
        edge = label.x - label.width / 2 - LABEL_GAP


def _label(label: Label) -> str:
    return (
        f'<g class="diagram-label"><rect x="{label.x - label.width / 2:.1f}" '
        f'y="{label.y - label.height / 2:.1f}" width="{label.width:.1f}" '
        f'height="{label.height:.1f}" rx="3"/><text x="{label.x:.1f}" '
        f'y="{label.y + LABEL_FONT * 0.35:.1f}" text-anchor="middle">'
        f"{html.escape(label.text)}</text></g>"
    )
