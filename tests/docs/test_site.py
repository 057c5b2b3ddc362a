"""The documentation site builds strictly and shows what the checker grades."""

import html
import re

import pytest

from checks.harness import wording
from checks.harness.catalog import DOCS_URL, STAGES, all_checks
from tests.docs.conftest import ROOT


def test_the_site_builds_with_no_warnings_and_no_broken_links(build):
    assert build.exit_code == 0, build.output
    assert "WARNING" not in build.output, build.output
    assert (build.site / "index.html").is_file()


def test_every_check_id_is_an_anchor_on_its_stage_page(site):
    for check in all_checks():
        page = site.page(f"stages/{check.stage.slug}")
        assert f'id="{check.anchor}"' in page, f"{check.id} has no anchor on its stage page"
        assert check.docs_url == f"{DOCS_URL}/stages/{check.stage.slug}/#{check.anchor}"


def text_of(page: str) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def words_of(markdown: str) -> str:
    return " ".join(markdown.replace("`", " ").split())


def test_the_rubric_table_has_one_row_per_check_and_a_section_with_why_and_fix(site):
    for stage in STAGES.values():
        checks = [check for check in all_checks() if check.stage == stage]
        page = site.page(f"stages/{stage.slug}")
        rows = re.findall(r'<tr>\s*<td><a href="#([^"]+)"', page)
        assert rows == [check.anchor for check in checks], stage.slug
        text = text_of(page)
        for check in checks:
            for words in (check.criterion, check.why, check.fix):  # as the default preset
                assert words_of(wording.render(words)) in text, check.id


def test_the_catalog_lists_every_check_and_links_to_its_anchor(site):
    page = site.page("reference/checks")
    for check in all_checks():
        assert f'href="../../stages/{check.stage.slug}/#{check.anchor}"' in page, check.id


def test_every_written_brief_is_included_and_every_other_stage_says_what_is_coming(site):
    for stage in STAGES.values():
        page = site.page(f"stages/{stage.slug}")
        brief = ROOT / "stages" / stage.slug / "README.md"
        if brief.is_file():
            title = brief.read_text("utf-8").splitlines()[0].lstrip("# ").strip()
            assert title in page, f"the brief of {stage.slug} is not on its page"
        else:
            assert "Coming: " in page and "is not written yet" in page, stage.slug
        if not any(check.stage == stage for check in all_checks()):
            assert "No checks yet" in page, stage.slug


def test_reference_code_and_golden_reports_are_embedded_not_copied(site):
    stage_1 = site.page("stages/01-cli")
    assert "total_per_category" in stage_1  # summary.py, through snippets
    assert "build_parser" in stage_1  # cli.py
    learner = site.page("guides/learner")
    assert "Stage 1 not complete yet: 12 of 14 required checks pass." in learner


def test_every_snippet_was_resolved_and_none_is_shown_as_text(site):
    shown = [
        str(path.relative_to(site.site))
        for path in site.site.rglob("*.html")
        if re.search(r'--8\s*&lt;\s*--\s*(&quot;|")', path.read_text("utf-8"))
    ]
    assert shown == [], "a mangled --8<-- line is shown as text instead of being embedded"


@pytest.mark.parametrize("marker", ["brief", "rubric", "reference", "catalog", "nox-sessions"])
def test_no_generation_marker_is_left_in_the_built_site(site, marker):
    leftovers = [
        str(path.relative_to(site.site))
        for path in site.site.rglob("*.html")
        if f"<!-- {marker}" in path.read_text("utf-8")
    ]
    assert leftovers == []


def test_the_nox_sessions_page_lists_every_session_of_the_noxfile(site):
    page = site.page("reference/nox-sessions")
    for name in ("check", "grade", "reference", "demo", "tests", "lint", "docs", "docs-serve"):
        assert f"./nox -s {name}</code>" in page, name
