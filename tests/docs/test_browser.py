"""The built site in a real browser: navigation, the rubric table and search work for a reader.

Drives Debian's /usr/bin/chromium, headless, over the DevTools protocol. Screenshots are
kept in build/test-artifacts/ to look at. Without chromium the tests skip on a laptop, but
fail in CI (CI=true): a browser test must never pass by not running.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from checks.harness.catalog import STAGES, all_checks
from tests.docs.browser import CHROMIUM, Chromium, Page
from tests.docs.conftest import ROOT

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "build" / "test-artifacts"
TABS = ["Home", "Roadmap", "Stages", "Guides", "Trade-offs", "Reference", "Decisions"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    if not CHROMIUM.exists():
        install = "apt-get install -y --no-install-recommends chromium"
        if os.environ.get("CI"):
            pytest.fail(
                f"{CHROMIUM} is missing, so the site was not tested in a browser: {install}"
            )
        pytest.skip(f"{CHROMIUM} is not installed ({install})")
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Chromium) -> Iterator[Page]:
    tab = browser.page()
    yield tab
    tab.close()


def texts(page: Page, selector: str) -> list[str]:
    return page.evaluate(
        f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.textContent.trim())"
    )


def test_the_home_page_shows_the_navigation_tabs_and_the_stages(page, served):
    page.goto(served)
    assert page.evaluate("document.querySelector('.md-content h1').firstChild.textContent") == (
        "Backend Roadmap"
    )
    page.wait_for("document.querySelector('.md-tabs')?.offsetHeight > 0", "the tabs to show")
    assert texts(page, ".md-tabs__link") == TABS
    page.click(".md-tabs__link[href='stages/']")
    page.wait_for(
        "location.pathname === '/stages/' && document.readyState === 'complete'",
        "the Stages tab to open",
    )
    sidebar = texts(page, ".md-sidebar--primary .md-nav__link")
    assert [f"{n} · " in " ".join(sidebar) for n in STAGES] == [True] * len(STAGES), sidebar
    page.screenshot(ARTIFACTS / "docs-stages.png")


def test_a_stage_page_renders_its_brief_and_rubric_and_reports_links_land_on_a_check(page, served):
    stage = STAGES[1]
    checks = [check for check in all_checks() if check.stage == stage]
    summary = next(check for check in checks if check.id == "01-cli/summary")
    # The link every failure report prints: DOCS_URL/stages/01-cli/#01-cli-summary.
    page.goto(f"{served}stages/{stage.slug}/#{summary.anchor}")
    assert "Stage 1" in page.evaluate("document.querySelector('.md-content h1').textContent")
    landed = page.wait_for(
        f"(() => {{ const r = document.getElementById({json.dumps(summary.anchor)})"
        ".getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight })()",
        "the report's link to scroll to its check",
    )
    assert landed
    rows = page.evaluate(
        "[...document.querySelector('#rubric ~ .md-typeset__scrollwrap')"
        ".querySelectorAll('tbody tr')]"
        ".filter(tr => tr.offsetHeight > 0)"
        ".map(tr => [tr.querySelector('a').hash.slice(1), tr.cells[1].textContent.trim()])"
    )
    assert [anchor for anchor, _ in rows] == [check.anchor for check in checks]
    assert rows[0][1] == checks[0].criterion.replace("`", "")
    page.evaluate("document.getElementById('rubric').scrollIntoView()")
    page.screenshot(ARTIFACTS / "docs-01-cli-rubric.png")


def test_searching_for_pagination_finds_the_api_stage(page, served):
    # From a stage page: the home page's diagram needs mermaid from a CDN, and without a
    # network (as here) material's scripts stop on that page, search included.
    page.goto(f"{served}stages/01-cli/")
    page.click(".md-search__input")
    page.type("pagination")
    hrefs = page.wait_for(
        "(() => { const links = [...document.querySelectorAll('.md-search-result__link')]"
        ".map(a => a.href); return links.length ? links : null })()",
        "search results for 'pagination'",
        timeout=30,
    )
    assert any("/stages/03-api/" in href for href in hrefs), hrefs
    page.screenshot(ARTIFACTS / "docs-search-pagination.png")
