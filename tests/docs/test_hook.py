"""The docs hook: what the site shows follows the check package, with no manual edit."""

import importlib.util
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

from checks.harness import catalog
from checks.harness.catalog import STAGES, Check
from tests.docs.conftest import ROOT


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("site_hook", ROOT / "docs/hooks/generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def page(src_uri, **meta):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), meta=meta)


NEW_CHECK = Check(
    id="03-api/create-returns-201",
    stage=STAGES[3],
    required=True,
    criterion="Creating a record answers `201 Created` with the new record.",
    why="Clients rely on the status code to know that something was created.",
    fix="Declare `status_code=201` on the route.",
)


@pytest.fixture
def with_new_check(monkeypatch):
    """The catalog as it will be once a stage-3 check lands."""
    existing = list(catalog.all_checks())
    monkeypatch.setattr(catalog, "all_checks", lambda: iter([*existing, NEW_CHECK]))


def test_a_check_that_lands_appears_in_its_stage_rubric_with_its_anchor(hook, with_new_check):
    markdown = hook.on_page_markdown(
        "<!-- rubric: 03-api -->", page=page("stages/03-api.md"), config=None, files=None
    )
    code = '<code class="check-id"><span>03-api/</span><wbr><span>create-returns-201</span></code>'
    assert f"| [{code}](#03-api-create-returns-201) |" in markdown
    assert '<details class="check" id="03-api-create-returns-201" markdown>' in markdown
    assert f"<summary>{code}: Creating a record answers <code>201 Created</code>" in markdown
    assert NEW_CHECK.why in markdown and NEW_CHECK.fix in markdown


def test_a_check_that_lands_appears_in_the_catalog_linked_to_its_stage_page(hook, with_new_check):
    markdown = hook.on_page_markdown(
        "<!-- catalog -->", page=page("reference/checks.md"), config=None, files=None
    )
    code = '<code class="check-id"><span>03-api/</span><wbr><span>create-returns-201</span></code>'
    assert f"[{code}](../stages/03-api.md#03-api-create-returns-201)" in markdown


def test_a_stage_without_a_brief_or_checks_says_what_is_coming(hook, monkeypatch, tmp_path):
    monkeypatch.setattr(hook.course, "ROOT", tmp_path)  # a checkout where stage 2 has nothing yet
    stage_page = page("stages/02-layers.md", month=2, coming="a service layer on SQLite")
    brief = hook.on_page_markdown(
        "<!-- brief: 02-layers -->", page=stage_page, config=None, files=None
    )
    assert brief.startswith("# Stage 2 — Layers on SQLite")
    assert "Coming later" in brief  # stage 1 is not ready in this checkout either: it is next
    assert "month 2" in brief and "a service layer on SQLite." in brief
    assert "checks/" not in brief and "README.md" not in brief, "it speaks to a reader"
    assert (
        hook.on_page_markdown(
            "<!-- reference: 02-layers -->", page=stage_page, config=None, files=None
        )
        == ""
    )


def test_a_stage_whose_brief_lands_includes_it_through_snippets(hook, monkeypatch, tmp_path):
    (tmp_path / "stages/02-layers").mkdir(parents=True)
    (tmp_path / "stages/02-layers/README.md").write_text("# Stage 2 — Layers on SQLite\n")
    monkeypatch.setattr(hook.course, "ROOT", tmp_path)
    brief = hook.on_page_markdown(
        "<!-- brief: 02-layers -->", page=page("stages/02-layers.md"), config=None, files=None
    )
    assert brief == '--8<-- "stages/02-layers/README.md"'


def test_an_unknown_stage_stops_the_build_with_a_readable_error(hook):
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="no stage '09-nope'"):
        hook.on_page_markdown(
            "<!-- rubric: 09-nope -->", page=page("stages/x.md"), config=None, files=None
        )


def test_ordinary_html_comments_are_left_alone(hook):
    text = "<!-- a note for editors -->\n<!-- TODO: more -->"
    assert hook.on_page_markdown(text, page=page("index.md"), config=None, files=None) == text


NAVS = {
    "at the top": "  - index.md\n  - Decisions:\n      - decisions/0001-listed.md\n",
    "inside another section": (
        "  - index.md\n  - Contributing:\n      - Decisions:\n"
        "          - decisions/0001-listed.md\n  - Last: last.md\n"
    ),
}


@pytest.mark.parametrize("nav", NAVS.values(), ids=NAVS.keys())
def test_a_decision_missing_from_the_nav_joins_the_decisions_section(tmp_path, nav):
    """docs/decisions/ grows with the course; a new ADR must not need a mkdocs.yml edit."""
    (tmp_path / "docs/decisions").mkdir(parents=True)
    (tmp_path / "docs/index.md").write_text("# Home\n")
    (tmp_path / "docs/last.md").write_text("# Last\n")
    for name in ("0001-listed", "0002-new"):
        (tmp_path / f"docs/decisions/{name}.md").write_text(f"# {name}\n")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\nhooks: [{ROOT / 'docs/hooks/generate.py'}]\nnav:\n{nav}"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", tmp_path / "site"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    listed = (tmp_path / "site/decisions/0001-listed/index.html").read_text("utf-8")
    assert 'href="../0002-new/"' in listed  # the next page after the listed one
    if "Last" in nav:  # and the page after the section still comes after the new decision
        new = (tmp_path / "site/decisions/0002-new/index.html").read_text("utf-8")
        assert 'href="../../last/"' in new


def test_a_stage_is_coming_until_its_brief_is_written_and_checked(hook, monkeypatch, tmp_path):
    # A checkout of its own, where stage 1 has its checks but no brief yet: whichever
    # stages the course has finished by now, this one is coming, then ready.
    monkeypatch.setattr(hook.course, "ROOT", tmp_path)
    line = "1. a packaged CLI <!-- status: 01-cli -->;"
    coming = hook.on_page_markdown(line, page=page("index.md"), config=None, files=None)
    assert coming == f"1. a packaged CLI {hook.stage_status.COMING};"
    assert not hook.stage_status.ready(STAGES[1])
    (tmp_path / "stages/01-cli").mkdir(parents=True)
    (tmp_path / "stages/01-cli/README.md").write_text("# Stage 1\n")
    assert hook.stage_status.ready(STAGES[1])
    assert hook.on_page_markdown(line, page=page("index.md"), config=None, files=None) == (
        "1. a packaged CLI;"
    )


def test_every_file_of_a_reference_overlay_says_what_it_holds(hook, tmp_path):
    files = {
        "tests/test_cli.py": "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n",
        "alembic.ini": "# Alembic's settings: where the migrations are.\n# More.\n[alembic]\n",
        "pyproject.toml": '[project]\nname = "x"\ndependencies = ["fastapi>=0.1", "pyjwt"]\n',
        "src/x/api.py": '"""Thin routes. Each one parses the request\nand calls a service."""\n',
        "uv.lock": "version = 1\nrevision = 5\n",  # uv writes no comment to read
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert [hook.reference_changes.summary_of(tmp_path / name) for name in files] == [
        "2 tests of the cli",
        "Alembic's settings: where the migrations are.",
        "The package and its command; it depends on fastapi, pyjwt",
        "Thin routes.",
        "The exact version of every package, written by `uv lock`: what gets installed.",
    ]


def test_a_reference_file_that_says_nothing_stops_the_build_naming_it(hook, monkeypatch, tmp_path):
    from mkdocs.exceptions import PluginError

    overlay = tmp_path / "stages/02-layers/reference"
    overlay.mkdir(parents=True)
    (overlay / "data.json").write_text("{}\n")
    monkeypatch.setattr(hook.course, "ROOT", tmp_path)
    with pytest.raises(PluginError, match=r"data.json says nothing about itself.*docstring"):
        hook.on_page_markdown(
            "<!-- reference: 02-layers -->",
            page=page("stages/02-layers.md"),
            config=None,
            files=None,
        )


CHART = """flowchart TB
    T["template/<br/>your starter"] -->|generate| R["your repository"]
    S["stages/"] -.->|you read the brief| R
    R -->|"./nox -s check"| C["checks/"]
    C --> A["one"]
    C --> B["two"]
"""


def boxes(svg: str, kind: str) -> list[tuple[float, float, float, float]]:
    found = re.findall(
        rf'<g class="diagram-{kind}"><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" '
        r'height="([\d.]+)"',
        svg,
    )
    return [tuple(float(v) for v in box) for box in found]


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def drawn(hook, markdown: str) -> tuple[str, list[tuple[float, ...]], list[tuple[float, ...]]]:
    """The page's Markdown after the hook, its one SVG, and the SVG's nodes and labels."""
    after = hook.on_page_markdown(markdown, page=page("index.md"), config=None, files=None)
    (svg,) = re.findall(r'<div class="diagram"><svg .*?</svg></div>', after, re.S)
    return after, boxes(svg, "node"), boxes(svg, "label")


def untouched(things: list[tuple[float, ...]]) -> bool:
    return not [(a, b) for i, a in enumerate(things) for b in things[i + 1 :] if overlap(a, b)]


def test_a_mermaid_flowchart_becomes_an_inline_svg_with_nothing_on_top_of_anything(hook):
    markdown, nodes, labels = drawn(hook, f"Before.\n\n``` mermaid\n{CHART}```\n\nAfter.\n")
    assert "```" not in markdown and markdown.startswith("Before.")
    assert markdown.endswith("After.\n")
    svg = markdown.split("<div", 1)[1].split("</div>", 1)[0]
    assert "\n\n" not in svg, "a blank line would end Markdown's raw HTML block"
    assert len(nodes) == 6 and len(labels) == 3 and untouched(nodes + labels)
    tops = {round(box[1]) for box in nodes}
    assert len(tops) == 4, "four rows: template and stages, repository, checks, their outputs"
    assert "diagram-edge--dotted" in markdown
    assert 'aria-label="template/ your starter leads to' in markdown


def test_the_home_pages_diagram_fits_a_phone_with_nothing_on_top_of_anything(hook):
    home = (ROOT / "docs/index.md").read_text("utf-8")
    markdown, nodes, labels = drawn(hook, home)
    width = float(re.search(r'<svg [^>]*width="(\d+)"', markdown).group(1))
    assert untouched(nodes + labels)
    assert width <= 400, "at most 1.1 times narrower on a 400 px phone: its text stays legible"


@pytest.mark.parametrize(
    "source",
    ["flowchart LR\n    A --> B\n", "flowchart TB\n    A ==> B\n", "graph TB\n    A --> B\n"],
    ids=["sideways", "thick edge", "not a flowchart"],
)
def test_a_diagram_the_site_cannot_draw_stops_the_build_naming_the_page(hook, source):
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match=r"^index\.md: "):
        hook.on_page_markdown(
            f"``` mermaid\n{source}```\n", page=page("index.md"), config=None, files=None
        )
