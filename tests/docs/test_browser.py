"""The built site in a real browser: navigation, the rubric table and search work for a reader,
without a network and on a phone-sized screen.

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
TABS = ["Home", "Roadmap", "Stages", "Guides", "Trade-offs", "Reference", "Contributing"]
PHONE = 400  # CSS pixels: narrower than most phones held upright


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
    assert page.evaluate(f"document.getElementById({json.dumps(summary.anchor)}).open"), (
        "the check's folded section did not open when its link landed on it"
    )
    rows = page.evaluate(
        "(() => { const table = document.querySelector('#rubric ~ .md-typeset__scrollwrap');"
        " const column = [...table.querySelectorAll('th')]"
        ".findIndex(th => th.textContent.trim() === 'criterion');"
        " return [...table.querySelectorAll('tbody tr')].filter(tr => tr.offsetHeight > 0)"
        ".map(tr => [tr.querySelector('a').hash.slice(1),"
        " tr.cells[column].textContent.trim()]) })()"
    )
    assert [anchor for anchor, _ in rows] == [check.anchor for check in checks]
    assert rows[0][1] == checks[0].criterion.replace("`", "")
    page.evaluate("document.getElementById('rubric').scrollIntoView()")
    page.screenshot(ARTIFACTS / "docs-01-cli-rubric.png")


def search(page: Page, query: str) -> list[str]:
    """Type a query into the search box, as a reader would; the links of the results."""
    page.click(".md-search__input")
    page.type(query)
    links: list[str] = page.wait_for(
        "(() => { const links = [...document.querySelectorAll('.md-search-result__link')]"
        ".map(a => a.href); return links.length ? links : null })()",
        f"search results for {query!r}",
        timeout=30,
    )
    return links


def test_searching_for_pagination_finds_the_api_stage(page, served):
    page.goto(f"{served}stages/01-cli/")
    hrefs = search(page, "pagination")
    assert any("/stages/03-api/" in href for href in hrefs), hrefs
    page.screenshot(ARTIFACTS / "docs-search-pagination.png")


def test_without_a_network_the_home_page_shows_its_diagram_searches_and_switches_theme(
    page, served
):
    refused = page.offline(served)  # every host but the site's is out of reach
    page.goto(served)
    diagram = page.evaluate(
        "[...document.querySelectorAll('.md-content svg')].map(svg => svg.textContent)"
    )
    assert len(diagram) == 1 and "results.json" in diagram[0], diagram

    hrefs = search(page, "pagination")
    assert any("/stages/03-api/" in href for href in hrefs), hrefs
    page.press("Escape")
    page.wait_for("!document.getElementById('__search').checked", "Escape to close search")

    scheme = "document.body.dataset.mdColorScheme"
    toggle = "form[data-md-component=palette] label:not([hidden])"
    assert page.evaluate(scheme) == "default"
    page.click(toggle)
    page.wait_for(f"{scheme} === 'slate'", "the dark theme after a click on the toggle")
    page.screenshot(ARTIFACTS / "docs-home-offline-dark.png")
    page.click(toggle)  # and back: the choice is remembered for the next tests' pages
    page.wait_for(f"{scheme} === 'default'", "the light theme after a second click")
    assert refused == [], f"the home page asked for {refused} outside the site"
    scripts = [url for url in page.requested if url.split("?")[0].endswith(".js")]
    assert scripts and not [url for url in scripts if "mermaid" in url], scripts


def test_the_first_screen_says_where_to_start_and_shows_a_sample_rubric(page, served):
    page.goto(served)
    first = page.evaluate(
        "(() => { const start = document.querySelector('.home-start');"
        " const inView = r => r.top >= 0 && r.bottom <= innerHeight;"
        " const steps = [...start.querySelectorAll(':scope > div:first-child > ol > li')];"
        " const sample = start.querySelector('.home-sample pre');"
        " const text = document.createTreeWalker(sample, NodeFilter.SHOW_TEXT);"
        " let failure = null;"
        " while (!failure && text.nextNode()) {"
        "   const at = text.currentNode.textContent.indexOf('\u2717');"
        "   if (at >= 0) { failure = document.createRange();"
        "     failure.setStart(text.currentNode, at); failure.setEnd(text.currentNode, at + 1) } }"
        " return { steps: steps.map(li => li.querySelector('strong').textContent),"
        " stepsInView: steps.every(li => inView(li.getBoundingClientRect())),"
        " sample: sample.textContent,"
        " failureInView: !!failure && inView(failure.getBoundingClientRect()) } })()"
    )
    assert len(first["steps"]) == 3, first["steps"]
    assert first["stepsInView"], "the three steps are not all on the first screen"
    assert "✗ 01-cli/summary" in first["sample"] and "Next: fix 01-cli/summary" in first["sample"]
    assert first["failureInView"], "the sample rubric's failing check is below the fold"
    page.screenshot(ARTIFACTS / "docs-home-first-screen.png")


@pytest.mark.parametrize("path", ["", "stages/01-cli/", "stages/04-auth/"])
def test_on_a_phone_nothing_is_wider_than_the_screen(page, served, path):
    """Wide tables and code scroll inside their own box; the page itself never scrolls sideways."""
    page.viewport(PHONE, 800)
    page.goto(f"{served}{path}")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for("document.fonts.status === 'loaded'", "the page to be laid out")
    widest = page.evaluate(
        f"[...document.querySelectorAll('.md-content *')].filter(e =>"
        f" e.getBoundingClientRect().right > {PHONE} + 1 && !e.closest('.md-typeset__scrollwrap,"
        " pre, .tabbed-labels, .md-typeset__table')).slice(0, 5).map(e => e.tagName + '.'"
        " + e.className + ': ' + e.textContent.slice(0, 60))"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(ARTIFACTS / f"docs-phone-{path.strip('/').replace('/', '-') or 'home'}.png")
    assert width <= PHONE, f"{path or 'the home page'} is {width} px wide: {widest}"


WIDTHS = [PHONE, 1280]
LONG_CODE = 20  # lines: longer code starts folded
READY = [stage.slug for stage in STAGES.values() if any(c.stage == stage for c in all_checks())]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("slug", READY)
def test_a_stage_page_folds_its_rubric_and_long_code_and_fits_code_and_tables(
    page, served, slug, width
):
    """What a reader on a phone or a laptop meets: the rubric's sections and long code
    closed; code wider than the column scrolls inside itself with a hint at its edge;
    tables, their last column included, fit; a check id breaks only after its `/`."""
    page.viewport(width, 900)
    page.goto(f"{served}stages/{slug}/")
    page.wait_for("document.fonts.status === 'loaded'", "the page to be laid out")
    seen = page.evaluate(
        "(() => { const shown = e => !e.closest('details:not([open])') && !!e.offsetParent;"
        " const code = [...document.querySelectorAll('.md-content pre > code')].filter(shown);"
        " return {"
        "  sections: [...document.querySelectorAll('details.check')].map(d => d.open),"
        "  longest: Math.max(0, ...code.map(c => c.textContent.trimEnd().split('\\n').length)),"
        "  scrolling: code.filter(c => c.scrollWidth > c.clientWidth + 1).map(c =>"
        "    [c.parentElement.dataset.overflows || '',"
        "     getComputedStyle(c.parentElement, '::after').content]),"
        "  tables: [...document.querySelectorAll('.md-typeset__scrollwrap')].filter(shown)"
        "    .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.textContent.slice(0, 60)),"
        "  lastColumns: [...document.querySelectorAll('.md-content table')].filter(shown)"
        "    .map(t => [...t.rows[0].cells].pop().getBoundingClientRect().right),"
        "  brokenIds: [...document.querySelectorAll('code.check-id > span')].filter(shown)"
        "    .filter(s => s.getClientRects().length > 1).map(s => s.textContent),"
        "  page: document.documentElement.scrollWidth } })()"
    )
    stage = next(s for s in STAGES.values() if s.slug == slug)
    checks = [check for check in all_checks() if check.stage == stage]
    page.screenshot(ARTIFACTS / f"docs-{slug}-{width}.png")
    assert seen["sections"] == [False] * len(checks), "every check's section starts folded"
    assert seen["longest"] <= LONG_CODE, f"a {seen['longest']}-line code block is not folded"
    assert [hint for hint in seen["scrolling"] if hint[0] != "yes" or hint[1] == "none"] == [], (
        "a code block scrolls sideways with no hint at its edge"
    )
    assert seen["tables"] == [], f"tables wider than the screen: {seen['tables']}"
    assert max(seen["lastColumns"], default=0) <= width, "a table's last column is off screen"
    assert seen["brokenIds"] == [], "a check id broke somewhere other than after its `/`"
    assert seen["page"] <= width, f"the page is {seen['page']} px wide at {width} px"
    if width == PHONE and slug == "04-auth":  # the endpoints' table is wider than a phone
        assert seen["scrolling"], "no code block scrolls on a phone: the hint went untested"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_diagram_fits_the_column_and_its_text_stays_legible(page, served, width):
    page.viewport(width, 900)
    page.goto(served)
    box = page.evaluate(
        "(() => { const svg = document.querySelector('.md-content .diagram svg');"
        " const column = svg.closest('.md-content__inner').getBoundingClientRect();"
        " const drawn = svg.getBoundingClientRect();"
        " return { left: drawn.left, right: drawn.right, column: [column.left, column.right],"
        "  scale: drawn.width / svg.viewBox.baseVal.width } })()"
    )
    page.evaluate("document.querySelector('.diagram').scrollIntoView()")
    page.screenshot(ARTIFACTS / f"docs-home-diagram-{width}.png")
    assert box["column"][0] - 1 <= box["left"] and box["right"] <= box["column"][1] + 1, box
    assert box["scale"] >= 0.85, f"drawn at {box['scale']:.2f} of its size: text too small"
