"""Requirements files read as pip reads them (checks/harness/requirements_files.py)."""

from pathlib import Path

import pytest

from checks.harness.requirements_files import flatten, logical_lines


def _flat(tmp_path: Path, files: dict[str, str], own: str | None = "expense-tracker"):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return flatten(tmp_path, [next(iter(files))], own)


def test_continuations_comments_and_blank_lines_read_as_pip_reads_them():
    text = "# pinned\nbcrypt==4.3.0 \\\n    --hash=sha256:abc  # why\n\nsix  # any\nx @ https://h/x#egg=x\n"
    assert logical_lines(text) == [
        "bcrypt==4.3.0      --hash=sha256:abc",
        "six",
        "x @ https://h/x#egg=x",
    ]


def test_includes_are_followed_relative_to_the_file_that_names_them(tmp_path):
    flat = _flat(
        tmp_path,
        {
            "requirements/dev.txt": "-r base.txt\n--constraint=../constraints.txt\npytest==8.3\n",
            "requirements/base.txt": "bcrypt==4.3.0\n",
            "constraints.txt": "passlib<2\n",
        },
    )
    assert flat.requirements == ["bcrypt==4.3.0", "pytest==8.3"]
    assert flat.constraints == ["passlib<2"]
    assert flat.shareable


@pytest.mark.parametrize(
    "line",
    [
        "-e .",
        "--editable=./",
        ".",
        "file:.",
        "-e file:.",
        "expense-tracker==0.1.0",
        "Expense_Tracker @ file:///home/ada/expense-tracker",
        "-e git+https://github.com/ada/expense-tracker@main#egg=expense_tracker",
    ],
)
def test_a_line_that_installs_the_project_itself_is_left_to_the_checker(tmp_path, line):
    flat = _flat(tmp_path, {"requirements.txt": f"bcrypt==4.3.0\n{line}\n"})
    assert flat.requirements == ["bcrypt==4.3.0"]


def test_the_project_with_extras_keeps_its_extras(tmp_path):
    flat = _flat(tmp_path, {"requirements-dev.txt": "-e .[dev, docs]\nexpense-tracker[test]\n"})
    assert flat.requirements == [] and flat.extras == {"dev", "docs", "test"}


@pytest.mark.parametrize(
    "line",
    ["./libs/helper", "-e ./libs/helper", "helper @ https://example.org/helper.whl"],
)
def test_a_folder_or_url_is_kept_but_not_shared_through_the_cache(tmp_path, line):
    flat = _flat(tmp_path, {"requirements.txt": f"{line}\n"})
    assert flat.requirements == [line] and not flat.shareable


def test_an_include_that_is_missing_is_left_for_uv_to_report(tmp_path):
    flat = _flat(tmp_path, {"requirements.txt": "-r requirements/base.txt\n"})
    assert flat.requirements == ["-r requirements/base.txt"] and not flat.shareable


def test_options_stay_as_written_and_keep_the_cache(tmp_path):
    flat = _flat(tmp_path, {"requirements.txt": "--index-url https://mirror/simple\nsix\n"})
    assert flat.requirements == ["--index-url https://mirror/simple", "six"] and flat.shareable


def test_an_include_loop_ends(tmp_path):
    flat = _flat(tmp_path, {"requirements.txt": "-r requirements.txt\nsix\n"})
    assert "six" in flat.requirements and not flat.shareable


def test_the_files_written_for_uv_hold_the_pins_and_the_constraints(tmp_path):
    flat = _flat(tmp_path, {"requirements.txt": "six==1.16.0\n-c c.txt\n", "c.txt": "idna<4\n"})
    out = tmp_path / "out"
    out.mkdir()
    pins, constraints = out / "requirements-pinned.txt", out / "constraints-pinned.txt"
    assert flat.write(out) == ["-r", str(pins), "-c", str(constraints)]
    assert pins.read_text() == "six==1.16.0\n" and constraints.read_text() == "idna<4\n"
