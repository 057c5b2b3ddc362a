"""What a learner sees of their program's output: verbatim, cut in the middle, never lost."""

import json

from checks.harness.failure import clip, outcome, shown_json
from checks.harness.process import Completed
from checks.report.text import printable

TRACEBACK = "\n".join(
    ["Traceback (most recent call last):"]
    + [f'  File "/lib/frame_{n}.py", line {n}, in call_{n}' for n in range(200)]
    + ['  File "src/habits/cli.py", line 42, in main', "ValueError: minutes must be a number"]
)


def test_a_long_traceback_keeps_its_first_line_and_its_end():
    shown = clip(TRACEBACK)
    assert shown.startswith("Traceback (most recent call last):")
    assert shown.endswith("ValueError: minutes must be a number")
    assert 'src/habits/cli.py", line 42' in shown
    assert "lines not shown" in shown
    assert len(shown) < 800


def test_json_output_is_shown_as_the_program_printed_it_and_empty_output_says_so():
    printed = '[{"id": 1, "done": true, "note": null}]'
    got = outcome(Completed(("habits", "list"), 0, printed, ""))
    assert got == f"exit code 0; stdout: {printed}; stderr: (empty)"
    assert "True" not in got and "None" not in got


def test_a_value_read_from_json_is_shown_as_json_again():
    assert shown_json([{"done": True, "note": None}]) == '[{"done": true, "note": null}]'
    assert json.loads(shown_json({"n": 1})) == {"n": 1}


def test_escape_sequences_and_control_characters_never_reach_a_report():
    text = "ok\x1b[31mred\x1b[0m\x00\x07bell\r\nnext\x1b]0;title\x07"
    assert printable(text) == "okred\ufffd\ufffdbell\nnext"


LAUNCHER_SAID = "setpriv: failed to execute alembic: No such file or directory\n"


def test_a_program_the_launcher_could_not_find_is_said_to_be_not_installed_and_how_to_add_it():
    got = outcome(Completed(("alembic", "upgrade", "head"), 127, "", LAUNCHER_SAID))
    first, shown = got.split("\n", 1)
    assert first == (
        "`alembic` is not installed in your project, so it could not run: add it to "
        '`[project] dependencies` in pyproject.toml, e.g. "alembic" (`uv add alembic` writes '
        "it there and updates uv.lock), then commit"
    )
    assert shown == f"exit code 127; stdout: (empty); stderr: {LAUNCHER_SAID.strip()}"


def test_a_program_that_printed_the_launchers_words_itself_is_not_reinterpreted():
    exited_1 = Completed(("migrate",), 1, "", LAUNCHER_SAID)
    said_more = Completed(("migrate",), 127, "migrating…", LAUNCHER_SAID)
    assert outcome(exited_1).startswith("exit code 1;")
    assert outcome(said_more).startswith("exit code 127;")


def test_a_script_that_is_not_executable_is_told_to_chmod_it():
    said = "setpriv: failed to execute ./migrate.sh: Permission denied"
    got = outcome(Completed(("./migrate.sh",), 126, "", said))
    assert got.startswith("`./migrate.sh` is not executable, so it could not run: `chmod +x")
    assert said in got
