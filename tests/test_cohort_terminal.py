"""The cohort table in a terminal: fixed columns that fit its width, cells trimmed, and the
cohort's totals. Golden copies show what a mentor reads on a Monday morning.

A change to the table shows up here as a diff to review. To accept it on purpose:
    UPDATE_GOLDEN=1 ./nox -s tests -- tests/test_cohort_terminal.py
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from checks.cohort import terminal_table
from checks.cohort.rows import Row, stuck_first
from checks.report.layout import Style
from tests.test_cohort_fakes import results, unchecked

GOLDEN = Path(__file__).parent / "cohort_golden"
CLI = [f"01-cli/{c}" for c in ("installs", "add-then-list", "show-one", "delete", "exit-codes")]
LAYERS = [f"02-layers/{c}" for c in ("service-layer", "repository-roundtrip", "import-rules")]


def row(learner: str, document: dict, **progress: object) -> Row:
    return Row.from_results(
        document, key=f"/cohort/{learner}", learner=learner, repo="r", **progress
    )


def monday() -> list[Row]:
    """A cohort of eight compared with last week's run: 4 pass, 3 fail, 1 error."""
    tidy = ("01-cli/code-organization",)
    rows = [
        row("Ada Lovelace", results(tuple(CLI), advisory_passing=tidy), newly_passing=[]),
        row(
            "Bo",
            results(tuple(CLI[:2]), tuple(CLI[2:])),
            newly_passing=[],
            runs_without_progress=3,
            no_progress_since="2025-02-28",
        ),
        row(
            "Cy",
            unchecked(
                "pyproject.toml has no [tool.roadmap] table; add the one the template writes"
            ),
            newly_passing=[],
            runs_without_progress=1,
            no_progress_since="2025-03-14",
        ),
        row(
            "Di 王小明",
            results(tuple(CLI[:4]), tuple(CLI[4:]), advisory_failing=tidy),
            newly_passing=["01-cli/delete", "01-cli/show-one"],
        ),
        row(
            "Eli",
            results(tuple(CLI + LAYERS[:1]), tuple(LAYERS[1:]), stage=2),
            newly_passing=[LAYERS[0]],
            moved_up_from=1,
        ),
        row("Fay", results(tuple(CLI + LAYERS), stage=2), newly_passing=LAYERS),
        row("Maximiliane Wolkenstein-Rodeneck", results(tuple(CLI)), newly_passing=None),
        row("Gus", results(tuple(CLI), advisory_failing=tidy), newly_passing=["01-cli/exit-codes"]),
    ]
    return sorted(rows, key=stuck_first)


def compare(golden: str, actual: str) -> None:
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual)
    assert actual == path.read_text()


@pytest.mark.parametrize(
    ("golden", "compared_with", "style"),
    [
        ("terminal-80.txt", "2025-03-14", Style(width=80)),
        ("terminal-120-colour.txt", "2025-03-14", Style(width=120, colour=True)),
        ("terminal-piped-first-run.txt", None, Style()),
    ],
    ids=["monday-80", "wide-colour", "piped-first-run"],
)
def test_a_cohort_of_eight_matches_the_golden_copy(golden, compared_with, style):
    compare(golden, terminal_table.render(monday(), compared_with, style))


@pytest.mark.parametrize("width", [40, 60, 72, 80, 100, 132, 200])
def test_every_line_fits_the_terminal_and_every_row_keeps_its_columns(width):
    table = terminal_table.render(monday(), "2025-03-14", Style(width=width)).splitlines()

    narrowest = 73  # learner 8, stage 5, req. 4, adv. 4, status 6, 12 + 22, six gaps of 2
    assert max(map(columns, table)) <= max(width, narrowest)
    statuses = [[w for w in line.split() if w in ("pass", "fail", "error")] for line in table]
    in_order = ["error", "fail", "fail", "pass", "pass", "pass", "fail", "pass"]  # stuck first
    assert statuses[2:10] == [[status] for status in in_order]
    assert (
        len(
            {
                columns(line[: line.index(status)])
                for line, [status] in zip(table[2:10], statuses[2:10], strict=True)
            }
        )
        == 1
    ), "every status in one column"
    assert table[-1] == "8 learners: 4 pass · 3 fail · 1 error"


def test_a_terminal_wide_enough_shows_every_word():
    table = terminal_table.render(monday(), "2025-03-14", Style(width=240))

    assert "…" not in table
    assert "no progress for 3 runs" in table and "complete" in table
    assert "up from stage 1; +1: 02-layers/service-layer" in table


def test_what_a_learner_wrote_cannot_move_the_cursor_or_widen_a_line():
    sly = row("\x1b[2J\x1b[HAda\tLovelace", unchecked("broke\x1b[31m\r\nhere"))

    table = terminal_table.render([sly], None, Style(width=80))

    assert "\x1b" not in table and "\r" not in table and "\t" not in table
    assert table.splitlines()[2].startswith("Ada Lovelace  ")


def columns(line: str) -> int:
    """The columns a line takes in a terminal: wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
