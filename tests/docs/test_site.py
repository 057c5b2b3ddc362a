"""The documentation site builds strictly and shows what the checker grades."""

import html
import posixpath
import re
from html.parser import HTMLParser
from typing import ClassVar
from urllib.parse import urlparse

import pytest

from checks.harness import wording
from checks.harness.catalog import DOCS_URL, STAGES, all_checks
from tests.docs.conftest import ROOT


def ready(stage):
    brief = ROOT / "stages" / stage.slug / "README.md"
    return brief.is_file() and any(check.stage == stage for check in all_checks())


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


def test_every_written_brief_is_included_and_every_other_stage_says_what_it_will_teach(site):
    coming = [stage for stage in STAGES.values() if not ready(stage)]
    for stage in STAGES.values():
        page = site.page(f"stages/{stage.slug}")
        brief = ROOT / "stages" / stage.slug / "README.md"
        if brief.is_file():
            title = brief.read_text("utf-8").splitlines()[0].lstrip("# ").strip()
            assert title in page, f"the brief of {stage.slug} is not on its page"
            continue
        said = text_of(page.split('<div class="md-content"', 1)[1].split("<footer", 1)[0])
        first = stage == coming[0]
        assert ("Coming next" if first else "Coming later") in said, stage.slug
        assert "It will teach you:" in said, f"{stage.slug}: give its page a `teaches:` list"
        # It speaks to a reader: no paths into the course repository, which are for contributors.
        for path in ("checks/", "stages/", "README.md", "stage_0"):
            assert path not in said, f"the page of {stage.slug}, still coming, names {path!r}"


def test_reference_code_and_golden_reports_are_embedded_not_copied(site):
    stage_1 = site.page("stages/01-cli")
    assert "total_per_category" in stage_1  # summary.py, through snippets
    assert "build_parser" in stage_1  # cli.py
    golden = (ROOT / "tests/report/golden/terminal.txt").read_text("utf-8").splitlines()
    verdict = next(line for line in golden if re.match(r"Stage 1\b.*required checks pass", line))
    assert verdict in text_of(site.page("guides/learner"))  # the golden file, as it is today


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


CSS_ELSEWHERE = re.compile(r"(?:@import\s+|url\(\s*)['\"]?((?:https?:)?//[^'\")\s]+)")


class Loads(HTMLParser):
    """What a page makes the browser fetch by itself: scripts, styles, fonts, images, frames.

    Links (`<a href>`) are not in it: a reader follows those, or not.
    """

    FETCHED: ClassVar = {"script": "src", "img": "src", "iframe": "src", "source": "src"}
    LINKED: ClassVar = {"stylesheet", "preload", "modulepreload", "icon", "manifest"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in self.FETCHED and values.get(self.FETCHED[tag]):
            self.urls.append(values[self.FETCHED[tag]])
        if tag == "link" and self.LINKED & set(values.get("rel", "").split()):
            self.urls.append(values.get("href", ""))
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", values.get("style", ""))
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:  # a <style> block: its @import and url(...)
            self.urls += CSS_ELSEWHERE.findall(data)


def loads_of(site):
    for path in sorted(site.site.rglob("*.html")):
        parser = Loads()
        parser.feed(path.read_text("utf-8"))
        yield path.relative_to(site.site), parser.urls


def test_no_page_loads_a_script_style_font_or_image_from_another_host(site):
    """The site works without a network: everything a page fetches is part of the site."""
    elsewhere = {
        f"{path}: {url}"
        for path, urls in loads_of(site)
        for url in urls
        if re.match(r"(https?:)?//", url)
    }
    for path in site.site.rglob("*.css"):  # fonts and imports from a stylesheet
        for url in CSS_ELSEWHERE.findall(path.read_text("utf-8")):
            elsewhere.add(f"{path.relative_to(site.site)}: {url}")
    assert sorted(elsewhere) == []


def test_every_script_and_stylesheet_a_page_names_is_part_of_the_site(site):
    base = urlparse(DOCS_URL).path + "/"  # 404.html names its files from the site's root
    missing = []
    for path, urls in loads_of(site):
        here = posixpath.dirname(path.as_posix())
        for url in urls:
            if re.match(r"[a-z]+:|//", url):
                continue  # data: URIs; other hosts fail the test above
            url = url.split("?")[0].split("#")[0]
            target = url.removeprefix(base) if url.startswith(base) else posixpath.join(here, url)
            target = posixpath.normpath(target)
            if not (site.site / target).is_file():
                missing.append(f"{path}: {url}")
    assert missing == []


def test_the_home_diagram_is_drawn_when_the_site_is_built_and_no_page_loads_mermaid(site):
    """ADR 13: the diagram is an inline SVG; no page asks for a diagram script."""
    home = site.page("")
    (drawn,) = re.findall(
        r'<div class="diagram"><svg [^>]*role="img"[^>]*>.*?</svg></div>', home, re.S
    )
    for label in ("template/", "your repository", "results.json", "GitHub Actions"):
        assert html.escape(label) in drawn, label
    assert 'class="mermaid"' not in home and "``` mermaid" not in home
    scripts = {url for _, urls in loads_of(site) for url in urls if url.endswith(".js")}
    assert not [url for url in scripts if "mermaid" in url], scripts
    assert not list(site.site.rglob("*mermaid*")), "a mermaid file is still part of the site"


@pytest.mark.parametrize("where", ["", "roadmap", "stages"])
def test_stages_that_are_not_ready_are_marked_coming_wherever_they_are_listed(site, where):
    page = site.page(where)
    content = page.split('<div class="md-content"', 1)[1]
    for stage in STAGES.values():
        link = rf'href="(?:[^"]*/)?{stage.slug}/"'
        # the nav, on every page: "5 · Tests, config, reliability (coming)"
        nav = re.search(rf'{link} class="md-nav__link">(.*?)</a>', page, re.S)
        assert nav, f"{stage.slug} is not in the nav of /{where}"
        title = text_of(nav.group(1))
        assert title.endswith("(coming)") == (not ready(stage)), title
        # the page itself: a badge after each link to the stage, or in the status column
        if where == "stages":
            row = re.search(rf"<a {link}>.*?</tr>", content, re.S)
            assert row, f"the status table does not list {stage.slug}"
            listed = ['class="coming"' in row.group(0)]
        else:
            listed = [
                bool(b)
                for b in re.findall(rf'<a {link}>[^<]*</a>(\s*<span class="coming")?', content)
            ]
        assert listed, f"/{where} does not list {stage.slug}"
        assert listed == [not ready(stage)] * len(listed), stage.slug


def test_the_what_changed_tables_have_no_blank_rows(site):
    for stage in STAGES.values():
        page = site.page(f"stages/{stage.slug}")
        if 'id="what-changed-in-the-reference"' not in page:
            continue
        table = page.split('id="what-changed-in-the-reference"', 1)[1].split("</table>", 1)[0]
        rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", table, re.S)
        assert rows, stage.slug
        assert [name for name, text in rows if not text.strip()] == [], stage.slug


LONG_CODE = 20  # lines: a code block longer than this is folded on a stage page


@pytest.mark.parametrize("stage", [s for s in STAGES.values() if ready(s)], ids=lambda s: s.slug)
def test_the_reference_code_and_every_long_block_on_a_stage_page_start_folded(site, stage):
    page = site.page(f"stages/{stage.slug}")
    folded = re.search(r"<details class=\"example\">(.*?)</details>", page, re.S)
    assert folded, f"the reference code of {stage.slug} is not in a closed <details> block"
    # The files the stage's reference adds or changes: src/ through stage 5, the Dockerfile at 6.
    shown = re.findall(r'<span class="filename">([^<]+)</span>', folded.group(1))
    assert shown, f"the reference fold of {stage.slug} names no file"
    overlay = ROOT / "stages" / stage.slug / "reference"
    assert [name for name in shown if not (overlay / name).is_file()] == [], stage.slug
    unfolded = re.sub(r"<details[ >].*?</details>", "", page, flags=re.S)  # none are nested
    blocks = [
        re.sub(r"<[^>]+>", "", code)
        for code in re.findall(r"<pre[^>]*>(.*?)</pre>", unfolded, re.S)
    ]
    lengths = [block.rstrip("\n").count("\n") + 1 for block in blocks]
    assert max(lengths, default=0) <= LONG_CODE, (
        f"stages/{stage.slug} shows a code block of {max(lengths)} lines: fold it in <details>"
    )


@pytest.mark.parametrize("stage", [s for s in STAGES.values() if ready(s)], ids=lambda s: s.slug)
def test_each_rubric_section_is_folded_under_the_checks_anchor(site, stage):
    page = site.page(f"stages/{stage.slug}")
    for check in all_checks():
        if check.stage != stage:
            continue
        section = re.search(
            rf'<details class="check" id="{check.anchor}">\s*<summary>(.*?)</summary>', page, re.S
        )
        assert section, f"{check.id} has no folded section"
        assert check.id.split("/")[1] in text_of(section.group(1))


def test_contributor_pages_live_in_their_own_tab(site):
    contributor = [
        "guides/contributing",
        *(f"decisions/{path.stem}" for path in sorted((ROOT / "docs/decisions").glob("*.md"))),
    ]
    for path in contributor:
        active = re.search(r'md-tabs__item--active">\s*<a[^>]*>\s*([^<]*?)\s*<', site.page(path))
        assert active and active.group(1) == "Contributing", path
    learner = site.page("guides/learner")
    active = re.search(r'md-tabs__item--active">\s*<a[^>]*>\s*([^<]*?)\s*<', learner)
    assert active and active.group(1) == "Guides"
