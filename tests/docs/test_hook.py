"""The docs hook: what the site shows follows the check package, with no manual edit."""

import importlib.util
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from checks.harness import catalog
from checks.harness.catalog import STAGES, Check
from tests.docs.conftest import ROOT


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("rubric_hook", ROOT / "docs/hooks/rubric.py")
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
    assert "No checks yet" not in markdown
    assert "| [`03-api/create-returns-201`](#03-api-create-returns-201) |" in markdown
    assert "### `03-api/create-returns-201` { #03-api-create-returns-201 }" in markdown
    assert NEW_CHECK.why in markdown and NEW_CHECK.fix in markdown


def test_a_check_that_lands_appears_in_the_catalog_linked_to_its_stage_page(hook, with_new_check):
    markdown = hook.on_page_markdown(
        "<!-- catalog -->", page=page("reference/checks.md"), config=None, files=None
    )
    assert "[`03-api/create-returns-201`](../stages/03-api.md#03-api-create-returns-201)" in (
        markdown
    )


def test_a_stage_without_a_brief_or_checks_says_what_is_coming(hook, monkeypatch, tmp_path):
    monkeypatch.setattr(hook, "ROOT", tmp_path)  # a checkout where stage 2 has nothing yet
    stage_page = page("stages/02-layers.md", month=2, coming="a service layer on SQLite")
    brief = hook.on_page_markdown(
        "<!-- brief: 02-layers -->", page=stage_page, config=None, files=None
    )
    assert brief.startswith("# Stage 2 — Layers on SQLite")
    assert "month 2" in brief and "a service layer on SQLite." in brief
    assert (
        hook.on_page_markdown(
            "<!-- reference: 02-layers -->", page=stage_page, config=None, files=None
        )
        == ""
    )


def test_a_stage_whose_brief_lands_includes_it_through_snippets(hook, monkeypatch, tmp_path):
    (tmp_path / "stages/02-layers").mkdir(parents=True)
    (tmp_path / "stages/02-layers/README.md").write_text("# Stage 2 — Layers on SQLite\n")
    monkeypatch.setattr(hook, "ROOT", tmp_path)
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


def test_a_decision_missing_from_the_nav_joins_the_decisions_section(tmp_path):
    """docs/decisions/ grows with the course; a new ADR must not need a mkdocs.yml edit."""
    (tmp_path / "docs/decisions").mkdir(parents=True)
    (tmp_path / "docs/index.md").write_text("# Home\n")
    for name in ("0001-listed", "0002-new"):
        (tmp_path / f"docs/decisions/{name}.md").write_text(f"# {name}\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\n"
        f"hooks: [{ROOT / 'docs/hooks/rubric.py'}]\n"
        "nav:\n  - index.md\n  - Decisions:\n      - decisions/0001-listed.md\n"
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
    assert 'href="../0002-new/"' in listed
